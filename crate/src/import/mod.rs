//! "Add files as evidence": a file from the phone or the computer (a screenshot, a photo,
//! a screen recording, a voice note, a PDF) stored byte for byte as an item of its own.
//!
//! The caller hashes the file as it is received and hands over its facts; this module
//! validates them and builds the record's metadata: the import time, the file's own
//! times (the `lastModified` the browser reports), and for photos the EXIF capture time
//! and camera ([`exif`]). The record says plainly that the **chain of custody starts at
//! the import**: nothing before the file reached this device is shown by the hashes, and
//! file times and EXIF fields are what the file says about itself, which anyone can edit.

pub mod exif;

use crate::chat_export::{ChatDocument, ConversationSummary};
use crate::entries::{attachment_name, clean, clean_media_type, excerpt, local_time, EntryContext};
use crate::error::{Error, Result};
use crate::hash::is_digest;
use crate::record::{utc_string, ArtifactRef};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use exif::{read_exif, ExifFacts};

/// The sentence every imported item carries, in the record and in the report.
pub const CUSTODY: &str = "Added to the evidence library from a file. The chain of custody starts at the import: the hashes show that the file has not changed since it was added, not where it came from or what happened to it before. Its file times and photo details (EXIF) are what the file says about itself, and can have been edited.";

/// Largest original file name kept.
const MAX_NAME: usize = 500;

/// A file to add, already hashed by the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportInput {
    /// The file's name on the user's device (kept as metadata only).
    pub original_name: String,
    /// The media type the browser reported (may be empty).
    #[serde(default)]
    pub media_type: String,
    /// Exact byte count.
    pub bytes: u64,
    /// Lowercase hex SHA-256 of the bytes as received.
    pub sha256: String,
    /// The file's last-modified time as the browser reports it (ms since the epoch).
    #[serde(default)]
    pub last_modified_ms: Option<i64>,
    /// What the photo's EXIF block says, when it has one ([`read_exif`]).
    #[serde(default)]
    pub exif: Option<ExifFacts>,
    /// The parsed thread, when the file is a chat export ([`crate::chat_export`]).
    #[serde(default)]
    pub chat: Option<ChatDocument>,
}

/// The file as the record describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedFile {
    /// The artifact's name in the record.
    pub artifact: String,
    /// The original file name.
    pub original_name: String,
    /// Media type.
    pub media_type: String,
    /// Byte count.
    pub bytes: u64,
    /// SHA-256 as received.
    pub sha256: String,
    /// The file's own last-modified time (UTC), when the browser gave one.
    pub last_modified: Option<String>,
}

/// An imported file's record metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportMetadata {
    /// "File: <original name>".
    pub title: String,
    /// A short line for the timeline.
    pub excerpt: String,
    /// When it was added, in the user's local offset (RFC 3339 with milliseconds).
    pub imported_at: String,
    /// The file.
    pub file: ImportedFile,
    /// The photo's EXIF facts, when it has any.
    pub exif: Option<ExifFacts>,
    /// [`CUSTODY`].
    pub custody: String,
    /// For a chat export: the conversation (its thread is in the `metadata.json` artifact).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation: Option<ConversationSummary>,
    /// Keys this build does not know, kept as stored.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// What [`build_import`] answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BuiltImport {
    /// The record's `metadata`.
    pub metadata: ImportMetadata,
    /// The record's one artifact.
    pub artifacts: Vec<ArtifactRef>,
    /// The timeline summary (the metadata's title and excerpt).
    pub summary: Value,
    /// For a chat export: the `metadata.json` bytes (the parsed thread), listed in
    /// `artifacts` after the original file.
    pub metadata_json: Option<Vec<u8>>,
}

/// Validate a file to add and build its record metadata, at `ctx` (the import time).
pub fn build_import(input: &ImportInput, ctx: &EntryContext) -> Result<BuiltImport> {
    let imported_at = local_time(ctx)?;
    if !is_digest(&input.sha256) {
        return Err(Error::InvalidInput(
            "the file's SHA-256 is not 64 lowercase hex digits".into(),
        ));
    }
    let name = clean(Some(&input.original_name), MAX_NAME, "the file name")?
        .unwrap_or_else(|| "file".into());
    let media_type = clean_media_type(&input.media_type, &name);
    let last_modified = match input.last_modified_ms {
        Some(ms) => Some(
            utc_string(ms)
                .map_err(|_| Error::InvalidInput("the file's time is out of range".into()))?,
        ),
        None => None,
    };
    let artifact = attachment_name(0, &name);
    let exif = input.exif.clone().filter(|e| !e.is_empty());
    let what = match media_type.split('/').next() {
        Some("image") => "Photo or screenshot",
        Some("video") => "Video or screen recording",
        Some("audio") => "Recording or voice note",
        _ if media_type == "application/pdf" => "PDF document",
        _ => "File",
    };
    let mut line = what.to_string();
    let conversation = input.chat.as_ref().map(ChatDocument::summary);
    if let Some(c) = &conversation {
        line = format!(
            "{} chat export · {} messages{}",
            if c.source == "telegram" {
                "Telegram"
            } else {
                "WhatsApp"
            },
            c.message_count,
            if c.authors.is_empty() {
                String::new()
            } else {
                format!(" · {}", c.authors.join(", "))
            }
        );
    }
    if let Some(e) = &exif {
        if let Some(t) = &e.date_time_original {
            line.push_str(&format!(" · taken {t} (camera's clock)"));
        }
        if let Some(m) = e.camera() {
            line.push_str(&format!(" · {m}"));
        }
    }
    let metadata = ImportMetadata {
        title: format!("File: {name}"),
        excerpt: excerpt(&line),
        imported_at,
        file: ImportedFile {
            artifact: artifact.clone(),
            original_name: name,
            media_type: media_type.clone(),
            bytes: input.bytes,
            sha256: input.sha256.clone(),
            last_modified,
        },
        exif,
        custody: CUSTODY.into(),
        conversation,
        extra: Map::new(),
    };
    let metadata_json = input
        .chat
        .as_ref()
        .map(ChatDocument::to_json_bytes)
        .transpose()?;
    let summary = serde_json::json!({
        "title": metadata.title,
        "excerpt": metadata.excerpt,
        "site": null,
        "authors": [],
    });
    let mut artifacts = vec![ArtifactRef {
        name: artifact,
        media_type,
        bytes: input.bytes,
        sha256: input.sha256.clone(),
    }];
    if let Some(bytes) = &metadata_json {
        artifacts.push(ArtifactRef {
            name: "metadata.json".into(),
            media_type: "application/json".into(),
            bytes: bytes.len() as u64,
            sha256: crate::hash::sha256_hex(bytes),
        });
    }
    Ok(BuiltImport {
        artifacts,
        metadata,
        summary,
        metadata_json,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
