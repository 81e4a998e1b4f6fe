//! Search snippets: a passage of a record's original text centred on its best match, the words
//! that matched in `<b>`, each part tagged with its language.
//!
//! Folding one character never changes how many characters there are (`ệ` → `e`, `Đ` → `d`), so
//! words can be compared folded while their positions stay those of the original, accented text:
//! "det lua" highlights "dệt lụa" where it stands.
//!
//! What counts as a match, best first (the snippet is centred on the best one found):
//! 1. a quoted phrase where its words stand together, in order: its words are bold there and
//!    nowhere else;
//! 2. a word typed with diacritics, with those diacritics ("trống", the drum): when the text holds
//!    it, its folded look-alikes ("trong", in) are not bold;
//! 3. a word folded ("trong" typed, or "trống" typed and the text holding no "trống"), and for
//!    English values only, a word that begins with an English stem ("weav" → "weaving"): a
//!    Vietnamese syllable is never matched as a prefix ("nhà" never bolds "nhanh").
//!
//! Among equal matches the passage in the visitor's language wins, then the one showing more of
//! the query's words, then the first. A part in another language than the page's is wrapped in
//! `<span lang="…">`, so screen readers speak it with the right voice (WCAG 2.1 SC 3.1.2).

use std::collections::{HashMap, HashSet};

use crate::model::Lang;
use crate::model::text::{fold, fold_char, nfc};

/// How much of a record's text is scanned for matches (bytes, every value together); later
/// matches are not highlighted.
const SCAN_LIMIT: usize = 64 * 1024;
/// Words shown before the match the snippet is centred on.
const CONTEXT_BEFORE: usize = 8;
/// Approximate length of a snippet, in characters.
const SNIPPET_CHARS: usize = 220;
/// Words after a candidate centre in which the query's words are counted to compare passages.
const WINDOW_WORDS: usize = 30;
/// Words scanned after the first best match in the page's language: more than a snippet of
/// [`SNIPPET_CHARS`] can show, and enough to compare passages over [`WINDOW_WORDS`].
const WORDS_AFTER: usize = 80;
/// Words scanned past the first best match for a passage showing every word of an unquoted
/// query (see `covers_every_word`), so a long text whose words never stand together is not
/// scanned to [`SCAN_LIMIT`] for each hit.
const WORDS_SEEKING_ALL: usize = 2_000;
/// Candidate centres compared (of the best kind of match); the rest are not looked at.
const MAX_CANDIDATES: usize = 64;

/// What to highlight, gathered from a query's text atoms (see [`QueryWords::add_atom`]).
#[derive(Debug, Clone, Default)]
pub struct QueryWords {
    /// Folded words, bold wherever they stand (unless an exact form of theirs is present).
    exact: HashSet<String>,
    /// Folded word → the forms typed with diacritics (lowercase NFC) that stand for it.
    accented: HashMap<String, HashSet<String>>,
    /// English stems (folded), matched as word beginnings in English values only.
    stems: Vec<String>,
    /// Quoted phrases: each word folded, with its English stem when it has one.
    phrases: Vec<Vec<(String, Option<String>)>>,
}

impl QueryWords {
    /// Highlights `word` (folded) wherever it stands.
    pub fn add(&mut self, word: &str) {
        self.exact.insert(fold(word));
    }

    /// Highlights `word` as typed with its diacritics: where the text holds this exact form, its
    /// folded look-alikes are not highlighted.
    pub fn add_exact(&mut self, word: &str) {
        let lower = lowercase(word);
        let folded = fold(&lower);
        if folded == lower {
            self.exact.insert(folded);
            return;
        }
        self.exact.insert(folded.clone());
        self.accented.entry(folded).or_default().insert(lower);
    }

    /// Highlights words that begin with an English stem, such as "weav" for "weaving", in
    /// English values only.
    pub fn add_stem(&mut self, stem: &str) {
        if stem.chars().count() >= 3 {
            self.stems.push(fold(stem));
        }
    }

    /// Highlights the words of a quoted phrase (folded, in order; English stems beside them, or
    /// an empty slice) only where they stand together.
    pub fn add_phrase(&mut self, folded: &[String], stems: &[String]) {
        let stems_fit = stems.len() == folded.len();
        self.phrases.push(
            folded
                .iter()
                .enumerate()
                .map(|(n, word)| {
                    let stem = stems_fit
                        .then(|| fold(&stems[n]))
                        .filter(|s| s.chars().count() >= 3);
                    (fold(word), stem)
                })
                .collect(),
        );
    }

