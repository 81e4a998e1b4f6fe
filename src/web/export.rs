//! Exports that round-trip: the public collection written as a batch that `disan ingest` reads.
//!
//! `disan export DIR` writes what an anonymous visitor of the site may see, in the batch format
//! (README, "The batch format"):
//! - every file an anonymous visitor may download, at the batch-relative path it was ingested
//!   from, with exactly the bytes `/media/{id}/files/…` sends ([`super::media::original_for`]:
//!   a GPS-bearing original becomes its public copy, a file that cannot be checked is left out);
//! - `metadata/metadata.csv`, one row per record (`filename` the file or folder the record was
//!   made from), every field in the columns ingest reads, a repeated column per repeated value
//!   and `@en` columns for English values;
//! - the authority files `villages.csv`, `crafts.csv`, `artisans.csv`, `honours.csv` and
//!   `products.csv`, with public entries and public fields only (an artisan whose details are
//!   not public keeps its name, village, crafts and honours, as the site shows them);
//! - Markdown records (stories, visits, techniques) as the files they were archived as, front
//!   matter included, with their row in `metadata.csv` (a row overrides front matter).
//!
//! The site offers the same sheets: `/export/metadata.csv?q=…` (the parameters of `/search`; the
//! whole public collection without any) and `/export/villages.csv`, `/export/crafts.csv`,
//! `/export/artisans.csv`, `/export/honours.csv`, `/export/products.csv`, linked from the search
//! page. Separate files rather than a zip: each opens in a spreadsheet as it is, is cached on its
//! own, and together they are the batch's `metadata/` folder (saved there, with the files, the
//! batch ingests). They are always the anonymous view, whoever asks.
//!
//! It lives beside the site because it *is* the site's anonymous view written to disk: each
//! record passes [`Site::record_for`] for [`Viewer::Anonymous`] and each file
//! [`super::media::original_for`], the same single decision every route takes, so the export
//! cannot show what a page would not. A record whose files the public may not download is
//! exported without them only when it has none; otherwise it is left out and counted (ingest
//! could not make it again without its files).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use super::Site;
use super::media::{Audience, original_for, shown_to};
use crate::model::access::{Access, Viewer};
use crate::model::{Lang, Record};

/// What an export wrote, for the command's report.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ExportReport {
    /// Records written to `metadata.csv`.
    pub records: usize,
    /// Files written under the batch.
    pub files: usize,
    /// Public records left out, each with the reason: a file of theirs may not be downloaded
    /// anonymously, or its batch path is another exported record's (records from two batches
    /// that used the same path).
    pub skipped: Vec<(String, String)>,
}

/// Errors of an export.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The target folder exists and is not empty: an export never mixes with other files.
    #[error("{0} is not empty: export into a new or empty folder")]
    NotEmpty(PathBuf),
    /// Writing the batch failed.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The archive or index could not be read.
    #[error("cannot read the archive: {0}")]
    Read(String),
    /// The search is not one the site would run (the site's 400 answer, in words).
    #[error("the query cannot be searched: {0}")]
    Query(String),
    /// The search finds more records than a search pages through
    /// ([`crate::index::search::MAX_RESULT_WINDOW`]); an export is never silently cut short.
    #[error(
        "the search finds {0} records, more than the {max} a search can list: narrow it, or export the whole collection without --query",
        max = crate::index::search::MAX_RESULT_WINDOW
    )]
    TooMany(usize),
}

