//! Small faults the break round of issue 15 found, each pinned by a test named after it: a
//! repeated honours row stored twice, a visit to an unknown record published, an OCOP expiry
//! without its issue day taken, non-canonical record ids answering 200, suggestions without
//! artisans and products, and `stars:` queries read wrongly (a reversed range unread, a count no
//! rating has falling back to fuzzy words).
//!
//! Every batch is written by the test, with obviously synthetic names ("Nghệ nhân thử 15"); the
//! two photos are the `community-files` fixture's test images. Ingest is the real binary; pages
//! are asked of the real server over a socket.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use disan::model::Role;
use serde_json::Value;

use crate::audiences::split_response;
use crate::support::{Workspace, ids, problems};

/// Writes `files` (batch-relative path, content) into a new batch `name` of `workspace`.
fn batch(workspace: &Workspace, name: &str, files: &[(&str, &[u8])]) -> PathBuf {
    let root = workspace.dir.path().join("batches").join(name);
    std::fs::create_dir_all(root.join("objects")).unwrap();
    for (path, content) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    root
}

/// A test photo of the `community-files` fixture.
fn photo(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/batches/community-files/objects")
            .join(name),
    )
    .unwrap()
}

fn catalogue(workspace: &Workspace) -> disan::archive::Catalogue {
    disan::archive::Archive::open(&workspace.archive())
        .unwrap()
        .catalogue()
        .unwrap()
}

const ARTISANS: &str = "id,name,name@en,died,access\n\
    nghe-nhan-thu-15,Nghệ nhân thử Mười Lăm,Test artisan Fifteen,2001,public\n";

