//! Signed-in audiences in the index (issue 13): the everyone index (`index/search-all/`) holds
//! every record and is kept in step by ingest, reindex and reconcile, and a viewer's scope of it
//! finds exactly the records the viewer may see; the public index is unchanged.
//!
//! Fixture: `tests/fixtures/batches/community-files/` (test material).

use std::collections::BTreeSet;

use disan::index::IndexDir;
use disan::index::search::{SearchIndex, SearchQuery};
use disan::model::access::Viewer;
use disan::model::{GroupId, Role};

use crate::support::{Workspace, problems};

fn viewer(role: Role, groups: &[&str]) -> Viewer {
    Viewer::Account {
        role,
        groups: groups.iter().map(|g| GroupId::parse(g).unwrap()).collect(),
    }
}

/// The ids `viewer` finds searching every record of the sample ("mẫu" is in every title).
fn found(search: &SearchIndex, viewer: &Viewer) -> BTreeSet<String> {
    search.refresh().unwrap();
    let scoped = search.for_viewer(viewer).unwrap();
    let index = scoped.as_ref().unwrap_or(search);
    let results = index
        .search(&SearchQuery {
            text: "mẫu".into(),
            page: 1,
            ..SearchQuery::default()
        })
        .unwrap();
    assert_eq!(results.total, results.hits.len());
    results.hits.into_iter().map(|hit| hit.id).collect()
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|id| id.to_string()).collect()
}

/// Each audience and what it finds in the sample.
fn expected() -> Vec<(Viewer, BTreeSet<String>)> {
    let public = ["bi-kip-bit-trong", "cau-chuyen-trong", "cong-khai"];
    let with = |more: &[&str]| set(&[&public[..], more].concat());
    vec![
        (Viewer::Anonymous, set(&public)),
        (viewer(Role::Researcher, &[]), with(&["nghien-cuu"])),
        (
            viewer(Role::Researcher, &["du-an-mau"]),
            with(&["nghien-cuu", "phuong"]),
        ),
        (viewer(Role::Admin, &["other"]), with(&["nghien-cuu"])),
        (
            viewer(Role::Archivist, &[]),
            with(&["nghien-cuu", "phuong"]),
        ),
    ]
}

fn assert_audiences(search: &SearchIndex, when: &str) {
    for (viewer, ids) in expected() {
        assert_eq!(found(search, &viewer), ids, "{when}: {viewer:?}");
    }
}

