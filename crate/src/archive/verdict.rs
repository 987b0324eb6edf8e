//! The verification report: per-item and per-file rows, problems, one verdict, and a
//! plain-words summary for a caseworker. Serialisable for `--json` and the verify page.

pub use super::verdict_text::short_hash;
use super::verdict_text::{plural, seq_list};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// Format string of the JSON report.
pub const REPORT_FORMAT: &str = "evidence-verify-report/1";

/// The overall answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    /// Every check passed (withheld and removed items are reported, not failures).
    #[serde(rename = "PASS")]
    Pass,
    /// Something is wrong; the problems and rows say what.
    #[serde(rename = "FAIL")]
    Fail,
}

/// The state of one evidence item (or a stray file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ItemState {
    /// Record and artifacts match the ledger.
    Ok,
    /// Something in the item differs from what was recorded.
    Modified,
    /// The record or an artifact is absent.
    Missing,
    /// Withheld from the archive; only its hash is present (the archive cannot show who
    /// withheld it).
    Withheld,
    /// Deleted in the extension; only its hashes remain.
    Removed,
    /// A file that belongs to no item and is not part of the archive layout.
    UnexpectedFile,
}

impl ItemState {
    /// The label printed in tables.
    pub fn label(self) -> &'static str {
        match self {
            ItemState::Ok => "OK",
            ItemState::Modified => "MODIFIED",
            ItemState::Missing => "MISSING",
            ItemState::Withheld => "WITHHELD",
            ItemState::Removed => "REMOVED",
            ItemState::UnexpectedFile => "UNEXPECTED FILE",
        }
    }
}

/// The state of one file in the archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FileState {
    /// Present and matching every list it appears in.
    Ok,
    /// Present but different from what is listed, or unreadable.
    Modified,
    /// Listed (or required) but absent.
    Missing,
    /// Present but not listed, or not part of the layout.
    Unexpected,
}

/// One row per ledger item, plus one per stray file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemRow {
    /// Sequence number (none for a stray file).
    pub seq: Option<u64>,
    /// The item's folder, or the stray file's path.
    pub path: Option<String>,
    /// Record kind, when the record was readable.
    pub kind: Option<String>,
    /// Capture time (RFC 3339 UTC), when the record was readable.
    pub captured_at: Option<String>,
    /// The verdict on this item.
    pub status: ItemState,
    /// The record hash from the ledger.
    pub record_sha256: Option<String>,
    /// Plain-words detail.
    pub detail: String,
    /// The item's exhibit reference (`JM/1`), when the archive gives references.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

impl ItemRow {
    /// The row of ledger item `seq` before any check has spoken: OK, in its item folder.
    pub fn ledger_item(seq: u64, record_sha256: &str) -> ItemRow {
        ItemRow {
            seq: Some(seq),
            path: Some(super::item_dir(seq)),
            kind: None,
            captured_at: None,
            status: ItemState::Ok,
            record_sha256: Some(record_sha256.to_string()),
            detail: String::new(),
            reference: None,
        }
    }
}

/// One row per file present, listed or required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRow {
    /// Path inside the archive.
    pub path: String,
    /// Byte count computed from the archive, when readable.
    pub bytes: Option<u64>,
    /// SHA-256 computed from the archive, when readable.
    pub sha256: Option<String>,
    /// The verdict on this file.
    pub status: FileState,
    /// Plain-words detail (empty when OK).
    pub detail: String,
}

/// A failed check that is not tied to a single row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// Stable code: `ZIP`, `CONTAINER`, `MANIFEST`, `SHA256SUMS`, `LEDGER`, `CHAIN`,
    /// `HEAD`, `EXPECTED_HEAD`, `LAYOUT`, `NOT_CANONICAL`.
    pub code: String,
    /// Plain-words message.
    pub message: String,
}

/// Facts about the archive as its manifest states them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchiveFacts {
    /// `manifest.json` format string.
    pub format: Option<String>,
    /// Writing tool and version, e.g. `evidence-capture 0.1.0`.
    pub tool: Option<String>,
    /// Export time.
    pub created_at: Option<String>,
    /// Who exported, if stated.
    pub exported_by: Option<String>,
    /// Earliest included capture time.
    pub first_item_at: Option<String>,
    /// Latest included capture time.
    pub last_item_at: Option<String>,
    /// Archive size in bytes.
    pub bytes: u64,
    /// ZIP entries.
    pub entries: u64,
    /// Whether the ZIP uses ZIP64 end records.
    pub zip64: bool,
}

/// The head hashes found and compared.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadFacts {
    /// The head recomputed from the ledger's record hashes.
    pub computed: Option<String>,
    /// The head written in `ledger.json`.
    pub ledger: Option<String>,
    /// The head written in `manifest.json`.
    pub manifest: Option<String>,
    /// The head the caseworker was given separately, if any.
    pub expected: Option<String>,
    /// `"head"` (it is this archive's head), `"earlier"` (it is an earlier link: the
    /// items up to `expected_seq` are unchanged, later ones were added after it), or
    /// `"not_found"`.
    pub expected_match: Option<String>,
    /// For `"head"` and `"earlier"`: the item whose chain value it is.
    pub expected_seq: Option<u64>,
}

