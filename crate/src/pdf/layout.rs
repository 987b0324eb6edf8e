//! A small flow layout for A4 pages: wrapped text, label/value rows, rules, and images
//! scaled to the text width. A block taller than what is left of a page goes on; an image
//! taller than a whole page is split across pages (each page draws the same image,
//! shifted and clipped, so it is embedded once).

use super::font::Font;

/// A4 width in points.
pub const PAGE_W: f32 = 595.28;
/// A4 height in points.
pub const PAGE_H: f32 = 841.89;
/// Page margin on every side.
pub const MARGIN: f32 = 42.0;
/// Space kept free above the bottom margin for the footer.
pub const FOOTER_ROOM: f32 = 22.0;
/// Width of the text column.
pub const TEXT_W: f32 = PAGE_W - 2.0 * MARGIN;
/// Width of the label column of label/value rows.
pub const LABEL_W: f32 = 118.0;

const TOP: f32 = PAGE_H - MARGIN;
const BOTTOM: f32 = MARGIN + FOOTER_ROOM;

/// One drawing operation on a page (PDF user space, origin bottom left).
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// A line of text whose baseline starts at `(x, y)`.
    Text {
        /// Left edge.
        x: f32,
        /// Baseline.
        y: f32,
        /// Font size in points.
        size: f32,
        /// Gray level (0 black, 1 white).
        gray: f32,
        /// The text.
        text: String,
    },
    /// A horizontal rule.
    Rule {
        /// Left edge.
        x: f32,
        /// Height.
        y: f32,
        /// Length.
        w: f32,
    },
    /// Image `index` drawn at `(x, y)` (bottom left) with size `w`×`h`, clipped to the
    /// rectangle `clip` (`x, y, w, h`).
    Image {
        /// Which image.
        index: usize,
        /// Left edge of the whole image.
        x: f32,
        /// Bottom edge of the whole image.
        y: f32,
        /// Drawn width.
        w: f32,
        /// Drawn height.
        h: f32,
        /// The visible part.
        clip: [f32; 4],
    },
}

/// One page's operations.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// What is drawn, in order.
    pub ops: Vec<Op>,
}

/// The flow: pages so far and where the next line goes.
pub struct Flow<'f> {
    font: &'f Font,
    /// The pages laid out so far.
    pub pages: Vec<Page>,
    y: f32,
}

/// Break `text` into lines no wider than `width` at `size`: at newlines, then between
/// words, and inside a word too long for a line.
pub fn wrap(font: &Font, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    // Line ends of any kind end a line; a tab is a space.
    let text = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\t', " ");
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split(' ') {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if font.width(&candidate, size) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // The word alone: cut it where it overflows.
            for c in word.chars() {
                line.push(c);
                if font.width(&line, size) > width && line.chars().count() > 1 {
                    line.pop();
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                }
            }
        }
        lines.push(line);
    }
    lines
}

impl<'f> Flow<'f> {
    /// An empty flow with one empty page.
    pub fn new(font: &'f Font) -> Self {
        Flow {
            font,
            pages: vec![Page::default()],
            y: TOP,
        }
    }

    /// The font.
    pub fn font(&self) -> &Font {
        self.font
    }

    /// Start a new page (unless the current one is still empty).
    pub fn page_break(&mut self) {
        if self.pages.last().is_some_and(|p| p.ops.is_empty()) {
            self.y = TOP;
            return;
        }
        self.pages.push(Page::default());
        self.y = TOP;
    }

    fn push(&mut self, op: Op) {
        if let Some(p) = self.pages.last_mut() {
            p.ops.push(op);
        }
    }

    /// Make room for `h` points, breaking the page if needed.
    fn need(&mut self, h: f32) {
        if self.y - h < BOTTOM {
            self.page_break();
        }
    }

    /// Vertical space.
    pub fn gap(&mut self, h: f32) {
        self.y -= h;
    }

    /// Wrapped text at `size`, indented by `indent`.
    pub fn text(&mut self, text: &str, size: f32, indent: f32, gray: f32) {
        let leading = size * 1.3;
        for line in wrap(self.font, text, size, TEXT_W - indent) {
            self.need(leading);
            self.y -= leading;
            self.push(Op::Text {
                x: MARGIN + indent,
                y: self.y + size * 0.25,
                size,
                gray,
                text: line,
            });
        }
    }

