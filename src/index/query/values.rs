//! Reading the values of the fields that are not names: dates and ranges of dates (EDTF,
//! Lucene-like ranges, decades), and OCOP stars.

use super::Atom;
use crate::model::edtf::{CalendarDate, Edtf};

/// What a `stars:` value reads as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stars {
    /// OCOP ratings from `from` to `to` stars, inclusive, `1 <= from <= to <= 5`.
    Within(u8, u8),
    /// Star counts written the ways [`stars_range`] reads, but naming no OCOP rating (`0`, `6`,
    /// `>5`, `[3 TO 6]`): a search for them finds nothing, and says why.
    NoRating,
}

/// Reads OCOP stars (1 to 5): `4`, `>=3`, `>3`, `<=4`, `<4`, `4+`, `*` (any), and inclusive ranges written
/// as for dates ([`date_range`]): `3-5`, `3..5`, `3..` and `..4` (an empty or `*` side is open),
/// `[3 TO 5]`, `[3 TO *]`, `[* TO 4]`, with Lucene's `{`/`}` excluding their bound (`{3 TO 5]`
/// is 4 and 5). A number may carry a star (`4★`, `4*`). A range written high to low (`5..3`,
/// `5-3`, `[5 TO 3]`) is the same range low to high (issue 15: it was not read), each bracket
/// staying with its end (`{5 TO 3]` excludes the lower bound, 3: 4 and 5).
///
/// [`Stars::NoRating`] for counts outside 1 to 5 written so (`0`, `6`, `>5`, `<1`, `0..3`,
/// `[3 TO 6]`, `{5 TO *]`, and a negative count `-1`): OCOP ratings have 1 to 5 stars (Decision
/// 148/QĐ-TTg), so nothing has those. `None` for anything else (`many`, `..`, `>-1`, `3-`),
/// which is no star count at all. An open side is written `..` or `*`, never `-`.
pub(super) fn stars_range(value: &str) -> Option<Stars> {
    let value: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    let value = value.to_lowercase();
    // A count as written, any size (`0`, `6`, `12`, a hundred digits), held as at most 1000 so
    // that `±1` never overflows; ratings are checked at the end.
    let number = |text: &str| -> Option<i32> {
        let text = text.trim_end_matches(['*', '★']);
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(text.parse::<i32>().map_or(1000, |n| n.min(1000)))
    };
    // One side of a range: `None` when open (empty or `*`), else its number.
    let side = |text: &str| -> Option<Option<i32>> {
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
        let (mut low, mut high) = (side(low)?, side(high)?);
        if let (Some(a), Some(b)) = (low, high)
            && a > b
        {
            (low, high) = (Some(b), Some(a));
        }
        let from = match low {
            Some(n) if value.starts_with('{') => n + 1,
            Some(n) => n,
            None => 1,
        };
        let to = match high {
            Some(n) if value.ends_with('}') => n - 1,
            Some(n) => n,
            None => 5,
        };
        (from, to)
    } else if let Some(rest) = value.strip_prefix(">=").or(value.strip_prefix("≥")) {
        (number(rest)?, 5)
    } else if let Some(rest) = value.strip_prefix('>') {
        (number(rest)? + 1, 5)
    } else if let Some(rest) = value.strip_prefix("<=").or(value.strip_prefix("≤")) {
        (1, number(rest)?)
    } else if let Some(rest) = value.strip_prefix('<') {
        (1, number(rest)? - 1)
    } else if let Some(rest) = value.strip_suffix('+') {
        (number(rest)?, 5)
    } else if let Some((low, high)) = value.split_once("..").or_else(|| value.split_once('-')) {
        // `-4` is a negative count, which no rating has; an open side is written `..`
        // (`..4`), never `-` (issue 15: `-4` was read as at most 4).
        if let Some(count) = value.strip_prefix('-') {
            number(count)?;
            return Some(Stars::NoRating);
        }
        let (low, high) = (side(low)?, side(high)?);
        if value.contains('-') && (low.is_none() || high.is_none()) {
            return None;
        }
        match (low, high) {
            (None, None) => return None,
            (Some(a), Some(b)) if a > b => (b, a),
            (low, high) => (low.unwrap_or(1), high.unwrap_or(5)),
        }
    } else if value == "*" {
        // Any rating, as `[* TO *]`.
        (1, 5)
    } else {
        let n = number(&value)?;
        (n, n)
    };
    Some(if from <= to && from >= 1 && to <= 5 {
        Stars::Within(from as u8, to as u8)
    } else {
        Stars::NoRating
    })
}

/// What a `date:` value reads as.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum DateRead {
    /// Records whose date overlaps this [`Atom::Date`].
    Range(Atom),
    /// A range whose excluded ends leave no day between them: nothing.
    Empty,
}

/// A date as the index stores it.
pub fn day_number(date: CalendarDate) -> i64 {
    i64::from(date.year) * 10_000 + i64::from(date.month) * 100 + i64::from(date.day)
}

/// Reads `1995`, `199X`, `1990s` (the decade, as `199X`), `1995-03`, `1990/1999`,
/// `[1990 TO 1999]`, `[1990 TO *]`. As in Lucene's range syntax, `[`/`]` include their bound and
/// `{`/`}` exclude it: `[1990 TO 2000}` ends before 2000 begins (break-12 finding 10). A range
/// written high to low (`1999..1990`) is read low to high. `[* TO *]` is any date (every dated
/// record); a range whose excluded ends leave no day (`{2026 TO 2026}`, `[2026 TO 2026}`) holds
/// nothing, as Lucene reads it ([`DateRead::Empty`]; issue 15: both fell back to words).
pub(super) fn date_range(value: &str) -> Option<DateRead> {
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
    // Issue 15: a range written high to low (`1999..1990`, `[1999 TO 1990]`) is the same range
    // low to high, each bracket staying with its end, as for stars.
    let (low, high) = match (bound(low, true)?, bound(high, true)?) {
        (Some(a), Some(b)) if a > b => (high, low),
        _ => (low, high),
    };
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
        // `[* TO *]`: any date, as in Lucene; `..` or `/` alone is no range.
        return inner
            .is_some()
            .then_some(DateRead::Range(Atom::Date { from, to }));
    }
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        // Only excluded ends can empty a range read low to high: `{2026 TO 2026}`.
        return Some(DateRead::Empty);
    }
    Some(DateRead::Range(Atom::Date { from, to }))
}
