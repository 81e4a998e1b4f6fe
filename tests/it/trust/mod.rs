//! Nothing handed over is lost silently, and nothing is published by default that a row may have
//! restricted: the regression tests of issue 10's ingest side, one per fault found
//! (`/work/shared/cases/…`), and the other inputs of the same kinds.
//!
//! Every test also checks the ledger: each file of the batch on disk has exactly one fate in the
//! report.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use disan::archive::Archive;
use disan::model::{Access, Kind, RecordId};
use serde_json::Value;

use crate::support::{Workspace, ids, problems};

mod findings;

/// Every file under `batch` as the report keys it (`/`-separated, as written on disk).
fn files_on_disk(batch: &Path) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut stack = vec![batch.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else {
                let relative = entry.path().strip_prefix(batch).unwrap().to_owned();
                found.insert(relative.to_str().unwrap().replace('\\', "/"));
            }
        }
    }
    found
}

/// The invariant: every file of the batch is accounted for exactly once, and only those.
fn assert_every_file_accounted(batch: &Path, report: &Value) {
    let fates: BTreeSet<String> = report["files"]
        .as_object()
        .expect("the report lists every file")
        .keys()
        .map(|key| {
            // The report keys files by their NFC name; compare with what is on disk.
            let on_disk = files_on_disk(batch);
            if on_disk.contains(key) {
                key.clone()
            } else {
                on_disk
                    .into_iter()
                    .find(|path| disan::model::text::nfc(path) == key.as_str())
                    .unwrap_or_else(|| key.clone())
            }
        })
        .collect();
    assert_eq!(
        fates,
        files_on_disk(batch),
        "the ledger does not match the batch"
    );
    assert!(
        !problems(report)
            .iter()
            .any(|p| p.contains("a fault in Disan")),
        "{:#?}",
        problems(report)
    );
}

/// The fate of `path`: `stored:ID`, `deduplicated:ID`, `ignored:REASON`, `refused`, `metadata`.
fn fate(report: &Value, path: &str) -> String {
    let fate = &report["files"][path];
    match fate["outcome"].as_str() {
        Some("stored") => format!("stored:{}", fate["record"].as_str().unwrap()),
        Some("deduplicated") => format!("deduplicated:{}", fate["record"].as_str().unwrap()),
        Some("ignored") => format!("ignored:{}", fate["reason"].as_str().unwrap()),
        Some(other) => other.to_string(),
        None => panic!("{path} has no fate in {:#}", report["files"]),
    }
}

fn record(workspace: &Workspace, id: &str) -> Option<disan::model::Record> {
    Archive::open(&workspace.archive())
        .ok()?
        .record(&RecordId::parse(id).unwrap())
        .unwrap()
}

// ---- A row that could not be read never lets its file go in public ----

/// adv-csv-ragged-row-publishes-restricted: `restricted` row with one trailing comma.
#[test]
fn a_row_with_a_trailing_comma_holds_its_file_back_instead_of_publishing_it() {
    let workspace = Workspace::new();
    let batch = workspace.batch("ragged-row");
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 1);
    assert_eq!(ids(&report, "records", "added"), ["open"]);
    assert_eq!(
        problems(&report),
        [
            "error: metadata/metadata.csv, row 3: the row has 4 cells but the header names 3 columns (a stray comma, or a quote left open?); nothing it may describe is ingested until it is fixed",
            "error: objects/secret.jpg: not ingested: row 3 of metadata/metadata.csv may describe this file but could not be used (see the error there); fix it and ingest again",
        ]
    );
    assert_eq!(fate(&report, "objects/secret.jpg"), "refused");
    assert!(record(&workspace, "secret").is_none());
    assert_every_file_accounted(&batch, &report);
}

