//! The schema of the search index: every field a record's document holds ([`Fields`]), how
//! each is analysed (the tokenizers, named by version), stored or kept as a fast field.

use super::*;

// Tokenizers are named anew whenever analysis changes, so an index analysed the old way is
// rebuilt (the schema differs; see `index::open_current`): v2 of all reads look-alike letters as
// the letters meant (`model::text::lookalike`); English v3 reads only the agent nouns of a table
// as their verb (`analysis::AGENTS`).
pub(super) const TOKENIZER: &str = "disan_v2";
pub(super) const ENGLISH_TOKENIZER: &str = "disan_en_v3";
pub(super) const ENGLISH_FOLDED_TOKENIZER: &str = "disan_en_folded_v3";
pub(super) const PAIRS_TOKENIZER: &str = "disan_pairs_v2";

#[derive(Debug, Clone, Copy)]
pub(super) struct Fields {
    pub(super) id: Field,
    /// The archive versions the document was made from (see `sync::ArchiveState::stamp`).
    pub(super) stamp: Field,
    /// Orders records of equal score (see [`by_score`]).
    pub(super) tie: Field,
    /// The records a story embeds (indexed, never stored nor searched by visitors): which
    /// stories to index again when one of them is hidden or shown.
    pub(super) embeds: Field,
    pub(super) access: Field,
    /// The record's access rule as a canonical token ([`crate::index::audience::rule_token`]).
    pub(super) rule: Field,
    /// The record's files rule as a canonical token.
    pub(super) files_rule: Field,
    pub(super) kind: Field,
    pub(super) village: Field,
    pub(super) craft: Field,
    pub(super) facets: Field,
    pub(super) title: Field,
    pub(super) title_en: Field,
    pub(super) title_folded: Field,
    pub(super) title_en_stemmed: Field,
    /// English titles folded and stemmed, only the words folding changes (see
    /// `analysis::english_folded_analyzer`): "Hạ Thái" found as "ha thai".
    pub(super) title_en_folded: Field,
    /// English titles folded, word by word (not stemmed): what suggestions complete.
    pub(super) title_en_words: Field,
    pub(super) text: Field,
    pub(super) text_folded: Field,
    /// `text_folded` as pairs of neighbouring words, for phrases (see `analysis::pairs`).
    pub(super) text_pairs: Field,
    pub(super) text_en_stemmed: Field,
    /// English text folded and stemmed, only the words folding changes.
    pub(super) text_en_folded: Field,
    /// The record's id and every `dc.identifier`, as [`identifier_key`] writes them.
    pub(super) identifiers: Field,
    /// Every `dc.identifier` as written (stored only): the label of an identifier suggestion.
    pub(super) identifiers_written: Field,
    pub(super) village_names: Field,
    pub(super) craft_names: Field,
    /// The address of the record's village as written (its communes, district and provinces,
    /// as documented and after 1 July 2025; issue 14), each name one value: free text finds
    /// the record by them, weighted [`PLACE_BOOST`].
    pub(super) places: Field,
    /// The same names folded.
    pub(super) places_folded: Field,
    /// The ids of the artisans a record names (`Record::artisans`; issue 14). Stored, so
    /// [`SearchIndex::documents`] tells which authorities a document was made from.
    pub(super) artisan: Field,
    /// The ids of the products a record names that everyone who may see the record may see
    /// (see [`Indexer::put`]). Stored, as `artisan`.
    pub(super) product: Field,
    /// Every product id the record names, shown or not (never searched by visitors): which
    /// records to index again when a product changes ([`SearchIndex::citing`]), and (stored)
    /// which products' versions a document's stamp covers (`sync::Cited`).
    pub(super) names_product: Field,
    /// Everyone index only: `<product id>\u{1f}<rule token of the product>` for each product a
    /// record names that some of the record's viewers may not see (never stored): the product
    /// filter of a viewer whose scope admits that token finds the record by it
    /// ([`SearchIndex::product_filter`]); nothing else reads it.
    pub(super) product_guarded: Field,
    /// Everyone index only: the rule tokens of those products, from which a viewer's scope
    /// learns which of them it admits ([`scope::PRODUCT_RULE`]).
    pub(super) product_rules: Field,
    /// Everyone index only: the folded words of those products' names, each token written
    /// `<rule token of the product>\u{1f}<word>` (positions kept, never stored), so the
    /// `product:` name query of a viewer whose scope admits the rule finds the record
    /// ([`SearchIndex::guarded_names`]).
    pub(super) product_names_guarded: Field,
    /// Everyone index only: `<rule token of the product>\u{1f}<stars>` for those products
    /// rated, so `stars:` agrees with the product filter for a viewer who may see them.
    pub(super) stars_guarded: Field,
    /// Names of the record's artisans, folded: what `artisan:` matches besides the id.
    pub(super) artisan_names: Field,
    /// Each name of the record's artisans whole, folded, its words joined by one space: what
    /// `artisan:"full name"` matches (the name itself, not every name holding it; break14b F5).
    pub(super) artisan_fullnames: Field,
    /// Names of the record's artisans and products as written (with their diacritics): the
    /// exact-tone field of those names, as `text` is of the record's own text (break14b F6).
    pub(super) names_exact: Field,
    /// Names of the record's products (as `product`), folded: what `product:` matches.
    pub(super) product_names: Field,
    /// The titles its artisans hold, each value one title, folded: what `title:` matches
    /// besides the record's own title.
    pub(super) honours: Field,
    /// The OCOP stars of its products (as `product`), one value per product rated.
    pub(super) stars: Field,
    pub(super) thumbnail: Field,
    pub(super) title_sort: Field,
    pub(super) date_from: Field,
    pub(super) date_to: Field,
}

