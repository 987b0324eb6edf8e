//! Canonical author handles.
//!
//! | platform                               | canonical form          |
//! |----------------------------------------|-------------------------|
//! | x, twitter, instagram, tiktok, telegram, youtube, facebook, generic and any other | `@name` (case kept) |
//! | reddit                                 | `u/name`                |
//! | mastodon and other fediverse software  | `@user@instance`        |
//! | discord, hackernews, slack             | as given                |
//! | linkedin                               | the profile slug, no `@` (`in/NAME` → `NAME`) |
//! | gmail, outlook, email                  | the address as given    |
//! | whatsapp, signal, sms                  | phone numbers reduced to `+` and digits, else as given |
//!
//! Handles with whitespace or control characters inside, or longer than 100 characters,
//! are rejected. When the shown handle is missing or rejected, it is derived from the
//! author URL where the URL pattern makes it unambiguous.

use url::Url;

use super::links::{bare_host, segments};

/// Longest accepted canonical handle, in characters.
const MAX_HANDLE_CHARS: usize = 100;

/// How a platform writes handles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    At,
    Reddit,
    Fediverse,
    Verbatim,
    Slug,
    Email,
    Phone,
}

fn family(platform: &str) -> Family {
    match platform {
        "reddit" => Family::Reddit,
        "mastodon" | "fediverse" | "pleroma" | "akkoma" | "misskey" | "gotosocial"
        | "friendica" => Family::Fediverse,
        "discord" | "hackernews" | "hn" | "slack" => Family::Verbatim,
        "linkedin" => Family::Slug,
        "gmail" | "outlook" | "email" | "mail" | "yahoo" | "protonmail" => Family::Email,
        "whatsapp" | "signal" | "sms" => Family::Phone,
        _ => Family::At,
    }
}

/// Whether the platform is fediverse software (its status URLs carry snowflake-like ids).
pub(super) fn is_fediverse(platform: &str) -> bool {
    family(platform) == Family::Fediverse
}

/// The canonical handle for `platform` from the shown handle, else from the author URL.
pub(super) fn canonical_handle(
    platform: &str,
    shown: Option<&str>,
    author_url: Option<&Url>,
) -> Option<String> {
    let fam = family(platform);
    shown
        .and_then(|s| from_shown(fam, s, author_url))
        .or_else(|| author_url.and_then(|u| from_url(fam, u)))
        .filter(|h| valid(h))
}

fn valid(h: &str) -> bool {
    let n = h.chars().count();
    n > 0 && n <= MAX_HANDLE_CHARS && !h.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// `@name` from a name with any leading `@`s; names with URL syntax are refused.
fn at(name: &str) -> Option<String> {
    let name = name.trim_start_matches('@');
    let bad = name.is_empty() || name.contains(['/', '?', '#', '<', '>', '"', '\'']);
    (!bad).then(|| format!("@{name}"))
}

fn from_shown(fam: Family, shown: &str, author_url: Option<&Url>) -> Option<String> {
    let s = shown.trim();
    if fam == Family::Phone {
        if let Some(p) = phone(s) {
            return Some(p);
        }
    }
    if !valid(s) {
        return None;
    }
    match fam {
        Family::At => at(s),
        Family::Reddit => {
            let s = s.trim_start_matches('/');
            let lower = s.to_ascii_lowercase();
            let cut = ["user/", "u/"]
                .iter()
                .find(|p| lower.starts_with(*p))
                .map_or(0, |p| p.len());
            let name = s.get(cut..)?.trim_end_matches('/').trim_start_matches('@');
            let bad = name.is_empty() || name.contains(['/', '?', '#']);
            (!bad).then(|| format!("u/{name}"))
        }
        Family::Fediverse => {
            let parts: Vec<&str> = s.trim_start_matches('@').split('@').collect();
            match parts.as_slice() {
                [user] => {
                    let instance =
                        author_url
                            .and_then(fediverse_from_url)
                            .and_then(|(url_user, inst)| {
                                url_user.eq_ignore_ascii_case(user).then_some(inst)
                            });
                    match instance {
                        Some(inst) => at(&format!("{user}@{inst}")),
                        None => at(user),
                    }
                }
                [user, inst] if !user.is_empty() && !inst.is_empty() => {
                    at(&format!("{user}@{inst}"))
                }
                _ => None,
            }
        }
        Family::Verbatim => Some(s.to_string()),
        Family::Slug => {
            let s = s.trim_start_matches('@').trim_matches('/');
            let s = s.strip_prefix("in/").unwrap_or(s);
            (!s.is_empty() && !s.contains('/')).then(|| s.to_string())
        }
        Family::Email => {
            let s = s.trim_start_matches('<').trim_end_matches('>');
            let s = s.strip_prefix("mailto:").unwrap_or(s);
            (!s.is_empty()).then(|| s.to_string())
        }
        Family::Phone => Some(s.to_string()),
    }
}

/// `+15551234567` from a phone number as displayed ("+1 (555) 123-4567"); `None` when it
/// is not one. Called before the whitespace check: phone numbers are shown with spaces.
fn phone(s: &str) -> Option<String> {
    let formatting = |c: char| matches!(c, ' ' | '-' | '(' | ')' | '.' | '\u{a0}');
    let plus = s.starts_with('+');
    let body = if plus { s.get(1..)? } else { s };
    let ok = body.chars().all(|c| c.is_ascii_digit() || formatting(c));
    let digits: String = body.chars().filter(char::is_ascii_digit).collect();
    (ok && digits.len() >= 5).then(|| format!("{}{digits}", if plus { "+" } else { "" }))
}

/// (user, instance) from a fediverse profile URL: `host/@user`, `host/@user@instance`,
/// `host/users/user`.
fn fediverse_from_url(url: &Url) -> Option<(String, String)> {
    let host = url.host_str()?;
    match segments(url).as_slice() {
        [first, ..] if first.len() > 1 && first.starts_with('@') => {
            let rest = first.get(1..)?;
            match rest.split_once('@') {
                Some((user, inst)) if !user.is_empty() && !inst.is_empty() => {
                    Some((user.to_string(), inst.to_string()))
                }
                Some(_) => None,
                None => Some((rest.to_string(), host.to_string())),
            }
        }
        ["users", user, ..] => Some((user.to_string(), host.to_string())),
        _ => None,
    }
}

/// `[A-Za-z0-9_]` plus `extra`, between `min` and `max` characters.
fn plain_name(s: &str, min: usize, max: usize, extra: &[char]) -> bool {
    (min..=max).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || extra.contains(&c))
}

