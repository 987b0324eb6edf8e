// @ts-check
// The toolbar badge: how captures with nobody waiting for an answer report.

import { api } from "../shared/browser.js";

/** Set the badge text and colour; never throws. */
export async function setBadge(text, color) {
  try {
    await api.action.setBadgeBackgroundColor({ color });
    await api.action.setBadgeText({ text });
  } catch {
    // The badge is a convenience; failing to set it must not affect a capture.
  }
}