/// The same kind of fault, other inputs: each metadata.csv holds back `objects/secret.jpg`
/// (and whatever else a broken row may describe) with the exact error named.
#[test]
fn every_row_that_cannot_be_read_with_certainty_holds_back_what_it_may_describe() {
    let cases: &[(&str, &str, &[&str], &[&str])] = &[
        (
            "too few cells, the access level moved left (a cell left out)",
            "filename,dc.title,access\nobjects/open.jpg,Open photo,public\nobjects/secret.jpg,restricted\n",
            &["open"],
            &[
                "error: metadata/metadata.csv, row 3: the row has 2 cells but the header names 3 columns, and an earlier cell holds an access level while the access cell is missing (a cell left out, or a quote left open?); nothing it may describe is ingested until it is fixed",
            ],
        ),
        (
            "an unclosed quote swallows the next row (too few cells left)",
            "filename,dc.title,access\nobjects/open.jpg,\"Open photo,public\nobjects/secret.jpg,Secret photo,restricted\n",
            &[],
            &[
                "error: metadata/metadata.csv, row 2: the row has 2 cells but the header names 3 columns, and an earlier cell holds an access level while the access cell is missing (a cell left out, or a quote left open?); nothing it may describe is ingested until it is fixed",
            ],
        ),
        (
            "an unclosed quote in the middle swallows a row, and the cell count still fits",
            "filename,dc.title,access\nobjects/open.jpg,\"Open photo,public\nobjects/secret.jpg,Secret photo\",restricted\n",
            &[],
            &[
                "error: metadata/metadata.csv, row 2, column dc.title: this cell holds line breaks followed by the batch path 'objects/secret.jpg': a quote was probably left open and swallowed the rows that described it; nothing this row may describe is ingested until it is fixed",
            ],
        ),
        (
            "an invalid access value",
            "filename,dc.title,access\nobjects/open.jpg,Open photo,public\nobjects/secret.jpg,Secret photo,privat\n",
            &["open"],
            &[
                "error: metadata/metadata.csv, row 3, column access: 'privat' is not an access level; use one of: public, researchers, restricted, community:<group-id>",
            ],
        ),
        (
            "a bad dc.date on a restricted row",
            "filename,dc.title,dc.date,access\nobjects/open.jpg,Open photo,,public\nobjects/secret.jpg,Secret photo,2020-13-45,restricted\n",
            &["open"],
            &[
                "error: metadata/metadata.csv, row 3, column dc.date: \"2020-13-45\": month 13 does not exist",
            ],
        ),
        (
            "two rows for one file",
            "filename,dc.title,access\nobjects/open.jpg,Open photo,public\nobjects/secret.jpg,Secret photo,restricted\nobjects/secret.jpg,Secret photo,public\n",
            &["open"],
            &[
                "error: metadata/metadata.csv, row 3, column filename: 'objects/secret.jpg' is described by rows 3, 4; keep one row for it",
                "error: metadata/metadata.csv, row 4, column filename: 'objects/secret.jpg' is described by rows 3, 4; keep one row for it",
            ],
        ),
        (
            "a row naming no file (a typo) could have meant the undescribed one",
            "filename,dc.title,access\nobjects/open.jpg,Open photo,public\nobjects/secrte.jpg,Secret photo,restricted\n",
            &["open"],
            &[
                "error: metadata/metadata.csv, row 3, column filename: there is no file or folder 'objects/secrte.jpg' in the batch",
            ],
        ),
    ];
    for (what, csv, added, errors) in cases {
        let workspace = Workspace::new();
        let batch = workspace.batch("ragged-row");
        fs::write(batch.join("metadata/metadata.csv"), csv).unwrap();
        let (code, report) = workspace.ingest(&batch, &[]);
        assert_eq!(code, 1, "{what}");
        assert_eq!(ids(&report, "records", "added"), *added, "{what}");
        assert_eq!(fate(&report, "objects/secret.jpg"), "refused", "{what}");
        let problems = problems(&report);
        for error in *errors {
            assert!(
                problems.contains(&error.to_string()),
                "{what}: {problems:#?}"
            );
        }
        assert!(record(&workspace, "secret").is_none(), "{what}");
        assert_every_file_accounted(&batch, &report);
    }
}

