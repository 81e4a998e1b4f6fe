//! The tokenizers of the text fields, one analysis per language, each both exact and folded.
//!
//! Every analyzer brings its text to its [`search_form`] before splitting it: composed and
//! width-folded (NFKC), soft hyphens and zero-width characters removed, so decomposed,
//! fullwidth or copy-pasted input (macOS file names, PDFs) gives the same words; then it splits
//! on anything that is not a letter or digit and lowercases.
//!
//! - Vietnamese ([`analyzer`]): look-alikes of `đ` (`Ð` U+00D0, `Ɖ` U+0189) are `đ`, and the tone
//!   stands on the vowel the standard rule gives ([`standard_tone_placement`]), wherever in the
//!   vowel cluster it was typed (`hoà` = `hòa`, `vịêt` = `việt`). Its folded form is the same
//!   analysis over [`fold`]ed text.
//! - English ([`english_analyzer`]): irregular and agent forms of craft words are brought to
//!   their lemma by a small table ([`LEMMAS`]: `woven`, `weaver` → `weave`), then Snowball
//!   stems, so "weavers", "woven" and "weaving" are one word. Its folded form
//!   ([`english_folded_analyzer`]) keeps only the words folding changes (`Hạ Thái` → `ha thai`),
//!   at their positions: an English text naming Vietnamese places is found without diacritics,
//!   while a word typed without diacritics can still tell an English match from a folded one.
//!
//! Folded text is also indexed as word pairs (as Elasticsearch's `index_phrases` does), so a
//! phrase of common syllables ("làng nghề") is one term to look up rather than two long position
//! lists to intersect.

use tantivy::tokenizer::{
    Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer, Token, TokenFilter, TokenStream,
    Tokenizer,
};

use crate::model::text::{fold, search_form, standard_d, standard_tone_placement};

/// [`SimpleTokenizer`] over the text in its [`search_form`] first: invisible characters removed,
/// dashes read as `-`, composed and width-folded (NFKC).
#[derive(Clone, Default)]
pub struct NfcTokenizer {
    words: SimpleTokenizer,
    composed: String,
}

impl Tokenizer for NfcTokenizer {
    type TokenStream<'a> = <SimpleTokenizer as Tokenizer>::TokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        let NfcTokenizer { words, composed } = self;
        let text: &'a str = match search_form(text) {
            std::borrow::Cow::Borrowed(text) => text,
            std::borrow::Cow::Owned(text) => {
                *composed = text;
                composed
            }
        };
        words.token_stream(text)
    }
}

/// The analyzer registered for Disan's text fields.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(NfcTokenizer::default())
        .filter(LowerCaser)
        .filter(ToneFilter)
        .build()
}

/// The analyzer of English fields: the same words, brought to their lemma ([`LEMMAS`]) and
/// stemmed (Snowball English).
pub fn english_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(NfcTokenizer::default())
        .filter(LowerCaser)
        .filter(ToneFilter)
        .filter(map_filter(english_lemma))
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The folded companion of [`english_analyzer`]: its words folded, only those folding changes.
pub fn english_folded_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(NfcTokenizer::default())
        .filter(LowerCaser)
        .filter(ToneFilter)
        .filter(map_filter(english_lemma))
        .filter(Stemmer::new(Language::English))
        .filter(FoldedOnly)
        .build()
}

/// Irregular and agent forms of craft vocabulary and their lemma, which Snowball does not join
/// (it stems "weaver" to "weaver" and leaves "woven" as it is). Each lemma stems like its
/// regular forms ("weave", "weaves", "weaving" → "weav").
pub const LEMMAS: &[(&str, &str)] = &[
    ("wove", "weave"),
    ("woven", "weave"),
    ("weaver", "weave"),
    ("weavers", "weave"),
    ("spun", "spin"),
    ("spinner", "spin"),
    ("spinners", "spin"),
    ("dyer", "dye"),
    ("dyers", "dye"),
    ("carver", "carve"),
    ("carvers", "carve"),
    ("woodcarver", "woodcarve"),
    ("woodcarvers", "woodcarve"),
    ("embroiderer", "embroider"),
    ("embroiderers", "embroider"),
    ("embroidery", "embroider"),
    ("embroideries", "embroider"),
    ("lacquerer", "lacquer"),
    ("lacquerers", "lacquer"),
    ("lacquerware", "lacquer"),
    ("potter", "pottery"),
    ("potters", "pottery"),
    ("drummaker", "drum"),
    ("drummakers", "drum"),
    ("sewn", "sew"),
    ("knitter", "knit"),
    ("knitters", "knit"),
    ("basketry", "basket"),
    ("wrought", "work"),
    ("made", "make"),
    ("maker", "make"),
    ("makers", "make"),
    ("built", "build"),
    ("builder", "build"),
    ("builders", "build"),
    ("sold", "sell"),
    ("seller", "sell"),
    ("sellers", "sell"),
    ("craftsman", "craft"),
    ("craftsmen", "craft"),
    ("craftswoman", "craft"),
    ("craftswomen", "craft"),
    ("artisans", "artisan"),
];

