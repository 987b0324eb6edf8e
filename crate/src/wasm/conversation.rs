//! The long-capture exports for the library: [`crate::conversation::locate`] (which
//! screen shows a message, and where); [`crate::conversation::times`] for the sweep.

use super::convert::{from_js, js_error, to_js, to_js_camel};
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

/// The times (ms since the epoch, or `null`) of one sweep step's `messages` (as the page side
/// reads them), in the capture context `ctx` (`{captured_at_ms, local_offset_minutes,
/// tab_url}`): machine-readable times, else chat times resolved from day separators, in
/// `zone` (the table of `extension/shared/zone.js`; `undefined` or `null`: the one offset).
#[wasm_bindgen(js_name = stepMessageTimes)]
pub fn step_message_times(
    messages: JsValue,
    ctx: JsValue,
    zone: JsValue,
) -> Result<JsValue, JsValue> {
    let messages: Vec<crate::conversation::StepMessage> = from_js(messages, "step messages")?;
    let ctx = from_js(ctx, "capture context")?;
    let zone: Option<crate::zone::ZoneOffsets> = from_js(zone, "time-zone table")?;
    to_js(
        &crate::conversation::times::step_times(&messages, &ctx, zone.as_ref())
            .map_err(js_error)?,
    )
}

/// The thread of a stored `metadata.json` (its bytes) in the one conversation model
/// ([`crate::thread::Thread`], keys in camelCase: `{kind, source, title, notes, capture,
/// messages}`, each message `{author, handle, authorId, time: {utcMs, offsetMinutes,
/// approximate, shown}, text, attachments, system, key, screens, edits, marks, permalink,
/// profileUrl, idTimeMs, visible}`): a chat export's, a whole conversation's or page's, or a
/// one-screen capture's; `null` for any other document. Throws when it does not read.
#[wasm_bindgen(js_name = readThread)]
pub fn read_thread(metadata: &[u8]) -> Result<JsValue, JsValue> {
    to_js_camel(&crate::thread::read_bytes(metadata).map_err(js_error)?)
}
