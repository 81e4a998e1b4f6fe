//! Spreadsheets as Excel and LibreOffice write them, and the names and values archivists type:
//! the row numbers they see, the separators their locale uses, language tags however written,
//! lunar dates checked at ingest, and file names that cannot forge lines of the report.
//!
//! Each test is a case the testers found (`../shared/cases/…`), kept as a fixture batch under
//! `tests/fixtures/batches/` or built inside the test when its file names cannot be committed.

use std::fs;

use crate::support::{Ingested, Workspace, ids, problems, record};

/// The archived record `id`.
/// The fixture batch `name` (under `tests/fixtures/batches/`), ingested.
fn fixture(name: &str) -> Ingested {
    let workspace = Workspace::new();
    let batch = workspace.batch(name);
    workspace.ingested(batch)
}

/// The fixture batch `name` with its `metadata/metadata.csv` replaced by `edit` of it, ingested.
fn fixture_with_sheet(name: &str, edit: impl FnOnce(String) -> String) -> Ingested {
    let workspace = Workspace::new();
    let batch = workspace.batch(name);
    let sheet = batch.join("metadata/metadata.csv");
    fs::write(&sheet, edit(fs::read_to_string(&sheet).unwrap())).unwrap();
    workspace.ingested(batch)
}

/// The files of the report's `rejected` list.
fn rejected(report: &serde_json::Value) -> Vec<String> {
    report["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// Case `ingest-crlf-row-number`: BOM and CRLF line ends as Excel on Windows saves them; the bad
/// row is the one Excel shows as row 4.
#[test]
fn crlf_rows_are_numbered_as_excel_shows_them() {
    let Ingested { code, report, .. } = fixture("crlf-row-number");
    assert_eq!(code, 1);
    assert_eq!(
        problems(&report),
        [
            "error: metadata/metadata.csv, row 4, column access: 'bi mat' is not an access level; use one of: public, researchers, restricted, community:<group-id>"
        ]
    );
    assert_eq!(
        ids(&report, "records", "added"),
        ["anh-bit-mat-trong", "anh-hoa-van"]
    );
    assert_eq!(rejected(&report), ["objects/anh/le-ruoc.jpg"]);
}

/// Case `ingest-multiline-row-number`: cells holding line breaks (Alt+Enter) stay one row.
#[test]
fn line_breaks_inside_cells_do_not_shift_row_numbers() {
    let Ingested { code, report, .. } = fixture("multiline-row-number");
    assert_eq!(code, 1);
    assert_eq!(
        problems(&report),
        [
            "error: metadata/metadata.csv, row 4, column access: 'privat' is not an access level; use one of: public, researchers, restricted, community:<group-id>"
        ]
    );
    assert_eq!(rejected(&report), ["objects/anh/a3.jpg"]);
    // The same sheet with CRLF line ends, inside the cells too, numbers its rows the same way.
    let Ingested { code, report, .. } =
        fixture_with_sheet("multiline-row-number", |sheet| sheet.replace('\n', "\r\n"));
    assert_eq!(code, 1);
    assert_eq!(
        problems(&report),
        [
            "error: metadata/metadata.csv, row 4, column access: 'privat' is not an access level; use one of: public, researchers, restricted, community:<group-id>"
        ]
    );
}

/// A bad first data row is row 2 of the sheet, never taken for its header, whatever the line
/// ends; a sheet without a header is refused, its first row never read as columns.
#[test]
fn a_bad_first_data_row_is_not_the_header() {
    for line_end in ["\n", "\r\n"] {
        let sheet = [
            "filename,dc.title,access",
            "objects/anh/le-ruoc.jpg,Lễ rước,bi mat",
            "objects/anh/hoa-van.png,Hoa văn,public",
            "",
        ]
        .join(line_end);
        let Ingested { code, report, .. } = fixture_with_sheet("crlf-row-number", |_| sheet);
        assert_eq!(code, 1);
        assert_eq!(
            problems(&report),
            [
                "error: metadata/metadata.csv, row 2, column access: 'bi mat' is not an access level; use one of: public, researchers, restricted, community:<group-id>"
            ],
            "{line_end:?}"
        );
        assert_eq!(
            ids(&report, "records", "added"),
            ["anh-bit-mat-trong", "anh-hoa-van"]
        );
    }
    let Ingested { code, report, .. } = fixture_with_sheet("crlf-row-number", |_| {
        "objects/anh/le-ruoc.jpg,Lễ rước,public\r\nobjects/anh/hoa-van.png,Hoa văn,public\r\n"
            .into()
    });
    assert_eq!(code, 1);
    assert_eq!(
        problems(&report)[..2],
        [
            "error: metadata/metadata.csv: nothing in the batch was ingested because metadata/metadata.csv cannot be used (see the error there); fix it and ingest again",
            "error: metadata/metadata.csv, row 1: the first column must be 'filename' (the path of the described file or folder, relative to the batch), but row 1 begins with 'objects/anh/le-ruoc.jpg'",
        ]
    );
    assert_eq!(ids(&report, "records", "added"), Vec::<String>::new());
}

/// Case `ingest-semicolon-csv`: Excel under a Vietnamese locale separates cells with `;` and
/// writes decimal commas; the sheet is read, with a note saying how.
#[test]
fn a_semicolon_sheet_is_read_with_a_note() {
    let Ingested {
        workspace,
        code,
        report,
        ..
    } = fixture("semicolon-csv");
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(
        problems(&report),
        [
            "warning: metadata/metadata.csv, row 1: the columns are separated by semicolons (as Excel saves CSV in a Vietnamese or European locale); the sheet was read that way",
            "warning: objects/anh/khung-cui.jpg, row 3, column filename: the same content is also record 'anh-mat-trong-doi-tam'; kept as a record of its own with its own description",
        ]
    );
    assert_eq!(
        ids(&report, "records", "added"),
        ["anh-khung-cui", "anh-mat-trong-doi-tam"]
    );
    let record = record(&workspace, "anh-khung-cui");
    assert_eq!(record.access, disan::model::Access::Restricted);
    assert_eq!(
        record.dc["description"][0].value,
        "Khung cửi gỗ mít, dài 1,8 m"
    );
    // Tabs too, as Excel's "Text (tab delimited)" writes.
    let Ingested { code, report, .. } =
        fixture_with_sheet("semicolon-csv", |sheet| sheet.replace(';', "\t"));
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(
        problems(&report)[0],
        "warning: metadata/metadata.csv, row 1: the columns are separated by tabs (as Excel saves 'Text (tab delimited)'); the sheet was read that way"
    );
}

/// `@EN`, `@en-GB` and the other spellings of English are English; a language Disan does not
/// keep is an error at each row that fills the column.
#[test]
fn language_tags_in_any_case_and_region_are_english() {
    let Ingested {
        workspace,
        code,
        report,
        ..
    } = fixture_with_sheet("crlf-row-number", |_| {
        "filename,dc.title,dc.title@EN,dc.description@en-GB,dc.subject@fr\n\
         objects/anh/le-ruoc.jpg,Lễ rước,Procession,A drum procession,\n\
         objects/anh/hoa-van.png,Hoa văn,Pattern,,motif\n"
            .into()
    });
    assert_eq!(code, 1);
    assert_eq!(
        problems(&report),
        [
            "error: metadata/metadata.csv, row 3, column dc.subject@fr: 'dc.subject@fr' is tagged with the language 'fr', but Disan keeps values in Vietnamese (no tag, or @vi) and English (@en, @en-GB…); tag the column with one of them"
        ]
    );
    assert_eq!(
        ids(&report, "records", "added"),
        ["anh-bit-mat-trong", "anh-le-ruoc"]
    );
    let record = record(&workspace, "anh-le-ruoc");
    let english: Vec<(&str, &str)> = record
        .dc
        .iter()
        .flat_map(|(term, values)| values.iter().map(move |v| (term.as_str(), v)))
        .filter(|(_, v)| v.lang == disan::model::Lang::En)
        .map(|(term, v)| (term, v.value.as_str()))
        .collect();
    assert_eq!(
        english,
        [
            ("description", "A drum procession"),
            ("title", "Procession")
        ]
    );
}

/// Case `adv-lunar-date-silently-ignored`: a lunar date the festival calendar cannot read is an
/// error at ingest naming the row and column, in the sheet and in front matter.
#[test]
fn lunar_dates_are_validated_at_ingest() {
    let Ingested { code, report, .. } = fixture("lunar-date");
    assert_eq!(code, 1);
    assert_eq!(
        problems(&report),
        [
            "error: metadata/metadata.csv, row 3, column lunar_date: '13-1' is not a lunar date: the month must be 1 to 12, like 1-7",
            "error: metadata/metadata.csv, row 4, column lunar_date: '1-31' is not a lunar date: the day must be 1 to 30 (a lunar month has 29 or 30 days), like 1-7",
            "error: metadata/metadata.csv, row 5, column lunar_date: '1/7' is not a lunar date: write the month first, then '-' and the day, like 7-1 for day 1 of month 7",
        ]
    );
    assert_eq!(ids(&report, "records", "added"), ["ok"]);
    assert_eq!(
        rejected(&report),
        ["objects/typo1.md", "objects/typo2.md", "objects/typo3.md"]
    );
    let workspace = Workspace::new();
    let batch = workspace.batch("lunar-date");
    fs::remove_file(batch.join("metadata/metadata.csv")).unwrap();
    fs::write(
        batch.join("objects/typo1.md"),
        "---\ndc.title: Hội làng\nkind: festival\nlunar_date: 4L-31\n---\nHội làng.\n",
    )
    .unwrap();
    fs::write(
        batch.join("objects/ok.md"),
        "---\ndc.title: Hội đền\nkind: festival\nlunar_date: 4L-15\n---\nHội đền.\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        problems(&report),
        [
            "error: objects/typo1.md, column lunar_date: '4L-31' is not a lunar date: the day must be 1 to 30 (a lunar month has 29 or 30 days), like 1-7"
        ]
    );
    assert_eq!(record(&workspace, "ok").extra["lunar_date"], ["4L-15"]);
}

/// Case `adv-filename-newline-forges-report`: a name holding newlines and a forged summary line
/// stays one line of the text report, and so does a batch folder named so.
#[cfg(unix)]
#[test]
fn names_with_line_breaks_cannot_forge_report_lines() {
    let workspace = Workspace::new();
    let batch = workspace
        .dir
        .path()
        .join("batch\nbatch: 999 records added, 0 updated");
    fs::create_dir_all(batch.join("objects")).unwrap();
    let forged = "x.txt: ok\nbatch: 999 records added, 0 updated, 0 unchanged, 0 rejected; 0 errors, 0 warnings\r\ny\u{202e}.txt\t";
    std::os::unix::fs::symlink("/etc/hostname", batch.join("objects").join(forged)).unwrap();
    let output = workspace
        .disan()
        .arg("ingest")
        .arg(&batch)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        stderr.lines().collect::<Vec<_>>(),
        [
            "error: objects/x.txt: ok\\u{a}batch: 999 records added, 0 updated, 0 unchanged, 0 rejected; 0 errors, 0 warnings\\u{d}\\u{a}y\\u{202e}.txt\\u{9}: a symbolic link; copy the file itself into the batch"
        ]
    );
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            "batch\\u{a}batch: 999 records added, 0 updated: 0 records added, 0 updated, 0 unchanged; 0 files stored (0 B), 0 deduplicated, 0 ignored, 1 refused; 1 errors, 0 warnings"
        ]
    );
}

