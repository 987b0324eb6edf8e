//! The one browser boundary: the wasm-bindgen exports the extension calls.
//!
//! Every export converts its arguments (serde-derived types, through serde-wasm-bindgen),
//! calls the core, and converts the answer back; no evidence rule lives here. Core errors
//! become JS `Error` objects whose `name` is the variant name and whose `code` is the
//! stable code (`INVALID_INPUT`, `HASH_MISMATCH`, `STORAGE_DAMAGED`, ...). Keys are
//! camelCase (see [`convert`]); evidence documents keep their stored keys.

mod archive;
mod checksum;
mod conversation;
mod convert;
mod import;
mod restore;
mod tsp;

pub use archive::{verify_archive, JsArchiveBuilder, JsLibraryChecker};
pub use checksum::{JsChecksumStream, JsCrcStream};
pub use conversation::{locate_message, step_message_times};
use convert::{from_js, js_error, to_js, Bytes};
pub use import::{build_import, exif_prefix_bytes, read_chat_file, read_exif};
pub use restore::{JsArchiveRestore, JsBackupWriter};
pub use tsp::{device_key_info, tsa_check, tsa_request};

use crate::error::Error;
use crate::hash::StreamHasher;
use crate::ledger::{self, ChainHead};
use crate::record::{self, Record, RecordDraft};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Incremental SHA-256. Feed it in slices: short calls let V8 swap in optimised code
/// between slices (a single long call stays in the baseline tier).
#[wasm_bindgen]
pub struct Hasher {
    inner: Option<StreamHasher>,
}

fn finished() -> JsValue {
    js_error(Error::InvalidInput(
        "this hasher is already finished".into(),
    ))
}

#[wasm_bindgen]
impl Hasher {
    /// A fresh hasher.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Hasher {
        Hasher {
            inner: Some(StreamHasher::new()),
        }
    }

    /// Feed the next slice.
    pub fn update(&mut self, bytes: &[u8]) -> Result<(), JsValue> {
        self.inner.as_mut().ok_or_else(finished)?.update(bytes);
        Ok(())
    }

    /// Finish (lowercase hex); the hasher cannot be fed afterwards.
    pub fn finish(&mut self) -> Result<String, JsValue> {
        self.inner
            .take()
            .map(StreamHasher::finish_hex)
            .ok_or_else(finished)
    }
}

impl Default for Hasher {
    fn default() -> Self {
        Self::new()
    }
}

/// What `buildCapture` answers.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BuiltCaptureJs {
    metadata_json: Bytes,
    summary: crate::metadata::CaptureSummary,
}

/// Build `metadata.json` bytes and the record summary from the content script's raw
/// result (or `null`) and the service worker's capture context:
/// `{metadataJson: Uint8Array, summary}`.
#[wasm_bindgen(js_name = buildCapture)]
pub fn build_capture(raw: JsValue, ctx: JsValue) -> Result<JsValue, JsValue> {
    let raw: serde_json::Value = if raw.is_null() || raw.is_undefined() {
        serde_json::Value::Null
    } else {
        from_js(raw, "page facts")?
    };
    let ctx = from_js(ctx, "capture context")?;
    let built = crate::capture::build(&raw, &ctx).map_err(js_error)?;
    to_js(&BuiltCaptureJs {
        metadata_json: Bytes(built.metadata.to_json_bytes().map_err(js_error)?),
        summary: built.summary,
    })
}

/// What `buildLongCapture` answers.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BuiltLongCaptureJs {
    metadata_json: Bytes,
    segments_json: Bytes,
    summary: crate::metadata::CaptureSummary,
    messages: usize,
    segments: usize,
}

/// Build a conversation or page capture (issue 11): the final page facts (or `null`),
/// the sweep `{scope, steps, stitched, complete, stop_reason, older_end_reached, limits}`
/// and the capture context. Returns `{metadataJson, segmentsJson, summary, messages,
/// segments}` (the merged message count and the screen count).
#[wasm_bindgen(js_name = buildLongCapture)]
pub fn build_long_capture(raw: JsValue, input: JsValue, ctx: JsValue) -> Result<JsValue, JsValue> {
    let raw: serde_json::Value = if raw.is_null() || raw.is_undefined() {
        serde_json::Value::Null
    } else {
        from_js(raw, "page facts")?
    };
    let input = from_js(input, "long capture")?;
    let ctx = from_js(ctx, "capture context")?;
    let built = crate::conversation::build(&raw, &input, &ctx).map_err(js_error)?;
    to_js(&BuiltLongCaptureJs {
        metadata_json: Bytes(built.metadata.to_json_bytes().map_err(js_error)?),
        segments_json: Bytes(built.segments_bytes().map_err(js_error)?),
        messages: built.metadata.messages.len(),
        segments: built.segments.screens.len(),
        summary: built.summary,
    })
}

