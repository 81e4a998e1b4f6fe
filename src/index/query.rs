//! The query language visitors type into the search box, parsed into clauses the index runs.
//!
//! Words are ANDed; `"…"` is a phrase; `OR` joins alternatives; `-word` or `NOT word` excludes;
//! `field:value` narrows by a field (`village:"Nha Xá"`, `kind:film`, `craft:det-lua`,
//! `date:[1990 TO 1999]`, `title:trống`), and by the vocabulary of issue 14: `artisan:` (id or
//! name), `product:`, `stars:4` (or `>=3`, `[3 TO 5]`), `province:"Ninh Bình"` and
//! `commune:"Chuyên Ngoại"` (the names before and after 1 July 2025 alike), and `title:` also
//! finds the records naming an artisan holding that title (`title:"Nghệ nhân Ưu tú"`).
//! Vietnamese field names work too (`làng:`, `nghề:`, `loại:`, `năm:`, `nghệ-nhân:`,
//! `sản-phẩm:`, `sao:`, `tỉnh:`, `xã:`, `danh-hiệu:`), with or without diacritics, and so do
//! the Vietnamese operators `HOẶC`, `KHÔNG`, `VÀ`.
//!
//! The language stays out of the way of ordinary text (issue 12): parsing never fails, and
//! - operator words (`OR NOT AND HOẶC KHÔNG VÀ`) are operators only in capitals, between words
//!   (`NOT` before one), and never in a query typed all in capitals: a title pasted in capitals
//!   (`KHÔNG GIAN VĂN HOÁ`) is text;
//! - `word:` is a field only for a known field name whose value parses (`Hà Nam: trống` is the
//!   three words, `năm:` wanting a date);
//! - every such reading, and every value dropped, is a [`Notice`], which the site words in both
//!   languages.

use crate::model::edtf::{CalendarDate, Edtf};
use crate::model::text::{fold, search_form};
use crate::model::{Kind, RiskStatus};

/// A parsed query: clauses that must all hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedQuery {
    /// Every clause; a document matches when all non-negated clauses match and no negated one does.
    pub clauses: Vec<Clause>,
    /// What the visitor should be told about their query.
    pub notices: Vec<Notice>,
    /// What the visitor typed, in its [`search_form`] (an identifier may hold spaces the clauses
    /// split).
    pub typed: String,
}

/// One clause: alternatives joined by `OR`, possibly negated.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    /// `-…` or `NOT …`.
    pub negated: bool,
    /// At least one must match.
    pub alternatives: Vec<Atom>,
}

/// Where a text atom is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Titles and full text.
    Everywhere,
    /// Titles only (`title:`).
    Title,
}

/// The smallest unit of a query.
#[derive(Debug, Clone, PartialEq)]
pub enum Atom {
    /// Words; a phrase when quoted (or when the word splits into several, like `Nha-Xá`).
    Text {
        /// As typed, in NFC.
        text: String,
        /// Quoted: the words must appear together in this order.
        phrase: bool,
        /// Which fields.
        scope: Scope,
        /// Typed without diacritics in a query whose every such word English text holds more
        /// often than folded Vietnamese does ("mat", "sedge mats"): Vietnamese words equal to
        /// it only once folded ("mặt") rank below the records holding the word itself. Set by
        /// `search::understand`, from the index's statistics.
        english: bool,
    },
    /// `village:` — a village id or name.
    Village(String),
    /// `craft:` — a craft id or name.
    Craft(String),
    /// `district:` — a district name or id.
    District(String),
    /// `kind:`.
    Kind(Kind),
    /// `status:` — the Decree 52/2018 class of the record's village.
    Status(RiskStatus),
    /// `artisan:` — an artisan the record names, by id or name (issue 14).
    Artisan(String),
    /// `product:` — a product the record shows, by id or name (issue 14).
    Product(String),
    /// `province:` — the province of the record's village, as documented or after 1 July 2025
    /// (`"Hà Nam"` and `"Ninh Bình"` alike; issue 14).
    Province(String),
    /// `commune:` — the commune (or ward) of the record's village, as documented or after 1
    /// July 2025 (`"Chuyên Ngoại"`; issue 14).
    Commune(String),
    /// `stars:` — records showing a product rated within these OCOP stars, inclusive, 1 to 5
    /// (`stars:4`, `stars:>=3`, `stars:[3 TO 5]`; issue 14).
    Stars {
        /// The fewest stars.
        from: u8,
        /// The most stars.
        to: u8,
    },
    /// `date:` — records whose date range overlaps this one, as `yyyymmdd` numbers, inclusive.
    Date {
        /// The earliest day, if bounded.
        from: Option<i64>,
        /// The latest day, if bounded.
        to: Option<i64>,
    },
}

