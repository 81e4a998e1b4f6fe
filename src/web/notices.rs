//! Search notices in words: what the index says about a query ([`Notice`], a typed value with
//! its arguments) worded in the visitor's language from the translation files
//! (`templates/locales/*/disan.ftl`, keys `query-…` and `search-…`).
//!
//! The index decides what to tell (an operator read, a field not read, close spellings, why
//! nothing was found); this module owns only how it reads, so a translator corrects a notice
//! without a Rust toolchain and both languages always say the same thing.

use fluent_bundle::FluentValue;
use serde_json::{Value, json};

use super::i18n;
use crate::index::query::{FieldProblem, Notice, Operator, PlaceField, field_names};
use crate::model::Lang;

/// `notice` in `lang`.
pub fn notice(lang: Lang, notice: &Notice) -> String {
    let text = |value: &str| FluentValue::from(value.to_string());
    let number = |n: usize| FluentValue::from(n);
    match notice {
        Notice::WordsCut { max } => {
            i18n::message(lang, "query_words_cut", &[("max", number(*max))])
        }
        Notice::NotAField { name } => {
            let args = [("name", text(name)), ("fields", text(&field_names()))];
            i18n::message(lang, "query_not_a_field", &args)
        }
        Notice::Heading { name, field } => {
            let args = [
                ("name", text(name)),
                ("example", text(&example(lang, field))),
            ];
            i18n::message(lang, "query_heading", &args)
        }
        Notice::FieldNotRead { name, why } => {
            let reason = sentence(&field_problem(lang, why));
            let args = [("reason", text(&reason)), ("name", text(name))];
            i18n::message(lang, "query_field_not_read", &args)
        }
        Notice::FieldLeftOut { why } => field_problem(lang, why),
        Notice::FieldFindsNothing { name, why } => {
            let reason = sentence(&field_problem(lang, why));
            let args = [("reason", text(&reason)), ("name", text(name))];
            i18n::message(lang, "query_field_finds_nothing", &args)
        }
        Notice::OperatorRead { word, operator } => {
            let name = match operator {
                Operator::Or => "query_read_as_or",
                Operator::Not => "query_read_as_not",
                Operator::And => "query_read_as_and",
            };
            let args = [("word", text(word)), ("lower", text(&word.to_lowercase()))];
            i18n::message(lang, name, &args)
        }
        Notice::OperatorLeftOut { word } => {
            let args = [("word", text(word)), ("lower", text(&word.to_lowercase()))];
            i18n::message(lang, "query_operator_left_out", &args)
        }
        Notice::Identifier { identifier } => {
            let args = [("identifier", text(identifier))];
            i18n::message(lang, "search_identifier", &args)
        }
        Notice::NoSuchStars { value } => {
            i18n::message(lang, "query_no_such_stars", &[("value", text(value))])
        }
        Notice::ReadAs { query } => {
            i18n::message(lang, "search_read_as", &[("query", text(query))])
        }
        Notice::NoSuchPlace { field, name } => {
            let key = match field {
                PlaceField::Village => "search_no_such_village",
                PlaceField::Craft => "search_no_such_craft",
                PlaceField::Artisan => "search_no_such_artisan",
                PlaceField::Product => "search_no_such_product",
                PlaceField::Province => "search_no_such_province",
                PlaceField::Commune => "search_no_such_commune",
            };
            i18n::message(lang, key, &[("name", text(name))])
        }
        Notice::WordLeftOut { word, alone } => {
            let key = if *alone {
                "search_word_left_out_with_others"
            } else {
                "search_word_left_out"
            };
            i18n::message(lang, key, &[("word", text(word))])
        }
        Notice::CloseSpellings { word } => {
            i18n::message(lang, "search_close_spellings", &[("word", text(word))])
        }
        Notice::SpellingsTried { word } => {
            i18n::message(lang, "search_spellings_tried", &[("word", text(word))])
        }
        Notice::TooLongForSpellings { word, max } => {
            let args = [("word", text(word)), ("max", number(*max))];
            i18n::message(lang, "search_word_too_long", &args)
        }
        Notice::SpellingsBudgetSpent { word, max } => {
            let args = [("word", text(word)), ("max", number(*max))];
            i18n::message(lang, "search_spellings_budget", &args)
        }
        Notice::NoneHold { words } => {
            let args = [("words", text(&quoted(lang, words)))];
            i18n::message(lang, "search_none_hold", &args)
        }
        Notice::NoFieldMatch => i18n::text(lang, "search_no_field_match").to_string(),
        Notice::NotTogether { words, filtered } => {
            let filtered = text(if *filtered { "yes" } else { "no" });
            if words.len() > 1 {
                let args = [
                    ("words", text(&quoted(lang, words))),
                    ("filtered", filtered),
                ];
                i18n::message(lang, "search_not_together_named", &args)
            } else {
                i18n::message(lang, "search_not_together", &[("filtered", filtered)])
            }
        }
        Notice::NothingWithFilters => i18n::text(lang, "search_nothing_with_filters").to_string(),
        Notice::ExcludedLeaveNothing => {
            i18n::text(lang, "search_excluded_leave_nothing").to_string()
        }
        Notice::NoRecords => i18n::text(lang, "search_no_records").to_string(),
    }
}

