// @ts-check
// Encryption at rest (the passphrase lock, see lock.js): sealing and opening record rows,
// catalog entries, drafts and blobs with the age format through the core.

import { core, coreReady } from "../shared/core.js";
import { currentIdentity, lockedError } from "../shared/lockstate.js";
import { getMeta } from "./db.js";

// --- encryption at rest (passphrase lock) -----------------------------------------------------

/** Plaintext bytes per age file: blobs and drafted files are split into chunks of this size. */
export const SEAL_CHUNK = 4 * 1024 * 1024;
const enc = new TextEncoder();
const dec = new TextDecoder();

export async function needCore() {
  await coreReady();
  return core;
}

export async function needIdentity() {
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

export async function openJson(identity, bytes) {
  await needCore();
  return JSON.parse(dec.decode(core.lockDecrypt(identity, bytes)));
}

// A record row's artifact list names its files ("photo-of-bruises.jpg"): while a lock is
// set only hashes, sizes and media types stay in clear (integrity checks and removals need
// them); the full list is kept encrypted in `sealedArtifacts`.
const namesIn = (artifacts) => (artifacts ?? []).some((a) => a?.name != null || a?.original_name != null);
const anonymous = (a) => ({ sha256: a.sha256, bytes: a.bytes, media_type: a.media_type });

/** True when a clear record row holds something the lock must hide. */
export function needsSeal(row) {
  return !row.enc && (row.bytes != null || row.summary != null || namesIn(row.artifacts));
}

/** A record row with its bytes, summary and file names encrypted (sync; the core must be ready). */
export function sealRow(recipient, row) {
  if (!needsSeal(row)) return row;
  const out = {
    ...row,
    enc: 1,
    bytes: row.bytes ? core.lockEncrypt(recipient, row.bytes) : null,
    summary: row.summary == null ? null : sealJson(recipient, row.summary),
  };
  if (Array.isArray(row.artifacts)) {
    out.artifacts = row.artifacts.map(anonymous);
    out.sealedArtifacts = sealJson(recipient, row.artifacts);
  }
  return out;
}

export async function openRow(row) {
  if (!row?.enc) return row;
  const identity = await needIdentity();
  await needCore();
  const { enc: _enc, sealedArtifacts, ...rest } = row;
  return {
    ...rest,
    bytes: row.bytes ? core.lockDecrypt(identity, row.bytes) : null,
    summary: row.summary ? await openJson(identity, row.summary) : null,
    artifacts: sealedArtifacts ? await openJson(identity, sealedArtifacts) : row.artifacts,
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

/**
 * Catalog entries as stored -> in clear. Each sealed entry is its own age file (an X25519
 * unwrap each, see tests/bench/library-bench.mjs for the cost). With `slice`, the work is
 * split into runs of that many entries with a macrotask between them, so that a page
 * decrypting thousands stays responsive and paints meanwhile.
 */
export async function openEntries(entries, { slice = Infinity } = {}) {
  if (!entries.some((e) => e.enc)) return entries;
  const identity = await needIdentity();
  await needCore();
  const out = new Array(entries.length);
  for (let i = 0; i < entries.length; i += slice) {
    if (i) await new Promise((r) => setTimeout(r, 0));
    const end = Math.min(entries.length, i + slice);
    for (let j = i; j < end; j++) {
      const e = entries[j];
      out[j] = e.enc ? JSON.parse(dec.decode(core.lockDecrypt(identity, e.sealed))) : e;
    }
  }
  return out;
}

/** A draft entry sealed whole: its JSON, and an attached file's bytes in chunks. */
export async function sealDraft(recipient, entry) {
  if (entry.enc) return entry;
  await needCore();
  const { id, file, ...rest } = entry;
  const out = { id, enc: 1, sealed: sealJson(recipient, rest) };
  if (file instanceof Blob) {
    const f = /** @type {Partial<File> & Blob} */ (file); // a File, or a plain Blob with no name
    out.fileMeta = sealJson(recipient, { name: f.name ?? "", type: f.type, lastModified: f.lastModified ?? Date.now() });
    out.file = await sealData(recipient, file);
  }
  return out;
}

export async function openDraft(identity, d) {
  const entry = { id: d.id, ...(await openJson(identity, d.sealed)) };
  if (d.file) {
    const m = await openJson(identity, d.fileMeta);
    entry.file = new File(d.file.map((c) => core.lockDecrypt(identity, c)), m.name, { type: m.type, lastModified: m.lastModified });
  }
  return entry;
}

// Big Blobs (attachments) are encrypted before the transaction, which must not wait on
// Blob reads; bytes are encrypted inside it. Without a lock nothing is read here.
export async function prepareBlobs(blobs) {
  if (!blobs?.some((b) => !b.bytes && b.blob)) return blobs;
  const lock = await getMeta("lock");
  if (!lock) return blobs;
  await needCore();
  const out = [];
  for (const b of blobs) out.push(b.bytes ? b : { ...b, sealed: await sealData(lock.recipient, b.blob) });
  return out;
}
