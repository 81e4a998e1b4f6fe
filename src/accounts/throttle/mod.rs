//! Login throttling: growing delays after failed logins, per account, per address and per
//! trusted device.
//!
//! ASVS 5 V6.1.1 and V6.3.1 (ASVS 4 V2.2.1) ask for documented anti-automation against
//! credential stuffing and password guessing that does not let an attacker lock a real user out.
//! The rule Disan implements:
//!
//! - **Untrusted attempts** (no valid [device cookie](device) for the login) are counted per
//!   account (its login key, whether or not the account exists, so the delays say nothing about
//!   which logins exist) and per client address.
//! - **Trusted attempts** (a browser presenting a valid device cookie for that login, issued at
//!   an earlier successful sign-in; OWASP's "device cookies") are counted only per device: the
//!   per-account and per-address delays do not apply to them. A device whose own counter is in a
//!   delay is treated as untrusted.
//! - The first [`FREE_FAILURES`] failures cost nothing. After that each attempt must wait
//!   1 s, 2 s, 4 s, … (doubling per failure) since the last failure, capped at
//!   [`ACCOUNT_CAP`] (60 s) per account and per device and [`ADDRESS_CAP`] (15 min) per address.
//!   An attempt made too early is refused *before* the password is checked (so it teaches the
//!   attacker nothing) and does not count as a failure.
//! - **Counted before it is checked** (finding R16): an attempt that may go ahead is counted
//!   as a failure, atomically with the check ([`Accounts::reserve`]), before argon2 runs; a
//!   success gives it back. So parallel guesses see each other: of 40 sent at once for one
//!   login, only the free ones are checked and the rest get "try later". (A success from an
//!   address in a delay leaves that address's last-failure time at the success's.)
//! - **No lockout of the real user:** an attacker guessing without end keeps the account's
//!   *untrusted* attempts at most a minute apart, but a browser the user has signed in from
//!   before is not delayed by it at all (finding F2 of the issue 13 review). A new browser of
//!   the real user waits as any untrusted client does (at most a minute).
//! - An untrusted success clears the account's counter, a trusted one the device's; neither
//!   clears the address's: signing in to one's own account does not buy an address fresh
//!   guesses against others (finding F3). Counters idle for [`FORGET_AFTER`] (24 h) are
//!   forgotten.
//! - Re-authentication inside a session (the current password asked by `/account/password` and
//!   `/account/totp/begin`) goes through [`Accounts::reauthenticate`]: the same per-account and
//!   per-address delays, and a wrong password counts as a failed sign-in (finding F7).
//!
//! The clock is the store's injected [`Clock`](super::Clock), so tests move time by hand.

pub mod device;

use super::store::{Accounts, Failures, StoreError};
use super::{AccountError, UnixTime, UserId, admin::login_key};

/// Failures allowed before any delay.
pub const FREE_FAILURES: u32 = 5;
/// The longest delay per account (and per device), in seconds (the most a real user on a new
/// browser can be made to wait).
pub const ACCOUNT_CAP: i64 = 60;
/// The longest delay per address, in seconds.
pub const ADDRESS_CAP: i64 = 15 * 60;
/// Seconds after the last failure when a counter is forgotten.
pub const FORGET_AFTER: i64 = 24 * 60 * 60;

/// Which counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Per account (login key).
    Account,
    /// Per client address.
    Address,
    /// Per trusted device (the nonce of its device cookie).
    Device,
}

impl Scope {
    fn as_str(self) -> &'static str {
        match self {
            Scope::Account => "account",
            Scope::Address => "address",
            Scope::Device => "device",
        }
    }

    /// The cap of this scope's delay, in seconds.
    pub fn cap(self) -> i64 {
        match self {
            Scope::Account | Scope::Device => ACCOUNT_CAP,
            Scope::Address => ADDRESS_CAP,
        }
    }
}

