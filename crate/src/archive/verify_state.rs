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
    pub(super) seen: BTreeMap<String, Seen>,
    pub(super) kept: BTreeMap<String, Vec<u8>>,
    /// Entries whose DEFLATE stream is not what our writer produces for their content.
    pub(super) recompressed_differently: Vec<String>,
}

/// The verifier: the report being filled and what the pass found.
pub(super) struct Verifier {
    pub(super) report: Report,
    pub(super) pass: Pass,
    pub(super) manifest: Option<Manifest>,
    pub(super) sums: Option<BTreeMap<String, String>>,
    pub(super) ledger: Option<LedgerFile>,
}
