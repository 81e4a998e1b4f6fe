//! Results and how they are presented (issue 12): orders that no reindex changes, facets that keep
//! the chosen field's other values, pages past the end, snippets centred on the best match and
//! tagged with their language, festival dates in every year, and the decade facet agreeing with
//! `date:`. Each batch is written by the test, so every record and its right answer are in view.

use std::path::PathBuf;
use std::sync::Arc;

use axum::http::StatusCode;
use disan::web::Site;
use serde_json::Value;

use crate::support::Workspace;
use crate::web::get;

/// Writes a batch of Markdown records (`(file name, front matter and body)`) into the workspace,
/// ingests it and opens the site over it.
fn site_with(records: &[(&str, String)]) -> (Workspace, Arc<Site>) {
    let workspace = Workspace::new();
    let batch = write_batch(&workspace, "batch", records);
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{report}");
    let templates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let site = Site::open(&workspace.archive(), &workspace.index(), Some(templates)).unwrap();
    (workspace, Arc::new(site))
}

fn write_batch(workspace: &Workspace, name: &str, records: &[(&str, String)]) -> PathBuf {
    let batch = workspace.dir.path().join(name);
    let objects = batch.join("objects");
    std::fs::create_dir_all(&objects).unwrap();
    for (file, text) in records {
        std::fs::write(objects.join(file), text).unwrap();
    }
    batch
}

/// A Markdown record with front matter.
fn record(id: &str, title: &str, kind: &str, date: &str, body: &str) -> (String, String) {
    (
        format!("{id}.md"),
        format!(
            "---\ndc.identifier: {id}\ndc.title: \"{title}\"\nkind: {kind}\ndc.date: \"{date}\"\n---\n\n{body}\n"
        ),
    )
}

fn as_batch(records: &[(String, String)]) -> Vec<(&str, String)> {
    records
        .iter()
        .map(|(file, text)| (file.as_str(), text.clone()))
        .collect()
}

/// A site of one "document" record per `(id, EDTF date)`, titled "Tư liệu {id}".
fn dated_site(dated: &[(&str, &str)]) -> (Workspace, Arc<Site>) {
    let records: Vec<(String, String)> = dated
        .iter()
        .map(|(id, date)| record(id, &format!("Tư liệu {id}"), "document", date, "Tư liệu."))
        .collect();
    site_with(&as_batch(&records))
}

fn ids(json: &Value) -> Vec<String> {
    json["hits"]
        .as_array()
        .unwrap_or_else(|| panic!("no hits: {json}"))
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}

/// Every page of a search, in order.
async fn every_page(site: &Arc<Site>, query: &str) -> Vec<String> {
    let mut all = Vec::new();
    for page in 1.. {
        let json = get(site, &format!("/api/search?{query}&page={page}"))
            .await
            .json();
        let hits = ids(&json);
        if hits.is_empty() {
            break;
        }
        all.extend(hits);
    }
    all
}

/// The `search-sort-ties` case: 25 records of one title and date, ingested in shuffled order.
#[tokio::test]
async fn equal_titles_and_dates_are_ordered_by_id_in_every_sort_and_after_a_reindex() {
    let mut records: Vec<(String, String)> = (1..=25)
        .map(|n| {
            // Every fifth says "làng" three times: two groups of equal score.
            let body = if n % 5 == 0 {
                "Ảnh tư liệu lễ hội làng, làng, làng."
            } else {
                "Ảnh tư liệu lễ hội làng, nhà, nhà."
            };
            record(
                &format!("tie-anh-{n:02}"),
                "Ảnh tư liệu lễ hội",
                "document",
                "2020",
                body,
            )
        })
        .collect();
    // Two more with other titles and dates, so title and date still come first.
    records.push(record("tie-z", "Ảnh cũ", "document", "2021", "Ảnh."));
    records.push(record("tie-a", "Ảnh xưa", "document", "1990", "Ảnh."));
    records.reverse();
    let (workspace, site) = site_with(&as_batch(&records));
    let same: Vec<String> = (1..=25).map(|n| format!("tie-anh-{n:02}")).collect();
    let expected_title: Vec<String> = [
        vec!["tie-z".to_string()],
        same.clone(),
        vec!["tie-a".to_string()],
    ]
    .concat();
    let expected_date: Vec<String> = [
        vec!["tie-a".to_string()],
        same.clone(),
        vec!["tie-z".to_string()],
    ]
    .concat();
    // Newest first: 2021, then the 2020 records still by title and id, then 1990.
    let expected_newest: Vec<String> = [
        vec!["tie-z".to_string()],
        same.clone(),
        vec!["tie-a".to_string()],
    ]
    .concat();
    let orders = [
        ("q=&sort=title", &expected_title),
        ("q=&sort=date", &expected_date),
        ("q=&sort=date-desc", &expected_newest),
        ("q=", &expected_title),
    ];
    for (query, expected) in orders {
        assert_eq!(&every_page(&site, query).await, expected, "{query}");
    }
    // Equal scores too: 25 records of one text, their order on both pages by title and id.
    let relevance = every_page(&site, "q=l%E1%BB%85+h%E1%BB%99i").await;
    assert_eq!(relevance, same, "relevance");
    // Records that say it more often first, each group of equal score by id.
    let often: Vec<String> = every_page(&site, "q=l%C3%A0ng").await;
    let (thrice, once): (Vec<String>, Vec<String>) = same
        .iter()
        .cloned()
        .partition(|id| id.ends_with('0') || id.ends_with('5'));
    assert_eq!(often, [thrice, once].concat(), "two scores");
    drop(site);
    let reindex = workspace.disan().arg("reindex").output().unwrap();
    assert!(reindex.status.success(), "{reindex:?}");
    let templates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let site =
        Arc::new(Site::open(&workspace.archive(), &workspace.index(), Some(templates)).unwrap());
    for (query, expected) in orders {
        assert_eq!(
            &every_page(&site, query).await,
            expected,
            "{query} after reindex"
        );
    }
    assert_eq!(every_page(&site, "q=l%C3%A0ng").await, often);
    assert_eq!(
        every_page(&site, "q=l%E1%BB%85+h%E1%BB%99i").await,
        relevance,
        "equal scores after a reindex"
    );
}

