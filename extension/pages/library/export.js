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
import { putMeta } from "../../store/db.js";
import { api } from "../../shared/browser.js";

const SLICE = 4 * 1024 * 1024; // read artifacts from IndexedDB in 4 MiB slices
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
    /** @type {Uint8Array[]} */
    this.pending = [];
    this.pendingBytes = 0;
    this.total = 0;
  }
  /** @param {Uint8Array} bytes */
  push(bytes) {
    if (!bytes || bytes.length === 0) return;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    this.total += bytes.length;
    if (this.pendingBytes >= FLUSH) this.flush();
  }
  flush() {
    // A Blob made from a Blob and byte arrays refers to the old parts; the browser's blob
    // store keeps them (spilling to disk when large), not the JS heap.
    this.blob = new Blob([this.blob, .../** @type {BlobPart[]} */ (this.pending)], { type: "application/zip" });
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
 * warnings}. `onProgress({items, totalItems, bytes, totalBytes})`; `signal` is an AbortSignal.
 * @param {{include?: (row: any) => boolean, exportedBy?: string | null, onProgress?: (p: {items: number, totalItems: number, bytes: number, totalBytes: number}) => void, signal?: AbortSignal, now?: number}} [options]
 */
export async function exportArchive({ include = () => true, exportedBy = null, onProgress, signal, now = Date.now() } = {}) {
  await coreReady();
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
        totalBytes += row.bytes.length + row.artifacts.reduce((/** @type {number} */ n, /** @type {{bytes: number}} */ a) => n + a.bytes, 0);
      }
    }
  }
  const toolVersion = api.runtime.getManifest().version;
  // The builder refuses a plan with a gap, or whose chain does not follow (STORAGE_DAMAGED).
  const builder = new core.ArchiveBuilder({ toolVersion, createdAtMs: now, exportedBy: exportedBy || null, localOffsetMinutes: -new Date(now).getTimezoneOffset() }, plan);
  if (plan.length !== total) {
    builder.free();
    throw exportError("STORAGE_DAMAGED", "Some items are missing from storage. Run \"Check integrity\" in the library.");
  }
  const out = new Output();
  const progress = { items: 0, totalItems: plan.length, bytes: 0, totalBytes };
  try {
    let seq = -1;
    for (let need = builder.next(); need.kind !== "done"; need = builder.next()) {
      check();
      if (need.kind === "record") {
        const bytes = /** @type {Uint8Array} */ (recordBytes.get(need.seq));
        recordBytes.delete(need.seq);
        out.push(builder.putRecord(bytes));
        progress.bytes += bytes.length;
      } else {
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
      if (need.seq !== seq) {
        // Items before this one are written (plan item i is item i; withheld and removed
        // ones need no bytes).
        progress.items = need.seq;
        seq = need.seq;
        onProgress?.({ ...progress });
      }
    }
    check();
    const done = builder.finish();
    out.push(done.bytes);
    progress.items = plan.length;
    onProgress?.({ ...progress });
    const blob = out.finish();
    const { head: archiveHead, counts } = done;
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
    return { blob, filename: `evidence-archive-${stamp}.zip`, head: archiveHead, counts, bytes: blob.size, archiveBytes: done.archiveBytes, warnings };
  } finally {
    builder.free();
  }
}

/**
 * @param {string} code
 * @param {string} message
 */
function exportError(code, message) {
  return Object.assign(new Error(message), { code });
}

/** Offer a Blob as an ordinary browser download. */
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
}
