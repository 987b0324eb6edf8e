// @ts-check
// The capture context: what the worker tells the core about a capture besides the page
// facts (when, the tab, the browser, how each part was made and what is missing). One
// builder for the one-screen capture (background/capture.js) and the long ones
// (background/long-capture.js), so that both describe a capture the same way.
import { api } from "../shared/browser.js";

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
