//! The typed evidence model: what a record's `metadata` holds for each kind of item,
//! and the short summaries the library's timeline shows.
//!
//! **Bytes stay as they were.** Before this model, metadata was built as a
//! `serde_json::Value`, whose objects serialise with their keys in sorted order. Every
//! type here serialises through a `Value` too, so a record sealed today has exactly the
//! bytes (and so the hash) that the same input gave before.
//!
//! **Every stored record still parses.** A record's metadata is read by its kind. It is
//! typed only when the typed form gives back exactly the JSON that is stored (unknown
//! keys are kept in `extra`); anything else — hand-made records, shapes from other
//! writers — is kept untouched as [`Metadata::Unrecognised`], as readers before the model
//! kept every JSON value.

use crate::record::{ArtifactRef, Kind};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

/// A record's kind-specific metadata.
#[derive(Debug, Clone, PartialEq)]
pub enum Metadata {
    /// A captured web page: the summary of its `metadata.json`.
    Capture(CaptureSummary),
    /// A diary entry about an offline incident.
    Incident(Box<IncidentMetadata>),
    /// A note or correction to an earlier item.
    Amendment(AmendmentMetadata),
    /// A tombstone for an earlier item whose content was deleted.
    Removal(RemovalMetadata),
    /// A file added as evidence (`crate::import`).
    Import(Box<crate::import::ImportMetadata>),
    /// Metadata this build does not recognise for the record's kind, kept as stored.
    Unrecognised(Value),
}

/// Serialise `v` through a `serde_json::Value`: object keys come out sorted, exactly as
/// the `json!`-built metadata of earlier builds did.
pub(crate) fn serialize_via_value<T: Serialize, S: Serializer>(
    v: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serde_json::to_value(v)
        .map_err(serde::ser::Error::custom)?
        .serialize(serializer)
}

/// `T` parsed from `value` only if it serialises back to exactly `value`.
fn lossless<T: DeserializeOwned + Serialize>(value: &Value) -> Option<T> {
    let typed = T::deserialize(value).ok()?;
    (serde_json::to_value(&typed).ok()? == *value).then_some(typed)
}

impl Metadata {
    /// Read stored metadata of a record of `kind` (never fails: see the module docs).
    pub fn from_value(kind: Kind, value: Value) -> Metadata {
        let typed = match kind {
            Kind::Capture => lossless(&value).map(Metadata::Capture),
            Kind::Incident => lossless(&value).map(|m| Metadata::Incident(Box::new(m))),
            Kind::Amendment => lossless(&value).map(Metadata::Amendment),
            Kind::Removal => lossless(&value).map(Metadata::Removal),
            Kind::Import => lossless(&value).map(|m| Metadata::Import(Box::new(m))),
        };
        typed.unwrap_or(Metadata::Unrecognised(value))
    }

    /// The metadata as a JSON value (what is serialised into the record).
    pub fn to_value(&self) -> Value {
        let v = match self {
            Metadata::Capture(m) => serde_json::to_value(m),
            Metadata::Incident(m) => serde_json::to_value(m),
            Metadata::Amendment(m) => serde_json::to_value(m),
            Metadata::Removal(m) => serde_json::to_value(m),
            Metadata::Import(m) => serde_json::to_value(m),
            Metadata::Unrecognised(v) => return v.clone(),
        };
        // These types hold only strings, whole numbers, booleans and string-keyed maps:
        // turning them into a `Value` cannot fail.
        v.unwrap_or(Value::Null)
    }

    /// The kind this metadata belongs to (`None` when unrecognised).
    pub fn kind(&self) -> Option<Kind> {
        match self {
            Metadata::Capture(_) => Some(Kind::Capture),
            Metadata::Incident(_) => Some(Kind::Incident),
            Metadata::Amendment(_) => Some(Kind::Amendment),
            Metadata::Removal(_) => Some(Kind::Removal),
            Metadata::Import(_) => Some(Kind::Import),
            Metadata::Unrecognised(_) => None,
        }
    }

    /// For a removal: the item whose content it deletes, with the hashes that stay.
    pub fn removal_target(&self) -> Option<&RemovalTarget> {
        match self {
            Metadata::Removal(m) => Some(&m.target),
            _ => None,
        }
    }

