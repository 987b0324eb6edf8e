//! Calendar and day-anchored displayed times: "Mar 5, 2024", "13 May 2020 at 01:01",
//! "18:07 - 13 may. 2019", "Friday, October 4, 2013 at 10:05pm PDT", "13.05.2020 01:01",
//! "Yesterday at 10:41", "Mon 10:41", "10:41", "janv. 2026".
//!
//! The text is scanned order-free: numeric dates and times of day are matched first, then
//! every remaining token must be a month, weekday, day word, day number, year, zone or an
//! allowed filler word. Anything else rejects the whole text (no guessing on garbage).

use chrono::{DateTime, Datelike, Days, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};

use super::lexicon;
use super::tokens::{glued_at, num_at, punct_at, word_at, Tok, Token};

/// A resolved displayed time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Resolved {
    /// The instant, in UTC.
    pub utc: DateTime<Utc>,
    /// True when the date or the time of day had to be inferred or is missing.
    pub approximate: bool,
    /// True when the date came from the capture date (day words, weekdays, time only).
    pub anchored: bool,
}

/// `None` = the text is rejected; `Some(None)` = nothing of this kind found.
type Found<T> = Option<Option<T>>;

/// Parses an absolute or day-anchored time. Plausibility is the caller's job.
pub(super) fn parse(t: &[Token], captured: &DateTime<FixedOffset>) -> Option<Resolved> {
    let mut used = vec![false; t.len()];
    let date = numeric_date(t, &mut used)?;
    let zone = zone(t, &mut used)?;
    let time = time_of_day(t, &mut used)?;
    let parts = Parts::collect(t, &used, date.is_some(), time.is_some())?;
    let offset = zone.unwrap_or(*captured.offset());
    Resolver {
        captured,
        offset,
        time,
    }
    .resolve(date, &parts)
}

/// Numbers `a <sep> b <sep> c` with glued separators: Y-M-D, D.M.Y, D/M/Y or M/D/Y.
fn numeric_date(t: &[Token], used: &mut [bool]) -> Found<NaiveDate> {
    let mut found = None;
    let mut i = 0;
    while i < t.len() {
        let Some(date) = date_at(t, i) else {
            i += 1;
            continue;
        };
        if found.is_some() {
            return None;
        }
        found = Some(date?);
        for u in used.iter_mut().skip(i).take(5) {
            *u = true;
        }
        i += 5;
    }
    Some(found)
}

/// `Some(None)` when the shape matches but the date is invalid or ambiguous.
fn date_at(t: &[Token], i: usize) -> Found<NaiveDate> {
    let (a, la) = num_at(t, i)?;
    let sep = punct_at(t, i + 1)?;
    let (b, lb) = num_at(t, i + 2)?;
    let (c, lc) = num_at(t, i + 4)?;
    if !matches!(sep, '-' | '/' | '.')
        || punct_at(t, i + 3) != Some(sep)
        || !(1..=4).all(|k| glued_at(t, i + k))
    {
        return None;
    }
    if la == 4 && lb <= 2 && lc <= 2 {
        return Some(ymd(a, b, c));
    }
    if la > 2 || lb > 2 || !(lc == 4 || lc == 2) {
        return None;
    }
    let year = if lc == 2 { c.saturating_add(2000) } else { c };
    let (day, month) = if sep == '.' || a == b || (a > 12 && b <= 12) {
        (a, b)
    } else if b > 12 && a <= 12 {
        (b, a)
    } else {
        // "10/04/2013": April 10 or October 4? Refuse to guess.
        return Some(None);
    };
    Some(ymd(year, month, day))
}

fn ymd(y: u64, m: u64, d: u64) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(
        i32::try_from(y).ok()?,
        u32::try_from(m).ok()?,
        u32::try_from(d).ok()?,
    )
}

/// "a.m."/"pm" at `i`: (is_pm, tokens consumed).
fn meridiem_at(t: &[Token], i: usize) -> Option<(bool, usize)> {
    match word_at(t, i)? {
        "am" => Some((false, 1)),
        "pm" => Some((true, 1)),
        w @ ("a" | "p") if punct_at(t, i + 1) == Some('.') && word_at(t, i + 2) == Some("m") => {
            let trailing = usize::from(punct_at(t, i + 3) == Some('.'));
            Some((w == "p", 3 + trailing))
        }
        _ => None,
    }
}

