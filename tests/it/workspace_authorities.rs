//! The workspace's authorities (issue 15): villages, crafts, artisans with their honours and
//! products edited in the browser, over a real archive ingested from the `vocabulary` fixture, a
//! real index and a real accounts database, through the site's router and over a real socket.
//! Each save is a new OCFL version with the archivist and the message, and a PREMIS event; the
//! form is refused with ingest's messages beside their fields; a second save from the same
//! version is refused with both changes; a product or an artisan's description made non-public
//! leaves every public surface before the save answers; nobody else reaches any route; the archive
//! stays valid and a rebuilt index gives the same pages.

use std::sync::Arc;

use axum::http::StatusCode;
use disan::model::Role;
use disan::web::Site;
use disan::workspace::authority::{Authority, Kind, Sheet};

use crate::auth::{Browser, Fixture, PASSWORD, csrf_of, fixture_of};
use crate::web::Answer;
use crate::workspace_edits::{
    archive_is_valid, archivist, get, http, nobody_else_reaches, post, serve_on_socket,
    sign_in_over_socket,
};

const VILLAGE: &str = "lang-thu-1";
const CRAFT: &str = "nghe-thu-1";
const ARTISAN: &str = "nghe-nhan-thu-2";
const PRODUCT: &str = "san-pham-thu-4-sao";

fn fixture() -> Fixture {
    fixture_of("vocabulary")
}

fn archive(fixture: &Fixture) -> disan::archive::Archive {
    disan::archive::Archive::open(&fixture.workspace.archive()).unwrap()
}

/// The head inventory of authority `id` of `kind`.
fn inventory(fixture: &Fixture, kind: Kind, id: &str) -> disan::archive::Inventory {
    archive(fixture)
        .storage()
        .inventory(&kind.object(id))
        .unwrap()
        .unwrap()
}

/// The head of authority `id` of kind `T`, and its head version.
fn head<T: Authority>(fixture: &Fixture, id: &str) -> (T, String) {
    disan::workspace::authority::head::<T>(&archive(fixture), id).unwrap()
}

/// The form of authority `id` as the archive holds it, with `changes` laid over its row, as
/// name/value pairs in the order the page shows them (honours by column, in order).
fn form_of<T: Authority>(
    fixture: &Fixture,
    id: &str,
    changes: &[(&str, &str)],
) -> Vec<(String, String)> {
    let (item, _) = head::<T>(fixture, id);
    pairs_of(&item.sheet(), changes)
}

/// `sheet` as posted pairs, with `changes` laid over its row.
fn pairs_of(sheet: &Sheet, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut sheet = sheet.clone();
    for (column, value) in changes {
        sheet.row.insert(column.to_string(), value.to_string());
    }
    let mut pairs: Vec<(String, String)> = sheet.row.into_iter().collect();
    for honour in sheet.honours {
        pairs.extend(honour);
    }
    pairs
}

/// Posts `pairs` to the edit form of authority `id` of `kind` from version `base` with `message`.
async fn save(
    browser: &mut Browser,
    site: &Arc<Site>,
    (kind, id): (Kind, &str),
    base: &str,
    mut pairs: Vec<(String, String)>,
    message: &str,
) -> Answer {
    let uri = format!("/en/{}/{id}/edit", kind.path());
    let csrf = browser.token(site, &uri).await;
    pairs.push(("base".into(), base.into()));
    pairs.push(("message".into(), message.into()));
    pairs.push(("csrf".into(), csrf));
    let fields: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    browser.post(site, &uri, &fields).await
}

/// Posts the form of authority `id` of kind `T` as the archive holds it with `changes` laid
/// over its row, from version `base`, with `message`.
async fn edit<T: Authority>(
    browser: &mut Browser,
    fixture: &Fixture,
    id: &str,
    base: &str,
    changes: &[(&str, &str)],
    message: &str,
) -> Answer {
    let pairs = form_of::<T>(fixture, id, changes);
    save(browser, &fixture.site, (T::KIND, id), base, pairs, message).await
}

/// What an anonymous visitor gets at `uri`: its status and body.
async fn visitor(site: &Arc<Site>, uri: &str) -> (StatusCode, String) {
    let answer = Browser::new("198.51.100.20").get(site, uri).await;
    (answer.status, answer.text())
}

