//! WhatsApp's "Export chat" text, as Android and iOS write it:
//!
//! ```text
//! 28/11/2026, 14:03 - Sam: See you later          (Android, 24-hour, day first)
//! 11/28/26, 2:03 PM - Sam: See you later          (Android, 12-hour, month first)
//! [28/11/2026, 14:03:11] Sam: See you later       (iOS)
//! [28/11/2026, 14:03:11] Sam: ‎<attached: 00000012-PHOTO-2026-11-28-14-03-11.jpg>
//! 28/11/2026, 14:04 - Sam: IMG-20261128-WA0001.jpg (file attached)
//! 28/11/2026, 14:05 - Sam: <Media omitted>
//! 28/11/2026, 14:00 - Messages and calls are end-to-end encrypted. ...   (system line)
//! ```
//!
//! A line without a stamp continues the message before it (multi-line messages). The
//! date order is read from the stamps themselves (a day over 12 decides it); when no
//! stamp decides, the caller's locale hint is used and a note says so.

use super::time::{chat_time, clock_change_note, date_of, raw_date, raw_time, RawDate};
use super::{Attachment, ChatExport, ReadContext, ThreadMessage, MAX_MESSAGES};
use crate::error::{Error, Result};
use crate::zone::LocalFit;
use chrono::NaiveTime;

/// One stamped line, before the date order is known.
struct Line<'a> {
    ios: bool,
    date: RawDate,
    year_first: bool,
    time: NaiveTime,
    twelve_hour: bool,
    shown: String,
    rest: &'a str,
}

const MARKS: [char; 3] = ['\u{200e}', '\u{200f}', '\u{feff}'];

fn stamped(line: &str) -> Option<Line<'_>> {
    let l = line.trim_start_matches(MARKS);
    let (ios, stamp, rest) = if let Some(inner) = l.strip_prefix('[') {
        let close = inner.find(']')?;
        (
            true,
            &inner[..close],
            inner[close + 1..]
                .strip_prefix(' ')
                .unwrap_or(&inner[close + 1..]),
        )
    } else {
        let dash = l.find(" - ")?;
        (false, &l[..dash], &l[dash + 3..])
    };
    let (date_s, time_s) = stamp.split_once(", ").or_else(|| stamp.split_once(' '))?;
    let date = raw_date(date_s.trim())?;
    let (time, _seconds) = raw_time(time_s)?;
    let twelve_hour = time_s.to_lowercase().contains('m');
    Some(Line {
        ios,
        date,
        year_first: date_s.trim().split(['/', '.', '-']).next().map(str::len) == Some(4),
        time,
        twelve_hour,
        shown: stamp.to_string(),
        rest,
    })
}

/// `(author, text)` of a line's rest; no author for a system line.
fn author_and_text(rest: &str) -> (Option<&str>, &str) {
    match rest.split_once(": ") {
        Some((a, t))
            if !a.is_empty() && a.chars().count() <= 80 && !a.contains('"') && !a.contains('“') =>
        {
            (Some(a), t)
        }
        _ => match rest.strip_suffix(':') {
            Some(a) if !a.is_empty() && a.chars().count() <= 80 => (Some(a), ""),
            _ => (None, rest),
        },
    }
}

/// A sender shown as a phone number ("+44 7700 900123") has that number as its id.
fn phone_id(author: &str) -> Option<String> {
    let a = author
        .trim_matches(MARKS)
        .trim_matches(['\u{202a}', '\u{202c}']);
    let digits: String = a.chars().filter(char::is_ascii_digit).collect();
    let only = a
        .chars()
        .all(|c| c.is_ascii_digit() || " +-()\u{a0}".contains(c));
    (only && digits.len() >= 6)
        .then(|| format!("{}{digits}", if a.starts_with('+') { "+" } else { "" }))
}

const OMITTED: [&str; 8] = [
    "<media omitted>",
    "image omitted",
    "video omitted",
    "audio omitted",
    "sticker omitted",
    "document omitted",
    "gif omitted",
    "contact card omitted",
];

/// Take attachment markers out of a message's text.
fn attachments(text: &str) -> (String, Vec<Attachment>) {
    let mut kept = Vec::new();
    let mut found = Vec::new();
    for line in text.split('\n') {
        let l = line.trim_matches(MARKS).trim();
        let lower = l.to_lowercase();
        if let Some(name) = l
            .strip_prefix("<attached: ")
            .and_then(|r| r.strip_suffix('>'))
        {
            found.push(Attachment {
                name: name.trim().to_string(),
                omitted: false,
                kind: None,
            });
        } else if let Some(name) = l.strip_suffix(" (file attached)") {
            found.push(Attachment {
                name: name.trim().to_string(),
                omitted: false,
                kind: None,
            });
        } else if OMITTED.contains(&lower.as_str()) {
            let kind = lower.strip_suffix(" omitted").map(str::to_string);
            found.push(Attachment {
                name: String::new(),
                omitted: true,
                kind,
            });
        } else {
            kept.push(line);
        }
    }
    (kept.join("\n").trim_end().to_string(), found)
}

