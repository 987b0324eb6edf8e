// @ts-check
// Export an evidence archive (format evidence-archive/1): a pump from IndexedDB into the
// core's sans-IO ArchiveBuilder (crate/src/archive/builder.rs), which decides the order of
// entries, the items/NNNNNN layout, the index files and every evidence check. This module
// only moves bytes: it reads what the builder asks for next and appends what the builder
// returns to a Blob built up part by part, so neither the JS heap nor WASM memory ever
// holds the whole archive. Items outside the selection are withheld: their hashes stay
// in the ledger.
import { core, coreReady } from "../../shared/core.js";
import { getBlob, getHead, getRowsFrom } from "../../store/ledger.js";
import { getChecksum } from "../../store/checksums.js";
import { listTokens } from "../../store/timestamps.js";
import { deviceKeySecret } from "../../store/device-key.js";
import { getSettings } from "../../shared/settings.js";

/** With "Independent proof of time" on, timestamp the head before exporting (at most
 *  25 s; a failure only means the export goes without a fresh token). */
async function timestampBeforeExport() {
  if (!(await getSettings()).tsaEnabled) return;
  const asked = api.runtime.sendMessage({ type: "timestamp" }).catch((/** @type {Error} */ e) => ({ ok: false, error: { message: e.message } }));
  const res = await Promise.race([asked, new Promise((r) => setTimeout(() => r({ ok: false, error: { message: "no answer in time" } }), 25_000))]);
  if (!res?.ok) console.warn("export: no fresh timestamp", res?.error?.message);
}
import { putMeta } from "../../store/db.js";
import { api } from "../../shared/browser.js";

const SLICE = 4 * 1024 * 1024; // read artifacts from IndexedDB in 4 MiB slices
// An artifact up to this size is read whole, the next one read ahead while it is written.
// A stored one is hashed with WebCrypto (about 3x the speed of the core's SHA-256 in WASM)
// in a worker (export-hasher.js), while this thread feeds its bytes to the core, which
// counts size and CRC-32; the core still decides whether that hash is the record's
// (endArtifactWithSha256). Its bytes go into the archive as the stored Blob itself (no
// copy). When its CRC-32 was stored with it (store/checksums.js), the core takes the
// worker's digest and that row instead of the bytes (storedArtifactKnown: it refuses a
// digest that is not the record's hash and ignores a damaged row), so this thread
// computes nothing for it. Bigger artifacts (a long video) are streamed in slices and hashed by the core, so
// memory stays flat whatever their size.
const WHOLE = 64 * 1024 * 1024;
const AHEAD = 40 * 1024 * 1024; // bytes read ahead of the one being written (at least one artifact)
const FLUSH = 32 * 1024 * 1024; // fold pending output into the Blob every 32 MiB
const PAGE = 200; // records read per IndexedDB request

/** Thrown when the user cancels; nothing is left behind. */
export class ExportCancelled extends Error {
  constructor() {
    super("The export was cancelled. Nothing was saved.");
    this.code = "CANCELLED";
  }
}

class Output {
  constructor() {
    this.blob = new Blob([]);
    /** @type {BlobPart[]} */
    this.pending = [];
    this.pendingBytes = 0;
    this.total = 0;
  }
  /** @param {Uint8Array} bytes */
  push(bytes) {
    if (!bytes || bytes.length === 0) return;
    this.pending.push(/** @type {Uint8Array<ArrayBuffer>} */ (bytes));
    this.pendingBytes += bytes.length;
    this.total += bytes.length;
    if (this.pendingBytes >= FLUSH) this.flush();
  }
  /** A stored Blob, appended by reference (its bytes stay in the browser's blob store). @param {Blob} blob */
  pushBlob(blob) {
    this.pending.push(blob);
    this.total += blob.size;
  }
  flush() {
    // A Blob made from a Blob and byte arrays refers to the old parts; the browser's blob
    // store keeps them (spilling to disk when large), not the JS heap.
    this.blob = new Blob([this.blob, ...this.pending], { type: "application/zip" });
    this.pending = [];
    this.pendingBytes = 0;
  }
  finish() {
    this.flush();
    return this.blob;
  }
}

/**
 * Export. `include(row)` decides which items are shared (default: all). Returns
 * {blob, filename, head, counts: {total, included, withheld, removed}, bytes, archiveBytes,
 * warnings, finishMs (the time the index files, report.html and report.pdf took)}. `onProgress({items, totalItems, bytes, totalBytes})`; `signal` is an AbortSignal.
 * `initials` label the items as exhibits (JM/1 is item 0; see crate/src/exhibits.rs);
 * `statement` {name, account} fills the witness's parts of statement.html.
 * @param {{include?: (row: any) => boolean, exportedBy?: string | null, initials?: string | null, statement?: {name: string | null, account: string | null} | null, onProgress?: (p: {items: number, totalItems: number, bytes: number, totalBytes: number}) => void, signal?: AbortSignal, now?: number}} [options]
 */
