//! The builder's second pass: after every item's files, a byte-identical copy of each
//! exhibit file under `exhibits/` (see [`crate::exhibits`]).
//!
//! The builder asks for each exhibit's artifact again, as an ordinary
//! [`Need::Artifact`] whose `path` is under `exhibits/`, so the caller streams it from
//! storage exactly as in the first pass and nothing large is held in memory. Each copy is
//! checked against its record's size and SHA-256 like the original. Capture screenshots
//! (PNG) seen in this pass are kept, within limits, for `report.pdf`.

use super::{damaged, ArchiveBuilder, ArtifactNeed, FileInfo, Need, Step};
use crate::archive::exhibit_index::ExhibitIndex;
use crate::archive::should_compress;
use crate::error::{Error, Result};
use crate::exhibits;
use crate::record::{Kind, Record};

/// Largest screenshot kept for `report.pdf`; a larger one is shown there as not embedded.
pub const MAX_PDF_IMAGE_BYTES: u64 = 16 << 20;
/// Most screenshot bytes kept in total for one export's `report.pdf` (about 100 to 150
/// ordinary captures). The PDF is built in memory and holds the images again, so this
/// bounds what the export adds to memory; screenshots past it are named in the PDF as
/// not embedded (they are in `exhibits/` either way).
pub const MAX_PDF_IMAGES_BYTES: u64 = 48 << 20;
/// The PNG signature: anything else is not kept for the PDF.
const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

impl ArchiveBuilder {
    /// The exhibit reference of item `seq` in this export.
    pub(super) fn reference(&self, seq: u64) -> String {
        exhibits::reference(self.meta.initials.as_deref(), seq)
    }

    /// The `exhibits` section of the manifest.
    pub(super) fn exhibit_index(&self) -> ExhibitIndex {
        ExhibitIndex::build(
            self.meta.initials.as_deref(),
            self.plan.len() as u64,
            &self.exhibit_files,
        )
    }

    /// Plan the exhibit files of an included item (called as the item closes).
    pub(super) fn plan_exhibits(&mut self, seq: u64, record: &Record) {
        let reference = self.reference(seq);
        for f in exhibits::plan_files(record, &reference, &mut self.exhibit_names) {
            self.exhibit_files.push((seq, f));
        }
    }

    /// The step after the last item: the exhibit pass, or the tail when there is none.
    pub(super) fn after_items(&self) -> Step {
        if self.exhibit_cursor < self.exhibit_files.len() {
            Step::Exhibit { open: false }
        } else {
            Step::Tail
        }
    }

    pub(super) fn exhibit_need(&self) -> Option<ArtifactNeed> {
        let (seq, f) = self.exhibit_files.get(self.exhibit_cursor)?;
        Some(ArtifactNeed {
            seq: *seq,
            name: f.artifact.name.clone(),
            stored: !should_compress(&f.path),
            path: f.path.clone(),
            sha256: f.artifact.sha256.clone(),
            bytes: f.artifact.bytes,
        })
    }

    fn is_capture_screenshot(&self, seq: u64, name: &str) -> bool {
        // One report item per ledger item, in sequence order.
        self.report_items.get(seq as usize).is_some_and(|i| {
            i.seq == seq
                && i.record
                    .as_ref()
                    .is_some_and(|r| r.kind == Kind::Capture && name.ends_with(".png"))
        })
    }

    pub(super) fn begin_exhibit(&mut self, out: &mut Vec<u8>) -> Result<()> {
        let Some(need) = self.exhibit_need() else {
            return Err(Error::InvalidInput(format!(
                "the archive builder does not need an artifact now; it needs {:?}",
                self.next()
            )));
        };
        if matches!(self.step, Step::Exhibit { open: true }) {
            return Err(Error::InvalidInput(
                "an exhibit file is already open in the archive builder".into(),
            ));
        }
        self.writer
            .start_entry_into(&need.path, !need.stored, self.mtime, out)?;
        let keep = self.is_capture_screenshot(need.seq, &need.name)
            && need.bytes <= MAX_PDF_IMAGE_BYTES
            && self.kept_images.saturating_add(need.bytes) <= MAX_PDF_IMAGES_BYTES;
        self.image = keep.then(|| Vec::with_capacity(need.bytes as usize));
        if keep {
            self.kept_images += need.bytes;
        }
        self.step = Step::Exhibit { open: true };
        Ok(())
    }

    /// A chunk of the open exhibit file: written into `out` when compressed, only hashed
    /// when stored (`out` is `None`: the caller emits the chunk itself).
    pub(super) fn exhibit_chunk(&mut self, chunk: &[u8], out: Option<&mut Vec<u8>>) -> Result<()> {
        self.keep_exhibit_image(chunk)?;
        match out {
            Some(out) => self.writer.write_into(chunk, out),
            None => self.writer.write_stored(chunk),
        }
    }

    /// A chunk of the open (stored) exhibit file fed unhashed: only its size and CRC-32 are
    /// counted; the caller emits the chunk and hands in its SHA-256 at the end.
    pub(super) fn exhibit_chunk_unhashed(&mut self, chunk: &[u8]) -> Result<()> {
        self.keep_exhibit_image(chunk)?;
        self.writer.write_stored_crc(chunk)
    }

    /// Keep the chunk of a capture's PNG screenshot for the PDF, within the memory budget.
    fn keep_exhibit_image(&mut self, chunk: &[u8]) -> Result<()> {
        if !matches!(self.step, Step::Exhibit { open: true }) {
            return Err(Error::InvalidInput(
                "no artifact is open in the archive builder".into(),
            ));
        }
        if let Some(img) = self.image.as_mut() {
            let png = !img.is_empty() || chunk.starts_with(PNG_SIGNATURE);
            if png && (img.len() + chunk.len()) as u64 <= MAX_PDF_IMAGE_BYTES {
                img.extend_from_slice(chunk);
            } else {
                // Not a PNG, or larger than its record said: give its room back.
                let need = self.exhibit_need().map(|n| n.bytes).unwrap_or(0);
                self.kept_images = self.kept_images.saturating_sub(need);
                self.image = None;
            }
        }
        Ok(())
    }

    /// End the open exhibit file (`sha256`: the caller's digest when it was fed unhashed)
    /// and check it against its artifact again.
    pub(super) fn end_exhibit(&mut self, out: &mut Vec<u8>, sha256: Option<&str>) -> Result<()> {
        let (Some(need), Step::Exhibit { open: true }) = (self.exhibit_need(), &self.step) else {
            return Err(Error::InvalidInput(
                "no artifact is open in the archive builder".into(),
            ));
        };
        let info = match sha256 {
            None => self.writer.end_entry_into(out)?,
            Some(given) => self.writer.end_entry_with_sha256_into(out, given)?,
        };
        if info.sha256 != need.sha256 || info.bytes != need.bytes {
            return Err(damaged(need.seq, &need.name));
        }
        self.infos.push(FileInfo::from(&info));
        if let Some(img) = self.image.take() {
            self.images.entry(need.seq).or_default().push(img);
        }
        self.exhibit_cursor += 1;
        self.step = self.after_items();
        Ok(())
    }
}

impl Need {
    /// Whether this is an exhibit copy (second pass) rather than an item's own file.
    pub fn is_exhibit(&self) -> bool {
        matches!(self, Need::Artifact(a) if a.path.starts_with("exhibits/"))
    }
}
