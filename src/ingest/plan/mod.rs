//! Planning: which records a batch makes, and what becomes of every file no record may take.
//!
//! The rule is **deny by default**. A file goes in undescribed (and so `public`) only when no row
//! of `metadata.csv` could possibly have meant it. A file is held back, and the report names the
//! row that may describe it, when:
//!
//! - a row naming it (or a cell naming it after a line break) could not be read with certainty:
//!   its cells do not line up with the header, or a quote left open swallowed following rows;
//! - two rows claim it: the same path twice, or a folder row and a row for a file or subfolder
//!   inside it (every record involved is refused, whatever the order);
//! - its access is stated in two places that disagree (a row, a folder row, the front matter of a
//!   text or of its translation): the record is refused, naming both;
//! - the batch holds a metadata sheet Disan does not read, or two (the whole batch is refused);
//! - a row could not be matched to any file (a typo, an empty or unsafe `filename`): that row
//!   could have meant any undescribed file, so none goes in — except a Markdown text whose own
//!   front matter gives its `access`, which describes itself;
//! - it lies outside `objects/` in a batch that has one, and nothing describes it (a note about
//!   the delivery, not part of it).
//!
//! Files sharing a name but not an extension in one folder (`DSC_0412.tif` and `DSC_0412.jpg`, a
//! master and its access copy, in any case) make one record; when a row describes one of them,
//! the others join that row's record and take its description and access.
//!
//! `sheet` reads the one metadata sheet (or refuses the batch); `texts` reads Markdown texts'
//! front matter and joins them to their rows.

use std::collections::{BTreeMap, BTreeSet};

use super::batch::{self, BatchFile, Listing, OBJECTS_DIR};
use super::metadata::{self, Authorities, Column, Description, Validated};
use super::report::{FileFate, Problem, Report};
use crate::model::Message;
use crate::model::text::slug;
use crate::msg;

mod sheet;
mod texts;
use crate::model::{Access, Lang, RecordId, Sha256};
use sheet::read_rows;
pub(super) use sheet::{SHEET_REFUSED, unread_sheet};
use texts::{attach_text, describes_itself, folder_text_problem};

/// A record about to be made: its description, its files, its text.
#[derive(Debug)]
pub(super) struct Plan {
    pub(super) id: RecordId,
    /// Batch-relative path of the described file or folder.
    pub(super) source: String,
    /// Where its description is, for messages.
    pub(super) described_in: Option<(String, Option<usize>)>,
    /// Whether a row or front matter says anything about it beyond its file name.
    pub(super) described: bool,
    pub(super) validated: Validated,
    pub(super) files: Vec<PlannedFile>,
    pub(super) body: BTreeMap<Lang, String>,
    /// The archived record's `access` and `files_access`, when the archive holds the record
    /// under this id and could read it (set by `guard::keep_access`): a record whose rules stay
    /// these is not announced as hidden to other indexes (see [`crate::index::hiding`]).
    pub(super) archived_rules: Option<(Access, Option<Access>)>,
    /// The archived record's withdrawal, when it is withdrawn (set by `guard::keep_access`):
    /// a batch never reinstates a record, so its new version stays withdrawn.
    pub(super) archived_withdrawal: Option<crate::model::Withdrawal>,
    /// The archived record's withheld versions (set by `guard::keep_access`): a batch never
    /// republishes a version an archivist withheld, so its new version withholds them too.
    pub(super) archived_withheld: Vec<crate::model::WithheldVersion>,
}

/// One file of a planned record.
#[derive(Debug)]
pub(super) struct PlannedFile {
    pub(super) batch: BatchFile,
    /// Logical path inside the object (`files/…`).
    pub(super) logical: String,
}