/// A text whose own front matter gives its access describes itself: a broken row elsewhere does
/// not hold it back, while an undescribed photo is held back.
#[test]
fn a_text_describing_itself_goes_in_although_another_row_is_broken() {
    let workspace = Workspace::new();
    let batch = workspace.batch("ragged-row");
    fs::write(
        batch.join("objects/ghi-chu.md"),
        "---\ndc.title: Ghi chép\naccess: researchers\n---\nNội dung.\n",
    )
    .unwrap();
    fs::write(batch.join("objects/khong-mo-ta.md"), "Không có phần đầu.\n").unwrap();
    fs::write(
        batch.join("metadata/metadata.csv"),
        "filename,dc.title,access\nobjects/open.jpg,Open photo,public\nobjects/secrte.jpg,Secret photo,restricted\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 1);
    assert_eq!(ids(&report, "records", "added"), ["ghi-chu", "open"]);
    assert_eq!(
        record(&workspace, "ghi-chu").unwrap().access,
        Access::Researchers
    );
    assert_eq!(
        problems(&report),
        [
            "error: metadata/metadata.csv, row 3, column filename: there is no file or folder 'objects/secrte.jpg' in the batch",
            "error: objects/khong-mo-ta.md: not ingested: row 3 of metadata/metadata.csv names no file of the batch, and one may have been meant for this file; correct the filename column and ingest again",
            "error: objects/secret.jpg: not ingested: row 3 of metadata/metadata.csv names no file of the batch, and one may have been meant for this file; correct the filename column and ingest again",
        ]
    );
    assert_every_file_accounted(&batch, &report);
}

// ---- Names ----

/// adv-nfc-nfd-twin-silently-dropped, and the same for folders: both twins are refused, named.
#[cfg(target_os = "linux")]
#[test]
fn two_files_whose_names_differ_only_in_unicode_form_are_both_refused() {
    let workspace = Workspace::new();
    let batch = workspace.dir.path().join("twins");
    fs::create_dir_all(batch.join("objects")).unwrap();
    let nfc = "objects/caf\u{e9}.txt";
    let nfd = "objects/cafe\u{301}.txt";
    fs::write(batch.join(nfc), "written on Windows (NFC name)\n").unwrap();
    fs::write(
        batch.join(nfd),
        "written on a Mac (NFD name), different text\n",
    )
    .unwrap();
    fs::create_dir_all(batch.join("objects/l\u{e0}ng")).unwrap();
    fs::create_dir_all(batch.join("objects/la\u{300}ng")).unwrap();
    fs::write(batch.join("objects/l\u{e0}ng/a.txt"), "a").unwrap();
    fs::write(batch.join("objects/la\u{300}ng/b.txt"), "b").unwrap();
    fs::write(batch.join("objects/ok.txt"), "ok").unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 1);
    assert_eq!(ids(&report, "records", "added"), ["ok"]);
    let twins = "not ingested: this name is written in two Unicode forms by two different files ('objects/cafe\\u{301}.txt' and 'objects/caf\\u{e9}.txt'), as Windows and macOS spell accents differently; rename or merge them and ingest again";
    let folders = "not ingested: its folder 'objects/làng' is written in two Unicode forms by two different folders ('objects/la\\u{300}ng' and 'objects/l\\u{e0}ng'), as Windows and macOS spell accents differently; rename or merge them and ingest again";
    let mut expected = vec![
        format!("error: {nfd}: {twins}"),
        format!("error: {nfc}: {twins}"),
        format!("error: objects/la\u{300}ng/b.txt: {folders}"),
        format!("error: objects/l\u{e0}ng/a.txt: {folders}"),
    ];
    expected.sort();
    let mut found = problems(&report);
    found.sort();
    assert_eq!(found, expected);
    assert_eq!(fate(&report, nfc), "refused");
    assert_eq!(fate(&report, nfd), "refused");
    assert_every_file_accounted(&batch, &report);
}

