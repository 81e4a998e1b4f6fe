//! The full-text search index (tantivy) over every record in the archive.
//!
//! Each record is one document. Its text is indexed as written (NFC, lowercased), folded (tones and
//! marks removed, `đ` → `d`) and, for English values, stemmed; so "det lua" finds "dệt lụa", a
//! query typed with diacritics ranks exact matches first, and "weavers" finds "weaving". Queries
//! are read by [`super::query`]; a word found nowhere falls back to close spellings, scored below
//! any exact match.
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

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::Bm25StatisticsProvider;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, MoreLikeThisQuery, Occur,
    PhraseQuery, Query, RangeQuery, RegexQuery, TermQuery,
};
use tantivy::schema::{
    FAST, Facet, FacetOptions, Field, IndexRecordOption, OwnedValue, STORED, STRING, Schema,
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
use crate::model::text::{fold, nfc, slug, sort_key};
use crate::model::{Access, Lang, Record};

const TOKENIZER: &str = "disan";
const ENGLISH_TOKENIZER: &str = "disan_en";
const PAIRS_TOKENIZER: &str = "disan_pairs";
/// Boost of a title match over a match in the text.
const TITLE_BOOST: f32 = 3.0;
/// Extra weight of a match with the query's own diacritics.
const EXACT_BOOST: f32 = 2.0;
/// Best matches reordered by words found side by side (more when the page asked is deeper).
const RESCORED: usize = 200;
/// Extra weight of words found side by side, as typed.
const ADJACENCY_BOOST: f32 = 8.0;
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
    kind: Field,
    village: Field,
    craft: Field,
    facets: Field,
    title: Field,
    title_en: Field,
    title_folded: Field,
    title_en_stemmed: Field,
    text: Field,
    text_folded: Field,
    /// `text_folded` as pairs of neighbouring words, for phrases (see `analysis::pairs`).
    text_pairs: Field,
    text_en_stemmed: Field,
    village_names: Field,
    craft_names: Field,
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
        kind: builder.add_text_field("kind", STRING | STORED),
        village: builder.add_text_field("village", STRING | STORED),
        craft: builder.add_text_field("craft", STRING | STORED),
        facets: builder.add_facet_field("facets", FacetOptions::default()),
        title: builder.add_text_field("title", indexed(true)),
        title_en: builder.add_text_field("title_en", indexed(true)),
        title_folded: builder.add_text_field("title_folded", indexed(false)),
        title_en_stemmed: builder
            .add_text_field("title_en_stemmed", analysed(ENGLISH_TOKENIZER, false)),
        text: builder.add_text_field("text", indexed(true)),
        text_folded: builder.add_text_field("text_folded", indexed(false)),
        text_pairs: builder.add_text_field("text_pairs", analysed(PAIRS_TOKENIZER, false)),
        text_en_stemmed: builder
            .add_text_field("text_en_stemmed", analysed(ENGLISH_TOKENIZER, false)),
        village_names: builder.add_text_field("village_names", indexed(false)),
        craft_names: builder.add_text_field("craft_names", indexed(false)),
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
}

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
    /// 1-based page.
    pub page: usize,
    /// Order of the results.
    pub sort: Sort,
    /// Narrowing by the other facets: `("decade", "1930")`, `("district", "duy-tien")`,
    /// `("status", "developing")`, `("media", "yes")`.
    pub facet_filters: Vec<(String, String)>,
}

/// Every facet the index counts, in the order they are shown.
pub const FACETS: [&str; 7] = [
    "kind", "village", "craft", "district", "status", "decade", "media",
];

