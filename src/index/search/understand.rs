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
//! both correct). Once one word of a query surely is an input-method word, the others no
//! public record holds as typed are read too (`ddan lats` is `đan lát` where only "đan" is
//! held), and capitals stay (`DDoji` is "Đọi"). A word opening with `dd` or `d9` (đ, which no
//! other word opens with) is read whenever no public record holds it as typed, tone key or not:
//! `DDoi Tam` is "Đoi Tam", which finds Đọi Tam folded.
//!
//! An identifier pasted with sentence punctuation, brackets or quotes around it
//! (`hn-1995-012.`, `“hn-1995-012”`), or as the address of its record page (`/records/ID`,
//! `/en/records/ID`, `https://any-host/en/records/ID?x=1`), is read as the identifier when a
//! public record has it ([`pasted_identifier`]), and the visitor is told.
//!
//! A `village:`, `craft:`, `artisan:`, `product:`, `province:` or `commune:` value no public
//! record names
//! is searched as words, and lowercase
//! English function words ("or", "a", "in") no public record holds are left out; both are said.

use super::statistics::any_match;
use super::*;
use crate::index::query::{Clause, ParsedQuery, PlaceField};
use crate::model::text::input_method::{from_telex, from_vni};
use crate::model::text::{standard_tone_placement, tone_misplaced};

/// Characters a pasted identifier may be wrapped in or followed by: sentence punctuation,
/// brackets and quotes (break-12c finding 3).
const AROUND_IDENTIFIERS: &[char] = &[
    '.', ',', ';', ':', '!', '?', '(', ')', '[', ']', '{', '}', '<', '>', '"', '\'', '`', '“', '”',
    '‘', '’', '«', '»', '„', '‹', '›',
];

/// What `typed` (a query in its search form) names if it is an identifier pasted from a text or
/// the address bar: the record id of a record page's address or path (`/records/ID`,
/// `/en/records/ID`, `http(s)://host/…/records/ID`, with any `?…` or `#…`; the site's record
/// route in `web`), or `typed` without the sentence punctuation, brackets and quotes
/// around it ([`AROUND_IDENTIFIERS`]). `typed`, trimmed, when neither applies. Whether a record
/// has the identifier is for the caller to check.
pub(crate) fn pasted_identifier(typed: &str) -> std::borrow::Cow<'_, str> {
    let typed = typed.trim();
    if !typed.contains(char::is_whitespace)
        && let Some(id) = record_path_id(typed)
    {
        return std::borrow::Cow::Owned(id);
    }
    std::borrow::Cow::Borrowed(typed.trim_matches(AROUND_IDENTIFIERS))
}

/// The record id of a record page's address or path, percent-decoded; `None` for anything else.
fn record_path_id(address: &str) -> Option<String> {
    let address = address.trim_matches(AROUND_IDENTIFIERS);
    let path = match address.split_once("://") {
        Some((scheme, rest)) => {
            if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
                return None;
            }
            &rest[rest.find('/')?..]
        }
        None => address,
    };
    let path = path.split(['?', '#']).next()?;
    let (_, id) = path
        .rsplit_once("/records/")
        .or_else(|| path.strip_prefix("records/").map(|id| ("", id)))?;
    let id = id.strip_suffix('/').unwrap_or(id);
    if id.is_empty() || id.contains('/') {
        return None;
    }
    percent_decode(id)
}

/// `text` with `%XX` escapes decoded; `None` when one is malformed or the result is not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Other readings of what was typed into the search box, for suggestions to read it the way
/// search does (break-12c finding 5), in the order to try them: through the Vietnamese input
/// methods (`ddoi t` → `đoi t`, `vieetj` → `việt`, `tro61` → `trố`), and through the English
/// analysis (lemma and stem: `drums` → `drum`, `weaver` → `weav`, `drummer` → `drum`). Only the
/// readings that differ from `typed`; a trailing space (the last word finished) is kept.
pub(crate) fn suggestion_readings(typed: &str) -> Vec<String> {
    let finished = if typed.ends_with(char::is_whitespace) {
        " "
    } else {
        ""
    };
    let words: Vec<&str> = typed.split_whitespace().collect();
    let vietnamese: Vec<String> = words
        .iter()
        .map(|word| {
            if word.is_ascii() && word.len() >= 2 {
                from_telex(word)
                    .or_else(|| from_vni(word))
                    .unwrap_or_else(|| word.to_string())
            } else {
                word.to_string()
            }
        })
        .collect();
    let mut english_analyzer = crate::index::analysis::english_analyzer();
    let english: Vec<String> = words
        .iter()
        .map(|word| tokens(&mut english_analyzer, word).join(" "))
        .collect();
    let mut readings = Vec::new();
    for reading in [vietnamese, english] {
        if reading.iter().zip(&words).any(|(read, word)| read != word) {
            let reading = format!("{}{finished}", reading.join(" "));
            if !readings.contains(&reading) {
                readings.push(reading);
            }
        }
    }
    readings
}

