//! RFC 3161 tokens made by `openssl ts -reply` (fixtures from
//! `crate/tests/fixtures/tsp/make.sh`, and one made live from our own request), checked by
//! `evidence_core::tsp`, and hostile DER that must give an error, never a panic.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

use der::{Decode, Encode};
use evidence_core::tsp::{self, chain, pem, Trust};
use sha2::{Digest, Sha256};
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tsp")
}
fn read(name: &str) -> Vec<u8> {
    std::fs::read(dir().join(name)).unwrap()
}
fn cert(name: &str) -> Vec<u8> {
    pem::decode_certificates(&String::from_utf8(read(name)).unwrap())
        .unwrap()
        .remove(0)
}
fn head() -> [u8; 32] {
    Sha256::digest(read("head.bin")).into()
}
fn nonce_of(tsq: &[u8]) -> u64 {
    let req = x509_tsp::TimeStampReq::from_der(tsq).unwrap();
    let bytes = req.nonce.unwrap().as_bytes().to_vec();
    bytes.iter().fold(0u64, |a, b| (a << 8) | u64::from(*b))
}
fn roots() -> Vec<Vec<u8>> {
    vec![cert("ca.pem")]
}

#[test]
fn openssl_tokens_verify_with_every_algorithm_and_binding() {
    for (name, algorithm, binding) in [
        ("rsa", "RSA PKCS#1 v1.5", "ESSCertIDv2"),
        ("p256", "ECDSA P-256", "ESSCertIDv2"),
        ("p384", "ECDSA P-384", "ESSCertIDv2"),
        ("rsav1", "RSA PKCS#1 v1.5", "ESSCertID"),
    ] {
        let tsr = read(&format!("{name}.tsr"));
        let nonce = nonce_of(&read(&format!("{name}.tsq")));
        let info = tsp::verify_response(&tsr, &head(), Some(nonce), &roots(), &[]).unwrap();
        assert_eq!(info.algorithm, algorithm, "{name}");
        assert_eq!(info.cert_binding, binding, "{name}");
        assert_eq!(info.nonce, Some(nonce));
        assert_eq!(info.policy, "1.3.6.1.4.1.99999.1");
        assert_eq!(info.accuracy_ms, Some(1000));
        let signer = if name == "rsav1" { "rsa" } else { name };
        assert_eq!(info.tsa, format!("CN=Evidence Test TSA {signer}"));
        assert_eq!(
            info.trust,
            Trust::Trusted {
                root: "CN=Evidence Test TSA Root".into()
            }
        );
        assert!(info.gen_time.ends_with('Z') && info.gen_time_unix > 1_700_000_000);
        assert_eq!(
            info.chain_der,
            vec![cert(&format!("{signer}.pem")), cert("ca.pem")]
        );
        assert!(info
            .chain_pem()
            .starts_with("-----BEGIN CERTIFICATE-----\n"));
        // Without the nonce (an archive's verifier does not know it) it still verifies.
        tsp::verify_response(&tsr, &head(), None, &roots(), &[]).unwrap();
        // Wrong nonce: refused.
        let e = tsp::verify_response(&tsr, &head(), Some(nonce ^ 1), &roots(), &[]).unwrap_err();
        assert!(e.to_string().contains("nonce"), "{e}");
        assert_eq!(e.code(), "BAD_TIMESTAMP");
    }
}

#[test]
fn a_token_for_another_head_fails() {
    let mut other = head();
    other[0] ^= 1;
    let e = tsp::verify_response(&read("rsa.tsr"), &other, None, &roots(), &[]).unwrap_err();
    assert!(e.to_string().contains("another hash"), "{e}");
}

#[test]
fn an_untrusted_root_is_named_and_is_not_an_error() {
    let info = tsp::verify_response(
        &read("p256.tsr"),
        &head(),
        None,
        &[cert("other-ca.pem")],
        &[],
    )
    .unwrap();
    assert_eq!(
        info.trust,
        Trust::Untrusted {
            top: "CN=Evidence Test TSA Root".into()
        }
    );
    let info = tsp::verify_response(&read("p256.tsr"), &head(), None, &[], &[]).unwrap();
    assert!(matches!(info.trust, Trust::Untrusted { .. }));
}

/// The byte offset of `needle` in `hay` (exactly once).
fn find(hay: &[u8], needle: &[u8]) -> usize {
    let hits: Vec<usize> = hay
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect();
    assert_eq!(hits.len(), 1, "needle found {} times", hits.len());
    hits[0]
}

#[test]
fn a_flipped_signature_byte_fails() {
    for name in ["rsa", "p256", "p384"] {
        let mut tsr = read(&format!("{name}.tsr"));
        // The SignerInfo's signature is the last field of the response (no unsigned
        // attributes): flip a byte inside it.
        let n = tsr.len();
        tsr[n - 5] ^= 0x01;
        let e = tsp::verify_response(&tsr, &head(), None, &roots(), &[]).unwrap_err();
        assert!(e.to_string().contains("signature"), "{name}: {e}");
    }
}

