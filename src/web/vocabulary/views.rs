//! Artisans, products and a village's issue-14 facts as templates and the API show them, in one
//! language: names with their language tags, labels of schemes, groups, levels and activity,
//! dates as words, and an OCOP certificate's validity on a given day.
//!
//! Nothing here reads the archive or the index, and nothing decides access: callers pass
//! artisans and products already read through the viewer-aware readers of [`Authorities`].

use serde_json::{Value, json};

use crate::index::authorities::Authorities;
use crate::model::access::Viewer;
use crate::model::edtf::{CalendarDate, Edtf};
use crate::model::{
    Artisan, HonourScheme, Lang, Ocop, OcopGroup, OcopLevel, Product, Record, Village,
};
use crate::web::i18n::{Shown, message, prefix, shown, text};
use crate::web::views::{
    activity_label, craft_name, date_label, status_key, status_label, village_name,
};

/// The label of an honour scheme, naming its decree where it has one ("Danh hiệu Nhà nước về
/// nghề thủ công mỹ nghệ (Nghị định 43/2024/NĐ-CP)").
pub fn scheme_label(scheme: HonourScheme, lang: Lang) -> &'static str {
    let name = match scheme {
        HonourScheme::Decree93_2023 => "honour_scheme_decree_93_2023",
        HonourScheme::Decree62_2014 => "honour_scheme_decree_62_2014",
        HonourScheme::Decree43_2024 => "honour_scheme_decree_43_2024",
        HonourScheme::Decree123_2014 => "honour_scheme_decree_123_2014",
        HonourScheme::Association => "honour_scheme_association",
        HonourScheme::Provincial => "honour_scheme_provincial",
        HonourScheme::Other => "honour_scheme_other",
    };
    text(lang, name)
}

/// The label of an OCOP product group (Decision 148/QĐ-TTg).
pub fn group_label(group: OcopGroup, lang: Lang) -> &'static str {
    let name = match group {
        OcopGroup::Food => "ocop_group_food",
        OcopGroup::Drinks => "ocop_group_drinks",
        OcopGroup::Herbal => "ocop_group_herbal",
        OcopGroup::Handicrafts => "ocop_group_handicrafts",
        OcopGroup::Ornamental => "ocop_group_ornamental",
        OcopGroup::Tourism => "ocop_group_tourism",
    };
    text(lang, name)
}

/// The label of the level that recognised an OCOP rating.
pub fn level_label(level: OcopLevel, lang: Lang) -> &'static str {
    let name = match level {
        OcopLevel::Commune => "ocop_level_commune",
        OcopLevel::District => "ocop_level_district",
        OcopLevel::Province => "ocop_level_province",
        OcopLevel::National => "ocop_level_national",
    };
    text(lang, name)
}

/// An EDTF date for a page: `text` in words when it is one day ("20/11/2015", "20 November
/// 2015") or one month ("tháng 3/2021", "March 2021"), else as written ("2015", "2010~"), and
/// `iso` (`yyyy-mm-dd` or `yyyy-mm`) when it is such a certain day or month, for a
/// `<time datetime>`.
pub fn edtf_view(date: &Edtf, lang: Lang) -> Value {
    let plain = !date.is_interval() && !date.is_approximate() && !date.is_uncertain();
    match (date.earliest(), date.latest()) {
        (Some(first), Some(last)) if plain && first == last => {
            json!({"text": date_label(first, lang), "iso": crate::web::linked::iso_date(first)})
        }
        (Some(first), Some(last))
            if plain
                && first.day == 1
                && (first.year, first.month) == (last.year, last.month)
                && CalendarDate::new(last.year, last.month, last.day + 1).is_none() =>
        {
            let args = [("month", first.month.into()), ("year", first.year.into())];
            json!({"text": message(lang, "month_label", &args),
                   "iso": format!("{:04}-{:02}", first.year, first.month)})
        }
        _ => json!({"text": date.as_str(), "iso": null}),
    }
}

