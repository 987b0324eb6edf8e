//! End-to-end tests of `normalize_message`.

use super::*;

/// Sunday 2024-02-18 19:00 at +01:00 (18:00Z).
fn cap() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2024-02-18T19:00:00+01:00").unwrap()
}

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

fn norm(raw: &RawMessage, page: &str) -> Message {
    normalize_message(raw, page, cap())
}

#[test]
fn x_status_full_record() {
    let raw = RawMessage {
        platform: " X ".into(),
        author_name: s("  Kiko \n Beats "),
        author_handle: s("@Kikobeats"),
        author_url: s("/Kikobeats"),
        text: s("  hello   world\n\n\n\nbye  "),
        time_text: s(" 2h "),
        time_datetime: s("2024-02-18T15:40:27.000Z"),
        permalink: s("/Kikobeats/status/1759241476758733209?s=20"),
        ..RawMessage::default()
    };
    let m = norm(&raw, "https://x.com/home");
    let want = Message {
        platform: "x".into(),
        author: Author {
            name: s("Kiko Beats"),
            handle: s("@Kikobeats"),
            profile_url: s("https://x.com/Kikobeats"),
        },
        text: "hello world\n\nbye".into(),
        time: MessageTime {
            shown: s("2h"),
            datetime_attr: s("2024-02-18T15:40:27.000Z"),
            title_attr: None,
            utc: s("2024-02-18T15:40:27.000Z"),
            source: s("datetime_attr"),
            approximate: false,
        },
        permalink: s("https://x.com/Kikobeats/status/1759241476758733209?s=20"),
        id: s("1759241476758733209"),
        id_time_utc: s("2024-02-18T15:40:27.842Z"),
    };
    assert_eq!(m, want);
}

#[test]
fn time_source_precedence() {
    let full = RawMessage {
        time_text: s("2h"),
        time_datetime: s("2024-02-18T10:00:00Z"),
        time_title: s("2024-02-18T11:00:00Z"),
        time_epoch: Some(1_708_254_000.0), // 2024-02-18T11:00:00Z
        ..RawMessage::default()
    };
    let cases: &[(RawMessage, Option<&str>, Option<&str>, bool)] = &[
        (
            full.clone(),
            Some("2024-02-18T10:00:00.000Z"),
            Some("datetime_attr"),
            false,
        ),
        (
            RawMessage {
                time_datetime: s("not a date"),
                time_epoch: Some(1_708_250_400.0),
                ..full.clone()
            },
            Some("2024-02-18T10:00:00.000Z"),
            Some("epoch"),
            false,
        ),
        (
            RawMessage {
                time_datetime: None,
                time_epoch: Some(f64::NAN),
                time_title: s("2026-05-31T22:59:50 1708250400"),
                ..full.clone()
            },
            Some("2024-02-18T10:00:00.000Z"),
            Some("title_attr"),
            false,
        ),
        (
            RawMessage {
                time_datetime: None,
                time_epoch: None,
                time_title: s("whatever"),
                ..full.clone()
            },
            Some("2024-02-18T16:00:00.000Z"),
            Some("shown_relative"),
            true,
        ),
        (
            RawMessage {
                time_text: s("18 Feb 2024 at 11:00"),
                time_datetime: None,
                time_epoch: None,
                time_title: None,
                ..full.clone()
            },
            Some("2024-02-18T10:00:00.000Z"),
            Some("shown_absolute"),
            false,
        ),
        (
            RawMessage {
                time_text: s("Yesterday at 10:41"),
                time_datetime: s("  "),
                time_epoch: None,
                time_title: None,
                ..full.clone()
            },
            Some("2024-02-17T09:41:00.000Z"),
            Some("shown_relative"),
            false,
        ),
        (
            RawMessage {
                time_text: s("Mar 5"),
                time_datetime: None,
                time_epoch: None,
                time_title: None,
                ..full.clone()
            },
            Some("2023-03-04T23:00:00.000Z"),
            Some("shown_absolute"),
            true,
        ),
        (
            RawMessage {
                time_text: s("2016-09-27"),
                time_datetime: None,
                time_epoch: None,
                time_title: None,
                ..full.clone()
            },
            Some("2016-09-26T23:00:00.000Z"),
            Some("shown_absolute"),
            true,
        ),
        (RawMessage::default(), None, None, false),
    ];
    for (raw, utc, source, approx) in cases {
        let t = norm(raw, "https://example.org/").time;
        assert_eq!(t.utc.as_deref(), *utc, "{raw:?}");
        assert_eq!(t.source.as_deref(), *source, "{raw:?}");
        assert_eq!(t.approximate, *approx, "{raw:?}");
    }
}

