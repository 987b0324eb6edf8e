//! The sans-IO archive builder: what it asks for, what it refuses, and that feeding
//! stored chunks without copying gives the same archive as feeding them through it.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use evidence_core::archive::verdict::Verdict;
use evidence_core::archive::*;
use evidence_core::error::Error;

/// Pump `input` through a builder, copying stored chunks through it (`copy`) or not,
/// with `tamper` applied to every artifact's bytes first.
fn pump(
    input: &ArchiveInput,
    copy: bool,
    tamper: &dyn Fn(u64, &str, &mut Vec<u8>),
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
                let Some(data) = stored_artifact(input, need.seq, &need.name) else {
                    return Err(b.artifact_missing());
                };
                let mut data = data.clone();
                tamper(need.seq, &need.name, &mut data);
                if data.is_empty() && need.bytes > 0 {
                    return Err(b.artifact_missing());
                }
                b.begin_artifact(&mut out)?;
                for chunk in data.chunks(777) {
                    if need.stored && !copy {
                        b.stored_chunk(chunk)?;
                        out.extend_from_slice(chunk);
                    } else {
                        b.artifact_chunk(chunk, &mut out)?;
                    }
                }
                b.end_artifact(&mut out)?;
            }
            Need::Done => break,
        }
    }
    let done = b.finish(&mut out)?;
    Ok((out, done))
}

#[test]
fn builder_output_is_the_archive_and_it_verifies() {
    let f = fixture(5, 9);
    let (zip, done) = pump(&f.input, false, &|_, _, _| {}).unwrap();
    assert_eq!(zip, f.zip, "write_archive is the same builder");
    let (copied, _) = pump(&f.input, true, &|_, _, _| {}).unwrap();
    assert_eq!(
        copied, zip,
        "stored chunks fed without copying give the same bytes"
    );
    assert_eq!(done.head, f.head);
    assert_eq!(done.archive_bytes, zip.len() as u64);
    assert_eq!(
        (
            done.counts.total,
            done.counts.included,
            done.counts.withheld,
            done.counts.removed
        ),
        (9, 7, 1, 1)
    );
    let r = verify_bytes(&zip, Some(&f.head));
    assert_eq!(r.verdict, Verdict::Pass, "{}", r.render_text());
    // The builder wrote the timeline report and the guide itself.
    let files = extract(&zip);
    let report = String::from_utf8(get(&files, REPORT_PATH).unwrap().clone()).unwrap();
    assert!(report.contains("<!DOCTYPE html>"));
    assert!(report.contains(&f.head));
    let guide = String::from_utf8(get(&files, VERIFY_PATH).unwrap().clone()).unwrap();
    assert!(guide.contains(&f.head));
    // Issue 10, finding 3: finish() returns the archive fingerprint, the SHA-256 of the
    // manifest.json it wrote, and the verifier authenticates the archive with it.
    let manifest = get(&files, MANIFEST_PATH).unwrap();
    assert_eq!(done.fingerprint, evidence_core::hash::sha256_hex(manifest));
    let given = Expected {
        head: None,
        fingerprint: Some(&done.fingerprint),
    };
    let r = verify_bytes_expecting(&zip, given);
    assert_eq!(r.verdict, Verdict::Pass, "{}", r.render_text());
    assert!(r.authenticated);
}

