//! Exports that round-trip (issue 16): `disan export DIR` writes the public collection as a
//! batch; ingested into an empty archive it gives the same records, fields and files, as the
//! anonymous record API shows them, and nothing that is not public.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::http::StatusCode;
use disan::web::Site;
use serde_json::Value;

use crate::support::Workspace;
use crate::web::get;

/// The site over `workspace` with the repository's templates.
fn site_of(workspace: &Workspace) -> Arc<Site> {
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    Arc::new(Site::open(&workspace.archive(), &workspace.index(), Some(templates)).unwrap())
}

/// Ingests `batch` into a new archive, exports it into a folder of the same name (the batch's
/// name is part of each record's provenance) and returns both, with the records the export
/// said it left out.
fn exported(batch: &Path) -> (Workspace, PathBuf, Vec<String>) {
    let workspace = Workspace::new();
    let (code, report) = workspace.ingest(batch, &[]);
    assert!(code == 0 || code == 1, "ingest: {report}");
    let target = workspace
        .dir
        .path()
        .join("export")
        .join(batch.file_name().unwrap());
    let output = workspace
        .disan()
        .arg("export")
        .arg(&target)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "export: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let left_out = String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter_map(|line| line.split("left out record ").nth(1))
        .filter_map(|rest| rest.split(':').next())
        .map(str::to_string)
        .collect();
    (workspace, target, left_out)
}

