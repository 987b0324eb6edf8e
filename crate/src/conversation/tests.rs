use super::chat_time::{day_of_label, resolve, time_of_day};
use super::merge::{merge, Seen};
use super::*;
use crate::capture::CaptureContext;
use crate::capture_metadata::CaptureMetadata;
use chrono::{DateTime, NaiveDate, NaiveTime};
use proptest::prelude::*;
use serde_json::json;

/// A resolved time as the capture's metadata.json writes it (to the millisecond).
fn utc(t: &crate::thread::MessageTime) -> String {
    t.utc_text(chrono::SecondsFormat::Millis).unwrap()
}

fn seen(k: &str, text: &str) -> Seen<()> {
    Seen {
        key: k.into(),
        text: text.into(),
        item: (),
    }
}

fn keys<T>(m: &[merge::Merged<T>]) -> Vec<String> {
    m.iter().map(|x| x.key.clone()).collect()
}

/// Steps that cover `0..n` in windows starting at `starts` (sorted, first 0), each window
/// reaching at least the next start (overlap 0 or more).
fn windows(n: usize, cuts: &[(usize, usize)]) -> Vec<Vec<Seen<()>>> {
    cuts.iter()
        .map(|&(a, b)| {
            (a..b.min(n))
                .map(|i| seen(&format!("m{i}"), &format!("text {i}")))
                .collect()
        })
        .collect()
}

proptest! {
    /// Any overlap between consecutive sweep windows (none, some, total) gives the true order.
    #[test]
    fn any_overlap_gives_the_same_list(n in 1usize..80, seed in proptest::collection::vec((1usize..20, 0usize..15), 1..40)) {
        let mut cuts = Vec::new();
        let mut start = 0usize;
        let mut end;
        for &(len, back) in &seed {
            end = (start + len).min(n);
            cuts.push((start, end));
            if end >= n { break; }
            start = end.saturating_sub(back).max(cuts.last().map_or(0, |c| c.0));
        }
        if cuts.last().map_or(0, |c| c.1) < n { cuts.push((start, n)); }
        let got = keys(&merge(&windows(n, &cuts)));
        let want: Vec<String> = (0..n).map(|i| format!("m{i}")).collect();
        prop_assert_eq!(got, want);
    }

    /// Windows visited in any order, each overlapping what was seen before, still merge in order.
    #[test]
    fn any_visiting_order_with_overlap(n in 2usize..60, picks in proptest::collection::vec((0usize..60, 1usize..12), 1..30)) {
        let mut lo = n / 2;
        let mut hi = lo + 1;
        let mut cuts = vec![(lo, hi)];
        for &(at, len) in &picks {
            // A window that touches [lo, hi) by at least one message.
            let a = (at % n).min(hi - 1);
            let b = (a + len).max(lo + 1).min(n);
            cuts.push((a, b));
            lo = lo.min(a);
            hi = hi.max(b);
        }
        cuts.push((0, lo + 1));
        cuts.push((hi - 1, n));
        let got = keys(&merge(&windows(n, &cuts)));
        let want: Vec<String> = (0..n).map(|i| format!("m{i}")).collect();
        prop_assert_eq!(got, want);
    }
}

#[test]
fn overlapping_steps_dedupe_and_keep_order() {
    let steps = vec![
        vec![seen("a", "1"), seen("b", "2"), seen("c", "3")],
        vec![seen("b", "2"), seen("c", "3"), seen("d", "4")],
        vec![seen("e", "5")],
    ];
    assert_eq!(keys(&merge(&steps)), ["a", "b", "c", "d", "e"]);
}

#[test]
fn changed_text_keeps_both_versions() {
    let steps = vec![
        vec![seen("a", "1"), seen("b", "before")],
        vec![seen("b", "after"), seen("c", "3")],
    ];
    let m = merge(&steps);
    assert_eq!(m[1].text, "before");
    assert_eq!(m[1].edits, ["after"]);
    assert!(m[1].changed());
    assert!(!m[0].changed());
}

#[test]
fn a_message_gone_between_shown_neighbours_is_marked() {
    let steps = vec![
        vec![seen("a", "1"), seen("b", "2"), seen("c", "3")],
        vec![seen("a", "1"), seen("c", "3"), seen("d", "4")],
    ];
    let m = merge(&steps);
    assert_eq!(keys(&m), ["a", "b", "c", "d"]);
    assert_eq!(m[1].disappeared_at, Some(1));
    assert!(m
        .iter()
        .filter(|x| x.key != "b")
        .all(|x| x.disappeared_at.is_none()));
    // Merely scrolled out of view: not disappeared.
    let steps = vec![
        vec![seen("a", "1"), seen("b", "2")],
        vec![seen("b", "2"), seen("c", "3")],
    ];
    assert!(merge(&steps).iter().all(|x| x.disappeared_at.is_none()));
}