impl SearchIndex {
    /// `parsed` with input-method leftovers and misplaced tones read as Vietnamese, and a notice
    /// naming the query searched when any word was.
    pub fn understand(&self, searcher: &Searcher, mut parsed: ParsedQuery) -> ParsedQuery {
        // An identifier with spaces ("HN 1995 012") is searched whole, not as words; so is one
        // pasted with sentence punctuation or brackets around it (`hn-1995-012.`), or as the
        // address of its record page (break-12c finding 3), which is announced.
        let pasted = pasted_identifier(&parsed.typed);
        let typed = parsed.typed.trim();
        let key = identifier_key(&pasted);
        if key.contains(' ') || pasted != typed {
            let identifier = BooleanQuery::new(vec![
                (Occur::Must, self.public()),
                (Occur::Must, self.identifier_query(&key)),
            ]);
            if any_match(searcher, &identifier) {
                parsed.clauses = vec![Clause {
                    negated: false,
                    alternatives: vec![Atom::Text {
                        text: pasted.to_string(),
                        phrase: false,
                        scope: Scope::Everywhere,
                        english: false,
                    }],
                }];
                parsed.notices.clear();
                if pasted != typed {
                    parsed.notices.push(Notice::Identifier {
                        identifier: pasted.to_string(),
                    });
                }
                return parsed;
            }
        }
        self.words_or_fields(searcher, &mut parsed);
        // After the field atoms are checked: the places a kind word is made optional for are
        // alternatives, which need not exist ("làng nghề" names no place and stays as it was).
        crate::index::query::read_place_kinds(&mut parsed);
        self.drop_function_words(searcher, &mut parsed);
        // Input-method words are read per word: once one word surely is one (its Vietnamese
        // form is held), the others that no record holds as typed are read too, so `ddan lats`
        // finds what `đan lát` finds even where no record holds "lát" (break-12 finding 9).
        let strict = parsed.clone();
        if self.read_input_method(searcher, &mut parsed, false) {
            parsed = strict;
            self.read_input_method(searcher, &mut parsed, true);
        }
        self.mark_english(searcher, &mut parsed);
        parsed
    }

    /// Reads the words of `parsed`'s text atoms through the input methods and the tone rule
    /// ([`SearchIndex::read_word`]); `lenient` reads every word no public record holds as typed
    /// that converts. Adds the notice naming the query searched; returns whether a word was read
    /// through an input method.
    fn read_input_method(
        &self,
        searcher: &Searcher,
        parsed: &mut ParsedQuery,
        lenient: bool,
    ) -> bool {
        let mut changed = false;
        let mut converted = false;
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
                            let (word, keyed) = self.read_word(searcher, part, lenient);
                            converted |= keyed;
                            read.push_str(&word);
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
        if changed {
            let query = read_words.join(" ");
            parsed.notices.push(Notice::ReadAs { query });
        }
        converted
    }

