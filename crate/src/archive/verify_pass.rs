//! The verifier's one pass over the ZIP's entries, as a run that is fed step by step.
//!
//! [`VerifyRun::start`] opens the ZIP (its central directory, a few small reads) and makes
//! the checks that need no content. Then, entry after entry in file order,
//! [`VerifyRun::next_range`] says which stored bytes to read, [`VerifyRun::feed`] takes
//! them in order, in slices of any size, and [`VerifyRun::end_entry`] closes the entry;
//! [`VerifyRun::finish`] makes every cross-check and gives the report. The CLI drives it
//! from a file ([`super::verify_with_tsa_roots`]); the browser's restore drives it from a
//! stream of the chosen file read into one reused buffer, so that reading gigabytes
//! leaves no garbage for the browser to collect later (reads that each return a fresh
//! buffer let a 2 GB archive hold hundreds of megabytes before the collector runs).

use super::entry::EntryReader;
use super::readat::ReadAt;
use super::verdict::Report;
use super::verify_checks::declared_size_refusal;
use super::verify_state::{Pass, Seen, Verifier};
use super::zipread::ZipArchive;
use super::*;
use crate::error::Error;
use std::collections::BTreeMap;

/// Largest `manifest.json`, `ledger.json` or `SHA256SUMS` kept in memory.
const MAX_INDEX_BYTES: u64 = 64 << 20;
/// Largest `record.json` kept in memory.
const MAX_RECORD_BYTES: u64 = 16 << 20;
/// Most record bytes kept in memory in total.
const MAX_KEPT_BYTES: u64 = 512 << 20;

fn keep_limit(path: &str) -> Option<u64> {
    if matches!(path, MANIFEST_PATH | LEDGER_PATH | SUMS_PATH) {
        return Some(MAX_INDEX_BYTES);
    }
    if path == super::signature::SIGNATURE_PATH {
        return Some(super::verify_signature::MAX_SIGNATURE_BYTES);
    }
    if super::verify_timestamps::is_timestamp_file(path) {
        return Some(super::verify_timestamps::MAX_TIMESTAMP_FILE_BYTES);
    }
    match parse_item_path(path) {
        Some((_, RECORD_FILE)) => Some(MAX_RECORD_BYTES),
        _ => None,
    }
}

/// The entry being read.
struct Current {
    index: usize,
    reader: Option<EntryReader>,
    error: Option<Error>,
    limit: Option<u64>,
    keep: Option<Vec<u8>>,
}

/// A verification in progress (see the module documentation).
pub struct VerifyRun {
    report: Report,
    zip: ZipArchive,
    expected: Option<String>,
    fingerprint: Option<String>,
    pass: Pass,
    /// Entry indexes in file order.
    order: Vec<usize>,
    next: usize,
    current: Option<Current>,
    kept_total: u64,
    done: u64,
    total: u64,
}

/// What [`VerifyRun::start`] gives: a run to feed, or the report already (the file is
/// not a ZIP, or declares more than it can hold).
pub enum VerifyStart {
    /// Feed the entries.
    Run(Box<VerifyRun>),
    /// Nothing to read: the report.
    Done(Box<Report>),
}

impl VerifyRun {
    /// Open the ZIP in `src` and check what needs no content; `given` is what the
    /// caseworker received separately.
    pub fn start<R: ReadAt + ?Sized>(src: &mut R, given: Expected<'_>) -> VerifyStart {
        let mut report = Report::new(src.len());
        let expected = given.head.map(|h| h.trim().to_ascii_lowercase());
        let fingerprint = given.fingerprint.map(|h| h.trim().to_ascii_lowercase());
        report.head.expected = expected.clone();
        report.fingerprint.expected = fingerprint.clone();
        let zip = match ZipArchive::open(src) {
            Ok(z) => z,
            Err(e) => {
                let why = match e {
                    Error::Archive(m) | Error::Io(m) => m,
                    other => other.to_string(),
                };
                report.problem(
                    "ZIP",
                    format!("This file is not a readable evidence archive: {why}"),
                );
                report.finish();
                return VerifyStart::Done(Box::new(report));
            }
        };
        report.archive.entries = zip.entries().len() as u64;
        report.archive.zip64 = zip.is_zip64();
        if let Some(why) = declared_size_refusal(&zip, src.len()) {
            report.problem("TOO_LARGE", why);
            report.finish();
            return VerifyStart::Done(Box::new(report));
        }
        if zip.deviation_count() > 0 {
            let shown: Vec<&str> = zip
                .deviations()
                .iter()
                .take(3)
                .map(String::as_str)
                .collect();
            report.problem(
                "CONTAINER",
                format!(
                    "The ZIP container is not exactly as evidence-capture wrote it, so it was re-packed or altered after export ({} difference{}: {})",
                    zip.deviation_count(),
                    if zip.deviation_count() == 1 { "" } else { "s" },
                    shown.join("; ")
                ),
            );
        }
        let total = zip
            .entries()
            .iter()
            .fold(0u64, |a, e| a.saturating_add(e.compressed_size));
        let mut order: Vec<usize> = (0..zip.entries().len()).collect();
        order.sort_by_key(|&i| zip.entries()[i].header_offset);
        VerifyStart::Run(Box::new(VerifyRun {
            report,
            zip,
            expected,
            fingerprint,
            pass: Pass {
                seen: BTreeMap::new(),
                kept: BTreeMap::new(),
                recompressed_differently: Vec::new(),
            },
            order,
            next: 0,
            current: None,
            kept_total: 0,
            done: 0,
            total,
        }))
    }

