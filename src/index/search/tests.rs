//! Unit tests of searching: analysis, ranking, phrases, fields, typos, suggestions, related
//! records, and that hidden records weigh in nothing.

use super::*;
use crate::model::{Kind, Provenance, RecordId, SCHEMA_VERSION};

/// Authority lists that know no name (shared with `scope_tests`).
pub(super) struct NoNames;
impl AuthorityNames for NoNames {
    fn village_names(&self, _: &str) -> Vec<String> {
        Vec::new()
    }
    fn craft_names(&self, _: &str) -> Vec<String> {
        Vec::new()
    }
    fn village_district(&self, _: &str) -> Option<String> {
        None
    }
    fn village_status(&self, _: &str) -> Option<crate::model::RiskStatus> {
        None
    }
}

/// A photo record `id` with `title` only, of `access`.
pub(super) fn record(id: &str, title: &str, access: Access) -> Record {
    let mut dc = BTreeMap::new();
    dc.insert(
        "title".to_string(),
        vec![crate::model::LangValue {
            value: title.to_string(),
            lang: Lang::Vi,
        }],
    );
    Record {
        schema: SCHEMA_VERSION,
        id: RecordId::parse(id).unwrap(),
        kind: Kind::Photo,
        access,
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

fn query(text: &str) -> SearchQuery {
    SearchQuery {
        text: text.into(),
        page: 1,
        ..SearchQuery::default()
    }
}

#[test]
fn unaccented_queries_find_accented_text_and_exact_matches_rank_first() {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open_or_create(dir.path()).unwrap();
    let mut indexer = index.indexer().unwrap();
    indexer
        .put(
            &record("a", "Làng dệt lụa Nha Xá", Access::Public),
            "v1|-|-",
            &NoNames,
            "",
        )
        .unwrap();
    indexer
        .put(
            &record("b", "Trống Đọi Tam", Access::Public),
            "v1|-|-",
            &NoNames,
            "",
        )
        .unwrap();
    indexer
        .put(
            &record("c", "Trong làng", Access::Public),
            "v1|-|-",
            &NoNames,
            "",
        )
        .unwrap();
    indexer
        .put(
            &record("d", "Trống hạn chế", Access::Restricted),
            "v1|-|-",
            &NoNames,
            "",
        )
        .unwrap();
    indexer.commit().unwrap();
    index.reload().unwrap();
    let ids = |q: &str| -> Vec<String> {
        index
            .search(&query(q))
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.id)
            .collect()
    };
    assert_eq!(ids("det lua"), ["a"]);
    assert_eq!(
        ids("de\u{0302}\u{0323}t lụa"),
        ["a"],
        "an NFD query must work"
    );
    assert_eq!(ids("doi tam"), ["b"]);
    assert_eq!(ids("trống"), ["b", "c"]);
    indexer
        .put(&record("e", "Thuý", Access::Public), "v1|-|-", &NoNames, "")
        .unwrap();
    indexer
        .put(&record("f", "Thủy", Access::Public), "v1|-|-", &NoNames, "")
        .unwrap();
    indexer.commit().unwrap();
    index.reload().unwrap();
    // Old tone placement in the record, new in the query: still the exact match, first.
    assert_eq!(ids("thúy"), ["e", "f"]);
    let all = index.search(&query("")).unwrap();
    assert_eq!(all.total, 5, "a restricted record was counted");
    assert_eq!(all.facets["kind"]["photo"], 5);
}

struct SampleNames;
impl AuthorityNames for SampleNames {
    fn village_names(&self, id: &str) -> Vec<String> {
        match id {
            "nha-xa" => vec!["Nha Xá".into(), "Nha Xa silk village".into()],
            "doi-tam" => vec!["Đọi Tam".into()],
            _ => Vec::new(),
        }
    }
    fn craft_names(&self, id: &str) -> Vec<String> {
        match id {
            "det-lua" => vec!["Dệt lụa".into(), "Silk weaving".into()],
            "lam-trong" => vec!["Làm trống".into(), "Drum making".into()],
            _ => Vec::new(),
        }
    }
    fn village_district(&self, id: &str) -> Option<String> {
        (id == "nha-xa" || id == "doi-tam").then(|| "Duy Tiên".to_string())
    }
    fn village_status(&self, _: &str) -> Option<crate::model::RiskStatus> {
        None
    }
}

/// A record with a village, a craft, a date, a description and an English title.
fn described(
    id: &str,
    title: &str,
    english: &str,
    description: &str,
    place: (&str, &str),
    date: &str,
    kind: Kind,
) -> Record {
    let mut r = record(id, title, Access::Public);
    let value = |value: &str, lang| crate::model::LangValue {
        value: value.to_string(),
        lang,
    };
    r.dc.get_mut("title")
        .unwrap()
        .push(value(english, Lang::En));
    r.dc.insert("description".into(), vec![value(description, Lang::Vi)]);
    r.village = Some(crate::model::VillageId::parse(place.0).unwrap());
    r.craft = Some(crate::model::CraftId::parse(place.1).unwrap());
    r.date = (!date.is_empty()).then(|| crate::model::edtf::Edtf::parse(date).unwrap());
    r.kind = kind;
    r
}

fn collection() -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open_or_create(dir.path()).unwrap();
    let mut indexer = index.indexer().unwrap();
    let records = [
        described(
            "loom",
            "Khung cửi dệt lụa",
            "The silk loom",
            "Làng nghề dệt lụa Nha Xá giữ khung cửi gỗ.",
            ("nha-xa", "det-lua"),
            "1995",
            Kind::Photo,
        ),
        described(
            "weavers",
            "Thợ dệt bên sông Châu",
            "Weavers by the Châu river",
            "Nghề của làng: dệt và nhuộm.",
            ("nha-xa", "det-lua"),
            "2019-05",
            Kind::Film,
        ),
        described(
            "drum",
            "Bịt mặt trống",
            "Stretching a drum skin",
            "Nghệ nhân làng nghề Đọi Tam căng da trâu.",
            ("doi-tam", "lam-trong"),
            "198X",
            Kind::Film,
        ),
        described(
            "undated",
            "Tang trống cũ",
            "An old drum body",
            "Gỗ mít.",
            ("doi-tam", "lam-trong"),
            "",
            Kind::Photo,
        ),
    ];
    for r in &records {
        indexer.put(r, "v1|-|-", &SampleNames, "").unwrap();
    }
    let mut secret = described(
        "secret",
        "Bí quyết nhuộm Nhaxaa",
        "A dyeing secret",
        "Chỉ dành cho lưu trữ.",
        ("nha-xa", "det-lua"),
        "1996",
        Kind::Technique,
    );
    secret.access = Access::Restricted;
    indexer.put(&secret, "v1|-|-", &SampleNames, "").unwrap();
    indexer.commit().unwrap();
    index.reload().unwrap();
    (dir, index)
}

