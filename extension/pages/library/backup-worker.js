// @ts-check
// Encrypts a finished archive (a Blob) into an age backup off the page's thread: scrypt
// takes a few seconds, and the archive is read in slices (FileReaderSync), so it is never
// held whole. Messages: {type: "progress", done, total}, {type: "done", blob},
// {type: "error", code, message}.
import { core, coreReady } from "../../shared/core.js";

const SLICE = 4 * 1024 * 1024;
const FLUSH = 32 * 1024 * 1024;

self.onmessage = async (e) => {
  const { archive, passphrase } = e.data ?? {};
  try {
    await coreReady();
    const reader = new (/** @type {any} */ (self).FileReaderSync)();
    const w = new core.BackupWriter(passphrase);
    try {
      let blob = new Blob([]);
      /** @type {Uint8Array[]} */
      let parts = [];
      let pending = 0;
      const push = (/** @type {Uint8Array} */ b) => {
        if (!b.length) return;
        parts.push(b);
        pending += b.length;
        if (pending >= FLUSH) {
          blob = new Blob([blob, .../** @type {BlobPart[]} */ (parts)]);
          parts = [];
          pending = 0;
        }
      };
      for (let off = 0; off < archive.size; off += SLICE) {
        push(w.push(new Uint8Array(reader.readAsArrayBuffer(archive.slice(off, off + SLICE)))));
        self.postMessage({ type: "progress", done: Math.min(off + SLICE, archive.size), total: archive.size });
      }
      push(w.finish());
      self.postMessage({ type: "done", blob: new Blob([blob, .../** @type {BlobPart[]} */ (parts)], { type: "application/octet-stream" }) });
    } finally {
      w.free();
    }
  } catch (err) {
    const x = /** @type {any} */ (err);
    self.postMessage({ type: "error", code: x?.code ?? "BACKUP_FAILED", message: String(x?.message ?? x) });
  }
};
