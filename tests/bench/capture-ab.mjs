// Capture A/B (not part of ./build.sh bench): several builds side by side in ONE run, so that
// machine noise hits them alike. Each build gets its own Chromium (kept open); every round
// takes one bare capture (captureVisibleTab + saveAsMHTML, exactly as capture-bench.mjs) and
// one full capture (click to committed) per build, interleaved, 0.5 s apart (each build has
// its own captureVisibleTab quota). Prints per build: medians of bare, full, their ratio, and
// of the pipeline's own part timings.
//   DISTS=/path/to/main-dist,dist N=25 node tests/bench/capture-ab.mjs
import { launch, openExtPage, tabIdOf, serviceWorker } from "../lib/extension.mjs";
import { startServer } from "../lib/server.mjs";
import { benchPage, median, sleep } from "./common.mjs";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
const N = Number(process.env.N || 20);
const dir = mkdtempSync(path.join(tmpdir(), "evidence-bench-"));
writeFileSync(path.join(dir, "feed.html"), benchPage());
const srv = await startServer({ roots: { "/": dir } });
const sides = [];
for (const dist of (process.env.DISTS ?? "dist").split(",").map((d) => path.resolve(d))) {
  const ext = await launch({ dist });
  const lib = await openExtPage(ext, "library.html");
  const page = await ext.context.newPage();
  await page.goto(`${srv.url}/feed.html`);
  const tabId = await tabIdOf(lib, page);
  await page.bringToFront();
  const bare = async () => (await serviceWorker(ext.context)).evaluate(async (id) => { const tab = await chrome.tabs.get(id); const t0 = performance.now(); await Promise.all([chrome.tabs.captureVisibleTab(tab.windowId, { format: "png" }), chrome.pageCapture.saveAsMHTML({ tabId: id })]); return performance.now() - t0; }, tabId);
  const full = async () => lib.evaluate(async (id) => { const t0 = performance.now(); const res = await chrome.runtime.sendMessage({ type: "capture", tabId: id }); if (!res.ok) throw new Error(JSON.stringify(res.error)); return { ms: performance.now() - t0, t: res.timings }; }, tabId);
  await full();
  sides.push({ dist, ext, bare, full, b: [], f: [], parts: [] });
}
for (let i = 0; i < N; i++) {
  for (const s of sides) { await sleep(500); s.b.push(await s.bare()); }
  for (const s of sides) { await sleep(500); const r = await s.full(); s.f.push(r.ms); s.parts.push(r.t); }
}
for (const s of sides) {
  const m = (k) => median(s.parts.map((p) => k(p))).toFixed(1);
  console.log(`${path.basename(s.dist)} bare ${median(s.b).toFixed(1)} full ${median(s.f).toFixed(1)} ratio ${(median(s.f) / median(s.b)).toFixed(3)} | partsBare ${m((p) => p.bareMs)} shot ${m((p) => p.partMs.screenshot)} snap ${m((p) => p.partMs.snapshot)} facts ${m((p) => p.partMs.facts)} store ${m((p) => p.storeMs)} total ${m((p) => p.totalMs)} hash ${m((p) => p.hashMs)}`);
  await s.ext.close();
}
await srv.close();
