//! Writing a complete archive in memory, in the order the streaming exporter uses.
//!
//! The browser exporter streams the same steps through the WASM writer:
//! 1. for each included item in sequence order: `items/NNNNNN/record.json`, then each
//!    artifact in the order the record lists them;
//! 2. `ledger.json` ([`build_ledger`]);
//! 3. `report.html`, `VERIFY.txt`;
//! 4. `manifest.json` ([`build_manifest`] over the entries written so far);
//! 5. `SHA256SUMS` ([`build_sha256sums`] over everything, manifest included);
//! 6. the central directory ([`ZipWriter::finish`]).

use super::index::{
    build_ledger, build_manifest, build_sha256sums, ExportMeta, FileInfo, ItemStatus, LedgerItem,
};
use super::zipwrite::{EntryInfo, ZipWriter};
use super::*;
use crate::error::{Error, Result};
use crate::hash::sha256_hex;
use crate::record::{self, Record};

/// One ledger item for [`write_archive`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveItem {
    /// SHA-256 of the record's bytes (the ledger's value).
    pub record_sha256: String,
    /// Export status.
    pub status: ItemStatus,
    /// The exact record bytes; required when included, ignored otherwise.
    pub record_bytes: Option<Vec<u8>>,
    /// `(name, bytes)` of each artifact; required when included.
    pub artifacts: Vec<(String, Vec<u8>)>,
}

/// Everything [`write_archive`] needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveInput {
    /// Tool version, export time, exporter.
    pub meta: ExportMeta,
    /// Every ledger item in sequence order.
    pub items: Vec<ArchiveItem>,
    /// Contents of `VERIFY.txt`.
    pub verify_txt: Vec<u8>,
    /// Contents of `report.html`.
    pub report_html: Vec<u8>,
}

impl From<&EntryInfo> for FileInfo {
    fn from(e: &EntryInfo) -> Self {
        FileInfo {
            path: e.path.clone(),
            bytes: e.bytes,
            sha256: e.sha256.clone(),
        }
    }
}

fn put(
    w: &mut ZipWriter,
    out: &mut Vec<u8>,
    infos: &mut Vec<FileInfo>,
    path: &str,
    content: &[u8],
    mtime: i64,
) -> Result<()> {
    w.start_entry_into(path, should_compress(path), mtime, out)?;
    w.write_into(content, out)?;
    let info = w.end_entry_into(out)?;
    infos.push(FileInfo::from(&info));
    Ok(())
}

/// Write a whole archive into memory with `writer` (use [`ZipWriter::new`], or the
/// forced-ZIP64 writer in tests). Checks that each included record hashes to its ledger
/// value and parses, and that the artifacts given are the ones the record lists.
pub fn write_archive(input: &ArchiveInput, mut writer: ZipWriter) -> Result<Vec<u8>> {
    let mtime = input.meta.created_at_ms.div_euclid(1000);
    let mut out = Vec::new();
    let mut infos = Vec::new();
    let mut records: Vec<Record> = Vec::new();
    for (seq, item) in input.items.iter().enumerate() {
        let seq = seq as u64;
        if item.status != ItemStatus::Included {
            continue;
        }
        let bytes = item.record_bytes.as_deref().ok_or_else(|| {
            Error::InvalidInput(format!("item {seq} is included but has no record bytes"))
        })?;
        if sha256_hex(bytes) != item.record_sha256 {
            return Err(Error::InvalidInput(format!(
                "item {seq}'s record bytes do not hash to its ledger value"
            )));
        }
        let rec = record::parse(bytes)?;
        let listed: Vec<&str> = rec.artifacts.iter().map(|a| a.name.as_str()).collect();
        let given: Vec<&str> = item.artifacts.iter().map(|(n, _)| n.as_str()).collect();
        if listed != given {
            return Err(Error::InvalidInput(format!(
                "item {seq}: artifacts given {given:?} but the record lists {listed:?}"
            )));
        }
        put(
            &mut writer,
            &mut out,
            &mut infos,
            &record_path(seq),
            bytes,
            mtime,
        )?;
        for (name, content) in &item.artifacts {
            let path = artifact_path(seq, name);
            put(&mut writer, &mut out, &mut infos, &path, content, mtime)?;
        }
        records.push(rec);
    }
    let ledger = build_ledger(
        &input
            .items
            .iter()
            .map(|i| LedgerItem {
                record_sha256: i.record_sha256.clone(),
                status: i.status,
            })
            .collect::<Vec<_>>(),
    )?;
    let ledger_bytes = ledger.to_json_bytes()?;
    put(
        &mut writer,
        &mut out,
        &mut infos,
        LEDGER_PATH,
        &ledger_bytes,
        mtime,
    )?;
    put(
        &mut writer,
        &mut out,
        &mut infos,
        REPORT_PATH,
        &input.report_html,
        mtime,
    )?;
    put(
        &mut writer,
        &mut out,
        &mut infos,
        VERIFY_PATH,
        &input.verify_txt,
        mtime,
    )?;
    let manifest = build_manifest(&input.meta, &ledger, &records, &infos)?;
    let manifest_bytes = manifest.to_json_bytes()?;
    put(
        &mut writer,
        &mut out,
        &mut infos,
        MANIFEST_PATH,
        &manifest_bytes,
        mtime,
    )?;
    let sums = build_sha256sums(&infos)?;
    put(&mut writer, &mut out, &mut infos, SUMS_PATH, &sums, mtime)?;
    out.extend_from_slice(&writer.finish()?);
    Ok(out)
}
