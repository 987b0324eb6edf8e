//! The stored-library checker: the same rules and answers as the archive verifier.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use evidence_core::archive::verdict::{ItemRow, ItemState, Verdict};
use evidence_core::archive::*;
use evidence_core::hash::sha256_hex;

fn rows_of(library: &[ArchiveItem]) -> Vec<StoredRow> {
    library
        .iter()
        .enumerate()
        .map(|(seq, it)| StoredRow {
            seq: seq as u64,
            record_sha256: it.record_sha256.clone(),
            chain_sha256: it.chain_sha256.clone(),
            removed: it.status == ItemStatus::Removed,
            withheld: false,
            record: it.record_bytes.clone(),
            artifacts: it
                .artifacts
                .iter()
                .map(|(name, data)| StoredBlob {
                    name: name.clone(),
                    sha256: Some(sha256_hex(data)),
                    bytes: Some(data.len() as u64),
                    error: None,
                })
                .collect(),
        })
        .collect()
}

fn head_of(rows: &[StoredRow]) -> Option<StoredHead> {
    rows.last().map(|r| StoredHead {
        seq: r.seq,
        chain_sha256: r.chain_sha256.clone(),
    })
}

/// Check in batches of 3, as the library page does with its pages of rows.
fn check(rows: &[StoredRow]) -> LibraryReport {
    let mut c = LibraryChecker::new(head_of(rows));
    for batch in rows.chunks(3) {
        c.push(batch);
    }
    assert_eq!(c.checked(), rows.len() as u64);
    c.finish()
}

fn row(r: &LibraryReport, seq: u64) -> &ItemRow {
    r.items.iter().find(|i| i.seq == Some(seq)).unwrap()
}

#[test]
fn intact_library_passes_with_its_removed_item_explained() {
    let f = fixture(11, 9);
    let r = check(&rows_of(&f.library));
    assert_eq!(r.verdict, Verdict::Pass, "{r:#?}");
    assert!(r.chain_ok);
    assert_eq!(r.head, f.head);
    assert_eq!((r.counts.ok, r.counts.removed, r.counts.items), (8, 1, 9));
    let removed = row(&r, 4);
    assert_eq!(removed.status, ItemState::Removed);
    assert!(
        removed.detail.contains("item 8 records the deletion"),
        "{}",
        removed.detail
    );
    let empty = LibraryChecker::new(None).finish();
    assert_eq!(empty.verdict, Verdict::Pass);
    assert_eq!(empty.head, "0".repeat(64));
}

#[test]
fn damaged_blobs_and_records_are_named() {
    let f = fixture(12, 9);
    let mut rows = rows_of(&f.library);
    // A corrupted blob, a missing one, an unreadable one, a tampered record.
    rows[1].artifacts[0].sha256 = Some(sha256_hex(b"something else"));
    rows[5].artifacts[1].sha256 = None;
    rows[5].artifacts[1].bytes = None;
    rows[6].artifacts[0].error = Some("NotReadableError".into());
    let rec = rows[3].record.as_mut().unwrap();
    let at = rec.len() / 2;
    rec[at] ^= 1;
    let r = check(&rows);
    assert_eq!(r.verdict, Verdict::Fail);
    assert!(r.chain_ok, "the chain itself is whole");
    let r1 = row(&r, 1);
    assert_eq!(r1.status, ItemState::Modified);
    assert_eq!(
        r1.detail,
        "screenshot.png was changed or damaged: it no longer matches its hash in the record"
    );
    let r5 = row(&r, 5);
    assert_eq!(r5.status, ItemState::Missing);
    assert_eq!(r5.detail, "page.mhtml is missing");
    let r6 = row(&r, 6);
    assert_eq!(r6.status, ItemState::Modified);
    assert!(
        r6.detail.contains("cannot be read: NotReadableError"),
        "{}",
        r6.detail
    );
    let r3 = row(&r, 3);
    assert_eq!(r3.status, ItemState::Modified);
    assert!(
        r3.detail.contains("does not match its hash in the ledger"),
        "{}",
        r3.detail
    );
    assert_eq!(
        (r.counts.ok, r.counts.modified, r.counts.missing),
        (4, 3, 1)
    );
    // A record gone without being removed on purpose.
    let mut rows = rows_of(&f.library);
    rows[7].record = None;
    let r = check(&rows);
    assert_eq!(row(&r, 7).status, ItemState::Missing);
    assert_eq!(row(&r, 7).detail, "its record.json is not in storage");
}

#[test]
fn removal_needs_its_tombstone_and_the_content_gone() {
    let f = fixture(13, 9);
    // Without its tombstone (the removal record, item 8, is gone from the library).
    let mut rows = rows_of(&f.library);
    rows.pop();
    let r = check(&rows);
    assert_eq!(r.verdict, Verdict::Fail);
    let r4 = row(&r, 4);
    assert_eq!(r4.status, ItemState::Modified);
    assert_eq!(
        r4.detail,
        "its content is gone, and no removal record explains it"
    );
    // Named by a removal record, yet its content is still stored.
    let mut rows = rows_of(&f.library);
    rows[4] = rows_of(&f.all).remove(4);
    rows[4].removed = false;
    let r = check(&rows);
    assert_eq!(r.verdict, Verdict::Fail);
    assert_eq!(row(&r, 4).status, ItemState::Modified, "{:?}", row(&r, 4));
    assert_eq!(
        row(&r, 4).detail,
        "item 8 recorded its removal, but its content is still stored"
    );
    // Marked removed, but the record bytes are still there.
    let mut rows = rows_of(&f.library);
    rows[4].record = Some(b"{}".to_vec());
    let r = check(&rows);
    assert_eq!(row(&r, 4).status, ItemState::Modified);
}