fn ids(index: &SearchIndex, q: &str) -> Vec<String> {
    index
        .search(&query(q))
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

#[test]
fn folded_phrases_keep_word_order() {
    let (_dir, index) = collection();
    // "làng nghề" is a phrase in loom and drum; weavers has both words, apart.
    assert_eq!(sorted(ids(&index, "\"lang nghe\"")), ["drum", "loom"]);
    assert_eq!(sorted(ids(&index, "\"làng nghề\"")), ["drum", "loom"]);
    assert_eq!(
        sorted(ids(&index, "lang nghe")),
        ["drum", "loom", "weavers"]
    );
    assert!(ids(&index, "\"nghe lang\"").is_empty());
    // Longer phrases: every pair, each right after the one before.
    assert_eq!(ids(&index, "\"nghe det lua nha\""), ["loom"]);
    assert_eq!(ids(&index, "\"làng nghề đọi tam\""), ["drum"]);
    // The drum's text holds "lang nghe" and "nghe nhan", but not one after the other.
    assert!(ids(&index, "\"lang nghe nhan\"").is_empty());
}

#[test]
fn rankings_do_not_depend_on_how_records_fall_into_segments() {
    // "near" holds "làng nghề" in a slightly shorter text than "far": it ranks first. Its
    // neighbours are short, far's are long, which per-segment length statistics would
    // have turned around when the two land in different segments.
    let text = |id: &str, words: &str, filler: usize| {
        let description = format!("{words} {}", "gỗ ".repeat(filler));
        described(
            id,
            id,
            id,
            &description,
            ("doi-tam", "lam-trong"),
            "",
            Kind::Photo,
        )
    };
    let long_neighbours: Vec<Record> = (0..5)
        .map(|n| text(&format!("long-{n}"), "", 300))
        .collect();
    let short_neighbours: Vec<Record> =
        (0..5).map(|n| text(&format!("short-{n}"), "", 2)).collect();
    let far = text("far", "Làng nghề", 20);
    let near = text("near", "Làng nghề", 18);
    let build = |segments: &[Vec<&Record>]| {
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::open_or_create(dir.path()).unwrap();
        let mut indexer = index.indexer().unwrap();
        for segment in segments {
            for record in segment {
                indexer.put(record, "v1|-|-", &NoNames, "").unwrap();
            }
            indexer.commit().unwrap();
        }
        index.reload().unwrap();
        (dir, index)
    };
    let mut together: Vec<&Record> = vec![&far, &near];
    together.extend(long_neighbours.iter().chain(&short_neighbours));
    let mut first: Vec<&Record> = vec![&far];
    first.extend(&long_neighbours);
    let mut second: Vec<&Record> = vec![&near];
    second.extend(&short_neighbours);
    let (_one_dir, one) = build(&[together]);
    let (_two_dir, two) = build(&[first, second]);
    assert_eq!(ids(&one, "lang nghe"), ["near", "far"]);
    assert_eq!(ids(&two, "lang nghe"), ["near", "far"]);
}

#[test]
fn with_no_words_to_rank_by_results_are_in_title_order() {
    let (_dir, index) = collection();
    // Bịt, Khung, Tang, Thợ: Vietnamese order, whatever order they were indexed in.
    let by_title = ["drum", "loom", "undated", "weavers"];
    assert_eq!(ids(&index, ""), by_title);
    assert_eq!(ids(&index, "-nhuộm"), ["drum", "loom", "undated"]);
    assert_eq!(ids(&index, "kind:film"), ["drum", "weavers"]);
}

#[test]
fn or_and_not() {
    let (_dir, index) = collection();
    assert_eq!(sorted(ids(&index, "khung OR bịt")), ["drum", "loom"]);
    assert_eq!(sorted(ids(&index, "trong -bit")), ["undated"]);
    assert_eq!(sorted(ids(&index, "NOT trống")), ["loom", "weavers"]);
}

#[test]
fn field_syntax() {
    let (_dir, index) = collection();
    let both = ["loom", "weavers"];
    assert_eq!(sorted(ids(&index, "village:\"Nha Xá\"")), both);
    assert_eq!(sorted(ids(&index, "village:\"nha xa\"")), both);
    assert_eq!(sorted(ids(&index, "làng:nha-xa")), both);
    assert_eq!(sorted(ids(&index, "craft:det-lua")), both);
    assert_eq!(
        sorted(ids(&index, "nghề:\"làm trống\"")),
        ["drum", "undated"]
    );
    assert_eq!(sorted(ids(&index, "kind:film")), ["drum", "weavers"]);
    assert_eq!(
        sorted(ids(&index, "district:\"Duy Tiên\" kind:photo")),
        ["loom", "undated"]
    );
    assert_eq!(ids(&index, "date:[1990 TO 1999]"), ["loom"]);
    // 198X overlaps 1985–1994; undated records are in no range.
    assert_eq!(sorted(ids(&index, "date:[1985 TO 1994]")), ["drum"]);
    assert_eq!(
        sorted(ids(&index, "date:[1989 TO *]")),
        ["drum", "loom", "weavers"]
    );
    assert_eq!(ids(&index, "title:trống kind:photo"), ["undated"]);
    let nonsense = index.search(&query("kind:flim")).unwrap();
    assert_eq!(nonsense.total, 0);
    assert_eq!(
        nonsense.notices[0],
        crate::index::query::Notice::FieldNotRead {
            name: "kind".into(),
            why: crate::index::query::FieldProblem::UnknownKind {
                value: "flim".into()
            }
        }
    );
}

#[test]
fn english_is_stemmed() {
    let (_dir, index) = collection();
    assert_eq!(ids(&index, "weaver"), ["weavers"]);
    assert_eq!(ids(&index, "drums stretched"), ["drum"]);
}

#[test]
fn typos_fall_back_to_close_spellings_only_when_nothing_matches() {
    let (_dir, index) = collection();
    let results = index.search(&query("Nha Xaa")).unwrap();
    assert_eq!(
        sorted(results.hits.iter().map(|h| h.id.clone()).collect()),
        ["loom", "weavers"]
    );
    assert_eq!(
        results.notices,
        [crate::index::query::Notice::CloseSpellings { word: "Xaa".into() }]
    );
    assert!(
        results.hits[0].snippet.contains("<b>Xá</b>"),
        "{}",
        results.hits[0].snippet
    );
    // A word that exists is never respelled, so exact hits are not buried.
    let exact = index.search(&query("khung")).unwrap();
    assert_eq!(exact.total, 1);
    assert!(exact.notices.is_empty());
    // Short words are never respelled.
    assert!(ids(&index, "xy").is_empty());
    // A word only a restricted record holds still counts as absent: the fallback must not
    // reveal that it exists.
    assert_eq!(
        index.search(&query("nhaxaa")).unwrap().notices.len(),
        index.search(&query("nhaxab")).unwrap().notices.len()
    );
}

#[test]
fn suggestions_complete_the_last_word_from_public_titles() {
    let (_dir, index) = collection();
    let labels = |typed: &str| -> Vec<String> {
        index
            .suggest(typed, 5)
            .unwrap()
            .into_iter()
            .map(|s| s.label)
            .collect()
    };
    assert_eq!(labels("khung cu"), ["Khung cửi dệt lụa"]);
    assert_eq!(labels("det l"), ["Khung cửi dệt lụa"]);
    assert_eq!(sorted(labels("tro")), ["Bịt mặt trống", "Tang trống cũ"]);
    assert!(
        labels("bi quy").is_empty(),
        "a restricted title was suggested"
    );
    assert!(labels("").is_empty());
}

/// Every term a field of the index holds, in any segment (deleted documents included).
fn terms(index: &SearchIndex, field: Field) -> Vec<String> {
    let searcher = index.reader.searcher();
    let mut found = Vec::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field).unwrap();
        let mut stream = inverted.terms().stream().unwrap();
        while stream.advance() {
            found.push(String::from_utf8_lossy(stream.key()).into_owned());
        }
    }
    found
}

