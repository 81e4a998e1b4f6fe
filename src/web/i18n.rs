//! The interface in two languages: every string a page shows that does not come from a record.
//!
//! Vietnamese pages live at `/…`, English ones at `/en/…`; the switch keeps the visitor on the same
//! page. The strings live in Fluent translation files, `templates/locales/vi/disan.ftl` and
//! `templates/locales/en/disan.ftl`, so a translator corrects them without a Rust toolchain; both
//! are compiled into the binary ([`LOCALES`]), so the site needs no file beside it. This module
//! owns reading them and the rule that maps a Fluent id to the name code uses: the Fluent id
//! `site-name` is `site_name` in templates and Rust (Fluent ids use `-`, template attribute names
//! cannot).
//!
//! Messages without arguments are resolved once per language, at startup, into the JSON object
//! templates read as `t.key` ([`strings`]); a key missing from it fails the render (the templates
//! run with strict undefined values), and a test renders every page in both languages, so no
//! page ships half translated. Messages that take arguments (a count, a year) are formatted when
//! used: `tr("results_count", count=…)` in a template, [`message`] in Rust. A count is passed as
//! a number, so a language chooses its plural form (`{ $count -> [one] … *[other] … }`).
//!
//! Record content is never translated here: a record without an English value shows its
//! Vietnamese one, marked as such ([`shown`]).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::model::Lang;

/// The translation files compiled into the binary: `(language, path under templates/, text)`.
pub const LOCALES: [(Lang, &str, &str); 2] = [
    (
        Lang::Vi,
        "locales/vi/disan.ftl",
        include_str!("../../templates/locales/vi/disan.ftl"),
    ),
    (
        Lang::En,
        "locales/en/disan.ftl",
        include_str!("../../templates/locales/en/disan.ftl"),
    ),
];

/// What can be wrong with a translation file or a use of it. Every variant names the file (as
/// in [`LOCALES`]) and, where there is one, the message's Fluent id.
#[derive(Debug, thiserror::Error)]
pub enum I18nError {
    /// The file is not valid Fluent syntax; the errors give byte offsets into the file.
    #[error("{file}: not valid Fluent: {errors}")]
    Syntax {
        /// The file.
        file: &'static str,
        /// The parser's errors, joined.
        errors: String,
    },
    /// A message or term is defined twice in the file.
    #[error("{file}: {errors}")]
    Duplicate {
        /// The file.
        file: &'static str,
        /// The bundle's errors, joined.
        errors: String,
    },
    /// A message has no text of its own (only attributes), so it cannot be shown.
    #[error("{file}: {key} has no text")]
    NoValue {
        /// The file.
        file: &'static str,
        /// The message's Fluent id.
        key: String,
    },
    /// No message has this id.
    #[error("{file}: no message {key}")]
    Unknown {
        /// The file.
        file: &'static str,
        /// The Fluent id asked for.
        key: String,
    },
    /// A message could not be formatted: a variable not given, a reference to a missing message.
    #[error("{file}: {key}: {errors}")]
    Format {
        /// The file.
        file: &'static str,
        /// The message's Fluent id.
        key: String,
        /// Fluent's errors, joined.
        errors: String,
    },
}

/// The name templates and Rust use for a Fluent id: `site-name` is `site_name`.
pub fn code_name(fluent_id: &str) -> String {
    fluent_id.replace('-', "_")
}

/// The Fluent id of a name templates and Rust use: `site_name` is `site-name`.
pub fn fluent_id(code_name: &str) -> String {
    code_name.replace('_', "-")
}

/// One language's messages: the parsed file, its messages without arguments resolved, and the
/// variables each other message takes.
pub struct Catalog {
    file: &'static str,
    bundle: FluentBundle<FluentResource>,
    ids: Vec<String>,
    strings: Value,
    variables: BTreeMap<String, BTreeSet<String>>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("file", &self.file)
            .field("variables", &self.variables)
            .finish_non_exhaustive()
    }
}

