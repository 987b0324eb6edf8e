// @ts-check
// The installation's device key (ECDSA P-256), which signs every export's manifest.json
// into signature.json (crate/src/archive/signature.rs). Made once, from 32 random bytes
// drawn here, on the first export; kept in meta "deviceKey" as {publicKey, fingerprint,
// createdAt} plus the private key: `secret` (bytes) without a passphrase lock, or
// `sealedSecret` (an age file to the lock's public key, like the evidence) with one. A key
// made before a lock was set is sealed at the next export. It never leaves the device:
// only its signature and public key go into archives.

import { core, coreReady } from "../shared/core.js";
import { getMeta, openDb, putMeta, reqResult, txDone } from "./db.js";
import { needIdentity } from "./sealed.js";

/** @typedef {{publicKey: string, fingerprint: string, createdAt: string, secret?: Uint8Array, sealedSecret?: Uint8Array}} DeviceKeyRow */

/** Add `row` unless a key exists already (two first exports at once keep one key). @param {DeviceKeyRow} row */
async function addOnce(row) {
  const db = await openDb();
  const tx = db.transaction("meta", "readwrite", { durability: "strict" });
  const store = tx.objectStore("meta");
  const have = await reqResult(store.get("deviceKey"));
  if (!have) store.add(row, "deviceKey");
  await txDone(tx);
  return /** @type {DeviceKeyRow} */ (have ?? row);
}

/** The device key's private bytes, made on first use. Throws LOCKED while locked. */
export async function deviceKeySecret() {
  await coreReady();
  const lock = await getMeta("lock");
  let row = /** @type {DeviceKeyRow | undefined} */ (await getMeta("deviceKey"));
  if (!row) {
    let secret, info;
    for (;;) {
      secret = crypto.getRandomValues(new Uint8Array(32));
      try {
        info = core.deviceKeyInfo(secret); // refuses the (vanishingly rare) invalid scalar
        break;
      } catch {
        continue;
      }
    }
    /** @type {DeviceKeyRow} */
    const fresh = { publicKey: info.publicKey, fingerprint: info.fingerprint, createdAt: new Date().toISOString() };
    if (lock) fresh.sealedSecret = core.lockEncrypt(lock.recipient, secret);
    else fresh.secret = secret;
    row = await addOnce(fresh);
    if (row === fresh) return secret;
  }
  if (row.sealedSecret) return core.lockDecrypt(await needIdentity(), row.sealedSecret);
  const secret = /** @type {Uint8Array} */ (row.secret);
  if (lock) {
    // The lock was set after the key was made: seal the key like the evidence.
    const { secret: _plain, ...rest } = row;
    await putMeta("deviceKey", { ...rest, sealedSecret: core.lockEncrypt(lock.recipient, secret) });
  }
  return secret;
}

/** The device key's public facts {publicKey, fingerprint, createdAt}, or null before the first export. */
export async function deviceKeyInfo() {
  const row = /** @type {DeviceKeyRow | undefined} */ (await getMeta("deviceKey"));
  return row ? { publicKey: row.publicKey, fingerprint: row.fingerprint, createdAt: row.createdAt } : null;
}
