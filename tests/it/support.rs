//! Helpers shared by the integration tests: fixture batches copied to temporary folders and the
//! `disan` binary run against a temporary archive and index.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// A temporary workspace with its own archive and index folders.
pub struct Workspace {
    pub dir: tempfile::TempDir,
}

impl Workspace {
    pub fn new() -> Self {
        Workspace {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn archive(&self) -> PathBuf {
        self.dir.path().join("archive")
    }

    pub fn index(&self) -> PathBuf {
        self.dir.path().join("index")
    }

    /// Copies `tests/fixtures/batches/NAME` into the workspace and returns its path.
    pub fn batch(&self, name: &str) -> PathBuf {
        let source = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/batches")
            .join(name);
        let target = self.dir.path().join("batches").join(name);
        copy_dir(&source, &target);
        target
    }

    /// This workspace's accounts database (`--accounts`).
    pub fn accounts(&self) -> PathBuf {
        self.dir.path().join("accounts.sqlite")
    }

    /// A `disan` command with this workspace's archive and index.
    pub fn disan(&self) -> Command {
        self.disan_with_index(&self.index())
    }

    /// A `disan` command with this workspace's archive and the index folder `index`.
    pub fn disan_with_index(&self, index: &Path) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_disan"));
        command
            .arg("--archive")
            .arg(self.archive())
            .arg("--index")
            .arg(index)
            // `serve` opens the accounts database: keep it in the workspace, not the cwd.
            .arg("--accounts")
            .arg(self.accounts())
            .env_remove("DISAN_ARCHIVE")
            .env_remove("DISAN_INDEX")
            .env_remove("DISAN_ACCOUNTS");
        command
    }

    /// Creates the groups `ids` in this workspace's accounts database (creating it), as an admin
    /// does with `disan group add`; a group already there is kept.
    pub fn add_groups(&self, ids: &[&str]) {
        let accounts = disan::accounts::Accounts::open(&self.accounts()).expect("accounts");
        for id in ids {
            let group = disan::model::GroupId::parse(id).expect("group id");
            match accounts.add_group(&group, id, "test") {
                Ok(()) | Err(disan::accounts::AccountError::GroupTaken(_)) => {}
                Err(error) => panic!("group add {id}: {error}"),
            }
        }
    }

    /// Runs `disan ingest --json BATCH [extra…]` and returns the exit code and the report.
    ///
    /// The communities the fixtures and the sample name ([`FIXTURE_GROUPS`]) are created first,
    /// as an archive's admin would have: ingest refuses rows naming a group that does not exist
    /// (tests of that refusal run `disan ingest` themselves).
    pub fn ingest(&self, batch: &Path, extra: &[&str]) -> (i32, Value) {
        self.add_groups(FIXTURE_GROUPS);
        let output = self
            .disan()
            .arg("ingest")
            .arg("--json")
            .args(extra)
            .arg(batch)
            .output()
            .expect("run disan");
        let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
            panic!(
                "ingest printed no JSON ({error}); stderr: {}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
        (output.status.code().unwrap_or(-1), report)
    }

    /// Runs `disan ingest --json BATCH` and keeps this workspace with what the test reads back.
    pub fn ingested(self, batch: PathBuf) -> Ingested {
        let (code, report) = self.ingest(&batch, &[]);
        Ingested {
            workspace: self,
            batch,
            code,
            report,
        }
    }

    pub fn verify(&self) -> Output {
        self.disan()
            .arg("verify")
            .output()
            .expect("run disan verify")
    }
}

/// The communities the committed fixtures, the sample and the tests' own batches name
/// (`community:<id>`).
pub const FIXTURE_GROUPS: &[&str] = &["a", "b", "du-an-mau", "phuong-trong-mau"];

/// A workspace after one `disan ingest` ([`Workspace::ingested`]).
///
/// Dropping `workspace` deletes its folder, the batch included: a test that reads the batch or
/// the archive afterwards keeps it bound (`workspace: _workspace` at least), not left to `..`.
pub struct Ingested {
    pub workspace: Workspace,
    /// The batch ingested.
    pub batch: PathBuf,
    /// The exit code.
    pub code: i32,
    /// The JSON report.
    pub report: Value,
}

pub fn copy_dir(source: &Path, target: &Path) {
    std::fs::create_dir_all(target).unwrap();
    for entry in std::fs::read_dir(source).unwrap() {
        let entry = entry.unwrap();
        let to = target.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to);
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
}

/// The ids listed under `report[group][outcome]`, sorted.
pub fn ids(report: &Value, group: &str, outcome: &str) -> Vec<String> {
    let mut ids: Vec<String> = report[group][outcome]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

/// Every problem of the report as its one-line text (`error: file, row N, column C: message`).
pub fn problems(report: &Value) -> Vec<String> {
    report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let mut line = format!(
                "{}: {}",
                p["severity"].as_str().unwrap(),
                p["file"].as_str().unwrap()
            );
            if let Some(row) = p["row"].as_u64() {
                line.push_str(&format!(", row {row}"));
            }
            if let Some(column) = p["column"].as_str() {
                line.push_str(&format!(", column {column}"));
            }
            line.push_str(&format!(": {}", p["message"].as_str().unwrap()));
            line
        })
        .collect()
}

/// The record `id` as the archive of `workspace` holds it; panics when it is not there.
pub fn record(workspace: &Workspace, id: &str) -> disan::model::Record {
    disan::archive::Archive::open(&workspace.archive())
        .unwrap()
        .record(&disan::model::RecordId::parse(id).unwrap())
        .unwrap()
        .unwrap_or_else(|| panic!("record {id} is not in the archive"))
}

/// One plain HTTP/1.1 `GET path` over a fresh TCP connection to a running server, with extra
/// header lines (each ending in `\r\n`); the whole response, head and body, as sent. Reads
/// time out after 10 s.
pub fn raw_get(addr: std::net::SocketAddr, path: &str, headers: &str) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{headers}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    response
}

