//! The JSON API's errors (issue 12): every refusal is `{"error": {"code", "message",
//! "parameter"?}}` with its status, the message in the request's language (`lang`, else
//! `Accept-Language`, else Vietnamese), never an HTML page.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::json;

use crate::web::{get, get_with, site};

fn in_english(method: &str, path: &str, body: &'static str) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(path)
        .header("accept-language", "en")
        .header("content-length", body.len())
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test]
async fn every_api_refusal_is_json_with_a_code_in_the_request_language() {
    let (_workspace, site) = site();
    let cases = [
        (
            "/api/records/no-such-record",
            StatusCode::NOT_FOUND,
            json!({"code": "not_found", "message": "Not found: no such record or address."}),
        ),
        (
            "/api/no/such/route",
            StatusCode::NOT_FOUND,
            json!({"code": "not_found", "message": "Not found: no such record or address."}),
        ),
        (
            "/api/search?page=abc",
            StatusCode::BAD_REQUEST,
            json!({"code": "invalid_parameter", "parameter": "page",
                   "message": "page must be a whole number from 1 to 500, not 'abc'"}),
        ),
        (
            "/api/search?sort=newest",
            StatusCode::BAD_REQUEST,
            json!({"code": "invalid_parameter", "parameter": "sort",
                   "message": "sort must be relevance, title, date or date-desc, not 'newest'"}),
        ),
        (
            "/api/search?decade=1995",
            StatusCode::BAD_REQUEST,
            json!({"code": "invalid_parameter", "parameter": "decade",
                   "message": "decade must be a year ending in 0, such as 1930, not '1995'"}),
        ),
        (
            "/api/search?village=Doi%20Tam",
            StatusCode::BAD_REQUEST,
            json!({"code": "invalid_parameter", "parameter": "village",
                   "message": "village must be an id such as 'doi-tam' (lowercase letters, digits, '-'), not 'Doi Tam'"}),
        ),
        (
            "/api/suggest?q=tr&lang=fr",
            StatusCode::BAD_REQUEST,
            json!({"code": "invalid_parameter", "parameter": "lang",
                   "message": "lang must be vi or en, not 'fr'"}),
        ),
    ];
    for (path, status, error) in cases {
        let answer = get_with(&site, in_english("GET", path, "")).await;
        assert_eq!(answer.status, status, "{path}");
        assert!(
            answer
                .header("content-type")
                .starts_with("application/json"),
            "{path}"
        );
        assert_eq!(answer.json(), json!({ "error": error }), "{path}");
    }
    let long = format!("/api/suggest?q={}", "a".repeat(101));
    let answer = get_with(&site, in_english("GET", &long, "")).await;
    assert_eq!(
        answer.json(),
        json!({"error": {"code": "too_long", "parameter": "q",
                          "message": "q must be at most 100 characters"}})
    );
    // A body sent to the API: 413, JSON, never read.
    let answer = get_with(&site, in_english("GET", "/api/search?q=x", "{\"q\": 1}")).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        answer.json(),
        json!({"error": {"code": "body_refused", "message": "This site takes no request bodies."}})
    );
    // Without a language asked for, Vietnamese, the site's language.
    let answer = get(&site, "/api/records/no-such-record").await;
    assert_eq!(
        answer.json(),
        json!({"error": {"code": "not_found",
                          "message": "Không tìm thấy: không có hồ sơ hoặc địa chỉ này."}})
    );
    // A well-formed village naming none finds nothing (one rule for every filter); a
    // malformed one is refused naming it.
    let answer = get(&site, "/api/search?village=nonexist").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json()["total"], 0);
    let answer = get(&site, "/api/search?village=Nonexist").await;
    assert_eq!(
        answer.json(),
        json!({"error": {"code": "invalid_parameter", "parameter": "village",
                          "message": "village phải là một mã như 'doi-tam' (chữ thường không dấu, chữ số, '-'), không phải 'Nonexist'"}})
    );
    // Pages still answer HTML, in both languages.
    let page = get(&site, "/search?sort=newest").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.header("content-type").starts_with("text/html"));
    assert!(
        page.text().contains("sort phải là relevance"),
        "{}",
        page.text()
    );
    assert!(
        page.text().contains("sort must be relevance"),
        "{}",
        page.text()
    );
}
