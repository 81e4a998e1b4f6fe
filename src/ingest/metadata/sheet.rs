//! Reading `metadata.csv` as Excel and LibreOffice write it: the separator their locale uses,
//! the header, and the row numbers the archivist sees.
//!
//! A pure function of the sheet's text ([`parse_csv`]); what the cells mean is
//! [`super::Column`]'s and [`super::validate`]'s business.

use super::{
    Cell, Column, Description, access_word, is_invisible, may_mean_access, meant_column,
    rename_hint,
};
use crate::ingest::cells::CellKind;
use crate::ingest::report::Problem;
use crate::model::Access;
use crate::model::Message;
use crate::model::text::nfc;
use crate::msg;

/// A `metadata.csv` row that could not be read with certainty: its cells do not line up with the
/// header (a stray comma, a quote left open), so no cell can be trusted, not even `access`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenRow {
    /// The metadata file.
    pub file: String,
    /// The spreadsheet row, as Excel and LibreOffice number it.
    pub row: Option<usize>,
    /// Every cell as read (NFC, untrimmed), to find the batch paths it names.
    pub cells: Vec<String>,
}

/// What [`parse_csv`] read.
#[derive(Debug, Default)]
pub struct ParsedCsv {
    /// Rows whose cells line up with the header.
    pub rows: Vec<Description>,
    /// Rows that could not be read with certainty (each also has an error in `problems`).
    pub broken: Vec<BrokenRow>,
    /// Every problem found, located by row (1 is the header) and column.
    pub problems: Vec<Problem>,
    /// Whether the file cannot describe anything (empty, header unreadable, no `filename`
    /// column): then no file of the batch may be ingested.
    pub unusable: bool,
}

