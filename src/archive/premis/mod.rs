//! The audit log: PREMIS 3 events that travel with the archive.
//!
//! An archive must be able to say what happened to each object, when, by whom and with what
//! result, and that history must survive Disan itself. PREMIS (the Library of Congress's
//! *Preservation Metadata: Implementation Strategies*, version 3.0) is the vocabulary every
//! preservation system reads, so each event here is a PREMIS event whose type is a term of the
//! Library of Congress preservation vocabulary
//! (<http://id.loc.gov/vocabulary/preservation/eventType>).
//!
//! Where events are kept:
//! - **in each object**: every version Disan writes carries the object's whole event log so far
//!   (this version's events included) as the logical file [`PREMIS_XML`], valid PREMIS 3 XML
//!   ([`xml`]). A version's log is never rewritten (OCFL versions are immutable), so the history
//!   of a version is readable from the object alone, with any XML tool;
//! - **in the storage root**, for events that make no new version (a fixity check by `disan
//!   verify`): append-only JSON Lines files under `extensions/disan-premis/` ([`log`]).
//!
//! This module owns the event model, its constructors (what each kind of event says), and both
//! encodings. Events are made by their callers (ingest, verify, the web workspace) and given to
//! the archive in [`super::VersionInfo::events`]; the archive gives them their identifier and the
//! object version they belong to when it commits.

pub mod filter;
pub mod log;
pub mod xml;

pub use filter::{Filter, parse_time};

use serde::{Deserialize, Serialize};

/// Logical path of an object's PREMIS event log inside each of its versions. It is not one of
/// a record's files (those are under `files/`) and it is left out when deciding whether a new
/// version changes anything (the archive compares states without it).
pub const PREMIS_XML: &str = "premis.xml";

/// The PREMIS 3 XML namespace.
pub const PREMIS_NS: &str = "http://www.loc.gov/premis/v3";

/// Where the Library of Congress preservation vocabularies live.
const VOCABULARY: &str = "http://id.loc.gov/vocabulary/preservation";

/// The software agent's name in every event Disan records.
pub const SOFTWARE: &str = "Disan";

/// The kinds of events Disan records, each a term of the Library of Congress preservation
/// vocabulary `eventType` (the code is the last segment of the term's URI).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EventType {
    /// `ing` ingestion: a batch's record or authority was taken into the archive (a new object,
    /// or a new version of one).
    #[serde(rename = "ing")]
    Ingestion,
    /// `mem` metadata modification: a record's description changed.
    #[serde(rename = "mem")]
    MetadataModification,
    /// `mes` message digest calculation: the SHA-256 of a new file was computed.
    #[serde(rename = "mes")]
    MessageDigestCalculation,
    /// `for` format identification: what a file is, from its content.
    #[serde(rename = "for")]
    FormatIdentification,
    /// `val` validation: a record's metadata row and files were checked.
    #[serde(rename = "val")]
    Validation,
    /// `fix` fixity check: every content file re-hashed against the inventory.
    #[serde(rename = "fix")]
    FixityCheck,
    /// `poa` policy assignment: who may see a record (its access or its files' access) changed.
    #[serde(rename = "poa")]
    PolicyAssignment,
    /// `dea` deaccession: a record was withdrawn (every version is kept).
    #[serde(rename = "dea")]
    Deaccession,
    /// `acc` accession: a withdrawn record was reinstated.
    #[serde(rename = "acc")]
    Accession,
    /// `del` deletion: a record's object was purged from the archive, every version
    /// (`disan purge`, for content that must legally be destroyed); logged in the storage
    /// root, since the object is gone.
    #[serde(rename = "del")]
    Deletion,
}

impl EventType {
    /// Every event type, in the order the README lists them.
    pub const ALL: [EventType; 10] = [
        EventType::Ingestion,
        EventType::MetadataModification,
        EventType::MessageDigestCalculation,
        EventType::FormatIdentification,
        EventType::Validation,
        EventType::FixityCheck,
        EventType::PolicyAssignment,
        EventType::Deaccession,
        EventType::Accession,
        EventType::Deletion,
    ];

