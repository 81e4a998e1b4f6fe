//! Withholding an earlier version from the public ("revision deletion", issue 16): an archivist
//! signed in with a TOTP code removes a craft secret from a public record, withholds the version
//! that still holds it, and from then on that version's page, English page and citation file are
//! the 404 of an unknown id, byte for byte, for anonymous visitors and researchers; the later
//! version and the current page stay. Re-ingesting the original batch keeps it withheld;
//! publishing it again brings it back; the head cannot be withheld; nobody else reaches the
//! forms. Real archive, real index, real accounts database, the site's router.

use axum::http::StatusCode;
use disan::model::Role;

use crate::auth::{Browser, PASSWORD, fixture};
use crate::workspace_edits::{ID, archivist, head, save};

/// The text that must stop being public (the record's description in the `valid` batch).
const SECRET: &str = "Hoa văn do máy tạo";

/// Posts the `withhold` or `release` form of `version` from `base` with `reason`.
async fn act(
    browser: &mut Browser,
    site: &std::sync::Arc<disan::web::Site>,
    action: &str,
    base: &str,
    version: &str,
    reason: &str,
) -> crate::web::Answer {
    let csrf = browser
        .token(site, &format!("/en/records/{ID}/history"))
        .await;
    browser
        .post(
            site,
            &format!("/en/records/{ID}/{action}"),
            &[
                ("base", base),
                ("version", version),
                ("reason", reason),
                ("csrf", &csrf),
            ],
        )
        .await
}

/// The routes that serve version `version` of the record.
fn version_routes(version: &str) -> [String; 4] {
    [
        format!("/records/{ID}/{version}"),
        format!("/en/records/{ID}/{version}"),
        format!("/records/{ID}/{version}/cite.ris"),
        format!("/records/{ID}/{version}/cite.json"),
    ]
}

/// The unknown-id answer to the same kind of route as `route`.
fn unknown_of(route: &str) -> String {
    route.replace(ID, "khong-co-ban-ghi-nay")
}

