//! Tests of searching the everyone index as a signed-in viewer: what a viewer may not see
//! changes no result, count, ranking score, close spelling, suggestion or related record, by
//! comparison with an index built of the visible records alone.

use super::tests::NoNames;
use super::*;
use crate::model::access::Viewer;
use crate::model::{GroupId, Kind, Provenance, RecordId, Role, SCHEMA_VERSION};

fn record(id: &str, title: &str, body: &str, access: &str) -> Record {
    let value = |text: &str| crate::model::LangValue {
        value: text.to_string(),
        lang: Lang::Vi,
    };
    let mut dc = BTreeMap::new();
    dc.insert("title".to_string(), vec![value(title)]);
    dc.insert("description".to_string(), vec![value(body)]);
    Record {
        schema: SCHEMA_VERSION,
        id: RecordId::parse(id).unwrap(),
        kind: Kind::Photo,
        access: access.parse().unwrap(),
        files_access: None,
        village: None,
        craft: None,
        artisans: Vec::new(),
        products: Vec::new(),
        stops: Vec::new(),
        date: None,
        dc,
        body: BTreeMap::new(),
        extra: BTreeMap::new(),
        files: Vec::new(),
        provenance: Provenance {
            batch: "b".into(),
            path: "p".into(),
        },
        withdrawal: None,
        withheld_versions: Vec::new(),
    }
}

/// The sample: every access value, a word (`bímật`) only a restricted record and a community
/// record hold, and a common word (`lụa`) that restricted records repeat to skew its
/// statistics.
fn sample() -> Vec<Record> {
    vec![
        record("pub-1", "Lụa Nha Xá", "dệt lụa tơ tằm", "public"),
        record("pub-2", "Trống Đọi Tam", "trống da trâu lụa", "public"),
        record("res-1", "Lụa vân", "lụa vân hoa dệt tay", "researchers"),
        record(
            "sec-1",
            "Bímật lụa lụa",
            "bímật lụa lụa lụa bímật",
            "restricted",
        ),
        record("sec-2", "Lụa lụa", "lụa lụa lụa lụa bímật", "restricted"),
        record("com-a", "Lụa phường A", "lụa bímật phường", "community:a"),
        record("com-b", "Trống phường B", "trống phường", "community:b"),
    ]
}

/// A pair of indexes (public and everyone) in a fresh folder holding `records`.
fn pair(records: &[Record]) -> (tempfile::TempDir, SearchIndex) {
    let with_text: Vec<(Record, &str)> = records.iter().map(|r| (r.clone(), "")).collect();
    pair_with_text(&with_text)
}

/// [`pair`] of records each with the text read from its files.
fn pair_with_text(records: &[(Record, &str)]) -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().unwrap();
    let index =
        SearchIndex::open_pair(&dir.path().join("search"), &dir.path().join("search-all")).unwrap();
    let mut indexer = index.indexer().unwrap();
    for (record, text) in records {
        indexer.put(record, "v1|-|-", &NoNames, text).unwrap();
    }
    indexer.commit().unwrap();
    index.reload().unwrap();
    (dir, index)
}

fn viewer(role: Role, groups: &[&str]) -> Viewer {
    Viewer::Account {
        role,
        groups: groups.iter().map(|g| GroupId::parse(g).unwrap()).collect(),
    }
}

fn query(text: &str) -> SearchQuery {
    SearchQuery {
        text: text.into(),
        page: 1,
        ..SearchQuery::default()
    }
}

/// Everything a viewer is shown for `text`, scores included through the order and snippets.
fn shown(index: &SearchIndex, text: &str) -> (usize, Vec<String>, String, String, String) {
    let results = index.search(&query(text)).unwrap();
    let suggestions: Vec<String> = index
        .suggest(text, 8)
        .unwrap()
        .into_iter()
        .map(|s| s.url)
        .collect();
    (
        results.total,
        results.hits.iter().map(|h| h.id.clone()).collect(),
        format!("{:?}", results.facets),
        format!("{:?}", results.notices),
        format!("{suggestions:?}"),
    )
}

/// The BM25 statistics of some words in the title and folded text fields.
fn statistics(index: &SearchIndex) -> Vec<u64> {
    let searcher = index.reader.searcher();
    let statistics = index.statistics(&searcher);
    let mut found = vec![statistics.total_num_docs().unwrap()];
    for field in [index.fields.title, index.fields.text_folded] {
        found.push(statistics.total_num_tokens(field).unwrap());
        for word in ["lụa", "lua", "bímật", "bimat", "trống", "phuong", "zathrax"] {
            found.push(
                statistics
                    .doc_freq(&Term::from_field_text(field, word))
                    .unwrap(),
            );
        }
    }
    found
}

