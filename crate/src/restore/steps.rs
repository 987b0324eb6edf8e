//! Reading what a restore plan needs out of a verified archive, one step at a time.
//!
//! [`ArchiveRestore::open`] runs the archive verifier (the CLI's) and goes on only after a
//! PASS; it then reads `ledger.json` again and checks that it is the very file the
//! verifier passed. The caller asks [`ArchiveRestore::next`] what is needed: a record
//! (read it with [`ArchiveRestore::read_record`]), an artifact (stream it into storage
//! with [`ArchiveRestore::read_artifact`], or skip it with
//! [`ArchiveRestore::skip_artifact`] when storage already holds that hash), or nothing
//! more. Every byte read is re-checked against the verified ledger and records, so an
//! archive changed on disk after verification is refused half-way, before anything is
//! committed. [`ArchiveRestore::finish`] lists the rows to store, in one transaction.

use super::{plan, Action, LibraryRow, Plan, PlannedItem};
use crate::archive::zipread::Method;
use crate::archive::{
    artifact_path, entry::CHUNK, read_entry_to_vec, record_path, verdict::Verdict, EntryReader,
    Expected, ItemStatus, LedgerFile, ReadAt, Report, ZipArchive, LEDGER_PATH,
};
use crate::error::{Error, Result};
use crate::hash::sha256_hex;
use crate::metadata::RemovalTarget;
use crate::record::{self, ArtifactRef, Kind, Record};
use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};

/// Largest `ledger.json` or record read into memory (as the verifier keeps them).
const MAX_INDEX_BYTES: u64 = 64 << 20;
const MAX_RECORD_BYTES: u64 = 16 << 20;

/// What the restore needs next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum RestoreNeed {
    /// Read the record of item `seq` ([`ArchiveRestore::read_record`]).
    Record {
        /// Sequence number.
        seq: u64,
    },
    /// Store this artifact of item `seq` ([`ArchiveRestore::read_artifact`] or
    /// [`ArchiveRestore::skip_artifact`]).
    #[serde(rename_all = "camelCase")]
    Artifact {
        /// Sequence number.
        seq: u64,
        /// The artifact's name in its record.
        name: String,
        /// Its SHA-256 (the storage key).
        sha256: String,
        /// Its byte count.
        bytes: u64,
        /// Its media type.
        media_type: String,
    },
    /// Everything is read: call [`ArchiveRestore::finish`].
    Done,
}

/// One row to store, as the library keeps it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoredRow {
    /// Sequence number.
    pub seq: u64,
    /// Add (new) or fill (a placeholder).
    pub action: Action,
    /// Record hash.
    pub record_sha256: String,
    /// Chain value after it.
    pub chain_sha256: String,
    /// The item id, when the archive shows it (not for a withheld item).
    pub id: Option<String>,
    /// The item kind, when the archive shows it.
    pub kind: Option<Kind>,
    /// The record's `captured_at` ("" when the archive does not show it).
    pub captured_at: String,
    /// The item's artifacts (for a removed item: as its removal record lists them).
    pub artifacts: Vec<ArtifactRef>,
    /// Included: the record was read ([`ArchiveRestore::read_record`] gave its bytes).
    pub included: bool,
    /// The archive withheld it: only its hashes are known ("not in this archive").
    pub withheld: bool,
    /// Its content was deleted in the extension before the export.
    pub removed: bool,
    /// The removal record that deleted it.
    pub removed_by: Option<u64>,
    /// When that removal was recorded.
    pub removed_at: Option<String>,
}

/// What [`ArchiveRestore::finish`] answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoreDone {
    /// The rows to store, in sequence order.
    pub rows: Vec<RestoredRow>,
    /// The library's head after the restore, `{seq, recordSha256, chainSha256}`, when it
    /// moves (the archive extends the library).
    pub head: Option<crate::ledger::ChainHead>,
}

/// A removal record found in the archive: its seq, time and target.
struct Tomb {
    seq: u64,
    at: String,
    target: RemovalTarget,
}

/// A restore in progress over one verified archive.
pub struct ArchiveRestore {
    pub(super) zip: ZipArchive,
    pub(super) ledger: LedgerFile,
    /// The trusted timestamps the verifier passed (see `tokens.rs`).
    pub(super) passed_tokens: Vec<super::tokens::PassedToken>,
    plan: Option<Plan>,
    next_item: usize,
    current: Option<(PlannedItem, Record)>,
    artifacts: VecDeque<ArtifactRef>,
    /// Removal records read so far, by the seq of the item they remove.
    tombs: BTreeMap<u64, Tomb>,
    /// How far the search for removal records has read.
    tomb_scan: u64,
    rows: Vec<RestoredRow>,
    /// The artifact being fed ([`ArchiveRestore::begin_artifact`]), with its path.
    feeding: Option<(EntryReader, String)>,
}

