//! The tamper campaign: over a thousand deterministic mutations of a realistic archive,
//! every one of which must be detected (verdict FAIL).
//!
//! Mutations: byte flips anywhere in the ZIP and inside its structures; byte flips in
//! the content of every kind of file (re-zipped so the ZIP itself is valid); truncations;
//! deleted, added and renamed entries; swapped and reordered records; and forgeries that
//! edit a record (time, URL, summary, an artifact) and then recompute every hash list
//! above it (record hash → ledger entry → chain → head → manifest → SHA256SUMS).
//! Forgeries are caught by the record-to-record links, or — when nothing after the edited
//! record can show it — only by the head the caseworker received separately. So the
//! campaign verifies with that head, and also counts how many are caught without it.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use evidence_core::archive::verdict::Verdict;
use evidence_core::archive::*;
use evidence_core::hash::sha256_hex;
use evidence_core::record;
use std::collections::BTreeMap;

type Files = Vec<(String, Vec<u8>)>;

struct Campaign {
    head: String,
    total: usize,
    caught_with_head: usize,
    caught_without_head: usize,
    by_class: BTreeMap<&'static str, (usize, usize, usize)>,
    missed: Vec<String>,
}

impl Campaign {
    fn check(&mut self, class: &'static str, label: String, zip: &[u8]) {
        let with = verify_bytes(zip, Some(&self.head));
        let without = verify_bytes(zip, None);
        self.total += 1;
        let e = self.by_class.entry(class).or_default();
        e.0 += 1;
        if with.verdict == Verdict::Fail {
            self.caught_with_head += 1;
            e.1 += 1;
        } else {
            self.missed.push(format!("{class}: {label}"));
        }
        if without.verdict == Verdict::Fail {
            self.caught_without_head += 1;
            e.2 += 1;
        }
        // A report always has a summary a person can read.
        assert!(!with.summary.is_empty());
    }
}

/// Regions of the ZIP structure: local headers, data descriptors, central directory
/// and end records.
fn structure_ranges(zip: &[u8]) -> Vec<(usize, usize)> {
    let mut src: &[u8] = zip;
    let arc = ZipArchive::open(&mut src).unwrap();
    let mut r = Vec::new();
    for e in arc.entries() {
        r.push((e.header_offset as usize, e.data_offset as usize));
        let data_end = (e.data_offset + e.compressed_size) as usize;
        r.push((data_end, e.end_offset as usize));
    }
    r.push((arc.central_directory_offset() as usize, zip.len()));
    r
}

fn included_seqs(files: &Files) -> Vec<u64> {
    files
        .iter()
        .filter_map(|(p, _)| match parse_item_path(p) {
            Some((s, RECORD_FILE)) => Some(s),
            _ => None,
        })
        .collect()
}

/// Re-serialise a record after `edit`, as a forger would (same pretty JSON format).
fn edit_record(files: &mut Files, seq: u64, edit: impl FnOnce(&mut record::Record)) {
    let path = record_path(seq);
    let mut rec = record::parse(get(files, &path).unwrap()).unwrap();
    edit(&mut rec);
    set(files, &path, serde_json::to_vec_pretty(&rec).unwrap());
}

