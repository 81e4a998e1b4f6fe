//! How much one cell of a CSV file the ingest reads may hold: `metadata.csv` and the authority
//! files (`villages.csv`, `crafts.csv`, `artisans.csv`, `honours.csv`, `products.csv`).
//!
//! Without a bound, one pasted cell reached every page that shows it: a product name of 2.4 MB
//! went in and made `/products` take 2.2 s (fix14 point 2). Each column is of one [`CellKind`],
//! whose limit a cell may not pass; a cell over it refuses its row (naming file, row, column and
//! the limit), as any bad cell does, and the other rows go in. The limits are generous for what
//! each column holds:
//!
//! | kind | columns | limit |
//! | --- | --- | --- |
//! | [`CellKind::Name`] | names, titles, ids, references to villages, crafts, artisans and products, keywords (`kind`, `access`, `ocop_group`…), dates, decisions | 500 characters |
//! | [`CellKind::Long`] | lists (`crafts`, a village's `artisans`, `products`), `filename`, and every other `metadata.csv` column (`dc.subject`, `dc.rights`, columns Disan keeps verbatim) | 4,000 characters |
//! | [`CellKind::Text`] | descriptions (`description`, `description@en`, `dc.description`, `dc.abstract` in any language) | 64 KiB of UTF-8 |
//!
//! A description's 64 KiB is what a Markdown record's front matter, where its description is
//! written, may hold ([`crate::ingest::frontmatter::MAX_FRONT_MATTER_BYTES`]); a longer text is a
//! Markdown record's body (2 MiB). A title of 500 characters is several times the longest in the
//! sample and in the catalogues it follows (Dublin Core sets none; Omeka S and CollectiveAccess
//! store titles as unbounded text, so the bound is Disan's own).

use crate::ingest::frontmatter::MAX_FRONT_MATTER_BYTES;
use crate::model::Message;
use crate::msg;

/// The characters a [`CellKind::Name`] cell may hold.
pub const NAME_MAX_CHARS: usize = 500;

/// The characters a [`CellKind::Long`] cell may hold.
pub const LONG_MAX_CHARS: usize = 4_000;

/// The bytes (UTF-8) a [`CellKind::Text`] cell may hold: 64 KiB, as a front matter.
pub const TEXT_MAX_BYTES: usize = MAX_FRONT_MATTER_BYTES;

/// What a column holds, which bounds its cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// A name, title, id, reference, keyword or date: [`NAME_MAX_CHARS`].
    Name,
    /// A list, a path, or free text kept as written: [`LONG_MAX_CHARS`].
    Long,
    /// A description: [`TEXT_MAX_BYTES`].
    Text,
}

impl CellKind {
    /// The kind of column `column` of an authority file (its header, lowercase): descriptions
    /// are [`CellKind::Text`], the lists (`crafts`, and a village's `artisans`, `products`,
    /// `products@en`) [`CellKind::Long`], every other column [`CellKind::Name`].
    pub fn of_authority_column(column: &str) -> Self {
        match column {
            "description" | "description@en" => CellKind::Text,
            "crafts" | "artisans" | "products" | "products@en" => CellKind::Long,
            _ => CellKind::Name,
        }
    }

    /// The kind of column `column` of `metadata.csv`: `dc.description` and `dc.abstract` (in
    /// any language) are [`CellKind::Text`]; titles, and the columns naming a kind, village,
    /// craft, artisan, product, access rule or stop, [`CellKind::Name`]; `filename` and every
    /// other column [`CellKind::Long`].
    pub fn of_metadata_column(column: &crate::ingest::metadata::Column) -> Self {
        use crate::ingest::metadata::Column;
        match column {
            Column::Dc { term, .. } if term == "description" || term == "abstract" => {
                CellKind::Text
            }
            Column::Dc { term, .. } if term == "title" => CellKind::Name,
            Column::Kind
            | Column::Village
            | Column::Craft
            | Column::Artisan
            | Column::Product
            | Column::Access
            | Column::AccessNeed
            | Column::FilesAccess
            | Column::FilesAccessNeed
            | Column::Stop => CellKind::Name,
            Column::Filename | Column::Dc { .. } | Column::Extra(_) | Column::Invalid(_) => {
                CellKind::Long
            }
        }
    }

    /// Why `value`, a cell of this kind, is refused: `None` when it is within the limit, else
    /// the message for its row and column ("the cell holds 2400000 characters, over the limit
    /// of 500 characters for a name or title …").
    pub fn refusal(self, value: &str) -> Option<Message> {
        let (size, limit) = match self {
            CellKind::Text => (value.len(), TEXT_MAX_BYTES),
            CellKind::Name => (value.chars().count(), NAME_MAX_CHARS),
            CellKind::Long => (value.chars().count(), LONG_MAX_CHARS),
        };
        // A quick bound first: no cell of fewer bytes than the limit holds more characters.
        if value.len() <= limit || size <= limit {
            return None;
        }
        Some(match self {
            CellKind::Text => msg!(
                "ingest-cell-too-long-text",
                "the cell holds {size} bytes, over the limit of {limit} bytes for a description (a longer text belongs in a Markdown record's body): shorten it; the row is not ingested until it is fixed",
                size = size,
                limit = limit
            ),
            CellKind::Name => msg!(
                "ingest-cell-too-long-name",
                "the cell holds {size} characters, over the limit of {limit} characters for a name, title, id or keyword: shorten it; the row is not ingested until it is fixed",
                size = size,
                limit = limit
            ),
            CellKind::Long => msg!(
                "ingest-cell-too-long-list",
                "the cell holds {size} characters, over the limit of {limit} characters for a list, path or note: shorten it; the row is not ingested until it is fixed",
                size = size,
                limit = limit
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_takes_its_limit_and_no_more() {
        assert_eq!(CellKind::Name.refusal(&"ô".repeat(NAME_MAX_CHARS)), None);
        assert_eq!(
            CellKind::Name
                .refusal(&"ô".repeat(NAME_MAX_CHARS + 1))
                .unwrap()
                .english,
            "the cell holds 501 characters, over the limit of 500 characters for a name, title, id or keyword: shorten it; the row is not ingested until it is fixed"
        );
        assert_eq!(CellKind::Long.refusal(&"a".repeat(LONG_MAX_CHARS)), None);
        assert!(
            CellKind::Long
                .refusal(&"a".repeat(LONG_MAX_CHARS + 1))
                .is_some()
        );
        assert_eq!(CellKind::Text.refusal(&"a".repeat(TEXT_MAX_BYTES)), None);
        assert_eq!(
            CellKind::Text
                .refusal(&"a".repeat(TEXT_MAX_BYTES + 1))
                .unwrap()
                .english,
            "the cell holds 65537 bytes, over the limit of 65536 bytes for a description (a longer text belongs in a Markdown record's body): shorten it; the row is not ingested until it is fixed"
        );
        assert_eq!(CellKind::of_authority_column("name"), CellKind::Name);
        assert_eq!(CellKind::of_authority_column("products@en"), CellKind::Long);
        assert_eq!(
            CellKind::of_authority_column("description@en"),
            CellKind::Text
        );
    }
}
