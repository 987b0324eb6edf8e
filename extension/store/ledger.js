// @ts-check
// The ledger: committing items and removals (one strict transaction each, see db.js),
// and reading the stored records, blobs and the head.

import { core } from "../shared/core.js";
import { currentIdentity } from "../shared/lockstate.js";
import { captureSearchText, catalogEntry } from "./catalog-entry.js";
import { rememberChecksums } from "./checksums.js";
import { inTransaction, openDb, prefixRange, reqResult, storageError } from "./db.js";
import { needCore, needIdentity, openJson, openRow, prepareBlobs, sealCatalogEntry, sealChunks, sealRow } from "./sealed.js";
import { sweepStaged } from "./staging.js";

const emptyHead = (genesis) => ({ seq: -1, recordSha256: genesis.record, chainSha256: genesis.chain });

// Seal one item after `head` and write its blobs, record row and catalog entry into `tx`.
// Synchronous apart from the requests it queues. Returns {row, head} (the new head).
// With `lock` ({recipient}), everything is encrypted before it is written.
/**
 * @param {IDBTransaction} tx
 * @param {{seq: number, recordSha256: string, chainSha256: string}} head
 * `present`: hashes of `blobs` that are stored already (staged, store/staging.js): not written again.
 * @param {{seal: (head: any) => any, blobs?: any[], summary?: any, requestId?: string | null, searchText?: string, present?: Set<string>}} item
 * @param {any} lock
 */
function writeItem(tx, head, { seal, blobs, summary, requestId, searchText, present }, lock) {
  // Issue 10, finding 9: once unlock found that the stored public key does not belong to the
  // passphrase's key pair, nothing more is encrypted to it (captures, diary entries, notes,
  // removals alike), read inside the same transaction as the write.
  if (lock?.recipientMismatch) {
    throw codedError("KEY_MISMATCH", "The lock's public key does not match your passphrase's key, so nothing was saved. Open Settings → Lock.");
  }
  // The core seals the record right after `head` and chains it (crate/src/ledger.rs seal_next).
  const sealed = seal(head);
  const rec = sealed.record;
  for (const b of blobs ?? []) {
    if (present?.has(b.sha256)) continue; // staged before the commit (store/staging.js), and still there
    const data = b.bytes ?? b.blob;
    const size = b.bytes?.length ?? b.blob.size;
    if (lock) {
      // A Blob (big attachment) was encrypted before the transaction (prepareBlobs).
      const chunks = b.sealed ?? (b.bytes ? sealChunks(lock.recipient, b.bytes) : null);
      if (!chunks) throw codedError("LOCK_CHANGED", "The lock was set while this was being saved. Nothing was saved; please save again.");
      tx.objectStore("blobs").put({ sha256: b.sha256, mediaType: b.mediaType, size, enc: 1, data: chunks });
      continue;
    }
    tx.objectStore("blobs").put({ sha256: b.sha256, mediaType: b.mediaType, size, data });
  }
  const row = {
    seq: rec.seq,
    id: rec.id,
    kind: rec.kind,
    recordSha256: sealed.recordSha256,
    chainSha256: sealed.chainSha256,
    capturedAt: rec.captured_at,
    bytes: sealed.bytes,
    summary,
    artifacts: rec.artifacts,
    requestId: requestId ?? null,
  };
  // add(), not put(): a second writer at the same seq fails instead of overwriting.
  tx.objectStore("records").add(lock ? sealRow(lock.recipient, row) : row);
  let extra = searchText ?? "";
  if (rec.kind === "capture" && searchText == null) {
    const meta = rec.artifacts.find((a) => a.name === "metadata.json");
    const bytes = meta && (blobs ?? []).find((b) => b.sha256 === meta.sha256)?.bytes;
    if (bytes) extra = captureSearchText(bytes);
  }
  const entry = catalogEntry(row, extra);
  tx.objectStore("catalog").put(lock ? sealCatalogEntry(lock.recipient, entry) : entry);
  return { row, head: { seq: rec.seq, recordSha256: sealed.recordSha256, chainSha256: sealed.chainSha256 } };
}

/**
 * Commit one item atomically. `seal(head)` must be synchronous and seal the item right
 * after the stored head `{seq, recordSha256, chainSha256}` (`(head) => core.sealRecord(draft,
 * head)`), returning {bytes, recordSha256, chainSha256, record}.
 * `blobs` are [{sha256, mediaType, bytes | blob}], already hashed (a File or Blob is
 * stored as it is, never read into memory here). Optional: `searchText` (more words for
 * the library's search; a capture's messages are taken from its metadata.json),
 * `clearDraft` (a drafts key prefix deleted in the same transaction, so a draft goes
 * exactly when its entry is saved), `staged` ({shas, recipient} from store/staging.js
 * stageBlobs: blobs of `blobs` already written for the pending entry `pendingId`; they are
 * written again only if they are gone, and the commit is refused with LOCK_CHANGED when the
 * lock is not the one they were written under). Resolves with the stored row after the commit.
 * @param {{seal: (head: any) => any, blobs?: any[], summary?: any, requestId?: string | null, pendingId?: string | null,
 *   genesis: any, searchText?: string, clearDraft?: string, staged?: {shas: string[], recipient: string | null} | null}} item
 */
