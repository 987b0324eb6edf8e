// @ts-check
// Thumbnails: a disposable cache of small timeline images of image artifacts (not evidence).

import { openDb, reqResult, txDone } from "./db.js";

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
