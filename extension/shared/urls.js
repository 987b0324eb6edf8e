// @ts-check
// Which pages can be captured at all. A plain module (no browser APIs) so it is tested directly.

const RESTRICTED_HOSTS = [
  // Browser stores: extensions are not allowed to script or capture them.
  /^chromewebstore\.google\.com$/,
  /^chrome\.google\.com$/, // /webstore paths
  /^microsoftedge\.microsoft\.com$/,
  /^addons\.mozilla\.org$/,
];

/** Null when the URL can be captured, else the reason in plain words. */
export function uncapturableReason(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    // Tabs whose URL the browser hides from extensions (chrome://…, other extensions'
    // pages, and, since host access is optional, any tab the user did not just invoke the
    // extension on) arrive here without a URL.
    return "This tab shows a browser page (such as chrome://… or a new tab) that the browser does not let extensions read, so it can't be captured, or the extension was not given access to it (it is, for the page you use its toolbar button, shortcut or menu on). Open the message in a normal web page and capture it there.";
  }
  if (!["http:", "https:", "file:"].includes(u.protocol)) {
    return `Browser pages (${u.protocol}//…) can't be captured: the browser does not let extensions read them. Open the message in a normal web page and capture it there.`;
  }
  if (RESTRICTED_HOSTS.some((re) => re.test(u.hostname)) && (u.hostname !== "chrome.google.com" || u.pathname.startsWith("/webstore"))) {
    return "Extension store pages can't be captured: the browser protects them from all extensions.";
  }
  return null;
}

