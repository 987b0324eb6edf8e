// @ts-check
// Drafts: unsaved diary entries and notes, File objects included (sealed whole while a lock is set).

import { deleteValue, getMeta, openDb, prefixRange, reqResult, txDone } from "./db.js";
import { needIdentity, openDraft, sealDraft } from "./sealed.js";

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
  await deleteValue("drafts", id);
}

/** Delete every draft entry whose id starts with `prefix`. */
export async function clearDrafts(prefix) {
  await deleteValue("drafts", prefixRange(prefix));
}
