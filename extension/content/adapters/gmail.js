// @ts-check
// content/adapters/gmail.js: the gmail adapter of the page extractor (see content/extract.js).
// A classic script injected before content/extract.js (EXTRACTOR_FILES in content/files.js);
// it adds one entry to the extractor's namespace in the isolated world.
(() => {
  "use strict";
  const NS = globalThis.__evidenceExtractor;
  if (!NS || NS.brand !== "evidence-extractor/1" || !NS.kit) return;
  try {
    const { matches, $, attr, textOf, lineOf } = NS.kit;
    NS.adapters.gmail = {
      items: ".adn.ads",
      read(el, q) {
        const from = q(".gD[email], [email][name]");
        const date = q(".g3");
        const idEl = matches(el, "[data-message-id]") ? el : q("[data-message-id], [data-legacy-message-id]");
        return { author_name: attr(from, "name") || lineOf(from), author_handle: attr(from, "email"), time_text: lineOf(date),
          time_title: attr(date, "title") || attr(date, "alt"), text: textOf(q(".a3s")), subject: lineOf($("h2.hP")),
          id: attr(idEl, "data-message-id") || attr(idEl, "data-legacy-message-id") };
      },
    };
  } catch (e) {
    NS.error ??= String((e && e.message) || e).slice(0, 500);
  }
})();
