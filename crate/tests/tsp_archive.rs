//! Trusted timestamps in the archive: tokens made live by `openssl ts -reply` over the
//! fixture's chain values, exported by the builder into `timestamps/`, checked by the
//! verifier (library and CLI) and by `openssl ts -verify` with the commands VERIFY.txt
//! gives; and every forgery a caseworker must see fail.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use evidence_core::archive::timestamps::{head_bytes, parse_index, StoredToken, TIMESTAMPS_INDEX};
use evidence_core::archive::verdict::Verdict;
use evidence_core::archive::verify_timestamps::TimestampState;
use evidence_core::archive::*;
use evidence_core::record::{self, Kind, RecordDraft};
use evidence_core::tsp::{self, pem};
use std::path::{Path, PathBuf};
use std::process::Command;

fn tsa_dir() -> PathBuf {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("evidence-tsa-archive-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tsp/make.sh");
        let out = Command::new("sh")
            .arg(script)
            .arg(&d)
            .env("TSA_DAYS", "2")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        d
    })
    .clone()
}

fn ca() -> Vec<Vec<u8>> {
    pem::decode_certificates(&std::fs::read_to_string(tsa_dir().join("ca.pem")).unwrap()).unwrap()
}

static SERIAL: std::sync::Mutex<u64> = std::sync::Mutex::new(1);

