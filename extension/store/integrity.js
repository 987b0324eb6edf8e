// @ts-check
// Re-check everything stored in this browser: every record's bytes against its hash,
// every artifact against the record that lists it, and every link of the chain.
//
// The rules are the core's (crate/src/archive/library_check.rs, the archive verifier's
// item rules): this module reads the stored rows in batches, hashes each stored blob once
// with the WASM hasher, and hands the rows and the computed hashes and sizes (or that a
// blob is missing or unreadable) to core.LibraryChecker. A removed item (a `removal`
// record deleted its content) is reported as "removed", not as damage, when a later
// removal record names it; a row whose content is gone without one is damage.
import { core, coreReady, hashBlob } from "../shared/core.js";
import { getBlob, getHead, getRowsFrom } from "./ledger.js";

const BATCH = 200;

/** The checker's item states, as the library words them. */
const STATUS = { OK: "intact", REMOVED: "removed", WITHHELD: "withheld", MODIFIED: "damaged", MISSING: "damaged" };

/**
 * What the checker is told about one stored artifact: the SHA-256 and size computed from
 * its stored blob, or that it is missing (no sha256) or cannot be read (error).
 * @param {{name: string, sha256: string}} a
 * @param {Map<string, Promise<any>>} cache each blob is hashed once
 */
export function storedBlobFacts(a, cache) {
  let found = cache.get(a.sha256);
  if (!found) {
    found = (async () => {
      let blob;
      try {
        blob = await getBlob(a.sha256);
      } catch (e) {
        return { error: `cannot be read from storage (${/** @type {Error} */ (e).message})` };
      }
      if (!blob) return {};
      try {
        return { sha256: await hashBlob(blob), bytes: blob.size };
      } catch (e) {
        return { error: `cannot be read from storage (${/** @type {Error} */ (e).name ?? "error"})` };
      }
    })();
    cache.set(a.sha256, found);
  }
  return found.then((f) => ({ name: a.name, ...f }));
}

/** @param {any} row the record's own summary (its metadata), when the row keeps none */
function recordSummary(row) {
  try {
    return row.bytes instanceof Uint8Array ? core.parseRecord(row.bytes).metadata : null;
  } catch {
    return null;
  }
}

/**
 * A stored row as the checker takes it.
 * @param {any} row
 * @param {Map<string, Promise<any>>} cache
 */
export async function checkerRow(row, cache) {
  const artifacts = row.removed ? [] : await Promise.all((row.artifacts ?? []).map((/** @type {any} */ a) => storedBlobFacts(a, cache)));
  // withheld: a placeholder a restore left for an item its archive withheld (hashes only).
  return { seq: row.seq, recordSha256: row.recordSha256, chainSha256: row.chainSha256, removed: row.removed === true, withheld: row.withheld === true, record: row.bytes instanceof Uint8Array ? row.bytes : null, artifacts };
}

/**
 * Returns {ok, head, chainOk, chainProblem, items: [{seq, id, kind, recordSha256, removed, ok,
 * status, problems, summary, capturedAt}], counts: {intact, removed, damaged}}. `status` is "intact",
 * "removed" (content deleted on purpose, hashes kept) or "damaged". `ok` is false only
 * for damage. `onProgress(done, total)` is called after each batch.
 * @param {(done: number, total: number) => void} [onProgress]
 */
export async function checkStoredEvidence(onProgress) {
  await coreReady();
  const head = await getHead();
  const total = head ? head.seq + 1 : 0;
  const checker = new core.LibraryChecker(head ? { seq: head.seq, chainSha256: head.chainSha256 } : null);
  /** @type {any[]} what the page shows beside the checker's answer, one per row */
  const shown = [];
  const cache = new Map();
  let report;
  try {
    for (let from = 0; ; ) {
      const rows = await getRowsFrom(from, BATCH);
      if (!rows.length) break;
      checker.push(await Promise.all(rows.map((/** @type {any} */ row) => checkerRow(row, cache))));
      for (const row of rows) shown.push({ seq: row.seq, id: row.id, kind: row.kind, recordSha256: row.recordSha256, removed: row.removed === true, summary: row.summary ?? recordSummary(row), capturedAt: row.capturedAt });
      onProgress?.(checker.checked(), Math.max(total, shown.length));
      from = rows[rows.length - 1].seq + 1;
    }
    report = checker.finish();
  } finally {
    checker.free();
  }
  const counts = { intact: 0, removed: 0, withheld: 0, damaged: 0 };
  const items = report.items.map((/** @type {any} */ item, /** @type {number} */ i) => {
    const status = STATUS[/** @type {keyof STATUS} */ (item.status)] ?? "damaged";
    counts[/** @type {keyof counts} */ (status)]++;
    return { ...shown[i], status, ok: status !== "damaged", problems: status === "damaged" ? [item.detail] : [] };
  });
  const chainProblem = report.problems.map((/** @type {{message: string}} */ p) => p.message).join("; ") || null;
  return { ok: report.verdict === "PASS", head: head?.chainSha256 ?? report.head, chainOk: report.chainOk, chainProblem, items, counts };
}
