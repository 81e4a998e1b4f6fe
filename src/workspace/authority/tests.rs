//! Authorities to their forms and back through ingest's parsers, on the vocabulary fixture's
//! own files: every authority comes back equal, and a wrong cell is refused under its field
//! with ingest's message.

use super::sheets::honour_field;
use super::*;
use crate::ingest::authority;
use crate::model::{Artisan, Craft, Product, Village};

/// The vocabulary fixture's authority file `name`.
fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/batches/vocabulary/metadata")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

/// The fixture's authorities as ingest reads them (honours joined to their artisans).
fn known() -> Authorities {
    let mut known = Authorities::default();
    for craft in authority::parse_crafts("metadata/crafts.csv", &fixture("crafts.csv")).items {
        known.crafts.insert(craft.id.clone(), craft);
    }
    let villages =
        authority::parse_villages("metadata/villages.csv", &fixture("villages.csv"), &known);
    for village in villages.items {
        known.villages.insert(village.id.clone(), village);
    }
    let artisans =
        authority::parse_artisans("metadata/artisans.csv", &fixture("artisans.csv"), &known);
    for artisan in artisans.items {
        known.artisans.insert(artisan.id.clone(), artisan);
    }
    let honours = authority::parse_honours(HONOURS_FILE, &fixture("honours.csv"), &known);
    for row in honours.items {
        if let Some(artisan) = known.artisans.get_mut(&row.artisan) {
            artisan.honours.push(row.honour);
        }
    }
    let products =
        authority::parse_products("metadata/products.csv", &fixture("products.csv"), &known);
    for product in products.items {
        known.products.insert(product.id.clone(), product);
    }
    assert_eq!(
        (
            known.villages.len(),
            known.artisans.len(),
            known.products.len()
        ),
        (3, 3, 5)
    );
    known
}

/// `item` through its form and back equals itself.
fn round_trip<T: Authority + std::fmt::Debug>(item: &T, known: &Authorities) {
    let (back, checked) = T::from_sheet(&item.id_text(), &item.sheet(), known)
        .unwrap_or_else(|checked| panic!("{} refused: {checked:?}", item.id_text()));
    assert_eq!(&back, item);
    assert!(checked.errors.is_empty());
}

#[test]
fn every_authority_goes_to_its_form_and_back_unchanged() {
    let known = known();
    for village in known.villages.values() {
        round_trip::<Village>(village, &known);
    }
    for craft in known.crafts.values() {
        round_trip::<Craft>(craft, &known);
    }
    for artisan in known.artisans.values() {
        round_trip::<Artisan>(artisan, &known);
    }
    let first = &known.artisans[&crate::model::ArtisanId::parse("nghe-nhan-thu-1").unwrap()];
    assert_eq!(
        first.honours.len(),
        3,
        "honours travel on the artisan's form"
    );
    for product in known.products.values() {
        round_trip::<Product>(product, &known);
    }
    let village = known.villages.values().next().unwrap().sheet();
    assert_eq!(
        village
            .row
            .keys()
            .map(String::as_str)
            .collect::<BTreeSet<_>>(),
        Kind::Village.columns().into_iter().collect::<BTreeSet<_>>(),
        "the form's fields are the file's columns"
    );
    assert_eq!(village.cell("recognised"), "TEST-0001/QĐ-UBND; 2006-05-12");
}

#[test]
fn a_wrong_cell_is_refused_under_its_field_with_ingests_message() {
    let known = known();
    let village = known.villages.values().next().unwrap();
    let mut sheet = village.sheet();
    sheet.row.insert("latitude".into(), "20,5".into());
    sheet.row.insert("longitude".into(), "105.9".into());
    sheet.row.insert("crafts".into(), "nghe-khong-co".into());
    let checked = Village::from_sheet(&village.id_text(), &sheet, &known).unwrap_err();
    assert!(
        checked.errors["latitude"][0]
            .english
            .contains("decimal comma"),
        "{checked:?}"
    );
    assert!(
        checked.errors["crafts"][0]
            .english
            .contains("nghe-khong-co")
    );

    let product = known.products.values().next().unwrap();
    let mut sheet = product.sheet();
    sheet.row.insert("ocop_stars".into(), "6".into());
    let checked = Product::from_sheet(&product.id_text(), &sheet, &known).unwrap_err();
    assert_eq!(
        checked.errors["ocop_stars"]
            .iter()
            .map(|m| m.english.as_str())
            .collect::<Vec<_>>(),
        ["'6' stars do not exist: an OCOP rating has 1 to 5 stars"]
    );

    let artisan = known.artisans.values().next().unwrap();
    let mut sheet = artisan.sheet();
    sheet.honours[1].insert("date".into(), "May 2019".into());
    sheet.honours[0].insert("scheme".into(), "decree-1".into());
    let checked = Artisan::from_sheet(&artisan.id_text(), &sheet, &known).unwrap_err();
    assert!(
        checked.errors[&honour_field(2, "date")][0]
            .english
            .contains("May 2019")
    );
    assert!(
        checked.errors[&honour_field(1, "scheme")][0]
            .english
            .contains("decree-1")
    );
    assert_eq!(checked.errors.len(), 2, "{checked:?}");
}

#[test]
fn a_posted_form_is_read_as_the_files_columns_with_honours_in_order() {
    let pairs = [
        ("id", "khac"),
        ("name", " Nghệ nhân "),
        ("access", "public"),
        ("csrf", "t"),
        ("title", "Nghệ nhân Ưu tú"),
        ("scheme", "decree-93-2023"),
        ("awarded_by", ""),
        ("decision", ""),
        ("date", "2024-08-30"),
        ("title", "Bỏ"),
        ("scheme", "association"),
        ("awarded_by", ""),
        ("decision", ""),
        ("date", ""),
        ("title", ""),
        ("scheme", ""),
        ("awarded_by", ""),
        ("decision", ""),
        ("date", ""),
        ("remove_honour", "2"),
    ];
    let sheet = Sheet::from_pairs(Kind::Artisan, pairs);
    assert_eq!(sheet.cell("name"), "Nghệ nhân");
    assert!(!sheet.row.contains_key("id") && !sheet.row.contains_key("csrf"));
    assert_eq!(sheet.honours.len(), 1, "{sheet:?}");
    assert_eq!(sheet.honours[0]["date"], "2024-08-30");
    let village = Sheet::from_pairs(Kind::Village, [("title", "x"), ("name", "Làng")]);
    assert!(village.honours.is_empty() && !village.row.contains_key("title"));
}
