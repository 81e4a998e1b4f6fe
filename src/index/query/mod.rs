//! The query language visitors type into the search box, parsed into clauses the index runs.
//!
//! Words are ANDed; `"…"` is a phrase; `OR` joins alternatives; `-word` or `NOT word` excludes;
//! `field:value` narrows by a field (`village:"Nha Xá"`, `kind:film`, `craft:det-lua`,
//! `date:[1990 TO 1999]`, `title:trống`), and by the vocabulary of issue 14: `artisan:` (id or
//! name), `product:`, `stars:4` (or `>=3`, `3..5`, `[3 TO *]`), `province:"Ninh Bình"` and
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
//! - a field value with no word in it that does not read (`stars:..`, `date:{2026 TO 2026}`,
//!   `stars:` alone) finds nothing, saying why, and is never searched as words;
//! - every such reading, and every value dropped, is a [`Notice`], which the site words in both
//!   languages.
//!
//! This module owns what a parsed query is ([`ParsedQuery`], [`Clause`], [`Atom`]) and the
//! parse itself: the word budget and how tokens become clauses. Its parts: `lexer` splits the
//! input into tokens (operators, words, phrases, `field:value`), `fields` names the fields and
//! reads their values into atoms, `values` reads dates and OCOP stars, `notices` is what the
//! visitor is told (re-exported here), `place_kinds` reads the kind words of an address
//! ("xã Tiên Sơn") as optional for the place they precede.

mod fields;
mod lexer;
mod notices;
mod place_kinds;
#[cfg(test)]
mod tests;
mod values;

pub use fields::field_names;
pub use notices::{FieldProblem, Notice, Operator, PlaceField};
pub use place_kinds::{KINDS, is_place_kind, read_place_kinds};
pub use values::day_number;

use crate::model::text::search_form;
use crate::model::{Kind, RiskStatus};
use fields::field_atom;
use lexer::{Token, tokens};

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
    /// (`stars:4`, `stars:>=3`, `stars:3..5`, `stars:[3 TO *]`; issue 14). `{0, 0}` for counts no
    /// OCOP rating has (`stars:0`, `stars:6`), which match nothing ([`Notice::NoSuchStars`]).
    Stars {
        /// The fewest stars.
        from: u8,
        /// The most stars.
        to: u8,
    },
    /// `date:` — records whose date range overlaps this one, as `yyyymmdd` numbers, inclusive;
    /// both `None` (`date:[* TO *]`): every dated record.
    Date {
        /// The earliest day, if bounded.
        from: Option<i64>,
        /// The latest day, if bounded.
        to: Option<i64>,
    },
    /// A field whose value does not read as that field's and holds no word to search
    /// (`stars:..`, `stars:>-1`, `date:{2026 TO 2026}`, `stars:` alone): it matches nothing,
    /// and [`Notice::FieldFindsNothing`] says why. Such a query is never searched as words nor
    /// close spellings (issue 15's break round: it fell back to fuzzy word hits).
    Nothing,
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
                Ok(atom) => {
                    if atom == (Atom::Stars { from: 0, to: 0 }) {
                        parsed.notices.push(Notice::NoSuchStars { value });
                    }
                    push(&mut parsed, atom, negate_next, join_next);
                }
                Err(why) => {
                    // A value the lexer kept as a field that does not read: it finds nothing
                    // (negated, it excludes nothing, so it is left out).
                    if !negate_next {
                        push(&mut parsed, Atom::Nothing, false, join_next);
                    }
                    parsed.notices.push(Notice::FieldFindsNothing {
                        name: name.to_string(),
                        why,
                    });
                }
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
