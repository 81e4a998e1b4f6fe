//! What visitors type that costs the search: a 250-letter word is never respelled, at most four
//! words are, a query searches at most 32 words and says so; and `/en/` is the English home.

use std::sync::Arc;

use disan::web::Site;

use crate::web::get;

/// The English notices of a search through the API.
async fn notices(site: &Arc<Site>, q: &str) -> Vec<String> {
    let answer = get(site, &format!("/api/search?q={}", encode(q))).await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    answer.json()["notices"]
        .as_array()
        .map(|notices| {
            notices
                .iter()
                .map(|n| n["en"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// adv-long-word-fuzzy-dos: a 250-letter word is searched as typed, never respelled (no typo
/// automaton is built: the notice of close spellings is given exactly when they are looked
/// for); a word of plausible length still is; a query respells at most four words.
#[tokio::test]
async fn adv_a_long_word_is_never_respelled() {
    let (_workspace, site) = crate::web::site();
    let letters: Vec<char> = "ăâêôơưđáàảãạấầẩẫậéèẻẽẹếềểễệ".chars().collect();
    let long: String = (0..250).map(|n| letters[(n * 7) % letters.len()]).collect();
    assert_eq!(
        notices(&site, &long).await,
        vec![format!(
            "Nothing contains “{long}”; words longer than 24 letters are not checked for close spellings."
        )]
    );
    let plausible: String = long.chars().take(24).collect();
    assert_eq!(
        notices(&site, &plausible).await,
        vec![format!(
            "Nothing contains “{plausible}”; close spellings of it were tried too."
        )]
    );
    let words = ["zzqa", "zzqb", "zzqc", "zzqd", "zzqe"];
    let said = notices(&site, &words.join(" ")).await;
    let mut expected: Vec<String> = words[..4]
        .iter()
        .map(|w| format!("Nothing contains “{w}”; close spellings of it were tried too."))
        .collect();
    expected.push(
        "Nothing contains “zzqe”; close spellings are looked for only for the first 4 words found nowhere.".to_string(),
    );
    assert_eq!(said, expected);
}

/// `/en/` is the English home page (a permanent redirect to `/en`), not a 404.
#[tokio::test]
async fn english_home_with_a_trailing_slash() {
    let (_workspace, site) = crate::web::site();
    let answer = get(&site, "/en/").await;
    assert_eq!(answer.status, 308);
    assert_eq!(answer.header("location"), "/en");
    assert_eq!(get(&site, "/en/?q=x").await.header("location"), "/en?q=x");
    assert_eq!(get(&site, "/en").await.status, 200);
}

/// break-site finding 4: a query searches at most 32 words; the rest is ignored, and the API and
/// the page say so. The 33rd word here is found nowhere, so it would empty the results were it
/// searched.
#[tokio::test]
async fn a_query_searches_at_most_32_words_and_says_so() {
    let (_workspace, site) = crate::web::site();
    let mut words = vec!["trống"; 32];
    words.push("zzqnowhere");
    let q = encode(&words.join(" "));
    let answer = get(&site, &format!("/api/search?q={q}")).await;
    assert_eq!(answer.status, 200);
    let json = answer.json();
    let ids: Vec<&str> = json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"anh-mat-trong"), "{json}");
    let said = notices(&site, &words.join(" ")).await;
    assert_eq!(
        said,
        ["Only the first 32 words were searched; the rest of the query was ignored."]
    );
    let page = get(&site, &format!("/en/search?q={q}")).await;
    assert_eq!(page.status, 200);
    assert!(
        page.text()
            .contains("Only the first 32 words were searched; the rest of the query was ignored."),
        "{}",
        page.text()
    );
    let page = get(&site, &format!("/search?q={q}")).await;
    assert!(
        page.text()
            .contains("Chỉ tìm theo 32 từ đầu tiên; phần còn lại của câu tìm bị bỏ qua."),
        "{}",
        page.text()
    );
    // 32 words are searched whole: no notice.
    assert!(
        notices(&site, &vec!["trống"; 32].join(" "))
            .await
            .is_empty()
    );
}
