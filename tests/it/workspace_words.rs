//! Issue 15: the record edit form says ingest's problems beside their field in the page's
//! language, through the site's router over a real archive, index and accounts database.

use axum::http::StatusCode;

use crate::workspace_edits::{ID, archivist, form_of, head};

/// The text of the errors shown beside field `id` (`f-dc-date`) on `page`.
fn errors_of(page: &str, id: &str) -> String {
    let start = page
        .find(&format!(r#"id="{id}-errors""#))
        .unwrap_or_else(|| panic!("no errors beside {id}: {page}"));
    let end = page[start..].find("</div>").unwrap() + start;
    page[start..end].to_string()
}

/// Posts the edit form of the fixture's record at `prefix` (`""` or `/en`) with `changes`; the
/// page answered.
async fn save_at(prefix: &str, changes: &[(&str, &str)]) -> (StatusCode, String, String) {
    let fixture = crate::auth::fixture();
    let mut thu = archivist(&fixture, "thu", "192.0.2.47").await;
    let path = format!("{prefix}/records/{ID}/edit");
    let csrf = thu.token(&fixture.site, &path).await;
    let mut pairs = form_of(&fixture, ID, changes);
    pairs.push(("base".into(), "v1".into()));
    pairs.push(("message".into(), "ngày".into()));
    pairs.push(("csrf".into(), csrf));
    let fields: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let answer = thu.post(&fixture.site, &path, &fields).await;
    (answer.status, answer.text(), head(&fixture, ID))
}

const BAD: &[(&str, &str)] = &[("dc.date", "2021-02-30"), ("lunar_date", "13-1")];

#[tokio::test]
async fn the_vietnamese_edit_form_says_a_bad_date_in_vietnamese_beside_the_field() {
    let (status, page, head) = save_at("", BAD).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(head, "v1", "nothing is written");
    let date = errors_of(&page, "f-dc-date");
    assert!(
        date.contains("<li>&quot;2021-02-30&quot;: tháng 2 năm 2021 có 28 ngày</li>"),
        "{date}"
    );
    let lunar = errors_of(&page, "f-lunar_date");
    assert!(
        lunar.contains(
            "<li>&#39;13-1&#39; không phải ngày âm lịch: tháng phải từ 1 đến 12, như 1-7</li>"
        ),
        "{lunar}"
    );
    // Every message the form shows here has its Vietnamese words.
    assert!(!page.contains(r#"<li lang="en">"#), "{page}");
}

#[tokio::test]
async fn the_english_edit_form_says_it_in_english() {
    let (status, page, _) = save_at("/en", BAD).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let date = errors_of(&page, "f-dc-date");
    assert!(
        date.contains("<li>&quot;2021-02-30&quot;: February 2021 has 28 days</li>"),
        "{date}"
    );
    assert!(!date.contains("tháng"), "{date}");
    let lunar = errors_of(&page, "f-lunar_date");
    assert!(
        lunar.contains("<li>&#39;13-1&#39; is not a lunar date"),
        "{lunar}"
    );
}
