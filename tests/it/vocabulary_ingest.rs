//! Issue 14's vocabulary in a batch: `artisans.csv`, `honours.csv`, `products.csv`, the new
//! `villages.csv` columns and the record columns `artisan`/`product`, ingested into OCFL objects
//! (`urn:disan:artisan:<id>`, `urn:disan:product:<id>`), copied into the index's authorities
//! file with each village's class history, and rebuilt by `reindex`.
//!
//! Fixtures: `vocabulary/` (valid; others reuse it), `vocabulary-broken/` (every refusal, each
//! message asserted whole), `vocabulary-broken-duplicates/` (ids given by two rows, and what
//! names them).

use std::fs;
use std::path::Path;

use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

use crate::support::{Workspace, ids, problems};

/// The authorities file the index keeps beside the search index.
fn authorities(workspace: &Workspace) -> Value {
    let text = fs::read_to_string(workspace.index().join("authorities.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn catalogue(workspace: &Workspace) -> disan::archive::Catalogue {
    disan::archive::Archive::open(&workspace.archive())
        .unwrap()
        .catalogue()
        .unwrap()
}

const AUTHORITIES_ADDED: [&str; 13] = [
    "urn:disan:artisan:nghe-nhan-thu-1",
    "urn:disan:artisan:nghe-nhan-thu-2",
    "urn:disan:artisan:nghe-nhan-thu-3",
    "urn:disan:craft:nghe-thu-1",
    "urn:disan:craft:nghe-thu-2",
    "urn:disan:product:san-pham-thu-3-sao",
    "urn:disan:product:san-pham-thu-4-sao",
    "urn:disan:product:san-pham-thu-5-sao",
    "urn:disan:product:san-pham-thu-han-che",
    "urn:disan:product:san-pham-thu-het-han",
    "urn:disan:village:lang-thu-1",
    "urn:disan:village:lang-thu-2",
    "urn:disan:village:lang-thu-3",
];

#[test]
fn the_valid_vocabulary_batch_is_archived_and_copied_to_the_index() {
    let workspace = Workspace::new();
    let batch = workspace.batch("vocabulary");
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(problems(&report), Vec::<String>::new());
    assert_eq!(ids(&report, "authorities", "added"), AUTHORITIES_ADDED);
    assert_eq!(
        ids(&report, "records", "added"),
        [
            "vocab-hai-nghe-nhan",
            "vocab-san-pham-han-che",
            "vocab-trinh-dien",
            "vocab-trong-thu"
        ]
    );

    // The archive: one object per artisan (honours inside) and per product.
    let catalogue = catalogue(&workspace);
    let artisan = |id: &str| &catalogue.artisans[&disan::model::ArtisanId::parse(id).unwrap()];
    let one = artisan("nghe-nhan-thu-1");
    assert_eq!(
        one.access,
        disan::model::Access::Researchers,
        "living, no access value"
    );
    assert_eq!(
        one.titles(),
        [
            "Nghệ nhân làng nghề Việt Nam",
            "Nghệ nhân Ưu tú",
            // Written `nghệ nhân nhân dân`: kept in the decrees' spelling.
            "Nghệ nhân Nhân dân"
        ]
    );
    let schemes: Vec<&str> = one.honours.iter().map(|h| h.scheme.as_str()).collect();
    assert_eq!(
        schemes,
        ["association", "decree-123-2014", "decree-43-2024"]
    );
    assert_eq!(one.honours[1].decision.as_deref(), Some("TEST-0102/QĐ-CTN"));
    assert_eq!(one.honours[1].date.as_ref().unwrap().as_str(), "2015-11-20");
    assert_eq!(
        artisan("nghe-nhan-thu-2").access,
        disan::model::Access::Public,
        "died 2015"
    );
    let two_crafts: Vec<&str> = artisan("nghe-nhan-thu-2")
        .crafts
        .iter()
        .map(|c| c.as_str())
        .collect();
    assert_eq!(two_crafts, ["nghe-thu-2", "nghe-thu-1"]);
    let three = artisan("nghe-nhan-thu-3");
    assert_eq!(three.access, disan::model::Access::Restricted);
    assert_eq!(
        three.village.as_ref().unwrap().as_str(),
        "lang-thu-1",
        "named by name"
    );
    assert_eq!(three.crafts[0].as_str(), "nghe-thu-1", "named by name");
    let product = |id: &str| &catalogue.products[&disan::model::ProductId::parse(id).unwrap()];
    let stars: Vec<(&str, u8)> = catalogue
        .products
        .values()
        .map(|p| (p.id.as_str(), p.ocop.as_ref().unwrap().stars))
        .collect();
    assert_eq!(
        stars,
        [
            ("san-pham-thu-3-sao", 3),
            ("san-pham-thu-4-sao", 4),
            ("san-pham-thu-5-sao", 5),
            ("san-pham-thu-han-che", 4),
            ("san-pham-thu-het-han", 3)
        ]
    );
    let today = disan::model::edtf::CalendarDate::new(2026, 12, 1).unwrap();
    let expired = product("san-pham-thu-het-han").ocop.as_ref().unwrap();
    assert_eq!(expired.is_expired(today), Some(true));
    let three_stars = product("san-pham-thu-3-sao").ocop.as_ref().unwrap();
    assert_eq!(three_stars.expires_on().unwrap().to_string(), "2028-09-01");
    assert_eq!(three_stars.level, Some(disan::model::OcopLevel::Commune));
    assert_eq!(
        product("san-pham-thu-han-che").access,
        disan::model::Access::Restricted
    );
    assert_eq!(
        product("san-pham-thu-4-sao").access,
        disan::model::Access::Public
    );
    let village = &catalogue.villages[&disan::model::VillageId::parse("lang-thu-1").unwrap()];
    assert_eq!(village.activity, Some(disan::model::Activity::Active));
    let recognised = village.recognised.as_ref().unwrap();
    assert_eq!(recognised.decision.as_deref(), Some("TEST-0001/QĐ-UBND"));
    assert_eq!(recognised.date.as_ref().unwrap().as_str(), "2006-05-12");
    assert_eq!(village.status_date.as_ref().unwrap().as_str(), "2019");
    assert_eq!(village.commune_2025.as_deref(), Some("Xã thử mới 1"));
    assert_eq!(village.province_2025.as_deref(), Some("Tỉnh thử mới"));
    let lost = &catalogue.villages[&disan::model::VillageId::parse("lang-thu-3").unwrap()];
    assert_eq!(lost.activity, Some(disan::model::Activity::Lost));
    assert_eq!(
        (
            lost.recognised.as_ref().unwrap().decision.as_deref(),
            lost.recognised.as_ref().unwrap().date.as_ref()
        ),
        (Some("TEST-0003/QĐ-UBND"), None)
    );

    // Records name their artisans and products, from the sheet (repeated columns, an id or a
    // name) and from front matter (a list).
    let names = |id: &str| {
        let record = crate::support::record(&workspace, id);
        let artisans: Vec<String> = record.artisans.iter().map(|a| a.to_string()).collect();
        let products: Vec<String> = record.products.iter().map(|p| p.to_string()).collect();
        (artisans, products)
    };
    assert_eq!(
        names("vocab-trong-thu"),
        (
            vec!["nghe-nhan-thu-1".to_string()],
            vec![
                "san-pham-thu-4-sao".to_string(),
                "san-pham-thu-3-sao".to_string()
            ]
        )
    );
    assert_eq!(
        names("vocab-hai-nghe-nhan").0,
        ["nghe-nhan-thu-1", "nghe-nhan-thu-2"]
    );
    assert_eq!(
        names("vocab-trinh-dien"),
        (
            vec!["nghe-nhan-thu-2".to_string(), "nghe-nhan-thu-3".to_string()],
            vec!["san-pham-thu-5-sao".to_string()]
        )
    );

    // The index's copy holds them all, and the villages' class history.
    let copy = authorities(&workspace);
    let keys =
        |field: &str| -> Vec<String> { copy[field].as_object().unwrap().keys().cloned().collect() };
    assert_eq!(
        keys("artisans"),
        ["nghe-nhan-thu-1", "nghe-nhan-thu-2", "nghe-nhan-thu-3"]
    );
    assert_eq!(keys("products").len(), 5);
    assert_eq!(keys("village_history"), ["lang-thu-1", "lang-thu-2"]);
    let history = &copy["village_history"]["lang-thu-2"];
    assert_eq!(history.as_array().unwrap().len(), 1);
    assert_eq!(history[0]["status"], "at-risk-revivable");
    assert_eq!(history[0]["status_date"], "2021-03");
    assert_eq!(history[0]["version"], "v1");
    assert!(history[0]["created"].as_str().unwrap().starts_with("20"));
    assert_eq!(
        copy["artisans"]["nghe-nhan-thu-1"]["honours"][1]["scheme"],
        "decree-123-2014"
    );

    // Ingesting it again changes nothing: no authority or record gets a new version.
    let (code, again) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0);
    assert_eq!(ids(&again, "authorities", "unchanged"), AUTHORITIES_ADDED);
    assert_eq!(ids(&again, "authorities", "updated"), Vec::<String>::new());
    assert_eq!(ids(&again, "records", "unchanged").len(), 4);
    assert_eq!(workspace.verify().status.code(), Some(0));
}

#[test]
fn a_dry_run_reports_the_artisans_and_products_a_real_run_stores() {
    let workspace = Workspace::new();
    let batch = workspace.batch("vocabulary");
    let (code, dry) = workspace.ingest(&batch, &["--dry-run"]);
    assert_eq!(code, 0, "{:#?}", problems(&dry));
    assert_eq!(ids(&dry, "authorities", "added"), AUTHORITIES_ADDED);
    assert!(!workspace.archive().join("0=ocfl_1.1").exists());
    // The terminal report names them too, before its summary.
    let output = workspace
        .disan()
        .arg("ingest")
        .arg(&batch)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[lines.len() - 2],
        format!(
            "authorities: 13 added ({}), 0 updated, 0 unchanged",
            AUTHORITIES_ADDED.join(", ")
        )
    );
    let (_, dry_again) = workspace.ingest(&batch, &["--dry-run"]);
    assert_eq!(
        ids(&dry_again, "authorities", "unchanged"),
        AUTHORITIES_ADDED
    );
}

