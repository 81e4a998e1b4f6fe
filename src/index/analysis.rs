//! The tokenizers of the text fields: split on anything that is not a letter or digit, lowercase,
//! and write tones where the modern convention puts them (`hoà` and `hòa` are one word). English
//! fields are also stemmed, so "weavers" finds "weaving".

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
    fn english_words_are_stemmed() {
        let mut english = english_analyzer();
        assert_eq!(
            tokens(&mut english, "Weaving villages, drums"),
            tokens(&mut english, "weave village drum")
        );
    }
}
