//! What templates show, in one language: records, results, villages and crafts turned into plain
//! values with their labels, links and language tags.
//!
//! Handlers fetch; this module decides how a thing reads in Vietnamese or in English (with the
//! Vietnamese value shown, and marked, where a record has no English one). Nothing here touches
//! the archive or the index.

use serde_json::{Value, json};

use super::i18n::{Shown, message, shown, text};
use super::templates::escape;
use crate::index::authorities::Authorities;
use crate::index::location::{PublicCopy, Status};
use crate::index::search::{Hit, SearchQuery, SearchResults, Sort, has_derivative};
use crate::model::edtf::CalendarDate;
use crate::model::lunar::{LunarMonthDay, Occurrence, festival_days, next_leap_month};
use crate::model::{Craft, Kind, Lang, Record, RiskStatus, Village};

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

/// A village for lists and cards.
pub fn village_view(village: &Village, authorities: &Authorities, lang: Lang) -> Value {
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
        "artisans": village.artisans,
        "products": if lang == Lang::En && !village.products_en.is_empty() {
            json!({"items": village.products_en, "lang": "en", "fallback": false})
        } else {
            json!({"items": village.products, "lang": "vi", "fallback": lang == Lang::En})
        },
    })
}

/// The outline a village map is drawn on: `templates/static/map-outline.json`, rings of
/// `[longitude, latitude]` (curators of another province replace the file).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct MapOutline {
    /// Rings of the province boundary.
    #[serde(default)]
    pub rings: Vec<Vec<[f64; 2]>>,
}