/// The `search-facets-conjunctive` case (festival for its photo: a text record is no photo): choosing a kind keeps the other kinds and their counts.
#[tokio::test]
async fn a_chosen_facet_keeps_its_other_values_with_their_counts() {
    let records = [
        record(
            "facet-a",
            "Lụa Nha Xá (hội)",
            "festival",
            "2011",
            "Tư liệu về lụa.",
        ),
        record(
            "facet-b",
            "Lụa Nha Xá (tài liệu)",
            "document",
            "2012",
            "Tư liệu về lụa.",
        ),
        record(
            "facet-c",
            "Dệt lụa",
            "technique",
            "1995",
            "Kỹ thuật dệt lụa.",
        ),
        record(
            "facet-d",
            "Lụa và trống",
            "document",
            "1998",
            "Tư liệu về lụa.",
        ),
        record("facet-e", "Trống", "document", "1998", "Không nói về vải."),
    ];
    let mut records = records.to_vec();
    // Deny by default: a restricted record is in no count, chosen field or not.
    records.push((
        "facet-secret.md".to_string(),
        "---\ndc.identifier: facet-secret\ndc.title: Lụa bí mật\nkind: story\naccess: restricted\ndc.date: \"1890\"\n---\n\nLụa.\n".to_string(),
    ));
    let (_workspace, site) = site_with(&as_batch(&records));
    let all = get(&site, "/api/search?q=l%E1%BB%A5a").await.json();
    assert_eq!(all["total"], 4);
    let kinds = all["facets"]["kind"].clone();
    assert_eq!(
        kinds,
        serde_json::json!({"document": 2, "festival": 1, "technique": 1})
    );

    let festivals = get(&site, "/api/search?q=l%E1%BB%A5a&kind=festival")
        .await
        .json();
    assert_eq!(ids(&festivals), ["facet-a"]);
    // The chosen field counts as if nothing were chosen in it; the others are narrowed.
    assert_eq!(festivals["facets"]["kind"], kinds, "{festivals}");
    assert_eq!(
        festivals["facets"]["decade"],
        serde_json::json!({"2010": 1})
    );

    let documents = get(&site, "/api/search?q=l%E1%BB%A5a&kind=document&decade=1990")
        .await
        .json();
    assert_eq!(ids(&documents), ["facet-d"]);
    // Kinds among the 1990s matches, decades among the documents.
    assert_eq!(
        documents["facets"]["kind"],
        serde_json::json!({"document": 1, "technique": 1})
    );
    assert_eq!(
        documents["facets"]["decade"],
        serde_json::json!({"1990": 1, "2010": 1})
    );
    for query in [
        "kind=festival",
        "decade=1890",
        "kind=story",
        "kind=document&decade=2010",
    ] {
        let json = get(&site, &format!("/api/search?q=l%E1%BB%A5a&{query}"))
            .await
            .json();
        let text = json.to_string();
        assert!(
            !text.contains("story") && !text.contains("1890") && !text.contains("secret"),
            "{query}: {text}"
        );
    }
    // The page offers the other kinds, with their counts, as links.
    let page = get(&site, "/search?q=l%E1%BB%A5a&kind=festival")
        .await
        .text();
    assert!(page.contains("kind=technique"), "{page}");
}

/// The `search-page-past-end` case: 25 results are 2 pages; page 7 is never "7 of 2".
#[tokio::test]
async fn a_page_past_the_end_answers_the_last_page() {
    let records: Vec<(String, String)> = (1..=25)
        .map(|n| {
            record(
                &format!("page-s{n:02}"),
                &format!("Tư liệu làng nghề {n}"),
                "document",
                "2012",
                &format!("Tư liệu làng nghề thứ {n}."),
            )
        })
        .collect();
    let (_workspace, site) = site_with(&as_batch(&records));
    let past = get(&site, "/search?q=l%C3%A0ng+ngh%E1%BB%81&page=7").await;
    assert_eq!(past.status, StatusCode::SEE_OTHER);
    assert_eq!(
        past.header("location"),
        "/search?q=l%C3%A0ng+ngh%E1%BB%81&page=2"
    );
    let english = get(
        &site,
        "/en/search?q=l%C3%A0ng+ngh%E1%BB%81&sort=title&page=3",
    )
    .await;
    assert_eq!(english.status, StatusCode::SEE_OTHER);
    assert_eq!(
        english.header("location"),
        "/en/search?q=l%C3%A0ng+ngh%E1%BB%81&sort=title&page=2"
    );
    let last = get(&site, "/search?q=l%C3%A0ng+ngh%E1%BB%81&page=2").await;
    assert_eq!(last.status, StatusCode::OK);
    assert!(last.text().contains("2 / 2"), "{}", last.text());
    // Nothing found: page 1, which says so.
    let nothing = get(&site, "/search?q=xyzzy&page=4").await;
    assert_eq!(nothing.status, StatusCode::SEE_OTHER);
    assert_eq!(nothing.header("location"), "/search?q=xyzzy");

    let api = get(&site, "/api/search?q=l%C3%A0ng+ngh%E1%BB%81&page=7").await;
    assert_eq!(api.status, StatusCode::OK);
    let json = api.json();
    assert_eq!(json["total"], 25);
    assert_eq!(json["pages"], 2);
    assert_eq!(json["hits"], serde_json::json!([]));
    assert_eq!(json["page_out_of_range"]["last_page"], 2);
    assert_eq!(
        json["page_out_of_range"]["message"],
        "page 7 is past the last page of these results, 2"
    );
    let inside = get(&site, "/api/search?q=l%C3%A0ng+ngh%E1%BB%81&page=2")
        .await
        .json();
    assert_eq!(ids(&inside).len(), 5);
    assert!(inside.get("page_out_of_range").is_none());
}

