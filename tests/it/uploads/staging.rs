//! The staging area over time (issue 15, upload): uploads and batches past their stated
//! lifetimes cleaned (the clock handed to the cleanup, never slept for), a batch being ingested
//! never touched, a kept report still readable; an upload and a batch cancelled with a form
//! (no JavaScript); a failed batch run again from its page, an ingested one never twice.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use disan::workspace::staging::What;

use super::*;

const DAY: u64 = 24 * 3600;

/// `days` days (and `extra` seconds) from now.
fn later(days: u64, extra: u64) -> SystemTime {
    SystemTime::now() + Duration::from_secs(days * DAY + extra)
}

impl Served {
    /// The staging folder of batch `id` (its `batch.json`, and its batch folder in `content/`).
    fn batch_folder(&self, id: &str) -> PathBuf {
        self.fixture
            .workspace
            .archive()
            .join("extensions/disan-uploads/batches")
            .join(id)
    }

    /// The staged bytes of upload `id`.
    fn upload_file(&self, id: &str) -> PathBuf {
        self.fixture
            .workspace
            .archive()
            .join("extensions/disan-uploads")
            .join(format!("{id}.part"))
    }

    /// Cleans the staging area as at `now`: what was removed, by rule and id.
    fn sweep(&self, now: SystemTime) -> Vec<(What, String)> {
        let swept = self.fixture.site.sweep_staging(now);
        assert!(swept.errors.is_empty(), "{:?}", swept.errors);
        let mut removed: Vec<(What, String)> = swept
            .removed
            .iter()
            .map(|removed| (removed.what, removed.id.clone()))
            .collect();
        removed.sort_by(|a, b| a.1.cmp(&b.1));
        removed
    }
}

/// The id at the end of a batch page's path.
fn id_of(page_path: &str) -> String {
    page_path.rsplit('/').next().unwrap().to_string()
}

