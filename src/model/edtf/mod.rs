//! Dates written in the Extended Date/Time Format (EDTF).
//!
//! Archivists record when an item was made, photographed or collected in the
//! date column of `metadata.csv`, and heritage dates are rarely exact: "around
//! 1930", "some time in the 1930s", "spring 2001", "before 1975". EDTF, the
//! Library of Congress profile of ISO 8601-2, writes all of these as short,
//! unambiguous strings (`1930~`, `193X`, `2001-21`, `../1975`).
//!
//! This module owns reading those strings. [`Edtf`] keeps the text exactly as
//! the archivist wrote it (trimmed), because that text is their statement and
//! must survive a round trip unchanged, and alongside it derives the calendar
//! range it covers ([`Edtf::earliest`], [`Edtf::latest`]), which the rest of
//! Disan uses for sorting, faceting by decade and range search. When a string
//! is not valid EDTF, [`EdtfError`] says what is wrong in words an archivist
//! can act on.
//!
//! Supported: EDTF level 0 and level 1, namely
//!
//! - dates `2020`, `2020-08`, `2020-08-27`, negative years `-0100` and year `0000`;
//! - date and time `2020-08-27T10:30:00`, optionally followed by `Z`, `+07:00`
//!   or `+07` (the range is the date as written; the time is checked, not kept);
//! - intervals `1990/1999`, with an unknown (`/1999`, `1990/`) or open
//!   (`../1999`, `1990/..`) side;
//! - qualifiers `?` (uncertain), `~` (approximate) and `%` (both) after a date;
//! - unspecified digits `193X`, `19XX`, `2004-XX`, `2004-06-XX`, `2004-XX-XX`;
//! - seasons `2001-21` to `2001-24` (spring, summer, autumn, winter);
//! - years with more than four digits written with a `Y` prefix: `Y170000002`.
//!
//! Level 1 does not say how these features combine, so they combine freely:
//! `2004-06~/2004-08`, `193X?` and `2001-21%` are accepted. Beyond level 1,
//! a `Y` year may take a month and day (`Y12345-01-31`) so that
//! [`Edtf::from_calendar_date`] can write any [`CalendarDate`]. Level 2
//! (per-component qualifiers, sets, exponents, sub-year groupings) is
//! rejected.
//!
//! Qualifiers do not widen the range: `1930~` still covers 1930-01-01 to
//! 1930-12-31. How far "around 1930" reaches is a search policy, not part of
//! the date: [`Edtf::search_span`] (in `span.rs`) states Disan's, which search
//! and the decade facet share.
//!
//! Every string this parser accepts is ASCII, so it is already in Unicode NFC
//! and the stored text needs no normalisation beyond trimming.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::model::message::Message;
use crate::msg;

/// Shown whenever the text is not recognisably a date, so the archivist
/// always sees the common shapes to copy from.
const EXAMPLES: &str = "write it like 2020-08-27, 2019, 1990/1999, 1930~, 1930? or 193X";

/// Error messages quote the input; a whole paragraph pasted into the date
/// column would drown the explanation, so long input is cut short.
const MAX_QUOTED_CHARS: usize = 60;

/// English month names, January first.
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date written in EDTF, as found in the date column of `metadata.csv`.
///
/// Holds the trimmed original text together with the range of days it
/// covers. Displays and serialises as that text; deserialising parses it and
/// fails on invalid EDTF.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edtf {
    text: String,
    form: Form,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Form {
    Single(Point),
    Interval { start: Bound, end: Bound },
}

/// One side of an interval. EDTF distinguishes "we do not know when it
/// started" (empty) from "it has no start" (`..`); both leave the range open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Bound {
    Unknown,
    Open,
    Known(Point),
}

impl Bound {
    fn point(self) -> Option<Point> {
        match self {
            Bound::Known(point) => Some(point),
            Bound::Unknown | Bound::Open => None,
        }
    }
}

