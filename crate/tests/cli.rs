//! The `evidence-verify` command: output, `--json`, `--head`, and exit codes.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod common;

use common::*;

#[test]
fn cli_verdicts_and_exit_codes() {
    let f = fixture(21, 9);
    let dir = std::env::temp_dir().join(format!("evcli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.zip");
    std::fs::write(&good, &f.zip).unwrap();
    let good = good.to_str().unwrap();

    // No head or fingerprint: PASS (exit 0), but the verdict says NOT authenticated.
    let (code, out, _) = run_cli(&[good]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("VERDICT: PASS\nNOT AUTHENTICATED: the archive is internally consistent"),
        "{out}"
    );
    assert!(!out.contains("intact."), "{out}");
    let fingerprint = evidence_core::hash::sha256_hex(
        get(&extract(&f.zip), evidence_core::archive::MANIFEST_PATH).unwrap(),
    );
    assert!(
        out.contains(&format!("Fingerprint: {fingerprint}\n")),
        "{out}"
    );
    assert!(out.contains(&format!("Head:        {}\n", f.head)), "{out}");
    let (code, out, _) = run_cli(&[good, "--head", &f.head]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("VERDICT: PASS\nAll 7 exported items are intact."),
        "{out}"
    );
    let (code, out, _) = run_cli(&[good, &format!("--fingerprint={fingerprint}")]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("(matches this archive's fingerprint)"),
        "{out}"
    );
    assert!(
        out.contains("Its fingerprint matches the one you were given."),
        "{out}"
    );
    assert!(out.contains("WITHHELD"), "{out}");
    assert!(out.contains("REMOVED"), "{out}");
    println!("{out}");

    let (code, out, _) = run_cli(&[good, "--json", "--head", &f.head]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["verdict"], "PASS");
    assert_eq!(v["head"]["expected_match"], "head");
    assert_eq!(v["counts"]["withheld"], 1);

    let (code, out, _) = run_cli(&[good, &format!("--head={}", "ab".repeat(32))]);
    assert_eq!(code, 1);
    assert!(out.contains("VERDICT: FAIL"), "{out}");

    let mut bad = f.zip.clone();
    let mid = bad.len() / 3;
    bad[mid] ^= 0x40;
    let badp = dir.join("bad.zip");
    std::fs::write(&badp, &bad).unwrap();
    let (code, out, _) = run_cli(&[badp.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(out.contains("Verification FAILED"), "{out}");

    for args in [&[][..], &["--bogus", good], &[good, good]] {
        let (code, _, err) = run_cli(args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains("usage"), "{err}");
    }
    let (code, _, err) = run_cli(&[dir.join("absent.zip").to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot open"), "{err}");
    let (code, out, _) = run_cli(&["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("--head"));
    assert!(out.contains("--fingerprint"));
    let _ = std::fs::remove_dir_all(&dir);
}
