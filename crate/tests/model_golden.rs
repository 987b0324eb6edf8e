//! Golden bytes: records, `metadata.json` documents and summaries made by the builders
//! before the evidence model was typed (saved under `tests/fixtures/model/`). Today's
//! builders must give byte-identical output for the same inputs, and every saved record
//! must still parse into the typed model.

use evidence_core::capture::{self, CaptureContext};
use evidence_core::capture_metadata::CaptureMetadata;
use evidence_core::diary::{self, IncidentInput};
use evidence_core::entries::{self, AmendmentInput, EntryContext, RemovalInput};
use evidence_core::metadata::Metadata;
use evidence_core::record::{self, ArtifactRef, Kind, RecordDraft, SealedRecord};
use serde_json::{json, Value};
use std::path::PathBuf;

fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/model")
        .join(name)
}

fn check(name: &str, bytes: &[u8]) {
    let path = fixture_path(name);
    let want = std::fs::read(&path).expect("fixture exists");
    assert!(
        want == bytes,
        "{name} differs from the saved bytes:\n--- saved\n{}\n--- now\n{}",
        String::from_utf8_lossy(&want),
        String::from_utf8_lossy(bytes)
    );
}

fn pretty(v: &impl serde::Serialize) -> Vec<u8> {
    serde_json::to_vec_pretty(&serde_json::to_value(v).expect("value")).expect("json")
}

fn sha(s: &str) -> String {
    evidence_core::hash::sha256_hex(s.as_bytes())
}

fn capture_cases() -> Vec<(&'static str, Value, CaptureContext)> {
    let full_ctx: CaptureContext = serde_json::from_value(json!({
        "captured_at_ms": 1_764_089_746_123i64,
        "local_offset_minutes": 60,
        "time_zone": "Europe/Berlin",
        "trigger": "popup",
        "tab_url": "https://x.com/victim/status/1759241476758733209",
        "tab_title": "Tab title",
        "browser": "Chromium",
        "browser_version": "131.0.6778.85",
        "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/131",
        "extension_version": "0.1.0",
        "screenshot_method": "tabs.captureVisibleTab",
        "screenshot_width": 1280,
        "screenshot_height": 800,
        "snapshot_method": "pageCapture.saveAsMHTML",
        "missing": [],
        "extraction_error": null
    }))
    .expect("ctx");
    let full_raw = json!({
        "schema": 1,
        "platform": "x",
        "page": {"url": "https://x.com/victim/status/1759241476758733209", "title": "Post / X ✓",
                 "lang": "en", "description": "  A post  ",
                 "canonical": "/victim/status/1759241476758733209",
                 "og": {"og:site_name": "X", "og:title": "Zoë on X", "og:bad": 3},
                 "twitter": {"twitter:card": "summary"}, "article": {"article:author": "Zoë"}},
        "env": {"user_agent": "ignored: the context has one", "language": "en-GB",
                "viewport": {"width": 1280, "height": 800}, "device_pixel_ratio": 1.5,
                "scroll": {"x": 0, "y": 40}, "document": {"width": 1280, "height": 9000}},
        "messages": [
            {"platform": "x", "author_name": "Troll", "author_handle": "@troll", "author_url": "/troll",
             "text": "I know where you live", "time_text": "2h", "time_datetime": "2024-02-18T15:40:27.000Z",
             "permalink": "/troll/status/1759241476758733209", "visible": true},
            {"platform": "x", "author_name": "Troll", "author_handle": "@troll",
             "text": "   ", "time_text": "Feb 18", "visible": true},
            {"platform": "x", "author_handle": "@second", "text": "Café ünïcödé", "time_epoch": 1708270827,
             "visible": true},
            {"platform": "x", "author_name": "Other", "text": "offscreen", "visible": false},
            "not an object",
            {"platform": 7}
        ],
        "messages_offscreen": 1,
        "skipped_promoted": 2
    });
    let mut failed_ctx = full_ctx.clone();
    failed_ctx.tab_url = "https://example.org/a.pdf".into();
    failed_ctx.tab_title = None;
    failed_ctx.screenshot_method = None;
    failed_ctx.screenshot_width = None;
    failed_ctx.screenshot_height = None;
    failed_ctx.extraction_error = Some("Cannot access contents of the page".into());
    failed_ctx.missing = vec!["screenshot: the tab was closed".into()];
    let minimal_ctx: CaptureContext = serde_json::from_value(json!({
        "captured_at_ms": 1_767_225_600_000i64,
        "local_offset_minutes": -300,
        "trigger": "api",
        "tab_url": "https://forum.example/t/1",
        "missing": []
    }))
    .expect("ctx");
    let minimal_raw = json!({
        "page": {"title": "Forum"},
        "env": {"viewport": {"width": 800}},
        "messages": [{"author_name": "Anon", "text": "hello there"}],
        "error": "partial read"
    });
    vec![
        ("capture-full", full_raw, full_ctx),
        ("capture-unreadable", Value::Null, failed_ctx),
        ("capture-minimal", minimal_raw, minimal_ctx),
    ]
}