/// What is wrong with a field's value, in `lang`.
fn field_problem(lang: Lang, problem: &FieldProblem) -> String {
    let text = |value: &str| FluentValue::from(value.to_string());
    match problem {
        FieldProblem::NoValue { field } => {
            let args = [
                ("field", text(field)),
                ("example", text(&example(lang, field))),
            ];
            i18n::message(lang, "query_no_value", &args)
        }
        FieldProblem::UnknownKind { value } => {
            let args = [
                ("value", text(value)),
                ("kinds", text(&super::error::kinds())),
            ];
            i18n::message(lang, "unknown_kind", &args)
        }
        FieldProblem::UnknownStatus { value } => {
            let statuses: Vec<&str> = crate::model::RiskStatus::ALL
                .iter()
                .map(|status| status.as_str())
                .collect();
            let args = [
                ("value", text(value)),
                ("statuses", text(&statuses.join(", "))),
            ];
            i18n::message(lang, "query_unknown_status", &args)
        }
        FieldProblem::BadDate { value } => {
            i18n::message(lang, "query_bad_date", &[("value", text(value))])
        }
        FieldProblem::EmptyRange { value } => {
            i18n::message(lang, "query_empty_range", &[("value", text(value))])
        }
        FieldProblem::BadStars { value } => {
            i18n::message(lang, "query_bad_stars", &[("value", text(value))])
        }
    }
}

/// An example of searching `field` (`date:[1990 TO 1999]`), in `lang`.
fn example(lang: Lang, field: &str) -> String {
    let args = [("field", FluentValue::from(field.to_string()))];
    // The fields of issue 14 have their examples in a message of their own.
    let key = match field {
        "artisan" | "product" | "stars" | "province" | "commune" => "query_vocabulary_example",
        _ => "query_field_example",
    };
    i18n::message(lang, key, &args)
}

