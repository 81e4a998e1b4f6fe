//! Issue 11, "the index is disposable" and "the site holds under abuse": a damaged, missing or
//! read-only index, a full index disk, slow and idle sockets, absurd query words. Each test is
//! named after the case in `../shared/cases/` it pins, and runs the real binary or a real socket.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use disan::index::IndexDir;
use disan::index::search::SearchQuery;
use disan::web::server::Limits;
use disan::web::{Site, app};

use crate::support::Workspace;
use crate::web::get;

/// A workspace holding the `valid` fixture batch, archived and indexed.
fn ingested() -> Workspace {
    let workspace = Workspace::new();
    let (code, _) = workspace.ingest(&workspace.batch("valid"), &[]);
    assert_eq!(code, 0);
    workspace
}

/// The public records the index finds with an empty query (everything).
fn indexed(workspace: &Workspace) -> usize {
    let search = IndexDir::new(&workspace.index()).search().unwrap();
    search.search(&SearchQuery::default()).unwrap().total
}

/// The largest file of `dir` whose name ends with `.extension`.
fn largest(dir: &Path, extension: &str) -> PathBuf {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == extension))
        .max_by_key(|path| std::fs::metadata(path).unwrap().len())
        .unwrap_or_else(|| panic!("no .{extension} file in {}", dir.display()))
}

fn run(command: &mut Command) -> (i32, String, String) {
    let output = command.output().expect("run disan");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// adv-reindex-cannot-rebuild-corrupt-index: whatever happened to `index/`, `reindex` rebuilds
/// it from the archive, deleting only a search folder made of tantivy's files and setting
/// anything else aside.
#[test]
fn adv_reindex_rebuilds_whatever_state_the_index_is_in() {
    type Damage = fn(&Path);
    let search = |index: &Path| index.join("search");
    let damages: [(&str, Damage, &str); 9] = [
        (
            "missing segment",
            |index| std::fs::remove_file(largest(&index.join("search"), "idx")).unwrap(),
            "deleted",
        ),
        (
            "truncated segment",
            |index| {
                let file = std::fs::File::options()
                    .write(true)
                    .open(largest(&index.join("search"), "term"))
                    .unwrap();
                file.set_len(100).unwrap();
            },
            "deleted",
        ),
        (
            "garbage meta.json",
            |index| std::fs::write(index.join("search/meta.json"), "{garbage\n").unwrap(),
            "deleted",
        ),
        (
            "empty meta.json",
            |index| std::fs::write(index.join("search/meta.json"), "").unwrap(),
            "deleted",
        ),
        (
            "a file where the search folder should be",
            |index| {
                std::fs::remove_dir_all(index.join("search")).unwrap();
                std::fs::write(index.join("search"), "not an index").unwrap();
            },
            "moved",
        ),
        (
            "a file where the derivatives folder should be",
            |index| {
                std::fs::remove_dir_all(index.join("derivatives")).unwrap();
                std::fs::write(index.join("derivatives"), "not a folder").unwrap();
            },
            "moved",
        ),
        (
            "a folder where the authorities file should be",
            |index| {
                std::fs::remove_file(index.join("authorities.json")).unwrap();
                std::fs::create_dir(index.join("authorities.json")).unwrap();
            },
            "moved",
        ),
        (
            "no index folder at all",
            |index| std::fs::remove_dir_all(index).unwrap(),
            "",
        ),
        (
            "bit-flipped segment",
            |index| {
                // In the middle: undetected until read (a flipped footer is caught at opening).
                let path = largest(&index.join("search"), "store");
                let mut bytes = std::fs::read(&path).unwrap();
                let middle = bytes.len() / 2;
                for byte in &mut bytes[middle..middle + 16] {
                    *byte ^= 0x5a;
                }
                std::fs::write(path, bytes).unwrap();
            },
            "",
        ),
    ];
    for (what, damage, fate) in damages {
        let workspace = ingested();
        let expected = indexed(&workspace);
        assert!(expected > 0);
        let index = workspace.index();
        damage(&index);
        let (code, stdout, stderr) = run(workspace.disan().arg("reindex"));
        assert_eq!(code, 0, "{what}: {stdout}{stderr}");
        assert!(stdout.contains("records indexed"), "{what}: {stdout}");
        match fate {
            "deleted" => assert_eq!(
                stderr.lines().next().unwrap_or_default().split(" (").next(),
                Some(
                    format!(
                        "discarded the unreadable {}: deleted",
                        search(&index).display()
                    )
                    .as_str()
                ),
                "{what}: {stderr}"
            ),
            "moved" => {
                assert!(
                    stderr.starts_with("discarded the unreadable ")
                        && stderr.contains(": moved to ")
                        && stderr.contains(".damaged-")
                        && stderr.contains("delete it once you have looked"),
                    "{what}: {stderr}"
                );
                // What Disan did not write is kept, beside the rebuilt index.
                let kept = std::fs::read_dir(&index)
                    .unwrap()
                    .filter(|e| {
                        e.as_ref()
                            .unwrap()
                            .file_name()
                            .to_string_lossy()
                            .contains(".damaged-")
                    })
                    .count();
                assert_eq!(kept, 1, "{what}");
            }
            _ => assert_eq!(stderr, "", "{what}"),
        }
        assert_eq!(indexed(&workspace), expected, "{what}");
        // The site serves the rebuilt index.
        Site::open(&workspace.archive(), &index, None).unwrap();
    }
}

/// A search folder holding a file tantivy never writes is not deleted: it is set aside.
#[test]
fn reindex_sets_aside_a_damaged_search_folder_holding_foreign_files() {
    let workspace = ingested();
    let search = workspace.index().join("search");
    std::fs::write(search.join("meta.json"), "{garbage").unwrap();
    std::fs::write(search.join("notes.txt"), "mine").unwrap();
    let (code, _, stderr) = run(workspace.disan().arg("reindex"));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains(": moved to "), "{stderr}");
    let aside: Vec<PathBuf> = std::fs::read_dir(workspace.index())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("search.damaged-"))
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(
        std::fs::read_to_string(aside[0].join("notes.txt")).unwrap(),
        "mine"
    );
}

