//! How far a date reaches for search and for the decade facet: the policy the parser leaves to
//! its callers (see the module documentation of [`super`]), in one place so that `date:` and the
//! decade facet always agree.
//!
//! - An approximate or uncertain side (`1930~`, `1930?`, `1930%`) is widened by
//!   [`QUALIFIED_MARGIN_YEARS`]: "around 1930" is found by `date:[1925 TO 1929]` and counted in
//!   the 1920s and the 1930s.
//! - An open or unknown side (`../1975`, `/1975`, `1990/..`) has no bound for search: "before
//!   1975" overlaps every earlier range. The decade facet, which must list decades one by one,
//!   bounds it by the collection's own span at query time (`index::search::decades`).

use super::{Bound, CalendarDate, Edtf, Form, Point, Qualifier, days_in_month};

/// Years an approximate or uncertain date is widened by on its qualified side(s), for search and
/// facets (the margin the `search-decade-facet` case suggests, ±5 years).
pub const QUALIFIED_MARGIN_YEARS: i32 = 5;
/// The current year (UTC): the decade facet counts a date with an open end up to it at least.
pub fn this_year() -> i32 {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    // Whole years of 365.2425 days since 1970: off by at most a day around 1 January.
    1970 + (days * 10_000 / 3_652_425) as i32
}

/// The days a search treats a date as covering; `None` on a side means it has no bound there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// The first day, or `None` for an open or unknown start.
    pub from: Option<CalendarDate>,
    /// The last day, or `None` for an open or unknown end.
    pub to: Option<CalendarDate>,
}

/// The same month and day `years` later (earlier when negative); 29 February becomes the 28th in
/// a year without it.
fn shifted(date: CalendarDate, years: i32) -> CalendarDate {
    let year = date.year.saturating_add(years);
    CalendarDate {
        year,
        month: date.month,
        day: date.day.min(days_in_month(year, date.month)),
    }
}

fn widened(point: Point) -> (CalendarDate, CalendarDate) {
    match point.qualifier {
        Some(
            Qualifier::Approximate | Qualifier::Uncertain | Qualifier::UncertainAndApproximate,
        ) => (
            shifted(point.earliest, -QUALIFIED_MARGIN_YEARS),
            shifted(point.latest, QUALIFIED_MARGIN_YEARS),
        ),
        None => (point.earliest, point.latest),
    }
}

impl Edtf {
    /// The days a search treats this date as covering (see the module documentation): its range,
    /// each qualified side widened by [`QUALIFIED_MARGIN_YEARS`], open and unknown sides
    /// unbounded. `1930~` → 1925-01-01 to 1935-12-31; `../1975` → no start to 1975-12-31.
    pub fn search_span(&self) -> Span {
        match self.form {
            Form::Single(point) => {
                let (from, to) = widened(point);
                Span {
                    from: Some(from),
                    to: Some(to),
                }
            }
            Form::Interval { start, end } => {
                let side = |bound: Bound| match bound {
                    Bound::Known(point) => Some(widened(point)),
                    Bound::Unknown | Bound::Open => None,
                };
                Span {
                    from: side(start).map(|(from, _)| from),
                    to: side(end).map(|(_, to)| to),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(year: i32, month: u8, day: u8) -> Option<CalendarDate> {
        CalendarDate::new(year, month, day)
    }

    fn span(text: &str) -> (Option<CalendarDate>, Option<CalendarDate>) {
        let span = Edtf::parse(text).unwrap().search_span();
        (span.from, span.to)
    }

    #[test]
    fn qualified_sides_widen_and_open_sides_have_no_bound() {
        assert_eq!(span("1995"), (day(1995, 1, 1), day(1995, 12, 31)));
        for text in ["1930~", "1930?", "1930%"] {
            assert_eq!(span(text), (day(1925, 1, 1), day(1935, 12, 31)), "{text}");
        }
        assert_eq!(span("2004-06~"), (day(1999, 6, 1), day(2009, 6, 30)));
        assert_eq!(span("2000-02-29?"), (day(1995, 2, 28), day(2005, 2, 28)));
        assert_eq!(span("1985/1995"), (day(1985, 1, 1), day(1995, 12, 31)));
        assert_eq!(span("1990?/1999"), (day(1985, 1, 1), day(1999, 12, 31)));
        assert_eq!(span("../1975"), (None, day(1975, 12, 31)));
        assert_eq!(span("/1975"), (None, day(1975, 12, 31)));
        assert_eq!(span("1990/.."), (day(1990, 1, 1), None));
        assert_eq!(span("199X"), (day(1990, 1, 1), day(1999, 12, 31)));
    }
}
