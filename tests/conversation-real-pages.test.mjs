// End-to-end (issue 11): a whole-page capture (scope "page") of each saved real page in
// ../shared/fixtures/real-pages/ that renders longer than one screen finds every author,
// text and time that SOURCES.md lists, and every message of the page exactly once. The pages
// are other people's content, served from there with their own scripts disabled (never
// copied here); the tests skip when that folder is absent.
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

const iso = (s) => new Date(s).toISOString();

// Per page: how many messages it holds, and the facts SOURCES.md lists. A fact is [which,
// expected]: `which` is an index (negative from the end) or a predicate on the message;
// expected fields are compared exactly, or matched when a RegExp.
const PAGES = {
  "twitter-1.html": {
    count: 16,
    facts: [
      [0, { id: "1128068672289890305", name: "Metallica", handle: "@Metallica", utc: iso("2019-05-13T22:45:04Z"), text: /^Thank you to everyone who came out for #MetInParis/ }],
      [1, { id: "1128104485270839296", name: "norali", handle: "@totopopi56", utc: iso("2019-05-14T01:07:23Z"), text: /^GOOD MEN GOOD ACTIONS/ }],
      [2, { name: "♬♪♬ 🇺🇸 Elizabeth Hock 🇮🇱 ♬♪♬", handle: "@LizzyHock1963", utc: iso("2019-05-13T22:47:28Z"), text: /^Thank you MetallicA, for being so generous!/ }],
      [-1, { name: "Hammoudi", handle: "@Hammoud33308783", utc: iso("2019-05-13T22:53:36Z") }],
      [(m) => m.author.handle === "@lchristinep", {}],
      [(m) => m.author.handle === "@MaryMagdallena", {}],
    ],
  },
  "twitter-2.html": {
    count: 12,
    facts: [
      [0, { id: "745085351287455744", name: "Lina Morgana", handle: "@KingBeyonceStan", utc: iso("2016-06-21T02:46:05Z"), text: "She doesn't have the range: a thread coming soon." }],
      [1, { id: "745276948213968896", utc: iso("2016-06-21T15:27:25Z"), text: /^Now before you write me off as bias/ }],
      [-2, { name: "Naomi Shambles", handle: "@LikeaStar1032", utc: iso("2016-06-21T19:46:48Z") }],
      [-1, { name: "Idle", handle: "@PurelyIdle", utc: iso("2016-06-23T05:52:23Z"), text: /^@KingBeyonceStan Brandi does not have the range/ }],
    ],
    extra: (msgs) => assert.equal(msgs.filter((m) => m.author.handle === "@KingBeyonceStan").length, 10),
  },
  "x-1.html": {
    count: 3,
    facts: [
      [0, { name: "Kiko Beats", handle: "@Kikobeats", utc: "2024-02-18T15:40:27.000Z", text: /^Making some @microlinkhq t-shirts, oversized style\. Ping me if you want one!/ }],
      [1, { handle: "@Kikobeats", utc: "2025-11-09T13:11:55.000Z", text: /^Estoy viajando por China/ }],
      [2, { handle: "@Kikobeats", utc: "2025-06-19T16:38:04.000Z", text: /^It's online https:\/\/vercel\.vercel\.vercel\.app/ }],
    ],
  },
  "facebook-1.html": {
    count: 21,
    facts: [
      [0, { id: "1629606003787605", name: "Omar U. Florez", shown: "3 April 2018 at 20:02", utc: iso("2018-04-03T20:02:42Z"), text: /^Hola!, This group is aimed to create opportunities for South American/ }],
      [1, { name: "Data Science Research Perú", shown: "2 June at 01:24", utc: iso("2021-06-02T01:24:03Z") }],
      [2, { name: "Rodriguez Ernesto", shown: "2 June at 00:21", utc: iso("2021-06-02T00:21:50Z") }],
    ],
  },
  "facebook-2.html": {
    count: 4 + 108,
    facts: [
      [0, { id: "3065154550235644", name: "Nintendo", shown: "13 May 2020 at 01:01", utc: iso("2020-05-13T01:01:18Z"), text: /^Check out these themed wallpapers and many more at the link below for your personal use!/ }],
      [1, { name: "Yusof Elmahboub", shown: "12 mths", text: /^I think Sora,Spyro,Dixie Kong/ }],
      [2, { name: "Lynn Williams", shown: "1 yr", text: /^A backwards compatible system would be great/ }],
    ],
  },
  "reddit-1.html": {
    count: 1 + 19,
    facts: [
      [(m) => m.id === "t1_ehznnqc", { name: "HR_Dragonfly", shown: "3 yr. ago", text: "Pulled that wiener back from the brink." }],
      [(m) => m.id === "t1_ehzuzp8", { shown: "3 yr. ago" }],
      [(m) => m.id === "t1_ehzrws3", { name: "[deleted]", text: /^Can a wiener dog even swim effectively at all\?/ }],
      [(m) => m.id === "t1_ei01070", {}],
    ],
  },
  "linkedin-1.html": {
    count: 10,
    facts: [
      [0, { name: "Zoe Kibbey", shown: "6y", text: /^Thank you for sharing your what sets your soul on fire\./ }],
      [-1, { name: "William ten Holder", shown: "6y" }],
    ],
  },
  "discourse-1.html": {
    count: 2,
    facts: [
      [0, { name: "Arpit Jalan", handle: "@techAPJ", utc: "2014-02-06T04:55:19.000Z", text: /^Congratulations Discourse for qualifying Repositories with the most stars/ }],
      [1, { name: "Jeff Atwood", handle: "@codinghorror", utc: "2014-02-06T05:27:06.000Z", text: /^Ah, cool\. I was not sure how to see that/ }],
    ],
  },
  "hackernews-1.html": {
    count: 1 + 124,
    facts: [
      [0, { id: "48350598", name: "thcipriani", utc: "2026-05-31T22:59:50.000Z", text: "Chuwi Minibook X" }],
      [1, { id: "48351450", name: "winter_blue", utc: "2026-06-01T00:51:16.000Z", text: /^Used laptops are such a good deal that you could something high quality/ }],
      [2, { id: "48351877", name: "djfergus", utc: "2026-06-01T02:06:55.000Z" }],
    ],
  },
  // The pages that fit on about one screen, or hold one post: a whole page still finds what
  // SOURCES.md lists (and no more).
  "twitter-3.html": {
    count: 1,
    facts: [[0, { name: "Vyki Englert", handle: "@vyki_e", utc: "2013-08-02T01:59:30.000Z", text: /^I'm a sucker for pledges\. @Peers Pledge #sharingeconomy/ }]],
    extra: (msgs) => assert.ok(msgs.every((m) => m.author.handle !== "@EnquetesOnline"), "the promoted tweet is skipped"),
  },
  "x-2.html": {
    count: 1,
    facts: [[0, { name: "Forbes", handle: "@Forbes", utc: "2026-01-27T08:00:00.000Z", text: /^Is Wellness The New Happy Hour\? As Socializing Changes, \$22 Billion In Liquor Sits Unsold/ }]],
  },
  "bluesky-1.html": {
    count: 1,
    facts: [[0, { name: "Stephen King", handle: "@stephenking.bsky.social", utc: "2026-01-26T18:50:48.357Z", text: /^The rightwing response to the murder of Alex Pretti is predictable/ }]],
  },
  "fb-messenger-export-1.html": {
    count: 20,
    facts: [[0, { name: "Second User 二", shown: "Friday, October 4, 2013 at 10:05pm PDT", utc: "2013-10-05T05:05:00.000Z", text: /^The last message! Hello/ }]],
  },
  // Negative cases: a post whose message is inside an iframe not saved with the page, and a
  // blog post without author or time markup.
  "telegram-web-1.html": { count: 0, facts: [] },
  "tumblr-1.html": { count: 0, facts: [] },
};

function fieldsOf(m) {
  return { id: m.id, name: m.author?.name, handle: m.author?.handle, utc: m.time?.utc, shown: m.time?.shown, text: m.text };
}

for (const [file, exp] of Object.entries(PAGES)) {
  test(`whole page of the real ${file}: every message once, with what SOURCES.md lists`, async (t) => {
    if (!available) return t.skip("../shared/fixtures/real-pages is not here");
    const page = await ext.context.newPage();
    await page.goto(`${srv.url}/real/${file}`, { waitUntil: "load" });
    const tall = await page.evaluate(() => (document.scrollingElement ?? document.documentElement).scrollHeight / innerHeight);
    const res = await send(lib, { type: "capture", tabId: await tabIdOf(lib, page), scope: "page" });
    assert.equal(res.ok, true, JSON.stringify(res));
    assert.equal(res.complete, true, JSON.stringify(res));
    const dump = await readStore(lib);
    const rec = checkStoreIntegrity(assert, dump).find((r) => r.id === res.item.id);
    const meta = metadataOf(dump, rec);
    assert.equal(meta.scope, "page");
    const msgs = meta.messages;
    if (tall > 1.5) assert.ok(meta.conversation.screens >= 2, `${file} (${tall.toFixed(1)} screens tall) took ${meta.conversation.screens} screens`);
    assert.equal(msgs.length, exp.count, `${file}: ${msgs.length} messages: ${JSON.stringify(msgs.map((m) => [m.id, m.author?.name, m.text?.slice(0, 30)]))}`);
    assert.equal(new Set(msgs.map((m) => m.key)).size, msgs.length, "every message once");
    for (const [which, want] of exp.facts) {
      const m = typeof which === "function" ? msgs.find(which) : msgs.at(which);
      assert.ok(m, `${file}: message ${which} is there`);
      const got = fieldsOf(m);
      for (const [k, v] of Object.entries(want)) {
        if (v instanceof RegExp) assert.match(got[k] ?? "", v, `${file} ${which}: ${k}`);
        else assert.equal(got[k], v, `${file} ${which}: ${k}`);
      }
    }
    exp.extra?.(msgs);
    await page.close();
  });
}
