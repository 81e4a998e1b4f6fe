//! Whether a Markdown original may be sent, listed and hashed for a viewer: what its text names.
//!
//! A text record (a technique write-up, a festival, a story, a visit) is archived with its
//! Markdown original, front matter included. That front matter and body name other things:
//! records it embeds or links to (`[[id]]`, `/records/id`), a visit's stops (`stop:
//! record:rec-res`), the products it shows (`product: [trong-sec]`). The record page and the API
//! drop every name the viewer may not see, but the original holds them as written, so sending
//! it, or publishing its URL and SHA-256 (against which a guessed list of ids can be checked
//! offline), would name a record or product that "does not exist" for that viewer (break14
//! findings 1 and 2).
//!
//! The rule, deny by default: a Markdown original exists for a viewer other than an archivist
//! only when everything it names is visible to that viewer and none of its lines states a
//! position. A text that cannot be read (too large, not UTF-8, front matter that does not parse,
//! a stop that is not `village:`/`record:`) is withheld. For any other viewer the original is
//! exactly an unknown path: no `/media/{id}/files/{name}`, no entry in the API's or the record
//! page's file list ([`super::media::copies_and_previews`]). Artisans and villages exist for every
//! viewer (only an artisan's dates and description are guarded), so naming one reveals nothing.

use crate::index::public_text::{PRODUCT_KEY, public_text};
use crate::model::access::Viewer;
use crate::model::{FileEntry, Stop};

use super::Site;

/// Markdown originals read at most, in bytes; a larger one is not sent to visitors as written.
const MARKDOWN_LIMIT: u64 = 4 * 1024 * 1024;

/// Whether `file` is a Markdown text (the source of a record's body and front matter).
pub fn is_markdown(file: &FileEntry) -> bool {
    let path = file.path.to_lowercase();
    file.format.mime == "text/markdown" || path.ends_with(".md") || path.ends_with(".markdown")
}

/// Whether the Markdown original at `path` may be sent as written to `viewer` (not an
/// archivist, who receives every original): only when [`names_only_visible`] holds for its
/// text. A file that cannot be read, or is over 4 MiB, is withheld.
pub fn markdown_is_public(site: &Site, viewer: &Viewer, path: &std::path::Path) -> bool {
    let fits = std::fs::metadata(path).is_ok_and(|m| m.len() <= MARKDOWN_LIMIT);
    let Some(text) = fits.then(|| std::fs::read_to_string(path).ok()).flatten() else {
        return false;
    };
    let authorities = site.authorities();
    names_only_visible(&text, &|id| site.is_visible_for(viewer, id), &|name| {
        authorities
            .free_text_shown(&[name.to_string()], viewer)
            .len()
            == 1
    })
}

/// Whether the Markdown `text` names only what the viewer sees: every record it embeds or links
/// to anywhere ([`public_text`]), every record stop and every product its front matter names
/// (keys read as `metadata.csv` columns, so `stop`, `product` and their aliases; each value and
/// each of its `,`/`;`/`|`-separated parts), with `record_visible(id)` and `product_visible(id or
/// name)` deciding; and no line states a position (a location column as key, or a value written
/// as coordinates, [`crate::index::location::columns`]). Front matter that does not parse, or a
/// stop that cannot be read, is `false`.
pub fn names_only_visible(
    text: &str,
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
    if public_text(text, &linked_visible) != text {
        return false;
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
        names_only_visible(text, &|id| id.starts_with("pub"), &|name| {
            !name.to_lowercase().contains("sec")
        })
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
}
