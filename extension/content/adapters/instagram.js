// @ts-check
// content/adapters/instagram.js: the instagram adapter of the page extractor (see content/extract.js).
// A classic script injected before content/extract.js (EXTRACTOR_FILES in content/files.js);
// it adds one entry to the extractor's namespace in the isolated world.
(() => {
  "use strict";
  const NS = globalThis.__evidenceExtractor;
  if (!NS || NS.brand !== "evidence-extractor/1" || !NS.kit) return;
  try {
    const { elQSA, attr, match1, textOf, lineOf, timeFields } = NS.kit;
    NS.adapters.instagram = {
      items: 'article, div[role="dialog"] ul li:has(time), main ul li:has(time)',
      read(el, q) {
        const who = q('header a[href^="/"], h2 a[href^="/"], h3 a[href^="/"], span a[href^="/"]');
        let text = null;
        for (const s of elQSA(el, 'h1, span[dir="auto"]')) {
          const v = textOf(s);
          if (v && v !== lineOf(who) && (!text || v.length > text.length)) text = v;
        }
        const t = timeFields(q("time"), el);
        return { ...t, author_name: lineOf(who), author_url: attr(who, "href"), text, id: match1(t.permalink, /\/(?:p|reel)\/([\w-]+)/) };
      },
    };
  } catch (e) {
    NS.error ??= String((e && e.message) || e).slice(0, 500);
  }
})();
