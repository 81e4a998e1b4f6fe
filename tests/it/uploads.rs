//! Uploads in the workspace (issue 15, upload) over real HTTP: the site served by its own accept
//! loop on a socket, an archivist signed in with a TOTP code, and the tus 1.0 protocol spoken
//! byte by byte: creation, a `PATCH` cut off mid-body and resumed from the offset `HEAD` gives,
//! a wrong offset, sizes past the limit (a `413` that names it), termination, and nobody else
//! reaching any of it.

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
        ("researcher", vec![("Cookie", researcher)]),
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
    // The upload is untouched.
    assert_eq!(served.offset(&location), 0);
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

#[test]
fn an_uploaded_folder_is_checked_first_and_ingested_in_the_background_once_confirmed() {
    let served = served();
    let ids: Vec<String> = fixture_files("bad-rows")
        .iter()
        .map(|(path, bytes)| served.upload(&format!("bad-rows/{path}"), bytes))
        .collect();
    let fields: Vec<(&str, &str)> = ids.iter().map(|id| ("upload", id.as_str())).collect();
    let made = served.post("/en/workspace/batches", &fields);
    assert_eq!(made.status, 303, "{}", made.text());
    let page_path = made.header("location").to_string();
    assert!(
        page_path.starts_with("/en/workspace/batches/"),
        "{page_path}"
    );

    // The dry run's report: every bad row, by file, row as a spreadsheet shows it, and column;
    // nothing written yet.
    let page = served.get(&page_path);
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(
        html.contains("<code>metadata/metadata.csv</code></td><td>3</td><td><code>access</code>"),
        "{html}"
    );
    assert!(
        html.contains("&#39;privat&#39; is not an access level"),
        "{html}"
    );
    assert!(html.contains("Records added: 2"), "{html}");
    let visitor = |path: &str| send(served.addr, "GET", path, &[], b"").status;
    assert_eq!(
        visitor("/records/tot"),
        404,
        "nothing is written before confirming"
    );

    // Confirmed: ingested in the background; the status follows it to the end.
    let id = page_path.rsplit('/').next().unwrap();
    let confirmed = served.post(&format!("/en/workspace/batches/{id}/confirm"), &[]);
    assert_eq!(confirmed.status, 303, "{}", confirmed.text());
    let mut state = String::new();
    for _ in 0..600 {
        let status = served.get(&format!("/workspace/batches/{id}/status"));
        assert_eq!(status.status, 200);
        let json: serde_json::Value = serde_json::from_slice(&status.body).unwrap();
        state = json["state"].as_str().unwrap().to_string();
        if state == "done" || state == "failed" {
            assert_eq!(json["percent"], 100);
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(state, "done");
    assert_eq!(visitor("/records/tot"), 200, "the good rows went in");
    assert_eq!(visitor("/records/f"), 200);
    // The report is kept: on the batch's page and in the list of batches.
    let report = served.get(&page_path).text();
    assert!(
        report.contains("Ingest report") && report.contains("/en/records/tot/history"),
        "{report}"
    );
    let list = served.get("/en/workspace/uploads").text();
    assert!(
        list.contains(&page_path) && list.contains("ingested"),
        "{list}"
    );
    // Confirming twice ingests nothing twice.
    let again = served.post(&format!("/en/workspace/batches/{id}/confirm"), &[]);
    assert_eq!(again.status, 409);
}

#[test]
fn a_path_leading_out_of_the_batch_is_refused_naming_it() {
    let served = served();
    let good = served.upload("lo/metadata/metadata.csv", b"filename,dc.title\n");
    let bad = served.upload("lo/../../etc/passwd", b"root");
    let refused = served.post(
        "/en/workspace/batches",
        &[("upload", good.as_str()), ("upload", bad.as_str())],
    );
    assert_eq!(refused.status, 422, "{}", refused.text());
    let text = refused.text();
    assert!(
        text.contains("lo/../../etc/passwd") && text.contains("not a plain relative path"),
        "{text}"
    );
    // Nothing was staged: both uploads are still there, the batch list is empty.
    let list = served.get("/en/workspace/uploads").text();
    assert!(list.contains("You have no batches."), "{list}");
}

#[test]
fn a_batch_page_is_its_owners_alone() {
    let served = served();
    let id = served.upload("lo/metadata/metadata.csv", b"filename,dc.title\n");
    let made = served.post("/workspace/batches", &[("upload", id.as_str())]);
    assert_eq!(made.status, 303, "{}", made.text());
    let page_path = made.header("location").to_string();
    let batch = page_path.rsplit('/').next().unwrap();
    for path in [
        page_path.clone(),
        format!("/workspace/batches/{batch}/status"),
    ] {
        assert_eq!(
            send(served.addr, "GET", &path, &[], b"").status,
            404,
            "{path}"
        );
    }
    let forged = send(
        served.addr,
        "POST",
        &format!("/workspace/batches/{batch}/confirm"),
        &[(
            "Content-Type",
            "application/x-www-form-urlencoded".to_string(),
        )],
        b"csrf=x",
    );
    assert_eq!(forged.status, 404);
}

/// A zip file of `entries` (`(name, bytes, deflated)`), as any zip tool writes it.
fn zip(entries: &[(&str, &[u8], bool)]) -> Vec<u8> {
    use flate2::write::DeflateEncoder;
    let mut out = Vec::new();
    let mut directory = Vec::new();
    for (name, bytes, deflated) in entries {
        let mut crc = flate2::Crc::new();
        crc.update(bytes);
        let data = if *deflated {
            let mut encoder = DeflateEncoder::new(Vec::new(), flate2::Compression::best());
            encoder.write_all(bytes).unwrap();
            encoder.finish().unwrap()
        } else {
            bytes.to_vec()
        };
        let method: u16 = if *deflated { 8 } else { 0 };
        let offset = out.len() as u32;
        let common = |out: &mut Vec<u8>| {
            out.extend_from_slice(&20u16.to_le_bytes()); // version needed
            out.extend_from_slice(&0x0800u16.to_le_bytes()); // flags: UTF-8 names
            out.extend_from_slice(&method.to_le_bytes());
            out.extend_from_slice(&[0; 4]); // time, date
            out.extend_from_slice(&crc.sum().to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes()); // extra
        };
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common(&mut out);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&data);
        directory.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        directory.extend_from_slice(&0x031eu16.to_le_bytes()); // made by: Unix
        common(&mut directory);
        directory.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
        directory.extend_from_slice(&(0o100_644u32 << 16).to_le_bytes());
        directory.extend_from_slice(&offset.to_le_bytes());
        directory.extend_from_slice(name.as_bytes());
    }
    let directory_offset = out.len() as u32;
    out.extend_from_slice(&directory);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(directory.len() as u32).to_le_bytes());
    out.extend_from_slice(&directory_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

#[test]
fn a_zipped_batch_is_checked_and_a_zip_bomb_or_a_path_out_of_it_is_refused_naming_it() {
    let served = served();
    // A good zip: the bad-rows batch in its folder, deflated; its dry run lists the bad row.
    let files = fixture_files("bad-rows");
    let names: Vec<String> = files
        .iter()
        .map(|(path, _)| format!("bad-rows/{path}"))
        .collect();
    let entries: Vec<(&str, &[u8], bool)> = names
        .iter()
        .zip(&files)
        .map(|(name, (_, bytes))| (name.as_str(), bytes.as_slice(), true))
        .collect();
    let good = served.upload("bad-rows.zip", &zip(&entries));
    let made = served.post("/en/workspace/batches", &[("upload", good.as_str())]);
    assert_eq!(made.status, 303, "{}", made.text());
    let html = served.get(made.header("location")).text();
    assert!(html.contains("Batch bad-rows"), "{html}");
    assert!(
        html.contains("<code>metadata/metadata.csv</code></td><td>3</td><td><code>access</code>"),
        "{html}"
    );

    // A zip bomb: 64 MiB of zeros in 64 KiB; refused from its directory, nothing inflated.
    let zeros = vec![0u8; 64 << 20];
    let bomb = served.upload(
        "bom.zip",
        &zip(&[
            ("bom/metadata/metadata.csv", b"filename\n".as_slice(), false),
            ("bom/objects/zeros.bin", zeros.as_slice(), true),
        ]),
    );
    let refused = served.post("/en/workspace/batches", &[("upload", bomb.as_str())]);
    assert_eq!(refused.status, 422, "{}", refused.text());
    let text = refused.text();
    assert!(
        text.contains("bom/objects/zeros.bin: inflates") && text.contains("at most 100 times"),
        "{text}"
    );

    // An entry climbing out of the batch, and one with an absolute path.
    let out = served.upload(
        "out.zip",
        &zip(&[
            ("lo/../../evil.txt", b"x".as_slice(), false),
            ("/etc/cron.d/x", b"x".as_slice(), false),
        ]),
    );
    let refused = served.post("/en/workspace/batches", &[("upload", out.as_str())]);
    assert_eq!(refused.status, 422, "{}", refused.text());
    let text = refused.text();
    assert!(
        text.contains("lo/../../evil.txt: not a plain relative path"),
        "{text}"
    );
    assert!(
        text.contains("/etc/cron.d/x: not a plain relative path"),
        "{text}"
    );
    let staged = served
        .fixture
        .workspace
        .archive()
        .join("extensions/disan-uploads/batches");
    let batches = std::fs::read_dir(&staged).unwrap().count();
    assert_eq!(batches, 1, "only the good zip was staged");
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

#[test]
fn a_bad_row_is_fixed_on_the_batch_page_and_checked_again_before_confirming() {
    let served = served();
    let page_path = served.batch_of(&three_files("privat"));
    let id = page_path.rsplit('/').next().unwrap().to_string();
    let html = served.get(&page_path).text();
    assert!(
        html.contains("<code>metadata/metadata.csv</code></td><td>3</td><td><code>access</code>"),
        "{html}"
    );
    assert!(html.contains("Records added: 1"), "{html}");
    // The sheet, as uploaded, in a text box beside the report.
    assert!(
        html.contains("Correct the sheet (metadata/metadata.csv)")
            && html.contains("objects/lo-nung.jpg,Lò nung cũ,2021-05-03,photo,,,privat"),
        "{html}"
    );

    // Corrected and checked again: no problem left, both records to add, still nothing written.
    let corrected = String::from_utf8(three_files("restricted")[0].1.clone()).unwrap();
    let saved = served.post(
        &format!("/en/workspace/batches/{id}/sheet"),
        &[("sheet", &corrected.replace('\n', "\r\n"))],
    );
    assert_eq!(saved.status, 303, "{}", saved.text());
    assert_eq!(saved.header("location"), format!("{page_path}#report"));
    let html = served.get(&page_path).text();
    assert!(html.contains("No problems."), "{html}");
    assert!(html.contains("Records added: 2"), "{html}");
    let visitor = |path: &str| send(served.addr, "GET", path, &[], b"").status;
    assert_eq!(visitor("/records/cho-gom"), 404, "nothing written yet");

    // Confirmed: both rows go in, the restricted one hidden from visitors.
    let confirmed = served.post(&format!("/en/workspace/batches/{id}/confirm"), &[]);
    assert_eq!(confirmed.status, 303, "{}", confirmed.text());
    assert_eq!(served.finished(&id)["state"], "done");
    assert_eq!(visitor("/records/cho-gom"), 200);
    assert_eq!(
        visitor("/records/lo-nung"),
        404,
        "restricted: not for visitors"
    );
    assert_eq!(
        served.get("/en/records/lo-nung").status,
        200,
        "the archivist sees it"
    );
    // Once confirmed, the sheet is no longer offered nor taken.
    let html = served.get(&page_path).text();
    assert!(!html.contains("Correct the sheet"), "{html}");
    let late = served.post(
        &format!("/en/workspace/batches/{id}/sheet"),
        &[("sheet", "filename\n")],
    );
    assert_eq!(late.status, 409, "{}", late.text());

    // The archive stays valid with the staging area beside it (an unfinished upload and the
    // ingested batch's folder): `disan verify` passes, and so does the OCFL validator.
    assert_eq!(served.create(1000, "dang-do.mp4").status, 201);
    let workspace = &served.fixture.workspace;
    let verified = workspace.verify();
    assert_eq!(verified.status.code(), Some(0), "{verified:?}");
    if crate::tools::ocfl_py() {
        let script =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/ocfl_validate_root.py");
        let output = std::process::Command::new("python3")
            .arg(script)
            .arg(workspace.archive())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(!stdout.contains("][E"), "errors reported: {stdout}");
        assert!(stdout.contains("-> VALID"), "{stdout}");
    }
}

#[test]
fn researchers_admins_and_other_archivists_never_reach_a_batch() {
    let served = served();
    let page_path = served.batch_of(&three_files("public"));
    let id = page_path.rsplit('/').next().unwrap().to_string();
    let unknown = send(served.addr, "GET", "/en/no-such-page", &[], b"").body;

    let runtime = tokio::runtime::Runtime::new().unwrap();
    // A researcher, an admin (who sees only their communities' records, so makes no batch)
    // and another archivist, each signed in with a session and holding their own token.
    let others: Vec<(&str, String, String)> = runtime.block_on(async {
        let fixture = &served.fixture;
        fixture
            .accounts
            .add_user("lan", Role::Researcher, PASSWORD, &[], "test")
            .unwrap();
        let mut lan = crate::auth::Browser::new("192.0.2.62");
        lan.sign_in(&fixture.site, "lan", PASSWORD, "").await;
        let lan_csrf = lan.token(&fixture.site, "/en/account").await;
        let mut duc = archivist(fixture, "duc", "192.0.2.63").await;
        let duc_csrf = duc.token(&fixture.site, "/en/workspace/uploads").await;
        fixture
            .accounts
            .add_user("an", Role::Admin, PASSWORD, &[], "test")
            .unwrap();
        let mut an = crate::auth::Browser::new("192.0.2.64");
        let signed = an
            .sign_in(
                &fixture.site,
                "an",
                PASSWORD,
                &crate::auth::code(fixture, "an"),
            )
            .await;
        assert_eq!(signed.status, 200, "{}", signed.text());
        fixture.clock.advance(30);
        let an_csrf = an.token(&fixture.site, "/en/account").await;
        vec![
            ("researcher", lan.cookie.unwrap(), lan_csrf),
            ("other archivist", duc.cookie.unwrap(), duc_csrf),
            ("admin", an.cookie.unwrap(), an_csrf),
        ]
    });
    for (who, cookie, csrf) in &others {
        let form = |fields: &[(&str, &str)]| {
            let mut pairs = vec![("csrf", csrf.as_str())];
            pairs.extend_from_slice(fields);
            crate::auth::form(&pairs)
        };
        let headers = vec![
            ("Cookie", cookie.clone()),
            (
                "Content-Type",
                "application/x-www-form-urlencoded".to_string(),
            ),
        ];
        for (method, path, body) in [
            ("GET", page_path.clone(), String::new()),
            ("GET", format!("/workspace/batches/{id}"), String::new()),
            (
                "GET",
                format!("/workspace/batches/{id}/status"),
                String::new(),
            ),
            (
                "POST",
                format!("/workspace/batches/{id}/confirm"),
                form(&[]),
            ),
            (
                "POST",
                format!("/en/workspace/batches/{id}/sheet"),
                form(&[("sheet", "filename\n")]),
            ),
        ] {
            let reply = send(served.addr, method, &path, &headers, body.as_bytes());
            assert_eq!(reply.status, 404, "{who} {method} {path}: {}", reply.text());
            assert_eq!(reply.body, unknown, "{who} {method} {path}");
        }
        // The researcher and the admin make no batch, and reach neither the upload page nor the
        // upload protocol (uploads become batches); the other archivist has their own page,
        // without this batch.
        if *who != "other archivist" {
            let reply = send(
                served.addr,
                "POST",
                "/workspace/batches",
                &headers,
                form(&[]).as_bytes(),
            );
            assert_eq!(reply.status, 404, "{who}: {}", reply.text());
            assert_eq!(reply.body, unknown, "{who} POST /workspace/batches");
            let tus_headers = vec![
                ("Cookie", cookie.clone()),
                ("Tus-Resumable", "1.0.0".to_string()),
                ("X-CSRF-Token", csrf.clone()),
                ("Upload-Length", "10".to_string()),
            ];
            for method in ["OPTIONS", "POST"] {
                let reply = send(served.addr, method, "/workspace/tus", &tus_headers, b"");
                assert_eq!(reply.status, 404, "{who} {method} /workspace/tus");
            }
        }
        let uploads = send(served.addr, "GET", "/en/workspace/uploads", &headers, b"");
        if *who == "other archivist" {
            assert_eq!(uploads.status, 200);
            assert!(!uploads.text().contains(&id), "{who} sees the batch");
        } else {
            assert_eq!(uploads.status, 404, "{who}");
            assert_eq!(uploads.body, unknown, "{who} GET /en/workspace/uploads");
        }
    }
    // The batch is untouched: still waiting for its owner.
    let status = served.get(&format!("/workspace/batches/{id}/status"));
    let json: serde_json::Value = serde_json::from_slice(&status.body).unwrap();
    assert_eq!(json["state"], "checked");
}

/// Regression for "a web ingest and a CLI ingest corrupt each other": while a process holds
/// the archive's write lock (as `disan ingest` does), a confirmed batch waits, saying so, and
/// starts when the lock is released; a `disan ingest` started while the archive is held is
/// refused with a clear message.
#[test]
fn a_confirmed_batch_waits_for_another_writer_and_a_cli_ingest_is_refused_meanwhile() {
    let served = served();
    let page_path = served.batch_of(&three_files("public"));
    let id = page_path.rsplit('/').next().unwrap().to_string();
    let archive = disan::archive::Archive::open(&served.fixture.workspace.archive()).unwrap();
    let held = archive.lock().unwrap();

    let confirmed = served.post(&format!("/en/workspace/batches/{id}/confirm"), &[]);
    assert_eq!(confirmed.status, 303, "{}", confirmed.text());
    let mut waiting = false;
    for _ in 0..100 {
        let status = served.get(&format!("/workspace/batches/{id}/status"));
        let json: serde_json::Value = serde_json::from_slice(&status.body).unwrap();
        if json["state"] == "waiting" {
            waiting = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(waiting, "the batch waits for the other writer");
    let html = served.get(&page_path).text();
    assert!(
        html.contains("waiting for another process writing the archive"),
        "{html}"
    );
    assert_eq!(
        send(served.addr, "GET", "/records/cho-gom", &[], b"").status,
        404
    );

    // A command-line ingest meanwhile: refused, saying why, nothing written.
    let workspace = &served.fixture.workspace;
    let output = workspace
        .disan()
        .arg("ingest")
        .arg(workspace.batch("valid"))
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("another Disan process is writing"),
        "{stderr}"
    );

    drop(held);
    assert_eq!(served.finished(&id)["state"], "done");
    assert_eq!(
        send(served.addr, "GET", "/records/cho-gom", &[], b"").status,
        200
    );
}

/// `tests/browser/uploads.browser.mjs` (an archivist signed in with a TOTP code uploads a
/// three-file folder through the site's own script, reads the dry run's report, fixes the bad
/// row on the batch's page, confirms and finds the records; axe-core on the upload and batch
/// pages) against a real `disan serve` over the `valid` fixture, with an archivist made by
/// `disan user add`. Skipped, saying so, without node, chromium or `tests/browser/node_modules`,
/// unless `DISAN_REQUIRE_BROWSER=1`.
#[test]
fn the_upload_journey_works_in_a_real_browser() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    if crate::browser::skipped(root) {
        return;
    }
    let workspace = crate::support::Workspace::new();
    let (code, report) = workspace.ingest(&workspace.batch("valid"), &[]);
    assert_eq!(code, 0, "{report}");
    let secret = crate::browser::add_user(&workspace, "thu", "archivist")
        .expect("user add printed the archivist's key");
    let (server, url) = crate::browser::serve(&workspace, root);
    crate::browser::node_tests(
        root,
        &["--test", "--test-reporter=spec", "uploads.browser.mjs"],
        &[
            ("DISAN_URL", &url),
            ("DISAN_PASSWORD", crate::browser::BROWSER_PASSWORD),
            ("DISAN_TOTP_SECRET", &secret),
        ],
    );
    drop(server);
}

/// The cookies an answer sets, as one `Cookie` header (`name=value; …`), removed ones left out.
fn cookies_of(reply: &Reply) -> String {
    reply
        .headers
        .iter()
        .filter(|(name, value)| name == "set-cookie" && !value.contains("Max-Age=0"))
        .filter_map(|(_, value)| value.split(';').next())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Regression for "Uploading… 100 % for ever" (issue 15): a real `disan serve` is killed while
/// the batch it was asked to ingest waits for the archive (another process holds its lock); the
/// server started again on the same archive shows the batch checked again, saying the run
/// stopped, instead of "being ingested" for ever, and confirming it again ingests it.
#[test]
fn a_batch_whose_server_was_killed_mid_run_is_offered_again_not_ingesting_for_ever() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = crate::support::Workspace::new();
    let (code, report) = workspace.ingest(&workspace.batch("valid"), &[]);
    assert_eq!(code, 0, "{report}");
    crate::browser::add_user(&workspace, "thu", "archivist").expect("a TOTP key");
    let (server, url) = crate::browser::serve(&workspace, root);
    let addr: SocketAddr = url.trim_start_matches("http://").parse().unwrap();

    // Signed in through the login form with a TOTP code, as a browser does.
    let form_page = send(addr, "GET", "/en/login", &[], b"");
    let secret = disan::accounts::Accounts::open(&workspace.accounts())
        .unwrap()
        .find_user("thu")
        .unwrap()
        .unwrap()
        .totp_secret
        .unwrap();
    let code = {
        use disan::accounts::Clock as _;
        disan::accounts::totp::code_at(&secret, disan::accounts::SystemClock.now()).unwrap()
    };
    let body = crate::auth::form(&[
        ("login", "thu"),
        ("password", crate::browser::BROWSER_PASSWORD),
        ("totp", &code),
        ("csrf", &crate::auth::csrf_of(&form_page.text())),
    ]);
    let form_headers = |cookie: String| {
        vec![
            ("Cookie", cookie),
            (
                "Content-Type",
                "application/x-www-form-urlencoded".to_string(),
            ),
        ]
    };
    let signed = send(
        addr,
        "POST",
        "/en/login",
        &form_headers(cookies_of(&form_page)),
        body.as_bytes(),
    );
    let cookie = cookies_of(&signed);
    assert!(cookie.contains("disan-session"), "{}", signed.text());
    let page = send(
        addr,
        "GET",
        "/en/workspace/uploads",
        &[("Cookie", cookie.clone())],
        b"",
    );
    let csrf = crate::auth::csrf_of(&page.text());
    let as_thu = |addr: SocketAddr| Client {
        addr,
        cookie: cookie.clone(),
        csrf: csrf.clone(),
    };
    let thu = as_thu(addr);
    let page_path = thu.batch_of(&three_files("public"));
    let id = page_path.rsplit('/').next().unwrap().to_string();

    // Another process holds the archive: the confirmed batch waits; then its server is killed.
    let archive = disan::archive::Archive::open(&workspace.archive()).unwrap();
    let held = archive.lock().unwrap();
    let confirmed = thu.post(&format!("/en/workspace/batches/{id}/confirm"), &[]);
    assert_eq!(confirmed.status, 303, "{}", confirmed.text());
    let state = |served: &Client| -> serde_json::Value {
        let status = served.get(&format!("/workspace/batches/{id}/status"));
        assert_eq!(status.status, 200, "{}", status.text());
        serde_json::from_slice(&status.body).unwrap()
    };
    let mut waiting = false;
    for _ in 0..100 {
        if state(&thu)["state"] == "waiting" {
            waiting = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(waiting, "the batch waits for the archive");
    drop(server);
    drop(held);

    // Started again: the batch is checked again, the page says the run stopped and offers to
    // confirm; confirmed again, it is ingested.
    let (server, url) = crate::browser::serve(&workspace, root);
    let thu = as_thu(url.trim_start_matches("http://").parse().unwrap());
    assert_eq!(state(&thu)["state"], "checked");
    let html = thu.get(&page_path).text();
    assert!(
        html.contains("stopped with the server before it ended")
            && html.contains("Confirm: ingest this batch"),
        "{html}"
    );
    let confirmed = thu.post(&format!("/en/workspace/batches/{id}/confirm"), &[]);
    assert_eq!(confirmed.status, 303, "{}", confirmed.text());
    assert_eq!(thu.finished(&id)["state"], "done");
    assert_eq!(
        send(thu.addr, "GET", "/records/cho-gom", &[], b"").status,
        200
    );
    drop(server);
}