/// ingest-master-access-same-stem: a TIFF master and its JPEG access copy are one record.
#[test]
fn a_master_and_its_access_copy_are_one_record_with_both_files() {
    let workspace = Workspace::new();
    let batch = workspace.batch("master-access");
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(
        ids(&report, "records", "added"),
        ["so-hoa-dsc-0412", "so-hoa-dsc-0413"]
    );
    let photo = record(&workspace, "so-hoa-dsc-0412").unwrap();
    let paths: Vec<&str> = photo.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["files/DSC_0412.jpg", "files/DSC_0412.tif"]);
    assert_eq!(photo.kind, Kind::Photo);
    assert_eq!(
        fate(&report, "objects/so-hoa/DSC_0412.tif"),
        "stored:so-hoa-dsc-0412"
    );
    assert_every_file_accounted(&batch, &report);
}

/// A master with no row joins the record its access copy's row describes, and takes its access.
#[test]
fn an_undescribed_master_takes_the_row_of_its_access_copy() {
    let workspace = Workspace::new();
    let batch = workspace.batch("master-access");
    fs::create_dir_all(batch.join("metadata")).unwrap();
    fs::write(
        batch.join("metadata/metadata.csv"),
        "filename,dc.title,access\nobjects/so-hoa/DSC_0412.jpg,Ảnh hạn chế,restricted\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(
        problems(&report),
        [
            "warning: objects/so-hoa/DSC_0412.tif: no row describes it, so it joins the record of 'objects/so-hoa/DSC_0412.jpg' (metadata/metadata.csv row 2): same name, another format (a master and its access copy are one record)"
        ]
    );
    let photo = record(&workspace, "so-hoa-dsc-0412").unwrap();
    assert_eq!(photo.access, Access::Restricted);
    assert_eq!(photo.files.len(), 2);
    assert_every_file_accounted(&batch, &report);
}

// ---- Same bytes, empty files ----

/// ingest-dedup-drops-row: two rows whose files have the same bytes are two records.
#[test]
fn two_described_rows_with_the_same_bytes_are_two_records() {
    let workspace = Workspace::new();
    let batch = workspace.batch("same-bytes-two-rows");
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(
        ids(&report, "records", "added"),
        [
            "ho-so-nghe-nhan-nghe-nhan-nguyen-van-a",
            "trien-lam-2023-trong-dai"
        ]
    );
    assert_eq!(
        problems(&report),
        [
            "warning: objects/ho-so-nghe-nhan/nghe-nhan-nguyen-van-a.jpg, row 3, column filename: the same content is also record 'trien-lam-2023-trong-dai'; kept as a record of its own with its own description"
        ]
    );
    let artisan = record(&workspace, "ho-so-nghe-nhan-nghe-nhan-nguyen-van-a").unwrap();
    assert_eq!(artisan.access, Access::Researchers);
    assert_eq!(artisan.dc["creator"][0].value, "Nghệ nhân làng Đọi Tam");
    let exhibition = record(&workspace, "trien-lam-2023-trong-dai").unwrap();
    assert_eq!(exhibition.access, Access::Public);
    assert_eq!(artisan.files[0].sha256, exhibition.files[0].sha256);
    assert_eq!(report["files_deduplicated"], 0);
    assert_every_file_accounted(&batch, &report);
    assert!(workspace.verify().status.success());
}

/// ingest-zero-byte: an empty photo is an error; an empty document whose row says its kind goes
/// in with a warning naming that row; nothing empty is deduplicated.
#[test]
fn empty_files_are_errors_unless_their_row_says_a_kind_without_media() {
    let workspace = Workspace::new();
    let batch = workspace.batch("zero-byte");
    fs::write(batch.join("objects/anh/khong-dong.png"), "").unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        ids(&report, "records", "added"),
        ["anh-mat-trong", "tai-lieu-bien-ban-kiem-ke"]
    );
    assert_eq!(
        problems(&report),
        [
            "error: objects/anh/khong-dong.png: the file is empty (0 bytes), probably from a failed copy; copy it again, or say its kind in metadata.csv if an empty file is meant",
            "error: objects/anh/nghe-nhan-bit-trong.jpg, row 3, column filename: the file is empty (0 bytes), so it cannot be a photo; copy it again from the original",
            "warning: objects/tai-lieu/bien-ban-kiem-ke.pdf, row 4, column kind: the file is empty (0 bytes); taken because its row says kind 'document'",
        ]
    );
    assert_eq!(report["files_deduplicated"], 0);
    assert_eq!(
        record(&workspace, "tai-lieu-bien-ban-kiem-ke")
            .unwrap()
            .access,
        Access::Researchers
    );
    assert_every_file_accounted(&batch, &report);
}

