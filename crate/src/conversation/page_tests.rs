//! Whole-page captures: messages in the page that no screen showed.

use super::*;
use crate::capture::CaptureContext;
use serde_json::json;

fn ctx() -> CaptureContext {
    CaptureContext {
        captured_at_ms: 1_764_583_200_000,
        local_offset_minutes: 0,
        trigger: "api".into(),
        tab_url: "http://127.0.0.1:8765/t.html".into(),
        ..Default::default()
    }
}

fn raw(id: &str, name: &str, text: &str, visible: bool) -> serde_json::Value {
    json!({"platform": "discourse", "id": id, "author_name": name, "author_handle": name, "text": text,
           "time_datetime": "2014-02-06T04:55:19Z", "visible": visible})
}

#[test]
fn a_whole_page_keeps_final_messages_no_screen_showed_once_marked_not_visible() {
    let step = json!({"screen": "screen-001.png", "scroll_y": 0, "device_pixel_ratio": 1,
        "container": {"x": 0, "y": 0, "width": 800, "height": 600},
        "messages": [{"platform": "discourse", "id": "1", "author_name": "a", "author_handle": "a", "text": "on screen",
                      "time_datetime": "2014-02-06T04:55:19Z", "rect": {"x": 0, "y": 10, "width": 100, "height": 40}}]});
    let facts = json!({"platform": "discourse", "page": {"url": "http://127.0.0.1:8765/t.html"},
        "messages": [raw("1", "a", "on screen", false), raw("2", "b", "in noscript", false), raw("3", "c", "shown now", true)]});
    let mut input: LongCaptureInput =
        serde_json::from_value(json!({"scope": "page", "complete": true, "steps": [step]}))
            .unwrap();
    let built = build(&facts, &input, &ctx()).unwrap();
    let m = &built.metadata.messages;
    let ids: Vec<_> = m
        .iter()
        .map(|x| x.message.id.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(
        ids,
        ["1", "2"],
        "seen once; the unseen one after; a visible final one is the screens' business"
    );
    assert!(m[0].visible);
    assert!(!m[1].visible);
    assert!(m[1].thread.screens.is_empty());
    assert_eq!(m[1].thread.key.as_deref(), Some("id:discourse:2"));
    assert!(built.segments.screens[0]
        .messages
        .iter()
        .all(|s| s.key != "id:discourse:2"));
    // A conversation takes its messages from its screens only.
    input.scope = "conversation".into();
    let built = build(&facts, &input, &ctx()).unwrap();
    assert_eq!(built.metadata.messages.len(), 1);
}
