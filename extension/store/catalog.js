// @ts-check
// The library's catalog store: timeline queries, counts and repairs. The entries themselves
// are built by catalog-entry.js, in the record's own transaction (ledger.js).

import { getMeta, openDb, reqResult, storageError, txDone } from "./db.js";
import { needCore, openEntries, sealCatalogEntry } from "./sealed.js";

// --- the library's catalog ------------------------------------------------------------

/** The `limit` catalog entries that happened last (timeline order: newest first). */
export async function catalogNewest(limit) {
  const db = await openDb();
  const index = db.transaction("catalog").objectStore("catalog").index("when");
  if (typeof index.getAllRecords === "function") {
    // One request instead of a cursor step per entry, where the browser has it.
    try {
      const records = await reqResult(index.getAllRecords({ direction: "prev", count: limit }));
      return openEntries(records.map((r) => r.value));
    } catch {
      // Fall back to the cursor below.
    }
  }
  const out = [];
  await new Promise((resolve, reject) => {
    const req = db.transaction("catalog").objectStore("catalog").index("when").openCursor(null, "prev");
    req.onsuccess = () => {
      const c = req.result;
      if (!c || out.length >= limit) return resolve();
      out.push(c.value);
      if (out.length >= limit) return resolve();
      c.continue();
    };
    req.onerror = () => reject(storageError(req.error));
  });
  return openEntries(out);
}

/**
 * Every catalog entry with a sequence number above `afterSeq` (all when omitted), in
 * ledger order. `before`: a promise to wait for between reading and decrypting (the
 * library's first rows being painted); encrypted entries are then opened in slices.
 * @param {number} [afterSeq]
 * @param {{before?: Promise<unknown>}} [options]
 */
export async function catalogAll(afterSeq = -1, { before } = {}) {
  const db = await openDb();
  const stored = await reqResult(db.transaction("catalog").objectStore("catalog").getAll(IDBKeyRange.lowerBound(afterSeq, true)));
  await before;
  return openEntries(stored, { slice: 500 });
}

/** The catalog entry of one item, or undefined. */
export async function getCatalogEntry(seq) {
  const db = await openDb();
  const entry = await reqResult(db.transaction("catalog").objectStore("catalog").get(seq));
  return entry ? (await openEntries([entry]))[0] : entry;
}

/** {records, catalog, head}: counts that must agree, for a quick check at start-up. */
export async function storeCounts() {
  const db = await openDb();
  const tx = db.transaction(["records", "catalog", "meta"]);
  const [records, catalog, head] = await Promise.all([
    reqResult(tx.objectStore("records").count()),
    reqResult(tx.objectStore("catalog").count()),
    reqResult(tx.objectStore("meta").get("head")),
  ]);
  return { records, catalog, head: head ?? null };
}

/** Write catalog entries (repairs: entries the catalog lacks are rebuilt from their records). */
export async function putCatalogEntries(entries) {
  const lock = await getMeta("lock");
  if (lock) await needCore();
  const db = await openDb();
  const tx = db.transaction("catalog", "readwrite");
  for (const e of entries) tx.objectStore("catalog").put(lock ? sealCatalogEntry(lock.recipient, e) : e);
  await txDone(tx);
}
