//! Search benchmark: Disan against PostgreSQL full-text search, measured side by side on the same
//! synthetic collection in one run.
//!
//! 1. Indexing: records per second and index size, Disan's tantivy index (written the way
//!    `disan reindex` writes it) against a PostgreSQL table with a GIN `tsvector` index, a trigram
//!    index and a word list for respelling (COPY, index builds and ANALYZE).
//! 2. Latency, median and p99, of seven classes of queries (term, phrase, facet, typo,
//!    search-as-you-type suggestions, a record's identifier, Telex/VNI leftovers): Disan in process (`SearchIndex::search`, `suggest`), Disan
//!    through its HTTP API (`/api/search`, `/api/suggest` over a keep-alive loopback connection)
//!    and PostgreSQL (`ts_rank`, `ts_headline`, `unaccent`, `pg_trgm`, timed by `psql` over a
//!    Unix socket), printed as ratios against the goals: Disan's median at most 0.2 of
//!    PostgreSQL's, and p99 through HTTP under 20 ms.
//!
//! 3. The site under abuse ([`siege`]): term searches timed by `wrk` alone, then while an
//!    attacker holds 300 slow sockets and sends 20 queries a second of a 250-letter word; goal
//!    p99 under 20 ms (`DISAN_BENCH_SIEGE=no` skips it; `WRK_CONNECTIONS`, `WRK_DURATION`).
//!
//! Every query is run once untimed (warm-up), then timed over several passes. The mean number of
//! matches per query is printed for both sides, to show they find comparable things.
//!
//! Run with `cargo bench --bench search`. Settings (environment): `DISAN_BENCH_RECORDS` (default
//! 100000), `DISAN_BENCH_QUERIES` (distinct queries per class, default 200),
//! `DISAN_BENCH_PASSES` (timed passes, default 3), `DISAN_BENCH_DIR` (where the scratch folder
//! goes, default the system temporary folder; about 1 GB at 100,000 records),
//! `DISAN_BENCH_POSTGRES=no` (Disan alone, for quick runs while tuning). PostgreSQL needs
//! Debian's `postgresql` (server, `psql`, `unaccent` and `pg_trgm`); when it is missing or cannot
//! start, that comparison is skipped, saying why. Run as root, the server runs as `postgres`.

mod http;
mod postgres;
mod queries;
mod siege;
mod synthetic;

use std::path::Path;
use std::time::{Duration, Instant};

use disan::index::search::{SearchIndex, SearchQuery};
use disan::index::sync::{ArchiveState, IndexState};
use disan::model::Access;
use rayon::prelude::*;

use crate::queries::{Class, Filter, Query, QuerySet};
use crate::synthetic::Collection;

const SEED: u64 = 0x6469_7361_6e5f_7631;
const HTTP_P99_GOAL_MS: f64 = 20.0;
const MEDIAN_RATIO_GOAL: f64 = 0.2;

fn setting(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(text) => text
            .trim()
            .replace('_', "")
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a whole number, not {text:?}")),
        Err(_) => default,
    }
}

/// Median and 99th percentile (nearest rank) of timings in milliseconds.
#[derive(Debug, Clone, Copy)]
struct Latency {
    median: f64,
    p99: f64,
}

impl Latency {
    fn of(millis: &[f64]) -> Latency {
        let mut sorted = millis.to_vec();
        if sorted.is_empty() {
            return Latency {
                median: f64::NAN,
                p99: f64::NAN,
            };
        }
        sorted.sort_by(f64::total_cmp);
        let rank = |p: f64| {
            let at = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
            sorted[at - 1]
        };
        Latency {
            median: rank(0.5),
            p99: rank(0.99),
        }
    }
}

/// Timings of one class on one side of Disan.
struct Measured {
    /// Pass by pass, query by query, in milliseconds.
    millis: Vec<f64>,
    /// Matches (suggestions shown, for suggestions) of each query.
    found: Vec<u64>,
}

impl Measured {
    fn latency(&self) -> Latency {
        Latency::of(&self.millis)
    }

    fn mean_found(&self) -> f64 {
        self.found.iter().sum::<u64>() as f64 / self.found.len().max(1) as f64
    }