/// Parse WhatsApp export text. `media`: names of the files that came with it (a `.zip`).
pub fn parse(text: &str, media: &[String], ctx: &ReadContext) -> Result<ChatExport> {
    let mut lines: Vec<(Line<'_>, String)> = Vec::new();
    let mut preamble = 0usize;
    for raw in text.split('\n') {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        match stamped(raw) {
            Some(l) => {
                if lines.len() >= MAX_MESSAGES {
                    return Err(Error::InvalidInput(format!(
                        "the chat has more than {MAX_MESSAGES} messages"
                    )));
                }
                let rest = l.rest.to_string();
                lines.push((l, rest));
            }
            None => match lines.last_mut() {
                Some((_, body)) => {
                    body.push('\n');
                    body.push_str(raw);
                }
                None if raw.trim().is_empty() => {}
                None => preamble += 1,
            },
        }
    }
    if lines.is_empty() {
        return Err(Error::InvalidInput(
            "this is not a WhatsApp chat export: no line starts with a date and time".into(),
        ));
    }
    let dated = lines.iter().filter(|(l, _)| !l.year_first);
    let day_first_seen = dated.clone().any(|(l, _)| l.date.a > 12);
    let month_first_seen = dated.clone().any(|(l, _)| l.date.b > 12);
    let mut notes = Vec::new();
    let month_first = match (day_first_seen, month_first_seen) {
        (true, true) => {
            return Err(Error::InvalidInput(
                "the dates in this chat export read neither day-first nor month-first".into(),
            ))
        }
        (true, false) => false,
        (false, true) => true,
        (false, false) => {
            notes.push(format!(
                "Every date in this export reads both ways; they were read {} first, as this browser's language writes dates.",
                if ctx.month_first_hint { "month" } else { "day" }
            ));
            ctx.month_first_hint
        }
    };
    if preamble > 0 {
        notes.push(format!("{preamble} line(s) before the first message were not understood and are kept only in the original file."));
    }
    let ios = lines.iter().any(|(l, _)| l.ios);
    let twelve = lines.iter().any(|(l, _)| l.twelve_hour);
    let mut messages = Vec::with_capacity(lines.len());
    let (mut gaps, mut overlaps) = (0usize, 0usize);
    for (l, body) in &lines {
        let date = date_of(l.date, month_first, l.year_first)
            .ok_or_else(|| Error::InvalidInput(format!("“{}” is not a real date", l.shown)))?;
        let (time, fit) = chat_time(date.and_time(l.time), ctx, true, &l.shown)
            .ok_or_else(|| Error::InvalidInput("the local offset is out of range".into()))?;
        match fit {
            LocalFit::Gap => gaps += 1,
            LocalFit::Overlap => overlaps += 1,
            LocalFit::Single => {}
        }
        let (author, text) = author_and_text(body);
        let system_mark = text.starts_with(MARKS);
        let (text, atts) = attachments(text.trim_start_matches(MARKS));
        let system = author.is_none() || (ios && system_mark && atts.is_empty());
        messages.push(ThreadMessage {
            author: if system && author.is_none() {
                None
            } else {
                author.map(str::to_string)
            },
            author_id: author.and_then(phone_id),
            time,
            text,
            attachments: atts,
            system,
            visible: true,
            ..ThreadMessage::default()
        });
    }
    notes.extend(clock_change_note(gaps, overlaps));
    let named: Vec<&str> = messages
        .iter()
        .flat_map(|m| &m.attachments)
        .filter(|a| !a.omitted)
        .map(|a| a.name.as_str())
        .collect();
    if !media.is_empty() {
        let missing = named
            .iter()
            .filter(|n| !media.iter().any(|m| m == *n))
            .count();
        if missing > 0 {
            notes.push(format!(
                "{missing} attached file(s) named in the chat are not in the export."
            ));
        }
    }
    Ok(ChatExport {
        source: "whatsapp".into(),
        form: format!(
            "{}, {}, {}",
            if ios { "ios" } else { "android" },
            if twelve { "12-hour" } else { "24-hour" },
            if month_first {
                "month-first"
            } else {
                "day-first"
            }
        ),
        title: None,
        messages,
        notes,
    })
}