/// An `--index` that is a file is nobody's index to delete.
#[test]
fn reindex_refuses_an_index_path_that_is_a_file() {
    let workspace = ingested();
    let file = workspace.dir.path().join("important.pdf");
    std::fs::write(&file, "a person's file").unwrap();
    let (code, _, stderr) = run(disan_with_index(&workspace, &file).arg("reindex"));
    assert_eq!(code, 1);
    assert_eq!(
        stderr.trim_end(),
        format!(
            "disan: cannot rebuild the index in {0}: {0}: this is not a folder, and Disan deletes only what it made: move it away or choose another --index\nThe archive {1} is not affected: nothing in it was changed or lost. Next: fix what prevents writing in {0}, then run `disan reindex` again.",
            file.display(),
            workspace.archive().display()
        )
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "a person's file");
}

/// `serve` and `ingest` over a damaged index name the index, not the archive, and say what to do.
#[test]
fn adv_serve_and_ingest_name_the_damaged_index() {
    let workspace = ingested();
    let search = workspace.index().join("search");
    std::fs::write(search.join("meta.json"), "{garbage\n").unwrap();
    let expected_start = format!("disan: the search index {} is damaged (", search.display());
    let expected_end =
        "); the archive is not affected: run `disan reindex` to rebuild the index from it";
    let (code, _, stderr) = run(workspace.disan().args(["serve", "--addr", "127.0.0.1:0"]));
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(&expected_start) && stderr.trim_end().ends_with(expected_end),
        "{stderr}"
    );
    let second = workspace.dir.path().join("second");
    std::fs::create_dir_all(second.join("objects")).unwrap();
    std::fs::write(second.join("objects/moi.txt"), "Văn bản mới").unwrap();
    let (code, _, stderr) = run(workspace.disan().arg("ingest").arg(&second));
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(&expected_start) && stderr.trim_end().ends_with(expected_end),
        "{stderr}"
    );
    // The index is opened before any archive write: nothing of the batch went in.
    assert_eq!(run(workspace.disan().arg("reindex")).0, 0);
    let (_, report) = workspace.ingest(&second, &["--dry-run"]);
    assert_eq!(
        report["records"]["added"],
        serde_json::json!(["moi"]),
        "{report}"
    );
}