#[tokio::test]
async fn a_withheld_version_is_an_unknown_id_to_the_public_until_published_again() {
    let fixture = fixture();
    let site = &fixture.site;
    let mut thu = archivist(&fixture, "thu", "192.0.2.44").await;
    fixture
        .accounts
        .add_user("nam", Role::Researcher, PASSWORD, &[], "test")
        .unwrap();
    let mut nam = Browser::new("192.0.2.45");
    let answer = nam.sign_in(site, "nam", PASSWORD, "").await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    let mut visitor = Browser::new("198.51.100.7");
    // v2 removes the secret; v1 still shows it.
    let answer = save(
        &mut thu,
        &fixture,
        ID,
        "v1",
        &[("dc.description", "Hoa văn lục giác trên vải")],
        "the community asked that the technique not be public",
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    assert_eq!(head(&fixture, ID), "v2");
    let v1 = visitor.get(site, &format!("/records/{ID}/v1")).await;
    assert_eq!(v1.status, StatusCode::OK);
    assert!(v1.text().contains(SECRET));
    // The history offers to withhold v1, in both languages; not the head.
    let history = thu
        .get(site, &format!("/records/{ID}/history"))
        .await
        .text();
    assert!(history.contains("Không công bố phiên bản này"), "{history}");
    let history = thu
        .get(site, &format!("/en/records/{ID}/history"))
        .await
        .text();
    assert_eq!(
        history
            .matches("Withhold this version from the public")
            .count(),
        1,
        "one earlier version, one form"
    );
    // A reason is required.
    let answer = act(&mut thu, site, "withhold", "v2", "v1", "  ").await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The head cannot be withheld.
    let answer = act(&mut thu, site, "withhold", "v2", "v2", "secret").await;
    assert_eq!(answer.status, StatusCode::CONFLICT);
    assert!(
        answer
            .text()
            .contains("The current version cannot be withheld")
    );
    assert_eq!(head(&fixture, ID), "v2");
    // Researchers and anonymous visitors cannot post the form: the site's 404.
    let csrf = nam.token(site, "/en/account").await;
    let answer = nam
        .post(
            site,
            &format!("/en/records/{ID}/withhold"),
            &[
                ("base", "v2"),
                ("version", "v1"),
                ("reason", "x"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    let answer = visitor
        .post(
            site,
            &format!("/en/records/{ID}/withhold"),
            &[("base", "v2"), ("version", "v1"), ("reason", "x")],
        )
        .await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert_eq!(head(&fixture, ID), "v2");
    // Withheld: a new version, v3, by the archivist with the reason as its message.
    let reason = "craft secret the village asked to take down";
    let answer = act(&mut thu, site, "withhold", "v2", "v1", reason).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    assert_eq!(head(&fixture, ID), "v3");
    let record = crate::support::record(&fixture.workspace, ID);
    assert_eq!(record.withheld_versions.len(), 1);
    assert_eq!(
        (
            record.withheld_versions[0].version.as_str(),
            record.withheld_versions[0].reason.as_str(),
            record.withheld_versions[0].by.as_str(),
        ),
        ("v1", reason, "thu")
    );
    // A stale base is refused like every other history form.
    let answer = act(&mut thu, site, "release", "v2", "v1", "again").await;
    assert_eq!(answer.status, StatusCode::CONFLICT);
    // Withholding it twice is refused.
    let answer = act(&mut thu, site, "withhold", "v3", "v1", reason).await;
    assert_eq!(answer.status, StatusCode::CONFLICT);
    assert_eq!(head(&fixture, ID), "v3");
    // Everyone but archivists: the unknown id's 404, byte for byte.
    for browser in [&mut visitor, &mut nam] {
        for route in version_routes("v1") {
            let withheld = browser.get(site, &route).await;
            let unknown = browser.get(site, &unknown_of(&route)).await;
            assert_eq!(withheld.status, StatusCode::NOT_FOUND, "{route}");
            assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{route}");
            assert_eq!(withheld.body, unknown.body, "{route}");
        }
        // The later versions and the current page are unaffected and never name v1's secret
        // or the withholding.
        for route in [
            format!("/records/{ID}"),
            format!("/records/{ID}/v2"),
            format!("/records/{ID}/v3"),
            format!("/records/{ID}/v2/cite.ris"),
            format!("/api/records/{ID}"),
        ] {
            let answer = browser.get(site, &route).await;
            assert_eq!(answer.status, StatusCode::OK, "{route}");
            let text = answer.text();
            assert!(!text.contains(SECRET), "{route}");
            assert!(!text.contains(reason), "{route}");
            assert!(!text.contains("withheld_versions"), "{route}");
        }
    }
    // The archivist still sees it, and the history says who, when and why, in both languages.
    assert_eq!(
        thu.get(site, &format!("/records/{ID}/v1")).await.status,
        StatusCode::OK
    );
    let history = thu
        .get(site, &format!("/en/records/{ID}/history"))
        .await
        .text();
    assert!(
        history.contains(&format!("v1 is withheld from the public: {reason} (thu, ")),
        "{history}"
    );
    assert!(history.contains("Publish again"));
    let history = thu
        .get(site, &format!("/records/{ID}/history"))
        .await
        .text();
    assert!(history.contains(&format!("v1 không được công bố: {reason} (thu, ")));
    assert!(history.contains("Công bố lại"));
    // The audit log records it as a metadata modification with its reason.
    let audit = thu
        .get(site, &format!("/en/records/{ID}/audit"))
        .await
        .text();
    assert!(
        audit.contains(&format!("{reason} (fields: withheld_versions)")),
        "{audit}"
    );
    // Re-ingesting the original batch never republishes it: not as v1, and not as a new head
    // giving back the text removed from it; the report says why.
    let batch = fixture.workspace.batch("valid");
    let (code, report) = fixture.workspace.ingest(&batch, &[]);
    assert_ne!(code, 0, "{report}");
    let problems = crate::support::problems(&report);
    assert!(
        problems.iter().any(|p| p.contains(&format!(
            "record '{ID}' has earlier versions withheld from the public (v1)"
        ))),
        "{report}"
    );
    assert!(
        problems.iter().any(|p| p.contains(&format!(
            "not ingested: record '{ID}' would show again text (dc.description) removed from an earlier version withheld from the public"
        ))),
        "{report}"
    );
    assert_eq!(head(&fixture, ID), "v3");
    let record = crate::support::record(&fixture.workspace, ID);
    assert_eq!(record.withheld_versions.len(), 1);
    let page = visitor.get(site, &format!("/records/{ID}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.text().contains(SECRET));
    // A batch that leaves the removed text out is ingested, and the version stays withheld.
    let sheet = batch.join("metadata/metadata.csv");
    let text = std::fs::read_to_string(&sheet).unwrap();
    std::fs::write(&sheet, text.replace(SECRET, "Hoa văn lục giác trên vải")).unwrap();
    let (code, report) = fixture.workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{report}");
    let record = crate::support::record(&fixture.workspace, ID);
    assert_eq!(record.withheld_versions.len(), 1);
    for route in version_routes("v1") {
        let withheld = visitor.get(site, &route).await;
        let unknown = visitor.get(site, &unknown_of(&route)).await;
        assert_eq!(withheld.status, StatusCode::NOT_FOUND, "{route}");
        assert_eq!(withheld.body, unknown.body, "{route}");
    }
    // Published again: a new version, and v1 is back for everyone who could see it.
    let base = head(&fixture, ID);
    let answer = act(&mut thu, site, "release", &base, "v1", "the village agreed").await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    assert_ne!(head(&fixture, ID), base);
    assert!(
        crate::support::record(&fixture.workspace, ID)
            .withheld_versions
            .is_empty()
    );
    for browser in [&mut visitor, &mut nam] {
        let v1 = browser.get(site, &format!("/en/records/{ID}/v1")).await;
        assert_eq!(v1.status, StatusCode::OK);
        assert!(v1.text().contains(SECRET));
        let ris = browser
            .get(site, &format!("/records/{ID}/v1/cite.ris"))
            .await;
        assert_eq!(ris.status, StatusCode::OK);
    }
    // Publishing again what is not withheld is refused.
    let base = head(&fixture, ID);
    let answer = act(&mut thu, site, "release", &base, "v1", "again").await;
    assert_eq!(answer.status, StatusCode::CONFLICT);
    let verify = fixture.workspace.verify();
    assert_eq!(verify.status.code(), Some(0), "{verify:?}");
}

#[test]
fn over_a_real_socket_a_withheld_version_answers_what_an_unknown_id_does() {
    use crate::workspace_edits::{form_of, get, http, post, serve_on_socket, sign_in_over_socket};
    let fixture = fixture();
    fixture
        .accounts
        .add_user("thu", Role::Archivist, PASSWORD, &[], "test")
        .unwrap();
    let (_runtime, addr) = serve_on_socket(&fixture);
    let session = sign_in_over_socket(addr, &fixture, "thu");
    let (status, _, body) = http(
        addr,
        &get(addr, &format!("/records/{ID}/history"), &session),
    );
    assert_eq!(status, 200);
    let csrf = crate::auth::csrf_of(&body);
    let mut pairs = form_of(
        &fixture,
        ID,
        &[("dc.description", "Hoa văn lục giác trên vải")],
    );
    pairs.push(("base".into(), "v1".into()));
    pairs.push(("message".into(), "secret removed".into()));
    pairs.push(("csrf".into(), csrf.clone()));
    let fields: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let (status, head, _) = http(
        addr,
        &post(addr, &format!("/records/{ID}/edit"), &session, &fields),
    );
    assert_eq!(status, 303, "{head}");
    let (status, _, body) = http(addr, &get(addr, &format!("/records/{ID}/v1"), ""));
    assert_eq!(status, 200);
    assert!(body.contains(SECRET));
    let (status, head, _) = http(
        addr,
        &post(
            addr,
            &format!("/records/{ID}/withhold"),
            &session,
            &[
                ("base", "v2"),
                ("version", "v1"),
                ("reason", "bí quyết nghề"),
                ("csrf", &csrf),
            ],
        ),
    );
    assert_eq!(status, 303, "{head}");
    for route in version_routes("v1") {
        let (status, _, withheld) = http(addr, &get(addr, &route, ""));
        let (_, _, unknown) = http(addr, &get(addr, &unknown_of(&route), ""));
        assert_eq!(status, 404, "{route}");
        assert_eq!(withheld, unknown, "{route}");
    }
    let (status, _, body) = http(addr, &get(addr, &format!("/records/{ID}/v2"), ""));
    assert_eq!(status, 200);
    assert!(!body.contains(SECRET));
    // The archivist still reads it.
    let (status, _, _) = http(addr, &get(addr, &format!("/records/{ID}/v1"), &session));
    assert_eq!(status, 200);
}
