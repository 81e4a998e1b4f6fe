//! `cargo bench --bench staff`: how the workspace's staff list (`/workspace`) scales with the
//! archive (issue 15).
//!
//! Writes a real OCFL archive of `STAFF_RECORDS` (default 5,000) synthetic records (the search
//! benchmark's collection: Vietnamese-like titles, 60 villages, every kind, about 5% restricted),
//! then times what the list does ([`disan::workspace::catalogue`]):
//!
//! - **cold**: the first request of a server, which reads every object's inventory and
//!   `record.json`;
//! - **refresh**: a request after one record got a new version (the index generation moved),
//!   which walks the storage root, `stat`s each root inventory and reads one object again;
//! - **warm**: a request with nothing changed: the rows from memory, filtered (words, a village,
//!   changed since), sorted and cut to page 3.
//!
//! - **audit**: the whole archive's events (`/workspace/audit`), which reads every object's
//!   `premis.xml` at each request (each version here carries two events, as an ingest's do).
//!
//! Prints each median in milliseconds, per record in microseconds, and the ratios refresh/cold
//! and warm/cold (what keeping the rows buys). For the 100,000-record figure of the README:
//! `STAFF_RECORDS=100000 cargo bench --bench staff` (writing the archive takes minutes).

#[path = "search/synthetic.rs"]
#[allow(dead_code)]
mod synthetic;

use std::time::{Duration, Instant};

use disan::archive::premis::Event;
use disan::archive::{Archive, User, VersionInfo};
use disan::index::IndexDir;
use disan::workspace::catalogue::{self, Cache, Query};

/// A whole number from the environment variable `name`, else `default`.
fn knob(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The median of `runs` timings of `work`.
fn median(runs: usize, mut work: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn ms(time: Duration) -> f64 {
    time.as_secs_f64() * 1000.0
}

fn main() {
    let count = knob("STAFF_RECORDS", 5000);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let archive = Archive::open_or_create(&dir.path().join("archive")).expect("an archive");
    let collection = synthetic::Collection::generate(count, 15);
    // Each version carries an ingestion and a validation event, as an ingest writes them.
    let info = VersionInfo::new(
        "staff benchmark",
        User {
            name: "bench".into(),
            address: None,
        },
    )
    .with_events(vec![
        Event::ingestion("bench", "synthetic batch"),
        Event::validation("row checked", Vec::new()),
    ]);
    let started = Instant::now();
    {
        let lock = archive.lock().expect("the write lock");
        for record in &collection.records {
            archive
                .store_record(&lock, record, Vec::new(), &info)
                .expect("a stored record");
        }
    }
    println!(
        "archive: {count} records written in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let stores = IndexDir::new(&dir.path().join("index")).stores();

    let cold = median(3, || {
        let cache = Cache::default();
        cache.rows(&archive, &stores, 1).expect("rows");
    });

    let cache = Cache::default();
    cache.rows(&archive, &stores, 1).expect("rows");
    let mut generation = 1;
    let mut changed = collection.records[count / 2].clone();
    let mut refreshes: Vec<Duration> = (0..5)
        .map(|n| {
            changed
                .extra
                .insert("note".into(), vec![format!("benchmark change {n}")]);
            let lock = archive.lock().expect("the write lock");
            archive
                .store_record(&lock, &changed, Vec::new(), &info)
                .expect("a new version");
            drop(lock);
            generation += 1;
            let started = Instant::now();
            cache.rows(&archive, &stores, generation).expect("rows");
            started.elapsed()
        })
        .collect();
    refreshes.sort();
    let refresh = refreshes[refreshes.len() / 2];

    let village = collection.records[0].village.clone();
    let query = Query {
        words: "lang".into(),
        village,
        since: Some(std::time::UNIX_EPOCH),
        page: 3,
        ..Query::default()
    };
    let mut shown = 0;
    let warm = median(21, || {
        let (rows, _) = cache.rows(&archive, &stores, generation).expect("rows");
        shown = catalogue::select(&rows, &query, |_| true).total;
    });
    let all = median(21, || {
        let (rows, _) = cache.rows(&archive, &stores, generation).expect("rows");
        catalogue::select(&rows, &Query::default(), |_| true);
    });

    let audit = median(3, || {
        let (events, _) = archive.audit(None).expect("events");
        assert!(events.len() >= 2 * count);
    });

    let per = |time: Duration| time.as_secs_f64() * 1e6 / count as f64;
    println!(
        "cold    {:9.1} ms  ({:6.2} µs a record): every inventory and record.json read",
        ms(cold),
        per(cold)
    );
    println!(
        "refresh {:9.1} ms  ({:6.2} µs a record): one record changed, every inventory stat-ed",
        ms(refresh),
        per(refresh)
    );
    println!(
        "warm    {:9.2} ms  ({:6.3} µs a record): filtered ({shown} match), sorted, page 3",
        ms(warm),
        per(warm)
    );
    println!(
        "warm, no filter {:9.2} ms: every record sorted by change, page 1",
        ms(all)
    );
    println!(
        "audit   {:9.1} ms  ({:6.2} µs a record): every object's premis.xml read (/workspace/audit)",
        ms(audit),
        per(audit)
    );
    println!(
        "ratios: refresh/cold {:.3}, warm/cold {:.4}",
        refresh.as_secs_f64() / cold.as_secs_f64(),
        warm.as_secs_f64() / cold.as_secs_f64()
    );
}
