//! Media for the viewers who may see them (issue 13): originals, display images and thumbnails
//! of non-public records and files answer for a signed-in viewer that `Viewer::may_see` /
//! `may_see_files` admits, and for anyone else exactly as a file that never existed; previews of
//! files the public may not see live in `index/derivatives-private/`, and move between the two
//! stores when a record's access changes; every non-public view by an account is logged, a film's
//! Range requests as one line.
//!
//! Fixture: `tests/fixtures/batches/community-files/` (test material): `cong-khai` is public,
//! `nghien-cuu` for researchers, `phuong` for the communities `phuong-trong-mau` or `du-an-mau`,
//! and `bi-kip-bit-trong` a public description whose files (a film, its subtitles, a photo, a
//! PDF) are for `phuong-trong-mau` only.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::http::Request;
use disan::model::access::Viewer;
use disan::model::{RecordId, Role};

use crate::audiences::{get_as, signed_in_site, split_response, viewer};
use crate::support::{Workspace, problems, record};
use crate::web::Answer;

/// The records of the fixture whose media are checked.
const RECORDS: [&str; 4] = ["cong-khai", "nghien-cuu", "phuong", "bi-kip-bit-trong"];

/// The community-only member of the fixture (not in `audiences::expected`).
fn member() -> Viewer {
    viewer(Role::Researcher, &["phuong-trong-mau"])
}

/// Every viewer the tests ask as, with the records whose files each may see, written out from
/// the README's table (not computed by the code under test).
fn audiences() -> Vec<(Viewer, &'static [&'static str])> {
    vec![
        (Viewer::Anonymous, &["cong-khai"]),
        // A researcher who belongs to no community: not a member of either.
        (viewer(Role::Researcher, &[]), &["cong-khai", "nghien-cuu"]),
        (
            viewer(Role::Researcher, &["du-an-mau"]),
            &["cong-khai", "nghien-cuu", "phuong"],
        ),
        // Admins do not bypass protocols.
        (
            viewer(Role::Admin, &["other"]),
            &["cong-khai", "nghien-cuu"],
        ),
        (viewer(Role::Archivist, &[]), &RECORDS),
        (
            member(),
            &["cong-khai", "nghien-cuu", "phuong", "bi-kip-bit-trong"],
        ),
    ]
}

/// Every media URL (originals, display images, thumbnails) of `RECORDS`, as the record API
/// gives them to an archivist (who may see every file): (record id, URL).
async fn media_urls(
    site: &Arc<disan::web::Site>,
    tokens: &HashMap<String, String>,
) -> Vec<(String, String)> {
    let archivist = viewer(Role::Archivist, &[]);
    let mut urls = Vec::new();
    for id in RECORDS {
        let json = get_as(site, tokens, &archivist, &format!("/api/records/{id}"))
            .await
            .json();
        for file in json["files"].as_array().unwrap() {
            for key in ["url", "display", "thumbnail"] {
                if let Some(url) = file[key].as_str() {
                    urls.push((id.to_string(), url.to_string()));
                }
            }
        }
    }
    urls
}

/// A GET of `uri` as `viewer` (its token from `tokens`) with extra headers, through the router.
async fn get_with_headers(
    site: &Arc<disan::web::Site>,
    tokens: &HashMap<String, String>,
    viewer: &Viewer,
    uri: &str,
    headers: &[(&str, &str)],
) -> Answer {
    let mut request = Request::get(uri);
    if *viewer != Viewer::Anonymous {
        request = request.header(
            "authorization",
            format!("Bearer {}", tokens[&format!("{viewer:?}")]),
        );
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut request = request.body(Body::empty()).unwrap();
    request.extensions_mut().insert(axum::extract::ConnectInfo(
        "127.0.0.1:50000".parse::<std::net::SocketAddr>().unwrap(),
    ));
    crate::web::get_with(site, request).await
}

/// The bytes of the batch file that `url` (`/media/{id}/files/{name}`) names.
fn batch_bytes(workspace: &Workspace, id: &str, url: &str) -> Vec<u8> {
    let name = url.rsplit('/').next().unwrap();
    let entry = record(workspace, id)
        .files
        .into_iter()
        .find(|file| file.path.ends_with(&format!("/{name}")))
        .unwrap_or_else(|| panic!("{url} names no file of {id}"));
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/batches/community-files")
            .join(&entry.source),
    )
    .unwrap()
}

