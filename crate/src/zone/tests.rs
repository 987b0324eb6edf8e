use super::*;
use chrono::{NaiveDate, SecondsFormat};

/// Europe/London, 2025 and 2026, written by hand from the published rule (last Sunday of
/// March and of October, at 01:00 UTC).
pub(crate) fn london() -> ZoneOffsets {
    ZoneOffsets::new(vec![
        ZoneTransition {
            from_utc_ms: 1_735_689_600_000,
            offset_minutes: 0,
        }, // 2025-01-01
        ZoneTransition {
            from_utc_ms: 1_743_296_400_000,
            offset_minutes: 60,
        }, // 2025-03-30T01:00Z
        ZoneTransition {
            from_utc_ms: 1_761_440_400_000,
            offset_minutes: 0,
        }, // 2025-10-26T01:00Z
        ZoneTransition {
            from_utc_ms: 1_774_746_000_000,
            offset_minutes: 60,
        }, // 2026-03-29T01:00Z
        ZoneTransition {
            from_utc_ms: 1_792_890_000_000,
            offset_minutes: 0,
        }, // 2026-10-25T01:00Z
    ])
    .unwrap()
}

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, mo, d)
        .unwrap()
        .and_hms_opt(h, mi, 0)
        .unwrap()
}

fn read(z: &ZoneOffsets, local: NaiveDateTime) -> (String, i32, LocalFit) {
    let r = z.resolve(local).unwrap();
    (
        r.utc.to_rfc3339_opts(SecondsFormat::Secs, true),
        r.offset_minutes,
        r.fit,
    )
}

#[test]
fn london_march_change_and_its_gap() {
    let z = london();
    let s = |t: &str, o| (t.to_string(), o, LocalFit::Single);
    assert_eq!(
        read(&z, at(2026, 3, 28, 21, 14)),
        s("2026-03-28T21:14:00Z", 0)
    );
    assert_eq!(
        read(&z, at(2026, 3, 29, 0, 59)),
        s("2026-03-29T00:59:00Z", 0)
    );
    // 01:00..01:59 local never happened: read in the later offset (+01:00).
    assert_eq!(
        read(&z, at(2026, 3, 29, 1, 0)),
        ("2026-03-29T00:00:00Z".into(), 60, LocalFit::Gap)
    );
    assert_eq!(
        read(&z, at(2026, 3, 29, 1, 30)),
        ("2026-03-29T00:30:00Z".into(), 60, LocalFit::Gap)
    );
    assert_eq!(
        read(&z, at(2026, 3, 29, 2, 0)),
        s("2026-03-29T01:00:00Z", 60)
    );
    assert_eq!(
        read(&z, at(2026, 3, 29, 21, 14)),
        s("2026-03-29T20:14:00Z", 60)
    );
    assert_eq!(
        read(&z, at(2026, 7, 1, 12, 0)),
        s("2026-07-01T11:00:00Z", 60)
    );
}

#[test]
fn london_october_change_and_its_overlap() {
    let z = london();
    let s = |t: &str, o| (t.to_string(), o, LocalFit::Single);
    assert_eq!(
        read(&z, at(2026, 10, 25, 0, 59)),
        s("2026-10-24T23:59:00Z", 60)
    );
    // 01:00..01:59 local happened twice: the earlier moment (+01:00) is taken.
    assert_eq!(
        read(&z, at(2026, 10, 25, 1, 0)),
        ("2026-10-25T00:00:00Z".into(), 60, LocalFit::Overlap)
    );
    assert_eq!(
        read(&z, at(2026, 10, 25, 1, 59)),
        ("2026-10-25T00:59:00Z".into(), 60, LocalFit::Overlap)
    );
    assert_eq!(
        read(&z, at(2026, 10, 25, 2, 0)),
        s("2026-10-25T02:00:00Z", 0)
    );
    assert_eq!(
        read(&z, at(2026, 11, 20, 21, 14)),
        s("2026-11-20T21:14:00Z", 0)
    );
    // The year before, from the same table.
    assert_eq!(
        read(&z, at(2025, 10, 26, 0, 30)),
        s("2025-10-25T23:30:00Z", 60)
    );
    assert_eq!(
        read(&z, at(2025, 10, 26, 2, 30)),
        s("2025-10-26T02:30:00Z", 0)
    );
}

#[test]
fn outside_the_table_the_nearest_entry_applies() {
    let z = london();
    assert_eq!(z.offset_at(0), 0);
    assert_eq!(read(&z, at(2020, 6, 1, 12, 0)).1, 0);
    assert_eq!(read(&z, at(2030, 6, 1, 12, 0)).1, 0);
}

#[test]
fn a_zone_east_of_utc_and_a_zone_with_a_half_hour_change() {
    // Lord Howe Island moves by 30 minutes: +10:30 to +11:00 on 2026-10-04 at 02:00 local
    // (15:30 UTC the day before).
    let z = ZoneOffsets::new(vec![
        ZoneTransition {
            from_utc_ms: 0,
            offset_minutes: 630,
        },
        ZoneTransition {
            from_utc_ms: 1_791_041_400_000,
            offset_minutes: 660,
        },
    ])
    .unwrap();
    assert_eq!(
        read(&z, at(2026, 10, 4, 2, 15)),
        ("2026-10-03T15:15:00Z".into(), 660, LocalFit::Gap)
    );
    assert_eq!(
        read(&z, at(2026, 10, 4, 2, 30)),
        ("2026-10-03T15:30:00Z".into(), 660, LocalFit::Single)
    );
}

#[test]
fn without_a_table_one_fixed_offset_as_before() {
    let r = resolve_local(at(2026, 3, 29, 1, 30), None, 60).unwrap();
    assert_eq!(
        r.utc.to_rfc3339_opts(SecondsFormat::Secs, true),
        "2026-03-29T00:30:00Z"
    );
    assert_eq!((r.offset_minutes, r.fit), (60, LocalFit::Single));
    assert!(resolve_local(at(2026, 3, 29, 1, 30), None, 24 * 60).is_none());
    let z = london();
    let r = resolve_local(at(2026, 1, 5, 9, 0), Some(&z), 60).unwrap();
    assert_eq!(r.offset_minutes, 0);
}

#[test]
fn bad_tables_are_refused_and_json_reads_both_spellings() {
    let t = |ms, o| ZoneTransition {
        from_utc_ms: ms,
        offset_minutes: o,
    };
    assert!(ZoneOffsets::new(vec![]).is_err());
    assert!(ZoneOffsets::new(vec![t(10, 0), t(10, 60)]).is_err());
    assert!(ZoneOffsets::new(vec![t(10, 0), t(5, 60)]).is_err());
    assert!(ZoneOffsets::new(vec![t(10, 17 * 60)]).is_err());
    assert!(ZoneOffsets::new(vec![t(0, 0); MAX_TRANSITIONS + 1]).is_err());
    let z: ZoneOffsets = serde_json::from_str(
        r#"[{"from_utc_ms":0,"offset_minutes":0},{"fromUtcMs":1000,"offsetMinutes":60}]"#,
    )
    .unwrap();
    assert_eq!(z.transitions(), &[t(0, 0), t(1000, 60)]);
    assert!(serde_json::from_str::<ZoneOffsets>(
        r#"[{"from_utc_ms":5,"offset_minutes":0},{"from_utc_ms":1,"offset_minutes":0}]"#
    )
    .is_err());
}
