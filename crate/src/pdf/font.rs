//! The font `report.pdf` embeds: DejaVu Sans (an open font covering Latin, Greek and
//! Cyrillic), compiled in from the system package (see `crate/build.rs`) and subset to the
//! glyphs used. Text is measured with the font's own advance widths.
//!
//! A character the font has no glyph for is never dropped silently: it prints as
//! [`MARKER`] and is listed on the exhibit's page ([`Font::missing_in`]).

use crate::error::{Error, Result};
use std::collections::BTreeSet;

/// The font file's bytes (DejaVu Sans, see `crate/build.rs`).
pub static FONT_BYTES: &[u8] = include_bytes!(env!("EVIDENCE_PDF_FONT"));

/// What prints in place of a character the font lacks (U+FFFD REPLACEMENT CHARACTER).
pub const MARKER: char = '\u{fffd}';

/// The parsed font with the metrics the layout needs.
pub struct Font {
    face: ttf_parser::Face<'static>,
    /// Font units per em.
    units: f32,
}

/// Whether `c` is laid out at all: control and bidi-control characters are not text
/// (a newline ends a line; the rest are shown as missing).
fn is_layout_char(c: char) -> bool {
    !crate::archive::display::is_unsafe_char(c)
}

impl Font {
    /// Parse the embedded font.
    pub fn load() -> Result<Font> {
        let face = ttf_parser::Face::parse(FONT_BYTES, 0)
            .map_err(|e| Error::InvalidInput(format!("the PDF font does not parse: {e}")))?;
        let units = f32::from(face.units_per_em());
        Ok(Font { face, units })
    }

    /// The glyph of `c`, if the font has one.
    pub fn glyph(&self, c: char) -> Option<u16> {
        if !is_layout_char(c) {
            return None;
        }
        self.face.glyph_index(c).map(|g| g.0).filter(|g| *g != 0)
    }

    /// The glyph printed for `c`: its own, or the marker's.
    pub fn glyph_or_marker(&self, c: char) -> u16 {
        self.glyph(c)
            .or_else(|| self.face.glyph_index(MARKER).map(|g| g.0))
            .unwrap_or(0)
    }

    /// Advance width of glyph `gid` in thousandths of an em (PDF glyph space).
    pub fn advance(&self, gid: u16) -> f32 {
        let a = self
            .face
            .glyph_hor_advance(ttf_parser::GlyphId(gid))
            .unwrap_or(0);
        f32::from(a) * 1000.0 / self.units
    }

    /// Width of `text` at `size` points, as printed (missing characters as the marker).
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars()
            .map(|c| self.advance(self.glyph_or_marker(c)))
            .sum::<f32>()
            * size
            / 1000.0
    }

    /// The characters of `text` the font cannot show (newlines and tabs aside).
    pub fn missing_in(&self, text: &str, into: &mut BTreeSet<char>) {
        for c in text.chars() {
            if !matches!(c, '\n' | '\r' | '\t' | ' ') && self.glyph(c).is_none() {
                into.insert(c);
            }
        }
    }

    /// Ascender, descender and cap height in thousandths of an em, and the bounding box.
    pub fn metrics(&self) -> (f32, f32, f32, [f32; 4]) {
        let k = 1000.0 / self.units;
        let b = self.face.global_bounding_box();
        (
            f32::from(self.face.ascender()) * k,
            f32::from(self.face.descender()) * k,
            f32::from(self.face.capital_height().unwrap_or(self.face.ascender())) * k,
            [
                f32::from(b.x_min) * k,
                f32::from(b.y_min) * k,
                f32::from(b.x_max) * k,
                f32::from(b.y_max) * k,
            ],
        )
    }
}

/// `U+1F3A8, U+200F` — the code points of characters not shown (the characters
/// themselves cannot print in this font, and some are invisible controls).
pub fn describe_missing(chars: &BTreeSet<char>) -> String {
    chars
        .iter()
        .map(|c| format!("U+{:04X}", *c as u32))
        .collect::<Vec<_>>()
        .join(", ")
}
