//! Case `ingest-windows-illegal-names`: an archive whose files are named as Vietnamese archivists
//! name them survives a copy to a FAT/exFAT/NTFS backup disk. The original names stay the OCFL
//! logical paths; the content paths are portable (see `disan::archive::portable`). Archives
//! written before, whose content paths equal their logical paths, keep working.
//!
//! The names cannot be committed (a Windows checkout would fail), so the test writes the batch.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use disan::archive::{Archive, object_relative_path, record_object_id};
use disan::model::{RecordId, Sha256};
use serde_json::Value;

use crate::support::{Workspace, copy_dir, ids, problems};
use crate::tools;

/// The tester's file names, each with distinct bytes.
const NAMES: [&str; 5] = [
    "Lễ rước: ngày 15?.jpg",
    "trống \"đại\" <mẫu>.png",
    "a|b*.txt",
    "ghi chú.",
    "CON.txt",
];

/// Writes the case's batch: a folder record `objects/le-ruoc` holding the five files.
fn batch(workspace: &Workspace) -> PathBuf {
    let batch = workspace.dir.path().join("batch");
    let folder = batch.join("objects/le-ruoc");
    fs::create_dir_all(&folder).unwrap();
    fs::create_dir_all(batch.join("metadata")).unwrap();
    let photo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/batches/crlf-row-number/objects/anh");
    fs::copy(photo.join("le-ruoc.jpg"), folder.join(NAMES[0])).unwrap();
    fs::copy(photo.join("hoa-van.png"), folder.join(NAMES[1])).unwrap();
    fs::write(folder.join(NAMES[2]), "a or b, any\n").unwrap();
    fs::write(folder.join(NAMES[3]), "ghi chú của người sưu tầm\n").unwrap();
    fs::write(folder.join(NAMES[4]), "not a device\n").unwrap();
    fs::write(
        batch.join("metadata/metadata.csv"),
        "filename,dc.title,dc.title@en,kind\nobjects/le-ruoc,Lễ rước trống ngày 15 tháng Giêng,Drum procession on the 15th of the first month,festival\n",
    )
    .unwrap();
    batch
}

/// The object folder of record `id`.
fn object_dir(archive: &Path, id: &str) -> PathBuf {
    archive.join(object_relative_path(&record_object_id(
        &RecordId::parse(id).unwrap(),
    )))
}

/// The root inventory of an object.
fn inventory(object: &Path) -> Value {
    serde_json::from_slice(&fs::read(object.join("inventory.json")).unwrap()).unwrap()
}

/// Logical path → content path in the head version.
fn paths(inventory: &Value) -> BTreeMap<String, String> {
    let head = inventory["head"].as_str().unwrap();
    let mut paths = BTreeMap::new();
    for (digest, logical) in inventory["versions"][head]["state"].as_object().unwrap() {
        let content = inventory["manifest"][digest][0].as_str().unwrap();
        for path in logical.as_array().unwrap() {
            paths.insert(path.as_str().unwrap().to_string(), content.to_string());
        }
    }
    paths
}

