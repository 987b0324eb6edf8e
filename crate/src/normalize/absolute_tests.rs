//! Table tests for `absolute`. Capture: Monday 2026-06-01 12:00 at +02:00 (10:00Z).

use super::super::tokens::tokenize;
use super::*;

fn cap() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-06-01T12:00:00+02:00").unwrap()
}

/// (UTC instant, approximate, anchored)
fn abs(s: &str) -> Option<(String, bool, bool)> {
    parse(&tokenize(s), &cap()).map(|r| {
        let utc = r.utc.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        (utc, r.approximate, r.anchored)
    })
}

/// Exact calendar time.
fn exact(s: &str) -> Option<(String, bool, bool)> {
    Some((s.to_string(), false, false))
}

/// Calendar date with inferred year or missing time.
fn approx(s: &str) -> Option<(String, bool, bool)> {
    Some((s.to_string(), true, false))
}

/// Anchored on the capture date (day word, weekday) with a time.
fn anchored(s: &str) -> Option<(String, bool, bool)> {
    Some((s.to_string(), false, true))
}

/// Anchored and approximate (time only, or day word without time).
fn anchored_approx(s: &str) -> Option<(String, bool, bool)> {
    Some((s.to_string(), true, true))
}

#[test]
fn day_words() {
    let cases = [
        ("Yesterday at 10:41", anchored("2026-05-31T08:41:00Z")),
        ("Today 09:15", anchored("2026-06-01T07:15:00Z")),
        ("Yesterday 10:41 PM", anchored("2026-05-31T20:41:00Z")),
        ("ayer a las 10:41", anchored("2026-05-31T08:41:00Z")),
        ("hier à 10:41", anchored("2026-05-31T08:41:00Z")),
        ("hier à 10h41", anchored("2026-05-31T08:41:00Z")),
        ("gestern um 10:41", anchored("2026-05-31T08:41:00Z")),
        ("gestern um 10:41 Uhr", anchored("2026-05-31T08:41:00Z")),
        ("aujourd'hui à 09:15", anchored("2026-06-01T07:15:00Z")),
        ("ontem às 10:41", anchored("2026-05-31T08:41:00Z")),
        ("ieri alle 10:41", anchored("2026-05-31T08:41:00Z")),
        ("vorgestern 08:00", anchored("2026-05-30T06:00:00Z")),
        ("Yesterday", anchored_approx("2026-05-30T22:00:00Z")),
        ("YESTERDAY AT 10:41", anchored("2026-05-31T08:41:00Z")),
    ];
    for (input, want) in cases {
        assert_eq!(abs(input), want, "{input:?}");
    }
}

#[test]
fn weekdays() {
    let cases = [
        // Capture is a Monday: today when the time has passed, else a week back.
        ("Monday at 10:41", anchored("2026-06-01T08:41:00Z")),
        ("Mon 10:41", anchored("2026-06-01T08:41:00Z")),
        ("Monday at 13:00", anchored("2026-05-25T11:00:00Z")),
        ("Sunday 10:41", anchored("2026-05-31T08:41:00Z")),
        ("Fri 10:41", anchored("2026-05-29T08:41:00Z")),
        ("mar 10:41", anchored("2026-05-26T08:41:00Z")),
        ("lunes 10:41", anchored("2026-06-01T08:41:00Z")),
        ("Mittwoch um 10:41", anchored("2026-05-27T08:41:00Z")),
        ("mercredi à 10:41", anchored("2026-05-27T08:41:00Z")),
        ("sábado 9:00 PM", anchored("2026-05-30T19:00:00Z")),
        ("Tuesday", anchored_approx("2026-05-25T22:00:00Z")),
    ];
    for (input, want) in cases {
        assert_eq!(abs(input), want, "{input:?}");
    }
}

