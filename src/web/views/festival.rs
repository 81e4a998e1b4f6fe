//! Festivals: a lunar date and its solar days this year and next, with what a page says beside
//! each (ordinary month for want of a leap month, the 29th for want of a 30th).

use serde_json::{Value, json};

use crate::model::edtf::CalendarDate;
use crate::model::lunar::{LunarMonthDay, Occurrence, festival_days, next_leap_month};
use crate::model::{Lang, Record};
use crate::web::i18n::message;

/// A record's lunar date (`lunar_date` in its metadata) and its solar dates in this year and the
/// next (a leap-month festival on the ordinary month's day in years without that leap month, see
/// [`festival_days`]); `None` when it has none or it cannot be read.
pub fn festival_dates(
    record: &Record,
    today: CalendarDate,
) -> Option<(LunarMonthDay, Vec<Occurrence>)> {
    let lunar: LunarMonthDay = record.extra.get("lunar_date")?.first()?.parse().ok()?;
    let january = CalendarDate::new(today.year, 1, 1)?;
    let dates = festival_days(lunar, january, 3)
        .into_iter()
        .filter(|d| d.date.year <= today.year + 1)
        .collect();
    Some((lunar, dates))
}

/// What a page shows of a festival's days: its lunar date, each solar date (past ones marked,
/// days in the ordinary month instead of the leap month marked), when the leap month next comes
/// for a leap-month festival, and a sentence instead of an empty list where no date can be
/// computed (outside the calendar's supported years).
pub fn festival_view(
    lunar: LunarMonthDay,
    dates: &[Occurrence],
    today: CalendarDate,
    lang: Lang,
) -> Value {
    let month = lunar.month;
    let years = crate::model::lunar::SUPPORTED_YEARS;
    let dates: Vec<Value> = dates
        .iter()
        .map(|d| {
            json!({
                "iso": crate::web::linked::iso_date(d.date),
                "label": date_label(d.date, lang),
                "past": d.date < today,
                "note": occurrence_note(d, lunar, lang),
            })
        })
        .collect();
    // Every leap-month festival says when its month next comes, or that it does not come within
    // the calendar's years (`12L-1`: no leap month 12 before 2199).
    let next_leap = lunar
        .leap
        .then(|| match next_leap_month(lunar.month, today.year) {
            Some(year) => message(
                lang,
                "next_leap_month",
                &[("month", month.into()), ("year", year.into())],
            ),
            None => message(
                lang,
                "no_leap_month_until",
                &[("month", month.into()), ("year", (*years.end()).into())],
            ),
        });
    json!({
        "lunar": lunar_label(lunar, lang),
        "empty": dates.is_empty().then(|| message(lang, "no_solar_dates",
            &[("first", (*years.start()).into()), ("last", (*years.end()).into())])),
        "dates": dates,
        "next_leap": next_leap,
    })
}

/// What a page says beside one day of a festival, naming the lunar year it is about (never "this
/// year" beside next year's date): held in the ordinary month for want of that year's leap
/// month, and/or held on the 29th for want of a 30th; `None` when it is held as written.
fn occurrence_note(day: &Occurrence, lunar: LunarMonthDay, lang: Lang) -> Option<String> {
    let year = day.lunar_year;
    let mut notes = Vec::new();
    if day.ordinary_month {
        notes.push(message(
            lang,
            "in_ordinary_month",
            &[("month", lunar.month.into()), ("year", year.into())],
        ));
    }
    if day.on_29th {
        let month = month_label(lunar.month, lunar.leap && !day.ordinary_month, lang);
        notes.push(message(
            lang,
            "on_29th",
            &[("month", month.into()), ("year", year.into())],
        ));
    }
    (!notes.is_empty()).then(|| notes.join("; "))
}

/// "ngày 7 tháng 1 âm lịch" / "day 7 of lunar month 1" (leap months marked).
pub fn lunar_label(lunar: LunarMonthDay, lang: Lang) -> String {
    let month = month_label(lunar.month, lunar.leap, lang);
    message(
        lang,
        "lunar_day_month",
        &[("day", lunar.day.into()), ("month", month.into())],
    )
}

/// A lunar month's number, marked when it is the leap month ("4 nhuận", "4 (leap)").
fn month_label(month: u8, leap: bool, lang: Lang) -> String {
    let leap = if leap { "yes" } else { "no" };
    message(
        lang,
        "lunar_month",
        &[("month", month.into()), ("leap", leap.into())],
    )
}

