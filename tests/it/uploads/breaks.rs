//! What issue 15's break round found in upload staging, each pinned by a test named after it: a
//! batch folder (or zip) named like a file the staging area writes in a batch's folder
//! (`batch.json`, `batch.json.new`, `run.lock`) answered 500 or could never be confirmed,
//! cancelled nor cleaned; the leftovers of those stayed for ever, logging "Is a directory" at
//! every start; an `Upload-Length` near 2⁶⁴ panicked while its 413 was written; an uploaded
//! `metadata.csv.new` vanished when the sheet was corrected.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use disan::workspace::staging::What;

use super::zips::zip;
use super::*;

/// The files of [`three_files`] in a folder named `name` instead of `lo-cho`.
fn three_files_in(name: &str, access: &str) -> Vec<(String, Vec<u8>)> {
    three_files(access)
        .into_iter()
        .map(|(path, bytes)| (path.replacen("lo-cho", name, 1), bytes))
        .collect()
}

impl Served {
    /// The staging folder of batch `id`.
    fn staged(&self, id: &str) -> PathBuf {
        self.fixture
            .workspace
            .archive()
            .join("extensions/disan-uploads/batches")
            .join(id)
    }
}

/// The id at the end of a batch page's path.
fn id_of(page_path: &str) -> String {
    page_path.rsplit('/').next().unwrap().to_string()
}

/// Regression (F1, F2): a folder named `batch.json` answered 500 and lost its uploads; one named
/// `run.lock` was made but confirming or cancelling it answered 500 for ever. Every name the
/// staging area writes beside a batch is an ordinary batch name now, for a folder and a zip.
#[test]
fn a_batch_named_like_a_staging_file_is_made_confirmed_and_cancelled() {
    let served = served();
    for (name, action) in [
        ("batch.json.new", "cancel"),
        ("run.lock", "cancel"),
        ("content", "cancel"),
        // Last: its records are then in the archive, and no batch after adds them.
        ("batch.json", "confirm"),
    ] {
        let page_path = served.batch_of(&three_files_in(name, "public"));
        let id = id_of(&page_path);
        let html = served.get(&page_path).text();
        assert!(html.contains(&format!("Batch {name}")), "{name}: {html}");
        assert!(html.contains("Records added: 2"), "{name}: {html}");
        let folder = served.staged(&id);
        assert!(folder.join("batch.json").is_file(), "{name}");
        assert!(
            folder
                .join("content")
                .join(name)
                .join("metadata/metadata.csv")
                .is_file(),
            "{name}"
        );
        let acted = served.post(&format!("/en/workspace/batches/{id}/{action}"), &[]);
        assert_eq!(acted.status, 303, "{name} {action}: {}", acted.text());
        if action == "confirm" {
            assert_eq!(served.finished(&id)["state"], "done", "{name}");
            assert_eq!(
                send(served.addr, "GET", "/records/cho-gom", &[], b"").status,
                200
            );
        } else {
            let html = served.get(&page_path).text();
            assert!(html.contains("cancelled"), "{name}: {html}");
            assert!(!folder.join("content").exists(), "{name}");
        }
    }

    // Zips named so, their entries at the root: the zip's name names the batch.
    let files = three_files("public");
    let entries: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(path, bytes)| (path.replacen("lo-cho/", "", 1), bytes.clone()))
        .collect();
    let entries: Vec<(&str, &[u8], bool)> = entries
        .iter()
        .map(|(path, bytes)| (path.as_str(), bytes.as_slice(), true))
        .collect();
    for name in ["batch.json", "run.lock"] {
        let upload = served.upload(&format!("{name}.zip"), &zip(&entries));
        let made = served.post("/en/workspace/batches", &[("upload", upload.as_str())]);
        assert_eq!(made.status, 303, "{name}.zip: {}", made.text());
        let page_path = made.header("location").to_string();
        let id = id_of(&page_path);
        assert!(
            served
                .get(&page_path)
                .text()
                .contains(&format!("Batch {name}")),
            "{name}.zip"
        );
        let cancelled = served.post(&format!("/en/workspace/batches/{id}/cancel"), &[]);
        assert_eq!(cancelled.status, 303, "{name}.zip: {}", cancelled.text());
    }
    // The cleanup finds nothing it cannot read.
    let swept = served
        .fixture
        .site
        .sweep_staging(SystemTime::now() + Duration::from_secs(30 * 24 * 3600));
    assert!(swept.errors.is_empty(), "{:?}", swept.errors);
}

