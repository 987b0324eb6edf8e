// @ts-check
// The optional passphrase lock: setting it, unlocking, changing the passphrase, and the
// migration that encrypts what was stored before the lock was set.
//
// Key material (crate/src/lock.rs, the age format): an X25519 identity whose public
// recipient (age1...) is kept in clear in meta "lock", so captures can be encrypted while
// locked; the identity itself is stored only wrapped with the passphrase (scrypt, log_n 18).
// The scrypt work needs about 256 MiB, and WebAssembly memory never shrinks, so it runs in
// a short-lived worker (lock-worker.js) that is terminated after each job.
import { getMeta, getValue, openDb, putMeta, replaceIf, reqResult, txDone } from "./db.js";
import { needsSeal, sealCatalogEntry, sealData, sealDraft, sealRow } from "./sealed.js";
import { core, coreReady } from "../shared/core.js";
import { currentIdentity, lockNow, setUnlocked } from "../shared/lockstate.js";

/** Shortest passphrase accepted (the core checks the same). */
export const MIN_PASSPHRASE = 8;

function err(code, message) {
  return Object.assign(new Error(message), { code });
}

// Run one job in a fresh worker and terminate it, whatever happens.
function workerJob(job) {
  return new Promise((resolve, reject) => {
    let worker;
    try {
      worker = new Worker(new URL("./lock-worker.js", import.meta.url), { type: "module" });
    } catch (e) {
      reject(err("LOCK_FAILED", `The lock could not start its work (${e.message}).`));
      return;
    }
    const done = (fn) => (v) => {
      worker.terminate();
      fn(v);
    };
    const ok = done(resolve);
    const fail = done(reject);
    worker.onmessage = (e) => {
      if (e.data?.ok) return ok(e.data.result);
      const { code, message, name } = e.data?.error ?? {};
      if (code === "WRONG_PASSPHRASE") return fail(err(code, "Wrong passphrase."));
      if (code === "INVALID_INPUT") return fail(err(code, message));
      const memory = /memory|allocat|RangeError|unreachable/i.test(`${name} ${message}`);
      fail(
        err(
          memory ? "OUT_OF_MEMORY" : "LOCK_FAILED",
          memory
            ? "There was not enough memory for the passphrase work (it needs about 256 MB). Close some tabs or other programs and try again."
            : `The passphrase work failed: ${message}`,
        ),
      );
    };
    worker.onerror = (e) => {
      e.preventDefault?.();
      fail(err("OUT_OF_MEMORY", `The passphrase work stopped (${e.message || "the worker failed"}). It needs about 256 MB of memory: close some tabs and try again.`));
    };
    worker.postMessage(job);
  });
}

/** meta "lock", or null when no lock is set. */
export function lockInfo() {
  return getMeta("lock");
}

/** "none" (no lock set), "locked" or "unlocked". */
export async function lockStatus() {
  const lock = await lockInfo();
  if (!lock) return "none";
  return (await currentIdentity()) ? "unlocked" : "locked";
}

/** Null when the new passphrase is acceptable, else a reason. */
export function checkNewPassphrase(p, confirm) {
  if (typeof p !== "string" || [...p].length < MIN_PASSPHRASE) return `The passphrase must be at least ${MIN_PASSPHRASE} characters long.`;
  if (!p.trim()) return "The passphrase cannot be only spaces.";
  if (p !== confirm) return "The two passphrases are not the same.";
  return null;
}

/**
 * Set the lock: make the key pair, store it (migration "running"), keep the library
 * unlocked for this session, then encrypt what is already stored.
 */
export async function setPassphrase(passphrase, onProgress) {
  if (await lockInfo()) throw err("ALREADY_LOCKED", "A passphrase is already set.");
  const { recipient, wrappedIdentity, identity } = await workerJob({ op: "new", passphrase });
  await putMeta("lock", { recipient, wrappedIdentity, createdAt: new Date().toISOString(), migration: { state: "running" } });
  await setUnlocked(identity);
  return migrate(onProgress);
}

// Wrong passphrases: no delay after the first, then 2, 4, 8 ... seconds, at most 60.
function delaySeconds(count) {
  return count >= 2 ? Math.min(2 ** (count - 1), 60) : 0;
}

/** Seconds left before another try is allowed (0: now). */
export async function waitBeforeTry() {
  const f = await getMeta("lockFailures");
  if (!f) return 0;
  const left = Math.ceil((Date.parse(f.lastAt) + delaySeconds(f.count) * 1000 - Date.now()) / 1000);
  return Math.max(0, left);
}

