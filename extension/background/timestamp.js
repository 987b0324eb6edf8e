// @ts-check
// Trusted timestamps of the ledger head ({type: "timestamp", servers?}): an RFC 3161
// request built by the core (a SHA-256 imprint of the head and a random nonce drawn here,
// since the core draws no randomness), POSTed to each authority, and the answer checked
// in the core (status, imprint, nonce, signature, certificate binding and chain) BEFORE
// it is stored. Only the request body leaves the device: no cookies, no referrer.
//
// The authority learns this computer's IP address and the time of the request, and that
// this extension made it (the request's shape). Nothing else is sent.

import { api } from "../shared/browser.js";
import { core, coreReady } from "../shared/core.js";
import { failure } from "../shared/messages.js";
import { getSettings } from "../shared/settings.js";
import { getHead } from "../store/ledger.js";
import { getToken, putToken } from "../store/timestamps.js";

/** Longest a TSA may take to answer. */
const TIMEOUT_MS = 20_000;
/** Largest answer read (the core refuses more than 64 KiB anyway). */
const MAX_ANSWER = 64 * 1024;

/** The origin pattern for host permission on `url`. @param {string} url */
export function originPattern(url) {
  return `${new URL(url).origin}/*`;
}

/** A fresh random 64-bit nonce, as 16 hex digits. */
function randomNonce() {
  const b = crypto.getRandomValues(new Uint8Array(8));
  return [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
}

/**
 * Read at most MAX_ANSWER bytes of a response.
 * @param {Response} res
 */
async function readCapped(res) {
  const buf = new Uint8Array(await res.arrayBuffer());
  if (buf.length > MAX_ANSWER) throw Object.assign(new Error(`the authority's answer is too large (${buf.length} bytes)`), { code: "BAD_TIMESTAMP" });
  return buf;
}

/**
 * Timestamp the head now with one authority; the checked token is stored.
 * @param {string} url
 * @param {{seq: number, chainSha256: string}} head
 */
async function stampWith(url, head) {
  // The earliest token over a head is the strongest proof: keep it, and ask no one again.
  const have = await getToken(head.seq, head.chainSha256, url);
  if (have) return { tsa: url, tsaName: have.tsaName, seq: head.seq, head: head.chainSha256, genTime: have.genTime };
  const granted = await api.permissions.contains({ origins: [originPattern(url)] });
  if (!granted) throw Object.assign(new Error(`No permission to contact ${new URL(url).origin}. Turn on "Independent proof of time" in Settings and allow it.`), { code: "PERMISSION_NEEDED" });
  const nonce = randomNonce();
  const body = new Blob([/** @type {Uint8Array<ArrayBuffer>} */ (core.tsaRequest(head.chainSha256, nonce))], { type: "application/timestamp-query" });
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), TIMEOUT_MS);
  let res;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/timestamp-query" },
      body,
      credentials: "omit",
      cache: "no-store",
      referrerPolicy: "no-referrer",
      redirect: "error",
      signal: ctl.signal,
    });
  } catch (e) {
    throw Object.assign(new Error(`The timestamp authority ${new URL(url).origin} could not be reached (${/** @type {Error} */ (e).message}).`), { code: "TSA_UNREACHABLE" });
  } finally {
    clearTimeout(timer);
  }
  if (!res.ok) throw Object.assign(new Error(`The timestamp authority answered HTTP ${res.status}.`), { code: "TSA_REFUSED" });
  const der = await readCapped(res);
  // The core's full check, with the nonce just sent; throws BAD_TIMESTAMP (nothing stored).
  const info = core.tsaCheck(der, head.chainSha256, nonce, null);
  await putToken({ seq: head.seq, head: head.chainSha256, tsa: url, tsaName: info.tsa, genTime: info.genTime, der, storedAt: new Date().toISOString() });
  return { tsa: url, tsaName: info.tsa, seq: head.seq, head: head.chainSha256, genTime: info.genTime };
}

/**
 * `{type: "timestamp", servers?}`: timestamp the current head with the given authorities,
 * else the configured ones. Answers `{ok: true, tokens}` when every authority answered
 * with a token that passed the core's checks, else the first error (tokens that did pass
 * are kept and listed in `error.tokens`).
 * @param {string[] | undefined} servers
 */
export async function timestampNow(servers) {
  await coreReady();
  const list = servers ?? (await getSettings()).tsaServers ?? [];
  if (!list.length) return failure("NO_AUTHORITY", "No timestamp authority is chosen. Choose one in Settings, under \"Independent proof of time\".");
  const head = await getHead();
  if (!head) return failure("NOTHING_TO_TIMESTAMP", "There is nothing to timestamp yet: the library is empty.");
  const tokens = [];
  let firstError = null;
  for (const url of list) {
    try {
      tokens.push(await stampWith(url, head));
    } catch (e) {
      const err = /** @type {Error & {code?: string}} */ (e);
      firstError ??= { code: err.code ?? "TSA_FAILED", message: err.message ?? String(e) };
    }
  }
  if (firstError) return { ok: false, error: { ...firstError, tokens } };
  return { ok: true, tokens };
}