/// A batch of two text files, `objects/a.txt` and `objects/b.txt`, described by `sheet` as
/// `metadata/metadata.csv` (none when `None`).
fn text_batch(workspace: &Workspace, sheet: Option<&str>) -> std::path::PathBuf {
    let batch = workspace.dir.path().join("batches").join("texts");
    fs::create_dir_all(batch.join("objects")).unwrap();
    fs::create_dir_all(batch.join("metadata")).unwrap();
    for name in ["a", "b"] {
        fs::write(
            batch.join(format!("objects/{name}.txt")),
            format!("text {name}"),
        )
        .unwrap();
    }
    if let Some(sheet) = sheet {
        fs::write(batch.join("metadata/metadata.csv"), sheet).unwrap();
    }
    batch
}

/// [`text_batch`] described by `sheet`, ingested.
fn texts(sheet: &str) -> Ingested {
    let workspace = Workspace::new();
    let batch = text_batch(&workspace, Some(sheet));
    workspace.ingested(batch)
}

/// Finding 1 of break-sheets: a column Disan does not know whose name may mean access
/// (`dc.access`, `dcterms.access`, `dc.visibility`, `Bảo-mật`) refuses the whole batch, Dublin
/// Core prefix or not, and so does a header whose cells hold another separator.
#[test]
fn unknown_access_like_columns_and_mixed_separators_refuse_the_batch() {
    for column in [
        "dc.access",
        "dcterms.access",
        "dc.visibility",
        "DC.Access@en",
        "Bảo-mật",
        "truy_cap",
    ] {
        let Ingested { code, report, .. } = texts(&format!(
            "filename,dc.title,{column}\nobjects/a.txt,A,restricted\n"
        ));
        assert_eq!(code, 1, "{column}");
        assert_eq!(
            problems(&report)[1],
            format!(
                "error: metadata/metadata.csv, row 1, column {column}: the column '{column}' is not one Disan knows, and it may say who may see the files: did you mean access? Name it access (values: public, researchers, restricted, community:<group-id>), or remove it; nothing in the batch was ingested"
            ),
            "{column}"
        );
        assert_eq!(ids(&report, "records", "added"), Vec::<String>::new());
    }
    for (sheet, message) in [
        (
            "filename;dc.title,access\nobjects/a.txt;A,restricted\n",
            "error: metadata/metadata.csv, row 1, column dc.title,access: the separators are mixed: the header cell 'dc.title,access' holds commas (,) while the sheet is separated by semicolons (;), so no column can be read with certainty; use one separator throughout (save the sheet again as CSV UTF-8); nothing in the batch was ingested",
        ),
        (
            "filename,dc.title;access\nobjects/a.txt,A;restricted\n",
            "error: metadata/metadata.csv, row 1, column dc.title;access: the separators are mixed: the header cell 'dc.title;access' holds semicolons (;) while the sheet is separated by commas (,), so no column can be read with certainty; use one separator throughout (save the sheet again as CSV UTF-8); nothing in the batch was ingested",
        ),
    ] {
        let Ingested { code, report, .. } = texts(sheet);
        assert_eq!(code, 1, "{sheet}");
        assert!(
            problems(&report).contains(&message.to_string()),
            "{:#?}",
            problems(&report)
        );
        assert_eq!(ids(&report, "records", "added"), Vec::<String>::new());
    }
    // A known Dublin Core term is no access column: it is read as before.
    let Ingested { code, report, .. } =
        texts("filename,dc.title,dcterms.audience\nobjects/a.txt,A,students\n");
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(ids(&report, "records", "added"), ["a", "b"]);
}

