//! Who saw what (issue 13, break-13 F13): search hits and suggestions of non-public records shown
//! to a signed-in account are logged, one line per (account, record) within the coalescing
//! window (and client address), written off the request path; anonymous searches and public hits
//! log nothing.

use std::collections::BTreeMap;

use disan::accounts::Accounts;
use disan::accounts::ViewKind;
use disan::model::access::Viewer;
use disan::model::{RecordId, Role};
use disan::web::auth::views::EXPOSURE_FLUSH;

use crate::audiences::{get_as, signed_in_site, viewer};
use crate::support::{Workspace, problems};

/// Waits until the batched lines of `ids` are written: their number is above zero and the same
/// twice in a row, [`EXPOSURE_FLUSH`] × 4 apart (a loaded machine may run the flush late; at
/// most 30 tries).
async fn flushed(accounts: &Accounts, ids: &[&str]) {
    let mut before = 0;
    for _ in 0..30 {
        tokio::time::sleep(EXPOSURE_FLUSH * 4).await;
        let now: usize = log_of(accounts, ids).values().map(Vec::len).sum();
        if now > 0 && now == before {
            return;
        }
        before = now;
    }
}

/// Every line of the view log of each of `ids`: (login, kind, address).
fn log_of(accounts: &Accounts, ids: &[&str]) -> BTreeMap<String, Vec<(String, String, String)>> {
    ids.iter()
        .map(|id| {
            let lines = accounts
                .view_log(&RecordId::parse(id).unwrap())
                .unwrap()
                .into_iter()
                .map(|row| {
                    (
                        row.login,
                        row.kind.unwrap_or_default(),
                        row.address.unwrap_or_default(),
                    )
                })
                .collect();
            (id.to_string(), lines)
        })
        .collect()
}

