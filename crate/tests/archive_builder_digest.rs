//! The builder's external-digest path (the extension's export hashes stored artifacts with
//! WebCrypto and passes the SHA-256 in): the same archive as the builder's own hashing, the
//! same refusal of damaged evidence, and no mixing of the two ways within one artifact.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use evidence_core::archive::verdict::Verdict;
use evidence_core::archive::*;
use evidence_core::error::Error;
use evidence_core::hash::sha256_hex;

/// Pump `input` through a builder the way export.js does for artifacts it reads whole:
/// stored ones unhashed, then ended with the SHA-256 of `digest_of(bytes)`.
fn pump_external(
    input: &ArchiveInput,
    tamper: &dyn Fn(u64, &str, &mut Vec<u8>),
    digest_of: &dyn Fn(&[u8]) -> String,
) -> Result<(Vec<u8>, ExportDone), Error> {
    let mut b = ArchiveBuilder::new(input.meta.clone(), input.plan())?;
    let mut out = Vec::new();
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
                if need.stored {
                    for chunk in data.chunks(1000) {
                        b.stored_chunk_unhashed(chunk)?;
                        out.extend_from_slice(chunk);
                    }
                    b.end_artifact_with_sha256(&mut out, &digest_of(&data))?;
                } else {
                    for chunk in data.chunks(1000) {
                        b.artifact_chunk(chunk, &mut out)?;
                    }
                    b.end_artifact(&mut out)?;
                }
            }
            Need::Done => break,
        }
    }
    let done = b.finish(&mut out)?;
    Ok((out, done))
}

#[test]
fn a_digest_passed_in_gives_the_same_archive() {
    let f = fixture(5, 9);
    let (zip, done) = pump_external(&f.input, &|_, _, _| {}, &sha256_hex).unwrap();
    assert_eq!(zip, f.zip, "the same bytes as the builder hashing itself");
    assert_eq!(done.head, f.head);
    let r = verify_bytes(&zip, Some(&f.head));
    assert_eq!(r.verdict, Verdict::Pass, "{}", r.render_text());
}

#[test]
fn the_core_still_refuses_damaged_evidence() {
    let f = fixture(7, 9);
    // Bytes changed in storage: their (honest) digest is not the record's.
    let e = pump_external(
        &f.input,
        &|seq, name, d| {
            if seq == 1 && name == "screenshot.png" {
                d[20] ^= 1;
            }
        },
        &sha256_hex,
    )
    .unwrap_err();
    assert_eq!(e.code(), "STORAGE_DAMAGED", "{e}");
    assert!(e.to_string().contains("Item 1's screenshot.png"), "{e}");
    // A digest that is not the record's, whatever the bytes.
    let e = pump_external(&f.input, &|_, _, _| {}, &|_| "0".repeat(64)).unwrap_err();
    assert_eq!(e.code(), "STORAGE_DAMAGED", "{e}");
    // A truncated artifact (size differs) is refused even with the record's digest.
    let sizes = pump_external(
        &f.input,
        &|seq, name, d| {
            if seq == 1 && name == "screenshot.png" {
                d.pop();
            }
        },
        &|_| {
            let rec = &f.input.items[1];
            let (_, orig) = rec
                .artifacts
                .iter()
                .find(|(n, _)| n == "screenshot.png")
                .unwrap();
            sha256_hex(orig)
        },
    );
    assert_eq!(sizes.unwrap_err().code(), "STORAGE_DAMAGED");
}

#[test]
fn one_artifact_is_fed_one_way() {
    let f = fixture(8, 6);
    let first = &f.input.items[0];
    let open = |b: &mut ArchiveBuilder, out: &mut Vec<u8>, stored: bool| loop {
        match b.next() {
            Need::Record { seq } => b
                .put_record(
                    f.input.items[seq as usize].record_bytes.as_ref().unwrap(),
                    out,
                )
                .unwrap(),
            Need::Artifact(n) if n.stored == stored => {
                b.begin_artifact(out).unwrap();
                return n;
            }
            Need::Artifact(n) => {
                let (_, data) = first.artifacts.iter().find(|(x, _)| *x == n.name).unwrap();
                b.begin_artifact(out).unwrap();
                b.artifact_chunk(data, out).unwrap();
                b.end_artifact(out).unwrap();
            }
            Need::Done => panic!("no such artifact"),
        }
    };
    let data_of = |n: &ArtifactNeed| {
        f.input.items[n.seq as usize]
            .artifacts
            .iter()
            .find(|(x, _)| *x == n.name)
            .unwrap()
            .1
            .clone()
    };
    let mut out = Vec::new();
    // Hashed, then unhashed: refused.
    let mut b = ArchiveBuilder::new(f.input.meta.clone(), f.input.plan()).unwrap();
    let n = open(&mut b, &mut out, true);
    let data = data_of(&n);
    b.stored_chunk(&data[..1]).unwrap();
    assert!(b.stored_chunk_unhashed(&data[1..]).is_err());
    // Unhashed, then hashed, or ended without its digest: refused.
    let mut b = ArchiveBuilder::new(f.input.meta.clone(), f.input.plan()).unwrap();
    let n = open(&mut b, &mut out, true);
    let data = data_of(&n);
    b.stored_chunk_unhashed(&data[..1]).unwrap();
    assert!(b.stored_chunk(&data[1..]).is_err());
    let mut b = ArchiveBuilder::new(f.input.meta.clone(), f.input.plan()).unwrap();
    let n = open(&mut b, &mut out, true);
    b.stored_chunk_unhashed(&data_of(&n)).unwrap();
    assert!(
        b.end_artifact(&mut out).is_err(),
        "its SHA-256 must be given"
    );
    // A digest that is not lowercase hex: refused.
    let mut b = ArchiveBuilder::new(f.input.meta.clone(), f.input.plan()).unwrap();
    let n = open(&mut b, &mut out, true);
    let data = data_of(&n);
    b.stored_chunk_unhashed(&data).unwrap();
    assert!(b
        .end_artifact_with_sha256(&mut out, &sha256_hex(&data).to_uppercase())
        .is_err());
    // A compressed artifact cannot be fed unhashed, nor ended with a digest.
    let mut b = ArchiveBuilder::new(f.input.meta.clone(), f.input.plan()).unwrap();
    let n = open(&mut b, &mut out, false);
    let data = data_of(&n);
    assert!(b.stored_chunk_unhashed(&data).is_err());
    let mut b = ArchiveBuilder::new(f.input.meta.clone(), f.input.plan()).unwrap();
    let n = open(&mut b, &mut out, false);
    let data = data_of(&n);
    b.artifact_chunk(&data, &mut out).unwrap();
    assert!(b
        .end_artifact_with_sha256(&mut out, &sha256_hex(&data))
        .is_err());
}