#[test]
fn a_viewer_sees_exactly_what_an_index_of_the_visible_records_shows() {
    let all = sample();
    let (_dir, index) = pair(&all);
    for (who, groups, visible) in [
        (Role::Researcher, &[][..], &["pub-1", "pub-2", "res-1"][..]),
        (
            Role::Researcher,
            &["a"][..],
            &["pub-1", "pub-2", "res-1", "com-a"][..],
        ),
        (
            Role::Admin,
            &["b"][..],
            &["pub-1", "pub-2", "res-1", "com-b"][..],
        ),
    ] {
        let viewer = viewer(who, groups);
        let scoped = index
            .for_viewer(&viewer)
            .unwrap()
            .expect("a signed-in scope");
        let only: Vec<Record> = all
            .iter()
            .filter(|r| visible.contains(&r.id.as_str()))
            .cloned()
            .collect();
        let (_reference_dir, reference) = pair(&only);
        let reference = reference.for_viewer(&viewer).unwrap().unwrap();
        for text in [
            "lụa",
            "lua",
            "bímật",
            "bimat",
            "bímậ",
            "trống phường",
            "phuong",
            "l",
        ] {
            assert_eq!(
                shown(&scoped, text),
                shown(&reference, text),
                "{viewer:?} searching {text}"
            );
        }
        assert_eq!(statistics(&scoped), statistics(&reference), "{viewer:?}");
        for id in ["pub-1", "res-1", "sec-1", "com-a", "com-b", "never"] {
            assert_eq!(
                scoped.is_visible(id),
                visible.contains(&id),
                "{viewer:?} sees {id}"
            );
            if visible.contains(&id) {
                let related = |index: &SearchIndex| -> Vec<String> {
                    index
                        .related(id, 6)
                        .unwrap()
                        .into_iter()
                        .map(|h| h.id)
                        .collect()
                };
                assert_eq!(related(&scoped), related(&reference), "related to {id}");
            }
        }
    }
}

#[test]
fn archivists_see_everything_and_anonymous_visitors_use_the_public_index() {
    let (_dir, index) = pair(&sample());
    assert!(index.for_viewer(&Viewer::Anonymous).unwrap().is_none());
    let public = index.search(&query("lụa")).unwrap();
    let mut ids: Vec<String> = public.hits.iter().map(|h| h.id.clone()).collect();
    ids.sort();
    assert_eq!(ids, ["pub-1", "pub-2"]);
    assert!(!index.is_visible("res-1"));
    let archivist = index
        .for_viewer(&viewer(Role::Archivist, &[]))
        .unwrap()
        .unwrap();
    assert_eq!(archivist.search(&query("lụa")).unwrap().total, 6);
    assert!(archivist.is_visible("sec-1"));
    assert_eq!(
        archivist.scope().unwrap().key(),
        "all:a|any:a|any:b|public|researchers|restricted".replace("all:a|", "")
    );
}

#[test]
fn hiding_and_deleting_reach_both_indexes() {
    let (_dir, index) = pair(&sample());
    let archivist = viewer(Role::Archivist, &[]);
    assert!(
        index
            .for_viewer(&archivist)
            .unwrap()
            .unwrap()
            .is_visible("com-a")
    );
    let line = |id: &str, through: Option<u64>| crate::index::hiding::Hidden {
        id: id.to_string(),
        through,
    };
    // Documents made from a version later than the one hidden (here v1, the record being new
    // when hidden) were written by a later commit: kept, and nothing is committed.
    assert_eq!(
        index
            .hide(&[line("com-a", Some(0)), line("pub-1", Some(0))])
            .unwrap(),
        0
    );
    assert!(index.is_visible("pub-1"));
    assert_eq!(
        index.state().unwrap(),
        crate::index::sync::IndexState::Unknown
    );
    assert_eq!(
        index
            .hide(&[line("com-a", Some(1)), line("pub-1", None)])
            .unwrap(),
        2
    );
    assert_eq!(
        index.state().unwrap(),
        crate::index::sync::IndexState::Withdrawn
    );
    let scoped = index.for_viewer(&archivist).unwrap().unwrap();
    assert!(!scoped.is_visible("com-a"));
    assert!(!scoped.is_visible("pub-1"));
    assert!(!index.is_visible("pub-1"));
}