#[test]
fn calendar_dates() {
    let cases = [
        ("Mar 5", approx("2026-03-04T22:00:00Z")),
        ("5 Mar", approx("2026-03-04T22:00:00Z")),
        ("Mar 5, 2024", approx("2024-03-04T22:00:00Z")),
        ("13 May 2020 at 01:01", exact("2020-05-12T23:01:00Z")),
        ("3 April 2018 at 20:02", exact("2018-04-03T18:02:00Z")),
        (
            "Tuesday, 3 April 2018 at 20:02",
            exact("2018-04-03T18:02:00Z"),
        ),
        ("2 June at 01:24", approx("2025-06-01T23:24:00Z")),
        ("1 June at 11:00", approx("2026-06-01T09:00:00Z")),
        ("1 June at 13:00", approx("2025-06-01T11:00:00Z")),
        ("18:07 - 13 may. 2019", exact("2019-05-13T16:07:00Z")),
        ("9:00 AM · Jan 27, 2026", exact("2026-01-27T07:00:00Z")),
        (
            "Friday, October 4, 2013 at 10:05pm PDT",
            exact("2013-10-05T05:05:00Z"),
        ),
        (
            "October 4, 2013 at 10:05 pm PST",
            exact("2013-10-05T06:05:00Z"),
        ),
        ("27 ene 2026", approx("2026-01-26T22:00:00Z")),
        ("janv. 2026", approx("2025-12-31T22:00:00Z")),
        ("März 2026", approx("2026-02-28T22:00:00Z")),
        (
            "2 de junio de 2025 a las 10:00",
            exact("2025-06-02T08:00:00Z"),
        ),
        ("2. Juni 2025 um 10:00", exact("2025-06-02T08:00:00Z")),
        ("1er mai 2024", approx("2024-04-30T22:00:00Z")),
        ("Sept. 3rd, 2024", approx("2024-09-02T22:00:00Z")),
        ("3 de março de 2024 às 14:05", exact("2024-03-03T12:05:00Z")),
        ("3 marzo 2024 alle 14:05", exact("2024-03-03T12:05:00Z")),
        ("15 août 2023 à 08:00", exact("2023-08-15T06:00:00Z")),
        ("Feb 29", approx("2024-02-28T22:00:00Z")),
        ("Feb 29, 2024", approx("2024-02-28T22:00:00Z")),
        // Future dates are parsed here; the caller's plausibility check drops them.
        ("Mar 5, 2030", approx("2030-03-04T22:00:00Z")),
    ];
    for (input, want) in cases {
        assert_eq!(abs(input), want, "{input:?}");
    }
}

#[test]
fn numeric_dates() {
    let cases = [
        ("13.05.2020 01:01", exact("2020-05-12T23:01:00Z")),
        ("13.05.20 01:01", exact("2020-05-12T23:01:00Z")),
        ("25/12/2023", approx("2023-12-24T22:00:00Z")),
        ("12/25/2023", approx("2023-12-24T22:00:00Z")),
        ("04/04/2023", approx("2023-04-03T22:00:00Z")),
        ("2024/02/18 15:40", exact("2024-02-18T13:40:00Z")),
        ("2024-02-18 3:40 pm", exact("2024-02-18T13:40:00Z")),
        ("13-05-2020, 01:01", exact("2020-05-12T23:01:00Z")),
        ("10/04/2013", None),
        ("10-04-2013", None),
        ("31/31/2020", None),
        ("2023.02.29", None),
        ("13.05.2020 Mar 5", None),
    ];
    for (input, want) in cases {
        assert_eq!(abs(input), want, "{input:?}");
    }
}

#[test]
fn times_of_day_and_zones() {
    let cases = [
        ("10:41", anchored_approx("2026-06-01T08:41:00Z")),
        ("10:41:30", anchored_approx("2026-06-01T08:41:30Z")),
        ("13:00", anchored_approx("2026-05-31T11:00:00Z")),
        ("10pm", anchored_approx("2026-05-31T20:00:00Z")),
        ("10 PM", anchored_approx("2026-05-31T20:00:00Z")),
        ("12:30 a.m.", anchored_approx("2026-05-31T22:30:00Z")),
        ("12:00 PM", anchored_approx("2026-06-01T10:00:00Z")),
        ("10:05 p. m.", anchored_approx("2026-05-31T20:05:00Z")),
        ("10h41", anchored_approx("2026-06-01T08:41:00Z")),
        ("10:41 UTC", anchored_approx("2026-05-31T10:41:00Z")),
        ("09:41 GMT", anchored_approx("2026-06-01T09:41:00Z")),
        ("10:41 GMT+2", anchored_approx("2026-06-01T08:41:00Z")),
        ("10:41 UTC-05:00", anchored_approx("2026-05-31T15:41:00Z")),
        ("Mar 5, 2024 10:00 UTC+0530", exact("2024-03-05T04:30:00Z")),
        ("Mar 5, 2024 10:00 CEST", exact("2024-03-05T08:00:00Z")),
        ("Mar 5, 2024 10:00 UTC - Reply", None),
    ];
    for (input, want) in cases {
        assert_eq!(abs(input), want, "{input:?}");
    }
}

#[test]
fn rejects_garbage_and_impossible() {
    for input in [
        "",
        "   ",
        "hello",
        "Mar",
        "2024",
        "5",
        "31 31",
        "Mar 5 Apr",
        "Mar 5, 2024, 2025",
        "25:00",
        "10:61",
        "10:5",
        "13:00 PM",
        "0:30 am",
        "tomorrow at 10:00",
        "Yesterday Mar 5",
        "Yesterday 2024",
        "Monday 5",
        "Feb 30",
        "Feb 29, 2023",
        "Jan 2026 10:00",
        "😀😀",
        "99999999999h",
        "99999999999999999999 May 2020",
        "May 2020 99999999999999999999",
        "10:41 10:42",
        "2024-02-18 2024-02-19",
        "10:41 GMT+99",
        "10:41 UTC PST",
        "2h",
        "Room 5 at 10:41",
        "::::////----....",
    ] {
        assert_eq!(abs(input), None, "{input:?}");
    }
}