/// A single date (not an interval): the days it may fall on and how sure the
/// archivist was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Point {
    earliest: CalendarDate,
    latest: CalendarDate,
    qualifier: Option<Qualifier>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Qualifier {
    Uncertain,
    Approximate,
    UncertainAndApproximate,
}

impl Edtf {
    /// Parses EDTF text, ignoring surrounding whitespace.
    ///
    /// # Errors
    ///
    /// Returns an [`EdtfError`] explaining the problem when the text is not a
    /// valid level 0 or level 1 EDTF date, names a day that does not exist,
    /// or is an interval that ends before it starts.
    pub fn parse(text: &str) -> Result<Edtf, EdtfError> {
        let text = text.trim();
        match parse_form(text) {
            Ok(form) => Ok(Edtf {
                text: text.to_owned(),
                form,
            }),
            Err(problem) => Err(EdtfError {
                input: text.to_owned(),
                problem,
            }),
        }
    }

    /// The date as the archivist wrote it, without surrounding whitespace.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The first day the date may refer to, or `None` when the start is
    /// open (`../1999`) or unknown (`/1999`).
    pub fn earliest(&self) -> Option<CalendarDate> {
        match self.form {
            Form::Single(point) => Some(point.earliest),
            Form::Interval { start, .. } => start.point().map(|point| point.earliest),
        }
    }

    /// The last day the date may refer to, or `None` when the end is open
    /// (`1990/..`) or unknown (`1990/`).
    pub fn latest(&self) -> Option<CalendarDate> {
        match self.form {
            Form::Single(point) => Some(point.latest),
            Form::Interval { end, .. } => end.point().map(|point| point.latest),
        }
    }

    /// Whether any part of the date is marked approximate (`~` or `%`).
    pub fn is_approximate(&self) -> bool {
        self.qualifiers().any(|qualifier| {
            matches!(
                qualifier,
                Qualifier::Approximate | Qualifier::UncertainAndApproximate
            )
        })
    }

    /// Whether any part of the date is marked uncertain (`?` or `%`).
    pub fn is_uncertain(&self) -> bool {
        self.qualifiers().any(|qualifier| {
            matches!(
                qualifier,
                Qualifier::Uncertain | Qualifier::UncertainAndApproximate
            )
        })
    }

    /// Whether the date is an interval such as `1990/1999` or `1990/..`.
    pub fn is_interval(&self) -> bool {
        matches!(self.form, Form::Interval { .. })
    }

    /// An exact day, for example a capture date read from EXIF, written as
    /// `2020-08-27`.
    ///
    /// `date` should be a real day, as [`CalendarDate::new`] guarantees;
    /// otherwise the resulting text will not parse back. Years beyond four
    /// digits are written with the `Y` prefix, like `Y12345-01-31`.
    pub fn from_calendar_date(date: CalendarDate) -> Edtf {
        Edtf {
            text: date.to_string(),
            form: Form::Single(Point {
                earliest: date,
                latest: date,
                qualifier: None,
            }),
        }
    }

    fn qualifiers(&self) -> impl Iterator<Item = Qualifier> {
        let (first, second) = match self.form {
            Form::Single(point) => (Some(point), None),
            Form::Interval { start, end } => (start.point(), end.point()),
        };
        [first, second]
            .into_iter()
            .flatten()
            .filter_map(|point| point.qualifier)
    }
}

impl fmt::Display for Edtf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for Edtf {
    type Err = EdtfError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Edtf::parse(text)
    }
}

impl Serialize for Edtf {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Edtf {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Edtf::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A day in the proleptic Gregorian calendar, with astronomical year
/// numbering (year 0 is 1 BCE, year -1 is 2 BCE).
///
/// Orders chronologically. Displays as an EDTF day such as `2020-08-27`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CalendarDate {
    /// The year; 0 and negative years are allowed.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u8,
    /// The day of the month, 1 to 31.
    pub day: u8,
}

impl CalendarDate {
    /// The given day, or `None` when it does not exist (month 13, April 31,
    /// February 29 outside a leap year, ...).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Self> {
        let valid = (1..=12).contains(&month) && (1..=days_in_month(year, month)).contains(&day);
        valid.then_some(CalendarDate { year, month, day })
    }