/// Regression (F1, F2, staged before the fix): a batch folder whose `batch.json` is a folder
/// (its making failed) was never removed and logged "Is a directory" at every start; a batch
/// named `run.lock` staged directly in its folder could never be cancelled nor expire. The
/// first is a leftover the cleanup removes whatever it holds; the second is moved into
/// `content/` and cancelled or expired like any other, and a batch staged before under another
/// name is read where it is.
#[test]
fn batches_staged_before_under_staging_names_are_cleaned_or_cancelled() {
    let served = served();
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let stage = |id: &str, name: &str, created: Option<u64>| {
        let folder = served.staged(id);
        std::fs::create_dir_all(folder.join(name).join("metadata")).unwrap();
        std::fs::create_dir_all(folder.join(name).join("objects")).unwrap();
        for (path, bytes) in three_files("public") {
            std::fs::write(folder.join(path.replacen("lo-cho", name, 1)), bytes).unwrap();
        }
        if let Some(created) = created {
            std::fs::write(
                folder.join("batch.json"),
                serde_json::to_vec(&serde_json::json!({
                    "id": id, "owner": "thu", "name": name, "created": created,
                    "state": "checked", "checked": null,
                }))
                .unwrap(),
            )
            .unwrap();
        }
        folder
    };
    let failed_json = stage(&"a".repeat(32), "batch.json", None);
    let failed_new = stage(&"b".repeat(32), "batch.json.new", None);
    let lock_cancelled = stage(&"c".repeat(32), "run.lock", Some(now));
    let lock_expiring = stage(&"d".repeat(32), "run.lock", Some(10));
    let ordinary = stage(&"e".repeat(32), "lo", Some(now));

    // Read where it was staged: the page shows it, and a cancel works.
    let html = served
        .get(&format!("/en/workspace/batches/{}", "e".repeat(32)))
        .text();
    assert!(html.contains("Batch lo"), "{html}");
    let cancelled = served.post(
        &format!("/en/workspace/batches/{}/cancel", "c".repeat(32)),
        &[],
    );
    assert_eq!(cancelled.status, 303, "{}", cancelled.text());
    assert!(!lock_cancelled.join("run.lock").is_dir());
    assert!(!lock_cancelled.join("content").exists());

    // The cleanup now: the old run.lock batch expires; nothing it cannot read.
    let swept = served.fixture.site.sweep_staging(SystemTime::now());
    assert!(swept.errors.is_empty(), "{:?}", swept.errors);
    let removed: Vec<(What, String)> = swept
        .removed
        .iter()
        .map(|removed| (removed.what, removed.id.clone()))
        .collect();
    assert_eq!(removed, vec![(What::UnconfirmedBatch, "d".repeat(32))]);
    assert!(!lock_expiring.join("run.lock").is_dir());
    assert!(!lock_expiring.join("content").exists());
    let kept: serde_json::Value =
        serde_json::from_slice(&std::fs::read(lock_expiring.join("batch.json")).unwrap()).unwrap();
    assert_eq!(kept["state"], "expired");

    // Past the unconfirmed lifetime: the failed makings go, whatever they hold.
    let swept = served
        .fixture
        .site
        .sweep_staging(SystemTime::now() + Duration::from_secs(15 * 24 * 3600));
    assert!(swept.errors.is_empty(), "{:?}", swept.errors);
    let mut leftovers: Vec<String> = swept
        .removed
        .iter()
        .filter(|removed| removed.what == What::Leftover)
        .map(|removed| removed.id.clone())
        .collect();
    leftovers.sort();
    assert_eq!(leftovers, vec!["a".repeat(32), "b".repeat(32)]);
    assert!(!failed_json.exists() && !failed_new.exists());
    assert!(ordinary.join("batch.json").is_file());
}

/// Regression (F3): `Upload-Length: 18446744073709551615` (or a tenth of it) panicked while the
/// 413 was written (its size in words overflowed). It is a 413 naming the limit.
#[test]
fn an_upload_length_near_two_to_the_64_is_a_413_naming_the_limit() {
    let served = served();
    for length in [u64::MAX, u64::MAX / 10] {
        let refused = served.create(length, "lon.bin");
        assert_eq!(refused.status, 413, "{length}: {}", refused.text());
        let text = refused.text();
        assert!(
            text.contains("20 GiB") && text.contains("Tệp quá lớn") && text.contains("too large"),
            "{length}: {text}"
        );
    }
    // The server still answers.
    assert_eq!(served.create(10, "nho.txt").status, 201);
}

