//! Personal API tokens: how a researcher's harvesting script signs in (`Authorization: Bearer …`).
//!
//! A token is `disan_` followed by 32 random bytes in base64url (43 characters): 256 bits, so
//! SHA-256 of it is all the database keeps (a stolen database yields no usable token; ASVS 5
//! V7.2.3 asks for at least 128 bits). It is shown once, when made; the owner then sees its
//! label, creation and last use, and can revoke it. Disabling an account revokes all its tokens.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::store::{StoreError, TokenRow};
use super::{AccountError, Accounts, UserId};
use crate::model::access::Viewer;
use crate::model::text;

/// Every token starts with this, so a leaked one is recognisable (secret scanners, logs).
pub const PREFIX: &str = "disan_";
/// Longest label, in characters.
pub const MAX_LABEL_CHARS: usize = 100;

/// A fresh token (not stored).
pub fn new_token() -> String {
    let bytes: [u8; 32] = super::random_bytes();
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The token in an `Authorization` header value (`Bearer disan_…`, the scheme in any case).
pub fn bearer_token(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|token| token.starts_with(PREFIX))
}

/// What vouches for a new token's owner when it is stored.
#[derive(Debug, Clone, Copy)]
enum Grant<'a> {
    /// An operator read the account with this credential epoch.
    Epoch(i64),
    /// The owner's signed-in session with this handle.
    Session(&'a str),
}

impl Accounts {
    /// Makes a token for `user` with a label, and returns it: the only time it is visible.
    /// For an operator (`disan user token`): the token is stored only while the account is
    /// enabled and its credential epoch is still the one read here (finding R15).
    ///
    /// # Errors
    /// [`AccountError::NotFound`] for an unknown or disabled account (or one whose password
    /// was changed or reset meanwhile), database errors.
    pub fn create_api_token(&self, user: UserId, label: &str) -> Result<String, AccountError> {
        let row = self.user(user)?.filter(|row| !row.disabled);
        let row = row.ok_or(AccountError::NotFound("account"))?;
        self.make_token(&row.login, user, label, Grant::Epoch(row.epoch))
    }

    /// Makes a token for `user` from its signed-in session with handle `session`
    /// ([`sessions::handle`](super::sessions::handle)), and returns it once. The token is
    /// stored only while that session still exists, in the same statement: a password change,
    /// reset, disablement or "end all sessions" ends the session in the transaction that
    /// revokes the tokens, so a token made in a race with it is never left behind (finding
    /// R15).
    ///
    /// # Errors
    /// [`AccountError::NotFound`] (`"session"`) when the session has ended or the account is
    /// disabled, database errors.
    pub fn create_api_token_in_session(
        &self,
        user: UserId,
        session: &str,
        label: &str,
    ) -> Result<String, AccountError> {
        let row = self.user(user)?.filter(|row| !row.disabled);
        let row = row.ok_or(AccountError::NotFound("session"))?;
        self.make_token(&row.login, user, label, Grant::Session(session))
    }

    fn make_token(
        &self,
        login: &str,
        user: UserId,
        label: &str,
        grant: Grant<'_>,
    ) -> Result<String, AccountError> {
        let label: String = text::nfc(label.trim())
            .chars()
            .filter(|c| !c.is_control())
            .take(MAX_LABEL_CHARS)
            .collect();
        let label = if label.is_empty() {
            "token".to_string()
        } else {
            label
        };
        let token = new_token();
        let (epoch, session) = match grant {
            Grant::Epoch(epoch) => (Some(epoch), None),
            Grant::Session(handle) => (None, Some(handle)),
        };
        let stored = self.insert_token(
            user,
            &super::sha256(token.as_bytes()),
            &label,
            epoch,
            session,
        )?;
        if stored.is_none() {
            return Err(AccountError::NotFound(match grant {
                Grant::Epoch(_) => "account",
                Grant::Session(_) => "session",
            }));
        }
        self.audit(login, "token-create", login, Some(&label))?;
        Ok(token)
    }

    /// `user`'s tokens (revoked ones included, marked), oldest first; never the tokens
    /// themselves.
    ///
    /// # Errors
    /// Database errors.
    pub fn api_tokens(&self, user: UserId) -> Result<Vec<TokenRow>, StoreError> {
        self.tokens_of(user)
    }

    /// Revokes `user`'s token number `token`.
    ///
    /// # Errors
    /// [`AccountError::NotFound`] when the account has no such live token.
    pub fn revoke_api_token(&self, user: UserId, token: i64) -> Result<(), AccountError> {
        if !self.revoke_token(user, token)? {
            return Err(AccountError::NotFound("token"));
        }
        let login = self.user(user)?.map(|row| row.login).unwrap_or_default();
        self.audit(&login, "token-revoke", &login, Some(&token.to_string()))?;
        Ok(())
    }

