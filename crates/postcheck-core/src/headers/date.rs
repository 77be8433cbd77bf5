//! RFC 5322 §3.3 date-time (`Mon, 23 Nov 2026 10:00:00 +0100`, obsolete zone names of §4.3
//! too) to seconds since the epoch and back ([`format_date`]), without a clock or a calendar
//! library.
//!
//! Every field is range-checked before any arithmetic, and the arithmetic is checked too: a
//! date with a huge year or day, or a negative hour, is a [`DateError`], never an overflow.

/// The earliest year read: RFC 5322 §3.3 ("any numeric year 1900 or later").
pub const FIRST_YEAR: i64 = 1900;
/// The last year read: `year = 4*DIGIT` (RFC 5322 §3.3).
pub const LAST_YEAR: i64 = 9999;
/// The largest zone offset `+hhmm` can write, in seconds.
const MAX_ZONE_OFFSET: i64 = 99 * 3600 + 59 * 60;
/// The earliest time [`parse_date`] returns: 1900-01-01 00:00:00 at the easternmost zone.
pub const EARLIEST: i64 = days_from_civil(FIRST_YEAR, 1, 1) * 86_400 - MAX_ZONE_OFFSET;
/// The latest time [`parse_date`] returns: 9999-12-31 23:59:60 at the westernmost zone.
pub const LATEST: i64 = days_from_civil(LAST_YEAR, 12, 31) * 86_400 + 86_400 + MAX_ZONE_OFFSET;

/// Why a date-time does not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DateError {
    /// Not the shape of a date-time: a word is missing or is not a number or a month.
    Unreadable,
    /// A field outside its range (a year before 1900 or after 9999, day 32, hour 24 or -1, …).
    OutOfRange {
        /// The field: `year`, `day`, `hour`, `minute`, `second`, or `date` for the whole.
        field: &'static str,
    },
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
/// The callers keep the year within [`FIRST_YEAR`]..=[`LAST_YEAR`], so nothing overflows.
const fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's
/// civil_from_days): year, month 1–12, day 1–31.
const fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + (month <= 2) as i64, month, day)
}

/// Seconds since the epoch as an RFC 5322 §3.3 date-time in UTC, for a message's `Date:`:
/// `Thu, 1 Jan 1970 00:00:00 +0000`. Times before 1970 are not written (they come out as the
/// epoch).
pub fn format_date(secs: u64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    // A u64 of seconds has at most 2.2e14 days: well inside i64.
    let days = (secs / 86_400) as i64;
    let rest = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{}, {day} {} {year} {:02}:{:02}:{:02} +0000",
        DAYS[(days % 7) as usize],
        MONTHS[(month - 1) as usize],
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// The UTC day of seconds since the epoch as ISO 8601 writes it (`2026-11-23`), for tables;
/// times before 1970 come out as 1970-01-01.
pub fn format_day(secs: i64) -> String {
    let (year, month, day) = civil_from_days(secs.max(0) / 86_400);
    format!("{year:04}-{month:02}-{day:02}")
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The month names of RFC 5322 §3.3.
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn month_number(name: &str) -> Option<i64> {
    let name = name.get(..3)?;
    MONTHS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(name))
        .map(|i| i as i64 + 1)
}

/// A field of ASCII digits only (no sign: `-1` and `+1` are not hours), at most `max_digits`
/// long, read into `0..=max`.
fn number(text: &str, max_digits: usize, max: i64, field: &'static str) -> Result<i64, DateError> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(if text.starts_with(['-', '+']) {
            DateError::OutOfRange { field }
        } else {
            DateError::Unreadable
        });
    }
    // Leading zeros do not make a number larger.
    let significant = text.trim_start_matches('0');
    if significant.len() > max_digits {
        return Err(DateError::OutOfRange { field });
    }
    let value: i64 = if significant.is_empty() {
        0
    } else {
        significant.parse().map_err(|_| DateError::Unreadable)?
    };
    if value > max {
        return Err(DateError::OutOfRange { field });
    }
    Ok(value)
}

