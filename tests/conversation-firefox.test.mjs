// The whole-conversation capture (issue 11) in real Firefox ESR: the same virtualised
// Discord-like channel, screens from tabs.captureTab, the serialised DOM as the snapshot.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readStore, checkStoreIntegrity, metadataOf } from "./lib/extension.mjs";
import { launchFirefox, firefoxAvailable } from "./lib/firefox.mjs";
import { startServer } from "./lib/server.mjs";

let ff, srv;
before(async () => {
  if (!firefoxAvailable()) return;
  srv = await startServer({ roots: { "/": "tests/fixtures/conversation" } });
  ff = await launchFirefox();
});
after(async () => {
  await ff?.close();
  await srv?.close();
});

test("Firefox: a whole virtualised conversation, every message once, in order, scroll put back", async (t) => {
  if (!ff) return t.skip("firefox-esr is not installed");
  const { page, tabId } = await ff.openTab(`${srv.url}/discord-channel.html?n=60`);
  await page.waitForFunction(() => document.querySelectorAll("#list li").length > 3);
  const initial = await page.evaluate(() => {
    const s = document.getElementById("scroller");
    s.scrollTop = Math.round((s.scrollHeight - s.clientHeight) / 2);
    return s.scrollTop;
  });
  await new Promise((r) => setTimeout(r, 200));
  const res = await ff.send({ type: "capture", tabId, scope: "conversation" });
  assert.equal(res.ok, true, JSON.stringify(res));
  assert.equal(res.complete, true, JSON.stringify(res));
  assert.equal(res.messages, 60);
  assert.equal(await page.evaluate(() => document.getElementById("scroller").scrollTop), initial);
  assert.deepEqual(await page.evaluate(() => window.__fixtureClicks), []);
  const expected = await page.evaluate(() => window.__fixtureMessages);
  const dump = await readStore(ff.extPage);
  const rec = checkStoreIntegrity(assert, dump).find((r) => r.id === res.item.id);
  const names = rec.artifacts.map((a) => a.name);
  assert.ok(names.includes("page.html") && names.includes("segments.json") && names.includes("stitched-01.png"), names.join(" "));
  const meta = metadataOf(dump, rec);
  assert.equal(meta.artifacts.screenshot.method, "tabs.captureTab");
  assert.deepEqual(meta.messages.map((m) => m.id), expected.map((m) => m.id));
  meta.messages.forEach((m, i) => {
    assert.equal(m.author.name, expected[i].author);
    assert.equal(m.author_id, expected[i].authorId);
    assert.equal(m.time.utc, expected[i].datetime);
  });
  await page.close();
});

test("Firefox: a whole page drawn in bands by tabs.captureTab with rect, never scrolled; every post's barcode at its recorded rectangle", async (t) => {
  if (!ff) return t.skip("firefox-esr is not installed");
  const { page, tabId } = await ff.openTab(`${srv.url}/x-thread.html?n=40`);
  await page.evaluate(() => {
    window.__scrolls = 0;
    addEventListener("scroll", () => window.__scrolls++, { passive: true });
  });
  const res = await ff.send({ type: "capture", tabId, scope: "page" });
  assert.equal(res.ok, true, JSON.stringify(res));
  assert.equal(res.complete, true, JSON.stringify(res));
  assert.equal(res.messages, 40);
  assert.equal(await page.evaluate(() => window.__scrolls), 0, "the page was never scrolled");
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector("header.top")).visibility), "visible", "the header is shown again");
  const posts = await page.evaluate(() => window.__fixturePosts);
  const dump = await readStore(ff.extPage);
  const rec = checkStoreIntegrity(assert, dump).find((r) => r.id === res.item.id);
  const meta = metadataOf(dump, rec);
  assert.equal(meta.artifacts.screenshot.method, "tabs.captureTab rect");
  assert.deepEqual(meta.messages.map((m) => m.id), posts.map((p) => p.id));
  const blob = (name) => dump.blobs.find((b) => b.sha256 === rec.artifacts.find((a) => a.name === name).sha256);
  const seg = JSON.parse(blob("segments.json").data.toString("utf8"));
  assert.ok(seg.screens.length >= 3, `${seg.screens.length} bands`);
  const viewport = await page.evaluate(() => [innerWidth, innerHeight, (document.scrollingElement ?? document.documentElement).scrollHeight]);
  const last = seg.screens.at(-1);
  assert.equal(last.scroll_y + viewport[1], viewport[2], "the last band ends at the document's end");
  // Each post, whole in some band (below the header on the first), shows its two barcode
  // squares at its recorded rectangle in that band's pixels.
  const probes = [];
  const want = [];
  for (const [i, m] of meta.messages.entries()) {
    const s = seg.screens.find((sc) => {
      const r = sc.messages.find((x) => x.key === m.key)?.rect;
      return r && r.y >= (sc.index === 0 ? 53 : 0) && r.y + r.height <= sc.container.height;
    });
    assert.ok(s, `post ${i} is whole in some band`);
    const r = s.messages.find((x) => x.key === m.key).rect;
    const dpr = s.device_pixel_ratio;
    const cy = Math.round((r.y + 11) * dpr);
    probes.push({ png: s.artifact, x: Math.round((r.x + r.width - 27) * dpr), y: cy }, { png: s.artifact, x: Math.round((r.x + r.width - 17) * dpr), y: cy });
    want.push(...(await page.evaluate((n) => window.__fixtureBarcode(n), i)));
  }
  const pngs = Object.fromEntries(seg.screens.map((s) => [s.artifact, blob(s.artifact).data.toString("base64")]));
  const got = await ff.extPage.evaluate(async (pngs, probes) => {
    const out = [];
    const cache = new Map();
    for (const p of probes) {
      let ctx = cache.get(p.png);
      if (!ctx) {
        const bytes = Uint8Array.from(atob(pngs[p.png]), (c) => c.charCodeAt(0));
        const bmp = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
        const c = new OffscreenCanvas(bmp.width, bmp.height);
        ctx = c.getContext("2d");
        ctx.drawImage(bmp, 0, 0);
        cache.set(p.png, ctx);
      }
      out.push([...ctx.getImageData(p.x, p.y, 1, 1).data.slice(0, 3)]);
    }
    return out;
  }, pngs, probes);
  got.forEach((px, k) => {
    assert.ok(px.every((v, c) => Math.abs(v - want[k][c]) <= 8), `post ${Math.floor(k / 2)}: barcode square ${k % 2} is ${px}, expected ${want[k]}`);
  });
  // The fixed header (pink) is drawn in the first band only.
  const header = await ff.extPage.evaluate(async (a, b) => {
    const px = async (b64) => {
      const bmp = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: "image/png" }));
      const c = new OffscreenCanvas(bmp.width, bmp.height);
      const ctx = c.getContext("2d");
      ctx.drawImage(bmp, 0, 0);
      return [...ctx.getImageData(8, 20, 1, 1).data.slice(0, 3)];
    };
    return [await px(a), await px(b)];
  }, pngs[seg.screens[0].artifact], pngs[seg.screens[1].artifact]);
  assert.deepEqual(header[0], [255, 0, 102]);
  assert.notDeepEqual(header[1], [255, 0, 102]);
  await page.close();
});
