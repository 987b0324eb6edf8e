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
use wasm_bindgen::JsCast;

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
    let bytes = built.metadata.to_json_bytes().map_err(js_error)?;
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
    let input: crate::timeline::ReportInput =
        serde_wasm_bindgen::from_value(input).map_err(|e| bad_input("report input", e))?;
    Ok(crate::timeline::render(&input))
}

/// The archive's plain-text `VERIFY.txt`.
#[wasm_bindgen(js_name = verifyGuide)]
pub fn verify_guide(head: &str, tool_version: &str) -> String {
    crate::guide::verify_guide(head, tool_version)
}

/// Validate a diary entry `{occurred_at, type, ...}` entered at `ctx`
/// (`{entered_at_ms, local_offset_minutes}`). Returns `{metadata, artifacts, summary}`.
#[wasm_bindgen(js_name = buildIncident)]
pub fn build_incident(input: JsValue, ctx: JsValue) -> Result<JsValue, JsValue> {
    let input: crate::diary::IncidentInput =
        serde_wasm_bindgen::from_value(input).map_err(|e| bad_input("diary entry", e))?;
    let ctx: crate::diary::EntryContext =
        serde_wasm_bindgen::from_value(ctx).map_err(|e| bad_input("entry context", e))?;
    to_js(&crate::diary::build_incident(&input, &ctx).map_err(js_error)?)
}

/// Validate a note or correction `{target, note, correction, attachments}`.
/// Returns `{metadata, artifacts, summary}`.
#[wasm_bindgen(js_name = buildAmendment)]
pub fn build_amendment(input: JsValue, ctx: JsValue) -> Result<JsValue, JsValue> {
    let input: crate::entries::AmendmentInput =
        serde_wasm_bindgen::from_value(input).map_err(|e| bad_input("amendment", e))?;
    let ctx: crate::diary::EntryContext =
        serde_wasm_bindgen::from_value(ctx).map_err(|e| bad_input("entry context", e))?;
    to_js(&crate::entries::build_amendment(&input, &ctx).map_err(js_error)?)
}

/// Validate a removal `{target: {seq, id, record_sha256, kind, artifacts}, reason}`.
/// Returns `{metadata, artifacts, summary}`.
#[wasm_bindgen(js_name = buildRemoval)]
pub fn build_removal(input: JsValue, ctx: JsValue) -> Result<JsValue, JsValue> {
    let input: crate::entries::RemovalInput =
        serde_wasm_bindgen::from_value(input).map_err(|e| bad_input("removal", e))?;
    let ctx: crate::diary::EntryContext =
        serde_wasm_bindgen::from_value(ctx).map_err(|e| bad_input("entry context", e))?;
    to_js(&crate::entries::build_removal(&input, &ctx).map_err(js_error)?)
}

/// The incident types `[{value, label}]`, in the diary form's order.
#[wasm_bindgen(js_name = incidentTypes)]
pub fn incident_types() -> Result<JsValue, JsValue> {
    let list: Vec<serde_json::Value> = crate::diary::INCIDENT_TYPES
        .iter()
        .map(|(value, label)| serde_json::json!({ "value": value, "label": label }))
        .collect();
    to_js(&list)
}

/// The library's catalog entry for stored record bytes and, for a capture, its
/// `metadata.json` bytes (or `undefined`): `{seq, id, kind, recordSha256, capturedAt,
/// eventAt, removed: false, title, excerpt, site, url, authors, thumb, artifactCount,
/// bytes, blobs, ...kind fields, text}`, as `library/catalog.js` builds it.
#[wasm_bindgen(js_name = catalogEntry)]
pub fn catalog_entry(
    record_bytes: &[u8],
    metadata_json: Option<Vec<u8>>,
) -> Result<JsValue, JsValue> {
    to_js(
        &crate::catalog::entry_from_bytes(record_bytes, metadata_json.as_deref())
            .map_err(js_error)?,
    )
}