/// Finding 2 of break-sheets: a sheet Disan does not read, in `metadata/` under another name
/// (`Book1.csv`, `danh muc.xlsx`, Notepad's `metadata.csv.txt`) or outside `objects/` with no
/// `metadata.csv`, refuses the whole batch instead of letting everything go in public; a sheet
/// inside `objects/` is material, archived as a file.
#[test]
fn a_sheet_disan_does_not_read_refuses_the_batch() {
    for (path, with_sheet) in [
        ("metadata/Book1.csv", false),
        ("metadata/danh muc.xlsx", false),
        ("metadata/danh-muc.ods", false),
        ("metadata/metadata.csv.txt", false),
        ("metadata/metadata.txt", false),
        ("metadata/Bang.NUMBERS", false),
        ("metadata/ghi-chu.tsv", true),
        ("danh-muc.csv", false),
        ("metadata.txt", false),
    ] {
        let workspace = Workspace::new();
        let sheet = with_sheet.then_some("filename,access\nobjects/b.txt,public\n");
        let batch = text_batch(&workspace, sheet);
        fs::write(
            batch.join(path),
            "filename,access\nobjects/a.txt,restricted\n",
        )
        .unwrap();
        let (code, report) = workspace.ingest(&batch, &[]);
        assert_eq!(code, 1, "{path}");
        assert_eq!(
            problems(&report),
            [format!(
                "error: {path}: {path} is not read: Disan reads metadata/metadata.csv; rename it, or move it into objects/ to archive it as a file; nothing in the batch was ingested, since rows in it may say who may see the files"
            )],
            "{path}"
        );
        assert_eq!(ids(&report, "records", "added"), Vec::<String>::new());
        let mut refused = rejected(&report);
        refused.sort();
        let mut expected = vec![path, "objects/a.txt", "objects/b.txt"];
        expected.sort();
        assert_eq!(refused, expected, "{path}");
    }
    // Inside objects/, a sheet is material like any file.
    let workspace = Workspace::new();
    let batch = text_batch(&workspace, None);
    fs::write(batch.join("objects/Book1.csv"), "a,b\n1,2\n").unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(ids(&report, "records", "added"), ["a", "b", "book1"]);
}

