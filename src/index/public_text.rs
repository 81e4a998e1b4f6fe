//! The public text of a record: what a visitor may read, computed, never copied.
//!
//! Any text of a record (a story's, technique's or festival's body, any Dublin Core value, any
//! extra column) may embed other records with `[[record-id]]`, `[[record-id | caption]]` or
//! `[[gallery: id, id]]`, on a line of its own, inline in a sentence, in a list item or a
//! quotation, or wrapped over two lines. Whether an embedded record may be shown depends on its
//! access *now*, not when the text was written, so a record's texts are never handed to a visitor
//! as written: the site, the API, JSON-LD, Open Graph, citations and snippets read
//! [`public_record`] (every text passed through [`public_text`]: each `[[…]]` span naming a record
//! that is not public removed without a trace, id and caption both; a gallery keeps only its
//! public ids), and the search index holds the same texts (so no id, caption or word of a hidden
//! embed is ever searchable or quoted in a snippet; a record is indexed again when a record it
//! embeds is hidden or shown, see `index::sync`).
//!
//! A link written by hand to a record (`[text](/records/id)`, `/en/records/…`, `/media/id/…`,
//! or a reference definition of one) is treated alike: one to a record that is not public leaves
//! its text and no id ([`linked_record`]). So is one to a product (`/products/id`,
//! `/en/products/…`): the predicate is asked about `product:<id>` ([`PRODUCT_KEY`]), and one
//! that does not know that form (a record lookup) answers no, so the link goes (break14
//! finding 3: links to hidden products stayed in public text, page and API). A link written
//! absolute with the site's own address (`https://disan.example/records/id`, `/en/`, a query or
//! fragment, percent-encoded, a host in NFD…) or written relative in any form a browser follows is
//! judged the same way, and so is such a URL written bare (`<https://…>`, or in a sentence: it
//! is removed); another host's link is left as written ([`site_links`], fix14). The site passes
//! its own address ([`OwnSite::at`]); the search index, built without it, takes any host as the
//! site's ([`OwnSite::AnyHost`]).
//!
//! Deny by default: the scan is not Markdown-aware (an embed inside a code block is removed
//! too), an id that is not a valid public record id is not public, and an unclosed `[[id…` naming
//! a record that is not public is removed to the end of its line.
//!
//! This module owns the embed syntax; the story renderer (`web::views`) reads embed lines
//! through [`lines`].

use super::site_links::{self, OwnSite, Target};
use crate::model::Record;

/// One line of a story's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line<'a> {
    /// Text, as written.
    Text(&'a str),
    /// An embed line: the records it names, in order, and its caption (`[[id | caption]]`).
    Embed {
        /// The ids named (one, or several for a gallery).
        ids: Vec<&'a str>,
        /// The caption written after `|`, if any (never for a gallery).
        caption: Option<&'a str>,
        /// Whether the line is a `[[gallery: …]]`.
        gallery: bool,
    },
}

/// One `[[…]]` span, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Span<'a> {
    ids: Vec<&'a str>,
    caption: Option<&'a str>,
    gallery: bool,
}

/// Parses the inside of a `[[…]]` span.
fn parse(inner: &str) -> Span<'_> {
    match inner.trim().strip_prefix("gallery:") {
        Some(list) => {
            // A gallery has no caption: anything after `|` is dropped with it.
            let list = list.split('|').next().unwrap_or_default();
            Span {
                ids: list
                    .split(|c: char| c == ',' || c.is_whitespace())
                    .filter(|id| !id.is_empty())
                    .collect(),
                caption: None,
                gallery: true,
            }
        }
        None => {
            let (id, caption) = match inner.split_once('|') {
                Some((id, caption)) => (id.trim(), Some(caption.trim())),
                None => (inner.trim(), None),
            };
            Span {
                ids: if id.is_empty() { Vec::new() } else { vec![id] },
                caption,
                gallery: false,
            }
        }
    }
}

/// A piece of a text: as written, or a `[[…]]` span, parsed (`raw` is all of it as written,
/// `closed` whether it ends with `]]`).
enum Piece<'a> {
    Text(&'a str),
    Embed {
        raw: &'a str,
        span: Span<'a>,
        closed: bool,
    },
}

