//! Uploads in the workspace (issue 15, upload) over real HTTP: the site served by its own accept
//! loop on a socket, an archivist signed in with a TOTP code, and the tus 1.0 protocol spoken
//! byte by byte: creation, a `PATCH` cut off mid-body and resumed from the offset `HEAD` gives,
//! a wrong offset, sizes past the limit (a `413` that names it), termination, and nobody else
//! reaching any of it ([`batches`]: uploads made a batch, checked, fixed, confirmed; [`zips`]: a
//! zipped batch and its limits; [`runs`]: a run outliving its server, and the journey in
//! Chromium; [`staging`]: lifetimes and the cleanup, cancelling, running a failed batch again;
//! [`breaks`]: what issue 15's break round found in staging).

mod batches;
mod breaks;
mod runs;
mod staging;
mod zips;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use disan::model::Role;

use crate::auth::{Fixture, PASSWORD, fixture};
use crate::workspace_edits::archivist;

/// An answer read off the socket: status, headers (names in lower case), body.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map_or("", |(_, value)| value.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends one request on a new connection and reads the whole answer.
fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: &[u8],
) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !body.is_empty() || matches!(method, "POST" | "PATCH") {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    read_reply(&mut stream, method == "HEAD")
}

fn read_reply(stream: &mut TcpStream, head_only: bool) -> Reply {
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let end = raw
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no head in {:?}", String::from_utf8_lossy(&raw)));
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap()[9..12].parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_lowercase(), value.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    if head_only {
        body.clear();
    } else if headers
        .iter()
        .any(|(name, value)| name == "transfer-encoding" && value.contains("chunked"))
    {
        body = unchunk(&body);
    }
    Reply {
        status,
        headers,
        body,
    }
}

fn unchunk(mut chunked: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let line = chunked.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = usize::from_str_radix(
            std::str::from_utf8(&chunked[..line])
                .unwrap()
                .split(';')
                .next()
                .unwrap()
                .trim(),
            16,
        )
        .unwrap();
        if size == 0 {
            return body;
        }
        body.extend_from_slice(&chunked[line + 2..line + 2 + size]);
        chunked = &chunked[line + 4 + size..];
    }
}

/// An archivist signed in on a server at `addr`: its session cookie and the session's
/// anti-forgery token; the requests below speak as them.
struct Client {
    addr: SocketAddr,
    cookie: String,
    csrf: String,
}

/// The site on a real socket (its own accept loop), and an archivist `thu` signed in (the
/// token read off the upload page).
struct Served {
    fixture: Fixture,
    client: Client,
    _runtime: tokio::runtime::Runtime,
}

impl std::ops::Deref for Served {
    type Target = Client;

    fn deref(&self) -> &Client {
        &self.client
    }
}

fn served() -> Served {
    let fixture = fixture();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (cookie, csrf) = runtime.block_on(async {
        let mut thu = archivist(&fixture, "thu", "192.0.2.60").await;
        let csrf = thu.token(&fixture.site, "/en/workspace/uploads").await;
        (thu.cookie.clone().unwrap(), csrf)
    });
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    runtime.spawn(disan::web::server::serve(
        disan::web::app(fixture.site.clone()),
        listener,
        disan::web::server::Limits::for_this_process(),
        std::future::pending(),
    ));
    Served {
        fixture,
        client: Client { addr, cookie, csrf },
        _runtime: runtime,
    }
}

