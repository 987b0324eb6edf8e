// @ts-check
// The library's catalog: one small entry per record, written in the same transaction as
// the record (store/ledger.js), so that the timeline, its filters and full-text search read a
// few hundred bytes per item instead of record bytes or blobs.
//
// An entry is derived from the sealed record (and, for captures, the metadata.json bytes
// being stored with it) by the core (crate/src/catalog/): this module only hands it the
// stored row. The record and its hashes stay the evidence. Synchronous: the core must be
// loaded (coreReady()) before these are called.
import { core } from "../shared/core.js";

/** The words of a search query, normalised like the catalog's text (core.searchNormal). */
export function searchWords(/** @type {string} */ query) {
  return core.searchNormal(query).split(" ").filter(Boolean);
}

/**
 * Extra search text from a capture's metadata.json bytes (every visible message's author
 * and text, the page title and URLs); "" when they are not a capture metadata document.
 * @param {unknown} bytes
 */
export function captureSearchText(bytes) {
  return bytes instanceof Uint8Array ? core.captureSearchText(bytes) : "";
}

/**
 * The catalog entry of a stored row `{seq, id, kind, recordSha256, capturedAt, bytes,
 * removed, removedBy}`; `extraText` is more text to search (a capture's messages). A row
 * whose content was removed, or whose record bytes cannot be read, gets the removed entry
 * (`removed: true`; the caller can tell an unreadable row by `row.removed` being false).
 * @param {any} row
 * @param {string} [extraText]
 * @returns {any}
 */
export function catalogEntry(row, extraText = "") {
  const facts = { seq: row.seq, id: row.id, kind: row.kind, recordSha256: row.recordSha256, capturedAt: row.capturedAt, removedBy: row.removedBy ?? null };
  if (!row.removed && row.bytes instanceof Uint8Array) {
    try {
      return core.catalogEntry(facts, row.bytes, extraText);
    } catch {
      // An unreadable record falls through: it is listed, and "Check integrity" reports it.
    }
  }
  return core.removedCatalogEntry(facts);
}
