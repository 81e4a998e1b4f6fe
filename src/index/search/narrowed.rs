//! One pass over a search's matches that both narrows them by the facet values chosen and counts
//! the disjunctive facets (issue 12, "facet cost").
//!
//! A facet a value was chosen in is counted as if that choice alone had not been made (see
//! `SearchIndex::disjunctive_counts` in `run.rs`). Running one more count search per chosen facet
//! doubled or tripled the cost of a faceted search. Here the search runs once, over the query
//! *without* the choices; each match is tested against every choice by seeking that choice's own
//! document set (a term or a range, read in doc-id order, so each is walked at most once per
//! segment). A match that passes every choice goes to the inner collector (hits, total, facet
//! counts) and is counted in every chosen facet; a match failing exactly one choice is counted in
//! that choice's facet only; one failing two or more is dropped. That is exactly the set of
//! records the per-facet searches counted, so the counts are the same.

use tantivy::collector::{Collector, FacetCollector, FacetCounts, SegmentCollector};
use tantivy::query::{EnableScoring, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentOrdinal, SegmentReader, TERMINATED};

/// Wraps `inner` so that it sees only the matches passing every filter, and counts, for each
/// filter, its facet among the matches passing every *other* filter.
pub(super) struct Narrowed<C> {
    inner: C,
    /// One weight per chosen facet (several values chosen in one facet are one filter).
    filters: Vec<Box<dyn Weight>>,
    /// The facet each filter narrows, counted as if it were not chosen; empty when only the
    /// narrowing is wanted.
    counted: Vec<FacetCollector>,
}

impl<C: Collector> Narrowed<C> {
    /// `filters` are `(facet name, query)`: one per chosen facet. With `count` the fruit holds one
    /// [`FacetCounts`] per filter, in the same order, over `/name`; without it, none.
    ///
    /// Errors: tantivy's, when a filter's weight cannot be built.
    pub(super) fn new(
        inner: C,
        searcher: &tantivy::Searcher,
        filters: &[(&str, Box<dyn Query>)],
        count: bool,
    ) -> tantivy::Result<Self> {
        let weights = filters
            .iter()
            .map(|(_, query)| query.weight(EnableScoring::disabled_from_searcher(searcher)))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let counted = if count {
            filters
                .iter()
                .map(|(name, _)| {
                    let mut collector = FacetCollector::for_field("facets");
                    collector.add_facet(format!("/{name}").as_str());
                    collector
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok(Narrowed {
            inner,
            filters: weights,
            counted,
        })
    }
}

/// [`Narrowed`] within one segment.
pub(super) struct NarrowedSegment<S> {
    inner: S,
    filters: Vec<Box<dyn Scorer>>,
    counted: Vec<<FacetCollector as Collector>::Child>,
}

impl<C: Collector> Collector for Narrowed<C> {
    type Fruit = (C::Fruit, Vec<FacetCounts>);
    type Child = NarrowedSegment<C::Child>;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(NarrowedSegment {
            inner: self.inner.for_segment(segment, reader)?,
            filters: self
                .filters
                .iter()
                .map(|weight| weight.scorer(reader, 1.0))
                .collect::<tantivy::Result<_>>()?,
            counted: self
                .counted
                .iter()
                .map(|collector| collector.for_segment(segment, reader))
                .collect::<tantivy::Result<_>>()?,
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
        let mut counted: Vec<Vec<FacetCounts>> = self.counted.iter().map(|_| Vec::new()).collect();
        for (fruit, counts) in fruits {
            inner.push(fruit);
            for (all, one) in counted.iter_mut().zip(counts) {
                all.push(one);
            }
        }
        let counts = self
            .counted
            .iter()
            .zip(counted)
            .map(|(collector, fruits)| collector.merge_fruits(fruits))
            .collect::<tantivy::Result<_>>()?;
        Ok((self.inner.merge_fruits(inner)?, counts))
    }
}

impl<S: SegmentCollector> SegmentCollector for NarrowedSegment<S> {
    type Fruit = (S::Fruit, Vec<FacetCounts>);

    fn collect(&mut self, doc: DocId, score: Score) {
        // Matches come in doc-id order, so each filter only ever seeks forward.
        let mut failing = None;
        for (n, filter) in self.filters.iter_mut().enumerate() {
            let at = match filter.doc() {
                TERMINATED => TERMINATED,
                at if at < doc => filter.seek(doc),
                at => at,
            };
            if at != doc {
                if failing.is_some() {
                    return;
                }
                failing = Some(n);
            }
        }
        match failing {
            None => {
                self.inner.collect(doc, score);
                for counted in &mut self.counted {
                    counted.collect(doc, score);
                }
            }
            Some(n) => {
                if let Some(counted) = self.counted.get_mut(n) {
                    counted.collect(doc, score);
                }
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        (
            self.inner.harvest(),
            self.counted.into_iter().map(|c| c.harvest()).collect(),
        )
    }
}
