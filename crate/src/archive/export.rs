//! Writing a complete archive in memory: a thin loop over [`ArchiveBuilder`], the same
//! builder the browser exporter pumps from IndexedDB. Used by the native tests and tools.

use super::builder::{ArchiveBuilder, ArchiveMeta, ArtifactNeed, Need, PlanItem};
use super::index::ItemStatus;
use super::zipwrite::ZipWriter;
use crate::error::{Error, Result};

/// Bytes handed to the builder per call, as the browser exporter reads them.
const CHUNK: usize = 4 << 20;

/// One ledger item for [`write_archive`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveItem {
    /// SHA-256 of the record's bytes (the ledger's value).
    pub record_sha256: String,
    /// The stored chain value after this item.
    pub chain_sha256: String,
    /// Export status.
    pub status: ItemStatus,
    /// The exact record bytes; required when included, ignored otherwise.
    pub record_bytes: Option<Vec<u8>>,
    /// `(name, bytes)` of each artifact, in the record's order; required when included.
    pub artifacts: Vec<(String, Vec<u8>)>,
}

/// Everything [`write_archive`] needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveInput {
    /// Tool version, export time, exporter, local offset.
    pub meta: ArchiveMeta,
    /// Every ledger item in sequence order.
    pub items: Vec<ArchiveItem>,
}

impl ArchiveInput {
    /// The builder's plan for these items: each one's seq, hashes and status, in order.
    pub fn plan(&self) -> Vec<PlanItem> {
        self.items
            .iter()
            .enumerate()
            .map(|(seq, i)| PlanItem {
                seq: seq as u64,
                record_sha256: i.record_sha256.clone(),
                chain_sha256: i.chain_sha256.clone(),
                status: i.status,
            })
            .collect()
    }
}

fn given_mismatch(seq: u64, item: &ArchiveItem, wanted: &str) -> Error {
    let given: Vec<&str> = item.artifacts.iter().map(|(n, _)| n.as_str()).collect();
    Error::InvalidInput(format!(
        "item {seq}: artifacts given {given:?} but the record lists {wanted}"
    ))
}

/// Hand one artifact's bytes to the builder, in chunks as the browser reads them.
fn feed(
    b: &mut ArchiveBuilder,
    need: &ArtifactNeed,
    content: &[u8],
    out: &mut Vec<u8>,
) -> Result<()> {
    b.begin_artifact(out)?;
    for chunk in content.chunks(CHUNK) {
        if need.stored {
            b.stored_chunk(chunk)?;
            out.extend_from_slice(chunk);
        } else {
            b.artifact_chunk(chunk, out)?;
        }
    }
    b.end_artifact(out)
}

/// Write a whole archive into memory with `writer` (use [`ZipWriter::new`], or the
/// forced-ZIP64 writer in tests), answering the builder's needs from `input`. The
/// artifacts given must be exactly the ones each record lists, in its order.
pub fn write_archive(input: &ArchiveInput, writer: ZipWriter) -> Result<Vec<u8>> {
    write_archive_with_timestamps(input, writer, Vec::new())
}

/// [`write_archive`] with trusted timestamps in `timestamps/` (see
/// [`ArchiveBuilder::set_timestamps`]).
pub fn write_archive_with_timestamps(
    input: &ArchiveInput,
    writer: ZipWriter,
    timestamps: Vec<super::timestamps::StoredToken>,
) -> Result<Vec<u8>> {
    write_archive_signed(input, writer, timestamps, None)
}

/// [`write_archive_with_timestamps`], signed with a device key when one is given (see
/// [`ArchiveBuilder::set_device_key`]).
pub fn write_archive_signed(
    input: &ArchiveInput,
    writer: ZipWriter,
    timestamps: Vec<super::timestamps::StoredToken>,
    device_key: Option<Vec<u8>>,
) -> Result<Vec<u8>> {
    let mut b = ArchiveBuilder::with_writer(input.meta.clone(), input.plan(), writer)?;
    b.set_timestamps(timestamps);
    if let Some(k) = device_key {
        b.set_device_key(k)?;
    }
    let mut out = Vec::new();
    // (item, artifacts handed over so far) of the item being written.
    let mut open: Option<(u64, usize)> = None;
    let check_all_given = |open: Option<(u64, usize)>| -> Result<()> {
        match open {
            Some((seq, n)) if input.items[seq as usize].artifacts.len() != n => Err(
                given_mismatch(seq, &input.items[seq as usize], &format!("only {n}")),
            ),
            _ => Ok(()),
        }
    };
    loop {
        match b.next() {
            Need::Record { seq } => {
                check_all_given(open)?;
                let item = &input.items[seq as usize];
                let bytes = item.record_bytes.as_deref().ok_or_else(|| {
                    Error::InvalidInput(format!("item {seq} is included but has no record bytes"))
                })?;
                b.put_record(bytes, &mut out)?;
                open = Some((seq, 0));
            }
            Need::Artifact(need) if need.path.starts_with("exhibits/") => {
                // The exhibit pass: a second copy of an artifact already written.
                let item = &input.items[need.seq as usize];
                let content = item
                    .artifacts
                    .iter()
                    .find(|(name, _)| *name == need.name)
                    .map(|(_, c)| c)
                    .ok_or_else(|| given_mismatch(need.seq, item, &format!("{:?}", need.name)))?;
                feed(&mut b, &need, content, &mut out)?;
            }
            Need::Artifact(need) => {
                let item = &input.items[need.seq as usize];
                let k = match open {
                    Some((s, k)) if s == need.seq => k,
                    _ => 0,
                };
                let content = match item.artifacts.get(k) {
                    Some((name, content)) if *name == need.name => content,
                    _ => return Err(given_mismatch(need.seq, item, &format!("{:?}", need.name))),
                };
                feed(&mut b, &need, content, &mut out)?;
                open = Some((need.seq, k + 1));
            }
            Need::Done => break,
        }
    }
    check_all_given(open)?;
    b.finish(&mut out)?;
    Ok(out)
}
