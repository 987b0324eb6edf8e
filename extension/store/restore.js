// @ts-check
// The IndexedDB side of restoring an archive (pages/library/restore-worker.js drives it;
// every rule is the core's, crate/src/restore/).
//
// Atomicity: a restore writes in two phases, so that a cancelled, failed or killed
// restore leaves the library as it was.
//   1. Blobs, content-addressed, each in its own transaction together with the restore
//      journal (meta "restoreJournal" {id, startedAt, blobs: [sha256 written by it]}).
//      A blob already stored is never rewritten. Until phase 2 nothing refers to them.
//   2. ONE strict transaction: the journal is still this restore's, the head is still
//      the one the plan was made from, every blob the rows list is stored; then the
//      record rows, catalog entries and the new head are written and the journal deleted.
// A journal left behind (the browser closed, the worker was stopped) is swept by
// sweepRestore(): its blobs that no catalog entry lists are deleted, then the journal.
// Restores and sweeps hold the Web Lock "evidence-restore", so a sweep never deletes the
// blobs of a restore still running (a lock held by a closed tab or a stopped worker is
// released by the browser).
import { captureSearchText, catalogEntry } from "./catalog-entry.js";
import { inTransaction, openDb, reqResult, txDone } from "./db.js";
import { SEAL_CHUNK, sealCatalogEntry, sealChunks, sealRow } from "./sealed.js";
import { core } from "../shared/core.js";

export const JOURNAL = "restoreJournal";
export const LOCK_NAME = "evidence-restore";

/** @param {string} code @param {string} message */
function coded(code, message) {
  return Object.assign(new Error(message), { code });
}

/**
 * The library's rows as the core's plan takes them (hashes and what is held, all in
 * clear even behind the lock), and the stored head.
 * @returns {Promise<{rows: {seq: number, recordSha256: string, chainSha256: string, held: string}[], head: any, lock: any}>}
 */
export async function libraryState() {
  const db = await openDb();
  const tx = db.transaction(["records", "meta"]);
  /** @type {{seq: number, recordSha256: string, chainSha256: string, held: string}[]} */
  const rows = [];
  await new Promise((resolve, reject) => {
    const req = tx.objectStore("records").openCursor();
    req.onsuccess = () => {
      const c = req.result;
      if (!c) return resolve(undefined);
      const r = c.value;
      rows.push({ seq: r.seq, recordSha256: r.recordSha256, chainSha256: r.chainSha256, held: r.withheld ? "withheld" : r.removed ? "removed" : "content" });
      c.continue();
    };
    req.onerror = () => reject(req.error);
  });
  const head = (await reqResult(tx.objectStore("meta").get("head"))) ?? null;
  const lock = (await reqResult(tx.objectStore("meta").get("lock"))) ?? null;
  return { rows, head, lock };
}

/**
 * Delete what an unfinished restore left (see the top of this file). Waits for the
 * restore lock when `wait`, else does nothing while a restore runs. Resolves with the
 * number of blobs deleted, or null when there was nothing to sweep.
 * @param {{wait?: boolean}} [options]
 */
export async function sweepRestore({ wait = false } = {}) {
  const run = async () => {
    const db = await openDb();
    const journal = await reqResult(db.transaction("meta").objectStore("meta").get(JOURNAL));
    if (!journal) return null;
    const tx = db.transaction(["blobs", "catalog", "meta"], "readwrite", { durability: "strict" });
    const done = txDone(tx);
    const byBlob = tx.objectStore("catalog").index("blob");
    let deleted = 0;
    for (const sha of journal.blobs ?? []) {
      const users = await reqResult(byBlob.count(sha));
      if (users === 0) {
        tx.objectStore("blobs").delete(sha);
        deleted++;
      }
    }
    tx.objectStore("meta").delete(JOURNAL);
    await done;
    return deleted;
  };
  const locks = globalThis.navigator?.locks;
  if (!locks) return run();
  return locks.request(LOCK_NAME, wait ? {} : { ifAvailable: true }, (lock) => (lock ? run() : null));
}

