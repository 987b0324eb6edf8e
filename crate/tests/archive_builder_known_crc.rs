//! The builder's known-CRC path (the extension's export, for a stored artifact whose CRC-32
//! was stored with it, or an exhibit copy of bytes already written): the same archive bytes
//! as the computing paths, a damaged checksum row falls back to feeding the bytes, and a
//! digest that is not the record's is refused.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use evidence_core::archive::verdict::Verdict;
use evidence_core::archive::*;
use evidence_core::checksum::ArtifactChecksum;
use evidence_core::error::Error;
use evidence_core::hash::sha256_hex;

type RowOf<'a> = &'a dyn Fn(&ArtifactNeed, &[u8]) -> Option<ArtifactChecksum>;
type DigestOf<'a> = &'a dyn Fn(&ArtifactNeed, &[u8]) -> String;

/// Pump `input` the way export.js does: a stored artifact with a row is handed over by
/// reference (the caller appends its bytes, then the builder's descriptor); without a row,
/// or when the builder does not take it, its bytes are fed unhashed. Returns the archive,
/// what the builder answered and the paths that went by the known-CRC path.
fn pump_known(
    input: &ArchiveInput,
    tamper: &dyn Fn(u64, &str, &mut Vec<u8>),
    digest_of: DigestOf,
    row_of: RowOf,
) -> Result<(Vec<u8>, ExportDone, Vec<String>), Error> {
    let mut b = ArchiveBuilder::new(input.meta.clone(), input.plan())?;
    let mut out = Vec::new();
    let mut known = Vec::new();
    loop {
        match b.next() {
            Need::Record { seq } => {
                let bytes = input.items[seq as usize].record_bytes.clone().unwrap();
                b.put_record(&bytes, &mut out)?;
            }
            Need::Artifact(need) => {
                let mut data = stored_artifact(input, need.seq, &need.name)
                    .unwrap()
                    .clone();
                tamper(need.seq, &need.name, &mut data);
                b.begin_artifact(&mut out)?;
                if !need.stored {
                    b.artifact_chunk(&data, &mut out)?;
                    b.end_artifact(&mut out)?;
                    continue;
                }
                let digest = digest_of(&need, &data);
                let mut tail = Vec::new();
                if b.stored_artifact_known(&digest, row_of(&need, &data).as_ref(), &mut tail)? {
                    out.extend_from_slice(&data);
                    out.extend_from_slice(&tail);
                    known.push(need.path.clone());
                    continue;
                }
                assert!(tail.is_empty(), "nothing written when no CRC is known");
                for chunk in data.chunks(1000) {
                    b.stored_chunk_unhashed(chunk)?;
                    out.extend_from_slice(chunk);
                }
                b.end_artifact_with_sha256(&mut out, &digest)?;
            }
            Need::Done => break,
        }
    }
    let done = b.finish(&mut out)?;
    Ok((out, done, known))
}

/// The SHA-256 the export's worker computes.
fn honest_digest(_: &ArtifactNeed, data: &[u8]) -> String {
    sha256_hex(data)
}

/// The row a capture would have stored for the record's artifact.
fn honest(need: &ArtifactNeed, data: &[u8]) -> Option<ArtifactChecksum> {
    Some(ArtifactChecksum::of(&need.sha256, data))
}

#[test]
fn known_crcs_give_the_same_archive_bytes() {
    let f = fixture(5, 9);
    let (zip, done, known) = pump_known(&f.input, &|_, _, _| {}, &honest_digest, &honest).unwrap();
    assert!(
        known.iter().any(|p| p.starts_with("items/")),
        "the known-CRC path was taken for the items' own files: {known:?}"
    );
    assert_eq!(
        zip, f.zip,
        "the same bytes as the builder computing the CRC"
    );
    assert_eq!(done.head, f.head);
    let r = verify_bytes(&zip, Some(&f.head));
    assert_eq!(r.verdict, Verdict::Pass, "{}", r.render_text());
    // The fixture has initials: its exhibit copies go the same way, except the capture
    // screenshots kept for report.pdf (fed, since the builder keeps their bytes).
    assert!(zip.windows(9).any(|w| w == b"exhibits/"));
}

#[test]
fn without_rows_the_exhibit_copies_reuse_the_crcs_written() {
    let f = fixture(5, 9);
    let (zip, _, known) =
        pump_known(&f.input, &|_, _, _| {}, &honest_digest, &|_, _| None).unwrap();
    assert_eq!(zip, f.zip);
    assert!(!known.is_empty(), "exhibit copies reuse the CRC written");
    assert!(
        known.iter().all(|p| p.starts_with("exhibits/")),
        "without rows, only exhibit copies: {known:?}"
    );
    // An exhibit copy whose digest is not the record's is refused though its CRC is known.
    let e = pump_known(
        &f.input,
        &|_, _, _| {},
        &|need, d| {
            if need.path.starts_with("exhibits/") {
                sha256_hex(&d[1..])
            } else {
                sha256_hex(d)
            }
        },
        &|_, _| None,
    )
    .unwrap_err();
    assert_eq!(e.code(), "STORAGE_DAMAGED", "{e}");
}

