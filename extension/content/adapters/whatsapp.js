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
        const id = attr(closestEl(el, "[data-id]"), "data-id");
        // The sender's phone number is in the message id: "false_<phone>@c.us_<msg>" for a
        // message received in a one-to-one chat, "..._<msg>_<phone>@c.us" in a group; a sent
        // message ("true_...") is the user's own. (Long captures only.)
        const phone = id && (/^false_(\d{6,15})@c\.us_/.exec(id) || /_(\d{6,15})@c\.us$/.exec(id));
        return { author_name: m ? str(m[2]) : null, time_text: m ? str(m[1]) : null, text: textOf(q(".selectable-text") || el),
          id, author_id: phone ? `+${phone[1]}` : null, box: closestEl(el, '[role="row"], .message-in, .message-out') || el };
      },
    };
  } catch (e) {
    NS.error ??= String((e && e.message) || e).slice(0, 500);
  }
})();