#[test]
fn a_record_the_audience_may_not_see_adds_nothing_to_the_index() {
    let (_dir, index) = collection();
    // "secret" is restricted: not a document, not a word, not an id.
    assert!(!index.is_visible("secret"));
    assert!(!index.is_visible("no-such-record"));
    assert!(index.is_visible("loom"));
    assert!(!terms(&index, index.fields.title_folded).contains(&"nhaxaa".to_string()));
    assert!(!terms(&index, index.fields.id).contains(&"secret".to_string()));
    assert_eq!(index.documents().unwrap().len(), 4);
}

#[test]
fn a_record_made_hidden_weighs_in_no_ranking_even_before_its_segment_is_merged() {
    // Two worlds with the same public records: in one, a record holding "alphaword" was
    // public and is now hidden (its deleted document still sits in the segment); in the
    // other it never existed. Rankings and close spellings must be the same.
    let public = [
        ("pub-a", "alphaword"),
        ("pub-b", "betaword mot"),
        ("pub-c", "alphaword betaword"),
    ];
    let build = |hide: bool| {
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::open_or_create(dir.path()).unwrap();
        let mut indexer = index.indexer().unwrap();
        let mut all: Vec<Record> = public
            .iter()
            .map(|(id, words)| {
                let mut r = record(id, id, Access::Public);
                r.dc.insert(
                    "description".into(),
                    vec![crate::model::LangValue {
                        value: words.to_string(),
                        lang: Lang::Vi,
                    }],
                );
                r
            })
            .collect();
        if hide {
            for n in 0..3 {
                let mut r = record(&format!("h{n}"), "an", Access::Public);
                r.dc.insert(
                    "description".into(),
                    vec![crate::model::LangValue {
                        value: "alphaword alphawore".into(),
                        lang: Lang::Vi,
                    }],
                );
                all.push(r);
            }
        }
        for r in &all {
            indexer.put(r, "v1|-|-", &NoNames, "").unwrap();
        }
        indexer.commit().unwrap();
        if hide {
            for r in all.iter_mut().skip(3) {
                r.access = Access::Restricted;
                indexer.put(r, "v2|-|-", &NoNames, "").unwrap();
            }
            indexer.commit().unwrap();
        }
        index.reload().unwrap();
        (dir, index)
    };
    let (_a, hidden) = build(true);
    let (_b, never) = build(false);
    assert!(
        hidden
            .reader
            .searcher()
            .segment_readers()
            .iter()
            .any(|s| s.has_deletes()),
        "the test needs deleted documents"
    );
    for q in ["alphaword OR betaword", "alphaword", "alphawor", "an"] {
        let scored = |index: &SearchIndex| -> Vec<(String, String)> {
            index
                .search(&query(q))
                .unwrap()
                .hits
                .into_iter()
                .map(|h| (h.id, h.snippet))
                .collect()
        };
        assert_eq!(scored(&hidden), scored(&never), "{q}");
        assert_eq!(
            hidden.search(&query(q)).unwrap().notices,
            never.search(&query(q)).unwrap().notices,
            "{q}"
        );
    }
    assert_eq!(
        ids(&hidden, "alphaword OR betaword"),
        ["pub-c", "pub-a", "pub-b"]
    );
}

