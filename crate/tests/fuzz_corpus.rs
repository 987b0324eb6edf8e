//! Replays the cargo-fuzz seed corpus (`fuzz/corpus/archive_reader/`) through the reader
//! and the verifier on stable Rust: nothing may panic. Seeds named `pass-*` must verify,
//! seeds named `fail-*` must not; anything else (files added by fuzzing) only must not
//! panic. Regenerate the seeds with:
//! `cargo test -p evidence-core --test fuzz_corpus -- --ignored regenerate`
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use evidence_core::archive::verdict::Verdict;
use evidence_core::archive::*;
use std::path::PathBuf;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/archive_reader")
}

/// Exactly what the fuzz target does.
fn exercise(data: &[u8]) -> Report {
    let report = verify_bytes(data, None);
    let _ = report.render_text();
    let _ = serde_json::to_string(&report).unwrap();
    let _ = verify_bytes(data, Some(&"0".repeat(64)));
    let mut src: &[u8] = data;
    if let Ok(arc) = ZipArchive::open(&mut src) {
        for e in arc.entries() {
            let _ = read_entry(&mut src, e, &mut |_| Ok(()));
        }
    }
    report
}

#[test]
fn replay_seed_corpus_without_panics() {
    let dir = corpus_dir();
    let mut n = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let data = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let r = exercise(&data);
        if name.starts_with("pass-") {
            assert_eq!(r.verdict, Verdict::Pass, "{name}: {}", r.render_text());
        } else if name.starts_with("fail-") {
            assert_eq!(r.verdict, Verdict::Fail, "{name}");
        }
        n += 1;
    }
    assert!(n >= 8, "only {n} corpus files");
    println!("replayed {n} corpus files");
}

#[test]
#[ignore = "writes the seed corpus; run by hand after a format change"]
fn regenerate_seed_corpus() {
    let dir = corpus_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let valid = fixture(31, 6);
    let zip64 = fixture_with(32, 6, ZipWriter::with_forced_zip64());
    let mut seeds: Vec<(&str, Vec<u8>)> = vec![
        ("pass-valid.zip", valid.zip.clone()),
        ("pass-zip64.zip", zip64.zip.clone()),
        ("fail-empty.bin", Vec::new()),
        (
            "fail-truncated.zip",
            valid.zip[..valid.zip.len() * 2 / 3].to_vec(),
        ),
        ("fail-end-record-only.zip", rezip(&[])),
    ];
    let mut flipped = valid.zip.clone();
    let cd = {
        let mut src: &[u8] = &valid.zip;
        ZipArchive::open(&mut src)
            .unwrap()
            .central_directory_offset() as usize
    };
    flipped[cd + 20] ^= 0x01;
    seeds.push(("fail-directory-flip.zip", flipped));
    let traversal = {
        let mut z = valid.zip.clone();
        let (from, to) = (b"VERIFY.txt", b"../ERIF.tx");
        for i in 0..z.len() - from.len() {
            if &z[i..i + from.len()] == from {
                z[i..i + to.len()].copy_from_slice(to);
            }
        }
        z
    };
    seeds.push(("fail-traversal.zip", traversal));
    // manifest.json replaced by 2 MiB of spaces: a small entry that inflates a lot.
    let mut bomb = extract(&valid.zip);
    set(&mut bomb, MANIFEST_PATH, vec![b' '; 2 << 20]);
    seeds.push(("fail-inflating-manifest.zip", rezip(&bomb)));
    let mut forged = extract(&valid.zip);
    let path = record_path(0);
    let text = String::from_utf8(get(&forged, &path).unwrap().clone()).unwrap();
    set(
        &mut forged,
        &path,
        text.replacen("Post 0", "Post X", 1).into_bytes(),
    );
    reindex(&mut forged, None);
    seeds.push(("fail-forged-record.zip", rezip(&forged)));
    for (name, data) in seeds {
        assert!(data.len() < 64 * 1024, "{name} is {} bytes", data.len());
        std::fs::write(dir.join(name), data).unwrap();
    }
}
