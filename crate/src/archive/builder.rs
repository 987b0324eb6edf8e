//! The sans-IO archive builder: the one place that writes an `evidence-archive/1`.
//!
//! The builder never reads storage. It is created with the export's facts and the plan
//! (every ledger item in sequence order, with its hashes and export status) and then says,
//! step by step, what it needs next ([`ArchiveBuilder::next`]): the bytes of an included
//! item's record, the bytes of one of that record's artifacts, or nothing more. Every
//! call that takes bytes appends the ZIP output to emit next to the caller's buffer, so
//! the caller streams the archive wherever it goes (a `Vec`, a file, a browser Blob) and
//! the whole archive is never held in memory.
//!
//! Order of entries (unchanged since the format's first version):
//! 1. for each included item in sequence order: `items/NNNNNN/record.json`, then each
//!    artifact in the order the record lists them;
//! 2. `ledger.json`, the `timestamps/` files when there are tokens, `report.html`,
//!    `VERIFY.txt`, `manifest.json`, `SHA256SUMS`;
//! 3. the central directory.
//!
//! Evidence that does not match what was recorded (a record whose bytes do not hash to
//! the ledger value, an artifact whose size or SHA-256 differs from its record, a chain
//! value that does not follow from the items before it) is refused with
//! [`Error::StorageDamaged`], naming the item and file; after any error the builder only
//! returns errors.
//!
//! Stored (uncompressed) artifacts can be fed with [`ArchiveBuilder::stored_chunk`],
//! which only hashes and counts the chunk: the caller appends the same chunk to its
//! output itself, so large media is never copied back out of the builder.

pub use super::export_plan::{ArchiveMeta, ArtifactNeed, ExportDone, Need, PlanItem};
mod external;

use super::export_plan::status_name;

use super::index::{build_ledger, FileInfo, ItemStatus, LedgerFile, LedgerItem};
use super::zipwrite::{EntryInfo, ZipWriter};
use super::*;
use crate::error::{Error, Result};
use crate::exhibits::PlannedExhibit;
use crate::hash::sha256_hex;
use crate::record::{self, ArtifactRef, Kind, Record};
use crate::timeline::ReportItem;
use std::collections::{BTreeMap, BTreeSet};

mod exhibit_pass;
mod tail;

/// Largest capture `metadata.json` the builder keeps for `report.html`; a larger one is
/// still exported, and the report then shows its page facts as missing.
pub const MAX_CAPTURE_METADATA_BYTES: u64 = 4 << 20;
/// Most capture `metadata.json` bytes kept in total for one export.
pub const MAX_KEPT_METADATA_BYTES: u64 = 256 << 20;

enum Step {
    Record,
    Artifact {
        index: usize,
        open: bool,
    },
    /// The second pass: the `exhibits/` copies (see `exhibit_pass.rs`).
    Exhibit {
        open: bool,
    },
    Tail,
    Finished,
}

/// The item whose files are being written.
struct Current {
    seq: u64,
    record: Record,
    metadata: Option<Vec<u8>>,
    capture_metadata: Option<serde_json::Value>,
}

/// The sans-IO archive builder. See the module documentation.
pub struct ArchiveBuilder {
    meta: ArchiveMeta,
    plan: Vec<PlanItem>,
    ledger: LedgerFile,
    writer: ZipWriter,
    mtime: i64,
    cursor: usize,
    step: Step,
    current: Option<Current>,
    failed: bool,
    infos: Vec<FileInfo>,
    report_items: Vec<ReportItem>,
    kept_metadata: u64,
    /// The `exhibits/` files planned so far, as `(seq, file)`, in sequence order.
    exhibit_files: Vec<(u64, PlannedExhibit)>,
    /// Lower-cased exhibit names used (names must differ without case).
    exhibit_names: BTreeSet<String>,
    /// The exhibit file being written or next to write.
    exhibit_cursor: usize,
    /// Capture screenshots kept for `report.pdf`, by sequence number.
    images: BTreeMap<u64, Vec<Vec<u8>>>,
    /// Bytes kept in `images` (and in the open one).
    kept_images: u64,
    /// The screenshot being fed in the exhibit pass, when it is kept.
    image: Option<Vec<u8>>,
    /// Size and CRC-32 of each stored artifact written so far, by SHA-256: an exhibit
    /// copy of the same bytes needs neither (see `external.rs`).
    written_crcs: BTreeMap<String, (u64, u32)>,
    pub(super) timestamps: Vec<super::timestamps::StoredToken>,
    pub(super) device_key: Option<Vec<u8>>,
}

