// @ts-check
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
  // User-Agent Client Hints (Chromium only); not in TypeScript's DOM library yet.
  const uaData = /** @type {any} */ (navigator).userAgentData;
  const brands = uaData?.brands ?? [];
  const pick =
    brands.find((b) => /Chrom|Edge|Opera|Brave/i.test(b.brand) && b.brand !== "Chromium") ??
    brands.find((b) => b.brand === "Chromium");
  if (pick) {
    let version = pick.version;
    try {
      const hi = await uaData.getHighEntropyValues(["fullVersionList"]);
      version = hi.fullVersionList?.find((b) => b.brand === pick.brand)?.version ?? version;
    } catch {
      // Full version unavailable; keep the major version.
    }
    return { name: pick.brand, version };
  }
  const m = navigator.userAgent.match(/(Chrome|Firefox)\/([\d.]+)/);
  return m ? { name: m[1], version: m[2] } : { name: "unknown", version: "unknown" };
}