#[test]
fn ingest_reindex_and_reconcile_keep_the_everyone_index_in_step() {
    let workspace = Workspace::new();
    let (code, report) = workspace.ingest(&workspace.batch("community-files"), &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let dir = IndexDir::new(&workspace.index());
    assert!(workspace.index().join("search-all").is_dir());
    assert_audiences(&dir.search().unwrap(), "after ingest");

    let output = workspace.disan().arg("reindex").output().unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_audiences(&dir.search().unwrap(), "after reindex");

    // An index that does not say what it reflects is reconciled when the site opens.
    {
        let search = dir.search().unwrap();
        let mut indexer = search.indexer().unwrap();
        indexer.commit().unwrap();
    }
    let archive = disan::archive::Archive::open(&workspace.archive()).unwrap();
    let catalogue = archive.catalogue().unwrap();
    let state = disan::index::sync::ArchiveState::of(&archive, &catalogue).unwrap();
    let search = dir.search().unwrap();
    assert!(
        disan::index::sync::check(&search, &state)
            .unwrap()
            .is_some()
    );
    disan::index::sync::reconcile(&archive, &dir, &search, &catalogue, &state).unwrap();
    assert!(
        disan::index::sync::check(&search, &state)
            .unwrap()
            .is_none()
    );
    assert_audiences(&search, "after reconcile");

    // A search-all folder lost (or never made by an older Disan) is rebuilt on opening.
    drop(search);
    std::fs::remove_dir_all(workspace.index().join("search-all")).unwrap();
    let search = disan::index::open_current(&archive, &dir).unwrap();
    assert_audiences(&search, "after search-all was deleted");
}

/// The routes that answer for the viewer, for record `id`.
fn routes(id: &str) -> Vec<String> {
    vec![
        format!("/records/{id}"),
        format!("/en/records/{id}"),
        format!("/api/records/{id}"),
    ]
}

/// A request for `uri` as `viewer` (the sign-in layer's extension inserted directly).
async fn get_as(
    site: &std::sync::Arc<disan::web::Site>,
    viewer: &Viewer,
    uri: &str,
) -> crate::web::Answer {
    let mut request = axum::http::Request::get(uri)
        .body(axum::body::Body::empty())
        .unwrap();
    if *viewer != Viewer::Anonymous {
        request.extensions_mut().insert(viewer.clone());
    }
    crate::web::get_with(site, request).await
}

#[tokio::test]
async fn record_pages_the_record_api_and_search_answer_for_the_viewer() {
    let workspace = Workspace::new();
    let (code, report) = workspace.ingest(&workspace.batch("community-files"), &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let templates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let site = std::sync::Arc::new(
        disan::web::Site::open(&workspace.archive(), &workspace.index(), Some(templates)).unwrap(),
    );
    let every = [
        "bi-kip-bit-trong",
        "cau-chuyen-trong",
        "cong-khai",
        "nghien-cuu",
        "phuong",
    ];
    for (viewer, visible) in expected() {
        // Each route's answer for an id that never existed: what a hidden record must answer.
        let mut never = Vec::new();
        for uri in routes("khong-bao-gio-co") {
            never.push(get_as(&site, &viewer, &uri).await);
        }
        for id in every {
            for (uri, absent) in routes(id).iter().zip(&never) {
                let answer = get_as(&site, &viewer, uri).await;
                if visible.contains(id) {
                    assert_eq!(answer.status, 200, "{viewer:?} {uri}");
                    let private = answer
                        .headers
                        .get("cache-control")
                        .map(|v| v.to_str().unwrap().to_string());
                    if viewer == Viewer::Anonymous {
                        assert_eq!(private.as_deref(), Some("no-cache"), "{uri}");
                    } else {
                        assert_eq!(private.as_deref(), Some("private, no-store"), "{uri}");
                        assert_eq!(answer.headers["vary"], "Cookie, Authorization", "{uri}");
                    }
                } else {
                    assert_eq!(answer.status, absent.status, "{viewer:?} {uri}");
                    assert_eq!(answer.body, absent.body, "{viewer:?} {uri}");
                }
            }
        }
        let answer = get_as(&site, &viewer, "/api/search?q=m%E1%BA%ABu").await;
        let json: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
        let ids: BTreeSet<String> = json["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|hit| hit["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(ids, visible, "{viewer:?}");
        assert_eq!(json["total"], visible.len(), "{viewer:?}");
        let page = get_as(&site, &viewer, "/search?q=m%E1%BA%ABu").await;
        let html = String::from_utf8(page.body).unwrap();
        for id in every {
            assert_eq!(
                html.contains(&format!("/records/{id}\"")),
                visible.contains(id),
                "{viewer:?} search page lists {id}"
            );
        }
    }
    // A record that is not public says who may see it, in both languages; a public one says
    // nothing.
    let archivist = viewer(Role::Archivist, &[]);
    for (uri, badge) in [
        ("/records/nghien-cuu", Some("Dành cho nhà nghiên cứu")),
        ("/en/records/nghien-cuu", Some("For researchers")),
        (
            "/records/phuong",
            Some("Chỉ cộng đồng: du-an-mau, phuong-trong-mau"),
        ),
        (
            "/en/records/phuong",
            Some("Community only: du-an-mau, phuong-trong-mau"),
        ),
        ("/records/cong-khai", None),
    ] {
        let html = String::from_utf8(get_as(&site, &archivist, uri).await.body).unwrap();
        let shown = html
            .split("<p class=\"badge audience\" role=\"note\"><strong>")
            .nth(1)
            .and_then(|rest| rest.split("</strong>").next())
            .map(|text| text.replace(['\u{2068}', '\u{2069}'], ""));
        assert_eq!(shown.as_deref(), badge, "{uri}");
    }
    // A page rendered for a researcher is never served from the cache to anyone else.
    let researcher = viewer(Role::Researcher, &[]);
    assert_eq!(
        get_as(&site, &researcher, "/records/nghien-cuu")
            .await
            .status,
        200
    );
    assert_eq!(
        get_as(&site, &Viewer::Anonymous, "/records/nghien-cuu")
            .await
            .status,
        404
    );
    let member = viewer(Role::Researcher, &["phuong-trong-mau"]);
    assert_eq!(get_as(&site, &member, "/records/phuong").await.status, 200);
    assert_eq!(
        get_as(&site, &researcher, "/records/phuong").await.status,
        404
    );
}