/// Issue 10, findings 3 and 5: the builder refuses a removed item whose removal record is
/// left out (the verifier would fail it), and keeps no control or bidi characters of the
/// name typed at export.
#[test]
fn builder_needs_removal_records_and_cleans_the_name() {
    let f = fixture(9, 9);
    let mut input = f.input.clone();
    // The fixture's last item (8) is the removal record of item 4: withhold it.
    assert_eq!(input.items[4].status, ItemStatus::Removed);
    input.items[8].status = ItemStatus::Withheld;
    input.items[8].record_bytes = None;
    let err = pump(&input, false, &|_, _, _| {}).unwrap_err();
    assert_eq!(err.code(), "INVALID_INPUT", "{err}");
    assert!(
        err.to_string()
            .contains("Item 4 was deleted, but the record of its deletion is not included"),
        "{err}"
    );

    let mut input = f.input.clone();
    input.meta.exported_by = Some("M. O.\u{1b}[2J\u{202e}x\u{7}\u{9b}".into());
    let (zip, _) = pump(&input, false, &|_, _, _| {}).unwrap();
    let files = extract(&zip);
    let m = Manifest::parse(get(&files, MANIFEST_PATH).unwrap()).unwrap();
    assert_eq!(m.exported_by.as_deref(), Some("M. O.[2Jx"));
    let report = String::from_utf8(get(&files, REPORT_PATH).unwrap().clone()).unwrap();
    assert!(report.contains("M. O.[2Jx"));
    let r = verify_bytes(&zip, Some(&f.head));
    assert_eq!(r.verdict, Verdict::Pass, "{}", r.render_text());
}

#[test]
fn builder_asks_in_ledger_order_and_skips_withheld_and_removed() {
    let f = fixture(6, 9);
    let b = ArchiveBuilder::new(f.input.meta.clone(), f.input.plan()).unwrap();
    assert_eq!(b.next(), Need::Record { seq: 0 });
    let mut b = b;
    let mut out = Vec::new();
    let mut asked = Vec::new();
    loop {
        match b.next() {
            Need::Record { seq } => {
                asked.push(format!("{seq}"));
                let bytes = f.input.items[seq as usize].record_bytes.clone().unwrap();
                b.put_record(&bytes, &mut out).unwrap();
            }
            Need::Artifact(n) => {
                if n.path.starts_with("exhibits/") {
                    // The second pass: a copy of each included item's screenshot.
                    asked.push(format!("exhibit {}/{}", n.seq, n.name));
                    assert!(n.path.starts_with(&format!("exhibits/AP-{} ", n.seq + 1)));
                } else {
                    asked.push(format!("{}/{}", n.seq, n.name));
                    assert_eq!(n.path, artifact_path(n.seq, &n.name));
                }
                assert_eq!(n.stored, !should_compress(&n.path));
                let data = &f.input.items[n.seq as usize]
                    .artifacts
                    .iter()
                    .find(|(m, _)| *m == n.name)
                    .unwrap()
                    .1;
                assert_eq!(n.bytes, data.len() as u64);
                b.begin_artifact(&mut out).unwrap();
                b.artifact_chunk(data, &mut out).unwrap();
                b.end_artifact(&mut out).unwrap();
            }
            Need::Done => break,
        }
    }
    assert!(!asked.iter().any(|a| a == "2" || a == "4"), "{asked:?}");
    assert_eq!(asked[0], "0");
    assert_eq!(asked[1], "0/screenshot.png");
    // Exhibit copies come after every item's own files, in sequence order: each included
    // capture's screenshot and each attachment of the diary entry (items 2 and 4 are not
    // included; item 3 is a removal record, which has no exhibit file).
    let first_exhibit = asked
        .iter()
        .position(|a| a.starts_with("exhibit "))
        .unwrap();
    assert!(asked[first_exhibit..]
        .iter()
        .all(|a| a.starts_with("exhibit ")));
    assert_eq!(
        asked[first_exhibit..],
        [
            "exhibit 0/screenshot.png",
            "exhibit 1/screenshot.png",
            "exhibit 5/screenshot.png",
            "exhibit 6/photo-1.jpg",
            "exhibit 6/call.mp3"
        ]
    );
    // Misuse is an error, never a panic; finishing twice is refused.
    b.finish(&mut out).unwrap();
    assert!(b.finish(&mut out).is_err());
}

fn damaged_message(e: &Error) -> String {
    assert_eq!(e.code(), "STORAGE_DAMAGED", "{e}");
    e.to_string()
}