/// `disan` with this workspace's archive and another index folder.
fn disan_with_index(workspace: &Workspace, index: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_disan"));
    command
        .arg("--archive")
        .arg(workspace.archive())
        .arg("--index")
        .arg(index)
        .env_remove("DISAN_ARCHIVE")
        .env_remove("DISAN_INDEX");
    command
}

/// `disan serve` on a free port; returns the child and its address.
fn serve(workspace: &Workspace, index: &Path) -> (Child, SocketAddr) {
    serve_with_env(workspace, index, &[])
}

/// [`serve`] with more environment variables.
fn serve_with_env(
    workspace: &Workspace,
    index: &Path,
    env: &[(&str, &str)],
) -> (Child, SocketAddr) {
    let mut child = disan_with_index(workspace, index)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut line = Vec::new();
    let mut byte = [0u8];
    while stdout.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {
        line.push(byte[0]);
    }
    let line = String::from_utf8(line).unwrap();
    let addr = line
        .strip_prefix("Disan is serving at http://")
        .and_then(|rest| rest.strip_suffix('/'))
        .unwrap_or_else(|| {
            let mut stderr = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut stderr)
                .unwrap();
            panic!("serve did not start: {line} {stderr}")
        })
        .parse()
        .unwrap();
    (child, addr)
}

/// One request over a fresh connection: status code and body.
fn fetch(addr: SocketAddr, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no HTTP answer to {path}: {text:?}"));
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())
        .unwrap_or_default();
    (status, body)
}

/// adv-serve-sigbus-truncated-segment: segment files truncated under a running server cost the
/// search (500, logged naming the index and `disan reindex`); the process, record pages, the
/// API's records and media keep going.
#[test]
fn adv_a_truncated_segment_costs_a_search_never_the_server() {
    let workspace = ingested();
    let (mut child, addr) = serve(&workspace, &workspace.index());
    assert_eq!(fetch(addr, "/api/search?q=trong").0, 200);
    let (_, record) = fetch(addr, "/api/records/anh-mat-trong");
    let record: serde_json::Value = serde_json::from_str(&record).unwrap();
    let original = record["files"][0]["url"].as_str().unwrap().to_string();
    assert_eq!(fetch(addr, &original).0, 200);
    let search = workspace.index().join("search");
    for extension in ["term", "idx", "pos", "store", "fast", "fieldnorm"] {
        let file = std::fs::File::options()
            .write(true)
            .open(largest(&search, extension))
            .unwrap();
        file.set_len(100).unwrap();
    }
    let (status, body) = fetch(addr, "/api/search?q=trong");
    assert_eq!(status, 500);
    assert_eq!(
        body,
        r#"{"error":"Máy chủ gặp lỗi; xin thử lại sau. (Something went wrong on our side.)"}"#
    );
    let (status, body) = fetch(addr, "/search?q=da+trau");
    assert_eq!(status, 500);
    assert!(
        !body.contains("reindex") && !body.contains(".term"),
        "5xx says nothing internal: {body}"
    );
    for path in [
        "/records/anh-mat-trong",
        "/en/records/anh-mat-trong",
        "/api/records/anh-mat-trong",
        "/media/anh-mat-trong/thumb/0",
        original.as_str(),
        "/static/site.css",
    ] {
        assert_eq!(fetch(addr, path).0, 200, "{path}");
    }
    // Deny by default still: a restricted record is not shown from the archive either.
    assert_eq!(fetch(addr, "/records/fixture-restricted").0, 404);
    assert!(child.try_wait().unwrap().is_none(), "the server died");
    child.kill().unwrap();
    child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let logged = format!("the search index {} cannot be read (", search.display());
    assert!(
        stderr.lines().any(|line| line.contains(&logged)
            && line.ends_with("search answers 500 until `disan reindex` rebuilds it (record pages and media are served from the archive meanwhile)")),
        "{stderr}"
    );
}

/// Whether this process may mount file systems (root in a container that allows it).
fn can_mount(probe: &Path) -> bool {
    std::fs::create_dir_all(probe).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(probe)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if mounted {
        let _ = Command::new("umount").arg(probe).status();
    }
    mounted
}

/// Unmounts a mount point when dropped, so a failed assertion leaves no mount behind.
struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// The files under `dir`, recursively, with their sizes.
fn listing(dir: &Path) -> Vec<(PathBuf, u64)> {
    let mut files: Vec<(PathBuf, u64)> = walk(dir);
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<(PathBuf, u64)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push((path.clone(), std::fs::metadata(&path).unwrap().len()));
        }
    }
    files
}