/// What [`ArchiveRestore::open`] found: the verifier's report, and the restore when the
/// archive passed.
pub struct Opened {
    /// The verifier's report (shown to the user either way).
    pub report: Report,
    /// The restore, when the archive passed verification.
    pub restore: Option<ArchiveRestore>,
    /// Why it cannot be restored, when it cannot.
    pub refusal: Option<String>,
}

fn changed(what: &str) -> Error {
    Error::Archive(format!(
        "{what} is not what was verified a moment ago: the file changed while it was being restored. Nothing was changed"
    ))
}

impl ArchiveRestore {
    /// Verify the archive in `src` (against `given`, with `progress(done, total)`), and
    /// on a PASS get ready to restore it. Never panics.
    pub fn open<R: ReadAt + ?Sized>(
        src: &mut R,
        given: Expected<'_>,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Opened {
        let report = crate::archive::verify_expecting(src, given, progress);
        Self::after_verify(src, report)
    }

    /// The second half of [`Self::open`], for a caller that drove the verifier itself
    /// ([`crate::archive::VerifyRun`]) over the same `src`: on a PASS, get ready to
    /// restore. Never panics.
    pub fn after_verify<R: ReadAt + ?Sized>(src: &mut R, report: Report) -> Opened {
        if report.verdict != Verdict::Pass {
            let first = report
                .problems
                .first()
                .map(|p| format!(": {}", p.message))
                .unwrap_or_default();
            return Opened {
                refusal: Some(format!(
                    "This archive did not pass verification, so it was not restored and nothing was changed{first}"
                )),
                report,
                restore: None,
            };
        }
        match Self::after_pass(src, &report) {
            Ok(restore) => Opened {
                report,
                restore: Some(restore),
                refusal: None,
            },
            Err(e) => Opened {
                refusal: Some(format!("The archive could not be restored: {e}.")),
                report,
                restore: None,
            },
        }
    }

    fn after_pass<R: ReadAt + ?Sized>(src: &mut R, report: &Report) -> Result<Self> {
        let zip = ZipArchive::open(src)?;
        let entry = zip
            .get(LEDGER_PATH)
            .ok_or_else(|| changed(LEDGER_PATH))?
            .clone();
        let (bytes, digest) = read_entry_to_vec(src, &entry, MAX_INDEX_BYTES)?;
        let verified = report
            .files
            .iter()
            .find(|f| f.path == LEDGER_PATH)
            .and_then(|f| f.sha256.as_deref());
        if verified != Some(digest.sha256.as_str()) {
            return Err(changed(LEDGER_PATH));
        }
        let ledger = LedgerFile::parse(&bytes)?;
        Ok(ArchiveRestore {
            zip,
            ledger,
            plan: None,
            next_item: 0,
            current: None,
            artifacts: VecDeque::new(),
            tombs: BTreeMap::new(),
            tomb_scan: 0,
            rows: Vec::new(),
            feeding: None,
            passed_tokens: super::tokens::passed(report),
        })
    }

    /// The archive's verified ledger.
    pub fn ledger(&self) -> &LedgerFile {
        &self.ledger
    }

    /// Plan the restore into a library holding `library` (see [`super::plan`]). A plan
    /// with a refusal stops the restore: nothing may be stored.
    pub fn plan(&mut self, library: &[LibraryRow]) -> Plan {
        let p = plan(&self.ledger, library);
        self.plan = Some(p.clone());
        p
    }

    fn planned(&self) -> Result<&Plan> {
        match &self.plan {
            Some(p) if p.refusal.is_none() => Ok(p),
            Some(_) => Err(Error::InvalidInput("this restore was refused".into())),
            None => Err(Error::InvalidInput("the restore has no plan yet".into())),
        }
    }

