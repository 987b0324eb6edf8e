//! `genTime` (RFC 3161 §2.4.2: GeneralizedTime, UTC, optional fraction of a second) and
//! certificate validity times.
//!
//! The `der` crate's `GeneralizedTime` refuses fractional seconds, which several public
//! TSAs send, so `genTime` is read here from its raw value.

use super::err;
use crate::Result;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};
use der::{Any, Tag, Tagged};
use x509_cert::time::Time;

/// A parsed `genTime`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenTime {
    /// Whole seconds since 1970 UTC.
    pub unix: i64,
    /// Nanoseconds within that second (from the fraction, if any).
    pub nanos: u32,
}

impl GenTime {
    /// RFC 3339 UTC text, with the fraction only when the token has one.
    pub fn to_rfc3339(&self) -> String {
        let Some(dt) = DateTime::from_timestamp(self.unix, self.nanos) else {
            return format!("@{}", self.unix);
        };
        if self.nanos == 0 {
            dt.format("%Y-%m-%dT%H:%M:%SZ").to_string()
        } else {
            let frac = format!("{:09}", self.nanos);
            format!(
                "{}.{}Z",
                dt.format("%Y-%m-%dT%H:%M:%S"),
                frac.trim_end_matches('0')
            )
        }
    }
}

/// Parses `genTime`: `YYYYMMDDHHMMSS[.f+]Z`, as RFC 3161 requires (UTC, no trailing
/// zeros in the fraction is not enforced; at most 9 fraction digits).
pub fn parse_gen_time(value: &Any) -> Result<GenTime> {
    if value.tag() != Tag::GeneralizedTime {
        return Err(err("genTime is not a GeneralizedTime"));
    }
    let text = std::str::from_utf8(value.value()).map_err(|_| err("genTime is not ASCII"))?;
    let body = text
        .strip_suffix('Z')
        .ok_or_else(|| err("genTime is not in UTC (no trailing Z)"))?;
    let (whole, frac) = match body.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (body, None),
    };
    if whole.len() != 14 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err(format!("genTime {text:?} is not YYYYMMDDHHMMSS")));
    }
    let num = |r: std::ops::Range<usize>| whole[r].parse::<u32>().unwrap_or(u32::MAX);
    let date = NaiveDate::from_ymd_opt(num(0..4) as i32, num(4..6), num(6..8));
    let time = NaiveTime::from_hms_opt(num(8..10), num(10..12), num(12..14));
    let (Some(date), Some(time)) = (date, time) else {
        return Err(err(format!("genTime {text:?} is not a real date and time")));
    };
    let nanos = match frac {
        None => 0,
        Some(f) if !f.is_empty() && f.len() <= 9 && f.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{f:0<9}").parse::<u32>().unwrap_or(0)
        }
        Some(_) => return Err(err(format!("genTime {text:?} has a bad fraction"))),
    };
    let unix = NaiveDateTime::new(date, time).and_utc().timestamp();
    Ok(GenTime { unix, nanos })
}

/// A certificate validity bound in whole seconds since 1970 UTC.
pub fn time_unix(t: &Time) -> i64 {
    i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn gt(s: &str) -> Result<GenTime> {
        parse_gen_time(&Any::new(Tag::GeneralizedTime, s.as_bytes().to_vec()).unwrap())
    }

    #[test]
    fn gen_time_with_and_without_fraction() {
        let t = gt("20261120211600Z").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-20T21:16:00Z");
        let t = gt("20261120211600.25Z").unwrap();
        assert_eq!(
            (t.nanos, t.to_rfc3339().as_str()),
            (250_000_000, "2026-11-20T21:16:00.25Z")
        );
        for bad in [
            "20261120211600",
            "2026112021160Z",
            "20261320211600Z",
            "20261120211600.Z",
            "20261120211600.1234567890Z",
            "2026112021160aZ",
            "20261120211600+0100",
        ] {
            assert!(gt(bad).is_err(), "{bad}");
        }
        let utc = Any::new(Tag::UtcTime, b"261120211600Z".to_vec()).unwrap();
        assert!(parse_gen_time(&utc).is_err());
    }
}
