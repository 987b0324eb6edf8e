//! The chain and item checks of the verifier: the ledger's links, the manifest against
//! the ledger, every included record and its artifacts, stray files, and the head the
//! caseworker was given.

use super::index::{date_range, ItemStatus, LedgerFile};
use super::item_rules::{
    blame_previous, check_included, kind_name, records_removal_of, removed_detail, ChainWalk,
    Found, ItemFacts, ItemVerdict, Link,
};
use super::verdict::{FileState, ItemRow, ItemState};
use super::verify_state::{Seen, Verifier};
use super::*;
use crate::hash::is_digest;
use crate::ledger::genesis_chain_hex;
use crate::record::{self, genesis_hex, Record};
use std::collections::BTreeSet;

impl Verifier {
    pub(super) fn check_items_and_chain(&mut self, expected: Option<&str>) {
        let Some(ledger) = self.ledger.take() else {
            self.unchecked_items();
            self.check_expected(expected, &[]);
            return;
        };
        if ledger.genesis != genesis_chain_hex() {
            self.report.problem(
                "LEDGER",
                "ledger.json does not start from the standard genesis value (64 zeros)",
            );
        }
        // Recompute the chain from the record hashes; report every link that differs.
        let mut walk = ChainWalk::new();
        let mut chain = Vec::with_capacity(ledger.entries.len().min(1 << 16));
        let mut broken_links = BTreeSet::new();
        let mut chain_ok = true;
        for (i, e) in ledger.entries.iter().enumerate() {
            if e.seq != i as u64 {
                self.report.problem(
                    "LEDGER",
                    format!(
                        "ledger entry {i} has sequence number {} (items were reordered or removed)",
                        e.seq
                    ),
                );
                broken_links.insert(i as u64);
            }
            match walk.step(&e.record_sha256, &e.chain_sha256) {
                Link::Holds => {}
                Link::Differs => {
                    broken_links.insert(i as u64);
                    self.report.problem(
                        "CHAIN",
                        format!("the chain link of item {i} in ledger.json does not follow from the one before it"),
                    );
                }
                Link::Malformed => {
                    chain_ok = false;
                    broken_links.insert(i as u64);
                    self.report.problem(
                        "LEDGER",
                        format!("ledger entry {i} has a malformed record hash"),
                    );
                }
            }
            chain.push(walk.value.clone());
        }
        let prev = walk.value;
        if chain_ok {
            self.report.head.computed = Some(prev.clone());
            if ledger.head != prev {
                self.report.problem(
                    "CHAIN",
                    "the head written in ledger.json is not where its chain leads",
                );
            }
        }
        self.check_manifest_against_ledger(&ledger, &prev);
        let included_records = self.check_items(&ledger, &broken_links);
        if let Some(m) = &self.manifest {
            if m.date_range != date_range(included_records.iter()) {
                self.report.problem(
                    "MANIFEST",
                    "the date range in manifest.json does not match the records",
                );
            }
        }
        self.check_expected(expected, if chain_ok { &chain } else { &[] });
    }

    fn check_manifest_against_ledger(&mut self, ledger: &LedgerFile, computed_head: &str) {
        let Some(m) = &self.manifest else { return };
        if m.head != computed_head || m.head != ledger.head {
            self.report.problem(
                "HEAD",
                "the head in manifest.json does not match the ledger's chain",
            );
        }
        let (inc, wh, rm) = ledger.status_counts();
        let c = m.items;
        if (c.total, c.included, c.withheld, c.removed)
            != (ledger.entries.len() as u64, inc, wh, rm)
        {
            self.report.problem(
                "MANIFEST",
                "the item counts in manifest.json do not match ledger.json",
            );
        }
    }

    fn check_items(&mut self, ledger: &LedgerFile, broken_links: &BTreeSet<u64>) -> Vec<Record> {
        let mut expected_files: BTreeSet<String> =
            TOP_LEVEL_FILES.iter().map(|s| s.to_string()).collect();
        expected_files.extend(self.timestamp_layout_paths());
        expected_files.extend(self.signature_layout_path());
        let mut rows: Vec<ItemRow> = Vec::with_capacity(ledger.entries.len().min(1 << 16));
        let mut records: Vec<(u64, Record)> = Vec::new();
        for (i, e) in ledger.entries.iter().enumerate() {
            let seq = i as u64;
            let mut row = ItemRow::ledger_item(seq, &e.record_sha256);
            let mut link_broken = false;
            match e.status {
                ItemStatus::Withheld => {
                    row.status = ItemState::Withheld;
                    row.detail = "withheld from this archive; only its hash is included".into();
                }
                ItemStatus::Removed => {
                    row.status = ItemState::Removed;
                    row.detail =
                        "marked as deleted in the extension; only its hashes remain".into();
                }
                ItemStatus::Included => {
                    let prev_record = if i == 0 {
                        genesis_hex()
                    } else {
                        ledger.entries[i - 1].record_sha256.clone()
                    };
                    let checked = self.check_included(
                        seq,
                        &e.record_sha256,
                        &prev_record,
                        &mut row,
                        &mut expected_files,
                    );
                    link_broken = checked.link_broken;
                    if let Some(r) = checked.record {
                        records.push((seq, r));
                    }
                }
            }
            if broken_links.contains(&seq) {
                row.status = ItemState::Modified;
                row.detail = format!("its entry in ledger.json was altered; {}", row.detail);
            }
            // A broken link between item i-1 and item i cannot say which of the two was
            // changed, so neither is shown as intact.
            if link_broken {
                blame_previous(rows.last_mut(), seq);
            }
            rows.push(row);
        }
        self.note_tombstones(ledger, &records, &mut rows);
        self.exhibit_expected_files(&mut expected_files);
        // Every file present that the layout does not account for is a stray.
        for path in self.pass.seen.keys() {
            if expected_files.contains(path) {
                continue;
            }
            rows.push(ItemRow {
                seq: None,
                path: Some(path.clone()),
                kind: None,
                captured_at: None,
                status: ItemState::UnexpectedFile,
                record_sha256: None,
                detail: "not part of any included item".into(),
                reference: None,
            });
            if let Some(f) = self.report.files.iter_mut().find(|f| &f.path == path) {
                f.status = FileState::Unexpected;
                f.detail = "not part of any included item or of the archive layout".into();
            }
        }
        self.report.items = rows;
        records.into_iter().map(|(_, r)| r).collect()
    }