/// The ids of the records an anonymous visitor finds by searching for `pairs` (the parameters of
/// `/search`: `q`, `kind`, `village`, …), in the order the search lists them.
///
/// # Errors
/// [`ExportError::Query`] for parameters `/search` refuses; [`ExportError::TooMany`] past
/// [`crate::index::search::MAX_RESULT_WINDOW`] results; [`ExportError::Read`] when the index
/// cannot be read.
pub fn matching_ids(site: &Site, pairs: &[(String, String)]) -> Result<Vec<String>, ExportError> {
    let mut pairs: Vec<(String, String)> = pairs
        .iter()
        .filter(|(name, _)| name != "page")
        .cloned()
        .collect();
    pairs.push(("page".to_string(), "1".to_string()));
    let mut ids: Vec<String> = Vec::new();
    for page in 1..=crate::index::search::MAX_PAGE {
        if let Some(last) = pairs.last_mut() {
            last.1 = page.to_string();
        }
        let query = super::parse_query(&pairs)
            .map_err(|e| ExportError::Query(e.message(crate::model::Lang::En)))?;
        let results = site
            .search_for(&Viewer::Anonymous, &query)
            .map_err(|e| ExportError::Read(e.message(crate::model::Lang::En)))?;
        if results.total > crate::index::search::MAX_RESULT_WINDOW {
            return Err(ExportError::TooMany(results.total));
        }
        if results.hits.is_empty() {
            break;
        }
        ids.extend(results.hits.into_iter().map(|hit| hit.id));
        if ids.len() >= results.total {
            break;
        }
    }
    Ok(ids)
}

/// A serde word (`photo`, `at-risk-revivable`, an EDTF date) as written in a sheet.
fn word<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// A batch-relative path that stays inside the batch (no `..`, no root), or `None`.
fn inside(relative: &str) -> Option<PathBuf> {
    let path = Path::new(relative);
    path.components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then(|| path.to_path_buf())
}

/// How a sheet's cells are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cells {
    /// As the archive holds them: a batch for `disan ingest`, which reads them back exactly.
    AsArchived,
    /// Made safe to open in a spreadsheet ([`super::csv_cell::spreadsheet_safe`]: a cell
    /// beginning like a formula gets a leading `'`), as every CSV the site serves is.
    SpreadsheetSafe,
}

/// One sheet being built: columns in order, rows as (column, value) cells.
#[derive(Default)]
struct Sheet {
    rows: Vec<Row>,
}

/// One row of a sheet: (column, cell) in the order written; a column repeated for each value.
type Row = Vec<(String, String)>;

impl Sheet {
    /// [`Sheet::write`] when the sheet has rows; nothing otherwise (ingest refuses an
    /// authority file whose header lacks its columns, and a file of no rows says nothing).
    fn write_if_any(&self, path: &Path, first: &[&str]) -> Result<(), ExportError> {
        if self.rows.is_empty() {
            return Ok(());
        }
        self.write(path, first)
    }

    /// Writes the sheet as CSV: the header repeats a column as often as the fullest row uses
    /// it, in the order columns first appear; `first` columns come first.
    fn write(&self, path: &Path, first: &[&str]) -> Result<(), ExportError> {
        let fail = |source: std::io::Error| ExportError::Write {
            path: path.to_path_buf(),
            source,
        };
        let file = fs::File::create(path).map_err(fail)?;
        self.write_to(file, first, Cells::AsArchived).map_err(fail)
    }

    /// The sheet as CSV into `out` (see [`Sheet::write`]), its cells as `cells` says.
    fn write_to<W: std::io::Write>(
        &self,
        out: W,
        first: &[&str],
        cells_are: Cells,
    ) -> std::io::Result<()> {
        let mut header: Vec<(String, usize)> = first.iter().map(|c| (c.to_string(), 1)).collect();
        for row in &self.rows {
            let mut counts: Vec<(String, usize)> = Vec::new();
            for (column, _) in row {
                match counts.iter_mut().find(|(c, _)| c == column) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((column.clone(), 1)),
                }
            }
            for (column, n) in counts {
                match header.iter_mut().find(|(c, _)| *c == column) {
                    Some((_, m)) => *m = (*m).max(n),
                    None => header.push((column, n)),
                }
            }
        }
        let mut out = csv::Writer::from_writer(out);
        let names: Vec<&str> = header
            .iter()
            .flat_map(|(c, n)| std::iter::repeat_n(c.as_str(), *n))
            .collect();
        out.write_record(&names)?;
        for row in &self.rows {
            let mut cells: Vec<std::borrow::Cow<'_, str>> = Vec::with_capacity(names.len());
            for (column, n) in &header {
                let mut values = row.iter().filter(|(c, _)| c == column).map(|(_, v)| v);
                for _ in 0..*n {
                    let value = values.next().map_or("", String::as_str);
                    cells.push(match cells_are {
                        Cells::AsArchived => std::borrow::Cow::Borrowed(value),
                        Cells::SpreadsheetSafe => super::csv_cell::spreadsheet_safe(value),
                    });
                }
            }
            out.write_record(cells.iter().map(|cell| cell.as_bytes()))?;
        }
        out.flush()
    }
}