#[tokio::test]
async fn each_viewer_gets_the_media_it_may_see_and_the_404_of_a_missing_file_for_the_rest() {
    let workspace = Workspace::new();
    let (code, report) = workspace.ingest(&workspace.batch("community-files"), &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let (site, tokens) = signed_in_site(&workspace);
    let urls = media_urls(&site, &tokens).await;
    // Every record has an original and a preview; the secret film's record has several files.
    for id in RECORDS {
        assert!(
            urls.iter()
                .any(|(of, url)| of == id && url.contains("/thumb/")),
            "{id}: {urls:?}"
        );
    }
    assert!(
        urls.iter().any(|(_, url)| url.ends_with(".mp4")),
        "{urls:?}"
    );
    for (viewer, allowed) in audiences() {
        // What a file that never existed answers, to this viewer, for each kind of URL.
        let never_file = get_as(
            &site,
            &tokens,
            &viewer,
            "/media/cong-khai/files/khong-bao-gio-co.jpg",
        )
        .await;
        let never_preview = get_as(&site, &tokens, &viewer, "/media/cong-khai/thumb/9").await;
        let never_record = get_as(
            &site,
            &tokens,
            &viewer,
            "/media/khong-bao-gio-co/files/a.jpg",
        )
        .await;
        assert_eq!(never_file.status, 404);
        assert_eq!(never_file.body, never_preview.body);
        assert_eq!(never_file.body, never_record.body);
        for (id, url) in &urls {
            let answer = get_as(&site, &tokens, &viewer, url).await;
            if allowed.contains(&id.as_str()) {
                assert_eq!(answer.status, 200, "{viewer:?} {url}");
                if url.contains("/files/") {
                    // The fixture's files hold no position: everyone admitted gets the original.
                    assert_eq!(answer.body, batch_bytes(&workspace, id, url), "{url}");
                } else {
                    assert_eq!(answer.header("content-type"), "image/jpeg", "{url}");
                    assert_eq!(&answer.body[..2], &[0xFF, 0xD8], "{url}");
                }
                if viewer == Viewer::Anonymous {
                    assert_eq!(answer.header("cache-control"), "no-cache", "{url}");
                } else {
                    assert_eq!(answer.header("cache-control"), "private, no-store");
                    assert_eq!(answer.header("vary"), "Cookie, Authorization", "{url}");
                }
            } else {
                assert_eq!(
                    (answer.status, answer.header("content-type")),
                    (never_file.status, never_file.header("content-type")),
                    "{viewer:?} {url}"
                );
                assert_eq!(answer.body, never_file.body, "{viewer:?} {url}");
            }
        }
    }
    // Films seek: a member's Range request is answered with exactly those bytes.
    let film = urls
        .iter()
        .find(|(_, url)| url.ends_with(".mp4"))
        .map(|(_, url)| url.clone())
        .unwrap();
    let whole = batch_bytes(&workspace, "bi-kip-bit-trong", &film);
    let answer = get_with_headers(
        &site,
        &tokens,
        &member(),
        &film,
        &[("range", "bytes=100-199")],
    )
    .await;
    assert_eq!(answer.status, 206);
    assert_eq!(answer.body, whole[100..200]);
    assert_eq!(
        answer.header("content-range"),
        format!("bytes 100-199/{}", whole.len())
    );
    // The same request from a researcher outside the community is the missing file's 404.
    let outsider = viewer(Role::Researcher, &["du-an-mau"]);
    let refused = get_with_headers(
        &site,
        &tokens,
        &outsider,
        &film,
        &[("range", "bytes=100-199")],
    )
    .await;
    assert_eq!(refused.status, 404);
    // Record pages and the API show the member the film and its previews, from the private
    // store; to the outsider the files stay reserved.
    let page = get_as(&site, &tokens, &member(), "/records/bi-kip-bit-trong")
        .await
        .text();
    assert!(page.contains(&film), "the member's page links the film");
    assert!(page.contains("/media/bi-kip-bit-trong/thumb/"), "{page}");
    let api = get_as(&site, &tokens, &member(), "/api/records/bi-kip-bit-trong")
        .await
        .json();
    assert!(api["files_reserved"].is_null(), "{api}");
    assert!(
        api["files"]
            .as_array()
            .unwrap()
            .iter()
            .any(|file| file["url"] == film.as_str()),
        "{api}"
    );
    // The film's record is found by its PDF's text (`zorvenkip`) by the member only.
    for (who, total) in [
        (member(), 1),
        (outsider.clone(), 0),
        (Viewer::Anonymous, 0),
        (viewer(Role::Archivist, &[]), 1),
    ] {
        let found = get_as(&site, &tokens, &who, "/api/search?q=zorvenkip")
            .await
            .json();
        assert_eq!(found["total"], total, "{who:?}: {found}");
    }
    let page = get_as(&site, &tokens, &outsider, "/records/bi-kip-bit-trong")
        .await
        .text();
    assert!(!page.contains("/media/bi-kip-bit-trong/"), "{page}");
}

/// The folders (digests) a derivative store under `index/` keeps.
fn kept(index: &Path, store: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for shard in std::fs::read_dir(index.join(store))
        .into_iter()
        .flatten()
        .flatten()
    {
        for folder in std::fs::read_dir(shard.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            found.insert(folder.file_name().to_string_lossy().into_owned());
        }
    }
    found
}

/// The digests of record `id`'s images (the files that have previews).
fn image_digests(workspace: &Workspace, id: &str) -> BTreeSet<String> {
    record(workspace, id)
        .files
        .iter()
        .filter(|file| file.format.mime == "image/jpeg")
        .map(|file| file.sha256.to_hex())
        .collect()
}

/// Asserts that the previews of `public` are in the public store only, and those of `private`
/// in the private store only.
fn assert_stores(workspace: &Workspace, public: &[&str], private: &[&str], when: &str) {
    let index = workspace.index();
    let (public_store, private_store) = (
        kept(&index, "derivatives"),
        kept(&index, "derivatives-private"),
    );
    for id in public {
        let digests = image_digests(workspace, id);
        assert!(digests.is_subset(&public_store), "{when}: {id} public");
        assert!(digests.is_disjoint(&private_store), "{when}: {id} private");
    }
    for id in private {
        let digests = image_digests(workspace, id);
        assert!(digests.is_subset(&private_store), "{when}: {id} private");
        assert!(digests.is_disjoint(&public_store), "{when}: {id} public");
    }
}

#[test]
fn previews_of_non_public_files_live_in_the_private_store_and_move_when_access_changes() {
    let workspace = Workspace::new();
    let batch = workspace.batch("community-files");
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let private = ["nghien-cuu", "phuong", "bi-kip-bit-trong"];
    assert_stores(&workspace, &["cong-khai"], &private, "after ingest");

    let output = workspace.disan().arg("reindex").output().unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_stores(&workspace, &["cong-khai"], &private, "after reindex");

    // The researchers' photo made public: its previews move to the public store (and are
    // not drawn again: the same files, by modification time).
    let csv = batch.join("metadata/metadata.csv");
    let original = std::fs::read_to_string(&csv).unwrap();
    let sha = image_digests(&workspace, "nghien-cuu")
        .into_iter()
        .next()
        .unwrap();
    let thumb = |store: &str| {
        workspace
            .index()
            .join(store)
            .join(&sha[..2])
            .join(&sha)
            .join("thumb.jpg")
    };
    let made = std::fs::metadata(thumb("derivatives-private"))
        .unwrap()
        .modified()
        .unwrap();
    std::fs::write(
        &csv,
        original.replace(",photo,researchers,", ",photo,public,"),
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_stores(
        &workspace,
        &["cong-khai", "nghien-cuu"],
        &["phuong", "bi-kip-bit-trong"],
        "made public",
    );
    let moved = std::fs::metadata(thumb("derivatives"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(made, moved, "the previews were moved, not drawn again");

    // And back for researchers: back to the private store.
    std::fs::write(&csv, &original).unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_stores(
        &workspace,
        &["cong-khai"],
        &private,
        "made non-public again",
    );

    // What the private store keeps for bytes no record holds (a record removed from the
    // archive by hand, say) goes at the next reindex.
    let stray = "ab".repeat(32);
    let folder = workspace
        .index()
        .join("derivatives-private")
        .join(&stray[..2])
        .join(&stray);
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("thumb.jpg"), b"stale").unwrap();
    let output = workspace.disan().arg("reindex").output().unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(!folder.exists(), "reindex left previews no record holds");
    assert_stores(&workspace, &["cong-khai"], &private, "after pruning");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_a_real_socket_non_public_views_are_logged_and_a_films_range_requests_are_one_line() {
    let workspace = Workspace::new();
    let (code, report) = workspace.ingest(&workspace.batch("community-files"), &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let (site, tokens) = signed_in_site(&workspace);
    let urls = media_urls(&site, &tokens).await;
    let film = urls
        .iter()
        .find(|(_, url)| url.ends_with(".mp4"))
        .map(|(_, url)| url.clone())
        .unwrap();
    let public_thumb = urls
        .iter()
        .find(|(id, url)| id == "cong-khai" && url.contains("/thumb/"))
        .map(|(_, url)| url.clone())
        .unwrap();
    let member_token = format!(
        "Authorization: Bearer {}\r\n",
        tokens[&format!("{:?}", member())]
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(disan::web::serve(site, listener));
    let get = |path: String, headers: String| {
        tokio::task::spawn_blocking(move || {
            split_response(&crate::support::raw_get(addr, &path, &headers))
        })
    };
    // Over the socket, every hidden media URL answers exactly (but for its date) the bytes of a
    // file that never existed, to each viewer it is hidden from: the whole response, headers
    // included.
    let without_date = |raw: &[u8]| -> String {
        String::from_utf8_lossy(raw)
            .split("\r\n")
            .filter(|line| !line.to_ascii_lowercase().starts_with("date:"))
            .collect::<Vec<_>>()
            .join("\r\n")
    };
    for (who, hidden) in [
        (Viewer::Anonymous, "nghien-cuu"),
        (viewer(Role::Researcher, &["du-an-mau"]), "bi-kip-bit-trong"),
        (viewer(Role::Researcher, &[]), "phuong"),
        (viewer(Role::Admin, &["other"]), "phuong"),
    ] {
        let headers = match &who {
            Viewer::Anonymous => String::new(),
            _ => format!("Authorization: Bearer {}\r\n", tokens[&format!("{who:?}")]),
        };
        let raw = |path: String, headers: String| {
            tokio::task::spawn_blocking(move || crate::support::raw_get(addr, &path, &headers))
        };
        let never = raw(
            "/media/cong-khai/files/khong-bao-gio-co.jpg".to_string(),
            headers.clone(),
        )
        .await
        .unwrap();
        assert!(String::from_utf8_lossy(&never).starts_with("HTTP/1.1 404"));
        for (_, url) in urls.iter().filter(|(id, _)| id == hidden) {
            let answer = raw(url.clone(), format!("{headers}Range: bytes=0-99\r\n"))
                .await
                .unwrap();
            let never_ranged = raw(
                "/media/cong-khai/files/khong-bao-gio-co.jpg".to_string(),
                format!("{headers}Range: bytes=0-99\r\n"),
            )
            .await
            .unwrap();
            assert_eq!(
                without_date(&answer),
                without_date(&never_ranged),
                "{who:?} {url}"
            );
        }
    }
    // A film played: three Range requests, one line.
    for range in ["bytes=0-", "bytes=4000-", "bytes=8000-8999"] {
        let (status, _) = get(film.clone(), format!("{member_token}Range: {range}\r\n"))
            .await
            .unwrap();
        assert!(status.contains(" 206 "), "{status}");
    }
    // The page (both languages) and the API answer of a record for a community, read within
    // the window: one line for the page and one for the API answer, as for a film.
    for path in [
        "/records/phuong",
        "/api/records/phuong",
        "/en/records/phuong",
    ] {
        let (status, _) = get(path.to_string(), member_token.clone()).await.unwrap();
        assert!(status.contains(" 200 "), "{path}: {status}");
    }
    // Public material is not logged: the public description of the film's record, a public
    // photo; nor is an anonymous visitor.
    for (path, headers) in [
        (
            "/records/bi-kip-bit-trong".to_string(),
            member_token.clone(),
        ),
        (public_thumb.clone(), member_token.clone()),
        ("/records/cong-khai".to_string(), String::new()),
    ] {
        let (status, _) = get(path.clone(), headers).await.unwrap();
        assert!(status.contains(" 200 "), "{path}: {status}");
    }
    let accounts =
        disan::accounts::Accounts::open(&workspace.dir.path().join("accounts.sqlite")).unwrap();
    let log = |id: &str| -> Vec<(String, Option<String>, Option<String>)> {
        accounts
            .view_log(&RecordId::parse(id).unwrap())
            .unwrap()
            .into_iter()
            .map(|row| (row.login, row.file, row.address))
            .collect()
    };
    // `member()` is the sixth viewer of `signed_in_site` (anonymous counted): `user5`.
    let who = "user5".to_string();
    let here = Some("127.0.0.1".to_string());
    let film_path = format!("files/{}", film.rsplit('/').next().unwrap());
    let by_member = |id: &str| {
        log(id)
            .into_iter()
            .filter(|(login, _, _)| *login == who)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        by_member("bi-kip-bit-trong"),
        vec![(who.clone(), Some(film_path), here.clone())]
    );
    // One line for the page (both languages), one for the API answer: each kind its own line.
    assert_eq!(
        by_member("phuong"),
        vec![
            (who.clone(), None, here.clone()),
            (who.clone(), None, here.clone())
        ]
    );
    let kinds: Vec<Option<String>> = accounts
        .view_log(&RecordId::parse("phuong").unwrap())
        .unwrap()
        .into_iter()
        .filter(|row| row.login == who)
        .map(|row| row.kind)
        .collect();
    assert_eq!(kinds, [Some("api".to_string()), Some("page".to_string())]);
    // The archivist's API reads (made to list the URLs) are logged too; nothing of the public
    // record is, by anyone.
    assert!(log("phuong").iter().any(|(login, _, _)| login == "user4"));
    assert!(log("cong-khai").is_empty());
}
