// @ts-check
// The page extractor's files, in injection order: content/kit.js first, one file per
// platform adapter, content/platform.js (which platform the page is), content/extract.js last (its last expression is the result). An ES
// module only so that the service worker (background/page-facts.js) and the tests share it;
// the files it names are classic scripts (a `files:` injection cannot import modules).
export const EXTRACTOR_FILES = [
  "content/kit.js",
  "content/adapters/twitter.js",
  "content/adapters/facebook.js",
  "content/adapters/messenger.js",
  "content/adapters/instagram.js",
  "content/adapters/whatsapp.js",
  "content/adapters/reddit.js",
  "content/adapters/mastodon.js",
  "content/adapters/discord.js",
  "content/adapters/telegram.js",
  "content/adapters/tiktok.js",
  "content/adapters/linkedin.js",
  "content/adapters/youtube.js",
  "content/adapters/gmail.js",
  "content/adapters/outlook.js",
  "content/adapters/discourse.js",
  "content/adapters/hackernews.js",
  "content/adapters/bluesky.js",
  "content/platform.js",
  "content/extract.js",
];

/**
 * A long capture's page side (issue 11): the same kit and adapters, then content/sweep.js
 * (instead of content/extract.js), which installs the sweep controller in the isolated world.
 */
export const SWEEP_FILES = [...EXTRACTOR_FILES.filter((f) => f !== "content/extract.js"), "content/sweep.js"];