/// How results are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best match first (with no query text: index order).
    #[default]
    Relevance,
    /// By Vietnamese title, in dictionary order.
    Title,
    /// Oldest first, by the earliest date a record's EDTF date allows; undated last.
    Date,
    /// Newest first, by the latest date a record's EDTF date allows; undated last.
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
    /// Counts per kind, village and craft among all matches.
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
    /// `record`, `village` or `craft`.
    pub kind: &'static str,
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
        let meta = dir.join("meta.json");
        let loaded = super::hiding::FileMark::of(&meta);
        Ok(SearchIndex {
            index,
            reader,
            fields,
            recreated,
            audience: Audience::Public,
            meta,
            loaded: Arc::new(Mutex::new(loaded)),
            suppressed: Arc::default(),
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
                    return Ok(true);
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
        let addresses = searcher.search(
            &TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            ),
            &tantivy::collector::DocSetCollector,
        )?;
        let mut ids = Vec::with_capacity(addresses.len());
        for address in addresses {
            let doc: TantivyDocument = searcher.doc(address)?;
            ids.extend(stored_text(&doc, self.fields.id));
        }
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    /// The ids of documents citing an authority object (`urn:disan:village:nha-xa`).
    pub fn citing(&self, object: &str) -> Result<Vec<String>, SearchError> {
        let (field, id) = if let Some(id) = object.strip_prefix("urn:disan:village:") {
            (self.fields.village, id)
        } else if let Some(id) = object.strip_prefix("urn:disan:craft:") {
            (self.fields.craft, id)
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
        Ok(Indexer {
            writer: self.index.writer(WRITER_MEMORY)?,
            fields: self.fields,
            audience: self.audience,
            index: self.index.clone(),
        })
    }

    /// Makes the latest commit visible now (readers otherwise see it within about a second).
    pub fn reload(&self) -> Result<(), SearchError> {
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

    /// Removes `ids` from this index now, when it lists any of them: the records an ingest
    /// through another index is about to hide ([`super::hiding`]). The commit marks the index as
    /// not reflecting the archive (the next `serve` or `ingest` over it reconciles it). Returns
    /// how many documents were removed or left out.
    ///
    /// When they cannot be removed (the index is read-only, its writer is held or cannot be
    /// taken, the commit fails), they are left out of every query from now on instead (see
    /// `suppressed`) and one line says so on standard error: a record another index hid is
    /// never listed, whatever this index's folder allows.
    ///
    /// # Errors
    /// [`SearchError::Tantivy`] when the latest commit cannot be loaded.
    pub fn hide(&self, ids: &[String]) -> Result<usize, SearchError> {
        self.refresh()?;
        let listed: Vec<&String> = ids.iter().filter(|id| self.is_visible(id)).collect();
        if listed.is_empty() {
            return Ok(0);
        }
        let removed = self.indexer().and_then(|mut indexer| {
            for id in &listed {
                indexer.delete(id);
            }
            indexer.commit_with(&super::sync::IndexState::InProgress.payload())?;
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
        }
        Ok(listed.len())
    }

    /// Leaves `ids` out of every query from now on, until the process ends: the records an
    /// ingest announced it hides, when this index's latest commit (which may hold their removal)
    /// cannot be loaded.
    pub fn suppress(&self, ids: &[String]) {
        if ids.is_empty() {
            return;
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

    /// Searches public records only.
    pub fn search(&self, query: &SearchQuery) -> Result<SearchResults, SearchError> {
        let fields = self.fields;
        let searcher = self.reader.searcher();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, self.public())];
        for (field, value) in [
            (fields.kind, &query.kind),
            (fields.village, &query.village),
            (fields.craft, &query.craft),
        ] {
            if let Some(value) = value {
                clauses.push((Occur::Must, filter(field, value)));
            }
        }
        for (name, value) in &query.facet_filters {
            clauses.push((Occur::Must, self.facet_query(name, value)));
        }
        let parsed = super::query::parse(query.text.trim());
        let mut notices = parsed.notices;
        let mut words = QueryWords::default();
        let mut understood_anything = false;
        let mut respellings = MAX_RESPELLED_WORDS;
        for clause in &parsed.clauses {
            let alternatives: Vec<Box<dyn Query>> = clause
                .alternatives
                .iter()
                .filter_map(|atom| {
                    let highlight = (!clause.negated).then_some(&mut words);
                    self.atom_query(&searcher, atom, highlight, &mut notices, &mut respellings)
                })
                .collect();
            if alternatives.is_empty() {
                continue;
            }
            understood_anything = true;
            let occur = if clause.negated {
                Occur::MustNot
            } else {
                Occur::Must
            };
            clauses.push((occur, union(alternatives)));
        }
        // Words side by side only reorder the best candidates (see RESCORED): testing every
        // match of two very common words for adjacency would cost more than the search.
        let mut adjacency: Vec<Adjacent> = adjacent_words(&parsed.clauses)
            .iter()
            .filter_map(|words| self.adjacent(words))
            .collect();
        for clause in parsed.clauses.iter().filter(|c| !c.negated) {
            for atom in &clause.alternatives {
                if let Atom::Text {
                    text, phrase: true, ..
                } = atom
                    && let Some(exact) = self.adjacent(text)
                {
                    // Only the accented sequences: the folded phrase already had to match.
                    let sequences: Vec<_> = exact
                        .sequences
                        .into_iter()
                        .filter(|(field, _, _)| *field == fields.title || *field == fields.text)
                        .collect();
                    if !sequences.is_empty() {
                        adjacency.push(Adjacent { sequences });
                    }
                }
            }
        }
        if !understood_anything && !notices.is_empty() {
            // Only unusable field values: show nothing rather than everything.
            clauses.push((Occur::MustNot, self.public()));
        }
        let combined = BooleanQuery::new(clauses);
        let mut facet_collector = FacetCollector::for_field("facets");
        for name in FACETS {
            facet_collector.add_facet(format!("/{name}").as_str());
        }
        let page = query.page.max(1);
        let offset = (page - 1) * PAGE_SIZE;
        let top = TopDocs::with_limit(PAGE_SIZE).and_offset(offset);
        // With no words to rank by, every score is equal and the order would be the order
        // records happened to be indexed in; titles give one that survives a reindex.
        let ranked = parsed.clauses.iter().any(|clause| {
            !clause.negated
                && clause
                    .alternatives
                    .iter()
                    .any(|atom| matches!(atom, Atom::Text { .. }))
        });
        let sort = match query.sort {
            Sort::Relevance if !ranked => Sort::Title,
            chosen => chosen,
        };
        let (addresses, total, facet_counts): (Vec<DocAddress>, _, _) = match sort {
            Sort::Relevance if !adjacency.is_empty() => {
                let candidates = by_score(RESCORED.max(offset + PAGE_SIZE), 0);
                let (docs, total, facets) = searcher.search_with_statistics_provider(
                    &combined,
                    &(candidates, Count, facet_collector),
                    &LiveStatistics(&searcher),
                )?;
                let rescored = self.add_adjacency(&searcher, &adjacency, docs)?;
                let page_of = rescored.into_iter().skip(offset).take(PAGE_SIZE);
                (page_of.map(|(_, a)| a).collect(), total, facets)
            }
            Sort::Relevance => {
                let (docs, total, facets) = searcher.search_with_statistics_provider(
                    &combined,
                    &(by_score(PAGE_SIZE, offset), Count, facet_collector),
                    &LiveStatistics(&searcher),
                )?;
                (docs.into_iter().map(|(_, a)| a).collect(), total, facets)
            }
            Sort::Title => {
                use tantivy::collector::sort_key::{SortByStaticFastValue, SortByString};
                // Equal titles in a fixed order (see `Ranked`).
                let ordered = top.order_by((
                    (SortByString::for_field("title_sort"), Order::Asc),
                    (SortByStaticFastValue::<u64>::for_field("tie"), Order::Asc),
                ));
                let (docs, total, facets) =
                    searcher.search(&combined, &(ordered, Count, facet_collector))?;
                (docs.into_iter().map(|(_, a)| a).collect(), total, facets)
            }
            Sort::Date | Sort::DateDesc => {
                let (field, order) = if sort == Sort::Date {
                    ("date_from", Order::Asc)
                } else {
                    ("date_to", Order::Desc)
                };
                use tantivy::collector::sort_key::SortByStaticFastValue;
                let ordered = top.order_by((
                    (SortByStaticFastValue::<i64>::for_field(field), order),
                    (SortByStaticFastValue::<u64>::for_field("tie"), Order::Asc),
                ));
                let (docs, total, facets) =
                    searcher.search(&combined, &(ordered, Count, facet_collector))?;
                (docs.into_iter().map(|(_, a)| a).collect(), total, facets)
            }
        };
        let hits = addresses
            .into_iter()
            .map(|address| self.hit(&searcher, address, Some(&words)))
            .collect::<Result<Vec<_>, _>>()?;
        let mut facets = BTreeMap::new();
        for name in FACETS {
            let counts: BTreeMap<String, u64> = facet_counts
                .get(&format!("/{name}"))
                .filter_map(|(facet, count)| {
                    let value = facet.to_path().last().map(|s| s.to_string())?;
                    Some((value, count))
                })
                .collect();
            facets.insert(name.to_string(), counts);
        }
        Ok(SearchResults {
            total,
            hits,
            facets,
            notices,
        })
    }

    /// Records like record `id` (by their words, craft and village), public ones only; none when
    /// `id` itself is not public.
    pub fn related(&self, id: &str, limit: usize) -> Result<Vec<Hit>, SearchError> {
        let fields = self.fields;
        let searcher = self.reader.searcher();
        let this = BooleanQuery::new(vec![
            (Occur::Must, self.public()),
            (Occur::Must, term_query(fields.id, id)),
        ]);
        let Some((_, address)) = searcher
            .search(&this, &TopDocs::with_limit(1).order_by_score())?
            .into_iter()
            .next()
        else {
            return Ok(Vec::new());
        };
        let doc: TantivyDocument = searcher.doc(address)?;
        let stored = |field| stored_text(&doc, field);
        let title = stored(fields.title).unwrap_or_default();
        let text = stored_texts(&doc, fields.text);
        let common = (searcher.num_docs() / 4).max(2);
        // (MoreLikeThis counts a deleted document's words until its segment is merged, which
        // `Indexer::finish` does at the end of every run that deletes.)
        let like_this = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(1)
            .with_max_doc_frequency(common)
            .with_min_term_frequency(1)
            .with_max_query_terms(30)
            .with_min_word_length(2)
            .with_document_fields(vec![
                (fields.title_folded, vec![OwnedValue::Str(fold(&title))]),
                (fields.text_folded, vec![OwnedValue::Str(fold(&text))]),
            ]);
        let mut similar: Vec<Box<dyn Query>> = vec![Box::new(like_this)];
        for field in [fields.craft, fields.village] {
            if let Some(value) = stored(field) {
                let boost = if field == fields.craft { 4.0 } else { 2.0 };
                similar.push(Box::new(BoostQuery::new(term_query(field, &value), boost)));
            }
        }
        let query = BooleanQuery::new(vec![
            (Occur::Must, self.public()),
            (Occur::MustNot, term_query(fields.id, id)),
            (Occur::Must, union(similar)),
        ]);
        searcher
            .search_with_statistics_provider(
                &query,
                &by_score(limit, 0),
                &LiveStatistics(&searcher),
            )?
            .into_iter()
            .map(|(_, address)| self.hit(&searcher, address, None))
            .collect()
    }

    /// Titles of public records that the words typed so far begin, best first; the last word may
    /// be unfinished ("det l" suggests "Dệt lụa …").
    pub fn suggest(&self, typed: &str, limit: usize) -> Result<Vec<Suggestion>, SearchError> {
        let fields = self.fields;
        let typed = nfc(typed);
        let words = tokens(&mut super::analysis::analyzer(), &fold(&typed));
        let Some((last, complete)) = words.split_last() else {
            return Ok(Vec::new());
        };
        let unfinished = !typed.ends_with(char::is_whitespace);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, self.public())];
        for word in complete {
            clauses.push((Occur::Must, term_query(fields.title_folded, word)));
        }
        if unfinished {
            // Folded tokens are letters and digits only, so the word needs no regex escaping.
            let prefix = RegexQuery::from_pattern(&format!("{last}.*"), fields.title_folded)?;
            clauses.push((Occur::Must, Box::new(prefix)));
            clauses.push((Occur::Should, term_query(fields.title_folded, last)));
        } else {
            clauses.push((Occur::Must, term_query(fields.title_folded, last)));
        }
        let searcher = self.reader.searcher();
        searcher
            .search_with_statistics_provider(
                &BooleanQuery::new(clauses),
                &by_score(limit, 0),
                &LiveStatistics(&searcher),
            )?
            .into_iter()
            .map(|(_, address)| {
                let hit = self.hit(&searcher, address, None)?;
                Ok(Suggestion {
                    label: hit.title,
                    kind: "record",
                    url: hit.url,
                })
            })
            .collect()
    }

    /// The ids of every public record, sorted.
    pub fn public_ids(&self) -> Result<Vec<String>, SearchError> {
        let searcher = self.reader.searcher();
        let addresses = searcher.search(&*self.public(), &tantivy::collector::DocSetCollector)?;
        let mut ids = Vec::with_capacity(addresses.len());
        for address in addresses {
            let doc: TantivyDocument = searcher.doc(address)?;
            if let Some(id) = stored_text(&doc, self.fields.id) {
                ids.push(id);
            }
        }
        ids.sort_unstable();
        Ok(ids)
    }

    /// Matches public records only, leaving out the records [`SearchIndex::hide`] could not
    /// remove.
    fn public(&self) -> Box<dyn Query> {
        let public = filter(self.fields.access, Access::Public.as_str());
        let suppressed = self
            .suppressed
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if suppressed.is_empty() {
            return public;
        }
        let mut clauses = vec![(Occur::Must, public)];
        for id in suppressed.iter() {
            clauses.push((Occur::MustNot, filter(self.fields.id, id)));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// Matches records whose facet `name` has `value`.
    fn facet_query(&self, name: &str, value: &str) -> Box<dyn Query> {
        let facet = Facet::from_path([name, value]);
        Box::new(TermQuery::new(
            Term::from_facet(self.fields.facets, &facet),
            IndexRecordOption::Basic,
        ))
    }

    /// The query of one atom; `None` when it holds nothing searchable (punctuation only).
    /// Words to highlight go to `highlight` (none for excluded atoms).
    fn atom_query(
        &self,
        searcher: &Searcher,
        atom: &Atom,
        highlight: Option<&mut QueryWords>,
        notices: &mut Vec<Notice>,
        respellings: &mut usize,
    ) -> Option<Box<dyn Query>> {
        let fields = self.fields;
        let folded_words = |text: &str| tokens(&mut super::analysis::analyzer(), &fold(text));
        match atom {
            Atom::Text {
                text,
                phrase,
                scope,
            } => self.text_query(
                searcher,
                text,
                (*phrase, *scope),
                highlight,
                notices,
                respellings,
            ),
            Atom::Village(name) | Atom::Craft(name) => {
                let (id_field, names_field) = match atom {
                    Atom::Village(_) => (fields.village, fields.village_names),
                    _ => (fields.craft, fields.craft_names),
                };
                let mut either = vec![term_query(id_field, &slug(name))];
                either.extend(sequence(names_field, &folded_words(name)));
                Some(union(either))
            }
            Atom::District(name) => Some(self.facet_query("district", &slug(name))),
            Atom::Status(status) => Some(self.facet_query("status", status.as_str())),
            Atom::Kind(kind) => Some(term_query(fields.kind, kind.as_str())),
            Atom::Date { from, to } => {
                let mut both: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                if let Some(to) = to {
                    both.push((
                        Occur::Must,
                        Box::new(RangeQuery::new(
                            Bound::Unbounded,
                            Bound::Included(Term::from_field_i64(fields.date_from, *to)),
                        )),
                    ));
                }
                if let Some(from) = from {
                    both.push((
                        Occur::Must,
                        Box::new(RangeQuery::new(
                            Bound::Included(Term::from_field_i64(fields.date_to, *from)),
                            Bound::Unbounded,
                        )),
                    ));
                }
                Some(Box::new(BooleanQuery::new(both)))
            }
        }
    }

    /// Words or a phrase: folded everywhere, exact (when typed with diacritics) ranked higher,
    /// English stems, and close spellings when the word as typed is found in no public record,
    /// is of a plausible length ([`TYPO_MIN_CHARS`]..=[`TYPO_MAX_CHARS`]) and `respellings`
    /// (the query's budget, [`MAX_RESPELLED_WORDS`]) is not spent.
    fn text_query(
        &self,
        searcher: &Searcher,
        text: &str,
        (phrase, scope): (bool, Scope),
        mut highlight: Option<&mut QueryWords>,
        notices: &mut Vec<Notice>,
        respellings: &mut usize,
    ) -> Option<Box<dyn Query>> {
        let fields = self.fields;
        let mut analyzer: TextAnalyzer = super::analysis::analyzer();
        let folded = tokens(&mut analyzer, &fold(text));
        if folded.is_empty() {
            return None;
        }
        let exact = tokens(&mut analyzer, text);
        let stemmed = tokens(&mut super::analysis::english_analyzer(), text);
        let everywhere = scope == Scope::Everywhere;
        let accented = exact != folded;
        let in_fields = |title_field, text_field, words: &[String], boost: f32| {
            let mut queries = vec![boosted(title_field, words, TITLE_BOOST * boost)];
            if everywhere {
                queries.push(boosted(text_field, words, boost));
            }
            queries.into_iter().flatten().collect::<Vec<_>>()
        };
        let mut folded_queries = Vec::from_iter(boosted(fields.title_folded, &folded, TITLE_BOOST));
        if everywhere {
            folded_queries.push(self.folded_text(&folded));
        }
        // An accented phrase ranks exact matches first by rescoring (see `adjacent`): a second
        // phrase scan of the text would cost as much as the search.
        let exact_queries = if accented && !(phrase && exact.len() > 1) {
            in_fields(fields.title, fields.text, &exact, EXACT_BOOST)
        } else {
            Vec::new()
        };
        let stemmed_queries = in_fields(
            fields.title_en_stemmed,
            fields.text_en_stemmed,
            &stemmed,
            1.0,
        );
        // The word as typed: with the visitor's diacritics when they typed some (a typo may be
        // a wrong tone, "điềm" for "điền"), else folded.
        let (word, typed_query, title_field, text_field) = if accented {
            let typed = union(exact_queries.iter().map(|q| q.box_clone()).collect());
            (&exact[0], typed, fields.title, fields.text)
        } else {
            let typed = union(
                folded_queries
                    .iter()
                    .chain(&stemmed_queries)
                    .map(|q| q.box_clone())
                    .collect(),
            );
            (&folded[0], typed, fields.title_folded, fields.text_folded)
        };
        let as_typed = union(
            folded_queries
                .into_iter()
                .chain(exact_queries)
                .chain(stemmed_queries)
                .collect(),
        );
        if let Some(words) = highlight.as_deref_mut() {
            folded.iter().for_each(|w| words.add(w));
            stemmed.iter().for_each(|w| words.add_stem(w));
        }
        let length = word.chars().count();
        let respellable = !phrase
            && folded.len() == 1
            && length >= TYPO_MIN_CHARS
            && !word.chars().any(|c| c.is_ascii_digit());
        let found = || {
            let public_and_typed = BooleanQuery::new(vec![
                (Occur::Must, self.public()),
                (Occur::Must, typed_query.box_clone()),
            ]);
            any_match(searcher, &public_and_typed)
        };
        if !respellable || found() {
            return Some(as_typed);
        }
        // Typo automata cost grows with the word's length: a 250-letter "word" cost 25–75 ms
        // of CPU. No word that long is a typo of anything indexed, and a query gets a few.
        if length > TYPO_MAX_CHARS || *respellings == 0 {
            notices.push(if length > TYPO_MAX_CHARS {
                Notice {
                    vi: format!("Không tìm thấy “{text}”; từ dài quá {TYPO_MAX_CHARS} chữ cái nên không tìm các từ viết gần giống."),
                    en: format!("Nothing contains “{text}”; words longer than {TYPO_MAX_CHARS} letters are not checked for close spellings."),
                }
            } else {
                Notice {
                    vi: format!("Không tìm thấy “{text}”; chỉ {MAX_RESPELLED_WORDS} từ đầu tiên của câu tìm được tìm theo cách viết gần giống."),
                    en: format!("Nothing contains “{text}”; close spellings are looked for only for the first {MAX_RESPELLED_WORDS} words found nowhere."),
                }
            });
            return Some(as_typed);
        }
        *respellings -= 1;
        let mut respelled = vec![as_typed];
        for spelling in self.close_spellings(searcher, word, [title_field, text_field]) {
            respelled.extend(in_fields(
                title_field,
                text_field,
                std::slice::from_ref(&spelling),
                TYPO_WEIGHT,
            ));
            if let Some(words) = highlight.as_deref_mut() {
                words.add(&spelling);
            }
        }
        if !accented && let [stem] = stemmed.as_slice() {
            let english = [fields.title_en_stemmed, fields.text_en_stemmed];
            for spelling in self.close_spellings(searcher, stem, english) {
                respelled.extend(in_fields(
                    english[0],
                    english[1],
                    std::slice::from_ref(&spelling),
                    TYPO_WEIGHT,
                ));
                if let Some(words) = highlight.as_deref_mut() {
                    words.add_stem(&spelling);
                }
            }
        }
        // Said whether or not a close spelling exists: which ones exist may be a restricted
        // record's words.
        notices.push(Notice {
            vi: format!("Không tìm thấy “{text}”; kết quả gồm cả các từ viết gần giống."),
            en: format!("Nothing contains “{text}”; results include close spellings."),
        });
        Some(union(respelled))
    }

    /// The folded text holding `words` (at least one) side by side, in order. Several words are
    /// the phrase of their pairs: common syllables ("làng nghề") are in most records, and testing
    /// each record's positions of both cost more than the rest of the search, where the pair is
    /// one term.
    fn folded_text(&self, words: &[String]) -> Box<dyn Query> {
        let fields = self.fields;
        match words {
            [word] => term_query(fields.text_folded, word),
            _ => sequence(fields.text_pairs, &super::analysis::pairs(words))
                .expect("two words make a pair"),
        }
    }

    /// The indexed words of `fields` within one edit of `word` (two from 8 letters), the most
    /// common first, at most [`MAX_RESPELLINGS`].
    fn close_spellings(&self, searcher: &Searcher, word: &str, fields: [Field; 2]) -> Vec<String> {
        let distance = if word.chars().count() >= 8 { 2 } else { 1 };
        let mut found: BTreeMap<String, u64> = BTreeMap::new();
        for field in fields {
            let fuzzy = FuzzyTermQuery::new(Term::from_field_text(field, word), distance, true);
            let Ok(automaton) = fuzzy.automaton() else {
                continue;
            };
            for segment in searcher.segment_readers() {
                let Ok(inverted) = segment.inverted_index(field) else {
                    continue;
                };
                let Ok(mut terms) = inverted.terms().search(&automaton).into_stream() else {
                    continue;
                };
                while terms.advance() {
                    let Ok(term) = std::str::from_utf8(terms.key()) else {
                        continue;
                    };
                    // A word only deleted documents held is no spelling of anything visible.
                    let count = if segment.has_deletes() {
                        live_postings(segment, &inverted, terms.value()).unwrap_or(0)
                    } else {
                        u64::from(terms.value().doc_freq)
                    };
                    if count > 0 {
                        *found.entry(term.to_string()).or_default() += count;
                    }
                }
            }
        }
        let mut spellings: Vec<(String, u64)> = found.into_iter().collect();
        spellings.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        spellings
            .into_iter()
            .map(|(spelling, _)| spelling)
            .filter(|spelling| spelling != word)
            .take(MAX_RESPELLINGS)
            .collect()
    }

    /// The terms of words typed side by side, folded and (when typed with diacritics) exact:
    /// a Vietnamese word is often several syllables ("da trâu", buffalo hide), each a token of
    /// its own, so records holding them side by side rank higher.
    fn adjacent(&self, text: &str) -> Option<Adjacent> {
        let mut analyzer = super::analysis::analyzer();
        let folded = tokens(&mut analyzer, &fold(text));
        if folded.len() < 2 {
            return None;
        }
        let exact = tokens(&mut analyzer, text);
        let fields = self.fields;
        let mut sequences = vec![
            (fields.title_folded, folded.clone(), TITLE_BOOST),
            (fields.text_folded, folded.clone(), 1.0),
        ];
        if exact != folded {
            sequences.push((fields.title, exact.clone(), TITLE_BOOST * EXACT_BOOST));
            sequences.push((fields.text, exact, EXACT_BOOST));
        }
        Some(Adjacent { sequences })
    }

    /// `candidates` (best first) with a bonus for each sequence of words they hold side by
    /// side, best first again. Only the candidates' own positions are read (each term's postings
    /// seek to them), so the cost follows the number of candidates, not of matches: testing
    /// every match of two common words for adjacency cost more than the search itself.
    fn add_adjacency(
        &self,
        searcher: &Searcher,
        adjacency: &[Adjacent],
        candidates: Vec<(Ranked, DocAddress)>,
    ) -> Result<Vec<(f32, DocAddress)>, SearchError> {
        let ties: BTreeMap<DocAddress, u64> = candidates
            .iter()
            .map(|((_, tie), address)| (*address, tie.0))
            .collect();
        let candidates: Vec<(f32, DocAddress)> = candidates
            .into_iter()
            .map(|((score, _), address)| (score, address))
            .collect();
        let mut by_segment: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for (position, (_, address)) in candidates.iter().enumerate() {
            by_segment
                .entry(address.segment_ord)
                .or_default()
                .push(position);
        }
        // Statistics of the whole index, as tantivy's BM25 takes them: per segment, they would
        // make rankings depend on how documents happened to be split among segments.
        let statistics = LiveStatistics(searcher);
        let all_docs: u64 = searcher.num_docs();
        let mut sequences = Vec::new();
        for (field, words, weight) in adjacency.iter().flat_map(|a| a.sequences.iter()) {
            // BM25's weight of a phrase: the sum of its words' inverse document frequencies.
            let mut idf = 0.0;
            for word in words {
                let found = statistics.doc_freq(&Term::from_field_text(*field, word))? as f32;
                idf += (1.0 + (all_docs as f32 - found + 0.5) / (found + 0.5)).ln();
            }
            let tokens = statistics.total_num_tokens(*field)?;
            let average_length = (tokens as f32 / all_docs.max(1) as f32).max(1.0);
            sequences.push((*field, words, weight * idf, average_length));
        }
        let mut rescored = candidates;
        let mut positions: Vec<Vec<u32>> = Vec::new();
        for (segment_ord, mut members) in by_segment {
            members.sort_by_key(|member| rescored[*member].1.doc_id);
            let segment = searcher.segment_reader(segment_ord);
            for &(field, words, weight, average_length) in &sequences {
                let inverted = segment.inverted_index(field)?;
                let lengths = segment.get_fieldnorms_reader(field)?;
                let mut postings = Vec::with_capacity(words.len());
                for word in words {
                    let term = Term::from_field_text(field, word);
                    let read = inverted
                        .read_postings(&term, IndexRecordOption::WithFreqsAndPositions)
                        .map_err(|e| SearchError::Tantivy(e.into()))?;
                    match read {
                        Some(list) => postings.push(list),
                        None => break,
                    }
                }
                if postings.len() < words.len() {
                    continue;
                }
                positions.resize(words.len(), Vec::new());
                for member in &members {
                    let doc = rescored[*member].1.doc_id;
                    let mut all_there = true;
                    for (list, out) in postings.iter_mut().zip(positions.iter_mut()) {
                        if list.doc() < doc {
                            list.seek(doc);
                        }
                        if list.doc() == doc {
                            out.clear();
                            tantivy::postings::Postings::positions(list, out);
                        } else {
                            all_there = false;
                        }
                    }
                    if !all_there {
                        continue;
                    }
                    let together = side_by_side(&positions);
                    if together > 0 {
                        // BM25, the phrase counted as one term: saturating with its frequency,
                        // damped in long texts.
                        let count = together as f32;
                        let length = lengths.fieldnorm(doc) as f32 / average_length;
                        let frequency = count * 2.2 / (count + 1.2 * (0.25 + 0.75 * length));
                        rescored[*member].0 += ADJACENCY_BOOST * weight * frequency;
                    }
                }
            }
        }
        rescored.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then_with(|| ties.get(&a.1).cmp(&ties.get(&b.1)))
        });
        Ok(rescored)
    }

    /// The result of one document; `words` picks the snippet (none: the opening words).
    fn hit(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        words: Option<&QueryWords>,
    ) -> Result<Hit, SearchError> {
        let fields = self.fields;
        let doc: TantivyDocument = searcher.doc(address)?;
        let get = |field| stored_text(&doc, field);
        let id = get(fields.id).unwrap_or_default();
        let body = stored_texts(&doc, fields.text);
        let snippet = words
            .filter(|words| !words.is_empty())
            .and_then(|words| super::snippet::snippet(&body, words))
            .unwrap_or_else(|| super::snippet::opening(&body));
        Ok(Hit {
            url: format!("/records/{id}"),
            title: get(fields.title).unwrap_or_else(|| id.clone()),
            title_en: get(fields.title_en),
            kind: get(fields.kind).unwrap_or_default(),
            village: get(fields.village),
            craft: get(fields.craft),
            thumbnail: get(fields.thumbnail),
            snippet,
            id,
        })
    }
}

/// Sequences of words to reward where they stand side by side: (field, tokens, weight).
struct Adjacent {
    sequences: Vec<(Field, Vec<String>, f32)>,
}

/// How many times the words stand side by side, in order: positions of the first word whose
/// next positions hold the others.
fn side_by_side(positions: &[Vec<u32>]) -> usize {
    let Some((first, rest)) = positions.split_first() else {
        return 0;
    };
    first
        .iter()
        .filter(|start| {
            rest.iter()
                .enumerate()
                .all(|(n, list)| list.binary_search(&(**start + n as u32 + 1)).is_ok())
        })
        .count()
}

/// How results are ranked: by score, and records of equal score by a key fixed by their id, so
/// that the order never depends on the order records happened to be indexed in (which parallel
/// ingests change from run to run).
type Ranked = (tantivy::Score, std::cmp::Reverse<u64>);

/// The best `limit` matches after `offset`, ranked (see [`Ranked`]).
fn by_score(
    limit: usize,
    offset: usize,
) -> impl tantivy::collector::Collector<Fruit = Vec<(Ranked, DocAddress)>> {
    TopDocs::with_limit(limit)
        .and_offset(offset)
        .tweak_score(|segment: &tantivy::SegmentReader| {
            let ties = segment
                .fast_fields()
                .u64("tie")
                .ok()
                .map(|column| column.first_or_default_col(0));
            move |doc: tantivy::DocId, score: tantivy::Score| -> Ranked {
                let tie = ties.as_ref().map_or(0, |column| column.get_val(doc));
                (score, std::cmp::Reverse(tie))
            }
        })
}

/// The tie-break key of a record: FNV-1a of its id (stable across runs and versions).
fn tie_key(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// BM25 statistics of live documents only. Tantivy's own count a deleted document (a record
/// hidden or replaced) until its segment is merged, so a hidden record's words would weigh in
/// public rankings for that while. Segments without deletions answer from their term
/// dictionaries at no extra cost; the others count live postings (and live field lengths).
struct LiveStatistics<'a>(&'a Searcher);

impl Bm25StatisticsProvider for LiveStatistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        let mut total = 0;
        for segment in self.0.segment_readers() {
            if segment.has_deletes() {
                let lengths = segment.get_fieldnorms_reader(field)?;
                total += segment
                    .doc_ids_alive()
                    .map(|doc| u64::from(lengths.fieldnorm(doc)))
                    .sum::<u64>();
            } else {
                total += segment.inverted_index(field)?.total_num_tokens();
            }
        }
        Ok(total)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.0.num_docs())
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let mut total = 0;
        for segment in self.0.segment_readers() {
            let inverted = segment.inverted_index(term.field())?;
            if !segment.has_deletes() {
                total += u64::from(inverted.doc_freq(term)?);
            } else if let Some(info) = inverted.get_term_info(term)? {
                total += live_postings(segment, &inverted, &info)?;
            }
        }
        Ok(total)
    }
}

