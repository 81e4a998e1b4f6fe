//! A record taken off every surface without deleting anything (issue 15): an archivist
//! *withdraws* it with a reason, and the archive keeps every version.
//!
//! A withdrawn record is seen by nobody — anonymous visitors, researchers, administrators and
//! archivists alike — on any page, search, count, facet, API answer, sitemap, feed or media URL
//! ([`crate::model::access::Viewer::may_see_record`]); only the archivists' workspace
//! (`crate::workspace`) reads it, from the archive, and lists it as withdrawn. Reinstating writes
//! a new version without the withdrawal. Both are versions of the record's OCFL object, so the
//! history says who withdrew it, when and why.

use serde::{Deserialize, Serialize};

/// Why, by whom and when a record was withdrawn (`record.json`'s `withdrawal`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withdrawal {
    /// Why, in the archivist's words (never empty).
    pub reason: String,
    /// The login of the archivist who withdrew it.
    pub by: String,
    /// When (RFC 3339, UTC, seconds).
    pub at: String,
}
