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

// Seed: 16 MB pseudo-random "screenshots" (stored, not deflated, like real PNGs), each
// added as a user adds a file to the library (pages/library/add-files-ui.js addFile: the
// File is stored as a Blob, then its stored copy is read back and checked), so the
// library holds what that writer leaves: with this build, a stored CRC-32 per artifact
// (store/checksums.js). A capture's own artifacts are stored as bytes instead, which
// reads back much slower (the bare read below), so a Blob library is the harder case.
const { n: seeded, checksums } = await lib.evaluate(
  async ({ totalMb, itemMb }) => {
    const { addFile } = await import(chrome.runtime.getURL("pages/library/add-files-ui.js"));
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
      const { bad } = await addFile(new File([bytes], `screenshot-${i}.png`, { type: "image/png", lastModified: Date.now() }));
      if (bad.length) throw new Error(`the stored copy of ${bad} does not match`);
    }
    // The checksums that writer left (a build without the checksums store has none).
    const db = await (await import(chrome.runtime.getURL("store/db.js"))).openDb();
    if (!db.objectStoreNames.contains("checksums")) return { n, checksums: 0 };
    const checksums = await new Promise((resolve, reject) => {
      const req = db.transaction("checksums").objectStore("checksums").count();
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    return { n, checksums };
  },
  { totalMb: TOTAL_MB, itemMb: ITEM_MB },
);

// The bare read: the same artifacts read from IndexedDB the way the export reads them
// (ledger rows in pages, each blob in 4 MiB slices, the next slice requested while the
// current one is handled), with no ZIP and no hashing. Run before and after the export,
// and the faster of the two kept, so that a cold page cache cannot flatter the ratio.
const bareRead = () =>
  lib.evaluate(async () => {
    const { getBlob, getRowsFrom } = await import(chrome.runtime.getURL("store/ledger.js"));
    const SLICE = 4 * 1024 * 1024;
    const t0 = performance.now();
    let bytes = 0;
    let touched = 0;
    for (let from = 0; ; ) {
      const rows = await getRowsFrom(from, 200);
      if (!rows.length) break;
      for (const row of rows) {
        for (const a of row.artifacts ?? []) {
          const blob = await getBlob(a.sha256);
          const read = (off) => (off < blob.size ? blob.slice(off, off + SLICE).arrayBuffer() : null);
          let next = read(0);
          for (let off = 0; off < blob.size; off += SLICE) {
            const buf = new Uint8Array(await next);
            next = read(off + SLICE);
            touched += buf[buf.length - 1]; // use the bytes, so that nothing can skip reading them
            bytes += buf.length;
          }
        }
      }
      from = rows[rows.length - 1].seq + 1;
    }
    return { ms: performance.now() - t0, bytes, touched };
  });
const bareBefore = await bareRead();

// Export, sampling JS heap + WASM memory every 50 ms; then hand the archive over as a download.
const download = lib.waitForEvent("download", { timeout: 600_000 });
const exportOnce = (offer) => lib.evaluate(async (offer) => {
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
  if (offer) download(res.blob, "bench.zip");
  return { ms, bytes: res.bytes, peak };
}, offer);
const run = await exportOnce(true);
const file = path.join(work, "bench.zip");
await (await download).saveAs(file);
const bareAfter = await bareRead();
// Not a target: the same library without stored checksums (a library captured before
// they existed, whose export computes every CRC-32): the rows deleted, exported again.
let oldRun = null;
if (checksums > 0) {
  await lib.evaluate(async () => {
    const db = await (await import(chrome.runtime.getURL("store/db.js"))).openDb();
    const tx = db.transaction("checksums", "readwrite");
    tx.objectStore("checksums").clear();
    await new Promise((resolve, reject) => ((tx.oncomplete = resolve), (tx.onerror = reject)));
  });
  oldRun = await exportOnce(false);
}
// Where the export's time goes, on one 16 MiB buffer in the same page: SHA-256 in WASM
// (64 KiB slices, as the export hashes), the ZIP writer's stored path (copy into WASM +
// SHA-256 + CRC-32, 4 MiB chunks, as the export feeds it), and WebCrypto's SHA-256.
const profile = await lib.evaluate(async () => {
  const { core, coreReady, hashBytes } = await import(chrome.runtime.getURL("shared/core.js"));
  await coreReady();
  const buf = new Uint8Array(16 * 1024 * 1024).map((_, i) => (i * 2654435761) >>> 24);
  const mbps = (ms) => +(buf.length / 1e6 / (ms / 1000)).toFixed(1);
  const best = async (f) => {
    let min = Infinity;
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await f();
      min = Math.min(min, performance.now() - t);
    }
    return min;
  };
  const out = { wasm_sha256_mbps: mbps(await best(() => hashBytes(buf))), webcrypto_sha256_mbps: mbps(await best(() => crypto.subtle.digest("SHA-256", buf))) };
  if (typeof core.ZipWriter === "function") {
    out.zip_write_stored_mbps = mbps(
      await best(() => {
        const w = new core.ZipWriter();
        w.startEntry("a.png", false, 0);
        for (let off = 0; off < buf.length; off += 4 * 1024 * 1024) w.writeStored(buf.subarray(off, off + 4 * 1024 * 1024));
        w.endEntry();
        w.free();
      }),
    );
  }
  return out;
});
await ext.close();
const bare = [bareBefore, bareAfter].reduce((a, b) => (a.bytes / a.ms >= b.bytes / b.ms ? a : b));

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