/// The delay, in seconds, that `failures` consecutive failures impose on the next attempt:
/// 0 for up to [`FREE_FAILURES`], then 1, 2, 4, … capped at `cap`.
pub fn delay_after(failures: u32, cap: i64) -> i64 {
    if failures <= FREE_FAILURES {
        return 0;
    }
    let doublings = (failures - FREE_FAILURES - 1).min(62);
    (1i64 << doublings).min(cap)
}

/// Seconds still to wait at `now` after `failures`, 0 when an attempt may be made.
pub fn wait_at(failures: Option<Failures>, cap: i64, now: UnixTime) -> i64 {
    let Some(failures) = failures else {
        return 0;
    };
    if now - failures.last >= FORGET_AFTER {
        return 0;
    }
    (failures.last + delay_after(failures.count, cap) - now).max(0)
}

/// One sign-in attempt, as the throttle counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt<'a> {
    /// No valid device cookie: counted per account key and per address (an empty address,
    /// unknown, is not counted).
    Untrusted {
        /// The login key.
        account: &'a str,
        /// The client's address.
        address: &'a str,
    },
    /// From a trusted device (the nonce of its cookie): counted per device only.
    Trusted {
        /// The device cookie's nonce.
        device: &'a str,
    },
}

impl Attempt<'_> {
    /// The counters it is counted against: (kind, key, cap in seconds).
    fn counters(&self) -> Vec<(&str, &str, i64)> {
        match *self {
            Attempt::Untrusted { account, address } => {
                let mut counters = vec![(Scope::Account.as_str(), account, ACCOUNT_CAP)];
                if !address.is_empty() {
                    counters.push((Scope::Address.as_str(), address, ADDRESS_CAP));
                }
                counters
            }
            Attempt::Trusted { device } => vec![(Scope::Device.as_str(), device, ACCOUNT_CAP)],
        }
    }
}

/// A reserved attempt ([`Accounts::reserve`]): for each of its counters, in order, the count
/// it made and the last failure's time before it, to give it back exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reservation {
    before: Vec<(u32, Option<i64>)>,
}

impl Accounts {
    /// Reserves `attempt` before its password is checked: when none of its counters is in a
    /// delay, counts it as a failure of each, in one transaction (so parallel attempts cannot
    /// all pass the check; finding R16). `Err(seconds)` to wait when it may not go ahead.
    ///
    /// # Errors
    /// The database failed.
    pub fn reserve(&self, attempt: Attempt<'_>) -> Result<Result<Reservation, i64>, StoreError> {
        Ok(self
            .reserve_attempt(&attempt.counters(), FORGET_AFTER)?
            .map(|before| Reservation { before }))
    }

    /// Gives a reserved attempt back: it is no longer counted as a failure (it was not one,
    /// or was not checked).
    ///
    /// # Errors
    /// The database failed.
    pub fn give_back(
        &self,
        attempt: Attempt<'_>,
        reservation: &Reservation,
    ) -> Result<(), StoreError> {
        for ((kind, key, _), (count, last)) in
            attempt.counters().into_iter().zip(&reservation.before)
        {
            self.release_attempt(kind, key, *count, *last)?;
        }
        Ok(())
    }

    /// After a reserved attempt succeeded: the account's counter (untrusted) or the device's
    /// (trusted) is cleared, and an untrusted attempt's address gets its reservation back
    /// (a success neither counts against nor clears an address: finding F3).
    ///
    /// # Errors
    /// The database failed.
    pub fn succeeded(
        &self,
        attempt: Attempt<'_>,
        reservation: &Reservation,
    ) -> Result<(), StoreError> {
        match attempt {
            Attempt::Untrusted { account, address } => {
                self.record_success(account, None)?;
                if let Some((count, last)) = reservation.before.get(1) {
                    self.release_attempt(Scope::Address.as_str(), address, *count, *last)?;
                }
                Ok(())
            }
            Attempt::Trusted { device } => self.record_success("", Some(device)),
        }
    }

