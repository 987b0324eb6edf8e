// IndexedDB storage for records, artifacts and the ledger head.
//
// Stores:
//   records  (key: seq)     {seq, id, kind, recordSha256, chainSha256, capturedAt, bytes, summary, artifacts, requestId}
//                           A removed item keeps {seq, id, kind, recordSha256, chainSha256, capturedAt,
//                           artifacts, requestId} plus {removed: true, removedBy, removedAt}: its record
//                           bytes, summary and (unshared) blobs are gone, its hashes stay in the chain.
//   blobs    (key: sha256)  {sha256, mediaType, size, data}  content-addressed artifacts; `data`
//                           is a Uint8Array for captures (a strict commit of plain bytes is about
//                           4 ms faster than of Blobs in Chromium) or a Blob for big files
//   meta     (key: name)    "head" -> {seq, recordSha256, chainSha256}; "lastCheck" -> the last integrity check
//   pending  (key: id)      captures in flight; a leftover entry means the worker died mid-capture
//   failures (key: id)      captures that failed, kept until the user dismisses them
//   -- since version 2 --
//   catalog  (key: seq)     one small entry per record for the library's timeline, filters and
//                           search (library/catalog.js), written in the record's own transaction.
//                           Indexes: "when" [eventAt, seq] (timeline order), "blob" (multiEntry
//                           over the item's artifact hashes: is a blob shared?)
//   drafts   (key: id)      unsaved diary entries and notes, File objects included
//   thumbs   (key: sha256)  small timeline thumbnails of image artifacts (a disposable cache, not evidence)
//
// Passphrase lock (lock.js): when meta "lock" {recipient, wrappedIdentity, createdAt,
// migration} exists, content is stored encrypted to the public age recipient, marked
// `enc: 1`: blobs.data becomes an array of age files (one per <= 4 MiB chunk), the record
// row's bytes and summary become age files, a catalog entry keeps only {seq, id, kind,
// eventAt, capturedAt, recordSha256, removed, blobs} in clear (the indexes need them) and
// the rest in `sealed`, drafts are sealed whole (files in chunks), no thumbnails are kept
// and pending/failure entries lose their URL and title. Keys stay the plaintext sha256.
// Reads decrypt with the identity from storage.session, or throw code "LOCKED".
//
// An item is committed in ONE readwrite transaction with durability "strict": the head is
// read, the record sealed and the blobs, record, catalog entry and new head written
// together, so the chain can never fork and an item is either wholly stored or not at all.
// Pages and the service worker share this database; a removal (tombstone record plus the
// deletion of the removed content) is one transaction too.

import { captureSearchText, catalogEntry, parseRecordJson } from "./library/catalog.js";
import { core, coreReady } from "./core.js";
import { currentIdentity, lockedError } from "./lockstate.js";

export const DB_NAME = "evidence";
/** Schema version. 1: records, blobs, meta, pending, failures. 2: + catalog, drafts, thumbs. */
export const DB_VERSION = 2;
let dbPromise = null;

/** Open (and on first use create, or upgrade) the database. */
export function openDb() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = (event) => upgrade(req.result, req.transaction, event.oldVersion);
      req.onsuccess = () => {
        const db = req.result;
        db.onversionchange = () => {
          db.close();
          dbPromise = null;
        };
        resolve(db);
      };
      req.onerror = () => {
        dbPromise = null;
        reject(storageError(req.error));
      };
    });
  }
  return dbPromise;
}

// Each step runs only for databases older than it, so a version-1 database keeps every
// record and blob and gains the new stores, with a catalog entry built for each record.
function upgrade(db, tx, oldVersion) {
  if (oldVersion < 1) {
    const records = db.createObjectStore("records", { keyPath: "seq" });
    records.createIndex("id", "id", { unique: true });
    records.createIndex("requestId", "requestId", { unique: false });
    db.createObjectStore("blobs", { keyPath: "sha256" });
    db.createObjectStore("meta");
    db.createObjectStore("pending", { keyPath: "id" });
    db.createObjectStore("failures", { keyPath: "id" });
  }
  if (oldVersion < 2) {
    const catalog = db.createObjectStore("catalog", { keyPath: "seq" });
    catalog.createIndex("when", ["eventAt", "seq"]);
    catalog.createIndex("blob", "blobs", { multiEntry: true });
    db.createObjectStore("drafts", { keyPath: "id" });
    db.createObjectStore("thumbs", { keyPath: "sha256" });
    if (oldVersion >= 1) backfillCatalog(tx);
  }
}

