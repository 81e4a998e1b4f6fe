//! The full-text search index (tantivy) over every record in the archive.
//!
//! Each record is one document. Its text is indexed as written (NFC, lowercased, tones where the
//! rule puts them, `Ð` as `Đ`), folded (tones and marks removed, `đ` → `d`) and, for English
//! values, stemmed and folded; so "det lua" finds "dệt lụa", a query typed with diacritics ranks
//! exact matches first, "weavers" finds "woven" and "ha thai" an English text on Hạ Thái. The
//! record's id and every `dc.identifier` are kept whole, so a cited identifier finds its record
//! first. Queries are read by [`super::query`] and [`understand`] (Telex and VNI leftovers,
//! misplaced tones); a word found nowhere falls back to close spellings, scored below any exact
//! match.
//!
//! The index is built for one [`Audience`] and holds only the records that audience may see:
//! [`Indexer::put`] removes the document of any other record and adds nothing. So document
//! frequencies, close spellings, suggestions, related records and counts are computed from
//! visible records by construction, and a hidden id is looked up at the same cost as an unknown
//! one ([`SearchIndex::is_visible`]). Access is stored with each document too, and every search
//! still filters on it.
//!
//! Contract (tantivy's): one [`Indexer`] writes at a time (a lock file enforces it across
//! processes); any number of readers search; a reader sees a commit within about a second, or at
//! once after [`SearchIndex::refresh`] (the web server calls it before every request).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::Bm25StatisticsProvider;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query,
    RangeQuery, RegexQuery, TermQuery,
};
use tantivy::schema::{
    FAST, Facet, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions, Value,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{
    DocAddress, DocSet, Index, IndexReader, IndexWriter, Order, Searcher, TantivyDocument, Term,
};

use super::analysis::tokens;
use super::audience::Audience;
use super::query::{Atom, Notice, Scope, day_number};
use super::snippet::QueryWords;
use crate::model::text::{fold, search_form, slug, sort_key};
use crate::model::{Access, Lang, Record};

// Tokenizers are named anew whenever analysis changes, so an index analysed the old way is
// rebuilt (the schema differs; see `index::open_current`): v2 of all reads look-alike letters as
// the letters meant (`model::text::lookalike`); English v3 reads only the agent nouns of a table
// as their verb (`analysis::AGENTS`).
const TOKENIZER: &str = "disan_v2";
const ENGLISH_TOKENIZER: &str = "disan_en_v3";
const ENGLISH_FOLDED_TOKENIZER: &str = "disan_en_folded_v3";
const PAIRS_TOKENIZER: &str = "disan_pairs_v2";
/// Boost of a title match over a match in the text.
const TITLE_BOOST: f32 = 3.0;
/// Extra weight of a match with the query's own diacritics.
const EXACT_BOOST: f32 = 2.0;
/// Best matches reordered by words found side by side (more when the page asked is deeper).
const RESCORED: usize = 200;
/// Extra weight of words found side by side, as typed.
const ADJACENCY_BOOST: f32 = 8.0;
/// Weight of a Vietnamese word that only folding makes equal to a word typed without diacritics
/// that English text holds as typed ("mặt" for "mat"): low enough to rank below every record
/// holding the word itself.
const FOLDED_BELOW: f32 = 0.05;
/// Score of an English text's word found only once folded ("ha thai" for "Hạ Thái"): English text
/// mentions Vietnamese names in passing, so such a match only makes the record found.
const ENGLISH_FOLDED_SCORE: f32 = 0.01;
/// Weight of a word of the address of a record's village (its communes, district and provinces,
/// as documented and after 1 July 2025): the record is found by its place, below every record
/// holding the word in its title or text.
const PLACE_BOOST: f32 = 0.1;
/// Score of the record whose id or `dc.identifier` is the word typed: above any text score.
const IDENTIFIER_SCORE: f32 = 1000.0;
/// Score of a record dated in the year a four-digit word names (about a title match).
const YEAR_SCORE: f32 = 3.0;
/// Weight of a close spelling, relative to the word as typed.
const TYPO_WEIGHT: f32 = 0.2;
/// Close spellings tried for a word found nowhere, the most common first.
const MAX_RESPELLINGS: usize = 8;
/// Words shorter than this (in characters) are never respelled.
const TYPO_MIN_CHARS: usize = 3;
/// Words longer than this (in characters) are never respelled: the longest Vietnamese syllable
/// has 7 letters (`nghiêng`), and English words past 24 letters are rare enough; building the
/// typo automata of a 250-letter word cost up to 75 ms of CPU (the `adv-long-word-fuzzy-dos`
/// case).
pub const TYPO_MAX_CHARS: usize = 24;
/// Words of one query respelled at most (each costs two automata walks over the term
/// dictionaries, plus two for its English stem); later words found nowhere are searched as
/// typed, with a notice.
pub const MAX_RESPELLED_WORDS: usize = 4;
/// Memory the writer fills before it writes a segment: reindexing 100,000 records took 14.7 s at
/// 64 MB and 11.0 s at 256 MB, fewer and larger segments being written and merged.
const WRITER_MEMORY: usize = 256 << 20;
/// Results per page.
pub const PAGE_SIZE: usize = 20;
/// Results past this many are not paged, as Elasticsearch's `index.max_result_window`: a deep
/// page makes the index collect every result before it (break-12c finding 9); a visitor narrows
/// the search instead.
pub const MAX_RESULT_WINDOW: usize = 10_000;
/// The last page that may be asked for: [`MAX_RESULT_WINDOW`] / [`PAGE_SIZE`].
pub const MAX_PAGE: usize = MAX_RESULT_WINDOW / PAGE_SIZE;

/// An error opening an existing index, as [`SearchError::Damaged`] unless the folder simply
/// cannot be read or locked (permissions, the writer's lock), which rebuilding would not cure.
fn damaged(dir: &Path, error: tantivy::TantivyError) -> SearchError {
    use tantivy::directory::error::{OpenDirectoryError, OpenReadError};
    let io_kind = match &error {
        tantivy::TantivyError::LockFailure(..) => return SearchError::Tantivy(error),
        tantivy::TantivyError::OpenReadError(OpenReadError::IoError { io_error, .. }) => {
            Some(io_error.kind())
        }
        tantivy::TantivyError::OpenDirectoryError(OpenDirectoryError::IoError {
            io_error, ..
        }) => Some(io_error.kind()),
        tantivy::TantivyError::IoError(io_error) => Some(io_error.kind()),
        _ => None,
    };
    match io_kind {
        Some(kind @ (std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::StorageFull)) => {
            SearchError::Io {
                path: dir.to_path_buf(),
                reason: std::io::Error::new(kind, error.to_string()),
            }
        }
        _ => SearchError::Damaged {
            path: dir.to_path_buf(),
            reason: error.to_string(),
        },
    }
}

/// Whether a file name is one tantivy gives the files of an index folder: `meta.json`,
/// `.managed.json`, its lock files, a temporary file of an atomic write (`.tmp…`) and segment
/// files (`<32 hex digits>.<extension>`, deletes `<32 hex digits>.<opstamp>.del`).
pub fn is_tantivy_file(name: &str) -> bool {
    if matches!(
        name,
        "meta.json" | ".managed.json" | ".tantivy-meta.lock" | ".tantivy-writer.lock"
    ) || name.starts_with(".tmp")
    {
        return true;
    }
    let Some((segment, extension)) = name.split_once('.') else {
        return false;
    };
    segment.len() == 32
        && segment.bytes().all(|b| b.is_ascii_hexdigit())
        && !extension.is_empty()
        && extension
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.')
}

/// Errors of the search index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// Tantivy failed (I/O, a corrupt segment, the writer lock held elsewhere).
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The index cannot be read: a file missing, truncated or corrupt, `meta.json` garbled, or
    /// something other than a folder where the index should be. Nothing is lost: the index is
    /// derived from the archive, and `disan reindex` rebuilds it.
    #[error(
        "the search index {path} is damaged ({reason}); the archive is not affected: run `disan reindex` to rebuild the index from it"
    )]
    Damaged {
        /// The index folder.
        path: std::path::PathBuf,
        /// What could not be read.
        reason: String,
    },
    /// The index folder could not be prepared.
    /// Its reason is part of the message and not a separate cause, so a chain printed in full
    /// does not say it twice.
    #[error("search index folder {path}: {reason}")]
    Io {
        /// The folder.
        path: std::path::PathBuf,
        /// Why.
        reason: std::io::Error,
    },
}

