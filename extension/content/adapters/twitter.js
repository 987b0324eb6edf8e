// @ts-check
// content/adapters/twitter.js: the twitter adapter of the page extractor (see content/extract.js).
// A classic script injected before content/extract.js (EXTRACTOR_FILES in content/files.js);
// it adds one entry to the extractor's namespace in the isolated world.
(() => {
  "use strict";
  const NS = globalThis.__evidenceExtractor;
  if (!NS || NS.brand !== "evidence-extractor/1" || !NS.kit) return;
  try {
    const { elQSA, elQS, matches, closestEl, contains, localName, attr, num, match1, textOf, lineOf, timeFields, handleFrom, hasLeafText, AD_LABEL } = NS.kit;
    NS.adapters.twitter = {
      items: 'article[data-testid="tweet"], div.tweet[data-tweet-id]',
      promoted(el, q) {
        if (localName(el) !== "article") {
          return matches(el, ".promoted-tweet") || attr(el, "data-promoted") === "true" || attr(el, "data-disclosure-type") === "promoted";
        }
        const ctx = q('[data-testid="socialContext"]'); // "Pinned", "Promoted", "X reposted"...
        return (ctx && AD_LABEL.test(lineOf(ctx) || "")) || (!q("time") && hasLeafText(el, AD_LABEL));
      },
      read(el, q) {
        if (localName(el) !== "article") { // legacy twitter.com (2012-2019)
          const ts = q("span._timestamp[data-time]");
          const t = timeFields(ts, el);
          return { ...t, author_name: attr(el, "data-name"), author_handle: attr(el, "data-screen-name"),
            author_url: attr(q("a.account-group"), "href"), text: textOf(q(".js-tweet-text-container .tweet-text, p.tweet-text")),
            time_epoch: num(attr(ts, "data-time")), permalink: attr(el, "data-permalink-path") || t.permalink, id: attr(el, "data-tweet-id") };
        }
        const user = q('[data-testid="User-Name"]');
        const nameLink = user && elQS(user, "a[href]");
        let handle = null;
        if (user) for (const s of elQSA(user, "span")) if ((handle = handleFrom(lineOf(s)))) break;
        const notQuoted = (sel) => { // skip the quoted-tweet card
          for (const n of elQSA(el, sel)) {
            const quote = closestEl(n, 'div[role="link"]');
            if (!quote || !contains(el, quote)) return n;
          }
          return null;
        };
        const t = timeFields((user && elQS(user, "time")) || notQuoted("time"), el);
        return { ...t, author_name: lineOf(nameLink), author_handle: handle, author_url: attr(nameLink, "href"),
          text: textOf(notQuoted('[data-testid="tweetText"]')), id: match1(t.permalink, /\/status(?:es)?\/(\d+)/) };
      },
    };
    NS.adapters.x = NS.adapters.twitter;
  } catch (e) {
    NS.error ??= String((e && e.message) || e).slice(0, 500);
  }
})();
