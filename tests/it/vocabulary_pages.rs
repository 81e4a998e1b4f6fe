//! Issue 14's pages and API (voc-b): `/artisans`, `/artisans/{id}`, `/products`,
//! `/products/{id}` in both languages, their JSON API, their schema.org JSON-LD, the village
//! page's new facts, the sitemap, and access: a restricted artisan's description and a
//! restricted product never reach an anonymous visitor on any route, and do reach an archivist.
//!
//! The authorities are synthetic and say so ("Nghệ nhân thử nghiệm 1", "Làng thử 17"): they are
//! written into the index's authorities copy after ingesting `community-files`, as ingest
//! writes it. Certificate dates are built from today in Vietnam, so the tests cannot rot.

use disan::index::IndexDir;
use disan::index::authorities::Authorities;
use disan::model::access::Viewer;
use disan::model::edtf::CalendarDate;
use disan::model::{
    Access, Activity, Artisan, ArtisanId, Edtf, Honour, HonourScheme, Lang, Ocop, OcopGroup,
    OcopLevel, Product, ProductId, Recognition, RiskStatus, Role, Village, VillageId,
};
use serde_json::Value;

use crate::audiences::{get_as, signed_in_site, viewer};
use crate::support::{Workspace, problems};

const VILLAGE: &str = "lang-thu-17";
/// Living, researchers only for birth and description.
const GUARDED: &str = "nghe-nhan-thu-nghiem-1";
const GUARDED_SECRET: &str = "Mô tả riêng tư thử nghiệm 1";
/// Dead, public.
const PUBLIC_ARTISAN: &str = "nghe-nhan-thu-nghiem-2";
const VALID: &str = "san-pham-thu-1";
const EXPIRED: &str = "san-pham-thu-2";
const HIDDEN: &str = "san-pham-an-thu";
const HIDDEN_NAME: &str = "Sản phẩm ẩn thử nghiệm";

/// The hidden product's English name (as [`product`] makes it), decomposed (NFD).
fn hidden_english_nfd() -> String {
    use unicode_normalization::UnicodeNormalization;
    format!("{HIDDEN_NAME} (English)").nfd().collect()
}

fn day(year: i32, month: u8, day: u8) -> CalendarDate {
    CalendarDate::new(year, month, day.min(28)).unwrap()
}

fn edtf(text: &str) -> Option<Edtf> {
    Some(Edtf::parse(text).unwrap())
}

fn artisan(id: &str, name: &str, access: Access) -> Artisan {
    Artisan {
        schema: disan::model::SCHEMA_VERSION,
        id: ArtisanId::parse(id).unwrap(),
        name: name.into(),
        name_en: None,
        village: Some(VillageId::parse(VILLAGE).unwrap()),
        crafts: vec![],
        born: edtf("1950"),
        died: None,
        description: Default::default(),
        access,
        honours: vec![],
    }
}

fn product(id: &str, name: &str, ocop: Option<Ocop>, access: Access) -> Product {
    Product {
        schema: disan::model::SCHEMA_VERSION,
        id: ProductId::parse(id).unwrap(),
        name: name.into(),
        name_en: Some(format!("{name} (English)")),
        village: Some(VillageId::parse(VILLAGE).unwrap()),
        craft: None,
        producer: Some("Hợp tác xã thử nghiệm".into()),
        ocop,
        access,
    }
}

fn ocop(stars: u8, score: u8, issued: CalendarDate, expires: Option<CalendarDate>) -> Ocop {
    Ocop {
        group: Some(OcopGroup::Handicrafts),
        stars,
        score: Some(score),
        certificate: Some(format!("THU-{stars}-{score}")),
        issued: Some(issued),
        expires,
        level: Some(OcopLevel::Province),
    }
}

