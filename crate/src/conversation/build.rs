//! Building a long capture's `metadata.json`, record summary and segment index from the
//! steps the worker reports.

use super::chat_time;
use super::merge::{merge, Merged, Seen};
use super::{
    ConversationFacts, LongCaptureInput, Participant, Rect, Segment, SegmentIndex, SegmentMessage,
    CHANGED, DISAPPEARED, SEGMENTS_ARTIFACT, SEGMENTS_FORMAT,
};
use crate::capture::{self, truncate_chars, CaptureContext};
use crate::capture_metadata::{CaptureMessage, CaptureMetadata, ThreadFacts};
use crate::error::{Error, Result};
use crate::hash::sha256_hex;
use crate::metadata::CaptureSummary;
use crate::normalize::{normalize_message_on, Message};
use crate::zone::ZoneOffsets;
use chrono::{DateTime, FixedOffset};
use serde_json::Value;
use std::collections::HashMap;

/// At most this many messages are kept (a hostile page can grow forever).
pub const MAX_MESSAGES: usize = 20_000;
/// At most this many steps are read.
pub const MAX_STEPS: usize = 5_000;
const MAX_TEXT: usize = 20_000;
const MAX_SHORT: usize = 2_000;

/// A long capture's documents.
#[derive(Debug, Clone, PartialEq)]
pub struct BuiltConversation {
    /// `metadata.json`, with every message in conversation order.
    pub metadata: CaptureMetadata,
    /// The record's summary.
    pub summary: CaptureSummary,
    /// `segments.json`.
    pub segments: SegmentIndex,
}

impl BuiltConversation {
    /// The bytes of `segments.json` (pretty JSON, keys sorted).
    pub fn segments_bytes(&self) -> Result<Vec<u8>> {
        let bad = |e: serde_json::Error| {
            Error::InvalidInput(format!("segment index does not serialise: {e}"))
        };
        serde_json::to_vec_pretty(&serde_json::to_value(&self.segments).map_err(bad)?).map_err(bad)
    }
}

/// What one step's message carries into the merge.
#[derive(Debug, Clone)]
pub(super) struct Item {
    pub(super) message: Message,
    author_id: Option<String>,
    day_label: Option<String>,
    offset: Option<i32>,
}

