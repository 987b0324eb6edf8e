//! Restoring a library from an evidence archive: the rules, sans-IO.
//!
//! The caller (the extension's restore worker) first has the archive checked by the same
//! verifier as the CLI ([`crate::archive::verify_expecting`]); only a PASS goes on. Then
//! [`plan`] compares the archive's `ledger.json` with the rows the library holds and
//! decides, per item, what a restore does:
//!
//! - the archive's chain and the library's must agree on every item they both have (same
//!   record hash, same chain value): otherwise the archive belongs to another history and
//!   restoring it would fork the library's chain, so it is refused;
//! - an empty library, or an archive whose ledger extends the library's own, takes every
//!   item the library lacks, with the same sequence numbers, record hashes and chain,
//!   and the library's head moves to the archive's head;
//! - an archive shorter than the library (an older export) adds nothing past its end;
//! - an item the library holds only as a placeholder ("not in this archive", left by a
//!   partial restore) is filled when the archive includes it (or records its removal);
//! - an item the library holds with content, or as removed, is never touched.
//!
//! Restoring the same archive twice therefore plans nothing the second time. The
//! [`steps`] module then reads what the plan needs from the archive, re-checking every
//! byte against the verified ledger and records, and says what to store.

pub mod steps;
pub mod tokens;

use crate::archive::{ItemStatus, LedgerFile};
use serde::{Deserialize, Serialize};

pub use steps::{ArchiveRestore, RestoreNeed, RestoredRow};
pub use tokens::RestoredToken;

/// What the library holds at one sequence number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HeldAs {
    /// The record (and its artifacts) are stored.
    Content,
    /// The content was deleted on purpose; the hashes stay.
    Removed,
    /// A placeholder from a restored archive that withheld the item: only its hashes.
    Withheld,
}

/// One row the library holds (the facts in clear, even behind the passphrase lock).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LibraryRow {
    /// Sequence number.
    pub seq: u64,
    /// The stored record hash.
    pub record_sha256: String,
    /// The stored chain value after this row.
    pub chain_sha256: String,
    /// What is stored for it.
    pub held: HeldAs,
}

/// What a restore does with one archive item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// A new row past the library's head.
    Add,
    /// Replace the library's placeholder row with what the archive has.
    Fill,
}

/// One planned change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlannedItem {
    /// Sequence number.
    pub seq: u64,
    /// Add or fill.
    pub action: Action,
    /// How the archive holds it.
    pub status: ItemStatus,
    /// The record hash (from the verified ledger).
    pub record_sha256: String,
    /// The chain value after it.
    pub chain_sha256: String,
}

/// The plan of a restore.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// Why the restore is refused (nothing may be changed), when it is.
    pub refusal: Option<String>,
    /// The changes, in sequence order (empty when refused or when nothing is new).
    pub items: Vec<PlannedItem>,
    /// Items in the archive's ledger.
    pub archive_items: u64,
    /// Items in the library before the restore.
    pub library_items: u64,
    /// Archive items the library already holds and keeps as they are.
    pub unchanged: u64,
    /// The library's head after the restore (the archive's head when it is longer).
    pub head_after: Option<String>,
}

impl Plan {
    fn refused(archive: &LedgerFile, library: &[LibraryRow], why: String) -> Plan {
        Plan {
            refusal: Some(why),
            items: Vec::new(),
            archive_items: archive.entries.len() as u64,
            library_items: library.len() as u64,
            unchanged: 0,
            head_after: library.last().map(|r| r.chain_sha256.clone()),
        }
    }
}

/// Plan restoring `archive` (a verified `ledger.json`) into a library holding `library`
/// (its rows, in sequence order from 0). Never panics; a refusal says why in plain words.
pub fn plan(archive: &LedgerFile, library: &[LibraryRow]) -> Plan {
    for (i, row) in library.iter().enumerate() {
        if row.seq != i as u64 {
            return Plan::refused(
                archive,
                library,
                format!("This library's own history has a gap at item {i}: run “Check integrity” first. Nothing was changed."),
            );
        }
    }
    let common = archive.entries.len().min(library.len());
    if let Some(i) = (0..common).find(|&i| {
        let (a, l) = (&archive.entries[i], &library[i]);
        a.record_sha256 != l.record_sha256 || a.chain_sha256 != l.chain_sha256
    }) {
        return Plan::refused(
            archive,
            library,
            format!(
                "This archive comes from another history: its item {i} is not this library's item {i}. Restoring it would fork the library's chain, so nothing was changed. An archive can be restored into an empty library, or into the library whose history it continues."
            ),
        );
    }
    let mut items = Vec::new();
    let mut unchanged = 0u64;
    for (i, e) in archive.entries.iter().enumerate() {
        let item = |action| PlannedItem {
            seq: e.seq,
            action,
            status: e.status,
            record_sha256: e.record_sha256.clone(),
            chain_sha256: e.chain_sha256.clone(),
        };
        match library.get(i).map(|r| r.held) {
            None => items.push(item(Action::Add)),
            Some(HeldAs::Withheld) if e.status != ItemStatus::Withheld => {
                items.push(item(Action::Fill))
            }
            Some(_) => unchanged += 1,
        }
    }
    let head_after = if archive.entries.len() > library.len() {
        Some(archive.head.clone())
    } else {
        library.last().map(|r| r.chain_sha256.clone())
    };
    Plan {
        refusal: None,
        items,
        archive_items: archive.entries.len() as u64,
        library_items: library.len() as u64,
        unchanged,
        head_after,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
