// The standalone verifier (dist-release/verify.html, built by ./build.sh with the WASM
// core inlined): opened from a file:// URL, offline, in headless Chromium and Firefox, it
// passes a good archive and fails a tampered one, with the same findings as the CLI.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import puppeteer from "puppeteer-core";
import { chromium } from "playwright-core";
import { launch, openExtPage, send, tabIdOf, ROOT, CHROMIUM } from "./lib/extension.mjs";
import { FIREFOX, firefoxAvailable } from "./lib/firefox.mjs";
import { startServer } from "./lib/server.mjs";

const PAGE = path.join(ROOT, "dist-release", "verify.html");
const VERIFY_BIN = path.join(ROOT, "target", "release", "evidence-verify");
let work, good, tampered;

before(async () => {
  assert.ok(existsSync(PAGE), "dist-release/verify.html is built by ./build.sh");
  execFileSync("cargo", ["build", "--release", "--bin", "evidence-verify"], { cwd: ROOT, stdio: "inherit" });
  work = mkdtempSync(path.join(tmpdir(), "evidence-standalone-"));
  // A real archive from the extension: two captures, exported with initials.
  const srv = await startServer({ roots: { "/": "tests/fixtures/site" } });
  const ext = await launch();
  try {
    const lib = await openExtPage(ext, "library.html");
    for (const f of ["x-post.html", "intl-board.html"]) {
      const page = await ext.context.newPage();
      await page.goto(`${srv.url}/${f}`);
      assert.equal((await send(lib, { type: "capture", tabId: await tabIdOf(lib, page) })).ok, true);
      await page.close();
    }
    const b64 = await lib.evaluate(async () => {
      const { exportArchive } = await import(chrome.runtime.getURL("pages/library/export.js"));
      const res = await exportArchive({ initials: "JM" });
      const bytes = new Uint8Array(await res.blob.arrayBuffer());
      let s = "";
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(s);
    });
    good = path.join(work, "good.zip");
    const bytes = Buffer.from(b64, "base64");
    writeFileSync(good, bytes);
    // Tampered: one byte of the first capture's stored screenshot (its local header, then
    // the PNG signature, are found by name).
    const at = bytes.indexOf(Buffer.from("items/000000/screenshot.png")) + "items/000000/screenshot.png".length + 200;
    const bad = Buffer.from(bytes);
    bad[at] ^= 0x01;
    tampered = path.join(work, "tampered.zip");
    writeFileSync(tampered, bad);
  } finally {
    await ext.close();
    await srv.close();
  }
});
after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const cliJson = (file) => JSON.parse(spawnSync(VERIFY_BIN, [file, "--json"], { encoding: "utf8" }).stdout);

/** What the page shows, in the CLI's terms. */
const findings = (doc) => ({
  verdict: /^No —/.test(doc.verdict) ? "FAIL" : "PASS",
  summary: doc.summary,
  items: doc.rows.map((r) => [r.cells[0], r.cells[1], r.status]),
});
const cliFindings = (j) => ({
  verdict: j.verdict,
  summary: j.summary,
  items: j.items.map((i) => [i.reference ?? "", String(i.seq ?? i.path), i.status]),
});
const readPage = () => ({
  verdict: document.getElementById("verdict").textContent,
  signature: document.getElementById("signature-line").hidden ? null : document.getElementById("signature-line").textContent,
  summary: document.getElementById("summary").textContent,
  rows: [...document.querySelectorAll("#items tr")].map((tr) => ({ cells: [...tr.cells].map((c) => c.textContent), status: tr.dataset.status })),
});

