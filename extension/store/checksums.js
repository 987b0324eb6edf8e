// @ts-check
// Stored CRC-32 checksums of artifacts (the `checksums` store, see db.js): derived data
// that lets an export skip computing the ZIP CRC-32 of bytes whose CRC is already known.
// Never evidence, never exported, and never on a capture's critical path: rows are
// computed by the core (crate/src/checksum.rs) from bytes whose SHA-256 is their content
// address, after the item's strict commit, and written in a relaxed transaction of their
// own. A failure to compute or store one is only logged: it can't fail a capture, it only
// means the export computes that CRC. The export uses a row only together with a fresh
// SHA-256 of the bytes it reads that is the record's hash, and the core ignores a damaged
// row (ArchiveBuilder.storedArtifactKnown).

import { core, coreReady } from "../shared/core.js";
import { openDb, reqResult, txDone } from "./db.js";

const SLICE = 64 * 1024; // fed to WASM in slices (see shared/core.js)

/**
 * The checksum row of `bytes`, whose SHA-256 the caller computed as `sha256`.
 * @param {string} sha256 @param {Uint8Array} bytes
 */
export function checksumOf(sha256, bytes) {
  const c = new core.CrcStream();
  try {
    for (let off = 0; off < bytes.length; off += SLICE) c.update(bytes.subarray(off, Math.min(off + SLICE, bytes.length)));
    return c.finish(sha256);
  } finally {
    c.free();
  }
}

/** @param {any[]} rows */
async function putRows(rows) {
  if (!rows.length) return;
  const db = await openDb();
  const tx = db.transaction("checksums", "readwrite", { durability: "relaxed" });
  const done = txDone(tx);
  for (const r of rows) tx.objectStore("checksums").put(r);
  await done;
}

/**
 * After an item's commit: remember the CRC-32 of the artifacts that were stored as bytes
 * (`blobs` as commitItem takes them: {sha256, bytes | blob}, each sha256 the SHA-256 of
 * its bytes, computed by the writer). Runs in a later task, so the caller's answer goes
 * out first; resolves when done and never rejects (a failure is logged and only means
 * the export computes these CRCs). A File or Blob is not read again here: its checksum
 * is remembered where its stored copy is re-read and re-hashed (rememberWhileChecking).
 * @param {{sha256: string, bytes?: Uint8Array}[] | undefined} blobs
 * @returns {Promise<void>}
 */
export function rememberChecksums(blobs) {
  const items = (blobs ?? []).filter((b) => b.bytes instanceof Uint8Array && typeof b.sha256 === "string");
  if (!items.length) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, 0))
    .then(() => putRows(items.map((b) => checksumOf(b.sha256, b.bytes ?? new Uint8Array(0)))))
    .catch((e) => console.warn("checksums: not stored (the export will compute these CRCs)", e));
}

/**
 * Re-read the stored copies of `artifacts` ({name, sha256, bytes}), checking that each
 * still has its record's SHA-256 and size (the stored bytes must be the bytes hashed),
 * and remember the CRC-32 of each copy that does: computed from bytes whose SHA-256 was
 * just checked to be the content address. Resolves with the names that did not match.
 * @param {(sha256: string) => Promise<Blob | null>} getBlob
 * @param {{name: string, sha256: string, bytes: number}[]} artifacts
 * @param {(text: string, fraction: number) => void} progress
 */
export async function recheckAndRemember(getBlob, artifacts, progress) {
  await coreReady();
  const bad = [];
  const rows = [];
  const total = artifacts.reduce((n, a) => n + a.bytes, 0) || 1;
  const step = 8 * 1024 * 1024;
  let before = 0;
  for (const a of artifacts) {
    const blob = await getBlob(a.sha256);
    let ok = false;
    if (blob) {
      const s = new core.ChecksumStream();
      try {
        for (let off = 0; off < blob.size; off += step) {
          const chunk = new Uint8Array(await blob.slice(off, off + step).arrayBuffer());
          for (let i = 0; i < chunk.length; i += SLICE) s.update(chunk.subarray(i, Math.min(i + SLICE, chunk.length)));
          progress(`Checking the saved copy of ${a.name}…`, (before + Math.min(off + step, blob.size)) / total);
        }
        const { row } = s.finish(a.sha256);
        ok = !!row && blob.size === a.bytes;
        if (ok) rows.push(row);
      } finally {
        s.free();
      }
    }
    if (!ok) bad.push(a.name);
    before += a.bytes;
  }
  await putRows(rows).catch((e) => console.warn("checksums: not stored (the export will compute these CRCs)", e));
  return bad;
}

/**
 * The stored checksum row of `sha256` (undefined when there is none; a storage failure
 * counts as none: the export then computes the CRC).
 * @param {string} sha256
 */
export async function getChecksum(sha256) {
  try {
    const db = await openDb();
    return await reqResult(db.transaction("checksums").objectStore("checksums").get(sha256));
  } catch (e) {
    console.warn("checksums: not read (the export computes this CRC)", e);
    return undefined;
  }
}