    /// Marks the text atoms of a query typed in English ([`Atom::Text`]'s `english`): every
    /// word of its atoms not excluded is typed without diacritics, and English text holds each
    /// in at least as many records as folded Vietnamese does (by the index's statistics: "mat"
    /// where English mats are as common as "mặt", never "trong" nor "to tam").
    fn mark_english(&self, searcher: &Searcher, parsed: &mut ParsedQuery) {
        let fields = self.fields;
        let statistics = self.statistics(searcher);
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

    /// One word as the visitor meant it (see the module's documentation), and whether it was
    /// read through an input method. A word no public record holds as typed is read when a
    /// public record holds its Vietnamese form with those diacritics, or always when `lenient`.
    /// Its capitals stay: `DDoji` is "Đọi", `LUAJ` is "LỤA".
    fn read_word(&self, searcher: &Searcher, word: &str, lenient: bool) -> (String, bool) {
        if tone_misplaced(word) {
            return (standard_tone_placement(word).into_owned(), false);
        }
        if !word.is_ascii() || word.len() < 2 {
            return (word.to_string(), false);
        }
        let Some(vietnamese) = from_telex(word).or_else(|| from_vni(word)) else {
            return (word.to_string(), false);
        };
        // `dd` (Telex) and `d9` (VNI) opening a word type `đ` and nothing else: no English or
        // Vietnamese word begins so, so such a word is read without a tone key too (`DDoi` is
        // "Đoi", which finds "Đọi" folded). A word typed with other keys only (`Xaa`, perhaps a
        // typo) is read only when its Vietnamese form is held and the word typed is not.
        let lower = word.to_ascii_lowercase();
        let surely =
            (lower.starts_with("dd") || lower.starts_with("d9")) && vietnamese.starts_with('đ');
        if self.holds(searcher, word)
            || !(lenient || surely || self.holds_as_written(searcher, &vietnamese))
        {
            return (word.to_string(), false);
        }
        let upper = word.chars().filter(char::is_ascii_uppercase).count();
        let cased = if upper > 1 && !word.chars().any(|c| c.is_ascii_lowercase()) {
            vietnamese.to_uppercase()
        } else if upper > 0 && word.starts_with(|c: char| c.is_ascii_uppercase()) {
            let mut chars = vietnamese.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        } else {
            vietnamese
        };
        (cased, true)
    }

    /// Field atoms whose village or craft no public record names are their words: `làng: Hà`
    /// is searched as "làng" and "Hà", and the visitor is told (break-12 finding 3). A village
    /// only hidden records name is answered like a name nothing holds.
    fn words_or_fields(&self, searcher: &Searcher, parsed: &mut ParsedQuery) {
        for clause in &mut parsed.clauses {
            for atom in clause.alternatives.iter_mut() {
                let (place, wanted) = match &*atom {
                    Atom::Province(name) => (PlaceField::Province, self.province_query(name)),
                    Atom::Commune(name) => (PlaceField::Commune, self.commune_query(name)),
                    Atom::Village(_) | Atom::Craft(_) | Atom::Artisan(_) | Atom::Product(_) => {
                        let place = match &*atom {
                            Atom::Village(_) => PlaceField::Village,
                            Atom::Craft(_) => PlaceField::Craft,
                            Atom::Artisan(_) => PlaceField::Artisan,
                            _ => PlaceField::Product,
                        };
                        let Some(query) = self.name_query(atom) else {
                            continue;
                        };
                        (place, query)
                    }
                    _ => continue,
                };
                let (Atom::Province(name)
                | Atom::Commune(name)
                | Atom::Village(name)
                | Atom::Craft(name)
                | Atom::Artisan(name)
                | Atom::Product(name)) = atom
                else {
                    continue;
                };
                let named =
                    BooleanQuery::new(vec![(Occur::Must, self.public()), (Occur::Must, wanted)]);
                if any_match(searcher, &named) {
                    continue;
                }
                parsed.notices.push(Notice::NoSuchPlace {
                    field: place,
                    name: name.clone(),
                });
                *atom = Atom::Text {
                    text: std::mem::take(name),
                    phrase: false,
                    scope: Scope::Everywhere,
                    english: false,
                };
            }
        }
    }

    /// Leaves out lowercase English function words ([`FUNCTION_WORDS`]: "or", "a", "in") that
    /// no public record holds, alone or with the query's other words, with a notice: searched,
    /// they would zero the query (break-12 finding 5). A query of nothing else keeps them.
    fn drop_function_words(&self, searcher: &Searcher, parsed: &mut ParsedQuery) {
        let dropped = |clause: &Clause| {
            !clause.negated
                && matches!(clause.alternatives.as_slice(),
                    [Atom::Text { text, phrase: false, .. }] if FUNCTION_WORDS.contains(&text.as_str()))
        };
        if parsed.clauses.iter().all(dropped) {
            return;
        }
        // The other words typed, each found in any way a word is.
        let others: Vec<Box<dyn Query>> = parsed
            .clauses
            .iter()
            .filter(|clause| !clause.negated && !dropped(clause))
            .filter_map(|clause| match clause.alternatives.as_slice() {
                [Atom::Text { text, .. }] => self.holding(text),
                _ => None,
            })
            .collect();
        let mut left_out: Vec<(String, bool)> = Vec::new();
        parsed.clauses.retain(|clause| {
            if !dropped(clause) {
                return true;
            }
            let Atom::Text { text, .. } = &clause.alternatives[0] else {
                return true;
            };
            let alone = self.holds(searcher, text);
            if alone {
                // Held somewhere: left out only where no record holds it with the other words
                // ("gian a"), which would zero the query.
                let mut with = vec![(Occur::Must, self.public())];
                with.extend(self.holding(text).map(|q| (Occur::Must, q)));
                with.extend(others.iter().map(|q| (Occur::Must, q.box_clone())));
                if any_match(searcher, &BooleanQuery::new(with)) {
                    return true;
                }
            }
            if !left_out.iter().any(|(word, _)| word == text) {
                left_out.push((text.clone(), alone));
            }
            false
        });
        for (word, alone) in left_out {
            parsed.notices.push(Notice::WordLeftOut { word, alone });
        }
    }

    /// Whether a public record holds `word` with its diacritics, in a title, the text or the
    /// name of an artisan or product it names.
    fn holds_as_written(&self, searcher: &Searcher, word: &str) -> bool {
        let exact = tokens(&mut crate::index::analysis::analyzer(), word);
        let fields = self.fields;
        let any: Vec<Box<dyn Query>> =
            [fields.title, fields.text, fields.names_exact, fields.places]
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
        self.holding(word).is_some_and(|holding| {
            let query =
                BooleanQuery::new(vec![(Occur::Must, self.public()), (Occur::Must, holding)]);
            any_match(searcher, &query)
        })
    }

    /// The records holding `word` in any of the ways a query word is found (see
    /// [`SearchIndex::holds`]), public or not; `None` when it has no word.
    fn holding(&self, word: &str) -> Option<Box<dyn Query>> {
        let fields = self.fields;
        let mut analyzer = crate::index::analysis::analyzer();
        let folded = tokens(&mut analyzer, &fold(word));
        if folded.is_empty() {
            return None;
        }
        let mut english = crate::index::analysis::english_analyzer();
        let mut any: Vec<Box<dyn Query>> = vec![self.identifier_query(word)];
        any.extend(super::clauses::sequence(fields.title_folded, &folded));
        any.push(self.folded_text(&folded));
        any.extend(super::clauses::sequence(fields.places_folded, &folded));
        for (field, words) in [
            (fields.title_en_stemmed, tokens(&mut english, word)),
            (fields.text_en_stemmed, tokens(&mut english, word)),
            (fields.title_en_folded, tokens(&mut english, &fold(word))),
            (fields.text_en_folded, tokens(&mut english, &fold(word))),
        ] {
            any.extend(super::clauses::sequence(field, &words));
        }
        Some(super::clauses::union(any))
    }
}

/// Lowercase English function words: a query may hold them ("drum in", "silk or cotton") though
/// no record does. See [`SearchIndex::drop_function_words`].
pub const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "not", "of", "in", "on", "at", "to", "for", "from", "by",
    "with", "as", "is", "are", "was", "were", "be", "it", "its", "this", "that", "these", "those",
];

