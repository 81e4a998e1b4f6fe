//! Reading EDTF: every supported form, its range, and the errors archivists see.

use super::*;

fn edtf(text: &str) -> Edtf {
    Edtf::parse(text).unwrap_or_else(|err| panic!("{text:?} should parse: {err}"))
}

fn date(year: i32, month: u8, day: u8) -> CalendarDate {
    CalendarDate::new(year, month, day).expect("test dates are real days")
}

fn range(text: &str) -> (Option<CalendarDate>, Option<CalendarDate>) {
    let parsed = edtf(text);
    (parsed.earliest(), parsed.latest())
}

fn closed(from: CalendarDate, to: CalendarDate) -> (Option<CalendarDate>, Option<CalendarDate>) {
    (Some(from), Some(to))
}

fn error(text: &str) -> String {
    match Edtf::parse(text) {
        Ok(parsed) => panic!("{text:?} should be rejected, parsed as {parsed:?}"),
        Err(err) => err.to_string(),
    }
}

// Level 0

#[test]
fn year_covers_the_whole_year() {
    assert_eq!(range("2019"), closed(date(2019, 1, 1), date(2019, 12, 31)));
    assert_eq!(range("0000"), closed(date(0, 1, 1), date(0, 12, 31)));
}

#[test]
fn year_month_covers_the_whole_month() {
    assert_eq!(
        range("2020-08"),
        closed(date(2020, 8, 1), date(2020, 8, 31))
    );
    assert_eq!(
        range("2021-04"),
        closed(date(2021, 4, 1), date(2021, 4, 30))
    );
    assert_eq!(
        range("2004-02"),
        closed(date(2004, 2, 1), date(2004, 2, 29))
    );
    assert_eq!(
        range("2005-02"),
        closed(date(2005, 2, 1), date(2005, 2, 28))
    );
}

#[test]
fn full_date_is_a_single_day() {
    let parsed = edtf("2020-08-27");
    assert_eq!(parsed.earliest(), Some(date(2020, 8, 27)));
    assert_eq!(parsed.latest(), Some(date(2020, 8, 27)));
    assert!(!parsed.is_interval());
    assert!(!parsed.is_approximate());
    assert!(!parsed.is_uncertain());
}

#[test]
fn keeps_the_trimmed_original_text() {
    let parsed = edtf("  \t1930~\n");
    assert_eq!(parsed.as_str(), "1930~");
    assert_eq!(parsed.to_string(), "1930~");
    assert_eq!(parsed, edtf("1930~"));
}

#[test]
fn date_and_time_ranges_over_the_date() {
    for text in [
        "2004-01-01T10:10:10",
        "2004-01-01T10:10:10Z",
        "2004-01-01T10:10:10+05:00",
        "2004-01-01T10:10:10-08:30",
        "2004-01-01T10:10:10+05",
        "2004-01-01T00:00:00",
        "2004-01-01T23:59:59",
    ] {
        assert_eq!(
            range(text),
            closed(date(2004, 1, 1), date(2004, 1, 1)),
            "{text}"
        );
    }
}

#[test]
fn date_and_time_errors() {
    assert_eq!(
        error("2004-01-01T24:00:00"),
        "\"2004-01-01T24:00:00\": hour 24 does not exist"
    );
    assert_eq!(
        error("2004-01-01T10:60:00"),
        "\"2004-01-01T10:60:00\": minute 60 does not exist"
    );
    assert_eq!(
        error("2004-01-01T10:10:61Z"),
        "\"2004-01-01T10:10:61Z\": second 61 does not exist"
    );
    assert_eq!(
        error("2004-01-01T10:10:10+25:00"),
        "\"2004-01-01T10:10:10+25:00\": time zone +25:00 does not exist; \
         write Z, or an offset like +07:00"
    );
    assert_eq!(
        error("2004-01-01T10:10:10~"),
        "\"2004-01-01T10:10:10~\": a date with a time of day cannot be marked ?, ~ or %"
    );
    assert_eq!(
        error("2004-01T10:10:10"),
        "\"2004-01T10:10:10\": a time of day needs a full date before it, \
         like 2020-08-27T10:30:00"
    );
    assert_eq!(
        error("2004-02-30T10:10:10"),
        "\"2004-02-30T10:10:10\": February 2004 has 29 days"
    );
    for text in [
        "2004-01-01T",
        "2004-01-01T10:10",
        "2004-01-01T10:10:10.5",
        "2004-01-01T10:10:10Z+01:00",
        "2004-01-01T10:10:10+0500",
        "2004-01-01T10:10:10+05:",
        "2004-01-01t10:10:10",
        "T10:10:10",
    ] {
        assert!(error(text).contains("not an EDTF date"), "{text}");
    }
}

