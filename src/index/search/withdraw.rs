//! Withdrawing records another index hid: removing their documents now, or, when this index
//! cannot be written, leaving them out of every query until the process ends; and the
//! generation that changes with either.

use super::*;

impl SearchIndex {
    /// Removes from this index now the documents that the records an ingest through another
    /// index is about to hide ([`crate::index::hiding`]) cover: those made from the version each line
    /// names or an earlier one ([`crate::index::hiding::Hidden::covers`]). A document made from a later
    /// version was written by an ingest, reconcile or reindex that read the record's new access
    /// (the hiding ingest's own, when this is the index it writes) and is kept. A commit that
    /// removes anything marks the index as not reflecting the archive
    /// ([`crate::index::sync::IndexState::Withdrawn`]: the next `serve` or `ingest` over it reconciles
    /// it). Returns how many records were removed or left out.
    ///
    /// When they cannot be removed (the index is read-only, its writer is held or cannot be
    /// taken, the commit fails), they are left out of every query from now on instead (see
    /// `suppressed`) and one line says so on standard error: a record another index hid is
    /// never listed, whatever this index's folder allows.
    ///
    /// # Errors
    /// [`SearchError::Tantivy`] when the latest commit cannot be loaded.
    pub fn hide(&self, hidden: &[crate::index::hiding::Hidden]) -> Result<usize, SearchError> {
        self.refresh()?;
        // The everyone index drops them too: a record leaving the public may be narrowing to a
        // community, and its old rule must not admit anyone meanwhile.
        let mut listed: Vec<&String> = Vec::new();
        for line in hidden {
            let mut covered = self.covered(line)?;
            if let Some(all) = &self.companion {
                covered |= all.covered(line)?;
            }
            if covered {
                listed.push(&line.id);
            }
        }
        if listed.is_empty() {
            return Ok(0);
        }
        let removed = self.indexer().and_then(|mut indexer| {
            for id in &listed {
                indexer.delete(id);
            }
            indexer.commit_with(&crate::index::sync::IndexState::Withdrawn.payload())?;
            drop(indexer);
            self.refresh()
        });
        if let Err(error) = removed {
            let dir = self.meta.parent().unwrap_or(Path::new("."));
            eprintln!(
                "warning: cannot remove {} record(s) another index hid from the search index {} \
                 ({}); they are left out of every search and listing until this server stops. \
                 Run `disan reindex` over a writable copy of the index to bring it up to date.",
                listed.len(),
                dir.display(),
                error
            );
            let mut suppressed = self
                .suppressed
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            suppressed.extend(listed.iter().map(|id| (*id).clone()));
            if let Some(all) = &self.companion {
                all.suppress(&listed.iter().map(|id| (*id).clone()).collect::<Vec<_>>());
            }
        }
        Ok(listed.len())
    }

    /// Whether this index (not its companion) has a live document of `line`'s record that the
    /// hiding covers. One term lookup, and one stored document read per live document found.
    fn covered(&self, line: &crate::index::hiding::Hidden) -> Result<bool, SearchError> {
        let searcher = self.reader.searcher();
        let query = TermQuery::new(
            Term::from_field_text(self.fields.id, &line.id),
            IndexRecordOption::Basic,
        );
        for address in searcher.search(&query, &tantivy::collector::DocSetCollector)? {
            let doc: TantivyDocument = searcher.doc(address)?;
            let stamp = stored_text(&doc, self.fields.stamp).unwrap_or_default();
            if line.covers(&stamp) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Leaves out of every query from now on, until the process ends, the records of `hidden`
    /// whose documents in the commit loaded now the hiding covers
    /// ([`crate::index::hiding::Hidden::covers`]): what an ingest announced it hides, when this index's
    /// latest commit (which may hold their removal) cannot be loaded. A document that cannot be
    /// read counts as covered (deny by default).
    pub fn suppress_covered(&self, hidden: &[crate::index::hiding::Hidden]) {
        let ids: Vec<String> = hidden
            .iter()
            .filter(|line| {
                self.covered(line).unwrap_or(true)
                    || self
                        .companion
                        .as_ref()
                        .is_some_and(|all| all.covered(line).unwrap_or(true))
            })
            .map(|line| line.id.clone())
            .collect();
        self.suppress(&ids);
    }

    /// Leaves `ids` out of every query from now on, until the process ends.
    pub fn suppress(&self, ids: &[String]) {
        if ids.is_empty() {
            return;
        }
        if let Some(all) = &self.companion {
            all.suppress(ids);
        }
        self.suppressed
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend(ids.iter().cloned());
    }

    /// How many records queries leave out because they could not be removed
    /// ([`SearchIndex::hide`]).
    pub(super) fn suppressed_count(&self) -> usize {
        self.suppressed
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len()
    }

    /// Identifies the committed state readers see now; it changes with every visible commit.
    pub fn generation(&self) -> u64 {
        // Records left out at query time change what is listed without a commit.
        let suppressed = self.suppressed_count() as u64;
        self.reader
            .searcher()
            .generation()
            .generation_id()
            .wrapping_add(suppressed << 40)
    }
}
