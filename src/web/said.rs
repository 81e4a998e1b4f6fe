//! Ingest's problems on the workspace pages in the page's language (issue 15).
//!
//! Ingest describes what is wrong with a row, a form field or a file as a
//! [`crate::model::Message`]: the English text the command line prints, and the Fluent id and
//! arguments of the same words in `templates/locales/{vi,en}/disan.ftl`. The edit forms (records
//! and authorities) and a batch's dry-run report page show them here, formatted in the page's
//! language ([`said`]). A message without an id, or one whose id or arguments the translation
//! files do not match (a report kept by an older Disan), is shown in its English words, marked
//! `lang="en"` on a Vietnamese page so a screen reader reads it as English.

use serde::Serialize;
use serde_json::Value;

use crate::model::{Lang, Message};
use crate::web::i18n;

/// Words as a page shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Said {
    /// The text, in the page's language when there is a translation.
    pub text: String,
    /// Its language tag (`vi` or `en`).
    pub lang: &'static str,
    /// Shown in English on a page in another language, for want of a translation: the template
    /// marks it `lang="en"`.
    pub fallback: bool,
}

/// `words` (a [`Message::to_json`] object: `english`, `id`, `args`) in `lang`; its English
/// words, marked as a fallback on a Vietnamese page, when it has no id or the translation
/// cannot be made (an unknown id, a missing argument).
pub fn said(lang: Lang, words: &Value) -> Said {
    let english = words["english"].as_str().unwrap_or_default();
    translated(lang, words).unwrap_or_else(|| Said {
        text: english.to_string(),
        lang: Lang::En.tag(),
        fallback: lang != Lang::En,
    })
}

/// A [`Message`] in `lang` (see [`said`]).
pub fn message(lang: Lang, message: &Message) -> Said {
    said(lang, &message.to_json())
}

/// Messages in `lang`, in order.
pub fn messages(lang: Lang, messages: &[Message]) -> Vec<Said> {
    messages.iter().map(|m| message(lang, m)).collect()
}

/// A form's errors and warnings by field (see [`crate::workspace::Checked`]), said in the page's
/// language.
#[derive(Debug, Clone, Default)]
pub struct SaidChecked {
    /// Errors by field; the whole form's under the empty name.
    pub errors: std::collections::BTreeMap<String, Vec<Said>>,
    /// Warnings by field.
    pub warnings: std::collections::BTreeMap<String, Vec<Said>>,
}

/// `checked` in `lang`.
pub fn checked(lang: Lang, checked: &crate::workspace::Checked) -> SaidChecked {
    let say = |map: &std::collections::BTreeMap<String, Vec<Message>>| {
        map.iter()
            .map(|(field, list)| (field.clone(), messages(lang, list)))
            .collect()
    };
    SaidChecked {
        errors: say(&checked.errors),
        warnings: say(&checked.warnings),
    }
}

