//! Looking records up in the search index without searching: whether an id is visible (the
//! same cost for a hidden id as for an unknown one), every live document and what it was made
//! from, and the records citing an authority or embedding a record.

use super::*;

impl SearchIndex {
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
        // Kept answers: the public index's, or the viewer's scope's (its admitted rules decide;
        // an unscoped everyone index keeps none).
        let memo = match (&self.scope, self.audience) {
            (Some(scope), _) => Some(&scope.answers),
            (None, Audience::Public) => Some(&*self.visible_memo),
            (None, Audience::Everyone) => None,
        };
        let generation = searcher.generation().generation_id();
        if let Some(memo) = memo {
            let kept = memo
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if kept.0 == generation
                && let Some(&answer) = kept.1.get(id)
            {
                return Ok(answer);
            }
        }
        let answer = self.look_up_visible(&searcher, id);
        if let (Some(memo), Ok(answer)) = (memo, &answer) {
            let mut kept = memo
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if kept.0 != generation || kept.1.len() >= VISIBLE_KEPT {
                *kept = (generation, HashMap::new());
            }
            kept.1.insert(id.to_string(), *answer);
        }
        answer
    }

    /// [`SearchIndex::visible`] read from `searcher`'s segments (not suppression, not kept).
    fn look_up_visible(&self, searcher: &tantivy::Searcher, id: &str) -> Result<bool, SearchError> {
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
                    // On a scoped everyone index, the document's rule must be admitted too:
                    // one posting seek per admitted rule, whatever the id. A record whose files
                    // are narrower than its description has two documents, of which the scope
                    // admits one: the other is passed over.
                    // (The unscoped everyone index is never served: it answers for the writers
                    // keeping it in step, such as `hide`.)
                    match &self.scope {
                        None => return Ok(true),
                        Some(scope) if scope::admits(segment, self.fields.rule, scope, doc) => {
                            return Ok(true);
                        }
                        Some(_) => {}
                    }
                }
                doc = postings.advance();
            }
        }
        match failure {
            Some(error) => Err(error.into()),
            None => Ok(false),
        }
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
                        artisans: stored_all(&doc, self.fields.artisan),
                        products: stored_all(&doc, self.fields.names_product),
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
        self.ids_holding(field, value, true)
    }

    /// The ids of documents whose `field` holds `value`: only those the public may see when
    /// `public_only` (in the everyone index), every document otherwise.
    fn ids_holding(
        &self,
        field: Field,
        value: &str,
        public_only: bool,
    ) -> Result<Vec<String>, SearchError> {
        let searcher = self.reader.searcher();
        let holding: Box<dyn Query> = Box::new(TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        ));
        let query = match self.audience {
            Audience::Everyone if public_only => Box::new(BooleanQuery::new(vec![
                (Occur::Must, self.public()),
                (Occur::Must, holding),
            ])),
            _ => holding,
        };
        let addresses = searcher.search(&query, &tantivy::collector::DocSetCollector)?;
        let mut ids = Vec::with_capacity(addresses.len());
        for address in addresses {
            let doc: TantivyDocument = searcher.doc(address)?;
            ids.extend(stored_text(&doc, self.fields.id));
        }
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    /// The ids of documents citing an authority object (`urn:disan:village:nha-xa`,
    /// `urn:disan:craft:…`, `urn:disan:artisan:…`, `urn:disan:product:…`): the records to index
    /// again when it changes.
    ///
    /// A product is cited by a record through the field only when the product admitted every
    /// viewer of the record when it was indexed; a record that names a product it may not show
    /// is found through `names_product` (every product a record names, never searched by
    /// visitors), so narrowing or widening a product re-derives it either way.
    pub fn citing(&self, object: &str) -> Result<Vec<String>, SearchError> {
        match self.citing_field(object) {
            Some((field, id)) => self.ids_with(field, id),
            None => Ok(Vec::new()),
        }
    }

    /// [`SearchIndex::citing`] over this index and its companion (the everyone index), every
    /// document whoever may see it: the records whose documents must be made again (or hidden
    /// first) when an authority they cite changes, a record only researchers may see included.
    pub fn citing_everywhere(&self, object: &str) -> Result<Vec<String>, SearchError> {
        let Some((field, id)) = self.citing_field(object) else {
            return Ok(Vec::new());
        };
        let mut ids = self.ids_holding(field, id, false)?;
        if let Some(all) = &self.companion {
            ids.extend(all.ids_holding(field, id, false)?);
        }
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    /// The field a document citing authority `object` holds its id in, and that id.
    fn citing_field<'a>(&self, object: &'a str) -> Option<(Field, &'a str)> {
        Some(
            if let Some(id) = object.strip_prefix("urn:disan:village:") {
                (self.fields.village, id)
            } else if let Some(id) = object.strip_prefix("urn:disan:craft:") {
                (self.fields.craft, id)
            } else if let Some(id) = object.strip_prefix("urn:disan:artisan:") {
                (self.fields.artisan, id)
            } else if let Some(id) = object.strip_prefix("urn:disan:product:") {
                (self.fields.names_product, id)
            } else {
                return None;
            },
        )
    }
}
