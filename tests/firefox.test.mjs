// The same extension in real Firefox ESR (headless, WebDriver BiDi): capture fixture
// pages and check what was stored, byte for byte, independently of the extension.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readStore, checkStoreIntegrity, metadataOf, ROOT } from "./lib/extension.mjs";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { launchFirefox, firefoxAvailable } from "./lib/firefox.mjs";
import { startServer } from "./lib/server.mjs";

// One Firefox with three captures, made in before(), for the tests that only read it; the
// quick-exit test closes every extension tab, so it has a Firefox of its own.
let ff, srv, captured;

/** A new Firefox with three captured fixture pages; returns {ff, results}. */
async function firefoxWithCaptures() {
  const ff = await launchFirefox();
  const results = [];
  for (const file of ["x-post.html", "discord-dm.html", "gmail-message.html"]) {
    const { page, tabId } = await ff.openTab(`${srv.url}/${file}`);
    results.push(await ff.send({ type: "capture", tabId }));
    await page.close();
  }
  return { ff, results };
}

before(async () => {
  if (!firefoxAvailable()) return;
  srv = await startServer({ roots: { "/": "tests/fixtures/site" } });
  ({ ff, results: captured } = await firefoxWithCaptures());
});
after(async () => {
  await ff?.close();
  await srv?.close();
});

test("Firefox: capture stores a screenshot, a self-contained HTML snapshot and metadata, all re-hashing", async (t) => {
  if (!ff) return t.skip("firefox-esr is not installed");
  for (const res of captured) assert.equal(res.ok, true, JSON.stringify(res));
  const dump = await readStore(ff.extPage);
  const recs = checkStoreIntegrity(assert, dump);
  assert.equal(recs.length, 3);
  const x = recs[0];
  assert.deepEqual(x.artifacts.map((a) => a.name).sort(), ["metadata.json", "page.html", "screenshot.png"]);
  const meta = metadataOf(dump, x);
  assert.equal(meta.environment.browser, "Firefox");
  assert.equal(meta.artifacts.screenshot.method, "tabs.captureTab");
  assert.match(meta.artifacts.snapshot.method, /^dom-serialisation/);
  assert.equal(meta.platform, "x");
  assert.deepEqual(
    meta.messages.map((m) => m.author.handle),
    ["@mayaokafor_art", "@dhollis_77", "@nightowl_2231", "@dhollis_77", "@trentk_0"],
  );
  // Served from 127.0.0.1, not x.com: no time decoded from the post id (issue 10, finding 11).
  assert.equal(meta.messages[1].id_time_utc ?? null, null);
  const png = dump.blobs.find((b) => b.sha256 === x.artifacts.find((a) => a.name === "screenshot.png").sha256);
  assert.ok(png.decoded.width >= 1000 && png.decoded.height >= 500, `screenshot decodes (${JSON.stringify(png.decoded)})`);
  const html = dump.blobs.find((b) => b.sha256 === x.artifacts.find((a) => a.name === "page.html").sha256).data.toString("utf8");
  assert.match(html, /^<!DOCTYPE html>/);
  assert.match(html, /I know where you live/);
  assert.doesNotMatch(html, /<script/i, "scripts are removed from the snapshot");
  const discord = metadataOf(dump, recs[1]);
  assert.equal(discord.messages.length, 8);
});

test("Firefox: a hostile or malformed message is refused", async (t) => {
  if (!ff) return t.skip("firefox-esr is not installed");
  const res = await ff.send({ type: "capture", tabId: "1" });
  assert.equal(res.ok, false);
  assert.equal(res.error.code, "BAD_MESSAGE");
});

test("Firefox: the archive exported there passes sha256sum -c and evidence-verify", async (t) => {
  if (!ff) return t.skip("firefox-esr is not installed");
  const bin = path.join(ROOT, "target", "release", "evidence-verify");
  execFileSync("cargo", ["build", "--release", "--bin", "evidence-verify"], { cwd: ROOT, stdio: "inherit" }); // a no-op when it is up to date; never a stale binary
  const res = await ff.extPage.evaluate(async () => {
    const { exportArchive } = await import(browser.runtime.getURL("pages/library/export.js"));
    const r = await exportArchive({ exportedBy: "Firefox test" });
    const buf = new Uint8Array(await r.blob.arrayBuffer());
    let s = "";
    for (let i = 0; i < buf.length; i += 0x8000) s += String.fromCharCode(...buf.subarray(i, i + 0x8000));
    return { b64: btoa(s), counts: r.counts, head: r.head };
  });
  assert.equal(res.counts.included, 3);
  const dir = mkdtempSync(path.join(tmpdir(), "evidence-ff-"));
  try {
    const file = path.join(dir, "firefox.zip");
    writeFileSync(file, Buffer.from(res.b64, "base64"));
    const r = spawnSync(bin, [file, "--head", res.head], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /VERDICT: PASS/);
    execFileSync("unzip", ["-q", file, "-d", path.join(dir, "x")]);
    execFileSync("sha256sum", ["-c", "--quiet", "SHA256SUMS"], { cwd: path.join(dir, "x") });
    assert.ok(existsSync(path.join(dir, "x", "items", "000000", "page.html")), "Firefox's snapshot is page.html");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Open one of our pages in a new tab (drivers can't navigate to moz-extension URLs). */
async function openOwnPage(ff, file) {
  const before = new Set(await ff.browser.pages());
  await ff.extPage.evaluate((f) => browser.tabs.create({ url: browser.runtime.getURL(f) }), file);
  for (let i = 0; i < 100; i++) {
    for (const p of await ff.browser.pages()) {
      if (before.has(p)) continue;
      const href = await p.evaluate(() => location.href).catch(() => "");
      if (href.endsWith(`/${file}`)) return p;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${file} did not open`);
}

test("Firefox: the library lists the captures, and quick exit closes every extension tab", async (t) => {
  if (!ff) return t.skip("firefox-esr is not installed");
  const { ff: own, results } = await firefoxWithCaptures();
  try {
    for (const res of results) assert.equal(res.ok, true, JSON.stringify(res));
    await quickExitCheck(own);
  } finally {
    await own.close();
  }
});

async function quickExitCheck(ff) {
  const lib = await openOwnPage(ff, "library.html");
  await lib.waitForFunction(() => /3 items saved on this device/.test(document.getElementById("status")?.textContent ?? ""), { timeout: 15_000 });
  assert.equal(await lib.evaluate(() => document.querySelectorAll("#items > li").length), 3);
  await ff.extPage.evaluate(() => browser.storage.local.get("settings").then(({ settings }) => browser.storage.local.set({ settings: { ...(settings ?? {}), neutralUrl: "http://127.0.0.1:9/neutral" } })));
  await lib.evaluate(() => document.getElementById("quick-exit").click());
  const origin = ff.origin;
  for (let i = 0; i < 300; i++) {
    const hrefs = await Promise.all((await ff.browser.pages()).map((p) => p.evaluate(() => location.href).catch(() => "")));
    if (!hrefs.some((h) => h.startsWith(origin))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail("extension tabs are still open after quick exit");
}