/// A calendar day for a page: `{iso, text}`.
pub fn day_view(date: CalendarDate, lang: Lang) -> Value {
    json!({"iso": crate::web::linked::iso_date(date), "text": date_label(date, lang)})
}

/// An artisan's name in `lang`: the English form when one is given, else the name as the person
/// uses it, tagged Vietnamese and never marked as a missing translation (a name is not
/// translated).
pub fn artisan_name(artisan: &Artisan, lang: Lang) -> Shown {
    match (&artisan.name_en, lang) {
        (Some(english), Lang::En) => Shown {
            text: english.clone(),
            lang: "en",
            fallback: false,
        },
        _ => Shown {
            text: artisan.name.clone(),
            lang: "vi",
            fallback: false,
        },
    }
}

/// A product's name in `lang`, the Vietnamese one marked where there is no English one.
pub fn product_name(product: &Product, lang: Lang) -> Shown {
    shown(lang, &product.name, product.name_en.as_deref())
}

/// `{id, name}` of the village `id`, or null when unknown.
fn village_link(id: Option<&str>, authorities: &Authorities, lang: Lang) -> Value {
    id.and_then(|id| authorities.villages.get(id)).map_or(
        Value::Null,
        |village| json!({"id": village.id, "name": village_name(village, lang)}),
    )
}

/// `{id, name}` of each known craft of `ids`.
fn craft_links<'a>(
    ids: impl IntoIterator<Item = &'a str>,
    authorities: &Authorities,
    lang: Lang,
) -> Vec<Value> {
    ids.into_iter()
        .filter_map(|id| authorities.crafts.get(id))
        .map(|craft| json!({"id": craft.id, "name": craft_name(craft, lang)}))
        .collect()
}

/// An artisan for lists and links: `{id, url, name, village, crafts, titles}`.
pub fn artisan_card(artisan: &Artisan, authorities: &Authorities, lang: Lang) -> Value {
    json!({
        "id": artisan.id,
        "url": format!("{}/artisans/{}", prefix(lang), artisan.id),
        "name": artisan_name(artisan, lang),
        "village": village_link(artisan.village.as_ref().map(|v| v.as_str()), authorities, lang),
        "crafts": craft_links(artisan.crafts.iter().map(|c| c.as_str()), authorities, lang),
        "titles": artisan.titles(),
    })
}

/// An artisan's page: its card, every honour (title, scheme and its label, awarding body,
/// decision, date), and birth, death and description as `artisan` holds them (the caller passes
/// it as [`Authorities::artisan`] gave it for the viewer, so guarded parts are already gone).
pub fn artisan_view(artisan: &Artisan, authorities: &Authorities, lang: Lang) -> Value {
    let honours: Vec<Value> = artisan
        .honours
        .iter()
        .map(|honour| {
            json!({
                "title": honour.title,
                "scheme": honour.scheme.as_str(),
                "scheme_label": scheme_label(honour.scheme, lang),
                "state": honour.scheme.is_state(),
                "awarded_by": honour.awarded_by,
                "decision": honour.decision,
                "date": honour.date.as_ref().map(|d| edtf_view(d, lang)),
            })
        })
        .collect();
    let description = match (
        artisan.description.get(&Lang::Vi),
        artisan.description.get(&Lang::En),
    ) {
        (Some(vi), en) => Some(shown(lang, vi, en.map(String::as_str))),
        (None, Some(en)) => Some(Shown {
            text: en.clone(),
            lang: "en",
            fallback: false,
        }),
        (None, None) => None,
    };
    let mut view = artisan_card(artisan, authorities, lang);
    view["honours"] = json!(honours);
    view["born"] = json!(artisan.born.as_ref().map(|d| edtf_view(d, lang)));
    view["died"] = json!(artisan.died.as_ref().map(|d| edtf_view(d, lang)));
    view["description"] = json!(description);
    view
}