/// The synthetic authorities: one village, a guarded living artisan with two honours, a public
/// dead one, a valid product (its written expiry is today: still valid), an expired one
/// (issued four years ago: its 36 months are over) and a restricted one.
fn authorities(today: CalendarDate) -> Authorities {
    let mut village = Village::new(VillageId::parse(VILLAGE).unwrap(), "Làng thử 17");
    village.commune = Some("Xã thử cũ".into());
    village.district = Some("Huyện thử".into());
    village.province = Some("Hà Nam".into());
    village.commune_2025 = Some("Xã thử mới".into());
    village.province_2025 = Some("Ninh Bình".into());
    village.activity = Some(Activity::AtRisk);
    village.status = Some(RiskStatus::AtRiskRevivable);
    village.status_date = edtf("2020-05-04");
    village.recognised = Some(Recognition {
        decision: Some("99/QĐ-THU".into()),
        date: edtf("2010"),
    });
    // villages.csv's free-text lists, naming the hidden product by id, by name in capitals
    // without tones, by English name in NFD, and in the artisans column (break14b F3).
    village.products = vec![
        "Trống thử nghiệm".into(),
        HIDDEN.into(),
        "SAN PHAM AN THU NGHIEM".into(),
    ];
    village.products_en = vec!["Test drum".into(), hidden_english_nfd()];
    village.artisans = vec![
        "Nghệ nhân thử nghiệm 2".into(),
        "Ông Thử Ba".into(),
        "sản phẩm ẩn thử nghiệm".into(),
    ];
    let mut guarded = artisan(GUARDED, "Nghệ nhân thử nghiệm 1", Access::Researchers);
    guarded.description = [(Lang::Vi, GUARDED_SECRET.to_string())].into();
    guarded.honours = vec![
        Honour {
            title: "Nghệ nhân Ưu tú".into(),
            scheme: HonourScheme::Decree43_2024,
            awarded_by: Some("Chủ tịch nước".into()),
            decision: Some("1/QĐ-THU".into()),
            date: edtf("2024-09-02"),
        },
        Honour {
            title: "Nghệ nhân làng nghề Việt Nam".into(),
            scheme: HonourScheme::Association,
            awarded_by: Some("Hiệp hội Làng nghề Việt Nam".into()),
            decision: None,
            date: edtf("2015"),
        },
    ];
    let mut dead = artisan(PUBLIC_ARTISAN, "Nghệ nhân thử nghiệm 2", Access::Public);
    dead.born = edtf("1900");
    dead.died = edtf("1980");
    dead.description = [(Lang::Vi, "Mô tả công khai thử nghiệm 2".to_string())].into();
    let a_year_ago = day(today.year - 1, today.month, today.day);
    let four_years_ago = day(today.year - 4, today.month, today.day);
    let mut authorities = Authorities::default();
    authorities.villages.insert(VILLAGE.into(), village);
    for artisan in [guarded, dead] {
        authorities.artisans.insert(artisan.id.to_string(), artisan);
    }
    for product in [
        product(
            VALID,
            "Sản phẩm thử nghiệm 1",
            Some(ocop(4, 75, a_year_ago, Some(today))),
            Access::Public,
        ),
        product(
            EXPIRED,
            "Sản phẩm thử nghiệm 2",
            Some(ocop(3, 55, four_years_ago, None)),
            Access::Public,
        ),
        product(
            HIDDEN,
            HIDDEN_NAME,
            Some(ocop(5, 95, a_year_ago, None)),
            Access::Restricted,
        ),
    ] {
        authorities.products.insert(product.id.to_string(), product);
    }
    authorities
}