/// Issue 15, fault 1: a row of `honours.csv` repeating an award (the same title, here also in
/// another case and with another decision, for the same artisan under the same scheme) was
/// stored a second time. It is one award: stored once, as its first row gives it, and each
/// repeat is a warning naming the file and both rows as the spreadsheet numbers them.
#[test]
fn a_repeated_honours_row_is_stored_once_and_named_with_both_rows() {
    let workspace = Workspace::new();
    let honours = "artisan,title,scheme,awarded_by,decision,date\n\
        nghe-nhan-thu-15,Nghệ nhân Ưu tú,decree-43-2024,Chủ tịch nước,TEST-15/QĐ-CTN,2025-03-01\n\
        nghe-nhan-thu-15,Nghệ nhân Ưu tú,decree-43-2024,Chủ tịch nước,TEST-15/QĐ-CTN,2025-03-01\n\
        nghe-nhan-thu-15,nghệ nhân ưu tú,decree-43-2024,Chủ tịch nước,TEST-16/QĐ-CTN,2025-03-01\n\
        nghe-nhan-thu-15,Nghệ nhân làng nghề thử,association,Hiệp hội thử,,2020\n";
    let root = batch(
        &workspace,
        "honours-twice",
        &[
            ("metadata/artisans.csv", ARTISANS.as_bytes()),
            ("metadata/honours.csv", honours.as_bytes()),
        ],
    );
    let (code, report) = workspace.ingest(&root, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(
        problems(&report),
        [
            "warning: metadata/honours.csv, row 3, column title: 'nghe-nhan-thu-15' holds 'Nghệ nhân Ưu tú' under decree-43-2024 in row 2 already: row 2 and row 3 are one award (a title is awarded once under a scheme), so it is stored once, as row 2 gives it, and row 3 is not stored; delete row 3, or correct its title or scheme if it is another award",
            "warning: metadata/honours.csv, row 4, column title: 'nghe-nhan-thu-15' holds 'Nghệ nhân Ưu tú' under decree-43-2024 in row 2 already: row 2 and row 4 are one award (a title is awarded once under a scheme), so it is stored once, as row 2 gives it, and row 4 is not stored; row 4 gives another decision than row 2, and only row 2's is stored: check which is right; delete row 4, or correct its title or scheme if it is another award",
        ]
    );
    let artisan = &catalogue(&workspace).artisans
        [&disan::model::ArtisanId::parse("nghe-nhan-thu-15").unwrap()];
    let held: Vec<(&str, Option<&str>)> = artisan
        .honours
        .iter()
        .map(|h| (h.title.as_str(), h.decision.as_deref()))
        .collect();
    assert_eq!(
        held,
        [
            ("Nghệ nhân Ưu tú", Some("TEST-15/QĐ-CTN")),
            ("Nghệ nhân làng nghề thử", None)
        ]
    );
}

const PRODUCTS_HEADER: &str = "id,name,ocop_group,ocop_stars,ocop_score,ocop_certificate,ocop_issued,ocop_expires,ocop_level\n";

/// Issue 15, fault 3: `ocop_expires` without `ocop_issued` was taken. It is an error at the
/// expiry's row and column, and the product is not archived; an expiry before its issue day
/// stays an error; and a later file that empties the issue day of an archived certificate with
/// an expiry is refused at that issue day.
#[test]
fn an_ocop_expiry_without_its_issue_day_is_refused_naming_file_row_and_column() {
    let workspace = Workspace::new();
    let products = format!(
        "{PRODUCTS_HEADER}\
         sp-thu-het-han-le,Sản phẩm thử hạn lẻ,handicrafts,3,60,TEST-C15,,2027-01-01,district\n\
         sp-thu-nguoc,Sản phẩm thử ngược,handicrafts,3,60,TEST-C16,2025-01-01,2024-12-31,district\n\
         sp-thu-tot,Sản phẩm thử tốt,handicrafts,3,60,TEST-C17,2025-01-01,2027-12-31,district\n"
    );
    let root = batch(
        &workspace,
        "ocop-expiry",
        &[("metadata/products.csv", products.as_bytes())],
    );
    let (code, report) = workspace.ingest(&root, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        problems(&report),
        [
            "error: metadata/products.csv, row 2, column ocop_expires: the certificate expires on 2027-01-01 but has no issue day: write the day it was issued in an ocop_issued column (a certificate is valid 36 months from its issue), or leave the expiry empty",
            "error: metadata/products.csv, row 3, column ocop_expires: the certificate expires on 2024-12-31, before it was issued on 2025-01-01",
        ]
    );
    assert_eq!(
        ids(&report, "authorities", "added"),
        ["urn:disan:product:sp-thu-tot"]
    );
    // An update emptying the issue day of the archived certificate, whose expiry stays.
    let root = batch(
        &workspace,
        "ocop-issue-emptied",
        &[(
            "metadata/products.csv",
            b"id,name,ocop_issued\nsp-thu-tot,S\xe1\xba\xa3n ph\xe1\xba\xa9m th\xe1\xbb\xad t\xe1\xbb\x91t,\n",
        )],
    );
    let (code, report) = workspace.ingest(&root, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        problems(&report),
        [
            "error: metadata/products.csv, row 2, column ocop_issued: the row leaves ocop_issued empty, but the archived certificate expires on 2027-12-31: write the day it was issued, or empty ocop_expires too"
        ]
    );
    let product =
        &catalogue(&workspace).products[&disan::model::ProductId::parse("sp-thu-tot").unwrap()];
    assert_eq!(
        product.ocop.as_ref().unwrap().issued.map(|d| d.to_string()),
        Some("2025-01-01".to_string())
    );
}

/// A Markdown record `name` with front matter `front`.
fn text(front: &str) -> Vec<u8> {
    format!("---\n{front}---\n\nVăn bản thử.\n").into_bytes()
}

/// Issue 15, fault 2: a visit stop `record:doesnotexist` was accepted and the visit published.
/// An unknown record stop is an error naming the visit's file, row and the `stop` column, and the
/// visit is refused (front matter and a `metadata.csv` row alike); a stop at a record the
/// batch or the archive holds is taken, and one at a record the viewer may not see is left out
/// of the public page and API without a trace.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visit_to_an_unknown_record_is_refused_and_a_hidden_stop_is_not_revealed() {
    let workspace = Workspace::new();
    let first = batch(
        &workspace,
        "earlier",
        &[(
            "objects/xuong-cu.md",
            &text("dc.identifier: xuong-cu\ndc.title: Xưởng thử cũ\nkind: technique\n"),
        )],
    );
    let (code, report) = workspace.ingest(&first, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let metadata = "filename,dc.identifier,dc.title,kind,stop,stop\n\
        objects/tham-hang.md,tham-hang,Chuyến thử theo hàng,visit,record:xuong-cu,record:khong-co-hang\n";
    let root = batch(
        &workspace,
        "visits",
        &[
            ("metadata/metadata.csv", metadata.as_bytes()),
            (
                "objects/tham-hang.md",
                b"V\xc4\x83n b\xe1\xba\xa3n th\xe1\xbb\xad.\n",
            ),
            (
                "objects/xuong-kin.md",
                &text(
                    "dc.identifier: xuong-kin\ndc.title: Xưởng thử kín đáo\nkind: technique\naccess: restricted\n",
                ),
            ),
            (
                "objects/tham-la.md",
                &text(
                    "dc.identifier: tham-la\ndc.title: Chuyến thử lạ\nkind: visit\nstop:\n  - record:xuong-cu\n  - record:doesnotexist\n",
                ),
            ),
            (
                "objects/tham-tot.md",
                &text(
                    "dc.identifier: tham-tot\ndc.title: Chuyến thử tốt\nkind: visit\nstop:\n  - record:xuong-cu\n  - record:xuong-kin\n  - record:xuong-moi\n",
                ),
            ),
            (
                "objects/xuong-moi.md",
                &text("dc.identifier: xuong-moi\ndc.title: Xưởng thử mới\nkind: technique\n"),
            ),
        ],
    );
    let (code, report) = workspace.ingest(&root, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        problems(&report),
        [
            "error: metadata/metadata.csv, row 2, column stop: unknown record 'record:khong-co-hang': it is neither in the archive nor in this batch, so the visit 'tham-hang' is not ingested; correct the stop's record id, or ingest that record first",
            "error: objects/tham-la.md, column stop: unknown record 'record:doesnotexist': it is neither in the archive nor in this batch, so the visit 'tham-la' is not ingested; correct the stop's record id, or ingest that record first",
        ]
    );
    assert_eq!(
        ids(&report, "records", "added"),
        ["tham-tot", "xuong-kin", "xuong-moi"]
    );
    let (addr, _researcher) = serve(&workspace).await;
    for refused in [
        "/records/tham-la",
        "/records/tham-hang",
        "/api/records/tham-la",
    ] {
        let (status, _) = fetch(addr, refused, "").await;
        assert!(status.contains(" 404 "), "{refused}: {status}");
    }
    let (status, page) = fetch(addr, "/records/tham-tot", "").await;
    assert!(status.contains(" 200 "), "{status}");
    let stops = page
        .split("<ol class=\"stops\">")
        .nth(1)
        .and_then(|rest| rest.split("</ol>").next())
        .unwrap_or_else(|| panic!("no stops in {page}"));
    assert!(
        stops.contains("/records/xuong-cu\"") && stops.contains("/records/xuong-moi\""),
        "{stops}"
    );
    for trace in ["xuong-kin", "Xưởng thử kín"] {
        assert!(!page.contains(trace), "the public visit names {trace}");
    }
    let (_, api) = fetch(addr, "/api/records/tham-tot", "").await;
    let api: Value = serde_json::from_str(&api).unwrap();
    assert_eq!(
        api["stops"],
        serde_json::json!(["record:xuong-cu", "record:xuong-moi"])
    );
    assert!(!api.to_string().contains("xuong-kin"));
}

/// The site over `workspace` served on a local socket, with a researcher's API token header.
async fn serve(workspace: &Workspace) -> (SocketAddr, String) {
    let accounts = disan::accounts::Accounts::open(&workspace.accounts()).unwrap();
    let token = crate::support::token_of(&accounts, "nha-nghien-cuu", Role::Researcher, &[]);
    let site = crate::support::site_with(workspace, accounts);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(disan::web::serve(site, listener));
    (addr, format!("Authorization: Bearer {token}\r\n"))
}

/// `GET path` (sent byte for byte as given) with `headers`: the status line and the body.
async fn fetch(addr: SocketAddr, path: &str, headers: &str) -> (String, String) {
    let (path, headers) = (path.to_string(), headers.to_string());
    let (status, body) = tokio::task::spawn_blocking(move || {
        split_response(&crate::support::raw_get(addr, &path, &headers))
    })
    .await
    .unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// A batch with one public photo whose id holds a capital K (`HN.K1`), a researchers' photo,
/// a village, a craft, an artisan, a public product rated 3 stars (shown by the public photo),
/// a public product rated 5 stars (shown by a public text), a restricted product, and a public
/// text whose title holds the words `0 sao` and `stars 0` (what `sao:0` and `stars:0` were
/// searched as).
fn authorities_batch(workspace: &Workspace) -> PathBuf {
    let metadata = "filename,dc.identifier,dc.title,dc.date,kind,village,product,access\n\
        objects/cong-khai.jpg,HN.K1,Ảnh thử công khai,1995,photo,lang-thu-15,sp-thu-ba-sao,public\n\
        objects/nghien-cuu.jpg,an-nghien-cuu,Ảnh thử nghiên cứu,,photo,lang-thu-15,,researchers\n\
        objects/nam-sao.md,ky-thuat-nam-sao,Kỹ thuật thử năm sao,2005,technique,lang-thu-15,sp-thu-nam-sao,public\n\
        objects/khong-sao.md,ghi-chep-0-sao,Ghi chép thử 0 sao (stars 0),2020,document,lang-thu-15,,public\n";
    let products = "id,name,name@en,village,ocop_group,ocop_stars,ocop_score,ocop_issued,ocop_level,access\n\
        sp-thu-ba-sao,Sản phẩm thử Mười Lăm ba sao,Test product Fifteen three stars,lang-thu-15,handicrafts,3,60,2025-01-01,district,public\n\
        sp-thu-nam-sao,Sản phẩm thử năm sao,Test product five stars,lang-thu-15,handicrafts,5,95,2025-01-01,national,public\n\
        sp-thu-kin,Sản phẩm kín Mười Lăm,Hidden product Fifteen,lang-thu-15,handicrafts,4,80,2025-01-01,province,restricted\n";
    let nam_sao = "V\u{0103}n b\u{1ea3}n th\u{1eed}.\n";
    batch(
        workspace,
        "authorities-15",
        &[
            ("metadata/metadata.csv", metadata.as_bytes()),
            (
                "metadata/crafts.csv",
                "id,name,name@en\nnghe-thu-15,Nghề thử,Test craft\n".as_bytes(),
            ),
            (
                "metadata/villages.csv",
                "id,name,name@en,crafts\nlang-thu-15,Làng thử,Test village,nghe-thu-15\n"
                    .as_bytes(),
            ),
            ("metadata/artisans.csv", ARTISANS.as_bytes()),
            ("metadata/products.csv", products.as_bytes()),
            ("objects/cong-khai.jpg", &photo("cong-khai.jpg")),
            ("objects/nghien-cuu.jpg", &photo("nghien-cuu.jpg")),
            ("objects/nam-sao.md", nam_sao.as_bytes()),
            ("objects/khong-sao.md", nam_sao.as_bytes()),
        ],
    )
}

/// The ways of writing `id` that are not it: a space, a tab or a line feed after or before it,
/// the Kelvin sign for its capital K (NFC makes it K), and the id in the other case (ids are
/// case-sensitive: `HN.K1` and `hn.k1` are two ids).
fn other_forms(id: &str) -> Vec<String> {
    let mut forms = vec![
        format!("{id}%20"),
        format!("%20{id}"),
        format!("{id}%09"),
        format!("%09{id}"),
        format!("{id}%0A"),
        format!("%0A{id}"),
    ];
    if id.contains('K') {
        forms.push(id.replace('K', "%E2%84%AA"));
    }
    if id.chars().any(|c| c.is_ascii_uppercase()) {
        forms.push(id.to_lowercase());
    }
    if id.chars().any(|c| c.is_ascii_lowercase()) {
        forms.push(id.to_uppercase());
    }
    forms
}

/// Issue 15, fault 4: `/records/{id}%20` (and a tab, a compatibility letter) answered the
/// record's page. An id written otherwise than as the record's is no record's: the 404 of an
/// unknown id, for the public record and for a hidden one (whoever asks, a researcher who may
/// see it included: no redirect says it exists), on the pages in both languages, the API,
/// media and IIIF; and so for villages, crafts, artisans and products.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_id_written_otherwise_is_an_unknown_id_on_every_route() {
    let workspace = Workspace::new();
    let (code, report) = workspace.ingest(&authorities_batch(&workspace), &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let (addr, researcher) = serve(&workspace).await;
    let (_, api) = fetch(addr, "/api/records/HN.K1", "").await;
    let api: Value = serde_json::from_str(&api).unwrap();
    let media = api["files"][0]["url"].as_str().unwrap().to_string();
    assert!(media.starts_with("/media/HN.K1/"), "{media}");
    let (_, unknown) = fetch(addr, "/records/khong-co-ban-ghi", "").await;
    for (id, headers) in [("HN.K1", ""), ("an-nghien-cuu", researcher.as_str())] {
        let mut routes = vec![
            "/records/{}".to_string(),
            "/en/records/{}".to_string(),
            "/api/records/{}".to_string(),
        ];
        if id == "HN.K1" {
            routes.push("/iiif/3/{}/manifest".to_string());
            routes.push(media.replacen("HN.K1", "{}", 1));
        }
        for route in &routes {
            let canonical = route.replace("{}", id);
            let (status, _) = fetch(addr, &canonical, headers).await;
            assert!(status.contains(" 200 "), "{canonical}: {status}");
            for form in other_forms(id) {
                let path = route.replace("{}", &form);
                let (status, body) = fetch(addr, &path, headers).await;
                assert!(status.contains(" 404 "), "{path}: {status}");
                if route == "/records/{}" && headers.is_empty() {
                    assert_eq!(body, unknown, "{path} is not the unknown id's page");
                }
            }
        }
    }
    for route in [
        "/villages/lang-thu-15",
        "/en/villages/lang-thu-15",
        "/crafts/nghe-thu-15",
        "/artisans/nghe-nhan-thu-15",
        "/en/artisans/nghe-nhan-thu-15",
        "/api/artisans/nghe-nhan-thu-15",
        "/products/sp-thu-ba-sao",
        "/api/products/sp-thu-ba-sao",
    ] {
        let (status, _) = fetch(addr, route, "").await;
        assert!(status.contains(" 200 "), "{route}: {status}");
        let id = route.rsplit('/').next().unwrap();
        for form in other_forms(id) {
            let path = format!("{}/{form}", &route[..route.len() - id.len() - 1]);
            let (status, _) = fetch(addr, &path, "").await;
            assert!(status.contains(" 404 "), "{path}: {status}");
        }
    }
}

/// Issue 15, fault 5: the search box's suggestions named villages, crafts and records only.
/// They name artisans and the products the viewer may see, each linked to its page in the
/// page's language; a product the viewer may not see is no suggestion.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suggestions_name_artisans_and_public_products_never_a_hidden_product() {
    let workspace = Workspace::new();
    let (code, report) = workspace.ingest(&authorities_batch(&workspace), &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let (addr, researcher) = serve(&workspace).await;
    for (path, headers) in [
        ("/api/suggest?q=muoi%20lam", ""),
        ("/api/suggest?q=m%C6%B0%E1%BB%9Di", ""),
        ("/api/suggest?q=muoi%20lam", researcher.as_str()),
    ] {
        let (status, body) = fetch(addr, path, headers).await;
        assert!(status.contains(" 200 "), "{path}: {status}");
        let json: Value = serde_json::from_str(&body).unwrap();
        let found: Vec<(String, String, String)> = json["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["kind"].as_str().unwrap().to_string(),
                    s["label"].as_str().unwrap().to_string(),
                    s["url"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let expected = [
            (
                "artisan".to_string(),
                "Nghệ nhân thử Mười Lăm".to_string(),
                "/artisans/nghe-nhan-thu-15".to_string(),
            ),
            (
                "product".to_string(),
                "Sản phẩm thử Mười Lăm ba sao".to_string(),
                "/products/sp-thu-ba-sao".to_string(),
            ),
        ];
        assert_eq!(found, expected, "{path} {headers}");
        assert!(
            !body.contains("sp-thu-kin") && !body.contains("kín"),
            "{body}"
        );
    }
    let (_, body) = fetch(addr, "/api/suggest?q=fifteen&lang=en", "").await;
    let json: Value = serde_json::from_str(&body).unwrap();
    let urls: Vec<&str> = json["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["url"].as_str().unwrap())
        .collect();
    assert_eq!(
        urls,
        [
            "/en/artisans/nghe-nhan-thu-15",
            "/en/products/sp-thu-ba-sao"
        ]
    );
    assert!(!body.contains("Hidden"), "{body}");
}

/// The records `/api/search?q=…` finds for `query` (ids, sorted) and its notices' codes.
async fn searched(addr: SocketAddr, query: &str) -> (Vec<String>, Vec<Value>) {
    let encoded: String = query
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b':' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    let path = format!("/api/search?q={encoded}");
    let (status, body) = fetch(addr, &path, "").await;
    assert!(status.contains(" 200 "), "{path}: {status} {body}");
    let json: Value = serde_json::from_str(&body).unwrap();
    let mut ids: Vec<String> = json["hits"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    let notices = json["notices"].as_array().cloned().unwrap_or_default();
    (ids, notices)
}

/// Issue 15, fault 6a: `stars:5..3` was not read (its words were searched instead), nor was a
/// date range written high to low. Either is the same range low to high, without a notice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reversed_range_of_stars_or_dates_is_read_low_to_high() {
    let workspace = Workspace::new();
    let (code, report) = workspace.ingest(&authorities_batch(&workspace), &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let (addr, _) = serve(&workspace).await;
    let both = ["HN.K1".to_string(), "ky-thuat-nam-sao".to_string()];
    for query in ["stars:3..5", "stars:5..3", "sao:5-3", "stars:[5 TO 3]"] {
        let (found, notices) = searched(addr, query).await;
        assert_eq!(found, both, "{query}");
        assert!(notices.is_empty(), "{query}: {notices:?}");
    }
    for (query, expected) in [
        ("date:1990..2010", &both[..]),
        ("date:2010..1990", &both[..]),
        ("năm:[2000 TO 1990]", &both[..1]),
        ("date:2010/2000", &both[1..]),
    ] {
        let (found, notices) = searched(addr, query).await;
        assert_eq!(found, expected, "{query}");
        assert!(notices.is_empty(), "{query}: {notices:?}");
    }
}

/// Issue 15, fault 6b: `stars:0` fell back to searching its words (`stars`, `0`) and their close
/// spellings. OCOP ratings have 1 to 5 stars: a count no rating has (0, 6, `>5`) finds nothing,
/// whatever else the query holds, with a notice in both languages.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stars_count_no_rating_has_finds_nothing_never_fuzzy_words() {
    let workspace = Workspace::new();
    let (code, report) = workspace.ingest(&authorities_batch(&workspace), &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let (addr, _) = serve(&workspace).await;
    assert_eq!(searched(addr, "stars:5").await.0, ["ky-thuat-nam-sao"]);
    // The words alone find the text whose title holds them.
    assert_eq!(searched(addr, "sao 0").await.0, ["ghi-chep-0-sao"]);
    for query in ["stars:0", "sao:0", "stars:6", "stars:>5", "stars:0 thử"] {
        let (found, notices) = searched(addr, query).await;
        assert!(found.is_empty(), "{query} found {found:?}");
        let value = query.split(':').nth(1).unwrap().split(' ').next().unwrap();
        assert!(
            notices.iter().any(|n| n["code"] == "no_such_stars"
                && n["en"]
                    == format!("No OCOP product is rated “{value}” stars: OCOP ratings have 1 to 5 stars, so there are no results. Write stars:4, stars:>=3 or stars:3..5.")
                && n["vi"]
                    == format!("Không có sản phẩm OCOP nào được xếp “{value}” sao: xếp hạng OCOP có từ 1 đến 5 sao, nên không có kết quả. Hãy viết stars:4, stars:>=3 hoặc stars:3..5.")),
            "{query}: {notices:?}"
        );
    }
    // The search pages say it in their language.
    let (_, page) = fetch(addr, "/search?q=stars:0", "").await;
    assert!(page.contains("xếp hạng OCOP có từ 1 đến 5 sao"), "{page}");
    let (_, page) = fetch(addr, "/en/search?q=stars:0", "").await;
    assert!(page.contains("OCOP ratings have 1 to 5 stars"), "{page}");
}

/// Issue 15, fault 2 through the workspace: an archivist editing a record into a visit whose
/// stop names no record of the archive is refused, the error beside the `stop` field, and
/// nothing is written; a stop at a record of the archive is saved.
#[tokio::test]
async fn a_visit_edited_in_the_workspace_to_stop_at_an_unknown_record_is_refused() {
    use crate::workspace_edits::{ID, archivist, head, save};
    let fixture = crate::auth::fixture();
    let mut thu = archivist(&fixture, "thu", "192.0.2.115").await;
    let answer = save(
        &mut thu,
        &fixture,
        ID,
        "v1",
        &[("kind", "visit"), ("stop", "record:doesnotexist")],
        "make it a visit",
    )
    .await;
    assert_eq!(answer.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
    let text = answer.text();
    assert!(text.contains(r#"id="f-stop-errors""#), "{text}");
    assert!(
        text.contains("unknown record &#39;record:doesnotexist&#39;")
            || text.contains("unknown record 'record:doesnotexist'"),
        "{text}"
    );
    assert_eq!(head(&fixture, ID), "v1");
    let answer = save(
        &mut thu,
        &fixture,
        ID,
        "v1",
        &[("kind", "visit"), ("stop", "record:anh-mat-trong")],
        "make it a visit",
    )
    .await;
    assert_eq!(
        answer.status,
        axum::http::StatusCode::SEE_OTHER,
        "{}",
        answer.text()
    );
    assert_eq!(head(&fixture, ID), "v2");
}

/// Issue 15's break round, F4: the staff view-log page `/record/{id}/views` answered 200
/// "nobody opened this record" for an unknown id, the id in capitals or with a dot after it. A
/// record that does not exist exactly as written is the 404 of an unknown id, as on every other
/// id route; the record's own log is still shown.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_view_log_of_an_id_written_otherwise_or_unknown_is_the_unknown_ids_404() {
    let fixture = crate::auth::fixture();
    let site = &fixture.site;
    let mut thu = crate::workspace_edits::archivist(&fixture, "thu", "192.0.2.151").await;
    let known = thu.get(site, "/en/record/hoa-van-luc-giac/views").await;
    assert_eq!(known.status, 200, "{}", known.text());
    let unknown = thu.get(site, "/en/records/khong-co-ban-ghi").await;
    assert_eq!(unknown.status, 404);
    for id in [
        "khong-co-ban-ghi",
        "HOA-VAN-LUC-GIAC",
        "Hoa-van-luc-giac",
        "hoa-van-luc-giac.",
        "hoa-van-luc-giac%20",
    ] {
        for lang in ["", "/en"] {
            let path = format!("{lang}/record/{id}/views");
            let answer = thu.get(site, &path).await;
            assert_eq!(answer.status, 404, "{path}: {}", answer.text());
            if lang == "/en" {
                assert_eq!(answer.body, unknown.body, "{path}");
            }
        }
    }
}

/// Issue 15's break round, F6: `stars:-4` was read as "at most 4", `stars:-1` found nothing
/// without a notice, and `stars:>-1`, `stars:..`, `stars:` alone, `date:{2026 TO 2026}` and
/// `date:[2026 TO 2026}` fell back to searching words and their close spellings; `stars:*` and
/// `date:[* TO *]` too. A field query that does not read finds nothing and says why, in both
/// languages, whatever else the query holds; `*` and `[* TO *]` are any value.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_field_query_that_does_not_read_finds_nothing_never_words() {
    let workspace = Workspace::new();
    let (code, report) = workspace.ingest(&authorities_batch(&workspace), &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let (addr, _) = serve(&workspace).await;
    for query in ["stars:-4", "stars:-1", "sao:-4 thử"] {
        let (found, notices) = searched(addr, query).await;
        assert!(found.is_empty(), "{query} found {found:?}");
        assert!(
            notices.iter().any(|n| n["code"] == "no_such_stars"),
            "{query}: {notices:?}"
        );
    }
    for (query, en, vi) in [
        (
            "stars:>-1",
            "Cannot read the stars",
            "Không đọc được số sao",
        ),
        ("stars:..", "Cannot read the stars", "Không đọc được số sao"),
        ("stars:", "needs a value", "cần một giá trị"),
        (
            "stars:.. thử",
            "Cannot read the stars",
            "Không đọc được số sao",
        ),
        ("date:..", "Cannot read the date", "Không hiểu ngày"),
        (
            "date:{2026 TO 2026}",
            "holds no date",
            "không chứa ngày nào",
        ),
        ("năm:[2026 TO 2026}", "holds no date", "không chứa ngày nào"),
    ] {
        let (found, notices) = searched(addr, query).await;
        assert!(found.is_empty(), "{query} found {found:?}");
        assert!(
            notices.iter().any(|n| n["code"] == "field_finds_nothing"
                && n["en"].as_str().unwrap().contains(en)
                && n["en"]
                    .as_str()
                    .unwrap()
                    .contains("is never searched as words")
                && n["vi"].as_str().unwrap().contains(vi)),
            "{query}: {notices:?}"
        );
        assert!(
            !notices.iter().any(|n| n["code"] == "close_spellings"),
            "{query}: {notices:?}"
        );
    }
    // Any value: every record rated, every record dated.
    let (found, notices) = searched(addr, "stars:*").await;
    assert_eq!(found, ["HN.K1", "ky-thuat-nam-sao"]);
    assert!(notices.is_empty(), "{notices:?}");
    let (found, notices) = searched(addr, "date:[* TO *]").await;
    assert_eq!(found, ["HN.K1", "ghi-chep-0-sao", "ky-thuat-nam-sao"]);
    assert!(notices.is_empty(), "{notices:?}");
    // A word after a field name is still a word (`Hà Nam: 1995` is a heading).
    let (found, _) = searched(addr, "sao thử").await;
    assert!(!found.is_empty());
}

/// The lines `disan demo` prints over `workspace` until it says where it listens (the server
/// stopped after).
fn demo_says(workspace: &Workspace) -> String {
    use std::io::BufRead as _;
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/sample/ha-nam");
    let mut child = workspace
        .disan()
        .args(["demo", "--batch", sample, "--addr", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("disan demo");
    let stdout = child.stdout.take().unwrap();
    let _server = crate::browser::Server(child);
    let mut said = String::new();
    for line in std::io::BufReader::new(stdout).lines() {
        let line = line.unwrap();
        said.push_str(&line);
        said.push('\n');
        if line.contains("http://") {
            break;
        }
    }
    said
}

/// Issue 15's break round, F7: `disan demo` printed "create the first account" over an
/// accounts database that had an admin. It says so only while there is none.
#[test]
fn demo_asks_for_the_first_account_only_when_there_is_no_admin() {
    let fresh = Workspace::new();
    let said = demo_says(&fresh);
    assert!(said.contains("create the first account"), "{said}");
    assert!(said.contains("OAI-PMH is at /oai"), "{said}");

    let with_admin = Workspace::new();
    disan::accounts::Accounts::open(&with_admin.accounts())
        .unwrap()
        .add_user("quan-tri", Role::Admin, crate::auth::PASSWORD, &[], "test")
        .unwrap();
    let said = demo_says(&with_admin);
    assert!(!said.contains("create the first account"), "{said}");
    assert!(said.contains("To sign in, open /login."), "{said}");
    assert!(said.contains("OAI-PMH is at /oai"), "{said}");
}