/// A time of day: `H:MM[:SS] [am|pm]`, `H am|pm`, or French `10h41`.
fn time_of_day(t: &[Token], used: &mut [bool]) -> Found<NaiveTime> {
    let mut found = None;
    let mut i = 0;
    while i < t.len() {
        let free = !used.get(i).copied().unwrap_or(true);
        let Some((time, len)) = time_at(t, i).filter(|_| free) else {
            i += 1;
            continue;
        };
        if found.is_some() || used.iter().skip(i).take(len).any(|u| *u) {
            return None;
        }
        found = Some(time?);
        for u in used.iter_mut().skip(i).take(len) {
            *u = true;
        }
        i += len;
    }
    Some(found)
}

/// (time or `None` if out of range, tokens consumed) when a time shape starts at `i`.
fn time_at(t: &[Token], i: usize) -> Option<(Option<NaiveTime>, usize)> {
    let (h, lh) = num_at(t, i)?;
    if lh > 2 {
        return None;
    }
    let two_digits = |k: usize| num_at(t, k).filter(|(_, l)| *l == 2).map(|(v, _)| v);
    let (m, s, mut len) = if punct_at(t, i + 1) == Some(':') && glued_at(t, i + 1) {
        let m = two_digits(i + 2).filter(|_| glued_at(t, i + 2))?;
        match two_digits(i + 4) {
            Some(s) if punct_at(t, i + 3) == Some(':') && glued_at(t, i + 4) => (m, s, 5),
            _ => (m, 0, 3),
        }
    } else if word_at(t, i + 1) == Some("h") && glued_at(t, i + 1) && glued_at(t, i + 2) {
        (two_digits(i + 2)?, 0, 3)
    } else {
        // A bare hour only counts with am/pm ("10pm").
        meridiem_at(t, i + 1)?;
        (0, 0, 1)
    };
    let mut hour = Some(h);
    if let Some((pm, n)) = meridiem_at(t, i + len) {
        len += n;
        hour = hour
            .filter(|h| (1..=12).contains(h))
            .map(|h| h % 12 + if pm { 12 } else { 0 });
    }
    let time = hour.and_then(|h| {
        NaiveTime::from_hms_opt(
            u32::try_from(h).ok()?,
            u32::try_from(m).ok()?,
            u32::try_from(s).ok()?,
        )
    });
    Some((time, len))
}

/// A zone abbreviation, or `GMT+2` / `UTC-05:00` / `UTC+0530`.
fn zone(t: &[Token], used: &mut [bool]) -> Found<FixedOffset> {
    let mut found = None;
    for i in 0..t.len() {
        if used.get(i).copied().unwrap_or(true) {
            continue;
        }
        let Some(w) = word_at(t, i) else { continue };
        let Some(base) = lexicon::zone(w) else {
            continue;
        };
        if found.is_some() {
            return None;
        }
        let mut secs = base;
        let mut len = 1;
        let sign = punct_at(t, i + 1).filter(|p| matches!(p, '+' | '-'));
        if let (true, Some(sign), Some((v, l))) = (base == 0, sign, num_at(t, i + 2)) {
            if glued_at(t, i + 1) && glued_at(t, i + 2) {
                let (hh, mm, n) = match (l, punct_at(t, i + 3), num_at(t, i + 4)) {
                    (1 | 2, Some(':'), Some((m, 2))) => (v, m, 5),
                    (1 | 2, _, _) => (v, 0, 3),
                    (3 | 4, _, _) => (v / 100, v % 100, 3),
                    _ => return None,
                };
                if hh > 14 || mm > 59 {
                    return None;
                }
                let magnitude = i32::try_from(hh * 3600 + mm * 60).ok()?;
                secs = if sign == '-' { -magnitude } else { magnitude };
                len = n;
            }
        }
        for u in used.iter_mut().skip(i).take(len) {
            *u = true;
        }
        found = Some(FixedOffset::east_opt(secs)?);
    }
    Some(found)
}

/// The calendar words and numbers left once dates, times and zones are taken out.
#[derive(Debug, Default)]
struct Parts {
    months: Vec<u32>,
    weekdays: Vec<Weekday>,
    day_words: Vec<u64>,
    days: Vec<u32>,
    years: Vec<i32>,
}