    /// Seconds an attempt for this account key from this address must still wait (the longer of
    /// the two delays), 0 when it may go ahead.
    ///
    /// # Errors
    /// The database failed.
    pub fn login_wait(&self, account: &str, address: &str) -> Result<i64, StoreError> {
        let now = self.now();
        let by_account = wait_at(
            self.failures(Scope::Account.as_str(), account)?,
            ACCOUNT_CAP,
            now,
        );
        let by_address = wait_at(
            self.failures(Scope::Address.as_str(), address)?,
            ADDRESS_CAP,
            now,
        );
        Ok(by_account.max(by_address))
    }

    /// Seconds an attempt from the trusted device `device` (its nonce) must still wait, 0 when
    /// it may go ahead.
    ///
    /// # Errors
    /// The database failed.
    pub fn device_wait(&self, device: &str) -> Result<i64, StoreError> {
        Ok(wait_at(
            self.failures(Scope::Device.as_str(), device)?,
            ACCOUNT_CAP,
            self.now(),
        ))
    }

    /// Counts one failed untrusted login for this account key and address (an empty address,
    /// unknown, is not counted).
    ///
    /// # Errors
    /// The database failed.
    pub fn record_failure(&self, account: &str, address: &str) -> Result<(), StoreError> {
        self.count_failure(Scope::Account, account)?;
        if address.is_empty() {
            return Ok(());
        }
        self.count_failure(Scope::Address, address)
    }

    /// Counts one failed login from the trusted device `device` (its nonce).
    ///
    /// # Errors
    /// The database failed.
    pub fn record_device_failure(&self, device: &str) -> Result<(), StoreError> {
        self.count_failure(Scope::Device, device)
    }

    fn count_failure(&self, scope: Scope, key: &str) -> Result<(), StoreError> {
        let now = self.now();
        let previous = self
            .failures(scope.as_str(), key)?
            .filter(|failures| now - failures.last < FORGET_AFTER);
        let count = previous.map_or(0, |failures| failures.count) + 1;
        self.set_failures(
            scope.as_str(),
            key,
            Failures { count, last: now },
            now - FORGET_AFTER,
        )
    }

    /// Clears a counter after a successful login: the trusted device's when the sign-in came
    /// from one (`device`, its nonce), otherwise the account's. The address's counter is left
    /// as it is (finding F3), and a trusted sign-in leaves the account's delay to the untrusted
    /// clients it was earned by (an attacker gets no fresh guesses from the real user's sign-in).
    ///
    /// # Errors
    /// The database failed.
    pub fn record_success(&self, account: &str, device: Option<&str>) -> Result<(), StoreError> {
        match device {
            Some(device) => self.clear_failures(Scope::Device.as_str(), device),
            None => self.clear_failures(Scope::Account.as_str(), account),
        }
    }

