//! Batch runs seen from outside (issue 15, upload): a run that outlives its server is offered
//! again, and the whole journey in a real browser.

use super::*;

/// `tests/browser/uploads.browser.mjs` (an archivist signed in with a TOTP code uploads a
/// three-file folder through the site's own script, reads the dry run's report, fixes the bad
/// row on the batch's page, confirms and finds the records; axe-core on the upload and batch
/// pages) against a real `disan serve` over the `valid` fixture, with an archivist made by
/// `disan user add`. Skipped, saying so, without node, chromium or `tests/browser/node_modules`,
/// unless `DISAN_REQUIRE_BROWSER=1`.
#[test]
fn the_upload_journey_works_in_a_real_browser() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    if crate::browser::skipped(root) {
        return;
    }
    let workspace = crate::support::Workspace::new();
    let (code, report) = workspace.ingest(&workspace.batch("valid"), &[]);
    assert_eq!(code, 0, "{report}");
    let secret = crate::browser::add_user(&workspace, "thu", "archivist")
        .expect("user add printed the archivist's key");
    let (server, url) = crate::browser::serve(&workspace, root);
    crate::browser::node_tests(
        root,
        &["--test", "--test-reporter=spec", "uploads.browser.mjs"],
        &[
            ("DISAN_URL", &url),
            ("DISAN_PASSWORD", crate::browser::BROWSER_PASSWORD),
            ("DISAN_TOTP_SECRET", &secret),
        ],
    );
    drop(server);
}

/// The cookies an answer sets, as one `Cookie` header (`name=value; …`), removed ones left out.
fn cookies_of(reply: &Reply) -> String {
    reply
        .headers
        .iter()
        .filter(|(name, value)| name == "set-cookie" && !value.contains("Max-Age=0"))
        .filter_map(|(_, value)| value.split(';').next())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Regression for "Uploading… 100 % for ever" (issue 15): a real `disan serve` is killed while
/// the batch it was asked to ingest waits for the archive (another process holds its lock); the
/// server started again on the same archive shows the batch checked again, saying the run
/// stopped, instead of "being ingested" for ever, and confirming it again ingests it.
#[test]
fn a_batch_whose_server_was_killed_mid_run_is_offered_again_not_ingesting_for_ever() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = crate::support::Workspace::new();
    let (code, report) = workspace.ingest(&workspace.batch("valid"), &[]);
    assert_eq!(code, 0, "{report}");
    crate::browser::add_user(&workspace, "thu", "archivist").expect("a TOTP key");
    let (server, url) = crate::browser::serve(&workspace, root);
    let addr: SocketAddr = url.trim_start_matches("http://").parse().unwrap();

    // Signed in through the login form with a TOTP code, as a browser does.
    let form_page = send(addr, "GET", "/en/login", &[], b"");
    let secret = disan::accounts::Accounts::open(&workspace.accounts())
        .unwrap()
        .find_user("thu")
        .unwrap()
        .unwrap()
        .totp_secret
        .unwrap();
    let code = {
        use disan::accounts::Clock as _;
        disan::accounts::totp::code_at(&secret, disan::accounts::SystemClock.now()).unwrap()
    };
    let body = crate::auth::form(&[
        ("login", "thu"),
        ("password", crate::browser::BROWSER_PASSWORD),
        ("totp", &code),
        ("csrf", &crate::auth::csrf_of(&form_page.text())),
    ]);
    let form_headers = |cookie: String| {
        vec![
            ("Cookie", cookie),
            (
                "Content-Type",
                "application/x-www-form-urlencoded".to_string(),
            ),
        ]
    };
    let signed = send(
        addr,
        "POST",
        "/en/login",
        &form_headers(cookies_of(&form_page)),
        body.as_bytes(),
    );
    let cookie = cookies_of(&signed);
    assert!(cookie.contains("disan-session"), "{}", signed.text());
    let page = send(
        addr,
        "GET",
        "/en/workspace/uploads",
        &[("Cookie", cookie.clone())],
        b"",
    );
    let csrf = crate::auth::csrf_of(&page.text());
    let as_thu = |addr: SocketAddr| Client {
        addr,
        cookie: cookie.clone(),
        csrf: csrf.clone(),
    };
    let thu = as_thu(addr);
    let page_path = thu.batch_of(&three_files("public"));
    let id = page_path.rsplit('/').next().unwrap().to_string();

    // Another process holds the archive: the confirmed batch waits; then its server is killed.
    let archive = disan::archive::Archive::open(&workspace.archive()).unwrap();
    let held = archive.lock().unwrap();
    let confirmed = thu.post(&format!("/en/workspace/batches/{id}/confirm"), &[]);
    assert_eq!(confirmed.status, 303, "{}", confirmed.text());
    let state = |served: &Client| -> serde_json::Value {
        let status = served.get(&format!("/workspace/batches/{id}/status"));
        assert_eq!(status.status, 200, "{}", status.text());
        serde_json::from_slice(&status.body).unwrap()
    };
    let mut waiting = false;
    for _ in 0..100 {
        if state(&thu)["state"] == "waiting" {
            waiting = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(waiting, "the batch waits for the archive");
    drop(server);
    drop(held);

    // Started again: the batch is checked again, the page says the run stopped and offers to
    // confirm; confirmed again, it is ingested.
    let (server, url) = crate::browser::serve(&workspace, root);
    let thu = as_thu(url.trim_start_matches("http://").parse().unwrap());
    assert_eq!(state(&thu)["state"], "checked");
    let html = thu.get(&page_path).text();
    assert!(
        html.contains("stopped with the server before it ended")
            && html.contains("Confirm: ingest this batch"),
        "{html}"
    );
    let confirmed = thu.post(&format!("/en/workspace/batches/{id}/confirm"), &[]);
    assert_eq!(confirmed.status, 303, "{}", confirmed.text());
    assert_eq!(thu.finished(&id)["state"], "done");
    assert_eq!(
        send(thu.addr, "GET", "/records/cho-gom", &[], b"").status,
        200
    );
    drop(server);
}