    /// Revokes token number `token` of account `login` on behalf of `actor` (an admin, or
    /// `cli`: `disan user revoke-token`). Audited with the actor.
    ///
    /// # Errors
    /// [`AccountError::UnknownLogin`]; [`AccountError::NotFound`] when the account has no
    /// such live token; database errors.
    pub fn revoke_token_of(
        &self,
        login: &str,
        token: i64,
        actor: &str,
    ) -> Result<(), AccountError> {
        let row = self
            .find_user(login)?
            .ok_or_else(|| AccountError::UnknownLogin(login.trim().to_string()))?;
        if !self.revoke_token(row.id, token)? {
            return Err(AccountError::NotFound("token"));
        }
        self.audit(actor, "token-revoke", &row.login, Some(&token.to_string()))?;
        Ok(())
    }

    /// The viewer a bearer token stands for: its enabled owner, or [`Viewer::Anonymous`] for
    /// an unknown, revoked or malformed token or a disabled owner. Also notes the token's use.
    ///
    /// # Errors
    /// Database errors.
    pub fn token_viewer(&self, token: &str) -> Result<Viewer, StoreError> {
        Ok(self
            .token_user(token)?
            .map(|(_, viewer)| viewer)
            .unwrap_or_default())
    }

    /// The account a live (not revoked) token belongs to, whether or not that account is
    /// disabled (the caller checks); `None` for anything that is not such a token.
    ///
    /// # Errors
    /// The database cannot be read.
    pub(crate) fn token_owner(&self, token: &str) -> Result<Option<UserId>, StoreError> {
        let token = token.trim();
        if !token.starts_with(PREFIX) || token.len() > 200 {
            return Ok(None);
        }
        self.use_token(&super::sha256(token.as_bytes()))
    }

    /// The owner of a bearer token and the owner's standing, when both are remembered and
    /// current; `None`: ask the database ([`Accounts::token_owner`], [`Accounts::standing`]).
    /// Takes microseconds.
    pub fn remembered_token_user(&self, token: &str) -> Option<(UserId, super::store::Standing)> {
        self.remembered_token_standing(&remembered_key(token)?)
    }

    /// The owner of a bearer token and its viewer (for the view log), `None` as
    /// [`Accounts::token_viewer`] gives anonymous.
    ///
    /// # Errors
    /// Database errors.
    pub fn token_user(&self, token: &str) -> Result<Option<(UserId, Viewer)>, StoreError> {
        let Some(user) = self.token_owner(token)? else {
            return Ok(None);
        };
        let viewer = self.viewer(user)?;
        Ok((viewer != Viewer::Anonymous).then_some((user, viewer)))
    }
}

/// The key a well-formed token is remembered by (its SHA-256); `None` for anything else.
fn remembered_key(token: &str) -> Option<[u8; 32]> {
    let token = token.trim();
    (token.starts_with(PREFIX) && token.len() <= 200).then(|| super::sha256(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::accounts::ManualClock;
    use crate::model::Role;

    #[test]
    fn tokens_are_prefixed_256_bit_base64url() {
        let token = new_token();
        assert!(token.starts_with("disan_"));
        assert_eq!(token.len(), 6 + 43);
        assert_ne!(token, new_token());
        assert_eq!(
            bearer_token(&format!("Bearer {token}")),
            Some(token.as_str())
        );
        assert_eq!(
            bearer_token(&format!("bearer  {token} ")),
            Some(token.as_str())
        );
        assert_eq!(bearer_token("Basic dXNlcjpwYXNz"), None);
        assert_eq!(bearer_token("Bearer something-else"), None);
    }

    #[test]
    fn a_token_stands_for_its_owner_until_revoked_or_disabled() {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new(1_700_000_000));
        let accounts =
            Accounts::open_with_clock(&dir.path().join("a.sqlite"), clock.clone()).unwrap();
        let lan = accounts
            .add_user("lan", Role::Researcher, "trống đồng Đọi Tam", &[], "cli")
            .unwrap()
            .id;
        let first = accounts.create_api_token(lan, "harvester").unwrap();
        let second = accounts.create_api_token(lan, "").unwrap();
        assert_eq!(
            accounts.token_viewer(&first).unwrap().role(),
            Some(Role::Researcher)
        );
        let listed = accounts.api_tokens(lan).unwrap();
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[0].label, "harvester");
        assert_eq!(listed[0].last_used, Some(1_700_000_000));
        assert_eq!(listed[1].label, "token");
        assert_eq!(listed[1].last_used, None);
        // Only the hash is stored.
        let stored: Vec<u8> = accounts
            .db_for_tests()
            .query_row(
                "SELECT hash FROM api_tokens WHERE id = ?1",
                [listed[0].id],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(stored, crate::accounts::sha256(first.as_bytes()));
        accounts.revoke_api_token(lan, listed[0].id).unwrap();
        assert_eq!(accounts.token_viewer(&first).unwrap(), Viewer::Anonymous);
        assert!(accounts.revoke_api_token(lan, listed[0].id).is_err());
        assert_eq!(
            accounts.token_viewer(&second).unwrap().role(),
            Some(Role::Researcher)
        );
        accounts.disable_user("lan", "cli").unwrap();
        assert_eq!(accounts.token_viewer(&second).unwrap(), Viewer::Anonymous);
        assert_eq!(
            accounts.token_viewer("disan_forged").unwrap(),
            Viewer::Anonymous
        );
    }
}