#[test]
fn day_separators() {
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(); // a Tuesday
    let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
    assert_eq!(day_of_label("Today", today), Some((today, false)));
    assert_eq!(
        day_of_label("Yesterday", today),
        Some((d(2026, 11, 30), true))
    );
    assert_eq!(day_of_label("Monday", today), Some((d(2026, 11, 30), true)));
    assert_eq!(
        day_of_label("Tuesday", today),
        Some((d(2026, 11, 24), true))
    );
    assert_eq!(day_of_label("Sunday", today), Some((d(2026, 11, 29), true)));
    assert_eq!(
        day_of_label("20/11/2026", today),
        Some((d(2026, 11, 20), false))
    );
    assert_eq!(
        day_of_label("11/20/2026", today),
        Some((d(2026, 11, 20), false))
    );
    assert_eq!(
        day_of_label("05/06/2026", today),
        Some((d(2026, 6, 5), true))
    );
    assert_eq!(
        day_of_label("2026-11-20", today),
        Some((d(2026, 11, 20), false))
    );
    assert_eq!(
        day_of_label("November 20, 2026", today),
        Some((d(2026, 11, 20), false))
    );
    assert_eq!(
        day_of_label("Friday, 20 November 2026", today),
        Some((d(2026, 11, 20), false))
    );
    assert_eq!(day_of_label("20 Dec", today), Some((d(2025, 12, 20), true)));
    assert_eq!(day_of_label("New messages", today), None);
    assert_eq!(day_of_label("31/02/2026", today), None);
}

#[test]
fn times_of_day() {
    let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
    assert_eq!(time_of_day("21:14"), Some(t(21, 14)));
    assert_eq!(time_of_day("9:14 PM"), Some(t(21, 14)));
    assert_eq!(time_of_day("12:05 am"), Some(t(0, 5)));
    assert_eq!(time_of_day("12:05pm"), Some(t(12, 5)));
    assert_eq!(time_of_day("25:00"), None);
    assert_eq!(time_of_day("13:00 PM"), None);
    assert_eq!(time_of_day("hello"), None);
}

#[test]
fn chat_times_resolve_in_the_capture_offset() {
    let captured = DateTime::parse_from_rfc3339("2026-12-01T10:00:00+01:00").unwrap();
    let r = resolve("21:14", Some("20/11/2026"), &captured).unwrap();
    assert_eq!(utc(&r), "2026-11-20T20:14:00.000Z");
    assert_eq!(r.offset_minutes, Some(60));
    assert!(!r.approximate);
    let r = resolve("8:05 AM", Some("Yesterday"), &captured).unwrap();
    assert_eq!(utc(&r), "2026-11-30T07:05:00.000Z");
    assert!(r.approximate);
    // WhatsApp's data-pre-plain-text time: "21:14, 20/11/2026".
    let r = resolve("21:14, 20/11/2026", None, &captured).unwrap();
    assert_eq!(utc(&r), "2026-11-20T20:14:00.000Z");
    assert!(resolve("21:14", None, &captured).is_none());
}

fn ctx() -> CaptureContext {
    CaptureContext {
        captured_at_ms: 1_764_583_200_000, // 2025-12-01T10:00:00Z
        local_offset_minutes: 0,
        trigger: "api".into(),
        tab_url: "http://127.0.0.1:8765/chat.html".into(),
        ..Default::default()
    }
}

fn msg(
    id: Option<&str>,
    author: &str,
    uid: &str,
    text: &str,
    time: &str,
    day: &str,
    y: f64,
) -> serde_json::Value {
    json!({"platform": "discord", "author_name": author, "author_id": uid, "text": text, "time_text": time,
           "id": id, "day_label": day, "rect": {"x": 10, "y": y, "width": 300, "height": 40}})
}

fn input(steps: Vec<serde_json::Value>) -> LongCaptureInput {
    serde_json::from_value(json!({"scope": "conversation", "complete": true, "older_end_reached": true, "steps": steps})).unwrap()
}

