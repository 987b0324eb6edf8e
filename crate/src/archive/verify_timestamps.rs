//! The verifier's check of `timestamps/` (see [`super::timestamps`]): every token in the
//! index is checked fully by [`crate::tsp`] against the chain value after the item it
//! claims to cover, with the caseworker's trusted roots (`--tsa-ca`); its PEM chain must
//! start with the certificate that signed it; the index must say what the token says.
//! A token that fails any check fails the archive. A token whose root was not given is
//! reported as UNTRUSTED and proves nothing. A record whose claimed capture time is later
//! than the genTime of a trusted token covering it fails the archive as inconsistent
//! (a clock set forward, or a record made later than it claims).

use super::display::escape_in_place;
use super::index::LedgerFile;
use super::timestamps::{head_bytes, index_bytes, parse_index, TIMESTAMPS_DIR, TIMESTAMPS_INDEX};
use super::verdict::Report;
use super::verify_state::Verifier;
use super::LEDGER_PATH;
use crate::tsp::{self, pem, Trust};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// Largest file under `timestamps/` kept for checking.
pub(super) const MAX_TIMESTAMP_FILE_BYTES: u64 = 1 << 20;

/// The verdict on one token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TimestampState {
    /// Every check passed and the chain ends at a trusted root.
    Ok,
    /// Every check passed, but the chain ends at a root nobody trusted: proves nothing.
    Untrusted,
    /// A check failed: the archive fails.
    Fail,
}

/// One row per token listed in `timestamps/index.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimestampRow {
    /// The `.tsr` file.
    pub file: String,
    /// The last item the token covers (it covers items 0 to `seq`).
    pub seq: u64,
    /// The chain value it covers, as the index states it.
    pub head_sha256: String,
    /// The TSA (signing-certificate subject), when the token was readable.
    pub tsa: Option<String>,
    /// The token's genTime, when it was readable.
    pub gen_time: Option<String>,
    /// The root the chain ends at (trusted or not), when it was built.
    pub root: Option<String>,
    /// The verdict on this token.
    pub status: TimestampState,
    /// Plain words.
    pub detail: String,
}

/// Whether `path` is a file the timestamp index names (or the index itself).
pub(super) fn is_timestamp_file(path: &str) -> bool {
    path.starts_with(TIMESTAMPS_DIR)
}

impl Verifier {
    /// The `timestamps/` paths the layout accounts for: the index and what it lists.
    pub(super) fn timestamp_layout_paths(&self) -> Vec<String> {
        let Some(bytes) = self.pass.kept.get(TIMESTAMPS_INDEX) else {
            return Vec::new();
        };
        let mut out = vec![TIMESTAMPS_INDEX.to_string()];
        for e in parse_index(bytes).unwrap_or_default() {
            out.push(e.file);
            out.push(e.certs);
        }
        out
    }

    /// Checks every token (see the module documentation). `roots` are the trusted root
    /// certificates (DER).
    pub(super) fn check_timestamps(&mut self, roots: &[Vec<u8>]) {
        let Some(bytes) = self.pass.kept.get(TIMESTAMPS_INDEX).cloned() else {
            if let Some(crate::archive::verify_state::Seen::Broken(e)) =
                self.pass.seen.get(TIMESTAMPS_INDEX)
            {
                let msg = format!("{TIMESTAMPS_INDEX} cannot be read: {e}");
                self.report.problem("TIMESTAMP", msg);
            }
            return;
        };
        let entries = match parse_index(&bytes) {
            Ok(e) => e,
            Err(e) => return self.report.problem("TIMESTAMP", e.to_string()),
        };
        if index_bytes(&entries).ok().as_deref() != Some(&bytes[..]) {
            self.report.problem(
                "NOT_CANONICAL",
                format!("{TIMESTAMPS_INDEX} is not laid out exactly as evidence-capture writes it (it was edited)"),
            );
        }
        let ledger = self
            .pass
            .kept
            .get(LEDGER_PATH)
            .and_then(|b| LedgerFile::parse(b).ok());
        let mut trusted = Vec::new();
        for e in entries {
            let mut row = TimestampRow {
                file: e.file.clone(),
                seq: e.seq,
                head_sha256: e.head_sha256.clone(),
                tsa: None,
                gen_time: None,
                root: None,
                status: TimestampState::Fail,
                detail: String::new(),
            };
            match self.check_token(&e, ledger.as_ref(), roots, &mut row) {
                Ok(Some((gen, accuracy_ms))) => {
                    trusted.push((e.seq, gen, accuracy_ms, row.clone()))
                }
                Ok(None) => {}
                Err(why) => {
                    self.report
                        .problem("TIMESTAMP", format!("{}: {why}", e.file));
                    row.status = TimestampState::Fail;
                    row.detail = why;
                }
            }
            self.report.timestamps.push(row);
        }
        self.check_capture_times(&trusted);
    }

