//! Table tests for `entries` (kept apart to keep the module small).

use super::*;
use crate::hash::sha256_hex;
use crate::record::ArtifactRef;
use crate::test_fixtures::{attachment as file, ENTRY_CTX as CTX};
use serde_json::Value;

/// A built value as JSON, to assert on exact keys.
fn v(m: &impl serde::Serialize) -> Value {
    serde_json::to_value(m).expect("serialises")
}

#[test]
fn attachment_names_are_plain_unique_and_valid() {
    let cases = [
        (0, "Photo of note.JPG", "01-photo-of-note.jpg"),
        (1, "C:\\Users\\me\\voicemail 3.m4a", "02-voicemail-3.m4a"),
        (2, "../../etc/passwd", "03-passwd"),
        (3, ".hidden", "04-hidden"),
        (4, "Фото.jpeg", "05-attachment.jpeg"),
        (5, "Café déjà vu.png", "06-cafe-deja-vu.png"),
        (9, "", "10-attachment"),
        (10, "a.b.c.tar.gz", "11-a-b-c-tar.gz"),
        (11, "x.", "12-x"),
    ];
    for (i, original, want) in cases {
        let got = attachment_name(i, original);
        assert_eq!(got, want, "{original:?}");
        assert!(validate_artifact_name(&got).is_ok(), "{got}");
    }
    let long = attachment_name(0, &format!("{}.pdf", "a".repeat(500)));
    assert!(long.len() <= 100 && long.ends_with(".pdf"));
    assert_eq!(clean_media_type("Image/PNG; charset=x", "a"), "image/png");
    assert_eq!(clean_media_type("not a type", "x.pdf"), "application/pdf");
    assert_eq!(clean_media_type("", "x.bin"), "application/octet-stream");
}

#[test]
fn amendments_point_to_their_target() {
    let target = TargetRef {
        seq: 4,
        id: "item-4".into(),
        record_sha256: sha256_hex(b"rec"),
    };
    let a = AmendmentInput {
        target: target.clone(),
        note: "It was Tuesday, not Monday.".into(),
        correction: true,
        attachments: vec![file("receipt.pdf", "application/pdf")],
    };
    let b = build_amendment(&a, &CTX).expect("builds");
    assert_eq!(v(&b.metadata)["target"]["seq"], 4);
    assert_eq!(
        v(&b.metadata)["target"]["record_sha256"],
        sha256_hex(b"rec")
    );
    assert_eq!(v(&b.metadata)["title"], "Correction to item 4");
    assert_eq!(v(&b.metadata)["correction"], true);
    assert_eq!(b.artifacts[0].name, "01-receipt.pdf");
    let empty = AmendmentInput {
        target: target.clone(),
        note: " ".into(),
        correction: false,
        attachments: vec![],
    };
    assert!(build_amendment(&empty, &CTX).is_err());
    let bad = AmendmentInput {
        target: TargetRef {
            record_sha256: "x".into(),
            ..target
        },
        ..a
    };
    assert!(build_amendment(&bad, &CTX).is_err());
}

#[test]
fn removals_keep_hashes_and_never_remove_a_removal() {
    let art = ArtifactRef {
        name: "screenshot.png".into(),
        media_type: "image/png".into(),
        bytes: 3,
        sha256: sha256_hex(b"png"),
    };
    let mut r = RemovalInput {
        target: RemovalTarget {
            seq: 2,
            id: "item-2".into(),
            record_sha256: sha256_hex(b"rec"),
            kind: Kind::Capture,
            artifacts: vec![art],
        },
        reason: "".into(),
    };
    let b = build_removal(&r, &CTX).expect("builds");
    assert_eq!(v(&b.metadata)["target"]["kind"], "capture");
    assert_eq!(
        v(&b.metadata)["target"]["artifacts"][0]["sha256"],
        sha256_hex(b"png")
    );
    assert_eq!(v(&b.metadata)["excerpt"], "No reason given");
    assert!(b.artifacts.is_empty());
    r.reason = "Shows my friend's address.".into();
    assert_eq!(
        v(&build_removal(&r, &CTX).expect("builds").metadata)["reason"],
        "Shows my friend's address."
    );
    r.target.kind = Kind::Removal;
    assert!(build_removal(&r, &CTX).is_err());
}

#[test]
fn excerpts_are_short_and_flat() {
    let e = excerpt(&format!("line one\n\nline two {}", "word ".repeat(100)));
    assert!(e.starts_with("line one line two"));
    assert_eq!(e.chars().count(), EXCERPT_CHARS);
    assert!(e.ends_with('…'));
}