fn ctx(ms: i64, offset: i32) -> EntryContext {
    EntryContext {
        entered_at_ms: ms,
        local_offset_minutes: offset,
    }
}

fn incident_cases() -> Vec<(&'static str, IncidentInput)> {
    let full: IncidentInput = serde_json::from_value(json!({
        "occurred_at": "2026-11-20T14:30:00+01:00",
        "type": "visit_home",
        "type_other": "ignored unless other",
        "location": "  Outside my flat \r\n",
        "what_happened": "He waited by the door:\r\n\"I saw you with him\".",
        "person": {"name": "J. Smith", "description": "Tall, grey coat"},
        "witnesses": "Neighbour at no. 4",
        "effect": "Scared to go home.",
        "police": {"reported": false, "reference": "CAD 1234", "officer": null},
        "attachments": [
            {"original_name": "Photo of note.JPG", "media_type": "", "bytes": 12, "sha256": sha("a")},
            {"original_name": "call.m4a", "media_type": "audio/mp4; codecs=x", "bytes": 7, "sha256": sha("b")}
        ]
    }))
    .expect("incident");
    let other: IncidentInput = serde_json::from_value(json!({
        "occurred_at": "2026-11-21T08:00:00-05:00",
        "type": "other",
        "type_other": "Drone over the garden",
        "what_happened": "x".repeat(300),
        "police": {"reported": true}
    }))
    .expect("incident");
    let minimal: IncidentInput = serde_json::from_value(json!({
        "occurred_at": "2026-11-22T23:59:00+00:00",
        "type": "phone_call",
        "what_happened": "Three silent calls."
    }))
    .expect("incident");
    vec![
        ("incident-full", full),
        ("incident-other", other),
        ("incident-minimal", minimal),
    ]
}

fn seal_next(chain: &mut Vec<SealedRecord>, draft: RecordDraft) -> SealedRecord {
    let (seq, prev) = match chain.last() {
        Some(s) => (s.record.seq + 1, s.sha256.clone()),
        None => (0, record::genesis_hex()),
    };
    let sealed = record::seal(&draft, seq, &prev).expect("seals");
    chain.push(sealed.clone());
    sealed
}