/// A row saying `photo` for a file holding no image is refused, whatever its size.
#[test]
fn a_photo_row_for_a_file_without_an_image_is_refused() {
    let workspace = Workspace::new();
    let batch = workspace.batch("zero-byte");
    fs::write(
        batch.join("objects/anh/nghe-nhan-bit-trong.jpg"),
        "not a picture\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 1);
    assert!(
        problems(&report).contains(&"error: objects/anh/nghe-nhan-bit-trong.jpg, row 3, column filename: its row says kind 'photo', but no file of the record holds one (found: Plain text)".to_string()),
        "{:#?}",
        problems(&report)
    );
    assert_every_file_accounted(&batch, &report);
}

/// A text named as a text (`.md`, `.txt`) whose row says `photo` or `film` describes a picture or
/// a film not handed over (the search-* cases are such batches): kept as described, with a
/// warning; the same bytes named `.jpg` are a broken copy and refused (above).
#[test]
fn a_text_described_as_a_photo_is_kept_with_a_warning() {
    let workspace = Workspace::new();
    let batch = workspace.dir.path().join("described");
    fs::create_dir_all(batch.join("objects")).unwrap();
    fs::create_dir_all(batch.join("metadata")).unwrap();
    fs::write(batch.join("objects/tranh.md"), "Mô tả bức tranh.\n").unwrap();
    fs::write(batch.join("objects/phim.txt"), "Mô tả bộ phim.\n").unwrap();
    fs::write(
        batch.join("metadata/metadata.csv"),
        "filename,dc.title,kind,access\nobjects/tranh.md,Tranh,photo,public\nobjects/phim.txt,Phim,film,public\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(
        problems(&report),
        [
            "warning: objects/phim.txt, row 3, column kind: its row says kind 'film', but the record holds only Plain text (no film was handed over); kept as described",
            "warning: objects/tranh.md, row 2, column kind: its row says kind 'photo', but the record holds only Markdown text (no photo was handed over); kept as described",
        ]
    );
    assert_eq!(
        record(&workspace, "tranh").unwrap().kind,
        disan::model::Kind::Photo
    );
    assert_every_file_accounted(&batch, &report);
}

// ---- Hidden and system files, stray files, empty and wrong folders ----

/// ingest-system-folders: trash, indexes, thumbnails and lock files are ignored and listed.
#[test]
fn hidden_and_system_files_are_ignored_and_listed() {
    let workspace = Workspace::new();
    let batch = workspace.batch("system-folders");
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(ids(&report, "records", "added"), ["anh-mat-trong"]);
    assert!(problems(&report).is_empty(), "{:#?}", problems(&report));
    let ignored: Vec<(String, String)> = files_on_disk(&batch)
        .into_iter()
        .filter(|path| !path.starts_with("metadata/") && path != "objects/anh/mat-trong.jpg")
        .map(|path| {
            let fate = fate(&report, &path);
            (path, fate)
        })
        .collect();
    let recycle = "$RECYCLE.BIN/S-1-5-21-1004336348-1177238915-682003330-1001";
    assert_eq!(
        ignored,
        [
            (
                format!("{recycle}/$I8K2QF1.jpg"),
                "ignored:Windows recycle bin".to_string()
            ),
            (
                format!("{recycle}/$R8K2QF1.jpg"),
                "ignored:Windows recycle bin".to_string()
            ),
            (
                ".Spotlight-V100/Store-V2/A1B2/store.db".into(),
                "ignored:hidden folder".into()
            ),
            (
                ".Trashes/501/anh-rieng-tu.jpg".into(),
                "ignored:hidden folder".into()
            ),
            (
                ".fseventsd/0000000000a1b2c3".into(),
                "ignored:hidden folder".into()
            ),
            (
                "System Volume Information/IndexerVolumeGuid".into(),
                "ignored:Windows system folder".into()
            ),
            (
                "System Volume Information/WPSettings.dat".into(),
                "ignored:Windows system folder".into()
            ),
            (
                "__MACOSX/objects/anh/._mat-trong.jpg".into(),
                "ignored:macOS archive residue (__MACOSX)".into()
            ),
            (
                "objects/anh/._mat-trong.jpg".into(),
                "ignored:macOS resource fork (._*)".into()
            ),
            (
                "objects/anh/.thumbnails/mat-trong.jpg".into(),
                "ignored:hidden folder".into()
            ),
            (
                "objects/anh/@eaDir/SYNOFILE_THUMB_M.jpg".into(),
                "ignored:NAS system folder".into()
            ),
            (
                "objects/anh/Thumbs.db".into(),
                "ignored:Windows system file".into()
            ),
            (
                "objects/anh/~$bien-ban.docx".into(),
                "ignored:Office lock file (~$*)".into()
            ),
            (
                "objects/desktop.ini".into(),
                "ignored:Windows system file".into()
            ),
        ]
    );
    assert_every_file_accounted(&batch, &report);
}

/// A note at the batch root is not part of the delivery: refused unless a row or its own front
/// matter describes it.
#[test]
fn a_file_outside_objects_that_nothing_describes_is_refused() {
    let workspace = Workspace::new();
    let batch = workspace.batch("system-folders");
    fs::write(batch.join("README.md"), "# Giao nhận\n\nUSB của anh Tâm.\n").unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 1);
    assert_eq!(ids(&report, "records", "added"), ["anh-mat-trong"]);
    assert_eq!(
        problems(&report),
        [
            "error: README.md: not ingested: it lies outside objects/ and no row of metadata/metadata.csv describes it; name it in the filename column or move it into objects/ to ingest it"
        ]
    );
    assert_every_file_accounted(&batch, &report);
}

