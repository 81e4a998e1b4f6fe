//! Login throttling: growing delays after failed logins, per account and per address.
//!
//! ASVS 5 V6.1.1 and V6.3.1 (ASVS 4 V2.2.1) ask for documented anti-automation against
//! credential stuffing and password guessing that does not let an attacker lock a real user out.
//! The rule Disan implements:
//!
//! - Failures are counted per account (its login key, whether or not the account exists, so the
//!   delays say nothing about which logins exist) and per client address.
//! - The first [`FREE_FAILURES`] failures cost nothing. After that each attempt must wait
//!   1 s, 2 s, 4 s, … (doubling per failure) since the last failure, capped at
//!   [`ACCOUNT_CAP`] (60 s) per account and [`ADDRESS_CAP`] (15 min) per address. An attempt made
//!   too early is refused *before* the password is checked (so it teaches the attacker nothing)
//!   and does not count as a failure.
//! - **No lockout:** the per-account delay never exceeds one minute, however many failures an
//!   attacker piles on, so the real user can always sign in after at most a minute's wait; the
//!   much longer per-address delay only slows the attacking address. A success clears the
//!   account's counter and that address's counter. Counters idle for [`FORGET_AFTER`] (24 h)
//!   are forgotten.
//!
//! The clock is the store's injected [`Clock`](super::Clock), so tests move time by hand.

use super::UnixTime;
use super::store::{Accounts, Failures, StoreError};

/// Failures allowed before any delay.
pub const FREE_FAILURES: u32 = 5;
/// The longest delay per account, in seconds (the most a real user can be made to wait).
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
}

impl Scope {
    fn as_str(self) -> &'static str {
        match self {
            Scope::Account => "account",
            Scope::Address => "address",
        }
    }

    /// The cap of this scope's delay, in seconds.
    pub fn cap(self) -> i64 {
        match self {
            Scope::Account => ACCOUNT_CAP,
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

impl Accounts {
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

    /// Counts one failed login for this account key and address.
    ///
    /// # Errors
    /// The database failed.
    pub fn record_failure(&self, account: &str, address: &str) -> Result<(), StoreError> {
        let now = self.now();
        for (scope, key) in [(Scope::Account, account), (Scope::Address, address)] {
            let previous = self
                .failures(scope.as_str(), key)?
                .filter(|failures| now - failures.last < FORGET_AFTER);
            let count = previous.map_or(0, |failures| failures.count) + 1;
            self.set_failures(
                scope.as_str(),
                key,
                Failures { count, last: now },
                now - FORGET_AFTER,
            )?;
        }
        Ok(())
    }

    /// Clears both counters after a successful login.
    ///
    /// # Errors
    /// The database failed.
    pub fn record_success(&self, account: &str, address: &str) -> Result<(), StoreError> {
        self.clear_failures(Scope::Account.as_str(), account)?;
        self.clear_failures(Scope::Address.as_str(), address)
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
        // A success clears the account's counter (and its own address's).
        accounts.record_success("lan", "203.0.113.9").unwrap();
        assert_eq!(accounts.login_wait("lan", "203.0.113.9").unwrap(), 0);
        assert!(accounts.login_wait("lan", "198.51.100.7").unwrap() > 0);
        // A day later everything is forgotten.
        clock.advance(FORGET_AFTER);
        assert_eq!(accounts.login_wait("lan", "198.51.100.7").unwrap(), 0);
    }
}
