//! What a signed-in viewer may see of the everyone index (`index/search-all/`): the access rule
//! tokens it admits, and per segment the documents they admit, from which every statistic of a
//! scoped search is counted ([`super::statistics::LiveStatistics`]).
//!
//! A scope is made once per viewer kind and index generation ([`SearchIndex::for_viewer`], kept
//! by [`super::scope_cache`]): the distinct tokens of the `rule` field are few (one per access
//! value in use, and one per pair of a record rule and a narrower files rule in use), each is
//! asked of [`Viewer::may_see`] once ([`crate::index::audience::token_admits`]), so the scope
//! decides exactly as every route does; its bitsets are made once for that generation. A record
//! whose files are narrower than its description has two documents; every scope admits one of
//! them, so no record is counted twice.

use super::*;
use crate::model::access::Viewer;
use tantivy::BitSet;

/// Prefix, in a scope's admitted tokens, of the rule token of a product narrower than the records
/// naming it that the viewer may see (see `Indexer::put`).
pub const PRODUCT_RULE: &str = "product:";

/// The rule tokens a viewer may see, and the documents they admit per segment of one searcher
/// generation.
#[derive(Debug)]
pub struct Scope {
    /// Admitted tokens of the `rule` field, sorted: also the scope's key for caches.
    admitted: Vec<String>,
    /// The searcher generation the tokens were read from; the bitsets kept are of it.
    generation: u64,
    /// The documents admitted per segment of that generation, made when first asked for.
    visible: std::sync::OnceLock<Arc<Visible>>,
    /// [`SearchIndex::visible`]'s answers for this scope (see the public index's own).
    pub(super) answers: super::VisibleMemo,
}

impl Scope {
    /// A scope admitting the rule tokens `admitted` (sorted), read from searcher generation
    /// `generation`.
    pub(super) fn new(admitted: Vec<String>, generation: u64) -> Self {
        Scope {
            admitted,
            generation,
            visible: std::sync::OnceLock::new(),
            answers: super::VisibleMemo::default(),
        }
    }

    /// A canonical key of what the scope admits (`public|researchers|any:a`), equal for two
    /// viewers who may see exactly the same rules in use.
    pub fn key(&self) -> String {
        self.admitted.join("|")
    }

    /// The admitted tokens.
    pub fn admitted(&self) -> &[String] {
        &self.admitted
    }
}

/// Whether document `doc` of `segment` holds one of `scope`'s admitted tokens in `rule`.
pub(super) fn admits(
    segment: &tantivy::SegmentReader,
    rule: Field,
    scope: &Scope,
    doc: tantivy::DocId,
) -> bool {
    let Ok(inverted) = segment.inverted_index(rule) else {
        return false;
    };
    scope.admitted.iter().any(|token| {
        let term = Term::from_field_text(rule, token);
        match inverted.read_postings(&term, IndexRecordOption::Basic) {
            Ok(Some(mut postings)) => postings.doc() <= doc && postings.seek(doc) == doc,
            _ => false,
        }
    })
}

/// Documents counted for a scoped search, per segment ordinal: live and admitted.
pub(super) type Visible = Vec<BitSet>;

impl SearchIndex {
    /// The everyone index seen by `viewer`: every query on it (search, facets, counts,
    /// suggestions, related records, [`SearchIndex::is_visible`]) admits only the records the
    /// viewer may see and counts statistics from them alone. `None` for an anonymous viewer
    /// (who is answered by the public index itself) and when this index has no everyone
    /// companion.
    ///
    /// # Errors
    /// [`SearchError::Tantivy`] when a segment's term dictionary cannot be read.
    pub fn for_viewer(&self, viewer: &Viewer) -> Result<Option<SearchIndex>, SearchError> {
        if *viewer == Viewer::Anonymous {
            return Ok(None);
        }
        let Some(all) = self.companion.as_deref() else {
            return Ok(None);
        };
        let searcher = all.reader.searcher();
        let generation = searcher.generation().generation_id();
        let scope = all.scopes.scope(generation, viewer, || {
            let mut admitted = admitted_rules(&searcher, all.fields.rule, viewer)?;
            // Products narrower than the records naming them: which the viewer may see, so
            // its product filter finds those records (`SearchIndex::product_filter`). Kept
            // with the rules, prefixed, so two viewers share a scope only when they see the
            // same products too; no record's rule holds such a token.
            admitted.extend(
                admitted_rules(&searcher, all.fields.product_rules, viewer)?
                    .into_iter()
                    .map(|token| format!("{PRODUCT_RULE}{token}")),
            );
            admitted.sort();
            Ok(admitted)
        })?;
        let mut scoped = all.clone();
        scoped.scope = Some(scope);
        Ok(Some(scoped))
    }

    /// The scope of this index, when it is the everyone index seen by a viewer.
    pub fn scope(&self) -> Option<&Scope> {
        self.scope.as_deref()
    }

    /// Records naming product `id`, for the `product` filter: on the public index and for a
    /// product admitting every viewer of a record, the `product` field; on a scoped everyone
    /// index also the records naming it although some of their viewers may not see it, when
    /// this viewer may (its scope admits the product's rule, [`PRODUCT_RULE`]).
    pub(super) fn product_filter(&self, id: &str) -> Box<dyn Query> {
        let mut either = vec![filter(self.fields.product, id)];
        for rule in self.admitted_product_rules() {
            either.push(filter(
                self.fields.product_guarded,
                &format!("{id}\u{1f}{rule}"),
            ));
        }
        super::clauses::union(either)
    }

