//! What `report.pdf` says: a cover page, a timeline table, then each exhibit on its own
//! page(s). Built from the same [`ReportInput`] as `report.html`, which stays the
//! authoritative text; nothing here states anything the records do not.

use super::font::{describe_missing, MARKER};
use super::image::{from_png, PdfImage};
use super::layout::Flow;
use super::PdfInput;
use crate::diary::incident_type_label;
use crate::record::{Kind, Record};
use crate::thread::ThreadKind;
use crate::timeline::ReportItem;
use chrono::{DateTime, FixedOffset};
use serde_json::Value;
use std::collections::BTreeSet;

const BODY: f32 = 9.0;
const SMALL: f32 = 7.5;

/// `2026-11-20 21:14:00 UTC` and `22:14:00 local (UTC+01:00)` of an RFC 3339 time.
pub fn utc_and_local(utc: &str, offset_minutes: i32) -> (String, String) {
    let Ok(t) = DateTime::parse_from_rfc3339(utc) else {
        return (utc.to_string(), "(unreadable time)".into());
    };
    let u = t.naive_utc().format("%Y-%m-%d %H:%M:%S UTC").to_string();
    let Some(off) = FixedOffset::east_opt(offset_minutes.saturating_mul(60)) else {
        return (u, "(unknown offset)".into());
    };
    let l = t.with_timezone(&off);
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let m = offset_minutes.unsigned_abs();
    (
        u,
        format!(
            "{} local (UTC{sign}{:02}:{:02})",
            l.format("%Y-%m-%d %H:%M:%S"),
            m / 60,
            m % 60
        ),
    )
}

fn kind_label(k: Kind) -> &'static str {
    match k {
        Kind::Capture => "Web page capture",
        Kind::Incident => "Diary entry",
        Kind::Amendment => "Note or correction",
        Kind::Removal => "Removal record",
        Kind::Import => "Imported file",
    }
}

/// The earliest trusted timestamp that covers item `seq` (a token over the chain value
/// after item N covers items 0 to N), in words; `None` when no token covers it.
fn proof_of_time(input: &PdfInput<'_>, seq: u64) -> Option<String> {
    let t = input
        .timestamps
        .iter()
        .filter(|t| t.seq >= seq)
        .min_by(|a, b| a.gen_time.cmp(&b.gen_time))?;
    Some(format!(
        "Existed by {} (UTC), by the trusted timestamp {} from {} over the chain value after item {}. Its signature was checked when the archive was made; whether the authority is trusted is for the verifier (see VERIFY.txt).",
        t.gen_time, t.file, t.tsa, t.seq
    ))
}

fn reference(item: &ReportItem) -> String {
    item.reference
        .clone()
        .unwrap_or_else(|| format!("Item {}", item.seq))
}

/// One line describing the item for the timeline.
fn summary(item: &ReportItem) -> String {
    let Some(rec) = &item.record else {
        return match item.status.as_str() {
            "withheld" => "Withheld from this archive (only its hashes are included)".into(),
            "removed" => "Removed in the extension (a removal record keeps its hashes)".into(),
            s => s.to_string(),
        };
    };
    let meta = rec.metadata.to_value();
    let s = |k: &str| meta[k].as_str().unwrap_or("").to_string();
    match rec.kind {
        Kind::Capture => {
            let who = meta["authors"]
                .as_array()
                .and_then(|a| a.first())
                .and_then(Value::as_str)
                .unwrap_or("");
            format!("{} {} {}", s("site"), who, s("excerpt"))
        }
        _ => format!("{} {}", s("title"), s("excerpt")),
    }
}

/// Lay out the whole report; returns the images in the order the pages use them.
pub fn lay_out(flow: &mut Flow<'_>, input: &PdfInput<'_>) -> Vec<PdfImage> {
    let mut images = Vec::new();
    cover(flow, input);
    timeline(flow, input);
    for item in &input.report.items {
        if let Some(rec) = item.record.as_ref().filter(|_| item.status == "included") {
            exhibit(flow, input, item, rec, &mut images);
        }
    }
    images
}

