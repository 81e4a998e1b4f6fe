//! The second factor: TOTP codes (RFC 6238) and single-use recovery codes.
//!
//! - TOTP as every authenticator app does it: HMAC-SHA-1, 6 digits, 30 s steps, a code from the
//!   step before or after also accepted (clock drift), a 160-bit secret (RFC 4226 §4 recommends
//!   160). The last accepted step is stored, and a code is accepted only for a later step, so a
//!   code seen over a shoulder or replayed from a log fails (ASVS 5 V6.5.1).
//! - Required for admins and archivists (issue 13; ASVS 5 V6.3.3): `disan user add` issues the
//!   secret and prints its `otpauth://` URI; sign-in then always needs a code from it, and the
//!   first code accepted completes the enrolment and makes the recovery codes (shown once).
//!   `disan user reset-totp` issues a new one the same way. Optional for researchers: [`Accounts::begin_totp`] and
//!   [`Accounts::confirm_totp`] for the account page, [`Accounts::disable_totp`] to turn it off.
//! - The enrolment QR code is drawn here as SVG ([`qr_svg`]): no external service sees the
//!   secret.
//! - Recovery codes: 10 random codes of 80 bits, shown once, stored as SHA-256, each accepted
//!   once in place of a TOTP code (ASVS 5 V6.5.2: random, high-entropy, hashed).

use std::fmt::Write as _;

use qrcodegen::{QrCode, QrCodeEcc};
use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, TOTP};

use super::store::UserRow;
use super::{AccountError, Accounts, UnixTime, UserId, password};
use crate::model::Role;

/// Digits in a code.
pub const DIGITS: usize = 6;
/// Seconds per time step.
pub const STEP: i64 = 30;
/// Bytes of secret (160 bits).
pub const SECRET_BYTES: usize = 20;
/// The issuer name authenticator apps show.
pub const ISSUER: &str = "Disan";
/// How many recovery codes a set has.
pub const RECOVERY_CODES: usize = 10;

/// What the enrolment page shows: the secret as base32 (to type by hand), the `otpauth://` URI
/// and the same URI as a QR code (an SVG document).
#[derive(Debug, Clone)]
pub struct TotpEnrolment {
    /// The secret, base32 without padding.
    pub secret_base32: String,
    /// `otpauth://totp/Disan:LOGIN?secret=…&issuer=Disan&algorithm=SHA1&digits=6&period=30`.
    pub uri: String,
    /// The URI as a QR code, an `<svg>` element.
    pub qr_svg: String,
}

/// Whether accounts of this role must have a second factor.
pub fn required_for(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Archivist)
}

/// A fresh random secret.
pub fn new_secret() -> [u8; SECRET_BYTES] {
    super::random_bytes()
}

fn totp(secret: &[u8]) -> Option<TOTP> {
    // Skew is handled by `matching_step`, which needs to know which step matched.
    TOTP::new(Algorithm::SHA1, DIGITS, 0, STEP as u64, secret.to_vec()).ok()
}

/// The code for the step containing `time` (tests, and the enrolment page's self-check).
pub fn code_at(secret: &[u8], time: UnixTime) -> Option<String> {
    Some(totp(secret)?.generate(time.max(0) as u64))
}

/// The time step (the one before, at or after `now`'s) whose code is `code`, if any; compared
/// in constant time.
pub fn matching_step(secret: &[u8], code: &str, now: UnixTime) -> Option<i64> {
    let totp = totp(secret)?;
    let code = code.trim();
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now_step = now / STEP;
    let mut found = None;
    for step in [now_step - 1, now_step, now_step + 1] {
        if step < 0 {
            continue;
        }
        let expected = totp.generate((step * STEP) as u64);
        if bool::from(expected.as_bytes().ct_eq(code.as_bytes())) {
            found = Some(step);
        }
    }
    found
}

/// The `otpauth://` URI (Google Authenticator's key URI format) for `login`'s secret.
pub fn otpauth_uri(login: &str, secret: &[u8]) -> String {
    format!(
        "otpauth://totp/{ISSUER}:{}?secret={}&issuer={ISSUER}&algorithm=SHA1&digits={DIGITS}&period={STEP}",
        percent_encode(login),
        base32_encode(secret)
    )
}

/// `text` as a QR code (medium error correction), an SVG element with a 4-module quiet zone,
/// black on white, scaled by the page (`width: 100%` works); `None` when too long for a QR code.
pub fn qr_svg(text: &str) -> Option<String> {
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let border = 4;
    let size = qr.size() + 2 * border;
    let mut path = String::new();
    for y in 0..qr.size() {
        for x in 0..qr.size() {
            if qr.get_module(x, y) {
                let _ = write!(path, "M{},{}h1v1h-1z", x + border, y + border);
            }
        }
    }
    Some(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges" role="img"><rect width="100%" height="100%" fill="#fff"/><path d="{path}" fill="#000"/></svg>"##
    ))
}

