//! Tests that the product and stars facets agree with the filters for every viewer: a product
//! narrower in access than a record naming it is counted for a viewer who may see it (as
//! `product=`, `product:` and `stars:` find the record), once per record however many of its
//! products share a value, and never for a viewer who may not see it.

use super::vocabulary_tests::{authorities, linked, pair_of, product};
use super::*;
use crate::model::access::Viewer;
use crate::model::{GroupId, Role};

/// Viewers of every kind: anonymous, researcher, archivist, and a researcher who is a member
/// of community `a`.
fn viewers() -> [(&'static str, Viewer); 4] {
    let account = |role, groups: &[&str]| Viewer::Account {
        role,
        groups: groups.iter().map(|g| GroupId::parse(g).unwrap()).collect(),
    };
    [
        ("anonymous", Viewer::Anonymous),
        ("researcher", account(Role::Researcher, &[])),
        ("archivist", account(Role::Archivist, &[])),
        ("community member", account(Role::Researcher, &["a"])),
    ]
}

/// `vocabulary_tests`' products and records, with a 4-star product of community `a` that a
/// public record names beside a public 4-star one.
fn collection() -> (tempfile::TempDir, SearchIndex) {
    let mut names = authorities();
    let community: Access = "community:a".parse().unwrap();
    let ours = product(
        "cong-dong-thu",
        "Sản phẩm cộng đồng thử",
        Some(4),
        community,
    );
    names.products.insert(ours.id.to_string(), ours);
    let records = [
        linked("pub-1", Access::Public, &[], &["trong-thu"]),
        linked("pub-2", Access::Public, &[], &["lua-thu", "kin-thu"]),
        linked(
            "pub-3",
            Access::Public,
            &[],
            &["trong-thu", "cong-dong-thu"],
        ),
        linked("res-1", Access::Researchers, &[], &["lua-thu"]),
        linked("sec-1", Access::Restricted, &[], &["kin-thu"]),
    ];
    pair_of(&names, &records)
}

/// The search `viewer` runs.
fn search(index: &SearchIndex, viewer: &Viewer, query: SearchQuery) -> SearchResults {
    let scoped = index.for_viewer(viewer).unwrap();
    scoped.as_ref().unwrap_or(index).search(&query).unwrap()
}

/// `query` narrowed to value `value` of facet `name`, as the facet's link narrows it.
fn chosen(query: &SearchQuery, name: &str, value: &str) -> SearchQuery {
    let mut query = query.clone();
    match name {
        "product" => query.product = Some(value.to_string()),
        _ => query
            .facet_filters
            .push((name.to_string(), value.to_string())),
    }
    query
}

#[test]
fn product_and_stars_facets_count_what_choosing_them_finds_for_every_viewer() {
    let (_dir, index) = collection();
    let expected = |who: &str| match who {
        "anonymous" => (r#"{"trong-thu": 2}"#, r#"{"4": 2}"#),
        "researcher" => (r#"{"lua-thu": 2, "trong-thu": 2}"#, r#"{"3": 2, "4": 2}"#),
        "archivist" => (
            r#"{"cong-dong-thu": 1, "kin-thu": 2, "lua-thu": 2, "trong-thu": 2}"#,
            // pub-3 shows two 4-star products: one record, counted once.
            r#"{"3": 2, "4": 2, "5": 2}"#,
        ),
        _ => (
            r#"{"cong-dong-thu": 1, "lua-thu": 2, "trong-thu": 2}"#,
            r#"{"3": 2, "4": 2}"#,
        ),
    };
    // Matching everything (ordered by title), and words (ordered by relevance, rescored).
    for text in ["", "bản ghi thử", "thử"] {
        let query = SearchQuery {
            text: text.to_string(),
            page: 1,
            ..SearchQuery::default()
        };
        for (who, viewer) in viewers() {
            let all = search(&index, &viewer, query.clone());
            let counts = |name: &str| format!("{:?}", all.facets[name]);
            assert_eq!(
                (counts("product").as_str(), counts("stars").as_str()),
                expected(who),
                "{who} {text:?}"
            );
            for name in ["product", "stars"] {
                for (value, count) in &all.facets[name] {
                    let narrowed = search(&index, &viewer, chosen(&query, name, value));
                    assert_eq!(
                        narrowed.total as u64, *count,
                        "{who} {text:?} {name}={value}"
                    );
                    // Its own facet is counted as if nothing were chosen in it.
                    assert_eq!(
                        narrowed.facets[name], all.facets[name],
                        "{who} {name}={value}"
                    );
                    // And the other facet counts the records narrowed to, as it would choosing
                    // them another way.
                    let other = if name == "product" {
                        "stars"
                    } else {
                        "product"
                    };
                    for (value2, count2) in &narrowed.facets[other] {
                        let both = search(
                            &index,
                            &viewer,
                            chosen(&chosen(&query, name, value), other, value2),
                        );
                        assert_eq!(
                            both.total as u64, *count2,
                            "{who} {name}={value} {other}={value2}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn a_product_the_viewer_may_not_see_is_neither_counted_nor_listed() {
    let (_dir, index) = collection();
    for (who, viewer) in viewers() {
        let all = search(&index, &viewer, SearchQuery::default());
        let may_see = |access: &Access| viewer.may_see(access);
        for (id, access, stars) in [
            ("lua-thu", Access::Researchers, "3"),
            ("kin-thu", Access::Restricted, "5"),
            ("cong-dong-thu", "community:a".parse().unwrap(), "4"),
        ] {
            assert_eq!(
                all.facets["product"].contains_key(id),
                may_see(&access),
                "{who} {id}"
            );
            if !may_see(&access) {
                // Nothing narrows to it either: the answer of a product that does not exist.
                let narrowed = search(
                    &index,
                    &viewer,
                    chosen(&SearchQuery::default(), "product", id),
                );
                assert_eq!(narrowed.total, 0, "{who} {id}");
                if stars != "4" {
                    assert!(!all.facets["stars"].contains_key(stars), "{who} {stars}");
                }
            }
        }
        // The community's 4-star product adds no record to the 4 stars of those who may see
        // it (pub-3 already shows a public 4-star product), and no count to anyone else's.
        assert_eq!(all.facets["stars"].get("4"), Some(&2), "{who}");
    }
}
