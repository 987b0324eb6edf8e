//! The stored-library check ("Check integrity"): the same per-item rules as the archive
//! verifier (`item_rules.rs`), applied to the rows the extension has in storage.
//!
//! The caller reads its rows in batches, in sequence order, and hands each one over with
//! what it computed from the stored blobs (the SHA-256 and byte count of each artifact's
//! blob, or that it is missing or unreadable). The checker keeps one small row per item,
//! never the records or blobs, and at the end gives a [`LibraryReport`] with the
//! verifier's item states: `OK` (intact), `MODIFIED` or `MISSING` (damaged), and
//! `REMOVED` (content deleted on purpose, and a later removal record names it).
//!
//! Two rules are the library's own, because a library, unlike an export, holds every
//! record: a removed item that no later removal record names is damage (in an archive
//! the removal record may have been withheld), and so is an item whose content is still
//! stored although a later removal record names it.

use super::item_rules::{
    blame_previous, check_included, records_removal_of, removed_detail, ChainWalk, Found,
    ItemFacts, Link,
};
use super::verdict::{Counts, ItemRow, ItemState, Problem, Verdict};
use crate::hash::sha256_hex;
use crate::ledger::ChainHead;
use crate::record::{genesis_hex, Record};
use serde::{Deserialize, Serialize};

/// What the caller found for one artifact blob of a stored row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredBlob {
    /// The artifact's name (as its record lists it).
    pub name: String,
    /// SHA-256 computed from the stored blob; `None` when the blob is missing.
    #[serde(default)]
    pub sha256: Option<String>,
    /// Byte count of the stored blob; `None` when the blob is missing.
    #[serde(default)]
    pub bytes: Option<u64>,
    /// Why the blob could not be read, when it could not.
    #[serde(default)]
    pub error: Option<String>,
}

/// One stored ledger row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredRow {
    /// Sequence number.
    pub seq: u64,
    /// The stored record hash.
    pub record_sha256: String,
    /// The stored chain value after this row.
    pub chain_sha256: String,
    /// The row says its content was removed on purpose.
    #[serde(default)]
    pub removed: bool,
    /// A placeholder left by restoring an archive that withheld this item: only its
    /// hashes are stored ("not in this archive"), which is not damage.
    #[serde(default)]
    pub withheld: bool,
    /// The stored record bytes; `None` when the content is gone.
    #[serde(skip)]
    pub record: Option<Vec<u8>>,
    /// What was found for each artifact blob.
    #[serde(default)]
    pub artifacts: Vec<StoredBlob>,
}

/// The detail of a placeholder row left by restoring an archive that withheld the item.
pub const WITHHELD_DETAIL: &str =
    "not in the archive this library was restored from; only its hash is kept";

/// The stored head (the last committed item), when the library has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredHead {
    /// Sequence number of the last item.
    pub seq: u64,
    /// Its chain value.
    pub chain_sha256: String,
}

/// The answer of a library check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LibraryReport {
    /// `PASS` when no item is damaged and the chain is whole.
    pub verdict: Verdict,
    /// The chain value recomputed from the stored record hashes (genesis when empty).
    pub head: String,
    /// The chain from the first item to the stored head is whole.
    pub chain_ok: bool,
    /// Row counts, as in the archive verifier's report.
    pub counts: Counts,
    /// One row per stored item (the verifier's rows: `seq`, `path`, `kind`,
    /// `captured_at`, `status`, `record_sha256`, `detail`).
    pub items: Vec<ItemRow>,
    /// Chain problems (codes `LEDGER`, `CHAIN`, `HEAD`), not tied to one item.
    pub problems: Vec<Problem>,
}

/// The answer of [`LibraryChecker::check_item`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemCheck {
    /// The item's row, as in a [`LibraryReport`].
    pub item: ItemRow,
    /// Chain problems found at this item.
    pub problems: Vec<Problem>,
}

