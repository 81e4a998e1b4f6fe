//! The decade facet and the `decade=` filter, both read at query time from the same two fast
//! fields (`date_from`, `date_to`: the days `date:` finds a record by), so that a decade's count
//! and what choosing it finds cannot disagree (issue 12, "decade counts before 1900").
//!
//! The rule (the README's "Searching" section says it too):
//! - A record is counted in, and found by, every decade its search span overlaps
//!   ([`crate::model::edtf::Edtf::search_span`]: `1985/1995` in the 1980s and the 1990s, `1930~`
//!   widened by 5 years into the 1920s).
//! - The facet lists decades one by one, so an open or unknown side needs a bound. It is the
//!   **collection's own span** ([`Collection`]): from the earliest year any public record's date
//!   names (a start, or the end of an open start) to the latest year any names or the current
//!   year, whichever is later. `../1975` is counted from the collection's first decade to the
//!   1970s; `2001/..` from the 2000s to the collection's last decade.
//! - An open side is bounded by the collection's span, but never more than [`MAX_DECADES`]
//!   decades from the known side, and the known side's decade always counts: one ancient date
//!   (`-0500~`) must not make `../1975` vanish from the 1970s (break-12c finding 1). With a
//!   collection starting at -505, `../1975` is counted from the 980s to the 1970s.
//! - A closed span of more than [`MAX_DECADES`] decades (`0001/1995`) says nothing about any one
//!   decade: it is counted in none and found by no `decade=` (`date:` still finds it).
//! - Within the collection's span, `decade=D` finds exactly what `date:[D TO D+9]` finds; outside
//!   it (`decade=1500` in a 20th-century collection) it finds nothing, and the facet lists
//!   nothing, while `date:` keeps open sides unbounded.
//!
//! The collection's span is computed over public records only (deny by default: a hidden
//! record's date bounds nothing) and kept until the index's generation changes.

use std::collections::BTreeMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use super::{SearchError, SearchIndex};

/// Decades a record is counted in at most: a longer closed span is counted in none, an open
/// side is cut to this many decades from the known side.
pub const MAX_DECADES: i64 = 100;

/// The years the collection's dates name: open sides of a date are bounded by them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Collection {
    /// The earliest year any public record's date names.
    pub first_year: i64,
    /// The latest year any public record's date names, or the current year if later.
    pub last_year: i64,
}

/// The collection's span and the generation of the index it was computed for.
pub(super) type Cached = (u64, Option<Collection>);

/// The stored days of an undated record (see the indexer): it sorts last both ways.
const UNDATED: (i64, i64) = (i64::MAX, i64::MIN);

impl Collection {
    /// The decades (`193` for the 1930s) a record of stored days `from`..=`to` (`yyyymmdd`,
    /// `i64::MIN`/`i64::MAX` for an open side) is counted in and found by: `None` for an undated
    /// record, a record with no side known, or a closed span of more than [`MAX_DECADES`]
    /// decades. An open side is bounded by the collection's span and by [`MAX_DECADES`] decades
    /// from the known side, whose own decade always counts (break-12c finding 1).
    pub fn decades(&self, from: i64, to: i64) -> Option<(i64, i64)> {
        if (from, to) == UNDATED {
            return None;
        }
        let (collection_first, collection_last) = (
            self.first_year.div_euclid(10),
            self.last_year.div_euclid(10),
        );
        let decade = |day: i64| day.div_euclid(10_000).div_euclid(10);
        match (from == i64::MIN, to == i64::MAX) {
            // Both sides known: every decade the span overlaps, if it is not too long.
            (false, false) => {
                let (first, last) = (decade(from), decade(to));
                (first <= last && last - first < MAX_DECADES).then_some((first, last))
            }
            // An open start: from the collection's first decade, but never more than
            // MAX_DECADES decades before the known end, whose decade always counts.
            (true, false) => {
                let last = decade(to);
                let first = collection_first.max(last - (MAX_DECADES - 1)).min(last);
                Some((first, last))
            }
            // An open end: likewise, up to the collection's last decade.
            (false, true) => {
                let first = decade(from);
                let last = collection_last.min(first + (MAX_DECADES - 1)).max(first);
                Some((first, last))
            }
            // Nothing known: no decade can be named.
            (true, true) => None,
        }
    }
}

/// Reads a segment's `date_from` and `date_to`; a document without them is undated.
pub(super) struct DateColumns {
    from: Column<i64>,
    to: Column<i64>,
}

