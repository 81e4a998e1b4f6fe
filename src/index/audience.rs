//! Who an index is built for. An index holds the records its audience may see and nothing else,
//! so every statistic it computes (BM25 document frequencies, close spellings, suggestions,
//! related records, counts) comes from those records alone: what the audience cannot see cannot
//! change what it is shown.
//!
//! Only the anonymous public exists today. Accounts come later: a researchers' audience will get
//! an index of its own beside the public one (never a filter over a shared index, whose
//! statistics would count what the public cannot see). An audience answers through the
//! [`Viewer`] it stands for, so its index decides exactly as every route does
//! ([`crate::model::access`]).
//!
//! A record whose description the audience may see but whose files it may not (`files_access`)
//! is indexed without them: no file names, sizes, technical metadata, EXIF or text read from the
//! files ([`Audience::admits_files`]).

use crate::model::access::Viewer;
use crate::model::{Access, Record};

/// An audience with an index of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    /// Anonymous visitors: public records only.
    Public,
}

impl Audience {
    /// The viewer this audience stands for: the least privileged viewer of the audience, so an
    /// index built for it holds nothing one of its members may not see.
    pub fn viewer(self) -> Viewer {
        match self {
            Audience::Public => Viewer::Anonymous,
        }
    }

    /// Whether this audience may see a record (or files) under `access`.
    pub fn admits(self, access: &Access) -> bool {
        self.viewer().may_see(access)
    }

    /// Whether this audience may see `record`'s files (and what is read from them): it may see
    /// the record and the record's files rule.
    pub fn admits_files(self, record: &Record) -> bool {
        self.viewer().may_see_files(record)
    }

    /// The folder of this audience's search index under `index/`.
    pub fn dir_name(self) -> &'static str {
        match self {
            Audience::Public => "search",
        }
    }
}
