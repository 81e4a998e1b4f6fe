//! The XML text of OAI-PMH responses: escaping, dates, and the envelope every response shares.
//!
//! Escaping is quick-xml's (the crate the PREMIS writer uses, `crate::archive::premis::xml`),
//! after dropping the characters XML 1.0 forbids (§2.2 `Char`: controls other than tab, line
//! feed and carriage return, and U+FFFE, U+FFFF), which a record's text may hold and which would
//! make the whole response unreadable to a harvester.
//!
//! Datestamps are whole seconds since 1970 (UTC), written `YYYY-MM-DDThh:mm:ssZ` (OAI-PMH 2.0
//! §3.3.1, UTCdatetime); conversions are the proleptic Gregorian calendar's (H. Hinnant's
//! `days_from_civil`), so dates before 1970 work too.

use std::borrow::Cow;

/// The OAI-PMH 2.0 namespace.
pub const OAI_NS: &str = "http://www.openarchives.org/OAI/2.0/";

/// `text` with the characters XML 1.0 forbids dropped and `& < > " '` escaped, for element
/// content and attribute values alike.
pub fn escape(text: &str) -> Cow<'_, str> {
    if text.chars().all(allowed) {
        return quick_xml::escape::escape(text);
    }
    let kept: String = text.chars().filter(|c| allowed(*c)).collect();
    Cow::Owned(quick_xml::escape::escape(&kept).into_owned())
}

/// Whether XML 1.0 allows `c` in a document (§2.2, production 2; Rust's `char` holds no
/// surrogates).
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}'
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date of a day count since 1970-01-01: `(year, month, day)`.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `seconds` since 1970 (UTC) as `YYYY-MM-DDThh:mm:ssZ`.
pub fn datestamp(seconds: i64) -> String {
    let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
    let second_of_day = seconds.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60
    )
}

/// The number at `text[range]` when it is all ASCII digits.
fn digits(text: &str, range: std::ops::Range<usize>) -> Option<i64> {
    let part = text.get(range)?;
    if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

/// The first second of the day `YYYY-MM-DD` (a real date, year 1 to 9999), in seconds since
/// 1970.
pub fn parse_day(text: &str) -> Option<i64> {
    if text.len() != 10 || &text[4..5] != "-" || &text[7..8] != "-" {
        return None;
    }
    let (year, month, day) = (
        digits(text, 0..4)?,
        digits(text, 5..7)?,
        digits(text, 8..10)?,
    );
    // Year 0 is no year of XML Schema 1.0's `date`, which the response's `request` element
    // echoes the argument as.
    if year == 0 || !(1..=12).contains(&month) || !(1..=days_in_month(year, month)).contains(&day) {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400)
}

/// `YYYY-MM-DDThh:mm:ssZ` exactly (a real date and time of day) in seconds since 1970.
pub fn parse_seconds(text: &str) -> Option<i64> {
    if text.len() != 20 || !text.is_ascii() || &text[10..11] != "T" || &text[19..20] != "Z" {
        return None;
    }
    let day = parse_day(&text[..10])?;
    let time = &text[11..19];
    if &time[2..3] != ":" || &time[5..6] != ":" {
        return None;
    }
    let (hour, minute, second) = (
        digits(time, 0..2)?,
        digits(time, 3..5)?,
        digits(time, 6..8)?,
    );
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    Some(day + hour * 3600 + minute * 60 + second)
}

/// An OCFL version's `created` (RFC 3339: `2026-12-02T07:31:09Z`, possibly with a fraction
/// of a second or an offset such as `+07:00`) in whole seconds since 1970, UTC; `None` when it
/// is not RFC 3339.
pub fn parse_created(text: &str) -> Option<i64> {
    let text = text.trim();
    if text.len() < 20 || !text.is_ascii() {
        return None;
    }
    let base = parse_seconds(&format!("{}Z", &text[..19]))?;
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = &fraction[digits..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first() {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => return None,
            };
            if rest.len() != 6 || &rest[3..4] != ":" {
                return None;
            }
            let (hours, minutes) = (digits(rest, 1..3)?, digits(rest, 4..6)?);
            sign * (hours * 3600 + minutes * 60)
        }
    };
    Some(base - offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datestamps_round_trip_across_leap_years_and_before_1970() {
        for text in [
            "1970-01-01T00:00:00Z",
            "2000-02-29T23:59:59Z",
            "1969-12-31T23:59:59Z",
            "1900-03-01T12:00:00Z",
            "2026-12-02T07:31:09Z",
        ] {
            assert_eq!(datestamp(parse_seconds(text).unwrap()), text);
        }
        assert_eq!(parse_seconds("1970-01-02T00:00:00Z"), Some(86_400));
        assert_eq!(
            parse_day("2026-12-02"),
            parse_seconds("2026-12-02T00:00:00Z")
        );
    }

    #[test]
    fn malformed_dates_are_refused() {
        for text in [
            "2026-02-29",
            "2026-13-01",
            "2026-1-01",
            "2026-12-02T24:00:00Z",
            "2026-12-02T07:31:09",
            "2026-12-02T07:31:09+07:00",
            "2026-12-02T07:31:09.5Z",
            "２０２６-12-02",
            "0000-01-01",
            "",
        ] {
            assert!(
                parse_day(text).is_none() && parse_seconds(text).is_none(),
                "{text}"
            );
        }
    }

    #[test]
    fn version_times_with_fractions_and_offsets_are_read_in_utc() {
        let utc = parse_seconds("2026-12-02T00:31:09Z");
        assert_eq!(parse_created("2026-12-02T00:31:09Z"), utc);
        assert_eq!(parse_created("2026-12-02T00:31:09.123456Z"), utc);
        assert_eq!(parse_created("2026-12-02T07:31:09+07:00"), utc);
        assert_eq!(parse_created("2026-12-02T07:31:09"), None);
    }

    #[test]
    fn forbidden_characters_are_dropped_and_markup_escaped() {
        assert_eq!(
            escape("a\u{0}b\u{1b}<c>&\"'\u{FFFE}\t"),
            "ab&lt;c&gt;&amp;&quot;&apos;\t"
        );
        assert_eq!(escape("Lụa Nha Xá"), "Lụa Nha Xá");
    }
}