/// How many live documents of `segment` hold the term of `info`.
fn live_postings(
    segment: &tantivy::SegmentReader,
    inverted: &tantivy::InvertedIndexReader,
    info: &tantivy::postings::TermInfo,
) -> tantivy::Result<u64> {
    let mut postings = inverted.read_postings_from_terminfo(info, IndexRecordOption::Basic)?;
    let alive = segment.alive_bitset();
    let mut count = 0;
    let mut doc = postings.doc();
    while doc != tantivy::TERMINATED {
        if alive.is_none_or(|alive| alive.is_alive(doc)) {
            count += 1;
        }
        doc = postings.advance();
    }
    Ok(count)
}

/// Whether any document matches: stops at the first instead of counting them all.
fn any_match(searcher: &Searcher, query: &dyn Query) -> bool {
    let Ok(weight) = query.weight(tantivy::query::EnableScoring::disabled_from_searcher(
        searcher,
    )) else {
        return false;
    };
    searcher.segment_readers().iter().any(|segment| {
        let Ok(mut scorer) = weight.scorer(segment, 1.0) else {
            return false;
        };
        // Deleted documents stay in their segment until it merges: skip them.
        let alive = segment.alive_bitset();
        let mut doc = scorer.doc();
        while doc != tantivy::TERMINATED {
            if alive.is_none_or(|alive| alive.is_alive(doc)) {
                return true;
            }
            doc = scorer.advance();
        }
        false
    })
}

