//! The archivists' workspace (issue 15, slice 1) through the site's router over a real archive,
//! a real index and a real accounts database: an archivist signed in with a TOTP code edits,
//! restricts, restores, withdraws and reinstates a record, and what anonymous visitors get
//! follows before the save returns; nobody else reaches any workspace route; the archive stays
//! valid OCFL, `disan verify` passes, and a rebuilt index finds the same.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::http::StatusCode;
use disan::model::{RecordId, Role};
use disan::web::Site;

use crate::auth::{Browser, Fixture, PASSWORD, code, csrf_of, fixture};
use crate::web::Answer;

pub(crate) const ID: &str = "hoa-van-luc-giac";

/// Every workspace route of record `id`, GET and POST, in both languages.
fn routes(id: &str) -> Vec<(&'static str, String)> {
    let mut routes = Vec::new();
    for prefix in ["", "/en"] {
        routes.push(("GET", format!("{prefix}/records/{id}/edit")));
        routes.push(("GET", format!("{prefix}/records/{id}/history")));
        routes.push(("GET", format!("{prefix}/workspace/withdrawn")));
        for action in [
            "edit",
            "restore",
            "withdraw",
            "reinstate",
            "withhold",
            "release",
        ] {
            routes.push(("POST", format!("{prefix}/records/{id}/{action}")));
        }
    }
    routes
}

/// An archivist `login` added and signed in (password and a TOTP code) in a new browser.
pub(crate) async fn archivist(fixture: &Fixture, login: &str, address: &str) -> Browser {
    staff(fixture, login, Role::Archivist, &[], address).await
}

/// An account `login` of `role` in `groups` added and signed in (password and a TOTP code) in a
/// new browser.
pub(crate) async fn staff(
    fixture: &Fixture,
    login: &str,
    role: Role,
    groups: &[disan::model::GroupId],
    address: &str,
) -> Browser {
    fixture
        .accounts
        .add_user(login, role, PASSWORD, groups, "test")
        .unwrap();
    let mut browser = Browser::new(address);
    let answer = browser
        .sign_in(&fixture.site, login, PASSWORD, &code(fixture, login))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    fixture.clock.advance(30);
    browser
}

/// The current form of record `id` as name/value pairs (what the edit page shows), with
/// `changes` laid over it (a name given replaces every value of that field).
pub(crate) fn form_of(
    fixture: &Fixture,
    id: &str,
    changes: &[(&str, &str)],
) -> Vec<(String, String)> {
    let archive = disan::archive::Archive::open(&fixture.workspace.archive()).unwrap();
    let record = archive
        .record(&RecordId::parse(id).unwrap())
        .unwrap()
        .unwrap();
    let mut fields = disan::workspace::form::fields_of(&record);
    for (name, value) in changes {
        fields.0.insert(name.to_string(), vec![value.to_string()]);
    }
    let mut pairs = Vec::new();
    for (name, values) in fields.0 {
        for value in values {
            pairs.push((name.clone(), value));
        }
    }
    pairs
}

/// Posts the edit form of `id` from version `base` with `changes` and `message`.
pub(crate) async fn save(
    browser: &mut Browser,
    fixture: &Fixture,
    id: &str,
    base: &str,
    changes: &[(&str, &str)],
    message: &str,
) -> Answer {
    let csrf = browser
        .token(&fixture.site, &format!("/en/records/{id}/edit"))
        .await;
    let mut pairs = form_of(fixture, id, changes);
    pairs.push(("base".into(), base.into()));
    pairs.push(("message".into(), message.into()));
    pairs.push(("csrf".into(), csrf));
    let fields: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    browser
        .post(&fixture.site, &format!("/en/records/{id}/edit"), &fields)
        .await
}