    /// Adds one atom of a query: its analysed words `folded`, the same words with the visitor's
    /// diacritics when they typed some (`exact`, lowercase NFC), and their English stems. A
    /// phrase of two or more words is highlighted only where its words stand together.
    pub fn add_atom(
        &mut self,
        phrase: bool,
        folded: &[String],
        exact: Option<&[String]>,
        stemmed: &[String],
    ) {
        if phrase && folded.len() > 1 {
            self.add_phrase(folded, stemmed);
            return;
        }
        match exact {
            Some(exact) => exact.iter().for_each(|w| self.add_exact(w)),
            None => folded.iter().for_each(|w| self.add(w)),
        }
        stemmed.iter().for_each(|w| self.add_stem(w));
    }

    /// Whether there is nothing to highlight.
    pub fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.stems.is_empty() && self.phrases.is_empty()
    }

    fn stem_matches(stem: &str, folded: &str) -> bool {
        folded.starts_with(stem) && folded.len() <= stem.len() + 4
    }
}

/// Every folded word of `text` (a convenience for plain word lists).
pub fn query_words(text: &str) -> QueryWords {
    let mut words = QueryWords::default();
    for word in fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
    {
        words.add(word);
    }
    words
}

/// How well a word matched, worst first (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Match {
    Folded,
    Exact,
    Phrase,
}

/// A word of the text: which value it is in, its byte range there, and its forms (`lower`, the
/// lowercase NFC form, only for words a form with diacritics was typed for).
struct Word {
    value: usize,
    start: usize,
    end: usize,
    folded: String,
    lower: Option<String>,
}

/// One value of a record's text with its language.
pub type Value<'a> = (&'a str, Lang);

/// The words of `values` with what each matched, at most [`SCAN_LIMIT`] bytes of them, and
/// whether some were left out. Scanning stops [`WORDS_AFTER`] words after the first match of the
/// best kind the query can have in the page's language `page` (a phrase, else a word with its
/// diacritics, else a word), since nothing after it could be shown.
fn scan(values: &[Value], query: &QueryWords, page: Lang) -> (Vec<Word>, Vec<Option<Match>>, bool) {
    let target = if !query.phrases.is_empty() {
        Match::Phrase
    } else if !query.accented.is_empty() {
        Match::Exact
    } else {
        Match::Folded
    };
    let mut words: Vec<Word> = Vec::new();
    let mut found: Vec<Option<Match>> = Vec::new();
    let mut stop_at = usize::MAX;
    // Where the first match of the best kind in the page's language stood.
    let mut first_best: Option<usize> = None;
    let mut budget = SCAN_LIMIT;
    for (value, &(text, lang)) in values.iter().enumerate() {
        let english = lang == Lang::En;
        let mut scanned = text.len().min(budget);
        while !text.is_char_boundary(scanned) {
            scanned -= 1;
        }
        budget -= scanned;
        let mut folded = String::new();
        let mut start = None;
        for (index, c) in text[..scanned].char_indices().chain([(scanned, ' ')]) {
            let f = fold_char(c);
            if f.is_alphanumeric() {
                start.get_or_insert(index);
                folded.push(f);
                continue;
            }
            let Some(word_start) = start.take() else {
                continue;
            };
            if words.len() >= stop_at {
                return (words, found, true);
            }
            let lower = query
                .accented
                .contains_key(&folded)
                .then(|| lowercase(&text[word_start..index]));
            let word = Word {
                value,
                start: word_start,
                end: index,
                lower,
                folded: std::mem::take(&mut folded),
            };
            let mut matched = word_match(&word, english, query);
            words.push(word);
            found.push(matched);
            if phrase_ends_here(&words, &mut found, english, query) {
                matched = Some(Match::Phrase);
            }
            if lang == page && matched.is_some_and(|m| m >= target) && stop_at == usize::MAX {
                let first = *first_best.get_or_insert(words.len());
                if covers_every_word(&words, &found, query)
                    || words.len() - first >= WORDS_SEEKING_ALL
                {
                    stop_at = words.len() + WORDS_AFTER;
                }
            }
        }
        if scanned < text.len() {
            return (words, found, true);
        }
    }
    (words, found, false)
}

