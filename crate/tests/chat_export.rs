//! Chat exports as evidence: a WhatsApp `.zip` written by another ZIP implementation (as a
//! phone writes it), read into the thread that goes into `metadata.json`, the record and
//! the report.
#![allow(clippy::unwrap_used)]

use evidence_core::chat_export::{read_chat_file, ReadContext, CHAT_FORMAT};
use evidence_core::entries::EntryContext;
use evidence_core::import::{build_import, ImportInput};
use evidence_core::thread::{self, html::thread_html, ThreadKind};
use std::io::Write;

const CHAT: &str = "[28/11/2026, 14:03:11] Sam Reed: I know where you live\nand where you work\n[28/11/2026, 14:03:40] Sam Reed: \u{200e}<attached: 00000012-PHOTO-2026-11-28-14-03-40.jpg>\n";

fn whatsapp_zip() -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    w.start_file("_chat.txt", deflated).unwrap();
    w.write_all(CHAT.as_bytes()).unwrap();
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    w.start_file("00000012-PHOTO-2026-11-28-14-03-40.jpg", stored)
        .unwrap();
    w.write_all(&[0xff, 0xd8, 0xff, 0xd9]).unwrap();
    w.finish().unwrap().into_inner()
}

const CTX: ReadContext = ReadContext {
    local_offset_minutes: 0,
    month_first_hint: false,
    zone_offsets: None,
};

#[test]
fn a_whatsapp_zip_is_read_into_a_thread_with_its_media_named() {
    let zip = whatsapp_zip();
    let mut src: &[u8] = &zip;
    let doc = read_chat_file("WhatsApp Chat - Sam Reed.zip", &mut src, &CTX)
        .unwrap()
        .unwrap();
    assert_eq!(doc.format, CHAT_FORMAT);
    assert_eq!(doc.read_from, "_chat.txt");
    assert_eq!(
        doc.media,
        vec!["00000012-PHOTO-2026-11-28-14-03-40.jpg".to_string()]
    );
    assert_eq!(doc.export.messages.len(), 2);
    assert_eq!(
        doc.export.messages[0].text,
        "I know where you live\nand where you work"
    );
    assert!(doc.export.notes.is_empty(), "{:?}", doc.export.notes);

    let doc_messages = doc.export.messages.clone();
    // The record: the original .zip, and metadata.json with the thread.
    let input = ImportInput {
        original_name: "WhatsApp Chat - Sam Reed.zip".into(),
        media_type: "application/zip".into(),
        bytes: zip.len() as u64,
        sha256: evidence_core::hash::sha256_hex(&zip),
        last_modified_ms: None,
        exif: None,
        chat: Some(doc),
    };
    let ctx = EntryContext {
        entered_at_ms: 1_764_000_000_000,
        local_offset_minutes: 0,
    };
    let b = build_import(&input, &ctx).unwrap();
    assert_eq!(b.artifacts.len(), 2);
    assert_eq!(b.artifacts[1].name, "metadata.json");
    let json = b.metadata_json.unwrap();
    assert_eq!(
        b.artifacts[1].sha256,
        evidence_core::hash::sha256_hex(&json)
    );
    let conv = b.metadata.conversation.unwrap();
    assert_eq!(
        (conv.message_count, conv.authors.clone()),
        (2, vec!["Sam Reed".to_string()])
    );
    assert!(b
        .metadata
        .excerpt
        .starts_with("WhatsApp chat export · 2 messages · Sam Reed"));
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    // The one reader takes the stored document into the one model; the one writer prints it.
    let t = thread::read(&v).unwrap().unwrap();
    assert_eq!(t.kind, ThreadKind::ChatExport);
    assert_eq!(t.messages, doc_messages);
    let html = thread_html(&t);
    assert!(
        html.contains("2026-11-28T14:03:11Z UTC (approx.)"),
        "{html}"
    );
    assert!(html.contains("I know where you live\nand where you work"));
    assert!(html.contains("[attached: 00000012-PHOTO-2026-11-28-14-03-40.jpg]"));
}

#[test]
fn ordinary_files_are_not_chats_and_broken_chats_are_errors() {
    let mut pdf: &[u8] = b"%PDF-1.4\n";
    assert!(read_chat_file("letter.pdf", &mut pdf, &CTX)
        .unwrap()
        .is_none());
    let mut notes: &[u8] = b"shopping list\nmilk";
    assert!(read_chat_file("notes.txt", &mut notes, &CTX)
        .unwrap()
        .is_none());
    let mut broken: &[u8] = b"not a chat";
    assert!(read_chat_file("WhatsApp Chat with Sam.txt", &mut broken, &CTX).is_err());
    let zip = whatsapp_zip();
    let mut cut: &[u8] = &zip[..zip.len() / 2];
    assert!(read_chat_file("x.zip", &mut cut, &CTX).unwrap().is_none());
}
