//! The public shapes of a search: what a visitor asks ([`SearchQuery`], [`Sort`]), the facets
//! counted ([`FACETS`]) and what comes back ([`SearchResults`], [`Hit`], [`Suggestion`]).

use super::*;

/// What a visitor asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchQuery {
    /// Free text; empty lists everything.
    pub text: String,
    /// Narrow to one kind.
    pub kind: Option<String>,
    /// Narrow to one village id.
    pub village: Option<String>,
    /// Narrow to one craft id.
    pub craft: Option<String>,
    /// Narrow to the records naming one artisan, by id (the works of an artisan; issue 14).
    pub artisan: Option<String>,
    /// Narrow to the records showing one product, by id (issue 14): on the public index, the
    /// public records naming a public product; on the everyone index seen by a viewer, the
    /// records it may see naming the product when its scope admits the product's rule (a
    /// product it may not see finds nothing, see [`Indexer::put`]).
    pub product: Option<String>,
    /// 1-based page.
    pub page: usize,
    /// Order of the results.
    pub sort: Sort,
    /// Narrowing by the other facets: `("decade", "1930")`, `("district", "duy-tien")`,
    /// `("status", "developing")`, `("media", "yes")`.
    pub facet_filters: Vec<(String, String)>,
    /// The visitor's language: snippets prefer its text and tag the other language's parts.
    pub lang: Lang,
}

/// Every facet the index counts, in the order they are shown. `artisan` and `product` are
/// ids, `title` the [`slug`] of an honour title, `stars` a number of OCOP stars, `commune` and
/// `province` the [`slug`] of a commune's or a province's name (as documented, or after 1 July
/// 2025).
pub const FACETS: [&str; 13] = [
    "kind", "village", "craft", "commune", "district", "province", "status", "artisan", "title",
    "product", "stars", "decade", "media",
];

/// How results are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best match first, equal scores by title, then record id; with no query text, as
    /// [`Sort::Title`].
    #[default]
    Relevance,
    /// By Vietnamese title, in dictionary order; equal titles by record id.
    Title,
    /// Oldest first, by the earliest date a record's EDTF date allows as search reads it
    /// ([`crate::model::edtf::Edtf::search_span`]); undated last; equal dates by title, then id.
    Date,
    /// Newest first, by the latest date a record's EDTF date allows as search reads it; undated
    /// last; equal dates by title, then id.
    DateDesc,
}

impl Sort {
    /// Every order, as offered to visitors.
    pub const ALL: [Sort; 4] = [Sort::Relevance, Sort::Title, Sort::Date, Sort::DateDesc];

    /// The keyword of the `sort` parameter.
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Title => "title",
            Sort::Date => "date",
            Sort::DateDesc => "date-desc",
        }
    }

    /// Reads the keyword of the `sort` parameter.
    pub fn parse(text: &str) -> Option<Sort> {
        match text {
            "relevance" => Some(Sort::Relevance),
            "title" => Some(Sort::Title),
            "date" => Some(Sort::Date),
            "date-desc" => Some(Sort::DateDesc),
            _ => None,
        }
    }
}

/// One result.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Record id.
    pub id: String,
    /// Vietnamese title (or the only one).
    pub title: String,
    /// English title, when the record has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title_en: Option<String>,
    /// Kind keyword.
    pub kind: String,
    /// Village id.
    pub village: Option<String>,
    /// Craft id.
    pub craft: Option<String>,
    /// The record page.
    pub url: String,
    /// The thumbnail URL, when the record has an image.
    pub thumbnail: Option<String>,
    /// A passage of the record's text, HTML-escaped, matched words in `<b>`.
    pub snippet: String,
}

/// A page of results with the counts that narrow them.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// Matching records in all pages.
    pub total: usize,
    /// This page.
    pub hits: Vec<Hit>,
    /// Counts per facet ([`FACETS`]) among all matches; a facet a value was chosen in is counted
    /// without that choice, so its other values stay visible (disjunctive facets).
    pub facets: BTreeMap<String, BTreeMap<String, u64>>,
    /// What the visitor should know about the query (values not understood, close spellings).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notices: Vec<Notice>,
}

/// A search-as-you-type suggestion.
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    /// What to show (a title or a name).
    pub label: String,
    /// `record`, `identifier` (a record whose id or `dc.identifier` begins with what was
    /// typed), `village`, `craft`, `artisan` or `product`.
    pub kind: &'static str,
    /// The language of `label` (`vi` or `en`), for the `lang` of the option showing it
    /// (WCAG 2.1 SC 3.1.2).
    pub lang: &'static str,
    /// Where it leads.
    pub url: String,
}
