//! Splitting a Markdown text record into its front matter and its body.
//!
//! Technique write-ups, festival records and stories arrive as Markdown with their metadata on top:
//! YAML between `---` lines or TOML between `+++` lines, keyed by the same column names as
//! `metadata.csv`. A key may hold one value or a list.
//!
//! Front matter is untrusted input parsed by general YAML and TOML parsers, so it is held to
//! budgets before and after parsing: its size ([`MAX_FRONT_MATTER_BYTES`]), bracket nesting
//! ([`MAX_FRONT_MATTER_NESTING`], checked in one pass, since deeply nested `[` costs the YAML
//! parser quadratic time), YAML aliases ([`MAX_FRONT_MATTER_ALIASES`]: 300 KB of `*x` once
//! expanded to a 106 MB record) and the size of its values once expanded
//! ([`MAX_FRONT_MATTER_VALUES`]). The Markdown body is held to a size ([`MAX_BODY_BYTES`]) and a
//! quotation depth ([`MAX_BODY_NESTING`]), which bound the record and its rendered page.

use crate::model::Message;
use crate::model::text::nfc;
use crate::msg;

/// Bytes of front matter (between the fences) accepted: 64 KiB.
pub const MAX_FRONT_MATTER_BYTES: usize = 64 << 10;

/// Depth to which `[` and `{` may nest in front matter: 16 (a list of values needs 1).
pub const MAX_FRONT_MATTER_NESTING: usize = 16;

/// YAML aliases (`*name`) front matter may use: 100.
pub const MAX_FRONT_MATTER_ALIASES: usize = 100;

/// Bytes all values of the front matter may hold once parsed, aliases expanded: 1 MiB.
pub const MAX_FRONT_MATTER_VALUES: usize = 1 << 20;

/// Bytes of Markdown body a text may have: 2 MiB (a long write-up is tens of KB). The body is
/// kept in the record and rendered on its page, so its size bounds both.
pub const MAX_BODY_BYTES: usize = 2 << 20;

/// Depth to which a body may nest quotations (`>`), each level of which the page renders as an
/// element (`>` × 200,000 made a 5.4 MB page): 32.
pub const MAX_BODY_NESTING: usize = 32;

/// Depth to which a body may nest square brackets, link text inside link text, which the
/// Markdown parser resolves in time growing with the square of the depth (`[` × 400,000 around a
/// word took 33 s): 32.
pub const MAX_BODY_BRACKETS: usize = 32;

/// A parsed text record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextRecord {
    /// Keys and their values, in order (values NFC).
    pub fields: Vec<(String, Vec<String>)>,
    /// The Markdown body (NFC, trimmed).
    pub body: String,
}

/// Splits `text` (UTF-8). Text without front matter is all body.
///
/// Fences are recognised leniently, the same way for the opening and the closing one: a
/// byte-order mark, blank lines before the opening fence, spaces around a fence and CRLF line
/// ends are all accepted. A text whose top still looks like front matter (a fence-like first
/// line, or a line of the first paragraph reading as a key such as `access:`, `kind:`,
/// `dc.title:`) without being recognised as such is an error: its metadata, perhaps its access,
/// would otherwise be published as its body.
pub fn split(text: &str) -> Result<TextRecord, Message> {
    let record = split_unchecked(text)?;
    check_body(&record.body)?;
    Ok(record)
}

