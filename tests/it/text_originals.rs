//! A text record's Markdown original names other things in its front matter and body: a visit's
//! stops, the products a record shows, the records a story embeds. For a viewer who may not see
//! one of them, the original does not exist: its file answers like an unknown path and no file
//! list (record page, API) gives its name, URL, size or SHA-256 (break14 findings 1 and 2).
//! A viewer who may see all it names receives it as written.
//!
//! Fixture: `tests/fixtures/batches/community-files/` (test material) and texts written here.

use std::collections::HashMap;

use axum::http::StatusCode;
use disan::model::Role;
use disan::model::access::Viewer;
use sha2::Digest;

use crate::audiences::{get_as, signed_in_site, viewer};
use crate::support::{Workspace, problems};

/// Texts added to the sample: (record id, file name, Markdown, metadata row after the name).
const TEXTS: [(&str, &str, &str, &str); 4] = [
    (
        "tham",
        "tham.md",
        "---\nstop:\n  - record:cong-khai\n  - record:nghien-cuu\n  - record:phuong\n---\nChuyến thăm mẫu.\n",
        "Chuyến thăm (tư liệu mẫu),,,visit,public,,,",
    ),
    (
        "ky-thuat",
        "ky-thuat.md",
        "---\nproduct: [trong-kin]\n---\nKỹ thuật mẫu.\n",
        "Kỹ thuật (tư liệu mẫu),,,technique,public,,,",
    ),
    (
        "cau-chuyen-an",
        "cau-chuyen-an.md",
        "Đoạn đầu.\n\n[[nghien-cuu | Ảnh cho nhà nghiên cứu]]\n",
        "Câu chuyện nhúng (tư liệu mẫu),,,story,public,,,",
    ),
    (
        "tham-mo",
        "tham-mo.md",
        "---\nstop:\n  - record:cong-khai\n---\nChuyến thăm công khai mẫu.\n",
        "Chuyến thăm công khai (tư liệu mẫu),,,visit,public,,,",
    ),
];

/// Whether `viewer` may see everything text `id` names.
fn sees_all_it_names(id: &str, viewer: &Viewer) -> bool {
    let archivist = matches!(
        viewer,
        Viewer::Account {
            role: Role::Archivist,
            ..
        }
    );
    let researcher = *viewer != Viewer::Anonymous;
    let du_an = matches!(viewer, Viewer::Account { groups, .. }
        if groups.iter().any(|g| g.as_str() == "du-an-mau"));
    match id {
        "tham" => archivist || du_an,
        "ky-thuat" | "cau-chuyen-an" => researcher,
        _ => true,
    }
}