/// Records whose files are narrower than their descriptions, each with the text read from its
/// files (subtitles, PDF text): words (`zathrax`, `bímật`) that only file text holds, and a
/// common word (`lụa`) the files repeat to skew its statistics.
fn with_file_text() -> Vec<(Record, &'static str)> {
    let narrowed = |id: &str, title: &str, body: &str, access: &str, files: &str| {
        let mut record = record(id, title, body, access);
        record.files_access = Some(files.parse().unwrap());
        record
    };
    let mut records: Vec<(Record, &str)> = sample().into_iter().map(|r| (r, "")).collect();
    records.extend([
        (
            narrowed(
                "phim-a",
                "Bịt da trống",
                "mô tả công khai",
                "public",
                "community:a",
            ),
            "zathrax bímật phụ đề lụa lụa lụa",
        ),
        (
            narrowed(
                "phim-r",
                "Phim vân",
                "mô tả vân",
                "researchers",
                "community:b",
            ),
            "zathrax lụa lụa vân",
        ),
        (
            narrowed("phim-x", "Phim dệt", "dệt", "community:a", "restricted"),
            "zathrax bímật",
        ),
        (record("phim-o", "Phim mở", "lụa", "public"), "phụ đề lụa"),
    ]);
    records
}

/// Item 2 of issue 13: a record whose files are narrower than its description is found by its
/// file text by the viewers who may see its files, and by no one else, in any result, count,
/// snippet, suggestion, close spelling or statistic: each viewer's answers are those of an index
/// built of exactly what it may see, descriptions and files.
#[test]
fn file_text_is_searched_exactly_by_the_viewers_who_may_see_the_files() {
    let all = with_file_text();
    let (_dir, index) = pair_with_text(&all);
    let viewers = [
        viewer(Role::Researcher, &[]),
        viewer(Role::Researcher, &["a"]),
        viewer(Role::Researcher, &["b"]),
        viewer(Role::Admin, &["a", "b"]),
        viewer(Role::Archivist, &[]),
    ];
    for viewer in viewers {
        let scoped = index.for_viewer(&viewer).unwrap().unwrap();
        // What this viewer may see, as an index of its own would hold it: the files (and their
        // text) only of the records whose files it may see.
        let only: Vec<(Record, &str)> = all
            .iter()
            .filter(|(record, _)| viewer.may_see(&record.access))
            .map(|(record, text)| {
                let mut seen = record.clone();
                seen.files_access = None;
                let text = if viewer.may_see_files(record) {
                    *text
                } else {
                    ""
                };
                (seen, text)
            })
            .collect();
        let (_reference_dir, reference) = pair_with_text(&only);
        let reference = reference.for_viewer(&viewer).unwrap().unwrap();
        for text in [
            "zathrax", "zathra", "bímật", "bimat", "lụa", "phu de", "van", "z", "p",
        ] {
            assert_eq!(
                shown(&scoped, text),
                shown(&reference, text),
                "{viewer:?} searching {text}"
            );
        }
        assert_eq!(statistics(&scoped), statistics(&reference), "{viewer:?}");
        // Each record is one hit, never two (its description and its files).
        let every = scoped.search(&query("lụa dệt trống vân phim")).unwrap();
        let ids: BTreeSet<&str> = every.hits.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids.len(), every.hits.len(), "{viewer:?}");
        for (record, _) in &all {
            assert_eq!(
                scoped.is_visible(record.id.as_str()),
                viewer.may_see(&record.access),
                "{viewer:?} {}",
                record.id
            );
        }
    }
    // Who finds the film by its subtitles: members of `a` (and archivists) only.
    let finds = |viewer: &Viewer| -> Vec<String> {
        let scoped = index.for_viewer(viewer).unwrap().unwrap();
        let mut ids: Vec<String> = scoped
            .search(&query("zathrax"))
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.id)
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(finds(&viewer(Role::Researcher, &[])), Vec::<String>::new());
    assert_eq!(finds(&viewer(Role::Researcher, &["a"])), ["phim-a"]);
    assert_eq!(finds(&viewer(Role::Researcher, &["b"])), ["phim-r"]);
    assert_eq!(
        finds(&viewer(Role::Archivist, &[])),
        ["phim-a", "phim-r", "phim-x"]
    );
    // The public index never holds file text the public may not see.
    assert_eq!(index.search(&query("zathrax")).unwrap().total, 0);
}
