//! Sockets that hold the server: request heads trickled line by line, idle keep-alive
//! connections, clients that pipeline and never read, connections past the limit, request
//! bodies; and the addresses `serve --addr` accepts.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use disan::web::server::Limits;
use disan::web::{Site, app};

use super::{fetch, ingested, original_url, run, start};
use crate::support::Workspace;

/// A site on a real socket within `limits`.
fn limited_server(limits: Limits) -> (Workspace, SocketAddr, tokio::runtime::Runtime) {
    let workspace = ingested();
    let site = Arc::new(Site::open(&workspace.archive(), &workspace.index(), None).unwrap());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    runtime.spawn(disan::web::server::serve(
        app(site),
        listener,
        limits,
        std::future::pending(),
    ));
    (workspace, addr, runtime)
}

/// Whether the server has closed `stream` (a read sees the end, or a reset).
fn closed(stream: &mut TcpStream) -> bool {
    stream
        .set_read_timeout(Some(Duration::from_millis(20)))
        .unwrap();
    read_until_ended(stream, &mut Vec::new())
}

/// Reads `stream` into `received` until the server ends it (end of stream or a reset: `true`)
/// or nothing comes within the stream's read timeout (`false`).
fn read_until_ended(stream: &mut TcpStream, received: &mut Vec<u8>) -> bool {
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => return true,
            Ok(n) => received.extend_from_slice(&buffer[..n]),
            Err(error)
                if matches!(
                    error.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return false;
            }
            Err(_) => return true,
        }
    }
}

