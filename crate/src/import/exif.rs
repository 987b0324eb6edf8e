//! A photo's EXIF facts (capture time and camera), read with `kamadak-exif`.
//!
//! Only the first bytes of the file are needed (JPEG keeps EXIF in an APP1 segment of at
//! most 64 KiB near the start; the caller hands over [`EXIF_PREFIX`] bytes). Anything that
//! does not read gives `None`: a file without EXIF is as good evidence as one with it.

use exif::{In, Reader, Tag, Value};
use serde::{Deserialize, Serialize};

/// How many bytes from the start of a file the caller passes to [`read_exif`].
pub const EXIF_PREFIX: usize = 256 * 1024;
/// Longest EXIF text kept.
const MAX_TEXT: usize = 200;

/// What a photo's EXIF block says about itself (none of it is checked by anything).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExifFacts {
    /// `DateTimeOriginal`, as `YYYY-MM-DDTHH:MM:SS` on the camera's clock (no zone).
    #[serde(default)]
    pub date_time_original: Option<String>,
    /// `OffsetTimeOriginal` (`+01:00`), when the camera wrote one.
    #[serde(default)]
    pub offset_time_original: Option<String>,
    /// The camera's maker.
    #[serde(default)]
    pub make: Option<String>,
    /// The camera's model.
    #[serde(default)]
    pub model: Option<String>,
}

impl ExifFacts {
    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.date_time_original.is_none()
            && self.offset_time_original.is_none()
            && self.make.is_none()
            && self.model.is_none()
    }

    /// "Make Model" (the model alone when it already names the maker).
    pub fn camera(&self) -> Option<String> {
        match (&self.make, &self.model) {
            (Some(make), Some(model)) if model.to_lowercase().starts_with(&make.to_lowercase()) => {
                Some(model.clone())
            }
            (Some(make), Some(model)) => Some(format!("{make} {model}")),
            (None, Some(m)) | (Some(m), None) => Some(m.clone()),
            (None, None) => None,
        }
    }
}

fn text(exif: &exif::Exif, tag: Tag) -> Option<String> {
    let field = exif.get_field(tag, In::PRIMARY)?;
    let Value::Ascii(parts) = &field.value else {
        return None;
    };
    let raw = parts.first()?;
    let s: String = String::from_utf8_lossy(raw)
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_TEXT)
        .collect();
    let s = s.trim().to_string();
    (!s.is_empty()).then_some(s)
}

/// `YYYY:MM:DD HH:MM:SS` as `YYYY-MM-DDTHH:MM:SS`; `None` for anything else (cameras
/// write blanks or zeros when the clock was not set).
fn exif_time(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
    let shape = b.len() >= 19
        && digits(0..4)
        && b[4] == b':'
        && digits(5..7)
        && b[7] == b':'
        && digits(8..10)
        && b[10] == b' '
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    if !shape || s.starts_with("0000") {
        return None;
    }
    let t = format!("{}-{}-{}T{}", &s[0..4], &s[5..7], &s[8..10], &s[11..19]);
    chrono::NaiveDateTime::parse_from_str(&t, "%Y-%m-%dT%H:%M:%S")
        .ok()
        .map(|_| t)
}

/// The EXIF facts of a file whose first bytes are `prefix`, or `None`.
pub fn read_exif(prefix: &[u8]) -> Option<ExifFacts> {
    let mut cursor = std::io::Cursor::new(prefix);
    let exif = Reader::new().read_from_container(&mut cursor).ok()?;
    let facts = ExifFacts {
        date_time_original: text(&exif, Tag::DateTimeOriginal).and_then(|s| exif_time(&s)),
        offset_time_original: text(&exif, Tag::OffsetTimeOriginal).filter(|s| {
            s.len() == 6 && (s.starts_with('+') || s.starts_with('-')) && s.as_bytes()[3] == b':'
        }),
        make: text(&exif, Tag::Make),
        model: text(&exif, Tag::Model),
    };
    (!facts.is_empty()).then_some(facts)
}
