// @ts-check
// The library's "Proof of time" line: the latest trusted timestamp, which items it covers
// and which are not covered yet, and this device's clock beside the authority's (a
// difference of more than a few minutes is pointed out: the capture times come from this
// clock).

import { getHead } from "../../store/ledger.js";
import { listTokens } from "../../store/timestamps.js";

/** A difference between the device's clock and the authority's worth pointing out. */
export const CLOCK_WARN_MS = 5 * 60_000;

/** @param {string} iso */
const utc = (iso) => new Date(iso).toUTCString().replace(/:\d\d GMT$/, " UTC");

/** "item 3" or "items 3–5" (1-based, inclusive). */
const items = (/** @type {number} */ from, /** @type {number} */ to) => (from === to ? `item ${from}` : `items ${from}–${to}`);
const capitalised = (/** @type {string} */ s) => s[0].toUpperCase() + s.slice(1);

export async function showProofOfTime() {
  const line = /** @type {HTMLElement} */ (document.getElementById("proof-of-time"));
  const clock = /** @type {HTMLElement} */ (document.getElementById("proof-clock"));
  const [tokens, head] = await Promise.all([listTokens(), getHead()]);
  if (!tokens.length || !head) {
    line.hidden = clock.hidden = true;
    return;
  }
  const best = tokens.reduce((a, b) => (b.seq > a.seq || (b.seq === a.seq && b.genTime < a.genTime) ? b : a));
  const covered = best.seq + 1;
  const total = head.seq + 1;
  line.textContent =
    `Proof of time: ${items(1, covered)} existed by ${utc(best.genTime)} (${best.tsaName}, a timestamp authority).` +
    (total > covered ? ` ${capitalised(items(covered + 1, total))} ${total > covered + 1 ? "are" : "is"} not covered yet.` : " Every item is covered.");
  line.hidden = false;
  if (best.restored) {
    // Restored from an archive: when this device first received it is not known.
    clock.textContent = "This timestamp was restored from an archive.";
    clock.className = "muted";
    clock.hidden = false;
    return;
  }
  const diff = new Date(best.storedAt).getTime() - new Date(best.genTime).getTime();
  if (Math.abs(diff) > CLOCK_WARN_MS) {
    const minutes = Math.round(Math.abs(diff) / 60_000);
    clock.textContent = `This device's clock said ${utc(best.storedAt)} when the authority said ${utc(best.genTime)}: a difference of ${minutes} minutes. Capture times in this library come from this device's clock; check that it is set correctly.`;
    clock.hidden = false;
  } else {
    clock.textContent = `Device clock ${utc(best.storedAt)} · authority ${utc(best.genTime)} (they agree).`;
    clock.className = "muted";
    clock.hidden = false;
  }
}

void showProofOfTime().catch((e) => console.warn("proof of time", e));
