//! Search snippets: a passage of a record's original text with the matched words in `<b>`,
//! whether or not the query was typed with diacritics.
//!
//! Folding one character never changes how many characters there are (`ệ` → `e`, `Đ` → `d`), so
//! words can be compared folded while their positions stay those of the original, accented text:
//! "det lua" highlights "dệt lụa" where it stands.

use std::collections::HashSet;

use crate::model::text::{fold, fold_char};

/// How much of a long text is scanned for matches (bytes); later matches are not highlighted.
const SCAN_LIMIT: usize = 64 * 1024;
/// Words shown before the first match.
const CONTEXT_BEFORE: usize = 8;
/// Approximate length of a snippet, in characters.
const SNIPPET_CHARS: usize = 220;
/// Words scanned after the first match: more than a snippet of [`SNIPPET_CHARS`] can show.
const WORDS_AFTER: usize = 80;

/// What to highlight: the folded words of a query's text atoms (and the close spellings searched
/// for a typo), and English stems (matched as word beginnings).
#[derive(Debug, Clone, Default)]
pub struct QueryWords {
    exact: HashSet<String>,
    stems: Vec<String>,
}

impl QueryWords {
    /// Highlights `word` (folded) wherever it stands.
    pub fn add(&mut self, word: &str) {
        self.exact.insert(fold(word));
    }

    /// Highlights words that begin with an English stem, such as "weav" for "weaving".
    pub fn add_stem(&mut self, stem: &str) {
        if stem.chars().count() >= 3 {
            self.stems.push(fold(stem));
        }
    }

    /// Whether there is nothing to highlight.
    pub fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.stems.is_empty()
    }

    fn matches(&self, folded: &str) -> bool {
        self.exact.contains(folded)
            || self
                .stems
                .iter()
                .any(|stem| folded.starts_with(stem.as_str()) && folded.len() <= stem.len() + 4)
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

/// A word of the text: its byte range in the original and whether it matches the query.
struct Word {
    start: usize,
    end: usize,
    matched: bool,
}

/// The snippet of `text` for `words`, HTML-escaped; `None` when no word matches.
pub fn snippet(text: &str, words: &QueryWords) -> Option<String> {
    if words.is_empty() {
        return None;
    }
    let mut scanned = text.len().min(SCAN_LIMIT);
    while !text.is_char_boundary(scanned) {
        scanned -= 1;
    }
    let mut found: Vec<Word> = Vec::new();
    let mut folded = String::new();
    let mut start = None;
    let mut first_match: Option<usize> = None;
    let mut stopped_early = false;
    for (index, c) in text[..scanned].char_indices().chain([(scanned, ' ')]) {
        // Enough words after the first match to fill the snippet: the rest is never shown.
        if first_match.is_some_and(|first| found.len() > first + WORDS_AFTER) {
            stopped_early = true;
            break;
        }
        let f = fold_char(c);
        if f.is_alphanumeric() {
            start.get_or_insert(index);
            folded.push(f);
        } else if let Some(word_start) = start.take() {
            let matched = words.matches(&folded);
            if matched && first_match.is_none() {
                first_match = Some(found.len());
            }
            found.push(Word {
                start: word_start,
                end: index,
                matched,
            });
            folded.clear();
        }
    }
    let first = first_match?;
    let from = first.saturating_sub(CONTEXT_BEFORE);
    let begin = found[from].start;
    let mut html = String::with_capacity(SNIPPET_CHARS + 64);
    if from > 0 {
        html.push('…');
    }
    let mut cursor = begin;
    let mut shown = 0;
    let mut last = from;
    for (n, word) in found.iter().enumerate().skip(from) {
        if shown > SNIPPET_CHARS {
            break;
        }
        escape_into(&mut html, &text[cursor..word.start]);
        if word.matched {
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
    let showed_every_word = last + 1 == found.len();
    if showed_every_word && text[cursor..scanned].chars().count() <= 40 {
        // Closing punctuation after the last word.
        escape_into(&mut html, text[cursor..scanned].trim_end());
    }
    if !showed_every_word || stopped_early || scanned < text.len() {
        html.push('…');
    }
    Some(html)
}

/// The first words of a text, HTML-escaped, for a result without a matched passage.
pub fn opening(text: &str) -> String {
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
    let mut html = String::with_capacity(cut.len() + 8);
    escape_into(&mut html, cut);
    if cut.len() < text.len() {
        html.push('…');
    }
    html
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\r' | '\t' => out.push(' '),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unaccented_queries_highlight_the_accented_original() {
        let text = "Làng Nha Xá nổi tiếng với nghề dệt lụa tơ tằm.";
        let words = query_words("det lua");
        assert_eq!(
            snippet(text, &words).unwrap(),
            "Làng Nha Xá nổi tiếng với nghề <b>dệt</b> <b>lụa</b> tơ tằm."
        );
        assert_eq!(
            snippet(text, &query_words("Đệt LỤA")).unwrap(),
            snippet(text, &words).unwrap()
        );
    }

    #[test]
    fn long_texts_are_cut_around_the_first_match_and_escaped() {
        let text = format!(
            "{} <trống> đẹp {}",
            "mở đầu ".repeat(50),
            "kết thúc ".repeat(100)
        );
        let shown = snippet(&text, &query_words("trong")).unwrap();
        assert!(shown.starts_with('…'), "{shown}");
        assert!(shown.contains("&lt;<b>trống</b>&gt; đẹp"), "{shown}");
        assert!(shown.ends_with('…'));
        assert!(shown.chars().count() < 320);
    }

    #[test]
    fn no_match_gives_none() {
        assert_eq!(snippet("Trống Đọi Tam", &query_words("lụa")), None);
        assert_eq!(snippet("Trống", &QueryWords::default()), None);
    }

    #[test]
    fn english_stems_are_highlighted() {
        let mut words = QueryWords::default();
        words.add("xa");
        words.add_stem("weav");
        assert_eq!(
            snippet("Silk weaving in Nha Xá, by weavers", &words).unwrap(),
            "Silk <b>weaving</b> in Nha <b>Xá</b>, by <b>weavers</b>"
        );
    }
}
