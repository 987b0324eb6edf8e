// @ts-check
// content/adapters/linkedin.js: the linkedin adapter of the page extractor (see content/extract.js).
// A classic script injected before content/extract.js (EXTRACTOR_FILES in content/files.js);
// it adds one entry to the extractor's namespace in the isolated world.
(() => {
  "use strict";
  const NS = globalThis.__evidenceExtractor;
  if (!NS || NS.brand !== "evidence-extractor/1" || !NS.kit) return;
  try {
    const { elQS, closestEl, attr, textOf, lineOf, timeFields } = NS.kit;
    NS.adapters.linkedin = {
      items: "section.comment, article.comments-comment-item, article.comments-comment-entity, " +
        'div.feed-shared-update-v2[data-urn], div[data-urn^="urn:li:activity"]:not(.feed-shared-update-v2 *)',
      promoted: (el, q) => /\bPromoted\b/.test(lineOf(q(".update-components-actor__sub-description")) || ""),
      read(el, q) {
        const who = q("a.comment__actor-name, .comments-post-meta__name-text, .comments-comment-meta__description-title, " +
          '.update-components-actor__title span[aria-hidden="true"], .update-components-actor__name');
        const link = (who && (closestEl(who, "a[href]") || elQS(who, "a[href]"))) ||
          q("a.comments-post-meta__actor-link, a.comments-comment-meta__image-link, a.update-components-actor__meta-link");
        const time = q('time.comment__time, time, .comments-comment-meta__data, .update-components-actor__sub-description span[aria-hidden="true"]');
        return { ...timeFields(time, el), author_name: lineOf(who), author_url: attr(link, "href"),
          text: textOf(q(".comment__message, .comments-comment-item__main-content, .update-components-text, .feed-shared-update-v2__description")),
          id: attr(el, "data-urn") || attr(el, "data-id") || attr(el, "id") };
      },
    };
  } catch (e) {
    NS.error ??= String((e && e.message) || e).slice(0, 500);
  }
})();