export async function exportArchive({ include = () => true, exportedBy = null, initials = null, statement = null, onProgress, signal, now = Date.now() } = {}) {
  await coreReady();
  await timestampBeforeExport();
  const head = await getHead();
  const total = head ? head.seq + 1 : 0;
  const check = () => {
    if (signal?.aborted) throw new ExportCancelled();
  };

  // First pass: the plan (every stored row's hashes and export status), the record bytes
  // of included items, and the bytes to write (for progress). The builder checks the plan.
  const plan = [];
  /** @type {Map<number, Uint8Array>} */
  const recordBytes = new Map();
  /** The artifacts the builder is expected to ask for, in order (for reading ahead only). @type {{sha256: string, bytes: number}[]} */
  const expected = [];
  let totalBytes = 0;
  for (let from = 0; from < total; from += PAGE) {
    check();
    for (const row of await getRowsFrom(from, PAGE)) {
      // A removal record always goes with the export: the verifier accepts an item marked
      // removed only when the record of its deletion is in the archive (the builder refuses
      // an export without it), so a deletion can't pass for a withheld or missing item.
      // A placeholder left by a restore (the archive withheld the item) can only be withheld.
      const status = row.withheld ? "withheld" : row.removed || !row.bytes ? "removed" : row.kind === "removal" || include(row) ? "included" : "withheld";
      plan.push({ seq: row.seq, recordSha256: row.recordSha256, chainSha256: row.chainSha256, status });
      if (status === "included") {
        recordBytes.set(row.seq, row.bytes);
        for (const a of row.artifacts) expected.push({ sha256: a.sha256, bytes: a.bytes });
        totalBytes += row.bytes.length + row.artifacts.reduce((/** @type {number} */ n, /** @type {{bytes: number}} */ a) => n + a.bytes, 0);
      }
    }
  }
  const toolVersion = api.runtime.getManifest().version;
  // The builder refuses a plan with a gap, or whose chain does not follow (STORAGE_DAMAGED).
  const builder = new core.ArchiveBuilder({ toolVersion, createdAtMs: now, exportedBy: exportedBy || null, localOffsetMinutes: -new Date(now).getTimezoneOffset(), initials: initials || null, statement }, plan);
  if (plan.length !== total) {
    builder.free();
    throw exportError("STORAGE_DAMAGED", "Some items are missing from storage. Run \"Check integrity\" in the library.");
  }
  const out = new Output();
  const progress = { items: 0, totalItems: plan.length, bytes: 0, totalBytes };
  const hasher = new Hasher();
  const ahead = new ReadAhead(expected, hasher);
  /** Stored Blobs written whole, by SHA-256, with the digest computed when they were read (no bytes kept). @type {Map<string, {blob: Blob, digest: string, known: any}>} */
  const written = new Map();
  try {
    let seq = -1;
    for (let need = builder.next(); need.kind !== "done"; need = builder.next()) {
      check();
      if (need.kind === "record") {
        const bytes = /** @type {Uint8Array} */ (recordBytes.get(need.seq));
        recordBytes.delete(need.seq);
        out.push(builder.putRecord(bytes));
        progress.bytes += bytes.length;
      } else if (need.bytes <= WHOLE) {
        // An exhibit copy is read a second time: the total grows by it as it starts.
        if (need.path.startsWith("exhibits/")) progress.totalBytes += need.bytes;
        // A stored Blob already read and hashed in this export (an exhibit copy, or a file
        // two items share) is not read again: the same Blob, whose content never changes.
        /** @type {{blob: Blob, digest: string, known: any, bytes?: Uint8Array} | null | undefined} */
        let got = (need.stored && written.get(need.sha256)) || (await ahead.take(need.sha256));
        if (!got) throw builder.artifactMissing();
        check();
        out.push(builder.beginArtifact());
        // Its CRC-32 known (the stored row, or the entry of the same bytes written before):
        // the core checks the digest and the row, and writes the entry (undefined: feed it).
        const tail = need.stored ? builder.storedArtifactKnown(got.digest, got.known) : undefined;
        if (!tail && !got.bytes) got = await ahead.take(need.sha256); // bytes needed after all
        if (!got) throw builder.artifactMissing();
        const { blob, bytes, digest } = /** @type {Read} */ (got);
        if (tail) {
          out.pushBlob(blob); // the bytes hashed: a Blob's content never changes
          out.push(tail);
          progress.bytes += need.bytes;
          onProgress?.({ ...progress });
        } else if (need.stored) {
          // Hashed by the worker as it read it; the core counts size and CRC-32 here.
          for (let off = 0; off < bytes.length; off += SLICE) {
            check();
            const chunk = bytes.subarray(off, Math.min(off + SLICE, bytes.length));
            builder.storedChunkUnhashed(chunk);
            progress.bytes += chunk.length;
            onProgress?.({ ...progress });
          }
          out.pushBlob(blob); // the bytes just counted: a Blob's content never changes
          out.push(builder.endArtifactWithSha256(digest)); // refuses damaged evidence
        } else {
          for (let off = 0; off < bytes.length; off += SLICE) {
            check();
            const chunk = bytes.subarray(off, Math.min(off + SLICE, bytes.length));
            out.push(builder.artifactChunk(chunk));
            progress.bytes += chunk.length;
            onProgress?.({ ...progress });
          }
          out.push(builder.endArtifact()); // refuses damaged evidence (STORAGE_DAMAGED)
        }
        // Written and checked: its Blob and digest serve an exhibit copy (no bytes kept).
        if (need.stored) written.set(need.sha256, { blob, digest, known: got.known });
      } else {
        // An exhibit copy is read a second time: the total grows by it as it starts.
        if (need.path.startsWith("exhibits/")) progress.totalBytes += need.bytes;
        const blob = await getBlob(need.sha256);
        if (!blob) throw builder.artifactMissing();
        out.push(builder.beginArtifact());
        // Read the next slice while the current one is hashed and written.
        /** @param {number} off */
        const read = (off) => (off < blob.size ? blob.slice(off, off + SLICE).arrayBuffer() : null);
        let next = read(0);
        for (let off = 0; off < blob.size; off += SLICE) {
          check();
          const chunk = new Uint8Array(/** @type {ArrayBuffer} */ (await next));
          next = read(off + SLICE);
          if (need.stored) {
            builder.storedChunk(chunk); // hashed in WASM; the bytes go out as they are
            out.push(chunk);
          } else {
            out.push(builder.artifactChunk(chunk));
          }
          progress.bytes += chunk.length;
          onProgress?.({ ...progress });
        }
        out.push(builder.endArtifact()); // refuses damaged evidence (STORAGE_DAMAGED)
      }
      // The exhibit copies (exhibits/…) come after every item: they do not move the count.
      if (need.seq !== seq && !(need.kind === "artifact" && need.path.startsWith("exhibits/"))) {
        // Items before this one are written (plan item i is item i; withheld and removed
        // ones need no bytes).
        progress.items = need.seq;
        seq = need.seq;
        onProgress?.({ ...progress });
      }
    }
    check();
    // Trusted timestamps go in timestamps/ as the exact bytes received (checked again by
    // the builder against the chain values it exports).
    for (const t of await listTokens()) if (t.seq < plan.length) builder.addTimestamp(t.seq, t.head, t.der);
    // The installation's key signs manifest.json into signature.json.
    builder.setDeviceKey(await deviceKeySecret());
    // finish() writes the index files, report.html and report.pdf (the bench's pdf_ms).
    const finishStarted = performance.now();
    const done = builder.finish();
    const finishMs = performance.now() - finishStarted;
    out.push(done.bytes);
    progress.items = plan.length;
    onProgress?.({ ...progress });
    const blob = out.finish();
    const { head: archiveHead, counts, fingerprint } = done;
    const stamp = new Date(now).toISOString().slice(0, 19).replace(/[:T]/g, "-");
    // Remember a complete export (nothing withheld), for the "not yet exported" reminder.
    // The archive is complete either way; a failed note is returned as a warning to show.
    const warnings = [];
    if (counts.withheld === 0) {
      try {
        await putMeta("lastExport", { at: new Date(now).toISOString(), head: archiveHead, upToSeq: plan.length - 1, counts });
      } catch (e) {
        console.error("lastExport not recorded", e);
        warnings.push(`This export could not be noted as done (${/** @type {Error} */ (e).message}), so the library may still remind you to export.`);
      }
    }
    return { blob, filename: `evidence-archive-${stamp}.zip`, head: archiveHead, fingerprint, counts, bytes: blob.size, archiveBytes: done.archiveBytes, warnings, finishMs };
  } finally {
    builder.free();
    hasher.close();
  }
}

