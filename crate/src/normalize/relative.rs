//! Relative displayed times: "now", "2h", "3 yr. ago", "an hour ago", "hace 2 h",
//! "il y a 3 heures", "vor 2 Stunden", "Edited 3h ago". Always relative to the capture
//! instant, so the caller marks them approximate.

use chrono::{DateTime, FixedOffset, Months, TimeDelta, Utc};

use super::lexicon::{self, Unit};
use super::tokens::{Tok, Token};

/// A relative amount, split into calendar months and exact seconds.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Amount {
    months: u32,
    seconds: i64,
}

impl Amount {
    /// Adds `count` of `unit`; `None` on overflow.
    fn add(self, count: u64, unit: Unit) -> Option<Amount> {
        let per_second = match unit {
            Unit::Month => return self.add_months(count, 1),
            Unit::Year => return self.add_months(count, 12),
            Unit::Second => 1,
            Unit::Minute => 60,
            Unit::Hour => 3_600,
            Unit::Day => 86_400,
            Unit::Week => 604_800,
        };
        let secs = i64::try_from(count).ok()?.checked_mul(per_second)?;
        Some(Amount {
            seconds: self.seconds.checked_add(secs)?,
            ..self
        })
    }

    fn add_months(self, count: u64, per: u32) -> Option<Amount> {
        let m = u32::try_from(count).ok()?.checked_mul(per)?;
        Some(Amount {
            months: self.months.checked_add(m)?,
            ..self
        })
    }
}

/// The count a token stands for before a unit: a number, or an article meaning one.
fn count(tok: &Tok) -> Option<u64> {
    match tok {
        Tok::Num(v, _) => Some(*v),
        Tok::Word(w) if lexicon::is_article(w) => Some(1),
        _ => None,
    }
}