/** Start the journal of restore `id` (after any leftover was swept). */
export async function startJournal(/** @type {string} */ id, /** @type {string} */ startedAt) {
  const db = await openDb();
  const tx = db.transaction("meta", "readwrite", { durability: "strict" });
  tx.objectStore("meta").put({ id, startedAt, blobs: [] }, JOURNAL);
  await txDone(tx);
}

/** Whether a blob with this hash is stored. */
export async function blobStored(/** @type {string} */ sha256) {
  const db = await openDb();
  return (await reqResult(db.transaction("blobs").objectStore("blobs").getKey(sha256))) !== undefined;
}

/**
 * Store one artifact read from the archive (already checked by the core), with the
 * journal, in one transaction. `data`: a Uint8Array or Blob, or (with `lock`) an array
 * of age files made with the lock's public key.
 */
export async function storeBlob(/** @type {string} */ id, /** @type {{sha256: string, mediaType: string, size: number, data: any, enc?: boolean}} */ b) {
  const db = await openDb();
  const tx = db.transaction(["blobs", "meta"], "readwrite", { durability: "strict" });
  const done = txDone(tx);
  const meta = tx.objectStore("meta");
  const journal = await reqResult(meta.get(JOURNAL));
  if (!journal || journal.id !== id) {
    tx.abort();
    await done.catch(() => {});
    throw coded("INTERRUPTED", "The restore was interrupted. Nothing was changed; please restore again.");
  }
  if ((await reqResult(tx.objectStore("blobs").getKey(b.sha256))) === undefined) {
    tx.objectStore("blobs").put({ sha256: b.sha256, mediaType: b.mediaType, size: b.size, ...(b.enc ? { enc: 1 } : {}), data: b.data });
    journal.blobs.push(b.sha256);
    meta.put(journal, JOURNAL);
  }
  await done;
}

/** Bytes as the lock stores them: age files of at most SEAL_CHUNK each. */
export function sealedParts(/** @type {string} */ recipient, /** @type {Uint8Array} */ bytes) {
  return sealChunks(recipient, bytes);
}
export { SEAL_CHUNK };

/**
 * The one commit of a restore (phase 2). `done` is the core's finish(): {rows, head};
 * `records` maps seq -> record bytes; `searchText` maps seq -> more words (captures).
 * `planHead` is the chain value the plan was made from (null: empty library).
 * @param {string} id
 * @param {{rows: any[], head: any}} done
 * @param {Map<number, Uint8Array>} records
 * @param {Map<number, string>} searchText
 * @param {string | null} planHead
 * @param {RestoredToken[]} [tokens] the archive's trusted timestamps the core passed
 */
export async function commitRestore(id, done, records, searchText, planHead, tokens = []) {
  await inTransaction(["records", "catalog", "meta", "blobs", "timestamps"], "readwrite", { durability: "strict" }, async (tx) => {
    const meta = tx.objectStore("meta");
    const [journal, head, lock] = await Promise.all([reqResult(meta.get(JOURNAL)), reqResult(meta.get("head")), reqResult(meta.get("lock"))]);
    if (!journal || journal.id !== id) throw coded("INTERRUPTED", "The restore was interrupted. Nothing was changed; please restore again.");
    if ((head?.chainSha256 ?? null) !== planHead) throw coded("LIBRARY_CHANGED", "Something was saved in the library while the archive was being restored, so nothing was restored. Please restore again.");
    if (lock?.recipientMismatch) throw coded("KEY_MISMATCH", "The lock's public key does not match your passphrase's key, so nothing was restored. Open Settings → Lock.");
    const blobs = tx.objectStore("blobs");
    for (const r of done.rows) {
      if (!r.included) continue;
      for (const a of r.artifacts) {
        if ((await reqResult(blobs.getKey(a.sha256))) === undefined) throw coded("INTERRUPTED", `The file ${a.name} of item ${r.seq} was not stored. Nothing was restored; please restore again.`);
      }
    }
    const records_ = tx.objectStore("records");
    const catalog = tx.objectStore("catalog");
    for (const r of done.rows) {
      const row = dbRow(r, records.get(r.seq));
      const entry = r.withheld ? withheldEntry(r) : catalogEntry(row, searchText.get(r.seq) ?? "");
      const stored = lock ? sealRow(lock.recipient, row) : row;
      // add() for new rows: a second writer at the same seq fails instead of overwriting.
      if (r.action === "add") records_.add(stored);
      else records_.put(stored);
      catalog.put(lock ? sealCatalogEntry(lock.recipient, entry) : entry);
    }
    if (done.head) meta.put(done.head, "head");
    await putNewTokens(tx, tokens);
    meta.delete(JOURNAL);
  });
}