/// The `metadata.csv` row of `record` (public, as the anonymous viewer sees it).
fn record_row(record: &Record, products: &BTreeSet<String>) -> Vec<(String, String)> {
    let mut row = vec![
        ("filename".to_string(), record.provenance.path.clone()),
        ("kind".to_string(), word(&record.kind)),
        ("access".to_string(), "public".to_string()),
    ];
    let mut push = |column: &str, value: String| row.push((column.to_string(), value));
    if let Some(village) = &record.village {
        push("village", village.as_str().to_string());
    }
    if let Some(craft) = &record.craft {
        push("craft", craft.as_str().to_string());
    }
    for artisan in &record.artisans {
        push("artisan", artisan.as_str().to_string());
    }
    for product in &record.products {
        if products.contains(product.as_str()) {
            push("product", product.as_str().to_string());
        }
    }
    for stop in &record.stops {
        push("stop", word(stop));
    }
    // `dc.date` and `dc.identifier` only as the sheet gave them (in `dc`): a date read from a
    // photo's EXIF is read from the exported file again, and an id derived from the path is
    // derived again from the same path (`filename` is the record's provenance).
    for (term, values) in &record.dc {
        for value in values {
            let column = match value.lang {
                Lang::Vi => format!("dc.{term}"),
                Lang::En => format!("dc.{term}@en"),
            };
            push(&column, value.value.clone());
        }
    }
    for (column, values) in &record.extra {
        for value in values {
            push(column, value.clone());
        }
    }
    row
}

/// Writes the public collection (or the public records `ids` names, in its order) into `dir` as
/// a batch. `dir` must be missing or empty.
///
/// # Errors
/// [`ExportError::NotEmpty`] for a folder holding anything; [`ExportError::Write`] when a file
/// cannot be written; [`ExportError::Read`] when the archive or index cannot be read.
pub async fn export_batch(
    site: &Arc<Site>,
    dir: &Path,
    ids: Option<Vec<String>>,
) -> Result<ExportReport, ExportError> {
    let write_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ExportError::Write { path, source }
    };
    if dir.exists() && fs::read_dir(dir).map_err(write_err(dir))?.next().is_some() {
        return Err(ExportError::NotEmpty(dir.to_path_buf()));
    }
    let metadata = dir.join("metadata");
    fs::create_dir_all(&metadata).map_err(write_err(&metadata))?;
    let viewer = Viewer::Anonymous;
    let authorities = site.authorities();
    let public_products = public_products(&authorities);
    let ids = match ids {
        Some(ids) => ids,
        None => site
            .public_ids()
            .map_err(|e| ExportError::Read(format!("{e:?}")))?
            .as_ref()
            .clone(),
    };
    let mut report = ExportReport::default();
    let mut sheet = Sheet::default();
    // Batch-relative paths already given to a record's row or files.
    let mut taken: BTreeSet<PathBuf> = BTreeSet::new();
    for id in ids {
        // A record the anonymous viewer may not see does not exist here either.
        let Ok(shown) = shown_to(site, &viewer, &id) else {
            continue;
        };
        let full = site
            .archive
            .record_from(&shown.inventory)
            .map_err(|e| ExportError::Read(e.to_string()))?;
        const NOT_PUBLIC: &str = "a file of it may not be downloaded by anonymous visitors, so ingest could not make it again";
        if !viewer.may_see_files(&full) && !full.files.is_empty() {
            report.skipped.push((id, NOT_PUBLIC.to_string()));
            continue;
        }
        let mut written = Vec::new();
        let mut complete = true;
        for file in &shown.record.files {
            let (Ok((source, _)), Some(relative)) = (
                original_for(site, Audience::Anonymous, &shown, file).await,
                inside(&file.source),
            ) else {
                complete = false;
                break;
            };
            written.push((source, dir.join(relative)));
        }
        if !complete || inside(&shown.record.provenance.path).is_none() {
            report.skipped.push((id, NOT_PUBLIC.to_string()));
            continue;
        }
        // Two batches may have used one path: the second record would overwrite the first's
        // file (or its row would describe it), so it is left out and named instead.
        let row_path = shown.record.provenance.path.clone();
        if taken.contains(Path::new(&row_path))
            || written
                .iter()
                .any(|(_, target)| taken.contains(target.strip_prefix(dir).unwrap_or(target)))
        {
            report.skipped.push((
                id,
                format!("its batch path {row_path} is another exported record's"),
            ));
            continue;
        }
        taken.insert(PathBuf::from(&row_path));
        for (_, target) in &written {
            taken.insert(target.strip_prefix(dir).unwrap_or(target).to_path_buf());
        }
        for (source, target) in written {
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(write_err(parent))?;
            }
            fs::copy(&source, &target).map_err(write_err(&target))?;
            report.files += 1;
        }
        sheet.rows.push(record_row(&shown.record, &public_products));
        report.records += 1;
    }
    sheet.write(&metadata.join("metadata.csv"), &["filename"])?;
    write_authority_files(&authorities, &metadata)?;
    Ok(report)
}