    /// For an amendment: the item it adds to or corrects.
    pub fn amendment_target(&self) -> Option<&TargetRef> {
        match self {
            Metadata::Amendment(m) => Some(&m.target),
            _ => None,
        }
    }

    /// The title the builders gave the item, when there is one.
    pub fn title(&self) -> Option<&str> {
        match self {
            Metadata::Capture(m) => m.title.as_deref(),
            Metadata::Incident(m) => Some(&m.title),
            Metadata::Amendment(m) => Some(&m.title),
            Metadata::Removal(m) => Some(&m.title),
            Metadata::Import(m) => Some(&m.title),
            Metadata::Unrecognised(v) => v.get("title").and_then(Value::as_str),
        }
    }
}

impl Serialize for Metadata {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Metadata::Capture(m) => serialize_via_value(m, serializer),
            Metadata::Incident(m) => serialize_via_value(m, serializer),
            Metadata::Amendment(m) => serialize_via_value(m, serializer),
            Metadata::Removal(m) => serialize_via_value(m, serializer),
            Metadata::Import(m) => serialize_via_value(m, serializer),
            Metadata::Unrecognised(v) => v.serialize(serializer),
        }
    }
}

impl From<Value> for Metadata {
    /// Raw JSON, sealed as given (tests and hand-made records).
    fn from(v: Value) -> Self {
        Metadata::Unrecognised(v)
    }
}

/// A capture's record metadata: enough for a timeline row without opening artifacts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaptureSummary {
    /// Distinct visible authors, "Name (@handle)", at most 10.
    pub authors: Vec<String>,
    /// The first visible message's text (or the page title), at most 200 characters.
    pub excerpt: String,
    /// How many visible messages were read.
    pub message_count: u64,
    /// Parts that could not be captured, with the reason.
    pub missing: Vec<String>,
    /// Platform key (`x`, `generic`, ...).
    pub platform: String,
    /// The page's host name.
    pub site: Option<String>,
    /// The page title.
    pub title: Option<String>,
    /// The tab's URL.
    pub url: String,
    /// `conversation` or `page` for a long capture; absent for one screen (so the records
    /// of earlier builds read, and one-screen records serialise, unchanged).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Keys this build does not know, kept as stored.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One attached file as an incident's or amendment's metadata lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentMeta {
    /// Exact byte count.
    pub bytes: u64,
    /// Cleaned media type.
    pub media_type: String,
    /// The artifact name inside the item (`01-photo.jpg`).
    pub name: String,
    /// The file's name on the user's device.
    pub original_name: String,
    /// Lowercase hex SHA-256 of the file.
    pub sha256: String,
}

/// The person involved in an incident.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Person {
    /// Name, if known.
    pub name: Option<String>,
    /// What they looked like, what they wore, their vehicle.
    pub description: Option<String>,
}

/// Whether and how the incident was reported to the police.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Police {
    /// True when it was reported.
    pub reported: bool,
    /// Crime or incident reference number.
    pub reference: Option<String>,
    /// Officer's name or number.
    pub officer: Option<String>,
}

/// What the user said about an incident, cleaned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentDetails {
    /// How it affected the user.
    pub effect: Option<String>,
    /// Where it happened.
    pub location: Option<String>,
    /// When it happened, RFC 3339 with the offset it was entered in (seconds).
    pub occurred_at: String,
    /// The same instant in UTC with milliseconds.
    pub occurred_at_utc: String,
    /// Who was involved.
    pub person: Person,
    /// Police report details.
    pub police: Police,
    /// The incident type id (see [`crate::diary::INCIDENT_TYPES`]).
    #[serde(rename = "type")]
    pub incident_type: String,
    /// The user's own words when the type is `other`.
    pub type_other: Option<String>,
    /// What happened, in the user's words.
    pub what_happened: String,
    /// Who saw it.
    pub witnesses: Option<String>,
}

/// An incident record's metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentMetadata {
    /// The attached files.
    pub attachments: Vec<AttachmentMeta>,
    /// The person's name, when given (at most one).
    pub authors: Vec<String>,
    /// Entry time in the user's local offset, RFC 3339 with milliseconds.
    pub entered_at: String,
    /// The start of what happened, flattened, at most 200 characters.
    pub excerpt: String,
    /// The incident itself.
    pub incident: IncidentDetails,
    /// Always `null` for incidents (kept for the timeline's shape).
    pub site: Option<String>,
    /// The type's label (and the user's words for `other`).
    pub title: String,
    /// Keys this build does not know, kept as stored.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The item an amendment points to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetRef {
    /// The target's sequence number.
    pub seq: u64,
    /// The target's id.
    pub id: String,
    /// The target's record hash.
    pub record_sha256: String,
}

