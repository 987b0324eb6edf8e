//! The verifier's exhibit checks: the `exhibits` section of `manifest.json` (references
//! derived from the ledger, never renumbered), and every `exhibits/` file against the
//! artifact it claims to copy. Archives written before exhibit references have no such
//! section and no such files, and verify as before.

use super::verdict::{FileState, ItemState};
use super::verify_state::{Seen, Verifier};
use super::*;
use crate::exhibits::{self, EXHIBITS_DIR};
use crate::record;
use std::collections::BTreeSet;

/// Top-level files an archive may have beyond [`TOP_LEVEL_FILES`] (newer archives write
/// them; older ones do not). Each must be listed in `manifest.json` and `SHA256SUMS`.
pub const OPTIONAL_FILES: [&str; 2] = [PDF_PATH, STATEMENT_PATH];

impl Verifier {
    /// Add the paths the layout accounts for beyond the items: the optional top-level
    /// files present, and the exhibit files the manifest lists.
    pub(super) fn exhibit_expected_files(&self, expected: &mut BTreeSet<String>) {
        for f in OPTIONAL_FILES {
            if self.pass.seen.contains_key(f) {
                expected.insert(f.to_string());
            }
        }
        let Some(ex) = self.manifest.as_ref().and_then(|m| m.exhibits.as_ref()) else {
            return;
        };
        for item in &ex.items {
            for f in &item.files {
                if f.path.starts_with(&format!("{EXHIBITS_DIR}/")) {
                    expected.insert(f.path.clone());
                }
            }
        }
    }

    /// Check the exhibit references and files, and put each item's reference on its row.
    pub(super) fn check_exhibits(&mut self) {
        let Some(ex) = self.manifest.as_ref().and_then(|m| m.exhibits.clone()) else {
            return;
        };
        let initials = exhibits::clean_initials(ex.initials.as_deref());
        if initials != ex.initials {
            self.report.problem(
                "EXHIBITS",
                "the initials in manifest.json are not as evidence-capture writes them",
            );
        }
        let ledger_items = self.report.items.iter().filter(|r| r.seq.is_some()).count();
        if ex.items.len() != ledger_items {
            self.report.problem(
                "EXHIBITS",
                format!(
                    "manifest.json gives exhibit references for {} items, but the ledger has {ledger_items}",
                    ex.items.len()
                ),
            );
        }
        for (i, item) in ex.items.iter().enumerate() {
            let want = exhibits::reference(initials.as_deref(), i as u64);
            if item.seq != i as u64 || item.reference != want {
                self.report.problem(
                    "EXHIBITS",
                    format!(
                        "exhibit reference {:?} in manifest.json is not the one item {i} has ({want}): references were renumbered",
                        item.reference
                    ),
                );
            }
            // Rows are the ledger items in order, then stray files.
            let Some(row) = self
                .report
                .items
                .get_mut(i)
                .filter(|r| r.seq == Some(i as u64))
            else {
                continue;
            };
            row.reference = Some(want);
            if item.files.is_empty() {
                continue;
            }
            if row.status != ItemState::Ok && row.status != ItemState::Modified {
                row.status = ItemState::Modified;
                row.detail = format!(
                    "manifest.json lists exhibit files for it, but it is not included; {}",
                    row.detail
                );
                continue;
            }
            let rec = self
                .pass
                .kept
                .get(&record_path(i as u64))
                .and_then(|b| record::parse(b).ok());
            for f in &item.files {
                let art = rec
                    .as_ref()
                    .and_then(|r| r.artifacts.iter().find(|a| a.name == f.artifact));
                let problem = match (art, self.pass.seen.get(&f.path)) {
                    _ if !f.path.starts_with(&format!("{EXHIBITS_DIR}/")) => {
                        Some("is not under exhibits/".to_string())
                    }
                    (None, _) => Some(format!(
                        "claims to copy {:?}, which its record does not list",
                        f.artifact
                    )),
                    (_, None) => Some("is missing from the archive".to_string()),
                    (_, Some(Seen::Broken(e))) => Some(format!("cannot be read: {e}")),
                    (Some(a), Some(Seen::Read { bytes, sha256 })) => (a.sha256 != *sha256
                        || a.bytes != *bytes)
                        .then(|| format!("is not a byte-identical copy of {}", a.name)),
                };
                if let Some(p) = problem {
                    let detail = format!("its exhibit file {} {p}", f.path);
                    row.status = if p.contains("missing") {
                        ItemState::Missing
                    } else {
                        ItemState::Modified
                    };
                    row.detail = if row.detail.is_empty() {
                        detail.clone()
                    } else {
                        format!("{}; {detail}", row.detail)
                    };
                    if let Some(fr) = self.report.files.iter_mut().find(|r| r.path == f.path) {
                        if fr.status == FileState::Ok {
                            fr.status = FileState::Modified;
                        }
                        fr.detail = detail;
                    }
                }
            }
        }
    }
}