/// Something the visitor should be told about their query or its results: which it is, with
/// its arguments. The index says *what* happened; the web layer words it in the visitor's
/// language from the translation files (`templates/locales`, `web::notices`), so a translator
/// corrects a notice without a Rust toolchain. Serialised (the JSON API) as `{"code": …}` with
/// the arguments beside it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Notice {
    /// Only the first `max` words were searched; the rest was ignored.
    WordsCut {
        /// [`MAX_QUERY_WORDS`].
        max: usize,
    },
    /// `name:` looks like a field but names none: its words were searched as typed.
    NotAField {
        /// As typed, without the colon.
        name: String,
    },
    /// `name:` names a field but follows another word and is capitalised, as in a heading: its
    /// words were searched as typed.
    Heading {
        /// As typed, without the colon.
        name: String,
        /// The field it would have been (`village`, `date`, …), for an example.
        field: &'static str,
    },
    /// `name:` names a field, but its value does not read (`why`): the words were searched as
    /// typed.
    FieldNotRead {
        /// As typed, without the colon.
        name: String,
        /// What is wrong with the value.
        why: FieldProblem,
    },
    /// A field's value does not read, and the field was left out.
    FieldLeftOut {
        /// What is wrong with the value.
        why: FieldProblem,
    },
    /// `word` was read as an operator.
    OperatorRead {
        /// As typed (`OR`, `KHÔNG`).
        word: String,
        /// Which.
        operator: Operator,
    },
    /// `word`, an operator word, joins nothing, so it was left out.
    OperatorLeftOut {
        /// As typed.
        word: String,
    },
    /// The query was a record's identifier, pasted with punctuation or as its page's address.
    Identifier {
        /// The identifier searched.
        identifier: String,
    },
    /// Input-method leftovers or misplaced tones were read as Vietnamese: showing results for
    /// `query`.
    ReadAs {
        /// The query searched.
        query: String,
    },
    /// No record is from a village or craft of that name, so the words were searched as typed.
    NoSuchPlace {
        /// Village or craft.
        field: PlaceField,
        /// As typed.
        name: String,
    },
    /// An English function word no record holds (`alone`: holds, but not with the other words)
    /// was left out.
    WordLeftOut {
        /// The word.
        word: String,
        /// Some record holds it, only none with the other words.
        alone: bool,
    },
    /// Nothing holds `word`; the results include its close spellings.
    CloseSpellings {
        /// As typed.
        word: String,
    },
    /// Nothing holds `word`; its close spellings were tried too (and find nothing here).
    SpellingsTried {
        /// As typed.
        word: String,
    },
    /// Nothing holds `word`, longer than `max` letters, so its close spellings were not looked
    /// for.
    TooLongForSpellings {
        /// As typed.
        word: String,
        /// The longest word respelled.
        max: usize,
    },
    /// Nothing holds `word`; close spellings are looked for only for the first `max` words found
    /// nowhere.
    SpellingsBudgetSpent {
        /// As typed.
        word: String,
        /// Words respelled at most.
        max: usize,
    },
    /// Why nothing was found: no record holds these words on their own.
    NoneHold {
        /// The words, as typed.
        words: Vec<String>,
    },
    /// Why nothing was found: no record matches a field searched.
    NoFieldMatch,
    /// Why nothing was found: no record holds all the words together.
    NotTogether {
        /// The words, named when there are several.
        words: Vec<String>,
        /// Filters were chosen too.
        filtered: bool,
    },
    /// Why nothing was found: the query and the filters chosen leave nothing.
    NothingWithFilters,
    /// Why nothing was found: the words excluded leave nothing.
    ExcludedLeaveNothing,
    /// Why nothing was found: the index holds no record this audience may see.
    NoRecords,
}

impl Notice {
    /// Whether this notice says which word nothing contains (with or without its close
    /// spellings): a search that found nothing then needs no other reason.
    pub fn says_what_is_missing(&self) -> bool {
        matches!(
            self,
            Notice::CloseSpellings { .. }
                | Notice::SpellingsTried { .. }
                | Notice::TooLongForSpellings { .. }
                | Notice::SpellingsBudgetSpent { .. }
        )
    }
}

/// What is wrong with a field's value.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum FieldProblem {
    /// `field:` with nothing after it.
    NoValue {
        /// The field (`village`, `date`, …).
        field: &'static str,
    },
    /// `kind:` names no kind.
    UnknownKind {
        /// As typed.
        value: String,
    },
    /// `status:` names no Decree 52/2018 status.
    UnknownStatus {
        /// As typed.
        value: String,
    },
    /// `date:` does not read as a date or range.
    BadDate {
        /// As typed.
        value: String,
    },
    /// `stars:` does not read as OCOP stars (1 to 5, `>=3`, `[3 TO 5]`).
    BadStars {
        /// As typed.
        value: String,
    },
}

/// An operator of the query language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Operator {
    /// `OR`, `HOẶC`.
    Or,
    /// `NOT`, `KHÔNG`.
    Not,
    /// `AND`, `VÀ`.
    And,
}

/// A field naming a place of the authorities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceField {
    /// `village:`.
    Village,
    /// `craft:`.
    Craft,
    /// `artisan:`.
    Artisan,
    /// `product:`.
    Product,
    /// `province:`.
    Province,
    /// `commune:`.
    Commune,
}

/// Field names visitors may type, folded, and what they mean.
const FIELDS: &[(&str, &str)] = &[
    ("village", "village"),
    ("lang", "village"),
    ("craft", "craft"),
    ("nghe", "craft"),
    ("district", "district"),
    ("huyen", "district"),
    ("kind", "kind"),
    ("loai", "kind"),
    ("date", "date"),
    ("year", "date"),
    ("nam", "date"),
    ("title", "title"),
    ("danh-hieu", "title"),
    ("danhhieu", "title"),
    ("status", "status"),
    ("artisan", "artisan"),
    ("nghe-nhan", "artisan"),
    ("nghenhan", "artisan"),
    ("product", "product"),
    ("san-pham", "product"),
    ("sanpham", "product"),
    ("stars", "stars"),
    ("sao", "stars"),
    ("province", "province"),
    ("tinh", "province"),
    ("commune", "commune"),
    ("xa", "commune"),
];

