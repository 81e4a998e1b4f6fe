//! The archivists' workspace on the site (issue 15): `/records/{id}/edit`,
//! `/records/{id}/history` and the `restore`, `withdraw`, `reinstate`, `withhold` and `release`
//! forms, and
//! `/{villages,crafts,artisans,products}/{id}/edit`, `…/history` and `…/restore`, the staff list
//! `/workspace` and the audit logs `/workspace/audit` and `/records/{id}/audit`, in both
//! languages (`/en/…`). The work itself is [`crate::workspace`]; this module puts it on pages.
//!
//! Who may use it ([`Editor::of`]): an archivist, or an admin, signed in **with a session** whose
//! second factor is enrolled (archivists and admins cannot sign in without it), and, for an admin,
//! only on records whose access and files rule that admin may see (admins do not bypass community
//! protocols). Everyone else — anonymous visitors, researchers, an admin on a record of a
//! community they are not in, and any request signed by a personal API token (tokens read, they
//! never edit) — gets the site's 404 on every route, GET and POST, exactly as for an unknown
//! page, and before anything of the record is read. Every POST carries the session's
//! anti-forgery token ([`crate::web::auth::forms`]); pages are `private, no-store`.
//!
//! Layout: [`edit`] (the form), [`history`] (versions, the restore, withdraw, reinstate, withhold
//! and release forms, and `/workspace/withdrawn`, the list of withdrawn records), [`authority`] (the same
//! pages for villages, crafts, artisans with their honours, and products), [`staff`]
//! (`/workspace`, every record the editor may work on, filtered and paged), [`audit`] (the
//! PREMIS events of a record and of the archive, as pages, CSV and JSON), [`tus`] (resumable
//! upload, the tus 1.0 protocol), [`uploads`] (the upload page, and cancelling an upload) and
//! [`batches`] (a batch made of uploads: its dry-run report, confirmation, background ingest
//! and kept report, cancelling it, running a failed one again).

pub mod audit;
pub mod authority;
pub mod batches;
pub mod edit;
pub mod history;
pub mod staff;
pub mod tus;
pub mod uploads;

use std::sync::Arc;

use axum::Router;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::model::access::Viewer;
use crate::model::{Record, RecordId, Role};
use crate::web::Site;
use crate::web::auth::Proof;
use crate::web::error::WebError;
use crate::web::pages::Visit;

/// Bytes the edit form's body may hold at most: 8 MiB, a record's whole description and its
/// Markdown texts (ingest takes bodies up to 2 MiB, [`crate::ingest::frontmatter::MAX_BODY_BYTES`];
/// a form percent-encodes each byte of Vietnamese letters as three). The account forms' 16 KiB
/// would cut a long story short.
pub const EDIT_BODY_LIMIT: u64 = 8 * 1024 * 1024;

/// The routes of the workspace (both languages), for [`crate::web::app`].
pub fn routes() -> Router<Arc<Site>> {
    let pages = || {
        let pages = Router::new()
            .route("/records/{id}/edit", get(edit::page).post(edit::submit))
            .route("/records/{id}/history", get(history::page))
            .route("/records/{id}/restore", post(history::restore))
            .route("/records/{id}/withdraw", post(history::withdraw))
            .route("/records/{id}/reinstate", post(history::reinstate))
            .route("/records/{id}/withhold", post(history::withhold))
            .route("/records/{id}/release", post(history::release))
            .route("/workspace/withdrawn", get(history::withdrawn))
            .route("/workspace", get(staff::page))
            .route("/workspace/audit", get(audit::archive))
            .route("/records/{id}/audit", get(audit::record))
            .route("/workspace/uploads", get(uploads::page))
            .route("/workspace/uploads/{id}/cancel", post(uploads::cancel))
            .route("/workspace/batches", post(batches::create))
            .route("/workspace/batches/{id}", get(batches::page))
            .route("/workspace/batches/{id}/status", get(batches::status))
            .route("/workspace/batches/{id}/confirm", post(batches::confirm))
            .route("/workspace/batches/{id}/sheet", post(batches::sheet))
            .route("/workspace/batches/{id}/cancel", post(batches::cancel));
        let pages = authority_routes::<crate::model::Village>(pages);
        let pages = authority_routes::<crate::model::Craft>(pages);
        let pages = authority_routes::<crate::model::Artisan>(pages);
        authority_routes::<crate::model::Product>(pages)
    };
    // `refuse_bodies` (src/web/layers.rs) has bounded each form's body by its own limit before
    // a handler runs; the form extractor's default of 2 MB would refuse a long story below the
    // edit form's limit with the framework's English text, so it gets the edit form's.
    Router::new()
        .merge(pages())
        .nest("/en", pages())
        .layer(axum::extract::DefaultBodyLimit::max(
            EDIT_BODY_LIMIT as usize,
        ))
        .merge(tus::routes())
}

