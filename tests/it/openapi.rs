//! The OpenAPI 3.1 description of the JSON API (issue 16), served at `/api/openapi.json`:
//! validated as a document by openapi-spec-validator, and every `/api/` route's real answers
//! (successes and errors, for an anonymous visitor, a researcher and an archivist) validated
//! against it by openapi-schema-validator, over a real server socket.
//!
//! The validators are required: without python3 and those PyPI packages the tests fail (they
//! never skip); `.ci/run` installs them.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::Path;

use disan::model::{GroupId, Role};
use serde_json::{Value, json};

use crate::support::{Workspace, problems, raw_get, site_with, token_of};

/// How to install what the validation needs.
const INSTALL: &str = "python3 -m pip install openapi-spec-validator openapi-schema-validator";

/// The validator script (`tests/it/openapi/validate.py`).
fn script() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/openapi/validate.py")
}

/// Runs the validator over `document` and `cases`: its exit status and what it printed.
fn validate(document: &Value, cases: &[Value]) -> (bool, String) {
    use std::io::Write;
    let mut child = std::process::Command::new("python3")
        .arg(script())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("python3 does not run ({error}); {INSTALL}"));
    let input = json!({"document": document, "cases": cases}).to_string();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    // A missing module is never a pass nor a skip.
    assert!(
        !stderr.contains("ModuleNotFoundError"),
        "the OpenAPI validators are not installed ({INSTALL}): {stderr}"
    );
    (
        output.status.success(),
        format!("{}{stderr}", String::from_utf8_lossy(&output.stdout)),
    )
}

/// A response off the socket: status, media type, JSON body.
async fn fetch(addr: SocketAddr, path: &str, headers: &str) -> (u16, String, Value) {
    let (owned, headers) = (path.to_string(), headers.to_string());
    let raw = tokio::task::spawn_blocking(move || raw_get(addr, &owned, &headers))
        .await
        .unwrap();
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..end]).to_string();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let content_type = head
        .split("\r\n")
        .find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case("content-type")
                .then(|| value.trim().to_string())
        })
        .unwrap_or_default();
    assert!(
        !head.to_ascii_lowercase().contains("transfer-encoding"),
        "{path}: {head}"
    );
    let body = serde_json::from_slice(&raw[end + 4..])
        .unwrap_or_else(|error| panic!("{path} ({status}) is not JSON: {error}"));
    (status, content_type, body)
}