/// Messages about the whole form (under no field it shows), as one notice: their texts, and
/// the notice's language when every one is shown in English on a page in another language.
pub fn notice(stray: &[Said]) -> (Option<String>, Option<&'static str>) {
    if stray.is_empty() {
        return (None, None);
    }
    let text = stray
        .iter()
        .map(|said| said.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let lang = stray.iter().all(|said| said.fallback).then_some("en");
    (Some(text), lang)
}

/// One problem of a report's JSON (`severity`, `file`, `row`, `column`, `message`, and `said`
/// when the report was kept with its words, see `crate::ingest::Report::to_json_with_words`)
/// in `lang`.
pub fn problem(lang: Lang, problem: &Value) -> Said {
    match problem.get("said") {
        Some(words) if words.is_object() => said(lang, words),
        _ => said(
            lang,
            &serde_json::json!({ "english": problem["message"].clone() }),
        ),
    }
}

/// The translation of `words`, or `None` when there is none to make.
fn translated(lang: Lang, words: &Value) -> Option<Said> {
    let id = words["id"].as_str()?;
    let catalog = i18n::catalog(lang);
    let wanted = catalog.variables(id)?;
    let mut args = fluent_bundle::FluentArgs::new();
    let given = words["args"].as_object().cloned().unwrap_or_default();
    if given
        .keys()
        .cloned()
        .collect::<std::collections::BTreeSet<_>>()
        != wanted
    {
        return None;
    }
    for (name, value) in given {
        let value = match value {
            Value::Number(number) => match number.as_i64() {
                Some(whole) => fluent_bundle::FluentValue::from(whole),
                None => fluent_bundle::FluentValue::from(number.to_string()),
            },
            Value::String(text) => fluent_bundle::FluentValue::from(text),
            Value::Object(_) => fluent_bundle::FluentValue::from(said(lang, &value).text),
            other => fluent_bundle::FluentValue::from(other.to_string()),
        };
        args.set(name, value);
    }
    let text = catalog.format(id, Some(&args)).ok()?;
    Some(Said {
        text,
        lang: lang.tag(),
        fallback: false,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    use super::*;

    /// One `msg!` of the code: where, its Fluent id, the names of its arguments, and the
    /// `{name}`s its English format string uses.
    #[derive(Debug)]
    pub(crate) struct Use {
        pub(crate) file: String,
        pub(crate) id: String,
        pub(crate) args: BTreeSet<String>,
        pub(crate) placeholders: BTreeSet<String>,
    }

    /// The Rust files (tests left out) of the stages that build messages.
    fn sources() -> Vec<PathBuf> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        let mut folders: Vec<PathBuf> = ["src/ingest", "src/model", "src/workspace"]
            .iter()
            .map(|folder| root.join(folder))
            .collect();
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|e| e == "rs")
                    && path.file_name().is_some_and(|n| n != "tests.rs")
                {
                    files.push(path);
                }
            }
        }
        files.sort();
        files
    }

    /// The string literal at the start of `text` (after white space): its contents as written
    /// (escapes kept) and the rest of `text` after it.
    fn literal(text: &str) -> Option<(&str, &str)> {
        let text = text.trim_start();
        let body = text.strip_prefix('"')?;
        let mut escaped = false;
        for (at, c) in body.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => return Some((&body[..at], &body[at + 1..])),
                _ => {}
            }
        }
        None
    }

    /// The arguments after the English format string, up to the macro's closing parenthesis:
    /// the names before each top-level `=`.
    fn argument_names(mut text: &str) -> BTreeSet<String> {
        let mut names = BTreeSet::new();
        loop {
            text = text.trim_start();
            let Some(rest) = text.strip_prefix(',') else {
                return names;
            };
            let rest = rest.trim_start();
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if name.is_empty() {
                return names; // a trailing comma
            }
            names.insert(name.clone());
            // Skip the value: up to a comma or closing parenthesis at depth zero.
            let mut depth = 0_i32;
            let mut in_string = false;
            let mut escaped = false;
            let mut end = rest.len();
            for (at, c) in rest.char_indices().skip(name.len()) {
                if in_string {
                    match c {
                        _ if escaped => escaped = false,
                        '\\' => escaped = true,
                        '"' => in_string = false,
                        _ => {}
                    }
                    continue;
                }
                match c {
                    '"' => in_string = true,
                    '(' | '[' | '{' => depth += 1,
                    ')' | ']' | '}' if depth == 0 => {
                        end = at;
                        break;
                    }
                    ')' | ']' | '}' => depth -= 1,
                    ',' if depth == 0 => {
                        end = at;
                        break;
                    }
                    _ => {}
                }
            }
            text = &rest[end..];
        }
    }

    /// The `{name}`s of a format string (`{{` is a brace, `{name:?}` is `name`).
    fn placeholders(format: &str) -> BTreeSet<String> {
        let mut names = BTreeSet::new();
        let mut rest = format;
        while let Some(at) = rest.find('{') {
            rest = &rest[at + 1..];
            if let Some(after) = rest.strip_prefix('{') {
                rest = after;
                continue;
            }
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            names.insert(name);
        }
        names
    }

    /// Every `msg!(…)` of the code.
    pub(crate) fn uses() -> Vec<Use> {
        let mut uses = Vec::new();
        for path in sources() {
            let source = std::fs::read_to_string(&path).unwrap();
            let code = source.split("#[cfg(test)]").next().unwrap_or_default();
            let file = path.display().to_string();
            for (at, _) in code.match_indices("msg!(") {
                let line_start = code[..at].rfind('\n').map_or(0, |n| n + 1);
                if code[line_start..at].trim_start().starts_with("//") {
                    continue;
                }
                let after = &code[at + "msg!(".len()..];
                let (id, rest) =
                    literal(after).unwrap_or_else(|| panic!("{file}: msg! without an id"));
                let (english, rest) = literal(rest.trim_start().strip_prefix(',').unwrap())
                    .unwrap_or_else(|| panic!("{file}: msg!({id}) without English"));
                uses.push(Use {
                    file: file.clone(),
                    id: id.to_string(),
                    args: argument_names(rest),
                    placeholders: placeholders(english),
                });
            }
        }
        uses
    }

    #[test]
    fn every_message_id_in_code_is_in_both_languages_with_its_arguments() {
        let uses = uses();
        assert!(uses.len() > 20, "{}", uses.len());
        let mut wrong = Vec::new();
        for used in &uses {
            if used.placeholders != used.args {
                wrong.push(format!(
                    "{}: {} says {:?} in English but gives {:?}",
                    used.file, used.id, used.placeholders, used.args
                ));
            }
            for lang in [Lang::Vi, Lang::En] {
                match i18n::catalog(lang).variables(&used.id) {
                    None => wrong.push(format!(
                        "{}: {} is not in the {} file",
                        used.file,
                        used.id,
                        lang.tag()
                    )),
                    Some(variables) if variables != used.args => wrong.push(format!(
                        "{}: {} gives {:?} but the {} file takes {variables:?}",
                        used.file,
                        used.id,
                        used.args,
                        lang.tag()
                    )),
                    Some(_) => {}
                }
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn the_scanner_reads_ids_arguments_and_placeholders() {
        let (id, rest) =
            literal(r#" "a-b", "x {y} {{z}} {w:?}", y = f(1, "),"), w = v[0],)"#).unwrap();
        assert_eq!(id, "a-b");
        let (english, rest) = literal(rest.trim_start().strip_prefix(',').unwrap()).unwrap();
        assert_eq!(
            placeholders(english),
            BTreeSet::from(["y".into(), "w".into()])
        );
        assert_eq!(
            argument_names(rest),
            BTreeSet::from(["y".into(), "w".into()])
        );
    }

    /// Real problems of ingest (a sheet with a bad cell of nearly every kind, read and
    /// checked as a batch's is): each one with an id reads in English exactly as the command
    /// line prints it, and in Vietnamese in Vietnamese words.
    #[test]
    fn the_english_file_says_what_the_command_line_says_and_vietnamese_differs() {
        use crate::ingest::metadata::{Authorities, parse_csv, validate};
        let text = "filename;dc.title;dc.date;kind;village;access;access_need;stop;dc.rights;title;lunar date;dc.title@fr\n\
            objects/a.jpg;A;2021-02-30;hinh;lang-khong-co;privat;;;;x;;\n\
            objects/b.jpg;B;1990-1999;photo;;public;all;;restricted;;1-7;t\n\
            objects/c.jpg;C;May 1930;visit;;community:khong-co;;village:khong-co;;;;\n\
            objects/d.jpg;D;193X-05;photo;;public,researchers;;;community:a;;;\n\
            objects/e.jpg;E;2020-13;photo;;;;;;;;\n";
        let parsed = parse_csv("metadata/metadata.csv", text);
        let authorities = Authorities {
            communities: crate::ingest::communities::Communities::known(
                Path::new("accounts.sqlite"),
                [crate::model::GroupId::parse("a").unwrap()].into(),
            ),
            ..Authorities::default()
        };
        let mut problems = parsed.problems.clone();
        for row in &parsed.rows {
            match validate(row, &authorities) {
                Ok(validated) => problems.extend(validated.warnings),
                Err(errors) => problems.extend(errors),
            }
        }
        let translated: Vec<_> = problems.iter().filter(|p| p.words.is_some()).collect();
        assert!(translated.len() >= 12, "{problems:#?}");
        for problem in translated {
            let words = problem.said();
            let en = message(Lang::En, &words);
            assert_eq!(en.text, problem.message, "{:?}", problem.words);
            let vi = message(Lang::Vi, &words);
            assert!(!vi.fallback, "{:?}", problem.words);
            assert_ne!(vi.text, problem.message, "{:?}", problem.words);
        }
        // The same for every EDTF problem.
        for bad in [
            "",
            "May 1930",
            "1990-1999",
            "19900101",
            "12345",
            "Y123",
            "Y99999999999",
            "-0000",
            "1X90",
            "19XX-05",
            "2020-13",
            "2020-21-05",
            "2020-00-00",
            "2021-02-30",
            "2020T10:00",
            "2020-08-27T10:00:00?",
            "2020-08-27T25:00:00",
            "2020-08-27T10:00:00+25:00",
            "../..",
            "2000/1990",
        ] {
            if let Err(error) = crate::model::Edtf::parse(bad) {
                let words = error.message();
                assert_eq!(words.english, error.to_string());
                assert_eq!(message(Lang::En, &words).text, words.english, "{bad}");
                assert!(!message(Lang::Vi, &words).fallback, "{bad}");
            }
        }
        // A repeated honour, giving nothing else, one other column, and two.
        let mut known = Authorities::default();
        let artisan: crate::model::Artisan = serde_json::from_value(serde_json::json!({
            "schema": 1, "id": "nn-sau", "name": "Bà Sáu", "access": "public"
        }))
        .unwrap();
        known.artisans.insert(artisan.id.clone(), artisan);
        let text = "artisan,title,scheme,decision,date\n\
            nn-sau,Nghệ nhân thử,provincial,A,2020\n\
            nn-sau,Nghệ nhân thử,provincial,A,2020\n\
            nn-sau,Nghệ nhân thử,provincial,B,2020\n\
            nn-sau,Nghệ nhân thử,provincial,C,2021\n";
        let parsed = crate::ingest::authority::parse_honours("metadata/honours.csv", text, &known);
        assert_eq!(parsed.problems.len(), 3, "{:?}", parsed.problems);
        for (problem, differ) in parsed.problems.iter().zip([
            "",
            "another decision than row 2, and only row 2's is",
            "another decision and date than row 2, and only row 2's are",
        ]) {
            let words = problem.said();
            assert!(words.english.contains(differ), "{}", words.english);
            assert_eq!(message(Lang::En, &words).text, problem.message);
            let vi = message(Lang::Vi, &words);
            assert!(!vi.fallback && vi.text.contains("dòng 2"), "{vi:?}");
            assert_ne!(vi.text, problem.message);
        }
        // A batch with no metadata.csv that would replace descriptions: en.ftl chooses the
        // CLI's sentence by the number of records (guard.rs writes both), vi.ftl says "…" only
        // for more than one.
        for (threatened, english) in [
            (
                1,
                "of 1 record the archive already holds ('a' would lose: village);",
            ),
            (
                2,
                "of 2 records the archive already holds ('a' would lose: village, …);",
            ),
        ] {
            let example = crate::msg!(
                "ingest-record-would-lose",
                "'{id}' would lose: {lost}",
                id = "a",
                lost = "village"
            );
            let words = Message {
                english: String::new(),
                id: Some("ingest-no-sheet-would-replace"),
                args: vec![
                    ("threatened", crate::model::message::Arg::Number(threatened)),
                    (
                        "example",
                        crate::model::message::Arg::Message(Box::new(example)),
                    ),
                ],
            };
            assert!(message(Lang::En, &words).text.contains(english));
            let vi = message(Lang::Vi, &words).text;
            assert_eq!(vi.contains("village, …)"), threatened > 1, "{vi}");
            assert!(
                vi.contains("hồ sơ mà kho đã lưu ('a' sẽ mất: village"),
                "{vi}"
            );
        }
        // A digest that is not one.
        for bad in ["abc", &"g".repeat(64)] {
            let words = bad.parse::<crate::model::Sha256>().unwrap_err().message();
            assert_eq!(message(Lang::En, &words).text, words.english, "{bad}");
            let vi = message(Lang::Vi, &words);
            assert!(!vi.fallback && vi.text.contains("mã băm"), "{vi:?}");
        }
        // The OCOP certificate's days (ocop_issued, ocop_expires).
        for bad in ["2021-02-30", "2021-2-3", "hôm qua", "2021-13-01"] {
            let words = crate::model::edtf::CalendarDate::parse_day(bad).unwrap_err();
            assert!(words.english.contains(bad), "{bad}: {words:?}");
            assert_eq!(message(Lang::En, &words).text, words.english, "{bad}");
            let vi = message(Lang::Vi, &words);
            assert!(!vi.fallback && vi.text.contains(bad), "{bad}: {vi:?}");
            assert_ne!(vi.text, words.english, "{bad}");
        }
    }

    #[test]
    fn words_are_said_in_the_pages_language_or_marked_english() {
        let date = crate::model::Edtf::parse("2021-02-30")
            .unwrap_err()
            .message();
        let en = message(Lang::En, &date);
        assert_eq!(en.text, date.english);
        assert!(!en.fallback);
        let vi = message(Lang::Vi, &date);
        assert_eq!((vi.lang, vi.fallback), ("vi", false));
        assert!(vi.text.contains("2021"), "{vi:?}");
        assert_ne!(vi.text, date.english);
        // No id, or an id the files do not know: English, marked on a Vietnamese page.
        for plain in [
            Message::english("as written"),
            Message {
                id: Some("no-such-message"),
                ..Message::english("as written")
            },
        ] {
            let shown = message(Lang::Vi, &plain);
            assert_eq!(
                shown,
                Said {
                    text: "as written".into(),
                    lang: "en",
                    fallback: true
                }
            );
            assert!(!message(Lang::En, &plain).fallback);
        }
        // A report kept before problems carried their words.
        let old = serde_json::json!({"severity": "error", "message": "bad"});
        assert_eq!(problem(Lang::Vi, &old).text, "bad");
        assert!(problem(Lang::Vi, &old).fallback);
    }
}
