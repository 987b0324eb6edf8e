//! Times in chat apps: a time of day on each message, the date in day separators
//! ("Today", "Yesterday", "Monday", "20/11/2026", "November 20, 2026"), or both in one
//! string (WhatsApp Web's `data-pre-plain-text="[21:14, 20/11/2026] Name: "`).
//!
//! Resolved in the capture's zone (the offset at the message's own date, from the table
//! the caller passes, [`crate::zone`]; without one, the capture's offset; the core never
//! reads the clock) and returned as the one model's [`MessageTime`] (milliseconds UTC, with
//! the offset used and the time as shown). A date fixed only by "Yesterday" or a weekday is
//! approximate (the app may count days in another zone), and so is a numeric date whose
//! day and month could be swapped (05/06/2026).

use crate::thread::MessageTime;
use crate::zone::{resolve_local, LocalFit, ZoneOffsets};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, TimeDelta};

const WEEKDAYS: [(&str, u32); 14] = [
    ("monday", 0),
    ("tuesday", 1),
    ("wednesday", 2),
    ("thursday", 3),
    ("friday", 4),
    ("saturday", 5),
    ("sunday", 6),
    ("mon", 0),
    ("tue", 1),
    ("wed", 2),
    ("thu", 3),
    ("fri", 4),
    ("sat", 5),
    ("sun", 6),
];

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// The calendar day a separator names, seen on `today` (the capture's local date), and
/// whether it is approximate. `None` when the label is not a day.
pub fn day_of_label(label: &str, today: NaiveDate) -> Option<(NaiveDate, bool)> {
    let l = label.trim().to_lowercase();
    let l = l.trim_end_matches([',', '.']);
    if l.is_empty() || l.len() > 64 {
        return None;
    }
    match l {
        "today" => return Some((today, false)),
        "yesterday" => return Some((today.checked_sub_signed(TimeDelta::days(1))?, true)),
        _ => {}
    }
    if let Some(&(_, wd)) = WEEKDAYS.iter().find(|(n, _)| *n == l) {
        // The last such day before today (chat apps say "Today" for today).
        let now = today.weekday().num_days_from_monday();
        let back = (now + 7 - wd) % 7;
        let back = if back == 0 { 7 } else { back };
        return Some((
            today.checked_sub_signed(TimeDelta::days(back.into()))?,
            true,
        ));
    }
    numeric_date(l).or_else(|| worded_date(l, today))
}

/// `20/11/2026`, `20.11.2026`, `20-11-2026`, `2026-11-20`; day first unless the first
/// number cannot be a day-of-month-first reading (then month first). Ambiguous readings
/// (both numbers 12 or less, and different) are approximate.
fn numeric_date(l: &str) -> Option<(NaiveDate, bool)> {
    let parts: Vec<&str> = l.split(['/', '.', '-']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) || p.len() > 4)
    {
        return None;
    }
    let n: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    if n.len() != 3 {
        return None;
    }
    if parts[0].len() == 4 {
        return NaiveDate::from_ymd_opt(n[0] as i32, n[1], n[2]).map(|d| (d, false));
    }
    let year = if parts[2].len() == 2 {
        2000 + n[2]
    } else {
        n[2]
    } as i32;
    if n[0] > 12 {
        return NaiveDate::from_ymd_opt(year, n[1], n[0]).map(|d| (d, false));
    }
    if n[1] > 12 {
        return NaiveDate::from_ymd_opt(year, n[0], n[1]).map(|d| (d, false));
    }
    NaiveDate::from_ymd_opt(year, n[1], n[0]).map(|d| (d, n[0] != n[1]))
}

/// `November 20, 2026`, `20 November 2026`, `Friday, November 20, 2026`, `20 Nov`
/// (no year: this year, or last year when that would be in the future).
fn worded_date(l: &str, today: NaiveDate) -> Option<(NaiveDate, bool)> {
    let words: Vec<&str> = l
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let mut month = None;
    let mut nums: Vec<u32> = Vec::new();
    for w in &words {
        if let Some(i) = MONTHS.iter().position(|m| w.starts_with(m)) {
            month = Some(i as u32 + 1);
        } else if let Ok(n) = w
            .trim_end_matches(['s', 't', 'n', 'd', 'r', 'h'])
            .parse::<u32>()
        {
            nums.push(n);
        } else if !WEEKDAYS.iter().any(|(n, _)| w.starts_with(n)) {
            return None;
        }
    }
    let month = month?;
    let (day, year, approx) = match nums.as_slice() {
        [d] => (*d, today.year(), true),
        [a, b] if *a > 31 => (*b, *a as i32, false),
        [d, y] => (*d, *y as i32, false),
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    if approx && date > today {
        return Some((NaiveDate::from_ymd_opt(year - 1, month, day)?, true));
    }
    Some((date, approx))
}

/// A time of day: `21:14`, `21:14:05`, `9:14 PM`, `9:14pm`, `09.14`.
pub fn time_of_day(s: &str) -> Option<NaiveTime> {
    let t = s.trim().to_lowercase();
    let (clock, pm) = if let Some(x) = t.strip_suffix("pm") {
        (x.trim(), Some(true))
    } else if let Some(x) = t.strip_suffix("am") {
        (x.trim(), Some(false))
    } else {
        (t.as_str(), None)
    };
    let parts: Vec<&str> = clock.split([':', '.']).collect();
    if !(2..=3).contains(&parts.len())
        || parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 2 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let mut h: u32 = parts[0].parse().ok()?;
    let m: u32 = parts[1].parse().ok()?;
    let sec: u32 = parts.get(2).map_or(Some(0), |p| p.parse().ok())?;
    match pm {
        Some(true) if (1..=12).contains(&h) => h = h % 12 + 12,
        Some(false) if (1..=12).contains(&h) => h %= 12,
        Some(_) => return None,
        None => {}
    }
    NaiveTime::from_hms_opt(h, m, sec)
}

/// Resolve a chat message's time from its shown time text (`21:14`, or WhatsApp's
/// `21:14, 20/11/2026`) and the day separator above it, in the capture's offset.
pub fn resolve(
    time_text: &str,
    day_label: Option<&str>,
    captured: &DateTime<FixedOffset>,
) -> Option<MessageTime> {
    resolve_in(time_text, day_label, captured, None)
}

/// As [`resolve`], but in the capture's zone when a table is given: the local time is
/// read in the offset of its own date ([`crate::zone`]; a time a clock change skipped or
/// repeated is approximate). "Today" is the capture's local date either way.
pub fn resolve_in(
    time_text: &str,
    day_label: Option<&str>,
    captured: &DateTime<FixedOffset>,
    zone: Option<&ZoneOffsets>,
) -> Option<MessageTime> {
    let today = captured.date_naive();
    let (clock, day) = match time_text.split_once(',') {
        // WhatsApp: "[21:14, 20/11/2026]" (brackets already removed by the adapter).
        Some((a, b)) if time_of_day(a).is_some() => (a, day_of_label(b, today)),
        Some((a, b)) if time_of_day(b).is_some() => (b, day_of_label(a, today)),
        _ => (time_text, day_label.and_then(|l| day_of_label(l, today))),
    };
    let (date, approximate) = day?;
    let local = date.and_time(time_of_day(clock.trim_matches(['[', ']', ' ']))?);
    let r = resolve_local(local, zone, captured.offset().local_minus_utc() / 60)?;
    Some(MessageTime {
        utc_ms: Some(r.utc.timestamp_millis()),
        offset_minutes: Some(r.offset_minutes),
        approximate: approximate || r.fit != LocalFit::Single,
        shown: Some(time_text.to_string()),
    })
}
