// Issue 10, findings 6, 11 and 12: hostile pages against the capture pipeline, in real
// Chromium with the extension (a granted copy of dist/, see lib.mjs), driven by the
// `{type: "capture", tabId}` message and checked in raw IndexedDB.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { metadataOf, readStore, send } from "../lib/extension.mjs";
import { launchGranted, sleep, startRecorder, within } from "./lib.mjs";

let ext, rec, lib;

before(async () => {
  rec = await startRecorder();
  ext = await launchGranted();
  lib = await ext.context.newPage();
  await lib.goto(ext.url("library.html"));
});
after(async () => {
  await ext?.close();
  await rec?.close();
});

/** The tab id of the one tab whose URL starts with `prefix` (pages may change their URL). */
async function tabIdByPrefix(prefix) {
  const tabs = (await lib.evaluate(() => chrome.tabs.query({}))).filter((t) => (t.url ?? "").startsWith(prefix));
  if (tabs.length !== 1) throw new Error(`expected one tab at ${prefix}, found ${tabs.length}`);
  return tabs[0].id;
}

async function open(file) {
  const page = await ext.context.newPage();
  await page.goto(`${rec.url}/${file}`);
  await page.bringToFront();
  return { page, tabId: await tabIdByPrefix(`${rec.url}/${file}`) };
}

test("11.1 forged snowflake markup on a non-X host: no id_time_utc is decoded", { timeout: 60_000 }, async () => {
  const { page, tabId } = await open("forged-x.html");
  const res = await send(lib, { type: "capture", tabId });
  await page.close();
  assert.equal(res.ok, true, JSON.stringify(res));
  const dump = await readStore(lib);
  const record = JSON.parse(dump.records.find((r) => r.id === res.item.id).bytes.toString("utf8"));
  const meta = metadataOf(dump, record);
  assert.ok(meta.messages.length > 0, "sanity: the X-like messages were read");
  const decoded = meta.messages.filter((m) => m.id_time_utc).map((m) => `${m.author?.handle}: ${m.id_time_utc}`);
  assert.deepEqual(
    decoded,
    [],
    `finding 11: a page on ${new URL(rec.url).host} (not X) imitating X's markup got "server time from the post's id" decoded for ${decoded.length} message(s) (platform ${JSON.stringify(meta.platform)})`,
  );
});

test("12.1 navigation during capture: a page whose URL changes while the parts arrive is refused, nothing stored", { timeout: 60_000 }, async () => {
  const before = await readStore(lib);
  const { page, tabId } = await open("navigates.html");
  const res = await send(lib, { type: "capture", tabId });
  await page.close();
  const dump = await readStore(lib);
  assert.equal(
    res.ok,
    false,
    `finding 12: the page changed its URL during the capture, which must be refused with a clear error; it was saved as item ${res.item?.seq} (${JSON.stringify(res.item)})`,
  );
  assert.match(res.error?.message ?? "", /navigat|changed|address|URL/i, `finding 12: the error says the page moved: ${JSON.stringify(res.error)}`);
  assert.equal(dump.records.length, before.records.length, "finding 12: nothing is stored");
  assert.equal(dump.pending.length, 0, "finding 12: no capture left pending");
});

test("6.2 a page with 100,000 nested articles: capture completes in bounded time with capped items", { timeout: 150_000 }, async () => {
  const { page, tabId } = await open("huge-dom.html");
  assert.equal(await page.evaluate(() => document.body.dataset.built), "100000", "sanity: the fixture built 100,000 articles");
  const t0 = Date.now();
  const r = await within(60_000, send(lib, { type: "capture", tabId }));
  const took = Date.now() - t0;
  assert.ok(!r.timedOut, `finding 6: capturing a page with 100,000 nested articles did not finish within 60 s`);
  const res = r.value;
  assert.equal(res.ok, true, JSON.stringify(res));
  console.log(`# huge DOM captured in ${took} ms`);
  const dump = await readStore(lib);
  const record = JSON.parse(dump.records.find((x) => x.id === res.item.id).bytes.toString("utf8"));
  const meta = metadataOf(dump, record);
  const n = meta.messages.length + (meta.messages_offscreen ?? 0);
  assert.ok(n < 100_000, `finding 6: the extractor must cap matched items; it matched every one of the 100,000 articles (${meta.messages.length} kept, ${meta.messages_offscreen ?? 0} counted off screen)`);
  assert.ok(took < 30_000, `finding 6: a capped extraction should take well under 30 s; it took ${took} ms`);
  await page.close();
});

test("6.1 a busy-looping page never blocks the next capture of another tab; it stores what arrived, naming what is missing", { timeout: 180_000 }, async () => {
  // The normal page in its own window, so each capture has its own visible tab.
  await lib.evaluate((url) => chrome.windows.create({ url, focused: false }), `${rec.url}/normal.html`);
  let normalTab = null;
  for (let i = 0; i < 100 && normalTab == null; i++) {
    normalTab = await tabIdByPrefix(`${rec.url}/normal.html`).catch(() => null);
    if (normalTab == null) await sleep(100);
  }
  await sleep(1000);
  const busy = await open("busy-loop.html");
  await sleep(800); // the page now spins forever
  const t0 = Date.now();
  const first = within(90_000, send(lib, { type: "capture", tabId: busy.tabId }));
  await sleep(300);
  const second = await within(45_000, send(lib, { type: "capture", tabId: normalTab }));
  assert.ok(
    !second.timedOut,
    `finding 6: the capture of a normal tab started right after a busy-looping page's capture had no answer after 45 s: the stalled page blocks every later capture`,
  );
  assert.equal(second.value.ok, true, `finding 6: the normal page's capture: ${JSON.stringify(second.value)}`);
  const a = await first;
  assert.ok(!a.timedOut, `finding 6: the busy page's capture never answered (waited ${Math.round((Date.now() - t0) / 1000)} s): each part needs a time budget`);
  assert.equal(a.value.ok, true, `finding 6: the busy page's capture stores what arrived: ${JSON.stringify(a.value)}`);
  assert.ok((a.value.warnings ?? []).length > 0, `finding 6: the busy page's capture names what is missing: ${JSON.stringify(a.value)}`);
});