impl DateColumns {
    /// The columns of one segment. Errors: tantivy's, when the fields are not fast fields.
    pub fn of(reader: &SegmentReader) -> tantivy::Result<Self> {
        let fast = reader.fast_fields();
        Ok(DateColumns {
            from: fast.i64("date_from")?,
            to: fast.i64("date_to")?,
        })
    }

    /// The stored days of `doc` (`UNDATED` when it has none).
    pub fn days(&self, doc: DocId) -> (i64, i64) {
        (
            self.from.first(doc).unwrap_or(UNDATED.0),
            self.to.first(doc).unwrap_or(UNDATED.1),
        )
    }
}

/// Decades of the collection's span counted in an array; a longer span (a date far in the
/// past or future) is counted in a map.
const ARRAY_DECADES: i64 = 1 << 16;

/// Counts, per decade, the records collected. Each record adds one at its first decade and
/// takes one away after its last (a difference array), so a record spanning many decades costs
/// as little as one spanning one; the counts are summed up once, at harvest.
pub(super) struct DecadeCounts {
    collection: Collection,
    columns: DateColumns,
    /// The collection's first decade: index 0 of `steps`.
    first: i64,
    /// Changes of the count at each decade of the collection's span (plus one past it), when
    /// the span is at most [`ARRAY_DECADES`] long.
    steps: Vec<i64>,
    /// The same, for a longer span.
    far: BTreeMap<i64, i64>,
}

impl DecadeCounts {
    /// Counting in one segment.
    pub fn new(collection: Collection, reader: &SegmentReader) -> tantivy::Result<Self> {
        let first = collection.first_year.div_euclid(10);
        let span = collection.last_year.div_euclid(10) - first + 2;
        let steps = if (1..=ARRAY_DECADES).contains(&span) {
            vec![0; span as usize]
        } else {
            Vec::new()
        };
        Ok(DecadeCounts {
            collection,
            columns: DateColumns::of(reader)?,
            first,
            steps,
            far: BTreeMap::new(),
        })
    }

    /// Counts `doc` in each of its decades.
    pub fn count(&mut self, doc: DocId) {
        let (from, to) = self.columns.days(doc);
        let Some((first, last)) = self.collection.decades(from, to) else {
            return;
        };
        let (start, end) = (first - self.first, last + 1 - self.first);
        if start >= 0 && (end as usize) < self.steps.len() {
            self.steps[start as usize] += 1;
            self.steps[end as usize] -= 1;
        } else {
            *self.far.entry(first).or_default() += 1;
            *self.far.entry(last + 1).or_default() -= 1;
        }
    }

    /// The counts, keyed by the decade's first year (`1930`); decades counted in none are left
    /// out.
    pub fn harvest(self) -> BTreeMap<i64, u64> {
        let mut steps = self.far;
        for (n, step) in self.steps.into_iter().enumerate() {
            if step != 0 {
                *steps.entry(self.first + n as i64).or_default() += step;
            }
        }
        let mut counts = BTreeMap::new();
        let mut running = 0i64;
        let mut at: Option<i64> = None;
        for (decade, step) in steps {
            if let Some(previous) = at
                && running > 0
            {
                for between in previous..decade {
                    counts.insert(between * 10, running as u64);
                }
            }
            running += step;
            at = Some(decade);
        }
        counts
    }
}

/// Whether `doc` is found by `decade=` (the decade's first year, `1930`).
pub(super) struct DecadeFilter {
    collection: Collection,
    columns: DateColumns,
    decade: i64,
}

