//! The one place that knows what time and what day it is. Every date a person sees or a record
//! carries (a certificate's issue date, "today" on the dashboard, a target's revision, an
//! exemption's first day) is the date in the configured zone — Asia/Ho_Chi_Minh (UTC+7) unless
//! `TAPHUAN_TIME_ZONE` says otherwise — never the UTC date: a certificate earned at 01:00 in
//! Gia Lai is dated that day, not the day before.
//!
//! Instants stay in UTC (`DateTime<Utc>`, stored as such); only the step from an instant to a
//! calendar date goes through [`date_of`]. Tests may freeze the clock ([`freeze`]) to pass an
//! exam at a chosen moment.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use std::cell::Cell;
use std::sync::atomic::{AtomicI32, Ordering};

/// The default zone: Vietnam (no daylight saving).
pub const DEFAULT_OFFSET_SECONDS: i32 = 7 * 3600;

static OFFSET_SECONDS: AtomicI32 = AtomicI32::new(DEFAULT_OFFSET_SECONDS);

thread_local! {
    /// A frozen instant in milliseconds since the epoch, or `i64::MIN` when the clock runs. Per
    /// thread: a test freezes its own clock only (a `#[tokio::test]` runs its tasks on its own
    /// thread), so tests running side by side in one process do not move each other's time.
    static FROZEN_MS: Cell<i64> = const { Cell::new(i64::MIN) };
}

/// Reads `TAPHUAN_TIME_ZONE`: empty = Asia/Ho_Chi_Minh; an IANA name of a zone without daylight
/// saving that Taphuan knows (Vietnam and its neighbours, UTC); or an offset `+07:00` / `+7`.
pub fn parse_zone(s: &str) -> Option<FixedOffset> {
    let s = s.trim();
    let hours = match s {
        "" | "Asia/Ho_Chi_Minh" | "Asia/Saigon" | "Asia/Bangkok" | "Asia/Phnom_Penh" | "Asia/Vientiane"
        | "Asia/Jakarta" => return FixedOffset::east_opt(DEFAULT_OFFSET_SECONDS),
        "UTC" | "Etc/UTC" | "Z" => return FixedOffset::east_opt(0),
        "Asia/Shanghai" | "Asia/Singapore" | "Asia/Kuala_Lumpur" | "Asia/Manila" => 8,
        "Asia/Tokyo" | "Asia/Seoul" => 9,
        other => {
            let (sign, rest) = match other.as_bytes().first()? {
                b'+' => (1, &other[1..]),
                b'-' => (-1, &other[1..]),
                _ => return None,
            };
            let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
            let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
            if !(0..=14).contains(&h) || !(0..60).contains(&m) {
                return None;
            }
            return FixedOffset::east_opt(sign * (h * 3600 + m * 60));
        }
    };
    FixedOffset::east_opt(hours * 3600)
}

/// Sets the zone (at startup, from the configuration).
pub fn set_zone(zone: FixedOffset) {
    OFFSET_SECONDS.store(zone.local_minus_utc(), Ordering::Relaxed);
}

/// The configured zone.
pub fn zone() -> FixedOffset {
    FixedOffset::east_opt(OFFSET_SECONDS.load(Ordering::Relaxed)).expect("a valid offset")
}

/// Now, as an instant.
pub fn now() -> DateTime<Utc> {
    match FROZEN_MS.get() {
        i64::MIN => Utc::now(),
        ms => DateTime::from_timestamp_millis(ms).unwrap_or_else(Utc::now),
    }
}

/// Today's date in the configured zone.
pub fn today() -> NaiveDate {
    date_of(now())
}

/// The calendar date of an instant in the configured zone.
pub fn date_of(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&zone()).date_naive()
}

/// The first instant of `day` in the configured zone.
pub fn start_of(day: NaiveDate) -> DateTime<Utc> {
    use chrono::TimeZone;
    let midnight = day.and_hms_opt(0, 0, 0).expect("midnight exists");
    zone()
        .from_local_datetime(&midnight)
        .single()
        .map_or_else(|| Utc.from_utc_datetime(&midnight), |t| t.with_timezone(&Utc))
}

/// An instant as people read it here: `dd/mm/yyyy HH:MM` in the configured zone.
pub fn format_local(t: DateTime<Utc>) -> String {
    t.with_timezone(&zone()).format("%d/%m/%Y %H:%M").to_string()
}

/// Freezes the clock at `at` until the guard is dropped, on this thread only. For tests (on a
/// current-thread runtime, whose tasks all run on the thread that froze it).
pub fn freeze(at: DateTime<Utc>) -> Frozen {
    FROZEN_MS.set(at.timestamp_millis());
    Frozen(())
}

/// Unfreezes the clock when dropped.
pub struct Frozen(());

impl Drop for Frozen {
    fn drop(&mut self) {
        FROZEN_MS.set(i64::MIN);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_are_read_by_name_or_offset() {
        assert_eq!(parse_zone("").unwrap().local_minus_utc(), 7 * 3600);
        assert_eq!(parse_zone("Asia/Ho_Chi_Minh").unwrap().local_minus_utc(), 7 * 3600);
        assert_eq!(parse_zone("UTC").unwrap().local_minus_utc(), 0);
        assert_eq!(parse_zone("+05:30").unwrap().local_minus_utc(), 5 * 3600 + 1800);
        assert_eq!(parse_zone("-3").unwrap().local_minus_utc(), -3 * 3600);
        assert_eq!(
            parse_zone("Europe/Paris"),
            None,
            "a zone with daylight saving is refused"
        );
        assert_eq!(parse_zone("+25:00"), None);
    }

    #[test]
    fn one_in_the_morning_in_vietnam_is_that_day_not_the_day_before() {
        // 01:00 on 2 December in UTC+7 is 18:00 on 1 December in UTC.
        let t = DateTime::parse_from_rfc3339("2026-12-01T18:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let vn = parse_zone("").unwrap();
        assert_eq!(
            t.with_timezone(&vn).date_naive(),
            NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
        );
        assert_eq!(t.date_naive(), NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
    }
}