#[derive(Debug, Clone, Copy)]
struct Fields {
    id: Field,
    /// The archive versions the document was made from (see `sync::ArchiveState::stamp`).
    stamp: Field,
    /// Orders records of equal score (see [`by_score`]).
    tie: Field,
    /// The records a story embeds (indexed, never stored nor searched by visitors): which
    /// stories to index again when one of them is hidden or shown.
    embeds: Field,
    access: Field,
    /// The record's access rule as a canonical token ([`super::audience::rule_token`]).
    rule: Field,
    /// The record's files rule as a canonical token.
    files_rule: Field,
    kind: Field,
    village: Field,
    craft: Field,
    facets: Field,
    title: Field,
    title_en: Field,
    title_folded: Field,
    title_en_stemmed: Field,
    /// English titles folded and stemmed, only the words folding changes (see
    /// `analysis::english_folded_analyzer`): "Hạ Thái" found as "ha thai".
    title_en_folded: Field,
    /// English titles folded, word by word (not stemmed): what suggestions complete.
    title_en_words: Field,
    text: Field,
    text_folded: Field,
    /// `text_folded` as pairs of neighbouring words, for phrases (see `analysis::pairs`).
    text_pairs: Field,
    text_en_stemmed: Field,
    /// English text folded and stemmed, only the words folding changes.
    text_en_folded: Field,
    /// The record's id and every `dc.identifier`, as [`identifier_key`] writes them.
    identifiers: Field,
    /// Every `dc.identifier` as written (stored only): the label of an identifier suggestion.
    identifiers_written: Field,
    village_names: Field,
    craft_names: Field,
    /// The address of the record's village as written (its communes, district and provinces,
    /// as documented and after 1 July 2025; issue 14), each name one value: free text finds
    /// the record by them, weighted [`PLACE_BOOST`].
    places: Field,
    /// The same names folded.
    places_folded: Field,
    /// The ids of the artisans a record names (`Record::artisans`; issue 14). Stored, so
    /// [`SearchIndex::documents`] tells which authorities a document was made from.
    artisan: Field,
    /// The ids of the products a record names that everyone who may see the record may see
    /// (see [`Indexer::put`]). Stored, as `artisan`.
    product: Field,
    /// Every product id the record names, shown or not (never searched by visitors): which
    /// records to index again when a product changes ([`SearchIndex::citing`]), and (stored)
    /// which products' versions a document's stamp covers (`sync::Cited`).
    names_product: Field,
    /// Everyone index only: `<product id>\u{1f}<rule token of the product>` for each product a
    /// record names that some of the record's viewers may not see (never stored): the product
    /// filter of a viewer whose scope admits that token finds the record by it
    /// ([`SearchIndex::product_filter`]); nothing else reads it.
    product_guarded: Field,
    /// Everyone index only: the rule tokens of those products, from which a viewer's scope
    /// learns which of them it admits ([`scope::PRODUCT_RULE`]).
    product_rules: Field,
    /// Everyone index only: the folded words of those products' names, each token written
    /// `<rule token of the product>\u{1f}<word>` (positions kept, never stored), so the
    /// `product:` name query of a viewer whose scope admits the rule finds the record
    /// ([`SearchIndex::guarded_names`]).
    product_names_guarded: Field,
    /// Everyone index only: `<rule token of the product>\u{1f}<stars>` for those products
    /// rated, so `stars:` agrees with the product filter for a viewer who may see them.
    stars_guarded: Field,
    /// Names of the record's artisans, folded: what `artisan:` matches besides the id.
    artisan_names: Field,
    /// Each name of the record's artisans whole, folded, its words joined by one space: what
    /// `artisan:"full name"` matches (the name itself, not every name holding it; break14b F5).
    artisan_fullnames: Field,
    /// Names of the record's artisans and products as written (with their diacritics): the
    /// exact-tone field of those names, as `text` is of the record's own text (break14b F6).
    names_exact: Field,
    /// Names of the record's products (as `product`), folded: what `product:` matches.
    product_names: Field,
    /// The titles its artisans hold, each value one title, folded: what `title:` matches
    /// besides the record's own title.
    honours: Field,
    /// The OCOP stars of its products (as `product`), one value per product rated.
    stars: Field,
    thumbnail: Field,
    title_sort: Field,
    date_from: Field,
    date_to: Field,
}

