// End-to-end (issue 11): capture a whole conversation through the real extension in real
// Chromium, on a Discord-like channel whose list is virtualised, then check what was stored
// independently of the extension: every message once, in order, with author, account id and
// time; each at its recorded rectangle in a stored screen (the fixture's colour barcodes, read
// from the PNG pixels); screens no faster than Chromium's capture rate; the user's scroll
// put back; nothing clicked; and the export verifies with evidence-verify.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { launch, openExtPage, openToolbarPopup, send, tabIdOf, readStore, checkStoreIntegrity, metadataOf, ROOT } from "./lib/extension.mjs";
import { startServer } from "./lib/server.mjs";

// The browser runs in a zone west of UTC, so that chat times must be resolved in the
// capture's zone (WhatsApp shows local times) to come out right.
process.env.TZ = "America/New_York";

let ext, srv, lib, work;
const VERIFY_BIN = path.join(ROOT, "target", "release", "evidence-verify");

before(async () => {
  execFileSync("cargo", ["build", "--release", "--bin", "evidence-verify"], { cwd: ROOT, stdio: "inherit" });
  work = mkdtempSync(path.join(tmpdir(), "evidence-conv-"));
  srv = await startServer({ roots: { "/": "tests/fixtures/conversation" } });
  ext = await launch();
  lib = await openExtPage(ext, "library.html");
});
after(async () => {
  await ext?.close();
  await srv?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const artifact = (dump, rec, name) => {
  const a = rec.artifacts.find((x) => x.name === name);
  return a && dump.blobs.find((b) => b.sha256 === a.sha256);
};

/** Open the channel scrolled to `at` (a fraction of its height), capture it whole. */
async function captureChannel(query, { at = 0.5, msg = {} } = {}) {
  const page = await ext.context.newPage();
  await page.goto(`${srv.url}/discord-channel.html${query}`);
  await page.waitForFunction(() => document.querySelectorAll("#list li").length > 3);
  const initial = await page.evaluate((f) => {
    const s = document.getElementById("scroller");
    s.scrollTop = Math.round((s.scrollHeight - s.clientHeight) * f);
    return s.scrollTop;
  }, at);
  await page.waitForTimeout(200);
  const tabId = await tabIdOf(lib, page);
  const res = await send(lib, { type: "capture", tabId, scope: "conversation", ...msg });
  return { page, res, initial, tabId };
}

/** Sample pixels of stored PNGs, in an extension page (a real PNG decoder). */
function samplePixels(pngs, probes) {
  return lib.evaluate(async ({ pngs, probes }) => {
    const out = [];
    const cache = new Map();
    for (const p of probes) {
      let img = cache.get(p.png);
      if (!img) {
        const bytes = Uint8Array.from(atob(pngs[p.png]), (c) => c.charCodeAt(0));
        const bmp = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
        const c = new OffscreenCanvas(bmp.width, bmp.height);
        const ctx = c.getContext("2d");
        ctx.drawImage(bmp, 0, 0);
        img = { ctx, w: bmp.width, h: bmp.height };
        cache.set(p.png, img);
      }
      const d = img.ctx.getImageData(p.x, p.y, 1, 1).data;
      out.push([d[0], d[1], d[2]]);
    }
    return out;
  }, { pngs, probes });
}

/**
 * Each message appears, at its recorded rectangle, in a screen that shows it whole (and
 * where `clear(screen, rect)` says nothing covers it): its barcode's two colours are at the
 * rectangle's top right in that screen's pixels.
 */
async function checkBarcodes(page, dump, rec, meta, seg, clear) {
  const pngs = {};
  for (const s of seg.screens) pngs[s.artifact] = artifact(dump, rec, s.artifact).data.toString("base64");
  const probes = [];
  const want = [];
  for (const [i, m] of meta.messages.entries()) {
    const s = seg.screens.find((sc) => {
      const r = sc.messages.find((x) => x.key === m.key)?.rect;
      return r && r.y >= sc.container.y && r.y + r.height <= sc.container.y + sc.container.height && clear(sc, r);
    });
    assert.ok(s, `message ${i} is whole on some screen`);
    const r = s.messages.find((x) => x.key === m.key).rect;
    const dpr = s.device_pixel_ratio;
    const cy = Math.round((r.y + 11) * dpr);
    probes.push({ png: s.artifact, x: Math.round((r.x + r.width - 27) * dpr), y: cy }, { png: s.artifact, x: Math.round((r.x + r.width - 17) * dpr), y: cy });
    want.push(...(await page.evaluate((n) => window.__fixtureBarcode(n), i)));
  }
  const got = await samplePixels(pngs, probes);
  got.forEach((px, k) => {
    const close = px.every((v, c) => Math.abs(v - want[k][c]) <= 8);
    assert.ok(close, `message ${Math.floor(k / 2)}: barcode square ${k % 2} is ${px} at its rectangle, expected ${want[k]}`);
  });
}

test("a whole virtualised conversation: every message once, in order, at its rectangle in a stored screen", async () => {
  const { page, res, initial } = await captureChannel("?n=150");
  assert.equal(res.ok, true, JSON.stringify(res));
  assert.equal(res.complete, true, JSON.stringify(res));
  assert.match(res.item.recordSha256, /^[0-9a-f]{64}$/);
  const expected = await page.evaluate(() => window.__fixtureMessages);
  assert.equal(res.messages, expected.length);

  // The user's scroll position is back, and nothing on the page was clicked.
  assert.equal(await page.evaluate(() => document.getElementById("scroller").scrollTop), initial);
  assert.deepEqual(await page.evaluate(() => window.__fixtureClicks), []);
  assert.deepEqual(res.clicked, []);

  const dump = await readStore(lib);
  const rec = checkStoreIntegrity(assert, dump).find((r) => r.id === res.item.id);
  assert.equal(rec.kind, "capture");
  assert.equal(rec.metadata.scope, "conversation");
  const names = rec.artifacts.map((a) => a.name);
  for (const n of ["metadata.json", "segments.json", "page.mhtml", "stitched-01.png", "screen-001.png"]) assert.ok(names.includes(n), `${n} in ${names}`);
  const meta = metadataOf(dump, rec);
  const seg = JSON.parse(artifact(dump, rec, "segments.json").data.toString("utf8"));
  assert.equal(meta.scope, "conversation");
  assert.equal(meta.conversation.complete, true);
  assert.equal(meta.conversation.older_end_reached, true);
  assert.equal(seg.screens.length, res.segments);
  assert.equal(names.filter((n) => /^screen-\d{3}\.png$/.test(n)).length, seg.screens.length);

  // Every message exactly once, in order, with author, account id, time and text.
  assert.deepEqual(meta.messages.map((m) => m.id), expected.map((m) => m.id), "every message once, in conversation order");
  meta.messages.forEach((m, i) => {
    const e = expected[i];
    assert.equal(m.author.name, e.author, `author of message ${i}`);
    assert.equal(m.author_id, e.authorId, `account id of message ${i}`);
    assert.equal(m.time.utc, e.datetime, `time of message ${i}`);
    assert.equal(m.text, e.text, `text of message ${i}`);
    assert.equal(m.key, `id:discord:${e.id}`);
    assert.deepEqual(m.marks ?? [], []);
  });
  const who = meta.conversation.participants.map((p) => `${p.name}=${p.author_id}`).sort();
  assert.deepEqual(who, ["Drew H.=417629345681276929", "Maya=552981276300148737", "Sam R.=689034112758923265"]);

  // Screens no faster than Chromium allows.
  const rate = await lib.evaluate(() => chrome.tabs.MAX_CAPTURE_VISIBLE_TAB_CALLS_PER_SECOND ?? 2);
  for (let i = 1; i < seg.screens.length; i++) {
    const gap = seg.screens[i].taken_at_ms - seg.screens[i - 1].taken_at_ms;
    assert.ok(gap >= 1000 / rate, `screens ${i - 1} and ${i} are ${gap} ms apart (rate ${rate}/s)`);
  }

  await checkBarcodes(page, dump, rec, meta, seg, (sc, r) => r.y >= sc.container.y + 30); // below the date pill

  // The stitched image is cropped to the container.
  const first = seg.screens[0];
  const st = dump.blobs.find((b) => b.sha256 === rec.artifacts.find((a) => a.name === "stitched-01.png").sha256);
  assert.equal(st.decoded.width, Math.round(first.container.width * first.device_pixel_ratio));
  await page.close();

  // The archive with this item verifies with the native verifier.
  await lib.reload();
  await lib.getByRole("button", { name: /^Export evidence archive/ }).click();
  await lib.getByLabel(/Your name for the report/).fill("Maya Okafor");
  const download = lib.waitForEvent("download", { timeout: 60_000 });
  await lib.getByRole("button", { name: "Export", exact: true }).click();
  const file = path.join(work, "conv.zip");
  await (await download).saveAs(file);
  const v = spawnSync(VERIFY_BIN, [file], { encoding: "utf8" });
  assert.equal(v.status, 0, v.stdout + v.stderr);
});

test("no conversation on the page: a clear error and nothing stored", async () => {
  const before = (await readStore(lib)).records.length;
  const page = await ext.context.newPage();
  await page.goto(`${srv.url}/avatars/417629345681276929/a_6f1c2e.svg`);
  const tabId = await tabIdOf(lib, page);
  const res = await send(lib, { type: "capture", tabId, scope: "conversation" });
  assert.equal(res.ok, false);
  assert.equal(res.error.code, "NO_CONVERSATION");
  const dump = await readStore(lib);
  assert.equal(dump.records.length, before);
  assert.equal(dump.pending.length, 0);
  await page.close();
});

test("a message edited and another deleted during the capture: both versions kept, the deletion marked", async () => {
  const { page, res } = await captureChannel("?n=60&edit=any&del=any", { at: 1 });
  assert.equal(res.ok, true, JSON.stringify(res));
  const [edited, deleted, expected] = await page.evaluate(() => [window.__fixtureEdited, window.__fixtureDeleted, window.__fixtureMessages]);
  assert.equal(typeof edited, "number", "the fixture edited a message during the capture");
  assert.equal(typeof deleted, "number", "the fixture deleted a message during the capture");
  const dump = await readStore(lib);
  const rec = checkStoreIntegrity(assert, dump).find((r) => r.id === res.item.id);
  const meta = metadataOf(dump, rec);
  assert.deepEqual(meta.messages.map((m) => m.id), expected.map((m) => m.id), "the deleted message is kept, once, in its place");
  const e = meta.messages[edited];
  assert.deepEqual(e.marks, ["changed_during_capture"]);
  assert.equal(e.text, expected[edited].text.replace(/ \(edited\)$/, ""), "the first version is the text");
  assert.deepEqual(e.edits, [expected[edited].text], "the later version is kept");
  assert.deepEqual(meta.messages[deleted].marks, ["disappeared_during_capture"]);
  assert.equal(meta.messages.filter((m) => m.marks?.length).length, 2, "no other message is marked");
  assert.equal(meta.conversation.changed, 1);
  assert.equal(meta.conversation.disappeared, 1);
  await page.close();
});

/** Start a long capture without waiting for it; resolve the answer later. */
async function startCapture(tabId, extra = {}) {
  await lib.evaluate((m) => {
    window.__longCapture = chrome.runtime.sendMessage(m);
  }, { type: "capture", tabId, scope: "conversation", ...extra });
  return () => lib.evaluate(() => window.__longCapture);
}

async function untilScreens(n) {
  for (let i = 0; i < 200; i++) {
    const p = await send(lib, { type: "captureProgress" });
    const run = p.running[0];
    if (run && run.screens >= n) return run;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the capture did not progress");
}

test("Cancel stores what was captured, as an incomplete item with the reason; scroll put back", async () => {
  const page = await ext.context.newPage();
  await page.goto(`${srv.url}/discord-channel.html?n=300`);
  await page.waitForFunction(() => document.querySelectorAll("#list li").length > 3);
  const initial = await page.evaluate(() => document.getElementById("scroller").scrollTop);
  const tabId = await tabIdOf(lib, page);
  const answer = await startCapture(tabId);
  const run = await untilScreens(2);
  assert.equal(run.scope, "conversation");
  assert.equal(run.tabId, tabId);
  assert.deepEqual(await send(lib, { type: "cancelCapture", tabId }), { ok: true, cancelled: true });
  const res = await answer();
  assert.equal(res.ok, true, JSON.stringify(res));
  assert.equal(res.complete, false);
  assert.equal(res.stopReason, "cancelled by the user");
  assert.ok(res.segments >= 2 && res.messages > 0 && res.messages < 300, JSON.stringify(res));
  const dump = await readStore(lib);
  const rec = checkStoreIntegrity(assert, dump).find((r) => r.id === res.item.id);
  const meta = metadataOf(dump, rec);
  assert.equal(meta.conversation.complete, false);
  assert.equal(meta.conversation.stop_reason, "cancelled by the user");
  assert.ok(rec.metadata.missing.some((m) => /stopped early \(cancelled by the user\)/.test(m)), JSON.stringify(rec.metadata.missing));
  const expected = await page.evaluate(() => window.__fixtureMessages);
  assert.deepEqual(meta.messages.map((m) => m.id), expected.slice(0, meta.messages.length).map((m) => m.id), "the oldest messages, in order");
  assert.equal(await page.evaluate(() => document.getElementById("scroller").scrollTop), initial);
  assert.deepEqual((await send(lib, { type: "captureProgress" })).running, []);
  assert.deepEqual(await send(lib, { type: "cancelCapture", tabId }), { ok: true, cancelled: false });
  await page.close();
});

test("the user scrolling stops the capture; what was taken is stored, marked incomplete", async () => {
  const page = await ext.context.newPage();
  await page.goto(`${srv.url}/discord-channel.html?n=300`);
  await page.waitForFunction(() => document.querySelectorAll("#list li").length > 3);
  const tabId = await tabIdOf(lib, page);
  const answer = await startCapture(tabId);
  await untilScreens(2);
  await page.mouse.move(700, 400);
  await page.mouse.wheel(0, 240);
  const res = await answer();
  assert.equal(res.ok, true, JSON.stringify(res));
  assert.equal(res.complete, false);
  assert.equal(res.stopReason, "you scrolled the page during the capture");
  await page.close();
});

test("a list that never stops growing is ended by the message limit", async () => {
  const { page, res } = await captureChannel("?n=40&endless=1", { at: 0, msg: { limits: { maxMessages: 80 } } });
  assert.equal(res.ok, true, JSON.stringify(res));
  assert.equal(res.complete, false);
  assert.equal(res.stopReason, "the limit of 80 messages was reached");
  assert.ok(res.messages >= 80, `${res.messages} messages`);
  const dump = await readStore(lib);
  const meta = metadataOf(dump, checkStoreIntegrity(assert, dump).find((r) => r.id === res.item.id));
  assert.equal(meta.conversation.limits.max_messages, 80);
  await page.close();
});

test("bad limits are refused by the message guard", async () => {
  const res = await send(lib, { type: "capture", tabId: 1, scope: "conversation", limits: { maxMessages: -1 } });
  assert.equal(res.ok, false);
  assert.equal(res.error.code, "BAD_MESSAGE");
  const res2 = await send(lib, { type: "capture", tabId: 1, scope: "everything" });
  assert.equal(res2.error.code, "BAD_MESSAGE");
});

test("a chat that loads older messages in chunks: the whole history, times from WhatsApp's data-pre-plain-text, only 'Load older messages' clicked", async () => {
  const page = await ext.context.newPage();
  await page.goto(`${srv.url}/whatsapp-chat.html?n=90`);
  const firstInView = () =>
    page.evaluate(() => {
      const pane = document.getElementById("pane");
      const top = pane.getBoundingClientRect().top;
      const el = [...pane.querySelectorAll("[data-id]")].find((e) => e.getBoundingClientRect().bottom > top);
      return { id: el?.dataset.id, fromBottom: pane.scrollHeight - pane.scrollTop };
    });
  const before = await firstInView();
  const tabId = await tabIdOf(lib, page);
  const res = await send(lib, { type: "capture", tabId, scope: "conversation" });
  assert.equal(res.ok, true, JSON.stringify(res));
  assert.equal(res.complete, true);
  assert.deepEqual(await page.evaluate(() => window.__fixtureClicks), ["Load older messages"], "only the allowed control was clicked");
  assert.deepEqual(res.clicked, ["Load older messages"]);
  const after = await firstInView();
  assert.equal(after.id, before.id, "the user sees the same message at the top again");
  assert.equal(after.fromBottom, before.fromBottom);

  const expected = await page.evaluate(() => window.__fixtureMessages);
  const dump = await readStore(lib);
  const rec = checkStoreIntegrity(assert, dump).find((r) => r.id === res.item.id);
  const meta = metadataOf(dump, rec);
  assert.equal(meta.platform, "whatsapp");
  assert.equal(meta.conversation.older_end_reached, true);
  assert.deepEqual(meta.messages.map((m) => m.id), expected.map((m) => m.id), "all 90, loaded in three chunks, once each, in order");
  meta.messages.forEach((m, i) => {
    const e = expected[i];
    assert.equal(m.author.name, e.author);
    assert.equal(m.author_id ?? null, e.authorId, `phone number of message ${i}`);
    assert.equal(m.text, e.text);
    assert.equal(m.time.utc, e.utc, `time of message ${i}, in the capture's time zone`);
    assert.equal(m.time.source, "chat_time");
    assert.equal(m.time.approximate, false);
    assert.equal(m.time_offset_minutes, 0 - new Date().getTimezoneOffset(), "the capture's offset was used");
    assert.equal(m.time_offset_minutes, -300, "New York in winter");
  });
  await page.close();
});

test("'How far back' with chat times only (WhatsApp's shown times and dates): older chunks and screens are left out", async () => {
  const page = await ext.context.newPage();
  await page.goto(`${srv.url}/whatsapp-chat.html?n=90`);
  const tabId = await tabIdOf(lib, page);
  const res = await send(lib, { type: "capture", tabId, scope: "conversation", limits: { backTo: "2026-11-22" } });
  assert.equal(res.ok, true, JSON.stringify(res));
  const limit = new Date(2026, 10, 22).getTime();
  const expected = (await page.evaluate(() => window.__fixtureMessages)).filter((m) => Date.parse(m.utc) >= limit);
  assert.ok(expected.length > 10 && expected.length < 60, `${expected.length} messages from that day on`);
  const dump = await readStore(lib);
  const meta = metadataOf(dump, checkStoreIntegrity(assert, dump).find((r) => r.id === res.item.id));
  const got = meta.messages.map((m) => m.id);
  assert.ok(got.length < 90, `not the whole history: ${got.length} messages`);
  assert.deepEqual(got.slice(-expected.length), expected.map((m) => m.id), "every message from that day on, in order");
  assert.ok(meta.messages.every((m) => m.time.source === "chat_time"), "the times are chat times, not machine-readable ones");
  const older = meta.messages.filter((m) => Date.parse(m.time.utc) < limit);
  assert.ok(older.length < 30, `only the first screen's older messages are kept (${older.length})`);
  assert.equal(meta.conversation.older_end_reached, false, "it stopped loading older messages once far enough back");
  assert.ok((await page.evaluate(() => window.__fixtureClicks)).length < 2, "it did not load the oldest chunk");
  await page.close();
});

test("a one-screen capture of another tab during a long capture does not stop it, and each screen shows its own tab", async () => {
  const page = await ext.context.newPage();
  await page.goto(`${srv.url}/discord-channel.html?n=80`);
  await page.waitForFunction(() => document.querySelectorAll("#list li").length > 3);
  const other = await ext.context.newPage(); // the other tab, in the same window, shown last
  await other.goto(`${srv.url}/avatars/417629345681276929/a_6f1c2e.svg`);
  const [tabId, otherId] = [await tabIdOf(lib, page), await tabIdOf(lib, other)];
  const answer = await startCapture(tabId);
  await untilScreens(2); // the long capture is taking screens: capture the other tab's screen
  const one = await send(lib, { type: "capture", tabId: otherId });
  const res = await answer();
  assert.equal(one.ok, true, JSON.stringify(one));
  assert.equal(res.ok, true, JSON.stringify(res));
  assert.equal(res.complete, true, `not stopped: ${res.stopReason}`);
  assert.equal(res.stopReason, null);
  const dump = await readStore(lib);
  const recs = checkStoreIntegrity(assert, dump);
  const shot = metadataOf(dump, recs.find((r) => r.id === one.item.id));
  assert.equal(shot.page.url, `${srv.url}/avatars/417629345681276929/a_6f1c2e.svg`, "the one-screen capture is of the other tab");
  const rec = recs.find((r) => r.id === res.item.id);
  const meta = metadataOf(dump, rec);
  const seg = JSON.parse(artifact(dump, rec, "segments.json").data.toString("utf8"));
  assert.equal(meta.messages.length, await page.evaluate(() => window.__fixtureMessages.length));
  // Every message at its rectangle in the long capture's own screens: none shows the other tab.
  await checkBarcodes(page, dump, rec, meta, seg, (sc, r) => r.y >= sc.container.y + 30);
  await other.close();
  await page.close();
});

async function popupStatus(popup, re) {
  let text = "";
  for (let i = 0; i < 600 && !re.test(text); i++) {
    await new Promise((r) => setTimeout(r, 100));
    text = await popup.eval("document.getElementById('status').textContent");
  }
  return text;
}

test("the popup offers three captures (this screen stays the one-click default); the whole conversation, with progress and Cancel", async () => {
  const page = await ext.context.newPage();
  await page.goto(`${srv.url}/discord-channel.html?n=40`);
  await page.bringToFront();
  let popup = await openToolbarPopup(ext, lib);
  try {
    const labels = await popup.eval("[...document.querySelectorAll('main button')].map((b) => b.textContent.trim()).slice(0, 3)");
    assert.deepEqual(labels, ["Capture this screen", "Capture the whole conversation", "Capture the whole page"]);
    assert.equal(await popup.eval("document.getElementById('capture').classList.contains('primary')"), true);
    await popup.eval("document.getElementById('capture-conversation').click()");
    const text = await popupStatus(popup, /Saved|Not saved/);
    assert.match(text, /^Saved · [0-9a-f]{12} · 40 messages, \d+ screens\.$/);
    const dump = await readStore(lib);
    const last = checkStoreIntegrity(assert, dump).at(-1);
    assert.equal(last.metadata.scope, "conversation");
    assert.equal(metadataOf(dump, last).capture.trigger, "popup");
  } finally {
    await popup.close();
  }

  // A long one, cancelled from the popup while its progress shows.
  await page.goto(`${srv.url}/discord-channel.html?n=400`);
  await page.bringToFront();
  popup = await openToolbarPopup(ext, lib);
  try {
    await popup.eval("document.getElementById('max-minutes').value = '30'");
    await popup.eval("document.getElementById('capture-conversation').click()");
    let prog = "";
    for (let i = 0; i < 200 && !/: \d+ messages found · [2-9]\d* screens/.test(prog); i++) {
      await new Promise((r) => setTimeout(r, 100));
      prog = await popup.eval("document.getElementById('progress').hidden ? '' : document.getElementById('progress-text').textContent");
    }
    assert.match(prog, /^Capturing: \d+ messages found · \d+ screens · back to /);
    await popup.eval("document.getElementById('cancel').click()");
    const text = await popupStatus(popup, /Saved|Not saved/);
    assert.match(text, /^Saved · [0-9a-f]{12} · \d+ messages, \d+ screens\. Stopped early \(cancelled by the user\): what was captured is saved, marked incomplete\.$/);
    const dump = await readStore(lib);
    const meta = metadataOf(dump, checkStoreIntegrity(assert, dump).at(-1));
    assert.equal(meta.conversation.limits.max_minutes, 30, "the limit chosen in the popup");
  } finally {
    await popup.close();
    await page.close();
  }
});

test("the context menu's 'Save the whole conversation' runs the same capture", async () => {
  const page = await ext.context.newPage();
  await page.goto(`${srv.url}/discord-channel.html?n=30`);
  const tabId = await tabIdOf(lib, page);
  const sw = ext.context.serviceWorkers()[0];
  const res = await sw.evaluate(([id]) => globalThis.evidenceTrigger(id, "context-menu", "conversation"), [tabId]);
  assert.equal(res.ok, true, JSON.stringify(res));
  assert.equal(res.messages, 30);
  const dump = await readStore(lib);
  const meta = metadataOf(dump, checkStoreIntegrity(assert, dump).find((r) => r.id === res.item.id));
  assert.equal(meta.capture.trigger, "context-menu");
  assert.equal(meta.scope, "conversation");
  await page.close();
});

test("'How far back': a date limit leaves out the screens that show only older messages", async () => {
  const { page, res } = await captureChannel("?n=150", { msg: { limits: { backTo: "2026-11-22" } } });
  assert.equal(res.ok, true, JSON.stringify(res));
  const dump = await readStore(lib);
  const meta = metadataOf(dump, checkStoreIntegrity(assert, dump).find((r) => r.id === res.item.id));
  const limit = new Date(2026, 10, 22).getTime();
  const expected = (await page.evaluate(() => window.__fixtureMessages)).filter((m) => Date.parse(m.datetime) >= limit);
  const got = meta.messages.map((m) => m.id);
  assert.ok(got.length < 150, `${got.length} messages`);
  assert.deepEqual(got.slice(-expected.length), expected.map((m) => m.id), "every message from that day on");
  const older = meta.messages.filter((m) => Date.parse(m.time.utc) < limit);
  assert.ok(older.length < 30, `only the first screen's older messages are kept (${older.length})`);
  assert.equal(meta.conversation.limits.back_to, "2026-11-22");
  await page.close();
});

test("whole page: a thread that scrolls the document; the fixed header is hidden after the first screen and put back", async () => {
  const page = await ext.context.newPage();
  await page.goto(`${srv.url}/x-thread.html?n=40`);
  await page.evaluate(() => window.scrollTo(0, 300));
  const tabId = await tabIdOf(lib, page);
  const res = await send(lib, { type: "capture", tabId, scope: "page" });

  assert.equal(res.ok, true, JSON.stringify(res));
  assert.equal(res.complete, true);
  assert.equal(res.messages, 40);
  assert.equal(await page.evaluate(() => window.scrollY), 300, "the user's scroll position is back");
  assert.deepEqual(await page.evaluate(() => [getComputedStyle(document.querySelector("header.top")).visibility, document.querySelector("header.top").getAttribute("style")]), ["visible", null], "the header is shown again, its style as it was");
  assert.deepEqual(await page.evaluate(() => window.__fixtureClicks), []);
  const posts = await page.evaluate(() => window.__fixturePosts);
  const dump = await readStore(lib);
  const rec = checkStoreIntegrity(assert, dump).find((r) => r.id === res.item.id);
  const meta = metadataOf(dump, rec);
  const seg = JSON.parse(artifact(dump, rec, "segments.json").data.toString("utf8"));
  assert.equal(meta.scope, "page");
  assert.equal(rec.metadata.scope, "page");
  assert.deepEqual(meta.messages.map((m) => m.id), posts.map((p) => p.id));
  meta.messages.forEach((m, i) => {
    assert.equal(m.author.handle, posts[i].handle);
    assert.equal(m.author_id, posts[i].handle, "the handle is the account where no id is shown");
    assert.equal(m.time.utc, posts[i].datetime);
    assert.equal(m.text, posts[i].text);
  });
  assert.ok(seg.screens.length >= 3);
  // The fixed header (pink) is on the first screen only.
  const pngs = Object.fromEntries(seg.screens.slice(0, 2).map((s) => [s.artifact, artifact(dump, rec, s.artifact).data.toString("base64")]));
  const dpr = seg.screens[0].device_pixel_ratio;
  const [h1, h2] = await samplePixels(pngs, seg.screens.slice(0, 2).map((s) => ({ png: s.artifact, x: Math.round(8 * dpr), y: Math.round(20 * dpr) })));
  assert.deepEqual(h1, [255, 0, 102]);
  assert.notDeepEqual(h2, [255, 0, 102]);
  // Under the header and the sticky bar on the first screen nothing can be seen.
  await checkBarcodes(page, dump, rec, meta, seg, (sc, r) => sc.index > 0 || r.y >= 93);
  await page.close();
});

test("a page taller than 32,767 px: every post, and the stitched image in pieces under the canvas limits", async () => {
  const page = await ext.context.newPage();
  await page.goto(`${srv.url}/x-thread.html?n=400`);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  assert.ok(height > 32_767, `the page is ${height} px tall`);
  const tabId = await tabIdOf(lib, page);
  const res = await send(lib, { type: "capture", tabId, scope: "page" });
  assert.equal(res.ok, true, JSON.stringify(res));
  assert.equal(res.complete, true);
  assert.equal(res.messages, 400);
  const dump = await readStore(lib);
  const rec = checkStoreIntegrity(assert, dump).find((r) => r.id === res.item.id);
  const meta = metadataOf(dump, rec);
  assert.deepEqual(meta.messages.map((m) => m.id), (await page.evaluate(() => window.__fixturePosts)).map((p) => p.id));
  const seg = JSON.parse(artifact(dump, rec, "segments.json").data.toString("utf8"));
  const first = seg.screens[0], last = seg.screens.at(-1);
  const dpr = first.device_pixel_ratio;
  const pieces = rec.artifacts.filter((a) => /^stitched-\d\d\.png$/.test(a.name)).map((a) => dump.blobs.find((b) => b.sha256 === a.sha256).decoded);
  assert.ok(pieces.length >= 2, `${pieces.length} pieces`);
  for (const p of pieces) {
    assert.ok(p.height <= 32_767 && p.width <= 32_767 && p.width * p.height <= 268_435_456, JSON.stringify(p));
    assert.equal(p.width, Math.round(first.container.width * dpr));
  }
  const total = pieces.reduce((n, p) => n + p.height, 0);
  assert.equal(total, Math.round((last.scroll_y - first.scroll_y) * dpr) + Math.round(first.container.height * dpr), "the pieces add up to the page swept");
  assert.deepEqual(seg.stitched.map((p) => p.height), pieces.map((p) => p.height), "the segment index lists the pieces");
  await page.close();
});

test("the library shows a conversation item as a thread: author, account, time, text, in order", async () => {
  const { page, res } = await captureChannel("?n=20");
  assert.equal(res.ok, true, JSON.stringify(res));
  const expected = await page.evaluate(() => window.__fixtureMessages);
  await page.close();
  const view = await openExtPage(ext, `library.html#item-${res.item.seq}`);
  const heading = view.getByRole("heading", { name: "The whole conversation, in order (20 messages)" });
  await heading.waitFor({ timeout: 15_000 });
  const authors = await view.locator("ol.thread > li .message-author").allTextContents();
  assert.deepEqual(authors, expected.map((m) => `${m.author} ${m.authorId}`));
  const texts = await view.locator("ol.thread > li").allTextContents();
  texts.forEach((t, i) => assert.ok(t.includes(expected[i].text.split("\n")[0]), `message ${i} text in ${t}`));
  assert.match(texts[0], /Account417629345681276929/);
  assert.match(await view.locator("section.item-section", { has: heading }).textContent(), /Captured whole, in \d+ screens\./);
  assert.equal(await view.locator("img.shot").count(), 1, "the stitched image is shown");
  await view.close();
});

test("at device pixel ratio 2 too: every message at its rectangle in the stored screens' pixels", async () => {
  // A real scale factor (no viewport emulation: emulated ratios do not reach captureVisibleTab).
  const ext2 = await launch({ viewport: null, args: ["--force-device-scale-factor=2", "--window-size=1280,800"] });
  try {
    const lib2 = await openExtPage(ext2, "library.html");
    const page = await ext2.context.newPage();
    await page.goto(`${srv.url}/discord-channel.html?n=40`);
    await page.waitForFunction(() => document.querySelectorAll("#list li").length > 3);
    assert.equal(await page.evaluate(() => devicePixelRatio), 2);
    const res = await send(lib2, { type: "capture", tabId: await tabIdOf(lib2, page), scope: "conversation" });
    assert.equal(res.ok, true, JSON.stringify(res));
    assert.equal(res.messages, 40);
    const dump = await readStore(lib2);
    const rec = checkStoreIntegrity(assert, dump).find((r) => r.id === res.item.id);
    const meta = metadataOf(dump, rec);
    const seg = JSON.parse(artifact(dump, rec, "segments.json").data.toString("utf8"));
    assert.equal(seg.screens[0].device_pixel_ratio, 2);
    const shot = artifact(dump, rec, "screen-001.png");
    const vw = await page.evaluate(() => innerWidth);
    assert.equal(shot.decoded.width, vw * 2, "the screen is at twice the CSS pixels");
    assert.deepEqual(meta.messages.map((m) => m.id), (await page.evaluate(() => window.__fixtureMessages)).map((m) => m.id));
    await checkBarcodes(page, dump, rec, meta, seg, (sc, r) => r.y >= sc.container.y + 30);
  } finally {
    await ext2.close();
  }
});
