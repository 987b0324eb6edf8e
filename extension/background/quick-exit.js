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
  // Rejects when no extension page is open to receive it: nothing to close then.
  api.runtime.sendMessage({ type: "quickExitNow" }).catch(() => {});
  await setBadge("", "#555");
  // Give pages a moment to save drafts and close themselves, then close what is left.
  await new Promise((r) => setTimeout(r, 150));
  const ids = new Set(open);
  if (current?.id != null) ids.add(current.id);
  await Promise.allSettled([...ids].map((id) => api.tabs.remove(id))); // a tab may have closed itself already
  await locked;
  return { ok: true };
}
