//! The per-item evidence rules, shared by the archive verifier (`verify_items.rs`) and the
//! stored-library checker (`library_check.rs`), so that both give the same answer for the
//! same item: its record against its ledger hash, sequence number and link to the
//! previous record; each artifact against its record; the chain value after it; and
//! which later removal record (tombstone) records its deletion.

use super::verdict::{ItemRow, ItemState};
use crate::ledger::chain_next;
use crate::record::{self, ArtifactRef, Kind, Record};

/// How a broken record-to-record link is described (and recognised).
pub(crate) const LINK_BROKEN: &str = "its link to item";

/// What the caller found for one file of an item (a record or an artifact).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Found<'a> {
    /// Not there at all.
    Missing,
    /// There, but it could not be read; the reason.
    Unreadable(&'a str),
    /// Read in full: its byte count and SHA-256.
    Read {
        /// Byte count.
        bytes: u64,
        /// Lowercase hex SHA-256.
        sha256: &'a str,
    },
}

/// One included item, as the caller found it.
pub(crate) struct ItemFacts<'a> {
    /// Its sequence number.
    pub seq: u64,
    /// Its record hash in the ledger.
    pub record_sha256: &'a str,
    /// The previous item's record hash in the ledger (genesis for item 0).
    pub prev_record_sha256: &'a str,
    /// Its record file.
    pub record: Found<'a>,
    /// The record's bytes, when they were kept for checking.
    pub record_bytes: Option<&'a [u8]>,
    /// Where the files live, for messages: `"the archive"` or `"storage"`.
    pub place: &'a str,
}

/// What checking one included item found.
pub(crate) struct ItemVerdict {
    /// The parsed record, when it was readable.
    pub record: Option<Record>,
    /// The link from the previous record does not hold.
    pub link_broken: bool,
}

/// The record kind as the report names it.
pub(crate) fn kind_name(kind: Kind) -> Option<String> {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
}

/// Check one included item: fill `row` (status, detail, kind, capture time) and return
/// the parsed record. `artifact(a)` says what was found for each artifact its record lists.
pub(crate) fn check_included<'f>(
    facts: &ItemFacts<'_>,
    row: &mut ItemRow,
    artifact: &mut dyn FnMut(&ArtifactRef) -> Found<'f>,
) -> ItemVerdict {
    let seq = facts.seq;
    let mut modified = Vec::new();
    let mut missing = Vec::new();
    let mut link_broken = false;
    let record = match facts.record {
        Found::Missing => {
            missing.push(format!("its record.json is not in {}", facts.place));
            None
        }
        Found::Unreadable(err) => {
            modified.push(format!("its record cannot be read: {err}"));
            None
        }
        Found::Read { sha256, .. } => {
            if sha256 != facts.record_sha256 {
                modified.push("its record does not match its hash in the ledger".into());
            }
            match facts.record_bytes.map(record::parse) {
                Some(Ok(r)) => Some(r),
                Some(Err(e)) => {
                    modified.push(format!("its record cannot be read: {e}"));
                    None
                }
                None => {
                    modified.push("its record could not be kept for checking".into());
                    None
                }
            }
        }
    };
    if let Some(r) = &record {
        row.kind = kind_name(r.kind);
        row.captured_at = Some(r.captured_at.clone());
        if r.seq != seq {
            modified.push(format!("its record says it is item {}", r.seq));
        }
        if r.prev_record_sha256 != facts.prev_record_sha256 {
            link_broken = seq > 0;
            modified.push(if seq == 0 {
                "its record does not start the chain".to_string()
            } else {
                format!(
                    "{LINK_BROKEN} {} does not hold: item {} or this item was changed after capture",
                    seq - 1,
                    seq - 1
                )
            });
        }
        for a in &r.artifacts {
            match artifact(a) {
                Found::Missing => missing.push(format!("{} is missing", a.name)),
                Found::Unreadable(err) => {
                    modified.push(format!("{} cannot be read: {err}", a.name))
                }
                Found::Read { bytes, sha256 } => {
                    if bytes != a.bytes || sha256 != a.sha256 {
                        modified.push(format!(
                            "{} was changed or damaged: it no longer matches its hash in the record",
                            a.name
                        ));
                    }
                }
            }
        }
        if modified.is_empty() && missing.is_empty() {
            row.detail = match (r.kind, r.artifacts.len()) {
                (Kind::Removal, _) => "removal record (tombstone)".into(),
                (_, 0) => "record only, no artifacts".into(),
                (_, 1) => "record and 1 artifact match".into(),
                (_, n) => format!("record and {n} artifacts match"),
            };
        }
    }
    if !modified.is_empty() {
        row.status = ItemState::Modified;
    } else if !missing.is_empty() {
        row.status = ItemState::Missing;
    }
    if row.status != ItemState::Ok {
        modified.extend(missing);
        row.detail = modified.join("; ");
    }
    ItemVerdict {
        record,
        link_broken,
    }
}

/// A broken link between item `seq - 1` and item `seq` cannot say which of the two was
/// changed, so the previous item (`prev`, when it looked intact) is not shown as intact.
pub(crate) fn blame_previous(prev: Option<&mut ItemRow>, seq: u64) {
    if let Some(prev) = prev.filter(|r| r.status == ItemState::Ok) {
        prev.status = ItemState::Modified;
        prev.detail = format!(
            "item {seq}'s link to this item does not hold: this item or item {seq} was changed after capture"
        );
    }
}

/// How one chain value compares with the one recomputed from the record hashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Link {
    /// It follows from the value before it.
    Holds,
    /// It does not (the walk continues from the recomputed value).
    Differs,
    /// The record hash is not a SHA-256 value, so the chain cannot be followed further.
    Malformed,
}

/// Walks the chain from the genesis value, one record hash at a time.
pub(crate) struct ChainWalk {
    /// The chain value after the last step (recomputed, never taken from the input).
    pub value: String,
}

impl ChainWalk {
    /// A walk from the genesis value.
    pub(crate) fn new() -> Self {
        Self::after(crate::ledger::genesis_chain_hex())
    }

    /// A walk that continues after a known chain value.
    pub(crate) fn after(value: String) -> Self {
        ChainWalk { value }
    }

    /// Take the next item: its record hash and the chain value written for it.
    pub(crate) fn step(&mut self, record_sha256: &str, stated_chain: &str) -> Link {
        match chain_next(&self.value, record_sha256) {
            Ok(next) => {
                let holds = next == stated_chain;
                self.value = next;
                if holds {
                    Link::Holds
                } else {
                    Link::Differs
                }
            }
            Err(_) => Link::Malformed,
        }
    }
}

/// Whether `rec` is a removal record (tombstone) whose typed target is item
/// `removed_seq` with the record hash `removed_record_sha256`.
pub(crate) fn records_removal_of(
    rec: &Record,
    removed_seq: u64,
    removed_record_sha256: &str,
) -> bool {
    rec.kind == Kind::Removal
        && rec
            .metadata
            .removal_target()
            .is_some_and(|t| t.seq == removed_seq && t.record_sha256 == removed_record_sha256)
}

/// The detail of a removed item: which later record records its deletion, if known.
pub(crate) fn removed_detail(tombstone: Option<u64>) -> String {
    match tombstone {
        Some(s) => {
            format!("deleted in the extension; its hashes remain and item {s} records the deletion")
        }
        None => {
            "deleted in the extension; its hashes remain (the removal record is not in this export)"
                .into()
        }
    }
}