    fn first_of_month(year: i32, month: u8) -> Self {
        CalendarDate {
            year,
            month,
            day: 1,
        }
    }

    fn last_of_month(year: i32, month: u8) -> Self {
        CalendarDate {
            year,
            month,
            day: days_in_month(year, month),
        }
    }

    /// The same day `months` later, or the month's last day when it is shorter (2024-01-31
    /// plus one month is 2024-02-29).
    pub fn plus_months(self, months: u32) -> Self {
        let total = self.year as i64 * 12 + (self.month as i64 - 1) + months as i64;
        let year = total.div_euclid(12) as i32;
        let month = total.rem_euclid(12) as u8 + 1;
        CalendarDate {
            year,
            month,
            day: self.day.min(days_in_month(year, month)),
        }
    }

    /// Reads a day written `YYYY-MM-DD` (an EDTF day without qualifiers).
    ///
    /// # Errors
    /// Text that is not one existing day, as a message naming it (`ingest-not-a-day`,
    /// `ingest-not-a-calendar-day`, in both languages, issue 15).
    pub fn parse_day(text: &str) -> Result<Self, Message> {
        let text = text.trim();
        let wrong = || {
            msg!(
                "ingest-not-a-day",
                "'{text}' is not a day written YYYY-MM-DD",
                text = text
            )
        };
        let mut parts = text.splitn(3, '-');
        let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(wrong());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(wrong());
        }
        let number = |s: &str| s.parse::<u32>().map_err(|_| wrong());
        let (year, month, day) = (number(y)?, number(m)?, number(d)?);
        CalendarDate::new(year as i32, month as u8, day as u8).ok_or_else(|| {
            msg!(
                "ingest-not-a-calendar-day",
                "'{text}' is not a day of the calendar",
                text = text
            )
        })
    }
}

impl serde::Serialize for CalendarDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for CalendarDate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        CalendarDate::parse_day(&text).map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{:02}-{:02}",
            EdtfYear(self.year),
            self.month,
            self.day
        )
    }
}

/// Why a text is not a usable EDTF date.
///
/// Displays as the quoted input followed by the problem in plain words, for
/// example `"1930-02-30": February 1930 has 28 days`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EdtfError {
    input: String,
    problem: Problem,
}

impl EdtfError {
    /// The rejected text, trimmed.
    pub fn input(&self) -> &str {
        &self.input
    }
}

impl fmt::Display for EdtfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut chars = self.input.chars();
        let shown: String = chars.by_ref().take(MAX_QUOTED_CHARS).collect();
        let ellipsis = if chars.next().is_some() { "..." } else { "" };
        write!(f, "\"{shown}{ellipsis}\": {}", self.problem)
    }
}