/** Unlock with the passphrase. Wrong ones are counted and meet an increasing delay. */
export async function unlock(passphrase) {
  const lock = await lockInfo();
  if (!lock) throw err("NOT_LOCKED", "No passphrase is set.");
  const wait = await waitBeforeTry();
  if (wait > 0) throw err("TRY_LATER", `Please wait: you can try again in ${wait} second${wait === 1 ? "" : "s"}.`);
  try {
    const { identity } = await workerJob({ op: "unwrap", wrapped: lock.wrappedIdentity, passphrase });
    await putMeta("lockFailures", null);
    // The public key kept in clear must belong to this identity: someone with write access
    // to the profile could swap in their own, so that new captures are readable by them.
    const keyMismatch = !(await keyPairMatches(identity, lock.recipient));
    if (keyMismatch) {
      const now = await lockInfo();
      await putMeta("lock", { ...now, recipientMismatch: { at: new Date().toISOString() } });
    }
    await setUnlocked(identity);
    if (!keyMismatch && lock.migration?.state !== "done") void migrateInBackground("after unlock");
    return { keyMismatch };
  } catch (e) {
    if (e.code !== "WRONG_PASSPHRASE") throw e;
    const prev = (await getMeta("lockFailures")) ?? { count: 0 };
    const count = prev.count + 1;
    await putMeta("lockFailures", { count, lastAt: new Date().toISOString() });
    const d = delaySeconds(count);
    throw err("WRONG_PASSPHRASE", d ? `Wrong passphrase. You can try again in ${d} second${d === 1 ? "" : "s"}.` : "Wrong passphrase. Please try again.");
  }
}

/** Change the passphrase (the key pair stays; only its wrapping changes). */
export async function changePassphrase(oldPassphrase, newPassphrase) {
  const lock = await lockInfo();
  if (!lock) throw err("NOT_LOCKED", "No passphrase is set.");
  const wait = await waitBeforeTry();
  if (wait > 0) throw err("TRY_LATER", `Please wait: you can try again in ${wait} seconds.`);
  let wrappedIdentity;
  try {
    ({ wrappedIdentity } = await workerJob({ op: "rewrap", wrapped: lock.wrappedIdentity, passphrase: oldPassphrase, newPassphrase }));
  } catch (e) {
    if (e.code === "WRONG_PASSPHRASE") {
      const prev = (await getMeta("lockFailures")) ?? { count: 0 };
      await putMeta("lockFailures", { count: prev.count + 1, lastAt: new Date().toISOString() });
      throw err(e.code, "The current passphrase is wrong. Nothing was changed.");
    }
    throw e;
  }
  const now = await lockInfo();
  await putMeta("lock", { ...now, wrappedIdentity });
  await putMeta("lockFailures", null);
}

export { lockNow };

/** What unlock and the capture path say when the stored public key is not the user's. */
export const KEY_MISMATCH_MESSAGE =
  "The public key stored with the lock does not belong to your passphrase's key: someone with access to this browser profile may have replaced it, so that new captures would be readable by them. Nothing new is saved until this is fixed. Export what you have, and ask for help.";

/** True when `recipient` is the public half of `identity` (an encrypt-then-decrypt probe). */
export async function keyPairMatches(identity, recipient) {
  await coreReady();
  try {
    const probe = crypto.getRandomValues(new Uint8Array(16));
    const back = core.lockDecrypt(identity, core.lockEncrypt(recipient, probe));
    return back.length === probe.length && back.every((b, i) => b === probe[i]);
  } catch {
    return false;
  }
}

/**
 * Null when new items may be encrypted to meta "lock".recipient (or no lock is set), else
 * why not: the last unlock found that the key pair does not match, or (while unlocked) the
 * stored recipient is not the public half of the session's identity.
 */
export async function recipientProblem() {
  const lock = await lockInfo();
  if (!lock) return null;
  if (lock.recipientMismatch) return KEY_MISMATCH_MESSAGE;
  const identity = await currentIdentity();
  if (identity && !(await keyPairMatches(identity, lock.recipient))) return KEY_MISMATCH_MESSAGE;
  return null;
}

// --- migration -----------------------------------------------------------------------------

let running = null;

/**
 * Encrypt everything stored in clear, one value at a time: encrypt outside a transaction,
 * then check in one transaction that the value is still the plaintext and replace it. A
 * browser killed half-way loses nothing; the next run (the service worker starts one at
 * start-up while meta "lock".migration.state is "running") goes on where this one stopped.
 * Needs only the public recipient. `onProgress(done, total)`.
 */
export function migrate(onProgress) {
  if (!running) running = runMigration(onProgress).finally(() => (running = null));
  return running;
}

/** meta key of the last background migration failure (cleared when a migration completes). */
export const MIGRATION_ERROR = "lockMigrationError";

/**
 * Run the migration with nobody waiting for it (after an unlock, at worker start-up). A
 * failure is not dropped: it is logged and kept in meta MIGRATION_ERROR, which Settings
 * shows, and the migration stays "running", so the next worker start (or Settings) goes on.
 */
export function migrateInBackground(where) {
  return migrate().catch(async (e) => {
    console.error(`lock migration (${where}) stopped`, e);
    try {
      await putMeta(MIGRATION_ERROR, { where, code: e?.code ?? "MIGRATION_FAILED", message: String(e?.message ?? e), at: new Date().toISOString() });
    } catch (e2) {
      console.error("the lock migration failure could not be recorded either", e2);
    }
  });
}