/// The snippet cases (`search-snippet-exact-tone`, `search-stem-prefix-highlight`,
/// `search-phrase-highlight`) through the API: the record's own text, its best match.
#[tokio::test]
async fn snippets_centre_on_the_best_match_and_bold_only_what_matched() {
    let records = [
        record(
            "snippet-trong-dinh",
            "Hội làng mùa xuân",
            "festival",
            "2016",
            "Trong sân đình, các cụ ngồi trong bóng mát, bàn chuyện trong họ, chuyện trong xóm, \
             chuyện trong nhà. Con cháu đi lại trong ngõ, trẻ nhỏ chơi trong vườn, người lớn ngồi \
             uống nước trong nhà tiền tế. Đến giờ tế, tiếng trống cái vang lên, đoàn rước kiệu \
             đi quanh làng.",
        ),
        record(
            "prefix-nha-tho-ho",
            "Nhà thờ họ Nguyễn",
            "document",
            "2016",
            "Thợ làm nhanh, nhân công đông, nhang khói thông thường. Ngôi nhà thờ họ nằm giữa \
             làng, thờ tổ nghề.",
        ),
        record(
            "phrase-lang-nghe-det",
            "Ghi chép về một xã ven sông",
            "document",
            "2017",
            "Làng có chợ họp sáng sớm. Người ta bảo nghề phụ nuôi sống nhiều nhà trong mùa nước. \
             Ven đê trồng dâu xanh, bãi bồi rộng, đường làng lát gạch, cổng đình quay về hướng \
             nam, giếng cổ vẫn còn nước trong. Mùa hè có hội bơi chải, mùa đông có hội vật, cụ \
             già kể chuyện cũ cho con cháu nghe dưới gốc đa đầu xóm. Nhà văn hoá mới xây ở giữa \
             xóm trên, cạnh trường mẫu giáo và trạm xá của xã. Đến nay nơi này đã thành một làng \
             nghề dệt có tiếng trong vùng.",
        ),
    ];
    let (_workspace, site) = site_with(&as_batch(&records));
    let snippet_of = |json: Value, id: &str| -> String {
        json["hits"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["id"] == id)
            .unwrap_or_else(|| panic!("{id} not found: {json}"))["snippet"]
            .as_str()
            .unwrap()
            .to_string()
    };
    for drum in ["tr%E1%BB%91ng", "TR%E1%BB%90NG", "tro%CC%82%CC%81ng"] {
        let json = get(&site, &format!("/api/search?q={drum}")).await.json();
        assert_eq!(
            snippet_of(json, "snippet-trong-dinh"),
            "…trong nhà tiền tế. Đến giờ tế, tiếng <b>trống</b> cái vang lên, đoàn rước kiệu đi \
             quanh làng.",
            "{drum}"
        );
    }
    let house = get(&site, "/api/search?q=nh%C3%A0").await.json();
    assert_eq!(
        snippet_of(house, "prefix-nha-tho-ho"),
        "…nhân công đông, nhang khói thông thường. Ngôi <b>nhà</b> thờ họ nằm giữa làng, thờ tổ \
         nghề."
    );
    let temple = get(&site, "/api/search?q=nh%C3%A0+th%E1%BB%9D")
        .await
        .json();
    assert_eq!(
        snippet_of(temple, "prefix-nha-tho-ho"),
        "…nhân công đông, nhang khói thông thường. Ngôi <b>nhà</b> <b>thờ</b> họ nằm giữa làng, \
         <b>thờ</b> tổ nghề."
    );
    for phrase in [
        "%22l%C3%A0ng+ngh%E1%BB%81+d%E1%BB%87t%22",
        "%22lang+nghe+det%22",
    ] {
        let json = get(&site, &format!("/api/search?q={phrase}")).await.json();
        assert_eq!(
            snippet_of(json, "phrase-lang-nghe-det"),
            "…xã. Đến nay nơi này đã thành một <b>làng</b> <b>nghề</b> <b>dệt</b> có tiếng \
             trong vùng.",
            "{phrase}"
        );
    }
    // Regression (break-12 finding 7): unquoted, the snippet centres on the passage showing
    // every word of the query, even past the words scanned after the first match.
    for words in ["l%C3%A0ng+ngh%E1%BB%81+d%E1%BB%87t", "lang+nghe+det"] {
        let json = get(&site, &format!("/api/search?q={words}")).await.json();
        assert_eq!(
            snippet_of(json, "phrase-lang-nghe-det"),
            "…xã. Đến nay nơi này đã thành một <b>làng</b> <b>nghề</b> <b>dệt</b> có tiếng \
             trong vùng.",
            "{words}"
        );
    }
}

/// Regression (break-12 findings 8 and 14): a story's embed markup (`[[gallery: …]]`,
/// `[[id | caption]]`) is neither searchable nor shown in a snippet, its caption is; inline
/// Markdown leaves no stray spaces ("**The body** (*tang trống*)").
#[tokio::test]
async fn embed_markup_is_not_text_and_inline_markup_leaves_no_spaces() {
    let records = [
        record(
            "embed-a",
            "Trống đồng một",
            "document",
            "2016",
            "Mặt trống.",
        ),
        record(
            "embed-b",
            "Trống đồng hai",
            "document",
            "2016",
            "Tang trống.",
        ),
        record(
            "embed-story",
            "Chuyện làng trống",
            "story",
            "2016",
            "Làng làm trống quanh năm.\n\n[[gallery: embed-a, embed-b]]\n\n\
             [[embed-a | chiếc zorbcaption cổ]]\n\n- **The body** (*tang trống*) is wood.",
        ),
    ];
    let (_workspace, site) = site_with(&as_batch(&records));
    for markup in ["gallery", "embed", "embed-b"] {
        let json = get(&site, &format!("/api/search?q={markup}")).await.json();
        assert!(
            !ids(&json).contains(&"embed-story".to_string()),
            "{markup}: {json}"
        );
    }
    let caption = get(&site, "/api/search?q=zorbcaption").await.json();
    assert_eq!(ids(&caption), ["embed-story"]);
    let json = get(&site, "/api/search?q=tang").await.json();
    let snippet = json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == "embed-story")
        .unwrap_or_else(|| panic!("{json}"))["snippet"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(!snippet.contains("[["), "{snippet}");
    assert!(!snippet.contains("]]"), "{snippet}");
    assert!(
        snippet.contains("The body (<b>tang</b> trống) is wood."),
        "{snippet}"
    );
}

/// The `search-lang-of-parts` case: an English-only title is English on both pages, and each
/// part of a snippet in the other language than the page's carries its `lang`.
#[tokio::test]
async fn english_titles_and_snippet_parts_carry_their_language() {
    let (workspace, site) = {
        let workspace = Workspace::new();
        let batch = workspace.dir.path().join("batch");
        std::fs::create_dir_all(batch.join("objects")).unwrap();
        std::fs::write(
            batch.join("metadata.csv"),
            "filename,dc.identifier,dc.title@en,dc.description@en,kind,dc.date\n\
             objects/a.md,lang-lacquer-only-en,Lacquer screens from Hạ Thái,Four-panel lacquer screens with inlaid eggshell.,technique,2014\n",
        )
        .unwrap();
        std::fs::write(batch.join("objects/a.md"), "Bình phong sơn mài bốn tấm.\n").unwrap();
        let (code, report) = workspace.ingest(&batch, &[]);
        assert_eq!(code, 0, "{report}");
        let templates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let site = Site::open(&workspace.archive(), &workspace.index(), Some(templates)).unwrap();
        (workspace, Arc::new(site))
    };
    let _ = &workspace;
    // Regression (break-12 finding 12): its suggestion says its label is English.
    let suggested = get(&site, "/api/suggest?q=lacq").await.json();
    assert_eq!(
        suggested["suggestions"],
        serde_json::json!([{"label": "Lacquer screens from Hạ Thái", "kind": "record",
                            "lang": "en", "url": "/records/lang-lacquer-only-en"}])
    );
    let vietnamese = get(&site, "/search?q=lacquer").await.text();
    assert!(
        vietnamese.contains(
            "<a href=\"/records/lang-lacquer-only-en\" lang=\"en\">Lacquer screens from Hạ Thái</a>"
        ),
        "{vietnamese}"
    );
    assert!(
        vietnamese.contains(
            "<p class=\"snippet\"><span lang=\"en\">Four-panel <b>lacquer</b> screens with inlaid \
             eggshell.</span> Bình phong sơn mài bốn tấm.</p>"
        ),
        "{vietnamese}"
    );
    let english = get(&site, "/en/search?q=lacquer").await.text();
    assert!(
        english.contains(
            "<a href=\"/en/records/lang-lacquer-only-en\" lang=\"en\">Lacquer screens from Hạ Thái</a>"
        ),
        "{english}"
    );
    assert!(
        english.contains(
            "<p class=\"snippet\">Four-panel <b>lacquer</b> screens with inlaid eggshell. <span \
             lang=\"vi\">Bình phong sơn mài bốn tấm.</span></p>"
        ),
        "{english}"
    );
    // A listing with no words: the opening of the text in the page's language.
    let listing = get(&site, "/en/search?kind=technique").await.text();
    assert!(
        listing
            .contains("<p class=\"snippet\">Four-panel lacquer screens with inlaid eggshell.</p>"),
        "{listing}"
    );
    // The record page: its title in English on both sites, not repeated as a subtitle.
    for uri in [
        "/records/lang-lacquer-only-en",
        "/en/records/lang-lacquer-only-en",
    ] {
        let page = get(&site, uri).await.text();
        assert!(
            page.contains("<h1 lang=\"en\">Lacquer screens from Hạ Thái</h1>"),
            "{uri}: {page}"
        );
        assert!(!page.contains("class=\"subtitle\""), "{uri}: {page}");
        assert!(!page.contains("class=\"fallback\""), "{uri}: {page}");
    }
    let api = get(&site, "/api/search?q=lacquer&lang=en").await.json();
    assert_eq!(
        api["hits"][0]["snippet"],
        "Four-panel <b>lacquer</b> screens with inlaid eggshell. <span lang=\"vi\">Bình phong sơn \
         mài bốn tấm.</span>"
    );
}

