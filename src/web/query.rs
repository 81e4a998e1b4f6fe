//! Reading a search from a URL's parameters into a [`SearchQuery`], refusing malformed values
//! with a message naming the parameter.

use std::collections::HashMap;

use super::error::{Refusal, WebError};
use crate::index::search::{SearchQuery, Sort};
use crate::model::Kind;

/// The most parameters a search URL may carry (its own seventeen and a few tracking tags).
pub const MAX_PARAMETERS: usize = 32;

/// The longest query text a search takes, in characters.
pub const MAX_QUERY_CHARS: usize = 500;

/// The parameters a search reads, each at most once.
const SEARCH_PARAMETERS: [&str; 17] = [
    "q", "kind", "village", "craft", "artisan", "product", "page", "sort", "lang", "commune",
    "district", "province", "status", "title", "stars", "decade", "media",
];

/// Reads `q`, `kind`, `village`, `craft`, `artisan`, `product`, the facet filters (`commune`,
/// `district`, `province`, `title`, `status`, `stars`, `decade`, `media`), `page`, `sort` and
/// `lang`, refusing malformed values with a message that names the parameter.
///
/// One rule for every filter, on the search page and in the API alike: a value that is not of
/// the parameter's form is a 400 (an id or a facet key that is not a lowercase slug; a `kind`,
/// `status`, `stars`, `decade` or `media` outside its closed list); a well-formed value is
/// searched, and one that names nothing the viewer may see (an unknown id or key, a product
/// hidden from the viewer) finds nothing: 200 with no results, as search engines answer an
/// unknown facet value ([`crate::web::Site::search_for`]).
///
/// `pairs` are the URL's parameters in order. Each search parameter may be given once: a
/// repeated one (`kind=festival&kind=story`) is refused with 400 naming it rather than one of
/// its values being kept silently (there is no multi-select within a field), and more than
/// [`MAX_PARAMETERS`] parameters are refused (break-12 finding 11). Unknown parameter names are
/// ignored, as before (tracking tags in shared links).
pub fn parse_query(pairs: &[(String, String)]) -> Result<SearchQuery, WebError> {
    if pairs.len() > MAX_PARAMETERS {
        return Err(WebError::BadRequest(Refusal::TooManyParameters {
            max: MAX_PARAMETERS,
            given: pairs.len(),
        }));
    }
    let mut params: HashMap<String, String> = HashMap::with_capacity(pairs.len());
    for (name, value) in pairs {
        if params.insert(name.clone(), value.clone()).is_some()
            && SEARCH_PARAMETERS.contains(&name.as_str())
        {
            return Err(WebError::BadRequest(Refusal::Repeated {
                parameter: name.clone(),
            }));
        }
    }
    let params = &params;
    let page = match params
        .get("page")
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
    {
        None => 1,
        Some(text) => match text.parse::<usize>().ok().filter(|page| *page >= 1) {
            // Results past the window are not paged (see `MAX_RESULT_WINDOW`).
            Some(page) if page <= crate::index::search::MAX_PAGE => page,
            Some(_) => {
                return Err(WebError::BadRequest(Refusal::PageTooDeep {
                    page: text.to_string(),
                }));
            }
            None => {
                return Err(WebError::BadRequest(Refusal::BadPage {
                    value: text.to_string(),
                }));
            }
        },
    };
    let kind = match params
        .get("kind")
        .map(|k| k.trim())
        .filter(|k| !k.is_empty())
    {
        None => None,
        Some(text) => Some(
            text.parse::<Kind>()
                .map_err(|_| {
                    WebError::BadRequest(Refusal::BadKind {
                        value: text.to_string(),
                    })
                })?
                .as_str()
                .to_string(),
        ),
    };
    let slug = |name: &str| -> Result<Option<String>, WebError> {
        match params.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(text)
                if text.len() <= 100
                    && text
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') =>
            {
                Ok(Some(text.to_string()))
            }
            Some(text) => Err(WebError::BadRequest(Refusal::BadId {
                parameter: name.to_string(),
                value: text.to_string(),
            })),
        }
    };
    let sort = match params
        .get("sort")
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        None => Sort::Relevance,
        Some(text) => Sort::parse(text).ok_or_else(|| {
            WebError::BadRequest(Refusal::BadSort {
                value: text.to_string(),
            })
        })?,
    };
    let mut facet_filters = Vec::new();
    for name in [
        "commune", "district", "province", "status", "title", "stars", "decade", "media",
    ] {
        let Some(text) = params.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()) else {
            continue;
        };
        let valid = match name {
            "commune" | "district" | "province" | "title" => slug(name)?.is_some(),
            "status" => text.parse::<crate::model::RiskStatus>().is_ok(),
            "stars" => matches!(text, "1" | "2" | "3" | "4" | "5"),
            "decade" => text.parse::<i32>().is_ok_and(|year| year % 10 == 0),
            _ => matches!(text, "yes" | "no"),
        };
        if !valid {
            let value = text.to_string();
            return Err(WebError::BadRequest(match name {
                "status" => Refusal::BadStatus { value },
                "stars" => Refusal::BadStars { value },
                "decade" => Refusal::BadDecade { value },
                _ => Refusal::BadMedia { value },
            }));
        }
        facet_filters.push((name.to_string(), text.to_string()));
    }
    let text = params.get("q").cloned().unwrap_or_default();
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(WebError::BadRequest(Refusal::TooLong {
            parameter: "q".to_string(),
            max: MAX_QUERY_CHARS,
        }));
    }
    // The language snippets prefer (the API's `lang`; a page's own language overrides it).
    let lang = match params.get("lang").map(|l| l.trim()).unwrap_or_default() {
        "" | "vi" => crate::model::Lang::Vi,
        "en" => crate::model::Lang::En,
        other => {
            return Err(WebError::BadRequest(Refusal::BadLang {
                value: other.to_string(),
            }));
        }
    };
    Ok(SearchQuery {
        text,
        kind,
        village: slug("village")?,
        craft: slug("craft")?,
        artisan: slug("artisan")?,
        product: slug("product")?,
        page,
        sort,
        facet_filters,
        lang,
    })
}