/// Parses `metadata.csv` text (already known to be UTF-8, BOM stripped).
///
/// Row numbers are the spreadsheet's, as Excel and LibreOffice show them: a cell holding line
/// breaks (Alt+Enter) stays one row, CRLF and LF line ends count alike, and a blank line is a
/// row. A row with more cells than the header is not a description but a [`BrokenRow`]: its
/// cells cannot be matched to columns, so nothing it says is trusted. A row with fewer cells is
/// read with its last cells empty (Excel leaves out the separators of empty cells at the end of
/// a row), unless a rule column (`access`, `access_need`, `files_access`, `files_access_need`) is
/// among the missing cells while another cell holds an access level or a need (a cell left out
/// in the middle moved it): then it is broken too. A row-level problem does
/// not stop the other rows.
pub fn parse_csv(file: &str, text: &str) -> ParsedCsv {
    let text = without_separator_line(text);
    let mut parsed = ParsedCsv::default();
    let separator = Separator::detect(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator.byte())
        .from_reader(text.as_bytes());
    let mut rows = RowNumbers::new(text);
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(header)) => header,
        Some(Err(error)) => {
            parsed.problems.push(Problem::error(
                file,
                format!("cannot read the header row: {error}"),
            ));
            parsed.unusable = true;
            return parsed;
        }
        None => {
            parsed.problems.push(Problem::error(
                file,
                msg!("ingest-file-empty", "the file is empty"),
            ));
            parsed.unusable = true;
            return parsed;
        }
    };
    let header_row = header.position().map(|p| rows.at(p.byte() as usize));
    if let Some(note) = separator.note() {
        parsed
            .problems
            .push(Problem::warning(file, note).at_row(header_row));
    }
    // Said once the header is known to be one (a data row read as a header names no columns).
    let mut header_warnings = Vec::new();
    let columns: Vec<(String, Column)> = header
        .iter()
        .map(|name| {
            let (column, warning) = Column::parse(name);
            if let Some(warning) = warning.filter(|_| !may_mean_access(&column)) {
                header_warnings.push(
                    Problem::warning(file, warning)
                        .at_row(header_row)
                        .in_column(name.trim()),
                );
            }
            let shown: String = nfc(name.trim())
                .chars()
                .filter(|c| !is_invisible(*c))
                .collect();
            (shown.trim().to_string(), column)
        })
        .collect();
    if let Some((name, other)) = columns.iter().find_map(|(name, _)| {
        separator
            .others()
            .into_iter()
            .find(|other| name.contains(other.character()))
            .map(|other| (name, other))
    }) {
        parsed.problems.push(
            Problem::error(
                file,
                format!(
                    "the separators are mixed: the header cell '{name}' holds {} while the sheet is separated by {}, so no column can be read with certainty; use one separator throughout (save the sheet again as CSV UTF-8); nothing in the batch was ingested",
                    other.described(),
                    separator.described(),
                ),
            )
            .at_row(header_row)
            .in_column(name.clone()),
        );
        parsed.unusable = true;
        return parsed;
    }
    if columns.first().map(|(_, column)| column) != Some(&Column::Filename) {
        let first: String = columns
            .first()
            .map_or("", |(name, _)| name.as_str())
            .chars()
            .take(60)
            .collect();
        let mut separated = msg!("ingest-nothing", "");
        // Another separator than the three Disan reads (`|`, `:`): say so.
        if let Some(other) = ['|', ':', '^', '~'].into_iter().find(|c| {
            first.contains(*c)
                && first
                    .split(*c)
                    .any(|cell| Column::parse(cell).0 == Column::Filename)
        }) {
            separated = msg!(
                "ingest-sheet-other-separator",
                "; the sheet seems separated by '{other}': save it again as CSV with commas, semicolons or tabs between the columns",
                other = other.to_string()
            );
        }
        // A title row, or notes, above the real header: say where the header is.
        let below = records.take(20).find_map(|record| {
            let record = record.ok()?;
            let row = record.position().map(|p| rows.at(p.byte() as usize));
            let cell = record.get(0)?;
            let cell = cell.split([';', '\t']).next().unwrap_or(cell);
            (Column::parse(cell).0 == Column::Filename).then_some(row)
        });
        let header_at = match below {
            Some(row) => msg!(
                "ingest-header-below",
                "; the header is row {row}: it must be the first row, so delete the rows above it",
                row = row.unwrap_or(2)
            ),
            None => msg!("ingest-nothing", ""),
        };
        let message = msg!(
            "ingest-first-column-not-filename",
            "the first column must be 'filename' (the path of the described file or folder, relative to the batch), but row {row} begins with '{first}'{separated}{header_at}",
            row = header_row.unwrap_or(1),
            first = first,
            separated = separated,
            header_at = header_at
        );
        parsed
            .problems
            .push(Problem::error(file, message).at_row(header_row));
        parsed.unusable = true;
        return parsed;
    }
    for (name, column) in &columns {
        if let Some(meant) = meant_column(column) {
            parsed.problems.push(
                Problem::error(
                    file,
                    msg!(
                        "ingest-unknown-rule-column",
                        "the column '{name}' is not one Disan knows, and it may say who may see the files: {hint}, or remove it; nothing in the batch was ingested",
                        name = name,
                        hint = rename_hint(meant)
                    ),
                )
                .at_row(header_row)
                .in_column(name.clone()),
            );
            parsed.unusable = true;
        }
    }
    if parsed.unusable {
        return parsed;
    }
    parsed.problems.extend(header_warnings);
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let row = error.position().map(|p| rows.at(p.byte() as usize));
                parsed
                    .problems
                    .push(Problem::error(file, format!("unreadable row: {error}")).at_row(row));
                parsed.broken.push(BrokenRow {
                    file: file.to_string(),
                    row,
                    cells: Vec::new(),
                });
                continue;
            }
        };
        let row = record.position().map(|p| rows.at(p.byte() as usize));
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if record
            .get(0)
            .is_some_and(|cell| Column::parse(cell).0 == Column::Filename)
        {
            // The header again: two sheets pasted one under the other. The same columns are
            // harmless; other columns would give the rows below it the wrong meanings.
            let same = record.len() == columns.len()
                && record
                    .iter()
                    .zip(&columns)
                    .all(|(cell, (_, column))| &Column::parse(cell).0 == column);
            if same {
                parsed.problems.push(
                    Problem::warning(
                        file,
                        msg!(
                            "ingest-row-repeats-header",
                            "this row repeats the header; it was skipped"
                        ),
                    )
                    .at_row(row),
                );
                continue;
            }
            parsed.problems.push(
                Problem::error(
                    file,
                    msg!(
                        "ingest-second-header",
                        "this row is a header with other columns than row {row} (two sheets pasted together?), so the rows below it cannot be read with certainty; make one sheet with one header; nothing in the batch was ingested",
                        row = header_row.unwrap_or(1)
                    ),
                )
                .at_row(row),
            );
            parsed.unusable = true;
            return parsed;
        }
        // Excel leaves out the separators of empty cells at the end of a row, so a short row
        // is read with its last cells empty, as a row with an empty rule cell would be; unless a
        // rule column (`access`, `files_access` or their need) is among the missing cells while
        // another cell holds a rule's value: then a cell was left out before it, and the rule
        // may have moved left into a column that does not restrict anything.
        let missing_rule = (record.len() < columns.len())
            .then(|| {
                columns[record.len()..]
                    .iter()
                    .find(|(_, column)| is_rule_column(column))
            })
            .flatten();
        let shifted = missing_rule.and_then(|(name, _)| {
            record
                .iter()
                .zip(&columns)
                .filter(|(_, (_, column))| !is_rule_column(column))
                .find_map(|(cell, _)| {
                    if cell.trim().parse::<Access>().is_ok() || access_word(cell).is_some() {
                        Some(msg!("ingest-an-access-level", "an access level"))
                    } else if cell.trim().parse::<crate::model::Need>().is_ok() {
                        Some(msg!("ingest-a-need", "a need"))
                    } else {
                        None
                    }
                })
                .map(|what| (name, what))
        });
        if record.len() > columns.len() || shifted.is_some() {
            let why = if let Some((name, what)) = shifted {
                msg!(
                    "ingest-row-rule-shifted",
                    ", and an earlier cell holds {what} while the {name} cell is missing (a cell left out, or a quote left open?)",
                    what = what,
                    name = name
                )
            } else {
                msg!(
                    "ingest-row-stray-comma",
                    " (a stray comma, or a quote left open?)"
                )
            };
            let cells = if record.len() == 1 {
                msg!("ingest-one-cell", "{count} cell", count = record.len())
            } else {
                msg!("ingest-cells", "{count} cells", count = record.len())
            };
            parsed.problems.push(
                Problem::error(
                    file,
                    msg!(
                        "ingest-row-too-many-cells",
                        "the row has {cells} but the header names {columns} columns{why}; nothing it may describe is ingested until it is fixed",
                        cells = cells,
                        columns = columns.len(),
                        why = why
                    ),
                )
                .at_row(row),
            );
            parsed.broken.push(BrokenRow {
                file: file.to_string(),
                row,
                cells: record.iter().map(|cell| nfc(cell).into_owned()).collect(),
            });
            continue;
        }
        // A cell over its column's limit (`CellKind`): the row is refused as a broken one, so
        // that nothing it may describe is ingested; the oversized cells are not kept.
        let oversized: Vec<usize> = record
            .iter()
            .zip(&columns)
            .enumerate()
            .filter_map(|(n, (value, (header, column)))| {
                let message = CellKind::of_metadata_column(column).refusal(value.trim())?;
                parsed.problems.push(
                    Problem::error(file, message)
                        .at_row(row)
                        .in_column(header.clone()),
                );
                Some(n)
            })
            .collect();
        if !oversized.is_empty() {
            parsed.broken.push(BrokenRow {
                file: file.to_string(),
                row,
                cells: record
                    .iter()
                    .enumerate()
                    .map(|(n, cell)| {
                        if oversized.contains(&n) {
                            String::new()
                        } else {
                            nfc(cell).into_owned()
                        }
                    })
                    .collect(),
            });
            continue;
        }
        let cells = record
            .iter()
            .zip(&columns)
            .filter(|(value, _)| !value.trim().is_empty())
            .map(|(value, (header, column))| Cell {
                header: header.clone(),
                column: column.clone(),
                value: nfc(value.trim()).into_owned(),
            })
            .collect();
        parsed.rows.push(Description {
            file: file.to_string(),
            row,
            cells,
        });
    }
    parsed
}