// Intervals

#[test]
fn closed_interval_spans_start_to_end() {
    let parsed = edtf("1990/1999");
    assert!(parsed.is_interval());
    assert_eq!(
        (parsed.earliest(), parsed.latest()),
        closed(date(1990, 1, 1), date(1999, 12, 31))
    );
    assert_eq!(
        range("2004-02-01/2005-02"),
        closed(date(2004, 2, 1), date(2005, 2, 28))
    );
    assert_eq!(
        range("2004-06-11/2004-06-11"),
        closed(date(2004, 6, 11), date(2004, 6, 11))
    );
}

#[test]
fn unknown_and_open_sides_have_no_bound() {
    assert_eq!(range("/1999"), (None, Some(date(1999, 12, 31))));
    assert_eq!(range("../1999"), (None, Some(date(1999, 12, 31))));
    assert_eq!(range("1985-04-12/"), (Some(date(1985, 4, 12)), None));
    assert_eq!(range("1985-04/.."), (Some(date(1985, 4, 1)), None));
    assert_eq!(range("../1985-04-12"), (None, Some(date(1985, 4, 12))));
    assert!(edtf("1990/").is_interval());
    // Unknown and open are different statements and must not compare equal.
    assert_ne!(edtf("/1999"), edtf("../1999"));
}

#[test]
fn overlapping_interval_sides_are_accepted() {
    assert_eq!(
        range("2004/2004-06"),
        closed(date(2004, 1, 1), date(2004, 6, 30))
    );
    assert_eq!(
        range("193X/1935"),
        closed(date(1930, 1, 1), date(1935, 12, 31))
    );
    assert_eq!(
        range("2004-06/2004"),
        closed(date(2004, 6, 1), date(2004, 12, 31))
    );
}

#[test]
fn interval_errors() {
    assert_eq!(
        error("2000/1990"),
        "\"2000/1990\": the interval starts (2000) after it ends (1990); \
         put the earlier date first"
    );
    assert_eq!(
        error("2004-07/2004-06~"),
        "\"2004-07/2004-06~\": the interval starts (2004-07) after it ends (2004-06~); \
         put the earlier date first"
    );
    for text in ["/", "../..", "/..", "../"] {
        assert_eq!(
            error(text),
            format!(
                "\"{text}\": an interval needs a date on at least one side, \
                 like 1990/.. or /1999"
            )
        );
    }
    assert_eq!(
        error("1990-13/1999"),
        "\"1990-13/1999\": month 13 does not exist; use 01 to 12 for a month, or 21 (spring) to 24 (winter) for a season"
    );
    for text in [
        "1990/1995/1999",
        "1990 / 1999",
        ".../1999",
        "1990/...",
        "../..~",
    ] {
        assert!(error(text).contains("not an EDTF date"), "{text}");
    }
}

// Qualifiers

#[test]
fn qualifiers_set_flags_without_widening_the_range() {
    let cases = [
        ("1930?", false, true),
        ("1930~", true, false),
        ("1930%", true, true),
        ("2004-06-11?", false, true),
        ("2004-06~", true, false),
        ("1930", false, false),
    ];
    for (text, approximate, uncertain) in cases {
        let parsed = edtf(text);
        assert_eq!(parsed.is_approximate(), approximate, "{text}");
        assert_eq!(parsed.is_uncertain(), uncertain, "{text}");
    }
    assert_eq!(range("1930~"), range("1930"));
    assert_eq!(range("2004-06-11%"), range("2004-06-11"));
}

