use super::*;

/// A message's time as the export's `metadata.json` writes it (UTC, to the second).
fn utc_of(m: &ThreadMessage) -> String {
    m.time.utc_text(chrono::SecondsFormat::Secs).unwrap()
}

const LONDON_WINTER: ReadContext = ReadContext {
    local_offset_minutes: 0,
    month_first_hint: false,
    zone_offsets: None,
};
pub(crate) const BERLIN: ReadContext = ReadContext {
    local_offset_minutes: 60,
    month_first_hint: false,
    zone_offsets: None,
};
pub(crate) const US_EAST: ReadContext = ReadContext {
    local_offset_minutes: -300,
    month_first_hint: true,
    zone_offsets: None,
};

/// (what, export text, context, [(author, utc, text, attachments, system)])
type Case = (
    &'static str,
    &'static str,
    ReadContext,
    &'static [(
        Option<&'static str>,
        &'static str,
        &'static str,
        &'static [&'static str],
        bool,
    )],
);

const CASES: &[Case] = &[
    (
        "android, 24-hour, day first, with a system line, a multi-line message and media",
        "28/11/2026, 13:58 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.\n\
         28/11/2026, 14:03 - Sam Reed: You can't ignore me forever\n\
         I know where you work.\n\
         I'll be waiting.\n\
         28/11/2026, 14:04 - Sam Reed: IMG-20261128-WA0001.jpg (file attached)\n\
         Look what I found\n\
         28/11/2026, 14:05 - Sam Reed: <Media omitted>\n\
         28/11/2026, 14:06 - Me: Stop contacting me.\n",
        BERLIN,
        &[
            (None, "2026-11-28T12:58:00Z", "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.", &[], true),
            (Some("Sam Reed"), "2026-11-28T13:03:00Z", "You can't ignore me forever\nI know where you work.\nI'll be waiting.", &[], false),
            (Some("Sam Reed"), "2026-11-28T13:04:00Z", "Look what I found", &["IMG-20261128-WA0001.jpg"], false),
            (Some("Sam Reed"), "2026-11-28T13:05:00Z", "", &["(omitted)"], false),
            (Some("Me"), "2026-11-28T13:06:00Z", "Stop contacting me.", &[], false),
        ],
    ),
    (
        "android, 12-hour, month first (US), narrow no-break space before PM",
        "11/28/26, 2:03\u{202f}PM - +1 (555) 010-4477: hey\r\n11/28/26, 11:59\u{202f}PM - +1 (555) 010-4477: answer me\r\n12/1/26, 12:01\u{202f}AM - +1 (555) 010-4477: ok then\r\n",
        US_EAST,
        &[
            (Some("+1 (555) 010-4477"), "2026-11-28T19:03:00Z", "hey", &[], false),
            (Some("+1 (555) 010-4477"), "2026-11-29T04:59:00Z", "answer me", &[], false),
            (Some("+1 (555) 010-4477"), "2026-12-01T05:01:00Z", "ok then", &[], false),
        ],
    ),
    (
        "ios, 24-hour, day first, with seconds, an attachment and an iOS system line",
        "\u{200e}[28/11/2026, 14:00:00] Sam Reed: \u{200e}Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.\n\
         [28/11/2026, 14:03:11] Sam Reed: I saw you at the station\n\
         with your sister\n\
         [28/11/2026, 14:03:40] Sam Reed: \u{200e}<attached: 00000012-PHOTO-2026-11-28-14-03-40.jpg>\n\
         [28/11/2026, 14:04:02] Sam Reed: \u{200e}audio omitted\n",
        LONDON_WINTER,
        &[
            (Some("Sam Reed"), "2026-11-28T14:00:00Z", "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.", &[], true),
            (Some("Sam Reed"), "2026-11-28T14:03:11Z", "I saw you at the station\nwith your sister", &[], false),
            (Some("Sam Reed"), "2026-11-28T14:03:40Z", "", &["00000012-PHOTO-2026-11-28-14-03-40.jpg"], false),
            (Some("Sam Reed"), "2026-11-28T14:04:02Z", "", &["(omitted)"], false),
        ],
    ),
    (
        "ios, 12-hour, month first",
        "[11/28/26, 2:03:11 PM] Sam: hi\n[11/28/26, 12:00:05 AM] Sam: midnight\n",
        US_EAST,
        &[
            (Some("Sam"), "2026-11-28T19:03:11Z", "hi", &[], false),
            (Some("Sam"), "2026-11-28T05:00:05Z", "midnight", &[], false),
        ],
    ),
    (
        "dates that read both ways follow the locale hint",
        "03/04/2026, 09:15 - Sam: early\n",
        ReadContext { local_offset_minutes: 0, month_first_hint: true, zone_offsets: None },
        &[(Some("Sam"), "2026-03-04T09:15:00Z", "early", &[], false)],
    ),
];