    /// What is needed next. Withheld and removed items need nothing the caller reads
    /// (a removed item's facts come from its removal record, which the core reads).
    pub fn next<R: ReadAt + ?Sized>(&mut self, src: &mut R) -> Result<RestoreNeed> {
        loop {
            if let Some(a) = self.artifacts.front() {
                let seq = self.current.as_ref().map_or(0, |(p, _)| p.seq);
                return Ok(RestoreNeed::Artifact {
                    seq,
                    name: a.name.clone(),
                    sha256: a.sha256.clone(),
                    bytes: a.bytes,
                    media_type: a.media_type.clone(),
                });
            }
            if let Some((p, rec)) = self.current.take() {
                self.rows.push(RestoredRow {
                    seq: p.seq,
                    action: p.action,
                    record_sha256: p.record_sha256,
                    chain_sha256: p.chain_sha256,
                    id: Some(rec.id),
                    kind: Some(rec.kind),
                    captured_at: rec.captured_at,
                    artifacts: rec.artifacts,
                    included: true,
                    withheld: false,
                    removed: false,
                    removed_by: None,
                    removed_at: None,
                });
            }
            let Some(item) = self.planned()?.items.get(self.next_item).cloned() else {
                return Ok(RestoreNeed::Done);
            };
            match item.status {
                ItemStatus::Included => return Ok(RestoreNeed::Record { seq: item.seq }),
                ItemStatus::Withheld => {
                    self.next_item += 1;
                    self.rows.push(hashes_only(item, true));
                }
                ItemStatus::Removed => {
                    self.next_item += 1;
                    let tomb = self.find_tomb(src, &item)?;
                    let mut row = hashes_only(item, false);
                    row.removed = true;
                    row.id = Some(tomb.target.id.clone());
                    row.kind = Some(tomb.target.kind);
                    row.artifacts = tomb.target.artifacts.clone();
                    row.removed_by = Some(tomb.seq);
                    row.removed_at = Some(tomb.at.clone());
                    self.rows.push(row);
                }
            }
        }
    }

    /// Read and check one included record of the archive (its bytes against the verified
    /// ledger's hash); `None` when the archive does not include it.
    fn record_at<R: ReadAt + ?Sized>(
        &self,
        src: &mut R,
        seq: u64,
    ) -> Result<Option<(Vec<u8>, Record)>> {
        let Some(e) = self.ledger.entries.get(seq as usize) else {
            return Ok(None);
        };
        if e.status != ItemStatus::Included {
            return Ok(None);
        }
        let path = record_path(seq);
        let entry = self.zip.get(&path).ok_or_else(|| changed(&path))?.clone();
        let (bytes, _) = read_entry_to_vec(src, &entry, MAX_RECORD_BYTES)?;
        if sha256_hex(&bytes) != e.record_sha256 {
            return Err(changed(&path));
        }
        let rec = record::parse(&bytes)?;
        if rec.seq != seq {
            return Err(changed(&path));
        }
        Ok(Some((bytes, rec)))
    }

    /// The removal record of a removed item: the verifier passed the archive, so it is
    /// there, after the item.
    fn find_tomb<R: ReadAt + ?Sized>(&mut self, src: &mut R, item: &PlannedItem) -> Result<&Tomb> {
        let total = self.ledger.entries.len() as u64;
        self.tomb_scan = self.tomb_scan.max(item.seq + 1);
        while !self.tombs.contains_key(&item.seq) && self.tomb_scan < total {
            let seq = self.tomb_scan;
            self.tomb_scan += 1;
            if let Some((_, rec)) = self.record_at(src, seq)? {
                if let (Kind::Removal, Some(t)) = (rec.kind, rec.metadata.removal_target()) {
                    self.tombs.entry(t.seq).or_insert(Tomb {
                        seq,
                        at: rec.captured_at.clone(),
                        target: t.clone(),
                    });
                }
            }
        }
        match self.tombs.get(&item.seq) {
            Some(t) if t.target.record_sha256 == item.record_sha256 && t.seq > item.seq => Ok(t),
            _ => Err(changed(&format!("the removal record of item {}", item.seq))),
        }
    }

    /// Read the record asked for: its exact bytes, checked against the verified ledger.
    pub fn read_record<R: ReadAt + ?Sized>(&mut self, src: &mut R) -> Result<Vec<u8>> {
        let item = match (&self.current, self.planned()?.items.get(self.next_item)) {
            (None, Some(i)) if i.status == ItemStatus::Included => i.clone(),
            _ => return Err(Error::InvalidInput("no record is asked for now".into())),
        };
        let (bytes, rec) = self
            .record_at(src, item.seq)?
            .ok_or_else(|| changed(&record_path(item.seq)))?;
        self.next_item += 1;
        let mut seen = std::collections::BTreeSet::new();
        // A file listed twice under one hash is stored once (blobs are content-addressed).
        self.artifacts = rec
            .artifacts
            .iter()
            .filter(|a| seen.insert(a.sha256.clone()))
            .cloned()
            .collect();
        self.current = Some((item, rec));
        Ok(bytes)
    }

    /// Stream the artifact asked for into `sink`, slice by slice (at most 4 MiB each),
    /// and check its size and SHA-256 against its record. On an error the caller must
    /// not store what the sink received.
    pub fn read_artifact<R: ReadAt + ?Sized>(
        &mut self,
        src: &mut R,
        sink: &mut dyn FnMut(&[u8]) -> Result<()>,
    ) -> Result<()> {
        let ((mut pos, mut left), _) = self.begin_artifact()?;
        let mut buf = vec![0u8; left.min(CHUNK as u64) as usize];
        while left > 0 {
            let n = left.min(buf.len() as u64) as usize;
            src.read_at(pos, &mut buf[..n])?;
            self.feed_artifact(&buf[..n], sink)?;
            pos += n as u64;
            left -= n as u64;
        }
        self.end_artifact(sink)
    }

