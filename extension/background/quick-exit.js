// @ts-check
// Quick exit, the worker's half (each page's half is shared/safety.js): a neutral page in
// a fresh tab, then every extension tab closes and the library locks.

import { api } from "../shared/browser.js";
import { getSettings } from "../shared/settings.js";
import { lockNow } from "../shared/lockstate.js";
import { setBadge } from "./badge.js";

/**
 * Quick exit: a neutral page in a fresh tab where the user was looking, then every
 * extension tab closes (each page first flushes its draft), and the tab that was on
 * screen is closed too, so nothing of ours stays on screen or in a tab's history.
 */
export async function quickExit() {
  // Quick exit locks at once (without delaying the neutral page). A failed lock is retried
  // once, then logged: nothing is put on screen about it, since the point is to leave.
  const locked = lockNow().catch((e) => {
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
  // Each extension page (hidden at once) writes its drafts and closes itself. Rejects when
  // no extension page is open to receive it: nothing to close then.
  api.runtime.sendMessage({ type: "quickExitNow" }).catch(() => {});
  await setBadge("", "#555");
  // The web tab that was on screen (behind the neutral page now) goes at once.
  const ours = new Set(open);
  if (current?.id != null && !ours.has(current.id)) await api.tabs.remove(current.id).catch(() => {});
  // Our tabs are given the time to write their drafts, then whatever is left is closed.
  await untilClosed(ours, CLOSE_WAIT_MS);
  await Promise.allSettled([...ours].map((id) => api.tabs.remove(id))); // a tab may have closed itself meanwhile
  await locked;
  return { ok: true };
}

/** Longer than a page's wait for its drafts (shared/safety.js FLUSH_WAIT_MS, 2 s). */
const CLOSE_WAIT_MS = 2500;

/** Resolves once none of the tabs `ids` is open any more, or after `ms`. */
async function untilClosed(ids, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const open = await Promise.all([...ids].map((id) => api.tabs.get(id).then(() => true, () => false)));
    if (!open.some(Boolean)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
}
