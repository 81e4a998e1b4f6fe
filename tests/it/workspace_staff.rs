//! The workspace's staff list (`/workspace`), its audit pages (`/workspace/audit`,
//! `/records/{id}/audit`, with their CSV and JSON exports) and `disan purge`, through the site's
//! router and the real `disan` binary over a real archive, index and accounts database (issue
//! 15): archivists see every record and event; admins only what an admin may see; everyone else,
//! tokens included, the site's 404; a purged record is gone from every route and logged.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use disan::archive::Archive;
use disan::archive::premis::{Event, EventType};
use disan::model::{GroupId, Lang, Role};

use crate::auth::{Browser, Fixture, PASSWORD, fixture};
use crate::workspace_edits::{
    ID, after_edits_the_archive_is_valid_and_a_rebuilt_index_finds_the_same, archivist, head, save,
    staff,
};

/// Each record's id by its Vietnamese title.
fn ids(fixture: &Fixture) -> BTreeMap<String, String> {
    let archive = Archive::open(&fixture.workspace.archive()).unwrap();
    let catalogue = archive.catalogue().unwrap();
    catalogue
        .records
        .values()
        .map(|inventory| {
            let record = archive.record_from(inventory).unwrap();
            (record.title(Lang::Vi).to_string(), record.id.to_string())
        })
        .collect()
}

/// The record ids a staff list page shows, in order.
fn listed(html: &str) -> Vec<String> {
    html.split("<br><code>")
        .skip(1)
        .map(|rest| rest.split("</code>").next().unwrap().to_string())
        .collect()
}

async fn list(browser: &mut Browser, fixture: &Fixture, query: &str) -> Vec<String> {
    let page = browser
        .get(&fixture.site, &format!("/en/workspace?{query}"))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{query}: {}", page.text());
    listed(&page.text())
}

