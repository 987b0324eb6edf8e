// IndexedDB storage for records, artifacts and the ledger head.
//
// Stores:
//   records  (key: seq)     {seq, id, kind, recordSha256, chainSha256, capturedAt, bytes, summary, artifacts, requestId}
//   blobs    (key: sha256)  {sha256, mediaType, size, data}  content-addressed artifacts; `data`
//                           is a Uint8Array for captures (a strict commit of plain bytes is about
//                           4 ms faster than of Blobs in Chromium) or a Blob for big files
//   meta     (key: name)    "head" -> {seq, recordSha256, chainSha256}
//   pending  (key: id)      captures in flight; a leftover entry means the worker died mid-capture
//   failures (key: id)      captures that failed, kept until the user dismisses them
//
// An item is committed in ONE readwrite transaction with durability "strict": the head is
// read, the record sealed and the blobs, record and new head written together, so the
// chain can never fork and an item is either wholly stored or not at all.

export const DB_NAME = "evidence";
const DB_VERSION = 1;
let dbPromise = null;

/** Open (and on first use create) the database. */
export function openDb() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = () => {
        const db = req.result;
        const records = db.createObjectStore("records", { keyPath: "seq" });
        records.createIndex("id", "id", { unique: true });
        records.createIndex("requestId", "requestId", { unique: false });
        db.createObjectStore("blobs", { keyPath: "sha256" });
        db.createObjectStore("meta");
        db.createObjectStore("pending", { keyPath: "id" });
        db.createObjectStore("failures", { keyPath: "id" });
      };
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
 * Commit one item atomically. `seal(seq, prevRecordSha256, prevChainSha256)` must be
 * synchronous (the WASM core) and return {bytes, recordSha256, chainSha256, record}.
 * `blobs` are [{sha256, mediaType, bytes | blob}], already hashed. Resolves after the commit.
 */
export async function commitItem({ seal, blobs, summary, requestId, pendingId, genesis }) {
  const db = await openDb();
  const tx = db.transaction(["records", "blobs", "meta", "pending"], "readwrite", { durability: "strict" });
  const done = txDone(tx);
  let row = null;
  let sealError = null;
  const headReq = tx.objectStore("meta").get("head");
  headReq.onsuccess = () => {
    try {
      const head = headReq.result ?? { seq: -1, recordSha256: genesis.record, chainSha256: genesis.chain };
      const sealed = seal(head.seq + 1, head.recordSha256, head.chainSha256);
      const rec = sealed.record;
      for (const b of blobs) {
        const data = b.bytes ?? b.blob;
        tx.objectStore("blobs").put({ sha256: b.sha256, mediaType: b.mediaType, size: b.bytes?.length ?? b.blob.size, data });
      }
      row = {
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
      tx.objectStore("records").add(row);
      tx.objectStore("meta").put(
        { seq: rec.seq, recordSha256: sealed.recordSha256, chainSha256: sealed.chainSha256 },
        "head",
      );
      if (pendingId) tx.objectStore("pending").delete(pendingId);
    } catch (e) {
      sealError = e;
      tx.abort();
    }
  };
  try {
    await done;
  } catch (e) {
    throw sealError ?? e;
  }
  return row;
}

/**
 * Record that a capture is in flight. "relaxed" durability is enough: the journal only
 * has to outlive the worker (it reaches the OS at once), not an OS crash, and the
 * capture's own commit is strict.
 */
export async function addPending(entry) {
  const db = await openDb();
  const tx = db.transaction("pending", "readwrite", { durability: "relaxed" });
  tx.objectStore("pending").put(entry);
  await txDone(tx);
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
  const tx = db.transaction(["failures", "pending"], "readwrite");
  tx.objectStore("failures").put(f);
  tx.objectStore("pending").delete(f.id);
  await txDone(tx);
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
  if (rec) return { status: "stored", item: itemOf(rec) };
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
  };
}

/** Every item in ledger order (without record bytes or blobs). */
export async function listItems() {
  const db = await openDb();
  const out = [];
  await new Promise((resolve, reject) => {
    const req = db.transaction("records").objectStore("records").openCursor();
    req.onsuccess = () => {
      const c = req.result;
      if (!c) return resolve();
      out.push(itemOf(c.value));
      c.continue();
    };
    req.onerror = () => reject(storageError(req.error));
  });
  return out;
}

/** The raw stored row for one sequence number (record bytes included). */
export async function getRow(seq) {
  const db = await openDb();
  return reqResult(db.transaction("records").objectStore("records").get(seq));
}

/** A stored artifact as a Blob (whichever way it is stored), or null. */
export async function getBlob(sha256) {
  const db = await openDb();
  const row = await reqResult(db.transaction("blobs").objectStore("blobs").get(sha256));
  if (!row) return null;
  return row.data instanceof Blob ? row.data : new Blob([row.data], { type: row.mediaType });
}

/** The ledger head {seq, recordSha256, chainSha256}, or null when empty. */
export async function getHead() {
  const db = await openDb();
  return (await reqResult(db.transaction("meta").objectStore("meta").get("head"))) ?? null;
}
