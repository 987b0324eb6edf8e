// Library benchmark in the real extension (merged into ./build.sh bench).
//
// Seeds 10,000 realistic items straight into the extension's IndexedDB (records sealed
// by the WASM core, catalog entries written by store.js in the same transactions; tiny
// artifacts, since the library never reads blobs to list items), then measures:
//   library_first_paint_ms_10k  navigation to library.html -> first rows painted
//                               (the frame after the rows are in the DOM), median of N runs
//   search_ms_10k               a full-text search over the 10,000 items -> results
//                               painted, median of N searches
//   library_first_paint_ms_10k_locked
//                               the same first paint, in a second profile whose 10,000
//                               items are stored behind the passphrase lock (unlocked
//                               session): catalog entries are age-encrypted at rest
//   library_loaded_ms_10k_locked navigation -> every entry decrypted and the page ready
//   age_decrypt_ms_per_entry    one catalog entry's decryption (X25519 unwrap + payload)
// Prints a table and, as its last line, "BENCH {json}".
import { launch, openExtPage } from "../lib/extension.mjs";

const ITEMS = Number(process.env.BENCH_ITEMS || 10_000);
const RUNS = Math.max(7, Number(process.env.BENCH_RUNS || 9));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x) => Math.round(x * 10) / 10;

// First paint: a fresh navigation each run (the first one is the cold one).
async function firstPaints(ext, lib) {
  const paint = [];
  const rowsInDom = [];
  const loaded = [];
  for (let i = 0; i < RUNS; i++) {
    await lib.goto(ext.url("library.html"));
    await lib.waitForFunction(() => performance.getEntriesByName("library-first-rows-painted").length > 0, null, { timeout: 30_000 });
    const m = await lib.evaluate(() => ({
      painted: performance.getEntriesByName("library-first-rows-painted")[0].startTime,
      dom: performance.getEntriesByName("library-first-rows")[0].startTime,
      rows: document.querySelectorAll("#items > li").length,
      locked: document.body.dataset.locked === "true",
    }));
    if (m.locked) throw new Error("the library shows the unlock form");
    if (m.rows < 1) throw new Error("no rows were painted");
    paint.push(m.painted);
    rowsInDom.push(m.dom);
    // Let this page finish loading (catalog, thumbnails) before the next navigation, so
    // that each run starts from an idle database as a person opening the library does.
    await lib.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
    await lib.waitForFunction(() => performance.getEntriesByName("library-all-entries").length > 0, null, { timeout: 60_000 });
    loaded.push(await lib.evaluate(() => performance.getEntriesByName("library-all-entries")[0].startTime));
    await lib.waitForTimeout(500);
  }
  return { paint, rowsInDom, loaded };
}

// The same 10,000 items behind the passphrase lock, in a profile of their own.
async function lockedRun() {
  const ext = await launch();
  try {
    const lib = await openExtPage(ext, "library.html");
    await lib.evaluate(async () => {
      const { setPassphrase } = await import("./store/lock.js");
      await setPassphrase("bench passphrase, long enough");
    });
    const t0 = Date.now();
    await lib.evaluate(seed, ITEMS);
    const seedMs = Date.now() - t0;
    const atRest = await lib.evaluate(async () => {
      const { openDb } = await import("./store/db.js");
      const db = await openDb();
      return new Promise((res) => {
        const r = db.transaction("catalog").objectStore("catalog").getAll(null, 5);
        r.onsuccess = () => res(r.result.every((e) => e.enc === 1 && e.sealed instanceof Uint8Array && e.title === undefined));
      });
    });
    if (!atRest) throw new Error("the locked library's catalog is not encrypted at rest");
    // One catalog entry's decryption, in the page (the core and the identity as the library uses them).
    const perEntry = await lib.evaluate(async () => {
      const { core, coreReady } = await import("./shared/core.js");
      const { currentIdentity } = await import("./shared/lockstate.js");
      const { openDb } = await import("./store/db.js");
      await coreReady();
      const identity = await currentIdentity();
      const db = await openDb();
      const entries = await new Promise((res) => {
        const r = db.transaction("catalog").objectStore("catalog").getAll(null, 400);
        r.onsuccess = () => res(r.result);
      });
      const t = performance.now();
      for (const e of entries) core.lockDecrypt(identity, e.sealed);
      return (performance.now() - t) / entries.length;
    });
    const runs = await firstPaints(ext, lib);
    return { ...runs, seedMs, perEntry };
  } finally {
    await ext.close();
  }
}