/// Whether `column` states a rule about who may see a record or its files.
fn is_rule_column(column: &Column) -> bool {
    matches!(
        column,
        Column::Access | Column::AccessNeed | Column::FilesAccess | Column::FilesAccessNeed
    )
}

/// `text` without its first line when that line is Excel's separator hint (`sep=;`, `sep=,`,
/// `sep=\t`, any case, spaces around): Excel reads and hides that line, so the header below it
/// is row 1 of the sheet the archivist sees, and so it is here. The separator is then found
/// from the header as always.
pub(crate) fn without_separator_line(text: &str) -> &str {
    let end = text.find(['\r', '\n']).unwrap_or(text.len());
    let line = text[..end].trim_matches(|c: char| c == ' ');
    let hint = line.len() >= 4
        && line.is_char_boundary(4)
        && line[..4].eq_ignore_ascii_case("sep=")
        && line[4..].chars().count() == 1;
    if !hint {
        return text;
    }
    let rest = &text[end..];
    rest.strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix(['\r', '\n']))
        .unwrap_or(rest)
}

/// The character between the cells of a sheet.
///
/// Excel writes "CSV" with the list separator of the Windows locale: `,` in English, `;` in
/// Vietnamese and most European locales (where `,` is the decimal mark); "Text (tab
/// delimited)" uses tabs. The separator is the one under which the header's first cell is
/// `filename`, the one header every sheet must have, so a header is never read as data nor a
/// data row as the header; when none gives that, the sheet is read with commas and refused for
/// its first column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Separator {
    Comma,
    Semicolon,
    Tab,
}

