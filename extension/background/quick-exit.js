// @ts-check
// Quick exit, the worker's half (each page's half is shared/safety.js): a neutral page in
// a fresh tab, then every extension tab closes (after writing its drafts) and the library
// locks.

import { api } from "../shared/browser.js";
import { getSettings } from "../shared/settings.js";
import { lockNow } from "../shared/lockstate.js";
import { setBadge } from "./badge.js";

/**
 * How long the worker waits for an extension page that said it is writing drafts
 * (`quickExitDrafts`) to close itself: longer than the page's own wait for them
 * (shared/safety.js FLUSH_WAIT_MS, 2 s). Such a page is hidden and behind the neutral page.
 */
const CLOSE_WAIT_MS = 2500;
/** How long the others get to close themselves before they are closed (as before). */
const GRACE_MS = 150;

/** Tab ids of our pages that said they are writing drafts before they close. */
const writing = new Set();

/** An extension page (in a tab) is writing its drafts before it closes (message quickExitDrafts). */
export function draftsWriting(tabId) {
  if (typeof tabId === "number" && tabId >= 0) writing.add(tabId);
  return { ok: true };
}

let running = null;

/**
 * Quick exit: a neutral page in a fresh tab where the user was looking; the tab that was on
 * screen, if it is a web page, is closed at once; every extension page hides, writes its
 * drafts and closes itself, and the worker closes whatever of ours is left (at once for a
 * page with no drafts, after CLOSE_WAIT_MS at most for one that is writing them), so nothing
 * of ours stays on screen or in a tab's history. A second call while one runs (a key held
 * down, a second click) joins it.
 */
export function quickExit() {
  running ??= run().finally(() => {
    running = null;
    writing.clear();
  });
  return running;
}

async function run() {
  // Quick exit locks at once (without delaying the neutral page), saying so, so that pages
  // hide instead of reloading into the locked view (shared/unlock-view.js). A failed lock is
  // retried once, then logged: nothing is put on screen about it, since the point is to leave.
  const locked = lockNow({ quickExit: true }).catch((e) => {
    console.error("quick exit: the lock failed, retrying", e);
    return lockNow().catch((e2) => console.error("quick exit: the lock failed again", e2));
  });
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
    // If the tabs can't be listed, the broadcast below still closes every extension page.
    extensionTabs().catch((e) => (console.warn("quick exit: extension tabs not listed", e), [])),
  ]);
  await api.tabs.create({ url: neutralUrl, active: true, windowId: current?.windowId, index: current ? current.index + 1 : undefined });
  // Each extension page hides at once, writes its drafts and closes itself. Rejects when
  // no extension page is open to receive it: nothing to close then.
  api.runtime.sendMessage({ type: "quickExitNow" }).catch(() => {});
  await setBadge("", "#555");
  // The web tab that was on screen (behind the neutral page now) goes at once.
  const ours = new Set(open);
  if (current?.id != null && !ours.has(current.id)) await api.tabs.remove(current.id).catch(() => {});
  await new Promise((r) => setTimeout(r, GRACE_MS));
  // What has no drafts to write (or did not say so in time) is closed now; a page writing
  // its drafts is given the time to finish them, then closed if it is still open.
  const waiting = [...ours].filter((id) => writing.has(id));
  await Promise.allSettled([...ours].filter((id) => !writing.has(id)).map((id) => api.tabs.remove(id))); // a tab may have closed itself already
  await untilClosed(waiting, CLOSE_WAIT_MS - GRACE_MS);
  await Promise.allSettled(waiting.map((id) => api.tabs.remove(id)));
  await locked;
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