/// The stored-library checker. Feed rows with [`Self::push`], then [`Self::finish`].
pub struct LibraryChecker {
    head: Option<StoredHead>,
    walk: ChainWalk,
    chain_ok: bool,
    expected_seq: u64,
    prev_record: String,
    rows: Vec<ItemRow>,
    removed: Vec<bool>,
    /// `(seq, record)` of every removal record seen (their metadata names the target).
    tombstones: Vec<(u64, Record)>,
    problems: Vec<Problem>,
}

impl LibraryChecker {
    /// A checker for a library whose stored head is `head` (`None`: empty library).
    pub fn new(head: Option<StoredHead>) -> Self {
        LibraryChecker {
            head,
            walk: ChainWalk::new(),
            chain_ok: true,
            expected_seq: 0,
            prev_record: genesis_hex(),
            rows: Vec::new(),
            removed: Vec::new(),
            tombstones: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// Check one stored item on its own, after the stored item before it (`prev`, or the
    /// genesis head with `seq` -1 for item 0): its record against its hash, its link in
    /// the chain, and its files. The library-wide rules (removal records, the stored head)
    /// need the whole library and are [`Self::finish`]'s.
    pub fn check_item(prev: &ChainHead, row: &StoredRow) -> ItemCheck {
        let mut c = LibraryChecker::new(None);
        c.walk = ChainWalk::after(prev.chain_sha256.clone());
        c.prev_record = prev.record_sha256.clone();
        c.expected_seq = (prev.seq + 1).max(0) as u64;
        c.push_one(row);
        ItemCheck {
            item: c.rows.pop().unwrap_or_else(|| ItemRow {
                seq: Some(row.seq),
                path: None,
                kind: None,
                captured_at: None,
                status: ItemState::Missing,
                record_sha256: None,
                detail: "it could not be checked".into(),
                reference: None,
            }),
            problems: c.problems,
        }
    }

    /// Items checked so far.
    pub fn checked(&self) -> u64 {
        self.rows.len() as u64
    }

    fn problem(&mut self, code: &str, message: String) {
        self.problems.push(Problem {
            code: code.to_string(),
            message,
        });
    }

    /// Check the next rows, in sequence order.
    pub fn push(&mut self, rows: &[StoredRow]) {
        for row in rows {
            self.push_one(row);
        }
    }

    fn push_one(&mut self, stored: &StoredRow) {
        let seq = stored.seq;
        if seq != self.expected_seq && self.chain_ok {
            self.chain_ok = false;
            let what = if seq > self.expected_seq {
                format!("item {} is missing", self.expected_seq)
            } else {
                format!("item {seq} appears twice")
            };
            self.problem("LEDGER", what);
        }
        self.expected_seq = seq + 1;
        let mut row = ItemRow::ledger_item(seq, &stored.record_sha256);
        let mut link_broken = false;
        match (&stored.record, stored.removed) {
            (Some(_), true) => {
                row.status = ItemState::Modified;
                row.detail = "it is marked removed but its record is still stored".into();
            }
            (None, true) => row.status = ItemState::Removed,
            (None, false) if stored.withheld => {
                row.status = ItemState::Withheld;
                row.detail = WITHHELD_DETAIL.into();
            }
            (bytes, false) => {
                let sha = bytes.as_deref().map(sha256_hex);
                let facts = ItemFacts {
                    seq,
                    record_sha256: &stored.record_sha256,
                    prev_record_sha256: &self.prev_record,
                    record: match &sha {
                        Some(s) => Found::Read {
                            bytes: bytes.as_ref().map_or(0, |b| b.len() as u64),
                            sha256: s,
                        },
                        None => Found::Missing,
                    },
                    record_bytes: bytes.as_deref(),
                    place: "storage",
                };
                let checked = check_included(&facts, &mut row, &mut |a| match stored
                    .artifacts
                    .iter()
                    .find(|b| b.name == a.name)
                {
                    Some(StoredBlob { error: Some(e), .. }) => Found::Unreadable(e),
                    Some(StoredBlob {
                        sha256: Some(sha256),
                        bytes: Some(bytes),
                        ..
                    }) => Found::Read {
                        bytes: *bytes,
                        sha256,
                    },
                    _ => Found::Missing,
                });
                link_broken = checked.link_broken;
                if let Some(r) = checked.record {
                    if r.kind == crate::record::Kind::Removal {
                        self.tombstones.push((seq, r));
                    }
                }
            }
        }
        match self.walk.step(&stored.record_sha256, &stored.chain_sha256) {
            Link::Holds => {}
            Link::Differs => {
                self.break_chain(
                    seq,
                    &mut row,
                    "its link in the chain does not follow from the item before it",
                );
            }
            Link::Malformed => {
                self.break_chain(seq, &mut row, "its stored record hash is malformed");
            }
        }
        if link_broken {
            blame_previous(self.rows.last_mut(), seq);
        }
        self.prev_record = stored.record_sha256.clone();
        self.removed.push(stored.removed);
        self.rows.push(row);
    }

    fn break_chain(&mut self, seq: u64, row: &mut ItemRow, why: &str) {
        row.detail = if row.status == ItemState::Ok || row.detail.is_empty() {
            why.to_string()
        } else {
            format!("{why}; {}", row.detail)
        };
        row.status = ItemState::Modified;
        if self.chain_ok {
            self.chain_ok = false;
            self.problem("CHAIN", format!("the chain breaks at item {seq}"));
        }
    }

    /// The answer, once every row was pushed.
    pub fn finish(mut self) -> LibraryReport {
        // Removed items must be named by a later removal record, and an item a removal
        // record names must have had its content deleted.
        for i in 0..self.rows.len() {
            let seq = i as u64;
            let Some(sha) = self.rows[i].record_sha256.clone() else {
                continue;
            };
            let tomb = self
                .tombstones
                .iter()
                .find(|(s, r)| *s > seq && records_removal_of(r, seq, &sha))
                .map(|(s, _)| *s);
            let row = &mut self.rows[i];
            match (self.removed[i], tomb, row.status) {
                (true, Some(_), ItemState::Removed) => row.detail = removed_detail(tomb),
                (true, None, ItemState::Removed) => {
                    row.status = ItemState::Modified;
                    row.detail = "its content is gone, and no removal record explains it".into();
                }
                (false, Some(by), _) => {
                    let note =
                        format!("item {by} recorded its removal, but its content is still stored");
                    row.detail = if row.status == ItemState::Ok {
                        note
                    } else {
                        format!("{}; {note}", row.detail)
                    };
                    row.status = ItemState::Modified;
                }
                _ => {}
            }
        }
        let stored_rows = self.rows.len() as u64;
        if let Some(h) = self.head.clone() {
            if self.chain_ok && h.chain_sha256 != self.walk.value {
                self.chain_ok = false;
                self.problem(
                    "HEAD",
                    "the stored head does not match the last item".to_string(),
                );
            }
            if self.chain_ok && stored_rows != h.seq + 1 {
                self.chain_ok = false;
                self.problem(
                    "HEAD",
                    format!(
                        "the history says there are {} items, but {stored_rows} are stored",
                        h.seq + 1
                    ),
                );
            }
        } else if stored_rows > 0 && self.chain_ok {
            self.chain_ok = false;
            self.problem(
                "HEAD",
                format!("{stored_rows} items are stored, but there is no stored head"),
            );
        }
        let counts = Counts::of(&self.rows);
        let verdict = if self.chain_ok && counts.modified == 0 && counts.missing == 0 {
            Verdict::Pass
        } else {
            Verdict::Fail
        };
        LibraryReport {
            verdict,
            head: self.walk.value,
            chain_ok: self.chain_ok,
            counts,
            items: self.rows,
            problems: self.problems,
        }
    }
}
