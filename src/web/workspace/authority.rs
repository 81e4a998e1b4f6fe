//! The workspace's pages of the authorities (`/villages/{id}/edit`, `/crafts/{id}/edit`,
//! `/artisans/{id}/edit`, `/products/{id}/edit`, their `…/history` and `…/restore`, and `/en/…`):
//! the same pages as a record's ([`super::edit`], [`super::history`]) for the objects of
//! [`crate::workspace::authority`], one set of handlers for the four kinds.
//!
//! The form's fields are the authority file's columns (`name`, `name@en`, `crafts`,
//! `ocop_stars`…), each holding what the file's cell would; Vietnamese and English columns side
//! by side; on an artisan's form their honours, one group of `honours.csv`'s columns each (`title`,
//! `scheme`, `awarded_by`, `decision`, `date`; the n-th value of each is the n-th honour), with a
//! `remove_honour` box each and an empty group to add one. A save answers `303` to the history;
//! a refused one the form again: `422` (errors beside their fields), `409` (both changes), `503`
//! (an ingest holds the archive). Who may use them is [`Editor`]'s rule; an admin works only on
//! an artisan or product whose access the admin may see.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::edit::{Shown, refusal, refused_form, settled};
use super::history::{ActionForm, Outcome, notice_of};
use super::{Editor, Posted, not_found};
use crate::model::Lang;
use crate::model::access::Viewer;
use crate::web::auth::forms;
use crate::web::error::WebError;
use crate::web::i18n;
use crate::web::pages::Visit;
use crate::web::said::{self, Said, SaidChecked};
use crate::web::site_form::SiteForm;
use crate::web::{Site, ViewerExtension, viewer_of};
use crate::workspace::authority::sheets::honour_field;
use crate::workspace::authority::{self as work, Authority, Kind, Sheet};
use crate::workspace::{Author, Change, WorkspaceError};

/// Columns whose cells are paragraphs (a text area rather than a line).
const LONG_COLUMNS: &[&str] = &["description", "description@en"];

/// Columns holding EDTF dates (explained with examples beside them).
const EDTF_COLUMNS: &[&str] = &["born", "died", "status_date", "recognised", "date"];

/// Columns holding one day written `YYYY-MM-DD`.
const DAY_COLUMNS: &[&str] = &["ocop_issued", "ocop_expires"];

/// Columns holding a list separated by `;`.
const LIST_COLUMNS: &[&str] = &["crafts", "artisans", "products", "products@en"];

/// Whether `id` may name an authority: a slug, as every authority id is. Anything else is the
/// site's 404 before the archive is read.
fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 200
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Whether `editor` may work on `item`: an archivist on every authority, an admin on those whose
/// guarded parts the admin may see.
fn may_work_on<T: Authority>(editor: &Editor, item: &T) -> bool {
    editor.role == crate::model::Role::Archivist || item.visible_to(&editor.viewer)
}

/// Authority `id` of kind `T` as its head holds it, and that head, when `editor` may work on
/// it; the site's 404 otherwise.
///
/// # Errors
/// [`WebError::NotFound`]; [`WebError::Internal`] when the archive cannot be read.
async fn authority_for_editor<T: Authority>(
    site: &Arc<Site>,
    editor: &Editor,
    id: &str,
) -> Result<(T, String), WebError> {
    if !is_id(id) {
        return Err(WebError::NotFound);
    }
    let archive = site.archive.clone();
    let wanted = id.to_string();
    let found = tokio::task::spawn_blocking(move || work::head::<T>(&archive, &wanted))
        .await
        .map_err(WebError::internal)?;
    match found {
        Ok((item, head)) if may_work_on(editor, &item) => Ok((item, head)),
        Ok(_) | Err(WorkspaceError::NoSuchRecord) => Err(WebError::NotFound),
        Err(error) => Err(WebError::internal(error)),
    }
}

/// Who posted a form to authority `id` of kind `T` with anti-forgery token `csrf`, the site, the
/// visit, and the authority's head version: `Err` holds the answer instead (the 404 for anyone
/// not allowed in or an authority that is not there, the 403 of a refused form).
async fn posted_to<T: Authority>(
    posted: Posted,
    csrf: &str,
    id: &str,
) -> Result<(Editor, Arc<Site>, Visit, String), Response> {
    let editor = posted.editor(csrf).await?;
    let Posted { site, visit, .. } = posted;
    match authority_for_editor::<T>(&site, &editor, id).await {
        Ok((_, head)) => Ok((editor, site, visit, head)),
        Err(error) => Err(error.into_response()),
    }
}

