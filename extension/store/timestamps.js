// @ts-check
// Trusted timestamps (RFC 3161 tokens) over the ledger head, kept beside the chain: the
// "timestamps" store (schema version 3, see db.js), keyed by [seq, head, tsa]. A token is
// stored only after the core checked it (background/timestamp.js), byte for byte as the
// authority sent it; the export puts it in the archive's timestamps/ folder.

import { openDb, reqResult, txDone } from "./db.js";

/**
 * `restored`: the token came from a restored archive (`tsa` is then "archive:" and the
 * authority's name, and `storedAt` the time of the restore, not of its receipt).
 * @typedef {{seq: number, head: string, tsa: string, tsaName: string, genTime: string, der: Uint8Array, storedAt: string, restored?: boolean}} TokenRow
 */

/** Store one checked token. @param {TokenRow} row */
export async function putToken(row) {
  const db = await openDb();
  const tx = db.transaction("timestamps", "readwrite", { durability: "strict" });
  tx.objectStore("timestamps").put(row);
  await txDone(tx);
}

/** Every stored token, in key order (seq, head, tsa). @returns {Promise<TokenRow[]>} */
export async function listTokens() {
  const db = await openDb();
  return /** @type {TokenRow[]} */ (await reqResult(db.transaction("timestamps").objectStore("timestamps").getAll()));
}

/**
 * The token over (seq, head) from authority `tsa`, if one is stored.
 * @param {number} seq @param {string} head @param {string} tsa
 * @returns {Promise<TokenRow | undefined>}
 */
export async function getToken(seq, head, tsa) {
  const db = await openDb();
  return /** @type {TokenRow | undefined} */ (await reqResult(db.transaction("timestamps").objectStore("timestamps").get([seq, head, tsa])));
}