fn cover(flow: &mut Flow<'_>, input: &PdfInput<'_>) {
    let r = input.report;
    let count = |s: &str| r.items.iter().filter(|i| i.status == s).count();
    flow.text("Evidence report: exhibits", 18.0, 0.0, 0.0);
    flow.gap(6.0);
    flow.text("This report lists evidence saved with the Evidence Capture browser extension. Each item was hashed (SHA-256) when it was saved, and the items are linked in a hash chain. It was generated from the archive's records; report.html and each item's metadata.json in the same archive are the authoritative text.", BODY, 0.0, 0.0);
    flow.gap(8.0);
    let by = crate::archive::index::clean_exported_by(r.exported_by.as_deref());
    flow.row("Produced by", by.as_deref().unwrap_or("(not given)"), BODY);
    let initials = crate::exhibits::clean_initials(input.initials);
    flow.row(
        "Exhibit references",
        &match &initials {
            Some(i) => format!("{i}/n: item n−1 of the chain is exhibit {i}/n"),
            None => "numbers only (no initials were given)".into(),
        },
        BODY,
    );
    let (u, l) = utc_and_local(&r.exported_at, r.local_offset_minutes);
    flow.row("Produced at", &format!("{u}\n{l}"), BODY);
    flow.row(
        "Exhibits",
        &format!(
            "{} included, of {} items in the chain ({} withheld, {} removed)",
            count("included"),
            r.items.len(),
            count("withheld"),
            count("removed")
        ),
        BODY,
    );
    flow.row("Head hash", &r.head, BODY);
    flow.row("Archive fingerprint", "The SHA-256 of this archive's manifest.json. It cannot be printed inside this PDF: manifest.json lists this PDF's own SHA-256, so that the fingerprint covers this report too. The person who produced the archive gives it separately, with the head hash; the verifier shows it.", BODY);
    flow.row(
        "Tool",
        &format!("Evidence Capture {}", r.tool_version),
        BODY,
    );
    flow.gap(8.0);
    flow.text("How to verify", 11.0, 0.0, 0.0);
    flow.text("Open the archive (ZIP) with the standalone verifier (verify.html, opened from disk in any browser, offline) or run: evidence-verify ARCHIVE.zip --head HEAD --fingerprint FINGERPRINT. Without the head hash and fingerprint received separately, a passing result means only that the archive is internally consistent. With standard tools only: unzip the archive and run sha256sum -c SHA256SUMS in its folder. VERIFY.txt in the archive explains each way.", BODY, 0.0, 0.0);
}

fn timeline(flow: &mut Flow<'_>, input: &PdfInput<'_>) {
    flow.page_break();
    flow.text("Timeline", 14.0, 0.0, 0.0);
    flow.gap(4.0);
    let cols = [0.0, 52.0, 160.0, 250.0];
    flow.table_line(
        &["Exhibit", "Saved (UTC)", "Kind", "Summary"],
        &cols,
        SMALL,
        0.35,
    );
    flow.rule();
    for item in &input.report.items {
        let r = reference(item);
        let (when, kind) = match &item.record {
            Some(rec) => (
                utc_and_local(&rec.captured_at, 0).0,
                kind_label(rec.kind).to_string(),
            ),
            None => ("—".into(), item.status.clone()),
        };
        flow.table_line(&[&r, &when, &kind, &summary(item)], &cols, SMALL, 0.0);
    }
}

/// Every text the exhibit's page shows from the record and its metadata, as
/// (label, value) rows.
fn rows_of(item: &ReportItem, rec: &Record) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    let mut put = |l: &str, v: Option<&str>| {
        if let Some(v) = v.filter(|v| !v.trim().is_empty()) {
            rows.push((l.to_string(), v.to_string()));
        }
    };
    let (u, l) = utc_and_local(&rec.captured_at, rec.local_offset_minutes);
    put("Item", Some(&format!("{} of the chain", item.seq)));
    put("Saved (UTC)", Some(&u));
    put("Saved (local)", Some(&l));
    put("Time zone", rec.time_zone.as_deref());
    let meta = rec.metadata.to_value();
    match rec.kind {
        Kind::Capture => {
            if let Some(m) = &item.capture_metadata {
                let p = &m["page"];
                put("URL", p["url"].as_str());
                if p["final_url"] != p["url"] {
                    put("Final URL", p["final_url"].as_str());
                }
                put("Page title", p["title"].as_str());
                put("Site", p["site_name"].as_str());
                put("Platform", m["platform"].as_str());
            } else {
                put("URL", meta["url"].as_str());
                put("Page facts", Some("metadata.json is not in this archive"));
            }
        }
        Kind::Incident => {
            let i = &meta["incident"];
            let ty = i["type"]
                .as_str()
                .map(|t| incident_type_label(t).unwrap_or(t));
            put("Incident type", ty);
            put("Described as", i["type_other"].as_str());
            put("Happened at", i["occurred_at"].as_str());
            put("Where", i["location"].as_str());
            put("What happened", i["what_happened"].as_str());
            put("Person", i["person"]["name"].as_str());
            put("What they looked like", i["person"]["description"].as_str());
            put("Witnesses", i["witnesses"].as_str());
            put("How it affected me", i["effect"].as_str());
            put("Police reference", i["police"]["reference"].as_str());
            put("Officer", i["police"]["officer"].as_str());
        }
        _ => {
            put("Title", meta["title"].as_str());
            put("Text", meta["text"].as_str().or(meta["reason"].as_str()));
            if let Some(t) = meta["target"]["seq"].as_u64() {
                put("About item", Some(&t.to_string()));
            }
        }
    }
    rows
}