/// Whether the last [`WINDOW_WORDS`] words (of the last word's value) show every distinct word
/// of an unquoted query: scanning may stop only then, so a passage further on where all the
/// words stand together is still found (break-12 finding 7: `làng nghề dệt` unquoted).
/// A query of one word, or one whose words are stems or phrases only, is covered by any match.
fn covers_every_word(words: &[Word], found: &[Option<Match>], query: &QueryWords) -> bool {
    if query.exact.len() <= 1 {
        return true;
    }
    let last = words.len() - 1;
    let from = words.len().saturating_sub(WINDOW_WORDS);
    let shown: HashSet<&str> = (from..words.len())
        .filter(|&i| found[i].is_some() && words[i].value == words[last].value)
        .map(|i| words[i].folded.as_str())
        .filter(|w| query.exact.contains(*w))
        .collect();
    shown.len() >= query.exact.len()
}

/// What one word matches on its own: its exact typed form, a folded word (marked look-alike by
/// [`Match::Folded`] when a form with diacritics was typed for it), or an English stem.
fn word_match(word: &Word, english: bool, query: &QueryWords) -> Option<Match> {
    if query.exact.contains(&word.folded) {
        match (query.accented.get(&word.folded), &word.lower) {
            (Some(forms), Some(lower)) if forms.contains(lower) => Some(Match::Exact),
            _ => Some(Match::Folded),
        }
    } else if english
        && query
            .stems
            .iter()
            .any(|stem| QueryWords::stem_matches(stem, &word.folded))
    {
        Some(Match::Folded)
    } else {
        None
    }
}

/// Marks the words of every phrase that ends with the last word; whether one did.
fn phrase_ends_here(
    words: &[Word],
    found: &mut [Option<Match>],
    english: bool,
    query: &QueryWords,
) -> bool {
    let mut ended = false;
    for phrase in &query.phrases {
        let Some(first) = words.len().checked_sub(phrase.len()) else {
            continue;
        };
        if phrase.is_empty() {
            continue;
        }
        let run = &words[first..];
        let value = run[0].value;
        let together = run.iter().zip(phrase).all(|(word, (folded, stem))| {
            word.value == value
                && (word.folded == *folded
                    || (english
                        && stem
                            .as_deref()
                            .is_some_and(|s| QueryWords::stem_matches(s, &word.folded))))
        });
        if together {
            found[first..].fill(Some(Match::Phrase));
            ended = true;
        }
    }
    ended
}

fn lowercase(word: &str) -> String {
    let lower = word.to_lowercase();
    if lower.is_ascii() {
        lower
    } else {
        nfc(&lower).into_owned()
    }
}

/// Folded look-alikes of a word typed with diacritics are no match where the text shows the
/// exact form: "trống" typed, the text's "trong" is not bold when it also says "trống".
fn drop_look_alikes(words: &[Word], found: &mut [Option<Match>], query: &QueryWords) {
    let present: HashSet<&str> = words
        .iter()
        .zip(found.iter())
        .filter(|(_, m)| **m == Some(Match::Exact))
        .map(|(w, _)| w.folded.as_str())
        .collect();
    for (word, matched) in words.iter().zip(found.iter_mut()) {
        if *matched == Some(Match::Folded)
            && query.accented.contains_key(&word.folded)
            && present.contains(word.folded.as_str())
        {
            *matched = None;
        }
    }
}

/// The snippet of a record's text `values` for `query`, HTML-escaped, in the visitor's language
/// `page` where it can be; `None` when no word matches.
pub fn snippet(values: &[Value], query: &QueryWords, page: Lang) -> Option<String> {
    if query.is_empty() {
        return None;
    }
    let (words, mut found, cut) = scan(values, query, page);
    drop_look_alikes(&words, &mut found, query);
    let best = found.iter().flatten().max()?;
    // The centre: a match of the best kind, in the page's language, showing most query words.
    let centre = found
        .iter()
        .enumerate()
        .filter(|(_, m)| m.as_ref() == Some(best))
        .take(MAX_CANDIDATES)
        .map(|(n, _)| {
            let shown: HashSet<&str> = (n..words.len().min(n + WINDOW_WORDS))
                .filter(|&i| found[i].is_some() && words[i].value == words[n].value)
                .map(|i| words[i].folded.as_str())
                .collect();
            let in_page_language = values[words[n].value].1 == page;
            (n, (in_page_language, shown.len()))
        })
        .max_by(|(a, ka), (b, kb)| ka.cmp(kb).then(b.cmp(a)))
        .map(|(n, _)| n)?;
    // Back to the start of a phrase, then some words of context from the same value.
    let mut from = centre;
    while from > 0 && found[from - 1] == Some(Match::Phrase) && best == &Match::Phrase {
        from -= 1;
    }
    let value = words[from].value;
    let mut from_context = from;
    while from_context > 0
        && from - from_context < CONTEXT_BEFORE
        && words[from_context - 1].value == value
    {
        from_context -= 1;
    }
    Some(render(values, &words, &found, from_context, page, cut))
}

