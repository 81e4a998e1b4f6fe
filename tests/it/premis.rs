//! The audit log: PREMIS events written into each object version (`premis.xml`) and into the
//! storage root's log by `verify`, read back from the archive alone, and exported by
//! `disan audit`; every XML document checked against the PREMIS 3.0 schema with xmllint.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use disan::archive::premis::{self, Event, EventType, Outcome};
use disan::archive::{Archive, Inventory};
use disan::model::RecordId;

use crate::support::{Workspace, ids, record};

const RECORD: &str = "anh-mat-trong";
const URN: &str = "urn:disan:record:anh-mat-trong";

fn schema() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/premis/premis-v3-0.xsd")
}

/// Validates the XML file `path` against the PREMIS 3.0 schema (when xmllint is present; CI
/// requires it).
fn assert_valid_premis(path: &Path) {
    if !crate::tools::xmllint() {
        return;
    }
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(schema())
        .arg(path)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{} is not valid PREMIS 3: {}",
        path.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn inventory(workspace: &Workspace) -> (Archive, Inventory) {
    let archive = Archive::open(&workspace.archive()).unwrap();
    let inventory = archive
        .record_inventory(&RecordId::parse(RECORD).unwrap())
        .unwrap()
        .unwrap();
    (archive, inventory)
}

/// The content file holding `premis.xml` in `version` of the object.
fn premis_file(archive: &Archive, inventory: &Inventory, version: &str) -> PathBuf {
    let state = &inventory.versions[version].state;
    let digest = state
        .iter()
        .find(|(_, paths)| paths.iter().any(|p| p == premis::PREMIS_XML))
        .map(|(digest, _)| digest)
        .unwrap_or_else(|| panic!("{version} has no premis.xml"));
    archive
        .storage()
        .object_path(&inventory.id)
        .join(inventory.content_path(digest).unwrap())
}

fn of_type(events: &[Event], event_type: EventType) -> Vec<&Event> {
    events
        .iter()
        .filter(|e| e.event_type == event_type)
        .collect()
}

#[test]
fn each_version_carries_the_log_and_an_unchanged_re_ingest_adds_nothing() {
    let workspace = Workspace::new();
    let batch = workspace.batch("valid");
    let (code, _) = workspace.ingest(&batch, &["--user", "lan"]);
    assert_eq!(code, 0);

    let (archive, first) = inventory(&workspace);
    assert_eq!(first.head, "v1");
    let v1_file = premis_file(&archive, &first, "v1");
    assert_valid_premis(&v1_file);
    // Read back from the object's own file, not through Disan's bookkeeping.
    let events = premis::xml::read(&fs::read(&v1_file).unwrap()).unwrap();
    let stored = record(&workspace, RECORD);
    assert_eq!(stored.files.len(), 1);
    let file = &stored.files[0];

    let ingestion = of_type(&events, EventType::Ingestion);
    assert_eq!(ingestion.len(), 1, "{events:#?}");
    let agents: Vec<(&str, &str)> = ingestion[0]
        .agents
        .iter()
        .map(|a| (a.kind.label(), a.name.as_str()))
        .collect();
    assert_eq!(
        agents,
        [
            ("person", "lan"),
            ("software", concat!("Disan ", env!("CARGO_PKG_VERSION")))
        ]
    );
    let digest = of_type(&events, EventType::MessageDigestCalculation);
    assert_eq!(digest.len(), 1);
    assert_eq!(digest[0].files, std::slice::from_ref(&file.path));
    assert_eq!(
        digest[0].outcome_detail,
        [format!("sha256:{}", file.sha256.to_hex())]
    );
    let format = of_type(&events, EventType::FormatIdentification);
    assert_eq!(
        format[0].outcome_detail,
        [format!("{} ({})", file.format.name, file.format.mime)]
    );
    assert_eq!(of_type(&events, EventType::Validation).len(), 1);
    for event in &events {
        let object = event.object.as_ref().unwrap();
        assert_eq!((object.id.as_str(), object.version.as_str()), (URN, "v1"));
        assert!(event.id.starts_with(&format!("{URN}#v1/e")), "{}", event.id);
    }
    // The log is no file of the record's: the site lists record.json's files only.
    assert!(stored.files.iter().all(|f| f.path.starts_with("files/")));
    // Authorities carry their own log.
    let village = archive
        .storage()
        .inventory("urn:disan:village:doi-tam")
        .unwrap()
        .unwrap();
    let village_events = archive.events(&village).unwrap();
    assert_eq!(
        village_events
            .iter()
            .map(|e| e.event_type)
            .collect::<Vec<_>>(),
        [EventType::Ingestion]
    );

    // The same batch again: no version, no event (and a dry run predicts as much: the log in
    // the head version is no change).
    let (_, dry) = workspace.ingest(&batch, &["--dry-run"]);
    assert!(ids(&dry, "records", "updated").is_empty(), "{dry}");
    assert_eq!(ids(&dry, "records", "unchanged").len(), 11, "{dry}");
    let (code, report) = workspace.ingest(&batch, &["--user", "lan"]);
    assert_eq!(code, 0);
    assert!(ids(&report, "records", "updated").is_empty(), "{report}");
    let (_, again) = inventory(&workspace);
    assert_eq!(again, first, "an unchanged re-ingest wrote something");

    // A corrected title: a new version whose log is the old one plus this version's events.
    let csv = batch.join("metadata/metadata.csv");
    let text = fs::read_to_string(&csv)
        .unwrap()
        .replace("Mặt trống (ảnh thử)", "Mặt trống da trâu (ảnh thử)");
    fs::write(&csv, text).unwrap();
    let (_, dry) = workspace.ingest(&batch, &["--dry-run"]);
    assert_eq!(ids(&dry, "records", "updated"), [RECORD]);
    let (code, report) = workspace.ingest(&batch, &["--user", "mai"]);
    assert_eq!(code, 0);
    assert_eq!(ids(&report, "records", "updated"), [RECORD]);
    let (archive, second) = inventory(&workspace);
    assert_eq!(second.head, "v2");
    let v2_file = premis_file(&archive, &second, "v2");
    assert_valid_premis(&v2_file);
    let log = premis::xml::read(&fs::read(&v2_file).unwrap()).unwrap();
    assert_eq!(log[..events.len()], events[..], "v1's events were altered");
    let new = &log[events.len()..];
    let types: Vec<EventType> = new.iter().map(|e| e.event_type).collect();
    assert_eq!(
        types,
        [
            EventType::Ingestion,
            EventType::MetadataModification,
            EventType::Validation
        ],
        "the photo did not change, so it is neither hashed nor identified again"
    );
    assert!(new.iter().all(|e| {
        e.object.as_ref().is_some_and(|o| o.version == "v2")
            && e.agents
                .iter()
                .all(|a| a.name == "mai" || a.name.starts_with("Disan "))
    }));
    // v1's own log is untouched: OCFL versions are immutable.
    assert_eq!(archive.version_events(&second, "v1").unwrap(), events);

    // A record made non-public: its access change is an event of its own.
    let text = fs::read_to_string(&csv).unwrap().replace(
        "pattern,Nha Xa,det-lua,public",
        "pattern,Nha Xa,det-lua,researchers",
    );
    fs::write(&csv, text).unwrap();
    let (code, report) = workspace.ingest(&batch, &["--user", "mai"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(ids(&report, "records", "updated"), ["hoa-van-luc-giac"]);
    let pattern = archive
        .storage()
        .inventory("urn:disan:record:hoa-van-luc-giac")
        .unwrap()
        .unwrap();
    let log = archive.events(&pattern).unwrap();
    let access = of_type(&log, EventType::PolicyAssignment);
    assert_eq!(access.len(), 1, "{log:#?}");
    assert_eq!(access[0].detail, "public → researchers");
    assert_eq!(access[0].object.as_ref().unwrap().version, "v2");
}

#[test]
fn verify_appends_one_fixity_check_per_object_to_the_root_log() {
    let workspace = Workspace::new();
    assert_eq!(workspace.ingest(&workspace.batch("valid"), &[]).0, 0);
    let archive = Archive::open(&workspace.archive()).unwrap();
    let objects = archive.storage().object_dirs().count();
    assert_eq!(workspace.verify().status.code(), Some(0));
    let (events, unreadable) = premis::log::read(&workspace.archive()).unwrap();
    assert!(unreadable.is_empty(), "{unreadable:?}");
    assert_eq!(events.len(), objects);
    assert!(events.iter().all(|e| e.event_type == EventType::FixityCheck
        && e.outcome == Outcome::Success
        && e.object.is_some()));

    // A damaged file: the next check of that object fails and says which file.
    let (_, inventory) = inventory(&workspace);
    let photo = archive
        .storage()
        .object_path(&inventory.id)
        .join("v1/content/files/mat-trong.jpg");
    let intact = fs::read(&photo).unwrap();
    let mut bytes = intact.clone();
    bytes[100] ^= 0xff;
    fs::write(&photo, bytes).unwrap();
    assert_eq!(workspace.verify().status.code(), Some(1));
    let (events, _) = premis::log::read(&workspace.archive()).unwrap();
    assert_eq!(events.len(), 2 * objects, "the log was not appended to");
    let failed: Vec<&Event> = events
        .iter()
        .filter(|e| e.outcome == Outcome::Failure)
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].object.as_ref().unwrap().id, URN);
    assert!(
        failed[0].outcome_detail[0].contains("mat-trong.jpg"),
        "{:?}",
        failed[0].outcome_detail
    );
    fs::write(&photo, intact).unwrap();

    // The log lives where OCFL lets extensions keep folders: the root still validates.
    if crate::tools::ocfl_py() {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/ocfl_validate_root.py");
        let output = Command::new("python3")
            .arg(script)
            .arg(workspace.archive())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(!stdout.contains("][E"), "errors reported: {stdout}");
        assert!(stdout.contains("-> VALID"), "{stdout}");
    }
}

#[test]
fn audit_exports_a_record_or_the_archive_as_xml_csv_and_json_lines() {
    let workspace = Workspace::new();
    assert_eq!(workspace.ingest(&workspace.batch("valid"), &[]).0, 0);
    assert_eq!(workspace.verify().status.code(), Some(0));
    let audit = |args: &[&str]| {
        let output = workspace.disan().arg("audit").args(args).output().unwrap();
        (
            output.status.code(),
            String::from_utf8(output.stdout).unwrap(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };

    let (code, jsonl, stderr) = audit(&["--record", RECORD, "--format", "jsonl"]);
    assert_eq!(code, Some(0), "{stderr}");
    let events: Vec<Event> = jsonl
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert!(events.iter().all(|e| e.object.as_ref().unwrap().id == URN));
    let types: Vec<EventType> = events.iter().map(|e| e.event_type).collect();
    assert!(types.contains(&EventType::Ingestion) && types.contains(&EventType::FixityCheck));
    assert!(events.windows(2).all(|w| w[0].date_time <= w[1].date_time));

    let (code, csv, _) = audit(&["--record", RECORD, "--format", "csv"]);
    assert_eq!(code, Some(0));
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(&reader.headers().unwrap()[2], "eventType");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), events.len());
    assert_eq!(&rows[0][1], events[0].id.as_str());

    let (code, xml, _) = audit(&["--record", RECORD]);
    assert_eq!(code, Some(0));
    assert_eq!(premis::xml::read(xml.as_bytes()).unwrap(), events);
    let file = workspace.dir.path().join("record.xml");
    fs::write(&file, &xml).unwrap();
    assert_valid_premis(&file);

    let (code, xml, _) = audit(&[]);
    assert_eq!(code, Some(0));
    let all = premis::xml::read(xml.as_bytes()).unwrap();
    assert!(all.len() > events.len());
    let objects = Archive::open(&workspace.archive())
        .unwrap()
        .storage()
        .object_dirs()
        .count();
    assert_eq!(
        all.iter()
            .filter(|e| e.event_type == EventType::FixityCheck)
            .count(),
        objects
    );
    let file = workspace.dir.path().join("archive.xml");
    fs::write(&file, &xml).unwrap();
    assert_valid_premis(&file);

    let (code, jsonl, _) = audit(&["--since", "2999-01-01", "--format", "jsonl"]);
    assert_eq!((code, jsonl.as_str()), (Some(0), ""));
    let (code, _, stderr) = audit(&["--since", "last week"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("--since"), "{stderr}");
    let (code, _, stderr) = audit(&["--record", "khong-co"]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("urn:disan:record:khong-co"), "{stderr}");
}