#[test]
fn uploads_and_batches_past_their_lifetimes_are_cleaned_and_the_reports_and_archive_stay() {
    let served = served();
    let visitor = |path: &str| send(served.addr, "GET", path, &[], b"").status;

    // An ingested batch, a batch checked and left unconfirmed, a finished upload never made a
    // batch, and an upload left unfinished.
    let ingested = served.batch_of(&three_files("public"));
    let ingested_id = id_of(&ingested);
    let confirmed = served.post(&format!("/en/workspace/batches/{ingested_id}/confirm"), &[]);
    assert_eq!(confirmed.status, 303, "{}", confirmed.text());
    assert_eq!(served.finished(&ingested_id)["state"], "done");
    let unconfirmed = served.batch_of(&[(
        "lo-doi/metadata/metadata.csv".to_string(),
        b"filename,dc.title\n".to_vec(),
    )]);
    let unconfirmed_id = id_of(&unconfirmed);
    let finished = served.upload("ghi-chu.txt", b"ghi chu");
    let unfinished = served.create(1000, "phim.mp4");
    assert_eq!(unfinished.status, 201);
    let unfinished_id = id_of(unfinished.header("location"));

    // The lifetimes are stated on the upload page, and each batch page says until when its
    // files are kept.
    let page = served.get("/en/workspace/uploads").text();
    assert!(
        page.contains("a finished upload not made a batch, 7 days after it finished")
            && page.contains("a batch checked but not confirmed (or whose ingest failed), 14 days")
            && page.contains("files, 7 days after its ingest ended"),
        "{page}"
    );
    let vi_page = served.get("/workspace/uploads").text();
    assert!(
        vi_page.contains("được giữ 7 ngày kể từ khi xong"),
        "{vi_page}"
    );
    assert!(
        served
            .get(&ingested)
            .text()
            .contains("uploaded files are kept in the staging area until"),
        "the batch page states the lifetime"
    );

    // Nothing is due yet.
    assert_eq!(served.sweep(SystemTime::now()), vec![]);

    // A day and a minute later: the unfinished upload only.
    assert_eq!(
        served.sweep(later(1, 60)),
        vec![(What::UnfinishedUpload, unfinished_id.clone())]
    );
    assert_eq!(
        send(
            served.addr,
            "HEAD",
            unfinished.header("location"),
            &served.headers(&[]),
            b""
        )
        .status,
        404
    );

    // A week and an hour later: the finished upload, and the ingested batch's staged files.
    let mut due = vec![
        (What::FinishedUpload, finished.clone()),
        (What::IngestedBatchFiles, ingested_id.clone()),
    ];
    due.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(served.sweep(later(7, 3600)), due);
    assert!(!served.upload_file(&finished).exists());
    let folder = served.batch_folder(&ingested_id);
    assert!(
        !folder.join("content/lo-cho").exists(),
        "the staged files are gone"
    );
    assert!(folder.join("batch.json").is_file());
    // The report is kept and readable; what entered the archive stays.
    let report = served.get(&ingested).text();
    assert!(
        report.contains("Ingest report")
            && report.contains("/en/records/cho-gom/history")
            && report.contains("uploaded files were removed from the staging area"),
        "{report}"
    );
    assert_eq!(visitor("/records/cho-gom"), 200);
    assert_eq!(visitor("/records/lo-nung"), 200);
    // The unconfirmed batch is still there, to be confirmed.
    assert!(
        served
            .batch_folder(&unconfirmed_id)
            .join("content/lo-doi")
            .is_dir()
    );
    let list = served.get("/en/workspace/uploads").text();
    assert!(
        list.contains("You have no uploads.") && list.contains(&unconfirmed),
        "{list}"
    );

    // Two weeks and an hour later: the unconfirmed batch's files; it reads expired, its page
    // says so, and it can no longer be confirmed (409, in words).
    assert_eq!(
        served.sweep(later(14, 3600)),
        vec![(What::UnconfirmedBatch, unconfirmed_id.clone())]
    );
    assert!(
        !served
            .batch_folder(&unconfirmed_id)
            .join("content/lo-doi")
            .exists()
    );
    let status = served.get(&format!("/workspace/batches/{unconfirmed_id}/status"));
    let json: serde_json::Value = serde_json::from_slice(&status.body).unwrap();
    assert_eq!(json["state"], "expired");
    let html = served.get(&unconfirmed).text();
    assert!(
        html.contains("was not confirmed in time") && !html.contains("Confirm: ingest"),
        "{html}"
    );
    let late = served.post(
        &format!("/en/workspace/batches/{unconfirmed_id}/confirm"),
        &[],
    );
    assert_eq!(late.status, 409, "{}", late.text());
    assert!(
        late.text().contains("files were removed"),
        "{}",
        late.text()
    );
    // Nothing more is due, however late; the kept reports stay.
    assert_eq!(served.sweep(later(400, 0)), vec![]);
    assert!(served.get(&ingested).text().contains("Ingest report"));

    // The archive is valid, and `disan verify` agrees.
    let verified = served.fixture.workspace.verify();
    assert_eq!(verified.status.code(), Some(0), "{verified:?}");
}

