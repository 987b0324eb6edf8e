//! Restoring a library from an archive: the core's steps over real fixture archives.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use evidence_core::archive::{write_archive, ArchiveInput, Expected, ItemStatus, ZipWriter};
use evidence_core::hash::sha256_hex;
use evidence_core::restore::{ArchiveRestore, HeldAs, LibraryRow, RestoreNeed, RestoredRow};
use std::collections::BTreeMap;

/// A library as the extension stores it: rows (record bytes when held) and blobs.
#[derive(Default, Clone, PartialEq, Debug)]
struct Lib {
    rows: Vec<(RestoredRow, Option<Vec<u8>>)>,
    blobs: BTreeMap<String, Vec<u8>>,
    head: Option<String>,
}

impl Lib {
    fn library_rows(&self) -> Vec<LibraryRow> {
        self.rows
            .iter()
            .map(|(r, _)| LibraryRow {
                seq: r.seq,
                record_sha256: r.record_sha256.clone(),
                chain_sha256: r.chain_sha256.clone(),
                held: if r.withheld {
                    HeldAs::Withheld
                } else if r.removed {
                    HeldAs::Removed
                } else {
                    HeldAs::Content
                },
            })
            .collect()
    }
}

/// Restore `zip` into `lib` as the extension does; on a refusal `lib` is left as it was.
fn restore(lib: &mut Lib, zip: &[u8]) -> Result<usize, String> {
    let mut src: &[u8] = zip;
    let opened = ArchiveRestore::open(&mut src, Expected::default(), &mut |_, _| {});
    let mut r = match opened.restore {
        Some(r) => r,
        None => return Err(opened.refusal.unwrap()),
    };
    let plan = r.plan(&lib.library_rows());
    if let Some(why) = plan.refusal {
        return Err(why);
    }
    let mut records = BTreeMap::new();
    let mut blobs = BTreeMap::new();
    loop {
        match r.next(&mut src).map_err(|e| e.to_string())? {
            RestoreNeed::Record { seq } => {
                records.insert(seq, r.read_record(&mut src).map_err(|e| e.to_string())?);
            }
            RestoreNeed::Artifact { sha256, .. } => {
                if lib.blobs.contains_key(&sha256) {
                    r.skip_artifact().unwrap();
                    continue;
                }
                let mut data = Vec::new();
                r.read_artifact(&mut src, &mut |c| {
                    data.extend_from_slice(c);
                    Ok(())
                })
                .map_err(|e| e.to_string())?;
                blobs.insert(sha256, data);
            }
            RestoreNeed::Done => break,
        }
    }
    let done = r.finish().map_err(|e| e.to_string())?;
    // The one commit.
    let n = done.rows.len();
    lib.blobs.extend(blobs);
    for row in done.rows {
        let bytes = records.remove(&row.seq);
        let at = row.seq as usize;
        if at < lib.rows.len() {
            lib.rows[at] = (row, bytes);
        } else {
            assert_eq!(at, lib.rows.len());
            lib.rows.push((row, bytes));
        }
    }
    if let Some(h) = done.head {
        lib.head = Some(h.chain_sha256);
    }
    Ok(n)
}

/// The same items as `f`, exported with nothing withheld (item 4 stays removed).
fn complete(f: &Fixture) -> Vec<u8> {
    let mut items = f.library.clone();
    for it in &mut items {
        if it.status == ItemStatus::Withheld {
            it.status = ItemStatus::Included;
        }
    }
    write_archive(
        &ArchiveInput {
            meta: f.input.meta.clone(),
            items,
        },
        ZipWriter::new(),
    )
    .unwrap()
}

