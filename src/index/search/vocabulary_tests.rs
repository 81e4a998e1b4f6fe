//! Tests of the issue-14 vocabulary in the index: a record's artisans and products as filters
//! (the works of an artisan, the records showing a product) within the viewer's scope, and
//! that a product narrower than a record leaves nothing of itself in that record's document.

use super::tests::record;
use super::*;
use crate::index::authorities::Authorities;
use crate::index::query::Notice;
use crate::model::access::Viewer;
use crate::model::{
    Artisan, ArtisanId, Honour, HonourScheme, Ocop, Product, ProductId, Role, SCHEMA_VERSION,
};

/// A synthetic artisan holding `titles`.
pub(super) fn artisan(id: &str, name: &str, titles: &[&str]) -> Artisan {
    Artisan {
        schema: SCHEMA_VERSION,
        id: ArtisanId::parse(id).unwrap(),
        name: name.to_string(),
        name_en: None,
        village: None,
        crafts: Vec::new(),
        born: None,
        died: None,
        description: BTreeMap::new(),
        access: Access::Researchers,
        honours: titles
            .iter()
            .map(|title| Honour {
                title: title.to_string(),
                scheme: HonourScheme::Decree43_2024,
                awarded_by: None,
                decision: None,
                date: None,
            })
            .collect(),
    }
}

/// A synthetic product of `access` rated `stars` (none: unrated).
pub(super) fn product(id: &str, name: &str, stars: Option<u8>, access: Access) -> Product {
    Product {
        schema: SCHEMA_VERSION,
        id: ProductId::parse(id).unwrap(),
        name: name.to_string(),
        name_en: None,
        village: None,
        craft: None,
        producer: None,
        ocop: stars.map(|stars| Ocop {
            group: None,
            stars,
            score: None,
            certificate: None,
            issued: None,
            expires: None,
            level: None,
        }),
        access,
    }
}

/// Authorities of two artisans and three products (one of them restricted).
pub(super) fn authorities() -> Authorities {
    let mut names = Authorities::default();
    for a in [
        artisan(
            "nghe-nhan-1",
            "Nghệ nhân thử nghiệm 1",
            &["Nghệ nhân Ưu tú"],
        ),
        artisan("nghe-nhan-2", "Nghệ nhân thử nghiệm 2", &[]),
    ] {
        names.artisans.insert(a.id.to_string(), a);
    }
    for p in [
        product("trong-thu", "Trống thử nghiệm", Some(4), Access::Public),
        product("lua-thu", "Lụa thử nghiệm", Some(3), Access::Researchers),
        product("kin-thu", "Sản phẩm kín", Some(5), Access::Restricted),
    ] {
        names.products.insert(p.id.to_string(), p);
    }
    let mut village = crate::model::Village::new(
        crate::model::VillageId::parse("lang-thu-1").unwrap(),
        "Làng thử 1",
    );
    village.province = Some("Hà Nam".into());
    village.province_2025 = Some("Ninh Bình".into());
    names.villages.insert(village.id.to_string(), village);
    names
}

/// Record `id` of `access` naming `artisans` and `products`.
pub(super) fn linked(id: &str, access: Access, artisans: &[&str], products: &[&str]) -> Record {
    let mut r = record(id, &format!("Bản ghi thử {id}"), access);
    r.artisans = artisans
        .iter()
        .map(|a| ArtisanId::parse(a).unwrap())
        .collect();
    r.products = products
        .iter()
        .map(|p| ProductId::parse(p).unwrap())
        .collect();
    r
}

/// A public and everyone index pair holding `records`, named through `names`.
pub(super) fn pair_of(names: &Authorities, records: &[Record]) -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().unwrap();
    let index =
        SearchIndex::open_pair(&dir.path().join("search"), &dir.path().join("search-all")).unwrap();
    let mut indexer = index.indexer().unwrap();
    for r in records {
        indexer.put(r, "v1|-|-", names, "").unwrap();
    }
    indexer.commit().unwrap();
    index.reload().unwrap();
    (dir, index)
}

