//! HTML templates, loaded at runtime from `templates/` so curators can restyle the site without a
//! Rust toolchain; copies compiled into the binary stand in for any file that is missing.

use std::path::PathBuf;

use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;

use super::error::WebError;

/// The templates and static files compiled in, by file name (path under `templates/`). Every
/// file under `templates/` is here, in [`BUILT_IN_BINARY`] or in
/// [`super::i18n::LOCALES`]: a test compares the folder with the three lists, so a page added
/// without its built-in copy fails the build's tests rather than answering 500 on a server run
/// outside the repository (break14b finding 2).
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
    ("artisan.html", include_str!("../../templates/artisan.html")),
    (
        "artisans.html",
        include_str!("../../templates/artisans.html"),
    ),
    ("product.html", include_str!("../../templates/product.html")),
    (
        "products.html",
        include_str!("../../templates/products.html"),
    ),
    (
        "ocop_stars.html",
        include_str!("../../templates/ocop_stars.html"),
    ),
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
        "workspace_edit.html",
        include_str!("../../templates/workspace_edit.html"),
    ),
    (
        "workspace_message.html",
        include_str!("../../templates/workspace_message.html"),
    ),
    (
        "workspace_conflict.html",
        include_str!("../../templates/workspace_conflict.html"),
    ),
    (
        "workspace_authority.html",
        include_str!("../../templates/workspace_authority.html"),
    ),
    (
        "workspace_field.html",
        include_str!("../../templates/workspace_field.html"),
    ),
    (
        "workspace_changes.html",
        include_str!("../../templates/workspace_changes.html"),
    ),
    (
        "workspace_history.html",
        include_str!("../../templates/workspace_history.html"),
    ),
    (
        "workspace_withdrawn.html",
        include_str!("../../templates/workspace_withdrawn.html"),
    ),
    (
        "workspace.html",
        include_str!("../../templates/workspace.html"),
    ),
    (
        "workspace_audit.html",
        include_str!("../../templates/workspace_audit.html"),
    ),
    (
        "workspace_uploads.html",
        include_str!("../../templates/workspace_uploads.html"),
    ),
    (
        "workspace_batch.html",
        include_str!("../../templates/workspace_batch.html"),
    ),
    (
        "static/site.css",
        include_str!("../../templates/static/site.css"),
    ),
    (
        "static/site.js",
        include_str!("../../templates/static/site.js"),
    ),
    // OpenSeadragon 6.1.1 (BSD-3-Clause, its LICENSE.txt beside it), the minified build from
    // npm (`npm pack openseadragon`), unchanged: the record page's deep-zoom viewer, served from
    // the site's own origin.
    (
        "static/openseadragon/openseadragon.min.js",
        include_str!("../../templates/static/openseadragon/openseadragon.min.js"),
    ),
    (
        "static/openseadragon/LICENSE.txt",
        include_str!("../../templates/static/openseadragon/LICENSE.txt"),
    ),
    (
        "static/upload.js",
        include_str!("../../templates/static/upload.js"),
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

/// What the log says of a failed render of `name`: `template NAME: KIND (in FILE:LINE)`, then
/// `; caused by: KIND (in FILE:LINE)` for each error beneath it (an include that failed).
///
/// Only kinds and places: minijinja's own text of an error may quote values (its detail, or
/// with the `debug` feature the referenced variables whole), and a page's context may hold a
/// restricted product or description shown to an archivist, which the log must not keep.
pub fn render_failure(name: &str, error: &minijinja::Error) -> String {
    let describe = |error: &minijinja::Error| match (error.name(), error.line()) {
        (Some(file), Some(line)) => format!("{} (in {file}:{line})", error.kind()),
        (Some(file), None) => format!("{} (in {file})", error.kind()),
        _ => error.kind().to_string(),
    };
    let mut text = format!("template {name}: {}", describe(error));
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        if let Some(inner) = inner.downcast_ref::<minijinja::Error>() {
            text.push_str("; caused by: ");
            text.push_str(&describe(inner));
        }
        cause = inner.source();
    }
    text
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
    ///
    /// # Errors
    /// [`WebError::Internal`] when the template is missing or fails; its detail (which the
    /// server logs) is [`render_failure`]: the template's name and the error's kind and place,
    /// never the context (an archivist's page may hold what the log's readers may not see).
    pub fn render(&self, name: &str, context: impl Serialize) -> Result<String, WebError> {
        self.env
            .get_template(name)
            .and_then(|template| template.render(context))
            .map_err(|error| WebError::internal(render_failure(name, &error)))
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use super::*;

    /// The files under `dir`, as paths relative to `root` with `/` separators.
    fn files_under(root: &Path, dir: &Path, found: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files_under(root, &path, found);
            } else {
                let relative = path.strip_prefix(root).unwrap();
                let parts: Vec<String> = relative
                    .components()
                    .map(|part| part.as_os_str().to_string_lossy().into_owned())
                    .collect();
                found.insert(parts.join("/"));
            }
        }
    }

    #[test]
    fn every_file_under_templates_is_built_in() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut on_disk = BTreeSet::new();
        files_under(&root, &root, &mut on_disk);
        let mut built_in = BTreeSet::new();
        for name in BUILT_IN
            .iter()
            .map(|(name, _)| *name)
            .chain(BUILT_IN_BINARY.iter().map(|(name, _)| *name))
            .chain(super::super::i18n::LOCALES.iter().map(|(_, name, _)| *name))
        {
            assert!(
                built_in.insert(name.to_string()),
                "{name} is built in twice"
            );
        }
        let missing: Vec<&String> = on_disk.difference(&built_in).collect();
        let extra: Vec<&String> = built_in.difference(&on_disk).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "not built in (add them to BUILT_IN or BUILT_IN_BINARY in src/web/templates.rs): \
             {missing:?}; built in but not under templates/: {extra:?}"
        );
    }

    #[test]
    fn every_built_in_copy_is_the_file_under_templates() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        for (name, text) in BUILT_IN {
            assert_eq!(
                std::fs::read(root.join(name)).unwrap(),
                text.as_bytes(),
                "{name}"
            );
        }
        for (name, bytes) in BUILT_IN_BINARY {
            assert_eq!(std::fs::read(root.join(name)).unwrap(), *bytes, "{name}");
        }
    }

    /// The names `text` refers to: templates after `include`, `extends`, `import` or `from`
    /// (a quoted literal), and static files as `static/PATH` (paths of `/static/…` URLs).
    fn references(text: &str) -> Vec<String> {
        let mut found = Vec::new();
        for tag in text.split("{%").skip(1) {
            let tag = tag.split("%}").next().unwrap_or_default().trim();
            let mut words = tag.splitn(2, char::is_whitespace);
            if let (Some("include" | "extends" | "import" | "from"), Some(rest)) =
                (words.next(), words.next())
                && let Some(name) = rest.trim().strip_prefix('"')
            {
                found.push(name.split('"').next().unwrap_or_default().to_string());
            }
        }
        for (at, _) in text.match_indices("/static/") {
            let path: String = text[at + 1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || "._-/".contains(*c))
                .collect();
            found.push(path);
        }
        found
    }

    #[test]
    fn every_template_and_static_file_a_built_in_file_refers_to_is_built_in() {
        let known: BTreeSet<&str> = BUILT_IN
            .iter()
            .map(|(name, _)| *name)
            .chain(BUILT_IN_BINARY.iter().map(|(name, _)| *name))
            .collect();
        let mut checked = 0;
        for (file, text) in BUILT_IN {
            for name in references(text) {
                assert!(
                    known.contains(name.as_str()),
                    "{file} refers to {name}, not built in"
                );
                checked += 1;
            }
        }
        // base.html alone names the stylesheet, the script, the icon and four fonts.
        assert!(checked > 7, "{checked} references found");
        assert!(
            references(include_str!("../../templates/village.html"))
                .contains(&"ocop_stars.html".to_string())
        );
    }

    #[test]
    fn every_template_loads_without_the_templates_folder() {
        let templates = Templates::new(None);
        for (name, _) in BUILT_IN.iter().filter(|(name, _)| name.ends_with(".html")) {
            // Loading compiles the template and every template it extends or imports.
            templates
                .env
                .get_template(name)
                .unwrap_or_else(|error| panic!("{name}: {}", render_failure(name, &error)));
        }
    }

    /// A folder holding `files` (`name`, text) as templates.
    fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        dir
    }

    const SECRET: &str = "Sản phẩm bí mật thử nghiệm";

    #[test]
    fn a_failed_render_logs_template_kind_and_place_never_the_context() {
        let dir = folder(&[
            (
                "outer.html",
                "<p>{{ product.name }}</p>\n{% include \"absent.html\" %}",
            ),
            (
                "strict.html",
                "<p>{{ product.name }}</p>\n{{ product.certificate }}",
            ),
            (
                "wrapper.html",
                "<p>{{ product.name }}</p>\n{% include \"strict.html\" %}",
            ),
        ]);
        let templates = Templates::new(Some(dir.path().to_path_buf()));
        let context = serde_json::json!({"product": {"name": SECRET}});
        let cases = [
            (
                "outer.html",
                "template outer.html: template not found (in outer.html:2)",
            ),
            (
                "strict.html",
                "template strict.html: undefined value (in strict.html:2)",
            ),
            (
                "wrapper.html",
                "template wrapper.html: could not render include (in wrapper.html:2); caused by: undefined value (in strict.html:2)",
            ),
            ("nowhere.html", "template nowhere.html: template not found"),
        ];
        for (name, expected) in cases {
            let error = templates.render(name, &context).unwrap_err();
            let WebError::Internal(detail) = &error else {
                panic!("{name}: {error:?}");
            };
            assert_eq!(detail, expected);
            assert!(!detail.contains(SECRET));
            // The visitor reads neither the detail nor the context.
            for lang in [crate::model::Lang::Vi, crate::model::Lang::En] {
                let message = error.message(lang);
                assert_eq!(
                    message,
                    super::super::i18n::text(lang, "error_internal"),
                    "{name}"
                );
            }
        }
    }
}
