//! HTML pages in Vietnamese (`/…`) and English (`/en/…`): home, search, record, villages,
//! village, craft, stories, festivals, plus the 404 page, `sitemap.xml` and `robots.txt`.
//!
//! Each handler fetches what its page needs and hands it to [`super::views`]; [`page`] adds the
//! parts every page shares (language, interface strings, the language switch, canonical URLs).

use std::sync::Arc;

use axum::extract::{FromRequestParts, OriginalUri, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::{Value, json};

use super::error::WebError;
use super::i18n::{self, prefix};
use super::linked;
use super::site::{Kept, account_marker};
use super::views::{self, Embed, RecordPage, results_view};
use super::{Site, ViewerExtension, for_viewer, parse_query, viewer_of};
use crate::index::authorities::Authorities;
use crate::index::search::SearchQuery;
use crate::model::access::Viewer;
use crate::model::edtf::CalendarDate;
use crate::model::{Kind, Lang};

const HTML: &str = "text/html; charset=utf-8";

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, message) = self.status_and_message();
        error_page(status, message)
    }
}

/// The site's error page (`error.html`, both languages) with `status` and `message`.
pub(crate) fn error_page(status: StatusCode, message: String) -> Response {
    // Built once: a flood of unknown URLs must not build a template environment each.
    static ERROR_TEMPLATES: std::sync::OnceLock<super::templates::Templates> =
        std::sync::OnceLock::new();
    let body = ERROR_TEMPLATES
        .get_or_init(|| super::templates::Templates::new(None))
        .render(
            "error.html",
            // The error page speaks both languages: it may answer before a language is known.
            json!({ "status": status.as_u16(), "message": message,
                    "vi": i18n::strings(Lang::Vi), "en": i18n::strings(Lang::En) }),
        )
        .unwrap_or(message);
    (status, Html(body)).into_response()
}

/// Which page a visitor asked for, and in which language.
#[derive(Debug, Clone)]
pub struct Visit {
    /// From the path: `/en/…` is English, anything else Vietnamese.
    pub lang: Lang,
    /// The path without its language prefix (`/records/x`).
    pub path: String,
    /// The query string, if any.
    pub query: Option<String>,
    /// Who is signed in, as the sign-in layer found it ([`super::auth::viewer`]).
    pub signed_in: Option<super::auth::SignedIn>,
    /// The anti-forgery token of the signed-in session, for the sign-out form of every page's
    /// header; `None` for anonymous visitors and for requests signed in by an API token (which
    /// have no session to end).
    pub csrf: Option<String>,
}

impl FromRequestParts<Arc<Site>> for Visit {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        site: &Arc<Site>,
    ) -> Result<Self, Self::Rejection> {
        // Nested routers see their path with the prefix removed; the original keeps it.
        let uri = parts
            .extensions
            .get::<OriginalUri>()
            .map_or_else(|| parts.uri.clone(), |original| original.0.clone());
        let (lang, path) = i18n::split_path(uri.path());
        let signed_in = parts.extensions.get::<super::auth::SignedIn>().cloned();
        let session = parts.extensions.get::<tower_sessions::Session>().cloned();
        let csrf = match (&signed_in, &site.auth, session) {
            (Some(signed), Some(auth), Some(session))
                if signed.by == super::auth::Proof::Session =>
            {
                crate::accounts::sessions::csrf_token(&session, &auth.accounts)
                    .await
                    .ok()
            }
            _ => None,
        };
        Ok(Visit {
            lang,
            path: path.to_string(),
            query: uri.query().map(str::to_string),
            signed_in,
            csrf,
        })
    }
}

impl Visit {
    /// This page's path in `lang`.
    fn path_in(&self, lang: Lang) -> String {
        match (lang, self.path.as_str()) {
            (Lang::En, "/") => "/en".to_string(),
            (lang, path) => format!("{}{path}", prefix(lang)),
        }
    }

