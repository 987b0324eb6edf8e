//! The archive's index files: `ledger.json`, `manifest.json` and `SHA256SUMS`.
//!
//! The exporter builds them with these functions and the verifier parses them with the
//! matching ones, so both sides agree on the exact bytes. JSON is pretty-printed with a
//! final newline; `SHA256SUMS` is `sha256sum -c` format sorted by path (byte order).

use super::{LEDGER_PATH, MANIFEST_PATH, SUMS_PATH};
use crate::error::{Error, Result};
use crate::hash::is_digest;
use crate::ledger::{chain_next, genesis_chain_hex};
use crate::record::{utc_string, Record};
use chrono::DateTime;
use serde::{Deserialize, Serialize};

/// Format string of `manifest.json`.
pub const ARCHIVE_FORMAT: &str = "evidence-archive/1";
/// Format string of `ledger.json`.
pub const LEDGER_FORMAT: &str = "evidence-ledger/1";
/// The tool name written into manifests.
pub const TOOL_NAME: &str = "evidence-capture";

/// How an item appears in an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemStatus {
    /// Record and artifacts are in the archive.
    Included,
    /// The exporter chose not to share it: only its hashes are in the ledger.
    Withheld,
    /// Its content was deleted in the extension (a removal record keeps its hashes).
    Removed,
}

/// One line of `ledger.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LedgerFileEntry {
    /// Sequence number, from 0 without gaps.
    pub seq: u64,
    /// SHA-256 of the record's bytes.
    pub record_sha256: String,
    /// Chain value after this record.
    pub chain_sha256: String,
    /// Whether the item's files are in this archive.
    pub status: ItemStatus,
}

/// `ledger.json`: the whole chain, including withheld and removed items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LedgerFile {
    /// Always [`LEDGER_FORMAT`].
    pub format: String,
    /// The chain value before the first record (64 zeros).
    pub genesis: String,
    /// The chain value after the last record (genesis when empty).
    pub head: String,
    /// Every item, in sequence order.
    pub entries: Vec<LedgerFileEntry>,
}

impl LedgerFileEntry {
    /// This entry as an item to build a ledger from (its record hash and status).
    pub fn item(&self) -> LedgerItem {
        LedgerItem {
            record_sha256: self.record_sha256.clone(),
            status: self.status,
        }
    }
}

/// One item to put in a ledger: its record hash and how it is exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerItem {
    /// SHA-256 of the record's bytes.
    pub record_sha256: String,
    /// Export status.
    pub status: ItemStatus,
}

/// Build the ledger for items given in sequence order (item `i` has seq `i`).
pub fn build_ledger(items: &[LedgerItem]) -> Result<LedgerFile> {
    let mut prev = genesis_chain_hex();
    let mut entries = Vec::with_capacity(items.len());
    for (seq, item) in items.iter().enumerate() {
        let chain = chain_next(&prev, &item.record_sha256)?;
        entries.push(LedgerFileEntry {
            seq: seq as u64,
            record_sha256: item.record_sha256.clone(),
            chain_sha256: chain.clone(),
            status: item.status,
        });
        prev = chain;
    }
    Ok(LedgerFile {
        format: LEDGER_FORMAT.to_string(),
        genesis: genesis_chain_hex(),
        head: prev,
        entries,
    })
}

fn to_json(v: &impl Serialize, what: &str) -> Result<Vec<u8>> {
    let mut out = serde_json::to_vec_pretty(v)
        .map_err(|e| Error::InvalidInput(format!("{what} does not serialise: {e}")))?;
    out.push(b'\n');
    Ok(out)
}

impl LedgerFile {
    /// The exact `ledger.json` bytes.
    pub fn to_json_bytes(&self) -> Result<Vec<u8>> {
        to_json(self, "ledger.json")
    }

    /// Parse `ledger.json` bytes (shape and format only; the verifier checks the chain).
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        let l: LedgerFile = serde_json::from_slice(bytes)
            .map_err(|e| Error::InvalidInput(format!("{LEDGER_PATH} is not valid: {e}")))?;
        if l.format != LEDGER_FORMAT {
            return Err(Error::UnsupportedVersion(l.format));
        }
        Ok(l)
    }

    /// How many entries have each status: `(included, withheld, removed)`.
    pub fn status_counts(&self) -> (u64, u64, u64) {
        let count = |s| self.entries.iter().filter(|e| e.status == s).count() as u64;
        (
            count(ItemStatus::Included),
            count(ItemStatus::Withheld),
            count(ItemStatus::Removed),
        )
    }
}

/// One file listed in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileInfo {
    /// Path inside the archive.
    pub path: String,
    /// Byte count.
    pub bytes: u64,
    /// Lowercase hex SHA-256.
    pub sha256: String,
}

