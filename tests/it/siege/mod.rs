//! Issue 11, "the index is disposable" and "the site holds under abuse": a damaged, missing or
//! read-only index, a full index disk, slow and idle sockets, absurd query words. Each test is
//! named after the case in `../shared/cases/` it pins, and runs the real binary or a real socket.
//!
//! One module per kind of abuse: the index damaged under or before the server (`damaged`), an
//! index on read-only or full disks (`disks`), sockets held open or never read (`sockets`), and
//! queries and addresses no visitor should type (`queries`). This file holds what they share:
//! an ingested workspace, `disan serve` on a free port, and one request over a fresh connection.

use std::io::Read;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use disan::index::IndexDir;
use disan::index::search::SearchQuery;

use crate::support::Workspace;

mod damaged;
mod disks;
mod queries;
mod sockets;

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

fn run(command: &mut Command) -> (i32, String, String) {
    let output = command.output().expect("run disan");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
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
    let mut command = workspace.disan_with_index(index);
    command.envs(env.iter().copied());
    start(command)
}

/// Starts `command` (a `disan` command, or one that runs it) as `serve` on a free port; returns
/// the child and its address.
fn start(mut command: Command) -> (Child, SocketAddr) {
    let mut child = command
        .args(["serve", "--addr", "127.0.0.1:0"])
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
        .unwrap_or_else(|| panic!("serve did not start: {line} {}", stderr_of(&mut child)))
        .parse()
        .unwrap();
    (child, addr)
}

/// One request over a fresh connection: status code and body.
fn fetch(addr: SocketAddr, path: &str) -> (u16, String) {
    let text = String::from_utf8_lossy(&crate::support::raw_get(addr, path, "")).into_owned();
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

/// The URL of the first file of the public record `id`, as the API of the site at `addr` gives it.
fn original_url(addr: SocketAddr, id: &str) -> String {
    let (_, record) = fetch(addr, &format!("/api/records/{id}"));
    let record: serde_json::Value = serde_json::from_str(&record).unwrap();
    record["files"][0]["url"].as_str().unwrap().to_string()
}

/// The standard error of a server, once stopped.
fn stopped(mut child: Child) -> String {
    assert!(child.try_wait().unwrap().is_none(), "the server died");
    child.kill().unwrap();
    child.wait().unwrap();
    stderr_of(&mut child)
}

/// All a child started with a piped standard error writes there, until it closes it.
fn stderr_of(child: &mut Child) -> String {
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    stderr
}
