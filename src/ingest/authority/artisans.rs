//! `metadata/artisans.csv`: `id,name,name@en,village,crafts,born,died,description,description@en,access`.
//!
//! An artisan's name, village and crafts are public; `born`, `died` and the description follow
//! `access`, which defaults to `researchers` for a living person and `public` once `died` is
//! given ([`Artisan::default_access`]); an artisan already archived keeps its access, and every
//! field whose column the file lacks, when the file does not state them. Honours come from `metadata/honours.csv`
//! ([`super::parse_honours`]).

use std::collections::BTreeMap;

use super::{Columns, Parsed, once};
use crate::ingest::metadata::Authorities;
use crate::model::{Artisan, ArtisanId, Lang, SCHEMA_VERSION};
use crate::msg;

/// The columns of this file.
pub(super) const COLUMNS: Columns = Columns {
    required: &["id", "name"],
    optional: &[
        "name@en",
        "village",
        "crafts",
        "born",
        "died",
        "description",
        "description@en",
        "access",
    ],
};

/// Parses `artisans.csv`. `known` gives the villages and crafts a row may name (by id or name,
/// ignoring case and diacritics, as a record's row does), the communities `access` may name,
/// and in `known.artisans` the archive's artisans. `crafts` lists several separated by `;` or
/// `,`. Honours are left empty.
///
/// An artisan the archive holds keeps every field whose column the file does not have
/// ([`super::Row::kept`]; an empty cell in a column it has clears the field), and keeps its
/// archived access when the row gives none ([`super::Row::kept_access`]). `born` and `died`
/// after today (in Vietnam) are errors.
pub fn parse_artisans(file: &str, text: &str, known: &Authorities) -> Parsed<Artisan, ArtisanId> {
    let today = super::today();
    let (mut parsed, rows, repeated) =
        super::start_by_id(file, text, &COLUMNS, |id| ArtisanId::parse(id).ok());
    for row in rows {
        let mut errors = Vec::new();
        let id = row.required("id", &mut errors).and_then(|id| {
            ArtisanId::parse(id)
                .map_err(|e| errors.push(row.error("id", e.message())))
                .ok()
        });
        if let Some(id) = &id {
            once(&repeated, id, &row, &mut errors);
        }
        let name = row.required("name", &mut errors).map(str::to_string);
        // The archive's artisan of this id: `known.artisans` holds the archive's until the
        // batch's accepted rows join it, after this file is read.
        let archived = id.as_ref().and_then(|id| known.artisans.get(id));
        let village = row.resolved_one("village", |text| known.village(text), &mut errors);
        let village = row.kept("village", village, archived.map(|a| a.village.clone()));
        let crafts = row.resolved("crafts", |text| known.craft(text), &mut errors);
        let crafts = row.kept("crafts", crafts, archived.map(|a| a.crafts.clone()));
        let born = row.edtf("born", &mut errors);
        let died = row.edtf("died", &mut errors);
        row.not_future("born", born.as_ref(), today, &mut errors);
        row.not_future("died", died.as_ref(), today, &mut errors);
        let born = row.kept("born", born, archived.map(|a| a.born.clone()));
        let died = row.kept("died", died, archived.map(|a| a.died.clone()));
        if let (Some(born), Some(died)) = (&born, &died)
            && let (Some(birth), Some(death)) = (born.earliest(), died.latest())
            && death < birth
        {
            // At a column the file has: one of the two dates may be the archive's.
            errors.push(row.error_at(
                &["died", "born"],
                msg!(
                    "ingest-death-before-birth",
                    "{death} ({died}) is before {birth} ({born}): check both years",
                    death = row.named("died", "death"),
                    died = died.as_str(),
                    birth = row.named("born", "birth"),
                    born = born.as_str()
                ),
            ));
        }
        let stated = row.access(&known.communities, &mut errors);
        let mut description = BTreeMap::new();
        for (lang, column) in [(Lang::Vi, "description"), (Lang::En, "description@en")] {
            let text = row.kept(
                column,
                row.optional(column).map(str::to_string),
                archived.map(|a| a.description.get(&lang).cloned()),
            );
            if let Some(text) = text {
                description.insert(lang, text);
            }
        }
        let name_en = row.kept(
            "name@en",
            row.optional("name@en").map(str::to_string),
            archived.map(|a| a.name_en.clone()),
        );
        parsed.problems.extend(errors.iter().cloned());
        match (id, name, errors.is_empty()) {
            (Some(id), Some(name), true) => {
                let access = row.kept_access(
                    ("artisan", &id),
                    stated,
                    archived.map(|a| &a.access),
                    || Artisan::default_access(died.as_ref()),
                    &mut parsed.problems,
                );
                parsed.items.push(Artisan {
                    schema: SCHEMA_VERSION,
                    access,
                    id,
                    name,
                    name_en,
                    village,
                    crafts,
                    born,
                    died,
                    description,
                    honours: Vec::new(),
                })
            }
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
    use crate::model::{Access, Craft, CraftId, Village, VillageId};

    fn known() -> Authorities {
        let mut known = Authorities::default();
        let village = Village::new(VillageId::parse("lang-thu-1").unwrap(), "Làng thử 1");
        known.villages.insert(village.id.clone(), village);
        let craft = Craft {
            schema: SCHEMA_VERSION,
            id: CraftId::parse("nghe-thu").unwrap(),
            name: "Nghề thử".into(),
            name_en: None,
        };
        known.crafts.insert(craft.id.clone(), craft);
        known
    }

    #[test]
    fn access_defaults_by_death_and_dates_are_checked() {
        let text = "id,name,village,crafts,born,died,description,access\n\
            a,Nghệ nhân thử nghiệm A,Lang thu 1,nghe-thu,1950,,Mô tả,\n\
            b,Nghệ nhân thử nghiệm B,lang-thu-1,Nghề thử,1900,1970,,\n\
            c,Nghệ nhân thử nghiệm C,,,1950,1940,,\n\
            d,Nghệ nhân thử nghiệm D,lang-khong-co,nghe-la,195?,12/1990,,private\n";
        let parsed = parse_artisans("metadata/artisans.csv", text, &known());
        let access: Vec<(&str, &Access)> = parsed
            .items
            .iter()
            .map(|a| (a.id.as_str(), &a.access))
            .collect();
        assert_eq!(
            access,
            [("a", &Access::Researchers), ("b", &Access::Public)]
        );
        assert_eq!(
            parsed.items[0].village.as_ref().unwrap().as_str(),
            "lang-thu-1"
        );
        assert_eq!(parsed.items[1].crafts[0].as_str(), "nghe-thu");
        assert_eq!(
            parsed
                .refused
                .keys()
                .map(|id| id.as_str())
                .collect::<Vec<_>>(),
            ["c", "d"]
        );
        let messages: Vec<String> = parsed.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "error: metadata/artisans.csv, row 4, column died: the death (1940) is before the birth (1950): check both years",
                "error: metadata/artisans.csv, row 5, column village: unknown village 'lang-khong-co': it is neither in the archive nor in the batch's metadata/villages.csv",
                "error: metadata/artisans.csv, row 5, column crafts: unknown craft 'nghe-la': it is neither in the archive nor in the batch's metadata/crafts.csv",
                "error: metadata/artisans.csv, row 5, column born: \"195?\": not an EDTF date; write it like 2020-08-27, 2019, 1990/1999, 1930~, 1930? or 193X",
                "error: metadata/artisans.csv, row 5, column died: \"12/1990\": not an EDTF date; write it like 2020-08-27, 2019, 1990/1999, 1930~, 1930? or 193X",
                "error: metadata/artisans.csv, row 5, column access: 'private' is not an access level; use one of: public, researchers, restricted, community:<group-id>",
            ]
        );
    }

    /// fix14 point 1: a file giving one of `born` and `died` is checked against the other as
    /// archived, at the column it has, the archived date named as such.
    #[test]
    fn a_partial_update_names_the_archived_date_at_a_column_the_file_has() {
        let mut known = known();
        let artisan = Artisan {
            schema: SCHEMA_VERSION,
            access: Access::Public,
            id: ArtisanId::parse("a").unwrap(),
            name: "Nghệ nhân thử nghiệm A".into(),
            name_en: None,
            village: None,
            crafts: Vec::new(),
            born: Some(crate::model::Edtf::parse("1900").unwrap()),
            died: Some(crate::model::Edtf::parse("1970").unwrap()),
            description: BTreeMap::new(),
            honours: Vec::new(),
        };
        known.artisans.insert(artisan.id.clone(), artisan);
        let messages = |text: &str| -> Vec<String> {
            let parsed = parse_artisans("metadata/artisans.csv", text, &known);
            parsed.problems.iter().map(ToString::to_string).collect()
        };
        assert_eq!(
            messages("id,name,born\na,Nghệ nhân thử nghiệm A,1980\n"),
            [
                "error: metadata/artisans.csv, row 2, column born: the archived death (1970) is before the birth (1980): check both years"
            ]
        );
        assert_eq!(
            messages("id,name,died\na,Nghệ nhân thử nghiệm A,1890\n"),
            [
                "error: metadata/artisans.csv, row 2, column died: the death (1890) is before the archived birth (1900): check both years"
            ]
        );
    }
}
