//! The "Add files as evidence" exports: [`crate::import`] (validate a file and build its
//! record metadata; read a photo's EXIF facts).

use super::convert::{from_js, js_error, to_js};
use wasm_bindgen::prelude::*;

/// Validate a file to add `{original_name, media_type, bytes, sha256, last_modified_ms,
/// exif}` at `ctx` (`{entered_at_ms, local_offset_minutes}`, the import time). Returns
/// `{metadata, artifacts, summary}` for a record of kind `import`.
#[wasm_bindgen(js_name = buildImport)]
pub fn build_import(input: JsValue, ctx: JsValue) -> Result<JsValue, JsValue> {
    let input = from_js(input, "file to add")?;
    let ctx = from_js(ctx, "entry context")?;
    to_js(&crate::import::build_import(&input, &ctx).map_err(js_error)?)
}

/// A photo's EXIF facts `{date_time_original, offset_time_original, make, model}` from
/// the first bytes of the file (`exifPrefixBytes()` of them), or `null`.
#[wasm_bindgen(js_name = readExif)]
pub fn read_exif(prefix: &[u8]) -> Result<JsValue, JsValue> {
    to_js(&crate::import::read_exif(prefix))
}

/// How many bytes from the start of a file `readExif` wants.
#[wasm_bindgen(js_name = exifPrefixBytes)]
pub fn exif_prefix_bytes() -> usize {
    crate::import::exif::EXIF_PREFIX
}