/// The password of the accounts the integration tests create.
pub const TEST_PASSWORD: &str = "trống đồng Đọi Tam";

/// An API token of a new account `login` with `role` and `groups` in `accounts` (password
/// [`TEST_PASSWORD`]). An account whose role needs a second factor
/// (`disan::accounts::totp::required_for`) sees nothing until enrolled, so it signs in once
/// with a code from its issued secret, which completes the enrolment.
pub fn token_of(
    accounts: &disan::accounts::Accounts,
    login: &str,
    role: disan::model::Role,
    groups: &[disan::model::GroupId],
) -> String {
    use disan::accounts::{Clock, SystemClock, totp};
    let user = accounts
        .add_user(login, role, TEST_PASSWORD, groups, "test")
        .unwrap();
    if totp::required_for(role) {
        let secret = accounts
            .find_user(login)
            .unwrap()
            .unwrap()
            .totp_secret
            .unwrap();
        let code = totp::code_at(&secret, SystemClock.now()).unwrap();
        accounts
            .authenticate(login, TEST_PASSWORD, Some(&code), "192.0.2.250")
            .unwrap();
    }
    accounts.create_api_token(user.id, "test").unwrap()
}

/// The site over `workspace` (the repository's templates) signing in against `accounts`, with
/// sessions of 30 minutes idle and 12 hours at most, cookies marked `Secure`, and
/// `X-Forwarded-For` not trusted.
pub fn site_with(
    workspace: &Workspace,
    accounts: disan::accounts::Accounts,
) -> std::sync::Arc<disan::web::Site> {
    let sessions = disan::accounts::sessions::SessionConfig::new(
        std::time::Duration::from_secs(1800),
        std::time::Duration::from_secs(43200),
        true,
    )
    .unwrap();
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let site = disan::web::Site::open(&workspace.archive(), &workspace.index(), Some(templates))
        .unwrap()
        .with_accounts(disan::web::auth::Auth {
            accounts,
            sessions,
            trust_forwarded_for: false,
        });
    std::sync::Arc::new(site)
}