impl Plan {
    /// An error about `file` of this record, located at its row when it has one.
    pub(super) fn problem(&self, file: &str, message: impl Into<Message>) -> Problem {
        let problem = Problem::error(file, message).for_record(self.id.as_str());
        match &self.described_in {
            Some((_, row)) if row.is_some() => problem.at_row(*row).in_column("filename"),
            _ => problem,
        }
    }

    /// Marks every file of this record refused for `reason`.
    pub(super) fn refuse_files(&self, reason: &str, report: &mut Report) {
        for file in &self.files {
            report.account(
                file.batch.relative.clone(),
                FileFate::Refused {
                    reason: reason.to_string(),
                },
            );
        }
    }
}

/// A plan before its description is validated.
struct Draft {
    source: String,
    descriptions: Vec<Description>,
    files: Vec<PlannedFile>,
    body: BTreeMap<Lang, String>,
    is_file: bool,
}

impl Draft {
    fn refuse(&self, reason: &str, report: &mut Report) {
        for file in &self.files {
            report.account(
                file.batch.relative.clone(),
                FileFate::Refused {
                    reason: reason.to_string(),
                },
            );
        }
    }
}

pub(super) fn is_markdown(path: &str) -> bool {
    let lower = path.to_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// `x.en.md` → `x.md`.
fn english_original(path: &str) -> Option<String> {
    let lower = path.to_lowercase();
    for suffix in [".en.md", ".en.markdown"] {
        if lower.ends_with(suffix) {
            let stem = &path[..path.len() - suffix.len()];
            return Some(format!("{stem}{}", &suffix[3..]));
        }
    }
    None
}

/// Files whose description is in doubt, and rows that could have meant any file.
#[derive(Default)]
struct Doubt {
    /// File → the rows that may describe it, as `row N`.
    files: BTreeMap<String, BTreeSet<usize>>,
    /// Rows that could not be matched to a file.
    unattributed: BTreeSet<usize>,
    /// Rows already reported as doubtful (not read as descriptions).
    rows: BTreeSet<usize>,
}

impl Doubt {
    /// Holds back `files`, which row `row` names but which cannot be taken from it.
    fn hold(&mut self, files: &[String], row: usize) {
        for file in files {
            self.files.entry(file.clone()).or_default().insert(row);
        }
    }
}

/// Paths quoted and listed: `'a', 'b'`.
fn quoted_list<'a>(paths: impl IntoIterator<Item = &'a String>) -> String {
    paths
        .into_iter()
        .map(|path| format!("'{path}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn rows_text(rows: &BTreeSet<usize>) -> Message {
    let rows: Vec<String> = rows.iter().map(ToString::to_string).collect();
    match rows.as_slice() {
        [one] => msg!("ingest-row-number", "row {row}", row = one),
        _ => msg!("ingest-rows-numbers", "rows {rows}", rows = rows.join(", ")),
    }
}

/// Plans one record per row, per Markdown text and per undescribed file (or group of files
/// sharing a name), and gives every file that no plan takes its fate in `report`.
pub(super) fn plan_records(
    listing: &Listing,
    authorities: &Authorities,
    report: &mut Report,
) -> Vec<Plan> {
    let Some(sheet) = read_rows(listing, report) else {
        report.refused_whole = true;
        return Vec::new();
    };
    let mut doubt = Doubt::default();
    for broken in &sheet.broken {
        let mut named = BTreeSet::new();
        if let Some(first) = broken.cells.first() {
            named.extend(existing(listing, first));
        }
        for cell in &broken.cells {
            named.extend(paths_starting_lines(listing, cell));
        }
        let row = broken.row.unwrap_or(0);
        doubt.rows.insert(row);
        if named.is_empty() {
            doubt.unattributed.insert(row);
        }
        for path in named {
            doubt.files.entry(path).or_default().insert(row);
        }
    }
    // A cell that swallowed line breaks followed by batch paths: a quote was left open and
    // following rows became part of this one.
    for row in &sheet.rows {
        let number = row.row.unwrap_or(0);
        for cell in &row.cells {
            if cell.column == Column::Filename || !cell.value.contains(['\n', '\r']) {
                continue;
            }
            let named = paths_starting_lines(listing, &cell.value);
            if named.is_empty() {
                continue;
            }
            report.problems.push(
                Problem::error(
                    &row.file,
                    if named.len() == 1 {
                        msg!(
                            "ingest-cell-swallowed-path",
                            "this cell holds line breaks followed by the batch path {paths}: a quote was probably left open and swallowed the rows that described it; nothing this row may describe is ingested until it is fixed",
                            paths = quoted_list(&named)
                        )
                    } else {
                        msg!(
                            "ingest-cell-swallowed-paths",
                            "this cell holds line breaks followed by the batch paths {paths}: a quote was probably left open and swallowed the rows that described them; nothing this row may describe is ingested until it is fixed",
                            paths = quoted_list(&named)
                        )
                    },
                )
                .at_row(row.row)
                .in_column(cell.header.clone()),
            );
            doubt.rows.insert(number);
            let own = row
                .filename()
                .and_then(|written| batch::clean_relative_path(written).ok())
                .map(|target| existing(listing, &target))
                .unwrap_or_default();
            for path in named.into_iter().chain(own) {
                doubt.files.entry(path).or_default().insert(number);
            }
            break;
        }
    }
    // Two rows claiming one file (the same path twice, or a folder row and a row for a file or
    // subfolder inside it): neither record can be trusted over the other, whatever the order.
    let mut claims: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    let mut targets: BTreeMap<usize, String> = BTreeMap::new();
    for row in &sheet.rows {
        let number = row.row.unwrap_or(0);
        if doubt.rows.contains(&number) {
            continue;
        }
        if let Some(target) = row
            .filename()
            .and_then(|written| batch::clean_relative_path(written).ok())
        {
            for path in existing(listing, &target) {
                claims.entry(path).or_default().insert(number);
            }
            targets.insert(number, target);
        }
    }
    // A row naming no file exactly, but one loosely (`objects/F/a.jpg` for `objects/f/a.jpg`): it
    // was probably meant for that file, so no other row's record may take it.
    let mut near: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    for (&number, target) in &targets {
        if existing(listing, target).is_empty() {
            let loose = paths_starting_lines(listing, target);
            if !loose.is_empty() {
                doubt.hold(&loose.iter().cloned().collect::<Vec<_>>(), number);
                near.insert(number, loose);
            }
        }
    }
    // Rows in conflict, each with every row it conflicts with (itself included).
    let mut conflicts: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for rows in claims.values().filter(|rows| rows.len() > 1) {
        for &number in rows {
            conflicts.entry(number).or_default().extend(rows);
        }
    }
    for (&number, rows) in &conflicts {
        let target = &targets[&number];
        let named: BTreeSet<&String> = rows.iter().map(|row| &targets[row]).collect();
        let message = if named.len() == 1 {
            msg!(
                "ingest-described-twice",
                "'{target}' is described by {rows}; keep one row for it",
                target = target,
                rows = rows_text(rows)
            )
        } else {
            let each: Vec<String> = rows
                .iter()
                .map(|row| format!("row {row} names '{}'", targets[row]))
                .collect();
            msg!(
                "ingest-rows-claim-same-files",
                "{rows} claim the same files ({each}): a file belongs to one record only, so none of them is ingested; describe the folder or the files in it, not both",
                rows = rows_text(rows),
                each = each.join(", ")
            )
        };
        report.problems.push(
            Problem::error(&sheet.file, message)
                .at_row(Some(number))
                .in_column("filename"),
        );
        doubt.rows.insert(number);
        for path in existing(listing, target) {
            doubt.files.entry(path).or_default().extend(rows);
        }
    }

    let mut claimed: BTreeSet<String> = BTreeSet::new();
    let mut drafts: Vec<Draft> = Vec::new();
    for row in sheet.rows {
        let number = row.row.unwrap_or(0);
        if doubt.rows.contains(&number) {
            continue;
        }
        let Some(written) = row.filename() else {
            doubt.unattributed.insert(number);
            report.problems.push(
                Problem::error(
                    &row.file,
                    msg!("ingest-filename-empty", "the filename is empty"),
                )
                .at_row(row.row)
                .in_column("filename"),
            );
            continue;
        };
        let target = match batch::clean_relative_path(written) {
            Ok(target) => target,
            Err(message) => {
                doubt.unattributed.insert(number);
                report.problems.push(
                    Problem::error(&row.file, message)
                        .at_row(row.row)
                        .in_column("filename"),
                );
                continue;
            }
        };
        let members = existing(listing, &target);
        if members.is_empty() {
            let message = if let Some(reason) = batch::ambiguity(&listing.ambiguous, &target) {
                reason
            } else if let Some(reason) = listing.ignored.get(&target) {
                msg!(
                    "ingest-never-ingested",
                    "'{target}' is never ingested ({reason}); rename it, or move it out of that folder",
                    target = target,
                    reason = reason
                )
            } else if let Some(reason) = listing.refused.get(&target) {
                msg!(
                    "ingest-cannot-be-ingested",
                    "'{target}' cannot be ingested: {reason}",
                    target = target,
                    reason = reason
                )
            } else {
                doubt.unattributed.insert(number);
                match near.get(&number) {
                    Some(loose) => msg!(
                        "ingest-no-such-path-did-you-mean",
                        "there is no file or folder '{target}' in the batch; did you mean {paths}? Nothing it may describe is ingested until it is fixed",
                        target = target,
                        paths = quoted_list(loose)
                    ),
                    None => msg!(
                        "ingest-no-such-path",
                        "there is no file or folder '{target}' in the batch",
                        target = target
                    ),
                }
            };
            report.problems.push(
                Problem::error(&row.file, message)
                    .at_row(row.row)
                    .in_column("filename"),
            );
            continue;
        }
        if let Some((path, rows)) = members.iter().find_map(|path| {
            doubt
                .files
                .get(path)
                .map(|rows| (path.clone(), rows.clone()))
        }) {
            doubt.hold(&members, number);
            report.problems.push(
                Problem::error(
                    &row.file,
                    msg!(
                        "ingest-path-in-doubt",
                        "not ingested: '{path}' may also be described by {rows} of {sheet}, which could not be read with certainty; fix that row and ingest again",
                        path = path,
                        rows = rows_text(&rows),
                        sheet = sheet.file
                    ),
                )
                .at_row(row.row)
                .in_column("filename"),
            );
            continue;
        }
        if let Some(path) = members.iter().find(|path| claimed.contains(*path)).cloned() {
            doubt.hold(&members, number);
            report.problems.push(
                Problem::error(
                    &row.file,
                    msg!(
                        "ingest-path-claimed",
                        "'{path}' already belongs to the record of another row",
                        path = path
                    ),
                )
                .at_row(row.row)
                .in_column("filename"),
            );
            continue;
        }
        claimed.extend(members.iter().cloned());
        let is_file = listing.files.contains_key(&target);
        if !is_file && let Some(problem) = folder_text_problem(listing, &row, &members) {
            let reason = format!("not ingested: {}: {}", problem.file, problem.message);
            for path in &members {
                report.account(
                    path.clone(),
                    FileFate::Refused {
                        reason: reason.clone(),
                    },
                );
            }
            report.problems.push(problem);
            continue;
        }
        let base = if is_file { "" } else { target.as_str() };
        let files = members
            .iter()
            .map(|path| PlannedFile {
                logical: logical_path(base, path),
                batch: listing.files[path].clone(),
            })
            .collect();
        drafts.push(Draft {
            source: target,
            descriptions: vec![row],
            files,
            body: BTreeMap::new(),
            is_file,
        });
    }

    // Markdown texts described by a row still contribute their front matter and body.
    for draft in &mut drafts {
        if draft.is_file && is_markdown(&draft.source) && english_original(&draft.source).is_none()
        {
            attach_text(listing, draft, &mut claimed, report);
        }
    }

    // Files no row describes: refused when a row may have meant them, otherwise records of
    // their own (grouped by name), joined to a described sibling, or texts describing themselves.
    let mut lone: Vec<&BatchFile> = Vec::new();
    for file in listing.files.values() {
        if claimed.contains(&file.relative) {
            continue;
        }
        if let Some(original) = english_original(&file.relative)
            && listing.files.contains_key(&original)
        {
            // Joined to its Vietnamese original when that one is planned (checked below).
            continue;
        }
        // A master is held back with its access copy: the row that may describe one of them
        // would have described both.
        let siblings = group_key(&file.relative).map(|name| {
            doubt
                .files
                .iter()
                .filter(|(path, _)| group_key(path).as_ref() == Some(&name))
                .flat_map(|(_, rows)| rows.iter().copied())
                .collect::<BTreeSet<usize>>()
        });
        let in_doubt = doubt
            .files
            .get(&file.relative)
            .cloned()
            .or(siblings.filter(|rows| !rows.is_empty()));
        let refusal = if let Some(rows) = &in_doubt {
            Some(if rows.len() == 1 {
                msg!(
                    "ingest-file-row-unusable",
                    "not ingested: {rows} of {sheet} may describe this file but could not be used (see the error there); fix it and ingest again",
                    rows = rows_text(rows),
                    sheet = sheet.file
                )
            } else {
                msg!(
                    "ingest-file-rows-unusable",
                    "not ingested: {rows} of {sheet} may describe this file but could not be used (see the errors there); fix them and ingest again",
                    rows = rows_text(rows),
                    sheet = sheet.file
                )
            })
        } else if !doubt.unattributed.is_empty() && !describes_itself(file) {
            Some(if doubt.unattributed.len() == 1 {
                msg!(
                    "ingest-file-row-names-nothing",
                    "not ingested: {rows} of {sheet} names no file of the batch, and one may have been meant for this file; correct the filename column and ingest again",
                    rows = rows_text(&doubt.unattributed),
                    sheet = sheet.file
                )
            } else {
                msg!(
                    "ingest-file-rows-name-nothing",
                    "not ingested: {rows} of {sheet} name no file of the batch, and one may have been meant for this file; correct the filename column and ingest again",
                    rows = rows_text(&doubt.unattributed),
                    sheet = sheet.file
                )
            })
        } else if listing.has_objects_folder()
            && !file.relative.starts_with(&format!("{OBJECTS_DIR}/"))
            && !describes_itself(file)
        {
            Some(msg!(
                "ingest-file-outside-objects",
                "not ingested: it lies outside {objects}/ and no row of {sheet} describes it; name it in the filename column or move it into {objects}/ to ingest it",
                objects = OBJECTS_DIR,
                sheet = sheet.file
            ))
        } else {
            None
        };
        if let Some(reason) = refusal {
            report
                .problems
                .push(Problem::error(&file.relative, reason.clone()));
            let reason = reason.english;
            report.account(file.relative.clone(), FileFate::Refused { reason });
            claimed.insert(file.relative.clone());
            continue;
        }
        if is_markdown(&file.relative) {
            claimed.insert(file.relative.clone());
            let mut draft = Draft {
                source: file.relative.clone(),
                descriptions: Vec::new(),
                files: vec![PlannedFile {
                    logical: logical_path("", &file.relative),
                    batch: file.clone(),
                }],
                body: BTreeMap::new(),
                is_file: true,
            };
            attach_text(listing, &mut draft, &mut claimed, report);
            drafts.push(draft);
        } else {
            lone.push(file);
        }
    }
    group_by_name(lone, &mut drafts, &mut claimed, report);
    for file in listing.files.values() {
        if !claimed.contains(&file.relative) {
            // A translation whose original went nowhere.
            let reason = "not ingested: its Vietnamese original was not ingested; fix that file and ingest again".to_string();
            report
                .problems
                .push(Problem::error(&file.relative, reason.clone()));
            report.account(file.relative.clone(), FileFate::Refused { reason });
        }
    }
    validate_drafts(drafts, authorities, report)
}

/// The batch files at `target`: the file itself, or every file of the folder.
fn existing(listing: &Listing, target: &str) -> Vec<String> {
    if listing.files.contains_key(target) {
        return vec![target.to_string()];
    }
    if !listing.dirs.contains(target) {
        return Vec::new();
    }
    let prefix = format!("{target}/");
    listing
        .files
        .range(prefix.clone()..)
        .take_while(|(path, _)| path.starts_with(&prefix))
        .map(|(path, _)| path.clone())
        .collect()
}

/// A path as a spreadsheet line may write it, for loose matching: NFC, trimmed (spaces, tabs,
/// quotes), `\\` as `/`, without `./`, case-folded.
fn loose_path(written: &str) -> Option<String> {
    let trimmed = written.trim().trim_matches(['"', '\'']).trim();
    if trimmed.is_empty() {
        return None;
    }
    batch::clean_relative_path(trimmed)
        .ok()
        .filter(|path| !path.is_empty())
        .map(|path| path.to_lowercase())
}

/// The batch files that start a line of `text` as the first cell of a CSV row would
/// (`objects/anh/a.jpg,Title,…`), however the swallowed row was written: each line is trimmed
/// (spaces, tabs, quotes), NFC, case-folded, with `./` and `\\` normalised, and matched against
/// every batch file and folder by its whole path or by its trailing part (`b.jpg`, `anh/b.jpg`).
fn paths_starting_lines(listing: &Listing, text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in text.split(['\n', '\r']) {
        let first = line
            .split([',', ';', '\t'])
            .find(|cell| !cell.trim().is_empty());
        let Some(wanted) = first.and_then(loose_path) else {
            continue;
        };
        let suffix = format!("/{wanted}");
        for path in listing.files.keys() {
            let lower = path.to_lowercase();
            if lower == wanted || lower.ends_with(&suffix) {
                found.insert(path.clone());
            }
        }
        for dir in &listing.dirs {
            let lower = dir.to_lowercase();
            if lower == wanted || lower.ends_with(&suffix) {
                found.extend(existing(listing, dir));
            }
        }
    }
    found
}

/// `folder/name` of a file without its extension, when it has one.
fn name_without_extension(relative: &str) -> Option<&str> {
    let (stem, extension) = relative.rsplit_once('.')?;
    let name_start = stem.rfind('/').map_or(0, |i| i + 1);
    (stem.len() > name_start && !extension.contains('/')).then_some(stem)
}

/// The key grouping a master with its access copy: `folder/name` without extension, case-folded
/// (`DSC_1.TIF` and `dsc_1.jpg` are one record, as cameras and Windows write either case).
fn group_key(relative: &str) -> Option<String> {
    name_without_extension(relative).map(str::to_lowercase)
}

/// Whether two files have the same extension, ignoring case.
fn same_extension(a: &BatchFile, b: &BatchFile) -> bool {
    let extension = |file: &BatchFile| {
        file.relative
            .rsplit_once('.')
            .map(|(_, extension)| extension.to_lowercase())
    };
    extension(a) == extension(b)
}

/// Makes records of undescribed files: files sharing a name in one folder (`DSC_0412.tif`,
/// `DSC_0412.jpg`) form one record, or join the record a row made of one of them.
fn group_by_name(
    lone: Vec<&BatchFile>,
    drafts: &mut Vec<Draft>,
    claimed: &mut BTreeSet<String>,
    report: &mut Report,
) {
    let described: BTreeMap<String, usize> = drafts
        .iter()
        .enumerate()
        .filter(|(_, draft)| draft.is_file && !is_markdown(&draft.source))
        .filter_map(|(i, draft)| Some((group_key(&draft.source)?, i)))
        .collect();
    let mut groups: BTreeMap<String, Vec<&BatchFile>> = BTreeMap::new();
    let mut twins: Vec<Vec<&BatchFile>> = Vec::new();
    for file in lone {
        claimed.insert(file.relative.clone());
        let key = group_key(&file.relative).unwrap_or_else(|| file.relative.to_lowercase());
        if let Some(&index) = described.get(&key) {
            let draft = &mut drafts[index];
            let row = draft
                .descriptions
                .first()
                .map(|d| match d.row {
                    Some(row) => msg!(
                        "ingest-file-row",
                        "{file} row {row}",
                        file = d.file,
                        row = row
                    ),
                    None => Message::english(d.file.clone()),
                })
                .unwrap_or_else(|| Message::english(""));
            report.problems.push(Problem::warning(
                &file.relative,
                msg!(
                    "ingest-joins-record",
                    "no row describes it, so it joins the record of '{source}' ({row}): same name, another format (a master and its access copy are one record)",
                    source = draft.source,
                    row = row
                ),
            ));
            draft.files.push(PlannedFile {
                logical: logical_path("", &file.relative),
                batch: file.clone(),
            });
            continue;
        }
        let group = groups.entry(key).or_default();
        if group.iter().any(|other| same_extension(other, file)) {
            // `A.jpg` and `a.jpg`: two photos, not a master and its copy; each is a record of
            // its own (their ids collide, and the report says so).
            twins.push(vec![file]);
        } else {
            group.push(file);
        }
    }
    for files in groups.into_values().chain(twins) {
        let source = files[0].relative.clone();
        drafts.push(Draft {
            source,
            descriptions: Vec::new(),
            files: files
                .into_iter()
                .map(|file| PlannedFile {
                    logical: logical_path("", &file.relative),
                    batch: file.clone(),
                })
                .collect(),
            body: BTreeMap::new(),
            is_file: true,
        });
    }
}

pub(super) fn logical_path(base: &str, relative: &str) -> String {
    let inside = if base.is_empty() {
        relative.rsplit('/').next().unwrap_or(relative)
    } else {
        relative
            .strip_prefix(&format!("{base}/"))
            .unwrap_or(relative)
    };
    format!("{}/{inside}", crate::archive::FILES_DIR)
}

fn validate_drafts(
    drafts: Vec<Draft>,
    authorities: &Authorities,
    report: &mut Report,
) -> Vec<Plan> {
    let mut ids: BTreeMap<RecordId, String> = BTreeMap::new();
    let mut plans = Vec::new();
    for draft in drafts {
        if draft.files.is_empty() {
            continue;
        }
        let description = draft.descriptions.first();
        let validated = match description.map(|d| metadata::validate(d, authorities)) {
            None => Validated::default(),
            Some(Ok(mut validated)) => {
                report.problems.append(&mut validated.warnings);
                validated
            }
            Some(Err(problems)) => {
                let at = description
                    .and_then(|d| d.row.map(|row| format!("row {row} of {}", d.file)))
                    .unwrap_or_else(|| "its description".to_string());
                draft.refuse(
                    &format!("not ingested: {at} has errors; fix them and ingest again"),
                    report,
                );
                report.problems.extend(problems);
                continue;
            }
        };
        let id = match &validated.identifier {
            Some(id) => id.clone(),
            None => match derived_id(&draft.source, draft.is_file) {
                Ok(id) => id,
                Err(message) => {
                    draft.refuse(&message, report);
                    report.problems.push(Problem::error(&draft.source, message));
                    continue;
                }
            },
        };
        if let Some(previous) = ids.get(&id) {
            let said = msg!(
                "ingest-id-used-twice",
                "record id '{id}' is already used by '{previous}' in this batch; give one of them a dc.identifier",
                id = id.to_string(),
                previous = previous
            );
            let message = said.english.clone();
            let mut problem = Problem::error(
                description.map_or(draft.source.clone(), |d| d.file.clone()),
                said,
            );
            if let Some(d) = description {
                problem = problem
                    .at_row(d.row)
                    .in_column(if validated.identifier.is_some() {
                        "dc.identifier"
                    } else {
                        "filename"
                    });
            }
            draft.refuse(&message, report);
            report.problems.push(problem);
            continue;
        }
        ids.insert(id.clone(), draft.source.clone());
        let described =
            description.is_some_and(|d| d.cells.iter().any(|cell| cell.column != Column::Filename));
        plans.push(Plan {
            id,
            source: draft.source,
            described_in: description.map(|d| (d.file.clone(), d.row)),
            described,
            validated,
            files: draft.files,
            body: draft.body,
            archived_rules: None,
            archived_withdrawal: None,
            archived_withheld: Vec::new(),
        });
    }
    plans
}

/// The id of a record without `dc.identifier`: its batch path, readable and stable, so ingesting
/// the same batch again finds the same records. `objects/ảnh/khung cửi.jpg` → `anh-khung-cui`.
pub(super) fn derived_id(source: &str, is_file: bool) -> Result<RecordId, String> {
    let without_root = source.strip_prefix("objects/").unwrap_or(source);
    let without_extension = if is_file {
        let trimmed = without_root.strip_suffix(".en.md").unwrap_or(without_root);
        match trimmed.rsplit_once('.') {
            Some((stem, extension)) if !stem.is_empty() && !extension.contains('/') => stem,
            _ => trimmed,
        }
    } else {
        without_root
    };
    let candidate = slug(without_extension);
    let candidate = if candidate.len() > 100 {
        let digest = Sha256::of(source.as_bytes()).to_hex();
        format!(
            "{}-{}",
            candidate[..87].trim_end_matches('-'),
            &digest[..12]
        )
    } else {
        candidate
    };
    RecordId::parse(&candidate).map_err(|_| {
        format!("cannot derive a record id from the path '{source}'; give it a dc.identifier")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_readable_slugs_of_the_path() {
        assert_eq!(
            derived_id("objects/ảnh/khung cửi.jpg", true)
                .unwrap()
                .as_str(),
            "anh-khung-cui"
        );
        assert_eq!(
            derived_id("objects/le-hoi/doi-tam.md", true)
                .unwrap()
                .as_str(),
            "le-hoi-doi-tam"
        );
        assert_eq!(
            derived_id("objects/phim.v2", false).unwrap().as_str(),
            "phim-v2"
        );
        assert!(derived_id("objects/!!!.jpg", true).is_err());
    }

    #[test]
    fn english_translations_pair_with_their_original() {
        assert_eq!(
            english_original("objects/a.en.md").as_deref(),
            Some("objects/a.md")
        );
        assert_eq!(english_original("objects/a.md"), None);
    }

    #[test]
    fn logical_paths_keep_folder_structure_of_compound_records() {
        assert_eq!(logical_path("", "objects/anh/a.jpg"), "files/a.jpg");
        assert_eq!(
            logical_path("objects/phim", "objects/phim/sub/vi.vtt"),
            "files/sub/vi.vtt"
        );
    }

    #[test]
    fn names_without_extension_group_masters_and_access_copies() {
        assert_eq!(
            name_without_extension("objects/so-hoa/DSC_0412.tif"),
            Some("objects/so-hoa/DSC_0412")
        );
        assert_eq!(name_without_extension("objects/.profile"), None);
        assert_eq!(name_without_extension("objects/v1.2/README"), None);
    }
}