fn schema() -> (Schema, Fields) {
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

/// The search index under `index/search/`.
#[derive(Clone)]
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    recreated: bool,
    audience: Audience,
    /// The index's `meta.json` (rewritten by rename at every commit) and what it was when the
    /// reader last loaded it; see [`SearchIndex::refresh`].
    meta: PathBuf,
    loaded: Arc<Mutex<Option<super::hiding::FileMark>>>,
    /// Records another index hid that this process could not remove from this index (a
    /// read-only index, a writer that cannot be taken or a commit that failed): every query
    /// leaves them out instead ([`SearchIndex::hide`]), until the process ends. Deny by default:
    /// a record that could be re-published meanwhile stays unlisted rather than the reverse.
    suppressed: Arc<std::sync::RwLock<BTreeSet<String>>>,
    /// The collection's span for the decade facet and the generation it was computed for
    /// ([`SearchIndex::generation`]); see [`decades`].
    collection: Arc<Mutex<Option<decades::Cached>>>,
    /// The index of every record ([`Audience::Everyone`], `index/search-all/`) kept in step
    /// with this public one: every [`Indexer`] of this index writes both, every commit and
    /// [`SearchIndex::hide`] reaches both. `None` on the everyone index itself.
    companion: Option<Box<SearchIndex>>,
    /// What a signed-in viewer may see of the everyone index ([`SearchIndex::for_viewer`]);
    /// `None` on the public index (its filter is the public rule).
    scope: Option<Arc<scope::Scope>>,
    /// Viewers' scopes of this everyone index kept between requests ([`scope_cache`]).
    scopes: Arc<scope_cache::ScopeCache>,
    /// [`SearchIndex::visible`]'s answers on the public index, for the reader generation they
    /// were read at (a reload forgets them): every record page asks it, and the term lookup
    /// reads the index file. Answers for unknown ids are kept as well as for listed ones, so a
    /// repeated request for a hidden id costs what one for an id that never existed does.
    /// At most [`VISIBLE_KEPT`] answers, then all are forgotten.
    visible_memo: Arc<VisibleMemo>,
}

