// @ts-check
// content/adapters/telegram.js: the telegram adapter of the page extractor (see content/extract.js).
// A classic script injected before content/extract.js (EXTRACTOR_FILES in content/files.js);
// it adds one entry to the extractor's namespace in the isolated world.
(() => {
  "use strict";
  const NS = globalThis.__evidenceExtractor;
  if (!NS || NS.brand !== "evidence-extractor/1" || !NS.kit) return;
  try {
    const { matches, attr, num, textOf, lineOf, timeFields } = NS.kit;
    NS.adapters.telegram = {
      items: ".tgme_widget_message[data-post], .bubble[data-mid], .message[data-mid]:not(.bubble[data-mid] *)",
      read(el, q, state) {
        if (matches(el, ".tgme_widget_message")) { // t.me widget
          const who = q(".tgme_widget_message_owner_name");
          return { ...timeFields(q("time"), el), author_name: lineOf(who), author_url: attr(who, "href"),
            text: textOf(q(".tgme_widget_message_text")), permalink: attr(q("a.tgme_widget_message_date"), "href"), id: attr(el, "data-post") };
        }
        const name = (state.author = lineOf(q(".name .peer-title, .peer-title, .name")) || state.author || null);
        const time = q(".time-inner") || q(".time");
        return { author_name: name, text: textOf(q(".message") || el, (n) => matches(n, ".time, .reactions, .name, .reply")),
          time_text: lineOf(time), time_title: attr(time, "title"), time_epoch: num(attr(el, "data-timestamp")), id: attr(el, "data-mid") };
      },
    };
  } catch (e) {
    NS.error ??= String((e && e.message) || e).slice(0, 500);
  }
})();
