//! Viewers' scopes kept between requests (issue 13, item 4): what a scope admits and the bitsets
//! of the documents it admits cost a walk of the `rule` postings of every segment, which a
//! signed-in request paid at each search, suggestion, related list and statistic.
//!
//! One cache per everyone index ([`SearchIndex`]), for one searcher generation at a time: a
//! scope is made once per viewer kind (role and sorted communities: the [`Viewer`] itself) and
//! generation, and its bitsets once, when first asked for that same generation. When the index
//! loads a new commit, the next scope asked for empties the cache. Viewers whose scopes admit
//! the same rules share one [`Scope`] (and its bitsets).
//!
//! Memory is bounded: at most [`SCOPES`] viewers per generation (the cache is emptied when full),
//! each scope's bitsets one bit per document of the index (12.5 KB at 100,000 records), so at
//! most 256 × 12.5 KB = 3.2 MB at 100,000 records; scopes sharing rules share their bitsets.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use super::SearchError;
use super::scope::Scope;
use crate::model::access::Viewer;

/// Viewers whose scopes are kept at most; past it the cache starts again empty.
pub const SCOPES: usize = 256;

/// The scopes of one everyone index, for its current searcher generation.
#[derive(Debug, Default)]
pub(super) struct ScopeCache {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// The searcher generation the scopes were made for.
    generation: Option<u64>,
    scopes: HashMap<Viewer, Arc<Scope>>,
}

impl ScopeCache {
    /// `viewer`'s scope for searcher generation `generation`: the one kept, else one made from
    /// the rules `admitted` returns (sorted), kept unless the generation changed meanwhile.
    ///
    /// # Errors
    /// Whatever `admitted` returns.
    pub(super) fn scope(
        &self,
        generation: u64,
        viewer: &Viewer,
        admitted: impl FnOnce() -> Result<Vec<String>, SearchError>,
    ) -> Result<Arc<Scope>, SearchError> {
        {
            let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            if state.generation != Some(generation) {
                state.scopes.clear();
                state.generation = Some(generation);
            }
            if let Some(scope) = state.scopes.get(viewer) {
                return Ok(scope.clone());
            }
        }
        // Made outside the lock: other viewers are not kept waiting for it.
        let admitted = admitted()?;
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if state.generation != Some(generation) {
            // The index moved on meanwhile: this scope serves its request only.
            return Ok(Arc::new(Scope::new(admitted, generation)));
        }
        let scope = state
            .scopes
            .values()
            .find(|scope| scope.admitted() == admitted.as_slice())
            .cloned()
            .unwrap_or_else(|| Arc::new(Scope::new(admitted, generation)));
        if state.scopes.len() >= SCOPES {
            state.scopes.clear();
        }
        state.scopes.insert(viewer.clone(), scope.clone());
        Ok(scope)
    }

    /// How many viewers' scopes are kept, and for which generation.
    #[cfg(test)]
    pub(super) fn kept(&self) -> (Option<u64>, usize) {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        (state.generation, state.scopes.len())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::super::browse::tests::{pair, record};
    use crate::model::Role;
    use crate::model::access::Viewer;

    fn researcher(groups: &[&str]) -> Viewer {
        Viewer::Account {
            role: Role::Researcher,
            groups: groups
                .iter()
                .map(|g| crate::model::GroupId::parse(g).unwrap())
                .collect::<BTreeSet<_>>(),
        }
    }

    #[test]
    fn scopes_and_their_bitsets_are_made_once_per_viewer_and_generation() {
        let records = [
            record("a", "Lụa", "public"),
            record("b", "Lụa", "researchers"),
            record("c", "Lụa", "community:g"),
        ];
        let (_dir, index) = pair(&records);
        let all = index.companion.as_deref().unwrap();
        let scoped = |viewer: &Viewer| index.for_viewer(viewer).unwrap().unwrap();
        let first = scoped(&researcher(&[]));
        let again = scoped(&researcher(&[]));
        let (a, b) = (first.scope.clone().unwrap(), again.scope.clone().unwrap());
        assert!(std::sync::Arc::ptr_eq(&a, &b), "one scope per viewer");
        // A member of a community no record names sees the same rules: the same scope.
        let other = scoped(&researcher(&["h"])).scope.clone().unwrap();
        assert!(std::sync::Arc::ptr_eq(&a, &other));
        let member = scoped(&researcher(&["g"])).scope.clone().unwrap();
        assert!(!std::sync::Arc::ptr_eq(&a, &member));
        assert_eq!(member.key(), "any:g|public|researchers");
        let searcher = all.reader.searcher();
        let bits = first.visible_docs(&searcher).unwrap();
        assert!(std::sync::Arc::ptr_eq(
            &bits,
            &again.visible_docs(&searcher).unwrap()
        ));
        assert_eq!(bits.iter().map(|b| b.len()).sum::<usize>(), 2);
        assert_eq!(all.scopes.kept().1, 3);
        // A new commit is a new generation: the cache starts again and counts it anew.
        let generation = all.scopes.kept().0;
        {
            let mut indexer = index.indexer().unwrap();
            indexer
                .put(
                    &record("d", "Lụa", "researchers"),
                    "v1|-|-",
                    &super::super::tests::NoNames,
                    "",
                )
                .unwrap();
            indexer.commit().unwrap();
        }
        index.reload().unwrap();
        let fresh = scoped(&researcher(&[]));
        assert_ne!(all.scopes.kept().0, generation);
        assert_eq!(all.scopes.kept().1, 1);
        let searcher = all.reader.searcher();
        let bits = fresh.visible_docs(&searcher).unwrap();
        assert_eq!(bits.iter().map(|b| b.len()).sum::<usize>(), 3);
        assert_eq!(
            fresh
                .search(&super::super::SearchQuery {
                    text: "lụa".into(),
                    page: 1,
                    ..Default::default()
                })
                .unwrap()
                .total,
            3
        );
    }
}
