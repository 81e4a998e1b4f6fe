//! A record page's view: its fields in both languages, files with what may be sent of each,
//! story body, festival dates, citation and linked data.

use serde_json::{Value, json};

use super::festival::{festival_dates, festival_view};
use super::labels::{craft_name, kind_label, record_title, village_name};
use super::links::media_url;
use super::story::{Resolve, render_markdown, render_story};
use crate::index::authorities::Authorities;
use crate::index::location::{PublicCopy, Status};
use crate::index::search::has_derivative;
use crate::model::edtf::CalendarDate;
use crate::model::lunar::{LunarMonthDay, Occurrence};
use crate::model::{Kind, Lang, Record};
use crate::web::i18n::{shown, text};

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
    /// Whether each file, in the order of `record.files`, is absent for the viewer
    /// ([`crate::web::media::Listing::absent`]): such a file is not listed.
    pub absent: &'a [bool],
    /// Whether the record's files are withheld from the visitor (its description is public, its
    /// `files_access` narrower): the page says its files are reserved, without saying for whom.
    pub files_reserved: bool,
    /// The OCFL version shown (the head on the current page, an earlier one at
    /// `/records/{id}/v{n}`), which the citations name; `None` only when the inventory has no
    /// head version (never in an archive Disan wrote).
    pub version: Option<&'a crate::web::site::CitedVersion>,
}

impl RecordPage<'_> {
    /// The record's stable URL in this language.
    pub fn url(&self) -> String {
        format!(
            "{}{}/records/{}",
            self.origin,
            crate::web::i18n::prefix(self.lang),
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
            .filter(|(n, _)| !self.absent.get(*n).copied().unwrap_or(false))
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
                // The deep-zoom viewer's source: the file's IIIF image service, which exists
                // exactly when its display image does (the same access rules as /media/).
                let iiif = display
                    .as_ref()
                    .map(|_| format!("/iiif/3/{id}/{n}/info.json"));
                let zoom = match &url {
                    Some(url) if browser_image(&file.format.mime) => Some(url.clone()),
                    _ => display.clone().or_else(|| url.clone()),
                };
                json!({
                    "name": name, "url": url, "display": display, "zoom": zoom, "iiif": iiif,
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
            "cite": crate::web::cite::view(self),
            "earlier": self.version.filter(|v| !v.is_current()).map(|v| json!({
                "version": v.name,
                "day": v.day,
                "notice": crate::web::i18n::message(lang, "version_earlier", &[
                    ("version", v.name.clone().into()),
                    ("day", v.day.clone().into()),
                    ("head", v.head.clone().into()),
                ]),
                "current": self.url(),
            })),
            "jsonld": crate::web::linked::record_json_ld(self),
        })
    }

    /// A festival's lunar date and its solar dates this year and next.
    pub fn festival(&self) -> Option<(LunarMonthDay, Vec<Occurrence>)> {
        festival_dates(self.record, self.today)
    }
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
    fn subtitle_languages_come_from_file_names() {
        assert_eq!(subtitle_lang("en.vtt"), Lang::En);
        assert_eq!(subtitle_lang("phim.en.vtt"), Lang::En);
        assert_eq!(subtitle_lang("vi.vtt"), Lang::Vi);
        assert_eq!(subtitle_lang("phim.vtt"), Lang::Vi);
    }
}