const ext = await launch();
try {
  const lib = await openExtPage(ext, "library.html");
  const t0 = Date.now();
  const seeded = await lib.evaluate(seed, ITEMS);
  const seedMs = Date.now() - t0;
  const { paint, rowsInDom } = await firstPaints(ext, lib);

  // Search: the whole catalog is in memory once the page is ready; each search filters
  // all 10,000 items and paints the first page of results.
  await lib.waitForSelector("body[data-ready=true]");
  await lib.waitForFunction((n) => /^[\d,.\s ]+ items in the timeline/.test(document.getElementById("count").textContent) && document.getElementById("count").textContent.replace(/\D/g, "").startsWith(String(n)), ITEMS);
  const terms = ["allotment", "red door", "silent calls", "drew", "maya okafor", "waiting outside", "flowers", "no-such-word-anywhere", "you can't hide", "car park"];
  const search = [];
  const matches = [];
  for (let i = 0; i < Math.max(RUNS, terms.length); i++) {
    const term = terms[i % terms.length];
    const r = await lib.evaluate(async (q) => {
      const input = document.getElementById("search");
      const rendered = new Promise((res) => document.addEventListener("library-rendered", res, { once: true }));
      const t = performance.now();
      input.value = q;
      document.getElementById("filters").requestSubmit();
      await rendered;
      await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
      return { ms: performance.now() - t, count: document.getElementById("count").textContent };
    }, term);
    search.push(r.ms);
    matches.push(`${term}: ${r.count}`);
  }

  await ext.close();
  const locked = await lockedRun();
  const result = {
    library_first_paint_ms_10k: round(median(paint)),
    search_ms_10k: round(median(search)),
    library_first_paint_ms_10k_locked: round(median(locked.paint)),
    library_loaded_ms_10k_locked: round(median(locked.loaded)),
    age_decrypt_ms_per_entry: Math.round(locked.perEntry * 1000) / 1000,
  };
  console.log(`seeded ${seeded.items} items (${seeded.captures} captures, ${seeded.incidents} diary entries, ${seeded.amendments} notes) in ${(seedMs / 1000).toFixed(1)} s`);
  for (const m of matches.slice(0, terms.length)) console.log(`  search ${m}`);
  console.log("");
  console.log("metric                          median     min      max    runs");
  const line = (name, xs) => console.log(`${name.padEnd(30)} ${round(median(xs)).toFixed(1).padStart(7)} ${round(Math.min(...xs)).toFixed(1).padStart(7)} ${round(Math.max(...xs)).toFixed(1).padStart(8)} ${String(xs.length).padStart(6)}`);
  line("library_first_paint_ms_10k", paint);
  line("  (rows in the DOM, ms)", rowsInDom);
  line("search_ms_10k", search);
  console.log(`locked profile: seeded in ${(locked.seedMs / 1000).toFixed(1)} s`);
  line("..._locked (first paint)", locked.paint);
  line("  (rows in the DOM, ms)", locked.rowsInDom);
  line("  (all entries decrypted)", locked.loaded);
  console.log(`BENCH ${JSON.stringify(result)}`);
} finally {
  await ext.close();
}