/// The lemma of an English word ([`LEMMAS`]), if it has another one.
pub fn lemma(word: &str) -> Option<&'static str> {
    LEMMAS
        .iter()
        .find(|(form, _)| *form == word)
        .map(|(_, lemma)| *lemma)
}

/// Craft agent nouns and the verb each comes from: only words whose `-er` form means "one who
/// <verb>s" (a drummer drums), so the English analyzer reads "drummers" as "drum" in indexed
/// text and queries alike. No rule cuts `-er` from other words: "banner" is not "ban", "clover"
/// not "clove", "ledger" not "ledge" (break-12c finding 2). Each entry is the singular; its plural
/// in `-s` is covered too ([`agent_verb`]). Agents whose lemma is irregular are in [`LEMMAS`].
pub const AGENTS: &[(&str, &str)] = &[
    ("baker", "bake"),
    ("binder", "bind"),
    ("bookbinder", "bookbind"),
    ("braider", "braid"),
    ("brewer", "brew"),
    ("carver", "carve"),
    ("caster", "cast"),
    ("cutter", "cut"),
    ("dancer", "dance"),
    ("drummer", "drum"),
    ("engraver", "engrave"),
    ("farmer", "farm"),
    ("fisher", "fish"),
    ("gilder", "gild"),
    ("grinder", "grind"),
    ("jeweler", "jewel"),
    ("jeweller", "jewel"),
    ("lacquerer", "lacquer"),
    ("painter", "paint"),
    ("performer", "perform"),
    ("player", "play"),
    ("plaiter", "plait"),
    ("polisher", "polish"),
    ("printer", "print"),
    ("quilter", "quilt"),
    ("singer", "sing"),
    ("stitcher", "stitch"),
    ("storyteller", "storytell"),
    ("tanner", "tan"),
    ("teacher", "teach"),
    ("trader", "trade"),
    ("turner", "turn"),
    ("weaver", "weave"),
    ("welder", "weld"),
    ("woodcarver", "woodcarve"),
    ("woodworker", "woodwork"),
    ("worker", "work"),
];

/// The verb of a craft agent noun in [`AGENTS`], singular or plural (`drummers` → `drum`);
/// `None` for any other word.
pub fn agent_verb(word: &str) -> Option<&'static str> {
    let find = |singular: &str| {
        AGENTS
            .iter()
            .find(|(agent, _)| *agent == singular)
            .map(|(_, verb)| *verb)
    };
    find(word).or_else(|| word.strip_suffix('s').and_then(find))
}

/// What the English analyzer reads a word as before stemming: its lemma ([`LEMMAS`]) or its
/// agent noun's verb ([`AGENTS`]).
pub fn english_lemma(word: &str) -> Option<String> {
    lemma(word).or_else(|| agent_verb(word)).map(str::to_string)
}

/// A word's replacement, when it has one.
type WordMap = fn(&str) -> Option<String>;

/// A token filter replacing a token's text by what `map` gives, when it gives something.
pub fn map_filter(map: WordMap) -> MapFilter {
    MapFilter(map)
}

/// See [`map_filter`].
#[derive(Clone)]
pub struct MapFilter(WordMap);

impl TokenFilter for MapFilter {
    type Tokenizer<T: Tokenizer> = MapFilterTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> Self::Tokenizer<T> {
        MapFilterTokenizer(tokenizer, self.0)
    }
}

/// [`MapFilter`] wrapped around a tokenizer.
#[derive(Clone)]
pub struct MapFilterTokenizer<T>(T, WordMap);

impl<T: Tokenizer> Tokenizer for MapFilterTokenizer<T> {
    type TokenStream<'a> = MapTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MapTokenStream(self.0.token_stream(text), self.1)
    }
}

/// The token stream of [`MapFilterTokenizer`].
pub struct MapTokenStream<T>(T, WordMap);

