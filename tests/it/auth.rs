//! Signing in on the site (issue 13, part E), through the router: the viewer layer (session
//! cookie, bearer token), `/login`, `/logout`, the anti-forgery rules, the body cap, `/account`,
//! the second-factor enrolment, `/admin/users` and the view log page.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use disan::accounts::sessions::SessionConfig;
use disan::accounts::{Accounts, Clock, ManualClock, SystemClock, totp};
use disan::model::access::Viewer;
use disan::model::{GroupId, RecordId, Role};
use disan::web::auth::Auth;
use disan::web::{Site, app};
use tower::ServiceExt;

use crate::support::Workspace;
use crate::web::Answer;

pub const PASSWORD: &str = "trống đồng Đọi Tam";

/// A site over the `valid` batch with an accounts database whose clock tests move.
pub struct Fixture {
    pub workspace: Workspace,
    pub site: Arc<Site>,
    pub accounts: Accounts,
    pub clock: Arc<ManualClock>,
}

pub fn fixture() -> Fixture {
    fixture_of("valid")
}

/// [`fixture`] over the fixture batch `batch` (`vocabulary`: artisans, honours, products).
pub fn fixture_of(batch: &str) -> Fixture {
    let workspace = Workspace::new();
    let (code, _) = workspace.ingest(&workspace.batch(batch), &[]);
    assert_eq!(code, 0);
    // Sessions stamp their idle expiry with the real time: start the manual clock there.
    let clock = Arc::new(ManualClock::new(SystemClock.now()));
    let accounts =
        Accounts::open_with_clock(&workspace.dir.path().join("accounts.sqlite"), clock.clone())
            .unwrap();
    let sessions =
        SessionConfig::new(Duration::from_secs(1800), Duration::from_secs(43200), true).unwrap();
    let site = Site::open(&workspace.archive(), &workspace.index(), None)
        .unwrap()
        .with_accounts(Auth {
            accounts: accounts.clone(),
            sessions,
            trust_forwarded_for: false,
        });
    Fixture {
        workspace,
        site: Arc::new(site),
        accounts,
        clock,
    }
}

/// One browser: its cookie, its address.
pub struct Browser {
    pub cookie: Option<String>,
    pub address: SocketAddr,
}

impl Browser {
    pub fn new(address: &str) -> Self {
        Browser {
            cookie: None,
            address: format!("{address}:50000").parse().unwrap(),
        }
    }

