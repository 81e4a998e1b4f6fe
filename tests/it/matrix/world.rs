//! The site the access matrix asks: the `matrix` batch ingested, an accounts database with one
//! account per audience signed in for real (API tokens, and session cookies from `/en/login`
//! with a second factor where the role needs one), and the requests themselves, through the
//! router or over a real socket.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use disan::accounts::sessions::SessionConfig;
use disan::accounts::{Accounts, Clock, ManualClock, SystemClock, UserId, totp};
use disan::model::{GroupId, RecordId, Role};
use disan::web::Site;
use disan::web::auth::Auth;
use serde_json::Value;

use super::oracle::{A, AUDIENCES, B};
use crate::auth::Browser;
use crate::support::{Workspace, problems};

const PASSWORD: &str = "trống đồng Đọi Tam";

/// How an audience proves who it is.
#[derive(Debug, Clone)]
pub(super) enum Credential {
    Nothing,
    Bearer(String),
    Cookie(String),
}

/// A response: status and body as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Got {
    pub(super) status: u16,
    pub(super) body: Vec<u8>,
}

impl Got {
    pub(super) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub(super) fn json(&self) -> Result<Value, String> {
        serde_json::from_slice(&self.body).map_err(|e| format!("not JSON ({e}): {}", self.text()))
    }

    pub(super) fn with(&self, from: &str, to: &str) -> Got {
        Got {
            status: self.status,
            body: self.text().replace(from, to).into_bytes(),
        }
    }

    pub(super) fn short(&self) -> String {
        let text = self.text();
        format!(
            "{} {}",
            self.status,
            text.chars().take(160).collect::<String>()
        )
    }
}

/// How requests reach the site.
#[derive(Clone, Copy)]
pub(super) enum Transport {
    Router,
    Socket(SocketAddr),
}

/// `got` with the time an OAI-PMH answer names (`<responseDate>`, the second it was made)
/// redacted, so that two answers made a second apart compare byte for byte; every other byte is
/// kept.
fn redact_response_date(got: Got) -> Got {
    let text = got.text();
    match (text.find("<responseDate>"), text.find("</responseDate>")) {
        (Some(start), Some(end)) if start < end => {
            got.with(&text[start..end], "<responseDate>REDACTED")
        }
        _ => got,
    }
}

/// Sends `GET uri` with `credential` (an OAI-PMH answer's `responseDate` redacted).
pub(super) async fn fetch(
    site: &Arc<Site>,
    transport: Transport,
    credential: &Credential,
    uri: &str,
) -> Got {
    redact_response_date(fetch_as_sent(site, transport, credential, uri).await)
}

/// Sends `GET uri` with `credential`: the answer as sent.
async fn fetch_as_sent(
    site: &Arc<Site>,
    transport: Transport,
    credential: &Credential,
    uri: &str,
) -> Got {
    let header_line = match credential {
        Credential::Nothing => None,
        Credential::Bearer(token) => Some(("authorization", format!("Bearer {token}"))),
        Credential::Cookie(cookie) => Some(("cookie", cookie.clone())),
    };
    match transport {
        Transport::Router => {
            let mut request = Request::get(uri);
            if let Some((name, value)) = &header_line {
                request = request.header(*name, value);
            }
            let mut request = request.body(Body::empty()).unwrap();
            request.extensions_mut().insert(axum::extract::ConnectInfo(
                "192.0.2.50:50000".parse::<SocketAddr>().unwrap(),
            ));
            let answer = crate::web::get_with(site, request).await;
            Got {
                status: answer.status.as_u16(),
                body: answer.body,
            }
        }
        Transport::Socket(addr) => {
            let headers = header_line
                .map(|(name, value)| format!("{name}: {value}\r\n"))
                .unwrap_or_default();
            let uri = uri.to_string();
            let raw =
                tokio::task::spawn_blocking(move || crate::support::raw_get(addr, &uri, &headers))
                    .await
                    .unwrap();
            parse_response(&raw)
        }
    }
}