    /// The vocabulary code, e.g. `fix`.
    pub fn code(self) -> &'static str {
        match self {
            EventType::Ingestion => "ing",
            EventType::MetadataModification => "mem",
            EventType::MessageDigestCalculation => "mes",
            EventType::FormatIdentification => "for",
            EventType::Validation => "val",
            EventType::FixityCheck => "fix",
            EventType::PolicyAssignment => "poa",
            EventType::Deaccession => "dea",
            EventType::Accession => "acc",
            EventType::Deletion => "del",
        }
    }

    /// The vocabulary's authoritative label, e.g. `fixity check`.
    pub fn label(self) -> &'static str {
        match self {
            EventType::Ingestion => "ingestion",
            EventType::MetadataModification => "metadata modification",
            EventType::MessageDigestCalculation => "message digest calculation",
            EventType::FormatIdentification => "format identification",
            EventType::Validation => "validation",
            EventType::FixityCheck => "fixity check",
            EventType::PolicyAssignment => "policy assignment",
            EventType::Deaccession => "deaccession",
            EventType::Accession => "accession",
            EventType::Deletion => "deletion",
        }
    }

    /// The term's URI, e.g. `http://id.loc.gov/vocabulary/preservation/eventType/fix`.
    pub fn uri(self) -> String {
        format!("{VOCABULARY}/eventType/{}", self.code())
    }

    /// The type whose code is `code`.
    pub fn from_code(code: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|t| t.code() == code)
    }
}

/// An event's outcome (vocabulary `eventOutcome`: `suc`, `war`, `fai`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// It worked.
    Success,
    /// It worked, with warnings (listed in the outcome detail).
    Warning,
    /// It failed (why is in the outcome detail).
    Failure,
}

impl Outcome {
    /// The vocabulary code.
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Success => "suc",
            Outcome::Warning => "war",
            Outcome::Failure => "fai",
        }
    }

    /// The vocabulary label.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Warning => "warning",
            Outcome::Failure => "fail",
        }
    }

    /// The term's URI.
    pub fn uri(self) -> String {
        format!("{VOCABULARY}/eventOutcome/{}", self.code())
    }

    /// The outcome whose code is `code` (`suc`, `war`, `fai`).
    pub fn from_code(code: &str) -> Option<Outcome> {
        [Outcome::Success, Outcome::Warning, Outcome::Failure]
            .into_iter()
            .find(|o| o.code() == code)
    }
}

/// What kind of agent took part (vocabulary `agentType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AgentKind {
    /// A person, named by their Disan login (`per`).
    Person,
    /// A program, named with its version (`sof`).
    Software,
}

impl AgentKind {
    /// The vocabulary code.
    pub fn code(self) -> &'static str {
        match self {
            AgentKind::Person => "per",
            AgentKind::Software => "sof",
        }
    }

    /// The vocabulary label.
    pub fn label(self) -> &'static str {
        match self {
            AgentKind::Person => "person",
            AgentKind::Software => "software",
        }
    }
}

/// An agent's part in an event (vocabulary `eventRelatedAgentRole`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AgentRole {
    /// The person who did it (`imp`, implementer).
    Implementer,
    /// The program that did it (`exe`, executing program).
    Executor,
}

impl AgentRole {
    /// The vocabulary code.
    pub fn code(self) -> &'static str {
        match self {
            AgentRole::Implementer => "imp",
            AgentRole::Executor => "exe",
        }
    }

    /// The vocabulary label.
    pub fn label(self) -> &'static str {
        match self {
            AgentRole::Implementer => "implementer",
            AgentRole::Executor => "executing program",
        }
    }

    fn from_code(code: &str) -> Option<AgentRole> {
        [AgentRole::Implementer, AgentRole::Executor]
            .into_iter()
            .find(|r| r.code() == code)
    }
}

/// One agent linked to an event, with its role.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Agent {
    /// Person or software.
    pub kind: AgentKind,
    /// A person's login, or a program's name and version (`Disan 0.1.0`).
    pub name: String,
    /// What it did.
    pub role: AgentRole,
}

impl Agent {
    /// A person, by login, who did the event.
    pub fn person(login: &str) -> Agent {
        Agent {
            kind: AgentKind::Person,
            name: login.to_string(),
            role: AgentRole::Implementer,
        }
    }

    /// This program, `Disan <version>`, as the executing program.
    pub fn disan() -> Agent {
        Agent {
            kind: AgentKind::Software,
            name: format!("{SOFTWARE} {}", env!("CARGO_PKG_VERSION")),
            role: AgentRole::Executor,
        }
    }
}

