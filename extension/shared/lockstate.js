// @ts-check
// The unlocked state of the passphrase lock, shared by the service worker and pages.
//
// While unlocked, the age identity string lives in chrome.storage.session as
// {identity, lastActivity}: in memory only, cleared when the browser closes, readable by
// the service worker and the extension's own pages (not by content scripts). Locking is
// removing it. The cache below follows storage.onChanged, so a lock from any context
// (idle alarm, quick exit, "Lock now") reaches every page at once. Later activity is noted
// under a key of its own (ACTIVITY_KEY), so that a page noting it can never write an
// identity back over a lock made meanwhile: only setUnlocked writes the identity.
import { api } from "./browser.js";

const KEY = "unlock";
const ACTIVITY_KEY = "unlockActivity";
let cached; // undefined: not read yet; null: locked

if (api?.storage?.onChanged) {
  api.storage.onChanged.addListener((changes, area) => {
    if (area === "session" && changes[KEY]) cached = changes[KEY].newValue?.identity ?? null;
  });
}

/** The identity string while unlocked, else null. */
export async function currentIdentity() {
  if (cached === undefined) {
    // Fails closed: an unreadable session counts as locked (nothing is decrypted).
    const got = await api.storage.session.get(KEY).catch(() => ({}));
    cached = got[KEY]?.identity ?? null;
  }
  return cached;
}

/** {identity, lastActivity} (the latest activity noted since the unlock), or null. */
export async function unlockState() {
  // Fails closed, as above: no identity means locked.
  const got = await api.storage.session.get([KEY, ACTIVITY_KEY]).catch(() => ({}));
  const state = got[KEY];
  if (!state) return null;
  return { ...state, lastActivity: Math.max(state.lastActivity ?? 0, got[ACTIVITY_KEY]?.lastActivity ?? 0) };
}

/** Keep the identity for this browser session (after a successful unlock). */
export async function setUnlocked(identity) {
  cached = identity;
  const now = Date.now();
  await api.storage.session.set({ [KEY]: { identity, lastActivity: now }, [ACTIVITY_KEY]: { lastActivity: now } });
}

/**
 * Lock now: forget the identity everywhere. A quick exit's lock says so in the same write
 * ({identity: null, quickExit: true}), so that a page that is leaving hides itself instead
 * of reloading into the locked view (see onLocked).
 * @param {{quickExit?: boolean}} [options]
 */
export async function lockNow({ quickExit = false } = {}) {
  cached = null;
  if (quickExit) await api.storage.session.set({ [KEY]: { identity: null, quickExit: true } });
  else await api.storage.session.remove(KEY);
}

/** An Error with code "LOCKED". */
export function lockedError() {
  return Object.assign(new Error("The library is locked. Unlock it with your passphrase to view, export or change anything."), { code: "LOCKED" });
}

let lastTouch = 0;
/** Note user activity (throttled to once every 20 s), so the idle lock waits. */
export async function touchActivity() {
  const now = Date.now();
  if (now - lastTouch < 20_000) return;
  lastTouch = now;
  if (await currentIdentity()) await api.storage.session.set({ [ACTIVITY_KEY]: { lastActivity: now } });
}

/** Track input, clicks and key presses on this page as activity. */
export function watchActivity() {
  for (const type of ["input", "click", "keydown"]) document.addEventListener(type, () => void touchActivity(), { passive: true, capture: true });
}

/**
 * Call `fn({quickExit})` when the identity disappears (the library was locked somewhere);
 * `quickExit` is true when a quick exit locked it.
 * @param {(how: {quickExit: boolean}) => any} fn
 */
export function onLocked(fn) {
  api.storage.onChanged.addListener((changes, area) => {
    // Only a change from unlocked to locked (an entry without identity replaced, or one
    // removed, is no new lock: the page is already showing the locked view).
    const c = area === "session" ? changes[KEY] : undefined;
    if (c?.oldValue?.identity && !c.newValue?.identity) fn({ quickExit: c.newValue?.quickExit === true });
  });
}
