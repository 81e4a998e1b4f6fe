//! Tests of searching by a record's place (issue 14's addresses): `commune:` (`xã:`) by the
//! documented or the 2025 commune, the commune facet, and the place names (commune, district,
//! province, before and after 1 July 2025) found as free text at a weight below any title
//! match; records a viewer may not see give nothing of their village's address.

use super::vocabulary_tests::{linked, pair_of, viewer};
use super::*;
use crate::index::authorities::Authorities;
use crate::index::query::{Notice, PlaceField};
use crate::model::access::Viewer;
use crate::model::{Role, Village, VillageId};

/// A village of `id` with its address as documented (`commune`, `district`, `province`) and
/// after 1 July 2025 (`commune_2025`, `province_2025`).
fn village(id: &str, name: &str, documented: [&str; 3], reformed: [&str; 2]) -> Village {
    let mut village = Village::new(VillageId::parse(id).unwrap(), name);
    let [commune, district, province] = documented.map(|s| Some(s.to_string()));
    village.commune = commune;
    village.district = district;
    village.province = province;
    let [commune_2025, province_2025] = reformed.map(|s| Some(s.to_string()));
    village.commune_2025 = commune_2025;
    village.province_2025 = province_2025;
    village
}

/// A public, a researchers' and a restricted record of villages in two communes, and a public
/// record titled with the commune's name and citing no village.
fn places() -> (tempfile::TempDir, SearchIndex) {
    let mut names = Authorities::default();
    for v in [
        village(
            "lang-thu-1",
            "Làng thử 1",
            ["Chuyên Ngoại", "Duy Tiên", "Hà Nam"],
            ["Xã thử mới 1", "Ninh Bình"],
        ),
        // Only a restricted record is of this village: its address is seen by archivists alone.
        village(
            "lang-thu-kin",
            "Làng thử kín",
            ["Xã thử kín", "Huyện thử kín", "Tỉnh thử kín"],
            ["Xã thử kín mới", "Tỉnh thử kín mới"],
        ),
    ] {
        names.villages.insert(v.id.to_string(), v);
    }
    let of = |id: &str, access: Access, village: Option<&str>| {
        let mut record = linked(id, access, &[], &[]);
        record.village = village.map(|v| VillageId::parse(v).unwrap());
        record
    };
    let mut titled = of("tieu-de", Access::Public, None);
    titled.dc.get_mut("title").unwrap()[0].value = "Chuyên Ngoại xưa và nay".to_string();
    let records = [
        of("pub-1", Access::Public, Some("lang-thu-1")),
        of("res-1", Access::Researchers, Some("lang-thu-1")),
        of("sec-1", Access::Restricted, Some("lang-thu-kin")),
        titled,
    ];
    pair_of(&names, &records)
}

/// The ids `viewer` finds for `text` in their order, and the notices.
fn ranked(index: &SearchIndex, viewer: &Viewer, text: &str) -> (Vec<String>, Vec<Notice>) {
    let scoped = index.for_viewer(viewer).unwrap();
    let index = scoped.as_ref().unwrap_or(index);
    let results = index
        .search(&SearchQuery {
            text: text.to_string(),
            page: 1,
            ..SearchQuery::default()
        })
        .unwrap();
    assert_eq!(results.total, results.hits.len(), "{text}");
    (
        results.hits.into_iter().map(|h| h.id).collect(),
        results.notices,
    )
}

/// The ids `viewer` finds for `text`, sorted.
fn sorted(index: &SearchIndex, viewer: &Viewer, text: &str) -> Vec<String> {
    let (mut ids, _) = ranked(index, viewer, text);
    ids.sort();
    ids
}