/// The field a typed name means, if any.
fn field_named(name: &str) -> Option<&'static str> {
    let folded = fold(name);
    FIELDS
        .iter()
        .find(|(typed, _)| *typed == folded)
        .map(|(_, field)| *field)
}

/// A lexical token.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// `OR`, `HOẶC` or `|`, as typed.
    Or(String),
    /// `NOT` or `KHÔNG` (as typed), or a leading `-` (empty).
    Not(String),
    /// `AND`, `VÀ` or `&&`, as typed.
    And(String),
    Text {
        text: String,
        phrase: bool,
    },
    Field {
        name: &'static str,
        value: String,
    },
}

impl Token {
    fn is_term(&self) -> bool {
        matches!(self, Token::Text { .. } | Token::Field { .. })
    }

    /// The operator word typed, for an operator read from a word (not `-`, `|`, `&&`).
    fn operator_word(&self) -> Option<&str> {
        match self {
            Token::Or(word) | Token::Not(word) | Token::And(word)
                if word.chars().any(char::is_alphabetic) =>
            {
                Some(word)
            }
            _ => None,
        }
    }
}

/// Parses what a visitor typed.
pub fn parse(input: &str) -> ParsedQuery {
    let input = search_form(input);
    let mut parsed = ParsedQuery {
        typed: input.to_string(),
        ..ParsedQuery::default()
    };
    let mut negate_next = false;
    let mut join_next = false;
    let mut budget = MAX_QUERY_WORDS;
    let mut cut = false;
    let (tokens, notices) = tokens(&input);
    parsed.notices = notices;
    for token in tokens {
        // Every word costs posting-list work: past the budget, words are dropped, not searched.
        let token = match token {
            Token::Text { text, phrase } => {
                let (kept, used) = take_words(&text, budget);
                budget -= used;
                if kept.len() < text.len() {
                    cut = true;
                }
                if used == 0 && words_in(&text) > 0 {
                    negate_next = false;
                    join_next = false;
                    continue;
                }
                Token::Text { text: kept, phrase }
            }
            Token::Field { .. } if budget == 0 => {
                cut = true;
                negate_next = false;
                join_next = false;
                continue;
            }
            Token::Field { name, value } => {
                budget -= 1;
                Token::Field { name, value }
            }
            other => other,
        };
        match token {
            Token::Or(_) => {
                join_next = !parsed.clauses.is_empty();
                continue;
            }
            Token::Not(_) => {
                negate_next = true;
                continue;
            }
            Token::And(_) => continue,
            Token::Text { text, phrase } => {
                let atom = Atom::Text {
                    text,
                    phrase,
                    scope: Scope::Everywhere,
                    english: false,
                };
                push(&mut parsed, atom, negate_next, join_next);
            }
            Token::Field { name, value } => match field_atom(name, &value) {
                Ok(atom) => push(&mut parsed, atom, negate_next, join_next),
                Err(why) => parsed.notices.push(Notice::FieldLeftOut { why }),
            },
        }
        negate_next = false;
        join_next = false;
    }
    if cut {
        parsed.notices.push(Notice::WordsCut {
            max: MAX_QUERY_WORDS,
        });
    }
    parsed
}

/// Words searched at most per query (each `field:value` counts as one): each word is a
/// posting list to intersect, and 250 common words cost 20 times one word (break-site
/// finding 4). Past it, words are dropped and the visitor is told.
pub const MAX_QUERY_WORDS: usize = 32;

/// The words of `text`: runs of letters and digits, as the analyzer splits them.
fn words_in(text: &str) -> usize {
    take_words(text, usize::MAX).1
}

/// The beginning of `text` holding at most `budget` words (runs of letters and digits), and
/// how many it holds.
fn take_words(text: &str, budget: usize) -> (String, usize) {
    let mut words = 0;
    let mut in_word = false;
    for (at, c) in text.char_indices() {
        let word_char = c.is_alphanumeric();
        if word_char && !in_word {
            if words == budget {
                let kept = text[..at].trim_end_matches(|c: char| !c.is_alphanumeric());
                return (kept.to_string(), words);
            }
            words += 1;
        }
        in_word = word_char;
    }
    (text.to_string(), words)
}

/// Adds an atom as a new clause, or as an alternative of the last one after `OR`.
fn push(parsed: &mut ParsedQuery, atom: Atom, negated: bool, join: bool) {
    if join && let Some(last) = parsed.clauses.last_mut() {
        last.alternatives.push(atom);
        return;
    }
    parsed.clauses.push(Clause {
        negated,
        alternatives: vec![atom],
    });
}

