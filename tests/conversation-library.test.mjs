// End-to-end (issue 11): in the library, selecting a message of a whole-conversation capture
// shows the stored screen it appears on, with its rectangle outlined. Checked from the pixels
// the library displays: the message's own colour barcode (drawn by the fixture) must be
// inside the outlined rectangle, and the outline must be about the message's size, for a
// message of the first screen (by click) and one only on a later screen (by keyboard).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openExtPage, send, tabIdOf, readStore, metadataOf, axeAudit } from "./lib/extension.mjs";
import { openLibrary } from "./lib/library.mjs";
import { startServer } from "./lib/server.mjs";

let ext, srv, lib;

before(async () => {
  srv = await startServer({ roots: { "/": "tests/fixtures/conversation" } });
  ext = await launch();
  lib = await openExtPage(ext, "library.html");
});
after(async () => {
  await ext?.close();
  await srv?.close();
});

/**
 * In the library page: the displayed screen's pixels under the outline. Returns where each
 * of `colours` was found inside the outline (natural pixels, relative to the outline), the
 * outline's size in the image's pixels, and the image's size.
 */
function underOutline(view, colours) {
  return view.evaluate(async (colours) => {
    const img = /** @type {HTMLImageElement} */ (document.querySelector("#message-screen img.screen"));
    const box = /** @type {HTMLElement} */ (document.querySelector("#message-screen .outline"));
    const ir = img.getBoundingClientRect(), br = box.getBoundingClientRect();
    const sx = img.naturalWidth / ir.width, sy = img.naturalHeight / ir.height;
    const x0 = Math.round((br.left - ir.left) * sx), y0 = Math.round((br.top - ir.top) * sy);
    const w = Math.round(br.width * sx), h = Math.round(br.height * sy);
    const c = new OffscreenCanvas(img.naturalWidth, img.naturalHeight);
    const ctx = c.getContext("2d");
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(x0, y0, Math.max(1, w), Math.max(1, h)).data;
    const found = colours.map((col) => {
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - col[0]) <= 8 && Math.abs(d[i + 1] - col[1]) <= 8 && Math.abs(d[i + 2] - col[2]) <= 8) n++;
      return n;
    });
    return { found, outline: { x: x0, y: y0, width: w, height: h }, image: { width: img.naturalWidth, height: img.naturalHeight }, caption: document.querySelector("#message-screen figcaption")?.textContent ?? "" };
  }, colours);
}

test("selecting a message shows its screen with the message outlined (click, and Enter on a later one)", async () => {
  const page = await ext.context.newPage();
  await page.goto(`${srv.url}/discord-channel.html?n=60`);
  await page.waitForFunction(() => document.querySelectorAll("#list li").length > 3);
  const tabId = await tabIdOf(lib, page);
  const res = await send(lib, { type: "capture", tabId, scope: "conversation" });
  assert.equal(res.ok, true, JSON.stringify(res));
  assert.ok(res.segments >= 3, `several screens (${res.segments})`);
  const dump = await readStore(lib);
  const rec = dump.records.find((r) => r.id === res.item.id);
  const meta = metadataOf(dump, rec);
  const seg = JSON.parse(dump.blobs.find((b) => b.sha256 === rec.artifacts.find((a) => a.name === "segments.json").sha256).data.toString("utf8"));

  const view = await openLibrary(ext, `#item-${res.item.seq}`);
  await view.waitForSelector("#item-body ol.thread > li.message");
  const rows = view.locator("#item-body ol.thread > li.message");
  assert.equal(await rows.count(), meta.messages.length);

  // The first message (on the first screen) by click; the last (only on later screens) by keyboard.
  const last = meta.messages.length - 1;
  assert.ok(!meta.messages[last].screens.includes(0), "the last message is not on the first screen");
  for (const [i, how] of [[1, "click"], [last, "Enter"]]) {
    const row = rows.nth(i);
    if (how === "click") await row.click();
    else {
      await row.focus();
      await view.keyboard.press("Enter");
    }
    await view.waitForFunction(() => document.querySelector("#message-screen .screen-frame")?.dataset.ready === "true");
    assert.match(await row.getAttribute("class"), /\bselected\b/);
    const colours = await page.evaluate((n) => window.__fixtureBarcode(n), i);
    const got = await underOutline(view, colours);
    const m = meta.messages[i];
    // The screen shown is one that holds this message, and the outline is its rectangle's size.
    const shownOn = seg.screens.find((s) => got.caption.includes(`(${s.artifact})`));
    assert.ok(shownOn, `the caption names a stored screen: ${got.caption}`);
    assert.ok(m.screens.includes(shownOn.index), `message ${i} is on ${shownOn.artifact} (its screens: ${m.screens})`);
    const png = dump.blobs.find((b) => b.sha256 === rec.artifacts.find((a) => a.name === shownOn.artifact).sha256).decoded;
    assert.deepEqual(got.image, { width: png.width, height: png.height }, "the screen is shown from its own pixels");
    const r = shownOn.messages.find((x) => x.key === m.key).rect;
    const dpr = shownOn.device_pixel_ratio;
    assert.ok(Math.abs(got.outline.width - r.width * dpr) <= 3 && Math.abs(got.outline.height - r.height * dpr) <= 3, `outline ${JSON.stringify(got.outline)} is the message's rectangle ${JSON.stringify(r)} × ${dpr}`);
    // Both barcode squares (10 × 10 CSS px each) are inside the outline.
    for (const [k, n] of got.found.entries()) assert.ok(n >= 50 * dpr * dpr, `message ${i} (${how}): barcode square ${k} inside the outline: ${n} pixels of ${colours[k]}`);
  }
  // Another message's barcode is not inside the last outline (the outline is that message's only).
  const other = await page.evaluate((n) => window.__fixtureBarcode(n), 1);
  const again = await underOutline(view, other);
  assert.ok(again.found.every((n) => n < 10), `message 1's barcode is not under message ${last}'s outline: ${again.found}`);
  // The selectable thread, with a screen shown, has no serious accessibility problem.
  const serious = (await axeAudit(view, { include: "#item-body" })).filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(serious, [], JSON.stringify(serious));
  await view.close();
  await page.close();
});
