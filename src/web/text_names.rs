//! Whether a text-like original may be sent, listed and hashed for a viewer: what its text names.
//!
//! A text record (a technique write-up, a festival, a story, a visit) is archived with its
//! Markdown original, front matter included. That front matter and body name other things:
//! records it embeds or links to (`[[id]]`, `/records/id`), a visit's stops (`stop:
//! record:rec-res`), the products it shows (`product: [trong-sec]`). The record page and the API
//! drop every name the viewer may not see, but the original holds them as written, so sending
//! it, or publishing its URL and SHA-256 (against which a guessed list of ids can be checked
//! offline), would name a record or product that "does not exist" for that viewer (break14
//! findings 1 and 2). Any other original whose text can be read names things just as well: a
//! plain-text note, a WebVTT transcript, a CSV, JSON, XML or SVG file, or a PDF whose text layer
//! holds `[[rec-sec]]` or a link to `/records/rec-sec` (fix14 point 6). A link or URL written
//! absolute with the site's own address (`https://disan.example/en/records/rec-sec?x#y`,
//! percent-encoded, a host in NFD…) names what the same path written relative names; another
//! host's names nothing here ([`crate::index::site_links`], read for [`Site::own_site`]).
//!
//! The rule, deny by default, for every text-like original ([`text_kind`]): it exists for a
//! viewer other than an archivist only when everything its text names is visible to that
//! viewer, and, for Markdown, none of its lines states a position ([`names_only_visible_in`]). A Markdown or other
//! text file is read as it is (4 MiB at most); a PDF by its text layer, read as ingest reads it
//! for the index ([`crate::index::sandbox::pdf_text`], in a worker within its budgets). A text
//! that cannot be read with certainty (too large, not UTF-8, front matter that does not parse,
//! a stop that is not `village:`/`record:`; a PDF encrypted, unreadable, over a budget or whose
//! text was cut) is withheld. For any other viewer the original is exactly an unknown path: no
//! `/media/{id}/files/{name}`, no preview, no transcript, no entry in the API's or the record
//! page's file list ([`super::media::copies_and_previews`]). Artisans and villages exist for
//! every viewer (only an artisan's dates and description are guarded), so naming one reveals
//! nothing.
//!
//! What a file's text names depends on its bytes alone, so it is read once per file digest and
//! remembered ([`NAMED_KEPT`] files); whether the viewer may see each name is decided at every
//! request, so a record hidden or shown since counts at once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::index::public_text::{PRODUCT_KEY, public_text};
use crate::index::site_links::{OwnSite, Target, bare_targets};
use crate::model::access::Viewer;
use crate::model::{FileEntry, Sha256, Stop};

use super::Site;

/// Text originals read at most, in bytes; a larger one is not sent to visitors as written.
const TEXT_LIMIT: u64 = 4 * 1024 * 1024;

/// How many files' names are remembered; past it, the memory starts again (each entry is a few
/// ids, so this bounds it to a few megabytes).
pub const NAMED_KEPT: usize = 4096;

/// How an original's text is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// Markdown: a record's front matter and body.
    Markdown,
    /// Any other file read as UTF-8 text: `text/*` (plain text, WebVTT, CSV, HTML), JSON, XML,
    /// SVG.
    Plain,
    /// A PDF, by its text layer.
    Pdf,
}

/// Whether `file` is a Markdown text (the source of a record's body and front matter).
pub fn is_markdown(file: &FileEntry) -> bool {
    let path = file.path.to_lowercase();
    file.format.mime == "text/markdown" || path.ends_with(".md") || path.ends_with(".markdown")
}

/// How `file`'s text is read, `None` for a file that holds no text to read (an image, a film).
pub fn text_kind(file: &FileEntry) -> Option<TextKind> {
    let mime = file.format.mime.as_str();
    if is_markdown(file) {
        Some(TextKind::Markdown)
    } else if mime == "application/pdf" {
        Some(TextKind::Pdf)
    } else if mime.starts_with("text/")
        || matches!(
            mime,
            "application/json" | "application/xml" | "image/svg+xml" | "application/xhtml+xml"
        )
    {
        Some(TextKind::Plain)
    } else {
        None
    }
}

/// What a text names: the records and products whose visibility decides who may receive it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Named {
    /// Record ids it embeds, links to, or names as stops.
    pub records: Vec<String>,
    /// Products its front matter names (ids or names).
    pub products: Vec<String>,
}

