//! The restore worker's streamed path: the verifier and the artifacts fed with the file's
//! bytes in slices of any size (as a browser stream gives them) must decide exactly as
//! the verifier and the restore that read the file themselves.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use evidence_core::archive::{verify_expecting, Expected, VerifyRun, VerifyStart};
use evidence_core::restore::{ArchiveRestore, RestoreNeed};

/// Verify `zip` by feeding each range in slices of `step` bytes.
fn verify_fed(zip: &[u8], step: usize) -> evidence_core::archive::Report {
    let mut src: &[u8] = zip;
    let mut run = match VerifyRun::start(&mut src, Expected::default()) {
        VerifyStart::Done(r) => return *r,
        VerifyStart::Run(r) => r,
    };
    while let Some((offset, len)) = run.next_range() {
        let (start, end) = (offset as usize, (offset + len) as usize);
        for chunk in zip[start..end].chunks(step) {
            run.feed(chunk);
        }
        run.end_entry();
    }
    run.finish(&[])
}

fn json(r: &evidence_core::archive::Report) -> String {
    serde_json::to_string(r).unwrap()
}

fn flip(zip: &[u8], at: usize) -> Vec<u8> {
    let mut z = zip.to_vec();
    z[at] ^= 0x20;
    z
}

#[test]
fn feeding_in_any_slices_gives_the_verifiers_own_report() {
    let f = fixture(11, 8);
    let files = extract(&f.zip);
    let mut cases = vec![f.zip.clone(), f.zip[..f.zip.len() - 100].to_vec()];
    // A byte changed inside a deflated text file and inside a stored artifact.
    let mut edited = files.clone();
    let ledger = get(&edited, "ledger.json").unwrap().clone();
    let mut changed = ledger.clone();
    let at = changed.iter().rposition(|b| b.is_ascii_hexdigit()).unwrap();
    changed[at] = if changed[at] == b'0' { b'1' } else { b'0' };
    set(&mut edited, "ledger.json", changed);
    cases.push(rezip(&edited));
    cases.push(flip(&f.zip, f.zip.len() / 2));
    cases.push(flip(&f.zip, f.zip.len() / 3));
    for (i, zip) in cases.iter().enumerate() {
        let mut src: &[u8] = zip;
        let want = json(&verify_expecting(
            &mut src,
            Expected::default(),
            &mut |_, _| {},
        ));
        for step in [1usize, 7, 4096, 65_537, 1 << 22] {
            assert_eq!(
                json(&verify_fed(zip, step)),
                want,
                "case {i}, slices of {step}"
            );
        }
    }
}

/// Restore `zip` artifact by artifact through begin/feed/end (slices of `step`), with
/// `tamper` applied to the bytes fed (an archive changed after verification).
fn restore_fed(zip: &[u8], step: usize, tamper: bool) -> Result<Vec<Vec<u8>>, String> {
    let mut src: &[u8] = zip;
    let opened = ArchiveRestore::open(&mut src, Expected::default(), &mut |_, _| {});
    let mut r = opened.restore.ok_or(opened.refusal.unwrap_or_default())?;
    let plan = r.plan(&[]);
    assert_eq!(plan.refusal, None);
    let mut out = Vec::new();
    loop {
        match r.next(&mut src).map_err(|e| e.to_string())? {
            RestoreNeed::Record { .. } => {
                r.read_record(&mut src).unwrap();
            }
            RestoreNeed::Artifact { .. } => {
                let ((offset, len), stored) = r.begin_artifact().unwrap();
                let mut bytes = zip[offset as usize..(offset + len) as usize].to_vec();
                if tamper && !bytes.is_empty() {
                    let mid = bytes.len() / 2;
                    bytes[mid] ^= 1;
                }
                let mut data = Vec::new();
                let mut sink = |c: &[u8]| {
                    data.extend_from_slice(c);
                    Ok(())
                };
                for chunk in bytes.chunks(step) {
                    if stored {
                        r.feed_artifact_unsent(chunk).map_err(|e| e.to_string())?;
                    } else {
                        r.feed_artifact(chunk, &mut sink)
                            .map_err(|e| e.to_string())?;
                    }
                }
                r.end_artifact(&mut sink).map_err(|e| e.to_string())?;
                out.push(if stored { bytes } else { data });
            }
            RestoreNeed::Done => break,
        }
    }
    r.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

#[test]
fn streamed_artifacts_are_the_ones_read_and_a_changed_byte_is_refused() {
    let f = fixture(12, 8);
    // What the restore that reads the file itself gets.
    let mut src: &[u8] = &f.zip;
    let opened = ArchiveRestore::open(&mut src, Expected::default(), &mut |_, _| {});
    let mut r = opened.restore.unwrap();
    r.plan(&[]);
    let mut want = Vec::new();
    loop {
        match r.next(&mut src).unwrap() {
            RestoreNeed::Record { .. } => {
                r.read_record(&mut src).unwrap();
            }
            RestoreNeed::Artifact { .. } => {
                let mut data = Vec::new();
                r.read_artifact(&mut src, &mut |c| {
                    data.extend_from_slice(c);
                    Ok(())
                })
                .unwrap();
                want.push(data);
            }
            RestoreNeed::Done => break,
        }
    }
    assert!(want.len() > 3);
    for step in [1usize, 1000, 1 << 22] {
        assert_eq!(
            restore_fed(&f.zip, step, false).unwrap(),
            want,
            "slices of {step}"
        );
    }
    let err = restore_fed(&f.zip, 4096, true).unwrap_err();
    assert!(
        err.contains("changed while it was being restored") || err.contains("corrupt"),
        "{err}"
    );
}
