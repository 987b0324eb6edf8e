// @ts-check
// The screenshot source: the visible viewport of the tab as PNG bytes.

import { api } from "../shared/browser.js";

/**
 * PNG screenshot of the tab's visible viewport at full device pixel ratio, as bytes.
 * Firefox has tabs.captureTab, which captures the given tab itself rather than whatever
 * tab is active in its window; Chromium only has captureVisibleTab.
 */
export async function captureScreenshot(tab) {
  if (typeof api.tabs.captureTab === "function") {
    const dataUrl = await api.tabs.captureTab(tab.id, { format: "png" });
    return { bytes: dataUrlToBytes(dataUrl), method: "tabs.captureTab" };
  }
  // Chromium allows two captureVisibleTab calls per second per extension
  // (MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND); retry quota errors with back-off.
  for (let attempt = 0; ; attempt++) {
    try {
      const dataUrl = await api.tabs.captureVisibleTab(tab.windowId, { format: "png" });
      return { bytes: dataUrlToBytes(dataUrl), method: "tabs.captureVisibleTab" };
    } catch (e) {
      // "image readback failed": the compositor had no frame ready yet (seen in headless
      // Chromium right after a tab is shown); a short wait and a retry fixes it.
      if (attempt < 8 && /MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND|quota|readback/i.test(String(e?.message))) {
        await new Promise((r) => setTimeout(r, 250 + attempt * 100));
        continue;
      }
      throw e;
    }
  }
}

function dataUrlToBytes(dataUrl) {
  const comma = dataUrl.indexOf(",");
  if (!dataUrl.startsWith("data:image/png;base64,") || comma < 0) throw new Error("the screenshot is not a PNG");
  const b64 = dataUrl.slice(comma + 1);
  // Uint8Array.fromBase64 (Chromium 140+, Firefox 133+) decodes natively, several times
  // faster than the byte loop, which is kept for older browsers.
  const fromBase64 = /** @type {any} */ (Uint8Array).fromBase64;
  if (typeof fromBase64 === "function") return /** @type {Uint8Array} */ (fromBase64(b64));
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Width and height from a PNG's IHDR chunk, or null when it is not a PNG. */
export function pngSize(bytes) {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || sig.some((b, i) => bytes[i] !== b)) return null;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: dv.getUint32(16), height: dv.getUint32(20) };
}
