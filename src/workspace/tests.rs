//! The write path against a real archive and a real index (no server): versions, conflicts,
//! restores and withdrawals, and what the public index holds after each.

use super::*;
use crate::archive::{Archive, User, VersionInfo};
use crate::index::IndexDir;
use crate::model::access::Viewer;
use crate::model::{Record, Role};

struct Fixture {
    _dir: tempfile::TempDir,
    archive: Archive,
    index: IndexDir,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open_or_create(&dir.path().join("archive")).unwrap();
        let index = IndexDir::new(&dir.path().join("index"));
        let record: Record = super::form::tests::sample();
        let mut record = record;
        record.village = None;
        {
            let lock = archive.lock().unwrap();
            let info = VersionInfo::new(
                "Ingested from batch 'b'",
                User {
                    name: "ingest".into(),
                    address: None,
                },
            );
            archive
                .store_record(&lock, &record, Vec::new(), &info)
                .unwrap();
        }
        crate::index::reindex(&archive, &index).unwrap();
        Fixture {
            _dir: dir,
            archive,
            index,
        }
    }

    fn writer(&self) -> Writer<'_> {
        Writer {
            archive: &self.archive,
            index: &self.index,
            wait: std::time::Duration::from_millis(300),
        }
    }

    fn id(&self) -> RecordId {
        RecordId::parse("trong-doi-tam").unwrap()
    }

    fn fields(&self) -> Fields {
        form::fields_of(&self.archive.record(&self.id()).unwrap().unwrap())
    }

    fn publicly_visible(&self) -> bool {
        self.index.search().unwrap().is_visible("trong-doi-tam")
    }

    fn visible_to_archivist(&self) -> bool {
        let search = self.index.search().unwrap();
        let archivist = Viewer::Account {
            role: Role::Archivist,
            groups: Default::default(),
        };
        let scoped = search.for_viewer(&archivist).unwrap().unwrap();
        scoped.is_visible("trong-doi-tam")
    }
}

fn author(message: &str) -> Author {
    Author {
        login: "thu".into(),
        message: message.into(),
    }
}

fn communities() -> Communities {
    Communities::without_database(std::path::Path::new("accounts.sqlite"))
}

#[test]
fn an_edit_is_a_new_version_by_the_archivist_with_the_message() {
    let f = Fixture::new();
    let mut fields = f.fields();
    fields
        .0
        .insert("dc.title".into(), vec!["Trống Đọi Tam, Hà Nam".into()]);
    let saved = edit(
        &f.writer(),
        &f.id(),
        "v1",
        &fields,
        &communities(),
        &author("fix title"),
    )
    .unwrap();
    assert_eq!(saved, Saved::Version("v2".into()));
    let inventory = f.archive.record_inventory(&f.id()).unwrap().unwrap();
    let v2 = &inventory.versions["v2"];
    assert_eq!(v2.message.as_deref(), Some("fix title"));
    let user = v2.user.as_ref().unwrap();
    assert_eq!(
        (user.name.as_str(), user.address.as_deref()),
        ("thu", Some("urn:disan:user:thu"))
    );
    let record = f.archive.record(&f.id()).unwrap().unwrap();
    assert_eq!(
        record.title(crate::model::Lang::Vi),
        "Trống Đọi Tam, Hà Nam"
    );
    // The same form again changes nothing and writes nothing.
    let again = edit(
        &f.writer(),
        &f.id(),
        "v2",
        &fields,
        &communities(),
        &author("again"),
    )
    .unwrap();
    assert_eq!(again, Saved::Unchanged);
    let inventory = f.archive.record_inventory(&f.id()).unwrap().unwrap();
    assert_eq!(inventory.head, "v2");
    // An empty message is refused before anything.
    let refused = edit(
        &f.writer(),
        &f.id(),
        "v2",
        &fields,
        &communities(),
        &author("  "),
    );
    assert!(matches!(refused, Err(WorkspaceError::NoMessage)));
}

