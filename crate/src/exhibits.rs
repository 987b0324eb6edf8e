//! Exhibit references and exhibit file names.
//!
//! In England and Wales evidence is produced as exhibits labelled with the producer's
//! initials and a number ("JM/1"). An item's reference is derived from the append-only
//! ledger, never stored: item `seq` is exhibit number `seq + 1`. So an item keeps its
//! reference in every later export (full or partial), an item left out of an export leaves
//! a visible gap in the numbering, and nothing can be renumbered silently. Only a change
//! of the initials themselves changes the references (the manifest records the initials
//! used).
//!
//! Each included item's screenshot (a capture) or attached files (a diary entry or a note)
//! are also written under `exhibits/` with a readable name, for example
//! `JM-1 2026-11-20 2114 X nightowl_77.png`, byte-identical to the hashed artifact.
//! Names are sanitised ([`sanitize_file_name`]) so they unpack on Windows, macOS and Linux.

use crate::metadata::Metadata;
use crate::record::{ArtifactRef, Kind, Record};
use chrono::{DateTime, FixedOffset};

/// The folder of the exhibit files inside an archive.
pub const EXHIBITS_DIR: &str = "exhibits";
/// Most characters in an exhibit file name (extension included). Well under the 255
/// bytes/UTF-16 units of NTFS, APFS and ext4, so that `exhibits/` plus the name also
/// stays clear of Windows' classic 260-character path limit when unpacked.
pub const MAX_NAME_CHARS: usize = 96;
/// Most characters of initials kept.
pub const MAX_INITIALS: usize = 6;

/// Initials as an archive keeps them: letters only (any script), upper-cased, at most
/// [`MAX_INITIALS`]; `None` when nothing is left.
pub fn clean_initials(raw: Option<&str>) -> Option<String> {
    let kept: String = raw?
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_uppercase)
        .take(MAX_INITIALS)
        .collect();
    (!kept.is_empty()).then_some(kept)
}

/// The exhibit reference of ledger item `seq`: `JM/1` for item 0 with initials `JM`, or
/// just the number when no initials were given. Initials are cleaned first.
pub fn reference(initials: Option<&str>, seq: u64) -> String {
    let n = seq.saturating_add(1);
    match clean_initials(initials) {
        Some(i) => format!("{i}/{n}"),
        None => n.to_string(),
    }
}

/// The reference as it starts a file name (`/` is a path separator): `JM-1`.
pub fn reference_stem(reference: &str) -> String {
    reference.replace('/', "-")
}

/// Whether `c` is dropped from a file name: control characters, bidirectional-text
/// controls and marks (they can make `gpj.exe` look like `exe.jpg`), zero-width and
/// other invisible format characters, and the byte-order mark.
fn invisible(c: char) -> bool {
    crate::archive::display::is_unsafe_char(c)
        || matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{00ad}')
}

/// Windows' reserved device names: a file whose name before the first dot is one of these
/// cannot be created there ("CON.png" included), whatever the case.
fn reserved_on_windows(stem: &str) -> bool {
    let s = stem.trim_end_matches([' ', '.']).to_ascii_uppercase();
    if matches!(
        s.as_str(),
        "CON" | "PRN" | "AUX" | "NUL" | "CONIN$" | "CONOUT$"
    ) {
        return true;
    }
    let Some(rest) = s.strip_prefix("COM").or_else(|| s.strip_prefix("LPT")) else {
        return false;
    };
    matches!(
        rest,
        "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "\u{b9}" | "\u{b2}" | "\u{b3}"
    )
}

/// `name` (already sanitised) with ` (n)` before its extension, cut so it still fits.
fn numbered(name: &str, n: u64) -> String {
    let (stem, ext) = split_ext(name);
    let tag = format!(" ({n})");
    let room = MAX_NAME_CHARS
        .saturating_sub(ext.chars().count() + tag.chars().count())
        .max(1);
    let stem: String = stem.chars().take(room).collect();
    format!("{}{tag}{ext}", stem.trim_end_matches([' ', '.']))
}

/// `(stem, ".ext")` when the name has a short extension (at most 10 characters).
fn split_ext(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(i) if i > 0 && name.len() - i <= 11 => (&name[..i], &name[i..]),
        _ => (name, ""),
    }
}

/// A file name that can be created on Windows, macOS and Linux and shows what it is:
/// - invisible, control and bidirectional characters are dropped;
/// - `< > : " / \ | ? *` become `_`; runs of white space become one space;
/// - leading spaces and dots and trailing spaces and dots are removed (Windows drops
///   trailing ones silently; a leading dot hides a file on macOS and Linux);
/// - a Windows device name (`CON`, `NUL`, `COM1`, `LPT1`…) gets a leading `_`;
/// - the name is cut to [`MAX_NAME_CHARS`] characters, keeping its extension;
/// - an empty result becomes `exhibit`.
pub fn sanitize_file_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = false;
    for c in name.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if invisible(c) {
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(match c {
            '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*' => '_',
            c => c,
        });
    }
    let trimmed = out
        .trim_start_matches([' ', '.'])
        .trim_end_matches([' ', '.']);
    let (stem, ext) = split_ext(trimmed);
    let room = MAX_NAME_CHARS.saturating_sub(ext.chars().count()).max(1);
    let stem: String = stem.chars().take(room).collect();
    let stem = stem.trim_end_matches([' ', '.']);
    let mut name = format!("{stem}{ext}");
    if stem.is_empty() {
        name = format!("exhibit{ext}");
    }
    let first = name.split('.').next().unwrap_or("");
    if reserved_on_windows(first) {
        name.insert(0, '_');
    }
    name
}