#[test]
fn whatsapp_exports_read_as_threads() {
    for (what, text, ctx, want) in CASES {
        let got = parse_export("WhatsApp Chat with Sam.txt", text.as_bytes(), &[], ctx)
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(got.source, "whatsapp", "{what}");
        assert_eq!(
            got.messages.len(),
            want.len(),
            "{what}: {:#?}",
            got.messages
        );
        for (m, (author, utc, body, atts, system)) in got.messages.iter().zip(want.iter()) {
            assert_eq!(m.author.as_deref(), *author, "{what}");
            assert_eq!(utc_of(m), *utc, "{what}: {:?}", m.time.shown);
            assert_eq!(
                m.time.offset_minutes,
                Some(ctx.local_offset_minutes),
                "{what}"
            );
            assert!(m.time.approximate, "{what}: a WhatsApp time has no zone");
            assert_eq!(m.text, *body, "{what}");
            assert_eq!(m.system, *system, "{what}: {m:?}");
            let names: Vec<&str> = m
                .attachments
                .iter()
                .map(|a| {
                    if a.omitted {
                        "(omitted)"
                    } else {
                        a.name.as_str()
                    }
                })
                .collect();
            assert_eq!(names, *atts, "{what}");
        }
    }
}

#[test]
fn forms_phone_ids_and_notes() {
    let us = parse_export("c.txt", CASES[1].1.as_bytes(), &[], &US_EAST).unwrap();
    assert_eq!(us.form, "android, 12-hour, month-first");
    assert_eq!(us.messages[0].author_id.as_deref(), Some("+15550104477"));
    let ios = parse_export("_chat.txt", CASES[2].1.as_bytes(), &[], &LONDON_WINTER).unwrap();
    assert_eq!(ios.form, "ios, 24-hour, day-first");
    assert_eq!(ios.messages[1].author_id, None);
    let both = parse_export("c.txt", CASES[4].1.as_bytes(), &[], &CASES[4].2).unwrap();
    assert!(
        both.notes[0].contains("reads both ways"),
        "{:?}",
        both.notes
    );
    let with_media = parse_export(
        "c.txt",
        CASES[0].1.as_bytes(),
        &["other.jpg".into()],
        &BERLIN,
    )
    .unwrap();
    assert!(with_media
        .notes
        .iter()
        .any(|n| n.contains("not in the export")));
}

const TELEGRAM: &str = r#"{
 "name": "Sam Reed",
 "type": "personal_chat",
 "id": 4242,
 "messages": [
  {"id": 1, "type": "service", "date": "2026-11-28T14:00:00", "date_unixtime": "1795870800", "actor": "Sam Reed", "actor_id": "user4242", "action": "phone_call", "duration_seconds": 3, "text": "", "text_entities": []},
  {"id": 2, "type": "message", "date": "2026-11-28T14:03:11", "date_unixtime": "1795870991", "from": "Sam Reed", "from_id": "user4242", "text": ["Answer the ", {"type": "bold", "text": "phone"}, "\nNow."], "text_entities": []},
  {"id": 3, "type": "message", "date": "2026-11-28T14:04:00", "date_unixtime": "1795871040", "from": "Sam Reed", "from_id": "user4242", "photo": "photos/photo_3@28-11-2026_14-04-00.jpg", "width": 960, "height": 1280, "text": "", "text_entities": []},
  {"id": 4, "type": "message", "date": "2026-11-28T14:05:00", "from": "Sam Reed", "from_id": "user4242", "file": "(File not included. Change data exporting settings to download.)", "media_type": "voice_message", "text": "", "text_entities": []}
 ]
}"#;

