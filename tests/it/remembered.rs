//! A running server remembers who a token or session is between requests (issue 13's request
//! rate), and must still obey every change the moment it is committed: here the changes come
//! from the `disan user` / `disan group` commands, another process, while `disan serve` runs
//! and has just answered the same credential from memory.

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

use crate::support::{Workspace, raw_get};

/// Kills the server when the test ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

const PASSWORD: &str = "trống đồng Đọi Tam";

fn run(command: &mut Command, input: Option<&str>) -> String {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("disan");
    if let Some(input) = input {
        writeln!(child.stdin.take().unwrap(), "{input}").unwrap();
    }
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).to_string()
}

fn serve(workspace: &Workspace) -> (Server, SocketAddr) {
    let mut child = workspace
        .disan()
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("disan serve");
    let stdout = child.stdout.take().expect("stdout");
    let server = Server(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let addr = line
        .split_whitespace()
        .find_map(|word| word.strip_prefix("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .trim_end_matches('/')
        .parse()
        .unwrap();
    (server, addr)
}

/// The status code of `GET path` sent with `token`.
fn status(addr: SocketAddr, path: &str, token: &str) -> u16 {
    let response = raw_get(addr, path, &format!("Authorization: Bearer {token}\r\n"));
    String::from_utf8_lossy(&response[..12])[9..12]
        .parse()
        .unwrap()
}

fn token(workspace: &Workspace, login: &str) -> String {
    let printed = run(workspace.disan().args(["user", "token", login]), None);
    printed.split_whitespace().next().unwrap().to_string()
}

#[test]
fn changes_made_by_the_command_line_hold_from_the_next_request_of_a_running_server() {
    let workspace = Workspace::new();
    let (code, report) = workspace.ingest(&workspace.batch("community-files"), &[]);
    assert_eq!(code, 0, "{report}");
    for (login, groups) in [
        ("thanh", vec!["--group", "phuong-trong-mau"]),
        ("mai", vec![]),
    ] {
        let mut command = workspace.disan();
        command
            .args([
                "user",
                "add",
                login,
                "--role",
                "researcher",
                "--password-stdin",
            ])
            .args(groups);
        run(&mut command, Some(PASSWORD));
    }
    let (member, researcher) = (token(&workspace, "thanh"), token(&workspace, "mai"));
    let (_server, addr) = serve(&workspace);
    // Several requests each: the first marks the token used (a write), the later ones are
    // answered from memory.
    for _ in 0..3 {
        assert_eq!(status(addr, "/api/records/phuong", &member), 200);
        assert_eq!(status(addr, "/records/nghien-cuu", &researcher), 200);
    }

    // A membership ended by the command: the community's record is gone at once.
    run(
        workspace
            .disan()
            .args(["group", "remove-member", "phuong-trong-mau", "thanh"]),
        None,
    );
    assert_eq!(status(addr, "/api/records/phuong", &member), 404);
    assert_eq!(status(addr, "/api/records/nghien-cuu", &member), 200);

    // A disabled account: its token is refused at once.
    run(workspace.disan().args(["user", "disable", "mai"]), None);
    assert_eq!(status(addr, "/records/nghien-cuu", &researcher), 401);
    // Enabled again: the old token stays revoked.
    run(workspace.disan().args(["user", "enable", "mai"]), None);
    assert_eq!(status(addr, "/records/nghien-cuu", &researcher), 401);
    let fresh = token(&workspace, "mai");
    for _ in 0..3 {
        assert_eq!(status(addr, "/records/nghien-cuu", &fresh), 200);
    }
}
