//! `report.html` for a whole conversation or page (issue 11): the stitched image, then the
//! messages as a thread, in order, each with its author's account identifier and what
//! changed or disappeared while the capture ran. A child of [`crate::timeline`], using its
//! row helpers.

use super::{esc, link_row, row, text_row, ReportItem};
use crate::record::Record;
use std::fmt::Write;

/// Print a long capture's body; false when the item is a one-screen capture.
pub(super) fn long_capture_body(h: &mut String, item: &ReportItem, rec: &Record) -> bool {
    let Some(meta) = item.capture_metadata.as_ref() else {
        return false;
    };
    let scope = meta["scope"].as_str().unwrap_or("screen");
    if scope != "conversation" && scope != "page" {
        return false;
    }
    let what = if scope == "page" {
        "page"
    } else {
        "conversation"
    };
    if let Some(folder) = &item.folder {
        let pieces: Vec<_> = rec
            .artifacts
            .iter()
            .filter(|a| a.name.starts_with("stitched-") && a.media_type == "image/png")
            .collect();
        for (i, p) in pieces.iter().enumerate() {
            let _ = writeln!(
                h,
                "<figure><img src=\"{}/{}\" alt=\"The whole {what}, part {} of {}\"><figcaption class=\"muted\">The screens laid end to end ({}; each screen is kept as its own file)</figcaption></figure>",
                esc(folder),
                esc(&p.name),
                i + 1,
                pieces.len(),
                esc(&p.name)
            );
        }
    }
    let conv = &meta["conversation"];
    let messages = meta["messages"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let _ = writeln!(
        h,
        "<h3>The whole {what}, in order ({} messages)</h3>",
        messages.len()
    );
    h.push_str("<table>\n");
    let screens = conv["screens"].as_u64().unwrap_or(0);
    if conv["complete"].as_bool() == Some(true) {
        row(h, "Capture", &format!("whole, in {screens} screens"));
    } else {
        let why = conv["stop_reason"].as_str().unwrap_or("unknown reason");
        row(
            h,
            "Capture",
            &format!("stopped early ({}), after {screens} screens", esc(why)),
        );
    }
    let who: Vec<String> = conv["participants"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[])
        .iter()
        .map(|p| {
            author(
                p["name"].as_str(),
                p["handle"].as_str(),
                p["author_id"].as_str(),
            )
        })
        .collect();
    if !who.is_empty() {
        row(h, "Who wrote", &who.join("; "));
    }
    h.push_str("</table>\n");
    for (i, msg) in messages.iter().enumerate() {
        let a = &msg["author"];
        let _ = write!(
            h,
            "<table class=\"message\">\n<tr><th>Message {}</th><td>{}</td></tr>\n",
            i + 1,
            author(
                a["name"].as_str(),
                a["handle"].as_str(),
                msg["author_id"].as_str()
            )
        );
        let t = &msg["time"];
        if let Some(u) = t["utc"].as_str() {
            let approx = if t["approximate"].as_bool() == Some(true) {
                " (approximate)"
            } else {
                ""
            };
            let shown = t["shown"]
                .as_str()
                .map(|s| format!("; shown as “{}”", esc(s)))
                .unwrap_or_default();
            row(h, "Time", &format!("{} UTC{approx}{shown}", esc(u)));
        }
        text_row(h, "Text", msg["text"].as_str());
        for (k, e) in msg["edits"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            text_row(
                h,
                &format!("Changed during the capture (version {})", k + 2),
                e.as_str(),
            );
        }
        let marks = msg["marks"].as_array().map(Vec::as_slice).unwrap_or(&[]);
        if marks
            .iter()
            .any(|m| m.as_str() == Some(crate::conversation::DISAPPEARED))
        {
            row(
                h,
                "Disappeared during the capture",
                "a later screen no longer showed it",
            );
        }
        link_row(h, "Permalink", msg["permalink"].as_str());
        h.push_str("</table>\n");
    }
    true
}

/// "Name (@handle) · account 1234" with whatever is known.
fn author(name: Option<&str>, handle: Option<&str>, id: Option<&str>) -> String {
    let mut s = match (name, handle) {
        (Some(n), Some(hd)) => format!("{} ({})", esc(n), esc(hd)),
        (Some(n), None) => esc(n),
        (None, Some(hd)) => esc(hd),
        (None, None) => "(unknown author)".into(),
    };
    if let Some(id) = id.filter(|id| Some(*id) != handle) {
        let _ = write!(s, " · account {}", esc(id));
    }
    s
}
