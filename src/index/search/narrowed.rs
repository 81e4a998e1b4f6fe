//! One pass over a search's matches that both narrows them by the facet values chosen and counts
//! the disjunctive facets (issue 12, "facet cost").
//!
//! A facet a value was chosen in is counted as if that choice alone had not been made (disjunctive
//! facets, see `SearchIndex::search` in `run.rs`). Running one more count search per chosen facet
//! doubled or tripled the cost of a faceted search. Here the search runs once, over the query
//! *without* the choices; each match is tested against every choice by seeking that choice's own
//! document set (a term, read in doc-id order, so each is walked at most once per segment), or,
//! for a decade, by reading the match's dates (see [`super::decades`]). The decade facet is
//! counted here too, from the same dates. A match that passes every choice goes to the inner collector (hits, total, facet
//! counts) and is counted in every chosen facet; a match failing exactly one choice is counted in
//! that choice's facet only; one failing two or more is dropped. That is exactly the set of
//! records the per-facet searches counted, so the counts are the same.

use std::collections::BTreeMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{EnableScoring, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentOrdinal, SegmentReader, TERMINATED};

use super::decades::{Collection, DecadeCounts, DecadeFilter};
use super::tally::{FacetTally, Tallied};

/// One value chosen in a facet.
pub(super) enum Choice {
    /// Records the query matches.
    Query(Box<dyn Query>),
    /// Records counted in the decade beginning this year (see [`super::decades`]): read from
    /// the same fast fields as the decade facet, so the two agree.
    Decade(i64),
}

/// The facet named `"decade"`: counted from the dates (see [`super::decades`]), not from
/// indexed facet terms.
const DECADE: &str = "decade";

/// What [`Narrowed`] counted besides its inner collector's fruit.
#[derive(Default)]
pub(super) struct Counted {
    /// Per filter, in order, its facet among the matches of every other filter (`None` for the
    /// decade facet, which is in `decades`).
    pub facets: Vec<Option<Tallied>>,
    /// The decade facet (keyed by the decade's first year) among the matches of every filter
    /// but a decade chosen; empty when not counted.
    pub decades: BTreeMap<i64, u64>,
}

/// Wraps `inner` so that it sees only the matches passing every filter, and counts, for each
/// filter, its facet among the matches passing every *other* filter.
pub(super) struct Narrowed<C> {
    inner: C,
    /// One filter per chosen facet: every choice in it must hold.
    filters: Vec<Vec<ChoiceWeight>>,
    /// The facet each filter narrows, counted as if it were not chosen (`None` for the decade
    /// facet); empty when only the narrowing is wanted.
    counted: Vec<Option<FacetTally>>,
    /// The collection's span, for decades chosen and counted.
    collection: Option<Collection>,
    /// Whether to count the decade facet.
    count_decades: bool,
    /// Which filter is the decade's, if one was chosen.
    decade_filter: Option<usize>,
}

/// A [`Choice`] ready for each segment.
enum ChoiceWeight {
    Docs(Box<dyn Weight>),
    Decade(i64),
}

impl<C: Collector> Narrowed<C> {
    /// `filters` are `(facet name, choices)`: one per chosen facet. With `count` (the product
    /// rules the viewer's scope admits, see [`FacetTally`]) the fruit's [`Counted`] holds the
    /// counts of each filter's facet, in the same order, and the decade facet; without it,
    /// nothing. `collection` bounds decades (see
    /// [`super::decades`]); `None` (nothing dated): no decade is counted or found.
    ///
    /// Errors: tantivy's, when a filter's weight cannot be built.
    pub(super) fn new(
        inner: C,
        searcher: &tantivy::Searcher,
        filters: &[(&str, Vec<Choice>)],
        collection: Option<Collection>,
        count: Option<&[&str]>,
    ) -> tantivy::Result<Self> {
        let weights = filters
            .iter()
            .map(|(_, choices)| {
                choices
                    .iter()
                    .map(|choice| match choice {
                        Choice::Query(query) => query
                            .weight(EnableScoring::disabled_from_searcher(searcher))
                            .map(ChoiceWeight::Docs),
                        Choice::Decade(decade) => Ok(ChoiceWeight::Decade(*decade)),
                    })
                    .collect::<tantivy::Result<Vec<_>>>()
            })
            .collect::<tantivy::Result<Vec<_>>>()?;
        let counted = match count {
            Some(rules) => filters
                .iter()
                .map(|(name, _)| {
                    (*name != DECADE).then(|| FacetTally::new([*name], rules.iter().copied()))
                })
                .collect(),
            None => Vec::new(),
        };
        Ok(Narrowed {
            inner,
            filters: weights,
            counted,
            collection,
            count_decades: count.is_some() && collection.is_some(),
            decade_filter: filters.iter().position(|(name, _)| *name == DECADE),
        })
    }
}

