// @ts-check
// content/adapters/outlook.js: the outlook adapter of the page extractor (see content/extract.js).
// A classic script injected before content/extract.js (EXTRACTOR_FILES in content/files.js);
// it adds one entry to the extractor's namespace in the isolated world.
(() => {
  "use strict";
  const NS = globalThis.__evidenceExtractor;
  if (!NS || NS.brand !== "evidence-extractor/1" || !NS.kit) return;
  try {
    const { elQSA, elQS, contains, parentElement, $, attr, textOf, lineOf, timeFields } = NS.kit;
    NS.adapters.outlook = { // items are message bodies; the nearest ancestor holding a sender is the message
      items: '[aria-label^="Message body" i]',
      read(el) {
        let box = el, sender = null;
        for (let i = 0, p = parentElement(el); p && i < 15 && !sender; i++, p = parentElement(p)) {
          for (const c of elQSA(p, '[role="heading"] [title*="@"], [role="heading"][title*="@"], span[title*="@"]')) {
            if (!contains(el, c)) { sender = c; box = p; break; }
          }
        }
        return { ...timeFields(elQS(box, '[data-testid="SentReceivedSavedTime"], time'), box), author_name: lineOf(sender),
          author_handle: attr(sender, "title"), text: textOf(el), box, subject: lineOf($('[role="main"] [role="heading"][aria-level="2"]')) };
      },
    };
  } catch (e) {
    NS.error ??= String((e && e.message) || e).slice(0, 500);
  }
})();