/// What an anonymous visitor gets: the record page's status and the ids `/api/search?q=…`
/// finds.
async fn anonymous(site: &Arc<Site>, query: &str) -> (StatusCode, StatusCode, BTreeSet<String>) {
    let mut visitor = Browser::new("198.51.100.7");
    let page = visitor.get(site, &format!("/records/{ID}")).await.status;
    let api = visitor
        .get(site, &format!("/api/records/{ID}"))
        .await
        .status;
    let found = visitor
        .get(site, &format!("/api/search?q={query}"))
        .await
        .json();
    let ids = found["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["id"].as_str().unwrap().to_string())
        .collect();
    (page, api, ids)
}

pub(crate) fn head(fixture: &Fixture, id: &str) -> String {
    let archive = disan::archive::Archive::open(&fixture.workspace.archive()).unwrap();
    archive
        .record_inventory(&RecordId::parse(id).unwrap())
        .unwrap()
        .unwrap()
        .head
}

#[tokio::test]
async fn an_archivist_fixes_a_title_adds_english_and_restricts_a_record_and_the_public_follows() {
    let fixture = fixture();
    let site = &fixture.site;
    let mut thu = archivist(&fixture, "thu", "192.0.2.40").await;

    let page = thu.get(site, &format!("/en/records/{ID}/edit")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    assert_eq!(page.header("cache-control"), "private, no-store");
    let html = page.text();
    assert!(html.contains(r#"name="dc.title@en""#) && html.contains(r#"name="base" value="v1""#));
    assert!(
        html.contains("199X (the 1990s)"),
        "EDTF explained by examples"
    );
    // The record page shows its archivists the way in.
    let record_page = thu.get(site, &format!("/en/records/{ID}")).await.text();
    assert!(record_page.contains(&format!("/en/records/{ID}/edit")));
    let visitor_page = Browser::new("198.51.100.8")
        .get(site, &format!("/en/records/{ID}"))
        .await
        .text();
    assert!(!visitor_page.contains(&format!("/records/{ID}/edit")));

    // A typo fixed: a new version by thu with the message; the public page says it at once.
    let answer = save(
        &mut thu,
        &fixture,
        ID,
        "v1",
        &[("dc.title", "Hoa văn lục giác Nha Xá")],
        "fix the title",
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    assert_eq!(
        answer.header("location"),
        format!("/en/records/{ID}/history?saved=v2")
    );
    let public = Browser::new("198.51.100.9")
        .get(site, &format!("/records/{ID}"))
        .await;
    assert!(public.text().contains("Hoa văn lục giác Nha Xá"));
    let archive = disan::archive::Archive::open(&fixture.workspace.archive()).unwrap();
    let inventory = archive
        .record_inventory(&RecordId::parse(ID).unwrap())
        .unwrap()
        .unwrap();
    let v2 = &inventory.versions["v2"];
    assert_eq!(v2.message.as_deref(), Some("fix the title"));
    assert_eq!(v2.user.as_ref().unwrap().name, "thu");

    // An English description added.
    let answer = save(
        &mut thu,
        &fixture,
        ID,
        "v2",
        &[(
            "dc.description@en",
            "A hexagon pattern, machine-made for tests",
        )],
        "English description",
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    let (page, api, found) = anonymous(site, "hexagon+pattern").await;
    assert_eq!((page, api), (StatusCode::OK, StatusCode::OK));
    assert!(found.contains(ID), "{found:?}");

    // Restricted: gone from every anonymous surface as soon as the save has answered.
    let answer = save(
        &mut thu,
        &fixture,
        ID,
        "v3",
        &[("access", "restricted")],
        "restricted at the request of the village",
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    let (page, api, found) = anonymous(site, "hexagon+pattern").await;
    assert_eq!((page, api), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND));
    assert!(!found.contains(ID), "{found:?}");
    // The archivist still sees it, with its badge.
    assert_eq!(
        thu.get(site, &format!("/en/records/{ID}")).await.status,
        StatusCode::OK
    );

    // Saving the same form again writes nothing and says so.
    let answer = save(&mut thu, &fixture, ID, "v4", &[], "nothing").await;
    assert_eq!(
        answer.header("location"),
        format!("/en/records/{ID}/history?unchanged=1")
    );
    assert_eq!(head(&fixture, ID), "v4");

    // History: every version with who and why, and the access change in words.
    let history = thu.get(site, &format!("/en/records/{ID}/history")).await;
    assert_eq!(history.status, StatusCode::OK);
    assert_eq!(history.header("cache-control"), "private, no-store");
    let text = history.text();
    for expected in [
        "restricted at the request of the village",
        "English description",
        "fix the title",
        "<code>access</code> changed",
        "<q>Hoa văn lục giác</q>",
        "<q>Hoa văn lục giác Nha Xá</q>",
        // Restoring a version that was public says so before anything is written.
        "Restoring v1 also changes who may see the record: public in v1, restricted now.",
        "(Vietnam time, UTC+7)",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    assert!(
        !text.contains("Restoring v4 also changes"),
        "v4 is restricted like the head"
    );

    // Restore v1: a new version (v5) whose description is v1's: public again, old title back.
    let csrf = csrf_of(&text);
    let answer = thu
        .post(
            site,
            &format!("/en/records/{ID}/restore"),
            &[
                ("base", "v4"),
                ("version", "v1"),
                ("message", "Restored v1"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    assert_eq!(head(&fixture, ID), "v5");
    let (page, _, _) = anonymous(site, "hexagon").await;
    assert_eq!(page, StatusCode::OK);
    let public = Browser::new("198.51.100.9")
        .get(site, &format!("/records/{ID}"))
        .await
        .text();
    assert!(public.contains(">Hoa văn lục giác</h1>"), "{public}");

    after_edits_the_archive_is_valid_and_a_rebuilt_index_finds_the_same(&fixture).await;
}

/// `ocfl-py` finds every object of the workspace's archive valid (when installed) and `disan
/// verify` passes.
pub(crate) fn archive_is_valid(workspace: &crate::support::Workspace) {
    if crate::tools::ocfl_py() {
        let script =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/ocfl_validate_root.py");
        let output = std::process::Command::new("python3")
            .arg(script)
            .arg(workspace.archive())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{stdout}");
        assert!(stdout.contains("-> VALID"), "{stdout}");
        assert!(!stdout.contains("][E"), "errors reported: {stdout}");
    }
    let verify = workspace.verify();
    assert_eq!(
        verify.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&verify.stdout),
        String::from_utf8_lossy(&verify.stderr)
    );
}

/// `ocfl-py` finds every object valid, `disan verify` passes, and deleting `index/` then
/// `disan reindex` gives the same search answers.
pub(crate) async fn after_edits_the_archive_is_valid_and_a_rebuilt_index_finds_the_same(
    fixture: &Fixture,
) {
    let workspace = &fixture.workspace;
    archive_is_valid(workspace);
    let queries = [
        "hoa+v%C4%83n",
        "hexagon",
        "tr%E1%BB%91ng",
        "l%E1%BB%A5c+gi%C3%A1c",
    ];
    let answers = |site: &Arc<Site>| {
        let site = site.clone();
        async move {
            let mut answers = Vec::new();
            for query in queries {
                let json = Browser::new("198.51.100.3")
                    .get(&site, &format!("/api/search?q={query}"))
                    .await
                    .json();
                answers.push(json["hits"].clone());
            }
            answers
        }
    };
    let before = answers(&fixture.site).await;
    std::fs::remove_dir_all(workspace.index()).unwrap();
    let output = workspace.disan().arg("reindex").output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let rebuilt = Arc::new(Site::open(&workspace.archive(), &workspace.index(), None).unwrap());
    let after = answers(&rebuilt).await;
    assert_eq!(before, after);
}

#[tokio::test]
async fn a_second_save_from_the_same_version_is_refused_with_both_changes() {
    let fixture = fixture();
    let site = &fixture.site;
    let mut thu = archivist(&fixture, "thu", "192.0.2.41").await;
    let mut minh = archivist(&fixture, "minh", "192.0.2.42").await;
    let first = save(
        &mut thu,
        &fixture,
        ID,
        "v1",
        &[("dc.title", "Hoa văn sáu cạnh")],
        "clearer title",
    )
    .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.text());
    // minh's form was made from v1 too.
    let second = save(
        &mut minh,
        &fixture,
        ID,
        "v1",
        &[("dc.subject@en", "pattern")],
        "English subject",
    )
    .await;
    assert_eq!(second.status, StatusCode::CONFLICT, "{}", second.text());
    let text = second.text();
    assert!(
        text.contains("someone else changed the record from v1 to v2"),
        "{text}"
    );
    assert!(
        text.contains("<q>Hoa văn sáu cạnh</q>"),
        "their change: {text}"
    );
    assert!(
        text.contains("<code>dc.subject@en</code> added"),
        "yours: {text}"
    );
    assert!(text.contains(r#"name="base" value="v2""#));
    assert_eq!(head(&fixture, ID), "v2", "nothing written");
    // The form shown is the head with minh's change laid over it: saving it keeps both.
    assert!(
        text.contains(r#"name="dc.title" type="text" value="Hoa văn sáu cạnh""#),
        "{text}"
    );
    assert!(
        text.contains(r#"name="dc.subject@en" type="text" value="pattern""#),
        "{text}"
    );
    let public = Browser::new("198.51.100.1")
        .get(site, &format!("/records/{ID}"))
        .await
        .text();
    assert!(public.contains("Hoa văn sáu cạnh"), "no lost update");
}

#[tokio::test]
async fn errors_are_shown_beside_their_field_and_nothing_is_written() {
    let fixture = fixture();
    let mut thu = archivist(&fixture, "thu", "192.0.2.43").await;
    let answer = save(
        &mut thu,
        &fixture,
        ID,
        "v1",
        &[("dc.date", "May 1930"), ("village", "lang-khong-co")],
        "date",
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = answer.text();
    assert!(text.contains(r#"id="f-dc-date-errors""#), "{text}");
    assert!(text.contains("May 1930"), "{text}");
    assert!(text.contains(r#"id="f-village-errors""#), "{text}");
    assert!(text.contains("lang-khong-co"), "{text}");
    // A missing message is refused too.
    let answer = save(&mut thu, &fixture, ID, "v1", &[], "  ").await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.text().contains("Write a few words on what changed"));
    assert_eq!(head(&fixture, ID), "v1");
}

#[tokio::test]
async fn a_withdrawn_record_is_on_no_surface_but_the_workspace_and_comes_back_when_reinstated() {
    let fixture = fixture();
    let site = &fixture.site;
    let mut thu = archivist(&fixture, "thu", "192.0.2.44").await;
    let thumb = format!("/media/{ID}/thumb/0");
    let visitor_thumb = Browser::new("198.51.100.2").get(site, &thumb).await;
    assert_eq!(
        visitor_thumb.status,
        StatusCode::OK,
        "the thumbnail is served before"
    );
    let csrf = thu.token(site, &format!("/en/records/{ID}/history")).await;
    let answer = thu
        .post(
            site,
            &format!("/en/records/{ID}/withdraw"),
            &[
                ("base", "v1"),
                ("reason", "consent withdrawn"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    let (page, api, found) = anonymous(site, "hexagon").await;
    assert_eq!((page, api), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND));
    assert!(!found.contains(ID));
    // Not even its archivist sees it on the site; media and the sitemap drop it too.
    assert_eq!(
        thu.get(site, &format!("/en/records/{ID}")).await.status,
        StatusCode::NOT_FOUND
    );
    let found = thu.get(site, "/api/search?q=hexagon").await.json();
    assert!(
        !found["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|hit| hit["id"] == ID)
    );
    let sitemap = Browser::new("198.51.100.2")
        .get(site, "/sitemaps/records-1.xml")
        .await
        .text();
    assert!(!sitemap.contains(ID));
    assert_eq!(
        Browser::new("198.51.100.2").get(site, &thumb).await.status,
        StatusCode::NOT_FOUND
    );
    // `disan verify` passes on the archive with a withdrawn record, and its index still holds
    // nothing of it.
    let verify = fixture.workspace.verify();
    assert_eq!(verify.status.code(), Some(0), "{verify:?}");
    let (page, _, _) = anonymous(site, "hexagon").await;
    assert_eq!(page, StatusCode::NOT_FOUND);
    // A batch never reinstates: re-ingesting its row with a corrected title writes a version
    // that stays withdrawn, and the report says so.
    let batch = fixture.workspace.batch("valid");
    let sheet = batch.join("metadata/metadata.csv");
    let text = std::fs::read_to_string(&sheet).unwrap();
    std::fs::write(
        &sheet,
        text.replace("Hoa văn lục giác,", "Hoa văn lục giác đã sửa,"),
    )
    .unwrap();
    let (code, report) = fixture.workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{report}");
    assert!(
        crate::support::problems(&report)
            .iter()
            .any(|p| p.contains(&format!(
                "record '{ID}' is withdrawn (consent withdrawn, by thu on "
            )) && p.contains("its new version stays withdrawn")),
        "{report}"
    );
    let record = crate::support::record(&fixture.workspace, ID);
    assert_eq!(
        record.withdrawal.as_ref().map(|w| w.reason.as_str()),
        Some("consent withdrawn")
    );
    assert_eq!(
        record.dc_value("title", disan::model::Lang::Vi),
        Some("Hoa văn lục giác đã sửa")
    );
    let (page, api, found) = anonymous(site, "hexagon").await;
    assert_eq!((page, api), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND));
    assert!(!found.contains(ID));
    // The workspace lists it as withdrawn, with the reason.
    let list = thu.get(site, "/en/workspace/withdrawn").await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.header("cache-control"), "private, no-store");
    assert!(list.text().contains(&format!("/en/records/{ID}/history")));
    assert!(list.text().contains("consent withdrawn"));
    for path in ["/workspace/withdrawn", "/en/workspace/withdrawn"] {
        let answer = Browser::new("198.51.100.2").get(site, path).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}");
    }
    let history = thu.get(site, &format!("/en/records/{ID}/history")).await;
    assert_eq!(history.status, StatusCode::OK);
    assert!(
        history
            .text()
            .contains("The record is withdrawn: consent withdrawn (thu,")
    );
    let csrf = csrf_of(&history.text());
    let answer = thu
        .post(
            site,
            &format!("/en/records/{ID}/reinstate"),
            &[
                // v3 is the re-ingest above, still withdrawn.
                ("base", "v3"),
                ("reason", "consent given again"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    let (page, api, found) = anonymous(site, "hexagon").await;
    assert_eq!((page, api), (StatusCode::OK, StatusCode::OK));
    assert!(found.contains(ID));
    assert_eq!(head(&fixture, ID), "v4");
    after_edits_the_archive_is_valid_and_a_rebuilt_index_finds_the_same(&fixture).await;
}

/// Every one of `routes` (method, path) answers the site's 404 to a researcher signed in, to an
/// anonymous visitor and to an archivist's API token (tokens read; they never edit); a POST
/// carries the form `body` (and, from the browsers, a made-up `csrf`).
pub(crate) async fn nobody_else_reaches(fixture: &Fixture, routes: &[(&str, String)], body: &str) {
    let site = &fixture.site;
    fixture
        .accounts
        .add_user("lan", Role::Researcher, PASSWORD, &[], "test")
        .unwrap();
    let mut researcher = Browser::new("192.0.2.45");
    researcher.sign_in(site, "lan", PASSWORD, "").await;
    let mut anonymous = Browser::new("192.0.2.46");
    let token = crate::support::token_of(&fixture.accounts, "duc", Role::Archivist, &[]);
    let mut fields: Vec<(&str, &str)> = vec![("csrf", "x")];
    fields.extend(body.split('&').filter_map(|pair| pair.split_once('=')));
    for (method, uri) in routes {
        for (who, browser) in [
            ("researcher", &mut researcher),
            ("anonymous", &mut anonymous),
        ] {
            let answer = match *method {
                "GET" => browser.get(site, uri).await,
                _ => browser.post(site, uri, &fields).await,
            };
            assert_eq!(answer.status, StatusCode::NOT_FOUND, "{who} {method} {uri}");
        }
        let request = axum::http::Request::builder()
            .method(*method)
            .uri(uri)
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(if *method == "POST" {
                body.to_string()
            } else {
                String::new()
            }))
            .unwrap();
        let answer = Browser::new("192.0.2.47").send(site, request).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "token {method} {uri}");
    }
}

#[tokio::test]
async fn nobody_else_reaches_any_workspace_route_and_forms_need_their_token() {
    let fixture = fixture();
    let site = &fixture.site;
    let unknown = Browser::new("192.0.2.46")
        .get(site, "/en/no-such-page")
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    nobody_else_reaches(&fixture, &routes(ID), "base=v1").await;
    // An archivist's forms without this session's token (or from another site) change nothing.
    let mut thu = archivist(&fixture, "thu", "192.0.2.48").await;
    for (_, uri) in routes(ID).into_iter().filter(|(m, _)| *m == "POST") {
        let answer = thu
            .post(
                site,
                &uri,
                &[
                    ("base", "v1"),
                    ("reason", "x"),
                    ("message", "x"),
                    ("version", "v1"),
                ],
            )
            .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "no token: {uri}");
        let answer = thu
            .post(
                site,
                &uri,
                &[("csrf", "forged"), ("base", "v1"), ("reason", "x")],
            )
            .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "forged token: {uri}");
    }
    let csrf = thu.token(site, &format!("/en/records/{ID}/history")).await;
    let answer = thu
        .post_with(
            site,
            &format!("/en/records/{ID}/withdraw"),
            &[("base", "v1"), ("reason", "x"), ("csrf", &csrf)],
            Some("cross-site"),
        )
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(head(&fixture, ID), "v1", "nothing written");
    // An unknown record is the same 404 for an archivist.
    assert_eq!(
        thu.get(site, "/en/records/no-such-record/edit")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_save_while_an_ingest_holds_the_archive_is_refused_clearly_and_writes_nothing() {
    let fixture = fixture();
    let mut thu = archivist(&fixture, "thu", "192.0.2.49").await;
    let archive = disan::archive::Archive::open(&fixture.workspace.archive()).unwrap();
    let held = archive.lock().unwrap();
    let answer = save(
        &mut thu,
        &fixture,
        ID,
        "v1",
        &[("dc.title", "Hoa văn (bận)")],
        "while busy",
    )
    .await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        answer.text().contains(
            "An ingest is writing the archive; nothing was saved, try again in a minute."
        )
    );
    drop(held);
    assert_eq!(head(&fixture, ID), "v1");
    // And a CLI ingest started while the site writes gets the existing Locked error.
    let lock = disan::workspace::save::lock(&archive, std::time::Duration::ZERO).unwrap();
    let output = fixture
        .workspace
        .disan()
        .arg("ingest")
        .arg(fixture.workspace.batch("valid"))
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("another Disan process is writing to"),
        "{output:?}"
    );
    drop(lock);
}

#[tokio::test]
async fn an_admin_works_only_on_records_an_admin_may_see_and_pages_exist_in_both_languages() {
    let fixture = fixture();
    let site = &fixture.site;
    fixture
        .accounts
        .add_user("an", Role::Admin, PASSWORD, &[], "test")
        .unwrap();
    let mut admin = Browser::new("192.0.2.50");
    let answer = admin
        .sign_in(site, "an", PASSWORD, &code(&fixture, "an"))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    for prefix in ["", "/en"] {
        let page = admin
            .get(site, &format!("{prefix}/records/{ID}/edit"))
            .await;
        assert_eq!(page.status, StatusCode::OK, "{prefix}");
        let lang = if prefix.is_empty() { "vi" } else { "en" };
        assert!(page.text().contains(&format!(r#"<html lang="{lang}">"#)));
        // `restricted` is for archivists alone: to an admin that record does not exist here.
        for what in ["edit", "history"] {
            let answer = admin
                .get(site, &format!("{prefix}/records/fixture-restricted/{what}"))
                .await;
            assert_eq!(answer.status, StatusCode::NOT_FOUND, "{prefix} {what}");
        }
    }
    let vietnamese = admin
        .get(site, &format!("/records/{ID}/history"))
        .await
        .text();
    assert!(vietnamese.contains("Lịch sử hồ sơ") && vietnamese.contains("Rút hồ sơ"));
}

/// One HTTP/1.1 request over a fresh connection to `addr`: the status, the head and the body.
pub(crate) fn http(addr: std::net::SocketAddr, request: &str) -> (u16, String, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let text = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_string(), body.to_string())
}

/// The value of the first `Set-Cookie` in `head` as `name=value`.
pub(crate) fn cookie_of(head: &str) -> String {
    let line = head
        .lines()
        .find(|line| line.to_lowercase().starts_with("set-cookie:"))
        .unwrap_or_else(|| panic!("no cookie in {head}"));
    line["set-cookie:".len()..]
        .trim()
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

/// A POST of `fields` as a form.
pub(crate) fn post(
    addr: std::net::SocketAddr,
    path: &str,
    cookie: &str,
    fields: &[(&str, &str)],
) -> String {
    let body = crate::auth::form(fields);
    format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

pub(crate) fn get(addr: std::net::SocketAddr, path: &str, cookie: &str) -> String {
    let cookie = if cookie.is_empty() {
        String::new()
    } else {
        format!("Cookie: {cookie}\r\n")
    };
    format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n{cookie}Connection: close\r\n\r\n")
}

/// The site of `fixture` served by the server's own connection handling on a local port, on a
/// runtime of its own (kept alive by the caller): the runtime and the address.
pub(crate) fn serve_on_socket(
    fixture: &Fixture,
) -> (tokio::runtime::Runtime, std::net::SocketAddr) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let app = disan::web::app(fixture.site.clone());
    runtime.spawn(disan::web::server::serve(
        app,
        listener,
        disan::web::server::Limits::for_this_process(),
        std::future::pending(),
    ));
    (runtime, addr)
}

/// Signs `login` in (password and a TOTP code) over connections to `addr`: its session cookie
/// (`name=value`).
pub(crate) fn sign_in_over_socket(
    addr: std::net::SocketAddr,
    fixture: &Fixture,
    login: &str,
) -> String {
    let (_, head, body) = http(addr, &get(addr, "/en/login", ""));
    let form_cookie = cookie_of(&head);
    let csrf = csrf_of(&body);
    let code = code(fixture, login);
    let (status, head, _) = http(
        addr,
        &post(
            addr,
            "/en/login",
            &form_cookie,
            &[
                ("login", login),
                ("password", PASSWORD),
                ("totp", &code),
                ("csrf", &csrf),
            ],
        ),
    );
    assert!(status < 400, "{head}");
    head.lines()
        .filter(|line| {
            line.to_lowercase().starts_with("set-cookie:") && line.contains("disan-session")
        })
        .map(|line| {
            line["set-cookie:".len()..]
                .trim()
                .split(';')
                .next()
                .unwrap()
        })
        .next()
        .unwrap_or_else(|| panic!("no session cookie: {head}"))
        .to_string()
}

/// The same edit through a real socket and the server's own connection handling: the archivist
/// signs in, restricts the record, and the next anonymous request over another connection gets
/// the 404.
#[test]
fn a_restriction_saved_over_a_real_socket_hides_the_record_from_the_next_request() {
    let fixture = fixture();
    fixture
        .accounts
        .add_user("thu", Role::Archivist, PASSWORD, &[], "test")
        .unwrap();
    let (_runtime, addr) = serve_on_socket(&fixture);
    let (status, _, _) = http(addr, &get(addr, &format!("/records/{ID}"), ""));
    assert_eq!(status, 200);

    let session = sign_in_over_socket(addr, &fixture, "thu");

    let (status, head, body) = http(
        addr,
        &get(addr, &format!("/en/records/{ID}/edit"), &session),
    );
    assert_eq!(status, 200, "{head}");
    assert!(
        head.to_lowercase()
            .contains("cache-control: private, no-store")
    );
    let csrf = csrf_of(&body);
    let mut pairs = form_of(&fixture, ID, &[("access", "restricted")]);
    pairs.push(("base".into(), "v1".into()));
    pairs.push(("message".into(), "restricted".into()));
    pairs.push(("csrf".into(), csrf));
    let fields: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let (status, head, _) = http(
        addr,
        &post(addr, &format!("/en/records/{ID}/edit"), &session, &fields),
    );
    assert_eq!(status, 303, "{head}");
    for path in [format!("/records/{ID}"), format!("/api/records/{ID}")] {
        let (status, _, _) = http(addr, &get(addr, &path, ""));
        assert_eq!(status, 404, "{path}");
    }
    let (_, _, body) = http(addr, &get(addr, "/api/search?q=hexagon", ""));
    assert!(!body.contains(ID), "{body}");
}

/// A form that does not name the version it was made from (`base` left out, emptied or altered
/// to one the record never had) is refused with a 409 and writes nothing: without it a second
/// archivist's stale form would overwrite the first one's save (break round, 2026-12-02). So is
/// a restore or a withdrawal without one.
#[tokio::test]
async fn a_form_without_its_version_is_refused_and_never_overwrites() {
    let fixture = fixture();
    let site = &fixture.site;
    let mut thu = archivist(&fixture, "thu", "192.0.2.71").await;
    let mut minh = archivist(&fixture, "minh", "192.0.2.72").await;
    let first = save(
        &mut thu,
        &fixture,
        ID,
        "v1",
        &[("dc.title", "Hoa văn sáu cạnh")],
        "title",
    )
    .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.text());
    for base in ["", "v99", "../v1"] {
        let stale = save(
            &mut minh,
            &fixture,
            ID,
            base,
            &[("dc.title", "Hoa văn cũ")],
            "mine",
        )
        .await;
        assert_eq!(
            stale.status,
            StatusCode::CONFLICT,
            "base {base:?}: {}",
            stale.text()
        );
        let text = stale.text();
        assert!(
            text.contains("does not say which version it was made from"),
            "{text}"
        );
        assert!(
            text.contains(r#"name="base" value="v2""#),
            "shown from the head: {text}"
        );
    }
    // No `base` pair at all.
    let csrf = minh.token(site, &format!("/en/records/{ID}/edit")).await;
    let mut pairs = form_of(&fixture, ID, &[("dc.title", "Hoa văn cũ")]);
    pairs.push(("message".into(), "mine".into()));
    pairs.push(("csrf".into(), csrf.clone()));
    let fields: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let answer = minh
        .post(site, &format!("/en/records/{ID}/edit"), &fields)
        .await;
    assert_eq!(answer.status, StatusCode::CONFLICT, "{}", answer.text());
    for action in ["restore", "withdraw"] {
        let fields = [
            ("version", "v1"),
            ("message", "why"),
            ("reason", "why"),
            ("csrf", &csrf),
        ];
        let answer = minh
            .post(site, &format!("/en/records/{ID}/{action}"), &fields)
            .await;
        assert_eq!(
            answer.status,
            StatusCode::CONFLICT,
            "{action}: {}",
            answer.text()
        );
    }
    assert_eq!(head(&fixture, ID), "v2", "nothing written");
    let archive = disan::archive::Archive::open(&fixture.workspace.archive()).unwrap();
    let record = archive
        .record(&RecordId::parse(ID).unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(
        record.dc_value("title", disan::model::Lang::Vi),
        Some("Hoa văn sáu cạnh")
    );
}

/// An edit form between the framework's default body limit (2 MB) and the edit form's own
/// (`EDIT_BODY_LIMIT`, 8 MiB) is read: a long Markdown story stays editable in the browser.
#[tokio::test]
async fn a_long_story_stays_editable() {
    let fixture = fixture();
    let mut thu = archivist(&fixture, "thu", "192.0.2.73").await;
    // 400,000 Vietnamese letters: 800 kB of UTF-8, 2.4 MB once the form percent-encodes them.
    let long = "ố".repeat(400_000);
    let answer = save(
        &mut thu,
        &fixture,
        ID,
        "v1",
        &[("body", long.as_str())],
        "long story",
    )
    .await;
    assert_eq!(
        answer.status,
        StatusCode::SEE_OTHER,
        "{}",
        &answer.text()[..300.min(answer.text().len())]
    );
    assert_eq!(head(&fixture, ID), "v2");
}

/// A form that does not fit its fields (one posted twice, one missing) is the site's `400` page
/// in both languages, never the framework's English text; on the workspace and the sign-in forms.
#[tokio::test]
async fn an_unreadable_form_is_the_sites_page_in_both_languages() {
    let fixture = fixture();
    let site = &fixture.site;
    let mut thu = archivist(&fixture, "thu", "192.0.2.74").await;
    let csrf = thu.token(site, &format!("/records/{ID}/history")).await;
    let fields = [
        ("csrf", csrf.as_str()),
        ("csrf", csrf.as_str()),
        ("version", "v1"),
    ];
    let answer = thu
        .post(site, &format!("/records/{ID}/restore"), &fields)
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let text = answer.text();
    assert!(text.contains("Không đọc được biểu mẫu"), "{text}");
    assert!(text.contains("The form could not be read"), "{text}");
    assert!(!text.contains("Failed to deserialize"), "{text}");
    assert!(answer.header("cache-control").contains("no-store"));
    let answer = Browser::new("198.51.100.74")
        .post(site, "/en/login", &[("login", "a"), ("login", "b")])
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(
        answer.text().starts_with("<!doctype html>"),
        "{}",
        answer.text()
    );
    assert!(answer.text().contains("The form could not be read ("));
}