#[test]
fn a_second_save_from_the_same_base_is_refused_with_both_changes() {
    let f = Fixture::new();
    let mut first = f.fields();
    first
        .0
        .insert("dc.title".into(), vec!["Tiêu đề một".into()]);
    let mut second = f.fields();
    second
        .0
        .insert("dc.description@en".into(), vec!["A drum".into()]);
    edit(
        &f.writer(),
        &f.id(),
        "v1",
        &first,
        &communities(),
        &author("one"),
    )
    .unwrap();
    let refused = edit(
        &f.writer(),
        &f.id(),
        "v1",
        &second,
        &communities(),
        &author("two"),
    );
    let Err(WorkspaceError::Conflict {
        base,
        head,
        theirs,
        yours,
    }) = refused
    else {
        panic!("expected a conflict, got {refused:?}");
    };
    assert_eq!((base.as_str(), head.as_str()), ("v1", "v2"));
    assert!(matches!(&theirs[..], [Change::FieldChanged { field, .. }] if field == "dc.title"));
    assert!(
        matches!(&yours[..], [Change::FieldAdded { field, .. }] if field == "dc.description@en")
    );
    let inventory = f.archive.record_inventory(&f.id()).unwrap().unwrap();
    assert_eq!(inventory.head, "v2", "nothing written");
}

#[test]
fn restricting_hides_it_from_the_public_index_and_restoring_brings_it_back() {
    let f = Fixture::new();
    assert!(f.publicly_visible());
    let mut fields = f.fields();
    fields.0.insert("access".into(), vec!["restricted".into()]);
    edit(
        &f.writer(),
        &f.id(),
        "v1",
        &fields,
        &communities(),
        &author("restrict"),
    )
    .unwrap();
    assert!(!f.publicly_visible());
    assert!(f.visible_to_archivist());
    let inventory = f.archive.record_inventory(&f.id()).unwrap().unwrap();
    let events = f.archive.events(&inventory).unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e.event_type.code()).collect();
    assert_eq!(kinds, ["mem", "poa"]);
    assert_eq!(events[1].detail, "public → restricted");
    assert!(events[0].detail.starts_with("restrict (fields: access)"));
    let saved = restore(&f.writer(), &f.id(), "v2", "v1", &author("Restored v1")).unwrap();
    assert_eq!(saved, Saved::Version("v3".into()));
    assert!(f.publicly_visible());
    let entries = history::history(&f.archive, &f.id()).unwrap();
    let names: Vec<&str> = entries.iter().map(|e| e.version.as_str()).collect();
    assert_eq!(names, ["v3", "v2", "v1"]);
    assert!(entries[1].changes.contains(&Change::FieldChanged {
        field: "access".into(),
        before: vec!["public".into()],
        after: vec!["restricted".into()],
    }));
    assert_eq!(entries[0].message.as_deref(), Some("Restored v1"));
}

#[test]
fn a_withdrawn_record_leaves_every_index_and_reinstating_brings_it_back() {
    let f = Fixture::new();
    assert!(withdrawn(&f.archive).unwrap().is_empty());
    withdraw(&f.writer(), &f.id(), "v1", &author("consent withdrawn")).unwrap();
    let listed: Vec<String> = withdrawn(&f.archive)
        .unwrap()
        .iter()
        .map(|record| record.id.to_string())
        .collect();
    assert_eq!(listed, ["trong-doi-tam"]);
    assert!(!f.publicly_visible());
    assert!(!f.visible_to_archivist(), "seen by nobody");
    let record = f.archive.record(&f.id()).unwrap().unwrap();
    let withdrawal = record.withdrawal.unwrap();
    assert_eq!(
        (withdrawal.reason.as_str(), withdrawal.by.as_str()),
        ("consent withdrawn", "thu")
    );
    assert!(matches!(
        withdraw(&f.writer(), &f.id(), "v2", &author("again")),
        Err(WorkspaceError::State(_))
    ));
    // A reindex from the archive alone keeps it out.
    crate::index::reindex(&f.archive, &f.index).unwrap();
    assert!(!f.publicly_visible());
    reinstate(&f.writer(), &f.id(), "v2", &author("consent given again")).unwrap();
    let inventory = f.archive.record_inventory(&f.id()).unwrap().unwrap();
    let events: Vec<(String, String)> = f
        .archive
        .events(&inventory)
        .unwrap()
        .into_iter()
        .map(|event| (event.event_type.code().to_string(), event.detail))
        .collect();
    assert_eq!(
        events,
        [
            ("dea".to_string(), "consent withdrawn".to_string()),
            ("acc".to_string(), "consent given again".to_string()),
        ]
    );
    assert!(f.publicly_visible());
    assert!(
        f.archive
            .record(&f.id())
            .unwrap()
            .unwrap()
            .withdrawal
            .is_none()
    );
}