/// Kept answers of [`SearchIndex::visible`]: the reader generation they were read at, and by id.
pub(crate) type VisibleMemo = Mutex<(u64, HashMap<String, bool>)>;

/// The most answers [`SearchIndex::visible`] keeps.
const VISIBLE_KEPT: usize = 50_000;

/// What a visitor asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchQuery {
    /// Free text; empty lists everything.
    pub text: String,
    /// Narrow to one kind.
    pub kind: Option<String>,
    /// Narrow to one village id.
    pub village: Option<String>,
    /// Narrow to one craft id.
    pub craft: Option<String>,
    /// Narrow to the records naming one artisan, by id (the works of an artisan; issue 14).
    pub artisan: Option<String>,
    /// Narrow to the records showing one product, by id (issue 14): on the public index, the
    /// public records naming a public product; on the everyone index seen by a viewer, the
    /// records it may see naming the product when its scope admits the product's rule (a
    /// product it may not see finds nothing, see [`Indexer::put`]).
    pub product: Option<String>,
    /// 1-based page.
    pub page: usize,
    /// Order of the results.
    pub sort: Sort,
    /// Narrowing by the other facets: `("decade", "1930")`, `("district", "duy-tien")`,
    /// `("status", "developing")`, `("media", "yes")`.
    pub facet_filters: Vec<(String, String)>,
    /// The visitor's language: snippets prefer its text and tag the other language's parts.
    pub lang: Lang,
}

/// Every facet the index counts, in the order they are shown. `artisan` and `product` are
/// ids, `title` the [`slug`] of an honour title, `stars` a number of OCOP stars, `commune` and
/// `province` the [`slug`] of a commune's or a province's name (as documented, or after 1 July
/// 2025).
pub const FACETS: [&str; 13] = [
    "kind", "village", "craft", "commune", "district", "province", "status", "artisan", "title",
    "product", "stars", "decade", "media",
];

/// How results are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best match first, equal scores by title, then record id; with no query text, as
    /// [`Sort::Title`].
    #[default]
    Relevance,
    /// By Vietnamese title, in dictionary order; equal titles by record id.
    Title,
    /// Oldest first, by the earliest date a record's EDTF date allows as search reads it
    /// ([`crate::model::edtf::Edtf::search_span`]); undated last; equal dates by title, then id.
    Date,
    /// Newest first, by the latest date a record's EDTF date allows as search reads it; undated
    /// last; equal dates by title, then id.
    DateDesc,
}

impl Sort {
    /// Every order, as offered to visitors.
    pub const ALL: [Sort; 4] = [Sort::Relevance, Sort::Title, Sort::Date, Sort::DateDesc];

    /// The keyword of the `sort` parameter.
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Title => "title",
            Sort::Date => "date",
            Sort::DateDesc => "date-desc",
        }
    }

    /// Reads the keyword of the `sort` parameter.
    pub fn parse(text: &str) -> Option<Sort> {
        match text {
            "relevance" => Some(Sort::Relevance),
            "title" => Some(Sort::Title),
            "date" => Some(Sort::Date),
            "date-desc" => Some(Sort::DateDesc),
            _ => None,
        }
    }
}

/// One result.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Record id.
    pub id: String,
    /// Vietnamese title (or the only one).
    pub title: String,
    /// English title, when the record has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title_en: Option<String>,
    /// Kind keyword.
    pub kind: String,
    /// Village id.
    pub village: Option<String>,
    /// Craft id.
    pub craft: Option<String>,
    /// The record page.
    pub url: String,
    /// The thumbnail URL, when the record has an image.
    pub thumbnail: Option<String>,
    /// A passage of the record's text, HTML-escaped, matched words in `<b>`.
    pub snippet: String,
}

/// A page of results with the counts that narrow them.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// Matching records in all pages.
    pub total: usize,
    /// This page.
    pub hits: Vec<Hit>,
    /// Counts per facet ([`FACETS`]) among all matches; a facet a value was chosen in is counted
    /// without that choice, so its other values stay visible (disjunctive facets).
    pub facets: BTreeMap<String, BTreeMap<String, u64>>,
    /// What the visitor should know about the query (values not understood, close spellings).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<Notice>,
}

