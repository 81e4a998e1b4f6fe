//! Login throttling through the router (fix round after the issue 13 review): device cookies
//! keep the real user's browsers signing in while an attacker guesses (F2), a success does not
//! reset the address's delay (F3), current-password checks inside a session are throttled as
//! sign-ins (F7), and context-specific passwords are refused (F4).

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use disan::model::Role;
use disan::web::{Site, app};
use tower::ServiceExt;

use crate::auth::{Fixture, csrf_of, fixture, form};
use crate::web::Answer;

const PASSWORD: &str = "trống đồng Đọi Tam";
const DEVICE: &str = "__Host-disan-device";

/// A browser with a cookie jar (the session cookie and the device cookie).
struct Jar {
    cookies: BTreeMap<String, String>,
    address: SocketAddr,
}

impl Jar {
    fn new(address: &str) -> Self {
        Jar {
            cookies: BTreeMap::new(),
            address: format!("{address}:50000").parse().unwrap(),
        }
    }

    /// The same browser (its device cookie) seen from another address, with no session.
    fn moved(&self, address: &str) -> Self {
        let mut jar = Jar::new(address);
        if let Some(device) = self.cookies.get(DEVICE) {
            jar.cookies.insert(DEVICE.to_string(), device.clone());
        }
        jar
    }

    async fn send(&mut self, site: &Arc<Site>, mut request: Request<Body>) -> Answer {
        if !self.cookies.is_empty() {
            let line = self
                .cookies
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect::<Vec<_>>()
                .join("; ");
            request
                .headers_mut()
                .insert(header::COOKIE, line.parse().unwrap());
        }
        request.extensions_mut().insert(ConnectInfo(self.address));
        let response = app(site.clone()).oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        for set in headers.get_all(header::SET_COOKIE) {
            let set = set.to_str().unwrap();
            let (name, value) = set.split(';').next().unwrap().split_once('=').unwrap();
            if set.contains("Max-Age=0") || value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), value.to_string());
            }
        }
        let body = axum::body::to_bytes(response.into_body(), 64 << 20)
            .await
            .unwrap()
            .to_vec();
        Answer {
            status,
            headers,
            body,
        }
    }

    async fn get(&mut self, site: &Arc<Site>, uri: &str) -> Answer {
        self.send(site, Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    async fn post(&mut self, site: &Arc<Site>, uri: &str, fields: &[(&str, &str)]) -> Answer {
        let body = form(fields);
        let request = Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::CONTENT_LENGTH, body.len())
            .body(Body::from(body))
            .unwrap();
        self.send(site, request).await
    }

    async fn sign_in(&mut self, site: &Arc<Site>, login: &str, password: &str) -> Answer {
        let page = self.get(site, "/en/login").await;
        let csrf = csrf_of(&page.text());
        self.post(
            site,
            "/en/login",
            &[
                ("login", login),
                ("password", password),
                ("totp", ""),
                ("csrf", &csrf),
            ],
        )
        .await
    }
}

fn researcher(fixture: &Fixture, login: &str) {
    fixture
        .accounts
        .add_user(login, Role::Researcher, PASSWORD, &[], "test")
        .unwrap();
}

