//! The ledger of a run: nothing handed over is lost silently.
//!
//! Every file the batch holds must end the run with exactly one [`FileFate`] in the report:
//! stored (part of a record), deduplicated (naming the record that holds its bytes), metadata,
//! ignored (hidden and system files, with the reason) or refused (with the reason). This module
//! gives the files the listing already decided about their fate, and checks at the end of a run
//! that every file was accounted for exactly once. A file the run forgot is a fault in Disan: it
//! is reported as an error (so the exit status is 1), never passed over.

use super::batch::Listing;
use super::report::{FileFate, Problem, Report};

use super::batch::READ_METADATA as READ;

/// Accounts for what the listing decided: ignored and refused files, and metadata files.
/// Also says when the batch holds nothing to ingest (no files, and no villages or crafts).
pub(super) fn open(listing: &Listing, report: &mut Report) {
    for (path, reason) in &listing.ignored {
        report.account(
            path.clone(),
            FileFate::Ignored {
                reason: (*reason).to_string(),
            },
        );
    }
    for (path, reason) in &listing.refused {
        report.account(
            path.clone(),
            FileFate::Refused {
                reason: reason.clone(),
            },
        );
    }
    let sheets = listing.the_metadata_sheet().err().unwrap_or_default();
    let unread = listing.unread_sheets();
    for path in listing.metadata.keys() {
        let fate = if sheets.contains(&path.as_str()) {
            FileFate::Refused {
                reason: super::plan::SHEET_REFUSED.to_string(),
            }
        } else if unread.contains(&path.as_str()) {
            FileFate::Refused {
                reason: super::plan::unread_sheet(path),
            }
        } else if READ.contains(&path.as_str()) {
            FileFate::Metadata
        } else {
            let reason = "metadata/ holds the batch's description (metadata.csv, villages.csv, crafts.csv, artisans.csv, honours.csv, products.csv), not material; move it into objects/ to ingest it";
            report.problems.push(Problem::warning(path, reason));
            FileFate::Ignored {
                reason: reason.to_string(),
            }
        };
        report.account(path.clone(), fate);
    }
    let authorities = READ[2..]
        .iter()
        .any(|name| listing.metadata.contains_key(*name));
    if listing.files.is_empty() && listing.refused.is_empty() && !authorities {
        let ignored = if listing.ignored.is_empty() {
            String::new()
        } else {
            format!(
                " ({} hidden or system file{} ignored)",
                listing.ignored.len(),
                if listing.ignored.len() == 1 { "" } else { "s" }
            )
        };
        report.problems.push(Problem::error(
            ".",
            format!("the batch holds no files to ingest{ignored}; is it the right folder?"),
        ));
    }
}

/// Checks that every file of the listing has exactly one fate, and that no fate names a file
/// the batch does not hold; each breach is an error in the report.
pub(super) fn close(listing: &Listing, report: &mut Report) {
    let mut faults = Vec::new();
    for path in listing.every_entry() {
        if !report.files.contains_key(path) {
            faults.push(Problem::error(
                path,
                "not accounted for: Disan lost track of this file (a fault in Disan; please report it); it was not ingested",
            ));
            report.files.insert(
                path.to_string(),
                FileFate::Refused {
                    reason: "not accounted for".to_string(),
                },
            );
        }
    }
    let listed: std::collections::BTreeSet<&str> = listing.every_entry().collect();
    for path in report.files.keys() {
        if !listed.contains(path.as_str()) {
            faults.push(Problem::error(
                path,
                "accounted for, but the batch holds no such file (a fault in Disan; please report it)",
            ));
        }
    }
    for path in std::mem::take(&mut report.accounted_twice) {
        faults.push(Problem::error(
            &path,
            "accounted for twice (a fault in Disan; please report it)",
        ));
    }
    report.problems.extend(faults);
    report.rejected = report
        .files
        .iter()
        .filter(|(_, fate)| matches!(fate, FileFate::Refused { .. }))
        .map(|(path, _)| path.clone())
        .collect();
    for outcomes in [&mut report.records, &mut report.authorities] {
        outcomes.added.sort();
        outcomes.updated.sort();
        outcomes.unchanged.sort();
    }
}