/// A token from the test TSA `section` over `head_hex`, checked before it is kept.
fn stamp(section: &str, head_hex: &str) -> Vec<u8> {
    let _guard = SERIAL.lock().unwrap();
    let d = tsa_dir();
    let head = head_bytes(head_hex).unwrap();
    let nonce = 0x1234_5678_9abc_def0 ^ u64::from(head[0]);
    std::fs::write(d.join("q.tsq"), tsp::build_request(&head, nonce).unwrap()).unwrap();
    let out = Command::new("openssl")
        .current_dir(&d)
        .args(["ts", "-reply", "-config", "tsa.cnf", "-section", section])
        .args(["-queryfile", "q.tsq", "-chain", "ca.pem", "-out", "r.tsr"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let der = std::fs::read(d.join("r.tsr")).unwrap();
    tsp::verify_response(&der, &head, Some(nonce), &ca(), &[]).unwrap();
    der
}

fn token(f: &Fixture, seq: u64, section: &str) -> StoredToken {
    let head = f.input.items[seq as usize].chain_sha256.clone();
    StoredToken {
        seq,
        der: stamp(section, &head),
        head,
    }
}

fn stamped(f: &Fixture) -> Vec<u8> {
    let tokens = vec![token(f, 5, "tsa_rsa"), token(f, 8, "tsa_p256")];
    write_archive_with_timestamps(&f.input, ZipWriter::new(), tokens).unwrap()
}

fn verify_roots(zip: &[u8], roots: &[Vec<u8>]) -> Report {
    let mut src: &[u8] = zip;
    verify_with_tsa_roots(&mut src, Expected::default(), roots, &mut |_, _| {})
}

fn problems(r: &Report) -> String {
    r.problems
        .iter()
        .map(|p| format!("[{}] {}\n", p.code, p.message))
        .collect()
}

#[test]
fn stamped_archive_passes_with_the_root_and_names_untrusted_tokens_without() {
    let f = fixture(31, 9);
    let zip = stamped(&f);
    let r = verify_roots(&zip, &ca());
    assert_eq!(r.verdict, Verdict::Pass, "{}", r.render_text());
    assert_eq!(r.timestamps.len(), 2);
    assert!(r.timestamps.iter().all(|t| t.status == TimestampState::Ok));
    assert_eq!(
        r.timestamps[0].tsa.as_deref(),
        Some("CN=Evidence Test TSA rsa")
    );
    assert!(
        r.summary.contains("Proof of time: items 0–8 existed by"),
        "{}",
        r.summary
    );
    let text = r.render_text();
    assert!(
        text.contains("Trusted timestamps (proof of time):"),
        "{text}"
    );
    assert!(text.contains("items 0–5"), "{text}");

    let r = verify_roots(&zip, &[]);
    assert_eq!(r.verdict, Verdict::Pass, "{}", r.render_text());
    assert!(r
        .timestamps
        .iter()
        .all(|t| t.status == TimestampState::Untrusted));
    assert!(
        r.summary
            .contains("2 timestamps from a root not given as trusted prove nothing"),
        "{}",
        r.summary
    );
    assert!(!r.summary.contains("Proof of time"));

    // Every timestamp file is listed in manifest.json and SHA256SUMS.
    let files = extract(&zip);
    let manifest = Manifest::parse(get(&files, MANIFEST_PATH).unwrap()).unwrap();
    let sums = String::from_utf8(get(&files, SUMS_PATH).unwrap().clone()).unwrap();
    let index = parse_index(get(&files, TIMESTAMPS_INDEX).unwrap()).unwrap();
    assert_eq!(index.len(), 2);
    for p in [
        TIMESTAMPS_INDEX,
        &index[0].file,
        &index[0].certs,
        &index[1].file,
        &index[1].certs,
    ] {
        assert!(
            manifest.files.iter().any(|f| f.path == p),
            "{p} not in the manifest"
        );
        assert!(sums.contains(&format!("  {p}\n")), "{p} not in SHA256SUMS");
    }
    // The token is stored byte for byte as the TSA sent it.
    assert!(get(&files, &index[0].file).unwrap().starts_with(&[0x30]));
}

#[test]
fn archives_without_timestamps_are_unchanged() {
    let f = fixture(32, 8);
    assert_eq!(
        write_archive_with_timestamps(&f.input, ZipWriter::new(), vec![]).unwrap(),
        f.zip
    );
    let r = verify_roots(&f.zip, &ca());
    assert_eq!(r.verdict, Verdict::Pass);
    assert!(!serde_json::to_string(&r)
        .unwrap()
        .contains("\"timestamps\""));
    assert!(
        !String::from_utf8(get(&extract(&f.zip), VERIFY_PATH).unwrap().clone())
            .unwrap()
            .contains("openssl ts")
    );
}

#[test]
fn the_builder_refuses_a_token_for_another_chain_value() {
    let f = fixture(33, 8);
    let mut t = token(&f, 5, "tsa_rsa");
    t.seq = 6;
    t.head = f.input.items[6].chain_sha256.clone();
    let e = write_archive_with_timestamps(&f.input, ZipWriter::new(), vec![t]).unwrap_err();
    assert_eq!(e.code(), "STORAGE_DAMAGED", "{e}");
}

fn write_out(dir: &Path, files: &[(String, Vec<u8>)]) {
    for (p, d) in files {
        let path = dir.join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, d).unwrap();
    }
}

#[test]
fn openssl_verifies_every_token_with_the_commands_in_verify_txt() {
    let f = fixture(34, 9);
    let files = extract(&stamped(&f));
    let dir = std::env::temp_dir().join(format!("evidence-tsa-openssl-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    write_out(&dir, &files);
    std::fs::copy(tsa_dir().join("ca.pem"), dir.join("TSA_ROOT.pem")).unwrap();
    let guide = String::from_utf8(get(&files, VERIFY_PATH).unwrap().clone()).unwrap();
    assert!(guide.contains("-attime"), "{guide}");
    let commands: Vec<String> = guide
        .replace("\\\n", " ")
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("openssl ts -verify"))
        .map(String::from)
        .collect();
    assert_eq!(commands.len(), 2, "{guide}");
    for c in commands {
        let out = Command::new("sh")
            .current_dir(&dir)
            .arg("-c")
            .arg(&c)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && text.contains("Verification: OK"),
            "{c}: {text} {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Edit the extracted archive, then redo every hash list as a forger would.
fn forge(zip: &[u8], edit: impl FnOnce(&mut Vec<(String, Vec<u8>)>)) -> Vec<u8> {
    let mut files = extract(zip);
    edit(&mut files);
    reindex(&mut files, None);
    rezip(&files)
}

fn forged(zip: &[u8], edit: impl FnOnce(&mut Vec<(String, Vec<u8>)>)) -> Report {
    verify_roots(&forge(zip, edit), &ca())
}

fn assert_fails(r: &Report, needle: &str) {
    assert_eq!(r.verdict, Verdict::Fail, "{}", r.render_text());
    assert!(
        problems(r).contains(needle),
        "{needle:?} not in\n{}",
        problems(r)
    );
}

fn index_edit(
    files: &mut [(String, Vec<u8>)],
    f: impl FnOnce(&mut Vec<timestamps::TimestampEntry>),
) {
    let mut index = parse_index(get(files, TIMESTAMPS_INDEX).unwrap()).unwrap();
    f(&mut index);
    set(
        files,
        TIMESTAMPS_INDEX,
        timestamps::index_bytes(&index).unwrap(),
    );
}

#[test]
fn forged_timestamps_fail() {
    let f = fixture(35, 9);
    let zip = stamped(&f);
    let tsr = "timestamps/000005-1.tsr";
    let pem_path = "timestamps/000005-1.pem";

    // A flipped signature byte.
    let r = forged(&zip, |files| {
        let mut t = get(files, tsr).unwrap().clone();
        let n = t.len();
        t[n - 7] ^= 1;
        set(files, tsr, t);
    });
    assert_fails(&r, "signature");
    assert_eq!(r.timestamps[0].status, TimestampState::Fail);

    // A token for another head (a real token, over item 4's chain value).
    let other = stamp("tsa_rsa", &f.input.items[4].chain_sha256);
    let r = forged(&zip, |files| set(files, tsr, other.clone()));
    assert_fails(&r, "another hash");

    // The token moved to another seq in the index (head kept, or head changed to match).
    let r = forged(&zip, |files| index_edit(files, |ix| ix[0].seq = 6));
    assert_fails(&r, "not the chain value after item 6");
    let head6 = f.input.items[6].chain_sha256.clone();
    let r = forged(&zip, |files| {
        index_edit(files, |ix| {
            ix[0].seq = 6;
            ix[0].head_sha256 = head6.clone();
        })
    });
    assert_fails(&r, "another hash");

    // A swapped TSA certificate (another authority's chain beside the token).
    let r = forged(&zip, |files| {
        let p256 = get(files, "timestamps/000008-1.pem").unwrap().clone();
        set(files, pem_path, p256);
    });
    assert_fails(&r, "is not the TSA certificate that signed the token");

    // A removed token still listed in the index.
    let r = forged(&zip, |files| files.retain(|(p, _)| p != tsr));
    assert_fails(
        &r,
        "is listed in timestamps/index.json but is not in the archive",
    );

    // An extra token file that the index does not list.
    let r = forged(&zip, |files| {
        let t = get(files, tsr).unwrap().clone();
        files.push(("timestamps/000005-9.tsr".into(), t));
    });
    assert_eq!(r.verdict, Verdict::Fail);

    // The index lying about genTime.
    let r = forged(&zip, |files| {
        index_edit(files, |ix| ix[0].gen_time = "2020-01-01T00:00:00Z".into())
    });
    assert_fails(&r, "the index states 2020-01-01T00:00:00Z");
}

#[test]
fn a_record_captured_after_its_token_is_inconsistent() {
    // The device clock was set forward: a record claims 2035, and the TSA then stamps it.
    let zip = captured_after(36);
    let r = verify_roots(&zip, &ca());
    assert_fails(&r, "item 9 claims it was captured at 2035");
    // Without the root the token proves nothing, so nothing is inconsistent with it.
    assert_eq!(verify_roots(&zip, &[]).verdict, Verdict::Pass);
}

fn cli(args: &[&str]) -> (i32, String) {
    let (code, out, err) = run_cli(args);
    (code, out + &err)
}

#[test]
fn cli_tsa_ca() {
    let f = fixture(37, 9);
    let zip = stamped(&f);
    let dir = std::env::temp_dir().join(format!("evidence-tsa-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.zip");
    std::fs::write(&good, &zip).unwrap();
    let ca = tsa_dir().join("ca.pem");
    let (code, out) = cli(&[good.to_str().unwrap(), "--tsa-ca", ca.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("OK         items 0–5"), "{out}");
    let (code, out) = cli(&[good.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("UNTRUSTED"), "{out}");
    let (code, out) = cli(&[
        good.to_str().unwrap(),
        "--json",
        "--tsa-ca",
        ca.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["timestamps"][1]["status"], "OK");
    let (code, _) = cli(&[good.to_str().unwrap(), "--tsa-ca", "/nonexistent.pem"]);
    assert_eq!(code, 2);
    let mut files = extract(&zip);
    let mut t = get(&files, "timestamps/000008-1.tsr").unwrap().clone();
    let n = t.len();
    t[n - 3] ^= 1;
    set(&mut files, "timestamps/000008-1.tsr", t);
    reindex(&mut files, None);
    let bad = dir.join("bad.zip");
    std::fs::write(&bad, rezip(&files)).unwrap();
    let (code, out) = cli(&[bad.to_str().unwrap(), "--tsa-ca", ca.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("FAIL       items 0–8"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The archive a clock set forward makes: a record claiming 2035, then stamped.
fn captured_after(seed: u64) -> Vec<u8> {
    let mut f = fixture(seed, 9);
    let last = f.input.items.last().unwrap().clone();
    let draft = RecordDraft {
        id: "item-future".into(),
        kind: Kind::Amendment,
        captured_at_ms: 2_051_222_400_000,
        local_offset_minutes: 0,
        time_zone: None,
        artifacts: vec![],
        metadata:
            serde_json::json!({"amends_seq": 7, "note": "written with the clock set forward"})
                .into(),
    };
    let sealed = record::seal(&draft, 9, &last.record_sha256).unwrap();
    let chain = evidence_core::ledger::chain_next(&last.chain_sha256, &sealed.sha256).unwrap();
    f.input.items.push(ArchiveItem {
        record_sha256: sealed.sha256,
        chain_sha256: chain,
        status: ItemStatus::Included,
        record_bytes: Some(sealed.bytes),
        artifacts: vec![],
    });
    let t = token(&f, 9, "tsa_p256");
    write_archive_with_timestamps(&f.input, ZipWriter::new(), vec![t]).unwrap()
}

/// For the verify page's end-to-end test (`tests/timestamp.test.mjs`): writes a stamped
/// archive, each forgery of it, and the test CA into `$FORGED_DIR`. Each forged archive
/// is checked here to FAIL as well, so the page and the CLI are compared with this.
#[test]
#[ignore]
fn write_forged_archives() {
    let Some(dir) = std::env::var_os("FORGED_DIR").map(PathBuf::from) else {
        return;
    };
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(tsa_dir().join("ca.pem"), dir.join("ca.pem")).unwrap();
    let f = fixture(39, 9);
    let zip = stamped(&f);
    std::fs::write(dir.join("good.zip"), &zip).unwrap();
    let tsr = "timestamps/000005-1.tsr";
    let other = stamp("tsa_rsa", &f.input.items[4].chain_sha256);
    let mut forgeries: Vec<(&str, Vec<u8>)> = vec![
        (
            "flipped-signature",
            forge(&zip, |files| {
                let mut t = get(files, tsr).unwrap().clone();
                let n = t.len();
                t[n - 7] ^= 1;
                set(files, tsr, t);
            }),
        ),
        (
            "other-head",
            forge(&zip, |files| set(files, tsr, other.clone())),
        ),
        (
            "moved-seq",
            forge(&zip, |files| index_edit(files, |ix| ix[0].seq = 6)),
        ),
        (
            "swapped-cert",
            forge(&zip, |files| {
                let p256 = get(files, "timestamps/000008-1.pem").unwrap().clone();
                set(files, "timestamps/000005-1.pem", p256);
            }),
        ),
        (
            "removed-token",
            forge(&zip, |files| files.retain(|(p, _)| p != tsr)),
        ),
    ];
    forgeries.push(("captured-after", captured_after(40)));
    for (name, bytes) in forgeries {
        assert_eq!(verify_roots(&bytes, &ca()).verdict, Verdict::Fail, "{name}");
        std::fs::write(dir.join(format!("{name}.zip")), bytes).unwrap();
    }
}

#[test]
fn a_restore_brings_back_the_tokens_the_verifier_passed() {
    use evidence_core::restore::ArchiveRestore;
    let f = fixture(33, 9);
    let zip = stamped(&f);
    let mut src: &[u8] = &zip;
    let opened = ArchiveRestore::open(&mut src, Expected::default(), &mut |_, _| {});
    assert_eq!(opened.refusal, None);
    let r = opened.restore.unwrap();
    let tokens = r.timestamps(&mut src).unwrap();
    let files = extract(&zip);
    let index = parse_index(get(&files, TIMESTAMPS_INDEX).unwrap()).unwrap();
    assert_eq!(tokens.len(), 2);
    for (t, e) in tokens.iter().zip(&index) {
        assert_eq!(t.seq, e.seq);
        assert_eq!(t.head, f.input.items[t.seq as usize].chain_sha256);
        assert_eq!(&t.der, get(&files, &e.file).unwrap(), "byte for byte");
        assert_eq!(t.gen_time, e.gen_time);
        assert_eq!(t.tsa_name, e.tsa);
    }
    // Exported again, they verify as before.
    let again: Vec<StoredToken> = tokens
        .iter()
        .map(|t| StoredToken {
            seq: t.seq,
            head: t.head.clone(),
            der: t.der.clone(),
        })
        .collect();
    let zip2 = write_archive_with_timestamps(&f.input, ZipWriter::new(), again).unwrap();
    let report = verify_roots(&zip2, &ca());
    assert_eq!(report.verdict, Verdict::Pass, "{}", problems(&report));
    assert!(report
        .timestamps
        .iter()
        .all(|t| t.status == TimestampState::Ok));
    // An archive without timestamps brings none; a token changed after verification is
    // refused (the file read again differs from the one verified).
    let mut plain: &[u8] = &f.zip;
    let o = ArchiveRestore::open(&mut plain, Expected::default(), &mut |_, _| {});
    assert!(o
        .restore
        .unwrap()
        .timestamps(&mut plain)
        .unwrap()
        .is_empty());
    let tsr = &index[0].file;
    let changed = forge(&zip, |files| {
        let i = files.iter().position(|(p, _)| p == tsr).unwrap();
        let last = files[i].1.len() - 1;
        files[i].1[last] ^= 1;
    });
    let mut bad: &[u8] = &changed;
    assert!(r.timestamps(&mut bad).is_err());
}
