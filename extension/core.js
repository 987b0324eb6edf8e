// Loads the Rust/WASM core and exposes it to the extension's modules.
//
// Hashing is fed to WASM in slices: V8 first runs WASM in its baseline tier and only
// switches a function to optimised code between calls (there is no on-stack replacement
// for WASM), so one long call over a big screenshot would stay slow for its whole length.
// A short warm-up at start-up gets the optimised code compiled before the first capture.
import init, * as core from "./wasm/evidence_core.js";

const SLICE = 64 * 1024;
let readyPromise = null;

/** Resolves once the WASM module is instantiated and warmed up. */
export function coreReady() {
  if (!readyPromise) {
    readyPromise = (async () => {
      await init({ module_or_path: new URL("./wasm/evidence_core_bg.wasm", import.meta.url) });
      warmUp();
      return core;
    })();
  }
  return readyPromise;
}

function warmUp() {
  const buf = new Uint8Array(512 * 1024);
  for (let round = 0; round < 2; round++) hashBytes(buf);
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
