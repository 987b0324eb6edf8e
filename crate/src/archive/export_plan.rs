//! What the archive builder (`builder.rs`) is given and what it answers: the export's
//! facts, the plan of ledger items, what it needs next, and what it wrote. All
//! serde-derived with camelCase keys, as they cross the WASM boundary.

use super::index::{ItemCounts, ItemStatus};
use serde::{Deserialize, Serialize};

/// The export's facts, supplied by the caller (the core never reads the clock).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArchiveMeta {
    /// The extension's version.
    pub tool_version: String,
    /// When the export was made, in milliseconds since the Unix epoch.
    pub created_at_ms: i64,
    /// Who exported, if they chose to say.
    #[serde(default)]
    pub exported_by: Option<String>,
    /// The exporter's local offset in minutes east of UTC (for `report.html`).
    #[serde(default)]
    pub local_offset_minutes: i32,
    /// The producer's initials for exhibit references (`JM` gives `JM/1`…); without
    /// them references are plain numbers. See [`crate::exhibits`].
    #[serde(default)]
    pub initials: Option<String>,
    /// What the person exporting typed for `statement.html` (their name and account).
    #[serde(default)]
    pub statement: Option<crate::statement::StatementParts>,
}

/// One ledger item of the plan, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanItem {
    /// Sequence number; item `i` of the plan must have seq `i`.
    pub seq: u64,
    /// SHA-256 of the record's bytes.
    pub record_sha256: String,
    /// The stored chain value after this item.
    pub chain_sha256: String,
    /// Whether the item's files go into the archive.
    pub status: ItemStatus,
}

/// An artifact the builder needs next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactNeed {
    /// The item's sequence number.
    pub seq: u64,
    /// The artifact's name in its record (and in the item's folder).
    pub name: String,
    /// Its path inside the archive.
    pub path: String,
    /// The SHA-256 its record lists (content-addressed storage key).
    pub sha256: String,
    /// The byte count its record lists.
    pub bytes: u64,
    /// True when the entry is stored uncompressed: feed it with
    /// [`super::ArchiveBuilder::stored_chunk`] and emit the chunks yourself.
    pub stored: bool,
}

/// What the builder needs next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Need {
    /// The exact stored bytes of item `seq`'s record: [`super::ArchiveBuilder::put_record`].
    Record {
        /// The item's sequence number.
        seq: u64,
    },
    /// One artifact's bytes: [`super::ArchiveBuilder::begin_artifact`], chunks,
    /// [`super::ArchiveBuilder::end_artifact`].
    Artifact(ArtifactNeed),
    /// Nothing more: call [`super::ArchiveBuilder::finish`].
    Done,
}

/// What a finished export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportDone {
    /// The ledger head (chain value after the last item; genesis when empty).
    pub head: String,
    /// Item counts by status.
    pub counts: ItemCounts,
    /// Total archive size in bytes.
    pub archive_bytes: u64,
    /// The archive fingerprint: SHA-256 (lowercase hex) of the `manifest.json` bytes
    /// written. To be sent separately, like the head: `evidence-verify --fingerprint`
    /// and the verify page check it, and it binds every file and item status.
    pub fingerprint: String,
}

/// The report's word for an item's export status.
pub(super) fn status_name(s: super::index::ItemStatus) -> &'static str {
    use super::index::ItemStatus;
    match s {
        ItemStatus::Included => "included",
        ItemStatus::Withheld => "withheld",
        ItemStatus::Removed => "removed",
    }
}
