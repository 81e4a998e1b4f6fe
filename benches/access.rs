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
//!
//! Then request rates (issue 13): `wrk` against the site (its own server, as `disan serve` runs
//! it) and against nginx serving each page as a static file saved from the site: the public
//! record's page for an anonymous visitor (goal ≥ 0.7 × nginx) and the researchers' record's page
//! for a signed-in researcher, whose requests carry a personal API token (goal ≥ 0.5 × nginx).
//! Skipped, saying so, when `wrk` or nginx is missing.
//!
//! Knobs (environment): `ACCESS_ROUNDS` (4000) rounds of the timing part, `ACCESS_RATE_SECONDS`
//! (10) per rate measured after a 2 s warm-up, `ACCESS_CONNECTIONS` (32) and `ACCESS_THREADS`
//! (2) for wrk. A short run: `ACCESS_ROUNDS=200 ACCESS_RATE_SECONDS=3 cargo bench --bench access`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use disan::archive::{Archive, User};
use disan::index::IndexDir;
use disan::ingest::{Options, Progress};
use disan::web::{Site, app};

/// Rounds of the timing part, unless `ACCESS_ROUNDS` says otherwise.
const ROUNDS: usize = 4000;

/// A whole number from the environment variable `name`, else `default`.
fn knob(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

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
    get_body(stream, addr, path, "").0
}

/// One GET with extra header lines (each ending in `\r\n`) on a kept-alive connection; returns
/// the status code and the body.
fn get_body(
    stream: &mut BufReader<TcpStream>,
    addr: SocketAddr,
    path: &str,
    headers: &str,
) -> (u16, Vec<u8>) {
    write!(
        stream.get_mut(),
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{headers}\r\n"
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
    (status, body)
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
        counter: None,
    };
    let report = disan::ingest::ingest(&batch, Some(&archive), &index, &options).unwrap();
    assert!(!report.has_errors(), "{}", report.summary());
    // A researcher with a personal API token, for the signed-in rates.
    let accounts = disan::accounts::Accounts::open(&work.path().join("accounts.sqlite")).unwrap();
    let researcher = accounts
        .add_user(
            "nha-nghien-cuu",
            disan::model::Role::Researcher,
            "trống đồng Đọi Tam",
            &[],
            "bench",
        )
        .unwrap();
    let token = accounts.create_api_token(researcher.id, "bench").unwrap();
    let sessions = disan::accounts::sessions::SessionConfig::new(
        Duration::from_secs(1800),
        Duration::from_secs(43200),
        true,
    )
    .unwrap();
    let site = Arc::new(
        Site::open(
            &work.path().join("archive"),
            &work.path().join("index"),
            None,
        )
        .unwrap()
        .with_accounts(disan::web::auth::Auth {
            accounts,
            sessions,
            trust_forwarded_for: false,
        }),
    );
    let rounds = knob("ACCESS_ROUNDS", ROUNDS);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let served = site.clone();
    runtime.spawn(async move { axum::serve(listener, app(served)).await });

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
    println!("{rounds} requests per class and route, interleaved; times in µs\n");
    println!("| route | id | median | p99 | median ÷ unknown's |\n| --- | --- | --- | --- | --- |");
    for (route, path_of) in routes {
        let mut times: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds); classes.len()];
        // Warm-up: render and cache what can be cached.
        for (_, id, _) in classes {
            for _ in 0..50 {
                get(&mut stream, addr, &path_of(id));
            }
        }
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..rounds {
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
    rates(&runtime, site, work.path(), &token);
}

/// A program on the `PATH` (or `/usr/sbin/nginx`), if there is one.
fn program(name: &str) -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|path| path.is_file())
    });
    on_path.or_else(|| {
        let sbin = Path::new("/usr/sbin").join(name);
        sbin.is_file().then_some(sbin)
    })
}

