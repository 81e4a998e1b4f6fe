//! The free-text lists of `metadata/villages.csv` (`products`, `products@en`, `artisans`) checked
//! against the products the batch and the archive describe.
//!
//! Those lists predate `metadata/products.csv` and are shown as written. An entry naming a
//! described product duplicates what products.csv links properly (with its village, stars and
//! access), and when the product is not public the entry is the one place that names it to
//! anyone: the site leaves such entries out for viewers who may not see the product
//! ([`crate::index::authorities::Authorities::free_text_shown`]), and ingest warns here, at the
//! cell, so the archivist links the product through products.csv instead (break14b finding 3).

use std::collections::BTreeMap;

use super::{Columns, list, rows_and_broken};
use crate::ingest::report::Problem;
use crate::model::{Access, Product, ProductId};

/// The columns read here; the file's other columns are `parse_villages`'s business.
const COLUMNS: Columns = Columns {
    required: &["id", "name"],
    optional: &["artisans", "products", "products@en"],
};

/// The free-text columns checked, in the order their cells are reported.
const FREE_TEXT: [&str; 3] = ["products", "products@en", "artisans"];

/// A warning for each entry of a free-text column of `villages.csv` (`file`, its `text`) that
/// names one of `products` ([`Product::is_named_by`]: its id or either name, case, diacritics
/// and punctuation ignored), at the entry's row and column, saying to link the product through
/// `metadata/products.csv`; for a product that is not public, saying who the entry is shown to.
///
/// Problems with the file itself (header, separators, broken rows) are `parse_villages`'s to
/// report, so none is reported here.
pub fn products_named_in_free_text(
    file: &str,
    text: &str,
    products: &BTreeMap<ProductId, Product>,
) -> Vec<Problem> {
    let mut ignored = Vec::new();
    let (rows, _) = rows_and_broken(file, text, &COLUMNS, &mut ignored);
    let mut warnings = Vec::new();
    for row in &rows {
        for column in FREE_TEXT {
            for entry in list(row.optional(column)) {
                let Some(product) = products.values().find(|p| p.is_named_by(&entry)) else {
                    continue;
                };
                let restricted = if product.access == Access::Public {
                    crate::msg!("ingest-nothing", "")
                } else {
                    crate::msg!(
                        "ingest-free-text-product-restricted",
                        "; the product's access is {access}, so this entry is left out for everyone who may not see it",
                        access = product.access.to_string()
                    )
                };
                let message = crate::msg!(
                    "ingest-free-text-names-product",
                    "'{entry}' names the product {id}, which metadata/products.csv or the archive describes; link a product to its village with the village column of metadata/products.csv, not this free-text list, which the village page shows as written{restricted}",
                    entry = entry,
                    id = product.id.to_string(),
                    restricted = restricted
                );
                warnings.push(
                    Problem::warning(file, message)
                        .at_row(row.line)
                        .in_column(column),
                );
            }
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::report::Severity;
    use crate::model::{SCHEMA_VERSION, VillageId};

    fn product(id: &str, name: &str, name_en: Option<&str>, access: Access) -> Product {
        Product {
            schema: SCHEMA_VERSION,
            id: ProductId::parse(id).unwrap(),
            name: name.into(),
            name_en: name_en.map(str::to_string),
            village: Some(VillageId::parse("lang-thu-2").unwrap()),
            craft: None,
            producer: None,
            ocop: None,
            access,
        }
    }

    fn warnings(text: &str, products: &[Product]) -> Vec<(Option<usize>, String, String)> {
        let products = products.iter().map(|p| (p.id.clone(), p.clone())).collect();
        products_named_in_free_text("metadata/villages.csv", text, &products)
            .into_iter()
            .map(|w| {
                assert!(matches!(w.severity, Severity::Warning), "{w:?}");
                (w.row, w.column.unwrap_or_default(), w.message)
            })
            .collect()
    }

    #[test]
    fn an_entry_naming_a_described_product_by_id_or_name_is_warned_at_its_cell() {
        let products = [
            product(
                "san-pham-thu-5-sao",
                "Sản phẩm thử 5 sao",
                Some("Test product 5 stars"),
                Access::Restricted,
            ),
            product("trong-thu", "Trống thử", None, Access::Public),
        ];
        // The header is row 1; the cell with a line break makes row 3 two lines long.
        let text = "id,name,products,products@en,artisans\n\
                    lang-thu-1,Làng thử 1,tang trống; TRỐNG THU,,\n\
                    lang-thu-2,\"Làng\nthử 2\",san-pham-thu-5-sao; Sản phẩm thử 5 sao,test product 5 STARS,Nghệ nhân A\n\
                    lang-thu-3,Làng thử 3,,,san pham thu 5 sao\n";
        let restricted = "; the product's access is restricted, so this entry is left out for everyone who may not see it";
        let names = |entry: &str, id: &str, tail: &str| {
            format!(
                "'{entry}' names the product {id}, which metadata/products.csv or the archive describes; link a product to its village with the village column of metadata/products.csv, not this free-text list, which the village page shows as written{tail}"
            )
        };
        assert_eq!(
            warnings(text, &products),
            vec![
                (
                    Some(2),
                    "products".to_string(),
                    names("TRỐNG THU", "trong-thu", "")
                ),
                (
                    Some(3),
                    "products".to_string(),
                    names("san-pham-thu-5-sao", "san-pham-thu-5-sao", restricted)
                ),
                (
                    Some(3),
                    "products".to_string(),
                    names("Sản phẩm thử 5 sao", "san-pham-thu-5-sao", restricted)
                ),
                (
                    Some(3),
                    "products@en".to_string(),
                    names("test product 5 STARS", "san-pham-thu-5-sao", restricted)
                ),
                (
                    Some(4),
                    "artisans".to_string(),
                    names("san pham thu 5 sao", "san-pham-thu-5-sao", restricted)
                ),
            ]
        );
    }

    #[test]
    fn entries_naming_no_product_and_files_without_the_columns_give_nothing() {
        let products = [product("trong-thu", "Trống thử", None, Access::Restricted)];
        // A longer or shorter name is another thing; "Trống" alone is not "Trống thử".
        let text = "id,name,products\nlang-thu-1,Làng thử 1,Trống; Trống thử lớn; --\n";
        assert_eq!(warnings(text, &products), vec![]);
        assert_eq!(
            warnings("id,name\nlang-thu-1,Làng thử 1\n", &products),
            vec![]
        );
    }
}