/// The tool that wrote the archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    /// Always [`TOOL_NAME`].
    pub name: String,
    /// The extension's version.
    pub version: String,
}

/// Item counts in the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemCounts {
    /// Ledger entries.
    pub total: u64,
    /// Items whose files are in the archive.
    pub included: u64,
    /// Items withheld by the exporter.
    pub withheld: u64,
    /// Items deleted in the extension.
    pub removed: u64,
}

/// Earliest and latest `captured_at` of the included records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateRange {
    /// Earliest capture time (RFC 3339), if any item is included.
    pub first: Option<String>,
    /// Latest capture time (RFC 3339), if any item is included.
    pub last: Option<String>,
}

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Always [`ARCHIVE_FORMAT`].
    pub format: String,
    /// The writing tool.
    pub tool: Tool,
    /// When the export was made (RFC 3339 UTC).
    pub created_at: String,
    /// Who exported, if they chose to say.
    pub exported_by: Option<String>,
    /// The ledger head.
    pub head: String,
    /// Item counts.
    pub items: ItemCounts,
    /// Time span of the included items.
    pub date_range: DateRange,
    /// Every file except `manifest.json` and `SHA256SUMS`, sorted by path.
    pub files: Vec<FileInfo>,
    /// Exhibit references and the `exhibits/` files (absent in archives written before
    /// exhibit references; those still verify).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exhibits: Option<super::exhibit_index::ExhibitIndex>,
}

/// The caller-supplied facts of an export (time and identity are inputs, never read here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportMeta {
    /// The extension's version.
    pub tool_version: String,
    /// When the export was made, in milliseconds since the Unix epoch.
    pub created_at_ms: i64,
    /// Who exported, if they chose to say.
    #[serde(default)]
    pub exported_by: Option<String>,
}

/// The name typed at export as the archive keeps it: without control or bidi characters
/// (see [`super::display`]; the verifier refuses a manifest field holding any), trimmed,
/// and `None` when nothing is left.
pub fn clean_exported_by(name: Option<&str>) -> Option<String> {
    let kept = super::display::strip_unsafe(name?);
    let kept = kept.trim();
    (!kept.is_empty()).then(|| kept.to_string())
}

/// Earliest and latest `captured_at` among `records`, compared as instants.
pub fn date_range<'a>(records: impl IntoIterator<Item = &'a Record>) -> DateRange {
    let mut first: Option<(i64, &str)> = None;
    let mut last: Option<(i64, &str)> = None;
    for r in records {
        let Ok(t) = DateTime::parse_from_rfc3339(&r.captured_at) else {
            continue;
        };
        let key = t.timestamp_millis();
        if first.is_none_or(|(k, _)| key < k) {
            first = Some((key, &r.captured_at));
        }
        if last.is_none_or(|(k, _)| key > k) {
            last = Some((key, &r.captured_at));
        }
    }
    DateRange {
        first: first.map(|(_, s)| s.to_string()),
        last: last.map(|(_, s)| s.to_string()),
    }
}

/// Build the manifest. `files` may be every entry written so far: `manifest.json` and
/// `SHA256SUMS` are left out, and the rest is sorted by path. `included` are the parsed
/// records of the included items (for the date range).
pub fn build_manifest(
    meta: &ExportMeta,
    ledger: &LedgerFile,
    included: &[Record],
    files: &[FileInfo],
) -> Result<Manifest> {
    let (inc, withheld, removed) = ledger.status_counts();
    let mut listed: Vec<FileInfo> = files
        .iter()
        .filter(|f| f.path != MANIFEST_PATH && f.path != SUMS_PATH)
        .cloned()
        .collect();
    listed.sort_by(|a, b| a.path.cmp(&b.path));
    check_files(&listed)?;
    Ok(Manifest {
        format: ARCHIVE_FORMAT.to_string(),
        tool: Tool {
            name: TOOL_NAME.to_string(),
            version: meta.tool_version.clone(),
        },
        created_at: utc_string(meta.created_at_ms)?,
        exported_by: clean_exported_by(meta.exported_by.as_deref()),
        head: ledger.head.clone(),
        items: ItemCounts {
            total: ledger.entries.len() as u64,
            included: inc,
            withheld,
            removed,
        },
        date_range: date_range(included),
        files: listed,
        exhibits: None,
    })
}

fn check_files(sorted: &[FileInfo]) -> Result<()> {
    for (i, f) in sorted.iter().enumerate() {
        if !is_digest(&f.sha256) {
            return Err(Error::InvalidInput(format!(
                "file {:?} has a malformed sha256",
                f.path
            )));
        }
        super::zipfmt::validate_entry_name(&f.path)?;
        if i > 0 && sorted[i - 1].path == f.path {
            return Err(Error::InvalidInput(format!(
                "file {:?} is listed twice",
                f.path
            )));
        }
    }
    Ok(())
}