/// A raw HTTP/1.1 response's status and body (chunked transfer coding undone).
fn parse_response(raw: &[u8]) -> Got {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&raw[..end]).to_lowercase();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .expect("a status code");
    let mut body = raw[end + 4..].to_vec();
    if head
        .lines()
        .any(|line| line.starts_with("transfer-encoding:") && line.contains("chunked"))
    {
        let mut whole = Vec::new();
        let mut rest = &body[..];
        loop {
            let line_end = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let size_text = String::from_utf8_lossy(&rest[..line_end]).to_string();
            let size =
                usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16).unwrap();
            rest = &rest[line_end + 2..];
            if size == 0 {
                break;
            }
            whole.extend_from_slice(&rest[..size]);
            rest = &rest[size + 2..];
        }
        body = whole;
    }
    Got { status, body }
}

/// The site over the `matrix` batch, and each audience's credential, in [`AUDIENCES`]' order.
pub(super) struct World {
    pub(super) workspace: Workspace,
    pub(super) site: Arc<Site>,
    pub(super) credentials: Vec<Credential>,
}

fn ids(list: &[&str]) -> Vec<GroupId> {
    list.iter().map(|g| GroupId::parse(g).unwrap()).collect()
}

/// Signs `login` in through `/en/login` (with a TOTP code when its role needs one) and returns
/// the session cookie.
async fn session(site: &Arc<Site>, accounts: &Accounts, login: &str) -> String {
    let row = accounts.find_user(login).unwrap().unwrap();
    let code = row
        .totp_secret
        .as_ref()
        .map(|secret| totp::code_at(secret, accounts.now()).unwrap())
        .unwrap_or_default();
    let mut browser = Browser::new("192.0.2.10");
    let answer = browser.sign_in(site, login, PASSWORD, &code).await;
    assert_eq!(answer.status.as_u16(), 303, "{login}: {}", answer.text());
    browser.cookie.expect("a session cookie")
}

/// Asserts that `credential` sees the `community:A and B, need all` photo: it is signed in as
/// such a member.
async fn assert_signed_in(site: &Arc<Site>, credential: &Credential, what: &str) {
    let got = fetch(site, Transport::Router, credential, "/api/records/anh-all").await;
    assert_eq!(got.status, 200, "{what} is signed in: {}", got.short());
}