/// A workspace holding `community-files` ingested, with the synthetic authorities in the
/// index's copy.
fn workspace() -> Workspace {
    let workspace = Workspace::new();
    let (code, report) = workspace.ingest(&workspace.batch("community-files"), &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    with_synthetic(workspace)
}

/// `workspace` with the synthetic [`authorities`] added to the index's copy, as ingest would
/// have written them.
fn with_synthetic(workspace: Workspace) -> Workspace {
    let dir = IndexDir::new(&workspace.index());
    let mut copy = Authorities::read(&dir.authorities_path()).unwrap();
    let ours = authorities(disan::web::today_in_vietnam());
    copy.villages.extend(ours.villages);
    copy.artisans.extend(ours.artisans);
    copy.products.extend(ours.products);
    copy.save(&dir.authorities_path()).unwrap();
    workspace
}

/// A site over [`workspace`], and the tokens of [`signed_in_site`].
fn site() -> (
    Workspace,
    std::sync::Arc<disan::web::Site>,
    std::collections::HashMap<String, String>,
) {
    let workspace = workspace();
    let (site, tokens) = signed_in_site(&workspace);
    (workspace, site, tokens)
}

fn archivist() -> Viewer {
    viewer(Role::Archivist, &[])
}

/// The JSON-LD of a page, parsed.
fn json_ld(html: &str) -> Value {
    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("a JSON-LD script")
        + "<script type=\"application/ld+json\">".len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

#[tokio::test]
async fn artisan_pages_show_honours_with_their_schemes_and_a_person_in_both_languages() {
    let (_workspace, site, tokens) = site();
    let anonymous = Viewer::Anonymous;
    for (prefix, scheme, association) in [
        (
            "",
            "Danh hiệu Nhà nước về nghề thủ công mỹ nghệ (Nghị định 43/2024/NĐ-CP)",
            "Danh hiệu của Hiệp hội Làng nghề Việt Nam",
        ),
        (
            "/en",
            "State title, handicrafts (Decree 43/2024/NĐ-CP)",
            "Title of the Vietnam Craft Villages Association",
        ),
    ] {
        let page = get_as(
            &site,
            &tokens,
            &anonymous,
            &format!("{prefix}/artisans/{GUARDED}"),
        )
        .await;
        assert_eq!(page.status, 200, "{prefix}");
        let html = page.text();
        for text in [
            "Nghệ nhân thử nghiệm 1",
            "Nghệ nhân Ưu tú",
            scheme,
            association,
            "Chủ tịch nước",
            "1/QĐ-THU",
            "datetime=\"2024-09-02\"",
            &format!("href=\"{prefix}/villages/{VILLAGE}\""),
        ] {
            assert!(html.contains(text), "{prefix}: {text} missing");
        }
        let person = json_ld(&html);
        assert_eq!(person["@type"], "Person");
        assert_eq!(person["name"], "Nghệ nhân thử nghiệm 1");
        assert_eq!(person["identifier"], GUARDED);
        let awards = person["award"].as_array().unwrap();
        assert_eq!(awards.len(), 2);
        assert!(awards[0].as_str().unwrap().starts_with("Nghệ nhân Ưu tú ("));
        assert!(awards[0].as_str().unwrap().contains(scheme), "{awards:?}");
        assert_eq!(person["workLocation"]["@type"], "Place");
        assert!(person.get("birthDate").is_none(), "{person}");
        assert!(person.get("description").is_none(), "{person}");

        let list = get_as(&site, &tokens, &anonymous, &format!("{prefix}/artisans")).await;
        assert_eq!(list.status, 200);
        let html = list.text();
        assert!(html.contains(&format!("href=\"{prefix}/artisans/{GUARDED}\"")));
        assert!(html.contains(&format!("href=\"{prefix}/artisans/{PUBLIC_ARTISAN}\"")));
    }
    // A dead artisan's dates and description are public.
    let page = get_as(
        &site,
        &tokens,
        &anonymous,
        &format!("/artisans/{PUBLIC_ARTISAN}"),
    )
    .await;
    let html = page.text();
    assert!(html.contains("Mô tả công khai thử nghiệm 2"));
    let person = json_ld(&html);
    assert_eq!(person["birthDate"], "1900");
    assert_eq!(person["deathDate"], "1980");
    let unknown = get_as(&site, &tokens, &anonymous, "/artisans/khong-co").await;
    assert_eq!(unknown.status, 404);
}

#[tokio::test]
async fn artisan_api_gives_honours_with_labels_and_guards_the_same_parts() {
    let (_workspace, site, tokens) = site();
    let anonymous = Viewer::Anonymous;
    let one = get_as(
        &site,
        &tokens,
        &anonymous,
        &format!("/api/artisans/{GUARDED}"),
    )
    .await;
    assert_eq!(one.status, 200);
    let json = one.json();
    assert_eq!(json["name"], "Nghệ nhân thử nghiệm 1");
    assert_eq!(json["honours"][0]["scheme"], "decree-43-2024");
    assert_eq!(
        json["honours"][0]["scheme_label"]["en"],
        "State title, handicrafts (Decree 43/2024/NĐ-CP)"
    );
    assert_eq!(json["honours"][0]["decision"], "1/QĐ-THU");
    assert_eq!(json["honours"][0]["date"], "2024-09-02");
    assert_eq!(json["url"], format!("/artisans/{GUARDED}"));
    // No record of community-files names an artisan.
    assert_eq!(
        json["works"],
        serde_json::json!({"total": 0, "records": []})
    );
    for guarded in ["born", "description", "access"] {
        assert!(json.get(guarded).is_none(), "{guarded}: {json}");
    }
    let list = get_as(&site, &tokens, &anonymous, "/api/artisans")
        .await
        .json();
    assert_eq!(list["total"], 2);
    assert!(!list.to_string().contains(GUARDED_SECRET));

    let signed = get_as(
        &site,
        &tokens,
        &archivist(),
        &format!("/api/artisans/{GUARDED}"),
    )
    .await
    .json();
    assert_eq!(signed["born"], "1950");
    assert_eq!(signed["description"]["vi"], GUARDED_SECRET);

    let unknown = get_as(&site, &tokens, &anonymous, "/api/artisans/khong-co").await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.json()["error"]["code"], "not_found");
}

#[tokio::test]
async fn product_pages_read_stars_aloud_and_show_expiry_on_todays_date_in_vietnam() {
    let (_workspace, site, tokens) = site();
    let anonymous = Viewer::Anonymous;
    let today = disan::web::today_in_vietnam();
    let four_years_ago = day(today.year - 4, today.month, today.day);
    let expired_on = four_years_ago.plus_months(36);
    for (prefix, stars, valid, expired) in [
        (
            "",
            "4 sao OCOP",
            format!(
                "Còn hiệu lực đến hết ngày {}/{}/{}",
                today.day, today.month, today.year
            ),
            format!(
                "Đã hết hạn (hiệu lực đến hết ngày {}/{}/{})",
                expired_on.day, expired_on.month, expired_on.year
            ),
        ),
        (
            "/en",
            "4-star OCOP",
            "Valid until ".to_string(),
            "Expired (valid until ".to_string(),
        ),
    ] {
        let page = get_as(
            &site,
            &tokens,
            &anonymous,
            &format!("{prefix}/products/{VALID}"),
        )
        .await;
        assert_eq!(page.status, 200, "{prefix}");
        // Made when asked: no ETag, and no cache may reuse it without asking.
        assert!(page.headers.get("etag").is_none());
        assert_eq!(page.headers["cache-control"], "no-cache");
        let html = page.text();
        assert!(
            html.contains(&format!(
                "<span class=\"stars\" aria-hidden=\"true\">★★★★</span> <span class=\"stars-text\">{stars}</span>"
            )),
            "{prefix}: {html}"
        );
        assert!(html.contains(&valid), "{prefix}: {valid}");
        assert!(!html.contains("class=\"validity expired\""), "{prefix}");
        assert!(html.contains("THU-4-75"));
        assert!(html.contains(&format!("href=\"{prefix}/villages/{VILLAGE}\"")));
        let node = json_ld(&html);
        assert_eq!(node["@type"], "Product");
        assert_eq!(node["award"], stars);
        let certification = &node["hasCertification"];
        assert_eq!(certification["@type"], "Certification");
        assert_eq!(certification["certificationRating"]["ratingValue"], 4);
        assert_eq!(certification["certificationRating"]["bestRating"], 5);
        assert_eq!(certification["certificationIdentification"], "THU-4-75");
        assert_eq!(
            certification["certificationStatus"],
            "https://schema.org/CertificationActive"
        );
        assert_eq!(node["additionalProperty"][0]["value"], 75);
        assert_eq!(node["additionalProperty"][0]["maxValue"], 100);
        assert_eq!(node["manufacturer"]["name"], "Hợp tác xã thử nghiệm");

        let page = get_as(
            &site,
            &tokens,
            &anonymous,
            &format!("{prefix}/products/{EXPIRED}"),
        )
        .await;
        let html = page.text();
        assert!(html.contains("class=\"validity expired\""), "{prefix}");
        assert!(html.contains(&expired), "{prefix}: {expired}");
        assert_eq!(
            json_ld(&html)["hasCertification"]["certificationStatus"],
            "https://schema.org/CertificationInactive"
        );
        assert_eq!(
            json_ld(&html)["hasCertification"]["expires"],
            format!(
                "{:04}-{:02}-{:02}",
                expired_on.year, expired_on.month, expired_on.day
            )
        );

        let list = get_as(&site, &tokens, &anonymous, &format!("{prefix}/products")).await;
        let html = list.text();
        assert!(html.contains(&format!("href=\"{prefix}/products/{VALID}\"")));
        assert!(html.contains(&format!("href=\"{prefix}/products/{EXPIRED}\"")));
        assert_eq!(html.matches("class=\"validity expired\"").count(), 1);
    }
    let api = get_as(
        &site,
        &tokens,
        &anonymous,
        &format!("/api/products/{EXPIRED}"),
    )
    .await
    .json();
    assert_eq!(api["ocop"]["expired"], true);
    assert_eq!(api["ocop"]["stars_text"]["vi"], "3 sao OCOP");
    let api = get_as(
        &site,
        &tokens,
        &anonymous,
        &format!("/api/products/{VALID}"),
    )
    .await
    .json();
    assert_eq!(api["ocop"]["expired"], false);
    assert_eq!(
        api["ocop"]["expires_on"],
        format!("{:04}-{:02}-{:02}", today.year, today.month, today.day)
    );
    assert!(api.get("access").is_none());
}

#[tokio::test]
async fn village_page_shows_activity_class_date_recognition_both_addresses_artisans_and_products() {
    let (_workspace, site, tokens) = site();
    for (prefix, texts) in [
        (
            "",
            [
                "Địa chỉ theo tư liệu (trước 1/7/2025)",
                "Xã thử cũ, Huyện thử, Hà Nam",
                "Địa chỉ hiện nay",
                "Xã thử mới, Ninh Bình",
                "Có nguy cơ mai một",
                "99/QĐ-THU, 2010",
                "datetime=\"2020-05-04\"",
            ],
        ),
        (
            "/en",
            [
                "Address as documented (before 1 July 2025)",
                "Xã thử cũ, Huyện thử, Hà Nam",
                "Current address",
                "Xã thử mới, Ninh Bình",
                "At risk",
                "99/QĐ-THU, 2010",
                "datetime=\"2020-05-04\"",
            ],
        ),
    ] {
        let page = get_as(
            &site,
            &tokens,
            &Viewer::Anonymous,
            &format!("{prefix}/villages/{VILLAGE}"),
        )
        .await;
        assert_eq!(page.status, 200);
        let html = page.text();
        for text in texts {
            assert!(html.contains(text), "{prefix}: {text} missing");
        }
        for id in [GUARDED, PUBLIC_ARTISAN] {
            assert!(html.contains(&format!("href=\"{prefix}/artisans/{id}\"")));
        }
        for id in [VALID, EXPIRED] {
            assert!(html.contains(&format!("href=\"{prefix}/products/{id}\"")));
        }
    }
}

/// break14b finding 3: the free-text `products`, `products@en` and `artisans` lists of
/// villages.csv name the hidden product (by id, by name without tones, by English name in NFD);
/// the village page leaves exactly those entries out for whoever may not see the product, and
/// shows the lists whole to an archivist.
#[tokio::test]
async fn village_free_text_lists_leave_out_a_product_the_viewer_may_not_see() {
    let (_workspace, site, tokens) = site();
    let english = hidden_english_nfd();
    let all_vi = "<dd lang=\"vi\">Trống thử nghiệm; san-pham-an-thu; SAN PHAM AN THU NGHIEM</dd>";
    let all_en = format!("<dd lang=\"en\">Test drum; {english}</dd>");
    for (who, vi, en, named) in [
        (
            Viewer::Anonymous,
            "<dd lang=\"vi\">Trống thử nghiệm</dd>".to_string(),
            "<dd lang=\"en\">Test drum</dd>".to_string(),
            "; Ông Thử Ba</dd>",
        ),
        (
            viewer(Role::Researcher, &[]),
            "<dd lang=\"vi\">Trống thử nghiệm</dd>".to_string(),
            "<dd lang=\"en\">Test drum</dd>".to_string(),
            "; Ông Thử Ba</dd>",
        ),
        (
            archivist(),
            all_vi.to_string(),
            all_en.clone(),
            "; Ông Thử Ba; sản phẩm ẩn thử nghiệm</dd>",
        ),
    ] {
        let page = get_as(&site, &tokens, &who, &format!("/villages/{VILLAGE}")).await;
        assert_eq!(page.status, 200);
        let html = page.text();
        assert!(
            html.contains(&format!("<dt>Sản phẩm</dt>{vi}")),
            "{who:?}: {html}"
        );
        assert!(html.contains(named), "{who:?}: {html}");
        let page = get_as(&site, &tokens, &who, &format!("/en/villages/{VILLAGE}")).await;
        assert_eq!(page.status, 200);
        let html = page.text();
        assert!(
            html.contains(&format!("<dt>Products</dt>{en}")),
            "{who:?}: {html}"
        );
        assert!(html.contains(named), "{who:?}: {html}");
        if who != archivist() {
            for hidden in [
                HIDDEN,
                "SAN PHAM AN THU NGHIEM",
                english.as_str(),
                "sản phẩm ẩn",
            ] {
                assert!(!html.contains(hidden), "{who:?}: {hidden}");
            }
        }
    }
}

/// Every route that may name the guarded artisan's description or the hidden product.
const ROUTES: [&str; 13] = [
    "/artisans",
    "/en/artisans",
    "/artisans/nghe-nhan-thu-nghiem-1",
    "/en/artisans/nghe-nhan-thu-nghiem-1",
    "/api/artisans",
    "/api/artisans/nghe-nhan-thu-nghiem-1",
    "/products",
    "/en/products",
    "/api/products",
    "/villages/lang-thu-17",
    "/en/villages/lang-thu-17",
    "/sitemap.xml",
    "/sitemaps/pages.xml",
];

#[tokio::test]
async fn a_restricted_description_and_a_restricted_product_reach_no_anonymous_route() {
    let (_workspace, site, tokens) = site();
    let anonymous = Viewer::Anonymous;
    for route in ROUTES {
        let answer = get_as(&site, &tokens, &anonymous, route).await;
        assert_eq!(answer.status, 200, "{route}");
        let text = answer.text();
        for secret in [GUARDED_SECRET, HIDDEN, HIDDEN_NAME, "THU-5-95"] {
            assert!(!text.contains(secret), "{route} shows {secret}");
        }
    }
    let api = get_as(&site, &tokens, &anonymous, "/api/products")
        .await
        .json();
    assert_eq!(api["total"], 2);
    let sitemap = get_as(&site, &tokens, &anonymous, "/sitemaps/pages.xml")
        .await
        .text();
    for path in [
        "/artisans".to_string(),
        "/products".to_string(),
        format!("/artisans/{GUARDED}"),
        format!("/en/products/{VALID}"),
        format!("/products/{EXPIRED}"),
    ] {
        assert!(sitemap.contains(&format!("{path}</loc>")), "{path}");
    }
    // A hidden product answers exactly as an id that never existed: status, body, headers.
    for (hidden, unknown) in [
        (format!("/products/{HIDDEN}"), "/products/khong-bao-gio-co"),
        (
            format!("/en/products/{HIDDEN}"),
            "/en/products/khong-bao-gio-co",
        ),
        (
            format!("/api/products/{HIDDEN}"),
            "/api/products/khong-bao-gio-co",
        ),
    ] {
        let hidden = get_as(&site, &tokens, &anonymous, &hidden).await;
        let unknown = get_as(&site, &tokens, &anonymous, unknown).await;
        assert_eq!(hidden.status, 404);
        assert_eq!(hidden.status, unknown.status);
        assert_eq!(hidden.body, unknown.body);
        assert_eq!(hidden.headers, unknown.headers);
    }

    // An archivist sees both.
    let archivist = archivist();
    let page = get_as(&site, &tokens, &archivist, &format!("/artisans/{GUARDED}")).await;
    let html = page.text();
    assert!(html.contains(GUARDED_SECRET));
    assert_eq!(json_ld(&html)["description"], GUARDED_SECRET);
    assert_eq!(json_ld(&html)["birthDate"], "1950");
    assert_eq!(page.headers["cache-control"], "private, no-store");
    for route in [
        format!("/products/{HIDDEN}"),
        format!("/en/products/{HIDDEN}"),
        format!("/api/products/{HIDDEN}"),
    ] {
        let answer = get_as(&site, &tokens, &archivist, &route).await;
        assert_eq!(answer.status, 200, "{route}");
        assert!(answer.text().contains(HIDDEN_NAME), "{route}");
    }
    for route in ["/products", "/villages/lang-thu-17"] {
        let answer = get_as(&site, &tokens, &archivist, route).await;
        assert!(answer.text().contains(HIDDEN_NAME), "{route}");
    }
    let api = get_as(&site, &tokens, &archivist, "/api/products")
        .await
        .json();
    assert_eq!(api["total"], 3);
}

/// `tests/browser/vocabulary.browser.mjs` (axe-core on every new page type in both languages,
/// stars read as text, an expired certificate shown as expired, a visitor's path from products
/// to a village to an artisan) against a real `disan serve` over [`ingested`] with the synthetic
/// authorities. Skipped, saying
/// so, without node, chromium or `tests/browser/node_modules`, unless `DISAN_REQUIRE_BROWSER=1`.
#[test]
fn vocabulary_pages_work_in_a_real_browser() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    if crate::browser::skipped(root) {
        return;
    }
    // voc-a's fixture (records linking artisans and products, a village with a class history)
    // and the synthetic authorities (certificates dated from today).
    let workspace = with_synthetic(ingested());
    let (server, url) = crate::browser::serve(&workspace, root);
    crate::browser::node_tests(
        root,
        &["--test", "--test-reporter=spec", "vocabulary.browser.mjs"],
        &[("DISAN_URL", &url)],
    );
    drop(server);
}

