//! The queries of the search benchmark, drawn from the generated collection so that they are
//! what visitors would type: words and phrases that occur in it (commonest most often), with and
//! without diacritics, narrowed by a facet, or mistyped; a record's identifier as cited; words
//! typed with a Vietnamese input method switched off (Telex, VNI).
//!
//! The same list of queries goes to Disan (in process and over HTTP) and to PostgreSQL.

use std::collections::{HashMap, HashSet};

use disan::model::Access;
use disan::model::text::fold;

use crate::synthetic::{self, Collection, Rng, Zipf};

/// A class of queries, timed separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// One or two words (all must match).
    Term,
    /// A quoted phrase.
    Phrase,
    /// A word narrowed by village, kind or decade.
    Facet,
    /// A mistyped word that occurs nowhere in the collection.
    Typo,
    /// The beginning of a title as typed into the search box, the last word unfinished.
    Suggest,
    /// A record's identifier as a researcher cites it (in capitals half the time).
    Identifier,
    /// One or two words of a record typed with a Vietnamese input method switched off: Telex
    /// (`deejt luaj`) or VNI (`de65t lu5a`) keys for `dệt lụa`.
    Telex,
}

impl Class {
    /// Every class, in the order printed.
    pub const ALL: [Class; 7] = [
        Class::Term,
        Class::Phrase,
        Class::Facet,
        Class::Typo,
        Class::Suggest,
        Class::Identifier,
        Class::Telex,
    ];

    /// The name printed.
    pub fn name(self) -> &'static str {
        match self {
            Class::Term => "term",
            Class::Phrase => "phrase",
            Class::Facet => "facet",
            Class::Typo => "typo",
            Class::Suggest => "suggest",
            Class::Identifier => "identifier",
            Class::Telex => "telex/vni",
        }
    }
}

/// What a facet query narrows by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Filter {
    /// A village id.
    Village(String),
    /// A kind keyword.
    Kind(String),
    /// A decade, such as 1990.
    Decade(i32),
}

/// One query.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Query {
    /// The words, without quotes.
    pub words: String,
    /// Whether the words are a phrase.
    pub phrase: bool,
    /// The facet narrowing the query.
    pub filter: Option<Filter>,
}

impl Query {
    /// What the visitor types into Disan's search box.
    pub fn text(&self) -> String {
        if self.phrase {
            format!("\"{}\"", self.words)
        } else {
            self.words.clone()
        }
    }
}

/// The queries of one class.
pub struct QuerySet {
    /// The class.
    pub class: Class,
    /// Distinct queries.
    pub queries: Vec<Query>,
}

/// The words of a text, lowercased, split at anything that is not a letter or digit.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The runs of words between punctuation, lowercased (phrases never span a full stop).
fn clauses(text: &str) -> Vec<Vec<String>> {
    text.split(['.', ','])
        .map(words)
        .filter(|c| !c.is_empty())
        .collect()
}

