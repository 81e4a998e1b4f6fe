//! Craft products and their OCOP ratings, which Plan 344/KH-UBND asks the province to promote.
//!
//! A [`Product`] is an authority record: `metadata/products.csv` describes it, records name it
//! by [`ProductId`] (`product` column), the archive keeps it as an OCFL object
//! (`urn:disan:product:<id>`). Its [`Ocop`] rating follows Decision 148/QĐ-TTg of 24/02/2023
//! (the "One Commune One Product" programme; `../shared/REFERENCE.md` §4): six product groups,
//! a 100-point score, 1 to 5 stars (3★ from 50 points, 4★ from 70, 5★ from 90), 3★ recognised
//! by the district (after the 2025 reform, the commune), 4★ by the province, 5★ nationally, and
//! certificates for 3–5★ valid 36 months.
//!
//! Access: a product is seen by whoever may see [`Product::access`] (default `public`); to
//! anyone else it does not exist, on any route or in any count.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{InvalidValue, text};

use super::edtf::CalendarDate;
use super::{Access, CraftId, Lang, VillageId};

string_id!(
    /// A product authority id, a lowercase slug such as `trong-doi-tam`.
    ProductId,
    "product id",
    super::is_slug_id
);

keyword_enum!(
    /// The six OCOP product groups of Decision 148/QĐ-TTg (2023).
    OcopGroup, "an OCOP product group" {
        /// Thực phẩm.
        Food = "food",
        /// Đồ uống.
        Drinks = "drinks",
        /// Thảo dược.
        Herbal = "herbal",
        /// Thủ công mỹ nghệ, the craft villages' group.
        Handicrafts = "handicrafts",
        /// Sinh vật cảnh.
        Ornamental = "ornamental",
        /// Du lịch cộng đồng, du lịch sinh thái và điểm du lịch.
        Tourism = "tourism",
    }
);

keyword_enum!(
    /// The level that recognised an OCOP rating.
    OcopLevel, "an OCOP level" {
        /// A commune (after 1 July 2025, when districts were abolished), for 3★.
        Commune = "commune",
        /// A district, for 3★ (before 1 July 2025).
        District = "district",
        /// The province, for 4★.
        Province = "province",
        /// The central government, for 5★.
        National = "national",
    }
);

impl OcopLevel {
    /// The stars this level recognises (Decision 148/QĐ-TTg).
    pub fn stars(self) -> u8 {
        match self {
            OcopLevel::Commune | OcopLevel::District => 3,
            OcopLevel::Province => 4,
            OcopLevel::National => 5,
        }
    }
}

/// The lowest score of each star count, 1★ to 5★ (Decision 148/QĐ-TTg): below 30 is 1★,
/// 30–49 is 2★, 50–69 is 3★, 70–89 is 4★, 90–100 is 5★.
pub const OCOP_STAR_FLOORS: [u8; 5] = [0, 30, 50, 70, 90];

/// How long a 3–5★ certificate is valid, in months.
pub const OCOP_VALID_MONTHS: u32 = 36;

/// The fewest stars a certified product has (Decision 148/QĐ-TTg: certificates for 3–5★).
pub const OCOP_CERTIFIED_STARS: u8 = 3;

/// The stars a score out of 100 earns; `None` above 100.
pub fn ocop_stars_for_score(score: u8) -> Option<u8> {
    (score <= 100).then(|| {
        OCOP_STAR_FLOORS
            .iter()
            .rposition(|floor| score >= *floor)
            .map_or(1, |index| index as u8 + 1)
    })
}

/// A product's OCOP rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ocop {
    /// The product group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<OcopGroup>,
    /// Stars, 1 to 5.
    pub stars: u8,
    /// Score out of 100, when known; agrees with `stars`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<u8>,
    /// The certificate's number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<String>,
    /// The day the certificate was issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<CalendarDate>,
    /// The day it expires, as written on it; see [`Ocop::expires_on`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<CalendarDate>,
    /// Who recognised the rating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<OcopLevel>,
}

impl Ocop {
    /// Whether the rating carries a certificate: Decision 148/QĐ-TTg certifies products of
    /// [`OCOP_CERTIFIED_STARS`] stars or more. Certificate data written on a 1★ or 2★ rating
    /// (which ingest warns about) is kept as written but certifies nothing.
    pub fn is_certified(&self) -> bool {
        self.stars >= OCOP_CERTIFIED_STARS
    }