/// An empty batch (or one holding only system files) says so and exits 1.
#[test]
fn an_empty_batch_says_so() {
    let workspace = Workspace::new();
    let batch = workspace.dir.path().join("empty");
    fs::create_dir_all(&batch).unwrap();
    fs::write(batch.join(".DS_Store"), "x").unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        problems(&report),
        [
            "error: .: the batch holds no files to ingest (1 hidden or system file ignored); is it the right folder?"
        ]
    );
    assert_every_file_accounted(&batch, &report);
}

/// Ingesting the wrong folder (no metadata, files the archive already holds with descriptions)
/// is refused whole; `--replace-descriptions` lets it through, with a warning per record.
#[test]
fn the_wrong_folder_never_replaces_descriptions_silently() {
    let workspace = Workspace::new();
    assert_eq!(workspace.ingest(&workspace.batch("valid"), &[]).0, 0);
    let wrong = workspace.dir.path().join("the-card");
    fs::create_dir_all(wrong.join("objects/anh")).unwrap();
    fs::create_dir_all(wrong.join("objects/moi")).unwrap();
    let valid = workspace.batch("valid");
    fs::copy(
        valid.join("objects/anh/mat-trong.jpg"),
        wrong.join("objects/anh/mat-trong.jpg"),
    )
    .unwrap();
    fs::copy(
        workspace
            .batch("master-access")
            .join("objects/so-hoa/DSC_0413.jpg"),
        wrong.join("objects/moi/anh-moi.jpg"),
    )
    .unwrap();
    let before = record(&workspace, "anh-mat-trong").unwrap();
    let (code, report) = workspace.ingest(&wrong, &[]);
    assert_eq!(code, 1);
    assert!(ids(&report, "records", "added").is_empty());
    assert!(ids(&report, "records", "updated").is_empty());
    let lost = "dc.description, dc.subject, dc.title, village, craft";
    assert_eq!(
        problems(&report),
        [
            format!(
                "error: .: nothing was ingested: this batch has no metadata.csv, and its files would replace the descriptions of 1 record the archive already holds ('anh-mat-trong' would lose: {lost}); is it the right folder? To replace those descriptions with ones made from file names, ingest again with --replace-descriptions"
            ),
            format!(
                "error: objects/anh/mat-trong.jpg: not ingested: record 'anh-mat-trong' already exists with a description this batch does not give (it would lose: {lost}); describe it in metadata.csv, or ingest again with --replace-descriptions; the archive keeps record 'anh-mat-trong' as it was, with access public"
            ),
        ]
    );
    assert_eq!(fate(&report, "objects/moi/anh-moi.jpg"), "refused");
    assert_eq!(record(&workspace, "anh-mat-trong").unwrap(), before);
    assert_every_file_accounted(&wrong, &report);

    let (code, report) = workspace.ingest(&wrong, &["--replace-descriptions"]);
    assert_eq!(code, 0, "{:#?}", crate::support::problems(&report));
    assert_eq!(ids(&report, "records", "updated"), ["anh-mat-trong"]);
    assert_eq!(ids(&report, "records", "added"), ["moi-anh-moi"]);
    assert!(crate::support::problems(&report)[0].starts_with(
        "warning: objects/anh/mat-trong.jpg: replaces the description of record 'anh-mat-trong'"
    ));
}