#[test]
fn a_save_waits_a_bounded_time_for_an_ingest_then_says_so() {
    let f = Fixture::new();
    let held = f.archive.lock().unwrap();
    let started = std::time::Instant::now();
    let refused = withdraw(&f.writer(), &f.id(), "v1", &author("x"));
    assert!(matches!(refused, Err(WorkspaceError::Busy)), "{refused:?}");
    assert!(started.elapsed() >= std::time::Duration::from_millis(300));
    assert_eq!(
        WorkspaceError::Busy.to_string(),
        "an ingest is writing the archive; try again in a minute"
    );
    drop(held);
    assert!(withdraw(&f.writer(), &f.id(), "v1", &author("x")).is_ok());
}

/// Issue 15: a visit edited to stop at a record the archive does not hold is refused, the error
/// under `stop`, and nothing is written; a stop at a record it holds is saved.
#[test]
fn a_visit_edited_to_stop_at_an_unknown_record_is_refused() {
    let f = Fixture::new();
    let mut fields = f.fields();
    fields.0.insert("kind".into(), vec!["visit".into()]);
    fields.0.insert(
        "stop".into(),
        vec!["record:trong-doi-tam".into(), "record:doesnotexist".into()],
    );
    let refused = edit(
        &f.writer(),
        &f.id(),
        "v1",
        &fields,
        &communities(),
        &author("make it a visit"),
    );
    let Err(WorkspaceError::Invalid(checked)) = refused else {
        panic!("{refused:?}");
    };
    let said: Vec<&str> = checked.errors["stop"]
        .iter()
        .map(|message| message.english.as_str())
        .collect();
    assert_eq!(
        said,
        [
            "unknown record 'record:doesnotexist': it is not in the archive, so the visit is not saved; correct the stop's record id, or ingest that record first"
        ]
    );
    let inventory = f.archive.record_inventory(&f.id()).unwrap().unwrap();
    assert_eq!(inventory.head, "v1");
    fields
        .0
        .insert("stop".into(), vec!["record:trong-doi-tam".into()]);
    let saved = edit(
        &f.writer(),
        &f.id(),
        "v1",
        &fields,
        &communities(),
        &author("make it a visit"),
    )
    .unwrap();
    assert_eq!(saved, Saved::Version("v2".into()));
}