/// The catalog entry of a removed row `{seq, id, kind, recordSha256, capturedAt,
/// removedBy}`: `{..., removed: true, removedBy, title: "", ..., text: ""}`.
#[wasm_bindgen(js_name = removedCatalogEntry)]
pub fn removed_catalog_entry(row: JsValue) -> Result<JsValue, JsValue> {
    let row: crate::catalog::RowFacts =
        serde_wasm_bindgen::from_value(row).map_err(|e| bad_input("stored row", e))?;
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

/// Passphrase lock: generate an age X25519 identity and wrap it with `passphrase`
/// (scrypt, about a second natively, a few seconds in WASM, 256 MiB of memory).
/// Returns `{recipient: "age1...", wrappedIdentity: Uint8Array}`.
#[wasm_bindgen(js_name = lockNewKeypair)]
pub fn lock_new_keypair(passphrase: &str) -> Result<JsValue, JsValue> {
    let kp = crate::lock::new_keypair(passphrase).map_err(js_error)?;
    let out = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&out, &"recipient".into(), &kp.recipient.into());
    let _ = js_sys::Reflect::set(
        &out,
        &"wrappedIdentity".into(),
        &js_sys::Uint8Array::from(kp.wrapped_identity.as_slice()).into(),
    );
    Ok(out.into())
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

// ---- Evidence archive (crate::archive): streaming ZIP writer, index builders, verify ----

/// Streaming ZIP writer for the export. Every call returns the bytes to append to the
/// output next (Uint8Array); memory stays flat whatever the entry sizes.
#[wasm_bindgen(js_name = ZipWriter)]
pub struct ArchiveZipWriter {
    inner: crate::archive::ZipWriter,
}

#[wasm_bindgen(js_class = ZipWriter)]
impl ArchiveZipWriter {
    /// A fresh writer.
    #[wasm_bindgen(constructor)]
    pub fn new() -> ArchiveZipWriter {
        ArchiveZipWriter {
            inner: crate::archive::ZipWriter::new(),
        }
    }

    /// Start an entry; returns its local header. Use `shouldCompress(path)` for `compress`.
    #[wasm_bindgen(js_name = startEntry)]
    pub fn start_entry(
        &mut self,
        path: &str,
        compress: bool,
        mtime_unix_secs: f64,
    ) -> Result<Vec<u8>, JsValue> {
        self.inner
            .start_entry(path, compress, mtime_unix_secs as i64)
            .map_err(js_error)
    }

    /// Feed the next chunk of the open entry; returns the bytes to emit (maybe empty).
    pub fn write(&mut self, chunk: &[u8]) -> Result<Vec<u8>, JsValue> {
        self.inner.write(chunk).map_err(js_error)
    }

    /// For a stored entry: hash and count `chunk` without returning it; the caller emits
    /// `chunk` itself (saves a copy per chunk for large artifacts).
    #[wasm_bindgen(js_name = writeStored)]
    pub fn write_stored(&mut self, chunk: &[u8]) -> Result<(), JsValue> {
        self.inner.write_stored(chunk).map_err(js_error)
    }

    /// End the open entry: `{bytes, info: {path, bytes, sha256, crc32, compressed_bytes}}`.
    #[wasm_bindgen(js_name = endEntry)]
    pub fn end_entry(&mut self) -> Result<JsValue, JsValue> {
        let (info, bytes) = self.inner.end_entry().map_err(js_error)?;
        let out = js_sys::Object::new();
        let _ = js_sys::Reflect::set(
            &out,
            &"bytes".into(),
            &js_sys::Uint8Array::from(bytes.as_slice()).into(),
        );
        let _ = js_sys::Reflect::set(&out, &"info".into(), &to_js(&info)?);
        Ok(out.into())
    }

    /// Write the central directory and end records; returns the last bytes.
    pub fn finish(&mut self) -> Result<Vec<u8>, JsValue> {
        self.inner.finish().map_err(js_error)
    }

    /// Bytes emitted so far.
    #[wasm_bindgen(js_name = bytesWritten)]
    pub fn bytes_written(&self) -> f64 {
        self.inner.bytes_written() as f64
    }
}

impl Default for ArchiveZipWriter {
    fn default() -> Self {
        Self::new()
    }
}

/// Whether the export deflates this path (JSON, text, HTML, SHA256SUMS) or stores it.
#[wasm_bindgen(js_name = shouldCompress)]
pub fn should_compress(path: &str) -> bool {
    crate::archive::should_compress(path)
}

/// `ledger.json` for `[{record_sha256, status: "included"|"withheld"|"removed"}]` in
/// sequence order: `{bytes, head}`.
#[wasm_bindgen(js_name = buildLedgerJson)]
pub fn build_ledger_json(items: JsValue) -> Result<JsValue, JsValue> {
    let items: Vec<crate::archive::LedgerItem> =
        serde_wasm_bindgen::from_value(items).map_err(|e| bad_input("ledger items", e))?;
    let ledger = crate::archive::build_ledger(&items).map_err(js_error)?;
    let bytes = ledger.to_json_bytes().map_err(js_error)?;
    let out = js_sys::Object::new();
    let _ = js_sys::Reflect::set(
        &out,
        &"bytes".into(),
        &js_sys::Uint8Array::from(bytes.as_slice()).into(),
    );
    let _ = js_sys::Reflect::set(&out, &"head".into(), &ledger.head.into());
    Ok(out.into())
}

/// `manifest.json` bytes from `meta` (`{tool_version, created_at_ms, exported_by}`), the
/// `ledger.json` bytes, the included records' bytes (array of Uint8Array) and every entry
/// written so far (`[{path, bytes, sha256}]`, e.g. the `info`s from `endEntry`).
#[wasm_bindgen(js_name = buildManifestJson)]
pub fn build_manifest_json(
    meta: JsValue,
    ledger_json: &[u8],
    included_records: js_sys::Array,
    files: JsValue,
) -> Result<Vec<u8>, JsValue> {
    let meta: crate::archive::ExportMeta =
        serde_wasm_bindgen::from_value(meta).map_err(|e| bad_input("export meta", e))?;
    let ledger = crate::archive::LedgerFile::parse(ledger_json).map_err(js_error)?;
    let mut records = Vec::new();
    for r in included_records.iter() {
        let bytes = js_sys::Uint8Array::new(&r).to_vec();
        records.push(record::parse(&bytes).map_err(js_error)?);
    }
    let files: Vec<crate::archive::FileInfo> =
        serde_wasm_bindgen::from_value(strip_to_file_infos(files)?)
            .map_err(|e| bad_input("files", e))?;
    let manifest =
        crate::archive::build_manifest(&meta, &ledger, &records, &files).map_err(js_error)?;
    manifest.to_json_bytes().map_err(js_error)
}

/// `SHA256SUMS` bytes from every entry written (`[{path, bytes, sha256}]`).
#[wasm_bindgen(js_name = buildSha256Sums)]
pub fn build_sha256_sums(files: JsValue) -> Result<Vec<u8>, JsValue> {
    let files: Vec<crate::archive::FileInfo> =
        serde_wasm_bindgen::from_value(strip_to_file_infos(files)?)
            .map_err(|e| bad_input("files", e))?;
    crate::archive::build_sha256sums(&files).map_err(js_error)
}

/// Accept `endEntry` infos (which carry `crc32` and `compressed_bytes` too) as files.
fn strip_to_file_infos(files: JsValue) -> Result<JsValue, JsValue> {
    let infos: Vec<serde_json::Value> =
        serde_wasm_bindgen::from_value(files).map_err(|e| bad_input("files", e))?;
    let slim: Vec<serde_json::Value> = infos
        .into_iter()
        .map(|v| {
            serde_json::json!({
                "path": v.get("path").cloned().unwrap_or_default(),
                "bytes": v.get("bytes").cloned().unwrap_or_default(),
                "sha256": v.get("sha256").cloned().unwrap_or_default(),
            })
        })
        .collect();
    to_js(&slim)
}

/// Verify an archive held in memory (small archives and tests; large files should go
/// through a `ReadAt` over the File). Returns the report object (see
/// `crate::archive::verdict::Report`).
/// `expected_fingerprint` is the archive fingerprint (SHA-256 of `manifest.json`) given
/// separately, if any.
#[wasm_bindgen(js_name = verifyArchiveBytes)]
pub fn verify_archive_bytes(
    bytes: &[u8],
    expected_head: Option<String>,
    expected_fingerprint: Option<String>,
) -> Result<JsValue, JsValue> {
    to_js(&crate::archive::verify_bytes_expecting(
        bytes,
        crate::archive::Expected {
            head: expected_head.as_deref(),
            fingerprint: expected_fingerprint.as_deref(),
        },
    ))
}

/// A `ReadAt` over a synchronous JS function `read(offset, length) -> Uint8Array`. In the
/// verify page it runs in a dedicated worker over `FileReaderSync` and `File.slice`, so a
/// multi-gigabyte archive is read slice by slice and never held whole.
struct JsReadAt {
    read: js_sys::Function,
    len: u64,
}

impl crate::archive::ReadAt for JsReadAt {
    fn len(&self) -> u64 {
        self.len
    }

    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> crate::Result<()> {
        let got = self
            .read
            .call2(
                &JsValue::NULL,
                &JsValue::from_f64(offset as f64),
                &JsValue::from_f64(buf.len() as f64),
            )
            .map_err(|e| Error::Io(format!("reading the file failed: {e:?}")))?;
        let arr = js_sys::Uint8Array::new(&got);
        if arr.length() as usize != buf.len() {
            return Err(Error::Io(format!(
                "reading the file gave {} bytes at offset {offset}, expected {}",
                arr.length(),
                buf.len()
            )));
        }
        arr.copy_to(buf);
        Ok(())
    }
}

/// Verify an archive of `len` bytes read through `read(offset, length) -> Uint8Array`
/// (synchronous). `progress(done, total)` is called as bytes are checked.
/// `expected_fingerprint` (last, optional) is the archive fingerprint (SHA-256 of
/// `manifest.json`) given separately. Returns the report object
/// (`crate::archive::verdict::Report`).
#[wasm_bindgen(js_name = verifyArchive)]
pub fn verify_archive(
    read: js_sys::Function,
    len: f64,
    expected_head: Option<String>,
    progress: Option<js_sys::Function>,
    expected_fingerprint: Option<String>,
) -> Result<JsValue, JsValue> {
    if !(len >= 0.0 && len.fract() == 0.0 && len < 9_007_199_254_740_992.0) {
        return Err(js_error(Error::InvalidInput(format!(
            "file length {len} is not a whole number of bytes"
        ))));
    }
    let mut src = JsReadAt {
        read,
        len: len as u64,
    };
    let mut report_progress = |done: u64, total: u64| {
        if let Some(p) = &progress {
            let _ = p.call2(
                &JsValue::NULL,
                &JsValue::from_f64(done as f64),
                &JsValue::from_f64(total as f64),
            );
        }
    };
    to_js(&crate::archive::verify_expecting(
        &mut src,
        crate::archive::Expected {
            head: expected_head.as_deref(),
            fingerprint: expected_fingerprint.as_deref(),
        },
        &mut report_progress,
    ))
}

// ---- The archive builder (crate::archive::builder) ----

/// The sans-IO archive builder, for `export.js` to pump IndexedDB into.
///
/// JS contract (every byte-returning call gives a `Uint8Array` to append to the output,
/// in call order; errors are JS `Error`s with `name` and `code`, `STORAGE_DAMAGED` when
/// stored evidence no longer matches its hash, size or chain, or is missing):
///
/// ```js
/// // exportedBy: string or null; status: "included", "withheld" or "removed".
/// const b = new core.ArchiveBuilder(
///   { toolVersion, createdAtMs, exportedBy, localOffsetMinutes },
///   rows.map((r) => ({ seq, recordSha256, chainSha256, status })),
/// );
/// try {
///   for (let need = b.next(); need.kind !== "done"; need = b.next()) {
///     if (need.kind === "record") {
///       out.push(b.putRecord(recordBytesOf(need.seq)));
///     } else { // need.kind === "artifact": {seq, name, path, sha256, bytes, stored}
///       const blob = await getBlob(need.sha256);
///       if (!blob) throw b.artifactMissing(); // the error to show, naming item and file
///       out.push(b.beginArtifact());
///       for (const chunk of slicesOf(blob)) {
///         if (need.stored) { b.storedChunk(chunk); out.push(chunk); } // hashed only, no copy
///         else out.push(b.artifactChunk(chunk));
///       }
///       out.push(b.endArtifact()); // throws STORAGE_DAMAGED if size or sha256 differ
///     }
///   }
///   const { bytes, head, counts, archiveBytes, fingerprint } = b.finish();
///   out.push(bytes); // ledger.json ... SHA256SUMS and the central directory
///   // counts: {total, included, withheld, removed}; fingerprint: SHA-256 of manifest.json,
///   // to give the caseworker separately, like the head
/// } finally { b.free(); }
/// ```
#[wasm_bindgen(js_name = ArchiveBuilder)]
pub struct JsArchiveBuilder {
    inner: crate::archive::ArchiveBuilder,
}

#[wasm_bindgen(js_class = ArchiveBuilder)]
impl JsArchiveBuilder {
    /// A builder for `meta` (`{toolVersion, createdAtMs, exportedBy, localOffsetMinutes}`)
    /// and `plan` (`[{seq, recordSha256, chainSha256, status}]`, every item in order).
    #[wasm_bindgen(constructor)]
    pub fn new(meta: JsValue, plan: JsValue) -> Result<JsArchiveBuilder, JsValue> {
        let meta: crate::archive::ArchiveMeta =
            serde_wasm_bindgen::from_value(meta).map_err(|e| bad_input("export meta", e))?;
        let plan: Vec<crate::archive::PlanItem> =
            serde_wasm_bindgen::from_value(plan).map_err(|e| bad_input("export plan", e))?;
        Ok(JsArchiveBuilder {
            inner: crate::archive::ArchiveBuilder::new(meta, plan).map_err(js_error)?,
        })
    }

    /// What is needed next: `{kind: "record", seq}`, `{kind: "artifact", seq, name, path,
    /// sha256, bytes, stored}` or `{kind: "done"}`.
    pub fn next(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.next())
    }

    /// The record asked for (its exact stored bytes); returns the bytes to append.
    #[wasm_bindgen(js_name = putRecord)]
    pub fn put_record(&mut self, bytes: &[u8]) -> Result<Vec<u8>, JsValue> {
        let mut out = Vec::new();
        self.inner.put_record(bytes, &mut out).map_err(js_error)?;
        Ok(out)
    }

    /// Start the artifact asked for; returns its local header to append.
    #[wasm_bindgen(js_name = beginArtifact)]
    pub fn begin_artifact(&mut self) -> Result<Vec<u8>, JsValue> {
        let mut out = Vec::new();
        self.inner.begin_artifact(&mut out).map_err(js_error)?;
        Ok(out)
    }

    /// The next chunk of the open artifact; returns the bytes to append (DEFLATE output,
    /// possibly empty, or a copy of the chunk for a stored artifact).
    #[wasm_bindgen(js_name = artifactChunk)]
    pub fn artifact_chunk(&mut self, chunk: &[u8]) -> Result<Vec<u8>, JsValue> {
        let mut out = Vec::new();
        self.inner
            .artifact_chunk(chunk, &mut out)
            .map_err(js_error)?;
        Ok(out)
    }

    /// For a stored artifact (`need.stored`): hash and count `chunk` only; the caller
    /// appends the same `chunk` to its output itself.
    #[wasm_bindgen(js_name = storedChunk)]
    pub fn stored_chunk(&mut self, chunk: &[u8]) -> Result<(), JsValue> {
        self.inner.stored_chunk(chunk).map_err(js_error)
    }

    /// End the open artifact; returns its last bytes to append. Throws
    /// `STORAGE_DAMAGED` when its size or SHA-256 differs from its record.
    #[wasm_bindgen(js_name = endArtifact)]
    pub fn end_artifact(&mut self) -> Result<Vec<u8>, JsValue> {
        let mut out = Vec::new();
        self.inner.end_artifact(&mut out).map_err(js_error)?;
        Ok(out)
    }

    /// The artifact asked for is not in storage: returns the `STORAGE_DAMAGED` error to
    /// throw (naming the item and file); the builder cannot continue.
    #[wasm_bindgen(js_name = artifactMissing)]
    pub fn artifact_missing(&mut self) -> JsValue {
        js_error(self.inner.artifact_missing())
    }

    /// Write the index files and the central directory: `{bytes: Uint8Array, head,
    /// counts: {total, included, withheld, removed}, archiveBytes, fingerprint}`
    /// (`fingerprint`: SHA-256 hex of the `manifest.json` written).
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        let mut out = Vec::new();
        let done = self.inner.finish(&mut out).map_err(js_error)?;
        let result = to_js(&done)?;
        js_sys::Reflect::set(
            &result,
            &"bytes".into(),
            &js_sys::Uint8Array::from(out.as_slice()).into(),
        )?;
        Ok(result)
    }

    /// Archive bytes emitted so far.
    #[wasm_bindgen(js_name = bytesWritten)]
    pub fn bytes_written(&self) -> f64 {
        self.inner.bytes_written() as f64
    }
}

