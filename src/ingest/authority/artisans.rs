//! `metadata/artisans.csv`: `id,name,name@en,village,crafts,born,died,description,description@en,access`.
//!
//! An artisan's name, village and crafts are public; `born`, `died` and the description follow
//! `access`, which defaults to `researchers` for a living person and `public` once `died` is
//! given ([`Artisan::default_access`]). Honours come from `metadata/honours.csv`
//! ([`super::parse_honours`]).

use std::collections::BTreeMap;

use super::{Columns, Parsed, once, repeated, rows_and_broken};
use crate::ingest::metadata::Authorities;
use crate::model::{Artisan, ArtisanId, Lang, SCHEMA_VERSION};

/// The columns of this file.
const COLUMNS: Columns = Columns {
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
/// ignoring case and diacritics, as a record's row does) and the communities `access` may name.
/// `crafts` lists several separated by `;` or `,`. Honours are left empty.
pub fn parse_artisans(file: &str, text: &str, known: &Authorities) -> Parsed<Artisan, ArtisanId> {
    let mut parsed = Parsed {
        items: Vec::new(),
        problems: Vec::new(),
        refused: BTreeMap::new(),
    };
    let (rows, broken) = rows_and_broken(file, text, &COLUMNS, &mut parsed.problems);
    let repeated = repeated(&rows, &broken, |id| ArtisanId::parse(id).ok());
    for row in &broken {
        if let Some(id) = row.optional("id").and_then(|id| ArtisanId::parse(id).ok()) {
            parsed.refused.entry(id).or_insert(row.line);
        }
    }
    for row in rows {
        let mut errors = Vec::new();
        let id = row.required("id", &mut errors).and_then(|id| {
            ArtisanId::parse(id)
                .map_err(|e| errors.push(row.error("id", e.0)))
                .ok()
        });
        if let Some(id) = &id {
            once(&repeated, id, &row, &mut errors);
        }
        let name = row.required("name", &mut errors).map(str::to_string);
        let village = row.optional("village").and_then(|text| {
            known
                .village(text)
                .map_err(|message| errors.push(row.error("village", message)))
                .ok()
        });
        let crafts = row.resolved("crafts", |text| known.craft(text), &mut errors);
        let born = row.edtf("born", &mut errors);
        let died = row.edtf("died", &mut errors);
        if let (Some(born), Some(died)) = (&born, &died)
            && let (Some(birth), Some(death)) = (born.earliest(), died.latest())
            && death < birth
        {
            errors.push(row.error(
                "died",
                format!(
                    "the death ({}) is before the birth ({}): check both years",
                    died.as_str(),
                    born.as_str()
                ),
            ));
        }
        let access = row.access(&known.communities, &mut errors);
        let description: BTreeMap<Lang, String> = [
            (Lang::Vi, row.optional("description")),
            (Lang::En, row.optional("description@en")),
        ]
        .into_iter()
        .filter_map(|(lang, text)| Some((lang, text?.to_string())))
        .collect();
        parsed.problems.extend(errors.iter().cloned());
        match (id, name, errors.is_empty()) {
            (Some(id), Some(name), true) => parsed.items.push(Artisan {
                schema: SCHEMA_VERSION,
                access: access.unwrap_or_else(|| Artisan::default_access(died.as_ref())),
                id,
                name,
                name_en: row.optional("name@en").map(str::to_string),
                village,
                crafts,
                born,
                died,
                description,
                honours: Vec::new(),
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
}