#[test]
fn broken_chain_and_gaps_are_found() {
    let f = fixture(14, 9);
    let mut rows = rows_of(&f.library);
    rows[3].chain_sha256 = "f".repeat(64);
    let r = check(&rows);
    assert_eq!(r.verdict, Verdict::Fail);
    assert!(!r.chain_ok);
    assert_eq!(r.problems[0].code, "CHAIN");
    assert_eq!(r.problems[0].message, "the chain breaks at item 3");
    assert_eq!(row(&r, 3).status, ItemState::Modified);
    assert_eq!(
        row(&r, 4).status,
        ItemState::Removed,
        "later items keep their own state"
    );
    // A gap in the stored rows.
    let mut rows = rows_of(&f.library);
    rows.remove(5);
    let r = check(&rows);
    assert!(!r.chain_ok);
    assert_eq!(r.problems[0].message, "item 5 is missing");
    // A stored head that does not match the last row.
    let rows = rows_of(&f.library);
    let mut c = LibraryChecker::new(Some(StoredHead {
        seq: 9,
        chain_sha256: rows[8].chain_sha256.clone(),
    }));
    c.push(&rows);
    let r = c.finish();
    assert!(!r.chain_ok);
    assert_eq!(r.problems[0].code, "HEAD");
    // A record re-linked to a different predecessor: both items are suspect.
    let mut rows = rows_of(&f.library);
    let text = String::from_utf8(rows[6].record.clone().unwrap()).unwrap();
    let prev = serde_json::from_str::<serde_json::Value>(&text).unwrap()["prev_record_sha256"]
        .as_str()
        .unwrap()
        .to_string();
    let relinked = text.replace(&prev, &"a".repeat(64)).into_bytes();
    rows[6].record_sha256 = sha256_hex(&relinked);
    rows[6].record = Some(relinked);
    let r = check(&rows);
    assert_eq!(row(&r, 6).status, ItemState::Modified);
    assert!(row(&r, 6)
        .detail
        .contains("its link to item 5 does not hold"));
    assert_eq!(row(&r, 5).status, ItemState::Modified);
}

/// The checker and the verifier give the same item rows for the same data: a library
/// exported in full, intact and with a damaged file.
#[test]
fn checker_and_verifier_agree() {
    let f = fixture(15, 9);
    let mut full = f.input.clone();
    full.items = f.library.clone();
    for it in &mut full.items {
        if it.status == ItemStatus::Withheld {
            it.status = ItemStatus::Included;
        }
    }
    let zip = write_archive(&full, ZipWriter::new()).unwrap();
    let mut verified = verify_bytes(&zip, Some(&f.head));
    assert_eq!(
        verified.verdict,
        Verdict::Pass,
        "{}",
        verified.render_text()
    );
    // The archive's rows carry exhibit references (the library has no initials to give);
    // apart from them the two checks must say the same.
    for (i, r) in verified.items.iter_mut().enumerate() {
        assert_eq!(r.reference.take(), Some(format!("AP/{}", i + 1)));
    }
    let mut library_rows = rows_of(&f.library);
    let checked = check(&library_rows);
    assert_eq!(checked.items, verified.items, "intact: the same rows");
    assert_eq!(checked.counts, verified.counts);
    assert_eq!(Some(checked.head.clone()), verified.head.computed);

    // The same file damaged in storage and in the archive.
    let path = artifact_path(5, "page.mhtml");
    let mut files = extract(&zip);
    let mut data = get(&files, &path).unwrap().clone();
    data[10] ^= 0x20;
    set(&mut files, &path, data.clone());
    let mut verified = verify_bytes(&rezip(&files), Some(&f.head));
    for (i, r) in verified.items.iter_mut().enumerate() {
        assert_eq!(r.reference.take(), Some(format!("AP/{}", i + 1)));
    }
    library_rows[5].artifacts[1].sha256 = Some(sha256_hex(&data));
    let checked = check(&library_rows);
    assert_eq!(verified.verdict, Verdict::Fail);
    assert_eq!(checked.verdict, Verdict::Fail);
    assert_eq!(checked.items, verified.items, "damaged: the same rows");
    assert_eq!(row(&checked, 5).status, ItemState::Modified);
}

#[test]
fn a_placeholder_from_a_restored_archive_is_withheld_not_damage() {
    let f = fixture(31, 9);
    let mut rows = rows_of(&f.library);
    rows[2].record = None;
    rows[2].artifacts.clear();
    rows[2].withheld = true;
    let r = check(&rows);
    assert_eq!(r.verdict, Verdict::Pass, "{r:#?}");
    assert_eq!(row(&r, 2).status, ItemState::Withheld);
    assert!(row(&r, 2).detail.contains("not in the archive"));
    // Without the mark, the same row is damage.
    rows[2].withheld = false;
    assert_eq!(check(&rows).verdict, Verdict::Fail);
}
