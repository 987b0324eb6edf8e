//! The archive builder's last step: the index and report files after every item and
//! exhibit file, then the central directory.
//!
//! Order: `ledger.json`, `timestamps/` (when there are tokens), `report.html`,
//! `report.pdf`, `statement.html`, `VERIFY.txt`, `manifest.json`, `signature.json` (when
//! the exporter has a device key), `SHA256SUMS`.
//! `manifest.json` lists every file before it (so its SHA-256, the archive fingerprint,
//! binds them all); `SHA256SUMS` lists the manifest too.

use super::super::index::{build_manifest, build_sha256sums, ExportMeta, ItemCounts, ItemStatus};
use super::super::*;
use super::super::{signature, timestamps};
use super::{ArchiveBuilder, ExportDone, Step};
use crate::error::{Error, Result};
use crate::hash::sha256_hex;
use crate::record::{self, Record};
use crate::timeline::{self, ReportInput};

impl ArchiveBuilder {
    pub(super) fn write_tail(&mut self, out: &mut Vec<u8>) -> Result<ExportDone> {
        if !matches!(self.step, Step::Tail) {
            return Err(Error::InvalidInput(format!(
                "the archive is not complete; the builder still needs {:?}",
                self.next()
            )));
        }
        self.check_removals_included()?;
        let ledger_bytes = self.ledger.to_json_bytes()?;
        self.put(LEDGER_PATH, &ledger_bytes, out)?;
        let chain: Vec<String> = self
            .ledger
            .entries
            .iter()
            .map(|e| e.chain_sha256.clone())
            .collect();
        let (ts_files, ts_index) = timestamps::timestamp_files(&self.timestamps, &chain)?;
        for (path, bytes) in &ts_files {
            self.put(path, bytes, out)?;
        }
        let input = ReportInput {
            exported_at: record::utc_string(self.meta.created_at_ms)?,
            local_offset_minutes: self.meta.local_offset_minutes,
            exported_by: self.meta.exported_by.clone(),
            tool_version: self.meta.tool_version.clone(),
            head: self.ledger.head.clone(),
            items: std::mem::take(&mut self.report_items),
        };
        self.put(REPORT_PATH, timeline::render(&input).as_bytes(), out)?;
        let pdf = self.render_pdf(&input, &ts_index)?;
        self.put(PDF_PATH, &pdf, out)?;
        let parts = self.meta.statement.clone().unwrap_or_default();
        let statement = crate::statement::render(&input, &parts);
        self.put(STATEMENT_PATH, statement.as_bytes(), out)?;
        let included: Vec<Record> = input.items.into_iter().filter_map(|i| i.record).collect();
        let mut guide = crate::guide::verify_guide(&self.ledger.head, &self.meta.tool_version);
        guide.push_str(&timestamps::guide_section(&ts_index));
        self.put(VERIFY_PATH, guide.as_bytes(), out)?;
        let export_meta = ExportMeta {
            tool_version: self.meta.tool_version.clone(),
            created_at_ms: self.meta.created_at_ms,
            exported_by: self.meta.exported_by.clone(),
        };
        let mut manifest = build_manifest(&export_meta, &self.ledger, &included, &self.infos)?;
        manifest.exhibits = Some(self.exhibit_index());
        let manifest_bytes = manifest.to_json_bytes()?;
        self.put(MANIFEST_PATH, &manifest_bytes, out)?;
        let key = self.device_key.clone();
        if let Some(sig) = signature::signature_file(key.as_deref(), &manifest_bytes)? {
            self.put(signature::SIGNATURE_PATH, &sig, out)?;
        }
        let sums = build_sha256sums(&self.infos)?;
        self.put(SUMS_PATH, &sums, out)?;
        out.extend_from_slice(&self.writer.finish()?);
        self.step = Step::Finished;
        let (included, withheld, removed) = self.ledger.status_counts();
        Ok(ExportDone {
            head: self.ledger.head.clone(),
            counts: ItemCounts {
                total: self.ledger.entries.len() as u64,
                included,
                withheld,
                removed,
            },
            archive_bytes: self.writer.bytes_written(),
            fingerprint: sha256_hex(&manifest_bytes),
        })
    }

    /// `report.pdf` from the report's input and the screenshots kept in the exhibit pass.
    fn render_pdf(
        &mut self,
        input: &ReportInput,
        timestamps: &[timestamps::TimestampEntry],
    ) -> Result<Vec<u8>> {
        let mut files: std::collections::BTreeMap<u64, Vec<String>> = Default::default();
        for (seq, f) in &self.exhibit_files {
            files.entry(*seq).or_default().push(f.path.clone());
        }
        let images = std::mem::take(&mut self.images);
        crate::pdf::render(&crate::pdf::PdfInput {
            report: input,
            initials: self.meta.initials.as_deref(),
            images: &images,
            exhibit_files: &files,
            timestamps,
        })
    }

    /// Every removed item's removal record must be included: the verifier fails an item
    /// marked removed without it (anyone could otherwise take an item out of an archive
    /// and call it removed). Refuses with the items to include.
    fn check_removals_included(&self) -> Result<()> {
        let records: Vec<&Record> = self
            .report_items
            .iter()
            .filter_map(|i| i.record.as_ref())
            .collect();
        for item in &self.plan {
            if item.status != ItemStatus::Removed {
                continue;
            }
            let recorded = records.iter().any(|r| {
                r.seq > item.seq
                    && super::super::item_rules::records_removal_of(
                        r,
                        item.seq,
                        &item.record_sha256,
                    )
            });
            if !recorded {
                return Err(Error::InvalidInput(format!(
                    "Item {} was deleted, but the record of its deletion is not included in this export, so the archive would fail verification. Include the removal record in the export.",
                    item.seq
                )));
            }
        }
        Ok(())
    }
}