// ---- The stored-library check (crate::archive::library_check) ----

/// "Check integrity" over the stored library, fed in batches in sequence order, with the
/// archive verifier's rules and item states.
///
/// JS contract:
///
/// ```js
/// const head = await getHead(); // null for an empty library
/// const checker = new core.LibraryChecker(head ? { seq: head.seq, chainSha256: head.chainSha256 } : null);
/// try {
///   for (const rows of batches) {
///     checker.push(await Promise.all(rows.map(async (row) => ({
///       seq: row.seq, recordSha256: row.recordSha256, chainSha256: row.chainSha256,
///       removed: row.removed === true,
///       record: row.bytes ?? null, // Uint8Array, or null when the content is gone
///       // per stored artifact: {name, sha256, bytes} from the stored blob, or {name}
///       // when the blob is missing, or {name, error} when it cannot be read
///       artifacts: await Promise.all(row.artifacts.map(hashStoredBlob)),
///     }))));
///     onProgress(checker.checked(), total);
///   }
///   const report = checker.finish();
/// } finally { checker.free(); }
/// ```
///
/// `finish()` returns `{verdict: "PASS"|"FAIL", head, chainOk, counts: {items, ok,
/// modified, missing, withheld, removed, unexpected_files}, items: [{seq, path, kind,
/// captured_at, status: "OK"|"MODIFIED"|"MISSING"|"REMOVED", record_sha256, detail}],
/// problems: [{code, message}]}`. The item rows and counts are the archive verifier's
/// types (snake_case keys, as in `verifyArchive`'s report); `MODIFIED` and `MISSING`
/// are damage.
#[wasm_bindgen(js_name = LibraryChecker)]
pub struct JsLibraryChecker {
    inner: Option<crate::archive::LibraryChecker>,
}

