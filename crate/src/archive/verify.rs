//! The archive verifier: one pass over the ZIP, then every cross-check.
//!
//! Checks, in order: the ZIP structure (and that it is exactly as evidence-capture writes
//! it); every file against `manifest.json` and `SHA256SUMS`; the ledger's chain from the
//! genesis value to its head; the manifest's head, counts and date range; every included
//! record against its ledger hash, sequence number and link to the previous record;
//! every artifact against its record; stray files; and the head the caseworker was given.
//! It never panics: a file that is not an archive at all gives a FAIL report too.

use super::index::{build_sha256sums, parse_sha256sums, FileInfo, LedgerFile, Manifest, TOOL_NAME};
use super::readat::ReadAt;
use super::verdict::{FileRow, FileState, Report};
use super::verify_pass::{run_from, VerifyRun, VerifyStart};
use super::verify_state::{Seen, Verifier};
use super::*;
use std::collections::{BTreeMap, BTreeSet};

/// What the caseworker received separately from the person who exported, to check the
/// archive against: the head hash and the archive fingerprint (SHA-256 of
/// `manifest.json`), each 64 hex digits. Without either, a PASS is not authenticated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Expected<'a> {
    /// The head hash, if one was given.
    pub head: Option<&'a str>,
    /// The archive fingerprint, if one was given.
    pub fingerprint: Option<&'a str>,
}

/// Verify an archive held in memory.
pub fn verify_bytes(bytes: &[u8], expected_head: Option<&str>) -> Report {
    let mut src: &[u8] = bytes;
    verify(&mut src, expected_head)
}

/// [`verify_bytes`] against a head and/or fingerprint.
pub fn verify_bytes_expecting(bytes: &[u8], expected: Expected<'_>) -> Report {
    let mut src: &[u8] = bytes;
    verify_expecting(&mut src, expected, &mut |_, _| {})
}

/// Verify an archive. `expected_head` is the head hash the caseworker received
/// separately, if any. Never panics: every failure becomes part of the report.
pub fn verify<R: ReadAt + ?Sized>(src: &mut R, expected_head: Option<&str>) -> Report {
    verify_with_progress(src, expected_head, &mut |_, _| {})
}

/// [`verify`], calling `progress(done, total)` (archive bytes) after each entry.
pub fn verify_with_progress<R: ReadAt + ?Sized>(
    src: &mut R,
    expected_head: Option<&str>,
    progress: &mut dyn FnMut(u64, u64),
) -> Report {
    let expected = Expected {
        head: expected_head,
        fingerprint: None,
    };
    verify_expecting(src, expected, progress)
}

/// Verify an archive against what the caseworker was given separately ([`Expected`]),
/// calling `progress(done, total)` (archive bytes) after each entry. Never panics.
/// Trusted timestamps are checked with no trusted root: each is at best UNTRUSTED.
pub fn verify_expecting<R: ReadAt + ?Sized>(
    src: &mut R,
    given: Expected<'_>,
    progress: &mut dyn FnMut(u64, u64),
) -> Report {
    verify_with_tsa_roots(src, given, &[], progress)
}

/// [`verify_expecting`], with the timestamp authorities' root certificates (DER) the
/// caseworker trusts (`--tsa-ca`).
pub fn verify_with_tsa_roots<R: ReadAt + ?Sized>(
    src: &mut R,
    given: Expected<'_>,
    tsa_roots: &[Vec<u8>],
    progress: &mut dyn FnMut(u64, u64),
) -> Report {
    match VerifyRun::start(src, given) {
        VerifyStart::Done(report) => *report,
        VerifyStart::Run(mut run) => {
            run_from(src, &mut run, progress);
            run.finish(tsa_roots)
        }
    }
}

