//! Message ids in permalinks, and the creation time encoded in snowflake ids.
//!
//! * X/Twitter status ids: `ms = (id >> 22) + 1288834974657`, for ids issued since
//!   Nov 2010 (ids below 29700859247 are sequential, not snowflakes).
//! * Discord message ids: `ms = (id >> 22) + 1420070400000`.
//! * Mastodon status ids: `ms = id >> 16` (Mastodon ≥ 2.0; older ids are sequential).
//!
//! A decoded time before 2010 or more than a day after the capture is rejected.

use chrono::{DateTime, FixedOffset};
use url::Url;

use super::links::{bare_host, segments};

const TWITTER_EPOCH_MS: i64 = 1_288_834_974_657;
const DISCORD_EPOCH_MS: i64 = 1_420_070_400_000;
/// The first X/Twitter snowflake id; lower ids are sequential.
const FIRST_TWITTER_SNOWFLAKE: u64 = 29_700_859_247;
/// 2010-01-01T00:00:00Z.
const MIN_MS: i64 = 1_262_304_000_000;
/// 2016-01-01T00:00:00Z: no Mastodon status is older.
const MIN_MASTODON_MS: i64 = 1_451_606_400_000;
const DAY_MS: i64 = 86_400_000;

/// An id found in a permalink, with the time its snowflake encodes (Unix ms) if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct LinkId {
    /// The platform's id for the message, as in the URL.
    pub id: String,
    /// Creation time decoded from the id, in Unix milliseconds.
    pub ms: Option<i64>,
    /// The snowflake layout the time was decoded with.
    pub kind: Option<Kind>,
}

/// Which snowflake layout an id uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// X/Twitter.
    Twitter,
    /// Discord.
    Discord,
    /// Mastodon.
    Mastodon,
}

/// A decimal id of at most 20 digits.
fn number(s: &str) -> Option<u64> {
    let ok = !s.is_empty() && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| s.parse().ok()).flatten()
}

/// Creation time of `id` (Unix ms), if it is a plausible snowflake of that kind.
pub(super) fn decode(kind: Kind, id: &str, captured: &DateTime<FixedOffset>) -> Option<i64> {
    let n = number(id)?;
    let (ms, min) = match kind {
        Kind::Twitter if n >= FIRST_TWITTER_SNOWFLAKE => {
            (i64::try_from(n >> 22).ok()? + TWITTER_EPOCH_MS, MIN_MS)
        }
        Kind::Twitter => return None,
        // Id 0 sits exactly on Discord's epoch: a placeholder, not a message.
        Kind::Discord => (
            i64::try_from(n >> 22).ok()? + DISCORD_EPOCH_MS,
            DISCORD_EPOCH_MS + 1,
        ),
        Kind::Mastodon => (i64::try_from(n >> 16).ok()?, MIN_MASTODON_MS),
    };
    let latest = captured.timestamp_millis().checked_add(DAY_MS)?;
    (min..=latest).contains(&ms).then_some(ms)
}

/// The snowflake kind of a platform's raw ids, if it has one.
pub(super) fn kind_for_platform(platform: &str, fediverse: bool) -> Option<Kind> {
    match platform {
        "x" | "twitter" => Some(Kind::Twitter),
        "discord" => Some(Kind::Discord),
        _ if fediverse => Some(Kind::Mastodon),
        _ => None,
    }
}

fn with_time(id: &str, kind: Option<Kind>, captured: &DateTime<FixedOffset>) -> LinkId {
    let ms = kind.and_then(|k| decode(k, id, captured));
    LinkId {
        id: id.to_string(),
        ms,
        kind: kind.filter(|_| ms.is_some()),
    }
}

const X_HOSTS: &[&str] = &["x.com", "twitter.com"];
const DISCORD_HOSTS: &[&str] = &[
    "discord.com",
    "discordapp.com",
    "canary.discord.com",
    "ptb.discord.com",
];

