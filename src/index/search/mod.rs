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
//!
//! This file owns the weights of ranking, [`SearchError`], [`SearchIndex`] itself and the small
//! helpers its parts share. The parts, one concern each: `schema` (the fields), `shapes` (what
//! is asked and answered), `open` (opening, the writer, reloading), `lookup` (visibility and
//! citing, by id), `withdraw` (records another index hid), `indexer` (writing documents),
//! `run` (one search), `clauses` (a parsed query as tantivy queries), `understand` (reading a
//! query as meant), `narrowed` and `tally` (filters and facet counts in one pass), `decades`,
//! `browse`, `statistics`, [`scope`] and `scope_cache` (a signed-in viewer's view), [`directory`].

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
mod lookup;
mod narrowed;
mod open;
mod run;
mod schema;
pub mod scope;
mod scope_cache;
mod shapes;
mod statistics;
mod tally;
mod understand;
mod withdraw;
pub use browse::PublicHeader;
pub use indexer::{AuthorityNames, IndexedDoc, Indexer};
pub use open::is_tantivy_file;
use schema::{
    ENGLISH_FOLDED_TOKENIZER, ENGLISH_TOKENIZER, Fields, PAIRS_TOKENIZER, TOKENIZER, schema,
};
pub use shapes::{FACETS, Hit, SearchQuery, SearchResults, Sort, Suggestion};

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