    /// Begin the artifact asked for, for a caller that reads the archive itself: the
    /// offset and length of its stored bytes, to give in order to [`Self::feed_artifact`],
    /// then [`Self::end_artifact`]; and whether it is stored uncompressed (its content is
    /// then exactly those bytes).
    pub fn begin_artifact(&mut self) -> Result<((u64, u64), bool)> {
        let (seq, a) = match (&self.current, self.artifacts.front()) {
            (Some((p, _)), Some(a)) => (p.seq, a.clone()),
            _ => return Err(Error::InvalidInput("no artifact is asked for now".into())),
        };
        let path = artifact_path(seq, &a.name);
        let entry = self.zip.get(&path).ok_or_else(|| changed(&path))?;
        let range = (entry.data_offset, entry.compressed_size);
        let stored = entry.method == Method::Stored;
        self.feeding = Some((EntryReader::new(entry), path));
        Ok((range, stored))
    }

    /// [`Self::feed_artifact`] for an artifact stored uncompressed, whose content the
    /// caller holds already (the bytes it feeds): nothing is handed back.
    pub fn feed_artifact_unsent(&mut self, chunk: &[u8]) -> Result<()> {
        match self.feeding.as_ref() {
            Some((r, _)) if r.is_stored() => self.feed_artifact(chunk, &mut |_: &[u8]| Ok(())),
            Some(_) => Err(Error::InvalidInput(
                "this artifact is compressed: its content must be taken".into(),
            )),
            None => Err(Error::InvalidInput("no artifact was begun".into())),
        }
    }

    /// The begun artifact's next stored bytes; its content goes to `sink`.
    pub fn feed_artifact(
        &mut self,
        chunk: &[u8],
        sink: &mut dyn FnMut(&[u8]) -> Result<()>,
    ) -> Result<()> {
        match self.feeding.as_mut() {
            Some((r, _)) => r.feed(chunk, sink),
            None => Err(Error::InvalidInput("no artifact was begun".into())),
        }
    }

    /// Every stored byte of the begun artifact was given: check its size and SHA-256
    /// against its record. On an error the caller must not store what it received.
    pub fn end_artifact(&mut self, sink: &mut dyn FnMut(&[u8]) -> Result<()>) -> Result<()> {
        let (reader, path) = self
            .feeding
            .take()
            .ok_or_else(|| Error::InvalidInput("no artifact was begun".into()))?;
        let a = self
            .artifacts
            .front()
            .ok_or_else(|| Error::InvalidInput("no artifact is asked for now".into()))?;
        let digest = reader.finish(sink)?;
        if digest.sha256 != a.sha256 || digest.bytes != a.bytes {
            return Err(changed(&path));
        }
        self.artifacts.pop_front();
        Ok(())
    }

    /// Skip the artifact asked for: storage already holds a blob with its hash.
    pub fn skip_artifact(&mut self) -> Result<()> {
        self.feeding = None;
        self.artifacts
            .pop_front()
            .map(|_| ())
            .ok_or_else(|| Error::InvalidInput("no artifact is asked for now".into()))
    }

    /// The rows to store and the head after them, once [`Self::next`] said `Done`.
    pub fn finish(self) -> Result<RestoreDone> {
        let plan = self.planned()?;
        if self.current.is_some() || self.rows.len() != plan.items.len() {
            return Err(Error::InvalidInput("the restore is not finished".into()));
        }
        let head = match (self.ledger.entries.last(), plan.items.last()) {
            (Some(last), Some(_)) if plan.archive_items > plan.library_items => {
                Some(crate::ledger::ChainHead {
                    seq: last.seq as i64,
                    record_sha256: last.record_sha256.clone(),
                    chain_sha256: last.chain_sha256.clone(),
                })
            }
            _ => None,
        };
        Ok(RestoreDone {
            rows: self.rows,
            head,
        })
    }
}

fn hashes_only(item: PlannedItem, withheld: bool) -> RestoredRow {
    RestoredRow {
        seq: item.seq,
        action: item.action,
        record_sha256: item.record_sha256,
        chain_sha256: item.chain_sha256,
        id: None,
        kind: None,
        captured_at: String::new(),
        artifacts: Vec::new(),
        included: false,
        withheld,
        removed: false,
        removed_by: None,
        removed_at: None,
    }
}
