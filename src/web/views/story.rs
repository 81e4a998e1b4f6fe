//! Stories: Markdown bodies rendered safely, and the records a story embeds (`[[id]]`,
//! `[[id | caption]]`, `[[gallery: id, id]]`) shown as figures.

use crate::index::public_text::linked_record;
use crate::web::i18n::Shown;
use crate::web::templates::escape;

/// Markdown rendered to HTML with raw HTML shown as text: nothing an archivist typed can run.
pub fn render_markdown(markdown: &str) -> String {
    render_markdown_with(markdown, &|_| true)
}

/// [`render_markdown`], keeping a link only when `keep(destination)`: a link that is not kept
/// leaves its text, without its destination.
fn render_markdown_with(markdown: &str, keep: &dyn Fn(&str) -> bool) -> String {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd, html};
    let mut dropping = false;
    let events = Parser::new(markdown).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        // Links do not nest in CommonMark: one flag follows the link being dropped.
        Event::Start(Tag::Link { ref dest_url, .. }) if !keep(dest_url) => {
            dropping = true;
            None
        }
        Event::End(TagEnd::Link) if dropping => {
            dropping = false;
            None
        }
        other => Some(other),
    });
    let mut rendered = String::new();
    html::push_html(&mut rendered, events);
    rendered
}

/// A record embedded in a story, as its page links and shows it.
#[derive(Debug, Clone)]
pub struct Embed {
    /// Its title in the visitor's language.
    pub title: Shown,
    /// Its page, in the visitor's language.
    pub url: String,
    /// Its kind's label.
    pub kind_label: &'static str,
    /// Display image and its size, when it has one.
    pub image: Option<(String, Option<u32>, Option<u32>)>,
    /// A film to play.
    pub video: Option<String>,
    /// A sound to play.
    pub audio: Option<String>,
    /// The note shown instead of media when the record's description is public and its files
    /// are not (`files_access`): the embed shows its title and link, no media, and this neutral
    /// note, which never names who may see them.
    pub files_reserved: Option<&'static str>,
    /// Who may see the record when it is not public ("For researchers"), shown to signed-in
    /// viewers beside its title; `None` for a public record (so always for anonymous visitors).
    pub badge: Option<String>,
}

/// Finds a record a story embeds: `None` for anything unknown or not public.
pub type Resolve<'a> = dyn Fn(&str) -> Option<Embed> + 'a;

/// Private-use character around embed placeholders; stripped from story text first, so no
/// archivist's text can forge one.
const EMBED_MARK: char = '\u{E000}';

