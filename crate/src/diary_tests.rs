//! Table tests for `diary` (kept apart to keep the module small).

use super::*;
use crate::hash::sha256_hex;
use crate::record::{genesis_hex, seal, RecordDraft};

// 2026-11-25T17:02:11.000Z, entered in London in winter (UTC+0).
const CTX: EntryContext = EntryContext {
    entered_at_ms: 1_795_626_131_000,
    local_offset_minutes: 0,
};

fn file(name: &str, mt: &str) -> AttachmentInput {
    AttachmentInput {
        original_name: name.into(),
        media_type: mt.into(),
        bytes: 12,
        sha256: sha256_hex(name.as_bytes()),
    }
}

fn incident() -> IncidentInput {
    IncidentInput {
        occurred_at: "2026-11-20T14:30:00+01:00".into(),
        incident_type: "note_or_letter".into(),
        type_other: Some("ignored unless other".into()),
        location: Some("  Car park behind work \r\n".into()),
        what_happened: "A note under the wiper:\r\n\"I saw you with him\".".into(),
        person: PersonInput {
            name: Some("J. Smith".into()),
            description: Some("Tall, grey coat".into()),
        },
        witnesses: Some("".into()),
        effect: Some("Scared to drive to work.".into()),
        police: PoliceInput {
            reported: false,
            reference: Some("CAD 1234".into()),
            officer: None,
        },
        attachments: vec![
            file("Photo of note.JPG", "image/jpeg"),
            file("Photo of note.JPG", ""),
        ],
    }
}

#[test]
fn incident_metadata_keeps_both_times_and_every_field() {
    let b = build_incident(&incident(), &CTX).expect("builds");
    let i = &b.metadata["incident"];
    assert_eq!(i["occurred_at"], "2026-11-20T14:30:00+01:00");
    assert_eq!(i["occurred_at_utc"], "2026-11-20T13:30:00.000Z");
    assert_eq!(b.metadata["entered_at"], "2026-11-25T17:02:11.000+00:00");
    assert_eq!(i["type_other"], Value::Null, "only kept for type other");
    assert_eq!(i["location"], "Car park behind work");
    assert_eq!(
        i["what_happened"],
        "A note under the wiper:\n\"I saw you with him\"."
    );
    assert_eq!(i["witnesses"], Value::Null, "empty becomes null");
    assert_eq!(
        i["police"]["reported"], true,
        "a reference implies a report"
    );
    assert_eq!(b.metadata["authors"], json!(["J. Smith"]));
    assert_eq!(b.metadata["title"], "Note or letter");
    assert_eq!(b.summary["type_label"], "Note or letter");
    let names: Vec<&str> = b.artifacts.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["01-photo-of-note.jpg", "02-photo-of-note.jpg"]);
    assert_eq!(
        b.metadata["attachments"][0]["original_name"],
        "Photo of note.JPG"
    );
    assert_eq!(
        b.artifacts[1].media_type, "image/jpeg",
        "guessed from the name"
    );
    // The result seals into a valid record.
    let draft = RecordDraft {
        id: "entry-1".into(),
        kind: Kind::Incident,
        captured_at_ms: CTX.entered_at_ms,
        local_offset_minutes: 0,
        time_zone: Some("Europe/London".into()),
        artifacts: b.artifacts.clone(),
        metadata: b.metadata.clone(),
    };
    assert!(seal(&draft, 0, &genesis_hex()).is_ok());
}

#[test]
fn bad_incidents_are_refused_in_plain_words() {
    type Mutation = Box<dyn Fn(&mut IncidentInput)>;
    let long = "x".repeat(MAX_LONG_TEXT + 1);
    let cases: Vec<(&str, Mutation, &str)> = vec![
        (
            "type",
            Box::new(|i| i.incident_type = "stalking".into()),
            "not one of",
        ),
        (
            "other without words",
            Box::new(|i| {
                i.incident_type = "other".into();
                i.type_other = Some("  ".into());
            }),
            "what kind",
        ),
        (
            "no description",
            Box::new(|i| i.what_happened = " \n ".into()),
            "describe",
        ),
        (
            "bad time",
            Box::new(|i| i.occurred_at = "20/11/2026 14:30".into()),
            "not a valid",
        ),
        (
            "no offset",
            Box::new(|i| i.occurred_at = "2026-11-20T14:30:00".into()),
            "not a valid",
        ),
        (
            "future",
            Box::new(|i| i.occurred_at = "2026-11-26T14:30:00Z".into()),
            "future",
        ),
        (
            "too long",
            Box::new(move |i| i.what_happened = long.clone()),
            "too long",
        ),
        (
            "bad hash",
            Box::new(|i| i.attachments[0].sha256 = "abc".into()),
            "sha256",
        ),
        (
            "huge file",
            Box::new(|i| i.attachments[0].bytes = MAX_ATTACHMENT_BYTES + 1),
            "500 MB",
        ),
    ];
    for (label, mutate, words) in cases {
        let mut i = incident();
        mutate(&mut i);
        match build_incident(&i, &CTX) {
            Err(Error::InvalidInput(m)) => assert!(m.contains(words), "{label}: {m}"),
            other => panic!("{label}: {other:?}"),
        }
    }
    let mut other = incident();
    other.incident_type = "other".into();
    other.type_other = Some("Drone over the garden".into());
    let b = build_incident(&other, &CTX).expect("builds");
    assert_eq!(b.metadata["title"], "Something else: Drone over the garden");
    let bad_ctx = EntryContext {
        local_offset_minutes: 24 * 60,
        ..CTX
    };
    assert!(build_incident(&incident(), &bad_ctx).is_err());
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
    assert_eq!(b.metadata["target"]["seq"], 4);
    assert_eq!(b.metadata["target"]["record_sha256"], sha256_hex(b"rec"));
    assert_eq!(b.metadata["title"], "Correction to item 4");
    assert_eq!(b.metadata["correction"], true);
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
    assert_eq!(b.metadata["target"]["kind"], "capture");
    assert_eq!(
        b.metadata["target"]["artifacts"][0]["sha256"],
        sha256_hex(b"png")
    );
    assert_eq!(b.metadata["excerpt"], "No reason given");
    assert!(b.artifacts.is_empty());
    r.reason = "Shows my friend's address.".into();
    assert_eq!(
        build_removal(&r, &CTX).expect("builds").metadata["reason"],
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
    assert_eq!(INCIDENT_TYPES.len(), 13);
    assert_eq!(incident_type_label("gift_left"), Some("Gift left"));
}