#[test]
fn qualifiers_on_either_side_of_an_interval_count() {
    let start = edtf("2004-06~/2004-08");
    assert!(start.is_approximate() && !start.is_uncertain());
    let end = edtf("1990/1999?");
    assert!(end.is_uncertain() && !end.is_approximate());
    let both = edtf("1990?/1999~");
    assert!(both.is_uncertain() && both.is_approximate());
    let open = edtf("../1999%");
    assert!(open.is_uncertain() && open.is_approximate());
    assert!(!edtf("1990/..").is_uncertain());
}

#[test]
fn malformed_qualifiers_are_rejected() {
    for text in ["1930?~", "1930~~", "?1930", "?", "~", "1930 ~", "19~30"] {
        assert!(error(text).contains("not an EDTF date"), "{text}");
    }
}

// Unspecified digits

#[test]
fn unspecified_digits_cover_every_possibility() {
    assert_eq!(range("193X"), closed(date(1930, 1, 1), date(1939, 12, 31)));
    assert_eq!(range("19XX"), closed(date(1900, 1, 1), date(1999, 12, 31)));
    assert_eq!(
        range("2004-XX"),
        closed(date(2004, 1, 1), date(2004, 12, 31))
    );
    assert_eq!(
        range("2004-06-XX"),
        closed(date(2004, 6, 1), date(2004, 6, 30))
    );
    assert_eq!(
        range("2004-02-XX"),
        closed(date(2004, 2, 1), date(2004, 2, 29))
    );
    assert_eq!(
        range("1985-XX-XX"),
        closed(date(1985, 1, 1), date(1985, 12, 31))
    );
    assert_eq!(
        range("193X-XX"),
        closed(date(1930, 1, 1), date(1939, 12, 31))
    );
    assert_eq!(
        range("193X-XX-XX"),
        closed(date(1930, 1, 1), date(1939, 12, 31))
    );
    assert_eq!(range("-019X"), closed(date(-199, 1, 1), date(-190, 12, 31)));
    assert_eq!(range("193X?"), range("193X"));
    assert!(edtf("193X~").is_approximate());
}

#[test]
fn unspecified_digit_errors() {
    let year_message = "only the last one or two digits of a year can be X, like 193X or 19XX";
    for text in ["1XXX", "XXXX", "19X5", "X930", "1X3X"] {
        assert_eq!(error(text), format!("\"{text}\": {year_message}"));
    }
    assert_eq!(
        error("193X-05"),
        "\"193X-05\": a known month cannot follow an unspecified year; \
         write the month as XX too"
    );
    assert_eq!(
        error("193X-21"),
        "\"193X-21\": a known month cannot follow an unspecified year; \
         write the month as XX too"
    );
    assert_eq!(
        error("2004-XX-05"),
        "\"2004-XX-05\": a known day cannot follow an unspecified month; \
         write the day as XX too"
    );
    assert_eq!(
        error("193X-XX-05"),
        "\"193X-XX-05\": a known day cannot follow an unspecified month; \
         write the day as XX too"
    );
    for text in ["193x", "2004-X6", "2004-06-1X", "2004-06-X"] {
        assert!(error(text).contains("not an EDTF date"), "{text}");
    }
}

// Seasons

#[test]
fn seasons_cover_their_months() {
    assert_eq!(
        range("2001-21"),
        closed(date(2001, 3, 1), date(2001, 5, 31))
    );
    assert_eq!(
        range("2001-22"),
        closed(date(2001, 6, 1), date(2001, 8, 31))
    );
    assert_eq!(
        range("2001-23"),
        closed(date(2001, 9, 1), date(2001, 11, 30))
    );
    assert_eq!(
        range("2001-24"),
        closed(date(2001, 12, 1), date(2002, 2, 28))
    );
    assert!(edtf("2001-21?").is_uncertain());
}