// pdf_ms_100_items: a fresh library of 100 captures, each with a real 1280×800 PNG
// screenshot (drawn in an OffscreenCanvas) and three messages, exported with initials; the
// time of the builder's finish(), which lays out and writes report.pdf (decoding each
// screenshot, subsetting the font) besides report.html and the index files (a few ms).
const pdfExt = await launch();
const pdfLib = await openExtPage(pdfExt, "library.html");
const pdfRun = await pdfLib.evaluate(async () => {
  const { core, coreReady, hashBytes } = await import(chrome.runtime.getURL("shared/core.js"));
  const store = await import(chrome.runtime.getURL("store/ledger.js"));
  const { exportArchive } = await import(chrome.runtime.getURL("pages/library/export.js"));
  await coreReady();
  const enc = new TextEncoder();
  for (let i = 0; i < 100; i++) {
    const canvas = new OffscreenCanvas(1280, 800);
    const g = canvas.getContext("2d");
    g.fillStyle = "#fff";
    g.fillRect(0, 0, 1280, 800);
    for (let k = 0; k < 12; k++) {
      g.fillStyle = `hsl(${(i * 37 + k * 29) % 360} 40% 60%)`;
      g.fillRect(40, 40 + k * 60, 48, 48);
      g.fillStyle = "#222";
      g.font = "16px sans-serif";
      g.fillText(`Message ${k} of capture ${i}: I know where you live, Σε βλέπω, Я знаю`, 100, 70 + k * 60);
    }
    const png = new Uint8Array(await (await canvas.convertToBlob({ type: "image/png" })).arrayBuffer());
    const messages = [0, 1, 2].map((k) => ({ author: { name: `Person ${k}`, handle: `@person_${k}`, profile_url: `https://example.invalid/u/${k}` }, text: `Message ${k} of capture ${i}: I know where you live. Σε βλέπω. Я знаю, где ты живёшь.`, time: { utc: "2026-11-20T21:14:00.000Z" } }));
    const meta = enc.encode(JSON.stringify({ format: "evidence-capture-metadata/1", page: { url: `https://example.invalid/${i}`, final_url: `https://example.invalid/${i}`, title: `Page ${i}` }, platform: "generic", messages }));
    const [sha, metaSha] = [hashBytes(png), hashBytes(meta)];
    const draft = {
      id: `pdf-${i}`, kind: "capture", captured_at_ms: Date.now(), local_offset_minutes: 0,
      artifacts: [
        { name: "screenshot.png", media_type: "image/png", bytes: png.length, sha256: sha },
        { name: "metadata.json", media_type: "application/json", bytes: meta.length, sha256: metaSha },
      ],
      metadata: { url: `https://example.invalid/${i}`, title: `Page ${i}`, site: "example.invalid", platform: "generic", message_count: 3, authors: ["Person 0 (@person_0)"], excerpt: "Message 0", missing: [] },
    };
    await store.commitItem({
      seal: (head) => core.sealRecord(draft, head),
      blobs: [{ sha256: sha, mediaType: "image/png", blob: new Blob([png]) }, { sha256: metaSha, mediaType: "application/json", bytes: meta }],
      summary: draft.metadata,
      genesis: core.genesis(),
    });
  }
  const t0 = performance.now();
  const res = await exportArchive({ initials: "JM" });
  return { finishMs: res.finishMs, exportMs: performance.now() - t0, bytes: res.bytes };
});
await pdfExt.close();
console.log(`pdf: 100 captures exported in ${pdfRun.exportMs.toFixed(0)} ms (${(pdfRun.bytes / 1048576).toFixed(1)} MiB), finish() with report.pdf ${pdfRun.finishMs.toFixed(0)} ms`);
// export_mbps counts the archive's bytes; the bare read counts the artifacts' bytes (the
// archive's payload: records, report and manifests are small next to 16 MB artifacts).
const result = {
  export_mbps: +(run.bytes / 1e6 / (run.ms / 1000)).toFixed(1),
  export_bare_read_mbps: +(bare.bytes / 1e6 / (bare.ms / 1000)).toFixed(1),
  export_peak_mem_mb: +(run.peak / 1048576).toFixed(1),
  pdf_ms_100_items: +pdfRun.finishMs.toFixed(0),
  verify_cli_mbps: +(size / 1e6 / median(cliRuns)).toFixed(1),
  openssl_sha256_mbps: +(size / 1e6 / median(sslRuns)).toFixed(1),
};
result.verify_vs_openssl = +(result.verify_cli_mbps / result.openssl_sha256_mbps).toFixed(3);
result.export_ratio = +(result.export_mbps / result.export_bare_read_mbps).toFixed(3);
// Not a target (see above): the export of the same library without stored checksums.
const noChecksums = oldRun && { export_mbps: +(oldRun.bytes / 1e6 / (oldRun.ms / 1000)).toFixed(1) };
if (noChecksums) noChecksums.export_ratio = +(noChecksums.export_mbps / result.export_bare_read_mbps).toFixed(3);
console.log(`library: ${seeded} items, ${(seeded * ITEM_MB).toFixed(0)} MB, ${checksums} stored checksums; archive ${(size / 1048576).toFixed(0)} MiB; export ${run.ms.toFixed(0)} ms`);
if (noChecksums) console.log(`without stored checksums (an older library; not a target): export ${oldRun.ms.toFixed(0)} ms, ${noChecksums.export_mbps} MB/s, ratio ${noChecksums.export_ratio}`);
console.log(`NOCHECKSUMS ${JSON.stringify(noChecksums)}`);
// Not a target: the archive holds each screenshot twice (its item's file and its exhibits/
// copy), which export_mbps counts; the bare read reads each once. The export's time against
// the bare read's for the same stored bytes, each read once:
console.log(`export time vs bare read of the same stored bytes (not a target): ${(bare.ms / run.ms).toFixed(3)}${oldRun ? `, without stored checksums ${(bare.ms / oldRun.ms).toFixed(3)}` : ""}`);
console.log(`bare read: ${(bareBefore.bytes / 1048576).toFixed(0)} MiB in ${bareBefore.ms.toFixed(0)} ms before the export, ${bareAfter.ms.toFixed(0)} ms after`);
console.log(`profile (16 MiB, best of 5): ${JSON.stringify(profile)}`);
console.log("| field | value |\n| --- | --- |");
for (const [k, v] of Object.entries(result)) console.log(`| ${k} | ${v} |`);
console.log(`BENCH ${JSON.stringify(result)}`);
