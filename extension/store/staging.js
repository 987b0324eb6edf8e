// @ts-check
// Staged artifacts: a capture's content-addressed blobs written as each part arrives, before
// the record's commit (store/ledger.js commitItem), so that the commit itself writes little.
//
// The record's strict commit stays the one atomic point: an item is visible only once its
// record is committed. A staged blob is written in its own strict transaction TOGETHER with
// its hash in the capture's pending journal entry (`blobs`: every hash the capture staged;
// `created`: those that were not stored before), so that at every moment a staged blob is
// referenced by a record or by a pending entry. Whenever a pending entry goes away without
// its record (a failed capture reported, or left over by a stopped worker and turned into a
// failure at start-up), the blobs it created are swept in the same transaction, unless a
// record (the catalog's "blob" index) or another pending entry still names them. A blob that
// was stored before the capture staged it is never swept: it belongs to whatever stored it.
//
// The passphrase lock: the staging transaction reads meta "lock" and encrypts as the commit
// would; the commit refuses (LOCK_CHANGED) when the lock is not the one the blobs were staged
// under, and the failure path sweeps them.

import { inTransaction, reqResult, storageError } from "./db.js";
import { sealChunks } from "./sealed.js";

/**
 * Write `blobs` ([{sha256, mediaType, bytes}], already hashed) for the capture whose pending
 * journal entry is `pendingId`, in one strict transaction with that entry's list of staged
 * hashes. Resolves with {shas, recipient} (the lock's recipient the blobs were written under,
 * or null) once durable; rejects (and writes nothing) when the entry is gone.
 * @param {string} pendingId
 * @param {{sha256: string, mediaType: string, bytes: Uint8Array}[]} blobs
 */
export async function stageBlobs(pendingId, blobs) {
  let recipient = null;
  try {
    await inTransaction(["blobs", "pending", "meta"], "readwrite", { durability: "strict" }, async (tx) => {
      const [lock, entry, ...existing] = await Promise.all([
        reqResult(tx.objectStore("meta").get("lock")),
        reqResult(tx.objectStore("pending").get(pendingId)),
        ...blobs.map((b) => reqResult(tx.objectStore("blobs").getKey(b.sha256))),
      ]);
      if (!entry) throw Object.assign(new Error("the capture's journal entry is gone"), { code: "STORAGE_FAILED" });
      // Nothing is encrypted to a public key that unlock found not to be the user's (the
      // commit refuses too, store/ledger.js writeItem).
      if (lock?.recipientMismatch) throw Object.assign(new Error("the lock's public key does not match"), { code: "KEY_MISMATCH" });
      recipient = lock?.recipient ?? null;
      if ((entry.stagedUnder ?? recipient) !== recipient) throw Object.assign(new Error("the lock changed during the capture"), { code: "LOCK_CHANGED" });
      const store = tx.objectStore("blobs");
      for (const b of blobs) {
        const size = b.bytes.length;
        if (lock) store.put({ sha256: b.sha256, mediaType: b.mediaType, size, enc: 1, data: sealChunks(lock.recipient, b.bytes) });
        else store.put({ sha256: b.sha256, mediaType: b.mediaType, size, data: b.bytes });
      }
      const shas = blobs.map((b) => b.sha256);
      const created = shas.filter((_, i) => existing[i] === undefined);
      tx.objectStore("pending").put({
        ...entry,
        stagedUnder: recipient,
        blobs: [...new Set([...(entry.blobs ?? []), ...shas])],
        created: [...new Set([...(entry.created ?? []), ...created])],
      });
    });
  } catch (e) {
    throw e?.code ? e : storageError(e);
  }
  return { shas: blobs.map((b) => b.sha256), recipient };
}

/**
 * In `tx` (which must include "blobs", "catalog" and "pending"), delete the blobs that the
 * pending entries `gone` created, unless a record (catalog index "blob") or a pending entry
 * that stays names them. Call it in the transaction that deletes those entries. Resolves
 * with the deleted hashes.
 * @param {IDBTransaction} tx
 * @param {any[]} gone pending entries being removed
 */
export async function sweepStaged(tx, gone) {
  const candidates = new Set(gone.flatMap((p) => p?.created ?? []));
  if (!candidates.size) return [];
  const goneIds = new Set(gone.map((p) => p.id));
  const others = (await reqResult(tx.objectStore("pending").getAll())).filter((p) => !goneIds.has(p.id));
  const held = new Set(others.flatMap((p) => p.blobs ?? []));
  const byBlob = tx.objectStore("catalog").index("blob");
  const deleted = [];
  for (const sha of candidates) {
    if (held.has(sha)) continue;
    if ((await reqResult(byBlob.getKey(sha))) !== undefined) continue; // a record names it
    tx.objectStore("blobs").delete(sha);
    deleted.push(sha);
  }
  return deleted;
}