impl Catalog {
    /// Parses `source` (the text of `file`, in `lang`) and resolves every message without
    /// arguments.
    ///
    /// # Errors
    /// Any syntax error, a message defined twice or without text, or a message without arguments
    /// that cannot be resolved (it refers to a message that does not exist).
    pub fn parse(lang: Lang, file: &'static str, source: &str) -> Result<Catalog, I18nError> {
        let resource = FluentResource::try_new(source.to_string()).map_err(|(_, errors)| {
            I18nError::Syntax {
                file,
                errors: join(&errors),
            }
        })?;
        let mut variables = BTreeMap::new();
        let mut ids = Vec::new();
        for entry in resource.entries() {
            if let ast::Entry::Message(message) = entry {
                let Some(pattern) = &message.value else {
                    return Err(I18nError::NoValue {
                        file,
                        key: message.id.name.to_string(),
                    });
                };
                let mut names = BTreeSet::new();
                pattern_variables(pattern, &mut names);
                ids.push(message.id.name.to_string());
                if !names.is_empty() {
                    variables.insert(message.id.name.to_string(), names);
                }
            }
        }
        let tag = lang.tag().parse().expect("vi and en are language tags");
        let mut bundle = FluentBundle::new_concurrent(vec![tag]);
        // Fluent wraps every placeable in Unicode isolation marks (U+2068, U+2069) by default,
        // for right-to-left text inside left-to-right text. Both of our languages run left to
        // right and pages mark languages with `lang`; the marks would only land, invisible, in
        // HTML text and attributes, page titles, citations copied by readers and JSON-LD.
        bundle.set_use_isolating(false);
        bundle
            .add_resource(resource)
            .map_err(|errors| I18nError::Duplicate {
                file,
                errors: join(&errors),
            })?;
        let mut catalog = Catalog {
            file,
            bundle,
            ids: Vec::new(),
            strings: Value::Null,
            variables,
        };
        let mut strings = Map::new();
        for id in &ids {
            if !catalog.variables.contains_key(id) {
                let text = catalog.format(id, None)?;
                strings.insert(code_name(id), Value::String(text));
            }
        }
        catalog.ids = ids;
        catalog.strings = Value::Object(strings);
        Ok(catalog)
    }

    /// Every message's Fluent id, in file order.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// The variables a message takes (`count` for `{ $count }`), empty for one without any;
    /// `None` when there is no such message.
    pub fn variables(&self, fluent_id: &str) -> Option<BTreeSet<String>> {
        self.bundle
            .has_message(fluent_id)
            .then(|| self.variables.get(fluent_id).cloned().unwrap_or_default())
    }

    /// The message `fluent_id` with `args` filled in.
    ///
    /// # Errors
    /// [`I18nError::Unknown`] for an id that is not in the file, [`I18nError::Format`] when an
    /// argument it uses is not given or it refers to a missing message.
    pub fn format(&self, fluent_id: &str, args: Option<&FluentArgs>) -> Result<String, I18nError> {
        match self.format_lossy(fluent_id, args) {
            (text, None) => Ok(text),
            (_, Some(error)) => Err(error),
        }
    }

    /// The message as Fluent shows it even when something is wrong (a missing argument reads
    /// `{$name}`; an unknown message is empty), with what was wrong.
    fn format_lossy(
        &self,
        fluent_id: &str,
        args: Option<&FluentArgs>,
    ) -> (String, Option<I18nError>) {
        let Some(pattern) = self
            .bundle
            .get_message(fluent_id)
            .and_then(|message| message.value())
        else {
            let error = I18nError::Unknown {
                file: self.file,
                key: fluent_id.to_string(),
            };
            return (String::new(), Some(error));
        };
        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, args, &mut errors);
        let error = (!errors.is_empty()).then(|| I18nError::Format {
            file: self.file,
            key: fluent_id.to_string(),
            errors: join(&errors),
        });
        (text.into_owned(), error)
    }
}

/// The errors of a parse or a format, on one line.
fn join(errors: &[impl std::fmt::Debug]) -> String {
    errors
        .iter()
        .map(|error| format!("{error:?}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Collects the variables a pattern uses, in every variant of every selector.
fn pattern_variables(pattern: &ast::Pattern<&str>, names: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, names);
        }
    }
}