    /// The search page of this language.
    fn search_base(&self) -> String {
        format!("{}/search", prefix(self.lang))
    }
}

/// Renders `name` with what every page shares added to `context`, for the viewer of the visit
/// (its answer private to a signed-in viewer: see [`for_viewer`]).
pub(super) fn page(
    site: &Site,
    visit: &Visit,
    viewer: &Viewer,
    name: &str,
    mut context: Value,
) -> Result<Response, WebError> {
    // Links into the workspace (edit, history) for its users; whether a request may follow
    // them is decided again by the workspace's routes (an API token may not).
    if let Some(context) = context.as_object_mut() {
        context.insert("workspace".into(), json!(is_workspace_user(viewer)));
    }
    let html = render(site, visit, name, context)?;
    Ok(for_viewer(viewer, Html(html).into_response()))
}

/// Whether `viewer` is an archivist or an admin: pages show them the workspace's links.
pub(super) fn is_workspace_user(viewer: &Viewer) -> bool {
    matches!(
        viewer.role(),
        Some(crate::model::Role::Archivist | crate::model::Role::Admin)
    )
}

/// How a page shows who is signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Header {
    /// In the page: the signed-in viewer's name, account link and sign-out form, or for an
    /// anonymous visitor the sign-in link (`account_box.html`, included by `base.html`).
    Inline,
    /// A hole ([`account_marker`]) where each signed-in viewer's header is put when the page is
    /// sent: a page kept for a whole audience holds nothing of one person.
    Hole,
}

/// Renders `name` with what every page shares added to `context`: the language and its strings,
/// the language switch, canonical URLs and, for a signed-in visit, who is signed in (`signed_in`:
/// login and role) and the session's anti-forgery token (`csrf`) for the header's sign-out form.
pub(super) fn render(
    site: &Site,
    visit: &Visit,
    name: &str,
    context: Value,
) -> Result<String, WebError> {
    render_with(site, visit, name, context, Header::Inline)
}

/// [`render`], with the signed-in header in the page or a hole for it.
fn render_with(
    site: &Site,
    visit: &Visit,
    name: &str,
    mut context: Value,
    header: Header,
) -> Result<String, WebError> {
    let other = if visit.lang == Lang::En {
        Lang::Vi
    } else {
        Lang::En
    };
    let with_query = |path: String| match &visit.query {
        Some(query) if !query.is_empty() => format!("{path}?{query}"),
        _ => path,
    };
    let origin = site.origin();
    let shared = json!({
        "lang": visit.lang.tag(),
        "other_lang": other.tag(),
        "t": i18n::strings(visit.lang),
        "base": prefix(visit.lang),
        "home_url": if visit.lang == Lang::En { "/en" } else { "/" },
        "switch_url": with_query(visit.path_in(other)),
        "origin": origin,
        "canonical": format!("{origin}{}", visit.path_in(visit.lang)),
        "alternate": {
            "vi": format!("{origin}{}", visit.path_in(Lang::Vi)),
            "en": format!("{origin}{}", visit.path_in(Lang::En)),
        },
    });
    if let (Some(context), Value::Object(shared)) = (context.as_object_mut(), shared) {
        for (key, value) in shared {
            context.entry(key).or_insert(value);
        }
        match header {
            Header::Hole => {
                context.insert("account_hole".into(), json!(account_marker()));
            }
            Header::Inline => {
                if let Some(signed) = &visit.signed_in {
                    context.entry("signed_in").or_insert_with(
                        || json!({ "login": signed.login, "role": signed.role.as_str() }),
                    );
                    if let Some(csrf) = &visit.csrf {
                        context.entry("csrf").or_insert_with(|| json!(csrf));
                    }
                }
            }
        }
    }
    site.templates.render(name, context)
}

