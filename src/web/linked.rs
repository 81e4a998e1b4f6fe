//! How machines read a record: schema.org JSON-LD for records, villages and festivals (citations
//! are [`super::cite`]'s).
//!
//! It names the record by its stable URL, which is built from the site's configured public
//! origin, never from a request's Host header (pages are cached and shared between visitors).

use serde_json::{Value, json};

use super::i18n::text;
use super::views::{RecordPage, craft_name, village_name};
use crate::model::edtf::CalendarDate;
use crate::model::{Kind, Lang, Record, Village};

/// The values of a Dublin Core term, every language.
fn values<'a>(record: &'a Record, term: &str) -> Vec<&'a str> {
    record
        .dc
        .get(term)
        .into_iter()
        .flatten()
        .map(|v| v.value.as_str())
        .collect()
}

/// The schema.org type of a kind.
fn schema_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Photo => "Photograph",
        Kind::Film => "VideoObject",
        Kind::Audio => "AudioObject",
        Kind::Pattern => "VisualArtwork",
        Kind::Festival => "Event",
        Kind::Document => "DigitalDocument",
        Kind::Technique | Kind::Story => "Article",
        Kind::Visit => "TouristTrip",
    }
}

/// A village as a schema.org Place.
pub fn place(village: &Village, origin: &str, lang: Lang) -> Value {
    let mut place = json!({
        "@type": "Place",
        "@id": format!("{origin}/villages/{}", village.id),
        "name": village.name,
        "url": format!("{origin}{}/villages/{}", super::i18n::prefix(lang), village.id),
        "address": {
            "@type": "PostalAddress",
            "addressLocality": village.commune,
            "addressRegion": village.province,
            "addressCountry": "VN",
        },
    });
    if let Some(english) = &village.name_en {
        place["alternateName"] = json!(english);
    }
    if let (Some(latitude), Some(longitude)) = (village.latitude, village.longitude) {
        place["geo"] =
            json!({"@type": "GeoCoordinates", "latitude": latitude, "longitude": longitude});
    }
    place
}

/// A festival's solar dates as schema.org Events (`EventScheduled`), one per date: pass only days
/// still ahead, since a past day is not scheduled.
pub fn festival_events(
    record: &Record,
    village: Option<&Village>,
    dates: &[CalendarDate],
    origin: &str,
) -> Vec<Value> {
    dates
        .iter()
        .map(|date| {
            let mut event = json!({
                "@type": "Event",
                "name": record.title(Lang::Vi),
                "startDate": iso_date(*date),
                "url": format!("{origin}/records/{}", record.id),
                "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
                "eventStatus": "https://schema.org/EventScheduled",
            });
            if let Some(village) = village {
                event["location"] = place(village, origin, Lang::Vi);
            }
            if let Some(description) = record.dc_value("description", Lang::Vi) {
                event["description"] = json!(description);
            }
            event
        })
        .collect()
}

/// `yyyy-mm-dd`.
pub fn iso_date(date: CalendarDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year, date.month, date.day)
}

