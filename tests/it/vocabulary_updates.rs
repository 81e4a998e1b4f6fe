//! Authority files ingested over authorities the archive already holds (issue 14, breaker report
//! `break14-cases/k`): what a later `artisans.csv`, `products.csv` or `villages.csv` does not
//! say stays as archived (access above all: an absent column or an emptied cell never publishes
//! a restricted product or description, as for records); a batch refused whole archives no
//! authority either; and the checks of dates against Decision 148/QĐ-TTg, the honour decrees
//! and today's date.
//!
//! The batches are written by the tests (each a few lines of CSV), so that each case states
//! exactly the columns it leaves out.

use std::fs;
use std::path::PathBuf;

use disan::model::{Access, ArtisanId, ProductId, VillageId};

use crate::support::{Workspace, ids, problems};

/// Writes a batch folder `name` in `workspace` holding `files` (batch-relative path, text).
fn batch(workspace: &Workspace, name: &str, files: &[(&str, &str)]) -> PathBuf {
    let root = workspace.dir.path().join("written").join(name);
    for (path, text) in files {
        let path = root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    root
}

fn catalogue(workspace: &Workspace) -> disan::archive::Catalogue {
    disan::archive::Archive::open(&workspace.archive())
        .unwrap()
        .catalogue()
        .unwrap()
}

const CRAFTS: &str = "id,name\nnghe-thu,Nghề thử\n";

/// Every fact issue 14 gives a village, filled.
const VILLAGES_FULL: &str = "id,name,name@en,commune,district,province,latitude,longitude,crafts,status,activity,recognised,status_date,commune_2025,province_2025\n\
    lang-thu,Làng thử,Test village,Xã thử,Huyện thử,Hà Nam,20.6,105.95,nghe-thu,at-risk-irreversible,lost,123/QĐ-UBND; 2006-05-12,2020,Xã mới thử,Ninh Bình\n";

const ARTISANS: &str = "id,name,name@en,village,crafts,born,died,description,description@en,access\n\
    nn-an,Nghệ nhân thử nghiệm An,Test artisan An,lang-thu,nghe-thu,1960,,Mô tả kín,Hidden description,restricted\n";

const HONOURS: &str = "artisan,title,scheme,awarded_by,decision,date\n\
    nn-an,Nghệ nhân Ưu tú,decree-43-2024,Chủ tịch nước,TEST-1/QĐ-CTN,2024-09-02\n";

const PRODUCTS: &str = "id,name,name@en,village,craft,producer,ocop_group,ocop_stars,ocop_score,ocop_certificate,ocop_issued,ocop_expires,ocop_level,access\n\
    sp-an,Sản phẩm thử kín,Hidden test product,lang-thu,nghe-thu,nn-an,handicrafts,4,75,CERT-1,2024-01-01,2026-12-31,province,restricted\n";

/// A workspace whose archive holds the fictional village, craft, restricted artisan
/// description and restricted product above.
fn archived() -> Workspace {
    let workspace = Workspace::new();
    let first = batch(
        &workspace,
        "first",
        &[
            ("metadata/crafts.csv", CRAFTS),
            ("metadata/villages.csv", VILLAGES_FULL),
            ("metadata/artisans.csv", ARTISANS),
            ("metadata/honours.csv", HONOURS),
            ("metadata/products.csv", PRODUCTS),
        ],
    );
    let (code, report) = workspace.ingest(&first, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(problems(&report), Vec::<String>::new());
    workspace
}

fn artisan(workspace: &Workspace) -> disan::model::Artisan {
    catalogue(workspace).artisans[&ArtisanId::parse("nn-an").unwrap()].clone()
}

fn product(workspace: &Workspace) -> disan::model::Product {
    catalogue(workspace).products[&ProductId::parse("sp-an").unwrap()].clone()
}

fn village(workspace: &Workspace) -> disan::model::Village {
    catalogue(workspace).villages[&VillageId::parse("lang-thu").unwrap()].clone()
}

/// Finding 1: a row that gives no access (no `access` column, or an empty cell) keeps the
/// archived access of an artisan or product, as a record's row does; a stated wider access is
/// taken with a warning naming the row and column.
#[test]
fn an_update_giving_no_access_keeps_the_archived_access() {
    let workspace = archived();
    // No access column: the score is corrected, nothing else said.
    let no_column = batch(
        &workspace,
        "no-column",
        &[
            (
                "metadata/products.csv",
                "id,name,ocop_stars,ocop_score\nsp-an,Sản phẩm thử kín,4,76\n",
            ),
            (
                "metadata/artisans.csv",
                "id,name,description\nnn-an,Nghệ nhân thử nghiệm An,Mô tả kín v2\n",
            ),
        ],
    );
    let (code, report) = workspace.ingest(&no_column, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(problems(&report), Vec::<String>::new());
    assert_eq!(
        ids(&report, "authorities", "updated"),
        ["urn:disan:artisan:nn-an", "urn:disan:product:sp-an"]
    );
    let (artisan_now, product_now) = (artisan(&workspace), product(&workspace));
    assert_eq!(product_now.access, Access::Restricted);
    assert_eq!(product_now.ocop.as_ref().unwrap().score, Some(76));
    assert_eq!(artisan_now.access, Access::Restricted);
    assert_eq!(
        artisan_now.description[&disan::model::Lang::Vi],
        "Mô tả kín v2"
    );

    // The column, with empty cells.
    let empty_cells = batch(
        &workspace,
        "empty-cells",
        &[
            (
                "metadata/products.csv",
                "id,name,ocop_stars,ocop_score,access\nsp-an,Sản phẩm thử kín,4,77,\n",
            ),
            (
                "metadata/artisans.csv",
                "id,name,description,access\nnn-an,Nghệ nhân thử nghiệm An,Mô tả kín v3,\n",
            ),
        ],
    );
    let (code, report) = workspace.ingest(&empty_cells, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(problems(&report), Vec::<String>::new());
    assert_eq!(product(&workspace).access, Access::Restricted);
    assert_eq!(artisan(&workspace).access, Access::Restricted);

    // Stated: taken, with a warning when it opens the authority to more people.
    let stated = batch(
        &workspace,
        "stated",
        &[
            (
                "metadata/products.csv",
                "id,name,access\nsp-an,Sản phẩm thử kín,public\n",
            ),
            (
                "metadata/artisans.csv",
                "id,name,access\nnn-an,Nghệ nhân thử nghiệm An,researchers\n",
            ),
        ],
    );
    let (code, report) = workspace.ingest(&stated, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(
        problems(&report),
        [
            "warning: metadata/artisans.csv, row 2, column access: access changes from restricted to researchers for artisan 'nn-an', as stated",
            "warning: metadata/products.csv, row 2, column access: access changes from restricted to public for product 'sp-an', as stated",
        ]
    );
    assert_eq!(product(&workspace).access, Access::Public);
    assert_eq!(artisan(&workspace).access, Access::Researchers);
    assert_eq!(workspace.verify().status.code(), Some(0));
}

/// Finding 2: an authority file without some columns (`villages.csv` as written before issue
/// 14, an `artisans.csv` or `products.csv` giving a few columns) leaves what the archive holds
/// for the others; a column the file has with an empty cell clears the field, as a record's row
/// does; a batch without `honours.csv` leaves the honours.
#[test]
fn a_column_the_file_does_not_have_keeps_the_archived_value() {
    let workspace = archived();
    let before = (
        village(&workspace),
        artisan(&workspace),
        product(&workspace),
    );
    let old_style = batch(
        &workspace,
        "old-style",
        &[
            (
                "metadata/villages.csv",
                "id,name,name@en,commune,district,province,latitude,longitude,crafts\n\
                 lang-thu,Làng thử,Test village (renamed),Xã thử,Huyện thử,Hà Nam,20.6,105.95,nghe-thu\n",
            ),
            (
                "metadata/artisans.csv",
                "id,name,name@en\nnn-an,Nghệ nhân thử nghiệm An,Test artisan An (renamed)\n",
            ),
            (
                "metadata/products.csv",
                "id,name,ocop_score\nsp-an,Sản phẩm thử kín,78\n",
            ),
        ],
    );
    let (code, report) = workspace.ingest(&old_style, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(problems(&report), Vec::<String>::new());
    assert_eq!(
        ids(&report, "authorities", "updated"),
        [
            "urn:disan:artisan:nn-an",
            "urn:disan:product:sp-an",
            "urn:disan:village:lang-thu"
        ]
    );
    let village_now = village(&workspace);
    assert_eq!(
        village_now.name_en.as_deref(),
        Some("Test village (renamed)")
    );
    assert_eq!(
        disan::model::Village {
            name_en: before.0.name_en.clone(),
            ..village_now
        },
        before.0,
        "only name@en changed"
    );
    let artisan_now = artisan(&workspace);
    assert_eq!(
        artisan_now.name_en.as_deref(),
        Some("Test artisan An (renamed)")
    );
    assert_eq!(
        disan::model::Artisan {
            name_en: before.1.name_en.clone(),
            ..artisan_now
        },
        before.1,
        "only name@en changed; the honours stay without honours.csv"
    );
    let product_now = product(&workspace);
    let mut expected = before.2.clone();
    expected.ocop.as_mut().unwrap().score = Some(78);
    assert_eq!(product_now, expected, "only the score changed");

    // Columns present with empty cells clear those fields (access aside).
    let cleared = batch(
        &workspace,
        "cleared",
        &[
            (
                "metadata/villages.csv",
                "id,name,activity,commune_2025,province_2025\nlang-thu,Làng thử,,,\n",
            ),
            (
                "metadata/artisans.csv",
                "id,name,description@en,access\nnn-an,Nghệ nhân thử nghiệm An,,\n",
            ),
            (
                "metadata/products.csv",
                "id,name,ocop_certificate,ocop_issued,ocop_expires\nsp-an,Sản phẩm thử kín,,,\n",
            ),
        ],
    );
    let (code, report) = workspace.ingest(&cleared, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(problems(&report), Vec::<String>::new());
    let village_now = village(&workspace);
    assert_eq!(
        (
            village_now.activity,
            village_now.commune_2025,
            village_now.province_2025
        ),
        (None, None, None)
    );
    assert_eq!(
        village_now.status,
        Some(disan::model::RiskStatus::AtRiskIrreversible)
    );
    let artisan_now = artisan(&workspace);
    assert_eq!(
        artisan_now
            .description
            .keys()
            .map(|lang| lang.tag())
            .collect::<Vec<_>>(),
        ["vi"]
    );
    assert_eq!(artisan_now.access, Access::Restricted);
    let ocop = product(&workspace).ocop.unwrap();
    assert_eq!(
        (
            ocop.stars,
            ocop.score,
            ocop.certificate,
            ocop.issued,
            ocop.expires
        ),
        (4, Some(78), None, None, None)
    );
    assert_eq!(product(&workspace).access, Access::Restricted);
}

/// Finding 5: a batch refused whole (two metadata sheets; a sheet that cannot be used; no
/// sheet while its files would replace richer descriptions) says nothing in it was ingested,
/// and indeed archives none of its authority files.
#[test]
fn a_batch_refused_whole_archives_no_authority() {
    let workspace = Workspace::new();
    let authority_files = [
        ("metadata/crafts.csv", CRAFTS),
        ("metadata/villages.csv", VILLAGES_FULL),
        ("metadata/artisans.csv", ARTISANS),
        ("metadata/honours.csv", HONOURS),
        ("metadata/products.csv", PRODUCTS),
    ];
    let sheet = "filename,dc.title\nobjects/txt/x.md,X\n";
    let two_sheets = batch(
        &workspace,
        "two-sheets",
        &[
            authority_files.as_slice(),
            &[
                ("metadata/metadata.csv", sheet),
                ("sub/metadata/metadata.csv", sheet),
                ("objects/txt/x.md", "Chữ thử.\n"),
            ],
        ]
        .concat(),
    );
    let (code, report) = workspace.ingest(&two_sheets, &[]);
    assert_eq!(code, 1);
    let message = "nothing in the batch was ingested: the batch holds 2 metadata sheets ('sub/metadata/metadata.csv', 'metadata/metadata.csv'), but Disan reads exactly one, metadata/metadata.csv (or metadata.csv at the batch root), saved as CSV UTF-8; keep one sheet there with that name, so that no row in another is passed over";
    assert_eq!(
        problems(&report),
        [
            format!("error: metadata/metadata.csv: {message}"),
            format!("error: sub/metadata/metadata.csv: {message}"),
        ]
    );
    for outcome in ["added", "updated", "unchanged"] {
        assert_eq!(ids(&report, "authorities", outcome), Vec::<String>::new());
    }
    assert!(catalogue_is_empty(&workspace));

    // A sheet that cannot be used (two headers pasted together).
    let unusable = batch(
        &workspace,
        "unusable",
        &[
            authority_files.as_slice(),
            &[
                (
                    "metadata/metadata.csv",
                    "filename,dc.title\nobjects/txt/x.md,X\nfilename,dc.title,access\n",
                ),
                ("objects/txt/x.md", "Chữ thử.\n"),
            ],
        ]
        .concat(),
    );
    let (code, report) = workspace.ingest(&unusable, &[]);
    assert_eq!(code, 1);
    assert!(
        problems(&report).contains(&"error: metadata/metadata.csv: nothing in the batch was ingested because metadata/metadata.csv cannot be used (see the error there); fix it and ingest again".to_string()),
        "{:#?}",
        problems(&report)
    );
    assert_eq!(ids(&report, "authorities", "added"), Vec::<String>::new());
    assert!(catalogue_is_empty(&workspace));

    // Without a sheet, over a described record: refused whole, authorities included.
    let described = batch(
        &workspace,
        "described",
        &[
            (
                "metadata/metadata.csv",
                "filename,dc.title,dc.subject\nobjects/txt/x.md,X,thử\n",
            ),
            ("objects/txt/x.md", "Chữ thử.\n"),
        ],
    );
    assert_eq!(workspace.ingest(&described, &[]).0, 0);
    let undescribed = batch(
        &workspace,
        "undescribed",
        &[
            authority_files.as_slice(),
            &[("objects/txt/x.md", "Chữ thử, sửa.\n")],
        ]
        .concat(),
    );
    let (code, report) = workspace.ingest(&undescribed, &[]);
    assert_eq!(code, 1);
    assert!(
        problems(&report).iter().any(
            |p| p.starts_with("error: .: nothing was ingested: this batch has no metadata.csv")
        ),
        "{:#?}",
        problems(&report)
    );
    assert_eq!(ids(&report, "authorities", "added"), Vec::<String>::new());
    let after = catalogue(&workspace);
    assert!(
        after.villages.is_empty()
            && after.crafts.is_empty()
            && after.artisans.is_empty()
            && after.products.is_empty()
    );
    // The index's copy of the authorities holds none of them either.
    let copy = fs::read_to_string(workspace.index().join("authorities.json")).unwrap();
    assert!(
        !copy.contains("lang-thu") && !copy.contains("nn-an"),
        "{copy}"
    );
}

/// Whether the workspace's archive holds no authority.
fn catalogue_is_empty(workspace: &Workspace) -> bool {
    let catalogue = catalogue(workspace);
    catalogue.villages.is_empty()
        && catalogue.crafts.is_empty()
        && catalogue.artisans.is_empty()
        && catalogue.products.is_empty()
        && catalogue.records.is_empty()
}

/// Finding 8: certificates, honours and dates checked against Decision 148/QĐ-TTg, the honour
/// decrees and today's date in Vietnam; each problem names file, row and column.
#[test]
fn certificates_honours_and_dates_are_checked() {
    let workspace = Workspace::new();
    let today = disan::web::today_in_vietnam();
    let next_year = today.year + 1;
    let products = format!(
        "id,name,ocop_stars,ocop_score,ocop_certificate,ocop_issued,ocop_expires\n\
         sp-sau-nam,Sản phẩm thử sáu năm,3,55,C-1,2024-01-01,2030-01-01\n\
         sp-hai-sao,Sản phẩm thử hai sao,2,40,C-2,,\n\
         sp-tuong-lai,Sản phẩm thử tương lai,3,55,C-3,{next_year}-01-01,\n\
         sp-mot-sao,Sản phẩm thử một sao,3,5,,,\n\
         sp-dung,Sản phẩm thử đúng hạn,3,55,C-4,2024-01-01,2027-01-01\n"
    );
    let artisans = format!(
        "id,name,born,died\n\
         nn-tuong-lai,Nghệ nhân thử tương lai,{next_year},\n\
         nn-chet-tuong-lai,Nghệ nhân thử mất sau,1950,{next_year}\n\
         nn-thu,Nghệ nhân thử,1950,\n"
    );
    let honours = format!(
        "artisan,title,scheme,date\n\
         nn-thu,Nghệ nhân Ưu tú,decree-62-2014,1970\n\
         nn-thu,Nghệ nhân Ưu tú,decree-93-2023,2020-09-02\n\
         nn-thu,Nghệ nhân Nhân dân,decree-43-2024,{next_year}\n\
         nn-thu,nghệ nhân ưu tú,decree-62-2014,2015\n\
         nn-thu,Thợ giỏi làng nghề,association,2001\n\
         nn-thu,Nghệ nhân Ưu tú,decree-43-2024,2024-09-02\n"
    );
    let checked = batch(
        &workspace,
        "checked",
        &[
            ("metadata/products.csv", products.as_str()),
            ("metadata/artisans.csv", artisans.as_str()),
            ("metadata/honours.csv", honours.as_str()),
        ],
    );
    let (code, report) = workspace.ingest(&checked, &[]);
    assert_eq!(code, 1);
    let future = |date: &str| {
        format!("{date} is in the future (today is {today} in Vietnam): check the date")
    };
    assert_eq!(
        problems(&report),
        [
            format!("error: metadata/artisans.csv, row 2, column born: {}", future(&next_year.to_string())),
            format!("error: metadata/artisans.csv, row 3, column died: {}", future(&next_year.to_string())),
            format!("error: metadata/honours.csv, row 4, column date: {}", future(&next_year.to_string())),
            "error: metadata/products.csv, row 4, column ocop_issued: ".to_string()
                + &future(&format!("{next_year}-01-01")),
            "error: metadata/products.csv, row 5, column ocop_score: a score of 5 earns 1 star, not 3 (Decision 148/QĐ-TTg: 3 stars from 50 points, 4 from 70, 5 from 90): correct the stars or the score".to_string(),
            "warning: metadata/honours.csv, row 2, column date: the award is dated 1970, before Decree 62/2014/NĐ-CP was issued (2014-06-25): an honour under decree-62-2014 cannot be older; check the date or the scheme".to_string(),
            "warning: metadata/honours.csv, row 3, column date: the award is dated 2020-09-02, before Decree 93/2023/NĐ-CP took effect (2024-02-15): an honour under decree-93-2023 cannot be older; check the date or the scheme".to_string(),
            // Issue 15: the repeat is one award, stored once, as row 2 gives it.
            "warning: metadata/honours.csv, row 5, column title: 'nn-thu' holds 'Nghệ nhân Ưu tú' under decree-62-2014 in row 2 already: row 2 and row 5 are one award (a title is awarded once under a scheme), so it is stored once, as row 2 gives it, and row 5 is not stored; row 5 gives another date than row 2, and only row 2's is stored: check which is right; delete row 5, or correct its title or scheme if it is another award".to_string(),
            "warning: metadata/products.csv, row 2, column ocop_expires: the certificate runs from 2024-01-01 to 2030-01-01, longer than the 36 months an OCOP certificate is valid (Decision 148/QĐ-TTg; from 2024-01-01 it ends on 2027-01-01): check the dates".to_string(),
            "warning: metadata/products.csv, row 3, column ocop_certificate: a 2-star rating has no OCOP certificate (Decision 148/QĐ-TTg certifies products of 3 to 5 stars): check the stars, or leave ocop_certificate, ocop_issued and ocop_expires empty".to_string(),
        ]
    );
    // Warnings do not refuse a row; errors do.
    assert_eq!(
        ids(&report, "authorities", "added"),
        [
            "urn:disan:artisan:nn-thu",
            "urn:disan:product:sp-dung",
            "urn:disan:product:sp-hai-sao",
            "urn:disan:product:sp-sau-nam",
        ]
    );
    // The honours of nn-thu: one row refused (its date), so the artisan, being new, has none.
    let catalogue = catalogue(&workspace);
    assert!(
        catalogue.artisans[&ArtisanId::parse("nn-thu").unwrap()]
            .honours
            .is_empty()
    );
}

/// fix14 point 2: a cell over its column's limit (500 characters for a name or title, 64 KiB for
/// a description; `disan::ingest::cells`) refuses its row, naming file, row, column and the
/// limit, in the authority files and in `metadata.csv` alike; a cell at the limit goes in, and
/// the other rows are ingested.
#[test]
fn a_cell_over_its_limit_refuses_its_row() {
    use disan::ingest::cells::{NAME_MAX_CHARS, TEXT_MAX_BYTES};
    let workspace = Workspace::new();
    let long_name = "ô".repeat(NAME_MAX_CHARS + 101);
    let name = "ô".repeat(NAME_MAX_CHARS);
    let products = format!("id,name\nsp-dai,{long_name}\nsp-vua,{name}\n");
    let artisans = format!(
        "id,name,description\nnn-dai,Nghệ nhân thử dài,{}\nnn-vua,Nghệ nhân thử vừa,{}\n",
        "a".repeat(TEXT_MAX_BYTES + 1),
        "a".repeat(TEXT_MAX_BYTES)
    );
    let metadata = format!(
        "filename,dc.title\nobjects/dai.txt,{}\nobjects/vua.txt,Văn bản thử vừa\n",
        "x".repeat(NAME_MAX_CHARS + 1)
    );
    let sized = batch(
        &workspace,
        "sized",
        &[
            ("metadata/products.csv", products.as_str()),
            ("metadata/artisans.csv", artisans.as_str()),
            ("metadata/metadata.csv", metadata.as_str()),
            ("objects/dai.txt", "Văn bản thử dài."),
            ("objects/vua.txt", "Văn bản thử vừa."),
        ],
    );
    let (code, report) = workspace.ingest(&sized, &[]);
    assert_eq!(code, 1);
    let problems = problems(&report);
    for expected in [
        "error: metadata/products.csv, row 2, column name: the cell holds 601 characters, over the limit of 500 characters for a name, title, id or keyword: shorten it; the row is not ingested until it is fixed",
        "error: metadata/artisans.csv, row 2, column description: the cell holds 65537 bytes, over the limit of 65536 bytes for a description (a longer text belongs in a Markdown record's body): shorten it; the row is not ingested until it is fixed",
        "error: metadata/metadata.csv, row 2, column dc.title: the cell holds 501 characters, over the limit of 500 characters for a name, title, id or keyword: shorten it; the row is not ingested until it is fixed",
    ] {
        assert!(
            problems.iter().any(|p| p == expected),
            "{expected}\n{problems:#?}"
        );
    }
    assert_eq!(
        ids(&report, "authorities", "added"),
        ["urn:disan:artisan:nn-vua", "urn:disan:product:sp-vua"]
    );
    let catalogue = catalogue(&workspace);
    assert_eq!(
        catalogue.products[&ProductId::parse("sp-vua").unwrap()].name,
        name
    );
    let records: Vec<&str> = catalogue.records.keys().map(|id| id.as_str()).collect();
    assert_eq!(records.len(), 1, "{records:?}");
    assert!(records[0].contains("vua"), "{records:?}");
}