/// A site served from read-only media: a read-only bind mount of the index when this process can
/// mount (root ignores file permissions), else `chmod -R a-w`. No lock file or other write is
/// needed to serve.
#[test]
fn serve_runs_from_a_read_only_index() {
    let workspace = ingested();
    let index = workspace.index();
    // The lock files a writer left are removed too: a reader must not need to create them.
    for lock in [".tantivy-meta.lock", ".tantivy-writer.lock"] {
        let _ = std::fs::remove_file(index.join("search").join(lock));
    }
    let before = listing(&index);
    let mounted = if is_root() {
        if !can_mount(&workspace.dir.path().join("probe")) {
            // Visible in the output and in the run's list of skips (tests/it/tools.rs).
            crate::tools::skip(
                &["permission to mount"],
                "DISAN_REQUIRE_MOUNT",
                "run the tests as root where mount(8) is allowed",
            );
            return;
        }
        let served = workspace.dir.path().join("read-only-index");
        std::fs::create_dir_all(&served).unwrap();
        let mount = |args: &[&std::ffi::OsStr]| {
            assert!(Command::new("mount").args(args).status().unwrap().success());
        };
        mount(&["--bind".as_ref(), index.as_os_str(), served.as_os_str()]);
        let guard = Mounted(served.clone());
        mount(&[
            "-o".as_ref(),
            "remount,ro,bind".as_ref(),
            served.as_os_str(),
        ]);
        Some(guard)
    } else {
        let status = Command::new("chmod")
            .args(["-R", "a-w"])
            .arg(&index)
            .status();
        assert!(status.unwrap().success());
        None
    };
    let served = mounted.as_ref().map_or(index.clone(), |m| m.0.clone());
    assert!(
        std::fs::write(served.join("search/probe"), "x").is_err(),
        "the index is still writable"
    );
    let (mut child, addr) = serve(&workspace, &served);
    let (status, body) = fetch(addr, "/api/search?q=trong");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("anh-mat-trong"), "{body}");
    assert_eq!(fetch(addr, "/records/anh-mat-trong").0, 200);
    child.kill().unwrap();
    child.wait().unwrap();
    drop(mounted);
    let _ = Command::new("chmod")
        .args(["-R", "u+w"])
        .arg(&index)
        .status();
    assert_eq!(listing(&index), before, "serving wrote in the index");
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.stdout == b"0\n")
}

/// A full index disk: ingest still prints its summary (what was archived), with an error naming
/// the index folder and what to do; reindex names the folder and says the archive is unaffected.
/// Needs a tiny tmpfs (root); skipped, saying so, otherwise.
#[test]
fn a_full_index_disk_names_the_folder_and_what_to_do() {
    let workspace = Workspace::new();
    let index = workspace.dir.path().join("small-index");
    if !(is_root() && can_mount(&workspace.dir.path().join("probe"))) {
        crate::tools::skip(
            &["root with permission to mount a tmpfs"],
            "DISAN_REQUIRE_MOUNT",
            "run the tests as root where mount(8) is allowed",
        );
        return;
    }
    std::fs::create_dir_all(&index).unwrap();
    assert!(
        Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=300k", "tmpfs"])
            .arg(&index)
            .status()
            .unwrap()
            .success()
    );
    let _mount = Mounted(index.clone());
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample/ha-nam");
    let (code, stdout, stderr) = run(disan_with_index(&workspace, &index)
        .arg("ingest")
        .arg(&sample));
    assert_eq!(code, 1, "{stdout}{stderr}");
    let summary = stdout.lines().last().unwrap_or_default();
    assert!(
        summary.starts_with("ha-nam: ") && summary.contains(" records added, "),
        "{stdout}"
    );
    let added: usize = summary["ha-nam: ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(added > 0, "{summary}");
    // Finding 7: a full index disk refuses no file for its previews (the index is disposable:
    // they are left to `disan reindex`), and worker errors name the file, not the binary.
    let output = format!("{stdout}{stderr}");
    assert!(!output.contains("/proc/self/exe"), "{output}");
    assert!(!output.contains("could not make derivatives"), "{output}");
    // Nor any file refused for want of room in the disposable index.
    assert!(
        !output.contains("could not check for location metadata"),
        "{output}"
    );
    assert!(
        stderr.contains(&format!(
            "error: {0}: the disk holding the index folder {0} is full (",
            index.display()
        )) && stderr.contains("): free space on it, then run `disan reindex`. Everything this report lists as added or updated is safely in the archive; until then search does not show all of it."),
        "{stderr}"
    );
    let (code, _, stderr) = run(disan_with_index(&workspace, &index).arg("reindex"));
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(&format!(
            "disan: cannot rebuild the index in {}: ",
            index.display()
        )) && stderr.trim_end().ends_with(&format!(
            "The archive {} is not affected: nothing in it was changed or lost. Next: the disk holding the index folder {} is full: free space on it, then run `disan reindex` again.",
            workspace.archive().display(),
            index.display()
        )),
        "{stderr}"
    );
}

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
    let mut buffer = [0u8; 4096];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => return true,
            Ok(_) => continue,
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
    assert_eq!(
        answer.text(),
        "Trang này không nhận dữ liệu gửi lên. (This site takes no request bodies.)"
    );
    let request = axum::http::Request::get("/api/search?q=trong")
        .header("content-length", "0")
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(crate::web::get_with(&site, request).await.status, 200);
}

