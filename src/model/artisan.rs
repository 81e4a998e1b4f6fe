//! Artisans and their honours, the people Plan 344/KH-UBND asks the province to honour.
//!
//! An [`Artisan`] is an authority record like a village: `metadata/artisans.csv` describes it,
//! `metadata/honours.csv` lists its awards ([`Honour`]), records name it by [`ArtisanId`]
//! (`artisan` column). The archive keeps each as an OCFL object (`urn:disan:artisan:<id>`).
//!
//! Access (issue 14): an artisan's name, village, crafts and honours are public, so a province
//! can list whom it honours; birth year, death year and description are personal data about
//! living people and follow [`Artisan::access`], which defaults to `researchers` for a living
//! person and `public` for one whose death year is known ([`Artisan::default_access`]).

use std::collections::BTreeMap;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{InvalidValue, text};

use super::access::Viewer;
use super::{Access, CraftId, Edtf, Lang, VillageId};

string_id!(
    /// An artisan authority id, a lowercase slug such as `nguyen-van-a-doi-tam`.
    ArtisanId,
    "artisan id",
    super::is_slug_id
);

keyword_enum!(
    /// The scheme an honour belongs to; the title's legal basis.
    ///
    /// Sources (`../shared/REFERENCE.md` §4): the State titles *Nghệ nhân Nhân dân* and *Nghệ
    /// nhân Ưu tú* on two tracks, both awarded by the State President: intangible cultural
    /// heritage (Decree 93/2023/NĐ-CP, in force 15/02/2024, which replaced Decree 62/2014/NĐ-CP)
    /// and handicrafts (Decree 43/2024/NĐ-CP, in force 06/06/2024, which replaced Decree
    /// 123/2014/NĐ-CP). An honour keeps the scheme it was awarded under: a title of 2015 stays a
    /// Decree 62/2014 title. The Vietnam Craft Villages Association's titles (*Nghệ nhân làng
    /// nghề Việt Nam*, *Thợ giỏi làng nghề Việt Nam*) and provincial titles are not State titles.
    HonourScheme, "an honour scheme" {
        /// State title, intangible cultural heritage, Decree 93/2023/NĐ-CP.
        Decree93_2023 = "decree-93-2023",
        /// State title, intangible cultural heritage, Decree 62/2014/NĐ-CP (replaced 2024).
        Decree62_2014 = "decree-62-2014",
        /// State title, handicrafts, Decree 43/2024/NĐ-CP.
        Decree43_2024 = "decree-43-2024",
        /// State title, handicrafts, Decree 123/2014/NĐ-CP (replaced 2024).
        Decree123_2014 = "decree-123-2014",
        /// A title of the Vietnam Craft Villages Association (Hiệp hội Làng nghề Việt Nam).
        Association = "association",
        /// A title awarded by a province.
        Provincial = "provincial",
        /// Any other honour (a ministry's certificate of merit, a fair's prize).
        Other = "other",
    }
);

impl HonourScheme {
    /// Whether the scheme is one of the two State tracks, whose only titles are *Nghệ nhân Nhân
    /// dân* and *Nghệ nhân Ưu tú*.
    pub fn is_state(self) -> bool {
        matches!(
            self,
            HonourScheme::Decree93_2023
                | HonourScheme::Decree62_2014
                | HonourScheme::Decree43_2024
                | HonourScheme::Decree123_2014
        )
    }
}

/// One award to one artisan: a row of `metadata/honours.csv`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Honour {
    /// The title as awarded, NFC (`Nghệ nhân Ưu tú`).
    pub title: String,
    /// The scheme it was awarded under.
    pub scheme: HonourScheme,
    /// Who awarded it (`Chủ tịch nước`, `Hiệp hội Làng nghề Việt Nam`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub awarded_by: Option<String>,
    /// The decision's number (`1234/QĐ-CTN`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    /// When it was awarded (EDTF).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Edtf>,
}

/// A craftsperson, as `metadata/artisans.csv` and `metadata/honours.csv` describe them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Artisan {
    /// Always [`super::SCHEMA_VERSION`] when written by this version of Disan.
    pub schema: u32,
    /// Stable id.
    pub id: ArtisanId,
    /// The name as the person uses it, NFC.
    pub name: String,
    /// The name in English text, when different (rare; transliteration without marks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// The village they work in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub village: Option<VillageId>,
    /// The crafts they practise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub crafts: Vec<CraftId>,
    /// Birth (EDTF; usually a year). Guarded by [`Artisan::access`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub born: Option<Edtf>,
    /// Death (EDTF), when known. Guarded by [`Artisan::access`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub died: Option<Edtf>,
    /// Description by language. Guarded by [`Artisan::access`].
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub description: BTreeMap<Lang, String>,
    /// Who may see the birth and death dates and the description.
    pub access: Access,
    /// Honours, in the order `honours.csv` gives them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub honours: Vec<Honour>,
}

