// The service worker (Chromium) / event page (Firefox): capture triggers and the
// message API for the extension's own pages. Listeners are registered synchronously at
// the top level so that an event which wakes the worker is never missed.

import { api } from "./browser.js";
import { enqueueCapture } from "./capture.js";
import { coreReady } from "./core.js";
import { checkMessage, failure, isOwnPage } from "./messages.js";
import { dismissFailure, failLeftoverPending, listFailures, listItems, requestStatus } from "./store.js";
import { getSettings } from "./settings.js";
import { lockInfo, migrate } from "./lock.js";
import { lockNow, unlockState } from "./lockstate.js";

const MENU_ID = "capture-page";

// Start-up: load the core and report captures that a previous worker left unfinished.
const ready = (async () => {
  await coreReady();
  const interrupted = await failLeftoverPending(new Date().toISOString());
  if (interrupted.length) notify(`${interrupted.length} capture(s) did not finish and were not saved. Open the extension to see which.`, true);
  // A lock migration that a closed browser interrupted goes on (it needs only the public key).
  const lock = await lockInfo().catch(() => null);
  if (lock && lock.migration?.state !== "done") void migrate().catch((e) => console.warn("lock migration", e));
})();

// Idle lock: pages note activity in storage.session; an alarm (and every message) checks
// it, and forgets the identity once the library was idle longer than the setting.
const IDLE_ALARM = "idle-lock";
api.alarms?.create(IDLE_ALARM, { periodInMinutes: 1 });
api.alarms?.onAlarm.addListener((alarm) => {
  if (alarm.name === IDLE_ALARM) void checkIdle();
});
async function checkIdle() {
  const state = await unlockState();
  if (!state?.identity) return;
  const { idleLockMinutes } = await getSettings();
  if (Date.now() - (state.lastActivity ?? 0) > idleLockMinutes * 60_000) await lockNow();
}
// A readiness signal for tests and tools: resolves once listeners and the core are ready.
globalThis.evidenceReady = ready;
globalThis.evidenceTrigger = (tabId, trigger) => triggered(tabId, trigger);

api.runtime.onInstalled.addListener(async (details) => {
  // First run: say plainly where the evidence lives and what deletes it.
  if (details?.reason === "install") api.tabs.create({ url: api.runtime.getURL("welcome.html") }).catch(() => {});
  await api.contextMenus.removeAll();
  api.contextMenus.create({ id: MENU_ID, title: "Save this page as evidence", contexts: ["page", "selection", "link", "image", "frame"] });
  await applyAppearance();
});

api.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && changes.settings) void applyAppearance();
});

// Discreet mode: a neutral toolbar icon, title and menu entry, and neutral notifications.
async function applyAppearance() {
  const { discreet } = await getSettings();
  const icon = discreet ? "neutral" : "icon";
  await api.action.setIcon({ path: { 16: `icons/${icon}-16.png`, 32: `icons/${icon}-32.png`, 48: `icons/${icon}-48.png` } }).catch(() => {});
  await api.action.setTitle({ title: discreet ? "Notes" : "Capture evidence" }).catch(() => {});
  await api.contextMenus.update(MENU_ID, { title: discreet ? "Save this page" : "Save this page as evidence" }).catch(() => {});
}
void applyAppearance();

/**
 * Quick exit: a neutral page in a fresh tab where the user was looking, then every
 * extension tab closes (each page first flushes its draft), and the tab that was on
 * screen is closed too, so nothing of ours stays on screen or in a tab's history.
 */
async function quickExit() {
  void lockNow().catch(() => {}); // quick exit locks at once
  const own = api.runtime.getURL("");
  const extensionTabs = async () => {
    if (typeof api.runtime.getContexts === "function") {
      const contexts = await api.runtime.getContexts({ contextTypes: ["TAB"] });
      return contexts.map((c) => c.tabId).filter((id) => id >= 0);
    }
    return (await api.tabs.query({})).filter((t) => (t.url ?? "").startsWith(own)).map((t) => t.id);
  };
  // The tabs to close are the ones open at this moment (not ones opened afterwards).
  const [{ neutralUrl }, [current], open] = await Promise.all([
    getSettings(),
    api.tabs.query({ active: true, lastFocusedWindow: true }),
    extensionTabs().catch(() => []),
  ]);
  await api.tabs.create({ url: neutralUrl, active: true, windowId: current?.windowId, index: current ? current.index + 1 : undefined });
  api.runtime.sendMessage({ type: "quickExitNow" }).catch(() => {});
  await setBadge("", "#555");
  // Give pages a moment to save drafts and close themselves, then close what is left.
  await new Promise((r) => setTimeout(r, 150));
  const ids = new Set(open);
  if (current?.id != null) ids.add(current.id);
  await Promise.allSettled([...ids].map((id) => api.tabs.remove(id)));
  return { ok: true };
}

api.contextMenus.onClicked.addListener((info, tab) => {
  if (info.menuItemId === MENU_ID && tab?.id != null) void triggered(tab.id, "context-menu");
});

api.commands.onCommand.addListener((command, tab) => {
  if (command === "quick-exit") return void quickExit();
  if (command !== "capture-page") return;
  void (async () => {
    const target = tab ?? (await api.tabs.query({ active: true, currentWindow: true }))[0];
    if (target?.id != null) await triggered(target.id, "shortcut");
  })();
});

// Captures with nobody waiting for an answer (shortcut, menu) report through the badge
// and a notification. Reachable from the worker's own console as `evidenceTrigger`, so
// that tests can drive this path: headless browsers cannot press browser shortcuts or
// open native context menus.
async function triggered(tabId, trigger) {
  await ready;
  await setBadge("…", "#555");
  const res = await enqueueCapture(tabId, trigger);
  if (res.ok) {
    await setBadge("✓", "#1a7f37");
    setTimeout(() => setBadge("", "#555"), 10_000);
    notify(`Saved · ${res.item.recordSha256.slice(0, 12)}${res.warnings?.length ? " (some parts missing)" : ""}`);
  } else {
    await setBadge("!", "#b3261e");
    notify(`Not saved: ${res.error.message}`, true);
  }
  return res;
}

async function setBadge(text, color) {
  try {
    await api.action.setBadgeBackgroundColor({ color });
    await api.action.setBadgeText({ text });
  } catch {
    // The badge is a convenience; failing to set it must not affect a capture.
  }
}

function notify(message, important = false) {
  if (!api.notifications?.create) return;
  api.notifications
    .create({ type: "basic", iconUrl: api.runtime.getURL("icons/neutral-128.png"), title: "Saved pages", message, priority: important ? 2 : 0 })
    .catch(() => {});
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
  await ready;
  await checkIdle().catch(() => {});
  switch (msg.type) {
    case "ping":
      return { ok: true };
    case "capture":
      return enqueueCapture(msg.tabId, msg.trigger ?? "api", msg.requestId);
    case "captureStatus":
      return { ok: true, ...(await requestStatus(msg.requestId)) };
    case "list":
      return { ok: true, items: await listItems() };
    case "failures":
      return { ok: true, failures: await listFailures() };
    case "dismissFailure":
      await dismissFailure(msg.id);
      return { ok: true };
    case "quickExit":
      return quickExit();
    default:
      return failure("BAD_MESSAGE", "unknown message type");
  }
}
