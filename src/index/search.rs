//! The full-text search index (tantivy) over every record in the archive.
//!
//! Each record is one document. Its text is indexed twice: as written (NFC, lowercased) and
//! folded (tones and marks removed, `đ` → `d`), so "det lua" finds "dệt lụa" while a query typed
//! with diacritics still ranks exact matches first. Access is stored with each document and
//! [`SearchIndex::search`] always filters on it: callers cannot forget.
//!
//! Contract (tantivy's): one [`Indexer`] writes at a time (a lock file enforces it across
//! processes); any number of readers search, and see each commit within about a second.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::{
    FAST, FacetOptions, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::{Index, IndexReader, IndexWriter, Order, TantivyDocument, Term};

use crate::model::text::{fold, nfc, slug, sort_key};
use crate::model::{Access, Lang, Record};

const TOKENIZER: &str = "disan";
const WRITER_MEMORY: usize = 64 << 20;
/// Results per page.
pub const PAGE_SIZE: usize = 20;

/// Errors of the search index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// Tantivy failed (I/O, a corrupt segment, the writer lock held elsewhere).
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The index folder could not be prepared.
    #[error("search index folder {path}: {source}")]
    Io {
        /// The folder.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

#[derive(Debug, Clone, Copy)]
struct Fields {
    id: Field,
    access: Field,
    kind: Field,
    village: Field,
    craft: Field,
    facets: Field,
    title: Field,
    title_en: Field,
    title_folded: Field,
    text: Field,
    text_folded: Field,
    thumbnail: Field,
    title_sort: Field,
    date_from: Field,
    date_to: Field,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let indexed = |stored: bool| {
        let options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    let fields = Fields {
        id: builder.add_text_field("id", STRING | STORED),
        access: builder.add_text_field("access", STRING),
        kind: builder.add_text_field("kind", STRING | STORED),
        village: builder.add_text_field("village", STRING | STORED),
        craft: builder.add_text_field("craft", STRING | STORED),
        facets: builder.add_facet_field("facets", FacetOptions::default()),
        title: builder.add_text_field("title", indexed(true)),
        title_en: builder.add_text_field("title_en", indexed(true)),
        title_folded: builder.add_text_field("title_folded", indexed(false)),
        text: builder.add_text_field("text", indexed(true)),
        text_folded: builder.add_text_field("text_folded", indexed(false)),
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
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it when missing. An index written by an incompatible
    /// version of Disan is deleted and recreated empty (it is rebuilt by `disan reindex`).
    pub fn open_or_create(dir: &Path) -> Result<Self, SearchError> {
        std::fs::create_dir_all(dir).map_err(|source| SearchError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let (schema, fields) = schema();
        let open = |schema: Schema| -> Result<Index, SearchError> {
            let directory = tantivy::directory::MmapDirectory::open(dir)
                .map_err(|e| SearchError::Tantivy(e.into()))?;
            Ok(Index::open_or_create(directory, schema)?)
        };
        let index = match open(schema.clone()) {
            Ok(index) => index,
            Err(SearchError::Tantivy(tantivy::TantivyError::SchemaError(_))) => {
                std::fs::remove_dir_all(dir).map_err(|source| SearchError::Io {
                    path: dir.to_path_buf(),
                    source,
                })?;
                std::fs::create_dir_all(dir).map_err(|source| SearchError::Io {
                    path: dir.to_path_buf(),
                    source,
                })?;
                open(schema)?
            }
            Err(error) => return Err(error),
        };
        index
            .tokenizers()
            .register(TOKENIZER, super::analysis::analyzer());
        let reader = index.reader()?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
        })
    }

    /// Takes the single writer.
    pub fn indexer(&self) -> Result<Indexer, SearchError> {
        Ok(Indexer {
            writer: self.index.writer(WRITER_MEMORY)?,
            fields: self.fields,
        })
    }

    /// Makes the latest commit visible now (readers otherwise see it within about a second).
    pub fn reload(&self) -> Result<(), SearchError> {
        Ok(self.reader.reload()?)
    }

    /// Searches public records only.
    pub fn search(&self, query: &SearchQuery) -> Result<SearchResults, SearchError> {
        let fields = self.fields;
        let exact = |field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            ))
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, exact(fields.access, Access::Public.as_str()))];
        for (field, value) in [
            (fields.kind, &query.kind),
            (fields.village, &query.village),
            (fields.craft, &query.craft),
        ] {
            if let Some(value) = value {
                clauses.push((Occur::Must, exact(field, value)));
            }
        }
        for (name, value) in &query.facet_filters {
            let facet = tantivy::schema::Facet::from_path([name.as_str(), value.as_str()]);
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_facet(fields.facets, &facet),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        let text = nfc(query.text.trim()).into_owned();
        if !text.is_empty() {
            let mut folded_parser =
                QueryParser::for_index(&self.index, vec![fields.title_folded, fields.text_folded]);
            folded_parser.set_conjunction_by_default();
            folded_parser.set_field_boost(fields.title_folded, 3.0);
            let (folded, _) = folded_parser.parse_query_lenient(&fold(&text));
            let mut exact_parser = QueryParser::for_index(
                &self.index,
                vec![fields.title, fields.title_en, fields.text],
            );
            exact_parser.set_conjunction_by_default();
            exact_parser.set_field_boost(fields.title, 3.0);
            exact_parser.set_field_boost(fields.title_en, 3.0);
            let (exact_query, _) = exact_parser.parse_query_lenient(&text.to_lowercase());
            clauses.push((Occur::Must, folded));
            clauses.push((Occur::Should, Box::new(BoostQuery::new(exact_query, 2.0))));
        }
        let combined = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let mut facet_collector = FacetCollector::for_field("facets");
        for name in FACETS {
            facet_collector.add_facet(format!("/{name}").as_str());
        }
        let page = query.page.max(1);
        let top = TopDocs::with_limit(PAGE_SIZE).and_offset((page - 1) * PAGE_SIZE);
        let (addresses, total, facet_counts): (Vec<tantivy::DocAddress>, _, _) = match query.sort {
            Sort::Relevance => {
                let (docs, total, facets) =
                    searcher.search(&combined, &(top.order_by_score(), Count, facet_collector))?;
                (docs.into_iter().map(|(_, a)| a).collect(), total, facets)
            }
            Sort::Title => {
                let ordered = top.order_by_string_fast_field("title_sort", Order::Asc);
                let (docs, total, facets) =
                    searcher.search(&combined, &(ordered, Count, facet_collector))?;
                (docs.into_iter().map(|(_, a)| a).collect(), total, facets)
            }
            Sort::Date | Sort::DateDesc => {
                let (field, order) = if query.sort == Sort::Date {
                    ("date_from", Order::Asc)
                } else {
                    ("date_to", Order::Desc)
                };
                let ordered = top.order_by_fast_field::<i64>(field, order);
                let (docs, total, facets) =
                    searcher.search(&combined, &(ordered, Count, facet_collector))?;
                (docs.into_iter().map(|(_, a)| a).collect(), total, facets)
            }
        };
        let words = super::snippet::query_words(&text);
        let mut hits = Vec::with_capacity(addresses.len());
        for address in addresses {
            let doc: TantivyDocument = searcher.doc(address)?;
            let get = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            let id = get(fields.id).unwrap_or_default();
            let body = get(fields.text).unwrap_or_default();
            let snippet = super::snippet::snippet(&body, &words)
                .unwrap_or_else(|| super::snippet::opening(&body));
            hits.push(Hit {
                url: format!("/records/{id}"),
                title: get(fields.title).unwrap_or_else(|| id.clone()),
                title_en: get(fields.title_en),
                kind: get(fields.kind).unwrap_or_default(),
                village: get(fields.village),
                craft: get(fields.craft),
                thumbnail: get(fields.thumbnail),
                snippet,
                id,
            });
        }
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
        })
    }
}