/// One PREMIS event.
///
/// Made by one of the constructors (which set the type, the time, the agents and the detail);
/// [`Event::id`] and [`Event::object`] are set by the archive when the event is committed with a
/// version (or by `verify` for a fixity check).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// `eventIdentifierValue` (type `local`): `<object id>#<version>/e<n>` for an event
    /// committed with a version, `<object id>#<version>/fix-<time>` for a fixity check.
    pub id: String,
    /// `eventType`.
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// `eventDateTime`: when it happened, RFC 3339 in UTC to the second
    /// (`2026-12-01T10:04:15Z`).
    pub date_time: String,
    /// `eventDetailInformation/eventDetail`: what was done, in words.
    pub detail: String,
    /// `eventOutcome`.
    pub outcome: Outcome,
    /// `eventOutcomeDetail/eventOutcomeDetailNote`: each a line (a digest, a format, a warning).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outcome_detail: Vec<String>,
    /// `linkingAgentIdentifier`: who and what did it.
    pub agents: Vec<Agent>,
    /// `linkingObjectIdentifier`: the OCFL object and version it concerns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<ObjectVersion>,
    /// More `linkingObjectIdentifier`s: the logical paths of the files it concerns, if it
    /// concerns some files of the object rather than the whole of it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
}

/// An OCFL object and one of its versions.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ObjectVersion {
    /// The OCFL object id (`urn:disan:record:…`).
    pub id: String,
    /// The version (`v1`, `v2`, …).
    pub version: String,
}

impl ObjectVersion {
    /// `<object id>#<version>`: how the PREMIS XML names it (`linkingObjectIdentifierValue`).
    pub fn identifier(&self) -> String {
        format!("{}#{}", self.id, self.version)
    }

    /// The object version an identifier names, or `None` when it has no `#`.
    pub fn parse(identifier: &str) -> Option<ObjectVersion> {
        let (id, version) = identifier.rsplit_once('#')?;
        Some(ObjectVersion {
            id: id.to_string(),
            version: version.to_string(),
        })
    }
}

/// The current time as PREMIS `eventDateTime` (RFC 3339, UTC, seconds).
pub fn now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

impl Event {
    /// An event of `event_type` happening now, done by `agents`, successful, linked to nothing
    /// yet.
    pub fn new(event_type: EventType, detail: impl Into<String>, agents: Vec<Agent>) -> Event {
        Event {
            id: String::new(),
            event_type,
            date_time: now(),
            detail: detail.into(),
            outcome: Outcome::Success,
            outcome_detail: Vec::new(),
            agents,
            object: None,
            files: Vec::new(),
        }
    }

    /// The same event about the files at these logical paths.
    pub fn about_files(mut self, files: impl IntoIterator<Item = String>) -> Event {
        self.files = files.into_iter().collect();
        self
    }

    /// The same event with this outcome and these detail lines.
    pub fn with_outcome(mut self, outcome: Outcome, detail: Vec<String>) -> Event {
        self.outcome = outcome;
        self.outcome_detail = detail;
        self
    }

    /// Ingestion (`ing`) by the person `login`, run by Disan: `detail` says from where.
    pub fn ingestion(login: &str, detail: impl Into<String>) -> Event {
        Event::new(
            EventType::Ingestion,
            detail,
            vec![Agent::person(login), Agent::disan()],
        )
    }

    /// Metadata modification (`mem`) by `login` (an archivist's edit, or a re-ingest that
    /// changed a description): `detail` says what changed and why.
    pub fn metadata_modification(login: &str, detail: impl Into<String>) -> Event {
        Event::new(
            EventType::MetadataModification,
            detail,
            vec![Agent::person(login), Agent::disan()],
        )
    }

    /// An access change (`poa`, policy assignment) by `login`: `detail` gives the old and new
    /// rule (`public → community:lang-gom`).
    pub fn access_change(login: &str, detail: impl Into<String>) -> Event {
        Event::new(
            EventType::PolicyAssignment,
            detail,
            vec![Agent::person(login), Agent::disan()],
        )
    }

    /// A withdrawal (`dea`, deaccession) by `login`: `reason` is required by the workspace.
    /// The archive keeps every version; the record leaves every public surface.
    pub fn withdrawal(login: &str, reason: impl Into<String>) -> Event {
        Event::new(
            EventType::Deaccession,
            reason,
            vec![Agent::person(login), Agent::disan()],
        )
    }

    /// A reinstatement (`acc`, accession) of a withdrawn record by `login`.
    pub fn reinstatement(login: &str, reason: impl Into<String>) -> Event {
        Event::new(
            EventType::Accession,
            reason,
            vec![Agent::person(login), Agent::disan()],
        )
    }