// ---- The dry run tells the truth ----

fn without_dry_run_flag(mut report: Value) -> Value {
    report["dry_run"] = Value::Bool(false);
    report
}

/// `--dry-run` reports exactly what the real run then reports, on a fresh archive and on one that
/// already holds part of the batch.
#[test]
fn a_dry_run_predicts_the_real_run_exactly() {
    for name in [
        "valid",
        "bad-rows",
        "ragged-row",
        "same-bytes-two-rows",
        "zero-byte",
        "master-access",
        "system-folders",
        "corrupt-media",
    ] {
        let workspace = Workspace::new();
        let batch = workspace.batch(name);
        let (dry_code, dry) = workspace.ingest(&batch, &["--dry-run"]);
        let (code, real) = workspace.ingest(&batch, &[]);
        assert_eq!(dry_code, code, "{name}");
        assert_eq!(without_dry_run_flag(dry), real, "{name}: fresh archive");

        // Again, unchanged, then with one description edited and one file added.
        let (_, dry) = workspace.ingest(&batch, &["--dry-run"]);
        let (_, real) = workspace.ingest(&batch, &[]);
        assert_eq!(without_dry_run_flag(dry), real, "{name}: unchanged");
    }
    let workspace = Workspace::new();
    let batch = workspace.batch("valid");
    assert_eq!(workspace.ingest(&batch, &[]).0, 0);
    let csv = batch.join("metadata/metadata.csv");
    let text = fs::read_to_string(&csv)
        .unwrap()
        .replace("Hoa văn lục giác", "Hoa văn sáu cạnh");
    fs::write(&csv, text).unwrap();
    fs::copy(
        workspace
            .batch("master-access")
            .join("objects/so-hoa/DSC_0413.jpg"),
        batch.join("objects/anh/moi.jpg"),
    )
    .unwrap();
    let (dry_code, dry) = workspace.ingest(&batch, &["--dry-run"]);
    let (code, real) = workspace.ingest(&batch, &[]);
    assert_eq!((dry_code, code), (0, 0));
    assert_eq!(ids(&real, "records", "updated"), ["hoa-van-luc-giac"]);
    assert_eq!(ids(&real, "records", "added"), ["anh-moi"]);
    assert_eq!(ids(&real, "records", "unchanged").len(), 10);
    assert_eq!(without_dry_run_flag(dry), real);
}

