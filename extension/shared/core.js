// @ts-check
// Loads the Rust/WASM core and exposes it to the extension's modules.
//
// Hashing is fed to WASM in slices: V8 first runs WASM in its baseline tier and only
// switches a function to optimised code between calls (there is no on-stack replacement
// for WASM), so one long call over a big screenshot would stay slow for its whole length.
// A short warm-up at start-up gets the optimised code compiled before the first capture.
import init, * as core from "../wasm/evidence_core.js";

const SLICE = 64 * 1024;
let readyPromise = null;
let wasmExports = null;

/** Bytes of WASM linear memory in use by the core (for memory benchmarks). */
export function wasmMemoryBytes() {
  return wasmExports?.memory?.buffer?.byteLength ?? 0;
}

/** Resolves once the WASM module is instantiated and warmed up. */
export function coreReady() {
  if (!readyPromise) {
    readyPromise = (async () => {
      wasmExports = await init({ module_or_path: new URL("../wasm/evidence_core_bg.wasm", import.meta.url) });
      if (isBackground()) warmUp(); // pages and workers don't capture: no need to pay for it there
      return core;
    })();
  }
  return readyPromise;
}

/** True in the capture worker: Chromium's service worker or Firefox's background page. */
function isBackground() {
  return "ServiceWorkerGlobalScope" in globalThis || globalThis.location?.pathname?.endsWith("/_generated_background_page.html") === true;
}

// Run the hot paths of a capture on dummy data so that V8 has optimised them before the
// first real capture (a worker that just woke up is exactly when a victim captures).
function warmUp() {
  const buf = new Uint8Array(512 * 1024);
  for (let round = 0; round < 2; round++) hashBytes(buf);
  const g = core.genesis();
  const raw = {
    platform: "x",
    page: { url: "https://example.invalid/a", title: "warm-up", og: { "og:title": "warm-up" } },
    env: { viewport: { width: 1, height: 1 }, device_pixel_ratio: 1, scroll: { x: 0, y: 0 } },
    messages: [{ author_name: "A", author_handle: "@a", text: "warm-up", time_text: "2h", time_datetime: "2026-01-01T00:00:00Z", permalink: "/a/status/1759241476758733209", visible: true }],
  };
  const ctx = { captured_at_ms: 1767225600000, local_offset_minutes: 0, trigger: "api", tab_url: "https://example.invalid/a", missing: [] };
  for (let i = 0; i < 30; i++) {
    const built = core.buildCapture(raw, ctx);
    const draft = {
      id: "warm-up",
      kind: "capture",
      captured_at_ms: ctx.captured_at_ms,
      local_offset_minutes: 0,
      artifacts: [{ name: "metadata.json", media_type: "application/json", bytes: built.metadataJson.length, sha256: hashBytes(built.metadataJson) }],
      metadata: built.summary,
    };
    core.sealRecord(draft, { seq: -1, recordSha256: g.record, chainSha256: g.chain });
  }
}

/** SHA-256 (lowercase hex) of a Uint8Array, fed to WASM in slices. */
export function hashBytes(bytes) {
  const h = new core.Hasher();
  try {
    for (let off = 0; off < bytes.length; off += SLICE) {
      h.update(bytes.subarray(off, Math.min(off + SLICE, bytes.length)));
    }
    return h.finish();
  } finally {
    h.free();
  }
}

/** SHA-256 of a Blob, read in slices so that large files never sit whole in memory. */
export async function hashBlob(blob, onProgress) {
  const h = new core.Hasher();
  const step = 8 * 1024 * 1024;
  try {
    for (let off = 0; off < blob.size; off += step) {
      const chunk = new Uint8Array(await blob.slice(off, off + step).arrayBuffer());
      for (let i = 0; i < chunk.length; i += SLICE) h.update(chunk.subarray(i, Math.min(i + SLICE, chunk.length)));
      onProgress?.(Math.min(off + step, blob.size), blob.size);
    }
    return h.finish();
  } finally {
    h.free();
  }
}

export { core };