export async function commitItem({ seal, blobs, summary, requestId, pendingId, genesis, searchText, clearDraft, staged }) {
  const stores = ["records", "blobs", "meta", "pending", "catalog"];
  if (clearDraft) stores.push("drafts");
  blobs = await prepareBlobs(blobs);
  const committed = await inTransaction(stores, "readwrite", { durability: "strict" }, async (tx) => {
    const metaStore = tx.objectStore("meta");
    const stagedShas = staged?.shas ?? [];
    const [head0, lock, entry, ...found] = await Promise.all([
      reqResult(metaStore.get("head")),
      reqResult(metaStore.get("lock")),
      stagedShas.length && pendingId ? reqResult(tx.objectStore("pending").get(pendingId)) : null,
      ...stagedShas.map((sha) => reqResult(tx.objectStore("blobs").getKey(sha))),
    ]);
    if (stagedShas.length && (lock?.recipient ?? null) !== staged?.recipient) {
      throw codedError("LOCK_CHANGED", "The lock was set while this was being saved. Nothing was saved; please save again.");
    }
    const present = new Set(stagedShas.filter((_, i) => found[i] !== undefined));
    const head = head0 ?? emptyHead(genesis);
    const written = writeItem(tx, head, { seal, blobs, summary, requestId, searchText, present }, lock);
    tx.objectStore("meta").put(written.head, "head");
    if (pendingId) tx.objectStore("pending").delete(pendingId);
    if (clearDraft) tx.objectStore("drafts").delete(prefixRange(clearDraft));
    // A blob the capture staged but its record does not name (its pending entry goes now).
    const named = new Set((written.row.artifacts ?? []).map((a) => a.sha256));
    const unused = (entry?.created ?? []).filter((sha) => !named.has(sha));
    if (unused.length) await sweepStaged(tx, [{ ...entry, created: unused }]);
    return written.row;
  });
  // Derived data after the commit, in a later task (store/checksums.js): never awaited, never fails the commit.
  rememberChecksums(blobs);
  return committed;
}

/**
 * Commit several items in one transaction, in order (imports, and seeding the library
 * benchmark). Each item is {seal, blobs, summary, searchText?}. Resolves with the rows.
 */
export async function commitItems(items, { genesis, durability = "strict" }) {
  const prepared = [];
  for (const item of items) prepared.push({ ...item, blobs: await prepareBlobs(item.blobs) });
  const rows = await inTransaction(["records", "blobs", "meta", "catalog"], "readwrite", { durability }, async (tx) => {
    let head = (await reqResult(tx.objectStore("meta").get("head"))) ?? emptyHead(genesis);
    const lock = await reqResult(tx.objectStore("meta").get("lock"));
    const rows = [];
    for (const item of prepared) {
      const written = writeItem(tx, head, item, lock);
      rows.push(written.row);
      head = written.head;
    }
    tx.objectStore("meta").put(head, "head");
    return rows;
  });
  rememberChecksums(prepared.flatMap((item) => item.blobs ?? [])); // as in commitItem
  return rows;
}

function codedError(code, message) {
  return Object.assign(new Error(message), { code });
}

/**
 * Remove an item's content and record the removal, in ONE strict transaction:
 *   - the removal record (sealed by `seal(head)`, see commitItem) is added;
 *   - the target row keeps seq, id, kind, recordSha256, chainSha256, capturedAt and its
 *     artifact refs, gains {removed, removedBy, removedAt} and loses its record bytes and
 *     summary, so the chain still verifies over its hash;
 *   - the target's blobs are deleted unless another item that is not removed lists the
 *     same hash; their thumbnails and stored checksums (store/checksums.js) go too.
 * `expectRecordSha256` guards against removing something other than what the user saw.
 * Resolves with {row (the removal's), target (the updated target row), deletedBlobs}.
 */
