//! Time sources of a message: the `datetime` attribute, an epoch number, a `title`
//! attribute and the displayed text. Each parser returns `None` rather than guess; every
//! result is checked for plausibility (not before 1980, not more than a day after capture).

use chrono::{
    DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, TimeDelta, TimeZone,
    Utc,
};

use super::{absolute, relative, tokens};

/// Displayed texts longer than this are not time texts; they are not parsed.
const MAX_TIME_TEXT_CHARS: usize = 256;

/// 1980-01-01T00:00:00Z: nothing a message shows is older.
const MIN_PLAUSIBLE_MS: i64 = 315_532_800_000;

/// An instant found in one source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Found {
    /// The instant.
    pub utc: DateTime<Utc>,
    /// True when derived from relative or low-precision (date-only, inferred) information.
    pub approximate: bool,
}

/// What kind of displayed text a time came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ShownKind {
    /// A calendar date (possibly with an inferred year) or an ISO timestamp.
    Absolute,
    /// Relative to the capture: "2h", "Yesterday at 10:41", "Monday 10:41", "10:41".
    Relative,
}

/// RFC 3339 UTC with milliseconds: `2024-02-18T15:40:27.000Z`.
pub(super) fn format_utc(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Whether `t` can be the time of a message captured at `captured`.
pub(super) fn plausible(t: &DateTime<Utc>, captured: &DateTime<FixedOffset>) -> bool {
    let latest = captured
        .with_timezone(&Utc)
        .checked_add_signed(TimeDelta::days(1));
    t.timestamp_millis() >= MIN_PLAUSIBLE_MS && latest.is_some_and(|l| *t <= l)
}

fn checked(found: Found, captured: &DateTime<FixedOffset>) -> Option<Found> {
    plausible(&found.utc, captured).then_some(found)
}

/// ISO 8601 / RFC 3339 / RFC 2822 text. Without a zone the time is in `local`; a date
/// alone is local midnight and approximate.
fn parse_iso(s: &str, local: FixedOffset) -> Option<Found> {
    let exact = |utc: DateTime<Utc>| Found {
        utc,
        approximate: false,
    };
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(exact(t.with_timezone(&Utc)));
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f%#z",
        "%Y-%m-%d %H:%M:%S%.f%#z",
        "%Y-%m-%dT%H:%M%#z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(s, f) {
            return Some(exact(t.with_timezone(&Utc)));
        }
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(s) {
        return Some(exact(t.with_timezone(&Utc)));
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            let utc = local.from_local_datetime(&t).single()?.with_timezone(&Utc);
            return Some(exact(utc));
        }
    }
    let date = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    let utc = local
        .from_local_datetime(&date.and_time(NaiveTime::MIN))
        .single()?
        .with_timezone(&Utc);
    Some(Found {
        utc,
        approximate: true,
    })
}

/// Parses a `<time datetime>` / `datePublished` value (ISO forms, or a bare epoch number).
pub(super) fn parse_datetime_attr(s: &str, captured: &DateTime<FixedOffset>) -> Option<Found> {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > MAX_TIME_TEXT_CHARS {
        return None;
    }
    let found = match digits(s) {
        Some(n) => epoch(n as f64)?,
        None => parse_iso(s, *captured.offset())?,
    };
    checked(found, captured)
}

/// `Some(n)` when `s` is 9 to 13 ASCII digits (an epoch in seconds or milliseconds).
fn digits(s: &str) -> Option<u64> {
    let ok = (9..=13).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| s.parse().ok()).flatten()
}

/// Seconds since the epoch; values of 1e11 and more are taken as milliseconds.
fn epoch(v: f64) -> Option<Found> {
    if !v.is_finite() {
        return None;
    }
    let ms = if v.abs() >= 1e11 { v } else { v * 1000.0 };
    if ms.abs() > 1e16 {
        return None;
    }
    // In range: the cast cannot saturate.
    let utc = DateTime::from_timestamp_millis(ms.round() as i64)?;
    Some(Found {
        utc,
        approximate: false,
    })
}

