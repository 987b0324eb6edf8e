//! `report.pdf`: an A4 report of the exported exhibits, generated in the core so it is
//! the same in every browser and natively.
//!
//! - A cover page (who produced it as they entered it, when, how many exhibits, the head
//!   hash, why the archive fingerprint is given separately, how to verify), a timeline
//!   table, then each exhibit from a new page: reference, UTC and local time, URL, each
//!   message's author and account identifier, the text, the screenshot scaled to the page
//!   (split across pages when taller), the artifact hashes. Every page's footer has
//!   "Page X of Y" and the head hash.
//! - Crate choice: `pdf-writer` (typst's low-level writer: small, pure Rust, builds for
//!   wasm32, well kept) with `subsetter` for the font subset; the layout is ours
//!   ([`layout`]), which keeps the dependency tree small. `krilla` (higher level) pulls in
//!   far more, and `printpdf` bundles a layout engine we do not need.
//! - Text is laid out left to right without shaping: Latin, Greek and Cyrillic print as
//!   written; scripts that need shaping (Arabic, Indic) print their characters unjoined.
//!   `report.html` and `metadata.json` stay the authoritative text.
//! - The fingerprint is the SHA-256 of `manifest.json`, which lists `report.pdf`'s own
//!   SHA-256 (so the fingerprint covers the PDF); the PDF therefore cannot contain it,
//!   and says so on its cover.

pub mod font;
pub mod image;
pub mod layout;
pub mod report;
pub mod write;

use crate::error::Result;
use crate::timeline::ReportInput;
use std::collections::BTreeMap;

/// What the PDF is made from.
pub struct PdfInput<'a> {
    /// The same input as `report.html` (items in ledger order, with references).
    pub report: &'a ReportInput,
    /// The initials the references use.
    pub initials: Option<&'a str>,
    /// Capture screenshots (PNG bytes) by sequence number; a capture without one says so.
    pub images: &'a BTreeMap<u64, Vec<Vec<u8>>>,
    /// Each item's `exhibits/` file paths, by sequence number.
    pub exhibit_files: &'a BTreeMap<u64, Vec<String>>,
    /// The trusted timestamps in the archive (`timestamps/index.json`): a token over the
    /// chain value after item `seq` covers every item up to `seq`.
    pub timestamps: &'a [crate::archive::timestamps::TimestampEntry],
}

/// Render `report.pdf`.
pub fn render(input: &PdfInput<'_>) -> Result<Vec<u8>> {
    let font = font::Font::load()?;
    let mut flow = layout::Flow::new(&font);
    let images = report::lay_out(&mut flow, input);
    flow.footers(&format!("Head hash {}", input.report.head));
    let by = crate::archive::index::clean_exported_by(input.report.exported_by.as_deref());
    write::write_pdf(
        &font,
        &flow.pages,
        &images,
        &write::DocInfo {
            title: "Evidence report: exhibits",
            author: by.as_deref(),
            creator: &format!("Evidence Capture {}", input.report.tool_version),
        },
    )
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
