//! Searches, suggestions and related records, each for a viewer: the public index for an
//! anonymous visitor, the viewer's scope of the everyone index otherwise.

use std::sync::Arc;

use super::{PLACE_SUGGESTIONS, SUGGESTIONS, Site};
use crate::index::search::{SearchIndex, SearchQuery, Suggestion};
use crate::model::Lang;
use crate::model::access::Viewer;
use crate::model::text::{fold, nfc};
use crate::web::error::WebError;

impl Site {
    /// Search-as-you-type: villages, crafts, artisans and public products whose names
    /// (Vietnamese or English) begin with the words typed, then titles of public records in
    /// either language; each labelled in `lang` where it has a name in it, and linked to the
    /// page in `lang`.
    pub fn suggest(&self, typed: &str, lang: Lang) -> Result<Vec<Suggestion>, WebError> {
        self.suggest_for(&Viewer::Anonymous, typed, lang)
    }

    /// [`Site::suggest`] with the products and the titles of records `viewer` may see (villages,
    /// crafts and artisans' names are public to everyone).
    pub fn suggest_for(
        &self,
        viewer: &Viewer,
        typed: &str,
        lang: Lang,
    ) -> Result<Vec<Suggestion>, WebError> {
        let typed_words = words_of(typed);
        if typed_words.is_empty() {
            return Ok(Vec::new());
        }
        let begins = |names: &[Option<&String>]| {
            names.iter().flatten().any(|name| {
                let name_words = words_of(name);
                typed_words.iter().all(|typed| {
                    name_words
                        .iter()
                        .any(|word| word.starts_with(typed.as_str()))
                })
            })
        };
        let prefix = if lang == Lang::En { "/en" } else { "" };
        let named = |name: &String, english: Option<&String>| match (lang, english) {
            (Lang::En, Some(english)) => (english.clone(), "en"),
            _ => (name.clone(), "vi"),
        };
        let authorities = self.authorities();
        // An authority whose name begins with the words typed, labelled in `lang`.
        let place = |kind: &'static str,
                     folder: &str,
                     id: &str,
                     name: &String,
                     english: Option<&String>| {
            begins(&[Some(name), english]).then(|| {
                let (label, label_lang) = named(name, english);
                Suggestion {
                    label,
                    kind,
                    lang: label_lang,
                    url: format!("{prefix}/{folder}/{id}"),
                }
            })
        };
        let villages = authorities.villages.values().filter_map(|v| {
            place(
                "village",
                "villages",
                v.id.as_str(),
                &v.name,
                v.name_en.as_ref(),
            )
        });
        let crafts = authorities.crafts.values().filter_map(|c| {
            place(
                "craft",
                "crafts",
                c.id.as_str(),
                &c.name,
                c.name_en.as_ref(),
            )
        });
        // Artisans by name (a name is public whoever may read the rest: README, artisans.csv)
        // and the products `viewer` may see, and no other: a product it may not see is no
        // suggestion, as it is no page (issue 15: suggestions named neither).
        let artisans = authorities.artisans.values().filter_map(|a| {
            place(
                "artisan",
                "artisans",
                a.id.as_str(),
                &a.name,
                a.name_en.as_ref(),
            )
        });
        let products = authorities.products_shown(viewer).filter_map(|p| {
            place(
                "product",
                "products",
                p.id.as_str(),
                &p.name,
                p.name_en.as_ref(),
            )
        });
        let mut suggestions: Vec<Suggestion> = villages
            .chain(crafts)
            .chain(artisans)
            .chain(products)
            .take(PLACE_SUGGESTIONS)
            .collect();
        // More candidates than shown, so those written with the very tones typed come first
        // (break-12 finding 12: `Đọi` lists "… Đọi Tam" before "Đôi …"); the index's order is
        // kept among equals.
        let room = SUGGESTIONS - suggestions.len();
        let mut records =
            self.read_index_for(viewer, |search| search.suggest_in(typed, room * 4, lang))?;
        let typed_exact = exact_words(typed);
        records.sort_by_cached_key(|record| {
            let label = exact_words(&record.label);
            let exact = typed_exact
                .iter()
                .filter(|typed| label.iter().any(|word| word.starts_with(typed.as_str())))
                .count();
            (record.kind != "identifier", std::cmp::Reverse(exact))
        });
        records.truncate(room);
        suggestions.extend(records.into_iter().map(|mut record| {
            record.url = format!("{prefix}{}", record.url);
            record
        }));
        Ok(suggestions)
    }