/// Splits the input into operators, words, phrases and `field:value` pairs, with a notice for
/// every word read as an operator or a field name read as a word.
fn tokens(input: &str) -> (Vec<Token>, Vec<Notice>) {
    let chars: Vec<char> = input.chars().collect();
    let mut tokens = Vec::new();
    let mut notices = Vec::new();
    // A query without a lowercase letter is text pasted in capitals, not operators.
    let in_capitals = !input.chars().any(char::is_lowercase);
    let mut at = 0;
    let read_quoted = |at: &mut usize| -> String {
        // `at` is just after the opening quote; an unclosed quote runs to the end.
        let start = *at;
        while *at < chars.len() && !is_quote(chars[*at]) {
            *at += 1;
        }
        let text: String = chars[start..*at].iter().collect();
        *at += 1;
        text
    };
    while at < chars.len() {
        let c = chars[at];
        if c.is_whitespace() || c == '(' || c == ')' {
            at += 1;
            continue;
        }
        if is_quote(c) {
            at += 1;
            let text = read_quoted(&mut at);
            if !text.trim().is_empty() {
                tokens.push(Token::Text {
                    text: text.trim().to_string(),
                    phrase: true,
                });
            }
            continue;
        }
        let start = at;
        while at < chars.len()
            && !chars[at].is_whitespace()
            && !is_quote(chars[at])
            && chars[at] != '('
            && chars[at] != ')'
        {
            at += 1;
        }
        let mut word: String = chars[start..at].iter().collect();
        if word.len() > 1 && word.starts_with('-') {
            tokens.push(Token::Not(String::new()));
            word.remove(0);
        }
        match word.as_str() {
            "|" => {
                tokens.push(Token::Or(word));
                continue;
            }
            "&&" => {
                tokens.push(Token::And(word));
                continue;
            }
            "OR" | "HOẶC" if !in_capitals => {
                tokens.push(Token::Or(word));
                continue;
            }
            "NOT" | "KHÔNG" if !in_capitals => {
                tokens.push(Token::Not(word));
                continue;
            }
            "AND" | "VÀ" if !in_capitals => {
                tokens.push(Token::And(word));
                continue;
            }
            _ => {}
        }
        let after_word = at;
        let field = word
            .split_once(':')
            .and_then(|(name, rest)| field_named(name).map(|field| (name, field, rest)));
        let Some((typed_name, name, rest)) = field else {
            let text = word.trim_start_matches('+');
            if let Some((name, rest)) = text.split_once(':')
                && !name.is_empty()
                && name.chars().all(|c| c.is_ascii_lowercase())
                && !rest.is_empty()
            {
                // `type:document` looks like a field but names none: its words are searched.
                notices.push(Notice::NotAField {
                    name: name.to_string(),
                });
            }
            // A colon joins no words (`Hà Nội: 1995`, `type:document`): each side is a word,
            // named without the colon in notices.
            // A time or ratio (`10:30`) stays one.
            if text.contains(':') && text.chars().any(char::is_alphabetic) {
                for part in text.split(':') {
                    push_words(&mut tokens, part);
                }
            } else {
                push_words(&mut tokens, text);
            }
            continue;
        };
        let typed_name = typed_name.to_string();
        // A capitalised field name after another word is a heading pasted as text (`Hà Nam:
        // 1995`, where `Nam` is the folded `năm:`): its words are searched, and that is said.
        let heading =
            !tokens.is_empty() && typed_name.chars().next().is_some_and(char::is_uppercase);
        let value = if rest.is_empty() {
            // `village: "Nha Xá"` and `kind: film` are forgiven their space.
            while at < chars.len() && chars[at].is_whitespace() {
                at += 1;
            }
            if at < chars.len() && is_quote(chars[at]) {
                at += 1;
                read_quoted(&mut at)
            } else {
                let start = at;
                while at < chars.len() && !chars[at].is_whitespace() && !is_quote(chars[at]) {
                    at += 1;
                }
                chars[start..at].iter().collect()
            }
        } else if (rest.starts_with('[') || rest.starts_with('{'))
            && !rest.contains(']')
            && !rest.contains('}')
        {
            // A range with spaces: read on to its closing bracket.
            let more_start = at;
            while at < chars.len() && chars[at] != ']' && chars[at] != '}' {
                at += 1;
            }
            let more: String = chars[more_start..at.min(chars.len())].iter().collect();
            // The closing bracket as typed: `}` excludes the end.
            let close = if chars.get(at) == Some(&'}') {
                '}'
            } else {
                ']'
            };
            at += 1;
            format!("{rest}{more}{close}")
        } else {
            rest.to_string()
        };
        let value = value.trim().to_string();
        match field_atom(name, &value) {
            Ok(_) if heading => {
                at = after_word;
                notices.push(Notice::Heading {
                    name: typed_name.clone(),
                    field: name,
                });
                push_words(&mut tokens, &typed_name);
                push_words(&mut tokens, rest);
            }
            Ok(_) => tokens.push(Token::Field { name, value }),
            Err(why) => {
                // Not a field after all: the words are searched as typed.
                at = after_word;
                notices.push(Notice::FieldNotRead {
                    name: typed_name.clone(),
                    why,
                });
                // `Nam:trống` is two words, as `Nam: trống` is.
                push_words(&mut tokens, &typed_name);
                push_words(&mut tokens, rest);
            }
        }
    }
    // An operator word beside a word in capitals (part of a title pasted in capitals: `KHÔNG
    // GIAN văn hoá`) is the word itself; one that joins nothing is left out with a notice.
    let in_capitals = |token: &Token| match token {
        Token::Text { text, .. } => {
            text.chars().any(char::is_uppercase) && !text.chars().any(char::is_lowercase)
        }
        _ => false,
    };
    let mut read = Vec::with_capacity(tokens.len());
    for n in 0..tokens.len() {
        let before = n > 0 && (tokens[n - 1].is_term() || matches!(tokens[n - 1], Token::Not(_)));
        let after = tokens.get(n + 1).is_some_and(|next| {
            next.is_term() || (matches!(next, Token::Not(_)) && !matches!(tokens[n], Token::Not(_)))
        });
        let beside_capitals =
            (n > 0 && in_capitals(&tokens[n - 1])) || tokens.get(n + 1).is_some_and(in_capitals);
        let (before, after) = (before && !beside_capitals, after && !beside_capitals);
        let token = &tokens[n];
        let operates = match token {
            Token::Or(_) | Token::And(_) => before && after,
            Token::Not(_) => after,
            _ => true,
        };
        if operates {
            if let Some(word) = token.operator_word() {
                let notice = operator_notice(token, word);
                if !notices.contains(&notice) {
                    notices.push(notice);
                }
            }
            read.push(token.clone());
        } else if let Some(word) = token.operator_word()
            && beside_capitals
        {
            read.push(Token::Text {
                text: word.to_string(),
                phrase: false,
            });
        } else if let Some(word) = token.operator_word() {
            // All six operator words alike: one that joins nothing is left out, and said so
            // (searched, `OR` would find nothing and zero the query: break-12 finding 4).
            let notice = Notice::OperatorLeftOut {
                word: word.to_string(),
            };
            if !notices.contains(&notice) {
                notices.push(notice);
            }
        } else if let Token::Or(word) | Token::And(word) = token
            && !word.is_empty()
        {
            read.push(Token::Text {
                text: word.clone(),
                phrase: false,
            });
        }
    }
    (read, notices)
}

