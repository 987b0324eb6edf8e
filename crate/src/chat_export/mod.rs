//! Chat exports from the phone, parsed into a small conversation model: WhatsApp's
//! "Export chat" (`.txt`, or the `.zip` with its media; Android and iOS; 12- and 24-hour,
//! day-first and month-first) and Telegram Desktop's JSON export (`result.json`).
//!
//! The messages are the one conversation model of [`crate::thread`]
//! ([`ThreadMessage`]: author, author id, time, text, attachments, system line), the same
//! a captured conversation reads into; `metadata.json` keeps its stored shape
//! (`evidence-chat-export/1`, see [`crate::thread::stored`]). Times in a WhatsApp export are the phone's local clock with no zone:
//! they are read in the caller's zone (the offset at each message's date, see
//! [`crate::zone`]; or one fixed offset when no zone table is given) and flagged
//! approximate. Hostile input gives an error, never a panic.

pub mod record;
pub mod telegram;
mod time;
pub mod whatsapp;

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

pub use crate::thread::{Attachment, MessageTime, ThreadMessage};
pub use record::{read_chat_file, ChatDocument, ConversationSummary, CHAT_FORMAT};

/// Largest export text parsed (a WhatsApp `.txt` or Telegram `result.json`).
pub const MAX_EXPORT_BYTES: usize = 64 << 20;
/// Most messages kept from one export.
pub const MAX_MESSAGES: usize = 200_000;

/// A parsed export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatExport {
    /// `whatsapp` or `telegram`.
    pub source: String,
    /// The form detected (`android`, `ios`, `desktop-json`), with the clock and date order.
    pub form: String,
    /// The chat's name, when the export gives it.
    pub title: Option<String>,
    /// The messages, in the export's order (stored in the chat export's own shape).
    #[serde(with = "crate::thread::stored::chat_messages")]
    pub messages: Vec<ThreadMessage>,
    /// Things the reader should know (an ambiguous date order, lines not understood).
    pub notes: Vec<String>,
}

/// How to read an export's local times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadContext {
    /// The offset to read local times in (the user's at import), minutes east of UTC;
    /// used only when no `zone_offsets` are given.
    pub local_offset_minutes: i32,
    /// The user's zone over the years (`extension/shared/zone.js`): each local time is
    /// read in the offset of its own date. Absent in older callers.
    #[serde(default)]
    pub zone_offsets: Option<crate::zone::ZoneOffsets>,
    /// For dates such as 03/04/26 that read both ways: true when the user's locale writes
    /// the month first.
    #[serde(default)]
    pub month_first_hint: bool,
}

/// Parse an export whose kind is told by its name and first bytes: a Telegram
/// `result.json`, or WhatsApp text. (A WhatsApp `.zip` is opened by the caller, which
/// passes its chat text here with the names of the media in the archive.)
pub fn parse_export(
    name: &str,
    bytes: &[u8],
    media: &[String],
    ctx: &ReadContext,
) -> Result<ChatExport> {
    if bytes.len() > MAX_EXPORT_BYTES {
        return Err(Error::InvalidInput(format!(
            "the chat export is {} bytes; at most {MAX_EXPORT_BYTES} are read",
            bytes.len()
        )));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| Error::InvalidInput("the chat export is not UTF-8 text".into()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if name.to_ascii_lowercase().ends_with(".json") || text.trim_start().starts_with('{') {
        return telegram::parse(text, ctx);
    }
    whatsapp::parse(text, media, ctx)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) mod tests;