/// Rewrites `villages.csv` of `batch` so that `lang-thu-1` has another class, set at `date`.
fn reclass(batch: &Path, status: &str, date: &str) {
    let path = batch.join("metadata/villages.csv");
    let text = fs::read_to_string(&path)
        .unwrap()
        .replace(",developing,active,", &format!(",{status},active,"))
        .replace("2006-05-12,2019,", &format!("2006-05-12,{date},"));
    fs::write(&path, text).unwrap();
}

#[test]
fn a_new_class_makes_a_history_of_two_and_reindex_rebuilds_the_copy() {
    let workspace = Workspace::new();
    let batch = workspace.batch("vocabulary");
    assert_eq!(workspace.ingest(&batch, &[]).0, 0);
    reclass(&batch, "at-risk-revivable", "2026-11");
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(
        ids(&report, "authorities", "updated"),
        ["urn:disan:village:lang-thu-1"]
    );
    let copy = authorities(&workspace);
    let history = copy["village_history"]["lang-thu-1"].as_array().unwrap();
    let classes: Vec<(&str, &str, &str)> = history
        .iter()
        .map(|change| {
            (
                change["status"].as_str().unwrap(),
                change["status_date"].as_str().unwrap(),
                change["version"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        classes,
        [
            ("developing", "2019", "v1"),
            ("at-risk-revivable", "2026-11", "v2")
        ]
    );
    assert!(history[0]["created"].as_str() <= history[1]["created"].as_str());
    // The same history read from the archive directly.
    let catalogue = catalogue(&workspace);
    let id = disan::model::VillageId::parse("lang-thu-1").unwrap();
    assert_eq!(catalogue.village_history[&id].len(), 2);

    // The index is derived: deleted, `reindex` rebuilds the same copy from the archive alone.
    fs::remove_dir_all(workspace.index()).unwrap();
    let output = workspace.disan().arg("reindex").output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(authorities(&workspace), copy);
    assert_eq!(workspace.verify().status.code(), Some(0));

    if crate::tools::ocfl_py() {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/ocfl_validate_root.py");
        let output = std::process::Command::new("python3")
            .arg(script)
            .arg(workspace.archive())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{stdout}");
        // 3 villages, 2 crafts, 3 artisans, 5 products, 4 records.
        assert!(stdout.contains("17 objects, 17 valid -> VALID"), "{stdout}");
    }
}

#[test]
fn nfd_authority_files_give_the_same_archive_as_nfc() {
    let nfc = Workspace::new();
    assert_eq!(nfc.ingest(&nfc.batch("vocabulary"), &[]).0, 0);
    let nfd = Workspace::new();
    let batch = nfd.batch("vocabulary");
    let mut rewritten = 0;
    for file in ["metadata", "objects/ky-thuat"] {
        for entry in fs::read_dir(batch.join(file)).unwrap() {
            let path = entry.unwrap().path();
            let text = fs::read_to_string(&path).unwrap();
            let decomposed: String = text.nfd().collect();
            if decomposed != text {
                rewritten += 1;
            }
            fs::write(&path, decomposed).unwrap();
        }
    }
    assert_eq!(rewritten, 7, "every text file holds Vietnamese");
    let (code, report) = nfd.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(ids(&report, "authorities", "added"), AUTHORITIES_ADDED);
    let (nfc_copy, mut nfd_copy) = (authorities(&nfc), authorities(&nfd));
    // Versions are made at different instants.
    for (id, history) in nfc_copy["village_history"].as_object().unwrap() {
        for (index, change) in history.as_array().unwrap().iter().enumerate() {
            nfd_copy["village_history"][id][index]["created"] = change["created"].clone();
        }
    }
    assert_eq!(nfd_copy, nfc_copy);
    assert_eq!(
        crate::support::record(&nfd, "vocab-hai-nghe-nhan").artisans,
        crate::support::record(&nfc, "vocab-hai-nghe-nhan").artisans,
        "a name in NFD finds its artisan"
    );
}

#[test]
fn every_broken_row_is_refused_with_its_file_row_and_column_and_nothing_archived_is_lost() {
    let workspace = Workspace::new();
    assert_eq!(workspace.ingest(&workspace.batch("vocabulary"), &[]).0, 0);
    let before = catalogue(&workspace);
    let (code, report) = workspace.ingest(&workspace.batch("vocabulary-broken"), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        problems(&report),
        [
            "error: metadata/artisans.csv, row 3, column village: unknown village 'lang-khong-co': it is neither in the archive nor in the batch's metadata/villages.csv",
            "error: metadata/artisans.csv, row 3, column born: \"khoảng 1950\": not an EDTF date; write it like 2020-08-27, 2019, 1990/1999, 1930~, 1930? or 193X",
            "error: metadata/artisans.csv, row 4, column died: the death (1950) is before the birth (1960): check both years",
            "error: metadata/artisans.csv, row 5, column crafts: unknown craft 'nghe-khong-co': it is neither in the archive nor in the batch's metadata/crafts.csv",
            "error: metadata/artisans.csv, row 5, column access: 'private' is not an access level; use one of: public, researchers, restricted, community:<group-id>",
            "error: metadata/artisans.csv, row 6, column died: the death (1920) is before the birth (1930): check both years",
            "error: metadata/honours.csv, row 3, column title: 'Nghệ nhân giỏi thử' is not a State title: the scheme decree-43-2024 awards only Nghệ nhân Nhân dân or Nghệ nhân Ưu tú; write one of them, or choose a scheme for other titles (association, provincial, other)",
            "error: metadata/honours.csv, row 4, column scheme: 'hiep-hoi' is not an honour scheme; use one of: decree-93-2023, decree-62-2014, decree-43-2024, decree-123-2014, association, provincial, other",
            "error: metadata/honours.csv, row 5, column date: \"năm 2010\": not an EDTF date; write it like 2020-08-27, 2019, 1990/1999, 1930~, 1930? or 193X",
            "error: metadata/honours.csv, row 6, column artisan: unknown artisan 'nghe-nhan-khong-co': it is neither in the archive nor in the batch's metadata/artisans.csv",
            "error: metadata/honours.csv, row 7, column artisan: artisan 'nghe-nhan-thu-4' is not in the archive and its row (metadata/artisans.csv, row 3) was refused: correct that row, then ingest the batch again",
            "error: metadata/metadata.csv, row 3, column artisan: artisan 'nghe-nhan-thu-5' is not in the archive and its row (metadata/artisans.csv, row 4) was refused: correct that row, then ingest the batch again",
            "error: metadata/metadata.csv, row 4, column product: product 'san-pham-thu-0-sao' is not in the archive and its row (metadata/products.csv, row 3) was refused: correct that row, then ingest the batch again",
            "error: metadata/metadata.csv, row 5, column artisan: unknown artisan 'nghe-nhan-khong-co': it is neither in the archive nor in the batch's metadata/artisans.csv",
            "error: metadata/metadata.csv, row 5, column product: unknown product 'san-pham-khong-co': it is neither in the archive nor in the batch's metadata/products.csv",
            "error: metadata/products.csv, row 3, column ocop_stars: '0' stars do not exist: an OCOP rating has 1 to 5 stars",
            "error: metadata/products.csv, row 4, column ocop_stars: '6' stars do not exist: an OCOP rating has 1 to 5 stars",
            "error: metadata/products.csv, row 5, column ocop_stars: 'ba' is not a number of stars: write 1, 2, 3, 4 or 5",
            "error: metadata/products.csv, row 6, column ocop_score: a score of 65 earns 3 stars, not 4 (Decision 148/QĐ-TTg: 3 stars from 50 points, 4 from 70, 5 from 90): correct the stars or the score",
            "error: metadata/products.csv, row 7, column ocop_level: a rating recognised by the national level has 5 stars, not 3 (Decision 148/QĐ-TTg: district or commune 3 stars, province 4, national 5)",
            "error: metadata/products.csv, row 8, column ocop_expires: the certificate expires on 2023-01-10, before it was issued on 2024-01-10",
            "error: metadata/products.csv, row 9, column ocop_issued: '28/02/2023' is not a day written YYYY-MM-DD",
            "error: metadata/products.csv, row 9, column ocop_expires: '2026-02-30' is not a day of the calendar",
            "error: metadata/products.csv, row 10, column ocop_group: 'toys' is not an OCOP product group; use one of: food, drinks, herbal, handicrafts, ornamental, tourism",
            "error: metadata/products.csv, row 10, column ocop_level: 'phuong' is not an OCOP level; use one of: commune, district, province, national",
            "error: metadata/products.csv, row 11, column ocop_score: '101' is not an OCOP score: write the points out of 100, a whole number from 0 to 100",
            "error: metadata/products.csv, row 12, column village: unknown village 'lang-khong-co': it is neither in the archive nor in the batch's metadata/villages.csv",
            "error: metadata/products.csv, row 12, column craft: unknown craft 'nghe-khong-co': it is neither in the archive nor in the batch's metadata/crafts.csv",
            "error: metadata/products.csv, row 12, column access: 'private' is not an access level; use one of: public, researchers, restricted, community:<group-id>",
            "error: metadata/villages.csv, row 3, column activity: 'dying' is not a village activity; use one of: active, at-risk, lost",
            "error: metadata/villages.csv, row 3, column recognised: the date after ';' is not EDTF: \"12/05/2006\": not an EDTF date; write it like 2020-08-27, 2019, 1990/1999, 1930~, 1930? or 193X (write the decision, ';', then its date: 1234/QĐ-UBND; 2006-05-12)",
            "error: metadata/villages.csv, row 3, column status_date: \"2019-13\": month 13 does not exist; use 01 to 12 for a month, or 21 (spring) to 24 (winter) for a season",
            // Break14 finding 4: the archived awards nghe-nhan-thu-1's good rows leave out.
            "warning: metadata/honours.csv, row 2, column artisan: 'nghe-nhan-thu-1' held 'Nghệ nhân làng nghề Việt Nam' (association, decision TEST-0101/QĐ-HH), which its rows here leave out: an artisan named in this file gets exactly the honours its rows give, so the award is removed; add a row for it to keep it",
            "warning: metadata/honours.csv, row 2, column artisan: 'nghe-nhan-thu-1' held 'Nghệ nhân Ưu tú' (decree-123-2014, decision TEST-0102/QĐ-CTN), which its rows here leave out: an artisan named in this file gets exactly the honours its rows give, so the award is removed; add a row for it to keep it",
            "warning: metadata/honours.csv, row 2, column artisan: 'nghe-nhan-thu-1' held 'Nghệ nhân Nhân dân' (decree-43-2024, decision TEST-0103/QĐ-CTN), which its rows here leave out: an artisan named in this file gets exactly the honours its rows give, so the award is removed; add a row for it to keep it",
        ]
    );
    // The good rows went in; a record naming an archived artisan whose new row was refused
    // keeps pointing at the archived one.
    assert_eq!(
        ids(&report, "authorities", "added"),
        [
            "urn:disan:artisan:nghe-nhan-thu-7",
            "urn:disan:product:san-pham-thu-tot"
        ]
    );
    assert_eq!(
        ids(&report, "records", "added"),
        ["vocab-broken-da-luu", "vocab-broken-tot"]
    );
    let after = catalogue(&workspace);
    let id = |text: &str| disan::model::ArtisanId::parse(text).unwrap();
    // Refused: the archived artisan stays as it was.
    assert_eq!(
        after.artisans[&id("nghe-nhan-thu-2")],
        before.artisans[&id("nghe-nhan-thu-2")]
    );
    // Named in honours.csv with good rows only: its honours are exactly those rows.
    assert_eq!(
        after.artisans[&id("nghe-nhan-thu-1")].titles(),
        ["Nghệ nhân Ưu tú"]
    );
    // Every honours row refused: none stored (it is new).
    assert!(after.artisans[&id("nghe-nhan-thu-7")].honours.is_empty());
    for refused in ["nghe-nhan-thu-4", "nghe-nhan-thu-5", "nghe-nhan-thu-6"] {
        assert!(!after.artisans.contains_key(&id(refused)), "{refused}");
    }
    assert_eq!(after.products.len(), before.products.len() + 1);
    assert!(
        !after
            .villages
            .contains_key(&disan::model::VillageId::parse("lang-thu-4").unwrap())
    );
    let record = crate::support::record(&workspace, "vocab-broken-da-luu");
    assert_eq!(record.artisans[0].as_str(), "nghe-nhan-thu-2");
    assert_eq!(workspace.verify().status.code(), Some(0));
}

/// Authority files as Excel saves them under a Vietnamese locale (byte-order mark, `;`, CRLF, a
/// description with line breaks): read, and errors numbered as the spreadsheet numbers rows
/// (the kind of fault of the cases ingest-semicolon-csv, ingest-crlf-row-number and
/// ingest-multiline-row-number, in the new files).
#[test]
fn excel_authority_files_are_read_and_rows_numbered_as_excel_shows_them() {
    let workspace = Workspace::new();
    let batch = workspace.dir.path().join("excel");
    fs::create_dir_all(batch.join("metadata")).unwrap();
    let excel = |lines: &[&str]| format!("\u{feff}{}\r\n", lines.join("\r\n"));
    fs::write(
        batch.join("metadata/villages.csv"),
        excel(&[
            "id;name;activity;status_date",
            "lang-thu-9;Làng thử 9;active;2020",
        ]),
    )
    .unwrap();
    fs::write(
        batch.join("metadata/artisans.csv"),
        excel(&[
            "id;name;village;description;access",
            "nghe-nhan-thu-8;Nghệ nhân thử nghiệm 8;lang-thu-9;\"Dòng một\r\nDòng hai\r\nDòng ba\";",
            "nghe-nhan-thu-9;Nghệ nhân thử nghiệm 9;lang-thu-9;;bi mat",
        ]),
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        problems(&report),
        [
            "error: metadata/artisans.csv, row 3, column access: 'bi mat' is not an access level; use one of: public, researchers, restricted, community:<group-id>",
            "warning: metadata/artisans.csv, row 1: the columns are separated by semicolons (as Excel saves CSV in a Vietnamese or European locale); the file was read that way",
            "warning: metadata/villages.csv, row 1: the columns are separated by semicolons (as Excel saves CSV in a Vietnamese or European locale); the file was read that way",
        ]
    );
    assert_eq!(
        ids(&report, "authorities", "added"),
        [
            "urn:disan:artisan:nghe-nhan-thu-8",
            "urn:disan:village:lang-thu-9"
        ]
    );
    let catalogue = catalogue(&workspace);
    let artisan = &catalogue.artisans[&disan::model::ArtisanId::parse("nghe-nhan-thu-8").unwrap()];
    assert_eq!(
        artisan.description[&disan::model::Lang::Vi],
        "Dòng một\r\nDòng hai\r\nDòng ba"
    );
}

/// A row whose cells do not line up with the header (an unquoted comma) is refused, never read
/// shifted: a restricted product so written is not published, a record naming it says that its
/// row was refused, and an honours row so written keeps the artisan's archived honours.
#[test]
fn a_misaligned_row_is_refused_and_named_as_refused() {
    let workspace = Workspace::new();
    assert_eq!(workspace.ingest(&workspace.batch("vocabulary"), &[]).0, 0);
    let batch = workspace.dir.path().join("misaligned");
    fs::create_dir_all(batch.join("metadata")).unwrap();
    fs::create_dir_all(batch.join("objects")).unwrap();
    fs::write(
        batch.join("metadata/honours.csv"),
        "artisan,title,scheme,awarded_by,decision,date\n\
         nghe-nhan-thu-1,Nghệ nhân Ưu tú,decree-43-2024,Cơ quan thử nghiệm,TEST-1, 2,2025\n",
    )
    .unwrap();
    fs::write(
        batch.join("metadata/products.csv"),
        "id,name,producer,access\nsan-pham-thu-lech,Sản phẩm thử lệch,Hợp tác xã X, Y,restricted\n",
    )
    .unwrap();
    fs::write(
        batch.join("metadata/metadata.csv"),
        "filename,dc.identifier,dc.title,product\nobjects/ghi-chu.txt,vocab-lech,Ghi chú thử,san-pham-thu-lech\n",
    )
    .unwrap();
    fs::write(batch.join("objects/ghi-chu.txt"), "Ghi chú thử nghiệm.\n").unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        problems(&report),
        [
            "error: metadata/honours.csv, row 2: the row has 7 cells but the header names 6 columns (a stray comma, or a quote left open?); the row is not ingested until it is fixed",
            "error: metadata/metadata.csv, row 2, column product: product 'san-pham-thu-lech' is not in the archive and its row (metadata/products.csv, row 2) was refused: correct that row, then ingest the batch again",
            "error: metadata/products.csv, row 2: the row has 5 cells but the header names 4 columns (a stray comma, or a quote left open?); the row is not ingested until it is fixed",
        ]
    );
    let catalogue = catalogue(&workspace);
    assert!(
        catalogue
            .products
            .keys()
            .all(|id| id.as_str() != "san-pham-thu-lech")
    );
    let artisan = &catalogue.artisans[&disan::model::ArtisanId::parse("nghe-nhan-thu-1").unwrap()];
    assert_eq!(artisan.honours.len(), 3, "the archived honours are kept");
    assert_eq!(ids(&report, "authorities", "updated"), Vec::<String>::new());
}

/// An id given by two rows of an authority file (compared trimmed and NFC) refuses every row
/// giving it, each error naming the row where the id first appears (or, there, the rows that
/// repeat it): the archived craft and village stay as they were, a new one is not stored, and
/// whatever names a new one says that its row was refused. Before, villages.csv and crafts.csv
/// let the last row win silently.
#[test]
fn an_id_given_by_two_rows_refuses_them_all_and_what_names_it_says_so() {
    let workspace = Workspace::new();
    assert_eq!(workspace.ingest(&workspace.batch("vocabulary"), &[]).0, 0);
    let before = catalogue(&workspace);
    let (code, report) = workspace.ingest(&workspace.batch("vocabulary-broken-duplicates"), &[]);
    assert_eq!(code, 1);
    let repeated = "give each id one row; none of its rows is ingested until then";
    let refused = |what: &str, id: &str, file: &str, row: usize| {
        format!(
            "{what} '{id}' is not in the archive and its row (metadata/{file}, row {row}) was refused: correct that row, then ingest the batch again"
        )
    };
    assert_eq!(
        problems(&report),
        [
            format!(
                "error: metadata/artisans.csv, row 2, column village: {}",
                refused("village", "lang-thu-8", "villages.csv", 3)
            ),
            format!(
                "error: metadata/artisans.csv, row 3, column crafts: {}",
                refused("craft", "nghe-thu-9", "crafts.csv", 4)
            ),
            format!(
                "error: metadata/crafts.csv, row 2, column id: 'nghe-thu-1' is described again at row 5: {repeated}"
            ),
            format!(
                "error: metadata/crafts.csv, row 4, column id: 'nghe-thu-9' is described again at row 6: {repeated}"
            ),
            format!(
                "error: metadata/crafts.csv, row 5, column id: 'nghe-thu-1' is already described at row 2: {repeated}"
            ),
            format!(
                "error: metadata/crafts.csv, row 6, column id: 'nghe-thu-9' is already described at row 4: {repeated}"
            ),
            format!(
                "error: metadata/metadata.csv, row 2, column village: {}",
                refused("village", "lang-thu-8", "villages.csv", 3)
            ),
            format!(
                "error: metadata/metadata.csv, row 4, column craft: {}",
                refused("craft", "nghe-thu-9", "crafts.csv", 4)
            ),
            format!(
                "error: metadata/products.csv, row 2, column village: {}",
                refused("village", "lang-thu-7", "villages.csv", 4)
            ),
            format!(
                "error: metadata/products.csv, row 3, column id: 'san-pham-thu-9' is described again at row 4: {repeated}"
            ),
            format!(
                "error: metadata/products.csv, row 4, column id: 'san-pham-thu-9' is already described at row 3: {repeated}"
            ),
            format!(
                "error: metadata/villages.csv, row 2, column id: 'lang-thu-1' is described again at row 5: {repeated}"
            ),
            format!(
                "error: metadata/villages.csv, row 3, column id: 'lang-thu-8' is described again at row 7: {repeated}"
            ),
            format!(
                "error: metadata/villages.csv, row 4, column crafts: {}",
                refused("craft", "nghe-thu-9", "crafts.csv", 4)
            ),
            format!(
                "error: metadata/villages.csv, row 5, column id: 'lang-thu-1' is already described at row 2: {repeated}"
            ),
            format!(
                "error: metadata/villages.csv, row 7, column id: 'lang-thu-8' is already described at row 3: {repeated}"
            ),
        ]
    );
    assert_eq!(
        ids(&report, "authorities", "added"),
        ["urn:disan:craft:nghe-thu-8", "urn:disan:village:lang-thu-6"]
    );
    assert_eq!(ids(&report, "authorities", "updated"), Vec::<String>::new());
    assert_eq!(
        ids(&report, "authorities", "unchanged"),
        Vec::<String>::new()
    );
    assert_eq!(ids(&report, "records", "added"), ["vocab-trung-2"]);

    let after = catalogue(&workspace);
    let craft = |id: &str| disan::model::CraftId::parse(id).unwrap();
    let village = |id: &str| disan::model::VillageId::parse(id).unwrap();
    // Archived: kept as it was, neither row taken.
    assert_eq!(
        after.crafts[&craft("nghe-thu-1")],
        before.crafts[&craft("nghe-thu-1")]
    );
    assert_eq!(
        after.villages[&village("lang-thu-1")],
        before.villages[&village("lang-thu-1")]
    );
    assert_eq!(after.villages[&village("lang-thu-1")].name, "Làng thử 1");
    // New: not stored.
    assert!(!after.crafts.contains_key(&craft("nghe-thu-9")));
    for id in ["lang-thu-7", "lang-thu-8"] {
        assert!(!after.villages.contains_key(&village(id)), "{id}");
    }
    assert_eq!(after.artisans.len(), before.artisans.len());
    assert_eq!(after.products.len(), before.products.len());
    // A record naming an archived village whose new rows were refused points at the archived one.
    let record = crate::support::record(&workspace, "vocab-trung-2");
    assert_eq!(record.village.as_ref().unwrap().as_str(), "lang-thu-1");
    assert_eq!(workspace.verify().status.code(), Some(0));
}

/// The report lists as unchanged only the authorities the batch's files describe (a row of
/// villages.csv, an artisan's honours), never the archive's others; a batch without authority
/// files lists none, and the terminal prints no authorities line. Before, every archived
/// authority was listed as unchanged by every batch.
#[test]
fn only_the_authorities_a_batch_describes_are_reported_unchanged() {
    let workspace = Workspace::new();
    let fixture = workspace.batch("vocabulary");
    assert_eq!(workspace.ingest(&fixture, &[]).0, 0);
    let batch = workspace.dir.path().join("one-village");
    fs::create_dir_all(batch.join("metadata")).unwrap();
    fs::create_dir_all(batch.join("objects")).unwrap();
    // The archived row of lang-thu-2, as the first batch gave it.
    let villages = fs::read_to_string(fixture.join("metadata/villages.csv")).unwrap();
    let lines: Vec<&str> = villages.lines().collect();
    assert!(lines[2].starts_with("lang-thu-2,"));
    fs::write(
        batch.join("metadata/villages.csv"),
        format!("{}\n{}\n", lines[0], lines[2]),
    )
    .unwrap();
    // The archived honours of nghe-nhan-thu-3.
    let honours = fs::read_to_string(fixture.join("metadata/honours.csv")).unwrap();
    let rows: Vec<&str> = honours
        .lines()
        .filter(|line| line.starts_with("artisan,") || line.starts_with("nghe-nhan-thu-3,"))
        .collect();
    assert_eq!(rows.len(), 3);
    fs::write(batch.join("metadata/honours.csv"), rows.join("\n") + "\n").unwrap();
    // A record naming other archived authorities does not describe them.
    fs::write(
        batch.join("metadata/metadata.csv"),
        "filename,dc.identifier,dc.title,village,craft,artisan,product\n\
         objects/ghi-chu.txt,vocab-khong-doi,Ghi chú thử,lang-thu-1,nghe-thu-1,nghe-nhan-thu-1,san-pham-thu-3-sao\n",
    )
    .unwrap();
    fs::write(batch.join("objects/ghi-chu.txt"), "Ghi chú thử nghiệm.\n").unwrap();
    let expected = [
        "urn:disan:artisan:nghe-nhan-thu-3",
        "urn:disan:village:lang-thu-2",
    ];
    for options in [&["--dry-run"][..], &[]] {
        let (code, report) = workspace.ingest(&batch, options);
        assert_eq!(code, 0, "{options:?}: {:#?}", problems(&report));
        assert_eq!(
            ids(&report, "authorities", "unchanged"),
            expected,
            "{options:?}"
        );
        assert_eq!(ids(&report, "authorities", "added"), Vec::<String>::new());
        assert_eq!(ids(&report, "authorities", "updated"), Vec::<String>::new());
        assert_eq!(ids(&report, "records", "added"), ["vocab-khong-doi"]);
    }
    let output = workspace
        .disan()
        .arg("ingest")
        .arg(&batch)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout
            .lines()
            .any(|line| line == "authorities: 0 added, 0 updated, 2 unchanged"),
        "{stdout}"
    );

    // Without authority files: none listed, and no authorities line.
    fs::remove_file(batch.join("metadata/villages.csv")).unwrap();
    fs::remove_file(batch.join("metadata/honours.csv")).unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(
        ids(&report, "authorities", "unchanged"),
        Vec::<String>::new()
    );
    assert_eq!(ids(&report, "records", "unchanged"), ["vocab-khong-doi"]);
    let output = workspace
        .disan()
        .arg("ingest")
        .arg(&batch)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        !stdout.lines().any(|line| line.starts_with("authorities")),
        "{stdout}"
    );
}