#[test]
fn builds_metadata_and_segment_index() {
    let s0 = json!({"screen": "screen-001.png", "scroll_y": 0, "device_pixel_ratio": 1, "container": {"x": 0, "y": 50, "width": 800, "height": 400},
        "messages": [msg(Some("1"), "Troll", "111", "same", "21:14", "Yesterday", 60.0), msg(Some("2"), "Troll", "111", "same", "21:15", "Yesterday", 100.0)]});
    let s1 = json!({"screen": "screen-002.png", "scroll_y": 300, "device_pixel_ratio": 1, "container": {"x": 0, "y": 50, "width": 800, "height": 400},
        "messages": [msg(Some("2"), "Troll", "111", "same", "21:15", "Yesterday", 60.0), msg(None, "Me", "222", "stop", "09:00", "Today", 120.0)]});
    let built = build(&json!({"platform": "discord", "page": {"url": "http://127.0.0.1:8765/chat.html", "title": "#dm"}}), &input(vec![s0, s1]), &ctx()).unwrap();
    let m = &built.metadata;
    assert_eq!(m.scope.as_deref(), Some("conversation"));
    assert_eq!(
        m.messages.len(),
        3,
        "two identical texts with different ids stay two, the overlap is one"
    );
    assert_eq!(m.messages[0].thread.key.as_deref(), Some("id:discord:1"));
    assert_eq!(m.messages[0].thread.author_id.as_deref(), Some("111"));
    assert_eq!(
        m.messages[0].message.time.utc.as_deref(),
        Some("2025-11-30T21:14:00.000Z")
    );
    assert!(m.messages[0].message.time.approximate);
    assert_eq!(
        m.messages[0].message.time.source.as_deref(),
        Some("chat_time")
    );
    assert_eq!(m.messages[1].thread.screens, [0, 1]);
    assert!(m.messages[2]
        .thread
        .key
        .as_deref()
        .unwrap()
        .starts_with("fp:"));
    assert_eq!(
        m.messages[2].message.time.utc.as_deref(),
        Some("2025-12-01T09:00:00.000Z")
    );
    let conv = m.conversation.as_ref().unwrap();
    assert_eq!(conv.participants.len(), 2);
    assert_eq!(conv.screens, 2);
    assert_eq!(built.summary.scope.as_deref(), Some("conversation"));
    assert_eq!(built.summary.message_count, 3);
    assert_eq!(built.segments.screens[1].messages[0].key, "id:discord:2");
    assert_eq!(built.segments.screens[1].scroll_y, 300.0);
    // The documents read back; the segment index is sorted-key JSON.
    let back = CaptureMetadata::parse(&m.to_json_bytes().unwrap()).unwrap();
    assert_eq!(&back, m);
    let seg: serde_json::Value = serde_json::from_slice(&built.segments_bytes().unwrap()).unwrap();
    assert_eq!(seg["format"], SEGMENTS_FORMAT);
}

#[test]
fn fingerprints_without_ids_and_stop_reason() {
    let step = |ys: &[(&str, f64)]| json!({"scroll_y": 0, "device_pixel_ratio": 2, "messages": ys.iter().map(|(t, y)| msg(None, "A", "", t, "10:00", "Today", *y)).collect::<Vec<_>>()});
    let mut inp = input(vec![
        step(&[("one", 0.0), ("two", 40.0)]),
        step(&[("two", 0.0), ("three", 40.0)]),
    ]);
    inp.complete = false;
    inp.stop_reason = Some("cancelled by the user".into());
    let built = build(&json!(null), &inp, &ctx()).unwrap();
    let texts: Vec<&str> = built
        .metadata
        .messages
        .iter()
        .map(|m| m.message.text.as_str())
        .collect();
    assert_eq!(texts, ["one", "two", "three"]);
    assert!(
        built.metadata.messages[0].thread.author_id.is_none(),
        "an empty identifier is none"
    );
    assert!(built
        .metadata
        .missing
        .iter()
        .any(|s| s.contains("cancelled by the user")));
    assert!(!built.metadata.conversation.as_ref().unwrap().complete);
    let mut bad = inp.clone();
    bad.scope = "screen".into();
    assert!(build(&json!(null), &bad, &ctx()).is_err());
}