#[tokio::test]
async fn search_hits_of_non_public_records_are_logged_once_per_account_and_record() {
    let workspace = Workspace::new();
    let (code, report) = workspace.ingest(&workspace.batch("community-files"), &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let (site, tokens) = signed_in_site(&workspace);
    let member = viewer(Role::Researcher, &["phuong-trong-mau"]);
    let accounts = Accounts::open(&workspace.accounts()).unwrap();
    let ids = ["phuong", "nghien-cuu", "cong-khai", "bi-kip-bit-trong"];

    // Anonymous searches log nothing.
    let anonymous = get_as(
        &site,
        &tokens,
        &Viewer::Anonymous,
        "/api/search?q=m%E1%BA%ABu",
    )
    .await;
    assert_eq!(anonymous.status, axum::http::StatusCode::OK);

    // The member is shown the guild's photo and the researchers' photo among public hits,
    // through the API, the search page (twice, both languages) and suggestions.
    let found = get_as(&site, &tokens, &member, "/api/search?q=m%E1%BA%ABu")
        .await
        .json();
    let hits: Vec<&str> = found["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["id"].as_str().unwrap())
        .collect();
    assert!(
        hits.contains(&"phuong") && hits.contains(&"nghien-cuu"),
        "{hits:?}"
    );
    for uri in [
        "/search?q=m%E1%BA%ABu",
        "/en/search?q=m%E1%BA%ABu",
        "/api/suggest?q=%E1%BA%A2nh",
    ] {
        let answer = get_as(&site, &tokens, &member, uri).await;
        assert_eq!(answer.status, axum::http::StatusCode::OK, "{uri}");
    }
    let suggested = get_as(
        &site,
        &tokens,
        &member,
        "/api/suggest?q=%E1%BA%A2nh%20c%E1%BB%A7a%20ph%C6%B0%E1%BB%9Dng",
    )
    .await;
    assert!(
        suggested.text().contains("/records/phuong"),
        "{}",
        suggested.text()
    );
    // Nothing written on the requests' path: the lines come with the next batch.
    flushed(&accounts, &ids).await;
    let member_login = "user5".to_string();
    let here = "127.0.0.1".to_string();
    let search = ViewKind::Search.as_str().to_string();
    let log = log_of(&accounts, &ids);
    assert_eq!(
        log["phuong"],
        vec![(member_login.clone(), search.clone(), here.clone())]
    );
    assert_eq!(
        log["nghien-cuu"],
        vec![(member_login.clone(), search.clone(), here.clone())]
    );
    // Public descriptions (even one whose files are reserved) and public records: nothing.
    assert!(log["cong-khai"].is_empty());
    assert!(log["bi-kip-bit-trong"].is_empty());

    // The page of the guild's photo is a line of its own kind.
    let page = get_as(&site, &tokens, &member, "/records/phuong").await;
    assert_eq!(page.status, axum::http::StatusCode::OK);
    let api = get_as(&site, &tokens, &member, "/api/records/phuong").await;
    assert_eq!(api.status, axum::http::StatusCode::OK);
    let kinds: Vec<String> = log_of(&accounts, &["phuong"])["phuong"]
        .iter()
        .map(|(_, kind, _)| kind.clone())
        .collect();
    assert_eq!(kinds, ["api", "page", "search"]);
}

/// Twenty non-public hits in one answer cost one write, made after the answer: the request
/// itself writes nothing (the log is empty when it returns) and one batch holds them all.
#[tokio::test]
async fn many_hidden_hits_are_written_in_one_batch_after_the_answer() {
    let workspace = Workspace::new();
    let batch = workspace.dir.path().join("many");
    std::fs::create_dir_all(batch.join("objects")).unwrap();
    std::fs::create_dir_all(batch.join("metadata")).unwrap();
    let mut csv = String::from("filename,dc.identifier,dc.title,access\n");
    for n in 0..20 {
        std::fs::write(batch.join(format!("objects/an-{n}.txt")), "x\n").unwrap();
        csv.push_str(&format!(
            "objects/an-{n}.txt,an-{n},Quobblewort {n},researchers\n"
        ));
    }
    std::fs::write(batch.join("metadata/metadata.csv"), csv).unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let (site, tokens) = signed_in_site(&workspace);
    let researcher = viewer(Role::Researcher, &[]);
    let accounts = Accounts::open(&workspace.accounts()).unwrap();
    let ids: Vec<String> = (0..20).map(|n| format!("an-{n}")).collect();
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let found = get_as(&site, &tokens, &researcher, "/api/search?q=quobblewort").await;
    assert_eq!(found.json()["total"], 20);
    let lines = |log: BTreeMap<String, Vec<(String, String, String)>>| -> usize {
        log.values().map(Vec::len).sum()
    };
    assert_eq!(
        lines(log_of(&accounts, &id_refs)),
        0,
        "written on the request path"
    );
    flushed(&accounts, &id_refs).await;
    assert_eq!(lines(log_of(&accounts, &id_refs)), 20);
}

/// A request for `uri` as `viewer` (its token from [`signed_in_site`]) from the client address
/// `peer`.
async fn get_from(
    site: &std::sync::Arc<disan::web::Site>,
    tokens: &std::collections::HashMap<String, String>,
    viewer: &Viewer,
    uri: &str,
    peer: &str,
) -> crate::web::Answer {
    let mut request = axum::http::Request::get(uri)
        .header(
            "authorization",
            format!("Bearer {}", tokens[&format!("{viewer:?}")]),
        )
        .body(axum::body::Body::empty())
        .unwrap();
    request.extensions_mut().insert(axum::extract::ConnectInfo(
        peer.parse::<std::net::SocketAddr>().unwrap(),
    ));
    crate::web::get_with(site, request).await
}

/// Break-13b R10: the coalescing window is per client address too. The same token used from
/// another address while its owner keeps the window open gets its own line at once (API, page,
/// file and search alike), and repeats from either address stay one line each.
#[tokio::test]
async fn the_same_account_from_another_address_gets_its_own_line() {
    let workspace = Workspace::new();
    let (code, report) = workspace.ingest(&workspace.batch("community-files"), &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let (site, tokens) = signed_in_site(&workspace);
    let member = viewer(Role::Researcher, &["phuong-trong-mau"]);
    let accounts = Accounts::open(&workspace.accounts()).unwrap();
    let owner = "127.0.0.1:50000";
    let thief = "203.0.113.9:40000";
    for peer in [owner, owner, thief, owner, thief, thief] {
        for uri in [
            "/api/records/phuong",
            "/records/phuong",
            "/api/search?q=m%E1%BA%ABu",
        ] {
            let answer = get_from(&site, &tokens, &member, uri, peer).await;
            assert_eq!(answer.status, axum::http::StatusCode::OK, "{uri} {peer}");
        }
    }
    flushed(&accounts, &["phuong"]).await;
    let mut lines: Vec<(String, String)> = log_of(&accounts, &["phuong"])["phuong"]
        .iter()
        .map(|(_, kind, address)| (kind.clone(), address.clone()))
        .collect();
    lines.sort();
    let line = |kind: &str, address: &str| (kind.to_string(), address.to_string());
    assert_eq!(
        lines,
        [
            line("api", "127.0.0.1"),
            line("api", "203.0.113.9"),
            line("page", "127.0.0.1"),
            line("page", "203.0.113.9"),
            line("search", "127.0.0.1"),
            line("search", "203.0.113.9"),
        ]
    );
}
