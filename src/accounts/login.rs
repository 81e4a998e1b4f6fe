//! Signing in and changing a password: where passwords, second factors and throttling meet.
//!
//! [`Accounts::authenticate`] is what the `/login` form calls. Its answer to the visitor is
//! generic ([`LoginError`]'s message never says whether the login exists, the password was
//! wrong, the account is disabled or the code failed: ASVS 5 V6.3.8); the reason is carried in
//! [`LoginError::reason`] for the server log. Every attempt for an unknown login verifies the
//! password against a dummy argon2 hash, so it takes as long as a wrong password.

use super::admin::{MAX_LOGIN_CHARS, login_key};
use super::store::{StoreError, UserRow};
use super::throttle::Attempt;
use super::{AccountError, Accounts, Ended, UserId, password, totp};
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
    /// The role requires a second factor and the account has no secret (`disan user
    /// reset-totp` issues one).
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
    /// Too many passwords are being checked at once in this process (the argon2 slots of
    /// [`password::max_concurrent`] stayed taken for [`VERIFY_WAIT`]; finding R16).
    #[error("Signing in is not possible right now; try again in {seconds} seconds.")]
    Busy {
        /// Seconds to wait.
        seconds: i64,
    },
}

/// How long a sign-in waits for a free argon2 slot before it is refused as
/// [`LoginError::Busy`].
pub const VERIFY_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

impl LoginError {
    /// What to write in the server log.
    pub fn reason(&self) -> String {
        match self {
            LoginError::Refused(reason) => format!("refused: {reason:?}"),
            LoginError::TryLater { seconds } => format!("throttled for {seconds} s"),
            LoginError::Unavailable(error) => format!("database: {error}"),
            LoginError::Busy { seconds } => format!("busy: every password slot taken, {seconds} s"),
        }
    }
}

