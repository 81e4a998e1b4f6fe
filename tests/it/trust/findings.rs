//! Regression tests for the tester's findings against the first delivery of the ingest side of
//! issue 10 (`/work/notes/ingest-findings.md`): leaks 1–9, files lost or misattributed, and wrong
//! messages. Each test builds its batches in a temporary folder (some names and file types, such
//! as symbolic links and named pipes, cannot be committed portably) and asserts the exact outcome.

use std::fs;
use std::path::{Path, PathBuf};

use disan::model::Access;

use super::{assert_every_file_accounted, fate, record};
use crate::support::{Ingested, Workspace, ids, problems};

/// A real JPEG with `tag` appended after its end, so that each photo of a test has its own bytes.
fn photo(tag: &str) -> Vec<u8> {
    let mut bytes = fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/batches/ragged-row/objects/open.jpg"),
    )
    .unwrap();
    bytes.extend_from_slice(tag.as_bytes());
    bytes
}

/// Writes a batch `name` holding `files` (path, bytes) into the workspace.
fn make_batch(workspace: &Workspace, name: &str, files: &[(&str, Vec<u8>)]) -> PathBuf {
    let batch = workspace.dir.path().join("made").join(name);
    for (path, bytes) in files {
        let path = batch.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    batch
}

/// The batch `name` holding `files`, made in a new workspace and ingested.
fn made(name: &str, files: &[(&str, Vec<u8>)]) -> Ingested {
    let workspace = Workspace::new();
    let batch = make_batch(&workspace, name, files);
    workspace.ingested(batch)
}

/// The TIFF master of the `master-access` fixture batch.
fn master() -> Vec<u8> {
    fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/batches/master-access/objects/so-hoa/DSC_0412.tif"),
    )
    .unwrap()
}

/// Archives [`master`] as record `anh-s` (`objects/anh/s.tif`) with `access`, in a first batch;
/// returns its bytes.
fn archive_master(workspace: &Workspace, access: &str) -> Vec<u8> {
    let master = master();
    let sheet = format!("filename,dc.title,access\nobjects/anh/s.tif,Secret master,{access}\n");
    let first = make_batch(
        workspace,
        "first",
        &[
            ("objects/anh/s.tif", master.clone()),
            ("metadata/metadata.csv", text(&sheet)),
        ],
    );
    assert_eq!(workspace.ingest(&first, &[]).0, 0);
    master
}

/// A batch of one photo, `objects/s.jpg`, described by the sheet `csv`.
fn photo_described_by(csv: &str) -> Files {
    vec![
        ("objects/s.jpg", photo("s")),
        ("metadata/metadata.csv", text(csv)),
    ]
}

/// A photo and a text, `note` (its Markdown), in the folder `objects/f`, described by `csv`.
fn folder_with_note(note: &str, csv: &str) -> Files {
    vec![
        ("objects/f/a.jpg", photo("a")),
        ("objects/f/note.md", text(note)),
        ("metadata/metadata.csv", text(csv)),
    ]
}

