//! `disan ingest` on valid and broken batches: what goes in, what is refused, and the exact words
//! the archivist reads.

use std::fs;

use disan::archive::Archive;
use disan::index::derivatives::{DerivativeStore, Rendition};
use disan::model::{Access, Kind, Lang, RecordId};

use crate::support::{Workspace, ids, problems, record};

#[test]
fn a_valid_batch_goes_in_whole_with_its_metadata() {
    let workspace = Workspace::new();
    let batch = workspace.batch("valid");
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(
        ids(&report, "records", "added"),
        [
            "am-thanh-tieng-trong",
            "anh-khong-mo-ta",
            "anh-mat-trong",
            "fixture-restricted",
            "hoa-van-hinh-thoi",
            "hoa-van-luc-giac",
            "khac-ghi-chu",
            "khac-tai-lieu",
            "ky-thuat-boc-trong",
            "le-hoi-le-hoi",
            "phim",
        ]
    );
    assert_eq!(
        ids(&report, "authorities", "added"),
        [
            "urn:disan:craft:det-lua",
            "urn:disan:craft:lam-trong",
            "urn:disan:village:doi-tam",
            "urn:disan:village:nha-xa"
        ]
    );
    assert_eq!(report["files_stored"], 13);

    let photo = record(&workspace, "anh-mat-trong");
    assert_eq!(photo.kind, Kind::Photo);
    assert_eq!(photo.village.as_ref().unwrap().as_str(), "doi-tam");
    // "Làm trống" was written as a name; it resolves to the craft id.
    assert_eq!(photo.craft.as_ref().unwrap().as_str(), "lam-trong");
    assert_eq!(photo.title(Lang::En), "Drum face (test image)");
    // No dc.date: the EXIF capture date dates the photo.
    assert_eq!(photo.date.as_ref().unwrap().as_str(), "2020-08-27");
    let file = &photo.files[0];
    assert_eq!(file.path, "files/mat-trong.jpg");
    assert_eq!(file.format.mime, "image/jpeg");
    assert_eq!(
        (file.technical.width, file.technical.height),
        (Some(96), Some(64))
    );
    let exif = file.exif.as_ref().unwrap();
    assert_eq!(exif.orientation, Some(6));
    assert_eq!(exif.captured.as_deref(), Some("2020-08-27T09:30:00"));
    let [latitude, longitude] = exif.gps.unwrap();
    assert!((latitude - 20.6).abs() < 1e-6 && (longitude - 105.95).abs() < 1e-6);

    // Derivatives: upright (orientation 6 turns 96x64 into 64x96) and without any EXIF.
    let store = DerivativeStore::new(&workspace.index());
    let display = fs::read(store.path(&file.sha256, Rendition::Display)).unwrap();
    let decoded = image::load_from_memory(&display).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (64, 96));
    assert!(
        !display.windows(4).any(|w| w == b"Exif"),
        "EXIF leaked into a derivative"
    );
    assert!(store.path(&file.sha256, Rendition::Thumbnail).exists());

    let film = record(&workspace, "phim");
    assert_eq!(film.kind, Kind::Film);
    assert_eq!(film.access, Access::Researchers);
    let paths: Vec<&str> = film.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["files/phim.mp4", "files/vi.vtt"]);
    assert_eq!(film.files[0].technical.video_codec.as_deref(), Some("avc1"));
    assert!(film.files[0].technical.duration_seconds.unwrap() > 1.9);
    assert_eq!(film.date.as_ref().unwrap().as_str(), "2021-05~");

    let technique = record(&workspace, "ky-thuat-boc-trong");
    assert_eq!(technique.kind, Kind::Technique);
    assert_eq!(
        technique.title(Lang::Vi),
        "Bịt mặt trống (bản mẫu kiểm thử)"
    );
    assert_eq!(
        technique.title(Lang::En),
        "Stretching the drum skin (test sample)"
    );
    assert!(technique.body[&Lang::Vi].contains("không phải"));
    assert!(technique.body[&Lang::En].contains("not"));
    assert_eq!(technique.files.len(), 2);

    let festival = record(&workspace, "le-hoi-le-hoi");
    assert_eq!(festival.kind, Kind::Festival);
    assert_eq!(festival.extra["lunar_date"], ["1-7"]);

    let note = record(&workspace, "khac-ghi-chu");
    assert_eq!(note.kind, Kind::Document);
    assert_eq!(note.title(Lang::Vi), "ghi chu");
    assert_eq!(
        record(&workspace, "fixture-restricted").access,
        Access::Restricted
    );
    assert_eq!(record(&workspace, "am-thanh-tieng-trong").kind, Kind::Audio);
    assert_eq!(
        record(&workspace, "hoa-van-luc-giac")
            .date
            .as_ref()
            .unwrap()
            .as_str(),
        "193X"
    );
}