/// A link to the export `name` (`metadata.csv`, `records.json`, `records.jsonld`) of the
/// records `query` finds (its filters, not its page).
pub fn export_link_to(query: &crate::index::search::SearchQuery, name: &str) -> String {
    export_link(query).replacen("/export/metadata.csv", &format!("/export/{name}"), 1)
}

/// A link to `/export/metadata.csv` for the records `query` finds (its filters, not its page).
pub fn export_link(query: &crate::index::search::SearchQuery) -> String {
    let link = super::views::results_link(
        &crate::index::search::SearchQuery {
            page: 1,
            ..query.clone()
        },
        "/export/metadata.csv",
    );
    link.replace("?page=1&", "?")
        .replace("&page=1", "")
        .replace("?page=1", "")
}

/// A CSV download named `name`, public and cacheable by anyone (it is the anonymous view).
fn csv_download(body: Vec<u8>, name: &str) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    use axum::response::IntoResponse;
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// Exports built at once ([`BUILDING`]'s permits). A download of the whole public collection is
/// built in memory (a sheet's columns depend on every row), reading every record: at most
/// [`BUILDS`] are built together, whatever arrives, and the others wait their turn, so repeated
/// downloads queue rather than take the server's memory and both cores.
pub const BUILDS: usize = 2;

/// The permits of [`BUILDS`].
static BUILDING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(BUILDS);

/// Runs `work` off the async threads once an export's turn has come ([`BUILDS`]).
async fn in_turn<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ExportError> + Send + 'static,
) -> Result<T, super::error::WebError> {
    use super::error::WebError;
    let _permit = BUILDING.acquire().await.map_err(WebError::internal)?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(WebError::internal)?
        .map_err(WebError::internal)
}

/// `GET /export/metadata.csv?q=&kind=&…`: the public records the search finds (the whole
/// public collection without parameters) in the batch format, as an anonymous visitor.
///
/// # Errors
/// The site's 400 for parameters `/search` refuses, or for a search finding more than
/// [`crate::index::search::MAX_RESULT_WINDOW`] records; `Internal` when the archive cannot be
/// read.
pub async fn metadata(
    axum::extract::State(site): axum::extract::State<Arc<Site>>,
    axum::extract::Query(params): axum::extract::Query<Vec<(String, String)>>,
) -> Result<axum::response::Response, super::error::WebError> {
    let ids = selected_ids(&site, params)?;
    let body = in_turn(move || metadata_csv(&site, &ids)).await?;
    Ok(csv_download(body, "metadata.csv"))
}