/// A batch confirmed and waiting for the archive (another process holds its lock) is never
/// cleaned, however old; once ingested, it is.
#[test]
fn a_batch_being_ingested_is_never_cleaned() {
    let served = served();
    let page_path = served.batch_of(&three_files("public"));
    let id = id_of(&page_path);
    let archive = disan::archive::Archive::open(&served.fixture.workspace.archive()).unwrap();
    let held = archive.lock().unwrap();
    let confirmed = served.post(&format!("/en/workspace/batches/{id}/confirm"), &[]);
    assert_eq!(confirmed.status, 303, "{}", confirmed.text());
    let state = || -> serde_json::Value {
        let status = served.get(&format!("/workspace/batches/{id}/status"));
        serde_json::from_slice(&status.body).unwrap()
    };
    let mut waiting = false;
    for _ in 0..100 {
        if state()["state"] == "waiting" {
            waiting = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(waiting, "the batch waits for the archive");
    assert_eq!(served.sweep(later(365, 0)), vec![]);
    assert!(served.batch_folder(&id).join("content/lo-cho").is_dir());
    drop(held);
    assert_eq!(served.finished(&id)["state"], "done");
    assert_eq!(
        served.sweep(later(7, 3600)),
        vec![(What::IngestedBatchFiles, id.clone())]
    );
    assert_eq!(
        send(served.addr, "GET", "/records/cho-gom", &[], b"").status,
        200
    );
}

#[test]
fn an_upload_and_an_unconfirmed_batch_are_cancelled_with_a_form() {
    let served = served();

    // An upload cancelled from the upload page: its file removed, the page says so.
    let id = served.upload("phim-cu.mp4", b"not a film");
    let page = served.get("/en/workspace/uploads").text();
    assert!(
        page.contains(&format!("action=\"/en/workspace/uploads/{id}/cancel\""))
            && page.contains("form=\"cancel-"),
        "{page}"
    );
    let cancelled = served.post(&format!("/en/workspace/uploads/{id}/cancel"), &[]);
    assert_eq!(cancelled.status, 200, "{}", cancelled.text());
    let html = cancelled.text();
    assert!(
        html.contains("The upload phim-cu.mp4 was cancelled: its file was removed.")
            && html.contains("You have no uploads."),
        "{html}"
    );
    assert!(!served.upload_file(&id).exists());
    // Again: it no longer exists.
    let again = served.post(&format!("/en/workspace/uploads/{id}/cancel"), &[]);
    assert_eq!(again.status, 404);
    // In Vietnamese too.
    let id = served.upload("anh.jpg", b"not a photo");
    let cancelled = served.post(&format!("/workspace/uploads/{id}/cancel"), &[]);
    assert!(
        cancelled.text().contains("Đã huỷ lượt tải anh.jpg"),
        "{}",
        cancelled.text()
    );
    // Without the anti-forgery token: refused, nothing removed.
    let id = served.upload("giu.txt", b"kept");
    let forged = send(
        served.addr,
        "POST",
        &format!("/en/workspace/uploads/{id}/cancel"),
        &[
            ("Cookie", served.cookie.clone()),
            (
                "Content-Type",
                "application/x-www-form-urlencoded".to_string(),
            ),
        ],
        b"csrf=wrong",
    );
    assert_eq!(forged.status, 403, "{}", forged.text());
    assert!(served.upload_file(&id).exists());

    // A batch cancelled before it is confirmed: its files removed, its page says so, the
    // archive unchanged; it can be neither confirmed nor cancelled again (409, in words).
    let page_path = served.batch_of(&three_files("public"));
    let batch = id_of(&page_path);
    let html = served.get(&page_path).text();
    assert!(
        html.contains(&format!("action=\"/en/workspace/batches/{batch}/cancel\""))
            && html.contains("Cancel this batch"),
        "{html}"
    );
    let cancelled = served.post(&format!("/en/workspace/batches/{batch}/cancel"), &[]);
    assert_eq!(cancelled.status, 303, "{}", cancelled.text());
    assert_eq!(cancelled.header("location"), page_path);
    assert!(!served.batch_folder(&batch).join("content/lo-cho").exists());
    let html = served.get(&page_path).text();
    assert!(
        html.contains("You cancelled this batch")
            && html.contains("Cancelling changed nothing in the archive")
            && !html.contains("Confirm: ingest")
            && !html.contains("Correct the sheet"),
        "{html}"
    );
    let vi = served.get(&format!("/workspace/batches/{batch}")).text();
    assert!(vi.contains("Bạn đã huỷ lô này"), "{vi}");
    for action in ["confirm", "cancel"] {
        let late = served.post(&format!("/en/workspace/batches/{batch}/{action}"), &[]);
        assert_eq!(late.status, 409, "{action}: {}", late.text());
        assert!(
            late.text().contains("files were removed"),
            "{action}: {}",
            late.text()
        );
    }
    assert_eq!(
        send(served.addr, "GET", "/records/cho-gom", &[], b"").status,
        404,
        "nothing was ingested"
    );
    let list = served.get("/en/workspace/uploads").text();
    assert!(list.contains("cancelled, its files removed"), "{list}");
}

/// A batch whose ingest failed (the archive could not be written: its staging folder is a
/// file) is run again from its page once the cause is gone; an ingested batch is never run
/// twice, nor cancelled.
#[test]
fn a_failed_batch_is_run_again_and_an_ingested_one_never_twice() {
    let served = served();
    let page_path = served.batch_of(&three_files("public"));
    let id = id_of(&page_path);
    let blocker = served
        .fixture
        .workspace
        .archive()
        .join("extensions/disan-staging");
    let _ = std::fs::remove_dir_all(&blocker);
    std::fs::write(&blocker, b"not a folder").unwrap();
    let confirmed = served.post(&format!("/en/workspace/batches/{id}/confirm"), &[]);
    assert_eq!(confirmed.status, 303, "{}", confirmed.text());
    assert_eq!(served.finished(&id)["state"], "failed");
    let html = served.get(&page_path).text();
    assert!(
        html.contains("The ingest of this batch failed")
            && html.contains("Run again: ingest this batch")
            && html.contains("Cancel this batch"),
        "{html}"
    );
    assert_eq!(
        send(served.addr, "GET", "/records/cho-gom", &[], b"").status,
        404
    );

    std::fs::remove_file(&blocker).unwrap();
    let again = served.post(&format!("/en/workspace/batches/{id}/confirm"), &[]);
    assert_eq!(again.status, 303, "{}", again.text());
    assert_eq!(served.finished(&id)["state"], "done");
    assert_eq!(
        send(served.addr, "GET", "/records/cho-gom", &[], b"").status,
        200
    );
    let html = served.get(&page_path).text();
    assert!(
        html.contains("Ingest report") && !html.contains("Run again"),
        "{html}"
    );

    for (action, words) in [
        ("confirm", "a batch is never ingested twice"),
        ("cancel", "a batch is never ingested twice"),
    ] {
        let twice = served.post(&format!("/en/workspace/batches/{id}/{action}"), &[]);
        assert_eq!(twice.status, 409, "{action}: {}", twice.text());
        assert!(twice.text().contains(words), "{action}: {}", twice.text());
    }
    let vi = served.post(&format!("/workspace/batches/{id}/confirm"), &[]);
    assert_eq!(vi.status, 409);
    assert!(
        vi.text().contains("không bao giờ được nhập hai lần"),
        "{}",
        vi.text()
    );
}

/// A real `disan serve` cleans the staging area as it starts, and says what it removed in its
/// log: here a finished upload and an ingested batch's files, both from 1970; the batch's
/// report stays.
#[test]
fn serve_cleans_the_staging_area_when_it_starts_and_logs_each_removal() {
    use std::io::BufRead as _;

    let workspace = crate::support::Workspace::new();
    let (code, report) = workspace.ingest(&workspace.batch("valid"), &[]);
    assert_eq!(code, 0, "{report}");
    let staging = workspace.archive().join("extensions/disan-uploads");
    let upload = "1".repeat(32);
    std::fs::create_dir_all(staging.join("batches")).unwrap();
    std::fs::write(staging.join(format!("{upload}.part")), b"done").unwrap();
    std::fs::write(
        staging.join(format!("{upload}.json")),
        serde_json::to_vec(&serde_json::json!({
            "id": upload, "owner": "thu", "length": 4,
            "metadata": {"filename": "cu.txt"}, "created": 10, "touched": 10,
        }))
        .unwrap(),
    )
    .unwrap();
    let batch = "2".repeat(32);
    let folder = staging.join("batches").join(&batch);
    std::fs::create_dir_all(folder.join("lo/objects")).unwrap();
    std::fs::write(folder.join("lo/objects/a.jpg"), b"old").unwrap();
    std::fs::write(
        folder.join("batch.json"),
        serde_json::to_vec(&serde_json::json!({
            "id": batch, "owner": "thu", "name": "lo", "created": 10, "state": "done",
            "checked": null, "report": {"records": {"added": ["a"]}},
        }))
        .unwrap(),
    )
    .unwrap();

    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut child = workspace
        .disan()
        .current_dir(root)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("disan serve");
    let stderr = child.stderr.take().unwrap();
    let (lines, logged) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let mut removals = Vec::new();
    while removals.len() < 2 {
        match logged.recv_timeout(Duration::from_secs(60)) {
            Ok(line) if line.contains("staging cleanup removed") => removals.push(line),
            Ok(_) => {}
            Err(error) => panic!("{error}: logged so far {removals:?}"),
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    removals.sort();
    assert_eq!(
        removals,
        vec![
            format!(
                "disan serve: staging cleanup removed finished upload {upload} of thu ('cu.txt', 4 B): not made a batch within its lifetime"
            ),
            format!(
                "disan serve: staging cleanup removed the staged files of ingested batch {batch} of thu ('lo', 3 B): the archive holds them; the report is kept"
            ),
        ]
    );
    assert!(!staging.join(format!("{upload}.part")).exists());
    assert!(!folder.join("lo").exists());
    let kept: serde_json::Value =
        serde_json::from_slice(&std::fs::read(folder.join("batch.json")).unwrap()).unwrap();
    assert_eq!(kept["state"], "done");
    assert_eq!(kept["report"]["records"]["added"][0], "a");
    assert!(kept["files_removed"].is_u64(), "{kept}");
}
