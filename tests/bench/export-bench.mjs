// Export and verification benchmark (./build.sh bench): a 1 GB library in the real
// extension is exported through the same code as the Export button; then the native CLI
// verifies the archive and `openssl dgst -sha256` hashes the same bytes, side by side.
import { launch, openExtPage, ROOT } from "../lib/extension.mjs";
import { median } from "./common.mjs";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const TOTAL_MB = Number(process.env.BENCH_EXPORT_MB || 1024);
const ITEM_MB = 16;
const VERIFY_BIN = path.join(ROOT, "target", "release", "evidence-verify");
if (!existsSync(VERIFY_BIN)) execFileSync("cargo", ["build", "--release", "--bin", "evidence-verify"], { cwd: ROOT, stdio: "inherit" });

const work = mkdtempSync(path.join(tmpdir(), "evidence-exportbench-"));
const ext = await launch();
const lib = await openExtPage(ext, "library.html");

// Seed: items of 16 MB pseudo-random "screenshots" (stored, not deflated, like real PNGs).
const seeded = await lib.evaluate(
  async ({ totalMb, itemMb }) => {
    const { core, coreReady, hashBytes } = await import(chrome.runtime.getURL("shared/core.js"));
    const store = await import(chrome.runtime.getURL("store/ledger.js"));
    await coreReady();
    let x = 0x9e3779b9;
    const n = Math.floor(totalMb / itemMb);
    for (let i = 0; i < n; i++) {
      const bytes = new Uint8Array(itemMb * 1024 * 1024);
      const words = new Uint32Array(bytes.buffer);
      for (let j = 0; j < words.length; j++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        words[j] = x >>> 0;
      }
      const sha256 = hashBytes(bytes);
      const meta = new TextEncoder().encode(JSON.stringify({ format: "evidence-capture-metadata/1", page: { url: `https://example.invalid/${i}` }, messages: [] }));
      const metaSha = hashBytes(meta);
      const draft = {
        id: `bench-${i}`, kind: "capture", captured_at_ms: Date.now(), local_offset_minutes: 0,
        artifacts: [
          { name: "screenshot.png", media_type: "image/png", bytes: bytes.length, sha256 },
          { name: "metadata.json", media_type: "application/json", bytes: meta.length, sha256: metaSha },
        ],
        metadata: { url: `https://example.invalid/${i}`, title: `bench ${i}`, site: "example.invalid", platform: "generic", message_count: 0, authors: [], excerpt: "", missing: [] },
      };
      await store.commitItem({
        seal: (head) => core.sealRecord(draft, head),
        blobs: [{ sha256, mediaType: "image/png", blob: new Blob([bytes]) }, { sha256: metaSha, mediaType: "application/json", bytes: meta }],
        summary: draft.metadata,
        genesis: core.genesis(),
      });
    }
    return n;
  },
  { totalMb: TOTAL_MB, itemMb: ITEM_MB },
);

// Export, sampling JS heap + WASM memory every 50 ms; then hand the archive over as a download.
const download = lib.waitForEvent("download", { timeout: 600_000 });
const run = await lib.evaluate(async () => {
  const { exportArchive, download } = await import(chrome.runtime.getURL("pages/library/export.js"));
  const { wasmMemoryBytes } = await import(chrome.runtime.getURL("shared/core.js"));
  let peak = 0;
  const sample = () => (peak = Math.max(peak, performance.memory.usedJSHeapSize + wasmMemoryBytes()));
  const timer = setInterval(sample, 50);
  const t0 = performance.now();
  const res = await exportArchive({});
  const ms = performance.now() - t0;
  sample();
  clearInterval(timer);
  download(res.blob, "bench.zip");
  return { ms, bytes: res.bytes, peak };
});
const file = path.join(work, "bench.zip");
await (await download).saveAs(file);
await ext.close();

// Native verification vs openssl over the same bytes, 3 runs each, interleaved.
const cliRuns = [];
const sslRuns = [];
for (let i = 0; i < 3; i++) {
  let t = process.hrtime.bigint();
  const r = spawnSync(VERIFY_BIN, [file], { encoding: "utf8" });
  cliRuns.push(Number(process.hrtime.bigint() - t) / 1e9);
  if (r.status !== 0) throw new Error(`evidence-verify failed: ${r.stdout}`);
  t = process.hrtime.bigint();
  execFileSync("openssl", ["dgst", "-sha256", file], { stdio: "ignore" });
  sslRuns.push(Number(process.hrtime.bigint() - t) / 1e9);
}
const size = statSync(file).size;
rmSync(work, { recursive: true, force: true });
const result = {
  export_mbps: +(run.bytes / 1e6 / (run.ms / 1000)).toFixed(1),
  export_peak_mem_mb: +(run.peak / 1048576).toFixed(1),
  verify_cli_mbps: +(size / 1e6 / median(cliRuns)).toFixed(1),
  openssl_sha256_mbps: +(size / 1e6 / median(sslRuns)).toFixed(1),
};
result.verify_vs_openssl = +(result.verify_cli_mbps / result.openssl_sha256_mbps).toFixed(3);
console.log(`library: ${seeded} items, ${(seeded * ITEM_MB).toFixed(0)} MB; archive ${(size / 1048576).toFixed(0)} MiB; export ${run.ms.toFixed(0)} ms`);
console.log("| field | value |\n| --- | --- |");
for (const [k, v] of Object.entries(result)) console.log(`| ${k} | ${v} |`);
console.log(`BENCH ${JSON.stringify(result)}`);