/// The first stored text of `field`.
fn stored_text(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
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

/// Runs of two or more plain words typed one after another (not quoted, not excluded, not
/// alternatives), each run joined by spaces.
fn adjacent_words(clauses: &[super::query::Clause]) -> Vec<String> {
    let mut runs = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    for clause in clauses {
        match clause.alternatives.as_slice() {
            [
                Atom::Text {
                    text,
                    phrase: false,
                    scope: Scope::Everywhere,
                },
            ] if !clause.negated => run.push(text),
            _ => {
                if run.len() >= 2 {
                    runs.push(run.join(" "));
                }
                run.clear();
            }
        }
    }
    if run.len() >= 2 {
        runs.push(run.join(" "));
    }
    runs
}

/// [`sequence`] with a boost.
fn boosted(field: Field, words: &[String], boost: f32) -> Option<Box<dyn Query>> {
    sequence(field, words).map(|query| Box::new(BoostQuery::new(query, boost)) as Box<dyn Query>)
}

/// One word as a term, several as a phrase; `None` for no words.
fn sequence(field: Field, words: &[String]) -> Option<Box<dyn Query>> {
    match words {
        [] => None,
        [word] => Some(term_query(field, word)),
        _ => Some(Box::new(PhraseQuery::new(
            words
                .iter()
                .map(|word| Term::from_field_text(field, word))
                .collect(),
        ))),
    }
}

/// Matches when any of `queries` does, scoring the sum of those that do.
fn union(mut queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if queries.len() == 1 {
        return queries.pop().expect("one query");
    }
    Box::new(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

/// Whether files of this media type get a display image and thumbnail.
pub fn has_derivative(mime: &str) -> bool {
    super::derivatives::can_decode(mime) || mime == "image/svg+xml"
}

/// Markdown without its markup, for indexing.
fn plain_markdown(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    let mut text = String::with_capacity(markdown.len());
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    text
}

pub mod directory;
mod indexer;
pub use indexer::{AuthorityNames, IndexedDoc, Indexer};

#[cfg(test)]
mod tests;