impl Client {
    /// The headers of a protocol request of the signed-in archivist, with `extra`.
    fn headers<'a>(&self, extra: &[(&'a str, String)]) -> Vec<(&'a str, String)> {
        let mut headers = vec![
            ("Cookie", self.cookie.clone()),
            ("Tus-Resumable", "1.0.0".to_string()),
            ("X-CSRF-Token", self.csrf.clone()),
        ];
        headers.extend(extra.iter().cloned());
        headers
    }

    fn create(&self, length: u64, name: &str) -> Reply {
        use base64::Engine as _;
        let metadata = format!(
            "filename {}",
            base64::engine::general_purpose::STANDARD.encode(name)
        );
        send(
            self.addr,
            "POST",
            "/workspace/tus",
            &self.headers(&[
                ("Upload-Length", length.to_string()),
                ("Upload-Metadata", metadata),
            ]),
            b"",
        )
    }

    fn patch(&self, location: &str, offset: u64, bytes: &[u8]) -> Reply {
        send(
            self.addr,
            "PATCH",
            location,
            &self.headers(&[
                ("Upload-Offset", offset.to_string()),
                (
                    "Content-Type",
                    "application/offset+octet-stream".to_string(),
                ),
            ]),
            bytes,
        )
    }

    /// The offset `HEAD` gives, once the upload is no longer receiving (`423` while the writer
    /// of a cut request finishes).
    fn offset(&self, location: &str) -> u64 {
        for _ in 0..100 {
            let reply = send(self.addr, "HEAD", location, &self.headers(&[]), b"");
            if reply.status == 200 {
                assert!(
                    reply.header("cache-control").contains("no-store"),
                    "{}",
                    reply.header("cache-control")
                );
                return reply.header("upload-offset").parse().unwrap();
            }
            assert_eq!(reply.status, 423, "HEAD {location}");
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("{location} kept receiving");
    }
}

/// Bytes that are not all alike, so a misplaced slice shows.
fn content(length: usize) -> Vec<u8> {
    (0..length).map(|i| (i * 7 + i / 251) as u8).collect()
}