impl Separator {
    fn byte(self) -> u8 {
        match self {
            Separator::Comma => b',',
            Separator::Semicolon => b';',
            Separator::Tab => b'\t',
        }
    }

    fn detect(text: &str) -> Separator {
        [Separator::Comma, Separator::Semicolon, Separator::Tab]
            .into_iter()
            .find(|separator| {
                let first = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .delimiter(separator.byte())
                    .from_reader(text.as_bytes())
                    .records()
                    .next()
                    .and_then(Result::ok);
                first
                    .and_then(|header| header.get(0).map(|cell| Column::parse(cell).0))
                    .is_some_and(|column| column == Column::Filename)
            })
            .unwrap_or(Separator::Comma)
    }

    /// The separators this one is not.
    fn others(self) -> Vec<Separator> {
        [Separator::Comma, Separator::Semicolon, Separator::Tab]
            .into_iter()
            .filter(|other| *other != self)
            .collect()
    }

    fn character(self) -> char {
        char::from(self.byte())
    }

    /// The separator in words (`semicolons (;)`).
    fn described(self) -> &'static str {
        match self {
            Separator::Comma => "commas (,)",
            Separator::Semicolon => "semicolons (;)",
            Separator::Tab => "tabs",
        }
    }

    /// What the report says about a separator other than the comma: it was understood.
    fn note(self) -> Option<Message> {
        match self {
            Separator::Comma => None,
            Separator::Semicolon => Some(msg!(
                "ingest-separated-by-semicolons",
                "the columns are separated by semicolons (as Excel saves CSV in a Vietnamese or European locale); the sheet was read that way"
            )),
            Separator::Tab => Some(msg!(
                "ingest-separated-by-tabs",
                "the columns are separated by tabs (as Excel saves 'Text (tab delimited)'); the sheet was read that way"
            )),
        }
    }
}

/// Turns the byte offset where the CSV reader found a record into the spreadsheet row number.
///
/// The reader skips blank lines and counts a quoted line break as a line; a spreadsheet does
/// neither. Between two records only the line ends that close the first one and any blank lines
/// can stand, so each record's row is the previous one's plus the line ends in that gap.
pub(crate) struct RowNumbers<'a> {
    text: &'a str,
    /// The previous record's start and row.
    previous: Option<(usize, usize)>,
}

