// @ts-check
// content/adapters/mastodon.js: the mastodon adapter of the page extractor (see content/extract.js).
// A classic script injected before content/extract.js (EXTRACTOR_FILES in content/files.js);
// it adds one entry to the extractor's namespace in the isolated world.
(() => {
  "use strict";
  const NS = globalThis.__evidenceExtractor;
  if (!NS || NS.brand !== "evidence-extractor/1" || !NS.kit) return;
  try {
    const { closestEl, attr, textOf, lineOf, timeFields } = NS.kit;
    NS.adapters.mastodon = {
      items: ".status, .detailed-status",
      read(el, q) {
        const who = q(".status__display-name, .detailed-status__display-name, a.display-name");
        const t = timeFields(q("a.status__relative-time time, a.detailed-status__datetime time, time"), el);
        return { ...t, author_name: lineOf(q(".display-name__html, .display-name strong, .display-name bdi")),
          author_handle: lineOf(q(".display-name__account")), author_url: attr(who, "href"),
          permalink: t.permalink || attr(q("a.status__relative-time, a.detailed-status__datetime"), "href"),
          text: textOf(q(".status__content__text, .e-content, .status__content")), id: attr(closestEl(el, "[data-id]"), "data-id") };
      },
    };
  } catch (e) {
    NS.error ??= String((e && e.message) || e).slice(0, 500);
  }
})();