/// An OCOP rating on `today` (Vietnam's day): stars as text a screen reader reads ("4 sao
/// OCOP") and as glyphs, group, score, certificate, level, issue and expiry days, and whether
/// it has expired, with the sentence saying so. A 1★ or 2★ rating has no certificate
/// (Decision 148/QĐ-TTg): its validity says so, and certificate data written on it is not shown.
pub fn ocop_view(ocop: &Ocop, lang: Lang, today: CalendarDate) -> Value {
    let certified = ocop.is_certified();
    let last = ocop.expires_on();
    let expired = ocop.is_expired(today);
    let validity = if certified {
        None
    } else {
        Some(text(lang, "ocop_uncertified").to_string())
    };
    let validity = validity.or_else(|| {
        last.zip(expired).map(|(last, expired)| {
            let key = if expired {
                "ocop_expired_on"
            } else {
                "ocop_valid_until"
            };
            message(lang, key, &[("date", date_label(last, lang).into())])
        })
    });
    json!({
        "stars": ocop.stars,
        "stars_text": stars_text(ocop.stars, lang),
        "glyphs": "★".repeat(usize::from(ocop.stars)),
        "group": ocop.group.map(|g| json!({"key": g.as_str(), "label": group_label(g, lang)})),
        "score": ocop.score,
        "certified": certified,
        "certificate": ocop.certificate.as_ref().filter(|_| certified),
        "level": ocop.level.map(|l| json!({"key": l.as_str(), "label": level_label(l, lang)})),
        "issued": ocop.issued.filter(|_| certified).map(|d| day_view(d, lang)),
        "expires": last.map(|d| day_view(d, lang)),
        "expired": expired,
        "validity": validity,
    })
}

/// "4 sao OCOP" / "4-star OCOP".
pub fn stars_text(stars: u8, lang: Lang) -> String {
    message(lang, "ocop_stars", &[("stars", stars.into())])
}

/// A product for lists and links: `{id, url, name, producer, village, ocop}` (`ocop` as
/// [`ocop_view`] on `today`).
pub fn product_card(
    product: &Product,
    authorities: &Authorities,
    lang: Lang,
    today: CalendarDate,
) -> Value {
    json!({
        "id": product.id,
        "url": format!("{}/products/{}", prefix(lang), product.id),
        "name": product_name(product, lang),
        "producer": product.producer,
        "village": village_link(product.village.as_ref().map(|v| v.as_str()), authorities, lang),
        "ocop": product.ocop.as_ref().map(|o| ocop_view(o, lang, today)),
    })
}

/// A product's page: its card and its craft.
pub fn product_view(
    product: &Product,
    authorities: &Authorities,
    lang: Lang,
    today: CalendarDate,
) -> Value {
    let mut view = product_card(product, authorities, lang, today);
    view["craft"] = json!(
        craft_links(
            product.craft.as_ref().map(|c| c.as_str()),
            authorities,
            lang
        )
        .into_iter()
        .next()
    );
    view
}