#[test]
fn a_changed_tstinfo_fails_the_message_digest() {
    let mut tsr = read("rsa.tsr");
    // The policy OID inside the signed TSTInfo.
    let at = find(
        &tsr,
        &[
            0x06, 0x09, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x86, 0x8d, 0x1f, 0x01,
        ],
    );
    tsr[at + 10] ^= 0x01; // the policy OID's last arc
    let e = tsp::verify_response(&tsr, &head(), None, &roots(), &[]).unwrap_err();
    assert!(e.to_string().contains("digest"), "{e}");
}

#[test]
fn a_swapped_tsa_certificate_fails_the_ess_binding() {
    // The twin has the same key, issuer and serial as the real P-256 TSA certificate: the
    // signature still verifies with it; only the ESSCertIDv2 hash tells them apart.
    let mut tsr = read("p256.tsr");
    let real = cert("p256.pem");
    let twin = cert("p256-twin.pem");
    assert_eq!(
        real.len(),
        twin.len(),
        "the fixture twin must have the real one's length"
    );
    let at = find(&tsr, &real);
    tsr[at..at + real.len()].copy_from_slice(&twin);
    let e = tsp::verify_response(&tsr, &head(), None, &roots(), &[]).unwrap_err();
    assert!(e.to_string().contains("ESSCertID"), "{e}");
}

