//! Shared helpers for the archive tests: a seeded PRNG, realistic archive fixtures,
//! and tools to take an archive apart, change it, re-index it and zip it again.
#![allow(dead_code, clippy::unwrap_used)]

use evidence_core::archive::index::{build_ledger, build_manifest, build_sha256sums};
use evidence_core::archive::*;
use evidence_core::hash::sha256_hex;
use evidence_core::record::{self, ArtifactRef, Kind, RecordDraft};
use serde_json::json;

/// SplitMix64: small, seeded, good enough to pick mutations deterministically.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    pub fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next_u64() as u8).collect()
    }
    /// Between `min` and `min + span - 1` random bytes.
    pub fn some_bytes(&mut self, min: usize, span: usize) -> Vec<u8> {
        let n = min + self.index(span);
        self.bytes(n)
    }
    /// A byte that is never zero (XOR-ing it changes something).
    pub fn nonzero(&mut self) -> u8 {
        (self.below(255) + 1) as u8
    }
}

/// `(artifact name, media type, bytes)`.
type NamedFile = (String, String, Vec<u8>);

pub const T0_MS: i64 = 1_764_000_000_000;
/// Export time of every fixture (and the entries' modification time).
pub const EXPORT_MS: i64 = T0_MS + 100 * 3_600_000;

pub struct Fixture {
    pub input: ArchiveInput,
    pub zip: Vec<u8>,
    pub head: String,
    /// The same items as stored in the extension: all with content but the removed one.
    pub library: Vec<ArchiveItem>,
    /// Every item with its content, as it was before anything was removed or withheld.
    pub all: Vec<ArchiveItem>,
}

fn png_like(rng: &mut Rng, n: usize) -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    v.extend(rng.bytes(n));
    v
}

fn mhtml_like(rng: &mut Rng, seq: u64) -> Vec<u8> {
    let mut s = format!(
        "From: <Saved by evidence-capture>\r\nSubject: Post {seq}\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/html\r\n\r\n<html><body>"
    );
    for _ in 0..(5 + rng.below(20)) {
        s.push_str(&format!("<p>message {}</p>", rng.next_u64()));
    }
    s.push_str("</body></html>\r\n--b--\r\n");
    s.into_bytes()
}

fn artifact(name: &str, media: &str, data: &[u8]) -> ArtifactRef {
    ArtifactRef {
        name: name.into(),
        media_type: media.into(),
        bytes: data.len() as u64,
        sha256: sha256_hex(data),
    }
}

/// The metadata of a removal record for item 4 (`draft`, hashing to `sha`), built as
/// the extension builds it.
fn removal_of(draft: &RecordDraft, sha: &str, at_ms: i64) -> serde_json::Value {
    use evidence_core::entries::{build_removal, EntryContext, RemovalInput};
    let input = RemovalInput {
        target: evidence_core::metadata::RemovalTarget {
            seq: 4,
            id: draft.id.clone(),
            record_sha256: sha.to_string(),
            kind: draft.kind,
            artifacts: draft.artifacts.clone(),
        },
        reason: "deleted by user".into(),
    };
    let ctx = EntryContext {
        entered_at_ms: at_ms,
        local_offset_minutes: 60,
    };
    build_removal(&input, &ctx).unwrap().metadata.to_value()
}

/// A realistic export of `n` items (n >= 6): captures with a screenshot, page and
/// metadata; diary entries with photos or recordings; an amendment; item 2 withheld;
/// item 4 removed (with a later removal record that names its hash).
pub fn fixture(seed: u64, n: usize) -> Fixture {
    fixture_with(seed, n, ZipWriter::new())
}