/// The signed-in header of `visit` (`account_box.html`, as `base.html` includes it), for the
/// hole of a page kept for its audience; rendered once per language, login and session and
/// kept. It is given only `lang`, `base`, `t`, `signed_in` and `csrf`, all it may show: the same
/// header serves every page.
fn account_fragment(site: &Site, visit: &Visit) -> Result<std::sync::Arc<str>, WebError> {
    let Some(signed) = &visit.signed_in else {
        return Err(WebError::internal(
            "a signed-in header for an anonymous visit",
        ));
    };
    let csrf = visit.csrf.as_deref().unwrap_or_default();
    let key = format!(
        "{}\u{0}{}\u{0}{}\u{0}{csrf}",
        visit.lang.tag(),
        signed.login,
        signed.role.as_str()
    );
    site.account_fragment(key, || {
        let mut context = json!({
            "lang": visit.lang.tag(),
            "base": prefix(visit.lang),
            "t": i18n::strings(visit.lang),
            "signed_in": { "login": signed.login, "role": signed.role.as_str() },
        });
        if let Some(csrf) = &visit.csrf {
            context["csrf"] = json!(csrf);
        }
        site.templates.render("account_box.html", context)
    })
}

/// Today's date in Vietnam (UTC+7), which decides festival dates.
pub fn today_in_vietnam() -> CalendarDate {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let days = (seconds + 7 * 3600).div_euclid(86_400);
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    CalendarDate::new(year, month, day).expect("a valid civil date")
}

/// `GET /`
pub async fn home(
    State(site): State<Arc<Site>>,
    viewer: ViewerExtension,
    visit: Visit,
) -> Result<Response, WebError> {
    let viewer = viewer_of(viewer);
    let authorities = site.authorities();
    let lang = visit.lang;
    let query = SearchQuery {
        page: 1,
        lang,
        ..SearchQuery::default()
    };
    let results = site.search_for(&viewer, &query)?;
    let villages: Vec<Value> = authorities
        .villages
        .values()
        .map(|v| {
            let mut view = views::village_view(v, &authorities, &viewer, lang);
            view["count"] = json!(
                results.facets["village"]
                    .get(v.id.as_str())
                    .copied()
                    .unwrap_or(0)
            );
            view["crafts"] = json!(
                v.crafts
                    .iter()
                    .filter_map(|c| authorities.crafts.get(c.as_str()))
                    .map(|c| views::craft_name(c, lang).text)
                    .collect::<Vec<_>>()
            );
            view
        })
        .collect();
    let mut view = results_view(&results, &query, &authorities, &visit.search_base(), lang);
    badge_hits(&site, &viewer, &mut view["hits"], lang);
    let stories = story_cards(&site, &viewer, lang, 3)?;
    let (mut festivals, _) = festival_list(&site, &viewer, lang, today_in_vietnam())?;
    festivals.truncate(3);
    page(
        &site,
        &visit,
        &viewer,
        "home.html",
        json!({"villages": villages, "results": view, "total": results.total,
               "stories": stories, "festivals": festivals}),
    )
}

/// Puts on each hit of `hits` (a list of [`views::hit_view`]s) the badge of who may see it
/// ([`audience_badge`]) when `viewer` is signed in; anonymous visitors see public records only,
/// and their hits keep `badge: null`.
fn badge_hits(site: &Site, viewer: &Viewer, hits: &mut Value, lang: Lang) {
    if *viewer == Viewer::Anonymous {
        return;
    }
    for hit in hits.as_array_mut().into_iter().flatten() {
        let badge = hit["id"]
            .as_str()
            .and_then(|id| site.access_for(viewer, id))
            .and_then(|access| audience_badge(&access, lang));
        hit["badge"] = json!(badge);
    }
}