/// The reason the report gives for the fate of `file`.
fn reason(report: &serde_json::Value, file: &str) -> String {
    report["files"][file]["reason"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Files of a batch to make: path and bytes.
type Files = Vec<(&'static str, Vec<u8>)>;

fn text(content: &str) -> Vec<u8> {
    content.as_bytes().to_vec()
}

fn added(report: &serde_json::Value) -> Vec<String> {
    ids(report, "records", "added")
}

// ---- Leak 1: a folder row and a row inside it ----

/// A public folder row and a restricted row for a file (or subfolder, or text) inside it claim the
/// same file: both records are refused, whatever the order and however the path is written.
#[test]
fn a_folder_row_and_a_row_inside_it_refuse_both_records_whatever_the_order() {
    let cases: &[(&str, &str)] = &[
        (
            "file-after",
            "filename,dc.title,access\nobjects/f,Folder,public\nobjects/f/a.jpg,Secret A,restricted\n",
        ),
        (
            "file-before",
            "filename,dc.title,access\nobjects/f/a.jpg,Secret A,restricted\nobjects/f,Folder,public\n",
        ),
        (
            "dot-and-backslash",
            "filename,dc.title,access\n./objects/f/,Folder,public\nobjects\\f\\a.jpg,Secret A,researchers\n",
        ),
        (
            "subfolder",
            "filename,dc.title,access\nobjects/f,Folder,public\nobjects/f/sub,Sub,restricted\n",
        ),
        (
            "text",
            "filename,dc.title,access\nobjects/f,Folder,public\nobjects/f/sub/note.md,Note,restricted\n",
        ),
    ];
    for (name, csv) in cases {
        let Ingested {
            workspace,
            batch,
            code,
            report,
        } = made(
            name,
            &[
                ("objects/f/a.jpg", photo("a")),
                ("objects/f/b.jpg", photo("b")),
                ("objects/f/sub/c.jpg", photo("c")),
                ("objects/f/sub/note.md", text("secret note\n")),
                ("metadata/metadata.csv", text(csv)),
            ],
        );
        assert_eq!(code, 1, "{name}");
        assert!(
            added(&report).is_empty(),
            "{name}: {:#?}",
            problems(&report)
        );
        for file in [
            "objects/f/a.jpg",
            "objects/f/b.jpg",
            "objects/f/sub/c.jpg",
            "objects/f/sub/note.md",
        ] {
            assert_eq!(fate(&report, file), "refused", "{name}: {file}");
        }
        assert!(record(&workspace, "f").is_none(), "{name}");
        assert_every_file_accounted(&batch, &report);
    }

    let workspace = Workspace::new();
    let batch = make_batch(
        &workspace,
        "exact",
        &[
            ("objects/f/a.jpg", photo("a")),
            ("objects/f/b.jpg", photo("b")),
            (
                "metadata/metadata.csv",
                text(
                    "filename,dc.title,access\nobjects/f,Folder,public\nobjects/f/a.jpg,Secret A,restricted\n",
                ),
            ),
        ],
    );
    let (_, report) = workspace.ingest(&batch, &[]);
    let conflict = "rows 2, 3 claim the same files (row 2 names 'objects/f', row 3 names 'objects/f/a.jpg'): a file belongs to one record only, so none of them is ingested; describe the folder or the files in it, not both";
    let held = "not ingested: rows 2, 3 of metadata/metadata.csv may describe this file but could not be used (see the errors there); fix them and ingest again";
    assert_eq!(
        problems(&report),
        [
            format!("error: metadata/metadata.csv, row 2, column filename: {conflict}"),
            format!("error: metadata/metadata.csv, row 3, column filename: {conflict}"),
            format!("error: objects/f/a.jpg: {held}"),
            format!("error: objects/f/b.jpg: {held}"),
        ]
    );
    assert_eq!(
        report["rejected"],
        serde_json::json!(["objects/f/a.jpg", "objects/f/b.jpg"])
    );
}

/// A row that names a file only loosely (another case) inside a folder another row describes:
/// it was probably meant for that file, so the folder record may not take it.
#[test]
fn a_row_naming_a_file_loosely_holds_it_back_from_another_record() {
    let Ingested {
        workspace: _workspace,
        batch,
        code,
        report,
        ..
    } = made(
        "near",
        &[
            ("objects/f/a.jpg", photo("a")),
            ("objects/f/b.jpg", photo("b")),
            (
                "metadata/metadata.csv",
                text(
                    "filename,dc.title,access\nobjects/f,Folder,public\nobjects/F/A.jpg,Secret A,restricted\n",
                ),
            ),
        ],
    );
    assert_eq!(code, 1);
    assert!(added(&report).is_empty(), "{:#?}", problems(&report));
    assert_eq!(
        problems(&report),
        [
            "error: metadata/metadata.csv, row 2, column filename: not ingested: 'objects/f/a.jpg' may also be described by row 3 of metadata/metadata.csv, which could not be read with certainty; fix that row and ingest again",
            "error: metadata/metadata.csv, row 3, column filename: there is no file or folder 'objects/F/A.jpg' in the batch; did you mean 'objects/f/a.jpg'? Nothing it may describe is ingested until it is fixed",
            "error: objects/f/a.jpg: not ingested: rows 2, 3 of metadata/metadata.csv may describe this file but could not be used (see the errors there); fix them and ingest again",
            "error: objects/f/b.jpg: not ingested: row 2 of metadata/metadata.csv may describe this file but could not be used (see the error there); fix it and ingest again",
        ]
    );
    assert_every_file_accounted(&batch, &report);
}

// ---- Leak 2: Markdown access ----

/// Any disagreement about access between a row, a folder row and front matter (of a text or of
/// its English translation) refuses the record, naming both places.
#[test]
fn a_disagreement_about_access_refuses_the_record_naming_both_places() {
    let restricted = "---\naccess: restricted\n---\nsecret text\n";
    let cases: Vec<(&str, Files, Vec<&str>, &str)> = vec![
        (
            "text in a public folder",
            folder_with_note(
                restricted,
                "filename,dc.title,access\nobjects/f,Folder,public\n",
            ),
            vec!["objects/f/a.jpg", "objects/f/note.md"],
            "error: objects/f/note.md, column access: its front matter says access: restricted, but it lies in the folder that row 2 of metadata/metadata.csv describes as one record with access public; make them agree, or move the text out of that folder and describe it on its own",
        ),
        (
            "text in a folder whose row states no access",
            folder_with_note(restricted, "filename,dc.title\nobjects/f,Folder\n"),
            vec!["objects/f/a.jpg", "objects/f/note.md"],
            "error: objects/f/note.md, column access: its front matter says access: restricted, but it lies in the folder that row 2 of metadata/metadata.csv describes as one record with access public (by default); make them agree, or move the text out of that folder and describe it on its own",
        ),
        (
            "a key that may mean access in a text inside a folder",
            folder_with_note(
                "---\nAccess Level: restricted\n---\nsecret\n",
                "filename,dc.title,access\nobjects/f,Folder,public\n",
            ),
            vec!["objects/f/a.jpg", "objects/f/note.md"],
            "error: objects/f/note.md, column Access Level: 'Access Level' is not a key Disan knows, and it may say who may see the text: did you mean access? It lies in the folder that row 2 of metadata/metadata.csv describes as one record, so that record is not ingested",
        ),
        (
            "front matter against its row",
            vec![
                ("objects/kt/n.md", text(restricted)),
                (
                    "metadata/metadata.csv",
                    text("filename,dc.title,access\nobjects/kt/n.md,N,public\n"),
                ),
            ],
            vec!["objects/kt/n.md"],
            "error: metadata/metadata.csv, row 2, column access: row 2 of metadata/metadata.csv says access: public, but the front matter of objects/kt/n.md says access: restricted; make them agree",
        ),
        (
            "translation against the row of its original",
            vec![
                ("objects/kt/n.md", text("văn bản\n")),
                ("objects/kt/n.en.md", text(restricted)),
                (
                    "metadata/metadata.csv",
                    text("filename,dc.title,access\nobjects/kt/n.md,N,public\n"),
                ),
            ],
            vec!["objects/kt/n.md", "objects/kt/n.en.md"],
            "error: metadata/metadata.csv, row 2, column access: row 2 of metadata/metadata.csv says access: public, but the front matter of objects/kt/n.en.md says access: restricted; make them agree",
        ),
        (
            "translation against its original",
            vec![
                ("objects/kt/n.md", text(restricted)),
                (
                    "objects/kt/n.en.md",
                    text("---\naccess: public\ndc.title: Dyeing\n---\nsecret English\n"),
                ),
            ],
            vec!["objects/kt/n.md", "objects/kt/n.en.md"],
            "error: objects/kt/n.en.md, column access: the front matter of objects/kt/n.en.md says access: public, but the front matter of objects/kt/n.md says access: restricted; a text and its translation are one record, so they must agree",
        ),
    ];
    for (name, files, refused, message) in cases {
        let Ingested {
            workspace: _workspace,
            batch,
            code,
            report,
            ..
        } = made("md", &files);
        assert_eq!(code, 1, "{name}");
        assert!(
            added(&report).is_empty(),
            "{name}: {:#?}",
            problems(&report)
        );
        assert_eq!(problems(&report), [message], "{name}");
        for file in refused {
            assert_eq!(fate(&report, file), "refused", "{name}: {file}");
        }
        assert_every_file_accounted(&batch, &report);
    }

    // Front matter stating access, a row leaving it empty: the front matter's access holds.
    let Ingested {
        workspace,
        code,
        report,
        ..
    } = made(
        "agree",
        &[
            ("objects/kt/n.md", text(restricted)),
            (
                "metadata/metadata.csv",
                text("filename,dc.title,access\nobjects/kt/n.md,N,\n"),
            ),
        ],
    );
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(
        record(&workspace, "kt-n").unwrap().access,
        Access::Restricted
    );
}

// ---- Leak 3: access is never loosened implicitly ----

/// Re-ingesting without an access column, or with an emptied cell, keeps the archived access;
/// loosening it needs an explicit value and is reported.
#[test]
fn access_is_never_loosened_implicitly() {
    let workspace = Workspace::new();
    let batch = make_batch(&workspace, "re", &[("objects/s.jpg", photo("s"))]);
    let sheet = |csv: &str| fs::write(batch.join("metadata/metadata.csv"), csv).unwrap();
    fs::create_dir_all(batch.join("metadata")).unwrap();
    sheet("filename,dc.title,access\nobjects/s.jpg,Secret,restricted\n");
    assert_eq!(workspace.ingest(&batch, &[]).0, 0);

    for csv in [
        "filename,dc.title\nobjects/s.jpg,Secret renamed\n",
        "filename,dc.title,access\nobjects/s.jpg,Secret,\n",
    ] {
        sheet(csv);
        let (code, report) = workspace.ingest(&batch, &[]);
        assert_eq!(code, 0, "{csv}: {:#?}", problems(&report));
        assert!(
            problems(&report).is_empty(),
            "{csv}: {:#?}",
            problems(&report)
        );
        assert_eq!(
            record(&workspace, "s").unwrap().access,
            Access::Restricted,
            "{csv}"
        );
    }
    // Without any metadata, the undescribed file keeps the record restricted too.
    fs::remove_file(batch.join("metadata/metadata.csv")).unwrap();
    workspace.ingest(&batch, &["--replace-descriptions"]);
    assert_eq!(record(&workspace, "s").unwrap().access, Access::Restricted);

    sheet("filename,dc.title,access\nobjects/s.jpg,Secret,public\n");
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0);
    assert_eq!(
        problems(&report),
        [
            "warning: metadata/metadata.csv, row 2, column access: access changes from restricted to public for record 's', as stated"
        ]
    );
    assert_eq!(record(&workspace, "s").unwrap().access, Access::Public);
}

// ---- Leak 4: a metadata sheet Disan does not read ----

/// A file that looks like a metadata sheet other than the one read, or two sheets, refuse the
/// whole batch, naming the sheet.
#[test]
fn a_metadata_sheet_in_the_wrong_place_or_name_refuses_the_whole_batch() {
    let csv = "filename,dc.title,access\nobjects/s.jpg,S,restricted\n";
    for (sheets, message) in [
        (
            vec!["metadata/Metadata.csv"],
            "nothing in the batch was ingested: the batch holds the metadata sheet 'metadata/Metadata.csv', but Disan reads exactly one, metadata/metadata.csv (or metadata.csv at the batch root), saved as CSV UTF-8; keep one sheet there with that name, so that no row in another is passed over",
        ),
        (vec!["metadata/metadata.CSV"], ""),
        (vec!["metadata/metadata (1).csv"], ""),
        (vec!["metadata/metadata.xlsx"], ""),
        (vec!["objects/metadata.csv"], ""),
        (
            vec!["metadata.csv", "metadata/metadata.csv"],
            "nothing in the batch was ingested: the batch holds 2 metadata sheets ('metadata.csv', 'metadata/metadata.csv'), but Disan reads exactly one, metadata/metadata.csv (or metadata.csv at the batch root), saved as CSV UTF-8; keep one sheet there with that name, so that no row in another is passed over",
        ),
        (
            vec!["metadata/metadata.csv", "objects/anh/METADATA.tsv"],
            "",
        ),
        (vec!["objects/Copy of metadata.csv"], ""),
    ] {
        let workspace = Workspace::new();
        let mut files = vec![("objects/s.jpg", photo("s"))];
        files.extend(sheets.iter().map(|sheet| (*sheet, text(csv))));
        let batch = make_batch(&workspace, "sheets", &files);
        let (code, report) = workspace.ingest(&batch, &[]);
        assert_eq!(code, 1, "{sheets:?}");
        assert!(added(&report).is_empty(), "{sheets:?}");
        assert_eq!(fate(&report, "objects/s.jpg"), "refused", "{sheets:?}");
        for sheet in &sheets {
            assert_eq!(fate(&report, sheet), "refused", "{sheet}");
        }
        let errors = problems(&report);
        assert_eq!(errors.len(), sheets.len(), "{errors:#?}");
        if !message.is_empty() {
            let expected: Vec<String> = sheets
                .iter()
                .map(|sheet| format!("error: {sheet}: {message}"))
                .collect();
            assert_eq!(errors, expected);
        }
        assert_every_file_accounted(&batch, &report);
    }
}

// ---- Leak 5: front matter written loosely ----

/// Fences with a blank line or BOM before them, or spaces around them, are still front matter;
/// a text whose top reads as front matter but is not is refused, never published as its body.
#[test]
fn loosely_written_front_matter_is_read_or_refused_never_published_as_text() {
    let Ingested {
        workspace,
        batch,
        code,
        report,
    } = made(
        "fences",
        &[
            (
                "objects/kt/a.md",
                text("\n---\naccess: restricted\n---\nsecret a\n"),
            ),
            (
                "objects/kt/b.md",
                text("--- \naccess: restricted\n---\nsecret b\n"),
            ),
            (
                "objects/kt/c.md",
                text("---\naccess: restricted\n--- \nsecret c\n"),
            ),
            (
                "objects/kt/d.md",
                text("\u{feff}\n---\r\naccess: restricted\r\n---\r\nsecret d\r\n"),
            ),
            (
                "objects/kt/e.md",
                text(" ---\naccess: restricted\n ---\nsecret e\n"),
            ),
            ("objects/kt/f.md", text("access: restricted\n\nsecret f\n")),
            (
                "objects/kt/g.md",
                text("Bí kíp\naccess: restricted\n\nsecret g\n"),
            ),
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(added(&report), ["kt-a", "kt-b", "kt-c", "kt-d", "kt-e"]);
    for id in ["kt-a", "kt-b", "kt-c", "kt-d", "kt-e"] {
        let record = record(&workspace, id).unwrap();
        assert_eq!(record.access, Access::Restricted, "{id}");
    }
    assert_eq!(
        problems(&report),
        [
            "error: objects/kt/f.md: the text begins with 'access: restricted', which looks like front matter but is not between two '---' lines at the very top; fix the front matter so that its metadata (and access) are read, not published as text",
            "error: objects/kt/g.md: the text begins with 'access: restricted', which looks like front matter but is not between two '---' lines at the very top; fix the front matter so that its metadata (and access) are read, not published as text",
        ]
    );
    assert_eq!(fate(&report, "objects/kt/f.md"), "refused");
    assert_eq!(fate(&report, "objects/kt/g.md"), "refused");
    assert_every_file_accounted(&batch, &report);
}

// ---- Leak 6: copies of a file held back ----

/// An undescribed (or described) byte-identical copy of a file held back is held back too.
#[test]
fn a_copy_of_a_file_held_back_is_held_back_too() {
    let workspace = Workspace::new();
    let secret = photo("secret");
    let batch = make_batch(
        &workspace,
        "copies",
        &[
            ("objects/s.jpg", secret.clone()),
            ("objects/copy.jpg", secret.clone()),
            ("objects/anh/copy2.jpg", secret),
            ("objects/p.jpg", photo("p")),
            (
                "metadata/metadata.csv",
                text(
                    "filename,dc.title,access\nobjects/s.jpg,S,restricted,\nobjects/p.jpg,P,public\nobjects/anh/copy2.jpg,Copy,public\n",
                ),
            ),
        ],
    );
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 1);
    assert_eq!(added(&report), ["p"]);
    assert_eq!(
        reason(&report, "objects/copy.jpg"),
        "not ingested: it holds the same bytes as 'objects/s.jpg', which was not ingested; a copy of a file held back is held back too"
    );
    assert_eq!(
        reason(&report, "objects/anh/copy2.jpg"),
        "not ingested: it holds the same bytes as 'objects/s.jpg', which was not ingested; a copy of a file held back is held back too"
    );
    assert!(problems(&report).contains(&"error: objects/copy.jpg: not ingested: it holds the same bytes as 'objects/s.jpg', which was not ingested; a copy of a file held back is held back too".to_string()));
    assert_eq!(
        report["rejected"],
        serde_json::json!(["objects/anh/copy2.jpg", "objects/copy.jpg", "objects/s.jpg"])
    );
    assert_every_file_accounted(&batch, &report);
}

// ---- Leak 7: links and special files ----

/// Every symbolic link is refused (it may point at a hidden file or at the metadata sheet), and
/// so is every named pipe or socket: each has a fate.
#[cfg(unix)]
#[test]
fn links_pipes_and_sockets_are_refused_with_a_fate() {
    let workspace = Workspace::new();
    let batch = make_batch(
        &workspace,
        "links",
        &[
            ("objects/.hidden/s.jpg", photo("s")),
            ("objects/ok.jpg", photo("ok")),
            (
                "metadata/metadata.csv",
                text("filename,dc.title\nobjects/ok.jpg,OK\n"),
            ),
        ],
    );
    std::os::unix::fs::symlink(".hidden/s.jpg", batch.join("objects/pub.jpg")).unwrap();
    std::os::unix::fs::symlink("../metadata/metadata.csv", batch.join("objects/meta.csv")).unwrap();
    std::os::unix::fs::symlink(".hidden", batch.join("objects/linkdir")).unwrap();
    let fifo = batch.join("objects/fifo.jpg");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let _socket = std::os::unix::net::UnixListener::bind(batch.join("objects/sock")).unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 1);
    assert_eq!(added(&report), ["ok"]);
    let link = "a symbolic link; copy the file itself into the batch";
    let special =
        "not a regular file (a named pipe, socket or device); it has no content to ingest";
    let mut expected = vec![
        format!("error: objects/linkdir: {link}"),
        format!("error: objects/meta.csv: {link}"),
        format!("error: objects/pub.jpg: {link}"),
        format!("error: objects/sock: {special}"),
    ];
    if made {
        expected.insert(0, format!("error: objects/fifo.jpg: {special}"));
        assert_eq!(fate(&report, "objects/fifo.jpg"), "refused");
    }
    assert_eq!(problems(&report), expected);
    for file in ["objects/pub.jpg", "objects/meta.csv", "objects/sock"] {
        assert_eq!(fate(&report, file), "refused", "{file}");
    }
    assert!(fate(&report, "objects/.hidden/s.jpg").starts_with("ignored"));
}

// ---- Leak 8: headers that may mean access ----

/// Header names are normalised before matching; a column that may mean access is never passed
/// over; an access word in dc.rights while access is public or absent is an error on that row.
#[test]
fn headers_that_may_mean_access_are_understood_or_refused() {
    for header in ["\u{feff}access", "Access", " ACCESS ", "ac\u{200b}cess"] {
        let csv = format!("filename,dc.title,{header}\nobjects/s.jpg,Secret,restricted\n");
        let Ingested {
            workspace,
            code,
            report,
            ..
        } = made("hdr", &photo_described_by(&csv));
        assert_eq!(code, 0, "{header:?}: {:#?}", problems(&report));
        assert_eq!(
            record(&workspace, "s").unwrap().access,
            Access::Restricted,
            "{header:?}"
        );
    }
    let Ingested { code, report, .. } = made(
        "level",
        &photo_described_by("filename,dc.title,Access Level\nobjects/s.jpg,Secret,restricted\n"),
    );
    assert_eq!(code, 1);
    assert!(added(&report).is_empty());
    assert_eq!(
        problems(&report),
        [
            "error: metadata/metadata.csv: nothing in the batch was ingested because metadata/metadata.csv cannot be used (see the error there); fix it and ingest again",
            "error: metadata/metadata.csv, row 1, column Access Level: the column 'Access Level' is not one Disan knows, and it may say who may see the files: did you mean access? Name it access (values: public, researchers, restricted, community:<group-id>), or remove it; nothing in the batch was ingested",
        ]
    );
    assert_eq!(fate(&report, "objects/s.jpg"), "refused");

    for header in ["Quyền truy cập", "Visibility"] {
        let csv = format!("filename,dc.title,{header}\nobjects/s.jpg,Secret,restricted\n");
        let Ingested { code, report, .. } = made("vi", &photo_described_by(&csv));
        assert_eq!(code, 1, "{header}");
        assert!(added(&report).is_empty(), "{header}");
        assert!(
            problems(&report)[1].contains("did you mean access?"),
            "{header}"
        );
    }

    for (csv, message) in [
        (
            "filename,dc.title,trạng thái\nobjects/s.jpg,Secret,Hạn chế\n",
            "error: metadata/metadata.csv, row 2, column trạng thái: 'trạng thái' says 'hạn chế', an access level, but access is not stated: write public, researchers, restricted or community:<group-id> in the access column",
        ),
        (
            "filename,dc.title,dc.rights\nobjects/s.jpg,Secret,restricted\n",
            "error: metadata/metadata.csv, row 2, column dc.rights: 'dc.rights' says 'restricted', an access level, but access is not stated: write public, researchers, restricted or community:<group-id> in the access column",
        ),
        (
            "filename,dc.title,dc.rights,access\nobjects/s.jpg,Secret,Tài liệu nội bộ,public\n",
            "error: metadata/metadata.csv, row 2, column dc.rights: 'dc.rights' says 'nội bộ', an access level, but access says public: write public, researchers, restricted or community:<group-id> in the access column",
        ),
    ] {
        let Ingested { code, report, .. } = made("rights", &photo_described_by(csv));
        assert_eq!(code, 1, "{csv}");
        assert!(added(&report).is_empty(), "{csv}");
        assert_eq!(problems(&report)[0], message);
        assert_eq!(fate(&report, "objects/s.jpg"), "refused");
    }
}

// ---- Leak 9: swallowed rows written loosely ----

/// A quote left open swallowed a row whose path is indented, bare, written in another case or
/// in another Unicode form: the swallowed file is held back all the same.
#[test]
fn a_swallowed_row_is_found_however_its_path_is_written() {
    for line in [
        "\t\tobjects/b\u{e9}.jpg,B,x",
        "b\u{e9}.jpg,B,x",
        "OBJECTS/B\u{c9}.JPG,B,x",
        "objects/be\u{301}.jpg,B,x",
        " ./objects\\b\u{e9}.jpg,B,x",
    ] {
        let workspace = Workspace::new();
        let csv = format!(
            "filename,dc.title,dc.description,access\nobjects/a.jpg,A,\"desc\n{line}\",restricted\n"
        );
        let batch = make_batch(
            &workspace,
            "swallowed",
            &[
                ("objects/a.jpg", photo("a")),
                ("objects/b\u{e9}.jpg", photo("b")),
                ("metadata/metadata.csv", text(&csv)),
            ],
        );
        let (code, report) = workspace.ingest(&batch, &[]);
        assert_eq!(code, 1, "{line:?}");
        assert!(
            added(&report).is_empty(),
            "{line:?}: {:#?}",
            problems(&report)
        );
        assert_eq!(fate(&report, "objects/b\u{e9}.jpg"), "refused", "{line:?}");
        assert_eq!(fate(&report, "objects/a.jpg"), "refused", "{line:?}");
        assert_every_file_accounted(&batch, &report);
    }
}

// ---- Lost or misattributed ----

/// With `--replace-descriptions`, a record losing its restricted master keeps its access, says
/// which file it loses, and a copy of the master is not "deduplicated" against a record that no
/// longer holds those bytes.
#[test]
fn replacing_descriptions_never_drops_a_master_silently_nor_opens_the_record() {
    let workspace = Workspace::new();
    let master = archive_master(&workspace, "restricted");
    let second = make_batch(
        &workspace,
        "second",
        &[
            ("objects/anh/s.jpg", photo("s")),
            ("objects/anh/copy-of-master.tif", master),
        ],
    );
    let (code, report) = workspace.ingest(&second, &["--replace-descriptions"]);
    assert_eq!(code, 1);
    assert_eq!(ids(&report, "records", "updated"), ["anh-s"]);
    let archived = record(&workspace, "anh-s").unwrap();
    assert_eq!(archived.access, Access::Restricted);
    assert_eq!(fate(&report, "objects/anh/copy-of-master.tif"), "refused");
    let problems = problems(&report);
    assert_eq!(
        problems[0],
        "error: objects/anh/copy-of-master.tif: not ingested: record 'anh-s' held these bytes, but this batch gives it a new version without them; describe this file in metadata.csv (with its access) to keep it as a record of its own"
    );
    assert!(
        problems.contains(&"warning: objects/anh/s.jpg: record 'anh-s' no longer holds 'files/s.tif' in its new version (earlier versions of the archive keep it)".to_string()),
        "{problems:#?}"
    );
    assert_every_file_accounted(&second, &report);
}

/// An undescribed record that would hold, besides new files, the bytes of a record that is not
/// public is refused: the copy would otherwise be public.
#[test]
fn an_undescribed_copy_of_content_that_is_not_public_never_goes_in_public() {
    let workspace = Workspace::new();
    let master = archive_master(&workspace, "researchers");
    let second = make_batch(
        &workspace,
        "second",
        &[
            ("objects/moi/t.tif", master),
            ("objects/moi/t.jpg", photo("new access copy")),
        ],
    );
    let (code, report) = workspace.ingest(&second, &[]);
    assert_eq!(code, 1);
    assert!(added(&report).is_empty());
    let message = "not ingested: it holds the same bytes as record 'anh-s', whose access is researchers; nothing describes this copy, so it would be public: describe it in metadata.csv with its access";
    assert_eq!(
        problems(&report),
        [format!("error: objects/moi/t.tif: {message}")]
    );
    assert_eq!(
        report["files"]["objects/moi/t.jpg"]["reason"],
        format!(
            "not ingested: record 'moi-t' was refused because of 'objects/moi/t.tif' ({message})"
        )
    );
    assert_every_file_accounted(&second, &report);
}

/// A master and its access copy group whatever the case of their names.
#[test]
fn a_master_and_its_access_copy_group_ignoring_case() {
    let Ingested {
        workspace,
        code,
        report,
        ..
    } = made(
        "case",
        &[
            ("objects/so/DSC_1.TIF", master()),
            ("objects/so/dsc_1.jpg", photo("access copy")),
            (
                "metadata/metadata.csv",
                text("filename,dc.title,access\nobjects/so/DSC_1.TIF,M,restricted\n"),
            ),
        ],
    );
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(added(&report), ["so-dsc-1"]);
    assert_eq!(fate(&report, "objects/so/dsc_1.jpg"), "stored:so-dsc-1");
    assert_eq!(
        record(&workspace, "so-dsc-1").unwrap().access,
        Access::Restricted
    );
}

/// Two files whose names differ only in case, with the same extension, are two photos, not a
/// master and its copy: their ids collide, so one is refused, naming the other.
#[test]
fn case_twins_with_one_extension_are_not_grouped() {
    let Ingested {
        workspace,
        code,
        report,
        ..
    } = made(
        "twins",
        &[
            ("objects/A.jpg", photo("upper")),
            ("objects/a.jpg", photo("lower")),
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(added(&report), ["a"]);
    assert_eq!(fate(&report, "objects/A.jpg"), "stored:a");
    assert_eq!(
        problems(&report),
        [
            "error: objects/a.jpg: record id 'a' is already used by 'objects/A.jpg' in this batch; give one of them a dc.identifier"
        ]
    );
    assert_eq!(record(&workspace, "a").unwrap().files.len(), 1);
}

// ---- Messages ----

/// A broken row over a record already archived says the record stays as it was, with its access.
#[test]
fn a_broken_row_over_an_archived_record_says_it_stays_as_archived() {
    let workspace = Workspace::new();
    let batch = workspace.batch("ragged-row");
    assert_eq!(workspace.ingest(&batch, &[]).0, 1);
    fs::write(
        batch.join("metadata/metadata.csv"),
        "filename,dc.title,access\nobjects/open.jpg,Now secret,restricted,\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 1);
    assert!(problems(&report).contains(&"error: objects/open.jpg: not ingested: row 2 of metadata/metadata.csv may describe this file but could not be used (see the error there); fix it and ingest again; the archive keeps record 'open' as it was, with access public".to_string()), "{:#?}", problems(&report));
}

/// A folder record refused for an empty file names that file as the reason for the others.
#[test]
fn the_other_files_of_a_refused_record_name_the_file_at_fault() {
    let Ingested { code, report, .. } = made(
        "folder",
        &[
            ("objects/f/x.jpg", Vec::new()),
            ("objects/f/y.jpg", photo("y")),
            (
                "metadata/metadata.csv",
                text("filename,kind,access\nobjects/f,photo,restricted\n"),
            ),
        ],
    );
    assert_eq!(code, 1);
    let empty =
        "the file is empty (0 bytes), so it cannot be a photo; copy it again from the original";
    assert_eq!(reason(&report, "objects/f/x.jpg"), empty);
    assert_eq!(
        reason(&report, "objects/f/y.jpg"),
        format!("not ingested: record 'f' was refused because of 'objects/f/x.jpg' ({empty})")
    );
    assert_eq!(
        report["rejected"],
        serde_json::json!(["objects/f/x.jpg", "objects/f/y.jpg"])
    );
}

/// The text report escapes direction overrides and other format characters, does not repeat
/// "ignored", and prints the same lines, in the same order, in a dry run and in the real run.
#[test]
fn the_text_report_is_stable_and_cannot_be_reordered_by_a_file_name() {
    let workspace = Workspace::new();
    let batch = make_batch(
        &workspace,
        "text",
        &[
            ("objects/bidi\u{202e}gpj.exe", Vec::new()),
            ("objects/a.jpg", photo("a")),
            ("objects/b.jpg", photo("b")),
            ("objects/c.jpg", photo("c")),
            ("objects/Thumbs.db", text("y")),
        ],
    );
    let run = |extra: &[&str]| {
        let output = workspace
            .disan()
            .arg("ingest")
            .args(extra)
            .arg(&batch)
            .output()
            .unwrap();
        String::from_utf8(output.stderr).unwrap()
    };
    let dry = run(&["--dry-run"]);
    let real = run(&[]);
    assert_eq!(dry, real);
    assert_eq!(
        real.lines().collect::<Vec<_>>(),
        [
            "added     a (1 file)",
            "added     b (1 file)",
            "added     c (1 file)",
            "error: objects/bidi\\u{202e}gpj.exe: the file is empty (0 bytes), probably from a failed copy; copy it again, or say its kind in metadata.csv if an empty file is meant",
            "ignored: Windows system file (1) (--json lists every file)",
        ]
    );
}