#[tokio::test]
async fn an_archivist_edits_a_village_and_a_craft_reads_their_history_and_restores() {
    let fixture = fixture();
    let site = &fixture.site;
    let mut thu = archivist(&fixture, "thu", "192.0.2.60").await;

    let page = thu.get(site, &format!("/en/villages/{VILLAGE}/edit")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    assert_eq!(page.header("cache-control"), "private, no-store");
    let html = page.text();
    for column in Kind::Village.columns().into_iter().filter(|c| *c != "id") {
        assert!(
            html.contains(&format!(r#"name="{column}""#)),
            "{column}: {html}"
        );
    }
    assert!(html.contains(r#"name="base" value="v1""#));
    assert!(
        html.contains(r#"name="recognised" type="text" value="TEST-0001/QĐ-UBND; 2006-05-12""#),
        "{html}"
    );
    assert!(
        html.contains("199X (the 1990s)"),
        "EDTF explained by examples"
    );
    // The village page shows its archivists the way in; a visitor sees no such link.
    let own = thu
        .get(site, &format!("/en/villages/{VILLAGE}"))
        .await
        .text();
    assert!(own.contains(&format!("/en/villages/{VILLAGE}/edit")));
    assert!(own.contains(&format!("/en/villages/{VILLAGE}/history")));
    let (_, public) = visitor(site, &format!("/en/villages/{VILLAGE}")).await;
    assert!(!public.contains("/edit\"") && public.contains("Test village 1"));

    // A new English name: a new version by thu with the message and its PREMIS event.
    let answer = edit::<disan::model::Village>(
        &mut thu,
        &fixture,
        VILLAGE,
        "v1",
        &[("name@en", "Test village one")],
        "English name",
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    assert_eq!(
        answer.header("location"),
        format!("/en/villages/{VILLAGE}/history?saved=v2")
    );
    let (_, public) = visitor(site, &format!("/en/villages/{VILLAGE}")).await;
    assert!(public.contains("Test village one"), "{public}");
    let inventory = inventory(&fixture, Kind::Village, VILLAGE);
    let v2 = &inventory.versions["v2"];
    assert_eq!(v2.message.as_deref(), Some("English name"));
    assert_eq!(v2.user.as_ref().unwrap().name, "thu");
    let events = archive(&fixture).events(&inventory).unwrap();
    let last = events.last().unwrap();
    assert_eq!(last.detail, "English name (fields: name@en)");
    assert!(
        last.agents.iter().any(|agent| agent.name == "thu"),
        "{last:?}"
    );

    // Ingest's rules and messages, beside their fields; nothing written.
    let answer = edit::<disan::model::Village>(
        &mut thu,
        &fixture,
        VILLAGE,
        "v2",
        &[
            ("latitude", "20,5"),
            ("longitude", "105.9"),
            ("activity", "dying"),
        ],
        "position",
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = answer.text();
    assert!(text.contains(r#"id="f-latitude-errors""#), "{text}");
    assert!(text.contains("written with a decimal comma"), "{text}");
    assert!(
        text.contains(r#"id="f-activity-errors""#) && text.contains("&#39;dying&#39;"),
        "{text}"
    );
    assert!(
        text.contains(r#"value="20,5""#),
        "what the archivist wrote stays"
    );
    let answer =
        edit::<disan::model::Village>(&mut thu, &fixture, VILLAGE, "v2", &[("commune", "Xã")], " ")
            .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.text().contains("Write a few words on what changed"));
    assert_eq!(head::<disan::model::Village>(&fixture, VILLAGE).1, "v2");

    // No lost update: minh's form was made from v1.
    let mut minh = archivist(&fixture, "minh", "192.0.2.61").await;
    let mut stale = head::<disan::model::Village>(&fixture, VILLAGE).0.sheet();
    stale.row.insert("name@en".into(), "Test village 1".into());
    let pairs = pairs_of(&stale, &[("commune_2025", "Xã thử mới một")]);
    let answer = save(
        &mut minh,
        site,
        (Kind::Village, VILLAGE),
        "v1",
        pairs,
        "new commune",
    )
    .await;
    assert_eq!(answer.status, StatusCode::CONFLICT, "{}", answer.text());
    let text = answer.text();
    assert!(
        text.contains("someone else changed the record from v1 to v2"),
        "{text}"
    );
    assert!(text.contains("<q>Test village one</q>"), "theirs: {text}");
    assert!(
        text.contains("<code>commune_2025</code> changed"),
        "yours: {text}"
    );
    assert!(text.contains(r#"name="base" value="v2""#));
    assert!(
        text.contains(r#"name="name@en" type="text" value="Test village one""#),
        "their change kept in the form: {text}"
    );
    assert!(text.contains(r#"value="Xã thử mới một""#), "{text}");
    assert_eq!(head::<disan::model::Village>(&fixture, VILLAGE).1, "v2");

    // The history, field by field, and a restore as a new version.
    let history = thu
        .get(site, &format!("/en/villages/{VILLAGE}/history"))
        .await;
    assert_eq!(history.status, StatusCode::OK);
    let text = history.text();
    assert!(text.contains("History of village lang-thu-1"), "{text}");
    assert!(text.contains("<code>name@en</code> changed"), "{text}");
    assert!(
        text.contains("English name") && text.contains(">thu<"),
        "{text}"
    );
    let csrf = thu
        .token(site, &format!("/en/villages/{VILLAGE}/history"))
        .await;
    let answer = thu
        .post(
            site,
            &format!("/en/villages/{VILLAGE}/restore"),
            &[
                ("csrf", &csrf),
                ("base", "v2"),
                ("version", "v1"),
                ("message", "Restored v1"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    assert_eq!(
        answer.header("location"),
        format!("/en/villages/{VILLAGE}/history?saved=v3")
    );
    let (_, public) = visitor(site, &format!("/en/villages/{VILLAGE}")).await;
    assert!(public.contains("Test village 1") && !public.contains("Test village one"));

    // A craft: its new name is on its page and on the records citing it at once.
    let (_, found) = visitor(site, "/api/search?q=nh%E1%BA%A5t").await;
    assert!(!found.contains("vocab-trong-thu"), "{found}");
    let answer = edit::<disan::model::Craft>(
        &mut thu,
        &fixture,
        CRAFT,
        "v1",
        &[("name", "Nghề thử nhất")],
        "tên nghề",
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    let (_, page) = visitor(site, &format!("/crafts/{CRAFT}")).await;
    assert!(page.contains("Nghề thử nhất"), "{page}");
    let (_, found) = visitor(site, "/api/search?q=nh%E1%BA%A5t").await;
    assert!(
        found.contains("vocab-trong-thu"),
        "records citing the craft found by its new name: {found}"
    );

    // A save while an ingest holds the archive: 503 after the wait, nothing written.
    let held = archive(&fixture).lock().unwrap();
    let answer = edit::<disan::model::Craft>(
        &mut thu,
        &fixture,
        CRAFT,
        "v2",
        &[("name@en", "Test craft one")],
        "busy",
    )
    .await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(answer.text().contains("An ingest is writing the archive"));
    drop(held);
    assert_eq!(head::<disan::model::Craft>(&fixture, CRAFT).1, "v2");

    pages_survive_a_rebuilt_index(
        &fixture,
        &[&format!("/villages/{VILLAGE}"), &format!("/crafts/{CRAFT}")],
    )
    .await;
}

/// The public surfaces of product `PRODUCT` for an anonymous visitor, each `(what, shows it)`.
async fn product_surfaces(site: &Arc<Site>) -> Vec<(&'static str, bool)> {
    let name = "Sản phẩm thử 4 sao";
    let page = visitor(site, &format!("/products/{PRODUCT}")).await;
    let page_en = visitor(site, &format!("/en/products/{PRODUCT}")).await;
    let api = visitor(site, &format!("/api/products/{PRODUCT}")).await;
    let list = visitor(site, "/products").await.1;
    let api_list = visitor(site, "/api/products").await.1;
    let record = visitor(site, "/records/vocab-trong-thu").await.1;
    let by_product = visitor(site, &format!("/api/search?product={PRODUCT}"))
        .await
        .1;
    let by_stars = visitor(site, "/api/search?q=stars%3A4").await.1;
    let facets = visitor(site, "/api/search").await.1;
    let sitemap = {
        let index = visitor(site, "/sitemap.xml").await.1;
        let mut all = index.clone();
        for part in index.split("<loc>").skip(1) {
            let url = part.split("</loc>").next().unwrap();
            if let Some(path) = url.split("/sitemaps/").nth(1) {
                all.push_str(&visitor(site, &format!("/sitemaps/{path}")).await.1);
            }
        }
        all
    };
    vec![
        ("page", page.0 == StatusCode::OK),
        ("English page", page_en.0 == StatusCode::OK),
        ("API", api.0 == StatusCode::OK),
        ("list", list.contains(name)),
        ("API list", api_list.contains(PRODUCT)),
        ("record page", record.contains(name)),
        ("search by product", by_product.contains("vocab-trong-thu")),
        ("search by stars", by_stars.contains("vocab-trong-thu")),
        ("facets", facets.contains(PRODUCT)),
        ("sitemap", sitemap.contains(&format!("/products/{PRODUCT}"))),
    ]
}

#[tokio::test]
async fn a_product_or_an_artisan_made_non_public_leaves_every_public_surface_before_the_save_answers()
 {
    let fixture = fixture();
    let site = &fixture.site;
    let mut thu = archivist(&fixture, "thu", "192.0.2.62").await;
    let before = product_surfaces(site).await;
    assert!(before.iter().all(|(_, shown)| *shown), "{before:?}");
    let province_before = visitor(site, "/province.csv").await.1;

    let answer = edit::<disan::model::Product>(
        &mut thu,
        &fixture,
        PRODUCT,
        "v1",
        &[("access", "restricted")],
        "hạn chế",
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    let after = product_surfaces(site).await;
    assert!(after.iter().all(|(_, shown)| !*shown), "{after:?}");
    assert_ne!(
        visitor(site, "/province.csv").await.1,
        province_before,
        "counts follow"
    );
    // An archivist still sees and edits it; the version says who changed the access.
    let own = thu.get(site, &format!("/en/products/{PRODUCT}")).await;
    assert_eq!(own.status, StatusCode::OK);
    let inventory = inventory(&fixture, Kind::Product, PRODUCT);
    let events = archive(&fixture).events(&inventory).unwrap();
    assert!(
        events
            .iter()
            .any(|event| event.detail == "public → restricted"),
        "{events:?}"
    );
    // Made public again, it is back everywhere.
    let answer = edit::<disan::model::Product>(
        &mut thu,
        &fixture,
        PRODUCT,
        "v2",
        &[("access", "public")],
        "công khai",
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    assert_eq!(product_surfaces(site).await, before);

    // An artisan who died (public by default): description and years leave every surface.
    let description = "Test description of a person who died.";
    let shows = |text: &str| text.contains(description) || text.contains("1930");
    for uri in [
        format!("/en/artisans/{ARTISAN}"),
        format!("/api/artisans/{ARTISAN}"),
    ] {
        assert!(shows(&visitor(site, &uri).await.1), "{uri}");
    }
    let answer = edit::<disan::model::Artisan>(
        &mut thu,
        &fixture,
        ARTISAN,
        "v1",
        &[("access", "researchers")],
        "chỉ nhà nghiên cứu",
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    for uri in [
        format!("/en/artisans/{ARTISAN}"),
        format!("/artisans/{ARTISAN}"),
        format!("/api/artisans/{ARTISAN}"),
        "/api/artisans".to_string(),
        "/en/artisans".to_string(),
        "/records/vocab-hai-nghe-nhan".to_string(),
    ] {
        let (status, text) = visitor(site, &uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(!shows(&text), "{uri}: {text}");
    }
    archive_is_valid(&fixture.workspace);
    pages_survive_a_rebuilt_index(
        &fixture,
        &[
            "/products",
            &format!("/artisans/{ARTISAN}"),
            "/province.csv",
            "/api/search",
        ],
    )
    .await;
}

#[tokio::test]
async fn honours_are_added_changed_and_removed_on_the_artisans_form() {
    let fixture = fixture();
    let site = &fixture.site;
    let mut thu = archivist(&fixture, "thu", "192.0.2.63").await;
    let page = thu.get(site, &format!("/artisans/{ARTISAN}/edit")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(
        html.contains("Danh hiệu 2") && html.contains("Thêm một danh hiệu"),
        "{html}"
    );
    assert!(html.contains(r#"name="remove_honour" value="1""#));
    assert!(html.contains(r#"name="awarded_by""#) && html.contains(r#"name="decision""#));

    let (artisan, _) = head::<disan::model::Artisan>(&fixture, ARTISAN);
    assert_eq!(artisan.honours.len(), 2);
    let mut sheet = artisan.sheet();
    // The first honour's decision corrected, the second removed, a third added.
    sheet.honours[0].insert("decision".into(), "TEST-0201b/QĐ-CTN".into());
    let added: std::collections::BTreeMap<String, String> = [
        ("title", "Thợ giỏi làng nghề Việt Nam"),
        ("scheme", "association"),
        ("awarded_by", "Hiệp hội thử nghiệm"),
        ("decision", ""),
        ("date", "2019"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    sheet.honours.push(added.clone());
    let mut pairs = pairs_of(&sheet, &[]);
    pairs.push(("remove_honour".into(), "2".into()));
    let answer = save(
        &mut thu,
        site,
        (Kind::Artisan, ARTISAN),
        "v1",
        pairs,
        "danh hiệu",
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    let (artisan, head_version) = head::<disan::model::Artisan>(&fixture, ARTISAN);
    assert_eq!(head_version, "v2");
    let titles: Vec<&str> = artisan.honours.iter().map(|h| h.title.as_str()).collect();
    assert_eq!(titles, ["Nghệ nhân Ưu tú", "Thợ giỏi làng nghề Việt Nam"]);
    assert_eq!(
        artisan.honours[0].decision.as_deref(),
        Some("TEST-0201b/QĐ-CTN")
    );
    let (_, public) = visitor(site, &format!("/en/artisans/{ARTISAN}")).await;
    assert!(
        public.contains("TEST-0201b/QĐ-CTN") && !public.contains("TEST-0202/QĐ-UBND"),
        "{public}"
    );
    let history = thu
        .get(site, &format!("/en/artisans/{ARTISAN}/history"))
        .await
        .text();
    assert!(history.contains("<code>honour</code> changed"), "{history}");

    // A wrong honour is refused beside its field, with ingest's message.
    let mut sheet = artisan.sheet();
    sheet.honours[1].insert("date".into(), "May 2019".into());
    sheet.honours[0].insert("title".into(), "Nghệ nhân giỏi".into());
    let answer = save(
        &mut thu,
        site,
        (Kind::Artisan, ARTISAN),
        "v2",
        pairs_of(&sheet, &[]),
        "sai",
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = answer.text();
    assert!(text.contains(r#"id="f-honour-2-f-date-errors""#), "{text}");
    assert!(text.contains("May 2019"), "{text}");
    assert!(text.contains(r#"id="f-honour-1-f-title-errors""#), "{text}");
    assert!(text.contains("is not a State title"), "{text}");
    assert_eq!(head::<disan::model::Artisan>(&fixture, ARTISAN).1, "v2");
    archive_is_valid(&fixture.workspace);
}

/// Every workspace route of the authorities, GET and POST, in both languages.
fn routes() -> Vec<(&'static str, String)> {
    let mut routes = Vec::new();
    for prefix in ["", "/en"] {
        for (kind, id) in [
            (Kind::Village, VILLAGE),
            (Kind::Craft, CRAFT),
            (Kind::Artisan, ARTISAN),
            (Kind::Product, PRODUCT),
        ] {
            let path = kind.path();
            routes.push(("GET", format!("{prefix}/{path}/{id}/edit")));
            routes.push(("GET", format!("{prefix}/{path}/{id}/history")));
            routes.push(("POST", format!("{prefix}/{path}/{id}/edit")));
            routes.push(("POST", format!("{prefix}/{path}/{id}/restore")));
        }
    }
    routes
}

#[tokio::test]
async fn nobody_else_reaches_any_authority_route_and_forms_need_their_token() {
    let fixture = fixture();
    let site = &fixture.site;
    nobody_else_reaches(&fixture, &routes(), "base=v1&name=x").await;
    let (_, public) = visitor(site, &format!("/villages/{VILLAGE}")).await;
    assert!(!public.contains("/edit\""));
    let mut thu = archivist(&fixture, "thu", "192.0.2.67").await;
    for (_, uri) in routes().into_iter().filter(|(m, _)| *m == "POST") {
        let answer = thu
            .post(
                site,
                &uri,
                &[
                    ("base", "v1"),
                    ("message", "x"),
                    ("version", "v1"),
                    ("name", "x"),
                ],
            )
            .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "no token: {uri}");
    }
    // An unknown id, or one that is no slug, is the site's 404 for an archivist too.
    for uri in [
        "/villages/khong-co/edit",
        "/products/..%2Fx/history",
        "/artisans/A/edit",
    ] {
        assert_eq!(
            thu.get(site, uri).await.status,
            StatusCode::NOT_FOUND,
            "{uri}"
        );
    }
    for kind in Kind::ALL {
        assert_eq!(head_version_of(&fixture, kind), "v1", "nothing written");
    }
}

fn head_version_of(fixture: &Fixture, kind: Kind) -> String {
    let id = match kind {
        Kind::Village => VILLAGE,
        Kind::Craft => CRAFT,
        Kind::Artisan => ARTISAN,
        Kind::Product => PRODUCT,
    };
    inventory(fixture, kind, id).head
}

/// Over a real socket and the server's own connection handling: an archivist restricts a
/// product and the next anonymous request, on another connection, gets the 404.
#[test]
fn a_product_restricted_over_a_real_socket_is_gone_for_the_next_request() {
    let fixture = fixture();
    fixture
        .accounts
        .add_user("thu", Role::Archivist, PASSWORD, &[], "test")
        .unwrap();
    let (_runtime, addr) = serve_on_socket(&fixture);
    let path = format!("/products/{PRODUCT}");
    assert_eq!(http(addr, &get(addr, &path, "")).0, 200);
    let session = sign_in_over_socket(addr, &fixture, "thu");
    let (status, head, body) = http(addr, &get(addr, &format!("/en{path}/edit"), &session));
    assert_eq!(status, 200, "{head}");
    assert!(
        head.to_lowercase()
            .contains("cache-control: private, no-store")
    );
    let mut pairs =
        form_of::<disan::model::Product>(&fixture, PRODUCT, &[("access", "restricted")]);
    pairs.push(("base".into(), "v1".into()));
    pairs.push(("message".into(), "restricted".into()));
    pairs.push(("csrf".into(), csrf_of(&body)));
    let fields: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let (status, head, _) = http(
        addr,
        &post(addr, &format!("/en{path}/edit"), &session, &fields),
    );
    assert_eq!(status, 303, "{head}");
    for uri in [path.clone(), format!("/api/products/{PRODUCT}")] {
        assert_eq!(http(addr, &get(addr, &uri, "")).0, 404, "{uri}");
    }
    let (_, _, list) = http(addr, &get(addr, "/products", ""));
    assert!(!list.contains(PRODUCT));
}

/// Deleting `index/` and running `disan reindex` gives anonymous visitors the same `pages`.
async fn pages_survive_a_rebuilt_index(fixture: &Fixture, pages: &[&str]) {
    let workspace = &fixture.workspace;
    let read = |site: Arc<Site>| async move {
        let mut bodies = Vec::new();
        for page in pages {
            bodies.push(visitor(&site, page).await);
        }
        bodies
    };
    let before = read(fixture.site.clone()).await;
    std::fs::remove_dir_all(workspace.index()).unwrap();
    let output = workspace.disan().arg("reindex").output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let rebuilt = Arc::new(Site::open(&workspace.archive(), &workspace.index(), None).unwrap());
    let after = read(rebuilt).await;
    for ((page, before), after) in pages.iter().zip(&before).zip(&after) {
        assert_eq!(before, after, "{page}");
    }
}

/// `tests/browser/workspace.browser.mjs` (axe-core on every authority's edit and history pages
/// in both languages, a save, an error, a conflict and a restore by keyboard) against a real
/// `disan serve` over the `vocabulary` fixture, with an archivist made by `disan user add`.
/// Skipped, saying so, without node, chromium or `tests/browser/node_modules`, unless
/// `DISAN_REQUIRE_BROWSER=1`.
#[test]
fn authority_pages_work_in_a_real_browser() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    if crate::browser::skipped(root) {
        return;
    }
    let workspace = crate::support::Workspace::new();
    let (code, report) = workspace.ingest(&workspace.batch("vocabulary"), &[]);
    assert_eq!(code, 0, "{report}");
    let secret = crate::browser::add_user(&workspace, "thu", "archivist")
        .expect("user add printed the archivist's key");
    let (server, url) = crate::browser::serve(&workspace, root);
    crate::browser::node_tests(
        root,
        &["--test", "--test-reporter=spec", "workspace.browser.mjs"],
        &[
            ("DISAN_URL", &url),
            ("DISAN_PASSWORD", crate::browser::BROWSER_PASSWORD),
            ("DISAN_TOTP_SECRET", &secret),
        ],
    );
    drop(server);
}