#[test]
fn original_names_are_logical_paths_and_content_paths_are_portable() {
    let workspace = Workspace::new();
    let (code, report) = workspace.ingest(&batch(&workspace), &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(ids(&report, "records", "added"), ["le-ruoc"]);
    let paths = paths(&inventory(&object_dir(&workspace.archive(), "le-ruoc")));
    let expected: BTreeMap<String, String> = [
        ("files/CON.txt", "v1/content/files/%43ON.txt"),
        (
            "files/Lễ rước: ngày 15?.jpg",
            "v1/content/files/Lễ rước%3A ngày 15%3F.jpg",
        ),
        ("files/a|b*.txt", "v1/content/files/a%7Cb%2A.txt"),
        ("files/ghi chú.", "v1/content/files/ghi chú%2E"),
        (
            "files/trống \"đại\" <mẫu>.png",
            "v1/content/files/trống %22đại%22 %3Cmẫu%3E.png",
        ),
        // The object's PREMIS event log (src/archive/premis).
        ("premis.xml", "v1/content/premis.xml"),
        ("record.json", "v1/content/record.json"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(paths, expected);
    // The archive reads each file back under its original name.
    let archive = Archive::open(&workspace.archive()).unwrap();
    let record = archive
        .record(&RecordId::parse("le-ruoc").unwrap())
        .unwrap()
        .unwrap();
    let mut names: Vec<String> = record
        .files
        .iter()
        .map(|f| f.path.trim_start_matches("files/").to_string())
        .collect();
    names.sort();
    let mut wanted: Vec<String> = NAMES.iter().map(|n| n.to_string()).collect();
    wanted.sort();
    assert_eq!(names, wanted);
    assert_eq!(workspace.verify().status.code(), Some(0));
    if tools::ocfl_py() {
        validate(&workspace.archive());
    }
}

/// Runs ocfl-py on every object of `archive` (with digests) and asserts all are valid.
fn validate(archive: &Path) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/ocfl_validate_root.py");
    let output = Command::new("python3")
        .arg(script)
        .arg(archive)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("valid -> VALID"), "{stdout}");
    assert!(!stdout.contains("][E"), "errors reported: {stdout}");
}

/// Copies `archive` onto a fresh FAT image with mtools and back into `back`, as a backup to a
/// USB disk and a restore would. `None` when mtools or mkfs.fat is missing (a visible skip).
fn through_fat(workspace: &Workspace, archive: &Path) -> Option<PathBuf> {
    let mut missing = Vec::new();
    if !tools::runs("mkfs.fat", &["--help"]) {
        missing.push("mkfs.fat");
    }
    if !tools::runs("mcopy", &["-V"]) {
        missing.push("mcopy");
    }
    if tools::skip(
        &missing,
        "DISAN_REQUIRE_MTOOLS",
        "apt-get install mtools dosfstools",
    ) {
        return None;
    }
    let image = workspace.dir.path().join("usb.img");
    let run = |command: &mut Command| {
        // mtools writes long names in the locale's character set: UTF-8, or Vietnamese is lost.
        let output = command
            .env("LC_ALL", "C.UTF-8")
            .env("MTOOLS_SKIP_CHECK", "1")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{command:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    run(Command::new("mkfs.fat").arg("-C").arg(&image).arg("16384"));
    // A name the disk refuses makes mcopy fail for that file only, as a copy in a file manager
    // would; what reached the disk is what `verify` judges.
    let _ = Command::new("mcopy")
        .env("LC_ALL", "C.UTF-8")
        .env("MTOOLS_SKIP_CHECK", "1")
        .args(["-s", "-D", "o", "-i"])
        .arg(&image)
        .arg(archive)
        .arg("::archive")
        .output()
        .unwrap();
    let back = workspace.dir.path().join("restored");
    fs::create_dir_all(&back).unwrap();
    run(Command::new("mcopy")
        .arg("-s")
        .arg("-i")
        .arg(&image)
        .arg("::archive")
        .arg(&back));
    Some(back.join("archive"))
}

/// `disan verify` on the archive at `archive`: exit code and what it printed.
fn verify(archive: &Path) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_disan"))
        .arg("--archive")
        .arg(archive)
        .arg("--index")
        .arg(archive.with_file_name("no-index"))
        .arg("verify")
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr),
    )
}