/// Refuses a body over [`MAX_BODY_BYTES`], nesting quotations past [`MAX_BODY_NESTING`] or
/// square brackets past [`MAX_BODY_BRACKETS`].
fn check_body(body: &str) -> Result<(), Message> {
    if body.len() > MAX_BODY_BYTES {
        return Err(msg!(
            "text-too-large",
            "the text is too large: {size} bytes, over the budget of {budget} MiB",
            size = body.len(),
            budget = MAX_BODY_BYTES >> 20
        ));
    }
    for line in body.lines() {
        let depth = line
            .chars()
            .take_while(|c| *c == '>' || c.is_whitespace())
            .filter(|c| *c == '>')
            .count();
        if depth > MAX_BODY_NESTING {
            return Err(msg!(
                "text-quotations-too-deep",
                "the text is too deeply nested: quotations nest more than {depth} deep",
                depth = MAX_BODY_NESTING
            ));
        }
    }
    let (mut brackets, mut escaped) = (0usize, false);
    for byte in body.bytes() {
        match byte {
            _ if escaped => escaped = false,
            b'\\' => escaped = true,
            b'[' => {
                brackets += 1;
                if brackets > MAX_BODY_BRACKETS {
                    return Err(msg!(
                        "text-brackets-too-deep",
                        "the text is too deeply nested: square brackets nest more than {depth} deep",
                        depth = MAX_BODY_BRACKETS
                    ));
                }
            }
            b']' => brackets = brackets.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

fn split_unchecked(text: &str) -> Result<TextRecord, Message> {
    let text = nfc(text);
    let normalised = text
        .trim_start_matches('\u{feff}')
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    let lines: Vec<&str> = normalised.split('\n').collect();
    let Some(start) = lines.iter().position(|line| !line.trim().is_empty()) else {
        return Ok(TextRecord {
            fields: Vec::new(),
            body: String::new(),
        });
    };
    for (fence, parse) in [
        (
            "---",
            parse_yaml as fn(&str) -> Result<Vec<(String, Vec<String>)>, Message>,
        ),
        ("+++", parse_toml),
    ] {
        if lines[start].trim() != fence {
            continue;
        }
        let end = lines[start + 1..]
            .iter()
            .position(|line| line.trim() == fence)
            .map(|offset| start + 1 + offset)
            .ok_or_else(|| {
                msg!(
                    "front-matter-not-closed",
                    "the front matter opened with '{fence}' is never closed",
                    fence = fence
                )
            })?;
        let front = lines[start + 1..end].join("\n");
        check_budgets(&front, fence == "---")?;
        let body = lines[end + 1..].join("\n");
        let fields = parse(&front)?;
        let values: usize = fields
            .iter()
            .flat_map(|(_, values)| values)
            .map(String::len)
            .sum();
        if values > MAX_FRONT_MATTER_VALUES {
            return Err(msg!(
                "front-matter-values-too-large",
                "the front matter expands to {values} bytes of values, over the budget of {budget} MiB",
                values = values,
                budget = MAX_FRONT_MATTER_VALUES >> 20
            ));
        }
        return Ok(TextRecord {
            fields,
            body: body.trim().to_string(),
        });
    }
    // The first paragraph: a fence-like first line, or any line that reads as a key.
    let first_paragraph = lines[start..]
        .iter()
        .take_while(|line| !line.trim().is_empty());
    let fence_like = looks_like_fence(lines[start]);
    if let Some(line) = fence_like
        .then_some(&lines[start])
        .or_else(|| first_paragraph.clone().find(|line| looks_like_key(line)))
    {
        return Err(msg!(
            "front-matter-misplaced",
            "the text begins with '{line}', which looks like front matter but is not between two '---' lines at the very top; fix the front matter so that its metadata (and access) are read, not published as text",
            line = line.trim()
        ));
    }
    Ok(TextRecord {
        fields: Vec::new(),
        body: normalised.trim().to_string(),
    })
}

/// Refuses front matter over the size, nesting or alias budgets, in one pass and before any
/// parser sees it. Brackets and `*` inside quoted strings and comments do not count; a `*name`
/// counts as an alias only when `&name` is an anchor of the same front matter.
fn check_budgets(front: &str, yaml: bool) -> Result<(), Message> {
    if front.len() > MAX_FRONT_MATTER_BYTES {
        return Err(msg!(
            "front-matter-too-large",
            "the front matter is too large: {size} bytes, over the budget of {budget} KiB",
            size = front.len(),
            budget = MAX_FRONT_MATTER_BYTES >> 10
        ));
    }
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut previous = '\n';
    let mut anchors = std::collections::HashSet::new();
    let mut aliases: Vec<&str> = Vec::new();
    let name_end = |rest: &str| {
        rest.find(|c: char| c.is_whitespace() || matches!(c, ',' | '[' | ']' | '{' | '}'))
            .unwrap_or(rest.len())
    };
    for (at, c) in front.char_indices() {
        if comment {
            comment = c != '\n';
        } else if let Some(open) = quote {
            if c == open && (open == '\'' || previous != '\\') {
                quote = None;
            }
        } else {
            let starts_token = previous.is_whitespace() || matches!(previous, '[' | '{' | ',');
            match c {
                '"' | '\'' if starts_token || matches!(previous, ':' | '-') => quote = Some(c),
                '#' if previous.is_whitespace() => comment = true,
                '[' | '{' => {
                    depth += 1;
                    if depth > MAX_FRONT_MATTER_NESTING {
                        return Err(msg!(
                            "front-matter-too-deep",
                            "the front matter is too deeply nested: brackets nest more than {depth} deep",
                            depth = MAX_FRONT_MATTER_NESTING
                        ));
                    }
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                '&' if yaml && starts_token => {
                    let rest = &front[at + 1..];
                    anchors.insert(&rest[..name_end(rest)]);
                }
                '*' if yaml && starts_token => {
                    let rest = &front[at + 1..];
                    aliases.push(&rest[..name_end(rest)]);
                }
                _ => {}
            }
        }
        previous = c;
    }
    let used = aliases
        .iter()
        .filter(|name| !name.is_empty() && anchors.contains(*name))
        .count();
    if used > MAX_FRONT_MATTER_ALIASES {
        return Err(msg!(
            "front-matter-too-many-aliases",
            "the front matter uses {used} YAML aliases (*name), over the budget of {budget}",
            used = used,
            budget = MAX_FRONT_MATTER_ALIASES
        ));
    }
    Ok(())
}

/// Whether a first line would be read by a person as a front-matter fence (`--`, `----`,
/// `+++ x`, `—-`).
fn looks_like_fence(line: &str) -> bool {
    let trimmed = line.trim();
    trimmed.chars().count() >= 2
        && trimmed
            .chars()
            .take(3)
            .all(|c| matches!(c, '-' | '+' | '\u{2013}' | '\u{2014}'))
}

/// Whether a line reads as a key of the batch format followed by `:` or `=` (`access: …`,
/// `dc.title = …`).
fn looks_like_key(line: &str) -> bool {
    let Some((key, _)) = line.trim().split_once([':', '=']) else {
        return false;
    };
    let key = key.trim().trim_matches(['"', '\'']).trim().to_lowercase();
    matches!(
        key.as_str(),
        "access" | "kind" | "village" | "craft" | "filename" | "title"
    ) || key.starts_with("dc.")
        || key.starts_with("dcterms.")
}

fn parse_yaml(front: &str) -> Result<Vec<(String, Vec<String>)>, Message> {
    if front.trim().is_empty() {
        return Ok(Vec::new());
    }
    let value: serde_yaml_ng::Value = serde_yaml_ng::from_str(front).map_err(|error| {
        msg!(
            "front-matter-yaml-invalid",
            "the YAML front matter is invalid: {error}",
            error = error.to_string()
        )
    })?;
    let serde_yaml_ng::Value::Mapping(mapping) = value else {
        return Err(msg!(
            "front-matter-yaml-not-mapping",
            "the YAML front matter must be a list of 'key: value' lines"
        ));
    };
    mapping
        .into_iter()
        .map(|(key, value)| {
            let key = yaml_scalar(&key).ok_or_else(|| {
                msg!(
                    "front-matter-key-not-text",
                    "a front-matter key must be plain text"
                )
            })?;
            let values = match &value {
                serde_yaml_ng::Value::Sequence(items) => items
                    .iter()
                    .map(|item| yaml_scalar(item).ok_or_else(|| nested(&key)))
                    .collect::<Result<_, _>>()?,
                serde_yaml_ng::Value::Null => Vec::new(),
                scalar => vec![yaml_scalar(scalar).ok_or_else(|| nested(&key))?],
            };
            Ok((key, values))
        })
        .collect()
}

fn yaml_scalar(value: &serde_yaml_ng::Value) -> Option<String> {
    match value {
        serde_yaml_ng::Value::String(text) => Some(text.clone()),
        serde_yaml_ng::Value::Number(number) => Some(number.to_string()),
        serde_yaml_ng::Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

fn parse_toml(front: &str) -> Result<Vec<(String, Vec<String>)>, Message> {
    let table: toml::Table = front.parse().map_err(|error: toml::de::Error| {
        msg!(
            "front-matter-toml-invalid",
            "the TOML front matter is invalid: {error}",
            error = error.to_string()
        )
    })?;
    table
        .into_iter()
        .map(|(key, value)| {
            let values = match &value {
                toml::Value::Array(items) => items
                    .iter()
                    .map(|item| toml_scalar(item).ok_or_else(|| nested(&key)))
                    .collect::<Result<_, _>>()?,
                scalar => vec![toml_scalar(scalar).ok_or_else(|| nested(&key))?],
            };
            Ok((key, values))
        })
        .collect()
}

fn toml_scalar(value: &toml::Value) -> Option<String> {
    match value {
        toml::Value::String(text) => Some(text.clone()),
        toml::Value::Integer(number) => Some(number.to_string()),
        toml::Value::Float(number) => Some(number.to_string()),
        toml::Value::Boolean(flag) => Some(flag.to_string()),
        toml::Value::Datetime(date) => Some(date.to_string()),
        _ => None,
    }
}

fn nested(key: &str) -> Message {
    msg!(
        "front-matter-nested",
        "front-matter key '{key}' holds a nested table; use plain values or a list",
        key = key
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_front_matter_with_lists() {
        let record = split(
            "---\ndc.title: Kỹ thuật dệt\ndc.subject: [dệt, lụa]\ndc.date: 2019\n---\n\n# Body\n",
        )
        .unwrap();
        assert_eq!(
            record.fields,
            vec![
                ("dc.title".to_string(), vec!["Kỹ thuật dệt".to_string()]),
                (
                    "dc.subject".to_string(),
                    vec!["dệt".to_string(), "lụa".to_string()]
                ),
                ("dc.date".to_string(), vec!["2019".to_string()]),
            ]
        );
        assert_eq!(record.body, "# Body");
    }

    #[test]
    fn toml_front_matter_and_crlf() {
        let record = split("+++\r\nkind = \"festival\"\r\n+++\r\nText\r\n").unwrap();
        assert_eq!(
            record.fields,
            vec![("kind".to_string(), vec!["festival".to_string()])]
        );
        assert_eq!(record.body, "Text");
    }

    #[test]
    fn unclosed_and_nested_front_matter_are_errors() {
        assert_eq!(
            split("---\ndc.title: x\n").unwrap_err().english,
            "the front matter opened with '---' is never closed"
        );
        assert!(
            split("---\na:\n  b: c\n---\n")
                .unwrap_err()
                .english
                .contains("nested table")
        );
    }

    #[test]
    fn no_front_matter_is_all_body() {
        assert_eq!(split("Just text").unwrap().body, "Just text");
        assert_eq!(
            split("A line: with a colon\n").unwrap().body,
            "A line: with a colon"
        );
        assert_eq!(
            split("- a list\n- item\n").unwrap().body,
            "- a list\n- item"
        );
    }

    /// Leak 5 of the ingest findings: fences written loosely are still fences, both of them.
    #[test]
    fn fences_are_recognised_leniently_and_alike() {
        let access = vec![("access".to_string(), vec!["restricted".to_string()])];
        for text in [
            "\n---\naccess: restricted\n---\nsecret\n",
            "\u{feff}\n---\naccess: restricted\n---\nsecret\n",
            "--- \naccess: restricted\n---\nsecret\n",
            "---\naccess: restricted\n--- \nsecret\n",
            " ---\naccess: restricted\n ---\nsecret\n",
            "\u{feff}---\r\naccess: restricted\r\n---\r\nsecret\r\n",
        ] {
            let record = split(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!(record.fields, access, "{text:?}");
            assert_eq!(record.body, "secret", "{text:?}");
        }
    }

    /// adv-yaml-alias-amplification: aliases, size and nesting are refused before parsing, fast.
    #[test]
    fn front_matter_over_budget_is_refused_fast() {
        let anchor = "A".repeat(1000);
        let aliases = ", *x".repeat(MAX_FRONT_MATTER_ALIASES + 1);
        let text = format!("---\nx: &x \"{anchor}\"\ndc.subject: [a{aliases}]\n---\nbody\n");
        assert_eq!(
            split(&text).unwrap_err().english,
            "the front matter uses 101 YAML aliases (*name), over the budget of 100"
        );
        // Under the alias budget, the expansion is still bounded.
        let big = "B".repeat(60_000);
        let text = format!(
            "---\nx: &x \"{big}\"\ndc.subject: [{}]\n---\n",
            ["*x"; 20].join(", ")
        );
        assert_eq!(
            split(&text).unwrap_err().english,
            "the front matter expands to 1260000 bytes of values, over the budget of 1 MiB"
        );
        let started = std::time::Instant::now();
        let nested = format!("---\ndc.title: {}\n---\n", "[".repeat(60_000));
        assert_eq!(
            split(&nested).unwrap_err().english,
            "the front matter is too deeply nested: brackets nest more than 16 deep"
        );
        let toml = format!("+++\na = {}\n+++\n", "[".repeat(60_000));
        assert!(
            split(&toml)
                .unwrap_err()
                .english
                .contains("too deeply nested")
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        let large = format!("---\ndc.title: {}\n---\n", "x".repeat(70_000));
        assert_eq!(
            split(&large).unwrap_err().english,
            "the front matter is too large: 70010 bytes, over the budget of 64 KiB"
        );
        // Quoted and commented brackets, stars and ampersands are text.
        let fine = "---\ndc.title: \"[[[[[[[[[[[[[[[[[[*x\"\ndc.note: a & b * c # [[[[[[[[[[[[[[[[[[[[\n---\n";
        assert!(split(fine).is_ok(), "{:?}", split(fine));
    }

    #[test]
    fn bodies_over_budget_are_refused() {
        let quoted = format!("# Tiêu đề\n\n{} trích dẫn\n", ">".repeat(200_000));
        assert_eq!(
            split(&quoted).unwrap_err().english,
            "the text is too deeply nested: quotations nest more than 32 deep"
        );
        assert!(split("> > > một\n>> hai\n").is_ok());
        let started = std::time::Instant::now();
        let brackets = format!("{}x{}", "[".repeat(400_000), "]".repeat(400_000));
        assert_eq!(
            split(&brackets).unwrap_err().english,
            "the text is too deeply nested: square brackets nest more than 32 deep"
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        // Escaped brackets are text; links and footnotes nest shallowly.
        assert!(split(&format!("{}x [a [b]](c) [^1]", "\\[".repeat(100))).is_ok());
        let long = "chữ ".repeat(600_000);
        assert_eq!(
            split(&long).unwrap_err().english,
            format!(
                "the text is too large: {} bytes, over the budget of 2 MiB",
                long.trim().len()
            )
        );
    }

    /// A text whose top still reads as front matter is refused, never published as its body.
    #[test]
    fn a_top_that_looks_like_front_matter_but_is_not_is_an_error() {
        for text in [
            "access: restricted\n\nsecret",
            "-- \naccess: restricted\n--\nsecret",
            "----\naccess: restricted\n----\nsecret",
            "\"dc.title\": X\nsecret",
            "Bí kíp nhuộm\naccess: restricted\n\nsecret",
        ] {
            let error = split(text).unwrap_err().english;
            assert!(
                error.contains("looks like front matter"),
                "{text:?}: {error}"
            );
        }
    }
}
