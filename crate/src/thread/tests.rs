//! The one model against the stored documents users already hold: fixtures written by the
//! code before the model was unified (`crate/tests/fixtures/thread/`, frozen) still read,
//! write the same bytes, and print the same report thread.

use super::*;
use crate::chat_export::tests::{BERLIN, US_EAST};
use crate::chat_export::{read_chat_file, ChatDocument, ReadContext};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/thread/");

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{DIR}{name}")).unwrap()
}

fn text(name: &str) -> String {
    String::from_utf8(fixture(name)).unwrap()
}

/// (export file name, fixture stem, context)
const CHATS: [(&str, &str, ReadContext); 3] = [
    ("WhatsApp Chat with Sam Reed.txt", "whatsapp", BERLIN),
    ("WhatsApp Chat with +1 555.txt", "whatsapp-us", US_EAST),
    ("result.json", "telegram", BERLIN),
];

#[test]
fn old_chat_metadata_reads_and_writes_the_same_bytes() {
    for (_, stem, _) in CHATS {
        let old = fixture(&format!("{stem}.metadata.json"));
        let doc: ChatDocument = serde_json::from_slice(&old).unwrap();
        assert_eq!(doc.to_json_bytes().unwrap(), old, "{stem}");
        let summary = serde_json::to_vec_pretty(&doc.summary()).unwrap();
        assert_eq!(summary, fixture(&format!("{stem}.summary.json")), "{stem}");
    }
}

#[test]
fn a_new_import_writes_what_the_old_code_wrote() {
    for (name, stem, ctx) in CHATS {
        let input = fixture(&format!("{stem}.input"));
        let mut src: &[u8] = &input;
        let doc = read_chat_file(name, &mut src, &ctx).unwrap().unwrap();
        assert_eq!(
            doc.to_json_bytes().unwrap(),
            fixture(&format!("{stem}.metadata.json")),
            "{stem}: the format stays evidence-chat-export/1, byte for byte"
        );
    }
}

#[test]
fn the_one_reader_takes_both_stored_shapes_and_the_one_writer_prints_them_as_before() {
    for (_, stem, _) in CHATS {
        let doc: serde_json::Value =
            serde_json::from_slice(&fixture(&format!("{stem}.metadata.json"))).unwrap();
        let t = read(&doc).unwrap().unwrap();
        assert_eq!(t.kind, ThreadKind::ChatExport, "{stem}");
        assert!(t.messages.iter().all(|m| m.time.utc_ms.is_some()), "{stem}");
        assert_eq!(
            html::thread_html(&t),
            text(&format!("{stem}.thread.html")),
            "{stem}"
        );
    }
    let t = read_bytes(&fixture("capture.metadata.json"))
        .unwrap()
        .unwrap();
    assert_eq!(t.kind, ThreadKind::Conversation);
    assert_eq!(t.messages.len(), 5);
    let first = &t.messages[0];
    assert_eq!(
        (first.author.as_deref(), first.author_id.as_deref()),
        (Some("Troll"), Some("111"))
    );
    // 2025-11-30T20:14:00.000Z, resolved from "Yesterday" and "21:14" at +01:00.
    assert_eq!(first.time.utc_ms, Some(1_764_533_640_000));
    assert_eq!(first.time.offset_minutes, Some(60));
    assert_eq!(first.edits, ["first, edited"]);
    assert_eq!(first.screens, [0, 1]);
    assert!(t.messages[1]
        .marks
        .iter()
        .any(|m| m == crate::conversation::DISAPPEARED));
    let html = html::thread_html(&t);
    let old = text("capture.thread.html");
    // The frozen fragment starts with the stitched image, which is the record's.
    let (figure, thread) = old.split_at(old.find("<h3>").unwrap());
    assert!(figure.starts_with("<figure>"));
    assert_eq!(html, thread);
}

#[test]
fn a_one_screen_capture_reads_as_its_messages_and_prints_as_before() {
    // The golden one-screen metadata.json of the record-model fixtures.
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/model/capture-full.metadata.json"
    ))
    .unwrap();
    let t = read_bytes(&bytes).unwrap().unwrap();
    assert_eq!(
        (t.kind, t.messages.len(), t.capture.is_none()),
        (ThreadKind::Screen, 4, true)
    );
    assert_eq!(
        t.messages[0].profile_url.as_deref(),
        Some("https://x.com/troll")
    );
    assert_eq!(t.messages[0].handle.as_deref(), Some("@troll"));
    assert!(t.messages[0].id_time_ms.is_some());
    assert!(!t.messages[3].visible, "the offscreen one");
    let old = text("screen.thread.html");
    let (figure, thread) = old.split_at(old.find("<h3>").unwrap());
    assert!(figure.starts_with("<figure>"));
    assert_eq!(html::thread_html(&t), thread);
    let none = serde_json::json!({"format": "evidence-capture-metadata/1", "messages": []});
    assert_eq!(html::thread_html(&read(&none).unwrap().unwrap()), "");
}

#[test]
fn other_documents_have_no_thread_and_a_broken_chat_is_an_error() {
    let other = serde_json::json!({"format": "evidence-other/1", "messages": [{"text": "hi"}]});
    assert_eq!(read(&other).unwrap(), None);
    let unknown_scope = serde_json::json!({"scope": "tab", "messages": [{"text": "hi"}]});
    assert_eq!(read(&unknown_scope).unwrap(), None);
    let mut chat: serde_json::Value =
        serde_json::from_slice(&fixture("whatsapp.metadata.json")).unwrap();
    chat["messages"][0]["time"]["utc"] = serde_json::json!("yesterday");
    assert!(read(&chat).is_err());
    assert!(read_bytes(b"{not json").is_err());
}

#[test]
fn times_convert_at_the_edges_without_loss() {
    for s in ["2026-11-28T12:58:00Z", "2025-11-30T08:00:00.123Z"] {
        let t = MessageTime {
            utc_ms: parse_utc_ms(s),
            ..MessageTime::default()
        };
        let precision = if s.contains('.') {
            SecondsFormat::Millis
        } else {
            SecondsFormat::Secs
        };
        assert_eq!(t.utc_text(precision).as_deref(), Some(s));
    }
    assert_eq!(
        parse_utc_ms("2026-11-28T13:58:00+01:00"),
        parse_utc_ms("2026-11-28T12:58:00Z")
    );
    assert_eq!(MessageTime::default().utc_text(SecondsFormat::Secs), None);
}

#[test]
fn a_long_capture_builds_the_same_metadata_as_before() {
    // The sweep the frozen capture.metadata.json was built from, by the code before the
    // model was unified (its chat times now pass through MessageTime).
    let doc: serde_json::Value = serde_json::from_slice(&fixture("capture.input.json")).unwrap();
    let input: crate::conversation::LongCaptureInput =
        serde_json::from_value(doc["input"].clone()).unwrap();
    let ctx: crate::capture::CaptureContext = serde_json::from_value(doc["ctx"].clone()).unwrap();
    let built = crate::conversation::build(&doc["raw"], &input, &ctx).unwrap();
    assert_eq!(
        built.metadata.to_json_bytes().unwrap(),
        fixture("capture.metadata.json")
    );
}