/// A search-as-you-type suggestion.
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    /// What to show (a title or a name).
    pub label: String,
    /// `record`, `identifier` (a record whose id or `dc.identifier` begins with what was
    /// typed), `village` or `craft`.
    pub kind: &'static str,
    /// The language of `label` (`vi` or `en`), for the `lang` of the option showing it
    /// (WCAG 2.1 SC 3.1.2).
    pub lang: &'static str,
    /// Where it leads.
    pub url: String,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it when missing. An index written by an incompatible
    /// version of Disan is deleted and recreated empty (it is rebuilt by `disan reindex`).
    /// Segments are read with positioned reads, never memory-mapped, and a folder that cannot be
    /// written is served as it is (see [`directory`]).
    ///
    /// # Errors
    /// [`SearchError::Damaged`] when `dir` is not a folder or the index in it cannot be read
    /// (a missing, truncated or corrupt file, a garbled `meta.json`); [`SearchError::Io`] when
    /// the folder cannot be created or read for another reason (permissions, a full disk).
    pub fn open_or_create(dir: &Path) -> Result<Self, SearchError> {
        Self::open_for(dir, Audience::Public)
    }

    /// Opens the public index in `dir` and the everyone index in `everyone` beside it, kept in
    /// step ([`SearchIndex::companion`]). When the two do not say they reflect the same archive
    /// state (a new Disan found no `search-all` yet, or a run stopped between their commits),
    /// the pair reports [`SearchIndex::was_recreated`], so [`super::open_current`] rebuilds both
    /// from the archive.
    ///
    /// # Errors
    /// As [`SearchIndex::open_or_create`], for either folder.
    pub fn open_pair(dir: &Path, everyone: &Path) -> Result<Self, SearchError> {
        let mut public = Self::open_for(dir, Audience::Public)?;
        let all = Self::open_for(everyone, Audience::Everyone)?;
        let payload = |index: &SearchIndex| -> Result<Option<String>, SearchError> {
            Ok(index.index.load_metas()?.payload)
        };
        if all.recreated || payload(&public)? != payload(&all)? {
            public.recreated = true;
        }
        public.companion = Some(Box::new(all));
        Ok(public)
    }

    /// Opens the index of `audience` in `dir`, as [`SearchIndex::open_or_create`].
    fn open_for(dir: &Path, audience: Audience) -> Result<Self, SearchError> {
        let io = |reason| SearchError::Io {
            path: dir.to_path_buf(),
            reason,
        };
        match std::fs::metadata(dir) {
            Ok(metadata) if !metadata.is_dir() => {
                return Err(SearchError::Damaged {
                    path: dir.to_path_buf(),
                    reason: "it is not a folder".to_string(),
                });
            }
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(dir).map_err(io)?;
            }
            Err(error) => return Err(io(error)),
        }
        let (schema, fields) = schema();
        let open = |schema: Schema| -> Result<(Index, IndexReader), tantivy::TantivyError> {
            let directory = directory::ReadAtDirectory::open(dir)?;
            let index = Index::open_or_create(directory, schema)?;
            let reader = index.reader()?;
            Ok((index, reader))
        };
        let mut recreated = false;
        let (index, reader) = match open(schema.clone()) {
            Ok(opened) => opened,
            Err(tantivy::TantivyError::SchemaError(_)) => {
                recreated = true;
                std::fs::remove_dir_all(dir).map_err(io)?;
                std::fs::create_dir_all(dir).map_err(io)?;
                open(schema).map_err(|error| damaged(dir, error))?
            }
            Err(error) => return Err(damaged(dir, error)),
        };
        index
            .tokenizers()
            .register(TOKENIZER, super::analysis::analyzer());
        index
            .tokenizers()
            .register(ENGLISH_TOKENIZER, super::analysis::english_analyzer());
        index
            .tokenizers()
            .register(PAIRS_TOKENIZER, super::analysis::pairs_analyzer());
        index.tokenizers().register(
            ENGLISH_FOLDED_TOKENIZER,
            super::analysis::english_folded_analyzer(),
        );
        let meta = dir.join("meta.json");
        let loaded = super::hiding::FileMark::of(&meta);
        Ok(SearchIndex {
            index,
            reader,
            fields,
            recreated,
            audience,
            meta,
            loaded: Arc::new(Mutex::new(loaded)),
            suppressed: Arc::default(),
            collection: Arc::default(),
            companion: None,
            scope: None,
            scopes: Arc::default(),
            visible_memo: Arc::default(),
        })
    }

    /// The audience this index is built for.
    pub fn audience(&self) -> Audience {
        self.audience
    }

    /// What the last commit says the index reflects (see [`super::sync`]).
    pub fn state(&self) -> Result<super::sync::IndexState, SearchError> {
        let metas = self.index.load_metas()?;
        Ok(super::sync::IndexState::from_payload(
            metas.payload.as_deref(),
        ))
    }

    /// Whether record `id` has a live document, so the audience may see it. One term lookup per
    /// segment: the same work for a hidden id as for an id that never existed, since hidden
    /// records have no document. An index that cannot be read answers `false` (see
    /// [`SearchIndex::visible`] for the error).
    pub fn is_visible(&self, id: &str) -> bool {
        self.visible(id).unwrap_or(false)
    }

    /// [`SearchIndex::is_visible`], saying when a segment could not be read.
    ///
    /// # Errors
    /// [`SearchError::Tantivy`] when a segment that could hold the id cannot be read (a damaged
    /// file) and no other segment holds it.
    pub fn visible(&self, id: &str) -> Result<bool, SearchError> {
        if self
            .suppressed
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .contains(id)
        {
            return Ok(false);
        }
        let searcher = self.reader.searcher();
        // Kept answers: the public index's, or the viewer's scope's (its admitted rules decide;
        // an unscoped everyone index keeps none).
        let memo = match (&self.scope, self.audience) {
            (Some(scope), _) => Some(&scope.answers),
            (None, Audience::Public) => Some(&*self.visible_memo),
            (None, Audience::Everyone) => None,
        };
        let generation = searcher.generation().generation_id();
        if let Some(memo) = memo {
            let kept = memo
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if kept.0 == generation
                && let Some(&answer) = kept.1.get(id)
            {
                return Ok(answer);
            }
        }
        let answer = self.look_up_visible(&searcher, id);
        if let (Some(memo), Ok(answer)) = (memo, &answer) {
            let mut kept = memo
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if kept.0 != generation || kept.1.len() >= VISIBLE_KEPT {
                *kept = (generation, HashMap::new());
            }
            kept.1.insert(id.to_string(), *answer);
        }
        answer
    }

    /// [`SearchIndex::visible`] read from `searcher`'s segments (not suppression, not kept).
    fn look_up_visible(&self, searcher: &tantivy::Searcher, id: &str) -> Result<bool, SearchError> {
        let term = Term::from_field_text(self.fields.id, id);
        let mut failure = None;
        for segment in searcher.segment_readers() {
            let postings = segment
                .inverted_index(self.fields.id)
                .and_then(|inverted| Ok(inverted.read_postings(&term, IndexRecordOption::Basic)?));
            let mut postings = match postings {
                Ok(Some(postings)) => postings,
                Ok(None) => continue,
                Err(error) => {
                    failure = Some(error);
                    continue;
                }
            };
            let alive = segment.alive_bitset();
            let mut doc = postings.doc();
            while doc != tantivy::TERMINATED {
                if alive.is_none_or(|alive| alive.is_alive(doc)) {
                    // On a scoped everyone index, the document's rule must be admitted too:
                    // one posting seek per admitted rule, whatever the id. A record whose files
                    // are narrower than its description has two documents, of which the scope
                    // admits one: the other is passed over.
                    // (The unscoped everyone index is never served: it answers for the writers
                    // keeping it in step, such as `hide`.)
                    match &self.scope {
                        None => return Ok(true),
                        Some(scope) if scope::admits(segment, self.fields.rule, scope, doc) => {
                            return Ok(true);
                        }
                        Some(_) => {}
                    }
                }
                doc = postings.advance();
            }
        }
        match failure {
            Some(error) => Err(error.into()),
            None => Ok(false),
        }
    }

    /// The index folder.
    pub fn path(&self) -> &Path {
        self.meta.parent().unwrap_or(&self.meta)
    }

    /// Every live document: record id → what it was made from.
    pub fn documents(&self) -> Result<BTreeMap<String, IndexedDoc>, SearchError> {
        let searcher = self.reader.searcher();
        let mut documents = BTreeMap::new();
        for segment in searcher.segment_readers() {
            let store = segment
                .get_store_reader(64)
                .map_err(|e| SearchError::Tantivy(e.into()))?;
            for doc_id in segment.doc_ids_alive() {
                let doc: TantivyDocument = store.get(doc_id)?;
                let Some(id) = stored_text(&doc, self.fields.id) else {
                    continue;
                };
                documents.insert(
                    id,
                    IndexedDoc {
                        stamp: stored_text(&doc, self.fields.stamp).unwrap_or_default(),
                        village: stored_text(&doc, self.fields.village),
                        craft: stored_text(&doc, self.fields.craft),
                        artisans: stored_all(&doc, self.fields.artisan),
                        products: stored_all(&doc, self.fields.names_product),
                    },
                );
            }
        }
        Ok(documents)
    }

    /// The ids of stories embedding record `id`.
    pub fn embedding(&self, id: &str) -> Result<Vec<String>, SearchError> {
        self.ids_with(self.fields.embeds, id)
    }

    /// The ids of documents whose `STRING` field holds `value`.
    fn ids_with(&self, field: Field, value: &str) -> Result<Vec<String>, SearchError> {
        let searcher = self.reader.searcher();
        let holding: Box<dyn Query> = Box::new(TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        ));
        let query = match self.audience {
            Audience::Public => holding,
            Audience::Everyone => Box::new(BooleanQuery::new(vec![
                (Occur::Must, self.public()),
                (Occur::Must, holding),
            ])),
        };
        let addresses = searcher.search(&query, &tantivy::collector::DocSetCollector)?;
        let mut ids = Vec::with_capacity(addresses.len());
        for address in addresses {
            let doc: TantivyDocument = searcher.doc(address)?;
            ids.extend(stored_text(&doc, self.fields.id));
        }
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    /// The ids of documents citing an authority object (`urn:disan:village:nha-xa`,
    /// `urn:disan:craft:…`, `urn:disan:artisan:…`, `urn:disan:product:…`): the records to index
    /// again when it changes.
    ///
    /// A product is cited by a record through the field only when the product admitted every
    /// viewer of the record when it was indexed; a record that names a product it may not show
    /// is found through `names_product` (every product a record names, never searched by
    /// visitors), so narrowing or widening a product re-derives it either way.
    pub fn citing(&self, object: &str) -> Result<Vec<String>, SearchError> {
        let (field, id) = if let Some(id) = object.strip_prefix("urn:disan:village:") {
            (self.fields.village, id)
        } else if let Some(id) = object.strip_prefix("urn:disan:craft:") {
            (self.fields.craft, id)
        } else if let Some(id) = object.strip_prefix("urn:disan:artisan:") {
            (self.fields.artisan, id)
        } else if let Some(id) = object.strip_prefix("urn:disan:product:") {
            (self.fields.names_product, id)
        } else {
            return Ok(Vec::new());
        };
        self.ids_with(field, id)
    }

    /// Whether opening found an index written by an incompatible version of Disan and replaced it
    /// with an empty one, which [`super::open_current`] then rebuilds from the archive.
    pub fn was_recreated(&self) -> bool {
        self.recreated
    }

    /// Takes the single writer.
    pub fn indexer(&self) -> Result<Indexer, SearchError> {
        let companion = match &self.companion {
            Some(all) => Some(Box::new(all.indexer()?)),
            None => None,
        };
        Ok(Indexer {
            writer: self.index.writer(WRITER_MEMORY)?,
            fields: self.fields,
            audience: self.audience,
            index: self.index.clone(),
            companion,
        })
    }

    /// Makes the latest commit visible now (readers otherwise see it within about a second).
    pub fn reload(&self) -> Result<(), SearchError> {
        if let Some(all) = &self.companion {
            all.reload()?;
        }
        Ok(self.reader.reload()?)
    }

    /// Makes the latest commit visible now if there is one the reader has not loaded: one `stat`
    /// of `meta.json` when nothing changed, a synchronous reload when it did. Called before
    /// answering anything that reads the index, so a request that starts after a commit (such as
    /// the one that hides a record, made before the archive hides it) always sees it, instead of
    /// within tantivy's reload delay (about half a second).
    ///
    /// # Errors
    /// [`SearchError::Tantivy`] when the new commit cannot be loaded (the previous one stays
    /// loaded, and the next call tries again).
    pub fn refresh(&self) -> Result<(), SearchError> {
        if let Some(all) = &self.companion {
            all.refresh()?;
        }
        let now = super::hiding::FileMark::of(&self.meta);
        let mut loaded = self
            .loaded
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if *loaded != now {
            self.reader.reload()?;
            *loaded = now;
        }
        Ok(())
    }

    /// Removes from this index now the documents that the records an ingest through another
    /// index is about to hide ([`super::hiding`]) cover: those made from the version each line
    /// names or an earlier one ([`super::hiding::Hidden::covers`]). A document made from a later
    /// version was written by an ingest, reconcile or reindex that read the record's new access
    /// (the hiding ingest's own, when this is the index it writes) and is kept. A commit that
    /// removes anything marks the index as not reflecting the archive
    /// ([`super::sync::IndexState::Withdrawn`]: the next `serve` or `ingest` over it reconciles
    /// it). Returns how many records were removed or left out.
    ///
    /// When they cannot be removed (the index is read-only, its writer is held or cannot be
    /// taken, the commit fails), they are left out of every query from now on instead (see
    /// `suppressed`) and one line says so on standard error: a record another index hid is
    /// never listed, whatever this index's folder allows.
    ///
    /// # Errors
    /// [`SearchError::Tantivy`] when the latest commit cannot be loaded.
    pub fn hide(&self, hidden: &[super::hiding::Hidden]) -> Result<usize, SearchError> {
        self.refresh()?;
        // The everyone index drops them too: a record leaving the public may be narrowing to a
        // community, and its old rule must not admit anyone meanwhile.
        let mut listed: Vec<&String> = Vec::new();
        for line in hidden {
            let mut covered = self.covered(line)?;
            if let Some(all) = &self.companion {
                covered |= all.covered(line)?;
            }
            if covered {
                listed.push(&line.id);
            }
        }
        if listed.is_empty() {
            return Ok(0);
        }
        let removed = self.indexer().and_then(|mut indexer| {
            for id in &listed {
                indexer.delete(id);
            }
            indexer.commit_with(&super::sync::IndexState::Withdrawn.payload())?;
            drop(indexer);
            self.refresh()
        });
        if let Err(error) = removed {
            let dir = self.meta.parent().unwrap_or(Path::new("."));
            eprintln!(
                "warning: cannot remove {} record(s) another index hid from the search index {} \
                 ({}); they are left out of every search and listing until this server stops. \
                 Run `disan reindex` over a writable copy of the index to bring it up to date.",
                listed.len(),
                dir.display(),
                error
            );
            let mut suppressed = self
                .suppressed
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            suppressed.extend(listed.iter().map(|id| (*id).clone()));
            if let Some(all) = &self.companion {
                all.suppress(&listed.iter().map(|id| (*id).clone()).collect::<Vec<_>>());
            }
        }
        Ok(listed.len())
    }

    /// Whether this index (not its companion) has a live document of `line`'s record that the
    /// hiding covers. One term lookup, and one stored document read per live document found.
    fn covered(&self, line: &super::hiding::Hidden) -> Result<bool, SearchError> {
        let searcher = self.reader.searcher();
        let query = TermQuery::new(
            Term::from_field_text(self.fields.id, &line.id),
            IndexRecordOption::Basic,
        );
        for address in searcher.search(&query, &tantivy::collector::DocSetCollector)? {
            let doc: TantivyDocument = searcher.doc(address)?;
            let stamp = stored_text(&doc, self.fields.stamp).unwrap_or_default();
            if line.covers(&stamp) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Leaves out of every query from now on, until the process ends, the records of `hidden`
    /// whose documents in the commit loaded now the hiding covers
    /// ([`super::hiding::Hidden::covers`]): what an ingest announced it hides, when this index's
    /// latest commit (which may hold their removal) cannot be loaded. A document that cannot be
    /// read counts as covered (deny by default).
    pub fn suppress_covered(&self, hidden: &[super::hiding::Hidden]) {
        let ids: Vec<String> = hidden
            .iter()
            .filter(|line| {
                self.covered(line).unwrap_or(true)
                    || self
                        .companion
                        .as_ref()
                        .is_some_and(|all| all.covered(line).unwrap_or(true))
            })
            .map(|line| line.id.clone())
            .collect();
        self.suppress(&ids);
    }

    /// Leaves `ids` out of every query from now on, until the process ends.
    pub fn suppress(&self, ids: &[String]) {
        if ids.is_empty() {
            return;
        }
        if let Some(all) = &self.companion {
            all.suppress(ids);
        }
        self.suppressed
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend(ids.iter().cloned());
    }

    /// How many records queries leave out because they could not be removed
    /// ([`SearchIndex::hide`]).
    fn suppressed_count(&self) -> usize {
        self.suppressed
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len()
    }

    /// Identifies the committed state readers see now; it changes with every visible commit.
    pub fn generation(&self) -> u64 {
        // Records left out at query time change what is listed without a commit.
        let suppressed = self.suppressed_count() as u64;
        self.reader
            .searcher()
            .generation()
            .generation_id()
            .wrapping_add(suppressed << 40)
    }
}

/// The first stored text of `field`.
fn stored_text(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// Every stored text of `field`, in the order added.
fn stored_all(doc: &TantivyDocument, field: Field) -> Vec<String> {
    doc.get_all(field)
        .filter_map(|v| v.as_str())
        .map(str::to_string)
        .collect()
}

/// Every stored text of `field`, one per line.
fn stored_texts(doc: &TantivyDocument, field: Field) -> String {
    let values: Vec<&str> = doc.get_all(field).filter_map(|v| v.as_str()).collect();
    values.join("\n")
}

/// A filter on a `STRING` field: it decides what matches and adds nothing to the score, so it
/// costs no scoring per matching record.
fn filter(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(
        Box::new(TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        )),
        0.0,
    ))
}