fn expression_variables(expression: &ast::Expression<&str>, names: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, names);
            for variant in variants {
                pattern_variables(&variant.value, names);
            }
        }
        ast::Expression::Inline(inline) => inline_variables(inline, names),
    }
}

fn inline_variables(inline: &ast::InlineExpression<&str>, names: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            names.insert(id.name.to_string());
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                inline_variables(argument, names);
            }
            for argument in &arguments.named {
                inline_variables(&argument.value, names);
            }
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, names),
        _ => {}
    }
}

/// Both languages' catalogs, parsed from [`LOCALES`] on first use.
///
/// # Errors
/// The first error of either file; the files are compiled in and checked by this module's
/// tests, so a release never meets one.
pub fn load() -> Result<(), &'static I18nError> {
    catalogs().as_ref().map(|_| ())
}

fn catalogs() -> &'static Result<[Catalog; 2], I18nError> {
    static CATALOGS: OnceLock<Result<[Catalog; 2], I18nError>> = OnceLock::new();
    CATALOGS.get_or_init(|| {
        let [(vi, vi_file, vi_text), (en, en_file, en_text)] = LOCALES;
        Ok([
            Catalog::parse(vi, vi_file, vi_text)?,
            Catalog::parse(en, en_file, en_text)?,
        ])
    })
}

/// The catalog of `lang`.
///
/// # Panics
/// When a built-in translation file is broken, which the tests of this module rule out.
pub fn catalog(lang: Lang) -> &'static Catalog {
    match catalogs() {
        Ok([vi, en]) => {
            if lang == Lang::En {
                en
            } else {
                vi
            }
        }
        Err(error) => panic!("built-in translation file: {error}"),
    }
}

/// The messages of `lang` that take no arguments, as a JSON object for templates (`t.site_name`),
/// resolved once.
pub fn strings(lang: Lang) -> &'static Value {
    &catalog(lang).strings
}

/// One message without arguments in `lang`, by its code name (`site_name`), for code that builds
/// text outside templates; empty (and a panic in debug builds) for a name that is not one.
pub fn text(lang: Lang, name: &str) -> &'static str {
    let text = strings(lang)[name].as_str();
    debug_assert!(text.is_some(), "no message {name} without arguments");
    text.unwrap_or_default()
}

/// A message without arguments in both languages at once, `Vietnamese (English)`, for answers
/// given before the visitor's language is known (errors, refused requests).
pub fn both_languages(name: &str) -> String {
    format!("{} ({})", text(Lang::Vi, name), text(Lang::En, name))
}

/// One message in `lang`, by its code name (`lunar_day_month`), with its arguments: numbers as
/// numbers (they choose plural forms), everything else as text. A missing argument shows as
/// `{$name}` (and panics in debug builds, so tests catch it).
pub fn message(lang: Lang, name: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let mut fluent_args = FluentArgs::with_capacity(args.len());
    for (key, value) in args {
        fluent_args.set(*key, value.clone());
    }
    let catalog = catalog(lang);
    let id = fluent_id(name);
    let (text, error) = catalog.format_lossy(&id, Some(&fluent_args));
    if let Some(error) = error {
        debug_assert!(false, "{error}");
        eprintln!("disan: {error}");
    }
    text
}

/// `tr(name, arg=value, …)` in templates: the message `name` (code name) in the page's language
/// (the context's `lang`) with its arguments. Numbers stay numbers, so plurals work.
///
/// # Errors
/// An unknown message, a missing argument, one the message does not take, or one neither a
/// number nor text fails the render, as an undefined `t.key` does.
pub fn template_message(
    state: &minijinja::State<'_, '_>,
    name: &str,
    kwargs: minijinja::value::Kwargs,
) -> Result<String, minijinja::Error> {
    let lang = match state.lookup("lang").as_ref().and_then(|l| l.as_str()) {
        Some("en") => Lang::En,
        _ => Lang::Vi,
    };
    let catalog = catalog(lang);
    let id = fluent_id(name);
    let variables = catalog.variables.get(&id);
    let mut args = FluentArgs::new();
    for key in kwargs.args() {
        if !variables.is_some_and(|v| v.contains(key)) {
            return Err(minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                format!("tr({name}): the message takes no {key}"),
            ));
        }
        let value: minijinja::Value = kwargs.get(key)?;
        let fluent = if let Some(number) = value.as_i64() {
            FluentValue::from(number)
        } else if let Ok(number) = f64::try_from(value.clone()) {
            FluentValue::from(number)
        } else if let Some(text) = value.as_str() {
            FluentValue::from(text.to_string())
        } else {
            return Err(minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                format!("tr({name}): {key} must be a number or text, not {value}"),
            ));
        };
        args.set(key.to_string(), fluent);
    }
    kwargs.assert_all_used()?;
    catalog.format(&id, Some(&args)).map_err(|error| {
        minijinja::Error::new(minijinja::ErrorKind::UndefinedError, error.to_string())
    })
}

