//! The archive exports: the verify page's verifier, the exporter's sans-IO
//! [`crate::archive::ArchiveBuilder`] and the library's [`crate::archive::LibraryChecker`].

use super::convert::{from_js, js_error, to_js, to_js_camel, Bytes};
use crate::archive::{self, ArchiveBuilder, LibraryChecker, StoredRow};
use crate::error::Error;
use crate::ledger::ChainHead;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

/// A `ReadAt` over a synchronous JS function `read(offset, length) -> Uint8Array`. In the
/// verify page it runs in a dedicated worker over `FileReaderSync` and `File.slice`, so a
/// multi-gigabyte archive is read slice by slice and never held whole.
pub(super) struct JsReadAt {
    pub(super) read: js_sys::Function,
    pub(super) len: u64,
}

impl archive::ReadAt for JsReadAt {
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

/// The verifier's `progress(done, total)` as a Rust callback over the optional JS function
/// (the verify page's and the restore's). A failing JS callback must not stop the
/// verification, so what it throws is dropped.
pub(super) fn progress_callback(progress: &Option<js_sys::Function>) -> impl FnMut(u64, u64) + '_ {
    move |done, total| {
        if let Some(p) = progress {
            let _ = p.call2(
                &JsValue::NULL,
                &JsValue::from_f64(done as f64),
                &JsValue::from_f64(total as f64),
            );
        }
    }
}

/// Verify an archive of `len` bytes read through `read(offset, length) -> Uint8Array`
/// (synchronous). `progress(done, total)` is called as bytes are checked.
/// `expected_fingerprint` (last, optional) is the archive fingerprint (SHA-256 of
/// `manifest.json`) given separately; `tsa_roots_pem` (optional) the PEM text of the
/// timestamp-authority roots the caseworker trusts. Returns the verifier's report
/// (`crate::archive::verdict::Report`) with camelCase keys.
#[wasm_bindgen(js_name = verifyArchive)]
pub fn verify_archive(
    read: js_sys::Function,
    len: JsValue,
    expected_head: Option<String>,
    progress: Option<js_sys::Function>,
    expected_fingerprint: Option<String>,
    tsa_roots_pem: Option<String>,
) -> Result<JsValue, JsValue> {
    let len: u64 = from_js(len, "file length")?;
    let roots = match tsa_roots_pem.as_deref().map(str::trim) {
        Some(pem) if !pem.is_empty() => {
            crate::tsp::pem::decode_certificates(pem).map_err(js_error)?
        }
        _ => Vec::new(),
    };
    let mut src = JsReadAt { read, len };
    let mut report_progress = progress_callback(&progress);
    to_js_camel(&archive::verify_with_tsa_roots(
        &mut src,
        archive::Expected {
            head: expected_head.as_deref(),
            fingerprint: expected_fingerprint.as_deref(),
        },
        &roots,
        &mut report_progress,
    ))
}

/// The sans-IO archive builder, for `pages/library/export.js` to pump IndexedDB into.
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
///       // or, for a stored artifact hashed by the caller (WebCrypto, off the main thread):
///       //   for (const chunk of slicesOf(bytes)) { b.storedChunkUnhashed(chunk); out.push(chunk); }
///       //   out.push(b.endArtifactWithSha256(hex(await crypto.subtle.digest("SHA-256", bytes))));
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
    inner: ArchiveBuilder,
}

/// What `ArchiveBuilder.finish` answers: the last bytes and what the export wrote.
#[derive(Serialize)]
struct FinishedJs {
    bytes: Bytes,
    #[serde(flatten)]
    done: archive::ExportDone,
}

/// The bytes a builder call appends, or its error.
fn emit(f: impl FnOnce(&mut Vec<u8>) -> crate::Result<()>) -> Result<Vec<u8>, JsValue> {
    let mut out = Vec::new();
    f(&mut out).map_err(js_error)?;
    Ok(out)
}