fn hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Regression (break14 findings 1 and 2): a visit's original naming a hidden stop, a
/// technique's naming a hidden product and a story's embedding a hidden record are, for a viewer
/// who may not see them, unknown paths listed nowhere; for one who may, sent and listed.
#[tokio::test]
async fn a_text_original_naming_what_the_viewer_may_not_see_does_not_exist_for_them() {
    let workspace = Workspace::new();
    let batch = workspace.batch("community-files");
    let mut metadata = std::fs::read_to_string(batch.join("metadata/metadata.csv")).unwrap();
    for (id, name, text, row) in TEXTS {
        std::fs::write(batch.join("objects").join(name), text).unwrap();
        metadata.push_str(&format!("objects/{name},{id},{row}\n"));
    }
    std::fs::write(batch.join("metadata/metadata.csv"), metadata).unwrap();
    std::fs::write(
        batch.join("metadata/products.csv"),
        "id,name,access\ntrong-kin,Trống kín (mẫu),researchers\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let (site, tokens) = signed_in_site(&workspace);
    let viewers = [
        Viewer::Anonymous,
        viewer(Role::Researcher, &[]),
        viewer(Role::Researcher, &["du-an-mau"]),
        viewer(Role::Admin, &["other"]),
        viewer(Role::Archivist, &[]),
    ];
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for who in &viewers {
        for (id, name, text, _) in TEXTS {
            let sha = hex(text.as_bytes());
            let uri = format!("/media/{id}/files/{name}");
            let sent = get_as(&site, &tokens, who, &uri).await;
            let unknown = get_as(
                &site,
                &tokens,
                who,
                &format!("/media/{id}/files/khong-co.md"),
            )
            .await;
            let api = get_as(&site, &tokens, who, &format!("/api/records/{id}")).await;
            assert_eq!(api.status, StatusCode::OK, "{who:?} {id}");
            let listed = api.json()["files"]
                .as_array()
                .unwrap()
                .iter()
                .any(|file| file["path"].as_str().unwrap().ends_with(name));
            let page = get_as(&site, &tokens, who, &format!("/records/{id}")).await;
            assert_eq!(page.status, StatusCode::OK, "{who:?} {id}");
            if sees_all_it_names(id, who) {
                *seen.entry(id).or_default() += 1;
                assert_eq!(sent.status, StatusCode::OK, "{who:?} {uri}");
                assert_eq!(sent.text(), text, "{who:?} {uri}");
                assert!(listed, "{who:?} {id}: {}", api.text());
                assert!(api.text().contains(&sha), "{who:?} {id}");
                // Visit and story pages list no files; a technique's lists its original.
                if id == "ky-thuat" {
                    assert!(page.text().contains(&uri), "{who:?} {id}");
                    assert!(page.text().contains(&sha), "{who:?} {id}");
                }
            } else {
                assert_eq!(sent.status, unknown.status, "{who:?} {uri}");
                assert_eq!(sent.status, StatusCode::NOT_FOUND, "{who:?} {uri}");
                assert_eq!(sent.body, unknown.body, "{who:?} {uri}");
                assert!(!listed, "{who:?} {id}: {}", api.text());
                for answer in [&api, &page] {
                    let answer = answer.text();
                    assert!(!answer.contains(&sha), "{who:?} {id}");
                    assert!(!answer.contains(&uri), "{who:?} {id}");
                    // What the page and API show of the text names only what the viewer sees.
                    let hidden: &[&str] = if *who == Viewer::Anonymous {
                        &["nghien-cuu", "trong-kin", "/records/phuong"]
                    } else {
                        &["/records/phuong"]
                    };
                    for secret in hidden {
                        assert!(!answer.contains(secret), "{who:?} {id}: {secret}");
                    }
                }
            }
        }
    }
    // Each text is sent to some viewer and withheld from another, but the public one.
    assert_eq!(seen["tham"], 2);
    assert_eq!(seen["ky-thuat"], 4);
    assert_eq!(seen["cau-chuyen-an"], 4);
    assert_eq!(seen["tham-mo"], 5);
}

/// A one-page PDF whose text layer is `text` (Helvetica, one line), written as a PDF writer
/// does: catalog, pages, page, compressed content stream, font.
pub(crate) fn text_pdf(text: &str) -> Vec<u8> {
    crate::hostile::pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
        crate::hostile::flate_stream(format!("BT /F1 12 Tf 72 712 Td ({text}) Tj ET").as_bytes()),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ])
}

/// A text original of the test below: record id, file name, bytes, and who may see all it names.
type Original = (&'static str, &'static str, Vec<u8>, fn(&Viewer) -> bool);

