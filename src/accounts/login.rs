//! Signing in and changing a password: where passwords, second factors and throttling meet.
//!
//! [`Accounts::authenticate`] is what the `/login` form calls. Its answer to the visitor is
//! generic ([`LoginError`]'s message never says whether the login exists, the password was
//! wrong, the account is disabled or the code failed: ASVS 5 V6.3.8); the reason is carried in
//! [`LoginError::reason`] for the server log. Every attempt for an unknown login verifies the
//! password against a dummy argon2 hash, so it takes as long as a wrong password.

use super::admin::{MAX_LOGIN_CHARS, login_key};
use super::store::{StoreError, UserRow};
use super::{AccountError, Accounts, UserId, password, totp};
use crate::model::access::Viewer;

/// Why a sign-in failed, for the server log (never shown to the visitor).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// No account has this login.
    UnknownLogin,
    /// The password is wrong.
    WrongPassword,
    /// The account is disabled.
    Disabled,
    /// The account has a second factor and no code was given.
    CodeMissing,
    /// The code was wrong, expired or already used.
    CodeWrong,
    /// The role requires a second factor and the account has no secret (an admin must issue
    /// one).
    CodeNotIssued,
}

/// A refused sign-in.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// Wrong credentials, of any kind.
    #[error("The login, password or code is not right.")]
    Refused(Reason),
    /// Too many recent failures for this login or from this address (see
    /// [`throttle`](super::throttle)).
    #[error("Too many failed attempts: wait {seconds} seconds, then try again.")]
    TryLater {
        /// Seconds to wait.
        seconds: i64,
    },
    /// The database failed.
    #[error("Signing in is not possible right now; try again later.")]
    Unavailable(#[from] StoreError),
}

/// A successful sign-in check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    /// The account.
    pub user: UserId,
    /// A fresh device cookie value for this login, to set in the browser
    /// ([`throttle::device`](super::throttle::device)).
    pub device_cookie: String,
}

impl LoginError {
    /// What to write in the server log.
    pub fn reason(&self) -> String {
        match self {
            LoginError::Refused(reason) => format!("refused: {reason:?}"),
            LoginError::TryLater { seconds } => format!("throttled for {seconds} s"),
            LoginError::Unavailable(error) => format!("database: {error}"),
        }
    }
}

impl Accounts {
    /// Checks a sign-in from a client without a device cookie: [`Accounts::sign_in_check`]
    /// with no cookie, answering only the account.
    ///
    /// # Errors
    /// As [`Accounts::sign_in_check`].
    pub fn authenticate(
        &self,
        login: &str,
        password: &str,
        code: Option<&str>,
        address: &str,
    ) -> Result<UserId, LoginError> {
        self.sign_in_check(login, password, code, address, None)
            .map(|signed| signed.user)
    }

