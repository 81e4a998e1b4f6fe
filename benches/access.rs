//! `cargo bench --bench access`: does a hidden id answer as fast as an unknown one?
//!
//! Ids are guessable, so a hidden record must not be told apart from a record that does not
//! exist by the time it takes to say "not found". This ingests a small collection (a public
//! record, a small restricted one, a restricted one with a 2 MB description, a researchers-only
//! one), serves it on a real socket and times, through HTTP/1.1 keep-alive, requests for the
//! record page, the API record and an original file of each, plus an id that never existed.
//! Requests of every class are interleaved round by round, in a random order each round, so
//! drift and the after-effects of one request hit all classes alike.
//! Prints median and p99 per class and the ratio of each hidden class's median to the unknown
//! id's (goal: within 10%).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use disan::archive::{Archive, User};
use disan::index::IndexDir;
use disan::ingest::{Options, Progress};
use disan::web::{Site, app};

const ROUNDS: usize = 4000;

/// The path of a route for an id.
type PathOf = fn(&str) -> String;

fn write_batch(dir: &Path) {
    std::fs::create_dir_all(dir.join("objects")).unwrap();
    std::fs::create_dir_all(dir.join("metadata")).unwrap();
    let large: String = (0..200_000)
        .map(|n| ["lụa ", "trống ", "mây ", "đan "][n % 4])
        .collect();
    let mut csv = String::from("filename,dc.identifier,dc.title,dc.description,access\n");
    for (id, description, access) in [
        ("cong-khai", "Mô tả ngắn", "public"),
        ("han-che-nho", "Mô tả ngắn", "restricted"),
        ("han-che-lon", large.as_str(), "restricted"),
        ("nghien-cuu", "Mô tả ngắn", "researchers"),
    ] {
        std::fs::write(dir.join(format!("objects/{id}.txt")), format!("{id}\n")).unwrap();
        csv.push_str(&format!(
            "objects/{id}.txt,{id},Tiêu đề {id},{description},{access}\n"
        ));
    }
    std::fs::write(dir.join("metadata/metadata.csv"), csv).unwrap();
}

/// One GET on a kept-alive connection; returns the status code.
fn get(stream: &mut BufReader<TcpStream>, addr: SocketAddr, path: &str) -> u16 {
    write!(
        stream.get_mut(),
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )
    .unwrap();
    let mut line = String::new();
    stream.read_line(&mut line).unwrap();
    let status: u16 = line.split(' ').nth(1).unwrap().parse().unwrap();
    let mut length = 0;
    loop {
        line.clear();
        stream.read_line(&mut line).unwrap();
        if line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    stream.read_exact(&mut body).unwrap();
    status
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let work = tempfile::tempdir().unwrap();
    let batch = work.path().join("batch");
    write_batch(&batch);
    let archive = Archive::open_or_create(&work.path().join("archive")).unwrap();
    let index = IndexDir::new(&work.path().join("index"));
    let options = Options {
        dry_run: false,
        user: User {
            name: "bench".into(),
            address: None,
        },
        progress: Progress::Quiet,
        replace_descriptions: false,
        communities: disan::ingest::communities::Communities::default(),
    };
    let report = disan::ingest::ingest(&batch, Some(&archive), &index, &options).unwrap();
    assert!(!report.has_errors(), "{}", report.summary());
    let site = Arc::new(
        Site::open(
            &work.path().join("archive"),
            &work.path().join("index"),
            None,
        )
        .unwrap(),
    );
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    runtime.spawn(async move { axum::serve(listener, app(site)).await });

    let classes = [
        ("public", "cong-khai", 200),
        ("unknown", "khong-co", 404),
        ("restricted, small", "han-che-nho", 404),
        ("restricted, 2 MB description", "han-che-lon", 404),
        ("researchers", "nghien-cuu", 404),
    ];
    let routes: [(&str, PathOf); 3] = [
        ("record page", |id| format!("/records/{id}")),
        ("API record", |id| format!("/api/records/{id}")),
        ("original file", |id| format!("/media/{id}/files/{id}.txt")),
    ];
    let mut stream = BufReader::new(TcpStream::connect(addr).unwrap());
    stream.get_mut().set_nodelay(true).unwrap();
    println!("{ROUNDS} requests per class and route, interleaved; times in µs\n");
    println!("| route | id | median | p99 | median ÷ unknown's |\n| --- | --- | --- | --- | --- |");
    for (route, path_of) in routes {
        let mut times: Vec<Vec<f64>> = vec![Vec::with_capacity(ROUNDS); classes.len()];
        // Warm-up: render and cache what can be cached.
        for (_, id, _) in classes {
            for _ in 0..50 {
                get(&mut stream, addr, &path_of(id));
            }
        }
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..ROUNDS {
            // Each round in a new random order, so no class always follows the same one (a
            // public file's response still being sent slows the next request).
            let mut order: Vec<usize> = (0..classes.len()).collect();
            for i in (1..order.len()).rev() {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                order.swap(i, (seed % (i as u64 + 1)) as usize);
            }
            for class in order {
                let (_, id, expected) = classes[class];
                let path = path_of(id);
                let started = Instant::now();
                let status = get(&mut stream, addr, &path);
                times[class].push(started.elapsed().as_secs_f64() * 1e6);
                assert_eq!(status, expected, "{path}");
            }
        }
        for list in &mut times {
            list.sort_by(f64::total_cmp);
        }
        let unknown = percentile(&times[1], 0.5);
        for ((name, _, _), list) in classes.iter().zip(&times) {
            let median = percentile(list, 0.5);
            println!(
                "| {route} | {name} | {median:.1} | {:.1} | {:.3} |",
                percentile(list, 0.99),
                median / unknown
            );
        }
    }
}
