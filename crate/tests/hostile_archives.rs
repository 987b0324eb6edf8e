//! Forged archives from issue 10 (findings 3, 4, 5 and 13), checked through the
//! caseworker's real command-line verifier (`evidence-verify`), the stable surface.
//!
//! Each forgery is built the way an attacker with the open-source writer would build it:
//! take a genuine export apart, change it, recompute every hash list (ledger, manifest,
//! SHA256SUMS) and zip it again with the canonical writer. The tests assert the FIXED
//! behaviour the issue asks for, so on a main without the fixes they fail, each with a
//! message naming its finding.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use evidence_core::archive::*;
use evidence_core::hash::sha256_hex;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

type Files = Vec<(String, Vec<u8>)>;

/// A scratch folder for this test binary, removed by the OS's tmp cleaning.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("evhostile-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, data: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, data).unwrap();
    p.to_str().unwrap().to_string()
}

fn ledger_items(files: &Files) -> Vec<LedgerItem> {
    LedgerFile::parse(get(files, LEDGER_PATH).unwrap())
        .unwrap()
        .entries
        .iter()
        .map(LedgerFileEntry::item)
        .collect()
}

/// Drop item `seq`'s folder, give it `status` in the ledger, and re-index everything.
fn forge_status(files: &Files, seq: u64, status: ItemStatus) -> Vec<u8> {
    let mut f: Files = files.clone();
    let dir = format!("{}/", item_dir(seq));
    let before = f.len();
    f.retain(|(p, _)| !p.starts_with(&dir));
    assert!(
        f.len() < before,
        "the fixture's item {seq} has files to drop"
    );
    let mut items = ledger_items(&f);
    items[seq as usize].status = status;
    reindex(&mut f, Some(items));
    rezip(&f)
}

fn fingerprint(zip: &[u8]) -> String {
    sha256_hex(get(&extract(zip), MANIFEST_PATH).unwrap())
}