/// The JSON-LD of a record page, ready to sit inside `<script type="application/ld+json">`.
pub fn record_json_ld(page: &RecordPage<'_>) -> String {
    let record = page.record;
    let origin = page.origin;
    let url = page.url();
    let mut node = json!({
        "@context": "https://schema.org",
        "@type": schema_type(record.kind),
        "@id": format!("{origin}/records/{}", record.id),
        "url": url,
        "identifier": record.id.as_str(),
        "name": record.title(Lang::Vi),
        "inLanguage": record_languages(record),
        "isPartOf": {"@type": "Collection", "name": text(page.lang, "site_name"), "url": origin},
    });
    if let Some(english) = record.dc_value("title", Lang::En) {
        node["alternateName"] = json!(english);
    }
    if let Some(description) = record
        .dc_value("description", page.lang)
        .or_else(|| record.dc_value("description", Lang::Vi))
    {
        node["description"] = json!(description);
    }
    let creators = values(record, "creator");
    if !creators.is_empty() {
        node["creator"] = json!(
            creators
                .iter()
                .map(|name| json!({"@type": "Person", "name": name}))
                .collect::<Vec<_>>()
        );
    }
    let subjects = values(record, "subject");
    if !subjects.is_empty() {
        node["keywords"] = json!(subjects.join(", "));
    }
    if let Some(rights) = record
        .dc_value("rights", page.lang)
        .or_else(|| record.dc_value("rights", Lang::Vi))
    {
        node["copyrightNotice"] = json!(rights);
    }
    if let Some(date) = &record.date {
        // EDTF ("193X", "2021-05~") is not ISO 8601; schema.org takes it as temporal coverage.
        node["temporalCoverage"] = json!(date.as_str());
    }
    let village = record
        .village
        .as_ref()
        .and_then(|v| page.authorities.villages.get(v.as_str()));
    if let Some(village) = village {
        node["contentLocation"] = place(village, origin, page.lang);
        node["spatialCoverage"] = json!(village_name(village, Lang::Vi).text);
    }
    if record.kind == Kind::Festival {
        // The next day it is held; a day past is never given as its start.
        if let Some((_, dates)) = page.festival()
            && let Some(next) = dates.iter().find(|d| d.date >= page.today)
        {
            node["startDate"] = json!(iso_date(next.date));
        }
        if let Some(village) = village {
            node["location"] = place(village, origin, page.lang);
        }
        node["eventAttendanceMode"] = json!("https://schema.org/OfflineEventAttendanceMode");
    }
    if let Some(craft) = record
        .craft
        .as_ref()
        .and_then(|c| page.authorities.crafts.get(c.as_str()))
    {
        node["about"] = json!({"@type": "Thing", "name": craft_name(craft, Lang::Vi).text,
                               "alternateName": craft.name_en});
    }
    if let Some(position) = record.files.iter().enumerate().position(|(n, f)| {
        crate::index::search::has_derivative(&f.format.mime)
            && page.previews.get(n).copied().unwrap_or(false)
            && !page.absent.get(n).copied().unwrap_or(false)
    }) {
        node["image"] = json!(format!("{origin}/media/{}/display/{position}", record.id));
        node["thumbnailUrl"] = json!(format!("{origin}/media/{}/thumb/{position}", record.id));
    }
    // Only a film or sound that is sent to visitors (see `web::media::original_for`) is linked.
    if let Some(media) = record.files.iter().enumerate().find_map(|(n, f)| {
        let sound_or_film =
            f.format.mime.starts_with("video/") || f.format.mime.starts_with("audio/");
        (sound_or_film && page.copies.get(n).is_some_and(|c| c.is_sent())).then_some(f)
    }) {
        node["contentUrl"] = json!(format!(
            "{origin}{}",
            super::views::media_url(record.id.as_str(), &media.path)
        ));
        node["encodingFormat"] = json!(media.format.mime);
        if let Some(seconds) = media.technical.duration_seconds {
            node["duration"] = json!(format!("PT{}S", seconds.round() as u64));
        }
    }
    script_safe(&node)
}

/// Languages the record has values in.
fn record_languages(record: &Record) -> Vec<&'static str> {
    let english = record.dc.values().flatten().any(|v| v.lang == Lang::En)
        || record.body.contains_key(&Lang::En);
    if english {
        vec!["vi", "en"]
    } else {
        vec!["vi"]
    }
}

/// JSON that cannot end its `<script>` element early.
pub fn script_safe(value: &Value) -> String {
    serde_json::to_string(value)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_cannot_close_its_script() {
        let json = script_safe(&json!({"name": "</script><script>alert(1)</script>"}));
        assert!(!json.contains("</"), "{json}");
        let back: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["name"], "</script><script>alert(1)</script>");
    }
}