#[test]
fn ingesting_again_changes_nothing_and_an_edit_adds_a_version() {
    let workspace = Workspace::new();
    let batch = workspace.batch("valid");
    assert_eq!(workspace.ingest(&batch, &[]).0, 0);
    let (code, again) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0);
    assert!(ids(&again, "records", "added").is_empty());
    assert!(ids(&again, "records", "updated").is_empty());
    assert_eq!(ids(&again, "records", "unchanged").len(), 11);
    assert_eq!(again["files_stored"], 0);

    let csv = batch.join("metadata/metadata.csv");
    let text = fs::read_to_string(&csv)
        .unwrap()
        .replace("Hoa văn lục giác", "Hoa văn sáu cạnh");
    fs::write(&csv, text).unwrap();
    let (code, edited) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0);
    assert_eq!(ids(&edited, "records", "updated"), ["hoa-van-luc-giac"]);
    assert_eq!(
        edited["files_stored"], 0,
        "the unchanged pattern file was copied again"
    );
    let archive = Archive::open(&workspace.archive()).unwrap();
    let inventory = archive
        .record_inventory(&RecordId::parse("hoa-van-luc-giac").unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(inventory.head, "v2");
    assert_eq!(
        record(&workspace, "hoa-van-luc-giac").title(Lang::Vi),
        "Hoa văn sáu cạnh"
    );
    assert!(
        archive
            .record_path(&RecordId::parse("hoa-van-luc-giac").unwrap())
            .join("v1/content/record.json")
            .exists()
    );
}

#[test]
fn a_dry_run_validates_but_writes_nothing() {
    let workspace = Workspace::new();
    let batch = workspace.batch("bad-rows");
    let (code, report) = workspace.ingest(&batch, &["--dry-run"]);
    assert_eq!(code, 1);
    assert_eq!(report["dry_run"], true);
    assert!(!workspace.archive().exists());
    assert!(!workspace.index().exists());
}

#[test]
fn every_bad_row_is_reported_by_row_and_column_and_good_rows_go_in() {
    let workspace = Workspace::new();
    let batch = workspace.batch("bad-rows");
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 1);
    assert_eq!(ids(&report, "records", "added"), ["f", "tot"]);
    assert_eq!(
        problems(&report),
        [
            "error: metadata/metadata.csv, row 3, column access: 'privat' is not an access level; use one of: public, researchers, restricted, community:<group-id>",
            "error: metadata/metadata.csv, row 4, column dc.date: \"2020-13-01\": month 13 does not exist",
            "error: metadata/metadata.csv, row 5, column village: unknown village 'Làng Không Có': it is neither in the archive nor in the batch's metadata/villages.csv",
            "error: metadata/metadata.csv, row 6, column craft: unknown craft 'nghe-khong-co': it is neither in the archive nor in the batch's metadata/crafts.csv",
            "error: metadata/metadata.csv, row 7, column kind: 'anh' is not a kind; use one of: photo, film, audio, pattern, technique, festival, document, story, visit",
            "error: metadata/metadata.csv, row 8, column filename: there is no file or folder 'objects/khong-ton-tai.jpg' in the batch",
            "error: metadata/metadata.csv, row 9, column filename: '../valid/objects/anh/mat-trong.jpg' leads outside the batch; write a path relative to the batch folder, without '..'",
        ]
    );
}

#[test]
fn corrupt_media_is_rejected_and_the_rest_goes_in() {
    let workspace = Workspace::new();
    let batch = workspace.batch("corrupt-media");
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        ids(&report, "records", "added"),
        ["nguyen-ven", "thuc-ra-la-jpeg"]
    );
    assert_eq!(ids(&report, "", "rejected"), Vec::<String>::new());
    let mut rejected: Vec<&str> = report["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    rejected.sort();
    // `rejected` lists the refused files.
    assert_eq!(rejected, ["objects/cat-doi.jpg", "objects/phim-hong.mp4"]);
    let problems = problems(&report);
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert_eq!(
        problems[0],
        "error: objects/cat-doi.jpg: corrupt or truncated JPEG image: cannot decode the image: the JPEG data is truncated (no end-of-image marker)"
    );
    assert!(
        problems[1].starts_with("error: objects/phim-hong.mp4: "),
        "{}",
        problems[1]
    );
    assert!(problems[1].contains("truncated"), "{}", problems[1]);
    assert_eq!(
        problems[2],
        "warning: objects/thuc-ra-la-jpeg.png: the content is JPEG image (image/jpeg) but the name ends in .png"
    );
}