/// Build a long capture from the final page facts `raw` (for the page and environment;
/// its messages are not used), the sweep's steps and the capture context.
pub fn build(
    raw: &Value,
    input: &LongCaptureInput,
    ctx: &CaptureContext,
) -> Result<BuiltConversation> {
    if !matches!(input.scope.as_str(), "conversation" | "page") {
        return Err(Error::InvalidInput(format!(
            "unknown capture scope {:?}",
            input.scope
        )));
    }
    let mut facts = raw.clone();
    if let Some(o) = facts.as_object_mut() {
        // A whole page keeps the final page facts' messages that no screen could show (see
        // `not_on_any_screen`); a conversation's messages come from its screens only.
        if input.scope != "page" {
            o.remove("messages");
        }
        o.insert("messages_offscreen".into(), Value::from(0));
    }
    let mut base = capture::build(&facts, ctx)?;
    let final_messages = std::mem::take(&mut base.metadata.messages);
    let captured = capture::capture_time(ctx)?;
    let page_url = base.metadata.page.final_url.clone();

    let steps = &input.steps[..input.steps.len().min(MAX_STEPS)];
    let mut lists: Vec<Vec<Seen<Item>>> = Vec::with_capacity(steps.len());
    let mut rects: Vec<Vec<(String, Rect)>> = Vec::with_capacity(steps.len());
    for step in steps {
        let mut seen = Vec::new();
        let mut placed = Vec::new();
        let mut occurrences: HashMap<String, u32> = HashMap::new();
        for sm in step.messages.iter().take(MAX_MESSAGES) {
            let item = normalise(
                sm,
                &page_url,
                &ctx.tab_url,
                &captured,
                input.zone_offsets.as_ref(),
            );
            let base_key = key_of(&item);
            let n = occurrences.entry(base_key.clone()).or_insert(0);
            *n += 1;
            let key = if *n == 1 {
                base_key
            } else {
                format!("{base_key}#{n}")
            };
            placed.push((key.clone(), sm.rect));
            seen.push(Seen {
                key,
                text: item.message.text.clone(),
                item,
            });
        }
        lists.push(seen);
        rects.push(placed);
    }
    let merged = merge(&lists);
    let mut messages = Vec::with_capacity(merged.len().min(MAX_MESSAGES));
    for m in merged.iter().take(MAX_MESSAGES) {
        messages.push(to_capture_message(m));
    }
    not_on_any_screen(&mut messages, final_messages);
    let participants = participants(&messages);
    let changed = messages
        .iter()
        .filter(|m| m.thread.marks.iter().any(|k| k == CHANGED))
        .count();
    let disappeared = messages
        .iter()
        .filter(|m| m.thread.marks.iter().any(|k| k == DISAPPEARED))
        .count();

    let mut metadata = base.metadata;
    metadata.messages = messages;
    metadata.scope = Some(input.scope.clone());
    metadata.conversation = Some(ConversationFacts {
        complete: input.complete,
        stop_reason: input
            .stop_reason
            .as_deref()
            .map(|s| truncate_chars(s, MAX_SHORT)),
        older_end_reached: input.older_end_reached,
        limits: input.limits.clone(),
        screens: steps.iter().filter(|s| s.screen.is_some()).count() as u32,
        changed: changed as u32,
        disappeared: disappeared as u32,
        participants,
        segment_index: SEGMENTS_ARTIFACT.to_string(),
        stitched: input.stitched.iter().map(|p| p.artifact.clone()).collect(),
    });
    if !input.complete {
        let why = input.stop_reason.as_deref().unwrap_or("stopped early");
        metadata.missing.push(format!(
            "the rest of the {}: the capture stopped early ({})",
            input.scope,
            truncate_chars(why, MAX_SHORT)
        ));
    }
    let summary = capture::summarize(&metadata, &page_url);

    let screens = steps
        .iter()
        .zip(rects)
        .enumerate()
        .map(|(i, (s, placed))| Segment {
            index: i as u32,
            artifact: s.screen.clone(),
            scroll_x: s.scroll_x,
            scroll_y: s.scroll_y,
            container: s.container,
            device_pixel_ratio: s.device_pixel_ratio,
            taken_at_ms: s.taken_at_ms,
            messages: placed
                .into_iter()
                .map(|(key, rect)| SegmentMessage { key, rect })
                .collect(),
        })
        .collect();
    let segments = SegmentIndex {
        format: SEGMENTS_FORMAT.to_string(),
        scope: input.scope.clone(),
        screens,
        stitched: input.stitched.clone(),
    };
    Ok(BuiltConversation {
        metadata,
        summary,
        segments,
    })
}

pub(super) fn normalise(
    sm: &super::StepMessage,
    page_url: &str,
    tab_url: &str,
    captured: &DateTime<FixedOffset>,
    zone: Option<&ZoneOffsets>,
) -> Item {
    let mut message = normalize_message_on(&sm.raw, page_url, tab_url, *captured);
    message.text = truncate_chars(&message.text, MAX_TEXT);
    let day_label = sm
        .day_label
        .as_deref()
        .map(|s| truncate_chars(s.trim(), 200))
        .filter(|s| !s.is_empty());
    let mut offset = None;
    // A machine-readable time (datetime attribute, epoch, title) wins; a shown time of
    // day is resolved against its day separator, or its own date (WhatsApp).
    let exact = matches!(
        message.time.source.as_deref(),
        Some("datetime_attr" | "epoch" | "title_attr")
    );
    if !exact {
        if let Some(t) = message
            .time
            .shown
            .as_deref()
            .and_then(|s| chat_time::resolve_in(s, day_label.as_deref(), captured, zone))
        {
            // The stored capture keeps its time to the millisecond, as before.
            message.time.utc = t.utc_text(chrono::SecondsFormat::Millis);
            message.time.source = Some("chat_time".into());
            message.time.approximate = t.approximate;
            offset = t.offset_minutes;
        }
    }
    let author_id = sm
        .author_id
        .as_deref()
        .map(|s| truncate_chars(s.trim(), 500))
        .filter(|s| !s.is_empty())
        // Else the canonical handle (X, Reddit, Mastodon's @user@instance) or the profile
        // URL (Facebook's profile.php?id=, Mastodon's account URL): stable where names are not.
        .or_else(|| message.author.handle.clone())
        .or_else(|| message.author.profile_url.clone());
    Item {
        message,
        author_id,
        day_label,
        offset,
    }
}

