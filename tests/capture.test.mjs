// End-to-end: capture through the real extension in real Chromium, then check what was
// stored independently of the extension (node:crypto re-hashes every byte).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openExtPage, send, tabIdOf, readStore, checkStoreIntegrity, metadataOf } from "./lib/extension.mjs";
import { startServer } from "./lib/server.mjs";

let ext, srv, lib;

before(async () => {
  srv = await startServer({ roots: { "/": "tests/fixtures/site" } });
  ext = await launch();
  lib = await openExtPage(ext, "library.html");
});
after(async () => {
  await ext?.close();
  await srv?.close();
});

async function openAndCapture(file) {
  const page = await ext.context.newPage();
  await page.goto(`${srv.url}/${file}`);
  const tabId = await tabIdOf(lib, page);
  const res = await send(lib, { type: "capture", tabId });
  return { page, res };
}

test("capturing a page stores screenshot, MHTML and metadata, all re-hashing, chain linked", async () => {
  const { page, res } = await openAndCapture("x-post.html");
  assert.equal(res.ok, true, JSON.stringify(res));
  assert.match(res.item.recordSha256, /^[0-9a-f]{64}$/);
  const dump = await readStore(lib);
  const recs = checkStoreIntegrity(assert, dump);
  const rec = recs.find((r) => r.id === res.item.id);
  assert.deepEqual(rec.artifacts.map((a) => a.name).sort(), ["metadata.json", "page.mhtml", "screenshot.png"]);
  const png = dump.blobs.find((b) => b.sha256 === rec.artifacts.find((a) => a.name === "screenshot.png").sha256);
  const vp = page.viewportSize();
  const dpr = await page.evaluate(() => devicePixelRatio);
  assert.deepEqual(png.decoded, { width: Math.round(vp.width * dpr), height: Math.round(vp.height * dpr) }, "the screenshot decodes to the viewport at full DPR");
  const mhtml = dump.blobs.find((b) => b.sha256 === rec.artifacts.find((a) => a.name === "page.mhtml").sha256);
  assert.match(mhtml.data.toString("latin1"), /Content-Type: multipart\/related/i);
  const meta = metadataOf(dump, rec);
  assert.equal(meta.page.url, page.url());
  assert.equal(meta.capture.utc, rec.captured_at);
  assert.equal(meta.environment.viewport.width, vp.width);
  assert.equal(meta.artifacts.snapshot.method, "pageCapture.saveAsMHTML");
  assert.ok(meta.environment.browser_version);
  assert.equal(rec.metadata.message_count > 0, true);
  await page.close();
});

test("the list message answers items in ledger order", async () => {
  const res = await send(lib, { type: "list" });
  assert.equal(res.ok, true);
  assert.ok(res.items.length >= 1);
  res.items.forEach((it, i) => assert.equal(it.seq, i));
});

test("a chrome:// page is refused with a clear error and nothing is stored", async () => {
  const before = (await readStore(lib)).records.length;
  const page = await ext.context.newPage();
  await page.goto("chrome://version/");
  const [tab] = await lib.evaluate(() => chrome.tabs.query({ url: "chrome://version/" }));
  const res = await send(lib, { type: "capture", tabId: tab.id });
  assert.equal(res.ok, false);
  assert.equal(res.error.code, "NOT_CAPTURABLE");
  assert.match(res.error.message, /can't be captured/);
  const dump = await readStore(lib);
  assert.equal(dump.records.length, before);
  assert.equal(dump.pending.length, 0, "no capture left pending");
  await page.close();
});

test("malformed and unknown messages are refused by the guard", async () => {
  for (const msg of [{ type: "capture" }, { type: "capture", tabId: -1 }, { type: "capture", tabId: 1, extra: 1 }, { type: "nope" }, { type: "capture", tabId: 1, trigger: "evil" }]) {
    const res = await send(lib, msg);
    assert.equal(res.ok, false, JSON.stringify(msg));
    assert.equal(res.error.code, "BAD_MESSAGE");
  }
});

test("20 concurrent captures from several tabs all land on one unforked chain", async () => {
  const before = (await readStore(lib)).records.length;
  const files = ["x-post.html", "gmail-message.html", "generic-forum.html", "discord-dm.html"];
  const tabIds = [];
  const pages = [];
  for (const f of files) {
    const p = await ext.context.newPage();
    await p.goto(`${srv.url}/${f}?tab=${pages.length}`);
    pages.push(p);
    tabIds.push(await tabIdOf(lib, p));
  }
  const results = await lib.evaluate(
    (ids) => Promise.all(Array.from({ length: 20 }, (_, i) => chrome.runtime.sendMessage({ type: "capture", tabId: ids[i % ids.length] }))),
    tabIds,
  );
  for (const r of results) assert.equal(r.ok, true, JSON.stringify(r));
  const seqs = results.map((r) => r.item.seq).sort((a, b) => a - b);
  assert.deepEqual(seqs, Array.from({ length: 20 }, (_, i) => before + i));
  const dump = await readStore(lib);
  checkStoreIntegrity(assert, dump);
  assert.equal(dump.records.length, before + 20);
  for (const p of pages) await p.close();
});
