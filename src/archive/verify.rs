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
                for (digest, paths) in inventory.manifest {
                    for path in paths {
                        checks.push((dir.join(path), digest.clone()));
                    }
                }
            }
            Err(error) => report.findings.push(Finding::BadInventory {
                path: dir,
                reason: error.to_string(),
            }),
        }
    }
    let results: Vec<(u64, Option<Finding>)> = checks
        .into_par_iter()
        .map(|(path, expected)| match hash_file(&path) {
            Ok((digest, size)) if digest.to_hex() == expected => (size, None),
            Ok((digest, size)) => (
                size,
                Some(Finding::Altered {
                    path,
                    expected,
                    found: digest.to_hex(),
                }),
            ),
            Err(_) => (0, Some(Finding::Missing { path })),
        })
        .collect();
    report.files = results.len();
    for (size, finding) in results {
        report.bytes += size;
        report.findings.extend(finding);
    }
    report
        .findings
        .sort_by(|a, b| finding_path(a).cmp(finding_path(b)));
    report
}

fn finding_path(finding: &Finding) -> &PathBuf {
    match finding {
        Finding::Missing { path } | Finding::Altered { path, .. } => path,
        Finding::BadInventory { path, .. } => path,
    }
}
