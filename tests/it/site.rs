//! The exhibition site over a real archive and index: both languages and the switch between
//! them, festival dates, citations, linked data and self-served fonts.

use axum::http::StatusCode;
use disan::model::edtf::CalendarDate;
use disan::model::lunar::{LunarMonthDay, occurrences};
use serde_json::Value;

use crate::web::{get, site};

/// Every page type, with its path and a query string to carry through the switch.
const PAGES: [&str; 8] = [
    "/",
    "/search?q=trong&sort=title",
    "/records/anh-mat-trong",
    "/records/le-hoi-le-hoi",
    "/villages",
    "/villages/doi-tam",
    "/crafts/det-lua",
    "/festivals",
];

fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).map_or(0, |i| i + start.len());
    let to = html[from..].find(end).map_or(html.len(), |i| from + i);
    &html[from..to]
}

#[tokio::test]
async fn every_page_is_in_both_languages_and_the_switch_keeps_the_page() {
    let (_workspace, site) = site();
    for path in PAGES {
        let english_path = if path == "/" {
            "/en".to_string()
        } else {
            format!("/en{path}")
        };
        let vi = get(&site, path).await;
        let en = get(&site, &english_path).await;
        assert_eq!(vi.status, StatusCode::OK, "{path}: {}", vi.text());
        assert_eq!(en.status, StatusCode::OK, "{english_path}: {}", en.text());
        let (vi, en) = (vi.text(), en.text());
        assert!(
            vi.starts_with("<!doctype html>\n<html lang=\"vi\">"),
            "{path}"
        );
        assert!(
            en.starts_with("<!doctype html>\n<html lang=\"en\">"),
            "{english_path}"
        );
        let switch = |html: &str| {
            between(between(html, "class=\"language\"", ">"), "href=\"", "\"").to_string()
        };
        assert_eq!(switch(&vi), english_path.replace('&', "&amp;"), "{path}");
        assert_eq!(switch(&en), path.replace('&', "&amp;"), "{english_path}");
        // The interface is English on English pages: navigation, search box, footer.
        let chrome = between(&en, "<header class=\"site\">", "</header>");
        for vietnamese in ["Làng nghề", "Tìm", "Lễ hội", "Câu chuyện"] {
            assert!(
                !chrome.contains(vietnamese),
                "{english_path} header says {vietnamese}"
            );
        }
        assert!(
            chrome.contains(">Villages<") && chrome.contains(">Search<"),
            "{english_path}"
        );
        assert!(between(&en, "<footer", "</footer>").contains("archive of craft-village heritage"));
        // Links stay in the visitor's language (but for the switch itself).
        let others = en.replace(&format!("class=\"language\" href=\"{}\"", switch(&en)), "");
        assert!(
            !others.contains("href=\"/records/") && !others.contains("href=\"/villages/"),
            "{english_path} links to Vietnamese pages"
        );
        assert!(en.contains("hreflang=\"vi\"") && en.contains("rel=\"canonical\""));
    }
}

#[tokio::test]
async fn records_without_english_values_show_vietnamese_marked_as_such() {
    let (_workspace, site) = site();
    let html = get(&site, "/en/records/le-hoi-le-hoi").await.text();
    assert!(
        html.contains("<h1 lang=\"vi\">Lễ hội mẫu (kiểm thử)</h1>"),
        "{html}"
    );
    assert!(html.contains("(in Vietnamese)"));
    // With an English title, the English page leads with it and keeps the Vietnamese beside it.
    let html = get(&site, "/en/records/anh-mat-trong").await.text();
    assert!(
        html.contains("<h1 lang=\"en\">Drum face (test image)</h1>"),
        "{html}"
    );
    assert!(html.contains("lang=\"vi\">Mặt trống (ảnh thử)</p>"));
    assert!(!between(&html, "<h1", "</header>").contains("(in Vietnamese)"));
    let vietnamese = get(&site, "/records/le-hoi-le-hoi").await.text();
    assert!(!vietnamese.contains("(in Vietnamese)"));
}

