// End-to-end over pages saved from the real platforms (../shared/fixtures/real-pages/,
// other people's content, never copied here). Each is served with its own scripts disabled
// and captured through the extension; the facts checked are those SOURCES.md lists.
// Only messages on screen are read by a capture; tests/extract.test.mjs covers whole pages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { launch, openExtPage, send, tabIdOf, readStore, checkStoreIntegrity, metadataOf, REAL_PAGES } from "./lib/extension.mjs";
import { startServer } from "./lib/server.mjs";

const available = existsSync(REAL_PAGES);
let ext, srv, lib;

before(async () => {
  if (!available) return;
  srv = await startServer({ roots: { "/real/": REAL_PAGES } });
  ext = await launch();
  lib = await openExtPage(ext, "library.html");
});
after(async () => {
  await ext?.close();
  await srv?.close();
});

async function capture(t, file) {
  if (!available) {
    t.skip("../shared/fixtures/real-pages is not here");
    return null;
  }
  const page = await ext.context.newPage();
  await page.goto(`${srv.url}/real/${file}`, { waitUntil: "load" });
  const res = await send(lib, { type: "capture", tabId: await tabIdOf(lib, page) });
  assert.equal(res.ok, true, JSON.stringify(res));
  const dump = await readStore(lib);
  const recs = checkStoreIntegrity(assert, dump);
  await page.close();
  await new Promise((r) => setTimeout(r, 500)); // captureVisibleTab allows 2 calls a second
  return metadataOf(dump, recs.find((r) => r.id === res.item.id));
}

test("X profile: the pinned post (no server time decoded from its id off x.com)", async (t) => {
  const meta = await capture(t, "x-1.html");
  if (!meta) return;
  assert.equal(meta.platform, "x");
  assert.equal(meta.page.canonical_url, "https://x.com/kikobeats");
  assert.equal(meta.page.title, "Kiko Beats (@Kikobeats) / X");
  const [m] = meta.messages;
  assert.deepEqual([m.author.name, m.author.handle, m.time.utc], ["Kiko Beats", "@Kikobeats", "2024-02-18T15:40:27.000Z"]);
  assert.match(m.text, /^Making some @microlinkhq t-shirts, oversized style\. Ping me if you want one!/);
  assert.equal(m.id, "1759241476758733209");
  // The saved page is served from 127.0.0.1, not x.com: no time decoded from the id (finding 11).
  assert.equal(m.id_time_utc ?? null, null);
  assert.equal(meta.messages.length + meta.messages_offscreen, 3);
});

test("X post: the datetime attribute wins over the visible time rendered in another zone", async (t) => {
  const meta = await capture(t, "x-2.html");
  if (!meta) return;
  const [m] = meta.messages;
  assert.equal(m.author.handle, "@Forbes");
  assert.equal(m.time.utc, "2026-01-27T08:00:00.000Z");
  assert.equal(m.time.source, "datetime_attr");
  assert.match(m.text, /^Is Wellness The New Happy Hour\?/);
});

test("legacy Twitter: the promoted tweet is skipped", async (t) => {
  const meta = await capture(t, "twitter-3.html");
  if (!meta) return;
  assert.equal(meta.platform, "twitter");
  assert.equal(meta.page.canonical_url, "https://twitter.com/vyki_e/status/363116819147538433");
  assert.equal(meta.skipped_promoted, 1);
  assert.ok(meta.messages.every((m) => m.author.handle !== "@EnquetesOnline"));
});

test("Discourse: post dates come from datePublished, never the edit date", async (t) => {
  const meta = await capture(t, "discourse-1.html");
  if (!meta) return;
  assert.equal(meta.platform, "discourse");
  assert.deepEqual(
    meta.messages.map((m) => [m.author.handle, m.author.profile_url, m.time.utc]),
    [
      ["@techAPJ", "https://meta.discourse.org/u/techAPJ", "2014-02-06T04:55:19.000Z"],
      ["@codinghorror", "https://meta.discourse.org/u/codinghorror", "2014-02-06T05:27:06.000Z"],
    ],
  );
  assert.ok(!JSON.stringify(meta.messages).includes("2015-06-19T06:45:49"), "the dateModified is not taken as a post date");
});

test("Hacker News: story and the comments on screen, with exact times and permalinks", async (t) => {
  const meta = await capture(t, "hackernews-1.html");
  if (!meta) return;
  const [story, first] = meta.messages;
  assert.deepEqual([story.author.name, story.time.utc], ["thcipriani", "2026-05-31T22:59:50.000Z"]);
  assert.deepEqual([first.author.name, first.time.utc, first.id], ["winter_blue", "2026-06-01T00:51:16.000Z", "48351450"]);
  assert.equal(first.permalink, `${srv.url}/real/item?id=48351450`);
  assert.match(first.text, /^Used laptops are such a good deal/);
  assert.ok(meta.messages_offscreen > 100, "the rest of the thread is counted, not read");
});

test("Bluesky: the post that exists only in the server-rendered <noscript> summary", async (t) => {
  const meta = await capture(t, "bluesky-1.html");
  if (!meta) return;
  const [m] = meta.messages;
  assert.deepEqual([m.author.name, m.author.handle, m.time.utc], ["Stephen King", "@stephenking.bsky.social", "2026-01-26T18:50:48.357Z"]);
  assert.match(m.text, /^The rightwing response to the murder of Alex Pretti is predictable/);
});

test("Facebook group feed: the first post's author and exact publish time", async (t) => {
  const meta = await capture(t, "facebook-1.html");
  if (!meta) return;
  assert.equal(meta.page.canonical_url, "https://www.facebook.com/groups/southamericansincomputing/");
  const [m] = meta.messages;
  assert.equal(m.author.name, "Omar U. Florez");
  assert.equal(m.time.utc, "2018-04-03T20:02:42.000Z");
  assert.match(m.text, /^Hola!, This group is aimed to create opportunities for South American/);
});

test("Facebook message export: author, text (the next sibling) and a zoned displayed time", async (t) => {
  const meta = await capture(t, "fb-messenger-export-1.html");
  if (!meta) return;
  const [m] = meta.messages;
  assert.equal(m.author.name, "Second User 二");
  assert.match(m.text, /^The last message! Hello/);
  assert.equal(m.time.shown, "Friday, October 4, 2013 at 10:05pm PDT");
  assert.equal(m.time.utc, "2013-10-05T05:05:00.000Z");
});

test("meta-only pages (Instagram, TikTok, YouTube) still yield the page facts", async (t) => {
  for (const [file, canonical, title] of [
    ["instagram-1.html", "https://www.instagram.com/p/CPeC-Eenc8l/", /^Willyrex on Instagram/],
    ["tiktok-1.html", "https://www.tiktok.com/@illojuan/video/7571863205253778710", /^IlloJuan on TikTok/],
    ["youtube-1.html", null, /^ElixirConf 2016 - Keynote by José Valim/],
  ]) {
    const meta = await capture(t, file);
    if (!meta) return;
    if (canonical) assert.equal(meta.page.canonical_url, canonical, file);
    assert.match(meta.page.og["og:title"], title, file);
    assert.deepEqual(meta.missing, [], file);
  }
});