/// `router` with the workspace routes of authorities of kind `T` (`/villages/{id}/edit`,
/// `/villages/{id}/history`, `/villages/{id}/restore`).
fn authority_routes<T: crate::workspace::authority::Authority>(
    router: Router<Arc<Site>>,
) -> Router<Arc<Site>> {
    let path = T::KIND.path();
    router
        .route(
            &format!("/{path}/{{id}}/edit"),
            get(authority::page::<T>).post(authority::submit::<T>),
        )
        .route(
            &format!("/{path}/{{id}}/history"),
            get(authority::history::<T>),
        )
        .route(
            &format!("/{path}/{{id}}/restore"),
            post(authority::restore::<T>),
        )
}

/// The workspace form a POST to `path` (without language prefix) is, and the most bytes its
/// body may hold; `None` when `path` is not one. Records take `edit` (up to
/// [`EDIT_BODY_LIMIT`]), `restore`, `withdraw`, `reinstate`, `withhold` and `release` (the
/// account forms' limit);
/// villages, crafts, artisans and products `edit` (an artisan's descriptions and honours: the
/// same [`EDIT_BODY_LIMIT`]) and `restore`.
pub fn form_limit(path: &str) -> Option<u64> {
    if path == "/workspace/batches" {
        // A folder's upload ids: 40 bytes each, thousands of files.
        return Some(EDIT_BODY_LIMIT);
    }
    if let Some(rest) = path.strip_prefix("/workspace/uploads/") {
        // An upload's cancel form: its token alone.
        return match rest.split_once('/')? {
            (id, "cancel") if crate::workspace::uploads::is_id(id) => {
                Some(crate::web::auth::BODY_LIMIT)
            }
            _ => None,
        };
    }
    if let Some(rest) = path.strip_prefix("/workspace/batches/") {
        let (id, action) = rest.split_once('/')?;
        return match action {
            _ if !crate::workspace::uploads::is_id(id) => None,
            "confirm" | "cancel" => Some(crate::web::auth::BODY_LIMIT),
            // A corrected sheet: at most 1 MiB of text, percent-encoded.
            "sheet" => Some(EDIT_BODY_LIMIT),
            _ => None,
        };
    }
    let rest = path.strip_prefix('/')?;
    let (collection, rest) = rest.split_once('/')?;
    let (id, action) = rest.split_once('/')?;
    if id.is_empty() || id.contains('/') {
        return None;
    }
    let small = crate::web::auth::BODY_LIMIT;
    let authority = crate::workspace::authority::Kind::from_path(collection).is_some();
    match (collection, action) {
        ("records", "edit") => Some(EDIT_BODY_LIMIT),
        ("records", "restore" | "withdraw" | "reinstate" | "withhold" | "release") => Some(small),
        (_, "edit") if authority => Some(EDIT_BODY_LIMIT),
        (_, "restore") if authority => Some(small),
        _ => None,
    }
}

/// An account allowed into the workspace for this request.
#[derive(Debug, Clone)]
pub struct Editor {
    /// Its login (the OCFL versions' `user.name`).
    pub login: String,
    /// Its role: archivist or admin.
    pub role: Role,
    /// Who it is to the access rules.
    pub viewer: Viewer,
}

impl Editor {
    /// The editor of this request: an archivist or admin signed in with a session, second
    /// factor enrolled; `None` for anyone else (a token, a researcher, anonymous).
    pub fn of(visit: &Visit, viewer: &Viewer) -> Option<Editor> {
        let signed = visit.signed_in.as_ref()?;
        let allowed = matches!(signed.role, Role::Archivist | Role::Admin)
            && signed.by == Proof::Session
            && !signed.must_enrol
            && viewer.role() == Some(signed.role);
        allowed.then(|| Editor {
            login: signed.login.clone(),
            role: signed.role,
            viewer: viewer.clone(),
        })
    }

    /// Whether this editor may work on `record`: an archivist on every record; an admin on those
    /// whose access and files rule the admin may see (withdrawn or not).
    pub fn may_work_on(&self, record: &Record) -> bool {
        self.may_work_under(&record.access, record.files_rule())
    }

    /// Whether this editor may work on a record under `access` whose files are under
    /// `files_rule` (the rule of [`Editor::may_work_on`], for what holds only the rules: a row
    /// of the staff list, an event of a record).
    pub fn may_work_under(
        &self,
        access: &crate::model::Access,
        files_rule: &crate::model::Access,
    ) -> bool {
        match self.role {
            Role::Archivist => true,
            _ => self.viewer.may_see(access) && self.viewer.may_see(files_rule),
        }
    }
}

