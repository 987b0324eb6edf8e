//! The times of one sweep step's messages, for the "how far back" limit: a machine-readable
//! time where the page gives one, else the time shown resolved against its day separator
//! or its own date (WhatsApp), exactly as the record will hold it ([`super::build`]).

use super::build::normalise;
use super::StepMessage;
use crate::capture::{self, CaptureContext};
use crate::error::Result;
use crate::zone::ZoneOffsets;
use chrono::DateTime;

/// Each message's time in ms since the epoch, or `None` where it cannot be worked out;
/// chat times read in `zone` when given (the table the capture passes, as in
/// [`super::LongCaptureInput::zone_offsets`]), else in the capture's offset.
pub fn step_times(
    messages: &[StepMessage],
    ctx: &CaptureContext,
    zone: Option<&ZoneOffsets>,
) -> Result<Vec<Option<i64>>> {
    let captured = capture::capture_time(ctx)?;
    Ok(messages
        .iter()
        .take(super::build::MAX_MESSAGES)
        .map(|sm| {
            let item = normalise(sm, &ctx.tab_url, &ctx.tab_url, &captured, zone);
            item.message
                .time
                .utc
                .as_deref()
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.timestamp_millis())
        })
        .collect())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn exact_times_day_separators_and_own_dates() {
        let ctx = CaptureContext {
            captured_at_ms: 1_764_583_200_000, // 2025-12-01T10:00:00Z
            local_offset_minutes: 60,
            tab_url: "http://127.0.0.1/chat.html".into(),
            ..Default::default()
        };
        let msgs: Vec<StepMessage> = serde_json::from_value(json!([
            {"platform": "discord", "time_datetime": "2025-11-20T08:00:00.000Z", "text": "a"},
            {"platform": "discord", "time_text": "21:14", "day_label": "20/11/2025", "text": "b"},
            {"platform": "whatsapp", "time_text": "21:14, 20/11/2025", "text": "c"},
            {"platform": "discord", "text": "no time shown"}
        ]))
        .unwrap();
        let t = step_times(&msgs, &ctx, None).unwrap();
        let ms = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().timestamp_millis();
        assert_eq!(
            t,
            vec![
                Some(ms("2025-11-20T08:00:00Z")),
                Some(ms("2025-11-20T20:14:00Z")),
                Some(ms("2025-11-20T20:14:00Z")),
                None
            ]
        );
        // With London's table, captured in winter: a summer day's time is read in BST.
        let msgs: Vec<StepMessage> = serde_json::from_value(json!([
            {"platform": "discord", "time_text": "21:14", "day_label": "29/03/2026", "text": "b"},
            {"platform": "whatsapp", "time_text": "21:14, 28/03/2026", "text": "c"}
        ]))
        .unwrap();
        let london = crate::zone::tests::london();
        let t = step_times(&msgs, &ctx, Some(&london)).unwrap();
        assert_eq!(
            t,
            vec![
                Some(ms("2026-03-29T20:14:00Z")),
                Some(ms("2026-03-28T21:14:00Z"))
            ]
        );
    }
}