#[test]
fn tsa_certificate_rules() {
    let noeku = chain::parse_certificate(&cert("noeku.pem")).unwrap();
    let e = chain::check_tsa_certificate(&noeku).unwrap_err();
    assert!(e.to_string().contains("not critical"), "{e}");
    let ca = chain::parse_certificate(&cert("ca.pem")).unwrap();
    assert!(chain::check_tsa_certificate(&ca).is_err());
    let tsa = chain::parse_certificate(&cert("rsa.pem")).unwrap();
    chain::check_tsa_certificate(&tsa).unwrap();
    // Outside the validity period at genTime: refused.
    let root = chain::parse_certificate(&cert("ca.pem")).unwrap();
    let nb = tsa
        .tbs_certificate
        .validity
        .not_before
        .to_unix_duration()
        .as_secs() as i64;
    assert!(chain::build_chain(&tsa, &[], std::slice::from_ref(&root), nb + 60).is_ok());
    let e = chain::build_chain(&tsa, &[], std::slice::from_ref(&root), nb - 60).unwrap_err();
    assert!(e.to_string().contains("not valid at genTime"), "{e}");
    let na = tsa
        .tbs_certificate
        .validity
        .not_after
        .to_unix_duration()
        .as_secs() as i64;
    assert!(chain::build_chain(&tsa, &[], &[root], na + 1).is_err());
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("evidence-tsp-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(cmd: &mut std::process::Command) {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A live round trip: our `TimeStampReq` into `openssl ts -reply`, the answer through our
/// verifier and through `openssl ts -verify`.
#[test]
fn our_request_is_answered_by_openssl_and_verified() {
    let d = tmp("live");
    run(std::process::Command::new("sh")
        .arg(dir().join("make.sh"))
        .arg(&d)
        .env("TSA_DAYS", "2"));
    let head: [u8; 32] = Sha256::digest(b"live head").into();
    let nonce = 0x8123_4567_89ab_cdef_u64;
    let req = tsp::build_request(&head, nonce).unwrap();
    std::fs::write(d.join("req.tsq"), &req).unwrap();
    for section in ["tsa_rsa", "tsa_p256"] {
        let out = d.join(format!("{section}.tsr"));
        run(std::process::Command::new("openssl")
            .current_dir(&d)
            .args(["ts", "-reply", "-config", "tsa.cnf", "-section", section])
            .args(["-queryfile", "req.tsq", "-chain", "ca.pem", "-out"])
            .arg(&out));
        let tsr = std::fs::read(&out).unwrap();
        let root =
            pem::decode_certificates(&std::fs::read_to_string(d.join("ca.pem")).unwrap()).unwrap();
        let info = tsp::verify_response(&tsr, &head, Some(nonce), &root, &[]).unwrap();
        assert!(matches!(info.trust, Trust::Trusted { .. }));
        assert!(tsp::verify_response(&tsr, &head, Some(nonce + 1), &root, &[]).is_err());
        std::fs::write(d.join("chain.pem"), info.chain_pem()).unwrap();
        run(std::process::Command::new("openssl")
            .current_dir(&d)
            .args([
                "ts",
                "-verify",
                "-queryfile",
                "req.tsq",
                "-CAfile",
                "ca.pem",
            ])
            .args(["-untrusted", "chain.pem", "-in"])
            .arg(&out));
    }
    let _ = std::fs::remove_dir_all(&d);
}

fn hostile(bytes: &[u8]) -> bool {
    tsp::verify_response(bytes, &head(), None, &roots(), &[]).is_ok()
}

#[test]
fn truncated_tokens_fail_without_panic() {
    for name in ["rsa", "p256", "p384", "rsav1"] {
        let tsr = read(&format!("{name}.tsr"));
        for n in 0..tsr.len() {
            assert!(!hostile(&tsr[..n]), "{name} truncated at {n} passed");
        }
        let mut longer = tsr.clone();
        longer.push(0);
        assert!(!hostile(&longer), "trailing data after the response passed");
    }
}

#[test]
fn oversized_lengths_and_wrong_oids_fail() {
    let tsr = read("p256.tsr");
    // The outer SEQUENCE's length rewritten as 2^32 - 1.
    let mut big = vec![0x30, 0x84, 0xff, 0xff, 0xff, 0xff];
    big.extend_from_slice(&tsr[4..]);
    assert!(!hostile(&big));
    // Every length byte position set to 0xff / 0x80 / 0x84 in turn.
    for i in 0..tsr.len().min(400) {
        for v in [0x00, 0x7f, 0x80, 0x84, 0xff] {
            let mut t = tsr.clone();
            t[i] = v;
            let _ = hostile(&t);
        }
    }
    // id-signedData and id-ct-TSTInfo replaced by id-data.
    let signed_data = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
    let mut t = tsr.clone();
    let at = find(&t, &signed_data);
    t[at + 8] = 0x01;
    assert!(!hostile(&t));
    let tst_info = [
        0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x04, 0xa0,
    ];
    let mut t = tsr.clone();
    let at = find(&t, &tst_info);
    t[at + 10] = 0x05;
    let e = tsp::verify_response(&t, &head(), None, &roots(), &[]).unwrap_err();
    assert!(e.to_string().contains("TSTInfo"), "{e}");
    // The imprint's SHA-256 OID changed to SHA-384.
    let sha256 = [
        0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20,
    ];
    let mut t = tsr.clone();
    let at = find(&t, &sha256);
    t[at + 8] = 0x02;
    assert!(!hostile(&t));
    // Too large to be a token.
    assert!(!hostile(&vec![0x30; tsp::MAX_RESPONSE_BYTES + 1]));
    assert!(!hostile(&[]));
}

#[test]
fn every_single_byte_flip_is_handled() {
    // Nothing may panic; a flip inside the signed TSTInfo or the signature must fail.
    let tsr = read("p256.tsr");
    let tst_at = find(
        &tsr,
        &[
            0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x04, 0xa0,
        ],
    );
    for i in 0..tsr.len() {
        let mut t = tsr.clone();
        t[i] ^= 0x20;
        let passed = hostile(&t);
        if i > tst_at + 20 && i < tst_at + 200 || i + 60 > tsr.len() {
            assert!(!passed, "a flip at {i} passed");
        }
    }
}

/// A SignedData token whose certificate set holds `n` certificates.
fn with_many_certs(n: usize) -> Vec<u8> {
    use cms::cert::CertificateChoices;
    use cms::signed_data::{CertificateSet, SignedData};
    let tsr = read("p256.tsr");
    let mut resp = x509_tsp::TimeStampResp::from_der(&tsr).unwrap();
    let token = resp.time_stamp_token.as_mut().unwrap();
    let mut sd: SignedData = token.content.decode_as().unwrap();
    let base = chain::parse_certificate(&cert("p256.pem")).unwrap();
    let mut certs = Vec::new();
    for i in 0..n {
        let mut c = base.clone();
        c.tbs_certificate.serial_number =
            x509_cert::serial_number::SerialNumber::new(&(i as u32 + 1000).to_be_bytes()).unwrap();
        certs.push(CertificateChoices::Certificate(c));
    }
    sd.certificates = Some(CertificateSet::try_from(certs).unwrap());
    token.content = der::Any::from_der(&sd.to_der().unwrap()).unwrap();
    resp.to_der().unwrap()
}

#[test]
fn huge_certificate_sets_are_refused() {
    let t = with_many_certs(tsp::MAX_CERTIFICATES + 1);
    let e = tsp::verify_response(&t, &head(), None, &roots(), &[]).unwrap_err();
    assert!(e.to_string().contains("too many"), "{e}");
    let t = with_many_certs(200);
    assert!(!hostile(&t));
    // Extra untrusted certificates are capped too.
    let extra = vec![cert("p256.pem"); tsp::MAX_CERTIFICATES + 1];
    assert!(tsp::verify_response(&read("p256.tsr"), &head(), None, &roots(), &extra).is_err());
}

#[test]
fn replay_fuzz_corpus() {
    let corpus =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/timestamp_response");
    let mut n = 0;
    for entry in std::fs::read_dir(&corpus).unwrap() {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let _ = tsp::verify_response(&data, &[0; 32], Some(1), &[], &[]);
        let ok = tsp::verify_response(&data, &head(), None, &roots(), &[]).is_ok();
        if name.starts_with("pass-") {
            assert!(ok, "{name} should verify");
        }
        n += 1;
    }
    assert!(n >= 4, "the corpus in {} is missing", corpus.display());
}