    /// Checks a sign-in: the login (any case), the password, and the second factor when the
    /// account has one (a TOTP code or a recovery code in `code`). `address` is the client's IP
    /// address and `device` the value of its device cookie if it sent one, for throttling (see
    /// [`throttle`](super::throttle): an attempt with a valid device cookie for this login is
    /// throttled per device, any other per account and per address).
    ///
    /// On success the failure counter of the device (trusted) or else the account is cleared
    /// ([`Accounts::record_success`]), a hash made
    /// with a lower cost than [`password::CURRENT`] is replaced, and a fresh device cookie is
    /// returned for the browser. The caller then starts a session
    /// ([`sessions::sign_in`](super::sessions::sign_in), which renews the session id).
    ///
    /// Runs argon2 (about 30 ms of CPU): call it from a blocking task in async code.
    ///
    /// # Errors
    /// [`LoginError`]: generic to the visitor; [`LoginError::reason`] for the log.
    pub fn sign_in_check(
        &self,
        login: &str,
        password: &str,
        code: Option<&str>,
        address: &str,
        device: Option<&str>,
    ) -> Result<SignedIn, LoginError> {
        // No account has a login longer than MAX_LOGIN_CHARS: a longer one is cut (not stored
        // whole in the throttle table), and still fails.
        let key = login_key(&login.chars().take(MAX_LOGIN_CHARS + 1).collect::<String>());
        let address: String = address.chars().take(64).collect();
        let address = address.as_str();
        // A valid device cookie for this login whose own counter is not in a delay: trusted.
        let trusted = match device {
            Some(cookie) => self
                .device_for(cookie, &key)?
                .map(|nonce| {
                    self.device_wait(&nonce)
                        .map(|wait| (wait == 0).then_some(nonce))
                })
                .transpose()?
                .flatten(),
            None => None,
        };
        if trusted.is_none() {
            let wait = self.login_wait(&key, address)?;
            if wait > 0 {
                return Err(LoginError::TryLater { seconds: wait });
            }
        }
        let row = self.user_by_key(&key)?;
        let hash = row
            .as_ref()
            .map_or(password::dummy_hash(), |row| row.password_hash.as_str());
        let password_ok = password::verify(password, hash);
        let outcome = match &row {
            None => Err(Reason::UnknownLogin),
            Some(_) if !password_ok => Err(Reason::WrongPassword),
            Some(row) if row.disabled => Err(Reason::Disabled),
            Some(row) => self.second_factor(row, code)?,
        };
        match (outcome, row) {
            (Ok(()), Some(row)) => {
                self.record_success(&key, trusted.as_deref())?;
                if password::needs_rehash(&row.password_hash) {
                    self.set_password_hash(row.id, &password::hash(password))?;
                }
                Ok(SignedIn {
                    user: row.id,
                    device_cookie: self.issue_device_cookie(&key)?,
                })
            }
            (Err(reason), _) => {
                match &trusted {
                    Some(nonce) => self.record_device_failure(nonce)?,
                    None => self.record_failure(&key, address)?,
                }
                Err(LoginError::Refused(reason))
            }
            (Ok(()), None) => Err(LoginError::Refused(Reason::UnknownLogin)),
        }
    }

    fn second_factor(
        &self,
        row: &UserRow,
        code: Option<&str>,
    ) -> Result<Result<(), Reason>, StoreError> {
        let needed = row.totp_enrolled || totp::required_for(row.role);
        if !needed {
            return Ok(Ok(()));
        }
        if row.totp_secret.is_none() {
            return Ok(Err(Reason::CodeNotIssued));
        }
        let Some(code) = code.map(str::trim).filter(|code| !code.is_empty()) else {
            return Ok(Err(Reason::CodeMissing));
        };
        match self.accept_second_factor(row, code) {
            Ok(true) => Ok(Ok(())),
            Ok(false) => Ok(Err(Reason::CodeWrong)),
            Err(AccountError::Store(error)) => Err(error),
            Err(_) => Ok(Err(Reason::CodeWrong)),
        }
    }

    /// Changes `user`'s password after checking the current one, and ends every other session
    /// of the account (ASVS 5 V7.4.3); `keep` is the handle of the session making the change
    /// ([`sessions::handle`](super::sessions::handle)). Returns how many sessions were ended.
    ///
    /// # Errors
    /// [`AccountError::WrongPassword`], [`AccountError::WeakPassword`], database errors.
    pub fn change_password(
        &self,
        user: UserId,
        current: &str,
        new: &str,
        keep: Option<&str>,
    ) -> Result<usize, AccountError> {
        let row = self.user(user)?.ok_or(AccountError::NotFound("account"))?;
        if row.disabled || !password::verify(current, &row.password_hash) {
            return Err(AccountError::WrongPassword);
        }
        password::check_new(new, &row.login)?;
        self.set_password_hash(user, &password::hash(new))?;
        let ended = self.delete_sessions_of(user, keep)?;
        self.audit(&row.login, "password-change", &row.login, None)?;
        Ok(ended)
    }