/// A choice in one segment.
enum SegmentChoice {
    Docs(Box<dyn Scorer>),
    Decade(DecadeFilter),
    /// A decade chosen in an index with no dated record: nothing is in it.
    Nothing,
}

impl SegmentChoice {
    /// Whether `doc` is chosen; docs are asked in increasing order.
    fn holds(&mut self, doc: DocId) -> bool {
        match self {
            SegmentChoice::Docs(docs) => {
                let at = match docs.doc() {
                    TERMINATED => TERMINATED,
                    at if at < doc => docs.seek(doc),
                    at => at,
                };
                at == doc
            }
            SegmentChoice::Decade(decade) => decade.holds(doc),
            SegmentChoice::Nothing => false,
        }
    }
}

/// [`Narrowed`] within one segment.
pub(super) struct NarrowedSegment<S> {
    inner: S,
    filters: Vec<Vec<SegmentChoice>>,
    counted: Vec<Option<<FacetTally as Collector>::Child>>,
    decades: Option<DecadeCounts>,
    decade_filter: Option<usize>,
}

impl<C: Collector> Collector for Narrowed<C> {
    type Fruit = (C::Fruit, Counted);
    type Child = NarrowedSegment<C::Child>;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let filters = self
            .filters
            .iter()
            .map(|choices| {
                choices
                    .iter()
                    .map(|choice| {
                        Ok(match (choice, self.collection) {
                            (ChoiceWeight::Docs(weight), _) => {
                                SegmentChoice::Docs(weight.scorer(reader, 1.0)?)
                            }
                            (ChoiceWeight::Decade(decade), Some(collection)) => {
                                SegmentChoice::Decade(DecadeFilter::new(
                                    collection, *decade, reader,
                                )?)
                            }
                            (ChoiceWeight::Decade(_), None) => SegmentChoice::Nothing,
                        })
                    })
                    .collect::<tantivy::Result<Vec<_>>>()
            })
            .collect::<tantivy::Result<_>>()?;
        let decades = match self.collection {
            Some(collection) if self.count_decades => Some(DecadeCounts::new(collection, reader)?),
            _ => None,
        };
        Ok(NarrowedSegment {
            inner: self.inner.for_segment(segment, reader)?,
            filters,
            counted: self
                .counted
                .iter()
                .map(|collector| {
                    collector
                        .as_ref()
                        .map(|c| c.for_segment(segment, reader))
                        .transpose()
                })
                .collect::<tantivy::Result<_>>()?,
            decades,
            decade_filter: self.decade_filter,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.inner.requires_scoring()
    }

    fn merge_fruits(
        &self,
        fruits: Vec<<Self::Child as SegmentCollector>::Fruit>,
    ) -> tantivy::Result<Self::Fruit> {
        let mut inner = Vec::with_capacity(fruits.len());
        let mut counted: Vec<Vec<Tallied>> = self.counted.iter().map(|_| Vec::new()).collect();
        let mut decades: BTreeMap<i64, u64> = BTreeMap::new();
        for (fruit, counts) in fruits {
            inner.push(fruit);
            for (all, one) in counted.iter_mut().zip(counts.facets) {
                all.extend(one);
            }
            for (decade, count) in counts.decades {
                *decades.entry(decade).or_default() += count;
            }
        }
        let facets = self
            .counted
            .iter()
            .zip(counted)
            .map(|(collector, fruits)| {
                collector
                    .as_ref()
                    .map(|c| c.merge_fruits(fruits))
                    .transpose()
            })
            .collect::<tantivy::Result<_>>()?;
        Ok((self.inner.merge_fruits(inner)?, Counted { facets, decades }))
    }
}

impl<S: SegmentCollector> SegmentCollector for NarrowedSegment<S> {
    type Fruit = (S::Fruit, Counted);

    fn collect(&mut self, doc: DocId, score: Score) {
        // Matches come in doc-id order, so each filter only ever seeks forward.
        let mut failing = None;
        for (n, choices) in self.filters.iter_mut().enumerate() {
            let mut holds = true;
            for choice in choices.iter_mut() {
                holds &= choice.holds(doc);
            }
            if !holds {
                if failing.is_some() {
                    return;
                }
                failing = Some(n);
            }
        }
        match failing {
            None => {
                self.inner.collect(doc, score);
                for counted in self.counted.iter_mut().flatten() {
                    counted.collect(doc, score);
                }
                if let Some(decades) = &mut self.decades {
                    decades.count(doc);
                }
            }
            Some(n) => {
                if let Some(Some(counted)) = self.counted.get_mut(n) {
                    counted.collect(doc, score);
                }
                if self.decade_filter == Some(n)
                    && let Some(decades) = &mut self.decades
                {
                    decades.count(doc);
                }
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        let facets = self
            .counted
            .into_iter()
            .map(|c| c.map(SegmentCollector::harvest))
            .collect();
        let decades = self.decades.map(DecadeCounts::harvest).unwrap_or_default();
        (self.inner.harvest(), Counted { facets, decades })
    }
}
