//! What changed between two versions of a record or an authority, field by field, for people:
//! the history page and the conflict page show these.
//!
//! Metadata is compared as the edit form holds it ([`super::Object::compared`]: the column names
//! of the batch's files), so a change reads as the archivist would have typed it; files are
//! compared by logical path and SHA-256 digest. Pure functions over two descriptions (and, for
//! files, two version states).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::form::Fields;
use super::object::Object;

/// The pseudo-field a withdrawal shows under (its reason).
pub const WITHDRAWN: &str = "withdrawn";

/// The pseudo-field the versions withheld from the public show under (`v1: reason`, one value
/// each). A change to it is a metadata modification in the record's PREMIS events.
pub const WITHHELD: &str = "withheld_versions";

/// One difference between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum Change {
    /// A field that had no value now has some.
    FieldAdded {
        /// The column name (`dc.title@en`).
        field: String,
        /// Its values now.
        after: Vec<String>,
    },
    /// A field that had values has none.
    FieldRemoved {
        /// The column name.
        field: String,
        /// Its values before.
        before: Vec<String>,
    },
    /// A field's values changed.
    FieldChanged {
        /// The column name.
        field: String,
        /// Its values before.
        before: Vec<String>,
        /// Its values now.
        after: Vec<String>,
    },
    /// A file was added.
    FileAdded {
        /// Its logical path (`files/loom.jpg`).
        path: String,
        /// Its SHA-256 (hex).
        sha256: String,
    },
    /// A file was removed.
    FileRemoved {
        /// Its logical path.
        path: String,
        /// Its SHA-256 (hex).
        sha256: String,
    },
    /// A file's content changed (same path, another digest).
    FileChanged {
        /// Its logical path.
        path: String,
        /// SHA-256 before (hex).
        before: String,
        /// SHA-256 now (hex).
        after: String,
    },
}

/// The metadata changes from `before` to `after` (two records, or two versions of one
/// authority), in the form's field order.
pub fn metadata_changes<T: Object>(before: &T, after: &T) -> Vec<Change> {
    field_changes(&before.compared(), &after.compared())
}

/// The changes from fields `old` to fields `new`, in the form's field order.
pub fn field_changes(old: &Fields, new: &Fields) -> Vec<Change> {
    let mut names: Vec<String> = new.names();
    for name in old.names() {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    for name in old.0.keys().chain(new.0.keys()) {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    let mut changes = Vec::new();
    for field in names {
        let (was, now) = (old.get(&field), new.get(&field));
        if was == now {
            continue;
        }
        changes.push(match (was.is_empty(), now.is_empty()) {
            (true, _) => Change::FieldAdded {
                field,
                after: now.to_vec(),
            },
            (_, true) => Change::FieldRemoved {
                field,
                before: was.to_vec(),
            },
            _ => Change::FieldChanged {
                field,
                before: was.to_vec(),
                after: now.to_vec(),
            },
        });
    }
    changes
}

/// The file changes between two version states (logical path → SHA-256 hex), files under
/// `files/` only (`record.json` is the metadata, compared by [`metadata_changes`]).
pub fn file_changes(
    before: &BTreeMap<String, String>,
    after: &BTreeMap<String, String>,
) -> Vec<Change> {
    let is_file = |path: &&String| path.starts_with(&format!("{}/", crate::archive::FILES_DIR));
    let paths: BTreeSet<&String> = before.keys().chain(after.keys()).filter(is_file).collect();
    paths
        .into_iter()
        .filter_map(|path| match (before.get(path), after.get(path)) {
            (None, Some(sha256)) => Some(Change::FileAdded {
                path: path.clone(),
                sha256: sha256.clone(),
            }),
            (Some(sha256), None) => Some(Change::FileRemoved {
                path: path.clone(),
                sha256: sha256.clone(),
            }),
            (Some(old), Some(new)) if old != new => Some(Change::FileChanged {
                path: path.clone(),
                before: old.clone(),
                after: new.clone(),
            }),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Lang, LangValue, Record, Withdrawal};

    fn record() -> Record {
        super::super::form::tests::sample()
    }

    #[test]
    fn a_fixed_title_an_added_translation_and_a_removed_subject_read_field_by_field() {
        let before = record();
        let mut after = record();
        after.dc.get_mut("title").unwrap()[0].value = "Trống Đọi Tam (sửa)".into();
        after.dc.insert(
            "description".into(),
            vec![LangValue {
                value: "A drum".into(),
                lang: Lang::En,
            }],
        );
        after.dc.remove("subject");
        let changes = metadata_changes(&before, &after);
        assert_eq!(
            changes,
            vec![
                Change::FieldChanged {
                    field: "dc.title".into(),
                    before: vec!["Trống Đọi Tam".into()],
                    after: vec!["Trống Đọi Tam (sửa)".into()],
                },
                Change::FieldAdded {
                    field: "dc.description@en".into(),
                    after: vec!["A drum".into()],
                },
                Change::FieldRemoved {
                    field: "dc.subject".into(),
                    before: vec!["trống".into(), "nghề thủ công".into()],
                },
            ]
        );
        assert!(metadata_changes(&before, &before).is_empty());
    }

    #[test]
    fn access_and_withdrawal_are_changes_too() {
        let before = record();
        let mut after = record();
        after.access = crate::model::Access::Restricted;
        after.withdrawal = Some(Withdrawal {
            reason: "consent withdrawn".into(),
            by: "thu".into(),
            at: "2026-12-01T10:00:00Z".into(),
        });
        let changes = metadata_changes(&before, &after);
        assert!(changes.contains(&Change::FieldChanged {
            field: "access".into(),
            before: vec!["public".into()],
            after: vec!["restricted".into()],
        }));
        assert!(changes.contains(&Change::FieldAdded {
            field: WITHDRAWN.into(),
            after: vec!["consent withdrawn".into()],
        }));
    }

    #[test]
    fn files_are_compared_by_path_and_digest() {
        let state = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(p, d)| (p.to_string(), d.to_string()))
                .collect()
        };
        let before = state(&[
            ("record.json", "r1"),
            ("files/a.jpg", "aa"),
            ("files/b.jpg", "bb"),
        ]);
        let after = state(&[
            ("record.json", "r2"),
            ("files/a.jpg", "a2"),
            ("files/c.jpg", "cc"),
        ]);
        assert_eq!(
            file_changes(&before, &after),
            vec![
                Change::FileChanged {
                    path: "files/a.jpg".into(),
                    before: "aa".into(),
                    after: "a2".into(),
                },
                Change::FileRemoved {
                    path: "files/b.jpg".into(),
                    sha256: "bb".into(),
                },
                Change::FileAdded {
                    path: "files/c.jpg".into(),
                    sha256: "cc".into(),
                },
            ]
        );
    }
}
