//! Entries the user writes: the shared rules (entry time, attachments, text limits) and
//! amendments and removals of ANY item — a note or correction added to an earlier item,
//! and the tombstone left when an item's content is deleted.
//!
//! The extension's pages collect what the user typed and the hashes of the files they
//! attached; this module checks it, gives every attachment a plain artifact name
//! (`01-photo-of-note.jpg`, the original file name is kept in the metadata) and builds
//! the typed record metadata and the short summary the library's timeline shows. Times
//! are passed in: the entry time is read by the caller, never here. Diary entries about
//! incidents are built in [`crate::diary`].

use crate::capture::truncate_chars;
use crate::error::{Error, Result};
use crate::hash::is_digest;
use crate::metadata::{
    AmendmentMetadata, AmendmentSummary, AttachmentMeta, Metadata, RemovalMetadata, RemovalSummary,
    Summary,
};
pub use crate::metadata::{RemovalTarget, TargetRef};
use crate::record::{validate_artifact_name, ArtifactRef, Kind};
use chrono::{DateTime, FixedOffset, SecondsFormat};
use serde::{Deserialize, Serialize};
use serde_json::Map;

/// Longest free text kept (what happened, notes), in characters. Longer text is refused,
/// never cut: a diary entry is evidence.
pub const MAX_LONG_TEXT: usize = 100_000;
/// Longest short field (location, names, police reference), in characters.
pub const MAX_SHORT_TEXT: usize = 2_000;
/// Most attachments on one entry.
pub const MAX_ATTACHMENTS: usize = 100;
/// Largest attachment accepted, in bytes (500 MiB).
pub const MAX_ATTACHMENT_BYTES: u64 = 500 * 1024 * 1024;
pub(crate) const EXCERPT_CHARS: usize = 200;
const STEM_CHARS: usize = 80;

/// The time of entry, read by the caller.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryContext {
    /// Entry time, ms since the Unix epoch.
    pub entered_at_ms: i64,
    /// The user's local offset at entry, minutes east of UTC.
    pub local_offset_minutes: i32,
}

/// A file the user attached, already hashed by the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentInput {
    /// The file's name on the user's device, kept as metadata only.
    pub original_name: String,
    /// The media type the browser reported (may be empty).
    #[serde(default)]
    pub media_type: String,
    /// Exact byte count.
    pub bytes: u64,
    /// Lowercase hex SHA-256 of the file.
    pub sha256: String,
}

/// A note or correction to an earlier item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AmendmentInput {
    /// The item it adds to.
    pub target: TargetRef,
    /// The note, in the user's words.
    #[serde(default)]
    pub note: String,
    /// True when it corrects something rather than adds to it.
    #[serde(default)]
    pub correction: bool,
    /// Attached files.
    #[serde(default)]
    pub attachments: Vec<AttachmentInput>,
}

/// A request to delete an item's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemovalInput {
    /// The item whose content goes.
    pub target: RemovalTarget,
    /// Why, in the user's words (may be empty).
    #[serde(default)]
    pub reason: String,
}

/// A validated entry: record metadata, the record's artifacts and the timeline summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BuiltEntry {
    /// The record's `metadata`.
    pub metadata: Metadata,
    /// The record's `artifacts` (the attachments under their artifact names).
    pub artifacts: Vec<ArtifactRef>,
    /// A short summary for the library's timeline (not part of the record).
    pub summary: Summary,
}

/// Validate a note or correction and build its record metadata.
pub fn build_amendment(input: &AmendmentInput, ctx: &EntryContext) -> Result<BuiltEntry> {
    let entered_at = local_time(ctx)?;
    check_target(&input.target.id, &input.target.record_sha256)?;
    let note = clean(Some(&input.note), MAX_LONG_TEXT, "the note")?;
    if note.is_none() && input.attachments.is_empty() {
        return Err(Error::InvalidInput(
            "please write the note or correction, or attach a file".into(),
        ));
    }
    let (artifacts, attachments) = attachments(&input.attachments)?;
    let seq = input.target.seq;
    let title = if input.correction {
        format!("Correction to item {seq}")
    } else {
        format!("Note added to item {seq}")
    };
    let excerpt = note
        .as_deref()
        .map(excerpt)
        .unwrap_or_else(|| format!("{} file(s) added", artifacts.len()));
    let note = note.unwrap_or_default();
    let summary = Summary::Amendment(AmendmentSummary {
        attachment_count: artifacts.len() as u64,
        authors: Vec::new(),
        correction: input.correction,
        excerpt: excerpt.clone(),
        site: None,
        target_seq: seq,
        title: title.clone(),
    });
    let metadata = Metadata::Amendment(AmendmentMetadata {
        attachments,
        correction: input.correction,
        entered_at,
        excerpt,
        note,
        target: input.target.clone(),
        title,
        extra: Map::new(),
    });
    Ok(BuiltEntry {
        metadata,
        artifacts,
        summary,
    })
}