/// Splits `text` into text and embed spans. A span runs from `[[` to the next `]]`, across a
/// line break but not across a blank line or another `[[`; a `[[` with no such end is an
/// unclosed span to the end of its line.
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("[[") {
        if start > 0 {
            pieces.push(Piece::Text(&rest[..start]));
        }
        let after = &rest[start + 2..];
        let line_end = after.find('\n').unwrap_or(after.len());
        let closed = after.find("]]").filter(|&end| {
            let inner = &after[..end];
            !inner.contains("[[") && !inner.split('\n').skip(1).any(|l| l.trim().is_empty())
        });
        let (inner, consumed) = match closed {
            Some(end) => (&after[..end], start + 2 + end + 2),
            None => {
                // Unclosed: to the end of the line, or to the next `[[` on it.
                let end = after[..line_end].find("[[").unwrap_or(line_end);
                (&after[..end], start + 2 + end)
            }
        };
        let mut span = parse(inner);
        if closed.is_none() {
            // The id of an unclosed span ends at a `]` or a space too.
            span.ids = span
                .ids
                .iter()
                .filter_map(|id| id.split([']', ' ']).next())
                .filter(|id| !id.is_empty())
                .collect();
        }
        pieces.push(Piece::Embed {
            raw: &rest[start..consumed],
            span,
            closed: closed.is_some(),
        });
        rest = &rest[consumed..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest));
    }
    pieces
}

/// `span` as a visitor may read it: `None` when it names no record `is_public` admits, else
/// rewritten from its parsed public ids (nothing of a removed id survives in spacing or
/// punctuation; a caption's line breaks become spaces).
fn public_span(span: &Span<'_>, is_public: &dyn Fn(&str) -> bool) -> Option<String> {
    let shown: Vec<&str> = span
        .ids
        .iter()
        .copied()
        .filter(|id| is_public(id))
        .collect();
    if shown.is_empty() {
        return None;
    }
    if span.gallery {
        return Some(format!("[[gallery: {}]]", shown.join(", ")));
    }
    Some(match span.caption {
        Some(caption) if !caption.is_empty() => {
            let caption: Vec<&str> = caption.split_whitespace().collect();
            format!("[[{} | {}]]", shown[0], caption.join(" "))
        }
        _ => format!("[[{}]]", shown[0]),
    })
}

/// The text a visitor may read: every `[[…]]` span (wherever it stands) keeps only the records
/// `is_public` admits; a span left with none is removed, caption included, and a line it stood
/// alone on (spaces aside) disappears with it. An unclosed `[[id…` whose id is public stays as
/// written; one whose id is not is removed to the end of its line. Everything else is returned
/// as written.
///
/// Links are judged for the site `own`: relative ones, and absolute ones at its own address
/// ([`site_links`]); another host's link is left as written.
pub fn public_text(text: &str, own: &OwnSite, is_public: &dyn Fn(&str) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    // Set after a removed span that began its line: the rest of that line is dropped with it
    // when it is only spaces.
    let mut drop_blank_rest = false;
    for piece in pieces(text) {
        match piece {
            Piece::Text(text) => {
                if drop_blank_rest {
                    drop_blank_rest = false;
                    let line_end = text.find('\n');
                    let rest_of_line = &text[..line_end.unwrap_or(text.len())];
                    if rest_of_line.trim().is_empty() {
                        match line_end {
                            Some(end) => {
                                // The whole line goes: what stood before the span too.
                                let line_start = out.rfind('\n').map_or(0, |n| n + 1);
                                out.truncate(line_start);
                                out.push_str(&text[end + 1..]);
                            }
                            None => {
                                let line_start = out.rfind('\n').map_or(0, |n| n + 1);
                                out.truncate(line_start);
                            }
                        }
                        continue;
                    }
                }
                out.push_str(text);
            }
            Piece::Embed { raw, span, closed } => match public_span(&span, is_public) {
                Some(kept) => {
                    drop_blank_rest = false;
                    out.push_str(if closed { &kept } else { raw });
                }
                None => {
                    let line_start = out.rfind('\n').map_or(0, |n| n + 1);
                    drop_blank_rest = out[line_start..].trim().is_empty();
                }
            },
        }
    }
    if drop_blank_rest {
        // The text ended right after a removed span alone on its line.
        let line_start = out.rfind('\n').map_or(0, |n| n + 1);
        out.truncate(line_start);
    }
    public_links(&out, own, is_public)
}

