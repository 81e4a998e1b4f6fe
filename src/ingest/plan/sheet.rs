//! The batch's metadata sheet as planning reads it: exactly one `metadata.csv`, or the whole
//! batch refused (a sheet Disan does not read, several sheets, one that cannot be used), since a
//! row nobody read could have restricted a file that would otherwise be published.

use crate::ingest::batch::{self, Listing};
use crate::ingest::metadata::{self, BrokenRow, Description};
use crate::ingest::read_text;
use crate::ingest::report::{FileFate, Problem, Report};
use crate::model::Message;
use crate::msg;

/// The batch's `metadata.csv`, read.
pub(super) struct Sheet {
    /// Its batch-relative path (`metadata/metadata.csv` when there is none).
    pub(super) file: String,
    /// Its rows.
    pub(super) rows: Vec<Description>,
    /// Its rows that could not be read with certainty.
    pub(super) broken: Vec<BrokenRow>,
}

/// The rows of the batch's `metadata.csv`; `None` when it exists but cannot be used, in which case
/// nothing may be ingested.
pub(super) fn read_rows(listing: &Listing, report: &mut Report) -> Option<Sheet> {
    let unread = listing.unread_sheets();
    for path in &unread {
        report
            .problems
            .push(Problem::error(*path, unread_sheet_message(path)));
    }
    if !unread.is_empty() && listing.the_metadata_sheet().is_ok() {
        let named: Vec<String> = unread.iter().map(|s| format!("'{s}'")).collect();
        for path in listing.files.keys() {
            let reason = if unread.contains(&path.as_str()) {
                unread_sheet(path)
            } else {
                format!(
                    "not ingested: the batch holds {}, a sheet Disan does not read (see the error there)",
                    named.join(", ")
                )
            };
            report.account(path.clone(), FileFate::Refused { reason });
        }
        return None;
    }
    let file = match listing.the_metadata_sheet() {
        Ok(Some(file)) => file,
        Ok(None) => {
            return Some(Sheet {
                file: batch::METADATA_SHEETS[0].to_string(),
                rows: Vec::new(),
                broken: Vec::new(),
            });
        }
        Err(sheets) => {
            let named: Vec<String> = sheets.iter().map(|s| format!("'{s}'")).collect();
            let why = if sheets.len() > 1 {
                msg!(
                    "ingest-batch-holds-sheets",
                    "the batch holds {count} metadata sheets ({names})",
                    count = sheets.len(),
                    names = named.join(", ")
                )
            } else {
                msg!(
                    "ingest-batch-holds-sheet",
                    "the batch holds the metadata sheet {names}",
                    names = named.join(", ")
                )
            };
            let message = msg!(
                "ingest-one-sheet-only",
                "nothing in the batch was ingested: {why}, but Disan reads exactly one, metadata/metadata.csv (or metadata.csv at the batch root), saved as CSV UTF-8; keep one sheet there with that name, so that no row in another is passed over",
                why = why
            );
            for sheet in &sheets {
                report
                    .problems
                    .push(Problem::error(*sheet, message.clone()));
            }
            for path in listing.files.keys() {
                let reason = if sheets.contains(&path.as_str()) {
                    SHEET_REFUSED.to_string()
                } else {
                    format!("not ingested: {why} (see the error there)")
                };
                report.account(path.clone(), FileFate::Refused { reason });
            }
            return None;
        }
    };
    match read_text(listing, file) {
        Some(Ok(text)) => {
            let parsed = metadata::parse_csv(file, &text);
            let fatal = parsed.unusable;
            report.problems.extend(parsed.problems);
            if fatal {
                refuse_everything(listing, file, report);
                return None;
            }
            Some(Sheet {
                file: file.to_string(),
                rows: parsed.rows,
                broken: parsed.broken,
            })
        }
        Some(Err(problem)) => {
            report.problems.push(problem);
            refuse_everything(listing, file, report);
            None
        }
        None => Some(Sheet {
            file: file.to_string(),
            rows: Vec::new(),
            broken: Vec::new(),
        }),
    }
}

/// Why a sheet-like file Disan does not read (see [`Listing::unread_sheets`]) refuses the batch:
/// rows in it could restrict files that would otherwise be published.
pub(in crate::ingest) fn unread_sheet(path: &str) -> String {
    unread_sheet_message(path).english
}

/// [`unread_sheet`] as words either language can say.
fn unread_sheet_message(path: &str) -> Message {
    msg!(
        "ingest-unread-sheet",
        "{path} is not read: Disan reads metadata/metadata.csv; rename it, or move it into objects/ to archive it as a file; nothing in the batch was ingested, since rows in it may say who may see the files",
        path = path
    )
}

/// The fate of a metadata sheet Disan does not read.
pub(in crate::ingest) const SHEET_REFUSED: &str = "not read: a metadata sheet other than metadata/metadata.csv (or metadata.csv at the batch root); the whole batch was refused";

/// Without readable metadata, no file can be ingested safely: a row might have restricted it.
fn refuse_everything(listing: &Listing, metadata_file: &str, report: &mut Report) {
    let message = msg!(
        "ingest-sheet-unusable",
        "nothing in the batch was ingested because {file} cannot be used (see the error there); fix it and ingest again",
        file = metadata_file
    );
    let reason = message.english.clone();
    report.problems.push(Problem::error(metadata_file, message));
    for path in listing.files.keys() {
        report.account(
            path.clone(),
            FileFate::Refused {
                reason: reason.clone(),
            },
        );
    }
}