/// A public and everyone index pair holding the sample records.
fn pair() -> (tempfile::TempDir, SearchIndex) {
    let records: Vec<Record> = [
        linked("pub-1", Access::Public, &["nghe-nhan-1"], &["trong-thu"]),
        // A public record showing a researchers' product and a restricted one.
        linked(
            "pub-2",
            Access::Public,
            &["nghe-nhan-1", "nghe-nhan-2"],
            &["lua-thu", "kin-thu"],
        ),
        linked("res-1", Access::Researchers, &["nghe-nhan-1"], &["lua-thu"]),
        linked("sec-1", Access::Restricted, &["nghe-nhan-2"], &["kin-thu"]),
    ]
    .into_iter()
    .map(|mut r| {
        if r.id.as_str() != "pub-2" {
            r.village = Some(crate::model::VillageId::parse("lang-thu-1").unwrap());
        }
        r
    })
    .collect();
    pair_of(&authorities(), &records)
}

pub(super) fn viewer(role: Role) -> Viewer {
    Viewer::Account {
        role,
        groups: Default::default(),
    }
}

/// The ids `viewer` finds narrowing to `artisan` or `product`.
pub(super) fn found(
    index: &SearchIndex,
    viewer: &Viewer,
    artisan: Option<&str>,
    product: Option<&str>,
) -> Vec<String> {
    let scoped = index.for_viewer(viewer).unwrap();
    let index = scoped.as_ref().unwrap_or(index);
    let results = index
        .search(&SearchQuery {
            artisan: artisan.map(str::to_string),
            product: product.map(str::to_string),
            page: 1,
            ..SearchQuery::default()
        })
        .unwrap();
    assert_eq!(results.total, results.hits.len());
    let mut ids: Vec<String> = results.hits.into_iter().map(|h| h.id).collect();
    ids.sort();
    ids
}

#[test]
fn the_works_of_an_artisan_are_the_records_the_viewer_may_see() {
    let (_dir, index) = pair();
    let anonymous = Viewer::Anonymous;
    let researcher = viewer(Role::Researcher);
    let archivist = viewer(Role::Archivist);
    assert_eq!(
        found(&index, &anonymous, Some("nghe-nhan-1"), None),
        ["pub-1", "pub-2"]
    );
    assert_eq!(
        found(&index, &researcher, Some("nghe-nhan-1"), None),
        ["pub-1", "pub-2", "res-1"]
    );
    assert_eq!(
        found(&index, &anonymous, Some("nghe-nhan-2"), None),
        ["pub-2"]
    );
    assert_eq!(
        found(&index, &archivist, Some("nghe-nhan-2"), None),
        ["pub-2", "sec-1"]
    );
    assert!(found(&index, &archivist, Some("nghe-nhan-9"), None).is_empty());
}

#[test]
fn a_product_finds_the_records_naming_it_only_for_viewers_who_may_see_it() {
    let (_dir, index) = pair();
    let anonymous = Viewer::Anonymous;
    let researcher = viewer(Role::Researcher);
    let archivist = viewer(Role::Archivist);
    assert_eq!(
        found(&index, &anonymous, None, Some("trong-thu")),
        ["pub-1"]
    );
    // pub-2 is public and names a researchers' product: an anonymous visitor does not find it
    // by that product (nor learn the product exists); a researcher does.
    assert!(found(&index, &anonymous, None, Some("lua-thu")).is_empty());
    assert_eq!(
        found(&index, &researcher, None, Some("lua-thu")),
        ["pub-2", "res-1"]
    );
    assert!(found(&index, &researcher, None, Some("kin-thu")).is_empty());
    assert_eq!(
        found(&index, &archivist, None, Some("kin-thu")),
        ["pub-2", "sec-1"]
    );
    // Both filters hold together.
    assert_eq!(
        found(&index, &researcher, Some("nghe-nhan-2"), Some("lua-thu")),
        ["pub-2"]
    );
    // The researcher's scope admits the researchers' product's rule, not the restricted one's;
    // viewers seeing the same products share a scope.
    let scoped = index.for_viewer(&researcher).unwrap().unwrap();
    assert_eq!(
        scoped.scope().unwrap().key(),
        "product:researchers|public|researchers"
    );
}

