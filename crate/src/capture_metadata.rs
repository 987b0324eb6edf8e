//! The typed `metadata.json` of a capture: what the page showed, when and how it was
//! captured, in which browser, and the normalised messages.
//!
//! Like the record metadata ([`crate::metadata`]), [`CaptureMetadata::to_json_bytes`]
//! serialises through a `serde_json::Value`, so its keys come out sorted exactly as the `json!`-built
//! documents of earlier builds: the same input gives the same bytes and hash. Reading is
//! lenient: a missing key takes its empty value and unknown keys are kept in `extra`, so
//! documents from other writers still read.

use crate::error::{Error, Result};
use crate::normalize::Message;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Format identifier of `metadata.json`.
pub const METADATA_FORMAT: &str = "evidence-capture-metadata/1";

/// A capture's `metadata.json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CaptureMetadata {
    /// How each artifact was produced.
    pub artifacts: ArtifactMethods,
    /// When and how the capture was made.
    pub capture: CaptureTime,
    /// The browser and the page's viewport.
    pub environment: Environment,
    /// Always [`METADATA_FORMAT`].
    pub format: String,
    /// The messages read from the page, in page order.
    pub messages: Vec<CaptureMessage>,
    /// Messages seen outside the viewport (not kept).
    pub messages_offscreen: u64,
    /// Parts that could not be captured, with the reason.
    pub missing: Vec<String>,
    /// What the page said about itself.
    pub page: PageFacts,
    /// Platform key (`x`, `generic`, ...).
    pub platform: String,
    /// Promoted posts left out.
    pub skipped_promoted: u64,
    /// What was captured: `screen` (absent: a one-screen capture, as every record before
    /// scopes existed), `conversation` or `page`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// For a conversation or page capture: how it ran and who it is with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conversation: Option<crate::conversation::ConversationFacts>,
    /// Keys this build does not know, kept as read.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CaptureMetadata {
    /// The bytes of `metadata.json`: pretty JSON with every object's keys sorted, as the
    /// `json!`-built documents of earlier builds.
    pub fn to_json_bytes(&self) -> Result<Vec<u8>> {
        let bad =
            |e: serde_json::Error| Error::InvalidInput(format!("metadata does not serialise: {e}"));
        serde_json::to_vec_pretty(&serde_json::to_value(self).map_err(bad)?).map_err(bad)
    }

    /// Read `metadata.json` bytes.
    pub fn parse(bytes: &[u8]) -> Result<CaptureMetadata> {
        serde_json::from_slice(bytes)
            .map_err(|e| Error::InvalidInput(format!("metadata.json does not read: {e}")))
    }
}

/// How the screenshot and the page snapshot were produced.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ArtifactMethods {
    /// The screenshot.
    pub screenshot: ScreenshotInfo,
    /// The page snapshot (MHTML).
    pub snapshot: SnapshotInfo,
}

/// The screenshot's source API and pixel size.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScreenshotInfo {
    /// Pixel height as decoded from the PNG.
    pub height: Option<u32>,
    /// The API, e.g. `tabs.captureVisibleTab`.
    pub method: Option<String>,
    /// Pixel width.
    pub width: Option<u32>,
}

/// The page snapshot's source API.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SnapshotInfo {
    /// The API, e.g. `pageCapture.saveAsMHTML`.
    pub method: Option<String>,
}

/// When the capture was made, and what started it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CaptureTime {
    /// The user's offset, minutes east of UTC.
    pub local_offset_minutes: i32,
    /// Local time, RFC 3339 with the offset and milliseconds.
    pub local_time: String,
    /// IANA zone name, when known.
    pub time_zone: Option<String>,
    /// `popup`, `shortcut`, `context-menu`, `api`.
    pub trigger: String,
    /// UTC, RFC 3339 with milliseconds and `Z`.
    pub utc: String,
}

/// The browser and the page's geometry at capture.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Environment {
    /// Browser name.
    pub browser: Option<String>,
    /// Browser version.
    pub browser_version: Option<String>,
    /// Device pixel ratio.
    pub device_pixel_ratio: Option<f64>,
    /// The document's full size in CSS pixels.
    pub document_size: Option<Size>,
    /// The extension's version.
    pub extension_version: Option<String>,
    /// The browser's language.
    pub language: Option<String>,
    /// Scroll position in CSS pixels.
    pub scroll: Option<ScrollOffset>,
    /// User agent string.
    pub user_agent: Option<String>,
    /// Viewport size in CSS pixels.
    pub viewport: Option<Size>,
}

/// A width and height (either may be unknown).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Size {
    /// Height.
    pub height: Option<f64>,
    /// Width.
    pub width: Option<f64>,
}

/// A scroll position (either may be unknown).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScrollOffset {
    /// Horizontal.
    pub x: Option<f64>,
    /// Vertical.
    pub y: Option<f64>,
}

/// What the page said about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PageFacts {
    /// `article:*` meta tags.
    pub article: BTreeMap<String, String>,
    /// The canonical URL, absolute.
    pub canonical_url: Option<String>,
    /// The description meta tag.
    pub description: Option<String>,
    /// The URL the page reported (after redirects), else the tab's.
    pub final_url: String,
    /// The page's language.
    pub lang: Option<String>,
    /// Open Graph meta tags.
    pub og: BTreeMap<String, String>,
    /// `og:site_name`.
    pub site_name: Option<String>,
    /// The page title (else the tab's).
    pub title: Option<String>,
    /// `twitter:*` meta tags.
    pub twitter: BTreeMap<String, String>,
    /// The tab's URL.
    pub url: String,
}

/// A normalised message and whether it was on screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaptureMessage {
    /// The message.
    #[serde(flatten)]
    pub message: Message,
    /// False when it was in the page but scrolled out of view.
    #[serde(default = "visible_default")]
    pub visible: bool,
    /// Conversation captures: what the capture learnt about this message across its
    /// screens (absent in one-screen captures, whose bytes are unchanged).
    #[serde(flatten)]
    pub thread: ThreadFacts,
}

/// What a long (conversation or page) capture adds to each message. Every field is left
/// out when empty, so one-screen captures serialise exactly as before.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ThreadFacts {
    /// The stable key the merge used: `id:…`, `link:…` or `fp:…` (a fingerprint of
    /// author, time and text), as in the segment index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The author's stable account identifier on the platform, where the page shows one
    /// (Discord user id, WhatsApp phone number, X handle, profile id, account URL).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author_id: Option<String>,
    /// The day separator the message stood under ("Today", "Monday", "20/11/2026").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub day_label: Option<String>,
    /// The UTC offset (minutes east) used to resolve a chat time from its day separator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_offset_minutes: Option<i32>,
    /// `changed_during_capture`, `disappeared_during_capture`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub marks: Vec<String>,
    /// Later versions of the text seen during the capture, in the order seen (the first
    /// version is `text`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub edits: Vec<String>,
    /// Indexes of the screens (segment index order) the message appears on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub screens: Vec<u32>,
}

fn visible_default() -> bool {
    true
}
