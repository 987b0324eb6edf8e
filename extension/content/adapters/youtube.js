// @ts-check
// content/adapters/youtube.js: the youtube adapter of the page extractor (see content/extract.js).
// A classic script injected before content/extract.js (EXTRACTOR_FILES in content/files.js);
// it adds one entry to the extractor's namespace in the isolated world.
(() => {
  "use strict";
  const NS = globalThis.__evidenceExtractor;
  if (!NS || NS.brand !== "evidence-extractor/1" || !NS.kit) return;
  try {
    const { attr, match1, textOf, lineOf, handleFrom } = NS.kit;
    NS.adapters.youtube = {
      items: "ytd-comment-view-model, ytd-comment-renderer",
      read(el, q) {
        const who = q("#author-text");
        const tl = q("#published-time-text a, .published-time-text a");
        return { author_name: lineOf(who), author_handle: handleFrom(lineOf(who)), author_url: attr(who, "href"),
          text: textOf(q("#content-text")), time_text: lineOf(tl), permalink: attr(tl, "href"), id: match1(attr(tl, "href"), /[?&]lc=([\w.-]+)/) };
      },
    };
  } catch (e) {
    NS.error ??= String((e && e.message) || e).slice(0, 500);
  }
})();
