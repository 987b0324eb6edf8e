//! The "Add files as evidence" exports: [`crate::import`] (validate a file and build its
//! record metadata; read a photo's EXIF facts).

use super::convert::{from_js, js_error, to_js, Bytes};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// What `buildImport` answers.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BuiltImportJs {
    metadata: crate::import::ImportMetadata,
    artifacts: Vec<crate::record::ArtifactRef>,
    summary: serde_json::Value,
    metadata_json: Option<Bytes>,
}

/// Validate a file to add `{original_name, media_type, bytes, sha256, last_modified_ms,
/// exif, chat}` at `ctx` (`{entered_at_ms, local_offset_minutes}`, the import time).
/// Returns `{metadata, artifacts, summary, metadataJson}` for a record of kind `import`;
/// `metadataJson` (a Uint8Array, or null) is the parsed thread of a chat export, the
/// record's second artifact.
#[wasm_bindgen(js_name = buildImport)]
pub fn build_import(input: JsValue, ctx: JsValue) -> Result<JsValue, JsValue> {
    let input = from_js(input, "file to add")?;
    let ctx = from_js(ctx, "entry context")?;
    let b = crate::import::build_import(&input, &ctx).map_err(js_error)?;
    to_js(&BuiltImportJs {
        metadata: b.metadata,
        artifacts: b.artifacts,
        summary: b.summary,
        metadata_json: b.metadata_json.map(Bytes),
    })
}

/// A chat export's parsed thread (the `chat` of `buildImport`), or null when the file
/// (`name`, all its `bytes`) is not a WhatsApp `.txt`/`.zip` or Telegram `result.json`.
/// `ctx`: `{local_offset_minutes, month_first_hint, zone_offsets?}` (`zone_offsets`: the
/// table of `extension/shared/zone.js`). Throws when it looks like one but
/// does not read.
#[wasm_bindgen(js_name = readChatFile)]
pub fn read_chat_file(name: &str, bytes: &[u8], ctx: JsValue) -> Result<JsValue, JsValue> {
    let ctx = from_js(ctx, "chat reading context")?;
    let mut src: &[u8] = bytes;
    to_js(&crate::chat_export::read_chat_file(name, &mut src, &ctx).map_err(js_error)?)
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
