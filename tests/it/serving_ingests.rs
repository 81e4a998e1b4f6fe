//! Ingesting while `disan serve` runs (issue 13, break-13 F12): a server never undoes what an
//! ingest committed, whichever index that ingest wrote, and never shows what an ingest hid.
//! A real `disan serve` on a socket, real `disan ingest` runs beside it.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};

use disan::accounts::Accounts;
use disan::archive::Archive;
use disan::index::IndexDir;
use disan::index::sync::{ArchiveState, IndexState};
use disan::model::{GroupId, Role};

use crate::support::{Workspace, raw_get};

/// A running `disan serve`, stopped (by its own pid) when dropped.
struct Server {
    child: Child,
    addr: std::net::SocketAddr,
}

impl Server {
    fn start(workspace: &Workspace) -> Self {
        let mut child = workspace
            .disan()
            .args(["serve", "--addr", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("disan serve");
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        let url = first
            .split_whitespace()
            .find(|word| word.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {first:?}"));
        let addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .unwrap();
        Server { child, addr }
    }

    /// The status of `GET path` with the bearer `token` (anonymous when `None`).
    fn status(&self, path: &str, token: Option<&str>) -> u16 {
        let headers = token
            .map(|token| format!("Authorization: Bearer {token}\r\n"))
            .unwrap_or_default();
        let answer = raw_get(self.addr, path, &headers);
        let text = String::from_utf8_lossy(&answer);
        text.split_whitespace().nth(1).unwrap().parse().unwrap()
    }

    /// The body of `GET path`, anonymous.
    fn body(&self, path: &str) -> String {
        let answer = String::from_utf8_lossy(&raw_get(self.addr, path, "")).into_owned();
        answer
            .split_once("\r\n\r\n")
            .map(|(_, body)| body.to_string())
            .unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A batch of text records: `(id, title word, access, files_access)`.
fn batch(dir: &Path, rows: &[(&str, &str, &str, &str)]) -> PathBuf {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir.join("objects")).unwrap();
    std::fs::create_dir_all(dir.join("metadata")).unwrap();
    let mut csv = String::from("filename,dc.identifier,dc.title,access,files_access\n");
    for (id, word, access, files) in rows {
        std::fs::write(dir.join(format!("objects/{id}.txt")), format!("{id}\n")).unwrap();
        csv.push_str(&format!(
            "objects/{id}.txt,{id},Ảnh {word},{access},{files}\n"
        ));
    }
    std::fs::write(dir.join("metadata/metadata.csv"), csv).unwrap();
    dir.to_path_buf()
}

/// Runs `disan ingest` through `index` (the workspace's own when `None`), killed at
/// `crash_at` when given.
fn ingest(workspace: &Workspace, index: Option<&Path>, batch: &Path, crash_at: Option<&str>) {
    let mut command = match index {
        Some(index) => workspace.disan_with_index(index),
        None => workspace.disan(),
    };
    command.arg("ingest").arg(batch);
    match crash_at {
        Some(point) => command.env("DISAN_CRASH_AT", point),
        None => command.env_remove("DISAN_CRASH_AT"),
    };
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    match crash_at {
        Some(_) => assert_eq!(output.status.code(), None, "not killed: {stderr}"),
        None => assert_eq!(output.status.code(), Some(0), "ingest failed: {stderr}"),
    }
}

/// An API token of a new account with `role` and `groups` (a second factor enrolled when the
/// role needs one).
fn token(workspace: &Workspace, login: &str, role: Role, groups: &[&str]) -> String {
    let accounts = Accounts::open(&workspace.accounts()).unwrap();
    let groups: Vec<GroupId> = groups.iter().map(|g| GroupId::parse(g).unwrap()).collect();
    crate::support::token_of(&accounts, login, role, &groups)
}

/// What the index under `index` says it reflects, and the archive's fingerprint now.
fn index_state(workspace: &Workspace, index: &Path) -> (IndexState, String) {
    let archive = Archive::open(&workspace.archive()).unwrap();
    let (state, _) = ArchiveState::read(&archive).unwrap();
    let search = IndexDir::new(index).search().unwrap();
    (search.state().unwrap(), state.fingerprint())
}

/// The line `disan verify` prints about the index (it reconciles one left behind).
fn verify_says(workspace: &Workspace, index: &Path) -> String {
    let output = workspace
        .disan_with_index(index)
        .arg("verify")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    text.lines()
        .find(|line| line.starts_with("search index:"))
        .unwrap_or_default()
        .to_string()
}

fn first_batch(workspace: &Workspace) -> PathBuf {
    batch(
        &workspace.dir.path().join("first"),
        &[
            ("anh-a", "kolamuka", "public", ""),
            ("tep-a", "komacapaq", "public", "community:a"),
            ("khac", "zirbelnuss", "public", ""),
        ],
    )
}

/// anh-a becomes restricted; tep-a keeps its public description, its files move from
/// community a to community b; khac is left out.
fn narrowing_batch(workspace: &Workspace) -> PathBuf {
    batch(
        &workspace.dir.path().join("narrowing"),
        &[
            ("anh-a", "kolamuka", "restricted", ""),
            ("tep-a", "komacapaq", "public", "community:b"),
        ],
    )
}

/// Regression (break-13 F12): an ingest through the very index a running server reads, narrowing
/// one record's access and another's files: afterwards every audience sees what the archive
/// allows (the public description stays listed, the restricted record stays with archivists),
/// nothing the server did leaves the index behind, and no restart reports an interrupted ingest.
#[test]
fn an_ingest_through_the_served_index_is_not_undone_by_the_server() {
    let workspace = Workspace::new();
    workspace.add_groups(&["a", "b"]);
    ingest(&workspace, None, &first_batch(&workspace), None);
    let archivist = token(&workspace, "arch", Role::Archivist, &[]);
    let member_b = token(&workspace, "mb", Role::Researcher, &["b"]);
    let server = Server::start(&workspace);
    assert_eq!(server.status("/records/tep-a", None), 200);
    assert_eq!(server.status("/records/anh-a", None), 200);

    ingest(&workspace, None, &narrowing_batch(&workspace), None);
    for _ in 0..3 {
        assert_eq!(
            server.status("/records/tep-a", None),
            200,
            "public description"
        );
        assert!(
            server
                .body("/api/search?q=komacapaq")
                .contains("\"total\":1"),
            "{}",
            server.body("/api/search?q=komacapaq")
        );
        assert_eq!(server.status("/records/anh-a", None), 404);
        assert_eq!(server.status("/records/anh-a", Some(&archivist)), 200);
        assert_eq!(server.status("/records/tep-a", Some(&archivist)), 200);
        assert_eq!(server.status("/records/tep-a", Some(&member_b)), 200);
        assert_eq!(server.status("/records/anh-a", Some(&member_b)), 404);
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    let (state, fingerprint) = index_state(&workspace, &workspace.index());
    assert_eq!(state, IndexState::Reflects(fingerprint));
    drop(server);
    assert_eq!(
        verify_says(&workspace, &workspace.index()),
        "search index: up to date with the archive"
    );
}

/// The other order (break-13 F12): the server learns of the hiding while the ingest is under
/// way (here: killed right after announcing it), so it hides at once; the ingest run again
/// then publishes what it may, and the server does not take it back.
#[test]
fn a_server_that_hid_during_an_ingest_shows_what_the_ingest_then_commits() {
    let workspace = Workspace::new();
    workspace.add_groups(&["a", "b"]);
    ingest(&workspace, None, &first_batch(&workspace), None);
    let archivist = token(&workspace, "arch", Role::Archivist, &[]);
    let server = Server::start(&workspace);
    assert_eq!(server.status("/records/anh-a", None), 200);
    let narrowing = narrowing_batch(&workspace);
    ingest(&workspace, None, &narrowing, Some("after-hide-notice"));
    // Hidden first, before the archive changes: less is shown, never more.
    assert_eq!(server.status("/records/anh-a", None), 404);
    assert_eq!(server.status("/records/tep-a", None), 404);
    ingest(&workspace, None, &narrowing, None);
    for _ in 0..3 {
        assert_eq!(server.status("/records/anh-a", None), 404);
        assert_eq!(server.status("/records/tep-a", None), 200);
        assert_eq!(server.status("/records/anh-a", Some(&archivist)), 200);
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    let (state, fingerprint) = index_state(&workspace, &workspace.index());
    assert_eq!(state, IndexState::Reflects(fingerprint));
}

/// A server reading another index than two ingests in a row (with no request between them)
/// hides the records of both, marks its index as behind for the right reason, and a restart
/// brings it up to date without ever showing them.
#[test]
fn a_server_on_another_index_hides_what_every_ingest_since_its_last_request_hid() {
    let workspace = Workspace::new();
    workspace.add_groups(&["a", "b"]);
    ingest(&workspace, None, &first_batch(&workspace), None);
    let archivist = token(&workspace, "arch", Role::Archivist, &[]);
    let server = Server::start(&workspace);
    assert_eq!(server.status("/records/khac", None), 200);
    assert_eq!(server.status("/records/anh-a", None), 200);
    let other = workspace.dir.path().join("other-index");
    let one = batch(
        &workspace.dir.path().join("one"),
        &[("khac", "zirbelnuss", "restricted", "")],
    );
    let two = batch(
        &workspace.dir.path().join("two"),
        &[("anh-a", "kolamuka", "restricted", "")],
    );
    ingest(&workspace, Some(&other), &one, None);
    ingest(&workspace, Some(&other), &two, None);
    assert_eq!(server.status("/records/khac", None), 404);
    assert_eq!(server.status("/records/anh-a", None), 404);
    assert!(
        server
            .body("/api/search?q=zirbelnuss")
            .contains("\"total\":0")
    );
    assert_eq!(server.status("/records/tep-a", None), 200);
    let (state, _) = index_state(&workspace, &workspace.index());
    assert_eq!(state, IndexState::Withdrawn);
    // Archivists too lose them from this index until it is brought up to date (shown less,
    // never more), which a restart does.
    assert_eq!(server.status("/records/khac", Some(&archivist)), 404);
    drop(server);
    let restarted = Server::start(&workspace);
    assert_eq!(restarted.status("/records/khac", None), 404);
    assert_eq!(restarted.status("/records/anh-a", None), 404);
    assert_eq!(restarted.status("/records/khac", Some(&archivist)), 200);
    assert_eq!(restarted.status("/records/tep-a", None), 200);
    let (state, fingerprint) = index_state(&workspace, &workspace.index());
    assert_eq!(state, IndexState::Reflects(fingerprint));
}

/// Issue 13's R5: a title-only re-ingest through another index of a public record whose files
/// are reserved (its access and files rule unchanged) is not announced as hidden, so a server
/// on the first index keeps showing its public description; a record the same batch narrows is
/// still hidden at once.
#[test]
fn a_server_on_another_index_keeps_a_record_whose_rules_did_not_change() {
    let workspace = Workspace::new();
    workspace.add_groups(&["a", "b"]);
    ingest(&workspace, None, &first_batch(&workspace), None);
    let server = Server::start(&workspace);
    assert_eq!(server.status("/records/tep-a", None), 200);
    let other = workspace.dir.path().join("other-index");
    let retitled = batch(
        &workspace.dir.path().join("retitled"),
        &[
            ("tep-a", "komacapaq sua", "public", "community:a"),
            ("khac", "zirbelnuss", "restricted", ""),
        ],
    );
    ingest(&workspace, Some(&other), &retitled, None);
    for _ in 0..3 {
        assert_eq!(
            server.status("/records/tep-a", None),
            200,
            "rules unchanged"
        );
        assert_eq!(server.status("/records/khac", None), 404, "narrowed");
        std::thread::sleep(std::time::Duration::from_millis(300));
    }
    let notice = std::fs::read_to_string(
        workspace
            .archive()
            .join(disan::index::hiding::DIR)
            .join(disan::index::hiding::FILE),
    )
    .unwrap();
    assert!(notice.contains("khac\t"), "{notice}");
    assert!(!notice.contains("tep-a"), "{notice}");
}