impl std::error::Error for EdtfError {}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Problem {
    Empty,
    NotEdtf,
    RangeNeedsSlash {
        suggestion: String,
    },
    NeedsHyphens {
        suggestion: String,
    },
    LongYearNeedsY {
        suggestion: String,
    },
    ShortYearWithY {
        suggestion: String,
    },
    YearTooFar {
        year: String,
    },
    NegativeZero,
    YearDigitsX,
    KnownAfterX {
        part: &'static str,
        after: &'static str,
    },
    MonthDoesNotExist {
        month: String,
        mention_seasons: bool,
    },
    SeasonWithDay,
    DayZero,
    DayBeyondMonth {
        year: i32,
        month: u8,
        days: u8,
    },
    TimeNeedsDay,
    QualifiedTime,
    TimeField {
        field: &'static str,
        value: String,
    },
    TimeZone {
        zone: String,
    },
    IntervalWithoutDate,
    Backwards {
        start: String,
        end: String,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Empty => write!(f, "no date given; {EXAMPLES}"),
            Problem::NotEdtf => write!(f, "not an EDTF date; {EXAMPLES}"),
            Problem::RangeNeedsSlash { suggestion } => {
                write!(f, "write a range with a slash, like {suggestion}")
            }
            Problem::NeedsHyphens { suggestion } => {
                write!(
                    f,
                    "separate year, month and day with hyphens, like {suggestion}"
                )
            }
            Problem::LongYearNeedsY { suggestion } => write!(
                f,
                "a year with more than four digits starts with Y, like {suggestion}"
            ),
            Problem::ShortYearWithY { suggestion } => write!(
                f,
                "only years with more than four digits start with Y; write {suggestion}"
            ),
            Problem::YearTooFar { year } => {
                write!(f, "year {year} is too far from the present to be stored")
            }
            Problem::NegativeZero => write!(f, "year zero has no minus sign; write 0000"),
            Problem::YearDigitsX => write!(
                f,
                "only the last one or two digits of a year can be X, like 193X or 19XX"
            ),
            Problem::KnownAfterX { part, after } => write!(
                f,
                "a known {part} cannot follow an unspecified {after}; write the {part} as XX too"
            ),
            Problem::MonthDoesNotExist {
                month,
                mention_seasons,
            } => {
                write!(f, "month {month} does not exist")?;
                if *mention_seasons {
                    write!(
                        f,
                        "; use 01 to 12 for a month, or 21 (spring) to 24 (winter) for a season"
                    )?;
                }
                Ok(())
            }
            Problem::SeasonWithDay => write!(f, "a season (21 to 24) cannot have a day"),
            Problem::DayZero => write!(f, "day 00 does not exist"),
            Problem::DayBeyondMonth { year, month, days } => write!(
                f,
                "{} {} has {days} days",
                MONTH_NAMES[usize::from(*month - 1)],
                EdtfYear(*year)
            ),
            Problem::TimeNeedsDay => write!(
                f,
                "a time of day needs a full date before it, like 2020-08-27T10:30:00"
            ),
            Problem::QualifiedTime => {
                write!(f, "a date with a time of day cannot be marked ?, ~ or %")
            }
            Problem::TimeField { field, value } => write!(f, "{field} {value} does not exist"),
            Problem::TimeZone { zone } => write!(
                f,
                "time zone {zone} does not exist; write Z, or an offset like +07:00"
            ),
            Problem::IntervalWithoutDate => write!(
                f,
                "an interval needs a date on at least one side, like 1990/.. or /1999"
            ),
            Problem::Backwards { start, end } => write!(
                f,
                "the interval starts ({start}) after it ends ({end}); put the earlier date first"
            ),
        }
    }
}

/// Writes a year the way EDTF does: four digits with an optional minus sign,
/// or a `Y` prefix once four digits are not enough.
struct EdtfYear(i32);

impl fmt::Display for EdtfYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            year @ 0..=9999 => write!(f, "{year:04}"),
            year @ -9999..=-1 => write!(f, "-{:04}", year.unsigned_abs()),
            year => write!(f, "Y{year}"),
        }
    }
}

fn is_leap_year(year: i32) -> bool {
    year.rem_euclid(4) == 0 && (year.rem_euclid(100) != 0 || year.rem_euclid(400) == 0)
}

/// Days in `month` (1 to 12) of `year`.
fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn parse_form(text: &str) -> Result<Form, Problem> {
    if text.is_empty() {
        return Err(Problem::Empty);
    }
    if let Some(suggestion) = dashed_range(text) {
        return Err(Problem::RangeNeedsSlash { suggestion });
    }
    // EDTF is pure ASCII; rejecting anything else early keeps byte slicing
    // below safe and guarantees the stored text is NFC.
    if !text.is_ascii() {
        return Err(Problem::NotEdtf);
    }
    match text.split_once('/') {
        None => parse_point(text).map(Form::Single),
        Some((start, end)) => parse_interval(start, end),
    }
}

