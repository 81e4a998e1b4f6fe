//! The relevance suite: judged queries over the sample collection (`tests/relevance/queries.toml`)
//! scored with nDCG@10 on the real index. Every query must rank its relevant records well, and
//! the same query typed without diacritics must score at least 0.95 of the accented one.
//!
//! Run `cargo test --test it relevance -- --nocapture` to see every query's score.

use std::collections::BTreeMap;

use disan::index::IndexDir;
use disan::index::search::{SearchIndex, SearchQuery};
use disan::model::text::fold;
use serde::Deserialize;

use crate::support::Workspace;

/// Ranks judged; nDCG@10.
const DEPTH: usize = 10;
/// Every query must reach this score (in both forms).
const MIN_QUERY_NDCG: f64 = 0.75;
/// The mean over all queries must reach this.
const MIN_MEAN_NDCG: f64 = 0.9;
/// The unaccented form must reach this share of the accented form's score.
const MIN_UNACCENTED_RATIO: f64 = 0.95;

#[derive(Deserialize)]
struct Judgements {
    query: Vec<Judged>,
}

#[derive(Deserialize)]
struct Judged {
    q: String,
    relevant: BTreeMap<String, u32>,
    /// The typo is a wrong tone: without diacritics the query is another, correctly spelled
    /// one, so it has no unaccented form to compare.
    #[serde(default)]
    typo_in_tones: bool,
}

/// The query as typed without diacritics (operators stay operators).
fn unaccented(query: &str) -> String {
    query
        .split(' ')
        .map(|word| match word {
            "OR" | "NOT" | "AND" => word.to_string(),
            _ => fold(word),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Discounted cumulative gain of a ranking under graded judgements (gain 2^grade − 1).
fn dcg(grades: impl Iterator<Item = u32>) -> f64 {
    grades
        .take(DEPTH)
        .enumerate()
        .map(|(rank, grade)| f64::from((1u32 << grade) - 1) / (rank as f64 + 2.0).log2())
        .sum()
}

fn ndcg(ranked: &[String], relevant: &BTreeMap<String, u32>) -> f64 {
    let actual = dcg(ranked
        .iter()
        .map(|id| relevant.get(id).copied().unwrap_or(0)));
    let mut ideal: Vec<u32> = relevant.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let best = dcg(ideal.into_iter());
    if best == 0.0 { 0.0 } else { actual / best }
}

fn ranked(index: &SearchIndex, q: &str) -> Vec<String> {
    let query = SearchQuery {
        text: q.to_string(),
        page: 1,
        ..SearchQuery::default()
    };
    index
        .search(&query)
        .unwrap()
        .hits
        .into_iter()
        .map(|hit| hit.id)
        .collect()
}

#[test]
fn judged_queries_rank_well_with_and_without_diacritics() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let judgements: Judgements = toml::from_str(
        &std::fs::read_to_string(root.join("tests/relevance/queries.toml")).unwrap(),
    )
    .unwrap();
    assert!(
        judgements.query.len() >= 40,
        "the suite needs at least 40 queries"
    );

    let workspace = Workspace::new();
    let (code, report) = workspace.ingest(&root.join("sample/ha-nam"), &[]);
    assert_eq!(code, 0, "{report}");
    let index = IndexDir::new(&workspace.index()).search().unwrap();
    index.reload().unwrap();

    let mut public = std::collections::BTreeSet::new();
    for page in 1.. {
        let query = SearchQuery {
            page,
            ..SearchQuery::default()
        };
        let hits = index.search(&query).unwrap().hits;
        if hits.is_empty() {
            break;
        }
        public.extend(hits.into_iter().map(|hit| hit.id));
    }

    let mut failures = Vec::new();
    let mut scores = Vec::new();
    println!("{:<40} {:>7} {:>10}", "query", "nDCG@10", "unaccented");
    for judged in &judgements.query {
        for id in judged.relevant.keys() {
            assert!(
                public.contains(id),
                "{}: {id} is not a public sample record",
                judged.q
            );
        }
        let results = ranked(&index, &judged.q);
        let score = ndcg(&results, &judged.relevant);
        scores.push(score);
        let unaccented = unaccented(&judged.q);
        let folded_score = (!judged.typo_in_tones && unaccented != judged.q).then(|| {
            let score = ndcg(&ranked(&index, &unaccented), &judged.relevant);
            scores.push(score);
            score
        });
        println!(
            "{:<40} {score:>7.3} {:>10}",
            judged.q,
            folded_score.map_or("—".to_string(), |s| format!("{s:.3}"))
        );
        if score < MIN_QUERY_NDCG {
            failures.push(format!(
                "{}: nDCG@10 {score:.3}, ranked {results:?}",
                judged.q
            ));
        }
        if let Some(folded) = folded_score
            && folded < MIN_UNACCENTED_RATIO * score
        {
            failures.push(format!(
                "{unaccented}: nDCG@10 {folded:.3}, below {MIN_UNACCENTED_RATIO} of “{}” ({score:.3}); ranked {:?}",
                judged.q,
                ranked(&index, &unaccented)
            ));
        }
    }
    let mean = scores.iter().sum::<f64>() / scores.len() as f64;
    println!("mean nDCG@10 over {} runs: {mean:.3}", scores.len());
    assert!(mean >= MIN_MEAN_NDCG, "mean nDCG@10 {mean:.3}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
