//! `GET /workspace` (and `/en/workspace`): the staff view of every record the editor may work
//! on — public, for researchers, restricted, of a community, withdrawn — with its access badges,
//! filtered by the GET form's fields (`q` words, `access`, `kind`, `village`, `since` a date,
//! `problem`, `sort=oldest`, `page`), fifty a page, newest change first. Each row links to the
//! record's page (unless withdrawn: it has none), its edit form, history and audit log.
//!
//! The rows are [`crate::workspace::catalogue`]'s, read from the archive and kept in memory; an
//! admin's list (rows, counts, villages offered) holds only the records an admin may see
//! ([`Editor::may_work_under`]), as every other route of the workspace.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Editor, not_found};
use crate::index::authorities::Authorities;
use crate::model::{Kind, Lang, VillageId};
use crate::web::auth::forms;
use crate::web::error::WebError;
use crate::web::i18n;
use crate::web::pages::{Visit, audience_badge};
use crate::web::views::{kind_label, village_name};
use crate::web::{Site, ViewerExtension, viewer_of};
use crate::workspace::catalogue::{self, AccessFilter, Problem, Row};

/// The list's GET form, every field optional; a value that means nothing is ignored and said.
#[derive(Debug, Default, Deserialize)]
pub struct Params {
    /// Words.
    #[serde(default)]
    pub q: String,
    /// `public`, `researchers`, `restricted`, `community` or `withdrawn`.
    #[serde(default)]
    pub access: String,
    /// A kind keyword (`photo`).
    #[serde(default)]
    pub kind: String,
    /// A village id.
    #[serde(default)]
    pub village: String,
    /// A date, `2026-12-01`: rows changed on or after it (UTC).
    #[serde(default)]
    pub since: String,
    /// A problem word (`no-village`), or `any`.
    #[serde(default)]
    pub problem: String,
    /// `oldest` for oldest change first.
    #[serde(default)]
    pub sort: String,
    /// The page, from 1.
    #[serde(default)]
    pub page: String,
}

/// The words of a form field in a query string, in the order of [`Params`].
fn query_string(params: &Params, page: usize) -> String {
    let mut pairs = Vec::new();
    for (name, value) in [
        ("q", &params.q),
        ("access", &params.access),
        ("kind", &params.kind),
        ("village", &params.village),
        ("since", &params.since),
        ("problem", &params.problem),
        ("sort", &params.sort),
    ] {
        if !value.trim().is_empty() {
            pairs.push(format!("{name}={}", forms::percent(value.trim())));
        }
    }
    if page > 1 {
        pairs.push(format!("page={page}"));
    }
    pairs.join("&")
}

/// What the form asks for, and a message for each field that means nothing.
fn query_of(params: &Params, lang: Lang) -> (catalogue::Query, Vec<String>) {
    let mut fields = super::FilterFields::new(lang);
    let mut query = catalogue::Query {
        words: params.q.trim().to_string(),
        oldest_first: params.sort == "oldest",
        page: params.page.trim().parse().unwrap_or(1),
        access: fields.read("access", &params.access, AccessFilter::parse),
        kind: fields.read("kind", &params.kind, |kind| kind.parse::<Kind>().ok()),
        village: fields.read("village", &params.village, |id| VillageId::parse(id).ok()),
        since: fields.read("since", &params.since, |since| {
            crate::archive::premis::parse_time(since).ok()
        }),
        ..Default::default()
    };
    match params.problem.trim() {
        "any" => query.any_problem = true,
        _ => query.problem = fields.read("problem", &params.problem, Problem::parse),
    }
    (query, fields.ignored)
}

/// The words of an access rule on a row: the site's audience badge, or "public".
fn access_badge(access: &crate::model::Access, lang: Lang) -> String {
    audience_badge(access, lang)
        .unwrap_or_else(|| i18n::text(lang, "workspace_access_public").to_string())
}

/// The message naming an access filter.
fn access_name(filter: AccessFilter) -> &'static str {
    match filter {
        AccessFilter::Public => "workspace_access_public",
        AccessFilter::Researchers => "workspace_access_researchers",
        AccessFilter::Restricted => "workspace_access_restricted",
        AccessFilter::Community => "workspace_access_community",
        AccessFilter::Withdrawn => "workspace_access_withdrawn",
    }
}

/// The message naming a problem.
fn problem_name(problem: Problem) -> &'static str {
    match problem {
        Problem::NoDescription => "workspace_problem_no_description",
        Problem::NoVillage => "workspace_problem_no_village",
        Problem::NoEnglishTitle => "workspace_problem_no_english_title",
        Problem::FailedPreview => "workspace_problem_failed_preview",
    }
}

