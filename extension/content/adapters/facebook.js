// @ts-check
// content/adapters/facebook.js: the facebook adapter of the page extractor (see content/extract.js).
// A classic script injected before content/extract.js (EXTRACTOR_FILES in content/files.js);
// it adds one entry to the extractor's namespace in the isolated world.
(() => {
  "use strict";
  const NS = globalThis.__evidenceExtractor;
  if (!NS || NS.brand !== "evidence-extractor/1" || !NS.kit) return;
  try {
    const { elQS, getAttr, matches, attr, str, num, parseJSON, textOf, lineOf, timeFields, hasLeafText, genericPromoted } = NS.kit;
    NS.adapters.facebook = { // m.facebook.com stories and comments
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
    };
  } catch (e) {
    NS.error ??= String((e && e.message) || e).slice(0, 500);
  }
})();