    /// A label and its wrapped value side by side; lines go on to the next page when needed.
    pub fn row(&mut self, label: &str, value: &str, size: f32) {
        let leading = size * 1.3;
        let labels = wrap(self.font, label, size, LABEL_W - 6.0);
        let values = wrap(self.font, value, size, TEXT_W - LABEL_W);
        for i in 0..labels.len().max(values.len()) {
            self.need(leading);
            self.y -= leading;
            let y = self.y + size * 0.25;
            if let Some(l) = labels.get(i) {
                self.push(Op::Text {
                    x: MARGIN,
                    y,
                    size,
                    gray: 0.35,
                    text: l.clone(),
                });
            }
            if let Some(v) = values.get(i) {
                self.push(Op::Text {
                    x: MARGIN + LABEL_W,
                    y,
                    size,
                    gray: 0.0,
                    text: v.clone(),
                });
            }
        }
    }

    /// Cells of one table line at the given column offsets, each cut to fit its column.
    pub fn table_line(&mut self, cells: &[&str], columns: &[f32], size: f32, gray: f32) {
        let leading = size * 1.35;
        self.need(leading);
        self.y -= leading;
        let y = self.y + size * 0.25;
        for (i, cell) in cells.iter().enumerate() {
            let x = columns.get(i).copied().unwrap_or(0.0);
            let end = columns.get(i + 1).copied().unwrap_or(TEXT_W) - 4.0;
            let text = fit(self.font, cell, size, end - x);
            self.push(Op::Text {
                x: MARGIN + x,
                y,
                size,
                gray,
                text,
            });
        }
    }

    /// A thin horizontal rule across the text column.
    pub fn rule(&mut self) {
        self.need(6.0);
        self.y -= 3.0;
        self.push(Op::Rule {
            x: MARGIN,
            y: self.y,
            w: TEXT_W,
        });
        self.y -= 3.0;
    }

    /// Image `index` of `px_w`×`px_h` pixels, at most the text width and never wider
    /// than 0.75 pt per pixel. Split across pages when taller than a page.
    pub fn image(&mut self, index: usize, px_w: u32, px_h: u32) {
        if px_w == 0 || px_h == 0 {
            return;
        }
        let w = TEXT_W.min(px_w as f32 * 0.75);
        let h = w * px_h as f32 / px_w as f32;
        let full = TOP - BOTTOM;
        if h > self.y - BOTTOM && h <= full {
            self.page_break();
        }
        // `done`: how much of the image's height is already on earlier pages.
        let mut done = 0.0f32;
        loop {
            let room = self.y - BOTTOM;
            if room < 40.0 {
                self.page_break();
                continue;
            }
            let part = (h - done).min(room);
            // The image's top sits `done` above this page's slot top.
            let top = self.y + done;
            self.push(Op::Image {
                index,
                x: MARGIN,
                y: top - h,
                w,
                h,
                clip: [MARGIN, self.y - part, w, part],
            });
            self.y -= part;
            done += part;
            if done >= h - 0.01 {
                break;
            }
            self.page_break();
        }
        self.y -= 4.0;
    }

    /// Add "Page X of Y" and `footer` at the bottom of every page.
    pub fn footers(&mut self, footer: &str) {
        let n = self.pages.len();
        for (i, p) in self.pages.iter_mut().enumerate() {
            let text = format!("Page {} of {n} · {footer}", i + 1);
            let text = fit(self.font, &text, 7.0, TEXT_W);
            p.ops.push(Op::Text {
                x: MARGIN,
                y: MARGIN,
                size: 7.0,
                gray: 0.3,
                text,
            });
        }
    }
}

/// `text` cut (with an ellipsis) to fit `width` at `size`.
pub fn fit(font: &Font, text: &str, size: f32, width: f32) -> String {
    let one_line = text.replace('\n', " ");
    if font.width(&one_line, size) <= width {
        return one_line;
    }
    let mut out = String::new();
    for c in one_line.chars() {
        out.push(c);
        if font.width(&out, size) + font.width("…", size) > width {
            out.pop();
            break;
        }
    }
    out.push('…');
    out
}
