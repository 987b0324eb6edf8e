//! Tests for the timeline `report.html` (kept apart to keep the module small).

use super::*;
use crate::record::{genesis_hex, seal, ArtifactRef, Kind, RecordDraft};
use crate::test_fixtures::screenshot_capture;
use serde_json::json;

fn input() -> ReportInput {
    let draft = screenshot_capture("a", 1_764_089_746_000, 60, Some("Europe/Paris"));
    let rec = seal(&draft, 0, &genesis_hex()).expect("seals").record;
    ReportInput {
        exported_at: "2026-11-25T18:00:00.000Z".into(),
        local_offset_minutes: 0,
        exported_by: Some("<script>alert(1)</script>".into()),
        tool_version: "0.1.0".into(),
        head: "cd".repeat(32),
        items: vec![
            ReportItem {
                reference: None,
                seq: 0,
                status: "included".into(),
                record_sha256: "11".repeat(32),
                chain_sha256: "22".repeat(32),
                record: Some(rec),
                capture_metadata: Some(json!({
                    "page": {"url": "https://x.com/t/status/1", "title": "Post <b>", "final_url": "https://x.com/t/status/1"},
                    "platform": "x",
                    "environment": {"browser": "Chromium", "browser_version": "156"},
                    "messages": [{"author": {"name": "Troll", "handle": "@troll", "profile_url": "javascript:alert(1)"},
                                  "text": "I know where you live", "time": {"utc": "2026-11-20T20:03:51.000Z", "shown": "2h", "approximate": false},
                                  "permalink": "https://x.com/troll/status/1", "id_time_utc": "2026-11-20T20:03:51.842Z"}],
                    "missing": []
                })),
                folder: Some("items/000000".into()),
            },
            ReportItem {
                reference: None,
                seq: 1,
                status: "withheld".into(),
                record_sha256: "33".repeat(32),
                chain_sha256: "44".repeat(32),
                record: None,
                capture_metadata: None,
                folder: None,
            },
        ],
    }
}

#[test]
fn renders_cover_items_hashes_and_escapes() {
    let html = render(&input());
    assert!(html.contains("Evidence report"));
    assert!(html.contains("2 in total: 1 included, 1 withheld, 0 removed"));
    assert!(html.contains(&"cd".repeat(32)));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<script>"));
    assert!(html.contains("Post &lt;b&gt;"));
    assert!(html.contains("I know where you live"));
    assert!(html.contains("<img src=\"items/000000/screenshot.png\""));
    assert!(html.contains("local time 2025-11-25 17:55:46 UTC+01:00"));
    assert!(html.contains("server time from the post id: 2026-11-20T20:03:51.842Z UTC"));
    assert!(!html.contains("href=\"javascript:"), "only http(s) links");
    assert!(html.contains("Item 1 — withheld"));
    assert!(html.contains(&"33".repeat(32)));
}

#[test]
fn incident_types_are_shown_as_the_diary_form_names_them() {
    use crate::diary::{build_incident, EntryContext, IncidentInput};
    let ctx = EntryContext {
        entered_at_ms: 1_795_626_131_000,
        local_offset_minutes: 0,
    };
    let item = |seq: u64, ty: &str, other: Option<&str>| {
        let input: IncidentInput = serde_json::from_value(json!({
            "occurred_at": "2026-11-20T14:30:00+01:00",
            "type": ty,
            "type_other": other,
            "what_happened": "He waited by the door."
        }))
        .expect("input");
        let built = build_incident(&input, &ctx).expect("builds");
        let draft = RecordDraft {
            id: format!("i{seq}"),
            kind: Kind::Incident,
            captured_at_ms: ctx.entered_at_ms,
            local_offset_minutes: 0,
            time_zone: None,
            artifacts: vec![],
            metadata: built.metadata,
        };
        ReportItem {
            reference: None,
            seq,
            status: "included".into(),
            record_sha256: "11".repeat(32),
            chain_sha256: "22".repeat(32),
            record: Some(seal(&draft, 0, &genesis_hex()).expect("seals").record),
            capture_metadata: None,
            folder: None,
        }
    };
    let mut report = input();
    report.items = vec![
        item(0, "visit_home", None),
        item(1, "other", Some("Drone over the garden")),
    ];
    let html = render(&report);
    assert!(
        html.contains("<tr><th>Type</th><td>Came to my home</td></tr>"),
        "{html}"
    );
    assert!(!html.contains("visit home"));
    assert!(html.contains("<tr><th>Type</th><td>Something else: Drone over the garden</td></tr>"));
}

/// Issue 11: a whole conversation prints as a thread with its stitched image, each message's
/// account identifier, and what changed or disappeared during the capture.
#[test]
fn a_whole_conversation_prints_as_a_thread() {
    let mut inp = input();
    let item = &mut inp.items[0];
    if let Some(rec) = item.record.as_mut() {
        rec.artifacts.push(ArtifactRef {
            name: "stitched-01.png".into(),
            media_type: "image/png".into(),
            bytes: 10,
            sha256: "cd".repeat(32),
        });
    }
    item.capture_metadata = Some(json!({
        "scope": "conversation",
        "page": {"url": "http://127.0.0.1/chat", "final_url": "http://127.0.0.1/chat"},
        "conversation": {"complete": false, "stop_reason": "cancelled by the user", "screens": 4,
                         "participants": [{"name": "Drew", "author_id": "417629345681276929", "messages": 1}]},
        "messages": [
            {"author": {"name": "Drew"}, "author_id": "417629345681276929", "text": "first <i>",
             "time": {"utc": "2026-11-20T20:03:00.000Z", "shown": "20:03", "approximate": true},
             "edits": ["second"], "marks": ["changed_during_capture"]},
            {"author": {"name": "Maya"}, "text": "gone", "time": {}, "marks": ["disappeared_during_capture"]}
        ]
    }));
    let html = render(&inp);
    assert!(html.contains("<img src=\"items/000000/stitched-01.png\""));
    assert!(
        !html.contains("items/000000/screenshot.png\""),
        "the stitched image, not the first screen"
    );
    assert!(html.contains("The whole conversation, in order (2 messages)"));
    assert!(html.contains("stopped early (cancelled by the user), after 4 screens"));
    assert!(html.contains("Drew · account 417629345681276929"));
    assert!(html.contains("first &lt;i&gt;"));
    assert!(html.contains("Changed during the capture (version 2)"));
    assert!(html.contains("2026-11-20T20:03:00.000Z UTC (approximate); shown as “20:03”"));
    assert!(html.contains("Disappeared during the capture"));
}