/// `per_class` distinct queries of each class.
pub fn generate(collection: &Collection, per_class: usize, seed: u64) -> Vec<QuerySet> {
    let mut rng = Rng::new(seed);
    let public: Vec<usize> = (0..collection.records.len())
        .filter(|&i| collection.records[i].access == Access::Public)
        .collect();
    assert!(!public.is_empty(), "the collection has no public record");
    // Every folded word anywhere a search could look, so that typos are really absent.
    let mut folded: HashSet<String> = HashSet::new();
    let mut counts: HashMap<String, u32> = HashMap::new();
    for record in &collection.records {
        for values in record.dc.values() {
            for value in values {
                for word in words(&value.value) {
                    folded.insert(fold(&word));
                    *counts.entry(word).or_default() += 1;
                }
            }
        }
    }
    for authority in collection.villages.iter().chain(&collection.crafts) {
        for word in words(&authority.name)
            .into_iter()
            .chain(words(&authority.name_en))
        {
            folded.insert(fold(&word));
        }
    }
    // The fifth of the vocabulary seen least often.
    let mut by_count: Vec<(u32, &String)> = counts
        .iter()
        .filter(|(w, _)| w.chars().count() > 1)
        .map(|(w, &n)| (n, w))
        .collect();
    by_count.sort();
    let rare: Vec<&String> = by_count
        .iter()
        .take(by_count.len().div_ceil(5))
        .map(|&(_, w)| w)
        .collect();
    let description =
        |i: usize, lang: disan::model::Lang| collection.records[i].dc_value("description", lang);
    let phrase_zipf = Zipf::new(collection.craft_phrases.len(), 0.9);
    let word_zipf = Zipf::new(collection.craft_words.len(), 0.9);
    let village_zipf = Zipf::new(collection.villages.len(), 0.8);

    let mut sets = Vec::new();
    for class in Class::ALL {
        let mut seen = HashSet::new();
        let mut queries = Vec::new();
        let mut attempts = 0;
        while queries.len() < per_class && attempts < per_class * 1000 {
            attempts += 1;
            let record = *rng.pick(&public);
            let vietnamese = description(record, disan::model::Lang::Vi).unwrap_or_default();
            let text_words = words(vietnamese);
            if text_words.is_empty() {
                continue;
            }
            let maybe_fold = |rng: &mut Rng, text: String| {
                if rng.chance(0.5) { fold(&text) } else { text }
            };
            let query =
                match class {
                    Class::Term => {
                        let u = rng.unit();
                        let words = if u < 0.4 {
                            let word = rng.pick(&text_words).clone();
                            maybe_fold(&mut rng, word)
                        } else if u < 0.6 {
                            let word = rng.pick(&rare).to_string();
                            maybe_fold(&mut rng, word)
                        } else if u < 0.85 {
                            let at = rng.below(text_words.len().saturating_sub(1).max(1));
                            let pair = text_words[at..(at + 2).min(text_words.len())].join(" ");
                            maybe_fold(&mut rng, pair)
                        } else {
                            let Some(english) = description(record, disan::model::Lang::En) else {
                                continue;
                            };
                            let candidates: Vec<String> = words(english)
                                .into_iter()
                                .filter(|w| w.len() >= 4)
                                .collect();
                            if candidates.is_empty() {
                                continue;
                            }
                            rng.pick(&candidates).clone()
                        };
                        Query {
                            words,
                            phrase: false,
                            filter: None,
                        }
                    }
                    Class::Phrase => {
                        let words = if rng.chance(0.5) {
                            collection.craft_phrases[phrase_zipf.sample(&mut rng)].to_string()
                        } else {
                            let clauses: Vec<Vec<String>> = clauses(vietnamese)
                                .into_iter()
                                .filter(|c| c.len() >= 3)
                                .collect();
                            if clauses.is_empty() {
                                continue;
                            }
                            let clause = rng.pick(&clauses);
                            let length = rng.between(2, 3);
                            let at = rng.below(clause.len() - length + 1);
                            clause[at..at + length].join(" ")
                        };
                        Query {
                            words: maybe_fold(&mut rng, words),
                            phrase: true,
                            filter: None,
                        }
                    }
                    Class::Facet => {
                        let record_ref = &collection.records[record];
                        let filter = match rng.below(10) {
                            0..4 => record_ref
                                .village
                                .as_ref()
                                .map(|v| Filter::Village(v.to_string())),
                            4..7 => Some(Filter::Kind(record_ref.kind.to_string())),
                            _ => synthetic::decade(record_ref).map(Filter::Decade),
                        };
                        let Some(filter) = filter else { continue };
                        let word = rng.pick(&text_words).clone();
                        let words = maybe_fold(&mut rng, word);
                        Query {
                            words,
                            phrase: false,
                            filter: Some(filter),
                        }
                    }
                    Class::Typo => {
                        let source = match rng.below(10) {
                            0..4 => collection.craft_words[word_zipf.sample(&mut rng)].to_string(),
                            4..7 => collection.villages[village_zipf.sample(&mut rng)]
                                .name
                                .clone(),
                            _ => rng.pick(&text_words).clone(),
                        };
                        let source = maybe_fold(&mut rng, source);
                        let Some(words) = mistype(&mut rng, &source, &folded) else {
                            continue;
                        };
                        Query {
                            words,
                            phrase: false,
                            filter: None,
                        }
                    }
                    Class::Suggest => {
                        // One to three words of a title, from anywhere in it, the last one cut short.
                        let title = words(collection.records[record].title(disan::model::Lang::Vi));
                        let length = rng.between(1, 3).min(title.len());
                        let at = rng.below(title.len() - length + 1);
                        let mut typed = title[at..at + length].to_vec();
                        let last: Vec<char> = typed[length - 1].chars().collect();
                        let keep = rng.between(1, last.len());
                        typed[length - 1] = last[..keep].iter().collect();
                        let typed = typed.join(" ");
                        Query {
                            words: maybe_fold(&mut rng, typed),
                            phrase: false,
                            filter: None,
                        }
                    }
                    Class::Identifier => {
                        let id = collection.records[record].id.to_string();
                        Query {
                            words: if rng.chance(0.5) {
                                id.to_uppercase()
                            } else {
                                id
                            },
                            phrase: false,
                            filter: None,
                        }
                    }
                    Class::Telex => {
                        let at = rng.below(text_words.len().saturating_sub(1).max(1));
                        let length = if rng.chance(0.5) { 1 } else { 2 };
                        let meant = &text_words[at..(at + length).min(text_words.len())];
                        let vni = rng.chance(0.3);
                        let typed: Vec<String> = meant.iter().map(|word| keys(word, vni)).collect();
                        if typed.iter().zip(meant).all(|(typed, meant)| typed == meant) {
                            continue;
                        }
                        // Only keys Disan reads back as the word meant.
                        let read = |typed: &String| {
                            use disan::model::text::input_method::{from_telex, from_vni};
                            if vni {
                                from_vni(typed)
                            } else {
                                from_telex(typed)
                            }
                        };
                        if typed.iter().zip(meant).any(|(typed, meant)| {
                            typed != meant && read(typed).as_ref() != Some(meant)
                        }) {
                            continue;
                        }
                        Query {
                            words: typed.join(" "),
                            phrase: false,
                            filter: None,
                        }
                    }
                };
            if query.words.trim().is_empty() {
                continue;
            }
            if seen.insert(query.clone()) {
                queries.push(query);
            }
        }
        sets.push(QuerySet { class, queries });
    }
    sets
}

