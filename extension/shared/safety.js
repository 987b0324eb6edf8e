// @ts-check
// On every extension page, at the same place (top right): "Quick exit" and "Help".
// Quick exit (button, or Alt+Shift+Q anywhere in the browser)
// opens a neutral page in a fresh tab and closes every extension tab, so no extension
// page stays on screen or in any tab's back history. Each page hides at once and writes its
// unsaved drafts behind the neutral page before it closes.
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
 * where the draft is encrypted first) may need longer. The worker waits for our pages to
 * close themselves up to CLOSE_WAIT_MS (background/quick-exit.js), a little longer; a page
 * with nothing to write closes itself at once.
 */
const FLUSH_WAIT_MS = 2000;

/** When the worker can't be reached, how long the page waits for its drafts before it blanks itself. */
const ALONE_WAIT_MS = 300;

const wait = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resolves once this page's drafts are written (or after FLUSH_WAIT_MS). */
let leaving = null;

/** Hide this page at once and start writing its drafts (once, however often it is asked). */
function leave() {
  document.documentElement.style.visibility = "hidden";
  document.title = "New Tab";
  leaving ??= Promise.race([Promise.allSettled([...beforeExit].map((fn) => fn())), wait(FLUSH_WAIT_MS)]);
  return leaving;
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
 * drafts are written, then this page closes (on the worker's broadcast, or here).
 */
export async function quickExit() {
  if (leaving) return; // already leaving (a second click, a key held down)
  const written = leave();
  let ok = false;
  try {
    ok = (await api.runtime.sendMessage({ type: "quickExit" }))?.ok === true;
  } catch {
    // The worker is unavailable, or this page was closed while it answered.
  }
  if (ok) {
    await written;
    return closeSelf();
  }
  // No neutral page came: don't stay on screen waiting for the drafts.
  await Promise.race([written, wait(ALONE_WAIT_MS)]);
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
  leave().then(closeSelf);
});

if (document.body) mount();
else document.addEventListener("DOMContentLoaded", mount);