    /// The deletion (`del`) of `object` (its id and last version) by `login` for `reason`:
    /// its outcome detail is `inventory_digest` (`sha256:<hex>` of the object's last root
    /// inventory, which names the digest of every file of every version) and how many versions
    /// went; never anything of its content.
    pub fn deletion(
        login: &str,
        reason: impl Into<String>,
        object: ObjectVersion,
        inventory_digest: &str,
        versions: usize,
    ) -> Event {
        let mut event = Event::new(
            EventType::Deletion,
            reason,
            vec![Agent::person(login), Agent::disan()],
        )
        .with_outcome(
            Outcome::Success,
            vec![
                format!("last inventory {inventory_digest}"),
                format!("versions removed: {versions}"),
            ],
        );
        event.id = format!("{}/del-{}", object.identifier(), event.date_time);
        event.object = Some(object);
        event
    }

    /// Message digest calculation (`mes`) of the file at `path`: its SHA-256 is the outcome
    /// detail (`sha256:<hex>`).
    pub fn message_digest(path: &str, sha256: &crate::model::Sha256) -> Event {
        Event::new(
            EventType::MessageDigestCalculation,
            "SHA-256 computed while reading the file (Disan, RustCrypto sha2)",
            vec![Agent::disan()],
        )
        .about_files([path.to_string()])
        .with_outcome(
            Outcome::Success,
            vec![format!("sha256:{}", sha256.to_hex())],
        )
    }

    /// Format identification (`for`) of the file at `path` from its leading bytes: the outcome
    /// detail is the format's name and media type.
    pub fn format_identification(path: &str, name: &str, mime: &str) -> Event {
        Event::new(
            EventType::FormatIdentification,
            "identified from the file's content by Disan's signature table (ingest::format)",
            vec![Agent::disan()],
        )
        .about_files([path.to_string()])
        .with_outcome(Outcome::Success, vec![format!("{name} ({mime})")])
    }

    /// Validation (`val`) of a record's row and files: success when `warnings` is empty, else
    /// a warning listing them. (A record with errors is not stored, so it has no event.)
    pub fn validation(detail: impl Into<String>, warnings: Vec<String>) -> Event {
        let outcome = if warnings.is_empty() {
            Outcome::Success
        } else {
            Outcome::Warning
        };
        Event::new(EventType::Validation, detail, vec![Agent::disan()])
            .with_outcome(outcome, warnings)
    }

    /// A fixity check (`fix`) of `object` by `disan verify`: failure with each problem when
    /// `problems` is not empty.
    pub fn fixity_check(object: ObjectVersion, files: usize, problems: Vec<String>) -> Event {
        let outcome = if problems.is_empty() {
            Outcome::Success
        } else {
            Outcome::Failure
        };
        let mut event = Event::new(
            EventType::FixityCheck,
            format!("SHA-256 of {files} content files compared with the inventory (disan verify)"),
            vec![Agent::disan()],
        )
        .with_outcome(outcome, problems);
        event.id = format!("{}/fix-{}", object.identifier(), event.date_time);
        event.object = Some(object);
        event
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_name_the_library_of_congress_terms() {
        assert_eq!(
            EventType::FixityCheck.uri(),
            "http://id.loc.gov/vocabulary/preservation/eventType/fix"
        );
        for event_type in EventType::ALL {
            assert_eq!(EventType::from_code(event_type.code()), Some(event_type));
            let json = serde_json::to_string(&event_type).unwrap();
            assert_eq!(json, format!("\"{}\"", event_type.code()));
        }
        assert_eq!(
            Outcome::Failure.uri(),
            "http://id.loc.gov/vocabulary/preservation/eventOutcome/fai"
        );
    }

    #[test]
    fn object_versions_round_trip_through_their_identifier() {
        let object = ObjectVersion {
            id: "urn:disan:record:bat-trang-01".into(),
            version: "v3".into(),
        };
        assert_eq!(object.identifier(), "urn:disan:record:bat-trang-01#v3");
        assert_eq!(ObjectVersion::parse(&object.identifier()), Some(object));
    }

    #[test]
    fn the_time_is_utc_to_the_second() {
        let time = now();
        assert_eq!(time.len(), "2026-12-01T10:04:15Z".len(), "{time}");
        assert!(time.ends_with('Z'));
    }
}