export async function commitRemoval({ targetSeq, expectRecordSha256, seal, genesis, removedAt }) {
  return inTransaction(["records", "blobs", "meta", "catalog", "thumbs", "checksums"], "readwrite", { durability: "strict" }, async (tx) => {
    const records = tx.objectStore("records");
    const target = await reqResult(records.get(targetSeq));
    if (!target) throw codedError("NOT_FOUND", `Item ${targetSeq} is not stored.`);
    if (target.removed) throw codedError("ALREADY_REMOVED", `The content of item ${targetSeq} was already removed.`);
    if (target.kind === "removal") throw codedError("INVALID_INPUT", "A removal note cannot be removed: it is what keeps the history honest.");
    if (target.recordSha256 !== expectRecordSha256) throw codedError("HASH_MISMATCH", `Item ${targetSeq} is not the item that was shown. Nothing was removed.`);
    const head = (await reqResult(tx.objectStore("meta").get("head"))) ?? emptyHead(genesis);
    const lock = await reqResult(tx.objectStore("meta").get("lock"));
    const written = writeItem(tx, head, { seal, blobs: [], summary: null }, lock);
    tx.objectStore("meta").put(written.head, "head");
    const deletedBlobs = [];
    const byBlob = tx.objectStore("catalog").index("blob");
    for (const sha of new Set((target.artifacts ?? []).map((a) => a.sha256))) {
      const users = await reqResult(byBlob.getAllKeys(sha));
      if (users.some((seq) => seq !== targetSeq)) continue; // shared with an item that stays
      tx.objectStore("blobs").delete(sha);
      tx.objectStore("thumbs").delete(sha);
      tx.objectStore("checksums").delete(sha);
      deletedBlobs.push(sha);
    }
    const kept = {
      seq: target.seq,
      id: target.id,
      kind: target.kind,
      recordSha256: target.recordSha256,
      chainSha256: target.chainSha256,
      capturedAt: target.capturedAt,
      artifacts: target.artifacts,
      // Under the lock the file names stay encrypted (sealed.js sealRow).
      ...(target.sealedArtifacts ? { enc: 1, bytes: null, summary: null, sealedArtifacts: target.sealedArtifacts } : {}),
      requestId: target.requestId ?? null,
      removed: true,
      removedBy: written.row.seq,
      removedAt: removedAt ?? written.row.capturedAt,
    };
    records.put(kept);
    const keptEntry = catalogEntry(kept, null);
    tx.objectStore("catalog").put(lock ? sealCatalogEntry(lock.recipient, keptEntry) : keptEntry);
    return { row: written.row, target: kept, deletedBlobs };
  });
}

/** The public shape of a stored item. */
export function itemOf(row) {
  return {
    seq: row.seq,
    id: row.id,
    kind: row.kind,
    recordSha256: row.recordSha256,
    chainSha256: row.chainSha256,
    capturedAt: row.capturedAt,
    summary: row.summary,
    artifacts: row.artifacts,
    removed: row.removed === true,
  };
}

// The public shape, with the summary decrypted when the lock is open (else null).
export async function itemOfOpen(row) {
  if (!row.enc) return itemOf(row);
  const identity = await currentIdentity();
  const item = itemOf(row);
  item.summary = identity && row.summary ? await openJson(identity, row.summary) : null;
  if (identity && row.sealedArtifacts) item.artifacts = await openJson(identity, row.sealedArtifacts);
  item.locked = !identity;
  return item;
}

/** Every item in ledger order (without record bytes or blobs). A removed item has `removed: true` and no summary. */
export async function listItems() {
  const db = await openDb();
  const out = [];
  await new Promise((resolve, reject) => {
    const req = db.transaction("records").objectStore("records").openCursor();
    req.onsuccess = () => {
      const c = req.result;
      if (!c) return resolve();
      out.push(c.value);
      c.continue();
    };
    req.onerror = () => reject(storageError(req.error));
  });
  return Promise.all(out.map((row) => itemOfOpen(row)));
}

/** The stored row for one sequence number (record bytes included, decrypted; "LOCKED" while locked). */
export async function getRow(seq) {
  const db = await openDb();
  return openRow(await reqResult(db.transaction("records").objectStore("records").get(seq)));
}

/** A stored artifact as a Blob (whichever way it is stored, decrypted), or null. */
export async function getBlob(sha256) {
  const db = await openDb();
  const row = await reqResult(db.transaction("blobs").objectStore("blobs").get(sha256));
  if (!row) return null;
  if (row.enc) {
    const c = await needCore();
    const identity = await needIdentity();
    // Chunk by chunk: each age file is at most 4 MiB of plaintext.
    return new Blob(
      row.data.map((chunk) => c.lockDecrypt(identity, chunk)),
      { type: row.mediaType },
    );
  }
  return row.data instanceof Blob ? row.data : new Blob([row.data], { type: row.mediaType });
}

/** The ledger head {seq, recordSha256, chainSha256}, or null when empty. */
export async function getHead() {
  const db = await openDb();
  return (await reqResult(db.transaction("meta").objectStore("meta").get("head"))) ?? null;
}

/** Up to `count` stored rows from sequence number `fromSeq` on, in ledger order (record bytes included). */
export async function getRowsFrom(fromSeq, count) {
  const db = await openDb();
  const rows = await reqResult(db.transaction("records").objectStore("records").getAll(IDBKeyRange.lowerBound(fromSeq), count));
  return Promise.all(rows.map(openRow));
}

/** Number of stored records. */
export async function countRecords() {
  const db = await openDb();
  return reqResult(db.transaction("records").objectStore("records").count());
}

/** Whether a blob with this hash is stored (without reading it). */
export async function hasBlob(sha256) {
  const db = await openDb();
  return (await reqResult(db.transaction("blobs").objectStore("blobs").getKey(sha256))) !== undefined;
}