/// Validate a removal and build its record metadata. The removal keeps the target's
/// hashes and says why; it never carries the removed content.
pub fn build_removal(input: &RemovalInput, ctx: &EntryContext) -> Result<BuiltEntry> {
    let entered_at = local_time(ctx)?;
    let t = &input.target;
    check_target(&t.id, &t.record_sha256)?;
    if t.kind == Kind::Removal {
        return Err(Error::InvalidInput(
            "a removal record cannot itself be removed: it is what keeps the history honest".into(),
        ));
    }
    for a in &t.artifacts {
        validate_artifact_name(&a.name)?;
        if !is_digest(&a.sha256) {
            return Err(Error::InvalidInput(format!(
                "artifact {:?} of the removed item has a malformed sha256",
                a.name
            )));
        }
    }
    let reason = clean(Some(&input.reason), MAX_LONG_TEXT, "the reason")?.unwrap_or_default();
    let title = format!("Content of item {} removed", t.seq);
    let excerpt = if reason.is_empty() {
        "No reason given".to_string()
    } else {
        excerpt(&reason)
    };
    let summary = Summary::Removal(RemovalSummary {
        authors: Vec::new(),
        excerpt: excerpt.clone(),
        site: None,
        target_kind: t.kind,
        target_seq: t.seq,
        title: title.clone(),
    });
    let metadata = Metadata::Removal(RemovalMetadata {
        entered_at,
        excerpt,
        reason,
        target: t.clone(),
        title,
        extra: Map::new(),
    });
    Ok(BuiltEntry {
        metadata,
        artifacts: Vec::new(),
        summary,
    })
}

/// A plain artifact name for attachment number `index` (from 0): a two-digit position,
/// then the original name in lowercase ASCII letters, digits, `.`, `-` and `_`.
pub fn attachment_name(index: usize, original: &str) -> String {
    let base = original.rsplit(['/', '\\']).next().unwrap_or(original);
    let (stem, ext) = match base.rfind('.') {
        Some(i) if i > 0 => (&base[..i], slug(&base[i + 1..], 10)),
        _ => (base, String::new()),
    };
    let mut stem = slug(stem, STEM_CHARS);
    if stem.is_empty() {
        stem = "attachment".into();
    }
    let ext = ext.replace(['-', '.', '_'], "");
    if ext.is_empty() {
        format!("{:02}-{stem}", index + 1)
    } else {
        format!("{:02}-{stem}.{ext}", index + 1)
    }
}

/// A media type in `type/subtype` form (parameters dropped), or one guessed from the
/// file name, or `application/octet-stream`.
pub fn clean_media_type(reported: &str, original_name: &str) -> String {
    let mt = reported
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let token = |s: &str| {
        !s.is_empty()
            && s.len() <= 100
            && s.chars().all(|c| {
                c.is_ascii_alphanumeric()
                    || matches!(c, '!' | '#' | '$' | '&' | '^' | '_' | '.' | '+' | '-')
            })
    };
    if let Some((t, s)) = mt.split_once('/') {
        if token(t) && token(s) {
            return mt;
        }
    }
    let ext = original_name
        .rsplit('.')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let guess = match ext.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "heic" => "image/heic",
        "pdf" => "application/pdf",
        "mp3" => "audio/mpeg",
        "m4a" => "audio/mp4",
        "wav" => "audio/wav",
        "ogg" | "oga" => "audio/ogg",
        "mp4" => "video/mp4",
        "mov" => "video/quicktime",
        "txt" => "text/plain",
        _ => "application/octet-stream",
    };
    guess.to_string()
}