/// The archive fingerprint (SHA-256 of `manifest.json`), computed and compared.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FingerprintFacts {
    /// SHA-256 of the `manifest.json` bytes in the archive, when it was readable.
    pub computed: Option<String>,
    /// The fingerprint the caseworker was given separately, if any.
    pub expected: Option<String>,
    /// Whether the given fingerprint is this archive's (none when none was given).
    pub matches: Option<bool>,
}

/// Row counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Ledger items.
    pub items: u64,
    /// Items intact.
    pub ok: u64,
    /// Items modified.
    pub modified: u64,
    /// Items missing.
    pub missing: u64,
    /// Items withheld.
    pub withheld: u64,
    /// Items removed.
    pub removed: u64,
    /// Stray files.
    pub unexpected_files: u64,
}

impl Counts {
    /// Count rows by state (`items` counts the ledger items, not stray files).
    pub fn of(rows: &[ItemRow]) -> Counts {
        let mut c = Counts::default();
        for row in rows {
            match row.status {
                ItemState::Ok => c.ok += 1,
                ItemState::Modified => c.modified += 1,
                ItemState::Missing => c.missing += 1,
                ItemState::Withheld => c.withheld += 1,
                ItemState::Removed => c.removed += 1,
                ItemState::UnexpectedFile => c.unexpected_files += 1,
            }
        }
        c.items = c.ok + c.modified + c.missing + c.withheld + c.removed;
        c
    }
}

/// The full verification report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// Always [`REPORT_FORMAT`].
    pub format: String,
    /// The overall answer.
    pub verdict: Verdict,
    /// Plain words for a non-technical reader.
    pub summary: String,
    /// What the archive says about itself.
    pub archive: ArchiveFacts,
    /// Head hashes.
    pub head: HeadFacts,
    /// The archive fingerprint.
    #[serde(default)]
    pub fingerprint: FingerprintFacts,
    /// Whether the archive was checked against a head or fingerprint received separately
    /// and matched it. Without that, a PASS means only "internally consistent": anyone can
    /// rebuild an archive whose lists and hashes agree with each other.
    #[serde(default)]
    pub authenticated: bool,
    /// Row counts.
    pub counts: Counts,
    /// One row per ledger item, then one per stray file.
    pub items: Vec<ItemRow>,
    /// One row per file.
    pub files: Vec<FileRow>,
    /// Trusted timestamps found in `timestamps/` (absent when there are none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub timestamps: Vec<super::verify_timestamps::TimestampRow>,
    /// The device signature (`signature.json`), when the archive has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<super::verify_signature::SignatureFacts>,
    /// Failed checks not tied to one row.
    pub problems: Vec<Problem>,
}

impl Report {
    /// An empty report for an archive of `bytes` bytes, to be filled by the verifier.
    pub fn new(bytes: u64) -> Self {
        Report {
            format: REPORT_FORMAT.to_string(),
            verdict: Verdict::Fail,
            summary: String::new(),
            archive: ArchiveFacts {
                bytes,
                ..ArchiveFacts::default()
            },
            head: HeadFacts::default(),
            fingerprint: FingerprintFacts::default(),
            authenticated: false,
            counts: Counts::default(),
            items: Vec::new(),
            files: Vec::new(),
            timestamps: Vec::new(),
            signature: None,
            problems: Vec::new(),
        }
    }

