// @ts-check
// content/adapters/messenger.js: the messenger adapter of the page extractor (see content/extract.js).
// A classic script injected before content/extract.js (EXTRACTOR_FILES in content/files.js);
// it adds one entry to the extractor's namespace in the isolated world.
(() => {
  "use strict";
  const NS = globalThis.__evidenceExtractor;
  if (!NS || NS.brand !== "evidence-extractor/1" || !NS.kit) return;
  try {
    const { localName, nextElementSibling, textOf, lineOf } = NS.kit;
    NS.adapters.messenger = { // Facebook "Download your information" messages.htm: the text is the NEXT <p>
      items: "div.message",
      read(el, q) {
        const p = nextElementSibling(el);
        const body = p && localName(p) === "p" ? p : null;
        return { author_name: lineOf(q(".message_header .user, .user")), time_text: lineOf(q(".message_header .meta, .meta")),
          text: textOf(body), box: body ? [el, body] : el };
      },
    };
  } catch (e) {
    NS.error ??= String((e && e.message) || e).slice(0, 500);
  }
})();