    /// Re-authentication inside a session: runs `check` (which verifies `user`'s current
    /// password and acts, e.g. [`Accounts::change_password`]) only when the account and the
    /// `address` (empty: unknown) are not in a delay, and counts an
    /// [`AccountError::WrongPassword`] from it as a failed sign-in of the account and address.
    ///
    /// # Errors
    /// [`AccountError::TryLater`] while a delay runs (the password is not checked); whatever
    /// `check` returns; database errors.
    pub fn reauthenticate<T>(
        &self,
        user: UserId,
        address: &str,
        check: impl FnOnce(&Self) -> Result<T, AccountError>,
    ) -> Result<T, AccountError> {
        let row = self.user(user)?.ok_or(AccountError::NotFound("account"))?;
        let key = login_key(&row.login);
        let address: String = address.chars().take(64).collect();
        let attempt = Attempt::Untrusted {
            account: &key,
            address: &address,
        };
        let reservation = match self.reserve(attempt)? {
            Ok(reservation) => reservation,
            Err(seconds) => return Err(AccountError::TryLater { seconds }),
        };
        let outcome = check(self);
        if !matches!(outcome, Err(AccountError::WrongPassword)) {
            self.give_back(attempt, &reservation)?;
        }
        outcome
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::accounts::ManualClock;

    #[test]
    fn delays_are_free_then_double_up_to_the_cap() {
        let delays: Vec<i64> = (0..=14).map(|n| delay_after(n, ACCOUNT_CAP)).collect();
        assert_eq!(delays, [0, 0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(delay_after(15, ADDRESS_CAP), 512);
        assert_eq!(delay_after(16, ADDRESS_CAP), 900);
        assert_eq!(delay_after(u32::MAX, ADDRESS_CAP), 900);
    }

    #[test]
    fn an_attacker_cannot_make_the_real_user_wait_more_than_a_minute() {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new(1_000_000));
        let accounts =
            Accounts::open_with_clock(&dir.path().join("a.sqlite"), clock.clone()).unwrap();
        // 40 failures from the attacker's address, each made as soon as allowed.
        for _ in 0..40 {
            let wait = accounts.login_wait("lan", "198.51.100.7").unwrap();
            clock.advance(wait);
            accounts.record_failure("lan", "198.51.100.7").unwrap();
        }
        // The attacker's address now waits 15 minutes; the real user, elsewhere, one minute.
        assert_eq!(
            accounts.login_wait("lan", "198.51.100.7").unwrap(),
            ADDRESS_CAP
        );
        assert_eq!(
            accounts.login_wait("lan", "203.0.113.9").unwrap(),
            ACCOUNT_CAP
        );
        clock.advance(ACCOUNT_CAP);
        assert_eq!(accounts.login_wait("lan", "203.0.113.9").unwrap(), 0);
        // A success clears the account's counter, not the attacking address's.
        accounts.record_success("lan", None).unwrap();
        assert_eq!(accounts.login_wait("lan", "203.0.113.9").unwrap(), 0);
        assert!(accounts.login_wait("lan", "198.51.100.7").unwrap() > 0);
        // A day later everything is forgotten.
        clock.advance(FORGET_AFTER);
        assert_eq!(accounts.login_wait("lan", "198.51.100.7").unwrap(), 0);
    }

    #[test]
    fn a_device_cookie_signs_in_through_the_accounts_delay_and_is_throttled_alone() {
        use crate::accounts::login::LoginError;
        use crate::model::Role;
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new(1_000_000));
        let accounts =
            Accounts::open_with_clock(&dir.path().join("a.sqlite"), clock.clone()).unwrap();
        let password = "trống đồng Đọi Tam";
        accounts
            .add_user("lan", Role::Researcher, password, &[], "cli")
            .unwrap();
        let signed = accounts
            .sign_in_check("lan", password, None, "203.0.113.9", None)
            .unwrap();
        for _ in 0..8 {
            let _ = accounts.sign_in_check("lan", "guess guess", None, "198.51.100.7", None);
        }
        assert!(matches!(
            accounts.sign_in_check("lan", password, None, "203.0.113.10", None),
            Err(LoginError::TryLater { seconds: 1 })
        ));
        // The known browser goes straight in, and gets a new cookie.
        let again = accounts
            .sign_in_check(
                "lan",
                password,
                None,
                "203.0.113.9",
                Some(&signed.device_cookie),
            )
            .unwrap();
        assert_ne!(again.device_cookie, signed.device_cookie);
        // ...without clearing the delay the untrusted guesses earned.
        assert_eq!(accounts.login_wait("lan", "203.0.113.10").unwrap(), 1);
        // Six wrong passwords from the known browser put that device in a delay, after which
        // it is an untrusted client like any other (behind the account's delay).
        let cookie = again.device_cookie;
        for _ in 0..6 {
            assert!(matches!(
                accounts.sign_in_check("lan", "typo typo", None, "203.0.113.9", Some(&cookie)),
                Err(LoginError::Refused(_))
            ));
        }
        assert!(matches!(
            accounts.sign_in_check("lan", password, None, "203.0.113.9", Some(&cookie)),
            Err(LoginError::TryLater { .. })
        ));
        // A cookie for another login is no cookie.
        assert!(matches!(
            accounts.sign_in_check(
                "minh",
                password,
                None,
                "203.0.113.9",
                Some(&signed.device_cookie)
            ),
            Err(LoginError::Refused(_))
        ));
    }

    #[test]
    fn a_wrong_current_password_counts_and_a_delay_stops_the_check() {
        use crate::model::Role;
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new(1_000_000));
        let accounts =
            Accounts::open_with_clock(&dir.path().join("a.sqlite"), clock.clone()).unwrap();
        let password = "trống đồng Đọi Tam";
        let new = accounts
            .add_user("lan", Role::Researcher, password, &[], "cli")
            .unwrap();
        for _ in 0..6 {
            let outcome = accounts.reauthenticate(new.id, "192.0.2.4", |accounts| {
                accounts.change_password(new.id, "guess guess", "làng nghề Vạn Phúc", None)
            });
            assert!(matches!(outcome, Err(AccountError::WrongPassword)));
        }
        let mut checked = false;
        let outcome = accounts.reauthenticate(new.id, "192.0.2.4", |_| {
            checked = true;
            Ok(())
        });
        assert!(matches!(
            outcome,
            Err(AccountError::TryLater { seconds: 1 })
        ));
        assert!(!checked);
        assert_eq!(accounts.login_wait("lan", "192.0.2.5").unwrap(), 1);
        assert_eq!(accounts.login_wait("someone", "192.0.2.4").unwrap(), 1);
        clock.advance(1);
        accounts
            .reauthenticate(new.id, "192.0.2.4", |accounts| {
                accounts.change_password(new.id, password, "làng nghề Vạn Phúc", None)
            })
            .unwrap();
    }