/// The `search-lunar-festivals` case: every festival lists its days (leap-month festivals on the
/// ordinary month's day, marked), and the JSON-LD schedules no day already past.
#[tokio::test]
async fn every_festival_lists_its_days_and_json_ld_schedules_none_in_the_past() {
    let festival = |id: &str, title: &str, lunar: &str| {
        (
            format!("{id}.md"),
            format!(
                "---\ndc.identifier: {id}\ndc.title: \"{title}\"\nkind: festival\nlunar_date: {lunar}\n---\n\n{title}.\n"
            ),
        )
    };
    let records = [
        festival("fest-tet", "Tết", "1-1"),
        festival("fest-tat-nien", "Tất niên", "12-30"),
        festival("fest-nhuan-4", "Giỗ tổ nghề (tháng 4 nhuận)", "4L-15"),
        festival("fest-nhuan-6", "Hội tháng 6 nhuận", "6L-1"),
        festival("fest-nhuan-11", "Hội tháng 11 nhuận", "11L-10"),
    ];
    let (_workspace, site) = site_with(&as_batch(&records));
    let today = disan::web::today_in_vietnam();
    let iso =
        |d: disan::model::edtf::CalendarDate| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day);
    let page = get(&site, "/en/festivals").await.text();
    let items: Vec<&str> = page.split("<li class=\"card festival\">").skip(1).collect();
    assert_eq!(items.len(), 5, "{page}");
    for item in &items {
        assert!(
            item.matches("<time datetime=").count() >= 1,
            "a festival without a date: {item}"
        );
    }
    // 4L-15 on 15/4 of this year and next (no leap month 4 from 2026 to 2057), marked.
    let leap4 = items
        .iter()
        .find(|item| item.contains("fest-nhuan-4"))
        .unwrap();
    for year in [today.year, today.year + 1] {
        let held = disan::model::lunar::to_solar(disan::model::lunar::LunarDate {
            year,
            month: 4,
            day: 15,
            leap: false,
        })
        .unwrap();
        assert!(
            leap4.contains(&format!("datetime=\"{}\"", iso(held))),
            "{year}: {leap4}"
        );
    }
    assert!(
        leap4.contains(&format!(
            "(in ordinary month 4: lunar year {} has no leap month 4)",
            today.year
        )),
        "{leap4}"
    );
    assert!(
        leap4.contains("The next leap month 4: lunar year 2058."),
        "{leap4}"
    );
    // The JSON-LD: every event's day is today or later.
    let script = page
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .unwrap();
    let jsonld: Value = serde_json::from_str(script).unwrap();
    let starts: Vec<String> = jsonld["itemListElement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["item"]["startDate"].as_str().unwrap().to_string())
        .collect();
    assert!(starts.len() >= 5, "{jsonld}");
    for start in &starts {
        assert!(
            start.as_str() >= iso(today).as_str(),
            "{start} is past: {jsonld}"
        );
    }
    let record = get(&site, "/en/records/fest-nhuan-4").await.text();
    assert!(
        record.contains(&format!(
            "(in ordinary month 4: lunar year {} has no leap month 4)",
            today.year
        )),
        "{record}"
    );
    let record_ld = record
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .unwrap();
    let record_ld: Value = serde_json::from_str(record_ld).unwrap();
    let start = record_ld["startDate"]
        .as_str()
        .unwrap_or_else(|| panic!("{record_ld}"));
    assert!(start >= iso(today).as_str(), "{start}");
}

