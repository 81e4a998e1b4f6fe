//! Counting the facets of a search's matches for the viewer who asked (issue 14): each facet
//! value counts the records holding it, once per record, including the values a viewer's scope
//! adds to a record.
//!
//! A record of the everyone index may name a product narrower in access than the record (see
//! `Indexer::put`): its product and stars are not among the record's facet values, which every
//! viewer of the record would count, but among its *guarded* ones,
//! `/guarded/<rule token of the product>/<facet>/<value>` ([`guarded_facet`]), which only the
//! viewers whose scope admits that rule count, as if they were `/<facet>/<value>`. A record
//! holding one value both ways (a public 4-star product and a community's 4-star product) is
//! counted once: tantivy's `FacetCollector` counts per facet path and would count it twice, and
//! knows nothing of scopes, hence this collector. The filters the facets' links set read the
//! same terms ([`super::SearchIndex::facet_query`]), so a count is what choosing it finds.

use std::collections::{BTreeMap, HashMap};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::fastfield::FacetReader;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader, TERMINATED};

/// The facets whose values a product narrower than a record gives it, guarded by the product's
/// rule (see the module doc).
pub(super) const GUARDED_FACETS: [&str; 2] = ["product", "stars"];

/// The first part of a guarded facet's path.
const GUARDED: &str = "guarded";

/// The facet path under which value `value` of facet `name` (one of [`GUARDED_FACETS`]) is
/// held for the viewers whose scope admits `rule` only: `/guarded/<rule>/<name>/<value>`.
pub(super) fn guarded_facet(rule: &str, name: &str, value: &str) -> Facet {
    Facet::from_path([GUARDED, rule, name, value])
}

/// Counts per facet and value: facet name → value (the last part of `/name/value`) → records.
pub(super) type Tallied = BTreeMap<String, BTreeMap<String, u64>>;

/// Counts the values of some facets of the `facets` field among the matches, each record once
/// per value, with the guarded values of the rules a viewer's scope admits.
pub(super) struct FacetTally {
    /// The facets counted.
    names: Vec<String>,
    /// The rule tokens whose guarded values count (none on the public index).
    rules: Vec<String>,
}

impl FacetTally {
    /// Counts facets `names`, and the guarded values of `rules` (the product rules a viewer's
    /// scope admits, [`super::SearchIndex::admitted_product_rules`]).
    pub(super) fn new<'a>(
        names: impl IntoIterator<Item = &'a str>,
        rules: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        FacetTally {
            names: names.into_iter().map(str::to_string).collect(),
            rules: rules.into_iter().map(str::to_string).collect(),
        }
    }

    /// The facet value a term of the facet dictionary counts as, if any: `(facet index, value)`.
    fn value_of<'k>(&self, key: &'k [u8]) -> Option<(usize, &'k [u8])> {
        let parts: Vec<&[u8]> = key.split(|b| *b == 0).collect();
        let (name, value) = match parts.as_slice() {
            [name, value] => (*name, *value),
            [guarded, rule, name, value]
                if *guarded == GUARDED.as_bytes()
                    && self.rules.iter().any(|r| r.as_bytes() == *rule) =>
            {
                (*name, *value)
            }
            _ => return None,
        };
        let facet = self.names.iter().position(|n| n.as_bytes() == name)?;
        Some((facet, value))
    }
}

/// No bucket: a facet term that is not counted.
const NONE: u32 = u32::MAX;

/// [`FacetTally`] within one segment.
pub(super) struct TallySegment {
    reader: FacetReader,
    /// The bucket of each facet term ordinal of the segment ([`NONE`]: not counted).
    buckets: Vec<u32>,
    /// Each bucket's facet index and value.
    labels: Vec<(usize, String)>,
    counts: Vec<u64>,
    /// The last document counted in each bucket, so a record holding a value twice (directly
    /// and guarded) counts once.
    last: Vec<DocId>,
    names: Vec<String>,
}

impl Collector for FacetTally {
    type Fruit = Tallied;
    type Child = TallySegment;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<TallySegment> {
        let facets = reader.facet_reader("facets")?;
        let mut buckets = vec![NONE; facets.num_facets()];
        let mut labels: Vec<(usize, String)> = Vec::new();
        let mut bucket_of: HashMap<(usize, Vec<u8>), u32> = HashMap::new();
        let mut terms = facets.facet_dict().stream()?;
        while terms.advance() {
            let Some((facet, value)) = self.value_of(terms.key()) else {
                continue;
            };
            let next = labels.len() as u32;
            let bucket = *bucket_of.entry((facet, value.to_vec())).or_insert_with(|| {
                labels.push((facet, String::from_utf8_lossy(value).into_owned()));
                next
            });
            if let Some(slot) = buckets.get_mut(terms.term_ord() as usize) {
                *slot = bucket;
            }
        }
        Ok(TallySegment {
            reader: facets,
            buckets,
            counts: vec![0; labels.len()],
            last: vec![TERMINATED; labels.len()],
            labels,
            names: self.names.clone(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Tallied>) -> tantivy::Result<Tallied> {
        let mut all: Tallied = self
            .names
            .iter()
            .map(|name| (name.clone(), BTreeMap::new()))
            .collect();
        for fruit in fruits {
            for (name, values) in fruit {
                let counts = all.entry(name).or_default();
                for (value, count) in values {
                    *counts.entry(value).or_default() += count;
                }
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for TallySegment {
    type Fruit = Tallied;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for ord in self.reader.facet_ords(doc) {
            let bucket = self.buckets.get(ord as usize).copied().unwrap_or(NONE);
            if bucket == NONE {
                continue;
            }
            let bucket = bucket as usize;
            if self.last[bucket] != doc {
                self.last[bucket] = doc;
                self.counts[bucket] += 1;
            }
        }
    }

    fn harvest(self) -> Tallied {
        let mut tallied = Tallied::new();
        for ((facet, value), count) in self.labels.into_iter().zip(self.counts) {
            if count > 0 {
                tallied
                    .entry(self.names[facet].clone())
                    .or_default()
                    .insert(value, count);
            }
        }
        tallied
    }
}
