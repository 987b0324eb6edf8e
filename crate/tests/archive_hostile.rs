//! Hostile input: one table row per error class of the ZIP reader, each a clear error
//! (never a panic), and a FAIL report from the verifier.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use evidence_core::archive::verdict::Verdict;
use evidence_core::archive::*;

/// One entry for the raw builder: everything a hostile writer can choose.
#[derive(Clone)]
struct Raw {
    name: Vec<u8>,
    flags: u16,
    method: u16,
    data: Vec<u8>,
    crc: Option<u32>,
    uncompressed: Option<u32>,
    compressed: Option<u32>,
    offset: Option<u32>,
    local_name: Option<Vec<u8>>,
}

fn raw(name: &str, data: &[u8]) -> Raw {
    Raw {
        name: name.as_bytes().to_vec(),
        flags: 0x0800,
        method: 0,
        data: data.to_vec(),
        crc: None,
        uncompressed: None,
        compressed: None,
        offset: None,
        local_name: None,
    }
}

fn p16(v: &mut Vec<u8>, x: u16) {
    v.extend_from_slice(&x.to_le_bytes());
}
fn p32(v: &mut Vec<u8>, x: u32) {
    v.extend_from_slice(&x.to_le_bytes());
}

/// A classic (non-ZIP64) archive with sizes in the local headers, no descriptors.
fn raw_zip(entries: &[Raw]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut offsets = Vec::new();
    for e in entries {
        offsets.push(out.len() as u32);
        let crc = e.crc.unwrap_or_else(|| crc32fast::hash(&e.data));
        let name = e.local_name.as_ref().unwrap_or(&e.name);
        p32(&mut out, 0x0403_4b50);
        p16(&mut out, 20);
        p16(&mut out, e.flags);
        p16(&mut out, e.method);
        p16(&mut out, 0);
        p16(&mut out, 0x21);
        p32(&mut out, crc);
        p32(&mut out, e.compressed.unwrap_or(e.data.len() as u32));
        p32(&mut out, e.uncompressed.unwrap_or(e.data.len() as u32));
        p16(&mut out, name.len() as u16);
        p16(&mut out, 0);
        out.extend_from_slice(name);
        out.extend_from_slice(&e.data);
    }
    let cd = out.len() as u32;
    for (e, off) in entries.iter().zip(&offsets) {
        let crc = e.crc.unwrap_or_else(|| crc32fast::hash(&e.data));
        p32(&mut out, 0x0201_4b50);
        p16(&mut out, 0x0314);
        p16(&mut out, 20);
        p16(&mut out, e.flags);
        p16(&mut out, e.method);
        p16(&mut out, 0);
        p16(&mut out, 0x21);
        p32(&mut out, crc);
        p32(&mut out, e.compressed.unwrap_or(e.data.len() as u32));
        p32(&mut out, e.uncompressed.unwrap_or(e.data.len() as u32));
        p16(&mut out, e.name.len() as u16);
        p16(&mut out, 0);
        p16(&mut out, 0);
        p16(&mut out, 0);
        p16(&mut out, 0);
        p32(&mut out, 0o100644 << 16);
        p32(&mut out, e.offset.unwrap_or(*off));
        out.extend_from_slice(&e.name);
    }
    let cd_size = out.len() as u32 - cd;
    p32(&mut out, 0x0605_4b50);
    p16(&mut out, 0);
    p16(&mut out, 0);
    p16(&mut out, entries.len() as u16);
    p16(&mut out, entries.len() as u16);
    p32(&mut out, cd_size);
    p32(&mut out, cd);
    p16(&mut out, 0);
    out
}

fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec(data, 6)
}

fn open_err(zip: &[u8]) -> String {
    let mut src: &[u8] = zip;
    match ZipArchive::open(&mut src) {
        Ok(_) => "opened".into(),
        Err(e) => e.to_string(),
    }
}