/// A described file whose bytes an archived record already holds is its own record, and the
/// archive holds the bytes once: the content is hard-linked into the new object.
#[cfg(unix)]
#[test]
fn a_described_copy_of_archived_bytes_is_its_own_record_sharing_the_content() {
    use std::os::unix::fs::MetadataExt;

    let workspace = Workspace::new();
    assert_eq!(workspace.ingest(&workspace.batch("valid"), &[]).0, 0);
    let second = workspace.dir.path().join("second");
    fs::create_dir_all(second.join("objects")).unwrap();
    fs::copy(
        workspace.batch("valid").join("objects/anh/mat-trong.jpg"),
        second.join("objects/ban-sao.jpg"),
    )
    .unwrap();
    fs::write(
        second.join("metadata.csv"),
        "filename,dc.title,access\nobjects/ban-sao.jpg,Bản sao trong hồ sơ,restricted\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&second, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(ids(&report, "records", "added"), ["ban-sao"]);
    assert_eq!(report["files_deduplicated"], 0);
    assert_eq!(
        problems(&report),
        [
            "warning: objects/ban-sao.jpg, row 2, column filename: the same content is also record 'anh-mat-trong'; kept as a record of its own with its own description"
        ]
    );
    let archive = Archive::open(&workspace.archive()).unwrap();
    let content = |id: &str| {
        let inventory = archive
            .record_inventory(&RecordId::parse(id).unwrap())
            .unwrap()
            .unwrap();
        let logical = &record(&workspace, id).unwrap().files[0].path;
        archive.file_path(&inventory, logical).unwrap().unwrap()
    };
    let (original, copy) = (content("anh-mat-trong"), content("ban-sao"));
    assert_ne!(original, copy, "each object holds its own content file");
    assert_eq!(
        fs::metadata(&original).unwrap().ino(),
        fs::metadata(&copy).unwrap().ino(),
        "the shared bytes are stored once"
    );
    assert_eq!(
        record(&workspace, "ban-sao").unwrap().access,
        Access::Restricted
    );
    assert!(workspace.verify().status.success());
    assert_every_file_accounted(&second, &report);
}

/// A broken row naming an access copy also holds back its master (same name, other format).
#[test]
fn a_broken_row_holds_back_the_master_with_its_access_copy() {
    let workspace = Workspace::new();
    let batch = workspace.batch("master-access");
    fs::create_dir_all(batch.join("metadata")).unwrap();
    fs::write(
        batch.join("metadata/metadata.csv"),
        "filename,dc.title,access\nobjects/so-hoa/DSC_0412.jpg,Ảnh hạn chế,restricted,\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 1);
    assert_eq!(ids(&report, "records", "added"), ["so-hoa-dsc-0413"]);
    assert_eq!(fate(&report, "objects/so-hoa/DSC_0412.jpg"), "refused");
    assert_eq!(fate(&report, "objects/so-hoa/DSC_0412.tif"), "refused");
    assert!(problems(&report).contains(&"error: objects/so-hoa/DSC_0412.tif: not ingested: row 2 of metadata/metadata.csv may describe this file but could not be used (see the error there); fix it and ingest again".to_string()));
    assert_every_file_accounted(&batch, &report);
}

/// A row naming an ignored file says so, and is not taken for a typo that could mean any file.
#[test]
fn a_row_naming_an_ignored_file_says_it_is_never_ingested() {
    let workspace = Workspace::new();
    let batch = workspace.batch("system-folders");
    fs::write(
        batch.join("metadata/metadata.csv"),
        "filename,dc.title\nobjects/anh/mat-trong.jpg,Mặt trống\nobjects/anh/~$bien-ban.docx,Biên bản\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 1);
    assert_eq!(ids(&report, "records", "added"), ["anh-mat-trong"]);
    assert_eq!(
        problems(&report),
        [
            "error: metadata/metadata.csv, row 3, column filename: 'objects/anh/~$bien-ban.docx' is never ingested (Office lock file (~$*)); rename it, or move it out of that folder"
        ]
    );
    assert_every_file_accounted(&batch, &report);
}