    /// The `n` slowest queries by their median over the passes: index and milliseconds.
    fn slowest(&self, n: usize) -> Vec<(usize, f64)> {
        let queries = self.found.len();
        let mut medians: Vec<(usize, f64)> = (0..queries)
            .map(|q| {
                let runs: Vec<f64> = self
                    .millis
                    .iter()
                    .skip(q)
                    .step_by(queries)
                    .copied()
                    .collect();
                (q, Latency::of(&runs).median)
            })
            .collect();
        medians.sort_by(|a, b| b.1.total_cmp(&a.1));
        medians.truncate(n);
        medians
    }
}

fn main() {
    let records = setting("DISAN_BENCH_RECORDS", 100_000);
    let per_class = setting("DISAN_BENCH_QUERIES", 200);
    let passes = setting("DISAN_BENCH_PASSES", 3).max(1);
    let scratch = tempfile::tempdir_in(
        std::env::var_os("DISAN_BENCH_DIR").unwrap_or(std::env::temp_dir().into()),
    )
    .expect("scratch folder");
    println!(
        "Disan search benchmark: {records} synthetic records, {per_class} queries per class, \
         {passes} timed passes after one untimed ({} cores)\n",
        rayon::current_num_threads()
    );

    let start = Instant::now();
    let collection = Collection::generate(records, SEED);
    let sets = queries::generate(&collection, per_class, SEED ^ 0x5157);
    let public = collection
        .records
        .iter()
        .filter(|r| r.access == Access::Public)
        .count();
    let text_bytes: usize = collection
        .records
        .iter()
        .flat_map(|r| r.dc.values().flatten())
        .map(|v| v.value.len())
        .sum();
    println!(
        "== Collection: {records} records ({public} public), {} villages, {} crafts, \
         {:.0} MB of text; generated in {:.1} s",
        collection.villages.len(),
        collection.crafts.len(),
        text_bytes as f64 / 1e6,
        start.elapsed().as_secs_f64()
    );
    for set in &sets {
        let examples: Vec<String> = set.queries.iter().take(4).map(describe).collect();
        println!(
            "{:<7} {} queries, such as {}",
            set.class.name(),
            set.queries.len(),
            examples.join(", ")
        );
    }
    println!();

    println!("== Indexing");
    let index_root = scratch.path().join("index");
    // The site serves this index over an empty archive: its commit says it reflects that
    // archive, as an index `disan reindex` wrote would, so the site's start-up check (which
    // would otherwise remove every record the archive lacks) leaves it as it is.
    let archive = scratch.path().join("archive");
    let reflects = {
        let archive = disan::archive::Archive::open_or_create(&archive).expect("empty archive");
        let (state, _) = ArchiveState::read(&archive).expect("read the archive");
        IndexState::Reflects(state.fingerprint()).payload()
    };
    let (index, disan_indexing, segments) =
        build_index(&collection, &index_root.join("search"), &reflects);
    let disan_size = dir_size(&index_root.join("search"));
    println!(
        "disan:      {:>7.0} records/s ({:.1} s), index {:.1} MB in {segments} segments",
        records as f64 / disan_indexing.as_secs_f64(),
        disan_indexing.as_secs_f64(),
        disan_size as f64 / 1e6
    );

    let in_process: Vec<Measured> = sets
        .iter()
        .map(|set| time_in_process(&index, set, passes))
        .collect();
    drop(index);
    let siege;
    let http: Vec<Measured> = {
        let authorities = disan::index::IndexDir::new(&index_root).authorities_path();
        collection
            .authorities()
            .save(&authorities)
            .expect("save the authorities");
        let site = disan::web::Site::open(&archive, &index_root, None).expect("open the site");
        let addr = http::serve(site);
        let timed = sets
            .iter()
            .map(|set| time_http(addr, set, passes))
            .collect();
        let terms: Vec<String> = sets
            .iter()
            .filter(|set| set.class == Class::Term)
            .flat_map(|set| set.queries.iter().map(api_target))
            .collect();
        siege = siege::run(addr, &terms, scratch.path());
        timed
    };

    let skip_postgres = std::env::var("DISAN_BENCH_POSTGRES").is_ok_and(|v| v == "0" || v == "no");
    let postgres = if skip_postgres {
        println!("postgresql: comparison skipped: DISAN_BENCH_POSTGRES says so");
        None
    } else {
        compare_postgres(&collection, &sets, passes, scratch.path(), |loaded| {
            println!(
                "disan/postgresql: indexing {:.1} times as fast, index {:.2} of the size",
                loaded.elapsed.as_secs_f64() / disan_indexing.as_secs_f64(),
                disan_size as f64 / loaded.bytes as f64
            );
        })
    };
    println!();
    report(&sets, &in_process, &http, postgres.as_deref(), passes);
    if let Some((calm, attacked)) = siege {
        println!(
            "\n== Term searches with wrk while attacked ({} slow sockets, {} abusive queries/s)",
            300, 20
        );
        println!(
            "{:<26} {:>12} {:>10} {:>10} {:>11}",
            "", "requests/s", "p50 ms", "p99 ms", "p99 <20ms"
        );
        for (name, run) in [("alone", &calm), ("under attack", &attacked)] {
            println!(
                "{:<26} {:>12.0} {:>10.2} {:>10.2} {:>11}",
                name,
                run.requests_per_second,
                run.p50_ms,
                run.p99_ms,
                yes_no(run.p99_ms < HTTP_P99_GOAL_MS)
            );
        }
    }
}