/// adv-slowloris-no-idle-timeout: a request head trickled line by line, and an idle keep-alive
/// connection, are closed once the header timeout has passed; connections past the limit wait
/// and are then served.
#[test]
fn adv_slow_and_idle_sockets_are_closed_after_the_timeout() {
    let timeout = Duration::from_millis(800);
    let (_workspace, addr, _runtime) = limited_server(Limits {
        header_timeout: timeout,
        busy_header_timeout: timeout,
        max_connections: 3,
        write_timeout: Duration::from_secs(20),
        busy_write_timeout: Duration::from_secs(20),
        requests_per_connection: 100,
    });
    // Slowloris: a partial request, then a header line every 100 ms.
    let started = Instant::now();
    let mut slow: Vec<TcpStream> = (0..3)
        .map(|_| {
            let mut stream = TcpStream::connect(addr).unwrap();
            stream
                .write_all(b"GET /records/anh-mat-trong HTTP/1.1\r\nHost: x\r\n")
                .unwrap();
            stream
        })
        .collect();
    // A fourth connection, past the limit: accepted by the kernel, served once one ends.
    let waiting = std::thread::spawn(move || {
        let asked = Instant::now();
        (fetch(addr, "/api/search?q=trong").0, asked.elapsed())
    });
    let mut open = slow.len();
    let mut line = 0;
    while open > 0 {
        assert!(
            started.elapsed() < timeout * 4,
            "{open} slow sockets still open after {:?}",
            started.elapsed()
        );
        std::thread::sleep(Duration::from_millis(100));
        line += 1;
        open = 0;
        for stream in &mut slow {
            let _ = stream.write_all(format!("X-{line}: y\r\n").as_bytes());
            if !closed(stream) {
                open += 1;
            }
        }
    }
    let lasted = started.elapsed();
    assert!(lasted >= timeout, "closed too early: {lasted:?}");
    let (status, waited) = waiting.join().unwrap();
    assert_eq!(status, 200);
    assert!(
        waited >= timeout / 2,
        "the fourth connection was served while three held the limit ({waited:?})"
    );

    // Idle keep-alive: one whole request answered, then nothing.
    let mut idle = TcpStream::connect(addr).unwrap();
    idle.write_all(b"GET /robots.txt HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    idle.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut buffer = [0u8; 4096];
    let read = idle.read(&mut buffer).unwrap();
    assert!(buffer[..read].starts_with(b"HTTP/1.1 200"));
    let answered = Instant::now();
    while !closed(&mut idle) {
        assert!(
            answered.elapsed() < timeout * 4,
            "an idle connection is still open after {:?}",
            answered.elapsed()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(answered.elapsed() >= timeout / 2);
}

/// Every route is a GET: a request announcing a body is refused before any handler reads it.
#[tokio::test]
async fn requests_with_bodies_are_refused() {
    let (_workspace, site) = crate::web::site();
    let request = axum::http::Request::post("/api/search?q=trong")
        .header("content-length", "5")
        .body(axum::body::Body::from("abcde"))
        .unwrap();
    let answer = crate::web::get_with(&site, request).await;
    assert_eq!(answer.status, 413);
    // On the API, JSON with its code (Vietnamese: no language asked for).
    assert_eq!(
        answer.json(),
        serde_json::json!({"error": {"code": "body_refused",
                                     "message": "Trang này không nhận dữ liệu gửi lên."}})
    );
    // A page answers in both languages, as the site's own error page.
    let request = axum::http::Request::post("/search?q=trong")
        .header("content-length", "5")
        .body(axum::body::Body::from("abcde"))
        .unwrap();
    let answer = crate::web::get_with(&site, request).await;
    assert_eq!(answer.status, 413);
    let page = answer.text();
    assert!(
        page.contains(
            "<p>Trang này không nhận dữ liệu gửi lên. (This site takes no request bodies.)</p>"
        ) && page.contains("<title>413 · Di sản làng nghề</title>"),
        "{page}"
    );
    let request = axum::http::Request::get("/api/search?q=trong")
        .header("content-length", "0")
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(crate::web::get_with(&site, request).await.status, 200);
}

/// break-site finding 2: a client that pipelines many requests and never reads what is sent is
/// closed once a response has waited `write_timeout` for room; and a connection serves at most
/// `requests_per_connection` requests, the last answered with `Connection: close`.
#[test]
fn a_client_that_never_reads_is_closed_after_the_write_timeout() {
    let write_timeout = Duration::from_secs(1);
    let (_workspace, addr, _runtime) = limited_server(Limits {
        header_timeout: Duration::from_secs(30),
        busy_header_timeout: Duration::from_secs(30),
        max_connections: 8,
        write_timeout,
        busy_write_timeout: write_timeout,
        requests_per_connection: 100_000,
    });
    let asked = 3000;
    let mut stream = TcpStream::connect(addr).unwrap();
    // A file served from memory (12 KB each, 36 MB in all): the replies fill the socket within
    // moments however loaded the machine is, which a search page under load did not always.
    let request = "GET /static/site.css HTTP/1.1\r\nHost: x\r\n\r\n".repeat(asked);
    stream
        .set_write_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    // The server stops reading requests once its replies fill the socket: what is not taken
    // in 5 s stays unsent, which is the attack too.
    let _ = stream.write_all(request.as_bytes());
    std::thread::sleep(write_timeout * 3);
    // Now read: a connection the server gave up ends (end of stream or reset) well before
    // every request is answered; one it kept would answer all of them.
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut received = Vec::new();
    let ended = read_until_ended(&mut stream, &mut received);
    let answered = received
        .windows(12)
        .filter(|w| w == b"HTTP/1.1 200")
        .count();
    assert!(ended, "the connection is still open ({answered} answers)");
    assert!(
        answered < asked,
        "every request was answered: the connection was never given up"
    );

    // At most `requests_per_connection` requests on one connection.
    let (_workspace, addr, _runtime) = limited_server(Limits {
        header_timeout: Duration::from_secs(30),
        busy_header_timeout: Duration::from_secs(30),
        max_connections: 8,
        write_timeout,
        busy_write_timeout: write_timeout,
        requests_per_connection: 3,
    });
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .write_all(
            "GET /robots.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                .repeat(5)
                .as_bytes(),
        )
        .unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut received = String::new();
    stream.read_to_string(&mut received).unwrap();
    assert_eq!(received.matches("HTTP/1.1 200").count(), 3, "{received}");
    assert_eq!(
        received.matches("connection: close").count(),
        1,
        "{received}"
    );
}

/// `--addr localhost:3000` is 127.0.0.1:3000; other host names are refused with examples.
#[test]
fn addr_accepts_localhost_and_explains_what_else_it_takes() {
    let workspace = Workspace::new();
    let (code, _, stderr) = run(workspace
        .disan()
        .args(["serve", "--addr", "example.org:3000"]));
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: invalid value 'example.org:3000' for '--addr <ADDR>': 'example.org:3000' is not an address to listen on; give an IP address and a port, such as 127.0.0.1:8080 (this machine only), localhost:8080 (the same), 0.0.0.0:8080 (every network interface) or [::1]:8080\n"),
        "{stderr}"
    );
    let workspace = ingested();
    let mut child = workspace
        .disan()
        .args(["serve", "--addr", "localhost:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = [0u8; 40];
    child.stdout.take().unwrap().read_exact(&mut line).unwrap();
    assert!(line.starts_with(b"Disan is serving at http://127.0.0.1:"));
    child.kill().unwrap();
    child.wait().unwrap();
}

/// Break-site finding 3: a media download holds two descriptors (its socket and the file it
/// sends), so downloads that are never read, as many as the server lets in and more, must not
/// exhaust `ulimit -n`: no accept and no media request fails for want of a descriptor, and the
/// site answers as soon as the downloads end.
#[test]
fn downloads_never_read_do_not_exhaust_the_descriptor_limit() {
    const LIMIT: u64 = 160;
    let workspace = Workspace::new();
    let batch = workspace.batch("valid");
    // 24 MB of silence (16-bit mono PCM at 8 kHz): more than a loopback socket's buffers hold.
    let data = 24 << 20;
    let mut wav = Vec::with_capacity(44 + data);
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + data as u32).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    for field in [16u32, 1 | (1 << 16), 8000, 16000, 2 | (16 << 16)] {
        wav.extend_from_slice(&field.to_le_bytes());
    }
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&(data as u32).to_le_bytes());
    wav.resize(44 + data, 0);
    std::fs::create_dir_all(batch.join("objects/im-lang")).unwrap();
    std::fs::write(batch.join("objects/im-lang/im-lang.wav"), wav).unwrap();
    let sheet = batch.join("metadata/metadata.csv");
    let mut rows = std::fs::read_to_string(&sheet).unwrap();
    rows.push_str(
        "objects/im-lang/im-lang.wav,im-lang,Im lặng,Silence,Tín hiệu do máy tạo,,,,,,,public\n",
    );
    std::fs::write(&sheet, rows).unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", crate::support::problems(&report));

    let mut command = Command::new("sh");
    command
        .args(["-c", &format!("ulimit -n {LIMIT} && exec \"$0\" \"$@\"")])
        .arg(env!("CARGO_BIN_EXE_disan"))
        .arg("--archive")
        .arg(workspace.archive())
        .arg("--index")
        .arg(workspace.index())
        .arg("--accounts")
        .arg(workspace.accounts());
    let (child, addr) = start(command);
    let big = original_url(addr, "im-lang");
    let cap = disan::web::server::connections_for(LIMIT);
    // Twice as many downloads as the server lets in; none is ever read.
    let downloads: Vec<TcpStream> = (0..2 * cap)
        .map(|_| {
            let mut stream = TcpStream::connect(addr).unwrap();
            write!(stream, "GET {big} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
            stream
        })
        .collect();
    std::thread::sleep(Duration::from_secs(2));
    // Every download let in has begun with a 200, none with a 500.
    let mut begun = 0;
    for mut stream in downloads.iter().take(cap) {
        stream
            .set_read_timeout(Some(Duration::from_millis(500)))
            .unwrap();
        let mut head = [0u8; 12];
        if stream.read_exact(&mut head).is_ok() {
            assert_eq!(String::from_utf8_lossy(&head), "HTTP/1.1 200");
            begun += 1;
        }
    }
    assert!(begun > cap / 2, "only {begun} of {cap} downloads began");
    drop(downloads);
    let started = Instant::now();
    for path in ["/", "/api/records/im-lang", &big] {
        let (status, _) = fetch(addr, path);
        assert_eq!(status, 200, "{path}");
    }
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    let log = super::stopped(child);
    assert!(!log.contains("Too many open files"), "{log}");
}

/// Break-11b finding 1: as many clients as the server holds, each asking for more than a socket
/// buffers and never reading, renewed as soon as they are closed. Once the server is more than
/// half full, a stalled response ends its connection after the busy write timeout, so another
/// visitor waits about that long, not the whole write timeout.
#[test]
fn downloads_never_read_are_given_up_sooner_when_the_site_is_full() {
    let busy_write_timeout = Duration::from_millis(500);
    let (_workspace, addr, _runtime) = limited_server(Limits {
        header_timeout: Duration::from_secs(30),
        busy_header_timeout: Duration::from_secs(30),
        max_connections: 4,
        write_timeout: Duration::from_secs(60),
        busy_write_timeout,
        requests_per_connection: 100_000,
    });
    let stalled = || {
        let mut stream = TcpStream::connect(addr).unwrap();
        let request = "GET /static/site.css HTTP/1.1\r\nHost: x\r\n\r\n".repeat(3000);
        stream
            .set_write_timeout(Some(Duration::from_secs(2)))
            .unwrap();
        let _ = stream.write_all(request.as_bytes());
        stream
    };
    let held: Vec<TcpStream> = (0..4).map(|_| stalled()).collect();
    let started = Instant::now();
    let (status, _) = fetch(addr, "/robots.txt");
    let waited = started.elapsed();
    assert_eq!(status, 200);
    assert!(
        waited < Duration::from_secs(10),
        "a visitor waited {waited:?} behind four stalled downloads"
    );
    drop(held);
}
