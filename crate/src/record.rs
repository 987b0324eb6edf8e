//! Evidence records: one JSON document per evidence item.
//!
//! A record is sealed once: its exact serialised bytes are hashed and those same bytes
//! are stored and exported ("hash the bytes you store, and store the bytes you hash").
//! Readers parse stored bytes but never re-serialise them for hashing.

use crate::error::{Error, Result};
use crate::hash::{is_digest, sha256_hex, to_hex};
use crate::metadata::Metadata;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

/// The record format this build writes and reads. Bump on any incompatible change.
pub const RECORD_FORMAT: &str = "evidence-record/1";

/// The `prev_record_sha256` of the first record: 32 zero bytes in hex.
pub fn genesis_hex() -> String {
    to_hex(&[0u8; 32])
}

/// What kind of evidence item a record describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A captured web page.
    Capture,
    /// A diary entry about an offline incident.
    Incident,
    /// A note or correction to an earlier item, which stays unchanged.
    Amendment,
    /// A tombstone: an earlier item's content was deleted; its hashes are kept.
    Removal,
    /// A file the user added as evidence (photo, screenshot, recording, PDF...): the
    /// chain of custody starts at the import (`crate::import`).
    Import,
}

/// One artifact listed in a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArtifactRef {
    /// File name inside the item, e.g. `screenshot.png`.
    pub name: String,
    /// Media type, e.g. `image/png`.
    pub media_type: String,
    /// Exact byte count.
    pub bytes: u64,
    /// Lowercase hex SHA-256 of the bytes.
    pub sha256: String,
}

/// A sealed record as serialised. Field order is the serialisation order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "RecordJson")]
pub struct Record {
    /// Always [`RECORD_FORMAT`] for records this build writes.
    pub format: String,
    /// Position in the ledger, from 0.
    pub seq: u64,
    /// Random item identifier (chosen by the caller).
    pub id: String,
    /// Item kind.
    pub kind: Kind,
    /// When the item was captured or entered, UTC, RFC 3339 with milliseconds.
    pub captured_at: String,
    /// The user's local UTC offset at that moment, in minutes east of UTC.
    pub local_offset_minutes: i32,
    /// The IANA time-zone name the browser reported, when known.
    pub time_zone: Option<String>,
    /// SHA-256 of the previous record's bytes (genesis: 64 zeros).
    pub prev_record_sha256: String,
    /// The item's artifacts, each with its hash.
    pub artifacts: Vec<ArtifactRef>,
    /// Kind-specific metadata, read by `kind`.
    pub metadata: Metadata,
}

/// A record as stored, before its metadata is read by its kind.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordJson {
    format: String,
    seq: u64,
    id: String,
    kind: Kind,
    captured_at: String,
    local_offset_minutes: i32,
    time_zone: Option<String>,
    prev_record_sha256: String,
    artifacts: Vec<ArtifactRef>,
    metadata: serde_json::Value,
}

impl From<RecordJson> for Record {
    fn from(r: RecordJson) -> Self {
        Record {
            metadata: Metadata::from_value(r.kind, r.metadata),
            format: r.format,
            seq: r.seq,
            id: r.id,
            kind: r.kind,
            captured_at: r.captured_at,
            local_offset_minutes: r.local_offset_minutes,
            time_zone: r.time_zone,
            prev_record_sha256: r.prev_record_sha256,
            artifacts: r.artifacts,
        }
    }
}

/// Everything needed to seal a record except its place in the ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "DraftJson")]
pub struct RecordDraft {
    /// Random item identifier.
    pub id: String,
    /// Item kind.
    pub kind: Kind,
    /// Capture time in milliseconds since the Unix epoch (read by the caller).
    pub captured_at_ms: i64,
    /// Local offset in minutes east of UTC.
    pub local_offset_minutes: i32,
    /// IANA zone name, when known.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Artifacts, already hashed.
    pub artifacts: Vec<ArtifactRef>,
    /// Kind-specific metadata, read by `kind`.
    pub metadata: Metadata,
}

/// A draft as the extension passes it, before its metadata is read by its kind.
#[derive(Deserialize)]
struct DraftJson {
    id: String,
    kind: Kind,
    captured_at_ms: i64,
    local_offset_minutes: i32,
    #[serde(default)]
    time_zone: Option<String>,
    artifacts: Vec<ArtifactRef>,
    metadata: serde_json::Value,
}

impl From<DraftJson> for RecordDraft {
    fn from(d: DraftJson) -> Self {
        RecordDraft {
            metadata: Metadata::from_value(d.kind, d.metadata),
            id: d.id,
            kind: d.kind,
            captured_at_ms: d.captured_at_ms,
            local_offset_minutes: d.local_offset_minutes,
            time_zone: d.time_zone,
            artifacts: d.artifacts,
        }
    }
}

