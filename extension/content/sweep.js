// @ts-check
// content/sweep.js: the page side of a long capture (issue 11: a whole conversation or a
// whole page). Injected instead of content/extract.js, after content/kit.js and the platform
// adapters (SWEEP_FILES in content/files.js), into the isolated world. It installs a
// controller, globalThis.__evidenceSweep, that the worker drives one call at a time
// (background/long-capture.js): prepare, scrollTo, quiet, read, check, clickLoadOlder,
// hideFixed, restore. Like the extractor it only reads the DOM, except that it scrolls the
// conversation's container (and puts the user's position back) and, while loading the
// older end, may click the short list of "load older messages" controls in LOAD_OLDER;
// nothing else is ever clicked. Every call returns a plain value and never throws out.
(() => {
  "use strict";
  const NS = globalThis.__evidenceExtractor;
  try {
    delete globalThis.__evidenceExtractor;
  } catch { /* not deletable: harmless */ }
  const fail = (e) => ({ error: String((e && e.message) || e || "sweep failed").slice(0, 500) });
  if (!NS || NS.brand !== "evidence-extractor/1" || !NS.kit || NS.error) {
    const why = fail((NS && NS.error) || "the sweep was injected without the extractor's files");
    globalThis.__evidenceSweep = { prepare: () => why };
    return;
  }
  const K = NS.kit;
  const { elQSA, docQSA, closestEl, rectOf, parentElement, getAttr, textContent, matches, doc, str, num, MAX_TEXT, GENERIC_ITEMS, genericRead, genericPromoted, readPage, readEnv } = K;
  const FIELDS = ["author_name", "author_handle", "author_url", "text", "time_text", "time_datetime", "time_title", "time_epoch", "permalink", "id"];
  const SEPARATORS = '[role="separator"]';
  const DAY_WORD = /\b(today|yesterday|monday|tuesday|wednesday|thursday|friday|saturday|sunday|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}/i;
  // The only controls a long capture may click: ones that load older messages or show
  // replies. Never send, react, like, follow or anything the other person could see.
  const LOAD_OLDER = /^\s*(load|show|see|view)\s+(more|older|earlier|previous)\s+(messages|replies|comments|posts)\s*$|^\s*show\s+(more\s+)?replies\s*$/i;
  const MAX_ROWS = 2000;
  const BUSY = '[role="progressbar"], [aria-busy="true"]';

  const S = { ad: null, platform: "generic", container: null, isDoc: true, original: null, memo: new Map(), state: {},
    day: null, userInput: false, lastSet: null, clicked: [], hidden: [], listeners: [] };

  // The page extractor's choice (content/platform.js): the hostname, a DOM signature, then
  // og:site_name. Its adapter is used when it finds rows on the page, or (like the extractor)
  // when its rows exist only in server-rendered <noscript> markup, which no screen can show
  // (the core keeps those from the final page facts, as not on screen). Otherwise the adapter
  // with the most rows, else the generic reader.
  function pickAdapter() {
    let platform = "generic";
    try { platform = (NS.detectPlatform && NS.detectPlatform(readPage())) || "generic"; } catch { platform = "generic"; }
    const chosen = NS.adapters[platform];
    const count = (ad) => {
      try { return docQSA(doc, ad.items).length; } catch { return 0; }
    };
    if (chosen && count(chosen) > 0) return { platform, ad: chosen };
    if (chosen && chosen.noscript && [...docQSA(doc, "noscript")].some((n) => (textContent(n) || "").includes(chosen.noscript))) return { platform, ad: chosen };
    let best = null, bestCount = 0;
    for (const [name, ad] of Object.entries(NS.adapters)) {
      const n = count(ad);
      if (n > bestCount) { best = { platform: name, ad }; bestCount = n; }
    }
    if (best) return best;
    return { platform: "generic", ad: { items: GENERIC_ITEMS, read: genericRead, promoted: genericPromoted } };
  }

  function scrollableAncestor(el) {
    for (let n = el && parentElement(el); n; n = parentElement(n)) {
      const style = getComputedStyle(n);
      if (/(auto|scroll|overlay)/.test(style.overflowY) && n.scrollHeight > n.clientHeight + 1) return n;
    }
    return null;
  }

  const qsa = (root, sel) => (root === doc ? docQSA(doc, sel) : elQSA(root, sel));
  const scroller = () => (S.isDoc ? doc.scrollingElement || doc.documentElement : S.container);

  function viewRect() {
    if (S.isDoc) return { x: 0, y: 0, width: innerWidth, height: innerHeight };
    const r = rectOf(S.container);
    const x = Math.max(0, r.left), y = Math.max(0, r.top);
    return { x, y, width: Math.min(innerWidth, r.right) - x, height: Math.min(innerHeight, r.bottom) - y };
  }

  function geometry() {
    const sc = scroller();
    return { scroll_x: sc.scrollLeft, scroll_y: sc.scrollTop, scroll_height: sc.scrollHeight, client_height: S.isDoc ? innerHeight : sc.clientHeight,
      container: viewRect(), device_pixel_ratio: devicePixelRatio, viewport_width: innerWidth, hidden: doc.hidden };
  }

  function onInput(e) {
    if (e.isTrusted) S.userInput = true;
  }

  function prepare(opts) {
    const { platform, ad } = pickAdapter();
    S.platform = platform;
    S.ad = ad;
    let first = null;
    try { first = docQSA(doc, ad.items)[0] || null; } catch { first = null; }
    const inner = opts && opts.scope === "conversation" && first ? scrollableAncestor(first) : null;
    S.isDoc = !inner || inner === doc.scrollingElement;
    S.container = S.isDoc ? null : inner;
    const sc = scroller();
    S.original = { x: sc.scrollLeft, y: sc.scrollTop, fromBottom: sc.scrollHeight - sc.scrollTop, anchor: anchorNow() };
    for (const type of ["wheel", "touchmove", "keydown", "mousedown"]) {
      addEventListener(type, onInput, { capture: true, passive: true });
      S.listeners.push(type);
    }
    return { found: !!first, platform, inner: !S.isDoc, ...geometry() };
  }

  // The first message in view (by its id attribute) and how far below the view's top it is,
  // to put the user's view back even when older messages were loaded above it.
  function anchorNow() {
    const v = viewRect();
    let rows;
    try { rows = qsa(S.isDoc ? doc : S.container, S.ad.items); } catch { rows = []; }
    let n = 0;
    for (const el of rows) {
      if (++n > MAX_ROWS) break;
      const r = rectOf(el);
      if (!intersects(r, v)) continue;
      const key = idOf(el);
      return key ? { key, offset: r.top - v.y } : null;
    }
    return null;
  }
  // A message's own id, or the data-id of a wrapper that holds only that message.
  function idOf(el) {
    const own = getAttr(el, "id");
    if (own) return ["id", own];
    const wrap = closestEl(el, "[data-id]");
    if (wrap && elQSA(wrap, S.ad.items).length <= 1) return ["data-id", getAttr(wrap, "data-id")];
    return null;
  }
  function findAnchor(key) {
    let rows;
    try { rows = qsa(S.isDoc ? doc : S.container, S.ad.items); } catch { rows = []; }
    let n = 0;
    for (const el of rows) {
      if (++n > MAX_ROWS) break;
      const k = idOf(el);
      if (k && k[0] === key[0] && k[1] === key[1]) return el;
    }
    return null;
  }

  function scrollTo(y) {
    const sc = scroller();
    sc.scrollTop = Math.max(0, Number(y) || 0);
    S.lastSet = sc.scrollTop;
    return geometry();
  }

  // Resolves once nothing in the container changed for `quietMs`, its images are decoded
  // and two frames were painted; or after `maxMs` whatever happens.
  function quiet(opts) {
    const quietMs = (opts && opts.quietMs) || 150, maxMs = (opts && opts.maxMs) || 2500;
    const root = S.isDoc ? doc.documentElement : S.container;
    const t0 = performance.now();
    let last = t0;
    return new Promise((resolve) => {
      const mo = new MutationObserver(() => { last = performance.now(); });
      mo.observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
      const done = (timedOut) => {
        mo.disconnect();
        let frames = 0;
        const end = () => resolve({ waited_ms: Math.round(performance.now() - t0), timed_out: timedOut, ...geometry() });
        const guard = setTimeout(end, 200); // no frames in a hidden tab
        const frame = () => (++frames >= 2 ? (clearTimeout(guard), end()) : requestAnimationFrame(frame));
        requestAnimationFrame(frame);
      };
      const tick = () => {
        const now = performance.now();
        let loading = false;
        try {
          for (const img of elQSA(root, "img")) if (!img.complete) { loading = true; break; }
          // A spinner ("loading older messages") still showing: not quiet yet.
          for (const el of elQSA(root, BUSY)) if (rectOf(el).height > 0) { loading = true; break; }
        } catch { loading = false; }
        if (now - t0 >= maxMs) return done(true);
        if (now - last >= quietMs && !loading) return done(false);
        setTimeout(tick, 25);
      };
      setTimeout(tick, 25);
    });
  }

  // A message's rectangle: an adapter may give its box as several elements (Facebook's export:
  // the header and the next <p>); their union, or null when none can be measured.
  function boxRect(box) {
    let u = null;
    for (const b of Array.isArray(box) ? box : [box]) {
      let r;
      try { r = rectOf(b); } catch { continue; }
      u = u ? { left: Math.min(u.left, r.left), top: Math.min(u.top, r.top), right: Math.max(u.right, r.right), bottom: Math.max(u.bottom, r.bottom) } : { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    }
    return u && { ...u, width: u.right - u.left, height: u.bottom - u.top };
  }
  const intersects = (r, v) => r.bottom > v.y && r.top < v.y + v.height && r.right > v.x && r.left < v.x + v.width && (r.width > 0 || r.height > 0);

  // opts.band {y}: read a band of the document one viewport high whose top is at document y
  // `band.y`, without scrolling (Firefox draws it with tabs.captureTab's rect): geometry and
  // rectangles are given as if the document were scrolled there, so the segment index means
  // the same as for a swept page.
  function read(opts) {
    const band = S.isDoc && opts && opts.band && Number.isFinite(opts.band.y) ? opts.band : null;
    const g = geometry();
    const shift = band ? band.y - g.scroll_y : 0;
    if (band) g.scroll_y = band.y;
    const v = band ? { x: 0, y: shift, width: innerWidth, height: innerHeight } : g.container;
    const { items, read: readOne, promoted } = S.ad;
    const messages = [];
    let nodes;
    try { nodes = qsa(S.isDoc ? doc : S.container, `${items}, ${SEPARATORS}`); } catch { nodes = []; }
    let rows = 0;
    for (const el of nodes) {
      if (++rows > MAX_ROWS) break;
      if (matches(el, SEPARATORS) && !matches(el, items)) {
        const label = str(getAttr(el, "aria-label")) || str(el.textContent, 200);
        if (label && DAY_WORD.test(label)) S.day = label;
        continue;
      }
      const memoKey = getAttr(el, "id") || getAttr(el, "data-id") || null;
      const known = memoKey ? S.memo.get(memoKey) : null;
      if (known) {
        // Rows seen before carry what their neighbours told us then (author, day).
        S.state.author = known.author;
        S.state.authorId = known.authorId;
        S.day = known.day;
      }
      const q = (sel) => {
        for (const c of elQSA(el, sel)) if (closestEl(parentElement(c), items) === el) return c;
        return null;
      };
      // Adverts ("Promoted", "Sponsored") are skipped, as the one-screen extractor skips them.
      let advert = false;
      try { advert = !!(promoted && promoted(el, q)); } catch { /* treat as ordinary content */ }
      if (advert) continue;
      let raw;
      try { raw = readOne(el, q, S.state) || {}; } catch { continue; }
      if (memoKey) S.memo.set(memoKey, { author: S.state.author ?? raw.author_name ?? null, authorId: raw.author_id ?? S.state.authorId ?? null, day: S.day });
      const r = boxRect(raw.box && raw.box !== el ? raw.box : el);
      if (!r || !intersects(r, v)) continue;
      const m = { platform: S.platform };
      for (const k of FIELDS) {
        const val = raw[k];
        m[k] = k === "time_epoch" ? num(val) : k === "text" ? (typeof val === "string" && val ? val.slice(0, MAX_TEXT) : null) : str(val);
      }
      m.author_id = str(raw.author_id);
      m.day_label = S.day;
      m.rect = { x: r.left, y: r.top - shift, width: r.width, height: r.height };
      messages.push(m);
    }
    return { ...g, messages };
  }

  function check() {
    return { user_input: S.userInput, moved: S.lastSet !== null && Math.abs(scroller().scrollTop - S.lastSet) > 1, ...geometry() };
  }

  // At the older end, click one allowed "load older" control if there is one.
  function clickLoadOlder() {
    const root = S.isDoc ? doc : S.container;
    for (const el of qsa(root, 'button, [role="button"], a[href="#"]')) {
      const label = str(getAttr(el, "aria-label")) || str(el.textContent, 80);
      if (!label || !LOAD_OLDER.test(label)) continue;
      if (S.clicked.length >= 200) return { clicked: false };
      S.clicked.push(label);
      el.click();
      return { clicked: true, label };
    }
    return { clicked: false };
  }

  // Whole page: after the first screen, fixed and sticky elements (headers, banners)
  // would repeat on every screen; hide them until restore().
  function hideFixed() {
    let n = 0;
    for (const el of docQSA(doc, "body *")) {
      if (++n > 20000) break;
      const pos = getComputedStyle(el).position;
      if (pos !== "fixed" && pos !== "sticky") continue;
      S.hidden.push([el, getAttr(el, "style")]); // the attribute as it was, to put back exactly
      el.style.setProperty("visibility", "hidden", "important");
    }
    return { hidden: S.hidden.length };
  }

  function restore() {
    for (const [el, style] of S.hidden.splice(0)) {
      // Chromium syncs an inline style changed through el.style into the attribute lazily:
      // clear the declaration first, or a later read brings back style="".
      el.style.removeProperty("visibility");
      if (style === null) el.removeAttribute("style");
      else el.setAttribute("style", style);
      if (getAttr(el, "style") !== style) style === null ? el.removeAttribute("style") : el.setAttribute("style", style);
    }
    for (const type of S.listeners.splice(0)) removeEventListener(type, onInput, { capture: true });
    const sc = scroller();
    const o = S.original;
    if (o) {
      sc.scrollLeft = o.x;
      // Older messages loaded above move the user's view down by their height: keep the
      // distance from the newest end, then line the first message the user saw up again.
      sc.scrollTop = sc.scrollHeight - o.fromBottom === o.y ? o.y : Math.max(0, sc.scrollHeight - o.fromBottom);
      const el = o.anchor && findAnchor(o.anchor.key);
      if (el) sc.scrollTop += rectOf(el).top - viewRect().y - o.anchor.offset;
    }
    return { clicked: S.clicked.slice(), restored: S.original, ...geometry() };
  }

  const guard = (fn) => (arg) => {
    try {
      const v = fn(arg);
      return v && typeof v.then === "function" ? v.catch(fail) : v;
    } catch (e) {
      return fail(e);
    }
  };
  globalThis.__evidenceSweep = { prepare: guard(prepare), scrollTo: guard(scrollTo), quiet: guard(quiet), read: guard(read), check: guard(check),
    clickLoadOlder: guard(clickLoadOlder), hideFixed: guard(hideFixed), restore: guard(restore), page: guard(() => ({ page: readPage(), env: readEnv() })) };
})();
