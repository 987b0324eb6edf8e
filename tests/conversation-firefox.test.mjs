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