/// The record `id` as its head holds it, when `editor` may work on it; the site's 404 when there
/// is no such record or the editor may not.
///
/// # Errors
/// [`WebError::NotFound`]; [`WebError::Internal`] when the archive cannot be read.
pub async fn record_for_editor(
    site: &Arc<Site>,
    editor: &Editor,
    id: &str,
) -> Result<(RecordId, Record, String), WebError> {
    let id = RecordId::parse_exact(id).map_err(|_| WebError::NotFound)?;
    let archive = site.archive.clone();
    let wanted = id.clone();
    let found = tokio::task::spawn_blocking(move || -> Result<_, WebError> {
        let Some(inventory) = archive
            .record_inventory(&wanted)
            .map_err(WebError::internal)?
        else {
            return Ok(None);
        };
        let record = archive
            .record_from(&inventory)
            .map_err(WebError::internal)?;
        Ok(Some((record, inventory.head)))
    })
    .await
    .map_err(WebError::internal)??;
    match found {
        Some((record, head)) if editor.may_work_on(&record) => Ok((id, record, head)),
        _ => Err(WebError::NotFound),
    }
}

/// What every POST handler of the workspace reads besides its form. Unlike the account forms'
/// extractor it never fails: a request without a session (anonymous, without a cookie, so the
/// session layer was skipped) is answered the workspace's 404 by the handler, as any other
/// visitor not allowed in, never a 500.
pub struct Posted {
    /// The site.
    pub site: Arc<Site>,
    /// Who asks, in which language.
    pub visit: Visit,
    /// Who it is to the access rules.
    pub viewer: Viewer,
    /// The request's session, when it passed the session layer.
    pub session: Option<tower_sessions::Session>,
    /// The request's headers (for `Sec-Fetch-Site`).
    pub headers: axum::http::HeaderMap,
}

impl axum::extract::FromRequestParts<Arc<Site>> for Posted {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        site: &Arc<Site>,
    ) -> Result<Self, Self::Rejection> {
        let Ok(visit) = Visit::from_request_parts(parts, site).await;
        Ok(Posted {
            site: site.clone(),
            visit,
            viewer: parts
                .extensions
                .get::<Viewer>()
                .cloned()
                .unwrap_or_default(),
            session: parts.extensions.get::<tower_sessions::Session>().cloned(),
            headers: parts.headers.clone(),
        })
    }
}

impl Posted {
    /// The editor of this POST, once its anti-forgery token (`csrf`) and origin are checked:
    /// `Err` holds the answer (the 404 for anyone not allowed in, the 403 of a refused form).
    ///
    /// # Errors
    /// The response to send instead.
    pub async fn editor(&self, csrf: &str) -> Result<Editor, Response> {
        let (Some(editor), Some(session)) = (Editor::of(&self.visit, &self.viewer), &self.session)
        else {
            return Err(not_found());
        };
        if let Err(refusal) = crate::web::auth::forms::check(&self.headers, session, csrf).await {
            return Err(crate::web::auth::forms::refused(
                &self.site,
                &self.visit,
                refusal,
            ));
        }
        Ok(editor)
    }
}

/// The 404 every route of the workspace answers to anyone not allowed in.
pub fn not_found() -> Response {
    WebError::NotFound.into_response()
}

/// The groups `community:<id>` values may name: the accounts database's.
///
/// # Errors
/// The accounts database cannot be read.
pub fn communities(site: &Site) -> Result<crate::ingest::communities::Communities, WebError> {
    let Some(auth) = &site.auth else {
        return Err(WebError::NotFound);
    };
    crate::ingest::communities::Communities::read(auth.accounts.path())
        .map(crate::ingest::communities::Communities::in_workspace)
        .map_err(|error| WebError::internal(format!("the groups cannot be read: {error}")))
}

/// Where a save writes: the site's archive and index, waiting [`crate::workspace::LOCK_WAIT`]
/// for an ingest.
pub fn writer(site: &Site) -> crate::workspace::Writer<'_> {
    crate::workspace::Writer {
        archive: &site.archive,
        index: &site.index,
        wait: crate::workspace::LOCK_WAIT,
    }
}

/// Reads the filter fields of a workspace form (the staff list's, the audit log's): a field left
/// empty asks for nothing, one that cannot be read is ignored with a message naming it
/// (`workspace_filter_ignored`), so a mistyped filter never silently widens or empties a list.
pub(super) struct FilterFields {
    lang: crate::model::Lang,
    /// The messages, one per field ignored, in the order read.
    pub ignored: Vec<String>,
}

impl FilterFields {
    /// No field read yet; messages in `lang`.
    pub fn new(lang: crate::model::Lang) -> Self {
        FilterFields {
            lang,
            ignored: Vec::new(),
        }
    }

    /// `value` (trimmed) read by `parse`: `None` when empty, or when `parse` cannot read it
    /// (and then `field` is named among the ignored).
    pub fn read<T>(
        &mut self,
        field: &str,
        value: &str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Option<T> {
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        let read = parse(value);
        if read.is_none() {
            self.ignore(field, value);
        }
        read
    }

    /// Names `field` holding `value` among the ignored.
    pub fn ignore(&mut self, field: &str, value: &str) {
        self.ignored.push(crate::web::i18n::message(
            self.lang,
            "workspace_filter_ignored",
            &[
                ("field", field.to_string().into()),
                ("value", value.to_string().into()),
            ],
        ));
    }
}