/// A record together with the exact bytes that were hashed.
#[derive(Debug, Clone, PartialEq)]
pub struct SealedRecord {
    /// The parsed record.
    pub record: Record,
    /// The serialised bytes: store and export exactly these.
    pub bytes: Vec<u8>,
    /// Lowercase hex SHA-256 of `bytes`.
    pub sha256: String,
}

/// Format a millisecond Unix time as RFC 3339 UTC with milliseconds.
pub fn utc_string(ms: i64) -> Result<String> {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Millis, true))
        .ok_or_else(|| Error::InvalidInput(format!("time out of range: {ms} ms")))
}

/// Seal a draft as record number `seq`, linked to the previous record's hash.
pub fn seal(draft: &RecordDraft, seq: u64, prev_record_sha256: &str) -> Result<SealedRecord> {
    if !is_digest(prev_record_sha256) {
        return Err(Error::InvalidInput(
            "previous record hash is not a SHA-256 digest".into(),
        ));
    }
    if seq == 0 && prev_record_sha256 != genesis_hex() {
        return Err(Error::BrokenChain(
            "record 0 must follow the genesis value".into(),
        ));
    }
    let record = Record {
        format: RECORD_FORMAT.to_string(),
        seq,
        id: draft.id.clone(),
        kind: draft.kind,
        captured_at: utc_string(draft.captured_at_ms)?,
        local_offset_minutes: draft.local_offset_minutes,
        time_zone: draft.time_zone.clone(),
        prev_record_sha256: prev_record_sha256.to_string(),
        artifacts: draft.artifacts.clone(),
        metadata: draft.metadata.clone(),
    };
    validate(&record)?;
    let bytes = serde_json::to_vec_pretty(&record)
        .map_err(|e| Error::InvalidInput(format!("record does not serialise: {e}")))?;
    let sha256 = sha256_hex(&bytes);
    Ok(SealedRecord {
        record,
        bytes,
        sha256,
    })
}

/// Parse stored record bytes and check their shape. The hash is the caller's to compare.
pub fn parse(bytes: &[u8]) -> Result<Record> {
    #[derive(Deserialize)]
    struct Probe {
        format: Option<serde_json::Value>,
    }
    let probe: Probe = serde_json::from_slice(bytes)
        .map_err(|e| Error::InvalidInput(format!("record is not JSON: {e}")))?;
    match probe.format {
        Some(serde_json::Value::String(f)) if f == RECORD_FORMAT => {}
        Some(other) => return Err(Error::UnsupportedVersion(other.to_string())),
        None => return Err(Error::InvalidInput("record has no format field".into())),
    }
    let record: Record = serde_json::from_slice(bytes)
        .map_err(|e| Error::InvalidInput(format!("record has the wrong shape: {e}")))?;
    validate(&record)?;
    Ok(record)
}

/// Check the invariants every record must satisfy.
pub fn validate(record: &Record) -> Result<()> {
    if record.format != RECORD_FORMAT {
        return Err(Error::UnsupportedVersion(record.format.clone()));
    }
    if let Some(kind) = record.metadata.kind() {
        if kind != record.kind {
            return Err(Error::InvalidInput(format!(
                "a {:?} record cannot hold {kind:?} metadata",
                record.kind
            )));
        }
    }
    if record.id.trim().is_empty() || record.id.len() > 200 {
        return Err(Error::InvalidInput(
            "record id must be 1 to 200 characters".into(),
        ));
    }
    if !is_digest(&record.prev_record_sha256) {
        return Err(Error::InvalidInput(
            "prev_record_sha256 is not a SHA-256 digest".into(),
        ));
    }
    if DateTime::parse_from_rfc3339(&record.captured_at).is_err() {
        return Err(Error::InvalidInput(format!(
            "captured_at is not RFC 3339: {:?}",
            record.captured_at
        )));
    }
    if !(-16 * 60..=16 * 60).contains(&record.local_offset_minutes) {
        return Err(Error::InvalidInput(format!(
            "local offset {} minutes is not a real UTC offset",
            record.local_offset_minutes
        )));
    }
    let mut names = std::collections::BTreeSet::new();
    for a in &record.artifacts {
        validate_artifact_name(&a.name)?;
        if !names.insert(a.name.as_str()) {
            return Err(Error::InvalidInput(format!(
                "artifact name {:?} appears twice",
                a.name
            )));
        }
        if a.media_type.trim().is_empty() || a.media_type.len() > 200 {
            return Err(Error::InvalidInput(format!(
                "artifact {:?} has no media type",
                a.name
            )));
        }
        if !is_digest(&a.sha256) {
            return Err(Error::InvalidInput(format!(
                "artifact {:?} has a malformed sha256",
                a.name
            )));
        }
    }
    Ok(())
}

