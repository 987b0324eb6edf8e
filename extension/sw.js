// The service worker (Chromium) / event page (Firefox): capture triggers and the
// message API for the extension's own pages. Listeners are registered synchronously at
// the top level so that an event which wakes the worker is never missed.

import { api } from "./browser.js";
import { enqueueCapture } from "./capture.js";
import { coreReady } from "./core.js";
import { checkMessage, failure, isOwnPage } from "./messages.js";
import { dismissFailure, failLeftoverPending, listFailures, listItems, requestStatus } from "./store.js";

const MENU_ID = "capture-page";

// Start-up: load the core and report captures that a previous worker left unfinished.
const ready = (async () => {
  await coreReady();
  const interrupted = await failLeftoverPending(new Date().toISOString());
  if (interrupted.length) notify(`${interrupted.length} capture(s) did not finish and were not saved. Open the extension to see which.`, true);
})();
// A readiness signal for tests and tools: resolves once listeners and the core are ready.
globalThis.evidenceReady = ready;
globalThis.evidenceTrigger = (tabId, trigger) => triggered(tabId, trigger);

api.runtime.onInstalled.addListener(async (details) => {
  // First run: say plainly where the evidence lives and what deletes it.
  if (details?.reason === "install") api.tabs.create({ url: api.runtime.getURL("welcome.html") }).catch(() => {});
  await api.contextMenus.removeAll();
  api.contextMenus.create({ id: MENU_ID, title: "Save this page as evidence", contexts: ["page", "selection", "link", "image", "frame"] });
});

api.contextMenus.onClicked.addListener((info, tab) => {
  if (info.menuItemId === MENU_ID && tab?.id != null) void triggered(tab.id, "context-menu");
});

api.commands.onCommand.addListener((command, tab) => {
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
    .create({ type: "basic", iconUrl: api.runtime.getURL("icons/icon-128.png"), title: "Capture", message, priority: important ? 2 : 0 })
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
    default:
      return failure("BAD_MESSAGE", "unknown message type");
  }
}
