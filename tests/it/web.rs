//! The site and API over a real archive and index: driven through the router directly and
//! through a real socket. Access rules are tried from every route.

use std::io::Read;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use disan::web::{Site, app};
use serde_json::Value;
use tower::ServiceExt;

use crate::support::Workspace;

/// An archive and index holding the `valid` fixture batch, and the site over them.
pub fn site() -> (Workspace, Arc<Site>) {
    let workspace = Workspace::new();
    let (code, _) = workspace.ingest(&workspace.batch("valid"), &[]);
    assert_eq!(code, 0);
    let templates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let site = Site::open(&workspace.archive(), &workspace.index(), Some(templates)).unwrap();
    (workspace, Arc::new(site))
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

pub async fn get(site: &Arc<Site>, uri: &str) -> Answer {
    get_with(site, Request::get(uri).body(Body::empty()).unwrap()).await
}

pub async fn get_with(site: &Arc<Site>, request: Request<Body>) -> Answer {
    let response = app(site.clone()).oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), 64 << 20)
        .await
        .unwrap()
        .to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

#[tokio::test]
async fn search_api_finds_records_with_and_without_diacritics_and_counts_facets() {
    let (_workspace, site) = site();
    for q in ["luc giac", "lục giác", "LỤC GIÁC"] {
        let answer = get(&site, &format!("/api/search?q={}", urlencode(q))).await;
        assert_eq!(answer.status, StatusCode::OK);
        let json = answer.json();
        assert_eq!(json["total"], 1, "{q}: {json}");
        let hit = &json["hits"][0];
        assert_eq!(hit["id"], "hoa-van-luc-giac");
        assert_eq!(hit["kind"], "pattern");
        assert_eq!(hit["village"], "nha-xa");
        assert_eq!(hit["craft"], "det-lua");
        assert_eq!(hit["url"], "/records/hoa-van-luc-giac");
        assert_eq!(hit["thumbnail"], "/media/hoa-van-luc-giac/thumb/0");
    }
    // Snippets highlight the accented original, whether or not the query had diacritics.
    for q in ["hoa+van+do+may+tao", "m%C3%A1y+t%E1%BA%A1o"] {
        let json = get(&site, &format!("/api/search?q={q}&kind=pattern"))
            .await
            .json();
        let snippet = json["hits"][0]["snippet"].as_str().unwrap().to_string();
        assert!(snippet.contains("<b>máy</b> <b>tạo</b>"), "{q}: {snippet}");
    }
    // Full text: the text layer of a PDF and a plain-text file are searchable.
    let pdf = get(&site, "/api/search?q=nhuom+lua").await.json();
    assert_eq!(pdf["hits"][0]["id"], "khac-tai-lieu", "{pdf}");
    let note = get(&site, "/api/search?q=d%C3%B2ng+m%C3%B4+t%E1%BA%A3")
        .await
        .json();
    assert_eq!(note["hits"][0]["id"], "khac-ghi-chu", "{note}");
    // Village names are searchable in the records that cite them ("Doi Tam" is Đọi Tam).
    let json = get(&site, "/api/search?q=doi+tam").await.json();
    assert!(json["total"].as_u64().unwrap() >= 2, "{json}");
    let all = get(&site, "/api/search").await.json();
    assert_eq!(all["facets"]["kind"]["photo"], 2);
    let narrowed = get(&site, "/api/search?kind=photo&village=doi-tam")
        .await
        .json();
    assert_eq!(narrowed["total"], 1);
    assert_eq!(narrowed["hits"][0]["id"], "anh-mat-trong");
}