async function checkIn(page, upload) {
  await page.goto(`file://${PAGE}`);
  await page.waitForFunction(() => document.body.dataset.ready === "true", { timeout: 30_000 });
  for (const [file, want] of [[good, "PASS"], [tampered, "FAIL"]]) {
    await upload(file);
    await page.click("#verify");
    await page.waitForFunction(() => !document.getElementById("result").hidden, { timeout: 60_000 });
    const shown = await page.evaluate(readPage);
    const got = findings(shown);
    assert.equal(got.verdict, want, JSON.stringify(shown));
    const cli = cliJson(file);
    assert.deepEqual(got, cliFindings(cli), "the same findings as the CLI");
    // The device signature (over manifest.json, so the tampered screenshot leaves it valid).
    assert.equal(cli.signature?.valid, true, JSON.stringify(cli.signature));
    assert.match(shown.signature ?? "", new RegExp(`^Device signature: valid\\. Key fingerprint ${cli.signature.key_fingerprint} `));
    if (want === "PASS") assert.deepEqual(shown.rows.map((r) => r.cells[0]), ["JM/1", "JM/2"]);
    else assert.ok(shown.rows.some((r) => r.status === "MODIFIED"), JSON.stringify(shown.rows));
  }
}

test("from file:// in Chromium: passes the good archive, fails the tampered one, as the CLI does", async () => {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const context = await browser.newContext({ offline: true });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await checkIn(page, (file) => page.setInputFiles("#file", file));
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test("from file:// in Firefox: the same", { skip: !firefoxAvailable() && "Firefox ESR is not installed" }, async () => {
  const browser = await puppeteer.launch({ browser: "firefox", executablePath: FIREFOX, headless: true, protocol: "webDriverBiDi", extraPrefsFirefox: { "network.proxy.type": 1, "network.proxy.http": "127.0.0.1", "network.proxy.http_port": 9 } });
  try {
    const page = await browser.newPage();
    await checkIn(page, async (file) => (await page.$("#file")).uploadFile(file));
  } finally {
    await browser.close();
  }
});

test("from file:// in Chromium: trusted timestamps are checked against the root given, as the CLI checks them", async () => {
  // A real test TSA's tokens, and a forgery over another head (crate/tests/tsp_archive.rs).
  const dir = path.join(work, "forged");
  execFileSync("cargo", ["test", "-q", "-p", "evidence-core", "--test", "tsp_archive", "write_forged_archives", "--", "--ignored"], {
    cwd: ROOT,
    env: { ...process.env, FORGED_DIR: dir },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const ca = path.join(dir, "ca.pem");
  const cliWithRoot = (file) => JSON.parse(spawnSync(VERIFY_BIN, [file, "--json", "--tsa-ca", ca], { encoding: "utf8" }).stdout);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
  try {
    const page = await (await browser.newContext({ offline: true })).newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const check = async (file, root) => {
      await page.goto(`file://${PAGE}`);
      await page.waitForFunction(() => document.body.dataset.ready === "true", { timeout: 30_000 });
      await page.setInputFiles("#file", file);
      if (root) await page.setInputFiles("#tsa-ca", root);
      await page.click("#verify");
      await page.waitForFunction(() => !document.getElementById("result").hidden, { timeout: 60_000 });
      return page.evaluate(() => ({
        verdict: document.getElementById("verdict").textContent,
        problems: document.getElementById("problems").textContent,
        stamps: [...document.querySelectorAll("#timestamps li")].map((li) => li.dataset.status),
      }));
    };
    const good = path.join(dir, "good.zip");
    const trusted = await check(good, ca);
    assert.ok(trusted.stamps.length > 0 && trusted.stamps.every((s) => s === "OK"), JSON.stringify(trusted));
    assert.deepEqual(trusted.stamps, cliWithRoot(good).timestamps.map((t) => t.status), "the same timestamps as the CLI");
    const untrusted = await check(good, null);
    assert.ok(untrusted.stamps.length > 0 && untrusted.stamps.every((s) => s === "UNTRUSTED"), JSON.stringify(untrusted));
    const forged = await check(path.join(dir, "other-head.zip"), ca);
    assert.match(forged.verdict, /^No — /, JSON.stringify(forged));
    assert.match(forged.problems, /another hash, not this ledger head/);
    assert.equal(cliWithRoot(path.join(dir, "other-head.zip")).verdict, "FAIL");
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
