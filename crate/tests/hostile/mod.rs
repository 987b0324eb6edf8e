//! The hostile-archive corpus, shared by the native tests (`archive_hostile.rs`) and the
//! browser tests (`wasm_boundary.rs`), so both targets run the same inputs through the
//! same verifier code and expect the same verdicts: the raw-ZIP error classes built here,
//! and every seed of the fuzz corpus (`fuzz/corpus/archive_reader/`).
#![allow(dead_code, clippy::unwrap_used)]

use crate::common::*;
use evidence_core::archive::verdict::Verdict;
use evidence_core::archive::*;

/// One entry for the raw builder: everything a hostile writer can choose.
#[derive(Clone)]
pub struct Raw {
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

pub fn raw(name: &str, data: &[u8]) -> Raw {
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
pub fn raw_zip(entries: &[Raw]) -> Vec<u8> {
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

pub fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec(data, 6)
}

pub fn open_err(zip: &[u8]) -> String {
    let mut src: &[u8] = zip;
    match ZipArchive::open(&mut src) {
        Ok(_) => "opened".into(),
        Err(e) => e.to_string(),
    }
}

/// Open, then read every entry; the first error.
pub fn read_err(zip: &[u8]) -> String {
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

/// `(label, archive, text the error must contain)`.
pub type Case = (&'static str, Vec<u8>, &'static str);

/// The hostile classes: those the ZIP reader refuses when opening, and those it finds
/// only while reading content.
pub fn cases() -> (Vec<Case>, Vec<Case>) {
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
    let open_cases: Vec<Case> = vec![
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
    let read_cases: Vec<Case> = vec![
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
    (open_cases, read_cases)
}

/// A case refused when opening: a clear error, and a FAIL report, never a panic.
pub fn check_open_case((label, zip, want): &Case) {
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

/// A case that opens but fails while its content is read.
pub fn check_read_case((label, zip, want): &Case) {
    assert_eq!(open_err(zip), "opened", "{label}");
    let err = read_err(zip);
    assert!(err.contains(want), "{label}: got {err:?}, wanted {want:?}");
    assert_eq!(verify_bytes(zip, None).verdict, Verdict::Fail, "{label}");
}

/// Every seed of the fuzz corpus, compiled in.
pub const CORPUS: &[(&str, &[u8])] = &[
    (
        "0377e6f37d309fff4c8247036c0232687587f1e5",
        include_bytes!(
            "../../../fuzz/corpus/archive_reader/0377e6f37d309fff4c8247036c0232687587f1e5"
        ),
    ),
    (
        "1a8f73144cd879075cdbe4d6c89a8cb63423c2af",
        include_bytes!(
            "../../../fuzz/corpus/archive_reader/1a8f73144cd879075cdbe4d6c89a8cb63423c2af"
        ),
    ),
    (
        "2f5c7e411562e2b8728aa414e9290be73657074e",
        include_bytes!(
            "../../../fuzz/corpus/archive_reader/2f5c7e411562e2b8728aa414e9290be73657074e"
        ),
    ),
    (
        "37983cfd5f2950a6c4938f0f7575074a2e164fea",
        include_bytes!(
            "../../../fuzz/corpus/archive_reader/37983cfd5f2950a6c4938f0f7575074a2e164fea"
        ),
    ),
    (
        "3ee6d8e19f63ec2aca68f2f51fa7cd9f1e3a3c20",
        include_bytes!(
            "../../../fuzz/corpus/archive_reader/3ee6d8e19f63ec2aca68f2f51fa7cd9f1e3a3c20"
        ),
    ),
    (
        "407194224f66b40051ff8eb9acf711874a1f750f",
        include_bytes!(
            "../../../fuzz/corpus/archive_reader/407194224f66b40051ff8eb9acf711874a1f750f"
        ),
    ),
    (
        "590857fd0108063081a0c7193bc58365e2753801",
        include_bytes!(
            "../../../fuzz/corpus/archive_reader/590857fd0108063081a0c7193bc58365e2753801"
        ),
    ),
    (
        "626253e41197dc9cebc75bc36e6c4b15da1190de",
        include_bytes!(
            "../../../fuzz/corpus/archive_reader/626253e41197dc9cebc75bc36e6c4b15da1190de"
        ),
    ),
    (
        "68f94878e1f07b28470acdc6bb0a66ce1fd9ebaa",
        include_bytes!(
            "../../../fuzz/corpus/archive_reader/68f94878e1f07b28470acdc6bb0a66ce1fd9ebaa"
        ),
    ),
    (
        "7ff1cd0bd314ef015be204e1a1e4c5ac71c9335f",
        include_bytes!(
            "../../../fuzz/corpus/archive_reader/7ff1cd0bd314ef015be204e1a1e4c5ac71c9335f"
        ),
    ),
    (
        "8d883f1577ca8c334b7c6d75ccb71209d71ced13",
        include_bytes!(
            "../../../fuzz/corpus/archive_reader/8d883f1577ca8c334b7c6d75ccb71209d71ced13"
        ),
    ),
    (
        "a27f92554251808e78b849fdaf9ce6dcf943b4a9",
        include_bytes!(
            "../../../fuzz/corpus/archive_reader/a27f92554251808e78b849fdaf9ce6dcf943b4a9"
        ),
    ),
    (
        "ac247efe908ab539ce9d465fb70c4d236568865a",
        include_bytes!(
            "../../../fuzz/corpus/archive_reader/ac247efe908ab539ce9d465fb70c4d236568865a"
        ),
    ),
    (
        "ad4357d0a06afb060b4351f262506a4cac267d32",
        include_bytes!(
            "../../../fuzz/corpus/archive_reader/ad4357d0a06afb060b4351f262506a4cac267d32"
        ),
    ),
    (
        "b460ce76e94d5630dea37a51e31fe34667b92064",
        include_bytes!(
            "../../../fuzz/corpus/archive_reader/b460ce76e94d5630dea37a51e31fe34667b92064"
        ),
    ),
    (
        "c6c5a1bc1f3cd7eba1154c6cdfbe0790fa54b9c4",
        include_bytes!(
            "../../../fuzz/corpus/archive_reader/c6c5a1bc1f3cd7eba1154c6cdfbe0790fa54b9c4"
        ),
    ),
    (
        "cbfe69669b15bea99092cca4136b02daf3bd02e6",
        include_bytes!(
            "../../../fuzz/corpus/archive_reader/cbfe69669b15bea99092cca4136b02daf3bd02e6"
        ),
    ),
    (
        "ed66b3296f94e179c82175418622d39ce99ff7cb",
        include_bytes!(
            "../../../fuzz/corpus/archive_reader/ed66b3296f94e179c82175418622d39ce99ff7cb"
        ),
    ),
    (
        "fail-directory-flip.zip",
        include_bytes!("../../../fuzz/corpus/archive_reader/fail-directory-flip.zip"),
    ),
    (
        "fail-empty.bin",
        include_bytes!("../../../fuzz/corpus/archive_reader/fail-empty.bin"),
    ),
    (
        "fail-end-record-only.zip",
        include_bytes!("../../../fuzz/corpus/archive_reader/fail-end-record-only.zip"),
    ),
    (
        "fail-forged-record.zip",
        include_bytes!("../../../fuzz/corpus/archive_reader/fail-forged-record.zip"),
    ),
    (
        "fail-inflating-manifest.zip",
        include_bytes!("../../../fuzz/corpus/archive_reader/fail-inflating-manifest.zip"),
    ),
    (
        "fail-traversal.zip",
        include_bytes!("../../../fuzz/corpus/archive_reader/fail-traversal.zip"),
    ),
    (
        "fail-truncated.zip",
        include_bytes!("../../../fuzz/corpus/archive_reader/fail-truncated.zip"),
    ),
    (
        "pass-valid.zip",
        include_bytes!("../../../fuzz/corpus/archive_reader/pass-valid.zip"),
    ),
    (
        "pass-zip64.zip",
        include_bytes!("../../../fuzz/corpus/archive_reader/pass-zip64.zip"),
    ),
];

/// What the verifier must say about a corpus file: `pass-*` passes, `fail-*` fails
/// with the problem code or item state its name promises; others only must not panic.
pub fn check_corpus_file(name: &str, data: &[u8]) {
    let report = verify_bytes(data, None);
    let text = report.render_text();
    let _ = verify_bytes(data, Some(&"0".repeat(64)));
    if name.starts_with("pass-") {
        assert_eq!(report.verdict, Verdict::Pass, "{name}: {text}");
        return;
    }
    if !name.starts_with("fail-") {
        return;
    }
    assert_eq!(report.verdict, Verdict::Fail, "{name}");
    let codes: Vec<&str> = report.problems.iter().map(|p| p.code.as_str()).collect();
    let want = match name {
        "fail-empty.bin"
        | "fail-truncated.zip"
        | "fail-directory-flip.zip"
        | "fail-traversal.zip" => "ZIP",
        "fail-end-record-only.zip" => "MANIFEST",
        "fail-inflating-manifest.zip" => "MANIFEST",
        "fail-forged-record.zip" => "",
        other => panic!("no expectation for {other}"),
    };
    if want.is_empty() {
        assert!(
            report
                .items
                .iter()
                .any(|i| i.status == verdict::ItemState::Modified),
            "{name}: {text}"
        );
    } else {
        assert!(
            codes.contains(&want),
            "{name}: wanted {want}, got {codes:?}: {text}"
        );
    }
}
