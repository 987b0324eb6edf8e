//! The library's catalog entry: one small document per stored item, for the timeline, its
//! filters and full-text search, so the library reads a few hundred bytes per item
//! instead of record bytes or blobs.
//!
//! An entry is derived from the sealed record (and, for a capture, its `metadata.json`
//! bytes). It is a cache of what the record already says: the record and its hashes stay
//! the evidence. The rules are those of the extension's `library/catalog.js`, key for key:
//! the same fields, the same limits (300 UTF-16 units for title and excerpt, 20 authors,
//! [`MAX_SEARCH_TEXT`]) and the same search normalisation ([`search_normal`]). The
//! metadata is read through its JSON form, with the script's loose rules (a wrong type
//! counts as absent), so hand-made and older records get the entry they always had.

use crate::error::Result;
use crate::hash::sha256_hex;
use crate::record::{self, ArtifactRef, Kind, Record};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use text::{js_number, js_or_null, js_string, js_word, slice_utf16};
pub use text::{search_normal, search_words};

mod text;

/// Longest search text kept per item, in UTF-16 units (as the script counts).
pub const MAX_SEARCH_TEXT: usize = 20_000;
/// Longest title and excerpt kept, in UTF-16 units.
const MAX_TITLE: usize = 300;
/// Most authors kept.
const MAX_AUTHORS: usize = 20;
/// Largest `metadata.json` read for search text.
const MAX_METADATA_BYTES: usize = 8 * 1024 * 1024;
/// Largest image used as the timeline's thumbnail.
const MAX_THUMB_BYTES: u64 = 50 * 1024 * 1024;

/// What the store knows about a row besides its record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RowFacts {
    /// Sequence number.
    pub seq: u64,
    /// Item id.
    pub id: String,
    /// Item kind.
    pub kind: Kind,
    /// Record hash.
    pub record_sha256: String,
    /// The record's `captured_at`.
    pub captured_at: String,
    /// The removal item that deleted this row's content, when it was removed.
    #[serde(default)]
    pub removed_by: Option<u64>,
}

/// A catalog entry, as the library stores and reads it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogEntry {
    /// Sequence number.
    pub seq: u64,
    /// Item id.
    pub id: String,
    /// Item kind.
    pub kind: Kind,
    /// Record hash.
    pub record_sha256: String,
    /// When the item was saved (UTC).
    pub captured_at: String,
    /// When it happened: the incident time for diary entries, else `captured_at`.
    pub event_at: String,
    /// True when the item's content was removed.
    pub removed: bool,
    /// What the timeline shows.
    #[serde(flatten)]
    pub content: EntryContent,
    /// Normalised search text, at most [`MAX_SEARCH_TEXT`] UTF-16 units.
    pub text: String,
}

/// A catalog entry's content: the timeline row of a present item, or a removed one.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum EntryContent {
    /// The item's content is stored.
    Present(PresentContent),
    /// The item's content was removed; only its hashes stay.
    Removed(RemovedContent),
}

/// The timeline row of a removed item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RemovedContent {
    /// The removal item's sequence number.
    pub removed_by: Option<u64>,
    /// Always "".
    pub title: String,
    /// Always "".
    pub excerpt: String,
    /// Always `null`.
    pub site: Option<String>,
    /// Always empty.
    pub authors: Vec<String>,
    /// Always empty.
    pub blobs: Vec<String>,
}

/// The timeline row of an item whose content is stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PresentContent {
    /// The item's title.
    pub title: String,
    /// The item's excerpt.
    pub excerpt: String,
    /// The page's host name (captures).
    pub site: Option<String>,
    /// The page's URL (captures).
    pub url: Option<String>,
    /// Authors (captures) or the person named (diary entries).
    pub authors: Vec<String>,
    /// SHA-256 of the image shown as the thumbnail.
    pub thumb: Option<String>,
    /// How many artifacts the record lists.
    pub artifact_count: u64,
    /// Their total size in bytes.
    pub bytes: u64,
    /// Their distinct hashes, in record order.
    pub blobs: Vec<String>,
    /// What only this kind of item has.
    #[serde(flatten)]
    pub details: KindDetails,
}

/// The fields only one kind of item has.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum KindDetails {
    /// A capture.
    Capture(CaptureDetails),
    /// A diary entry.
    Incident(IncidentDetails),
    /// A note or correction.
    Amendment(AmendmentDetails),
    /// A removal.
    Removal(RemovalDetails),
    /// A file added as evidence.
    Import(ImportDetails),
}