/// voc-a's `vocabulary` fixture ingested, plus a public record (written here) naming the
/// restricted product `san-pham-thu-han-che` and the artisan whose description is restricted,
/// then ingested again with `lang-thu-1` reclassed, so the village has a class history.
fn ingested() -> Workspace {
    let workspace = Workspace::new();
    let batch = workspace.batch("vocabulary");
    std::fs::write(
        batch.join("objects/ky-thuat/cong-khai-han-che.md"),
        "---\ndc.identifier: vocab-cong-khai-han-che\n\
         dc.title: Tư liệu công khai thử nghiệm (bản mẫu kiểm thử)\nkind: technique\n\
         village: lang-thu-1\nartisan: nghe-nhan-thu-3\nproduct: [san-pham-thu-han-che, san-pham-thu-3-sao]\n\
         ---\n\nVăn bản thử nghiệm.\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let villages = batch.join("metadata/villages.csv");
    let text = std::fs::read_to_string(&villages)
        .unwrap()
        .replace(",developing,active,", ",at-risk-revivable,active,")
        .replace("2006-05-12,2019,", "2006-05-12,2026-11,");
    std::fs::write(&villages, text).unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    workspace
}

/// The hrefs of record links in `html` (`/records/…` or `/en/records/…`), in page order.
fn record_links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.contains("/records/"))
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn works_of_an_artisan_records_of_a_product_and_record_links_follow_the_viewer() {
    let workspace = ingested();
    let (site, tokens) = signed_in_site(&workspace);
    let anonymous = Viewer::Anonymous;
    let archivist = archivist();

    // Works: the records naming the artisan that the viewer may see.
    for prefix in ["", "/en"] {
        let page = get_as(
            &site,
            &tokens,
            &anonymous,
            &format!("{prefix}/artisans/nghe-nhan-thu-1"),
        )
        .await;
        let mut works = record_links(&page.text());
        works.sort();
        assert_eq!(
            works,
            [
                format!("{prefix}/records/vocab-hai-nghe-nhan"),
                format!("{prefix}/records/vocab-trong-thu")
            ]
        );
    }
    let api = get_as(&site, &tokens, &anonymous, "/api/artisans/nghe-nhan-thu-2")
        .await
        .json();
    let mut works: Vec<&str> = api["works"]["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    works.sort();
    assert_eq!(works, ["vocab-hai-nghe-nhan", "vocab-trinh-dien"]);
    assert_eq!(api["works"]["total"], 2);

    // Records that show a product; the restricted product's only for the archivist, who sees
    // both records naming it: the restricted one and the public one (the product filter admits
    // a record naming a narrower product to a viewer who may see that product; its names, stars
    // and facet stay out of the public record's index entry).
    let page = get_as(&site, &tokens, &anonymous, "/products/san-pham-thu-4-sao").await;
    assert_eq!(record_links(&page.text()), ["/records/vocab-trong-thu"]);
    let hidden = get_as(
        &site,
        &tokens,
        &anonymous,
        "/api/products/san-pham-thu-han-che",
    )
    .await;
    assert_eq!(hidden.status, 404);
    let api = get_as(
        &site,
        &tokens,
        &archivist,
        "/api/products/san-pham-thu-han-che",
    )
    .await
    .json();
    let mut shown: Vec<&str> = api["records"]["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    shown.sort();
    assert_eq!(shown, ["vocab-cong-khai-han-che", "vocab-san-pham-han-che"]);

    // A record page links its artisans and the products the viewer may see.
    for prefix in ["", "/en"] {
        let html = get_as(
            &site,
            &tokens,
            &anonymous,
            &format!("{prefix}/records/vocab-trong-thu"),
        )
        .await
        .text();
        for link in [
            "/artisans/nghe-nhan-thu-1",
            "/products/san-pham-thu-4-sao",
            "/products/san-pham-thu-3-sao",
        ] {
            assert!(
                html.contains(&format!("href=\"{prefix}{link}\"")),
                "{prefix}{link}"
            );
        }
    }
    let page = get_as(
        &site,
        &tokens,
        &anonymous,
        "/records/vocab-cong-khai-han-che",
    )
    .await;
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("href=\"/artisans/nghe-nhan-thu-3\""));
    assert!(html.contains("href=\"/products/san-pham-thu-3-sao\""));
    for secret in [
        "san-pham-thu-han-che",
        "Sản phẩm thử hạn chế",
        "Mô tả hạn chế thử nghiệm",
    ] {
        assert!(!html.contains(secret), "the record page shows {secret}");
    }
    let api = get_as(
        &site,
        &tokens,
        &anonymous,
        "/api/records/vocab-cong-khai-han-che",
    )
    .await
    .json();
    assert_eq!(api["products"], serde_json::json!(["san-pham-thu-3-sao"]));
    let html = get_as(
        &site,
        &tokens,
        &archivist,
        "/records/vocab-cong-khai-han-che",
    )
    .await
    .text();
    assert!(html.contains("href=\"/products/san-pham-thu-han-che\""));
    let api = get_as(
        &site,
        &tokens,
        &archivist,
        "/api/records/vocab-cong-khai-han-che",
    )
    .await
    .json();
    assert_eq!(
        api["products"],
        serde_json::json!(["san-pham-thu-han-che", "san-pham-thu-3-sao"])
    );

    // The village page: its class history from the archive's versions, its artisans and the
    // products the viewer may see.
    let html = get_as(&site, &tokens, &anonymous, "/villages/lang-thu-1")
        .await
        .text();
    let history = &html[html
        .find("id=\"history-heading\"")
        .expect("a class history")..];
    let history = &history[..history.find("</ol>").unwrap()];
    let developing = history.find("Đang phát triển").expect("the first class");
    let revivable = history
        .find("Có nguy cơ mai một, có thể khôi phục")
        .expect("the class now");
    assert!(developing < revivable, "{history}");
    assert!(history.contains("phiên bản v1") && history.contains("phiên bản v2"));
    assert!(html.contains("href=\"/artisans/nghe-nhan-thu-1\""));
    assert!(html.contains("href=\"/products/san-pham-thu-4-sao\""));
    assert!(!html.contains("san-pham-thu-han-che"));
    let html = get_as(&site, &tokens, &archivist, "/en/villages/lang-thu-1")
        .await
        .text();
    assert!(html.contains("href=\"/en/products/san-pham-thu-han-che\""));
    assert!(html.contains("Decree 52/2018/NĐ-CP class history"));
}

/// Break14 finding 3: a public record's hand-written links to a product the viewer may not see
/// (inline, `/en/`, reference-style) leave their words only, on the page, in the API's body and
/// in JSON-LD; a link to a public product stays, and a viewer who may see the product keeps all.
#[tokio::test]
async fn hand_written_links_to_a_hidden_product_leave_no_href() {
    let workspace = Workspace::new();
    let batch = workspace.batch("vocabulary");
    std::fs::write(
        batch.join("objects/ky-thuat/lien-ket.md"),
        "---\ndc.identifier: vocab-lien-ket\ndc.title: Liên kết thử nghiệm\nkind: technique\n---\n\n\
         Xem [sản phẩm kín](/products/san-pham-thu-han-che), [EN](/en/products/san-pham-thu-han-che) \
         và [mở](/products/san-pham-thu-5-sao), [tham chiếu][ref].\n\n\
         [ref]: /products/san-pham-thu-han-che\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let (site, tokens) = signed_in_site(&workspace);
    for route in [
        "/records/vocab-lien-ket",
        "/en/records/vocab-lien-ket",
        "/api/records/vocab-lien-ket",
    ] {
        let text = get_as(&site, &tokens, &Viewer::Anonymous, route)
            .await
            .text();
        assert!(text.contains("sản phẩm kín"), "{route}: {text}");
        assert!(!text.contains("san-pham-thu-han-che"), "{route}: {text}");
        assert!(
            text.contains("/products/san-pham-thu-5-sao"),
            "{route}: {text}"
        );
        let text = get_as(&site, &tokens, &archivist(), route).await.text();
        assert!(
            text.contains("/products/san-pham-thu-han-che"),
            "{route}: {text}"
        );
    }
}
