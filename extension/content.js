// content.js: page extraction for the evidence-capture extension.
//
// The service worker injects this on demand with
//   chrome.scripting.executeScript({ target: { tabId }, files: ["content.js"] })
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
// always read.
//
// The page is hostile. DOM clobbering (<form name="querySelectorAll">, <input name="nextSibling"
// form=...>) can shadow methods and properties of `document` and of <form> elements even in
// the isolated world, so DOM access goes through prototype functions captured at start-up.

(() => {
  "use strict";
  try {
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
    const MAX_MESSAGES = 500;
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
        const key = (getAttr(m, "property") || getAttr(m, "name") || "").trim().toLowerCase();
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

    // ---- platform adapters --------------------------------------------------------------------
    // items: selector of message elements. promoted(el, q): true = skip and count.
    // read(el, q, state): RawMessage fields, plus optional `box` (element(s) whose position
    // decides `visible`) and `subject`. q(sel): first match inside el, not inside a nested item.
    // noscript: marker of server-rendered markup that only exists inside <noscript>.
    const ADAPTERS = {
      twitter: {
        items: 'article[data-testid="tweet"], div.tweet[data-tweet-id]',
        promoted(el, q) {
          if (localName(el) !== "article") {
            return matches(el, ".promoted-tweet") || attr(el, "data-promoted") === "true" || attr(el, "data-disclosure-type") === "promoted";
          }
          const ctx = q('[data-testid="socialContext"]'); // "Pinned", "Promoted", "X reposted"...
          return (ctx && AD_LABEL.test(lineOf(ctx) || "")) || (!q("time") && hasLeafText(el, AD_LABEL));
        },
        read(el, q) {
          if (localName(el) !== "article") { // legacy twitter.com (2012-2019)
            const ts = q("span._timestamp[data-time]");
            const t = timeFields(ts, el);
            return { ...t, author_name: attr(el, "data-name"), author_handle: attr(el, "data-screen-name"),
              author_url: attr(q("a.account-group"), "href"), text: textOf(q(".js-tweet-text-container .tweet-text, p.tweet-text")),
              time_epoch: num(attr(ts, "data-time")), permalink: attr(el, "data-permalink-path") || t.permalink, id: attr(el, "data-tweet-id") };
          }
          const user = q('[data-testid="User-Name"]');
          const nameLink = user && elQS(user, "a[href]");
          let handle = null;
          if (user) for (const s of elQSA(user, "span")) if ((handle = handleFrom(lineOf(s)))) break;
          const notQuoted = (sel) => { // skip the quoted-tweet card
            for (const n of elQSA(el, sel)) {
              const quote = closestEl(n, 'div[role="link"]');
              if (!quote || !contains(el, quote)) return n;
            }
            return null;
          };
          const t = timeFields((user && elQS(user, "time")) || notQuoted("time"), el);
          return { ...t, author_name: lineOf(nameLink), author_handle: handle, author_url: attr(nameLink, "href"),
            text: textOf(notQuoted('[data-testid="tweetText"]')), id: match1(t.permalink, /\/status(?:es)?\/(\d+)/) };
        },
      },
      facebook: { // m.facebook.com stories and comments
        items: '[data-sigil~="story-div"], article, [data-sigil~="comment"]',
        promoted: (el, q) => genericPromoted(el) || hasLeafText(q("header") || el, /^Sponsored$/i, 200),
        read(el, q) {
          if (matches(el, '[data-sigil~="comment"]')) {
            const name = q("._2b05");
            return { author_name: name ? lineOf(elQS(name, "a") || name) : null, author_url: attr(name && elQS(name, "a[href]"), "href"),
              text: textOf(q('[data-sigil~="comment-body"]')), ...timeFields(q("abbr"), el), id: attr(el, "id") };
          }
          const ft = parseJSON(getAttr(el, "data-ft"));
          let epoch = null;
          for (const v of Object.values((ft && typeof ft.page_insights === "object" && ft.page_insights) || {})) {
            if ((epoch = num(v && v.post_context && v.post_context.publish_time)) !== null) break;
          }
          const who = q("header h3 a[href], header strong a[href], h3 a[href]");
          const abbr = q("header abbr") || q("abbr");
          return { ...timeFields(abbr, el), author_name: lineOf(who), author_url: attr(who, "href"), text: textOf(q("._5rgt")),
            time_epoch: epoch ?? num(attr(abbr, "data-utime")), id: ft ? str(ft.top_level_post_id ?? ft.mf_story_key) : attr(el, "id") };
        },
      },
      messenger: { // Facebook "Download your information" messages.htm: the text is the NEXT <p>
        items: "div.message",
        read(el, q) {
          const p = nextElementSibling(el);
          const body = p && localName(p) === "p" ? p : null;
          return { author_name: lineOf(q(".message_header .user, .user")), time_text: lineOf(q(".message_header .meta, .meta")),
            text: textOf(body), box: body ? [el, body] : el };
        },
      },
      instagram: {
        items: 'article, div[role="dialog"] ul li:has(time), main ul li:has(time)',
        read(el, q) {
          const who = q('header a[href^="/"], h2 a[href^="/"], h3 a[href^="/"], span a[href^="/"]');
          let text = null;
          for (const s of elQSA(el, 'h1, span[dir="auto"]')) {
            const v = textOf(s);
            if (v && v !== lineOf(who) && (!text || v.length > text.length)) text = v;
          }
          const t = timeFields(q("time"), el);
          return { ...t, author_name: lineOf(who), author_url: attr(who, "href"), text, id: match1(t.permalink, /\/(?:p|reel)\/([\w-]+)/) };
        },
      },
      whatsapp: { // data-pre-plain-text="[10:41, 25/11/2026] Name: "
        items: "[data-pre-plain-text]",
        read(el, q) {
          const m = /^\s*\[([^\]]*)\]\s*([\s\S]*?):\s*$/.exec(getAttr(el, "data-pre-plain-text") || "");
          return { author_name: m ? str(m[2]) : null, time_text: m ? str(m[1]) : null, text: textOf(q(".selectable-text") || el),
            id: attr(closestEl(el, "[data-id]"), "data-id"), box: closestEl(el, '[role="row"], .message-in, .message-out') || el };
        },
      },
      reddit: {
        items: 'shreddit-post, shreddit-comment, shreddit-ad-post, [data-testid="post-container"], div.Comment, .thing.link, .thing.comment',
        promoted: (el) => localName(el) === "shreddit-ad-post" || genericPromoted(el) || getAttr(el, "promoted") !== null,
        read(el, q) {
          const tag = localName(el);
          if (tag === "shreddit-post" || tag === "shreddit-comment") {
            const body = q(tag === "shreddit-post" ? '[slot="text-body"]' : '[slot="comment"], [id$="-comment-rtjson-content"]');
            const ts = q("faceplate-timeago time, time");
            return { author_name: attr(el, "author"), author_handle: attr(el, "author"), author_url: attr(q('a[href*="/user/"]'), "href"),
              text: [attr(el, "post-title"), textOf(body)].filter(Boolean).join("\n\n") || null, time_text: lineOf(ts),
              time_title: attr(ts, "title"), time_datetime: attr(el, "created-timestamp") || attr(ts, "datetime"),
              permalink: attr(el, "permalink") || attr(el, "content-href"), id: attr(el, "thingid") || attr(el, "id") };
          }
          if (matches(el, ".thing")) { // old.reddit.com
            const t = timeFields(q(".tagline time, time"), el);
            return { ...t, author_name: attr(el, "data-author"), author_handle: attr(el, "data-author"),
              author_url: attr(q(".tagline a.author, a.author"), "href"), text: textOf(q(".usertext-body .md")) || lineOf(q("a.title")),
              permalink: attr(el, "data-permalink") || t.permalink, id: attr(el, "data-fullname") };
          }
          // "new reddit" (2018-23): the author may only appear as a link to /user/NAME/ or a [to] attribute.
          const post = matches(el, '[data-testid="post-container"]');
          const who = q('[data-testid$="author_link"], [data-testid="comment_author_icon"], a[href^="/user/"]');
          const url = attr(who, "href") || attr(q('[to^="/user/"]'), "to");
          const name = (who && matches(who, '[data-testid$="author_link"]') ? lineOf(who) : null) || userFromPath(url, /\/(?:user|u)\/([^/?#]+)/);
          const ts = q('[data-testid="comment_timestamp"], [data-testid="post_timestamp"]');
          const body = textOf(q(post ? '[data-click-id="text"], [data-test-id="post-content"] .RichTextJSON-root' : '[data-testid="comment"]'));
          return { author_name: name, author_handle: name, author_url: url,
            text: [post ? lineOf(q("h1, h2, h3")) : null, body].filter(Boolean).join("\n\n") || null,
            time_text: lineOf(ts), permalink: ts && localName(ts) === "a" ? attr(ts, "href") : null,
            id: match1(attr(el, "class"), /\b(t[13]_[a-z0-9]+)\b/) || attr(el, "id") };
        },
      },
      mastodon: {
        items: ".status, .detailed-status",
        read(el, q) {
          const who = q(".status__display-name, .detailed-status__display-name, a.display-name");
          const t = timeFields(q("a.status__relative-time time, a.detailed-status__datetime time, time"), el);
          return { ...t, author_name: lineOf(q(".display-name__html, .display-name strong, .display-name bdi")),
            author_handle: lineOf(q(".display-name__account")), author_url: attr(who, "href"),
            permalink: t.permalink || attr(q("a.status__relative-time, a.detailed-status__datetime"), "href"),
            text: textOf(q(".status__content__text, .e-content, .status__content")), id: attr(closestEl(el, "[data-id]"), "data-id") };
        },
      },
      discord: { // grouped follow-up messages have no header: the author carries over
        items: 'li[id^="chat-messages-"]',
        read(el, q, state) {
          const mid = match1(attr(el, "id"), /(\d+)$/);
          const uname = q('[id^="message-username-"]');
          const name = (state.author = uname ? lineOf(elQS(uname, '[class*="username"]') || uname) : state.author || null);
          const time = q("time[datetime]");
          const t = timeFields(time, el);
          return { ...t, time_title: t.time_title || attr(time, "aria-label"), author_name: name, id: mid,
            text: textOf((mid && q(`[id="message-content-${mid}"]`)) || q('[id^="message-content-"]')) };
        },
      },
      telegram: {
        items: ".tgme_widget_message[data-post], .bubble[data-mid], .message[data-mid]:not(.bubble[data-mid] *)",
        read(el, q, state) {
          if (matches(el, ".tgme_widget_message")) { // t.me widget
            const who = q(".tgme_widget_message_owner_name");
            return { ...timeFields(q("time"), el), author_name: lineOf(who), author_url: attr(who, "href"),
              text: textOf(q(".tgme_widget_message_text")), permalink: attr(q("a.tgme_widget_message_date"), "href"), id: attr(el, "data-post") };
          }
          const name = (state.author = lineOf(q(".name .peer-title, .peer-title, .name")) || state.author || null);
          const time = q(".time-inner") || q(".time");
          return { author_name: name, text: textOf(q(".message") || el, (n) => matches(n, ".time, .reactions, .name, .reply")),
            time_text: lineOf(time), time_title: attr(time, "title"), time_epoch: num(attr(el, "data-timestamp")), id: attr(el, "data-mid") };
        },
      },
      tiktok: { // items are the comment text elements
        items: '[data-e2e="comment-level-1"], [data-e2e="comment-level-2"]',
        read(el) {
          const box = closestEl(el, '[class*="CommentContentContainer"], [class*="CommentItemContainer"], [class*="CommentObjectWrapper"]') ||
            parentElement(parentElement(el) || el) || el;
          const who = elQS(box, '[data-e2e^="comment-username"] a, a[href^="/@"]');
          const url = attr(who, "href");
          return { author_name: lineOf(who), author_handle: userFromPath(url, /\/@([^/?#]+)/), author_url: url, text: textOf(el),
            time_text: lineOf(elQS(box, '[data-e2e^="comment-time"], [class*="CreatedTime"]')), box };
        },
      },
      linkedin: {
        items: "section.comment, article.comments-comment-item, article.comments-comment-entity, " +
          'div.feed-shared-update-v2[data-urn], div[data-urn^="urn:li:activity"]:not(.feed-shared-update-v2 *)',
        promoted: (el, q) => /\bPromoted\b/.test(lineOf(q(".update-components-actor__sub-description")) || ""),
        read(el, q) {
          const who = q("a.comment__actor-name, .comments-post-meta__name-text, .comments-comment-meta__description-title, " +
            '.update-components-actor__title span[aria-hidden="true"], .update-components-actor__name');
          const link = (who && (closestEl(who, "a[href]") || elQS(who, "a[href]"))) ||
            q("a.comments-post-meta__actor-link, a.comments-comment-meta__image-link, a.update-components-actor__meta-link");
          const time = q('time.comment__time, time, .comments-comment-meta__data, .update-components-actor__sub-description span[aria-hidden="true"]');
          return { ...timeFields(time, el), author_name: lineOf(who), author_url: attr(link, "href"),
            text: textOf(q(".comment__message, .comments-comment-item__main-content, .update-components-text, .feed-shared-update-v2__description")),
            id: attr(el, "data-urn") || attr(el, "data-id") || attr(el, "id") };
        },
      },
      youtube: {
        items: "ytd-comment-view-model, ytd-comment-renderer",
        read(el, q) {
          const who = q("#author-text");
          const tl = q("#published-time-text a, .published-time-text a");
          return { author_name: lineOf(who), author_handle: handleFrom(lineOf(who)), author_url: attr(who, "href"),
            text: textOf(q("#content-text")), time_text: lineOf(tl), permalink: attr(tl, "href"), id: match1(attr(tl, "href"), /[?&]lc=([\w.-]+)/) };
        },
      },
      gmail: {
        items: ".adn.ads",
        read(el, q) {
          const from = q(".gD[email], [email][name]");
          const date = q(".g3");
          const idEl = matches(el, "[data-message-id]") ? el : q("[data-message-id], [data-legacy-message-id]");
          return { author_name: attr(from, "name") || lineOf(from), author_handle: attr(from, "email"), time_text: lineOf(date),
            time_title: attr(date, "title") || attr(date, "alt"), text: textOf(q(".a3s")), subject: lineOf($("h2.hP")),
            id: attr(idEl, "data-message-id") || attr(idEl, "data-legacy-message-id") };
        },
      },
      outlook: { // items are message bodies; the nearest ancestor holding a sender is the message
        items: '[aria-label^="Message body" i]',
        read(el) {
          let box = el, sender = null;
          for (let i = 0, p = parentElement(el); p && i < 15 && !sender; i++, p = parentElement(p)) {
            for (const c of elQSA(p, '[role="heading"] [title*="@"], [role="heading"][title*="@"], span[title*="@"]')) {
              if (!contains(el, c)) { sender = c; box = p; break; }
            }
          }
          return { ...timeFields(elQS(box, '[data-testid="SentReceivedSavedTime"], time'), box), author_name: lineOf(sender),
            author_handle: attr(sender, "title"), text: textOf(el), box, subject: lineOf($('[role="main"] [role="heading"][aria-level="2"]')) };
        },
      },
      discourse: {
        items: ".crawler-post, article[data-post-id]",
        noscript: "crawler-post",
        read(el, q) {
          if (matches(el, ".crawler-post")) { // crawler view: username link + "(Full Name)"
            const author = q('[itemprop="author"]');
            const handle = lineOf(author && elQS(author, '[itemprop="name"]'));
            const pub = q('[itemprop="datePublished"]'); // a <meta> or a <time>; never the dateModified <time>
            const isTime = pub && localName(pub) === "time";
            return { author_name: str(match1(author ? textContent(author) : "", /\(([^()]+)\)/)) || handle, author_handle: handle,
              author_url: attr(author && elQS(author, "a[href]"), "href"), text: textOf(q('[itemprop="articleBody"], .post')),
              time_datetime: attr(pub, isTime ? "datetime" : "content"), time_text: isTime ? lineOf(pub) : null,
              id: str((lineOf(q('[itemprop="position"]')) || "").replace(/^#/, "")) };
          }
          const rel = q(".post-date [data-time], .relative-date[data-time]");
          const ms = num(attr(rel, "data-time"));
          const who = q(".names .username a, .names .first a, .names a");
          return { author_name: lineOf(q(".names .full-name a, .names .first a")), author_handle: attr(who, "data-user-card") || lineOf(who),
            author_url: attr(who, "href"), text: textOf(q(".cooked")), time_text: lineOf(rel), time_title: attr(rel, "title"),
            time_epoch: ms === null ? null : Math.floor(ms / 1000), permalink: attr(q("a.post-date, .post-date a"), "href"), id: attr(el, "data-post-id") };
        },
      },
      hackernews: { // span.age[title] = "2026-06-01T00:51:16 1780275076" (UTC, then epoch)
        items: "tr.athing",
        read(el, q) {
          const isComment = matches(el, ".comtr");
          const meta = isComment ? el : nextElementSibling(el); // a story's byline is the next row
          const age = meta && elQS(meta, "span.age");
          const title = attr(age, "title");
          const who = meta && elQS(meta, "a.hnuser");
          const link = age && elQS(age, "a[href]");
          const top = !isComment && meta && nextElementSibling(meta) && elQS(nextElementSibling(meta), ".toptext");
          const text = isComment ? textOf(q(".commtext")) : [lineOf(q(".titleline > a, .storylink, .titlelink")), textOf(top)].filter(Boolean).join("\n\n");
          return { author_name: lineOf(who), author_handle: lineOf(who), author_url: attr(who, "href"), text: text || null,
            time_text: lineOf(link || age), time_title: title, time_datetime: match1(title, /^(\S+T\S+)/),
            time_epoch: num(match1(title, /\s(\d{9,11})\s*$/)), permalink: attr(link, "href"), id: attr(el, "id") };
        },
      },
      bluesky: {
        items: '[data-testid^="postThreadItem-by-"], [data-testid^="feedItem-by-"], #bsky_post_summary',
        noscript: "bsky_post_summary",
        read(el, q) {
          if (attr(el, "id") === "bsky_post_summary") { // server-rendered summary of the page's post
            const f = (id) => lineOf(q("#" + id));
            const canon = attr($('link[rel~="canonical" i]'), "href") || attr($('meta[property="og:url"]'), "content");
            return { author_name: f("bsky_display_name"), author_handle: f("bsky_handle"), text: textOf(q("#bsky_post_text")),
              time_datetime: f("bsky_post_indexedat"), permalink: canon, id: match1(canon, /\/post\/([\w-]+)/) };
          }
          let who = null;
          for (const a of elQSA(el, 'a[href^="/profile/"]')) {
            const v = lineOf(a);
            if (v && !v.startsWith("@")) { who = a; break; }
          }
          const tl = q('a[href*="/post/"][data-tooltip], a[href*="/post/"][aria-label]');
          return { author_name: lineOf(who), author_handle: match1(attr(el, "data-testid"), /-by-(.+)$/), author_url: attr(who, "href"),
            text: textOf(q('[data-testid="postText"]')), time_text: lineOf(tl), time_title: attr(tl, "data-tooltip") || attr(tl, "aria-label"),
            permalink: attr(tl, "href"), id: match1(attr(tl, "href"), /\/post\/([\w-]+)/) };
        },
      },
    };
    ADAPTERS.x = ADAPTERS.twitter;

    // ---- platform detection: hostname, then DOM signature, then og:site_name / canonical host --------
    const HOSTS = [
      [/(^|\.)x\.com$/, "x"], [/(^|\.)twitter\.com$/, "twitter"], [/(^|\.)messenger\.com$/, "messenger"],
      [/(^|\.)facebook\.com$/, "facebook"], [/(^|\.)instagram\.com$/, "instagram"], [/^web\.whatsapp\.com$/, "whatsapp"],
      [/(^|\.)reddit\.com$/, "reddit"], [/(^|\.)discord(app)?\.com$/, "discord"], [/^(web\.telegram\.org|t\.me|telegram\.me)$/, "telegram"],
      [/(^|\.)tiktok\.com$/, "tiktok"], [/(^|\.)linkedin\.com$/, "linkedin"], [/(^|\.)youtube\.com$/, "youtube"],
      [/^mail\.google\.com$/, "gmail"], [/^outlook\.(live|office|office365)\.com$/, "outlook"],
      [/^news\.ycombinator\.com$/, "hackernews"], [/(^|\.)bsky\.app$/, "bluesky"],
    ];
    const SIGNATURES = [
      ['article[data-testid="tweet"]', "x"], ["div.tweet[data-tweet-id]", "twitter"],
      ["div.thread div.message .message_header", "messenger"], ['[data-sigil~="story-div"], [data-sigil~="comment"] ._2b05', "facebook"],
      ["tr.athing", "hackernews"], // before reddit: in quirks mode class selectors ignore case (div.comment ~ div.Comment)
      ["[data-pre-plain-text]", "whatsapp"],
      ['shreddit-comment, shreddit-post, div.Comment[class*="t1_"], .thing[data-author], [data-testid="post-container"]', "reddit"],
      ['li[id^="chat-messages-"]', "discord"], [".tgme_widget_message[data-post], .bubble[data-mid], [data-telegram-post]", "telegram"],
      [".status__relative-time, .detailed-status__datetime, #mastodon", "mastodon"], ['[data-e2e^="comment-level"]', "tiktok"],
      ["section.comment a.comment__actor-name, .feed-shared-update-v2", "linkedin"], ["ytd-app, ytd-comment-thread-renderer", "youtube"],
      [".adn.ads .gD[email], h2.hP", "gmail"], ['[aria-label^="Message body" i]', "outlook"],
      ['.crawler-post, meta[name="generator"][content^="Discourse"], #data-discourse-setup', "discourse"],
      ['#bsky_post_summary, [data-testid="postThreadScreen"]', "bluesky"],
    ];
    const SITE_NAMES = [
      [/formerly twitter|^x$/i, "x"], [/^twitter$/i, "twitter"], [/^facebook$/i, "facebook"], [/^messenger$/i, "messenger"],
      [/^instagram$/i, "instagram"], [/^whatsapp/i, "whatsapp"], [/^reddit$/i, "reddit"], [/^discord$/i, "discord"],
      [/^telegram$/i, "telegram"], [/^tiktok$/i, "tiktok"], [/^linkedin$/i, "linkedin"], [/^youtube$/i, "youtube"],
      [/^bluesky/i, "bluesky"], [/^hacker news$/i, "hackernews"], [/^mastodon/i, "mastodon"],
    ];
    function hostPlatform(url) {
      let host;
      try { host = new URL(url).hostname.toLowerCase(); } catch { return null; }
      const hit = HOSTS.find(([re]) => re.test(host));
      return hit ? hit[1] : null;
    }
    function detectPlatform(page) {
      const byHost = hostPlatform(location.href);
      if (byHost) return byHost;
      const sig = SIGNATURES.find(([sel]) => $(sel));
      if (sig) return sig[1];
      const site = SITE_NAMES.find(([re]) => re.test((page.og["og:site_name"] || "").trim()));
      return site ? site[1] : hostPlatform(page.canonical || page.og["og:url"] || "") || "generic";
    }

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
      for (const el of docQSA(root, items)) {
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
