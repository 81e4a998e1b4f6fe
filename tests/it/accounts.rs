//! `disan user …` and `disan group …`: the real binary against a temporary accounts database.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use disan::accounts::{Accounts, totp};
use disan::model::Role;
use disan::model::access::Viewer;

const PASSWORD: &str = "trống đồng Đọi Tam";

struct Db {
    dir: tempfile::TempDir,
}

impl Db {
    fn new() -> Self {
        Db {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn path(&self) -> PathBuf {
        self.dir.path().join("accounts.sqlite")
    }

    fn disan(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_disan"));
        command
            .current_dir(self.dir.path())
            .arg("--accounts")
            .arg(self.path())
            .args(args)
            .env_remove("DISAN_ACCOUNTS")
            .env_remove("DISAN_ACCOUNTS_KEY");
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.disan(args)
            .stdin(Stdio::null())
            .output()
            .expect("run disan")
    }

    /// `disan user add LOGIN --role ROLE [extra…] --password-stdin` with [`PASSWORD`] typed in.
    fn add_user(&self, login: &str, role: &str, extra: &[&str]) -> Output {
        let mut args = vec!["user", "add", login, "--role", role];
        args.extend_from_slice(extra);
        args.push("--password-stdin");
        self.run_with_stdin(&args, &format!("{PASSWORD}\n"))
    }

    fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = self
            .disan(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run disan");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    fn open(&self) -> Accounts {
        Accounts::open(&self.path()).unwrap()
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn assert_status(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        text(&output.stdout),
        text(&output.stderr)
    );
}

#[test]
fn a_researcher_added_on_the_command_line_can_sign_in() {
    let db = Db::new();
    let output = db.run(&[
        "group",
        "add",
        "phuong-trong",
        "--name",
        "Phường trống Đọi Tam",
    ]);
    assert_status(&output, 0);
    let output = db.run_with_stdin(
        &[
            "user",
            "add",
            "Lan",
            "--role",
            "researcher",
            "--group",
            "phuong-trong",
            "--password-stdin",
        ],
        &format!("{PASSWORD}\r\n"),
    );
    assert_status(&output, 0);
    assert_eq!(
        text(&output.stdout),
        "Created the researcher account 'Lan'.\n"
    );
    // The database was created private, where --accounts said.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(db.path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let accounts = db.open();
    // The line ending is not part of the password; the login is any case.
    let user = accounts
        .authenticate("lan", PASSWORD, None, "127.0.0.1")
        .unwrap();
    let Viewer::Account { role, groups } = accounts.viewer(user).unwrap() else {
        panic!("an enabled account is not anonymous");
    };
    assert_eq!(role, Role::Researcher);
    assert_eq!(
        groups.iter().map(|g| g.as_str()).collect::<Vec<_>>(),
        ["phuong-trong"]
    );
}

#[test]
fn an_archivist_gets_a_totp_uri_and_needs_the_code() {
    let db = Db::new();
    let output = db.add_user("thu", "archivist", &[]);
    assert_status(&output, 0);
    let stdout = text(&output.stdout);
    let uri = stdout
        .lines()
        .find(|line| line.starts_with("otpauth://totp/Disan:thu?secret="))
        .unwrap_or_else(|| panic!("no otpauth URI in: {stdout}"));
    assert!(
        uri.ends_with("&issuer=Disan&algorithm=SHA1&digits=6&period=30"),
        "{uri}"
    );
    let accounts = db.open();
    assert!(accounts.authenticate("thu", PASSWORD, None, "a").is_err());
    let secret = accounts
        .find_user("thu")
        .unwrap()
        .unwrap()
        .totp_secret
        .unwrap();
    // The URI carries the stored secret.
    assert!(uri.contains(&format!("secret={}&", totp::base32_encode(&secret))));
    let code = totp::code_at(&secret, accounts.now()).unwrap();
    assert!(
        accounts
            .authenticate("thu", PASSWORD, Some(&code), "a")
            .is_ok()
    );
}

#[test]
fn weak_passwords_and_bad_input_are_refused_with_status_2_naming_the_field() {
    let db = Db::new();
    let cases: [(&[&str], &str, &str); 7] = [
        (
            &[
                "user",
                "add",
                "lan",
                "--role",
                "researcher",
                "--password-stdin",
            ],
            "short\n",
            "disan user add: password: too short: 5 characters; use at least 8 (a few words make a good one)\n",
        ),
        (
            &[
                "user",
                "add",
                "lan",
                "--role",
                "researcher",
                "--password-stdin",
            ],
            "Password1\n",
            "disan user add: password: it is one of the 10,000 most common passwords; choose one nobody else uses\n",
        ),
        (
            &[
                "user",
                "add",
                "lan anh",
                "--role",
                "researcher",
                "--password-stdin",
            ],
            &format!("{PASSWORD}\n"),
            "disan user add: login: ' ' is not allowed; use letters, digits, '.', '_', '-' and '@'\n",
        ),
        // Finding R8: a Cyrillic "а" (U+0430) among Latin letters reads as "arch".
        (
            &[
                "user",
                "add",
                "\u{430}rch",
                "--role",
                "researcher",
                "--password-stdin",
            ],
            &format!("{PASSWORD}\n"),
            "disan user add: login: it mixes Cyrillic and Latin letters, which look alike; use the letters of one script\n",
        ),
        (
            &[
                "user",
                "add",
                "lan",
                "--role",
                "researcher",
                "--group",
                "nhom-la",
                "--password-stdin",
            ],
            &format!("{PASSWORD}\n"),
            "disan user add: group: no group has the id 'nhom-la'; `disan group add` creates it\n",
        ),
        (
            &["user", "disable", "nobody"],
            "",
            "disan user disable: login: no account is named 'nobody'\n",
        ),
        (
            &["user", "token", "nobody"],
            "",
            "disan user token: login: no account is named 'nobody'\n",
        ),
    ];
    for (args, stdin, stderr) in cases {
        let output = db.run_with_stdin(args, stdin);
        assert_status(&output, 2);
        assert_eq!(text(&output.stderr), stderr, "{args:?}");
    }
    // A role that does not exist is a usage error too, naming the choices.
    let output = db.run(&[
        "user",
        "add",
        "lan",
        "--role",
        "curator",
        "--password-stdin",
    ]);
    assert_status(&output, 2);
    assert!(
        text(&output.stderr)
            .contains("'curator' is not a role; use one of: researcher, archivist, admin"),
        "{}",
        text(&output.stderr)
    );
    // Nothing was created by the refused commands.
    assert!(db.open().user_summaries().unwrap().is_empty());
}

#[test]
fn a_login_taken_in_another_case_is_refused() {
    let db = Db::new();
    let add = |login: &str| db.add_user(login, "researcher", &[]);
    assert_status(&add("Lan"), 0);
    let output = add("LAN");
    assert_status(&output, 2);
    assert_eq!(
        text(&output.stderr),
        "disan user add: login: an account named 'LAN' already exists\n"
    );
    let output = db.run(&["group", "add", "Bad Id", "--name", "x"]);
    assert_status(&output, 2);
    let output = db.run(&["group", "add", "phuong-trong", "--name", "Phường trống"]);
    assert_status(&output, 0);
    let output = db.run(&["group", "add", "phuong-trong", "--name", "again"]);
    assert_status(&output, 2);
    assert_eq!(
        text(&output.stderr),
        "disan group add: group: a group with the id 'phuong-trong' already exists\n"
    );
}

#[test]
fn tokens_are_printed_once_and_disabling_revokes_them() {
    let db = Db::new();
    let output = db.add_user("lan", "researcher", &[]);
    assert_status(&output, 0);
    let output = db.run(&["user", "token", "LAN", "--label", "harvester"]);
    assert_status(&output, 0);
    let token = text(&output.stdout).trim().to_string();
    assert!(token.starts_with("disan_") && token.len() == 49, "{token}");
    let accounts = db.open();
    assert_eq!(
        accounts.token_viewer(&token).unwrap().role(),
        Some(Role::Researcher)
    );
    let user = accounts.find_user("lan").unwrap().unwrap().id;
    assert_eq!(accounts.api_tokens(user).unwrap()[0].label, "harvester");
    let output = db.run(&["user", "disable", "lan"]);
    assert_status(&output, 0);
    assert_eq!(accounts.token_viewer(&token).unwrap(), Viewer::Anonymous);
    assert!(accounts.authenticate("lan", PASSWORD, None, "a").is_err());
    // A disabled account gets no new token.
    assert_status(&db.run(&["user", "token", "lan"]), 2);
}

/// Issue 13's R14 on the command line: `user role` (sessions and tokens end; a role needing a
/// second factor prints its new key), `user tokens` and `user revoke-token` (one token by its
/// number), `user sign-out` (every session and token).
#[test]
fn roles_change_and_tokens_are_listed_and_revoked_one_by_one() {
    let db = Db::new();
    assert_status(&db.add_user("lan", "researcher", &[]), 0);
    let make = |label: &str| {
        let output = db.run(&["user", "token", "lan", "--label", label]);
        assert_status(&output, 0);
        text(&output.stdout).trim().to_string()
    };
    let (first, second) = (make("harvester"), make("backup <script>"));
    let listed = db.run(&["user", "tokens", "lan"]);
    assert_status(&listed, 0);
    let listing = text(&listed.stdout);
    let lines: Vec<&str> = listing.lines().collect();
    assert!(lines[0].starts_with("NUMBER  LABEL"), "{listing}");
    assert!(lines[1].starts_with("1       harvester"), "{listing}");
    assert!(lines[2].starts_with("2       backup <script>"), "{listing}");
    assert!(!listing.contains("disan_"), "never the tokens: {listing}");
    assert_status(&db.run(&["user", "revoke-token", "lan", "1"]), 0);
    let accounts = db.open();
    assert_eq!(accounts.token_viewer(&first).unwrap(), Viewer::Anonymous);
    assert_eq!(
        accounts.token_viewer(&second).unwrap().role(),
        Some(Role::Researcher)
    );
    let again = db.run(&["user", "revoke-token", "lan", "1"]);
    assert_status(&again, 2);
    assert!(text(&again.stderr).contains("token: not found for this account"));
    let promoted = db.run(&["user", "role", "lan", "archivist"]);
    assert_status(&promoted, 0);
    let out = text(&promoted.stdout);
    assert!(
        out.starts_with(
            "'lan' now has the role archivist; 0 session(s) ended, 1 API token(s) revoked."
        ),
        "{out}"
    );
    let secret = accounts
        .find_user("lan")
        .unwrap()
        .unwrap()
        .totp_secret
        .unwrap();
    assert!(
        out.contains(&format!(
            "otpauth://totp/Disan:lan?secret={}&",
            totp::base32_encode(&secret)
        )),
        "{out}"
    );
    assert_eq!(accounts.token_viewer(&second).unwrap(), Viewer::Anonymous);
    assert!(accounts.authenticate("lan", PASSWORD, None, "a").is_err());
    let code = totp::code_at(&secret, accounts.now()).unwrap();
    assert!(
        accounts
            .authenticate("lan", PASSWORD, Some(&code), "a")
            .is_ok()
    );
    let same = db.run(&["user", "role", "lan", "archivist"]);
    assert_status(&same, 2);
    assert!(text(&same.stderr).contains("role: the account has the role archivist already"));
    assert_status(&db.run(&["user", "role", "lan", "curator"]), 2);
    // Demoted, the enrolled key stays; sign-out ends what is left.
    assert_status(&db.run(&["user", "role", "lan", "researcher"]), 0);
    assert!(accounts.find_user("lan").unwrap().unwrap().totp_enrolled);
    let third = make("later");
    let out = db.run(&["user", "sign-out", "lan"]);
    assert_status(&out, 0);
    assert!(text(&out.stdout).contains("0 session(s) ended, 1 API token(s) revoked"));
    assert_eq!(accounts.token_viewer(&third).unwrap(), Viewer::Anonymous);
}

#[test]
fn user_list_shows_every_account_and_no_secret() {
    let db = Db::new();
    assert_status(
        &db.run(&["group", "add", "phuong-trong", "--name", "Phường trống"]),
        0,
    );
    assert_status(
        &db.run(&["group", "add", "du-an-2025", "--name", "Dự án 2025"]),
        0,
    );
    for (login, role, groups) in [
        ("root", "admin", vec![]),
        (
            "Lan",
            "researcher",
            vec!["--group", "phuong-trong", "--group", "du-an-2025"],
        ),
        ("minh", "researcher", vec![]),
    ] {
        assert_status(&db.add_user(login, role, &groups), 0);
    }
    assert_status(&db.run(&["user", "disable", "minh"]), 0);
    let output = db.run(&["user", "list"]);
    assert_status(&output, 0);
    assert_eq!(
        text(&output.stdout),
        "LOGIN  ROLE        GROUPS                   DISABLED  TOTP  SESSIONS\n\
         Lan    researcher  du-an-2025,phuong-trong  no        no    0\n\
         minh   researcher  -                        yes       no    0\n\
         root   admin       -                        no        no    0\n"
    );
    let output = db.run(&["group", "list"]);
    assert_status(&output, 0);
    assert_eq!(
        text(&output.stdout),
        "ID            NAME          MEMBERS\n\
         du-an-2025    Dự án 2025    1\n\
         phuong-trong  Phường trống  1\n"
    );
}

#[test]
fn the_default_database_is_beside_archive_and_index() {
    let db = Db::new();
    let mut command = Command::new(env!("CARGO_BIN_EXE_disan"));
    let output = command
        .current_dir(db.dir.path())
        .args(["group", "add", "phuong-trong", "--name", "Phường trống"])
        .env_remove("DISAN_ACCOUNTS")
        .output()
        .unwrap();
    assert_status(&output, 0);
    assert!(Path::new(&db.dir.path().join("accounts.sqlite")).is_file());
    assert!(!db.dir.path().join("archive").exists());
    // DISAN_ACCOUNTS moves it.
    let elsewhere = db.dir.path().join("private").join("a.sqlite");
    std::fs::create_dir(db.dir.path().join("private")).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_disan"))
        .current_dir(db.dir.path())
        .args(["group", "add", "du-an-2025", "--name", "Dự án 2025"])
        .env("DISAN_ACCOUNTS", &elsewhere)
        .output()
        .unwrap();
    assert_status(&output, 0);
    assert!(elsewhere.is_file());
}

/// The session layer wired as the login pages will be (GET form with its anti-forgery token,
/// POST sign-in, a page answering for the viewer, POST sign-out), driven through axum: the
/// cookie's attributes, CSRF refusals and a fixed session id are checked on real HTTP messages.
mod through_the_layer {
    use std::collections::HashMap;

    use axum::Router;
    use axum::body::Body;
    use axum::extract::{Form, State};
    use axum::http::{Request, StatusCode, header};
    use axum::routing::get;
    use disan::accounts::Accounts;
    use disan::accounts::sessions::{self, SessionConfig};
    use tower::ServiceExt;
    use tower_sessions::Session;

    use super::{Db, PASSWORD};
    use disan::model::Role;

    type Fields = Form<HashMap<String, String>>;

    async fn form(session: Session, State(accounts): State<Accounts>) -> String {
        sessions::csrf_token(&session, &accounts).await.unwrap()
    }

    async fn sign_in(
        session: Session,
        State(accounts): State<Accounts>,
        Form(fields): Fields,
    ) -> StatusCode {
        let token = fields.get("csrf").map_or("", String::as_str);
        if !sessions::check_csrf(&session, token).await.unwrap() {
            return StatusCode::FORBIDDEN;
        }
        let (login, password) = (fields["login"].clone(), fields["password"].clone());
        let checking = accounts.clone();
        let outcome = tokio::task::spawn_blocking(move || {
            checking.sign_in_check(&login, &password, None, "127.0.0.1", None)
        })
        .await
        .unwrap();
        match outcome {
            Ok(signed) => {
                sessions::sign_in(
                    &session,
                    &accounts,
                    signed.user,
                    signed.epoch,
                    Some("127.0.0.1"),
                    Some("test"),
                )
                .await
                .unwrap();
                StatusCode::SEE_OTHER
            }
            Err(_) => StatusCode::UNAUTHORIZED,
        }
    }

    async fn me(session: Session, State(accounts): State<Accounts>) -> String {
        let viewer = sessions::viewer(&session, &accounts).await.unwrap();
        format!("{:?}", viewer.role())
    }

    async fn sign_out(session: Session, Form(fields): Fields) -> StatusCode {
        let token = fields.get("csrf").map_or("", String::as_str);
        if !sessions::check_csrf(&session, token).await.unwrap() {
            return StatusCode::FORBIDDEN;
        }
        sessions::sign_out(&session).await.unwrap();
        StatusCode::SEE_OTHER
    }

    fn router(accounts: &Accounts, config: &SessionConfig) -> Router {
        Router::new()
            .route("/login", get(form).post(sign_in))
            .route("/me", get(me))
            .route("/logout", axum::routing::post(sign_out))
            .layer(sessions::layer(accounts, config))
            .with_state(accounts.clone())
    }

    struct Answer {
        status: StatusCode,
        cookie: Option<String>,
        body: String,
    }

    async fn send(
        router: &Router,
        method: &str,
        uri: &str,
        cookie: Option<&str>,
        body: &str,
    ) -> Answer {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        if method == "POST" {
            request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        }
        let response = router
            .clone()
            .oneshot(request.body(Body::from(body.to_string())).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let cookie = response
            .headers()
            .get(header::SET_COOKIE)
            .map(|value| value.to_str().unwrap().to_string());
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        Answer {
            status,
            cookie,
            body: String::from_utf8(body.to_vec()).unwrap(),
        }
    }

    /// `name=value` of a `Set-Cookie` header.
    fn pair(set_cookie: &str) -> String {
        set_cookie.split(';').next().unwrap().to_string()
    }

    fn encode(text: &str) -> String {
        text.bytes()
            .map(|b| match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    }

    fn setup() -> (Db, Accounts) {
        let db = Db::new();
        let accounts = db.open();
        accounts
            .add_user("lan", Role::Researcher, PASSWORD, &[], "test")
            .unwrap();
        (db, accounts)
    }

    #[tokio::test]
    async fn over_https_the_cookie_is_host_prefixed_secure_httponly_and_lax() {
        let (_db, accounts) = setup();
        let router = router(&accounts, &SessionConfig::default());
        let answer = send(&router, "GET", "/login", None, "").await;
        let cookie = answer.cookie.unwrap();
        assert!(cookie.starts_with("__Host-disan-session="), "{cookie}");
        for attribute in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
            assert!(cookie.contains(attribute), "{attribute} missing: {cookie}");
        }
        assert!(
            !cookie.contains("Domain="),
            "a __Host- cookie names no domain: {cookie}"
        );
    }

    #[tokio::test]
    async fn sign_in_needs_the_token_renews_the_cookie_and_sign_out_ends_it() {
        let (_db, accounts) = setup();
        let config = SessionConfig {
            secure: false,
            ..SessionConfig::default()
        };
        let router = router(&accounts, &config);
        let form = send(&router, "GET", "/login", None, "").await;
        assert_eq!(form.status, StatusCode::OK);
        let set = form.cookie.unwrap();
        assert!(
            set.starts_with("disan-session=") && !set.contains("Secure"),
            "{set}"
        );
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Lax"),
            "{set}"
        );
        let anonymous = pair(&set);
        let token = form.body;
        let fields = format!("login=lan&password={}", encode(PASSWORD));
        // Without the token, or with another, or without the cookie: refused.
        for (cookie, body) in [
            (Some(anonymous.as_str()), fields.clone()),
            (Some(anonymous.as_str()), format!("{fields}&csrf=forged")),
            (None, format!("{fields}&csrf={token}")),
        ] {
            let answer = send(&router, "POST", "/login", cookie, &body).await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN, "{body}");
        }
        let wrong = send(
            &router,
            "POST",
            "/login",
            Some(&anonymous),
            &format!("login=lan&password=wrong+password&csrf={token}"),
        )
        .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        let signed = send(
            &router,
            "POST",
            "/login",
            Some(&anonymous),
            &format!("{fields}&csrf={token}"),
        )
        .await;
        assert_eq!(signed.status, StatusCode::SEE_OTHER);
        let signed_in = pair(&signed.cookie.unwrap());
        assert_ne!(
            signed_in, anonymous,
            "the session id must change at sign-in"
        );
        let me = send(&router, "GET", "/me", Some(&signed_in), "").await;
        assert_eq!(me.body, "Some(Researcher)");
        // The cookie from before sign-in (fixation) is anonymous.
        let fixed = send(&router, "GET", "/me", Some(&anonymous), "").await;
        assert_eq!(fixed.body, "None");
        // The pre-sign-in token does not work for the signed-in session.
        let stale = send(
            &router,
            "POST",
            "/logout",
            Some(&signed_in),
            &format!("csrf={token}"),
        )
        .await;
        assert_eq!(stale.status, StatusCode::FORBIDDEN);
        let token = send(&router, "GET", "/login", Some(&signed_in), "")
            .await
            .body;
        let out = send(
            &router,
            "POST",
            "/logout",
            Some(&signed_in),
            &format!("csrf={token}"),
        )
        .await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        // Replaying the old cookie after sign-out: anonymous.
        let after = send(&router, "GET", "/me", Some(&signed_in), "").await;
        assert_eq!(after.body, "None");
        let user = accounts.find_user("lan").unwrap().unwrap().id;
        assert!(accounts.sessions(user).unwrap().is_empty());
    }
}

/// Finding F11 of the issue 13 review: nothing the CLI or the site did could be undone. `user
/// enable`, `user password` (ends sessions), `user reset-totp` (prints a new URI, ends
/// sessions, old key and recovery codes stop) and `group add-member` / `remove-member`
/// (audited) now exist.
#[test]
fn the_cli_enables_resets_passwords_and_second_factors_and_removes_members() {
    let db = Db::new();
    assert_status(
        &db.run(&["group", "add", "phuong-trong", "--name", "Phường trống"]),
        0,
    );
    assert_status(&db.add_user("lan", "researcher", &[]), 0);
    assert_status(&db.add_user("thu", "archivist", &[]), 0);
    let accounts = db.open();
    // enable
    assert_status(&db.run(&["user", "disable", "lan"]), 0);
    assert!(accounts.authenticate("lan", PASSWORD, None, "a").is_err());
    let output = db.run(&["user", "enable", "LAN"]);
    assert_status(&output, 0);
    assert_eq!(
        text(&output.stdout),
        "Enabled 'LAN': it can sign in again.\n"
    );
    let lan = accounts.authenticate("lan", PASSWORD, None, "a").unwrap();
    // password: a weak one is refused naming the field; a good one ends the sessions.
    let weak = db.run_with_stdin(&["user", "password", "lan", "--password-stdin"], "short\n");
    assert_status(&weak, 2);
    assert!(text(&weak.stderr).starts_with("disan user password: password: "));
    let output = db.run_with_stdin(
        &["user", "password", "lan", "--password-stdin"],
        "làng nghề Vạn Phúc\n",
    );
    assert_status(&output, 0);
    assert!(accounts.authenticate("lan", PASSWORD, None, "a").is_err());
    assert!(
        accounts
            .authenticate("lan", "làng nghề Vạn Phúc", None, "a")
            .is_ok()
    );
    // reset-totp: a new URI; the old key stops working, the new one is required.
    let old = accounts
        .find_user("thu")
        .unwrap()
        .unwrap()
        .totp_secret
        .unwrap();
    let code = totp::code_at(&old, accounts.now()).unwrap();
    accounts
        .authenticate("thu", PASSWORD, Some(&code), "a")
        .unwrap();
    let output = db.run(&["user", "reset-totp", "thu"]);
    assert_status(&output, 0);
    let stdout = text(&output.stdout);
    let row = accounts.find_user("thu").unwrap().unwrap();
    let new = row.totp_secret.clone().unwrap();
    assert_ne!(new, old);
    assert!(!row.totp_enrolled);
    assert_eq!(accounts.recovery_codes_left(row.id).unwrap(), 0);
    assert!(
        stdout.contains(&format!(
            "otpauth://totp/Disan:thu?secret={}&",
            totp::base32_encode(&new)
        )),
        "{stdout}"
    );
    assert!(accounts.authenticate("thu", PASSWORD, None, "b").is_err());
    let new_code = totp::code_at(&new, accounts.now()).unwrap();
    let signed = accounts
        .sign_in_check("thu", PASSWORD, Some(&new_code), "b", None)
        .unwrap();
    assert_eq!(signed.recovery_codes.map(|codes| codes.len()), Some(10));
    // add-member / remove-member, both audited.
    let group = disan::model::GroupId::parse("phuong-trong").unwrap();
    assert_status(&db.run(&["group", "add-member", "phuong-trong", "lan"]), 0);
    assert_eq!(accounts.groups_of(lan).unwrap(), vec![group.clone()]);
    let output = db.run(&["group", "remove-member", "phuong-trong", "lan"]);
    assert_status(&output, 0);
    assert_eq!(
        text(&output.stdout),
        "Removed 'lan' from group 'phuong-trong'.\n"
    );
    assert!(accounts.groups_of(lan).unwrap().is_empty());
    assert_status(
        &db.run(&["group", "remove-member", "phuong-trong", "lan"]),
        2,
    );
    let changes: Vec<(String, String, String, Option<String>)> = accounts
        .membership_audit(10)
        .unwrap()
        .into_iter()
        .map(|row| (row.actor, row.action, row.subject, row.detail))
        .collect();
    assert_eq!(
        changes,
        vec![
            (
                "cli".into(),
                "group-member-remove".into(),
                "lan".into(),
                Some("phuong-trong".into())
            ),
            (
                "cli".into(),
                "group-member-add".into(),
                "lan".into(),
                Some("phuong-trong".into())
            ),
        ]
    );
}

/// Finding L8 of the issue 13 review: second-factor secrets are sealed with a key file kept
/// outside the database. `--accounts-key` / `DISAN_ACCOUNTS_KEY` name it; without it a command
/// that reads a secret stops with an error naming the file; `user reset-totp --new-key` recovers
/// from a lost key.
#[test]
fn the_second_factor_key_file_is_named_checked_and_replaceable() {
    let db = Db::new();
    let keys = db.dir.path().join("keys");
    std::fs::create_dir(&keys).unwrap();
    let key = keys.join("disan.key");
    let with_key = |args: &[&str]| {
        let mut all = vec!["--accounts-key", key.to_str().unwrap()];
        all.extend_from_slice(args);
        all.iter().map(|arg| arg.to_string()).collect::<Vec<_>>()
    };
    let args = with_key(&[
        "user",
        "add",
        "thu",
        "--role",
        "archivist",
        "--password-stdin",
    ]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert_status(&db.run_with_stdin(&args, &format!("{PASSWORD}\n")), 0);
    assert_eq!(std::fs::read(&key).unwrap().len(), 32);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // The same key through the environment variable.
    let listed = db
        .disan(&["user", "list"])
        .env("DISAN_ACCOUNTS_KEY", &key)
        .output()
        .unwrap();
    assert_status(&listed, 0);
    assert!(text(&listed.stdout).contains("thu"));
    // Without it: an error naming the missing file, and no new key made there.
    let missing = db.run(&["user", "list"]);
    assert_status(&missing, 1);
    let error = text(&missing.stderr);
    assert!(
        error.contains("accounts.sqlite.key is missing")
            && error.contains("--accounts-key / DISAN_ACCOUNTS_KEY"),
        "{error}"
    );
    assert!(!db.dir.path().join("accounts.sqlite.key").exists());
    // The key lost for good: a new one, and the account gets a new factor.
    std::fs::remove_file(&key).unwrap();
    let args = with_key(&["user", "reset-totp", "--new-key", "thu"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let replaced = db.run(&args);
    assert_status(&replaced, 0);
    let out = text(&replaced.stdout);
    assert!(
        out.contains("1 account(s) lost their second factor") && out.contains("otpauth://totp/"),
        "{out}"
    );
    assert_eq!(std::fs::read(&key).unwrap().len(), 32);
}

/// Finding R9 of the last review of issue 13: a command acting on existing accounts, run where
/// there is no accounts database (the wrong folder), says so and creates none; only `user add`
/// and `group add` create it.
#[test]
fn commands_on_existing_accounts_never_create_the_database() {
    let db = Db::new();
    let commands: [&[&str]; 9] = [
        &["user", "disable", "ma"],
        &["user", "enable", "ma"],
        &["user", "reset-totp", "ma"],
        &["user", "token", "ma"],
        &["user", "list"],
        &["group", "remove-member", "cong-dong-a", "ma"],
        &["group", "add-member", "cong-dong-a", "ma"],
        &["group", "list"],
        &["user", "password", "ma", "--password-stdin"],
    ];
    for args in commands {
        let output = db.run_with_stdin(args, "làng nghề Vạn Phúc mới\n");
        assert_status(&output, 2);
        assert_eq!(
            text(&output.stderr).trim_end(),
            format!(
                "disan {}: there is no accounts database at {} (--accounts, DISAN_ACCOUNTS); \
                 `disan user add` or `disan group add` creates one",
                args[0],
                db.path().display()
            ),
            "{args:?}"
        );
        assert!(!db.path().exists(), "{args:?} created the database");
    }
    assert_status(&db.run(&["group", "add", "cong-dong-a", "--name", "A"]), 0);
    assert!(db.path().exists());
}