/// What `sealRecord` answers.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SealedJs {
    bytes: Bytes,
    record_sha256: String,
    chain_sha256: String,
    record: Record,
}

/// Seal a record draft as the item right after `head` (the stored head `{seq,
/// recordSha256, chainSha256}`; `seq` -1 with the genesis values for an empty library)
/// and chain it. Returns `{bytes, recordSha256, chainSha256, record}`.
#[wasm_bindgen(js_name = sealRecord)]
pub fn seal_record(draft: JsValue, head: JsValue) -> Result<JsValue, JsValue> {
    let draft: RecordDraft = from_js(draft, "record draft")?;
    let head: ChainHead = from_js(head, "chain head")?;
    let item = ledger::seal_next(&draft, &head).map_err(js_error)?;
    to_js(&SealedJs {
        bytes: Bytes(item.sealed.bytes),
        record_sha256: item.sealed.sha256,
        chain_sha256: item.chain_sha256,
        record: item.sealed.record,
    })
}

/// Parse stored record bytes (checking shape and version) into a plain object.
#[wasm_bindgen(js_name = parseRecord)]
pub fn parse_record(bytes: &[u8]) -> Result<JsValue, JsValue> {
    to_js(&record::parse(bytes).map_err(js_error)?)
}

/// Parse a capture's `metadata.json` bytes into a plain object (unknown keys kept).
#[wasm_bindgen(js_name = parseCaptureMetadata)]
pub fn parse_capture_metadata(bytes: &[u8]) -> Result<JsValue, JsValue> {
    to_js(&crate::capture_metadata::CaptureMetadata::parse(bytes).map_err(js_error)?)
}

/// The genesis values: `{record, chain}` (both 64 hex zeros).
#[wasm_bindgen(js_name = genesis)]
pub fn genesis() -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    struct Genesis {
        record: String,
        chain: String,
    }
    to_js(&Genesis {
        record: record::genesis_hex(),
        chain: ledger::genesis_chain_hex(),
    })
}

/// Validate a diary entry `{occurred_at, type, ...}` entered at `ctx`
/// (`{entered_at_ms, local_offset_minutes}`). Returns `{metadata, artifacts, summary}`.
#[wasm_bindgen(js_name = buildIncident)]
pub fn build_incident(input: JsValue, ctx: JsValue) -> Result<JsValue, JsValue> {
    let input = from_js(input, "diary entry")?;
    let ctx = from_js(ctx, "entry context")?;
    to_js(&crate::diary::build_incident(&input, &ctx).map_err(js_error)?)
}

/// Validate a note or correction `{target, note, correction, attachments}`.
/// Returns `{metadata, artifacts, summary}`.
#[wasm_bindgen(js_name = buildAmendment)]
pub fn build_amendment(input: JsValue, ctx: JsValue) -> Result<JsValue, JsValue> {
    let input = from_js(input, "amendment")?;
    let ctx = from_js(ctx, "entry context")?;
    to_js(&crate::entries::build_amendment(&input, &ctx).map_err(js_error)?)
}

/// Validate a removal `{target: {seq, id, record_sha256, kind, artifacts}, reason}`.
/// Returns `{metadata, artifacts, summary}`.
#[wasm_bindgen(js_name = buildRemoval)]
pub fn build_removal(input: JsValue, ctx: JsValue) -> Result<JsValue, JsValue> {
    let input = from_js(input, "removal")?;
    let ctx = from_js(ctx, "entry context")?;
    to_js(&crate::entries::build_removal(&input, &ctx).map_err(js_error)?)
}

/// The incident types `[{value, label}]`, in the diary form's order (the one table the
/// UI and the report use).
#[wasm_bindgen(js_name = incidentTypes)]
pub fn incident_types() -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    struct IncidentType {
        value: &'static str,
        label: &'static str,
    }
    let list: Vec<IncidentType> = crate::diary::INCIDENT_TYPES
        .iter()
        .map(|&(value, label)| IncidentType { value, label })
        .collect();
    to_js(&list)
}

