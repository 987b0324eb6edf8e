// Issue 10, findings 1 and 7: the Firefox page.html snapshot must be inert, and taking it
// must not make the page fetch anything. Real Firefox ESR with the extension, a hostile
// fixture page, the stored page.html read raw from IndexedDB, then opened from a file://
// URL in Chromium and in Firefox while every request is recorded.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM, readStore } from "../lib/extension.mjs";
import { firefoxAvailable } from "../lib/firefox.mjs";
import { launchFirefoxGranted, sleep, startRecorder } from "./lib.mjs";

let ff, rec, work;
const saved = {}; // fixture file -> page.html text

before(async () => {
  if (!firefoxAvailable()) return;
  rec = await startRecorder();
  ff = await launchFirefoxGranted();
  work = mkdtempSync(path.join(tmpdir(), "evidence-hostile-snap-"));
});
after(async () => {
  await ff?.close();
  await rec?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function captureInFirefox(file) {
  const { page, tabId } = await ff.openTab(`${rec.url}/${file}`);
  const res = await ff.send({ type: "capture", tabId });
  await page.close();
  assert.equal(res.ok, true, `capturing ${file} in Firefox: ${JSON.stringify(res)}`);
  const dump = await readStore(ff.extPage);
  const row = dump.records.find((r) => r.id === res.item.id);
  const record = JSON.parse(row.bytes.toString("utf8"));
  const art = record.artifacts.find((a) => a.name === "page.html");
  assert.ok(art, `the Firefox capture of ${file} has a page.html (artifacts: ${record.artifacts.map((a) => a.name)})`);
  return dump.blobs.find((b) => b.sha256 === art.sha256).data.toString("utf8");
}

async function snapshot(file) {
  saved[file] ??= await captureInFirefox(file);
  return saved[file];
}

test("1.1 Firefox snapshot is inert: page.html keeps no handler, frame, object, refresh, base, javascript: or remote URL", async (t) => {
  if (!ff) return t.skip("firefox-esr is not installed");
  const html = await snapshot("hostile-snapshot.html");
  const refresh = await snapshot("refresh.html");
  assert.match(html, /I know where you live/, "the evidence text is still in the snapshot");
  const found = [];
  const check = (what, re, text = html) => {
    const m = text.match(re);
    if (m) found.push(`${what}: …${m[0].slice(0, 80)}…`);
  };
  check("an on* event-handler attribute", /<[^>]*\son[a-z]+\s*=/i);
  check("an iframe", /<iframe\b/i);
  check("a srcdoc attribute", /\ssrcdoc\s*=/i);
  check("an object", /<object\b/i);
  check("an embed", /<embed\b/i);
  check("a <base>", /<base\b/i);
  // In an attribute (the fixture's own evidence TEXT says "a javascript: link", and text stays).
  check("a javascript: URL", /<[^>]*=\s*["']?\s*javascript:/i);
  check("a <script>", /<script\b/i);
  check("a remote stylesheet <link>", /<link\b[^>]*stylesheet/i);
  check("a URL of the harasser's server (beacon)", new RegExp(rec.beacon.replace(/[.:/]/g, "\\$&")));
  check("a meta refresh (in refresh.html's snapshot)", /http-equiv\s*=\s*["']?refresh/i, refresh);
  assert.deepEqual(found, [], `finding 1: the stored page.html must be inert, but it still has:\n  ${found.join("\n  ")}`);
});

test("1.2 Firefox snapshot is inert: a Content-Security-Policy meta with default-src 'none' is the first element in <head>", async (t) => {
  if (!ff) return t.skip("firefox-esr is not installed");
  const html = await snapshot("hostile-snapshot.html");
  const head = html.match(/<head\b[^>]*>\s*(<[^>]+>)/i);
  assert.ok(head, "page.html has a <head> with an element in it");
  const first = head[1];
  assert.match(first, /^<meta\b[^>]*http-equiv\s*=\s*["']?Content-Security-Policy/i, `finding 1: the first element in <head> must be the CSP meta; it is ${first}`);
  assert.match(first, /default-src\s+'none'/, `finding 1: the CSP must say default-src 'none': ${first}`);
});

/** Open a saved snapshot from file:// and report what ran and what was requested. */
async function openSaved(kind, file, openPage) {
  const html = await snapshot(file);
  const p = path.join(work, `${kind}-${file}`);
  writeFileSync(p, html);
  const t0 = Date.now();
  const seen = [];
  const { title, close } = await openPage(pathToFileURL(p).href, seen);
  await close();
  const server = rec.since(t0).map((r) => `${r.host}${r.path}${r.query}`);
  return { title, server, browser: seen.filter((u) => !/^(file|data|blob|about):/.test(u)) };
}

async function inChromium(url, seen) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
  const page = await browser.newPage();
  page.on("request", (r) => seen.push(r.url()));
  await page.goto(url, { waitUntil: "load" }).catch((e) => seen.push(`navigation error: ${e.message}`));
  await sleep(4500); // longer than the fixture's 3 s meta refresh
  const title = await page.title().catch(() => "(page gone)");
  const finalUrl = page.url();
  if (!finalUrl.startsWith("file:")) seen.push(`navigated to ${finalUrl}`);
  return { title, close: () => browser.close() };
}

async function inFirefox(url, seen) {
  const page = await ff.browser.newPage();
  await page.goto(url, { waitUntil: "load" }).catch((e) => seen.push(`navigation error: ${e.message}`));
  await sleep(4500);
  const title = await page.evaluate(() => document.title).catch(() => "(page gone)");
  const finalUrl = await page.evaluate(() => location.href).catch(() => "");
  if (!finalUrl.startsWith("file:")) seen.push(`navigated to ${finalUrl}`);
  return { title, close: () => page.close() };
}

for (const [n, kind, opener] of [
  ["1.3", "Chromium", inChromium],
  ["1.4", "Firefox", inFirefox],
]) {
  test(`${n} Firefox snapshot is inert: the saved page.html opened from file:// in ${kind} runs no script and sends no request`, { timeout: 120_000 }, async (t) => {
    if (!ff) return t.skip("firefox-esr is not installed");
    const problems = [];
    for (const file of ["hostile-snapshot.html", "refresh.html"]) {
      const r = await openSaved(kind, file, opener);
      // The fixture's handlers also run in the LIVE page while it is captured (it is an http:
      // page), so the title stored in the snapshot may already say PWNED: a handler ran in the
      // saved copy only if the title changed from the stored one.
      const stored = ((await snapshot(file)).match(/<title>([^<]*)<\/title>/i)?.[1] ?? "").replace(/&amp;/g, "&");
      if (/PWNED/.test(r.title) && r.title !== stored) problems.push(`${file}: a handler ran (title became ${JSON.stringify(r.title)})`);
      for (const s of r.server) problems.push(`${file}: request reached the test server: ${s}`);
      for (const u of r.browser) problems.push(`${file}: ${kind} requested ${u}`);
    }
    assert.deepEqual(problems, [], `finding 1: opening the saved snapshot in ${kind} must be inert, but:\n  ${problems.join("\n  ")}`);
  });
}

test("7.1 Firefox snapshot makes no request at capture time: a loading=lazy beacon below the fold stays unloaded", async (t) => {
  if (!ff) return t.skip("firefox-esr is not installed");
  const { page, tabId } = await ff.openTab(`${rec.url}/lazy-beacon.html`);
  await sleep(1000);
  const lazy = () => rec.beacons().filter((r) => r.query.includes("lazy"));
  assert.deepEqual(lazy(), [], "sanity: the lazy images below the fold did not load with the page");
  const t0 = Date.now();
  const res = await ff.send({ type: "capture", tabId });
  assert.equal(res.ok, true, JSON.stringify(res));
  await sleep(2000);
  await page.close();
  const hits = lazy().filter((r) => r.at >= t0);
  assert.deepEqual(
    hits.map((r) => r.query),
    [],
    `finding 7: capturing the page told the harasser's server the moment of capture (${hits.length} lazy-image request(s) during the Firefox snapshot)`,
  );
});
