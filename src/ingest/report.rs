//! What an ingest run tells the archivist: every problem located by file, row and column, and
//! what went into the archive.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

pub use crate::model::message::{Arg, Message};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something was rejected; the exit status is 1.
    Error,
    /// Something looks wrong but was taken.
    Warning,
}

/// One thing the archivist should know about, located as precisely as the input allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// The batch-relative file the problem is in or about.
    pub file: String,
    /// The spreadsheet row (1 is the header row), when a CSV row is concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    /// The column (CSV) or front-matter key concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The record concerned, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// What is wrong, in plain words, in English (the command line and its `--json` report).
    pub message: String,
    /// The same words as a Fluent message of `templates/locales/{vi,en}/disan.ftl`, for pages
    /// in either language; `None` for a message not yet given one (shown in English). Boxed, so
    /// that a `Result` whose error is a problem stays small.
    #[serde(skip)]
    pub words: Option<Box<Words>>,
}

/// A problem's message as Fluent says it: its id and arguments (see [`Message`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Words {
    /// The Fluent id (`ingest-date-not-edtf`).
    pub id: &'static str,
    /// The arguments the message takes, by name.
    pub args: Vec<(&'static str, Arg)>,
}

impl Words {
    /// The id and arguments of `message`, when it has an id.
    pub(crate) fn of(message: Message) -> Option<Box<Words>> {
        message.id.map(|id| {
            Box::new(Words {
                id,
                args: message.args,
            })
        })
    }
}

impl Problem {
    /// An error about `file`: `message` is English text or a [`Message`] (built with
    /// [`crate::msg!`]) that also says it in Vietnamese.
    pub fn error(file: impl Into<String>, message: impl Into<Message>) -> Self {
        let Message { english, id, args } = message.into();
        Problem {
            severity: Severity::Error,
            file: file.into(),
            row: None,
            column: None,
            record: None,
            message: english,
            words: id.map(|id| Box::new(Words { id, args })),
        }
    }

    /// A warning about `file`.
    pub fn warning(file: impl Into<String>, message: impl Into<Message>) -> Self {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(file, message)
        }
    }

    /// Locates the problem at a row.
    pub fn at_row(mut self, row: Option<usize>) -> Self {
        self.row = row;
        self
    }

    /// Locates the problem at a column.
    pub fn in_column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }

    /// What is wrong, as words either language can say.
    pub fn said(&self) -> Message {
        Message {
            english: self.message.clone(),
            id: self.words.as_ref().map(|words| words.id),
            args: self
                .words
                .as_ref()
                .map(|words| words.args.clone())
                .unwrap_or_default(),
        }
    }

    /// Names the record concerned.
    pub fn for_record(mut self, record: impl Into<String>) -> Self {
        self.record = Some(record.into());
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}", printable(&self.file))?;
        if let Some(row) = self.row {
            write!(f, ", row {row}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column {}", printable(column))?;
        }
        write!(f, ": {}", printable(&self.message))
    }
}

pub use crate::model::text::{is_format_char, printable};

/// Ids grouped by what happened to them.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Outcomes {
    /// New objects.
    pub added: Vec<String>,
    /// Objects that got a new version.
    pub updated: Vec<String>,
    /// Objects whose stored state was already identical.
    pub unchanged: Vec<String>,
}

/// What became of one file of the batch. Every file the batch holds ends in exactly one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "lowercase")]
pub enum FileFate {
    /// Part of a record that went in (added, updated or already unchanged in the archive).
    Stored {
        /// The record.
        record: String,
    },
    /// Not stored again: undescribed, and the archive (or this batch) already holds its bytes.
    Deduplicated {
        /// The record that holds the content.
        record: String,
    },
    /// Read as the batch's description (`metadata.csv`, `villages.csv`, `crafts.csv`).
    Metadata,
    /// Skipped as a hidden or system file, or a file in a hidden or system folder.
    Ignored {
        /// Why (`hidden folder`, `Office lock file (~$*)`, …).
        reason: String,
    },
    /// Not ingested; the problems say what to do.
    Refused {
        /// Why, in one line.
        reason: String,
    },
}

/// The result of one `disan ingest`.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    /// The batch folder's name.
    pub batch: String,
    /// Whether nothing was written.
    pub dry_run: bool,
    /// Records, by outcome.
    pub records: Outcomes,
    /// The batch-relative path of every file refused (those whose outcome in `files` is
    /// `refused`), sorted: what the archivist must fix and hand over again. A refused record is
    /// known by its files, since a row that could not be read has no record id.
    pub rejected: Vec<String>,
    /// Village and craft authority records, by outcome.
    pub authorities: Outcomes,
    /// Files copied into the archive.
    pub files_stored: usize,
    /// Bytes copied into the archive.
    pub bytes_stored: u64,
    /// Files not stored because the archive already holds their content.
    pub files_deduplicated: usize,
    /// Every error and warning, errors first.
    pub problems: Vec<Problem>,
    /// What became of each file of the batch, by batch-relative path (NFC; as written for
    /// ignored and refused files whose name is not a usable one).
    pub files: BTreeMap<String, FileFate>,
    /// Paths given a fate twice: a fault the end-of-run check reports.
    #[serde(skip)]
    pub(crate) accounted_twice: Vec<String>,
    /// Whether the batch was refused as a whole (its metadata sheet cannot be used, it holds a
    /// sheet Disan does not read, or, without a sheet, it would replace richer descriptions):
    /// its errors say nothing in the batch was ingested, so its authority files are not
    /// archived either.
    #[serde(skip)]
    pub(crate) refused_whole: bool,
}