    /// The ids of every public record, kept until the index changes.
    pub fn public_ids(&self) -> Result<Arc<Vec<String>>, WebError> {
        let generation = self.search.generation();
        if let Ok(cached) = self.public_ids.read()
            && cached.0 == generation
        {
            return Ok(cached.1.clone());
        }
        let ids = Arc::new(self.read_index(SearchIndex::public_ids)?);
        if let Ok(mut cached) = self.public_ids.write() {
            *cached = (generation, ids.clone());
        }
        Ok(ids)
    }

    /// The access rule by which `viewer` may see record `id` (for the badge of who may see it),
    /// from the index; `None` for an anonymous viewer, for a record the viewer may not see, and
    /// when the index cannot be read (no badge rather than an error page).
    pub fn access_for(&self, viewer: &Viewer, id: &str) -> Option<crate::model::Access> {
        if *viewer == Viewer::Anonymous {
            return None;
        }
        self.read_index_for(viewer, |search| search.access_of(id))
            .ok()
            .flatten()
    }

    /// Public records like a public record; none (logged) when the index cannot be read, so the
    /// record page is still served.
    pub fn related(&self, id: &str) -> Result<Vec<crate::index::search::Hit>, WebError> {
        self.related_for(&Viewer::Anonymous, id)
    }

    /// [`Site::related`]: records `viewer` may see like one it may see, ranked from what it
    /// may see alone.
    pub fn related_for(
        &self,
        viewer: &Viewer,
        id: &str,
    ) -> Result<Vec<crate::index::search::Hit>, WebError> {
        match self.read_index_for(viewer, |search| search.related(id, 6)) {
            Ok(hits) => Ok(hits),
            Err(error) => {
                eprintln!("disan serve: no related records: {error:?}");
                Ok(Vec::new())
            }
        }
    }

    /// Searches public records.
    pub fn search(
        &self,
        query: &SearchQuery,
    ) -> Result<crate::index::search::SearchResults, WebError> {
        self.search_for(&Viewer::Anonymous, query)
    }

    /// [`Site::search`] among the records `viewer` may see: results, totals, facet counts,
    /// orders, close spellings and pages computed from them alone.
    pub fn search_for(
        &self,
        viewer: &Viewer,
        query: &SearchQuery,
    ) -> Result<crate::index::search::SearchResults, WebError> {
        // One rule for every filter (`parse_query` refuses malformed values): a well-formed
        // value that names nothing this viewer may see (an unknown village, craft, artisan,
        // product, title, commune, province or district; a product hidden from this viewer) is
        // searched like any other and finds nothing, 200 with no results. A hidden product is
        // thus answered exactly as an unknown one, by the same search: the index holds a
        // product narrower than its records only under its rule (`SearchIndex::product_filter`),
        // so it finds nothing for a viewer whose scope lacks that rule.
        self.read_index_for(viewer, |search| search.search(query))
    }
}

/// The words of `text` with their diacritics, lowercase NFC (the Icelandic `ð`, typed for `đ`
/// on some keyboards, read as `đ`), for comparing tones exactly.
fn exact_words(text: &str) -> Vec<String> {
    nfc(&text.to_lowercase())
        .replace('ð', "đ")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_string)
        .collect()
}

/// The folded words of `text`.
fn words_of(text: &str) -> Vec<String> {
    fold(&nfc(text))
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_string)
        .collect()
}
