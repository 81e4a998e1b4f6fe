//! Every page for its viewer, and the signed-in header on every page (issue 13, items 5 and 7):
//! the home page, stories, festivals, story pages with their embeds, cards and galleries,
//! village and craft pages answer for a signed-in viewer (with the badge of who may see a record
//! that is not public) and for anonymous visitors exactly as before; sitemaps and robots stay
//! public-only while signed in; every page shows a signed-in viewer their own name, a link to
//! `/account` and a sign-out form, and a record page kept for an audience never shows one
//! viewer's name or anti-forgery token to another.
//!
//! The batch is written by the test: a village and a craft, public, `researchers` and
//! `community:` techniques, festivals and stories, a public story embedding each of them.

use std::io::Read;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use disan::accounts::Accounts;
use disan::accounts::sessions::SessionConfig;
use disan::model::{GroupId, Role};
use disan::web::Site;
use disan::web::auth::Auth;

use crate::auth::{Browser, csrf_of};
use crate::support::{Workspace, problems};

const PASSWORD: &str = "trống đồng Đọi Tam";

/// Writes the batch into `dir`.
fn write_batch(dir: &std::path::Path) {
    std::fs::create_dir_all(dir.join("metadata")).unwrap();
    std::fs::create_dir_all(dir.join("objects")).unwrap();
    std::fs::write(
        dir.join("metadata/villages.csv"),
        "id,name,name@en,commune,district,province,latitude,longitude,crafts,status\n\
         lang-a,Làng Mẫu,Sample Village,,,,,,nghe-a,\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("metadata/crafts.csv"),
        "id,name,name@en\nnghe-a,Nghề Mẫu,Sample Craft\n",
    )
    .unwrap();
    let record = |name: &str, front: &str, body: &str| {
        std::fs::write(
            dir.join("objects").join(format!("{name}.md")),
            format!(
                "---\ndc.identifier: {name}\n{front}village: lang-a\ncraft: nghe-a\n---\n\n{body}\n"
            ),
        )
        .unwrap();
    };
    record(
        "cong-khai",
        "dc.title: Kỹ thuật công khai\nkind: technique\naccess: public\n",
        "Mô tả công khai.",
    );
    record(
        "nghien-cuu",
        "dc.title: Kỹ thuật cho nhà nghiên cứu\nkind: technique\naccess: researchers\n",
        "Mô tả cho nhà nghiên cứu.",
    );
    record(
        "phuong",
        "dc.title: Kỹ thuật của phường\nkind: technique\naccess: community:phuong-a\n",
        "Mô tả của phường.",
    );
    record(
        "le-hoi-cong",
        "dc.title: Lễ hội công khai\nkind: festival\nlunar_date: 3-3\naccess: public\n",
        "Lễ hội.",
    );
    record(
        "le-hoi-an",
        "dc.title: Lễ hội cho nhà nghiên cứu\nkind: festival\nlunar_date: 1-7\naccess: researchers\n",
        "Lễ hội.",
    );
    record(
        "chuyen-cong",
        "dc.title: Câu chuyện công khai\ndc.description: Một câu chuyện.\nkind: story\naccess: public\n",
        "Mở đầu.\n\n[[nghien-cuu]]\n\n[[phuong | Chú thích của phường]]\n\n[[gallery: cong-khai, nghien-cuu, phuong]]\n\nKết.",
    );
    record(
        "chuyen-an",
        "dc.title: Câu chuyện cho nhà nghiên cứu\ndc.description: Một câu chuyện khác.\nkind: story\naccess: researchers\n",
        "[[cong-khai]]",
    );
}

/// The site over the batch, with accounts `alice7` and `bobby7` (researchers: one audience)
/// and `carol7` (a researcher of community `phuong-a`).
struct Fixture {
    _workspace: Workspace,
    site: Arc<Site>,
    accounts: Accounts,
}

fn fixture() -> Fixture {
    let workspace = Workspace::new();
    let batch = workspace.dir.path().join("batch");
    write_batch(&batch);
    workspace.add_groups(&["phuong-a"]); // as `disan group add` would, before the ingest
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let accounts = Accounts::open(&workspace.dir.path().join("accounts.sqlite")).unwrap();
    let phuong = GroupId::parse("phuong-a").unwrap();
    for (login, groups) in [
        ("alice7", vec![]),
        ("bobby7", vec![]),
        ("carol7", vec![phuong]),
    ] {
        accounts
            .add_user(login, Role::Researcher, PASSWORD, &groups, "test")
            .unwrap();
    }
    let sessions =
        SessionConfig::new(Duration::from_secs(1800), Duration::from_secs(43200), true).unwrap();
    let templates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let site = Site::open(&workspace.archive(), &workspace.index(), Some(templates))
        .unwrap()
        .with_accounts(Auth {
            accounts: accounts.clone(),
            sessions,
            trust_forwarded_for: false,
        });
    Fixture {
        _workspace: workspace,
        site: Arc::new(site),
        accounts,
    }
}