/// The path of authority `id`'s public page without language prefix (`villages/nha-xa`).
fn path_of<T: Authority>(id: &str) -> String {
    format!("{}/{id}", T::KIND.path())
}

/// The heading of the edit page (`edit`) or the history (otherwise) of authority `id` of
/// `kind`, in `lang`.
fn heading(lang: Lang, edit: bool, kind: Kind, id: &str) -> String {
    let name = match (edit, kind) {
        (true, Kind::Village) => "workspace_edit_village",
        (true, Kind::Craft) => "workspace_edit_craft",
        (true, Kind::Artisan) => "workspace_edit_artisan",
        (true, Kind::Product) => "workspace_edit_product",
        (false, Kind::Village) => "workspace_history_village",
        (false, Kind::Craft) => "workspace_history_craft",
        (false, Kind::Artisan) => "workspace_history_artisan",
        (false, Kind::Product) => "workspace_history_product",
    };
    i18n::message(lang, name, &[("id", id.to_string().into())])
}

/// `GET /{kind}/{id}/edit`.
pub async fn page<T: Authority>(
    State(site): State<Arc<Site>>,
    viewer: ViewerExtension,
    visit: Visit,
    Path(id): Path<String>,
) -> Response {
    let Some(editor) = Editor::of(&visit, &viewer_of(viewer)) else {
        return not_found();
    };
    let (item, head) = match authority_for_editor::<T>(&site, &editor, &id).await {
        Ok(found) => found,
        Err(error) => return error.into_response(),
    };
    render::<T>(
        &site,
        &visit,
        &id,
        &head,
        &item.sheet(),
        Shown::default(),
        StatusCode::OK,
    )
}