#[test]
fn builder_refuses_damaged_or_missing_evidence() {
    let f = fixture(7, 9);
    // A changed byte in a stored artifact (stored entries are only hashed).
    let e = pump(&f.input, false, &|seq, name, d| {
        if seq == 1 && name == "screenshot.png" {
            d[20] ^= 1;
        }
    })
    .unwrap_err();
    let m = damaged_message(&e);
    assert!(m.contains("Item 1's screenshot.png"), "{m}");
    // A truncated compressed one.
    let e = pump(&f.input, false, &|seq, name, d| {
        if seq == 0 && name == "metadata.json" {
            d.pop();
        }
    })
    .unwrap_err();
    assert!(damaged_message(&e).contains("Item 0's metadata.json"));
    // A missing one.
    let e = pump(&f.input, false, &|seq, name, d| {
        if seq == 6 && name == "photo-1.jpg" {
            d.clear();
        }
    });
    let e = e.unwrap_err();
    let m = damaged_message(&e);
    assert!(
        m.contains("Item") && m.contains("photo-1.jpg is missing"),
        "{m}"
    );
    // A record whose bytes changed in storage.
    let mut bad = f.input.clone();
    let rec = bad.items[5].record_bytes.as_mut().unwrap();
    let at = rec.len() / 2;
    rec[at] ^= 1;
    let e = pump(&bad, false, &|_, _, _| {}).unwrap_err();
    assert!(damaged_message(&e).contains("Item 5's record.json"));
    assert!(write_archive(&bad, ZipWriter::new()).is_err());
    // A stored chain value that does not follow, and a gap in the plan.
    let mut plan = f.input.plan();
    plan[3].chain_sha256 = "0".repeat(64);
    let e = ArchiveBuilder::new(f.input.meta.clone(), plan)
        .err()
        .unwrap();
    assert!(damaged_message(&e).contains("Item 3's link in the chain"));
    let mut plan = f.input.plan();
    plan.remove(2);
    let e = ArchiveBuilder::new(f.input.meta.clone(), plan)
        .err()
        .unwrap();
    assert!(damaged_message(&e).contains("Item 2 is missing"));
}

#[test]
fn builder_refuses_misuse_and_stays_failed() {
    let f = fixture(8, 6);
    let mut b = ArchiveBuilder::new(f.input.meta.clone(), f.input.plan()).unwrap();
    let mut out = Vec::new();
    assert!(b.begin_artifact(&mut out).is_err(), "a record comes first");
    let mut b = ArchiveBuilder::new(f.input.meta.clone(), f.input.plan()).unwrap();
    assert!(b.finish(&mut out).is_err(), "not complete");
    assert!(
        b.put_record(b"{}", &mut out).is_err(),
        "failed builders stay failed"
    );
    let mut b = ArchiveBuilder::new(f.input.meta.clone(), f.input.plan()).unwrap();
    b.put_record(f.input.items[0].record_bytes.as_ref().unwrap(), &mut out)
        .unwrap();
    assert!(b.stored_chunk(b"x").is_err(), "no artifact is open");
    // Compressed artifacts cannot be fed as stored chunks.
    let mut b = ArchiveBuilder::new(f.input.meta.clone(), f.input.plan()).unwrap();
    b.put_record(f.input.items[0].record_bytes.as_ref().unwrap(), &mut out)
        .unwrap();
    for (name, data) in &f.input.items[0].artifacts {
        let Need::Artifact(n) = b.next() else {
            panic!()
        };
        assert_eq!(&n.name, name);
        b.begin_artifact(&mut out).unwrap();
        if n.stored {
            b.stored_chunk(data).unwrap();
        } else {
            assert!(b.stored_chunk(data).is_err());
            break;
        }
        b.end_artifact(&mut out).unwrap();
    }
    // An empty library still makes a valid archive.
    let mut empty = ArchiveBuilder::new(f.input.meta.clone(), Vec::new()).unwrap();
    assert_eq!(empty.next(), Need::Done);
    let mut zip = Vec::new();
    let done = empty.finish(&mut zip).unwrap();
    assert_eq!(done.counts.total, 0);
    assert_eq!(verify_bytes(&zip, None).verdict, Verdict::Pass);
}
