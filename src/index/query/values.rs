//! Reading the values of the fields that are not names: dates and ranges of dates (EDTF,
//! Lucene-like ranges, decades), and OCOP stars.

use super::Atom;
use crate::model::edtf::{CalendarDate, Edtf};

/// Reads OCOP stars (1 to 5): `4`, `>=3`, `>3`, `<=4`, `<4`, `4+`, and inclusive ranges written
/// as for dates ([`date_range`]): `3-5`, `3..5`, `3..` and `..4` (an empty or `*` side is open),
/// `[3 TO 5]`, `[3 TO *]`, `[* TO 4]`, with Lucene's `{`/`}` excluding their bound (`{3 TO 5]`
/// is 4 and 5). A number may carry a star (`4★`, `4*`). `None` for anything else, and for a
/// range holding no star count from 1 to 5.
pub(super) fn stars_range(value: &str) -> Option<(u8, u8)> {
    let value: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    let value = value.to_lowercase();
    let number = |text: &str| -> Option<u8> {
        let text = text.trim_end_matches(['*', '★']);
        text.parse::<u8>().ok().filter(|n| (1..=5).contains(n))
    };
    // One side of a range: `None` when open (empty or `*`), else its number.
    let side = |text: &str| -> Option<Option<u8>> {
        if text.is_empty() || text == "*" {
            Some(None)
        } else {
            number(text).map(Some)
        }
    };
    let bracketed = value
        .strip_prefix(['[', '{'])
        .and_then(|v| v.strip_suffix([']', '}']));
    let (from, to) = if let Some(inner) = bracketed {
        let (low, high) = inner.split_once("to")?;
        let from = match side(low)? {
            Some(n) if value.starts_with('{') => n.checked_add(1)?,
            Some(n) => n,
            None => 1,
        };
        let to = match side(high)? {
            Some(n) if value.ends_with('}') => n.checked_sub(1)?,
            Some(n) => n,
            None => 5,
        };
        (from, to)
    } else if let Some(rest) = value.strip_prefix(">=").or(value.strip_prefix("≥")) {
        (number(rest)?, 5)
    } else if let Some(rest) = value.strip_prefix('>') {
        (number(rest)?.checked_add(1)?, 5)
    } else if let Some(rest) = value.strip_prefix("<=").or(value.strip_prefix("≤")) {
        (1, number(rest)?)
    } else if let Some(rest) = value.strip_prefix('<') {
        (1, number(rest)?.checked_sub(1)?)
    } else if let Some(rest) = value.strip_suffix('+') {
        (number(rest)?, 5)
    } else if let Some((low, high)) = value.split_once("..").or_else(|| value.split_once('-')) {
        let (low, high) = (side(low)?, side(high)?);
        if low.is_none() && high.is_none() {
            return None;
        }
        (low.unwrap_or(1), high.unwrap_or(5))
    } else {
        let n = number(&value)?;
        (n, n)
    };
    (from <= to && from >= 1 && to <= 5).then_some((from, to))
}

/// A date as the index stores it.
pub fn day_number(date: CalendarDate) -> i64 {
    i64::from(date.year) * 10_000 + i64::from(date.month) * 100 + i64::from(date.day)
}

/// Reads `1995`, `199X`, `1990s` (the decade, as `199X`), `1995-03`, `1990/1999`,
/// `[1990 TO 1999]`, `[1990 TO *]`. As in Lucene's range syntax, `[`/`]` include their bound and
/// `{`/`}` exclude it: `[1990 TO 2000}` ends before 2000 begins (break-12 finding 10).
pub(super) fn date_range(value: &str) -> Option<Atom> {
    // `1990s`/`1990's`: the decade, a year ending in 0 followed by `s`.
    let decade = value
        .strip_suffix(['s', 'S'])
        .map(|v| v.strip_suffix('\'').unwrap_or(v))
        .filter(|v| v.len() == 4 && v.ends_with('0') && v.bytes().all(|b| b.is_ascii_digit()))
        .map(|v| format!("{}X", &v[..3]));
    let value = decade.as_deref().unwrap_or(value);
    let exclusive_low = value.starts_with('{');
    let exclusive_high = value.ends_with('}');
    let inner = value
        .strip_prefix(['[', '{'])
        .and_then(|v| v.strip_suffix([']', '}']));
    let (low, high) = match inner {
        Some(range) => {
            let words: Vec<&str> = range.split_whitespace().collect();
            match words.as_slice() {
                [low, to, high] if to.eq_ignore_ascii_case("to") => (*low, *high),
                _ => return None,
            }
        }
        None => match value.split_once("..").or_else(|| value.split_once('/')) {
            Some((low, high)) => (low, high),
            None => (value, value),
        },
    };
    let bound = |text: &str, earliest: bool| -> Option<Option<i64>> {
        let text = text.trim();
        if text.is_empty() || text == "*" || text == ".." {
            return Some(None);
        }
        let date = Edtf::parse(text).ok()?;
        let day = if earliest {
            date.earliest()
        } else {
            date.latest()
        }?;
        Some(Some(day_number(day)))
    };
    // An excluded bound: from the day after the low's last day, to the day before the high's
    // first (days are `yyyymmdd`, so ±1 keeps every real day on the right side).
    let (from, to) = if inner.is_some() {
        let from = if exclusive_low {
            bound(low, false)?.map(|day| day + 1)
        } else {
            bound(low, true)?
        };
        let to = if exclusive_high {
            bound(high, true)?.map(|day| day - 1)
        } else {
            bound(high, false)?
        };
        (from, to)
    } else {
        (bound(low, true)?, bound(high, false)?)
    };
    if from.is_none() && to.is_none() {
        return None;
    }
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        return None;
    }
    Some(Atom::Date { from, to })
}
