// Restore benchmark (./build.sh bench): a 2 GB archive (BENCH_RESTORE_MB) exported by one
// profile is restored into a fresh profile through the library's Restore input, the way a
// person does it. restore_mbps: archive bytes / (verification + restore) time, until the
// one commit. restore_peak_mb: the peak resident memory of the extension's renderer
// process (the library page and its restore worker, WASM included), sampled from /proc
// every 100 ms, so nothing the page could under-report. (The browser's storage service,
// which writes IndexedDB, is a separate process and not counted.)
import { launch, openExtPage } from "../lib/extension.mjs";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const TOTAL_MB = Number(process.env.BENCH_RESTORE_MB || 2048);
const ITEM_MB = 16;
const work = mkdtempSync(path.join(tmpdir(), "evidence-restorebench-"));

/** Seed a library with TOTAL_MB of pseudo-random 16 MB artifacts and export it. */
async function makeArchive() {
  const ext = await launch();
  try {
    const lib = await openExtPage(ext, "library.html");
    await lib.evaluate(
      async ({ totalMb, itemMb }) => {
        const { core, coreReady, hashBytes } = await import(chrome.runtime.getURL("shared/core.js"));
        const store = await import(chrome.runtime.getURL("store/ledger.js"));
        await coreReady();
        let x = 0x2545f491;
        for (let i = 0; i < Math.floor(totalMb / itemMb); i++) {
          const bytes = new Uint8Array(itemMb * 1024 * 1024);
          const words = new Uint32Array(bytes.buffer);
          for (let j = 0; j < words.length; j++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            words[j] = x >>> 0;
          }
          const sha256 = hashBytes(bytes);
          const draft = { id: `rb-${i}`, kind: "capture", captured_at_ms: Date.now(), local_offset_minutes: 0, artifacts: [{ name: "screenshot.png", media_type: "image/png", bytes: bytes.length, sha256 }], metadata: { url: `https://example.invalid/${i}`, title: `bench ${i}`, site: "example.invalid", platform: "generic", message_count: 0, authors: [], excerpt: "", missing: [] } };
          await store.commitItem({ seal: (head) => core.sealRecord(draft, head), blobs: [{ sha256, mediaType: "image/png", blob: new Blob([bytes]) }], summary: draft.metadata, genesis: core.genesis() });
        }
      },
      { totalMb: TOTAL_MB, itemMb: ITEM_MB },
    );
    const download = lib.waitForEvent("download", { timeout: 900_000 });
    await lib.evaluate(async () => {
      const { exportArchive, download } = await import(chrome.runtime.getURL("pages/library/export.js"));
      const res = await exportArchive({});
      download(res.blob, "restore-bench.zip");
    });
    const file = path.join(work, "restore-bench.zip");
    await (await download).saveAs(file);
    return file;
  } finally {
    await ext.close();
  }
}

/** PIDs of the browser launched with `profileDir` and all its descendants. */
function processTree(profileDir) {
  const procs = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0");
      const ppid = Number(readFileSync(`/proc/${d}/stat`, "utf8").split(") ")[1].split(" ")[1]);
      procs.push({ pid: Number(d), ppid, cmd });
    } catch {
      // gone meanwhile
    }
  }
  const roots = procs.filter((p) => p.cmd.join(" ").includes(profileDir) && !/--type=/.test(p.cmd.join(" "))).map((p) => p.pid);
  const tree = new Set(roots);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs) if (tree.has(p.ppid) && !tree.has(p.pid)) (tree.add(p.pid), (grew = true));
  }
  return procs.filter((p) => tree.has(p.pid));
}

const rssMb = (pid) => {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    return kb / 1024;
  } catch {
    return 0;
  }
};

const file = await makeArchive();
const size = statSync(file).size;
const profileDir = mkdtempSync(path.join(tmpdir(), "evidence-restorebench-profile-"));
const ext = await launch({ profileDir });
let result;
try {
  const lib = await openExtPage(ext, "library.html");
  await lib.waitForSelector("body[data-ready=true]");
  // Chromium rewrites its argv into one string, so the flags are matched in the joined line.
  const renderers = () => processTree(profileDir).filter((p) => /--type=renderer\b/.test(p.cmd.join(" ")) && /--extension-process\b/.test(p.cmd.join(" ")));
  if (!renderers().length) throw new Error("the extension's renderer process was not found");
  const baseline = renderers().reduce((n, p) => n + rssMb(p.pid), 0);
  let peak = 0;
  // Which phase the peak belongs to: the page's progress label, read now and then.
  let phase = "verify";
  const peaks = { verify: 0, restore: 0 };
  const timer = setInterval(() => {
    const now = renderers().reduce((n, p) => n + rssMb(p.pid), 0);
    peak = Math.max(peak, now);
    peaks[phase] = Math.max(peaks[phase], now);
  }, 100);
  const phaseTimer = setInterval(() => {
    lib.evaluate(() => document.getElementById("restore-progress-label")?.textContent ?? "").then((t) => {
      if (t === "Restoring…") phase = "restore";
    }, () => {});
  }, 250);
  const t0 = Date.now();
  await lib.getByLabel(/^Restore/).setInputFiles(file);
  await lib.waitForFunction(() => /^(Restored|Not restored|Nothing)/.test(document.getElementById("restore-message")?.textContent ?? ""), null, { timeout: 1_800_000, polling: 200 });
  const ms = Date.now() - t0;
  clearInterval(timer);
  clearInterval(phaseTimer);
  const text = await lib.textContent("#restore-message");
  if (!/^Restored/.test(text)) throw new Error(`the restore failed: ${text}`);
  // restore_baseline_mb: the same process with the library open, before the restore.
  result = { restore_mbps: +(size / 1e6 / (ms / 1000)).toFixed(1), restore_peak_mb: +peak.toFixed(1), restore_baseline_mb: +baseline.toFixed(1) };
  console.log(`archive ${(size / 1048576).toFixed(0)} MiB restored in ${ms} ms: ${text}`);
  console.log(`peak RSS while verifying: ${peaks.verify.toFixed(0)} MB; while restoring: ${peaks.restore.toFixed(0)} MB`);
} finally {
  await ext.close();
  rmSync(profileDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
}
console.log("| field | value |\n| --- | --- |");
for (const [k, v] of Object.entries(result)) console.log(`| ${k} | ${v} |`);
console.log(`BENCH ${JSON.stringify(result)}`);
