//! Community protocols (issue 13) on the public side: a record whose description is public and
//! whose files are for one community (`files_access`) is found and shown without its files, on
//! every route, through the router and over a real socket; its files' text, names and metadata
//! are never searchable; its derivatives never reach `index/`. Records for researchers and for
//! communities do not exist for an anonymous visitor.
//!
//! Fixture: `tests/fixtures/batches/community-files/` (test material; see its README entry).

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use axum::http::StatusCode;
use disan::model::{Access, GroupId, Need};
use disan::web::{Site, app};

use crate::support::{Workspace, problems, record};
use crate::web::get;

/// The record whose description is public and whose film is for the guild.
const SECRET_FILM: &str = "bi-kip-bit-trong";

/// Words found only in its files: the PDF's text, the subtitles, a file name, the photo's EXIF.
const FILE_ONLY_WORDS: [&str; 5] = [
    "zorvenkip",
    "vortalind",
    "zathrax",
    "quornikon",
    "phim-zathrax",
];

fn group(id: &str) -> GroupId {
    GroupId::parse(id).unwrap()
}

fn community_site() -> (Workspace, Arc<Site>) {
    let workspace = Workspace::new();
    let (code, report) = workspace.ingest(&workspace.batch("community-files"), &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let site = Site::open(&workspace.archive(), &workspace.index(), Some(templates)).unwrap();
    (workspace, Arc::new(site))
}

/// Every URL that would send one of the secret film's files or their derivatives, were they
/// public: each original by name and each rendition by position.
fn file_urls() -> Vec<String> {
    let mut urls: Vec<String> = [
        "anh-quornikon.jpg",
        "phim-zathrax.mp4",
        "so-tay-zorvenkip.pdf",
        "vi.vtt",
    ]
    .iter()
    .map(|name| format!("/media/{SECRET_FILM}/files/{name}"))
    .collect();
    for n in 0..4 {
        urls.push(format!("/media/{SECRET_FILM}/display/{n}"));
        urls.push(format!("/media/{SECRET_FILM}/thumb/{n}"));
    }
    urls
}

#[test]
fn the_batch_format_carries_communities_and_files_rules_into_the_archive() {
    let (workspace, _site) = community_site();
    let film = record(&workspace, SECRET_FILM);
    assert_eq!(film.access, Access::Public);
    assert_eq!(
        film.files_access,
        Some(Access::Community {
            groups: [group("phuong-trong-mau")].into(),
            need: Need::Any,
        })
    );
    assert_eq!(film.files.len(), 4);
    // The photo's EXIF says 2019-03-04: a date read from withheld files is not the record's.
    assert!(film.files.iter().any(|f| {
        f.exif
            .as_ref()
            .is_some_and(|e| e.captured.as_deref() == Some("2019-03-04T10:11:12"))
    }));
    assert_eq!(film.date, None);
    let guild = record(&workspace, "phuong");
    assert_eq!(
        guild.access,
        Access::Community {
            groups: [group("du-an-mau"), group("phuong-trong-mau")].into(),
            need: Need::Any,
        }
    );
    assert_eq!(guild.files_access, None);
    assert_eq!(record(&workspace, "nghien-cuu").access, Access::Researchers);
    // The raw JSON: the files rule as an object, the old fields untouched.
    let json = serde_json::to_value(&film).unwrap();
    assert_eq!(json["access"], "public");
    assert_eq!(
        json["files_access"],
        serde_json::json!({"communities": ["phuong-trong-mau"], "need": "any"})
    );
}

/// The control: the same batch with the film's files public shows every word of its files on
/// its page and finds the PDF's text (file names, subtitles and EXIF are shown, not indexed).
#[tokio::test]
async fn the_same_record_with_public_files_shows_the_words_its_files_hold() {
    let workspace = Workspace::new();
    let batch = workspace.dir.path().join("open");
    crate::support::copy_dir(&workspace.batch("community-files"), &batch);
    let sheet = std::fs::read_to_string(batch.join("metadata/metadata.csv")).unwrap();
    std::fs::write(
        batch.join("metadata/metadata.csv"),
        sheet.replace(",community:phuong-trong-mau\n", ",\n"),
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(record(&workspace, SECRET_FILM).files_access, None);
    let site = Arc::new(Site::open(&workspace.archive(), &workspace.index(), None).unwrap());
    let html = get(&site, &format!("/records/{SECRET_FILM}")).await.text();
    for word in FILE_ONLY_WORDS {
        assert!(html.contains(word), "{word}");
    }
    let found = get(&site, "/api/search?q=zorvenkip").await.json();
    assert_eq!(found["total"], 1, "{found}");
    assert_eq!(
        get(
            &site,
            &format!("/media/{SECRET_FILM}/files/phim-zathrax.mp4")
        )
        .await
        .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_public_description_with_community_files_is_shown_without_them() {
    let (workspace, site) = community_site();
    // The page: its description, a note in the visitor's language, no file, no community.
    for (uri, note) in [
        (
            format!("/records/{SECRET_FILM}"),
            "Các tệp của tư liệu này được dành riêng",
        ),
        (
            format!("/en/records/{SECRET_FILM}"),
            "The files of this record are reserved",
        ),
    ] {
        let page = get(&site, &uri).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}");
        let html = page.text();
        assert!(html.contains(note), "{uri}: no note");
        assert!(html.contains("tư liệu mẫu") || html.contains("sample material"));
        for secret in
            FILE_ONLY_WORDS
                .iter()
                .chain(&["phuong-trong-mau", "/media/", "og:image", "<video"])
        {
            assert!(!html.contains(secret), "{uri} shows '{secret}'");
        }
    }
    // The API: no file, no provenance path, no rule, and says the files are reserved.
    let api = get(&site, &format!("/api/records/{SECRET_FILM}")).await;
    assert_eq!(api.status, StatusCode::OK);
    let json = api.json();
    assert_eq!(json["files"], serde_json::json!([]));
    assert_eq!(json["files_reserved"], true);
    assert_eq!(json["provenance"]["path"], "");
    assert!(json.get("files_access").is_none());
    let text = api.text();
    for secret in FILE_ONLY_WORDS
        .iter()
        .chain(&["phuong-trong-mau", "community:", "communities"])
    {
        assert!(!text.contains(secret), "the API shows '{secret}': {text}");
    }
    // A public record of the same batch keeps its files, so the test can tell.
    let public = get(&site, "/api/records/cong-khai").await.json();
    assert_eq!(public["files"].as_array().unwrap().len(), 1);
    assert_eq!(
        get(&site, "/media/cong-khai/thumb/0").await.status,
        StatusCode::OK
    );

    // Every file URL answers exactly as a file that never existed, of this record and of a
    // record that never existed.
    let never = get(&site, &format!("/media/{SECRET_FILM}/files/khong-co.mp4")).await;
    let nobody = get(&site, "/media/khong-co-ban-ghi/files/khong-co.mp4").await;
    assert_eq!(never.status, StatusCode::NOT_FOUND);
    for url in file_urls() {
        let answer = get(&site, &url).await;
        assert_eq!(answer.status, never.status, "{url}");
        assert_eq!(answer.headers, never.headers, "{url}");
        assert_eq!(answer.body, never.body, "{url}");
        assert_eq!(answer.body, nobody.body, "{url}");
    }

    // A story embedding it: its title and link, a neutral note, no media of it.
    let story = get(&site, "/records/cau-chuyen-trong").await.text();
    assert!(story.contains(&format!("/records/{SECRET_FILM}")));
    assert!(story.contains("Tệp không công khai"));
    assert!(!story.contains(&format!("/media/{SECRET_FILM}")));
    assert!(story.contains("/media/cong-khai/display/0"));

    // Search: found by its description, never by a word of its files; no thumbnail, no media.
    let found = get(&site, "/api/search?q=bit+da+mat+trong").await.json();
    let hit = found["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|hit| hit["id"] == SECRET_FILM)
        .expect("found by its public description");
    assert!(hit["thumbnail"].is_null(), "{hit}");
    for word in FILE_ONLY_WORDS {
        let answer = get(&site, &format!("/api/search?q={word}")).await.json();
        assert_eq!(answer["total"], 0, "'{word}' finds {answer}");
        let suggested = get(&site, &format!("/api/suggest?q={word}")).await.json();
        assert_eq!(suggested["suggestions"], serde_json::json!([]), "{word}");
    }

    // Sitemap and feeds never list its media.
    let sitemap = get(&site, "/sitemap.xml").await;
    if sitemap.status == StatusCode::OK {
        assert!(!sitemap.text().contains(&format!("/media/{SECRET_FILM}")));
    }

    // Records for researchers and for communities do not exist for a visitor.
    let unknown = get(&site, "/records/khong-co-ban-ghi").await;
    for id in ["nghien-cuu", "phuong"] {
        for uri in [
            format!("/records/{id}"),
            format!("/api/records/{id}"),
            format!("/media/{id}/thumb/0"),
        ] {
            let answer = get(&site, &uri).await;
            assert_eq!(answer.status, StatusCode::NOT_FOUND, "{uri}");
        }
        let page = get(&site, &format!("/records/{id}")).await;
        assert_eq!(page.body, unknown.body, "{id}");
    }
    drop(workspace);
}

#[tokio::test]
async fn over_a_real_socket_every_file_url_is_the_404_of_a_missing_file() {
    let (_workspace, site) = community_site();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app(site)).await });
    let answers = tokio::task::spawn_blocking(move || {
        let fetch = |path: &str| strip_date(&crate::support::raw_get(addr, path, ""));
        let never = fetch(&format!("/media/{SECRET_FILM}/files/khong-co.mp4"));
        let page = fetch(&format!("/records/{SECRET_FILM}"));
        let files: Vec<(String, Vec<u8>)> = file_urls()
            .into_iter()
            .map(|url| {
                let answer = fetch(&url);
                (url, answer)
            })
            .collect();
        (never, page, files)
    })
    .await
    .unwrap();
    let (never, page, files) = answers;
    assert!(never.starts_with(b"HTTP/1.1 404"));
    assert!(page.starts_with(b"HTTP/1.1 200"));
    for (url, answer) in files {
        assert_eq!(
            String::from_utf8_lossy(&answer),
            String::from_utf8_lossy(&never),
            "{url}"
        );
    }
}

/// A raw response without its `date:` header line, which names the second it was sent.
fn strip_date(response: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(response);
    text.split("\r\n")
        .filter(|line| !line.to_ascii_lowercase().starts_with("date:"))
        .collect::<Vec<_>>()
        .join("\r\n")
        .into_bytes()
}

#[test]
fn previews_of_withheld_files_never_reach_the_index_and_reindex_removes_stale_ones() {
    let (workspace, _site) = community_site();
    let derivatives = workspace.index().join("derivatives");
    let kept = || -> BTreeSet<String> {
        let mut found = BTreeSet::new();
        for prefix in std::fs::read_dir(&derivatives)
            .into_iter()
            .flatten()
            .flatten()
        {
            for folder in std::fs::read_dir(prefix.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                found.insert(folder.file_name().to_string_lossy().into_owned());
            }
        }
        found
    };
    let film = record(&workspace, SECRET_FILM);
    let withheld: BTreeSet<String> = film.files.iter().map(|f| f.sha256.to_hex()).collect();
    let shown = record(&workspace, "cong-khai").files[0].sha256.to_hex();
    assert!(kept().contains(&shown), "the public photo has its previews");
    assert!(kept().is_disjoint(&withheld), "{:?}", kept());
    // A stale copy (made while the files were public, say) is removed by reindex.
    let photo = film
        .files
        .iter()
        .find(|f| f.format.mime == "image/jpeg")
        .unwrap();
    let hex = photo.sha256.to_hex();
    let stale = derivatives.join(&hex[..2]).join(&hex);
    std::fs::create_dir_all(&stale).unwrap();
    std::fs::write(stale.join("display.jpg"), b"stale").unwrap();
    let output = workspace.disan().arg("reindex").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(
        !stale.exists(),
        "reindex left a stale preview of a withheld file"
    );
    assert!(kept().contains(&shown));
}

#[test]
fn a_new_description_that_omits_files_access_keeps_the_archived_one() {
    let workspace = Workspace::new();
    let batch = workspace.batch("community-files");
    assert_eq!(workspace.ingest(&batch, &[]).0, 0);
    // The same folder described again without the files_access column, with a new title.
    let again = workspace.dir.path().join("again");
    crate::support::copy_dir(
        &batch.join("objects/bi-kip-bit-trong"),
        &again.join("objects/bi-kip-bit-trong"),
    );
    std::fs::create_dir_all(again.join("metadata")).unwrap();
    std::fs::write(
        again.join("metadata/metadata.csv"),
        "filename,dc.identifier,dc.title,kind,access\n\
         objects/bi-kip-bit-trong,bi-kip-bit-trong,Bịt da mặt trống (sửa),film,public\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&again, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let film = record(&workspace, SECRET_FILM);
    assert_eq!(film.title(disan::model::Lang::Vi), "Bịt da mặt trống (sửa)");
    assert_eq!(
        film.files_access,
        Some(Access::Community {
            groups: [group("phuong-trong-mau")].into(),
            need: Need::Any,
        })
    );
    // Stated as public now: the files open, and the archivist is told.
    std::fs::write(
        again.join("metadata/metadata.csv"),
        "filename,dc.identifier,dc.title,kind,access,files_access\n\
         objects/bi-kip-bit-trong,bi-kip-bit-trong,Bịt da mặt trống (mở),film,public,public\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&again, &[]);
    assert_eq!(code, 0);
    assert!(
        problems(&report).contains(
            &"warning: metadata/metadata.csv, row 2, column files_access: files_access changes from community:phuong-trong-mau to public for record 'bi-kip-bit-trong', as stated".to_string()
        ),
        "{:#?}",
        problems(&report)
    );
    assert_eq!(record(&workspace, SECRET_FILM).files_access, None);
}

#[test]
fn mixed_values_and_bad_communities_refuse_the_row_naming_it() {
    let workspace = Workspace::new();
    let batch = workspace.dir.path().join("mixed");
    std::fs::create_dir_all(batch.join("objects")).unwrap();
    std::fs::create_dir_all(batch.join("metadata")).unwrap();
    for name in ["a", "b", "c"] {
        std::fs::write(batch.join(format!("objects/{name}.txt")), name).unwrap();
    }
    std::fs::write(
        batch.join("metadata/metadata.csv"),
        "filename,access,access,access_need\n\
         objects/a.txt,public,community:phuong-trong-mau,\n\
         objects/b.txt,community:Phuong_Trong,,\n\
         objects/c.txt,community:a,community:b,both\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 1);
    let errors: Vec<String> = problems(&report)
        .into_iter()
        .filter(|p| p.starts_with("error: metadata/metadata.csv, row"))
        .collect();
    assert_eq!(
        errors,
        [
            "error: metadata/metadata.csv, row 2, column access: 'public' cannot be given with other access values (public, community:phuong-trong-mau): only community values may be repeated, and a record is either public or for communities",
            "error: metadata/metadata.csv, row 3, column access: 'community:Phuong_Trong' names no valid community: 'Phuong_Trong' is not a valid group id: use 1 to 100 letters a-z, digits and '-' (no spaces)",
            "error: metadata/metadata.csv, row 4, column access_need: 'both' is not a need; use one of: any, all",
        ]
    );
    assert!(report["records"]["added"].as_array().unwrap().is_empty());
}

/// The demo's sample gains a community record and a public description with a community film.
#[tokio::test]
async fn the_sample_shows_its_community_film_description_and_hides_the_community_photo() {
    let workspace = Workspace::new();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample/ha-nam");
    let (code, report) = workspace.ingest(&sample, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let site = Arc::new(Site::open(&workspace.archive(), &workspace.index(), None).unwrap());
    let film = get(&site, "/en/records/mau-quyen-truy-cap-phim-cong-dong").await;
    assert_eq!(film.status, StatusCode::OK);
    let html = film.text();
    assert!(html.contains("The files of this record are reserved"));
    assert!(!html.contains("<video"));
    assert!(!html.contains("/media/mau-quyen-truy-cap-phim-cong-dong"));
    for id in [
        "mau-quyen-truy-cap-cong-dong",
        "mau-quyen-truy-cap-nha-nghien-cuu",
        "mau-quyen-truy-cap-han-che",
    ] {
        assert_eq!(
            get(&site, &format!("/records/{id}")).await.status,
            StatusCode::NOT_FOUND,
            "{id}"
        );
    }
    assert_eq!(
        record(&workspace, "mau-quyen-truy-cap-cong-dong").access,
        Access::Community {
            groups: [group("phuong-trong-mau")].into(),
            need: Need::Any,
        }
    );
}

/// Writes a batch of `files` (batch-relative path, text) under the workspace.
fn batch_of(workspace: &Workspace, name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let batch = workspace.dir.path().join(name);
    for (path, text) in files {
        let path = batch.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    batch
}

/// A list of communities is one rule: the same list in another order agrees, and a text inside a
/// folder record cannot narrow or widen its files on its own.
#[test]
fn texts_agree_on_whole_rules_and_folder_texts_cannot_set_their_own() {
    let workspace = Workspace::new();
    let agreeing = batch_of(
        &workspace,
        "agreeing",
        &[
            (
                "objects/kt/bi-kip.md",
                "---\naccess: [community:a, community:b]\naccess_need: all\n---\nbí kíp\n",
            ),
            (
                "objects/kt/bi-kip.en.md",
                "---\naccess: [community:b, community:a]\naccess_need: all\n---\nsecret\n",
            ),
        ],
    );
    let (code, report) = workspace.ingest(&agreeing, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(
        record(&workspace, "kt-bi-kip").access,
        Access::Community {
            groups: [group("a"), group("b")].into(),
            need: Need::All,
        }
    );

    let folder = batch_of(
        &workspace,
        "folder",
        &[
            ("objects/f/a.txt", "a"),
            (
                "objects/f/note.md",
                "---\nfiles_access: community:a\n---\nnote\n",
            ),
            (
                "metadata/metadata.csv",
                "filename,dc.title,access\nobjects/f,Folder,public\n",
            ),
        ],
    );
    let (code, report) = workspace.ingest(&folder, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        problems(&report),
        [
            "error: objects/f/note.md, column files_access: its front matter says files_access: community:a, but it lies in the folder that row 2 of metadata/metadata.csv describes as one record with files_access none; make them agree, or move the text out of that folder and describe it on its own"
        ]
    );
}

/// The same photo described twice, once with public files and once with files for a
/// community: the public record keeps its previews whichever row comes first, and the other's
/// URLs still answer as missing files.
#[tokio::test]
async fn bytes_held_by_a_public_record_keep_their_previews() {
    let photo = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/batches/community-files/objects/cong-khai.jpg"),
    )
    .unwrap();
    for rows in [
        "objects/a.jpg,a,public,\nobjects/b.jpg,b,public,community:phuong-trong-mau\n",
        "objects/b.jpg,b,public,community:phuong-trong-mau\nobjects/a.jpg,a,public,\n",
    ] {
        let workspace = Workspace::new();
        let batch = workspace.dir.path().join("twice");
        std::fs::create_dir_all(batch.join("objects")).unwrap();
        std::fs::create_dir_all(batch.join("metadata")).unwrap();
        std::fs::write(batch.join("objects/a.jpg"), &photo).unwrap();
        std::fs::write(batch.join("objects/b.jpg"), &photo).unwrap();
        std::fs::write(
            batch.join("metadata/metadata.csv"),
            format!("filename,dc.identifier,access,files_access\n{rows}"),
        )
        .unwrap();
        let (code, report) = workspace.ingest(&batch, &[]);
        assert_eq!(code, 0, "{:#?}", problems(&report));
        let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let site = Arc::new(
            Site::open(&workspace.archive(), &workspace.index(), Some(templates)).unwrap(),
        );
        assert_eq!(
            get(&site, "/media/a/thumb/0").await.status,
            StatusCode::OK,
            "{rows}"
        );
        assert_eq!(
            get(&site, "/media/b/thumb/0").await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            get(&site, "/media/b/files/b.jpg").await.status,
            StatusCode::NOT_FOUND
        );
    }
}

/// Files withheld through another index: the first index, behind the archive, is reconciled
/// when the site opens over it, and its previews and file text of that record go.
#[tokio::test]
async fn reconcile_removes_previews_and_file_text_of_files_withheld_since() {
    let workspace = Workspace::new();
    let batch = batch_of(
        &workspace,
        "open",
        &[(
            "metadata/metadata.csv",
            "filename,dc.identifier,dc.title,access\nobjects/anh,anh,Ảnh,public\n",
        )],
    );
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/batches/community-files/objects/bi-kip-bit-trong");
    std::fs::create_dir_all(batch.join("objects/anh")).unwrap();
    for name in ["anh-quornikon.jpg", "so-tay-zorvenkip.pdf"] {
        std::fs::copy(fixture.join(name), batch.join("objects/anh").join(name)).unwrap();
    }
    assert_eq!(workspace.ingest(&batch, &[]).0, 0);
    let sha = record(&workspace, "anh")
        .files
        .iter()
        .find(|f| f.format.mime == "image/jpeg")
        .unwrap()
        .sha256
        .to_hex();
    let previews = workspace
        .index()
        .join("derivatives")
        .join(&sha[..2])
        .join(&sha);
    assert!(previews.exists());
    {
        let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let before = Arc::new(
            Site::open(&workspace.archive(), &workspace.index(), Some(templates)).unwrap(),
        );
        let found = get(&before, "/api/search?q=zorvenkip").await.json();
        assert_eq!(
            found["total"], 1,
            "the PDF's text is found while the files are public"
        );
    }

    // Another index ingests the same record with its files for a community.
    std::fs::write(
        batch.join("metadata/metadata.csv"),
        "filename,dc.identifier,dc.title,access,files_access\nobjects/anh,anh,Ảnh,public,community:phuong-trong-mau\n",
    )
    .unwrap();
    workspace.add_groups(crate::support::FIXTURE_GROUPS);
    let other = workspace.dir.path().join("other-index");
    let output = workspace
        .disan_with_index(&other)
        .arg("ingest")
        .arg(&batch)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let site =
        Arc::new(Site::open(&workspace.archive(), &workspace.index(), Some(templates)).unwrap());
    assert!(
        !previews.exists(),
        "reconcile left the previews of a withheld file"
    );
    assert_eq!(get(&site, "/records/anh").await.status, StatusCode::OK);
    assert_eq!(
        get(&site, "/media/anh/thumb/0").await.status,
        StatusCode::NOT_FOUND
    );
    let found = get(&site, "/api/search?q=zorvenkip").await.json();
    assert_eq!(found["total"], 0, "{found}");
}

/// Runs `disan ingest --json BATCH` without creating any group first (unlike
/// [`Workspace::ingest`]): the exit code and the report.
fn ingest_as_is(workspace: &Workspace, batch: &Path) -> (i32, serde_json::Value) {
    let output = workspace
        .disan()
        .args(["ingest", "--json"])
        .arg(batch)
        .output()
        .unwrap();
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!("{error}: {}", String::from_utf8_lossy(&output.stderr));
    });
    (output.status.code().unwrap_or(-1), report)
}

/// Issue 13 item 10: a community the accounts database does not hold is an error at its file,
/// row and column, naming the group and how to create it; that row (or story) is not ingested,
/// the others are, and the exit code is 1. Without an accounts database no group exists, and
/// ingest does not create one. Once `disan group add` made the group, the same batch goes in.
#[test]
fn communities_must_exist_in_the_accounts_database_before_a_row_names_them() {
    let workspace = Workspace::new();
    let batch = batch_of(
        &workspace,
        "groups",
        &[
            ("objects/a.txt", "a"),
            ("objects/b.txt", "b"),
            ("objects/c.txt", "c"),
            (
                "objects/bi-kip.md",
                "---\ndc.title: Bí kíp\naccess: community:phuong-trong-mau\n---\nbí kíp\n",
            ),
            (
                "metadata/metadata.csv",
                "filename,dc.identifier,access,files_access\n\
                 objects/a.txt,a,public,\n\
                 objects/b.txt,b,public,community:phuong-trong-mau\n\
                 objects/c.txt,c,community:phuong-trong-mau,\n",
            ),
        ],
    );
    let database = workspace.accounts();
    let (code, report) = ingest_as_is(&workspace, &batch);
    assert_eq!(code, 1, "{:#?}", problems(&report));
    assert!(!database.exists(), "ingest must not create the database");
    let db = database.display();
    let no_database = format!(
        "names the group 'phuong-trong-mau', but there is no accounts database at {db} (--accounts, DISAN_ACCOUNTS): create the group first with `disan --accounts {db} group add phuong-trong-mau --name \"…\"`, which creates the database, then ingest it again"
    );
    assert_eq!(
        problems(&report),
        [
            format!(
                "error: metadata/metadata.csv, row 3, column files_access: community:phuong-trong-mau {no_database}"
            ),
            format!(
                "error: metadata/metadata.csv, row 4, column access: community:phuong-trong-mau {no_database}"
            ),
            format!(
                "error: objects/bi-kip.md, column access: community:phuong-trong-mau {no_database}"
            ),
        ]
    );
    assert_eq!(crate::support::ids(&report, "records", "added"), ["a"]);

    // A database holding other groups: the same errors, saying the database lacks the group.
    workspace.add_groups(&["phuong-trong"]);
    let (code, report) = ingest_as_is(&workspace, &batch);
    assert_eq!(code, 1);
    let lacking = format!(
        "error: metadata/metadata.csv, row 4, column access: community:phuong-trong-mau names the group 'phuong-trong-mau', which the accounts database {db} does not hold: create the group first with `disan --accounts {db} group add phuong-trong-mau --name \"…\"`, then ingest it again"
    );
    assert!(
        problems(&report).contains(&lacking),
        "{:#?}",
        problems(&report)
    );
    assert_eq!(problems(&report).len(), 3, "{:#?}", problems(&report));

    // Created as the message says: everything goes in.
    let output = workspace
        .disan()
        .args(["group", "add", "phuong-trong-mau", "--name", "Phường trống"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let (code, report) = ingest_as_is(&workspace, &batch);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(
        crate::support::ids(&report, "records", "added"),
        ["b", "bi-kip", "c"]
    );
}
