//! Table tests for `diary` (kept apart to keep the module small).

use super::*;
use crate::record::{genesis_hex, seal, Kind, RecordDraft};
use crate::test_fixtures::{attachment as file, ENTRY_CTX as CTX};
use serde_json::{json, Value};

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

/// A built value as JSON, to assert on exact keys.
fn v(m: &impl serde::Serialize) -> Value {
    serde_json::to_value(m).expect("serialises")
}

#[test]
fn incident_metadata_keeps_both_times_and_every_field() {
    let b = build_incident(&incident(), &CTX).expect("builds");
    let m = v(&b.metadata);
    let i = &m["incident"];
    assert_eq!(i["occurred_at"], "2026-11-20T14:30:00+01:00");
    assert_eq!(i["occurred_at_utc"], "2026-11-20T13:30:00.000Z");
    assert_eq!(m["entered_at"], "2026-11-25T17:02:11.000+00:00");
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
    assert_eq!(m["authors"], json!(["J. Smith"]));
    assert_eq!(m["title"], "Note or letter");
    assert_eq!(v(&b.summary)["type_label"], "Note or letter");
    let names: Vec<&str> = b.artifacts.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["01-photo-of-note.jpg", "02-photo-of-note.jpg"]);
    assert_eq!(m["attachments"][0]["original_name"], "Photo of note.JPG");
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
    assert_eq!(
        v(&b.metadata)["title"],
        "Something else: Drone over the garden"
    );
    let bad_ctx = EntryContext {
        local_offset_minutes: 24 * 60,
        ..CTX
    };
    assert!(build_incident(&incident(), &bad_ctx).is_err());
}

#[test]
fn incident_types_have_the_ui_labels() {
    assert_eq!(INCIDENT_TYPES.len(), 13);
    assert_eq!(incident_type_label("gift_left"), Some("Gift left"));
    assert_eq!(incident_type_label("visit_home"), Some("Came to my home"));
    assert_eq!(incident_type_label("stalking"), None);
}