/// The single writer of the search index.
pub struct Indexer {
    writer: IndexWriter,
    fields: Fields,
}

/// Names of villages and crafts, so their names are searchable in the records that cite them.
pub trait AuthorityNames {
    /// Vietnamese and English names of a village.
    fn village_names(&self, id: &str) -> Vec<String>;
    /// Vietnamese and English names of a craft.
    fn craft_names(&self, id: &str) -> Vec<String>;
    /// The district of a village, as written.
    fn village_district(&self, id: &str) -> Option<String>;
    /// The Decree 52/2018 class of a village.
    fn village_status(&self, id: &str) -> Option<crate::model::RiskStatus>;
}

impl Indexer {
    /// Adds or replaces a record's document. `extracted` is text read from its document files.
    pub fn put(
        &self,
        record: &Record,
        names: &dyn AuthorityNames,
        extracted: &str,
    ) -> Result<(), SearchError> {
        let fields = self.fields;
        let id = record.id.as_str();
        self.writer
            .delete_term(Term::from_field_text(fields.id, id));
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.id, id);
        doc.add_text(fields.access, record.access.as_str());
        doc.add_text(fields.kind, record.kind.as_str());
        doc.add_facet(fields.facets, &format!("/kind/{}", record.kind));
        if let Some(village) = &record.village {
            doc.add_text(fields.village, village.as_str());
            doc.add_facet(fields.facets, &format!("/village/{village}"));
        }
        if let Some(craft) = &record.craft {
            doc.add_text(fields.craft, craft.as_str());
            doc.add_facet(fields.facets, &format!("/craft/{craft}"));
        }
        if let Some(village) = &record.village {
            if let Some(district) = names.village_district(village.as_str()) {
                doc.add_facet(fields.facets, &format!("/district/{}", slug(&district)));
            }
            if let Some(status) = names.village_status(village.as_str()) {
                doc.add_facet(fields.facets, &format!("/status/{status}"));
            }
        }
        if let Some(year) = record
            .date
            .as_ref()
            .and_then(|d| d.earliest())
            .map(|d| d.year)
        {
            doc.add_facet(
                fields.facets,
                &format!("/decade/{}", year.div_euclid(10) * 10),
            );
        }
        let has_media = record.files.iter().any(|f| {
            has_derivative(&f.format.mime)
                || f.format.mime.starts_with("video/")
                || f.format.mime.starts_with("audio/")
        });
        let media = if has_media { "yes" } else { "no" };
        doc.add_facet(fields.facets, &format!("/media/{media}"));
        let title = record.title(Lang::Vi);
        doc.add_text(fields.title, title);
        doc.add_text(fields.title_sort, sort_key(title));
        // Undated records sort last both ways.
        let day = |date: crate::model::edtf::CalendarDate| {
            i64::from(date.year) * 10_000 + i64::from(date.month) * 100 + i64::from(date.day)
        };
        let earliest = record
            .date
            .as_ref()
            .and_then(|d| d.earliest().or(d.latest()));
        let latest = record
            .date
            .as_ref()
            .and_then(|d| d.latest().or(d.earliest()));
        doc.add_i64(fields.date_from, earliest.map_or(i64::MAX, day));
        doc.add_i64(fields.date_to, latest.map_or(i64::MIN, day));
        if let Some(english) = record.dc_value("title", Lang::En) {
            doc.add_text(fields.title_en, english);
        }
        let titles: Vec<&str> = record
            .dc
            .get("title")
            .into_iter()
            .flatten()
            .map(|v| v.value.as_str())
            .collect();
        doc.add_text(fields.title_folded, fold(&titles.join(" ")));

