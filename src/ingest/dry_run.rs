//! `--dry-run`: predicting exactly what a real run would report, without writing.
//!
//! A dry run goes through every step of a real run (listing, planning, hashing, checking,
//! decoding every photo and probing every film) except writing. Where a real run commits, the
//! dry run compares what it would commit with what the archive holds, so it reports records as
//! added, updated or unchanged, and counts the files and bytes that would be copied, exactly as
//! the real run will (a test runs both on the same batches and compares the reports).

use super::metadata::Authorities;
use super::plan::Plan;
use super::report::Report;
use super::store::{Stored, new_content};
use super::{FileFacts, note};
use std::collections::BTreeMap;

use crate::archive::{
    ARTISAN_URN, CRAFT_URN, Catalogue, Commit, PRODUCT_URN, VILLAGE_URN, predict_record_commit,
};
use crate::model::Record;

/// What storing `record` would do, and the files and bytes it would copy (as
/// [`super::Context`]'s real store counts them).
pub(super) fn predict_store(
    catalogue: &Catalogue,
    plan: &Plan,
    record: &Record,
    facts: &[FileFacts],
) -> Stored {
    let previous = catalogue.records.get(&plan.id);
    let files: Vec<(String, crate::model::Sha256)> = plan
        .files
        .iter()
        .zip(facts)
        .map(|(file, fact)| (file.logical.clone(), fact.sha256))
        .collect();
    let commit = predict_record_commit(previous, record, &files);
    let (files_stored, bytes_stored) = new_content(previous, facts, &commit);
    Stored {
        commit,
        files_stored,
        bytes_stored,
        file_count: plan.files.len(),
    }
}

/// Reports the villages, crafts, artisans and products a real run would add or update, and
/// those the batch describes that it would leave unchanged, as `store_authorities` does.
pub(super) fn predict_authorities(
    authorities: &Authorities,
    catalogue: &Catalogue,
    report: &mut Report,
) {
    fn predict<Id: Ord + std::fmt::Display, T: PartialEq>(
        report: &mut Report,
        urn: &str,
        (items, described): (&BTreeMap<Id, T>, &std::collections::BTreeSet<Id>),
        archived: &BTreeMap<Id, T>,
    ) {
        for (id, item) in super::touched(items, described, archived) {
            let commit = match archived.get(id) {
                Some(known) if known == item => Commit::Unchanged,
                Some(_) => Commit::Updated {
                    version: String::new(),
                },
                None => Commit::Created,
            };
            note(&mut report.authorities, format!("{urn}{id}"), &commit);
        }
    }
    predict(
        report,
        CRAFT_URN,
        (&authorities.crafts, &authorities.described.crafts),
        &catalogue.crafts,
    );
    predict(
        report,
        VILLAGE_URN,
        (&authorities.villages, &authorities.described.villages),
        &catalogue.villages,
    );
    predict(
        report,
        ARTISAN_URN,
        (&authorities.artisans, &authorities.described.artisans),
        &catalogue.artisans,
    );
    predict(
        report,
        PRODUCT_URN,
        (&authorities.products, &authorities.described.products),
        &catalogue.products,
    );
}
