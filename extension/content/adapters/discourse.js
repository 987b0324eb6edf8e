// @ts-check
// content/adapters/discourse.js: the discourse adapter of the page extractor (see content/extract.js).
// A classic script injected before content/extract.js (EXTRACTOR_FILES in content/files.js);
// it adds one entry to the extractor's namespace in the isolated world.
(() => {
  "use strict";
  const NS = globalThis.__evidenceExtractor;
  if (!NS || NS.brand !== "evidence-extractor/1" || !NS.kit) return;
  try {
    const { elQS, matches, textContent, localName, attr, str, num, match1, textOf, lineOf } = NS.kit;
    NS.adapters.discourse = {
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
    };
  } catch (e) {
    NS.error ??= String((e && e.message) || e).slice(0, 500);
  }
})();
