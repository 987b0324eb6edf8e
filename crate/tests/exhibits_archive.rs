//! Exhibit references and the `exhibits/` files in a whole archive: written by the
//! builder, checked by the verifier; archives from before exhibit references still pass.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use evidence_core::archive::verdict::{ItemState, Verdict};
use evidence_core::archive::*;
use evidence_core::hash::sha256_hex;
use evidence_core::record;

fn manifest(files: &[(String, Vec<u8>)]) -> Manifest {
    Manifest::parse(get(files, MANIFEST_PATH).unwrap()).unwrap()
}

#[test]
fn every_exhibit_file_is_a_listed_byte_identical_copy() {
    let f = fixture(11, 9);
    let files = extract(&f.zip);
    let m = manifest(&files);
    let ex = m.exhibits.as_ref().unwrap();
    assert_eq!(ex.initials.as_deref(), Some("AP"));
    assert_eq!(ex.items.len(), 9);
    let sums = String::from_utf8(get(&files, SUMS_PATH).unwrap().clone()).unwrap();
    let mut copies = 0;
    for (i, item) in ex.items.iter().enumerate() {
        assert_eq!(item.seq, i as u64);
        assert_eq!(item.reference, format!("AP/{}", i + 1));
        for file in &item.files {
            assert!(
                file.path.starts_with(&format!("exhibits/AP-{} ", i + 1)),
                "{}",
                file.path
            );
            let copy = get(&files, &file.path).unwrap();
            let original = get(&files, &artifact_path(i as u64, &file.artifact)).unwrap();
            assert_eq!(copy, original, "{}", file.path);
            let rec = record::parse(get(&files, &record_path(i as u64)).unwrap()).unwrap();
            let art = rec
                .artifacts
                .iter()
                .find(|a| a.name == file.artifact)
                .unwrap();
            assert_eq!(sha256_hex(copy), art.sha256);
            assert!(sums.contains(&format!("{}  {}\n", art.sha256, file.path)));
            assert!(m.files.iter().any(|x| x.path == file.path));
            copies += 1;
        }
    }
    assert!(copies >= 3, "{copies}");
    let r = verify_bytes(&f.zip, Some(&f.head));
    assert_eq!(r.verdict, Verdict::Pass, "{}", r.render_text());
    assert_eq!(r.items[0].reference.as_deref(), Some("AP/1"));
    let text = r.render_text();
    assert!(text.contains("REF"), "{text}");
    assert!(text.contains("AP/9"), "{text}");
}

fn first_exhibit(files: &[(String, Vec<u8>)]) -> (u64, String) {
    let m = manifest(files);
    let item = m
        .exhibits
        .unwrap()
        .items
        .into_iter()
        .find(|i| !i.files.is_empty())
        .unwrap();
    (item.seq, item.files[0].path.clone())
}

#[test]
fn a_changed_exhibit_file_fails_even_when_every_hash_list_is_redone() {
    let f = fixture(12, 6);
    let mut files = extract(&f.zip);
    let (seq, path) = first_exhibit(&files);
    let mut data = get(&files, &path).unwrap().clone();
    data[30] ^= 1;
    set(&mut files, &path, data);
    reindex(&mut files, None);
    let r = verify_bytes(&rezip(&files), None);
    assert_eq!(r.verdict, Verdict::Fail, "{}", r.render_text());
    let row = &r.items[seq as usize];
    assert_eq!(row.status, ItemState::Modified);
    assert!(
        row.detail.contains("not a byte-identical copy"),
        "{}",
        row.detail
    );
}

#[test]
fn a_missing_or_stray_exhibit_file_fails() {
    let f = fixture(13, 6);
    let mut files = extract(&f.zip);
    let (seq, path) = first_exhibit(&files);
    files.retain(|(p, _)| *p != path);
    reindex(&mut files, None);
    let r = verify_bytes(&rezip(&files), None);
    assert_eq!(r.verdict, Verdict::Fail, "{}", r.render_text());
    assert_eq!(r.items[seq as usize].status, ItemState::Missing);

    let mut files = extract(&f.zip);
    files.push(("exhibits/AP-99 extra.png".into(), b"x".to_vec()));
    reindex(&mut files, None);
    let r = verify_bytes(&rezip(&files), None);
    assert_eq!(r.verdict, Verdict::Fail, "{}", r.render_text());
    assert!(r.items.iter().any(|i| i.status == ItemState::UnexpectedFile
        && i.path.as_deref() == Some("exhibits/AP-99 extra.png")));
}

#[test]
fn renumbered_references_fail() {
    let f = fixture(14, 6);
    let mut files = extract(&f.zip);
    let mut m = manifest(&files);
    let ex = m.exhibits.as_mut().unwrap();
    ex.items[2].reference = "AP/2".into();
    set(&mut files, MANIFEST_PATH, m.to_json_bytes().unwrap());
    reindex(&mut files, None);
    let r = verify_bytes(&rezip(&files), None);
    assert_eq!(r.verdict, Verdict::Fail, "{}", r.render_text());
    assert!(
        r.problems.iter().any(|p| p.code == "EXHIBITS"),
        "{:?}",
        r.problems
    );
}

#[test]
fn an_archive_from_before_exhibit_references_still_verifies() {
    let f = fixture(15, 7);
    let mut files = extract(&f.zip);
    files.retain(|(p, _)| !p.starts_with("exhibits/"));
    let mut m = manifest(&files);
    m.exhibits = None;
    let bytes = m.to_json_bytes().unwrap();
    assert!(!String::from_utf8_lossy(&bytes).contains("\"exhibits\":"));
    set(&mut files, MANIFEST_PATH, bytes);
    reindex(&mut files, None);
    let r = verify_bytes(&rezip(&files), Some(&f.head));
    assert_eq!(r.verdict, Verdict::Pass, "{}", r.render_text());
    assert!(r.items.iter().all(|i| i.reference.is_none()));
    assert!(!r.render_text().contains("REF "));
}

#[test]
fn report_pdf_is_in_the_archive_and_covered_by_the_fingerprint() {
    let f = fixture(16, 8);
    let files = extract(&f.zip);
    let pdf = get(&files, PDF_PATH).unwrap().clone();
    assert!(pdf.starts_with(b"%PDF-"));
    let m = manifest(&files);
    let listed = m.files.iter().find(|x| x.path == PDF_PATH).unwrap();
    assert_eq!(listed.sha256, sha256_hex(&pdf));
    let sums = String::from_utf8(get(&files, SUMS_PATH).unwrap().clone()).unwrap();
    assert!(sums.contains(&format!("{}  {PDF_PATH}\n", sha256_hex(&pdf))));
    // Kept for a look with qpdf/pdftotext (target/ is git-ignored).
    let _ = std::fs::write(
        concat!(env!("CARGO_MANIFEST_DIR"), "/../target/fixture-report.pdf"),
        &pdf,
    );
    // A changed PDF fails, even with every hash list redone, once the fingerprint is given.
    let mut files = files;
    let mut changed = pdf.clone();
    let at = changed.len() / 2;
    changed[at] ^= 1;
    set(&mut files, PDF_PATH, changed);
    let fingerprint = sha256_hex(get(&extract(&f.zip), MANIFEST_PATH).unwrap());
    reindex(&mut files, None);
    let r = verify_bytes_expecting(
        &rezip(&files),
        Expected {
            head: Some(&f.head),
            fingerprint: Some(&fingerprint),
        },
    );
    assert_eq!(r.verdict, Verdict::Fail, "{}", r.render_text());
}