/// The researcher `login`, made in `fixture` and signed in from 10.7.7.7: its browser and the
/// anti-forgery token of its account page.
async fn signed_in_holder(fixture: &Fixture, login: &str) -> (Jar, String) {
    researcher(fixture, login);
    let mut holder = Jar::new("10.7.7.7");
    assert_eq!(
        holder.sign_in(&fixture.site, login, PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let csrf = csrf_of(&holder.get(&fixture.site, "/en/account").await.text());
    (holder, csrf)
}

fn retry_after(answer: &Answer) -> i64 {
    answer.header("retry-after").parse().unwrap()
}

#[tokio::test]
async fn a_guessing_attacker_does_not_keep_the_real_user_out_of_a_known_browser() {
    let fixture = fixture();
    researcher(&fixture, "lan");
    researcher(&fixture, "atk");
    let site = &fixture.site;
    // The real user signed in on this browser once: it holds a device cookie for "lan".
    let mut home = Jar::new("10.9.9.9");
    let first = home.sign_in(site, "lan", PASSWORD).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let set = first.headers.get_all(header::SET_COOKIE);
    let device_line = set
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|v| v.starts_with(DEVICE))
        .expect("a device cookie after signing in");
    assert!(
        device_line.contains("HttpOnly")
            && device_line.contains("Secure")
            && device_line.contains("SameSite=Strict")
            && device_line.contains("Path=/"),
        "{device_line}"
    );
    // The attacker (holding a device cookie of its own account, which must not help) guesses
    // for "lan" from ever new addresses, at every Retry-After, for about three minutes.
    let mut attacker_device = Jar::new("10.1.0.1");
    assert_eq!(
        attacker_device.sign_in(site, "atk", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let mut elapsed = 0;
    let mut guesses = 0;
    let mut real_sign_ins = 0;
    let mut n = 0;
    while elapsed < 180 {
        n += 1;
        let mut attacker = attacker_device.moved(&format!("10.1.{}.{}", n / 200, n % 200 + 2));
        let answer = attacker.sign_in(site, "lan", "guess guess guess").await;
        match answer.status {
            StatusCode::UNAUTHORIZED => guesses += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                // The real user, on the known browser, signs in at once, even now.
                let mut user = home.moved("10.9.9.9");
                let answer = user.sign_in(site, "lan", PASSWORD).await;
                assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
                real_sign_ins += 1;
                home = user;
                // A new browser of the real user waits as any untrusted client.
                let mut fresh = Jar::new("10.9.9.10");
                let answer = fresh.sign_in(site, "lan", PASSWORD).await;
                assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS);
                let wait = retry_after(&answer);
                assert!((1..=60).contains(&wait), "{wait}");
                fixture.clock.advance(wait);
                elapsed += wait;
            }
            other => panic!("unexpected {other}: {}", answer.text()),
        }
    }
    assert!(guesses >= 8, "{guesses}");
    assert!(real_sign_ins >= 5, "{real_sign_ins}");
}

#[tokio::test]
async fn a_known_browsers_failures_count_against_that_browser_only() {
    let fixture = fixture();
    researcher(&fixture, "lan");
    let site = &fixture.site;
    let mut home = Jar::new("10.9.9.9");
    let mut work = Jar::new("10.9.9.8");
    for jar in [&mut home, &mut work] {
        assert_eq!(
            jar.sign_in(site, "lan", PASSWORD).await.status,
            StatusCode::SEE_OTHER
        );
    }
    // Someone with the home browser's cookie guesses six times.
    let mut thief = home.moved("10.6.6.6");
    for _ in 0..6 {
        assert_eq!(
            thief.sign_in(site, "lan", "guess guess").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    // Neither the work browser nor a new browser is delayed by them.
    let mut at_work = work.moved("10.9.9.8");
    assert_eq!(
        at_work.sign_in(site, "lan", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let mut fresh = Jar::new("10.9.9.10");
    assert_eq!(
        fresh.sign_in(site, "lan", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn signing_in_to_ones_own_account_does_not_reset_the_addresss_delay() {
    let fixture = fixture();
    researcher(&fixture, "res");
    let site = &fixture.site;
    let mut attacker = Jar::new("10.5.5.5");
    for i in 1..=6 {
        let answer = attacker
            .sign_in(site, &format!("user{i}"), "password guess")
            .await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    }
    let answer = attacker.sign_in(site, "user7", "password guess").await;
    assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS);
    fixture.clock.advance(retry_after(&answer));
    assert_eq!(
        attacker.sign_in(site, "res", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    // The address's count goes on: the next failure doubles its delay at once.
    let mut next = Jar::new("10.5.5.5");
    assert_eq!(
        next.sign_in(site, "user16", "password guess").await.status,
        StatusCode::UNAUTHORIZED
    );
    let answer = next.sign_in(site, "user17", "password guess").await;
    assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(retry_after(&answer), 2);
}

#[tokio::test]
async fn the_current_password_checks_count_as_failed_sign_ins() {
    let fixture = fixture();
    let (mut holder, csrf) = signed_in_holder(&fixture, "lan").await;
    let site = &fixture.site;
    // Three wrong passwords on /account/password, three on /account/totp/begin.
    for _ in 0..3 {
        let answer = holder
            .post(
                site,
                "/en/account/password",
                &[
                    ("current", "guess guess"),
                    ("new", "a brand new passphrase"),
                    ("csrf", &csrf),
                ],
            )
            .await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST);
        assert!(answer.text().contains("The current password is wrong."));
        let answer = holder
            .post(
                site,
                "/en/account/totp/begin",
                &[("value", "guess guess"), ("csrf", &csrf)],
            )
            .await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.text());
    }
    // The sixth failure started a delay: even the right password is not checked now.
    let answer = holder
        .post(
            site,
            "/en/account/password",
            &[
                ("current", PASSWORD),
                ("new", "a brand new passphrase"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        answer
            .text()
            .contains("Too many failed attempts: wait 1 second, then try again."),
        "{}",
        answer.text()
    );
    // The same delay holds the account's untrusted sign-ins and this address.
    let mut other = Jar::new("10.8.8.8");
    assert_eq!(
        other.sign_in(site, "lan", PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    let mut same_address = Jar::new("10.7.7.7");
    assert_eq!(
        same_address.sign_in(site, "nobody", "x").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    fixture.clock.advance(1);
    let answer = holder
        .post(
            site,
            "/en/account/password",
            &[
                ("current", PASSWORD),
                ("new", "a brand new passphrase"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
}

#[tokio::test]
async fn a_new_password_with_the_login_or_the_sites_name_is_refused() {
    let fixture = fixture();
    let (mut holder, csrf) = signed_in_holder(&fixture, "longloginname").await;
    let site = &fixture.site;
    for new in ["longloginname", "disandisan", "kho Di Sản cũ"] {
        let answer = holder
            .post(
                site,
                "/en/account/password",
                &[("current", PASSWORD), ("new", new), ("csrf", &csrf)],
            )
            .await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{new}");
        let text = answer.text();
        assert!(
            text.contains("The new password contains your login or the site")
                && text.contains("s name (Disan); choose one that does not."),
            "{new}: {text}"
        );
    }
    let answer = holder
        .post(
            site,
            "/en/account/password",
            &[("current", PASSWORD), ("new", "        "), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(
        answer
            .text()
            .contains("The new password is too short (0 characters); use at least 8.")
    );
}

async fn post_login(site: &Arc<Site>, jar: &mut Jar, fields: [(&str, String); 3]) -> Answer {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    jar.post(site, "/en/login", &fields).await
}

fn session_rows(fixture: &Fixture) -> i64 {
    let db = rusqlite::Connection::open(fixture.accounts.path()).unwrap();
    db.query_row("SELECT count(*) FROM sessions", [], |row| row.get(0))
        .unwrap()
}

#[tokio::test]
async fn anonymous_sign_in_forms_write_no_session_and_still_refuse_forgeries() {
    let fixture = fixture();
    researcher(&fixture, "lan");
    let site = &fixture.site;
    let before = session_rows(&fixture);
    for i in 0..200 {
        let mut visitor = Jar::new(&format!("10.3.{}.{}", i / 200, i % 200 + 1));
        let page = visitor.get(site, "/login").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!visitor.cookies.contains_key("__Host-disan-session"));
    }
    assert_eq!(session_rows(&fixture), before);
    // The login POST still needs the form's token, in the field and the cookie alike.
    let mut browser = Jar::new("10.3.9.9");
    let csrf = csrf_of(&browser.get(site, "/en/login").await.text());
    let fields = |csrf: &str| {
        [
            ("login", "lan".to_string()),
            ("password", PASSWORD.to_string()),
            ("csrf", csrf.to_string()),
        ]
    };
    // Another visitor's valid token, without its cookie: forged.
    let mut forger = Jar::new("10.3.9.8");
    assert_eq!(
        post_login(site, &mut forger, fields(&csrf)).await.status,
        StatusCode::FORBIDDEN
    );
    // The cookie with a token that is not its own: forged.
    let mut tampered = csrf.clone();
    tampered.replace_range(..1, if csrf.starts_with('1') { "2" } else { "1" });
    assert_eq!(
        post_login(site, &mut browser, fields(&tampered))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // A cookie and field that agree but were not signed by this site: forged.
    let mut made_up = Jar::new("10.3.9.7");
    made_up.cookies.insert(
        "__Host-disan-login-form".to_string(),
        "1.AAAA.BBBB".to_string(),
    );
    assert_eq!(
        post_login(site, &mut made_up, fields("1.AAAA.BBBB"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // The real form signs in, and only then a session row exists.
    let answer = post_login(site, &mut browser, fields(&csrf)).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    assert_eq!(session_rows(&fixture), before + 1);
}