/// Artifact names become file names in exported archives: keep them plain.
pub fn validate_artifact_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 200
        && name != "."
        && name != ".."
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidInput(format!(
            "artifact name {name:?} must be 1-200 characters of A-Z a-z 0-9 . - _ and not start with a dot"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn draft() -> RecordDraft {
        RecordDraft {
            id: "item-1".into(),
            kind: Kind::Capture,
            captured_at_ms: 1_764_089_746_123,
            local_offset_minutes: 60,
            time_zone: Some("Europe/Berlin".into()),
            artifacts: vec![ArtifactRef {
                name: "screenshot.png".into(),
                media_type: "image/png".into(),
                bytes: 3,
                sha256: sha256_hex(b"png"),
            }],
            metadata: json!({"url": "https://x.com/a/status/1", "title": "ünïcödé ✓"}).into(),
        }
    }

    #[test]
    fn seal_then_parse_round_trips_and_hash_covers_bytes() {
        let sealed = seal(&draft(), 0, &genesis_hex()).expect("seals");
        assert_eq!(sealed.sha256, sha256_hex(&sealed.bytes));
        let parsed = parse(&sealed.bytes).expect("parses");
        assert_eq!(parsed, sealed.record);
        assert_eq!(parsed.captured_at, "2025-11-25T16:55:46.123Z");
        // Re-serialising gives the same bytes (deterministic), though readers never rely on it.
        let again = seal(&draft(), 0, &genesis_hex()).expect("seals");
        assert_eq!(again.bytes, sealed.bytes);
    }

    #[test]
    fn every_field_change_changes_the_hash() {
        let base = seal(&draft(), 0, &genesis_hex()).expect("seals").sha256;
        let mut d = draft();
        d.captured_at_ms += 1;
        assert_ne!(seal(&d, 0, &genesis_hex()).expect("seals").sha256, base);
        let mut d = draft();
        d.metadata = json!({"url": "https://x.com/a/status/2", "title": "ünïcödé ✓"}).into();
        assert_ne!(seal(&d, 0, &genesis_hex()).expect("seals").sha256, base);
        let prev = sha256_hex(b"other");
        assert_ne!(seal(&draft(), 1, &prev).expect("seals").sha256, base);
    }

    #[test]
    fn bad_drafts_are_refused() {
        type Mutation = Box<dyn Fn(&mut RecordDraft)>;
        let cases: Vec<(&str, Mutation)> = vec![
            ("empty id", Box::new(|d| d.id = " ".into())),
            (
                "path name",
                Box::new(|d| d.artifacts[0].name = "../x.png".into()),
            ),
            (
                "dot name",
                Box::new(|d| d.artifacts[0].name = ".hidden".into()),
            ),
            (
                "slash name",
                Box::new(|d| d.artifacts[0].name = "a/b.png".into()),
            ),
            (
                "bad hash",
                Box::new(|d| d.artifacts[0].sha256 = "00".into()),
            ),
            (
                "dup name",
                Box::new(|d| {
                    let a = d.artifacts[0].clone();
                    d.artifacts.push(a)
                }),
            ),
            (
                "no media type",
                Box::new(|d| d.artifacts[0].media_type = "".into()),
            ),
            ("offset", Box::new(|d| d.local_offset_minutes = 24 * 60)),
            ("time", Box::new(|d| d.captured_at_ms = i64::MAX)),
        ];
        for (label, mutate) in cases {
            let mut d = draft();
            mutate(&mut d);
            assert!(seal(&d, 0, &genesis_hex()).is_err(), "{label} accepted");
        }
        assert!(
            seal(&draft(), 0, &sha256_hex(b"x")).is_err(),
            "seq 0 off genesis"
        );
        assert!(seal(&draft(), 1, "nothex").is_err());
    }

    #[test]
    fn parse_refuses_hostile_bytes() {
        let sealed = seal(&draft(), 0, &genesis_hex()).expect("seals");
        let text = String::from_utf8(sealed.bytes.clone()).expect("utf8");
        let cases = [
            "".to_string(),
            "{".to_string(),
            "null".to_string(),
            "[]".to_string(),
            text.replace(RECORD_FORMAT, "evidence-record/9"),
            text.replace("\"seq\": 0", "\"seq\": -1"),
            text.replace("\"kind\": \"capture\"", "\"kind\": \"other\""),
            text.replacen('{', "{\"extra\": 1,", 1),
            text[..text.len() / 2].to_string(),
        ];
        for c in cases {
            assert!(parse(c.as_bytes()).is_err(), "accepted {c:?}");
        }
        assert!(matches!(
            parse(text.replace(RECORD_FORMAT, "evidence-record/9").as_bytes()),
            Err(Error::UnsupportedVersion(_))
        ));
    }
}