/// Pushes `text` as a word token, unless it is empty.
fn push_words(tokens: &mut Vec<Token>, text: &str) {
    if !text.is_empty() {
        tokens.push(Token::Text {
            text: text.to_string(),
            phrase: false,
        });
    }
}

/// The field names visitors may type, in English, for notices: `village, craft, …`.
pub fn field_names() -> String {
    let mut names: Vec<&str> = FIELDS
        .iter()
        .filter(|(typed, field)| typed == field)
        .map(|(typed, _)| *typed)
        .collect();
    names.dedup();
    names.join(", ")
}

/// What the visitor is told when `word` was read as the operator `token`.
fn operator_notice(token: &Token, word: &str) -> Notice {
    let operator = match token {
        Token::Or(_) => Operator::Or,
        Token::Not(_) => Operator::Not,
        _ => Operator::And,
    };
    Notice::OperatorRead {
        word: word.to_string(),
        operator,
    }
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„')
}

/// The atom of a `field:value` pair, or why the value means nothing.
fn field_atom(field: &'static str, value: &str) -> Result<Atom, FieldProblem> {
    if value.is_empty() {
        return Err(FieldProblem::NoValue { field });
    }
    match field {
        "village" => Ok(Atom::Village(value.to_string())),
        "craft" => Ok(Atom::Craft(value.to_string())),
        "district" => Ok(Atom::District(value.to_string())),
        "title" => Ok(Atom::Text {
            text: value.to_string(),
            phrase: true,
            scope: Scope::Title,
            english: false,
        }),
        "kind" => value
            .parse::<Kind>()
            .map(Atom::Kind)
            .map_err(|_| FieldProblem::UnknownKind {
                value: value.to_string(),
            }),
        "status" => {
            value
                .parse::<RiskStatus>()
                .map(Atom::Status)
                .map_err(|_| FieldProblem::UnknownStatus {
                    value: value.to_string(),
                })
        }
        "date" => date_range(value).ok_or_else(|| FieldProblem::BadDate {
            value: value.to_string(),
        }),
        "artisan" => Ok(Atom::Artisan(value.to_string())),
        "product" => Ok(Atom::Product(value.to_string())),
        "province" => Ok(Atom::Province(value.to_string())),
        "commune" => Ok(Atom::Commune(value.to_string())),
        "stars" => stars_range(value)
            .map(|(from, to)| Atom::Stars { from, to })
            .ok_or_else(|| FieldProblem::BadStars {
                value: value.to_string(),
            }),
        _ => unreachable!("FIELDS maps only to the fields handled here"),
    }
}