/// What a village page adds for issue 14: activity, the date of its Decree 52 class and its
/// earlier classes (`history`, oldest first, from [`Authorities::village_history`]; empty when the
/// class never changed), recognition, both addresses (as documented, before 1 July 2025, and current), and the
/// artisans and products of the village that `viewer` may see, each linked.
pub fn village_facts(
    village: &Village,
    authorities: &Authorities,
    viewer: &Viewer,
    lang: Lang,
    today: CalendarDate,
) -> Value {
    let mut artisans: Vec<Artisan> = authorities
        .artisans_shown(viewer)
        .into_iter()
        .filter(|a| a.village.as_ref() == Some(&village.id))
        .collect();
    artisans.sort_by_cached_key(|a| crate::model::text::sort_key(&a.name));
    let mut products: Vec<&Product> = authorities
        .products_shown(viewer)
        .filter(|p| p.village.as_ref() == Some(&village.id))
        .collect();
    products.sort_by_cached_key(|p| crate::model::text::sort_key(&p.name));
    // Artisans named on the village row (`artisans` column) without an artisan record stay
    // listed by name, unlinked; an entry naming a product the viewer may not see is left out.
    let named: Vec<&str> = authorities
        .free_text_shown(&village.artisans, viewer)
        .into_iter()
        .filter(|name| !artisans.iter().any(|a| a.name == *name))
        .collect();
    let documented = [&village.commune, &village.district, &village.province]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>();
    let current = [&village.commune_2025, &village.province_2025]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>();
    // Earlier classes, from the village object's versions; shown when there was a change.
    let history: Vec<Value> = authorities
        .village_history
        .get(village.id.as_str())
        .filter(|changes| changes.len() > 1)
        .into_iter()
        .flatten()
        .map(|change| {
            let recorded = change
                .created
                .get(..10)
                .and_then(|day| CalendarDate::parse_day(day).ok());
            json!({
                "status": status_label(change.status, lang),
                "status_key": status_key(change.status),
                "status_date": change.status_date.as_ref().map(|d| edtf_view(d, lang)),
                "version": change.version,
                "recorded": recorded.map(|d| day_view(d, lang)),
            })
        })
        .collect();
    json!({
        "history": history,
        "activity": village.activity.map(|a| json!({"key": a.as_str(), "label": activity_label(Some(a), lang)})),
        "status_date": village.status_date.as_ref().map(|d| edtf_view(d, lang)),
        "recognised": village.recognised.as_ref().map(|r| json!({
            "decision": r.decision,
            "date": r.date.as_ref().map(|d| edtf_view(d, lang)),
        })),
        "address_documented": (!documented.is_empty()).then(|| json!({
            "commune": village.commune, "district": village.district, "province": village.province,
        })),
        "address_current": (!current.is_empty()).then(|| json!({
            "commune": village.commune_2025, "province": village.province_2025,
        })),
        "artisans": artisans.iter().map(|a| artisan_card(a, authorities, lang)).collect::<Vec<_>>(),
        "named_artisans": named,
        "products": products.iter().map(|p| product_card(p, authorities, lang, today)).collect::<Vec<_>>(),
    })
}

/// The artisans and the products a record names, as `viewer` may see them, linked: every known
/// artisan (an artisan is public) and only the products the viewer may see; unknown ids are
/// left out. No expiry is shown here (a record page is kept for a whole year: see
/// `pages::record`), only names and stars.
pub fn record_links(
    record: &Record,
    authorities: &Authorities,
    viewer: &Viewer,
    lang: Lang,
) -> (Value, Value) {
    let artisans: Vec<Value> = record
        .artisans
        .iter()
        .filter_map(|id| authorities.artisan(id.as_str(), viewer))
        .map(|a| json!({"id": a.id, "name": artisan_name(&a, lang)}))
        .collect();
    let products: Vec<Value> = record
        .products
        .iter()
        .filter_map(|id| authorities.product(id.as_str(), viewer))
        .map(|p| {
            json!({"id": p.id, "name": product_name(p, lang),
                   "stars_text": p.ocop.as_ref().map(|o| stars_text(o.stars, lang))})
        })
        .collect();
    (json!(artisans), json!(products))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edtf_dates_read_as_words_when_they_are_one_day_or_one_month() {
        let view = |text: &str, lang| edtf_view(&Edtf::parse(text).unwrap(), lang);
        assert_eq!(
            view("2021-03", Lang::Vi),
            json!({"text": "tháng 3/2021", "iso": "2021-03"})
        );
        assert_eq!(
            view("2021-02", Lang::En),
            json!({"text": "February 2021", "iso": "2021-02"})
        );
        assert_eq!(
            view("2015-11-20", Lang::Vi),
            json!({"text": "20/11/2015", "iso": "2015-11-20"})
        );
        assert_eq!(view("2015", Lang::En), json!({"text": "2015", "iso": null}));
        assert_eq!(
            view("2010~", Lang::Vi),
            json!({"text": "2010~", "iso": null})
        );
        assert_eq!(
            view("2021-03~", Lang::Vi),
            json!({"text": "2021-03~", "iso": null})
        );
    }

    #[test]
    fn stars_read_as_text_in_both_languages() {
        assert_eq!(stars_text(4, Lang::Vi), "4 sao OCOP");
        assert_eq!(stars_text(4, Lang::En), "4-star OCOP");
    }
}