#[tokio::test]
async fn records_that_are_not_public_do_not_exist_on_any_route() {
    let (_workspace, site) = site();
    let unknown = get(&site, "/records/no-such-record").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    // fixture-restricted is restricted; phim is for researchers.
    for (id, words) in [("fixture-restricted", "Ảnh hạn chế"), ("phim", "Phim thử")] {
        let page = get(&site, &format!("/records/{id}")).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{id}");
        assert_eq!(
            page.body, unknown.body,
            "{id}: the 404 differs from an unknown id's"
        );
        assert_eq!(
            get(&site, &format!("/api/records/{id}")).await.status,
            StatusCode::NOT_FOUND
        );
        for media in [
            "display/0",
            "thumb/0",
            "files/han-che.jpg",
            "files/phim.mp4",
            "files/vi.vtt",
        ] {
            let answer = get(&site, &format!("/media/{id}/{media}")).await;
            assert_eq!(answer.status, StatusCode::NOT_FOUND, "{id}/{media}");
        }
        let found = get(&site, &format!("/api/search?q={}", urlencode(words)))
            .await
            .json();
        assert_eq!(found["total"], 0, "{id} found by search: {found}");
        let html = get(&site, &format!("/search?q={}", urlencode(words)))
            .await
            .text();
        assert!(
            !html.contains(&format!("/records/{id}\"")),
            "{id} appears on the search page"
        );
        // Typing its title suggests nothing of it; a typo of its words does not find it either.
        let shorter: String = words.chars().take(words.chars().count() - 2).collect();
        for typed in [words.to_string(), shorter] {
            let suggested = get(&site, &format!("/api/suggest?q={}", urlencode(&typed)))
                .await
                .text();
            assert!(
                !suggested.contains(id) && !suggested.contains(words),
                "{id} suggested for '{typed}': {suggested}"
            );
        }
        let typo = get(&site, &format!("/api/search?q={}x", urlencode(words)))
            .await
            .text();
        assert!(!typo.contains(id), "{id} found through a typo: {typo}");
    }
    // No public record lists them among its related records.
    let listing = get(&site, "/api/search").await.json();
    for hit in listing["hits"].as_array().unwrap() {
        let html = get(&site, hit["url"].as_str().unwrap()).await.text();
        assert!(
            !html.contains("/records/fixture-restricted") && !html.contains("/records/phim\""),
            "{} relates to a hidden record",
            hit["url"]
        );
    }
    let all = get(&site, "/api/search").await.json();
    assert_eq!(all["total"], 9, "{all}");
    assert!(
        all["facets"]["kind"].get("film").is_none(),
        "the researchers-only film is counted"
    );
    for page in [
        "/",
        "/villages/doi-tam",
        "/villages/nha-xa",
        "/crafts/lam-trong",
        "/search",
    ] {
        let html = get(&site, page).await.text();
        assert!(
            !html.contains("fixture-restricted") && !html.contains("/records/phim\""),
            "{page} leaks"
        );
    }
}