/**
 * @typedef {{seq: number, head: string, tsaName: string, genTime: string, der: Uint8Array}} RestoredToken
 *   a trusted timestamp the core passed (ArchiveRestore.timestamps())
 */

/**
 * Store in `tx` the tokens the library does not hold yet. A token the library holds
 * already (the same bytes) is not stored twice. The archive does not say which server
 * sent a token, so it is keyed by its authority's name. Resolves with how many were stored.
 * @param {IDBTransaction} tx @param {RestoredToken[]} tokens
 */
async function putNewTokens(tx, tokens) {
  if (!tokens.length) return 0;
  const store = tx.objectStore("timestamps");
  const held = /** @type {{der: Uint8Array}[]} */ (await reqResult(store.getAll()));
  const same = (/** @type {Uint8Array} */ a, /** @type {Uint8Array} */ b) => a.length === b.length && a.every((x, i) => x === b[i]);
  const storedAt = new Date().toISOString();
  let stored = 0;
  for (const t of tokens) {
    if (held.some((h) => same(new Uint8Array(h.der), t.der))) continue;
    store.put({ seq: t.seq, head: t.head, tsa: `archive:${t.tsaName}`, tsaName: t.tsaName, genTime: t.genTime, der: t.der, storedAt, restored: true });
    stored++;
  }
  return stored;
}

/**
 * A restore with no item to add (the library holds every item of the archive) still
 * brings back the archive's trusted timestamps that the library lacks, e.g. when the
 * items came from an earlier export made before the head was timestamped. ONE strict
 * transaction; refused (LIBRARY_CHANGED) when the head is no longer `planHead`, and a
 * token is stored only over the chain value the library itself holds at its seq.
 * Resolves with the number of tokens stored (0: nothing changed).
 * @param {RestoredToken[]} tokens @param {string | null} planHead
 */
export async function commitTokens(tokens, planHead) {
  if (!tokens.length) return 0;
  return inTransaction(["records", "meta", "timestamps"], "readwrite", { durability: "strict" }, async (tx) => {
    const head = await reqResult(tx.objectStore("meta").get("head"));
    if ((head?.chainSha256 ?? null) !== planHead) throw coded("LIBRARY_CHANGED", "Something was saved in the library while the archive was being restored, so nothing was restored. Please restore again.");
    const records = tx.objectStore("records");
    const covered = [];
    for (const t of tokens) {
      const row = await reqResult(records.get(t.seq));
      if (row?.chainSha256 === t.head) covered.push(t);
    }
    return putNewTokens(tx, covered);
  });
}

/**
 * A record row as the library stores it, from the core's restored row.
 * @param {any} r
 * @param {Uint8Array | undefined} bytes
 */
function dbRow(r, bytes) {
  const base = { seq: r.seq, recordSha256: r.recordSha256, chainSha256: r.chainSha256, capturedAt: r.capturedAt, requestId: null };
  if (r.withheld) return { ...base, artifacts: [], withheld: true };
  if (r.removed) return { ...base, id: r.id, kind: r.kind, artifacts: r.artifacts, removed: true, removedBy: r.removedBy, removedAt: r.removedAt };
  if (!bytes) throw coded("INTERRUPTED", `The record of item ${r.seq} was not read. Nothing was restored.`);
  const summary = r.kind === "capture" ? core.parseRecord(bytes).metadata : null;
  return { ...base, id: r.id, kind: r.kind, bytes, summary, artifacts: r.artifacts };
}

/** The timeline's entry of an item the archive withheld: hashes only. */
function withheldEntry(/** @type {any} */ r) {
  return { seq: r.seq, id: "", kind: "withheld", recordSha256: r.recordSha256, capturedAt: "", eventAt: "", removed: false, withheld: true, title: "", excerpt: "", site: null, url: null, authors: [], thumb: null, artifactCount: 0, bytes: 0, blobs: [], text: "" };
}

export { captureSearchText };
