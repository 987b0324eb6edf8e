#![allow(clippy::unwrap_used)]
use super::*;
use crate::record::{genesis_hex, seal};
use crate::test_fixtures::screenshot_capture;
use serde_json::json;

fn item(seq: u64, status: &str) -> ReportItem {
    let mut draft = screenshot_capture(&format!("i{seq}"), 1_795_554_840_000, 0, None);
    draft.artifacts[0].bytes = 1;
    draft.metadata = json!({"url": "https://example.org/p"}).into();
    let included = status == "included";
    ReportItem {
        reference: Some(format!("JM/{}", seq + 1)),
        seq,
        status: status.into(),
        record_sha256: "11".repeat(32),
        chain_sha256: "22".repeat(32),
        record: included.then(|| seal(&draft, seq, &genesis_hex()).unwrap().record),
        capture_metadata: included.then(|| {
            json!({"page": {"url": "https://example.org/p"}, "capture": {"trigger": "popup"},
                   "artifacts": {"screenshot": {"method": "tabs.captureVisibleTab"}, "snapshot": {"method": "pageCapture.saveAsMHTML"}},
                   "messages": [{"text": "hi"}], "missing": []})
        }),
        folder: None,
    }
}

fn input(items: Vec<ReportItem>) -> ReportInput {
    ReportInput {
        exported_at: "2026-11-25T18:00:00.000Z".into(),
        local_offset_minutes: 0,
        exported_by: None,
        tool_version: "0.1.0".into(),
        head: "cd".repeat(32),
        items,
    }
}

fn references(html: &str) -> Vec<String> {
    html.split("data-reference=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .collect()
}

#[test]
fn lists_exactly_the_exhibits_the_archive_contains() {
    let html = render(
        &input(vec![
            item(0, "included"),
            item(1, "withheld"),
            item(2, "removed"),
            item(3, "included"),
        ]),
        &StatementParts::default(),
    );
    assert_eq!(references(&html), ["JM/1", "JM/4"]);
    assert!(!html.contains("JM/2") && !html.contains("JM/3"));
    assert!(html.contains("not legal advice"));
    assert!(html.contains(DECLARATION));
    assert!(html.contains("tabs.captureVisibleTab") && html.contains("pageCapture.saveAsMHTML"));
    assert!(html.contains(&"cd".repeat(32)));
    // Without the witness's words, clearly marked places to fill in.
    assert!(html.contains("class=\"fill\">In your own words"));
    assert!(html.contains("your full name"));
    let empty = render(&input(vec![]), &StatementParts::default());
    assert!(references(&empty).is_empty());
    assert!(empty.contains("contains no exhibits"));
}

#[test]
fn the_witness_words_are_theirs_escaped_never_facts() {
    let parts = StatementParts {
        name: Some("Jane <b>Martin</b>".into()),
        account: Some("He followed me \u{202e}home.".into()),
    };
    let html = render(&input(vec![item(0, "included")]), &parts);
    assert!(html.contains("Jane &lt;b&gt;Martin&lt;/b&gt;"));
    assert!(html.contains(
        "In my own words (typed by me when I exported; the software did not record any of this)"
    ));
    assert!(html.contains("He followed me [U+202E]home."));
    assert!(!html.contains("class=\"fill\">In your own words"));
}