#[test]
fn awkward_shown_times() {
    let cases: &[(&str, Option<&str>)] = &[
        ("", None),
        ("   ", None),
        ("garbage", None),
        ("😀", None),
        ("99999999999h", None),
        ("now", Some("2024-02-18T18:00:00.000Z")),
        ("just now", Some("2024-02-18T18:00:00.000Z")),
        ("0m", Some("2024-02-18T18:00:00.000Z")),
        // Future dates are not message times.
        ("Mar 5, 2030", None),
        ("2030-01-01T00:00:00Z", None),
        ("Feb 29", Some("2020-02-28T23:00:00.000Z")),
        ("10/04/2013", None),
        (
            "Friday, October 4, 2013 at 10:05pm PDT",
            Some("2013-10-05T05:05:00.000Z"),
        ),
    ];
    for (shown, want) in cases {
        let raw = RawMessage {
            time_text: s(shown),
            ..RawMessage::default()
        };
        let t = norm(&raw, "").time;
        assert_eq!(t.utc.as_deref(), *want, "{shown:?}");
        assert_eq!(t.shown, text::trimmed(Some(shown)));
        if t.utc.is_none() {
            assert_eq!(t.source, None);
            assert!(!t.approximate);
        }
    }
}

#[test]
fn platforms_end_to_end() {
    let hn = RawMessage {
        platform: "hackernews".into(),
        author_url: s("user?id=pg"),
        time_title: s("2024-02-18T10:00:00 1708250400"),
        time_text: s("8 hours ago"),
        permalink: s("item?id=39420000"),
        ..RawMessage::default()
    };
    let m = norm(&hn, "https://news.ycombinator.com/item?id=39419999");
    assert_eq!(m.author.handle, s("pg"));
    assert_eq!(
        m.author.profile_url,
        s("https://news.ycombinator.com/user?id=pg")
    );
    assert_eq!(m.id, s("39420000"));
    assert_eq!(m.id_time_utc, None);
    assert_eq!(m.time.source, s("title_attr"));

    let toot = RawMessage {
        platform: "Mastodon".into(),
        author_handle: s("@alice"),
        author_url: s("https://hachyderm.io/@alice"),
        permalink: s("https://hachyderm.io/@alice/111937853413633344"),
        ..RawMessage::default()
    };
    let m = norm(&toot, "https://hachyderm.io/home");
    assert_eq!(m.platform, "mastodon");
    assert_eq!(m.author.handle, s("@alice@hachyderm.io"));
    assert_eq!(m.id, s("111937853413633344"));
    assert_eq!(m.id_time_utc, s("2024-02-15T22:28:13.347Z"));

    // Discord: no permalink, id from markup decodes.
    let dm = RawMessage {
        platform: "discord".into(),
        author_handle: s("alice"),
        id: s(" 175928847299117063 "),
        ..RawMessage::default()
    };
    let m = norm(&dm, "https://discord.com/channels/@me/1");
    assert_eq!(m.id, s("175928847299117063"));
    assert_eq!(m.id_time_utc, s("2016-04-30T11:18:25.796Z"));

    // Markup id wins over the permalink id; the permalink still gives the time.
    let tw = RawMessage {
        platform: "twitter".into(),
        id: s("tweet-1"),
        permalink: s("https://twitter.com/a/status/1128068672289890305"),
        ..RawMessage::default()
    };
    let m = norm(&tw, "https://twitter.com/");
    assert_eq!(m.id, s("tweet-1"));
    assert_eq!(m.id_time_utc, s("2019-05-13T22:45:04.633Z"));
    assert_eq!(m.author.handle, None);

    let reddit = RawMessage {
        platform: "reddit".into(),
        author_url: s("/user/foo/"),
        permalink: s("/r/rust/comments/1abcde/title/kxyz12/"),
        ..RawMessage::default()
    };
    let m = norm(&reddit, "https://www.reddit.com/r/rust/");
    assert_eq!(m.author.handle, s("u/foo"));
    assert_eq!(m.id, s("kxyz12"));
}