/// `GET /search?q=&kind=&village=&craft=&page=`. Non-public hits shown to a signed-in viewer
/// are logged as search exposures ([`super::auth::views::exposed`]).
pub async fn search(
    State(site): State<Arc<Site>>,
    viewer: ViewerExtension,
    visit: Visit,
    witness: super::auth::views::Witness,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let viewer = viewer_of(viewer);
    let query = SearchQuery {
        lang: visit.lang,
        ..parse_query(&params)?
    };
    let results = site.search_for(&viewer, &query)?;
    super::auth::views::exposed(&site, &witness, results.hits.iter().map(|h| h.id.as_str()));
    let last = views::last_page(results.total);
    if query.page > last {
        // A stale or edited link past the end: the last page, never "page 7 of 2" over an empty
        // list (303, so the address shown is the page shown).
        let to = views::results_link(
            &SearchQuery {
                page: last,
                ..query
            },
            &visit.search_base(),
        );
        return Ok(for_viewer(
            &viewer,
            axum::response::Redirect::to(&to).into_response(),
        ));
    }
    let authorities = site.authorities();
    let mut view = results_view(
        &results,
        &query,
        &authorities,
        &visit.search_base(),
        visit.lang,
    );
    badge_hits(&site, &viewer, &mut view["hits"], visit.lang);
    page(
        &site,
        &visit,
        &viewer,
        "search.html",
        json!({
            "q": query.text,
            "results": view,
            "export_url": super::export::export_link(&query),
            "export_json": super::export::export_link_to(&query, "records.json"),
            "export_jsonld": super::export::export_link_to(&query, "records.jsonld"),
            "export_files": super::export::AUTHORITY_FILES
                .iter()
                .map(|name| json!({"name": name, "url": format!("/export/{name}")}))
                .collect::<Vec<_>>(),
        }),
    )
}

/// `GET /records/{id}`
///
/// Rendered pages are reused while the record's object, the authorities and the index are
/// unchanged, per audience ([`super::audience_key`]): only records the audience may see are
/// rendered for it, so a record made restricted stops being served at once. A page for a
/// signed-in audience is kept with a hole where the header goes, filled for each request with
/// that viewer's own ([`super::site::Spliced`]): two viewers of one audience share the page,
/// never each other's name or anti-forgery token.
pub async fn record(
    State(site): State<Arc<Site>>,
    viewer: ViewerExtension,
    visit: Visit,
    witness: super::auth::views::Witness,
    Path(id): Path<String>,
    request: HeaderMap,
) -> Result<Response, WebError> {
    record_page(site, viewer_of(viewer), visit, witness, &id, None, request).await
}

/// The page of record `id` for `viewer`: the current one, or as OCFL version `version` (`v3`)
/// held it ([`Site::record_at_for`], which decides who may see which version;
/// `/records/{id}/v3`, see [`super::cite`]).
pub(super) async fn record_page(
    site: Arc<Site>,
    viewer: Viewer,
    visit: Visit,
    witness: super::auth::views::Witness,
    id: &str,
    version: Option<&str>,
    request: HeaderMap,
) -> Result<Response, WebError> {
    let id = id.to_string();
    // Decided before the archive is touched (not even its inventory's stat): a hidden id and
    // an unknown one do the same work.
    if !site.is_visible_for(&viewer, &id) {
        return Err(WebError::NotFound);
    }
    witness
        .saw_record(&site, &id, crate::accounts::ViewKind::Page)
        .await?;
    let stamp = site.record_stamp(&id).ok_or(WebError::NotFound)?;
    let today = today_in_vietnam();
    let header = if visit.signed_in.is_some() {
        Header::Hole
    } else {
        Header::Inline
    };
    // Festival dates (and a visit's festivals within 60 days) depend on the day: a new day in
    // Vietnam is a new page. Each audience has pages of its own (`audience_key`), never shared
    // with another; pages with a hole for the header are never served whole.
    let key = format!(
        "{}{}:{}:{today}:{id}{}",
        super::audience_key(&viewer),
        if header == Header::Hole { "+" } else { "" },
        visit.lang.tag(),
        version.map(|v| format!("/{v}")).unwrap_or_default(),
    );
    let kept = match site.cached_page(&key, &stamp) {
        Some(kept) => kept,
        None => {
            let html = render_record(&site, &viewer, &visit, &id, version, today, header).await?;
            let hole = (header == Header::Hole).then(account_marker);
            site.keep_page(&key, stamp, html, hole)?
        }
    };
    let response = match kept {
        // An earlier version, the same for everyone of this audience: revalidated by its ETag.
        Kept::Whole(html) if version.is_some() => {
            let etag = super::cite::etag_of(html.plain());
            if super::cite::not_modified(&request, &etag) {
                return Ok(for_viewer(&viewer, super::cite::unmodified(etag)));
            }
            let mut response = html.response(&request, HTML);
            response.headers_mut().insert(header::ETAG, etag);
            response
        }
        Kept::Whole(html) => html.response(&request, HTML),
        Kept::Spliced(page) => page.response(&account_fragment(&site, &visit)?, &request, HTML),
    };
    Ok(for_viewer(&viewer, response))
}