#[tokio::test]
async fn festivals_show_their_solar_dates_this_year_and_next() {
    let (_workspace, site) = site();
    let today = disan::web::today_in_vietnam();
    let expected = occurrences(
        "1-7".parse::<LunarMonthDay>().unwrap(),
        CalendarDate::new(today.year, 1, 1).unwrap(),
        2,
    );
    assert_eq!(expected.len(), 2);
    for path in ["/festivals", "/records/le-hoi-le-hoi"] {
        let html = get(&site, path).await.text();
        for date in &expected {
            let iso = format!("{:04}-{:02}-{:02}", date.year, date.month, date.day);
            assert!(
                html.contains(&format!("datetime=\"{iso}\"")),
                "{path} lacks {iso}"
            );
        }
        assert!(html.contains("ngày 7 tháng 1 âm lịch"), "{path}");
    }
    let english = get(&site, "/en/festivals").await.text();
    assert!(english.contains("day 7 of lunar month 1"));
    let jsonld: Value = serde_json::from_str(between(
        &english,
        "<script type=\"application/ld+json\">",
        "</script>",
    ))
    .unwrap();
    assert_eq!(jsonld["itemListElement"][0]["item"]["@type"], "Event");
    assert_eq!(
        jsonld["itemListElement"][0]["item"]["location"]["name"],
        "Nha Xá"
    );
}

#[tokio::test]
async fn record_pages_offer_citations_and_linked_data() {
    let (_workspace, site) = site();
    let html = get(&site, "/records/anh-mat-trong").await.text();
    let stable = "http://127.0.0.1:8080/records/anh-mat-trong";
    assert!(html.contains(&format!("<a href=\"{stable}\">{stable}</a>")));
    // Both languages, each tagged, each naming the version cited, its URL and the stable URL.
    let vietnamese = between(&html, "<p class=\"citation\" lang=\"vi\">", "</p>");
    assert!(
        vietnamese.contains("Mặt trống (ảnh thử)")
            && vietnamese.contains("phiên bản v1")
            && vietnamese.contains(&format!("{stable}/v1 (bản hiện hành: {stable})")),
        "{vietnamese}"
    );
    let english = between(&html, "<p class=\"citation\" lang=\"en\">", "</p>");
    assert!(
        english.contains("Mặt trống (ảnh thử) [Drum face (test image)]")
            && english.contains("version v1")
            && english.contains("http://127.0.0.1:8080/en/records/anh-mat-trong/v1 (current version: http://127.0.0.1:8080/en/records/anh-mat-trong)"),
        "{english}"
    );
    let bibtex = between(
        &html,
        "<pre class=\"bibtex\" tabindex=\"0\" role=\"region\" aria-labelledby=\"cite-bibtex-heading\"><code>",
        "</code>",
    );
    assert!(
        bibtex.starts_with("@misc{disan-anh-mat-trong-v1,"),
        "{bibtex}"
    );
    assert!(
        bibtex.contains(&format!("url          = {{{stable}/v1}}")),
        "{bibtex}"
    );
    assert!(bibtex.contains("version      = {v1}"), "{bibtex}");
    for file in ["cite.ris", "cite.bib", "cite.json"] {
        assert!(
            html.contains(&format!("href=\"/records/anh-mat-trong/{file}\"")),
            "{file}"
        );
    }
    let jsonld: Value = serde_json::from_str(between(
        &html,
        "<script type=\"application/ld+json\">",
        "</script>",
    ))
    .unwrap();
    assert_eq!(jsonld["@type"], "Photograph");
    assert_eq!(jsonld["name"], "Mặt trống (ảnh thử)");
    assert_eq!(jsonld["alternateName"], "Drum face (test image)");
    assert_eq!(jsonld["contentLocation"]["name"], "Đọi Tam");
    assert!(html.contains("<meta property=\"og:image\" content=\"http://127.0.0.1:8080/media/anh-mat-trong/display/0\">"));
    let festival = get(&site, "/records/le-hoi-le-hoi").await.text();
    let event: Value = serde_json::from_str(between(
        &festival,
        "<script type=\"application/ld+json\">",
        "</script>",
    ))
    .unwrap();
    assert_eq!(event["@type"], "Event");
    assert!(
        event["startDate"].as_str().is_some_and(|d| d.len() == 10),
        "{event}"
    );
}

