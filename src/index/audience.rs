//! Who an index is built for. An index holds the records its audience may see and nothing else,
//! so every statistic it computes (BM25 document frequencies, close spellings, suggestions,
//! related records, counts) comes from those records alone: what the audience cannot see cannot
//! change what it is shown.
//!
//! Only the anonymous public exists today. Accounts come later: a researchers' audience will get
//! an index of its own beside the public one (never a filter over a shared index, whose
//! statistics would count what the public cannot see).

use crate::model::Access;

/// An audience with an index of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    /// Anonymous visitors: public records only.
    Public,
}

impl Audience {
    /// Whether this audience may see a record of this access level.
    pub fn admits(self, access: Access) -> bool {
        match self {
            Audience::Public => access == Access::Public,
        }
    }

    /// The folder of this audience's search index under `index/`.
    pub fn dir_name(self) -> &'static str {
        match self {
            Audience::Public => "search",
        }
    }
}
