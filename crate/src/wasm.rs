//! The one browser boundary: wasm-bindgen exports used by the extension.
//!
//! Everything here converts between JS values and the pure core, and nothing else.
//! Core errors become JS `Error` objects whose `name` is the variant name and whose
//! `code` is the stable code (`INVALID_INPUT`, `HASH_MISMATCH`, ...).

use crate::capture::{self, CaptureContext};
use crate::error::Error;
use crate::hash::{self, StreamHasher};
use crate::ledger::{self, LedgerEntry};
use crate::record::{self, RecordDraft};
use serde::Serialize;
use wasm_bindgen::prelude::*;

fn js_error(e: Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name(e.name());
    // Setting a property on a fresh Error object cannot fail; ignore the Result.
    let _ = js_sys::Reflect::set(&err, &"code".into(), &e.code().into());
    err.into()
}

fn bad_input(what: &str, e: impl std::fmt::Display) -> JsValue {
    js_error(Error::InvalidInput(format!("{what}: {e}")))
}

fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsValue> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| bad_input("result does not convert", e))
}

/// The crate version, for the record's environment block.
#[wasm_bindgen(js_name = coreVersion)]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Lowercase hex SHA-256 of `bytes`.
#[wasm_bindgen(js_name = sha256Hex)]
pub fn sha256_hex(bytes: &[u8]) -> String {
    hash::sha256_hex(bytes)
}

/// Incremental SHA-256. Feed it in slices: short calls let V8 swap in optimised code
/// between slices (a single long call stays in the baseline tier).
#[wasm_bindgen]
pub struct Hasher {
    inner: Option<StreamHasher>,
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
        match &mut self.inner {
            Some(h) => {
                h.update(bytes);
                Ok(())
            }
            None => Err(js_error(Error::InvalidInput(
                "this hasher is already finished".into(),
            ))),
        }
    }

    /// Finish; the hasher cannot be fed afterwards.
    pub fn finish(&mut self) -> Result<String, JsValue> {
        self.inner
            .take()
            .map(StreamHasher::finish_hex)
            .ok_or_else(|| {
                js_error(Error::InvalidInput(
                    "this hasher is already finished".into(),
                ))
            })
    }
}

impl Default for Hasher {
    fn default() -> Self {
        Self::new()
    }
}

/// Build `metadata.json` bytes and the record summary from the content script's raw
/// result and the service worker's capture context.
#[wasm_bindgen(js_name = buildCapture)]
pub fn build_capture(raw: JsValue, ctx: JsValue) -> Result<JsValue, JsValue> {
    let raw: serde_json::Value = if raw.is_null() || raw.is_undefined() {
        serde_json::Value::Null
    } else {
        serde_wasm_bindgen::from_value(raw).map_err(|e| bad_input("page facts", e))?
    };
    let ctx: CaptureContext =
        serde_wasm_bindgen::from_value(ctx).map_err(|e| bad_input("capture context", e))?;
    let built = capture::build(&raw, &ctx).map_err(js_error)?;
    let bytes = serde_json::to_vec_pretty(&built.metadata)
        .map_err(|e| bad_input("metadata does not serialise", e))?;
    let out = js_sys::Object::new();
    let _ = js_sys::Reflect::set(
        &out,
        &"metadataJson".into(),
        &js_sys::Uint8Array::from(bytes.as_slice()).into(),
    );
    let _ = js_sys::Reflect::set(&out, &"summary".into(), &to_js(&built.summary)?);
    Ok(out.into())
}

/// Seal a record draft as number `seq` after the given previous record and chain
/// values. Returns `{bytes, recordSha256, chainSha256, record}`.
#[wasm_bindgen(js_name = sealRecord)]
pub fn seal_record(
    draft: JsValue,
    seq: f64,
    prev_record_sha256: &str,
    prev_chain_sha256: &str,
) -> Result<JsValue, JsValue> {
    let draft: RecordDraft =
        serde_wasm_bindgen::from_value(draft).map_err(|e| bad_input("record draft", e))?;
    if !(seq >= 0.0 && seq.fract() == 0.0 && seq < 9_007_199_254_740_992.0) {
        return Err(js_error(Error::InvalidInput(format!(
            "sequence number {seq} is not a whole number"
        ))));
    }
    let sealed = record::seal(&draft, seq as u64, prev_record_sha256).map_err(js_error)?;
    let chain = ledger::chain_next(prev_chain_sha256, &sealed.sha256).map_err(js_error)?;
    let out = js_sys::Object::new();
    let _ = js_sys::Reflect::set(
        &out,
        &"bytes".into(),
        &js_sys::Uint8Array::from(sealed.bytes.as_slice()).into(),
    );
    let _ = js_sys::Reflect::set(&out, &"recordSha256".into(), &sealed.sha256.into());
    let _ = js_sys::Reflect::set(&out, &"chainSha256".into(), &chain.into());
    let _ = js_sys::Reflect::set(&out, &"record".into(), &to_js(&sealed.record)?);
    Ok(out.into())
}

/// Parse stored record bytes (checking shape and version) into a plain object.
#[wasm_bindgen(js_name = parseRecord)]
pub fn parse_record(bytes: &[u8]) -> Result<JsValue, JsValue> {
    to_js(&record::parse(bytes).map_err(js_error)?)
}

/// The chain value after `prev_chain` for a record hashing to `record_sha256`.
#[wasm_bindgen(js_name = chainNext)]
pub fn chain_next(prev_chain: &str, record_sha256: &str) -> Result<String, JsValue> {
    ledger::chain_next(prev_chain, record_sha256).map_err(js_error)
}

/// The genesis values: `{record, chain}` (both 64 hex zeros).
#[wasm_bindgen(js_name = genesis)]
pub fn genesis() -> Result<JsValue, JsValue> {
    to_js(&serde_json::json!({
        "record": record::genesis_hex(),
        "chain": ledger::genesis_chain_hex(),
    }))
}

/// Verify ledger entries `[{seq, record_sha256, chain_sha256}]`; returns the head hash.
#[wasm_bindgen(js_name = verifyLedger)]
pub fn verify_ledger(entries: JsValue) -> Result<String, JsValue> {
    let entries: Vec<LedgerEntry> =
        serde_wasm_bindgen::from_value(entries).map_err(|e| bad_input("ledger", e))?;
    ledger::verify(&entries).map_err(js_error)
}

/// The archive's `report.html` from `{exported_at, local_offset_minutes, exported_by,
/// tool_version, head, items: [{seq, status, record_sha256, chain_sha256, record,
/// capture_metadata, folder}]}`.
#[wasm_bindgen(js_name = renderReport)]
pub fn render_report(input: JsValue) -> Result<String, JsValue> {
    let input: crate::report::ReportInput =
        serde_wasm_bindgen::from_value(input).map_err(|e| bad_input("report input", e))?;
    Ok(crate::report::render(&input))
}

/// The archive's plain-text `VERIFY.txt`.
#[wasm_bindgen(js_name = verifyGuide)]
pub fn verify_guide(head: &str, tool_version: &str) -> String {
    crate::report::verify_guide(head, tool_version)
}