/// The attachments as record artifacts and as metadata entries, validated and named.
pub(crate) fn attachments(
    inputs: &[AttachmentInput],
) -> Result<(Vec<ArtifactRef>, Vec<AttachmentMeta>)> {
    if inputs.len() > MAX_ATTACHMENTS {
        return Err(Error::InvalidInput(format!(
            "{} files attached; at most {MAX_ATTACHMENTS} can be attached to one entry",
            inputs.len()
        )));
    }
    let mut artifacts = Vec::with_capacity(inputs.len());
    let mut meta = Vec::with_capacity(inputs.len());
    for (i, a) in inputs.iter().enumerate() {
        let original: String = a
            .original_name
            .chars()
            .filter(|c| !c.is_control())
            .take(1_000)
            .collect();
        if !is_digest(&a.sha256) {
            return Err(Error::InvalidInput(format!(
                "the file {original:?} has a malformed sha256"
            )));
        }
        if a.bytes > MAX_ATTACHMENT_BYTES {
            return Err(Error::InvalidInput(format!(
                "the file {original:?} is larger than 500 MB"
            )));
        }
        let name = attachment_name(i, &original);
        validate_artifact_name(&name)?;
        let media_type = clean_media_type(&a.media_type, &original);
        meta.push(AttachmentMeta {
            bytes: a.bytes,
            media_type: media_type.clone(),
            name: name.clone(),
            original_name: original,
            sha256: a.sha256.clone(),
        });
        artifacts.push(ArtifactRef {
            name,
            media_type,
            bytes: a.bytes,
            sha256: a.sha256.clone(),
        });
    }
    Ok((artifacts, meta))
}

fn check_target(id: &str, record_sha256: &str) -> Result<()> {
    if id.trim().is_empty() || id.len() > 200 {
        return Err(Error::InvalidInput("the item's id is malformed".into()));
    }
    if !is_digest(record_sha256) {
        return Err(Error::InvalidInput(
            "the item's record hash is not a SHA-256 digest".into(),
        ));
    }
    Ok(())
}

/// The entry time as RFC 3339 in the user's offset, with milliseconds.
pub(crate) fn local_time(ctx: &EntryContext) -> Result<String> {
    let offset = FixedOffset::east_opt(ctx.local_offset_minutes.saturating_mul(60))
        .filter(|_| (-16 * 60..=16 * 60).contains(&ctx.local_offset_minutes))
        .ok_or_else(|| Error::InvalidInput("local offset out of range".into()))?;
    DateTime::from_timestamp_millis(ctx.entered_at_ms)
        .map(|t| {
            t.with_timezone(&offset)
                .to_rfc3339_opts(SecondsFormat::Millis, false)
        })
        .ok_or_else(|| Error::InvalidInput("entry time out of range".into()))
}

/// Trimmed text with `\r\n` made `\n` and other control characters dropped; `None` when
/// empty; an error (never a silent cut) when longer than `max` characters.
pub(crate) fn clean(s: Option<&str>, max: usize, what: &str) -> Result<Option<String>> {
    let Some(s) = s else { return Ok(None) };
    let text: String = s
        .replace("\r\n", "\n")
        .chars()
        .map(|c| if c == '\r' { '\n' } else { c })
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect();
    let text = text.trim();
    let n = text.chars().count();
    if n > max {
        return Err(Error::InvalidInput(format!(
            "{what} is too long ({n} characters; at most {max} can be saved). Please shorten it or attach it as a file"
        )));
    }
    Ok((!text.is_empty()).then(|| text.to_string()))
}

/// Whitespace-flattened text, at most [`EXCERPT_CHARS`] characters (cut with `…`).
pub(crate) fn excerpt(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > EXCERPT_CHARS {
        format!("{}…", truncate_chars(&flat, EXCERPT_CHARS - 1))
    } else {
        flat
    }
}

fn slug(s: &str, max: usize) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = fold(c);
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    truncate_chars(out.trim_matches('-'), max)
        .trim_matches(['-', '.', '_'])
        .to_string()
}

/// Common accented Latin letters to their base letter, so "Café.jpg" keeps its name.
fn fold(c: char) -> char {
    match c {
        'à'..='å' | 'À'..='Å' => 'a',
        'ç' | 'Ç' => 'c',
        'è'..='ë' | 'È'..='Ë' => 'e',
        'ì'..='ï' | 'Ì'..='Ï' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò'..='ö' | 'ø' | 'Ò'..='Ö' | 'Ø' => 'o',
        'ù'..='ü' | 'Ù'..='Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        other => other,
    }
}

#[cfg(test)]
#[path = "entries_tests.rs"]
mod tests;
