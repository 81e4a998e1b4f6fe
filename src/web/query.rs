//! Reading a search from a URL's parameters into a [`SearchQuery`], refusing malformed values
//! with a message naming the parameter.

use std::collections::HashMap;

use super::error::WebError;
use super::i18n;
use crate::index::search::{SearchQuery, Sort};
use crate::model::{Kind, Lang};

/// The most parameters a search URL may carry (its own eleven and a few tracking tags).
pub const MAX_PARAMETERS: usize = 32;

/// The parameters a search reads, each at most once.
const SEARCH_PARAMETERS: [&str; 11] = [
    "q", "kind", "village", "craft", "page", "sort", "lang", "district", "status", "decade",
    "media",
];

/// Reads `q`, `kind`, `village`, `craft`, `page` and `sort`, refusing malformed values with a message
/// that names the parameter.
///
/// `pairs` are the URL's parameters in order. Each search parameter may be given once: a
/// repeated one (`kind=festival&kind=story`) is refused with 400 naming it rather than one of
/// its values being kept silently (there is no multi-select within a field), and more than
/// [`MAX_PARAMETERS`] parameters are refused (break-12 finding 11). Unknown parameter names are
/// ignored, as before (tracking tags in shared links).
pub fn parse_query(pairs: &[(String, String)]) -> Result<SearchQuery, WebError> {
    if pairs.len() > MAX_PARAMETERS {
        return Err(WebError::BadRequest(format!(
            "a search takes at most {MAX_PARAMETERS} parameters, not {}",
            pairs.len()
        )));
    }
    let mut params: HashMap<String, String> = HashMap::with_capacity(pairs.len());
    for (name, value) in pairs {
        if params.insert(name.clone(), value.clone()).is_some()
            && SEARCH_PARAMETERS.contains(&name.as_str())
        {
            return Err(WebError::BadRequest(format!(
                "{name} is given more than once; give one value (a search filters each field by one value)"
            )));
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
                let args = [
                    (
                        "window",
                        crate::index::search::MAX_RESULT_WINDOW.to_string().into(),
                    ),
                    ("max", crate::index::search::MAX_PAGE.to_string().into()),
                    ("page", text.to_string().into()),
                ];
                return Err(WebError::BadRequest(format!(
                    "{} / {}",
                    i18n::message(Lang::En, "error_page_too_deep", &args),
                    i18n::message(Lang::Vi, "error_page_too_deep", &args),
                )));
            }
            None => {
                return Err(WebError::BadRequest(format!(
                    "page must be a whole number from 1 to {}, not '{text}'",
                    crate::index::search::MAX_PAGE
                )));
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
                .map_err(|error| WebError::BadRequest(format!("kind: {}", error.0)))?
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
            Some(text) => Err(WebError::BadRequest(format!(
                "{name} must be an id such as 'doi-tam' (lowercase letters, digits, '-'), not '{text}'"
            ))),
        }
    };
    let sort = match params
        .get("sort")
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        None => Sort::Relevance,
        Some(text) => Sort::parse(text).ok_or_else(|| {
            WebError::BadRequest(format!(
                "sort must be relevance, title, date or date-desc, not '{text}'"
            ))
        })?,
    };
    let mut facet_filters = Vec::new();
    for name in ["district", "status", "decade", "media"] {
        let Some(text) = params.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()) else {
            continue;
        };
        let valid = match name {
            "district" => slug(name)?.is_some(),
            "status" => text.parse::<crate::model::RiskStatus>().is_ok(),
            "decade" => text.parse::<i32>().is_ok_and(|year| year % 10 == 0),
            _ => matches!(text, "yes" | "no"),
        };
        if !valid {
            let expected = match name {
                "status" => "at-risk-irreversible, at-risk-revivable or developing",
                "decade" => "a year ending in 0, such as 1930",
                _ => "yes or no",
            };
            return Err(WebError::BadRequest(format!(
                "{name} must be {expected}, not '{text}'"
            )));
        }
        facet_filters.push((name.to_string(), text.to_string()));
    }
    let text = params.get("q").cloned().unwrap_or_default();
    if text.chars().count() > 500 {
        return Err(WebError::BadRequest(
            "q must be at most 500 characters".to_string(),
        ));
    }
    // The language snippets prefer (the API's `lang`; a page's own language overrides it).
    let lang = match params.get("lang").map(|l| l.trim()).unwrap_or_default() {
        "" | "vi" => crate::model::Lang::Vi,
        "en" => crate::model::Lang::En,
        other => {
            return Err(WebError::BadRequest(format!(
                "lang must be vi or en, not '{other}'"
            )));
        }
    };
    Ok(SearchQuery {
        text,
        kind,
        village: slug("village")?,
        craft: slug("craft")?,
        page,
        sort,
        facet_filters,
        lang,
    })
}
