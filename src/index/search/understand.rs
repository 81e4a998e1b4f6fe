//! Reading a query as the visitor meant it before it is run: an identifier holding spaces is
//! searched whole; words typed with a Vietnamese input
//! method switched off (Telex `deejt luaj`, VNI `de65t lu5a`) and tones typed on the wrong vowel
//! of a syllable (`vịêt`) are read as the Vietnamese word (`dệt lụa`, `việt`), and the visitor
//! is told which query the results are for, in both languages.
//!
//! A word is read through an input method only when, as typed, no public record holds it and
//! some public record holds the Vietnamese word it gives, with its diacritics: `lats` stays `lats` in an archive that
//! has it. Tones are moved for every word (the analysis does so in the index too); the notice
//! is given only where the tone stood on a vowel no convention puts it on (`hoà` and `hòa` are
//! both correct).

use super::statistics::any_match;
use super::*;
use crate::index::query::{Clause, ParsedQuery};
use crate::model::text::input_method::{from_telex, from_vni};
use crate::model::text::{standard_tone_placement, tone_misplaced};

impl SearchIndex {
    /// `parsed` with input-method leftovers and misplaced tones read as Vietnamese, and a notice
    /// naming the query searched when any word was.
    pub fn understand(&self, searcher: &Searcher, mut parsed: ParsedQuery) -> ParsedQuery {
        // An identifier with spaces ("HN 1995 012") is searched whole, not as words.
        let key = identifier_key(&parsed.typed);
        if key.contains(' ') {
            let identifier = BooleanQuery::new(vec![
                (Occur::Must, self.public()),
                (Occur::Must, self.identifier_query(&key)),
            ]);
            if any_match(searcher, &identifier) {
                parsed.clauses = vec![Clause {
                    negated: false,
                    alternatives: vec![Atom::Text {
                        text: parsed.typed.trim().to_string(),
                        phrase: false,
                        scope: Scope::Everywhere,
                        english: false,
                    }],
                }];
                parsed.notices.clear();
                return parsed;
            }
        }
        let mut changed = false;
        let mut read_words: Vec<String> = Vec::new();
        for clause in &mut parsed.clauses {
            let Clause { alternatives, .. } = clause;
            for atom in alternatives.iter_mut() {
                let Atom::Text { text, .. } = atom else {
                    continue;
                };
                let mut words = Vec::new();
                for word in text.split_whitespace() {
                    // Punctuation around and inside a word ("luaj,", "deejt-luaj") stays.
                    let mut read = String::with_capacity(word.len());
                    let mut rest = word;
                    while !rest.is_empty() {
                        let end = rest
                            .find(|c: char| {
                                c.is_alphanumeric() != rest.starts_with(char::is_alphanumeric)
                            })
                            .unwrap_or(rest.len());
                        let (part, after) = rest.split_at(end);
                        if part.starts_with(char::is_alphanumeric) {
                            read.push_str(&self.read_word(searcher, part));
                        } else {
                            read.push_str(part);
                        }
                        rest = after;
                    }
                    changed |= read != word;
                    words.push(read);
                }
                let read = words.join(" ");
                read_words.push(read.clone());
                *text = read;
            }
        }
        self.mark_english(searcher, &mut parsed);
        if changed {
            let query = read_words.join(" ");
            parsed.notices.push(Notice {
                vi: format!("Hiển thị kết quả cho “{query}”."),
                en: format!("Showing results for “{query}”."),
            });
        }
        parsed
    }

