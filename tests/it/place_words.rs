//! Addresses written the usual Vietnamese way (break14 finding 8): "xã Tiên Sơn", "huyện Duy
//! Tiên", "tỉnh Hà Nam", "thôn Đọi Tam", "làng Đọi Tam" found nothing, because the archive holds
//! the names without the word for the kind of place. Over a real ingest and index, each such
//! query (any case, with or without diacritics, NFC or NFD, and a whole address with its commas)
//! finds exactly what the bare name finds, for an anonymous visitor, a researcher and an
//! archivist, never a record the viewer may not see, and with the bare name's notices (none saying
//! that nothing holds the kind word or that close spellings of it were tried); a kind word alone (`xã`) or before words
//! naming no place (`làng nghề`) is searched as a word, as before.
//!
//! Every village and record here is obviously synthetic ("Đọi Thử", "Tiên Thử").

use std::fs;

use disan::index::IndexDir;
use disan::index::search::{SearchIndex, SearchQuery};
use disan::model::Role;
use disan::model::access::Viewer;
use unicode_normalization::UnicodeNormalization;

use crate::support::{Workspace, problems};

/// Two test villages in two communes, four records of the first at three access levels, and a
/// public record of the second whose text holds "xã", "huyện" and "làng nghề".
fn ingested() -> Workspace {
    let workspace = Workspace::new();
    let batch = workspace.dir.path().join("batches").join("place-words");
    fs::create_dir_all(batch.join("metadata")).unwrap();
    fs::create_dir_all(batch.join("objects")).unwrap();
    fs::write(
        batch.join("metadata/villages.csv"),
        "id,name,name@en,commune,district,province,latitude,longitude,crafts,status,activity\n\
         lang-doi-thu,Đọi Thử,Doi Thu test village,Tiên Thử,Duy Thử,Hà Thử,,,,,active\n\
         lang-khac-thu,Khác Thử,Other test village,Xuân Thử,Lý Thử,Nam Thử,,,,,active\n",
    )
    .unwrap();
    let records = [
        (
            "dia-danh-cong-khai-1",
            "lang-doi-thu",
            "public",
            "Kỹ thuật thử một",
        ),
        (
            "dia-danh-cong-khai-2",
            "lang-doi-thu",
            "public",
            "Tư liệu thử hai",
        ),
        (
            "dia-danh-nghien-cuu",
            "lang-doi-thu",
            "researchers",
            "Tư liệu thử ba",
        ),
        (
            "dia-danh-kin",
            "lang-doi-thu",
            "restricted",
            "Tư liệu thử bốn",
        ),
        (
            "dia-danh-khac",
            "lang-khac-thu",
            "public",
            "Tư liệu thử năm",
        ),
    ];
    for (id, village, access, title) in records {
        fs::write(
            batch.join(format!("objects/{id}.md")),
            format!(
                "---\ndc.identifier: {id}\ndc.title: {title}\nkind: technique\nvillage: {village}\naccess: {access}\n---\n\n\
                 Văn bản mẫu để kiểm thử{}.\n",
                if village == "lang-khac-thu" {
                    ": một làng nghề thử, do xã và huyện thử ghi lại"
                } else {
                    ""
                }
            ),
        )
        .unwrap();
    }
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    workspace
}

/// The ids `viewer` finds for `text`, sorted.
fn found(index: &SearchIndex, viewer: &Viewer, text: &str) -> Vec<String> {
    found_and_told(index, viewer, text).0
}

/// The ids `viewer` finds for `text`, sorted, and what the visitor is told.
fn found_and_told(
    index: &SearchIndex,
    viewer: &Viewer,
    text: &str,
) -> (Vec<String>, Vec<disan::index::query::Notice>) {
    let scoped = index.for_viewer(viewer).unwrap();
    let index = scoped.as_ref().unwrap_or(index);
    let query = SearchQuery {
        text: text.to_string(),
        page: 1,
        ..SearchQuery::default()
    };
    let results = index.search(&query).unwrap();
    let mut ids: Vec<String> = results.hits.into_iter().map(|hit| hit.id).collect();
    ids.sort();
    (ids, results.notices)
}

#[test]
fn an_address_with_its_kind_words_finds_what_the_bare_name_finds() {
    let workspace = ingested();
    let index = IndexDir::new(&workspace.index()).search().unwrap();
    let account = |role| Viewer::Account {
        role,
        groups: Default::default(),
    };
    let viewers = [
        (
            Viewer::Anonymous,
            &["dia-danh-cong-khai-1", "dia-danh-cong-khai-2"][..],
        ),
        (
            account(Role::Researcher),
            &[
                "dia-danh-cong-khai-1",
                "dia-danh-cong-khai-2",
                "dia-danh-nghien-cuu",
            ][..],
        ),
        (
            account(Role::Archivist),
            &[
                "dia-danh-cong-khai-1",
                "dia-danh-cong-khai-2",
                "dia-danh-kin",
                "dia-danh-nghien-cuu",
            ][..],
        ),
    ];
    let pairs = [
        ("xã Tiên Thử", "Tiên Thử"),
        ("Xã Tiên Thử", "Tiên Thử"),
        ("xa tien thu", "tien thu"),
        ("phường Tiên Thử", "Tiên Thử"),
        ("thị trấn Tiên Thử", "Tiên Thử"),
        ("huyện Duy Thử", "Duy Thử"),
        ("thị xã Duy Thử", "Duy Thử"),
        ("tỉnh Hà Thử", "Hà Thử"),
        ("TỈNH HÀ THỬ", "Hà Thử"),
        ("thành phố Hà Thử", "Hà Thử"),
        ("thôn Đọi Thử", "Đọi Thử"),
        ("làng Đọi Thử", "Đọi Thử"),
        ("xóm Đọi Thử", "Đọi Thử"),
        (
            "xã Tiên Thử, huyện Duy Thử, tỉnh Hà Thử",
            "Tiên Thử Duy Thử Hà Thử",
        ),
    ];
    for (viewer, sees) in &viewers {
        for (address, bare) in pairs {
            for typed in [address.to_string(), address.nfd().collect::<String>()] {
                let (with_kind, notices) = found_and_told(&index, viewer, &typed);
                assert_eq!(with_kind, *sees, "{viewer:?} {typed:?}");
                // The same records, and the same notices: none about the kind word.
                let (without, told) = found_and_told(&index, viewer, bare);
                assert_eq!(with_kind, without, "{viewer:?} {typed:?}");
                assert_eq!(notices, told, "{viewer:?} {typed:?}");
            }
        }
        // Alone, or before words naming no place, a kind word is a word like any other: only
        // the record whose text holds it.
        for word in ["xã", "làng nghề", "huyện", "làng nghề thử"] {
            assert_eq!(
                found(&index, viewer, word),
                ["dia-danh-khac"],
                "{viewer:?} {word}"
            );
        }
        // Held nowhere and before no place, a kind word is still reported like any word.
        let (ids, notices) = found_and_told(&index, viewer, "phường nghề");
        assert!(ids.is_empty() && !notices.is_empty(), "{notices:?}");
        // A kind word before the wrong place still narrows to that place's records.
        assert!(found(&index, viewer, "xã Khác Thử Tiên").is_empty());
    }
}