/// The stable key: the platform's id, else the permalink, else a fingerprint of author,
/// time and text (so two identical texts with different ids stay two).
fn key_of(item: &Item) -> String {
    let m = &item.message;
    if let Some(id) = m.id.as_deref() {
        return format!("id:{}:{id}", m.platform);
    }
    if let Some(link) = m.permalink.as_deref() {
        return format!("link:{link}");
    }
    let who = item
        .author_id
        .as_deref()
        .or(m.author.handle.as_deref())
        .or(m.author.name.as_deref())
        .unwrap_or("");
    let when = m
        .time
        .utc
        .as_deref()
        .or(m.time.shown.as_deref())
        .unwrap_or("");
    let fp = sha256_hex(format!("{who}\u{1f}{when}\u{1f}{}", m.text).as_bytes());
    format!("fp:{}", &fp[..32])
}

/// A whole page's messages that are in the page but were never on screen (server-rendered
/// markup inside `<noscript>`, which a browser with scripting on does not render): read
/// once from the final page facts, appended after the screens' messages, `visible: false`
/// and on no screen. A message any screen showed (same key) is not repeated.
fn not_on_any_screen(messages: &mut Vec<CaptureMessage>, finals: Vec<CaptureMessage>) {
    let mut known: std::collections::HashSet<String> = messages
        .iter()
        .filter_map(|m| m.thread.key.clone())
        .collect();
    for cm in finals {
        if cm.visible || messages.len() >= MAX_MESSAGES {
            continue;
        }
        let item = Item {
            author_id: cm
                .message
                .author
                .handle
                .clone()
                .or_else(|| cm.message.author.profile_url.clone()),
            message: cm.message,
            day_label: None,
            offset: None,
        };
        let key = key_of(&item);
        if !known.insert(key.clone()) {
            continue;
        }
        messages.push(CaptureMessage {
            message: item.message,
            visible: false,
            thread: ThreadFacts {
                key: Some(key),
                author_id: item.author_id,
                ..ThreadFacts::default()
            },
        });
    }
}

fn to_capture_message(m: &Merged<Item>) -> CaptureMessage {
    let mut marks = Vec::new();
    if m.changed() {
        marks.push(CHANGED.to_string());
    }
    if m.disappeared_at.is_some() {
        marks.push(DISAPPEARED.to_string());
    }
    CaptureMessage {
        message: m.item.message.clone(),
        visible: true,
        thread: ThreadFacts {
            key: Some(m.key.clone()),
            author_id: m.item.author_id.clone(),
            day_label: m.item.day_label.clone(),
            time_offset_minutes: m.item.offset,
            marks,
            edits: m.edits.clone(),
            screens: m.steps.iter().map(|&s| s as u32).collect(),
        },
    }
}

fn participants(messages: &[CaptureMessage]) -> Vec<Participant> {
    let mut out: Vec<Participant> = Vec::new();
    for m in messages {
        let a = &m.message.author;
        let id = m.thread.author_id.clone();
        let found = out.iter().position(|p| match (&id, &p.author_id) {
            (Some(x), Some(y)) => x == y,
            (None, None) => p.name == a.name && p.handle == a.handle,
            _ => false,
        });
        match found {
            Some(i) => out[i].messages += 1,
            None if out.len() < 200 => out.push(Participant {
                name: a.name.clone(),
                handle: a.handle.clone(),
                author_id: id,
                messages: 1,
            }),
            None => {}
        }
    }
    out
}
