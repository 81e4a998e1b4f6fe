//! The stops guard: a visit whose `record:` stop names no record is refused.
//!
//! A visit's village stops are resolved against the authorities as its description is read
//! (`metadata::validate`); its record stops can only be checked once every record of the batch
//! is planned, since a stop may name a record described further down the sheet. Until issue 15
//! a record stop was checked as an id only and a visit to `record:doesnotexist` was published:
//! a tour with a stop the archivist meant and nobody can find. Now a record stop must name a
//! record the archive holds or the batch makes (any access: whether a viewer may see it is the
//! page's decision, which leaves out, without a trace, a stop the viewer may not see), and a
//! visit with an unknown stop is refused whole, with an error naming its file, row and the
//! `stop` column, and the archive keeps what it held. Refusing rather than publishing the visit
//! without the stop: the stops are an order the archivist wrote, and a tour silently one stop
//! short is a different tour.
//!
//! A record this batch plans that a later step refuses (a corrupt file found while it is
//! analysed) still counts as made here; the visit's page leaves such a stop out, as it leaves
//! out every stop it cannot show.

use std::collections::BTreeSet;

use super::report::{Problem, Report};
use super::store::Ready;
use crate::archive::Catalogue;
use crate::model::RecordId;

/// Refuses every visit with a `record:` stop naming a record neither `catalogue` (the archive)
/// nor `ready` (the batch's records still planned) holds; returns the records that may go on.
/// Each unknown stop is one error at the visit's description (file, row) and column `stop`.
pub(super) fn keep_stops_known(
    ready: Vec<Ready>,
    catalogue: &Catalogue,
    report: &mut Report,
) -> Vec<Ready> {
    let planned: BTreeSet<RecordId> = ready.iter().map(|item| item.plan.id.clone()).collect();
    let mut kept = Vec::with_capacity(ready.len());
    for item in ready {
        let plan = &item.plan;
        let unknown: Vec<&RecordId> = plan
            .validated
            .stops
            .iter()
            .filter_map(crate::model::Stop::record)
            .filter(|id| !catalogue.records.contains_key(*id) && !planned.contains(*id))
            .collect();
        if unknown.is_empty() {
            kept.push(item);
            continue;
        }
        let (file, row) = plan
            .described_in
            .clone()
            .unwrap_or_else(|| (plan.source.clone(), None));
        for id in &unknown {
            report.problems.push(
                Problem::error(
                    &file,
                    format!(
                        "unknown record 'record:{id}': it is neither in the archive nor in this batch, so the visit '{}' is not ingested; correct the stop's record id, or ingest that record first",
                        plan.id
                    ),
                )
                .at_row(row)
                .in_column("stop")
                .for_record(plan.id.as_str()),
            );
        }
        let reason = format!(
            "the visit names an unknown record as a stop (record:{})",
            unknown[0]
        );
        plan.refuse_files(&reason, report);
    }
    kept
}