/// The `search-decade-facet` case, and more forms of the same kind: for every decade, the facet
/// count, `decade=` and `date:` agree.
#[tokio::test]
async fn the_decade_facet_agrees_with_date_queries_for_every_edtf_form() {
    let dated = [
        ("decade-range-1985-1995", "1985/1995"),
        ("decade-circa-1930", "1930~"),
        ("decade-open-1975", "../1975"),
        ("decade-1995", "1995"),
        ("decade-199x", "199X"),
        ("decade-uncertain-1949", "1949?"),
        ("decade-open-end-2001", "2001/.."),
        ("decade-month-approx", "1962-06~"),
        ("decade-unknown-start", "/1921"),
        ("decade-open-1875", "../1875"),
        ("decade-1850s", "1850/1860"),
        ("decade-percent", "1962-06%"),
    ];
    let (_workspace, site) = dated_site(&dated);
    let search = |query: String| {
        let site = site.clone();
        async move { get(&site, &format!("/api/search?{query}")).await.json() }
    };
    let all = search("q=".to_string()).await;
    let facet = all["facets"]["decade"].clone();
    // The case's numbers: the range is in both decades, and so on.
    assert_eq!(facet["1980"], 1, "{facet}");
    assert_eq!(facet["1990"], 3, "{facet}");
    assert_eq!(facet["1920"], 3, "1930~, ../1975 and /1921: {facet}");
    // Issue 12 (decade counts before 1900): an open start is counted from the collection's
    // first decade (the 1850s here), as `decade=` and `date:` find it.
    assert_eq!(
        facet["1850"], 4,
        "1850/1860, ../1875, ../1975, /1921: {facet}"
    );
    assert_eq!(facet["1870"], 3, "../1875, ../1975, /1921: {facet}");
    assert_eq!(facet["1890"], 2, "../1975, /1921: {facet}");
    assert_eq!(facet["1960"], 3, "1962-06~, 1962-06%, ../1975: {facet}");
    let mut in_1890 = ids(&search("q=&decade=1890".to_string()).await);
    in_1890.sort();
    assert_eq!(in_1890, ["decade-open-1975", "decade-unknown-start"]);
    let mut ids_1990 = ids(&search("q=date:199X".to_string()).await);
    ids_1990.sort();
    assert_eq!(
        ids_1990,
        ["decade-1995", "decade-199x", "decade-range-1985-1995"]
    );
    assert_eq!(
        ids(&search("q=date:1970".to_string()).await),
        ["decade-open-1975"]
    );
    let mut early = ids(&search("q=date:%5B1925+TO+1929%5D".to_string()).await);
    early.sort();
    assert_eq!(early, ["decade-circa-1930", "decade-open-1975"]);
    // Every decade, shown or not: its count is what choosing it finds, and a decade that finds
    // anything is shown. Within the collection's decades (1850s to this one), `decade=` finds
    // what `date:` finds; before them it finds nothing, while `date:` keeps open starts.
    let shown: Vec<i64> = facet
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.parse().unwrap())
        .collect();
    assert_eq!(shown.first(), Some(&1850), "{facet}");
    let this_decade = *shown.last().unwrap();
    assert!(
        this_decade >= 2020,
        "2001/.. is counted up to this decade: {facet}"
    );
    for decade in (1700..=2100).step_by(10) {
        let counted = facet[decade.to_string()].as_u64().unwrap_or(0);
        let narrowed = search(format!("q=&decade={decade}")).await;
        assert_eq!(narrowed["total"], counted, "decade={decade}");
        assert_eq!(shown.contains(&decade), counted > 0, "{decade}: {facet}");
        let by_date = search(format!("q=date:%5B{decade}+TO+{}%5D", decade + 9)).await;
        let mut a = ids(&narrowed);
        let mut b = ids(&by_date);
        a.sort();
        b.sort();
        if (1850..=this_decade).contains(&decade) {
            assert_eq!(a, b, "{decade}");
        } else if decade < 1850 {
            assert!(a.is_empty(), "{decade}");
            assert_eq!(
                b,
                [
                    "decade-open-1875",
                    "decade-open-1975",
                    "decade-unknown-start"
                ]
            );
        }
    }
    let nineties = |q: &str| {
        let q = q.to_string();
        let search = &search;
        async move {
            let mut found = ids(&search(q).await);
            found.sort();
            found
        }
    };
    let expected = nineties("q=date:%5B1990+TO+1999%5D").await;
    assert!(!expected.is_empty());
    assert_eq!(nineties("q=date:1990s").await, expected);
    assert_eq!(nineties("q=date:%5B1990+TO+2000%7D").await, expected);
    assert_eq!(nineties("q=&decade=1990").await, expected);
    // `2001/..` begins in 2001: outside `[1990 TO 2001}`, inside `[1990 TO 2001]`.
    assert_eq!(nineties("q=date:%5B1990+TO+2001%7D").await, expected);
    assert!(
        nineties("q=date:%5B1990+TO+2001%5D")
            .await
            .contains(&"decade-open-end-2001".to_string())
    );
}

/// Regression (break-12c finding 1): one ancient public date (`-0500~`, a Đông Sơn drum) makes
/// the collection's span long, and open sides must still count, bounded to a hundred decades
/// from their known side: `../1975` in the 980s to the 1970s, `1990/..` from the 1990s. For
/// every decade the facet's count is what `decade=` finds, and within the bounds what `date:`
/// finds.
#[tokio::test]
async fn an_ancient_date_does_not_drop_open_ended_records_from_the_decades() {
    let dated = [
        ("decade-open-1975", "../1975"),
        ("decade-open-end-1990", "1990/.."),
        ("decade-1995", "1995"),
        ("dong-son-drum", "-0500~"),
    ];
    let (_workspace, site) = dated_site(&dated);
    let search = |query: String| {
        let site = site.clone();
        async move {
            let found = get(&site, &format!("/api/search?{query}")).await.json();
            let mut found_ids = ids(&found);
            found_ids.sort();
            (found, found_ids)
        }
    };
    let (all, _) = search("q=".to_string()).await;
    let facet = all["facets"]["decade"].clone();
    assert_eq!(facet["1970"], 1, "../1975: {facet}");
    assert_eq!(facet["1880"], 1, "../1975: {facet}");
    assert_eq!(facet["980"], 1, "../1975, a hundred decades back: {facet}");
    assert_eq!(facet["970"], serde_json::Value::Null, "{facet}");
    assert_eq!(facet["1990"], 2, "1990/.. and 1995: {facet}");
    assert_eq!(facet["2020"], 1, "1990/..: {facet}");
    assert_eq!(facet["-510"], 1, "-0500~: {facet}");
    assert_eq!(facet["-500"], 1, "-0500~: {facet}");
    let (_, in_1970) = search("q=&decade=1970".to_string()).await;
    assert_eq!(in_1970, ["decade-open-1975"]);
    for decade in (-530..=2030).step_by(10).filter(|d| !(10..950).contains(d)) {
        let counted = facet[decade.to_string()].as_u64().unwrap_or(0);
        let (narrowed, a) = search(format!("q=&decade={decade}")).await;
        assert_eq!(narrowed["total"], counted, "decade={decade}");
        // `date:` reads four-digit years only (`date:[980 TO 989]` is not read).
        if (1000..=2020).contains(&decade) {
            let (_, b) = search(format!("q=date:%5B{decade}+TO+{}%5D", decade + 9)).await;
            assert_eq!(a, b, "{decade}");
        }
    }
}