impl Parts {
    fn collect(
        t: &[Token],
        used: &[bool],
        has_numeric_date: bool,
        has_time: bool,
    ) -> Option<Parts> {
        let mut p = Parts::default();
        let mut ambiguous = Vec::new();
        for (tok, _) in t.iter().zip(used).filter(|(_, u)| !**u) {
            match &tok.tok {
                Tok::Punct(_) => {}
                Tok::Num(v, 4) => p.years.push(i32::try_from(*v).ok()?),
                Tok::Num(v, 1 | 2) if (1..=31).contains(v) => p.days.push(u32::try_from(*v).ok()?),
                Tok::Num(..) => return None,
                Tok::Word(w) => {
                    let (m, wd) = (lexicon::month(w), lexicon::weekday(w));
                    match (m, wd, lexicon::day_word(w)) {
                        (Some(m), Some(wd), _) => ambiguous.push((m, wd)),
                        (Some(m), None, _) => p.months.push(m),
                        (None, Some(wd), _) => p.weekdays.push(wd),
                        (None, None, Some(back)) => p.day_words.push(back),
                        (None, None, None) if lexicon::is_absolute_filler(w) => {}
                        (None, None, None) => return None,
                    }
                }
            }
        }
        // "mar" is March and martes/mardi: a month next to a day number or year, a weekday
        // next to a time of day, else nothing.
        let as_month = !has_numeric_date && (!p.days.is_empty() || !p.years.is_empty());
        if !ambiguous.is_empty() && !as_month && !has_time {
            return None;
        }
        for (m, wd) in ambiguous {
            if as_month {
                p.months.push(m);
            } else {
                p.weekdays.push(wd);
            }
        }
        let counts = [
            p.months.len(),
            p.weekdays.len(),
            p.day_words.len(),
            p.days.len(),
            p.years.len(),
        ];
        counts.iter().all(|n| *n <= 1).then_some(p)
    }
}

/// Turns a local date (plus the found time) into an instant.
struct Resolver<'a> {
    captured: &'a DateTime<FixedOffset>,
    offset: FixedOffset,
    time: Option<NaiveTime>,
}

impl Resolver<'_> {
    fn at(&self, date: NaiveDate) -> Option<DateTime<Utc>> {
        let time = self.time.unwrap_or(NaiveTime::MIN);
        let local = self
            .offset
            .from_local_datetime(&date.and_time(time))
            .single()?;
        Some(local.with_timezone(&Utc))
    }

    fn done(&self, utc: DateTime<Utc>, inferred: bool, anchored: bool) -> Resolved {
        Resolved {
            utc,
            approximate: inferred || self.time.is_none(),
            anchored,
        }
    }

    /// The most recent of `dates` (tried in order) whose instant is not after the capture.
    fn latest_not_after(&self, dates: impl Iterator<Item = NaiveDate>) -> Option<DateTime<Utc>> {
        dates
            .filter_map(|d| self.at(d))
            .find(|utc| *utc <= self.captured.with_timezone(&Utc))
    }

    fn resolve(&self, numeric: Option<NaiveDate>, p: &Parts) -> Option<Resolved> {
        let today = self.captured.date_naive();
        let month = p.months.first().copied();
        let day = p.days.first().copied();
        let year = p.years.first().copied();
        if let Some(date) = numeric {
            if month.is_some() || day.is_some() || year.is_some() || !p.day_words.is_empty() {
                return None;
            }
            return Some(self.done(self.at(date)?, false, false));
        }
        if let Some(back) = p.day_words.first() {
            if month.is_some() || day.is_some() || year.is_some() {
                return None;
            }
            let date = today.checked_sub_days(Days::new(*back))?;
            return Some(self.done(self.at(date)?, false, true));
        }
        if let Some(month) = month {
            return match (day, year) {
                (Some(d), Some(y)) => {
                    let date = NaiveDate::from_ymd_opt(y, month, d)?;
                    Some(self.done(self.at(date)?, false, false))
                }
                (Some(d), None) => {
                    // No year shown: the most recent such date (Feb 29 looks back up to 8 years).
                    let years = (0..=8).filter_map(|back| today.year().checked_sub(back));
                    let dates = years.filter_map(|y| NaiveDate::from_ymd_opt(y, month, d));
                    Some(self.done(self.latest_not_after(dates)?, true, false))
                }
                (None, Some(y)) if self.time.is_none() => {
                    let date = NaiveDate::from_ymd_opt(y, month, 1)?;
                    Some(self.done(self.at(date)?, true, false))
                }
                _ => None,
            };
        }
        if day.is_some() || year.is_some() {
            return None;
        }
        if let Some(wd) = p.weekdays.first() {
            let dates = (0..=7).filter_map(|back| today.checked_sub_days(Days::new(back)));
            let utc = self.latest_not_after(dates.filter(|d| d.weekday() == *wd))?;
            return Some(self.done(utc, false, true));
        }
        // Time only ("10:41", as chat apps show today's messages): today, else yesterday.
        self.time?;
        let dates = (0..=1).filter_map(|back| today.checked_sub_days(Days::new(back)));
        Some(self.done(self.latest_not_after(dates)?, true, true))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
#[path = "absolute_tests.rs"]
mod tests;
