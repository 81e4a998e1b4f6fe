//! The site under abuse (issue 11): normal searches timed by `wrk` while an attacker holds 300
//! slow sockets (slowloris: half a request, then a header line every second, reconnecting as
//! soon as the server closes one) and sends 20 queries a second of one 250-letter word (typo
//! automata). Goal: p99 of the normal searches under 20 ms at 100,000 records.
//!
//! `wrk` (Debian package `wrk`) runs the normal searches over `WRK_CONNECTIONS` keep-alive
//! connections (default 1: a visitor searching back to back, each request the next of the
//! term queries through a Lua script; more connections on a 2-core machine that also runs wrk
//! and the attacker saturate the cores, and wrk then times its own queue) for `WRK_DURATION`
//! (default 20s). It runs twice: alone, then under attack. Skipped, saying so, when `wrk` is
//! missing or `DISAN_BENCH_SIEGE=no`.

use std::io::Write;
use std::net::{SocketAddr, TcpStream};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Slow sockets the attacker keeps open.
const SLOW_SOCKETS: usize = 300;
/// Abusive queries per second.
const ABUSIVE_PER_SECOND: u64 = 20;
/// Length of the abusive word, in letters.
const ABUSIVE_LETTERS: usize = 250;

/// What `wrk` measured.
pub struct Wrk {
    pub requests_per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub non_2xx: u64,
}

/// Runs the siege against the site at `addr` with the normal `targets`; `None` when skipped.
pub fn run(addr: SocketAddr, targets: &[String], scratch: &std::path::Path) -> Option<(Wrk, Wrk)> {
    if std::env::var("DISAN_BENCH_SIEGE").is_ok_and(|v| v == "0" || v == "no") {
        println!("siege: skipped: DISAN_BENCH_SIEGE says so");
        return None;
    }
    if Command::new("wrk").arg("--version").output().is_err() {
        println!("siege: skipped: wrk is not installed (Debian package wrk)");
        return None;
    }
    let script = scratch.join("targets.lua");
    let mut lua = String::from("local targets = {\n");
    for target in targets {
        lua.push_str(&format!("  {:?},\n", target));
    }
    lua.push_str("}\nlocal n = 0\nrequest = function()\n  n = n % #targets + 1\n  return wrk.format(\"GET\", targets[n])\nend\n");
    std::fs::write(&script, lua).expect("write the wrk script");
    let calm = wrk(addr, &script);
    let attacking = Arc::new(AtomicBool::new(true));
    let held = Arc::new(AtomicUsize::new(0));
    let abusive_sent = Arc::new(AtomicUsize::new(0));
    let slowloris = {
        let (attacking, held) = (attacking.clone(), held.clone());
        std::thread::spawn(move || slowloris(addr, &attacking, &held))
    };
    let abuser = {
        let (attacking, sent) = (attacking.clone(), abusive_sent.clone());
        std::thread::spawn(move || abuse(addr, &attacking, &sent))
    };
    // Let the attacker fill its sockets first.
    let filling = Instant::now();
    while held.load(Ordering::Relaxed) < SLOW_SOCKETS && filling.elapsed() < Duration::from_secs(10)
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    let started = Instant::now();
    let under_attack = wrk(addr, &script);
    let seconds = started.elapsed().as_secs_f64();
    let sent_during = abusive_sent.load(Ordering::Relaxed);
    let held_at_end = held.load(Ordering::Relaxed);
    attacking.store(false, Ordering::Relaxed);
    slowloris.join().expect("slowloris thread");
    abuser.join().expect("abuser thread");
    println!(
        "siege: {held_at_end} slow sockets open at the end, {:.1} abusive queries/s ({ABUSIVE_LETTERS}-letter word) during wrk",
        sent_during as f64 / seconds
    );
    Some((calm, under_attack))
}