#[tokio::test]
async fn the_staff_list_shows_every_record_with_its_badges_and_filters_them() {
    let fixture = fixture();
    let site = &fixture.site;
    let ids = ids(&fixture);
    let (photo, film, sound) = (
        &ids["Mặt trống (ảnh thử)"],
        &ids["Phim thử"],
        &ids["Âm thanh thử"],
    );
    // The photo's preview is lost: it is listed under "failed preview".
    let archive = Archive::open(&fixture.workspace.archive()).unwrap();
    let record = archive
        .record(&disan::model::RecordId::parse(photo).unwrap())
        .unwrap()
        .unwrap();
    let stores = disan::index::IndexDir::new(&fixture.workspace.index()).stores();
    assert!(stores.public.holds(&record.files[0].sha256));
    stores.public.remove(&record.files[0].sha256).unwrap();

    let mut thu = archivist(&fixture, "thu", "192.0.2.60").await;
    let page = thu.get(site, "/en/workspace").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    assert_eq!(page.header("cache-control"), "private, no-store");
    let html = page.text();
    let all = listed(&html);
    assert_eq!(all.len(), 11, "{all:?}");
    for expected in [
        "fixture-restricted",
        "Restricted: archivists only",
        "For researchers",
        "11 records.",
        r#"href="/en/workspace/audit""#,
        &format!(r#"href="/en/records/{ID}/edit""#),
        &format!(r#"href="/en/records/{ID}/history""#),
        &format!(r#"href="/en/records/{ID}/audit""#),
    ] {
        assert!(html.contains(expected), "{expected} in {html}");
    }
    // The header leads archivists here; not researchers, not visitors.
    assert!(
        thu.get(site, "/en/villages")
            .await
            .text()
            .contains(r#"href="/en/workspace""#)
    );
    assert!(
        !Browser::new("198.51.100.20")
            .get(site, "/en/villages")
            .await
            .text()
            .contains("/workspace")
    );

    assert_eq!(
        list(&mut thu, &fixture, "kind=film").await,
        [film.to_string()]
    );
    assert_eq!(
        list(&mut thu, &fixture, "access=restricted").await,
        ["fixture-restricted"]
    );
    assert_eq!(
        list(&mut thu, &fixture, "access=researchers").await,
        [film.to_string()]
    );
    let mut doi_tam = list(&mut thu, &fixture, "village=doi-tam").await;
    doi_tam.sort();
    let mut expected = vec![
        photo.clone(),
        sound.clone(),
        "fixture-restricted".to_string(),
        "ky-thuat-boc-trong".to_string(),
    ];
    expected.sort();
    assert_eq!(doi_tam, expected);
    assert_eq!(
        list(&mut thu, &fixture, "q=hexagon").await,
        [ID.to_string()]
    );
    assert_eq!(
        list(&mut thu, &fixture, "q=hoa+van+luc").await,
        [ID.to_string()],
        "words are matched without diacritics"
    );
    assert_eq!(
        list(&mut thu, &fixture, "problem=failed-preview").await,
        [photo.to_string()]
    );
    // The records without a description (no dc.description, no Markdown text) are those without
    // a village too: the files the batch's folders hold beyond metadata.csv.
    let bare = [
        "anh-khong-mo-ta",
        "hoa-van-hinh-thoi",
        "khac-ghi-chu",
        "khac-tai-lieu",
    ];
    for problem in ["no-description", "no-village"] {
        let mut found = list(&mut thu, &fixture, &format!("problem={problem}")).await;
        found.sort();
        assert_eq!(found, bare, "{problem}");
    }
    assert!(
        list(&mut thu, &fixture, "q=luc+giac&problem=no-english-title")
            .await
            .is_empty()
    );
    assert!(
        list(&mut thu, &fixture, "since=2999-01-01")
            .await
            .is_empty()
    );
    assert_eq!(list(&mut thu, &fixture, "since=2000-01-01").await.len(), 11);
    let page = thu.get(site, "/en/workspace?since=soon&kind=dragon").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(
        html.contains("The filter since = “soon” means nothing here"),
        "{html}"
    );
    assert!(html.contains("The filter kind = “dragon” means nothing here"));
    assert_eq!(listed(&html).len(), 11);
    // What a visitor typed comes back as text, in the message and in the form.
    let html = thu
        .get(
            site,
            "/en/workspace?kind=%3Cimg+src%3Dx%3E&q=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        )
        .await
        .text();
    assert!(!html.contains("<img src=x>") && !html.contains("<script>alert(1)"));
    assert!(
        html.contains("The filter kind = “&lt;img src=x&gt;”"),
        "{html}"
    );
    let audit = thu
        .get(
            site,
            "/en/workspace/audit?agent=%22%3E%3Cb%3Ex&type=%3Cb%3E",
        )
        .await
        .text();
    assert!(!audit.contains("<b>"), "{audit}");

    // An edit that drops the English title: the record has that problem, and is the newest
    // (versions are timed to the second).
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let answer = save(
        &mut thu,
        &fixture,
        ID,
        "v1",
        &[("dc.title@en", "")],
        "English title to be rewritten",
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    assert_eq!(
        list(&mut thu, &fixture, "q=luc+giac&problem=no-english-title").await,
        [ID.to_string()]
    );
    let newest = list(&mut thu, &fixture, "").await;
    assert_eq!(newest[0], ID);
    let oldest = list(&mut thu, &fixture, "sort=oldest").await;
    assert_eq!(oldest.last().unwrap(), ID);
    // Any problem: every record but the four with a description, a village and an English
    // title (and a preview).
    let mut any = list(&mut thu, &fixture, "problem=any").await;
    any.sort();
    let clean = [
        "fixture-restricted",
        "ky-thuat-boc-trong",
        film.as_str(),
        sound.as_str(),
    ];
    let mut expected: Vec<String> = all
        .iter()
        .filter(|id| !clean.contains(&id.as_str()))
        .cloned()
        .collect();
    expected.sort();
    assert_eq!(any, expected);
    assert!(any.contains(&ID.to_string()) && any.contains(photo));

    // Withdrawn: still listed, marked, and found by its own filter; it has no public page link.
    let csrf = thu
        .token(site, &format!("/en/records/{film}/history"))
        .await;
    let answer = thu
        .post(
            site,
            &format!("/en/records/{film}/withdraw"),
            &[
                ("base", "v1"),
                ("reason", "consent withdrawn"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    assert_eq!(
        list(&mut thu, &fixture, "access=withdrawn").await,
        [film.to_string()]
    );
    let html = thu.get(site, "/en/workspace?kind=film").await.text();
    assert!(html.contains(">Withdrawn</strong>"), "{html}");
    assert!(!html.contains(&format!(r#"href="/en/records/{film}""#)));
    // A withdrawn photo keeps its preview (in the private store): no "failed preview".
    let csrf = thu.token(site, "/en/records/anh-khong-mo-ta/history").await;
    let answer = thu
        .post(
            site,
            "/en/records/anh-khong-mo-ta/withdraw",
            &[("base", "v1"), ("reason", "duplicate"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    let mut withdrawn = list(&mut thu, &fixture, "access=withdrawn").await;
    withdrawn.sort();
    assert_eq!(withdrawn, ["anh-khong-mo-ta", film.as_str()]);
    assert_eq!(
        list(&mut thu, &fixture, "problem=failed-preview").await,
        [photo.to_string()]
    );

    // In Vietnamese.
    let page = thu.get(site, "/workspace").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains(r#"<html lang="vi">"#) && html.contains("Không gian làm việc"));
    assert!(html.contains(">Hạn chế</option>"), "{html}");
}

/// Every route of this file, in both languages.
fn routes(id: &str) -> Vec<String> {
    let mut routes = Vec::new();
    for prefix in ["", "/en"] {
        for path in [
            "/workspace".to_string(),
            "/workspace?access=restricted".to_string(),
            "/workspace?q=a&q=b".to_string(),
            "/workspace/audit".to_string(),
            "/workspace/audit?format=csv".to_string(),
            "/workspace/audit?format=json".to_string(),
            format!("/records/{id}/audit"),
            format!("/records/{id}/audit?format=csv"),
            format!("/records/{id}/audit?format=json"),
            format!("/records/{id}/audit?type=a&type=b"),
        ] {
            routes.push(format!("{prefix}{path}"));
        }
    }
    routes
}

#[tokio::test]
async fn nobody_else_reaches_the_staff_list_or_the_audit_and_admins_see_only_their_own() {
    let fixture = fixture();
    let site = &fixture.site;
    fixture.workspace.add_groups(&["phuong-trong"]);
    let film = ids(&fixture)["Phim thử"].clone();
    let mut thu = archivist(&fixture, "thu", "192.0.2.61").await;
    // The film becomes the drum guild's.
    let answer = save(
        &mut thu,
        &fixture,
        &film,
        "v1",
        &[("access", "community:phuong-trong")],
        "the guild asked for it",
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());

    fixture
        .accounts
        .add_user("lan", Role::Researcher, PASSWORD, &[], "test")
        .unwrap();
    let mut researcher = Browser::new("192.0.2.62");
    researcher.sign_in(site, "lan", PASSWORD, "").await;
    let mut anonymous = Browser::new("192.0.2.63");
    let token = crate::support::token_of(&fixture.accounts, "duc", Role::Archivist, &[]);
    for uri in routes(ID) {
        for (who, browser) in [
            ("researcher", &mut researcher),
            ("anonymous", &mut anonymous),
        ] {
            let answer = browser.get(site, &uri).await;
            assert_eq!(answer.status, StatusCode::NOT_FOUND, "{who} {uri}");
        }
        let request = axum::http::Request::get(&uri)
            .header("authorization", format!("Bearer {token}"))
            .body(axum::body::Body::empty())
            .unwrap();
        let answer = Browser::new("192.0.2.64").send(site, request).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "token {uri}");
    }

    // An admin outside the guild: its record and the restricted one are not there at all.
    let mut an = staff(&fixture, "an", Role::Admin, &[], "192.0.2.65").await;
    for record in [film.as_str(), "fixture-restricted"] {
        for uri in routes(record)
            .into_iter()
            .filter(|u| u.contains("/records/"))
        {
            assert_eq!(
                an.get(site, &uri).await.status,
                StatusCode::NOT_FOUND,
                "{uri}"
            );
        }
    }
    let html = an.get(site, "/en/workspace").await.text();
    let seen = listed(&html);
    assert_eq!(seen.len(), 9, "{seen:?}");
    assert!(!seen.contains(&film) && !seen.iter().any(|id| id == "fixture-restricted"));
    assert!(html.contains("9 records."));
    assert!(list(&mut an, &fixture, "access=community").await.is_empty());
    assert!(
        list(&mut an, &fixture, "access=restricted")
            .await
            .is_empty()
    );
    let audit = an.get(site, "/en/workspace/audit?format=json").await;
    assert_eq!(audit.status, StatusCode::OK);
    let events: Vec<Event> = serde_json::from_slice(&audit.body).unwrap();
    assert!(!events.is_empty());
    for event in &events {
        let object = &event.object.as_ref().unwrap().id;
        assert!(object.starts_with("urn:disan:record:"), "{object}");
        assert!(!object.ends_with(&film) && !object.ends_with("fixture-restricted"));
    }
    let csv = an.get(site, "/en/workspace/audit?format=csv").await.text();
    assert!(!csv.contains(&film) && !csv.contains("the guild asked for it"));
    assert!(!csv.contains("fixture-restricted"));

    // A member of the guild sees its record (and still not the restricted one).
    let guild = GroupId::parse("phuong-trong").unwrap();
    let mut ha = staff(&fixture, "ha", Role::Admin, &[guild], "192.0.2.66").await;
    assert_eq!(
        list(&mut ha, &fixture, "access=community").await,
        [film.to_string()]
    );
    let page = ha.get(site, &format!("/en/records/{film}/audit")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("the guild asked for it"));
    assert!(
        list(&mut ha, &fixture, "access=restricted")
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn audit_pages_list_filter_and_export_what_disan_audit_prints() {
    let fixture = fixture();
    let site = &fixture.site;
    let mut thu = archivist(&fixture, "thu", "192.0.2.67").await;
    let answer = save(
        &mut thu,
        &fixture,
        ID,
        "v1",
        &[("dc.title", "Hoa văn lục giác Nha Xá")],
        "=HYPERLINK(\"http://evil.example/\") fixed the title",
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    assert_eq!(fixture.workspace.verify().status.code(), Some(0));

    let page = thu.get(site, &format!("/en/records/{ID}/audit")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    assert_eq!(page.header("cache-control"), "private, no-store");
    let html = page.text();
    for expected in [
        "metadata modification",
        "fixity check",
        "ingestion",
        "thu (person)",
        "fixed the title",
        "?format=csv",
        "?format=json",
    ] {
        assert!(html.contains(expected), "{expected} in {html}");
    }
    let only = thu
        .get(site, &format!("/en/records/{ID}/audit?type=MEM&agent=THU"))
        .await
        .text();
    assert!(only.contains("One event."), "{only}");
    assert!(!only.contains("<code>fix</code>") && !only.contains("<code>ing</code>"));
    for query in [
        "outcome=fai",
        "from=2999-01-01",
        "until=2000-01-01",
        "agent=nobody",
    ] {
        let text = thu
            .get(site, &format!("/en/records/{ID}/audit?{query}"))
            .await
            .text();
        assert!(text.contains("0 events."), "{query}: {text}");
    }
    let text = thu
        .get(site, &format!("/en/records/{ID}/audit?type=xyz"))
        .await
        .text();
    assert!(text.contains("The filter type = “xyz” means nothing here"));

    // The exports: the very events `disan audit` prints (newest first here), CSV safe to open.
    let output = fixture
        .workspace
        .disan()
        .args(["audit", "--record", ID, "--format", "jsonl"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let mut printed: Vec<Event> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    printed.reverse();
    let json = thu
        .get(site, &format!("/en/records/{ID}/audit?format=json"))
        .await;
    assert_eq!(json.header("content-type"), "application/json");
    assert_eq!(json.header("cache-control"), "private, no-store");
    let exported: Vec<Event> = serde_json::from_slice(&json.body).unwrap();
    assert_eq!(exported, printed);
    let csv = thu
        .get(site, &format!("/en/records/{ID}/audit?format=csv&type=mem"))
        .await;
    assert_eq!(csv.header("content-type"), "text/csv; charset=utf-8");
    assert!(csv.header("content-disposition").starts_with("attachment;"));
    let mut reader = csv::Reader::from_reader(csv.body.as_slice());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][2], "mem");
    assert!(rows[0][9].starts_with("'=HYPERLINK"), "{:?}", &rows[0]);

    // The whole archive: every object's events, the same filter.
    let all = thu.get(site, "/en/workspace/audit?format=json").await;
    let all: Vec<Event> = serde_json::from_slice(&all.body).unwrap();
    assert!(all.len() > exported.len());
    let page = thu.get(site, "/workspace/audit?type=mem").await.text();
    assert!(page.contains(r#"<html lang="vi">"#) && page.contains("sửa siêu dữ liệu"));
    assert!(page.contains(&format!(r#"href="/records/{ID}/audit""#)));
    assert!(all.iter().any(|e| e.event_type == EventType::FixityCheck));
}

#[tokio::test]
async fn a_purge_destroys_the_record_everywhere_and_logs_who_when_and_why() {
    let fixture = fixture();
    let site = &fixture.site;
    let workspace = &fixture.workspace;
    let purge = |args: &[&str]| {
        let output = workspace
            .disan()
            .arg("purge")
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let reason = "Court order 12/2026 (test)";
    // Refused: nobody is an administrator yet; a researcher is not one; no terminal, no --yes.
    let (code, _, stderr) = purge(&[ID, "--reason", reason, "--by", "an", "--yes"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("not an enabled administrator"), "{stderr}");
    fixture
        .accounts
        .add_user("lan", Role::Researcher, PASSWORD, &[], "test")
        .unwrap();
    let (code, _, _) = purge(&[ID, "--reason", reason, "--by", "lan", "--yes"]);
    assert_eq!(code, Some(2));
    fixture
        .accounts
        .add_user("an", Role::Admin, PASSWORD, &[], "test")
        .unwrap();
    let (code, _, stderr) = purge(&[ID, "--reason", reason, "--by", "an"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("--yes"), "{stderr}");
    let (code, _, _) = purge(&[ID, "--reason", " ", "--by", "an", "--yes"]);
    assert_eq!(code, Some(2));
    let (code, _, stderr) = purge(&["khong-co", "--reason", reason, "--by", "an", "--yes"]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("no record khong-co"), "{stderr}");
    assert_eq!(head(&fixture, ID), "v1", "nothing purged by a refusal");

    let archive = Archive::open(&workspace.archive()).unwrap();
    let record = archive
        .record(&disan::model::RecordId::parse(ID).unwrap())
        .unwrap()
        .unwrap();
    let sha = record.files[0].sha256;
    let object = archive.record_path(&record.id);
    let stores = disan::index::IndexDir::new(&workspace.index()).stores();
    assert!(stores.public.holds(&sha));
    let mut thu = archivist(&fixture, "thu", "192.0.2.68").await;
    assert!(list(&mut thu, &fixture, "").await.contains(&ID.to_string()));

    // A log that cannot be written (this month's file is a folder): nothing is destroyed.
    let now = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    let month_file = workspace
        .archive()
        .join(disan::archive::premis::log::LOG_DIR)
        .join(format!("events-{}.jsonl", &now[..7]));
    assert!(!month_file.exists());
    std::fs::create_dir_all(&month_file).unwrap();
    let (code, _, stderr) = purge(&[ID, "--reason", reason, "--by", "an", "--yes"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("nothing was purged"), "{stderr}");
    std::fs::remove_dir(&month_file).unwrap();
    assert!(object.join("inventory.json").is_file());
    assert_eq!(head(&fixture, ID), "v1");
    let public = Browser::new("198.51.100.22")
        .get(site, &format!("/en/records/{ID}"))
        .await;
    assert_eq!(public.status, StatusCode::OK, "back on the public site");
    let found = Browser::new("198.51.100.22")
        .get(site, "/api/search?q=hexagon")
        .await
        .json();
    assert_eq!(found["hits"].as_array().unwrap().len(), 1, "{found}");
    assert!(
        !workspace
            .archive()
            .join(disan::workspace::purge::PURGE_DIR)
            .exists()
    );

    let (code, stdout, stderr) = purge(&[ID, "--reason", reason, "--by", "an", "--yes"]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("Purge it from every backup"), "{stdout}");
    assert!(!object.exists());
    assert!(!stores.public.holds(&sha) && !stores.private.holds(&sha));
    assert!(
        !workspace
            .archive()
            .join(disan::workspace::purge::PURGE_DIR)
            .exists()
    );

    // The id is unknown on every route, as one that never existed.
    let mut visitor = Browser::new("198.51.100.21");
    for uri in [
        format!("/records/{ID}"),
        format!("/en/records/{ID}"),
        format!("/api/records/{ID}"),
        format!("/media/{ID}/display/0/luc-giac.png"),
    ] {
        let never = uri.replace(ID, "never-was");
        assert_eq!(
            visitor.get(site, &uri).await.status,
            visitor.get(site, &never).await.status,
            "{uri}"
        );
        assert_eq!(visitor.get(site, &uri).await.status, StatusCode::NOT_FOUND);
    }
    let found = visitor.get(site, "/api/search?q=hexagon").await.json();
    assert_eq!(found["hits"].as_array().unwrap().len(), 0, "{found}");
    for what in ["edit", "history", "audit"] {
        let answer = thu.get(site, &format!("/en/records/{ID}/{what}")).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{what}");
    }
    assert!(!list(&mut thu, &fixture, "").await.contains(&ID.to_string()));

    // Logged in the storage root: who, when, why, the last inventory's digest; nothing of it.
    let output = workspace
        .disan()
        .args([
            "audit", "--record", ID, "--type", "del", "--format", "jsonl",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let events: Vec<Event> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(events.len(), 1, "{events:?}");
    let deletion = &events[0];
    assert_eq!(deletion.event_type, EventType::Deletion);
    assert_eq!(deletion.detail, reason);
    assert_eq!(deletion.object.as_ref().unwrap().version, "v1");
    assert!(deletion.agents.iter().any(|a| a.name == "an"));
    let notes = deletion.outcome_detail.join(" ");
    assert!(notes.contains("last inventory sha256:") && notes.contains("versions removed: 1"));
    let text = serde_json::to_string(deletion).unwrap();
    assert!(
        !text.contains("Hoa văn") && !text.contains("luc-giac.png"),
        "{text}"
    );
    let page = thu.get(site, "/en/workspace/audit?type=del").await.text();
    assert!(
        page.contains("deletion (purge)") && page.contains(reason),
        "{page}"
    );
    // Named by its object id, with no link to an audit page that is gone.
    assert!(
        page.contains(&format!("<code>urn:disan:record:{ID}</code>")),
        "{page}"
    );
    assert!(!page.contains(&format!("/records/{ID}/audit")), "{page}");
    // An admin may not read it: the purged record's rule is gone with it.
    let mut an = Browser::new("192.0.2.69");
    an.sign_in(site, "an", PASSWORD, &crate::auth::code(&fixture, "an"))
        .await;
    let page = an.get(site, "/en/workspace/audit?type=del").await.text();
    assert!(page.contains("0 events."), "{page}");

    // The archive is valid OCFL, verify passes, and a rebuilt index finds the same.
    after_edits_the_archive_is_valid_and_a_rebuilt_index_finds_the_same(&fixture).await;
}

/// `tests/browser/staff.browser.mjs` (axe-core on `/workspace` and both audit pages in both
/// languages, the filter form by keyboard, the exports with the session's cookie, and the 404
/// for a visitor) against a real `disan serve` over the sample collection, with an archivist
/// made by `disan user add`. Skipped, saying so, without node, chromium or
/// `tests/browser/node_modules`, unless `DISAN_REQUIRE_BROWSER=1`.
#[test]
fn staff_pages_work_in_a_real_browser() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    if crate::browser::skipped(root) {
        return;
    }
    let workspace = crate::support::Workspace::new();
    let (code, report) = workspace.ingest(&root.join("sample/ha-nam"), &[]);
    assert_eq!(code, 0, "{report}");
    let secret = crate::browser::add_user(&workspace, "thu", "archivist")
        .expect("user add printed the archivist's key");
    let (server, url) = crate::browser::serve(&workspace, root);
    crate::browser::node_tests(
        root,
        &["--test", "--test-reporter=spec", "staff.browser.mjs"],
        &[
            ("DISAN_URL", &url),
            ("DISAN_PASSWORD", crate::browser::BROWSER_PASSWORD),
            ("DISAN_TOTP_SECRET", &secret),
        ],
    );
    drop(server);
}