/// An offline map of villages: the outline and a dot per located village, coloured by class,
/// as an SVG drawn here (no tile server, no script). Villages without coordinates are listed
/// apart. Longitudes are scaled by the cosine of the middle latitude so shapes keep their
/// proportions.
pub fn village_map(outline: &MapOutline, villages: &[&Village], lang: Lang, base: &str) -> Value {
    let located: Vec<(&Village, f64, f64)> = villages
        .iter()
        .filter_map(|v| Some((*v, v.longitude?, v.latitude?)))
        .filter(|(_, lon, lat)| lon.is_finite() && lat.is_finite())
        .collect();
    let points = outline
        .rings
        .iter()
        .flatten()
        .map(|[lon, lat]| (*lon, *lat))
        .chain(located.iter().map(|(_, lon, lat)| (*lon, *lat)));
    let (mut min_lon, mut max_lon, mut min_lat, mut max_lat) =
        (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for (lon, lat) in points {
        min_lon = min_lon.min(lon);
        max_lon = max_lon.max(lon);
        min_lat = min_lat.min(lat);
        max_lat = max_lat.max(lat);
    }
    let unlocated: Vec<Value> = villages
        .iter()
        .filter(|v| !located.iter().any(|(l, _, _)| l.id == v.id))
        .map(|v| json!({"id": v.id, "name": village_name(v, lang)}))
        .collect();
    if min_lon > max_lon {
        return json!({"svg": null, "unlocated": unlocated});
    }
    let margin = 0.02;
    let scale = ((min_lat + max_lat) / 2.0).to_radians().cos();
    let x = |lon: f64| (lon - min_lon) * scale + margin;
    let y = |lat: f64| (max_lat - lat) + margin;
    let width = (max_lon - min_lon) * scale + 2.0 * margin;
    let height = (max_lat - min_lat) + 2.0 * margin;
    let mut svg = format!(
        "<svg viewBox=\"0 0 {width:.4} {height:.4}\" role=\"img\" aria-labelledby=\"map-title\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"map-title\">{}</title>",
        escape(text(lang, "map"))
    );
    for ring in &outline.rings {
        let path: Vec<String> = ring
            .iter()
            .map(|[lon, lat]| format!("{:.4},{:.4}", x(*lon), y(*lat)))
            .collect();
        svg.push_str(&format!(
            "<path class=\"province\" d=\"M{}Z\"/>",
            path.join("L")
        ));
    }
    for (village, lon, lat) in &located {
        let name = village_name(village, lang);
        let status = status_label(village.status, lang);
        svg.push_str(&format!(
            "<a href=\"{base}/villages/{}\"><title>{} — {}</title><circle class=\"dot status-{}\" cx=\"{:.4}\" cy=\"{:.4}\" r=\"0.009\"/><text x=\"{:.4}\" y=\"{:.4}\">{}</text></a>",
            village.id,
            escape(&name.text),
            escape(status),
            status_key(village.status),
            x(*lon),
            y(*lat),
            x(*lon) + 0.013,
            y(*lat) + 0.007,
            escape(&name.text),
        ));
    }
    svg.push_str("</svg>");
    let legend: Vec<Value> = [
        Some(RiskStatus::AtRiskIrreversible),
        Some(RiskStatus::AtRiskRevivable),
        Some(RiskStatus::Developing),
        None,
    ]
    .into_iter()
    .map(|status| json!({"key": status_key(status), "label": status_label(status, lang)}))
    .collect();
    json!({"svg": svg, "unlocated": unlocated, "legend": legend, "located": located.len()})
}

/// One search result (or related record) for a template.
pub fn hit_view(hit: &Hit, authorities: &Authorities, lang: Lang) -> Value {
    json!({
        "id": hit.id,
        "title": hit_title(hit, lang),
        "url": hit.url,
        "thumbnail": hit.thumbnail,
        // Already escaped HTML; the template marks it safe.
        "snippet": hit.snippet,
        "kind": hit.kind,
        "kind_label": kind_label(&hit.kind, lang),
        "village_name": hit.village.as_ref()
            .and_then(|v| authorities.villages.get(v))
            .map(|v| village_name(v, lang).text),
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

/// A result's title in `lang`, with the language it is written in. A record with only an
/// English title has it as both titles (`Record::title` falls back to it), so a title equal to
/// the English one is English: `lang="en"` on either page, never marked as a fallback to
/// Vietnamese.
fn hit_title(hit: &Hit, lang: Lang) -> Shown {
    match hit.title_en.as_deref() {
        Some(english) if english == hit.title => Shown {
            text: english.to_string(),
            lang: "en",
            fallback: false,
        },
        english => shown(lang, &hit.title, english),
    }
}

/// The label of a facet value.
fn facet_label(name: &str, value: &str, authorities: &Authorities, lang: Lang) -> String {
    match name {
        "kind" => kind_label(value, lang).to_string(),
        "village" => authorities
            .villages
            .get(value)
            .map_or(value.to_string(), |v| village_name(v, lang).text),
        "craft" => authorities
            .crafts
            .get(value)
            .map_or(value.to_string(), |c| craft_name(c, lang).text),
        "district" => authorities
            .villages
            .values()
            .filter_map(|v| v.district.clone())
            .find(|district| crate::model::text::slug(district) == value)
            .unwrap_or_else(|| value.to_string()),
        "status" => status_label(value.parse().ok(), lang).to_string(),
        "decade" => message(lang, "decade_value", &[("decade", value.into())]),
        _ if value == "yes" => text(lang, "yes").to_string(),
        _ => text(lang, "no").to_string(),
    }
}

/// The title of a facet.
fn facet_title(name: &str, lang: Lang) -> &'static str {
    let name = match name {
        "kind" => "facet_kind",
        "village" => "facet_village",
        "craft" => "facet_craft",
        "district" => "facet_district",
        "status" => "facet_status",
        "decade" => "facet_decade",
        _ => "facet_media",
    };
    text(lang, name)
}

/// A page of results for a template: hits, facets with names and links, orders, paging. `base`
/// is the search page's path in the visitor's language.
pub fn results_view(
    results: &SearchResults,
    query: &SearchQuery,
    authorities: &Authorities,
    base: &str,
    lang: Lang,
) -> Value {
    // The same search with one facet value switched on or off, back on page 1.
    let toggle = |name: &str, value: &str| {
        let mut target = SearchQuery {
            page: 1,
            ..query.clone()
        };
        let slot = match name {
            "kind" => Some(&mut target.kind),
            "village" => Some(&mut target.village),
            "craft" => Some(&mut target.craft),
            _ => None,
        };
        let selected = match slot {
            Some(slot) => {
                let selected = slot.as_deref() == Some(value);
                *slot = (!selected).then(|| value.to_string());
                selected
            }
            None => {
                let pair = (name.to_string(), value.to_string());
                let selected = target.facet_filters.contains(&pair);
                target.facet_filters.retain(|(n, _)| n != name);
                if !selected {
                    target.facet_filters.push(pair);
                }
                selected
            }
        };
        (selected, results_link(&target, base))
    };
    let mut facets = Vec::new();
    for name in crate::index::search::FACETS {
        let mut values = Vec::new();
        for (value, count) in &results.facets[name] {
            let (selected, url) = toggle(name, value);
            values.push(
                json!({"value": value, "label": facet_label(name, value, authorities, lang),
                               "count": count, "selected": selected, "url": url}),
            );
        }
        facets.push(json!({"name": name, "title": facet_title(name, lang), "values": values}));
    }
    let pages = last_page(results.total);
    let hits: Vec<Value> = results
        .hits
        .iter()
        .map(|hit| hit_view(hit, authorities, lang))
        .collect();
    let sorts: Vec<Value> = Sort::ALL
        .iter()
        .map(|sort| {
            let label = match sort {
                Sort::Relevance => "sort_relevance",
                Sort::Title => "sort_title",
                Sort::Date => "sort_date",
                Sort::DateDesc => "sort_date_desc",
            };
            let sorted = SearchQuery {
                sort: *sort,
                page: 1,
                ..query.clone()
            };
            json!({"label": text(lang, label),
                   "url": results_link(&sorted, base), "selected": *sort == query.sort})
        })
        .collect();
    json!({
        "total": results.total,
        "notices": super::notices::json(&results.notices),
        "sorts": sorts,
        "hits": hits,
        "facets": facets,
        "page": query.page,
        "pages": pages,
        "previous": (query.page > 1).then(|| results_link(&SearchQuery { page: query.page - 1, ..query.clone() }, base)),
        "next": (query.page < pages).then(|| results_link(&SearchQuery { page: query.page + 1, ..query.clone() }, base)),
    })
}

/// The number of the last page of `total` results ([`crate::index::search::PAGE_SIZE`] a page):
/// 1 when there are none, since an empty first page still says so.
pub fn last_page(total: usize) -> usize {
    total.div_ceil(crate::index::search::PAGE_SIZE).max(1)
}

/// The URL of a search with exactly `query`'s text, filters, order and page.
pub fn results_link(query: &SearchQuery, base: &str) -> String {
    let mut params = Vec::new();
    if !query.text.is_empty() {
        params.push(format!("q={}", encode(&query.text)));
    }
    for (name, value) in [
        ("kind", &query.kind),
        ("village", &query.village),
        ("craft", &query.craft),
    ] {
        if let Some(value) = value {
            params.push(format!("{name}={}", encode(value)));
        }
    }
    for (name, value) in &query.facet_filters {
        params.push(format!("{name}={}", encode(value)));
    }
    if query.sort != Sort::Relevance {
        params.push(format!("sort={}", query.sort.as_str()));
    }
    if query.page > 1 {
        params.push(format!("page={}", query.page));
    }
    if params.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", params.join("&"))
    }
}

/// The URL of the archived file at logical path `path` (`files/…`) of record `id`:
/// `/media/{id}/{path}`, each segment of `path` percent-encoded but for RFC 3986's unreserved
/// characters, so a name holding `?`, `#`, `%` or a space links to itself (the router decodes it).
pub fn media_url(id: &str, path: &str) -> String {
    let mut url = format!("/media/{id}");
    for segment in path.split('/') {
        url.push('/');
        for byte in segment.bytes() {
            match byte {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    url.push(byte as char)
                }
                _ => url.push_str(&format!("%{byte:02X}")),
            }
        }
    }
    url
}

/// Percent-encodes a query-string value.
pub fn encode(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                encoded.push(byte as char)
            }
            b' ' => encoded.push('+'),
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    encoded
}

