// @ts-check
// content/adapters/bluesky.js: the bluesky adapter of the page extractor (see content/extract.js).
// A classic script injected before content/extract.js (EXTRACTOR_FILES in content/files.js);
// it adds one entry to the extractor's namespace in the isolated world.
(() => {
  "use strict";
  const NS = globalThis.__evidenceExtractor;
  if (!NS || NS.brand !== "evidence-extractor/1" || !NS.kit) return;
  try {
    const { elQSA, $, attr, match1, textOf, lineOf } = NS.kit;
    NS.adapters.bluesky = {
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
    };
  } catch (e) {
    NS.error ??= String((e && e.message) || e).slice(0, 500);
  }
})();
