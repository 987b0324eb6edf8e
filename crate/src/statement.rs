//! `statement.html`: a witness-statement draft that produces the archive's exhibits.
//!
//! In England and Wales a witness statement ends with the declaration of truth the
//! Criminal Procedure Rules (Part 16, r.16.2) require for a statement tendered under
//! section 9 of the Criminal Justice Act 1967 (the police form MG11 prints it). This draft:
//! - states as fact only what the software recorded: the tool and version, how each
//!   capture was made and what it stored (as its record and `metadata.json` say), the
//!   exhibits produced with a one-line description each, and how to verify them;
//! - leaves clearly marked places for the witness's own account (what the person
//!   exporting typed is shown as their words, never as something the software knows);
//! - ends with the declaration as a template to sign;
//! - says plainly that it is a draft to check with the officer, not legal advice.
//!
//! It lists exactly the exhibits the archive contains (included items), by reference.

use crate::pdf::report::utc_and_local;
use crate::record::{Kind, Record};
use crate::timeline::{esc, ReportInput, ReportItem};
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// What the person exporting filled in for the draft (nothing is stored elsewhere).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct StatementParts {
    /// The witness's full name.
    pub name: Option<String>,
    /// The witness's account, in their own words.
    pub account: Option<String>,
}

const STYLE: &str = r#"
@page { size: A4; margin: 18mm 16mm; }
body { font: 11pt/1.5 "DejaVu Sans", Arial, sans-serif; color: #111; max-width: 46rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 18pt; } h2 { font-size: 13pt; margin-top: 1.4rem; }
.draft { border: 2px solid #a33; background: #fff4f2; padding: .6rem .8rem; }
.fill { background: #fff8c4; border: 1px dashed #b59b00; padding: .5rem .7rem; white-space: pre-wrap; }
.fill::before { content: "TO COMPLETE — "; font-weight: bold; }
.own { border-left: 3px solid #555; padding-left: .7rem; white-space: pre-wrap; }
.hash { font-family: "DejaVu Sans Mono", monospace; font-size: 9pt; word-break: break-all; }
table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #bbb; padding: 3px 6px; text-align: left; vertical-align: top; }
"#;

/// The statement-of-truth wording (CrimPR r.16.2; Criminal Justice Act 1967, s.9).
pub const DECLARATION: &str = "This statement (consisting of ____ page(s) each signed by me) is true to the best of my knowledge and belief and I make it knowing that, if it is tendered in evidence, I shall be liable to prosecution if I have wilfully stated in it anything which I know to be false, or do not believe to be true.";

fn fill(h: &mut String, what: &str) {
    let _ = writeln!(h, "<div class=\"fill\">{}</div>", esc(what));
}

/// What the record says about how a capture was made, in plain words.
fn how_captured(item: &ReportItem) -> String {
    let Some(m) = &item.capture_metadata else {
        return "The details of how it was made (metadata.json) are not in this archive.".into();
    };
    let a = &m["artifacts"];
    let shot = a["screenshot"]["method"].as_str().unwrap_or("not recorded");
    let snap = a["snapshot"]["method"].as_str().unwrap_or("not recorded");
    let trigger = m["capture"]["trigger"].as_str().unwrap_or("not recorded");
    let n = m["messages"].as_array().map_or(0, Vec::len);
    let mut s = format!("Saved with the extension's capture (started from: {trigger}). Its record says the screenshot was taken with {shot} and the page snapshot with {snap}; the extension also stored the page's address, title and {n} message(s) visible on screen, with their authors as the page showed them, in metadata.json.");
    if let Some(missing) = m["missing"].as_array().filter(|v| !v.is_empty()) {
        let list: Vec<&str> = missing.iter().filter_map(|v| v.as_str()).collect();
        let _ = write!(s, " Not captured, as recorded: {}.", list.join("; "));
    }
    s
}

/// One line describing an exhibit, from its record only.
fn describe(item: &ReportItem, rec: &Record) -> String {
    let meta = rec.metadata.to_value();
    let (utc, local) = utc_and_local(&rec.captured_at, rec.local_offset_minutes);
    let files = rec
        .artifacts
        .iter()
        .map(|a| a.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let what = match rec.kind {
        Kind::Capture => {
            let url = item
                .capture_metadata
                .as_ref()
                .and_then(|m| m["page"]["url"].as_str().map(str::to_string))
                .or_else(|| meta["url"].as_str().map(str::to_string))
                .unwrap_or_else(|| "(address not recorded)".into());
            format!("A capture of the web page {url}")
        }
        Kind::Incident => format!(
            "A diary entry I wrote (“{}”)",
            meta["title"].as_str().unwrap_or("diary entry")
        ),
        Kind::Amendment => format!(
            "A note or correction about item {}",
            meta["target"]["seq"]
                .as_u64()
                .map_or("?".into(), |s| s.to_string())
        ),
        Kind::Removal => format!(
            "The record that the content of item {} was deleted",
            meta["target"]["seq"]
                .as_u64()
                .map_or("?".into(), |s| s.to_string())
        ),
        Kind::Import => format!(
            "A file I added as evidence (“{}”); its chain of custody starts when it was added",
            meta["title"].as_str().unwrap_or("imported file")
        ),
    };
    format!("{what}, saved at {utc} ({local}); files: {files}.")
}

/// Render `statement.html`.
pub fn render(input: &ReportInput, parts: &StatementParts) -> String {
    let mut h = String::with_capacity(8192 + input.items.len() * 1024);
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Witness statement (draft)</title>\n<style>");
    h.push_str(STYLE);
    h.push_str("</style>\n</head>\n<body>\n<h1>Witness statement — DRAFT</h1>\n");
    h.push_str("<p class=\"draft\"><strong>This is a draft to go through with the police officer who takes your statement. It is not legal advice.</strong> The officer will tell you how the statement must be written and signed. The sections marked “TO COMPLETE” are for you; the rest sets out only what the Evidence Capture software recorded.</p>\n");
    h.push_str("<h2>Witness</h2>\n<table>\n");
    let name = parts
        .name
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let _ = writeln!(
        h,
        "<tr><th>Statement of</th><td>{}</td></tr>",
        name.map(esc)
            .unwrap_or_else(|| "<span class=\"fill\">your full name</span>".into())
    );
    h.push_str("<tr><th>Age if under 18</th><td><span class=\"fill\">“over 18”, or your age</span></td></tr>\n<tr><th>Occupation</th><td><span class=\"fill\">your occupation</span></td></tr>\n</table>\n");

    h.push_str("<h2>My account</h2>\n");
    match parts.account.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(a) => {
            h.push_str("<p>In my own words (typed by me when I exported; the software did not record any of this):</p>\n");
            let _ = writeln!(h, "<div class=\"own\">{}</div>", esc(a));
        }
        None => fill(&mut h, "In your own words: who you are in relation to the person, what has happened and when, how it has affected you, and anything the exhibits below do not show."),
    }

    let included: Vec<(&ReportItem, &Record)> = input
        .items
        .iter()
        .filter(|i| i.status == "included")
        .filter_map(|i| i.record.as_ref().map(|r| (i, r)))
        .collect();
    h.push_str("<h2>The exhibits I produce</h2>\n");
    let _ = writeln!(
        h,
        "<p>I used the Evidence Capture browser extension, version {}, to save the items below on my own device. When each item was saved, the extension computed the SHA-256 hash of every file and of the item's record, and linked each record to the one before it in a hash chain. I produce the following {} exhibit(s), all contained in the archive this statement came with:</p>",
        esc(&input.tool_version),
        included.len()
    );
    if included.is_empty() {
        h.push_str("<p>(This archive contains no exhibits.)</p>\n");
    }
    h.push_str("<table>\n<tr><th>Exhibit</th><th>Description</th></tr>\n");
    for (item, rec) in &included {
        let reference = item
            .reference
            .clone()
            .unwrap_or_else(|| format!("Item {}", item.seq));
        let how = if rec.kind == Kind::Capture {
            format!("<br><small>{}</small>", esc(&how_captured(item)))
        } else {
            String::new()
        };
        let _ = writeln!(
            h,
            "<tr data-reference=\"{r}\"><td><b>{r}</b></td><td>{}{how}</td></tr>",
            esc(&describe(item, rec)),
            r = esc(&reference),
        );
    }
    h.push_str("</table>\n");
    fill(&mut h, "For each exhibit, if you wish: what it shows and why it matters (for example who the account belongs to, if you know).");

    h.push_str("<h2>How the exhibits can be checked</h2>\n");
    let _ = writeln!(
        h,
        "<p>The archive's head hash, the value of the chain after its last item, is <span class=\"hash\">{}</span>. The archive fingerprint (the SHA-256 of its manifest.json) was given separately, with the head hash. Anyone can check the archive with the verifier described in VERIFY.txt in the archive (the standalone verify page, or the evidence-verify program), or with standard tools (sha256sum -c SHA256SUMS). A check with the head hash and fingerprint shows whether any file, record or item was changed, removed or reordered after export.</p>",
        esc(&input.head)
    );
    fill(&mut h, "Anything else the officer asks you to add (for example when and how you gave the archive to the police).");

    h.push_str("<h2>Statement of truth</h2>\n");
    let _ = writeln!(h, "<p>{}</p>", esc(DECLARATION));
    h.push_str("<p>Signature: <span class=\"fill\">sign here</span> &nbsp; Date: <span class=\"fill\">date</span></p>\n");
    h.push_str("<p><small>Template wording of the declaration required by the Criminal Procedure Rules, Part 16 (rule 16.2), for a written statement under section 9 of the Criminal Justice Act 1967. Check the current form with the officer.</small></p>\n");
    h.push_str("</body>\n</html>\n");
    h
}

#[cfg(test)]
#[path = "statement_tests.rs"]
mod tests;
