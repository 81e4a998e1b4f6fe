//! The `oai_dc` metadata format: a record as unqualified Dublin Core
//! (`http://www.openarchives.org/OAI/2.0/oai_dc/`, OAI-PMH 2.0 §3.4 and Appendix), every value
//! with its `xml:lang` (`vi`, `en`).
//!
//! Written from the record exactly as the anonymous JSON API shows it
//! ([`crate::web::Site::projected_for`]): no GPS, no written position, no product a visitor may
//! not see, no embed of a record that is not public, no file when the files are reserved.
//! Only the record's own description is written (not its village's or craft's names), so an
//! item's metadata changes only with a new version of the record, as its datestamp does.
//!
//! The DCMI terms archivists use beyond the fifteen elements are written as the element they
//! refine (DCMI's "dumb-down" rule: `alternative` → `title`, `spatial` → `coverage`, …); terms
//! that refine none (`audience`, `provenance`, …) are left out, since unqualified Dublin Core
//! has no place for them.

use std::collections::BTreeSet;

use super::xml::escape;
use crate::model::{Kind, Lang, Record};
use crate::web::i18n;

/// The metadata prefix.
pub const PREFIX: &str = "oai_dc";
/// The schema of the format.
pub const SCHEMA: &str = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd";
/// The namespace of the format.
pub const NAMESPACE: &str = "http://www.openarchives.org/OAI/2.0/oai_dc/";
/// The namespace of the Dublin Core elements.
const DC_NS: &str = "http://purl.org/dc/elements/1.1/";

/// The Dublin Core element a term is written as: itself for the fifteen elements, the element
/// it refines for a DCMI refinement, `None` for the rest.
fn element(term: &str) -> Option<&'static str> {
    Some(match term {
        "title" | "alternative" => "title",
        "creator" => "creator",
        "subject" => "subject",
        "description" | "abstract" | "tableOfContents" => "description",
        "publisher" => "publisher",
        "contributor" => "contributor",
        "date" | "created" | "issued" | "modified" | "available" | "valid" | "dateCopyrighted"
        | "dateAccepted" | "dateSubmitted" => "date",
        "type" => "type",
        "format" | "extent" | "medium" => "format",
        "identifier" | "bibliographicCitation" => "identifier",
        "source" => "source",
        "language" => "language",
        "relation" | "isPartOf" | "hasPart" | "isVersionOf" | "hasVersion" | "isFormatOf"
        | "hasFormat" | "references" | "isReferencedBy" | "conformsTo" | "replaces"
        | "isReplacedBy" | "requires" | "isRequiredBy" => "relation",
        "coverage" | "spatial" | "temporal" => "coverage",
        "rights" | "license" | "accessRights" | "rightsHolder" => "rights",
        _ => return None,
    })
}

/// The fifteen elements in the order written.
const ELEMENTS: [&str; 15] = [
    "title",
    "creator",
    "subject",
    "description",
    "publisher",
    "contributor",
    "date",
    "type",
    "format",
    "identifier",
    "source",
    "language",
    "relation",
    "coverage",
    "rights",
];

/// The DCMI Type Vocabulary term of a kind.
fn dcmi_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Photo | Kind::Pattern => "StillImage",
        Kind::Film => "MovingImage",
        Kind::Audio => "Sound",
        Kind::Technique | Kind::Festival | Kind::Document | Kind::Story | Kind::Visit => "Text",
    }
}

/// Appends `<dc:name xml:lang="…">value</dc:name>` (no `xml:lang` when `lang` is `None`).
fn value(out: &mut String, name: &str, lang: Option<Lang>, text: &str) {
    let text = escape(text.trim());
    if text.is_empty() {
        return;
    }
    match lang {
        Some(lang) => out.push_str(&format!(
            "<dc:{name} xml:lang=\"{}\">{text}</dc:{name}>\n",
            lang.tag()
        )),
        None => out.push_str(&format!("<dc:{name}>{text}</dc:{name}>\n")),
    }
}

/// Appends the `<oai_dc:dc>` element of `record` (already the public projection), whose page is
/// `url`.
pub fn write(out: &mut String, record: &Record, url: &str) {
    out.push_str(&format!(
        "<oai_dc:dc xmlns:oai_dc=\"{NAMESPACE}\" xmlns:dc=\"{DC_NS}\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"{NAMESPACE} {SCHEMA}\">\n"
    ));
    for name in ELEMENTS {
        for (term, values) in &record.dc {
            if element(term) != Some(name) {
                continue;
            }
            for text in values {
                value(out, name, Some(text.lang), &text.value);
            }
        }
        match name {
            "type" => {
                value(out, name, None, dcmi_type(record.kind));
                for lang in [Lang::Vi, Lang::En] {
                    let label = i18n::text(lang, &format!("kind_{}", record.kind.as_str()));
                    value(out, name, Some(lang), label);
                }
            }
            "format" => {
                let types: BTreeSet<&str> = record
                    .files
                    .iter()
                    .map(|file| file.format.mime.as_str())
                    .collect();
                for mime in types {
                    value(out, name, None, mime);
                }
            }
            "identifier" => value(out, name, None, url),
            _ => {}
        }
    }
    out.push_str("</oai_dc:dc>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Record {
        serde_json::from_value(serde_json::json!({
            "schema": crate::model::SCHEMA_VERSION,
            "id": "hoa-van-thu",
            "kind": "pattern",
            "access": "public",
            "dc": {
                "title": [
                    {"value": "Hoa văn\u{1} <thử> & \"mẫu\"", "lang": "vi"},
                    {"value": "Test pattern", "lang": "en"}
                ],
                "spatial": [{"value": "Nha Xá", "lang": "vi"}],
                "license": [{"value": "CC0 1.0", "lang": "en"}],
                "audience": [{"value": "học sinh", "lang": "vi"}]
            },
            "files": [],
            "provenance": {"batch": "thu", "path": "objects/hoa-van.png"}
        }))
        .unwrap()
    }

    #[test]
    fn refinements_are_written_as_their_elements_in_order_and_escaped() {
        let mut out = String::new();
        write(
            &mut out,
            &record(),
            "https://disan.example/records/hoa-van-thu",
        );
        let lines: Vec<&str> = out.lines().skip(1).collect();
        assert_eq!(
            lines,
            [
                "<dc:title xml:lang=\"vi\">Hoa văn &lt;thử&gt; &amp; &quot;mẫu&quot;</dc:title>",
                "<dc:title xml:lang=\"en\">Test pattern</dc:title>",
                "<dc:type>StillImage</dc:type>",
                "<dc:type xml:lang=\"vi\">Hoa văn</dc:type>",
                "<dc:type xml:lang=\"en\">Pattern</dc:type>",
                "<dc:identifier>https://disan.example/records/hoa-van-thu</dc:identifier>",
                "<dc:coverage xml:lang=\"vi\">Nha Xá</dc:coverage>",
                "<dc:rights xml:lang=\"en\">CC0 1.0</dc:rights>",
                "</oai_dc:dc>",
            ]
        );
    }
}
