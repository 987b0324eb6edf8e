//! Fixtures that the unit tests of several modules share (test builds only).

use crate::entries::{AttachmentInput, EntryContext};
use crate::hash::sha256_hex;
use crate::record::{ArtifactRef, Kind, RecordDraft};

/// 2026-11-25T17:02:11.000Z, entered in London in winter (UTC+0).
pub(crate) const ENTRY_CTX: EntryContext = EntryContext {
    entered_at_ms: 1_795_626_131_000,
    local_offset_minutes: 0,
};

/// An attached file of 12 bytes whose hash is that of its name.
pub(crate) fn attachment(name: &str, mt: &str) -> AttachmentInput {
    AttachmentInput {
        original_name: name.into(),
        media_type: mt.into(),
        bytes: 12,
        sha256: sha256_hex(name.as_bytes()),
    }
}

/// A capture's draft with one 10-byte `screenshot.png` (hash ab…ab) and empty metadata.
pub(crate) fn screenshot_capture(
    id: &str,
    captured_at_ms: i64,
    local_offset_minutes: i32,
    time_zone: Option<&str>,
) -> RecordDraft {
    RecordDraft {
        id: id.into(),
        kind: Kind::Capture,
        captured_at_ms,
        local_offset_minutes,
        time_zone: time_zone.map(Into::into),
        artifacts: vec![ArtifactRef {
            name: "screenshot.png".into(),
            media_type: "image/png".into(),
            bytes: 10,
            sha256: "ab".repeat(32),
        }],
        metadata: serde_json::json!({}).into(),
    }
}