/// An amendment record's metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AmendmentMetadata {
    /// The attached files.
    pub attachments: Vec<AttachmentMeta>,
    /// True when it corrects the target rather than adds to it.
    pub correction: bool,
    /// Entry time in the user's local offset, RFC 3339 with milliseconds.
    pub entered_at: String,
    /// The start of the note (or how many files were added).
    pub excerpt: String,
    /// The note, in the user's words ("" when only files were added).
    pub note: String,
    /// The item it adds to.
    pub target: TargetRef,
    /// "Note added to item N" or "Correction to item N".
    pub title: String,
    /// Keys this build does not know, kept as stored.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The item whose content a removal deletes, with the hashes that stay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemovalTarget {
    /// The target's sequence number.
    pub seq: u64,
    /// The target's id.
    pub id: String,
    /// The target's record hash (kept in the chain).
    pub record_sha256: String,
    /// The target's kind.
    pub kind: Kind,
    /// The target's artifacts, with their hashes.
    pub artifacts: Vec<ArtifactRef>,
}

/// A removal record's metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RemovalMetadata {
    /// Entry time in the user's local offset, RFC 3339 with milliseconds.
    pub entered_at: String,
    /// The start of the reason, or "No reason given".
    pub excerpt: String,
    /// Why, in the user's words ("" when none was given).
    pub reason: String,
    /// The removed item and its hashes.
    pub target: RemovalTarget,
    /// "Content of item N removed".
    pub title: String,
    /// Keys this build does not know, kept as stored.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The short summary a builder returns for the library's timeline (not in the record,
/// except for captures, whose record metadata is this summary).
#[derive(Debug, Clone, PartialEq)]
pub enum Summary {
    /// A capture's summary (also its record metadata).
    Capture(CaptureSummary),
    /// A diary entry's summary.
    Incident(IncidentSummary),
    /// A note's or correction's summary.
    Amendment(AmendmentSummary),
    /// A removal's summary.
    Removal(RemovalSummary),
}

impl Serialize for Summary {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Summary::Capture(s) => serialize_via_value(s, serializer),
            Summary::Incident(s) => serialize_via_value(s, serializer),
            Summary::Amendment(s) => serialize_via_value(s, serializer),
            Summary::Removal(s) => serialize_via_value(s, serializer),
        }
    }
}

/// A diary entry's timeline summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentSummary {
    /// How many files are attached.
    pub attachment_count: u64,
    /// The person's name, when given.
    pub authors: Vec<String>,
    /// The start of what happened.
    pub excerpt: String,
    /// The incident type id.
    pub incident_type: String,
    /// Where it happened.
    pub location: Option<String>,
    /// When it happened, with the offset it was entered in.
    pub occurred_at: String,
    /// When it happened, UTC.
    pub occurred_at_utc: String,
    /// Always `null`.
    pub site: Option<String>,
    /// The entry's title.
    pub title: String,
    /// The type's label as the UI shows it.
    pub type_label: String,
}

/// A note's or correction's timeline summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AmendmentSummary {
    /// How many files are attached.
    pub attachment_count: u64,
    /// Always empty.
    pub authors: Vec<String>,
    /// True for a correction.
    pub correction: bool,
    /// The start of the note.
    pub excerpt: String,
    /// Always `null`.
    pub site: Option<String>,
    /// The target's sequence number.
    pub target_seq: u64,
    /// The entry's title.
    pub title: String,
}

/// A removal's timeline summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovalSummary {
    /// Always empty.
    pub authors: Vec<String>,
    /// The start of the reason.
    pub excerpt: String,
    /// Always `null`.
    pub site: Option<String>,
    /// The removed item's kind.
    pub target_kind: Kind,
    /// The removed item's sequence number.
    pub target_seq: u64,
    /// The entry's title.
    pub title: String,
}

#[cfg(test)]
#[path = "metadata_tests.rs"]
mod tests;