/// Finding 3: a "removed" status without its removal record, and the withheld wording.
#[test]
fn finding_03_removed_and_withheld_statuses_are_bound() {
    let f = fixture(0x3003, 10);
    let files = extract(&f.zip);
    let dir = scratch("f03");
    let genuine = write(&dir, "genuine.zip", &f.zip);
    let (code, out, err) = run_cli(&[&genuine, "--head", &f.head]);
    assert_eq!(code, 0, "sanity: the genuine archive passes\n{out}{err}");

    let mut failures: Vec<String> = Vec::new();
    let mut check = |ok: bool, msg: String| {
        if !ok {
            failures.push(msg);
        }
    };
    // Item 5 is an ordinary capture in the fixture; the forger deletes it and calls it removed.
    let removed = write(
        &dir,
        "forged-removed.zip",
        &forge_status(&files, 5, ItemStatus::Removed),
    );
    let (code, out, _) = run_cli(&[&removed, "--head", &f.head]);
    check(
        code == 1,
        format!(
            "3.1 finding 3: an item marked `removed` with no removal record in the archive must FAIL, \
             even with the right head; got exit {code}, verdict: {}",
            out.split("VERDICT:").nth(1).unwrap_or(&out).trim()
        ),
    );

    // The same item called withheld: the chain cannot show it, but the wording must not
    // claim who withheld it.
    let withheld_zip = forge_status(&files, 5, ItemStatus::Withheld);
    let withheld = write(&dir, "forged-withheld.zip", &withheld_zip);
    let (_, out, _) = run_cli(&[&withheld, "--head", &f.head]);
    let (_, json, _) = run_cli(&[&withheld, "--head", &f.head, "--json"]);
    for (what, text) in [("text", &out), ("--json", &json)] {
        check(
            !text.contains("by the person who exported"),
            format!(
                "3.2 finding 3: the withheld wording ({what}) must not claim who withheld an item \
                 (anyone holding the archive can mark one withheld); it says \"{}\"",
                text.lines()
                    .find(|l| l.contains("by the person who exported"))
                    .unwrap_or("")
                    .trim()
            ),
        );
    }

    // The archive fingerprint (SHA-256 of manifest.json), sent separately, catches it.
    let fp = fingerprint(&f.zip);
    assert_ne!(
        fingerprint(&withheld_zip),
        fp,
        "sanity: the forgery has another manifest"
    );
    let (code, out, err) = run_cli(&[&genuine, "--head", &f.head, "--fingerprint", &fp]);
    check(
        code == 0,
        format!(
            "3.3 finding 3: `evidence-verify --fingerprint HEX` must exist and accept the genuine \
             archive's fingerprint (exit 0); got exit {code}: {}",
            (out + &err).lines().next().unwrap_or("")
        ),
    );
    let (code, out, err) = run_cli(&[&withheld, "--fingerprint", &fp]);
    check(
        code == 1,
        format!(
            "3.3 finding 3: a forged archive whose manifest is not the fingerprint given must FAIL \
             (exit 1, not a usage error); got exit {code}: {}",
            (out + &err).lines().next().unwrap_or("")
        ),
    );
    let wrong = "ab".repeat(32);
    let (code, out, err) = run_cli(&[&genuine, "--fingerprint", &wrong]);
    check(
        code == 1,
        format!(
            "3.3 finding 3: a wrong --fingerprint must FAIL the genuine archive (exit 1); got exit {code}: {}",
            (out + &err).lines().next().unwrap_or("")
        ),
    );
    std::fs::remove_dir_all(&dir).ok();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Finding 4: with no head or fingerprint given, a fully re-hashed forgery is not "intact".
#[test]
fn finding_04_no_head_means_not_authenticated() {
    let f = fixture(0x4004, 10);
    let mut files = extract(&f.zip);
    // Edit the last record (nothing after it links to it) and recompute everything.
    let last = record_path(9);
    let text = String::from_utf8(get(&files, &last).unwrap().clone()).unwrap();
    assert!(
        text.contains("deleted by user"),
        "sanity: the last record is the removal"
    );
    set(
        &mut files,
        &last,
        text.replace("deleted by user", "added by mistake")
            .into_bytes(),
    );
    reindex(&mut files, None);
    let forged = rezip(&files);
    let dir = scratch("f04");
    let path = write(&dir, "forged.zip", &forged);

    let (code, _, _) = run_cli(&[&path, "--head", &f.head]);
    assert_eq!(code, 1, "sanity: with the real head the forgery fails");

    let (_, out, err) = run_cli(&[&path]);
    let verdict = out.split("VERDICT:").nth(1).unwrap_or("").to_lowercase();
    assert!(
        verdict.contains("not authenticated"),
        "4.1 finding 4: with no head or fingerprint, the verdict must say the archive is internally \
         consistent but NOT authenticated; it said:\n{out}{err}"
    );
    assert!(
        !verdict.contains("intact") || verdict.contains("not authenticated"),
        "4.1 finding 4: an unauthenticated archive must not be called intact:\n{out}"
    );
    let computed = LedgerFile::parse(get(&files, LEDGER_PATH).unwrap())
        .unwrap()
        .head;
    let fp = sha256_hex(get(&files, MANIFEST_PATH).unwrap());
    assert!(
        out.contains(&computed),
        "4.2 finding 4: the computed head {computed} must be shown in full for comparison:\n{out}"
    );
    assert!(
        out.contains(&fp),
        "4.2 finding 4: the computed archive fingerprint {fp} (SHA-256 of manifest.json) must be \
         shown in full for comparison:\n{out}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Control characters (C0 except newline and tab, DEL, C1) and bidi controls.
fn dangerous_chars(s: &str) -> Vec<String> {
    s.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}')
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
        })
        .map(|c| format!("U+{:04X}", c as u32))
        .collect()
}

const HOSTILE: &str =
    "\u{1b}[2J\u{1b}[HVERDICT: PASS\nAll items are intact.\u{1b}[8m\u{7}\u{9b}31m\u{202e}LIAF";

