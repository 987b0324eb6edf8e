//! Hostile input: one table row per error class of the ZIP reader, each a clear error
//! (never a panic), and a FAIL report from the verifier. The cases live in
//! `hostile/mod.rs`, shared with the browser tests in `wasm_boundary.rs`.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod common;
mod hostile;

use common::*;
use evidence_core::archive::verdict::Verdict;
use evidence_core::archive::*;
use hostile::*;

#[test]
fn every_hostile_class_is_a_clear_error() {
    let (open_cases, read_cases) = cases();
    for case in &open_cases {
        check_open_case(case);
    }
    for case in &read_cases {
        check_read_case(case);
    }
    // A foreign but safe archive opens, and its departures from our shape are listed.
    let foreign = raw_zip(&[raw("a.txt", b"fine")]);
    let mut src: &[u8] = &foreign;
    let arc = ZipArchive::open(&mut src).unwrap();
    assert!(arc.deviation_count() > 0);
    let r = verify_bytes(&foreign, None);
    assert!(r.problems.iter().any(|p| p.code == "CONTAINER"));
}

#[test]
fn every_truncation_and_prefix_of_a_real_archive_fails_cleanly() {
    let zip = fixture(12, 6).zip;
    let step = (zip.len() / 300).max(1);
    for n in (0..zip.len()).step_by(step) {
        assert_eq!(
            verify_bytes(&zip[..n], None).verdict,
            Verdict::Fail,
            "len {n}"
        );
        assert_eq!(
            verify_bytes(&zip[n + 1..], None).verdict,
            Verdict::Fail,
            "from {n}"
        );
    }
}

#[test]
fn the_fuzz_corpus_gives_the_verdict_its_names_promise() {
    assert!(CORPUS.len() >= 8);
    for (name, data) in CORPUS {
        check_corpus_file(name, data);
    }
}
