//! The interface's own words, from the Fluent translation files: counts read with each
//! language's plural forms, values filled into messages are escaped like any other text, and the
//! error page and refusals speak both languages.

use axum::http::StatusCode;

use crate::web::{get, site, urlencode};

/// The count line of a search page, as each language writes it.
fn count_line(lang: &str, total: u64, q: &str) -> String {
    match (lang, total) {
        ("en", 1) => format!("1 result for “{q}”"),
        ("en", n) => format!("{n} results for “{q}”"),
        (_, n) => format!("{n} kết quả cho “{q}”"),
    }
}

#[tokio::test]
async fn counts_take_the_plural_form_of_each_language() {
    let (_workspace, site) = site();
    let mut totals = Vec::new();
    for q in ["lục giác", "trống", "xyzzy"] {
        let total = get(&site, &format!("/api/search?q={}", urlencode(q)))
            .await
            .json()["total"]
            .as_u64()
            .unwrap();
        totals.push(total);
        for (lang, base) in [("vi", "/search"), ("en", "/en/search")] {
            let page = get(&site, &format!("{base}?q={}", urlencode(q)))
                .await
                .text();
            let line = count_line(lang, total, q);
            assert!(page.contains(&line), "{base}?q={q} lacks {line}");
        }
    }
    // The queries reach one, several and no records, so every form is tried.
    assert!(totals.contains(&1) && totals.contains(&0), "{totals:?}");
    assert!(totals.iter().any(|&n| n > 1), "{totals:?}");
    // The home page counts the public records with the same rule.
    let all = get(&site, "/api/search").await.json()["total"]
        .as_u64()
        .unwrap();
    assert!(all > 1);
    let home = get(&site, "/en").await.text();
    assert!(home.contains(&format!("{all} public records")), "{home}");
    let home = get(&site, "/").await.text();
    assert!(home.contains(&format!("{all} tư liệu công khai")));
}

#[tokio::test]
async fn what_a_visitor_typed_is_escaped_inside_a_message() {
    let (_workspace, site) = site();
    let typed = "<b>x</b> & \"y\"";
    let page = get(&site, &format!("/en/search?q={}", urlencode(typed)))
        .await
        .text();
    assert!(
        page.contains("0 results for “&lt;b&gt;x&lt;/b&gt; &amp; &quot;y&quot;”"),
        "{page}"
    );
    assert!(!page.contains("<b>x</b>"));
    // No invisible isolation marks around filled-in values.
    assert!(!page.contains(['\u{2068}', '\u{2069}']));
}

#[tokio::test]
async fn the_error_page_speaks_both_languages() {
    let (_workspace, site) = site();
    for path in ["/no/such/page", "/en/no/such/page"] {
        let missing = get(&site, path).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        let html = missing.text();
        for expected in [
            "<p>Không tìm thấy trang này. (Page not found.)</p>",
            "<a href=\"/\">Về trang chủ</a>",
            "<a href=\"/search\">Tìm kiếm</a>",
            "<a href=\"/en\">Back to the home page</a>",
            "<a href=\"/en/villages\">Villages</a>",
            "<title>404 · Di sản làng nghề</title>",
        ] {
            assert!(html.contains(expected), "{path} lacks {expected}: {html}");
        }
    }
}