/// The record page of `id` for `viewer`, with its signed-in header as `header` says.
async fn render_record(
    site: &Arc<Site>,
    viewer: &Viewer,
    visit: &Visit,
    id: &str,
    version: Option<&str>,
    today: CalendarDate,
    header: Header,
) -> Result<axum::body::Bytes, WebError> {
    let (record, inventory, files_reserved, cited, files_left_out) = match version {
        None => {
            let (record, inventory, files_reserved) = site.record_for(viewer, id)?;
            let cited = super::site::CitedVersion::head(&inventory);
            (record, inventory, files_reserved, cited, false)
        }
        Some(version) => {
            let at = site.record_at_for(viewer, id, version)?;
            let cited = Some(at.version);
            (
                at.record,
                at.inventory,
                at.files_reserved,
                cited,
                at.files_left_out,
            )
        }
    };
    let super::media::Listing {
        copies,
        previews,
        absent,
    } = super::media::copies_and_previews(site, viewer, &inventory, &record).await?;
    let authorities = site.authorities();
    let mut related = json!(
        site.related_for(viewer, id)?
            .iter()
            .map(|hit| views::hit_view(hit, &authorities, visit.lang))
            .collect::<Vec<_>>()
    );
    badge_hits(site, viewer, &mut related, visit.lang);
    let origin = site.origin();
    let resolve = |embedded: &str| embed(site, viewer, embedded, visit.lang);
    let record_page = RecordPage {
        record: &record,
        authorities: &authorities,
        lang: visit.lang,
        origin: &origin,
        today,
        embeds: (record.kind == Kind::Story).then_some(&resolve as &views::Resolve<'_>),
        copies: &copies,
        previews: &previews,
        absent: &absent,
        files_reserved,
        version: cited.as_ref(),
    };
    let mut view = record_page.view();
    view["files_left_out"] = json!(files_left_out);
    view["audience_badge"] = json!(audience_badge(&record.access, visit.lang));
    (view["artisans"], view["products"]) =
        super::vocabulary::record_links(&record, &authorities, viewer, visit.lang);
    view["transcripts"] = json!(site.transcripts(&record, &inventory, &absent));
    // The IIIF manifest, made for the public only (`super::iiif::manifest`), and a link that
    // opens it in another IIIF viewer.
    // An earlier version links none: the manifest is the current version's.
    (view["iiif_manifest"], view["iiif_viewer"]) = if version.is_none()
        && site.is_visible_for(&Viewer::Anonymous, record.id.as_str())
        && !files_reserved
        && super::iiif::manifest::may_have_canvas(&record)
    {
        let manifest = format!("{origin}/iiif/3/{}/manifest", record.id);
        let viewer_link = super::iiif::manifest::elsewhere(&manifest);
        (json!(manifest), json!(viewer_link))
    } else {
        (Value::Null, Value::Null)
    };
    // Links into the workspace for its users (pages are kept per audience, role included: an
    // archivist's page is never a researcher's). Whether a request may follow them is decided
    // again by the workspace's routes (an API token may not).
    view["workspace"] = json!(is_workspace_user(viewer));
    let template = views::complete_page(site, viewer, &record, visit.lang, today, &mut view)?;
    Ok(axum::body::Bytes::from(render_with(
        site,
        visit,
        template,
        json!({"record": view, "related": related}),
        header,
    )?))
}

/// The badge of a record that is not public, naming who may see it in `lang` ("Dành cho nhà
/// nghiên cứu", "Chỉ cộng đồng: phuong-trong"), so nobody shares a screenshot of it by mistake;
/// `None` for a public record. Communities are named by their ids (`+` between them when a
/// viewer needs all of them).
pub fn audience_badge(access: &crate::model::Access, lang: Lang) -> Option<String> {
    use crate::model::Access;
    match access {
        Access::Public => None,
        Access::Researchers => Some(i18n::text(lang, "audience_researchers").to_string()),
        Access::Restricted => Some(i18n::text(lang, "audience_restricted").to_string()),
        Access::Community { groups, need } => {
            let ids: Vec<&str> = groups.iter().map(|g| g.as_str()).collect();
            let joined = match need {
                crate::model::Need::Any => ids.join(", "),
                crate::model::Need::All => ids.join(" + "),
            };
            Some(i18n::message(
                lang,
                "audience_community",
                &[("groups", joined.into())],
            ))
        }
    }
}

/// A record as a story shows it to `viewer`; `None` for anything the viewer may not see, which
/// leaves no trace (as for an id that never existed).
fn embed(site: &Site, viewer: &Viewer, id: &str, lang: Lang) -> Option<Embed> {
    let (record, _, files_reserved) = site.record_for(viewer, id).ok()?;
    // Only a file that is sent to visitors is linked: one withheld for its location is not.
    // `record_for` left only the files the viewer may see, so either store's bytes are theirs.
    let stores = site.index.stores();
    let file_url = |test: &dyn Fn(&str) -> bool| {
        record
            .files
            .iter()
            .filter(|f| test(&f.format.mime))
            .find(|f| {
                [&stores.public, &stores.private]
                    .into_iter()
                    .find_map(|store| crate::index::location::kept(store, &f.sha256))
                    .is_none_or(|c| c.is_sent())
            })
            .map(|f| views::media_url(id, &f.path))
    };
    let image = record
        .files
        .iter()
        .enumerate()
        .find(|(_, f)| {
            crate::index::search::has_derivative(&f.format.mime) && stores.has(&f.sha256)
        })
        .map(|(n, f)| {
            let (width, height) = f.displayed_size().unzip();
            let (width, height) = views::display_size(width, height);
            (format!("/media/{id}/display/{n}"), width, height)
        });
    Some(Embed {
        title: views::record_title(&record, lang),
        url: format!("{}/records/{id}", prefix(lang)),
        kind_label: views::kind_label(record.kind.as_str(), lang),
        image,
        video: file_url(&|mime| mime.starts_with("video/")),
        audio: file_url(&|mime| mime.starts_with("audio/")),
        files_reserved: files_reserved.then(|| super::i18n::text(lang, "files_reserved_short")),
        badge: audience_badge(&record.access, lang),
    })
}

/// The stories `viewer` may see as cards (at most `limit`), with the first image each embeds
/// (of records the viewer may see) and the badge of a story that is not public.
fn story_cards(
    site: &Site,
    viewer: &Viewer,
    lang: Lang,
    limit: usize,
) -> Result<Vec<Value>, WebError> {
    Ok(records_of_kind(site, viewer, Kind::Story)?
        .iter()
        .take(limit)
        .map(|story| {
            let body = story.body.get(&Lang::Vi).map(String::as_str).unwrap_or_default();
            let cover = views::embedded_ids(body)
                .iter()
                .filter_map(|id| embed(site, viewer, id, lang))
                .find_map(|embed| embed.image);
            json!({
                "id": story.id,
                "title": views::record_title(story, lang),
                "description": i18n::shown(lang,
                    story.dc_value("description", Lang::Vi).unwrap_or_default(),
                    story.dc_value("description", Lang::En)),
                "cover": cover.map(|(src, width, height)| json!({"src": src, "width": width, "height": height})),
                "badge": audience_badge(&story.access, lang),
            })
        })
        .collect())
}

/// `GET /stories`
pub async fn stories(
    State(site): State<Arc<Site>>,
    viewer: ViewerExtension,
    visit: Visit,
) -> Result<Response, WebError> {
    let viewer = viewer_of(viewer);
    let list = story_cards(&site, &viewer, visit.lang, usize::MAX)?;
    page(
        &site,
        &visit,
        &viewer,
        "stories.html",
        json!({"stories": list}),
    )
}

/// `GET /villages`
pub async fn villages(
    State(site): State<Arc<Site>>,
    viewer: ViewerExtension,
    visit: Visit,
) -> Result<Response, WebError> {
    let viewer = viewer_of(viewer);
    let authorities = site.authorities();
    let mut villages: Vec<&crate::model::Village> = authorities.villages.values().collect();
    villages.sort_by_cached_key(|v| crate::model::text::sort_key(&v.name));
    let list: Vec<Value> = villages
        .iter()
        .map(|v| views::village_view(v, &authorities, &viewer, visit.lang))
        .collect();
    let outline: views::MapOutline = site
        .templates
        .static_file("map-outline.json")
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    let map = views::village_map(&outline, &villages, visit.lang, prefix(visit.lang));
    let places: Vec<Value> = villages
        .iter()
        .map(|v| linked::place(v, &site.origin(), visit.lang))
        .collect();
    let jsonld = linked::script_safe(&json!({"@context": "https://schema.org", "@graph": places}));
    page(
        &site,
        &visit,
        &viewer,
        "villages.html",
        json!({"villages": list, "map": map, "jsonld": jsonld}),
    )
}

/// The first page of what `viewer` may see of a village or a craft (or of one kind there), for
/// a template, with badges.
pub(super) fn records_of(
    site: &Site,
    viewer: &Viewer,
    visit: &Visit,
    query: SearchQuery,
    authorities: &Authorities,
) -> Result<Value, WebError> {
    let query = SearchQuery {
        page: 1,
        lang: visit.lang,
        ..query
    };
    let results = site.search_for(viewer, &query)?;
    let mut view = results_view(
        &results,
        &query,
        authorities,
        &visit.search_base(),
        visit.lang,
    );
    badge_hits(site, viewer, &mut view["hits"], visit.lang);
    Ok(view)
}

/// `GET /crafts/{id}`
pub async fn craft(
    State(site): State<Arc<Site>>,
    viewer: ViewerExtension,
    visit: Visit,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let viewer = viewer_of(viewer);
    let authorities = site.authorities();
    let craft = authorities.crafts.get(&id).ok_or(WebError::NotFound)?;
    let villages: Vec<Value> = authorities
        .villages
        .values()
        .filter(|v| v.crafts.iter().any(|c| c.as_str() == id))
        .map(|v| json!({"id": v.id, "name": views::village_name(v, visit.lang)}))
        .collect();
    let of_craft = SearchQuery {
        craft: Some(id.clone()),
        ..SearchQuery::default()
    };
    let records = records_of(&site, &viewer, &visit, of_craft, &authorities)?;
    page(
        &site,
        &visit,
        &viewer,
        "craft.html",
        json!({"craft": {"id": craft.id, "name": views::craft_name(craft, visit.lang)},
               "villages": villages, "results": records, "edit_path": format!("crafts/{id}")}),
    )
}

/// Every record of a kind `viewer` may see, in index order (at most 1,000).
fn records_of_kind(
    site: &Site,
    viewer: &Viewer,
    kind: Kind,
) -> Result<Vec<crate::model::Record>, WebError> {
    let mut records = Vec::new();
    for page in 1..=50 {
        let query = SearchQuery {
            kind: Some(kind.as_str().to_string()),
            page,
            ..SearchQuery::default()
        };
        let results = site.search_for(viewer, &query)?;
        for hit in &results.hits {
            // Checked again against the archive: the index may lag an ingest by a moment.
            if let Ok((record, _, _)) = site.record_for(viewer, &hit.id) {
                records.push(record);
            }
        }
        if page * crate::index::search::PAGE_SIZE >= results.total {
            break;
        }
    }
    Ok(records)
}

/// Festivals with a lunar date that `viewer` may see, the next one first, with their solar
/// dates this year and next (and the badge of one that is not public), and their schema.org
/// Events.
fn festival_list(
    site: &Site,
    viewer: &Viewer,
    lang: Lang,
    today: CalendarDate,
) -> Result<(Vec<Value>, Vec<Value>), WebError> {
    let authorities = site.authorities();
    let origin = site.origin();
    let mut festivals = Vec::new();
    let mut events = Vec::new();
    for record in records_of_kind(site, viewer, Kind::Festival)? {
        let Some((lunar, dates)) = views::festival_dates(&record, today) else {
            continue;
        };
        let village = record
            .village
            .as_ref()
            .and_then(|v| authorities.villages.get(v.as_str()));
        // Only days still ahead are scheduled events.
        let ahead: Vec<CalendarDate> = dates
            .iter()
            .map(|d| d.date)
            .filter(|d| *d >= today)
            .collect();
        events.extend(linked::festival_events(&record, village, &ahead, &origin));
        let next = ahead.first().copied();
        let mut view = views::festival_view(lunar, &dates, today, lang);
        view["id"] = json!(record.id);
        view["title"] = json!(views::record_title(&record, lang));
        view["village"] =
            json!(village.map(|v| json!({"id": v.id, "name": views::village_name(v, lang)})));
        view["next"] = json!(
            next.map(|d| json!({"iso": linked::iso_date(d), "label": views::date_label(d, lang)}))
        );
        view["badge"] = json!(audience_badge(&record.access, lang));
        festivals.push((next, view));
    }
    // Soonest first; festivals with no date ahead last.
    festivals.sort_by_key(|(next, _)| next.map_or((1, None), |d| (0, Some(d))));
    Ok((festivals.into_iter().map(|(_, f)| f).collect(), events))
}

/// `GET /festivals`
pub async fn festivals(
    State(site): State<Arc<Site>>,
    viewer: ViewerExtension,
    visit: Visit,
) -> Result<Response, WebError> {
    let viewer = viewer_of(viewer);
    let today = today_in_vietnam();
    let (festivals, events) = festival_list(&site, &viewer, visit.lang, today)?;
    let jsonld = linked::script_safe(&json!({
        "@context": "https://schema.org", "@type": "ItemList",
        "itemListElement": events.into_iter().enumerate()
            .map(|(n, event)| json!({"@type": "ListItem", "position": n + 1, "item": event}))
            .collect::<Vec<_>>(),
    }));
    page(
        &site,
        &visit,
        &viewer,
        "festivals.html",
        json!({"festivals": festivals, "jsonld": jsonld}),
    )
}

/// `GET /static/{file}`
pub async fn static_file(
    State(site): State<Arc<Site>>,
    Path(file): Path<String>,
) -> Result<Response, WebError> {
    let text = site
        .templates
        .static_file(&file)
        .ok_or(WebError::NotFound)?;
    let mime = match file.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("woff2") => "font/woff2",
        Some("json") => "application/json",
        _ => "text/plain; charset=utf-8",
    };
    let mut response = axum::body::Bytes::from(text.into_owned()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    Ok(response)
}

/// Anything else.
pub async fn not_found() -> Response {
    let mut response = WebError::NotFound.into_response();
    *response.status_mut() = StatusCode::NOT_FOUND;
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_a_real_date_near_now() {
        let today = today_in_vietnam();
        assert!((2024..2200).contains(&today.year), "{today:?}");
    }
}
