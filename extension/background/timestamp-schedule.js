// @ts-check
// When "Independent proof of time" is on (Settings), the worker timestamps the ledger head
// by itself: a short while after captures (several captures batched into one request), at
// most one request per authority per 15 s, and with back-off while offline or refused
// (an alarm, and the `online` event). It never touches a capture: it runs after the
// capture's answer, and only reads the head.

import { api } from "../shared/browser.js";
import { getSettings } from "../shared/settings.js";
import { getHead } from "../store/ledger.js";
import { listTokens } from "../store/timestamps.js";
import { timestampNow } from "./timestamp.js";

/** Wait after a capture before stamping, so that a burst of captures makes one request. */
export const BATCH_MS = 15_000;
/** Alarm that retries with back-off, and checks now and then for items saved elsewhere (diary). */
export const RETRY_ALARM = "tsa-retry";
const MAX_BACKOFF_MIN = 60;

let timer = null;
let running = null;
let failures = 0;
/** Per authority URL, when it was last asked (ms). */
const lastAsked = new Map();

/** Authorities (of `servers`) that have no token over the current head yet. */
async function missing(servers, head) {
  const have = new Set((await listTokens()).filter((t) => t.seq === head.seq && t.head === head.chainSha256).map((t) => t.tsa));
  return servers.filter((s) => !have.has(s));
}

/** Stamp the head with every chosen authority that lacks a token over it; back off on failure. */
export async function stampIfDue() {
  if (running) return running;
  running = (async () => {
    const { tsaEnabled, tsaServers } = await getSettings();
    if (!tsaEnabled || !tsaServers.length) return;
    const head = await getHead();
    if (!head) return;
    const now = Date.now();
    const lacking = await missing(tsaServers, head);
    const due = lacking.filter((s) => now - (lastAsked.get(s) ?? 0) >= BATCH_MS);
    if (due.length < lacking.length) {
      // Asked less than 15 s ago: come back when the authority may be asked again.
      const wait = Math.min(...lacking.filter((s) => !due.includes(s)).map((s) => BATCH_MS - (now - (lastAsked.get(s) ?? 0))));
      setTimeout(() => void stampIfDue(), Math.max(wait, 0) + 50);
    }
    if (!due.length) return;
    for (const s of due) lastAsked.set(s, now);
    const res = await timestampNow(due);
    if (res.ok) {
      failures = 0;
      await api.alarms?.create(RETRY_ALARM, { periodInMinutes: 5 });
    } else {
      failures += 1;
      const delay = Math.min(MAX_BACKOFF_MIN, 2 ** (failures - 1));
      console.warn(`timestamp failed (${res.error.code}); retrying in ${delay} min`, res.error.message);
      await api.alarms?.create(RETRY_ALARM, { delayInMinutes: delay, periodInMinutes: Math.max(delay, 5) });
    }
  })()
    .catch((e) => console.error("automatic timestamp", e))
    .finally(() => {
      running = null;
    });
  return running;
}

/** After a capture: stamp once the burst is over (BATCH_MS), never before the capture's answer. */
export function scheduleAfterCapture() {
  if (timer) return;
  timer = setTimeout(() => {
    timer = null;
    void stampIfDue();
  }, BATCH_MS);
}

/** Listeners: the retry alarm and coming back online. */
export function installScheduler() {
  api.alarms?.onAlarm.addListener((alarm) => {
    if (alarm.name === RETRY_ALARM) void stampIfDue();
  });
  globalThis.addEventListener?.("online", () => {
    failures = 0;
    void stampIfDue();
  });
}