    fn check_included(
        &mut self,
        seq: u64,
        record_sha256: &str,
        prev_record: &str,
        row: &mut ItemRow,
        expected_files: &mut BTreeSet<String>,
    ) -> ItemVerdict {
        let path = record_path(seq);
        expected_files.insert(path.clone());
        let seen = &self.pass.seen;
        let facts = ItemFacts {
            seq,
            record_sha256,
            prev_record_sha256: prev_record,
            record: found(seen.get(&path)),
            record_bytes: self.pass.kept.get(&path).map(Vec::as_slice),
            place: "the archive",
        };
        check_included(&facts, row, &mut |a| {
            let apath = artifact_path(seq, &a.name);
            let f = found(seen.get(&apath));
            expected_files.insert(apath);
            f
        })
    }

    fn note_tombstones(
        &self,
        ledger: &LedgerFile,
        records: &[(u64, Record)],
        rows: &mut [ItemRow],
    ) {
        for (i, e) in ledger.entries.iter().enumerate() {
            if e.status != ItemStatus::Removed {
                continue;
            }
            let tomb = records
                .iter()
                .find(|(s, r)| *s > i as u64 && records_removal_of(r, i as u64, &e.record_sha256))
                .map(|(s, _)| *s);
            if let Some(row) = rows.get_mut(i) {
                if row.status != ItemState::Removed {
                    continue;
                }
                match tomb {
                    Some(_) => row.detail = removed_detail(tomb),
                    // Anyone holding the archive can take an item out and mark it removed;
                    // only the removal record, in the chain after it, shows that it was.
                    None => {
                        row.status = ItemState::Missing;
                        row.detail = NO_REMOVAL_RECORD.into();
                    }
                }
            }
        }
    }

    fn unchecked_items(&mut self) {
        for path in self.pass.seen.keys() {
            if let Some((seq, RECORD_FILE)) = parse_item_path(path) {
                let rec = self.pass.kept.get(path).and_then(|b| record::parse(b).ok());
                self.report.items.push(ItemRow {
                    seq: Some(seq),
                    path: Some(item_dir(seq)),
                    kind: rec.as_ref().and_then(|r| kind_name(r.kind)),
                    captured_at: rec.map(|r| r.captured_at),
                    status: ItemState::Modified,
                    record_sha256: None,
                    detail: "cannot be checked: the ledger is missing or unreadable".into(),
                    reference: None,
                });
            }
        }
    }

    fn check_expected(&mut self, expected: Option<&str>, chain: &[String]) {
        let Some(exp) = expected else { return };
        if !is_digest(exp) {
            self.report.problem(
                "EXPECTED_HEAD",
                "the head you gave is not a 64-digit SHA-256 hex value",
            );
            return;
        }
        if chain.is_empty() {
            self.report.problem(
                "EXPECTED_HEAD",
                "the head you were given could not be checked because the ledger is unusable",
            );
            return;
        }
        match chain.iter().position(|c| c == exp) {
            Some(k) if k + 1 == chain.len() => {
                self.report.head.expected_match = Some("head".into());
                self.report.head.expected_seq = Some(k as u64);
            }
            Some(k) => {
                self.report.head.expected_match = Some("earlier".into());
                self.report.head.expected_seq = Some(k as u64);
                for row in self.report.items.iter_mut() {
                    if row.seq.is_some_and(|s| s > k as u64)
                        && row.status != ItemState::UnexpectedFile
                    {
                        row.detail
                            .push_str(" (added after the head you were given)");
                    }
                }
            }
            None => {
                self.report.head.expected_match = Some("not_found".into());
                self.report.problem(
                    "EXPECTED_HEAD",
                    format!(
                        "The head you were given ({}) is not in this archive's chain: records were changed, removed or reordered, or this is not the archive that head belongs to",
                        super::verdict::short_hash(exp)
                    ),
                );
            }
        }
    }
}

/// The detail of an item marked removed whose removal record is not in the archive.
pub(crate) const NO_REMOVAL_RECORD: &str = "ledger.json marks it as deleted in the extension, but the record of its deletion is not in this archive, so nothing shows it was deleted before export: its content may have been taken out of the archive afterwards";

/// The shared rules' view of what one pass over the archive found for a path.
fn found(seen: Option<&Seen>) -> Found<'_> {
    match seen {
        None => Found::Missing,
        Some(Seen::Broken(e)) => Found::Unreadable(e),
        Some(Seen::Read { bytes, sha256 }) => Found::Read {
            bytes: *bytes,
            sha256,
        },
    }
}
