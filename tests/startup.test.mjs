// A capture worker whose start-up failed must say so: every later capture (shortcut,
// menu, popup) reports a clear STARTUP_FAILED error, the badge shows it, and a shortcut
// capture is recorded as a failure, instead of failing silently. The WASM core is made
// unloadable in a copy of dist/, the one way a real worker fails to start.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM, DIST } from "./lib/extension.mjs";
import { testDist } from "./lib/test-dist.mjs";
import { startServer } from "./lib/server.mjs";

let srv;
const broken = mkdtempSync(path.join(tmpdir(), "evidence-broken-dist-"));
const profile = mkdtempSync(path.join(tmpdir(), "evidence-broken-profile-"));

before(async () => {
  cpSync(testDist(DIST), broken, { recursive: true }); // the tests' copy: it has the evidenceTrigger hook
  writeFileSync(path.join(broken, "wasm", "evidence_core_bg.wasm"), Buffer.from("this is not a WebAssembly module"));
  srv = await startServer({ roots: { "/": "tests/fixtures/site" } });
});
after(async () => {
  await srv?.close();
  rmSync(broken, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
});

test("a worker that could not start reports it on every capture instead of failing silently", async () => {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [`--disable-extensions-except=${broken}`, `--load-extension=${broken}`, "--no-sandbox", "--disable-gpu", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const isWorker = (w) => w.url().endsWith("/sw.js");
    const sw = context.serviceWorkers().find(isWorker) ?? (await context.waitForEvent("serviceworker", { predicate: isWorker, timeout: 30_000 }));
    const id = new URL(sw.url()).host;
    const startup = await sw.evaluate(() => globalThis.evidenceReady.then(() => ({ ok: true }), (e) => ({ ok: false, code: e.code, message: e.message })));
    assert.equal(startup.ok, false, "the broken core must not load");
    assert.equal(startup.code, "STARTUP_FAILED");
    assert.equal(await sw.evaluate(() => chrome.action.getBadgeText({})), "!", "the badge shows the failure at start-up");

    const web = await context.newPage();
    await web.goto(`${srv.url}/x-post.html`);
    const ext = await context.newPage();
    await ext.goto(`chrome-extension://${id}/help.html`);
    const tabId = await ext.evaluate((url) => chrome.tabs.query({}).then((tabs) => tabs.find((t) => t.url === url).id), web.url());
    await web.bringToFront();

    // The shortcut / context-menu path: nobody is waiting for an answer.
    const res = await sw.evaluate(([t]) => globalThis.evidenceTrigger(t, "shortcut"), [tabId]);
    assert.equal(res.ok, false);
    assert.equal(res.error.code, "STARTUP_FAILED");
    assert.match(res.error.message, /could not start .*CompileError|could not start/);
    assert.match(res.error.message, /Nothing can be saved/);
    assert.equal(await sw.evaluate(() => chrome.action.getBadgeText({})), "!");
    // ... and it is kept for the popup, like any failed capture.
    const failures = await ext.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const req = indexedDB.open("evidence");
          req.onerror = () => reject(req.error);
          req.onsuccess = () => {
            const get = req.result.transaction("failures").objectStore("failures").getAll();
            get.onsuccess = () => resolve(get.result);
            get.onerror = () => reject(get.error);
          };
        }),
    );
    assert.equal(failures.length, 1, JSON.stringify(failures));
    assert.equal(failures[0].code, "STARTUP_FAILED");
    assert.equal(failures[0].url, web.url());

    // The popup's path: the answer carries the same clear error.
    const answer = await ext.evaluate((t) => chrome.runtime.sendMessage({ type: "capture", tabId: t, trigger: "popup" }), tabId);
    assert.equal(answer.ok, false);
    assert.equal(answer.error.code, "STARTUP_FAILED");
  } finally {
    await context.close();
  }
});