function backfillCatalog(tx) {
  const blobs = tx.objectStore("blobs");
  const catalog = tx.objectStore("catalog");
  const cursorReq = tx.objectStore("records").openCursor();
  cursorReq.onsuccess = () => {
    const c = cursorReq.result;
    if (!c) return;
    const row = c.value;
    const record = row.removed ? null : parseRecordJson(row.bytes);
    const meta = row.kind === "capture" ? record?.artifacts?.find((a) => a.name === "metadata.json") : null;
    if (!meta) {
      catalog.put(catalogEntry(row, record));
      c.continue();
      return;
    }
    const blobReq = blobs.get(meta.sha256);
    blobReq.onsuccess = () => {
      const data = blobReq.result?.data;
      catalog.put(catalogEntry(row, record, data instanceof Uint8Array ? captureSearchText(data) : ""));
      c.continue();
    };
    blobReq.onerror = (e) => {
      e.preventDefault(); // an unreadable blob must not stop the upgrade; the integrity check reports it
      catalog.put(catalogEntry(row, record));
      c.continue();
    };
  };
}

/** Map an IndexedDB/DOM error to an Error with a stable code. */
export function storageError(err) {
  const e = new Error(
    err?.name === "QuotaExceededError"
      ? "Storage is full: the browser refused to store more. Nothing was saved. Export and remove old items, or free disk space, then try again."
      : `Storage failed (${err?.name ?? "unknown error"}): ${err?.message ?? ""}. Nothing was saved.`,
  );
  e.code = err?.name === "QuotaExceededError" ? "STORAGE_FULL" : "STORAGE_FAILED";
  return e;
}

function txDone(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(storageError(tx.error));
    tx.onabort = () => reject(tx.error ? storageError(tx.error) : Object.assign(new Error("Storage transaction aborted. Nothing was saved."), { code: "STORAGE_FAILED" }));
  });
}

function reqResult(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(storageError(req.error));
  });
}

/**
 * Run `body(tx)` in one transaction and resolve with its result after the commit. The
 * body may await IndexedDB requests of `tx` (and nothing else, or the transaction
 * would close); if it throws, the transaction is aborted and that error is thrown.
 */
async function inTransaction(stores, mode, options, body) {
  const db = await openDb();
  const tx = db.transaction(stores, mode, options);
  const done = txDone(tx);
  let bodyError = null;
  let result;
  try {
    result = await body(tx);
  } catch (e) {
    bodyError = e;
    try {
      tx.abort();
    } catch {
      // Already finished or aborted.
    }
  }
  try {
    await done;
  } catch (e) {
    throw bodyError ?? e;
  }
  if (bodyError) throw bodyError;
  return result;
}

const emptyHead = (genesis) => ({ seq: -1, recordSha256: genesis.record, chainSha256: genesis.chain });