/// Finding 4 of break-sheets: `lunar_date` spelled as archivists and the site write it
/// (`lunar_date@vi`, `lunar date`, `Lunar-Date`, `Ngày âm lịch`) is the lunar date, checked and
/// kept under `lunar_date`, with a note when spelled otherwise than in any case; a name that only
/// looks like it is refused naming the right column. Disan's other columns fold the same way.
#[test]
fn lunar_date_and_disan_columns_are_read_however_spelled() {
    for header in [
        "lunar_date@vi",
        "lunar date",
        "lunar-date",
        "Lunar_Date",
        "LUNARDATE",
        "Ngày âm lịch",
        "ngay_am_lich",
    ] {
        let Ingested {
            workspace,
            code,
            report,
            ..
        } = texts(&format!(
            "filename,kind,{header}\nobjects/a.txt,festival,1-7\nobjects/b.txt,festival,13-45\n"
        ));
        assert_eq!(code, 1, "{header}");
        let shown = header.trim_end_matches("@vi");
        let mut expected = vec![format!(
            "error: metadata/metadata.csv, row 3, column {header}: '13-45' is not a lunar date: the month must be 1 to 12, like 1-7"
        )];
        if !shown.eq_ignore_ascii_case("lunar_date") {
            expected.push(format!(
                "warning: metadata/metadata.csv, row 1, column {header}: '{header}' was read as the column lunar_date"
            ));
        }
        assert_eq!(problems(&report), expected, "{header}");
        assert_eq!(ids(&report, "records", "added"), ["a"], "{header}");
        assert_eq!(
            record(&workspace, "a").extra["lunar_date"],
            ["1-7"],
            "{header}"
        );
    }
    let Ingested { code, report, .. } = texts("filename,lunar_day\nobjects/a.txt,1-7\n");
    assert_eq!(code, 1);
    assert_eq!(
        problems(&report),
        [
            "error: metadata/metadata.csv, row 2, column lunar_day: 'lunar_day' is not a column Disan knows; did you mean lunar_date (a festival's day in the lunar calendar, like 1-7)? Name the column lunar_date"
        ]
    );
    // Disan's own columns: any case is the column itself; other separators are read with a note.
    let Ingested {
        workspace,
        code,
        report,
        ..
    } = texts("File_Name,KIND,Access\nobjects/a.txt,document,restricted\n");
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(
        problems(&report),
        [
            "warning: metadata/metadata.csv, row 1, column File_Name: 'File_Name' was read as the column filename"
        ]
    );
    let a = record(&workspace, "a");
    assert_eq!(a.access, disan::model::Access::Restricted);
    assert_eq!(a.kind, disan::model::Kind::Document);
}

