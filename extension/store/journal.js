// @ts-check
// The capture journal: pending entries (captures in flight) and failures (captures that
// failed, kept until the user dismisses them).

import { deleteValue, openDb, reqResult, txDone } from "./db.js";
import { itemOfOpen } from "./ledger.js";
import { sweepStaged } from "./staging.js";

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

/**
 * Remove a pending entry (the capture failed and was reported), and the blobs it staged
 * that nothing else names (store/staging.js).
 */
export async function removePending(id) {
  const db = await openDb();
  const tx = db.transaction(["pending", "blobs", "catalog"], "readwrite", { durability: "strict" });
  const done = txDone(tx);
  const entry = await reqResult(tx.objectStore("pending").get(id));
  tx.objectStore("pending").delete(id);
  if (entry) await sweepStaged(tx, [entry]);
  await done;
}

/** Move every leftover pending entry to failures; returns the failures created. */
export async function failLeftoverPending(now) {
  const db = await openDb();
  const tx = db.transaction(["pending", "failures", "blobs", "catalog"], "readwrite", { durability: "strict" });
  const done = txDone(tx);
  const leftovers = await reqResult(tx.objectStore("pending").getAll());
  // Blobs staged by a capture the worker did not finish: nothing else names them.
  await sweepStaged(tx, leftovers);
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
  const tx = db.transaction(["failures", "pending", "meta", "blobs", "catalog"], "readwrite");
  const done = txDone(tx);
  const [lock, entry] = await Promise.all([reqResult(tx.objectStore("meta").get("lock")), reqResult(tx.objectStore("pending").get(f.id))]);
  tx.objectStore("failures").put(lock ? withoutPlace(f) : f);
  tx.objectStore("pending").delete(f.id);
  if (entry) await sweepStaged(tx, [entry]);
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
  await deleteValue("failures", id);
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