async fn signed_in(fixture: &Fixture, login: &str) -> Browser {
    let mut browser = Browser::new("127.0.0.1");
    let answer = browser.sign_in(&fixture.site, login, PASSWORD, "").await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    browser
}

/// The pages of this issue, in both languages.
fn pages() -> Vec<String> {
    let mut pages = Vec::new();
    for path in [
        "/",
        "/stories",
        "/festivals",
        "/villages",
        "/villages/lang-a",
        "/crafts/nghe-a",
        "/search?q=k%E1%BB%B9+thu%E1%BA%ADt",
        "/records/chuyen-cong",
        "/records/cong-khai",
    ] {
        pages.push(path.to_string());
        pages.push(if path == "/" {
            "/en".to_string()
        } else {
            format!("/en{path}")
        });
    }
    pages
}

/// Whether `html` links the record page of `id`.
fn links(html: &str, id: &str) -> bool {
    html.contains(&format!("/records/{id}\""))
}

#[tokio::test]
async fn every_page_answers_for_its_viewer_with_badges_and_stays_public_for_anonymous_visitors() {
    let fixture = fixture();
    let site = &fixture.site;
    let mut anonymous = Browser::new("127.0.0.1");
    let mut alice = signed_in(&fixture, "alice7").await;
    let mut carol = signed_in(&fixture, "carol7").await;
    let hidden = ["nghien-cuu", "phuong", "le-hoi-an", "chuyen-an"];
    for path in pages() {
        let page = anonymous.get(site, &path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let html = page.text();
        for id in hidden {
            assert!(!html.contains(id), "an anonymous {path} shows {id}");
        }
        assert!(!html.contains("Chú thích của phường"), "{path}");
        assert!(!html.contains("badge audience"), "{path}");
        assert!(html.contains("class=\"sign-in\""), "{path}");
        assert_eq!(page.header("cache-control"), "no-cache", "{path}");
    }
    // A researcher: what researchers may see, each marked; nothing of the community.
    let researcher_badge = "<strong class=\"badge audience\">Dành cho nhà nghiên cứu</strong>";
    for (path, shown) in [
        ("/", &["chuyen-an", "le-hoi-an", "nghien-cuu"][..]),
        ("/stories", &["chuyen-an"][..]),
        ("/festivals", &["le-hoi-an"][..]),
        ("/villages/lang-a", &["nghien-cuu", "chuyen-an"][..]),
        ("/crafts/nghe-a", &["nghien-cuu"][..]),
        ("/records/chuyen-cong", &["nghien-cuu"][..]),
        ("/search?q=k%E1%BB%B9+thu%E1%BA%ADt", &["nghien-cuu"][..]),
    ] {
        let page = alice.get(site, path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_eq!(page.header("cache-control"), "private, no-store", "{path}");
        let html = page.text();
        for id in shown {
            assert!(
                links(&html, id),
                "{path} does not show {id} to a researcher"
            );
        }
        assert!(html.contains(researcher_badge), "{path}: no badge");
        assert!(
            !links(&html, "phuong"),
            "{path} shows the community's record"
        );
        assert!(!html.contains("Chú thích của phường"), "{path}");
    }
    let english = alice.get(site, "/en/stories").await.text();
    assert!(english.contains("<strong class=\"badge audience\">For researchers</strong>"));
    // The story's embeds (its body, before the related records): the researchers' record in its
    // own figure and in the gallery, each marked.
    let story = alice.get(site, "/records/chuyen-cong").await.text();
    let body = story.split("related-heading").next().unwrap();
    assert_eq!(body.matches(researcher_badge).count(), 2, "{body}");
    // A member of the community sees its record, its caption and its badge.
    let story = carol
        .get(site, "/records/chuyen-cong")
        .await
        .text()
        .replace(['\u{2068}', '\u{2069}'], "");
    assert!(links(&story, "phuong"));
    assert!(story.contains("Chú thích của phường"));
    assert!(story.contains("Chỉ cộng đồng: phuong-a"), "{story}");
}

#[tokio::test]
async fn sitemaps_and_robots_stay_public_while_signed_in() {
    let fixture = fixture();
    let site = &fixture.site;
    let mut anonymous = Browser::new("127.0.0.1");
    let mut alice = signed_in(&fixture, "alice7").await;
    for path in [
        "/robots.txt",
        "/sitemap.xml",
        "/sitemaps/pages.xml",
        "/sitemaps/records-1.xml",
    ] {
        let public = anonymous.get(site, path).await;
        let signed = alice.get(site, path).await;
        assert_eq!(public.status, StatusCode::OK, "{path}");
        assert_eq!(
            signed.body, public.body,
            "{path} differs for a signed-in viewer"
        );
        for id in ["nghien-cuu", "phuong", "le-hoi-an", "chuyen-an"] {
            assert!(!signed.text().contains(id), "{path} lists {id}");
        }
    }
}

/// The header of `html`: from the language switch to the end of the header.
fn header_of(html: &str) -> &str {
    let start = html.find("<header class=\"site\">").expect("a header");
    let end = start + html[start..].find("</header>").expect("a header's end");
    &html[start..end]
}

/// `html` gzip-decompressed.
fn gunzip(body: &[u8]) -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(body)
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[tokio::test]
async fn every_page_shows_each_signed_in_viewer_their_own_header_and_no_one_elses() {
    let fixture = fixture();
    let site = &fixture.site;
    let mut alice = signed_in(&fixture, "alice7").await;
    let mut bobby = signed_in(&fixture, "bobby7").await;
    let alice_token = csrf_of(&alice.get(site, "/account").await.text());
    let bobby_token = csrf_of(&bobby.get(site, "/account").await.text());
    assert_ne!(alice_token, bobby_token);
    let mut paths = pages();
    paths.extend([
        "/records/nghien-cuu".to_string(),
        "/en/records/nghien-cuu".to_string(),
    ]);
    // Each page twice by each, in turns: the second record page of each comes from the page kept
    // for their (shared) audience.
    for _ in 0..2 {
        for path in &paths {
            for (browser, login, token, other_login, other_token) in [
                (&mut alice, "alice7", &alice_token, "bobby7", &bobby_token),
                (&mut bobby, "bobby7", &bobby_token, "alice7", &alice_token),
            ] {
                let page = browser.get(site, path).await;
                assert_eq!(page.status, StatusCode::OK, "{path}");
                let html = page.text();
                let header = header_of(&html);
                let base = if path.starts_with("/en") { "/en" } else { "" };
                assert!(
                    header.contains(&format!("<a href=\"{base}/account\"")),
                    "{path}: {header}"
                );
                assert!(
                    header.contains(&format!(">{login}</a>")),
                    "{path}: {header}"
                );
                assert!(
                    header.contains(&format!(
                        "<form method=\"post\" action=\"{base}/logout\"><input type=\"hidden\" name=\"csrf\" value=\"{token}\">"
                    )),
                    "{path}: {header}"
                );
                let sign_out = if base.is_empty() {
                    "Đăng xuất"
                } else {
                    "Sign out"
                };
                assert!(header.contains(sign_out), "{path}: {header}");
                assert!(
                    !html.contains(other_login),
                    "{path} shows {other_login} to {login}"
                );
                assert!(
                    !html.contains(other_token.as_str()),
                    "{path}: another session's token"
                );
                assert!(!html.contains("class=\"sign-in\""), "{path}");
            }
        }
    }
    // Compressed, the kept page is joined with each viewer's header just the same.
    for (browser, login, other) in [
        (&mut alice, "alice7", "bobby7"),
        (&mut bobby, "bobby7", "alice7"),
    ] {
        let request = Request::get("/records/nghien-cuu")
            .header(header::ACCEPT_ENCODING, "gzip, deflate, br")
            .body(Body::empty())
            .unwrap();
        let page = browser.send(site, request).await;
        assert_eq!(page.header("content-encoding"), "gzip");
        let html = gunzip(&page.body);
        assert!(header_of(&html).contains(&format!(">{login}</a>")));
        assert!(!html.contains(other));
        assert!(
            html.trim_end().ends_with("</html>"),
            "{}",
            &html[html.len() - 40..]
        );
    }
    // The header's sign-out form works, from a kept page.
    let record = alice.get(site, "/records/nghien-cuu").await.text();
    let from_header = csrf_of(header_of(&record));
    assert_eq!(from_header, alice_token);
    let out = alice
        .post(site, "/logout", &[("csrf", from_header.as_str())])
        .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER, "{}", out.text());
    assert_eq!(
        alice.get(site, "/records/nghien-cuu").await.status,
        StatusCode::NOT_FOUND
    );
    let home = alice.get(site, "/").await.text();
    assert!(home.contains("class=\"sign-in\"") && !home.contains("alice7"));
    // A request signed by an API token shows the name and the account link, and no sign-out
    // form (there is no session to end).
    let user = fixture.accounts.find_user("bobby7").unwrap().unwrap();
    let token = fixture.accounts.create_api_token(user.id, "test").unwrap();
    let mut harvester = Browser::new("127.0.0.1");
    let request = Request::get("/records/nghien-cuu")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let page = harvester.send(site, request).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    let header = header_of(&html);
    assert!(header.contains(">bobby7</a>"), "{header}");
    assert!(!header.contains("logout"), "{header}");
    assert!(!html.contains(bobby_token.as_str()));
}
