//! PREMIS 3 XML: writing an event log, and reading one back.
//!
//! Written with quick-xml (the maintained Rust XML reader/writer: escaping and indentation done
//! by the library, no string concatenation of markup); read with roxmltree, the parser the SVG
//! renderer already brings into the build. The document follows the PREMIS 3.0 schema
//! (`premis-v3-0.xsd`, vendored under `tests/fixtures/premis/` and checked by a test with
//! `xmllint --schema`):
//!
//! ```text
//! <premis:premis version="3.0">
//!   <premis:object xsi:type="premis:intellectualEntity">   one per OCFL object concerned
//!   <premis:event>…                                        oldest first
//!   <premis:agent>…                                        each person and program once
//! ```
//!
//! Vocabulary terms carry their Library of Congress URI in `valueURI`; identifiers use these
//! types: events `local`; objects `OCFL object` (the object id), `OCFL object version`
//! (`<id>#<version>`) and `OCFL logical path`; agents `Disan login` and `software`.

use std::collections::BTreeSet;
use std::io;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event as XmlEvent};

use super::{
    Agent, AgentKind, AgentRole, Event, EventType, ObjectVersion, Outcome, PREMIS_NS, VOCABULARY,
};

const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
const OBJECT: &str = "OCFL object";
const OBJECT_VERSION: &str = "OCFL object version";
const LOGICAL_PATH: &str = "OCFL logical path";
const LOGIN: &str = "Disan login";
const SOFTWARE_ID: &str = "software";

/// Writes `events` as one PREMIS 3 document about the OCFL objects `objects` (at least one is
/// written: when `objects` is empty, those the events link to; when those are none too, the
/// storage root, as the schema requires one object).
pub fn write(objects: &[&str], events: &[Event]) -> Vec<u8> {
    let mut ids: BTreeSet<&str> = objects.iter().copied().collect();
    if ids.is_empty() {
        ids.extend(
            events
                .iter()
                .filter_map(|e| e.object.as_ref().map(|o| o.id.as_str())),
        );
    }
    if ids.is_empty() {
        ids.insert("OCFL storage root");
    }
    let mut agents: BTreeSet<(AgentKind, &str)> = BTreeSet::new();
    for event in events {
        agents.extend(event.agents.iter().map(|a| (a.kind, a.name.as_str())));
    }
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    let result: io::Result<()> = (|| {
        writer.write_event(XmlEvent::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        writer
            .create_element("premis:premis")
            .with_attribute(("xmlns:premis", PREMIS_NS))
            .with_attribute(("xmlns:xsi", XSI_NS))
            .with_attribute(("version", "3.0"))
            .write_inner_content(|w| {
                for id in &ids {
                    w.create_element("premis:object")
                        .with_attribute(("xsi:type", "premis:intellectualEntity"))
                        .write_inner_content(|w| {
                            w.create_element("premis:objectIdentifier")
                                .write_inner_content(|w| {
                                    text(w, "premis:objectIdentifierType", OBJECT)?;
                                    text(w, "premis:objectIdentifierValue", id)
                                })?;
                            Ok(())
                        })?;
                }
                for event in events {
                    write_event(w, event)?;
                }
                for (kind, name) in &agents {
                    write_agent(w, *kind, name)?;
                }
                Ok(())
            })?;
        Ok(())
    })();
    // Writing into a Vec cannot fail.
    result.expect("writing XML to memory");
    let mut bytes = writer.into_inner();
    bytes.push(b'\n');
    bytes
}

fn write_event(w: &mut Writer<Vec<u8>>, event: &Event) -> io::Result<()> {
    w.create_element("premis:event").write_inner_content(|w| {
        w.create_element("premis:eventIdentifier")
            .write_inner_content(|w| {
                text(w, "premis:eventIdentifierType", "local")?;
                text(w, "premis:eventIdentifierValue", &event.id)
            })?;
        term(
            w,
            "premis:eventType",
            "eventType",
            event.event_type.code(),
            event.event_type.label(),
        )?;
        text(w, "premis:eventDateTime", &event.date_time)?;
        if !event.detail.is_empty() {
            w.create_element("premis:eventDetailInformation")
                .write_inner_content(|w| text(w, "premis:eventDetail", &event.detail))?;
        }
        w.create_element("premis:eventOutcomeInformation")
            .write_inner_content(|w| {
                term(
                    w,
                    "premis:eventOutcome",
                    "eventOutcome",
                    event.outcome.code(),
                    event.outcome.label(),
                )?;
                for note in &event.outcome_detail {
                    w.create_element("premis:eventOutcomeDetail")
                        .write_inner_content(|w| text(w, "premis:eventOutcomeDetailNote", note))?;
                }
                Ok(())
            })?;
        for agent in &event.agents {
            w.create_element("premis:linkingAgentIdentifier")
                .write_inner_content(|w| {
                    text(
                        w,
                        "premis:linkingAgentIdentifierType",
                        agent_type(agent.kind),
                    )?;
                    text(w, "premis:linkingAgentIdentifierValue", &agent.name)?;
                    term(
                        w,
                        "premis:linkingAgentRole",
                        "eventRelatedAgentRole",
                        agent.role.code(),
                        agent.role.label(),
                    )
                })?;
        }
        if let Some(object) = &event.object {
            linking_object(w, OBJECT_VERSION, &object.identifier())?;
        }
        for file in &event.files {
            linking_object(w, LOGICAL_PATH, file)?;
        }
        Ok(())
    })?;
    Ok(())
}

fn write_agent(w: &mut Writer<Vec<u8>>, kind: AgentKind, name: &str) -> io::Result<()> {
    w.create_element("premis:agent").write_inner_content(|w| {
        w.create_element("premis:agentIdentifier")
            .write_inner_content(|w| {
                text(w, "premis:agentIdentifierType", agent_type(kind))?;
                text(w, "premis:agentIdentifierValue", name)
            })?;
        let (shown, version) = match kind {
            AgentKind::Software => name.rsplit_once(' ').unwrap_or((name, "")),
            AgentKind::Person => (name, ""),
        };
        text(w, "premis:agentName", shown)?;
        term(
            w,
            "premis:agentType",
            "agentType",
            kind.code(),
            kind.label(),
        )?;
        if !version.is_empty() {
            text(w, "premis:agentVersion", version)?;
        }
        Ok(())
    })?;
    Ok(())
}

fn agent_type(kind: AgentKind) -> &'static str {
    match kind {
        AgentKind::Person => LOGIN,
        AgentKind::Software => SOFTWARE_ID,
    }
}

