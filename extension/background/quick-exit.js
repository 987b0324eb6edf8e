// @ts-check
// Quick exit, the worker's half (each page's half is shared/safety.js): a neutral page in
// a fresh tab, then every extension tab closes (after writing its drafts) and the library
// locks.

import { api } from "../shared/browser.js";
import { getSettings } from "../shared/settings.js";
import { lockNow } from "../shared/lockstate.js";
import { setBadge } from "./badge.js";

/**
 * How long the worker waits for our pages to close themselves: longer than a page's own wait
 * for its drafts (shared/safety.js FLUSH_WAIT_MS, 2 s). Such a page is hidden and behind the
 * neutral page; a page with nothing to write closes itself at once.
 */
const CLOSE_WAIT_MS = 2500;
/** How long anything else of ours (a full-size image, which can't close itself) stays: as before. */
const GRACE_MS = 150;

let running = null;

/**
 * Quick exit: a neutral page in a fresh tab where the user was looking; the tab that was on
 * screen, if it is a web page, is closed at once; every extension page hides, writes its
 * drafts and closes itself, and the worker closes whatever of ours is left (after 150 ms
 * what is not one of our pages, after CLOSE_WAIT_MS at most a page still writing), so
 * nothing of ours stays on screen or in a tab's history. A second call while one runs (a
 * key held down, a second click) joins it.
 */
export function quickExit() {
  running ??= run().finally(() => (running = null));
  return running;
}

async function run() {
  // Quick exit locks at once (without delaying the neutral page), saying so, so that pages
  // hide instead of reloading into the locked view (shared/unlock-view.js). A failed lock is
  // retried once, then logged: nothing is put on screen about it, since the point is to leave.
  const locked = lockNow({ quickExit: true }).catch((e) => {
    console.error("quick exit: the lock failed, retrying", e);
    return lockNow({ quickExit: true }).catch((e2) => console.error("quick exit: the lock failed again", e2));
  });
  const own = api.runtime.getURL("");
  /** Our tabs: {id, page} (page: one of our HTML pages, which closes itself on quickExitNow). */
  const extensionTabs = async () => {
    if (typeof api.runtime.getContexts === "function") {
      const contexts = await api.runtime.getContexts({ contextTypes: ["TAB"] });
      return contexts.filter((c) => c.tabId >= 0).map((c) => ({ id: c.tabId, page: (c.documentUrl ?? "").startsWith(own) }));
    }
    return (await api.tabs.query({})).filter((t) => (t.url ?? "").startsWith(own)).map((t) => ({ id: t.id, page: true }));
  };
  let ours = [];
  try {
    // The tabs to close are the ones open at this moment (not ones opened afterwards).
    const [{ neutralUrl }, [current], open] = await Promise.all([
      getSettings(),
      api.tabs.query({ active: true, lastFocusedWindow: true }),
      // If the tabs can't be listed, the broadcast below still closes every extension page.
      extensionTabs().catch((e) => (console.warn("quick exit: extension tabs not listed", e), [])),
    ]);
    ours = open;
    const where = { windowId: current?.windowId, index: current ? current.index + 1 : undefined };
    await api.tabs.create({ url: neutralUrl, active: true, ...where }).catch((e) => {
      console.warn("quick exit: the neutral page was not opened next to the tab; opening it anywhere", e);
      return api.tabs.create({ url: neutralUrl, active: true });
    });
    // The web tab that was on screen (behind the neutral page now) goes at once (not awaited:
    // a page that holds its closing must not hold the exit).
    if (current?.id != null && !ours.some((t) => t.id === current.id)) api.tabs.remove(current.id).catch(() => {});
  } finally {
    // Even when the neutral page could not be opened: every extension page hides, writes
    // its drafts and closes itself. Rejects when no extension page is open to receive it.
    api.runtime.sendMessage({ type: "quickExitNow" }).catch(() => {});
    void setBadge("", "#555").catch(() => {});
    await new Promise((r) => setTimeout(r, GRACE_MS));
    const pages = ours.filter((t) => t.page).map((t) => t.id);
    await Promise.allSettled(ours.filter((t) => !t.page).map((t) => api.tabs.remove(t.id)));
    await untilClosed(pages, CLOSE_WAIT_MS - GRACE_MS);
    await Promise.allSettled(pages.map((id) => api.tabs.remove(id))); // a tab may have closed itself already
    await locked;
  }
  return { ok: true };
}

/** Resolves once none of the tabs `ids` is open any more, or after `ms`. */
async function untilClosed(ids, ms) {
  const until = Date.now() + ms;
  while (ids.length && Date.now() < until) {
    const open = await Promise.all(ids.map((id) => api.tabs.get(id).then(() => true, () => false)));
    if (!open.some(Boolean)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
}