impl Verifier {
    /// Fetch a kept index file, reporting why it is unusable when it is.
    fn index_bytes(&mut self, path: &str, code: &str) -> Option<Vec<u8>> {
        if let Some(b) = self.pass.kept.get(path) {
            return Some(b.clone());
        }
        let msg = match self.pass.seen.get(path) {
            None => format!("{path} is missing, so the archive cannot be checked fully"),
            Some(Seen::Broken(e)) => format!("{path} cannot be read: {e}"),
            Some(Seen::Read { .. }) => format!("{path} could not be kept for checking"),
        };
        self.report.problem(code, msg);
        None
    }

    pub(super) fn load_index(&mut self) {
        if let Some(b) = self.index_bytes(MANIFEST_PATH, "MANIFEST") {
            match Manifest::parse(&b) {
                Ok(m) => {
                    if m.to_json_bytes().ok().as_deref() != Some(&b[..]) {
                        self.report.problem(
                            "NOT_CANONICAL",
                            "manifest.json is not laid out exactly as evidence-capture writes it (it was edited)",
                        );
                    }
                    let refused = self.refuse_unsafe_manifest_fields(&m);
                    let shown =
                        |name: &str, v: &str| (!refused.contains(&name)).then(|| v.to_string());
                    let a = &mut self.report.archive;
                    a.format = shown("format", &m.format);
                    a.tool = match (
                        shown("tool.name", &m.tool.name),
                        shown("tool.version", &m.tool.version),
                    ) {
                        (Some(n), Some(v)) => Some(format!("{n} {v}")),
                        _ => Some("(not shown: see the problems)".into()),
                    };
                    a.created_at = shown("created_at", &m.created_at);
                    a.exported_by = m
                        .exported_by
                        .as_deref()
                        .and_then(|v| shown("exported_by", v));
                    a.first_item_at = m
                        .date_range
                        .first
                        .as_deref()
                        .and_then(|v| shown("date_range.first", v));
                    a.last_item_at = m
                        .date_range
                        .last
                        .as_deref()
                        .and_then(|v| shown("date_range.last", v));
                    self.report.head.manifest = shown("head", &m.head);
                    if m.tool.name != TOOL_NAME && !refused.contains(&"tool.name") {
                        self.report.problem(
                            "MANIFEST",
                            format!(
                                "manifest.json names the tool {:?}, not {TOOL_NAME}",
                                m.tool.name
                            ),
                        );
                    }
                    if chrono::DateTime::parse_from_rfc3339(&m.created_at).is_err()
                        && !refused.contains(&"created_at")
                    {
                        self.report
                            .problem("MANIFEST", "manifest.json has no valid creation time");
                    }
                    self.manifest = Some(m);
                }
                Err(e) => self.report.problem("MANIFEST", e.to_string()),
            }
        }
        if let Some(b) = self.index_bytes(SUMS_PATH, "SHA256SUMS") {
            match parse_sha256sums(&b) {
                Ok(lines) => {
                    let mut map = BTreeMap::new();
                    let mut infos = Vec::new();
                    for (hash, path) in lines {
                        infos.push(FileInfo {
                            path: path.clone(),
                            bytes: 0,
                            sha256: hash.clone(),
                        });
                        if map.insert(path.clone(), hash).is_some() {
                            self.report
                                .problem("SHA256SUMS", format!("SHA256SUMS lists {path} twice"));
                        }
                    }
                    if build_sha256sums(&infos).ok().as_deref() != Some(&b[..]) {
                        self.report.problem(
                            "NOT_CANONICAL",
                            "SHA256SUMS is not laid out exactly as evidence-capture writes it (it was edited)",
                        );
                    }
                    self.sums = Some(map);
                }
                Err(e) => self.report.problem("SHA256SUMS", e.to_string()),
            }
        }
        if let Some(b) = self.index_bytes(LEDGER_PATH, "LEDGER") {
            match LedgerFile::parse(&b) {
                Ok(l) => {
                    if l.to_json_bytes().ok().as_deref() != Some(&b[..]) {
                        self.report.problem(
                            "NOT_CANONICAL",
                            "ledger.json is not laid out exactly as evidence-capture writes it (it was edited)",
                        );
                    }
                    self.report.head.ledger = Some(l.head.clone());
                    self.ledger = Some(l);
                }
                Err(e) => self.report.problem("LEDGER", e.to_string()),
            }
        }
    }

