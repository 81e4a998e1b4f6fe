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

pub(crate) fn viewer(role: Role, groups: &[&str]) -> Viewer {
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

/// A site over `workspace` with an accounts database holding one account per audience of
/// [`expected`], and a personal API token of each, keyed by the viewer's `Debug` form: requests
/// are signed in for real, through the sign-in layer (`Authorization: Bearer`).
pub(crate) fn signed_in_site(
    workspace: &Workspace,
) -> (
    std::sync::Arc<disan::web::Site>,
    std::collections::HashMap<String, String>,
) {
    workspace.add_groups(&["du-an-mau", "other", "phuong-trong-mau"]);
    let accounts =
        disan::accounts::Accounts::open(&workspace.dir.path().join("accounts.sqlite")).unwrap();
    let mut tokens = std::collections::HashMap::new();
    let member = viewer(Role::Researcher, &["phuong-trong-mau"]);
    let viewers = expected().into_iter().map(|(viewer, _)| viewer);
    for (n, viewer) in viewers.chain([member]).enumerate() {
        let Viewer::Account { role, groups } = &viewer else {
            continue;
        };
        let groups: Vec<GroupId> = groups.iter().cloned().collect();
        let token = crate::support::token_of(&accounts, &format!("user{n}"), *role, &groups);
        assert_eq!(accounts.token_viewer(&token).unwrap(), viewer);
        tokens.insert(format!("{viewer:?}"), token);
    }
    (crate::support::site_with(workspace, accounts), tokens)
}

/// A request for `uri` as `viewer`, signed in with its token from [`signed_in_site`].
pub(crate) async fn get_as(
    site: &std::sync::Arc<disan::web::Site>,
    tokens: &std::collections::HashMap<String, String>,
    viewer: &Viewer,
    uri: &str,
) -> crate::web::Answer {
    let mut request = axum::http::Request::get(uri);
    if *viewer != Viewer::Anonymous {
        request = request.header(
            "authorization",
            format!("Bearer {}", tokens[&format!("{viewer:?}")]),
        );
    }
    let mut request = request.body(axum::body::Body::empty()).unwrap();
    request.extensions_mut().insert(axum::extract::ConnectInfo(
        "127.0.0.1:50000".parse::<std::net::SocketAddr>().unwrap(),
    ));
    crate::web::get_with(site, request).await
}

#[tokio::test]
async fn record_pages_the_record_api_and_search_answer_for_the_viewer() {
    let workspace = Workspace::new();
    let (code, report) = workspace.ingest(&workspace.batch("community-files"), &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let (site, tokens) = signed_in_site(&workspace);
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
            never.push(get_as(&site, &tokens, &viewer, &uri).await);
        }
        for id in every {
            for (uri, absent) in routes(id).iter().zip(&never) {
                let answer = get_as(&site, &tokens, &viewer, uri).await;
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
        let answer = get_as(&site, &tokens, &viewer, "/api/search?q=m%E1%BA%ABu").await;
        let json: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
        let ids: BTreeSet<String> = json["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|hit| hit["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(ids, visible, "{viewer:?}");
        assert_eq!(json["total"], visible.len(), "{viewer:?}");
        // Titles are suggested from what the viewer may see ("Ảnh" begins four titles).
        let answer = get_as(&site, &tokens, &viewer, "/api/suggest?q=%E1%BA%A2nh").await;
        let json: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
        let suggested: BTreeSet<String> = json["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| {
                s["url"]
                    .as_str()?
                    .strip_prefix("/records/")
                    .map(str::to_string)
            })
            .collect();
        let photos: BTreeSet<String> = ["cong-khai", "nghien-cuu", "phuong"]
            .iter()
            .filter(|id| visible.contains(**id))
            .map(|id| id.to_string())
            .collect();
        assert_eq!(suggested, photos, "{viewer:?} suggestions");
        let page = get_as(&site, &tokens, &viewer, "/search?q=m%E1%BA%ABu").await;
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
        let html = String::from_utf8(get_as(&site, &tokens, &archivist, uri).await.body).unwrap();
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
        get_as(&site, &tokens, &researcher, "/records/nghien-cuu")
            .await
            .status,
        200
    );
    assert_eq!(
        get_as(&site, &tokens, &Viewer::Anonymous, "/records/nghien-cuu")
            .await
            .status,
        404
    );
    let member = viewer(Role::Researcher, &["phuong-trong-mau"]);
    assert_eq!(
        get_as(&site, &tokens, &member, "/records/phuong")
            .await
            .status,
        200
    );
    assert_eq!(
        get_as(&site, &tokens, &researcher, "/records/phuong")
            .await
            .status,
        404
    );
}

/// The body of a raw HTTP/1.1 response without its head, and its status line.
pub(crate) fn split_response(raw: &[u8]) -> (String, Vec<u8>) {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&raw[..end]).to_string();
    let status = head.lines().next().unwrap_or_default().to_string();
    (status, raw[end + 4..].to_vec())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_a_real_socket_a_researcher_sees_researchers_records_and_a_hidden_one_is_a_plain_404()
{
    let workspace = Workspace::new();
    let (code, report) = workspace.ingest(&workspace.batch("community-files"), &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let (site, tokens) = signed_in_site(&workspace);
    // A researcher's personal API token, sent by a plain HTTP client to the real server.
    let researcher = format!(
        "Authorization: Bearer {}\r\n",
        tokens[&format!("{:?}", viewer(Role::Researcher, &[]))]
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(disan::web::serve(site, listener));
    let get = move |path: &'static str| {
        let headers = researcher.clone();
        tokio::task::spawn_blocking(move || {
            split_response(&crate::support::raw_get(addr, path, &headers))
        })
    };
    let (status, body) = get("/api/records/nghien-cuu").await.unwrap();
    assert!(status.contains(" 200 "), "{status}");
    assert!(String::from_utf8_lossy(&body).contains("\"id\":\"nghien-cuu\""));
    let (hidden_status, hidden) = get("/records/phuong").await.unwrap();
    let (never_status, never) = get("/records/khong-bao-gio-co").await.unwrap();
    assert!(hidden_status.contains(" 404 "), "{hidden_status}");
    assert_eq!((hidden_status, hidden), (never_status, never));
}