/// An epoch number found in markup (`data-time`, `publish_time`).
pub(super) fn parse_epoch(v: f64, captured: &DateTime<FixedOffset>) -> Option<Found> {
    checked(epoch(v)?, captured)
}

/// Parses a `title` attribute: HN's `"2026-05-31T22:59:50 1780268390"` (UTC: the epoch
/// part, else the ISO part), a bare epoch, ISO forms, or an absolute displayed time.
pub(super) fn parse_title_attr(s: &str, captured: &DateTime<FixedOffset>) -> Option<Found> {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > MAX_TIME_TEXT_CHARS {
        return None;
    }
    let parts: Vec<&str> = s.split_whitespace().collect();
    if let [iso, number] = parts.as_slice() {
        if let (Some(n), Some(iso)) = (digits(number), parse_iso(iso, FixedOffset::east_opt(0)?)) {
            let from_epoch = epoch(n as f64).and_then(|f| checked(f, captured));
            return from_epoch.or_else(|| checked(iso, captured));
        }
    }
    if let Some(n) = digits(s) {
        return checked(epoch(n as f64)?, captured);
    }
    if let Some(found) = parse_iso(s, *captured.offset()) {
        return checked(found, captured);
    }
    let r = absolute::parse(&tokens::tokenize(s), captured)?;
    checked(
        Found {
            utc: r.utc,
            approximate: r.approximate,
        },
        captured,
    )
}

