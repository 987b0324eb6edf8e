//! The stored shapes of a thread, and the one reader that takes either into a [`Thread`]:
//!
//! - a chat export's `metadata.json` (`evidence-chat-export/1`): each message is
//!   `{author, author_id, time: {utc, offset_minutes, approximate, shown}, text,
//!   attachments, system}`, `utc` to the second. [`chat_messages`] writes and reads it, so
//!   a new import writes the same bytes as before the model was unified;
//! - a long capture's `metadata.json` (`evidence-capture-metadata/1`, scope
//!   `conversation` or `page`): each message is a normalised message (`author: {name,
//!   handle, profile_url}`, `time: {utc, shown, approximate, ...}`, `text`, `permalink`)
//!   with what the capture learnt across its screens (`key`, `author_id`, `edits`,
//!   `marks`, `screens`, `visible`). Read leniently: a missing key takes its empty value,
//!   as the report always did.

use super::{parse_utc_ms, Attachment, MessageTime, Thread, ThreadKind, ThreadMessage};
use crate::capture_metadata::METADATA_FORMAT;
use crate::chat_export::CHAT_FORMAT;
use crate::conversation::ConversationFacts;
use crate::error::{Error, Result};
use chrono::SecondsFormat;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// A chat export's message as `metadata.json` stores it.
#[derive(Serialize, Deserialize)]
struct ChatStored {
    author: Option<String>,
    author_id: Option<String>,
    time: ChatStoredTime,
    text: String,
    attachments: Vec<Attachment>,
    system: bool,
}

/// A chat export's time as stored: UTC to the second, the offset it was read in.
#[derive(Serialize, Deserialize)]
struct ChatStoredTime {
    utc: String,
    offset_minutes: i32,
    approximate: bool,
    shown: String,
}

impl ChatStored {
    fn of(m: &ThreadMessage) -> std::result::Result<ChatStored, String> {
        Ok(ChatStored {
            author: m.author.clone(),
            author_id: m.author_id.clone(),
            time: ChatStoredTime {
                utc: m
                    .time
                    .utc_text(SecondsFormat::Secs)
                    .ok_or("a chat message has no time")?,
                offset_minutes: m.time.offset_minutes.unwrap_or(0),
                approximate: m.time.approximate,
                shown: m.time.shown.clone().unwrap_or_default(),
            },
            text: m.text.clone(),
            attachments: m.attachments.clone(),
            system: m.system,
        })
    }

    fn into_message(self) -> std::result::Result<ThreadMessage, String> {
        let utc_ms = parse_utc_ms(&self.time.utc)
            .ok_or_else(|| format!("a message time {:?} is not RFC 3339", self.time.utc))?;
        Ok(ThreadMessage {
            author: self.author,
            author_id: self.author_id,
            time: MessageTime {
                utc_ms: Some(utc_ms),
                offset_minutes: Some(self.time.offset_minutes),
                approximate: self.time.approximate,
                shown: Some(self.time.shown),
            },
            text: self.text,
            attachments: self.attachments,
            system: self.system,
            visible: true,
            ..ThreadMessage::default()
        })
    }
}

/// `#[serde(with = "chat_messages")]`: a chat export's messages in their stored shape.
pub mod chat_messages {
    use super::*;

    /// Write the messages as a chat export's `metadata.json` stores them.
    pub fn serialize<S: Serializer>(
        messages: &[ThreadMessage],
        s: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        let stored = messages
            .iter()
            .map(ChatStored::of)
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(serde::ser::Error::custom)?;
        stored.serialize(s)
    }

    /// Read the messages of a chat export's `metadata.json`.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> std::result::Result<Vec<ThreadMessage>, D::Error> {
        Vec::<ChatStored>::deserialize(d)?
            .into_iter()
            .map(ChatStored::into_message)
            .collect::<std::result::Result<_, _>>()
            .map_err(serde::de::Error::custom)
    }
}

/// The parts of a chat export's `metadata.json` that make its thread.
#[derive(Deserialize)]
struct ChatDoc {
    source: String,
    title: Option<String>,
    #[serde(with = "chat_messages")]
    messages: Vec<ThreadMessage>,
    notes: Vec<String>,
}