/// Platform names as people say them, for a capture's exhibit name.
fn platform_label(key: &str) -> Option<&'static str> {
    Some(match key {
        "x" | "twitter" => "X",
        "facebook" => "Facebook",
        "messenger" => "Messenger",
        "instagram" => "Instagram",
        "whatsapp" => "WhatsApp",
        "reddit" => "Reddit",
        "mastodon" => "Mastodon",
        "discord" => "Discord",
        "telegram" => "Telegram",
        "tiktok" => "TikTok",
        "linkedin" => "LinkedIn",
        "youtube" => "YouTube",
        "gmail" => "Gmail",
        "outlook" => "Outlook",
        "discourse" => "Discourse",
        "hackernews" => "Hacker News",
        "bluesky" => "Bluesky",
        _ => return None,
    })
}

/// "Name (@handle)" → "handle"; otherwise the name.
fn author_label(author: &str) -> &str {
    match (author.rfind("(@"), author.ends_with(')')) {
        (Some(i), true) => &author[i + 2..author.len() - 1],
        _ => author.trim(),
    }
}

/// The local time of the record as `2026-11-20 2114`, or the UTC date when unreadable.
fn local_stamp(rec: &Record) -> String {
    let Ok(t) = DateTime::parse_from_rfc3339(&rec.captured_at) else {
        return rec.captured_at.chars().take(10).collect();
    };
    let off =
        FixedOffset::east_opt(rec.local_offset_minutes.saturating_mul(60)).unwrap_or(*t.offset());
    t.with_timezone(&off).format("%Y-%m-%d %H%M").to_string()
}

/// What the exhibit is, in a few words: the platform (or site) and first author of a
/// capture; the title of a diary entry or note.
fn describe(rec: &Record) -> String {
    match &rec.metadata {
        Metadata::Capture(m) => {
            let place = platform_label(&m.platform)
                .map(str::to_string)
                .or_else(|| m.site.clone())
                .unwrap_or_default();
            let who = m.authors.first().map(|a| author_label(a)).unwrap_or("");
            format!("{place} {who}")
        }
        other => other.title().unwrap_or("").to_string(),
    }
}

/// The artifacts of `rec` that are its exhibit files: a capture's screenshot (the
/// `screenshot.png` artifact, or its first PNG), or a long capture's stitched image
/// (`stitched-NN.png`, every piece); every attached file of a diary entry or
/// a note; the imported file itself (its first artifact, not the parsed `metadata.json`)
/// of an imported file; nothing for a removal.
pub fn exhibit_artifacts(rec: &Record) -> Vec<&ArtifactRef> {
    match rec.kind {
        Kind::Capture => {
            // A whole-conversation or whole-page capture: its stitched image, in pieces.
            let stitched: Vec<&ArtifactRef> = rec
                .artifacts
                .iter()
                .filter(|a| a.name.starts_with("stitched-") && a.name.ends_with(".png"))
                .collect();
            if !stitched.is_empty() {
                return stitched;
            }
            rec.artifacts
                .iter()
                .find(|a| a.name == "screenshot.png")
                .or_else(|| rec.artifacts.iter().find(|a| a.media_type == "image/png"))
                .into_iter()
                .collect()
        }
        Kind::Incident | Kind::Amendment => rec.artifacts.iter().collect(),
        Kind::Import => rec.artifacts.iter().take(1).collect(),
        Kind::Removal => Vec::new(),
    }
}

/// One exhibit file: the archive path and the artifact it copies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedExhibit {
    /// `exhibits/<name>`.
    pub path: String,
    /// The artifact it is a byte-identical copy of.
    pub artifact: ArtifactRef,
}

/// The exhibit files of included record `rec` with `reference`. `taken` holds the
/// lower-cased names already used in this archive (Windows and macOS compare names
/// without case); a clash gets ` (2)`, ` (3)`… before the extension.
pub fn plan_files(
    rec: &Record,
    reference: &str,
    taken: &mut std::collections::BTreeSet<String>,
) -> Vec<PlannedExhibit> {
    let arts = exhibit_artifacts(rec);
    let base = format!(
        "{} {} {}",
        reference_stem(reference),
        local_stamp(rec),
        describe(rec)
    );
    let many = arts.len() > 1;
    arts.into_iter()
        .map(|a| {
            let ext = a
                .name
                .rfind('.')
                .map(|i| &a.name[i..])
                .filter(|e| e.len() > 1)
                .unwrap_or("");
            let label = if many {
                let stem = a.name.strip_suffix(ext).unwrap_or(&a.name);
                format!("{base} {stem}{ext}")
            } else {
                format!("{base}{ext}")
            };
            let first = sanitize_file_name(&label);
            let mut name = first.clone();
            let mut n = 2u64;
            while !taken.insert(name.to_lowercase()) {
                name = numbered(&first, n);
                n += 1;
            }
            PlannedExhibit {
                path: format!("{EXHIBITS_DIR}/{name}"),
                artifact: a.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
#[path = "exhibits_tests.rs"]
mod tests;