#[test]
fn telegram_desktop_json_reads_as_a_thread() {
    let got = parse_export("result.json", TELEGRAM.as_bytes(), &[], &BERLIN).unwrap();
    assert_eq!(
        (got.source.as_str(), got.title.as_deref()),
        ("telegram", Some("Sam Reed"))
    );
    let m = &got.messages;
    assert_eq!(m.len(), 4);
    assert!(m[0].system);
    assert_eq!(m[0].text, "phone call");
    assert_eq!(m[1].author.as_deref(), Some("Sam Reed"));
    assert_eq!(m[1].author_id.as_deref(), Some("user4242"));
    assert_eq!(m[1].text, "Answer the phone\nNow.");
    // date_unixtime gives the exact time, and the offset the local date was written in.
    assert_eq!(utc_of(&m[1]), "2026-11-28T13:03:11Z");
    assert_eq!(
        (m[1].time.offset_minutes, m[1].time.approximate),
        (Some(60), false)
    );
    assert_eq!(
        m[2].attachments[0].name,
        "photos/photo_3@28-11-2026_14-04-00.jpg"
    );
    assert_eq!(m[2].attachments[0].kind.as_deref(), Some("photo"));
    let voice = &m[3].attachments[0];
    assert!(voice.omitted && voice.kind.as_deref() == Some("voice_message"));
    // Without date_unixtime: read in the given offset, approximate.
    assert_eq!(
        (utc_of(&m[3]).as_str(), m[3].time.approximate),
        ("2026-11-28T13:05:00Z", true)
    );
}

#[test]
fn hostile_exports_give_clear_errors_never_a_panic() {
    for (name, bytes) in [
        ("a.txt", &b""[..]),
        ("a.txt", b"hello there\nno stamps here"),
        ("a.txt", b"\xff\xfe\x00garbage"),
        ("a.txt", b"31/31/2026, 14:03 - A: impossible date"),
        (
            "a.txt",
            b"13/11/2026, 14:03 - A: x\n11/13/2026, 14:03 - A: y",
        ),
        ("a.json", b"{"),
        ("a.json", b"{\"chats\": {\"list\": []}}"),
        ("a.json", b"{\"messages\": [{\"type\": \"message\"}]}"),
        ("a.json", b"{\"messages\": [{\"date\": \"yesterday\"}]}"),
        ("a.json", b"[1,2,3]"),
    ] {
        let e = parse_export(name, bytes, &[], &BERLIN);
        assert!(e.is_err(), "{name} {:?}", String::from_utf8_lossy(bytes));
    }
    // Every cut of a real-shaped export parses or errors cleanly.
    for text in [CASES[0].1, CASES[2].1, TELEGRAM] {
        for cut in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
            let _ = parse_export("x", &text.as_bytes()[..cut], &[], &BERLIN);
        }
    }
    let _ = parse_export("x.txt", "99:99 - [".as_bytes(), &[], &BERLIN);
    let _ = parse_export(
        "x.txt",
        "1/1/1, 1:1 - a".as_bytes(),
        &[],
        &ReadContext {
            local_offset_minutes: i32::MAX,
            month_first_hint: false,
            zone_offsets: None,
        },
    );
}

