//! A time zone's UTC offsets over time, as the caller measured them, and local times
//! (a chat app's "20/11/2026, 21:14", shown without a zone) read in them.
//!
//! The core has no time-zone database and never reads the clock: the browser, which knows
//! the zone, passes a small table of offset changes ([`ZoneOffsets`], built by
//! `extension/shared/zone.js`). Each local time is then read in the offset that applied
//! at that date, not today's, so a chat spanning a daylight-saving change is right on
//! both sides of it.
//!
//! The rule for local times a change makes odd ([`resolve_local`]):
//! - **gap** (clocks go forward; e.g. 01:30 on 29 March 2026 in London never happened):
//!   read in the offset in force after the change (London: +01:00, so 00:30 UTC), and
//!   marked as such;
//! - **overlap** (clocks go back; 01:30 on 25 October 2026 in London happened twice):
//!   the earlier of the two moments (the offset in force before the change, +01:00, so
//!   00:30 UTC), marked as such.
//!
//! Callers flag both as approximate. Without a table every time is read in one fixed
//! offset, as before.

use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

/// Most entries a table may have (a zone changes about twice a year).
pub const MAX_TRANSITIONS: usize = 2_000;
const MAX_OFFSET_MINUTES: i32 = 16 * 60;
/// Offset changes nearer than this to a local time are looked at when reading it.
const WINDOW_MS: i64 = 36 * 3_600_000;

/// From `from_utc_ms` on (until the next entry), the zone is `offset_minutes` east of UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZoneTransition {
    /// The moment the offset starts to apply, ms since the Unix epoch (UTC).
    #[serde(alias = "fromUtcMs")]
    pub from_utc_ms: i64,
    /// The offset from then on, minutes east of UTC.
    #[serde(alias = "offsetMinutes")]
    pub offset_minutes: i32,
}

/// A zone's offsets over a span of years: entries in increasing time; the first entry's
/// offset also applies before it, the last one's after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<ZoneTransition>", into = "Vec<ZoneTransition>")]
pub struct ZoneOffsets {
    transitions: Vec<ZoneTransition>,
}

impl TryFrom<Vec<ZoneTransition>> for ZoneOffsets {
    type Error = Error;
    fn try_from(v: Vec<ZoneTransition>) -> Result<Self> {
        ZoneOffsets::new(v)
    }
}

impl From<ZoneOffsets> for Vec<ZoneTransition> {
    fn from(z: ZoneOffsets) -> Self {
        z.transitions
    }
}

/// How a local time fits the zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalFit {
    /// It happened exactly once.
    Single,
    /// It never happened (clocks went forward over it); read in the later offset.
    Gap,
    /// It happened twice (clocks went back over it); the earlier moment is taken.
    Overlap,
}

/// A local time read in a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolved {
    /// The moment, UTC.
    pub utc: DateTime<Utc>,
    /// The offset it was read in, minutes east of UTC.
    pub offset_minutes: i32,
    /// Whether the local time was single, in a gap or in an overlap.
    pub fit: LocalFit,
}

impl ZoneOffsets {
    /// A table from its entries; an error when empty, too long, out of order or with an
    /// offset beyond ±16 hours.
    pub fn new(transitions: Vec<ZoneTransition>) -> Result<Self> {
        let bad = |why: &str| Error::InvalidInput(format!("the time-zone table {why}"));
        if transitions.is_empty() {
            return Err(bad("is empty"));
        }
        if transitions.len() > MAX_TRANSITIONS {
            return Err(bad(&format!("has more than {MAX_TRANSITIONS} entries")));
        }
        if transitions
            .iter()
            .any(|t| !(-MAX_OFFSET_MINUTES..=MAX_OFFSET_MINUTES).contains(&t.offset_minutes))
        {
            return Err(bad("has an offset beyond ±16 hours"));
        }
        if transitions
            .windows(2)
            .any(|w| w[0].from_utc_ms >= w[1].from_utc_ms)
        {
            return Err(bad("is not in increasing time"));
        }
        Ok(ZoneOffsets { transitions })
    }

    /// The entries, in increasing time.
    pub fn transitions(&self) -> &[ZoneTransition] {
        &self.transitions
    }

    /// The offset in force at `utc_ms`, minutes east of UTC.
    pub fn offset_at(&self, utc_ms: i64) -> i32 {
        let i = self
            .transitions
            .partition_point(|t| t.from_utc_ms <= utc_ms);
        self.transitions[i.saturating_sub(1)].offset_minutes
    }

    /// Read a local time in the zone, by the rule in the module documentation.
    pub fn resolve(&self, local: NaiveDateTime) -> Option<Resolved> {
        let local_ms = local.and_utc().timestamp_millis();
        let lo = self
            .transitions
            .partition_point(|t| t.from_utc_ms < local_ms.saturating_sub(WINDOW_MS));
        let hi = self
            .transitions
            .partition_point(|t| t.from_utc_ms <= local_ms.saturating_add(WINDOW_MS));
        let mut candidates = vec![self.offset_at(local_ms.saturating_sub(WINDOW_MS))];
        candidates.extend(self.transitions[lo..hi].iter().map(|t| t.offset_minutes));
        candidates.sort_unstable();
        candidates.dedup();
        // Largest offset first = earliest moment first.
        let fitting: Vec<i32> = candidates
            .iter()
            .rev()
            .copied()
            .filter(|&o| self.offset_at(local_ms - i64::from(o) * 60_000) == o)
            .collect();
        let (offset_minutes, fit) = match fitting.as_slice() {
            [one] => (*one, LocalFit::Single),
            [first, ..] => (*first, LocalFit::Overlap),
            [] => {
                // A gap: the change whose skipped local hours hold this time.
                let after = (lo.max(1)..hi)
                    .map(|i| (&self.transitions[i], &self.transitions[i - 1]))
                    .find(|(t, before)| {
                        let start = t.from_utc_ms + i64::from(before.offset_minutes) * 60_000;
                        let end = t.from_utc_ms + i64::from(t.offset_minutes) * 60_000;
                        (start..end).contains(&local_ms)
                    })
                    .map_or(self.offset_at(local_ms), |(t, _)| t.offset_minutes);
                (after, LocalFit::Gap)
            }
        };
        let utc = DateTime::from_timestamp_millis(local_ms - i64::from(offset_minutes) * 60_000)?;
        Some(Resolved {
            utc,
            offset_minutes,
            fit,
        })
    }
}

/// Read a local time in `zone` when the caller gave one, else in the fixed
/// `offset_minutes` (always [`LocalFit::Single`]). `None` when out of range.
pub fn resolve_local(
    local: NaiveDateTime,
    zone: Option<&ZoneOffsets>,
    offset_minutes: i32,
) -> Option<Resolved> {
    if let Some(z) = zone {
        return z.resolve(local);
    }
    // As chrono's FixedOffset, which read these times before there were tables.
    if offset_minutes.unsigned_abs() >= 24 * 60 {
        return None;
    }
    let local_ms = local.and_utc().timestamp_millis();
    Some(Resolved {
        utc: DateTime::from_timestamp_millis(local_ms - i64::from(offset_minutes) * 60_000)?,
        offset_minutes,
        fit: LocalFit::Single,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) mod tests;