impl Named {
    /// Whether every record and product named is visible (`record_visible`, `product_visible`).
    pub fn all_visible(
        &self,
        record_visible: &dyn Fn(&str) -> bool,
        product_visible: &dyn Fn(&str) -> bool,
    ) -> bool {
        self.records.iter().all(|id| record_visible(id))
            && self.products.iter().all(|name| product_visible(name))
    }
}

/// What `text`, of `kind`, names ([`names_only_visible_in`]'s reading, every name noted); `None`
/// when it cannot be sent to anyone but an archivist, whatever they may see (a stated position,
/// front matter that does not parse, a stop that cannot be read, markup naming no valid record).
/// Links are read for the site `own` ([`crate::index::site_links`]).
pub fn names_of(kind: TextKind, text: &str, own: &OwnSite) -> Option<Named> {
    let records = std::cell::RefCell::new(Vec::new());
    let products = std::cell::RefCell::new(Vec::new());
    let sendable = names_only_visible_in(
        kind,
        text,
        own,
        &|id| {
            records.borrow_mut().push(id.to_string());
            true
        },
        &|name| {
            products.borrow_mut().push(name.to_string());
            true
        },
    );
    sendable.then(|| Named {
        records: records.into_inner(),
        products: products.into_inner(),
    })
}

/// Whether the text-like original `file` of a record, stored at `path`, may be sent as written
/// to `viewer` (not an archivist, who receives every original): `true` for a file that holds no
/// text ([`text_kind`]); otherwise only when its text names only what `viewer` may see
/// ([`Named::all_visible`]). A text that cannot be read with certainty is withheld.
pub async fn original_is_public(
    site: &Arc<Site>,
    viewer: &Viewer,
    file: &FileEntry,
    path: PathBuf,
) -> bool {
    let Some(kind) = text_kind(file) else {
        return true;
    };
    let own = site.own_site().clone();
    let named = match remembered(&own, &file.sha256) {
        Some(named) => named,
        None => {
            let sha256 = file.sha256;
            let size = file.size;
            let reading = own.clone();
            let read =
                tokio::task::spawn_blocking(move || read_names(kind, size, &path, &reading)).await;
            let Ok(named) = read else {
                return false;
            };
            let named = named.map(Arc::new);
            remember(own, sha256, named.clone());
            named
        }
    };
    let Some(named) = named else {
        return false;
    };
    let authorities = site.authorities();
    named.all_visible(&|id| site.is_visible_for(viewer, id), &|name| {
        authorities
            .free_text_shown(&[name.to_string()], viewer)
            .len()
            == 1
    })
}

/// What the original of `kind` and `size` bytes at `path` names, its links read for the site
/// `own`; `None` when it cannot be read with certainty. Blocking: a PDF's text is read in a
/// worker (up to its deadline).
fn read_names(kind: TextKind, size: u64, path: &Path, own: &OwnSite) -> Option<Named> {
    let text = match kind {
        TextKind::Markdown | TextKind::Plain => {
            let fits =
                size <= TEXT_LIMIT && std::fs::metadata(path).is_ok_and(|m| m.len() <= TEXT_LIMIT);
            fits.then(|| std::fs::read_to_string(path).ok()).flatten()?
        }
        TextKind::Pdf => {
            if size > crate::index::file_text::MAX_PDF_SIZE {
                return None;
            }
            match crate::index::sandbox::pdf_text(path) {
                Ok(pdf) if !pdf.encrypted && pdf.notes.is_empty() => pdf.text,
                _ => return None,
            }
        }
    };
    names_of(kind, &text, own)
}

/// What a file names, by the site its links were read for and its digest.
type Memory = HashMap<(OwnSite, Sha256), Option<Arc<Named>>>;

/// The memory of what each file names ([`Memory`]).
fn memory() -> &'static Mutex<Memory> {
    static NAMED: OnceLock<Mutex<Memory>> = OnceLock::new();
    NAMED.get_or_init(|| Mutex::new(HashMap::new()))
}

/// What the file of digest `sha256` names on the site `own`, when read before (`Some(None)`: it
/// cannot be sent).
fn remembered(own: &OwnSite, sha256: &Sha256) -> Option<Option<Arc<Named>>> {
    let memory = memory().lock().unwrap_or_else(|e| e.into_inner());
    memory.get(&(own.clone(), *sha256)).cloned()
}

/// Remembers what the file of digest `sha256` names on the site `own` ([`NAMED_KEPT`] files at
/// most).
fn remember(own: OwnSite, sha256: Sha256, named: Option<Arc<Named>>) {
    let mut memory = memory().lock().unwrap_or_else(|e| e.into_inner());
    if memory.len() >= NAMED_KEPT {
        memory.clear();
    }
    memory.insert((own, sha256), named);
}