/// Whether a time decoded with `kind` may be trusted on a tab whose real URL is `real`
/// (from the browser, never from the page's markup): X/Twitter ids only on X/Twitter,
/// Discord ids only on Discord, and Mastodon ids only on a host that is neither, and
/// only for a permalink on the tab's own host (`link`, when the id came from one). A
/// hostile page on another host can imitate any platform's markup, `<base>` and links.
pub(super) fn trusted_on(kind: Kind, real: Option<&Url>, link: Option<&Url>) -> bool {
    let Some(host) = real.and_then(bare_host) else {
        return false;
    };
    match kind {
        Kind::Twitter => X_HOSTS.contains(&host),
        Kind::Discord => DISCORD_HOSTS.contains(&host),
        Kind::Mastodon => {
            !X_HOSTS.contains(&host)
                && !DISCORD_HOSTS.contains(&host)
                && !NOT_FEDIVERSE.contains(&host)
                && link.is_none_or(|l| bare_host(l) == Some(host))
        }
    }
}

/// Hosts whose `/@user/NUMBER` paths are not fediverse statuses.
const NOT_FEDIVERSE: &[&str] = &[
    "youtube.com",
    "tiktok.com",
    "medium.com",
    "threads.net",
    "threads.com",
    "x.com",
    "twitter.com",
    "instagram.com",
];

/// The message id in a permalink and its snowflake time. `fediverse` says the platform is
/// Mastodon-like; otherwise only the `/@user/ID` shape with a plausible Mastodon snowflake
/// id is decoded as one.
pub(super) fn from_permalink(
    url: &Url,
    fediverse: bool,
    captured: &DateTime<FixedOffset>,
) -> Option<LinkId> {
    let host = bare_host(url)?;
    let segs = segments(url);
    let after = |name: &str| {
        segs.iter()
            .position(|s| *s == name)
            .and_then(|i| segs.get(i + 1).copied())
    };
    match host {
        "x.com" | "twitter.com" => {
            let id = after("status").or_else(|| after("statuses"))?;
            number(id).map(|_| with_time(id, Some(Kind::Twitter), captured))
        }
        "discord.com" | "discordapp.com" | "canary.discord.com" | "ptb.discord.com" => {
            match segs.as_slice() {
                ["channels", _, _, msg, ..] if number(msg).is_some() => {
                    Some(with_time(msg, Some(Kind::Discord), captured))
                }
                _ => None,
            }
        }
        "reddit.com" | "old.reddit.com" | "new.reddit.com" | "np.reddit.com" => {
            let i = segs.iter().position(|s| *s == "comments")?;
            let alnum = |s: &&str| s.len() <= 20 && s.bytes().all(|b| b.is_ascii_alphanumeric());
            let post = segs.get(i + 1).copied().filter(alnum)?;
            let comment = segs.get(i + 3).copied().filter(alnum);
            Some(with_time(comment.unwrap_or(post), None, captured))
        }
        "news.ycombinator.com" => {
            let (_, id) = url.query_pairs().find(|(k, _)| k == "id")?;
            (url.path() == "/item" && number(&id).is_some()).then(|| with_time(&id, None, captured))
        }
        "tiktok.com" => {
            let id = after("video")?;
            number(id).map(|_| with_time(id, None, captured))
        }
        "instagram.com" => {
            let code = after("p").or_else(|| after("reel"))?;
            let ok = code.len() <= 64
                && code
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
            ok.then(|| with_time(code, None, captured))
        }
        _ if fediverse => {
            let id = match segs.as_slice() {
                [user, id, ..] if user.starts_with('@') => id,
                ["users", _, "statuses", id, ..] | ["web", "statuses", id, ..] => id,
                ["web", user, id, ..] if user.starts_with('@') => id,
                _ => return None,
            };
            number(id).map(|_| with_time(id, Some(Kind::Mastodon), captured))
        }
        _ if NOT_FEDIVERSE.contains(&host) => None,
        _ => match segs.as_slice() {
            [user, id] if user.len() > 1 && user.starts_with('@') => {
                let ms = decode(Kind::Mastodon, id, captured)?;
                Some(LinkId {
                    id: id.to_string(),
                    ms: Some(ms),
                    kind: Some(Kind::Mastodon),
                })
            }
            _ => None,
        },
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
#[path = "snowflake_tests.rs"]
mod tests;
