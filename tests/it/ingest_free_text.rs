//! Ingest warns, at the cell, when a free-text list of `villages.csv` (`products`,
//! `products@en`, `artisans`) names a product that `products.csv` or the archive describes,
//! saying to link it through products.csv (break14b finding 3): such a list is shown as written,
//! and may name a product the public may not see.

use crate::support::{Workspace, problems};

#[test]
fn a_village_list_naming_a_described_product_is_warned_at_its_row_and_column() {
    let workspace = Workspace::new();
    let batch = workspace.batch("vocabulary");
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    // A later batch with villages.csv alone: the products are the archive's now.
    std::fs::remove_file(batch.join("metadata/products.csv")).unwrap();
    std::fs::write(
        batch.join("metadata/villages.csv"),
        "id,name,crafts,products,products@en,artisans\n\
         lang-thu-1,Làng thử 1,nghe-thu-1,Trống da; sản phẩm thử 3 sao,,\n\
         lang-thu-2,Làng thử 2,nghe-thu-2,SAN-PHAM-THU-HAN-CHE,Test product restricted,Ông Thử\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &["--dry-run"]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let link = "which metadata/products.csv or the archive describes; link a product to its village with the village column of metadata/products.csv, not this free-text list, which the village page shows as written";
    let restricted = "; the product's access is restricted, so this entry is left out for everyone who may not see it";
    let warned: Vec<String> = problems(&report)
        .into_iter()
        .filter(|line| line.contains("names the product"))
        .collect();
    assert_eq!(
        warned,
        [
            format!(
                "warning: metadata/villages.csv, row 2, column products: 'sản phẩm thử 3 sao' names the product san-pham-thu-3-sao, {link}"
            ),
            format!(
                "warning: metadata/villages.csv, row 3, column products: 'SAN-PHAM-THU-HAN-CHE' names the product san-pham-thu-han-che, {link}{restricted}"
            ),
            format!(
                "warning: metadata/villages.csv, row 3, column products@en: 'Test product restricted' names the product san-pham-thu-han-che, {link}{restricted}"
            ),
        ]
    );
}