/// The path prefix of `lang`'s pages.
pub fn prefix(lang: Lang) -> &'static str {
    if lang == Lang::En { "/en" } else { "" }
}

/// The language a page path belongs to, and the path without its language prefix.
pub fn split_path(path: &str) -> (Lang, &str) {
    match path.strip_prefix("/en") {
        Some("") => (Lang::En, "/"),
        Some(rest) if rest.starts_with('/') => (Lang::En, rest),
        _ => (Lang::Vi, path),
    }
}

/// A value of a record as shown in `lang`: the English value on English pages when there is one,
/// else the Vietnamese one, marked as a fallback.
#[derive(Debug, Clone, Serialize)]
pub struct Shown {
    /// The text.
    pub text: String,
    /// Its language tag.
    pub lang: &'static str,
    /// Shown in Vietnamese on an English page for want of an English value.
    pub fallback: bool,
}

/// See [`Shown`].
pub fn shown(lang: Lang, vi: &str, en: Option<&str>) -> Shown {
    match (lang, en.filter(|en| !en.trim().is_empty())) {
        (Lang::En, Some(en)) => Shown {
            text: en.to_string(),
            lang: "en",
            fallback: false,
        },
        (Lang::En, None) => Shown {
            text: vi.to_string(),
            lang: "vi",
            fallback: true,
        },
        _ => Shown {
            text: vi.to_string(),
            lang: "vi",
            fallback: false,
        },
    }
}

