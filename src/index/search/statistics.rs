//! Statistics of live documents for ranking, and a cheap test of whether anything matches.

use super::*;

/// BM25 statistics of live documents only. Tantivy's own count a deleted document (a record
/// hidden or replaced) until its segment is merged, so a hidden record's words would weigh in
/// public rankings for that while. Segments without deletions answer from their term
/// dictionaries at no extra cost; the others count live postings (and live field lengths).
///
/// On the everyone index seen by a viewer ([`SearchIndex::for_viewer`]) only the documents the
/// viewer may see count (`visible`): total documents, document frequencies and field lengths
/// are those of an index holding the visible records alone.
pub(super) struct LiveStatistics<'a> {
    /// The generation counted.
    pub(super) searcher: &'a Searcher,
    /// Per segment ordinal, the documents counted; `None`: every live document.
    pub(super) visible: Option<Arc<super::scope::Visible>>,
}

impl LiveStatistics<'_> {
    /// Whether document `doc` of segment `ord` counts.
    fn counts(&self, ord: usize, segment: &tantivy::SegmentReader, doc: tantivy::DocId) -> bool {
        match &self.visible {
            Some(visible) => visible[ord].contains(doc),
            None => segment
                .alive_bitset()
                .is_none_or(|alive| alive.is_alive(doc)),
        }
    }

    /// Whether a segment's term dictionary counts exactly what these statistics count (no
    /// deletions, no scope).
    pub(super) fn dictionary_exact(&self, segment: &tantivy::SegmentReader) -> bool {
        self.visible.is_none() && !segment.has_deletes()
    }

    /// How many counted documents of segment `ord` hold the term of `info`.
    pub(super) fn postings(
        &self,
        ord: usize,
        segment: &tantivy::SegmentReader,
        inverted: &tantivy::InvertedIndexReader,
        info: &tantivy::postings::TermInfo,
    ) -> tantivy::Result<u64> {
        let mut postings = inverted.read_postings_from_terminfo(info, IndexRecordOption::Basic)?;
        let mut count = 0;
        let mut doc = postings.doc();
        while doc != tantivy::TERMINATED {
            if self.counts(ord, segment, doc) {
                count += 1;
            }
            doc = postings.advance();
        }
        Ok(count)
    }

    /// How many documents count.
    pub(super) fn num_docs(&self) -> u64 {
        match &self.visible {
            Some(visible) => visible.iter().map(|bits| bits.len() as u64).sum(),
            None => self.searcher.num_docs(),
        }
    }
}

impl Bm25StatisticsProvider for LiveStatistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        let mut total = 0;
        for (ord, segment) in self.searcher.segment_readers().iter().enumerate() {
            if !self.dictionary_exact(segment) {
                let lengths = segment.get_fieldnorms_reader(field)?;
                total += (0..segment.max_doc())
                    .filter(|doc| self.counts(ord, segment, *doc))
                    .map(|doc| u64::from(lengths.fieldnorm(doc)))
                    .sum::<u64>();
            } else {
                total += segment.inverted_index(field)?.total_num_tokens();
            }
        }
        Ok(total)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.num_docs())
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let mut total = 0;
        for (ord, segment) in self.searcher.segment_readers().iter().enumerate() {
            let inverted = segment.inverted_index(term.field())?;
            if self.dictionary_exact(segment) {
                total += u64::from(inverted.doc_freq(term)?);
            } else if let Some(info) = inverted.get_term_info(term)? {
                total += self.postings(ord, segment, &inverted, &info)?;
            }
        }
        Ok(total)
    }
}

/// Whether any document matches: stops at the first instead of counting them all.
pub(super) fn any_match(searcher: &Searcher, query: &dyn Query) -> bool {
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