#[test]
fn related_records_share_words_craft_or_village_and_are_public() {
    let (_dir, index) = collection();
    let related: Vec<String> = index
        .related("loom", 3)
        .unwrap()
        .into_iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(related.first().map(String::as_str), Some("weavers"));
    assert!(!related.contains(&"loom".to_string()));
    assert!(!related.contains(&"secret".to_string()));
    assert!(index.related("secret", 3).unwrap().is_empty());
}

/// Every `dc.identifier` of a record finds it first, spaces and case as cited; an identifier
/// of a restricted record finds nothing.
#[test]
fn identifiers_find_their_record_first() {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open_or_create(dir.path()).unwrap();
    let mut indexer = index.indexer().unwrap();
    let identified = |id: &str, identifiers: &[&str], access| {
        let mut cited = record(id, "Quyết định số 344 năm 2019", access);
        cited.dc.insert(
            "identifier".to_string(),
            identifiers
                .iter()
                .map(|value| crate::model::LangValue {
                    value: value.to_string(),
                    lang: Lang::Vi,
                })
                .collect(),
        );
        cited
    };
    for record in [
        identified(
            "qd-344",
            &["qd-344", "QĐ 344 2019", "hs/2019/17"],
            Access::Public,
        ),
        identified("qd-345", &["qd-345", "QĐ 345 2019"], Access::Restricted),
        record("other", "Quyết định 344 về lễ hội 2019", Access::Public),
    ] {
        indexer.put(&record, "v1|-|-", &NoNames, "").unwrap();
    }
    indexer.commit().unwrap();
    index.reload().unwrap();
    for typed in [
        "QĐ 344 2019",
        "qđ  344 2019",
        "HS/2019/17",
        "qd-344",
        "QD-344",
    ] {
        assert_eq!(
            ids(&index, typed).first().map(String::as_str),
            Some("qd-344"),
            "{typed}"
        );
        assert_eq!(
            index.identified(typed).unwrap().as_deref(),
            Some("qd-344"),
            "{typed}"
        );
    }
    assert_eq!(index.identified("QĐ 345 2019").unwrap(), None);
    assert_eq!(index.identified("qd-345").unwrap(), None);
    assert!(!ids(&index, "qd-345").contains(&"qd-345".to_string()));
}

