//! Table tests for `handle`.

use super::*;

fn h(platform: &str, shown: Option<&str>, url: Option<&str>) -> Option<String> {
    let url = url.map(|u| Url::parse(u).unwrap());
    canonical_handle(platform, shown, url.as_ref())
}

/// (platform, shown handle, author URL, expected canonical handle)
type Case<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>);

#[test]
fn shown_handles() {
    let long = "a".repeat(101);
    let max = "a".repeat(99);
    let cases: &[Case] = &[
        ("x", Some("@Kikobeats"), None, Some("@Kikobeats")),
        ("x", Some("Kikobeats"), None, Some("@Kikobeats")),
        ("twitter", Some("  @Kikobeats \n"), None, Some("@Kikobeats")),
        ("x", Some("@@Kikobeats"), None, Some("@Kikobeats")),
        ("instagram", Some("some.user_1"), None, Some("@some.user_1")),
        ("tiktok", Some("@dancer"), None, Some("@dancer")),
        ("telegram", Some("durov"), None, Some("@durov")),
        (
            "generic",
            Some("@alice@mastodon.social"),
            None,
            Some("@alice@mastodon.social"),
        ),
        ("somethingnew", Some("bob"), None, Some("@bob")),
        ("reddit", Some("u/foo"), None, Some("u/foo")),
        ("reddit", Some("/u/foo"), None, Some("u/foo")),
        ("reddit", Some("/user/foo/"), None, Some("u/foo")),
        ("reddit", Some("User/Foo_Bar-1"), None, Some("u/Foo_Bar-1")),
        ("reddit", Some("foo"), None, Some("u/foo")),
        ("reddit", Some("u/"), None, None),
        ("reddit", Some("u/a/b"), None, None),
        (
            "mastodon",
            Some("@alice@mastodon.social"),
            None,
            Some("@alice@mastodon.social"),
        ),
        (
            "mastodon",
            Some("alice@mastodon.social"),
            None,
            Some("@alice@mastodon.social"),
        ),
        (
            "mastodon",
            Some("@alice"),
            Some("https://hachyderm.io/@alice"),
            Some("@alice@hachyderm.io"),
        ),
        (
            "mastodon",
            Some("@bob"),
            Some("https://mastodon.social/@bob@fosstodon.org"),
            Some("@bob@fosstodon.org"),
        ),
        // The URL belongs to someone else: no instance is borrowed from it.
        (
            "mastodon",
            Some("@alice"),
            Some("https://hachyderm.io/@carol"),
            Some("@alice"),
        ),
        ("mastodon", Some("@alice"), None, Some("@alice")),
        ("mastodon", Some("@a@b@c"), None, None),
        ("mastodon", Some("@alice@"), None, None),
        ("discord", Some("alice"), None, Some("alice")),
        ("discord", Some("@alice"), None, Some("@alice")),
        ("discord", Some("alice#1234"), None, Some("alice#1234")),
        ("hackernews", Some("pg"), None, Some("pg")),
        ("linkedin", Some("in/jane-doe"), None, Some("jane-doe")),
        (
            "gmail",
            Some("<Alice@Example.com>"),
            None,
            Some("Alice@Example.com"),
        ),
        ("outlook", Some("mailto:a@b.c"), None, Some("a@b.c")),
        (
            "whatsapp",
            Some("+1 (555) 123-4567"),
            None,
            Some("+15551234567"),
        ),
        ("whatsapp", Some("555 1234"), None, Some("5551234")),
        ("whatsapp", Some("Mum"), None, Some("Mum")),
        ("whatsapp", Some("My Mum"), None, None),
        ("x", Some("John Smith"), None, None),
        ("x", Some("a\u{0}b"), None, None),
        ("x", Some(long.as_str()), None, None),
        ("x", Some(max.as_str()), None, Some(&*format!("@{max}"))),
        ("x", Some(""), None, None),
        ("x", Some("   "), None, None),
        ("x", Some("@"), None, None),
        ("x", Some("a/b"), None, None),
        ("x", Some("😀"), None, Some("@😀")),
    ];
    for (platform, shown, url, want) in cases {
        assert_eq!(
            h(platform, *shown, *url).as_deref(),
            *want,
            "{platform} {shown:?}"
        );
    }
}

#[test]
fn derived_from_url() {
    let cases: &[(&str, &str, Option<&str>)] = &[
        ("x", "https://x.com/Kikobeats", Some("@Kikobeats")),
        (
            "twitter",
            "https://twitter.com/Kikobeats/",
            Some("@Kikobeats"),
        ),
        ("x", "https://mobile.twitter.com/jack?s=20", Some("@jack")),
        (
            "x",
            "https://x.com/Kikobeats/status/1759241476758733209",
            Some("@Kikobeats"),
        ),
        ("x", "https://x.com/home", None),
        ("x", "https://x.com/i/web/status/1", None),
        ("x", "https://x.com/", None),
        ("x", "https://x.com/way_too_long_name_here", None),
        (
            "instagram",
            "https://www.instagram.com/some.user/",
            Some("@some.user"),
        ),
        ("instagram", "https://www.instagram.com/p/Cabc123/", None),
        ("tiktok", "https://www.tiktok.com/@dancer", Some("@dancer")),
        ("tiktok", "https://www.tiktok.com/dancer", None),
        (
            "youtube",
            "https://www.youtube.com/@chan.name",
            Some("@chan.name"),
        ),
        ("reddit", "https://www.reddit.com/user/foo/", Some("u/foo")),
        ("reddit", "https://old.reddit.com/u/foo", Some("u/foo")),
        ("reddit", "https://www.reddit.com/r/rust/", None),
        ("generic", "https://www.reddit.com/user/foo", Some("u/foo")),
        (
            "hackernews",
            "https://news.ycombinator.com/user?id=pg",
            Some("pg"),
        ),
        ("hackernews", "https://news.ycombinator.com/item?id=1", None),
        ("telegram", "https://t.me/durov", Some("@durov")),
        ("telegram", "https://t.me/joinchat/AAAA", None),
        ("telegram", "https://t.me/s/durov", None),
        (
            "linkedin",
            "https://www.linkedin.com/in/jane-doe/",
            Some("jane-doe"),
        ),
        ("linkedin", "https://www.linkedin.com/company/acme/", None),
        (
            "mastodon",
            "https://mastodon.social/@alice",
            Some("@alice@mastodon.social"),
        ),
        (
            "mastodon",
            "https://mastodon.social/@bob@fosstodon.org",
            Some("@bob@fosstodon.org"),
        ),
        (
            "mastodon",
            "https://mastodon.social/users/alice",
            Some("@alice@mastodon.social"),
        ),
        ("mastodon", "https://mastodon.social/about", None),
        ("generic", "https://blog.example/@writer", Some("@writer")),
        ("generic", "https://blog.example/users/writer", None),
        ("generic", "https://blog.example/profile/writer", None),
        ("facebook", "https://www.facebook.com/some.name", None),
        ("discord", "https://discord.com/users/1234", None),
    ];
    for (platform, url, want) in cases {
        assert_eq!(
            h(platform, None, Some(url)).as_deref(),
            *want,
            "{platform} {url}"
        );
    }
}

#[test]
fn invalid_shown_falls_back_to_url() {
    assert_eq!(
        h("x", Some("John Smith"), Some("https://x.com/jsmith")).as_deref(),
        Some("@jsmith")
    );
    assert_eq!(h("x", None, None), None);
    assert!(is_fediverse("mastodon") && !is_fediverse("x"));
}