/// `text` with one of its words of three or more letters mistyped (a letter doubled, changed,
/// dropped or swapped with the next) into a word that occurs nowhere in the collection.
fn mistype(rng: &mut Rng, text: &str, known: &HashSet<String>) -> Option<String> {
    let mut words: Vec<String> = text.split(' ').map(str::to_string).collect();
    let long: Vec<usize> = (0..words.len())
        .filter(|&i| words[i].chars().count() >= 3)
        .collect();
    if long.is_empty() {
        return None;
    }
    let at = *rng.pick(&long);
    let mut chars: Vec<char> = words[at].chars().collect();
    let i = rng.below(chars.len());
    match rng.below(4) {
        0 => chars.insert(i, chars[i]),
        1 => chars[i] = (b'a' + rng.below(26) as u8) as char,
        2 if chars.len() >= 4 => {
            chars.remove(i);
        }
        _ if i + 1 < chars.len() => chars.swap(i, i + 1),
        _ => chars.push(chars[i]),
    }
    let typo: String = chars.into_iter().collect();
    if known.contains(&fold(&typo)) {
        return None;
    }
    words[at] = typo;
    Some(words.join(" "))
}

/// The keys that type `word` with Telex (`dệt` → `deejt`) or VNI (`dệt` → `de65t`): vowel marks
/// after their letter, the tone key at the end of the word, as most typists of either do.
pub fn keys(word: &str, vni: bool) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut typed = String::with_capacity(word.len() * 2);
    let mut tone = None;
    for c in word.nfd() {
        let mark = match c {
            '\u{301}' => Some(("s", "1")),
            '\u{300}' => Some(("f", "2")),
            '\u{309}' => Some(("r", "3")),
            '\u{303}' => Some(("x", "4")),
            '\u{323}' => Some(("j", "5")),
            _ => None,
        };
        if let Some((telex, digit)) = mark {
            tone = Some(if vni { digit } else { telex });
            continue;
        }
        let last = typed.chars().last().unwrap_or(' ');
        match c {
            '\u{302}' if vni => typed.push('6'),
            '\u{302}' => typed.push(last),
            '\u{306}' | '\u{31b}' => typed.push_str(if vni {
                if c == '\u{306}' { "8" } else { "7" }
            } else {
                "w"
            }),
            'đ' => typed.push_str(if vni { "d9" } else { "dd" }),
            other => typed.push(other),
        }
    }
    typed.extend(tone);
    typed
}