/// A story's Markdown as HTML, with each paragraph that is only `[[record-id]]`,
/// `[[record-id | caption]]` or `[[gallery: id, id, id]]` replaced by the records it names.
/// Records `resolve` does not return (unknown or not public) are left out without a trace.
pub fn render_story(markdown: &str, resolve: &Resolve<'_>) -> String {
    let mut embeds: Vec<String> = Vec::new();
    let mut text = String::with_capacity(markdown.len());
    for line in markdown.replace(EMBED_MARK, "").lines() {
        let trimmed = line.trim();
        let inner = trimmed
            .strip_prefix("[[")
            .and_then(|rest| rest.strip_suffix("]]"));
        match inner {
            Some(inner) => {
                text.push_str(&format!("\n{EMBED_MARK}{}{EMBED_MARK}\n\n", embeds.len()));
                embeds.push(embed_html(inner, resolve));
            }
            None => {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    // A link written by hand to a record the viewer may not see leaves its text and no id,
    // as an embed of it leaves nothing.
    let keep =
        |destination: &str| linked_record(destination).is_none_or(|id| resolve(&id).is_some());
    let mut html = render_markdown_with(&text, &keep);
    for (n, embed) in embeds.iter().enumerate() {
        html = html.replace(&format!("<p>{EMBED_MARK}{n}{EMBED_MARK}</p>"), embed);
    }
    html
}

/// The HTML of one embed line's content (between the brackets).
fn embed_html(inner: &str, resolve: &Resolve<'_>) -> String {
    if let Some(list) = inner.trim().strip_prefix("gallery:") {
        let items: Vec<String> = list
            .split([',', ' '])
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .filter_map(resolve)
            .map(|embed| embed_figure(&embed, None, true))
            .collect();
        if items.is_empty() {
            return String::new();
        }
        return format!("<div class=\"embed gallery\">{}</div>", items.concat());
    }
    let (id, caption) = match inner.split_once('|') {
        Some((id, caption)) => (id.trim(), Some(caption.trim())),
        None => (inner.trim(), None),
    };
    resolve(id).map_or_else(String::new, |embed| embed_figure(&embed, caption, false))
}

fn embed_figure(embed: &Embed, caption: Option<&str>, in_gallery: bool) -> String {
    let title = escape(&embed.title.text);
    let lang = embed.title.lang;
    let has_media = embed.video.is_some() || embed.image.is_some() || embed.audio.is_some();
    let mut html = String::from(match (in_gallery, has_media) {
        (_, false) => "<figure class=\"embed embed-record\">",
        (true, true) => "<figure>",
        (false, true) => "<figure class=\"embed\">",
    });
    if let Some(video) = &embed.video {
        html.push_str(&format!(
            "<video controls preload=\"metadata\" src=\"{}\"></video>",
            escape(video)
        ));
    } else if let Some((src, width, height)) = &embed.image {
        let size = match (width, height) {
            (Some(w), Some(h)) => format!(" width=\"{w}\" height=\"{h}\""),
            _ => String::new(),
        };
        html.push_str(&format!(
            "<a href=\"{}\"><img src=\"{}\" alt=\"{title}\" lang=\"{lang}\"{size} loading=\"lazy\"></a>",
            escape(&embed.url),
            escape(src)
        ));
    }
    if let Some(audio) = &embed.audio {
        html.push_str(&format!(
            "<audio controls preload=\"metadata\" src=\"{}\"></audio>",
            escape(audio)
        ));
    }
    let mut link = format!(
        "<a href=\"{}\" lang=\"{lang}\">{title}</a> <span class=\"meta\">({})</span>",
        escape(&embed.url),
        embed.kind_label
    );
    if let Some(note) = embed.files_reserved {
        link.push_str(&format!(
            " <span class=\"file-note\">{}</span>",
            escape(note)
        ));
    }
    if let Some(badge) = &embed.badge {
        link.push_str(&format!(
            " <strong class=\"badge audience\">{}</strong>",
            escape(badge)
        ));
    }
    match caption {
        Some(caption) => html.push_str(&format!(
            "<figcaption>{}<br>{link}</figcaption></figure>",
            escape(caption)
        )),
        None => html.push_str(&format!("<figcaption>{link}</figcaption></figure>")),
    }
    html
}

/// The ids a story's body embeds, in order.
pub fn embedded_ids(markdown: &str) -> Vec<String> {
    crate::index::public_text::lines(markdown)
        .flat_map(|line| match line {
            crate::index::public_text::Line::Embed { ids, .. } => ids,
            crate::index::public_text::Line::Text(_) => Vec::new(),
        })
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lang;
    use crate::web::i18n::shown;

    #[test]
    fn markdown_bodies_cannot_carry_active_html() {
        let html =
            render_markdown("**Đậm** <script>alert(1)</script> <img src=x onerror=alert(1)>");
        assert!(html.contains("<strong>Đậm</strong>"));
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
    }

    #[test]
    fn stories_embed_public_records_and_nothing_else() {
        let resolve = |id: &str| -> Option<Embed> {
            (id == "anh" || id == "phim").then(|| Embed {
                title: shown(Lang::Vi, "Ảnh <đẹp>", None),
                url: format!("/records/{id}"),
                kind_label: "Ảnh",
                image: (id == "anh")
                    .then(|| ("/media/anh/display/0".to_string(), Some(1600), Some(1200))),
                video: (id == "phim").then(|| "/media/phim/files/phim.mp4".to_string()),
                audio: None,
                files_reserved: None,
                badge: (id == "phim").then(|| "Dành cho nhà nghiên cứu".to_string()),
            })
        };
        let html = render_story(
            "Mở đầu.\n\n[[anh]]\n\nGiữa [[anh]] trong câu.\n\n[[an-bi-mat]]\n\n[[gallery: anh, an-bi-mat, phim]]\n\n[[anh | Chú thích <b>]]\n\n\u{E000}0\u{E000}",
            &resolve,
        );
        assert_eq!(html.matches("<figure").count(), 4, "{html}");
        assert!(
            html.contains("<img src=\"/media/anh/display/0\" alt=\"Ảnh &lt;đẹp&gt;\""),
            "{html}"
        );
        assert!(html.contains("<video controls"));
        // A record that is not public says who may see it, once per embed of it.
        assert_eq!(
            html.matches("<strong class=\"badge audience\">Dành cho nhà nghiên cứu</strong>")
                .count(),
            1,
            "{html}"
        );
        assert!(
            html.contains("Giữa [[anh]] trong câu."),
            "inline brackets stay text"
        );
        assert!(
            !html.contains("an-bi-mat"),
            "an unresolved id leaks: {html}"
        );
        assert!(html.contains("Chú thích &lt;b&gt;"));
        assert!(!html.contains('\u{E000}'), "a forged placeholder survived");
    }

    #[test]
    fn hand_written_links_to_records_the_viewer_may_not_see_leave_only_their_text() {
        let resolve = |id: &str| -> Option<Embed> {
            (id == "anh").then(|| Embed {
                title: shown(Lang::Vi, "Ảnh", None),
                url: "/records/anh".to_string(),
                kind_label: "Ảnh",
                image: None,
                video: None,
                audio: None,
                files_reserved: None,
                badge: None,
            })
        };
        let html = render_story(
            "Xem [ảnh](/records/anh), [bí mật](/records/an-bi-mat?x=1#y), \
             [bản tiếng Anh](/en/records/an-bi-mat), [phim](/media/an-bi-mat/files/p.mp4) \
             và [trang ngoài](https://example.org/records/an-bi-mat).",
            &resolve,
        );
        assert!(html.contains("<a href=\"/records/anh\">ảnh</a>"), "{html}");
        for text in ["bí mật", "bản tiếng Anh", "phim"] {
            assert!(html.contains(text), "{text}: {html}");
        }
        assert!(
            html.contains("<a href=\"https://example.org/records/an-bi-mat\">"),
            "another site's links are the author's: {html}"
        );
        assert_eq!(html.matches("an-bi-mat").count(), 1, "{html}");
    }
}