#[test]
fn winter_ends_in_february_of_the_next_year() {
    assert_eq!(
        range("2023-24"),
        closed(date(2023, 12, 1), date(2024, 2, 29))
    );
    assert_eq!(
        range("2024-24"),
        closed(date(2024, 12, 1), date(2025, 2, 28))
    );
    assert_eq!(range("-0001-24"), closed(date(-1, 12, 1), date(0, 2, 29)));
}

#[test]
fn season_errors() {
    assert_eq!(
        error("2001-21-05"),
        "\"2001-21-05\": a season (21 to 24) cannot have a day"
    );
    assert_eq!(
        error("2001-25"),
        "\"2001-25\": month 25 does not exist; \
         use 01 to 12 for a month, or 21 (spring) to 24 (winter) for a season"
    );
    assert_eq!(
        error("2001-20"),
        "\"2001-20\": month 20 does not exist; \
         use 01 to 12 for a month, or 21 (spring) to 24 (winter) for a season"
    );
    assert_eq!(
        error("Y2147483647-24"),
        "\"Y2147483647-24\": year 2147483648 is too far from the present to be stored"
    );
}

// Long and negative years

#[test]
fn letter_prefixed_years() {
    assert_eq!(
        range("Y170000002"),
        closed(
            CalendarDate {
                year: 170_000_002,
                month: 1,
                day: 1
            },
            CalendarDate {
                year: 170_000_002,
                month: 12,
                day: 31
            }
        )
    );
    assert_eq!(
        range("Y-170000002"),
        closed(
            CalendarDate {
                year: -170_000_002,
                month: 1,
                day: 1
            },
            CalendarDate {
                year: -170_000_002,
                month: 12,
                day: 31
            }
        )
    );
    assert_eq!(
        range("Y12344-02-29"),
        closed(date(12344, 2, 29), date(12344, 2, 29))
    );
    assert_eq!(
        range("Y10000/Y20000"),
        closed(date(10000, 1, 1), date(20000, 12, 31))
    );
    assert!(edtf("Y170000002~").is_approximate());
}

#[test]
fn letter_prefixed_year_errors() {
    assert_eq!(
        error("12345"),
        "\"12345\": a year with more than four digits starts with Y, like Y12345"
    );
    assert_eq!(
        error("-12345-01"),
        "\"-12345-01\": a year with more than four digits starts with Y, like Y-12345"
    );
    assert_eq!(
        error("Y2020"),
        "\"Y2020\": only years with more than four digits start with Y; write 2020"
    );
    assert_eq!(
        error("Y-100"),
        "\"Y-100\": only years with more than four digits start with Y; write -0100"
    );
    assert_eq!(
        error("Y2147483648"),
        "\"Y2147483648\": year 2147483648 is too far from the present to be stored"
    );
    assert_eq!(
        error("Y-99999999999999999999"),
        "\"Y-99999999999999999999\": year -99999999999999999999 is too far from the \
         present to be stored"
    );
    assert_eq!(
        error("Y12345-02-30"),
        "\"Y12345-02-30\": February Y12345 has 28 days"
    );
    for text in ["Y", "Y-", "Y1234X", "y12345", "YY12345", "Y+12345"] {
        assert!(error(text).contains("not an EDTF date"), "{text}");
    }
}

#[test]
fn negative_years() {
    assert_eq!(range("-0100"), closed(date(-100, 1, 1), date(-100, 12, 31)));
    assert_eq!(
        range("-0100-02"),
        closed(date(-100, 2, 1), date(-100, 2, 28))
    );
    assert_eq!(range("-0004-02"), closed(date(-4, 2, 1), date(-4, 2, 29)));
    assert_eq!(
        range("-0001-12-31"),
        closed(date(-1, 12, 31), date(-1, 12, 31))
    );
    assert_eq!(
        range("-0100/0100"),
        closed(date(-100, 1, 1), date(100, 12, 31))
    );
    assert_eq!(
        error("-0000"),
        "\"-0000\": year zero has no minus sign; write 0000"
    );
    assert_eq!(
        error("0100/-0100"),
        "\"0100/-0100\": the interval starts (0100) after it ends (-0100); \
         put the earlier date first"
    );
    for text in ["-", "--2020", "-100", "+2020"] {
        assert!(error(text).contains("not an EDTF date"), "{text}");
    }
}