#[test]
fn tamper_campaign_detects_every_mutation() {
    let f = fixture(0x5EED, 10);
    let base = f.zip.clone();
    let base_files = extract(&base);
    assert_eq!(verify_bytes(&base, Some(&f.head)).verdict, Verdict::Pass);
    assert!(rezip(&base_files) == base, "re-zipping is exact");
    let mut c = Campaign {
        head: f.head.clone(),
        total: 0,
        caught_with_head: 0,
        caught_without_head: 0,
        by_class: BTreeMap::new(),
        missed: Vec::new(),
    };
    let mut rng = Rng(0xC0FFEE);
    let ranges = structure_ranges(&base);
    let seqs = included_seqs(&base_files);

    // 1. Byte flips anywhere in the ZIP.
    for _ in 0..300 {
        let mut z = base.clone();
        let i = rng.index(z.len());
        let x = rng.nonzero();
        z[i] ^= x;
        c.check("zip byte flip", format!("offset {i} ^ {x:#04x}"), &z);
    }
    // 2. Byte flips inside ZIP structures (headers, descriptors, directory, end records).
    for _ in 0..300 {
        let mut z = base.clone();
        let (a, b) = ranges[rng.index(ranges.len())];
        let i = a + rng.index(b - a);
        let x = rng.nonzero();
        z[i] ^= x;
        c.check("zip structure flip", format!("offset {i} ^ {x:#04x}"), &z);
    }
    // 3. Byte flips in the content of every kind of file, re-zipped (a valid ZIP).
    for k in 0..220 {
        let mut files = base_files.clone();
        let idx = k % files.len();
        let (path, data) = &mut files[idx];
        if data.is_empty() {
            continue;
        }
        let i = rng.index(data.len());
        let x = rng.nonzero();
        data[i] ^= x;
        let label = format!("{path} byte {i} ^ {x:#04x}");
        c.check("content flip", label, &rezip(&files));
    }
    // 4. Truncations of the ZIP, and of one file's content.
    for _ in 0..60 {
        let n = rng.index(base.len());
        c.check("zip truncation", format!("to {n} bytes"), &base[..n]);
    }
    for _ in 0..40 {
        let mut files = base_files.clone();
        let idx = rng.index(files.len());
        let (path, data) = &mut files[idx];
        if data.is_empty() {
            continue;
        }
        let n = rng.index(data.len());
        data.truncate(n);
        let label = format!("{path} to {n} bytes");
        c.check("content truncation", label, &rezip(&files));
    }
    // 5. Deleted, added and renamed entries.
    for _ in 0..40 {
        let mut files = base_files.clone();
        let (p, _) = files.remove(rng.index(files.len()));
        c.check("entry deleted", p, &rezip(&files));
    }
    let withheld_dir = item_dir(2);
    for k in 0..40 {
        let mut files = base_files.clone();
        let path = match k % 5 {
            0 => "notes.txt".to_string(),
            1 => format!("{withheld_dir}/screenshot.png"),
            2 => format!("{}/extra.png", item_dir(seqs[rng.index(seqs.len())])),
            3 => record_path(99),
            _ => format!("items/{}/x.bin", rng.below(1000)),
        };
        let at = rng.index(files.len() + 1);
        files.insert(at, (path.clone(), rng.some_bytes(1, 500)));
        c.check("entry added", path, &rezip(&files));
    }
    for _ in 0..40 {
        let mut files = base_files.clone();
        let idx = rng.index(files.len());
        let old = files[idx].0.clone();
        let new = match rng.below(3) {
            0 => format!("{old}.bak"),
            1 => old.replacen("items/0000", "items/0001", 1),
            _ => old.to_uppercase(),
        };
        if new == old || files.iter().any(|(p, _)| *p == new) {
            continue;
        }
        files[idx].0 = new.clone();
        c.check("entry renamed", format!("{old} -> {new}"), &rezip(&files));
    }
    // 6. Swapped records (with and without recomputed indexes) and a reordered ledger.
    for k in 0..40 {
        let mut files = base_files.clone();
        let a = seqs[rng.index(seqs.len())];
        let b = seqs[rng.index(seqs.len())];
        if a == b {
            continue;
        }
        let ra = get(&files, &record_path(a)).unwrap().clone();
        let rb = get(&files, &record_path(b)).unwrap().clone();
        set(&mut files, &record_path(a), rb);
        set(&mut files, &record_path(b), ra);
        if k % 2 == 0 {
            reindex(&mut files, None);
        }
        c.check(
            "records swapped",
            format!("{a} <-> {b} reindexed={}", k % 2 == 0),
            &rezip(&files),
        );
    }
    for _ in 0..20 {
        let mut files = base_files.clone();
        let mut l = LedgerFile::parse(get(&files, LEDGER_PATH).unwrap()).unwrap();
        let a = rng.index(l.entries.len());
        let b = rng.index(l.entries.len());
        if a == b {
            continue;
        }
        l.entries.swap(a, b);
        let items: Vec<LedgerItem> = l.entries.iter().map(LedgerFileEntry::item).collect();
        reindex(&mut files, Some(items));
        c.check("ledger reordered", format!("{a} <-> {b}"), &rezip(&files));
    }
    // 7. Forgeries with every hash list above them recomputed.
    for k in 0..160 {
        let mut files = base_files.clone();
        let seq = seqs[rng.index(seqs.len())];
        let what = match k % 4 {
            0 => {
                let ms = 1 + rng.below(86_400_000) as i64;
                edit_record(&mut files, seq, |r| {
                    let t = chrono::DateTime::parse_from_rfc3339(&r.captured_at).unwrap();
                    r.captured_at = record::utc_string(t.timestamp_millis() - ms).unwrap();
                });
                "time moved"
            }
            1 => {
                edit_record(&mut files, seq, |r| {
                    let mut m = r.metadata.to_value();
                    m["url"] = serde_json::json!("https://social.example/someone-else/status/1");
                    r.metadata = m.into();
                });
                "URL changed"
            }
            2 => {
                edit_record(&mut files, seq, |r| {
                    let mut m = r.metadata.to_value();
                    m["note"] = serde_json::json!("edited after capture");
                    r.metadata = m.into();
                });
                "metadata edited"
            }
            _ => {
                // Replace an artifact and fix its hash in the record.
                let rec = record::parse(get(&files, &record_path(seq)).unwrap()).unwrap();
                if rec.artifacts.is_empty() {
                    continue;
                }
                let i = rng.index(rec.artifacts.len());
                let name = rec.artifacts[i].name.clone();
                let forged = rng.some_bytes(100, 1000);
                let sha = sha256_hex(&forged);
                let len = forged.len() as u64;
                set(&mut files, &artifact_path(seq, &name), forged);
                edit_record(&mut files, seq, |r| {
                    r.artifacts[i].sha256 = sha;
                    r.artifacts[i].bytes = len;
                });
                "artifact replaced"
            }
        };
        reindex(&mut files, None);
        c.check(
            "forgery, all hashes recomputed",
            format!("item {seq}: {what}"),
            &rezip(&files),
        );
    }
    for _ in 0..20 {
        // Drop an item entirely (its files and its ledger entry), then recompute.
        let mut files = base_files.clone();
        let l = LedgerFile::parse(get(&files, LEDGER_PATH).unwrap()).unwrap();
        let drop = rng.index(l.entries.len());
        let prefix = format!("{}/", item_dir(drop as u64));
        files.retain(|(p, _)| !p.starts_with(&prefix));
        let items: Vec<LedgerItem> = l
            .entries
            .iter()
            .filter(|e| e.seq != drop as u64)
            .map(LedgerFileEntry::item)
            .collect();
        reindex(&mut files, Some(items));
        c.check(
            "item dropped, all hashes recomputed",
            format!("item {drop}"),
            &rezip(&files),
        );
    }

    println!("tamper campaign by class (mutations, caught with --head, caught without):");
    for (class, (n, w, wo)) in &c.by_class {
        println!("  {class:<38} {n:>5} {w:>5} {wo:>5}");
    }
    println!(
        "tamper campaign: detected {}/{} mutations (with the separately received head)",
        c.caught_with_head, c.total
    );
    println!(
        "tamper campaign: detected {}/{} mutations without --head",
        c.caught_without_head, c.total
    );
    assert!(c.total >= 1000, "only {} mutations", c.total);
    assert!(c.missed.is_empty(), "missed: {:#?}", c.missed);
}

