//! schema.org JSON-LD of artisan and product pages: a `Person` with its `award`s, a `Product`
//! with its OCOP rating.
//!
//! Only schema.org terms are used. An honour is an `award` (Text, on `Person`). An OCOP rating
//! is an `award` of the product and its certificate (3–5★ only) a `hasCertification` →
//! `Certification` (schema.org issue 3230: `certificationIdentification`,
//! `certificationRating` as a `Rating` of 1–5, `certificationStatus` active or inactive on the
//! day read, `validFrom`, `expires`); the score out of 100 is an `additionalProperty`
//! (`PropertyValue` with `minValue` 0 and `maxValue` 100). Ids and URLs come from the site's
//! configured origin, never from the request.

use serde_json::{Value, json};

use super::views::{group_label, scheme_label, stars_text};
use crate::index::authorities::Authorities;
use crate::model::edtf::{CalendarDate, Edtf};
use crate::model::{Artisan, Lang, Product};
use crate::web::i18n::prefix;
use crate::web::linked::{iso_date, place};
use crate::web::views::craft_name;

/// An EDTF date schema.org may read as an ISO 8601 date: a plain year, month or day (no
/// interval, no uncertainty or approximation, which ISO 8601 cannot say).
fn iso_8601(date: &Edtf) -> Option<&str> {
    let plain = !date.is_interval() && !date.is_approximate() && !date.is_uncertain();
    let text = date.as_str();
    (plain && !text.contains(['X', 'x', '?', '~', '%', '/'])).then_some(text)
}

/// An artisan (as the viewer may see them) as a schema.org `Person`.
pub fn person(artisan: &Artisan, authorities: &Authorities, origin: &str, lang: Lang) -> Value {
    let awards: Vec<String> = artisan
        .honours
        .iter()
        .map(|honour| {
            let mut parts = vec![scheme_label(honour.scheme, lang).to_string()];
            parts.extend(honour.awarded_by.clone());
            parts.extend(honour.decision.clone());
            parts.extend(honour.date.as_ref().map(|d| d.as_str().to_string()));
            format!("{} ({})", honour.title, parts.join(", "))
        })
        .collect();
    let mut node = json!({
        "@context": "https://schema.org",
        "@type": "Person",
        "@id": format!("{origin}/artisans/{}", artisan.id),
        "url": format!("{origin}{}/artisans/{}", prefix(lang), artisan.id),
        "identifier": artisan.id.as_str(),
        "name": artisan.name,
    });
    if let Some(english) = &artisan.name_en {
        node["alternateName"] = json!(english);
    }
    if !awards.is_empty() {
        node["award"] = json!(awards);
    }
    let crafts: Vec<String> = artisan
        .crafts
        .iter()
        .filter_map(|c| authorities.crafts.get(c.as_str()))
        .map(|c| craft_name(c, lang).text)
        .collect();
    if !crafts.is_empty() {
        node["knowsAbout"] = json!(crafts);
    }
    if let Some(village) = artisan
        .village
        .as_ref()
        .and_then(|v| authorities.villages.get(v.as_str()))
    {
        node["workLocation"] = place(village, origin, lang);
    }
    if let Some(born) = artisan.born.as_ref().and_then(iso_8601) {
        node["birthDate"] = json!(born);
    }
    if let Some(died) = artisan.died.as_ref().and_then(iso_8601) {
        node["deathDate"] = json!(died);
    }
    let description = artisan
        .description
        .get(&lang)
        .or_else(|| artisan.description.get(&Lang::Vi));
    if let Some(description) = description {
        node["description"] = json!(description);
    }
    node
}

/// A product (one the viewer may see) as a schema.org `Product`, its OCOP certificate active or
/// inactive on `today` (Vietnam's day).
pub fn product(
    product: &Product,
    authorities: &Authorities,
    origin: &str,
    lang: Lang,
    today: CalendarDate,
) -> Value {
    let mut node = json!({
        "@context": "https://schema.org",
        "@type": "Product",
        "@id": format!("{origin}/products/{}", product.id),
        "url": format!("{origin}{}/products/{}", prefix(lang), product.id),
        "identifier": product.id.as_str(),
        "name": product.name,
    });
    if let Some(english) = &product.name_en {
        node["alternateName"] = json!(english);
    }
    if let Some(producer) = &product.producer {
        node["manufacturer"] = json!({"@type": "Organization", "name": producer});
    }
    if let Some(craft) = product
        .craft
        .as_ref()
        .and_then(|c| authorities.crafts.get(c.as_str()))
    {
        node["category"] = json!(craft_name(craft, lang).text);
    }
    if let Some(village) = product
        .village
        .as_ref()
        .and_then(|v| authorities.villages.get(v.as_str()))
    {
        // Where it is made: schema.org has no "place of production" for a Product; the
        // producer's location is the nearest term.
        if let Some(manufacturer) = node.get_mut("manufacturer") {
            manufacturer["location"] = place(village, origin, lang);
        }
    }
    if let Some(ocop) = &product.ocop {
        node["award"] = json!(stars_text(ocop.stars, lang));
        // A 1★ or 2★ rating is a rating without a certificate (Decision 148/QĐ-TTg): its
        // `award` says so, and no `hasCertification` claims one (break14 finding 4).
        if ocop.is_certified() {
            let mut certification = json!({
                "@type": "Certification",
                "name": "OCOP",
                "certificationRating": {"@type": "Rating", "ratingValue": ocop.stars,
                                        "bestRating": 5, "worstRating": 1},
            });
            if let Some(group) = ocop.group {
                certification["about"] = json!(group_label(group, lang));
            }
            if let Some(number) = &ocop.certificate {
                certification["certificationIdentification"] = json!(number);
            }
            if let Some(issued) = ocop.issued {
                certification["validFrom"] = json!(iso_date(issued));
            }
            if let Some(last) = ocop.expires_on() {
                certification["expires"] = json!(iso_date(last));
            }
            if let Some(expired) = ocop.is_expired(today) {
                certification["certificationStatus"] = json!(if expired {
                    "https://schema.org/CertificationInactive"
                } else {
                    "https://schema.org/CertificationActive"
                });
            }
            node["hasCertification"] = certification;
        }
        if let Some(score) = ocop.score {
            node["additionalProperty"] = json!([{
                "@type": "PropertyValue", "name": "OCOP score", "value": score,
                "minValue": 0, "maxValue": 100,
            }]);
        }
    }
    node
}
