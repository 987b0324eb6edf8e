//! The verifier's working state, shared by its two halves: `verify.rs` (the pass over the
//! ZIP, the index files and the file rows) and `verify_items.rs` (the chain and the items).

use super::index::{LedgerFile, Manifest};
use super::verdict::Report;
use std::collections::BTreeMap;

/// What one pass over an entry found.
pub(super) enum Seen {
    /// Read in full: byte count and SHA-256.
    Read { bytes: u64, sha256: String },
    /// Unreadable: why.
    Broken(String),
}

/// The result of the one pass over every entry.
pub(super) struct Pass {
    /// What was found for each entry, by path.
    pub(super) seen: BTreeMap<String, Seen>,
    /// The bytes of the index files and records, kept for parsing.
    pub(super) kept: BTreeMap<String, Vec<u8>>,
    /// Entries whose DEFLATE stream is not what our writer produces for their content.
    pub(super) recompressed_differently: Vec<String>,
}

/// The verifier: the report being filled and what the pass found.
pub(super) struct Verifier {
    /// The report being filled.
    pub(super) report: Report,
    /// What the pass over the ZIP found.
    pub(super) pass: Pass,
    /// `manifest.json`, when it parsed.
    pub(super) manifest: Option<Manifest>,
    /// `SHA256SUMS` as path to hash, when it parsed.
    pub(super) sums: Option<BTreeMap<String, String>>,
    /// `ledger.json`, when it parsed.
    pub(super) ledger: Option<LedgerFile>,
}
