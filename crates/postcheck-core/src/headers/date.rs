//! RFC 5322 §3.3 date-time (`Mon, 23 Nov 2026 10:00:00 +0100`, obsolete zone names of §4.3
//! too) to seconds since the epoch, without a clock or a calendar library.

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn month_number(name: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let name = name.get(..3)?.to_ascii_lowercase();
    MONTHS.iter().position(|m| *m == name).map(|i| i as i64 + 1)
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
    Some(sign * (hours * 3600 + minutes * 60))
}

/// Seconds since the epoch of an RFC 5322 date-time, `None` when it does not read.
pub fn parse_date(text: &str) -> Option<i64> {
    let text = super::strip_comments(text);
    let mut words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    if words
        .first()
        .is_some_and(|w| w.chars().all(|c| c.is_ascii_alphabetic()))
    {
        words.remove(0); // day of week
    }
    let day: i64 = words.first()?.parse().ok()?;
    let month = month_number(words.get(1)?)?;
    let mut year: i64 = words.get(2)?.parse().ok()?;
    if year < 100 {
        // RFC 5322 §4.3: two-digit years.
        year += if year < 50 { 2000 } else { 1900 };
    }
    let mut time = words.get(3)?.split(':');
    let hour: i64 = time.next()?.parse().ok()?;
    let minute: i64 = time.next()?.parse().ok()?;
    let second: i64 = time.next().map_or(Some(0), |s| s.parse().ok())?;
    let offset = words.get(4).and_then(|z| zone_offset(z)).unwrap_or(0);
    if !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

#[cfg(test)]
mod tests {
    use super::parse_date;

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
        assert_eq!(parse_date("yesterday"), None);
    }
}