#[test]
fn hostile_urls_and_empty_platform() {
    let raw = RawMessage {
        author_url: s("javascript:alert(1)"),
        permalink: s("data:text/html,x"),
        author_handle: s("has space"),
        ..RawMessage::default()
    };
    let m = norm(&raw, "https://example.org/");
    assert_eq!(m.platform, "generic");
    assert_eq!(m.author, Author::default());
    assert_eq!(m.permalink, None);
    assert_eq!(m.text, "");
    assert_eq!(m.id, None);
}

#[test]
fn json_shapes() {
    let raw: RawMessage = serde_json::from_str("{}").unwrap();
    assert_eq!(raw, RawMessage::default());
    let raw: RawMessage =
        serde_json::from_str(r#"{"platform":"x","time_epoch":1708250400,"extra":1}"#).unwrap();
    assert_eq!(raw.time_epoch, Some(1_708_250_400.0));

    let m = norm(&RawMessage::default(), "");
    let v = serde_json::to_value(&m).unwrap();
    let want = serde_json::json!({
        "platform": "generic",
        "author": {"name": null, "handle": null, "profile_url": null},
        "text": "",
        "time": {
            "shown": null, "datetime_attr": null, "title_attr": null,
            "utc": null, "source": null, "approximate": false
        },
        "permalink": null,
        "id": null,
        "id_time_utc": null
    });
    assert_eq!(v, want);
    let back: Message = serde_json::from_value(v).unwrap();
    assert_eq!(back, m);
}

#[test]
fn many_messages_keep_order() {
    let raws: Vec<RawMessage> = (0..3)
        .map(|i| RawMessage {
            text: Some(format!("msg {i}")),
            ..RawMessage::default()
        })
        .collect();
    let out = normalize_messages(&raws, "https://example.org/", cap());
    let texts: Vec<&str> = out.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["msg 0", "msg 1", "msg 2"]);
    assert!(normalize_messages(&[], "", cap()).is_empty());
}

#[test]
fn hostile_inputs_never_panic() {
    let long = "9".repeat(10_000);
    let nasty: Vec<String> = [
        "",
        " ",
        "\u{0}",
        "😀🔥",
        "@",
        "/",
        "//",
        "?id=",
        "::::",
        "99999999999h",
        "-9223372036854775808",
        "18446744073709551616",
        "Feb 29",
        "\u{301}\u{301}é",
        "http://[::1",
        "https://x.com/a/status/18446744073709551615",
        "https://discord.com/channels/1/2/99999999999999999999",
        "https://m.s/@a/18446744073709551615",
        "javascript:void(0)",
        "\r\n\r\n\r",
        long.as_str(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let epochs = [None, Some(f64::NAN), Some(-1e308), Some(1e308), Some(0.0)];
    let captures = [
        cap(),
        DateTime::parse_from_rfc3339("1970-01-01T00:00:00-12:00").unwrap(),
        DateTime::parse_from_rfc3339("9999-12-31T23:59:59+14:00").unwrap(),
    ];
    for (i, v) in nasty.iter().enumerate() {
        let raw = RawMessage {
            platform: nasty[(i + 1) % nasty.len()].clone(),
            author_name: Some(v.clone()),
            author_handle: Some(v.clone()),
            author_url: Some(v.clone()),
            text: Some(v.clone()),
            time_text: Some(v.clone()),
            time_datetime: Some(v.clone()),
            time_title: Some(v.clone()),
            time_epoch: epochs[i % epochs.len()],
            permalink: Some(v.clone()),
            id: Some(v.clone()),
        };
        for platform in [
            "x", "reddit", "mastodon", "discord", "whatsapp", "linkedin", "gmail",
        ] {
            let raw = RawMessage {
                platform: platform.into(),
                ..raw.clone()
            };
            for c in &captures {
                for page in ["", "https://example.org/a/b", v.as_str()] {
                    let _ = normalize_message(&raw, page, *c);
                }
            }
        }
    }
}