#[wasm_bindgen(js_class = ArchiveBuilder)]
impl JsArchiveBuilder {
    /// A builder for `meta` (`{toolVersion, createdAtMs, exportedBy, localOffsetMinutes}`)
    /// and `plan` (`[{seq, recordSha256, chainSha256, status}]`, every item in order).
    #[wasm_bindgen(constructor)]
    pub fn new(meta: JsValue, plan: JsValue) -> Result<JsArchiveBuilder, JsValue> {
        let meta = from_js(meta, "export meta")?;
        let plan = from_js(plan, "export plan")?;
        Ok(JsArchiveBuilder {
            inner: ArchiveBuilder::new(meta, plan).map_err(js_error)?,
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
        emit(|out| self.inner.put_record(bytes, out))
    }

    /// Start the artifact asked for; returns its local header to append.
    #[wasm_bindgen(js_name = beginArtifact)]
    pub fn begin_artifact(&mut self) -> Result<Vec<u8>, JsValue> {
        emit(|out| self.inner.begin_artifact(out))
    }

    /// The next chunk of the open artifact; returns the bytes to append (DEFLATE output,
    /// possibly empty, or a copy of the chunk for a stored artifact).
    #[wasm_bindgen(js_name = artifactChunk)]
    pub fn artifact_chunk(&mut self, chunk: &[u8]) -> Result<Vec<u8>, JsValue> {
        emit(|out| self.inner.artifact_chunk(chunk, out))
    }

    /// For a stored artifact (`need.stored`): hash and count `chunk` only; the caller
    /// appends the same `chunk` to its output itself.
    #[wasm_bindgen(js_name = storedChunk)]
    pub fn stored_chunk(&mut self, chunk: &[u8]) -> Result<(), JsValue> {
        self.inner.stored_chunk(chunk).map_err(js_error)
    }

    /// For a stored artifact: count `chunk` (size, CRC-32) without hashing it; the caller
    /// appends `chunk` itself and ends the artifact with `endArtifactWithSha256`.
    #[wasm_bindgen(js_name = storedChunkUnhashed)]
    pub fn stored_chunk_unhashed(&mut self, chunk: &[u8]) -> Result<(), JsValue> {
        self.inner.stored_chunk_unhashed(chunk).map_err(js_error)
    }

    /// End an artifact fed with `storedChunkUnhashed`; `sha256` is the lowercase hex
    /// SHA-256 the caller computed over the same bytes (WebCrypto). Returns its last
    /// bytes to append; throws `STORAGE_DAMAGED` when the size or that SHA-256 differs
    /// from its record (the core decides).
    #[wasm_bindgen(js_name = endArtifactWithSha256)]
    pub fn end_artifact_with_sha256(&mut self, sha256: &str) -> Result<Vec<u8>, JsValue> {
        emit(|out| self.inner.end_artifact_with_sha256(out, sha256))
    }

    /// For the open stored artifact, nothing fed: `sha256` is the caller's fresh SHA-256
    /// of the bytes it appends (the stored Blob, by reference), `row` the artifact's stored
    /// checksum row (`{sha256, size, crc32, check}`, or undefined). Returns the entry's
    /// last bytes to append after them, or `undefined` when no CRC-32 is known (no usable
    /// row, and no entry of the same bytes written yet in this archive) or the builder
    /// keeps these bytes: then feed the bytes as usual. Throws `STORAGE_DAMAGED` when `sha256` is not the record's hash (the core
    /// decides).
    #[wasm_bindgen(js_name = storedArtifactKnown)]
    pub fn stored_artifact_known(
        &mut self,
        sha256: &str,
        row: JsValue,
    ) -> Result<Option<Vec<u8>>, JsValue> {
        // No row (undefined or null), or one that does not even convert: no stored CRC
        // (the core may still know it from this export), and the digest is still checked.
        let known = if row.is_undefined() || row.is_null() {
            None
        } else {
            from_js::<crate::checksum::ArtifactChecksum>(row, "checksum row").ok()
        };
        let mut out = Vec::new();
        let used = self
            .inner
            .stored_artifact_known(sha256, known.as_ref(), &mut out)
            .map_err(js_error)?;
        Ok(used.then_some(out))
    }

    /// End the open artifact; returns its last bytes to append. Throws
    /// `STORAGE_DAMAGED` when its size or SHA-256 differs from its record.
    #[wasm_bindgen(js_name = endArtifact)]
    pub fn end_artifact(&mut self) -> Result<Vec<u8>, JsValue> {
        emit(|out| self.inner.end_artifact(out))
    }

    /// Sign `manifest.json` into `signature.json` with the installation's device key
    /// (32 bytes, P-256; never leaves the device, only its signature and public key do).
    #[wasm_bindgen(js_name = setDeviceKey)]
    pub fn set_device_key(&mut self, secret: &[u8]) -> Result<(), JsValue> {
        self.inner.set_device_key(secret.to_vec()).map_err(js_error)
    }

    /// Export a trusted timestamp: the token's exact DER, over chain value `head` (hex)
    /// after item `seq`. Checked at `finish` (STORAGE_DAMAGED when it does not hold).
    #[wasm_bindgen(js_name = addTimestamp)]
    pub fn add_timestamp(&mut self, seq: f64, head: String, der: &[u8]) {
        self.inner
            .add_timestamp(crate::archive::timestamps::StoredToken {
                seq: seq as u64,
                head,
                der: der.to_vec(),
            });
    }

    /// The artifact asked for is not in storage: returns the `STORAGE_DAMAGED` error to
    /// throw (naming the item and file); the builder cannot continue.
    #[wasm_bindgen(js_name = artifactMissing)]
    pub fn artifact_missing(&mut self) -> JsValue {
        js_error(self.inner.artifact_missing())
    }

    /// Write the index files and the central directory: `{bytes: Uint8Array, head,
    /// counts: {total, included, withheld, removed}, archiveBytes, fingerprint}`.
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        let mut out = Vec::new();
        let done = self.inner.finish(&mut out).map_err(js_error)?;
        to_js(&FinishedJs {
            bytes: Bytes(out),
            done,
        })
    }
}

/// One stored row as the JS hands it over: the checker's row with its record bytes.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredRowJs {
    seq: u64,
    record_sha256: String,
    chain_sha256: String,
    #[serde(default)]
    removed: bool,
    #[serde(default)]
    withheld: bool,
    #[serde(default)]
    record: Option<Bytes>,
    #[serde(default)]
    artifacts: Vec<archive::StoredBlob>,
}