/// A solar date as people write it: "17/2/2026" in Vietnamese, "17 February 2026" in English.
pub fn date_label(date: CalendarDate, lang: Lang) -> String {
    let args = [
        ("day", date.day.into()),
        ("month", date.month.into()),
        ("year", date.year.into()),
    ];
    message(lang, "date_label", &args)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `search-lunar-festivals` case on 1 March 2030 (as under `faketime '@2030-03-01'`).
    #[test]
    fn leap_month_festivals_show_the_ordinary_month_marked_and_when_the_leap_month_comes() {
        let today = CalendarDate::new(2030, 3, 1).unwrap();
        let record = |lunar: &str| {
            let mut record: Record = serde_json::from_value(serde_json::json!({
                "schema": crate::model::SCHEMA_VERSION, "id": "fest", "kind": "festival",
                "access": "public", "dc": {}, "files": [],
                "provenance": {"batch": "b", "path": "objects/fest.md"},
            }))
            .unwrap_or_else(|e| panic!("{e}"));
            record
                .extra
                .insert("lunar_date".to_string(), vec![lunar.to_string()]);
            record
        };
        let view = |lunar: &str, lang| {
            let (md, dates) = festival_dates(&record(lunar), today).unwrap();
            festival_view(md, &dates, today, lang)
        };
        let leap4 = view("4L-15", Lang::En);
        let expected: Vec<Value> = [2030, 2031]
            .iter()
            .map(|&year| {
                let date = crate::model::lunar::to_solar(crate::model::lunar::LunarDate {
                    year,
                    month: 4,
                    day: 15,
                    leap: false,
                })
                .unwrap();
                json!({"iso": crate::web::linked::iso_date(date), "label": date_label(date, Lang::En),
                       "past": false,
                       "note": format!("in ordinary month 4: lunar year {year} has no leap month 4")})
            })
            .collect();
        assert_eq!(leap4["dates"], json!(expected));
        assert_eq!(
            leap4["next_leap"],
            "The next leap month 4: lunar year 2058."
        );
        assert_eq!(leap4["empty"], Value::Null);
        let vi = view("4L-15", Lang::Vi);
        assert_eq!(
            vi["dates"][0]["note"],
            "tháng 4 thường: năm 2030 âm lịch không có tháng 4 nhuận"
        );
        // Regression (break-12 finding 13): next year's date names its own lunar year.
        assert_eq!(
            vi["dates"][1]["note"],
            "tháng 4 thường: năm 2031 âm lịch không có tháng 4 nhuận"
        );
        assert_eq!(
            vi["next_leap"],
            "Tháng 4 nhuận tiếp theo: năm 2058 âm lịch."
        );
        // Tết 2030 (2 February) is past on 1 March: marked, never unmarked.
        let tet = view("1-1", Lang::Vi);
        assert_eq!(tet["dates"][0]["iso"], "2030-02-02");
        assert_eq!(tet["dates"][0]["past"], true);
        assert_eq!(tet["dates"][0]["note"], Value::Null);
        assert_eq!(tet["next_leap"], Value::Null);
        // 11L-10 in 2033's leap month 11 (a leap month, so no note); every list has dates.
        let in_2033 = CalendarDate::new(2033, 1, 1).unwrap();
        let (md, dates) = festival_dates(&record("11L-10"), in_2033).unwrap();
        let leap11 = festival_view(md, &dates, in_2033, Lang::En);
        assert_eq!(leap11["dates"][0]["note"], Value::Null, "{leap11}");
        assert_eq!(
            leap11["dates"][1]["note"],
            "in ordinary month 11: lunar year 2034 has no leap month 11"
        );
        // Regression (break-12 finding 13): a 30th moved to the 29th says so, and a leap month
        // that never comes within the calendar's years is said to be so.
        let in_2026 = CalendarDate::new(2026, 1, 1).unwrap();
        let (md, dates) = festival_dates(&record("2-30"), in_2026).unwrap();
        let short = festival_view(md, &dates, in_2026, Lang::En);
        assert_eq!(short["dates"][0]["iso"], "2026-04-16", "{short}");
        assert_eq!(
            short["dates"][0]["note"],
            "on the 29th: lunar month 2 of 2026 has 29 days"
        );
        let short_vi = festival_view(md, &dates, in_2026, Lang::Vi);
        assert_eq!(
            short_vi["dates"][0]["note"],
            "ngày 29: tháng 2 âm lịch năm 2026 chỉ có 29 ngày"
        );
        let (md, dates) = festival_dates(&record("12L-1"), in_2026).unwrap();
        let leap12 = festival_view(md, &dates, in_2026, Lang::En);
        let expected = match crate::model::lunar::next_leap_month(12, 2026) {
            Some(year) => format!("The next leap month 12: lunar year {year}."),
            None => "No leap month 12 comes before the end of lunar year 2199.".to_string(),
        };
        assert_eq!(leap12["next_leap"], expected.as_str(), "{leap12}");
        for lunar in ["1-1", "12-30", "4L-15", "6L-1", "11L-10"] {
            for year in [2026, 2030, 2057, 2100] {
                let today = CalendarDate::new(year, 6, 1).unwrap();
                let (md, dates) = festival_dates(&record(lunar), today).unwrap();
                assert_eq!(dates.len(), 2, "{lunar} in {year}");
                assert!(festival_view(md, &dates, today, Lang::Vi)["empty"].is_null());
            }
        }
        // Past the calendar's last year: a sentence, not an empty list.
        let far = CalendarDate::new(2300, 1, 1).unwrap();
        let (md, dates) = festival_dates(&record("1-1"), far).unwrap();
        assert_eq!(
            festival_view(md, &dates, far, Lang::En)["empty"],
            "No solar date can be computed for this year or next (the calendar covers 1900 to 2199)."
        );
    }
}
