//! Local date and time stamps of chat exports, read in the caller's zone
//! ([`crate::zone`]: the offset at each date) or, without a zone table, one fixed offset.

use super::{MessageTime, ReadContext};
use crate::zone::{resolve_local, LocalFit};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// A date as written: three numbers in the order they appear, the year maybe 2 digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct RawDate {
    pub(super) a: u32,
    pub(super) b: u32,
    pub(super) year: i32,
}

/// Parse `28/11/2026`, `11/28/26`, `28.11.26`, `2026-11-28` (year first).
pub(super) fn raw_date(s: &str) -> Option<RawDate> {
    let parts: Vec<&str> = s.split(['/', '.', '-']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 4 || !p.bytes().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let n: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    if n.len() != 3 {
        return None;
    }
    if parts[0].len() == 4 {
        // Year first: always year-month-day.
        return Some(RawDate {
            a: n[2],
            b: n[1],
            year: n[0] as i32,
        });
    }
    let year = match parts[2].len() {
        2 => 2000 + n[2] as i32,
        4 => n[2] as i32,
        _ => return None,
    };
    Some(RawDate {
        a: n[0],
        b: n[1],
        year,
    })
}

/// Parse `14:03`, `14:03:11`, `2:03 PM`, `2:03:11 p.m.` (with any space before the marker).
pub(super) fn raw_time(s: &str) -> Option<(NaiveTime, bool)> {
    let s = s.trim();
    let lower = s.to_lowercase().replace(['.', '\u{202f}', '\u{a0}'], " ");
    let lower = lower.trim();
    let (clock, pm) = if let Some(c) = lower
        .strip_suffix("pm")
        .or_else(|| lower.strip_suffix("p m"))
    {
        (c.trim(), Some(true))
    } else if let Some(c) = lower
        .strip_suffix("am")
        .or_else(|| lower.strip_suffix("a m"))
    {
        (c.trim(), Some(false))
    } else {
        (lower, None)
    };
    let nums: Vec<&str> = clock.split(':').collect();
    if !(2..=3).contains(&nums.len())
        || nums
            .iter()
            .any(|p| p.is_empty() || p.len() > 2 || !p.bytes().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let mut h: u32 = nums[0].parse().ok()?;
    let m: u32 = nums[1].parse().ok()?;
    let sec: u32 = nums.get(2).map_or(Some(0), |x| x.parse().ok())?;
    if let Some(pm) = pm {
        if !(1..=12).contains(&h) {
            return None;
        }
        h = match (h, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
    }
    Some((NaiveTime::from_hms_opt(h, m, sec)?, nums.len() == 3))
}

/// The date with the given order (`month_first`), when it is a real date.
pub(super) fn date_of(d: RawDate, month_first: bool, year_first: bool) -> Option<NaiveDate> {
    let (day, month) = if month_first && !year_first {
        (d.b, d.a)
    } else {
        (d.a, d.b)
    };
    NaiveDate::from_ymd_opt(d.year, month, day)
}

/// A local time read as `ctx` says (the zone's offset at that date when the caller gave
/// a table, else its fixed offset) as a [`MessageTime`], with how it fit the zone.
pub(super) fn chat_time(
    local: NaiveDateTime,
    ctx: &ReadContext,
    approximate: bool,
    shown: &str,
) -> Option<(MessageTime, LocalFit)> {
    let r = resolve_local(local, ctx.zone_offsets.as_ref(), ctx.local_offset_minutes)?;
    Some((
        MessageTime {
            utc_ms: Some(r.utc.timestamp_millis()),
            offset_minutes: Some(r.offset_minutes),
            approximate: approximate || r.fit != LocalFit::Single,
            shown: Some(shown.to_string()),
        },
        r.fit,
    ))
}

/// The note for messages whose local time a clock change made odd, if any.
pub(super) fn clock_change_note(gaps: usize, overlaps: usize) -> Option<String> {
    let mut parts = Vec::new();
    if gaps > 0 {
        parts.push(format!("{gaps} message time(s) fall in an hour the clocks skipped (they were read in the offset after the change)"));
    }
    if overlaps > 0 {
        parts.push(format!("{overlaps} message time(s) fall in an hour the clocks repeated (the earlier of the two moments was taken)"));
    }
    (!parts.is_empty()).then(|| format!("{}; each is marked approximate.", parts.join("; ")))
}