// The stores whose rows the migration encrypts.
const SEALED_STORES = ["records", "catalog", "drafts", "blobs"];

// A File or Blob read twice from IndexedDB is two different objects: compare what it is.
/** @param {any} a @param {any} b */
const sameFile = (a, b) => {
  if (a === b) return true;
  if (!(a instanceof Blob && b instanceof Blob)) return false;
  const [fa, fb] = /** @type {Array<Partial<File> & Blob>} */ ([a, b]); // Files, or plain Blobs with no name
  return fa.size === fb.size && fa.type === fb.type && (fa.name ?? null) === (fb.name ?? null) && (fa.lastModified ?? null) === (fb.lastModified ?? null);
};

/** [store, key] of every row still in clear that has something to hide (one value at a time). */
async function clearRows(db) {
  const out = [];
  for (const store of SEALED_STORES) {
    await new Promise((resolve, reject) => {
      const req = db.transaction(store).objectStore(store).openCursor();
      req.onsuccess = () => {
        const c = req.result;
        if (!c) return resolve();
        const v = c.value;
        if (v && !v.enc && (store !== "records" || needsSeal(v))) out.push([store, c.primaryKey]);
        c.continue();
      };
      req.onerror = () => reject(req.error);
    });
  }
  return out;
}

async function runMigration(onProgress) {
  const lock = await lockInfo();
  if (!lock) return { migrated: 0 };
  if (lock.recipientMismatch) throw err("KEY_MISMATCH", KEY_MISMATCH_MESSAGE);
  await coreReady();
  const db = await openDb();
  const keysOf = (store) => reqResult(db.transaction(store).objectStore(store).getAllKeys());
  const plan = [];
  for (const store of SEALED_STORES) for (const key of await keysOf(store)) plan.push([store, key]);
  let migrated = await migrateRows(lock.recipient, plan, onProgress);
  // Then scan every store for a row still in clear (changed while it was being encrypted,
  // or written by an older build) and finish it; what is still left is reported, and the
  // migration is not marked done.
  for (let pass = 0; pass < 3; pass++) {
    const left = await clearRows(db);
    if (!left.length) break;
    migrated += await migrateRows(lock.recipient, left);
  }
  const left = await clearRows(db);
  if (left.length) {
    const where = [...new Set(left.map(([store]) => store))].join(", ");
    throw err("MIGRATION_INCOMPLETE", `${left.length} stored value${left.length === 1 ? " is" : "s are"} still not encrypted (in ${where}). The encryption goes on at the next start; if this stays, ask for help.`);
  }
  onProgress?.(plan.length, plan.length);
  await finishMigration(db);
  return { migrated };
}

async function migrateRows(recipient, plan, onProgress) {
  let migrated = 0;
  let n = 0;
  for (const [store, key] of plan) {
    onProgress?.(n++, plan.length);
    const value = await getValue(store, key);
    if (!value || value.enc) continue;
    if (store === "records") {
      if (!needsSeal(value)) continue; // removed, and nothing left to hide
      const next = sealRow(recipient, value);
      await replaceIf(store, key, (cur) => cur.recordSha256 === value.recordSha256 && !cur.removed === !value.removed, next);
    } else if (store === "catalog") {
      const next = sealCatalogEntry(recipient, value);
      await replaceIf(store, key, (cur) => cur.recordSha256 === value.recordSha256 && !cur.removed === !value.removed, next);
    } else if (store === "drafts") {
      const next = await sealDraft(recipient, value);
      await replaceIf(store, key, (cur) => !cur.enc && cur.savedAt === value.savedAt && cur.addedAt === value.addedAt && sameFile(cur.file, value.file), next);
    } else {
      const { data, ...rest } = value;
      const next = { ...rest, enc: 1, data: await sealData(recipient, data) };
      await replaceIf(store, key, () => true, next);
    }
    migrated++;
  }
  return migrated;
}

// Thumbnails are a disposable cache: drop them. Journal entries lose URL and title. Then
// the migration is marked done.
async function finishMigration(db) {
  {
    const tx = db.transaction(["thumbs", "pending", "failures", "meta"], "readwrite", { durability: "strict" });
    const finished = txDone(tx);
    tx.objectStore("thumbs").clear();
    for (const store of ["pending", "failures"]) {
      for (const v of await reqResult(tx.objectStore(store).getAll())) tx.objectStore(store).put({ ...v, url: null, title: null });
    }
    const cur = await reqResult(tx.objectStore("meta").get("lock"));
    if (cur) tx.objectStore("meta").put({ ...cur, migration: { state: "done", at: new Date().toISOString() } }, "lock");
    tx.objectStore("meta").delete(MIGRATION_ERROR);
    await finished;
  }
}
