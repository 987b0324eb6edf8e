//! The restore export: [`crate::restore::ArchiveRestore`] over a JS `read(offset, length)`
//! function (the restore worker's `FileReaderSync` over the chosen `File`, for small
//! reads and backups; an archive's content is streamed in: `ArchiveRestore.streamed`).

use super::archive::{progress_callback, JsReadAt};
use super::convert::{from_js, js_error, to_js, to_js_camel};
use crate::archive::{Expected, ReadAt, VerifyRun, VerifyStart};
use crate::backup::BackupReader;
use crate::error::Error;
use crate::restore::{ArchiveRestore, LibraryRow};
use wasm_bindgen::prelude::*;

/// Restore a library from an archive, step by step (see `crate::restore`).
///
/// JS contract (in a worker; `read(offset, length) -> Uint8Array` is synchronous):
///
/// ```js
/// const r = new core.ArchiveRestore(read, file.size, progress, expectedHead, expectedFingerprint);
/// try {
///   const report = r.report(); // the verifier's report, as verifyArchive gives it
///   if (r.refusal()) throw ...; // did not pass verification: nothing may be stored
///   const plan = r.plan(rows.map(({seq, recordSha256, chainSha256, held}) => ...));
///   // plan: {refusal, items: [{seq, action: "add"|"fill", status, recordSha256,
///   //        chainSha256}], archiveItems, libraryItems, unchanged, headAfter}
///   if (plan.refusal) throw ...; // another history: nothing may be stored
///   for (let need = r.next(); need.kind !== "done"; need = r.next()) {
///     if (need.kind === "record") records.set(need.seq, r.readRecord());
///     else if (alreadyStored(need.sha256)) r.skipArtifact(); // {seq, name, sha256, bytes, mediaType}
///     else r.readArtifact((chunk) => store(chunk)); // throws when the bytes differ
///   }
///   const { rows, head } = r.finish(); // rows to store in one transaction; head or null
/// } finally { r.free(); }
/// ```
#[wasm_bindgen(js_name = ArchiveRestore)]
pub struct JsArchiveRestore {
    src: Box<dyn ReadAt>,
    inner: Option<ArchiveRestore>,
    report: JsValue,
    refusal: Option<String>,
    /// The verification being fed ([`JsArchiveRestore::streamed`]), until `verifyFinish`.
    verifying: Option<VerifyStart>,
}

/// The artifact-feeding sink: each slice of content to `sink(Uint8Array)`.
fn js_sink(sink: &js_sys::Function) -> impl FnMut(&[u8]) -> crate::Result<()> + '_ {
    move |chunk: &[u8]| {
        sink.call1(&JsValue::NULL, &js_sys::Uint8Array::from(chunk))
            .map(|_| ())
            .map_err(|e| Error::Io(format!("storing a slice failed: {e:?}")))
    }
}

fn range_js((offset, length): (u64, u64)) -> JsValue {
    let a = js_sys::Array::new();
    a.push(&JsValue::from_f64(offset as f64));
    a.push(&JsValue::from_f64(length as f64));
    a.into()
}

fn not_open() -> JsValue {
    js_error(Error::InvalidInput(
        "this archive cannot be restored (see refusal())".into(),
    ))
}

#[wasm_bindgen(js_class = ArchiveRestore)]
impl JsArchiveRestore {
    /// Verify the archive (the CLI's verifier, `progress(done, total)` as it reads) and,
    /// when it passes, get ready to restore it. With `backup_passphrase`, the file is an
    /// encrypted backup (`.age`): the archive inside it is read and verified by ranges.
    /// A wrong passphrase gives `refusal()` and no report.
    #[wasm_bindgen(constructor)]
    pub fn new(
        read: js_sys::Function,
        len: JsValue,
        progress: Option<js_sys::Function>,
        expected_head: Option<String>,
        expected_fingerprint: Option<String>,
        backup_passphrase: Option<String>,
    ) -> Result<JsArchiveRestore, JsValue> {
        let len: u64 = from_js(len, "file length")?;
        let file = JsReadAt { read, len };
        let mut src: Box<dyn ReadAt> = match backup_passphrase {
            None => Box::new(file),
            Some(pass) => match BackupReader::open(file, &pass) {
                Ok(r) => Box::new(r),
                Err(e) => {
                    let refusal = match e {
                        Error::WrongPassphrase => "The backup passphrase is not right, so the backup was not opened. Nothing was changed.".to_string(),
                        e => format!("This backup cannot be opened ({e}). Nothing was changed."),
                    };
                    return Ok(JsArchiveRestore {
                        src: Box::new(Vec::new()),
                        inner: None,
                        report: JsValue::NULL,
                        refusal: Some(refusal),
                        verifying: None,
                    });
                }
            },
        };
        let mut report_progress = progress_callback(&progress);
        let opened = ArchiveRestore::open(
            src.as_mut(),
            Expected {
                head: expected_head.as_deref(),
                fingerprint: expected_fingerprint.as_deref(),
            },
            &mut report_progress,
        );
        Ok(JsArchiveRestore {
            src,
            report: to_js_camel(&opened.report)?,
            inner: opened.restore,
            refusal: opened.refusal,
            verifying: None,
        })
    }

