// @ts-check
// The unlocked state of the passphrase lock, shared by the service worker and pages.
//
// While unlocked, the age identity string lives in chrome.storage.session as
// {identity, lastActivity}: in memory only, cleared when the browser closes, readable by
// the service worker and the extension's own pages (not by content scripts). Locking is
// removing it. The cache below follows storage.onChanged, so a lock from any context
// (idle alarm, quick exit, "Lock now") reaches every page at once.
import { api } from "./browser.js";

const KEY = "unlock";
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

/** The session entry {identity, lastActivity}, or null. */
export async function unlockState() {
  // Fails closed, as above: no identity means locked.
  const got = await api.storage.session.get(KEY).catch(() => ({}));
  return got[KEY] ?? null;
}

/** Keep the identity for this browser session (after a successful unlock). */
export async function setUnlocked(identity) {
  cached = identity;
  await api.storage.session.set({ [KEY]: { identity, lastActivity: Date.now() } });
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
  const state = await unlockState();
  if (state?.identity) await api.storage.session.set({ [KEY]: { ...state, lastActivity: now } });
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
    if (area === "session" && changes[KEY] && !changes[KEY].newValue?.identity) fn({ quickExit: changes[KEY].newValue?.quickExit === true });
  });
}
