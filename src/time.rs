//! Expiry timestamps: `YYYY-MM-DDTHH:MM:SSZ`, exactly (TUF spec 1.0, "Document formats":
//! `expires` is an ISO 8601 UTC time; python-tuf refuses fractional seconds and offsets).
//!
//! Pure: nothing here reads the clock. Callers pass "now" in, so tests can fix it.

/// Seconds since the Unix epoch, UTC.
pub type UnixTime = i64;

/// Parses a TUF `expires` string. Returns a sentence saying what is wrong otherwise.
pub fn parse_expires(s: &str) -> Result<UnixTime, String> {
    let b = s.as_bytes();
    let shape_ok = b.len() == 20
        && b.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            10 => c == b'T',
            13 | 16 => c == b':',
            19 => c == b'Z',
            _ => c.is_ascii_digit(),
        });
    if !shape_ok {
        return Err(format!(
            "\"{s}\" is not of the form YYYY-MM-DDTHH:MM:SSZ (UTC, no fractional seconds, no \
             offset)"
        ));
    }
    let num = |r: std::ops::Range<usize>| -> i64 {
        s[r].bytes()
            .fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0'))
    };
    let (year, month, day) = (num(0..4), num(5..7), num(8..10));
    let (hour, minute, second) = (num(11..13), num(14..16), num(17..19));
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return Err(format!("\"{s}\" is not a real calendar date"));
    }
    if hour > 23 || minute > 59 || second > 59 {
        return Err(format!("\"{s}\" is not a real time of day"));
    }
    Ok(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
}

/// The latest expiry that can be written: `9999-12-31T23:59:59Z`. The format has four
/// digits of year, so a later time would be written in a form no reader accepts.
pub const LATEST: UnixTime = 253_402_300_799;

/// Formats seconds since the epoch as a TUF `expires` string.
pub fn format_expires(t: UnixTime) -> String {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// Parses what a person types for a new expiry: a full timestamp, a date (midnight UTC),
/// or a duration from now such as `365d`, `52w` or `1y` (a year is 365 days).
pub fn parse_when(s: &str, now: UnixTime) -> Result<UnixTime, String> {
    if let Ok(t) = parse_expires(s) {
        return Ok(t);
    }
    if s.len() == 10 {
        if let Ok(t) = parse_expires(&format!("{s}T00:00:00Z")) {
            return Ok(t);
        }
    }
    let (number, unit) = s.split_at(s.len().saturating_sub(1));
    let per_unit = match unit {
        "d" => 86_400,
        "w" => 7 * 86_400,
        "y" => 365 * 86_400,
        _ => 0,
    };
    match number.parse::<i64>() {
        Ok(n) if per_unit > 0 && n > 0 && n <= 100 * 365 => {
            let t = now + n * per_unit / 86_400 * 86_400;
            if t > LATEST {
                return Err(format!(
                    "\"{s}\" from now is {}, past {}: an expiry has four digits of year, and no TUF client could read a later one. Give a shorter time",
                    format_expires(t),
                    format_expires(LATEST)
                ));
            }
            Ok(t)
        }
        _ => Err(format!(
            "\"{s}\" is not an expiry: give YYYY-MM-DDTHH:MM:SSZ, YYYY-MM-DD, or a duration from \
             now such as 365d, 26w or 1y"
        )),
    }
}

/// How far `at` is from `now`, in words for a person: "in 12 days", "in less than a day",
/// "EXPIRED 3 days ago", "EXPIRED less than a day ago". A time already past is never "in
/// 0 days": whole days are counted down, and a past time says it is past.
pub fn relative(at: UnixTime, now: UnixTime) -> String {
    let plural = |n: i64| if n == 1 { "" } else { "s" };
    if at > now {
        match (at - now) / 86_400 {
            0 => "in less than a day".to_string(),
            d => format!("in {d} day{}", plural(d)),
        }
    } else {
        match (now - at) / 86_400 {
            0 => "EXPIRED less than a day ago".to_string(),
            d => format!("EXPIRED {d} day{} ago", plural(d)),
        }
    }
}

/// The current time from the system clock; the only place that reads it.
pub fn now() -> UnixTime {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A past time is said to be past, never "in 0 days"; a future one counts whole days.
    #[test]
    fn relative_times_never_say_in_0_days_for_the_past() {
        let now = 1_000_000_000;
        assert_eq!(relative(now + 3 * 86_400 + 5, now), "in 3 days");
        assert_eq!(relative(now + 86_400, now), "in 1 day");
        assert_eq!(relative(now + 60, now), "in less than a day");
        assert_eq!(relative(now, now), "EXPIRED less than a day ago");
        assert_eq!(relative(now - 60, now), "EXPIRED less than a day ago");
        assert_eq!(relative(now - 2 * 86_400, now), "EXPIRED 2 days ago");
    }

    #[test]
    fn an_expiry_past_year_9999_is_refused_not_written() {
        assert_eq!(parse_expires("9999-12-31T23:59:59Z"), Ok(LATEST));
        let now = parse_expires("2026-01-01T00:00:00Z").unwrap();
        let e = parse_when("8000y", now).unwrap_err();
        assert!(e.contains("past 9999-12-31T23:59:59Z"), "{e}");
        assert!(parse_when("7000y", now).is_ok());
    }

    #[test]
    fn round_trip_and_known_values() {
        assert_eq!(parse_expires("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(parse_expires("2030-01-01T00:00:00Z"), Ok(1_893_456_000));
        assert_eq!(
            parse_expires("2024-02-29T12:34:56Z")
                .map(format_expires)
                .unwrap(),
            "2024-02-29T12:34:56Z"
        );
        for t in [0, 951_782_400, 1_709_210_096, 4_102_444_799] {
            assert_eq!(parse_expires(&format_expires(t)), Ok(t));
        }
    }

    #[test]
    fn refuses_other_forms() {
        for bad in [
            "2030-01-01T00:00:00.5Z",
            "2030-01-01T00:00:00+00:00",
            "2030-01-01",
            "2023-02-29T00:00:00Z",
            "2030-13-01T00:00:00Z",
            "2030-01-01T24:00:00Z",
        ] {
            assert!(parse_expires(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn durations() {
        assert_eq!(parse_when("1y", 0), Ok(365 * 86_400));
        assert_eq!(parse_when("2030-01-01", 0), Ok(1_893_456_000));
        assert!(parse_when("soon", 0).is_err());
    }
}