pub fn fixture_with(seed: u64, n: usize, writer: ZipWriter) -> Fixture {
    assert!(n >= 6);
    let mut rng = Rng(seed);
    let mut prev = record::genesis_hex();
    let mut items: Vec<ArchiveItem> = Vec::new();
    let mut hashes: Vec<String> = Vec::new();
    let mut chain = evidence_core::ledger::genesis_chain_hex();
    let mut drafts: Vec<RecordDraft> = Vec::new();
    for seq in 0..n as u64 {
        let at = T0_MS + seq as i64 * 3_600_000 + rng.below(1000) as i64;
        let (kind, files, metadata): (Kind, Vec<NamedFile>, _) = if seq + 1 == n as u64 {
            (
                Kind::Removal,
                vec![],
                removal_of(&drafts[4], &hashes[4], at),
            )
        } else {
            match seq % 4 {
                0 | 1 => {
                    let url = format!("https://social.example/user/status/{}", rng.next_u64());
                    let meta = serde_json::to_vec_pretty(&json!({"page": {"url": url}})).unwrap();
                    (
                        Kind::Capture,
                        vec![
                            ("screenshot.png".into(), "image/png".into(), {
                                let n = 200 + rng.index(3000);
                                png_like(&mut rng, n)
                            }),
                            (
                                "page.mhtml".into(),
                                "multipart/related".into(),
                                mhtml_like(&mut rng, seq),
                            ),
                            ("metadata.json".into(), "application/json".into(), meta),
                        ],
                        json!({"url": url, "title": format!("Post {seq} ✓")}),
                    )
                }
                2 => (
                    Kind::Incident,
                    vec![
                        ("photo-1.jpg".into(), "image/jpeg".into(), {
                            let n = 500 + rng.index(2000);
                            rng.bytes(n)
                        }),
                        ("call.mp3".into(), "audio/mpeg".into(), {
                            let n = 300 + rng.index(1000);
                            rng.bytes(n)
                        }),
                    ],
                    json!({"what_happened": "Followed from the station", "location": "High St"}),
                ),
                _ => (
                    Kind::Amendment,
                    vec![],
                    json!({"amends_seq": seq - 1, "note": "The car was blue."}),
                ),
            }
        };
        let draft = RecordDraft {
            id: format!("item-{seq}-{}", rng.next_u64()),
            kind,
            captured_at_ms: at,
            local_offset_minutes: 60,
            time_zone: Some("Europe/London".into()),
            artifacts: files.iter().map(|(n, m, d)| artifact(n, m, d)).collect(),
            metadata: metadata.into(),
        };
        let sealed = record::seal(&draft, seq, &prev).unwrap();
        drafts.push(draft.clone());
        prev = sealed.sha256.clone();
        hashes.push(sealed.sha256.clone());
        let status = match seq {
            2 => ItemStatus::Withheld,
            4 => ItemStatus::Removed,
            _ => ItemStatus::Included,
        };
        chain = evidence_core::ledger::chain_next(&chain, &sealed.sha256).unwrap();
        items.push(ArchiveItem {
            record_sha256: sealed.sha256,
            chain_sha256: chain.clone(),
            status,
            record_bytes: Some(sealed.bytes),
            artifacts: files.into_iter().map(|(n, _, d)| (n, d)).collect(),
        });
    }
    // The library as stored: every record, except the removed item's content.
    let all = items.clone();
    let mut library = items.clone();
    for it in &mut library {
        if it.status == ItemStatus::Removed {
            it.record_bytes = None;
            it.artifacts.clear();
        }
    }
    for it in &mut items {
        if it.status != ItemStatus::Included {
            it.record_bytes = None;
            it.artifacts.clear();
        }
    }
    let input = ArchiveInput {
        meta: ArchiveMeta {
            tool_version: "0.1.0".into(),
            created_at_ms: EXPORT_MS,
            exported_by: Some("A. Person".into()),
            local_offset_minutes: 60,
            initials: Some("AP".into()),
            statement: None,
        },
        items,
    };
    let zip = write_archive(&input, writer).unwrap();
    let head = build_ledger(
        &input
            .items
            .iter()
            .map(|i| LedgerItem {
                record_sha256: i.record_sha256.clone(),
                status: i.status,
            })
            .collect::<Vec<_>>(),
    )
    .unwrap()
    .head;
    Fixture {
        input,
        zip,
        head,
        library,
        all,
    }
}

