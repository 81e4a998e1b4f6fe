//! A community protocol is never dropped or widened at ingest (findings F8, F9 and F10 of the
//! issue 13 review): a protocol written in a column or front-matter key Disan does not read as
//! one (`protocol`, `community`, `need`, `files_need`, `dc.rights`, a description cell moved by a
//! missing cell, `files_access` on a Markdown text) refuses its record, naming file, row, column
//! and the column to use; nothing of it reaches the archive.
//!
//! Fixtures: `tests/fixtures/batches/protocol-leaks/<name>` (the breaker's batches, one record
//! each, ingested with the groups `cong-dong-a` and `cong-dong-b`).

use serde_json::Value;

use crate::support::{Workspace, ids, problems};

/// Ingests `protocol-leaks/NAME` into a fresh archive where both communities exist.
fn ingest(name: &str) -> (Workspace, i32, Value) {
    let workspace = Workspace::new();
    workspace.add_groups(&["cong-dong-a", "cong-dong-b"]);
    let batch = workspace.batch(&format!("protocol-leaks/{name}"));
    let (code, report) = workspace.ingest(&batch, &[]);
    (workspace, code, report)
}

/// Asserts that the batch `name` stored nothing, exits 1 and says exactly `expected`.
fn refused(name: &str, expected: &[&str]) {
    let (_workspace, code, report) = ingest(name);
    assert_eq!(problems(&report), expected, "{name}");
    assert_eq!(code, 1, "{name}");
    assert!(ids(&report, "records", "added").is_empty(), "{name}");
    let files = report["files"].as_object().expect("files");
    assert_eq!(
        files
            .get("objects/a.txt")
            .or_else(|| files.get("objects/chuyen.md"))
            .map(|fate| fate["outcome"].clone()),
        Some(Value::from("refused")),
        "{name}: {report:#}"
    );
    assert!(
        files.values().all(|fate| fate["outcome"] != "stored"),
        "{name}: {report:#}"
    );
}

const SHEET_UNUSABLE: &str = "error: metadata/metadata.csv: nothing in the batch was ingested because metadata/metadata.csv cannot be used (see the error there); fix it and ingest again";

fn header_refused(column: &str, meant: &str) -> String {
    let values = if meant.ends_with("need") {
        "any or all: whether a viewer must belong to any or to all of the communities"
    } else {
        "public, researchers, restricted, community:<group-id>"
    };
    format!(
        "error: metadata/metadata.csv, row 1, column {column}: the column '{column}' is not one Disan knows, and it may say who may see the files: did you mean {meant}? Name it {meant} (values: {values}), or remove it; nothing in the batch was ingested"
    )
}

#[test]
fn a_protocol_or_community_column_refuses_the_sheet_naming_access() {
    refused(
        "proto1",
        &[SHEET_UNUSABLE, &header_refused("protocol", "access")],
    );
    refused(
        "proto6",
        &[SHEET_UNUSABLE, &header_refused("community", "access")],
    );
}

#[test]
fn a_need_column_by_another_name_refuses_the_sheet_naming_the_need_column() {
    refused(
        "need4",
        &[SHEET_UNUSABLE, &header_refused("need", "access_need")],
    );
    refused(
        "need5",
        &[
            SHEET_UNUSABLE,
            &header_refused("files_need", "files_access_need"),
        ],
    );
    refused(
        "need3",
        &[
            SHEET_UNUSABLE,
            &header_refused("access_needs", "access_need"),
        ],
    );
}

#[test]
fn a_community_in_dc_rights_refuses_its_row() {
    refused(
        "proto2",
        &[
            "error: metadata/metadata.csv, row 2, column dc.rights: 'dc.rights' holds 'community:cong-dong-a', a community protocol, but only the access column says who may see the record (files_access, who may see its files): write community:<group-id> in access (or files_access), and leave it out of 'dc.rights'",
        ],
    );
    refused(
        "rights-group",
        &[
            "error: metadata/metadata.csv, row 2, column dc.rights: 'dc.rights' holds 'cong-dong-a', the id of a community group, but only the access column says who may see the record (files_access, who may see its files): write community:<group-id> in access (or files_access), and leave it out of 'dc.rights'",
        ],
    );
}

#[test]
fn front_matter_keys_named_like_access_refuse_the_text() {
    refused(
        "fm2",
        &[
            "error: objects/chuyen.md, column protocol: 'protocol' is not a column Disan knows, and it may say who may see the record: did you mean access? Name it access (values: public, researchers, restricted, community:<group-id>)",
        ],
    );
    refused(
        "fm1",
        &[
            "error: objects/chuyen.md, column need: 'need' is not a column Disan knows, and it may say who may see the record: did you mean access_need? Name it access_need (values: any or all: whether a viewer must belong to any or to all of the communities)",
        ],
    );
}

#[test]
fn a_need_key_in_a_text_inside_a_folder_record_refuses_the_folder() {
    let (_workspace, code, report) = ingest("folder-need");
    assert_eq!(
        problems(&report),
        [
            "error: objects/f/note.md, column need: 'need' is not a key Disan knows, and it may say who may see the text: did you mean access_need? It lies in the folder that row 2 of metadata/metadata.csv describes as one record, so that record is not ingested"
        ]
    );
    assert_eq!(code, 1);
    assert!(ids(&report, "records", "added").is_empty());
    let files = report["files"].as_object().expect("files");
    for file in ["objects/f/a.txt", "objects/f/note.md"] {
        assert_eq!(files[file]["outcome"], "refused", "{file}");
    }
}

#[test]
fn files_access_on_a_markdown_text_refuses_it_naming_access() {
    refused(
        "fm5",
        &[
            "error: objects/chuyen.md, column files_access: 'files_access' is for a record's files, but a Markdown text has none apart from itself, and its body is the record's description, shown to whoever may see the record: write the rule in access (access: community:cong-dong-a), and leave out files_access",
        ],
    );
}

#[test]
fn a_row_missing_a_middle_cell_before_files_access_is_refused() {
    refused(
        "shift1",
        &[
            "error: metadata/metadata.csv, row 2: the row has 3 cells but the header names 4 columns, and an earlier cell holds an access level while the files_access cell is missing (a cell left out, or a quote left open?); nothing it may describe is ingested until it is fixed",
            "error: objects/a.txt: not ingested: row 2 of metadata/metadata.csv may describe this file but could not be used (see the error there); fix it and ingest again",
        ],
    );
}

#[test]
fn an_unknown_column_is_named_and_a_community_in_it_refuses_only_its_row() {
    let (_workspace, code, report) = ingest("unknown-column");
    assert_eq!(
        problems(&report),
        [
            "error: metadata/metadata.csv, row 2, column ghi chú: 'ghi chú' holds 'community: cong-dong-a', a community protocol, but only the access column says who may see the record (files_access, who may see its files): write community:<group-id> in access (or files_access), and leave it out of 'ghi chú'",
            "warning: metadata/metadata.csv, row 1, column ghi chú: 'ghi chú' is not a column Disan knows; its values are kept as written and shown with the record, and say nothing about who may see it",
        ]
    );
    assert_eq!(code, 1);
    // Prose beginning with "Community:" is a note, not a protocol.
    assert_eq!(ids(&report, "records", "added"), ["b"]);
}