/// Parses the displayed time text: ISO forms, relative times, then calendar and
/// day-anchored times.
pub(super) fn parse_shown(s: &str, captured: &DateTime<FixedOffset>) -> Option<(Found, ShownKind)> {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > MAX_TIME_TEXT_CHARS {
        return None;
    }
    if let Some(found) = parse_iso(s, *captured.offset()) {
        return Some((checked(found, captured)?, ShownKind::Absolute));
    }
    let toks = tokens::tokenize(s);
    if let Some(utc) = relative::parse(&toks, captured) {
        let found = Found {
            utc,
            approximate: true,
        };
        return Some((checked(found, captured)?, ShownKind::Relative));
    }
    let r = absolute::parse(&toks, captured)?;
    let kind = if r.anchored {
        ShownKind::Relative
    } else {
        ShownKind::Absolute
    };
    let found = Found {
        utc: r.utc,
        approximate: r.approximate,
    };
    Some((checked(found, captured)?, kind))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn cap() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-06-01T12:00:00+02:00").unwrap()
    }

    fn show(o: Option<Found>) -> Option<(String, bool)> {
        o.map(|f| (format_utc(&f.utc), f.approximate))
    }

    fn some(s: &str, approx: bool) -> Option<(String, bool)> {
        Some((s.to_string(), approx))
    }

    #[test]
    fn datetime_attr_table() {
        let cases: &[(&str, Option<(String, bool)>)] = &[
            (
                "2024-02-18T15:40:27.000Z",
                some("2024-02-18T15:40:27.000Z", false),
            ),
            (
                "2024-02-18T15:40:27Z",
                some("2024-02-18T15:40:27.000Z", false),
            ),
            (
                "2024-02-18T15:40:27+01:00",
                some("2024-02-18T14:40:27.000Z", false),
            ),
            (
                "2024-02-18T15:40:27+0100",
                some("2024-02-18T14:40:27.000Z", false),
            ),
            (
                "2024-02-18 15:40:27+01",
                some("2024-02-18T14:40:27.000Z", false),
            ),
            (
                "2024-02-18T15:40:27.123456Z",
                some("2024-02-18T15:40:27.123Z", false),
            ),
            // No zone: the capture's local offset (+02:00).
            (
                "2024-02-18T15:40:27",
                some("2024-02-18T13:40:27.000Z", false),
            ),
            ("2024-02-18T15:40", some("2024-02-18T13:40:00.000Z", false)),
            ("2016-09-27", some("2016-09-26T22:00:00.000Z", true)),
            (
                "Mon, 05 Feb 2024 10:00:00 GMT",
                some("2024-02-05T10:00:00.000Z", false),
            ),
            ("1780268390", some("2026-05-31T22:59:50.000Z", false)),
            ("1780268390123", some("2026-05-31T22:59:50.123Z", false)),
            (
                "  2024-02-18T15:40:27Z  ",
                some("2024-02-18T15:40:27.000Z", false),
            ),
            ("", None),
            ("   ", None),
            ("garbage", None),
            ("2024-02-30", None),
            ("2024-13-01T00:00:00Z", None),
            ("1970-01-01T00:00:00Z", None),
            ("2099-01-01T00:00:00Z", None),
            ("99999-01-01T00:00:00Z", None),
            ("PT2H", None),
            ("😀", None),
        ];
        for (input, want) in cases {
            assert_eq!(show(parse_datetime_attr(input, &cap())), *want, "{input:?}");
        }
    }

    #[test]
    fn epoch_table() {
        let cases: &[(f64, Option<(String, bool)>)] = &[
            (1_708_270_827.0, some("2024-02-18T15:40:27.000Z", false)),
            (1_708_270_827.5, some("2024-02-18T15:40:27.500Z", false)),
            (1_708_270_827_000.0, some("2024-02-18T15:40:27.000Z", false)),
            (0.0, None),
            (-1.0, None),
            (f64::NAN, None),
            (f64::INFINITY, None),
            (f64::NEG_INFINITY, None),
            (1e300, None),
            (4_102_444_800.0, None),
        ];
        for (input, want) in cases {
            assert_eq!(show(parse_epoch(*input, &cap())), *want, "{input:?}");
        }
    }

    #[test]
    fn title_attr_table() {
        let cases: &[(&str, Option<(String, bool)>)] = &[
            (
                "2026-05-31T22:59:50 1780268390",
                some("2026-05-31T22:59:50.000Z", false),
            ),
            // Epoch part wins over the ISO part when both are there.
            (
                "2026-05-31T22:00:00 1780268390",
                some("2026-05-31T22:59:50.000Z", false),
            ),
            // Implausible epoch: the ISO part, read as UTC.
            (
                "2026-05-31T22:59:50 100000000",
                some("2026-05-31T22:59:50.000Z", false),
            ),
            ("1780268390", some("2026-05-31T22:59:50.000Z", false)),
            (
                "2024-02-18T15:40:27Z",
                some("2024-02-18T15:40:27.000Z", false),
            ),
            (
                "Tuesday, 3 April 2018 at 20:02",
                some("2018-04-03T18:02:00.000Z", false),
            ),
            ("3 April 2018", some("2018-04-02T22:00:00.000Z", true)),
            // Relative text is not accepted from a title.
            ("2 hours ago", None),
            ("", None),
            ("nonsense words", None),
        ];
        for (input, want) in cases {
            assert_eq!(show(parse_title_attr(input, &cap())), *want, "{input:?}");
        }
    }

    #[test]
    fn shown_kinds() {
        let c = cap();
        let kind = |s: &str| parse_shown(s, &c).map(|(_, k)| k);
        assert_eq!(kind("2h"), Some(ShownKind::Relative));
        assert_eq!(kind("Yesterday at 10:41"), Some(ShownKind::Relative));
        assert_eq!(kind("Mar 5, 2024"), Some(ShownKind::Absolute));
        assert_eq!(kind("2024-02-18 15:40"), Some(ShownKind::Absolute));
        assert_eq!(kind("2099-02-18 15:40"), None);
        assert_eq!(kind(&"1".repeat(300)), None);
        let (f, _) = parse_shown("2024-02-18 15:40", &c).unwrap();
        assert_eq!(format_utc(&f.utc), "2024-02-18T13:40:00.000Z");
        assert!(!f.approximate);
    }

    #[test]
    fn plausibility_window() {
        let c = cap();
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert!(plausible(&at("2026-06-02T09:59:59Z"), &c));
        assert!(plausible(&at("2026-06-02T10:00:00Z"), &c));
        assert!(!plausible(&at("2026-06-02T10:00:01Z"), &c));
        assert!(plausible(&at("1980-01-01T00:00:00Z"), &c));
        assert!(!plausible(&at("1979-12-31T23:59:59Z"), &c));
    }
}