/// nginx serving the files of `root` on a loopback port, stopped when dropped.
struct Nginx {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGTERM: the master stops its workers too (a SIGKILL would leave them running).
        let stopped = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status()
            .is_ok_and(|status| status.success());
        if !stopped {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

fn start_nginx(nginx: &Path, root: &Path, work: &Path) -> Nginx {
    let dir = work.join("nginx");
    std::fs::create_dir_all(&dir).unwrap();
    // A free port: bound, read and released for nginx.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let temp: String = ["client_body", "proxy", "fastcgi", "scgi", "uwsgi"]
        .iter()
        .map(|m| format!("{m}_temp_path {}/{m};\n", dir.display()))
        .collect();
    let config = format!(
        "worker_processes auto;\ndaemon off;\npid {dir}/nginx.pid;\nerror_log {dir}/error.log warn;\n\
         events {{ worker_connections 1024; }}\nhttp {{\n access_log off;\n sendfile on;\n tcp_nopush on;\n\
         keepalive_requests 1000000;\n {temp} types {{ }}\n default_type \"text/html; charset=utf-8\";\n\
         server {{ listen 127.0.0.1:{port}; root {root}; }}\n}}\n",
        dir = dir.display(),
        root = root.display(),
    );
    std::fs::write(dir.join("nginx.conf"), config).unwrap();
    let child = Command::new(nginx)
        .arg("-p")
        .arg(&dir)
        .arg("-e")
        .arg(dir.join("error.log"))
        .arg("-c")
        .arg(dir.join("nginx.conf"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    for _ in 0..100 {
        if TcpStream::connect(addr).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Nginx { child, addr }
}

/// Requests per second `wrk` gets from `url` (after a 2 s warm-up), sending `header` if any.
fn wrk(wrk: &Path, url: &str, header: Option<&str>) -> f64 {
    let seconds = knob("ACCESS_RATE_SECONDS", 10);
    let run = |duration: usize| {
        let mut command = Command::new(wrk);
        if let Some(header) = header {
            command.arg("-H").arg(header);
        }
        let output = command
            .arg(format!("-t{}", knob("ACCESS_THREADS", 2)))
            .arg(format!("-c{}", knob("ACCESS_CONNECTIONS", 32)))
            .arg(format!("-d{duration}s"))
            .arg(url)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout).to_string();
        assert!(
            !text.contains("Non-2xx") && !text.contains("Socket errors"),
            "wrk {url}: {text}"
        );
        text.lines()
            .find_map(|line| line.strip_prefix("Requests/sec:"))
            .and_then(|rate| rate.trim().parse::<f64>().ok())
            .unwrap_or_else(|| panic!("wrk {url} gave no rate: {text}"))
    };
    run(2);
    run(seconds)
}

/// The record-page request rates of the site against nginx serving the same page as a file, for
/// an anonymous visitor and for a researcher signed in by `token`.
fn rates(runtime: &tokio::runtime::Runtime, site: Arc<Site>, work: &Path, token: &str) {
    let (Some(wrk_path), Some(nginx)) = (program("wrk"), program("nginx")) else {
        println!("\nRequest rates skipped: wrk and nginx are needed (Debian: wrk, nginx-light).");
        return;
    };
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    runtime.spawn(disan::web::serve(site, listener));
    let signed = format!("Authorization: Bearer {token}");
    let root = work.join("www");
    std::fs::create_dir_all(&root).unwrap();
    // nginx's workers may run as another user (nobody, when started by root): let them read.
    #[cfg(unix)]
    for (path, mode) in [(work, 0o755), (root.as_path(), 0o755)] {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    let pages = [
        ("anonymous visitor", "cong-khai", None, 0.7),
        (
            "signed-in researcher (API token), the public record",
            "cong-khai",
            Some(signed.as_str()),
            0.5,
        ),
        (
            "signed-in researcher (API token), the researchers' record (its views logged)",
            "nghien-cuu",
            Some(signed.as_str()),
            0.5,
        ),
    ];
    // The pages as each viewer gets them, saved for nginx.
    for (_, id, header, _) in pages {
        let mut stream = BufReader::new(TcpStream::connect(addr).unwrap());
        let extra = header.map(|h| format!("{h}\r\n")).unwrap_or_default();
        let (status, body) = get_body(&mut stream, addr, &format!("/records/{id}"), &extra);
        assert_eq!(status, 200, "/records/{id}");
        let file = match header {
            None => format!("{id}.html"),
            Some(_) => format!("{id}-signed.html"),
        };
        std::fs::write(root.join(file), body).unwrap();
    }
    let nginx = start_nginx(&nginx, &root, work);
    println!(
        "\nRecord-page request rates, wrk -t{} -c{} -d{}s (after a 2 s warm-up), on the same cores as the servers:\n",
        knob("ACCESS_THREADS", 2),
        knob("ACCESS_CONNECTIONS", 32),
        knob("ACCESS_RATE_SECONDS", 10),
    );
    println!("| viewer | Disan requests/s | nginx (same page, static) | ratio | goal |");
    println!("| --- | --- | --- | --- | --- |");
    for (viewer, id, header, goal) in pages {
        let file = match header {
            None => format!("{id}.html"),
            Some(_) => format!("{id}-signed.html"),
        };
        let static_rate = wrk(&wrk_path, &format!("http://{}/{file}", nginx.addr), None);
        let rate = wrk(&wrk_path, &format!("http://{addr}/records/{id}"), header);
        let ratio = rate / static_rate;
        println!(
            "| {viewer} | {rate:.0} | {static_rate:.0} | {ratio:.3} | ≥ {goal} ({}) |",
            if ratio >= goal { "met" } else { "MISSED" }
        );
    }
}
