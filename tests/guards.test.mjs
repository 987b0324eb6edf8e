// The message guard (extension/messages.js) is a plain module: test its table directly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { checkMessage, isOwnPage } from "../extension/messages.js";

test("well-formed messages pass", () => {
  for (const m of [
    { type: "ping" },
    { type: "list" },
    { type: "capture", tabId: 3 },
    { type: "capture", tabId: 0, trigger: "popup", requestId: "a1-B_2" },
    { type: "captureStatus", requestId: "x" },
    { type: "dismissFailure", id: "0f1e" },
  ]) assert.equal(checkMessage(m), null, JSON.stringify(m));
});

test("malformed, unknown and hostile messages are refused with a reason", () => {
  for (const m of [
    null, undefined, 5, "capture", [], {}, { type: "toString" }, { type: "__proto__" }, { type: "constructor" },
    { type: "capture" }, { type: "capture", tabId: "3" }, { type: "capture", tabId: 1.5 }, { type: "capture", tabId: -1 },
    { type: "capture", tabId: Number.MAX_SAFE_INTEGER + 2 }, { type: "capture", tabId: 1, trigger: "page" },
    { type: "capture", tabId: 1, requestId: "../x" }, { type: "capture", tabId: 1, requestId: "a".repeat(65) },
    { type: "capture", tabId: 1, extra: true }, { type: "list", items: [] }, { type: "captureStatus" },
  ]) assert.equal(typeof checkMessage(m), "string", JSON.stringify(m));
});

test("only the extension's own pages count as senders", () => {
  const runtime = { id: "abc", getURL: (p) => `chrome-extension://abc/${p}` };
  assert.equal(isOwnPage({ id: "abc", url: "chrome-extension://abc/popup.html" }, runtime), true);
  assert.equal(isOwnPage({ id: "abc", url: "https://evil.example/", tab: { id: 1 } }, runtime), false, "content script");
  assert.equal(isOwnPage({ id: "other", url: "chrome-extension://other/x.html" }, runtime), false);
  assert.equal(isOwnPage({ id: "abc", url: "chrome-extension://abcd/x.html" }, runtime), false);
  assert.equal(isOwnPage(undefined, runtime), false);
});

test("pages no extension may read are refused before anything is stored", async () => {
  const { uncapturableReason } = await import("../extension/urls.js");
  for (const url of [
    undefined, "", "chrome://settings/", "chrome-extension://abc/popup.html", "about:blank", "edge://flags",
    "view-source:https://x.com/", "devtools://devtools/x", "data:text/html,hi", "javascript:alert(1)",
    "https://chromewebstore.google.com/detail/abc", "https://chrome.google.com/webstore/detail/abc",
    "https://addons.mozilla.org/en-GB/firefox/", "https://microsoftedge.microsoft.com/addons/",
  ]) assert.equal(typeof uncapturableReason(url), "string", String(url));
  for (const url of ["https://x.com/a/status/1", "http://127.0.0.1:8080/x.html", "https://chrome.google.com/other", "file:///home/me/saved.html"]) {
    assert.equal(uncapturableReason(url), null, url);
  }
});
