//! Normalisation of what the content script saw: raw message facts in, stable
//! `Message`s out. Pure: the capture instant (with the victim's local offset) is passed in.
//!
//! * Text: whitespace collapsed, lines trimmed, at most one blank line in a row.
//! * URLs: resolved against the page URL; only http(s) kept; queries kept (evidence).
//! * Handles: canonical per platform (see `handle`), derived from the profile URL if needed.
//! * Time: `datetime` attribute > epoch > `title` attribute > displayed text (absolute or
//!   relative); all displayed times without a zone are in the capture's offset.
//! * Ids: from markup, else from the permalink; snowflake ids give `id_time_utc`.
//!
//! Hostile input never panics: anything unparseable becomes `None`.

mod absolute;
mod handle;
mod lexicon;
mod links;
mod relative;
mod snowflake;
mod text;
mod time;
mod tokens;

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

/// Facts about one message as the content script found them, unvalidated.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct RawMessage {
    /// Platform key: "x", "twitter", "facebook", "reddit", "mastodon", "generic"...
    pub platform: String,
    /// Display name as shown.
    pub author_name: Option<String>,
    /// Handle as shown ("@Kikobeats", "u/foo", "@alice@mastodon.social").
    pub author_handle: Option<String>,
    /// Profile href as found (may be relative).
    pub author_url: Option<String>,
    /// Message text.
    pub text: Option<String>,
    /// The time as displayed ("2h", "Yesterday at 10:41", "Mar 5, 2024").
    pub time_text: Option<String>,
    /// `<time datetime>` or `<meta itemprop=datePublished content>`.
    pub time_datetime: Option<String>,
    /// The time element's `title` attribute.
    pub time_title: Option<String>,
    /// Seconds since the epoch found in markup (`data-time`, `publish_time`).
    pub time_epoch: Option<f64>,
    /// Permalink href as found (may be relative).
    pub permalink: Option<String>,
    /// Platform post/message id found in markup.
    pub id: Option<String>,
}

/// The author of a normalised message.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Author {
    /// Display name, whitespace collapsed to single spaces.
    pub name: Option<String>,
    /// Canonical handle: "@name", "u/name", "@user@instance"... (see the `handle` table).
    pub handle: Option<String>,
    /// Absolute http(s) profile URL.
    pub profile_url: Option<String>,
}

/// Every time a message showed, and the best UTC instant derived from them.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct MessageTime {
    /// The displayed time text, trimmed.
    pub shown: Option<String>,
    /// The `datetime` attribute, trimmed.
    pub datetime_attr: Option<String>,
    /// The `title` attribute, trimmed.
    pub title_attr: Option<String>,
    /// Best UTC instant, RFC 3339 with milliseconds and `Z`.
    pub utc: Option<String>,
    /// Where `utc` came from: "datetime_attr" | "epoch" | "title_attr" | "shown_absolute"
    /// | "shown_relative" | "chat_time" (a long capture's time of day with its day
    /// separator or its own date, see `conversation::chat_time`).
    pub source: Option<String>,
    /// True when `utc` is derived from relative or low-precision information.
    pub approximate: bool,
}

/// A normalised message. `None` fields serialise as `null` so the record schema is stable.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Message {
    /// Platform key, trimmed and lowercased ("generic" when empty).
    pub platform: String,
    /// The author.
    pub author: Author,
    /// Whitespace-normalised text ("" when none).
    pub text: String,
    /// The message's times.
    pub time: MessageTime,
    /// Absolute http(s) permalink.
    pub permalink: Option<String>,
    /// The platform's id: from markup, else decoded from the permalink.
    pub id: Option<String>,
    /// Creation time encoded in a snowflake id (X/Twitter, Discord, Mastodon), RFC 3339 UTC.
    pub id_time_utc: Option<String>,
}

/// Platform key: trimmed, lowercased, "generic" when empty.
fn platform_key(p: &str) -> String {
    let p = p.trim().to_lowercase();
    if p.is_empty() {
        "generic".to_string()
    } else {
        p
    }
}

