//! Telegram Desktop's "Export chat history" in JSON (`result.json`):
//!
//! ```json
//! {"name": "Sam", "type": "personal_chat", "id": 42, "messages": [
//!   {"id": 1, "type": "message", "date": "2026-11-28T14:03:11", "date_unixtime": "1795870991",
//!    "from": "Sam", "from_id": "user42", "text": ["Look ", {"type": "bold", "text": "here"}],
//!    "photo": "photos/photo_1@28-11-2026_14-03-11.jpg"},
//!   {"id": 2, "type": "service", "date": "...", "actor": "Sam", "actor_id": "user42",
//!    "action": "pin_message", "text": ""}]}
//! ```
//!
//! With `date_unixtime` (exports since 2021) the time is exact and the offset is the
//! difference to the local `date`; without it, `date` is read in the caller's zone (the
//! offset at that date, [`crate::zone`]) and flagged approximate.

use super::time::{chat_time, clock_change_note};
use super::{Attachment, ChatExport, MessageTime, ReadContext, ThreadMessage, MAX_MESSAGES};
use crate::error::{Error, Result};
use crate::zone::LocalFit;
use chrono::{DateTime, NaiveDateTime};
use serde_json::Value;

fn bad(why: &str) -> Error {
    Error::InvalidInput(format!("this is not a Telegram chat export: {why}"))
}

/// The message's text: a string, or an array of strings and `{type, text}` pieces.
fn text_of(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(parts)) => parts
            .iter()
            .map(|p| match p {
                Value::String(s) => s.as_str(),
                Value::Object(o) => o.get("text").and_then(Value::as_str).unwrap_or(""),
                _ => "",
            })
            .collect(),
        _ => String::new(),
    }
}

/// A message's time, with how its local time fit the zone (always single when exact).
fn time_of(m: &Value, ctx: &ReadContext) -> Result<(MessageTime, LocalFit)> {
    let shown = m
        .get("date")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("a message has no date"))?;
    let local = NaiveDateTime::parse_from_str(shown, "%Y-%m-%dT%H:%M:%S")
        .map_err(|_| bad("a message's date is not YYYY-MM-DDTHH:MM:SS"))?;
    let unix = m.get("date_unixtime").and_then(|u| match u {
        Value::String(s) => s.parse::<i64>().ok(),
        Value::Number(n) => n.as_i64(),
        _ => None,
    });
    if let Some(utc) = unix.and_then(|u| DateTime::from_timestamp(u, 0)) {
        let offset = (local - utc.naive_utc()).num_minutes();
        if let Ok(offset) = i32::try_from(offset) {
            if (-16 * 60..=16 * 60).contains(&offset) {
                return Ok((
                    MessageTime {
                        utc_ms: Some(utc.timestamp_millis()),
                        offset_minutes: Some(offset),
                        approximate: false,
                        shown: Some(shown.to_string()),
                    },
                    LocalFit::Single,
                ));
            }
        }
    }
    chat_time(local, ctx, true, shown).ok_or_else(|| bad("a message's date is out of range"))
}

fn attachments_of(m: &Value) -> Vec<Attachment> {
    let mut out = Vec::new();
    for key in ["photo", "file"] {
        let Some(path) = m.get(key).and_then(Value::as_str) else {
            continue;
        };
        let omitted = path.starts_with("(File not included");
        let kind = if key == "photo" {
            Some("photo".to_string())
        } else {
            m.get("media_type")
                .and_then(Value::as_str)
                .map(str::to_string)
                .or(Some("file".into()))
        };
        out.push(Attachment {
            name: if omitted {
                String::new()
            } else {
                path.to_string()
            },
            omitted,
            kind,
        });
    }
    out
}

/// Parse a Telegram Desktop `result.json` of one chat.
pub fn parse(text: &str, ctx: &ReadContext) -> Result<ChatExport> {
    let root: Value =
        serde_json::from_str(text).map_err(|e| bad(&format!("it is not valid JSON ({e})")))?;
    if root.get("chats").is_some() && root.get("messages").is_none() {
        return Err(Error::InvalidInput(
            "this is a whole Telegram account export; export a single chat (Export chat history) and add that".into(),
        ));
    }
    let list = root
        .get("messages")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("it has no message list"))?;
    if list.len() > MAX_MESSAGES {
        return Err(Error::InvalidInput(format!(
            "the chat has more than {MAX_MESSAGES} messages"
        )));
    }
    let mut messages = Vec::with_capacity(list.len());
    let (mut gaps, mut overlaps) = (0usize, 0usize);
    for m in list {
        let service = m.get("type").and_then(Value::as_str) == Some("service");
        let (who, id) = if service {
            ("actor", "actor_id")
        } else {
            ("from", "from_id")
        };
        let mut text = text_of(m.get("text"));
        if service {
            if let Some(action) = m.get("action").and_then(Value::as_str) {
                let action = action.replace('_', " ");
                text = if text.is_empty() {
                    action
                } else {
                    format!("{action}: {text}")
                };
            }
        }
        let (time, fit) = time_of(m, ctx)?;
        match fit {
            LocalFit::Gap => gaps += 1,
            LocalFit::Overlap => overlaps += 1,
            LocalFit::Single => {}
        }
        messages.push(ThreadMessage {
            author: m.get(who).and_then(Value::as_str).map(str::to_string),
            author_id: m.get(id).and_then(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            }),
            time,
            text,
            attachments: attachments_of(m),
            system: service,
            visible: true,
            ..ThreadMessage::default()
        });
    }
    Ok(ChatExport {
        source: "telegram".into(),
        form: "desktop-json".into(),
        title: root.get("name").and_then(Value::as_str).map(str::to_string),
        messages,
        notes: clock_change_note(gaps, overlaps).into_iter().collect(),
    })
}
