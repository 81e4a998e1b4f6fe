//! Device cookies: how a browser that has signed in to an account before is told apart from
//! everyone else guessing that account's password.
//!
//! The scheme is OWASP's (Authentication Cheat Sheet, "Slow down online guessing attacks with
//! device cookies"): after a successful sign-in the browser gets a cookie
//! `LOGIN,NONCE,SIGNATURE` for that login. An attempt that presents a valid, unexpired device
//! cookie for the login it names, whose own counter is not in a delay, is a *trusted* attempt:
//! it is throttled only by that device's counter (see [`super`]), never by the per-account
//! delay that untrusted attempts share. So an attacker guessing at every `Retry-After` keeps
//! the *untrusted* clients of an account waiting, but not the real user on a browser they have
//! signed in from before.
//!
//! The cookie value is `v1.<issued>.<nonce>.<login>.<mac>`: `issued` in Unix seconds, a 16-byte
//! random `nonce` and the login key in base64url, and `mac` the HMAC-SHA256 (RFC 2104) of
//! everything before it under the server key `device-cookie` (32 random bytes kept in the
//! accounts database, table `server_keys`). A cookie older than [`LIFETIME`] is not trusted.
//! The nonce names the device's throttle counter (kind `device`). Each sign-in issues a fresh
//! cookie; one browser holds the cookie of the last login signed in on it.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::super::UnixTime;
use super::super::store::{Accounts, StoreError};

/// The cookie's name when it can be `Secure` (as the session cookie, see
/// [`SessionConfig::secure`](crate::accounts::sessions::SessionConfig::secure)).
pub const COOKIE_SECURE: &str = "__Host-disan-device";
/// The cookie's name on a plain-HTTP site.
pub const COOKIE_PLAIN: &str = "disan-device";
/// Seconds a device cookie stays trusted after it was issued (180 days).
pub const LIFETIME: i64 = 180 * 24 * 60 * 60;
/// The name of the signing key in `server_keys`.
const KEY_NAME: &str = "device-cookie";

/// HMAC-SHA256 of `message` under `key` (RFC 2104), by RustCrypto's `hmac` crate.
pub fn hmac_sha256(key: &[u8; 32], message: &[u8]) -> [u8; 32] {
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(message);
    mac.finalize().into_bytes().into()
}

/// Compares two byte strings in time independent of where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl Accounts {
    /// A fresh device cookie value for the login key `login_key`, issued now.
    ///
    /// # Errors
    /// The database failed (reading or making the signing key).
    pub fn issue_device_cookie(&self, login_key: &str) -> Result<String, StoreError> {
        let nonce: [u8; 16] = crate::accounts::random_bytes();
        let body = format!(
            "v1.{}.{}.{}",
            self.now(),
            URL_SAFE_NO_PAD.encode(nonce),
            URL_SAFE_NO_PAD.encode(login_key.as_bytes())
        );
        let mac = hmac_sha256(&self.server_key(KEY_NAME)?, body.as_bytes());
        Ok(format!("{body}.{}", URL_SAFE_NO_PAD.encode(mac)))
    }

    /// The device (its nonce, which names its throttle counter) when `cookie` is a valid,
    /// unexpired device cookie for `login_key`; `None` for anything else.
    ///
    /// # Errors
    /// The database failed.
    pub fn device_for(&self, cookie: &str, login_key: &str) -> Result<Option<String>, StoreError> {
        let Some((body, mac)) = cookie.rsplit_once('.') else {
            return Ok(None);
        };
        let parts: Vec<&str> = body.split('.').collect();
        let [version, issued, nonce, login] = parts[..] else {
            return Ok(None);
        };
        let Ok(mac) = URL_SAFE_NO_PAD.decode(mac) else {
            return Ok(None);
        };
        let expected = hmac_sha256(&self.server_key(KEY_NAME)?, body.as_bytes());
        if version != "v1" || !same(&mac, &expected) {
            return Ok(None);
        }
        let issued: UnixTime = issued.parse().unwrap_or(UnixTime::MIN);
        let now = self.now();
        let fresh = issued <= now && now - issued < LIFETIME;
        let for_login = URL_SAFE_NO_PAD
            .decode(login)
            .is_ok_and(|login| login == login_key.as_bytes());
        Ok((fresh && for_login).then(|| nonce.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::accounts::ManualClock;

    #[test]
    fn hmac_matches_rfc_4231_test_case_1() {
        // RFC 4231 test case 1 uses a 20-byte key; the same construction with the key
        // zero-padded to 32 bytes gives the same MAC, since HMAC zero-pads keys to the block.
        let mut key = [0u8; 32];
        key[..20].copy_from_slice(&[0x0b; 20]);
        let mac = hmac_sha256(&key, b"Hi There");
        assert_eq!(
            mac.iter().map(|b| format!("{b:02x}")).collect::<String>(),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        // A full 32-byte key (bytes 0..=31), as the server keys are; the value is Python's
        // `hmac.new(bytes(range(32)), b"v1.1700000000.nonce.login", hashlib.sha256)`.
        let key: [u8; 32] = std::array::from_fn(|i| i as u8);
        let mac = hmac_sha256(&key, b"v1.1700000000.nonce.login");
        assert_eq!(
            mac.iter().map(|b| format!("{b:02x}")).collect::<String>(),
            "93e64db6c1fe87995b3e32b2d0c5071b7a28f8bef7630b5c8d5af6eaf205b8e2"
        );
    }

    #[test]
    fn a_cookie_is_trusted_only_for_its_login_untampered_and_unexpired() {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new(1_700_000_000));
        let accounts =
            Accounts::open_with_clock(&dir.path().join("a.sqlite"), clock.clone()).unwrap();
        let cookie = accounts.issue_device_cookie("lan").unwrap();
        let nonce = accounts.device_for(&cookie, "lan").unwrap().unwrap();
        assert_eq!(URL_SAFE_NO_PAD.decode(&nonce).unwrap().len(), 16);
        assert_eq!(accounts.device_for(&cookie, "minh").unwrap(), None);
        // Naming another login in the cookie breaks the signature.
        let forged = cookie.replace(
            &format!(".{}.", URL_SAFE_NO_PAD.encode("lan")),
            &format!(".{}.", URL_SAFE_NO_PAD.encode("minh")),
        );
        assert_ne!(forged, cookie);
        assert_eq!(accounts.device_for(&forged, "minh").unwrap(), None);
        assert_eq!(accounts.device_for("v1.1.2.3.4", "lan").unwrap(), None);
        assert_eq!(accounts.device_for("", "lan").unwrap(), None);
        // The key survives reopening the database.
        let reopened = Accounts::open_with_clock(&dir.path().join("a.sqlite"), clock.clone())
            .unwrap()
            .device_for(&cookie, "lan")
            .unwrap();
        assert_eq!(reopened, Some(nonce));
        clock.advance(LIFETIME);
        assert_eq!(accounts.device_for(&cookie, "lan").unwrap(), None);
    }
}
