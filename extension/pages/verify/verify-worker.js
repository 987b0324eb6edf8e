// @ts-check
// Runs the archive verifier (Rust, WASM) off the page's main thread. FileReaderSync exists
// only in workers; it lets the verifier read the chosen File slice by slice, synchronously,
// so a 5 GB archive is checked without ever being loaded whole.
import { core, coreReady } from "../../shared/core.js";

self.onmessage = async (e) => {
  const { file, expectedHead, expectedFingerprint, tsaRoots } = e.data ?? {};
  try {
    if (!(file instanceof Blob)) throw new Error("no file was given");
    await coreReady();
    const reader = new (/** @type {any} */ (self).FileReaderSync)(); // workers only
    const read = (offset, length) => new Uint8Array(reader.readAsArrayBuffer(file.slice(offset, offset + length)));
    let last = 0;
    const progress = (done, total) => {
      const now = performance.now();
      if (now - last > 100 || done === total) {
        last = now;
        self.postMessage({ type: "progress", done, total });
      }
    };
    const report = core.verifyArchive(read, file.size, expectedHead || undefined, progress, expectedFingerprint || undefined, tsaRoots || undefined);
    self.postMessage({ type: "done", report });
  } catch (err) {
    self.postMessage({ type: "error", code: err?.code ?? "VERIFY_FAILED", message: String(err?.message ?? err) });
  }
};