/**
 * Reads the artifacts the builder is expected to ask for ahead of it (up to AHEAD bytes,
 * and at least the next one): while one is written, the next are already being read and
 * hashed by the worker. Only an optimisation: the builder still says what it needs, and an
 * artifact asked for out of the expected order is simply read then.
 */
class ReadAhead {
  /** @param {{sha256: string, bytes: number}[]} expected @param {Hasher} hasher */
  constructor(expected, hasher) {
    this.expected = expected;
    this.hasher = hasher;
    this.at = 0; // index in `expected` of the next artifact asked for
    /** @type {{index: number, bytes: number, got: Promise<Read | null>}[]} */
    this.queue = [];
  }
  /**
   * A stored Blob, read once, by the worker, which hashes it and hands its bytes over.
   * @param {string} sha256
   * @returns {Promise<Read | null>}
   */
  read(sha256) {
    const known = getChecksum(sha256);
    const p = getBlob(sha256).then(async (blob) => {
      if (!blob) return null;
      const { bytes, sha256: digest } = await this.hasher.read(blob);
      return { blob, bytes, digest, known: await known };
    });
    p.catch(() => {}); // handled by the caller that takes it
    return p;
  }
  /** The stored Blob of `sha256`, its bytes and SHA-256 (null: not stored), reading the next ones. @param {string} sha256 */
  async take(sha256) {
    if (this.expected[this.at]?.sha256 !== sha256) {
      const i = this.expected.findIndex((e, j) => j >= this.at && e.sha256 === sha256);
      this.at = i < 0 ? this.expected.length : i;
    }
    const queued = this.expected[this.at]?.sha256 === sha256 ? this.queue.find((q) => q.index === this.at) : undefined;
    const got = queued?.got ?? this.read(sha256);
    this.queue = this.queue.filter((q) => q.index > this.at);
    this.at++;
    let ahead = this.queue.reduce((n, q) => n + q.bytes, 0);
    for (let j = this.at; j < this.expected.length; j++) {
      const e = this.expected[j];
      if (e.bytes > WHOLE || this.queue.length >= 4 || (this.queue.length && ahead + e.bytes > AHEAD)) break;
      if (this.queue.some((q) => q.index === j)) continue;
      this.queue.push({ index: j, bytes: e.bytes, got: this.read(e.sha256) });
      ahead += e.bytes;
    }
    return got;
  }
}