#[test]
fn commune_finds_the_documented_and_the_2025_commune_however_typed() {
    let (_dir, index) = places();
    let anonymous = Viewer::Anonymous;
    for typed in [
        r#"commune:"Chuyên Ngoại""#,
        r#"commune:"chuyen ngoai""#,
        r#"commune:"CHUYÊN NGOẠI""#,
        "commune:chuyen-ngoai",
        r#"xã:"Chuyên Ngoại""#,
        r#"xa:"chuyen ngoai""#,
        r#"xã:"xã Chuyên Ngoại""#,
        // NFD, the field name too.
        "xa\u{0303}:\"Chuye\u{0302}n Ngoa\u{0323}i\"",
        r#"commune:"Xã thử mới 1""#,
        r#"xã:"xa thu moi 1""#,
    ] {
        let (ids, notices) = ranked(&index, &anonymous, typed);
        assert_eq!(ids, ["pub-1"], "{typed}");
        assert!(notices.is_empty(), "{typed}: {notices:?}");
    }
    assert_eq!(
        sorted(&index, &viewer(Role::Researcher), r#"xã:"Chuyên Ngoại""#),
        ["pub-1", "res-1"]
    );
}

#[test]
fn place_names_are_free_text_of_the_records_of_the_village_below_a_title_match() {
    let (_dir, index) = places();
    let anonymous = Viewer::Anonymous;
    // The record titled so first, then the record of a village in that commune.
    for typed in [
        "Chuyên Ngoại",
        "chuyen ngoai",
        "CHUYEN NGOAI",
        "\"Chuyên Ngoại\"",
        "Chuye\u{0302}n Ngoa\u{0323}i",
    ] {
        let (ids, notices) = ranked(&index, &anonymous, typed);
        assert_eq!(ids, ["tieu-de", "pub-1"], "{typed}");
        assert!(notices.is_empty(), "{typed}: {notices:?}");
    }
    // The district, the provinces before and after 1 July 2025, the 2025 commune.
    for typed in [
        "Duy Tiên",
        "duy tien",
        "Hà Nam",
        "Ninh Bình",
        "ninh binh",
        "\"Xã thử mới 1\"",
    ] {
        let (ids, notices) = ranked(&index, &anonymous, typed);
        assert_eq!(ids, ["pub-1"], "{typed}");
        assert!(notices.is_empty(), "{typed}: {notices:?}");
    }
    assert_eq!(
        sorted(&index, &viewer(Role::Researcher), "ninh binh"),
        ["pub-1", "res-1"]
    );
}

#[test]
fn the_address_of_a_village_only_hidden_records_cite_is_found_by_nobody_else() {
    let (_dir, index) = places();
    for viewer in [Viewer::Anonymous, viewer(Role::Researcher)] {
        for typed in ["Xã thử kín", "\"Tỉnh thử kín mới\"", "huyen thu kin"] {
            assert!(sorted(&index, &viewer, typed).is_empty(), "{typed}");
        }
        // The answer of a commune that does not exist.
        let (ids, notices) = ranked(&index, &viewer, r#"commune:"Xã thử kín""#);
        assert!(ids.is_empty());
        assert_eq!(
            notices[0],
            Notice::NoSuchPlace {
                field: PlaceField::Commune,
                name: "Xã thử kín".into()
            }
        );
    }
    let archivist = viewer(Role::Archivist);
    for typed in [
        "Xã thử kín",
        "\"Tỉnh thử kín mới\"",
        "huyen thu kin",
        r#"commune:"Xã thử kín mới""#,
    ] {
        assert_eq!(sorted(&index, &archivist, typed), ["sec-1"], "{typed}");
    }
}

#[test]
fn the_commune_facet_counts_what_choosing_it_finds_for_each_viewer() {
    let (_dir, index) = places();
    for (viewer, expected) in [
        (
            Viewer::Anonymous,
            r#"{"chuyen-ngoai": 1, "xa-thu-moi-1": 1}"#,
        ),
        (
            viewer(Role::Researcher),
            r#"{"chuyen-ngoai": 2, "xa-thu-moi-1": 2}"#,
        ),
        (
            viewer(Role::Archivist),
            r#"{"chuyen-ngoai": 2, "xa-thu-kin": 1, "xa-thu-kin-moi": 1, "xa-thu-moi-1": 2}"#,
        ),
    ] {
        let scoped = index.for_viewer(&viewer).unwrap();
        let index = scoped.as_ref().unwrap_or(&index);
        let all = index.search(&SearchQuery::default()).unwrap();
        assert_eq!(
            format!("{:?}", all.facets["commune"]),
            expected,
            "{viewer:?}"
        );
        for (value, count) in &all.facets["commune"] {
            let chosen = index
                .search(&SearchQuery {
                    facet_filters: vec![("commune".into(), value.clone())],
                    ..SearchQuery::default()
                })
                .unwrap();
            assert_eq!(chosen.total as u64, *count, "{viewer:?} {value}");
            // Counted disjunctively: choosing one keeps the others' counts.
            assert_eq!(chosen.facets["commune"], all.facets["commune"]);
        }
    }
}