fn damaged(seq: u64, name: &str) -> Error {
    Error::StorageDamaged(format!(
        "Item {seq}'s {name} no longer matches its hash, so it was not exported as if intact. Run \"Check integrity\" in the library."
    ))
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

impl ArchiveBuilder {
    /// A builder for `plan` (every ledger item in sequence order). Refuses a plan with a
    /// gap, a malformed hash, or a stored chain value that does not follow from the
    /// record hashes before it.
    pub fn new(meta: ArchiveMeta, plan: Vec<PlanItem>) -> Result<Self> {
        Self::with_writer(meta, plan, ZipWriter::new())
    }

    /// [`Self::new`] with a given ZIP writer (e.g. [`ZipWriter::with_forced_zip64`]).
    pub fn with_writer(meta: ArchiveMeta, plan: Vec<PlanItem>, writer: ZipWriter) -> Result<Self> {
        for (i, item) in plan.iter().enumerate() {
            if item.seq != i as u64 {
                return Err(Error::StorageDamaged(format!(
                    "Item {i} is missing from storage. Run \"Check integrity\" in the library."
                )));
            }
        }
        let ledger = build_ledger(
            &plan
                .iter()
                .map(|p| LedgerItem {
                    record_sha256: p.record_sha256.clone(),
                    status: p.status,
                })
                .collect::<Vec<_>>(),
        )?;
        for (item, entry) in plan.iter().zip(&ledger.entries) {
            if item.chain_sha256 != entry.chain_sha256 {
                return Err(Error::StorageDamaged(format!(
                    "Item {}'s link in the chain does not follow from the items before it, so the library was not exported as if intact. Run \"Check integrity\" in the library.",
                    item.seq
                )));
            }
        }
        let mtime = meta.created_at_ms.div_euclid(1000);
        let mut b = ArchiveBuilder {
            meta,
            plan,
            ledger,
            writer,
            mtime,
            cursor: 0,
            step: Step::Record,
            current: None,
            failed: false,
            infos: Vec::new(),
            report_items: Vec::new(),
            kept_metadata: 0,
            exhibit_files: Vec::new(),
            exhibit_names: BTreeSet::new(),
            exhibit_cursor: 0,
            images: BTreeMap::new(),
            kept_images: 0,
            image: None,
            written_crcs: BTreeMap::new(),
            timestamps: Vec::new(),
            device_key: None,
        };
        b.skip_to_included();
        Ok(b)
    }

    /// What the builder needs next.
    pub fn next(&self) -> Need {
        match (&self.step, &self.current) {
            (Step::Record, _) => Need::Record {
                seq: self.cursor as u64,
            },
            (Step::Artifact { index, .. }, Some(cur)) => match cur.record.artifacts.get(*index) {
                Some(a) => Need::Artifact(self.need_for(cur.seq, a)),
                None => Need::Done,
            },
            (Step::Exhibit { .. }, _) => self
                .exhibit_need()
                .map(Need::Artifact)
                .unwrap_or(Need::Done),
            _ => Need::Done,
        }
    }

    /// Bytes of the archive emitted so far.
    pub fn bytes_written(&self) -> u64 {
        self.writer.bytes_written()
    }

    fn need_for(&self, seq: u64, a: &ArtifactRef) -> ArtifactNeed {
        let path = artifact_path(seq, &a.name);
        ArtifactNeed {
            seq,
            name: a.name.clone(),
            stored: !should_compress(&path),
            path,
            sha256: a.sha256.clone(),
            bytes: a.bytes,
        }
    }

    /// Move past withheld and removed items (they go into the report as hashes only).
    fn skip_to_included(&mut self) {
        while let Some(item) = self.plan.get(self.cursor) {
            if item.status == ItemStatus::Included {
                self.step = Step::Record;
                return;
            }
            let reference = Some(self.reference(item.seq));
            self.report_items.push(ReportItem {
                reference,
                seq: item.seq,
                status: status_name(item.status).to_string(),
                record_sha256: item.record_sha256.clone(),
                chain_sha256: item.chain_sha256.clone(),
                record: None,
                capture_metadata: None,
                folder: None,
            });
            self.cursor += 1;
        }
        self.step = self.after_items();
    }

    fn usable(&self) -> Result<()> {
        if self.failed {
            return Err(Error::InvalidInput(
                "the archive builder failed earlier and cannot continue".into(),
            ));
        }
        Ok(())
    }

    /// Run `f`; any error poisons the builder.
    fn guard<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        self.usable()?;
        let r = f(self);
        if r.is_err() {
            self.failed = true;
        }
        r
    }

    fn put(&mut self, path: &str, content: &[u8], out: &mut Vec<u8>) -> Result<()> {
        self.writer
            .start_entry_into(path, should_compress(path), self.mtime, out)?;
        self.writer.write_into(content, out)?;
        let info = self.writer.end_entry_into(out)?;
        self.infos.push(FileInfo::from(&info));
        Ok(())
    }

    /// Give the record the builder asked for: its exact stored bytes. Appends the
    /// `record.json` entry to `out`. Refused when the bytes do not hash to the ledger
    /// value.
    pub fn put_record(&mut self, bytes: &[u8], out: &mut Vec<u8>) -> Result<()> {
        self.guard(|b| {
            if !matches!(b.step, Step::Record) {
                return Err(Error::InvalidInput(format!(
                    "the archive builder does not need a record now; it needs {:?}",
                    b.next()
                )));
            }
            let seq = b.cursor as u64;
            let item = &b.plan[b.cursor];
            if sha256_hex(bytes) != item.record_sha256 {
                return Err(damaged(seq, RECORD_FILE));
            }
            let record = record::parse(bytes)?;
            b.put(&record_path(seq), bytes, out)?;
            b.current = Some(Current {
                seq,
                record,
                metadata: None,
                capture_metadata: None,
            });
            b.step = Step::Artifact {
                index: 0,
                open: false,
            };
            b.close_item_if_done();
            Ok(())
        })
    }

    /// When the current item has no artifact left, file it for the report and move on.
    fn close_item_if_done(&mut self) {
        let Step::Artifact { index, open: false } = self.step else {
            return;
        };
        let Some(cur) = &self.current else { return };
        if index < cur.record.artifacts.len() {
            return;
        }
        if let Some(cur) = self.current.take() {
            self.plan_exhibits(cur.seq, &cur.record);
            let reference = Some(self.reference(cur.seq));
            let item = &self.plan[self.cursor];
            self.report_items.push(ReportItem {
                reference,
                seq: cur.seq,
                status: status_name(ItemStatus::Included).to_string(),
                record_sha256: item.record_sha256.clone(),
                chain_sha256: item.chain_sha256.clone(),
                record: Some(cur.record),
                capture_metadata: cur.capture_metadata,
                folder: Some(item_dir(cur.seq)),
            });
        }
        self.cursor += 1;
        self.skip_to_included();
    }

    fn open_artifact(&mut self) -> Result<(&mut Current, usize)> {
        match (&self.step, self.current.as_mut()) {
            (Step::Artifact { index, open: true }, Some(cur)) => Ok((cur, *index)),
            _ => Err(Error::InvalidInput(
                "no artifact is open in the archive builder".into(),
            )),
        }
    }

    /// Start the artifact the builder asked for; appends its local header to `out`.
    pub fn begin_artifact(&mut self, out: &mut Vec<u8>) -> Result<()> {
        self.guard(|b| {
            if matches!(b.step, Step::Exhibit { .. }) {
                return b.begin_exhibit(out);
            }
            let Need::Artifact(need) = b.next() else {
                return Err(Error::InvalidInput(format!(
                    "the archive builder does not need an artifact now; it needs {:?}",
                    b.next()
                )));
            };
            b.writer
                .start_entry_into(&need.path, !need.stored, b.mtime, out)?;
            let keep = need.name == "metadata.json"
                // An imported chat export's thread is in its metadata.json too (report.html).
                && matches!(
                    b.current.as_ref().map(|c| c.record.kind),
                    Some(Kind::Capture | Kind::Import)
                )
                && need.bytes <= MAX_CAPTURE_METADATA_BYTES
                && b.kept_metadata.saturating_add(need.bytes) <= MAX_KEPT_METADATA_BYTES;
            if let Some(cur) = b.current.as_mut() {
                cur.metadata = keep.then(|| Vec::with_capacity(need.bytes as usize));
            }
            if keep {
                b.kept_metadata += need.bytes;
            }
            if let Step::Artifact { open, .. } = &mut b.step {
                *open = true;
            }
            Ok(())
        })
    }

    fn keep_chunk(cur: &mut Current, chunk: &[u8]) {
        if let Some(buf) = cur.metadata.as_mut() {
            if (buf.len() + chunk.len()) as u64 <= MAX_CAPTURE_METADATA_BYTES {
                buf.extend_from_slice(chunk);
            } else {
                // Larger than its record says: the hash check at the end refuses it.
                cur.metadata = None;
            }
        }
    }

    /// Feed the next chunk of the open artifact; appends the output to `out` (a copy of
    /// the chunk when the entry is stored, DEFLATE output when it is compressed).
    pub fn artifact_chunk(&mut self, chunk: &[u8], out: &mut Vec<u8>) -> Result<()> {
        self.guard(|b| {
            if matches!(b.step, Step::Exhibit { .. }) {
                return b.exhibit_chunk(chunk, Some(out));
            }
            let (cur, _) = b.open_artifact()?;
            Self::keep_chunk(cur, chunk);
            b.writer.write_into(chunk, out)
        })
    }

    /// For a stored artifact ([`ArtifactNeed::stored`]): hash and count `chunk` without
    /// copying it; the caller appends `chunk` itself to its output, right after whatever
    /// it appended before. Refused for a compressed artifact.
    pub fn stored_chunk(&mut self, chunk: &[u8]) -> Result<()> {
        self.guard(|b| {
            if matches!(b.step, Step::Exhibit { .. }) {
                return b.exhibit_chunk(chunk, None);
            }
            let (cur, _) = b.open_artifact()?;
            Self::keep_chunk(cur, chunk);
            b.writer.write_stored(chunk)
        })
    }

    /// End the open artifact; appends its last bytes to `out`. Refused when what was fed
    /// does not have the size and SHA-256 its record lists.
    pub fn end_artifact(&mut self, out: &mut Vec<u8>) -> Result<()> {
        self.close_artifact(out, None)
    }

    /// End the open artifact, hashed by the writer (`sha256: None`) or fed unhashed with
    /// its SHA-256 computed by the caller (see `external.rs`), and check it against its record.
    fn close_artifact(&mut self, out: &mut Vec<u8>, sha256: Option<&str>) -> Result<()> {
        self.guard(|b| {
            if matches!(b.step, Step::Exhibit { .. }) {
                return b.end_exhibit(out, sha256);
            }
            let (cur, index) = b.open_artifact()?;
            let (seq, expected) = (cur.seq, cur.record.artifacts[index].clone());
            let info = match sha256 {
                None => b.writer.end_entry_into(out)?,
                Some(given) => b.writer.end_entry_with_sha256_into(out, given)?,
            };
            if info.sha256 != expected.sha256 || info.bytes != expected.bytes {
                return Err(damaged(seq, &expected.name));
            }
            if !should_compress(&info.path) {
                b.written_crcs
                    .insert(info.sha256.clone(), (info.bytes, info.crc32));
            }
            b.infos.push(FileInfo::from(&info));
            if let Some(cur) = b.current.as_mut() {
                if let Some(buf) = cur.metadata.take() {
                    cur.capture_metadata = serde_json::from_slice(&buf).ok();
                }
            }
            b.step = Step::Artifact {
                index: index + 1,
                open: false,
            };
            b.close_item_if_done();
            Ok(())
        })
    }

    /// Say that the artifact the builder asked for is not in storage. Always returns the
    /// error to show (and the builder cannot continue): evidence is never exported with
    /// a file left out.
    pub fn artifact_missing(&mut self) -> Error {
        self.failed = true;
        match self.next() {
            Need::Artifact(a) => Error::StorageDamaged(format!(
                "Item {}'s file {} is missing from storage. Run \"Check integrity\" in the library.",
                a.seq, a.name
            )),
            other => Error::InvalidInput(format!(
                "the archive builder was not waiting for an artifact (it needs {other:?})"
            )),
        }
    }

    /// Write `ledger.json`, `report.html`, `report.pdf`, `statement.html`, `VERIFY.txt`,
    /// `manifest.json`, `SHA256SUMS` and the central directory, appending them to `out`.
    /// Only once [`Self::next`] is [`Need::Done`].
    pub fn finish(&mut self, out: &mut Vec<u8>) -> Result<ExportDone> {
        self.guard(|b| b.write_tail(out))
    }
}