    /// Record a failed check.
    pub fn problem(&mut self, code: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            code: code.to_string(),
            message: message.into(),
        });
    }

    /// Compute counts, the verdict and the summary from the rows and problems, after
    /// making every string taken from the archive safe to show.
    pub fn finish(&mut self) {
        self.escape_archive_strings();
        let c = Counts::of(&self.items);
        let mut by: [Vec<u64>; 6] = Default::default();
        for row in &self.items {
            let slot = match row.status {
                ItemState::Ok => 0,
                ItemState::Modified => 1,
                ItemState::Missing => 2,
                ItemState::Withheld => 3,
                ItemState::Removed => 4,
                ItemState::UnexpectedFile => 5,
            };
            by[slot].push(row.seq.unwrap_or(u64::MAX));
        }
        self.counts = c;
        let files_ok = self.files.iter().all(|f| f.status == FileState::Ok);
        let pass = self.problems.is_empty()
            && c.modified == 0
            && c.missing == 0
            && c.unexpected_files == 0;
        self.verdict = if pass && files_ok {
            Verdict::Pass
        } else {
            Verdict::Fail
        };
        self.authenticated = self.verdict == Verdict::Pass
            && (matches!(
                self.head.expected_match.as_deref(),
                Some("head" | "earlier")
            ) || self.fingerprint.matches == Some(true));
        let mut s = String::new();
        if self.verdict == Verdict::Pass {
            if !self.authenticated {
                s.push_str(
                    "NOT AUTHENTICATED: the archive is internally consistent, but no head hash or archive fingerprint was given to compare it with, and anyone can rebuild an archive whose lists and hashes agree with each other.",
                );
                let _ = write!(
                    s,
                    " Compare this archive's head {} and fingerprint {} with the ones the person who exported sent you separately (message, paper or phone).",
                    self.head.computed.as_deref().unwrap_or("(none)"),
                    self.fingerprint.computed.as_deref().unwrap_or("(none)")
                );
                if c.ok == 1 {
                    s.push_str(" The 1 exported item matches its record and the ledger.");
                } else if c.ok > 1 {
                    let _ = write!(
                        s,
                        " The {} exported items match their records and the ledger.",
                        c.ok
                    );
                }
            } else if c.ok == 0 && c.items == 0 {
                s.push_str("The archive holds no items.");
            } else if c.ok == 0 {
                s.push_str("No item's content is in this archive, only hashes.");
            } else if c.ok == 1 {
                s.push_str("The 1 exported item is intact.");
            } else {
                let _ = write!(s, "All {} exported items are intact.", c.ok);
            }
            if c.withheld > 0 {
                let verb = if c.withheld == 1 { "was" } else { "were" };
                let _ = write!(
                    s,
                    " {} {verb} withheld from this archive; only the hashes are included ({}).",
                    plural(c.withheld, "item", "items"),
                    seq_list(&by[3])
                );
            }
            if c.removed > 0 {
                let verb = if c.removed == 1 { "was" } else { "were" };
                let _ = write!(
                    s,
                    " {} {verb} deleted in the extension before export; only the hashes remain, and the archive holds the record of each deletion ({}).",
                    plural(c.removed, "item", "items"),
                    seq_list(&by[4])
                );
            }
            if let (true, Some(head)) = (self.authenticated, &self.head.computed) {
                // The ellipsis ends the sentence: "…" then no full stop.
                let _ = write!(
                    s,
                    " The chain of records is complete up to head {}",
                    short_hash(head)
                );
            }
            match (self.head.expected_match.as_deref(), self.head.expected_seq) {
                (Some("head"), _) => s.push_str(" It matches the head you were given."),
                (Some("earlier"), Some(k)) => {
                    let _ = write!(
                        s,
                        " The head you were given is the chain value after item {k}: items 0 to {k} are exactly as they were then, and later items were added after it."
                    );
                }
                _ => {}
            }
            if self.fingerprint.matches == Some(true) {
                s.push_str(" Its fingerprint matches the one you were given.");
            }
        } else {
            s.push_str("Verification FAILED.");
            let mut parts = Vec::new();
            if c.modified > 0 {
                parts.push(format!(
                    "{} changed or damaged ({})",
                    plural(c.modified, "item is", "items are"),
                    seq_list(&by[1])
                ));
            }
            if c.missing > 0 {
                parts.push(format!(
                    "{} missing ({})",
                    plural(c.missing, "item is", "items are"),
                    seq_list(&by[2])
                ));
            }
            if c.unexpected_files > 0 {
                parts.push(format!(
                    "{} that should not be there",
                    plural(c.unexpected_files, "file was added", "files were added")
                ));
            }
            if !parts.is_empty() {
                let _ = write!(s, " {}.", parts.join("; "));
            }
            if let Some(p) = self.problems.first() {
                let _ = write!(s, " {}", p.message);
                if !p.message.ends_with('.') {
                    s.push('.');
                }
                if self.problems.len() > 1 {
                    let _ = write!(
                        s,
                        " ({} more problems are listed below.)",
                        self.problems.len() - 1
                    );
                }
            } else if !files_ok && parts.is_empty() {
                s.push_str(" Some files do not match their listed hashes.");
            }
            s.push_str(" Do not rely on this archive as an unaltered export.");
        }
        self.summary = s;
    }

    /// Escape control and bidi characters in every string of the report (see
    /// [`super::display`]), so neither a terminal nor a page shows them raw.
    fn escape_archive_strings(&mut self) {
        use super::display::escape_in_place as e;
        let a = &mut self.archive;
        for o in [
            &mut a.format,
            &mut a.tool,
            &mut a.created_at,
            &mut a.exported_by,
            &mut a.first_item_at,
            &mut a.last_item_at,
        ] {
            o.iter_mut().for_each(e);
        }
        let h = &mut self.head;
        for o in [
            &mut h.computed,
            &mut h.ledger,
            &mut h.manifest,
            &mut h.expected,
        ] {
            o.iter_mut().for_each(e);
        }
        self.fingerprint.expected.iter_mut().for_each(e);
        for r in &mut self.items {
            r.path.iter_mut().for_each(e);
            r.kind.iter_mut().for_each(e);
            r.captured_at.iter_mut().for_each(e);
            r.record_sha256.iter_mut().for_each(e);
            r.reference.iter_mut().for_each(e);
            e(&mut r.detail);
        }
        for f in &mut self.files {
            e(&mut f.path);
            f.sha256.iter_mut().for_each(e);
            e(&mut f.detail);
        }
        for p in &mut self.problems {
            e(&mut p.message);
        }
    }
}