/// An identifier as the `identifiers` field holds it and a query is compared with it: in its
/// [`search_form`] (composed, fullwidth folded, dashes `‑`, `–`, `−` read as `-`), lowercase, trimmed, inner white space one space. `identifier_key(" HN-1995-012 ")` is
/// `"hn-1995-012"`.
pub fn identifier_key(identifier: &str) -> String {
    search_form(identifier)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Adds folded text to the field searched word by word and to the field of its word pairs.
fn add_folded(doc: &mut TantivyDocument, fields: &Fields, folded: String) {
    doc.add_text(fields.text_pairs, &folded);
    doc.add_text(fields.text_folded, folded);
}

/// A term in a `STRING` field or one word of a text field.
fn term_query(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::WithFreqs,
    ))
}

/// Whether files of this media type get a display image and thumbnail.
pub fn has_derivative(mime: &str) -> bool {
    super::derivatives::can_decode(mime) || mime == "image/svg+xml"
}

/// Markdown without its markup, for indexing.
fn plain_markdown(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            // Inline markup ends inside a sentence: no space, so "**body** (*tang*)" reads
            // "body (tang)" (break-12 finding 14); a block's end separates words.
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::Superscript
                | TagEnd::Subscript,
            ) => {}
            Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    text
}

mod browse;
mod clauses;
mod decades;
pub mod directory;
mod indexer;
mod narrowed;
mod run;
pub mod scope;
mod scope_cache;
mod statistics;
mod tally;
mod understand;
pub use indexer::{AuthorityNames, IndexedDoc, Indexer};

#[cfg(test)]
mod facet_tests;
#[cfg(test)]
mod place_tests;
#[cfg(test)]
mod scope_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod vocabulary_tests;
