//! Running one search: filters, facets, paging and the hits shown, read from a parsed query.

use super::clauses::{Adjacent, adjacent_words, by_score, union};
use super::decades::Collection;
use super::narrowed::{Choice, Counted, Narrowed};
use super::tally::{FacetTally, Tallied};
use super::*;
use crate::index::query::Clause;

/// The count of each value of one facet.
type Counts = BTreeMap<String, u64>;

impl SearchIndex {
    /// Searches public records only.
    pub fn search(&self, query: &SearchQuery) -> Result<SearchResults, SearchError> {
        let fields = self.fields;
        let searcher = self.reader.searcher();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, self.public())];
        // The values chosen in the facets, each with the facet it narrows: a facet's own counts
        // are taken without its own choice (see `Narrowed`).
        let mut chosen: Vec<(&str, Choice)> = Vec::new();
        for (name, field, value) in [
            ("kind", fields.kind, &query.kind),
            ("village", fields.village, &query.village),
            ("craft", fields.craft, &query.craft),
            ("artisan", fields.artisan, &query.artisan),
        ] {
            if let Some(value) = value {
                chosen.push((name, Choice::Query(filter(field, value))));
            }
        }
        if let Some(product) = &query.product {
            chosen.push(("product", Choice::Query(self.product_filter(product))));
        }
        for (name, value) in &query.facet_filters {
            // A decade chosen finds what the decade facet counts in it (see `decades`).
            let narrowing = match (name == "decade")
                .then(|| value.parse::<i64>().ok())
                .flatten()
            {
                Some(decade) => Choice::Decade(decade),
                None => Choice::Query(self.facet_query(name, value)),
            };
            chosen.push((name.as_str(), narrowing));
        }
        let parsed = self.understand(&searcher, crate::index::query::parse(query.text.trim()));
        let mut notices = parsed.notices;
        let mut words = QueryWords::default();
        let mut understood_anything = false;
        let mut respellings = MAX_RESPELLED_WORDS;
        // English function words beside other words only rank: "drum in" finds what "drum"
        // finds, records holding "in" first (a quoted phrase keeps its words).
        let optional = optional_function_word;
        let any_required = parsed
            .clauses
            .iter()
            .any(|clause| !clause.negated && !optional(clause));
        for clause in &parsed.clauses {
            // An address's kind word ("xã" of "xã Tiên Sơn") whose place the viewer may see
            // records of is looked for as typed, with no close spellings and no notice that
            // nothing holds it (`query::read_place_kinds`); before words naming no place
            // ("làng nghề") it is a word like any other.
            let kind_word =
                crate::index::query::is_place_kind(clause) && self.names_a_place(&searcher, clause);
            let alternatives: Vec<Box<dyn Query>> = clause
                .alternatives
                .iter()
                .filter_map(|atom| {
                    let highlight = (!clause.negated).then_some(&mut words);
                    if kind_word {
                        self.atom_query(&searcher, atom, highlight, &mut Vec::new(), &mut 0)
                    } else {
                        self.atom_query(&searcher, atom, highlight, &mut notices, &mut respellings)
                    }
                })
                .collect();
            if alternatives.is_empty() {
                continue;
            }
            understood_anything = true;
            let occur = if clause.negated {
                Occur::MustNot
            } else if any_required && optional(clause) {
                Occur::Should
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
        // The choices narrow the matches inside the one pass that also counts the facets they
        // were made in (see `Narrowed`), so they are not clauses of the query.
        let chosen = one_filter_per_facet(chosen);
        let collection = self.collection(&searcher)?;
        let combined = BooleanQuery::new(clauses);
        // Counted for this viewer: with the guarded values its scope admits (see `tally`).
        let rules: Vec<&str> = self.admitted_product_rules().collect();
        let counting = Some(rules.as_slice());
        // Decades are counted from the dates, in `Narrowed` (see `decades`).
        let facet_collector = FacetTally::new(
            FACETS.iter().copied().filter(|name| *name != "decade"),
            rules.iter().copied(),
        );
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
        let (addresses, total, facet_counts, disjunctive): (Vec<DocAddress>, _, _, _) = match sort {
            Sort::Relevance if !adjacency.is_empty() => {
                let candidates = by_score(RESCORED.max(offset + PAGE_SIZE), 0);
                let narrowed = Narrowed::new(
                    (candidates, Count, facet_collector),
                    &searcher,
                    &chosen,
                    collection,
                    counting,
                )?;
                let ((docs, total, facets), disjunctive) = searcher
                    .search_with_statistics_provider(
                        &combined,
                        &narrowed,
                        &self.statistics(&searcher),
                    )?;
                let rescored = self.add_adjacency(&searcher, &adjacency, docs)?;
                let rescored = self.order_ties(&searcher, rescored)?;
                let page_of = rescored.into_iter().skip(offset).take(PAGE_SIZE);
                (
                    page_of.map(|(_, a)| a).collect(),
                    total,
                    facets,
                    disjunctive,
                )
            }
            Sort::Relevance => {
                // One more than the page needs: whether records of the last score shown go on.
                let wanted = offset + PAGE_SIZE;
                let narrowed = Narrowed::new(
                    (by_score(wanted + 1, 0), Count, facet_collector),
                    &searcher,
                    &chosen,
                    collection,
                    counting,
                )?;
                let ((docs, total, facets), disjunctive) = searcher
                    .search_with_statistics_provider(
                        &combined,
                        &narrowed,
                        &self.statistics(&searcher),
                    )?;
                let mut docs: Vec<(f32, DocAddress)> =
                    docs.into_iter().map(|((score, _), a)| (score, a)).collect();
                if docs.len() > wanted && docs[wanted].0 == docs[wanted - 1].0 {
                    // Records of the last score shown go on past the page: all of them, so
                    // the page holds the first of them by title and id, not by index order.
                    let last = docs[wanted - 1].0;
                    docs.retain(|(score, _)| *score > last);
                    let (tied, _) = searcher.search_with_statistics_provider(
                        &combined,
                        &Narrowed::new(ScoredExactly(last), &searcher, &chosen, collection, None)?,
                        &self.statistics(&searcher),
                    )?;
                    docs.extend(tied.into_iter().map(|address| (last, address)));
                }
                let ordered = self.order_ties(&searcher, docs)?;
                let page_of = ordered.into_iter().skip(offset).take(PAGE_SIZE);
                (
                    page_of.map(|(_, a)| a).collect(),
                    total,
                    facets,
                    disjunctive,
                )
            }
            Sort::Title => {
                use tantivy::collector::sort_key::{SortByStaticFastValue, SortByString};
                // Equal titles by record id: the sort key ends with the id (see the indexer).
                let ordered = top.order_by((
                    (SortByString::for_field("title_sort"), Order::Asc),
                    (SortByStaticFastValue::<u64>::for_field("tie"), Order::Asc),
                ));
                in_order(
                    &searcher,
                    &combined,
                    ordered,
                    facet_collector,
                    &chosen,
                    (collection, counting),
                )?
            }
            Sort::Date | Sort::DateDesc => {
                let (field, order) = if sort == Sort::Date {
                    ("date_from", Order::Asc)
                } else {
                    ("date_to", Order::Desc)
                };
                use tantivy::collector::sort_key::{SortByStaticFastValue, SortByString};
                // Equal dates by title, then record id (the title's sort key ends with it), in
                // both directions: an order that no reindex changes.
                let ordered = top.order_by((
                    (SortByStaticFastValue::<i64>::for_field(field), order),
                    (SortByString::for_field("title_sort"), Order::Asc),
                ));
                in_order(
                    &searcher,
                    &combined,
                    ordered,
                    facet_collector,
                    &chosen,
                    (collection, counting),
                )?
            }
        };
        let hits = addresses
            .into_iter()
            .map(|address| self.hit_in(&searcher, address, Some(&words), query.lang))
            .collect::<Result<Vec<_>, _>>()?;
        let mut facets = BTreeMap::new();
        for name in FACETS {
            facets.insert(name.to_string(), values_of(&facet_counts, name));
        }
        // A facet a value was chosen in is counted as if that choice alone had not been made:
        // choosing the kind "photo" still shows how many films the other choices and the words
        // find, so a visitor can switch in one click (Solr's `{!ex}` tag, Elasticsearch's
        // `post_filter`). `Narrowed` counted them in the same pass.
        let Counted {
            facets: disjunctive,
            decades,
        } = disjunctive;
        for ((name, _), counts) in chosen.iter().zip(disjunctive) {
            if let Some(counts) = counts {
                facets.insert(name.to_string(), values_of(&counts, name));
            }
        }
        let decades = decades
            .into_iter()
            .map(|(decade, count)| (decade.to_string(), count))
            .collect();
        facets.insert("decade".to_string(), decades);
        super::clauses::settle_notices(&mut notices, total);
        if total == 0 && !super::clauses::says_what_is_missing(&notices) {
            notices.push(self.why_nothing(&searcher, &parsed.clauses, !chosen.is_empty()));
        }
        Ok(SearchResults {
            total,
            hits,
            facets,
            notices,
        })
    }

    /// `docs` best first, records of equal score by title and then record id (the title's sort
    /// key ends with the id, see the indexer): an order no reindex or ingest order changes.
    /// Only records that share their score with another are looked up.
    fn order_ties(
        &self,
        searcher: &Searcher,
        mut docs: Vec<(f32, DocAddress)>,
    ) -> Result<Vec<(f32, DocAddress)>, SearchError> {
        docs.sort_by(|a, b| b.0.total_cmp(&a.0));
        let tied: Vec<DocAddress> = (0..docs.len())
            .filter(|&n| {
                (n > 0 && docs[n - 1].0 == docs[n].0)
                    || docs.get(n + 1).is_some_and(|next| next.0 == docs[n].0)
            })
            .map(|n| docs[n].1)
            .collect();
        if tied.is_empty() {
            return Ok(docs);
        }
        let mut keys: BTreeMap<DocAddress, String> = BTreeMap::new();
        let mut columns = BTreeMap::new();
        for address in tied {
            let column = match columns.entry(address.segment_ord) {
                std::collections::btree_map::Entry::Occupied(entry) => entry.into_mut(),
                std::collections::btree_map::Entry::Vacant(entry) => entry.insert(
                    searcher
                        .segment_reader(address.segment_ord)
                        .fast_fields()
                        .str("title_sort")?,
                ),
            };
            let mut key = String::new();
            if let Some(column) = column.as_ref()
                && let Some(ord) = column.term_ords(address.doc_id).next()
            {
                column
                    .ord_to_str(ord, &mut key)
                    .map_err(|e| SearchError::Tantivy(e.into()))?;
            }
            keys.insert(address, key);
        }
        docs.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then_with(|| keys.get(&a.1).cmp(&keys.get(&b.1)))
        });
        Ok(docs)
    }

    /// The result of one document for a Vietnamese page; `words` picks the snippet (none: the
    /// opening words).
    pub(super) fn hit(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        words: Option<&QueryWords>,
    ) -> Result<Hit, SearchError> {
        self.hit_in(searcher, address, words, Lang::Vi)
    }

    /// The result of one document for a page in `lang`: its snippet prefers text in `lang` and
    /// tags each part in the other language with it (see [`crate::index::snippet`]).
    pub(super) fn hit_in(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        words: Option<&QueryWords>,
        lang: Lang,
    ) -> Result<Hit, SearchError> {
        let fields = self.fields;
        let doc: TantivyDocument = searcher.doc(address)?;
        let get = |field| stored_text(&doc, field);
        let id = get(fields.id).unwrap_or_default();
        // English values are stored again in their stemmed field, which says their language.
        let english: BTreeSet<&str> = doc
            .get_all(fields.text_en_stemmed)
            .filter_map(|v| v.as_str())
            .collect();
        let values: Vec<crate::index::snippet::Value> = doc
            .get_all(fields.text)
            .filter_map(|v| v.as_str())
            .map(|text| {
                let language = if english.contains(text) {
                    Lang::En
                } else {
                    Lang::Vi
                };
                (text, language)
            })
            .collect();
        let snippet = words
            .filter(|words| !words.is_empty())
            .and_then(|words| crate::index::snippet::snippet(&values, words, lang))
            .unwrap_or_else(|| crate::index::snippet::opening(&values, lang));
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

/// Whether `clause` is one lowercase English function word ([`super::understand::FUNCTION_WORDS`],
/// "in", "of", "the") of a query read as English (see `understand::mark_english`, on every page):
/// beside other words it ranks but does not narrow. Quoted, it is a phrase and keeps it; a
/// query read as Vietnamese keeps its syllables, even on the English pages (`in` is "print",
/// `to tam` is "tơ tằm").
fn optional_function_word(clause: &Clause) -> bool {
    !clause.negated
        && matches!(clause.alternatives.as_slice(),
            [Atom::Text { text, phrase: false, english: true, .. }]
                if super::understand::FUNCTION_WORDS.contains(&text.as_str()))
}

/// The choices made in the facets, one filter per facet in the order first chosen: several
/// values chosen in one facet must all hold, and are left out together when that facet is
/// counted.
/// One page of `combined`'s matches in the order `ordered` (a sorting collector) gives them,
/// with the total, the facet counts and the counts of the chosen facets (see [`Narrowed`]): the
/// one pass the title and date orders share.
///
/// Errors: tantivy's, from building the filters or searching.
fn in_order<C, K>(
    searcher: &tantivy::Searcher,
    combined: &dyn tantivy::query::Query,
    ordered: C,
    facet_collector: FacetTally,
    chosen: &[(&str, Vec<Choice>)],
    (collection, counting): (Option<Collection>, Option<&[&str]>),
) -> tantivy::Result<(Vec<DocAddress>, usize, Tallied, Counted)>
where
    C: tantivy::collector::Collector<Fruit = Vec<(K, DocAddress)>>,
{
    let narrowed = Narrowed::new(
        (ordered, Count, facet_collector),
        searcher,
        chosen,
        collection,
        counting,
    )?;
    let ((docs, total, facets), disjunctive) = searcher.search(combined, &narrowed)?;
    Ok((
        docs.into_iter().map(|(_, a)| a).collect(),
        total,
        facets,
        disjunctive,
    ))
}

fn one_filter_per_facet(chosen: Vec<(&str, Choice)>) -> Vec<(&str, Vec<Choice>)> {
    let mut grouped: Vec<(&str, Vec<Choice>)> = Vec::new();
    for (name, choice) in chosen {
        match grouped.iter_mut().find(|(other, _)| *other == name) {
            Some((_, choices)) => choices.push(choice),
            None => grouped.push((name, vec![choice])),
        }
    }
    grouped
}

/// The count of each value of facet `name` in `counts` (values are the last part of `/name/…`).
fn values_of(counts: &Tallied, name: &str) -> Counts {
    counts.get(name).cloned().unwrap_or_default()
}

/// Collects every match scored exactly the given score: the records tied at the end of a page
/// (see `SearchIndex::order_ties`). Scores are computed by the same statistics as the ranking,
/// so equal records score bit for bit the same.
struct ScoredExactly(f32);

/// [`ScoredExactly`] within one segment.
struct ScoredExactlyInSegment {
    score: f32,
    segment: tantivy::SegmentOrdinal,
    found: Vec<DocAddress>,
}

impl tantivy::collector::Collector for ScoredExactly {
    type Fruit = Vec<DocAddress>;
    type Child = ScoredExactlyInSegment;

    fn for_segment(
        &self,
        segment: tantivy::SegmentOrdinal,
        _reader: &tantivy::SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(ScoredExactlyInSegment {
            score: self.0,
            segment,
            found: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<DocAddress>>) -> tantivy::Result<Vec<DocAddress>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl tantivy::collector::SegmentCollector for ScoredExactlyInSegment {
    type Fruit = Vec<DocAddress>;

    fn collect(&mut self, doc: tantivy::DocId, score: tantivy::Score) {
        if score == self.score {
            self.found.push(DocAddress::new(self.segment, doc));
        }
    }

    fn harvest(self) -> Vec<DocAddress> {
        self.found
    }
}
