// Launch Firefox ESR headless over WebDriver BiDi (puppeteer-core) with dist/ installed as
// a temporary add-on. No driver may navigate to a moz-extension:// URL, so the test uses
// the page the extension opens itself on install (welcome.html) and evaluates in it.
import puppeteer from "puppeteer-core";
import { existsSync } from "node:fs";
import { DIST } from "./extension.mjs";
import { testDist } from "./test-dist.mjs";

export const FIREFOX = process.env.FIREFOX || "/usr/bin/firefox-esr";
export const firefoxAvailable = () => existsSync(FIREFOX);

export async function launchFirefox({ dist = DIST } = {}) {
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX,
    headless: true,
    protocol: "webDriverBiDi",
    defaultViewport: { width: 1280, height: 800 },
    extraPrefsFirefox: {
      // Keep Firefox from reaching for the network on its own.
      "app.update.enabled": false,
      "browser.shell.checkDefaultBrowser": false,
      "datareporting.policy.dataSubmissionEnabled": false,
      "toolkit.telemetry.enabled": false,
      "extensions.update.enabled": false,
    },
  });
  const id = await browser.installExtension(testDist(dist));
  // BiDi does not report moz-extension navigations, so the tab the extension opened still
  // shows as about:blank: find it by asking each page where it is.
  let extPage = null;
  for (let i = 0; i < 100 && !extPage; i++) {
    for (const p of await browser.pages()) {
      const href = await p.evaluate(() => location.href).catch(() => "");
      if (href.startsWith("moz-extension://") && href.endsWith("/welcome.html")) extPage = p;
    }
    if (!extPage) await new Promise((r) => setTimeout(r, 100));
  }
  if (!extPage) throw new Error("the extension did not open its welcome page");
  await extPage.evaluate(async () => {
    for (let i = 0; i < 100; i++) {
      const r = await browser.runtime.sendMessage({ type: "ping" }).catch(() => null);
      if (r?.ok) return;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error("the background never answered");
  });
  const origin = await extPage.evaluate(() => location.origin);
  return {
    browser,
    id,
    extPage,
    origin,
    send: (msg) => extPage.evaluate((m) => browser.runtime.sendMessage(m), msg),
    /** Open a web page in a new tab and return its extension tab id. */
    async openTab(url) {
      const page = await browser.newPage();
      await page.goto(url, { waitUntil: "load" });
      const tabs = await extPage.evaluate(() => browser.tabs.query({}));
      const tab = tabs.find((t) => t.url === url);
      if (!tab) throw new Error(`no tab shows ${url}`);
      return { page, tabId: tab.id };
    },
    close: () => browser.close(),
  };
}