/// The words from `from` on, as HTML, until about [`SNIPPET_CHARS`] characters are shown.
fn render(
    values: &[Value],
    words: &[Word],
    found: &[Option<Match>],
    from: usize,
    page: Lang,
    cut: bool,
) -> String {
    let mut html = String::with_capacity(SNIPPET_CHARS + 64);
    let first_of_value = from == 0 || words[from - 1].value != words[from].value;
    if !first_of_value {
        html.push('…');
    }
    let mut shown = 0;
    let mut open: Option<usize> = None;
    let mut cursor = words[from].start;
    let mut last = from;
    for (n, word) in words.iter().enumerate().skip(from) {
        if shown > SNIPPET_CHARS {
            break;
        }
        let (text, lang) = values[word.value];
        if open != Some(word.value) {
            if let Some(previous) = open {
                close_value(&mut html, values, previous, cursor, page);
                html.push(' ');
            }
            if lang != page {
                html.push_str(&format!("<span lang=\"{}\">", lang.tag()));
            }
            open = Some(word.value);
            cursor = word.start;
        }
        escape_into(&mut html, &text[cursor..word.start]);
        if found[n].is_some() {
            html.push_str("<b>");
            escape_into(&mut html, &text[word.start..word.end]);
            html.push_str("</b>");
        } else {
            escape_into(&mut html, &text[word.start..word.end]);
        }
        shown += text[cursor..word.end].chars().count();
        cursor = word.end;
        last = n;
    }
    let value = words[last].value;
    let (text, lang) = values[value];
    let ends_value = words.get(last + 1).is_none_or(|next| next.value != value);
    if ends_value && !(cut && value == words[words.len() - 1].value) {
        // Closing punctuation after the last word of the value.
        let rest = text[cursor..].trim_end();
        if rest.chars().count() <= 40 {
            escape_into(&mut html, rest);
        }
    }
    if lang != page {
        html.push_str("</span>");
    }
    let everything_shown = last + 1 == words.len() && ends_value && !cut;
    if !everything_shown {
        html.push('…');
    }
    html
}

/// Ends the part of value `value` whose last word ended at byte `cursor`: its closing
/// punctuation, then the `</span>` of a value in another language than the page's.
fn close_value(html: &mut String, values: &[Value], value: usize, cursor: usize, page: Lang) {
    let (text, lang) = values[value];
    let rest = text[cursor..].trim_end();
    if rest.chars().count() <= 40 {
        escape_into(html, rest);
    }
    if lang != page {
        html.push_str("</span>");
    }
}

/// The first words of a record's text, HTML-escaped, for a result without a matched passage:
/// from its first value in the visitor's language `page` (else its first value), tagged with its
/// language when it is not the page's.
pub fn opening(values: &[Value], page: Lang) -> String {
    let Some(&(text, lang)) = values
        .iter()
        .find(|(text, lang)| *lang == page && !text.trim().is_empty())
        .or_else(|| values.iter().find(|(text, _)| !text.trim().is_empty()))
    else {
        return String::new();
    };
    let text = text.trim();
    let mut end = text.len().min(SNIPPET_CHARS);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = if end < text.len() {
        text[..end]
            .rsplit_once(' ')
            .map_or(&text[..end], |(head, _)| head)
    } else {
        text
    };
    let mut html = String::with_capacity(cut.len() + 32);
    if lang != page {
        html.push_str(&format!("<span lang=\"{}\">", lang.tag()));
    }
    escape_into(&mut html, cut);
    if lang != page {
        html.push_str("</span>");
    }
    if cut.len() < text.len() {
        html.push('…');
    }
    html
}

/// Appends `text` HTML-escaped, each run of whitespace (line breaks, the space an embed left)
/// as one space.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        if c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
            continue;
        }
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests;