/// Parses a relative time; `None` when the text is not (only) a relative time or the
/// result is out of chrono's range. Plausibility is the caller's job.
pub(super) fn parse(tokens: &[Token], captured: &DateTime<FixedOffset>) -> Option<DateTime<Utc>> {
    // Punctuation carries nothing here ("3 yr. ago", "hrs.", "-5m").
    let toks: Vec<&Tok> = tokens
        .iter()
        .map(|t| &t.tok)
        .filter(|t| !matches!(t, Tok::Punct(_)))
        .collect();

    let phrase: Vec<&str> = toks
        .iter()
        .filter_map(|t| match t {
            Tok::Word(w) if !lexicon::is_status_word(w) => Some(w.as_str()),
            Tok::Word(_) => None,
            Tok::Num(..) => Some("#"),
            Tok::Punct(_) => None,
        })
        .collect();
    if phrase.is_empty() {
        return None;
    }
    if lexicon::is_now_phrase(&phrase.join(" ")) {
        return Some(captured.with_timezone(&Utc));
    }

    let mut amount = Amount::default();
    let mut pairs = 0usize;
    let mut i = 0;
    while let Some(tok) = toks.get(i) {
        let unit = match toks.get(i + 1) {
            Some(Tok::Word(w)) => lexicon::unit(w),
            _ => None,
        };
        if let (Some(n), Some(u)) = (count(tok), unit) {
            amount = amount.add(n, u)?;
            pairs += 1;
            i += 2;
            continue;
        }
        match tok {
            Tok::Word(w) if lexicon::is_relative_filler(w) => i += 1,
            _ => return None,
        }
    }
    if pairs == 0 {
        return None;
    }
    let at = captured
        .checked_sub_months(Months::new(amount.months))?
        .checked_sub_signed(TimeDelta::try_seconds(amount.seconds)?)?;
    Some(at.with_timezone(&Utc))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    fn cap() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-02-01T12:00:00+01:00").unwrap()
    }

    fn rel(s: &str) -> Option<String> {
        parse(&tokenize(s), &cap()).map(|d| d.to_rfc3339())
    }

    #[test]
    fn table() {
        let cases: &[(&str, Option<&str>)] = &[
            ("now", Some("2026-02-01T11:00:00+00:00")),
            ("Just now", Some("2026-02-01T11:00:00+00:00")),
            ("à l'instant", Some("2026-02-01T11:00:00+00:00")),
            ("gerade eben", Some("2026-02-01T11:00:00+00:00")),
            ("Edited just now", Some("2026-02-01T11:00:00+00:00")),
            ("0m", Some("2026-02-01T11:00:00+00:00")),
            ("5s", Some("2026-02-01T10:59:55+00:00")),
            ("2m", Some("2026-02-01T10:58:00+00:00")),
            ("2h", Some("2026-02-01T09:00:00+00:00")),
            ("3d", Some("2026-01-29T11:00:00+00:00")),
            ("1w", Some("2026-01-25T11:00:00+00:00")),
            ("6y", Some("2020-02-01T11:00:00+00:00")),
            ("12 mths", Some("2025-02-01T11:00:00+00:00")),
            ("2mo", Some("2025-12-01T11:00:00+00:00")),
            ("1 yr", Some("2025-02-01T11:00:00+00:00")),
            ("3 yr. ago", Some("2023-02-01T11:00:00+00:00")),
            ("2 hours ago", Some("2026-02-01T09:00:00+00:00")),
            ("5 minutes ago", Some("2026-02-01T10:55:00+00:00")),
            ("a day ago", Some("2026-01-31T11:00:00+00:00")),
            ("an hour ago", Some("2026-02-01T10:00:00+00:00")),
            ("2 hrs", Some("2026-02-01T09:00:00+00:00")),
            ("Edited 3h ago", Some("2026-02-01T08:00:00+00:00")),
            ("• edited 3h ago", Some("2026-02-01T08:00:00+00:00")),
            ("hace 2 h", Some("2026-02-01T09:00:00+00:00")),
            ("hace un día", Some("2026-01-31T11:00:00+00:00")),
            ("il y a 3 heures", Some("2026-02-01T08:00:00+00:00")),
            ("il y a 1 an", Some("2025-02-01T11:00:00+00:00")),
            ("il y a un an", Some("2025-02-01T11:00:00+00:00")),
            ("vor 2 Stunden", Some("2026-02-01T09:00:00+00:00")),
            ("vor einer Stunde", Some("2026-02-01T10:00:00+00:00")),
            ("há 2 horas", Some("2026-02-01T09:00:00+00:00")),
            ("2 ore fa", Some("2026-02-01T09:00:00+00:00")),
            (
                "1 hour and 30 minutes ago",
                Some("2026-02-01T09:30:00+00:00"),
            ),
            ("1h 30m", Some("2026-02-01T09:30:00+00:00")),
            ("🔥 2h", Some("2026-02-01T09:00:00+00:00")),
        ];
        for (input, want) in cases {
            assert_eq!(rel(input).as_deref(), *want, "{input:?}");
        }
    }

    #[test]
    fn month_arithmetic_clamps_to_month_end() {
        let cap = DateTime::parse_from_rfc3339("2024-03-31T10:00:00Z").unwrap();
        let got = parse(&tokenize("1 month ago"), &cap).unwrap();
        assert_eq!(got.to_rfc3339(), "2024-02-29T10:00:00+00:00");
    }

    #[test]
    fn rejects_non_relative_and_hostile() {
        for input in [
            "",
            "   ",
            "garbage",
            "ago",
            "hours ago",
            "in 2 hours",
            "dans 2 heures",
            "Mar 5",
            "5 Mar",
            "2 June",
            "Yesterday at 10:41",
            "10:41",
            "2h 5",
            "99999999999h",
            "99999999999999999999h",
            "4294967296 mo",
            "999999999 years",
            "😀",
            "2 h x",
        ] {
            assert_eq!(rel(input), None, "{input:?}");
        }
    }
}
