//! An EDTF error in words either language can say (issue 15): the Fluent id and arguments of
//! each [`Problem`], beside the English its `Display` writes (`edtf-*` in `disan.ftl`).

use super::{EdtfError, EdtfYear, MAX_QUOTED_CHARS, Problem};
use crate::model::Message;

impl EdtfError {
    /// What is wrong, as words either language can say: the same English as its `Display`,
    /// with the Fluent id and arguments of each part (`edtf-*` in `disan.ftl`).
    pub fn message(&self) -> Message {
        let mut chars = self.input.chars();
        let shown: String = chars.by_ref().take(MAX_QUOTED_CHARS).collect();
        let ellipsis = if chars.next().is_some() { "..." } else { "" };
        crate::msg!(
            "edtf-error",
            "\"{input}\": {problem}",
            input = format!("{shown}{ellipsis}"),
            problem = self.problem.message()
        )
    }
}

impl Problem {
    /// The problem's words (see [`EdtfError::message`]); its English is its `Display`.
    fn message(&self) -> Message {
        use crate::msg;
        let word = |part: &str| match part {
            "year" => msg!("edtf-part-year", "year"),
            "month" => msg!("edtf-part-month", "month"),
            _ => msg!("edtf-part-day", "day"),
        };
        match self {
            Problem::Empty => msg!(
                "edtf-empty",
                "no date given; write it like 2020-08-27, 2019, 1990/1999, 1930~, 1930? or 193X"
            ),
            Problem::NotEdtf => msg!(
                "edtf-not-edtf",
                "not an EDTF date; write it like 2020-08-27, 2019, 1990/1999, 1930~, 1930? or 193X"
            ),
            Problem::RangeNeedsSlash { suggestion } => msg!(
                "edtf-range-needs-slash",
                "write a range with a slash, like {suggestion}",
                suggestion = suggestion
            ),
            Problem::NeedsHyphens { suggestion } => msg!(
                "edtf-needs-hyphens",
                "separate year, month and day with hyphens, like {suggestion}",
                suggestion = suggestion
            ),
            Problem::LongYearNeedsY { suggestion } => msg!(
                "edtf-long-year-needs-y",
                "a year with more than four digits starts with Y, like {suggestion}",
                suggestion = suggestion
            ),
            Problem::ShortYearWithY { suggestion } => msg!(
                "edtf-short-year-with-y",
                "only years with more than four digits start with Y; write {suggestion}",
                suggestion = suggestion
            ),
            Problem::YearTooFar { year } => msg!(
                "edtf-year-too-far",
                "year {year} is too far from the present to be stored",
                year = year
            ),
            Problem::NegativeZero => msg!(
                "edtf-negative-zero",
                "year zero has no minus sign; write 0000"
            ),
            Problem::YearDigitsX => msg!(
                "edtf-year-digits-x",
                "only the last one or two digits of a year can be X, like 193X or 19XX"
            ),
            Problem::KnownAfterX { part: known, after } => msg!(
                "edtf-known-after-x",
                "a known {part} cannot follow an unspecified {after}; write the {part} as XX too",
                part = word(known),
                after = word(after)
            ),
            Problem::MonthDoesNotExist {
                month,
                mention_seasons: false,
            } => msg!(
                "edtf-month-does-not-exist",
                "month {month} does not exist",
                month = month
            ),
            Problem::MonthDoesNotExist {
                month,
                mention_seasons: true,
            } => msg!(
                "edtf-month-or-season-does-not-exist",
                "month {month} does not exist; use 01 to 12 for a month, or 21 (spring) to 24 (winter) for a season",
                month = month
            ),
            Problem::SeasonWithDay => msg!(
                "edtf-season-with-day",
                "a season (21 to 24) cannot have a day"
            ),
            Problem::DayZero => msg!("edtf-day-zero", "day 00 does not exist"),
            Problem::DayBeyondMonth { year, month, days } => msg!(
                "edtf-day-beyond-month",
                "{month} {year} has {days} days",
                month = month_name(*month),
                year = EdtfYear(*year).to_string(),
                days = days
            ),
            Problem::TimeNeedsDay => msg!(
                "edtf-time-needs-day",
                "a time of day needs a full date before it, like 2020-08-27T10:30:00"
            ),
            Problem::QualifiedTime => msg!(
                "edtf-qualified-time",
                "a date with a time of day cannot be marked ?, ~ or %"
            ),
            Problem::TimeField { field, value } => {
                let field = match *field {
                    "hour" => msg!("edtf-field-hour", "hour"),
                    "minute" => msg!("edtf-field-minute", "minute"),
                    _ => msg!("edtf-field-second", "second"),
                };
                msg!(
                    "edtf-time-field",
                    "{field} {value} does not exist",
                    field = field,
                    value = value
                )
            }
            Problem::TimeZone { zone } => msg!(
                "edtf-time-zone",
                "time zone {zone} does not exist; write Z, or an offset like +07:00",
                zone = zone
            ),
            Problem::IntervalWithoutDate => msg!(
                "edtf-interval-without-date",
                "an interval needs a date on at least one side, like 1990/.. or /1999"
            ),
            Problem::Backwards { start, end } => msg!(
                "edtf-backwards",
                "the interval starts ({start}) after it ends ({end}); put the earlier date first",
                start = start,
                end = end
            ),
        }
    }
}

/// A month's name (1 is January), as words either language can say.
fn month_name(month: u8) -> Message {
    use crate::msg;
    match month {
        1 => msg!("edtf-month-1", "January"),
        2 => msg!("edtf-month-2", "February"),
        3 => msg!("edtf-month-3", "March"),
        4 => msg!("edtf-month-4", "April"),
        5 => msg!("edtf-month-5", "May"),
        6 => msg!("edtf-month-6", "June"),
        7 => msg!("edtf-month-7", "July"),
        8 => msg!("edtf-month-8", "August"),
        9 => msg!("edtf-month-9", "September"),
        10 => msg!("edtf-month-10", "October"),
        11 => msg!("edtf-month-11", "November"),
        _ => msg!("edtf-month-12", "December"),
    }
}