/// Build every case, in one chain, checking each output against its fixture.
fn build_all() -> Vec<SealedRecord> {
    let mut chain = Vec::new();
    for (name, raw, c) in capture_cases() {
        let built = capture::build(&raw, &c).expect("builds");
        let meta_bytes = built.metadata.to_json_bytes().expect("json");
        check(&format!("{name}.metadata.json"), &meta_bytes);
        check(&format!("{name}.summary.json"), &pretty(&built.summary));
        let draft = RecordDraft {
            id: format!("{name}-id"),
            kind: Kind::Capture,
            captured_at_ms: c.captured_at_ms,
            local_offset_minutes: c.local_offset_minutes,
            time_zone: c.time_zone.clone(),
            artifacts: vec![
                ArtifactRef {
                    name: "screenshot.png".into(),
                    media_type: "image/png".into(),
                    bytes: 3,
                    sha256: sha("png"),
                },
                ArtifactRef {
                    name: "metadata.json".into(),
                    media_type: "application/json".into(),
                    bytes: meta_bytes.len() as u64,
                    sha256: evidence_core::hash::sha256_hex(&meta_bytes),
                },
            ],
            metadata: Metadata::Capture(built.summary.clone()),
        };
        let sealed = seal_next(&mut chain, draft);
        check(&format!("{name}.record.json"), &sealed.bytes);
    }
    let entered = 1_795_626_131_000i64;
    for (name, input) in incident_cases() {
        let built = diary::build_incident(&input, &ctx(entered, 60)).expect("builds");
        check(&format!("{name}.summary.json"), &pretty(&built.summary));
        let draft = RecordDraft {
            id: format!("{name}-id"),
            kind: Kind::Incident,
            captured_at_ms: entered,
            local_offset_minutes: 60,
            time_zone: None,
            artifacts: built.artifacts.clone(),
            metadata: built.metadata.clone(),
        };
        let sealed = seal_next(&mut chain, draft);
        check(&format!("{name}.record.json"), &sealed.bytes);
    }
    let amendments: Vec<(&str, usize, Value)> = vec![
        (
            "amendment-note",
            0,
            json!({"note": "  The car was blue.\r\n ", "correction": false}),
        ),
        (
            "amendment-correction",
            3,
            json!({"note": "It was 14:45, not 14:30.", "correction": true}),
        ),
        (
            "amendment-files",
            4,
            json!({"attachments": [{"original_name": "Café menu.pdf", "media_type": "application/pdf", "bytes": 99, "sha256": sha("c")}]}),
        ),
    ];
    for (name, target, rest) in amendments {
        let t = chain[target].clone();
        let mut v = rest;
        v["target"] = json!({"seq": t.record.seq, "id": t.record.id, "record_sha256": t.sha256});
        let input: AmendmentInput = serde_json::from_value(v).expect("amendment");
        let built = entries::build_amendment(&input, &ctx(entered + 60_000, -330)).expect("builds");
        check(&format!("{name}.summary.json"), &pretty(&built.summary));
        let draft = RecordDraft {
            id: format!("{name}-id"),
            kind: Kind::Amendment,
            captured_at_ms: entered + 60_000,
            local_offset_minutes: -330,
            time_zone: Some("Asia/Kolkata".into()),
            artifacts: built.artifacts.clone(),
            metadata: built.metadata.clone(),
        };
        let sealed = seal_next(&mut chain, draft);
        check(&format!("{name}.record.json"), &sealed.bytes);
    }
    for (name, target, reason) in [
        ("removal-capture", 0usize, "Posted my address by mistake"),
        ("removal-incident", 5, ""),
    ] {
        let t = chain[target].clone();
        let input: RemovalInput = serde_json::from_value(json!({
            "target": {"seq": t.record.seq, "id": t.record.id, "record_sha256": t.sha256,
                       "kind": t.record.kind, "artifacts": t.record.artifacts},
            "reason": reason,
        }))
        .expect("removal");
        let built = entries::build_removal(&input, &ctx(entered + 120_000, 0)).expect("builds");
        check(&format!("{name}.summary.json"), &pretty(&built.summary));
        let draft = RecordDraft {
            id: format!("{name}-id"),
            kind: Kind::Removal,
            captured_at_ms: entered + 120_000,
            local_offset_minutes: 0,
            time_zone: Some("UTC".into()),
            artifacts: built.artifacts.clone(),
            metadata: built.metadata.clone(),
        };
        let sealed = seal_next(&mut chain, draft);
        check(&format!("{name}.record.json"), &sealed.bytes);
    }
    chain
}

#[test]
fn builders_give_the_saved_bytes() {
    let chain = build_all();
    assert_eq!(chain.len(), 11);
}

#[test]
fn saved_records_parse_into_the_typed_model() {
    let names = std::fs::read_dir(fixture_path("")).expect("fixtures");
    let mut records = 0;
    let mut documents = 0;
    for entry in names {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        let bytes = std::fs::read(&path).expect("read");
        if name.ends_with(".record.json") {
            records += 1;
            let rec = record::parse(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(
                rec.metadata.kind(),
                Some(rec.kind),
                "{name} is typed by its kind"
            );
            // Re-serialising the typed record gives back the stored bytes exactly.
            assert!(
                serde_json::to_vec_pretty(&rec).expect("json") == bytes,
                "{name}"
            );
            if rec.kind == Kind::Removal {
                let t = rec.metadata.removal_target().expect("target");
                assert!(evidence_core::hash::is_digest(&t.record_sha256), "{name}");
            }
        } else if name.ends_with(".metadata.json") {
            documents += 1;
            let doc = CaptureMetadata::parse(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(doc.format, capture::METADATA_FORMAT);
            assert!(doc.extra.is_empty(), "{name}: every key is typed");
            assert!(doc.to_json_bytes().expect("json") == bytes, "{name}");
        }
    }
    assert_eq!((records, documents), (11, 3));
}

/// The extension passes drafts as plain objects: a draft read from JSON, its metadata
/// read by kind, seals to the same bytes as the builder's typed draft.
#[test]
fn drafts_read_from_json_seal_to_the_same_bytes() {
    let chain = build_all();
    for sealed in &chain {
        let r = &sealed.record;
        let at = chrono::DateTime::parse_from_rfc3339(&r.captured_at).expect("time");
        let draft_json = json!({
            "id": r.id,
            "kind": r.kind,
            "captured_at_ms": at.timestamp_millis(),
            "local_offset_minutes": r.local_offset_minutes,
            "time_zone": r.time_zone,
            "artifacts": r.artifacts,
            "metadata": r.metadata,
        });
        let draft: RecordDraft = serde_json::from_value(draft_json).expect("draft");
        assert_eq!(draft.metadata.kind(), Some(r.kind));
        let again = record::seal(&draft, r.seq, &r.prev_record_sha256).expect("seals");
        assert!(again.bytes == sealed.bytes, "{}", r.id);
    }
}