/// Issue 12, facet cost: the facets counted in the one narrowing pass are exactly what the slow
/// way counts, one search per chosen facet with that choice left out; and the total is the count
/// of the chosen value in that search. A few hundred records with random kinds, villages, crafts
/// and dates (open sides included), a few hundred random choices, in every order.
#[test]
fn facets_counted_in_one_pass_equal_one_search_per_chosen_facet() {
    // A fixed xorshift: the same records and choices on every run.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let kinds = [Kind::Photo, Kind::Film, Kind::Document, Kind::Technique];
    let places = [
        ("nha-xa", "det-lua"),
        ("doi-tam", "lam-trong"),
        ("nha-xa", "lam-trong"),
    ];
    let dates = [
        "",
        "1995",
        "1985/1995",
        "1930~",
        "../1975",
        "/1921",
        "2001/..",
        "199X",
        "1949?",
        "1962-06~",
        "1890",
        "../1850",
    ];
    let words = ["trống", "lụa", "dệt", "làng", "gỗ"];
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open_or_create(dir.path()).unwrap();
    let mut indexer = index.indexer().unwrap();
    for n in 0..300 {
        let title = format!("{} {} {n}", words[next(5)], words[next(5)]);
        let record = described(
            &format!("r{n}"),
            &title,
            "",
            &format!("{} của làng.", words[next(5)]),
            places[next(3)],
            dates[next(dates.len())],
            kinds[next(4)],
        );
        indexer.put(&record, "v1|-|-", &SampleNames, "").unwrap();
        if n % 97 == 0 {
            // Several segments, as a live index has.
            indexer.commit().unwrap();
        }
    }
    indexer.commit().unwrap();
    index.reload().unwrap();
    let decades = ["1920", "1970", "1990", "2000", "1850", "1880"];
    let sorts = [Sort::Relevance, Sort::Title, Sort::Date, Sort::DateDesc];
    let mut compared = 0;
    for _ in 0..200 {
        let mut q = query(["", "trống", "lụa làng", "dệt OR gỗ"][next(4)]);
        q.sort = sorts[next(4)];
        if next(2) == 0 {
            q.kind = Some(kinds[next(4)].as_str().to_string());
        }
        if next(2) == 0 {
            q.village = Some(places[next(3)].0.to_string());
        }
        if next(3) == 0 {
            q.craft = Some(places[next(3)].1.to_string());
        }
        if next(2) == 0 {
            q.facet_filters
                .push(("decade".into(), decades[next(6)].into()));
        }
        if next(4) == 0 {
            q.facet_filters.push(("district".into(), "duy-tien".into()));
        }
        let fast = index.search(&q).unwrap();
        let mut without: Vec<(&str, SearchQuery)> = Vec::new();
        if let Some(kind) = &q.kind {
            without.push((
                "kind",
                SearchQuery {
                    kind: None,
                    ..q.clone()
                },
            ));
            assert_eq!(
                fast.facets["kind"].get(kind).copied().unwrap_or(0),
                fast.total as u64
            );
        }
        if q.village.is_some() {
            without.push((
                "village",
                SearchQuery {
                    village: None,
                    ..q.clone()
                },
            ));
        }
        if q.craft.is_some() {
            without.push((
                "craft",
                SearchQuery {
                    craft: None,
                    ..q.clone()
                },
            ));
        }
        for (name, value) in &q.facet_filters {
            if name == "decade" {
                // What a decade chosen finds is what the facet counts in it.
                let counted = fast.facets["decade"].get(value).copied().unwrap_or(0);
                assert_eq!(counted, fast.total as u64, "{q:?}");
            }
            let mut other = q.clone();
            other.facet_filters.retain(|(n, _)| n != name);
            without.push((name.as_str(), other));
        }
        for (name, other) in without {
            let slow = index.search(&other).unwrap();
            assert_eq!(fast.facets[name], slow.facets[name], "{name} in {q:?}");
            compared += 1;
        }
        for name in FACETS {
            let chosen = match name {
                "kind" => q.kind.is_some(),
                "village" => q.village.is_some(),
                "craft" => q.craft.is_some(),
                _ => q.facet_filters.iter().any(|(n, _)| n == name),
            };
            if !chosen {
                let total: u64 = fast.facets[name].values().sum();
                if ["kind", "village", "craft", "district", "media"].contains(&name) {
                    // One value each: the counts add up to the total.
                    assert_eq!(total, fast.total as u64, "{name} in {q:?}");
                }
            }
        }
    }
    assert!(compared > 200, "{compared}");
}

/// Issue 12, agent nouns: the English analysis reads them as their verb in indexed text too, so
/// "drum" finds a record whose English says only "drummers", and "painter" one that says
/// "painting"; "corner" is no "corn".
#[test]
fn agent_nouns_in_english_text_are_found_by_their_verb() {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open_or_create(dir.path()).unwrap();
    let mut indexer = index.indexer().unwrap();
    for (id, english) in [
        ("drummers", "Two drummers at the festival"),
        ("painting", "Lacquer painting"),
        ("corn", "Corn husks dried"),
        ("corner", "The corner of the loom"),
    ] {
        let record = described(
            id,
            "Tư liệu",
            english,
            "Ảnh.",
            ("nha-xa", "det-lua"),
            "",
            Kind::Photo,
        );
        indexer.put(&record, "v1|-|-", &SampleNames, "").unwrap();
    }
    indexer.commit().unwrap();
    index.reload().unwrap();
    assert_eq!(ids(&index, "drum"), ["drummers"]);
    assert_eq!(ids(&index, "drumming"), ["drummers"]);
    assert_eq!(ids(&index, "painters"), ["painting"]);
    assert_eq!(ids(&index, "corn"), ["corn"]);
    assert_eq!(ids(&index, "corners"), ["corner"]);
}
