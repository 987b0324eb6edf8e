//! Building a capture's `metadata.json` and its record summary from what the browser saw.
//!
//! The content script reports raw page facts and raw messages; the service worker adds
//! the capture context (time, browser, which APIs produced which artifact). This module
//! turns both into the normalised metadata document that is hashed as an artifact, and a
//! short summary that goes into the record itself for the library's timeline.

pub use crate::capture_metadata::METADATA_FORMAT;
use crate::capture_metadata::{
    ArtifactMethods, CaptureMessage, CaptureMetadata, CaptureTime, Environment, PageFacts,
    ScreenshotInfo, ScrollOffset, Size, SnapshotInfo,
};
use crate::error::{Error, Result};
use crate::metadata::CaptureSummary;
use crate::normalize::{normalize_message_on, RawMessage};
use chrono::{DateTime, FixedOffset, SecondsFormat};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use url::Url;

/// Hostile pages can produce absurd DOMs: cap what we keep.
const MAX_MESSAGES: usize = 500;
const MAX_TEXT: usize = 20_000;
const MAX_SHORT: usize = 2_000;
const MAX_META_ENTRIES: usize = 100;

/// What the service worker knows about the capture, independent of the page.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct CaptureContext {
    /// Capture time, ms since the Unix epoch (the caller reads the clock).
    pub captured_at_ms: i64,
    /// Local UTC offset in minutes east of UTC.
    pub local_offset_minutes: i32,
    /// IANA time-zone name reported by the browser.
    pub time_zone: Option<String>,
    /// What started the capture: `popup`, `shortcut`, `context-menu`, `api`.
    pub trigger: String,
    /// The tab's URL as the browser reports it (after redirects).
    pub tab_url: String,
    /// The tab's title as the browser reports it.
    pub tab_title: Option<String>,
    /// Browser name, e.g. `Chromium`, `Firefox`.
    pub browser: Option<String>,
    /// Browser version.
    pub browser_version: Option<String>,
    /// Browser user agent string.
    pub user_agent: Option<String>,
    /// The extension's version.
    pub extension_version: Option<String>,
    /// Which API produced the screenshot, e.g. `tabs.captureVisibleTab`.
    pub screenshot_method: Option<String>,
    /// Screenshot pixel size as decoded from the PNG.
    pub screenshot_width: Option<u32>,
    /// Screenshot pixel height.
    pub screenshot_height: Option<u32>,
    /// Which API produced the page snapshot, e.g. `pageCapture.saveAsMHTML`.
    pub snapshot_method: Option<String>,
    /// Parts that could not be captured, each with the reason, in plain words.
    pub missing: Vec<String>,
    /// Why reading the page's facts failed, if it did.
    pub extraction_error: Option<String>,
}

/// The normalised capture: the `metadata.json` document and the record summary.
#[derive(Debug, Clone, PartialEq)]
pub struct BuiltCapture {
    /// The full metadata document (serialised into `metadata.json`).
    pub metadata: CaptureMetadata,
    /// A short summary: the record's own `metadata`.
    pub summary: CaptureSummary,
}

