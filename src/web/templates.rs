//! HTML templates, loaded at runtime from `templates/` so curators can restyle the site without a
//! Rust toolchain; copies compiled into the binary stand in for any file that is missing.

use std::path::PathBuf;

use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;

use super::error::WebError;

/// The templates and static files compiled in, by file name.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    (
        "account_box.html",
        include_str!("../../templates/account_box.html"),
    ),
    ("home.html", include_str!("../../templates/home.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("record.html", include_str!("../../templates/record.html")),
    ("village.html", include_str!("../../templates/village.html")),
    (
        "villages.html",
        include_str!("../../templates/villages.html"),
    ),
    ("craft.html", include_str!("../../templates/craft.html")),
    (
        "province.html",
        include_str!("../../templates/province.html"),
    ),
    ("error.html", include_str!("../../templates/error.html")),
    ("hits.html", include_str!("../../templates/hits.html")),
    (
        "record_header.html",
        include_str!("../../templates/record_header.html"),
    ),
    ("cite.html", include_str!("../../templates/cite.html")),
    ("related.html", include_str!("../../templates/related.html")),
    ("story.html", include_str!("../../templates/story.html")),
    ("visit.html", include_str!("../../templates/visit.html")),
    ("stories.html", include_str!("../../templates/stories.html")),
    (
        "festivals.html",
        include_str!("../../templates/festivals.html"),
    ),
    (
        "auth_message.html",
        include_str!("../../templates/auth_message.html"),
    ),
    ("login.html", include_str!("../../templates/login.html")),
    ("account.html", include_str!("../../templates/account.html")),
    ("totp.html", include_str!("../../templates/totp.html")),
    (
        "admin_users.html",
        include_str!("../../templates/admin_users.html"),
    ),
    (
        "record_views.html",
        include_str!("../../templates/record_views.html"),
    ),
    (
        "static/site.css",
        include_str!("../../templates/static/site.css"),
    ),
    (
        "static/site.js",
        include_str!("../../templates/static/site.js"),
    ),
    (
        "static/favicon.svg",
        include_str!("../../templates/static/favicon.svg"),
    ),
    (
        "static/map-outline.json",
        include_str!("../../templates/static/map-outline.json"),
    ),
    (
        "static/fonts/OFL.txt",
        include_str!("../../templates/static/fonts/OFL.txt"),
    ),
];

/// Binary static files compiled in: the Be Vietnam Pro fonts (SIL OFL 1.1), Latin and
/// Vietnamese subsets, regular and bold.
const BUILT_IN_BINARY: &[(&str, &[u8])] = &[
    (
        "static/fonts/be-vietnam-pro-latin-400-normal.woff2",
        include_bytes!("../../templates/static/fonts/be-vietnam-pro-latin-400-normal.woff2"),
    ),
    (
        "static/fonts/be-vietnam-pro-latin-700-normal.woff2",
        include_bytes!("../../templates/static/fonts/be-vietnam-pro-latin-700-normal.woff2"),
    ),
    (
        "static/fonts/be-vietnam-pro-vietnamese-400-normal.woff2",
        include_bytes!("../../templates/static/fonts/be-vietnam-pro-vietnamese-400-normal.woff2"),
    ),
    (
        "static/fonts/be-vietnam-pro-vietnamese-700-normal.woff2",
        include_bytes!("../../templates/static/fonts/be-vietnam-pro-vietnamese-700-normal.woff2"),
    ),
];

/// Escapes the five characters that matter in HTML (and XML) text and attribute values.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// The template environment.
pub struct Templates {
    env: Environment<'static>,
    dir: Option<PathBuf>,
}

impl Templates {
    /// Templates from `dir` when given and present, else the built-in ones.
    pub fn new(dir: Option<PathBuf>) -> Self {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        let loader_dir = dir.clone();
        env.set_loader(move |name| {
            if let Some(dir) = &loader_dir {
                match std::fs::read_to_string(dir.join(name)) {
                    Ok(text) => return Ok(Some(text)),
                    Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                    Err(error) => {
                        return Err(minijinja::Error::new(
                            minijinja::ErrorKind::InvalidOperation,
                            format!("cannot read template {name}: {error}"),
                        ));
                    }
                }
            }
            Ok(BUILT_IN
                .iter()
                .find(|(built_in, _)| *built_in == name)
                .map(|(_, text)| (*text).to_string()))
        });
        // The default HTML escaping also escapes '/', which garbles every URL in the page source;
        // escaping the five characters that matter in HTML text and attributes is enough.
        env.set_formatter(|out, state, value| {
            if state.auto_escape() == minijinja::AutoEscape::None || value.is_safe() {
                return minijinja::escape_formatter(out, state, value);
            }
            let escaped = escape(&value.to_string());
            out.write_str(&escaped).map_err(|_| {
                minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "cannot write output")
            })
        });
        env.add_function("tr", super::i18n::template_message);
        env.add_filter("filesize", |bytes: u64| {
            crate::ingest::report::human_bytes(bytes)
        });
        Templates { env, dir }
    }

    /// Renders `name` with `context`.
    pub fn render(&self, name: &str, context: impl Serialize) -> Result<String, WebError> {
        self.env
            .get_template(name)
            .and_then(|template| template.render(context))
            .map_err(|error| WebError::internal(format!("template {name}: {error:#}")))
    }

    /// A static file by its path under `static/` (`site.css`, `fonts/x.woff2`), from the
    /// folder or built in.
    pub fn static_file(&self, name: &str) -> Option<std::borrow::Cow<'static, [u8]>> {
        let safe = name
            .split('/')
            .all(|part| !part.is_empty() && !part.starts_with('.'));
        if !safe || name.split('/').count() > 2 {
            return None;
        }
        let path = format!("static/{name}");
        if let Some(bytes) = self
            .dir
            .as_ref()
            .and_then(|dir| std::fs::read(dir.join(&path)).ok())
        {
            return Some(std::borrow::Cow::Owned(bytes));
        }
        BUILT_IN
            .iter()
            .find(|(built_in, _)| *built_in == path)
            .map(|(_, text)| text.as_bytes())
            .or_else(|| {
                BUILT_IN_BINARY
                    .iter()
                    .find(|(built_in, _)| *built_in == path)
                    .map(|(_, bytes)| *bytes)
            })
            .map(std::borrow::Cow::Borrowed)
    }
}