/// Every entry of an archive, in archive (offset) order.
pub fn extract(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut src: &[u8] = zip;
    let arc = ZipArchive::open(&mut src).unwrap();
    let mut entries: Vec<&ZipEntry> = arc.entries().iter().collect();
    entries.sort_by_key(|e| e.header_offset);
    entries
        .into_iter()
        .map(|e| {
            let (data, _) = read_entry_to_vec(&mut src, e, u64::MAX).unwrap();
            (e.name.clone(), data)
        })
        .collect()
}

/// Zip files again with the canonical writer.
pub fn rezip(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = ZipWriter::new();
    let mut out = Vec::new();
    for (p, d) in files {
        out.extend(
            w.start_entry(p, should_compress(p), EXPORT_MS / 1000)
                .unwrap(),
        );
        out.extend(w.write(d).unwrap());
        out.extend(w.end_entry().unwrap().1);
    }
    out.extend(w.finish().unwrap());
    out
}

pub fn get<'a>(files: &'a [(String, Vec<u8>)], path: &str) -> Option<&'a Vec<u8>> {
    files.iter().find(|(p, _)| p == path).map(|(_, d)| d)
}

pub fn set(files: &mut [(String, Vec<u8>)], path: &str, data: Vec<u8>) {
    if let Some(f) = files.iter_mut().find(|(p, _)| p == path) {
        f.1 = data;
    }
}

/// What a forger with full knowledge of the format does after editing records or the
/// ledger: recompute every hash list above them. Record hashes in the ledger are taken
/// from the record files present (withheld/removed entries keep their ledger values, or
/// `ledger_items` overrides the list), then the chain, ledger head, manifest (with the
/// same meta) and SHA256SUMS are rebuilt.
pub fn reindex(files: &mut [(String, Vec<u8>)], ledger_items: Option<Vec<LedgerItem>>) {
    let old_ledger = LedgerFile::parse(get(files, LEDGER_PATH).unwrap()).unwrap();
    let old_manifest = Manifest::parse(get(files, MANIFEST_PATH).unwrap()).unwrap();
    let items = ledger_items.unwrap_or_else(|| {
        old_ledger
            .entries
            .iter()
            .map(|e| {
                let sha = match get(files, &record_path(e.seq)) {
                    Some(b) if e.status == ItemStatus::Included => sha256_hex(b),
                    _ => e.record_sha256.clone(),
                };
                LedgerItem {
                    record_sha256: sha,
                    status: e.status,
                }
            })
            .collect()
    });
    let ledger = build_ledger(&items).unwrap();
    set(files, LEDGER_PATH, ledger.to_json_bytes().unwrap());
    let records: Vec<_> = ledger
        .entries
        .iter()
        .filter(|e| e.status == ItemStatus::Included)
        .filter_map(|e| get(files, &record_path(e.seq)))
        .filter_map(|b| record::parse(b).ok())
        .collect();
    let created = chrono::DateTime::parse_from_rfc3339(&old_manifest.created_at)
        .unwrap()
        .timestamp_millis();
    let meta = ExportMeta {
        tool_version: old_manifest.tool.version.clone(),
        created_at_ms: created,
        exported_by: old_manifest.exported_by.clone(),
    };
    let infos = |files: &[(String, Vec<u8>)]| -> Vec<FileInfo> {
        files
            .iter()
            .map(|(p, d)| FileInfo {
                path: p.clone(),
                bytes: d.len() as u64,
                sha256: sha256_hex(d),
            })
            .collect()
    };
    let mut manifest = build_manifest(&meta, &ledger, &records, &infos(files)).unwrap();
    manifest.exhibits = old_manifest.exhibits.clone();
    set(files, MANIFEST_PATH, manifest.to_json_bytes().unwrap());
    let sums = build_sha256sums(&infos(files)).unwrap();
    set(files, SUMS_PATH, sums);
}

/// Run the real `evidence-verify` binary: (exit code, stdout, stderr).
pub fn run_cli(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_evidence-verify"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The stored bytes of artifact `name` of item `seq`, as a test pump reads them from
/// storage (None: the item has no such artifact).
pub fn stored_artifact<'a>(input: &'a ArchiveInput, seq: u64, name: &str) -> Option<&'a Vec<u8>> {
    input
        .items
        .get(seq as usize)?
        .artifacts
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, d)| d)
}