impl Manifest {
    /// The exact `manifest.json` bytes.
    pub fn to_json_bytes(&self) -> Result<Vec<u8>> {
        to_json(self, "manifest.json")
    }

    /// Parse `manifest.json` bytes (shape and format).
    pub fn parse(bytes: &[u8]) -> Result<Self> {
        let m: Manifest = serde_json::from_slice(bytes)
            .map_err(|e| Error::InvalidInput(format!("{MANIFEST_PATH} is not valid: {e}")))?;
        if m.format != ARCHIVE_FORMAT {
            return Err(Error::UnsupportedVersion(m.format));
        }
        Ok(m)
    }
}

/// `SHA256SUMS` bytes: one `<sha256>  <path>\n` line per file except `SHA256SUMS` itself
/// (so `manifest.json` is included), sorted by path.
pub fn build_sha256sums(files: &[FileInfo]) -> Result<Vec<u8>> {
    let mut listed: Vec<&FileInfo> = files.iter().filter(|f| f.path != SUMS_PATH).collect();
    listed.sort_by(|a, b| a.path.cmp(&b.path));
    let owned: Vec<FileInfo> = listed.iter().map(|f| (*f).clone()).collect();
    check_files(&owned)?;
    let mut out = Vec::new();
    for f in listed {
        out.extend_from_slice(f.sha256.as_bytes());
        out.extend_from_slice(b"  ");
        out.extend_from_slice(f.path.as_bytes());
        out.push(b'\n');
    }
    Ok(out)
}

/// Parse `SHA256SUMS` strictly in the form [`build_sha256sums`] writes: returns
/// `(sha256, path)` pairs in file order. Any other form is an error naming the line.
pub fn parse_sha256sums(bytes: &[u8]) -> Result<Vec<(String, String)>> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| Error::InvalidInput(format!("{SUMS_PATH} is not UTF-8 text")))?;
    if !text.is_empty() && !text.ends_with('\n') {
        return Err(Error::InvalidInput(format!(
            "{SUMS_PATH} does not end with a newline"
        )));
    }
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let bad = || {
            Error::InvalidInput(format!(
                "{SUMS_PATH} line {} is not \"<sha256>  <path>\"",
                i + 1
            ))
        };
        let (hash, path) = line.split_once("  ").ok_or_else(bad)?;
        if !is_digest(hash) || path.is_empty() || line.contains('\r') {
            return Err(bad());
        }
        out.push((hash.to_string(), path.to_string()));
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::hash::sha256_hex;

    fn info(path: &str, data: &[u8]) -> FileInfo {
        FileInfo {
            path: path.into(),
            bytes: data.len() as u64,
            sha256: sha256_hex(data),
        }
    }

    #[test]
    fn ledger_round_trips_and_links() {
        let items: Vec<LedgerItem> = (0..3)
            .map(|i| LedgerItem {
                record_sha256: sha256_hex(&[i]),
                status: if i == 1 {
                    ItemStatus::Withheld
                } else {
                    ItemStatus::Included
                },
            })
            .collect();
        let l = build_ledger(&items).unwrap();
        assert_eq!(l.head, l.entries[2].chain_sha256);
        let bytes = l.to_json_bytes().unwrap();
        assert_eq!(LedgerFile::parse(&bytes).unwrap(), l);
        assert!(String::from_utf8(bytes)
            .unwrap()
            .contains("\"status\": \"withheld\""));
        assert_eq!(l.status_counts(), (2, 1, 0));
        assert!(build_ledger(&[LedgerItem {
            record_sha256: "x".into(),
            status: ItemStatus::Included
        }])
        .is_err());
    }

    #[test]
    fn sums_are_sorted_canonical_and_parse_back() {
        let files = vec![
            info("report.html", b"<p>"),
            info("SHA256SUMS", b"ignored"),
            info("items/000000/record.json", b"{}"),
            info("manifest.json", b"{}"),
        ];
        let sums = build_sha256sums(&files).unwrap();
        let text = String::from_utf8(sums.clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].ends_with("  items/000000/record.json"));
        assert!(lines[2].ends_with("  report.html"));
        let parsed = parse_sha256sums(&sums).unwrap();
        assert_eq!(parsed[1].1, "manifest.json");
        for bad in [
            "abc  x\n",
            &format!("{} *x\n", sha256_hex(b"")),
            &format!("{}  x", sha256_hex(b"")),
            &format!("{}  \n", sha256_hex(b"")),
            "\u{ff}",
        ] {
            assert!(parse_sha256sums(bad.as_bytes()).is_err(), "{bad:?}");
        }
        let dup = vec![info("a", b"1"), info("a", b"2")];
        assert!(build_sha256sums(&dup).is_err());
    }
}
