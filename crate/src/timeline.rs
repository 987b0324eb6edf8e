//! The timeline: the human-readable `report.html` of an exported archive.
//!
//! One self-contained HTML file: a cover page, then one section per item in ledger order,
//! with screenshots referenced by their path inside the archive, the extracted messages,
//! URLs, UTC and local times, and every hash. It prints to A4 with a page break between
//! items and images that are never cut (`break-inside: avoid`).

use crate::diary::incident_type_label;
use crate::record::Record;
use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use serde::Deserialize;
use serde_json::Value;
use std::fmt::Write;

#[path = "timeline_thread.rs"]
mod thread;

/// Everything the report shows. Built by the exporter from what it writes into the archive.
#[derive(Debug, Clone, Deserialize)]
pub struct ReportInput {
    /// Export time, UTC RFC 3339.
    pub exported_at: String,
    /// The exporter's local offset in minutes east of UTC.
    #[serde(default)]
    pub local_offset_minutes: i32,
    /// Name the person exporting chose to give, if any.
    #[serde(default)]
    pub exported_by: Option<String>,
    /// Tool version.
    pub tool_version: String,
    /// Ledger head (chain hash of the last item).
    pub head: String,
    /// Every ledger entry, in order.
    pub items: Vec<ReportItem>,
}

/// One ledger entry as the report shows it.
#[derive(Debug, Clone, Deserialize)]
pub struct ReportItem {
    /// The item's exhibit reference (`JM/1`), when the export gives references.
    #[serde(default)]
    pub reference: Option<String>,
    /// Sequence number.
    pub seq: u64,
    /// `included`, `withheld` or `removed`.
    pub status: String,
    /// Record hash.
    pub record_sha256: String,
    /// Chain hash after this item.
    pub chain_sha256: String,
    /// The parsed record (included items only).
    #[serde(default)]
    pub record: Option<Record>,
    /// For captures: the parsed `metadata.json`.
    #[serde(default)]
    pub capture_metadata: Option<Value>,
    /// Folder of the item inside the archive, e.g. `items/000012`.
    #[serde(default)]
    pub folder: Option<String>,
}