/// Finding 5 of break-sheets: Excel leaves out the separators of empty cells at the end of a
/// row; such a row is read with those cells empty, as an empty access cell would be, unless an
/// access level sits in an earlier cell while access is missing (a cell left out before it).
#[test]
fn rows_missing_only_their_last_empty_cells_are_read() {
    let Ingested {
        workspace,
        batch,
        code,
        report,
    } = texts(
        "filename,dc.title,access,,,\r\nobjects/a.txt,A,restricted,,,\r\nobjects/b.txt,B\r\n",
    );
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(ids(&report, "records", "added"), ["a", "b"]);
    assert_eq!(
        record(&workspace, "a").access,
        disan::model::Access::Restricted
    );
    let b = record(&workspace, "b");
    assert_eq!(b.access, disan::model::Access::Public);
    assert_eq!(b.dc["title"][0].value, "B");
    // A later batch whose short row leaves access out keeps the archived access, as an empty
    // access cell does.
    fs::write(
        batch.join("metadata/metadata.csv"),
        "filename,dc.title,access\nobjects/a.txt,A2\nobjects/b.txt,B\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(
        record(&workspace, "a").access,
        disan::model::Access::Restricted
    );
    // The title left out: 'restricted' moved into dc.title, so the row is not trusted.
    let Ingested { code, report, .. } =
        texts("filename,dc.title,access\nobjects/a.txt,restricted\n");
    assert_eq!(code, 1);
    assert_eq!(
        problems(&report)[0],
        "error: metadata/metadata.csv, row 2: the row has 2 cells but the header names 3 columns, and an earlier cell holds an access level while the access cell is missing (a cell left out, or a quote left open?); nothing it may describe is ingested until it is fixed"
    );
    assert_eq!(rejected(&report), ["objects/a.txt"]);
}

