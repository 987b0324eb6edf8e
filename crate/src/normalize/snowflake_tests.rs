//! Table tests for `snowflake`.

use super::*;
use chrono::{TimeZone, Utc};

fn cap() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-06-01T12:00:00+02:00").unwrap()
}

fn iso(ms: i64) -> String {
    Utc.timestamp_millis_opt(ms)
        .single()
        .unwrap()
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

fn link(url: &str, fediverse: bool) -> Expected {
    let url = Url::parse(url).unwrap();
    from_permalink(&url, fediverse, &cap()).map(|l| (l.id, l.ms.map(iso)))
}

/// (id, decoded time) as `from_permalink` reports them.
type Expected = Option<(String, Option<String>)>;

fn both(id: &str, t: &str) -> Expected {
    Some((id.to_string(), Some(t.to_string())))
}

fn id_only(id: &str) -> Expected {
    Some((id.to_string(), None))
}

#[test]
fn decode_known_ids() {
    let c = cap();
    let cases: &[(Kind, &str, Option<&str>)] = &[
        (
            Kind::Twitter,
            "1759241476758733209",
            Some("2024-02-18T15:40:27.842Z"),
        ),
        (
            Kind::Twitter,
            "1128068672289890305",
            Some("2019-05-13T22:45:04.633Z"),
        ),
        (
            Kind::Twitter,
            "29700859247",
            Some("2010-11-04T01:43:01.738Z"),
        ),
        // Sequential pre-snowflake ids carry no time.
        (Kind::Twitter, "29700859246", None),
        (Kind::Twitter, "20", None),
        (
            Kind::Discord,
            "175928847299117063",
            Some("2016-04-30T11:18:25.796Z"),
        ),
        (
            Kind::Mastodon,
            "109416386044407466",
            Some("2022-11-27T15:05:54.632Z"),
        ),
        (
            Kind::Mastodon,
            "111937853413633344",
            Some("2024-02-15T22:28:13.347Z"),
        ),
        (Kind::Mastodon, "12345", None),
        // Far future, overflow, garbage.
        (Kind::Twitter, "9223372036854775807", None),
        (Kind::Twitter, "18446744073709551615", None),
        (Kind::Twitter, "18446744073709551616", None),
        (Kind::Discord, "0", None),
        (Kind::Twitter, "", None),
        (Kind::Twitter, "12ab", None),
        (Kind::Twitter, "-1759241476758733209", None),
        (Kind::Twitter, "１２３", None),
        (Kind::Twitter, "123456789012345678901", None),
    ];
    for (kind, id, want) in cases {
        assert_eq!(
            decode(*kind, id, &c).map(iso).as_deref(),
            *want,
            "{kind:?} {id}"
        );
    }
}

#[test]
fn decode_rejects_after_capture_plus_a_day() {
    // Capture 2019-05-12: the 2019-05-13T22:45 tweet is more than a day later.
    let early = DateTime::parse_from_rfc3339("2019-05-12T12:00:00Z").unwrap();
    assert_eq!(decode(Kind::Twitter, "1128068672289890305", &early), None);
    let close = DateTime::parse_from_rfc3339("2019-05-13T00:00:00Z").unwrap();
    assert!(decode(Kind::Twitter, "1128068672289890305", &close).is_some());
}

#[test]
fn permalinks() {
    let cases: &[(&str, bool, Expected)] = &[
        (
            "https://x.com/Kikobeats/status/1759241476758733209",
            false,
            both("1759241476758733209", "2024-02-18T15:40:27.842Z"),
        ),
        (
            "https://twitter.com/a/statuses/1128068672289890305?s=20",
            false,
            both("1128068672289890305", "2019-05-13T22:45:04.633Z"),
        ),
        (
            "https://mobile.twitter.com/a/status/1128068672289890305/photo/1",
            false,
            both("1128068672289890305", "2019-05-13T22:45:04.633Z"),
        ),
        (
            "https://x.com/i/web/status/1759241476758733209",
            false,
            both("1759241476758733209", "2024-02-18T15:40:27.842Z"),
        ),
        ("https://twitter.com/jack/status/20", false, id_only("20")),
        ("https://x.com/jack/status/abc", false, None),
        ("https://x.com/jack", false, None),
        (
            "https://discord.com/channels/81384788765712384/81384788765712384/175928847299117063",
            false,
            both("175928847299117063", "2016-04-30T11:18:25.796Z"),
        ),
        (
            "https://discord.com/channels/@me/81384788765712384/175928847299117063",
            false,
            both("175928847299117063", "2016-04-30T11:18:25.796Z"),
        ),
        ("https://discord.com/channels/1/2", false, None),
        (
            "https://mastodon.social/@alice/109416386044407466",
            true,
            both("109416386044407466", "2022-11-27T15:05:54.632Z"),
        ),
        (
            "https://mastodon.social/users/alice/statuses/109416386044407466",
            true,
            both("109416386044407466", "2022-11-27T15:05:54.632Z"),
        ),
        (
            "https://mastodon.social/@alice/12345",
            true,
            id_only("12345"),
        ),
        // Not declared fediverse: the /@user/ID shape with a plausible id still decodes...
        (
            "https://hachyderm.io/@bob/111937853413633344",
            false,
            both("111937853413633344", "2024-02-15T22:28:13.347Z"),
        ),
        // ...but not a small number, nor known non-fediverse sites.
        ("https://blog.example/@bob/12345", false, None),
        ("https://medium.com/@bob/111937853413633344", false, None),
        (
            "https://www.youtube.com/@chan/111937853413633344",
            false,
            None,
        ),
        (
            "https://blog.example/@bob/111937853413633344/extra",
            false,
            None,
        ),
        (
            "https://www.reddit.com/r/rust/comments/1abcde/some_title/kxyz12/",
            false,
            id_only("kxyz12"),
        ),
        (
            "https://old.reddit.com/r/rust/comments/1abcde/some_title/",
            false,
            id_only("1abcde"),
        ),
        (
            "https://news.ycombinator.com/item?id=39420000",
            false,
            id_only("39420000"),
        ),
        ("https://news.ycombinator.com/user?id=pg", false, None),
        (
            "https://www.tiktok.com/@u/video/7300000000000000000",
            false,
            id_only("7300000000000000000"),
        ),
        (
            "https://www.instagram.com/p/Cx-Ab_12/",
            false,
            id_only("Cx-Ab_12"),
        ),
        ("https://www.facebook.com/story.php?id=1", false, None),
        ("https://example.org/", false, None),
    ];
    for (url, fedi, want) in cases {
        assert_eq!(link(url, *fedi), *want, "{url}");
    }
}

#[test]
fn platform_kinds() {
    assert_eq!(kind_for_platform("x", false), Some(Kind::Twitter));
    assert_eq!(kind_for_platform("twitter", false), Some(Kind::Twitter));
    assert_eq!(kind_for_platform("discord", false), Some(Kind::Discord));
    assert_eq!(kind_for_platform("mastodon", true), Some(Kind::Mastodon));
    assert_eq!(kind_for_platform("reddit", false), None);
}