    /// An archive (not a backup) whose content the caller streams in: this opens its ZIP
    /// (small reads through `read`); then, for each `[offset, length]` that
    /// `verifyNext()` gives, feed those bytes of the file in order to `verifyFeed(chunk)`
    /// (any slice size, one reused buffer is fine), or `verifyFail(why)` when they cannot
    /// be read, and call `verifyEnd()` (answers `[done, total]`); when `verifyNext()`
    /// gives undefined, `verifyFinish()`. Then `report()` and `refusal()` as after the
    /// constructor. Artifacts can be streamed the same way (`artifactBegin`).
    pub fn streamed(
        read: js_sys::Function,
        len: JsValue,
        expected_head: Option<String>,
        expected_fingerprint: Option<String>,
    ) -> Result<JsArchiveRestore, JsValue> {
        let len: u64 = from_js(len, "file length")?;
        let mut src: Box<dyn ReadAt> = Box::new(JsReadAt { read, len });
        let start = VerifyRun::start(
            src.as_mut(),
            Expected {
                head: expected_head.as_deref(),
                fingerprint: expected_fingerprint.as_deref(),
            },
        );
        Ok(JsArchiveRestore {
            src,
            inner: None,
            report: JsValue::NULL,
            refusal: None,
            verifying: Some(start),
        })
    }

    fn run(&mut self) -> Option<&mut VerifyRun> {
        match self.verifying.as_mut() {
            Some(VerifyStart::Run(r)) => Some(r),
            _ => None,
        }
    }

    /// The next `[offset, length]` of the file to feed, or undefined when all is read.
    #[wasm_bindgen(js_name = verifyNext)]
    pub fn verify_next(&mut self) -> JsValue {
        match self.run().and_then(|r| r.next_range()) {
            Some(range) => range_js(range),
            None => JsValue::UNDEFINED,
        }
    }

    /// The next bytes of the range being verified.
    #[wasm_bindgen(js_name = verifyFeed)]
    pub fn verify_feed(&mut self, chunk: &[u8]) {
        if let Some(r) = self.run() {
            r.feed(chunk);
        }
    }

    /// The range being verified could not be read (`why`).
    #[wasm_bindgen(js_name = verifyFail)]
    pub fn verify_fail(&mut self, why: String) {
        if let Some(r) = self.run() {
            r.fail(Error::Io(format!("reading the file failed: {why}")));
        }
    }

    /// The range is fed: `[done, total]` archive bytes.
    #[wasm_bindgen(js_name = verifyEnd)]
    pub fn verify_end(&mut self) -> JsValue {
        range_js(self.run().map_or((0, 0), |r| r.end_entry()))
    }

    /// Every range is fed: make the cross-checks, and on a PASS get ready to restore.
    #[wasm_bindgen(js_name = verifyFinish)]
    pub fn verify_finish(&mut self) -> Result<(), JsValue> {
        let report = match self.verifying.take() {
            Some(VerifyStart::Run(r)) => r.finish(&[]),
            Some(VerifyStart::Done(report)) => *report,
            None => return Err(not_open()),
        };
        let opened = ArchiveRestore::after_verify(self.src.as_mut(), report);
        self.report = to_js_camel(&opened.report)?;
        self.inner = opened.restore;
        self.refusal = opened.refusal;
        Ok(())
    }

    /// Begin the artifact asked for, to stream it in: `[offset, length, stored]`, where
    /// its stored bytes are in the file; give them in order to `artifactFeed(chunk,
    /// sink)`, then call `artifactEnd(sink)` (throws when its size or SHA-256 differs:
    /// store nothing). `stored` (1 or 0): the artifact is stored uncompressed, so its
    /// content is exactly the bytes fed, and `artifactFeed` may be given no sink.
    #[wasm_bindgen(js_name = artifactBegin)]
    pub fn artifact_begin(&mut self) -> Result<JsValue, JsValue> {
        let inner = self.inner.as_mut().ok_or_else(not_open)?;
        let ((offset, length), stored) = inner.begin_artifact().map_err(js_error)?;
        let out = js_sys::Array::new();
        out.push(&JsValue::from_f64(offset as f64));
        out.push(&JsValue::from_f64(length as f64));
        out.push(&JsValue::from_f64(if stored { 1.0 } else { 0.0 }));
        Ok(out.into())
    }

    /// The begun artifact's next stored bytes; its content goes to `sink(Uint8Array)`
    /// (no sink: only for a `stored` artifact, whose content the caller has already).
    #[wasm_bindgen(js_name = artifactFeed)]
    pub fn artifact_feed(
        &mut self,
        chunk: &[u8],
        sink: Option<js_sys::Function>,
    ) -> Result<(), JsValue> {
        let inner = self.inner.as_mut().ok_or_else(not_open)?;
        match &sink {
            Some(f) => inner.feed_artifact(chunk, &mut js_sink(f)),
            None => inner.feed_artifact_unsent(chunk),
        }
        .map_err(js_error)
    }