/// Loads the collection into a throwaway PostgreSQL and times the same queries; `None` (having
/// said why) when PostgreSQL is unavailable or fails.
fn compare_postgres(
    collection: &Collection,
    sets: &[QuerySet],
    passes: usize,
    scratch: &Path,
    compare_loading: impl FnOnce(&postgres::Loaded),
) -> Option<Vec<postgres::ClassTimes>> {
    let cluster = postgres::Cluster::start(scratch)
        .map_err(|why| println!("postgresql: comparison skipped: {why}"))
        .ok()?;
    let loaded = cluster
        .load(collection, scratch)
        .map_err(|why| println!("postgresql: loading failed, comparison skipped: {why}"))
        .ok()?;
    println!(
        "postgresql: {:>7.0} records/s ({:.1} s), table, indexes and word list {:.1} MB \
         (PostgreSQL {})",
        collection.records.len() as f64 / loaded.elapsed.as_secs_f64(),
        loaded.elapsed.as_secs_f64(),
        loaded.bytes as f64 / 1e6,
        cluster.version
    );
    compare_loading(&loaded);
    cluster
        .time_queries(sets, passes, scratch)
        .map_err(|why| println!("postgresql: queries failed, comparison skipped: {why}"))
        .ok()
}

fn describe(query: &Query) -> String {
    let filter = match &query.filter {
        None => String::new(),
        Some(Filter::Village(id)) => format!(" village={id}"),
        Some(Filter::Kind(kind)) => format!(" kind={kind}"),
        Some(Filter::Decade(decade)) => format!(" decade={decade}"),
    };
    format!("[{}{filter}]", query.text())
}

/// Indexes every record as `disan reindex` does (all cores, one commit, merges let finish);
/// returns the index, the time taken and the number of segments left.
fn build_index(
    collection: &Collection,
    dir: &Path,
    payload: &str,
) -> (SearchIndex, Duration, usize) {
    let start = Instant::now();
    // Both indexes, as `disan reindex` writes them: the site rebuilds a public index whose
    // everyone index (`search-all`, for signed-in viewers) is missing or out of step.
    let everyone = dir.with_file_name("search-all");
    let index = SearchIndex::open_pair(dir, &everyone).expect("create the indexes");
    let indexer = index.indexer().expect("take the writer");
    collection.records.par_iter().for_each(|record| {
        indexer
            .put(record, "v1|-|-", collection, "")
            .expect("index a record");
    });
    indexer.finish(payload).expect("commit and merge");
    let elapsed = start.elapsed();
    index.reload().expect("reload");
    let segments = tantivy::Index::open_in_dir(dir)
        .and_then(|i| i.searchable_segment_metas())
        .map_or(0, |metas| metas.len());
    (index, elapsed, segments)
}

