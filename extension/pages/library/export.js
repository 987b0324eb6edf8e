// Export an evidence archive (format evidence-archive/1, see crate/src/archive/export.rs for
// the order of entries): streamed from IndexedDB through the WASM ZIP writer into a Blob
// that is built up part by part, so neither the JS heap nor WASM memory ever holds the
// whole archive. Items outside the selection are withheld: their hashes stay in the ledger.
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
    this.pending = [];
    this.pendingBytes = 0;
    this.total = 0;
  }
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
 * {blob, filename, head, counts: {total, included, withheld, removed}, bytes}.
 * `onProgress({items, totalItems, bytes, totalBytes})`; `signal` is an AbortSignal.
 */
export async function exportArchive({ include = () => true, exportedBy = null, onProgress, signal, now = Date.now() } = {}) {
  await coreReady();
  const head = await getHead();
  const total = head ? head.seq + 1 : 0;
  const check = () => {
    if (signal?.aborted) throw new ExportCancelled();
  };

  // First pass: statuses, record bytes of included items, and the bytes to write.
  const plan = [];
  let totalBytes = 0;
  for (let from = 0; from < total; from += PAGE) {
    check();
    for (const row of await getRowsFrom(from, PAGE)) {
      if (row.seq !== plan.length) throw exportError("STORAGE_DAMAGED", `Item ${plan.length} is missing from storage. Run "Check integrity" in the library.`);
      const status = row.removed || !row.bytes ? "removed" : include(row) ? "included" : "withheld";
      plan.push({ seq: row.seq, status, recordSha256: row.recordSha256, chainSha256: row.chainSha256, bytes: status === "included" ? row.bytes : null });
      if (status === "included") totalBytes += row.bytes.length + row.artifacts.reduce((n, a) => n + a.bytes, 0);
    }
  }
  if (plan.length !== total) throw exportError("STORAGE_DAMAGED", "Some items are missing from storage. Run \"Check integrity\" in the library.");

  const writer = new core.ZipWriter();
  const out = new Output();
  const files = [];
  const mtime = Math.floor(now / 1000);
  const progress = { items: 0, totalItems: plan.length, bytes: 0, totalBytes };
  const entry = async (path, produce) => {
    const compress = core.shouldCompress(path);
    out.push(writer.startEntry(path, compress, mtime));
    await produce((chunk) => {
      if (compress) out.push(writer.write(chunk));
      else {
        writer.writeStored(chunk); // hashed in WASM; the bytes go out as they are
        out.push(chunk);
      }
      progress.bytes += chunk.length;
    });
    const end = writer.endEntry();
    out.push(end.bytes);
    files.push(end.info);
    return end.info;
  };
  const whole = (bytes) => async (emit) => emit(bytes);

  const reportItems = [];
  const includedRecords = [];
  try {
    for (const item of plan) {
      check();
      const folder = `items/${String(item.seq).padStart(6, "0")}`;
      if (item.status !== "included") {
        reportItems.push({ seq: item.seq, status: item.status, record_sha256: item.recordSha256, chain_sha256: item.chainSha256 });
      } else {
        const record = core.parseRecord(item.bytes);
        const recInfo = await entry(`${folder}/record.json`, whole(item.bytes));
        if (recInfo.sha256 !== item.recordSha256) throw damaged(item.seq, "record.json");
        let captureMetadata = null;
        for (const a of record.artifacts) {
          const blob = await getBlob(a.sha256);
          if (!blob) throw exportError("STORAGE_DAMAGED", `Item ${item.seq}'s file ${a.name} is missing from storage. Run "Check integrity" in the library.`);
          const info = await entry(`${folder}/${a.name}`, async (emit) => {
            // Read the next slice while the current one is hashed and written.
            const read = (off) => (off < blob.size ? blob.slice(off, off + SLICE).arrayBuffer() : null);
            let next = read(0);
            for (let off = 0; off < blob.size; off += SLICE) {
              check();
              const chunk = new Uint8Array(await next);
              next = read(off + SLICE);
              emit(chunk);
              onProgress?.({ ...progress });
            }
          });
          // The writer hashed what it wrote: refuse to export damaged evidence as if intact.
          if (info.sha256 !== a.sha256 || info.bytes !== a.bytes) throw damaged(item.seq, a.name);
          if (record.kind === "capture" && a.name === "metadata.json") {
            try {
              captureMetadata = JSON.parse(new TextDecoder().decode(await blob.arrayBuffer()));
            } catch {
              captureMetadata = null;
            }
          }
        }
        includedRecords.push(item.bytes);
        reportItems.push({ seq: item.seq, status: "included", record_sha256: item.recordSha256, chain_sha256: item.chainSha256, record, capture_metadata: captureMetadata, folder });
      }
      progress.items++;
      onProgress?.({ ...progress });
    }
    check();
    const ledger = core.buildLedgerJson(plan.map((p) => ({ record_sha256: p.recordSha256, status: p.status })));
    await entry("ledger.json", whole(ledger.bytes));
    const toolVersion = api.runtime.getManifest().version;
    const report = core.renderReport({
      exported_at: new Date(now).toISOString(),
      local_offset_minutes: -new Date(now).getTimezoneOffset(),
      exported_by: exportedBy || null,
      tool_version: toolVersion,
      head: ledger.head,
      items: reportItems,
    });
    const enc = new TextEncoder();
    await entry("report.html", whole(enc.encode(report)));
    await entry("VERIFY.txt", whole(enc.encode(core.verifyGuide(ledger.head, toolVersion))));
    const meta = { tool_version: toolVersion, created_at_ms: now, exported_by: exportedBy || null };
    await entry("manifest.json", whole(core.buildManifestJson(meta, ledger.bytes, includedRecords, files)));
    await entry("SHA256SUMS", whole(core.buildSha256Sums(files)));
    out.push(writer.finish());
    const blob = out.finish();
    const counts = {
      total: plan.length,
      included: plan.filter((p) => p.status === "included").length,
      withheld: plan.filter((p) => p.status === "withheld").length,
      removed: plan.filter((p) => p.status === "removed").length,
    };
    const stamp = new Date(now).toISOString().slice(0, 19).replace(/[:T]/g, "-");
    // Remember a complete export (nothing withheld), for the "not yet exported" reminder.
    // The archive is complete either way; a failed note is returned as a warning to show.
    const warnings = [];
    if (counts.withheld === 0) {
      try {
        await putMeta("lastExport", { at: new Date(now).toISOString(), head: ledger.head, upToSeq: plan.length - 1, counts });
      } catch (e) {
        console.error("lastExport not recorded", e);
        warnings.push(`This export could not be noted as done (${e.message}), so the library may still remind you to export.`);
      }
    }
    return { blob, filename: `evidence-archive-${stamp}.zip`, head: ledger.head, counts, bytes: blob.size, warnings };
  } finally {
    writer.free();
  }
}

function exportError(code, message) {
  return Object.assign(new Error(message), { code });
}

function damaged(seq, name) {
  return exportError("STORAGE_DAMAGED", `Item ${seq}'s ${name} no longer matches its hash, so it was not exported as if intact. Run "Check integrity" in the library.`);
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
