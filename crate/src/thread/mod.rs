//! The one conversation model (issue 14): a thread of messages with author, author
//! identifier, time, text and attachments, whether it came from a chat export (WhatsApp,
//! Telegram; [`crate::chat_export`]) or from a captured conversation or page
//! ([`crate::conversation`]).
//!
//! - The chat-export parsers produce [`ThreadMessage`]s; `metadata.json` of a chat export
//!   stores them in its own shape (`evidence-chat-export/1`, unchanged; see [`stored`]).
//! - [`read`] is the one reader: it takes either stored document, a chat export's
//!   `metadata.json` or a capture's (`evidence-capture-metadata/1`: a whole conversation
//!   or page, or one screen), into a [`Thread`].
//! - [`html`] is the one writer of the thread for `report.html`; the library gets the same
//!   [`Thread`] through the core (`readThread`).
//!
//! Times are milliseconds since the epoch (UTC) in the model; the stored documents keep
//! their own text forms (a chat export to the second, a capture to the millisecond), which
//! are converted at the edges ([`MessageTime::utc_text`]).

/// The one writer: the thread as `report.html` prints it.
pub mod html;
/// The stored shapes and the one reader.
pub mod stored;

/// The one reader, from a parsed or a raw `metadata.json`.
pub use stored::{read, read_bytes};

use chrono::{DateTime, SecondsFormat};
use serde::{Deserialize, Serialize};

/// Where a thread came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThreadKind {
    /// An imported chat export (`metadata.json` of format `evidence-chat-export/1`).
    ChatExport,
    /// A captured whole conversation (a long capture of scope `conversation`).
    Conversation,
    /// A captured whole page (a long capture of scope `page`).
    Page,
    /// The messages on one screen (a one-screen capture).
    Screen,
}

impl ThreadKind {
    /// How precisely the stored documents of this kind write a time: a chat export to the
    /// second, a capture to the millisecond.
    pub fn time_precision(self) -> SecondsFormat {
        match self {
            ThreadKind::ChatExport => SecondsFormat::Secs,
            ThreadKind::Conversation | ThreadKind::Page | ThreadKind::Screen => {
                SecondsFormat::Millis
            }
        }
    }
}

/// When a message was sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageTime {
    /// The instant, milliseconds since the epoch (UTC); `None` when no time was found.
    pub utc_ms: Option<i64>,
    /// The offset the local time was read in, minutes east of UTC, when one was used.
    pub offset_minutes: Option<i32>,
    /// True when the time is not exact: the zone was assumed (a WhatsApp export), the
    /// date is relative ("Yesterday") or ambiguous, or the time is known only to the minute.
    pub approximate: bool,
    /// The time exactly as the export or page showed it.
    pub shown: Option<String>,
}

impl MessageTime {
    /// The instant as RFC 3339 UTC with `Z`, to the given precision (`None` without a time
    /// or out of range).
    pub fn utc_text(&self, precision: SecondsFormat) -> Option<String> {
        utc_text(self.utc_ms?, precision)
    }
}

/// Milliseconds since the epoch as RFC 3339 UTC with `Z`, to the given precision (`None`
/// out of range).
pub fn utc_text(ms: i64, precision: SecondsFormat) -> Option<String> {
    let t = DateTime::from_timestamp_millis(ms)?;
    Some(t.to_rfc3339_opts(precision, true))
}

/// Milliseconds since the epoch of an RFC 3339 time (`None` when it does not read).
pub fn parse_utc_ms(s: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.timestamp_millis())
}

/// A file a message refers to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// The file name in the export (e.g. `IMG-20261128-WA0001.jpg`), or "" when the
    /// export left the media out.
    pub name: String,
    /// The export left the media out ("<Media omitted>").
    pub omitted: bool,
    /// The kind the export names (Telegram's `media_type`, `photo`), when it names one.
    pub kind: Option<String>,
}

/// One message of a thread.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadMessage {
    /// The sender's name as shown; `None` for a system line without one, or when the page
    /// showed none.
    pub author: Option<String>,
    /// Captures: the sender's canonical handle ("@name", "u/name"), when the page shows one.
    pub handle: Option<String>,
    /// The sender's stable identifier, when there is one (Telegram `user123`; a WhatsApp
    /// sender shown as a phone number; a captured page's account id, handle or profile URL).
    pub author_id: Option<String>,
    /// When it was sent.
    pub time: MessageTime,
    /// The text (lines kept; attachment markers taken out).
    pub text: String,
    /// Files it refers to (chat exports).
    pub attachments: Vec<Attachment>,
    /// A system line ("Messages and calls are end-to-end encrypted", "X joined").
    pub system: bool,
    /// Captures: the stable key the merge used, as in the segment index (`segments.json`).
    pub key: Option<String>,
    /// Captures: the screens (segment index order) the message appears on.
    pub screens: Vec<u32>,
    /// Captures: later versions of the text seen during the capture, in the order seen.
    pub edits: Vec<String>,
    /// Captures: `changed_during_capture`, `disappeared_during_capture`.
    pub marks: Vec<String>,
    /// Captures: the message's permalink.
    pub permalink: Option<String>,
    /// Captures: the author's profile address, when the page links one.
    pub profile_url: Option<String>,
    /// Captures: the creation time encoded in the platform's id (a snowflake), ms since
    /// the epoch (UTC).
    pub id_time_ms: Option<i64>,
    /// Captures: false when it was in the page but on no screen.
    pub visible: bool,
}

/// A thread: the messages in order, and what the source says about them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Thread {
    /// Where it came from.
    pub kind: ThreadKind,
    /// Chat exports: `whatsapp` or `telegram`.
    pub source: Option<String>,
    /// The chat's name, when the source gives it.
    pub title: Option<String>,
    /// Things the reader should know (an ambiguous date order, lines not understood).
    pub notes: Vec<String>,
    /// Captures: how the capture ran and who wrote.
    pub capture: Option<crate::conversation::ConversationFacts>,
    /// The messages, in conversation order.
    pub messages: Vec<ThreadMessage>,
}

/// Everyone who wrote (not system lines), by name, in order of first message; at most
/// `limit` names.
pub fn authors(messages: &[ThreadMessage], limit: usize) -> Vec<String> {
    let mut authors: Vec<String> = Vec::new();
    for m in messages {
        if let (Some(a), false) = (&m.author, m.system) {
            if !authors.contains(a) && authors.len() < limit {
                authors.push(a.clone());
            }
        }
    }
    authors
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