pub(super) async fn world() -> World {
    let workspace = Workspace::new();
    workspace.add_groups(&[A, B]);
    let (code, report) = workspace.ingest(&workspace.batch("matrix"), &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let clock = Arc::new(ManualClock::new(SystemClock.now()));
    let accounts = Accounts::open_with_clock(&workspace.accounts(), clock.clone()).unwrap();
    // Small timeouts, so that expiry is reached by moving the accounts clock a little.
    let sessions =
        SessionConfig::new(Duration::from_secs(60), Duration::from_secs(120), true).unwrap();
    let templates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let site = Site::open(&workspace.archive(), &workspace.index(), Some(templates))
        .unwrap()
        .with_admin_email("archivist@matrix.example")
        .unwrap()
        .with_accounts(Auth {
            accounts: accounts.clone(),
            sessions,
            trust_forwarded_for: false,
        });
    let site = Arc::new(site);
    let mut users: HashMap<&str, UserId> = HashMap::new();
    for (login, role, groups) in [
        ("nghien-cuu", Role::Researcher, &[][..]),
        ("thanh-vien-a", Role::Researcher, &[A][..]),
        ("thanh-vien-b", Role::Researcher, &[B][..]),
        ("thanh-vien-ab", Role::Researcher, &[A, B][..]),
        ("luu-tru", Role::Archivist, &[][..]),
        ("quan-tri", Role::Admin, &[B][..]),
        ("bi-khoa", Role::Researcher, &[A, B][..]),
        ("het-nghi", Role::Researcher, &[A, B][..]),
        ("het-han", Role::Researcher, &[A, B][..]),
        ("thu-hoi", Role::Researcher, &[A, B][..]),
        ("da-ra", Role::Researcher, &[A, B][..]),
    ] {
        let user = accounts
            .add_user(login, role, PASSWORD, &ids(groups), "test")
            .unwrap();
        if user.totp.is_some() {
            let secret = accounts
                .find_user(login)
                .unwrap()
                .unwrap()
                .totp_secret
                .unwrap();
            let code = totp::code_at(&secret, clock.now()).unwrap();
            // The first sign-in with a code from the issued secret completes the enrolment.
            accounts
                .authenticate(login, PASSWORD, Some(&code), "192.0.2.250")
                .unwrap();
        }
        users.insert(login, user.id);
    }
    let token = |login: &str| {
        Credential::Bearer(accounts.create_api_token(users[login], "matrix").unwrap())
    };

    // Expired sessions: `het-han` signs in at t, is used at t+50 and t+100 and is 125 s old at
    // t+125 (past the 120 s lifetime, 25 s idle); `het-nghi` signs in at t+50 and is unused for
    // 75 s at t+125 (past the 60 s idle timeout, within the lifetime).
    let lifetime = Credential::Cookie(session(&site, &accounts, "het-han").await);
    assert_signed_in(&site, &lifetime, "het-han at t").await;
    clock.advance(50);
    let idle = Credential::Cookie(session(&site, &accounts, "het-nghi").await);
    assert_signed_in(&site, &idle, "het-nghi at t+50").await;
    assert_signed_in(&site, &lifetime, "het-han at t+50").await;
    clock.advance(50);
    assert_signed_in(&site, &lifetime, "het-han at t+100").await;
    clock.advance(25);

    let disabled_session = Credential::Cookie(session(&site, &accounts, "bi-khoa").await);
    let disabled_token = token("bi-khoa");
    assert_signed_in(&site, &disabled_session, "bi-khoa's session").await;
    assert_signed_in(&site, &disabled_token, "bi-khoa's token").await;
    accounts.disable_user("bi-khoa", "test").unwrap();

    let revoked = token("thu-hoi");
    assert_signed_in(&site, &revoked, "thu-hoi's token").await;
    let number = accounts.api_tokens(users["thu-hoi"]).unwrap()[0].id;
    accounts.revoke_api_token(users["thu-hoi"], number).unwrap();

    let mut browser = Browser::new("192.0.2.11");
    let answer = browser.sign_in(&site, "da-ra", PASSWORD, "").await;
    assert_eq!(answer.status.as_u16(), 303, "{}", answer.text());
    let logged_out = Credential::Cookie(browser.cookie.clone().unwrap());
    assert_signed_in(&site, &logged_out, "da-ra").await;
    let csrf = browser.token(&site, "/en/account").await;
    let out = browser.post(&site, "/en/logout", &[("csrf", &csrf)]).await;
    assert_eq!(out.status.as_u16(), 303, "{}", out.text());

    // A view logged for community A's photo, as the record and media handlers are to log it.
    accounts
        .log_view(
            users["thanh-vien-a"],
            &RecordId::parse("anh-a").unwrap(),
            Some("files/anh.jpg"),
            Some("192.0.2.7"),
        )
        .unwrap();

    let credentials = vec![
        Credential::Nothing,
        token("nghien-cuu"),
        token("thanh-vien-a"),
        token("thanh-vien-b"),
        Credential::Cookie(session(&site, &accounts, "thanh-vien-ab").await),
        Credential::Cookie(session(&site, &accounts, "luu-tru").await),
        Credential::Cookie(session(&site, &accounts, "quan-tri").await),
        disabled_session,
        disabled_token,
        idle,
        lifetime,
        revoked,
        logged_out,
    ];
    assert_eq!(credentials.len(), AUDIENCES.len());
    World {
        workspace,
        site,
        credentials,
    }
}
