//! OAI-PMH 2.0 at `/oai` (issue 16): the public records offered to harvesters (aggregators,
//! union catalogues, researchers' tools) as `oai_dc`, by the protocol of the Open Archives
//! Initiative (<http://www.openarchives.org/OAI/openarchivesprotocol.html>).
//!
//! - All six verbs, by `GET` (arguments in the query) and `POST` (an
//!   `application/x-www-form-urlencoded` body), every error condition that can arise here
//!   (`errors`); responses are `text/xml; charset=utf-8`, `200 OK` for errors too, as the
//!   protocol asks.
//! - Items are public records only, listed from the public search index; records that were
//!   public and are no longer are deleted headers with no set (`deletedRecord` `transient`;
//!   `listing` says why and how). A record never public is no item on any verb.
//! - Identifiers are `oai:<host>:<record id>`, host taken from the configured public URL
//!   (`--public-url`), never from the request.
//! - Datestamps are the `created` of each record's OCFL head version, to the second
//!   (`YYYY-MM-DDThh:mm:ssZ`); `from` and `until` take days or seconds (`xml`).
//! - Sets: `kind`, `village` and `craft`, each with a set per value (`village:nha-xa`), named
//!   `Vietnamese / English`.
//! - Lists are paged by keyset resumption tokens (`tokens`), [`RECORDS_PER_PAGE`] records or
//!   [`IDENTIFIERS_PER_PAGE`] headers a page, with `completeListSize` and `cursor`; each page is
//!   streamed as it is written (`verbs`), so memory stays flat however large the collection.
//! - The metadata is written from the projection the anonymous JSON API shows (`dc`).
//!
//! OAI-PMH is offered only when the repository has an administrator's e-mail address
//! (`disan serve --admin-email`), which `Identify` must give; without one `/oai` is not found.
//! Harvesting by signed-in researchers (bearer tokens) is not offered: anonymous only.

mod dc;
mod errors;
mod listing;
mod tokens;
mod verbs;
mod xml;

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Form, State};
use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};

use super::Site;
use super::error::WebError;

/// Records on a page of `ListRecords`.
pub const RECORDS_PER_PAGE: usize = 200;
/// Headers on a page of `ListIdentifiers`.
pub const IDENTIFIERS_PER_PAGE: usize = 500;
/// The largest `POST` body `/oai` reads, in bytes (a request is a few arguments).
pub const BODY_LIMIT: u64 = 8 * 1024;

/// What OAI-PMH needs beyond the site: kept by [`Site`].
#[derive(Debug)]
pub struct Settings {
    /// The administrator's e-mail address `Identify` gives; OAI-PMH is off without it.
    pub(crate) admin_email: Option<String>,
    /// Records on a page of `ListRecords`.
    pub(crate) records_per_page: usize,
    /// Headers on a page of `ListIdentifiers`.
    pub(crate) identifiers_per_page: usize,
    /// The items, kept per index generation.
    pub(crate) listing: listing::Cache,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            admin_email: None,
            records_per_page: RECORDS_PER_PAGE,
            identifiers_per_page: IDENTIFIERS_PER_PAGE,
            listing: listing::Cache::default(),
        }
    }
}

/// Whether `text` will do as `Identify`'s `adminEmail` (the OAI-PMH schema's `emailType`,
/// `\S+@(\S+\.)+\S+`), with no character that would need escaping.
pub fn is_admin_email(text: &str) -> bool {
    let Some((local, domain)) = text.rsplit_once('@') else {
        return false;
    };
    let plain = |part: &str| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| !c.is_whitespace() && !c.is_control() && !"<>&\"'@".contains(c))
    };
    plain(local)
        && domain
            .split('.')
            .collect::<Vec<_>>()
            .split_last()
            .is_some_and(|(last, rest)| {
                !rest.is_empty() && plain(last) && rest.iter().all(|p| plain(p))
            })
}

/// `GET /oai?verb=…`
pub async fn get(State(site): State<Arc<Site>>, uri: Uri) -> Result<Response, WebError> {
    let arguments = axum::extract::Query::<Vec<(String, String)>>::try_from_uri(&uri)
        .map(|query| query.0)
        .map_err(|_| ());
    answer(site, arguments).await
}

/// `POST /oai` with the arguments as a form.
pub async fn post(
    State(site): State<Arc<Site>>,
    form: Result<Form<Vec<(String, String)>>, axum::extract::rejection::FormRejection>,
) -> Result<Response, WebError> {
    answer(site, form.map(|form| form.0).map_err(|_| ())).await
}

/// The response to `arguments` (`Err` when they could not be decoded: a `badArgument`),
/// written on a blocking thread and streamed as it is written.
///
/// The listing is made (or found kept) first, so that an archive or index that cannot be read
/// is a 500 (logged; harvesters retry a 5xx) rather than a document cut short.
async fn answer(
    site: Arc<Site>,
    arguments: Result<Vec<(String, String)>, ()>,
) -> Result<Response, WebError> {
    if site.oai.admin_email.is_none() {
        return Err(WebError::NotFound);
    }
    let listed = site.clone();
    tokio::task::spawn_blocking(move || listed.oai.listing.listing(&listed).map(drop))
        .await
        .map_err(WebError::internal)??;
    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    tokio::task::spawn_blocking(move || {
        let mut out = verbs::Out::new(sender);
        verbs::respond(&site, arguments, &mut out);
        out.finish();
    });
    // `poll_fn`, not `unfold`: the body may be polled again after its end (the compression
    // layer does), and a closed channel keeps answering `None`.
    let mut receiver = receiver;
    let stream = futures_util::stream::poll_fn(move |context| receiver.poll_recv(context));
    let mut response = Body::from_stream(stream).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/xml; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(super::RECORD_CACHE_CONTROL),
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_emails_follow_the_schema_and_need_no_escaping() {
        for good in ["lan@disan.example", "a.b+c@d.e.vn"] {
            assert!(is_admin_email(good), "{good}");
        }
        for bad in [
            "",
            "lan",
            "lan@",
            "@disan.vn",
            "lan@localhost",
            "a b@c.d",
            "a<b@c.d",
            "a@b.",
            "a@@b.c",
        ] {
            assert!(!is_admin_email(bad), "{bad}");
        }
    }
}
