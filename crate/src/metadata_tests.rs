//! Tests for the typed metadata model (kept apart to keep the module small).

use super::*;
use crate::hash::sha256_hex;
use crate::record::{genesis_hex, parse, seal, RecordDraft};
use serde_json::json;

fn removal_json() -> Value {
    json!({
        "entered_at": "2026-11-25T17:04:11.000+00:00",
        "excerpt": "No reason given",
        "reason": "",
        "target": {
            "artifacts": [{"bytes": 3, "media_type": "image/png", "name": "screenshot.png",
                           "sha256": sha256_hex(b"png")}],
            "id": "item-0",
            "kind": "capture",
            "record_sha256": sha256_hex(b"rec"),
            "seq": 0
        },
        "title": "Content of item 0 removed"
    })
}

#[test]
fn removal_metadata_is_typed_with_its_target() {
    let m = Metadata::from_value(Kind::Removal, removal_json());
    let t = m.removal_target().expect("typed target");
    assert_eq!(t.seq, 0);
    assert_eq!(t.record_sha256, sha256_hex(b"rec"));
    assert_eq!(t.kind, Kind::Capture);
    assert_eq!(t.artifacts[0].name, "screenshot.png");
    assert_eq!(m.kind(), Some(Kind::Removal));
    assert_eq!(m.title(), Some("Content of item 0 removed"));
    assert_eq!(m.to_value(), removal_json(), "nothing lost or added");
    assert!(m.amendment_target().is_none());
}

#[test]
fn unknown_keys_are_kept_and_round_trip() {
    let mut v = removal_json();
    v["written_by"] = json!("an older build");
    let m = Metadata::from_value(Kind::Removal, v.clone());
    match &m {
        Metadata::Removal(r) => assert_eq!(r.extra["written_by"], "an older build"),
        other => panic!("not typed: {other:?}"),
    }
    assert_eq!(m.to_value(), v);
}

#[test]
fn shapes_that_do_not_round_trip_stay_unrecognised() {
    let cases = [
        (
            Kind::Removal,
            json!({"removes_seq": 4, "reason": "deleted by user"}),
        ),
        (Kind::Capture, json!({"url": "https://x.com/a"})),
        (Kind::Incident, json!("just a string")),
        (Kind::Amendment, json!(null)),
        // A missing optional key would come back as null: not lossless, so kept raw.
        (
            Kind::Capture,
            json!({"authors": [], "excerpt": "", "message_count": 0,
                               "missing": [], "platform": "x", "url": "u"}),
        ),
        // 1.0 is not the whole number 1.
        (
            Kind::Capture,
            json!({"authors": [], "excerpt": "", "message_count": 1.0,
                               "missing": [], "platform": "x", "site": null, "title": null, "url": "u"}),
        ),
    ];
    for (kind, v) in cases {
        let m = Metadata::from_value(kind, v.clone());
        assert_eq!(m, Metadata::Unrecognised(v.clone()), "{v}");
        assert_eq!(m.to_value(), v);
        assert_eq!(m.kind(), None);
    }
}

#[test]
fn records_read_metadata_by_kind_and_refuse_a_mismatch() {
    let draft = RecordDraft {
        id: "r".into(),
        kind: Kind::Removal,
        captured_at_ms: 1_795_626_251_000,
        local_offset_minutes: 0,
        time_zone: None,
        artifacts: vec![],
        metadata: Metadata::from_value(Kind::Removal, removal_json()),
    };
    let sealed = seal(&draft, 0, &genesis_hex()).expect("seals");
    let back = parse(&sealed.bytes).expect("parses");
    assert!(back.metadata.removal_target().is_some());
    assert_eq!(back, sealed.record);
    let mut wrong = draft;
    wrong.kind = Kind::Capture;
    assert!(seal(&wrong, 0, &genesis_hex()).is_err());
}

#[test]
fn summaries_serialise_with_sorted_keys() {
    let s = Summary::Removal(RemovalSummary {
        authors: vec![],
        excerpt: "e".into(),
        site: None,
        target_kind: Kind::Incident,
        target_seq: 3,
        title: "t".into(),
    });
    assert_eq!(
        serde_json::to_string(&s).expect("json"),
        r#"{"authors":[],"excerpt":"e","site":null,"target_kind":"incident","target_seq":3,"title":"t"}"#
    );
}