// Calendar validity and leap years

#[test]
fn leap_years_follow_the_gregorian_rules() {
    for year in [2000, 2004, 2024, 1600, 0, -4, -400] {
        assert!(is_leap_year(year), "{year}");
        assert!(CalendarDate::new(year, 2, 29).is_some(), "{year}");
    }
    for year in [1900, 2023, 2100, 1, -1, -100] {
        assert!(!is_leap_year(year), "{year}");
        assert!(CalendarDate::new(year, 2, 29).is_none(), "{year}");
    }
    assert_eq!(
        range("2000-02-29"),
        closed(date(2000, 2, 29), date(2000, 2, 29))
    );
    assert_eq!(
        error("1900-02-29"),
        "\"1900-02-29\": February 1900 has 28 days"
    );
    assert_eq!(
        error("2023-02-29"),
        "\"2023-02-29\": February 2023 has 28 days"
    );
    assert_eq!(
        error("2024-02-30"),
        "\"2024-02-30\": February 2024 has 29 days"
    );
}

#[test]
fn calendar_date_new_validates() {
    assert_eq!(
        CalendarDate::new(2020, 8, 27),
        Some(CalendarDate {
            year: 2020,
            month: 8,
            day: 27
        })
    );
    assert!(CalendarDate::new(2020, 0, 1).is_none());
    assert!(CalendarDate::new(2020, 13, 1).is_none());
    assert!(CalendarDate::new(2020, 1, 0).is_none());
    assert!(CalendarDate::new(2020, 1, 32).is_none());
    assert!(CalendarDate::new(2020, 4, 31).is_none());
    assert!(CalendarDate::new(2020, 4, 30).is_some());
    assert!(CalendarDate::new(i32::MIN, 12, 31).is_some());
}

#[test]
fn calendar_dates_order_chronologically() {
    assert!(date(-1, 12, 31) < date(0, 1, 1));
    assert!(date(2020, 1, 31) < date(2020, 2, 1));
    assert!(date(2019, 12, 31) < date(2020, 1, 1));
}

#[test]
fn month_and_day_errors() {
    assert_eq!(
        error("2020-13-01"),
        "\"2020-13-01\": month 13 does not exist"
    );
    assert_eq!(
        error("2020-00-01"),
        "\"2020-00-01\": month 00 does not exist"
    );
    assert_eq!(
        error("2020-00"),
        "\"2020-00\": month 00 does not exist; \
         use 01 to 12 for a month, or 21 (spring) to 24 (winter) for a season"
    );
    assert_eq!(
        error("1930-02-30"),
        "\"1930-02-30\": February 1930 has 28 days"
    );
    assert_eq!(
        error("2021-04-31"),
        "\"2021-04-31\": April 2021 has 30 days"
    );
    assert_eq!(
        error("2021-01-32"),
        "\"2021-01-32\": January 2021 has 31 days"
    );
    assert_eq!(error("2021-01-00"), "\"2021-01-00\": day 00 does not exist");
    assert_eq!(
        error("-0100-02-29"),
        "\"-0100-02-29\": February -0100 has 28 days"
    );
}

// Unrecognisable text

#[test]
fn text_that_is_not_a_date_gets_examples() {
    assert_eq!(
        error("abc"),
        "\"abc\": not an EDTF date; write it like 2020-08-27, 2019, 1990/1999, \
         1930~, 1930? or 193X"
    );
    for text in [
        "circa 1930",
        "1930s",
        "20-08-2020",
        "2020-8-27",
        "2020/08/27",
        "2020-08-27-01",
        "202",
        "2020-",
        "2020--01",
        "..",
        "2020-08-27 10:10:10",
        "２０２０",
        "{2020,2021}",
        "[1667,1668]",
        "2004-06-11?~",
        "Y17E7",
    ] {
        assert!(
            error(text).contains("not an EDTF date; write it like"),
            "{text}"
        );
    }
}

