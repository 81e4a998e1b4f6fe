//! A record taken off every surface without deleting anything (issue 15): an archivist
//! *withdraws* it with a reason, and the archive keeps every version.
//!
//! A withdrawn record is seen by nobody — anonymous visitors, researchers, administrators and
//! archivists alike — on any page, search, count, facet, API answer, sitemap, feed or media URL
//! ([`crate::model::access::Viewer::may_see_record`]); only the archivists' workspace
//! (`crate::workspace`) reads it, from the archive, and lists it as withdrawn. Reinstating writes
//! a new version without the withdrawal. Both are versions of the record's OCFL object, so the
//! history says who withdrew it, when and why.
//!
//! A lighter cousin (issue 16's "revision deletion"): an archivist may *withhold* one earlier
//! version of a record that stays public ([`WithheldVersion`], `record.json`'s
//! `withheld_versions`), when text removed since must not stay readable at `/records/{id}/v{n}`.
//! The rule lives in the head's description, so it follows the record: every later version,
//! written by the workspace or by an ingest, carries it forward.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::Record;

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

/// An earlier version of a record withheld from everyone but archivists (`record.json`'s
/// `withheld_versions`): at `/records/{id}/v{n}`, its `/en` page and its citation files it is the
/// 404 of an unknown id. Never the head (an archivist edits or withdraws the record instead).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WithheldVersion {
    /// The OCFL version name (`v3`).
    pub version: String,
    /// Why, in the archivist's words (never empty).
    pub reason: String,
    /// The login of the archivist who withheld it.
    pub by: String,
    /// When (RFC 3339, UTC, seconds).
    pub at: String,
}

/// Every text of `record` with the field it is in: its Dublin Core values (`dc.{term}`), its
/// body (`text`) and its extra columns (by name), each trimmed. What a withheld version's text
/// is compared by ([`removed_texts`]).
pub fn texts_of(record: &Record) -> BTreeSet<(String, String)> {
    let mut texts = BTreeSet::new();
    for (term, values) in &record.dc {
        for value in values {
            texts.insert((format!("dc.{term}"), value.value.trim().to_string()));
        }
    }
    for body in record.body.values() {
        texts.insert(("text".to_string(), body.trim().to_string()));
    }
    for (column, values) in &record.extra {
        for value in values {
            texts.insert((column.clone(), value.trim().to_string()));
        }
    }
    texts
}

/// The texts that `withheld` (the records of the versions `head` withholds) held and `head` no
/// longer does: what must not come back while those versions are withheld, by ingest, an edit or
/// a restore. Empty texts are never counted.
pub fn removed_texts<'a>(
    head: &Record,
    withheld: impl IntoIterator<Item = &'a Record>,
) -> BTreeSet<String> {
    let now = texts_of(head);
    withheld
        .into_iter()
        .flat_map(|old| {
            texts_of(old)
                .difference(&now)
                .map(|(_, text)| text.clone())
                .collect::<Vec<_>>()
        })
        .filter(|text| !text.is_empty())
        .collect()
}

/// The first field of `candidate` whose text is one of `removed` ([`removed_texts`]), or `None`.
pub fn resurfacing(removed: &BTreeSet<String>, candidate: &Record) -> Option<String> {
    texts_of(candidate)
        .into_iter()
        .find(|(_, text)| removed.contains(text))
        .map(|(field, _)| field)
}

#[cfg(test)]
mod tests {
    use crate::model::Record;

    #[test]
    fn records_written_before_have_no_withheld_versions_and_serialise_as_before() {
        let json = serde_json::json!({
            "schema": 1, "id": "trong", "kind": "photo", "access": "public",
            "dc": {"title": [{"value": "Trống", "lang": "vi"}]},
            "files": [], "provenance": {"batch": "b", "path": "objects/trong.jpg"}
        });
        let mut record: Record = serde_json::from_value(json.clone()).unwrap();
        assert!(record.withheld_versions.is_empty());
        assert_eq!(serde_json::to_value(&record).unwrap(), json);
        record.withheld_versions.push(super::WithheldVersion {
            version: "v1".into(),
            reason: "bí quyết nghề".into(),
            by: "thu".into(),
            at: "2026-12-02T14:00:00Z".into(),
        });
        assert!(record.withholds("v1").is_some());
        assert!(record.withholds("v2").is_none());
        let written = serde_json::to_string(&record).unwrap();
        assert!(written.contains(r#""withheld_versions":[{"version":"v1""#));
        let read: Record = serde_json::from_str(&written).unwrap();
        assert_eq!(read, record);
    }
}