#[test]
fn a_withheld_version_stays_withheld_through_edits_and_restores_and_the_head_never_is() {
    let f = Fixture::new();
    let mut fields = f.fields();
    fields
        .0
        .insert("dc.title".into(), vec!["Trống Đọi Tam, Hà Nam".into()]);
    edit(
        &f.writer(),
        &f.id(),
        "v1",
        &fields,
        &communities(),
        &author("fix"),
    )
    .unwrap();
    // The head, an unknown version and an empty reason are refused; nothing is written.
    assert!(matches!(
        withhold(&f.writer(), &f.id(), "v2", "v2", &author("secret")),
        Err(WorkspaceError::CurrentVersion)
    ));
    assert!(matches!(
        withhold(&f.writer(), &f.id(), "v2", "v9", &author("secret")),
        Err(WorkspaceError::NoSuchVersion(_))
    ));
    assert!(matches!(
        withhold(&f.writer(), &f.id(), "v2", "v1", &author(" ")),
        Err(WorkspaceError::NoMessage)
    ));
    assert!(matches!(
        release(&f.writer(), &f.id(), "v2", "v1", &author("again")),
        Err(WorkspaceError::State(_))
    ));
    let saved = withhold(&f.writer(), &f.id(), "v2", "v1", &author("secret")).unwrap();
    assert_eq!(saved, Saved::Version("v3".into()));
    assert!(matches!(
        withhold(&f.writer(), &f.id(), "v3", "v1", &author("secret")),
        Err(WorkspaceError::State(_))
    ));
    // While v1 is withheld, an edit giving back its title is refused beside the field, and a
    // restore of v1 is refused: nothing is written (break round 2: both republished its text).
    let mut fields = f.fields();
    fields
        .0
        .insert("dc.title".into(), vec!["Trống Đọi Tam".into()]);
    let refused = edit(
        &f.writer(),
        &f.id(),
        "v3",
        &fields,
        &communities(),
        &author("t"),
    );
    let Err(WorkspaceError::Invalid(checked)) = refused else {
        panic!("{refused:?}");
    };
    assert_eq!(
        checked.errors["dc.title"][0].id,
        Some("workspace-withheld-text")
    );
    assert!(matches!(
        restore(&f.writer(), &f.id(), "v3", "v1", &author("back")),
        Err(WorkspaceError::Resurfacing(field)) if field == "dc.title"
    ));
    assert_eq!(
        f.archive.record_inventory(&f.id()).unwrap().unwrap().head,
        "v3"
    );
    // Another edit and a restore (of v2) keep it withheld.
    fields
        .0
        .insert("dc.title".into(), vec!["Trống Đọi Tam (Duy Tiên)".into()]);
    edit(
        &f.writer(),
        &f.id(),
        "v3",
        &fields,
        &communities(),
        &author("t"),
    )
    .unwrap();
    restore(&f.writer(), &f.id(), "v4", "v2", &author("Restored v2")).unwrap();
    let record = f.archive.record(&f.id()).unwrap().unwrap();
    let withheld: Vec<(&str, &str, &str)> = record
        .withheld_versions
        .iter()
        .map(|w| (w.version.as_str(), w.reason.as_str(), w.by.as_str()))
        .collect();
    assert_eq!(withheld, [("v1", "secret", "thu")]);
    // It is a metadata modification in the audit log, its reason the detail.
    let inventory = f.archive.record_inventory(&f.id()).unwrap().unwrap();
    let events: Vec<(String, String)> = f
        .archive
        .events(&inventory)
        .unwrap()
        .into_iter()
        .map(|event| (event.event_type.code().to_string(), event.detail))
        .collect();
    assert!(
        events.contains(&(
            "mem".to_string(),
            "secret (fields: withheld_versions)".to_string()
        )),
        "{events:?}"
    );
    release(&f.writer(), &f.id(), "v5", "v1", &author("agreed")).unwrap();
    let record = f.archive.record(&f.id()).unwrap().unwrap();
    assert!(record.withheld_versions.is_empty());
}

/// A message or reason with a direction override or an escape sequence is refused before the
/// archive is touched; one with line breaks is text (break round 2: a withhold reason kept
/// U+202E raw in the version, the history page and the audit log).
#[test]
fn a_message_with_control_or_invisible_characters_is_refused_and_nothing_is_written() {
    let f = Fixture::new();
    let mut fields = f.fields();
    fields
        .0
        .insert("dc.title".into(), vec!["Trống Đọi Tam, Hà Nam".into()]);
    for message in ["a\u{202e}b", "đỏ \u{1b}[31m", "x\u{200b}y", "a\u{2028}b"] {
        let refused = edit(
            &f.writer(),
            &f.id(),
            "v1",
            &fields,
            &communities(),
            &author(message),
        );
        assert!(
            matches!(refused, Err(WorkspaceError::MessageCharacters)),
            "{message:?}: {refused:?}"
        );
        assert!(matches!(
            withdraw(&f.writer(), &f.id(), "v1", &author(message)),
            Err(WorkspaceError::MessageCharacters)
        ));
    }
    assert_eq!(
        f.archive.record_inventory(&f.id()).unwrap().unwrap().head,
        "v1"
    );
    edit(
        &f.writer(),
        &f.id(),
        "v1",
        &fields,
        &communities(),
        &author("Sửa tên.\nTheo sổ của làng."),
    )
    .unwrap();
}