    /// Marks the text atoms of a query typed in English ([`Atom::Text`]'s `english`): every
    /// word of its atoms not excluded is typed without diacritics, and English text holds each
    /// in at least as many records as folded Vietnamese does (by the index's statistics: "mat"
    /// where English mats are as common as "mặt", never "trong" nor "to tam").
    fn mark_english(&self, searcher: &Searcher, parsed: &mut ParsedQuery) {
        let fields = self.fields;
        let statistics = super::statistics::LiveStatistics(searcher);
        let frequency = |field, word: &str| {
            statistics
                .doc_freq(&Term::from_field_text(field, word))
                .unwrap_or(0)
        };
        let mut analyzer = crate::index::analysis::analyzer();
        let mut english = crate::index::analysis::english_analyzer();
        let mut any = false;
        for clause in parsed.clauses.iter().filter(|c| !c.negated) {
            for atom in &clause.alternatives {
                let Atom::Text { text, .. } = atom else {
                    continue;
                };
                let folded = tokens(&mut analyzer, &fold(text));
                if folded != tokens(&mut analyzer, text) {
                    return;
                }
                for (word, stem) in folded.iter().zip(tokens(&mut english, text)) {
                    let in_english = frequency(fields.title_en_stemmed, &stem)
                        .max(frequency(fields.text_en_stemmed, &stem));
                    let in_vietnamese = frequency(fields.title_folded, word)
                        .max(frequency(fields.text_folded, word));
                    if in_english == 0 || in_english < in_vietnamese {
                        return;
                    }
                    any = true;
                }
            }
        }
        if !any {
            return;
        }
        for clause in &mut parsed.clauses {
            for atom in &mut clause.alternatives {
                if let Atom::Text { english, .. } = atom {
                    *english = true;
                }
            }
        }
    }

    /// One word as the visitor meant it (see the module's documentation).
    fn read_word(&self, searcher: &Searcher, word: &str) -> String {
        if tone_misplaced(word) {
            return standard_tone_placement(word).into_owned();
        }
        if !word.is_ascii() || word.len() < 2 {
            return word.to_string();
        }
        let Some(vietnamese) = from_telex(word).or_else(|| from_vni(word)) else {
            return word.to_string();
        };
        if self.holds(searcher, word) || !self.holds_as_written(searcher, &vietnamese) {
            return word.to_string();
        }
        vietnamese
    }

    /// Whether a public record holds `word` with its diacritics, in a title or the text.
    fn holds_as_written(&self, searcher: &Searcher, word: &str) -> bool {
        let exact = tokens(&mut crate::index::analysis::analyzer(), word);
        let fields = self.fields;
        let any: Vec<Box<dyn Query>> = [fields.title, fields.text]
            .into_iter()
            .filter_map(|field| super::clauses::sequence(field, &exact))
            .collect();
        if any.is_empty() {
            return false;
        }
        let query = BooleanQuery::new(vec![
            (Occur::Must, self.public()),
            (Occur::Must, super::clauses::union(any)),
        ]);
        any_match(searcher, &query)
    }

    /// Whether a public record holds `word` in any of the ways a query word is found (folded,
    /// as written, as an English stem, as an identifier).
    fn holds(&self, searcher: &Searcher, word: &str) -> bool {
        let fields = self.fields;
        let mut analyzer = crate::index::analysis::analyzer();
        let folded = tokens(&mut analyzer, &fold(word));
        if folded.is_empty() {
            return false;
        }
        let mut english = crate::index::analysis::english_analyzer();
        let mut any: Vec<Box<dyn Query>> = vec![self.identifier_query(word)];
        any.extend(super::clauses::sequence(fields.title_folded, &folded));
        any.push(self.folded_text(&folded));
        for (field, words) in [
            (fields.title_en_stemmed, tokens(&mut english, word)),
            (fields.text_en_stemmed, tokens(&mut english, word)),
            (fields.title_en_folded, tokens(&mut english, &fold(word))),
            (fields.text_en_folded, tokens(&mut english, &fold(word))),
        ] {
            any.extend(super::clauses::sequence(field, &words));
        }
        let query = BooleanQuery::new(vec![
            (Occur::Must, self.public()),
            (Occur::Must, super::clauses::union(any)),
        ]);
        any_match(searcher, &query)
    }
}