/// Each of `words` in quotation marks, joined: `“a”, “b”`.
fn quoted(lang: Lang, words: &[String]) -> String {
    words
        .iter()
        .map(|word| {
            let args = [("word", FluentValue::from(word.clone()))];
            i18n::message(lang, "search_quoted", &args)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `text` ending as a sentence does (with `.`, `!`, `?` or `…`), so another can follow it.
fn sentence(text: &str) -> String {
    if text.ends_with(['.', '!', '?', '…']) {
        text.to_string()
    } else {
        format!("{text}.")
    }
}

/// The notices as the JSON API and the search page give them: each its code and arguments (as
/// [`Notice`] serialises) with its text in both languages, `vi` and `en`.
pub fn json(notices: &[Notice]) -> Value {
    Value::Array(
        notices
            .iter()
            .map(|item| {
                let mut value = serde_json::to_value(item).unwrap_or_else(|_| json!({}));
                value["vi"] = json!(notice(Lang::Vi, item));
                value["en"] = json!(notice(Lang::En, item));
                value
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(item: Notice) -> (String, String) {
        (notice(Lang::Vi, &item), notice(Lang::En, &item))
    }

    /// Every notice, worded exactly as it was when the index wrote it in Rust (issue 13 item 9:
    /// moved into the translation files with its meaning unchanged).
    #[test]
    fn every_notice_reads_as_before_in_both_languages() {
        let s = |text: &str| text.to_string();
        let cases: Vec<(Notice, &str, &str)> = vec![
            (
                Notice::WordsCut { max: 32 },
                "Chỉ tìm theo 32 từ đầu tiên; phần còn lại của câu tìm bị bỏ qua.",
                "Only the first 32 words were searched; the rest of the query was ignored.",
            ),
            (
                Notice::NotAField { name: s("type") },
                "“type:” không phải là một trường (các trường: village, craft, district, kind, date, title, status, artisan, product, stars, province, commune): các từ được tìm như đã gõ.",
                "“type:” is not a field (fields: village, craft, district, kind, date, title, status, artisan, product, stars, province, commune): the words were searched as typed.",
            ),
            (
                Notice::Heading {
                    name: s("Nam"),
                    field: "date",
                },
                "“Nam:” đứng sau một từ khác và viết hoa, như trong một tiêu đề, nên không được hiểu là một trường: các từ được tìm như đã gõ. Để tìm theo trường, hãy viết chữ thường, ví dụ date:[1990 TO 1999].",
                "“Nam:” follows another word and is capitalised, as in a heading, so it was not read as a field: the words were searched as typed. To search a field, write it in lowercase, such as date:[1990 TO 1999].",
            ),
            (
                Notice::FieldNotRead {
                    name: s("Nam"),
                    why: FieldProblem::BadDate {
                        value: s("trống")
                    },
                },
                "Không hiểu ngày “trống”: hãy viết date:1995, date:199X hoặc date:[1990 TO 1999]. Vì vậy “Nam:” không được hiểu là một trường: các từ được tìm như đã gõ.",
                "Cannot read the date “trống”: write date:1995, date:199X or date:[1990 TO 1999]. So “Nam:” was not read as a field: the words were searched as typed.",
            ),
            (
                Notice::FieldNotRead {
                    name: s("kind"),
                    why: FieldProblem::UnknownKind {
                        value: s("trống")
                    },
                },
                "Loại “trống” không tồn tại: photo, film, audio, pattern, technique, festival, document, story, visit. Vì vậy “kind:” không được hiểu là một trường: các từ được tìm như đã gõ.",
                "kind: 'trống' is not a kind; use one of: photo, film, audio, pattern, technique, festival, document, story, visit. So “kind:” was not read as a field: the words were searched as typed.",
            ),
            (
                Notice::FieldLeftOut {
                    why: FieldProblem::UnknownStatus { value: s("đẹp") },
                },
                "Tình trạng “đẹp” không hợp lệ; hãy dùng một trong: at-risk-irreversible, at-risk-revivable, developing",
                "status: 'đẹp' is not a Decree 52/2018 status; use one of: at-risk-irreversible, at-risk-revivable, developing",
            ),
            (
                Notice::FieldLeftOut {
                    why: FieldProblem::NoValue { field: "village" },
                },
                "“village:” cần một giá trị, ví dụ village:\"Nha Xá\"",
                "“village:” needs a value, such as village:\"Nha Xá\"",
            ),
            (
                Notice::OperatorRead {
                    word: s("KHÔNG"),
                    operator: Operator::Not,
                },
                "“KHÔNG” được hiểu là phép loại trừ: kết quả không chứa từ đứng sau. Để tìm chính từ này, hãy viết chữ thường (“không”).",
                "“KHÔNG” was read as NOT: results leave out the word after it. To search for the word itself, write it in lowercase (“không”).",
            ),
            (
                Notice::OperatorRead {
                    word: s("HOẶC"),
                    operator: Operator::Or,
                },
                "“HOẶC” được hiểu là phép HOẶC: kết quả chứa từ đứng trước hoặc từ đứng sau. Để tìm chính từ này, hãy viết chữ thường (“hoặc”).",
                "“HOẶC” was read as OR: results hold the word before it or the word after it. To search for the word itself, write it in lowercase (“hoặc”).",
            ),
            (
                Notice::OperatorRead {
                    word: s("VÀ"),
                    operator: Operator::And,
                },
                "“VÀ” được hiểu là phép VÀ: kết quả chứa cả hai từ hai bên. Để tìm chính từ này, hãy viết chữ thường (“và”).",
                "“VÀ” was read as AND: results hold the words on both sides. To search for the word itself, write it in lowercase (“và”).",
            ),
            (
                Notice::NoSuchStars { value: s("0") },
                "Không có sản phẩm OCOP nào được xếp “0” sao: xếp hạng OCOP có từ 1 đến 5 sao, nên không có kết quả. Hãy viết stars:4, stars:>=3 hoặc stars:3..5.",
                "No OCOP product is rated “0” stars: OCOP ratings have 1 to 5 stars, so there are no results. Write stars:4, stars:>=3 or stars:3..5.",
            ),
            (
                Notice::OperatorLeftOut { word: s("OR") },
                "“OR” không nối từ nào nên bị bỏ qua. Để tìm chính từ này, hãy viết chữ thường (“or”).",
                "“OR” joins no words here, so it was left out. To search for the word itself, write it in lowercase (“or”).",
            ),
            (
                Notice::Identifier {
                    identifier: s("hn-1995-012"),
                },
                "Hiển thị kết quả cho mã số “hn-1995-012”.",
                "Showing results for the identifier “hn-1995-012”.",
            ),
            (
                Notice::ReadAs {
                    query: s("dệt lụa"),
                },
                "Hiển thị kết quả cho “dệt lụa”.",
                "Showing results for “dệt lụa”.",
            ),
            (
                Notice::NoSuchPlace {
                    field: PlaceField::Village,
                    name: s("Xaa"),
                },
                "Không có hồ sơ nào thuộc làng tên “Xaa”, nên các từ được tìm như đã gõ.",
                "No record is from a village called “Xaa”, so the words were searched as typed.",
            ),
            (
                Notice::NoSuchPlace {
                    field: PlaceField::Craft,
                    name: s("gốm"),
                },
                "Không có hồ sơ nào thuộc nghề tên “gốm”, nên các từ được tìm như đã gõ.",
                "No record is from a craft called “gốm”, so the words were searched as typed.",
            ),
            (
                Notice::NoSuchPlace {
                    field: PlaceField::Province,
                    name: s("Xaa"),
                },
                "Không có hồ sơ nào thuộc tỉnh tên “Xaa”, nên các từ được tìm như đã gõ.",
                "No record is from a province called “Xaa”, so the words were searched as typed.",
            ),
            (
                Notice::NoSuchPlace {
                    field: PlaceField::Commune,
                    name: s("Xaa"),
                },
                "Không có hồ sơ nào thuộc xã tên “Xaa”, nên các từ được tìm như đã gõ.",
                "No record is from a commune called “Xaa”, so the words were searched as typed.",
            ),
            (
                Notice::FieldNotRead {
                    name: s("stars"),
                    why: FieldProblem::BadStars { value: s("6") },
                },
                "Không đọc được số sao “6”: hãy viết stars:4, stars:>=3, stars:3..5 hoặc stars:[3 TO *] (từ 1 đến 5 sao). Vì vậy “stars:” không được hiểu là một trường: các từ được tìm như đã gõ.",
                "Cannot read the stars “6”: write stars:4, stars:>=3, stars:3..5 or stars:[3 TO *] (1 to 5 stars). So “stars:” was not read as a field: the words were searched as typed.",
            ),
            (
                Notice::WordLeftOut {
                    word: s("a"),
                    alone: true,
                },
                "Không hồ sơ nào chứa “a” cùng các từ khác, nên từ này bị bỏ qua.",
                "No record holds “a” with the other words, so it was left out.",
            ),
            (
                Notice::WordLeftOut {
                    word: s("or"),
                    alone: false,
                },
                "Không hồ sơ nào chứa “or”, nên từ này bị bỏ qua.",
                "No record holds “or”, so it was left out.",
            ),
            (
                Notice::CloseSpellings { word: s("giacc") },
                "Không tìm thấy “giacc”; kết quả gồm cả các từ viết gần giống.",
                "Nothing contains “giacc”; results include close spellings.",
            ),
            (
                Notice::SpellingsTried { word: s("giacc") },
                "Không tìm thấy “giacc”; đã thử cả các từ viết gần giống.",
                "Nothing contains “giacc”; close spellings of it were tried too.",
            ),
            (
                Notice::TooLongForSpellings {
                    word: s("x"),
                    max: 40,
                },
                "Không tìm thấy “x”; từ dài quá 40 chữ cái nên không tìm các từ viết gần giống.",
                "Nothing contains “x”; words longer than 40 letters are not checked for close spellings.",
            ),
            (
                Notice::SpellingsBudgetSpent {
                    word: s("x"),
                    max: 4,
                },
                "Không tìm thấy “x”; chỉ 4 từ đầu tiên của câu tìm được tìm theo cách viết gần giống.",
                "Nothing contains “x”; close spellings are looked for only for the first 4 words found nowhere.",
            ),
            (
                Notice::NoneHold {
                    words: vec![s("tre2"), s("xyz")],
                },
                "Không có hồ sơ nào chứa “tre2”, “xyz”.",
                "Nothing contains “tre2”, “xyz”.",
            ),
            (
                Notice::NoFieldMatch,
                "Không có hồ sơ nào khớp với trường (ngày, làng, nghề, loại…) đã tìm.",
                "No record matches the field searched (date, village, craft, kind…).",
            ),
            (
                Notice::NotTogether {
                    words: vec![s("trống"), s("lụa")],
                    filtered: true,
                },
                "Không có hồ sơ nào có đủ mọi từ “trống”, “lụa” cùng lúc với các lựa chọn lọc; hãy thử bớt từ hoặc bỏ bớt lựa chọn.",
                "No record holds all the words “trống”, “lụa” together with the filters chosen; try fewer words or removing a filter.",
            ),
            (
                Notice::NotTogether {
                    words: vec![s("trống")],
                    filtered: false,
                },
                "Không có hồ sơ nào có đủ mọi từ cùng lúc; hãy thử bớt từ.",
                "No record holds all the words together; try fewer words.",
            ),
            (
                Notice::NothingWithFilters,
                "Không có hồ sơ nào khớp với câu tìm và các lựa chọn lọc; hãy thử bỏ bớt lựa chọn.",
                "No record matches the search with the filters chosen; try removing a filter.",
            ),
            (
                Notice::ExcludedLeaveNothing,
                "Không có hồ sơ nào khớp: các từ loại trừ đã loại hết kết quả.",
                "No record matches: the words excluded leave nothing.",
            ),
            (
                Notice::NoRecords,
                "Chưa có hồ sơ công khai nào.",
                "There are no public records yet.",
            ),
        ];
        for (item, vi, en) in cases {
            assert_eq!(
                both(item.clone()),
                (vi.to_string(), en.to_string()),
                "{item:?}"
            );
        }
    }

    #[test]
    fn the_json_form_carries_the_code_the_arguments_and_both_texts() {
        let value = json(&[Notice::OperatorLeftOut { word: "OR".into() }]);
        assert_eq!(value[0]["code"], "operator_left_out");
        assert_eq!(value[0]["word"], "OR");
        assert!(value[0]["en"].as_str().unwrap().starts_with("“OR” joins"));
        assert!(value[0]["vi"].as_str().unwrap().starts_with("“OR” không"));
        let nested = json(&[Notice::FieldNotRead {
            name: "Nam".into(),
            why: FieldProblem::BadDate {
                value: "trống".into(),
            },
        }]);
        assert_eq!(nested[0]["code"], "field_not_read");
        assert_eq!(nested[0]["why"]["problem"], "bad_date");
        assert_eq!(nested[0]["why"]["value"], "trống");
    }
}