impl<'a> RowNumbers<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        RowNumbers {
            text,
            previous: None,
        }
    }

    /// The row of the record the reader placed at `byte`; records must be asked about in order.
    /// The reader may place a record anywhere in the line ends and blank lines before it (even
    /// between the `\r` and `\n` of a CRLF), so the whole run of line ends around `byte` counts.
    pub(crate) fn at(&mut self, byte: usize) -> usize {
        let bytes = self.text.as_bytes();
        let byte = byte.min(bytes.len());
        let is_line_end = |b: &&u8| **b == b'\n' || **b == b'\r';
        let ahead = bytes[byte..].iter().take_while(is_line_end).count();
        let (from, row) = self.previous.unwrap_or((0, 0));
        let from = from.min(byte);
        let behind = bytes[from..byte]
            .iter()
            .rev()
            .take_while(is_line_end)
            .count();
        let run = &bytes[byte - behind..byte + ahead];
        let row = if self.previous.is_none() {
            1 + line_ends(run)
        } else {
            row + line_ends(run).max(1)
        };
        self.previous = Some((byte + ahead, row));
        row
    }
}

/// Line ends in a run of `\r` and `\n` bytes (CRLF counts once).
fn line_ends(bytes: &[u8]) -> usize {
    let mut count = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                count += 1;
                i += 2;
                continue;
            }
            b'\r' | b'\n' => count += 1,
            _ => {}
        }
        i += 1;
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_numbered_as_spreadsheets_number_them() {
        // CRLF, a cell holding line breaks (Alt+Enter), and a blank line.
        let text = "filename,dc.description,access\r\nobjects/a.jpg,\"one\r\ntwo\r\nthree\",public\r\n\r\nobjects/b.jpg,b,privat\r\nobjects/c.jpg,c,public\r\n";
        let parsed = parse_csv("metadata.csv", text);
        let rows: Vec<Option<usize>> = parsed.rows.iter().map(|r| r.row).collect();
        assert_eq!(rows, [Some(2), Some(4), Some(5)]);
        let text = "filename,dc.description\nobjects/a.jpg,\"x\ny\"\nobjects/b.jpg,b\n";
        let rows: Vec<Option<usize>> = parse_csv("m.csv", text)
            .rows
            .iter()
            .map(|r| r.row)
            .collect();
        assert_eq!(rows, [Some(2), Some(3)]);
        // Blank lines above the header (CRLF or LF) move every row down, as in the sheet.
        for text in [
            "\r\n\r\nfilename;access\r\nobjects/a.jpg;privat\r\n",
            "\n\nfilename\taccess\nobjects/a.jpg\tprivat\n",
        ] {
            let parsed = parse_csv("m.csv", text);
            assert_eq!(parsed.problems[0].row, Some(3), "{text:?}");
            assert_eq!(parsed.rows[0].row, Some(4), "{text:?}");
        }
    }

    #[test]
    fn rows_whose_cells_do_not_line_up_are_broken_not_descriptions() {
        let text = "filename,dc.title,access\nobjects/a.jpg,A,restricted,\nobjects/b.jpg,restricted\nobjects/c.jpg,C,public\nobjects/d.jpg,D\n";
        let parsed = parse_csv("metadata.csv", text);
        // d's row lacks only its last cell (as Excel writes an empty one): access not stated.
        let read: Vec<Option<&str>> = parsed.rows.iter().map(|r| r.filename()).collect();
        assert_eq!(read, [Some("objects/c.jpg"), Some("objects/d.jpg")]);
        assert_eq!(parsed.rows[1].first(&Column::Access), None);
        let broken: Vec<Option<usize>> = parsed.broken.iter().map(|b| b.row).collect();
        assert_eq!(broken, [Some(2), Some(3)]);
        assert_eq!(parsed.broken[0].cells[0], "objects/a.jpg");
        assert!(!parsed.unusable);
    }

    #[test]
    fn semicolon_and_tab_separated_sheets_are_read_with_a_note() {
        for (text, word) in [
            (
                "\u{feff}filename;dc.title;dc.description\r\nobjects/a.jpg;A;đường kính 0,6 m\r\n",
                "semicolons",
            ),
            (
                "filename\tdc.title\tdc.description\nobjects/a.jpg\tA\tđường kính 0,6 m\n",
                "tabs",
            ),
        ] {
            let parsed = parse_csv("metadata.csv", text.trim_start_matches('\u{feff}'));
            assert!(!parsed.unusable, "{:?}", parsed.problems);
            let notes: Vec<String> = parsed.problems.iter().map(ToString::to_string).collect();
            assert_eq!(
                notes,
                [format!(
                    "warning: metadata.csv, row 1: the columns are separated by {word} ({}); the sheet was read that way",
                    if word == "tabs" {
                        "as Excel saves 'Text (tab delimited)'"
                    } else {
                        "as Excel saves CSV in a Vietnamese or European locale"
                    }
                )]
            );
            let row = &parsed.rows[0];
            assert_eq!(row.filename(), Some("objects/a.jpg"));
            assert_eq!(row.cells[2].value, "đường kính 0,6 m");
        }
        // A comma sheet whose cells hold semicolons stays a comma sheet.
        let parsed = parse_csv("m.csv", "filename,dc.title\nobjects/a.jpg,A; B\n");
        assert!(parsed.problems.is_empty());
        assert_eq!(parsed.rows[0].cells[1].value, "A; B");
    }

    #[test]
    fn a_repeated_header_is_never_read_as_data() {
        let same = "filename,access\nobjects/a.jpg,public\nFilename,Access\nobjects/b.jpg,public\n";
        let parsed = parse_csv("m.csv", same);
        assert!(!parsed.unusable);
        assert_eq!(parsed.rows.len(), 2);
        assert_eq!(
            parsed.problems[0].to_string(),
            "warning: m.csv, row 3: this row repeats the header; it was skipped"
        );
        let other = "filename,access,dc.title\nobjects/a.jpg,public,A\nfilename,dc.title,access\nobjects/b.jpg,B,restricted\n";
        let parsed = parse_csv("m.csv", other);
        assert!(parsed.unusable);
        assert_eq!(
            parsed.problems[0].to_string(),
            "error: m.csv, row 3: this row is a header with other columns than row 1 (two sheets pasted together?), so the rows below it cannot be read with certainty; make one sheet with one header; nothing in the batch was ingested"
        );
    }

    /// Break-11b finding 10: a sheet without its header, or separated by `|`, was told it had
    /// a column that might mean access.
    #[test]
    fn a_missing_header_or_an_unknown_separator_is_named_before_any_column() {
        for (text, begins, hint) in [
            ("objects/a1.jpg,T1,restricted\n", "objects/a1.jpg", ""),
            ("objects/a1.jpg,T1,public\n", "objects/a1.jpg", ""),
            (
                "filename|dc.title|access\nobjects/a.jpg|A|restricted\n",
                "filename|dc.title|access",
                "; the sheet seems separated by '|': save it again as CSV with commas, semicolons or tabs between the columns",
            ),
        ] {
            let parsed = parse_csv("m.csv", text);
            assert!(parsed.unusable);
            assert_eq!(
                parsed
                    .problems
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>(),
                [format!(
                    "error: m.csv, row 1: the first column must be 'filename' (the path of the described file or folder, relative to the batch), but row 1 begins with '{begins}'{hint}"
                )]
            );
        }
    }

    #[test]
    fn the_first_column_must_be_filename() {
        let ParsedCsv { rows, problems, .. } =
            parse_csv("metadata.csv", "dc.title,filename\nA,b\n");
        assert!(rows.is_empty());
        assert_eq!(problems[0].row, Some(1));
        assert_eq!(
            problems[0].message,
            "the first column must be 'filename' (the path of the described file or folder, relative to the batch), but row 1 begins with 'dc.title'"
        );
    }
}