const X_RESERVED: &[&str] = &[
    "i",
    "home",
    "explore",
    "notifications",
    "messages",
    "search",
    "settings",
    "intent",
    "share",
    "hashtag",
    "compose",
    "tos",
    "privacy",
    "login",
    "signup",
    "logout",
];
const INSTAGRAM_RESERVED: &[&str] = &[
    "p", "reel", "reels", "explore", "stories", "accounts", "direct", "tv", "about",
];
const TELEGRAM_RESERVED: &[&str] = &[
    "joinchat",
    "s",
    "c",
    "addstickers",
    "addemoji",
    "share",
    "proxy",
    "socks",
    "iv",
    "login",
];

/// Derives the handle from the author URL when its pattern is unambiguous.
fn from_url(fam: Family, url: &Url) -> Option<String> {
    let host = bare_host(url)?;
    let segs = segments(url);
    let first = segs.first().copied().unwrap_or("");
    match host {
        "x.com" | "twitter.com" => {
            let ok = plain_name(first, 1, 15, &[]) && !X_RESERVED.contains(&first);
            ok.then(|| format!("@{first}"))
        }
        "instagram.com" => {
            let ok = plain_name(first, 1, 30, &['.']) && !INSTAGRAM_RESERVED.contains(&first);
            ok.then(|| format!("@{first}"))
        }
        "tiktok.com" | "youtube.com" | "threads.net" | "threads.com" | "medium.com" => {
            let name = first.strip_prefix('@')?;
            plain_name(name, 1, 100, &['.', '-']).then(|| format!("@{name}"))
        }
        "reddit.com" | "old.reddit.com" | "new.reddit.com" | "np.reddit.com" => {
            match segs.as_slice() {
                ["user" | "u", name, ..] if plain_name(name, 1, 100, &['-']) => {
                    Some(format!("u/{name}"))
                }
                _ => None,
            }
        }
        "news.ycombinator.com" => {
            if url.path() != "/user" {
                return None;
            }
            let (_, id) = url.query_pairs().find(|(k, _)| k == "id")?;
            plain_name(&id, 1, 100, &['-']).then(|| id.into_owned())
        }
        "t.me" | "telegram.me" => {
            let ok = plain_name(first, 3, 32, &[]) && !TELEGRAM_RESERVED.contains(&first);
            ok.then(|| format!("@{first}"))
        }
        "linkedin.com" => match segs.as_slice() {
            ["in", slug, ..] => Some(slug.to_string()),
            _ => None,
        },
        _ => {
            let (user, inst) = fediverse_from_url(url)?;
            if fam == Family::Fediverse {
                return at(&format!("{user}@{inst}"));
            }
            // Not known as fediverse: only the plain "/@name" shape, kept as shown.
            let shown = first.strip_prefix('@')?;
            at(shown)
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
#[path = "handle_tests.rs"]
mod tests;