/// An accepted sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authenticated {
    /// The account.
    pub user: UserId,
    /// The account's credential epoch, read with its password hash before the password was
    /// checked: give it to [`sessions::sign_in`](super::sessions::sign_in).
    pub epoch: i64,
    /// A fresh device cookie value for this login, to set in the browser
    /// ([`throttle::device`](super::throttle::device)).
    pub device_cookie: String,
    /// Fresh recovery codes, when this sign-in's code was the first accepted from a secret
    /// issued by `disan user add` or `reset-totp` (the enrolment completes): show them once.
    pub recovery_codes: Option<Vec<String>>,
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
    ) -> Result<Authenticated, LoginError> {
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
        let attempt = match &trusted {
            Some(nonce) => Attempt::Trusted { device: nonce },
            None => Attempt::Untrusted {
                account: &key,
                address,
            },
        };
        // Counted before argon2 runs, atomically with the delay check (finding R16).
        let reservation = match self.reserve(attempt)? {
            Ok(reservation) => reservation,
            Err(seconds) => return Err(LoginError::TryLater { seconds }),
        };
        let row = self.user_by_key(&key)?;
        let hash = row
            .as_ref()
            .map_or(password::dummy_hash(), |row| row.password_hash.as_str());
        let Some(password_ok) = password::verify_within(password, hash, VERIFY_WAIT) else {
            self.give_back(attempt, &reservation)?;
            return Err(LoginError::Busy {
                seconds: VERIFY_WAIT.as_secs().max(1) as i64,
            });
        };
        let outcome = match &row {
            None => Err(Reason::UnknownLogin),
            Some(_) if !password_ok => Err(Reason::WrongPassword),
            Some(row) if row.disabled => Err(Reason::Disabled),
            Some(row) => self.second_factor(row, code)?,
        };
        match (outcome, row) {
            (Ok(first_enrolment), Some(row)) => {
                self.succeeded(attempt, &reservation)?;
                if password::needs_rehash(&row.password_hash) {
                    self.set_password_hash(row.id, &password::hash(password))?;
                }
                let recovery_codes = if first_enrolment {
                    self.audit(&row.login, "totp-enrol", &row.login, None)?;
                    Some(
                        self.new_recovery_codes(row.id)
                            .map_err(|error| match error {
                                AccountError::Store(error) => error,
                                other => StoreError::Corrupt(other.to_string()),
                            })?,
                    )
                } else {
                    None
                };
                Ok(Authenticated {
                    user: row.id,
                    epoch: row.epoch,
                    device_cookie: self.issue_device_cookie(&key)?,
                    recovery_codes,
                })
            }
            // The reserved attempt stays counted: it failed.
            (Err(reason), _) => Err(LoginError::Refused(reason)),
            (Ok(_), None) => Err(LoginError::Refused(Reason::UnknownLogin)),
        }
    }

    /// The second-factor check of a sign-in whose password was right: `Ok(Ok(first))` when it
    /// passes, `first` telling whether this code completed the enrolment of an issued secret.
    ///
    /// Every account holding a secret needs a code from it, enrolled or not: a secret issued by
    /// `disan user add` or `reset-totp` was printed once, and a password alone must never pass
    /// nor reveal it (finding F5). An admin or archivist without any secret is refused too (the
    /// CLI always issues one; `reset-totp` repairs an older database). A pending replacement
    /// ([`Accounts::begin_totp`]) is not a secret here: sign-in keeps asking for the enrolled one.
    fn second_factor(
        &self,
        row: &UserRow,
        code: Option<&str>,
    ) -> Result<Result<bool, Reason>, StoreError> {
        if row.totp_secret.is_none() {
            return Ok(if totp::required_for(row.role) {
                Err(Reason::CodeNotIssued)
            } else {
                Ok(false)
            });
        }
        let Some(code) = code.map(str::trim).filter(|code| !code.is_empty()) else {
            return Ok(Err(Reason::CodeMissing));
        };
        match self.accept_second_factor(row, code) {
            Ok(true) if row.totp_enrolled => Ok(Ok(false)),
            Ok(true) => Ok(Ok(self.mark_totp_enrolled(row.id)?)),
            Ok(false) => Ok(Err(Reason::CodeWrong)),
            Err(AccountError::Store(error)) => Err(error),
            Err(_) => Ok(Err(Reason::CodeWrong)),
        }
    }

    /// Changes `user`'s password after checking the current one, ends every other session of
    /// the account and revokes all its API tokens (ASVS 5 V7.4.3); `keep` is the handle of the
    /// session making the change ([`sessions::handle`](super::sessions::handle)). Returns how
    /// many sessions were ended and tokens revoked.
    ///
    /// # Errors
    /// [`AccountError::WrongPassword`], [`AccountError::WeakPassword`], database errors.
    pub fn change_password(
        &self,
        user: UserId,
        current: &str,
        new: &str,
        keep: Option<&str>,
    ) -> Result<Ended, AccountError> {
        let row = self.user(user)?.ok_or(AccountError::NotFound("account"))?;
        if row.disabled || !password::verify(current, &row.password_hash) {
            return Err(AccountError::WrongPassword);
        }
        password::check_new(new, &row.login)?;
        let ended = self.replace_password_hash(user, &password::hash(new), keep)?;
        self.audit(
            &row.login,
            "password-change",
            &row.login,
            Some(&format!("tokens-revoked={}", ended.tokens)),
        )?;
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
        let enrolment = accounts.begin_totp(new.id, "s1", PASSWORD).unwrap();
        let secret = accounts.totp_pending(new.id, "s1").unwrap().unwrap();
        assert_eq!(enrolment.secret_base32, totp::base32_encode(&secret));
        let code = totp::code_at(&secret, clock.now()).unwrap();
        let recovery = accounts.confirm_totp(new.id, "s1", &code).unwrap();
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

    /// Finding F5 of the issue 13 review: beginning a replacement leaves the enrolled factor
    /// in force; the pending secret is confirmed only from the session that began it.
    #[test]
    fn a_pending_replacement_never_turns_the_enrolled_factor_off() {
        let (_dir, clock, accounts) = accounts();
        let new = accounts
            .add_user("thu", Role::Archivist, PASSWORD, &[], "cli")
            .unwrap();
        let old = accounts.user(new.id).unwrap().unwrap().totp_secret.unwrap();
        let code = totp::code_at(&old, clock.now()).unwrap();
        let first = accounts
            .sign_in_check("thu", PASSWORD, Some(&code), "a", None)
            .unwrap();
        assert_eq!(first.recovery_codes.map(|codes| codes.len()), Some(10));
        assert!(matches!(
            accounts.begin_totp(new.id, "owner", "wrong password"),
            Err(AccountError::WrongPassword)
        ));
        accounts.begin_totp(new.id, "owner", PASSWORD).unwrap();
        let row = accounts.user(new.id).unwrap().unwrap();
        assert!(row.totp_enrolled);
        assert_eq!(row.totp_secret.as_deref(), Some(&old[..]));
        let missing = accounts
            .authenticate("thu", PASSWORD, None, "b")
            .unwrap_err();
        assert!(matches!(missing, LoginError::Refused(Reason::CodeMissing)));
        assert_eq!(accounts.totp_pending(new.id, "other").unwrap(), None);
        let pending = accounts.totp_pending(new.id, "owner").unwrap().unwrap();
        clock.advance(30);
        let pending_code = totp::code_at(&pending, clock.now()).unwrap();
        // A code of the pending secret neither signs in nor confirms from another session.
        assert!(
            accounts
                .authenticate("thu", PASSWORD, Some(&pending_code), "b")
                .is_err()
        );
        assert!(matches!(
            accounts.confirm_totp(new.id, "other", &pending_code),
            Err(AccountError::WrongCode)
        ));
        let old_code = totp::code_at(&old, clock.now()).unwrap();
        assert!(
            accounts
                .sign_in_check("thu", PASSWORD, Some(&old_code), "b", None)
                .unwrap()
                .recovery_codes
                .is_none()
        );
        assert_eq!(
            accounts
                .confirm_totp(new.id, "owner", &pending_code)
                .unwrap()
                .len(),
            10
        );
        clock.advance(30);
        let old_code = totp::code_at(&old, clock.now()).unwrap();
        assert!(
            accounts
                .authenticate("thu", PASSWORD, Some(&old_code), "c")
                .is_err()
        );
    }

    #[test]
    fn an_admin_cannot_grant_themselves_a_community_nor_disable_themselves() {
        let (_dir, _clock, accounts) = accounts();
        let group = GroupId::parse("cong-dong-a").unwrap();
        accounts.add_group(&group, "Cộng đồng A", "cli").unwrap();
        accounts
            .add_user("adm", Role::Admin, PASSWORD, &[], "cli")
            .unwrap();
        assert!(matches!(
            accounts.add_to_group("adm", &group, "ADM"),
            Err(AccountError::OwnAccount)
        ));
        assert!(matches!(
            accounts.disable_user("adm", "adm"),
            Err(AccountError::OwnAccount)
        ));
        accounts.add_to_group("adm", &group, "quan").unwrap();
        assert!(matches!(
            accounts.remove_from_group("adm", &group, "adm"),
            Err(AccountError::OwnAccount)
        ));
        accounts.remove_from_group("adm", &group, "quan").unwrap();
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