/// RFC 4648 base32, uppercase, no padding (what authenticator apps read).
pub fn base32_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// Ten fresh recovery codes, `xxxx-xxxx-xxxx-xxxx` in lowercase base32 (80 bits each).
pub fn new_recovery_codes() -> Vec<String> {
    (0..RECOVERY_CODES)
        .map(|_| {
            let bytes: [u8; 10] = super::random_bytes();
            let text = base32_encode(&bytes).to_lowercase();
            text.as_bytes()
                .chunks(4)
                .map(|chunk| std::str::from_utf8(chunk).unwrap_or_default())
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect()
}

/// The stored hash of a recovery code as typed (case, spaces and dashes ignored).
fn recovery_hash(code: &str) -> [u8; 32] {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    super::sha256(normal.as_bytes())
}

impl Accounts {
    /// Begins setting up a second factor for `user` from the session with handle `session`
    /// ([`sessions::handle`](super::sessions::handle)), after checking the current password
    /// (re-authentication, ASVS 5 V6.4.2), and returns what the enrolment page shows.
    ///
    /// The new secret is kept *pending*, apart from the enrolled one: the account keeps its
    /// enrolled factor (sign-in still asks for it) until [`Accounts::confirm_totp`], from the
    /// same session, accepts a code from the new secret. No other session ever sees it (finding
    /// F5 of the issue 13 review: beginning a replacement used to turn the factor off).
    ///
    /// # Errors
    /// [`AccountError::NotFound`] for an unknown account; [`AccountError::WrongPassword`];
    /// database errors.
    pub fn begin_totp(
        &self,
        user: UserId,
        session: &str,
        current_password: &str,
    ) -> Result<TotpEnrolment, AccountError> {
        let row = self.user(user)?.ok_or(AccountError::NotFound("account"))?;
        if row.disabled || !password::verify(current_password, &row.password_hash) {
            return Err(AccountError::WrongPassword);
        }
        let secret = new_secret();
        self.set_totp_pending(user, &secret, session)?;
        self.audit(&row.login, "totp-begin", &row.login, None)?;
        Ok(enrolment(&row.login, &secret))
    }

    /// Completes the enrolment begun by [`Accounts::begin_totp`] in the same session with a
    /// code from the new secret: the new secret replaces the enrolled one, every other session
    /// of the account ends, and a fresh set of recovery codes is returned (to show once).
    ///
    /// # Errors
    /// [`AccountError::WrongCode`] when this session has no pending secret, or the code does
    /// not match a current step of it.
    pub fn confirm_totp(
        &self,
        user: UserId,
        session: &str,
        code: &str,
    ) -> Result<Vec<String>, AccountError> {
        let row = self.user(user)?.ok_or(AccountError::NotFound("account"))?;
        let Some(secret) = self.totp_pending(user, session)? else {
            return Err(AccountError::WrongCode);
        };
        let Some(step) = matching_step(&secret, code, self.now()) else {
            return Err(AccountError::WrongCode);
        };
        if !self.enrol_pending(user, &secret, session, step)? {
            return Err(AccountError::WrongCode);
        }
        self.delete_sessions_of(user, Some(session))?;
        self.audit(&row.login, "totp-enrol", &row.login, None)?;
        self.new_recovery_codes(user)
    }

    /// Issues a new secret to the account `login` from the command line (`disan user
    /// reset-totp`, for a lost authenticator): the old secret, the recovery codes and every
    /// session go; the next sign-in needs a code from the new secret, which completes the
    /// enrolment and shows fresh recovery codes. Returns the enrolment to hand over.
    ///
    /// # Errors
    /// [`AccountError::UnknownLogin`]; database errors.
    pub fn reset_totp(&self, login: &str, actor: &str) -> Result<TotpEnrolment, AccountError> {
        let row = self
            .find_user(login)?
            .ok_or_else(|| AccountError::UnknownLogin(login.trim().to_string()))?;
        let secret = new_secret();
        self.reset_totp_secret(row.id, &secret)?;
        self.audit(actor, "totp-reset", &row.login, None)?;
        Ok(enrolment(&row.login, &secret))
    }

    /// The key file sealing TOTP secrets is lost for good (`disan user reset-totp --new-key`):
    /// makes a new key file and drops every stored second factor, with the recovery codes and
    /// the sessions of those accounts; each admin and archivist then needs
    /// [`Accounts::reset_totp`]. Returns how many accounts lost their second factor. Audited.
    ///
    /// # Errors
    /// [`StoreError::Key`](super::StoreError::Key) when a file is at the key's place (a wrong
    /// key is moved aside by hand, never overwritten); database errors.
    pub fn forget_lost_key(&self, actor: &str) -> Result<usize, AccountError> {
        let dropped = self.replace_lost_key()?;
        self.audit(
            actor,
            "totp-key-replaced",
            &self.key_path().display().to_string(),
            Some(&format!("second-factors-dropped={dropped}")),
        )?;
        Ok(dropped)
    }

    /// Turns the second factor off (researchers only) after checking the current password;
    /// the recovery codes go with it.
    ///
    /// # Errors
    /// [`AccountError::TotpRequired`] for admins and archivists, [`AccountError::WrongPassword`].
    pub fn disable_totp(&self, user: UserId, current_password: &str) -> Result<(), AccountError> {
        let row = self.user(user)?.ok_or(AccountError::NotFound("account"))?;
        if required_for(row.role) {
            return Err(AccountError::TotpRequired(row.role));
        }
        if !password::verify(current_password, &row.password_hash) {
            return Err(AccountError::WrongPassword);
        }
        self.set_totp_secret(user, None)?;
        self.replace_recovery_codes(user, &[])?;
        self.audit("self", "totp-disable", &row.login, None)?;
        Ok(())
    }

    /// Replaces `user`'s recovery codes with ten new ones and returns them (shown once; only
    /// their hashes are kept).
    ///
    /// # Errors
    /// Database errors.
    pub fn new_recovery_codes(&self, user: UserId) -> Result<Vec<String>, AccountError> {
        let codes = new_recovery_codes();
        let hashes: Vec<[u8; 32]> = codes.iter().map(|code| recovery_hash(code)).collect();
        self.replace_recovery_codes(user, &hashes)?;
        Ok(codes)
    }

    /// Whether `code` is a TOTP code for a step after the last accepted one (which it then
    /// becomes), for this account's secret.
    pub(crate) fn accept_totp(&self, row: &UserRow, code: &str) -> Result<bool, AccountError> {
        let Some(secret) = &row.totp_secret else {
            return Ok(false);
        };
        let Some(step) = matching_step(secret, code, self.now()) else {
            return Ok(false);
        };
        Ok(self.accept_totp_step(row.id, step)?)
    }

    /// Whether `input` is a valid second factor for this account: a TOTP code, or one of its
    /// unused recovery codes (then used up).
    pub(crate) fn accept_second_factor(
        &self,
        row: &UserRow,
        input: &str,
    ) -> Result<bool, AccountError> {
        let input = input.trim();
        if input.len() == DIGITS {
            return self.accept_totp(row, input);
        }
        Ok(row.totp_enrolled && self.use_recovery_code(row.id, &recovery_hash(input))?)
    }
}

/// The enrolment shown for `login`'s `secret`.
pub fn enrolment(login: &str, secret: &[u8]) -> TotpEnrolment {
    let uri = otpauth_uri(login, secret);
    TotpEnrolment {
        secret_base32: base32_encode(secret),
        qr_svg: qr_svg(&uri).unwrap_or_default(),
        uri,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B: the SHA-1 secret "12345678901234567890" at T = 59 s gives 94287082
    /// (8 digits); the 6-digit code is its last six digits.
    #[test]
    fn codes_match_the_rfc_6238_test_vector() {
        let secret = b"12345678901234567890";
        assert_eq!(code_at(secret, 59).unwrap(), "287082");
        assert_eq!(code_at(secret, 1_111_111_109).unwrap(), "081804");
        assert_eq!(matching_step(secret, "287082", 59), Some(1));
        // One step of drift either way is accepted, two are not.
        assert_eq!(matching_step(secret, "287082", 89), Some(1));
        assert_eq!(matching_step(secret, "287082", 30 * 3), None);
        assert_eq!(matching_step(secret, "28708", 59), None);
        assert_eq!(matching_step(secret, "abcdef", 59), None);
    }

    #[test]
    fn the_uri_names_disan_and_the_login_and_carries_the_secret_in_base32() {
        // RFC 4648 §10 test vector.
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
        let uri = otpauth_uri("Lan Anh", b"12345678901234567890");
        assert_eq!(
            uri,
            "otpauth://totp/Disan:Lan%20Anh?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Disan&algorithm=SHA1&digits=6&period=30"
        );
        let svg = qr_svg(&uri).unwrap();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(
            svg.contains("<path d=\"M4,4h1v1h-1z"),
            "the finder pattern starts at the quiet zone"
        );
    }

    #[test]
    fn recovery_codes_are_distinct_and_typed_loosely() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let distinct: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(distinct.len(), RECOVERY_CODES);
        assert_eq!(codes[0].len(), 19);
        assert_eq!(
            recovery_hash(&codes[0]),
            recovery_hash(&codes[0].replace('-', " ").to_uppercase())
        );
    }
}