/// Each message's author (with the account identifier where captured), time and text,
/// read by the one reader of [`crate::thread`]: a capture's messages, or an imported chat
/// export's (with its sender's identifier and its attachments).
pub(super) fn messages_of(item: &ReportItem) -> Vec<(String, String)> {
    let Some(t) = item
        .capture_metadata
        .as_ref()
        .and_then(|m| crate::thread::read(m).ok().flatten())
    else {
        return Vec::new();
    };
    let chat = t.kind == ThreadKind::ChatExport;
    let precision = t.kind.time_precision();
    let mut out = Vec::new();
    for (i, msg) in t.messages.iter().enumerate() {
        let mut who = match (&msg.author, chat && msg.system) {
            (_, true) => "System message".to_string(),
            (Some(a), false) => a.clone(),
            (None, false) => "(unknown author)".to_string(),
        };
        // A capture names the handle; a chat export the sender's identifier.
        let account = if chat {
            msg.author_id
                .as_ref()
                .filter(|id| msg.author.as_ref() != Some(id))
        } else {
            msg.handle.as_ref()
        };
        if let Some(h) = account {
            who.push_str(&format!(" — account {h}"));
        }
        if let Some(p) = &msg.profile_url {
            who.push_str(&format!(" — {p}"));
        }
        let mut when = String::new();
        if let Some(u) = msg.time.utc_text(precision) {
            when.push_str(&format!("{u} UTC"));
            if msg.time.approximate {
                when.push_str(" (approximate)");
            }
        }
        if let Some(s) = &msg.time.shown {
            when.push_str(&format!(
                "{}shown as “{s}”",
                if when.is_empty() { "" } else { "; " }
            ));
        }
        let mut body = format!("{who}\n");
        if !when.is_empty() {
            body.push_str(&format!("{when}\n"));
        }
        body.push_str(&msg.text);
        for a in &msg.attachments {
            if a.omitted {
                body.push_str("\n[media left out of the export]");
            } else {
                body.push_str(&format!("\n[attached: {}]", a.name));
            }
        }
        if let Some(p) = &msg.permalink {
            body.push_str(&format!("\nPermalink: {p}"));
        }
        out.push((format!("Message {}", i + 1), body));
    }
    out
}

fn exhibit(
    flow: &mut Flow<'_>,
    input: &PdfInput<'_>,
    item: &ReportItem,
    rec: &Record,
    images: &mut Vec<PdfImage>,
) {
    flow.page_break();
    let rows = rows_of(item, rec);
    let messages = messages_of(item);
    let mut missing = BTreeSet::new();
    for (_, v) in rows.iter().chain(&messages) {
        flow.font().missing_in(v, &mut missing);
    }
    flow.text(
        &format!("Exhibit {} — {}", reference(item), kind_label(rec.kind)),
        14.0,
        0.0,
        0.0,
    );
    if !missing.is_empty() {
        flow.text(&format!("Characters this PDF's font cannot show are printed as {MARKER} (report.html and metadata.json have them as written): {}", describe_missing(&missing)), SMALL, 0.0, 0.0);
    }
    flow.gap(4.0);
    for (l, v) in &rows {
        flow.row(l, v, BODY);
    }
    if let Some(files) = input.exhibit_files.get(&item.seq) {
        flow.row("Exhibit files", &files.join("\n"), BODY);
    }
    if let Some(proof) = proof_of_time(input, item.seq) {
        flow.row("Proof of time", &proof, BODY);
    }
    for (l, v) in &messages {
        flow.gap(3.0);
        flow.row(l, v, BODY);
    }
    if rec.kind == Kind::Capture {
        flow.gap(6.0);
        let kept = input
            .images
            .get(&item.seq)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        if kept.is_empty() {
            flow.text("The screenshot is not embedded in this PDF (too large for the export's memory); it is in the archive under exhibits/ and in the item's folder.", BODY, 0.0, 0.0);
        }
        let caption = if kept.len() > 1 {
            "The whole conversation or page, stitched from the screens taken (each screen is in the item's folder)"
        } else {
            "Screenshot (the visible part of the page when it was saved)"
        };
        for (i, png) in kept.iter().enumerate() {
            match from_png(png) {
                Ok(im) => {
                    if i == 0 {
                        flow.text(caption, SMALL, 0.0, 0.35);
                    }
                    flow.image(images.len(), im.width, im.height);
                    images.push(im);
                }
                Err(e) => flow.text(&e.to_string(), BODY, 0.0, 0.0),
            }
        }
    }
    flow.gap(6.0);
    flow.text("Files and hashes (SHA-256)", 10.0, 0.0, 0.0);
    for a in &rec.artifacts {
        flow.text(&format!("{} · {} bytes", a.name, a.bytes), SMALL, 0.0, 0.0);
        flow.text(&a.sha256, SMALL, 10.0, 0.35);
    }
    flow.text("Record hash", SMALL, 0.0, 0.0);
    flow.text(&item.record_sha256, SMALL, 10.0, 0.35);
    flow.text("Chain hash after this item", SMALL, 0.0, 0.0);
    flow.text(&item.chain_sha256, SMALL, 10.0, 0.35);
}