#[tokio::test]
async fn the_record_page_shows_every_field_both_languages_and_each_file() {
    let (_workspace, site) = site();
    let page = get(&site, "/records/anh-mat-trong").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    for expected in [
        "Mặt trống (ảnh thử)",
        "Drum face (test image)",
        "dc.subject",
        "da trâu",
        "dc.description",
        "/media/anh-mat-trong/display/0",
        "/media/anh-mat-trong/files/mat-trong.jpg",
        "image/jpeg",
        "/villages/doi-tam",
        "/crafts/lam-trong",
        "2020-08-27",
    ] {
        assert!(html.contains(expected), "record page lacks {expected}");
    }
    let record = get(&site, "/api/records/anh-mat-trong").await.json();
    let file = &record["files"][0];
    assert_eq!(file["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(file["width"], 96);
    assert_eq!(file["format"]["mime"], "image/jpeg");
    assert!(file["exif"].get("gps").is_none(), "GPS published: {file}");
    assert_eq!(record["village"], "doi-tam");
    assert_eq!(record["access"], "public");
    let text = get(&site, "/records/ky-thuat-boc-trong").await.text();
    assert!(text.contains("<strong>không phải</strong>") && text.contains("<strong>not</strong>"));
    assert!(text.contains("lang=\"en\""));
}

#[tokio::test]
async fn every_page_type_renders() {
    let (_workspace, site) = site();
    for (uri, expected) in [
        ("/", "Đọi Tam"),
        ("/search?q=trong", "kết quả"),
        ("/records/le-hoi-le-hoi", "lunar_date"),
        ("/villages", "Nha Xá"),
        ("/villages/doi-tam", "Duy Tiên"),
        ("/crafts/det-lua", "Nha Xá"),
    ] {
        let answer = get(&site, uri).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}");
        assert!(answer.text().contains(expected), "{uri} lacks {expected}");
        assert!(
            answer.header("content-type").starts_with("text/html"),
            "{uri}"
        );
        assert!(
            answer
                .header("content-security-policy")
                .contains("default-src 'none'"),
            "{uri}"
        );
    }
    let css = get(&site, "/static/site.css").await;
    assert!(css.header("content-type").starts_with("text/css"));
}

#[tokio::test]
async fn unknown_pages_get_a_helpful_404_and_bad_parameters_a_400() {
    let (_workspace, site) = site();
    let missing = get(&site, "/no/such/page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(
        missing.text().contains("Page not found") && missing.text().contains("href=\"/search\"")
    );
    let bad = get(&site, "/search?page=abc").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        bad.text()
            .contains("page must be a whole number from 1 to 500, not &#39;abc&#39;"),
        "{}",
        bad.text()
    );
    let api = get(&site, "/api/search?kind=photos&lang=en").await;
    assert_eq!(api.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        api.json(),
        serde_json::json!({"error": {
            "code": "invalid_parameter",
            "parameter": "kind",
            "message": "kind: 'photos' is not a kind; use one of: photo, film, audio, pattern, technique, festival, document, story, visit",
        }})
    );
    let village = get(&site, "/api/search?village=Doi%20Tam").await;
    assert_eq!(village.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn media_is_served_with_types_caching_and_ranges() {
    let (_workspace, site) = site();
    let whole = get(&site, "/media/am-thanh-tieng-trong/files/tieng-trong.wav").await;
    assert_eq!(whole.status, StatusCode::OK);
    assert_eq!(whole.header("content-type"), "audio/wav");
    // Regression (media-cache): stored but revalidated, so a record restricted later is not
    // served from a cache for a day.
    assert_eq!(whole.header("cache-control"), "no-cache");
    assert!(!whole.header("etag").is_empty());
    let ranged = get_with(
        &site,
        Request::get("/media/am-thanh-tieng-trong/files/tieng-trong.wav")
            .header("range", "bytes=100-199")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(ranged.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(ranged.body, whole.body[100..200]);
    assert_eq!(
        ranged.header("content-range"),
        format!("bytes 100-199/{}", whole.body.len())
    );
    let thumb = get(&site, "/media/anh-mat-trong/thumb/0").await;
    assert_eq!(thumb.status, StatusCode::OK);
    assert_eq!(thumb.header("content-type"), "image/jpeg");
    // An SVG original carries a script: it is served so that the script cannot run.
    let svg = get(&site, "/media/hoa-van-hinh-thoi/files/hinh-thoi.svg").await;
    assert_eq!(svg.status, StatusCode::OK);
    assert!(svg.text().contains("<script>"));
    assert!(
        svg.header("content-security-policy").starts_with("sandbox"),
        "{}",
        svg.header("content-security-policy")
    );
    let drawn = get(&site, "/media/hoa-van-hinh-thoi/display/0").await;
    assert_eq!(drawn.header("content-type"), "image/jpeg");
}

/// Regression (media-cache): everything derived from a record is revalidated before each use;
/// static assets stay cacheable.
#[tokio::test]
async fn record_answers_are_revalidated_and_static_assets_cached() {
    let (_workspace, site) = site();
    for uri in [
        "/",
        "/records/anh-mat-trong",
        "/en/records/anh-mat-trong",
        "/api/records/anh-mat-trong",
        "/api/search?q=trong",
        "/api/suggest?q=trong",
        "/media/anh-mat-trong/thumb/0",
        "/media/anh-mat-trong/display/0",
        "/sitemaps/records-1.xml",
        "/records/no-such-record",
    ] {
        assert_eq!(
            get(&site, uri).await.header("cache-control"),
            "no-cache",
            "{uri}"
        );
    }
    let css = get(&site, "/static/site.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(css.header("cache-control"), "public, max-age=86400");
}

/// Regression (If-Range ignored): RFC 9110 §13.1.5 — a Range is honoured only when its If-Range
/// names the representation (strong ETag comparison, or the exact Last-Modified date); else
/// the whole file is sent with 200.
#[tokio::test]
async fn a_range_with_a_stale_if_range_gets_the_whole_file() {
    let (_workspace, site) = site();
    let uri = "/media/am-thanh-tieng-trong/files/tieng-trong.wav";
    let whole = get(&site, uri).await;
    let etag = whole.header("etag").to_string();
    let modified = whole.header("last-modified").to_string();
    assert!(!modified.is_empty());
    let ranged = |condition: String| {
        let site = site.clone();
        async move {
            get_with(
                &site,
                Request::get(uri)
                    .header("range", "bytes=100-199")
                    .header("if-range", condition)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
        }
    };
    for matching in [etag.clone(), modified.clone()] {
        let answer = ranged(matching.clone()).await;
        assert_eq!(answer.status, StatusCode::PARTIAL_CONTENT, "{matching}");
        assert_eq!(answer.body, whole.body[100..200]);
    }
    for stale in [
        "\"0000\"".to_string(),
        format!("W/{etag}"),
        "Sun, 06 Nov 1994 08:49:37 GMT".to_string(),
        modified.replace("GMT", "UTC"),
        "not a date".to_string(),
    ] {
        let answer = ranged(stale.clone()).await;
        assert_eq!(answer.status, StatusCode::OK, "{stale}");
        assert_eq!(answer.body, whole.body, "{stale}");
        assert!(answer.header("content-range").is_empty(), "{stale}");
    }
}

#[tokio::test]
async fn pages_and_the_api_are_compressed_when_accepted_and_media_never_is() {
    let (_workspace, site) = site();
    let with_encoding = |uri: &str, encodings: &str| {
        Request::get(uri)
            .header("accept-encoding", encodings)
            .body(Body::empty())
            .unwrap()
    };
    for uri in [
        "/records/anh-mat-trong",
        "/en/search?q=trong",
        "/api/search",
    ] {
        let plain = get(&site, uri).await;
        assert!(plain.header("content-encoding").is_empty(), "{uri}");
        let gzipped = get_with(&site, with_encoding(uri, "gzip")).await;
        assert_eq!(gzipped.header("content-encoding"), "gzip", "{uri}");
        assert!(gzipped.header("vary").contains("accept-encoding"), "{uri}");
        let mut unzipped = Vec::new();
        flate2::read::GzDecoder::new(gzipped.body.as_slice())
            .read_to_end(&mut unzipped)
            .unwrap();
        assert_eq!(unzipped, plain.body, "{uri}");
        assert!(gzipped.body.len() * 2 < plain.body.len(), "{uri}");
        let brotli = get_with(&site, with_encoding(uri, "br")).await;
        assert_eq!(brotli.header("content-encoding"), "br", "{uri}");
        assert!(brotli.body.len() * 2 < plain.body.len(), "{uri}");
    }
    // Files of the archive go as stored: same bytes, same length, ranges still exact.
    let wav = "/media/am-thanh-tieng-trong/files/tieng-trong.wav";
    let plain = get(&site, wav).await;
    let asked = get_with(&site, with_encoding(wav, "br, gzip")).await;
    assert!(asked.header("content-encoding").is_empty());
    assert_eq!(asked.body, plain.body);
    let ranged = get_with(
        &site,
        Request::get(wav)
            .header("accept-encoding", "gzip")
            .header("range", "bytes=100-199")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(ranged.status, StatusCode::PARTIAL_CONTENT);
    assert!(ranged.header("content-encoding").is_empty());
    assert_eq!(ranged.body, plain.body[100..200]);
}

/// Through a real socket: the server sees an ingest made while it runs, without a restart.
#[test]
fn a_running_server_sees_new_ingests() {
    let (workspace, site) = site();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    runtime.spawn(async move { axum::serve(listener, app(site)).await });

    let before = http_get(addr, "/api/search?q=ban+sao+moi");
    assert!(before.starts_with("HTTP/1.1 200"), "{before}");
    assert!(before.contains("\"total\":0"));

    let second = workspace.dir.path().join("second");
    std::fs::create_dir_all(second.join("objects")).unwrap();
    std::fs::write(
        second.join("objects/ban-sao-moi.txt"),
        "Bản sao mới, văn bản thử",
    )
    .unwrap();
    assert_eq!(workspace.ingest(&second, &[]).0, 0);

    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let after = http_get(addr, "/api/search?q=ban+sao+moi");
        if after.contains("\"total\":1") {
            assert!(after.contains("objects-ban-sao-moi") || after.contains("ban-sao-moi"));
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the new record never appeared: {after}"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let page = http_get(addr, "/records/ban-sao-moi");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");

    // The same routes over the wire: a village page, a ranged media request, the access rules.
    let village = http_get(addr, "/villages/doi-tam");
    assert!(village.starts_with("HTTP/1.1 200") && village.contains("Duy Tiên"));
    let ranged = http_request(
        addr,
        "/media/am-thanh-tieng-trong/files/tieng-trong.wav",
        "Range: bytes=0-11\r\n",
    );
    assert!(ranged.starts_with("HTTP/1.1 206"), "{ranged}");
    assert!(
        ranged.to_lowercase().contains("content-range: bytes 0-11/"),
        "{ranged}"
    );
    for hidden in [
        "/records/fixture-restricted",
        "/api/records/phim",
        "/media/phim/files/phim.mp4",
    ] {
        let answer = http_get(addr, hidden);
        assert!(answer.starts_with("HTTP/1.1 404"), "{hidden}: {answer}");
    }
}

fn http_get(addr: std::net::SocketAddr, path: &str) -> String {
    http_request(addr, path, "")
}

/// A plain HTTP/1.1 GET over a TCP socket, with extra header lines; the whole response as text.
fn http_request(addr: std::net::SocketAddr, path: &str, headers: &str) -> String {
    String::from_utf8_lossy(&crate::support::raw_get(addr, path, headers)).into_owned()
}

pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' => (b as char).to_string(),
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The bundled sample collection goes in cleanly and every public record page renders, with
/// its image, film or sound where it has one.
#[tokio::test]
async fn the_sample_collection_renders_every_public_record() {
    let workspace = Workspace::new();
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample/ha-nam");
    let (code, report) = workspace.ingest(&sample, &[]);
    assert_eq!(code, 0, "{:#?}", crate::support::problems(&report));
    assert!(
        crate::support::problems(&report).is_empty(),
        "{:#?}",
        crate::support::problems(&report)
    );
    let site = Arc::new(Site::open(&workspace.archive(), &workspace.index(), None).unwrap());
    let all = get(&site, "/api/search?page=1").await.json();
    let total = all["total"].as_u64().unwrap();
    assert!(total >= 20, "{all}");
    let mut seen_video = false;
    for page in 1..=total.div_ceil(20) {
        let listing = get(&site, &format!("/api/search?page={page}")).await.json();
        for hit in listing["hits"].as_array().unwrap() {
            let url = hit["url"].as_str().unwrap();
            let answer = get(&site, url).await;
            assert_eq!(answer.status, StatusCode::OK, "{url}: {}", answer.text());
            let html = answer.text();
            seen_video |= html.contains("<video") && html.contains("<track kind=\"subtitles\"");
        }
    }
    assert!(seen_video, "the sample film is not playable with subtitles");
    let villages = get(&site, "/villages").await.text();
    for village in ["Đọi Tam", "Nha Xá", "Ngọc Động", "Đô Hai", "Thanh Hà"] {
        assert!(villages.contains(village), "{village} missing");
    }
}

/// Record pages are reused between requests, but never once the record changes: an edit shows
/// at once, and a record made restricted disappears at once.
#[tokio::test]
async fn a_changed_record_is_never_served_from_an_old_rendering() {
    let (workspace, site) = site();
    let first = get(&site, "/records/hoa-van-luc-giac").await;
    assert!(first.text().contains("Hoa văn lục giác"));
    assert_eq!(
        get(&site, "/records/hoa-van-luc-giac").await.body,
        first.body
    );

    let batch = workspace.dir.path().join("batches/valid");
    let csv = batch.join("metadata/metadata.csv");
    let text = std::fs::read_to_string(&csv)
        .unwrap()
        .replace("Hoa văn lục giác", "Hoa văn sáu cạnh");
    std::fs::write(&csv, &text).unwrap();
    assert_eq!(workspace.ingest(&batch, &[]).0, 0);
    let edited = get(&site, "/records/hoa-van-luc-giac").await.text();
    assert!(
        edited.contains("Hoa văn sáu cạnh"),
        "an old rendering was served"
    );

    // A page that lists it among its related records.
    let listing = get(&site, "/api/search").await.json();
    let mut relating = None;
    for hit in listing["hits"].as_array().unwrap() {
        let url = hit["url"].as_str().unwrap().to_string();
        if url != "/records/hoa-van-luc-giac"
            && get(&site, &url)
                .await
                .text()
                .contains("/records/hoa-van-luc-giac\"")
        {
            relating = Some(url);
        }
    }
    let relating = relating.expect("no record relates to hoa-van-luc-giac");

    let restricted = text.replace(
        "Hexagon pattern,Hoa văn do máy tạo,193X,hoa văn,,pattern,Nha Xa,det-lua,public",
        "Hexagon pattern,Hoa văn do máy tạo,193X,hoa văn,,pattern,Nha Xa,det-lua,restricted",
    );
    assert_ne!(restricted, text);
    std::fs::write(&csv, restricted).unwrap();
    // Keep the authorities copy's time, so only the index tells the relating page it is stale.
    let authorities = workspace.index().join("authorities.json");
    let authorities_time = std::fs::metadata(&authorities).unwrap().modified().unwrap();
    assert_eq!(workspace.ingest(&batch, &[]).0, 0);
    std::fs::File::options()
        .write(true)
        .open(&authorities)
        .unwrap()
        .set_modified(authorities_time)
        .unwrap();
    assert_eq!(
        get(&site, "/records/hoa-van-luc-giac").await.status,
        StatusCode::NOT_FOUND
    );
    site.reload_index();
    assert!(
        !get(&site, &relating)
            .await
            .text()
            .contains("/records/hoa-van-luc-giac\""),
        "{relating} still relates to a record restricted since"
    );
}

#[tokio::test]
async fn field_syntax_typos_and_suggestions_through_the_api() {
    let (_workspace, site) = site();
    let ids = |json: &Value| -> Vec<String> {
        let mut ids: Vec<String> = json["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    let search = |q: &str| {
        let site = site.clone();
        let uri = format!("/api/search?q={}", urlencode(q));
        async move { get(&site, &uri).await.json() }
    };
    let in_nha_xa = search("village:\"Nha Xá\"").await;
    assert!(ids(&in_nha_xa).contains(&"hoa-van-luc-giac".to_string()));
    assert_eq!(
        ids(&search("village:\"Nha Xá\" kind:pattern").await),
        ["hoa-van-luc-giac"]
    );
    assert_eq!(
        ids(&search("kind:pattern date:[1930 TO 1939]").await),
        ["hoa-van-luc-giac"]
    );
    assert!(ids(&search("kind:pattern date:[1940 TO 1949]").await).is_empty());
    let nonsense = search("kind:flim").await;
    assert_eq!(nonsense["total"], 0);
    assert!(
        nonsense["notices"][0]["en"]
            .as_str()
            .unwrap()
            .contains("film")
    );
    // One letter wrong: found through the fallback, and said so.
    let typo = search("giacc").await;
    assert_eq!(ids(&typo), ["hoa-van-luc-giac"], "{typo}");
    assert!(typo["notices"][0]["vi"].as_str().unwrap().contains("giacc"));
    // Suggestions: villages and crafts by name, then titles; the unfinished word completes.
    let suggest = |q: &str| {
        let site = site.clone();
        let uri = format!("/api/suggest?q={}", urlencode(q));
        async move { get(&site, &uri).await.json()["suggestions"].clone() }
    };
    let doi = suggest("doi t").await;
    assert_eq!(doi[0]["kind"], "village", "{doi}");
    assert_eq!(doi[0]["url"], "/villages/doi-tam");
    let hoa = suggest("hoa van l").await;
    assert_eq!(hoa[0]["label"], "Hoa văn lục giác", "{hoa}");
    assert_eq!(hoa[0]["url"], "/records/hoa-van-luc-giac");
    assert_eq!(suggest("").await.as_array().unwrap().len(), 0);
    // On English pages (`lang=en`): crafts and titles in English, typed in either language,
    // linked to the English pages (search-suggest-english).
    for typed in ["silk w", "det l"] {
        let uri = format!("/api/suggest?q={}&lang=en", urlencode(typed));
        let silk = get(&site, &uri).await.json()["suggestions"].clone();
        assert_eq!(silk[0]["kind"], "craft", "{typed}: {silk}");
        assert_eq!(silk[0]["label"], "Silk weaving", "{typed}: {silk}");
        assert_eq!(silk[0]["url"], "/en/crafts/det-lua", "{typed}: {silk}");
    }
    let hexagon = get(&site, "/api/suggest?q=hexagon&lang=en").await.json()["suggestions"].clone();
    assert_eq!(hexagon[0]["label"], "Hexagon pattern", "{hexagon}");
    assert_eq!(
        hexagon[0]["url"], "/en/records/hoa-van-luc-giac",
        "{hexagon}"
    );
    assert_eq!(
        get(&site, "/api/suggest?q=hoa&lang=fr").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        get(&site, &format!("/api/suggest?q={}", "x".repeat(101)))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn results_sort_by_vietnamese_title_and_by_date() {
    let (_workspace, site) = site();
    let titles = |json: Value| -> Vec<String> {
        json["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["title"].as_str().unwrap().to_string())
            .collect()
    };
    let by_title = titles(get(&site, "/api/search?sort=title").await.json());
    let mut expected = by_title.clone();
    expected.sort_by_key(|t| disan::model::text::sort_key(t));
    assert_eq!(by_title, expected);
    assert_eq!(
        by_title.first().map(String::as_str),
        Some("Âm thanh thử"),
        "{by_title:?}"
    );

    let ids = |json: Value| -> Vec<String> {
        json["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect()
    };
    // 193X < 1990/1999 < 2020-08-27 (EXIF) ; undated records last.
    let oldest = ids(get(&site, "/api/search?sort=date").await.json());
    assert_eq!(
        &oldest[..3],
        [
            "hoa-van-luc-giac",
            "am-thanh-tieng-trong",
            "ky-thuat-boc-trong"
        ],
        "{oldest:?}"
    );
    let newest = ids(get(&site, "/api/search?sort=date-desc").await.json());
    // Newest by the latest day a date allows: "2020" may be as late as 2020-12-31.
    assert_eq!(
        &newest[..3],
        [
            "ky-thuat-boc-trong",
            "anh-mat-trong",
            "am-thanh-tieng-trong"
        ],
        "{newest:?}"
    );
    let bad = get(&site, "/api/search?sort=size").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let page = get(&site, "/search?q=th%E1%BB%AD&sort=title").await.text();
    assert!(
        page.contains("sort=date-desc"),
        "the page offers no other order"
    );
}

#[tokio::test]
async fn district_status_decade_and_media_facets_count_and_narrow() {
    let (_workspace, site) = site();
    let all = get(&site, "/api/search").await.json();
    let facets = &all["facets"];
    assert_eq!(facets["decade"]["1930"], 1, "{facets}");
    assert_eq!(facets["decade"]["1990"], 1);
    assert_eq!(facets["district"]["duy-tien"], 5, "{facets}");
    assert!(
        facets["status"].as_object().unwrap().is_empty(),
        "no village has a status"
    );
    let with_media = facets["media"]["yes"].as_u64().unwrap();
    let without = facets["media"]["no"].as_u64().unwrap();
    assert_eq!(with_media + without, all["total"].as_u64().unwrap());
    assert_eq!(with_media, 5, "{facets}");

    let decade = get(&site, "/api/search?decade=1930").await.json();
    assert_eq!(decade["total"], 1);
    assert_eq!(decade["hits"][0]["id"], "hoa-van-luc-giac");
    let texts = get(&site, "/api/search?media=no&district=duy-tien")
        .await
        .json();
    assert!(
        texts["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["thumbnail"].is_null()),
        "{texts}"
    );
    for bad in [
        "decade=1935",
        "media=maybe",
        "status=dying",
        "district=Duy%20Ti%C3%AAn",
    ] {
        assert_eq!(
            get(&site, &format!("/api/search?{bad}")).await.status,
            StatusCode::BAD_REQUEST,
            "{bad}"
        );
    }
    let page = get(&site, "/search?decade=1930").await.text();
    assert!(
        page.contains("Thập niên 1930") && page.contains("Duy Tiên"),
        "facets not shown"
    );
}
