// @ts-check
// The capture context: what the worker tells the core about a capture besides the page
// facts (when, the tab, the browser, how each part was made and what is missing). One
// builder for the one-screen capture (background/capture.js) and the long ones
// (background/long-capture.js), so that both describe a capture the same way.
import { api } from "../shared/browser.js";
import { uncapturableReason } from "../shared/urls.js";

/** A capture's refusal, as the automation surface answers it. */
export function fail(/** @type {string} */ code, /** @type {string} */ message) {
  return { ok: /** @type {const} */ (false), error: { code, message } };
}

/**
 * The tab to capture, or the refusal when it is gone or shows a page no extension may capture
 * (the same checks for the one-screen and the long captures).
 * @param {number} tabId
 */
export async function capturableTab(tabId) {
  let tab;
  try {
    tab = await api.tabs.get(tabId);
  } catch {
    return { refusal: fail("TAB_NOT_FOUND", "That tab is no longer open, so it could not be captured.") };
  }
  const reason = uncapturableReason(tab.url ?? tab.pendingUrl ?? "");
  return reason ? { refusal: fail("NOT_CAPTURABLE", reason) } : { tab };
}

/**
 * @param {{
 *   tab: {url?: string, title?: string},
 *   trigger: string,
 *   capturedAtMs: number,
 *   browser: {name: string, version: string | null},
 *   screenshotMethod: string | null,
 *   screenshotSize: {width: number, height: number} | null,
 *   snapshotMethod: string | null,
 *   missing: string[],
 *   extractionError: string | null,
 * }} parts
 */
export function captureContextOf({ tab, trigger, capturedAtMs, browser, screenshotMethod, screenshotSize, snapshotMethod, missing, extractionError }) {
  return {
    captured_at_ms: capturedAtMs,
    local_offset_minutes: -new Date(capturedAtMs).getTimezoneOffset(),
    time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone ?? null,
    trigger,
    tab_url: tab.url,
    tab_title: tab.title ?? null,
    browser: browser.name,
    browser_version: browser.version,
    user_agent: navigator.userAgent,
    extension_version: api.runtime.getManifest().version,
    screenshot_method: screenshotMethod,
    screenshot_width: screenshotSize?.width ?? null,
    screenshot_height: screenshotSize?.height ?? null,
    snapshot_method: snapshotMethod,
    missing,
    extraction_error: extractionError,
  };
}
