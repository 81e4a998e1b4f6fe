//! The tokenizers of the text fields: split on anything that is not a letter or digit, lowercase,
//! and write tones where the modern convention puts them (`hoà` and `hòa` are one word). English
//! fields are also stemmed, so "weavers" finds "weaving". Folded text is also indexed as word
//! pairs (as Elasticsearch's `index_phrases` does), so a phrase of common syllables ("làng nghề")
//! is one term to look up rather than two long position lists to intersect.

use tantivy::tokenizer::{
    Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer, Token, TokenFilter, TokenStream,
    Tokenizer,
};

use crate::model::text::modern_tone_placement;

/// The analyzer registered for Disan's text fields.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(ToneFilter)
        .build()
}

/// The analyzer of English fields: the same words, stemmed (Snowball English).
pub fn english_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The analyzer of the word-pair field: each word joined to the next, at the first one's position.
pub fn pairs_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(ToneFilter)
        .filter(PairFilter)
        .build()
}

/// The pair terms of a sequence of words, as [`pairs_analyzer`] indexes them: a phrase of `n`
/// words is the phrase of these `n - 1` pairs.
pub fn pairs(words: &[String]) -> Vec<String> {
    words.windows(2).map(|w| pair(&w[0], &w[1])).collect()
}

/// Joins two words with a space, which no token holds.
fn pair(first: &str, second: &str) -> String {
    let mut joined = String::with_capacity(first.len() + 1 + second.len());
    joined.push_str(first);
    joined.push(' ');
    joined.push_str(second);
    joined
}

/// The tokens `analyzer` makes of `text`.
pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    while let Some(token) = stream.next() {
        tokens.push(token.text.clone());
    }
    tokens
}

/// Token filter applying [`modern_tone_placement`].
#[derive(Clone)]
pub struct ToneFilter;

impl TokenFilter for ToneFilter {
    type Tokenizer<T: Tokenizer> = ToneFilterTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> Self::Tokenizer<T> {
        ToneFilterTokenizer(tokenizer)
    }
}

/// [`ToneFilter`] wrapped around a tokenizer.
#[derive(Clone)]
pub struct ToneFilterTokenizer<T>(T);

impl<T: Tokenizer> Tokenizer for ToneFilterTokenizer<T> {
    type TokenStream<'a> = ToneTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        ToneTokenStream(self.0.token_stream(text))
    }
}

/// The token stream of [`ToneFilterTokenizer`].
pub struct ToneTokenStream<T>(T);

impl<T: TokenStream> TokenStream for ToneTokenStream<T> {
    fn advance(&mut self) -> bool {
        if !self.0.advance() {
            return false;
        }
        let token = self.0.token_mut();
        if !token.text.is_ascii()
            && let std::borrow::Cow::Owned(modern) = modern_tone_placement(&token.text)
        {
            token.text = modern;
        }
        true
    }

    fn token(&self) -> &Token {
        self.0.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}

/// Token filter turning words into pairs of neighbouring words (see [`pairs_analyzer`]).
#[derive(Clone)]
pub struct PairFilter;

impl TokenFilter for PairFilter {
    type Tokenizer<T: Tokenizer> = PairFilterTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> Self::Tokenizer<T> {
        PairFilterTokenizer(tokenizer)
    }
}

/// [`PairFilter`] wrapped around a tokenizer.
#[derive(Clone)]
pub struct PairFilterTokenizer<T>(T);

impl<T: Tokenizer> Tokenizer for PairFilterTokenizer<T> {
    type TokenStream<'a> = PairTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        PairTokenStream {
            words: self.0.token_stream(text),
            previous: None,
            pair: Token::default(),
        }
    }
}

/// The token stream of [`PairFilterTokenizer`]. Its buffers are reused from pair to pair: this
/// runs over every word of every text at indexing.
pub struct PairTokenStream<T> {
    words: T,
    previous: Option<(String, usize, usize)>,
    pair: Token,
}

impl<T: TokenStream> TokenStream for PairTokenStream<T> {
    fn advance(&mut self) -> bool {
        while self.words.advance() {
            let word = self.words.token();
            let Some((previous, offset_from, position)) = &mut self.previous else {
                self.previous = Some((word.text.clone(), word.offset_from, word.position));
                continue;
            };
            self.pair.text.clear();
            self.pair.text.push_str(previous);
            self.pair.text.push(' ');
            self.pair.text.push_str(&word.text);
            self.pair.offset_from = *offset_from;
            self.pair.offset_to = word.offset_to;
            self.pair.position = *position;
            self.pair.position_length = 1;
            previous.clear();
            previous.push_str(&word.text);
            *offset_from = word.offset_from;
            *position = word.position;
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        &self.pair
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.pair
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_tone_placements_give_one_token() {
        assert_eq!(
            tokens(&mut analyzer(), "Hoà BÌNH, khoẻ; hòa"),
            ["hòa", "bình", "khỏe", "hòa"]
        );
    }

    #[test]
    fn pairs_are_neighbouring_words_at_the_first_word_position() {
        let mut pairing = pairs_analyzer();
        let mut stream = pairing.token_stream("Làng nghề, dệt lụa");
        let mut seen = Vec::new();
        while let Some(token) = stream.next() {
            seen.push((token.text.clone(), token.position));
        }
        let expected = [("làng nghề", 0), ("nghề dệt", 1), ("dệt lụa", 2)];
        let expected: Vec<(String, usize)> =
            expected.iter().map(|(t, p)| (t.to_string(), *p)).collect();
        assert_eq!(seen, expected);
        let words = tokens(&mut analyzer(), "Làng nghề, dệt lụa");
        assert_eq!(
            pairs(&words),
            tokens(&mut pairs_analyzer(), "Làng nghề, dệt lụa")
        );
        assert!(tokens(&mut pairs_analyzer(), "lụa").is_empty());
    }

    #[test]
    fn english_words_are_stemmed() {
        let mut english = english_analyzer();
        assert_eq!(
            tokens(&mut english, "Weaving villages, drums"),
            tokens(&mut english, "weave village drum")
        );
    }
}
