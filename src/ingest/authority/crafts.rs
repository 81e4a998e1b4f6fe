//! `metadata/crafts.csv`: `id,name,name@en`, a craft's names in both languages.

use std::collections::BTreeMap;

use super::{Columns, Parsed, once, repeated, rows_and_broken};
use crate::model::{Craft, CraftId, SCHEMA_VERSION};

/// The columns of this file.
pub(super) const COLUMNS: Columns = Columns {
    required: &["id", "name"],
    optional: &["name@en"],
};

/// Parses `crafts.csv` (`id,name,name@en`). An id given by two rows refuses both
/// ([`super::once`]); [`Parsed::refused`] lists the ids of the refused rows.
pub fn parse_crafts(file: &str, text: &str) -> Parsed<Craft, CraftId> {
    let mut parsed = Parsed {
        items: Vec::new(),
        problems: Vec::new(),
        refused: BTreeMap::new(),
    };
    let (rows, broken) = rows_and_broken(file, text, &COLUMNS, &mut parsed.problems);
    let repeated = repeated(&rows, &broken, |id| CraftId::parse(id).ok());
    for row in &broken {
        if let Some(id) = row.optional("id").and_then(|id| CraftId::parse(id).ok()) {
            parsed.refused.entry(id).or_insert(row.line);
        }
    }
    for row in rows {
        let mut errors = Vec::new();
        let id = row.required("id", &mut errors).and_then(|id| {
            CraftId::parse(id)
                .map_err(|e| errors.push(row.error("id", e.message())))
                .ok()
        });
        if let Some(id) = &id {
            once(&repeated, id, &row, &mut errors);
        }
        let name = row.required("name", &mut errors).map(str::to_string);
        parsed.problems.extend(errors.iter().cloned());
        match (id, name, errors.is_empty()) {
            (Some(id), Some(name), true) => parsed.items.push(Craft {
                schema: SCHEMA_VERSION,
                id,
                name,
                name_en: row.optional("name@en").map(str::to_string),
            }),
            (Some(id), _, _) => {
                parsed.refused.entry(id).or_insert(row.line);
            }
            _ => {}
        }
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Break14 finding 2: crafts are public, so a cell holding nothing but an access level
    /// (here in `name@en`, full-width) refuses the row instead of going in unread.
    #[test]
    fn an_access_level_in_a_public_file_refuses_the_row() {
        let parsed = parse_crafts(
            "metadata/crafts.csv",
            "id,name,name@en\ndet,Dệt,ｒｅｓｔｒｉｃｔｅｄ\ngom,Gốm,Pottery\n",
        );
        assert_eq!(parsed.items.len(), 1);
        assert_eq!(parsed.refused.len(), 1);
        assert_eq!(
            parsed.problems[0].to_string(),
            "error: metadata/crafts.csv, row 2, column name@en: 'name@en' says 'ｒｅｓｔｒｉｃｔｅｄ', an access level, but this file has no access column: what it describes is public: remove it, or restrict the records that need it; the row is not ingested until it is fixed"
        );
    }

    #[test]
    fn crafts_need_id_and_name() {
        let parsed = parse_crafts(
            "metadata/crafts.csv",
            "id,name,name@en\ndet-lua,Dệt lụa,Silk weaving\n,Không id,\n",
        );
        assert_eq!(parsed.items.len(), 1);
        assert_eq!(parsed.items[0].name_en.as_deref(), Some("Silk weaving"));
        assert_eq!(
            parsed.problems[0].to_string(),
            "error: metadata/crafts.csv, row 3, column id: this column must not be empty"
        );
    }

    /// An id given twice (once padded with spaces, which a slug ignores) refuses both rows,
    /// and only those.
    #[test]
    fn a_repeated_id_refuses_both_rows() {
        let parsed = parse_crafts(
            "metadata/crafts.csv",
            "id,name\ndet-lua,Dệt lụa\nlam-trong,Làm trống\n\"det-lua \",Dệt lụa (lần hai)\n",
        );
        let kept: Vec<&str> = parsed.items.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(kept, ["lam-trong"]);
        let refused: Vec<(&str, Option<usize>)> = parsed
            .refused
            .iter()
            .map(|(id, row)| (id.as_str(), *row))
            .collect();
        assert_eq!(refused, [("det-lua", Some(2))]);
        let messages: Vec<String> = parsed.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "error: metadata/crafts.csv, row 2, column id: 'det-lua' is described again at row 4: give each id one row; none of its rows is ingested until then",
                "error: metadata/crafts.csv, row 4, column id: 'det-lua' is already described at row 2: give each id one row; none of its rows is ingested until then",
            ]
        );
    }
}