/// The English notices of a search through the API.
async fn notices(site: &Arc<Site>, q: &str) -> Vec<String> {
    let answer = get(site, &format!("/api/search?q={}", encode(q))).await;
    assert_eq!(answer.status, 200, "{}", answer.text());
    answer.json()["notices"]
        .as_array()
        .map(|notices| {
            notices
                .iter()
                .map(|n| n["en"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// adv-long-word-fuzzy-dos: a 250-letter word is searched as typed, never respelled (no typo
/// automaton is built: the notice of close spellings is given exactly when they are looked
/// for); a word of plausible length still is; a query respells at most four words.
#[tokio::test]
async fn adv_a_long_word_is_never_respelled() {
    let (_workspace, site) = crate::web::site();
    let letters: Vec<char> = "ăâêôơưđáàảãạấầẩẫậéèẻẽẹếềểễệ".chars().collect();
    let long: String = (0..250).map(|n| letters[(n * 7) % letters.len()]).collect();
    assert_eq!(
        notices(&site, &long).await,
        vec![format!(
            "Nothing contains “{long}”; words longer than 24 letters are not checked for close spellings."
        )]
    );
    let plausible: String = long.chars().take(24).collect();
    assert_eq!(
        notices(&site, &plausible).await,
        vec![format!(
            "Nothing contains “{plausible}”; close spellings of it were tried too."
        )]
    );
    let words = ["zzqa", "zzqb", "zzqc", "zzqd", "zzqe"];
    let said = notices(&site, &words.join(" ")).await;
    let mut expected: Vec<String> = words[..4]
        .iter()
        .map(|w| format!("Nothing contains “{w}”; close spellings of it were tried too."))
        .collect();
    expected.push(
        "Nothing contains “zzqe”; close spellings are looked for only for the first 4 words found nowhere.".to_string(),
    );
    assert_eq!(said, expected);
}

/// `/en/` is the English home page (a permanent redirect to `/en`), not a 404.
#[tokio::test]
async fn english_home_with_a_trailing_slash() {
    let (_workspace, site) = crate::web::site();
    let answer = get(&site, "/en/").await;
    assert_eq!(answer.status, 308);
    assert_eq!(answer.header("location"), "/en");
    assert_eq!(get(&site, "/en/?q=x").await.header("location"), "/en?q=x");
    assert_eq!(get(&site, "/en").await.status, 200);
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

/// break-site finding 1: a server reading a read-only index cannot remove a record that an
/// ingest through another index restricts; it leaves the record out of every query instead
/// (search, facets, village listing, suggestions), and says so once on standard error.
#[test]
fn a_read_only_index_never_lists_a_record_another_index_restricts() {
    let workspace = ingested();
    let index = workspace.index();
    if !(is_root() && can_mount(&workspace.dir.path().join("probe"))) {
        crate::tools::skip(
            &["permission to mount"],
            "DISAN_REQUIRE_MOUNT",
            "run the tests as root where mount(8) is allowed",
        );
        return;
    }
    let other = workspace.dir.path().join("other-index");
    crate::support::copy_dir(&index, &other);
    let served = workspace.dir.path().join("read-only-index");
    std::fs::create_dir_all(&served).unwrap();
    let mount = |args: &[&std::ffi::OsStr]| {
        assert!(Command::new("mount").args(args).status().unwrap().success());
    };
    mount(&["--bind".as_ref(), index.as_os_str(), served.as_os_str()]);
    let guard = Mounted(served.clone());
    mount(&[
        "-o".as_ref(),
        "remount,ro,bind".as_ref(),
        served.as_os_str(),
    ]);
    let (mut child, addr) = serve(&workspace, &served);
    let facets = |addr| {
        let (_, body) = fetch(addr, "/api/search?q=");
        let body: serde_json::Value = serde_json::from_str(&body).unwrap();
        (body["total"].as_u64().unwrap(), body["facets"].to_string())
    };
    let (total_before, facets_before) = facets(addr);
    let (status, body) = fetch(addr, "/api/search?q=trong");
    assert_eq!(status, 200);
    assert!(body.contains("anh-mat-trong"), "{body}");
    // The same batch, with the drum photo now restricted, ingested through the other index.
    let batch = workspace.batch("valid");
    let csv = batch.join("metadata/metadata.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let row = lines
        .find(|l| l.starts_with("objects/anh/mat-trong.jpg,"))
        .unwrap();
    std::fs::write(&csv, format!("{header}\n{row}restricted\n")).unwrap();
    for entry in std::fs::read_dir(batch.join("objects")).unwrap() {
        let folder = entry.unwrap().path();
        if !folder.ends_with("anh") {
            std::fs::remove_dir_all(folder).unwrap();
        }
    }
    std::fs::remove_file(batch.join("objects/anh/han-che.jpg")).unwrap();
    let (code, _, stderr) = run(disan_with_index(&workspace, &other)
        .arg("ingest")
        .arg(&batch));
    assert_eq!(code, 0, "{stderr}");
    for path in [
        "/api/search?q=trong",
        "/search?q=trong",
        "/api/search?q=",
        "/villages/doi-tam",
        "/api/suggest?q=m%E1%BA%B7t",
        "/sitemaps/records-1.xml",
    ] {
        let (status, body) = fetch(addr, path);
        assert_eq!(status, 200, "{path}");
        assert!(!body.contains("anh-mat-trong"), "{path} lists it: {body}");
        assert!(!body.contains("Mặt trống"), "{path} lists it: {body}");
    }
    let (total_after, facets_after) = facets(addr);
    assert_eq!(total_after, total_before - 1);
    assert_ne!(facets_after, facets_before, "the facets still count it");
    assert_eq!(fetch(addr, "/records/anh-mat-trong").0, 404);
    child.kill().unwrap();
    child.wait().unwrap();
    // Finding 9: a server started now over the read-only index, behind the archive, refuses,
    // saying why and what to do.
    let (code, _, refused) =
        run(disan_with_index(&workspace, &served).args(["serve", "--addr", "127.0.0.1:0"]));
    assert_eq!(code, 1, "{refused}");
    let expected = format!(
        "disan: the search index {} is behind the archive (the archive changed since the index was written) and cannot be brought up to date because it is read-only (",
        served.display()
    );
    assert!(
        refused.starts_with(&expected)
            && refused.trim_end().ends_with("); serve a writable copy instead: copy the index folder somewhere writable, run `disan --index COPY reindex`, then `disan --index COPY serve`"),
        "{refused}"
    );
    drop(guard);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let expected = format!(
        "warning: cannot remove 1 record(s) another index hid from the search index {} (",
        served.join("search").display()
    );
    let said: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with(&expected))
        .collect();
    assert_eq!(said.len(), 1, "{stderr}");
    assert!(
        said[0].ends_with("they are left out of every search and listing until this server stops. Run `disan reindex` over a writable copy of the index to bring it up to date."),
        "{stderr}"
    );
}

/// break-site finding 4: a query searches at most 32 words; the rest is ignored, and the API and
/// the page say so. The 33rd word here is found nowhere, so it would empty the results were it
/// searched.
#[tokio::test]
async fn a_query_searches_at_most_32_words_and_says_so() {
    let (_workspace, site) = crate::web::site();
    let mut words = vec!["trống"; 32];
    words.push("zzqnowhere");
    let q = encode(&words.join(" "));
    let answer = get(&site, &format!("/api/search?q={q}")).await;
    assert_eq!(answer.status, 200);
    let json = answer.json();
    let ids: Vec<&str> = json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"anh-mat-trong"), "{json}");
    let said = notices(&site, &words.join(" ")).await;
    assert_eq!(
        said,
        ["Only the first 32 words were searched; the rest of the query was ignored."]
    );
    let page = get(&site, &format!("/en/search?q={q}")).await;
    assert_eq!(page.status, 200);
    assert!(
        page.text()
            .contains("Only the first 32 words were searched; the rest of the query was ignored."),
        "{}",
        page.text()
    );
    let page = get(&site, &format!("/search?q={q}")).await;
    assert!(
        page.text()
            .contains("Chỉ tìm theo 32 từ đầu tiên; phần còn lại của câu tìm bị bỏ qua."),
        "{}",
        page.text()
    );
    // 32 words are searched whole: no notice.
    assert!(
        notices(&site, &vec!["trống"; 32].join(" "))
            .await
            .is_empty()
    );
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
        requests_per_connection: 100_000,
    });
    let asked = 3000;
    let mut stream = TcpStream::connect(addr).unwrap();
    let request = "GET /en/search?q=trong HTTP/1.1\r\nHost: x\r\n\r\n".repeat(asked);
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
    let mut buffer = vec![0u8; 1 << 16];
    let ended = loop {
        match stream.read(&mut buffer) {
            Ok(0) => break true,
            Ok(n) => received.extend_from_slice(&buffer[..n]),
            Err(error)
                if matches!(
                    error.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                break false;
            }
            Err(_) => break true,
        }
    };
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

/// The standard error of a server, once stopped.
fn stopped(mut child: Child) -> String {
    assert!(child.try_wait().unwrap().is_none(), "the server died");
    child.kill().unwrap();
    child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    stderr
}

/// break-site findings 5, 11 and 14: a garbage or removed `meta.json`, a removed search folder,
/// a garbage `authorities.json` under a running server take nothing down: it serves the last
/// good state (search, record pages, media, village pages), a restricted record stays 404, and
/// each fault is logged once, naming the file or folder and `disan reindex`.
#[test]
fn a_damaged_index_under_a_running_server_keeps_the_last_good_state() {
    let workspace = ingested();
    let index = workspace.index();
    let (child, addr) = serve(&workspace, &index);
    let (_, record) = fetch(addr, "/api/records/anh-mat-trong");
    let record: serde_json::Value = serde_json::from_str(&record).unwrap();
    let original = record["files"][0]["url"].as_str().unwrap().to_string();
    let (_, village_before) = fetch(addr, "/villages/doi-tam");
    let check = |when: &str| {
        for path in [
            "/records/anh-mat-trong",
            "/api/records/anh-mat-trong",
            "/media/anh-mat-trong/thumb/0",
            original.as_str(),
            "/",
            "/en",
            "/villages",
            "/sitemap.xml",
        ] {
            assert_eq!(fetch(addr, path).0, 200, "{path} {when}");
        }
        let (status, body) = fetch(addr, "/api/search?q=trong");
        assert_eq!(status, 200, "{when}");
        assert!(body.contains("anh-mat-trong"), "{when}: {body}");
        assert_eq!(fetch(addr, "/records/fixture-restricted").0, 404, "{when}");
    };
    let search = index.join("search");
    std::fs::write(search.join("meta.json"), "{garbage").unwrap();
    check("meta.json garbage");
    check("meta.json garbage, again");
    std::fs::write(index.join("authorities.json"), "{garbage").unwrap();
    let (status, village) = fetch(addr, "/villages/doi-tam");
    assert_eq!(status, 200);
    assert_eq!(village, village_before);
    fetch(addr, "/villages/doi-tam");
    std::fs::remove_dir_all(&search).unwrap();
    check("search folder removed");
    let stderr = stopped(child);
    let meta_lines: Vec<&str> = stderr
        .lines()
        .filter(|l| {
            l.starts_with(&format!(
                "warning: the search index {} changed on disk and cannot be loaded (",
                search.display()
            )) && l.ends_with("); serving its last good state until `disan reindex` rebuilds it")
        })
        .collect();
    // Once for the garbage, once for the removal (a different fault), never per request.
    assert_eq!(meta_lines.len(), 2, "{stderr}");
    let authorities = format!(
        "warning: the village and craft names {} cannot be read (",
        index.join("authorities.json").display()
    );
    assert_eq!(
        stderr
            .lines()
            .filter(|l| l.starts_with(&authorities))
            .count(),
        1,
        "{stderr}"
    );
    assert!(!stderr.contains("internal error"), "{stderr}");
}

/// break-site finding 10: a segment that makes tantivy panic costs one log line per request,
/// never a panic message and backtrace.
#[test]
fn a_panicking_segment_logs_one_line_per_request() {
    let workspace = ingested();
    let (child, addr) = serve_with_env(&workspace, &workspace.index(), &[("RUST_BACKTRACE", "1")]);
    let search = workspace.index().join("search");
    for entry in std::fs::read_dir(&search).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "fast") {
            let len = std::fs::metadata(&path).unwrap().len() as usize;
            std::fs::write(&path, vec![0xA5u8; len]).unwrap();
        }
    }
    let mut failed = 0;
    for _ in 0..4 {
        if fetch(addr, "/api/search?q=trong&sort=title").0 == 500 {
            failed += 1;
        }
    }
    let stderr = stopped(child);
    assert!(failed > 0, "the damage did not reach the search: {stderr}");
    assert!(!stderr.contains("stack backtrace"), "{stderr}");
    assert!(!stderr.contains("panicked at"), "{stderr}");
    assert!(
        stderr.lines().count() <= failed,
        "{failed} failed: {stderr}"
    );
}

/// break-site finding 8: reindex follows no symbolic link inside `index/`: a derivative folder
/// linked outside, a dangling and a looping link are each moved aside, nothing is written
/// through them, and the index is rebuilt (exit 0). A derivative write into a linked folder is
/// refused.
#[test]
fn reindex_sets_aside_links_inside_the_index_and_writes_nothing_through_them() {
    use std::os::unix::fs::symlink;
    let workspace = ingested();
    let index = workspace.index();
    let derivatives = index.join("derivatives");
    let outside = workspace.dir.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    // A derivative folder of a real original, replaced by a link to a folder outside.
    let folder = std::fs::read_dir(&derivatives)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .flat_map(|shard| std::fs::read_dir(shard).unwrap().map(|e| e.unwrap().path()))
        .find(|p| p.join("thumb.jpg").exists())
        .expect("a derivative folder with a thumbnail");
    std::fs::remove_dir_all(&folder).unwrap();
    symlink(&outside, &folder).unwrap();
    let search = index.join("search");
    std::fs::remove_dir_all(&search).unwrap();
    symlink(workspace.dir.path().join("nowhere"), &search).unwrap();
    let looping = derivatives.join("ff");
    let _ = std::fs::remove_dir_all(&looping);
    symlink(&looping, &looping).unwrap();
    let (code, _, stderr) = run(workspace.disan().arg("reindex"));
    assert_eq!(code, 0, "{stderr}");
    for link in [&folder, &search, &looping] {
        let said = format!("{}: moved to {}.damaged-", link.display(), link.display());
        assert!(
            stderr.contains(&said)
                && stderr.contains("(a symbolic link: Disan follows no link inside the index;"),
            "{said}: {stderr}"
        );
    }
    assert_eq!(
        std::fs::read_dir(&outside).unwrap().count(),
        0,
        "written through the link"
    );
    let rebuilt = std::fs::symlink_metadata(&folder).unwrap();
    assert!(rebuilt.is_dir() && folder.join("thumb.jpg").is_file());
    assert!(std::fs::symlink_metadata(&search).unwrap().is_dir());
    assert!(indexed(&workspace) > 0);

    // A write into a linked folder is refused, naming it.
    std::fs::remove_dir_all(&folder).unwrap();
    symlink(&outside, &folder).unwrap();
    let error = disan::index::derivatives::create_store_folder(&folder).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "{} is not a folder Disan made (a symbolic link or a file), and Disan follows no link inside the index: run `disan reindex` to set it aside",
            folder.display()
        )
    );
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
}
