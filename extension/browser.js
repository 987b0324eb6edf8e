// The one place that knows which browser we run in. Everything browser-specific
// (API namespaces, APIs that Firefox lacks) goes through here.

/** The WebExtension API namespace: `browser` in Firefox, `chrome` in Chromium. */
export const api = globalThis.browser ?? globalThis.chrome;

let cachedInfo = null;

/** Name and version of the browser, e.g. {name: "Chromium", version: "156.0.8078.73"}. */
export function browserInfo() {
  cachedInfo ??= readBrowserInfo();
  return cachedInfo;
}

async function readBrowserInfo() {
  if (typeof api.runtime.getBrowserInfo === "function") {
    const info = await api.runtime.getBrowserInfo();
    return { name: info.name, version: info.version };
  }
  const brands = navigator.userAgentData?.brands ?? [];
  const pick =
    brands.find((b) => /Chrom|Edge|Opera|Brave/i.test(b.brand) && b.brand !== "Chromium") ??
    brands.find((b) => b.brand === "Chromium");
  if (pick) {
    let version = pick.version;
    try {
      const hi = await navigator.userAgentData.getHighEntropyValues(["fullVersionList"]);
      version = hi.fullVersionList?.find((b) => b.brand === pick.brand)?.version ?? version;
    } catch {
      // Full version unavailable; keep the major version.
    }
    return { name: pick.brand, version };
  }
  const m = navigator.userAgent.match(/(Chrome|Firefox)\/([\d.]+)/);
  return m ? { name: m[1], version: m[2] } : { name: "unknown", version: "unknown" };
}

/** PNG screenshot of the visible viewport of `windowId`'s active tab, as bytes. */
export async function captureScreenshot(windowId) {
  // Chromium allows two captureVisibleTab calls per second per extension
  // (MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND); retry quota errors with back-off.
  for (let attempt = 0; ; attempt++) {
    try {
      const dataUrl = await api.tabs.captureVisibleTab(windowId, { format: "png" });
      return { bytes: dataUrlToBytes(dataUrl), method: "tabs.captureVisibleTab" };
    } catch (e) {
      if (attempt < 8 && /MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND|quota/i.test(String(e?.message))) {
        await new Promise((r) => setTimeout(r, 250 + attempt * 100));
        continue;
      }
      throw e;
    }
  }
}

/**
 * The page snapshot: MHTML where the browser has pageCapture (Chromium), otherwise a
 * serialised DOM taken by a script in the page (Firefox has no pageCapture).
 * Returns {bytes, mediaType, name, method}, the bytes already in memory.
 */
export async function captureSnapshot(tabId) {
  if (api.pageCapture?.saveAsMHTML) {
    // Chromium backs this Blob with a temporary file that it may delete soon after
    // handing it over (reads then fail with NotFoundError), so copy it into memory at
    // once, retrying the snapshot if the file is already gone.
    for (let attempt = 0; ; attempt++) {
      const file = await api.pageCapture.saveAsMHTML({ tabId });
      if (!file || file.size === 0) throw new Error("the browser returned an empty page snapshot");
      try {
        const bytes = new Uint8Array(await file.arrayBuffer());
        return { bytes, mediaType: "multipart/related", name: "page.mhtml", method: "pageCapture.saveAsMHTML" };
      } catch (e) {
        if (e?.name !== "NotFoundError" || attempt >= 2) throw e;
      }
    }
  }
  const [res] = await api.scripting.executeScript({
    target: { tabId },
    func: () => "<!DOCTYPE html>\n" + document.documentElement.outerHTML,
  });
  if (typeof res?.result !== "string") throw new Error("the page could not be serialised");
  const bytes = new TextEncoder().encode(res.result);
  return { bytes, mediaType: "text/html", name: "page.html", method: "dom-serialisation (outerHTML)" };
}

/** Run the page-facts content script in the tab and return its result. */
export async function readPageFacts(tabId) {
  const [res] = await api.scripting.executeScript({ target: { tabId }, files: ["content.js"] });
  return res?.result ?? null;
}

function dataUrlToBytes(dataUrl) {
  const comma = dataUrl.indexOf(",");
  if (!dataUrl.startsWith("data:image/png;base64,") || comma < 0) throw new Error("the screenshot is not a PNG");
  const bin = atob(dataUrl.slice(comma + 1));
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