#[test]
fn empty_text_is_rejected() {
    let message = "\"\": no date given; write it like 2020-08-27, 2019, 1990/1999, \
                   1930~, 1930? or 193X";
    assert_eq!(error(""), message);
    assert_eq!(error("   "), message);
}

#[test]
fn dates_without_hyphens_get_them_suggested() {
    assert_eq!(
        error("20200827"),
        "\"20200827\": separate year, month and day with hyphens, like 2020-08-27"
    );
    assert_eq!(
        error("19900101/20001231"),
        "\"19900101/20001231\": separate year, month and day with hyphens, like 1990-01-01"
    );
}

#[test]
fn dashed_ranges_suggest_a_slash() {
    assert_eq!(
        error("1990-1999"),
        "\"1990-1999\": write a range with a slash, like 1990/1999"
    );
    assert_eq!(
        error("1990\u{2013}1999"),
        "\"1990\u{2013}1999\": write a range with a slash, like 1990/1999"
    );
    assert_eq!(
        error("1990\u{2014}1999"),
        "\"1990\u{2014}1999\": write a range with a slash, like 1990/1999"
    );
}

#[test]
fn error_quotes_trimmed_input_and_shortens_long_text() {
    let err = Edtf::parse("  2020-13-01 ").unwrap_err();
    assert_eq!(err.input(), "2020-13-01");
    assert_eq!(err.to_string(), "\"2020-13-01\": month 13 does not exist");

    let long = "photographed by the village head some time after the flood ".repeat(3);
    let message = error(&long);
    let quoted: String = long.trim().chars().take(MAX_QUOTED_CHARS).collect();
    assert!(message.starts_with(&format!("\"{quoted}...\": not an EDTF date")));
}

#[test]
fn error_is_a_std_error() {
    let err: Box<dyn std::error::Error> = Box::new(Edtf::parse("abc").unwrap_err());
    assert!(err.to_string().starts_with("\"abc\": "));
}

// Construction and conversion

#[test]
fn from_calendar_date_writes_a_day() {
    let cases = [
        (date(2020, 8, 27), "2020-08-27"),
        (date(5, 1, 2), "0005-01-02"),
        (date(-100, 3, 4), "-0100-03-04"),
        (date(12345, 6, 7), "Y12345-06-07"),
        (date(-12345, 6, 7), "Y-12345-06-07"),
    ];
    for (day, text) in cases {
        let built = Edtf::from_calendar_date(day);
        assert_eq!(built.as_str(), text);
        assert_eq!(day.to_string(), text);
        assert_eq!(built.earliest(), Some(day));
        assert_eq!(built.latest(), Some(day));
        assert_eq!(
            edtf(text),
            built,
            "{text} should parse back to the same value"
        );
    }
}

#[test]
fn from_str_parses() {
    let parsed: Edtf = "1930?".parse().expect("valid");
    assert_eq!(parsed, edtf("1930?"));
    assert!("1930-02-30".parse::<Edtf>().is_err());
}

#[test]
fn serde_uses_the_plain_string() {
    let parsed = edtf("193X~");
    assert_eq!(serde_json::to_string(&parsed).unwrap(), "\"193X~\"");
    let back: Edtf = serde_json::from_str("\" 193X~ \"").unwrap();
    assert_eq!(back, parsed);
    let list: Vec<Edtf> =
        serde_json::from_str(r#"["2019", "1990/1999", "../2004-06"]"#).expect("valid dates");
    assert_eq!(list[1].latest(), Some(date(1999, 12, 31)));
}

#[test]
fn serde_rejects_invalid_dates_with_the_message() {
    let err = serde_json::from_str::<Edtf>("\"1930-02-30\"").unwrap_err();
    assert!(
        err.to_string()
            .contains("\"1930-02-30\": February 1930 has 28 days"),
        "{err}"
    );
    assert!(serde_json::from_str::<Edtf>("1930").is_err());
}