/// Whether `text`, of `kind`, names only what the viewer sees. A Markdown text: every record it embeds or links
/// to anywhere ([`public_text`]), every record stop and every product its front matter names
/// (keys read as `metadata.csv` columns, so `stop`, `product` and their aliases; each value and
/// each of its `,`/`;`/`|`-separated parts), with `record_visible(id)` and `product_visible(id or
/// name)` deciding; and no line states a position (a location column as key, or a value written
/// as coordinates, [`crate::index::location::columns`]). Front matter that does not parse, or a
/// stop that cannot be read, is `false`.
///
/// Any other text (a plain-text file, a PDF's text layer) has no front matter and no position rule of its
/// own (positions in files are [`crate::index::location`]'s, which checks every original's bytes
/// and a PDF's streams): it is judged by the records it embeds or links to ([`public_text`]).
pub fn names_only_visible_in(
    kind: TextKind,
    text: &str,
    own: &OwnSite,
    record_visible: &dyn Fn(&str) -> bool,
    product_visible: &dyn Fn(&str) -> bool,
) -> bool {
    use crate::index::location::columns;
    use crate::ingest::metadata::Column;
    // A link to a product (`product:<id>`, break14 finding 3) is judged as the product.
    let linked_visible = |key: &str| match key.strip_prefix(PRODUCT_KEY) {
        Some(product) => product_visible(product),
        None => record_visible(key),
    };
    if public_text(text, own, &linked_visible) != text {
        return false;
    }
    // A path or URL written bare (`/records/id`, `/media/id/…`, `https://…` at the site's own
    // address, not a Markdown link) names it too.
    let bare_visible = bare_targets(text, own).iter().all(|named| match named {
        Target::Record(id) => record_visible(id),
        Target::Product(id) => product_visible(id),
    });
    if !bare_visible {
        return false;
    }
    if kind != TextKind::Markdown {
        return true;
    }
    let states_position = text.lines().any(|line| {
        let (key, value) = line
            .split_once(':')
            .or_else(|| line.split_once('='))
            .unwrap_or(("", line));
        let key = key.trim().trim_matches('"');
        columns::is_location_column(key) || columns::looks_like_coordinates(value.trim())
    });
    if states_position {
        return false;
    }
    let Ok(parsed) = crate::ingest::frontmatter::split(text) else {
        return false;
    };
    parsed.fields.iter().all(|(key, values)| {
        let parts = values.iter().flat_map(|value| {
            std::iter::once(value.as_str()).chain(value.split([',', ';', '|', '\n']))
        });
        let mut parts = parts.map(str::trim).filter(|part| !part.is_empty());
        match Column::parse(key).0 {
            Column::Stop => parts.all(|part| match Stop::parse(part) {
                Ok(Stop::Record(id)) => record_visible(id.as_str()),
                Ok(Stop::Village(_)) => true,
                // A whole list read as one value is judged by its parts.
                Err(_) => part.contains([',', ';', '|', '\n']),
            }),
            Column::Product => parts.all(product_visible),
            _ => true,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judge(text: &str) -> bool {
        names_only_visible_in(
            TextKind::Markdown,
            text,
            &own(),
            &|id| id.starts_with("pub"),
            &|name| !name.to_lowercase().contains("sec"),
        )
    }

    #[test]
    fn a_visit_naming_a_hidden_stop_is_withheld() {
        let text = "---\nstop:\n  - record:rec-res\n  - village:nha-xa\n---\nChuyến thăm.\n";
        assert!(!judge(text));
        let shown = "---\nstop:\n  - record:pub-1\n  - village:nha-xa\n---\nChuyến thăm.\n";
        assert!(judge(shown));
    }

    #[test]
    fn a_stop_list_in_one_value_is_judged_by_its_parts() {
        assert!(!judge("---\nstop: \"village:a; record:hidden\"\n---\nx\n"));
        assert!(judge("---\nstop: \"village:a; record:pub-2\"\n---\nx\n"));
        assert!(!judge("---\nstop: somewhere\n---\nx\n"));
    }

    #[test]
    fn front_matter_naming_a_hidden_product_is_withheld() {
        assert!(!judge("---\nproduct: [trong-sec, lua-com]\n---\nx\n"));
        assert!(!judge("---\nproduct: lua-com; Trống SEC\n---\nx\n"));
        assert!(judge(
            "---\nproduct: [trong-pub]\nartisan: tran-thi-sec\n---\nx\n"
        ));
    }

    /// Break14 finding 3: a hand-written link to a product is judged as the product.
    #[test]
    fn a_link_to_a_product_is_judged_as_the_product() {
        assert!(judge("Xem [trống](/products/trong-pub).\n"));
        assert!(!judge("Xem [trống](/en/products/trong-sec).\n"));
        assert!(!judge("Xem [trống][r].\n\n[r]: /products/trong-sec\n"));
    }

    #[test]
    fn embeds_positions_and_unreadable_front_matter_are_withheld() {
        assert!(!judge("Đoạn đầu.\n\n[[rec-sec]]\n"));
        assert!(judge("Đoạn đầu.\n\n[[pub-3]]\n"));
        assert!(!judge("---\nlatitude: 20.62\n---\nx\n"));
        assert!(!judge("---\nstop: [record:pub-1\n---\nx\n"));
    }

    /// fix14 point 6: a plain text (or a PDF's text layer) is judged by the records it embeds
    /// or links to; it has no front matter, and positions in files are the location check's.
    #[test]
    fn plain_text_is_judged_by_the_records_it_names() {
        let named = names_of(
            TextKind::Plain,
            "Ghi chú.\n\n[[rec-sec]] và /records/pub-1\n---\nproduct: trong-sec\n",
            &own(),
        )
        .unwrap();
        let mut records = named.records.clone();
        records.sort();
        records.dedup();
        assert_eq!(records, ["pub-1", "rec-sec"]);
        assert!(named.products.is_empty());
        let judge = |text: &str| {
            names_of(TextKind::Plain, text, &own())
                .is_some_and(|named| named.all_visible(&|id| id.starts_with("pub"), &|_| false))
        };
        assert!(!judge("Xem [[rec-sec]]."));
        assert!(!judge("<a href=\"/records/rec-sec\">ảnh</a>"));
        assert!(judge("Xem [[pub-2]] và /records/pub-3."));
        // Not Markdown: a line that reads as a position or front matter is the text's own.
        assert!(judge("Nung ở 900 độ.\nlatitude: 20.5\n"));
        assert_eq!(
            names_of(TextKind::Markdown, "latitude: 20.5\n", &own()),
            None
        );
    }

    fn own() -> OwnSite {
        OwnSite::at(&["https://disan.example"])
    }

    /// fix14: a link or bare URL at the site's own address names what the same path written
    /// relative names, in every form (`/en/`, query, fragment, percent-encoded, a host in NFD);
    /// another host's names nothing here.
    #[test]
    fn absolute_urls_at_the_sites_own_address_name_what_they_point_at() {
        let records = |text: &str| {
            let mut named = names_of(TextKind::Plain, text, &own()).unwrap();
            named.records.sort();
            named.records.dedup();
            named.products.dedup();
            (named.records, named.products)
        };
        for text in [
            "Xem https://disan.example/records/rec-sec.",
            "Xem [ảnh](HTTPS://DISAN.EXAMPLE/en/records/rec-sec?x=1#y)",
            "<a href='https://disan.example/%72ecords/rec%2Dsec'>ảnh</a>",
            "https://disan.example/media/rec-sec/files/a.jpg",
            "//disan.example/en/api/records/rec-sec",
        ] {
            assert_eq!(
                records(text),
                (vec!["rec-sec".to_string()], vec![]),
                "{text}"
            );
        }
        assert_eq!(
            records("Mua https://disan.example/en/products/trong-sec#gia"),
            (vec![], vec!["trong-sec".to_string()])
        );
        assert_eq!(
            records("https://example.org/records/rec-sec và [x](https://other.example/products/p)"),
            (vec![], vec![])
        );
        let vn = OwnSite::at(&["https://di-s\u{1EA3}n.example"]);
        let nfd = names_of(
            TextKind::Markdown,
            "[x](https://di-sa\u{309}n.example/records/rec-sec)",
            &vn,
        )
        .unwrap();
        assert!(!nfd.records.is_empty() && nfd.records.iter().all(|id| id == "rec-sec"));
        // Judged: the Markdown original naming a hidden record by its URL is withheld.
        assert!(!judge("Xem <https://disan.example/records/rec-sec>.\n"));
        assert!(judge("Xem <https://disan.example/records/pub-1>.\n"));
        assert!(judge("Xem <https://example.org/records/rec-sec>.\n"));
    }
}
