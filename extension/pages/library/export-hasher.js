// @ts-check
// The export's reading and hashing worker: it reads a stored artifact (a Blob from
// IndexedDB), computes its SHA-256 with WebCrypto on this worker's thread, and hands the
// bytes over (transferred, not copied) with the hex digest; the page's thread feeds those
// bytes to the core's ZIP writer (size and CRC-32) while this one reads and hashes the
// next. Whether the digest is the record's hash is decided by the core
// (endArtifactWithSha256). In Chromium crypto.subtle.digest does its work on the thread
// that calls it, so here it runs beside the writer instead of before it.

/** @param {ArrayBuffer} buf */
const hex = (buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");

self.onmessage = async (/** @type {MessageEvent<{id: number, blob: Blob}>} */ e) => {
  const { id, blob } = e.data;
  try {
    const buffer = await blob.arrayBuffer();
    const digest = await crypto.subtle.digest("SHA-256", buffer);
    self.postMessage({ id, sha256: hex(digest), buffer }, { transfer: [buffer] });
  } catch (err) {
    self.postMessage({ id, error: `${/** @type {Error} */ (err)?.name ?? "Error"}: ${/** @type {Error} */ (err)?.message ?? err}` });
  }
};