    /// The last day of validity of the certificate: the written expiry, else the issue day plus
    /// [`OCOP_VALID_MONTHS`]; `None` when neither is known, or when the rating carries no
    /// certificate ([`Ocop::is_certified`]), so no page, count or export shows a 1★ or 2★
    /// product as certified, expiring or expired.
    pub fn expires_on(&self) -> Option<CalendarDate> {
        if !self.is_certified() {
            return None;
        }
        self.expires
            .or_else(|| self.issued.map(|day| day.plus_months(OCOP_VALID_MONTHS)))
    }

    /// Whether the certificate has expired on `today` (the viewer's day in Vietnam's time
    /// zone, UTC+7): `Some(true)` after its last day, `None` when no expiry is known.
    pub fn is_expired(&self, today: CalendarDate) -> Option<bool> {
        self.expires_on().map(|last| today > last)
    }
}

/// A craft product, as `metadata/products.csv` describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    /// Always [`super::SCHEMA_VERSION`] when written by this version of Disan.
    pub schema: u32,
    /// Stable id.
    pub id: ProductId,
    /// Vietnamese name.
    pub name: String,
    /// English name, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// The village it is made in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub village: Option<VillageId>,
    /// The craft that makes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub craft: Option<CraftId>,
    /// The producer (a household, cooperative or company) as named on the certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub producer: Option<String>,
    /// The OCOP rating, when rated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocop: Option<Ocop>,
    /// Who may see the product at all (default `public`).
    pub access: Access,
}

impl Product {
    /// Whether free text `text` (an entry of a village's `products` list, say) names this
    /// product: its [`text::name_key`] is that of the product's id, Vietnamese name or English
    /// name, so case, tones, NFC or NFD and punctuation do not matter. Text without a letter or
    /// digit names nothing.
    pub fn is_named_by(&self, text: &str) -> bool {
        let key = text::name_key(text);
        !key.is_empty()
            && [
                Some(self.id.as_str()),
                Some(self.name.as_str()),
                self.name_en.as_deref(),
            ]
            .into_iter()
            .flatten()
            .any(|name| text::name_key(name) == key)
    }

    /// The name in `lang`, falling back to the Vietnamese name.
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => self.name_en.as_deref().unwrap_or(&self.name),
            Lang::Vi => &self.name,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_follow_the_score_floors_of_decision_148() {
        let cases = [
            (0, 1),
            (29, 1),
            (30, 2),
            (49, 2),
            (50, 3),
            (69, 3),
            (70, 4),
            (89, 4),
            (90, 5),
            (100, 5),
        ];
        for (score, stars) in cases {
            assert_eq!(ocop_stars_for_score(score), Some(stars), "{score} points");
        }
        assert_eq!(ocop_stars_for_score(101), None);
    }

    #[test]
    fn a_certificate_lasts_36_months_unless_its_expiry_is_written() {
        let mut ocop = Ocop {
            group: Some(OcopGroup::Handicrafts),
            stars: 3,
            score: Some(55),
            certificate: None,
            issued: CalendarDate::new(2023, 2, 28),
            expires: None,
            level: Some(OcopLevel::District),
        };
        assert_eq!(ocop.expires_on(), CalendarDate::new(2026, 2, 28));
        assert_eq!(
            ocop.is_expired(CalendarDate::new(2026, 2, 28).unwrap()),
            Some(false)
        );
        assert_eq!(
            ocop.is_expired(CalendarDate::new(2026, 3, 1).unwrap()),
            Some(true)
        );
        ocop.expires = CalendarDate::new(2025, 12, 31);
        assert_eq!(
            ocop.is_expired(CalendarDate::new(2026, 1, 1).unwrap()),
            Some(true)
        );
        ocop.issued = None;
        ocop.expires = None;
        assert_eq!(
            ocop.is_expired(CalendarDate::new(2026, 1, 1).unwrap()),
            None
        );
    }

    #[test]
    fn levels_recognise_their_stars() {
        assert_eq!(OcopLevel::District.stars(), 3);
        assert_eq!(OcopLevel::Commune.stars(), 3);
        assert_eq!(OcopLevel::Province.stars(), 4);
        assert_eq!(OcopLevel::National.stars(), 5);
    }

    #[test]
    fn a_one_or_two_star_rating_has_no_certificate_whatever_is_written() {
        for stars in [1, 2] {
            let ocop = Ocop {
                group: Some(OcopGroup::Handicrafts),
                stars,
                score: None,
                certificate: Some("X".into()),
                issued: CalendarDate::new(2020, 1, 1),
                expires: CalendarDate::new(2023, 1, 1),
                level: None,
            };
            assert!(!ocop.is_certified(), "{stars}");
            assert_eq!(ocop.expires_on(), None, "{stars}");
            assert_eq!(
                ocop.is_expired(CalendarDate::new(2026, 1, 1).unwrap()),
                None
            );
        }
    }
}