// Seal one item after `head` and write its blobs, record row and catalog entry into `tx`.
// Synchronous apart from the requests it queues. Returns {row, head} (the new head).
// With `lock` ({recipient}), everything is encrypted before it is written.
function writeItem(tx, head, { seal, blobs, summary, requestId, searchText }, lock) {
  const sealed = seal(head.seq + 1, head.recordSha256, head.chainSha256);
  const rec = sealed.record;
  if (rec.seq !== head.seq + 1) throw Object.assign(new Error("The record was sealed at the wrong place in the chain."), { code: "BROKEN_CHAIN" });
  for (const b of blobs ?? []) {
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
  const entry = catalogEntry(row, rec, extra);
  tx.objectStore("catalog").put(lock ? sealCatalogEntry(lock.recipient, entry) : entry);
  return { row, head: { seq: rec.seq, recordSha256: sealed.recordSha256, chainSha256: sealed.chainSha256 } };
}

/**
 * Commit one item atomically. `seal(seq, prevRecordSha256, prevChainSha256)` must be
 * synchronous (the WASM core) and return {bytes, recordSha256, chainSha256, record}.
 * `blobs` are [{sha256, mediaType, bytes | blob}], already hashed (a File or Blob is
 * stored as it is, never read into memory here). Optional: `searchText` (more words for
 * the library's search; a capture's messages are taken from its metadata.json),
 * `clearDraft` (a drafts key prefix deleted in the same transaction, so a draft goes
 * exactly when its entry is saved). Resolves with the stored row after the commit.
 */
export async function commitItem({ seal, blobs, summary, requestId, pendingId, genesis, searchText, clearDraft }) {
  const stores = ["records", "blobs", "meta", "pending", "catalog"];
  if (clearDraft) stores.push("drafts");
  blobs = await prepareBlobs(blobs);
  return inTransaction(stores, "readwrite", { durability: "strict" }, async (tx) => {
    const metaStore = tx.objectStore("meta");
    const [head0, lock] = await Promise.all([reqResult(metaStore.get("head")), reqResult(metaStore.get("lock"))]);
    const head = head0 ?? emptyHead(genesis);
    const written = writeItem(tx, head, { seal, blobs, summary, requestId, searchText }, lock);
    tx.objectStore("meta").put(written.head, "head");
    if (pendingId) tx.objectStore("pending").delete(pendingId);
    if (clearDraft) tx.objectStore("drafts").delete(prefixRange(clearDraft));
    return written.row;
  });
}

/**
 * Commit several items in one transaction, in order (imports, and seeding the library
 * benchmark). Each item is {seal, blobs, summary, searchText?}. Resolves with the rows.
 */
export async function commitItems(items, { genesis, durability = "strict" }) {
  const prepared = [];
  for (const item of items) prepared.push({ ...item, blobs: await prepareBlobs(item.blobs) });
  return inTransaction(["records", "blobs", "meta", "catalog"], "readwrite", { durability }, async (tx) => {
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
}

function codedError(code, message) {
  return Object.assign(new Error(message), { code });
}

/**
 * Remove an item's content and record the removal, in ONE strict transaction:
 *   - the removal record (sealed by `seal(seq, prevRecord, prevChain)`) is added;
 *   - the target row keeps seq, id, kind, recordSha256, chainSha256, capturedAt and its
 *     artifact refs, gains {removed, removedBy, removedAt} and loses its record bytes and
 *     summary, so the chain still verifies over its hash;
 *   - the target's blobs are deleted unless another item that is not removed lists the
 *     same hash; their thumbnails go too.
 * `expectRecordSha256` guards against removing something other than what the user saw.
 * Resolves with {row (the removal's), target (the updated target row), deletedBlobs}.
 */
export async function commitRemoval({ targetSeq, expectRecordSha256, seal, genesis, removedAt }) {
  return inTransaction(["records", "blobs", "meta", "catalog", "thumbs"], "readwrite", { durability: "strict" }, async (tx) => {
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

/**
 * Record that a capture is in flight. "relaxed" durability is enough: the journal only
 * has to outlive the worker (it reaches the OS at once), not an OS crash, and the
 * capture's own commit is strict.
 */
export async function addPending(entry) {
  const db = await openDb();
  const tx = db.transaction(["pending", "meta"], "readwrite", { durability: "relaxed" });
  const done = txDone(tx);
  const lock = await reqResult(tx.objectStore("meta").get("lock"));
  tx.objectStore("pending").put(lock ? withoutPlace(entry) : entry);
  await done;
}

// While a lock is set, journal and failure entries keep no URL or title.
function withoutPlace(entry) {
  return { ...entry, url: null, title: null };
}

/** Remove a pending entry (the capture failed and was reported). */
export async function removePending(id) {
  const db = await openDb();
  const tx = db.transaction("pending", "readwrite");
  tx.objectStore("pending").delete(id);
  await txDone(tx);
}

/** Move every leftover pending entry to failures; returns the failures created. */
export async function failLeftoverPending(now) {
  const db = await openDb();
  const tx = db.transaction(["pending", "failures"], "readwrite", { durability: "strict" });
  const done = txDone(tx);
  const leftovers = await reqResult(tx.objectStore("pending").getAll());
  const created = [];
  for (const p of leftovers) {
    const f = {
      id: p.id,
      url: p.url,
      title: p.title ?? null,
      startedAt: p.startedAt,
      reportedAt: now,
      code: "INTERRUPTED",
      message: "The capture was interrupted (the extension was stopped) before it was saved. Nothing was stored for it. Capture the page again if it is still there.",
    };
    tx.objectStore("failures").put(f);
    tx.objectStore("pending").delete(p.id);
    created.push(f);
  }
  await done;
  return created;
}

/** Store a failure so the user sees it later. */
export async function addFailure(f) {
  const db = await openDb();
  const tx = db.transaction(["failures", "pending", "meta"], "readwrite");
  const done = txDone(tx);
  const lock = await reqResult(tx.objectStore("meta").get("lock"));
  tx.objectStore("failures").put(lock ? withoutPlace(f) : f);
  tx.objectStore("pending").delete(f.id);
  await done;
}

/** All failures, oldest first. */
export async function listFailures() {
  const db = await openDb();
  const all = await reqResult(db.transaction("failures").objectStore("failures").getAll());
  return all.sort((a, b) => (a.startedAt < b.startedAt ? -1 : 1));
}

/** Forget a failure the user has seen. */
export async function dismissFailure(id) {
  const db = await openDb();
  const tx = db.transaction("failures", "readwrite");
  tx.objectStore("failures").delete(id);
  await txDone(tx);
}

/** Status of a capture request: "stored", "pending", "failed" or "unknown". */
export async function requestStatus(requestId) {
  const db = await openDb();
  const tx = db.transaction(["records", "pending", "failures"]);
  const rec = await reqResult(tx.objectStore("records").index("requestId").get(requestId));
  if (rec) return { status: "stored", item: await itemOfOpen(rec) };
  if (await reqResult(tx.objectStore("pending").get(requestId))) return { status: "pending" };
  const f = await reqResult(tx.objectStore("failures").get(requestId));
  if (f) return { status: "failed", error: { code: f.code, message: f.message } };
  return { status: "unknown" };
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
async function itemOfOpen(row) {
  if (!row.enc) return itemOf(row);
  const identity = await currentIdentity();
  const item = itemOf(row);
  item.summary = identity && row.summary ? await openJson(identity, row.summary) : null;
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

/** Every catalog entry with a sequence number above `afterSeq` (all when omitted), in ledger order. */
export async function catalogAll(afterSeq = -1) {
  const db = await openDb();
  return openEntries(await reqResult(db.transaction("catalog").objectStore("catalog").getAll(IDBKeyRange.lowerBound(afterSeq, true))));
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

// --- small key/value helpers ----------------------------------------------------------------

function prefixRange(prefix) {
  return IDBKeyRange.bound(prefix, `${prefix}\uffff`);
}

/** A value from the meta store (e.g. "lastCheck"), or null. */
export async function getMeta(name) {
  const db = await openDb();
  return (await reqResult(db.transaction("meta").objectStore("meta").get(name))) ?? null;
}

/** Store a value in the meta store. "head" is refused: only commits move the head. */
export async function putMeta(name, value) {
  if (name === "head") throw new Error("the head is written by commits only");
  const db = await openDb();
  const tx = db.transaction("meta", "readwrite");
  tx.objectStore("meta").put(value, name);
  await txDone(tx);
}

/** Save a draft entry {id, ...} (File objects may be included). */
export async function putDraft(entry) {
  const lock = await getMeta("lock");
  if (lock) entry = await sealDraft(lock.recipient, entry);
  const db = await openDb();
  const tx = db.transaction("drafts", "readwrite", { durability: "relaxed" });
  tx.objectStore("drafts").put(entry);
  await txDone(tx);
}

/** Every draft entry whose id starts with `prefix`. */
export async function getDrafts(prefix) {
  const db = await openDb();
  const all = await reqResult(db.transaction("drafts").objectStore("drafts").getAll(prefixRange(prefix)));
  if (!all.some((d) => d.enc)) return all;
  const identity = await needIdentity();
  return Promise.all(all.map((d) => (d.enc ? openDraft(identity, d) : d)));
}

/** Delete one draft entry. */
export async function deleteDraft(id) {
  const db = await openDb();
  const tx = db.transaction("drafts", "readwrite");
  tx.objectStore("drafts").delete(id);
  await txDone(tx);
}

/** Delete every draft entry whose id starts with `prefix`. */
export async function clearDrafts(prefix) {
  const db = await openDb();
  const tx = db.transaction("drafts", "readwrite");
  tx.objectStore("drafts").delete(prefixRange(prefix));
  await txDone(tx);
}

/** A cached thumbnail {sha256, blob, width, height} of an image artifact, or undefined. */
export async function getThumb(sha256) {
  const db = await openDb();
  return reqResult(db.transaction("thumbs").objectStore("thumbs").get(sha256));
}

/** Cache a thumbnail, unless its source blob is gone (removed meanwhile). */
export async function putThumb(thumb) {
  const db = await openDb();
  const tx = db.transaction(["thumbs", "blobs", "meta"], "readwrite", { durability: "relaxed" });
  const done = txDone(tx);
  const src = await reqResult(tx.objectStore("blobs").getKey(thumb.sha256));
  // No thumbnails are kept while a lock is set: they would show the evidence in clear.
  const lock = await reqResult(tx.objectStore("meta").get("lock"));
  if (src !== undefined && !lock) tx.objectStore("thumbs").put(thumb);
  await done;
}

/** Whether a blob with this hash is stored (without reading it). */
export async function hasBlob(sha256) {
  const db = await openDb();
  return (await reqResult(db.transaction("blobs").objectStore("blobs").getKey(sha256))) !== undefined;
}

// --- encryption at rest (passphrase lock) -----------------------------------------------------

/** Plaintext bytes per age file: blobs and drafted files are split into chunks of this size. */
export const SEAL_CHUNK = 4 * 1024 * 1024;
const enc = new TextEncoder();
const dec = new TextDecoder();

async function needCore() {
  await coreReady();
  return core;
}

async function needIdentity() {
  const identity = await currentIdentity();
  if (!identity) throw lockedError();
  return identity;
}

/** Encrypt bytes to the recipient as an array of age files (sync; the core must be ready). */
export function sealChunks(recipient, bytes) {
  const out = [core.lockEncrypt(recipient, bytes.subarray(0, Math.min(SEAL_CHUNK, bytes.length)))];
  for (let off = SEAL_CHUNK; off < bytes.length; off += SEAL_CHUNK) {
    out.push(core.lockEncrypt(recipient, bytes.subarray(off, Math.min(off + SEAL_CHUNK, bytes.length))));
  }
  return out;
}

/** Encrypt a Blob (read chunk by chunk) or bytes; resolves with an array of age files. */
export async function sealData(recipient, data) {
  await needCore();
  if (!(data instanceof Blob)) return sealChunks(recipient, data);
  const out = [];
  let off = 0;
  do {
    const part = new Uint8Array(await data.slice(off, off + SEAL_CHUNK).arrayBuffer());
    out.push(core.lockEncrypt(recipient, part));
    off += SEAL_CHUNK;
  } while (off < data.size);
  return out;
}

function sealJson(recipient, value) {
  return core.lockEncrypt(recipient, enc.encode(JSON.stringify(value)));
}

async function openJson(identity, bytes) {
  await needCore();
  return JSON.parse(dec.decode(core.lockDecrypt(identity, bytes)));
}

/** A record row with its bytes and summary encrypted (sync; the core must be ready). */
export function sealRow(recipient, row) {
  if (row.enc || (!row.bytes && row.summary == null)) return row;
  return {
    ...row,
    enc: 1,
    bytes: row.bytes ? core.lockEncrypt(recipient, row.bytes) : null,
    summary: row.summary == null ? null : sealJson(recipient, row.summary),
  };
}

async function openRow(row) {
  if (!row?.enc) return row;
  const identity = await needIdentity();
  await needCore();
  const { enc: _enc, ...rest } = row;
  return {
    ...rest,
    bytes: row.bytes ? core.lockDecrypt(identity, row.bytes) : null,
    summary: row.summary ? await openJson(identity, row.summary) : null,
  };
}

const CLEAR_CATALOG_FIELDS = ["seq", "id", "kind", "eventAt", "capturedAt", "recordSha256", "removed", "blobs"];

/** A catalog entry with everything but the fields the indexes and counts need encrypted. */
export function sealCatalogEntry(recipient, entry) {
  if (entry.enc) return entry;
  const out = { enc: 1, sealed: sealJson(recipient, entry) };
  for (const k of CLEAR_CATALOG_FIELDS) if (k in entry) out[k] = entry[k];
  return out;
}

async function openEntries(entries) {
  if (!entries.some((e) => e.enc)) return entries;
  const identity = await needIdentity();
  await needCore();
  return entries.map((e) => (e.enc ? JSON.parse(dec.decode(core.lockDecrypt(identity, e.sealed))) : e));
}

/** A draft entry sealed whole: its JSON, and an attached file's bytes in chunks. */
export async function sealDraft(recipient, entry) {
  if (entry.enc) return entry;
  await needCore();
  const { id, file, ...rest } = entry;
  const out = { id, enc: 1, sealed: sealJson(recipient, rest) };
  if (file instanceof Blob) {
    out.fileMeta = sealJson(recipient, { name: file.name ?? "", type: file.type, lastModified: file.lastModified ?? Date.now() });
    out.file = await sealData(recipient, file);
  }
  return out;
}

async function openDraft(identity, d) {
  const entry = { id: d.id, ...(await openJson(identity, d.sealed)) };
  if (d.file) {
    const m = await openJson(identity, d.fileMeta);
    entry.file = new File(d.file.map((c) => core.lockDecrypt(identity, c)), m.name, { type: m.type, lastModified: m.lastModified });
  }
  return entry;
}

// Big Blobs (attachments) are encrypted before the transaction, which must not wait on
// Blob reads; bytes are encrypted inside it. Without a lock nothing is read here.
async function prepareBlobs(blobs) {
  if (!blobs?.some((b) => !b.bytes && b.blob)) return blobs;
  const lock = await getMeta("lock");
  if (!lock) return blobs;
  await needCore();
  const out = [];
  for (const b of blobs) out.push(b.bytes ? b : { ...b, sealed: await sealData(lock.recipient, b.blob) });
  return out;
}