/// The library's catalog entry of a stored row (`{seq, id, kind, recordSha256,
/// capturedAt}`), its record bytes and more text to search (`captureSearchText` of a
/// capture's `metadata.json`, or ""): `{seq, id, kind, recordSha256, capturedAt, eventAt,
/// removed: false, title, excerpt, site, url, authors, thumb, artifactCount, bytes,
/// blobs, ...kind fields, text}`. Throws when the record bytes do not read.
#[wasm_bindgen(js_name = catalogEntry)]
pub fn catalog_entry(
    row: JsValue,
    record_bytes: &[u8],
    extra_text: &str,
) -> Result<JsValue, JsValue> {
    let row: crate::catalog::RowFacts = from_js(row, "stored row")?;
    let rec = record::parse(record_bytes).map_err(js_error)?;
    to_js(&crate::catalog::catalog_entry(&row, &rec, extra_text))
}

/// The catalog entry of a removed row `{seq, id, kind, recordSha256, capturedAt,
/// removedBy}`: `{..., removed: true, removedBy, title: "", ..., text: ""}`.
#[wasm_bindgen(js_name = removedCatalogEntry)]
pub fn removed_catalog_entry(row: JsValue) -> Result<JsValue, JsValue> {
    let row = from_js(row, "stored row")?;
    to_js(&crate::catalog::removed_entry(&row))
}

/// Search text from a capture's `metadata.json` bytes ("" when they are not one).
#[wasm_bindgen(js_name = captureSearchText)]
pub fn capture_search_text(bytes: &[u8]) -> String {
    crate::catalog::capture_search_text(bytes)
}

/// Text normalised for the library's search (NFD, no marks, lowercase, one space).
#[wasm_bindgen(js_name = searchNormal)]
pub fn search_normal(text: &str) -> String {
    crate::catalog::search_normal(text)
}

/// What `lockNewKeypair` answers.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct KeyPairJs {
    recipient: String,
    wrapped_identity: Bytes,
}

/// Passphrase lock: generate an age X25519 identity and wrap it with `passphrase`
/// (scrypt, about a second natively, a few seconds in WASM, 256 MiB of memory).
/// Returns `{recipient: "age1...", wrappedIdentity: Uint8Array}`.
#[wasm_bindgen(js_name = lockNewKeypair)]
pub fn lock_new_keypair(passphrase: &str) -> Result<JsValue, JsValue> {
    let kp = crate::lock::new_keypair(passphrase).map_err(js_error)?;
    to_js(&KeyPairJs {
        recipient: kp.recipient,
        wrapped_identity: Bytes(kp.wrapped_identity),
    })
}

/// Passphrase lock: open the wrapped identity; returns `AGE-SECRET-KEY-1...`.
/// A wrong passphrase throws with code `WRONG_PASSPHRASE`.
#[wasm_bindgen(js_name = lockUnwrapIdentity)]
pub fn lock_unwrap_identity(wrapped: &[u8], passphrase: &str) -> Result<String, JsValue> {
    crate::lock::unwrap_identity(wrapped, passphrase).map_err(js_error)
}

/// Passphrase lock: re-wrap the same identity under a new passphrase (Uint8Array).
#[wasm_bindgen(js_name = lockRewrapIdentity)]
pub fn lock_rewrap_identity(
    wrapped: &[u8],
    old_passphrase: &str,
    new_passphrase: &str,
) -> Result<Vec<u8>, JsValue> {
    crate::lock::rewrap_identity(wrapped, old_passphrase, new_passphrase).map_err(js_error)
}

/// Passphrase lock: encrypt bytes (one chunk of at most 4 MiB) to the recipient;
/// returns a binary age file (Uint8Array).
#[wasm_bindgen(js_name = lockEncrypt)]
pub fn lock_encrypt(recipient: &str, bytes: &[u8]) -> Result<Vec<u8>, JsValue> {
    crate::lock::encrypt(recipient, bytes).map_err(js_error)
}

/// Passphrase lock: decrypt a binary age file with the identity (Uint8Array).
#[wasm_bindgen(js_name = lockDecrypt)]
pub fn lock_decrypt(identity: &str, bytes: &[u8]) -> Result<Vec<u8>, JsValue> {
    crate::lock::decrypt(identity, bytes).map_err(js_error)
}