    /// The viewer account `user` is now: its role and communities, or
    /// [`Viewer::Anonymous`] when it is disabled or gone.
    ///
    /// # Errors
    /// Database errors.
    pub fn viewer(&self, user: UserId) -> Result<Viewer, StoreError> {
        match self.user(user)? {
            Some(row) if !row.disabled => Ok(super::viewer_of(row.role, self.groups_of(user)?)),
            _ => Ok(Viewer::Anonymous),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::accounts::{Clock, ManualClock};
    use crate::model::{GroupId, Role};

    const PASSWORD: &str = "trống đồng Đọi Tam";

    fn accounts() -> (tempfile::TempDir, Arc<ManualClock>, Accounts) {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new(1_700_000_000));
        let accounts =
            Accounts::open_with_clock(&dir.path().join("a.sqlite"), clock.clone()).unwrap();
        (dir, clock, accounts)
    }

    #[test]
    fn a_researcher_signs_in_with_any_case_of_the_login() {
        let (_dir, _clock, accounts) = accounts();
        let group = GroupId::parse("phuong-trong").unwrap();
        accounts.add_group(&group, "Phường trống", "cli").unwrap();
        let new = accounts
            .add_user(
                "Lan",
                Role::Researcher,
                PASSWORD,
                std::slice::from_ref(&group),
                "cli",
            )
            .unwrap();
        assert!(new.totp.is_none());
        let user = accounts
            .authenticate("LAN", PASSWORD, None, "192.0.2.1")
            .unwrap();
        assert_eq!(user, new.id);
        assert_eq!(
            accounts.viewer(user).unwrap(),
            Viewer::Account {
                role: Role::Researcher,
                groups: [group].into()
            }
        );
    }

    #[test]
    fn every_refusal_says_the_same_thing() {
        let (_dir, _clock, accounts) = accounts();
        accounts
            .add_user("lan", Role::Researcher, PASSWORD, &[], "cli")
            .unwrap();
        accounts
            .add_user("minh", Role::Researcher, PASSWORD, &[], "cli")
            .unwrap();
        accounts.disable_user("minh", "cli").unwrap();
        let unknown = accounts
            .authenticate("nobody", PASSWORD, None, "a")
            .unwrap_err();
        let wrong = accounts
            .authenticate("lan", "wrong password", None, "b")
            .unwrap_err();
        let disabled = accounts
            .authenticate("minh", PASSWORD, None, "c")
            .unwrap_err();
        assert!(matches!(unknown, LoginError::Refused(Reason::UnknownLogin)));
        assert!(matches!(wrong, LoginError::Refused(Reason::WrongPassword)));
        assert!(matches!(disabled, LoginError::Refused(Reason::Disabled)));
        let messages = [unknown.to_string(), wrong.to_string(), disabled.to_string()];
        assert!(
            messages
                .iter()
                .all(|m| m == "The login, password or code is not right.")
        );
        assert_eq!(
            accounts
                .viewer(accounts.find_user("minh").unwrap().unwrap().id)
                .unwrap(),
            Viewer::Anonymous
        );
    }

    #[test]
    fn an_archivist_needs_a_fresh_totp_code_each_time() {
        let (_dir, clock, accounts) = accounts();
        let new = accounts
            .add_user("thu", Role::Archivist, PASSWORD, &[], "cli")
            .unwrap();
        let uri = new.totp.unwrap().uri;
        let secret = accounts.user(new.id).unwrap().unwrap().totp_secret.unwrap();
        assert!(uri.contains(&format!("secret={}", totp::base32_encode(&secret))));
        let missing = accounts
            .authenticate("thu", PASSWORD, None, "a")
            .unwrap_err();
        assert!(matches!(missing, LoginError::Refused(Reason::CodeMissing)));
        let code = totp::code_at(&secret, clock.now()).unwrap();
        assert_eq!(
            accounts
                .authenticate("thu", PASSWORD, Some(&code), "a")
                .unwrap(),
            new.id
        );
        assert!(accounts.user(new.id).unwrap().unwrap().totp_enrolled);
        // The same code again, even within its 30 seconds, is a replay.
        let replay = accounts
            .authenticate("thu", PASSWORD, Some(&code), "a")
            .unwrap_err();
        assert!(matches!(replay, LoginError::Refused(Reason::CodeWrong)));
        clock.advance(30);
        let next = totp::code_at(&secret, clock.now()).unwrap();
        assert!(
            accounts
                .authenticate("thu", PASSWORD, Some(&next), "a")
                .is_ok()
        );
    }

    #[test]
    fn recovery_codes_work_once_each() {
        let (_dir, clock, accounts) = accounts();
        let new = accounts
            .add_user("an", Role::Researcher, PASSWORD, &[], "cli")
            .unwrap();
        let enrolment = accounts.begin_totp(new.id, PASSWORD).unwrap();
        let secret = accounts.user(new.id).unwrap().unwrap().totp_secret.unwrap();
        assert_eq!(enrolment.secret_base32, totp::base32_encode(&secret));
        let code = totp::code_at(&secret, clock.now()).unwrap();
        let recovery = accounts.confirm_totp(new.id, &code).unwrap();
        assert_eq!(recovery.len(), 10);
        let missing = accounts
            .authenticate("an", PASSWORD, None, "a")
            .unwrap_err();
        assert!(matches!(missing, LoginError::Refused(Reason::CodeMissing)));
        assert!(
            accounts
                .authenticate("an", PASSWORD, Some(&recovery[3]), "a")
                .is_ok()
        );
        assert!(
            accounts
                .authenticate("an", PASSWORD, Some(&recovery[3]), "a")
                .is_err()
        );
        assert_eq!(accounts.recovery_codes_left(new.id).unwrap(), 9);
        // Turning the factor off needs the password, and then no code is asked.
        assert!(matches!(
            accounts.disable_totp(new.id, "wrong password"),
            Err(AccountError::WrongPassword)
        ));
        accounts.disable_totp(new.id, PASSWORD).unwrap();
        assert!(accounts.authenticate("an", PASSWORD, None, "a").is_ok());
    }

    #[test]
    fn admins_cannot_turn_their_second_factor_off() {
        let (_dir, _clock, accounts) = accounts();
        let new = accounts
            .add_user("root", Role::Admin, PASSWORD, &[], "cli")
            .unwrap();
        assert!(matches!(
            accounts.disable_totp(new.id, PASSWORD),
            Err(AccountError::TotpRequired(Role::Admin))
        ));
    }

    #[test]
    fn throttled_attempts_are_refused_before_the_password_is_checked() {
        let (_dir, clock, accounts) = accounts();
        accounts
            .add_user("lan", Role::Researcher, PASSWORD, &[], "cli")
            .unwrap();
        for _ in 0..6 {
            assert!(
                accounts
                    .authenticate("lan", "guess guess", None, "x")
                    .is_err()
            );
        }
        // Even the right password is refused while the delay runs, and says how long to wait.
        let error = accounts
            .authenticate("lan", PASSWORD, None, "x")
            .unwrap_err();
        assert!(
            matches!(error, LoginError::TryLater { seconds: 1 }),
            "{error:?}"
        );
        clock.advance(1);
        assert!(accounts.authenticate("lan", PASSWORD, None, "x").is_ok());
    }

    #[test]
    fn a_huge_login_is_refused_and_stored_cut() {
        let (_dir, _clock, accounts) = accounts();
        let huge = "x".repeat(1 << 20);
        let error = accounts
            .authenticate(&huge, PASSWORD, None, &huge)
            .unwrap_err();
        assert!(matches!(error, LoginError::Refused(Reason::UnknownLogin)));
        let longest: i64 = accounts
            .db_for_tests()
            .query_row("SELECT max(length(key)) FROM login_throttle", [], |row| {
                row.get(0)
            })
            .unwrap();
        assert_eq!(longest, 65);
    }

    #[test]
    fn a_password_change_needs_the_current_one_and_rehashes() {
        let (_dir, _clock, accounts) = accounts();
        let new = accounts
            .add_user("lan", Role::Researcher, PASSWORD, &[], "cli")
            .unwrap();
        assert!(matches!(
            accounts.change_password(new.id, "not it at all", "làng nghề Vạn Phúc", None),
            Err(AccountError::WrongPassword)
        ));
        assert!(matches!(
            accounts.change_password(new.id, PASSWORD, "password1", None),
            Err(AccountError::WeakPassword(_))
        ));
        accounts
            .change_password(new.id, PASSWORD, "làng nghề Vạn Phúc", None)
            .unwrap();
        assert!(accounts.authenticate("lan", PASSWORD, None, "a").is_err());
        assert!(
            accounts
                .authenticate("lan", "làng nghề Vạn Phúc", None, "a")
                .is_ok()
        );
    }

    #[test]
    fn a_hash_with_a_lower_cost_is_replaced_at_login() {
        let (_dir, _clock, accounts) = accounts();
        let new = accounts
            .add_user("lan", Role::Researcher, PASSWORD, &[], "cli")
            .unwrap();
        let weak = password::hash_with(
            PASSWORD,
            password::Cost {
                memory_kib: 4096,
                passes: 1,
                lanes: 1,
            },
        );
        accounts.set_password_hash(new.id, &weak).unwrap();
        accounts.authenticate("lan", PASSWORD, None, "a").unwrap();
        let stored = accounts.user(new.id).unwrap().unwrap().password_hash;
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
    }
}