    /// One token. `Ok(Some((genTime, accuracy)))` when trusted, `Ok(None)` when untrusted.
    fn check_token(
        &self,
        e: &super::timestamps::TimestampEntry,
        ledger: Option<&LedgerFile>,
        roots: &[Vec<u8>],
        row: &mut TimestampRow,
    ) -> Result<Option<(i64, u64)>, String> {
        let in_dir = |p: &str, ext: &str| {
            is_timestamp_file(p) && p.ends_with(ext) && !p[TIMESTAMPS_DIR.len()..].contains('/')
        };
        if !in_dir(&e.file, ".tsr") || !in_dir(&e.certs, ".pem") {
            return Err("the index names a file outside timestamps/".into());
        }
        let missing = |p: &str| {
            format!(
                "{p} is listed in {TIMESTAMPS_INDEX} but is not in the archive (or is unreadable)"
            )
        };
        let tsr = self
            .pass
            .kept
            .get(&e.file)
            .ok_or_else(|| missing(&e.file))?;
        let pem_bytes = self
            .pass
            .kept
            .get(&e.certs)
            .ok_or_else(|| missing(&e.certs))?;
        let chain_value = ledger
            .and_then(|l| l.entries.get(e.seq as usize))
            .map(|l| l.chain_sha256.as_str());
        if chain_value != Some(e.head_sha256.as_str()) {
            return Err(format!(
                "the index says this token covers item {}, but its head is not the chain value after item {}",
                e.seq, e.seq
            ));
        }
        let head = head_bytes(&e.head_sha256).ok_or("the index has a malformed head")?;
        let pem_text =
            std::str::from_utf8(pem_bytes).map_err(|_| format!("{} is not text", e.certs))?;
        let extra =
            pem::decode_certificates(pem_text).map_err(|err| format!("{}: {err}", e.certs))?;
        let info =
            tsp::verify_response(tsr, &head, None, roots, &extra).map_err(|err| err.to_string())?;
        row.tsa = Some(info.tsa.clone());
        row.gen_time = Some(info.gen_time.clone());
        if info.chain_der.first() != extra.first() {
            return Err(format!(
                "the first certificate in {} is not the TSA certificate that signed the token",
                e.certs
            ));
        }
        if info.gen_time != e.gen_time || info.tsa != e.tsa {
            return Err(format!(
                "the index states {} by {}, but the token says {} by {}",
                e.gen_time, e.tsa, info.gen_time, info.tsa
            ));
        }
        match info.trust {
            Trust::Trusted { root } => {
                row.status = TimestampState::Ok;
                row.detail = format!(
                    "items 0–{} existed by {} ({}, root {root})",
                    e.seq, info.gen_time, info.tsa
                );
                row.root = Some(root);
                Ok(Some((info.gen_time_unix, info.accuracy_ms.unwrap_or(0))))
            }
            Trust::Untrusted { top } => {
                row.status = TimestampState::Untrusted;
                row.detail = format!(
                    "signed by {}, but its chain ends at {top}, which was not given as trusted (--tsa-ca): it proves nothing until that root is trusted",
                    info.tsa
                );
                row.root = Some(top);
                Ok(None)
            }
        }
    }