#[test]
fn facets_count_artisans_titles_products_and_stars_per_viewer() {
    let (_dir, index) = pair();
    let all = index.search(&SearchQuery::default()).unwrap();
    let counts = |name: &str| format!("{:?}", all.facets[name]);
    assert_eq!(counts("artisan"), r#"{"nghe-nhan-1": 2, "nghe-nhan-2": 1}"#);
    assert_eq!(counts("title"), r#"{"nghe-nhan-uu-tu": 2}"#);
    assert_eq!(counts("product"), r#"{"trong-thu": 1}"#);
    assert_eq!(counts("stars"), r#"{"4": 1}"#);
    let archivist = index.for_viewer(&viewer(Role::Archivist)).unwrap().unwrap();
    let all = archivist.search(&SearchQuery::default()).unwrap();
    let counts = |name: &str| format!("{:?}", all.facets[name]);
    // pub-2 is public and names the researchers' and the restricted product: counted for the
    // archivist, who may see both, as the product filter finds it (see `facet_tests`).
    assert_eq!(
        counts("product"),
        r#"{"kin-thu": 2, "lua-thu": 2, "trong-thu": 1}"#
    );
    assert_eq!(counts("stars"), r#"{"3": 2, "4": 1, "5": 2}"#);
}

#[test]
fn records_citing_an_artisan_or_a_product_are_found_for_reindexing() {
    let (_dir, index) = pair();
    // The writers' view: every record naming it, shown or not.
    assert_eq!(
        index.citing("urn:disan:artisan:nghe-nhan-2").unwrap(),
        ["pub-2"]
    );
    assert_eq!(
        index.citing("urn:disan:product:kin-thu").unwrap(),
        ["pub-2"]
    );
    let documents = index.documents().unwrap();
    assert_eq!(documents["pub-2"].artisans, ["nghe-nhan-1", "nghe-nhan-2"]);
    assert_eq!(documents["pub-2"].products, ["lua-thu", "kin-thu"]);
    assert_eq!(documents["pub-1"].products, ["trong-thu"]);
}

/// The ids `viewer` (`None`: anonymous) finds for `text`, sorted.
pub(super) fn searched(index: &SearchIndex, viewer: Option<Role>, text: &str) -> Vec<String> {
    let scoped = viewer.and_then(|role| index.for_viewer(&self::viewer(role)).unwrap());
    let index = scoped.as_ref().unwrap_or(index);
    let results = index
        .search(&SearchQuery {
            text: text.to_string(),
            page: 1,
            ..SearchQuery::default()
        })
        .unwrap();
    let mut ids: Vec<String> = results.hits.into_iter().map(|h| h.id).collect();
    ids.sort();
    ids
}

#[test]
fn artisan_finds_by_id_or_name_with_or_without_diacritics() {
    let (_dir, index) = pair();
    for typed in [
        "artisan:nghe-nhan-1",
        r#"artisan:"Nghệ nhân thử nghiệm 1""#,
        r#"artisan:"nghe nhan thu nghiem 1""#,
        "artisan:\"Nghe\u{0323}\u{0302} nha\u{0302}n thu\u{031b}\u{0309} nghie\u{0323}\u{0302}m 1\"",
        r#"nghệ-nhân:"NGHỆ NHÂN THỬ NGHIỆM 1""#,
    ] {
        assert_eq!(searched(&index, None, typed), ["pub-1", "pub-2"], "{typed}");
    }
    assert_eq!(
        searched(&index, Some(Role::Researcher), "artisan:nghe-nhan-1"),
        ["pub-1", "pub-2", "res-1"]
    );
    // Free text finds records by their artisans' names too.
    assert_eq!(
        searched(&index, None, "thu nghiem 2"),
        ["pub-2"],
        "by the artisan's name"
    );
}

#[test]
fn title_finds_records_of_artisans_holding_it() {
    let (_dir, index) = pair();
    for typed in [
        r#"title:"Nghệ nhân Ưu tú""#,
        r#"title:"nghe nhan uu tu""#,
        r#"danh-hiệu:"Ưu tú""#,
    ] {
        assert_eq!(searched(&index, None, typed), ["pub-1", "pub-2"], "{typed}");
    }
    assert!(searched(&index, None, r#"title:"Nghệ nhân Nhân dân""#).is_empty());
}

#[test]
fn stars_and_products_find_only_products_the_viewer_may_see() {
    let (_dir, index) = pair();
    assert_eq!(searched(&index, None, "stars:4"), ["pub-1"]);
    assert_eq!(searched(&index, None, "stars:>=3"), ["pub-1"]);
    assert!(searched(&index, None, "stars:3").is_empty());
    // pub-2 is public and shows a researchers' 3-star product and a restricted 5-star one:
    // found by stars by whoever may see the product (as the product filter lists it).
    assert_eq!(
        searched(&index, Some(Role::Researcher), "stars:>=3"),
        ["pub-1", "pub-2", "res-1"]
    );
    assert_eq!(
        searched(&index, Some(Role::Researcher), "stars:5"),
        Vec::<String>::new()
    );
    assert_eq!(
        searched(&index, Some(Role::Archivist), "stars:[3 TO 5]"),
        ["pub-1", "pub-2", "res-1", "sec-1"]
    );
    assert_eq!(
        searched(&index, Some(Role::Archivist), "stars:5"),
        ["pub-2", "sec-1"]
    );
    // Inclusive ranges with an open or excluded side, as dates take them (fix14 point 4).
    for typed in [
        "stars:[3 TO *]",
        "stars:3..",
        "stars:3..5",
        "stars:{2 TO *]",
    ] {
        assert_eq!(
            searched(&index, Some(Role::Archivist), typed),
            ["pub-1", "pub-2", "res-1", "sec-1"],
            "{typed}"
        );
        assert_eq!(searched(&index, None, typed), ["pub-1"], "{typed}");
    }
    for typed in ["stars:[* TO 3]", "stars:..3", "stars:[3 TO 4}"] {
        assert_eq!(
            searched(&index, Some(Role::Researcher), typed),
            ["pub-2", "res-1"],
            "{typed}"
        );
    }
    assert_eq!(
        searched(&index, None, r#"product:"trong thu nghiem""#),
        ["pub-1"]
    );
    assert_eq!(searched(&index, None, "trống thử nghiệm"), ["pub-1"]);
    // A restricted product's name finds nothing for anyone else, as field or as words.
    for viewer in [None, Some(Role::Researcher)] {
        assert!(searched(&index, viewer, r#"product:"Sản phẩm kín""#).is_empty());
        assert!(searched(&index, viewer, "kín").is_empty());
    }
    assert_eq!(
        searched(&index, Some(Role::Archivist), r#"product:"Sản phẩm kín""#),
        ["pub-2", "sec-1"]
    );
}

/// Break14 finding 8: plain words find a record by the name of a product narrower than the
/// record for a viewer who may see that product, as `product:` does; for no one else.
#[test]
fn plain_words_find_a_guarded_products_name_for_its_viewers() {
    let (_dir, index) = pair();
    assert_eq!(
        searched(&index, Some(Role::Archivist), "kín"),
        ["pub-2", "sec-1"]
    );
    assert_eq!(
        searched(&index, Some(Role::Researcher), "lụa"),
        ["pub-2", "res-1"]
    );
    assert!(searched(&index, None, "lụa").is_empty());
    assert!(searched(&index, Some(Role::Researcher), "kín").is_empty());
}

/// The results and notices `viewer` (`None`: anonymous) gets for `text`, ids sorted.
pub(super) fn answered(
    index: &SearchIndex,
    viewer: Option<Role>,
    text: &str,
) -> (Vec<String>, Vec<Notice>) {
    let scoped = viewer.and_then(|role| index.for_viewer(&self::viewer(role)).unwrap());
    let index = scoped.as_ref().unwrap_or(index);
    let results = index
        .search(&SearchQuery {
            text: text.to_string(),
            page: 1,
            ..SearchQuery::default()
        })
        .unwrap();
    let mut ids: Vec<String> = results.hits.into_iter().map(|h| h.id).collect();
    ids.sort();
    (ids, results.notices)
}

/// break14b F4: `product:` (by id or by name) and `stars:` find, for a viewer who may see a
/// product narrower than the records naming it, what the `product=` filter lists, with no
/// notice; a viewer who may not see it gets exactly the answer of a product that does not
/// exist.
#[test]
fn product_and_stars_queries_agree_with_the_product_filter() {
    let (_dir, index) = pair();
    for (role, product, typed, records) in [
        (
            Role::Researcher,
            "lua-thu",
            "product:lua-thu",
            vec!["pub-2", "res-1"],
        ),
        (
            Role::Researcher,
            "lua-thu",
            r#"product:"Lụa thử nghiệm""#,
            vec!["pub-2", "res-1"],
        ),
        (
            Role::Researcher,
            "lua-thu",
            r#"product:"lua thu""#,
            vec!["pub-2", "res-1"],
        ),
        (
            Role::Researcher,
            "lua-thu",
            "stars:3",
            vec!["pub-2", "res-1"],
        ),
        (
            Role::Archivist,
            "kin-thu",
            "product:kin-thu",
            vec!["pub-2", "sec-1"],
        ),
        (
            Role::Archivist,
            "kin-thu",
            r#"sản-phẩm:"SẢN PHẨM KÍN""#,
            vec!["pub-2", "sec-1"],
        ),
        (
            Role::Archivist,
            "kin-thu",
            "stars:5",
            vec!["pub-2", "sec-1"],
        ),
    ] {
        assert_eq!(found(&index, &viewer(role), None, Some(product)), records);
        let (ids, notices) = answered(&index, Some(role), typed);
        assert_eq!(ids, records, "{role:?} {typed}");
        assert!(notices.is_empty(), "{role:?} {typed}: {notices:?}");
    }
    // Viewers who may not see the product: the answer of an unknown product, notice and all.
    let unknown = |name: &str| {
        (
            Vec::<String>::new(),
            vec![
                Notice::NoSuchPlace {
                    field: crate::index::query::PlaceField::Product,
                    name: name.to_string(),
                },
                Notice::NoneHold {
                    words: vec![name.to_string()],
                },
            ],
        )
    };
    for viewer in [None, Some(Role::Researcher)] {
        assert_eq!(
            answered(&index, viewer, "product:kin-thu"),
            unknown("kin-thu")
        );
        assert_eq!(
            answered(&index, viewer, "product:kin-thv"),
            unknown("kin-thv")
        );
    }
    assert_eq!(
        answered(&index, None, "product:lua-thu"),
        unknown("lua-thu")
    );
    // Stars of products a viewer may not see: the answer of stars no product holds.
    let none = (Vec::<String>::new(), vec![Notice::NoFieldMatch]);
    assert_eq!(answered(&index, None, "stars:3"), none);
    assert_eq!(answered(&index, None, "stars:5"), none);
    assert_eq!(answered(&index, Some(Role::Researcher), "stars:5"), none);
    assert_eq!(answered(&index, Some(Role::Archivist), "stars:1"), none);
    assert_eq!(
        answered(&index, None, "stars:>=3"),
        (vec!["pub-1".to_string()], Vec::new())
    );
}

/// break14b F5: `artisan:"full name"` is the artisan of that name, whatever its case,
/// diacritics or Unicode form, not every artisan whose name holds it; the id still works; one
/// word is a word of a name.
#[test]
fn artisan_full_name_is_that_artisan_alone() {
    let mut names = authorities();
    let bis = artisan("nghe-nhan-1-bis", "Nghệ nhân thử nghiệm 1 Bis", &[]);
    names.artisans.insert(bis.id.to_string(), bis);
    let (_dir, index) = pair_of(
        &names,
        &[
            linked("pub-1", Access::Public, &["nghe-nhan-1"], &[]),
            linked("pub-2", Access::Public, &["nghe-nhan-2"], &[]),
            linked("pub-bis", Access::Public, &["nghe-nhan-1-bis"], &[]),
        ],
    );
    for typed in [
        r#"artisan:"Nghệ nhân thử nghiệm 1""#,
        r#"artisan:"nghe nhan thu nghiem 1""#,
        r#"artisan:"NGHỆ NHÂN THỬ NGHIỆM 1""#,
        "artisan:\"Nghe\u{0323}\u{0302} nha\u{0302}n thu\u{031b}\u{0309} nghie\u{0323}\u{0302}m 1\"",
        "artisan:nghe-nhan-1",
    ] {
        assert_eq!(
            answered(&index, None, typed),
            (vec!["pub-1".to_string()], Vec::new()),
            "{typed}"
        );
    }
    assert_eq!(
        answered(&index, None, r#"artisan:"Nghệ nhân thử nghiệm 1 Bis""#),
        (vec!["pub-bis".to_string()], Vec::new())
    );
    // A word of a name: every artisan holding it.
    assert_eq!(
        answered(&index, None, "artisan:Bis"),
        (vec!["pub-bis".to_string()], Vec::new())
    );
    assert_eq!(
        searched(&index, None, "artisan:nghiệm"),
        ["pub-1", "pub-2", "pub-bis"]
    );
    // Part of a name, quoted, is no artisan's name: the notice, and its words searched.
    let (_, notices) = answered(&index, None, r#"artisan:"thử nghiệm 1""#);
    assert_eq!(
        notices,
        [Notice::NoSuchPlace {
            field: crate::index::query::PlaceField::Artisan,
            name: "thử nghiệm 1".into()
        }]
    );
}

/// break14b F6: a word found with its tones only in an artisan's or a product's name is found
/// as written: no "nothing contains" notice, and it ranks as an exact match.
#[test]
fn words_of_artisan_and_product_names_match_with_their_tones() {
    let (_dir, index) = pair();
    for (typed, records) in [
        ("nghiệm", vec!["pub-1", "pub-2"]),
        ("Nghệ nhân thử nghiệm 2", vec!["pub-2"]),
        ("trống", vec!["pub-1"]),
    ] {
        let (ids, notices) = answered(&index, None, typed);
        assert_eq!(ids, records, "{typed}");
        assert!(notices.is_empty(), "{typed}: {notices:?}");
    }
}

#[test]
fn province_finds_the_old_and_the_new_name() {
    let (_dir, index) = pair();
    for typed in [
        r#"province:"Hà Nam""#,
        r#"province:"Ninh Bình""#,
        r#"tỉnh:"tỉnh ninh binh""#,
        "province:ha-nam",
    ] {
        assert_eq!(searched(&index, None, typed), ["pub-1"], "{typed}");
    }
    assert_eq!(
        searched(&index, Some(Role::Archivist), r#"province:"Hà Nam""#),
        ["pub-1", "res-1", "sec-1"]
    );
    let results = index.search(&SearchQuery::default()).unwrap();
    assert_eq!(
        format!("{:?}", results.facets["province"]),
        r#"{"ha-nam": 1, "ninh-binh": 1}"#
    );
}