#[test]
fn metadata_in_a_legacy_encoding_is_refused_naming_the_encoding() {
    let workspace = Workspace::new();
    let (code, report) = workspace.ingest(&workspace.batch("wrong-encoding"), &[]);
    assert_eq!(code, 1);
    assert!(
        ids(&report, "records", "added").is_empty(),
        "ingested without its metadata"
    );
    let problems = problems(&report);
    assert!(
        problems[0].starts_with("error: metadata/metadata.csv: "),
        "{problems:#?}"
    );
    assert!(problems[0].contains("Windows-1258"), "{}", problems[0]);
    assert!(problems[0].contains("line 2"), "{}", problems[0]);

    let (code, report) = workspace.ingest(&workspace.batch("utf16"), &[]);
    assert_eq!(code, 1);
    assert!(ids(&report, "records", "added").is_empty());
    let problems = crate::support::problems(&report);
    assert!(
        problems[0].starts_with("error: metadata.csv: "),
        "{problems:#?}"
    );
    assert!(problems[0].contains("UTF-16"), "{}", problems[0]);
}

#[test]
fn a_utf8_bom_and_nfd_file_names_are_accepted() {
    let workspace = Workspace::new();
    let batch = workspace.dir.path().join("nfd");
    fs::create_dir_all(batch.join("objects")).unwrap();
    // macOS writes names decomposed; the spreadsheet row is typed composed.
    let nfd_name = "de\u{0302}\u{0323}t-lu\u{0323}a.txt";
    fs::write(batch.join("objects").join(nfd_name), "văn bản").unwrap();
    fs::write(
        batch.join("metadata.csv"),
        "\u{feff}filename,dc.title,access\nobjects/dệt-lụa.txt,Dệt lụa,restricted\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let text = record(&workspace, "det-lua");
    assert_eq!(text.access, Access::Restricted);
    assert_eq!(text.files[0].source, "objects/dệt-lụa.txt");
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_batch_is_refused_and_the_rest_goes_in() {
    let workspace = Workspace::new();
    let batch = workspace.batch("corrupt-media");
    fs::remove_file(batch.join("objects/cat-doi.jpg")).unwrap();
    fs::remove_file(batch.join("objects/phim-hong.mp4")).unwrap();
    fs::write(
        workspace.dir.path().join("secret.txt"),
        "not for the archive",
    )
    .unwrap();
    std::os::unix::fs::symlink(
        workspace.dir.path().join("secret.txt"),
        batch.join("objects/link.txt"),
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        ids(&report, "records", "added"),
        ["nguyen-ven", "thuc-ra-la-jpeg"]
    );
    assert_eq!(
        problems(&report)[0],
        "error: objects/link.txt: a symbolic link; copy the file itself into the batch"
    );
}

#[test]
fn content_already_archived_is_not_stored_again() {
    let workspace = Workspace::new();
    assert_eq!(workspace.ingest(&workspace.batch("valid"), &[]).0, 0);
    let second = workspace.dir.path().join("second");
    fs::create_dir_all(second.join("objects")).unwrap();
    fs::copy(
        workspace.batch("valid").join("objects/anh/mat-trong.jpg"),
        second.join("objects/ban-sao.jpg"),
    )
    .unwrap();
    let (code, report) = workspace.ingest(&second, &[]);
    assert_eq!(code, 0);
    assert_eq!(report["files_deduplicated"], 1);
    assert_eq!(report["files_stored"], 0);
    assert_eq!(
        problems(&report),
        [
            "warning: objects/ban-sao.jpg: not stored again: the archive already holds this content as record 'anh-mat-trong'"
        ]
    );
}

#[test]
fn a_batch_that_is_not_a_folder_is_a_usage_error() {
    let workspace = Workspace::new();
    let output = workspace
        .disan()
        .args(["ingest", "/no/such/batch"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("/no/such/batch is not a folder"));
}

/// Break-13b R7: free text about who may see a record in `dc.accessRights`, with no access
/// stated, is published (it restricts no one) but never silently: a warning names the file, the
/// row as a spreadsheet shows it and the column. With an access stated that restricts, no warning.
#[test]
fn free_text_in_dc_access_rights_warns_that_it_restricts_no_one() {
    let workspace = Workspace::new();
    let batch = workspace.dir.path().join("quyen");
    fs::create_dir_all(batch.join("objects")).unwrap();
    fs::write(batch.join("objects/ghi-chu.txt"), "Ghi chú.\n").unwrap();
    fs::write(batch.join("objects/bi-mat.txt"), "Bí mật.\n").unwrap();
    fs::write(
        batch.join("metadata.csv"),
        "filename,dc.title,dc.accessRights,access\n\
         objects/ghi-chu.txt,Ghi chú,Chỉ cộng đồng A được xem (community only),\n\
         objects/bi-mat.txt,Bí mật,Chỉ cộng đồng A được xem (community only),community:a\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(ids(&report, "records", "added"), ["bi-mat", "ghi-chu"]);
    assert_eq!(
        problems(&report),
        [
            "warning: metadata.csv, row 2, column dc.accessRights: 'dc.accessRights' is shown as descriptive text and restricts no one (access is not stated, so it is public): if it means that only some people may see the record, write public, researchers, restricted or community:<group-id> in the access column",
        ]
    );
    assert_eq!(record(&workspace, "ghi-chu").access, Access::Public);
}