/// The parts of a long capture's `metadata.json` that make its thread.
#[derive(Default, Deserialize)]
#[serde(default)]
struct CaptureDoc {
    conversation: ConversationFacts,
    messages: Vec<CaptureStored>,
}

/// A captured message as stored (leniently read).
#[derive(Deserialize)]
#[serde(default)]
struct CaptureStored {
    author: CaptureAuthor,
    author_id: Option<String>,
    text: Option<String>,
    time: CaptureTime,
    permalink: Option<String>,
    id_time_utc: Option<String>,
    key: Option<String>,
    time_offset_minutes: Option<i32>,
    edits: Vec<String>,
    marks: Vec<String>,
    screens: Vec<u32>,
    visible: bool,
}

impl Default for CaptureStored {
    fn default() -> Self {
        CaptureStored {
            author: CaptureAuthor::default(),
            author_id: None,
            text: None,
            time: CaptureTime::default(),
            permalink: None,
            id_time_utc: None,
            key: None,
            time_offset_minutes: None,
            edits: Vec::new(),
            marks: Vec::new(),
            screens: Vec::new(),
            visible: true,
        }
    }
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct CaptureAuthor {
    name: Option<String>,
    handle: Option<String>,
    profile_url: Option<String>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct CaptureTime {
    utc: Option<String>,
    shown: Option<String>,
    approximate: bool,
}

impl CaptureStored {
    fn into_message(self) -> ThreadMessage {
        ThreadMessage {
            author: self.author.name,
            handle: self.author.handle,
            author_id: self.author_id,
            time: MessageTime {
                utc_ms: self.time.utc.as_deref().and_then(parse_utc_ms),
                offset_minutes: self.time_offset_minutes,
                approximate: self.time.approximate,
                shown: self.time.shown,
            },
            text: self.text.unwrap_or_default(),
            attachments: Vec::new(),
            system: false,
            key: self.key,
            screens: self.screens,
            edits: self.edits,
            marks: self.marks,
            permalink: self.permalink,
            profile_url: self.author.profile_url,
            id_time_ms: self.id_time_utc.as_deref().and_then(parse_utc_ms),
            visible: self.visible,
        }
    }
}

/// Which document a `metadata.json` is.
#[derive(Default, Deserialize)]
#[serde(default)]
struct Probe {
    format: Option<String>,
    scope: Option<String>,
}

/// The thread of a stored `metadata.json`: a chat export's, or a capture's (a whole
/// conversation or page, or the messages of one screen: a capture document without a
/// scope, as every one before scopes existed). `None` for any other document.
pub fn read(doc: &Value) -> Result<Option<Thread>> {
    let bad = |e: serde_json::Error| Error::InvalidInput(format!("the thread does not read: {e}"));
    let probe = Probe::deserialize(doc).unwrap_or_default();
    if probe.format.as_deref() == Some(CHAT_FORMAT) {
        let d = ChatDoc::deserialize(doc).map_err(bad)?;
        return Ok(Some(Thread {
            kind: ThreadKind::ChatExport,
            source: Some(d.source),
            title: d.title,
            notes: d.notes,
            capture: None,
            messages: d.messages,
        }));
    }
    if probe
        .format
        .as_deref()
        .is_some_and(|f| f != METADATA_FORMAT)
    {
        return Ok(None);
    }
    let kind = match probe.scope.as_deref() {
        Some("conversation") => ThreadKind::Conversation,
        Some("page") => ThreadKind::Page,
        None | Some("screen") => ThreadKind::Screen,
        Some(_) => return Ok(None),
    };
    let d = CaptureDoc::deserialize(doc).map_err(bad)?;
    Ok(Some(Thread {
        kind,
        source: None,
        title: None,
        notes: Vec::new(),
        capture: (kind != ThreadKind::Screen).then_some(d.conversation),
        messages: d
            .messages
            .into_iter()
            .map(CaptureStored::into_message)
            .collect(),
    }))
}

/// [`read`] from the bytes of `metadata.json`.
pub fn read_bytes(bytes: &[u8]) -> Result<Option<Thread>> {
    let doc: Value = serde_json::from_slice(bytes)
        .map_err(|e| Error::InvalidInput(format!("metadata.json does not read: {e}")))?;
    read(&doc)
}
