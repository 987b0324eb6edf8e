// @ts-check
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
//   pending  (key: id)      captures in flight; a leftover entry means the worker died mid-capture.
//                           `blobs`/`created`/`stagedUnder`: what the capture staged (store/staging.js)
//   failures (key: id)      captures that failed, kept until the user dismisses them
//   -- since version 2 --
//   catalog  (key: seq)     one small entry per record for the library's timeline, filters and
//                           search (store/catalog-entry.js), written in the record's own transaction.
//                           Indexes: "when" [eventAt, seq] (timeline order), "blob" (multiEntry
//                           over the item's artifact hashes: is a blob shared?)
//   drafts   (key: id)      unsaved diary entries and notes, File objects included
//   thumbs   (key: sha256)  small timeline thumbnails of image artifacts (a disposable cache, not evidence)
//   -- since version 3 --
//   timestamps (key: [seq, head, tsa]) RFC 3161 tokens over the chain value after item seq
//                           (store/timestamps.js): {seq, head, tsa (the authority's URL), tsaName,
//                           genTime, der (the exact DER TimeStampResp received), storedAt}. Beside
//                           the chain, never in it. Not sealed under the lock: a token holds only a
//                           hash of the chain and the authority's signature, no evidence content.
//   -- since version 4 --
//   checksums (key: sha256) {sha256, size, crc32, check}: the CRC-32 of a stored artifact
//                           (store/checksums.js), so that an export need not compute the ZIP
//                           CRC of bytes whose CRC is known. Derived data, never evidence:
//                           written after the item's commit in a relaxed transaction of its
//                           own, used only with a fresh SHA-256 of the bytes that is the
//                           record's hash, and a missing or damaged row (`check` is a
//                           self-check, see crate/src/checksum.rs) only means the export
//                           computes the CRC. Not sealed under the lock (a CRC-32 of content
//                           keyed by its SHA-256, which is in clear already).
//
// Passphrase lock (store/lock.js, sealing in store/sealed.js): when meta "lock" {recipient, wrappedIdentity, createdAt,
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
// A one-screen capture may write some of its content-addressed blobs earlier, each in a
// strict transaction of its own that also names it in the capture's pending entry
// (store/staging.js); the record's commit is still the one atomic point (nothing is listed
// before it), and blobs that no record and no pending entry names are swept.
// Pages and the service worker share this database; a removal (tombstone record plus the
// deletion of the removed content) is one transaction too.
//
// This module: opening the database, its schema and upgrades, the transaction helpers
// every other store module (and the lock migration) uses, and the meta key/value store.

import { core, coreReady } from "../shared/core.js";
import { captureSearchText, catalogEntry } from "./catalog-entry.js";

export const DB_NAME = "evidence";
/** Schema version. 1: records, blobs, meta, pending, failures. 2: + catalog, drafts, thumbs. 3: + timestamps. 4: + checksums. */
export const DB_VERSION = 4;
let dbPromise = null;

/** Open (and on first use create, or upgrade) the database. */
export function openDb() {
  if (!dbPromise) {
    // The core is loaded first: an upgrade builds catalog entries with it, synchronously.
    // Storage never depends on it, though: a worker whose core failed to load must still
    // record its failures, so without the core an upgrade leaves the catalog to be
    // rebuilt by the library (repairCatalog) once the core loads.
    dbPromise = coreReady().then(() => true, () => false).then((withCore) => new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = (event) => upgrade(req.result, req.transaction, event.oldVersion, withCore);
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
    }));
  }
  return dbPromise;
}

// Each step runs only for databases older than it, so a version-1 database keeps every
// record and blob and gains the new stores, with a catalog entry built for each record.
function upgrade(db, tx, oldVersion, withCore) {
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
    if (oldVersion >= 1 && withCore) backfillCatalog(tx);
  }
  if (oldVersion < 3) {
    db.createObjectStore("timestamps", { keyPath: ["seq", "head", "tsa"] });
  }
  if (oldVersion < 4) {
    // Empty in an upgraded library: its exports compute every CRC, as before.
    db.createObjectStore("checksums", { keyPath: "sha256" });
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
    const meta = row.kind === "capture" && !row.removed ? metadataRef(row) : null;
    if (!meta) {
      catalog.put(catalogEntry(row));
      c.continue();
      return;
    }
    const blobReq = blobs.get(meta.sha256);
    blobReq.onsuccess = () => {
      const data = blobReq.result?.data;
      catalog.put(catalogEntry(row, captureSearchText(data)));
      c.continue();
    };
    blobReq.onerror = (e) => {
      e.preventDefault(); // an unreadable blob must not stop the upgrade; the integrity check reports it
      catalog.put(catalogEntry(row));
      c.continue();
    };
  };
}

/** A capture row's metadata.json artifact, as its record (read by the core) lists it. */
function metadataRef(row) {
  try {
    return core.parseRecord(row.bytes).artifacts.find((a) => a.name === "metadata.json") ?? null;
  } catch {
    return null; // an unreadable record: listed without search text, and the check reports it
  }
}

/** Map an IndexedDB/DOM error to an Error with a stable code. */
export function storageError(err) {
  const e = new Error(
    err?.name === "QuotaExceededError"
      ? "Storage is full: the browser refused to store more. Nothing was saved. Export and remove old items, or free disk space, then try again."
      : `Storage failed (${err?.name ?? "unknown error"}): ${err?.message ?? ""}. Nothing was saved.`,
  );
  return Object.assign(e, { code: err?.name === "QuotaExceededError" ? "STORAGE_FULL" : "STORAGE_FAILED" });
}

export function txDone(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(storageError(tx.error));
    tx.onabort = () => reject(tx.error ? storageError(tx.error) : Object.assign(new Error("Storage transaction aborted. Nothing was saved."), { code: "STORAGE_FAILED" }));
  });
}

export function reqResult(req) {
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
export async function inTransaction(stores, mode, options, body) {
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

// --- small key/value helpers ----------------------------------------------------------------

export function prefixRange(prefix) {
  return IDBKeyRange.bound(prefix, `${prefix}\uffff`);
}

/** The value under `key` in `store` (one read-only transaction), or undefined. */
export async function getValue(store, key) {
  const db = await openDb();
  return reqResult(db.transaction(store).objectStore(store).get(key));
}

/** Delete `key` (a key, or a key range such as prefixRange's) from `store`, in a transaction of its own. */
export async function deleteValue(store, key) {
  const db = await openDb();
  const tx = db.transaction(store, "readwrite");
  tx.objectStore(store).delete(key);
  await txDone(tx);
}

/**
 * Replace one value, in one strict transaction, only if the stored one is still in clear
 * and `still(current)` holds (the lock migration: the value was encrypted outside it).
 */
export async function replaceIf(store, key, still, next) {
  const db = await openDb();
  const tx = db.transaction(store, "readwrite", { durability: "strict" });
  const finished = txDone(tx);
  const cur = await reqResult(tx.objectStore(store).get(key));
  if (cur && !cur.enc && still(cur)) tx.objectStore(store).put(next);
  await finished;
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