/// Markdown rendered to HTML with raw HTML shown as text: nothing an archivist typed can run.
pub fn render_markdown(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, html};
    let events = Parser::new(markdown).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut rendered = String::new();
    html::push_html(&mut rendered, events);
    rendered
}

/// A record embedded in a story, as its page links and shows it.
#[derive(Debug, Clone)]
pub struct Embed {
    /// Its title in the visitor's language.
    pub title: Shown,
    /// Its page, in the visitor's language.
    pub url: String,
    /// Its kind's label.
    pub kind_label: &'static str,
    /// Display image and its size, when it has one.
    pub image: Option<(String, Option<u32>, Option<u32>)>,
    /// A film to play.
    pub video: Option<String>,
    /// A sound to play.
    pub audio: Option<String>,
    /// The note shown instead of media when the record's description is public and its files
    /// are not (`files_access`): the embed shows its title and link, no media, and this neutral
    /// note, which never names who may see them.
    pub files_reserved: Option<&'static str>,
}

/// Finds a record a story embeds: `None` for anything unknown or not public.
pub type Resolve<'a> = dyn Fn(&str) -> Option<Embed> + 'a;

/// Private-use character around embed placeholders; stripped from story text first, so no
/// archivist's text can forge one.
const EMBED_MARK: char = '\u{E000}';