/// Runs wrk with the Lua script and reads its summary.
fn wrk(addr: SocketAddr, script: &std::path::Path) -> Wrk {
    let connections: usize = std::env::var("WRK_CONNECTIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let threads = connections.clamp(1, 2).to_string();
    let connections = connections.to_string();
    let duration = std::env::var("WRK_DURATION").unwrap_or_else(|_| "20s".to_string());
    let output = Command::new("wrk")
        .args([
            "-t",
            &threads,
            "-c",
            &connections,
            "-d",
            &duration,
            "--latency",
            "-s",
        ])
        .arg(script)
        .arg(format!("http://{addr}/"))
        .output()
        .expect("run wrk");
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    // The machine is shared: say how busy it was (other processes' load is in these numbers).
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        let minute = load.split_whitespace().next().unwrap_or("?");
        println!("siege: wrk over {connections} connection(s) done; load average (1 min) {minute}");
    }
    let millis = |line: &str| -> f64 {
        let value = line.split_whitespace().nth(1).unwrap_or_default();
        let (number, factor) = if let Some(n) = value.strip_suffix("us") {
            (n, 1e-3)
        } else if let Some(n) = value.strip_suffix("ms") {
            (n, 1.0)
        } else if let Some(n) = value.strip_suffix('s') {
            (n, 1e3)
        } else {
            (value, f64::NAN)
        };
        number.parse::<f64>().unwrap_or(f64::NAN) * factor
    };
    let find = |prefix: &str| {
        text.lines()
            .map(str::trim)
            .find(|line| line.starts_with(prefix))
            .unwrap_or_default()
            .to_string()
    };
    let non_2xx = find("Non-2xx or 3xx responses:")
        .rsplit(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let result = Wrk {
        requests_per_second: find("Requests/sec:")
            .rsplit(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(f64::NAN),
        p50_ms: millis(&find("50%")),
        p99_ms: millis(&find("99%")),
        non_2xx,
    };
    assert!(
        result.requests_per_second.is_finite() && result.non_2xx == 0,
        "wrk failed or saw errors: {text}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    result
}

/// Keeps [`SLOW_SOCKETS`] connections sending a request head one header line a second,
/// replacing each one the server closes; `held` is how many are open.
fn slowloris(addr: SocketAddr, attacking: &AtomicBool, held: &AtomicUsize) {
    let open = || -> Option<TcpStream> {
        let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2)).ok()?;
        stream
            .write_all(b"GET /api/search?q=lua HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            .ok()?;
        Some(stream)
    };
    let mut sockets: Vec<Option<TcpStream>> = (0..SLOW_SOCKETS).map(|_| open()).collect();
    let mut line = 0u64;
    while attacking.load(Ordering::Relaxed) {
        line += 1;
        for socket in &mut sockets {
            let alive = socket
                .as_mut()
                .is_some_and(|s| s.write_all(format!("X-{line}: y\r\n").as_bytes()).is_ok());
            if !alive {
                *socket = open();
            }
        }
        held.store(
            sockets.iter().filter(|s| s.is_some()).count(),
            Ordering::Relaxed,
        );
        for _ in 0..10 {
            if !attacking.load(Ordering::Relaxed) {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// Sends [`ABUSIVE_PER_SECOND`] searches a second for one random-looking word of
/// [`ABUSIVE_LETTERS`] accented letters (new each time, so nothing can be cached), over
/// keep-alive connections.
fn abuse(addr: SocketAddr, attacking: &AtomicBool, sent: &AtomicUsize) {
    let letters: Vec<char> = "ăâêôơưđáàảãạấầẩẫậéèẻẽẹếềểễệ".chars().collect();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut client = None;
    let interval = Duration::from_millis(1000 / ABUSIVE_PER_SECOND);
    let mut next = Instant::now();
    while attacking.load(Ordering::Relaxed) {
        let word: String = (0..ABUSIVE_LETTERS)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                letters[(state % letters.len() as u64) as usize]
            })
            .collect();
        let target = format!("/api/search?q={}", super::http::encode(&word));
        if client.is_none() {
            client = super::http::Client::connect(addr).ok();
        }
        if let Some(connected) = client.as_mut() {
            match connected.get(&target) {
                Ok((200, _)) => {
                    sent.fetch_add(1, Ordering::Relaxed);
                }
                _ => client = None,
            }
        }
        next += interval;
        if let Some(wait) = next.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
    }
}