/// Regression (F7): an uploaded `metadata/metadata.csv.new` vanished when the sheet was
/// corrected on the batch page (the temporary file had its name).
#[test]
fn an_uploaded_file_named_like_the_sheets_temporary_stays_when_the_sheet_is_corrected() {
    let served = served();
    let mut files = three_files("privat");
    files.push((
        "lo-cho/metadata/metadata.csv.new".to_string(),
        b"ghi chu cua luu tru vien".to_vec(),
    ));
    let page_path = served.batch_of(&files);
    let id = id_of(&page_path);
    let corrected = String::from_utf8(three_files("public")[0].1.clone()).unwrap();
    let saved = served.post(
        &format!("/en/workspace/batches/{id}/sheet"),
        &[("sheet", &corrected)],
    );
    assert_eq!(saved.status, 303, "{}", saved.text());
    let kept = served
        .staged(&id)
        .join("content/lo-cho/metadata/metadata.csv.new");
    assert_eq!(std::fs::read(&kept).unwrap(), b"ghi chu cua luu tru vien");
}

/// Regression (F5): when one record of a batch could not be written (its place in the archive
/// blocked), the batch ended `done` with an error and could never be run again (409): the
/// record was lost unless the files were uploaded again. A batch that ended with records not
/// archived offers "Run again"; the run stores those, and the records the first run stored come
/// out unchanged (no new version).
#[test]
fn a_batch_that_ended_with_records_not_archived_is_offered_again() {
    let served = served();
    let page_path = served.batch_of(&three_files("public"));
    let id = id_of(&page_path);
    let root = served.fixture.workspace.archive();
    let blocked = root.join(disan::archive::object_relative_path(
        "urn:disan:record:lo-nung",
    ));
    std::fs::create_dir_all(blocked.parent().unwrap()).unwrap();
    std::fs::write(&blocked, b"not an object").unwrap();
    let confirmed = served.post(&format!("/en/workspace/batches/{id}/confirm"), &[]);
    assert_eq!(confirmed.status, 303, "{}", confirmed.text());
    let ended = served.finished(&id);
    assert_eq!(ended["state"], "done", "{ended}");
    let visitor = |path: &str| send(served.addr, "GET", path, &[], b"").status;
    assert_eq!(visitor("/records/cho-gom"), 200);
    assert_eq!(visitor("/records/lo-nung"), 404);
    let html = served.get(&page_path).text();
    assert!(html.contains("Run again"), "{html}");
    let vi = served.get(&format!("/workspace/batches/{id}")).text();
    assert!(vi.contains("Chạy lại"), "{vi}");

    std::fs::remove_file(&blocked).unwrap();
    let again = served.post(&format!("/en/workspace/batches/{id}/confirm"), &[]);
    assert_eq!(again.status, 303, "{}", again.text());
    assert_eq!(served.finished(&id)["state"], "done");
    assert_eq!(visitor("/records/lo-nung"), 200);
    let archive = disan::archive::Archive::open(&root).unwrap();
    for record in ["cho-gom", "lo-nung"] {
        let record = disan::model::RecordId::parse(record).unwrap();
        let inventory = archive.record_inventory(&record).unwrap().unwrap();
        assert_eq!(
            inventory.head, "v1",
            "{record}: run again made no new version"
        );
    }
    let html = served.get(&page_path).text();
    assert!(!html.contains("Run again"), "{html}");
    let twice = served.post(&format!("/en/workspace/batches/{id}/confirm"), &[]);
    assert_eq!(twice.status, 409, "{}", twice.text());
}

/// Regression (F7): a corrected sheet over 1 MiB said "Nothing was staged: the uploads do not
/// make a batch", the words of another request. It says the sheet is too large, with the limit,
/// and nothing changes.
#[test]
fn a_corrected_sheet_over_the_limit_says_so_with_the_limit() {
    let served = served();
    let page_path = served.batch_of(&three_files("privat"));
    let id = id_of(&page_path);
    let large = format!(
        "{}{}",
        String::from_utf8(three_files("public")[0].1.clone()).unwrap(),
        "x".repeat(1024 * 1024)
    );
    for (lang, words) in [("/en", "holds at most 1 MiB"), ("", "chứa tối đa 1 MiB")] {
        let saved = served.post(
            &format!("{lang}/workspace/batches/{id}/sheet"),
            &[("sheet", &large)],
        );
        assert_eq!(saved.status, 413, "{}", saved.text());
        let text = saved.text();
        assert!(
            text.contains(words) && text.contains("metadata/metadata.csv"),
            "{text}"
        );
        assert!(
            !text.contains("Nothing was staged") && !text.contains("Không lập được lô"),
            "{text}"
        );
    }
    let sheet = served
        .staged(&id)
        .join("content/lo-cho/metadata/metadata.csv");
    assert!(std::fs::read_to_string(sheet).unwrap().contains("privat"));
}