/// What the visibility predicate of [`public_text`] is asked about for a hand-written link to a
/// product: `product:<id>` (no record id holds a colon, so a record lookup answers no).
pub const PRODUCT_KEY: &str = "product:";

/// What a link destination points at on the site `own`, as the visibility predicate of
/// [`public_text`] is asked about it: a record's id, or `product:<id>` ([`site_links::target`]:
/// relative or absolute at the site's own address, in every form a browser follows).
fn linked_target(destination: &str, own: &OwnSite) -> Option<String> {
    Some(match site_links::target(destination, own)? {
        Target::Record(id) => id,
        Target::Product(id) => format!("{PRODUCT_KEY}{id}"),
    })
}

/// The record a site-relative link destination points at: `/records/{id}`, `/en/records/{id}`,
/// `/media/{id}/…` and the other forms [`site_links::target`] reads; `None` for any other
/// destination, and for every absolute link (another site's links are the author's; an absolute
/// link to the site's own address is judged by [`public_text`], which knows it).
pub fn linked_record(destination: &str) -> Option<String> {
    match site_links::target(destination, &OwnSite::relative_only())? {
        Target::Record(id) => Some(id),
        Target::Product(_) => None,
    }
}

/// One Markdown link written by hand: `[label](destination "title")` inline, or a reference
/// definition line `[label]: destination`.
struct Link {
    /// Byte range of the whole link in the text.
    range: std::ops::Range<usize>,
    /// Byte range of its label (what stays when the link goes), empty for a definition.
    label: std::ops::Range<usize>,
    /// What it points at: a record's id, or `product:<id>` ([`linked_target`]).
    id: String,
}

/// Every hand-written link to a record or a product of the site `own` (see [`linked_target`]) in
/// `text`, in order.
fn record_links(text: &str, own: &OwnSite) -> Vec<Link> {
    let mut links = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        // A reference definition: `[label]: /records/id …` on a line of its own.
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix('[')
            && let Some(close) = rest.find("]:")
        {
            let destination = rest[close + 2..]
                .split_whitespace()
                .next()
                .unwrap_or_default();
            if let Some(id) = linked_target(destination, own) {
                links.push(Link {
                    range: line_start..line_start + line.len(),
                    label: line_start..line_start,
                    id,
                });
                line_start += line.len();
                continue;
            }
        }
        let mut from = 0;
        while let Some(found) = line[from..].find("](") {
            let middle = from + found;
            from = middle + 2;
            let Some(open) = line[..middle].rfind('[') else {
                continue;
            };
            let Some(close) = line[middle + 2..].find(')') else {
                continue;
            };
            let inside = &line[middle + 2..middle + 2 + close];
            let destination = inside.split_whitespace().next().unwrap_or_default();
            let Some(id) = linked_target(destination, own) else {
                continue;
            };
            let end = middle + 2 + close + 1;
            links.push(Link {
                range: line_start + open..line_start + end,
                label: line_start + open + 1..line_start + middle,
                id,
            });
            from = end;
        }
        line_start += line.len();
    }
    links
}

/// Every absolute URL written bare in `text` (`https://…`, also inside `<…>`, an HTML attribute
/// or a link's label) that points at a record or product of the site `own`: where it stands
/// (with the `<…>` of an autolink) and what it points at ([`linked_target`]). A URL ends at a
/// space, a quote, a bracket or `<>`; a final `.`, `,`, `;`, `:`, `!` or `?` is the sentence's.
fn bare_urls(text: &str, own: &OwnSite) -> Vec<(std::ops::Range<usize>, String)> {
    let mut found = Vec::new();
    // ASCII lower-casing keeps every byte offset.
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find("http") {
        let start = from + at;
        from = start + 4;
        if !(lower[start..].starts_with("http:") || lower[start..].starts_with("https:")) {
            continue;
        }
        let end = text[start..]
            .find(|c: char| {
                c.is_whitespace()
                    || matches!(c, '<' | '>' | '"' | '\'' | '`' | '(' | ')' | '[' | ']')
            })
            .map_or(text.len(), |n| start + n);
        let url = text[start..end].trim_end_matches(['.', ',', ';', ':', '!', '?']);
        let end = start + url.len();
        from = from.max(end);
        let Some(id) = linked_target(url, own) else {
            continue;
        };
        let autolink = text[..start].ends_with('<') && text[end..].starts_with('>');
        let range = if autolink {
            start - 1..end + 1
        } else {
            start..end
        };
        found.push((range, id));
    }
    found
}

