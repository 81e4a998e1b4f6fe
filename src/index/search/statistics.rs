//! Statistics of live documents for ranking, and a cheap test of whether anything matches.

use super::*;

/// BM25 statistics of live documents only. Tantivy's own count a deleted document (a record
/// hidden or replaced) until its segment is merged, so a hidden record's words would weigh in
/// public rankings for that while. Segments without deletions answer from their term
/// dictionaries at no extra cost; the others count live postings (and live field lengths).
pub(super) struct LiveStatistics<'a>(pub(super) &'a Searcher);

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
pub(super) fn live_postings(
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
