// @ts-check
// content/extract.js: page extraction for the evidence-capture extension.
//
// The service worker injects this on demand with
//   chrome.scripting.executeScript({ target: { tabId }, files: EXTRACTOR_FILES }) (background/page-facts.js)
// and uses the value of the last expression: the IIFE call at the bottom. It's a classic
// script that runs in the isolated world. It only reads the DOM, makes no network
// requests and never throws: on failure it returns the same shape with `error`.
//
// Result (schema 1):
//   { schema: 1, platform,
//     page: { url, title, lang, canonical, description, og: {"og:*"}, twitter: {"twitter:*"}, article: {"article:*"} },
//     env: { viewport: {width, height}, device_pixel_ratio, scroll: {x, y}, document: {width, height}, user_agent, language },
//     messages: [RawMessage + { visible }], messages_offscreen, skipped_promoted, [error] }
// RawMessage = { platform, author_name, author_handle, author_url, text, time_text, time_datetime,
//   time_title, time_epoch, permalink, id } (+ `subject` for e-mail). Values are the page's raw
// strings or null. The Rust normaliser parses times, canonicalises handles, absolutises URLs
// and decodes snowflake ids; time_epoch is set only where the page has a machine epoch.
// `messages` holds the messages on screen (their box intersects the viewport): a capture
// records what the victim sees, and reading only those keeps a capture of a long thread fast
// (the whole thread is in the page snapshot). `messages_offscreen` counts the rest. With
// `globalThis.__evidenceOptions = {includeOffscreen: true}` set in the same (isolated) world
// first, off-screen messages are read too (at most 500, visible ones first), each with
// `visible: false`. Markup that only exists inside <noscript> is never rendered, so it is
// always read. At most MAX_SCAN (kit.js) matching elements are looked at, in document order;
// `messages_offscreen` counts the off-screen ones among those.
//
// The page is hostile. DOM clobbering (<form name="querySelectorAll">, <input name="nextSibling"
// form=...>) can shadow methods and properties of `document` and of <form> elements even in
// the isolated world, so DOM access goes through prototype functions captured at start-up.
//
// This is the last of the extractor's files (content/kit.js, content/adapters/*.js, then this):
// it reads the namespace the others filled in, and returns the result.

