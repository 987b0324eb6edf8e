//! The long-capture exports for the library: [`crate::conversation::locate`] (which
//! screen shows a message, and where).

use super::convert::{js_error, to_js};
use wasm_bindgen::prelude::*;

/// The screen that shows the message `key` of a long capture, from the bytes of its
/// `segments.json`: `{screen, artifact, devicePixelRatio, rect, pixels, whole, screens}`
/// (`pixels`: the message's rectangle in that screen's PNG pixels, clipped to the scroll
/// container), or `null` when no stored screen shows it. Throws when the index is unreadable.
#[wasm_bindgen(js_name = locateMessage)]
pub fn locate_message(segments: &[u8], key: &str) -> Result<JsValue, JsValue> {
    let index = crate::conversation::locate::parse_segments(segments).map_err(js_error)?;
    to_js(&crate::conversation::locate::locate(&index, key))
}