#[test]
fn an_empty_library_gets_every_item_with_its_hashes_and_the_head() {
    let f = fixture(7, 9);
    let mut lib = Lib::default();
    assert_eq!(restore(&mut lib, &f.zip).unwrap(), 9);
    assert_eq!(lib.head.as_deref(), Some(f.head.as_str()));
    for (i, (row, bytes)) in lib.rows.iter().enumerate() {
        let want = &f.input.items[i];
        assert_eq!(row.seq, i as u64);
        assert_eq!(row.record_sha256, want.record_sha256);
        assert_eq!(row.chain_sha256, want.chain_sha256);
        match want.status {
            ItemStatus::Included => {
                assert_eq!(bytes.as_deref(), want.record_bytes.as_deref());
                assert_eq!(sha256_hex(bytes.as_ref().unwrap()), row.record_sha256);
                for (name, data) in &want.artifacts {
                    let a = row.artifacts.iter().find(|a| &a.name == name).unwrap();
                    assert_eq!(lib.blobs.get(&a.sha256), Some(data));
                }
            }
            ItemStatus::Withheld => {
                assert!(
                    row.withheld && bytes.is_none() && row.id.is_none(),
                    "{row:?}"
                );
            }
            ItemStatus::Removed => {
                // Its facts come from the removal record that names it (the last item).
                assert!(row.removed && bytes.is_none());
                assert_eq!(row.removed_by, Some(8));
                assert_eq!(
                    row.kind,
                    f.all[4]
                        .record_bytes
                        .as_ref()
                        .map(|b| { evidence_core::record::parse(b).unwrap().kind })
                );
                assert!(!row.artifacts.is_empty());
            }
        }
    }
}

#[test]
fn restoring_twice_changes_nothing() {
    let f = fixture(8, 7);
    let mut lib = Lib::default();
    restore(&mut lib, &f.zip).unwrap();
    let before = lib.clone();
    assert_eq!(restore(&mut lib, &f.zip).unwrap(), 0);
    assert_eq!(lib, before);
}

#[test]
fn a_complete_export_fills_the_gap_of_a_partial_one() {
    let f = fixture(9, 8);
    let mut lib = Lib::default();
    restore(&mut lib, &f.zip).unwrap();
    assert!(lib.rows[2].0.withheld);
    assert_eq!(restore(&mut lib, &complete(&f)).unwrap(), 1);
    let (row, bytes) = &lib.rows[2];
    assert!(!row.withheld && row.included);
    assert_eq!(bytes.as_deref(), f.all[2].record_bytes.as_deref());
    for (name, data) in &f.all[2].artifacts {
        let a = row.artifacts.iter().find(|a| &a.name == name).unwrap();
        assert_eq!(lib.blobs.get(&a.sha256), Some(data));
    }
    assert_eq!(lib.head.as_deref(), Some(f.head.as_str()));
}

#[test]
fn another_history_and_a_failing_archive_are_refused_with_nothing_changed() {
    let mine = fixture(10, 7);
    let mut lib = Lib::default();
    restore(&mut lib, &mine.zip).unwrap();
    let before = lib.clone();
    let other = fixture(11, 7);
    let why = restore(&mut lib, &other.zip).unwrap_err();
    assert!(why.contains("another history"), "{why}");
    assert_eq!(lib, before);
    // One byte changed inside a stored artifact.
    let mut tampered = mine.zip.clone();
    let at = tampered
        .windows(8)
        .position(|w| w == b"\x89PNG\r\n\x1a\n")
        .unwrap()
        + 20;
    tampered[at] ^= 1;
    let why = restore(&mut lib, &tampered).unwrap_err();
    assert!(why.contains("did not pass verification"), "{why}");
    let why = restore(&mut lib, &mine.zip[..mine.zip.len() / 2]).unwrap_err();
    assert!(why.contains("did not pass verification"), "{why}");
    assert_eq!(lib, before);
}

#[test]
fn an_export_that_continues_the_library_adds_only_the_new_items() {
    let f = fixture(12, 9);
    // A library holding the first items of the same history.
    let mut lib = Lib::default();
    restore(&mut lib, &f.zip).unwrap();
    let first: Vec<_> = lib.rows[..3].to_vec();
    lib.rows = first;
    lib.head = Some(f.input.items[2].chain_sha256.clone());
    assert_eq!(restore(&mut lib, &f.zip).unwrap(), 6);
    assert_eq!(lib.rows.len(), 9);
    assert_eq!(lib.head.as_deref(), Some(f.head.as_str()));
}