fn linking_object(w: &mut Writer<Vec<u8>>, kind: &str, value: &str) -> io::Result<()> {
    w.create_element("premis:linkingObjectIdentifier")
        .write_inner_content(|w| {
            text(w, "premis:linkingObjectIdentifierType", kind)?;
            text(w, "premis:linkingObjectIdentifierValue", value)
        })?;
    Ok(())
}

/// `<name>value</name>`, escaped; characters XML 1.0 cannot hold at all (most C0 controls)
/// become U+FFFD so one odd file name cannot make the log unreadable.
fn text(w: &mut Writer<Vec<u8>>, name: &str, value: &str) -> io::Result<()> {
    let clean = xml_safe(value);
    w.create_element(name)
        .write_text_content(BytesText::new(&clean))?;
    Ok(())
}

/// A vocabulary term: its label as text, its authority and URI as attributes.
fn term(
    w: &mut Writer<Vec<u8>>,
    name: &str,
    authority: &str,
    code: &str,
    label: &str,
) -> io::Result<()> {
    let authority_uri = format!("{VOCABULARY}/{authority}");
    let value_uri = format!("{authority_uri}/{code}");
    w.create_element(name)
        .with_attribute(("authority", authority))
        .with_attribute(("authorityURI", authority_uri.as_str()))
        .with_attribute(("valueURI", value_uri.as_str()))
        .write_text_content(BytesText::new(label))?;
    Ok(())
}

fn xml_safe(value: &str) -> std::borrow::Cow<'_, str> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r')
            || (!c.is_control() || c as u32 >= 0x7f) && c != '\u{fffe}' && c != '\u{ffff}'
    };
    if value.chars().all(allowed) {
        value.into()
    } else {
        value
            .chars()
            .map(|c| if allowed(c) { c } else { '\u{fffd}' })
            .collect::<String>()
            .into()
    }
}

/// Reads the events of a PREMIS 3 document written by [`write`], in document order.
///
/// # Errors
/// Text that is not XML, or not PREMIS 3 (`premis` root in [`PREMIS_NS`]), or an event whose
/// type, outcome or agent role is not one Disan writes; the message says which.
pub fn read(bytes: &[u8]) -> Result<Vec<Event>, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8: {e}"))?;
    let document = roxmltree::Document::parse(text).map_err(|e| e.to_string())?;
    let root = document.root_element();
    if root.tag_name().name() != "premis" || root.tag_name().namespace() != Some(PREMIS_NS) {
        return Err(format!("the root element is not <premis> in {PREMIS_NS}"));
    }
    root.children()
        .filter(|node| is(node, "event"))
        .map(read_event)
        .collect()
}

fn is(node: &roxmltree::Node, name: &str) -> bool {
    node.is_element()
        && node.tag_name().name() == name
        && node.tag_name().namespace() == Some(PREMIS_NS)
}