/// Break-14 finding 3: a header naming a column twice (`access,access`, `ocop_stars,ocop_stars`,
/// `name,name`, `date,Date`, `latitude` twice) refuses the whole file, naming both columns as the
/// spreadsheet letters them: which value was meant cannot be told, and keeping the first
/// silently published a product whose second `access` said `restricted`. Nothing of a refused
/// file reaches the archive (fixture `vocabulary-broken-headers/`).
#[test]
fn a_column_named_twice_refuses_the_authority_file_whole() {
    let workspace = Workspace::new();
    assert_eq!(workspace.ingest(&workspace.batch("vocabulary"), &[]).0, 0);
    let before = catalogue(&workspace);
    let (code, report) = workspace.ingest(&workspace.batch("vocabulary-broken-headers"), &[]);
    assert_eq!(code, 1);
    let twice = |file: &str, column: &str, letters: &str| {
        format!(
            "error: metadata/{file}, row 1, column {column}: the header names '{column}' twice, in columns {letters}: this file takes one value for it, and which one was meant cannot be told; keep one of these columns; nothing in the file was ingested"
        )
    };
    assert_eq!(
        problems(&report),
        [
            twice("artisans.csv", "access", "E and F"),
            twice("crafts.csv", "name", "B and C"),
            twice("honours.csv", "date", "E and F"),
            twice("products.csv", "ocop_stars", "E and F"),
            twice("products.csv", "access", "G and H"),
            twice("villages.csv", "latitude", "C and E"),
        ]
    );
    for outcome in ["added", "updated"] {
        assert_eq!(
            ids(&report, "authorities", outcome),
            Vec::<String>::new(),
            "{outcome}"
        );
    }
    let after = catalogue(&workspace);
    assert_eq!(after.artisans, before.artisans);
    assert_eq!(after.crafts, before.crafts);
    assert_eq!(after.products, before.products);
    assert_eq!(after.villages, before.villages);
    assert_eq!(workspace.verify().status.code(), Some(0));
}