/// A story's Markdown as HTML, with each paragraph that is only `[[record-id]]`,
/// `[[record-id | caption]]` or `[[gallery: id, id, id]]` replaced by the records it names.
/// Records `resolve` does not return (unknown or not public) are left out without a trace.
pub fn render_story(markdown: &str, resolve: &Resolve<'_>) -> String {
    let mut embeds: Vec<String> = Vec::new();
    let mut text = String::with_capacity(markdown.len());
    for line in markdown.replace(EMBED_MARK, "").lines() {
        let trimmed = line.trim();
        let inner = trimmed
            .strip_prefix("[[")
            .and_then(|rest| rest.strip_suffix("]]"));
        match inner {
            Some(inner) => {
                text.push_str(&format!("\n{EMBED_MARK}{}{EMBED_MARK}\n\n", embeds.len()));
                embeds.push(embed_html(inner, resolve));
            }
            None => {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    let mut html = render_markdown(&text);
    for (n, embed) in embeds.iter().enumerate() {
        html = html.replace(&format!("<p>{EMBED_MARK}{n}{EMBED_MARK}</p>"), embed);
    }
    html
}

/// The HTML of one embed line's content (between the brackets).
fn embed_html(inner: &str, resolve: &Resolve<'_>) -> String {
    if let Some(list) = inner.trim().strip_prefix("gallery:") {
        let items: Vec<String> = list
            .split([',', ' '])
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .filter_map(resolve)
            .map(|embed| embed_figure(&embed, None, true))
            .collect();
        if items.is_empty() {
            return String::new();
        }
        return format!("<div class=\"embed gallery\">{}</div>", items.concat());
    }
    let (id, caption) = match inner.split_once('|') {
        Some((id, caption)) => (id.trim(), Some(caption.trim())),
        None => (inner.trim(), None),
    };
    resolve(id).map_or_else(String::new, |embed| embed_figure(&embed, caption, false))
}

fn embed_figure(embed: &Embed, caption: Option<&str>, in_gallery: bool) -> String {
    let title = escape(&embed.title.text);
    let lang = embed.title.lang;
    let has_media = embed.video.is_some() || embed.image.is_some() || embed.audio.is_some();
    let mut html = String::from(match (in_gallery, has_media) {
        (_, false) => "<figure class=\"embed embed-record\">",
        (true, true) => "<figure>",
        (false, true) => "<figure class=\"embed\">",
    });
    if let Some(video) = &embed.video {
        html.push_str(&format!(
            "<video controls preload=\"metadata\" src=\"{}\"></video>",
            escape(video)
        ));
    } else if let Some((src, width, height)) = &embed.image {
        let size = match (width, height) {
            (Some(w), Some(h)) => format!(" width=\"{w}\" height=\"{h}\""),
            _ => String::new(),
        };
        html.push_str(&format!(
            "<a href=\"{}\"><img src=\"{}\" alt=\"{title}\" lang=\"{lang}\"{size} loading=\"lazy\"></a>",
            escape(&embed.url),
            escape(src)
        ));
    }
    if let Some(audio) = &embed.audio {
        html.push_str(&format!(
            "<audio controls preload=\"metadata\" src=\"{}\"></audio>",
            escape(audio)
        ));
    }
    let mut link = format!(
        "<a href=\"{}\" lang=\"{lang}\">{title}</a> <span class=\"meta\">({})</span>",
        escape(&embed.url),
        embed.kind_label
    );
    if let Some(note) = embed.files_reserved {
        link.push_str(&format!(
            " <span class=\"file-note\">{}</span>",
            escape(note)
        ));
    }
    match caption {
        Some(caption) => html.push_str(&format!(
            "<figcaption>{}<br>{link}</figcaption></figure>",
            escape(caption)
        )),
        None => html.push_str(&format!("<figcaption>{link}</figcaption></figure>")),
    }
    html
}

/// Media types a browser shows as an image, so the viewer can zoom into the original.
fn browser_image(mime: &str) -> bool {
    matches!(
        mime,
        "image/jpeg" | "image/png" | "image/webp" | "image/gif" | "image/avif"
    )
}

/// The parts of a record page that depend on neither time nor other records.
pub struct RecordPage<'a> {
    /// The record.
    pub record: &'a Record,
    /// Names of villages and crafts.
    pub authorities: &'a Authorities,
    /// The visitor's language.
    pub lang: Lang,
    /// The site's public origin (`https://disan.example`), for stable URLs.
    pub origin: &'a str,
    /// Today in Vietnam, for festival dates.
    pub today: CalendarDate,
    /// For stories: the records their bodies embed.
    pub embeds: Option<&'a Resolve<'a>>,
    /// What anonymous visitors receive of each file, in the order of `record.files`
    /// ([`crate::web::media::public_copies`]); a file without an entry is not linked.
    pub copies: &'a [PublicCopy],
    /// Whether each file, in the order of `record.files`, has a display image and thumbnail
    /// ([`crate::index::derivatives::DerivativeStore::has`]): a photo kept without a preview (a
    /// HEIF coding libheif lacks) shows none rather than a broken picture.
    pub previews: &'a [bool],
    /// Whether the record's files are withheld from the visitor (its description is public, its
    /// `files_access` narrower): the page says its files are reserved, without saying for whom.
    pub files_reserved: bool,
}

impl RecordPage<'_> {
    /// The record's stable URL in this language.
    pub fn url(&self) -> String {
        format!(
            "{}{}/records/{}",
            self.origin,
            super::i18n::prefix(self.lang),
            self.record.id
        )
    }

    /// Everything the record template shows, but for festival dates and transcripts, which
    /// the handler adds.
    pub fn view(&self) -> Value {
        let (record, lang, authorities) = (self.record, self.lang, self.authorities);
        let id = record.id.as_str();
        let files: Vec<Value> = record
            .files
            .iter()
            .enumerate()
            .map(|(n, file)| {
                let name = file.path.strip_prefix("files/").unwrap_or(&file.path);
                let copy = self.copies.get(n);
                let status = copy.map(|c| c.status);
                // Only what may be sent is linked; a scrubbed file's link sends its public copy.
                let sent = matches!(status, Some(Status::Clean | Status::Scrubbed));
                let url = sent.then(|| media_url(id, &file.path));
                let public_copy = copy.filter(|c| c.status == Status::Scrubbed).map(|c| {
                    json!({"size": c.size})
                });
                // Only the digest of what is sent: a preserved original that differs from its
                // download differs only where the location was, and its digest would let anyone
                // test guessed positions offline.
                let sha256 = copy
                    .filter(|c| c.is_sent())
                    .and_then(|c| c.sha256)
                    .map(|s| s.to_hex());
                let previewed = self.previews.get(n).copied().unwrap_or(false);
                let display = (previewed && has_derivative(&file.format.mime))
                    .then(|| format!("/media/{id}/display/{n}"));
                // Every size shown is the upright one: a portrait photo or a film shot upright on a
                // phone is announced as it is seen, not as it is stored.
                let (width, height) = file.displayed_size().unzip();
                let (display_width, display_height) = display_size(width, height);
                let zoom = match &url {
                    Some(url) if browser_image(&file.format.mime) => Some(url.clone()),
                    _ => display.clone().or_else(|| url.clone()),
                };
                json!({
                    "name": name, "url": url, "display": display, "zoom": zoom,
                    "public_copy": public_copy, "withheld": !sent,
                    "display_width": display_width, "display_height": display_height,
                    "mime": file.format.mime, "format": file.format.name, "size": file.size,
                    "sha256": sha256, "width": width, "height": height,
                    "duration": file.technical.duration_seconds.map(|d| format!("{}:{:02}", (d as u64) / 60, (d as u64) % 60)),
                    "is_video": file.format.mime.starts_with("video/") && sent,
                    "is_audio": file.format.mime.starts_with("audio/") && sent,
                    "is_subtitles": file.format.mime == "text/vtt",
                })
            })
            .collect();
        let fields: Vec<Value> = record
            .dc
            .iter()
            .map(|(term, values)| {
                let in_lang = |lang| {
                    values
                        .iter()
                        .filter(|v| v.lang == lang)
                        .map(|v| v.value.clone())
                        .collect::<Vec<_>>()
                };
                json!({"term": term, "vi": in_lang(Lang::Vi), "en": in_lang(Lang::En)})
            })
            .collect();
        let village = record
            .village
            .as_ref()
            .and_then(|v| authorities.villages.get(v.as_str()));
        let craft = record
            .craft
            .as_ref()
            .and_then(|c| authorities.crafts.get(c.as_str()));
        let title = record_title(record, lang);
        let english_only = record.dc_value("title", Lang::Vi).is_none();
        // The title in the other language, when there is one.
        let subtitle = match lang {
            _ if english_only => None,
            Lang::En if !title.fallback => Some(shown(Lang::Vi, record.title(Lang::Vi), None)),
            Lang::En => None,
            _ => record
                .dc_value("title", Lang::En)
                .map(|en| shown(Lang::En, "", Some(en))),
        };
        let side = |side_lang: Lang| {
            let description = record.dc_value("description", side_lang);
            let body = record.body.get(&side_lang).map(|b| match self.embeds {
                Some(resolve) => render_story(b, resolve),
                None => render_markdown(b),
            });
            (description.is_some() || body.is_some())
                .then(|| json!({"lang": side_lang.tag(), "description": description, "body": body}))
        };
        // Both languages side by side, the visitor's first.
        let order = if lang == Lang::En {
            [Lang::En, Lang::Vi]
        } else {
            [Lang::Vi, Lang::En]
        };
        let sides: Vec<Value> = order.into_iter().filter_map(side).collect();
        // A story reads in one language: the visitor's, else Vietnamese, marked.
        let story = (record.kind == Kind::Story).then(|| {
            let reading = sides.first().cloned().unwrap_or(Value::Null);
            let fallback = reading["lang"] != lang.tag();
            json!({"side": reading, "fallback": fallback})
        });
        let summary = shown(
            lang,
            record
                .dc_value("description", Lang::Vi)
                .unwrap_or(&title.text),
            record.dc_value("description", Lang::En),
        )
        .text;
        let subtitles: Vec<Value> = files
            .iter()
            .filter(|f| f["is_subtitles"] == true && !f["url"].is_null())
            .map(|f| {
                let name = f["name"].as_str().unwrap_or_default();
                let track_lang = subtitle_lang(name);
                json!({"url": f["url"], "name": name, "lang": track_lang.tag(),
                       "label": text(track_lang, "language_name")})
            })
            .collect();
        json!({
            "id": id,
            "url": self.url(),
            "title": title,
            "subtitle": subtitle,
            "summary": summary,
            "kind": record.kind.as_str(),
            "kind_label": kind_label(record.kind.as_str(), lang),
            "date": record.date.as_ref().map(|d| d.as_str()),
            "village": village.map(|v| json!({"id": v.id, "name": village_name(v, lang)})),
            "craft": craft.map(|c| json!({"id": c.id, "name": craft_name(c, lang)})),
            "fields": fields,
            "sides": sides,
            "story": story,
            "image": files.iter().find(|f| !f["display"].is_null()),
            "videos": files.iter().filter(|f| f["is_video"] == true).collect::<Vec<_>>(),
            "audios": files.iter().filter(|f| f["is_audio"] == true).collect::<Vec<_>>(),
            "subtitles": subtitles,
            "files": files,
            "files_reserved": self.files_reserved,
            "extra": record.extra,
            "festival": self.festival().map(|(lunar, dates)| festival_view(lunar, &dates, self.today, lang)),
            "cite": super::linked::citation(self),
            "jsonld": super::linked::record_json_ld(self),
        })
    }

    /// A festival's lunar date and its solar dates this year and next.
    pub fn festival(&self) -> Option<(LunarMonthDay, Vec<Occurrence>)> {
        festival_dates(self.record, self.today)
    }
}

/// A record's lunar date (`lunar_date` in its metadata) and its solar dates in this year and the
/// next (a leap-month festival on the ordinary month's day in years without that leap month, see
/// [`festival_days`]); `None` when it has none or it cannot be read.
pub fn festival_dates(
    record: &Record,
    today: CalendarDate,
) -> Option<(LunarMonthDay, Vec<Occurrence>)> {
    let lunar: LunarMonthDay = record.extra.get("lunar_date")?.first()?.parse().ok()?;
    let january = CalendarDate::new(today.year, 1, 1)?;
    let dates = festival_days(lunar, january, 3)
        .into_iter()
        .filter(|d| d.date.year <= today.year + 1)
        .collect();
    Some((lunar, dates))
}

/// What a page shows of a festival's days: its lunar date, each solar date (past ones marked,
/// days in the ordinary month instead of the leap month marked), when the leap month next comes
/// for a leap-month festival, and a sentence instead of an empty list where no date can be
/// computed (outside the calendar's supported years).
pub fn festival_view(
    lunar: LunarMonthDay,
    dates: &[Occurrence],
    today: CalendarDate,
    lang: Lang,
) -> Value {
    let month = lunar.month;
    let years = crate::model::lunar::SUPPORTED_YEARS;
    let dates: Vec<Value> = dates
        .iter()
        .map(|d| {
            json!({
                "iso": super::linked::iso_date(d.date),
                "label": date_label(d.date, lang),
                "past": d.date < today,
                "note": occurrence_note(d, lunar, lang),
            })
        })
        .collect();
    // Every leap-month festival says when its month next comes, or that it does not come within
    // the calendar's years (`12L-1`: no leap month 12 before 2199).
    let next_leap = lunar
        .leap
        .then(|| match next_leap_month(lunar.month, today.year) {
            Some(year) => message(
                lang,
                "next_leap_month",
                &[("month", month.into()), ("year", year.into())],
            ),
            None => message(
                lang,
                "no_leap_month_until",
                &[("month", month.into()), ("year", (*years.end()).into())],
            ),
        });
    json!({
        "lunar": lunar_label(lunar, lang),
        "empty": dates.is_empty().then(|| message(lang, "no_solar_dates",
            &[("first", (*years.start()).into()), ("last", (*years.end()).into())])),
        "dates": dates,
        "next_leap": next_leap,
    })
}

/// What a page says beside one day of a festival, naming the lunar year it is about (never "this
/// year" beside next year's date): held in the ordinary month for want of that year's leap
/// month, and/or held on the 29th for want of a 30th; `None` when it is held as written.
fn occurrence_note(day: &Occurrence, lunar: LunarMonthDay, lang: Lang) -> Option<String> {
    let year = day.lunar_year;
    let mut notes = Vec::new();
    if day.ordinary_month {
        notes.push(message(
            lang,
            "in_ordinary_month",
            &[("month", lunar.month.into()), ("year", year.into())],
        ));
    }
    if day.on_29th {
        let month = month_label(lunar.month, lunar.leap && !day.ordinary_month, lang);
        notes.push(message(
            lang,
            "on_29th",
            &[("month", month.into()), ("year", year.into())],
        ));
    }
    (!notes.is_empty()).then(|| notes.join("; "))
}

/// "ngày 7 tháng 1 âm lịch" / "day 7 of lunar month 1" (leap months marked).
pub fn lunar_label(lunar: LunarMonthDay, lang: Lang) -> String {
    let month = month_label(lunar.month, lunar.leap, lang);
    message(
        lang,
        "lunar_day_month",
        &[("day", lunar.day.into()), ("month", month.into())],
    )
}

/// A lunar month's number, marked when it is the leap month ("4 nhuận", "4 (leap)").
fn month_label(month: u8, leap: bool, lang: Lang) -> String {
    let leap = if leap { "yes" } else { "no" };
    message(
        lang,
        "lunar_month",
        &[("month", month.into()), ("leap", leap.into())],
    )
}

/// A solar date as people write it: "17/2/2026" in Vietnamese, "17 February 2026" in English.
pub fn date_label(date: CalendarDate, lang: Lang) -> String {
    let args = [
        ("day", date.day.into()),
        ("month", date.month.into()),
        ("year", date.year.into()),
    ];
    message(lang, "date_label", &args)
}

/// The ids a story's body embeds, in order.
pub fn embedded_ids(markdown: &str) -> Vec<String> {
    crate::index::public_text::lines(markdown)
        .flat_map(|line| match line {
            crate::index::public_text::Line::Embed { ids, .. } => ids,
            crate::index::public_text::Line::Text(_) => Vec::new(),
        })
        .map(str::to_string)
        .collect()
}

/// The size of an image's display derivative, at most 1600 px on its long side: said in the page
/// so nothing shifts while it loads.
pub fn display_size(width: Option<u32>, height: Option<u32>) -> (Option<u32>, Option<u32>) {
    match (width, height) {
        (Some(w), Some(h)) if w > 0 && h > 0 => {
            let scale = (1600.0 / f64::from(w.max(h))).min(1.0);
            (
                Some((f64::from(w) * scale).round() as u32),
                Some((f64::from(h) * scale).round() as u32),
            )
        }
        _ => (None, None),
    }
}

/// The language of a subtitle file, from its name (`en.vtt`, `phim.en.vtt`); Vietnamese otherwise.
pub fn subtitle_lang(name: &str) -> Lang {
    let stem = name.trim_end_matches(".vtt");
    if stem == "en" || stem.ends_with(".en") || stem.ends_with("-en") || stem.ends_with("_en") {
        Lang::En
    } else {
        Lang::Vi
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_bodies_cannot_carry_active_html() {
        let html =
            render_markdown("**Đậm** <script>alert(1)</script> <img src=x onerror=alert(1)>");
        assert!(html.contains("<strong>Đậm</strong>"));
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
    }

    /// The `search-lunar-festivals` case on 1 March 2030 (as under `faketime '@2030-03-01'`).
    #[test]
    fn leap_month_festivals_show_the_ordinary_month_marked_and_when_the_leap_month_comes() {
        let today = CalendarDate::new(2030, 3, 1).unwrap();
        let record = |lunar: &str| {
            let mut record: Record = serde_json::from_value(serde_json::json!({
                "schema": crate::model::SCHEMA_VERSION, "id": "fest", "kind": "festival",
                "access": "public", "dc": {}, "files": [],
                "provenance": {"batch": "b", "path": "objects/fest.md"},
            }))
            .unwrap_or_else(|e| panic!("{e}"));
            record
                .extra
                .insert("lunar_date".to_string(), vec![lunar.to_string()]);
            record
        };
        let view = |lunar: &str, lang| {
            let (md, dates) = festival_dates(&record(lunar), today).unwrap();
            festival_view(md, &dates, today, lang)
        };
        let leap4 = view("4L-15", Lang::En);
        let expected: Vec<Value> = [2030, 2031]
            .iter()
            .map(|&year| {
                let date = crate::model::lunar::to_solar(crate::model::lunar::LunarDate {
                    year,
                    month: 4,
                    day: 15,
                    leap: false,
                })
                .unwrap();
                json!({"iso": super::super::linked::iso_date(date), "label": date_label(date, Lang::En),
                       "past": false,
                       "note": format!("in ordinary month 4: lunar year {year} has no leap month 4")})
            })
            .collect();
        assert_eq!(leap4["dates"], json!(expected));
        assert_eq!(
            leap4["next_leap"],
            "The next leap month 4: lunar year 2058."
        );
        assert_eq!(leap4["empty"], Value::Null);
        let vi = view("4L-15", Lang::Vi);
        assert_eq!(
            vi["dates"][0]["note"],
            "tháng 4 thường: năm 2030 âm lịch không có tháng 4 nhuận"
        );
        // Regression (break-12 finding 13): next year's date names its own lunar year.
        assert_eq!(
            vi["dates"][1]["note"],
            "tháng 4 thường: năm 2031 âm lịch không có tháng 4 nhuận"
        );
        assert_eq!(
            vi["next_leap"],
            "Tháng 4 nhuận tiếp theo: năm 2058 âm lịch."
        );
        // Tết 2030 (2 February) is past on 1 March: marked, never unmarked.
        let tet = view("1-1", Lang::Vi);
        assert_eq!(tet["dates"][0]["iso"], "2030-02-02");
        assert_eq!(tet["dates"][0]["past"], true);
        assert_eq!(tet["dates"][0]["note"], Value::Null);
        assert_eq!(tet["next_leap"], Value::Null);
        // 11L-10 in 2033's leap month 11 (a leap month, so no note); every list has dates.
        let in_2033 = CalendarDate::new(2033, 1, 1).unwrap();
        let (md, dates) = festival_dates(&record("11L-10"), in_2033).unwrap();
        let leap11 = festival_view(md, &dates, in_2033, Lang::En);
        assert_eq!(leap11["dates"][0]["note"], Value::Null, "{leap11}");
        assert_eq!(
            leap11["dates"][1]["note"],
            "in ordinary month 11: lunar year 2034 has no leap month 11"
        );
        // Regression (break-12 finding 13): a 30th moved to the 29th says so, and a leap month
        // that never comes within the calendar's years is said to be so.
        let in_2026 = CalendarDate::new(2026, 1, 1).unwrap();
        let (md, dates) = festival_dates(&record("2-30"), in_2026).unwrap();
        let short = festival_view(md, &dates, in_2026, Lang::En);
        assert_eq!(short["dates"][0]["iso"], "2026-04-16", "{short}");
        assert_eq!(
            short["dates"][0]["note"],
            "on the 29th: lunar month 2 of 2026 has 29 days"
        );
        let short_vi = festival_view(md, &dates, in_2026, Lang::Vi);
        assert_eq!(
            short_vi["dates"][0]["note"],
            "ngày 29: tháng 2 âm lịch năm 2026 chỉ có 29 ngày"
        );
        let (md, dates) = festival_dates(&record("12L-1"), in_2026).unwrap();
        let leap12 = festival_view(md, &dates, in_2026, Lang::En);
        let expected = match crate::model::lunar::next_leap_month(12, 2026) {
            Some(year) => format!("The next leap month 12: lunar year {year}."),
            None => "No leap month 12 comes before the end of lunar year 2199.".to_string(),
        };
        assert_eq!(leap12["next_leap"], expected.as_str(), "{leap12}");
        for lunar in ["1-1", "12-30", "4L-15", "6L-1", "11L-10"] {
            for year in [2026, 2030, 2057, 2100] {
                let today = CalendarDate::new(year, 6, 1).unwrap();
                let (md, dates) = festival_dates(&record(lunar), today).unwrap();
                assert_eq!(dates.len(), 2, "{lunar} in {year}");
                assert!(festival_view(md, &dates, today, Lang::Vi)["empty"].is_null());
            }
        }
        // Past the calendar's last year: a sentence, not an empty list.
        let far = CalendarDate::new(2300, 1, 1).unwrap();
        let (md, dates) = festival_dates(&record("1-1"), far).unwrap();
        assert_eq!(
            festival_view(md, &dates, far, Lang::En)["empty"],
            "No solar date can be computed for this year or next (the calendar covers 1900 to 2199)."
        );
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode("dệt lụa&x"), "d%E1%BB%87t+l%E1%BB%A5a%26x");
    }

    #[test]
    fn stories_embed_public_records_and_nothing_else() {
        let resolve = |id: &str| -> Option<Embed> {
            (id == "anh" || id == "phim").then(|| Embed {
                title: shown(Lang::Vi, "Ảnh <đẹp>", None),
                url: format!("/records/{id}"),
                kind_label: "Ảnh",
                image: (id == "anh")
                    .then(|| ("/media/anh/display/0".to_string(), Some(1600), Some(1200))),
                video: (id == "phim").then(|| "/media/phim/files/phim.mp4".to_string()),
                audio: None,
                files_reserved: None,
            })
        };
        let html = render_story(
            "Mở đầu.\n\n[[anh]]\n\nGiữa [[anh]] trong câu.\n\n[[an-bi-mat]]\n\n[[gallery: anh, an-bi-mat, phim]]\n\n[[anh | Chú thích <b>]]\n\n\u{E000}0\u{E000}",
            &resolve,
        );
        assert_eq!(html.matches("<figure").count(), 4, "{html}");
        assert!(
            html.contains("<img src=\"/media/anh/display/0\" alt=\"Ảnh &lt;đẹp&gt;\""),
            "{html}"
        );
        assert!(html.contains("<video controls"));
        assert!(
            html.contains("Giữa [[anh]] trong câu."),
            "inline brackets stay text"
        );
        assert!(
            !html.contains("an-bi-mat"),
            "an unresolved id leaks: {html}"
        );
        assert!(html.contains("Chú thích &lt;b&gt;"));
        assert!(!html.contains('\u{E000}'), "a forged placeholder survived");
    }

    #[test]
    fn subtitle_languages_come_from_file_names() {
        assert_eq!(subtitle_lang("en.vtt"), Lang::En);
        assert_eq!(subtitle_lang("phim.en.vtt"), Lang::En);
        assert_eq!(subtitle_lang("vi.vtt"), Lang::Vi);
        assert_eq!(subtitle_lang("phim.vtt"), Lang::Vi);
    }
}
