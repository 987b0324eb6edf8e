//! A chat export as evidence: the `metadata.json` document that holds its parsed thread,
//! the summary the record keeps, and the `.zip` form of a WhatsApp export. (The thread
//! as `report.html` shows it is [`crate::thread::html`]'s.)

use super::{parse_export, ChatExport, ReadContext, MAX_EXPORT_BYTES};
use crate::archive::{read_entry_to_vec, ReadAt, ZipArchive};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// Format string of a chat export's `metadata.json`.
pub const CHAT_FORMAT: &str = "evidence-chat-export/1";

/// What an imported chat export's record says about the conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConversationSummary {
    /// `whatsapp` or `telegram`.
    pub source: String,
    /// The form detected.
    pub form: String,
    /// The chat's name, when the export gives it.
    pub title: Option<String>,
    /// How many messages were read.
    pub message_count: u64,
    /// Everyone who wrote, in order of first message.
    pub authors: Vec<String>,
    /// The first message's time (UTC).
    pub first_at: Option<String>,
    /// The last message's time (UTC).
    pub last_at: Option<String>,
}

/// The `metadata.json` of an imported chat export: the parsed thread, and the files that
/// came with it in a `.zip` (they stay inside the original file, which is kept byte for
/// byte).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatDocument {
    /// Always [`CHAT_FORMAT`].
    pub format: String,
    /// The file the thread was read from (inside a `.zip`: its chat text's name).
    pub read_from: String,
    /// The parsed export.
    #[serde(flatten)]
    pub export: ChatExport,
    /// The files in the `.zip` besides the chat text.
    pub media: Vec<String>,
}

impl ChatDocument {
    /// The summary for the record.
    pub fn summary(&self) -> ConversationSummary {
        let authors = crate::thread::authors(&self.export.messages, 50);
        let at = |m: &super::ThreadMessage| m.time.utc_text(chrono::SecondsFormat::Secs);
        ConversationSummary {
            source: self.export.source.clone(),
            form: self.export.form.clone(),
            title: self.export.title.clone(),
            message_count: self.export.messages.len() as u64,
            authors,
            first_at: self.export.messages.first().and_then(at),
            last_at: self.export.messages.last().and_then(at),
        }
    }

    /// The exact `metadata.json` bytes (pretty JSON, final newline).
    pub fn to_json_bytes(&self) -> Result<Vec<u8>> {
        let mut v = serde_json::to_vec_pretty(self)
            .map_err(|e| Error::InvalidInput(format!("the chat does not serialise: {e}")))?;
        v.push(b'\n');
        Ok(v)
    }
}

/// Read a chat export file: Telegram `result.json`, WhatsApp `.txt`, or a WhatsApp `.zip`
/// (its chat text, with the names of the media beside it). `None` when the file is not
/// one (an ordinary file to add); an error when it looks like one but does not read.
pub fn read_chat_file<R: ReadAt + ?Sized>(
    name: &str,
    src: &mut R,
    ctx: &ReadContext,
) -> Result<Option<ChatDocument>> {
    let lower = name.to_ascii_lowercase();
    let (read_from, bytes, media) = if lower.ends_with(".zip") {
        let zip = match ZipArchive::open(src) {
            Ok(z) => z,
            Err(_) => return Ok(None),
        };
        let texts: Vec<_> = zip
            .entries()
            .iter()
            .filter(|e| e.name.to_ascii_lowercase().ends_with(".txt"))
            .collect();
        let chat = texts
            .iter()
            .find(|e| e.name == "_chat.txt" || e.name.starts_with("WhatsApp Chat"))
            .or_else(|| {
                if texts.len() == 1 {
                    texts.first()
                } else {
                    None
                }
            });
        let Some(entry) = chat.map(|e| (*e).clone()) else {
            return Ok(None);
        };
        let (bytes, _) = read_entry_to_vec(src, &entry, MAX_EXPORT_BYTES as u64)?;
        let media = zip
            .entries()
            .iter()
            .filter(|e| e.name != entry.name)
            .map(|e| e.name.clone())
            .collect();
        (entry.name.clone(), bytes, media)
    } else if lower.ends_with(".txt") || lower.ends_with(".json") {
        let len = usize::try_from(src.len()).unwrap_or(usize::MAX);
        if len > MAX_EXPORT_BYTES {
            return Ok(None);
        }
        let mut buf = vec![0u8; len];
        src.read_at(0, &mut buf)?;
        (name.to_string(), buf, Vec::new())
    } else {
        return Ok(None);
    };
    let looks_like_chat = lower.ends_with(".zip")
        || lower.starts_with("whatsapp chat")
        || lower == "_chat.txt"
        || lower == "result.json";
    match parse_export(&read_from, &bytes, &media, ctx) {
        Ok(export) => Ok(Some(ChatDocument {
            format: CHAT_FORMAT.into(),
            read_from,
            export,
            media,
        })),
        Err(e) if looks_like_chat => Err(e),
        Err(_) => Ok(None),
    }
}