    pub(super) fn check_files(&mut self) {
        let mut manifest_files: BTreeMap<&str, &FileInfo> = BTreeMap::new();
        if let Some(m) = &self.manifest {
            for f in &m.files {
                if manifest_files.insert(f.path.as_str(), f).is_some() {
                    self.report
                        .problem("MANIFEST", format!("manifest.json lists {} twice", f.path));
                }
            }
            for own in [MANIFEST_PATH, SUMS_PATH] {
                if manifest_files.contains_key(own) {
                    self.report.problem(
                        "MANIFEST",
                        format!("manifest.json lists {own}, which it must not"),
                    );
                }
            }
        }
        let mut paths: BTreeSet<String> = self.pass.seen.keys().cloned().collect();
        paths.extend(manifest_files.keys().map(|p| p.to_string()));
        if let Some(s) = &self.sums {
            paths.extend(s.keys().cloned());
        }
        paths.extend(TOP_LEVEL_FILES.iter().map(|p| p.to_string()));
        let mut rows = Vec::new();
        for path in paths {
            let mut row = FileRow {
                path: path.clone(),
                bytes: None,
                sha256: None,
                status: FileState::Ok,
                detail: String::new(),
            };
            let seen = self.pass.seen.get(&path);
            let in_manifest = manifest_files.get(path.as_str());
            let in_sums = self.sums.as_ref().and_then(|s| s.get(&path));
            match seen {
                None => {
                    row.status = FileState::Missing;
                    row.detail = match (in_manifest.is_some(), in_sums.is_some()) {
                        (true, _) => "listed in manifest.json but not in the archive".into(),
                        (false, true) => "listed in SHA256SUMS but not in the archive".into(),
                        _ => "every evidence archive has this file, but it is absent".into(),
                    };
                }
                Some(Seen::Broken(e)) => {
                    row.status = FileState::Modified;
                    row.detail = e.clone();
                }
                Some(Seen::Read { bytes, sha256 }) => {
                    row.bytes = Some(*bytes);
                    row.sha256 = Some(sha256.clone());
                    let mut issues = Vec::new();
                    let mut unlisted = Vec::new();
                    if path != SUMS_PATH {
                        match (&self.sums, in_sums) {
                            (Some(_), Some(h)) if h != sha256 => {
                                issues.push("its SHA-256 differs from SHA256SUMS")
                            }
                            (Some(_), None) => unlisted.push("SHA256SUMS"),
                            _ => {}
                        }
                    }
                    // signature.json signs the manifest, so the manifest cannot list it.
                    if path != SUMS_PATH
                        && path != MANIFEST_PATH
                        && path != super::signature::SIGNATURE_PATH
                    {
                        match (&self.manifest, in_manifest) {
                            (Some(_), Some(f)) if f.sha256 != *sha256 || f.bytes != *bytes => {
                                issues.push("its size or SHA-256 differs from manifest.json")
                            }
                            (Some(_), None) => unlisted.push("manifest.json"),
                            _ => {}
                        }
                    }
                    let unparsed = match path.as_str() {
                        MANIFEST_PATH => self.manifest.is_none(),
                        SUMS_PATH => self.sums.is_none(),
                        LEDGER_PATH => self.ledger.is_none(),
                        _ => false,
                    };
                    if unparsed {
                        issues.push("it cannot be parsed");
                    }
                    if !issues.is_empty() {
                        row.status = FileState::Modified;
                        row.detail = issues.join("; ");
                    } else if !unlisted.is_empty() {
                        row.status = FileState::Unexpected;
                        row.detail = format!("not listed in {}", unlisted.join(" or "));
                    }
                }
            }
            rows.push(row);
        }
        self.report.files = rows;
    }
}
