// Capture benchmark in the real extension (./build.sh bench).
// A 1280x800 page with a few hundred KB of DOM; bare capture (captureVisibleTab +
// saveAsMHTML alone), the three parts alone (bare plus the page facts) and full capture
// (click to committed) are measured side by side, interleaved, 30 times each, so that machine noise hits both alike. Prints a table and,
// as its last line, "BENCH {json}".
import { launch, openExtPage, send, tabIdOf, serviceWorker, stopServiceWorker } from "../lib/extension.mjs";
import { startServer } from "../lib/server.mjs";
import { benchPage, median, pct, sleep } from "./common.mjs";
import { EXTRACTOR_FILES } from "../../extension/content/files.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const N = Number(process.env.BENCH_N || 30);
const COLD_RUNS = Number(process.env.BENCH_COLD || 5);

const dir = mkdtempSync(path.join(tmpdir(), "evidence-bench-"));
writeFileSync(path.join(dir, "feed.html"), benchPage());
const srv = await startServer({ roots: { "/": dir } });
const ext = await launch();
const lib = await openExtPage(ext, "library.html");
if (process.env.BENCH_DEBUG) ext.context.on("serviceworker", (w) => w.on("console", (m) => console.log("SW:", m.text())));
if (process.env.BENCH_DEBUG) ext.sw.on("console", (m) => console.log("SW:", m.text()));
const page = await ext.context.newPage();
await page.goto(`${srv.url}/feed.html`);
const domBytes = await page.evaluate(() => document.documentElement.outerHTML.length);
const tabId = await tabIdOf(lib, page);
await page.bringToFront();

// Chromium allows 2 captureVisibleTab calls per second: keep calls 1 s apart so
// neither side waits on the quota.
async function bare() {
  const sw = await serviceWorker(ext.context);
  return sw.evaluate(async (id) => {
    const tab = await chrome.tabs.get(id);
    const t0 = performance.now();
    await Promise.all([chrome.tabs.captureVisibleTab(tab.windowId, { format: "png" }), chrome.pageCapture.saveAsMHTML({ tabId: id })]);
    return performance.now() - t0;
  }, tabId);
}
// The three parts a capture takes, alone: bare plus the page facts (the extractor injected
// as background/page-facts.js does). Not a target: it says how much of the overhead is the
// pipeline's own (hashing, checks, the commit) rather than the page facts' share of the cores.
async function parts() {
  const sw = await serviceWorker(ext.context);
  return sw.evaluate(async ({ id, files }) => {
    const tab = await chrome.tabs.get(id);
    const t0 = performance.now();
    await Promise.all([chrome.tabs.captureVisibleTab(tab.windowId, { format: "png" }), chrome.pageCapture.saveAsMHTML({ tabId: id }), chrome.scripting.executeScript({ target: { tabId: id }, files })]);
    return performance.now() - t0;
  }, { id: tabId, files: EXTRACTOR_FILES });
}
async function full() {
  return lib.evaluate(async (id) => {
    const t0 = performance.now();
    const res = await chrome.runtime.sendMessage({ type: "capture", tabId: id });
    if (!res.ok) throw new Error(JSON.stringify(res.error));
    return { ms: performance.now() - t0, timings: res.timings };
  }, tabId);
}

// Cold: the first capture after the worker starts (worker stopped before each run).
const cold = [];
for (let i = 0; i < COLD_RUNS; i++) {
  await stopServiceWorker(ext, lib);
  await sleep(600);
  const r = await full();
  cold.push(r.timings.hashedBytes / 1e6 / (r.timings.hashMs / 1000));
}

await full(); // settle
const bareMs = [];
const partsMs = [];
const fullMs = [];
const warmMbps = [];
for (let i = 0; i < N; i++) {
  await sleep(1000);
  bareMs.push(await bare());
  await sleep(1000);
  partsMs.push(await parts());
  await sleep(1000);
  const r = await full();
  fullMs.push(r.ms);
  if (process.env.BENCH_DEBUG) console.log(JSON.stringify(r));
  warmMbps.push(r.timings.hashedBytes / 1e6 / (r.timings.hashMs / 1000));
}

// WebCrypto in the same worker over a buffer of the same order, for comparison.
const sw = await serviceWorker(ext.context);
const webcrypto = await sw.evaluate(async () => {
  const buf = new Uint8Array(16 * 1024 * 1024).map((_, i) => i * 7);
  const out = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    await crypto.subtle.digest("SHA-256", buf);
    out.push(buf.length / 1e6 / ((performance.now() - t0) / 1000));
  }
  return out;
});

const result = {
  bare_capture_ms_p50: +median(bareMs).toFixed(1),
  capture_to_stored_ms_p50: +median(fullMs).toFixed(1),
  capture_to_stored_ms_p95: +pct(fullMs, 95).toFixed(1),
  capture_overhead_ratio: +(median(fullMs) / median(bareMs)).toFixed(3),
  parts_capture_ms_p50: +median(partsMs).toFixed(1),
  capture_vs_parts_ratio: +(median(fullMs) / median(partsMs)).toFixed(3),
  hash_cold_mbps: +median(cold).toFixed(1),
  hash_warm_mbps: +median(warmMbps).toFixed(1),
  webcrypto_mbps: +median(webcrypto).toFixed(1),
};
console.log(`page: 1280x800, ${(domBytes / 1024).toFixed(0)} KB of DOM; ${N} interleaved runs, ${COLD_RUNS} cold runs`);
console.log("| field | value |\n| --- | --- |");
for (const [k, v] of Object.entries(result)) console.log(`| ${k} | ${v} |`);
await ext.close();
await srv.close();
console.log(`BENCH ${JSON.stringify(result)}`);
