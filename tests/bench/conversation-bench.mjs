// Whole-conversation benchmark (issue 11) in the real extension (./build.sh bench): a
// 200-message virtualised Discord-like channel (tests/fixtures/conversation), captured whole,
// click (the capture message) to committed. The floor is the screens it took divided by the
// browser's capture rate (MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND): everything above it is
// overhead. Peak memory: the proportional set size (PSS) of the extension's renderer process
// (the worker and the library page) plus the fixture page's renderer, sampled every 100 ms
// from /proc/PID/smaps_rollup (Linux) during the capture. Prints a table and, as its last line, "BENCH {json}".
import { readdirSync, readFileSync } from "node:fs";
import { launch, openExtPage, send, tabIdOf } from "../lib/extension.mjs";
import { startServer } from "../lib/server.mjs";

const N = Number(process.env.BENCH_CONVERSATION_N || 200);
const srv = await startServer({ roots: { "/": "tests/fixtures/conversation" } });
const ext = await launch();
const lib = await openExtPage(ext, "library.html");
const page = await ext.context.newPage();
await page.goto(`${srv.url}/discord-channel.html?n=${N}`);
await page.waitForFunction(() => document.querySelectorAll("#list li").length > 3);
await page.bringToFront();
const tabId = await tabIdOf(lib, page);
const rate = await lib.evaluate(() => chrome.tabs.MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND ?? 2);

/** This browser's processes: {pid, ppid, rss (their PSS, bytes), args (one string)} for its main process and descendants. */
function ourProcesses() {
  const procs = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      // Chromium rewrites its children's command lines into one space-joined string.
      const args = readFileSync(`/proc/${d}/cmdline`, "utf8").replaceAll("\0", " ");
      // Proportional set size: shared pages (the browser binary, fonts) are split among the
      // processes that map them, so they are not counted whole for each.
      const pss = Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${d}/smaps_rollup`, "utf8"))?.[1] ?? 0) * 1024;
      procs.push({ pid: Number(d), ppid, args, rss: pss });
    } catch {
      // gone meanwhile
    }
  }
  const main = procs.find((p) => p.args.includes(`--user-data-dir=${ext.profileDir}`) && !p.args.includes("--type="));
  if (!main) return [];
  const ours = new Set([main.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs) if (!ours.has(p.pid) && ours.has(p.ppid)) (ours.add(p.pid), (grew = true));
  }
  return procs.filter((p) => ours.has(p.pid));
}
function workerAndPageBytes() {
  const renderers = ourProcesses().filter((p) => p.args.includes("--type=renderer"));
  const extension = renderers.filter((p) => p.args.includes("--extension-process")).reduce((n, p) => n + p.rss, 0);
  const pages = renderers.filter((p) => !p.args.includes("--extension-process")).map((p) => p.rss);
  return extension + Math.max(0, ...pages);
}

const before = workerAndPageBytes();
let peak = before;
const timer = setInterval(() => (peak = Math.max(peak, workerAndPageBytes())), 100);
const t0 = performance.now();
const res = await send(lib, { type: "capture", tabId, scope: "conversation" });
const seconds = (performance.now() - t0) / 1000;
clearInterval(timer);
peak = Math.max(peak, workerAndPageBytes());
await ext.close();
await srv.close();
if (!res.ok || !res.complete || res.messages !== N) {
  console.error("the capture did not complete", JSON.stringify(res));
  process.exit(1);
}
const floor = res.segments / rate;
const result = {
  conversation_200_s: +seconds.toFixed(2),
  conversation_floor_s: +floor.toFixed(2),
  conversation_ratio: +(seconds / floor).toFixed(2),
  conversation_peak_mb: +(peak / 1048576).toFixed(1),
};
console.log(`| conversation (${N} messages, ${res.segments} screens, ${rate}/s) | ${seconds.toFixed(2)} s (floor ${floor.toFixed(2)} s), peak ${(peak / 1048576).toFixed(1)} MB (${(before / 1048576).toFixed(1)} MB before) |`);
console.log(`BENCH ${JSON.stringify(result)}`);
