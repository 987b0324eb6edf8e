// @ts-check
// content/adapters/hackernews.js: the hackernews adapter of the page extractor (see content/extract.js).
// A classic script injected before content/extract.js (EXTRACTOR_FILES in content/files.js);
// it adds one entry to the extractor's namespace in the isolated world.
(() => {
  "use strict";
  const NS = globalThis.__evidenceExtractor;
  if (!NS || NS.brand !== "evidence-extractor/1" || !NS.kit) return;
  try {
    const { elQS, matches, nextElementSibling, $, attr, num, match1, textOf, lineOf } = NS.kit;
    NS.adapters.hackernews = { // span.age[title] = "2026-06-01T00:51:16 1780275076" (UTC, then epoch)
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
    };
  } catch (e) {
    NS.error ??= String((e && e.message) || e).slice(0, 500);
  }
})();
