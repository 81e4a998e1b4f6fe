//! The archive on disk: fixity checking, and crash safety when the process is killed mid-ingest.

use std::fs;
use std::time::Duration;

use disan::archive::Archive;
use disan::model::RecordId;

use crate::support::{Workspace, ids};

#[test]
fn verify_names_every_altered_or_missing_file() {
    let workspace = Workspace::new();
    assert_eq!(workspace.ingest(&workspace.batch("valid"), &[]).0, 0);
    let intact = workspace.verify();
    assert_eq!(
        intact.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&intact.stderr)
    );
    assert!(String::from_utf8_lossy(&intact.stdout).contains("all intact"));

    let storage = Archive::open(&workspace.archive()).unwrap();
    let photo = storage
        .record_path(&RecordId::parse("anh-mat-trong").unwrap())
        .join("v1/content/files/mat-trong.jpg");
    let mut bytes = fs::read(&photo).unwrap();
    bytes[100] ^= 0xff;
    fs::write(&photo, bytes).unwrap();
    let wav = storage
        .record_path(&RecordId::parse("am-thanh-tieng-trong").unwrap())
        .join("v1/content/files/tieng-trong.wav");
    fs::remove_file(&wav).unwrap();

    let damaged = workspace.verify();
    assert_eq!(damaged.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&damaged.stderr);
    assert!(
        stderr.contains(&format!("altered: {}", photo.display())),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("missing: {}", wav.display())),
        "{stderr}"
    );
}

/// Kills `disan ingest` at many moments; after each kill the archive must verify clean, and a
/// final re-run must complete the batch.
#[test]
fn killing_ingest_at_any_moment_leaves_a_valid_archive() {
    let workspace = Workspace::new();
    let batch = workspace.batch("valid");
    for delay_ms in [2, 5, 9, 14, 20, 30, 45, 70] {
        let mut child = workspace
            .disan()
            .args(["ingest", "--json"])
            .arg(&batch)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        if workspace.archive().join("0=ocfl_1.1").exists() {
            let verify = workspace.verify();
            assert_eq!(
                verify.status.code(),
                Some(0),
                "after a kill at {delay_ms} ms: {}",
                String::from_utf8_lossy(&verify.stderr)
            );
        }
        // Later runs also meet records that already exist, so new versions get killed too.
        let csv = batch.join("metadata/metadata.csv");
        let text = fs::read_to_string(&csv).unwrap();
        let retitled = text.replacen("Âm thanh thử", &format!("Âm thanh thử {delay_ms}"), 1);
        fs::write(&csv, retitled).unwrap();
    }
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0);
    let total = ids(&report, "records", "added").len()
        + ids(&report, "records", "updated").len()
        + ids(&report, "records", "unchanged").len();
    assert_eq!(total, 11);
    assert_eq!(workspace.verify().status.code(), Some(0));
}

/// An independent implementation must accept the archive: ocfl-py's validator (through
/// `.ci/ocfl_validate_root.py`, which teaches it the 0004 layout) on every object, with digests.
/// CI sets `DISAN_REQUIRE_OCFL_VALIDATOR=1`, so there a missing validator fails the test.
#[test]
fn ocfl_py_finds_every_object_valid() {
    if !crate::tools::ocfl_py() {
        return;
    }
    let workspace = Workspace::new();
    let batch = workspace.batch("valid");
    assert_eq!(workspace.ingest(&batch, &[]).0, 0);
    let csv = batch.join("metadata/metadata.csv");
    let text = fs::read_to_string(&csv)
        .unwrap()
        .replace("Phim thử", "Phim thử (sửa)");
    fs::write(&csv, text).unwrap();
    fs::write(
        batch.join("objects/phim/en.vtt"),
        "WEBVTT\n\n00:00.000 --> 00:02.000\nTest signal\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0);
    assert_eq!(ids(&report, "records", "updated"), ["phim"]);

    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/ocfl_validate_root.py");
    let output = std::process::Command::new("python3")
        .arg(script)
        .arg(workspace.archive())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("15 objects, 15 valid -> VALID"), "{stdout}");
    assert!(!stdout.contains("][E"), "errors reported: {stdout}");
}

/// `index/` is derived: deleting it loses nothing, `disan reindex` rebuilds it from the archive.
#[test]
fn reindex_rebuilds_the_index_from_the_archive_alone() {
    let workspace = Workspace::new();
    assert_eq!(workspace.ingest(&workspace.batch("valid"), &[]).0, 0);
    let count_in = |store: &str| {
        walk_files(&workspace.index().join(store))
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "jpg"))
            .count()
    };
    let derivative_count = || count_in("derivatives");
    let before = derivative_count();
    // The restricted photo keeps none in the public store, which holds only what the public may
    // be sent; its previews are in the private store.
    assert_eq!(
        before, 8,
        "4 images the public may see x (display + thumbnail)"
    );
    assert_eq!(count_in("derivatives-private"), 2, "the restricted photo's");
    fs::remove_dir_all(workspace.index()).unwrap();

    let output = workspace.disan().arg("reindex").output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.starts_with("11 records indexed, 5 derivatives made"),
        "{stdout}"
    );
    assert_eq!(derivative_count(), before);
    assert_eq!(count_in("derivatives-private"), 2);

    let site = disan::web::Site::open(&workspace.archive(), &workspace.index(), None).unwrap();
    let found = site
        .search(&disan::index::search::SearchQuery {
            text: "mat trong".into(),
            page: 1,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(found.hits[0].id, "anh-mat-trong");
    assert!(site.authorities().villages.contains_key("doi-tam"));
}

fn walk_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                files.extend(walk_files(&path));
            } else {
                files.push(path);
            }
        }
    }
    files
}