/// An imported file's catalog fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportDetails {
    /// Its media type.
    pub media_type: Option<String>,
    /// The capture time its EXIF gives (the camera's clock), when it has one.
    pub taken_at: Option<String>,
}

/// A capture's catalog fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaptureDetails {
    /// How many parts could not be captured.
    pub missing: u64,
    /// How many visible messages were read (the script's `Number(v) || 0`).
    pub message_count: serde_json::Number,
}

/// A diary entry's catalog fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IncidentDetails {
    /// When it happened, with the offset it was entered in.
    pub occurred_at: String,
    /// The incident type id.
    #[serde(rename = "type")]
    pub incident_type: String,
    /// Where it happened, as stored (a string in every record the builders make).
    pub location: Value,
    /// True when it was reported to the police.
    pub police_reported: bool,
}

/// A note's or correction's catalog fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AmendmentDetails {
    /// The item it adds to, as stored (`null` when absent).
    pub target_seq: Value,
    /// True for a correction.
    pub correction: bool,
}

/// A removal's catalog fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RemovalDetails {
    /// The removed item, as stored (`null` when absent).
    pub target_seq: Value,
    /// The removed item's kind, as stored (`null` when absent).
    pub target_kind: Value,
}

/// The catalog entry of stored record bytes (and, for a capture, its `metadata.json`
/// bytes, whose messages become searchable).
pub fn entry_from_bytes(record_bytes: &[u8], metadata_json: Option<&[u8]>) -> Result<CatalogEntry> {
    let rec = record::parse(record_bytes)?;
    let row = RowFacts {
        seq: rec.seq,
        id: rec.id.clone(),
        kind: rec.kind,
        record_sha256: sha256_hex(record_bytes),
        captured_at: rec.captured_at.clone(),
        removed_by: None,
    };
    let extra = match (rec.kind, metadata_json) {
        (Kind::Capture, Some(bytes)) => capture_search_text(bytes),
        _ => String::new(),
    };
    Ok(catalog_entry(&row, &rec, &extra))
}

/// The catalog entry of a row whose content was removed.
pub fn removed_entry(row: &RowFacts) -> CatalogEntry {
    CatalogEntry {
        seq: row.seq,
        id: row.id.clone(),
        kind: row.kind,
        record_sha256: row.record_sha256.clone(),
        captured_at: row.captured_at.clone(),
        event_at: row.captured_at.clone(),
        removed: true,
        content: EntryContent::Removed(RemovedContent {
            removed_by: row.removed_by,
            title: String::new(),
            excerpt: String::new(),
            site: None,
            authors: Vec::new(),
            blobs: Vec::new(),
        }),
        text: String::new(),
    }
}