    /// Begin the next entry: the offset and length of its stored bytes, to feed in order
    /// (length 0: call [`Self::end_entry`] at once). `None` when every entry is read.
    pub fn next_range(&mut self) -> Option<(u64, u64)> {
        if self.current.is_some() {
            self.end_entry();
        }
        let index = *self.order.get(self.next)?;
        self.next += 1;
        let e = &self.zip.entries()[index];
        let limit = keep_limit(&e.name);
        let keep = match limit {
            Some(l)
                if e.uncompressed_size <= l
                    && self.kept_total + e.uncompressed_size <= MAX_KEPT_BYTES =>
            {
                self.kept_total += e.uncompressed_size;
                Some(Vec::with_capacity(e.uncompressed_size.min(1 << 20) as usize))
            }
            _ => None,
        };
        self.current = Some(Current {
            index,
            reader: Some(EntryReader::new(e)),
            error: None,
            limit,
            keep,
        });
        Some((e.data_offset, e.compressed_size))
    }

    /// The current entry's next stored bytes. A problem is kept for the entry's row.
    pub fn feed(&mut self, chunk: &[u8]) {
        let Some(c) = self.current.as_mut() else {
            return;
        };
        let Some(r) = c.reader.as_mut() else {
            return;
        };
        let keep = &mut c.keep;
        let fed = r.feed(chunk, &mut |out: &[u8]| {
            if let Some(k) = keep.as_mut() {
                k.extend_from_slice(out);
            }
            Ok(())
        });
        if let Err(e) = fed {
            c.reader = None;
            c.error = Some(e);
        }
    }

    /// The current entry could not be read (`why`): it is shown as broken.
    pub fn fail(&mut self, why: Error) {
        if let Some(c) = self.current.as_mut() {
            c.reader = None;
            c.error.get_or_insert(why);
        }
    }

    /// Close the current entry; gives the archive bytes read so far and in all.
    pub fn end_entry(&mut self) -> (u64, u64) {
        let Some(mut c) = self.current.take() else {
            return (self.done, self.total);
        };
        let e = &self.zip.entries()[c.index];
        let name = e.name.clone();
        self.done = self.done.saturating_add(e.compressed_size);
        let result = match (c.reader.take(), c.error.take()) {
            (_, Some(err)) => Err(err),
            (Some(r), None) => {
                let keep = &mut c.keep;
                r.finish(&mut |out: &[u8]| {
                    if let Some(k) = keep.as_mut() {
                        k.extend_from_slice(out);
                    }
                    Ok(())
                })
            }
            (None, None) => Err(Error::Archive(format!("entry {name:?} was not read"))),
        };
        let seen = match result {
            Ok(d) => {
                if d.deflate_canonical == Some(false) {
                    self.pass.recompressed_differently.push(name.clone());
                }
                if let Some(k) = c.keep {
                    self.pass.kept.insert(name.clone(), k);
                } else if c.limit.is_some() {
                    self.pass.seen.insert(
                        name,
                        Seen::Broken(format!(
                            "it is {} bytes, too large for this verifier to check",
                            e.uncompressed_size
                        )),
                    );
                    return (self.done, self.total);
                }
                Seen::Read {
                    bytes: d.bytes,
                    sha256: d.sha256,
                }
            }
            Err(err) => Seen::Broken(err.to_string()),
        };
        self.pass.seen.insert(name, seen);
        (self.done, self.total)
    }

    /// Every cross-check, once every entry is read (entries never begun count as
    /// missing), with the timestamp authorities' roots (DER) the caseworker trusts.
    pub fn finish(mut self, tsa_roots: &[Vec<u8>]) -> Report {
        if self.current.is_some() {
            self.end_entry();
        }
        let pass = self.pass;
        let mut report = self.report;
        if let Some(first) = pass.recompressed_differently.first() {
            report.problem(
                "CONTAINER",
                format!(
                    "The compressed bytes of {first}{} are not what evidence-capture writes for their content, so the archive was re-packed or its bytes altered after export",
                    match pass.recompressed_differently.len() {
                        1 => String::new(),
                        n => format!(" and {} other files", n - 1),
                    }
                ),
            );
        }
        let mut v = Verifier {
            report,
            pass,
            manifest: None,
            sums: None,
            ledger: None,
        };
        v.load_index();
        v.check_files();
        v.check_items_and_chain(self.expected.as_deref());
        v.check_exhibits();
        v.check_fingerprint(self.fingerprint.as_deref());
        v.check_timestamps(tsa_roots);
        v.check_signature();
        v.report.finish();
        v.report.summarise_timestamps();
        v.report.summarise_signature();
        v.report
    }
}

/// Drive a run from `src`, reading each entry in slices of at most
/// [`super::entry::CHUNK`] bytes.
pub(super) fn run_from<R: ReadAt + ?Sized>(
    src: &mut R,
    run: &mut VerifyRun,
    progress: &mut dyn FnMut(u64, u64),
) {
    let mut buf = Vec::new();
    while let Some((mut pos, mut left)) = run.next_range() {
        let want = left.min(super::entry::CHUNK as u64) as usize;
        if buf.len() < want {
            buf.resize(want, 0);
        }
        while left > 0 {
            let n = left.min(want as u64) as usize;
            if let Err(e) = src.read_at(pos, &mut buf[..n]) {
                run.fail(e);
                break;
            }
            run.feed(&buf[..n]);
            pos += n as u64;
            left -= n as u64;
        }
        let (done, total) = run.end_entry();
        progress(done, total);
    }
}