        let mut text = String::new();
        for (term, values) in &record.dc {
            if term == "title" || term == "date" || term == "identifier" {
                continue;
            }
            for value in values {
                text.push_str(&value.value);
                text.push('\n');
            }
        }
        for body in record.body.values() {
            text.push_str(&plain_markdown(body));
            text.push('\n');
        }
        text.push_str(extracted);
        let mut names_text = String::new();
        if let Some(village) = &record.village {
            names_text.push_str(&names.village_names(village.as_str()).join(" "));
            names_text.push(' ');
        }
        if let Some(craft) = &record.craft {
            names_text.push_str(&names.craft_names(craft.as_str()).join(" "));
        }
        doc.add_text(fields.text, text.trim());
        doc.add_text(
            fields.text_folded,
            fold(&format!("{} {text} {names_text}", record.title(Lang::En))),
        );
        if let Some(position) = record
            .files
            .iter()
            .position(|f| has_derivative(&f.format.mime))
        {
            doc.add_text(fields.thumbnail, format!("/media/{id}/thumb/{position}"));
        }
        self.writer.add_document(doc)?;
        Ok(())
    }

    /// Removes every document (before a full rebuild).
    pub fn clear(&self) -> Result<(), SearchError> {
        self.writer.delete_all_documents()?;
        Ok(())
    }

    /// Makes everything added so far durable and visible to readers.
    pub fn commit(&mut self) -> Result<(), SearchError> {
        self.writer.commit()?;
        Ok(())
    }
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