/** @typedef {{blob: Blob, bytes: Uint8Array, digest: string, known: any}} Read */

/** Stored Blobs read and hashed in the worker (export-hasher.js), several at a time. */
class Hasher {
  constructor() {
    this.worker = new Worker(new URL("./export-hasher.js", import.meta.url), { type: "module" });
    this.nextId = 0;
    /** @type {Map<number, {resolve: (r: {bytes: Uint8Array, sha256: string}) => void, reject: (e: Error) => void}>} */
    this.waiting = new Map();
    this.worker.onmessage = (/** @type {MessageEvent<{id: number, sha256?: string, buffer?: ArrayBuffer, error?: string}>} */ e) => {
      const w = this.waiting.get(e.data.id);
      this.waiting.delete(e.data.id);
      if (e.data.sha256 && e.data.buffer) w?.resolve({ bytes: new Uint8Array(e.data.buffer), sha256: e.data.sha256 });
      else w?.reject(exportError("STORAGE_FAILED", `A file could not be read for hashing (${e.data.error}).`));
    };
    this.worker.onerror = (e) => this.failAll(`the hashing worker failed (${e.message})`);
  }
  /** @param {Blob} blob @returns {Promise<{bytes: Uint8Array, sha256: string}>} its bytes and their lowercase hex SHA-256 */
  read(blob) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, blob });
    });
  }
  /** @param {string} why */
  failAll(why) {
    for (const w of this.waiting.values()) w.reject(exportError("STORAGE_FAILED", `The export stopped: ${why}.`));
    this.waiting.clear();
  }
  close() {
    this.worker.terminate();
    this.failAll("it was cancelled");
  }
}

/**
 * @param {string} code
 * @param {string} message
 */
function exportError(code, message) {
  return Object.assign(new Error(message), { code });
}

/** Offer a Blob as an ordinary browser download; returns the blob: URL it used. */
export function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke later: the download needs the URL for a moment after the click.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return url;
}

/** A file name that does not say what the archive is (discreet mode): `notes-2026-12-01.zip`. */
export function neutralName(now = Date.now()) {
  return `notes-${new Date(now).toISOString().slice(0, 10)}.zip`;
}

/**
 * Remove a finished export from the browser's download list (the file stays where it was
 * saved). Asks for the optional `downloads` permission first; call it from a click.
 * Returns how many entries were removed, or null when the permission was refused.
 * @param {string} url the blob: URL the download used
 * @param {string} filename its file name
 */
export async function forgetDownload(url, filename) {
  const granted = await api.permissions.request({ permissions: ["downloads"] });
  if (!granted) return null;
  let found = await api.downloads.search({ url });
  if (!found.length) found = (await api.downloads.search({ query: [filename] })).filter((/** @type {{filename: string}} */ d) => d.filename.endsWith(filename));
  for (const d of found) await api.downloads.erase({ id: d.id });
  return found.length;
}
