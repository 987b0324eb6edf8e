//! The verifier's guards against hostile archives and its authentication checks: the
//! total size an archive declares against its file size (an inflation bomb is refused
//! before anything is inflated), control characters in manifest fields, and the archive
//! fingerprint (SHA-256 of `manifest.json`) the caseworker was given separately.

use super::display::unsafe_chars;
use super::index::Manifest;
use super::verify_state::{Seen, Verifier};
use super::zipread::ZipArchive;
use super::MANIFEST_PATH;
use crate::hash::is_digest;

/// Most content an archive may declare per byte of its file. Media is stored (1:1) and
/// text deflates about 3 to 20 times in real exports; DEFLATE allows 1032:1, so without
/// this cap a 100 MB file could demand 100 GB of inflation (hours of checking).
pub const MAX_DECLARED_PER_FILE_BYTE: u64 = 100;
/// Content any archive may declare whatever its size (small archives of text).
pub const MIN_DECLARED_ALLOWANCE: u64 = 64 << 20;

/// Why the archive is refused before inflating anything: its entries declare more
/// content in total than an archive of its size can honestly hold.
pub(super) fn declared_size_refusal(zip: &ZipArchive, file_bytes: u64) -> Option<String> {
    let declared = zip
        .entries()
        .iter()
        .fold(0u64, |a, e| a.saturating_add(e.uncompressed_size));
    let allowed = file_bytes
        .saturating_mul(MAX_DECLARED_PER_FILE_BYTE)
        .saturating_add(MIN_DECLARED_ALLOWANCE);
    (declared > allowed).then(|| {
        format!(
            "The archive was not checked: its {} files declare {} bytes of content in total, but the file is only {} bytes. \
             An evidence archive declares at most {}\u{d7} its size (media is stored as it is; text compresses a few times), \
             so this is an inflation bomb or a damaged file, and unpacking it would take hours",
            zip.entries().len(),
            declared,
            file_bytes,
            MAX_DECLARED_PER_FILE_BYTE
        )
    })
}

impl Verifier {
    /// Refuse manifest fields that hold control or bidi characters (the writer never
    /// puts any there): the field is reported by name and its value is not shown.
    /// Returns the names of the refused fields.
    pub(super) fn refuse_unsafe_manifest_fields(&mut self, m: &Manifest) -> Vec<&'static str> {
        let mut fields: Vec<(&'static str, Option<&str>)> = vec![
            ("format", Some(&m.format)),
            ("tool.name", Some(&m.tool.name)),
            ("tool.version", Some(&m.tool.version)),
            ("created_at", Some(&m.created_at)),
            ("exported_by", m.exported_by.as_deref()),
            ("head", Some(&m.head)),
            ("date_range.first", m.date_range.first.as_deref()),
            ("date_range.last", m.date_range.last.as_deref()),
        ];
        let bad_path = m
            .files
            .iter()
            .map(|f| f.path.as_str())
            .find(|p| !unsafe_chars(p, 1).is_empty());
        fields.push(("files (a file's path)", bad_path));
        let mut refused = Vec::new();
        for (name, value) in fields {
            let Some(v) = value else { continue };
            let bad = unsafe_chars(v, 4);
            if bad.is_empty() {
                continue;
            }
            refused.push(name);
            self.report.problem(
                "MANIFEST",
                format!(
                    "manifest.json's {name} holds control or bidirectional-text characters ({}{}), which evidence-capture never writes; it is not shown",
                    bad.join(", "),
                    if unsafe_chars(v, 5).len() > 4 { ", …" } else { "" }
                ),
            );
        }
        refused
    }

    /// Note the archive fingerprint, and compare it with `expected` if one was given.
    pub(super) fn check_fingerprint(&mut self, expected: Option<&str>) {
        let computed = match self.pass.seen.get(MANIFEST_PATH) {
            Some(Seen::Read { sha256, .. }) => Some(sha256.clone()),
            _ => None,
        };
        self.report.fingerprint.computed = computed.clone();
        let Some(exp) = expected else { return };
        self.report.fingerprint.expected = Some(exp.to_string());
        if !is_digest(exp) {
            self.report.fingerprint.matches = Some(false);
            self.report.problem(
                "EXPECTED_FINGERPRINT",
                "the archive fingerprint you gave is not a 64-digit SHA-256 hex value",
            );
            return;
        }
        let matches = computed.as_deref() == Some(exp);
        self.report.fingerprint.matches = Some(matches);
        if !matches {
            self.report.problem(
                "EXPECTED_FINGERPRINT",
                format!(
                    "The archive fingerprint you were given ({}) is not this archive's ({}): its manifest.json was changed or replaced after export (for example items taken out and marked withheld or removed), or this is not the archive that fingerprint belongs to",
                    super::verdict::short_hash(exp),
                    computed
                        .as_deref()
                        .map(super::verdict::short_hash)
                        .unwrap_or_else(|| "none: manifest.json is unreadable".into())
                ),
            );
        }
    }
}