/// Finding 8 of break-sheets: lunar dates Excel or a typing slip changed get a message saying
/// what happened, not a wrong range.
#[test]
fn lunar_date_messages_say_what_went_wrong() {
    let workspace = Workspace::new();
    let batch = text_batch(
        &workspace,
        Some(
            "filename,kind,lunar_date\nobjects/a.txt,festival,7-Jan\nobjects/b.txt,festival,1-7L\nobjects/c.txt,festival,-1-7\nobjects/d.txt,festival,\"1-7,1-8\"\n",
        ),
    );
    for name in ["c", "d"] {
        fs::write(batch.join(format!("objects/{name}.txt")), name).unwrap();
    }
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        problems(&report),
        [
            "error: metadata/metadata.csv, row 2, column lunar_date: '7-Jan' is not a lunar date: Excel turned 1-7 into a date; format the column as Text and write 1-7 again",
            "error: metadata/metadata.csv, row 3, column lunar_date: '1-7L' is not a lunar date: write L after the month, not the day, like 1L-7 for day 7 of leap month 1",
            "error: metadata/metadata.csv, row 4, column lunar_date: '-1-7' is not a lunar date: remove the sign before the month: a lunar date is the month, '-' and the day, like 1-7",
            "error: metadata/metadata.csv, row 5, column lunar_date: '1-7,1-8' is not a lunar date: it holds several dates; write one lunar date per cell, like 1-7",
        ]
    );
    assert_eq!(ids(&report, "records", "added"), Vec::<String>::new());
}

/// Finding 9 of break-sheets: `dc:title` (the prefix Omeka and Tropy export) is `dc.title`,
/// with a note; an unknown term so written may still mean access and is refused.
#[test]
fn colon_dublin_core_columns_are_read_as_dotted_ones() {
    let Ingested {
        workspace,
        code,
        report,
        ..
    } = texts("filename,dc:title,dcterms:subject@en\nobjects/a.txt,Trống đồng,Bronze drum\n");
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(
        problems(&report),
        [
            "warning: metadata/metadata.csv, row 1, column dc:title: 'dc:title' was read as the column dc.title (Disan writes Dublin Core columns with a dot)",
            "warning: metadata/metadata.csv, row 1, column dcterms:subject@en: 'dcterms:subject@en' was read as the column dcterms.subject (Disan writes Dublin Core columns with a dot)",
        ]
    );
    let a = record(&workspace, "a");
    assert_eq!(a.dc["title"][0].value, "Trống đồng");
    assert_eq!(a.dc["subject"][0].value, "Bronze drum");
    assert_eq!(a.dc["subject"][0].lang, disan::model::Lang::En);
    assert!(a.extra.is_empty(), "{:?}", a.extra);
    let Ingested { code, report, .. } = texts("filename,dc:access\nobjects/a.txt,restricted\n");
    assert_eq!(code, 1);
    assert_eq!(ids(&report, "records", "added"), Vec::<String>::new());
}

