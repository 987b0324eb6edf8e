// @ts-check
// The service worker (Chromium) / event page (Firefox): capture triggers and the
// message API for the extension's own pages. Listeners are registered synchronously at
// the top level so that an event which wakes the worker is never missed.

import { api } from "../shared/browser.js";
import { setBadge } from "./badge.js";
import { quickExit } from "./quick-exit.js";
import { enqueueCapture } from "./capture.js";
import { cancelLongCapture, longCapture, longCaptureProgress } from "./long-capture.js";
import { coreReady } from "../shared/core.js";
import { checkMessage, failure, isOwnPage } from "../shared/messages.js";
import { addFailure, dismissFailure, failLeftoverPending, listFailures, requestStatus } from "../store/journal.js";
import { listItems } from "../store/ledger.js";
import { getSettings } from "../shared/settings.js";
import { lockInfo, migrateInBackground } from "../store/lock.js";
import { lockNow, unlockState } from "../shared/lockstate.js";
import { timestampNow } from "./timestamp.js";
import { installScheduler, scheduleAfterCapture } from "./timestamp-schedule.js";

const MENU_ID = "capture-page";
// The two long captures (issue 11), beside the one-screen entry: [id, scope, title, discreet title].
/** @type {Array<[string, "conversation" | "page", string, string]>} */
const LONG_MENUS = [
  ["capture-conversation", "conversation", "Save the whole conversation as evidence", "Save the whole conversation"],
  ["capture-whole-page", "page", "Save the whole page as evidence", "Save the whole page"],
];

// Start-up: load the core and report captures that a previous worker left unfinished.
// Without the core nothing can be captured: that failure is kept (the promise stays
// rejected with code STARTUP_FAILED), notified once, and every later capture (popup,
// shortcut, menu) reports it, and is recorded as a failure, instead of failing silently.
const ready = (async () => {
  try {
    await coreReady();
  } catch (e) {
    const err = startupError(e);
    console.error("the capture worker could not start", e);
    notify(err.message, true);
    await setBadge("!", "#b3261e");
    throw err;
  }
  try {
    const interrupted = await failLeftoverPending(new Date().toISOString());
    if (interrupted.length) notify(`${interrupted.length} capture(s) did not finish and were not saved. Open the extension to see which.`, true);
  } catch (e) {
    // Not fatal (captures still work), but the user must hear that unfinished ones may be unreported.
    console.error("unfinished captures could not be checked", e);
    notify(`Could not check for captures that did not finish (${e.message}).`, true);
  }
  // A lock migration that a closed browser interrupted goes on (it needs only the public key).
  let lock = null;
  try {
    lock = await lockInfo();
  } catch (e) {
    console.error("the lock state could not be read; an interrupted encryption of stored items is not resumed now", e);
  }
  if (lock && lock.migration?.state !== "done") void migrateInBackground("worker start-up");
})();
// Handled where it matters (every capture and message awaits `ready`); this only keeps
// the rejection from being reported as unhandled.
ready.catch(() => {});

/**
 * The error every capture reports while the core could not be loaded.
 * @param {any} e what coreReady() threw (an Error, or whatever a failed import gave)
 * @returns {Error & { code: string }}
 */
function startupError(e) {
  const reason = `${e?.name ?? "Error"}: ${e?.message ?? e}`;
  return Object.assign(new Error(`The extension could not start (${reason}). Nothing can be saved until it starts: restart the browser and try again.`), {
    code: "STARTUP_FAILED",
  });
}

// Idle lock: pages note activity in storage.session; an alarm (and every message) checks
// it, and forgets the identity once the library was idle longer than the setting.
const IDLE_ALARM = "idle-lock";
api.alarms?.create(IDLE_ALARM, { periodInMinutes: 1 });
api.alarms?.onAlarm.addListener((alarm) => {
  if (alarm.name === IDLE_ALARM) void enforceIdleLock();
});
async function checkIdle() {
  const state = await unlockState();
  if (!state?.identity) return;
  const { idleLockMinutes } = await getSettings();
  if (Date.now() - (state.lastActivity ?? 0) > idleLockMinutes * 60_000) await lockNow();
}
// The idle lock fails closed: when the check itself fails (the session or the settings
// cannot be read), lock rather than leave the library open; a lock that fails is logged.
async function enforceIdleLock() {
  try {
    await checkIdle();
  } catch (e) {
    console.error("the idle-lock check failed; locking now", e);
    await lockNow().catch((e2) => console.error("the idle lock failed", e2));
  }
}
// Independent proof of time (opt-in): automatic timestamps after captures, with retries.
installScheduler();