/// Spots `1990-1999` or `1990–1999`, the most common way people write a
/// range, so the archivist is told to use a slash instead of a generic error.
fn dashed_range(text: &str) -> Option<String> {
    let (start, end) = text.split_once(['-', '\u{2013}', '\u{2014}'])?;
    let is_year = |part: &str| part.len() == 4 && part.bytes().all(|b| b.is_ascii_digit());
    (is_year(start) && is_year(end)).then(|| format!("{start}/{end}"))
}

fn parse_interval(start: &str, end: &str) -> Result<Form, Problem> {
    let start_bound = parse_bound(start)?;
    let end_bound = parse_bound(end)?;
    match (start_bound.point(), end_bound.point()) {
        (None, None) => return Err(Problem::IntervalWithoutDate),
        // Only reject when no reading of the two dates puts them in order:
        // `2004/2004-06` and `193X/1935` overlap and are fine.
        (Some(first), Some(last)) if first.earliest > last.latest => {
            return Err(Problem::Backwards {
                start: start.to_owned(),
                end: end.to_owned(),
            });
        }
        _ => {}
    }
    Ok(Form::Interval {
        start: start_bound,
        end: end_bound,
    })
}

fn parse_bound(text: &str) -> Result<Bound, Problem> {
    match text {
        "" => Ok(Bound::Unknown),
        ".." => Ok(Bound::Open),
        _ => parse_point(text).map(Bound::Known),
    }
}

fn parse_point(text: &str) -> Result<Point, Problem> {
    let (body, qualifier) = split_qualifier(text);
    if let Some((date, time)) = body.split_once('T') {
        if qualifier.is_some() {
            return Err(Problem::QualifiedTime);
        }
        let point = parse_date(date)?;
        if point.earliest != point.latest {
            return Err(Problem::TimeNeedsDay);
        }
        check_time(time)?;
        return Ok(point);
    }
    Ok(Point {
        qualifier,
        ..parse_date(body)?
    })
}