/// Regression (break-12c finding 2): only craft agent nouns are read as their verb. Each pair of
/// unrelated words (banner/ban, clover/clove …) finds its own record only, in both directions,
/// and the highlight marks only the word searched; "drummers" still finds "drum".
#[tokio::test]
async fn english_words_in_er_are_not_cut_outside_the_agent_table() {
    let pairs = [
        ("banner", "ban"),
        ("clover", "clove"),
        ("ledger", "ledge"),
        ("rafters", "raft"),
        ("stranger", "strange"),
        ("badger", "badge"),
    ];
    let workspace = Workspace::new();
    let batch = workspace.dir.path().join("batch");
    std::fs::create_dir_all(batch.join("objects")).unwrap();
    let mut rows =
        String::from("filename,dc.identifier,dc.title@en,dc.description@en,kind,dc.date\n");
    let mut words: Vec<&str> = pairs.iter().flat_map(|(a, b)| [*a, *b]).collect();
    words.push("drummers");
    for word in &words {
        rows.push_str(&format!(
            "objects/{word}.md,en-{word},A {word} of the village,One {word} here.,document,2014\n"
        ));
        std::fs::write(batch.join(format!("objects/{word}.md")), "Tư liệu.\n").unwrap();
    }
    std::fs::write(batch.join("metadata.csv"), rows).unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{report}");
    let templates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let site =
        Arc::new(Site::open(&workspace.archive(), &workspace.index(), Some(templates)).unwrap());
    for word in words.iter().filter(|w| **w != "drummers") {
        let found = get(&site, &format!("/api/search?q={word}&lang=en"))
            .await
            .json();
        assert_eq!(ids(&found), [format!("en-{word}")], "{word}");
    }
    let found = get(&site, "/api/search?q=drum&lang=en").await.json();
    assert_eq!(ids(&found), ["en-drummers"]);
    let page = get(&site, "/en/search?q=clove").await.text();
    assert!(
        !page.contains("<b>Clover</b>") && !page.contains("<b>clover</b>"),
        "{page}"
    );
}

