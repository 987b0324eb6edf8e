// End-to-end: the toolbar popup, a worker stopped mid-capture, persistence across a
// browser restart, full storage, and a PDF page that refuses MHTML.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  launch, openExtPage, send, tabIdOf, readStore, checkStoreIntegrity, metadataOf,
  openToolbarPopup, stopServiceWorker, serviceWorker,
} from "./lib/extension.mjs";
import { startServer } from "./lib/server.mjs";
import { minimalPdf } from "./lib/files.mjs";

let srv;
const extra = mkdtempSync(path.join(tmpdir(), "evidence-extra-"));

before(async () => {
  writeFileSync(path.join(extra, "letter.pdf"), minimalPdf("I know where you live."));
  srv = await startServer({ roots: { "/": "tests/fixtures/site", "/extra/": extra, "/dist/": "dist" } });
});
after(async () => {
  await srv?.close();
  rmSync(extra, { recursive: true, force: true });
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test("the toolbar popup's Capture button saves the active tab and shows Saved with the hash", async () => {
  const ext = await launch();
  try {
    const lib = await openExtPage(ext, "library.html");
    const page = await ext.context.newPage();
    await page.goto(`${srv.url}/gmail-message.html`);
    await page.bringToFront();
    const popup = await openToolbarPopup(ext, lib);
    await popup.eval("document.getElementById('capture').click()");
    let text = "";
    for (let i = 0; i < 600 && !/Saved|Not saved/.test(text); i++) {
      await sleep(100);
      text = await popup.eval("document.getElementById('status').textContent");
    }
    assert.match(text, /^Saved · [0-9a-f]{12}\.$/);
    const dump = await readStore(lib);
    const recs = checkStoreIntegrity(assert, dump);
    const last = dump.records.at(-1);
    assert.equal(text.slice(8, 20), last.recordSha256.slice(0, 12), "the popup shows the stored record's hash");
    assert.equal(metadataOf(dump, recs.at(-1)).capture.trigger, "popup");
    await popup.close();
  } finally {
    await ext.close();
  }
});

test("a worker stopped mid-capture either stored the capture whole or reports it failed", async () => {
  const ext = await launch();
  try {
    const lib = await openExtPage(ext, "library.html");
    const page = await ext.context.newPage();
    await page.goto(`${srv.url}/x-post.html`);
    const tabId = await tabIdOf(lib, page);
    const outcomes = [];
    for (const delay of [0, 5, 15, 30, 60, 120]) {
      const before = (await readStore(lib)).records.length;
      const requestId = `kill-${delay}-${Date.now()}`;
      const answer = lib.evaluate((m) => chrome.runtime.sendMessage(m).then((r) => r, (e) => ({ disconnected: String(e) })), { type: "capture", tabId, requestId });
      await sleep(delay);
      await stopServiceWorker(ext, lib);
      const direct = await answer;
      await sleep(1200); // captureVisibleTab quota
      const ping = await send(lib, { type: "ping" }); // wakes a fresh worker
      assert.equal(ping.ok, true);
      const st = await send(lib, { type: "captureStatus", requestId });
      const dump = await readStore(lib);
      checkStoreIntegrity(assert, dump);
      assert.equal(dump.pending.length, 0, "no journal entry is left behind");
      if (st.status === "stored") {
        assert.equal(dump.records.length, before + 1);
        assert.equal(st.item.seq, before);
      } else {
        assert.ok(["failed", "unknown"].includes(st.status), JSON.stringify(st));
        assert.equal(dump.records.length, before, "nothing half-stored");
        assert.notEqual(direct?.ok, true, "a capture reported saved must be stored");
        if (st.status === "failed") {
          const f = await send(lib, { type: "failures" });
          assert.ok(f.failures.some((x) => x.id === requestId && x.code === "INTERRUPTED"), "the interruption is reported");
        }
      }
      outcomes.push(`${delay}ms:${st.status}`);
    }
    console.log(`outcomes: ${outcomes.join(", ")}`);
  } finally {
    await ext.close();
  }
});

test("everything persists across a browser restart and the chain still verifies", async () => {
  const profile = mkdtempSync(path.join(tmpdir(), "evidence-resilience-"));
  let before;
  const first = await launch({ profileDir: profile });
  try {
    const lib = await openExtPage(first, "library.html");
    for (const f of ["x-post.html", "gmail-message.html"]) {
      const page = await first.context.newPage();
      await page.goto(`${srv.url}/${f}`);
      const res = await send(lib, { type: "capture", tabId: await tabIdOf(lib, page) });
      assert.equal(res.ok, true, JSON.stringify(res));
      await page.close();
      await sleep(600); // captureVisibleTab quota
    }
    before = await readStore(lib);
  } finally {
    await first.close();
  }
  const ext = await launch({ profileDir: profile });
  try {
    const lib = await openExtPage(ext, "library.html");
    const dump = await readStore(lib);
    assert.equal(dump.records.length, 2, "the items from the earlier session are still there");
    checkStoreIntegrity(assert, dump);
    assert.deepEqual(dump.records.map((r) => [r.recordSha256, r.chainSha256]), before.records.map((r) => [r.recordSha256, r.chainSha256]), "with the same hashes");
    assert.deepEqual(dump.blobs.map((b) => b.sha256).sort(), before.blobs.map((b) => b.sha256).sort(), "and every artifact");
    const list = await send(lib, { type: "list" });
    assert.equal(list.items.length, dump.records.length);
    // The library page shows them too.
    await lib.reload();
    await lib.waitForFunction(() => /saved on this device/.test(document.getElementById("status").textContent) && document.body.dataset.ready === "true");
    assert.equal(await lib.locator("#items > li").count(), dump.records.length);
  } finally {
    await ext.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test("on a high-density screen the screenshot keeps every device pixel", async () => {
  // A real device scale factor (no emulation: Playwright's viewport emulation would hide it).
  const ext = await launch({ viewport: null, args: ["--force-device-scale-factor=2", "--window-size=1280,800"] });
  try {
    const lib = await openExtPage(ext, "library.html");
    const page = await ext.context.newPage();
    await page.goto(`${srv.url}/x-post.html`);
    const res = await send(lib, { type: "capture", tabId: await tabIdOf(lib, page) });
    assert.equal(res.ok, true, JSON.stringify(res));
    const dump = await readStore(lib);
    const [rec] = checkStoreIntegrity(assert, dump);
    const meta = metadataOf(dump, rec);
    assert.equal(meta.environment.device_pixel_ratio, 2);
    const png = dump.blobs.find((b) => b.sha256 === rec.artifacts.find((a) => a.name === "screenshot.png").sha256);
    const vp = meta.environment.viewport;
    assert.deepEqual(png.decoded, { width: vp.width * 2, height: vp.height * 2 });
    assert.deepEqual([meta.artifacts.screenshot.width, meta.artifacts.screenshot.height], [vp.width * 2, vp.height * 2]);
  } finally {
    await ext.close();
  }
});

test("a PDF page that refuses MHTML keeps the screenshot and says what is missing", async (t) => {
  const ext = await launch();
  try {
    const lib = await openExtPage(ext, "library.html");
    const page = await ext.context.newPage();
    const pdfUrl = `${srv.url}/extra/letter.pdf`;
    await page.goto(pdfUrl).catch(() => {});
    await sleep(1000);
    const [tab] = (await lib.evaluate(() => chrome.tabs.query({}))).filter((x) => x.url === pdfUrl);
    if (!tab) {
      t.skip("this headless Chromium downloads PDFs instead of showing them");
      return;
    }
    const tabId = tab.id;
    const res = await send(lib, { type: "capture", tabId });
    if (res.ok && res.warnings.length === 0) {
      t.skip("this Chromium saved the PDF tab as MHTML");
      return;
    }
    assert.equal(res.ok, true, JSON.stringify(res));
    assert.match(res.warnings.join(" "), /page snapshot/);
    const dump = await readStore(lib);
    const [rec] = checkStoreIntegrity(assert, dump);
    assert.deepEqual(rec.artifacts.map((a) => a.name).sort(), ["metadata.json", "screenshot.png"]);
    assert.match(metadataOf(dump, rec).missing.join(" "), /page snapshot/);
  } finally {
    await ext.close();
  }
});

test("full storage gives STORAGE_FULL and stores nothing", async () => {
  // The extension holds unlimitedStorage, which the browser exempts from quotas, so the
  // real store module and WASM core run in an ordinary page whose quota is cut to 64 KB.
  const ext = await launch();
  try {
    const page = await ext.context.newPage();
    await page.goto(`${srv.url}/index.html`);
    const cdp = await ext.context.newCDPSession(page);
    await cdp.send("Storage.overrideQuotaForOrigin", { origin: srv.url, quotaSize: 64 * 1024 });
    const res = await page.evaluate(async () => {
      const { core, coreReady, hashBytes } = await import("/dist/shared/core.js");
      const store = await import("/dist/store/ledger.js");
      await coreReady();
      const bytes = new Uint8Array(2 * 1024 * 1024).map((_, i) => i % 251);
      const sha256 = hashBytes(bytes);
      const draft = {
        id: "quota-test", kind: "capture", captured_at_ms: Date.now(), local_offset_minutes: 0,
        artifacts: [{ name: "screenshot.png", media_type: "image/png", bytes: bytes.length, sha256 }], metadata: {},
      };
      try {
        await store.commitItem({
          seal: (head) => core.sealRecord(draft, head),
          blobs: [{ sha256, mediaType: "image/png", blob: new Blob([bytes]) }],
          summary: {}, genesis: core.genesis(),
        });
        return { ok: true };
      } catch (e) {
        return { ok: false, code: e.code, message: e.message, items: (await store.listItems()).length, head: await store.getHead() };
      }
    });
    assert.equal(res.ok, false, JSON.stringify(res));
    assert.equal(res.code, "STORAGE_FULL");
    assert.match(res.message, /Storage is full.*Nothing was saved/);
    assert.equal(res.items, 0, "nothing half-stored");
    assert.equal(res.head, null);
  } finally {
    await ext.close();
  }
});