    /// A record claiming a capture time after the genTime of a trusted token that
    /// covers it is inconsistent.
    fn check_capture_times(&mut self, trusted: &[(u64, i64, u64, TimestampRow)]) {
        let mut problems = Vec::new();
        for item in &self.report.items {
            let (Some(seq), Some(at)) = (item.seq, item.captured_at.as_deref()) else {
                continue;
            };
            let Ok(at) = chrono::DateTime::parse_from_rfc3339(at) else {
                continue;
            };
            for (covered, gen, accuracy_ms, row) in trusted {
                let slack = i64::try_from(accuracy_ms.div_ceil(1000)).unwrap_or(i64::MAX);
                if seq <= *covered && at.timestamp() > gen.saturating_add(slack) {
                    problems.push(format!(
                        "item {seq} claims it was captured at {}, but {} shows that items 0–{covered} already existed by {}: the device clock was wrong or the record was made later than it says",
                        item.captured_at.as_deref().unwrap_or("-"),
                        row.file,
                        row.gen_time.as_deref().unwrap_or("-")
                    ));
                    break;
                }
            }
        }
        for p in problems {
            self.report.problem("TIME_INCONSISTENT", p);
        }
    }
}

impl Report {
    /// Escapes every archive-derived string of the timestamp rows.
    pub(super) fn escape_timestamp_strings(&mut self) {
        for r in &mut self.timestamps {
            for s in [&mut r.file, &mut r.head_sha256, &mut r.detail] {
                escape_in_place(s);
            }
            for o in [&mut r.tsa, &mut r.gen_time, &mut r.root] {
                o.iter_mut().for_each(escape_in_place);
            }
        }
    }

    /// Adds the proof of time to the summary (after [`Report::finish`]).
    pub(super) fn summarise_timestamps(&mut self) {
        self.escape_timestamp_strings();
        let best = self
            .timestamps
            .iter()
            .filter(|r| r.status == TimestampState::Ok)
            .max_by_key(|r| r.seq);
        if let Some(r) = best.filter(|_| self.verdict == super::verdict::Verdict::Pass) {
            let _ = write!(
                self.summary,
                " Proof of time: items 0–{} existed by {} ({}).",
                r.seq,
                r.gen_time.as_deref().unwrap_or("-"),
                r.tsa.as_deref().unwrap_or("-")
            );
        }
        let untrusted = self
            .timestamps
            .iter()
            .filter(|r| r.status == TimestampState::Untrusted)
            .count();
        if untrusted > 0 {
            let _ = write!(
                self.summary,
                " {untrusted} timestamp{} from a root not given as trusted prove{} nothing (give the TSA's root with --tsa-ca).",
                if untrusted == 1 { "" } else { "s" },
                if untrusted == 1 { "s" } else { "" }
            );
        }
    }

    /// The timestamp table for the plain-text report (empty when there are none).
    pub(super) fn render_timestamps(&self) -> String {
        let mut t = String::new();
        if self.timestamps.is_empty() {
            return t;
        }
        let _ = writeln!(t, "\nTrusted timestamps (proof of time):");
        for r in &self.timestamps {
            let status = match r.status {
                TimestampState::Ok => "OK",
                TimestampState::Untrusted => "UNTRUSTED",
                TimestampState::Fail => "FAIL",
            };
            let _ = writeln!(
                t,
                "  {status:<9}  items 0–{:<6}  {}  {}  {}",
                r.seq,
                r.gen_time.as_deref().unwrap_or("-"),
                r.file,
                r.detail
            );
        }
        t
    }
}
