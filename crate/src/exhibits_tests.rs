#![allow(clippy::unwrap_used)]
use super::*;
use crate::record::{seal, RecordDraft};
use serde_json::json;
use std::collections::BTreeSet;

#[test]
fn initials_and_references() {
    for (raw, want) in [
        (Some("jm"), Some("JM")),
        (Some(" J. M. "), Some("JM")),
        (Some("Ж.К."), Some("ЖК")),
        (Some("αβ"), Some("ΑΒ")),
        (Some("abcdefghij"), Some("ABCDEF")),
        (Some("1/2 \u{202e}"), None),
        (Some(""), None),
        (None, None),
    ] {
        assert_eq!(clean_initials(raw).as_deref(), want, "{raw:?}");
    }
    assert_eq!(reference(Some("jm"), 0), "JM/1");
    assert_eq!(reference(Some("JM"), 41), "JM/42");
    assert_eq!(reference(None, 2), "3");
    assert_eq!(reference_stem("JM/12"), "JM-12");
}

#[test]
fn file_names_are_safe_everywhere() {
    let long = "a".repeat(300);
    let long_want = format!("{}.png", "a".repeat(MAX_NAME_CHARS - 4));
    let table: Vec<(&str, String)> = vec![
        (
            "JM-1 2026-11-20 2114 X nightowl_77.png",
            "JM-1 2026-11-20 2114 X nightowl_77.png".into(),
        ),
        // Windows device names, whatever the case or extension.
        ("CON.png", "_CON.png".into()),
        ("con", "_con".into()),
        ("Nul.tar.gz", "_Nul.tar.gz".into()),
        ("COM1.jpg", "_COM1.jpg".into()),
        ("lpt9", "_lpt9".into()),
        ("COM\u{b9}.txt", "_COM\u{b9}.txt".into()),
        ("COM0.txt", "COM0.txt".into()),
        ("CONSOLE.png", "CONSOLE.png".into()),
        // Trailing dots and spaces (Windows drops them), leading dots (hidden files).
        ("report. . ", "report".into()),
        ("...hidden.png", "hidden.png".into()),
        ("name .png", "name.png".into()),
        // Characters Windows refuses.
        (
            "a<b>c:d\"e/f\\g|h?i*j.png",
            "a_b_c_d_e_f_g_h_i_j.png".into(),
        ),
        // Control, bidi and invisible characters are dropped (RLO makes "gnp.exe" read
        // as "exe.png").
        ("photo\u{202e}gnp.exe", "photognp.exe".into()),
        (
            "a\u{200f}b\u{200e}c\u{2066}d\u{2069}e\u{061c}.jpg",
            "abcde.jpg".into(),
        ),
        ("zero\u{200b}width\u{feff}.png", "zerowidth.png".into()),
        ("tab\tand\nnewline\r.png", "tab and newline.png".into()),
        ("a   b\u{a0}\u{a0}c.png", "a b c.png".into()),
        // Very long names keep their extension.
        (&long, "a".repeat(MAX_NAME_CHARS)),
        (Box::leak(format!("{long}.png").into_boxed_str()), long_want),
        // Other scripts are kept as written.
        ("ЖК-1 Привет.png", "ЖК-1 Привет.png".into()),
        ("ΑΒ-2 Καλημέρα.png", "ΑΒ-2 Καλημέρα.png".into()),
        ("", "exhibit".into()),
        (" . ", "exhibit".into()),
        (".png", "png".into()),
    ];
    for (raw, want) in table {
        let got = sanitize_file_name(raw);
        assert_eq!(got, want, "{raw:?}");
        assert!(got.chars().count() <= MAX_NAME_CHARS, "{got:?}");
        assert!(!got.ends_with(['.', ' ']), "{got:?}");
        crate::archive::zipfmt::validate_entry_name(&format!("exhibits/{got}")).unwrap();
    }
}

fn capture(seq_prev: Option<&str>, authors: &[&str], platform: &str) -> Record {
    let draft = RecordDraft {
        id: "id".into(),
        kind: Kind::Capture,
        captured_at_ms: 1_795_554_840_000, // 2026-11-24T21:14:00Z
        local_offset_minutes: 60,
        time_zone: None,
        artifacts: vec![
            ArtifactRef {
                name: "screenshot.png".into(),
                media_type: "image/png".into(),
                bytes: 3,
                sha256: crate::hash::sha256_hex(b"png"),
            },
            ArtifactRef {
                name: "metadata.json".into(),
                media_type: "application/json".into(),
                bytes: 2,
                sha256: crate::hash::sha256_hex(b"{}"),
            },
        ],
        metadata: Metadata::from_value(
            Kind::Capture,
            json!({"authors": authors, "excerpt": "", "message_count": 1, "missing": [],
                   "platform": platform, "site": "example.org", "title": "t", "url": "https://example.org/"}),
        ),
    };
    seal(&draft, 0, seq_prev.unwrap_or(&crate::record::genesis_hex()))
        .unwrap()
        .record
}

#[test]
fn capture_exhibit_is_its_screenshot_with_a_readable_name() {
    let rec = capture(None, &["Night Owl (@nightowl_77)"], "x");
    let mut taken = BTreeSet::new();
    let files = plan_files(&rec, "JM/1", &mut taken);
    assert_eq!(files.len(), 1);
    assert_eq!(
        files[0].path,
        "exhibits/JM-1 2026-11-24 2214 X nightowl_77.png"
    );
    assert_eq!(files[0].artifact.name, "screenshot.png");
    // The same name again in one archive is numbered, never overwritten.
    let again = plan_files(&rec, "JM/1", &mut taken);
    assert_eq!(
        again[0].path,
        "exhibits/JM-1 2026-11-24 2214 X nightowl_77 (2).png"
    );
    let generic = plan_files(&capture(None, &[], "generic"), "2", &mut BTreeSet::new());
    assert_eq!(
        generic[0].path,
        "exhibits/2 2026-11-24 2214 example.org.png"
    );
}

#[test]
fn numbering_a_long_name_still_makes_it_unique() {
    let long = format!("{}.png", "b".repeat(200));
    let first = sanitize_file_name(&long);
    let mut seen = BTreeSet::new();
    seen.insert(first.to_lowercase());
    for n in 2..20 {
        let next = numbered(&first, n);
        assert!(next.chars().count() <= MAX_NAME_CHARS);
        assert!(seen.insert(next.to_lowercase()), "{next}");
    }
}