fn dir_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

fn search_query(query: &Query) -> SearchQuery {
    let mut search = SearchQuery {
        text: query.text(),
        page: 1,
        ..SearchQuery::default()
    };
    match &query.filter {
        None => {}
        Some(Filter::Village(id)) => search.village = Some(id.clone()),
        Some(Filter::Kind(kind)) => search.kind = Some(kind.clone()),
        Some(Filter::Decade(decade)) => search
            .facet_filters
            .push(("decade".to_string(), decade.to_string())),
    }
    search
}

fn api_target(query: &Query) -> String {
    let mut target = format!("/api/search?q={}", http::encode(&query.text()));
    match &query.filter {
        None => {}
        Some(Filter::Village(id)) => target.push_str(&format!("&village={}", http::encode(id))),
        Some(Filter::Kind(kind)) => target.push_str(&format!("&kind={}", http::encode(kind))),
        Some(Filter::Decade(decade)) => target.push_str(&format!("&decade={decade}")),
    }
    target
}

/// Suggestions the site asks for as the visitor types (`/api/suggest` shows at most 8).
const SUGGESTIONS: usize = 8;

fn time_in_process(index: &SearchIndex, set: &QuerySet, passes: usize) -> Measured {
    // Returns the number of matches (searches) or of suggestions.
    let run = |query: &Query| -> u64 {
        if set.class == Class::Suggest {
            index
                .suggest(&query.words, SUGGESTIONS)
                .expect("suggest")
                .len() as u64
        } else {
            index.search(&search_query(query)).expect("search").total as u64
        }
    };
    let found = set.queries.iter().map(run).collect();
    let mut millis = Vec::with_capacity(set.queries.len() * passes);
    for _ in 0..passes {
        for query in &set.queries {
            let start = Instant::now();
            std::hint::black_box(run(query));
            millis.push(start.elapsed().as_secs_f64() * 1e3);
        }
    }
    Measured { millis, found }
}

fn time_http(addr: std::net::SocketAddr, set: &QuerySet, passes: usize) -> Measured {
    let targets: Vec<String> = set
        .queries
        .iter()
        .map(|query| {
            if set.class == Class::Suggest {
                format!("/api/suggest?q={}", http::encode(&query.words))
            } else {
                api_target(query)
            }
        })
        .collect();
    let mut client = http::Client::connect(addr).expect("connect to the site");
    let mut found = Vec::with_capacity(targets.len());
    for target in &targets {
        let (status, body) = client.get(target).expect("GET");
        assert_eq!(status, 200, "{target}: {}", String::from_utf8_lossy(&body));
        let json: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
        found.push(match set.class {
            Class::Suggest => json["suggestions"].as_array().map_or(0, |a| a.len() as u64),
            _ => json["total"].as_u64().expect("a total"),
        });
    }
    let mut millis = Vec::with_capacity(targets.len() * passes);
    for _ in 0..passes {
        for target in &targets {
            let start = Instant::now();
            let (status, body) = client.get(target).expect("GET");
            millis.push(start.elapsed().as_secs_f64() * 1e3);
            assert_eq!(status, 200);
            std::hint::black_box(body);
        }
    }
    Measured { millis, found }
}

fn yes_no(ok: bool) -> &'static str {
    if ok { "yes" } else { "NO" }
}