/// Open, then read every entry; the first error.
fn read_err(zip: &[u8]) -> String {
    let mut src: &[u8] = zip;
    let arc = match ZipArchive::open(&mut src) {
        Ok(a) => a,
        Err(e) => return e.to_string(),
    };
    for e in arc.entries() {
        if let Err(err) = read_entry(&mut src, e, &mut |_| Ok(())) {
            return err.to_string();
        }
    }
    "read".into()
}

#[test]
fn every_hostile_class_is_a_clear_error() {
    let valid = fixture(11, 6).zip;
    let zeros = vec![0u8; 1 << 20];
    let bomb = deflate(&zeros);
    let text: Vec<u8> = (0..20_000)
        .flat_map(|i: u32| format!("{i},").into_bytes())
        .collect();
    let text_z = deflate(&text);
    let tl = text.len() as u32;
    let mut overlapping = {
        // Entry "a" is stored and its data *contains* entry "b"'s local header and data.
        let inner = raw_zip(&[raw("b", b"hidden")]);
        let b_local_len = 30 + 1 + 6;
        let a_data = inner[..b_local_len].to_vec();
        let mut a = raw("a", &a_data);
        a.flags = 0x0800;
        let mut b = raw("b", b"hidden");
        b.offset = Some(30 + 1);
        raw_zip(&[a, b])
    };
    overlapping.truncate(overlapping.len());
    let mut many = raw_zip(&[raw("a", b"x")]);
    let n = many.len();
    many[n - 14..n - 12].copy_from_slice(&0xFFFEu16.to_le_bytes());
    many[n - 12..n - 10].copy_from_slice(&0xFFFEu16.to_le_bytes());
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty file", vec![], "too short"),
        (
            "not a zip",
            b"hello, this is not a zip archive at all".to_vec(),
            "no end-of-central-directory",
        ),
        (
            "truncated to half",
            valid[..valid.len() / 2].to_vec(),
            "no end-of-central-directory",
        ),
        (
            "truncated end record",
            valid[..valid.len() - 5].to_vec(),
            "no end-of-central-directory",
        ),
        ("prefix cut off", valid[100..].to_vec(), ""),
        (
            "path traversal",
            raw_zip(&[raw("../../etc/passwd", b"x")]),
            "traversal",
        ),
        (
            "nested traversal",
            raw_zip(&[raw("items/../../x", b"x")]),
            "traversal",
        ),
        (
            "absolute path",
            raw_zip(&[raw("/etc/passwd", b"x")]),
            "absolute",
        ),
        (
            "backslash",
            raw_zip(&[raw("items\\000000\\x", b"x")]),
            "backslash",
        ),
        (
            "drive letter",
            raw_zip(&[raw("C:/Windows/x", b"x")]),
            "drive letter",
        ),
        (
            "directory entry",
            raw_zip(&[raw("items/", b"")]),
            "directory",
        ),
        (
            "duplicate names",
            raw_zip(&[raw("a.txt", b"1"), raw("a.txt", b"2")]),
            "appears twice",
        ),
        (
            "non-UTF-8 name without flag",
            raw_zip(&[Raw {
                name: b"caf\xe9.txt".to_vec(),
                flags: 0,
                ..raw("", b"x")
            }]),
            "not ASCII and not marked UTF-8",
        ),
        (
            "invalid UTF-8 with flag",
            raw_zip(&[Raw {
                name: b"caf\xe9.txt".to_vec(),
                ..raw("", b"x")
            }]),
            "not valid UTF-8",
        ),
        (
            "encrypted",
            raw_zip(&[Raw {
                flags: 0x0801,
                ..raw("a.txt", b"x")
            }]),
            "encrypted",
        ),
        (
            "strong encryption",
            raw_zip(&[Raw {
                flags: 0x0840,
                ..raw("a.txt", b"x")
            }]),
            "encrypted",
        ),
        (
            "bzip2 method",
            raw_zip(&[Raw {
                method: 12,
                ..raw("a.txt", b"x")
            }]),
            "compression method 12",
        ),
        (
            "lzma method",
            raw_zip(&[Raw {
                method: 14,
                ..raw("a.txt", b"x")
            }]),
            "compression method 14",
        ),
        ("overlapping entries", overlapping, "overlaps"),
        ("more entries than fit", many, "room for fewer"),
        (
            "declared size past the file",
            raw_zip(&[Raw {
                compressed: Some(4_000_000_000),
                uncompressed: Some(4_000_000_000),
                ..raw("a", b"x")
            }]),
            "run past",
        ),
        (
            "impossible deflate ratio",
            raw_zip(&[Raw {
                method: 8,
                uncompressed: Some(3_000_000_000),
                ..raw("a", &bomb)
            }]),
            "more than DEFLATE can produce",
        ),
        (
            "stored sizes disagree",
            raw_zip(&[Raw {
                uncompressed: Some(5),
                ..raw("a", b"x")
            }]),
            "stored but declares",
        ),
        (
            "local header names another file",
            raw_zip(&[Raw {
                local_name: Some(b"b".to_vec()),
                ..raw("a", b"x")
            }]),
            "names a different file",
        ),
        (
            "offset points nowhere",
            raw_zip(&[Raw {
                offset: Some(3),
                ..raw("a", b"x")
            }]),
            "local",
        ),
        (
            "name longer than accepted",
            raw_zip(&[raw(&"n".repeat(2000), b"x")]),
            "longer than",
        ),
    ];
    for (label, zip, want) in &cases {
        let err = open_err(zip);
        assert_ne!(err, "opened", "{label}: opened");
        assert!(err.contains(want), "{label}: got {err:?}, wanted {want:?}");
        let r = verify_bytes(zip, None);
        assert_eq!(r.verdict, Verdict::Fail, "{label}");
        assert!(
            r.summary.contains("not a readable evidence archive"),
            "{label}: {}",
            r.summary
        );
    }
    // Errors found only while reading content.
    let read_cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "ZIP bomb: inflates past its declared size",
            raw_zip(&[Raw {
                method: 8,
                uncompressed: Some(500_000),
                crc: Some(0),
                ..raw("a", &bomb)
            }]),
            "inflates to more than",
        ),
        (
            "CRC mismatch",
            raw_zip(&[Raw {
                crc: Some(1234),
                ..raw("a", b"content")
            }]),
            "CRC-32",
        ),
        (
            "corrupt DEFLATE",
            raw_zip(&[Raw {
                method: 8,
                uncompressed: Some(100),
                ..raw("a", &[0xff; 40])
            }]),
            "DEFLATE",
        ),
        (
            "DEFLATE cut short",
            raw_zip(&[Raw {
                method: 8,
                uncompressed: Some(tl),
                crc: Some(crc32fast::hash(&text)),
                ..raw("a", &text_z[..text_z.len() / 2])
            }]),
            "ends early",
        ),
        (
            "bytes after the DEFLATE stream",
            raw_zip(&[Raw {
                method: 8,
                uncompressed: Some(tl),
                crc: Some(crc32fast::hash(&text)),
                ..raw("a", &[text_z.clone(), vec![1, 2, 3]].concat())
            }]),
            "after the end",
        ),
        (
            "declared size larger than content",
            raw_zip(&[Raw {
                method: 8,
                uncompressed: Some(tl + 5),
                crc: Some(crc32fast::hash(&text)),
                ..raw("a", &text_z)
            }]),
            "declares",
        ),
    ];
    for (label, zip, want) in &read_cases {
        assert_eq!(open_err(zip), "opened", "{label}");
        let err = read_err(zip);
        assert!(err.contains(want), "{label}: got {err:?}, wanted {want:?}");
        assert_eq!(verify_bytes(zip, None).verdict, Verdict::Fail, "{label}");
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
