//! OAI-PMH harvest benchmark (issue 16): a full harvest of the synthetic collection through
//! HTTP, as an aggregator would make it, with its rate and the server's memory.
//!
//! 1. The search benchmark's synthetic collection (`benches/search/synthetic.rs`, 100,000
//!    records by default, about 5% restricted) is written into a real archive (one OCFL object
//!    per record) and indexed by `disan reindex`'s own code.
//! 2. The site is served on a loopback socket with the accept loop and limits of `disan serve`
//!    (`benches/search/http.rs`); one keep-alive client harvests `ListIdentifiers` and then
//!    `ListRecords` (`oai_dc`) from the first page to the empty resumption token, as Sickle
//!    does. The first request also makes the listing (reading every object's inventory); it is
//!    printed apart, then the whole harvest with the listing kept.
//! 3. Printed: records per second (goal ≥ 2,000 through HTTP), pages, bytes, and the process's
//!    resident memory before the harvests and its peak during them (`VmHWM`, reset before the
//!    harvests through `/proc/self/clear_refs`): a streamed harvest keeps it flat however large
//!    the collection.
//!
//! Run with `cargo bench --bench oai`. Settings (environment): `DISAN_BENCH_RECORDS` (default
//! 100000), `DISAN_BENCH_DIR` (where the scratch folder goes, default the system temporary
//! folder).

#[allow(dead_code)]
#[path = "search/http.rs"]
mod http;
#[allow(dead_code)]
#[path = "search/synthetic.rs"]
mod synthetic;

use std::time::Instant;

use disan::archive::{Archive, User, VersionInfo};
use disan::index::IndexDir;
use disan::model::Access;

const SEED: u64 = 0x6469_7361_6e5f_7631;
const RATE_GOAL: f64 = 2000.0;

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

/// A line of `/proc/self/status` (`VmRSS`, `VmHWM`) in megabytes.
fn memory(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with(&format!("{field}:")))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// The text of the response's resumption token (empty when it is the last page or has none).
fn next_token(body: &str) -> String {
    body.split_once("<resumptionToken")
        .and_then(|(_, rest)| rest.split_once('>'))
        .filter(|(attributes, _)| !attributes.ends_with('/'))
        .and_then(|(_, rest)| rest.split_once("</resumptionToken>"))
        .map(|(token, _)| token.to_string())
        .unwrap_or_default()
}

/// What one harvest did.
struct Harvest {
    items: usize,
    pages: usize,
    bytes: usize,
    seconds: f64,
    first_page_seconds: f64,
}

/// Harvests `verb` whole, counting `<header` elements.
fn harvest(client: &mut http::Client, verb: &str) -> Harvest {
    let start = Instant::now();
    let mut query = format!("/oai?verb={verb}&metadataPrefix=oai_dc");
    let mut result = Harvest {
        items: 0,
        pages: 0,
        bytes: 0,
        seconds: 0.0,
        first_page_seconds: 0.0,
    };
    loop {
        let (status, body) = client.get(&query).expect("an OAI-PMH response");
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        let body = String::from_utf8(body).expect("UTF-8");
        assert!(!body.contains("<error"), "{body}");
        if result.pages == 0 {
            result.first_page_seconds = start.elapsed().as_secs_f64();
        }
        result.pages += 1;
        result.bytes += body.len();
        result.items += body.matches("<header").count();
        let token = next_token(&body);
        if token.is_empty() {
            break;
        }
        query = format!("/oai?verb={verb}&resumptionToken={}", http::encode(&token));
    }
    result.seconds = start.elapsed().as_secs_f64();
    result
}

fn report(name: &str, harvest: &Harvest) {
    let rate = harvest.items as f64 / harvest.seconds;
    println!(
        "{name:<16} {:>7} items in {:>4} pages, {:>6.1} MB, {:>6.1} s: {:>7.0} items/s (first page {:.2} s)",
        harvest.items,
        harvest.pages,
        harvest.bytes as f64 / 1e6,
        harvest.seconds,
        rate,
        harvest.first_page_seconds
    );
}

fn main() {
    let records = setting("DISAN_BENCH_RECORDS", 100_000);
    let scratch = tempfile::tempdir_in(
        std::env::var_os("DISAN_BENCH_DIR").unwrap_or(std::env::temp_dir().into()),
    )
    .expect("scratch folder");
    println!("Disan OAI-PMH benchmark: {records} synthetic records\n");

    let start = Instant::now();
    let collection = synthetic::Collection::generate(records, SEED);
    let public = collection
        .records
        .iter()
        .filter(|r| r.access == Access::Public)
        .count();
    let archive_root = scratch.path().join("archive");
    let archive = Archive::open_or_create(&archive_root).expect("create the archive");
    {
        let lock = archive.lock().expect("lock the archive");
        let info = VersionInfo::new(
            "OAI-PMH benchmark",
            User {
                name: "bench".into(),
                address: None,
            },
        );
        for record in &collection.records {
            archive
                .store_record(&lock, record, Vec::new(), &info)
                .expect("store a record");
        }
    }
    println!(
        "archive: {records} objects ({public} public) written in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    let start = Instant::now();
    let index_root = scratch.path().join("index");
    let reindexed = disan::index::reindex(&archive, &IndexDir::new(&index_root)).expect("reindex");
    println!(
        "index:   {} records in {:.1} s\n",
        reindexed.records,
        start.elapsed().as_secs_f64()
    );

    let site = disan::web::Site::open(&archive_root, &index_root, None)
        .expect("open the site")
        .with_origin("http://127.0.0.1:8080")
        .with_admin_email("bench@disan.example")
        .expect("an address");
    let addr = http::serve(site);
    let mut client = http::Client::connect(addr).expect("connect");

    let rss_before = memory("VmRSS");
    // Reset the peak, so that VmHWM is the harvests' own.
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let identifiers = harvest(&mut client, "ListIdentifiers");
    let records_harvest = harvest(&mut client, "ListRecords");
    let peak = memory("VmHWM");
    println!("== Harvests through HTTP (one keep-alive client)");
    report("ListIdentifiers", &identifiers);
    report("ListRecords", &records_harvest);
    let rate = records_harvest.items as f64 / records_harvest.seconds;
    println!(
        "\nListRecords: {rate:.0} records/s (goal ≥ {RATE_GOAL:.0}: {})",
        if rate >= RATE_GOAL { "met" } else { "NOT met" }
    );
    println!(
        "memory: {rss_before:.0} MB resident before the harvests, peak {peak:.0} MB during them{}",
        if reset {
            ""
        } else {
            " (peak since start: /proc/self/clear_refs could not be written)"
        }
    );
    assert_eq!(
        identifiers.items, records_harvest.items,
        "both lists the same"
    );
    assert!(
        records_harvest.items >= public,
        "every public record harvested"
    );
}
