// @ts-check
// content/adapters/reddit.js: the reddit adapter of the page extractor (see content/extract.js).
// A classic script injected before content/extract.js (EXTRACTOR_FILES in content/files.js);
// it adds one entry to the extractor's namespace in the isolated world.
(() => {
  "use strict";
  const NS = globalThis.__evidenceExtractor;
  if (!NS || NS.brand !== "evidence-extractor/1" || !NS.kit) return;
  try {
    const { getAttr, matches, localName, attr, match1, textOf, lineOf, timeFields, userFromPath, genericPromoted } = NS.kit;
    NS.adapters.reddit = {
      items: 'shreddit-post, shreddit-comment, shreddit-ad-post, [data-testid="post-container"], div.Comment, .thing.link, .thing.comment',
      promoted: (el) => localName(el) === "shreddit-ad-post" || genericPromoted(el) || getAttr(el, "promoted") !== null,
      read(el, q) {
        const tag = localName(el);
        if (tag === "shreddit-post" || tag === "shreddit-comment") {
          const body = q(tag === "shreddit-post" ? '[slot="text-body"]' : '[slot="comment"], [id$="-comment-rtjson-content"]');
          const ts = q("faceplate-timeago time, time");
          return { author_name: attr(el, "author"), author_handle: attr(el, "author"), author_url: attr(q('a[href*="/user/"]'), "href"),
            text: [attr(el, "post-title"), textOf(body)].filter(Boolean).join("\n\n") || null, time_text: lineOf(ts),
            time_title: attr(ts, "title"), time_datetime: attr(el, "created-timestamp") || attr(ts, "datetime"),
            permalink: attr(el, "permalink") || attr(el, "content-href"), id: attr(el, "thingid") || attr(el, "id") };
        }
        if (matches(el, ".thing")) { // old.reddit.com
          const t = timeFields(q(".tagline time, time"), el);
          return { ...t, author_name: attr(el, "data-author"), author_handle: attr(el, "data-author"),
            author_url: attr(q(".tagline a.author, a.author"), "href"), text: textOf(q(".usertext-body .md")) || lineOf(q("a.title")),
            permalink: attr(el, "data-permalink") || t.permalink, id: attr(el, "data-fullname") };
        }
        // "new reddit" (2018-23): the author may only appear as a link to /user/NAME/ or a [to] attribute.
        const post = matches(el, '[data-testid="post-container"]');
        const who = q('[data-testid$="author_link"], [data-testid="comment_author_icon"], a[href^="/user/"]');
        const url = attr(who, "href") || attr(q('[to^="/user/"]'), "to");
        const name = (who && matches(who, '[data-testid$="author_link"]') ? lineOf(who) : null) || userFromPath(url, /\/(?:user|u)\/([^/?#]+)/);
        const ts = q('[data-testid="comment_timestamp"], [data-testid="post_timestamp"]');
        const body = textOf(q(post ? '[data-click-id="text"], [data-test-id="post-content"] .RichTextJSON-root' : '[data-testid="comment"]'));
        return { author_name: name, author_handle: name, author_url: url,
          text: [post ? lineOf(q("h1, h2, h3")) : null, body].filter(Boolean).join("\n\n") || null,
          time_text: lineOf(ts), permalink: ts && localName(ts) === "a" ? attr(ts, "href") : null,
          id: match1(attr(el, "class"), /\b(t[13]_[a-z0-9]+)\b/) || attr(el, "id") };
      },
    };
  } catch (e) {
    NS.error ??= String((e && e.message) || e).slice(0, 500);
  }
})();