impl Report {
    /// The report as `--json` prints it, each problem that has a translation with its words
    /// under `said` (see [`Message::to_json`]): the shape a batch keeps, so the workspace shows
    /// its problems in the page's language.
    pub fn to_json_with_words(&self) -> serde_json::Value {
        let mut value = serde_json::to_value(self).expect("a report serialises");
        if let Some(problems) = value["problems"].as_array_mut() {
            for (json, problem) in problems.iter_mut().zip(&self.problems) {
                if problem.words.is_some() {
                    json["said"] = problem.said().to_json();
                }
            }
        }
        value
    }

    /// Whether any error was reported (exit status 1).
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }

    /// Records the fate of the batch file `path`; a file already accounted for keeps its first
    /// fate and is remembered for the end-of-run check.
    pub fn account(&mut self, path: impl Into<String>, fate: FileFate) {
        let path = path.into();
        match self.files.entry(path) {
            std::collections::btree_map::Entry::Occupied(entry) => {
                self.accounted_twice.push(entry.key().clone());
            }
            std::collections::btree_map::Entry::Vacant(entry) => {
                entry.insert(fate);
            }
        }
    }

    /// How many files ended with a fate like `which` (compared by variant only).
    pub fn count_files(&self, which: fn(&FileFate) -> bool) -> usize {
        self.files.values().filter(|fate| which(fate)).count()
    }

    /// The authority objects (villages, crafts, artisans, products) the run added and updated,
    /// by OCFL object id, and how many it left unchanged, as one line for the terminal
    /// (`authorities: 2 added (urn:disan:artisan:a, urn:disan:product:b), 0 updated, 3
    /// unchanged`); `None` when the batch had no authority files.
    pub fn authorities_line(&self) -> Option<String> {
        let outcomes = &self.authorities;
        if outcomes.added.is_empty() && outcomes.updated.is_empty() && outcomes.unchanged.is_empty()
        {
            return None;
        }
        let listed = |ids: &[String]| {
            if ids.is_empty() {
                String::new()
            } else {
                format!(" ({})", printable(&ids.join(", ")))
            }
        };
        Some(format!(
            "authorities{}: {} added{}, {} updated{}, {} unchanged",
            if self.dry_run { " (dry run)" } else { "" },
            outcomes.added.len(),
            listed(&outcomes.added),
            outcomes.updated.len(),
            listed(&outcomes.updated),
            outcomes.unchanged.len()
        ))
    }

    /// A one-paragraph summary for the terminal.
    pub fn summary(&self) -> String {
        let errors = self
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count();
        let warnings = self.problems.len() - errors;
        format!(
            "{}{}: {} records added, {} updated, {} unchanged; {} files stored ({}), {} deduplicated, {} ignored, {} refused; {} errors, {} warnings",
            printable(&self.batch),
            if self.dry_run {
                " (dry run, nothing written)"
            } else {
                ""
            },
            self.records.added.len(),
            self.records.updated.len(),
            self.records.unchanged.len(),
            self.files_stored,
            human_bytes(self.bytes_stored),
            self.files_deduplicated,
            self.count_files(|fate| matches!(fate, FileFate::Ignored { .. })),
            self.count_files(|fate| matches!(fate, FileFate::Refused { .. })),
            errors,
            warnings,
        )
    }
}

/// Formats a byte count for people (`1.5 MB`).
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_read_file_row_column_message() {
        let problem = Problem::error("metadata/metadata.csv", "bad")
            .at_row(Some(4))
            .in_column("access");
        assert_eq!(
            problem.to_string(),
            "error: metadata/metadata.csv, row 4, column access: bad"
        );
        assert_eq!(human_bytes(1_500_000), "1.5 MB");
        // A file name cannot forge a line of the report.
        let forged = Problem::error("a\nbatch: 999 records added\u{1b}[2K.jpg", "bad");
        assert_eq!(
            forged.to_string(),
            "error: a\\u{a}batch: 999 records added\\u{1b}[2K.jpg: bad"
        );
        assert_eq!(human_bytes(12), "12 B");
        // Nor can the batch folder's name forge the summary.
        let report = Report {
            batch: "b\nbatch: 999 records added".into(),
            ..Report::default()
        };
        assert!(
            report
                .summary()
                .starts_with("b\\u{a}batch: 999 records added: 0 records added")
        );
        // Nor a front-matter key.
        let key = Problem::error("objects/a.md", "bad").in_column("k\nerror: forged");
        assert_eq!(
            key.to_string(),
            "error: objects/a.md, column k\\u{a}error: forged: bad"
        );
        // Nor reorder it with a direction override or hide part of it with zero-width characters.
        let reordered = Problem::error("bidi\u{202e}gpj.exe\u{200b}\u{2066}", "bad");
        assert_eq!(
            reordered.to_string(),
            "error: bidi\\u{202e}gpj.exe\\u{200b}\\u{2066}: bad"
        );
    }
}