fn child<'a, 'i>(node: &roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children().find(|c| is(c, name))
}

fn child_text(node: &roxmltree::Node, name: &str) -> String {
    child(node, name)
        .and_then(|c| c.text())
        .unwrap_or_default()
        .to_string()
}

/// The vocabulary code of a term element: the last segment of its `valueURI`.
fn code_of(node: Option<roxmltree::Node>) -> String {
    node.and_then(|n| n.attribute("valueURI"))
        .and_then(|uri| uri.rsplit('/').next())
        .unwrap_or_default()
        .to_string()
}

fn read_event(node: roxmltree::Node) -> Result<Event, String> {
    let id = child(&node, "eventIdentifier")
        .map(|n| child_text(&n, "eventIdentifierValue"))
        .unwrap_or_default();
    let type_code = code_of(child(&node, "eventType"));
    let event_type = EventType::from_code(&type_code)
        .ok_or_else(|| format!("event {id}: unknown eventType '{type_code}'"))?;
    let detail = child(&node, "eventDetailInformation")
        .map(|n| child_text(&n, "eventDetail"))
        .unwrap_or_default();
    let outcome_node = child(&node, "eventOutcomeInformation");
    let outcome_code = code_of(outcome_node.and_then(|n| child(&n, "eventOutcome")));
    let outcome = Outcome::from_code(&outcome_code)
        .ok_or_else(|| format!("event {id}: unknown eventOutcome '{outcome_code}'"))?;
    let outcome_detail = outcome_node
        .map(|n| {
            n.children()
                .filter(|c| is(c, "eventOutcomeDetail"))
                .map(|c| child_text(&c, "eventOutcomeDetailNote"))
                .collect()
        })
        .unwrap_or_default();
    let mut agents = Vec::new();
    for link in node.children().filter(|c| is(c, "linkingAgentIdentifier")) {
        let kind = match child_text(&link, "linkingAgentIdentifierType").as_str() {
            LOGIN => AgentKind::Person,
            _ => AgentKind::Software,
        };
        let role_code = code_of(child(&link, "linkingAgentRole"));
        let role = AgentRole::from_code(&role_code)
            .ok_or_else(|| format!("event {id}: unknown linkingAgentRole '{role_code}'"))?;
        agents.push(Agent {
            kind,
            name: child_text(&link, "linkingAgentIdentifierValue"),
            role,
        });
    }
    let mut object = None;
    let mut files = Vec::new();
    for link in node.children().filter(|c| is(c, "linkingObjectIdentifier")) {
        let value = child_text(&link, "linkingObjectIdentifierValue");
        match child_text(&link, "linkingObjectIdentifierType").as_str() {
            OBJECT_VERSION => object = ObjectVersion::parse(&value),
            _ => files.push(value),
        }
    }
    Ok(Event {
        id,
        event_type,
        date_time: child_text(&node, "eventDateTime"),
        detail,
        outcome,
        outcome_detail,
        agents,
        object,
        files,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Sha256;

    fn linked(mut event: Event, n: usize) -> Event {
        let object = ObjectVersion {
            id: "urn:disan:record:non-nuoc-01".into(),
            version: "v1".into(),
        };
        event.id = format!("{}/e{n}", object.identifier());
        event.object = Some(object);
        event
    }

    #[test]
    fn a_log_reads_back_as_written() {
        let events = vec![
            linked(Event::ingestion("lan", "Ingested from batch 'đợt 1'"), 1),
            linked(
                Event::message_digest("files/ảnh <1> & \"2\".jpg", &Sha256::of(b"x")),
                2,
            ),
            linked(
                Event::validation("row checked", vec!["no English title\u{1}".into()]),
                3,
            ),
        ];
        let xml = write(&[], &events);
        let text = String::from_utf8(xml.clone()).unwrap();
        assert!(text.contains("xmlns:premis=\"http://www.loc.gov/premis/v3\""));
        assert!(
            text.contains("valueURI=\"http://id.loc.gov/vocabulary/preservation/eventType/mes\"")
        );
        assert!(text.contains("&lt;1&gt; &amp;"), "{text}");
        let back = read(&xml).unwrap();
        assert_eq!(back.len(), 3);
        assert_eq!(back[0], events[0]);
        assert_eq!(back[1], events[1]);
        // The control character could not be kept in XML 1.0.
        assert_eq!(back[2].outcome_detail, ["no English title\u{fffd}"]);
        assert_eq!(back[2].outcome, Outcome::Warning);
    }

    #[test]
    fn other_documents_are_refused_with_a_reason() {
        assert!(read(b"<premis/>").unwrap_err().contains("not <premis>"));
        assert!(read(b"not xml").is_err());
    }
}