    pub async fn send(&mut self, site: &Arc<Site>, mut request: Request<Body>) -> Answer {
        if let Some(cookie) = &self.cookie {
            request
                .headers_mut()
                .insert(header::COOKIE, cookie.parse().unwrap());
        }
        request.extensions_mut().insert(ConnectInfo(self.address));
        let response = app(site.clone()).oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        for set in headers.get_all(header::SET_COOKIE) {
            let set = set.to_str().unwrap();
            let pair = set.split(';').next().unwrap();
            if set.contains("Max-Age=0") || pair.ends_with('=') {
                self.cookie = None;
            } else {
                self.cookie = Some(pair.to_string());
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

    pub async fn get(&mut self, site: &Arc<Site>, uri: &str) -> Answer {
        self.send(site, Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    pub async fn post(&mut self, site: &Arc<Site>, uri: &str, fields: &[(&str, &str)]) -> Answer {
        self.post_with(site, uri, fields, None).await
    }

    pub async fn post_with(
        &mut self,
        site: &Arc<Site>,
        uri: &str,
        fields: &[(&str, &str)],
        fetch_site: Option<&str>,
    ) -> Answer {
        let body = form(fields);
        let mut request = Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::CONTENT_LENGTH, body.len());
        if let Some(value) = fetch_site {
            request = request.header("sec-fetch-site", value);
        }
        self.send(site, request.body(Body::from(body)).unwrap())
            .await
    }

    /// The anti-forgery token of the form on `uri`.
    pub async fn token(&mut self, site: &Arc<Site>, uri: &str) -> String {
        let page = self.get(site, uri).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}: {}", page.text());
        csrf_of(&page.text())
    }

    /// Signs in through `/en/login` and returns the answer to the POST.
    pub async fn sign_in(
        &mut self,
        site: &Arc<Site>,
        login: &str,
        password: &str,
        code: &str,
    ) -> Answer {
        let csrf = self.token(site, "/en/login").await;
        self.post(
            site,
            "/en/login",
            &[
                ("login", login),
                ("password", password),
                ("totp", code),
                ("csrf", &csrf),
            ],
        )
        .await
    }
}

pub fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(key, value)| format!("{key}={}", urlencode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

pub fn csrf_of(html: &str) -> String {
    let start = html
        .find(r#"name="csrf" value=""#)
        .unwrap_or_else(|| panic!("no csrf input in {html}"))
        + r#"name="csrf" value=""#.len();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

fn secret_of(accounts: &Accounts, login: &str) -> Vec<u8> {
    accounts
        .find_user(login)
        .unwrap()
        .unwrap()
        .totp_secret
        .unwrap()
}

pub fn code(fixture: &Fixture, login: &str) -> String {
    totp::code_at(&secret_of(&fixture.accounts, login), fixture.clock.now()).unwrap()
}

/// A fresh fixture with the researcher `lan` signed in from `address`: the fixture, the
/// browser, and the anti-forgery token of its account page.
async fn signed_in_researcher(address: &str) -> (Fixture, Browser, String) {
    let fixture = fixture();
    researcher(&fixture, "lan");
    let mut browser = Browser::new(address);
    browser.sign_in(&fixture.site, "lan", PASSWORD, "").await;
    let page = browser.get(&fixture.site, "/en/account").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let csrf = csrf_of(&page.text());
    (fixture, browser, csrf)
}

fn researcher(fixture: &Fixture, login: &str) {
    fixture
        .accounts
        .add_user(login, Role::Researcher, PASSWORD, &[], "test")
        .unwrap();
}

#[tokio::test]
async fn signing_in_renews_the_session_id_and_signing_out_ends_it_on_the_server() {
    let fixture = fixture();
    researcher(&fixture, "lan");
    let site = &fixture.site;
    let mut browser = Browser::new("192.0.2.10");
    // An anonymous page sets no cookie; the login form sets only its signed double-submit
    // token, no session (finding L9: tests/it/throttle.rs counts the rows).
    let home = browser.get(site, "/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.headers.get(header::SET_COOKIE).is_none());
    assert!(browser.cookie.is_none());
    let csrf = browser.token(site, "/login").await;
    let form_cookie = browser
        .cookie
        .clone()
        .expect("the login form sets a cookie");
    assert!(
        form_cookie.starts_with("__Host-disan-login-form="),
        "{form_cookie}"
    );
    // An attacker plants a session id of its choosing beside it.
    let planted = "__Host-disan-session=AAAAAAAAAAAAAAAAAAAAAA".to_string();
    browser.cookie = Some(format!("{form_cookie}; {planted}"));
    let answer = browser
        .post(
            site,
            "/login",
            &[
                ("login", "lan"),
                ("password", PASSWORD),
                ("csrf", &csrf),
                ("next", "/records/hoa-van-luc-giac"),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    assert_eq!(answer.header("location"), "/records/hoa-van-luc-giac");
    // The session cookie (a device cookie is set beside it: tests/it/throttle.rs).
    let set = answer
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|value| value.to_str().unwrap().to_string())
        .find(|value| value.starts_with("__Host-disan-session="))
        .expect("the session cookie");
    for attribute in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
        assert!(set.contains(attribute), "{attribute} in {set}");
    }
    let signed_in = browser.cookie.clone().unwrap();
    assert_ne!(signed_in, planted, "the session id is renewed at sign-in");
    // The planted id is anonymous: /account sends it to sign in.
    let mut attacker = Browser::new("198.51.100.1");
    attacker.cookie = Some(planted);
    let refused = attacker.get(site, "/account").await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    assert_eq!(refused.header("location"), "/login?next=/account");
    // The signed-in browser sees its account, privately.
    let account = browser.get(site, "/en/account").await;
    assert_eq!(account.status, StatusCode::OK);
    assert!(account.text().contains("Signed in as lan (researcher)."));
    assert_eq!(account.header("cache-control"), "private, no-store");
    assert!(
        account
            .headers
            .get_all(header::VARY)
            .iter()
            .any(|v| v == "Cookie")
    );
    let record = browser.get(site, "/records/hoa-van-luc-giac").await;
    assert_eq!(record.status, StatusCode::OK);
    assert_eq!(record.header("cache-control"), "private, no-store");
    // Sign out; the old cookie, replayed, is anonymous.
    let old = browser.cookie.clone();
    let csrf = csrf_of(&account.text());
    let out = browser.post(site, "/en/logout", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(out.header("location"), "/en");
    let mut replay = Browser::new("192.0.2.10");
    replay.cookie = old;
    let after = replay.get(site, "/en/account").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert_eq!(after.header("location"), "/en/login?next=/en/account");
    assert!(
        fixture
            .accounts
            .sessions(fixture.accounts.find_user("lan").unwrap().unwrap().id)
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn every_refused_sign_in_says_the_same_thing_in_both_languages() {
    let fixture = fixture();
    researcher(&fixture, "lan");
    fixture
        .accounts
        .add_user("minh", Role::Researcher, PASSWORD, &[], "test")
        .unwrap();
    fixture.accounts.disable_user("minh", "test").unwrap();
    let site = &fixture.site;
    let mut answers = Vec::new();
    for (login, password) in [
        ("lan", "wrong password"),
        ("nobody", PASSWORD),
        ("minh", PASSWORD),
    ] {
        let mut browser = Browser::new("192.0.2.20");
        let answer = browser.sign_in(site, login, password, "").await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{login}");
        assert!(
            answer
                .text()
                .contains("The login, password or code is wrong."),
            "{login}"
        );
        answers.push(
            answer
                .text()
                .replace(&csrf_of(&answer.text()), "")
                .replace(&format!("value=\"{login}\""), ""),
        );
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[1], answers[2]);
    let mut browser = Browser::new("192.0.2.21");
    let csrf = browser.token(site, "/login").await;
    let vi = browser
        .post(
            site,
            "/login",
            &[("login", "lan"), ("password", "sai"), ("csrf", &csrf)],
        )
        .await;
    assert!(
        vi.text()
            .contains("Tên đăng nhập, mật khẩu hoặc mã không đúng.")
    );
}

#[tokio::test]
async fn throttled_sign_ins_say_when_to_retry_whether_or_not_the_login_exists() {
    let fixture = fixture();
    researcher(&fixture, "lan");
    let site = &fixture.site;
    let mut texts = Vec::new();
    for (login, address) in [("lan", "192.0.2.30"), ("nobody", "192.0.2.31")] {
        let mut browser = Browser::new(address);
        for _ in 0..5 {
            let answer = browser.sign_in(site, login, "wrong password", "").await;
            assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
        }
        // The sixth failure starts a delay: the right password now waits too.
        let answer = browser.sign_in(site, login, "wrong password", "").await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
        let answer = browser.sign_in(site, login, PASSWORD, "").await;
        assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS, "{login}");
        let wait = answer.header("retry-after").parse::<i64>().unwrap();
        assert!(wait > 0);
        let text = answer.text();
        assert!(
            text.contains(&format!(
                "Too many failed attempts: wait {wait} {}, then try again.",
                if wait == 1 { "second" } else { "seconds" }
            )),
            "{text}"
        );
        texts.push(
            text.replace(&csrf_of(&text), "")
                .replace(&format!("value=\"{login}\""), ""),
        );
    }
    assert_eq!(texts[0], texts[1]);
    // After the wait, the right password works.
    fixture.clock.advance(60);
    let mut browser = Browser::new("192.0.2.30");
    let answer = browser.sign_in(site, "lan", PASSWORD, "").await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn after_sign_in_only_local_paths_are_followed() {
    let fixture = fixture();
    researcher(&fixture, "lan");
    let site = &fixture.site;
    for (next, expected) in [
        ("//evil.example/x", "/en"),
        ("https://evil.example/", "/en"),
        ("/\\evil.example", "/en"),
        ("/en/search?q=tr%E1%BB%91ng", "/en/search?q=tr%E1%BB%91ng"),
    ] {
        let mut browser = Browser::new("192.0.2.40");
        let csrf = browser.token(site, "/en/login").await;
        let answer = browser
            .post(
                site,
                "/en/login",
                &[
                    ("login", "lan"),
                    ("password", PASSWORD),
                    ("csrf", &csrf),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER);
        assert_eq!(answer.header("location"), expected, "{next}");
    }
}

#[tokio::test]
async fn state_changing_posts_need_this_sessions_token_and_this_site() {
    let fixture = fixture();
    researcher(&fixture, "lan");
    researcher(&fixture, "minh");
    let site = &fixture.site;
    let mut lan = Browser::new("192.0.2.50");
    assert_eq!(
        lan.sign_in(site, "lan", PASSWORD, "").await.status,
        StatusCode::SEE_OTHER
    );
    let mut minh = Browser::new("192.0.2.51");
    assert_eq!(
        minh.sign_in(site, "minh", PASSWORD, "").await.status,
        StatusCode::SEE_OTHER
    );
    let lan_token = lan.token(site, "/en/account").await;
    let minh_token = minh.token(site, "/en/account").await;
    // Without a token, with another session's token, from another site: refused, still signed in.
    for (fields, fetch_site, message) in [
        (
            vec![],
            None,
            "This form has expired or was not made by this site.",
        ),
        (
            vec![("csrf", minh_token.as_str())],
            None,
            "This form has expired or was not made by this site.",
        ),
        (
            vec![("csrf", lan_token.as_str())],
            Some("cross-site"),
            "This form was sent from another site",
        ),
        (
            vec![("csrf", lan_token.as_str())],
            Some("same-site"),
            "This form was sent from another site",
        ),
    ] {
        let answer = lan.post_with(site, "/en/logout", &fields, fetch_site).await;
        assert_eq!(
            answer.status,
            StatusCode::FORBIDDEN,
            "{fields:?} {fetch_site:?}"
        );
        assert!(answer.text().contains(message), "{}", answer.text());
        assert_eq!(lan.get(site, "/en/account").await.status, StatusCode::OK);
    }
    // A forged password change does nothing either.
    let forged = lan
        .post_with(
            site,
            "/en/account/password",
            &[
                ("current", PASSWORD),
                ("new", "a brand new passphrase"),
                ("csrf", &minh_token),
            ],
            None,
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(
        fixture
            .accounts
            .authenticate("lan", PASSWORD, None, "x")
            .is_ok()
    );
    // The login form itself needs the token of the session that showed it.
    let mut fresh = Browser::new("192.0.2.52");
    let answer = fresh
        .post(
            site,
            "/en/login",
            &[("login", "lan"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    // Same-origin with the right token works.
    let ok = lan
        .post_with(
            site,
            "/en/logout",
            &[("csrf", &lan_token)],
            Some("same-origin"),
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn an_oversized_form_is_a_413_saying_so_never_a_forgery() {
    let fixture = fixture();
    let site = &fixture.site;
    let mut browser = Browser::new("192.0.2.60");
    let csrf = browser.token(site, "/en/login").await;
    let big = "x".repeat(17 * 1024);
    let answer = browser
        .post(
            site,
            "/en/login",
            &[("login", &big), ("password", "p"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    let text = answer.text();
    assert!(
        text.contains("The form is too large: this site accepts at most 16 KiB."),
        "{text}"
    );
    assert!(text.contains("Biểu mẫu quá lớn: trang web này nhận tối đa 16 KiB."));
    assert!(!text.contains("expired"));
    // GET requests still take no body at all.
    let mut request = Request::get("/").body(Body::from("x")).unwrap();
    request
        .headers_mut()
        .insert(header::CONTENT_LENGTH, 1.into());
    assert_eq!(
        browser.send(site, request).await.status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
}

#[tokio::test]
async fn the_api_answers_a_bearer_token_and_refuses_a_bad_one_with_401() {
    let fixture = fixture();
    researcher(&fixture, "lan");
    let lan = fixture.accounts.find_user("lan").unwrap().unwrap().id;
    let token = fixture.accounts.create_api_token(lan, "harvest").unwrap();
    let site = &fixture.site;
    let mut harvester = Browser::new("192.0.2.70");
    let with = |token: &str| {
        Request::get("/api/search?q=luc+giac")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap()
    };
    let answer = harvester.send(site, with(&token)).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.header("cache-control"), "private, no-store");
    assert!(
        answer
            .headers
            .get_all(header::VARY)
            .iter()
            .flat_map(|v| v.to_str().unwrap().split(','))
            .filter(|name| name.trim() == "Authorization")
            .count()
            == 1,
        "Vary names Authorization once"
    );
    for bad in ["disan_not-a-token", "something-else"] {
        let answer = harvester.send(site, with(bad)).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{bad}");
        assert!(answer.header("www-authenticate").starts_with("Bearer"));
    }
    let id = fixture.accounts.api_tokens(lan).unwrap()[0].id;
    fixture.accounts.revoke_api_token(lan, id).unwrap();
    let answer = harvester.send(site, with(&token)).await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    // On the API the refusal is JSON with a code, in the request's language (Vietnamese
    // unless `lang` or Accept-Language asks for English).
    assert_eq!(
        answer.json(),
        serde_json::json!({"error": {
            "code": "invalid_token",
            "message": "Mã API không hợp lệ: không tồn tại, đã bị thu hồi hoặc tài khoản đã bị khoá.",
        }})
    );
    let english = harvester
        .send(
            site,
            Request::get("/api/records/x?lang=en")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(english.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        english.json()["error"]["message"],
        "The API token is not valid: it is unknown, revoked or its account is disabled."
    );
    assert!(english.header("www-authenticate").starts_with("Bearer"));
    // Anonymous requests stay public and shared.
    let anonymous = harvester.get(site, "/api/search?q=luc+giac").await;
    assert_eq!(anonymous.status, StatusCode::OK);
    assert_eq!(anonymous.header("cache-control"), "no-cache");
    // Another scheme (a proxy's own Basic password in front of the site) is not Disan's: the
    // request is answered as the anonymous one, not refused.
    let basic = harvester
        .send(
            site,
            Request::get("/api/search?q=luc+giac")
                .header(header::AUTHORIZATION, "Basic dXNlcjpwYXNz")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(basic.status, StatusCode::OK);
    assert_eq!(basic.header("cache-control"), "no-cache");
    assert_eq!(basic.body, anonymous.body);
}

/// Findings F5 and F6 of the issue 13 review: an archivist made by `disan user add` (the CLI
/// printed the otpauth URI) never signs in with a password alone, never sees the secret that
/// way, and its first sign-in with a code completes the enrolment and shows ten recovery codes.
#[tokio::test]
async fn a_cli_made_archivist_needs_a_code_at_first_sign_in_and_gets_recovery_codes() {
    let fixture = fixture();
    fixture
        .accounts
        .add_user("thu", Role::Archivist, PASSWORD, &[], "test")
        .unwrap();
    let site = &fixture.site;
    let secret = totp::base32_encode(&secret_of(&fixture.accounts, "thu"));
    let mut browser = Browser::new("192.0.2.80");
    let wrong = browser.sign_in(site, "thu", "wrong password", "").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    // The right password without a code: the same refusal as a wrong password, no session.
    let answer = browser.sign_in(site, "thu", PASSWORD, "").await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert!(
        answer
            .text()
            .contains("The login, password or code is wrong.")
    );
    assert!(!answer.text().contains(&secret));
    for path in ["/en/account/totp", "/en/account", "/admin/users"] {
        let page = browser.get(site, path).await;
        assert!(!page.text().contains(&secret), "{path}");
        assert_ne!(page.status, StatusCode::OK, "{path}");
    }
    assert!(
        !fixture
            .accounts
            .find_user("thu")
            .unwrap()
            .unwrap()
            .totp_enrolled
    );
    let code = code(&fixture, "thu");
    let done = browser.sign_in(site, "thu", PASSWORD, &code).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    assert!(done.text().contains("These recovery codes"));
    assert_eq!(done.text().matches("<li><code>").count(), 10);
    // The page is the new session's: it shows who is signed in and the sign-out form.
    assert!(done.text().contains("/logout"), "{}", done.text());
    assert_eq!(done.header("cache-control"), "private, no-store");
    let user = fixture.accounts.find_user("thu").unwrap().unwrap();
    assert!(user.totp_enrolled);
    assert_eq!(fixture.accounts.recovery_codes_left(user.id).unwrap(), 10);
    assert_eq!(
        browser.get(site, "/en/account").await.status,
        StatusCode::OK
    );
    // The next sign-in needs a code, and brings no new recovery codes.
    fixture.clock.advance(30);
    let mut other = Browser::new("192.0.2.81");
    assert_eq!(
        other.sign_in(site, "thu", PASSWORD, "").await.status,
        StatusCode::UNAUTHORIZED
    );
    let code = self::code(&fixture, "thu");
    assert_eq!(
        other.sign_in(site, "thu", PASSWORD, &code).await.status,
        StatusCode::SEE_OTHER
    );
    // Archivists read the view log; researchers do not find it.
    let record = RecordId::parse("hoa-van-luc-giac").unwrap();
    let lan = fixture
        .accounts
        .add_user("lan", Role::Researcher, PASSWORD, &[], "test")
        .unwrap()
        .id;
    fixture
        .accounts
        .log_view(lan, &record, Some("phim.mp4"), Some("192.0.2.9"))
        .unwrap();
    fixture
        .accounts
        .log_search_exposures(&[disan::accounts::SearchExposure {
            user: lan,
            at: fixture.accounts.now(),
            record: record.clone(),
            address: Some("192.0.2.9".into()),
        }])
        .unwrap();
    let views = other.get(site, "/en/record/hoa-van-luc-giac/views").await;
    assert_eq!(views.status, StatusCode::OK);
    assert!(views.text().contains("<td>lan</td>"));
    assert!(views.text().contains("phim.mp4"));
    // Each line says what kind of view it was, in both languages.
    assert!(views.text().contains("<td>a file</td>"), "{}", views.text());
    assert!(
        views
            .text()
            .contains("<td>a search hit (title, snippet, thumbnail)</td>")
    );
    let vi = other.get(site, "/record/hoa-van-luc-giac/views").await;
    assert!(vi.text().contains("<td>một tệp</td>"), "{}", vi.text());
    assert!(
        vi.text()
            .contains("<td>kết quả tìm kiếm (nhan đề, đoạn trích, ảnh nhỏ)</td>")
    );
    let mut researcher = Browser::new("192.0.2.82");
    researcher.sign_in(site, "lan", PASSWORD, "").await;
    let hidden = researcher
        .get(site, "/en/record/hoa-van-luc-giac/views")
        .await;
    let missing = researcher.get(site, "/en/no-such-page").await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert_eq!(hidden.body, missing.body);
}

#[tokio::test]
async fn the_account_page_changes_the_password_and_makes_and_revokes_tokens() {
    let fixture = fixture();
    researcher(&fixture, "lan");
    let site = &fixture.site;
    let mut here = Browser::new("192.0.2.90");
    let mut elsewhere = Browser::new("192.0.2.91");
    here.sign_in(site, "lan", PASSWORD, "").await;
    elsewhere.sign_in(site, "lan", PASSWORD, "").await;
    let page = here.get(site, "/en/account").await;
    let text = page.text();
    assert!(
        text.contains("192.0.2.90") && text.contains("192.0.2.91"),
        "{text}"
    );
    // The form says before the change that tokens go with the old password (issue 13 review
    // L7; ASVS 5 V7.4.3), and a token made before it works until then.
    assert!(
        text.contains("Changing it signs you out everywhere else and revokes all your API tokens."),
        "{text}"
    );
    let lan = fixture.accounts.find_user("lan").unwrap().unwrap().id;
    let old_tokens = [
        fixture.accounts.create_api_token(lan, "old one").unwrap(),
        fixture.accounts.create_api_token(lan, "old two").unwrap(),
    ];
    let api = |token: &str| {
        Request::get("/api/search?q=luc+giac")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap()
    };
    let mut harvester = Browser::new("192.0.2.92");
    assert_eq!(
        harvester.send(site, api(&old_tokens[0])).await.status,
        StatusCode::OK
    );
    let csrf = csrf_of(&text);
    let short = here
        .post(
            site,
            "/en/account/password",
            &[("current", PASSWORD), ("new", "short"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST);
    assert!(
        short
            .text()
            .contains("The new password is too short (5 characters); use at least 8.")
    );
    let wrong = here
        .post(
            site,
            "/account/password",
            &[
                ("current", "nope"),
                ("new", "a brand new passphrase"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert!(wrong.text().contains("Mật khẩu hiện tại không đúng."));
    let changed = here
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
    assert_eq!(changed.status, StatusCode::OK);
    assert!(
        changed.text().contains(
            "Your password is changed; 1 other session was ended and 2 API tokens were revoked."
        ),
        "{}",
        changed.text()
    );
    assert_eq!(
        elsewhere.get(site, "/en/account").await.status,
        StatusCode::SEE_OTHER
    );
    for token in &old_tokens {
        assert_eq!(
            harvester.send(site, api(token)).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    // A token is shown once, then only listed; it works until revoked.
    let made = here
        .post(
            site,
            "/en/account/tokens",
            &[("value", "harvest"), ("csrf", &csrf)],
        )
        .await;
    let text = made.text();
    let start = text.find(r#"<code id="new-token">"#).unwrap() + r#"<code id="new-token">"#.len();
    let token = text[start..start + text[start..].find('<').unwrap()].to_string();
    assert!(token.starts_with("disan_"));
    let listed = here.get(site, "/en/account").await.text();
    assert!(listed.contains("harvest") && !listed.contains(&token));
    assert!(fixture.accounts.token_user(&token).unwrap().is_some());
    let id = fixture.accounts.api_tokens(lan).unwrap()[2].id.to_string();
    here.post(
        site,
        "/en/account/tokens/revoke",
        &[("value", &id), ("csrf", &csrf)],
    )
    .await;
    assert!(fixture.accounts.token_user(&token).unwrap().is_none());
}

#[tokio::test]
async fn only_an_admin_manages_accounts_and_disabling_ends_their_sessions() {
    let fixture = fixture();
    researcher(&fixture, "lan");
    fixture
        .accounts
        .add_user("quan", Role::Admin, PASSWORD, &[], "test")
        .unwrap();
    let site = &fixture.site;
    let mut lan = Browser::new("192.0.2.100");
    lan.sign_in(site, "lan", PASSWORD, "").await;
    let not_found = lan.get(site, "/en/no-such-page").await;
    let refused = lan.get(site, "/en/admin/users").await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert_eq!(refused.body, not_found.body);
    let mut admin = Browser::new("192.0.2.101");
    let code = code(&fixture, "quan");
    assert_eq!(
        admin.sign_in(site, "quan", PASSWORD, &code).await.status,
        StatusCode::OK
    );
    let page = admin.get(site, "/en/admin/users").await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = csrf_of(&page.text());
    let group = admin
        .post(
            site,
            "/en/admin/groups",
            &[
                ("group", "phuong-trong"),
                ("name", "Phường trống"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert!(group.text().contains("Done."), "{}", group.text());
    admin
        .post(
            site,
            "/en/admin/groups/members",
            &[("login", "lan"), ("group", "phuong-trong"), ("csrf", &csrf)],
        )
        .await;
    let groups = fixture
        .accounts
        .groups_of(fixture.accounts.find_user("lan").unwrap().unwrap().id)
        .unwrap();
    assert_eq!(groups, vec![GroupId::parse("phuong-trong").unwrap()]);
    let unknown = admin
        .post(
            site,
            "/en/admin/groups/members",
            &[("login", "lan"), ("group", "khong-co"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert!(unknown.text().contains("No group has the id khong-co."));
    assert_eq!(lan.get(site, "/en/account").await.status, StatusCode::OK);
    admin
        .post(
            site,
            "/en/admin/users/disable",
            &[("login", "lan"), ("confirm", "yes"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(
        lan.get(site, "/en/account").await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn only_the_forms_take_bodies_and_each_form_checks_its_token() {
    let (fixture, mut browser, _) = signed_in_researcher("192.0.2.110").await;
    let site = &fixture.site;
    for path in disan::web::auth::FORM_PATHS {
        for prefix in ["", "/en"] {
            let uri = format!("{prefix}{path}");
            let answer = browser.post(site, &uri, &[("value", "x")]).await;
            // Admin forms do not exist for a researcher; every other form refuses a missing token.
            let expected = if path.starts_with("/admin/") {
                StatusCode::NOT_FOUND
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(answer.status, expected, "{uri}: {}", answer.text());
        }
    }
    // Other routes take no body at all.
    let answer = browser.post(site, "/search", &[("q", "trong")]).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(answer.text().contains("This site takes no request bodies."));
    // Still signed in: none of the refused forms did anything.
    assert_eq!(
        browser.get(site, "/en/account").await.status,
        StatusCode::OK
    );
}

/// An enrolled archivist signed in with a code (a fresh step).
async fn enrolled_archivist(fixture: &Fixture, login: &str, browser: &mut Browser) {
    fixture
        .accounts
        .add_user(login, Role::Archivist, PASSWORD, &[], "test")
        .unwrap();
    let code = code(fixture, login);
    let answer = browser.sign_in(&fixture.site, login, PASSWORD, &code).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    fixture.clock.advance(30);
}

/// Finding F5 of the issue 13 review (the breaker's repro): an enrolled archivist begins to
/// replace the second factor and walks away; an attacker who knows only the password can
/// neither sign in nor see the new secret, the old authenticator keeps working, and the
/// replacement completes only from the session that began it.
#[tokio::test]
async fn beginning_a_second_factor_replacement_keeps_the_enrolled_one() {
    let fixture = fixture();
    let site = &fixture.site;
    let mut owner = Browser::new("192.0.2.120");
    enrolled_archivist(&fixture, "arch", &mut owner).await;
    let old_secret = secret_of(&fixture.accounts, "arch");
    let csrf = owner.token(site, "/en/account/totp").await;
    let begun = owner
        .post(
            site,
            "/en/account/totp/begin",
            &[("value", PASSWORD), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(begun.status, StatusCode::SEE_OTHER);
    let page = owner.get(site, "/en/account/totp").await;
    let text = page.text();
    let start = text
        .find(r#"id="totp-secret">"#)
        .expect("the owner sees the new secret")
        + r#"id="totp-secret">"#.len();
    let new_secret = text[start..start + text[start..].find('<').unwrap()].to_string();
    assert_ne!(new_secret, totp::base32_encode(&old_secret));
    let row = fixture.accounts.find_user("arch").unwrap().unwrap();
    assert!(row.totp_enrolled);
    assert_eq!(row.totp_secret.as_deref(), Some(&old_secret[..]));
    // The attacker with the password only.
    let mut attacker = Browser::new("198.51.100.7");
    let refused = attacker.sign_in(site, "arch", PASSWORD, "").await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert!(
        refused
            .text()
            .contains("The login, password or code is wrong.")
    );
    assert!(!refused.text().contains(&new_secret));
    for path in [
        "/en/account/totp",
        "/en/account",
        "/records/hoa-van-luc-giac",
    ] {
        let answer = attacker.get(site, path).await;
        assert!(!answer.text().contains(&new_secret), "{path}");
    }
    assert_eq!(
        attacker.get(site, "/en/account/totp").await.status,
        StatusCode::SEE_OTHER
    );
    // Another signed-in session of the owner does not see the pending secret either.
    let mut laptop = Browser::new("192.0.2.121");
    let code_old = totp::code_at(&old_secret, fixture.clock.now()).unwrap();
    assert_eq!(
        laptop
            .sign_in(site, "arch", PASSWORD, &code_old)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let elsewhere = laptop.get(site, "/en/account/totp").await;
    assert_eq!(elsewhere.status, StatusCode::OK);
    assert!(!elsewhere.text().contains(&new_secret));
    let csrf_laptop = csrf_of(&elsewhere.text());
    fixture.clock.advance(30);
    let secret_bytes = base32_decode(&new_secret);
    let new_code = totp::code_at(&secret_bytes, fixture.clock.now()).unwrap();
    let stolen = laptop
        .post(
            site,
            "/en/account/totp",
            &[("value", &new_code), ("csrf", &csrf_laptop)],
        )
        .await;
    assert_eq!(stolen.status, StatusCode::BAD_REQUEST);
    assert!(
        fixture
            .accounts
            .find_user("arch")
            .unwrap()
            .unwrap()
            .totp_secret
            .as_deref()
            == Some(&old_secret[..])
    );
    // The owner confirms from the session that began it: the new factor replaces the old one
    // and the other session ends.
    let csrf = csrf_of(&owner.get(site, "/en/account/totp").await.text());
    let done = owner
        .post(
            site,
            "/en/account/totp",
            &[("value", &new_code), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    assert_eq!(done.text().matches("<li><code>").count(), 10);
    assert_eq!(
        laptop.get(site, "/en/account").await.status,
        StatusCode::SEE_OTHER
    );
    fixture.clock.advance(30);
    let old_code = totp::code_at(&old_secret, fixture.clock.now()).unwrap();
    let mut later = Browser::new("192.0.2.122");
    assert_eq!(
        later
            .sign_in(site, "arch", PASSWORD, &old_code)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let next = totp::code_at(&secret_bytes, fixture.clock.now()).unwrap();
    assert_eq!(
        later.sign_in(site, "arch", PASSWORD, &next).await.status,
        StatusCode::SEE_OTHER
    );
}

/// Findings F1 and F11 of the issue 13 review: an admin neither adds themselves to a community
/// nor disables themselves; another admin's grant is listed on /admin/users with who, whom,
/// which group and when; disabling needs its confirmation box.
#[tokio::test]
async fn admins_do_not_grant_themselves_communities_nor_disable_themselves() {
    let fixture = fixture();
    researcher(&fixture, "lan");
    for login in ["adm", "quan"] {
        fixture
            .accounts
            .add_user(login, Role::Admin, PASSWORD, &[], "test")
            .unwrap();
    }
    let group = GroupId::parse("cong-dong-a").unwrap();
    fixture
        .accounts
        .add_group(&group, "Cộng đồng A", "test")
        .unwrap();
    let site = &fixture.site;
    let mut adm = Browser::new("192.0.2.130");
    let code_adm = code(&fixture, "adm");
    assert_eq!(
        adm.sign_in(site, "adm", PASSWORD, &code_adm).await.status,
        StatusCode::OK
    );
    let csrf = adm.token(site, "/en/admin/users").await;
    let own = adm
        .post(
            site,
            "/en/admin/groups/members",
            &[("login", "ADM"), ("group", "cong-dong-a"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(own.status, StatusCode::BAD_REQUEST);
    assert!(
        own.text()
            .contains("An admin cannot change their own role or memberships or disable themselves; another admin must."),
        "{}",
        own.text()
    );
    let adm_id = fixture.accounts.find_user("adm").unwrap().unwrap().id;
    assert!(fixture.accounts.groups_of(adm_id).unwrap().is_empty());
    // Disabling oneself is refused, even confirmed.
    let itself = adm
        .post(
            site,
            "/en/admin/users/disable",
            &[("login", "adm"), ("confirm", "yes"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(itself.status, StatusCode::BAD_REQUEST);
    assert!(!fixture.accounts.find_user("adm").unwrap().unwrap().disabled);
    // Disabling another account without the box ticked changes nothing.
    let unconfirmed = adm
        .post(
            site,
            "/en/admin/users/disable",
            &[("login", "lan"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(unconfirmed.status, StatusCode::BAD_REQUEST);
    assert!(
        unconfirmed
            .text()
            .contains("Nothing changed: tick the box to confirm.")
    );
    assert!(!fixture.accounts.find_user("lan").unwrap().unwrap().disabled);
    // Another admin grants it; the page lists the grant for every admin.
    let mut quan = Browser::new("192.0.2.131");
    let code_quan = code(&fixture, "quan");
    assert_eq!(
        quan.sign_in(site, "quan", PASSWORD, &code_quan)
            .await
            .status,
        StatusCode::OK
    );
    let csrf_quan = quan.token(site, "/en/admin/users").await;
    let granted = quan
        .post(
            site,
            "/en/admin/groups/members",
            &[
                ("login", "adm"),
                ("group", "cong-dong-a"),
                ("csrf", &csrf_quan),
            ],
        )
        .await;
    assert_eq!(granted.status, StatusCode::OK, "{}", granted.text());
    assert_eq!(fixture.accounts.groups_of(adm_id).unwrap(), vec![group]);
    let page = adm.get(site, "/en/admin/users").await.text();
    let changes = &page[page
        .find(r#"id="membership-changes""#)
        .expect("the changes table")..];
    let when = disan::web::auth::account::date(fixture.clock.now());
    assert!(
        changes.contains(&format!(
            "<td>{when}</td><td>quan</td><td>added to</td><td>adm</td><td>cong-dong-a</td>"
        )),
        "{changes}"
    );
    // Confirmed, another account is disabled.
    let confirmed = adm
        .post(
            site,
            "/en/admin/users/disable",
            &[("login", "lan"), ("confirm", "yes"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::OK);
    assert!(fixture.accounts.find_user("lan").unwrap().unwrap().disabled);
}

/// Issue 13's R14: an admin changes another account's role from /admin/users (confirmed, never
/// their own): the account's sessions end and its API tokens are revoked; promoted to a role
/// that needs a second factor, the page hands over its new key once, and the next sign-in
/// needs a code from it. "Sign out everywhere" revokes tokens too.
#[tokio::test]
async fn an_admin_changes_a_role_and_signs_an_account_out_everywhere() {
    let fixture = fixture();
    researcher(&fixture, "lan");
    researcher(&fixture, "mai");
    fixture
        .accounts
        .add_user("adm", Role::Admin, PASSWORD, &[], "test")
        .unwrap();
    let site = &fixture.site;
    let lan = fixture.accounts.find_user("lan").unwrap().unwrap().id;
    let token = fixture.accounts.create_api_token(lan, "harvester").unwrap();
    let mut lan_browser = Browser::new("192.0.2.140");
    assert_eq!(
        lan_browser.sign_in(site, "lan", PASSWORD, "").await.status,
        StatusCode::SEE_OTHER
    );
    let mut adm = Browser::new("192.0.2.141");
    let code_adm = code(&fixture, "adm");
    assert_eq!(
        adm.sign_in(site, "adm", PASSWORD, &code_adm).await.status,
        StatusCode::OK
    );
    let csrf = adm.token(site, "/en/admin/users").await;
    // Without the box ticked, or for oneself, nothing changes.
    for (login, confirm) in [("lan", ""), ("adm", "yes")] {
        let refused = adm
            .post(
                site,
                "/en/admin/users/role",
                &[
                    ("login", login),
                    ("role", "archivist"),
                    ("confirm", confirm),
                    ("csrf", &csrf),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{login}");
    }
    assert_eq!(
        fixture.accounts.find_user("adm").unwrap().unwrap().role,
        Role::Admin
    );
    let promoted = adm
        .post(
            site,
            "/en/admin/users/role",
            &[
                ("login", "lan"),
                ("role", "archivist"),
                ("confirm", "yes"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(promoted.status, StatusCode::OK, "{}", promoted.text());
    let row = fixture.accounts.find_user("lan").unwrap().unwrap();
    assert_eq!(row.role, Role::Archivist);
    let secret = row.totp_secret.clone().expect("a second-factor key issued");
    assert!(
        promoted.text().contains(&format!(
            "otpauth://totp/Disan:lan?secret={}&amp;",
            totp::base32_encode(&secret)
        )),
        "{}",
        promoted.text()
    );
    // The old session and the token are gone; the next sign-in needs a code from the key.
    assert_eq!(
        fixture.accounts.token_viewer(&token).unwrap(),
        Viewer::Anonymous
    );
    assert_eq!(
        lan_browser.get(site, "/en/account").await.status,
        StatusCode::SEE_OTHER,
        "the researcher's session ended"
    );
    let mut again = Browser::new("192.0.2.142");
    assert_eq!(
        again.sign_in(site, "lan", PASSWORD, "").await.status,
        StatusCode::UNAUTHORIZED
    );
    let lan_code = totp::code_at(&secret, fixture.clock.now()).unwrap();
    assert_eq!(
        again.sign_in(site, "lan", PASSWORD, &lan_code).await.status,
        StatusCode::OK,
        "the first sign-in with the key shows the recovery codes"
    );
    // The same role again changes nothing and says so.
    let same = adm
        .post(
            site,
            "/en/admin/users/role",
            &[
                ("login", "lan"),
                ("role", "archivist"),
                ("confirm", "yes"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(same.status, StatusCode::BAD_REQUEST);
    assert!(same.text().contains("The account has this role already"));
    // Sign out everywhere: sessions and tokens.
    let mai = fixture.accounts.find_user("mai").unwrap().unwrap().id;
    let mai_token = fixture.accounts.create_api_token(mai, "script").unwrap();
    let ended = adm
        .post(
            site,
            "/en/admin/users/sessions",
            &[("login", "mai"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(ended.status, StatusCode::OK);
    assert_eq!(
        fixture.accounts.token_viewer(&mai_token).unwrap(),
        Viewer::Anonymous
    );
    let audit: Vec<String> = fixture
        .accounts
        .audit_log()
        .unwrap()
        .into_iter()
        .map(|row| {
            format!(
                "{} {} {} {}",
                row.actor,
                row.action,
                row.subject,
                row.detail.unwrap_or_default()
            )
        })
        .collect();
    assert!(
        audit.iter().any(|line| line.starts_with(
            "adm user-role lan from=researcher to=archivist sessions-ended=1 tokens-revoked=1"
        )),
        "{audit:#?}"
    );
    assert!(
        audit
            .iter()
            .any(|line| line == "adm sessions-end mai sessions=0 tokens-revoked=1"),
        "{audit:#?}"
    );
}

/// RFC 4648 base32 (uppercase, no padding) back to bytes: the secret as the enrolment page
/// shows it.
fn base32_decode(text: &str) -> Vec<u8> {
    let (mut buffer, mut bits, mut out) = (0u32, 0u32, Vec::new());
    for c in text.bytes() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => panic!("not base32: {text}"),
        };
        buffer = (buffer << 5) | u32::from(value);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    out
}

/// Finding F11 of the issue 13 review: `disan user password` and `disan user reset-totp` end the
/// account's sessions at once (what they call, against a live session).
#[tokio::test]
async fn resetting_a_password_or_a_second_factor_ends_the_sessions() {
    let fixture = fixture();
    let site = &fixture.site;
    let mut owner = Browser::new("192.0.2.140");
    enrolled_archivist(&fixture, "thu", &mut owner).await;
    assert_eq!(owner.get(site, "/en/account").await.status, StatusCode::OK);
    assert_eq!(
        fixture
            .accounts
            .reset_password("thu", "làng nghề Vạn Phúc", "cli")
            .unwrap()
            .sessions,
        1
    );
    assert_eq!(
        owner.get(site, "/en/account").await.status,
        StatusCode::SEE_OTHER
    );
    let code = code(&fixture, "thu");
    assert_eq!(
        owner
            .sign_in(site, "thu", "làng nghề Vạn Phúc", &code)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let old = secret_of(&fixture.accounts, "thu");
    fixture.accounts.reset_totp("thu", "cli").unwrap();
    assert_eq!(
        owner.get(site, "/en/account").await.status,
        StatusCode::SEE_OTHER
    );
    fixture.clock.advance(30);
    let old_code = totp::code_at(&old, fixture.clock.now()).unwrap();
    assert_eq!(
        owner
            .sign_in(site, "thu", "làng nghề Vạn Phúc", &old_code)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    // The new key's first code signs in and brings new recovery codes.
    let first = owner
        .sign_in(
            site,
            "thu",
            "làng nghề Vạn Phúc",
            &self::code(&fixture, "thu"),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.text().matches("<li><code>").count(), 10);
}

/// Finding L7 of the issue 13 review: an operator's password reset (`disan user password`)
/// revokes the account's API tokens as the owner's own change does, and a disabled account that
/// is enabled again does not get its tokens back (ASVS 5 V7.4.3: a credential change ends every
/// other authenticator).
#[tokio::test]
async fn a_password_reset_or_a_disablement_ends_api_tokens_for_good() {
    let fixture = fixture();
    researcher(&fixture, "lan");
    let site = &fixture.site;
    let lan = fixture.accounts.find_user("lan").unwrap().unwrap().id;
    let mut harvester = Browser::new("192.0.2.150");
    let status = |token: &str| {
        Request::get("/api/search?q=luc+giac")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap()
    };
    let before_reset = fixture.accounts.create_api_token(lan, "before").unwrap();
    assert_eq!(
        harvester.send(site, status(&before_reset)).await.status,
        StatusCode::OK
    );
    let ended = fixture
        .accounts
        .reset_password("lan", "làng nghề Vạn Phúc", "cli")
        .unwrap();
    assert_eq!(ended.tokens, 1);
    assert_eq!(
        harvester.send(site, status(&before_reset)).await.status,
        StatusCode::UNAUTHORIZED
    );
    // Disabling revokes; enabling again does not revive the token.
    let before_disable = fixture.accounts.create_api_token(lan, "again").unwrap();
    assert_eq!(
        harvester.send(site, status(&before_disable)).await.status,
        StatusCode::OK
    );
    fixture.accounts.disable_user("lan", "cli").unwrap();
    fixture.accounts.enable_user("lan", "cli").unwrap();
    for token in [&before_reset, &before_disable] {
        assert_eq!(
            harvester.send(site, status(token)).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    assert!(
        fixture
            .accounts
            .api_tokens(lan)
            .unwrap()
            .iter()
            .all(|token| token.revoked.is_some())
    );
    // A token made after re-enabling works: the account itself is whole again.
    let fresh = fixture.accounts.create_api_token(lan, "fresh").unwrap();
    assert_eq!(
        harvester.send(site, status(&fresh)).await.status,
        StatusCode::OK
    );
}

/// Finding L1 of the issue 13 review: odd posts to a form get a page saying what is wrong, in
/// both languages, never a forgery refusal and never axum's plain English text. A small form
/// sent in chunks (no `Content-Length`) is taken like an announced one; a large one is the form
/// 413 page; a form without the web-form `Content-Type` is a 415 page; a body elsewhere is the
/// site's 413 page (JSON under `/api/`).
#[tokio::test]
async fn odd_form_posts_get_clear_413_and_415_pages_in_both_languages() {
    let (fixture, mut browser, csrf) = signed_in_researcher("192.0.2.160").await;
    let site = &fixture.site;
    let chunked = |uri: &str, content_type: Option<&str>, body: String| {
        let mut request = Request::post(uri).header(header::TRANSFER_ENCODING, "chunked");
        if let Some(content_type) = content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        request.body(Body::from(body)).unwrap()
    };
    let form_type = Some("application/x-www-form-urlencoded");
    // A small chunked form works: the token is made.
    let made = browser
        .send(
            site,
            chunked(
                "/en/account/tokens",
                form_type,
                form(&[("csrf", &csrf), ("value", "chunked")]),
            ),
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.text());
    assert!(made.text().contains(r#"<code id="new-token">disan_"#));
    // A large chunked form: the form 413 page, both languages, HTML.
    let big = form(&[("csrf", &csrf), ("value", &"x".repeat(17 * 1024))]);
    let large = browser
        .send(site, chunked("/account/tokens", form_type, big))
        .await;
    assert_eq!(large.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(large.header("content-type").starts_with("text/html"));
    let text = large.text();
    for expected in [
        "Biểu mẫu quá lớn: trang web này nhận tối đa 16 KiB.",
        "The form is too large: this site accepts at most 16 KiB.",
    ] {
        assert!(text.contains(expected), "{text}");
    }
    assert!(!text.contains("takes no request bodies") && !text.contains("expired"));
    // No Content-Type (`curl -X POST /logout`), or another one: the 415 page.
    let unsupported = [
        Request::post("/logout").body(Body::empty()).unwrap(),
        Request::post("/en/account/tokens")
            .header(header::CONTENT_TYPE, "text/plain")
            .header(header::CONTENT_LENGTH, 11)
            .body(Body::from("value=plain"))
            .unwrap(),
        chunked("/account/password", Some("application/json"), "{}".into()),
    ];
    for request in unsupported {
        let uri = request.uri().to_string();
        let answer = browser.send(site, request).await;
        assert_eq!(answer.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{uri}");
        assert!(answer.header("content-type").starts_with("text/html"));
        let text = answer.text();
        for expected in [
            "Biểu mẫu này không được gửi dưới dạng biểu mẫu web",
            "This form was not sent as a web form (Content-Type: application/x-www-form-urlencoded).",
        ] {
            assert!(text.contains(expected), "{uri}: {text}");
        }
        assert!(!text.contains("Form requests must have"), "{uri}: {text}");
    }
    // The web-form type with a charset parameter, any case, is a web form.
    let with_charset = browser
        .send(
            site,
            Request::post("/en/account/tokens")
                .header(
                    header::CONTENT_TYPE,
                    "Application/X-WWW-Form-Urlencoded; charset=UTF-8",
                )
                .body(Body::from(form(&[("csrf", &csrf), ("value", "charset")])))
                .unwrap(),
        )
        .await;
    assert_eq!(with_charset.status, StatusCode::OK);
    // A chunked body elsewhere: the site's 413 page; under /api/: JSON with its code.
    let page = browser
        .send(site, chunked("/en/search", form_type, "q=x".into()))
        .await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(page.header("content-type").starts_with("text/html"));
    assert!(page.text().contains("This site takes no request bodies."));
    let api = browser
        .send(site, chunked("/api/search?q=x", form_type, "q=x".into()))
        .await;
    assert_eq!(api.status, StatusCode::PAYLOAD_TOO_LARGE);
    let json: serde_json::Value = serde_json::from_slice(&api.body).unwrap();
    assert_eq!(json["error"]["code"], "body_refused");
    // Still signed in, and only the two tokens were made.
    let lan = fixture.accounts.find_user("lan").unwrap().unwrap().id;
    assert_eq!(fixture.accounts.api_tokens(lan).unwrap().len(), 2);
}

/// Finding F11 of the issue 13 review: the site removes a member from a group as `disan group
/// remove-member` does: only with its confirmation box ticked, never the admin's own membership,
/// and the removal is audited and listed among the membership changes.
#[tokio::test]
async fn an_admin_removes_a_member_from_a_group_with_a_confirmation() {
    let fixture = fixture();
    let group = GroupId::parse("cong-dong-a").unwrap();
    fixture
        .accounts
        .add_group(&group, "Cộng đồng A", "test")
        .unwrap();
    fixture
        .accounts
        .add_user(
            "lan",
            Role::Researcher,
            PASSWORD,
            std::slice::from_ref(&group),
            "test",
        )
        .unwrap();
    fixture
        .accounts
        .add_user(
            "adm",
            Role::Admin,
            PASSWORD,
            std::slice::from_ref(&group),
            "test",
        )
        .unwrap();
    let site = &fixture.site;
    let mut adm = Browser::new("192.0.2.170");
    let code_adm = code(&fixture, "adm");
    assert_eq!(
        adm.sign_in(site, "adm", PASSWORD, &code_adm).await.status,
        StatusCode::OK
    );
    let page = adm.get(site, "/en/admin/users").await.text();
    // One remove form with its box, for lan's membership only (not the admin's own).
    assert!(
        page.contains(r#"value="lan"><input type="hidden" name="group" value="cong-dong-a"><label><input type="checkbox" name="confirm" value="yes" required> Confirm removing lan from cong-dong-a</label> <button type="submit">Remove lan from cong-dong-a</button>"#),
        "{page}"
    );
    assert!(!page.contains("Remove adm from"), "{page}");
    let vi = adm.get(site, "/admin/users").await.text();
    assert!(
        vi.contains("Xác nhận gỡ lan khỏi cong-dong-a") && vi.contains("Gỡ lan khỏi cong-dong-a")
    );
    let csrf = csrf_of(&page);
    let lan = fixture.accounts.find_user("lan").unwrap().unwrap().id;
    let adm_id = fixture.accounts.find_user("adm").unwrap().unwrap().id;
    let member = |id| fixture.accounts.groups_of(id).unwrap() == vec![group.clone()];
    // Unconfirmed: nothing changes.
    let unconfirmed = remove_member(site, &mut adm, "lan", false, Some(&csrf)).await;
    assert_eq!(unconfirmed.status, StatusCode::BAD_REQUEST);
    assert!(
        unconfirmed
            .text()
            .contains("Nothing changed: tick the box to confirm.")
    );
    assert!(member(lan));
    // Without the token: refused before anything.
    let forged = remove_member(site, &mut adm, "lan", true, None).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(member(lan));
    // Its own membership: refused, even confirmed.
    let own = remove_member(site, &mut adm, "adm", true, Some(&csrf)).await;
    assert_eq!(own.status, StatusCode::BAD_REQUEST);
    assert!(member(adm_id));
    // Confirmed: removed, audited, listed.
    let removed = remove_member(site, &mut adm, "lan", true, Some(&csrf)).await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.text());
    assert!(fixture.accounts.groups_of(lan).unwrap().is_empty());
    let when = disan::web::auth::account::date(fixture.clock.now());
    assert!(
        removed.text().contains(&format!(
            "<td>{when}</td><td>adm</td><td>removed from</td><td>lan</td><td>cong-dong-a</td>"
        )),
        "{}",
        removed.text()
    );
    assert!(fixture.accounts.audit_log().unwrap().iter().any(|row| {
        row.action == "group-member-remove"
            && row.actor == "adm"
            && row.subject == "lan"
            && row.detail.as_deref() == Some("cong-dong-a")
    }));
    // Again: no such membership any more.
    let again = remove_member(site, &mut adm, "lan", true, Some(&csrf)).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
}

/// Posts the form removing `login` from `cong-dong-a`, its box ticked or not, with `csrf`.
async fn remove_member(
    site: &Arc<Site>,
    browser: &mut Browser,
    login: &str,
    confirm: bool,
    csrf: Option<&str>,
) -> Answer {
    let mut fields = vec![("login", login), ("group", "cong-dong-a")];
    if confirm {
        fields.push(("confirm", "yes"));
    }
    if let Some(csrf) = csrf {
        fields.push(("csrf", csrf));
    }
    browser
        .post(site, "/en/admin/groups/members/remove", &fields)
        .await
}

/// Finding R15 of the last review of issue 13, through the router: while the owner's password
/// is reset, sign-ins with the old password and token requests from those sessions keep
/// running on several threads. Afterwards no session or token made by them works.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn nothing_made_in_a_race_with_a_password_reset_survives_it() {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let fixture = Arc::new(fixture());
    researcher(&fixture, "lan");
    let lan = fixture.accounts.find_user("lan").unwrap().unwrap().id;
    let stop = Arc::new(AtomicBool::new(false));
    let signed = Arc::new(AtomicUsize::new(0));
    let mut attackers = Vec::new();
    for n in 0..4 {
        let (fixture, stop, signed) = (fixture.clone(), stop.clone(), signed.clone());
        attackers.push(tokio::spawn(async move {
            let site = &fixture.site;
            let (mut cookies, mut tokens) = (Vec::new(), Vec::new());
            while !stop.load(Ordering::Relaxed) {
                let mut browser = Browser::new(&format!("192.0.2.{}", 160 + n));
                let answer = browser.sign_in(site, "lan", PASSWORD, "").await;
                if answer.status != StatusCode::SEE_OTHER {
                    break;
                }
                signed.fetch_add(1, Ordering::Relaxed);
                let page = browser.get(site, "/en/account").await;
                if page.status == StatusCode::OK {
                    let csrf = csrf_of(&page.text());
                    let made = browser
                        .post(
                            site,
                            "/en/account/tokens",
                            &[("value", "race"), ("csrf", &csrf)],
                        )
                        .await
                        .text();
                    if let Some(start) = made.find("disan_") {
                        tokens.push(made[start..start + 49].to_string());
                    }
                }
                cookies.push(browser);
            }
            (cookies, tokens)
        }));
    }
    while signed.load(Ordering::Relaxed) < 8 {
        assert!(
            !attackers.iter().all(|task| task.is_finished()),
            "the sign-ins stopped"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let accounts = fixture.accounts.clone();
    tokio::task::spawn_blocking(move || {
        accounts
            .reset_password("lan", "làng nghề Vạn Phúc mới", "cli")
            .unwrap()
    })
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    let (mut cookies, mut tokens) = (Vec::new(), Vec::new());
    for attacker in attackers {
        let (some_cookies, some_tokens) = attacker.await.unwrap();
        cookies.extend(some_cookies);
        tokens.extend(some_tokens);
    }
    assert!(
        cookies.len() >= 8 && !tokens.is_empty(),
        "{} {}",
        cookies.len(),
        tokens.len()
    );
    let site = &fixture.site;
    for mut browser in cookies {
        assert_eq!(
            browser.get(site, "/en/account").await.status,
            StatusCode::SEE_OTHER
        );
    }
    let mut harvester = Browser::new("192.0.2.170");
    for token in &tokens {
        let request = Request::get("/api/search?q=luc+giac")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        assert_eq!(
            harvester.send(site, request).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    assert!(fixture.accounts.sessions(lan).unwrap().is_empty());
    assert!(
        fixture
            .accounts
            .api_tokens(lan)
            .unwrap()
            .iter()
            .all(|row| row.revoked.is_some())
    );
}

/// fix14 point 5, over a real socket: the personal API token of an archivist or administrator
/// who has not enrolled a second factor is refused with 403, never redirected: JSON with the
/// code `totp_required` on every `/api/…` address (in the request's language), both languages
/// in plain text on a page; no `Location`, no HTML. Once enrolled, the same token works.
#[tokio::test]
async fn an_unenrolled_staff_token_gets_a_403_never_a_redirect() {
    let fixture = fixture();
    let mut tokens = Vec::new();
    for (login, role) in [("thu", Role::Archivist), ("quan", Role::Admin)] {
        let user = fixture
            .accounts
            .add_user(login, role, PASSWORD, &[], "test")
            .unwrap();
        tokens.push((
            login,
            fixture
                .accounts
                .create_api_token(user.id, "harvest")
                .unwrap(),
        ));
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let site = fixture.site.clone();
    tokio::spawn(async move { axum::serve(listener, app(site)).await });
    let fetch = move |path: &'static str, token: String, lang: &'static str| {
        tokio::task::spawn_blocking(move || {
            let headers = format!("Authorization: Bearer {token}\r\nAccept-Language: {lang}\r\n");
            String::from_utf8_lossy(&crate::support::raw_get(addr, path, &headers)).into_owned()
        })
    };
    let body_of = |answer: &str| answer.split_once("\r\n\r\n").unwrap().1.to_string();
    let head_of = |answer: &str| answer.split_once("\r\n\r\n").unwrap().0.to_lowercase();
    for (login, token) in &tokens {
        for (path, lang, message) in [
            (
                "/api/search?q=trong",
                "vi",
                "Tài khoản này phải đăng ký xác thực hai bước trước khi dùng API hoặc mã API: hãy đăng nhập bằng trình duyệt, đăng ký tại /account/totp, rồi gửi lại yêu cầu.",
            ),
            (
                "/api/records/khong-co",
                "en",
                "This account must enrol a second factor before it may use the API or a token: sign in with a browser, enrol at /account/totp (/en/account/totp in English), then send the request again.",
            ),
            (
                "/api/khong-co-duong-nay",
                "en",
                "This account must enrol a second factor before it may use the API or a token: sign in with a browser, enrol at /account/totp (/en/account/totp in English), then send the request again.",
            ),
        ] {
            let answer = fetch(path, token.clone(), lang).await.unwrap();
            assert!(
                answer.starts_with("HTTP/1.1 403"),
                "{login} {path}: {answer}"
            );
            let head = head_of(&answer);
            assert!(!head.contains("\r\nlocation:"), "{login} {path}: {head}");
            assert!(
                head.contains("content-type: application/json"),
                "{login} {path}: {head}"
            );
            assert!(head.contains("cache-control: private, no-store"), "{head}");
            let json: serde_json::Value = serde_json::from_str(&body_of(&answer)).unwrap();
            assert_eq!(
                json,
                serde_json::json!({"error": {"code": "totp_required", "message": message}}),
                "{login} {path}"
            );
        }
        // A page asked with a token: 403 in both languages, no redirect either.
        let answer = fetch("/search?q=trong", token.clone(), "vi").await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 403"), "{login}: {answer}");
        assert!(!head_of(&answer).contains("\r\nlocation:"), "{login}");
        let body = body_of(&answer);
        assert!(
            body.contains("/account/totp") && body.contains("second factor"),
            "{body}"
        );
        assert!(body.contains("xác thực hai bước"), "{body}");
    }
    // Enrolled (a first sign-in with a code), the archivist's token answers.
    let code = code(&fixture, "thu");
    let mut browser = Browser::new("192.0.2.90");
    let done = browser.sign_in(&fixture.site, "thu", PASSWORD, &code).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    let answer = fetch("/api/search?q=trong", tokens[0].1.clone(), "vi")
        .await
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}
