//! Splitting a Markdown text record into its front matter and its body.
//!
//! Technique write-ups, festival records and stories arrive as Markdown with their metadata on top:
//! YAML between `---` lines or TOML between `+++` lines, keyed by the same column names as
//! `metadata.csv`. A key may hold one value or a list.

use crate::model::text::nfc;

/// A parsed text record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextRecord {
    /// Keys and their values, in order (values NFC).
    pub fields: Vec<(String, Vec<String>)>,
    /// The Markdown body (NFC, trimmed).
    pub body: String,
}

/// Splits `text` (UTF-8, BOM already stripped). Text without front matter is all body.
pub fn split(text: &str) -> Result<TextRecord, String> {
    let text = nfc(text);
    let normalised = text.replace("\r\n", "\n");
    for (fence, parse) in [
        (
            "---",
            parse_yaml as fn(&str) -> Result<Vec<(String, Vec<String>)>, String>,
        ),
        ("+++", parse_toml),
    ] {
        let Some(rest) = normalised
            .strip_prefix(fence)
            .and_then(|r| r.strip_prefix('\n'))
        else {
            continue;
        };
        let closing = format!("\n{fence}");
        let (front, body) = if let Some(body) = rest.strip_prefix(fence) {
            ("", body)
        } else {
            let end = rest
                .find(&closing)
                .ok_or_else(|| format!("the front matter opened with '{fence}' is never closed"))?;
            (&rest[..end], &rest[end + closing.len()..])
        };
        return Ok(TextRecord {
            fields: parse(front)?,
            body: body.trim().to_string(),
        });
    }
    Ok(TextRecord {
        fields: Vec::new(),
        body: normalised.trim().to_string(),
    })
}

fn parse_yaml(front: &str) -> Result<Vec<(String, Vec<String>)>, String> {
    if front.trim().is_empty() {
        return Ok(Vec::new());
    }
    let value: serde_yaml_ng::Value = serde_yaml_ng::from_str(front)
        .map_err(|error| format!("the YAML front matter is invalid: {error}"))?;
    let serde_yaml_ng::Value::Mapping(mapping) = value else {
        return Err("the YAML front matter must be a list of 'key: value' lines".to_string());
    };
    mapping
        .into_iter()
        .map(|(key, value)| {
            let key = yaml_scalar(&key)
                .ok_or_else(|| "a front-matter key must be plain text".to_string())?;
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

fn parse_toml(front: &str) -> Result<Vec<(String, Vec<String>)>, String> {
    let table: toml::Table = front
        .parse()
        .map_err(|error| format!("the TOML front matter is invalid: {error}"))?;
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

fn nested(key: &str) -> String {
    format!("front-matter key '{key}' holds a nested table; use plain values or a list")
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
            split("---\ndc.title: x\n").unwrap_err(),
            "the front matter opened with '---' is never closed"
        );
        assert!(
            split("---\na:\n  b: c\n---\n")
                .unwrap_err()
                .contains("nested table")
        );
    }

    #[test]
    fn no_front_matter_is_all_body() {
        assert_eq!(split("Just text").unwrap().body, "Just text");
    }
}
