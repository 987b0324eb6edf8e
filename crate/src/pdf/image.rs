//! Screenshots for `report.pdf`: a PNG is decoded (pure-Rust `png` crate) to 8-bit RGB
//! and re-compressed for the PDF's FlateDecode; an alpha channel that is not fully opaque
//! becomes a soft mask. The archive keeps the original PNG byte for byte; the PDF shows
//! its pixels.

use crate::error::{Error, Result};

/// Most pixels decoded for one image (a 4k × 16k stitched conversation is 64 M).
pub const MAX_PIXELS: u64 = 80_000_000;

/// An image ready to embed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// zlib-compressed 8-bit RGB samples.
    pub rgb: Vec<u8>,
    /// zlib-compressed 8-bit alpha samples, when any pixel is not opaque.
    pub alpha: Option<Vec<u8>>,
}

fn bad(why: impl std::fmt::Display) -> Error {
    Error::InvalidInput(format!("the screenshot cannot be shown in the PDF: {why}"))
}

/// Decode `png_bytes` and prepare it for the PDF. Errors are for the PDF to show, never
/// a reason to fail the export (the archive still holds the file).
pub fn from_png(png_bytes: &[u8]) -> Result<PdfImage> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    // 16-bit samples become 8-bit, palettes and gray become RGB(A).
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(bad)?;
    let info = reader.info();
    let (w, h) = (info.width, info.height);
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(bad(format!("it is {w}×{h} pixels, too large")));
    }
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| bad("its size overflows"))?;
    let mut buf = vec![0; size];
    let frame = reader.next_frame(&mut buf).map_err(bad)?;
    let data = &buf[..frame.buffer_size()];
    let (rgb, alpha): (Vec<u8>, Option<Vec<u8>>) = match frame.color_type {
        png::ColorType::Rgb => (data.to_vec(), None),
        png::ColorType::Rgba => {
            let mut rgb = Vec::with_capacity(data.len() / 4 * 3);
            let mut a = Vec::with_capacity(data.len() / 4);
            for px in data.chunks_exact(4) {
                rgb.extend_from_slice(&px[..3]);
                a.push(px[3]);
            }
            let opaque = a.iter().all(|&v| v == 255);
            (rgb, (!opaque).then_some(a))
        }
        png::ColorType::Grayscale => (data.iter().flat_map(|&g| [g, g, g]).collect(), None),
        png::ColorType::GrayscaleAlpha => {
            let rgb = data
                .chunks_exact(2)
                .flat_map(|p| [p[0], p[0], p[0]])
                .collect();
            let a: Vec<u8> = data.chunks_exact(2).map(|p| p[1]).collect();
            let opaque = a.iter().all(|&v| v == 255);
            (rgb, (!opaque).then_some(a))
        }
        png::ColorType::Indexed => return Err(bad("its palette was not expanded")),
    };
    if rgb.len() as u64 != u64::from(w) * u64::from(h) * 3 {
        return Err(bad("its pixel data is truncated"));
    }
    // Level 1: screenshots are large and the PDF must not slow the export much.
    let z = |d: &[u8]| miniz_oxide::deflate::compress_to_vec_zlib(d, 1);
    Ok(PdfImage {
        width: w,
        height: h,
        rgb: z(&rgb),
        alpha: alpha.as_deref().map(z),
    })
}