/// Picks the best time source in precedence order.
fn message_time(raw: &RawMessage, captured: &DateTime<FixedOffset>) -> MessageTime {
    let shown = text::trimmed(raw.time_text.as_deref());
    let datetime_attr = text::trimmed(raw.time_datetime.as_deref());
    let title_attr = text::trimmed(raw.time_title.as_deref());
    let best = datetime_attr
        .as_deref()
        .and_then(|s| time::parse_datetime_attr(s, captured))
        .map(|f| (f, "datetime_attr"))
        .or_else(|| {
            let f = raw
                .time_epoch
                .and_then(|v| time::parse_epoch(v, captured))?;
            Some((f, "epoch"))
        })
        .or_else(|| {
            let f = time::parse_title_attr(title_attr.as_deref()?, captured)?;
            Some((f, "title_attr"))
        })
        .or_else(|| {
            let (f, kind) = time::parse_shown(shown.as_deref()?, captured)?;
            let source = match kind {
                time::ShownKind::Absolute => "shown_absolute",
                time::ShownKind::Relative => "shown_relative",
            };
            Some((f, source))
        });
    MessageTime {
        shown,
        datetime_attr,
        title_attr,
        utc: best.map(|(f, _)| time::format_utc(&f.utc)),
        source: best.map(|(_, s)| s.to_string()),
        approximate: best.is_some_and(|(f, _)| f.approximate),
    }
}

/// Normalises one message seen on `page_url` at `captured_at` (the victim's local time),
/// taking `page_url` as the tab's real URL too (see [`normalize_message_on`]).
pub fn normalize_message(
    raw: &RawMessage,
    page_url: &str,
    captured_at: DateTime<FixedOffset>,
) -> Message {
    normalize_message_on(raw, page_url, page_url, captured_at)
}

/// Normalises one message seen on `page_url` at `captured_at`, in a tab whose real URL
/// (as the browser reports it, not the page's markup) is `tab_url`. The time encoded in a
/// snowflake id is decoded only when the tab's real host is that id's platform, so a
/// hostile page imitating X's markup elsewhere cannot forge "server time from the id".
pub fn normalize_message_on(
    raw: &RawMessage,
    page_url: &str,
    tab_url: &str,
    captured_at: DateTime<FixedOffset>,
) -> Message {
    let base = Url::parse(page_url.trim()).ok();
    let real = Url::parse(tab_url.trim()).ok();
    let platform = platform_key(&raw.platform);
    let fediverse = handle::is_fediverse(&platform);
    let resolve = |href: &Option<String>| {
        href.as_deref()
            .and_then(|h| links::resolve(h, base.as_ref()))
    };
    let profile = resolve(&raw.author_url);
    let permalink = resolve(&raw.permalink);

    let handle =
        handle::canonical_handle(&platform, raw.author_handle.as_deref(), profile.as_ref());
    let link_id = permalink
        .as_ref()
        .and_then(|u| snowflake::from_permalink(u, fediverse, &captured_at));
    let markup_id = text::trimmed(raw.id.as_deref());
    let link_ms = link_id.as_ref().and_then(|l| {
        let kind = l.kind?;
        snowflake::trusted_on(kind, real.as_ref(), permalink.as_ref())
            .then_some(l.ms)
            .flatten()
    });
    let id_ms = link_ms.or_else(|| {
        let kind = snowflake::kind_for_platform(&platform, fediverse)?;
        if !snowflake::trusted_on(kind, real.as_ref(), permalink.as_ref()) {
            return None;
        }
        snowflake::decode(kind, markup_id.as_deref()?, &captured_at)
    });
    let id_time_utc = id_ms
        .and_then(DateTime::<Utc>::from_timestamp_millis)
        .map(|t| time::format_utc(&t));

    Message {
        author: Author {
            name: raw.author_name.as_deref().and_then(text::single_line),
            handle,
            profile_url: profile.map(String::from),
        },
        text: raw
            .text
            .as_deref()
            .map(text::normalize_text)
            .unwrap_or_default(),
        time: message_time(raw, &captured_at),
        permalink: permalink.map(String::from),
        id: markup_id.or(link_id.map(|l| l.id)),
        id_time_utc,
        platform,
    }
}

/// Normalises every message of one capture, in order.
pub fn normalize_messages(
    raw: &[RawMessage],
    page_url: &str,
    captured_at: DateTime<FixedOffset>,
) -> Vec<Message> {
    raw.iter()
        .map(|r| normalize_message(r, page_url, captured_at))
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