#[test]
fn withholding_an_item_after_export_is_visible_not_silent() {
    // Turning an included item into a withheld one keeps the head (that is what
    // withholding is for), so it cannot fail verification — but it is reported.
    let f = fixture(7, 8);
    let mut files = extract(&f.zip);
    let prefix = format!("{}/", item_dir(5));
    files.retain(|(p, _)| !p.starts_with(&prefix));
    // A forger who knows the layout also takes out the item's exhibit copies and their
    // entry in the manifest (leaving them is caught: a withheld item has no exhibits).
    let mut m = Manifest::parse(get(&files, MANIFEST_PATH).unwrap()).unwrap();
    let ex = m.exhibits.as_mut().unwrap();
    let gone: Vec<String> = ex.items[5].files.drain(..).map(|f| f.path).collect();
    assert_eq!(gone.len(), 1);
    files.retain(|(p, _)| !gone.contains(p));
    set(&mut files, MANIFEST_PATH, m.to_json_bytes().unwrap());
    let mut l = LedgerFile::parse(get(&files, LEDGER_PATH).unwrap()).unwrap();
    l.entries[5].status = ItemStatus::Withheld;
    let items = l.entries.iter().map(LedgerFileEntry::item).collect();
    reindex(&mut files, Some(items));
    let r = verify_bytes(&rezip(&files), Some(&f.head));
    assert_eq!(r.verdict, Verdict::Pass);
    assert!(r.summary.contains("items 2, 5"), "{}", r.summary);
}
