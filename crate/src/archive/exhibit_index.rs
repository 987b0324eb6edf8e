//! The `exhibits` section of `manifest.json`: the initials used, every ledger item's
//! exhibit reference (withheld and removed items too, so gaps in the numbering are
//! explained), and which `exhibits/` file copies which artifact. Built by the archive
//! builder, checked by the verifier (`verify_exhibits.rs`).

use crate::exhibits::{self, PlannedExhibit};
use serde::{Deserialize, Serialize};

/// One file under `exhibits/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExhibitFile {
    /// Path inside the archive (`exhibits/JM-1 … .png`).
    pub path: String,
    /// The name of the item's artifact it is a byte-identical copy of.
    pub artifact: String,
}

/// One ledger item's exhibit entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExhibitItem {
    /// The item's sequence number.
    pub seq: u64,
    /// Its exhibit reference (`JM/1` is item 0).
    pub reference: String,
    /// Its files under `exhibits/` (none for withheld and removed items).
    pub files: Vec<ExhibitFile>,
}

/// The `exhibits` section of the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExhibitIndex {
    /// The initials the references use, if any.
    pub initials: Option<String>,
    /// Every ledger item, in sequence order.
    pub items: Vec<ExhibitItem>,
}

impl ExhibitIndex {
    /// The index for `total` ledger items with `initials`, given each included item's
    /// planned files as `(seq, file)`.
    pub fn build(initials: Option<&str>, total: u64, planned: &[(u64, PlannedExhibit)]) -> Self {
        let initials = exhibits::clean_initials(initials);
        let mut by_seq: std::collections::BTreeMap<u64, Vec<ExhibitFile>> = Default::default();
        for (seq, p) in planned {
            by_seq.entry(*seq).or_default().push(ExhibitFile {
                path: p.path.clone(),
                artifact: p.artifact.name.clone(),
            });
        }
        let items = (0..total)
            .map(|seq| ExhibitItem {
                seq,
                reference: exhibits::reference(initials.as_deref(), seq),
                files: by_seq.remove(&seq).unwrap_or_default(),
            })
            .collect();
        ExhibitIndex { initials, items }
    }

    /// The reference of item `seq`, if listed.
    pub fn reference_of(&self, seq: u64) -> Option<&str> {
        self.items
            .iter()
            .find(|i| i.seq == seq)
            .map(|i| i.reference.as_str())
    }
}