#[wasm_bindgen(js_class = LibraryChecker)]
impl JsLibraryChecker {
    /// A checker for a library whose stored head is `head` (`{seq, chainSha256}` or null).
    #[wasm_bindgen(constructor)]
    pub fn new(head: JsValue) -> Result<JsLibraryChecker, JsValue> {
        let head: Option<crate::archive::StoredHead> = if head.is_null() || head.is_undefined() {
            None
        } else {
            Some(serde_wasm_bindgen::from_value(head).map_err(|e| bad_input("stored head", e))?)
        };
        Ok(JsLibraryChecker {
            inner: Some(crate::archive::LibraryChecker::new(head)),
        })
    }

    fn checker(&mut self) -> Result<&mut crate::archive::LibraryChecker, JsValue> {
        self.inner.as_mut().ok_or_else(|| {
            js_error(Error::InvalidInput(
                "this library check is already finished".into(),
            ))
        })
    }

    /// Check the next rows (an array, in sequence order; see the class documentation).
    pub fn push(&mut self, rows: js_sys::Array) -> Result<(), JsValue> {
        let mut batch = Vec::with_capacity(rows.length() as usize);
        for value in rows.iter() {
            let record = js_sys::Reflect::get(&value, &"record".into())?;
            let mut row: crate::archive::StoredRow =
                serde_wasm_bindgen::from_value(value).map_err(|e| bad_input("stored row", e))?;
            row.record = if record.is_null() || record.is_undefined() {
                None
            } else {
                let bytes: js_sys::Uint8Array = record
                    .dyn_into()
                    .map_err(|_| bad_input("stored row", "record must be a Uint8Array or null"))?;
                Some(bytes.to_vec())
            };
            batch.push(row);
        }
        self.checker()?.push(&batch);
        Ok(())
    }

    /// Items checked so far (for progress).
    pub fn checked(&mut self) -> Result<f64, JsValue> {
        Ok(self.checker()?.checked() as f64)
    }

    /// The answer, once every row was pushed (see the class documentation).
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        let checker = self.inner.take().ok_or_else(|| {
            js_error(Error::InvalidInput(
                "this library check is already finished".into(),
            ))
        })?;
        to_js(&checker.finish())
    }
}