impl<T: TokenStream> TokenStream for MapTokenStream<T> {
    fn advance(&mut self) -> bool {
        if !self.0.advance() {
            return false;
        }
        let token = self.0.token_mut();
        if let Some(mapped) = (self.1)(&token.text) {
            token.text = mapped;
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

/// Token filter keeping, folded, only the tokens that folding changes (see
/// [`english_folded_analyzer`]).
#[derive(Clone)]
pub struct FoldedOnly;

impl TokenFilter for FoldedOnly {
    type Tokenizer<T: Tokenizer> = FoldedOnlyTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> Self::Tokenizer<T> {
        FoldedOnlyTokenizer(tokenizer)
    }
}

/// [`FoldedOnly`] wrapped around a tokenizer.
#[derive(Clone)]
pub struct FoldedOnlyTokenizer<T>(T);

impl<T: Tokenizer> Tokenizer for FoldedOnlyTokenizer<T> {
    type TokenStream<'a> = FoldedOnlyStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        FoldedOnlyStream(self.0.token_stream(text))
    }
}

/// The token stream of [`FoldedOnlyTokenizer`].
pub struct FoldedOnlyStream<T>(T);

impl<T: TokenStream> TokenStream for FoldedOnlyStream<T> {
    fn advance(&mut self) -> bool {
        while self.0.advance() {
            let token = self.0.token_mut();
            if token.text.is_ascii() {
                continue;
            }
            token.text = fold(&token.text);
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.0.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}

/// The analyzer of the word-pair field: each word joined to the next, at the first one's position.
pub fn pairs_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(NfcTokenizer::default())
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

/// Token filter writing look-alikes of `đ` as `đ` ([`standard_d`]) and applying
/// [`standard_tone_placement`].
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
        if token.text.is_ascii() {
            return true;
        }
        if let std::borrow::Cow::Owned(standard) = standard_d(&token.text) {
            token.text = standard;
        }
        if let std::borrow::Cow::Owned(standard) = standard_tone_placement(&token.text) {
            token.text = standard;
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
    fn pasted_invisible_fullwidth_and_dash_characters_give_the_plain_words() {
        // Indexed text and queries both pass here (break-12 finding 2).
        assert_eq!(
            tokens(
                &mut analyzer(),
                "Việ\u{ad}t Vi\u{200b}ệt ＶＩỆＴ １９９５ HN\u{2011}1995"
            ),
            ["việt", "việt", "việt", "1995", "hn", "1995"]
        );
        assert_eq!(
            tokens(&mut english_analyzer(), "ｗｅａｖｅｒｓ"),
            tokens(&mut english_analyzer(), "weave")
        );
    }

    #[test]
    fn agent_nouns_give_their_verbs_in_text_and_queries() {
        let mut english = english_analyzer();
        let mut same = |a: &str, b: &str| tokens(&mut english, a) == tokens(&mut english, b);
        for (agent, verb) in [
            ("drummers", "drum"),
            ("drummer", "drumming"),
            ("woodcarvers", "woodcarving"),
            ("painters", "painting"),
            ("dancer", "dance"),
            ("printers", "print"),
            ("teachers", "teaching"),
            ("players", "play"),
            ("farmers", "farming"),
            ("cutters", "cutting"),
            ("Drummers", "drums"),
        ] {
            assert!(same(agent, verb), "{agent} {verb}");
        }
        for (word, other) in [
            ("corner", "corn"),
            ("matters", "mat"),
            ("paper", "pape"),
            ("water", "wat"),
            ("hammer", "ham"),
            ("upper", "up"),
            ("mother", "moth"),
            ("number", "numb"),
            ("flowers", "flow"),
            ("silver", "silve"),
            ("her", "h"),
        ] {
            assert!(!same(word, other), "{word} {other}");
        }
        // Break-12c finding 2: no rule cuts `-er` outside the table, in either direction.
        for (word, other) in [
            ("banner", "ban"),
            ("clover", "clove"),
            ("ledger", "ledge"),
            ("rafters", "raft"),
            ("stranger", "strange"),
            ("badger", "badge"),
            ("flatter", "flat"),
            ("splinter", "splint"),
            ("manger", "mange"),
            ("spanner", "span"),
            ("platter", "plat"),
            ("hopper", "hop"),
            ("shatter", "shat"),
        ] {
            assert!(!same(word, other), "{word} {other}");
        }
        assert_eq!(agent_verb("drummers"), Some("drum"));
        assert_eq!(agent_verb("drum"), None);
        assert_eq!(agent_verb("banners"), None);
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
    fn english_words_are_stemmed_and_craft_forms_lemmatised() {
        let mut english = english_analyzer();
        assert_eq!(
            tokens(&mut english, "Weaving villages, drums"),
            tokens(&mut english, "weave village drum")
        );
        let weave = tokens(&mut english, "weave");
        for form in [
            "weaves", "weaving", "weaver", "weavers", "Woven", "wove", "WEAVE",
        ] {
            assert_eq!(tokens(&mut english, form), weave, "{form}");
        }
        assert_ne!(tokens(&mut english, "wave"), weave);
    }

    #[test]
    fn english_folded_keeps_only_words_folding_changes_at_their_positions() {
        let mut folded = english_folded_analyzer();
        let mut stream = folded.token_stream("Lacquer painting in Hạ Thái, Bát Tràng");
        let mut seen = Vec::new();
        while let Some(token) = stream.next() {
            seen.push((token.text.clone(), token.position));
        }
        let expected: Vec<(String, usize)> = [("ha", 3), ("thai", 4), ("bat", 5), ("trang", 6)]
            .iter()
            .map(|(t, p)| (t.to_string(), *p))
            .collect();
        assert_eq!(seen, expected);
        // Exact English words keep their diacritics.
        assert_eq!(
            tokens(&mut english_analyzer(), "Hạ Thái"),
            tokens(&mut analyzer(), "hạ thái")
        );
    }

    /// The twelve Vietnamese vowels and the five tones (and none), precomposed.
    const VOWELS: [&str; 12] = [
        "aàảãáạ",
        "ăằẳẵắặ",
        "âầẩẫấậ",
        "eèẻẽéẹ",
        "êềểễếệ",
        "iìỉĩíị",
        "oòỏõóọ",
        "ôồổỗốộ",
        "ơờởỡớợ",
        "uùủũúụ",
        "ưừửữứự",
        "yỳỷỹýỵ",
    ];

    #[test]
    fn every_toned_vowel_in_nfc_nfd_and_capitals_is_one_token() {
        use unicode_normalization::UnicodeNormalization;
        let mut exact = analyzer();
        for row in VOWELS {
            let base = fold(&row[..row.chars().next().unwrap().len_utf8()]);
            for vowel in row.chars() {
                let word = format!("t{vowel}n");
                let nfd: String = word.nfd().collect();
                let capitals = word.to_uppercase();
                let capitals_nfd: String = capitals.nfd().collect();
                for typed in [&word, &nfd, &capitals, &capitals_nfd] {
                    assert_eq!(
                        tokens(&mut exact, typed),
                        std::slice::from_ref(&word),
                        "{typed:?}"
                    );
                    assert_eq!(
                        tokens(&mut exact, &fold(typed)),
                        [format!("t{base}n")],
                        "{typed:?} folded"
                    );
                }
            }
        }
    }

    #[test]
    fn every_tone_on_any_vowel_of_a_cluster_gives_one_token() {
        use unicode_normalization::UnicodeNormalization;
        let mut exact = analyzer();
        // (cluster letters, index of the vowel the tone belongs on), with what follows.
        let clusters = [
            ("oa", 0, ""),
            ("oe", 0, ""),
            ("uy", 0, ""),
            ("oa", 1, "n"),
            ("iê", 1, "t"),
            ("uô", 1, "n"),
            ("ươ", 1, "ng"),
            ("yê", 1, "n"),
            ("uyê", 2, "n"),
            ("oai", 1, ""),
            ("ươi", 1, ""),
        ];
        for tone in ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'] {
            for (cluster, standard_at, coda) in clusters {
                let with_tone_at = |at: usize| -> String {
                    let mut word = String::from("ng");
                    for (n, letter) in cluster.chars().enumerate() {
                        word.extend(letter.to_string().nfd());
                        if n == at {
                            word.push(tone);
                        }
                    }
                    word.push_str(coda);
                    word.nfc().collect()
                };
                let standard = with_tone_at(standard_at);
                for at in 0..cluster.chars().count() {
                    let typed = with_tone_at(at);
                    assert_eq!(
                        tokens(&mut exact, &typed),
                        std::slice::from_ref(&standard),
                        "{typed}"
                    );
                    let nfd: String = typed.nfd().collect();
                    assert_eq!(
                        tokens(&mut exact, &nfd),
                        std::slice::from_ref(&standard),
                        "{typed} NFD"
                    );
                }
            }
        }
    }

    #[test]
    fn d_stroke_and_its_lookalikes_are_one_letter() {
        let mut exact = analyzer();
        for typed in [
            "Đọi Tam",
            "Ðọi Tam",
            "Ɖọi Tam",
            "đọi tam",
            "ðọi tam",
            "ɖọi tam",
        ] {
            assert_eq!(tokens(&mut exact, typed), ["đọi", "tam"], "{typed}");
            assert_eq!(tokens(&mut exact, &fold(typed)), ["doi", "tam"], "{typed}");
        }
    }
}