#[test]
fn an_upload_cut_off_mid_body_resumes_from_the_offset_the_server_holds() {
    let served = served();
    let addr = served.addr;

    // Discovery: version, extensions and the size limit before anything is sent.
    let options = send(addr, "OPTIONS", "/workspace/tus", &served.headers(&[]), b"");
    assert_eq!(options.status, 204, "{}", options.text());
    assert_eq!(options.header("tus-version"), "1.0.0");
    assert_eq!(options.header("tus-max-size"), (20u64 << 30).to_string());
    assert!(options.header("tus-extension").contains("creation"));
    assert!(options.header("tus-extension").contains("termination"));

    let bytes = content(3 * 1024 * 1024 + 17);
    let created = served.create(bytes.len() as u64, "phim làng gốm.mp4");
    assert_eq!(created.status, 201, "{}", created.text());
    let location = created.header("location").to_string();
    assert!(location.starts_with("/workspace/tus/"), "{location}");
    assert!(!created.header("upload-expires").is_empty());
    assert_eq!(served.offset(&location), 0);

    // A PATCH whose connection drops after 1 MiB of an announced 3 MiB: what arrived is kept.
    let mut stream = TcpStream::connect(addr).unwrap();
    let mut head = format!("PATCH {location} HTTP/1.1\r\nHost: {addr}\r\n");
    for (name, value) in served.headers(&[
        ("Upload-Offset", "0".to_string()),
        (
            "Content-Type",
            "application/offset+octet-stream".to_string(),
        ),
        ("Content-Length", bytes.len().to_string()),
    ]) {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(&bytes[..1 << 20]).unwrap();
    stream.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    drop(stream);
    let cut = served.offset(&location);
    assert!(cut > 0 && cut <= 1 << 20, "offset after the cut: {cut}");

    // A PATCH at the wrong offset: 409, nothing appended, the right offset told.
    let wrong = served.patch(&location, 0, &bytes[..10]);
    assert_eq!(wrong.status, 409, "{}", wrong.text());
    assert_eq!(wrong.header("upload-offset"), cut.to_string());
    assert!(wrong.text().contains(&cut.to_string()), "{}", wrong.text());
    assert_eq!(served.offset(&location), cut);

    // Resumed in two more requests from where the server stopped.
    let middle = cut as usize + 1_000_000;
    let resumed = served.patch(&location, cut, &bytes[cut as usize..middle]);
    assert_eq!(resumed.status, 204, "{}", resumed.text());
    assert_eq!(resumed.header("upload-offset"), middle.to_string());
    let last = served.patch(&location, middle as u64, &bytes[middle..]);
    assert_eq!(last.status, 204, "{}", last.text());
    assert_eq!(last.header("upload-offset"), bytes.len().to_string());
    assert_eq!(served.offset(&location), bytes.len() as u64);

    // The file on disk is the file sent, byte for byte, under the archive's staging area.
    let id = location.rsplit('/').next().unwrap();
    let stored = served
        .fixture
        .workspace
        .archive()
        .join("extensions/disan-uploads")
        .join(format!("{id}.part"));
    assert!(
        std::fs::read(&stored).unwrap() == bytes,
        "the stored bytes differ"
    );

    // The upload page lists it, complete, by its name.
    let page = send(
        addr,
        "GET",
        "/en/workspace/uploads",
        &[("Cookie", served.cookie.clone())],
        b"",
    );
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(
        html.contains("phim làng gốm.mp4") && html.contains("(complete)"),
        "{html}"
    );
    assert!(html.contains("at most 20 GiB"), "the limit in words");

    // Terminated: gone.
    let deleted = send(addr, "DELETE", &location, &served.headers(&[]), b"");
    assert_eq!(deleted.status, 204, "{}", deleted.text());
    let gone = send(addr, "HEAD", &location, &served.headers(&[]), b"");
    assert_eq!(gone.status, 404);
    assert!(!stored.exists());
}

#[test]
fn sizes_past_the_limit_are_refused_with_the_limit_never_as_a_forgery() {
    let served = served();
    // Announced past 20 GiB: refused at creation, the limit in words, in both languages.
    let refused = served.create(21 << 30, "phim.mp4");
    assert_eq!(refused.status, 413);
    let text = refused.text();
    assert!(text.contains("20 GiB") && text.contains("21 GiB"), "{text}");
    assert!(
        text.contains("Tệp quá lớn") && text.contains("too large"),
        "{text}"
    );
    assert_eq!(refused.header("tus-max-size"), (20u64 << 30).to_string());

    // More bytes than announced: the extra is refused (413) and not kept.
    let created = served.create(100, "a.bin");
    let location = created.header("location").to_string();
    let past = served.patch(&location, 0, &content(150));
    assert_eq!(past.status, 413, "{}", past.text());
    assert!(past.text().contains("announced size"), "{}", past.text());
    // Refused from its Content-Length, before a byte was read: it says nothing was kept
    // (issue 15's break round: it said "the extra bytes were not kept").
    assert!(
        past.text().contains("none of its bytes were kept")
            && past.text().contains("still at byte 0")
            && past.text().contains("không byte nào của nó được giữ"),
        "{}",
        past.text()
    );
    assert_eq!(
        served.offset(&location),
        0,
        "nothing kept from a refused PATCH"
    );

    // Without the anti-forgery token: 403, saying so, whatever the size.
    let mut headers = served.headers(&[("Upload-Length", (21u64 << 30).to_string())]);
    headers.retain(|(name, _)| *name != "X-CSRF-Token");
    let forged = send(served.addr, "POST", "/workspace/tus", &headers, b"");
    assert_eq!(forged.status, 403);
    // Without the protocol's version header: 412, naming it.
    let mut headers = served.headers(&[("Upload-Length", "10".to_string())]);
    headers.retain(|(name, _)| *name != "Tus-Resumable");
    let old = send(served.addr, "POST", "/workspace/tus", &headers, b"");
    assert_eq!(old.status, 412);
    assert_eq!(old.header("tus-version"), "1.0.0");
    // Bytes that are not the protocol's type: 415.
    let typed = send(
        served.addr,
        "PATCH",
        &location,
        &served.headers(&[
            ("Upload-Offset", "0".to_string()),
            ("Content-Type", "multipart/form-data".to_string()),
        ]),
        b"abc",
    );
    assert_eq!(typed.status, 415);
}

#[test]
fn nobody_but_archivists_signed_in_with_a_session_reaches_uploads() {
    let served = served();
    let addr = served.addr;
    let created = served.create(10, "a.bin");
    let location = created.header("location").to_string();

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let researcher = runtime.block_on(async {
        served
            .fixture
            .accounts
            .add_user("lan", Role::Researcher, PASSWORD, &[], "test")
            .unwrap();
        let mut lan = crate::auth::Browser::new("192.0.2.61");
        lan.sign_in(&served.fixture.site, "lan", PASSWORD, "").await;
        lan.cookie.clone().unwrap()
    });
    let token = crate::support::token_of(&served.fixture.accounts, "duc", Role::Archivist, &[]);
    let unknown = send(addr, "GET", "/en/no-such-page", &[], b"");
    assert_eq!(unknown.status, 404);
    let who: Vec<(&str, Vec<(&str, String)>)> = vec![
        ("anonymous", vec![]),
        ("researcher", vec![("Cookie", researcher.clone())]),
        ("token", vec![("Authorization", format!("Bearer {token}"))]),
    ];
    for (name, credentials) in who {
        let mut headers = credentials.clone();
        headers.push(("Tus-Resumable", "1.0.0".to_string()));
        headers.push(("X-CSRF-Token", served.csrf.clone()));
        headers.push(("Upload-Length", "10".to_string()));
        headers.push(("Upload-Offset", "0".to_string()));
        headers.push((
            "Content-Type",
            "application/offset+octet-stream".to_string(),
        ));
        for (method, path) in [
            ("OPTIONS", "/workspace/tus"),
            ("POST", "/workspace/tus"),
            ("GET", "/workspace/tus"),
            ("HEAD", location.as_str()),
            ("PATCH", location.as_str()),
            ("DELETE", location.as_str()),
            ("OPTIONS", location.as_str()),
            ("GET", "/workspace/uploads"),
            ("GET", "/en/workspace/uploads"),
        ] {
            let body: &[u8] = if method == "PATCH" {
                b"0123456789"
            } else {
                b""
            };
            let reply = send(addr, method, path, &headers, body);
            assert_eq!(
                reply.status,
                404,
                "{name} {method} {path}: {}",
                reply.text()
            );
            if method != "HEAD" {
                assert_eq!(reply.body, unknown.body, "{name} {method} {path}");
            }
        }
    }
    // Nor the form cancelling an upload (a form POST, as a browser sends it).
    let finished = served.upload("xong.txt", b"done");
    for (name, credentials) in [
        ("anonymous", vec![]),
        ("researcher", vec![("Cookie", researcher.clone())]),
        ("token", vec![("Authorization", format!("Bearer {token}"))]),
    ] {
        let mut headers = credentials;
        headers.push((
            "Content-Type",
            "application/x-www-form-urlencoded".to_string(),
        ));
        for id in [location.rsplit('/').next().unwrap(), finished.as_str()] {
            for path in [
                format!("/workspace/uploads/{id}/cancel"),
                format!("/en/workspace/uploads/{id}/cancel"),
            ] {
                let body = format!("csrf={}", served.csrf);
                let reply = send(addr, "POST", &path, &headers, body.as_bytes());
                assert_eq!(reply.status, 404, "{name} POST {path}: {}", reply.text());
                assert_eq!(reply.body, unknown.body, "{name} POST {path}");
            }
        }
    }
    // The uploads are untouched.
    assert_eq!(served.offset(&location), 0);
    assert!(
        served
            .get("/en/workspace/uploads")
            .text()
            .contains("xong.txt")
    );
}

impl Client {
    /// Uploads `bytes` whole as `relative` (a file of a folder picked in the browser); its id.
    fn upload(&self, relative: &str, bytes: &[u8]) -> String {
        use base64::Engine as _;
        let encode = |text: &str| base64::engine::general_purpose::STANDARD.encode(text);
        let name = relative.rsplit('/').next().unwrap();
        let metadata = format!(
            "filename {},relativePath {}",
            encode(name),
            encode(relative)
        );
        let created = send(
            self.addr,
            "POST",
            "/workspace/tus",
            &self.headers(&[
                ("Upload-Length", bytes.len().to_string()),
                ("Upload-Metadata", metadata),
            ]),
            b"",
        );
        assert_eq!(created.status, 201, "{}", created.text());
        let location = created.header("location").to_string();
        let sent = self.patch(&location, 0, bytes);
        assert_eq!(sent.status, 204, "{}", sent.text());
        location.rsplit('/').next().unwrap().to_string()
    }

    /// Posts a form (with the anti-forgery token) as the archivist.
    fn post(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let mut pairs = vec![("csrf", self.csrf.as_str())];
        pairs.extend_from_slice(fields);
        let body = crate::auth::form(&pairs);
        send(
            self.addr,
            "POST",
            path,
            &[
                ("Cookie", self.cookie.clone()),
                (
                    "Content-Type",
                    "application/x-www-form-urlencoded".to_string(),
                ),
            ],
            body.as_bytes(),
        )
    }

    fn get(&self, path: &str) -> Reply {
        send(
            self.addr,
            "GET",
            path,
            &[("Cookie", self.cookie.clone())],
            b"",
        )
    }
}

/// Every file of the fixture batch `name`, by its path inside the batch.
fn fixture_files(name: &str) -> Vec<(String, Vec<u8>)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/batches")
        .join(name);
    walkdir::WalkDir::new(&root)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let relative = entry.path().strip_prefix(&root).unwrap();
            (
                relative.to_string_lossy().into_owned(),
                std::fs::read(entry.path()).unwrap(),
            )
        })
        .collect()
}