/// The public records the search `params` finds, or all public records without filters.
fn selected_ids(
    site: &Arc<Site>,
    params: Vec<(String, String)>,
) -> Result<Vec<String>, super::error::WebError> {
    use super::error::{Refusal, WebError};
    let filters: Vec<(String, String)> = params
        .into_iter()
        .filter(|(name, value)| name != "page" && name != "lang" && !value.is_empty())
        .collect();
    // Refused as `/search` refuses them, in the site's words.
    super::parse_query(&filters)?;
    let ids = if filters.is_empty() {
        site.public_ids()?.as_ref().clone()
    } else {
        match matching_ids(site, &filters) {
            Ok(ids) => ids,
            Err(ExportError::TooMany(found)) => {
                return Err(WebError::BadRequest(Refusal::ExportTooLarge { found }));
            }
            Err(error) => return Err(WebError::internal(error)),
        }
    };
    Ok(ids)
}

/// `GET /export/records.json?q=…` (the rows of `/export/metadata.csv` as JSON objects, column to
/// values) and `GET /export/records.jsonld?q=…` (a schema.org `ItemList` of the records), for
/// the same records and by the same rules.
///
/// # Errors
/// As [`metadata`]; `NotFound` for another name.
pub async fn records(
    axum::extract::State(site): axum::extract::State<Arc<Site>>,
    axum::extract::Path(name): axum::extract::Path<String>,
    axum::extract::Query(params): axum::extract::Query<Vec<(String, String)>>,
) -> Result<axum::response::Response, super::error::WebError> {
    use super::error::WebError;
    use axum::http::{HeaderValue, header};
    use axum::response::IntoResponse;
    let linked = match name.as_str() {
        "records.json" => false,
        "records.jsonld" => true,
        _ => return Err(WebError::NotFound),
    };
    let ids = selected_ids(&site, params)?;
    let origin = site.origin();
    let worker = site.clone();
    let rows = in_turn(move || exported_rows(&worker, &ids)).await?;
    let body = if linked {
        let items: Vec<serde_json::Value> = rows
            .iter()
            .enumerate()
            .map(|(n, (record, _))| {
                serde_json::json!({
                    "@type": "ListItem",
                    "position": n + 1,
                    "item": schema_item(record, &origin),
                })
            })
            .collect();
        serde_json::json!({
            "@context": "https://schema.org",
            "@type": "ItemList",
            "numberOfItems": items.len(),
            "itemListElement": items,
        })
    } else {
        let records: Vec<serde_json::Value> = rows
            .into_iter()
            .map(|(_, row)| {
                let mut object = serde_json::Map::new();
                for (column, value) in row {
                    let entry = object
                        .entry(column)
                        .or_insert_with(|| serde_json::Value::Array(Vec::new()));
                    if let Some(values) = entry.as_array_mut() {
                        values.push(serde_json::Value::String(value));
                    }
                }
                serde_json::Value::Object(object)
            })
            .collect();
        serde_json::json!({ "records": records })
    };
    let mut response = body.to_string().into_response();
    let kind = if linked {
        "application/ld+json"
    } else {
        "application/json"
    };
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// A record as a schema.org `CreativeWork` (its description only: titles, descriptions,
/// subjects and date, each value with its language; the page as `@id` and `url`).
fn schema_item(record: &Record, origin: &str) -> serde_json::Value {
    let values = |term: &str| -> Vec<serde_json::Value> {
        record
            .dc
            .get(term)
            .into_iter()
            .flatten()
            .map(|v| serde_json::json!({"@language": v.lang.tag(), "@value": v.value}))
            .collect()
    };
    let url = format!("{origin}/records/{}", record.id.as_str());
    let mut item = serde_json::json!({
        "@type": "CreativeWork",
        "@id": url,
        "url": url,
        "identifier": record.id.as_str(),
        "name": values("title"),
        "description": values("description"),
        "keywords": values("subject"),
        "genre": word(&record.kind),
    });
    if let Some(date) = &record.date {
        item["temporalCoverage"] = serde_json::Value::String(date.to_string());
    }
    item
}

/// `GET /export/{name}`: `records.json` and `records.jsonld` ([`records`]), else an authority
/// file ([`authority`]).
///
/// # Errors
/// As those.
pub async fn authority_or_records(
    state: axum::extract::State<Arc<Site>>,
    name: axum::extract::Path<String>,
    query: axum::extract::Query<Vec<(String, String)>>,
) -> Result<axum::response::Response, super::error::WebError> {
    if name.0.starts_with("records.") {
        records(state, name, query).await
    } else {
        authority(state, name).await
    }
}

/// `GET /export/{name}`: one of [`AUTHORITY_FILES`] as anyone may read it.
///
/// # Errors
/// `NotFound` for any other name.
pub async fn authority(
    axum::extract::State(site): axum::extract::State<Arc<Site>>,
    axum::extract::Path(name): axum::extract::Path<String>,
) -> Result<axum::response::Response, super::error::WebError> {
    let body = authority_csv(&site, &name).ok_or(super::error::WebError::NotFound)?;
    Ok(csv_download(body, &name))
}

/// The names of the authority files, as `metadata/NAME` of a batch and `/export/NAME`.
pub const AUTHORITY_FILES: [&str; 5] = [
    "villages.csv",
    "crafts.csv",
    "artisans.csv",
    "honours.csv",
    "products.csv",
];

/// Writes the authority files ([`authority_sheets`]) that have rows into `metadata`.
fn write_authority_files(
    authorities: &crate::index::authorities::Authorities,
    metadata: &Path,
) -> Result<(), ExportError> {
    for (name, sheet, first) in authority_sheets(authorities) {
        sheet.write_if_any(&metadata.join(name), &[first])?;
    }
    Ok(())
}

/// The authority file `name` (one of [`AUTHORITY_FILES`]) as anyone may read it, as CSV bytes
/// (its header alone when it has no rows); `None` for another name.
pub fn authority_csv(site: &Site, name: &str) -> Option<Vec<u8>> {
    let (_, sheet, first) = authority_sheets(&site.authorities())
        .into_iter()
        .find(|(n, _, _)| *n == name)?;
    let mut out = Vec::new();
    sheet
        .write_to(&mut out, &[first], Cells::SpreadsheetSafe)
        .ok()?;
    Some(out)
}

/// `metadata.csv` of the public records among `ids` (see [`export_batch`] for which are left
/// out), as CSV bytes.
///
/// # Errors
/// [`ExportError::Read`] when the archive cannot be read.
pub fn metadata_csv(site: &Site, ids: &[String]) -> Result<Vec<u8>, ExportError> {
    let sheet = Sheet {
        rows: exported_rows(site, ids)?
            .into_iter()
            .map(|(_, row)| row)
            .collect(),
    };
    let mut out = Vec::new();
    sheet
        .write_to(&mut out, &["filename"], Cells::SpreadsheetSafe)
        .map_err(|e| ExportError::Read(e.to_string()))?;
    Ok(out)
}

/// The public records among `ids` as the anonymous viewer sees them, each with its
/// `metadata.csv` row; a record whose files the public may not see is left out (its row names
/// them).
///
/// # Errors
/// [`ExportError::Read`] when the archive cannot be read.
fn exported_rows(site: &Site, ids: &[String]) -> Result<Vec<(Record, Row)>, ExportError> {
    let viewer = Viewer::Anonymous;
    let authorities = site.authorities();
    let products = public_products(&authorities);
    let mut rows = Vec::new();
    for id in ids {
        let Ok((record, inventory, _)) = site.record_for(&viewer, id) else {
            continue;
        };
        let full = site
            .archive
            .record_from(&inventory)
            .map_err(|e| ExportError::Read(e.to_string()))?;
        // Its `filename` names its files: only when the public may see them.
        if !viewer.may_see_files(&full) && !full.files.is_empty() {
            continue;
        }
        let row = record_row(&record, &products);
        rows.push((record, row));
    }
    Ok(rows)
}

/// The ids of the products anyone may see.
fn public_products(authorities: &crate::index::authorities::Authorities) -> BTreeSet<String> {
    authorities
        .products
        .iter()
        .filter(|(_, p)| Viewer::Anonymous.may_see(&p.access))
        .map(|(id, _)| id.clone())
        .collect()
}

/// The authority sheets, each with its file name and first column: every village and craft
/// (public), every artisan with the fields its access lets anyone see, every honour, and the
/// public products.
fn authority_sheets(
    authorities: &crate::index::authorities::Authorities,
) -> Vec<(&'static str, Sheet, &'static str)> {
    let opt = |value: &Option<String>| value.clone().unwrap_or_default();
    let mut villages = Sheet::default();
    for village in authorities.villages.values() {
        let recognised = village
            .recognised
            .as_ref()
            .map(|r| match (&r.decision, &r.date) {
                (Some(d), Some(t)) => format!("{d}; {t}"),
                (Some(d), None) => d.clone(),
                (None, Some(t)) => t.to_string(),
                (None, None) => String::new(),
            });
        let cells = [
            ("id", village.id.as_str().to_string()),
            ("name", village.name.clone()),
            ("name@en", opt(&village.name_en)),
            ("commune", opt(&village.commune)),
            ("district", opt(&village.district)),
            ("province", opt(&village.province)),
            (
                "latitude",
                village.latitude.map(|l| l.to_string()).unwrap_or_default(),
            ),
            (
                "longitude",
                village.longitude.map(|l| l.to_string()).unwrap_or_default(),
            ),
            (
                "crafts",
                village
                    .crafts
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(";"),
            ),
            (
                "status",
                village.status.as_ref().map(word).unwrap_or_default(),
            ),
            ("artisans", village.artisans.join(";")),
            ("products", village.products.join(";")),
            ("products@en", village.products_en.join(";")),
            (
                "activity",
                village.activity.as_ref().map(word).unwrap_or_default(),
            ),
            ("recognised", recognised.unwrap_or_default()),
            (
                "status_date",
                village
                    .status_date
                    .as_ref()
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            ),
            ("commune_2025", opt(&village.commune_2025)),
            ("province_2025", opt(&village.province_2025)),
        ];
        villages
            .rows
            .push(cells.into_iter().map(|(c, v)| (c.to_string(), v)).collect());
    }

    let mut crafts = Sheet::default();
    for craft in authorities.crafts.values() {
        crafts.rows.push(vec![
            ("id".to_string(), craft.id.as_str().to_string()),
            ("name".to_string(), craft.name.clone()),
            ("name@en".to_string(), opt(&craft.name_en)),
        ]);
    }

    let mut artisans = Sheet::default();
    let mut honours = Sheet::default();
    for artisan in authorities.artisans.values() {
        let public = Viewer::Anonymous.may_see(&artisan.access);
        let shown = |text: String| if public { text } else { String::new() };
        let edtf = |d: &Option<crate::model::edtf::Edtf>| {
            shown(d.as_ref().map(|d| d.to_string()).unwrap_or_default())
        };
        artisans.rows.push(vec![
            ("id".to_string(), artisan.id.as_str().to_string()),
            ("name".to_string(), artisan.name.clone()),
            ("name@en".to_string(), opt(&artisan.name_en)),
            (
                "village".to_string(),
                artisan
                    .village
                    .as_ref()
                    .map(|v| v.as_str().to_string())
                    .unwrap_or_default(),
            ),
            (
                "crafts".to_string(),
                artisan
                    .crafts
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(";"),
            ),
            ("born".to_string(), edtf(&artisan.born)),
            ("died".to_string(), edtf(&artisan.died)),
            (
                "description".to_string(),
                shown(
                    artisan
                        .description
                        .get(&Lang::Vi)
                        .cloned()
                        .unwrap_or_default(),
                ),
            ),
            (
                "description@en".to_string(),
                shown(
                    artisan
                        .description
                        .get(&Lang::En)
                        .cloned()
                        .unwrap_or_default(),
                ),
            ),
            // Who may see the details is not itself shown: a non-public artisan is exported
            // without them and without a rule (ingest then applies its default rule).
            (
                "access".to_string(),
                if public { "public" } else { "" }.to_string(),
            ),
        ]);
        for honour in &artisan.honours {
            honours.rows.push(vec![
                ("artisan".to_string(), artisan.id.as_str().to_string()),
                ("title".to_string(), honour.title.clone()),
                ("scheme".to_string(), word(&honour.scheme)),
                ("awarded_by".to_string(), opt(&honour.awarded_by)),
                ("decision".to_string(), opt(&honour.decision)),
                (
                    "date".to_string(),
                    honour
                        .date
                        .as_ref()
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                ),
            ]);
        }
    }

    let mut products = Sheet::default();
    for product in authorities
        .products
        .values()
        .filter(|p| p.access == Access::Public)
    {
        let ocop = product.ocop.as_ref();
        let of = |f: &dyn Fn(&crate::model::product::Ocop) -> Option<String>| {
            ocop.and_then(f).unwrap_or_default()
        };
        let cells = [
            ("id", product.id.as_str().to_string()),
            ("name", product.name.clone()),
            ("name@en", opt(&product.name_en)),
            (
                "village",
                product
                    .village
                    .as_ref()
                    .map(|v| v.as_str().to_string())
                    .unwrap_or_default(),
            ),
            (
                "craft",
                product
                    .craft
                    .as_ref()
                    .map(|v| v.as_str().to_string())
                    .unwrap_or_default(),
            ),
            ("producer", opt(&product.producer)),
            ("ocop_group", of(&|o| o.group.as_ref().map(word))),
            ("ocop_stars", of(&|o| Some(o.stars.to_string()))),
            ("ocop_score", of(&|o| o.score.map(|s| s.to_string()))),
            ("ocop_certificate", of(&|o| o.certificate.clone())),
            ("ocop_issued", of(&|o| o.issued.as_ref().map(word))),
            ("ocop_expires", of(&|o| o.expires.as_ref().map(word))),
            ("ocop_level", of(&|o| o.level.as_ref().map(word))),
            ("access", "public".to_string()),
        ];
        products
            .rows
            .push(cells.into_iter().map(|(c, v)| (c.to_string(), v)).collect());
    }
    vec![
        ("villages.csv", villages, "id"),
        ("crafts.csv", crafts, "id"),
        ("artisans.csv", artisans, "id"),
        ("honours.csv", honours, "artisan"),
        ("products.csv", products, "id"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_leaving_the_batch_are_refused() {
        assert!(inside("objects/anh/a.jpg").is_some());
        assert!(inside("../etc/passwd").is_none());
        assert!(inside("/etc/passwd").is_none());
        assert!(inside("objects/../../x").is_none());
    }

    #[test]
    fn repeated_columns_are_repeated_in_the_header() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.csv");
        let sheet = Sheet {
            rows: vec![
                vec![
                    ("filename".into(), "a".into()),
                    ("dc.subject".into(), "x".into()),
                    ("dc.subject".into(), "y".into()),
                ],
                vec![("filename".into(), "b".into())],
            ],
        };
        sheet.write(&path, &["filename"]).unwrap();
        let text = fs::read_to_string(&path).unwrap();
        assert_eq!(text, "filename,dc.subject,dc.subject\na,x,y\nb,,\n");
    }

    #[test]
    fn the_sites_sheets_never_hold_a_formula_but_a_batch_keeps_the_value() {
        let sheet = Sheet {
            rows: vec![vec![
                ("filename".into(), "a".into()),
                ("dc.title".into(), "=HYPERLINK(\"x\")".into()),
            ]],
        };
        let mut safe = Vec::new();
        sheet
            .write_to(&mut safe, &["filename"], Cells::SpreadsheetSafe)
            .unwrap();
        assert!(String::from_utf8(safe).unwrap().contains("\"'=HYPERLINK"));
        let mut kept = Vec::new();
        sheet
            .write_to(&mut kept, &["filename"], Cells::AsArchived)
            .unwrap();
        assert!(String::from_utf8(kept).unwrap().contains("\"=HYPERLINK"));
    }
}