impl DecadeFilter {
    /// The filter in one segment.
    pub fn new(
        collection: Collection,
        decade: i64,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self> {
        Ok(DecadeFilter {
            collection,
            columns: DateColumns::of(reader)?,
            decade: decade.div_euclid(10),
        })
    }

    /// Whether `doc` is counted in the decade.
    pub fn holds(&self, doc: DocId) -> bool {
        let (from, to) = self.columns.days(doc);
        self.collection
            .decades(from, to)
            .is_some_and(|(first, last)| (first..=last).contains(&self.decade))
    }
}

impl SearchIndex {
    /// The collection's span ([`Collection`]) as `searcher` sees it, over public records: `None`
    /// when no public record is dated. Computed once per generation of the index.
    pub(super) fn collection(
        &self,
        searcher: &Searcher,
    ) -> Result<Option<Collection>, SearchError> {
        let generation = searcher
            .generation()
            .generation_id()
            .wrapping_add((self.suppressed_count() as u64) << 40);
        let mut cached = self
            .collection
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((at, collection)) = *cached
            && at == generation
        {
            return Ok(collection);
        }
        let years = searcher.search(&self.public(), &KnownYears)?;
        let this_year = i64::from(crate::model::edtf::span::this_year());
        let collection = years.map(|(first, last)| Collection {
            first_year: first.unwrap_or(this_year),
            last_year: last.map_or(this_year, |last| last.max(this_year)),
        });
        *cached = Some((generation, collection));
        Ok(collection)
    }
}

/// The earliest and latest years the dates of the records collected name (`None` inside: dated,
/// but no side known); `None` when none is dated.
struct KnownYears;

/// Years named so far: `None` until a dated record is seen.
type Years = Option<(Option<i64>, Option<i64>)>;

fn widen(years: Years, year: Option<i64>) -> Years {
    let (first, last) = years.unwrap_or((None, None));
    Some(match year {
        Some(year) => (
            Some(first.map_or(year, |f| f.min(year))),
            Some(last.map_or(year, |l| l.max(year))),
        ),
        None => (first, last),
    })
}

/// [`KnownYears`] within one segment.
struct KnownYearsInSegment {
    columns: DateColumns,
    years: Years,
}

impl Collector for KnownYears {
    type Fruit = Years;
    type Child = KnownYearsInSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(KnownYearsInSegment {
            columns: DateColumns::of(reader)?,
            years: None,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Years>) -> tantivy::Result<Years> {
        Ok(fruits
            .into_iter()
            .flatten()
            .fold(None, |years, (first, last)| {
                widen(widen(years, first), last)
            }))
    }
}

impl SegmentCollector for KnownYearsInSegment {
    type Fruit = Years;

    fn collect(&mut self, doc: DocId, _: Score) {
        let (from, to) = self.columns.days(doc);
        if (from, to) == UNDATED {
            return;
        }
        let known = |day: i64| (day != i64::MIN && day != i64::MAX).then(|| day.div_euclid(10_000));
        self.years = widen(widen(self.years, known(from)), known(to));
    }

    fn harvest(self) -> Years {
        self.years
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::edtf::Edtf;

    /// The decades of an EDTF date in a collection naming the years 1850 to 2026.
    fn decades(text: &str) -> Option<(i64, i64)> {
        let collection = Collection {
            first_year: 1850,
            last_year: 2026,
        };
        let span = Edtf::parse(text).unwrap().search_span();
        let from = span.from.map_or(i64::MIN, crate::index::query::day_number);
        let to = span.to.map_or(i64::MAX, crate::index::query::day_number);
        collection
            .decades(from, to)
            .map(|(first, last)| (first * 10, last * 10))
    }

    /// The `search-decade-facet` case, and open sides bounded by the collection's span.
    #[test]
    fn a_date_is_counted_in_every_decade_it_overlaps_open_sides_within_the_collection() {
        assert_eq!(decades("1985/1995"), Some((1980, 1990)));
        assert_eq!(decades("1995"), Some((1990, 1990)));
        assert_eq!(decades("199X"), Some((1990, 1990)));
        assert_eq!(decades("1930~"), Some((1920, 1930)));
        assert_eq!(decades("1939?"), Some((1930, 1940)));
        assert_eq!(decades("1962-06%"), Some((1950, 1960)));
        assert_eq!(decades("../1975"), Some((1850, 1970)));
        assert_eq!(decades("/1875"), Some((1850, 1870)));
        assert_eq!(decades("2001/.."), Some((2000, 2020)));
        assert_eq!(decades("-0005/0004"), Some((-10, 0)));
        assert_eq!(decades("0001/1995"), None, "two thousand years");
        assert_eq!(decades("Y170000002"), Some((170_000_000, 170_000_000)));
        let collection = Collection {
            first_year: 1850,
            last_year: 2026,
        };
        assert_eq!(collection.decades(i64::MAX, i64::MIN), None, "undated");
        let wide = Collection {
            first_year: 0,
            last_year: 2026,
        };
        assert_eq!(
            wide.decades(i64::MIN, 19_751_231),
            Some((98, 197)),
            "an open start: at most a hundred decades, back to the 980s"
        );
        assert_eq!(wide.decades(19_900_101, i64::MAX), Some((199, 202)));
        let ancient = Collection {
            first_year: -505,
            last_year: 170_000,
        };
        assert_eq!(ancient.decades(i64::MIN, 19_751_231), Some((98, 197)));
        assert_eq!(ancient.decades(19_900_101, i64::MAX), Some((199, 298)));
        assert_eq!(ancient.decades(i64::MIN, i64::MAX), None, "nothing known");
        // A known side outside the collection's span (a hidden record bounds nothing) still
        // counts in its own decade.
        let late = Collection {
            first_year: 1990,
            last_year: 2026,
        };
        assert_eq!(late.decades(i64::MIN, 18_751_231), Some((187, 187)));
    }
}