#[test]
fn the_account_falls_back_to_the_handle_then_the_profile_url() {
    let step = json!({"messages": [
        {"platform": "x", "author_name": "T", "author_handle": "@Troll", "author_url": "/Troll", "text": "a", "rect": {}},
        {"platform": "facebook", "author_name": "F", "author_url": "https://www.facebook.com/profile.php?id=100012345", "text": "b", "rect": {}},
        {"platform": "discord", "author_name": "D", "author_id": "417629345681276929", "author_handle": "@d", "text": "c", "rect": {}}
    ]});
    let built = build(&json!(null), &input(vec![step]), &ctx()).unwrap();
    let ids: Vec<Option<&str>> = built
        .metadata
        .messages
        .iter()
        .map(|m| m.thread.author_id.as_deref())
        .collect();
    assert_eq!(
        ids,
        [
            Some("@Troll"),
            Some("https://www.facebook.com/profile.php?id=100012345"),
            Some("417629345681276929")
        ]
    );
}

#[test]
fn one_screen_metadata_serialises_without_the_new_keys() {
    let built = crate::capture::build(&json!({"messages": [{"text": "hi"}]}), &ctx()).unwrap();
    let v = serde_json::to_value(&built.metadata).unwrap();
    assert!(v.get("scope").is_none() && v.get("conversation").is_none());
    let m = &v["messages"][0];
    for k in [
        "key",
        "author_id",
        "day_label",
        "marks",
        "edits",
        "screens",
        "time_offset_minutes",
    ] {
        assert!(m.get(k).is_none(), "{k}");
    }
    assert!(serde_json::to_value(&built.summary)
        .unwrap()
        .get("scope")
        .is_none());
}

#[test]
fn chat_times_resolve_in_the_offset_of_their_own_date() {
    use super::chat_time::resolve_in;
    let london = crate::zone::tests::london();
    // Captured in summer (+01:00); a winter message keeps GMT.
    let captured = DateTime::parse_from_rfc3339("2026-04-02T10:00:00+01:00").unwrap();
    let r = resolve_in("21:14", Some("28/03/2026"), &captured, Some(&london)).unwrap();
    assert_eq!(utc(&r), "2026-03-28T21:14:00.000Z");
    assert_eq!(r.offset_minutes, Some(0));
    assert!(!r.approximate);
    let r = resolve_in("21:14, 29/03/2026", None, &captured, Some(&london)).unwrap();
    assert_eq!(utc(&r), "2026-03-29T20:14:00.000Z");
    assert_eq!(r.offset_minutes, Some(60));
    // The skipped hour and the repeated hour are approximate.
    let r = resolve_in("01:30", Some("29/03/2026"), &captured, Some(&london)).unwrap();
    assert_eq!(
        (utc(&r).as_str(), r.offset_minutes.unwrap()),
        ("2026-03-29T00:30:00.000Z", 60)
    );
    assert!(r.approximate);
    let r = resolve_in("01:30", Some("25/10/2026"), &captured, Some(&london)).unwrap();
    assert_eq!(
        (utc(&r).as_str(), r.offset_minutes.unwrap()),
        ("2026-10-25T00:30:00.000Z", 60)
    );
    assert!(r.approximate);
    // No table: the capture's offset, as before.
    let r = resolve("21:14", Some("28/03/2026"), &captured).unwrap();
    assert_eq!(
        (utc(&r).as_str(), r.offset_minutes.unwrap()),
        ("2026-03-28T20:14:00.000Z", 60)
    );
}

#[test]
fn a_long_capture_reads_day_separators_in_the_zone_it_is_given() {
    let step = json!({"screen": "screen-001.png", "scroll_y": 0, "device_pixel_ratio": 1, "container": {"x": 0, "y": 50, "width": 800, "height": 400},
        "messages": [msg(Some("1"), "Troll", "111", "before", "21:14", "28/03/2026", 60.0), msg(Some("2"), "Troll", "111", "after", "21:14", "29/03/2026", 100.0)]});
    let mut input = input(vec![step]);
    input.zone_offsets = Some(
        serde_json::from_value(serde_json::to_value(crate::zone::tests::london()).unwrap())
            .unwrap(),
    );
    let mut ctx = ctx();
    ctx.captured_at_ms = 1_775_120_400_000; // 2026-04-02T09:00:00Z
    ctx.local_offset_minutes = 60;
    let built = build(&json!({"platform": "discord", "page": {"url": "http://127.0.0.1:8765/chat.html", "title": "#dm"}}), &input, &ctx).unwrap();
    let got: Vec<(Option<&str>, Option<i32>)> = built
        .metadata
        .messages
        .iter()
        .map(|m| (m.message.time.utc.as_deref(), m.thread.time_offset_minutes))
        .collect();
    assert_eq!(
        got,
        [
            (Some("2026-03-28T21:14:00.000Z"), Some(0)),
            (Some("2026-03-29T20:14:00.000Z"), Some(60))
        ]
    );
}