// A readiness signal for tests and tools: resolves once listeners and the core are ready.
globalThis.evidenceReady = ready;

api.runtime.onInstalled.addListener(async (details) => {
  // First run: say plainly where the evidence lives and what deletes it.
  // The welcome tab is a courtesy; failing to open it loses nothing (Help says the same).
  if (details?.reason === "install") api.tabs.create({ url: api.runtime.getURL("welcome.html") }).catch((e) => console.warn("welcome page", e));
  await api.contextMenus.removeAll();
  api.contextMenus.create({ id: MENU_ID, title: "Save this page as evidence", contexts: ["page", "selection", "link", "image", "frame"] });
  for (const [id, , title] of LONG_MENUS) api.contextMenus.create({ id, title, contexts: ["page", "selection", "link", "image", "frame"] });
  await applyAppearance();
});

api.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && changes.settings) void applyAppearance();
});

// Discreet mode: a neutral toolbar icon, title and menu entry, and neutral notifications.
async function applyAppearance() {
  const { discreet } = await getSettings();
  const icon = discreet ? "neutral" : "icon";
  // Each part is applied even if another fails (logged); all are applied again at the next
  // start-up and settings change. Absolute paths: relative ones resolve against background/.
  const warn = (what) => (e) => console.warn(`discreet mode: ${what}`, e);
  await api.action.setIcon({ path: { 16: `/icons/${icon}-16.png`, 32: `/icons/${icon}-32.png`, 48: `/icons/${icon}-48.png` } }).catch(warn("icon"));
  await api.action.setTitle({ title: discreet ? "Notes" : "Capture evidence" }).catch(warn("title"));
  await api.contextMenus.update(MENU_ID, { title: discreet ? "Save this page" : "Save this page as evidence" }).catch(warn("menu"));
  for (const [id, , title, quiet] of LONG_MENUS) await api.contextMenus.update(id, { title: discreet ? quiet : title }).catch(warn("menu"));
}
void applyAppearance();

api.contextMenus.onClicked.addListener((info, tab) => {
  if (info.menuItemId === MENU_ID && tab?.id != null) void triggered(tab.id, "context-menu");
  const long = LONG_MENUS.find(([id]) => id === info.menuItemId);
  if (long && tab?.id != null) void triggered(tab.id, "context-menu", long[1]);
});

api.commands.onCommand.addListener((command, tab) => {
  if (command === "quick-exit") return void quickExit().catch((e) => console.error("quick exit", e));
  if (command !== "capture-page") return;
  void (async () => {
    const target = tab ?? (await api.tabs.query({ active: true, currentWindow: true }))[0];
    if (target?.id != null) await triggered(target.id, "shortcut");
  })();
});

/**
 * A capture's answer (background/capture.js, background/long-capture.js), as the badge and
 * the notification read it. `ok` says which of the two it is.
 * @typedef {object} CaptureSaved
 * @property {true} ok
 * @property {{ seq: number, id: string, recordSha256: string, chainSha256: string }} item
 * @property {string[]} [warnings] the parts that could not be captured
 * @property {number} [messages] long captures: the messages found
 * @property {number} [segments] long captures: the screens taken
 * @property {boolean} [complete] long captures: false when a limit or Cancel stopped it
 * @property {string} [stopReason] long captures: why it stopped early
 * @property {undefined} [error] never set on a saved capture (without strictNullChecks,
 *   tsc narrows `if (res.ok)` only in its true branch; this lets the other branch read `error`)
 *
 * @typedef {object} CaptureFailed
 * @property {false} ok
 * @property {{ code: string, message: string }} error
 *
 * @typedef {CaptureSaved | CaptureFailed} CaptureAnswer
 */

// Captures with nobody waiting for an answer (shortcut, menu) report through the badge
// and a notification. Headless browsers cannot press browser shortcuts or open native
// context menus, so the tests drive this path through a hook that only their copy of
// dist/ has (tests/lib/test-dist.mjs); the shipped worker has none.
/**
 * @param {number} tabId
 * @param {"shortcut" | "context-menu"} trigger
 * @param {"screen" | "conversation" | "page"} [scope]
 */