    /// Finding R16 of the last review of issue 13: 40 wrong passwords for one login sent at
    /// once, each from its own address, were all checked (the delay was checked, then argon2
    /// ran, then the failure was counted). Now each attempt is counted before it is checked,
    /// so only the free ones are checked and the rest are told to wait.
    #[test]
    fn parallel_guesses_get_only_the_free_attempts() {
        use crate::accounts::login::{LoginError, Reason};
        use crate::model::Role;
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new(1_000_000));
        let accounts =
            Accounts::open_with_clock(&dir.path().join("a.sqlite"), clock.clone()).unwrap();
        accounts
            .add_user("lan", Role::Researcher, "trống đồng Đọi Tam", &[], "cli")
            .unwrap();
        let start = Arc::new(std::sync::Barrier::new(40));
        let guesses: Vec<_> = (0..40)
            .map(|n| {
                let (accounts, start) = (accounts.clone(), start.clone());
                std::thread::spawn(move || {
                    start.wait();
                    accounts.sign_in_check(
                        "lan",
                        &format!("guess number {n}"),
                        None,
                        &format!("198.51.100.{n}"),
                        None,
                    )
                })
            })
            .collect();
        let (mut checked, mut later) = (0, 0);
        for guess in guesses {
            match guess.join().unwrap() {
                Err(LoginError::Refused(Reason::WrongPassword)) => checked += 1,
                Err(LoginError::TryLater { seconds: 1 }) => later += 1,
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(
            (checked, later),
            (FREE_FAILURES as usize + 1, 40 - FREE_FAILURES as usize - 1)
        );
        // The right password waits as well, and then a success clears the account's count.
        assert!(matches!(
            accounts.sign_in_check("lan", "trống đồng Đọi Tam", None, "203.0.113.1", None),
            Err(LoginError::TryLater { seconds: 1 })
        ));
        clock.advance(1);
        accounts
            .sign_in_check("lan", "trống đồng Đọi Tam", None, "203.0.113.1", None)
            .unwrap();
        assert_eq!(accounts.login_wait("lan", "203.0.113.1").unwrap(), 0);
    }
}