/// The three files of a small batch folder `lo-cho/` whose second row has a wrong access
/// level (`privat`), as an archivist's folder would hold them.
fn three_files(access: &str) -> Vec<(String, Vec<u8>)> {
    let objects = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/batches/bad-rows/objects");
    let sheet = format!(
        "filename,dc.title,dc.date,kind,village,craft,access\n\
         objects/cho-gom.jpg,Chợ gốm sáng sớm,2021-05-02,photo,,,public\n\
         objects/lo-nung.jpg,Lò nung cũ,2021-05-03,photo,,,{access}\n"
    );
    vec![
        (
            "lo-cho/metadata/metadata.csv".to_string(),
            sheet.into_bytes(),
        ),
        (
            "lo-cho/objects/cho-gom.jpg".to_string(),
            std::fs::read(objects.join("tot.jpg")).unwrap(),
        ),
        (
            "lo-cho/objects/lo-nung.jpg".to_string(),
            std::fs::read(objects.join("f.jpg")).unwrap(),
        ),
    ]
}

impl Client {
    /// Uploads `files` and makes a batch of them; the batch page's path.
    fn batch_of(&self, files: &[(String, Vec<u8>)]) -> String {
        let ids: Vec<String> = files
            .iter()
            .map(|(path, bytes)| self.upload(path, bytes))
            .collect();
        let fields: Vec<(&str, &str)> = ids.iter().map(|id| ("upload", id.as_str())).collect();
        let made = self.post("/en/workspace/batches", &fields);
        assert_eq!(made.status, 303, "{}", made.text());
        made.header("location").to_string()
    }

    /// The state of batch `id` once it is `done` or `failed` (or after a minute).
    fn finished(&self, id: &str) -> serde_json::Value {
        for _ in 0..600 {
            let status = self.get(&format!("/workspace/batches/{id}/status"));
            assert_eq!(status.status, 200);
            let json: serde_json::Value = serde_json::from_slice(&status.body).unwrap();
            if json["state"] == "done" || json["state"] == "failed" {
                return json;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("batch {id} did not finish");
    }
}