/// Reads OCOP stars (1 to 5): `4`, `>=3`, `>3`, `<=4`, `<4`, `3-5`, `[3 TO 5]`, `4+`; `None`
/// for anything else, or a range holding no star count from 1 to 5.
fn stars_range(value: &str) -> Option<(u8, u8)> {
    let value: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    let value = value.to_lowercase();
    let number = |text: &str| -> Option<u8> {
        let text = text.trim_end_matches(['*', '★']);
        text.parse::<u8>().ok().filter(|n| (1..=5).contains(n))
    };
    let (from, to) = if let Some(rest) = value.strip_prefix(">=").or(value.strip_prefix("≥")) {
        (number(rest)?, 5)
    } else if let Some(rest) = value.strip_prefix('>') {
        (number(rest)?.checked_add(1)?, 5)
    } else if let Some(rest) = value.strip_prefix("<=").or(value.strip_prefix("≤")) {
        (1, number(rest)?)
    } else if let Some(rest) = value.strip_prefix('<') {
        (1, number(rest)?.checked_sub(1)?)
    } else if let Some(rest) = value.strip_suffix('+') {
        (number(rest)?, 5)
    } else if let Some(inner) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
        let (from, to) = inner.split_once("to")?;
        (number(from)?, number(to)?)
    } else if let Some((from, to)) = value.split_once('-') {
        (number(from)?, number(to)?)
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
fn date_range(value: &str) -> Option<Atom> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn text(text: &str, phrase: bool) -> Atom {
        Atom::Text {
            text: text.into(),
            phrase,
            scope: Scope::Everywhere,
            english: false,
        }
    }

    fn clause(negated: bool, alternatives: Vec<Atom>) -> Clause {
        Clause {
            negated,
            alternatives,
        }
    }

    #[test]
    fn words_past_the_budget_are_dropped_with_a_notice() {
        let words: Vec<String> = (0..40).map(|n| format!("w{n}")).collect();
        let parsed = parse(&words.join(" "));
        assert_eq!(parsed.clauses.len(), MAX_QUERY_WORDS);
        assert_eq!(
            parsed.clauses.last().unwrap().alternatives,
            [text("w31", false)]
        );
        assert_eq!(parsed.notices, [Notice::WordsCut { max: 32 }]);
        // One token made of many words (a phrase, or words joined by hyphens) is cut too.
        let joined = format!("\"{}\" x-y", words.join("-"));
        let parsed = parse(&joined);
        assert_eq!(parsed.clauses.len(), 1);
        let Atom::Text { text: kept, .. } = &parsed.clauses[0].alternatives[0] else {
            panic!("{parsed:?}")
        };
        assert_eq!(words_in(kept), MAX_QUERY_WORDS);
        assert!(kept.ends_with("w31"), "{kept}");
        assert_eq!(parsed.notices.len(), 1);
        assert!(parse("a b c").notices.is_empty());
    }

    #[test]
    fn words_are_anded_and_phrases_kept_whole() {
        let parsed = parse("trống \"làng nghề\" đồng");
        assert_eq!(
            parsed.clauses,
            [
                clause(false, vec![text("trống", false)]),
                clause(false, vec![text("làng nghề", true)]),
                clause(false, vec![text("đồng", false)]),
            ]
        );
        assert!(parsed.notices.is_empty());
    }

    #[test]
    fn or_joins_and_not_excludes() {
        let parsed = parse("lụa OR gấm -thêu NOT đồng -kind:film");
        assert_eq!(
            parsed.clauses,
            [
                clause(false, vec![text("lụa", false), text("gấm", false)]),
                clause(true, vec![text("thêu", false)]),
                clause(true, vec![text("đồng", false)]),
                clause(true, vec![Atom::Kind(Kind::Film)]),
            ]
        );
        // A leading OR is left out (with a notice); a lone dash is text, not an operator.
        assert_eq!(
            parse("OR lụa -").clauses,
            [
                clause(false, vec![text("lụa", false)]),
                clause(false, vec![text("-", false)])
            ]
        );
    }

    #[test]
    fn fields_in_english_and_vietnamese() {
        let parsed = parse("village:\"Nha Xá\" kind: film làng:doi-tam nghề:det-lua title:trống");
        assert_eq!(
            parsed.clauses,
            [
                clause(false, vec![Atom::Village("Nha Xá".into())]),
                clause(false, vec![Atom::Kind(Kind::Film)]),
                clause(false, vec![Atom::Village("doi-tam".into())]),
                clause(false, vec![Atom::Craft("det-lua".into())]),
                clause(
                    false,
                    vec![Atom::Text {
                        text: "trống".into(),
                        phrase: true,
                        scope: Scope::Title,
                        english: false,
                    }]
                ),
            ]
        );
        // Not a known field: searched as text.
        assert_eq!(
            parse("10:30").clauses,
            [clause(false, vec![text("10:30", false)])]
        );
    }

    #[test]
    fn exclusive_range_ends_and_decades_in_s_are_read() {
        // Regression (break-12 finding 10).
        let range = |q: &str| parse(q).clauses[0].alternatives[0].clone();
        let date = |from, to| Atom::Date { from, to };
        assert_eq!(
            range("date:[1990 TO 2000}"),
            date(Some(19900101), Some(20000100))
        );
        assert_eq!(
            range("date:{1989 TO 1999]"),
            date(Some(19891232), Some(19991231))
        );
        for decade in ["date:1990s", "date:1990's", "năm:1990S"] {
            assert_eq!(
                range(decade),
                date(Some(19900101), Some(19991231)),
                "{decade}"
            );
        }
        assert_eq!(range("date:199X"), range("date:1990s"));
    }

    #[test]
    fn date_ranges() {
        let range = |q: &str| parse(q).clauses.first().map(|c| c.alternatives[0].clone());
        let date = |from, to| Some(Atom::Date { from, to });
        assert_eq!(
            range("date:[1990 TO 1999]"),
            date(Some(19900101), Some(19991231))
        );
        assert_eq!(range("date:199X"), date(Some(19900101), Some(19991231)));
        assert_eq!(range("date:1995-03"), date(Some(19950301), Some(19950331)));
        assert_eq!(range("năm:[1990 TO *]"), date(Some(19900101), None));
        assert_eq!(
            range("date:1990/1999"),
            date(Some(19900101), Some(19991231))
        );
        // A value that does not parse leaves the words to be searched as typed, and says so.
        let bad = parse("date:[1999 TO 1990] kind:flim lụa");
        assert_eq!(
            bad.clauses,
            [
                clause(false, vec![text("date", false)]),
                clause(false, vec![text("[1999", false)]),
                clause(false, vec![text("TO", false)]),
                clause(false, vec![text("1990]", false)]),
                clause(false, vec![text("kind", false)]),
                clause(false, vec![text("flim", false)]),
                clause(false, vec![text("lụa", false)]),
            ]
        );
        assert_eq!(bad.notices.len(), 2);
        assert_eq!(
            bad.notices[1],
            Notice::FieldNotRead {
                name: "kind".into(),
                why: FieldProblem::UnknownKind {
                    value: "flim".into()
                }
            }
        );
    }

    #[test]
    fn vocabulary_fields_are_read_in_both_languages() {
        let atoms = |q: &str| -> Vec<Atom> {
            let parsed = parse(q);
            assert!(parsed.notices.is_empty(), "{q}: {:?}", parsed.notices);
            parsed
                .clauses
                .into_iter()
                .flat_map(|c| c.alternatives)
                .collect()
        };
        assert_eq!(
            atoms(r#"artisan:"Nghệ nhân thử 1" nghệ-nhân:nghe-nhan-thu-1"#),
            [
                Atom::Artisan("Nghệ nhân thử 1".into()),
                Atom::Artisan("nghe-nhan-thu-1".into())
            ]
        );
        assert_eq!(
            atoms(r#"product:"trống thử" sản-phẩm:trong-thu tỉnh:"Hà Nam" province:"Ninh Bình""#),
            [
                Atom::Product("trống thử".into()),
                Atom::Product("trong-thu".into()),
                Atom::Province("Hà Nam".into()),
                Atom::Province("Ninh Bình".into())
            ]
        );
        // The commune, by its English or Vietnamese name, with or without diacritics, NFC or NFD.
        assert_eq!(
            atoms("commune:\"Chuyên Ngoại\" xã:chuyen-ngoai xa:\"Xã thử mới\" xa\u{0303}:Mộc"),
            [
                Atom::Commune("Chuyên Ngoại".into()),
                Atom::Commune("chuyen-ngoai".into()),
                Atom::Commune("Xã thử mới".into()),
                Atom::Commune("Mộc".into())
            ]
        );
        let stars = |from, to| Atom::Stars { from, to };
        for (typed, from, to) in [
            ("stars:4", 4, 4),
            ("sao:3", 3, 3),
            ("stars:>=3", 3, 5),
            ("stars:>3", 4, 5),
            ("stars:<=2", 1, 2),
            ("stars:<2", 1, 1),
            ("stars:3-5", 3, 5),
            ("stars:4+", 4, 5),
            ("stars:[3 TO 4]", 3, 4),
            ("stars:5★", 5, 5),
        ] {
            assert_eq!(atoms(typed), [stars(from, to)], "{typed}");
        }
        for bad in [
            "stars:0",
            "stars:6",
            "stars:>5",
            "stars:<1",
            "stars:4-2",
            "stars:many",
        ] {
            let parsed = parse(bad);
            let value = bad.trim_start_matches("stars:").to_string();
            assert_eq!(
                parsed.notices,
                [Notice::FieldNotRead {
                    name: "stars".into(),
                    why: FieldProblem::BadStars { value }
                }],
                "{bad}"
            );
        }
        // An NFD value is read as NFC.
        assert_eq!(
            atoms("artisan:\"Nghe\u{0323}\u{0302} nha\u{0302}n\""),
            [Atom::Artisan("Nghệ nhân".into())]
        );
    }

    #[test]
    fn nfd_input_is_read_as_nfc() {
        assert_eq!(
            parse("village:\"Nha Xa\u{0301}\"").clauses,
            [clause(false, vec![Atom::Village("Nha Xá".into())])]
        );
    }

    /// Case search-colon-field: `Hà Nam: trống` is three words (`năm:` wants a date).
    #[test]
    fn a_field_name_whose_value_does_not_parse_is_a_word() {
        let parsed = parse("Hà Nam: trống");
        assert_eq!(
            parsed.clauses,
            [
                clause(false, vec![text("Hà", false)]),
                clause(false, vec![text("Nam", false)]),
                clause(false, vec![text("trống", false)]),
            ]
        );
        assert_eq!(
            parsed.notices,
            [Notice::FieldNotRead {
                name: "Nam".into(),
                why: FieldProblem::BadDate {
                    value: "trống".into()
                }
            }]
        );
        // Whatever the field and however it is written.
        for (typed, words) in [
            ("Loại: gốm", vec!["Loại", "gốm"]),
            ("kind:pottery bát", vec!["kind", "pottery", "bát"]),
            ("Hà Nam:trống", vec!["Hà", "Nam", "trống"]),
            ("hà nam:trong", vec!["hà", "nam", "trong"]),
            ("Hà Nam: 1995", vec!["Hà", "Nam", "1995"]),
            ("Hà Nam:1995", vec!["Hà", "Nam", "1995"]),
            ("type:document", vec!["type", "document"]),
            ("Status: đẹp", vec!["Status", "đẹp"]),
            ("chương năm: \"một\"", vec!["chương", "năm", "một"]),
            ("làng nghề year:", vec!["làng", "nghề", "year"]),
        ] {
            let parsed = parse(typed);
            let searched: Vec<&str> = parsed
                .clauses
                .iter()
                .map(|c| match &c.alternatives[0] {
                    Atom::Text { text, .. } => text.as_str(),
                    other => panic!("{typed}: {other:?}"),
                })
                .collect();
            assert_eq!(searched, words, "{typed}");
            assert_eq!(parsed.notices.len(), 1, "{typed}");
        }
        // The notices name the field as typed (web::notices words them).
        assert_eq!(
            parse("Hà Nam: 1995").notices,
            [Notice::Heading {
                name: "Nam".into(),
                field: "date"
            }]
        );
        assert_eq!(
            parse("type:document").notices,
            [Notice::NotAField {
                name: "type".into()
            }]
        );
        assert_eq!(
            field_names(),
            "village, craft, district, kind, date, title, status, artisan, product, stars, province, commune"
        );
        assert!(parse("Hà Nội: 1995").notices.is_empty());
        assert_eq!(
            parse("kind: trống").notices,
            [Notice::FieldNotRead {
                name: "kind".into(),
                why: FieldProblem::UnknownKind {
                    value: "trống".into()
                }
            }]
        );
        assert_eq!(
            parse("làng nghề year:").notices,
            [Notice::FieldNotRead {
                name: "year".into(),
                why: FieldProblem::NoValue { field: "date" }
            }]
        );
        // A value that parses is still a field.
        assert_eq!(
            parse("Năm: 1995").clauses,
            [clause(
                false,
                vec![Atom::Date {
                    from: Some(19950101),
                    to: Some(19951231)
                }]
            )]
        );
    }

    /// Case search-caps-operators: a title pasted in capitals is text.
    #[test]
    fn operator_words_in_a_query_in_capitals_are_text() {
        let parsed = parse("KHÔNG GIAN VĂN HOÁ CỒNG CHIÊNG");
        let words = ["KHÔNG", "GIAN", "VĂN", "HOÁ", "CỒNG", "CHIÊNG"];
        let expected: Vec<Clause> = words
            .iter()
            .map(|w| clause(false, vec![text(w, false)]))
            .collect();
        assert_eq!(parsed.clauses, expected);
        assert!(parsed.notices.is_empty());
        for typed in [
            "TRỐNG VÀ CHIÊNG",
            "GỐM HOẶC SỨ",
            "WEAVING AND DYEING",
            "NOT FOR SALE",
            "SILK OR COTTON",
        ] {
            let parsed = parse(typed);
            assert_eq!(parsed.clauses.len(), 3, "{typed}");
            assert!(parsed.clauses.iter().all(|c| !c.negated), "{typed}");
            assert!(parsed.notices.is_empty(), "{typed}");
        }
    }

    #[test]
    fn operator_words_read_as_operators_are_announced_in_both_languages() {
        let parsed = parse("trống KHÔNG đồng");
        assert_eq!(
            parsed.clauses,
            [
                clause(false, vec![text("trống", false)]),
                clause(true, vec![text("đồng", false)]),
            ]
        );
        assert_eq!(
            parsed.notices,
            [Notice::OperatorRead {
                word: "KHÔNG".into(),
                operator: Operator::Not
            }]
        );
        let parsed = parse("gốm HOẶC sứ VÀ men");
        assert_eq!(parsed.clauses.len(), 2);
        assert_eq!(
            parsed.notices,
            [
                Notice::OperatorRead {
                    word: "HOẶC".into(),
                    operator: Operator::Or
                },
                Notice::OperatorRead {
                    word: "VÀ".into(),
                    operator: Operator::And
                }
            ]
        );
        // Where an operator joins nothing, each of the six words is left out, and said so.
        for (typed, word) in [
            ("trống KHÔNG", "KHÔNG"),
            ("HOẶC trống", "HOẶC"),
            ("trống OR", "OR"),
            ("AND lụa", "AND"),
            ("chiêng VÀ", "VÀ"),
            ("gian NOT", "NOT"),
            ("gian OR OR chiêng", "OR"),
        ] {
            let parsed = parse(typed);
            assert_eq!(
                parsed.clauses.len(),
                typed.split_whitespace().filter(|w| *w != word).count(),
                "{typed}"
            );
            assert!(parsed.clauses.iter().all(|c| !c.negated), "{typed}");
            assert_eq!(
                parsed.notices,
                [Notice::OperatorLeftOut { word: word.into() }],
                "{typed}"
            );
        }
        // In a run of capitals, it is the word.
        for typed in ["KHÔNG GIAN văn", "văn HOÁ VÀ", "lụa OR GẤM"] {
            let parsed = parse(typed);
            assert_eq!(
                parsed.clauses.len(),
                typed.split_whitespace().count(),
                "{typed}"
            );
            assert!(parsed.notices.is_empty(), "{typed}");
        }
        // Symbols are operators without a notice.
        assert!(parse("lụa | gấm -đồng").notices.is_empty());
    }
}
