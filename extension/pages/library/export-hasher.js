// @ts-check
// The export's hashing worker: the SHA-256 of a stored artifact (a Blob from IndexedDB),
// with WebCrypto, on this worker's thread, while the page's thread feeds the same
// artifact's bytes to the core's ZIP writer (size and CRC-32). Only the hex digest goes
// back; whether it is the record's hash is decided by the core (endArtifactWithSha256).
// In Chromium crypto.subtle.digest does its work on the thread that calls it, so here it
// runs beside the writer instead of after it.

/** @param {ArrayBuffer} buf */
const hex = (buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");

self.onmessage = async (/** @type {MessageEvent<{id: number, blob: Blob}>} */ e) => {
  const { id, blob } = e.data;
  try {
    const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
    self.postMessage({ id, sha256: hex(digest) });
  } catch (err) {
    self.postMessage({ id, error: `${/** @type {Error} */ (err)?.name ?? "Error"}: ${/** @type {Error} */ (err)?.message ?? err}` });
  }
};