/// The catalog entry of a stored row and its parsed record; `extra_text` is more text to
/// search (a capture's messages, see [`capture_search_text`]).
pub fn catalog_entry(row: &RowFacts, rec: &Record, extra_text: &str) -> CatalogEntry {
    let m = rec.metadata.to_value();
    let title = slice_utf16(&js_string(m.get("title")), MAX_TITLE);
    let excerpt = slice_utf16(&js_string(m.get("excerpt")), MAX_TITLE);
    let site = m.get("site").and_then(Value::as_str).map(str::to_string);
    let url = m.get("url").and_then(Value::as_str).map(str::to_string);
    let authors: Vec<String> = match m.get("authors") {
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(Value::as_str)
            .take(MAX_AUTHORS)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    };
    // The script's `[...].filter(Boolean).join(" ")`: every value that is not falsy.
    let mut words: Vec<Option<String>> = vec![Some(title.clone()), Some(excerpt.clone())];
    words.push(site.clone());
    words.push(url.clone());
    words.extend(authors.iter().cloned().map(Some));
    words.push(Some(js_string(m.get("platform"))));
    let mut event_at = row.captured_at.clone();
    let details = match row.kind {
        Kind::Capture => KindDetails::Capture(CaptureDetails {
            missing: m
                .get("missing")
                .and_then(Value::as_array)
                .map_or(0, |a| a.len() as u64),
            message_count: js_number(m.get("message_count")),
        }),
        Kind::Incident => {
            let i = m.get("incident").cloned().unwrap_or(Value::Null);
            if let Some(t) = i.get("occurred_at_utc").and_then(Value::as_str) {
                event_at = t.to_string();
            }
            let person = i.get("person");
            let police = i.get("police");
            for v in [
                i.get("type_other"),
                i.get("location"),
                i.get("what_happened"),
                person.and_then(|p| p.get("name")),
                person.and_then(|p| p.get("description")),
                i.get("witnesses"),
                i.get("effect"),
                police.and_then(|p| p.get("reference")),
                police.and_then(|p| p.get("officer")),
            ] {
                words.push(js_word(v));
            }
            KindDetails::Incident(IncidentDetails {
                occurred_at: js_string(i.get("occurred_at")),
                incident_type: js_string(i.get("type")),
                location: js_or_null(i.get("location")),
                police_reported: police.and_then(|p| p.get("reported")) == Some(&Value::Bool(true)),
            })
        }
        Kind::Amendment => {
            words.push(js_word(m.get("note")));
            KindDetails::Amendment(AmendmentDetails {
                target_seq: js_or_null(target(&m).and_then(|t| t.get("seq"))),
                correction: m.get("correction") == Some(&Value::Bool(true)),
            })
        }
        Kind::Import => {
            let file = m.get("file");
            let exif = m.get("exif");
            for v in [
                file.and_then(|f| f.get("original_name")),
                exif.and_then(|e| e.get("make")),
                exif.and_then(|e| e.get("model")),
            ] {
                words.push(js_word(v));
            }
            KindDetails::Import(ImportDetails {
                media_type: file
                    .and_then(|f| f.get("media_type"))
                    .and_then(Value::as_str)
                    .map(str::to_string),
                taken_at: exif
                    .and_then(|e| e.get("date_time_original"))
                    .and_then(Value::as_str)
                    .map(str::to_string),
            })
        }
        Kind::Removal => {
            words.push(js_word(m.get("reason")));
            KindDetails::Removal(RemovalDetails {
                target_seq: js_or_null(target(&m).and_then(|t| t.get("seq"))),
                target_kind: js_or_null(target(&m).and_then(|t| t.get("kind"))),
            })
        }
    };
    if let Some(Value::Array(list)) = m.get("attachments") {
        for a in list {
            words.push(js_word(a.get("original_name")));
        }
    }
    words.push(Some(extra_text.to_string()));
    let joined = words
        .into_iter()
        .flatten()
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    CatalogEntry {
        seq: row.seq,
        id: row.id.clone(),
        kind: row.kind,
        record_sha256: row.record_sha256.clone(),
        captured_at: row.captured_at.clone(),
        event_at,
        removed: false,
        content: EntryContent::Present(PresentContent {
            title,
            excerpt,
            site,
            url,
            authors,
            thumb: thumb_of(&rec.artifacts),
            artifact_count: rec.artifacts.len() as u64,
            bytes: rec.artifacts.iter().map(|a| a.bytes).sum(),
            blobs: distinct_blobs(&rec.artifacts),
            details,
        }),
        text: slice_utf16(&search_normal(&joined), MAX_SEARCH_TEXT),
    }
}

/// Extra search text from a capture's `metadata.json` bytes: the page title and URLs,
/// then every message's author and text, one per line; "" when the bytes are not a
/// capture metadata document (or larger than 8 MiB).
pub fn capture_search_text(bytes: &[u8]) -> String {
    if bytes.len() > MAX_METADATA_BYTES {
        return String::new();
    }
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let Ok(meta) = serde_json::from_str::<Value>(text) else {
        return String::new();
    };
    let Some(messages) = meta.get("messages").and_then(Value::as_array) else {
        return String::new();
    };
    let page = meta.get("page");
    let mut parts: Vec<Option<String>> = ["title", "url", "final_url", "site_name"]
        .iter()
        .map(|k| js_word(page.and_then(|p| p.get(*k))))
        .collect();
    for m in messages {
        let author = m.get("author");
        parts.push(js_word(author.and_then(|a| a.get("name"))));
        parts.push(js_word(author.and_then(|a| a.get("handle"))));
        parts.push(js_word(m.get("text")));
    }
    parts.into_iter().flatten().collect::<Vec<_>>().join("\n")
}

fn target(m: &Value) -> Option<&Value> {
    m.get("target")
}

/// The first image artifact (screenshot or photo, up to 50 MB), for the thumbnail.
fn thumb_of(artifacts: &[ArtifactRef]) -> Option<String> {
    artifacts
        .iter()
        .find(|a| {
            matches!(
                a.media_type.as_str(),
                "image/png" | "image/jpeg" | "image/webp" | "image/gif" | "image/bmp"
            ) && a.bytes > 0
                && a.bytes <= MAX_THUMB_BYTES
        })
        .map(|a| a.sha256.clone())
}

fn distinct_blobs(artifacts: &[ArtifactRef]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in artifacts {
        if !out.contains(&a.sha256) {
            out.push(a.sha256.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests;
