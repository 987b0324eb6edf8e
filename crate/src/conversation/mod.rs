//! Long captures: a whole conversation (an inner scroll container swept from its older
//! end to its newest) or a whole page (the document swept top to bottom).
//!
//! The extension's content script reads the messages on screen at each step, with their
//! rectangles, and the worker takes one screen per step. This module turns those steps
//! into one record's documents:
//!
//! - [`merge`]: the ordered merge and de-duplication of the per-step lists, with the
//!   "changed during capture" and "disappeared during capture" marks;
//! - [`chat_time`]: message times from day separators and times of day;
//! - [`build`]: `metadata.json` (every message in conversation order, with its stable key,
//!   author identifier and marks) and the segment index (`segments.json`: per screen, its
//!   scroll offset, the container's rectangle, the device pixel ratio and which messages
//!   it shows where);
//! - [`locate`]: which screen shows a given message, and where (for the library);
//! - [`times`]: one step's message times, for the "how far back" limit.

pub mod build;
pub mod chat_time;
pub mod locate;
pub mod merge;
pub mod times;

pub use build::{build, BuiltConversation};

use serde::{Deserialize, Serialize};

/// Format identifier of `segments.json`.
pub const SEGMENTS_FORMAT: &str = "evidence-capture-segments/1";

/// The artifact name of the segment index.
pub const SEGMENTS_ARTIFACT: &str = "segments.json";

/// Mark: the text differed between two screens.
pub const CHANGED: &str = "changed_during_capture";

/// Mark: a later screen no longer showed it, between messages it did show.
pub const DISAPPEARED: &str = "disappeared_during_capture";

/// A rectangle in CSS pixels, relative to the viewport when the screen was taken.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

/// The limits a long capture ran with.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    /// Stop after this many messages.
    pub max_messages: Option<u32>,
    /// Stop after this many minutes.
    pub max_minutes: Option<u32>,
    /// Do not go further back than this date (`YYYY-MM-DD`, local).
    pub back_to: Option<String>,
}

/// Someone the conversation is with (or the user's own account), by stable identifier
/// where the page shows one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Participant {
    /// Display name as first seen.
    pub name: Option<String>,
    /// Canonical handle.
    pub handle: Option<String>,
    /// Stable account identifier.
    pub author_id: Option<String>,
    /// How many messages are theirs.
    pub messages: u32,
}

/// How a long capture ran, in `metadata.json` (`conversation`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConversationFacts {
    /// False when it stopped early (cancelled, the user scrolled, a limit).
    pub complete: bool,
    /// Why it stopped early, in plain words.
    pub stop_reason: Option<String>,
    /// Whether the older end of the list was reached.
    pub older_end_reached: bool,
    /// The limits it ran with.
    pub limits: Limits,
    /// How many screens were taken.
    pub screens: u32,
    /// Messages whose text changed between screens.
    pub changed: u32,
    /// Messages that disappeared during the capture.
    pub disappeared: u32,
    /// Who wrote, in order of first message.
    pub participants: Vec<Participant>,
    /// The segment index artifact ([`SEGMENTS_ARTIFACT`]).
    pub segment_index: String,
    /// The stitched image artifacts, top to bottom.
    pub stitched: Vec<String>,
}

/// One message as one step read it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StepMessage {
    /// The raw facts, as for a one-screen capture.
    #[serde(flatten)]
    pub raw: crate::normalize::RawMessage,
    /// The stable account identifier the page shows, raw.
    pub author_id: Option<String>,
    /// The day separator above it, raw.
    pub day_label: Option<String>,
    /// Where it was on screen.
    pub rect: Rect,
}

/// One step of the sweep: one screen and the messages on it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Step {
    /// The screen's artifact name (`screen-001.png`), when one was taken.
    pub screen: Option<String>,
    /// The container's scroll offset, CSS pixels.
    pub scroll_x: f64,
    /// The container's vertical scroll offset, CSS pixels.
    pub scroll_y: f64,
    /// The container's rectangle in the viewport.
    pub container: Rect,
    /// Device pixel ratio.
    pub device_pixel_ratio: f64,
    /// When the screen was taken (ms since the epoch, the worker's clock).
    pub taken_at_ms: Option<i64>,
    /// The messages on screen, in order.
    pub messages: Vec<StepMessage>,
}

/// One piece of the stitched image.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StitchedPart {
    /// Its artifact name.
    pub artifact: String,
    /// Where it starts in the container's content, CSS pixels from the first screen's top.
    pub content_y: f64,
    /// Pixel width.
    pub width: u32,
    /// Pixel height.
    pub height: u32,
}

/// What the worker reports about a long capture.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LongCaptureInput {
    /// `conversation` or `page`.
    pub scope: String,
    /// The steps, in sweep order.
    pub steps: Vec<Step>,
    /// The stitched image pieces.
    pub stitched: Vec<StitchedPart>,
    /// False when it stopped early.
    pub complete: bool,
    /// Why it stopped early.
    pub stop_reason: Option<String>,
    /// Whether the older end was reached.
    pub older_end_reached: bool,
    /// The limits it ran with.
    pub limits: Limits,
    /// The capture's zone over the years (`extension/shared/zone.js`), so that a time of
    /// day under a day separator is read in the offset of that day. Absent in older callers.
    pub zone_offsets: Option<crate::zone::ZoneOffsets>,
}

/// A message's place on one screen, in the segment index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentMessage {
    /// The message's key in `metadata.json`.
    pub key: String,
    /// Its rectangle on that screen (CSS pixels; multiply by the ratio for PNG pixels).
    pub rect: Rect,
}

/// One screen of the segment index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// Its position in the sweep, from 0.
    pub index: u32,
    /// The PNG artifact, when the screen was taken.
    pub artifact: Option<String>,
    /// The container's scroll offset (CSS pixels).
    pub scroll_x: f64,
    /// The container's vertical scroll offset (CSS pixels).
    pub scroll_y: f64,
    /// The container's rectangle in the viewport (CSS pixels).
    pub container: Rect,
    /// Device pixel ratio: PNG pixels per CSS pixel.
    pub device_pixel_ratio: f64,
    /// When it was taken, ms since the epoch.
    pub taken_at_ms: Option<i64>,
    /// The messages it shows.
    pub messages: Vec<SegmentMessage>,
}

/// `segments.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentIndex {
    /// Always [`SEGMENTS_FORMAT`].
    pub format: String,
    /// `conversation` or `page`.
    pub scope: String,
    /// Every screen, in sweep order.
    pub screens: Vec<Segment>,
    /// The stitched image pieces.
    pub stitched: Vec<StitchedPart>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod page_tests;
