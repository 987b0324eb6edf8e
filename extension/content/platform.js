// @ts-check
// content/platform.js: which platform a page is, for the page extractor (content/extract.js)
// and the long capture's page side (content/sweep.js): the hostname, then a DOM signature,
// then og:site_name or the canonical address's host. A classic script injected after the
// adapters (EXTRACTOR_FILES in content/files.js); it adds NS.detectPlatform(page) to the
// extractor's namespace in the isolated world.
(() => {
  "use strict";
  const NS = globalThis.__evidenceExtractor;
  if (!NS || NS.brand !== "evidence-extractor/1" || !NS.kit) return;
  const { $ } = NS.kit;
  /** @type {[RegExp, string][]} */
  const HOSTS = [
    [/(^|\.)x\.com$/, "x"], [/(^|\.)twitter\.com$/, "twitter"], [/(^|\.)messenger\.com$/, "messenger"],
    [/(^|\.)facebook\.com$/, "facebook"], [/(^|\.)instagram\.com$/, "instagram"], [/^web\.whatsapp\.com$/, "whatsapp"],
    [/(^|\.)reddit\.com$/, "reddit"], [/(^|\.)discord(app)?\.com$/, "discord"], [/^(web\.telegram\.org|t\.me|telegram\.me)$/, "telegram"],
    [/(^|\.)tiktok\.com$/, "tiktok"], [/(^|\.)linkedin\.com$/, "linkedin"], [/(^|\.)youtube\.com$/, "youtube"],
    [/^mail\.google\.com$/, "gmail"], [/^outlook\.(live|office|office365)\.com$/, "outlook"],
    [/^news\.ycombinator\.com$/, "hackernews"], [/(^|\.)bsky\.app$/, "bluesky"],
  ];
  /** @type {[string, string][]} */
  const SIGNATURES = [
    ['article[data-testid="tweet"]', "x"], ["div.tweet[data-tweet-id]", "twitter"],
    ["div.thread div.message .message_header", "messenger"], ['[data-sigil~="story-div"], [data-sigil~="comment"] ._2b05', "facebook"],
    ["tr.athing", "hackernews"], // before reddit: in quirks mode class selectors ignore case (div.comment ~ div.Comment)
    ["[data-pre-plain-text]", "whatsapp"],
    ['shreddit-comment, shreddit-post, div.Comment[class*="t1_"], .thing[data-author], [data-testid="post-container"]', "reddit"],
    ['li[id^="chat-messages-"]', "discord"], [".tgme_widget_message[data-post], .bubble[data-mid], [data-telegram-post]", "telegram"],
    [".status__relative-time, .detailed-status__datetime, #mastodon", "mastodon"], ['[data-e2e^="comment-level"]', "tiktok"],
    ["section.comment a.comment__actor-name, .feed-shared-update-v2", "linkedin"], ["ytd-app, ytd-comment-thread-renderer", "youtube"],
    [".adn.ads .gD[email], h2.hP", "gmail"], ['[aria-label^="Message body" i]', "outlook"],
    ['.crawler-post, meta[name="generator"][content^="Discourse"], #data-discourse-setup', "discourse"],
    ['#bsky_post_summary, [data-testid="postThreadScreen"]', "bluesky"],
  ];
  /** @type {[RegExp, string][]} */
  const SITE_NAMES = [
    [/formerly twitter|^x$/i, "x"], [/^twitter$/i, "twitter"], [/^facebook$/i, "facebook"], [/^messenger$/i, "messenger"],
    [/^instagram$/i, "instagram"], [/^whatsapp/i, "whatsapp"], [/^reddit$/i, "reddit"], [/^discord$/i, "discord"],
    [/^telegram$/i, "telegram"], [/^tiktok$/i, "tiktok"], [/^linkedin$/i, "linkedin"], [/^youtube$/i, "youtube"],
    [/^bluesky/i, "bluesky"], [/^hacker news$/i, "hackernews"], [/^mastodon/i, "mastodon"],
  ];
  // Each signature's selector list is asked one selector at a time: Chromium answers a
  // single selector that matches nothing almost at once, but walks the whole DOM for a list
  // ("a, b"); seventeen lists cost about 2 ms on a feed of 1000 posts, their parts 0.3 ms.
  // A list matches when one of its selectors does.
  /** @type {[string[], string][]} */
  const SIGNATURE_PARTS = SIGNATURES.map(([sel, name]) => [splitList(sel), name]);
  /** The selectors of a selector list (split at the commas outside quotes, brackets and parentheses). */
  function splitList(sel) {
    const out = [];
    let depth = 0, quote = "", start = 0;
    for (let i = 0; i < sel.length; i++) {
      const c = sel[i];
      if (quote) { if (c === quote) quote = ""; }
      else if (c === '"' || c === "'") quote = c;
      else if (c === "[" || c === "(") depth++;
      else if (c === "]" || c === ")") depth--;
      else if (c === "," && depth === 0) { out.push(sel.slice(start, i).trim()); start = i + 1; }
    }
    out.push(sel.slice(start).trim());
    return out;
  }
  function hostPlatform(url) {
    let host;
    try { host = new URL(url).hostname.toLowerCase(); } catch { return null; }
    const hit = HOSTS.find(([re]) => re.test(host));
    return hit ? hit[1] : null;
  }
  function detectPlatform(page) {
    const byHost = hostPlatform(location.href);
    if (byHost) return byHost;
    const sig = SIGNATURE_PARTS.find(([parts]) => parts.some((sel) => $(sel)));
    if (sig) return sig[1];
    const site = SITE_NAMES.find(([re]) => re.test((page.og["og:site_name"] || "").trim()));
    return site ? site[1] : hostPlatform(page.canonical || page.og["og:url"] || "") || "generic";
  }
  NS.detectPlatform = detectPlatform;
})();
