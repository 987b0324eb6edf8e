//! Serialising laid-out pages with `pdf-writer`: one Type 0 font (DejaVu Sans, a
//! TrueType subset with only the glyphs used, Identity-H encoding, a ToUnicode map so the
//! text can be searched and copied), the images as XObjects, and the document info.

use super::font::{Font, FONT_BYTES};
use super::image::PdfImage;
use super::layout::{Op, Page, PAGE_H, PAGE_W};
use crate::error::{Error, Result};
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use std::collections::BTreeMap;

/// The document's title and author for the PDF's info dictionary.
pub struct DocInfo<'a> {
    /// Title.
    pub title: &'a str,
    /// Author, when given.
    pub author: Option<&'a str>,
    /// Creator tool.
    pub creator: &'a str,
}

/// Write `pages` (with `images`) as a complete PDF file.
pub fn write_pdf(
    font: &Font,
    pages: &[Page],
    images: &[PdfImage],
    info: &DocInfo<'_>,
) -> Result<Vec<u8>> {
    // Every glyph used, in first-use order, mapped to its subset id.
    let mut remap = subsetter::GlyphRemapper::new();
    let mut to_char: BTreeMap<u16, char> = BTreeMap::new();
    for page in pages {
        for op in &page.ops {
            if let Op::Text { text, .. } = op {
                for c in text.chars() {
                    let g = font.glyph_or_marker(c);
                    let new = remap.remap(g);
                    let shown = if font.glyph(c).is_some() {
                        c
                    } else {
                        super::font::MARKER
                    };
                    to_char.entry(new).or_insert(shown);
                }
            }
        }
    }
    let subset = subsetter::subset(FONT_BYTES, 0, &remap)
        .map_err(|e| Error::InvalidInput(format!("the PDF font could not be subset: {e}")))?;

    let mut next = 1;
    let mut id = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let (catalog, tree, font_id, cid_id, desc_id, file_id, cmap_id, info_id) =
        (id(), id(), id(), id(), id(), id(), id(), id());
    let image_ids: Vec<(Ref, Option<Ref>)> = images
        .iter()
        .map(|im| (id(), im.alpha.as_ref().map(|_| id())))
        .collect();
    let page_ids: Vec<(Ref, Ref)> = pages.iter().map(|_| (id(), id())).collect();

    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().map(|(p, _)| *p))
        .count(pages.len() as i32);
    let mut doc = pdf.document_info(info_id);
    doc.title(TextStr(info.title))
        .creator(TextStr(info.creator));
    if let Some(a) = info.author {
        doc.author(TextStr(a));
    }
    doc.finish();

    // The font.
    let base = Name(b"AAAAAA+DejaVuSans");
    let sysinfo = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    pdf.type0_font(font_id)
        .base_font(base)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_id)
        .to_unicode(cmap_id);
    // Subset glyph `i` is original glyph `remapped_gids()[i]`.
    let widths: Vec<f32> = remap.remapped_gids().map(|old| font.advance(old)).collect();
    let mut cid = pdf.cid_font(cid_id);
    cid.subtype(CidFontType::Type2)
        .base_font(base)
        .system_info(sysinfo)
        .font_descriptor(desc_id)
        .default_width(0.0)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    cid.widths().consecutive(0, widths);
    cid.finish();
    let (ascent, descent, cap, bbox) = font.metrics();
    pdf.font_descriptor(desc_id)
        .name(base)
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(bbox[0], bbox[1], bbox[2], bbox[3]))
        .italic_angle(0.0)
        .ascent(ascent)
        .descent(descent)
        .cap_height(cap)
        .stem_v(80.0)
        .font_file2(file_id);
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(&subset, 6);
    pdf.stream(file_id, &packed).filter(Filter::FlateDecode);
    let mut cmap = UnicodeCmap::new(Name(b"Custom"), sysinfo);
    for (g, c) in &to_char {
        cmap.pair(*g, *c);
    }
    pdf.cmap(cmap_id, &cmap.finish());

    // The images.
    for (im, (rid, sid)) in images.iter().zip(&image_ids) {
        let mut x = pdf.image_xobject(*rid, &im.rgb);
        x.filter(Filter::FlateDecode);
        x.width(im.width as i32)
            .height(im.height as i32)
            .bits_per_component(8);
        x.color_space().device_rgb();
        if let Some(s) = sid {
            x.s_mask(*s);
        }
        x.finish();
        if let (Some(s), Some(a)) = (sid, &im.alpha) {
            let mut m = pdf.image_xobject(*s, a);
            m.filter(Filter::FlateDecode);
            m.width(im.width as i32)
                .height(im.height as i32)
                .bits_per_component(8);
            m.color_space().device_gray();
        }
    }

    // The pages.
    for (page, (pid, cid)) in pages.iter().zip(&page_ids) {
        let mut c = Content::new();
        let mut used: Vec<usize> = Vec::new();
        for op in &page.ops {
            match op {
                Op::Text {
                    x,
                    y,
                    size,
                    gray,
                    text,
                } => {
                    let mut bytes = Vec::with_capacity(text.len() * 2);
                    for ch in text.chars() {
                        let g = remap.get(font.glyph_or_marker(ch)).unwrap_or(0);
                        bytes.extend_from_slice(&g.to_be_bytes());
                    }
                    c.set_fill_gray(*gray);
                    c.begin_text();
                    c.set_font(Name(b"F1"), *size);
                    c.next_line(*x, *y);
                    c.show(Str(&bytes));
                    c.end_text();
                }
                Op::Rule { x, y, w } => {
                    c.set_stroke_gray(0.6);
                    c.set_line_width(0.5);
                    c.move_to(*x, *y);
                    c.line_to(x + w, *y);
                    c.stroke();
                }
                Op::Image {
                    index,
                    x,
                    y,
                    w,
                    h,
                    clip,
                } => {
                    if *index >= images.len() {
                        continue;
                    }
                    if !used.contains(index) {
                        used.push(*index);
                    }
                    c.save_state();
                    c.rect(clip[0], clip[1], clip[2], clip[3]);
                    c.clip_nonzero();
                    c.end_path();
                    c.transform([*w, 0.0, 0.0, *h, *x, *y]);
                    c.x_object(Name(format!("Im{index}").as_bytes()));
                    c.restore_state();
                }
            }
        }
        let stream = miniz_oxide::deflate::compress_to_vec_zlib(&c.finish(), 6);
        pdf.stream(*cid, &stream).filter(Filter::FlateDecode);
        let mut p = pdf.page(*pid);
        p.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H))
            .parent(tree)
            .contents(*cid);
        let mut res = p.resources();
        res.fonts().pair(Name(b"F1"), font_id);
        if !used.is_empty() {
            let mut xo = res.x_objects();
            for i in &used {
                let name = format!("Im{i}");
                xo.pair(Name(name.as_bytes()), image_ids[*i].0);
            }
        }
    }
    Ok(pdf.finish())
}