fn report(
    sets: &[QuerySet],
    in_process: &[Measured],
    http: &[Measured],
    postgres: Option<&[postgres::ClassTimes]>,
    passes: usize,
) {
    let queries = sets.first().map_or(0, |s| s.queries.len());
    println!(
        "== Query latency in ms, median / p99 ({} timed queries per class: {queries} × {passes} \
         passes)",
        queries * passes
    );
    let line = |columns: [&str; 8]| {
        println!(
            "{:<11} {:>17} {:>17} {:>17} {:>8} {:>8}   {:<11} {:<11}",
            columns[0],
            columns[1],
            columns[2],
            columns[3],
            columns[4],
            columns[5],
            columns[6],
            columns[7]
        )
    };
    line([
        "class",
        "disan in-process",
        "disan HTTP",
        "postgresql",
        "HTTP/pg",
        "in-p/pg",
        "≤0.2 of pg",
        "p99 <20ms",
    ]);
    let pair = |l: Latency| format!("{:>7.2} / {:>7.2}", l.median, l.p99);
    // One row per way PostgreSQL answers a class (one row per class without PostgreSQL).
    let rows: Vec<(usize, String, Option<&postgres::ClassTimes>)> = sets
        .iter()
        .enumerate()
        .flat_map(|(i, set)| match postgres {
            None => vec![(i, set.class.name().to_string(), None)],
            Some(pg) => pg
                .iter()
                .filter(|c| c.class == set.class)
                .map(|c| (i, label(c), Some(c)))
                .collect(),
        })
        .collect();
    for (i, name, pg) in &rows {
        let (local, remote) = (in_process[*i].latency(), http[*i].latency());
        let (pg_pair, ratio_http, ratio_local, median_goal) = match pg {
            Some(pg) => {
                let pg = Latency::of(&pg.millis);
                let ratio = remote.median / pg.median;
                (
                    pair(pg),
                    format!("{ratio:.3}"),
                    format!("{:.3}", local.median / pg.median),
                    yes_no(ratio <= MEDIAN_RATIO_GOAL).to_string(),
                )
            }
            None => ("-".into(), "-".into(), "-".into(), "-".into()),
        };
        line([
            name,
            &pair(local),
            &pair(remote),
            &pg_pair,
            &ratio_http,
            &ratio_local,
            &median_goal,
            yes_no(remote.p99 < HTTP_P99_GOAL_MS),
        ]);
    }
    println!(
        "(HTTP/pg and in-p/pg: Disan's median over PostgreSQL's; goals: HTTP/pg at most \
         {MEDIAN_RATIO_GOAL}, and p99 through HTTP under {HTTP_P99_GOAL_MS} ms)"
    );
    if postgres.is_some() {
        println!(
            "(typo: PostgreSQL respells unknown words from its word list, then searches, as Disan \
             does; typo-title: trigram word similarity on titles only, the cheaper Django way)"
        );
    }

    println!("\n== Mean matches per query (before paging; suggest: suggestions shown)");
    println!(
        "{:<11} {:>12} {:>12} {:>12}",
        "class", "disan", "disan HTTP", "postgresql"
    );
    for (i, name, pg) in &rows {
        let pg = pg.map_or("-".to_string(), |pg| {
            let mean = if pg.class == Class::Suggest {
                pg.mean_rows
            } else {
                pg.mean_hits
            };
            format!("{mean:.1}")
        });
        println!(
            "{:<11} {:>12.1} {:>12.1} {:>12}",
            name,
            in_process[*i].mean_found(),
            http[*i].mean_found(),
            pg
        );
    }
    println!(
        "(HTTP suggestions include up to 3 villages and crafts before titles; in process, titles \
         only)"
    );
    // Timings of a server that finds nothing would mean nothing: the API must find what the
    // index finds in process.
    for (i, name, _) in &rows {
        let (found, served) = (in_process[*i].mean_found(), http[*i].mean_found());
        assert!(
            served >= found * 0.99 && served > 0.0,
            "{name}: the HTTP API found {served:.1} records per query, the index in process {found:.1}"
        );
    }

    println!("\n== Slowest queries through Disan's HTTP API (median of the passes)");
    for (set, measured) in sets.iter().zip(http) {
        let slowest: Vec<String> = measured
            .slowest(3)
            .into_iter()
            .map(|(q, ms)| {
                format!(
                    "{} {ms:.1} ms ({} found)",
                    describe(&set.queries[q]),
                    measured.found[q]
                )
            })
            .collect();
        println!("{:<11} {}", set.class.name(), slowest.join(", "));
    }
}

fn label(times: &postgres::ClassTimes) -> String {
    match times.variant {
        postgres::Variant::TypoTitle => "typo-title".to_string(),
        _ => times.class.name().to_string(),
    }
}
