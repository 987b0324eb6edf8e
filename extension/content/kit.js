// @ts-check
// content/kit.js: the first file of the page extractor (see content/extract.js): safe DOM
// access captured before the page can interfere, strings, the text walker, the page and
// environment readers, the shared field readers and the generic extractor.
//
// Every capture injects the extractor's files in order (EXTRACTOR_FILES, content/files.js)
// into the isolated world. This one creates a fresh namespace, globalThis.__evidenceExtractor
// ({brand, kit, adapters, error}); each content/adapters/*.js file adds its adapter; the last,
// content/extract.js, runs the extraction and deletes the namespace. Classic scripts, no
// top-level declarations (a second injection into the same world must not clash), and
// nothing throws out: a failure is kept in `error` and returned in the result.
(() => {
  "use strict";
  const NS = { brand: "evidence-extractor/1", kit: null, adapters: Object.create(null), error: null };
  globalThis.__evidenceExtractor = NS;
  try {
    NS.kit = makeKit();
  } catch (e) {
    NS.error = String((e && e.message) || "extraction failed").slice(0, 500);
  }

  function makeKit() {
    const MAX_MESSAGES = 500;
    const MAX_SCAN = 5000; // matching elements looked at per query (a cap against huge DOMs)
    const MAX_KEY = 128; // meta property names are truncated to this
    let opts = null;
    try { opts = globalThis.__evidenceOptions; } catch { /* absent */ }
    const INCLUDE_OFFSCREEN = !!opts && typeof opts === "object" && opts.includeOffscreen === true;
    const MAX_TEXT = 20000;
    const MAX_FIELD = 2048;
    const MAX_META = 200;

    // ---- safe DOM access ------------------------------------------------------------------
    const uncurry = (fn) => Function.prototype.call.bind(fn);
    const getter = (proto, name) => uncurry(Object.getOwnPropertyDescriptor(proto, name).get);
    const EP = Element.prototype, DP = Document.prototype, NP = Node.prototype;
    const elQSA = uncurry(EP.querySelectorAll), elQS = uncurry(EP.querySelector);
    const docQSA = uncurry(DP.querySelectorAll), docQS = uncurry(DP.querySelector);
    const getAttr = uncurry(EP.getAttribute), matches = uncurry(EP.matches), closestEl = uncurry(EP.closest);
    const rectOf = uncurry(EP.getBoundingClientRect);
    const checkVis = EP.checkVisibility ? uncurry(EP.checkVisibility) : null;
    const contains = uncurry(NP.contains);
    const firstChild = getter(NP, "firstChild"), nextSibling = getter(NP, "nextSibling");
    const nodeType = getter(NP, "nodeType"), textContent = getter(NP, "textContent");
    const parentElement = getter(NP, "parentElement"), baseURI = getter(NP, "baseURI");
    const localName = getter(EP, "localName"), nextElementSibling = getter(EP, "nextElementSibling");
    const scrollW = getter(EP, "scrollWidth"), scrollH = getter(EP, "scrollHeight");
    const charData = getter(CharacterData.prototype, "data");
    const docTitle = getter(DP, "title"), docElement = getter(DP, "documentElement"), docBody = getter(DP, "body");
    const doc = document;

    const qs = (root, sel) => (root === doc ? docQS(doc, sel) : elQS(root, sel));
    const $ = (sel) => docQS(doc, sel);
    const attr = (el, name) => (el ? str(getAttr(el, name)) : null);

    // ---- strings ----------------------------------------------------------------------------
    function str(v, max = MAX_FIELD) {
      if (v === null || v === undefined) return null;
      const s = String(v).trim();
      return s ? s.slice(0, max) : null;
    }
    const oneLine = (s) => (s === null ? null : str(s.replace(/\s+/g, " ")));
    const num = (v) => {
      const n = typeof v === "number" ? v : v === null || v === undefined || v === "" ? NaN : Number(v);
      return Number.isFinite(n) ? n : null;
    };
    function parseJSON(s) {
      if (typeof s !== "string" || s.length > 200000) return null;
      try { return JSON.parse(s); } catch { return null; }
    }
    const match1 = (s, re) => {
      const m = typeof s === "string" ? re.exec(s) : null;
      return m ? m[1] : null;
    };

    // ---- text: a walker that approximates what the user sees -----------------------------------
    const SKIP_TAGS = new Set(["script", "style", "noscript", "template", "svg", "button", "textarea", "select",
      "input", "iframe", "object", "embed", "canvas", "video", "audio", "head", "title"]);
    const PARA = new Set(["p", "blockquote", "pre", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6"]);
    const BLOCK = new Set(["div", "li", "tr", "dd", "dt", "dl", "section", "article", "header", "footer", "figure",
      "figcaption", "hr", "address", "aside", "nav", "main", "form", "fieldset", "details", "summary", "td", "th"]);
    const EMOJI_RE = /\p{Extended_Pictographic}/u;
    const isInline = (el) => getComputedStyle(el).display.startsWith("inline");

    // Multi-line text of `root`; skip(el) prunes subtrees. When the root is rendered, nodes
    // hidden with display:none are left out and inline <div>s don't break lines (X renders
    // @mentions in inline-flex divs). Emoji images count as their alt text.
    function textOf(root, skip) {
      if (!root) return null;
      const out = [];
      let len = 0;
      let pending = 0; // line break owed before the next text: 1 = newline, 2 = blank line
      const vis = checkVis !== null && checkVis(root);
      const push = (s) => {
        if (pending && out.length) out.push(pending > 1 ? "\n\n" : "\n");
        pending = 0;
        out.push(s);
        len += s.length;
      };
      const walk = (node, depth, pre) => {
        for (let n = firstChild(node); n && len <= MAX_TEXT; n = nextSibling(n)) {
          const type = nodeType(n);
          if (type === 3) {
            const t = pre ? charData(n) : charData(n).replace(/[\t\n\f\r ]+/g, " ");
            if (t && (t !== " " || !pending)) push(t);
            continue;
          }
          if (type !== 1) continue;
          const tag = localName(n);
          if (SKIP_TAGS.has(tag) || getAttr(n, "hidden") !== null) continue;
          if (tag === "br") { push("\n"); continue; }
          if (tag === "img") {
            const alt = getAttr(n, "alt") || "";
            const hint = (getAttr(n, "src") || "") + " " + (getAttr(n, "class") || "");
            if (alt && (/emoji/i.test(hint) || (alt.length <= 8 && EMOJI_RE.test(alt)))) push(alt);
            continue;
          }
          if ((skip && skip(n)) || (vis && !checkVis(n))) continue;
          const brk = PARA.has(tag) ? 2 : BLOCK.has(tag) && !(vis && tag === "div" && isInline(n)) ? 1 : 0;
          pending = Math.max(pending, brk);
          if (depth > 200) push(textContent(n) || "");
          else walk(n, depth + 1, pre || tag === "pre");
          pending = Math.max(pending, brk);
        }
      };
      walk(root, 0, false);
      const lines = out.join("").split("\n").map((l) => l.replace(/[ \t\u00a0]{2,}/g, " ").trim());
      const kept = [];
      for (const l of lines) if (l || (kept.length && kept[kept.length - 1])) kept.push(l);
      while (kept.length && !kept[kept.length - 1]) kept.pop();
      return kept.length ? kept.join("\n").slice(0, MAX_TEXT) : null;
    }
    const lineOf = (el, skip) => oneLine(textOf(el, skip));

    // ---- page metadata and environment ----------------------------------------------------------
    function readPage() {
      const og = {}, twitter = {}, article = {};
      let seen = 0;
      for (const m of docQSA(doc, "meta[property], meta[name]")) {
        if (++seen > 2000) break;
        const key = (getAttr(m, "property") || getAttr(m, "name") || "").slice(0, 4 * MAX_KEY).trim().toLowerCase().slice(0, MAX_KEY);
        const bucket = key.startsWith("og:") ? og : key.startsWith("twitter:") ? twitter : key.startsWith("article:") ? article : null;
        if (!bucket || key in bucket || Object.keys(bucket).length >= MAX_META) continue;
        const v = getAttr(m, "content") ?? getAttr(m, "value"); // some re-serialised pages use value=
        if (v !== null) bucket[key] = String(v).slice(0, MAX_FIELD);
      }
      let canonical = null;
      const link = $('link[rel~="canonical" i][href]');
      try {
        const u = link && new URL(getAttr(link, "href"), baseURI(doc));
        if (u && (u.protocol === "http:" || u.protocol === "https:")) canonical = u.href;
      } catch { /* not a URL */ }
      const html = docElement(doc);
      return { url: location.href, title: str(docTitle(doc)), lang: html ? attr(html, "lang") || attr(html, "xml:lang") : null,
        canonical, description: attr($('meta[name="description" i]'), "content"), og, twitter, article };
    }

    function readEnv() {
      const html = docElement(doc), body = docBody(doc);
      return {
        viewport: { width: innerWidth, height: innerHeight },
        device_pixel_ratio: devicePixelRatio,
        scroll: { x: scrollX, y: scrollY },
        document: { width: Math.max(html ? scrollW(html) : 0, body ? scrollW(body) : 0),
          height: Math.max(html ? scrollH(html) : 0, body ? scrollH(body) : 0) },
        user_agent: navigator.userAgent,
        language: navigator.language,
      };
    }

    // ---- shared field readers ----------------------------------------------------------------------
    // <time>/<abbr>/<meta>... -> time fields, plus the permalink: the link around or inside it.
    function timeFields(t, within) {
      if (!t) return {};
      const link = closestEl(t, "a[href]") || qs(t, "a[href]");
      const inside = link && (!within || contains(within, link));
      return {
        time_text: lineOf(t),
        time_datetime: attr(t, "datetime") || (localName(t) === "meta" ? attr(t, "content") : null),
        time_title: attr(t, "title") || (inside ? attr(link, "title") : null),
        permalink: inside ? attr(link, "href") : null,
      };
    }
    const handleFrom = (s) => (s && /^@[^\s@]/.test(s) ? s : null);
    function userFromPath(href, re) {
      const raw = match1(href, re);
      try { return raw && decodeURIComponent(raw); } catch { return raw; }
    }
    function hasLeafText(el, re, limit = 400) {
      let i = 0;
      for (const s of elQSA(el, "span, a, div")) {
        if (++i > limit) break;
        if (!elQS(s, "*") && re.test((textContent(s) || "").trim())) return true;
      }
      return false;
    }
    const AD_LABEL = /^(Ad|Ads|Promoted|Sponsored|Promocionado|Patrocinado|Anuncio|Sponsorisé|Gesponsert|Anzeige|Sponsorizzato)$/i;

    // ---- generic extractor: semantic markup ------------------------------------------------------
    const GENERIC_ITEMS = 'article, [role="article"], [itemtype*="Comment"], [itemtype*="DiscussionForumPosting"], ' +
      '[itemtype*="SocialMediaPosting"], [itemprop="comment"]';
    const BODY_SEL = '[itemprop="articleBody"], [itemprop="text"], [itemprop="commentText"], .e-content, .entry-content, ' +
      ".post-content, .post-body, .comment-content, .comment-body, .comment__body, .message-body";
    const AUTHOR_SEL = '.p-author, .author, .byline, .username, .user-name, [class*="author"], .h-card';
    const NOT_BODY = 'header, footer, nav, aside, time, [itemprop="author"], [rel~="author"], [itemprop="datePublished"], [role="toolbar"]';

    function genericRead(el, q) {
      const out = {};
      // Author: microdata, rel=author, author-ish classes, then the first link in the header.
      let a = q('[itemprop="author"]');
      if (a) {
        const name = qs(a, '[itemprop="name"]');
        const url = localName(a) === "a" ? a : qs(a, '[itemprop="url"], a[href]');
        out.author_name = name ? attr(name, "content") || lineOf(name) : lineOf(a);
        out.author_url = attr(url, "href") || attr(url, "content");
      } else {
        a = q('a[rel~="author"], link[rel~="author"]') || q(AUTHOR_SEL);
        const header = a ? null : q("header");
        if (header) {
          for (const l of elQSA(header, "a[href]")) {
            if (!elQS(l, "time") && !(getAttr(l, "href") || "").startsWith("#") && lineOf(l)) { a = l; break; }
          }
        }
        if (a) {
          out.author_name = lineOf(a);
          out.author_url = attr(localName(a) === "a" || localName(a) === "link" ? a : qs(a, "a[href]"), "href");
        }
      }
      out.author_handle = handleFrom(out.author_name) || handleFrom(lineOf(q('[class*="handle"], .p-nickname')));
      // Time: datePublished wins; a dateModified <time> is never the post time.
      const t = q('[itemprop="datePublished"]') || q('time[datetime]:not([itemprop="dateModified"])') ||
        q('time:not([itemprop="dateModified"])') || q("abbr[title], [data-utime], [class*='time'][title], [class*='date'][title]");
      Object.assign(out, timeFields(t, el));
      out.time_epoch = num(attr(t, "data-utime"));
      out.permalink = out.permalink || attr(q('a[rel~="bookmark"], a.u-url'), "href");
      out.id = attr(el, "id") || attr(el, "data-id") || attr(el, "data-post-id") || attr(el, "data-comment-id") || attr(el, "itemid");
      const body = q(BODY_SEL);
      out.text = body ? textOf(body) : textOf(el, (n) => n === a || matches(n, NOT_BODY) || matches(n, GENERIC_ITEMS));
      return out;
    }
    const genericPromoted = (el) => matches(el, '.promotedlink, .promoted, .sponsored, [data-promoted="true"]') ||
      !!elQS(el, 'a[aria-label="Sponsored"], a[href*="/ads/about"]');

    return { MAX_MESSAGES, MAX_SCAN, opts, INCLUDE_OFFSCREEN, MAX_TEXT, MAX_FIELD, MAX_META, uncurry, getter, EP, DP, NP, elQSA, elQS, docQSA, docQS, getAttr, matches, closestEl, rectOf, checkVis, contains, firstChild, nextSibling, nodeType, textContent, parentElement, baseURI, localName, nextElementSibling, scrollW, scrollH, charData, docTitle, docElement, docBody, doc, qs, $, attr, str, oneLine, num, parseJSON, match1, SKIP_TAGS, PARA, BLOCK, EMOJI_RE, isInline, textOf, lineOf, readPage, readEnv, timeFields, handleFrom, userFromPath, hasLeafText, AD_LABEL, GENERIC_ITEMS, BODY_SEL, AUTHOR_SEL, NOT_BODY, genericRead, genericPromoted };
  }
})();