pub(super) fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let analysed = |tokenizer: &str, stored: bool| {
        let options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    let indexed = |stored: bool| analysed(TOKENIZER, stored);
    let fields = Fields {
        id: builder.add_text_field("id", STRING | STORED),
        stamp: builder.add_text_field("stamp", STRING | STORED),
        tie: builder.add_u64_field("tie", FAST),
        embeds: builder.add_text_field("embeds", STRING),
        access: builder.add_text_field("access", STRING),
        rule: builder.add_text_field("rule", STRING),
        files_rule: builder.add_text_field("files_rule", STRING),
        kind: builder.add_text_field("kind", STRING | STORED),
        village: builder.add_text_field("village", STRING | STORED),
        craft: builder.add_text_field("craft", STRING | STORED),
        facets: builder.add_facet_field("facets", FacetOptions::default()),
        title: builder.add_text_field("title", indexed(true)),
        title_en: builder.add_text_field("title_en", indexed(true)),
        title_folded: builder.add_text_field("title_folded", indexed(false)),
        title_en_stemmed: builder
            .add_text_field("title_en_stemmed", analysed(ENGLISH_TOKENIZER, false)),
        title_en_folded: builder
            .add_text_field("title_en_folded", analysed(ENGLISH_FOLDED_TOKENIZER, false)),
        title_en_words: builder.add_text_field("title_en_words", indexed(false)),
        text: builder.add_text_field("text", indexed(true)),
        text_folded: builder.add_text_field("text_folded", indexed(false)),
        text_pairs: builder.add_text_field("text_pairs", analysed(PAIRS_TOKENIZER, false)),
        // Stored: which values of `text` are English, for the `lang` of snippet parts.
        text_en_stemmed: builder
            .add_text_field("text_en_stemmed", analysed(ENGLISH_TOKENIZER, true)),
        text_en_folded: builder
            .add_text_field("text_en_folded", analysed(ENGLISH_FOLDED_TOKENIZER, false)),
        identifiers: builder.add_text_field("identifiers", STRING),
        identifiers_written: builder.add_text_field("identifiers_written", STORED),
        village_names: builder.add_text_field("village_names", indexed(false)),
        craft_names: builder.add_text_field("craft_names", indexed(false)),
        places: builder.add_text_field("places", indexed(false)),
        places_folded: builder.add_text_field("places_folded", indexed(false)),
        artisan: builder.add_text_field("artisan", STRING | STORED),
        product: builder.add_text_field("product", STRING | STORED),
        names_product: builder.add_text_field("names_product", STRING | STORED),
        product_guarded: builder.add_text_field("product_guarded", STRING),
        product_rules: builder.add_text_field("product_rules", STRING),
        product_names_guarded: builder.add_text_field("product_names_guarded", indexed(false)),
        stars_guarded: builder.add_text_field("stars_guarded", STRING),
        artisan_names: builder.add_text_field("artisan_names", indexed(false)),
        artisan_fullnames: builder.add_text_field("artisan_fullnames", STRING),
        names_exact: builder.add_text_field("names_exact", indexed(false)),
        product_names: builder.add_text_field("product_names", indexed(false)),
        honours: builder.add_text_field("honours", indexed(false)),
        stars: builder.add_i64_field("stars", INDEXED),
        thumbnail: builder.add_text_field("thumbnail", STORED),
        title_sort: builder.add_text_field("title_sort", STRING | FAST),
        date_from: builder.add_i64_field("date_from", FAST),
        date_to: builder.add_i64_field("date_to", FAST),
    };
    (builder.build(), fields)
}
