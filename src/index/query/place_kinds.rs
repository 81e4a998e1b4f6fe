//! Words for the kind of a place, as Vietnamese addresses are written: "xã Tiên Sơn, huyện Duy
//! Tiên, tỉnh Hà Nam", "thôn Đọi Tam", "làng Đọi Tam" (break14 finding 8). The authorities'
//! names ("Tiên Sơn") are what the archive holds, so a kind word searched as a word that must
//! be held made such a query find nothing.
//!
//! Here a kind word ([`KINDS`], with or without diacritics) followed by more words becomes
//! optional *for the place those words name*: its clause also holds for the records whose
//! village's commune, district, province or village is named by the words after it, up to the
//! next kind word ([`read_place_kinds`]). The kind word still counts where a record holds it.
//! Nothing depends on which records exist, so every viewer's query is rewritten alike and the
//! viewer's filter applies to the answer as to any other. Alone (`xã`), or before words naming
//! no place (`làng nghề`), a kind word is searched as it always was.

use super::{Atom, Clause, ParsedQuery, Scope};
use crate::model::text::fold;

/// The kind words of Vietnamese administrative units and settlements, folded, each as its words:
/// communes (`xã`, `phường`, `thị trấn`), districts (`huyện`, `quận`, `thị xã`, `thành phố`),
/// provinces (`tỉnh`, `thành phố`) and parts of a commune (`thôn`, `xóm`, `làng`). Sources:
/// Law on the Organisation of Local Government 2015, art. 2 (the administrative units);
/// Circular 04/2012/TT-BNV on the thôn and tổ dân phố (a thôn goes by local names, among them
/// làng and xóm).
pub const KINDS: &[&[&str]] = &[
    &["thi", "tran"],
    &["thi", "xa"],
    &["thanh", "pho"],
    &["xa"],
    &["phuong"],
    &["huyen"],
    &["quan"],
    &["tinh"],
    &["thon"],
    &["xom"],
    &["lang"],
];

/// The single word of a clause that is one plain word (not negated, not a phrase, searched
/// everywhere), folded and without the punctuation around it ("Sơn," is "son").
fn plain_word(clause: &Clause) -> Option<String> {
    match clause.alternatives.as_slice() {
        [
            Atom::Text {
                text,
                phrase: false,
                scope: Scope::Everywhere,
                ..
            },
        ] if !clause.negated => {
            let word = fold(text.trim_matches(|c: char| !c.is_alphanumeric())).to_lowercase();
            (!word.is_empty() && !word.contains(char::is_whitespace)).then_some(word)
        }
        _ => None,
    }
}

/// How many clauses from `at` make a kind word ([`KINDS`]), the longest first; 0 for none.
fn kind_at(words: &[Option<String>], at: usize) -> usize {
    KINDS
        .iter()
        .find(|kind| {
            kind.iter()
                .enumerate()
                .all(|(k, part)| words.get(at + k).and_then(Option::as_deref) == Some(*part))
        })
        .map_or(0, |kind| kind.len())
}

/// Makes each kind word of `parsed` followed by more words optional for the place they name
/// (see the module doc): each clause of the kind word gets the alternatives `commune:`,
/// `district:`, `province:` and `village:` of the words after it, up to the next kind word or
/// anything not a plain word, without punctuation. Other clauses are left as they are.
pub fn read_place_kinds(parsed: &mut ParsedQuery) {
    let words: Vec<Option<String>> = parsed.clauses.iter().map(plain_word).collect();
    let mut at = 0;
    while at < words.len() {
        let kind = kind_at(&words, at);
        if kind == 0 {
            at += 1;
            continue;
        }
        let start = at + kind;
        let mut end = start;
        while end < words.len() && words[end].is_some() && kind_at(&words, end) == 0 {
            end += 1;
        }
        let name: Vec<String> = parsed.clauses[start..end]
            .iter()
            .filter_map(|clause| match clause.alternatives.as_slice() {
                [Atom::Text { text, .. }] => Some(
                    text.trim_matches(|c: char| !c.is_alphanumeric())
                        .to_string(),
                ),
                _ => None,
            })
            .filter(|word| !word.is_empty())
            .collect();
        if !name.is_empty() {
            let name = name.join(" ");
            for clause in &mut parsed.clauses[at..start] {
                clause.alternatives.extend([
                    Atom::Commune(name.clone()),
                    Atom::District(name.clone()),
                    Atom::Province(name.clone()),
                    Atom::Village(name.clone()),
                ]);
            }
        }
        at = end.max(start);
    }
}

