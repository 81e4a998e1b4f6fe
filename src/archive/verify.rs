//! Fixity checking: does every file the archive's inventories promise still exist, unaltered?
//!
//! Bit rot, a failing disk, a careless copy: `disan verify` re-hashes every content file of every
//! object against its inventory and names each missing or altered file by path, so an archivist
//! can restore it from a replica.

use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

use super::ocfl::{StorageRoot, hash_file, read_inventory};
use crate::model::text::printable;

/// One problem `verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "kebab-case")]
pub enum Finding {
    /// A content file listed in an inventory does not exist.
    Missing {
        /// Its path.
        path: PathBuf,
    },
    /// A content file's SHA-256 differs from the inventory's.
    Altered {
        /// Its path.
        path: PathBuf,
        /// The digest the inventory records.
        expected: String,
        /// The digest of what is on disk.
        found: String,
    },
    /// An object's inventory cannot be read or does not match its sidecar.
    BadInventory {
        /// The object folder.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

/// A content path that is intact here but would be lost or altered by a copy to a FAT, exFAT or
/// NTFS disk, a Windows share or S3: a warning, not a problem. Only objects written before
/// portable content paths ([`super::portable`]) can hold one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unportable {
    /// The content file.
    pub path: PathBuf,
    /// Why a copy would lose or alter it.
    pub reason: String,
}

impl std::fmt::Display for Unportable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "not portable: {}: {}", shown(&self.path), self.reason)
    }
}

/// The content paths of one object that a copy to FAT, exFAT, NTFS or S3 would lose or alter:
/// each judged alone ([`super::portable::unportable`]), then any two that differ only in case.
fn unportable_paths<'a>(
    dir: &std::path::Path,
    paths: impl Iterator<Item = &'a str>,
) -> Vec<Unportable> {
    let mut found = Vec::new();
    let mut folded = std::collections::BTreeMap::new();
    for path in paths {
        if let Some(reason) = super::portable::unportable(path) {
            found.push(Unportable {
                path: dir.join(path),
                reason: reason.to_string(),
            });
        } else if let Some(first) = folded.insert(path.to_lowercase(), path) {
            found.push(Unportable {
                path: dir.join(path),
                reason: format!(
                    "differs only in case from {first}, which FAT, exFAT and NTFS hold as one file"
                ),
            });
        }
    }
    found
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Finding::Missing { path } => write!(f, "missing: {}", shown(path)),
            Finding::Altered {
                path,
                expected,
                found,
            } => write!(
                f,
                "altered: {} (SHA-256 should be {expected}, is {found})",
                shown(path)
            ),
            Finding::BadInventory { path, reason } => {
                write!(f, "bad inventory: {}: {}", shown(path), printable(reason))
            }
        }
    }
}

/// A path as one line of the terminal report: control and format characters in a file name
/// (a newline, a direction override) are written as `\u{…}`, so they cannot forge lines.
fn shown(path: &std::path::Path) -> String {
    printable(&path.to_string_lossy()).into_owned()
}

/// What a verification run checked and found.
#[derive(Debug, Default, Serialize)]
pub struct VerifyReport {
    /// Objects checked.
    pub objects: usize,
    /// Content files re-hashed.
    pub files: usize,
    /// Bytes re-hashed.
    pub bytes: u64,
    /// Every problem, sorted by path.
    pub findings: Vec<Finding>,
    /// Intact content paths a copy to FAT, exFAT, NTFS or S3 would lose or alter, sorted by path
    /// (warnings: they do not make the run fail).
    pub unportable: Vec<Unportable>,
    /// Each object whose inventory could be read, with what its check found: what the run
    /// records as PREMIS fixity-check events ([`VerifyReport::fixity_events`]).
    #[serde(skip)]
    pub checked: Vec<ObjectCheck>,
}

/// One object's fixity check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectCheck {
    /// The OCFL object id.
    pub id: String,
    /// Its head version when checked.
    pub head: String,
    /// Content files re-hashed.
    pub files: usize,
    /// Each problem found, as the report words it.
    pub problems: Vec<String>,
}

impl VerifyReport {
    /// One PREMIS fixity-check event per object checked (outcome failure with the problems
    /// when some file is missing or altered), for the storage root's log
    /// ([`super::premis::log`]).
    pub fn fixity_events(&self) -> Vec<super::premis::Event> {
        self.checked
            .iter()
            .map(|check| {
                super::premis::Event::fixity_check(
                    super::premis::ObjectVersion {
                        id: check.id.clone(),
                        version: check.head.clone(),
                    },
                    check.files,
                    check.problems.clone(),
                )
            })
            .collect()
    }
}

/// Re-hashes every content file of every object in the storage root, using every core.
pub fn verify(storage: &StorageRoot) -> VerifyReport {
    let mut report = VerifyReport::default();
    let mut checks = Vec::new();
    for dir in storage.object_dirs() {
        let dir = match dir {
            Ok(dir) => dir,
            Err(error) => {
                report.findings.push(Finding::BadInventory {
                    path: storage.path().to_path_buf(),
                    reason: error.to_string(),
                });
                continue;
            }
        };
        report.objects += 1;
        match read_inventory(&dir) {
            Ok(inventory) => {
                let mut paths: Vec<&str> = inventory
                    .manifest
                    .values()
                    .flatten()
                    .map(String::as_str)
                    .collect();
                paths.sort_unstable();
                report
                    .unportable
                    .extend(unportable_paths(&dir, paths.into_iter()));
                let object = report.checked.len();
                let mut files = 0;
                for (digest, paths) in &inventory.manifest {
                    for path in paths {
                        checks.push((object, dir.join(path), digest.clone()));
                        files += 1;
                    }
                }
                report.checked.push(ObjectCheck {
                    id: inventory.id.clone(),
                    head: inventory.head.clone(),
                    files,
                    problems: Vec::new(),
                });
            }
            Err(error) => report.findings.push(Finding::BadInventory {
                path: dir,
                reason: error.to_string(),
            }),
        }
    }
    let results: Vec<(usize, u64, Option<Finding>)> = checks
        .into_par_iter()
        .map(|(object, path, expected)| match hash_file(&path) {
            Ok((digest, size)) if digest.to_hex() == expected => (object, size, None),
            Ok((digest, size)) => (
                object,
                size,
                Some(Finding::Altered {
                    path,
                    expected,
                    found: digest.to_hex(),
                }),
            ),
            Err(_) => (object, 0, Some(Finding::Missing { path })),
        })
        .collect();
    report.files = results.len();
    for (object, size, finding) in results {
        report.bytes += size;
        if let Some(finding) = finding {
            report.checked[object].problems.push(finding.to_string());
            report.findings.push(finding);
        }
    }
    report
        .findings
        .sort_by(|a, b| finding_path(a).cmp(finding_path(b)));
    report.unportable.sort_by(|a, b| a.path.cmp(&b.path));
    report
}

fn finding_path(finding: &Finding) -> &PathBuf {
    match finding {
        Finding::Missing { path } | Finding::Altered { path, .. } => path,
        Finding::BadInventory { path, .. } => path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_differing_only_in_case_are_one_file_on_windows_disks() {
        let dir = std::path::Path::new("obj");
        let found = unportable_paths(
            dir,
            ["v1/content/A.jpg", "v1/content/a.jpg", "v1/content/b.jpg"].into_iter(),
        );
        assert_eq!(
            found,
            [Unportable {
                path: dir.join("v1/content/a.jpg"),
                reason: "differs only in case from v1/content/A.jpg, which FAT, exFAT and NTFS \
                         hold as one file"
                    .to_string(),
            }]
        );
    }
}