    /// The rule tokens of products narrower than the records naming them that this viewer may
    /// see ([`PRODUCT_RULE`]); none on the public index or an unscoped one.
    pub(super) fn admitted_product_rules(&self) -> impl Iterator<Item = &str> {
        self.scope
            .iter()
            .flat_map(|scope| scope.admitted.iter())
            .filter_map(|token| token.strip_prefix(PRODUCT_RULE))
    }

    /// Phrases of the folded `words` within the guarded names of products this viewer may see
    /// although some viewers of the records naming them may not (`product:` by name; see
    /// [`super::indexer::guarded_words`]); none on the public index.
    pub(super) fn guarded_names(&self, words: &[String]) -> Vec<Box<dyn Query>> {
        self.admitted_product_rules()
            .filter_map(|rule| {
                let terms: Vec<String> = words
                    .iter()
                    .map(|word| super::indexer::guarded_term(rule, word))
                    .collect();
                super::clauses::sequence(self.fields.product_names_guarded, &terms)
            })
            .collect()
    }

    /// Guarded star terms (`<rule>\u{1f}<stars>`) for `from..=to`, for the products this viewer
    /// may see although some viewers of the records naming them may not; none on the public
    /// index.
    pub(super) fn guarded_stars(&self, from: u8, to: u8) -> Vec<Box<dyn Query>> {
        self.admitted_product_rules()
            .flat_map(|rule| {
                (from..=to).map(move |stars| {
                    filter(
                        self.fields.stars_guarded,
                        &super::indexer::guarded_term(rule, &stars.to_string()),
                    )
                })
            })
            .collect()
    }

    /// The filter of what this index's audience may see: the public rule on the public index,
    /// the viewer's admitted rules on a scoped everyone index (nothing on an unscoped one:
    /// deny by default).
    pub(super) fn admitted_filter(&self) -> Box<dyn Query> {
        match (&self.scope, self.audience) {
            (_, Audience::Public) => filter(self.fields.access, &Access::Public.to_string()),
            (None, Audience::Everyone) => Box::new(tantivy::query::EmptyQuery),
            (Some(scope), Audience::Everyone) => Box::new(BooleanQuery::new(
                scope
                    .admitted
                    .iter()
                    .map(|token| (Occur::Should, filter(self.fields.rule, token)))
                    .collect(),
            )),
        }
    }

    /// The live documents the scope admits in each segment of `searcher`; `None` on the public
    /// index, where every live document is admitted.
    pub(super) fn visible_docs(&self, searcher: &Searcher) -> Option<Arc<Visible>> {
        let scope = self.scope.as_ref()?;
        if searcher.generation().generation_id() == scope.generation {
            // Made once per scope and generation (see `scope_cache`).
            return Some(
                scope
                    .visible
                    .get_or_init(|| Arc::new(self.admitted_docs(scope, searcher)))
                    .clone(),
            );
        }
        // The reader loaded a newer commit since the scope was made: counted for this one.
        Some(Arc::new(self.admitted_docs(scope, searcher)))
    }

    /// The live documents `scope` admits in each segment of `searcher`.
    fn admitted_docs(&self, scope: &Scope, searcher: &Searcher) -> Visible {
        let mut visible = Vec::with_capacity(searcher.segment_readers().len());
        for segment in searcher.segment_readers() {
            let mut bits = BitSet::with_max_value(segment.max_doc());
            let alive = segment.alive_bitset();
            if let Ok(inverted) = segment.inverted_index(self.fields.rule) {
                for token in &scope.admitted {
                    let term = Term::from_field_text(self.fields.rule, token);
                    let Ok(Some(mut postings)) =
                        inverted.read_postings(&term, IndexRecordOption::Basic)
                    else {
                        continue;
                    };
                    let mut doc = postings.doc();
                    while doc != tantivy::TERMINATED {
                        if alive.is_none_or(|alive| alive.is_alive(doc)) {
                            bits.insert(doc);
                        }
                        doc = postings.advance();
                    }
                }
            }
            visible.push(bits);
        }
        visible
    }

    /// The statistics every ranking of this index uses: live documents, and on a scoped index
    /// only those the viewer may see.
    pub(super) fn statistics<'a>(
        &self,
        searcher: &'a Searcher,
    ) -> super::statistics::LiveStatistics<'a> {
        super::statistics::LiveStatistics {
            searcher,
            visible: self.visible_docs(searcher),
        }
    }
}

/// The rule tokens in use in `searcher`'s segments that `viewer` may see, sorted.
fn admitted_rules(
    searcher: &Searcher,
    rule: Field,
    viewer: &Viewer,
) -> Result<Vec<String>, SearchError> {
    let mut tokens = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(rule)?;
        let mut stream = inverted
            .terms()
            .stream()
            .map_err(|e| SearchError::Tantivy(e.into()))?;
        while stream.advance() {
            if let Ok(token) = std::str::from_utf8(stream.key()) {
                tokens.insert(token.to_string());
            }
        }
    }
    Ok(tokens
        .into_iter()
        .filter(|token| super::super::audience::token_admits(viewer, token))
        .collect())
}