/// Whether `clause` is a kind word made optional by [`read_place_kinds`]: a plain word that is
/// part of a kind word, then the four place alternatives of one name. Such a word is searched
/// as typed only, without close spellings or a notice that nothing holds it: the visitor wrote
/// an address, not a word to look for.
pub fn is_place_kind(clause: &Clause) -> bool {
    let [
        word,
        Atom::Commune(a),
        Atom::District(b),
        Atom::Province(c),
        Atom::Village(d),
    ] = clause.alternatives.as_slice()
    else {
        return false;
    };
    let word = Clause {
        negated: clause.negated,
        alternatives: vec![word.clone()],
    };
    a == b
        && b == c
        && c == d
        && plain_word(&word).is_some_and(|w| KINDS.iter().any(|kind| kind.contains(&w.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::query::parse;

    /// The place names each clause of `query` is made optional for (empty: none).
    fn optional_for(query: &str) -> Vec<Vec<String>> {
        let mut parsed = parse(query);
        read_place_kinds(&mut parsed);
        parsed
            .clauses
            .iter()
            .map(|clause| {
                clause
                    .alternatives
                    .iter()
                    .filter_map(|atom| match atom {
                        Atom::Commune(name) => Some(name.clone()),
                        _ => None,
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_kind_word_before_a_name_is_optional_for_that_place() {
        let none: Vec<String> = Vec::new();
        let tien_son = vec!["Tiên Sơn".to_string()];
        assert_eq!(
            optional_for("xã Tiên Sơn"),
            [tien_son.clone(), none.clone(), none.clone()]
        );
        // Without diacritics, in capitals, in NFD, with the commas of an address.
        assert_eq!(optional_for("Xa Tien Son")[0], ["Tien Son"]);
        assert_eq!(
            optional_for("xa\u{303} Tie\u{302}n So\u{31b}n")[0],
            tien_son
        );
        assert_eq!(
            optional_for("thị trấn Hòa Mạc, huyện Duy Tiên, tỉnh Hà Nam"),
            [
                vec!["Hòa Mạc".to_string()],
                vec!["Hòa Mạc".to_string()],
                none.clone(),
                none.clone(),
                vec!["Duy Tiên".to_string()],
                none.clone(),
                none.clone(),
                vec!["Hà Nam".to_string()],
                none.clone(),
                none.clone(),
            ]
        );
    }

    #[test]
    fn a_kind_word_alone_or_negated_or_quoted_stays_a_word() {
        for query in [
            "xã",
            "làng",
            "thị trấn",
            "-xã Tiên",
            "\"xã Tiên Sơn\"",
            "xã -Tiên",
        ] {
            assert!(
                optional_for(query).iter().all(Vec::is_empty),
                "{query}: {:?}",
                optional_for(query)
            );
        }
        // `làng nghề` gains only the places named "nghề": none in an archive, so it finds what
        // it found.
        assert_eq!(optional_for("làng nghề")[0], ["nghề"]);
    }

    #[test]
    fn only_a_rewritten_kind_word_is_told_apart() {
        let mut parsed = parse("thị trấn Hòa Mạc làng");
        read_place_kinds(&mut parsed);
        let kinds: Vec<bool> = parsed.clauses.iter().map(is_place_kind).collect();
        assert_eq!(kinds, [true, true, false, false, false]);
    }
}