/// Build the capture metadata. `raw` is the content script's result (may be `null` when
/// the page could not be read, e.g. a PDF viewer); `ctx` comes from the service worker.
pub fn build(raw: &Value, ctx: &CaptureContext) -> Result<BuiltCapture> {
    let captured_at = capture_time(ctx)?;
    let page = raw.get("page").unwrap_or(&Value::Null);
    let env = raw.get("env").unwrap_or(&Value::Null);
    let page_url = str_field(page, "url")
        .filter(|u| is_web_url(u))
        .unwrap_or_else(|| ctx.tab_url.clone());
    let platform = str_field(raw, "platform").unwrap_or_else(|| "generic".into());

    let mut messages = Vec::new();
    if let Some(list) = raw.get("messages").and_then(Value::as_array) {
        for item in list.iter().take(MAX_MESSAGES) {
            let visible = item.get("visible").and_then(Value::as_bool).unwrap_or(true);
            let raw_msg: RawMessage = match serde_json::from_value(clip_strings(item.clone())) {
                Ok(m) => m,
                Err(_) => continue, // a malformed entry is dropped, never fatal
            };
            let message = normalize_message_on(&raw_msg, &page_url, &ctx.tab_url, captured_at);
            messages.push(CaptureMessage {
                message,
                visible,
                thread: Default::default(),
            });
        }
    }

    let canonical = str_field(page, "canonical").and_then(|c| absolutize(&page_url, &c));
    let og = string_map(page.get("og"));
    let site_name = og.get("og:site_name").cloned();
    let title = str_field(page, "title").or_else(|| ctx.tab_title.clone());
    let mut missing = ctx.missing.clone();
    let extraction_error = ctx
        .extraction_error
        .clone()
        .or_else(|| str_field(raw, "error"));
    if let Some(err) = &extraction_error {
        missing.push(format!(
            "page facts and messages: the page could not be read ({err})"
        ));
    }

    let metadata = CaptureMetadata {
        artifacts: ArtifactMethods {
            screenshot: ScreenshotInfo {
                height: ctx.screenshot_height,
                method: ctx.screenshot_method.clone(),
                width: ctx.screenshot_width,
            },
            snapshot: SnapshotInfo {
                method: ctx.snapshot_method.clone(),
            },
        },
        capture: CaptureTime {
            local_offset_minutes: ctx.local_offset_minutes,
            local_time: captured_at.to_rfc3339_opts(SecondsFormat::Millis, false),
            time_zone: ctx.time_zone.clone(),
            trigger: ctx.trigger.clone(),
            utc: captured_at
                .with_timezone(&chrono::Utc)
                .to_rfc3339_opts(SecondsFormat::Millis, true),
        },
        environment: Environment {
            browser: ctx.browser.clone(),
            browser_version: ctx.browser_version.clone(),
            device_pixel_ratio: env.get("device_pixel_ratio").and_then(Value::as_f64),
            document_size: env.get("document").map(size),
            extension_version: ctx.extension_version.clone(),
            language: str_field(env, "language"),
            scroll: env.get("scroll").map(|v| ScrollOffset {
                x: v.get("x").and_then(Value::as_f64),
                y: v.get("y").and_then(Value::as_f64),
            }),
            user_agent: ctx
                .user_agent
                .clone()
                .or_else(|| str_field(env, "user_agent")),
            viewport: env.get("viewport").map(size),
        },
        format: METADATA_FORMAT.to_string(),
        messages,
        messages_offscreen: raw
            .get("messages_offscreen")
            .and_then(Value::as_u64)
            .unwrap_or(0),
        missing,
        page: PageFacts {
            article: string_map(page.get("article")),
            canonical_url: canonical,
            description: str_field(page, "description"),
            final_url: page_url.clone(),
            lang: str_field(page, "lang"),
            og,
            site_name,
            title,
            twitter: string_map(page.get("twitter")),
            url: ctx.tab_url.clone(),
        },
        platform,
        skipped_promoted: raw
            .get("skipped_promoted")
            .and_then(Value::as_u64)
            .unwrap_or(0),
        scope: None,
        conversation: None,
        extra: Map::new(),
    };
    let summary = summarize(&metadata, &page_url);
    Ok(BuiltCapture { metadata, summary })
}

/// The record-level summary: enough for a timeline row without opening artifacts.
pub fn summarize(metadata: &CaptureMetadata, page_url: &str) -> CaptureSummary {
    let visible: Vec<&CaptureMessage> = metadata.messages.iter().filter(|m| m.visible).collect();
    let mut authors: Vec<String> = Vec::new();
    for m in &visible {
        let a = &m.message.author;
        let label = match (a.name.as_deref(), a.handle.as_deref()) {
            (Some(n), Some(h)) => format!("{n} ({h})"),
            (Some(n), None) => n.to_string(),
            (None, Some(h)) => h.to_string(),
            (None, None) => continue,
        };
        if !authors.contains(&label) && authors.len() < 10 {
            authors.push(label);
        }
    }
    let excerpt_src = visible
        .iter()
        .map(|m| m.message.text.as_str())
        .find(|t| !t.trim().is_empty())
        .map(str::to_string)
        .or_else(|| metadata.page.title.clone())
        .unwrap_or_default();
    CaptureSummary {
        authors,
        excerpt: truncate_chars(&excerpt_src, 200),
        message_count: visible.len() as u64,
        missing: metadata.missing.clone(),
        platform: metadata.platform.clone(),
        site: Url::parse(page_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string)),
        title: metadata.page.title.clone(),
        url: metadata.page.url.clone(),
        scope: metadata.scope.clone(),
        extra: Map::new(),
    }
}