/// `text` with every hand-written link to a record or product `is_public` does not admit
/// replaced by its label (a reference definition of one is removed), then every bare URL of one
/// removed (an autolink with its `<…>`): no id of a hidden record or product is left in a link.
fn public_links(text: &str, own: &OwnSite, is_public: &dyn Fn(&str) -> bool) -> String {
    // Every link form holds one of these (`](`, `]:`, `/`, or a path hidden behind `\`, `%` or
    // `&#…;`).
    if !text.contains([']', '/', '\\', '%', '&']) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for link in record_links(text, own) {
        if is_public(&link.id) {
            continue;
        }
        out.push_str(&text[at..link.range.start]);
        out.push_str(&text[link.label.clone()]);
        at = link.range.end;
    }
    out.push_str(&text[at..]);
    let labelled = out;
    let mut out = String::with_capacity(labelled.len());
    let mut at = 0;
    for (range, id) in bare_urls(&labelled, own) {
        if is_public(&id) || range.start < at {
            continue;
        }
        out.push_str(&labelled[at..range.start]);
        at = range.end;
    }
    out.push_str(&labelled[at..]);
    out
}

/// `text` as words to search and quote: every `[[…]]` span (closed or not) replaced by its
/// caption, if it has one, between spaces, and by a single space otherwise, so no embed markup
/// (`[[gallery: a, b]]`, `[[id]]`) is ever indexed as words or shown in a snippet (break-12
/// finding 8). Apply it to a text already made public by [`public_text`]: it keeps nothing that
/// text did not show.
pub fn reading_text(text: &str) -> String {
    if !text.contains("[[") {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    for piece in pieces(text) {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Embed { span, .. } => {
                out.push(' ');
                if let Some(caption) = span.caption.filter(|c| !c.is_empty()) {
                    out.push_str(&caption.split_whitespace().collect::<Vec<_>>().join(" "));
                    out.push(' ');
                }
            }
        }
    }
    out
}

/// A copy of `record` as a visitor may read it: [`public_text`] applied to every Dublin Core
/// value (title and description included), every body and every extra column, and a visit's
/// stops at records the visitor may not see left out. This is what the
/// record page, the API, JSON-LD, Open Graph, citations and the search index are made from.
pub fn public_record(record: &Record, own: &OwnSite, is_public: &dyn Fn(&str) -> bool) -> Record {
    let mut public = record.clone();
    // Which versions are withheld, why and by whom is the archivists' business (issue 16's
    // revision deletion): never on a page, in the API or in the index.
    public.withheld_versions.clear();
    for values in public.dc.values_mut() {
        for value in values {
            value.value = public_text(&value.value, own, is_public);
        }
    }
    for body in public.body.values_mut() {
        *body = public_text(body, own, is_public);
    }
    for values in public.extra.values_mut() {
        for value in values {
            *value = public_text(value, own, is_public);
        }
    }
    // A visit's stop at a record the visitor may not see is not there at all (issue 14).
    public
        .stops
        .retain(|stop| stop.record().is_none_or(|id| is_public(id.as_str())));
    public
}

/// The ids `text` embeds, in order (galleries' ids one by one).
pub fn embedded_ids(text: &str) -> Vec<&str> {
    pieces(text)
        .into_iter()
        .flat_map(|piece| match piece {
            Piece::Embed { span, .. } => span.ids,
            Piece::Text(_) => Vec::new(),
        })
        .collect()
}