/// Every file under `dir`, with its bytes.
fn all_files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in walkdir(dir) {
        let bytes = std::fs::read(&entry).unwrap();
        out.push((entry, bytes));
    }
    out
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walkdir(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Ingests `batch`, exports it, ingests the export into an empty archive and compares the
/// anonymous `/api/records/{id}` JSON of every public record of both archives.
async fn round_trip(batch: &Path, left_out: &[&str]) -> (Workspace, PathBuf) {
    let (first, export, said) = exported(batch);
    assert_eq!(said, left_out, "the records left out");
    let second = Workspace::new();
    let (code, report) = second.ingest(&export, &[]);
    assert_eq!(code, 0, "the export must ingest cleanly: {report}");
    let (a, b) = (site_of(&first), site_of(&second));
    let ids = a.public_ids().unwrap();
    assert!(!ids.is_empty());
    let kept: Vec<String> = ids
        .iter()
        .filter(|id| !left_out.contains(&id.as_str()))
        .cloned()
        .collect();
    let mut again = b.public_ids().unwrap().as_ref().clone();
    again.sort();
    let mut expected = kept.clone();
    expected.sort();
    assert_eq!(expected, again, "the same public records");
    for id in &kept {
        let (one, two) = (
            get(&a, &format!("/api/records/{id}")).await,
            get(&b, &format!("/api/records/{id}")).await,
        );
        assert_eq!(one.status, StatusCode::OK);
        assert_eq!(two.status, StatusCode::OK, "{id} after the round trip");
        assert_eq!(
            comparable(one.json()),
            comparable(two.json()),
            "record {id}"
        );
    }
    // The authorities as the anonymous API lists them: artisans (honours included) and products.
    for list in ["/api/artisans", "/api/products"] {
        let (one, two) = (get(&a, list).await, get(&b, list).await);
        assert_eq!(one.status, StatusCode::OK);
        assert_eq!(one.json(), two.json(), "{list}");
    }
    (first, export)
}

/// A record's JSON without what may rightly differ: whether a location was removed from a file
/// (the export holds the public copy, so the second archive preserves a file with nothing to
/// remove; the bytes sent are the same, which `sha256` and `size` still compare).
fn comparable(mut record: Value) -> Value {
    // When the version was written differs between the two archives; its name does not.
    if let Some(version) = record.get_mut("version").and_then(Value::as_object_mut) {
        version.remove("created");
    }
    if let Some(files) = record.get_mut("files").and_then(Value::as_array_mut) {
        for file in files {
            if let Some(file) = file.as_object_mut() {
                file.remove("location_removed");
                file.remove("preserved_original");
            }
        }
    }
    record
}

/// Fails when a file of `export`, or its path, holds any of `hidden`.
fn assert_nothing_of(export: &Path, hidden: &[&str]) {
    for (path, bytes) in all_files(export) {
        let text = String::from_utf8_lossy(&bytes);
        for hidden in hidden {
            assert!(
                !text.contains(hidden) && !path.to_string_lossy().contains(hidden),
                "{} holds the hidden {hidden}",
                path.display()
            );
        }
    }
}

#[tokio::test]
async fn the_valid_fixture_round_trips_and_its_hidden_records_stay_out() {
    let workspace = Workspace::new();
    let batch = workspace.batch("valid");
    let (_first, export) = round_trip(&batch, &[]).await;
    assert_nothing_of(
        &export,
        &[
            "fixture-restricted",
            "Ảnh hạn chế",
            "Restricted image",
            "han-che",
            "Phim thử",
            "Test film",
        ],
    );
    assert!(export.join("metadata/villages.csv").is_file());
    assert!(export.join("metadata/crafts.csv").is_file());
}

#[tokio::test]
async fn the_vocabulary_fixture_round_trips() {
    let workspace = Workspace::new();
    let batch = workspace.batch("vocabulary");
    let (_first, export) = round_trip(&batch, &[]).await;
    // A restricted record and product, a restricted artisan's details, a living artisan's
    // (researchers by default) details: none is in the export.
    assert_nothing_of(
        &export,
        &[
            "vocab-san-pham-han-che",
            "Sản phẩm hạn chế",
            "san-pham-thu-han-che",
            "Sản phẩm thử hạn chế",
            "TEST-C4R",
            "Mô tả hạn chế thử nghiệm",
            "Restricted test description",
            "người còn sống",
            "living person",
            "1950",
            "1965",
        ],
    );
}

#[tokio::test]
async fn the_sample_round_trips_but_for_records_whose_files_are_not_public() {
    let batch = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample/ha-nam");
    round_trip(
        &batch,
        &[
            "gioi-thieu-bo-mau-ha-nam",
            "mau-quyen-truy-cap-phim-cong-dong",
        ],
    )
    .await;
}

#[test]
fn export_refuses_a_folder_that_is_not_empty() {
    let workspace = Workspace::new();
    workspace.ingest(&workspace.batch("valid"), &[]);
    let target = workspace.dir.path().join("full");
    std::fs::create_dir_all(&target).unwrap();
    std::fs::write(target.join("keep.txt"), "mine").unwrap();
    let output = workspace
        .disan()
        .arg("export")
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(!target.join("metadata").exists());
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not empty"));
    assert_eq!(
        std::fs::read_to_string(target.join("keep.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn export_of_a_search_holds_only_the_public_records_it_finds() {
    let workspace = Workspace::new();
    workspace.ingest(&workspace.batch("valid"), &[]);
    let target = workspace.dir.path().join("luc-giac");
    let output = workspace
        .disan()
        .args(["export", "--query", "lục giác"])
        .arg(&target)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let sheet = std::fs::read_to_string(target.join("metadata/metadata.csv")).unwrap();
    let rows: Vec<&str> = sheet.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{sheet}");
    assert!(
        rows[0].starts_with("objects/hoa-van/luc-giac.png,"),
        "{sheet}"
    );
    assert!(target.join("objects/hoa-van/luc-giac.png").is_file());
    assert!(!target.join("objects/anh").exists());
    // A restricted record is found by no anonymous search, even by its own title.
    let hidden = workspace.dir.path().join("han-che");
    let output = workspace
        .disan()
        .args(["export", "--query", "Ảnh hạn chế"])
        .arg(&hidden)
        .output()
        .unwrap();
    assert!(output.status.success());
    let sheet = std::fs::read_to_string(hidden.join("metadata/metadata.csv")).unwrap();
    assert!(!sheet.contains("han-che"), "{sheet}");
    assert!(!hidden.join("objects").exists());
}

#[tokio::test]
async fn the_site_exports_a_search_as_metadata_csv_with_its_authority_files() {
    let (_workspace, site) = crate::web::site();
    let whole = get(&site, "/export/metadata.csv").await;
    assert_eq!(whole.status, StatusCode::OK);
    assert_eq!(
        whole.headers["content-type"], "text/csv; charset=utf-8",
        "a CSV download"
    );
    let text = whole.text();
    assert!(text.starts_with("filename,"), "{text}");
    assert!(text.contains("objects/hoa-van/luc-giac.png"), "{text}");
    for hidden in ["fixture-restricted", "han-che", "Phim thử", "objects/phim"] {
        assert!(!text.contains(hidden), "{hidden} in {text}");
    }
    let found = get(&site, "/export/metadata.csv?q=l%E1%BB%A5c%20gi%C3%A1c").await;
    assert_eq!(found.status, StatusCode::OK);
    let rows: Vec<String> = found.text().lines().skip(1).map(str::to_string).collect();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].starts_with("objects/hoa-van/luc-giac.png,"));
    // A restricted record is not found even by its title.
    let hidden = get(&site, "/export/metadata.csv?q=fixture-restricted").await;
    assert_eq!(hidden.status, StatusCode::OK);
    assert!(!hidden.text().contains("han-che"), "{}", hidden.text());
    assert_eq!(
        get(&site, "/export/metadata.csv?kind=nonsense")
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    let villages = get(&site, "/export/villages.csv").await;
    assert_eq!(villages.status, StatusCode::OK);
    assert!(villages.text().starts_with("id,name,name@en,"));
    assert!(villages.text().contains("doi-tam,Đọi Tam,Doi Tam"));
    assert_eq!(
        get(&site, "/export/accounts.sqlite").await.status,
        StatusCode::NOT_FOUND
    );
    // The search page links the export of what it shows, in both languages.
    let page = get(&site, "/search?q=tr%E1%BB%91ng").await.text();
    assert!(
        page.contains("href=\"/export/metadata.csv?q=tr%E1%BB%91ng\""),
        "{page}"
    );
    assert!(page.contains("Tải các kết quả này dạng metadata.csv"));
    assert!(page.contains("href=\"/export/villages.csv\""));
    let english = get(&site, "/en/search").await.text();
    assert!(
        english.contains("href=\"/export/metadata.csv\""),
        "{english}"
    );
    assert!(english.contains("Download these results as metadata.csv"));
}

#[tokio::test]
async fn the_site_exports_a_search_as_json_and_schema_org_json_ld() {
    let (_workspace, site) = crate::web::site();
    let json = get(&site, "/export/records.json").await;
    assert_eq!(json.status, StatusCode::OK);
    assert_eq!(json.headers["content-type"], "application/json");
    let body = json.json();
    let records = body["records"].as_array().unwrap();
    assert!(
        records
            .iter()
            .any(|r| r["filename"][0] == "objects/hoa-van/luc-giac.png")
    );
    assert!(
        records
            .iter()
            .any(|r| r["dc.title@en"][0] == "Hexagon pattern")
    );
    let text = json.text();
    for hidden in ["fixture-restricted", "han-che", "Phim thử", "objects/phim"] {
        assert!(!text.contains(hidden), "{hidden} in {text}");
    }
    let linked = get(&site, "/export/records.jsonld?q=l%E1%BB%A5c%20gi%C3%A1c").await;
    assert_eq!(linked.status, StatusCode::OK);
    assert_eq!(linked.headers["content-type"], "application/ld+json");
    let list = linked.json();
    assert_eq!(list["@context"], "https://schema.org");
    assert_eq!(list["@type"], "ItemList");
    assert_eq!(list["numberOfItems"], 1);
    let item = &list["itemListElement"][0]["item"];
    assert_eq!(item["@type"], "CreativeWork");
    assert!(
        item["@id"]
            .as_str()
            .unwrap()
            .ends_with("/records/hoa-van-luc-giac")
    );
    assert!(
        item["name"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["@language"] == "en" && n["@value"] == "Hexagon pattern"),
        "{item}"
    );
    assert_eq!(
        get(&site, "/export/records.xml").await.status,
        StatusCode::NOT_FOUND
    );
    let page = get(&site, "/en/search?q=hexagon").await.text();
    assert!(
        page.contains("href=\"/export/records.json?q=hexagon\""),
        "{page}"
    );
    assert!(page.contains("href=\"/export/records.jsonld?q=hexagon\""));
    assert!(page.contains("JSON-LD (schema.org)"));
}

#[test]
fn two_batches_that_used_one_path_export_one_record_and_name_the_other() {
    let workspace = Workspace::new();
    let valid = workspace.batch("valid");
    workspace.ingest(&valid, &[]);
    let second = workspace.dir.path().join("second");
    std::fs::create_dir_all(second.join("objects/anh")).unwrap();
    std::fs::create_dir_all(second.join("metadata")).unwrap();
    let mut bytes = std::fs::read(valid.join("objects/anh/mat-trong.jpg")).unwrap();
    bytes.extend_from_slice(b"other");
    std::fs::write(second.join("objects/anh/mat-trong.jpg"), bytes).unwrap();
    std::fs::write(
        second.join("metadata/metadata.csv"),
        "filename,dc.identifier,dc.title\nobjects/anh/mat-trong.jpg,ban-thu-hai,Bản thứ hai\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&second, &[]);
    assert_eq!(code, 0, "{report}");
    let target = workspace.dir.path().join("export");
    let output = workspace
        .disan()
        .arg("export")
        .arg(&target)
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("objects/anh/mat-trong.jpg is another exported record's"),
        "{stderr}"
    );
    let sheet = std::fs::read_to_string(target.join("metadata/metadata.csv")).unwrap();
    assert_eq!(
        sheet.matches("objects/anh/mat-trong.jpg,").count(),
        1,
        "{sheet}"
    );
    let fresh = Workspace::new();
    let (code, report) = fresh.ingest(&target, &[]);
    assert_eq!(code, 0, "{report}");
}

#[tokio::test]
async fn an_archivists_export_is_the_anonymous_one() {
    let workspace = Workspace::new();
    let (code, _) = workspace.ingest(&workspace.batch("valid"), &[]);
    assert_eq!(code, 0);
    let accounts = disan::accounts::Accounts::open(&workspace.accounts()).unwrap();
    let token = crate::support::token_of(&accounts, "luu-tru", disan::model::Role::Archivist, &[]);
    let site = crate::support::site_with(&workspace, accounts);
    for path in [
        "/export/metadata.csv",
        "/export/records.json",
        "/export/records.jsonld",
        "/export/artisans.csv",
    ] {
        let request = axum::http::Request::get(path)
            .header("authorization", format!("Bearer {token}"))
            .body(axum::body::Body::empty())
            .unwrap();
        let signed = crate::web::get_with(&site, request).await;
        let anonymous = get(&site, path).await;
        assert_eq!(signed.status, StatusCode::OK, "{path}");
        assert_eq!(signed.text(), anonymous.text(), "{path}");
        for hidden in ["fixture-restricted", "Phim thử"] {
            assert!(!signed.text().contains(hidden), "{path}: {hidden}");
        }
    }
}
