//! `metadata/crafts.csv`: `id,name,name@en`, a craft's names in both languages.

use super::{Columns, rows};
use crate::ingest::report::Problem;
use crate::model::{Craft, CraftId, SCHEMA_VERSION};

/// The columns of this file.
const COLUMNS: Columns = Columns {
    required: &["id", "name"],
    optional: &["name@en"],
};

/// Parses `crafts.csv` (`id,name,name@en`).
pub fn parse_crafts(file: &str, text: &str) -> (Vec<Craft>, Vec<Problem>) {
    let mut crafts = Vec::new();
    let mut problems = Vec::new();
    for row in rows(file, text, &COLUMNS, &mut problems) {
        let mut errors = Vec::new();
        let id = row.required("id", &mut errors).and_then(|id| {
            CraftId::parse(id)
                .map_err(|e| errors.push(row.error("id", e.0)))
                .ok()
        });
        let name = row.required("name", &mut errors).map(str::to_string);
        problems.extend(errors.iter().cloned());
        if let (Some(id), Some(name), true) = (id, name, errors.is_empty()) {
            crafts.push(Craft {
                schema: SCHEMA_VERSION,
                id,
                name,
                name_en: row.optional("name@en").map(str::to_string),
            });
        }
    }
    (crafts, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crafts_need_id_and_name() {
        let (crafts, problems) = parse_crafts(
            "metadata/crafts.csv",
            "id,name,name@en\ndet-lua,Dệt lụa,Silk weaving\n,Không id,\n",
        );
        assert_eq!(crafts.len(), 1);
        assert_eq!(crafts[0].name_en.as_deref(), Some("Silk weaving"));
        assert_eq!(
            problems[0].to_string(),
            "error: metadata/crafts.csv, row 3, column id: this column must not be empty"
        );
    }
}