impl From<StoredRowJs> for StoredRow {
    fn from(r: StoredRowJs) -> StoredRow {
        StoredRow {
            seq: r.seq,
            record_sha256: r.record_sha256,
            chain_sha256: r.chain_sha256,
            removed: r.removed,
            withheld: r.withheld,
            record: r.record.map(|b| b.0),
            artifacts: r.artifacts,
        }
    }
}

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
///     checker.push(rows.map((row) => ({
///       seq: row.seq, recordSha256: row.recordSha256, chainSha256: row.chainSha256,
///       removed: row.removed === true,
///       record: row.bytes ?? null, // Uint8Array, or null when the content is gone
///       // per stored artifact: {name, sha256, bytes} from the stored blob, or {name}
///       // when the blob is missing, or {name, error} when it cannot be read
///       artifacts,
///     })));
///     onProgress(checker.checked(), total);
///   }
///   const report = checker.finish();
/// } finally { checker.free(); }
/// ```
///
/// `finish()` returns `{verdict: "PASS"|"FAIL", head, chainOk, counts: {items, ok,
/// modified, missing, withheld, removed, unexpectedFiles}, items: [{seq, path, kind,
/// capturedAt, status: "OK"|"MODIFIED"|"MISSING"|"REMOVED", recordSha256, detail}],
/// problems: [{code, message}]}`: the archive verifier's item rows and counts, with
/// camelCase keys. `MODIFIED` and `MISSING` are damage.
#[wasm_bindgen(js_name = LibraryChecker)]
pub struct JsLibraryChecker {
    inner: Option<LibraryChecker>,
}

fn check_finished() -> JsValue {
    js_error(Error::InvalidInput(
        "this library check is already finished".into(),
    ))
}

fn rows_from_js(rows: JsValue) -> Result<Vec<StoredRow>, JsValue> {
    let rows: Vec<StoredRowJs> = from_js(rows, "stored rows")?;
    Ok(rows.into_iter().map(StoredRow::from).collect())
}

#[wasm_bindgen(js_class = LibraryChecker)]
impl JsLibraryChecker {
    /// A checker for a library whose stored head is `head` (`{seq, chainSha256}` or null).
    #[wasm_bindgen(constructor)]
    pub fn new(head: JsValue) -> Result<JsLibraryChecker, JsValue> {
        Ok(JsLibraryChecker {
            inner: Some(LibraryChecker::new(from_js(head, "stored head")?)),
        })
    }

    /// Check the next rows (an array, in sequence order; see the class documentation).
    pub fn push(&mut self, rows: JsValue) -> Result<(), JsValue> {
        let rows = rows_from_js(rows)?;
        self.inner.as_mut().ok_or_else(check_finished)?.push(&rows);
        Ok(())
    }

    /// Items checked so far (for progress).
    pub fn checked(&self) -> Result<f64, JsValue> {
        Ok(self.inner.as_ref().ok_or_else(check_finished)?.checked() as f64)
    }

    /// The answer, once every row was pushed (see the class documentation).
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        to_js_camel(&self.inner.take().ok_or_else(check_finished)?.finish())
    }

    /// Check one stored item on its own (the item page), after the stored item before it
    /// (`prev`: `{seq, recordSha256, chainSha256}`, or `seq` -1 with the genesis values for
    /// item 0), with the same rules as a full check: `{item: {seq, status, detail, ...},
    /// problems: [{code, message}]}`.
    #[wasm_bindgen(js_name = checkItem)]
    pub fn check_item(prev: JsValue, row: JsValue) -> Result<JsValue, JsValue> {
        let prev: ChainHead = from_js(prev, "previous item")?;
        let row: StoredRowJs = from_js(row, "stored row")?;
        to_js_camel(&LibraryChecker::check_item(&prev, &row.into()))
    }
}
