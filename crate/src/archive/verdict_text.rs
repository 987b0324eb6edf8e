//! The verification report as plain text, for the command-line verifier: facts, the
//! head and fingerprint to compare, a per-item table, problems, and the verdict line.
//! Every string in it was made safe by [`Report::finish`].

use super::verdict::{FileRow, FileState, ItemState, Report, Verdict};
use std::fmt::Write as _;

impl Report {
    /// The report as plain text: facts, a per-item table, problems, and the verdict line.
    pub fn render_text(&self) -> String {
        let mut t = String::new();
        let a = &self.archive;
        if a.format.is_none() && self.items.is_empty() && self.head.computed.is_none() {
            // Not an archive we could read at all: only the problems and the verdict.
            for p in &self.problems {
                let _ = writeln!(t, "[{}] {}", p.code, p.message);
            }
            let _ = writeln!(t, "\nVERDICT: FAIL\n{}", self.summary);
            return t;
        }
        let dash = |o: &Option<String>| o.clone().unwrap_or_else(|| "-".into());
        let _ = writeln!(
            t,
            "Format:      {}   written by {}",
            dash(&a.format),
            dash(&a.tool)
        );
        let _ = writeln!(
            t,
            "Created:     {}   exported by {}",
            dash(&a.created_at),
            dash(&a.exported_by)
        );
        let _ = writeln!(
            t,
            "Items:       {} in the ledger: {} intact, {} withheld, {} removed, {} modified, {} missing",
            self.counts.items,
            self.counts.ok,
            self.counts.withheld,
            self.counts.removed,
            self.counts.modified,
            self.counts.missing
        );
        if a.first_item_at.is_some() {
            let _ = writeln!(
                t,
                "Time span:   {} to {}",
                dash(&a.first_item_at),
                dash(&a.last_item_at)
            );
        }
        let _ = writeln!(t, "Head:        {}", dash(&self.head.computed));
        let _ = writeln!(t, "Fingerprint: {}", dash(&self.fingerprint.computed));
        if let Some(e) = &self.head.expected {
            let m = match self.head.expected_match.as_deref() {
                Some("head") => "matches this archive's head".to_string(),
                Some("earlier") => format!(
                    "matches the chain after item {}",
                    self.head.expected_seq.unwrap_or(0)
                ),
                _ => "NOT FOUND in this archive's chain".to_string(),
            };
            let _ = writeln!(t, "Given head:  {e} ({m})");
        }
        if let Some(e) = &self.fingerprint.expected {
            let m = match self.fingerprint.matches {
                Some(true) => "matches this archive's fingerprint",
                _ => "DOES NOT MATCH this archive's fingerprint",
            };
            let _ = writeln!(t, "Given fingerprint: {e} ({m})");
        }
        let _ = writeln!(t);
        // Archives with exhibit references get a REF column; older ones print as before.
        let refs = self.items.iter().any(|r| r.reference.is_some());
        let _ = writeln!(
            t,
            "{}{:>7}  {:<10}  {:<24}  {:<15}  DETAIL",
            if refs {
                format!("{:<9}  ", "REF")
            } else {
                String::new()
            },
            "SEQ",
            "KIND",
            "CAPTURED (UTC)",
            "STATUS"
        );
        for r in &self.items {
            if refs {
                let _ = write!(t, "{:<9}  ", dash(&r.reference));
            }
            let seq = r.seq.map(|s| s.to_string()).unwrap_or_else(|| "-".into());
            let detail = match (&r.path, r.status) {
                (Some(p), ItemState::UnexpectedFile) => format!("{p}: {}", r.detail),
                _ => r.detail.clone(),
            };
            let _ = writeln!(
                t,
                "{seq:>7}  {:<10}  {:<24}  {:<15}  {detail}",
                dash(&r.kind),
                dash(&r.captured_at),
                r.status.label()
            );
        }
        let bad_files: Vec<&FileRow> = self
            .files
            .iter()
            .filter(|f| f.status != FileState::Ok)
            .collect();
        if !bad_files.is_empty() {
            let _ = writeln!(t, "\nFiles that failed:");
            for f in bad_files {
                let _ = writeln!(t, "  {:?} {}: {}", f.status, f.path, f.detail);
            }
        }
        t.push_str(&self.render_timestamps());
        t.push_str(&self.render_signature());
        if !self.problems.is_empty() {
            let _ = writeln!(t, "\nProblems:");
            for p in &self.problems {
                let _ = writeln!(t, "  [{}] {}", p.code, p.message);
            }
        }
        let v = match self.verdict {
            Verdict::Pass => "PASS",
            Verdict::Fail => "FAIL",
        };
        let _ = writeln!(t, "\nVERDICT: {v}\n{}", self.summary);
        t
    }
}

/// `1 item` or `N items`.
pub(super) fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// `item 3` or `items 1, 2, 5` (the first 20, then how many more).
pub(super) fn seq_list(seqs: &[u64]) -> String {
    let shown: Vec<String> = seqs.iter().take(20).map(u64::to_string).collect();
    let more = seqs.len().saturating_sub(20);
    let word = if seqs.len() == 1 { "item" } else { "items" };
    if more > 0 {
        format!("{word} {} and {more} more", shown.join(", "))
    } else {
        format!("{word} {}", shown.join(", "))
    }
}

/// The first 12 hex digits and an ellipsis: how heads are shown in prose.
pub fn short_hash(h: &str) -> String {
    format!("{}…", h.get(..12).unwrap_or(h))
}
