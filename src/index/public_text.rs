//! The public text of a record's body: what a visitor may read, computed, never copied.
//!
//! A story's body embeds other records on lines of their own (`[[record-id]]`,
//! `[[record-id | caption]]`, `[[gallery: id, id]]`). Whether an embedded record may be shown
//! depends on its access *now*, not when the story was written, so the raw body is never handed
//! to a visitor: the site and the API show [`public_body`] (embeds of records that are not public
//! removed without a trace, and what is left rewritten from the parsed ids), and the search index
//! holds [`indexed_body`], the same text (so no id, caption or word of a hidden embed is ever
//! searchable or quoted in a snippet; a story is indexed again when a record it embeds is
//! hidden or shown).
//!
//! This module owns the embed syntax; the story renderer (`web::views`) reads it through
//! [`lines`].

use crate::model::Kind;

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

/// The lines of a story's Markdown: a line that is only `[[…]]` (spaces around allowed) is an
/// embed, anything else text.
pub fn lines(markdown: &str) -> impl Iterator<Item = Line<'_>> {
    markdown.lines().map(|line| {
        let Some(inner) = line
            .trim()
            .strip_prefix("[[")
            .and_then(|rest| rest.strip_suffix("]]"))
        else {
            return Line::Text(line);
        };
        match inner.trim().strip_prefix("gallery:") {
            Some(list) => Line::Embed {
                ids: list
                    .split([',', ' '])
                    .map(str::trim)
                    .filter(|id| !id.is_empty())
                    .collect(),
                caption: None,
                gallery: true,
            },
            None => {
                let (id, caption) = match inner.split_once('|') {
                    Some((id, caption)) => (id.trim(), Some(caption.trim())),
                    None => (inner.trim(), None),
                };
                Line::Embed {
                    ids: vec![id],
                    caption,
                    gallery: false,
                }
            }
        }
    })
}

/// The body a visitor may read: for a story, each embed line keeps only the records
/// `is_public` admits (a line left with none disappears, caption included); other kinds have no
/// embeds and are returned as written. Embed lines are rewritten from their parsed ids, so
/// nothing of a removed id survives in spacing or punctuation.
pub fn public_body(kind: Kind, markdown: &str, is_public: &dyn Fn(&str) -> bool) -> String {
    if kind != Kind::Story {
        return markdown.to_string();
    }
    let mut text = String::with_capacity(markdown.len());
    for line in lines(markdown) {
        match line {
            Line::Text(line) => {
                text.push_str(line);
                text.push('\n');
            }
            Line::Embed {
                ids,
                caption,
                gallery,
            } => {
                let shown: Vec<&str> = ids.into_iter().filter(|id| is_public(id)).collect();
                if shown.is_empty() {
                    continue;
                }
                if gallery {
                    text.push_str(&format!("[[gallery: {}]]\n", shown.join(", ")));
                } else if let Some(caption) = caption {
                    text.push_str(&format!("[[{} | {caption}]]\n", shown[0]));
                } else {
                    text.push_str(&format!("[[{}]]\n", shown[0]));
                }
            }
        }
    }
    text
}

/// The body as the search index holds it: exactly what the API shows a visitor
/// ([`public_body`]: embeds of records `shown` admits, with their ids and captions; nothing of
/// the others). When an embedded record is hidden later, the stories embedding it are indexed
/// again in the same commit that hides it (see `index::sync`).
pub fn indexed_body(kind: Kind, markdown: &str, shown: &dyn Fn(&str) -> bool) -> String {
    public_body(kind, markdown, shown)
}

/// The ids a story's body embeds, in order (none for other kinds).
pub fn embedded_ids(kind: Kind, markdown: &str) -> Vec<&str> {
    if kind != Kind::Story {
        return Vec::new();
    }
    lines(markdown)
        .flat_map(|line| match line {
            Line::Embed { ids, .. } => ids,
            Line::Text(_) => Vec::new(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "Mở đầu.\n\n[[pub-zorb]]\n\n[[res-zorb]]\n\n[[rst-zorb | chú thích bí mật flibbertigibbet]]\n\n  [[gallery: pub-zorb, rst-zorb,res-zorb]]  \n\nKết thúc.\n";

    #[test]
    fn embeds_of_records_that_are_not_public_leave_no_id_and_no_caption() {
        let shown = public_body(Kind::Story, STORY, &|id| id == "pub-zorb");
        assert_eq!(
            shown,
            "Mở đầu.\n\n[[pub-zorb]]\n\n\n\n[[gallery: pub-zorb]]\n\nKết thúc.\n"
        );
        for hidden in ["res-zorb", "rst-zorb", "flibbertigibbet", "bí mật"] {
            assert!(!shown.contains(hidden), "{hidden} in {shown}");
        }
    }

    #[test]
    fn the_index_holds_what_the_api_shows_and_nothing_of_hidden_embeds() {
        let public = |id: &str| id == "pub-zorb";
        assert_eq!(
            indexed_body(Kind::Story, STORY, &public),
            public_body(Kind::Story, STORY, &public)
        );
        let captioned = "[[pub-zorb | chú thích]]\nVăn bản.";
        assert_eq!(
            indexed_body(Kind::Story, captioned, &public),
            "[[pub-zorb | chú thích]]\nVăn bản.\n"
        );
        // Hidden since: the id and the caption go with it.
        assert_eq!(
            indexed_body(Kind::Story, captioned, &|_| false),
            "Văn bản.\n"
        );
        assert_eq!(
            embedded_ids(Kind::Story, STORY),
            [
                "pub-zorb", "res-zorb", "rst-zorb", "pub-zorb", "rst-zorb", "res-zorb"
            ]
        );
    }

    #[test]
    fn other_kinds_have_no_embeds() {
        let text = "[[not-an-embed]] is text in a technique.";
        assert_eq!(indexed_body(Kind::Technique, text, &|_| true), text);
        assert!(embedded_ids(Kind::Technique, text).is_empty());
        assert_eq!(public_body(Kind::Technique, text, &|_| false), text);
    }
}
