//! The device signature (`signature.json`): an export signed with the installation key
//! verifies, names the key's fingerprint (the same for every archive of that key), checks
//! with `openssl dgst -verify`, and fails when the signature or the manifest was changed.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use evidence_core::archive::signature::{device_public_key, DeviceSignature, SIGNATURE_PATH};
use evidence_core::archive::verdict::Verdict;
use evidence_core::archive::*;
use std::process::Command;

const KEY: [u8; 32] = [0x42; 32];

fn signed(f: &Fixture, key: [u8; 32]) -> Vec<u8> {
    write_archive_signed(&f.input, ZipWriter::new(), vec![], Some(key.to_vec())).unwrap()
}

fn resum(files: &mut [(String, Vec<u8>)]) {
    let infos: Vec<FileInfo> = files
        .iter()
        .filter(|(p, _)| p != SUMS_PATH)
        .map(|(p, d)| FileInfo {
            path: p.clone(),
            bytes: d.len() as u64,
            sha256: evidence_core::hash::sha256_hex(d),
        })
        .collect();
    set(files, SUMS_PATH, build_sha256sums(&infos).unwrap());
}

#[test]
fn a_signed_archive_verifies_and_names_its_key() {
    let f = fixture(51, 8);
    let zip = signed(&f, KEY);
    let r = verify_bytes(&zip, None);
    assert_eq!(r.verdict, Verdict::Pass, "{}", r.render_text());
    let fp = device_public_key(&KEY).unwrap().1;
    let s = r.signature.as_ref().unwrap();
    assert!(s.valid);
    assert_eq!(s.key_fingerprint.as_deref(), Some(fp.as_str()));
    assert!(
        r.summary
            .contains(&format!("installation key fingerprint {fp}")),
        "{}",
        r.summary
    );
    assert!(r.render_text().contains("Device signature: VALID."));
    // Another archive of the same installation: the same fingerprint.
    let r2 = verify_bytes(&signed(&fixture(52, 7), KEY), None);
    assert_eq!(
        r2.signature.unwrap().key_fingerprint.as_deref(),
        Some(fp.as_str())
    );
    // signature.json is in SHA256SUMS, not in the manifest it signs.
    let files = extract(&zip);
    assert!(String::from_utf8(get(&files, SUMS_PATH).unwrap().clone())
        .unwrap()
        .contains("  signature.json\n"));
    assert!(
        !String::from_utf8(get(&files, MANIFEST_PATH).unwrap().clone())
            .unwrap()
            .contains("signature.json")
    );
    // Without a key: no signature.json, and the archive is what it always was.
    assert_eq!(
        write_archive_signed(&f.input, ZipWriter::new(), vec![], None).unwrap(),
        f.zip
    );
    assert!(verify_bytes(&f.zip, None).signature.is_none());
}

#[test]
fn openssl_checks_the_signature() {
    let files = extract(&signed(&fixture(53, 8), KEY));
    let dir = std::env::temp_dir().join(format!("evidence-sig-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let doc: DeviceSignature =
        serde_json::from_slice(get(&files, SIGNATURE_PATH).unwrap()).unwrap();
    std::fs::write(dir.join("key.pem"), &doc.public_key_pem).unwrap();
    let sig: Vec<u8> = (0..doc.signature.len() / 2)
        .map(|i| u8::from_str_radix(&doc.signature[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    std::fs::write(dir.join("sig.der"), sig).unwrap();
    std::fs::write(
        dir.join("manifest.json"),
        get(&files, MANIFEST_PATH).unwrap(),
    )
    .unwrap();
    let out = Command::new("openssl")
        .current_dir(&dir)
        .args([
            "dgst",
            "-sha256",
            "-verify",
            "key.pem",
            "-signature",
            "sig.der",
            "manifest.json",
        ])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Verified OK"),
        "{out:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_changed_signature_or_manifest_fails() {
    let f = fixture(54, 8);
    let zip = signed(&f, KEY);
    // Another key's signature put in place of this one.
    let mut files = extract(&zip);
    let other = extract(&signed(&f, [0x43; 32]));
    let mut doc: DeviceSignature =
        serde_json::from_slice(get(&files, SIGNATURE_PATH).unwrap()).unwrap();
    let o: DeviceSignature = serde_json::from_slice(get(&other, SIGNATURE_PATH).unwrap()).unwrap();
    doc.signature = o.signature;
    let mut bytes = serde_json::to_vec_pretty(&doc).unwrap();
    bytes.push(b'\n');
    set(&mut files, SIGNATURE_PATH, bytes);
    resum(&mut files);
    let r = verify_bytes(&rezip(&files), None);
    assert_eq!(r.verdict, Verdict::Fail);
    assert!(
        r.problems
            .iter()
            .any(|p| p.code == "SIGNATURE" && p.message.contains("does not verify")),
        "{:?}",
        r.problems
    );
    // A forger who rebuilds the manifest after a change cannot re-sign it.
    let mut files = extract(&zip);
    files.retain(|(p, _)| !p.starts_with("items/000007/"));
    let mut ledger = LedgerFile::parse(get(&files, LEDGER_PATH).unwrap()).unwrap();
    ledger.entries[7].status = ItemStatus::Withheld;
    let items = ledger.entries.iter().map(LedgerFileEntry::item).collect();
    reindex(&mut files, Some(items));
    let r = verify_bytes(&rezip(&files), None);
    assert_eq!(r.verdict, Verdict::Fail, "{}", r.render_text());
    assert!(
        r.problems.iter().any(|p| p.code == "SIGNATURE"),
        "{:?}",
        r.problems
    );
}