/// A village's name in `lang` (its id when the archive has no such village).
fn village_label(authorities: &Authorities, id: &VillageId, lang: Lang) -> String {
    authorities
        .villages
        .get(id.as_str())
        .map_or_else(|| id.to_string(), |v| village_name(v, lang).text)
}

fn row_json(row: &Row, lang: Lang, authorities: &Authorities) -> Value {
    let village = row
        .village
        .as_ref()
        .map(|id| village_label(authorities, id, lang));
    let files = row
        .files_access
        .as_ref()
        .map(|files| access_badge(files, lang));
    let problems: Vec<&str> = row
        .problems
        .iter()
        .map(|p| i18n::text(lang, problem_name(*p)))
        .collect();
    json!({
        "id": row.id.as_str(),
        "title": row.title(lang),
        "access": access_badge(&row.access, lang),
        "public": row.access == crate::model::Access::Public,
        "files": files,
        "kind": kind_label(row.kind.as_str(), lang),
        "village": village,
        "head": row.head,
        "changed": row.changed,
        "withdrawn": row.withdrawn,
        "problems": problems,
    })
}

/// `GET /workspace`.
pub async fn page(
    State(site): State<Arc<Site>>,
    viewer: ViewerExtension,
    visit: Visit,
    params: Result<Query<Params>, QueryRejection>,
) -> Response {
    let Some(editor) = Editor::of(&visit, &viewer_of(viewer)) else {
        return not_found();
    };
    // A query that does not read (a field twice) is answered after the 404 above, as no filter.
    let params = params.map(|Query(params)| params).unwrap_or_default();
    let lang = visit.lang;
    let (query, errors) = query_of(&params, lang);
    let work = site.clone();
    let rows = tokio::task::spawn_blocking(move || {
        work.staff.rows(
            &work.archive,
            &work.index.stores(),
            work.search.generation(),
        )
    })
    .await;
    let (rows, unreadable) = match rows {
        Ok(Ok(found)) => found,
        Ok(Err(error)) => return WebError::internal(error).into_response(),
        Err(error) => return WebError::internal(error).into_response(),
    };
    let admits = |row: &Row| editor.may_work_under(&row.access, row.files_rule());
    let listing = catalogue::select(&rows, &query, admits);
    let authorities = site.authorities();
    let villages: Vec<Value> = catalogue::villages(&rows, admits)
        .into_iter()
        .map(|id| {
            let name = village_label(&authorities, &id, lang);
            let selected = params.village.trim() == id.as_str();
            json!({"value": id.as_str(), "label": name, "selected": selected})
        })
        .collect();
    let option = |value: &str, label: &str, chosen: &str| json!({"value": value, "label": label, "selected": chosen.trim() == value});
    let access: Vec<Value> = AccessFilter::ALL
        .iter()
        .map(|a| {
            option(
                a.as_str(),
                i18n::text(lang, access_name(*a)),
                &params.access,
            )
        })
        .collect();
    let kinds: Vec<Value> = Kind::ALL
        .iter()
        .map(|k| option(k.as_str(), kind_label(k.as_str(), lang), &params.kind))
        .collect();
    let mut problems = vec![option(
        "any",
        i18n::text(lang, "workspace_problem_any"),
        &params.problem,
    )];
    problems.extend(Problem::ALL.iter().map(|p| {
        option(
            p.as_str(),
            i18n::text(lang, problem_name(*p)),
            &params.problem,
        )
    }));
    let base = i18n::prefix(lang);
    let link = |page: usize| {
        let query = query_string(&params, page);
        if query.is_empty() {
            format!("{base}/workspace")
        } else {
            format!("{base}/workspace?{query}")
        }
    };
    let rows: Vec<Value> = listing
        .rows
        .iter()
        .map(|row| row_json(row, lang, &authorities))
        .collect();
    // Objects of any record, so an archivist's alone to know of.
    let unreadable = match editor.role {
        crate::model::Role::Archivist => unreadable.len(),
        _ => 0,
    };
    let context = json!({
        "rows": rows,
        "total": listing.total,
        "page": listing.page,
        "pages": listing.pages,
        "previous": (listing.page > 1).then(|| link(listing.page - 1)),
        "next": (listing.page < listing.pages).then(|| link(listing.page + 1)),
        "filters": {
            "q": params.q.trim(),
            "since": params.since.trim(),
            "oldest": query.oldest_first,
            "access": access,
            "kinds": kinds,
            "villages": villages,
            "problems": problems,
        },
        "errors": errors,
        "unreadable": unreadable,
    });
    forms::render(&site, &visit, "workspace.html", context)
}