/// fix14 point 6: plain-text and PDF originals are judged by the records their text embeds or
/// links to, as Markdown ones are: for a viewer who may not see one of them, the original is an
/// unknown path, listed nowhere (API, record page) with no URL or SHA-256; for one who may see
/// all, sent and listed. A PDF is judged by its text layer.
#[tokio::test]
async fn plain_text_and_pdf_originals_naming_what_the_viewer_may_not_see_do_not_exist_for_them() {
    let workspace = Workspace::new();
    let batch = workspace.batch("community-files");
    let files: [Original; 4] = [
        (
            "ghi-chu",
            "ghi-chu.txt",
            "Ghi chú mẫu.\n\nXem [[nghien-cuu]] và ảnh /records/phuong.\n"
                .as_bytes()
                .to_vec(),
            |who| sees_all_it_names("tham", who),
        ),
        (
            "ghi-chu-mo",
            "ghi-chu-mo.txt",
            "Ghi chú công khai, xem /records/cong-khai.\n"
                .as_bytes()
                .to_vec(),
            |_| true,
        ),
        (
            "tai-lieu-an",
            "tai-lieu-an.pdf",
            text_pdf("Tai lieu mau, xem [[nghien-cuu]]"),
            |who| *who != Viewer::Anonymous,
        ),
        (
            "tai-lieu-mo",
            "tai-lieu-mo.pdf",
            text_pdf("Tai lieu mau cong khai"),
            |_| true,
        ),
    ];
    let mut metadata = std::fs::read_to_string(batch.join("metadata/metadata.csv")).unwrap();
    for (id, name, bytes, _) in &files {
        std::fs::write(batch.join("objects").join(name), bytes).unwrap();
        metadata.push_str(&format!(
            "objects/{name},{id},Tài liệu {id} (tư liệu mẫu),,,document,public,,,\n"
        ));
    }
    std::fs::write(batch.join("metadata/metadata.csv"), metadata).unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let (site, tokens) = signed_in_site(&workspace);
    let viewers = [
        Viewer::Anonymous,
        viewer(Role::Researcher, &[]),
        viewer(Role::Researcher, &["du-an-mau"]),
        viewer(Role::Admin, &["other"]),
        viewer(Role::Archivist, &[]),
    ];
    let mut sent_to: HashMap<&str, usize> = HashMap::new();
    for who in &viewers {
        for (id, name, bytes, sees_all) in &files {
            let sha = hex(bytes);
            let uri = format!("/media/{id}/files/{name}");
            let sent = get_as(&site, &tokens, who, &uri).await;
            let unknown = get_as(
                &site,
                &tokens,
                who,
                &format!("/media/{id}/files/khong-co.txt"),
            )
            .await;
            let api = get_as(&site, &tokens, who, &format!("/api/records/{id}")).await;
            assert_eq!(api.status, StatusCode::OK, "{who:?} {id}");
            let listed = api.json()["files"]
                .as_array()
                .unwrap()
                .iter()
                .any(|file| file["path"].as_str().unwrap().ends_with(name));
            let page = get_as(&site, &tokens, who, &format!("/records/{id}")).await;
            assert_eq!(page.status, StatusCode::OK, "{who:?} {id}");
            if sees_all(who) {
                *sent_to.entry(id).or_default() += 1;
                assert_eq!(sent.status, StatusCode::OK, "{who:?} {uri}");
                assert_eq!(&sent.body, bytes, "{who:?} {uri}");
                assert!(listed, "{who:?} {id}: {}", api.text());
                for answer in [&api, &page] {
                    assert!(answer.text().contains(&sha), "{who:?} {id}");
                }
                assert!(page.text().contains(&uri), "{who:?} {id}");
            } else {
                assert_eq!(sent.status, StatusCode::NOT_FOUND, "{who:?} {uri}");
                assert_eq!(sent.body, unknown.body, "{who:?} {uri}");
                assert!(!listed, "{who:?} {id}: {}", api.text());
                for answer in [&api, &page] {
                    assert!(!answer.text().contains(&sha), "{who:?} {id}");
                    assert!(!answer.text().contains(&uri), "{who:?} {id}");
                }
            }
        }
    }
    assert_eq!(sent_to["ghi-chu"], 2);
    assert_eq!(sent_to["ghi-chu-mo"], 5);
    assert_eq!(sent_to["tai-lieu-an"], 4);
    assert_eq!(sent_to["tai-lieu-mo"], 5);
}
