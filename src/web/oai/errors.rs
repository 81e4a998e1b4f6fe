//! The OAI-PMH error conditions (OAI-PMH 2.0 §3.6) this repository reports, and how each is
//! written.
//!
//! Every error is answered `200 OK` with an `<error code="…">` element, as the protocol asks (an
//! HTTP error status would be read by harvesters as a transport failure). The message says what
//! was wrong in Vietnamese, then English (`Vietnamese / English`), from the translation files.
//! `noSetHierarchy` is never reported: this repository has sets. `noMetadataFormats` is never
//! reported either: every item that exists is disseminated as `oai_dc`.

use crate::model::Lang;
use crate::web::i18n;

/// What is wrong with a request's arguments (a `badArgument`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A required argument (named) is missing.
    Missing(&'static str),
    /// An argument (named) is given more than once.
    Repeated(String),
    /// An argument (named) the verb does not take.
    Unknown(String),
    /// An argument (named) whose value is not of its form.
    Malformed(&'static str),
    /// `resumptionToken` given with other arguments than `verb`.
    TokenNotAlone,
    /// `from` later than `until`.
    FromAfterUntil,
    /// `from` and `until` at different granularities.
    MixedGranularity,
}

impl Problem {
    /// The message in `lang`.
    fn message(&self, lang: Lang) -> String {
        let named =
            |key: &str, name: &str| i18n::message(lang, key, &[("name", name.to_string().into())]);
        match self {
            Problem::Missing(name) => named("oai_argument_missing", name),
            Problem::Repeated(name) => named("oai_argument_repeated", name),
            Problem::Unknown(name) => named("oai_argument_unknown", name),
            Problem::Malformed(name) => named("oai_argument_malformed", name),
            Problem::TokenNotAlone => i18n::text(lang, "oai_token_not_alone").to_string(),
            Problem::FromAfterUntil => i18n::text(lang, "oai_from_after_until").to_string(),
            Problem::MixedGranularity => i18n::text(lang, "oai_mixed_granularity").to_string(),
        }
    }
}

/// An error condition, with what the message needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OaiError {
    /// The verb is missing, repeated or not one of the six.
    BadVerb,
    /// An argument is missing, repeated, unknown to the verb or malformed.
    BadArgument(Problem),
    /// The resumption token is malformed, altered, or from another verb.
    BadResumptionToken,
    /// The metadata format is not `oai_dc`.
    CannotDisseminateFormat,
    /// The identifier names no item this repository has (or ever had publicly).
    IdDoesNotExist,
    /// The selection (dates, set) holds no item.
    NoRecordsMatch,
}

impl OaiError {
    /// The protocol's code (`badArgument`).
    pub fn code(&self) -> &'static str {
        match self {
            OaiError::BadVerb => "badVerb",
            OaiError::BadArgument(_) => "badArgument",
            OaiError::BadResumptionToken => "badResumptionToken",
            OaiError::CannotDisseminateFormat => "cannotDisseminateFormat",
            OaiError::IdDoesNotExist => "idDoesNotExist",
            OaiError::NoRecordsMatch => "noRecordsMatch",
        }
    }

    /// The message in `lang`.
    fn message(&self, lang: Lang) -> String {
        match self {
            OaiError::BadVerb => i18n::text(lang, "oai_bad_verb").to_string(),
            OaiError::BadArgument(problem) => problem.message(lang),
            OaiError::BadResumptionToken => {
                i18n::text(lang, "oai_bad_resumption_token").to_string()
            }
            OaiError::CannotDisseminateFormat => {
                i18n::text(lang, "oai_cannot_disseminate_format").to_string()
            }
            OaiError::IdDoesNotExist => i18n::text(lang, "oai_id_does_not_exist").to_string(),
            OaiError::NoRecordsMatch => i18n::text(lang, "oai_no_records_match").to_string(),
        }
    }

    /// The `<error>` element.
    pub fn element(&self) -> String {
        let text = format!("{} / {}", self.message(Lang::Vi), self.message(Lang::En));
        format!(
            "<error code=\"{}\">{}</error>\n",
            self.code(),
            super::xml::escape(&text)
        )
    }
}
