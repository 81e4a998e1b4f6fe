//! Small faults the break round of issue 15 found, each pinned by a test named after it: a
//! repeated honours row stored twice, a visit to an unknown record published, an OCOP expiry
//! without its issue day taken.
//!
//! Every batch is written by the test, with obviously synthetic names ("Nghệ nhân thử 15").
//! Ingest is the real binary; pages are asked of the real server over a socket.

use std::net::SocketAddr;
use std::path::PathBuf;

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