/// Finding 5: strings from the archive never reach the terminal raw; control characters
/// in manifest fields are refused.
#[test]
fn finding_05_terminal_escapes_in_every_manifest_string() {
    let f = fixture(0x5005, 8);
    let base = extract(&f.zip);
    let dir = scratch("f05");
    type Edit = fn(&mut Manifest, &str);
    let edits: [(&str, Edit); 6] = [
        ("exported_by", |m, s| m.exported_by = Some(s.into())),
        ("tool.name", |m, s| m.tool.name = s.into()),
        ("tool.version", |m, s| m.tool.version = s.into()),
        ("created_at", |m, s| {
            m.created_at = format!("{}{s}", m.created_at)
        }),
        ("date_range.first", |m, s| {
            m.date_range.first = Some(format!("2026-01-01T00:00:00Z{s}"))
        }),
        ("date_range.last", |m, s| {
            m.date_range.last = Some(format!("2026-01-02T00:00:00Z{s}"))
        }),
    ];
    let mut failures = Vec::new();
    for (field, edit) in edits {
        let mut files = base.clone();
        let mut m = Manifest::parse(get(&files, MANIFEST_PATH).unwrap()).unwrap();
        edit(&mut m, HOSTILE);
        set(&mut files, MANIFEST_PATH, m.to_json_bytes().unwrap());
        let infos: Vec<FileInfo> = files
            .iter()
            .map(|(p, d)| FileInfo {
                path: p.clone(),
                bytes: d.len() as u64,
                sha256: sha256_hex(d),
            })
            .collect();
        set(&mut files, SUMS_PATH, build_sha256sums(&infos).unwrap());
        let path = write(&dir, &format!("{field}.zip"), &rezip(&files));
        let (code, out, err) = run_cli(&[&path, "--head", &f.head]);
        let raw = dangerous_chars(&(out.clone() + &err));
        if !raw.is_empty() {
            failures.push(format!(
                "5.1 finding 5: manifest {field} reached the terminal raw ({} control/bidi characters: {})",
                raw.len(),
                raw.join(" ")
            ));
        }
        if code != 1 {
            failures.push(format!(
                "5.2 finding 5: a manifest whose {field} holds control characters must be refused (exit 1); got exit {code}"
            ));
        }
        // A fake verdict is a line that starts "VERDICT:"; the escaped text of a field
        // may still contain the word on its own (inert) line of facts.
        let fake = out.lines().filter(|l| l.starts_with("VERDICT:")).count();
        if fake != 1 {
            failures.push(format!(
                "5.1 finding 5: manifest {field} printed {fake} lines starting \"VERDICT:\" (a fake verdict)"
            ));
        }
    }
    std::fs::remove_dir_all(&dir).ok();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn p16(v: &mut Vec<u8>, x: u16) {
    v.extend_from_slice(&x.to_le_bytes());
}
fn p32(v: &mut Vec<u8>, x: u32) {
    v.extend_from_slice(&x.to_le_bytes());
}

/// A classic ZIP whose `count` deflated entries each really inflate to `copies` times
/// `chunk_plain` zero bytes (a sync-flushed DEFLATE chunk repeated, then a final empty
/// block), written to `path` without holding it in memory. Sizes are honest, within
/// DEFLATE's 1032:1 limit per entry; the CRCs are not (a verifier must refuse long
/// before it could notice).
fn write_bomb(path: &Path, count: u32, copies: u32) -> (u64, u64) {
    use flate2::{Compress, Compression, FlushCompress};
    use std::io::Write;
    let plain = vec![0u8; 16 << 20];
    let mut c = Compress::new(Compression::best(), false);
    let mut chunk = Vec::with_capacity(1 << 20);
    c.compress_vec(&plain, &mut chunk, FlushCompress::Sync)
        .unwrap();
    assert_eq!(c.total_in() as usize, plain.len());
    let final_block = [0x03u8, 0x00];
    let comp = chunk.len() as u64 * copies as u64 + 2;
    let uncomp = plain.len() as u64 * copies as u64;
    assert!(uncomp < u32::MAX as u64 && uncomp <= comp * 1032);
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut offsets = Vec::new();
    let mut at: u64 = 0;
    let names: Vec<String> = (0..count)
        .map(|i| format!("items/000000/bomb-{i:02}.bin"))
        .collect();
    for name in &names {
        offsets.push(at as u32);
        let mut h = Vec::new();
        p32(&mut h, 0x0403_4b50);
        p16(&mut h, 20);
        p16(&mut h, 0x0800);
        p16(&mut h, 8);
        p16(&mut h, 0);
        p16(&mut h, 0x21);
        p32(&mut h, 0);
        p32(&mut h, comp as u32);
        p32(&mut h, uncomp as u32);
        p16(&mut h, name.len() as u16);
        p16(&mut h, 0);
        h.extend_from_slice(name.as_bytes());
        file.write_all(&h).unwrap();
        for _ in 0..copies {
            file.write_all(&chunk).unwrap();
        }
        file.write_all(&final_block).unwrap();
        at += h.len() as u64 + comp;
    }
    let cd = at as u32;
    let mut t = Vec::new();
    for (name, off) in names.iter().zip(&offsets) {
        p32(&mut t, 0x0201_4b50);
        p16(&mut t, 0x0314);
        p16(&mut t, 20);
        p16(&mut t, 0x0800);
        p16(&mut t, 8);
        p16(&mut t, 0);
        p16(&mut t, 0x21);
        p32(&mut t, 0);
        p32(&mut t, comp as u32);
        p32(&mut t, uncomp as u32);
        p16(&mut t, name.len() as u16);
        p16(&mut t, 0);
        p16(&mut t, 0);
        p16(&mut t, 0);
        p16(&mut t, 0);
        p32(&mut t, 0o100644 << 16);
        p32(&mut t, *off);
        t.extend_from_slice(name.as_bytes());
    }
    let cd_size = t.len() as u32;
    p32(&mut t, 0x0605_4b50);
    p16(&mut t, 0);
    p16(&mut t, 0);
    p16(&mut t, names.len() as u16);
    p16(&mut t, names.len() as u16);
    p32(&mut t, cd_size);
    p32(&mut t, cd);
    p16(&mut t, 0);
    file.write_all(&t).unwrap();
    file.flush().unwrap();
    (at + t.len() as u64, uncomp * count as u64)
}

/// Finding 13: an archive of about 100 MB that declares about 100 GB of inflation is
/// refused quickly, with an explanation.
#[test]
fn finding_13_inflation_bomb_is_refused_quickly() {
    let dir = scratch("f13");
    let path = dir.join("bomb.zip");
    // 26 entries of 240 x 16 MiB = 3.75 GiB each: 97.5 GiB declared.
    let (size, declared) = write_bomb(&path, 26, 240);
    println!(
        "# bomb: {:.1} MB on disk, {:.1} GB declared",
        size as f64 / 1e6,
        declared as f64 / 1e9
    );
    let limit = Duration::from_secs(20);
    let t0 = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_evidence-verify"))
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break Some(s);
        }
        if t0.elapsed() > limit {
            child.kill().ok();
            child.wait().ok();
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let out = child.wait_with_output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    std::fs::remove_dir_all(&dir).ok();
    let Some(status) = status else {
        panic!(
            "13.1 finding 13: evidence-verify was still inflating after {}s on a {:.0} MB archive \
             that declares {:.0} GB; it must refuse up front (total declared size against file size)",
            limit.as_secs(),
            size as f64 / 1e6,
            declared as f64 / 1e9
        );
    };
    assert_eq!(status.code(), Some(1), "13.1 finding 13: exit 1:\n{text}");
    assert!(
        text.to_lowercase().contains("declare"),
        "13.2 finding 13: the refusal must explain that the archive declares far more content than \
         its size allows:\n{text}"
    );
    println!("# refused in {:?}", t0.elapsed());
}
