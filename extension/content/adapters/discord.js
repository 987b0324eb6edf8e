// @ts-check
// content/adapters/discord.js: the discord adapter of the page extractor (see content/extract.js).
// A classic script injected before content/extract.js (EXTRACTOR_FILES in content/files.js);
// it adds one entry to the extractor's namespace in the isolated world.
(() => {
  "use strict";
  const NS = globalThis.__evidenceExtractor;
  if (!NS || NS.brand !== "evidence-extractor/1" || !NS.kit) return;
  try {
    const { elQS, $, attr, match1, textOf, lineOf, timeFields } = NS.kit;
    NS.adapters.discord = { // grouped follow-up messages have no header: the author carries over
      items: 'li[id^="chat-messages-"]',
      read(el, q, state) {
        const mid = match1(attr(el, "id"), /(\d+)$/);
        const uname = q('[id^="message-username-"]');
        const name = (state.author = uname ? lineOf(elQS(uname, '[class*="username"]') || uname) : state.author || null);
        // The stable account id is in the avatar's URL (/avatars/USER_ID/HASH); a follow-up
        // message without a header carries it over like the name. (Long captures only:
        // one-screen captures keep their fields.)
        const avatar = q('img[class*="avatar"][src*="avatars/"]');
        const uid = avatar ? match1(attr(avatar, "src"), /(?:^|\/)avatars\/(\d{5,25})\//) : null;
        const authorId = (state.authorId = uname ? uid : state.authorId || uid || null);
        const time = q("time[datetime]");
        const t = timeFields(time, el);
        return { ...t, time_title: t.time_title || attr(time, "aria-label"), author_name: name, author_id: authorId, id: mid,
          text: textOf((mid && q(`[id="message-content-${mid}"]`)) || q('[id^="message-content-"]')) };
      },
    };
  } catch (e) {
    NS.error ??= String((e && e.message) || e).slice(0, 500);
  }
})();
