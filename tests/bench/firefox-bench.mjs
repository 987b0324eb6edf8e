// Firefox capture benchmark, measured the same way as Chromium's (capture-bench.mjs):
// bare capture (screenshot + page snapshot alone, through the extension's own
// browser.js functions: tabs.captureTab + DOM serialisation, since Firefox has no
// pageCapture) interleaved with full captures (message sent -> committed), 30 each.
import { launchFirefox, firefoxAvailable } from "../lib/firefox.mjs";
import { startServer } from "../lib/server.mjs";
import { benchPage, median, sleep } from "./common.mjs";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const N = Number(process.env.BENCH_N || 30);
if (!firefoxAvailable()) {
  console.log("firefox-esr is not installed: skipped");
  console.log("BENCH {}");
  process.exit(0);
}
const dir = mkdtempSync(path.join(tmpdir(), "evidence-ffbench-"));
writeFileSync(path.join(dir, "feed.html"), benchPage());
const srv = await startServer({ roots: { "/": dir } });
const ff = await launchFirefox();
const { tabId } = await ff.openTab(`${srv.url}/feed.html`);

const bare = () =>
  ff.extPage.evaluate(async (id) => {
    const { captureScreenshot } = await import(browser.runtime.getURL("background/screenshot.js"));
    const { captureSnapshot } = await import(browser.runtime.getURL("background/snapshot.js"));
    const tab = await browser.tabs.get(id);
    const t0 = performance.now();
    await Promise.all([captureScreenshot(tab), captureSnapshot(tab)]);
    return performance.now() - t0;
  }, tabId);
const full = () =>
  ff.extPage.evaluate(async (id) => {
    const t0 = performance.now();
    const res = await browser.runtime.sendMessage({ type: "capture", tabId: id });
    if (!res.ok) throw new Error(JSON.stringify(res.error));
    return performance.now() - t0;
  }, tabId);

await full(); // settle
await bare();
const bareMs = [];
const fullMs = [];
for (let i = 0; i < N; i++) {
  await sleep(200);
  bareMs.push(await bare());
  await sleep(200);
  fullMs.push(await full());
}
const result = {
  ff_bare_capture_ms_p50: +median(bareMs).toFixed(1),
  ff_capture_to_stored_ms_p50: +median(fullMs).toFixed(1),
};
console.log(`Firefox ESR, 1280x800 page with ${(benchPage().length / 1024).toFixed(0)} KB of HTML; ${N} interleaved runs`);
console.log("| field | value |\n| --- | --- |");
for (const [k, v] of Object.entries(result)) console.log(`| ${k} | ${v} |`);
await ff.close();
await srv.close();
console.log(`BENCH ${JSON.stringify(result)}`);