/// The zone offset in seconds: `+hhmm`/`-hhmm`, or an obsolete name (RFC 5322 §4.3).
fn zone_offset(zone: &str) -> Option<i64> {
    let named = match zone.to_ascii_uppercase().as_str() {
        "UT" | "GMT" | "Z" | "UTC" => Some(0),
        "EDT" => Some(-4),
        "EST" | "CDT" => Some(-5),
        "CST" | "MDT" => Some(-6),
        "MST" | "PDT" => Some(-7),
        "PST" => Some(-8),
        _ => None,
    };
    if let Some(hours) = named {
        return Some(hours * 3600);
    }
    let (sign, digits) = match zone.as_bytes().first()? {
        b'+' => (1, &zone[1..]),
        b'-' => (-1, &zone[1..]),
        _ => return None,
    };
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i64 = digits[..2].parse().ok()?;
    let minutes: i64 = digits[2..].parse().ok()?;
    if minutes > 59 {
        return None;
    }
    Some(sign * (hours * 3600 + minutes * 60))
}

/// Seconds since the epoch of an RFC 5322 date-time, or why it does not read. The result lies
/// within [`EARLIEST`]..=[`LATEST`].
///
/// # Errors
///
/// [`DateError::Unreadable`] for text that is no date-time, [`DateError::OutOfRange`] for a
/// field outside its range.
pub fn read_date(text: &str) -> Result<i64, DateError> {
    let text = super::strip_comments(text);
    let mut words = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .peekable();
    if words
        .peek()
        .is_some_and(|w| w.chars().all(|c| c.is_ascii_alphabetic()))
    {
        words.next(); // day of week
    }
    let mut word = || words.next().ok_or(DateError::Unreadable);
    let day = number(word()?, 2, 31, "day")?;
    let month = month_number(word()?).ok_or(DateError::Unreadable)?;
    let mut year = number(word()?, 4, LAST_YEAR, "year")?;
    let time = word()?;
    let zone = word().ok();
    if year < 100 {
        // RFC 5322 §4.3: two-digit years.
        year += if year < 50 { 2000 } else { 1900 };
    } else if year < 1000 {
        // RFC 5322 §4.3: three-digit years count from 1900.
        year += 1900;
    }
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        return Err(DateError::OutOfRange { field: "year" });
    }
    if day < 1 || day > days_in_month(year, month) {
        return Err(DateError::OutOfRange { field: "day" });
    }
    let mut time = time.split(':');
    let mut part = || time.next().ok_or(DateError::Unreadable);
    let hour = number(part()?, 2, 23, "hour")?;
    let minute = number(part()?, 2, 59, "minute")?;
    // RFC 5322 §3.3: seconds are optional; 60 is a leap second.
    let second = match time.next() {
        Some(second) => number(second, 2, 60, "second")?,
        None => 0,
    };
    if time.next().is_some() {
        return Err(DateError::Unreadable);
    }
    let offset = zone.and_then(zone_offset).unwrap_or(0);
    // The ranges above keep every value far from overflow; the checked operations say so.
    days_from_civil(year, month, day)
        .checked_mul(86_400)
        .and_then(|seconds| seconds.checked_add(hour * 3600 + minute * 60 + second))
        .and_then(|seconds| seconds.checked_sub(offset))
        .ok_or(DateError::OutOfRange { field: "date" })
}

/// Seconds since the epoch of an RFC 5322 date-time, `None` when it does not read (see
/// [`read_date`] for why).
pub fn parse_date(text: &str) -> Option<i64> {
    read_date(text).ok()
}

#[cfg(test)]
mod tests {
    use super::{DateError, EARLIEST, LATEST, format_date, format_day, parse_date, read_date};