const STYLE: &str = r#"
@page { size: A4; margin: 16mm 14mm; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.45 "DejaVu Sans", Arial, sans-serif; color: #111; margin: 0 auto; max-width: 60rem; padding: 1rem; }
h1 { font-size: 20pt; margin: 0 0 .5rem; }
h2 { font-size: 13pt; margin: 0 0 .4rem; }
h3 { font-size: 11pt; margin: .8rem 0 .3rem; }
.cover { break-after: page; page-break-after: always; }
.item { break-before: page; page-break-before: always; }
.item.brief { break-before: auto; page-break-before: auto; border-top: 1px solid #999; padding-top: .5rem; margin-top: 1rem; }
table { border-collapse: collapse; width: 100%; margin: .3rem 0; }
th, td { border: 1px solid #bbb; padding: 3px 5px; text-align: left; vertical-align: top; }
th { background: #eee; width: 11rem; }
tr, img, figure { break-inside: avoid; page-break-inside: avoid; }
figure { margin: .5rem 0; }
img { max-width: 100%; max-height: 200mm; height: auto; border: 1px solid #999; display: block; }
.hash { font-family: "DejaVu Sans Mono", monospace; font-size: 8.5pt; word-break: break-all; }
.muted { color: #555; }
.text { white-space: pre-wrap; }
.note { background: #f3f3f3; border-left: 3px solid #666; padding: .4rem .6rem; }
"#;

/// Render the report. Never fails: missing pieces are shown as missing.
pub fn render(input: &ReportInput) -> String {
    let mut h = String::with_capacity(16 * 1024 + input.items.len() * 4096);
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Evidence report</title>\n<style>");
    h.push_str(STYLE);
    h.push_str("</style>\n</head>\n<body>\n");
    cover(&mut h, input);
    for item in &input.items {
        item_section(&mut h, item);
    }
    h.push_str("</body>\n</html>\n");
    h
}

fn cover(h: &mut String, input: &ReportInput) {
    let count = |s: &str| input.items.iter().filter(|i| i.status == s).count();
    let times: Vec<&str> = input
        .items
        .iter()
        .filter_map(|i| i.record.as_ref().map(|r| r.captured_at.as_str()))
        .collect();
    let range = match (times.iter().min(), times.iter().max()) {
        (Some(a), Some(b)) => format!("{} to {}", esc(a), esc(b)),
        _ => "—".into(),
    };
    h.push_str("<section class=\"cover\">\n<h1>Evidence report</h1>\n");
    h.push_str("<p>This report lists evidence saved with the Evidence Capture browser extension. Each item was hashed (SHA-256) when it was saved, and the items are linked in a hash chain. The archive this report came in can be checked independently: see VERIFY.txt.</p>\n<table>\n");
    row(
        h,
        "Exported by",
        &esc(
            crate::archive::index::clean_exported_by(input.exported_by.as_deref())
                .as_deref()
                .unwrap_or("(not given)"),
        ),
    );
    row(
        h,
        "Exported at",
        &times_html(&input.exported_at, input.local_offset_minutes),
    );
    row(
        h,
        "Items",
        &format!(
            "{} in total: {} included, {} withheld, {} removed",
            input.items.len(),
            count("included"),
            count("withheld"),
            count("removed")
        ),
    );
    row(h, "Date range (UTC)", &range);
    row(
        h,
        "Head hash",
        &format!("<span class=\"hash\">{}</span>", esc(&input.head)),
    );
    row(h, "Tool version", &esc(&input.tool_version));
    h.push_str("</table>\n</section>\n");
}

fn item_section(h: &mut String, item: &ReportItem) {
    let rec = match (&item.record, item.status.as_str()) {
        (Some(r), "included") => r,
        (_, status) => {
            let why = match status {
                "withheld" => "Withheld: the person who exported the archive chose not to include this item. Its hashes keep its place in the chain.",
                "removed" => "Removed: this item's content was deleted in the extension. A removal record keeps its hashes.",
                _ => "Not included in this archive.",
            };
            let _ = write!(
                h,
                "<section class=\"item brief\" id=\"item-{seq}\">\n<h2>{r}Item {seq} — {status}</h2>\n<p>{why}</p>\n<table>\n",
                r = ref_prefix(item),
                seq = item.seq,
                status = esc(status),
            );
            hashes(h, item);
            h.push_str("</table>\n</section>\n");
            return;
        }
    };
    let kind = format!("{:?}", rec.kind);
    let _ = write!(
        h,
        "<section class=\"item\" id=\"item-{}\">\n<h2>{}Item {} — {}</h2>\n<table>\n",
        item.seq,
        ref_prefix(item),
        item.seq,
        esc(&kind)
    );
    row(
        h,
        "Saved at",
        &times_html(&rec.captured_at, rec.local_offset_minutes),
    );
    if let Some(tz) = &rec.time_zone {
        row(h, "Time zone", &esc(tz));
    }
    match kind.as_str() {
        "Capture" => capture_rows(h, item),
        "Incident" => incident_rows(h, &rec.metadata.to_value()),
        "Import" => import_rows(h, &rec.metadata.to_value()),
        _ => target_rows(h, &rec.metadata.to_value()),
    }
    h.push_str("</table>\n");
    if kind == "Capture" {
        capture_body(h, item, rec);
    }
    if let (true, Some(doc)) = (kind == "Import", &item.capture_metadata) {
        if let Ok(Some(t)) = crate::thread::read(doc) {
            if t.kind == crate::thread::ThreadKind::ChatExport {
                h.push_str(&crate::thread::html::thread_html(&t));
            }
        }
    }
    h.push_str("<h3>Files and hashes</h3>\n<table>\n<tr><th>File</th><td><b>Bytes</b> · <b>SHA-256</b></td></tr>\n");
    for a in &rec.artifacts {
        let path = item
            .folder
            .as_deref()
            .map(|f| format!("{f}/{}", a.name))
            .unwrap_or_else(|| a.name.clone());
        let _ = writeln!(
            h,
            "<tr><th>{}</th><td>{} · <span class=\"hash\">{}</span></td></tr>",
            esc(&path),
            a.bytes,
            esc(&a.sha256)
        );
    }
    hashes(h, item);
    h.push_str("</table>\n</section>\n");
}

/// "Exhibit JM/1 · " before an item's heading, when it has a reference.
fn ref_prefix(item: &ReportItem) -> String {
    item.reference
        .as_deref()
        .map(|r| format!("Exhibit {} · ", esc(r)))
        .unwrap_or_default()
}

fn hashes(h: &mut String, item: &ReportItem) {
    row(
        h,
        "Record hash",
        &format!("<span class=\"hash\">{}</span>", esc(&item.record_sha256)),
    );
    row(
        h,
        "Chain hash",
        &format!("<span class=\"hash\">{}</span>", esc(&item.chain_sha256)),
    );
}

fn capture_rows(h: &mut String, item: &ReportItem) {
    let Some(m) = &item.capture_metadata else {
        row(
            h,
            "Page",
            "<span class=\"muted\">metadata.json is not in this archive</span>",
        );
        return;
    };
    let page = &m["page"];
    opt_row(h, "Page title", page["title"].as_str());
    link_row(h, "URL", page["url"].as_str());
    if page["final_url"] != page["url"] {
        link_row(h, "Final URL", page["final_url"].as_str());
    }
    link_row(h, "Canonical URL", page["canonical_url"].as_str());
    opt_row(h, "Site", page["site_name"].as_str());
    opt_row(h, "Platform", m["platform"].as_str());
    let env = &m["environment"];
    let browser = format!(
        "{} {}",
        env["browser"].as_str().unwrap_or("?"),
        env["browser_version"].as_str().unwrap_or("")
    );
    row(h, "Browser", &esc(browser.trim()));
    if let Some(missing) = m["missing"].as_array().filter(|a| !a.is_empty()) {
        let list: Vec<String> = missing.iter().filter_map(Value::as_str).map(esc).collect();
        row(h, "Not captured", &list.join("<br>"));
    }
}

fn capture_body(h: &mut String, item: &ReportItem, rec: &Record) {
    let thread = item
        .capture_metadata
        .as_ref()
        .and_then(|m| crate::thread::read(m).ok().flatten());
    if let Some(t) = &thread {
        if thread::long_capture_body(h, item, rec, t) {
            return; // a whole conversation or page
        }
    }
    if let (Some(folder), Some(shot)) = (
        &item.folder,
        rec.artifacts.iter().find(|a| a.media_type == "image/png"),
    ) {
        let _ = writeln!(
            h,
            "<figure><img src=\"{}/{}\" alt=\"Screenshot of item {}\"><figcaption class=\"muted\">Screenshot of the visible part of the page ({})</figcaption></figure>",
            esc(folder),
            esc(&shot.name),
            item.seq,
            esc(&shot.name)
        );
    }
    if let Some(t) = thread.filter(|t| t.kind == crate::thread::ThreadKind::Screen) {
        h.push_str(&crate::thread::html::thread_html(&t));
    }
}

fn incident_rows(h: &mut String, meta: &Value) {
    let i = &meta["incident"];
    opt_row(h, "Incident time", i["occurred_at"].as_str());
    opt_row(h, "Incident time (UTC)", i["occurred_at_utc"].as_str());
    // The type as the diary form names it ("Came to my home"); an id this build does
    // not know is shown as stored.
    let ty = i["type"].as_str().map(|t| {
        let label = incident_type_label(t).unwrap_or(t);
        match (t, i["type_other"].as_str()) {
            ("other", Some(o)) => format!("{label}: {o}"),
            _ => label.to_string(),
        }
    });
    opt_row(h, "Type", ty.as_deref());
    opt_row(h, "Location", i["location"].as_str());
    text_row(h, "What happened", i["what_happened"].as_str());
    opt_row(h, "Person involved", i["person"]["name"].as_str());
    text_row(h, "Their appearance", i["person"]["description"].as_str());
    text_row(h, "Witnesses", i["witnesses"].as_str());
    text_row(h, "How it affected you", i["effect"].as_str());
    if i["police"]["reported"].as_bool() == Some(true) {
        row(h, "Reported to police", "yes");
    }
    opt_row(h, "Police reference", i["police"]["reference"].as_str());
    opt_row(h, "Police officer", i["police"]["officer"].as_str());
}

fn target_rows(h: &mut String, meta: &Value) {
    let t = &meta["target"];
    if let Some(seq) = t["seq"].as_u64() {
        row(
            h,
            "About item",
            &format!(
                "<a href=\"#item-{seq}\">Item {seq}</a> (record <span class=\"hash\">{}</span>)",
                esc(t["record_sha256"].as_str().unwrap_or("?"))
            ),
        );
    }
    text_row(h, "Note", meta["note"].as_str());
    text_row(h, "Reason", meta["reason"].as_str());
}

/// A file added as evidence: what the file says about itself, and where custody starts.
fn import_rows(h: &mut String, meta: &Value) {
    let (f, e) = (&meta["file"], &meta["exif"]);
    text_row(h, "Chain of custody", meta["custody"].as_str());
    opt_row(h, "Added at", meta["imported_at"].as_str());
    opt_row(h, "Original file name", f["original_name"].as_str());
    opt_row(
        h,
        "File's own last-modified time (UTC)",
        f["last_modified"].as_str(),
    );
    opt_row(
        h,
        "Taken (EXIF, the camera's clock)",
        e["date_time_original"].as_str(),
    );
    opt_row(h, "EXIF time offset", e["offset_time_original"].as_str());
    opt_row(h, "Camera make (EXIF)", e["make"].as_str());
    opt_row(h, "Camera model (EXIF)", e["model"].as_str());
}

pub(crate) fn row(h: &mut String, label: &str, html: &str) {
    let _ = writeln!(h, "<tr><th>{}</th><td>{}</td></tr>", esc(label), html);
}

fn opt_row(h: &mut String, label: &str, value: Option<&str>) {
    if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
        row(h, label, &esc(v));
    }
}

pub(crate) fn text_row(h: &mut String, label: &str, value: Option<&str>) {
    if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
        row(h, label, &format!("<div class=\"text\">{}</div>", esc(v)));
    }
}

pub(crate) fn link_row(h: &mut String, label: &str, value: Option<&str>) {
    if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
        row(h, label, &link(v));
    }
}

/// A link only for http(s) URLs; anything else is shown as text.
pub(crate) fn link(url: &str) -> String {
    if url.starts_with("https://") || url.starts_with("http://") {
        format!("<a href=\"{0}\">{0}</a>", esc(url))
    } else {
        esc(url)
    }
}

/// "2026-11-25T16:02:11.000Z (local 2026-11-25 17:02:11 UTC+01:00)".
fn times_html(utc: &str, offset_minutes: i32) -> String {
    let parsed = DateTime::parse_from_rfc3339(utc).ok();
    let local = parsed.and_then(|t| {
        FixedOffset::east_opt(offset_minutes.saturating_mul(60)).map(|o| t.with_timezone(&o))
    });
    match (parsed, local) {
        (Some(t), Some(l)) => format!(
            "{} UTC (local time {} UTC{})",
            esc(&t
                .with_timezone(&Utc)
                .to_rfc3339_opts(SecondsFormat::Millis, true)),
            l.format("%Y-%m-%d %H:%M:%S"),
            l.format("%:z")
        ),
        _ => esc(utc),
    }
}

/// HTML-escape text for element content and double-quoted attributes. Control and
/// bidirectional-text characters (except newline and tab) are shown as a visible
/// `[U+XXXX]`, so text from a hostile page cannot reorder or hide what the report shows.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if crate::archive::display::is_unsafe_char(c) => {
                out.push_str(&format!("[U+{:04X}]", c as u32))
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
#[path = "timeline_tests.rs"]
mod tests;
