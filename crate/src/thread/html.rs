//! The one writer of a thread for `report.html`: a chat export as the export gives it
//! (one row per message), a captured conversation or page message by message with what
//! changed or disappeared while the capture ran. The stitched image of a capture is the
//! record's, and stays with the record's report ([`crate::timeline`]).

use super::{Thread, ThreadKind, ThreadMessage};
use crate::timeline::{esc, link, link_row, row, text_row};
use std::fmt::Write;

/// The thread as `report.html` prints it.
pub fn thread_html(t: &Thread) -> String {
    let mut h = String::new();
    match t.kind {
        ThreadKind::ChatExport => chat(&mut h, t),
        ThreadKind::Conversation | ThreadKind::Page => capture(&mut h, t),
        ThreadKind::Screen => screen(&mut h, t),
    }
    h
}

fn chat(h: &mut String, t: &Thread) {
    h.push_str("<h3>The conversation, as the export gives it</h3>\n<table class=\"thread\">\n");
    for note in &t.notes {
        let _ = writeln!(h, "<tr><th>Note</th><td>{}</td></tr>", esc(note));
    }
    let precision = t.kind.time_precision();
    for m in &t.messages {
        let who = match (&m.author, &m.author_id) {
            (Some(a), Some(id)) if a != id => format!("{} ({})", esc(a), esc(id)),
            (Some(a), _) => esc(a),
            (None, _) => "<i>system</i>".into(),
        };
        let mut text = esc(&m.text);
        for a in &m.attachments {
            if a.omitted {
                text.push_str(" <i>[media left out of the export]</i>");
            } else {
                let _ = write!(text, " <i>[attached: {}]</i>", esc(&a.name));
            }
        }
        let _ = writeln!(
            h,
            "<tr><th>{} UTC{}<br>{}</th><td class=\"text\">{}</td></tr>",
            esc(&m.time.utc_text(precision).unwrap_or_default()),
            if m.time.approximate { " (approx.)" } else { "" },
            who,
            text
        );
    }
    h.push_str("</table>\n");
}

fn capture(h: &mut String, t: &Thread) {
    let what = if t.kind == ThreadKind::Page {
        "page"
    } else {
        "conversation"
    };
    let _ = writeln!(
        h,
        "<h3>The whole {what}, in order ({} messages)</h3>",
        t.messages.len()
    );
    h.push_str("<table>\n");
    let facts = t.capture.clone().unwrap_or_default();
    let screens = facts.screens;
    if facts.complete {
        row(h, "Capture", &format!("whole, in {screens} screens"));
    } else {
        let why = facts.stop_reason.as_deref().unwrap_or("unknown reason");
        row(
            h,
            "Capture",
            &format!("stopped early ({}), after {screens} screens", esc(why)),
        );
    }
    let who: Vec<String> = facts
        .participants
        .iter()
        .map(|p| {
            author(
                p.name.as_deref(),
                p.handle.as_deref(),
                p.author_id.as_deref(),
            )
        })
        .collect();
    if !who.is_empty() {
        row(h, "Who wrote", &who.join("; "));
    }
    h.push_str("</table>\n");
    let precision = t.kind.time_precision();
    for (i, m) in t.messages.iter().enumerate() {
        capture_message(h, i, m, precision);
    }
}

fn capture_message(h: &mut String, i: usize, m: &ThreadMessage, precision: chrono::SecondsFormat) {
    let _ = write!(
        h,
        "<table class=\"message\">\n<tr><th>Message {}</th><td>{}</td></tr>\n",
        i + 1,
        author(
            m.author.as_deref(),
            m.handle.as_deref(),
            m.author_id.as_deref()
        )
    );
    if let Some(u) = m.time.utc_text(precision) {
        let approx = if m.time.approximate {
            " (approximate)"
        } else {
            ""
        };
        let shown = m
            .time
            .shown
            .as_deref()
            .map(|s| format!("; shown as “{}”", esc(s)))
            .unwrap_or_default();
        row(h, "Time", &format!("{} UTC{approx}{shown}", esc(&u)));
    }
    text_row(h, "Text", Some(&m.text));
    for (k, e) in m.edits.iter().enumerate() {
        text_row(
            h,
            &format!("Changed during the capture (version {})", k + 2),
            Some(e),
        );
    }
    if m.marks
        .iter()
        .any(|k| k == crate::conversation::DISAPPEARED)
    {
        row(
            h,
            "Disappeared during the capture",
            "a later screen no longer showed it",
        );
    }
    link_row(h, "Permalink", m.permalink.as_deref());
    h.push_str("</table>\n");
}

/// The messages of a one-screen capture (nothing when there are none).
fn screen(h: &mut String, t: &Thread) {
    if t.messages.is_empty() {
        return;
    }
    h.push_str("<h3>Messages on screen</h3>\n");
    let precision = t.kind.time_precision();
    for (i, m) in t.messages.iter().enumerate() {
        let mut when = String::new();
        if let Some(u) = m.time.utc_text(precision) {
            let _ = write!(when, "{} UTC", esc(&u));
            if m.time.approximate {
                when.push_str(" (approximate)");
            }
        }
        if let Some(s) = &m.time.shown {
            let sep = if when.is_empty() { "" } else { "; " };
            let _ = write!(when, "{sep}shown as “{}”", esc(s));
        }
        if let Some(idt) = m.id_time_ms.and_then(|ms| super::utc_text(ms, precision)) {
            let _ = write!(when, "; server time from the post id: {} UTC", esc(&idt));
        }
        let _ = write!(
            h,
            "<table>\n<tr><th>Message {}</th><td>{}</td></tr>\n",
            i + 1,
            name_and_handle(m.author.as_deref(), m.handle.as_deref())
        );
        if let Some(p) = &m.profile_url {
            row(h, "Profile", &link(p));
        }
        if !when.is_empty() {
            row(h, "Time", &when);
        }
        row(
            h,
            "Text",
            &format!("<div class=\"text\">{}</div>", esc(&m.text)),
        );
        link_row(h, "Permalink", m.permalink.as_deref());
        h.push_str("</table>\n");
    }
}

/// "Name (@handle)" with whatever is known.
fn name_and_handle(name: Option<&str>, handle: Option<&str>) -> String {
    match (name, handle) {
        (Some(n), Some(hd)) => format!("{} ({})", esc(n), esc(hd)),
        (Some(n), None) => esc(n),
        (None, Some(hd)) => esc(hd),
        (None, None) => "(unknown author)".into(),
    }
}

/// "Name (@handle) · account 1234" with whatever is known.
fn author(name: Option<&str>, handle: Option<&str>, id: Option<&str>) -> String {
    let mut s = name_and_handle(name, handle);
    if let Some(id) = id.filter(|id| Some(*id) != handle) {
        let _ = write!(s, " · account {}", esc(id));
    }
    s
}