/// The `/api/` routes the router serves, read from `src/web/mod.rs` (the catch-all for unknown
/// paths aside), as OpenAPI path templates.
fn served_api_routes() -> BTreeSet<String> {
    let router =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web/mod.rs"))
            .unwrap();
    router
        .split(".route(\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|path| path.starts_with("/api/") && !path.contains("{*"))
        .map(str::to_string)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_api_route_answers_as_the_openapi_document_describes() {
    let workspace = Workspace::new();
    for batch in ["valid", "vocabulary", "community-files"] {
        let (code, report) = workspace.ingest(&workspace.batch(batch), &[]);
        assert_eq!(code, 0, "{batch}: {:#?}", problems(&report));
    }
    let accounts = disan::accounts::Accounts::open(&workspace.accounts()).unwrap();
    let member = [GroupId::parse("phuong-trong-mau").unwrap()];
    let researcher = token_of(&accounts, "nghien-cuu", Role::Researcher, &member);
    let archivist = token_of(&accounts, "luu-tru", Role::Archivist, &[]);
    let site = site_with(&workspace, accounts);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(disan::web::serve(site, listener));

    // The document the server sends, which must describe exactly the routes it serves.
    let (status, content_type, document) = fetch(addr, "/api/openapi.json", "").await;
    assert_eq!((status, content_type.as_str()), (200, "application/json"));
    assert_eq!(document["openapi"], "3.1.0");
    let described: BTreeSet<String> = document["paths"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(described, served_api_routes());

    let viewers = [
        ("anonymous", String::new()),
        (
            "researcher",
            format!("Authorization: Bearer {researcher}\r\n"),
        ),
        (
            "archivist",
            format!("Authorization: Bearer {archivist}\r\n"),
        ),
    ];
    let record_ids: Vec<String> = {
        let archive = disan::archive::Archive::open(&workspace.archive()).unwrap();
        let catalogue = archive.catalogue().unwrap();
        catalogue.records.keys().map(|id| id.to_string()).collect()
    };
    let mut cases: Vec<Value> = Vec::new();
    let mut statuses: BTreeSet<(String, u16)> = BTreeSet::new();
    for (_, headers) in &viewers {
        let mut asked: Vec<(&str, String)> = vec![
            ("/api/openapi.json", "/api/openapi.json".into()),
            ("/api/search", "/api/search".into()),
            ("/api/search", "/api/search?q=tr%E1%BB%91ng".into()),
            (
                "/api/search",
                "/api/search?q=trong&lang=en&kind=photo".into(),
            ),
            ("/api/search", "/api/search?q=zzzzqx&page=3".into()),
            ("/api/search", "/api/search?page=x".into()),
            ("/api/search", "/api/search?q=a&q=b".into()),
            ("/api/search", "/api/search?kind=painting&lang=en".into()),
            (
                "/api/search",
                "/api/search?q=trong&sort=date-desc&page=1".into(),
            ),
            ("/api/search", "/api/search?sort=newest".into()),
            ("/api/search", format!("/api/search?q={}", "a".repeat(501))),
            ("/api/suggest", "/api/suggest?q=tr".into()),
            ("/api/suggest", "/api/suggest?q=nha&lang=en".into()),
            ("/api/suggest", "/api/suggest?q=anh-mat".into()),
            ("/api/suggest", "/api/suggest?q=tr&lang=fr".into()),
            (
                "/api/suggest",
                format!("/api/suggest?q={}", "a".repeat(101)),
            ),
            ("/api/records/{id}", "/api/records/khong-co".into()),
            ("/api/artisans", "/api/artisans".into()),
            ("/api/artisans/{id}", "/api/artisans/khong-co".into()),
            ("/api/products", "/api/products".into()),
            ("/api/products/{id}", "/api/products/khong-co".into()),
        ];
        for id in &record_ids {
            asked.push(("/api/records/{id}", format!("/api/records/{id}")));
        }
        for (list, key, template) in [
            ("/api/artisans", "artisans", "/api/artisans/{id}"),
            ("/api/products", "products", "/api/products/{id}"),
        ] {
            let (_, _, answer) = fetch(addr, list, headers).await;
            for item in answer[key].as_array().unwrap() {
                let id = item["id"].as_str().unwrap();
                asked.push((template, format!("{list}/{id}")));
            }
        }
        for (template, path) in asked {
            let (status, content_type, body) = fetch(addr, &path, headers).await;
            statuses.insert((template.to_string(), status));
            cases.push(
                json!({"path": template, "status": status, "content_type": content_type,
                              "body": body, "asked": path}),
            );
        }
    }
    // An /api/ path that is no route, and a token that is no token: each an Error.
    let (status, content_type, body) = fetch(addr, "/api/nothing/here", "").await;
    assert_eq!(status, 404);
    cases.push(
        json!({"schema": "#/components/schemas/Error", "status": status,
                      "content_type": content_type, "body": body, "asked": "/api/nothing/here"}),
    );
    let (status, content_type, body) =
        fetch(addr, "/api/search", "Authorization: Bearer not-a-token\r\n").await;
    assert_eq!(status, 401);
    cases.push(
        json!({"path": "/api/search", "status": status, "content_type": content_type,
                      "body": body, "asked": "/api/search (bad token)"}),
    );

    // Each route was seen answering, and the errors were reached.
    for expected in [
        ("/api/search", 200),
        ("/api/search", 400),
        ("/api/suggest", 200),
        ("/api/suggest", 400),
        ("/api/records/{id}", 200),
        ("/api/records/{id}", 404),
        ("/api/artisans", 200),
        ("/api/artisans/{id}", 200),
        ("/api/artisans/{id}", 404),
        ("/api/products", 200),
        ("/api/products/{id}", 200),
        ("/api/products/{id}", 404),
        ("/api/openapi.json", 200),
    ] {
        assert!(
            statuses.contains(&(expected.0.to_string(), expected.1)),
            "{expected:?} was never answered: {statuses:?}"
        );
    }
    // Records with reserved files and with a community rule were among them.
    let bodies: Vec<&Value> = cases.iter().map(|case| &case["body"]).collect();
    assert!(bodies.iter().any(|b| b["files_reserved"] == true));
    assert!(bodies.iter().any(|b| b["access"]["communities"].is_array()));
    assert!(
        bodies
            .iter()
            .any(|b| b["suggestions"][0]["kind"] == "identifier")
    );

    let (valid, report) = validate(&document, &cases);
    assert!(valid, "{report}");
    assert!(
        report.contains(&format!("{} responses checked, 0 failures", cases.len())),
        "{report}"
    );

    // The validation can fail: an answer off the document (a kind it does not list, an error
    // without its message) is caught and named.
    let mut record = cases
        .iter()
        .find(|case| case["path"] == "/api/records/{id}" && case["status"] == 200)
        .unwrap()
        .clone();
    record["body"]["kind"] = json!("painting");
    let mut error = cases
        .iter()
        .find(|case| case["status"] == 400)
        .unwrap()
        .clone();
    error["body"]["error"]
        .as_object_mut()
        .unwrap()
        .remove("message");
    let (valid, report) = validate(&document, &[record, error]);
    assert!(!valid, "{report}");
    assert!(
        report.contains("at /kind: 'painting' is not one of"),
        "{report}"
    );
    assert!(
        report.contains("'message' is a required property"),
        "{report}"
    );
}
