//! The browser tests (`tests/browser/`, Debian chromium driven by playwright-core, with axe-core)
//! against a real `disan serve` holding the sample collection.
//!
//! They need Node.js, chromium and `npm ci --prefix tests/browser`; without them this test says
//! so and passes, unless `DISAN_REQUIRE_BROWSER=1` (as in CI), when it fails.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::support::Workspace;

/// The password of the accounts the browser tests sign in with.
pub(crate) const BROWSER_PASSWORD: &str = "trống đồng Đọi Tam";

/// Kills the server when the test ends, however it ends.
pub(crate) struct Server(pub(crate) Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(crate) fn missing_tools(root: &Path) -> Vec<String> {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_string());
    let mut missing = Vec::new();
    if Command::new("node").arg("--version").output().is_err() {
        missing.push("node".to_string());
    }
    if !Path::new(&chromium).exists() {
        missing.push(chromium);
    }
    if !root
        .join("tests/browser/node_modules/playwright-core")
        .is_dir()
    {
        missing.push("tests/browser/node_modules (run: npm ci --prefix tests/browser)".to_string());
    }
    missing
}

/// Whether the browser tests are to be skipped here: node, chromium or
/// `tests/browser/node_modules` missing, said on stderr, unless `DISAN_REQUIRE_BROWSER=1`
/// (then a missing tool fails the test).
pub(crate) fn skipped(root: &Path) -> bool {
    let missing = missing_tools(root);
    let missing: Vec<&str> = missing.iter().map(String::as_str).collect();
    crate::tools::skip(
        &missing,
        "DISAN_REQUIRE_BROWSER",
        "apt-get install chromium; npm ci --prefix tests/browser",
    )
}

/// Starts `disan serve` over `workspace` on a free port, with the templates of `root`; returns
/// the server (stopped when dropped) and its URL without a trailing `/`.
pub(crate) fn serve(workspace: &Workspace, root: &Path) -> (Server, String) {
    let mut child = workspace
        .disan()
        .current_dir(root)
        .args(["serve", "--addr", "127.0.0.1:0", "--templates"])
        .arg(root.join("templates"))
        .stdout(Stdio::piped())
        .spawn()
        .expect("disan serve");
    let stdout = child.stdout.take().expect("stdout");
    let server = Server(child);
    let mut first_line = String::new();
    BufReader::new(stdout)
        .read_line(&mut first_line)
        .expect("the server's first line");
    let url = first_line
        .split_whitespace()
        .find(|word| word.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {first_line:?}"))
        .trim_end_matches('/')
        .to_string();
    (server, url)
}

/// Runs `node ARGS` in `tests/browser` with the variables `env`, prints its report (stdout then
/// stderr) and returns it; a failing run fails the test with the report.
pub(crate) fn node_tests(root: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let output = Command::new("node")
        .args(args)
        .current_dir(root.join("tests/browser"))
        .envs(env.iter().copied())
        .output()
        .expect("node --test");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    println!("{report}");
    assert!(output.status.success(), "browser tests failed:\n{report}");
    report
}

/// Adds account `login` with `role` by `disan user add`, its password [`BROWSER_PASSWORD`]; the
/// TOTP key (base32) the command printed, for an archivist or admin (whose first sign-in with a
/// code from it completes the enrolment).
pub(crate) fn add_user(workspace: &Workspace, login: &str, role: &str) -> Option<String> {
    let mut add = workspace
        .disan()
        .args(["user", "add", login, "--role", role, "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("disan user add");
    std::io::Write::write_all(&mut add.stdin.take().unwrap(), BROWSER_PASSWORD.as_bytes()).unwrap();
    let output = add.wait_with_output().unwrap();
    assert!(output.status.success(), "disan user add {login}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let uri = stdout.lines().find(|line| line.starts_with("otpauth://"))?;
    let start = uri.find("secret=").expect("a secret in the URI") + "secret=".len();
    Some(
        uri[start..]
            .split('&')
            .next()
            .unwrap_or_default()
            .to_string(),
    )
}

#[test]
fn pages_work_in_a_real_browser() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if skipped(root) {
        return;
    }
    let workspace = Workspace::new();
    let (code, report) = workspace.ingest(&root.join("sample/ha-nam"), &[]);
    assert_eq!(code, 0, "{report}");
    // A `researchers` film for tests/browser/media.test.mjs (sample material).
    let (code, report) = workspace.ingest(&workspace.batch("researchers-film"), &[]);
    assert_eq!(code, 0, "{report}");
    // Accounts for tests/browser/auth.test.mjs: two researchers (one plays the attacker who
    // plants their own session), and an archivist whose first
    // sign-in (with a code from the key `user add` printed) completes the enrolment.
    let mut archivist_secret = String::new();
    for (login, role) in [
        ("lan", "researcher"),
        ("mai", "researcher"),
        ("thu", "archivist"),
    ] {
        if let Some(secret) = add_user(&workspace, login, role) {
            archivist_secret = secret;
        }
    }
    assert!(
        !archivist_secret.is_empty(),
        "user add printed the archivist's key"
    );
    let (server, url) = serve(&workspace, root);
    node_tests(
        root,
        &["--test", "--test-concurrency=1", "--test-reporter=spec"],
        &[
            ("DISAN_URL", &url),
            ("DISAN_PASSWORD", BROWSER_PASSWORD),
            ("DISAN_TOTP_SECRET", &archivist_secret),
        ],
    );
    drop(server);
}

/// tests/browser/records.browser.mjs: an archivist corrects, restricts and restores a record of
/// the `valid` fixture in Chromium while a visitor watches in another context, and a researcher
/// reaches none of the workspace (issue 15).
#[test]
fn a_record_is_corrected_restricted_and_restored_in_a_real_browser() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if skipped(root) {
        return;
    }
    let workspace = Workspace::new();
    let (code, report) = workspace.ingest(&workspace.batch("valid"), &[]);
    assert_eq!(code, 0, "{report}");
    let secret = add_user(&workspace, "thu", "archivist").expect("user add printed the key");
    assert_eq!(add_user(&workspace, "lan", "researcher"), None);
    let (server, url) = serve(&workspace, root);
    node_tests(
        root,
        &["--test", "--test-reporter=spec", "records.browser.mjs"],
        &[
            ("DISAN_URL", &url),
            ("DISAN_PASSWORD", BROWSER_PASSWORD),
            ("DISAN_TOTP_SECRET", &secret),
        ],
    );
    drop(server);
}