/// The ids any text of `record` embeds or links to by hand (Dublin Core values, bodies, extra
/// columns) and a visit's record stops, in order, each once: the records whose visibility
/// changes what its text shows. Absolute links at any host count ([`OwnSite::AnyHost`], as the
/// search index reads them).
pub fn record_embeds(record: &Record) -> Vec<String> {
    let texts = record
        .dc
        .values()
        .flatten()
        .map(|value| value.value.as_str())
        .chain(record.body.values().map(String::as_str))
        .chain(record.extra.values().flatten().map(String::as_str));
    // A visit's record stops, first: what its page shows depends on them too.
    let mut ids: Vec<String> = Vec::new();
    for id in record.stops.iter().filter_map(crate::model::Stop::record) {
        if !ids.contains(&id.to_string()) {
            ids.push(id.to_string());
        }
    }
    for text in texts {
        // Links to products are left out: they name no record.
        let linked = record_links(text, &OwnSite::AnyHost)
            .into_iter()
            .map(|link| link.id)
            .chain(
                bare_urls(text, &OwnSite::AnyHost)
                    .into_iter()
                    .map(|(_, id)| id),
            )
            .filter(|id| !id.starts_with(PRODUCT_KEY));
        for id in embedded_ids(text)
            .into_iter()
            .map(str::to_string)
            .chain(linked)
        {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    ids
}

/// Everything `text` names, as the visibility predicate of [`public_text`] is asked about it
/// (record ids, `product:<id>`), in order, each once: embeds, hand-written links, and paths or
/// URLs written bare ([`site_links::bare_targets`]), at any host ([`OwnSite::AnyHost`]). For
/// text read from an original file, which is indexed only when all it names may be seen.
pub fn named_keys(text: &str) -> Vec<String> {
    let own = OwnSite::AnyHost;
    let bare = site_links::bare_targets(text, &own)
        .into_iter()
        .map(|found| match found {
            Target::Record(id) => id,
            Target::Product(id) => format!("{PRODUCT_KEY}{id}"),
        });
    let mut keys: Vec<String> = Vec::new();
    for key in embedded_ids(text)
        .into_iter()
        .map(str::to_string)
        .chain(record_links(text, &own).into_iter().map(|link| link.id))
        .chain(bare)
    {
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

/// The lines of a story's Markdown: a line that is exactly one closed `[[…]]` span (spaces
/// around allowed) is an embed, anything else text (an inline embed is shown as text).
pub fn lines(markdown: &str) -> impl Iterator<Item = Line<'_>> {
    markdown.lines().map(|line| {
        let trimmed = line.trim();
        let single = trimmed
            .strip_prefix("[[")
            .and_then(|rest| rest.strip_suffix("]]"))
            .filter(|inner| !inner.contains("[[") && !inner.contains("]]"));
        match single {
            Some(inner) => {
                let span = parse(inner);
                Line::Embed {
                    ids: span.ids,
                    caption: span.caption,
                    gallery: span.gallery,
                }
            }
            None => Line::Text(line),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "Mở đầu.\n\n[[pub-zorb]]\n\n[[res-zorb]]\n\n[[rst-zorb | chú thích bí mật flibbertigibbet]]\n\n  [[gallery: pub-zorb, rst-zorb,res-zorb]]  \n\nKết thúc.\n";

    fn public(id: &str) -> bool {
        id == "pub" || id == "pub-zorb"
    }

    fn own() -> OwnSite {
        OwnSite::at(&["https://disan.example"])
    }

    #[test]
    fn embeds_of_records_that_are_not_public_leave_no_id_and_no_caption() {
        let shown = public_text(STORY, &OwnSite::AnyHost, &public);
        assert_eq!(
            shown,
            "Mở đầu.\n\n[[pub-zorb]]\n\n\n\n  [[gallery: pub-zorb]]  \n\nKết thúc.\n"
        );
        for hidden in ["res-zorb", "rst-zorb", "flibbertigibbet", "bí mật"] {
            assert!(!shown.contains(hidden), "{hidden} in {shown}");
        }
    }

    /// Regression (inline-embed): embeds that are not alone on their line.
    #[test]
    fn embeds_anywhere_in_a_line_or_over_two_lines_are_removed() {
        let cases = [
            (
                "See [[hid | capinline]] inline in text.",
                "See  inline in text.",
            ),
            ("- [[hid | caplist]]\n- kept", "- \n- kept"),
            ("> [[hid | capquote]]\n", "> \n"),
            ("a\n[[hid\n| capmultiline]]\nb", "a\nb"),
            ("[[hid]] [[pub]]\n", "[[pub]]\n"),
            ("[[pub]] [[hid | x]]", "[[pub]] "),
            ("x [[pub|cap\n two]] y", "x [[pub | cap two]] y"),
            ("```\n[[hid | capcode]]\n```\n", "```\n```\n"),
            ("[[gallery: pub , hid | capgallery]]", "[[gallery: pub]]"),
            ("[[gallery:hid,pub]]", "[[gallery: pub]]"),
            ("[[hid | cap [nested] brackets]]\nz", "z"),
            ("[[hid | cap | double]]", ""),
            ("[[hid|]]", ""),
            ("[[ hid ]]", ""),
            ("[[HID | capupper]]", ""),
            ("[[pub|]]", "[[pub]]"),
            ("unclosed [[hid | capopen\nnext", "unclosed \nnext"),
            ("unclosed [[pub | open\n", "unclosed [[pub | open\n"),
            ("[[a [[hid | c]] b", " b"),
            (
                "para [[hid\n\nnot a caption]] end",
                "para \n\nnot a caption]] end",
            ),
            ("Body [[hid | captechnique]]", "Body "),
        ];
        for (written, shown) in cases {
            assert_eq!(
                public_text(written, &OwnSite::AnyHost, &public),
                shown,
                "{written:?}"
            );
        }
    }

    #[test]
    fn embedded_ids_are_found_wherever_they_stand() {
        assert_eq!(
            embedded_ids(STORY),
            [
                "pub-zorb", "res-zorb", "rst-zorb", "pub-zorb", "rst-zorb", "res-zorb"
            ]
        );
        assert_eq!(
            embedded_ids("See [[a | x]], [[b\n| y]] and [[gallery: c, d]]; [[e"),
            ["a", "b", "c", "d", "e"]
        );
    }

    #[test]
    fn text_without_embeds_is_returned_as_written() {
        let text = "Văn bản [không] phải [ [embed] ]] ]]\n";
        assert_eq!(public_text(text, &OwnSite::AnyHost, &|_| false), text);
    }

    #[test]
    fn lines_are_embeds_only_when_one_span_fills_them() {
        let parsed: Vec<Line> = lines("  [[pub | c]] \n[[a]] [[b]]\ntext").collect();
        assert_eq!(
            parsed,
            [
                Line::Embed {
                    ids: vec!["pub"],
                    caption: Some("c"),
                    gallery: false
                },
                Line::Text("[[a]] [[b]]"),
                Line::Text("text"),
            ]
        );
    }

    /// Regression (break-12 finding 8): embed markup is never words to search or quote.
    #[test]
    fn reading_text_keeps_captions_and_drops_embed_markup() {
        assert_eq!(
            reading_text(
                "Trống.\n\n[[gallery: doi-son-le-hoi-tich-dien, doi-tam-hoa-van-1]]\n\nHết."
            ),
            "Trống.\n\n \n\nHết."
        );
        assert_eq!(
            reading_text("Xem [[pub-zorb | chiếc  trống\ncổ]] và [[pub-zorb]] nhé [[pub-x"),
            "Xem  chiếc trống cổ  và   nhé  "
        );
        assert_eq!(reading_text("không có gì"), "không có gì");
    }

    /// Regression (break-13): a link written by hand to a record that is not public keeps its
    /// words and loses its id, in every form a site link takes; other links stay as written.
    #[test]
    fn hand_written_links_to_hidden_records_leave_their_words_only() {
        let public = |id: &str| id.starts_with("pub");
        let text = "Xem [ảnh](/records/pub-anh), [bí kíp](/records/an-bi-mat \"tựa\"), \
                    [EN](/en/records/an-bi-mat?x=1#y), [phim](</media/an-bi-mat/files/p.mp4>), \
                    [ngoài](https://example.org/) và [tham chiếu][r].\n\n[r]: /records/an-bi-mat\n";
        assert_eq!(
            public_text(text, &own(), &public),
            "Xem [ảnh](/records/pub-anh), bí kíp, EN, phim, [ngoài](https://example.org/) và \
             [tham chiếu][r].\n\n"
        );
        let record_text = "[a](/records/an-bi-mat) [b](/records/pub-b) [[pub-c]]";
        let ids: Vec<String> = record_links(record_text, &own())
            .into_iter()
            .map(|l| l.id)
            .collect();
        assert_eq!(ids, ["an-bi-mat", "pub-b"]);
        assert_eq!(
            public_text("không có liên kết", &own(), &public),
            "không có liên kết"
        );
    }

    /// Break14 finding 3: hand-written links to a product the reader may not see (inline,
    /// `/en/`, `<…>`, reference-style) leave their words only; one to a product the predicate
    /// admits stays; a record lookup, which does not know `product:`, admits none.
    #[test]
    fn hand_written_links_to_hidden_products_leave_their_words_only() {
        let text = "Xem [sản phẩm mẫu](/products/sp-mat), [EN](/en/products/sp-phuong?x=1), \
                    [góc](</products/sp-mat#a>), [mở](/products/sp-mo) và [tham chiếu][ref].\n\n\
                    [ref]: /products/sp-mat\n";
        let products = |key: &str| key == "product:sp-mo";
        assert_eq!(
            public_text(text, &own(), &products),
            "Xem sản phẩm mẫu, EN, góc, [mở](/products/sp-mo) và [tham chiếu][ref].\n\n"
        );
        let records_only = |id: &str| !id.contains(':');
        assert!(!public_text(text, &own(), &records_only).contains("/products/"));
        let ids: Vec<String> = record_links("[a](/products/sp-mat) [b](/records/pub-b)", &own())
            .into_iter()
            .map(|l| l.id)
            .collect();
        assert_eq!(ids, ["product:sp-mat", "pub-b"]);
    }

    /// fix14: links to hidden records or products written absolute with the site's own address,
    /// in every form a browser follows, leave their words only (a bare URL leaves nothing), as
    /// relative ones do; other hosts' links and links to what may be seen stay as written.
    #[test]
    fn absolute_links_at_the_sites_own_address_are_judged_like_relative_ones() {
        let public = |id: &str| id.starts_with("pub") || id == "product:sp-mo";
        let cases = [
            ("[a](https://disan.example/records/an-bi-mat)", "a"),
            ("[b](HTTPS://Disan.Example/en/records/an-bi-mat?x=1#y)", "b"),
            ("[c](https://disan.example/%72ecords/an%2Dbi-mat)", "c"),
            (
                "[d](//disan.example/media/an-bi-mat/files/p.mp4 \"t\")",
                "d",
            ),
            ("[e](<https://disan.example/en/products/sp-mat>)", "e"),
            (
                "[f][r]\n\n[r]: https://disan.example/records/an-bi-mat\n",
                "[f][r]\n\n",
            ),
            ("[g](an-bi-mat) [h](../records/an-bi-mat)", "g h"),
            ("Xem https://disan.example/records/an-bi-mat.", "Xem ."),
            (
                "Xem <https://disan.example/products/sp-mat> nhé",
                "Xem  nhé",
            ),
            (
                "[https://disan.example/records/an-bi-mat](https://disan.example/records/an-bi-mat)",
                "",
            ),
            (
                "<a href=\"https://disan.example/records/an-bi-mat\">x</a>",
                "<a href=\"\">x</a>",
            ),
            ("https:&#x2F;&#x2F;disan.example&#47;records/an-bi-mat", ""),
        ];
        for (written, shown) in cases {
            assert_eq!(public_text(written, &own(), &public), shown, "{written}");
        }
        for kept in [
            "[x](https://example.org/records/an-bi-mat) https://example.org/records/an-bi-mat",
            "[p](https://disan.example/records/pub-1) https://disan.example/en/records/pub-1",
            "<https://disan.example/products/sp-mo> [q](https://disan.example/villages/x)",
            "[m](mailto:an-bi-mat@disan.example) [n](#an-bi-mat)",
        ] {
            assert_eq!(public_text(kept, &own(), &public), kept);
        }
        // A host written in NFD is the site's host written in NFC.
        let vn = OwnSite::at(&["https://di-s\u{1EA3}n.example"]);
        let nfd = "[v](https://di-sa\u{309}n.example/records/an-bi-mat)";
        assert_eq!(public_text(nfd, &vn, &public), "v");
        // The index, which does not know the address, takes every host as the site's.
        assert_eq!(
            public_text(
                "[x](https://example.org/records/an-bi-mat)",
                &OwnSite::AnyHost,
                &public
            ),
            "x"
        );
        // What `record_embeds` notes for the index: bare URLs too.
        let bare: Vec<String> = bare_urls(
            "Xem https://disan.example/records/an-bi-mat",
            &OwnSite::AnyHost,
        )
        .into_iter()
        .map(|(_, id)| id)
        .collect();
        assert_eq!(bare, ["an-bi-mat"]);
    }
}
