// @ts-check
// Tab activations the extension makes itself. A screen capture in Chromium can only take the
// visible tab of a window, so a capture of a background tab first makes it the active one.
// A long capture running in that window must not read such an activation as the user
// switching tabs (which stops it): the extension records each activation it makes here, and
// the long capture asks. The long capture then shows its own tab again before its next screen
// (background/long-capture.js).

/** How long after an activation the event that reports it is taken as ours, ms. */
const WINDOW_MS = 3000;
/** @type {Map<number, number>} tab id -> when the extension activated it */
const own = new Map();
let epoch = 0;

/**
 * Make `tabId` the active tab of its window, recorded as the extension's own activation.
 * @param {any} api the browser's extension API
 * @param {number} tabId
 */
export async function activateForCapture(api, tabId) {
  own.set(tabId, Date.now());
  epoch++;
  await api.tabs.update(tabId, { active: true });
}

/** True when the activation of `tabId` reported now was made by the extension. */
export function isOwnActivation(tabId) {
  const at = own.get(tabId);
  if (at === undefined) return false;
  if (Date.now() - at > WINDOW_MS) {
    own.delete(tabId);
    return false;
  }
  return true;
}

/** A number that changes whenever the extension activates a tab (to notice one in between). */
export function activationEpoch() {
  return epoch;
}