/// Finding 10 of break-sheets: Excel's separator line `sep=;` above the header is read as the
/// hint it is and hidden, as Excel hides it (the header is row 1); a title row above the header
/// is refused naming what row 1 holds and where the header is.
#[test]
fn a_separator_line_is_read_and_a_title_row_is_named() {
    for line_end in ["\n", "\r\n"] {
        let workspace = Workspace::new();
        let sheet = [
            "sep=;",
            "filename;access",
            "objects/a.txt;restricted",
            "objects/b.txt;privat",
            "",
        ]
        .join(line_end);
        let batch = text_batch(&workspace, Some(&sheet));
        let (code, report) = workspace.ingest(&batch, &[]);
        assert_eq!(code, 1, "{line_end:?}");
        assert_eq!(
            problems(&report),
            [
                "error: metadata/metadata.csv, row 3, column access: 'privat' is not an access level; use one of: public, researchers, restricted, community:<group-id>",
                "warning: metadata/metadata.csv, row 1: the columns are separated by semicolons (as Excel saves CSV in a Vietnamese or European locale); the sheet was read that way",
            ],
            "{line_end:?}"
        );
        assert_eq!(ids(&report, "records", "added"), ["a"]);
        assert_eq!(
            record(&workspace, "a").access,
            disan::model::Access::Restricted
        );
    }
    let Ingested { code, report, .. } =
        texts("Danh mục tư liệu 2024\nfilename;access\nobjects/a.txt;restricted\n");
    assert_eq!(code, 1);
    assert_eq!(
        problems(&report)[1],
        "error: metadata/metadata.csv, row 1: the first column must be 'filename' (the path of the described file or folder, relative to the batch), but row 1 begins with 'Danh mục tư liệu 2024'; the header is row 2: it must be the first row, so delete the rows above it"
    );
    assert_eq!(ids(&report, "records", "added"), Vec::<String>::new());
}

/// Break14 finding 1: an authority file in a flat batch (`metadata.csv`, the material and
/// `products.csv` side by side at the root, no `objects/`) or anywhere outside `metadata/`, in
/// any case or width, is refused naming the file, never archived as a public record whose file
/// would serve its restricted rows.
#[test]
fn authority_files_outside_metadata_are_never_records() {
    for name in ["products.csv", "Products.CSV", "ｈｏｎｏｕｒｓ.csv"] {
        let workspace = Workspace::new();
        let batch = workspace.dir.path().join("batches").join("n-flat");
        fs::create_dir_all(&batch).unwrap();
        fs::write(
            batch.join("metadata.csv"),
            "filename,dc.title,kind\nghi-chu.txt,Ghi chú,document\n",
        )
        .unwrap();
        fs::write(batch.join("ghi-chu.txt"), "ghi chu").unwrap();
        fs::write(
            batch.join(name),
            "id,name,ocop_stars,access\npn-flat,Trống kín phẳng sealname,3,restricted\n",
        )
        .unwrap();
        let (code, report) = workspace.ingest(&batch, &[]);
        assert_eq!(code, 1, "{name}: {:#?}", problems(&report));
        assert!(rejected(&report).contains(&name.to_string()), "{name}");
        assert!(
            problems(&report)
                .iter()
                .any(|line| line.starts_with(&format!(
                    "error: {name}: '{name}' is named like an authority file"
                ))),
            "{name}: {:#?}",
            problems(&report)
        );
        let added = ids(&report, "records", "added");
        assert!(
            !added
                .iter()
                .any(|id| id.contains("products") || id.contains("honours")),
            "{added:?}"
        );
    }
}
