//! Uploads made a batch (issue 15, upload): checked like a dry run, every problem shown with its
//! file, row and column, a bad row fixed on the batch's page, confirmed and ingested in the
//! background; nobody but its archivist reaching it; one writer at a time.

use super::*;

#[test]
fn an_uploaded_folder_is_checked_first_and_ingested_in_the_background_once_confirmed() {
    let served = served();
    let ids: Vec<String> = fixture_files("bad-rows")
        .iter()
        .map(|(path, bytes)| served.upload(&format!("bad-rows/{path}"), bytes))
        .collect();
    let fields: Vec<(&str, &str)> = ids.iter().map(|id| ("upload", id.as_str())).collect();
    let made = served.post("/en/workspace/batches", &fields);
    assert_eq!(made.status, 303, "{}", made.text());
    let page_path = made.header("location").to_string();
    assert!(
        page_path.starts_with("/en/workspace/batches/"),
        "{page_path}"
    );

    // The dry run's report: every bad row, by file, row as a spreadsheet shows it, and column;
    // nothing written yet.
    let page = served.get(&page_path);
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(
        html.contains("<code>metadata/metadata.csv</code></td><td>3</td><td><code>access</code>"),
        "{html}"
    );
    assert!(
        html.contains("&#39;privat&#39; is not an access level"),
        "{html}"
    );
    assert!(html.contains("Records added: 2"), "{html}");
    let visitor = |path: &str| send(served.addr, "GET", path, &[], b"").status;
    assert_eq!(
        visitor("/records/tot"),
        404,
        "nothing is written before confirming"
    );

    // Confirmed: ingested in the background; the status follows it to the end.
    let id = page_path.rsplit('/').next().unwrap();
    let confirmed = served.post(&format!("/en/workspace/batches/{id}/confirm"), &[]);
    assert_eq!(confirmed.status, 303, "{}", confirmed.text());
    let mut state = String::new();
    for _ in 0..600 {
        let status = served.get(&format!("/workspace/batches/{id}/status"));
        assert_eq!(status.status, 200);
        let json: serde_json::Value = serde_json::from_slice(&status.body).unwrap();
        state = json["state"].as_str().unwrap().to_string();
        if state == "done" || state == "failed" {
            assert_eq!(json["percent"], 100);
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(state, "done");
    assert_eq!(visitor("/records/tot"), 200, "the good rows went in");
    assert_eq!(visitor("/records/f"), 200);
    // The report is kept: on the batch's page and in the list of batches.
    let report = served.get(&page_path).text();
    assert!(
        report.contains("Ingest report") && report.contains("/en/records/tot/history"),
        "{report}"
    );
    let list = served.get("/en/workspace/uploads").text();
    assert!(
        list.contains(&page_path) && list.contains("ingested"),
        "{list}"
    );
    // Confirming twice ingests nothing twice.
    let again = served.post(&format!("/en/workspace/batches/{id}/confirm"), &[]);
    assert_eq!(again.status, 409);
}

#[test]
fn a_path_leading_out_of_the_batch_is_refused_naming_it() {
    let served = served();
    let good = served.upload("lo/metadata/metadata.csv", b"filename,dc.title\n");
    let bad = served.upload("lo/../../etc/passwd", b"root");
    let refused = served.post(
        "/en/workspace/batches",
        &[("upload", good.as_str()), ("upload", bad.as_str())],
    );
    assert_eq!(refused.status, 422, "{}", refused.text());
    let text = refused.text();
    assert!(
        text.contains("lo/../../etc/passwd") && text.contains("not a plain relative path"),
        "{text}"
    );
    // Nothing was staged: both uploads are still there, the batch list is empty.
    let list = served.get("/en/workspace/uploads").text();
    assert!(list.contains("You have no batches."), "{list}");
}

#[test]
fn a_batch_page_is_its_owners_alone() {
    let served = served();
    let id = served.upload("lo/metadata/metadata.csv", b"filename,dc.title\n");
    let made = served.post("/workspace/batches", &[("upload", id.as_str())]);
    assert_eq!(made.status, 303, "{}", made.text());
    let page_path = made.header("location").to_string();
    let batch = page_path.rsplit('/').next().unwrap();
    for path in [
        page_path.clone(),
        format!("/workspace/batches/{batch}/status"),
    ] {
        assert_eq!(
            send(served.addr, "GET", &path, &[], b"").status,
            404,
            "{path}"
        );
    }
    // Anonymous, and an archivist's API token (tokens read, they never edit), on every form:
    // the site's 404, the batch untouched.
    let token = crate::support::token_of(&served.fixture.accounts, "duc", Role::Archivist, &[]);
    let unknown = send(served.addr, "GET", "/en/no-such-page", &[], b"").body;
    for credentials in [vec![], vec![("Authorization", format!("Bearer {token}"))]] {
        let mut headers = credentials;
        headers.push((
            "Content-Type",
            "application/x-www-form-urlencoded".to_string(),
        ));
        for action in ["confirm", "cancel", "sheet"] {
            let path = format!("/en/workspace/batches/{batch}/{action}");
            let body = format!("csrf={}&sheet=filename", served.csrf);
            let reply = send(served.addr, "POST", &path, &headers, body.as_bytes());
            assert_eq!(reply.status, 404, "{headers:?} {path}");
            assert_eq!(reply.body, unknown, "{path}");
        }
        let status = send(
            served.addr,
            "GET",
            &format!("/workspace/batches/{batch}/status"),
            &headers,
            b"",
        );
        assert_eq!(status.status, 404);
    }
    let status = served.get(&format!("/workspace/batches/{batch}/status"));
    let json: serde_json::Value = serde_json::from_slice(&status.body).unwrap();
    assert_eq!(json["state"], "checked");
}

#[test]
fn a_bad_row_is_fixed_on_the_batch_page_and_checked_again_before_confirming() {
    let served = served();
    let page_path = served.batch_of(&three_files("privat"));
    let id = page_path.rsplit('/').next().unwrap().to_string();
    let html = served.get(&page_path).text();
    assert!(
        html.contains("<code>metadata/metadata.csv</code></td><td>3</td><td><code>access</code>"),
        "{html}"
    );
    assert!(html.contains("Records added: 1"), "{html}");
    // The sheet, as uploaded, in a text box beside the report.
    assert!(
        html.contains("Correct the sheet (metadata/metadata.csv)")
            && html.contains("objects/lo-nung.jpg,Lò nung cũ,2021-05-03,photo,,,privat"),
        "{html}"
    );

    // Corrected and checked again: no problem left, both records to add, still nothing written.
    let corrected = String::from_utf8(three_files("restricted")[0].1.clone()).unwrap();
    let saved = served.post(
        &format!("/en/workspace/batches/{id}/sheet"),
        &[("sheet", &corrected.replace('\n', "\r\n"))],
    );
    assert_eq!(saved.status, 303, "{}", saved.text());
    assert_eq!(saved.header("location"), format!("{page_path}#report"));
    let html = served.get(&page_path).text();
    assert!(html.contains("No problems."), "{html}");
    assert!(html.contains("Records added: 2"), "{html}");
    let visitor = |path: &str| send(served.addr, "GET", path, &[], b"").status;
    assert_eq!(visitor("/records/cho-gom"), 404, "nothing written yet");

    // Confirmed: both rows go in, the restricted one hidden from visitors.
    let confirmed = served.post(&format!("/en/workspace/batches/{id}/confirm"), &[]);
    assert_eq!(confirmed.status, 303, "{}", confirmed.text());
    assert_eq!(served.finished(&id)["state"], "done");
    assert_eq!(visitor("/records/cho-gom"), 200);
    assert_eq!(
        visitor("/records/lo-nung"),
        404,
        "restricted: not for visitors"
    );
    assert_eq!(
        served.get("/en/records/lo-nung").status,
        200,
        "the archivist sees it"
    );
    // Once confirmed, the sheet is no longer offered nor taken.
    let html = served.get(&page_path).text();
    assert!(!html.contains("Correct the sheet"), "{html}");
    let late = served.post(
        &format!("/en/workspace/batches/{id}/sheet"),
        &[("sheet", "filename\n")],
    );
    assert_eq!(late.status, 409, "{}", late.text());

    // The archive stays valid with the staging area beside it (an unfinished upload and the
    // ingested batch's folder): `disan verify` passes, and so does the OCFL validator.
    assert_eq!(served.create(1000, "dang-do.mp4").status, 201);
    let workspace = &served.fixture.workspace;
    let verified = workspace.verify();
    assert_eq!(verified.status.code(), Some(0), "{verified:?}");
    if crate::tools::ocfl_py() {
        let script =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/ocfl_validate_root.py");
        let output = std::process::Command::new("python3")
            .arg(script)
            .arg(workspace.archive())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(!stdout.contains("][E"), "errors reported: {stdout}");
        assert!(stdout.contains("-> VALID"), "{stdout}");
    }
}

#[test]
fn researchers_admins_and_other_archivists_never_reach_a_batch() {
    let served = served();
    let page_path = served.batch_of(&three_files("public"));
    let id = page_path.rsplit('/').next().unwrap().to_string();
    let upload = served.upload("giu-lai.txt", b"kept");
    let unknown = send(served.addr, "GET", "/en/no-such-page", &[], b"").body;

    let runtime = tokio::runtime::Runtime::new().unwrap();
    // A researcher, an admin (who sees only their communities' records, so makes no batch)
    // and another archivist, each signed in with a session and holding their own token.
    let others: Vec<(&str, String, String)> = runtime.block_on(async {
        let fixture = &served.fixture;
        fixture
            .accounts
            .add_user("lan", Role::Researcher, PASSWORD, &[], "test")
            .unwrap();
        let mut lan = crate::auth::Browser::new("192.0.2.62");
        lan.sign_in(&fixture.site, "lan", PASSWORD, "").await;
        let lan_csrf = lan.token(&fixture.site, "/en/account").await;
        let mut duc = archivist(fixture, "duc", "192.0.2.63").await;
        let duc_csrf = duc.token(&fixture.site, "/en/workspace/uploads").await;
        fixture
            .accounts
            .add_user("an", Role::Admin, PASSWORD, &[], "test")
            .unwrap();
        let mut an = crate::auth::Browser::new("192.0.2.64");
        let signed = an
            .sign_in(
                &fixture.site,
                "an",
                PASSWORD,
                &crate::auth::code(fixture, "an"),
            )
            .await;
        assert_eq!(signed.status, 200, "{}", signed.text());
        fixture.clock.advance(30);
        let an_csrf = an.token(&fixture.site, "/en/account").await;
        vec![
            ("researcher", lan.cookie.unwrap(), lan_csrf),
            ("other archivist", duc.cookie.unwrap(), duc_csrf),
            ("admin", an.cookie.unwrap(), an_csrf),
        ]
    });
    for (who, cookie, csrf) in &others {
        let form = |fields: &[(&str, &str)]| {
            let mut pairs = vec![("csrf", csrf.as_str())];
            pairs.extend_from_slice(fields);
            crate::auth::form(&pairs)
        };
        let headers = vec![
            ("Cookie", cookie.clone()),
            (
                "Content-Type",
                "application/x-www-form-urlencoded".to_string(),
            ),
        ];
        for (method, path, body) in [
            ("GET", page_path.clone(), String::new()),
            ("GET", format!("/workspace/batches/{id}"), String::new()),
            (
                "GET",
                format!("/workspace/batches/{id}/status"),
                String::new(),
            ),
            (
                "POST",
                format!("/workspace/batches/{id}/confirm"),
                form(&[]),
            ),
            (
                "POST",
                format!("/en/workspace/batches/{id}/sheet"),
                form(&[("sheet", "filename\n")]),
            ),
            ("POST", format!("/workspace/batches/{id}/cancel"), form(&[])),
            (
                "POST",
                format!("/en/workspace/uploads/{upload}/cancel"),
                form(&[]),
            ),
        ] {
            let reply = send(served.addr, method, &path, &headers, body.as_bytes());
            assert_eq!(reply.status, 404, "{who} {method} {path}: {}", reply.text());
            assert_eq!(reply.body, unknown, "{who} {method} {path}");
        }
        // The researcher and the admin make no batch, and reach neither the upload page nor the
        // upload protocol (uploads become batches); the other archivist has their own page,
        // without this batch.
        if *who != "other archivist" {
            let reply = send(
                served.addr,
                "POST",
                "/workspace/batches",
                &headers,
                form(&[]).as_bytes(),
            );
            assert_eq!(reply.status, 404, "{who}: {}", reply.text());
            assert_eq!(reply.body, unknown, "{who} POST /workspace/batches");
            let tus_headers = vec![
                ("Cookie", cookie.clone()),
                ("Tus-Resumable", "1.0.0".to_string()),
                ("X-CSRF-Token", csrf.clone()),
                ("Upload-Length", "10".to_string()),
            ];
            for method in ["OPTIONS", "POST"] {
                let reply = send(served.addr, method, "/workspace/tus", &tus_headers, b"");
                assert_eq!(reply.status, 404, "{who} {method} /workspace/tus");
            }
        }
        let uploads = send(served.addr, "GET", "/en/workspace/uploads", &headers, b"");
        if *who == "other archivist" {
            assert_eq!(uploads.status, 200);
            assert!(!uploads.text().contains(&id), "{who} sees the batch");
        } else {
            assert_eq!(uploads.status, 404, "{who}");
            assert_eq!(uploads.body, unknown, "{who} GET /en/workspace/uploads");
        }
    }
    // The batch and the upload are untouched: still waiting for their owner.
    let status = served.get(&format!("/workspace/batches/{id}/status"));
    let json: serde_json::Value = serde_json::from_slice(&status.body).unwrap();
    assert_eq!(json["state"], "checked");
    assert!(
        served
            .get("/en/workspace/uploads")
            .text()
            .contains("giu-lai.txt")
    );
}

/// Regression for "a web ingest and a CLI ingest corrupt each other": while a process holds
/// the archive's write lock (as `disan ingest` does), a confirmed batch waits, saying so, and
/// starts when the lock is released; a `disan ingest` started while the archive is held is
/// refused with a clear message.
#[test]
fn a_confirmed_batch_waits_for_another_writer_and_a_cli_ingest_is_refused_meanwhile() {
    let served = served();
    let page_path = served.batch_of(&three_files("public"));
    let id = page_path.rsplit('/').next().unwrap().to_string();
    let archive = disan::archive::Archive::open(&served.fixture.workspace.archive()).unwrap();
    let held = archive.lock().unwrap();

    let confirmed = served.post(&format!("/en/workspace/batches/{id}/confirm"), &[]);
    assert_eq!(confirmed.status, 303, "{}", confirmed.text());
    let mut waiting = false;
    for _ in 0..100 {
        let status = served.get(&format!("/workspace/batches/{id}/status"));
        let json: serde_json::Value = serde_json::from_slice(&status.body).unwrap();
        if json["state"] == "waiting" {
            waiting = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(waiting, "the batch waits for the other writer");
    let html = served.get(&page_path).text();
    assert!(
        html.contains("waiting for another process writing the archive"),
        "{html}"
    );
    assert_eq!(
        send(served.addr, "GET", "/records/cho-gom", &[], b"").status,
        404
    );

    // A command-line ingest meanwhile: refused, saying why, nothing written.
    let workspace = &served.fixture.workspace;
    let output = workspace
        .disan()
        .arg("ingest")
        .arg(workspace.batch("valid"))
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("another Disan process is writing"),
        "{stderr}"
    );

    drop(held);
    assert_eq!(served.finished(&id)["state"], "done");
    assert_eq!(
        send(served.addr, "GET", "/records/cho-gom", &[], b"").status,
        200
    );
}

/// Issue 15: the dry run's report on the Vietnamese page says each problem in Vietnamese, with
/// its file, row and column; a problem with no translation yet (a corrupt JPEG's, whose words
/// come from the decoder) is shown in its English words, marked `lang="en"`. The English page
/// says the same in English.
#[test]
fn the_vietnamese_report_says_each_problem_in_vietnamese_with_its_file_row_and_column() {
    let served = served();
    let mut files = three_files("privat");
    files[0].1 = "filename,dc.title,dc.date,kind,lunar_date,access\n\
         objects/cho-gom.jpg,Chợ gốm sáng sớm,2021-02-30,photo,,public\n\
         objects/lo-nung.jpg,Lò nung cũ,2021-05-03,photo,13-1,privat\n"
        .as_bytes()
        .to_vec();
    let corrupt = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/batches/corrupt-media/objects/cat-doi.jpg");
    files.push((
        "lo-cho/objects/cat-doi.jpg".to_string(),
        std::fs::read(corrupt).unwrap(),
    ));
    let english_path = served.batch_of(&files);
    let path = english_path.strip_prefix("/en").unwrap().to_string();
    let html = served.get(&path).text();
    let cell = |row: &str, column: &str| {
        format!(
            "<code>metadata/metadata.csv</code></td><td>{row}</td><td><code>{column}</code></td><td"
        )
    };
    assert!(
        html.contains(&format!(
            "{}>&quot;2021-02-30&quot;: tháng 2 năm 2021 có 28 ngày</td>",
            cell("2", "dc.date")
        )),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            "{}>&#39;privat&#39; không phải một mức quyền xem; hãy dùng một trong: public, researchers, restricted, community:&lt;group-id&gt;</td>",
            cell("3", "access")
        )),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            "{}>&#39;13-1&#39; không phải ngày âm lịch: tháng phải từ 1 đến 12, như 1-7</td>",
            cell("3", "lunar_date")
        )),
        "{html}"
    );
    // Disan's words in Vietnamese; the decoder's own words inside stay as it wrote them.
    assert!(
        html.contains(
            "<code>objects/cat-doi.jpg</code></td><td></td><td></td><td>tệp JPEG image bị hỏng hoặc bị cắt cụt: cannot decode the image: the JPEG data is truncated"
        ),
        "{html}"
    );
    assert!(!html.contains("corrupt or truncated"), "{html}");
    assert!(!html.contains("is not an access level"), "{html}");
    assert!(!html.contains("has 28 days"), "{html}");

    let english = served.get(&english_path).text();
    assert!(
        english.contains(&format!(
            "{}>&quot;2021-02-30&quot;: February 2021 has 28 days</td>",
            cell("2", "dc.date")
        )),
        "{english}"
    );
    assert!(
        english.contains(&format!(
            "{}>&#39;privat&#39; is not an access level",
            cell("3", "access")
        )),
        "{english}"
    );
    assert!(
        english.contains("<td></td><td></td><td>corrupt or truncated JPEG image"),
        "{english}"
    );
}