/// Regression (break-12c finding 3): an identifier pasted with sentence punctuation, brackets or
/// quotes, or as its record page's address, finds its record and says it was read as the
/// identifier; suggestions read it the same way. A hidden record's address finds nothing.
#[tokio::test]
async fn identifiers_pasted_with_punctuation_or_as_addresses_find_their_record() {
    let records = [
        record(
            "hn-1995-012",
            "Biên bản họp làng",
            "document",
            "1995",
            "Họp.",
        ),
        record("hn-1995-013", "Sổ họp làng", "document", "1995", "Sổ."),
    ];
    let (_workspace, site) = site_with(&as_batch(&records));
    for typed in [
        "hn-1995-012.",
        "hn-1995-012%2C",
        "hn-1995-012%3B",
        "%E2%80%9Chn-1995-012%E2%80%9D",
        "%2Frecords%2Fhn-1995-012",
        "%2Fen%2Frecords%2Fhn-1995-012",
        "http%3A%2F%2F127.0.0.1%3A7408%2Frecords%2Fhn-1995-012",
        "https%3A%2F%2Fdisan.example%2Fen%2Frecords%2Fhn-1995-012%3Fref%3Dmail",
    ] {
        let found = get(&site, &format!("/api/search?q={typed}")).await.json();
        assert_eq!(ids(&found), ["hn-1995-012"], "{typed}: {found}");
        assert_eq!(
            found["notices"],
            serde_json::json!([{
                "code": "identifier",
                "identifier": "hn-1995-012",
                "vi": "Hiển thị kết quả cho mã số “hn-1995-012”.",
                "en": "Showing results for the identifier “hn-1995-012”."
            }]),
            "{typed}"
        );
        let suggested = get(&site, &format!("/api/suggest?q={typed}")).await.json();
        let urls: Vec<&str> = suggested["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["url"].as_str().unwrap())
            .collect();
        assert_eq!(urls, ["/records/hn-1995-012"], "{typed}");
    }
    // The identifier alone is not announced.
    let plain = get(&site, "/api/search?q=hn-1995-012").await.json();
    assert_eq!(ids(&plain)[0], "hn-1995-012");
    assert_eq!(plain["notices"], serde_json::json!([]));
    // An address of no public record is not read as one.
    let unknown = get(&site, "/api/search?q=%2Frecords%2Fkx-1777-001")
        .await
        .json();
    assert_eq!(unknown["total"], 0, "{unknown}");
}

/// Regression (break-12c finding 4): every search that finds nothing says why, in both
/// languages: the words nothing contains, or that no record holds them all together.
#[tokio::test]
async fn a_search_finding_nothing_says_why() {
    let (_workspace, site) = crate::web::site();
    let notices = |json: &Value| -> Vec<(String, String)> {
        json["notices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| {
                (
                    n["vi"].as_str().unwrap().to_string(),
                    n["en"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    for (typed, vi, en) in [
        (
            "tre2",
            "Không có hồ sơ nào chứa “tre2”.",
            "Nothing contains “tre2”.",
        ),
        (
            "tro1ng",
            "Không có hồ sơ nào chứa “tro1ng”.",
            "Nothing contains “tro1ng”.",
        ),
        (
            "l%E1%BB%A5a5",
            "Không có hồ sơ nào chứa “lụa5”.",
            "Nothing contains “lụa5”.",
        ),
        (
            "mp3",
            "Không có hồ sơ nào chứa “mp3”.",
            "Nothing contains “mp3”.",
        ),
        (
            "r2d2",
            "Không có hồ sơ nào chứa “r2d2”.",
            "Nothing contains “r2d2”.",
        ),
        (
            "hn+1995+012",
            "Không có hồ sơ nào chứa “hn”, “012”.",
            "Nothing contains “hn”, “012”.",
        ),
    ] {
        let found = get(&site, &format!("/api/search?q={typed}")).await.json();
        assert_eq!(found["total"], 0, "{typed}: {found}");
        assert!(
            notices(&found).contains(&(vi.to_string(), en.to_string())),
            "{typed}: {found}"
        );
    }
    // Words each held somewhere but never together.
    let records = [
        record("apart-a", "Trống đồng", "document", "1995", "Trống."),
        record("apart-b", "Chiêng đồng", "document", "1995", "Chiêng."),
    ];
    let (_apart_workspace, apart_site) = site_with(&as_batch(&records));
    let apart = get(&apart_site, "/api/search?q=tr%E1%BB%91ng+chi%C3%AAng")
        .await
        .json();
    assert_eq!(apart["total"], 0, "{apart}");
    assert_eq!(
        notices(&apart),
        [(
            "Không có hồ sơ nào có đủ mọi từ “trống”, “chiêng” cùng lúc; hãy thử bớt từ."
                .to_string(),
            "No record holds all the words “trống”, “chiêng” together; try fewer words."
                .to_string()
        )]
    );
    let filtered = get(&apart_site, "/api/search?q=tr%E1%BB%91ng&kind=photo")
        .await
        .json();
    assert_eq!(filtered["total"], 0, "{filtered}");
    assert_eq!(
        notices(&filtered)[0].1,
        "No record matches the search with the filters chosen; try removing a filter."
    );
    // Every other search that finds nothing says something.
    for typed in [
        "dd",
        "OR+OR",
        "HN_1995_012",
        "hn-1995-12",
        "date%3A1777",
        "zzzz+-zzzz",
    ] {
        let found = get(&site, &format!("/api/search?q={typed}")).await.json();
        if found["total"] == 0 {
            assert!(!notices(&found).is_empty(), "{typed}: {found}");
        }
        let page = get(&site, &format!("/en/search?q={typed}")).await.text();
        if found["total"] == 0 {
            let (_, en) = notices(&found).last().unwrap().clone();
            assert!(page.contains(&en), "{typed}");
        }
    }
}

/// Regression (break-12c finding 5): suggestions read what is typed as search does: Telex and
/// VNI leftovers, and English plurals, agent nouns and lemmas, suggest the records of the words
/// search would find.
#[tokio::test]
async fn suggestions_read_input_methods_and_english_forms_as_search_does() {
    let workspace = Workspace::new();
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample/ha-nam");
    let (code, report) = workspace.ingest(&sample, &[]);
    assert_eq!(code, 0, "{report}");
    let site = Arc::new(Site::open(&workspace.archive(), &workspace.index(), None).unwrap());
    let records = |typed: &str, lang: &str| {
        let site = site.clone();
        let url = format!("/api/suggest?q={typed}&lang={lang}");
        async move {
            let json = get(&site, &url).await.json();
            json["suggestions"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|s| s["kind"] == "record")
                .map(|s| s["url"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    for (typed, read, lang) in [
        ("ddoi", "%C4%91oi", "vi"),
        ("Ddoi+tam", "%C4%90oi+tam", "vi"),
        ("troongs", "tr%E1%BB%91ng", "vi"),
        ("langf", "l%C3%A0ng", "vi"),
        ("drums", "drum", "en"),
        ("drummer", "drum", "en"),
        ("drummers+", "drum+", "en"),
        ("weaver", "weav", "en"),
    ] {
        let expected = records(read, lang).await;
        assert!(!expected.is_empty(), "{read}");
        assert_eq!(records(typed, lang).await, expected, "{typed}");
    }
}

/// Regression (break-12c finding 6): look-alike letters find what the letters meant find, in
/// indexed text and queries alike: a Cyrillic or Greek `o` inside "trống", marks in legacy
/// order, spacing accents, small capitals, Turkish `İ`.
#[tokio::test]
async fn look_alike_letters_find_what_the_letters_meant_find() {
    let records = [
        record("trong-dong", "Trống đồng", "document", "1995", "Trống."),
        record("trong-com", "Trống cơm", "document", "1995", "Trống cơm."),
        record("viet", "Việt", "document", "1995", "Việt."),
        record(
            "pasted",
            "Tr\u{043E}\u{0302}\u{0301}ng chầu",
            "document",
            "1995",
            "Dán.",
        ),
        record("tranh", "Tranh", "document", "1995", "Tranh."),
    ];
    let (_workspace, site) = site_with(&as_batch(&records));
    let found = |typed: &str| {
        let site = site.clone();
        let url = format!("/api/search?q={}", urlencoding(typed));
        async move {
            let json = get(&site, &url).await.json();
            let mut found = ids(&json);
            found.sort();
            (found, json["notices"].clone())
        }
    };
    let (expected, _) = found("trống").await;
    assert_eq!(expected, ["pasted", "trong-com", "trong-dong"]);
    for typed in [
        "tr\u{043E}\u{0302}\u{0301}ng",
        "tr\u{03BF}\u{0302}\u{0301}ng",
        "tro\u{0301}\u{0302}ng",
        "trô\u{00B4}ng",
        "tro\u{02C6}\u{0301}ng",
        "ᴛʀống",
    ] {
        let (ids, notices) = found(typed).await;
        assert_eq!(ids, expected, "{typed}");
        assert_eq!(notices, serde_json::json!([]), "{typed}");
    }
    let (ids, notices) = found("VİỆT").await;
    assert_eq!(ids, ["viet"]);
    assert_eq!(notices, serde_json::json!([]));
}

/// `text` percent-encoded for a query string.
fn urlencoding(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Regression (break-12c finding 9): results past the 10,000th are not paged. A page beyond
/// (501 at 20 a page) is a 400 naming `page` and saying, in both languages, to narrow the
/// search, on the page and in the API; the last page allowed still answers the last page of
/// results with a 303 when the search has fewer.
#[tokio::test]
async fn pages_past_the_result_window_are_refused_with_a_reason() {
    let (_workspace, site) = crate::web::site();
    let english = "page: results past the 10000th are not paged (page 500 is the last); narrow the search with more words or a filter to reach them, not page '501'.";
    let vietnamese = "Trang: không hiển thị các kết quả sau kết quả thứ 10000 (trang 500 là trang cuối); hãy thu hẹp tìm kiếm bằng thêm từ hoặc bộ lọc, thay vì trang '501'.";
    // The API answers in the request's language (`lang`, else Accept-Language, else
    // Vietnamese), with a code and the parameter at fault.
    for (path, message) in [
        ("/api/search?q=&page=501", vietnamese),
        ("/api/search?q=&page=501&lang=en", english),
    ] {
        let api = get(&site, path).await;
        assert_eq!(api.status, StatusCode::BAD_REQUEST);
        assert_eq!(
            api.json(),
            serde_json::json!({"error": {
                "code": "page_out_of_range", "parameter": "page", "message": message,
            }}),
            "{path}"
        );
    }
    let accepted = crate::web::get_with(
        &site,
        axum::http::Request::get("/api/search?q=&page=501")
            .header("accept-language", "en-GB,en;q=0.9,vi;q=0.5")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(accepted.json()["error"]["message"], english);
    for path in ["/search?q=&page=501", "/en/search?q=&page=10000"] {
        let page = get(&site, path).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{path}");
        assert!(
            page.text()
                .contains("page: results past the 10000th are not paged"),
            "{path}"
        );
        assert!(page.text().contains("hãy thu hẹp tìm kiếm"), "{path}");
    }
    let last_allowed = get(&site, "/search?q=&page=500").await;
    assert_eq!(last_allowed.status, StatusCode::SEE_OTHER);
    assert_eq!(last_allowed.header("location"), "/search");
}

/// Regression (break-12 finding 11; fix14 point 3): one rule for every filter parameter, on the
/// page and in the API alike. A malformed value (a kind that is not one, an id or key that is
/// not a slug, stars outside 1–5) is a 400 naming it; a repeated search parameter is a 400,
/// never a value kept silently; more than 32 parameters is a 400. A well-formed value that names
/// nothing (an unknown village, craft, artisan, product, title, commune, province or district)
/// finds nothing: 200 with no results. A known village is 200 with results.
#[tokio::test]
async fn facet_parameters_follow_one_rule() {
    let (_workspace, site) = crate::web::site();
    let cases = [
        (
            "kind=festival&kind=story",
            "kind is given more than once; give one value (a search filters each field by one value)",
        ),
        (
            "village=doi-tam&village=nha-xa",
            "village is given more than once; give one value (a search filters each field by one value)",
        ),
        (
            "title=nghe-nhan-uu-tu&title=nghe-nhan-nhan-dan",
            "title is given more than once; give one value (a search filters each field by one value)",
        ),
        (
            "product=a&product=b",
            "product is given more than once; give one value (a search filters each field by one value)",
        ),
        (
            "village=Doi%20Tam",
            "village must be an id such as 'doi-tam' (lowercase letters, digits, '-'), not 'Doi Tam'",
        ),
        (
            "title=Ngh%E1%BB%87%20nh%C3%A2n",
            "title must be an id such as 'doi-tam' (lowercase letters, digits, '-'), not 'Nghệ nhân'",
        ),
        (
            "stars=6",
            "stars must be a number of OCOP stars from 1 to 5, not '6'",
        ),
        (
            "kind=nonsense",
            "kind: 'nonsense' is not a kind; use one of: photo, film, audio, pattern, technique, festival, document, story, visit",
        ),
    ];
    let in_english = |path: String| {
        axum::http::Request::get(path)
            .header("accept-language", "en")
            .body(axum::body::Body::empty())
            .unwrap()
    };
    for (params, message) in cases {
        let api = crate::web::get_with(&site, in_english(format!("/api/search?{params}"))).await;
        assert_eq!(api.status, StatusCode::BAD_REQUEST, "{params}");
        assert_eq!(api.json()["error"]["message"], message, "{params}");
        let parameter = params.split('=').next().unwrap();
        assert_eq!(api.json()["error"]["parameter"], parameter, "{params}");
        let code = if message.contains("more than once") {
            "repeated_parameter"
        } else {
            "invalid_parameter"
        };
        assert_eq!(api.json()["error"]["code"], code, "{params}");
        let page = get(&site, &format!("/search?{params}")).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{params}");
        let escaped = message.replace('\'', "&#39;");
        assert!(page.text().contains(&escaped), "{params}: {}", page.text());
    }
    let many = vec!["kind=festival"; 3000].join("&");
    let flood = crate::web::get_with(&site, in_english(format!("/api/search?{many}"))).await;
    assert_eq!(flood.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        flood.json(),
        serde_json::json!({"error": {
            "code": "too_many_parameters",
            "message": "a search takes at most 32 parameters, not 3000",
        }})
    );
    let known = get(&site, "/api/search?village=doi-tam&utm_source=x").await;
    assert_eq!(known.status, StatusCode::OK);
    assert!(known.json()["total"].as_u64().unwrap() > 0);
    // Well-formed values naming nothing: searched, nothing found, on the page and in the API.
    for name in [
        "village", "craft", "artisan", "product", "title", "commune", "province", "district",
    ] {
        let params = format!("{name}=khong-co-gi");
        let api = get(&site, &format!("/api/search?{params}")).await;
        assert_eq!(api.status, StatusCode::OK, "{params}: {}", api.text());
        assert_eq!(api.json()["total"], 0, "{params}");
        assert_eq!(api.json()["hits"], serde_json::json!([]), "{params}");
        let page = get(&site, &format!("/search?{params}")).await;
        assert_eq!(page.status, StatusCode::OK, "{params}");
    }
}

/// Regression (break-12 finding 12): suggestions written with the very tones typed come first
/// ("Đọi" lists "… Đọi Tam" before "Đôi …", whatever order the index gives equals in), an id
/// begun suggests its record, and each suggestion says the language of its label (an
/// English-only title is `en` on the Vietnamese site; see also the `lang-lacquer-only-en` case).
#[tokio::test]
async fn suggestions_put_exact_tones_first_complete_ids_and_carry_their_language() {
    let records = [
        record(
            "a-doi-chieng",
            "Đôi chiêng đồng của đội múa",
            "document",
            "2016",
            "Chiêng.",
        ),
        record("b-doi-ba", "Đôi đũa của đội bà", "document", "2016", "Đũa."),
        record(
            "c-trong-com",
            "Trống cơm làng Đọi Tam",
            "document",
            "2016",
            "Trống.",
        ),
        record(
            "hn-1995-012",
            "Biên bản họp làng",
            "document",
            "1995",
            "Họp.",
        ),
        (
            "so-thu.md".to_string(),
            "---\ndc.identifier: [so-thu, \"QN-2001/7\"]\ndc.title: Sổ thu\ndc.title@en: Receipts\nkind: document\n---\n\nSổ.\n".to_string(),
        ),
    ];
    let (_workspace, site) = site_with(&as_batch(&records));
    let suggestions = |json: Value| -> Vec<Value> {
        json["suggestions"]
            .as_array()
            .unwrap_or_else(|| panic!("{json}"))
            .clone()
    };
    for typed in ["%C4%90%E1%BB%8Di", "%C4%90%E1%BB%8D", "%C4%91%E1%BB%8Di+"] {
        let list = suggestions(get(&site, &format!("/api/suggest?q={typed}")).await.json());
        let labels: Vec<&str> = list.iter().map(|s| s["label"].as_str().unwrap()).collect();
        assert_eq!(
            labels.first(),
            Some(&"Trống cơm làng Đọi Tam"),
            "{typed}: {labels:?}"
        );
        assert_eq!(labels.len(), 3, "{typed}: {labels:?}");
        for s in &list {
            assert_eq!(s["lang"], "vi", "{s}");
        }
    }
    for typed in ["hn-1995", "HN-1995-0", "hn-1995-012"] {
        let list = suggestions(get(&site, &format!("/api/suggest?q={typed}")).await.json());
        assert_eq!(list.len(), 1, "{typed}: {list:?}");
        assert_eq!(list[0]["kind"], "identifier", "{typed}");
        assert_eq!(list[0]["url"], "/records/hn-1995-012", "{typed}");
        // Issue 12: labelled with the identifier that was begun, then the title.
        assert_eq!(
            list[0]["label"], "hn-1995-012 — Biên bản họp làng",
            "{typed}"
        );
        assert_eq!(list[0]["lang"], "vi", "{typed}");
    }
    // A `dc.identifier` as written, and the title in the page's language.
    for (typed, lang, label) in [
        ("qn-2001", "", "QN-2001/7 — Sổ thu"),
        ("QN-2001%2F", "", "QN-2001/7 — Sổ thu"),
        ("qn-2001", "&lang=en", "QN-2001/7 — Receipts"),
    ] {
        let list = suggestions(
            get(&site, &format!("/api/suggest?q={typed}{lang}"))
                .await
                .json(),
        );
        assert_eq!(list.len(), 1, "{typed}: {list:?}");
        assert_eq!(list[0]["kind"], "identifier", "{typed}");
        assert_eq!(list[0]["label"], label, "{typed}");
        let expected_lang = if lang.is_empty() { "vi" } else { "en" };
        assert_eq!(list[0]["lang"], expected_lang, "{typed}");
    }
}