/// The capture instant in the user's offset.
pub(crate) fn capture_time(ctx: &CaptureContext) -> Result<DateTime<FixedOffset>> {
    let offset = FixedOffset::east_opt(ctx.local_offset_minutes.saturating_mul(60))
        .ok_or_else(|| Error::InvalidInput("local offset out of range".into()))?;
    DateTime::from_timestamp_millis(ctx.captured_at_ms)
        .map(|t| t.with_timezone(&offset))
        .ok_or_else(|| Error::InvalidInput("capture time out of range".into()))
}

fn is_web_url(u: &str) -> bool {
    Url::parse(u)
        .map(|p| matches!(p.scheme(), "http" | "https" | "file"))
        .unwrap_or(false)
}

fn absolutize(base: &str, href: &str) -> Option<String> {
    let base = Url::parse(base).ok()?;
    let u = base.join(href.trim()).ok()?;
    matches!(u.scheme(), "http" | "https").then(|| u.to_string())
}

fn str_field(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(|s| truncate_chars(s.trim(), MAX_SHORT))
        .filter(|s| !s.is_empty())
}

fn size(v: &Value) -> Size {
    Size {
        height: v.get("height").and_then(Value::as_f64),
        width: v.get("width").and_then(Value::as_f64),
    }
}

/// Keep only string values of a flat map, capped in count and length.
fn string_map(v: Option<&Value>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Some(Value::Object(m)) = v {
        for (k, val) in m.iter().take(MAX_META_ENTRIES) {
            if let Some(s) = val.as_str() {
                out.insert(truncate_chars(k, 200), truncate_chars(s, MAX_SHORT));
            }
        }
    }
    out
}

/// Clip every string in a raw message so a hostile page can't bloat the record.
fn clip_strings(v: Value) -> Value {
    match v {
        Value::String(s) => Value::String(truncate_chars(&s, MAX_TEXT)),
        Value::Object(m) => {
            Value::Object(m.into_iter().map(|(k, v)| (k, clip_strings(v))).collect())
        }
        other => other,
    }
}