    #[test]
    fn formatted_dates_read_back() {
        assert_eq!(format_date(0), "Thu, 1 Jan 1970 00:00:00 +0000");
        assert_eq!(format_day(1_795_424_400), "2026-11-23");
        assert_eq!(format_day(-5), "1970-01-01");
        assert_eq!(format_date(951_782_400), "Tue, 29 Feb 2000 00:00:00 +0000");
        assert_eq!(
            format_date(1_798_761_599),
            "Thu, 31 Dec 2026 23:59:59 +0000"
        );
        for secs in [
            0,
            59,
            86_399,
            951_782_400,
            1_798_761_599,
            4_102_444_800,
            253_402_300_799,
        ] {
            assert_eq!(parse_date(&format_date(secs)), Some(secs as i64), "{secs}");
        }
    }

    #[test]
    fn dates_read_with_zones() {
        assert_eq!(parse_date("Thu, 1 Jan 1970 00:00:00 +0000"), Some(0));
        assert_eq!(
            parse_date("Mon, 23 Nov 2026 10:00:00 +0100"),
            Some(1_795_424_400)
        );
        assert_eq!(parse_date("23 Nov 2026 09:00:00 GMT"), Some(1_795_424_400));
        assert_eq!(
            parse_date("Mon, 23 Nov 2026 04:00:00 -0500 (EST)"),
            Some(1_795_424_400)
        );
        assert_eq!(parse_date("23 Nov 26 09:00 GMT"), Some(1_795_424_400));
        assert_eq!(parse_date("23 Nov 126 09:00 GMT"), Some(1_795_424_400));
        assert_eq!(parse_date("yesterday"), None);
    }

    /// Issue 13 part 4: huge years and days and negative hours overflowed the arithmetic
    /// (a panic in debug builds, a wrong time in release builds).
    #[test]
    fn out_of_range_fields_are_errors_not_overflows() {
        let out_of_range = |field| Err(DateError::OutOfRange { field });
        assert_eq!(
            read_date("1 Jan 9223372036854775807 00:00:00 +0000"),
            out_of_range("year")
        );
        assert_eq!(
            read_date("1 Jan 99999999999999999999999 00:00:00"),
            out_of_range("year")
        );
        assert_eq!(read_date("1 Jan 10000 00:00:00"), out_of_range("year"));
        assert_eq!(
            read_date("9223372036854775807 Jan 2026 00:00:00"),
            out_of_range("day")
        );
        assert_eq!(read_date("30 Feb 2026 00:00:00"), out_of_range("day"));
        assert_eq!(read_date("0 Jan 2026 00:00:00"), out_of_range("day"));
        assert_eq!(read_date("1 Jan 2026 -5:00:00"), out_of_range("hour"));
        assert_eq!(
            read_date("1 Jan 2026 -9223372036854775808:00:00"),
            out_of_range("hour")
        );
        assert_eq!(read_date("1 Jan 2026 10:-1:00"), out_of_range("minute"));
        assert_eq!(read_date("1 Jan 2026 10:00:61"), out_of_range("second"));
        assert_eq!(read_date("1 Jan 1899 10:00:00"), out_of_range("year"));
        assert_eq!(
            read_date("1 Jan 2026 10:00:00:00"),
            Err(DateError::Unreadable)
        );
        assert_eq!(
            parse_date("29 Feb 2024 00:00:00 +0000"),
            Some(1_709_164_800)
        );
        assert_eq!(
            parse_date("0001 Jan 2026 00:00:00 +0000"),
            Some(1_767_225_600)
        );
    }

    #[test]
    fn the_extremes_stay_within_the_documented_range() {
        let earliest = parse_date("1 Jan 1900 00:00:00 +9959").unwrap();
        let latest = parse_date("31 Dec 9999 23:59:60 -9959").unwrap();
        assert_eq!((earliest, latest), (EARLIEST, LATEST));
        assert!(latest.checked_sub(earliest).is_some());
    }
}