(() => {
  "use strict";
  const NS = globalThis.__evidenceExtractor;
  try {
    delete globalThis.__evidenceExtractor; // nothing stays behind in the world
  } catch { /* not deletable: harmless */ }
  try {
    if (!NS || NS.brand !== "evidence-extractor/1") throw new Error("the extractor was injected without its other files");
    if (NS.error) throw new Error(NS.error);
    return main(); // even the set-up inside main() can't throw out of the script
  } catch (e) {
    return { schema: 1, platform: "generic", page: emptyPage(), env: null, messages: [], messages_offscreen: 0,
      skipped_promoted: 0, error: String((e && e.message) || "extraction failed").slice(0, 500) };
  }

  function emptyPage() {
    let url = null;
    try { url = String(location.href); } catch { /* keep null */ }
    return { url, title: null, lang: null, canonical: null, description: null, og: {}, twitter: {}, article: {} };
  }

  function main() {
    const { MAX_MESSAGES, MAX_SCAN, INCLUDE_OFFSCREEN, MAX_TEXT, elQSA, docQSA, closestEl, rectOf, textContent, parentElement, doc, $, str, num, readPage, readEnv, GENERIC_ITEMS, genericRead, genericPromoted } = NS.kit;
    const ADAPTERS = NS.adapters;

    // Platform detection (hostname, then DOM signature, then og:site_name / canonical host) is
    // content/platform.js's, shared with the long capture's content/sweep.js.
    const detectPlatform = NS.detectPlatform;

    // ---- message collection ---------------------------------------------------------------------
    const FIELDS = ["author_name", "author_handle", "author_url", "text", "time_text", "time_datetime", "time_title", "time_epoch", "permalink", "id"];

    function isOnScreen(box) {
      for (const b of Array.isArray(box) ? box : [box]) {
        if (!b) continue;
        const r = rectOf(b);
        if ((r.width > 0 || r.height > 0) && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth) return true;
      }
      return false;
    }

    function toMessage(platform, raw, visible) {
      const m = { platform };
      for (const k of FIELDS) {
        const v = raw[k];
        m[k] = k === "time_epoch" ? num(v) : k === "text" ? (typeof v === "string" && v ? v.slice(0, MAX_TEXT) : null) : str(v);
      }
      if (raw.subject !== undefined) m.subject = str(raw.subject);
      m.visible = visible;
      const empty = !(m.author_name || m.author_handle || m.text || m.time_text || m.time_datetime || m.time_epoch !== null);
      return empty ? null : m;
    }

    // Reads every element matching `items` under `root`. Returns { messages, found, offscreen }.
    function collect(platform, ad, counters, root = doc, offscreenToo = INCLUDE_OFFSCREEN) {
      const { items, promoted, read } = ad;
      const ownQuery = (el) => (sel) => {
        for (const c of elQSA(el, sel)) if (closestEl(parentElement(c), items) === el) return c;
        return null;
      };
      const found = [];
      // A hostile page can hold any number of matching elements (100,000 nested articles):
      // look at the first MAX_SCAN in document order only, so the time is bounded.
      let scanned = 0;
      for (const el of docQSA(root, items)) {
        if (++scanned > MAX_SCAN) break;
        const q = ownQuery(el);
        try {
          if (promoted && promoted(el, q)) { counters.skipped_promoted++; continue; }
        } catch { /* treat as ordinary content */ }
        let vis = false;
        try { vis = isOnScreen(el); } catch { /* unknown: off-screen */ }
        found.push({ el, q, vis });
      }
      // Visible ones first, then (when asked for) the rest in order.
      let budget = offscreenToo ? MAX_MESSAGES - found.filter((f) => f.vis).length : 0;
      const state = {};
      const messages = [];
      let offscreen = 0;
      for (const f of found) {
        if (!f.vis && budget-- <= 0) { offscreen++; continue; }
        let raw;
        try { raw = read(f.el, f.q, state) || {}; } catch { continue; }
        const visible = raw.box === undefined || raw.box === f.el ? f.vis : raw.box ? isOnScreen(raw.box) : false;
        if (!visible && !offscreenToo) { offscreen++; continue; }
        const m = toMessage(platform, raw, visible);
        if (!m || messages.length >= MAX_MESSAGES) continue;
        messages.push(m);
        if (!visible) offscreen++;
      }
      return { messages, found: found.length, offscreen };
    }

    function extract() {
      const result = { schema: 1, platform: "generic", page: null, env: null, messages: [], messages_offscreen: 0, skipped_promoted: 0 };
      try {
        result.page = readPage();
        result.env = readEnv();
        const platform = (result.platform = detectPlatform(result.page));
        const counters = { skipped_promoted: 0 };
        const ad = ADAPTERS[platform];
        let got = ad ? collect(platform, ad, counters) : { messages: [], found: 0, offscreen: 0 };
        // Server-rendered markup inside <noscript> (Bluesky, Discourse crawler view) is raw text
        // when scripting is on: parse it in an inert document (DOMParser runs no scripts and
        // loads nothing). Such messages aren't rendered, so they're never `visible`.
        if (ad && ad.noscript && !got.found) {
          for (const n of docQSA(doc, "noscript")) {
            const raw = textContent(n) || "";
            if (raw.length > 2000000 || !raw.includes(ad.noscript)) continue;
            got = collect(platform, ad, counters, new DOMParser().parseFromString(raw, "text/html"), true);
            if (got.found) break;
          }
        }
        // The generic extractor runs when the adapter recognised nothing at all (not even an ad).
        if (!got.found && !counters.skipped_promoted) {
          got = collect(platform, { items: GENERIC_ITEMS, promoted: genericPromoted, read: genericRead }, counters);
        }
        result.messages = got.messages;
        result.messages_offscreen = got.offscreen;
        result.skipped_promoted = counters.skipped_promoted;
      } catch (e) {
        result.messages = [];
        result.messages_offscreen = 0;
        result.error = String((e && e.message) || e).slice(0, 500);
      }
      if (!result.page) result.page = emptyPage();
      return result;
    }

    return extract();
  }
})();