    /// The begun artifact is fed: check it (see `artifactBegin`).
    #[wasm_bindgen(js_name = artifactEnd)]
    pub fn artifact_end(&mut self, sink: js_sys::Function) -> Result<(), JsValue> {
        let inner = self.inner.as_mut().ok_or_else(not_open)?;
        inner.end_artifact(&mut js_sink(&sink)).map_err(js_error)
    }

    /// The verifier's report (camelCase, as `verifyArchive` answers).
    pub fn report(&self) -> JsValue {
        self.report.clone()
    }

    /// Why this archive cannot be restored (it failed verification), or undefined.
    pub fn refusal(&self) -> Option<String> {
        self.refusal.clone()
    }

    /// Plan the restore into a library holding `rows` (`[{seq, recordSha256, chainSha256,
    /// held: "content"|"removed"|"withheld"}]`, in order from 0).
    pub fn plan(&mut self, rows: JsValue) -> Result<JsValue, JsValue> {
        let rows: Vec<LibraryRow> = from_js(rows, "library rows")?;
        let inner = self.inner.as_mut().ok_or_else(not_open)?;
        to_js(&inner.plan(&rows))
    }

    /// What is needed next: `{kind: "record", seq}`, `{kind: "artifact", seq, name, sha256,
    /// bytes, mediaType}` or `{kind: "done"}`.
    // The JS name mirrors `ArchiveBuilder.next`; this is not an iterator.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<JsValue, JsValue> {
        let inner = self.inner.as_mut().ok_or_else(not_open)?;
        to_js(&inner.next(self.src.as_mut()).map_err(js_error)?)
    }

    /// The record asked for: its exact bytes, checked against the verified ledger.
    #[wasm_bindgen(js_name = readRecord)]
    pub fn read_record(&mut self) -> Result<Vec<u8>, JsValue> {
        let inner = self.inner.as_mut().ok_or_else(not_open)?;
        inner.read_record(self.src.as_mut()).map_err(js_error)
    }

    /// Stream the artifact asked for to `sink(Uint8Array)`, at most 4 MiB a call; throws
    /// when its size or SHA-256 differs from its record (then store nothing of it).
    #[wasm_bindgen(js_name = readArtifact)]
    pub fn read_artifact(&mut self, sink: js_sys::Function) -> Result<(), JsValue> {
        let inner = self.inner.as_mut().ok_or_else(not_open)?;
        inner
            .read_artifact(self.src.as_mut(), &mut js_sink(&sink))
            .map_err(js_error)
    }

    /// The archive's trusted timestamps the verifier passed, to store in the library:
    /// `[{seq, head, tsaName, genTime, der: Uint8Array}]` (each read again and checked).
    pub fn timestamps(&mut self) -> Result<JsValue, JsValue> {
        let inner = self.inner.as_ref().ok_or_else(not_open)?;
        to_js(&inner.timestamps(self.src.as_mut()).map_err(js_error)?)
    }

    /// Skip the artifact asked for: storage already holds a blob with its hash.
    #[wasm_bindgen(js_name = skipArtifact)]
    pub fn skip_artifact(&mut self) -> Result<(), JsValue> {
        let inner = self.inner.as_mut().ok_or_else(not_open)?;
        inner.skip_artifact().map_err(js_error)
    }

    /// `{rows: [{seq, action, recordSha256, chainSha256, id, kind, capturedAt, artifacts,
    /// included, withheld, removed, removedBy, removedAt}], head: {seq, recordSha256,
    /// chainSha256} | null}`. Artifacts keep the record's own keys (`media_type`).
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        let inner = self.inner.take().ok_or_else(not_open)?;
        to_js(&inner.finish().map_err(js_error)?)
    }
}

/// "Back up everything": the archive's bytes in, the `.age` file's bytes out (scrypt
/// passphrase, the standard age format; see `crate::backup`).
///
/// ```js
/// const w = new core.BackupWriter(passphrase); // throws INVALID_INPUT when too short
/// try { for (const chunk of archiveSlices) out.push(w.push(chunk)); out.push(w.finish()); }
/// finally { w.free(); }
/// ```
#[wasm_bindgen(js_name = BackupWriter)]
pub struct JsBackupWriter {
    inner: crate::backup::BackupWriter,
}

#[wasm_bindgen(js_class = BackupWriter)]
impl JsBackupWriter {
    /// A writer for `passphrase` (runs scrypt once: a few seconds in WASM, 256 MiB).
    #[wasm_bindgen(constructor)]
    pub fn new(passphrase: &str) -> Result<JsBackupWriter, JsValue> {
        Ok(JsBackupWriter {
            inner: crate::backup::BackupWriter::new(passphrase).map_err(js_error)?,
        })
    }

    /// Encrypt the next slice; returns the age bytes ready so far.
    pub fn push(&mut self, chunk: &[u8]) -> Result<Vec<u8>, JsValue> {
        self.inner.push(chunk).map_err(js_error)
    }

    /// The last bytes of the age file.
    pub fn finish(&mut self) -> Result<Vec<u8>, JsValue> {
        self.inner.finish().map_err(js_error)
    }
}