/// What differs between two languages' catalogs, one line per problem naming the key: a message
/// in one file but not the other (both ways), or one taking other arguments (a translation must
/// use the same values, or a page would fail in one language only). Empty when they match.
pub fn differences(a: &Catalog, b: &Catalog) -> Vec<String> {
    let mut problems = Vec::new();
    for (from, to) in [(a, b), (b, a)] {
        for id in from.ids() {
            if to.variables(id).is_none() {
                problems.push(format!(
                    "{id} is in {} but missing from {}",
                    from.file, to.file
                ));
            }
        }
    }
    for id in a.ids() {
        if let (Some(x), Some(y)) = (a.variables(id), b.variables(id)) {
            if x != y {
                let list = |v: &BTreeSet<String>| {
                    if v.is_empty() {
                        "nothing".to_string()
                    } else {
                        v.iter().cloned().collect::<Vec<_>>().join(", ")
                    }
                };
                problems.push(format!(
                    "{id} takes {} in {} but {} in {}",
                    list(&x),
                    a.file,
                    list(&y),
                    b.file
                ));
            }
        }
    }
    problems.sort();
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both built-in catalogs, parsed afresh (not through the static, so a broken file names
    /// its error here rather than panicking elsewhere).
    fn both() -> [Catalog; 2] {
        LOCALES.map(|(lang, file, text)| {
            Catalog::parse(lang, file, text).unwrap_or_else(|error| panic!("{error}"))
        })
    }

    #[test]
    fn both_translation_files_parse_and_resolve() {
        let [vi, en] = both();
        assert!(vi.ids().len() > 100, "{}", vi.ids().len());
        assert_eq!(strings(Lang::En)["site_name"], "Craft-village heritage");
        assert_eq!(strings(Lang::Vi)["site_name"], "Di sản làng nghề");
        // A broken file is an error naming the file, never a half-loaded catalog.
        let broken = Catalog::parse(Lang::Vi, "broken.ftl", "site-name = {\n");
        assert!(
            matches!(
                &broken,
                Err(I18nError::Syntax {
                    file: "broken.ftl",
                    ..
                })
            ),
            "{broken:?}"
        );
        let twice = Catalog::parse(Lang::Vi, "twice.ftl", "a = 1\na = 2\n");
        assert!(
            matches!(twice, Err(I18nError::Duplicate { .. })),
            "{twice:?}"
        );
        let dangling = Catalog::parse(Lang::Vi, "dangling.ftl", "a = { b }\n");
        assert!(
            matches!(&dangling, Err(I18nError::Format { key, .. }) if key == "a"),
            "{dangling:?}"
        );
        assert!(en.variables("site-name").is_some_and(|v| v.is_empty()));
    }

    #[test]
    fn every_key_is_in_both_languages_with_the_same_arguments() {
        let [vi, en] = both();
        assert_eq!(differences(&vi, &en), Vec::<String>::new());
        // The check names the key and the direction, both ways.
        let lacking = Catalog::parse(Lang::Vi, "vi.ftl", "a = A\nb = { $count } B\n").unwrap();
        let other = Catalog::parse(Lang::En, "en.ftl", "a = A\nb = B\nc = C\n").unwrap();
        assert_eq!(
            differences(&lacking, &other),
            [
                "b takes count in vi.ftl but nothing in en.ftl",
                "c is in en.ftl but missing from vi.ftl",
            ]
        );
        assert_eq!(
            differences(&other, &lacking),
            [
                "b takes nothing in en.ftl but count in vi.ftl",
                "c is in en.ftl but missing from vi.ftl",
            ]
        );
    }

    #[test]
    fn fluent_ids_use_hyphens_so_names_map_both_ways() {
        for catalog in both() {
            for id in catalog.ids() {
                assert!(!id.contains('_'), "{}: {id} uses _; write -", catalog.file);
                assert_eq!(fluent_id(&code_name(id)), *id);
            }
        }
    }

    #[test]
    fn every_message_formats_in_both_languages_with_sample_arguments() {
        for catalog in both() {
            for id in catalog.ids() {
                let variables = catalog.variables(id).unwrap();
                // Each count from 0 to 21 reaches every plural form of both languages.
                for n in 0..22_i64 {
                    let mut args = FluentArgs::new();
                    for name in &variables {
                        // Selectors on words (`$leap`, `$filtered`) get both their words.
                        let value = if name == "leap" || name == "filtered" {
                            FluentValue::from(if n % 2 == 0 { "yes" } else { "no" })
                        } else {
                            FluentValue::from(n)
                        };
                        args.set(name.clone(), value);
                    }
                    let text = catalog
                        .format(id, Some(&args))
                        .unwrap_or_else(|error| panic!("{error}"));
                    assert!(
                        !text.contains(['{', '}', '\u{2068}', '\u{2069}']),
                        "{}: {id} gives {text:?}",
                        catalog.file
                    );
                    // Plain text: the site escapes messages, so markup would show as written.
                    // (Ingest's messages quote what archivists type, `community:<group-id>`:
                    // angle brackets around a placeholder are text, not markup.)
                    let markup = text.contains("</")
                        || [
                            "<a ", "<b>", "<i>", "<em>", "<strong>", "<br", "<p>", "<span",
                            "<code>",
                        ]
                        .iter()
                        .any(|tag| text.contains(tag));
                    assert!(!markup, "{}: {id} holds markup", catalog.file);
                    if variables.is_empty() {
                        break;
                    }
                }
            }
        }
    }

    #[test]
    fn counts_choose_plural_forms_and_placeables_carry_no_isolation_marks() {
        let count = |lang, n: i64| message(lang, "results_count", &[("count", n.into())]);
        assert_eq!(count(Lang::En, 1), "1 result");
        assert_eq!(count(Lang::En, 2), "2 results");
        assert_eq!(count(Lang::En, 0), "0 results");
        assert_eq!(count(Lang::Vi, 1), "1 kết quả");
        assert_eq!(count(Lang::Vi, 2), "2 kết quả");
        let query = [("count", 1.into()), ("query", "trống".into())];
        assert_eq!(
            message(Lang::En, "results_count_for", &query),
            "1 result for “trống”"
        );
        assert_eq!(
            both_languages("error_not_found"),
            "Không tìm thấy trang này. (Page not found.)"
        );
        // Dates as each language writes them: a month selected by its number.
        let date = |lang, month: u8| {
            let args = [
                ("day", 17.into()),
                ("month", month.into()),
                ("year", 2026.into()),
            ];
            message(lang, "date_label", &args)
        };
        assert_eq!(date(Lang::En, 2), "17 February 2026");
        assert_eq!(date(Lang::En, 12), "17 December 2026");
        assert_eq!(date(Lang::Vi, 2), "17/2/2026");
    }

    #[test]
    fn a_missing_message_or_argument_fails_the_render() {
        let dir = tempfile::tempdir().unwrap();
        let pages = [
            ("key.html", "{{ t.no_such_key }}"),
            ("message.html", "{{ tr(\"no_such_message\") }}"),
            ("argument.html", "{{ tr(\"results_count\") }}"),
            (
                "extra.html",
                "{{ tr(\"results_count\", count=2, other=1) }}",
            ),
            (
                "good.html",
                "{{ t.site_name }}: {{ tr(\"results_count\", count=2) }}",
            ),
        ];
        for (name, text) in pages {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let templates = super::super::templates::Templates::new(Some(dir.path().to_path_buf()));
        let context = serde_json::json!({"lang": "en", "t": strings(Lang::En)});
        for (name, _) in &pages[..4] {
            let rendered = templates.render(name, &context);
            assert!(rendered.is_err(), "{name} rendered: {rendered:?}");
        }
        let good = templates.render("good.html", &context).unwrap();
        assert_eq!(good, "Craft-village heritage: 2 results");
    }

    /// The Rust files of src/web and its folders (src/web/auth/…).
    fn web_sources() -> Vec<std::path::PathBuf> {
        let mut files = Vec::new();
        let mut folders = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web")];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(folder).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    files.push(path);
                }
            }
        }
        files.sort();
        files
    }

    /// Every string literal in the Rust of src/web (tests and comments left out) that is a name
    /// passed to [`text`], [`message`] or [`both_languages`], and every `t.name`, `vi.name`,
    /// `en.name` and `tr("name"` in templates: `(file, name, takes arguments)`.
    fn names_used() -> Vec<(String, String, bool)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut used = Vec::new();
        let mut scan = |file: String, source: &str, patterns: &[(&str, bool)]| {
            for (pattern, arguments) in patterns {
                for (at, _) in source.match_indices(pattern) {
                    let name: String = source[at + pattern.len()..]
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        used.push((file.clone(), name, *arguments));
                    }
                }
            }
        };
        for path in web_sources() {
            let source = std::fs::read_to_string(&path).unwrap();
            let code = source.split("#[cfg(test)]").next().unwrap_or_default();
            let name = path.display().to_string();
            scan(
                name,
                code,
                &[
                    ("text(lang, \"", false),
                    ("text(track_lang, \"", false),
                    ("text(Lang::Vi, \"", false),
                    ("text(Lang::En, \"", false),
                    ("text(visit.lang, \"", false),
                    ("both_languages(\"", false),
                    ("message(lang, \"", true),
                    ("message(\n                lang,\n                \"", true),
                    ("\"decade_value\"", true),
                ],
            );
        }
        for entry in std::fs::read_dir(root.join("templates")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "html") {
                let source = std::fs::read_to_string(&path).unwrap();
                let name = path.display().to_string();
                let patterns = [
                    ("{{ t.", false),
                    (" t.", false),
                    ("vi.", false),
                    ("en.", false),
                    ("tr(\"", true),
                ];
                scan(name, &source, &patterns);
            }
        }
        used
    }

    #[test]
    fn every_name_code_uses_is_a_message_of_the_right_shape() {
        let [vi, _] = both();
        let used = names_used();
        assert!(used.len() > 100, "{}", used.len());
        for (file, name, arguments) in used {
            let id = fluent_id(&name);
            let variables = vi
                .variables(&id)
                .unwrap_or_else(|| panic!("{file} uses {name}: no message {id}"));
            assert_eq!(
                !variables.is_empty(),
                arguments,
                "{file} uses {name} {} arguments, but {id} takes {variables:?}",
                if arguments { "with" } else { "without" }
            );
        }
    }

    #[test]
    fn every_message_is_used() {
        // Names chosen by a `match` reach `text` through a variable: any string literal of
        // src/web's code that is a message's name counts as a use.
        let mut used: BTreeSet<String> =
            names_used().into_iter().map(|(_, name, _)| name).collect();
        for path in web_sources() {
            let source = std::fs::read_to_string(path).unwrap();
            let code = source.split("#[cfg(test)]").next().unwrap_or_default();
            used.extend(code.split('"').skip(1).step_by(2).map(str::to_string));
        }
        // Ingest's problems and the edit forms' messages (`msg!` in the stages before web).
        used.extend(
            super::super::said::tests::uses()
                .into_iter()
                .map(|used| code_name(&used.id)),
        );
        let [vi, _] = both();
        let unused: Vec<&String> = vi
            .ids()
            .iter()
            .filter(|id| !used.contains(&code_name(id)))
            .collect();
        assert!(
            unused.is_empty(),
            "messages no page or code uses: {unused:?}"
        );
    }

    /// Vietnamese letters (beyond ASCII) in string literals of src/web's code and of the
    /// index's notice code (the query parser, clauses, understanding): interface text belongs in
    /// the translation files. Allowed: what is record content or matching, not interface
    /// (`(file, literal)`).
    #[test]
    fn no_vietnamese_interface_text_is_left_in_rust() {
        const ALLOWED: &[(&str, &str)] = &[
            // Search folds the Icelandic eth, typed for đ on some keyboards, into đ.
            ("lookups.rs", "đ"),
            // The Vietnamese operator words the query language reads.
            ("lexer.rs", "HOẶC"),
            ("lexer.rs", "KHÔNG"),
            ("lexer.rs", "VÀ"),
        ];
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let notice_code = [
            "src/index/query/mod.rs",
            "src/index/query/lexer.rs",
            "src/index/query/fields.rs",
            "src/index/query/values.rs",
            "src/index/query/notices.rs",
            "src/index/search/clauses.rs",
            "src/index/search/understand.rs",
        ]
        .map(|path| root.join(path));
        let mut found = Vec::new();
        for path in web_sources().into_iter().chain(notice_code) {
            let file = path.file_name().unwrap().to_string_lossy().to_string();
            let source = std::fs::read_to_string(&path).unwrap();
            let code = source.split("#[cfg(test)]").next().unwrap_or_default();
            for line in code.lines() {
                let line = line.split("//").next().unwrap_or_default();
                for literal in line.split('"').skip(1).step_by(2) {
                    let vietnamese = literal
                        .chars()
                        .any(|c| matches!(c, 'À'..='ỹ') && !c.is_ascii() && c != '×' && c != '÷');
                    if vietnamese && !ALLOWED.contains(&(file.as_str(), literal)) {
                        found.push(format!("{file}: \"{literal}\""));
                    }
                }
            }
        }
        assert!(
            found.is_empty(),
            "move these to templates/locales: {found:#?}"
        );
    }

    #[test]
    fn paths_split_into_language_and_page() {
        assert_eq!(split_path("/en"), (Lang::En, "/"));
        assert_eq!(split_path("/en/records/x"), (Lang::En, "/records/x"));
        assert_eq!(split_path("/records/x"), (Lang::Vi, "/records/x"));
        assert_eq!(split_path("/english"), (Lang::Vi, "/english"));
    }

    #[test]
    fn english_pages_fall_back_to_vietnamese_visibly() {
        let fallback = shown(Lang::En, "Trống", None);
        assert_eq!((fallback.lang, fallback.fallback), ("vi", true));
        let english = shown(Lang::En, "Trống", Some("Drum"));
        assert_eq!((english.text.as_str(), english.fallback), ("Drum", false));
        assert!(!shown(Lang::Vi, "Trống", Some("Drum")).fallback);
    }
}