impl Artisan {
    /// The rule used when `artisans.csv` has no `access` value: `public` for a person whose
    /// death is recorded, `researchers` for anyone else (a living person's personal data is not
    /// published by default; ASVS 5 V14 and Vietnam's Decree 13/2023/NĐ-CP on personal data).
    pub fn default_access(died: Option<&Edtf>) -> Access {
        if died.is_some() {
            Access::Public
        } else {
            Access::Researchers
        }
    }

    /// The name in `lang`, falling back to the Vietnamese name.
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => self.name_en.as_deref().unwrap_or(&self.name),
            Lang::Vi => &self.name,
        }
    }

    /// What `viewer` may see of this artisan: the same artisan with birth, death and
    /// description removed unless the viewer may see [`Artisan::access`]. Name, village,
    /// crafts and honours are always public.
    pub fn shown_to(&self, viewer: &Viewer) -> Artisan {
        if viewer.may_see(&self.access) {
            return self.clone();
        }
        Artisan {
            born: None,
            died: None,
            description: BTreeMap::new(),
            ..self.clone()
        }
    }

    /// The distinct titles held, in award order.
    pub fn titles(&self) -> Vec<&str> {
        let mut titles: Vec<&str> = Vec::new();
        for honour in &self.honours {
            if !titles.contains(&honour.title.as_str()) {
                titles.push(&honour.title);
            }
        }
        titles
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Role;

    fn artisan(access: Access) -> Artisan {
        Artisan {
            schema: 1,
            id: ArtisanId::parse("mau-a").unwrap(),
            name: "Nghệ nhân mẫu A".into(),
            name_en: None,
            village: None,
            crafts: vec![],
            born: Some(Edtf::parse("1950").unwrap()),
            died: None,
            description: [(Lang::Vi, "Mô tả".to_string())].into(),
            access,
            honours: vec![Honour {
                title: "Nghệ nhân Ưu tú".into(),
                scheme: HonourScheme::Decree43_2024,
                awarded_by: None,
                decision: None,
                date: None,
            }],
        }
    }

    #[test]
    fn personal_data_follows_the_rule_and_the_rest_is_public() {
        let hidden = artisan(Access::Researchers).shown_to(&Viewer::Anonymous);
        assert_eq!(hidden.born, None);
        assert!(hidden.description.is_empty());
        assert_eq!(hidden.name, "Nghệ nhân mẫu A");
        assert_eq!(hidden.titles(), vec!["Nghệ nhân Ưu tú"]);
        let researcher = Viewer::Account {
            role: Role::Researcher,
            groups: Default::default(),
        };
        let shown = artisan(Access::Researchers).shown_to(&researcher);
        assert!(shown.born.is_some());
        assert!(!shown.description.is_empty());
        assert!(
            artisan(Access::Restricted)
                .shown_to(&researcher)
                .born
                .is_none()
        );
    }

    #[test]
    fn living_people_default_to_researchers() {
        assert_eq!(Artisan::default_access(None), Access::Researchers);
        let died = Edtf::parse("2001").unwrap();
        assert_eq!(Artisan::default_access(Some(&died)), Access::Public);
    }

    /// Found by voc-b: serde's kebab-case made `Decree93_2023` `decree93-2023` in JSON (the
    /// archive, the index's copy, the API) while metadata says `decree-93-2023`.
    #[test]
    fn schemes_serialise_as_the_keywords_archivists_write() {
        for scheme in HonourScheme::ALL {
            let json = serde_json::to_value(scheme).unwrap();
            assert_eq!(json, scheme.as_str());
            let back: HonourScheme = serde_json::from_value(json).unwrap();
            assert_eq!(back, *scheme);
        }
        assert_eq!(
            serde_json::to_value(HonourScheme::Decree93_2023).unwrap(),
            "decree-93-2023"
        );
    }

    #[test]
    fn state_schemes_are_the_four_decrees() {
        let state: Vec<_> = HonourScheme::ALL.iter().filter(|s| s.is_state()).collect();
        assert_eq!(state.len(), 4);
        assert!(!HonourScheme::Association.is_state());
    }
}
