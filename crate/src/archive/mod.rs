//! The evidence archive (format `evidence-archive/1`): a streaming ZIP writer, a ZIP
//! reader for hostile input, the index files, and the verifier.
//!
//! Layout of an archive:
//!
//! ```text
//! manifest.json                 format, tool, created_at, exported_by, head, item counts,
//!                               date range, and every file's path, size and sha256
//!                               (except manifest.json and SHA256SUMS)
//! SHA256SUMS                    `sha256sum -c` lines for every file except itself
//! VERIFY.txt                    plain-text guide to verification
//! report.html                   the human-readable timeline
//! ledger.json                   every item's record hash, chain hash and status
//! items/000000/record.json      the exact stored record bytes of each included item
//! items/000000/<artifact name>  each artifact listed in that record
//! exhibits/JM-1 … .png          a byte-identical copy of each exhibit's screenshot or
//!                               attachment under a readable name (newer archives)
//! timestamps/                   trusted timestamps, when there are any (see [`timestamps`])
//! signature.json                the installation's signature over manifest.json, when
//!                               the exporter has a device key (see [`signature`])
//! ```
//!
//! Text files (JSON, plain text, HTML, `SHA256SUMS`) are deflated; everything else is
//! stored, because media is already compressed and must stream fast.

pub mod builder;
mod deflate;
pub mod display;
pub mod entry;
pub mod exhibit_index;
pub mod export;
pub mod export_plan;
pub mod index;
mod item_rules;
pub mod library_check;
pub mod readat;
pub mod signature;
pub mod timestamps;
pub mod verdict;
mod verdict_text;
pub mod verify;
mod verify_checks;
mod verify_exhibits;
mod verify_items;
pub mod verify_pass;
pub mod verify_signature;
mod verify_state;
pub mod verify_timestamps;
mod zipend;
pub mod zipfmt;
mod ziplocal;
pub mod zipread;
pub mod zipwrite;

pub use builder::{ArchiveBuilder, ArchiveMeta, ArtifactNeed, ExportDone, Need, PlanItem};
pub use entry::{read_entry, read_entry_to_vec, EntryDigest, EntryReader};
pub use export::{
    write_archive, write_archive_signed, write_archive_with_timestamps, ArchiveInput, ArchiveItem,
};
pub use index::{
    build_ledger, build_manifest, build_sha256sums, clean_exported_by, parse_sha256sums,
    ExportMeta, FileInfo, ItemStatus, LedgerFile, LedgerFileEntry, LedgerItem, Manifest,
};
pub use library_check::{
    ItemCheck, LibraryChecker, LibraryReport, StoredBlob, StoredHead, StoredRow,
};
#[cfg(not(target_arch = "wasm32"))]
pub use readat::FileSource;
pub use readat::ReadAt;
pub use verdict::{Report, Verdict};
pub use verify::{
    verify, verify_bytes, verify_bytes_expecting, verify_expecting, verify_with_progress,
    verify_with_tsa_roots, Expected,
};
pub use verify_pass::{VerifyRun, VerifyStart};
pub use zipread::{ZipArchive, ZipEntry};
pub use zipwrite::{EntryInfo, ZipWriter};

/// Path of the manifest.
pub const MANIFEST_PATH: &str = "manifest.json";
/// Path of the checksum list.
pub const SUMS_PATH: &str = "SHA256SUMS";
/// Path of the ledger.
pub const LEDGER_PATH: &str = "ledger.json";
/// Path of the plain-text verification guide.
pub const VERIFY_PATH: &str = "VERIFY.txt";
/// Path of the human-readable report.
pub const REPORT_PATH: &str = "report.html";
/// Path of the PDF report (archives with exhibit references).
pub const PDF_PATH: &str = "report.pdf";
/// Path of the witness-statement draft (archives with exhibit references).
pub const STATEMENT_PATH: &str = "statement.html";
/// The top-level files every archive has. Nothing else may sit outside `items/`.
pub const TOP_LEVEL_FILES: [&str; 5] = [
    MANIFEST_PATH,
    SUMS_PATH,
    LEDGER_PATH,
    VERIFY_PATH,
    REPORT_PATH,
];
/// Name of the record file inside an item's folder.
pub const RECORD_FILE: &str = "record.json";

/// The folder of item `seq`: `items/` and the sequence number zero-padded to 6 digits.
pub fn item_dir(seq: u64) -> String {
    format!("items/{seq:06}")
}

/// The path of item `seq`'s record.
pub fn record_path(seq: u64) -> String {
    format!("items/{seq:06}/{RECORD_FILE}")
}

/// The path of an artifact of item `seq`.
pub fn artifact_path(seq: u64, name: &str) -> String {
    format!("items/{seq:06}/{name}")
}

/// Split `items/<seq>/<file>` into `(seq, file)`; `None` for any other path, including
/// sequence numbers not written in the canonical zero-padded form.
pub fn parse_item_path(path: &str) -> Option<(u64, &str)> {
    let rest = path.strip_prefix("items/")?;
    let (num, file) = rest.split_once('/')?;
    if num.len() < 6 || !num.bytes().all(|b| b.is_ascii_digit()) || file.is_empty() {
        return None;
    }
    let seq: u64 = num.parse().ok()?;
    (format!("{seq:06}") == num && !file.contains('/')).then_some((seq, file))
}

/// Whether the exporter deflates this path: JSON, plain text, HTML and `SHA256SUMS`.
pub fn should_compress(path: &str) -> bool {
    path == SUMS_PATH
        || [".json", ".txt", ".html"]
            .iter()
            .any(|ext| path.to_ascii_lowercase().ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_paths() {
        assert_eq!(record_path(3), "items/000003/record.json");
        assert_eq!(artifact_path(1_234_567, "a.png"), "items/1234567/a.png");
        assert_eq!(
            parse_item_path("items/000003/record.json"),
            Some((3, "record.json"))
        );
        assert_eq!(
            parse_item_path("items/1234567/a.png"),
            Some((1_234_567, "a.png"))
        );
        for bad in [
            "items/3/record.json",
            "items/0000003/x",
            "items/000003/",
            "items/000003/a/b",
            "items/00000x/a",
            "other/000003/a",
        ] {
            assert_eq!(parse_item_path(bad), None, "{bad}");
        }
        assert!(should_compress("manifest.json"));
        assert!(should_compress("SHA256SUMS"));
        assert!(should_compress("report.html"));
        assert!(!should_compress("items/000000/screenshot.png"));
        assert!(!should_compress("items/000000/page.mhtml"));
    }
}