async function triggered(tabId, trigger, scope = "screen") {
  try {
    await ready;
  } catch (e) {
    const res = failure(e.code ?? "STARTUP_FAILED", e.message);
    await recordFailure(tabId, trigger, res.error);
    await setBadge("!", "#b3261e");
    notify(`Not saved: ${res.error.message}`, true);
    return res;
  }
  await setBadge("…", "#555");
  // The two capture modules infer `ok: boolean` (no literal type, so no narrowing on it):
  // their answers are read here as the CaptureAnswer they are.
  const res = /** @type {CaptureAnswer} */ (scope === "screen" ? await enqueueCapture(tabId, trigger) : await longCapture(tabId, scope, trigger));
  if (res.ok) {
    scheduleAfterCapture();
    await setBadge("✓", "#1a7f37");
    setTimeout(() => setBadge("", "#555"), 10_000);
    const long = scope === "screen" ? "" : ` · ${res.messages} messages, ${res.segments} screens${res.complete ? "" : ` (stopped early: ${res.stopReason})`}`;
    notify(`Saved · ${res.item.recordSha256.slice(0, 12)}${long}${res.warnings?.length ? " (some parts missing)" : ""}`);
  } else {
    await setBadge("!", "#b3261e");
    notify(`Not saved: ${res.error.message}`, true);
  }
  return res;
}

// A capture that could not even start, kept for the popup like any failed capture.
/**
 * @param {number} tabId
 * @param {string} trigger
 * @param {{ code: string, message: string }} error
 */
async function recordFailure(tabId, trigger, { code, message }) {
  const tab = await api.tabs.get(tabId).catch(() => null); // a closed tab just has no URL to show
  const now = new Date().toISOString();
  try {
    await addFailure({ id: crypto.randomUUID(), url: tab?.url ?? null, title: tab?.title ?? null, startedAt: now, reportedAt: now, code, message });
  } catch (e) {
    console.error("the failed capture could not be recorded", e); // the notification still says it
  }
}


/**
 * @param {string} message
 * @param {boolean} [important] shown with the highest priority (failures)
 */
function notify(message, important = false) {
  if (!api.notifications?.create) return;
  api.notifications
    .create({ type: "basic", iconUrl: api.runtime.getURL("icons/neutral-128.png"), title: "Saved pages", message, priority: important ? 2 : 0 })
    // Notifications may be turned off; the badge and the popup's failure list still tell.
    .catch((e) => console.warn("notification not shown:", message, e));
}

api.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (!isOwnPage(sender, api.runtime)) return false; // never answer pages or other extensions
  const problem = checkMessage(msg);
  if (problem) {
    sendResponse(failure("BAD_MESSAGE", problem));
    return false;
  }
  handle(msg)
    .then(sendResponse)
    .catch((e) => sendResponse(failure(e.code ?? "INTERNAL", e.message ?? String(e))));
  return true; // answer asynchronously
});

async function handle(msg) {
  // Quick exit never waits for the core's start-up or the idle-lock check, nor fails with them.
  if (msg.type === "quickExit") return quickExit();
  await ready;
  await enforceIdleLock();
  switch (msg.type) {
    case "ping":
      return { ok: true };
    case "capture": {
      const long = msg.scope === "conversation" || msg.scope === "page";
      const res = long
        ? await longCapture(msg.tabId, msg.scope, msg.trigger ?? "api", msg.requestId, msg.limits)
        : await enqueueCapture(msg.tabId, msg.trigger ?? "api", msg.requestId);
      if (res.ok) scheduleAfterCapture(); // after the answer is ready; never delays it
      return res;
    }
    case "captureProgress":
      return { ok: true, running: longCaptureProgress() };
    case "cancelCapture":
      return { ok: true, cancelled: cancelLongCapture(msg.tabId) };
    case "captureStatus":
      return { ok: true, ...(await requestStatus(msg.requestId)) };
    case "list":
      return { ok: true, items: await listItems() };
    case "failures":
      return { ok: true, failures: await listFailures() };
    case "dismissFailure":
      await dismissFailure(msg.id);
      return { ok: true };
    case "timestamp":
      return timestampNow(msg.servers);
    default:
      return failure("BAD_MESSAGE", "unknown message type");
  }
}