fn split_qualifier(text: &str) -> (&str, Option<Qualifier>) {
    let qualifier = match text.as_bytes().last() {
        Some(b'?') => Qualifier::Uncertain,
        Some(b'~') => Qualifier::Approximate,
        Some(b'%') => Qualifier::UncertainAndApproximate,
        _ => return (text, None),
    };
    (&text[..text.len() - 1], Some(qualifier))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Year {
    Known(i32),
    /// `193X`: any year from `first` to `last`.
    Unspecified {
        first: i32,
        last: i32,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Month {
    Known(u8),
    Unspecified,
    Season(Season),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Season {
    Spring,
    Summer,
    Autumn,
    Winter,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Day {
    Known(u8),
    Unspecified,
}

/// Parses a date without time or qualifier into the days it covers.
fn parse_date(text: &str) -> Result<Point, Problem> {
    let (long, rest) = match text.strip_prefix('Y') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (negative, rest) = match rest.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    let mut parts = rest.split('-');
    let year_text = parts.next().unwrap_or_default();
    let month_text = parts.next();
    let day_text = parts.next();
    if parts.next().is_some() {
        return Err(Problem::NotEdtf);
    }

    // `20200827` is a day written without hyphens, not a long year; telling
    // the archivist to write `Y20200827` would be wrong advice.
    let is_basic_format = year_text.len() == 8 && year_text.bytes().all(|b| b.is_ascii_digit());
    if is_basic_format && !long && !negative && month_text.is_none() {
        let (year, month_day) = year_text.split_at(4);
        let (month, day) = month_day.split_at(2);
        return Err(Problem::NeedsHyphens {
            suggestion: format!("{year}-{month}-{day}"),
        });
    }

    let year = if long {
        parse_long_year(year_text, negative)?
    } else {
        parse_year(year_text, negative)?
    };
    let month = month_text
        .map(|month| parse_month(month, day_text.is_none()))
        .transpose()?;
    let day = day_text.map(parse_day).transpose()?;

    // Level 1 only lets digits go unspecified from the right, so a known
    // part after an X would describe a pattern, not a range of days.
    if matches!(year, Year::Unspecified { .. })
        && matches!(month, Some(Month::Known(_) | Month::Season(_)))
    {
        return Err(Problem::KnownAfterX {
            part: "month",
            after: "year",
        });
    }
    if let Some(Day::Known(_)) = day {
        match month {
            Some(Month::Unspecified) => {
                return Err(Problem::KnownAfterX {
                    part: "day",
                    after: "month",
                });
            }
            Some(Month::Season(_)) => return Err(Problem::SeasonWithDay),
            _ => {}
        }
    }

    let (earliest, latest) = match (year, month, day) {
        (Year::Unspecified { first, last }, _, _) => (
            CalendarDate::first_of_month(first, 1),
            CalendarDate::last_of_month(last, 12),
        ),
        (Year::Known(year), None | Some(Month::Unspecified), _) => (
            CalendarDate::first_of_month(year, 1),
            CalendarDate::last_of_month(year, 12),
        ),
        (Year::Known(year), Some(Month::Season(season)), _) => season_range(year, season)?,
        (Year::Known(year), Some(Month::Known(month)), None | Some(Day::Unspecified)) => (
            CalendarDate::first_of_month(year, month),
            CalendarDate::last_of_month(year, month),
        ),
        (Year::Known(year), Some(Month::Known(month)), Some(Day::Known(day))) => {
            let days = days_in_month(year, month);
            if day == 0 {
                return Err(Problem::DayZero);
            }
            if day > days {
                return Err(Problem::DayBeyondMonth { year, month, days });
            }
            let date = CalendarDate { year, month, day };
            (date, date)
        }
    };
    Ok(Point {
        earliest,
        latest,
        qualifier: None,
    })
}

/// A four-character year: digits, possibly ending in one or two `X`.
fn parse_year(text: &str, negative: bool) -> Result<Year, Problem> {
    let all_digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    if all_digits && text.len() > 4 {
        let sign = if negative { "-" } else { "" };
        return Err(Problem::LongYearNeedsY {
            suggestion: format!("Y{sign}{text}"),
        });
    }
    if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit() || b == b'X') {
        return Err(Problem::NotEdtf);
    }
    let known = text.trim_end_matches('X');
    if known.contains('X') || known.len() < 2 {
        return Err(Problem::YearDigitsX);
    }
    // Four ASCII digits always fit in an i32.
    let number = |filler: &str| -> i32 { text.replace('X', filler).parse().unwrap_or_default() };
    let (low, high) = (number("0"), number("9"));
    match (known.len() == text.len(), negative) {
        (true, false) => Ok(Year::Known(low)),
        (true, true) if low == 0 => Err(Problem::NegativeZero),
        (true, true) => Ok(Year::Known(-low)),
        (false, false) => Ok(Year::Unspecified {
            first: low,
            last: high,
        }),
        // -019X spans -0199 to -0190: the larger magnitude comes first.
        (false, true) => Ok(Year::Unspecified {
            first: -high,
            last: -low,
        }),
    }
}

/// The digits after a `Y` prefix.
fn parse_long_year(text: &str, negative: bool) -> Result<Year, Problem> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Problem::NotEdtf);
    }
    let sign = if negative { "-" } else { "" };
    let too_far = || Problem::YearTooFar {
        year: format!("{sign}{text}"),
    };
    let magnitude: i64 = text.parse().map_err(|_| too_far())?;
    let year =
        i32::try_from(if negative { -magnitude } else { magnitude }).map_err(|_| too_far())?;
    if text.len() <= 4 {
        return Err(Problem::ShortYearWithY {
            suggestion: EdtfYear(year).to_string(),
        });
    }
    Ok(Year::Known(year))
}

/// `has_no_day` decides whether to mention seasons when the month is wrong:
/// only a year-month can be a season.
fn parse_month(text: &str, has_no_day: bool) -> Result<Month, Problem> {
    if text == "XX" {
        return Ok(Month::Unspecified);
    }
    let number = two_digits(text).ok_or(Problem::NotEdtf)?;
    match number {
        1..=12 => Ok(Month::Known(number)),
        21 if has_no_day => Ok(Month::Season(Season::Spring)),
        22 if has_no_day => Ok(Month::Season(Season::Summer)),
        23 if has_no_day => Ok(Month::Season(Season::Autumn)),
        24 if has_no_day => Ok(Month::Season(Season::Winter)),
        21..=24 => Err(Problem::SeasonWithDay),
        _ => Err(Problem::MonthDoesNotExist {
            month: text.to_owned(),
            mention_seasons: has_no_day,
        }),
    }
}

fn parse_day(text: &str) -> Result<Day, Problem> {
    if text == "XX" {
        return Ok(Day::Unspecified);
    }
    two_digits(text).map(Day::Known).ok_or(Problem::NotEdtf)
}

/// Seasons follow the northern-hemisphere meteorological convention; winter
/// starts in December of the year written and runs into the next year.
fn season_range(year: i32, season: Season) -> Result<(CalendarDate, CalendarDate), Problem> {
    let (first_month, last_month) = match season {
        Season::Spring => (3, 5),
        Season::Summer => (6, 8),
        Season::Autumn => (9, 11),
        Season::Winter => {
            let next = year.checked_add(1).ok_or_else(|| Problem::YearTooFar {
                year: format!("{}", i64::from(year) + 1),
            })?;
            return Ok((
                CalendarDate::first_of_month(year, 12),
                CalendarDate::last_of_month(next, 2),
            ));
        }
    };
    Ok((
        CalendarDate::first_of_month(year, first_month),
        CalendarDate::last_of_month(year, last_month),
    ))
}

/// Checks `hh:mm:ss` with an optional `Z`, `±hh` or `±hh:mm` time zone. The
/// time is validated so typos are caught, but not kept: ranges are whole days.
fn check_time(text: &str) -> Result<(), Problem> {
    let (clock, zone) = match text.find(['Z', '+', '-']) {
        Some(index) => text.split_at(index),
        None => (text, ""),
    };
    let fields: Vec<&str> = clock.split(':').collect();
    let [hour, minute, second] = fields[..] else {
        return Err(Problem::NotEdtf);
    };
    for (field, value, max) in [
        ("hour", hour, 23),
        ("minute", minute, 59),
        ("second", second, 59),
    ] {
        let number = two_digits(value).ok_or(Problem::NotEdtf)?;
        if number > max {
            return Err(Problem::TimeField {
                field,
                value: value.to_owned(),
            });
        }
    }
    check_zone(zone)
}

fn check_zone(zone: &str) -> Result<(), Problem> {
    if zone.is_empty() || zone == "Z" {
        return Ok(());
    }
    let offset = zone.strip_prefix(['+', '-']).ok_or(Problem::NotEdtf)?;
    let (hours, minutes) = match offset.split_once(':') {
        Some((hours, minutes)) => (hours, Some(minutes)),
        None => (offset, None),
    };
    let hours = two_digits(hours).ok_or(Problem::NotEdtf)?;
    let minutes = match minutes {
        Some(minutes) => two_digits(minutes).ok_or(Problem::NotEdtf)?,
        None => 0,
    };
    if hours > 23 || minutes > 59 {
        return Err(Problem::TimeZone {
            zone: zone.to_owned(),
        });
    }
    Ok(())
}

/// Exactly two ASCII digits, as every EDTF month, day and clock field is.
fn two_digits(text: &str) -> Option<u8> {
    match text.as_bytes() {
        &[tens @ b'0'..=b'9', units @ b'0'..=b'9'] => Some((tens - b'0') * 10 + (units - b'0')),
        _ => None,
    }
}

pub mod span;
mod words;
pub use span::{QUALIFIED_MARGIN_YEARS, Span};

#[cfg(test)]
mod tests;