/// The first `max` characters of `s` (never splits a character).
pub fn truncate_chars(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => s[..i].to_string(),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A built value as JSON, to assert on exact keys.
    fn v(m: &impl Serialize) -> Value {
        serde_json::to_value(m).expect("serialises")
    }

    fn ctx() -> CaptureContext {
        CaptureContext {
            captured_at_ms: 1_764_089_746_000, // 2025-11-25T16:55:46Z
            local_offset_minutes: 60,
            time_zone: Some("Europe/Berlin".into()),
            trigger: "popup".into(),
            tab_url: "https://x.com/victim/status/1759241476758733209".into(),
            tab_title: Some("Tab title".into()),
            browser: Some("Chromium".into()),
            snapshot_method: Some("pageCapture.saveAsMHTML".into()),
            ..Default::default()
        }
    }

    fn raw() -> Value {
        json!({
            "schema": 1,
            "platform": "x",
            "page": {"url": "https://x.com/victim/status/1759241476758733209", "title": "Post / X",
                     "canonical": "/victim/status/1759241476758733209", "og": {"og:site_name": "X", "og:bad": 3}},
            "env": {"viewport": {"width": 1280, "height": 800}, "device_pixel_ratio": 2, "scroll": {"x": 0, "y": 40}},
            "messages": [
                {"platform": "x", "author_name": "Troll", "author_handle": "@troll", "author_url": "/troll",
                 "text": "I know where you live", "time_datetime": "2024-02-18T15:40:27.000Z",
                 "permalink": "/troll/status/1759241476758733209", "visible": true},
                {"platform": "x", "author_name": "Other", "text": "offscreen", "visible": false},
                "not an object",
                {"platform": 7}
            ],
            "messages_offscreen": 1
        })
    }

    #[test]
    fn builds_metadata_and_summary() {
        let built = build(&raw(), &ctx()).expect("builds");
        let m = &v(&built.metadata);
        assert_eq!(m["format"], METADATA_FORMAT);
        assert_eq!(
            m["page"]["canonical_url"],
            "https://x.com/victim/status/1759241476758733209"
        );
        assert_eq!(m["page"]["site_name"], "X");
        assert!(m["page"]["og"].get("og:bad").is_none());
        assert_eq!(m["capture"]["utc"], "2025-11-25T16:55:46.000Z");
        assert_eq!(m["capture"]["local_time"], "2025-11-25T17:55:46.000+01:00");
        assert_eq!(m["environment"]["viewport"]["width"], 1280.0);
        assert_eq!(m["messages"].as_array().map(Vec::len), Some(2));
        assert_eq!(m["messages"][0]["author"]["name"], "Troll");
        assert_eq!(
            m["messages"][0]["permalink"],
            "https://x.com/troll/status/1759241476758733209"
        );
        assert_eq!(m["messages"][1]["visible"], false);
        let s = &v(&built.summary);
        assert_eq!(s["site"], "x.com");
        assert_eq!(s["message_count"], 1);
        assert_eq!(s["excerpt"], "I know where you live");
    }

    #[test]
    fn unreadable_page_still_builds_with_missing_reason() {
        let mut c = ctx();
        c.extraction_error = Some("Cannot access contents of the page".into());
        c.missing = vec!["page snapshot (MHTML): the PDF viewer refused".into()];
        let built = build(&Value::Null, &c).expect("builds");
        let missing = v(&built.metadata)["missing"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(missing.len(), 2);
        assert_eq!(v(&built.metadata)["page"]["title"], "Tab title");
        assert_eq!(v(&built.summary)["message_count"], 0);
    }

    #[test]
    fn hostile_sizes_are_clipped() {
        let long = "x".repeat(100_000);
        let mut r = raw();
        r["page"]["title"] = Value::String(long.clone());
        r["messages"][0]["text"] = Value::String(long);
        let many: Vec<Value> = (0..2000).map(|_| json!({"text": "spam"})).collect();
        r["messages"].as_array_mut().expect("array").extend(many);
        let built = build(&r, &ctx()).expect("builds");
        let m = v(&built.metadata);
        assert!(m["page"]["title"].as_str().map(str::len) <= Some(MAX_SHORT));
        assert!(m["messages"][0]["text"].as_str().map(str::len) <= Some(MAX_TEXT));
        assert!(m["messages"].as_array().map(Vec::len) <= Some(MAX_MESSAGES));
    }

    /// Issue 10, finding 11: "server time from the post's id" only when the tab's real host
    /// (the capture context's `tab_url`, from the browser) is the id's platform.
    #[test]
    fn snowflake_time_only_on_the_real_platform_host() {
        let times = |page_url: &str, tab_url: &str| -> Vec<Value> {
            let mut r = raw();
            r["page"]["url"] = Value::String(page_url.into());
            // Absolute permalinks (as a `<base href="https://x.com/">` makes them) and
            // the X markup's ids, on every message.
            r["messages"][0]["permalink"] = "https://x.com/troll/status/1759241476758733209".into();
            r["messages"][0]["id"] = "1759241476758733209".into();
            r["messages"][1]["id"] = "1759241476758733210".into();
            let mut c = ctx();
            c.tab_url = tab_url.into();
            let built = build(&r, &c).expect("builds");
            v(&built.metadata)["messages"]
                .as_array()
                .map(|ms| ms.iter().map(|m| m["id_time_utc"].clone()).collect())
                .unwrap_or_default()
        };
        let forged = "http://127.0.0.1:8765/forged-x.html";
        for page_url in [forged, "https://x.com/victim/status/1759241476758733209"] {
            let got = times(page_url, forged);
            assert_eq!(got.len(), 2);
            assert!(
                got.iter().all(Value::is_null),
                "an X-like page on 127.0.0.1 (page url {page_url}) decoded {got:?}"
            );
        }
        let real = "https://x.com/victim/status/1759241476758733209";
        let got = times(real, real);
        assert_eq!(got[0], "2024-02-18T15:40:27.842Z", "{got:?}");
        assert!(got[1].is_string(), "{got:?}");
        // twitter.com and the mobile host are X too; Discord ids only on Discord.
        assert!(times(real, "https://mobile.twitter.com/a/status/1")[0].is_string());
        assert!(times(real, "https://discord.com/channels/1/2/3")[0].is_null());
    }

    #[test]
    fn truncation_respects_characters() {
        assert_eq!(truncate_chars("ünï", 2), "ün");
        assert_eq!(truncate_chars("ab", 5), "ab");
        assert_eq!(truncate_chars("", 0), "");
    }
}