#[cfg(test)]
mod pasted_tests {
    use super::pasted_identifier;

    #[test]
    fn suggestions_read_input_methods_and_english_forms() {
        use super::suggestion_readings;
        assert_eq!(suggestion_readings("ddoi t"), ["đoi t"]);
        assert_eq!(suggestion_readings("vieetj")[0], "việt");
        assert_eq!(suggestion_readings("langf")[0], "làng");
        assert_eq!(suggestion_readings("tro61")[0], "trố");
        assert_eq!(suggestion_readings("drums"), ["drum"]);
        assert_eq!(suggestion_readings("drummer "), ["drum "]);
        assert_eq!(suggestion_readings("weaver"), ["weav"]);
    }

    #[test]
    fn identifiers_pasted_with_punctuation_or_as_addresses_are_read_as_the_identifier() {
        for typed in [
            "hn-1995-012.",
            "hn-1995-012,",
            " (hn-1995-012); ",
            "“hn-1995-012”",
            "\"hn-1995-012\"?",
            "/records/hn-1995-012",
            "/en/records/hn-1995-012",
            "records/hn-1995-012/",
            "http://127.0.0.1:7408/records/hn-1995-012",
            "https://archive.example.org/en/records/hn-1995-012?utm_source=x#files",
            "<https://archive.example.org/records/hn%2D1995%2D012>.",
        ] {
            assert_eq!(pasted_identifier(typed), "hn-1995-012", "{typed}");
        }
        assert_eq!(pasted_identifier("trống đồng"), "trống đồng");
        assert_eq!(pasted_identifier("ftp://x/records/a"), "ftp://x/records/a");
        assert_eq!(pasted_identifier("/records/a/files"), "/records/a/files");
        assert_eq!(pasted_identifier("HN 1995 012."), "HN 1995 012");
    }
}
