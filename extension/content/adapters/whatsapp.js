// @ts-check
// content/adapters/whatsapp.js: the whatsapp adapter of the page extractor (see content/extract.js).
// A classic script injected before content/extract.js (EXTRACTOR_FILES in content/files.js);
// it adds one entry to the extractor's namespace in the isolated world.
(() => {
  "use strict";
  const NS = globalThis.__evidenceExtractor;
  if (!NS || NS.brand !== "evidence-extractor/1" || !NS.kit) return;
  try {
    const { getAttr, closestEl, $, attr, str, textOf } = NS.kit;
    NS.adapters.whatsapp = { // data-pre-plain-text="[10:41, 25/11/2026] Name: "
      items: "[data-pre-plain-text]",
      read(el, q) {
        const m = /^\s*\[([^\]]*)\]\s*([\s\S]*?):\s*$/.exec(getAttr(el, "data-pre-plain-text") || "");
        return { author_name: m ? str(m[2]) : null, time_text: m ? str(m[1]) : null, text: textOf(q(".selectable-text") || el),
          id: attr(closestEl(el, "[data-id]"), "data-id"), box: closestEl(el, '[role="row"], .message-in, .message-out') || el };
      },
    };
  } catch (e) {
    NS.error ??= String((e && e.message) || e).slice(0, 500);
  }
})();