#[test]
fn whatsapp_times_are_read_in_the_offset_of_their_own_date() {
    // A London chat over the March 2026 change (2026-03-29 01:00 UTC), imported in summer:
    // the import's offset (+60) must not be used for the winter messages.
    let text = "28/03/2026, 21:14 - Sam: winter evening\n\
                29/03/2026, 00:59 - Sam: last minute of GMT\n\
                29/03/2026, 01:30 - Sam: a time the clocks skipped\n\
                29/03/2026, 02:00 - Sam: first minute of BST\n\
                25/10/2026, 01:30 - Sam: a time that happened twice\n\
                25/10/2026, 02:00 - Sam: back on GMT\n";
    let ctx = ReadContext {
        local_offset_minutes: 60,
        month_first_hint: false,
        zone_offsets: Some(crate::zone::tests::london()),
    };
    let got = parse_export("WhatsApp Chat with Sam.txt", text.as_bytes(), &[], &ctx).unwrap();
    let times: Vec<(String, i32)> = got
        .messages
        .iter()
        .map(|m| (utc_of(m), m.time.offset_minutes.unwrap()))
        .collect();
    assert_eq!(
        times
            .iter()
            .map(|(u, o)| (u.as_str(), *o))
            .collect::<Vec<_>>(),
        [
            ("2026-03-28T21:14:00Z", 0),
            ("2026-03-29T00:59:00Z", 0),
            ("2026-03-29T00:30:00Z", 60),
            ("2026-03-29T01:00:00Z", 60),
            ("2026-10-25T00:30:00Z", 60),
            ("2026-10-25T02:00:00Z", 0),
        ]
    );
    assert!(got.messages.iter().all(|m| m.time.approximate));
    assert!(
        got.notes.iter().any(|n| n
            .contains("1 message time(s) fall in an hour the clocks skipped")
            && n.contains("1 message time(s) fall in an hour the clocks repeated")),
        "{:?}",
        got.notes
    );
    // The same text without a table: every time in the one offset, as before.
    let old = ReadContext {
        zone_offsets: None,
        ..ctx
    };
    let got = parse_export("WhatsApp Chat with Sam.txt", text.as_bytes(), &[], &old).unwrap();
    assert_eq!(utc_of(&got.messages[0]), "2026-03-28T20:14:00Z");
    assert!(got
        .messages
        .iter()
        .all(|m| m.time.offset_minutes == Some(60)));
    assert!(!got.notes.iter().any(|n| n.contains("clocks")));
}

#[test]
fn telegram_without_unixtime_is_read_in_the_zone_and_a_context_without_a_table_still_parses() {
    let json = r#"{"name":"Sam","type":"personal_chat","id":1,"messages":[
        {"id":1,"type":"message","date":"2026-03-28T21:14:00","from":"Sam","from_id":"user1","text":"a"},
        {"id":2,"type":"message","date":"2026-03-29T21:14:00","from":"Sam","from_id":"user1","text":"b"},
        {"id":3,"type":"message","date":"2026-03-29T01:30:00","from":"Sam","from_id":"user1","text":"c"}]}"#;
    let ctx: ReadContext = serde_json::from_value(serde_json::json!({
        "local_offset_minutes": 0,
        "month_first_hint": false,
        "zone_offsets": serde_json::to_value(crate::zone::tests::london()).unwrap(),
    }))
    .unwrap();
    let got = parse_export("result.json", json.as_bytes(), &[], &ctx).unwrap();
    assert_eq!(utc_of(&got.messages[0]), "2026-03-28T21:14:00Z");
    assert_eq!(utc_of(&got.messages[1]), "2026-03-29T20:14:00Z");
    assert_eq!(got.messages[1].time.offset_minutes, Some(60));
    assert_eq!(utc_of(&got.messages[2]), "2026-03-29T00:30:00Z");
    assert_eq!(
        got.notes,
        ["1 message time(s) fall in an hour the clocks skipped (they were read in the offset after the change); each is marked approximate."]
    );
    let old: ReadContext =
        serde_json::from_str(r#"{"local_offset_minutes":60,"month_first_hint":true}"#).unwrap();
    assert_eq!(old.zone_offsets, None);
}
