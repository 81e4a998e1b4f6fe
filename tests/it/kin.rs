//! An undescribed file that seems to belong with a record that is not public is refused, never
//! made a new public record (break-13b R12: a corrected note of a community record re-sent
//! without a row became `anh-a-ghi-chu`, public, its text searchable by anyone).

use std::fs;
use std::path::{Path, PathBuf};

use disan::model::Access;

use crate::support::{Workspace, ids, problems, record};

/// The committed photo the batches below carry.
fn photo() -> Vec<u8> {
    fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/batches/valid/objects/anh/khong-mo-ta.jpg"),
    )
    .unwrap()
}

/// Writes `files` (batch-relative path, bytes) as the batch `name` of `workspace`.
fn batch(workspace: &Workspace, name: &str, files: &[(&str, &[u8])]) -> PathBuf {
    let root = workspace.dir.path().join("batches").join(name);
    for (path, bytes) in files {
        let path = root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    root
}

/// An archive holding record `anh-a` (the folder `objects/anh-a`: a photo and a note) with
/// `access`.
fn archive_with_anh_a(access: &str) -> Workspace {
    let workspace = Workspace::new();
    let photo = photo();
    let sheet = format!("filename,dc.title,access\nobjects/anh-a,Ảnh A,{access}\n");
    let first = batch(
        &workspace,
        "first",
        &[
            ("metadata.csv", sheet.as_bytes()),
            ("objects/anh-a/anh.jpg", &photo),
            ("objects/anh-a/ghi-chu.txt", b"Ghi chu dalyqolat.\n"),
        ],
    );
    let (code, report) = workspace.ingest(&first, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(ids(&report, "records", "added"), ["anh-a"]);
    workspace
}

const CORRECTED: &[u8] = b"Ghi chu dalyqolat.\nMot dong sua.\n";

#[test]
fn a_corrected_note_of_a_community_record_resent_without_a_row_is_refused() {
    let workspace = archive_with_anh_a("community:a");
    let photo = photo();
    for extra in [&[][..], &["--replace-descriptions"][..]] {
        let resent = batch(
            &workspace,
            "resent",
            &[
                ("objects/anh-a/anh.jpg", &photo),
                ("objects/anh-a/ghi-chu.txt", CORRECTED),
            ],
        );
        let (code, report) = workspace.ingest(&resent, extra);
        assert_eq!(code, 1, "{extra:?}");
        assert!(ids(&report, "records", "added").is_empty(), "{extra:?}");
        assert_eq!(
            problems(&report),
            [
                "error: objects/anh-a/ghi-chu.txt: not ingested: no row gives its access, so it would be a new public record 'anh-a-ghi-chu', but it seems to belong with record 'anh-a', which has access community:a (it lies in the folder 'objects/anh-a', named like that record); give it a row in metadata.csv with its access (the record's own, or public if it is meant for everyone)",
                "warning: objects/anh-a/anh.jpg: not stored again: the archive already holds this content as record 'anh-a'",
            ],
            "{extra:?}"
        );
    }
}

#[test]
fn a_rowless_file_beside_a_sheet_is_refused_by_its_folder_its_name_or_its_neighbour() {
    let workspace = archive_with_anh_a("restricted");
    let photo = photo();
    // With a sheet describing something else (R12 addendum), by folder name; at the top of
    // objects/ by the id pattern; in another folder beside the record's unchanged photo.
    let resent = batch(
        &workspace,
        "with-sheet",
        &[
            (
                "metadata.csv",
                b"filename,dc.title,access\nobjects/khac.txt,Khac,public\n",
            ),
            ("objects/khac.txt", b"Mot van ban cong khai.\n"),
            ("objects/anh-a/ghi-chu-2.txt", CORRECTED),
            ("objects/anh-a-3.txt", b"Ban thu ba.\n"),
            ("objects/gui-lai/anh.jpg", &photo),
            ("objects/gui-lai/ghi-chu.txt", b"Ban gui lai.\n"),
        ],
    );
    let (code, report) = workspace.ingest(&resent, &[]);
    assert_eq!(code, 1);
    assert_eq!(ids(&report, "records", "added"), ["khac"]);
    let tail = "; give it a row in metadata.csv with its access (the record's own, or public if it is meant for everyone)";
    assert_eq!(
        problems(&report),
        [
            format!("error: objects/anh-a-3.txt: not ingested: no row gives its access, so it would be a new public record 'anh-a-3', but it seems to belong with record 'anh-a', which has access restricted (its record id 'anh-a-3' begins with that record's id){tail}"),
            format!("error: objects/anh-a/ghi-chu-2.txt: not ingested: no row gives its access, so it would be a new public record 'anh-a-ghi-chu-2', but it seems to belong with record 'anh-a', which has access restricted (it lies in the folder 'objects/anh-a', named like that record){tail}"),
            format!("error: objects/gui-lai/ghi-chu.txt: not ingested: no row gives its access, so it would be a new public record 'gui-lai-ghi-chu', but it seems to belong with record 'anh-a', which has access restricted ('objects/gui-lai/anh.jpg' beside it holds the same bytes as that record){tail}"),
            "warning: objects/gui-lai/anh.jpg: not stored again: the archive already holds this content as record 'anh-a'".to_string(),
        ]
    );
    assert_eq!(record(&workspace, "anh-a").access, Access::Restricted);
}

#[test]
fn a_rowless_file_beside_a_public_record_still_goes_in_public() {
    let workspace = archive_with_anh_a("public");
    let photo = photo();
    let resent = batch(
        &workspace,
        "resent",
        &[
            ("objects/anh-a/anh.jpg", &photo),
            ("objects/anh-a/ghi-chu.txt", CORRECTED),
        ],
    );
    let (code, report) = workspace.ingest(&resent, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(ids(&report, "records", "added"), ["anh-a-ghi-chu"]);
    assert_eq!(record(&workspace, "anh-a-ghi-chu").access, Access::Public);
}

/// The R12 edge (issue 13's closing note): the restricted record is not archived yet but
/// described by a row of the same batch; the rowless note named like it is refused all the same,
/// and goes in once the row is public (the guard is about access, not about names).
#[test]
fn a_rowless_note_beside_a_restricted_row_of_the_same_batch_is_refused() {
    let photo = photo();
    for (access, refused) in [("restricted", true), ("public", false)] {
        let workspace = Workspace::new();
        let sheet = format!("filename,dc.title,access\nobjects/anh-a.jpg,Ảnh A,{access}\n");
        let first = batch(
            &workspace,
            "first",
            &[
                ("metadata.csv", sheet.as_bytes()),
                ("objects/anh-a.jpg", &photo),
                ("objects/anh-a-ghi-chu.txt", b"Ghi chu dalyqolat.\n"),
            ],
        );
        let (code, report) = workspace.ingest(&first, &[]);
        if refused {
            assert_eq!(code, 1);
            assert_eq!(ids(&report, "records", "added"), ["anh-a"]);
            assert_eq!(
                problems(&report),
                [
                    "error: objects/anh-a-ghi-chu.txt: not ingested: no row gives its access, so it would be a new public record 'anh-a-ghi-chu', but it seems to belong with record 'anh-a', which has access restricted (its record id 'anh-a-ghi-chu' begins with that record's id); give it a row in metadata.csv with its access (the record's own, or public if it is meant for everyone)"
                ]
            );
            assert_eq!(record(&workspace, "anh-a").access, Access::Restricted);
        } else {
            assert_eq!(code, 0, "{:#?}", problems(&report));
            assert_eq!(ids(&report, "records", "added"), ["anh-a", "anh-a-ghi-chu"]);
        }
    }
}
