// @ts-check
// content/adapters/tiktok.js: the tiktok adapter of the page extractor (see content/extract.js).
// A classic script injected before content/extract.js (EXTRACTOR_FILES in content/files.js);
// it adds one entry to the extractor's namespace in the isolated world.
(() => {
  "use strict";
  const NS = globalThis.__evidenceExtractor;
  if (!NS || NS.brand !== "evidence-extractor/1" || !NS.kit) return;
  try {
    const { elQS, closestEl, parentElement, attr, textOf, lineOf, userFromPath } = NS.kit;
    NS.adapters.tiktok = { // items are the comment text elements
      items: '[data-e2e="comment-level-1"], [data-e2e="comment-level-2"]',
      read(el) {
        const box = closestEl(el, '[class*="CommentContentContainer"], [class*="CommentItemContainer"], [class*="CommentObjectWrapper"]') ||
          parentElement(parentElement(el) || el) || el;
        const who = elQS(box, '[data-e2e^="comment-username"] a, a[href^="/@"]');
        const url = attr(who, "href");
        return { author_name: lineOf(who), author_handle: userFromPath(url, /\/@([^/?#]+)/), author_url: url, text: textOf(el),
          time_text: lineOf(elQS(box, '[data-e2e^="comment-time"], [class*="CreatedTime"]')), box };
      },
    };
  } catch (e) {
    NS.error ??= String((e && e.message) || e).slice(0, 500);
  }
})();