#[test]
fn an_archive_copied_to_a_fat_disk_and_back_verifies_whole() {
    let workspace = Workspace::new();
    let (code, report) = workspace.ingest(&batch(&workspace), &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let Some(restored) = through_fat(&workspace, &workspace.archive()) else {
        return;
    };
    let (code, printed) = verify(&restored);
    assert_eq!(code, Some(0), "{printed}");
    // Five files, record.json and the PREMIS event log premis.xml.
    assert!(printed.starts_with("1 objects, 7 files ("), "{printed}");
    assert!(printed.contains(") checked: all intact"), "{printed}");
}

/// Rewrites every object of `archive` as Disan wrote them before portable content paths:
/// content path = `vN/content/` + logical path, in the manifest and on disk.
fn make_old_style(archive: &Path) {
    for entry in walkdir::WalkDir::new(archive) {
        let entry = entry.unwrap();
        if entry.file_name() != "0=ocfl_object_1.1" {
            continue;
        }
        let object = entry.path().parent().unwrap();
        let mut inventory = inventory(object);
        let head = inventory["head"].as_str().unwrap().to_string();
        let state = inventory["versions"][&head]["state"].clone();
        for (digest, logical) in state.as_object().unwrap() {
            let current = inventory["manifest"][digest][0]
                .as_str()
                .unwrap()
                .to_string();
            let version = current.split('/').next().unwrap();
            let old = format!("{version}/content/{}", logical[0].as_str().unwrap());
            if old != current {
                fs::rename(object.join(&current), object.join(&old)).unwrap();
                inventory["manifest"][digest] = serde_json::json!([old]);
            }
        }
        let bytes = serde_json::to_vec_pretty(&inventory).unwrap();
        let sidecar = format!("{}  inventory.json\n", Sha256::of(&bytes).to_hex());
        for dir in [object.to_path_buf(), object.join(&head)] {
            fs::write(dir.join("inventory.json"), &bytes).unwrap();
            fs::write(dir.join("inventory.json.sha256"), &sidecar).unwrap();
        }
    }
}

#[test]
fn archives_written_before_keep_working() {
    let workspace = Workspace::new();
    let batch = batch(&workspace);
    assert_eq!(workspace.ingest(&batch, &[]).0, 0);
    make_old_style(&workspace.archive());
    let object = object_dir(&workspace.archive(), "le-ruoc");
    assert_eq!(
        paths(&inventory(&object))["files/CON.txt"],
        "v1/content/files/CON.txt"
    );
    // Read and verified as before, with a warning for each path a copy would lose.
    let verified = workspace.verify();
    assert_eq!(verified.status.code(), Some(0));
    let printed = String::from_utf8_lossy(&verified.stderr);
    let warned: Vec<&str> = printed
        .lines()
        .filter_map(|line| line.strip_prefix("warning: not portable: "))
        .map(|line| line.split_once("/v1/content/").unwrap().1)
        .collect();
    let refused = "a character Windows, exFAT and NTFS refuse (: ? \" < > | * \\ or a control \
                   character)";
    assert_eq!(
        warned,
        [
            "files/CON.txt: a device name Windows reserves (CON, PRN, AUX, NUL, COM1, LPT1…)"
                .to_string(),
            format!("files/Lễ rước: ngày 15?.jpg: {refused}"),
            format!("files/a|b*.txt: {refused}"),
            "files/ghi chú.: a name ending in a dot or a space, which Windows drops".to_string(),
            format!("files/trống \"đại\" <mẫu>.png: {refused}"),
        ],
        "{printed}"
    );
    assert!(
        printed.contains("warning: 5 content paths written before"),
        "{printed}"
    );
    let archive = Archive::open(&workspace.archive()).unwrap();
    assert!(
        archive
            .record(&RecordId::parse("le-ruoc").unwrap())
            .unwrap()
            .is_some()
    );
    // A new version of the old object: new files get portable paths, old ones stay put.
    fs::write(
        batch.join("objects/le-ruoc/LPT1.ghi chú?.md"),
        "Thêm một ghi chú.\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(ids(&report, "records", "updated"), ["le-ruoc"]);
    let paths = paths(&inventory(&object));
    assert_eq!(paths["files/CON.txt"], "v1/content/files/CON.txt");
    assert_eq!(
        paths["files/LPT1.ghi chú?.md"],
        "v2/content/files/%4CPT1.ghi chú%3F.md"
    );
    assert_eq!(workspace.verify().status.code(), Some(0));
    if tools::ocfl_py() {
        validate(&workspace.archive());
    }
    // Reindex reads every file of the old object through its manifest.
    let output = workspace.disan().arg("reindex").output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // And a copy of an archive that still holds old-style names is a backup worth having only
    // where the disk allows them: on FAT the old names are lost, which `verify` names.
    let copy = workspace.dir.path().join("copy");
    copy_dir(&workspace.archive(), &copy);
    if let Some(restored) = through_fat(&workspace, &copy) {
        let (code, printed) = verify(&restored);
        assert_eq!(code, Some(1), "{printed}");
        assert!(printed.contains("missing: "), "{printed}");
    }
}

/// The site links each of these files by a URL that answers with the file itself: names holding
/// `?`, `#`, `%`, quotes or spaces are percent-encoded in the API, the record page and JSON-LD.
#[tokio::test]
async fn files_with_any_name_are_linked_by_urls_that_reach_them() {
    let workspace = Workspace::new();
    let batch = batch(&workspace);
    let folder = batch.join("objects/le-ruoc");
    fs::write(folder.join("50% #2 & more.txt"), "percent, hash\n").unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let site = std::sync::Arc::new(
        disan::web::Site::open(&workspace.archive(), &workspace.index(), Some(templates)).unwrap(),
    );
    let record = crate::web::get(&site, "/api/records/le-ruoc").await.json();
    let page = crate::web::get(&site, "/records/le-ruoc").await.text();
    let mut linked = 0;
    for file in record["files"].as_array().unwrap() {
        let Some(url) = file["url"].as_str() else {
            continue;
        };
        linked += 1;
        assert!(
            page.contains(&format!("href=\"{url}\"")),
            "{url} is not linked as such on the page"
        );
        let answer = crate::web::get(&site, url).await;
        assert_eq!(answer.status, 200, "{url}");
        let name = file["path"].as_str().unwrap().trim_start_matches("files/");
        if name.ends_with(".txt") || name.ends_with('.') {
            let written = fs::read(folder.join(name)).unwrap();
            assert_eq!(answer.body, written, "{url} sent another file");
        }
    }
    assert_eq!(linked, NAMES.len() + 1);
}
