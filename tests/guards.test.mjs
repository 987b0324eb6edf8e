// The message guard (extension/shared/messages.js) is a plain module: test its table directly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { BROADCASTS, MESSAGE_SCHEMAS, checkBroadcast, checkMessage, isOwnPage } from "../extension/shared/messages.js";

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
  const { uncapturableReason } = await import("../extension/shared/urls.js");
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

test("the worker's broadcasts are declared and guarded apart from page messages", () => {
  assert.equal(checkBroadcast({ type: "quickExitNow" }), null);
  for (const m of [null, {}, { type: "quickExitNow", extra: 1 }, { type: "capture", tabId: 1 }, { type: "toString" }]) {
    assert.equal(typeof checkBroadcast(m), "string", JSON.stringify(m));
  }
  assert.equal(typeof checkMessage({ type: "quickExitNow" }), "string", "pages cannot send the worker's broadcast to the worker");
});

test("every runtime message the extension sends is declared in messages.js", () => {
  const dir = new URL("../extension/", import.meta.url).pathname;
  const files = readdirSync(dir, { recursive: true }).filter((f) => f.endsWith(".js"));
  const sent = new Set();
  for (const f of files) {
    const src = readFileSync(path.join(dir, f), "utf8");
    // sendMessage({ type: "x" ... }) and the pages' send({ type: "x" ... }) helper (shared/ui.js)
    for (const m of src.matchAll(/\b(?:sendMessage|send)\(\s*\{\s*type:\s*"([^"]+)"/g)) sent.add(m[1]);
  }
  assert.ok(sent.has("quickExitNow") && sent.has("capture"), `the scan finds the messages: ${[...sent]}`);
  for (const type of sent) assert.ok(Object.hasOwn(MESSAGE_SCHEMAS, type) || Object.hasOwn(BROADCASTS, type), `${type} is sent but not declared`);
});