/// Searching public records only is not just a convention of callers: this test tries.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Provenance, RecordId, SCHEMA_VERSION};

    struct NoNames;
    impl AuthorityNames for NoNames {
        fn village_names(&self, _: &str) -> Vec<String> {
            Vec::new()
        }
        fn craft_names(&self, _: &str) -> Vec<String> {
            Vec::new()
        }
        fn village_district(&self, _: &str) -> Option<String> {
            None
        }
        fn village_status(&self, _: &str) -> Option<crate::model::RiskStatus> {
            None
        }
    }

    fn record(id: &str, title: &str, access: Access) -> Record {
        let mut dc = BTreeMap::new();
        dc.insert(
            "title".to_string(),
            vec![crate::model::LangValue {
                value: title.to_string(),
                lang: Lang::Vi,
            }],
        );
        Record {
            schema: SCHEMA_VERSION,
            id: RecordId::parse(id).unwrap(),
            kind: Kind::Photo,
            access,
            village: None,
            craft: None,
            date: None,
            dc,
            body: BTreeMap::new(),
            extra: BTreeMap::new(),
            files: Vec::new(),
            provenance: Provenance {
                batch: "b".into(),
                path: "p".into(),
            },
        }
    }

    fn query(text: &str) -> SearchQuery {
        SearchQuery {
            text: text.into(),
            page: 1,
            ..SearchQuery::default()
        }
    }

    #[test]
    fn unaccented_queries_find_accented_text_and_exact_matches_rank_first() {
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::open_or_create(dir.path()).unwrap();
        let mut indexer = index.indexer().unwrap();
        indexer
            .put(
                &record("a", "Làng dệt lụa Nha Xá", Access::Public),
                &NoNames,
                "",
            )
            .unwrap();
        indexer
            .put(&record("b", "Trống Đọi Tam", Access::Public), &NoNames, "")
            .unwrap();
        indexer
            .put(&record("c", "Trong làng", Access::Public), &NoNames, "")
            .unwrap();
        indexer
            .put(
                &record("d", "Trống hạn chế", Access::Restricted),
                &NoNames,
                "",
            )
            .unwrap();
        indexer.commit().unwrap();
        index.reload().unwrap();
        let ids = |q: &str| -> Vec<String> {
            index
                .search(&query(q))
                .unwrap()
                .hits
                .into_iter()
                .map(|h| h.id)
                .collect()
        };
        assert_eq!(ids("det lua"), ["a"]);
        assert_eq!(
            ids("de\u{0302}\u{0323}t lụa"),
            ["a"],
            "an NFD query must work"
        );
        assert_eq!(ids("doi tam"), ["b"]);
        assert_eq!(ids("trống"), ["b", "c"]);
        indexer
            .put(&record("e", "Thuý", Access::Public), &NoNames, "")
            .unwrap();
        indexer
            .put(&record("f", "Thủy", Access::Public), &NoNames, "")
            .unwrap();
        indexer.commit().unwrap();
        index.reload().unwrap();
        // Old tone placement in the record, new in the query: still the exact match, first.
        assert_eq!(ids("thúy"), ["e", "f"]);
        let all = index.search(&query("")).unwrap();
        assert_eq!(all.total, 5, "a restricted record was counted");
        assert_eq!(all.facets["kind"]["photo"], 5);
    }
}
