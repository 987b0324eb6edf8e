//! `report.html` for a whole conversation or page (issue 11): the stitched image, then the
//! messages as a thread, in order, each with its author's account identifier and what
//! changed or disappeared while the capture ran. The thread is read by the one reader and
//! printed by the one writer of [`crate::thread`] (as an imported chat export's is). A child
//! of [`crate::timeline`].

use super::{esc, ReportItem};
use crate::record::Record;
use crate::thread::{self, Thread, ThreadKind};
use std::fmt::Write;

/// Print a long capture's body; false when `t` is not a whole conversation or page.
pub(super) fn long_capture_body(
    h: &mut String,
    item: &ReportItem,
    rec: &Record,
    t: &Thread,
) -> bool {
    let what = match t.kind {
        ThreadKind::Page => "page",
        ThreadKind::Conversation => "conversation",
        ThreadKind::ChatExport | ThreadKind::Screen => return false,
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
    h.push_str(&thread::html::thread_html(t));
    true
}