#[tokio::test]
async fn fonts_with_vietnamese_glyphs_are_served_by_the_site() {
    let (_workspace, site) = site();
    let css = get(&site, "/static/site.css").await.text();
    for font in [
        "be-vietnam-pro-latin-400-normal.woff2",
        "be-vietnam-pro-vietnamese-400-normal.woff2",
        "be-vietnam-pro-latin-700-normal.woff2",
        "be-vietnam-pro-vietnamese-700-normal.woff2",
    ] {
        assert!(
            css.contains(&format!("url(/static/fonts/{font})")),
            "{font} not in the CSS"
        );
        let answer = get(&site, &format!("/static/fonts/{font}")).await;
        assert_eq!(answer.status, StatusCode::OK, "{font}");
        assert_eq!(answer.header("content-type"), "font/woff2");
        assert!(answer.body.starts_with(b"wOF2"), "{font} is not WOFF2");
    }
    // The Vietnamese subset covers the tone-marked letters (U+1EA0–1EF9) and ơ ư đ ă.
    assert!(css.contains("U+1EA0-1EF9") && css.contains("U+01A0-01A1"));
    for path in [
        "/static/../Cargo.toml",
        "/static/fonts/../../Cargo.toml",
        "/static/.hidden",
    ] {
        assert_eq!(
            get(&site, path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

#[tokio::test]
async fn stories_embed_public_records_between_paragraphs_and_never_hidden_ones() {
    let (workspace, site) = site();
    // A second batch: a story embedding public, restricted, researchers-only and unknown ids.
    let batch = workspace.dir.path().join("batches/story");
    std::fs::create_dir_all(batch.join("objects")).unwrap();
    std::fs::write(
        batch.join("objects/cau-chuyen.md"),
        "---\ndc.identifier: cau-chuyen-thu\ndc.title: Câu chuyện thử\nkind: story\nvillage: doi-tam\n---\n\
         Đoạn mở đầu.\n\n[[anh-mat-trong | Mặt trống, chú thích]]\n\nĐoạn giữa.\n\n\
         [[fixture-restricted]]\n\n[[gallery: hoa-van-luc-giac, phim, khong-co]]\n\n[[ky-thuat-boc-trong]]\n\nĐoạn cuối.\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{report}");
    site.reload_index();
    let html = get(&site, "/records/cau-chuyen-thu").await.text();
    let body = between(&html, "<div class=\"body\">", "<section");
    // Paragraphs and embeds in the order written, each embed linking to its record.
    let order: Vec<usize> = [
        "Đoạn mở đầu.",
        "href=\"/records/anh-mat-trong\"",
        "/media/anh-mat-trong/display/0",
        "Mặt trống, chú thích",
        "Đoạn giữa.",
        "href=\"/records/hoa-van-luc-giac\"",
        "href=\"/records/ky-thuat-boc-trong\"",
        "Đoạn cuối.",
    ]
    .iter()
    .map(|needle| {
        body.find(needle)
            .unwrap_or_else(|| panic!("story lacks {needle}: {body}"))
    })
    .collect();
    assert!(
        order.windows(2).all(|pair| pair[0] < pair[1]),
        "out of order: {order:?}"
    );
    for hidden in [
        "fixture-restricted",
        "/records/phim",
        "khong-co",
        "Ảnh hạn chế",
        "Phim thử",
    ] {
        assert!(!html.contains(hidden), "the story shows {hidden}");
    }
    let english = get(&site, "/en/records/cau-chuyen-thu").await.text();
    assert!(english.contains("href=\"/en/records/anh-mat-trong\""));
    assert!(english.contains("(in Vietnamese)"));
    let list = get(&site, "/stories").await.text();
    assert!(
        list.contains("href=\"/records/cau-chuyen-thu\"")
            && list.contains("/media/anh-mat-trong/display/0")
    );
}

#[tokio::test]
async fn the_village_map_places_located_villages_coloured_by_class() {
    let (workspace, site) = site();
    let batch = workspace.dir.path().join("batches/places");
    std::fs::create_dir_all(batch.join("metadata")).unwrap();
    // Invented test villages (not real places), inside the outline's bounds.
    std::fs::write(
        batch.join("metadata/villages.csv"),
        "id,name,name@en,commune,district,province,latitude,longitude,crafts,status,artisans,products,products@en\n\
         lang-thu-a,Làng thử A,Test village A,,,,20.55,106.0,,developing,Nghệ nhân thử,sản phẩm thử; đồ thử,test product\n\
         lang-thu-b,Làng thử B,,,,,20.6,105.95,,at-risk-revivable,,sản phẩm B,\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{report}");
    let html = get(&site, "/villages").await.text();
    let svg = between(&html, "<svg", "</svg>");
    assert!(svg.contains("class=\"province\""), "no outline: {svg}");
    assert_eq!(svg.matches("<circle").count(), 2, "{svg}");
    assert!(svg.contains("<a href=\"/villages/lang-thu-a\" aria-label=\"Làng thử A — Đang phát triển\"><title>Làng thử A — Đang phát triển</title><circle class=\"symbol dot status-developing\""), "{svg}");
    assert!(svg.contains("status-at-risk-revivable"));
    // Villages with no coordinates are listed, not guessed.
    let unlocated = between(&html, "Chưa có toạ độ", "</section>");
    assert!(
        unlocated.contains("/villages/doi-tam") && !unlocated.contains("lang-thu-a"),
        "{unlocated}"
    );
    let english = get(&site, "/en/villages").await.text();
    assert!(english.contains("<title>Test village A — Developing</title>"));
    let jsonld: Value = serde_json::from_str(between(
        &html,
        "<script type=\"application/ld+json\">",
        "</script>",
    ))
    .unwrap();
    let place = jsonld["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Làng thử A")
        .unwrap();
    assert_eq!(place["geo"]["latitude"], 20.55);
}

#[tokio::test]
async fn robots_and_sitemaps_list_public_pages_only() {
    let (_workspace, site) = site();
    let robots = get(&site, "/robots.txt").await.text();
    assert!(
        robots.contains("Sitemap: http://127.0.0.1:8080/sitemap.xml"),
        "{robots}"
    );
    assert!(robots.contains("Disallow: /api/"));
    let index = get(&site, "/sitemap.xml").await;
    assert_eq!(
        index.header("content-type"),
        "application/xml; charset=utf-8"
    );
    let index = index.text();
    assert!(index.contains("<loc>http://127.0.0.1:8080/sitemaps/pages.xml</loc>"));
    assert!(index.contains("<loc>http://127.0.0.1:8080/sitemaps/records-1.xml</loc>"));
    assert!(!index.contains("records-2.xml"));
    let pages = get(&site, "/sitemaps/pages.xml").await.text();
    for path in [
        "/villages/doi-tam",
        "/en/villages/doi-tam",
        "/crafts/det-lua",
        "/festivals",
        "/en",
    ] {
        assert!(
            pages.contains(&format!("<loc>http://127.0.0.1:8080{path}</loc>")),
            "{path}"
        );
    }
    let records = get(&site, "/sitemaps/records-1.xml").await.text();
    assert_eq!(records.matches("<url>").count(), 2 * 9, "{records}");
    assert!(records.contains("<loc>http://127.0.0.1:8080/en/records/anh-mat-trong</loc>"));
    assert!(
        records.contains("hreflang=\"vi\" href=\"http://127.0.0.1:8080/records/anh-mat-trong\"")
    );
    for hidden in ["fixture-restricted", "/records/phim<"] {
        assert!(!records.contains(hidden), "the sitemap lists {hidden}");
    }
    assert_eq!(
        get(&site, "/sitemaps/records-2.xml").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&site, "/sitemaps/records-0.xml").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn an_index_from_another_version_is_rebuilt_from_the_archive_on_open() {
    let (workspace, site) = site();
    // Its reader watches the index (and may take the meta lock) until dropped.
    drop(site);
    // Replace the search index with one of another schema, as an older Disan would leave.
    let search = workspace.index().join("search");
    // A merge thread of the dropped writer may still be finishing a segment file: retry while
    // the folder fills under us (seen on a loaded CI machine as DirectoryNotEmpty).
    let mut tries = 0;
    while let Err(error) = std::fs::remove_dir_all(&search) {
        tries += 1;
        assert!(tries < 100, "cannot remove {}: {error}", search.display());
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::fs::create_dir_all(&search).unwrap();
    let mut schema = tantivy::schema::Schema::builder();
    schema.add_text_field("old_field", tantivy::schema::TEXT);
    tantivy::Index::create_in_dir(&search, schema.build()).unwrap();
    let site = std::sync::Arc::new(
        disan::web::Site::open(&workspace.archive(), &workspace.index(), None).unwrap(),
    );
    let all = get(&site, "/api/search").await.json();
    assert_eq!(all["total"], 9, "the index was not rebuilt: {all}");
}