#[test]
fn a_damaged_row_is_not_used() {
    let f = fixture(5, 9);
    // The exhibit copies that reuse the CRC written in the first pass (no row needed).
    let copies = pump_known(&f.input, &|_, _, _| {}, &honest_digest, &|_, _| None)
        .unwrap()
        .2;
    let damages: [&dyn Fn(&mut ArtifactChecksum); 5] = [
        &|r| r.crc32 ^= 1,             // a wrong CRC in an otherwise well-formed row
        &|r| r.check = "0".repeat(16), // a broken self-check
        &|r| r.check.clear(),          // no self-check
        &|r| r.size += 1,              // a wrong size
        &|r| r.sha256 = sha256_hex(b"another"), // another artifact's row
    ];
    for damage in damages {
        let row_of = |need: &ArtifactNeed, data: &[u8]| {
            let mut r = ArtifactChecksum::of(&need.sha256, data);
            damage(&mut r);
            Some(r)
        };
        let (zip, _, known) = pump_known(&f.input, &|_, _, _| {}, &honest_digest, &row_of).unwrap();
        assert_eq!(
            known, copies,
            "a damaged row falls back to computing the CRC"
        );
        assert_eq!(zip, f.zip);
    }
    // A row for another artifact, intact in itself (copied under the wrong key): unused.
    let row_of = |_: &ArtifactNeed, _: &[u8]| Some(ArtifactChecksum::of(&sha256_hex(b"x"), b"x"));
    let (zip, _, known) = pump_known(&f.input, &|_, _, _| {}, &honest_digest, &row_of).unwrap();
    assert_eq!((&known, zip == f.zip), (&copies, true));
}

#[test]
fn a_known_crc_with_a_digest_that_is_not_the_records_is_refused() {
    let f = fixture(7, 9);
    // Bytes changed in storage, the row the capture stored still intact: the honest
    // digest of what is read is not the record's.
    let e = pump_known(
        &f.input,
        &|seq, name, d| {
            if seq == 1 && name == "screenshot.png" {
                d[20] ^= 1;
            }
        },
        &honest_digest,
        &|need, _| {
            let orig = stored_artifact(&f.input, need.seq, &need.name).unwrap();
            Some(ArtifactChecksum::of(&need.sha256, orig))
        },
    )
    .unwrap_err();
    assert_eq!(e.code(), "STORAGE_DAMAGED", "{e}");
    assert!(e.to_string().contains("Item 1's screenshot.png"), "{e}");
    // Any digest that is not the record's, with an intact row for the record's hash.
    let e = pump_known(&f.input, &|_, _, _| {}, &|_, _| "0".repeat(64), &honest).unwrap_err();
    assert_eq!(e.code(), "STORAGE_DAMAGED", "{e}");
    // A row made for the digest given, which is not the record's: refused too.
    let e = pump_known(&f.input, &|_, _, _| {}, &|_, _| "1".repeat(64), &|_, d| {
        Some(ArtifactChecksum::of(&"1".repeat(64), d))
    })
    .unwrap_err();
    assert_eq!(e.code(), "STORAGE_DAMAGED", "{e}");
}

#[test]
fn the_known_path_takes_a_whole_stored_artifact_only() {
    let f = fixture(8, 6);
    let data_of = |n: &ArtifactNeed| {
        f.input.items[n.seq as usize]
            .artifacts
            .iter()
            .find(|(x, _)| *x == n.name)
            .unwrap()
            .1
            .clone()
    };
    // A builder with the first artifact that is `stored` (or not) open.
    let open = |stored: bool| {
        let mut b = ArchiveBuilder::new(f.input.meta.clone(), f.input.plan()).unwrap();
        let mut out = Vec::new();
        loop {
            match b.next() {
                Need::Record { seq } => b
                    .put_record(
                        f.input.items[seq as usize].record_bytes.as_ref().unwrap(),
                        &mut out,
                    )
                    .unwrap(),
                Need::Artifact(n) if n.stored == stored => {
                    b.begin_artifact(&mut out).unwrap();
                    return (b, n, out);
                }
                Need::Artifact(n) => {
                    b.begin_artifact(&mut out).unwrap();
                    b.artifact_chunk(&data_of(&n), &mut out).unwrap();
                    b.end_artifact(&mut out).unwrap();
                }
                Need::Done => panic!("no such artifact"),
            }
        }
    };
    // Nothing open: refused.
    let mut b = ArchiveBuilder::new(f.input.meta.clone(), f.input.plan()).unwrap();
    let row = ArtifactChecksum::of(&sha256_hex(b"x"), b"x");
    assert!(b
        .stored_artifact_known(&row.sha256, Some(&row), &mut Vec::new())
        .is_err());
    // The stored artifact, with nothing fed: taken (the control for the cases below).
    let (mut b, n, mut out) = open(true);
    let row = ArtifactChecksum::of(&n.sha256, &data_of(&n));
    assert!(b
        .stored_artifact_known(&n.sha256, Some(&row), &mut out)
        .unwrap());
    // Part of it fed already: refused.
    let (mut b, n, mut out) = open(true);
    let data = data_of(&n);
    b.stored_chunk_unhashed(&data[..1]).unwrap();
    let row = ArtifactChecksum::of(&n.sha256, &data);
    assert!(b
        .stored_artifact_known(&n.sha256, Some(&row), &mut out)
        .is_err());
    // A compressed artifact: its bytes must be fed.
    let (mut b, n, mut out) = open(false);
    let row = ArtifactChecksum::of(&n.sha256, &data_of(&n));
    assert!(b
        .stored_artifact_known(&n.sha256, Some(&row), &mut out)
        .is_err());
}