/// Break-14 findings 6 and 9: a village position with one half only, outside Vietnam (`0,0`
/// once made the whole province map unreadable) or with a decimal comma, and a `recognised`
/// cell holding two dates (once stored as the decision "2006") or a date EDTF does not read,
/// are refused at their cell; the archived village keeps its position, the refused new ones are
/// not stored and the good row goes in (fixture `vocabulary-broken-positions/`).
#[test]
fn a_village_position_or_recognition_that_cannot_be_right_is_refused_at_its_cell() {
    let workspace = Workspace::new();
    assert_eq!(workspace.ingest(&workspace.batch("vocabulary"), &[]).0, 0);
    let before = catalogue(&workspace);
    let (code, report) = workspace.ingest(&workspace.batch("vocabulary-broken-positions"), &[]);
    assert_eq!(code, 1);
    let form = "write the decision that recognised the village, ';', then its EDTF date (1234/QĐ-UBND; 2006-05-12), or either alone";
    assert_eq!(
        problems(&report),
        [
            "error: metadata/villages.csv, row 2, column latitude: 0 is outside Vietnam, whose latitudes run from 6.5 to 23.5 (degrees north): check the position".to_string(),
            "error: metadata/villages.csv, row 2, column longitude: 0 is outside Vietnam, whose longitudes run from 102 to 117.5 (degrees east): check the position".to_string(),
            "error: metadata/villages.csv, row 4, column longitude: a latitude without a longitude: a village's position needs both, in decimal degrees (latitude 20.5, longitude 105.9); write the longitude or leave both empty".to_string(),
            "error: metadata/villages.csv, row 5, column latitude: '20,5' is written with a decimal comma (as Excel writes numbers in a Vietnamese locale): write 20.5 with a point; a latitude is in decimal degrees, 6.5 to 23.5 in Vietnam".to_string(),
            "error: metadata/villages.csv, row 5, column longitude: '105,9' is written with a decimal comma (as Excel writes numbers in a Vietnamese locale): write 105.9 with a point; a longitude is in decimal degrees, 102 to 117.5 in Vietnam".to_string(),
            format!("error: metadata/villages.csv, row 6, column recognised: '2006; 2007' gives two dates, and a village is recognised once: {form}"),
            format!("error: metadata/villages.csv, row 7, column recognised: '12/05/2006' is neither a decision (its number and issuer, like 1234/QĐ-UBND) nor an EDTF date (\"12/05/2006\": not an EDTF date; write it like 2020-08-27, 2019, 1990/1999, 1930~, 1930? or 193X): {form}"),
        ]
    );
    assert_eq!(
        ids(&report, "authorities", "added"),
        ["urn:disan:village:lang-thu-vi-tri"]
    );
    assert_eq!(ids(&report, "authorities", "updated"), Vec::<String>::new());
    let after = catalogue(&workspace);
    let village = |id: &str| disan::model::VillageId::parse(id).unwrap();
    assert_eq!(
        after.villages[&village("lang-thu-1")],
        before.villages[&village("lang-thu-1")]
    );
    let added = &after.villages[&village("lang-thu-vi-tri")];
    assert_eq!((added.latitude, added.longitude), (Some(20.5), Some(105.9)));
    let recognised = added.recognised.as_ref().unwrap();
    assert_eq!(recognised.decision.as_deref(), Some("TEST-0009/QĐ-UBND"));
    for refused in [
        "lang-thu-nua",
        "lang-thu-phay",
        "lang-thu-hai-ngay",
        "lang-thu-ngay-sai",
    ] {
        assert!(!after.villages.contains_key(&village(refused)), "{refused}");
    }
}
