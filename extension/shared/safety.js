// @ts-check
// On every extension page, at the same place (top right): "Quick exit" and "Help".
// Quick exit (button, or Alt+Shift+Q anywhere in the browser)
// opens a neutral page in a fresh tab and closes every extension tab, so no extension
// page stays on screen or in any tab's back history. Unsaved drafts are flushed first.
import { api } from "./browser.js";
import { checkBroadcast } from "./messages.js";

const beforeExit = new Set();

/** Register work to finish before the page closes on quick exit (e.g. saving a draft). */
export function onBeforeExit(fn) {
  beforeExit.add(fn);
}

/**
 * How long a page waits for its drafts to be written before it closes. The page is hidden
 * at once and the neutral page is already in front (the worker opens it while the drafts
 * are written), so waiting costs nothing on screen; a draft typed just before the exit is
 * usually written within a few milliseconds, but a slow machine (or one under the lock,
 * where the draft is encrypted first) may need longer. The worker closes what is left
 * after CLOSE_WAIT_MS (background/quick-exit.js), which is longer.
 */
export const FLUSH_WAIT_MS = 2000;

async function flush() {
  await Promise.race([Promise.allSettled([...beforeExit].map((fn) => fn())), new Promise((r) => setTimeout(r, FLUSH_WAIT_MS))]);
}

async function closeSelf() {
  try {
    const tab = await api.tabs.getCurrent();
    if (tab?.id != null) return void (await api.tabs.remove(tab.id));
  } catch {
    // Not in a tab (the popup): close the window instead.
  }
  window.close();
}

/**
 * Leave now: hide this page at once; the worker puts the neutral page in front while the
 * drafts are written, then this page closes (the worker's broadcast closes it too).
 */
export async function quickExit() {
  document.documentElement.style.visibility = "hidden";
  document.title = "New Tab";
  const flushed = flush();
  let ok = false;
  try {
    ok = (await api.runtime.sendMessage({ type: "quickExit" }))?.ok === true;
  } catch {
    // The worker is unavailable, or this page was already closed by its broadcast.
  }
  await flushed;
  if (ok) return closeSelf();
  location.replace("about:blank");
}

function mount() {
  const bar = document.createElement("div");
  bar.className = "safety-bar";
  bar.setAttribute("role", "region");
  bar.setAttribute("aria-label", "Safety");
  const help = document.createElement("a");
  help.href = "help.html";
  help.textContent = "Help";
  help.className = "button";
  if (location.pathname.endsWith("/popup.html")) help.target = "_blank";
  const exit = document.createElement("button");
  exit.type = "button";
  exit.id = "quick-exit";
  exit.className = "quick-exit";
  exit.textContent = "Quick exit";
  exit.title = "Leave now: opens a neutral page and closes this extension's tabs (Alt+Shift+Q)";
  exit.addEventListener("click", quickExit);
  bar.append(help, exit);
  document.body.prepend(bar);
}

// The browser-wide shortcut is a command handled by the worker; this catches the same
// keys while one of our pages has the focus, in case the command is unassigned.
document.addEventListener("keydown", (e) => {
  if (e.altKey && e.shiftKey && (e.key === "Q" || e.key === "q")) {
    e.preventDefault();
    quickExit();
  }
});

// The worker asks every extension page to close (quick exit from the shortcut or another page).
api.runtime.onMessage.addListener((msg, sender) => {
  if (sender?.id !== api.runtime.id || sender.tab || checkBroadcast(msg) !== null || msg.type !== "quickExitNow") return;
  document.documentElement.style.visibility = "hidden";
  flush().then(closeSelf);
});

if (document.body) mount();
else document.addEventListener("DOMContentLoaded", mount);