// Runs in the library page: build and commit `n` items through the real store and core.
async function seed(n) {
  const { core, coreReady, hashBytes } = await import("./shared/core.js");
  const store = await import("./store/ledger.js");
  await coreReady();
  const genesis = core.genesis();
  const enc = new TextEncoder();
  // A few small distinct screenshots (real PNGs, so thumbnails can be made).
  const shots = [];
  for (let k = 0; k < 16; k++) {
    const c = new OffscreenCanvas(160, 100);
    const g = c.getContext("2d");
    g.fillStyle = `hsl(${k * 22}, 60%, 70%)`;
    g.fillRect(0, 0, 160, 100);
    g.fillStyle = "#222";
    g.fillText(`page ${k}`, 10, 50);
    const bytes = new Uint8Array(await (await c.convertToBlob({ type: "image/png" })).arrayBuffer());
    shots.push({ bytes, sha256: hashBytes(bytes) });
  }
  const people = [["Drew Hollis", "@dhollis_77"], ["watching you", "@nightowl_2231"], ["Trent K", "@trentk_0"], ["Maya Okafor", "@mayaokafor_art"], ["Sam Reid", "@samr"], ["J", "@j_unknown"]];
  const lines = [
    "I know where you live. Nice red door.", "Saw you leave the studio at 6. Same time tomorrow?", "You can't hide from me.",
    "Why did you block me? I only want to talk.", "I was waiting outside your work today.", "Everyone should know what she did.",
    "Tell me who you were with at the allotment.", "Blocking my other account changed nothing.", "I sent you flowers. Did you like them?",
  ];
  const sites = ["x.com", "www.facebook.com", "www.instagram.com", "mail.google.com", "discord.com", "www.reddit.com"];
  const types = ["being_followed", "phone_call", "text_message", "note_or_letter", "gift_left", "visit_home", "watching", "damage_to_property"];
  const start = Date.UTC(2024, 10, 25);
  const span = 2 * 365 * 86_400_000;
  const counts = { items: n, captures: 0, incidents: 0, amendments: 0 };
  const batch = 400;
  let made = 0;
  while (made < n) {
    const items = [];
    for (let j = 0; j < batch && made < n; j++, made++) {
      const i = made;
      const at = start + Math.floor((i / n) * span);
      const r = i % 20;
      if (r < 16) {
        counts.captures++;
        const site = sites[i % sites.length];
        const msgs = Array.from({ length: 2 + (i % 4) }, (_, k) => {
          const [name, handle] = people[(i + k) % people.length];
          return { author_name: name, author_handle: handle, text: `${lines[(i + k) % lines.length]} (${i}.${k})`, time_datetime: new Date(at - k * 60_000).toISOString(), visible: true };
        });
        const raw = { platform: "generic", page: { url: `https://${site}/post/${i}`, title: `Post ${i} on ${site}`, og: {} }, env: { viewport: { width: 1280, height: 800 }, device_pixel_ratio: 1, scroll: { x: 0, y: 0 } }, messages: msgs };
        const ctx = { captured_at_ms: at, local_offset_minutes: 0, trigger: "popup", tab_url: raw.page.url, missing: [] };
        const built = core.buildCapture(raw, ctx);
        const shot = shots[i % shots.length];
        const page = enc.encode(`MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n\r\n<html>${i}</html>`);
        const pageSha = hashBytes(page);
        const metaSha = hashBytes(built.metadataJson);
        const draft = {
          id: `bench-${i}`, kind: "capture", captured_at_ms: at, local_offset_minutes: 0, time_zone: "Europe/London",
          artifacts: [
            { name: "screenshot.png", media_type: "image/png", bytes: shot.bytes.length, sha256: shot.sha256 },
            { name: "page.mhtml", media_type: "multipart/related", bytes: page.length, sha256: pageSha },
            { name: "metadata.json", media_type: "application/json", bytes: built.metadataJson.length, sha256: metaSha },
          ],
          metadata: built.summary,
        };
        items.push({
          seal: (head) => core.sealRecord(draft, head),
          blobs: [
            { sha256: shot.sha256, mediaType: "image/png", bytes: shot.bytes },
            { sha256: pageSha, mediaType: "multipart/related", bytes: page },
            { sha256: metaSha, mediaType: "application/json", bytes: built.metadataJson },
          ],
          summary: built.summary,
        });
      } else if (r < 19) {
        counts.incidents++;
        const occurred = new Date(at - 3_600_000);
        const built = core.buildIncident(
          {
            occurred_at: occurred.toISOString().replace(/\.\d+Z$/, "+00:00"),
            type: types[i % types.length],
            location: ["Car park behind work", "Front doorstep", "Bus stop on Alder Street", "Supermarket"][i % 4],
            what_happened: `${["Three silent calls from a withheld number.", "A note under the wiper.", "He was waiting outside the gym again.", "Flowers left on the doorstep with a card."][i % 4]} Entry ${i}.`,
            person: { name: i % 3 ? "Drew Hollis" : null, description: "Tall, grey coat" },
            witnesses: i % 5 ? null : "Neighbour at number 12",
            effect: "Scared to go out alone.",
            police: { reported: i % 7 === 0, reference: i % 7 === 0 ? `CAD ${i}` : null, officer: null },
            attachments: [],
          },
          { entered_at_ms: at, local_offset_minutes: 0 },
        );
        const draft = { id: `bench-${i}`, kind: "incident", captured_at_ms: at, local_offset_minutes: 0, time_zone: "Europe/London", artifacts: built.artifacts, metadata: built.metadata };
        items.push({ seal: (head) => core.sealRecord(draft, head), blobs: [], summary: built.summary });
      } else {
        counts.amendments++;
        const target = { seq: Math.max(0, i - 5), id: `bench-${Math.max(0, i - 5)}`, record_sha256: "a".repeat(64) };
        const built = core.buildAmendment({ target, note: `The time was about 10 minutes later (note ${i}).`, correction: i % 2 === 0, attachments: [] }, { entered_at_ms: at, local_offset_minutes: 0 });
        const draft = { id: `bench-${i}`, kind: "amendment", captured_at_ms: at, local_offset_minutes: 0, time_zone: "Europe/London", artifacts: [], metadata: built.metadata };
        items.push({ seal: (head) => core.sealRecord(draft, head), blobs: [], summary: built.summary });
      }
    }
    await store.commitItems(items, { genesis, durability: "relaxed" });
  }
  return counts;
}