/// `POST /{kind}/{id}/edit`: the file's columns (but `id`), an artisan's honours, `base`,
/// `message` and `csrf`.
pub async fn submit<T: Authority>(
    posted: Posted,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let value = |name: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim().to_string())
            .unwrap_or_default()
    };
    let (editor, site, visit, head) = match posted_to::<T>(posted, &value("csrf"), &id).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let sheet = Sheet::from_pairs(T::KIND, pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())));
    let message = value("message");
    // An empty `base` is shown as the head again but refused by the save (no lost update).
    let posted_base = value("base");
    let mut base = match posted_base.as_str() {
        "" => head.clone(),
        base => base.to_string(),
    };
    if message.is_empty() {
        let shown = Shown {
            message_error: true,
            ..Shown::default()
        };
        return render::<T>(
            &site,
            &visit,
            &id,
            &base,
            &sheet,
            shown,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let author = Author {
        login: editor.login.clone(),
        message: message.clone(),
    };
    let (work_site, work_id, work_sheet, work_base) =
        (site.clone(), id.clone(), sheet.clone(), posted_base);
    let saved = tokio::task::spawn_blocking(move || {
        let communities = super::communities(&work_site)?;
        Ok::<_, WebError>(work::edit::<T>(
            &super::writer(&work_site),
            &work_id,
            &work_base,
            &work_sheet,
            &communities,
            &author,
        ))
    })
    .await
    .map_err(WebError::internal)
    .and_then(|saved| saved);
    site.reload_index();
    site.look_at_authorities();
    let (status, shown) = match settled(&visit, &path_of::<T>(&id), saved) {
        Ok(answer) => return answer,
        Err(WorkspaceError::Conflict {
            base,
            head: now,
            theirs,
            yours,
        }) => {
            // The form made again from the head with this archivist's changes laid over it.
            let current = match authority_for_editor::<T>(&site, &editor, &id).await {
                Ok((current, _)) => current,
                Err(error) => return error.into_response(),
            };
            let merged = laid_over(current.sheet(), &yours, &sheet);
            let conflict = json!({ "base": base, "head": now, "theirs": theirs, "yours": yours });
            return render::<T>(
                &site,
                &visit,
                &id,
                &now,
                &merged,
                Shown {
                    message,
                    conflict,
                    ..Shown::default()
                },
                StatusCode::CONFLICT,
            );
        }
        Err(error) => match refused_form(visit.lang, error, (&mut base, &head)) {
            Ok(refused) => refused,
            Err(answer) => return *answer,
        },
    };
    render::<T>(
        &site,
        &visit,
        &id,
        &base,
        &sheet,
        Shown { message, ..shown },
        status,
    )
}

/// `head` (the form of the head version) with `changes` (this archivist's, from the form's
/// base) laid over it: a column added or changed takes its new cell, a removed one is emptied,
/// and when the honours changed they are `posted`'s.
fn laid_over(mut head: Sheet, changes: &[Change], posted: &Sheet) -> Sheet {
    for change in changes {
        match change {
            Change::FieldAdded { field, after } | Change::FieldChanged { field, after, .. }
                if head.row.contains_key(field) =>
            {
                head.row.insert(field.clone(), after.join("; "));
            }
            Change::FieldRemoved { field, .. } if head.row.contains_key(field) => {
                head.row.insert(field.clone(), String::new());
            }
            Change::FieldAdded { .. }
            | Change::FieldChanged { .. }
            | Change::FieldRemoved { .. } => head.honours = posted.honours.clone(),
            _ => {}
        }
    }
    head
}

/// One field of the form: column `column` holding `cell`, shown under the input id `id`, with
/// the problems filed under `problems_at`.
fn field(
    lang: Lang,
    (column, id): (&str, String),
    cell: &str,
    checked: &SaidChecked,
    problems_at: &str,
) -> Value {
    let help = if EDTF_COLUMNS.contains(&column) {
        Some(i18n::text(lang, "workspace_edtf_help"))
    } else if DAY_COLUMNS.contains(&column) {
        Some(i18n::text(lang, "workspace_day_help"))
    } else if LIST_COLUMNS.contains(&column) {
        Some(i18n::text(lang, "workspace_list_help"))
    } else {
        None
    };
    let field_lang = if column.ends_with("@en") {
        Some(Lang::En.tag())
    } else {
        None
    };
    json!({
        "name": column,
        "id": id,
        "values": [cell],
        "long": LONG_COLUMNS.contains(&column),
        "lang": field_lang,
        "errors": checked.errors.get(problems_at).cloned().unwrap_or_default(),
        "warnings": checked.warnings.get(problems_at).cloned().unwrap_or_default(),
        "help": help,
    })
}

/// The input id of column `column` (`f-name-en`).
fn input_id(column: &str) -> String {
    format!("f-{}", column.replace(['.', '@', '_'], "-"))
}

/// Renders the form of authority `id` of kind `T` (made from version `base`) showing `sheet`.
fn render<T: Authority>(
    site: &Site,
    visit: &Visit,
    id: &str,
    base: &str,
    sheet: &Sheet,
    shown: Shown,
    status: StatusCode,
) -> Response {
    let lang = visit.lang;
    let checked = &said::checked(lang, &shown.checked);
    let columns = T::KIND.columns();
    let one = |column: &str| {
        field(
            lang,
            (column, input_id(column)),
            sheet.cell(column),
            checked,
            column,
        )
    };
    let mut pairs = Vec::new();
    let mut others = Vec::new();
    for &column in &columns {
        if column == "id" || column.ends_with("@en") {
            continue;
        }
        let english = format!("{column}@en");
        if columns.contains(&english.as_str()) {
            pairs.push(json!({ "term": column, "vi": one(column), "en": one(english.as_str()) }));
        } else {
            others.push(one(column));
        }
    }
    let mut honours: Vec<Value> = Vec::new();
    if T::KIND == Kind::Artisan {
        let blank = std::collections::BTreeMap::new();
        let count = sheet.honours.len();
        for (index, honour) in sheet.honours.iter().chain([&blank]).enumerate() {
            let number = index + 1;
            let fields: Vec<Value> = Sheet::honour_columns()
                .into_iter()
                .map(|column| {
                    field(
                        lang,
                        (column, format!("f-honour-{number}-{}", input_id(column))),
                        honour.get(column).map_or("", String::as_str),
                        checked,
                        &honour_field(number, column),
                    )
                })
                .collect();
            honours.push(json!({
                "number": number,
                "new": index == count,
                "fields": fields,
            }));
        }
    }
    // The id has no input: a problem with it is the whole form's.
    let known: Vec<String> = columns
        .iter()
        .filter(|column| **column != "id")
        .map(|column| column.to_string())
        .chain((1..=sheet.honours.len() + 1).flat_map(|number| {
            Sheet::honour_columns()
                .into_iter()
                .map(move |column| honour_field(number, column))
        }))
        .collect();
    // A problem under no field of the form (the row as a whole) is shown at the top.
    let stray: Vec<Said> = checked
        .errors
        .iter()
        .filter(|(name, _)| !known.contains(name))
        .flat_map(|(_, messages)| messages.clone())
        .collect();
    let (error, error_lang) = match shown.error {
        Some(error) => (Some(error), None),
        None => said::notice(&stray),
    };
    let context = json!({
        "heading": heading(lang, true, T::KIND, id),
        "path": path_of::<T>(id),
        "id": id,
        "file": T::KIND.file(),
        "base_version": base,
        "pairs": pairs,
        "others": others,
        "honours": honours,
        "artisan": T::KIND == Kind::Artisan,
        "message": shown.message,
        "message_error": shown.message_error,
        "errors_any": !checked.errors.is_empty(),
        "conflict": shown.conflict,
        "error": error,
        "error_lang": error_lang,
        "csrf": visit.csrf.clone().unwrap_or_default(),
    });
    forms::render_with(
        site,
        visit,
        "workspace_authority.html",
        context,
        Value::Null,
        status,
    )
}

/// `GET /{kind}/{id}/history`: every version with who, when, why and what changed, and a restore
/// form per earlier version.
pub async fn history<T: Authority>(
    State(site): State<Arc<Site>>,
    viewer: ViewerExtension,
    visit: Visit,
    Path(id): Path<String>,
    Query(outcome): Query<Outcome>,
) -> Response {
    let viewer: Viewer = viewer_of(viewer);
    let Some(editor) = Editor::of(&visit, &viewer) else {
        return not_found();
    };
    let notice = notice_of(visit.lang, &outcome);
    history_page::<T>(&site, &visit, &editor, &id, notice, None, StatusCode::OK).await
}

/// Renders the history of authority `id` with a notice or an error.
async fn history_page<T: Authority>(
    site: &Arc<Site>,
    visit: &Visit,
    editor: &Editor,
    id: &str,
    notice: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let (item, head) = match authority_for_editor::<T>(site, editor, id).await {
        Ok(found) => found,
        Err(error) => return error.into_response(),
    };
    let archive = site.archive.clone();
    let wanted = id.to_string();
    let versions = tokio::task::spawn_blocking(move || work::versions::<T>(&archive, &wanted))
        .await
        .map_err(WebError::internal)
        .and_then(|found| found.map_err(WebError::internal));
    let versions = match versions {
        Ok(versions) => versions,
        Err(error) => return error.into_response(),
    };
    let title = item.sheet().cell("name").to_string();
    let context = json!({
        "heading": heading(visit.lang, false, T::KIND, id),
        "path": path_of::<T>(id),
        "withdrawable": false,
        "audited": false,
        "withdrawn": null,
        "withheld": {},
        "title": title,
        "head": head,
        "versions": versions,
        "notice": notice,
        "error": error,
        "csrf": visit.csrf.clone().unwrap_or_default(),
    });
    forms::render_with(
        site,
        visit,
        "workspace_history.html",
        context,
        Value::Null,
        status,
    )
}

/// `POST /{kind}/{id}/restore` (`base`, `version`, `message`, `csrf`): a new version whose
/// description is `version`'s.
pub async fn restore<T: Authority>(
    posted: Posted,
    Path(id): Path<String>,
    SiteForm(form): SiteForm<ActionForm>,
) -> Response {
    let (editor, site, visit, _) = match posted_to::<T>(posted, &form.csrf, &id).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let message = form.message.trim().to_string();
    if message.is_empty() {
        let text = i18n::text(visit.lang, "workspace_message_required").to_string();
        return history_page::<T>(
            &site,
            &visit,
            &editor,
            &id,
            None,
            Some(text),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    // No fallback to the head for a missing `base`: the save refuses it (no lost update).
    let base = form.base.trim().to_string();
    let author = Author {
        login: editor.login.clone(),
        message,
    };
    let (work_site, work_id, version) = (site.clone(), id.clone(), form.version.trim().to_string());
    let saved = tokio::task::spawn_blocking(move || {
        work::restore::<T>(
            &super::writer(&work_site),
            &work_id,
            &base,
            &version,
            &author,
        )
    })
    .await;
    site.reload_index();
    site.look_at_authorities();
    let saved = saved.map_err(WebError::internal);
    let (status, text) = match settled(&visit, &path_of::<T>(&id), saved) {
        Ok(answer) => return answer,
        Err(error) => match refusal(visit.lang, error) {
            Ok(refused) => refused,
            Err(answer) => return *answer,
        },
    };
    history_page::<T>(&site, &visit, &editor, &id, None, Some(text), status).await
}
