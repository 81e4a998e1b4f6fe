//! Labels of the catalogue's vocabulary in one language: kinds, Decree 52/2018 classes, village
//! and craft names, record titles, and a village as lists and cards show it.

use serde_json::{Value, json};

use crate::index::authorities::Authorities;
use crate::model::access::Viewer;
use crate::model::{Activity, Craft, Kind, Lang, Record, RiskStatus, Village};
use crate::web::i18n::{Shown, shown, text};
/// The label of a kind.
pub fn kind_label(kind: &str, lang: Lang) -> &'static str {
    let name = match kind.parse::<Kind>() {
        Ok(Kind::Photo) => "kind_photo",
        Ok(Kind::Film) => "kind_film",
        Ok(Kind::Audio) => "kind_audio",
        Ok(Kind::Pattern) => "kind_pattern",
        Ok(Kind::Technique) => "kind_technique",
        Ok(Kind::Festival) => "kind_festival",
        Ok(Kind::Document) => "kind_document",
        Ok(Kind::Story) => "kind_story",
        Ok(Kind::Visit) => "kind_visit",
        Err(_) => "kind_other",
    };
    text(lang, name)
}

/// The label of a Decree 52/2018 class.
pub fn status_label(status: Option<RiskStatus>, lang: Lang) -> &'static str {
    let name = match status {
        Some(RiskStatus::AtRiskIrreversible) => "status_at_risk_irreversible",
        Some(RiskStatus::AtRiskRevivable) => "status_at_risk_revivable",
        Some(RiskStatus::Developing) => "status_developing",
        None => "status_none",
    };
    text(lang, name)
}

/// The label of a village's activity (Decree 52's active, at risk, lost), or "not recorded"
/// for `None`: the one label every page, the map's legend aside, gives each value (the village
/// page, `/province` and its CSV).
pub fn activity_label(activity: Option<Activity>, lang: Lang) -> &'static str {
    let name = match activity {
        Some(Activity::Active) => "activity_active",
        Some(Activity::AtRisk) => "activity_at_risk",
        Some(Activity::Lost) => "activity_lost",
        None => "activity_none",
    };
    text(lang, name)
}

/// The CSS key of a class (`none` when unclassified).
pub fn status_key(status: Option<RiskStatus>) -> &'static str {
    status.map_or("none", RiskStatus::as_str)
}

/// A village's name in `lang`.
pub fn village_name(village: &Village, lang: Lang) -> Shown {
    shown(lang, &village.name, village.name_en.as_deref())
}

/// A craft's name in `lang`.
pub fn craft_name(craft: &Craft, lang: Lang) -> Shown {
    shown(lang, &craft.name, craft.name_en.as_deref())
}

/// A village for lists, cards and its page, as `viewer` may read it: the free-text `artisans`
/// and `products` lists of `villages.csv` leave out any entry naming a product the viewer may
/// not see ([`Authorities::free_text_shown`]).
pub fn village_view(
    village: &Village,
    authorities: &Authorities,
    viewer: &Viewer,
    lang: Lang,
) -> Value {
    let crafts: Vec<Value> = village
        .crafts
        .iter()
        .filter_map(|c| authorities.crafts.get(c.as_str()))
        .map(|c| json!({"id": c.id, "name": craft_name(c, lang)}))
        .collect();
    json!({
        "id": village.id, "name": village_name(village, lang),
        "commune": village.commune, "district": village.district, "province": village.province,
        "latitude": village.latitude, "longitude": village.longitude,
        "status": status_label(village.status, lang), "status_key": status_key(village.status),
        "crafts": crafts,
        "artisans": authorities.free_text_shown(&village.artisans, viewer),
        // The English list when there is one (even if every entry of it is left out: the
        // Vietnamese list names the same products).
        "products": if lang == Lang::En && !village.products_en.is_empty() {
            json!({"items": authorities.free_text_shown(&village.products_en, viewer),
                   "lang": "en", "fallback": false})
        } else {
            json!({"items": authorities.free_text_shown(&village.products, viewer),
                   "lang": "vi", "fallback": lang == Lang::En})
        },
    })
}

/// A record's title in `lang` with the language it is written in: a record with only an English
/// title shows it as English (`lang="en"`) on both sites, never as Vietnamese.
pub fn record_title(record: &Record, lang: Lang) -> Shown {
    match (
        record.dc_value("title", Lang::Vi),
        record.dc_value("title", Lang::En),
    ) {
        (None, Some(english)) => Shown {
            text: english.to_string(),
            lang: "en",
            fallback: false,
        },
        (_, english) => shown(lang, record.title(Lang::Vi), english),
    }
}
