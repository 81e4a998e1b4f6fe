//! Managing accounts and groups: what `disan user …` and `disan group …` (and later the admin
//! pages) do.
//!
//! Logins are kept as typed (NFC) for display and compared by a key: NFKC, then lowercase, so
//! `Lan`, `LAN` and a full-width `Ｌａｎ` are one account (ASVS 5 V6.2 asks that identifiers not
//! be confusable). A login is 1 to 64 letters, digits, `.`, `_`, `-` or `@`, and its letters
//! are of one script among Latin, Greek and Cyrillic (finding R8: a Cyrillic `а` in `аrch`
//! reads as the Latin `arch`; Unicode TS #39's "mixed-script" rule for these three scripts,
//! whose letters look alike).
//! Every change is written to the audit table with who made it.

use unicode_normalization::UnicodeNormalization;

use super::store::UserRow;
use super::totp::{self, TotpEnrolment};
use super::{AccountError, Accounts, Ended, UserId, password};
use crate::model::text;
use crate::model::{GroupId, Role};

/// Longest login, in characters.
pub const MAX_LOGIN_CHARS: usize = 64;

/// A login checked for its characters and length, with its comparison key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Login {
    /// As typed, trimmed and NFC.
    pub display: String,
    /// NFKC and lowercase: what uniqueness and sign-in compare.
    pub key: String,
}

impl Login {
    /// Checks `text` as a login.
    ///
    /// # Errors
    /// [`AccountError::InvalidLogin`] naming the rule broken.
    pub fn parse(text: &str) -> Result<Login, AccountError> {
        let display = text::nfc(text.trim()).into_owned();
        let chars = display.chars().count();
        if chars == 0 {
            return Err(AccountError::InvalidLogin("it is empty".into()));
        }
        if chars > MAX_LOGIN_CHARS {
            return Err(AccountError::InvalidLogin(format!(
                "{chars} characters is too long; use at most {MAX_LOGIN_CHARS}"
            )));
        }
        if let Some(bad) = display
            .chars()
            .find(|c| !(c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@')))
        {
            return Err(AccountError::InvalidLogin(format!(
                "'{bad}' is not allowed; use letters, digits, '.', '_', '-' and '@'"
            )));
        }
        let key = login_key(&display);
        let mut scripts = key.chars().filter_map(lookalike_script);
        if let Some(first) = scripts.next()
            && let Some(other) = scripts.find(|script| *script != first)
        {
            return Err(AccountError::InvalidLogin(format!(
                "it mixes {} and {} letters, which look alike; use the letters of one script",
                first.name(),
                other.name()
            )));
        }
        Ok(Login { key, display })
    }
}

/// The scripts whose letters look alike (Latin `a`, Greek `α`, Cyrillic `а`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Greek,
    Cyrillic,
}

impl Script {
    fn name(self) -> &'static str {
        match self {
            Script::Latin => "Latin",
            Script::Greek => "Greek",
            Script::Cyrillic => "Cyrillic",
        }
    }
}

/// The look-alike script of letter `c` (by its Unicode block), `None` for digits,
/// punctuation and letters of other scripts.
fn lookalike_script(c: char) -> Option<Script> {
    match c as u32 {
        0x41..=0x5A
        | 0x61..=0x7A
        | 0xC0..=0x24F
        | 0x1E00..=0x1EFF
        | 0x2C60..=0x2C7F
        | 0xA720..=0xA7FF
        | 0xAB30..=0xAB6F => Some(Script::Latin),
        0x370..=0x3FF | 0x1F00..=0x1FFF => Some(Script::Greek),
        0x400..=0x52F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => {
            Some(Script::Cyrillic)
        }
        _ => None,
    }
}

/// The comparison key of a login: NFKC, then lowercase.
pub fn login_key(login: &str) -> String {
    login.trim().nfkc().collect::<String>().to_lowercase()
}

/// A new account as `user add` reports it.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Its id.
    pub id: UserId,
    /// The login as stored.
    pub login: String,
    /// The TOTP enrolment to hand to the user, for roles that require a second factor.
    pub totp: Option<TotpEnrolment>,
}

/// What [`Accounts::change_role`] did.
#[derive(Debug, Clone)]
pub struct RoleChanged {
    /// Sessions ended and API tokens revoked.
    pub ended: Ended,
    /// The TOTP enrolment to hand to the user, when the new role needs a second factor the
    /// account had not enrolled.
    pub totp: Option<TotpEnrolment>,
}

/// An account as `user list` shows it: never a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserSummary {
    /// Its id.
    pub id: UserId,
    /// The login.
    pub login: String,
    /// Its role.
    pub role: Role,
    /// Its communities.
    pub groups: Vec<GroupId>,
    /// Whether it is disabled.
    pub disabled: bool,
    /// Whether a TOTP code was ever accepted.
    pub totp_enrolled: bool,
    /// How many live sessions it has.
    pub sessions: u32,
}

/// The longest group name [`Accounts::add_group`] takes, in characters (Unicode scalar values):
/// enough for any community's full name in Vietnamese, short enough for a table row.
pub const GROUP_NAME_MAX_CHARS: usize = 200;

impl Accounts {
    /// Creates an account. Admins and archivists get a TOTP secret at once (returned, to hand
    /// over as the `otpauth://` URI); their first login with a code from it completes enrolment.
    ///
    /// # Errors
    /// [`AccountError::InvalidLogin`], [`AccountError::WeakPassword`],
    /// [`AccountError::UnknownGroup`] (checked before anything is written),
    /// [`AccountError::LoginTaken`], database errors.
    pub fn add_user(
        &self,
        login: &str,
        role: Role,
        new_password: &str,
        groups: &[GroupId],
        actor: &str,
    ) -> Result<NewUser, AccountError> {
        let login = Login::parse(login)?;
        password::check_new(new_password, &login.key)?;
        for group in groups {
            if !self.group_exists(group)? {
                return Err(AccountError::UnknownGroup(group.to_string()));
            }
        }
        let secret = totp::required_for(role).then(totp::new_secret);
        let hash = password::hash(new_password);
        let id = self
            .insert_user(
                &login.display,
                &login.key,
                role,
                &hash,
                secret.as_ref().map(|secret| &secret[..]),
            )?
            .ok_or_else(|| AccountError::LoginTaken(login.display.clone()))?;
        for group in groups {
            self.add_membership(id, group)?;
        }
        let groups: Vec<&str> = groups.iter().map(GroupId::as_str).collect();
        self.audit(
            actor,
            "user-add",
            &login.display,
            Some(&format!("role={role} groups={}", groups.join(","))),
        )?;
        Ok(NewUser {
            id,
            totp: secret.map(|secret| totp::enrolment(&login.display, &secret)),
            login: login.display,
        })
    }

    /// The account with this login (compared by key).
    ///
    /// # Errors
    /// [`AccountError::InvalidLogin`] for a malformed login; database errors.
    pub fn find_user(&self, login: &str) -> Result<Option<UserRow>, AccountError> {
        let login = Login::parse(login)?;
        Ok(self.user_by_key(&login.key)?)
    }

    /// Disables an account: it can no longer sign in, its sessions end and its tokens are
    /// revoked at once. `actor` is who does it (a login, or `cli`); nobody disables themselves.
    ///
    /// # Errors
    /// [`AccountError::UnknownLogin`]; [`AccountError::OwnAccount`] when `actor` is the
    /// account; database errors.
    pub fn disable_user(&self, login: &str, actor: &str) -> Result<UserId, AccountError> {
        let row = self.existing(login)?;
        not_own(&row, actor)?;
        self.disable_and_end(row.id)?;
        self.audit(actor, "user-disable", &row.login, None)?;
        Ok(row.id)
    }

    /// Enables a disabled account again (`disan user enable`). Its sessions and tokens stay
    /// ended; it signs in as before.
    ///
    /// # Errors
    /// [`AccountError::UnknownLogin`]; database errors.
    pub fn enable_user(&self, login: &str, actor: &str) -> Result<UserId, AccountError> {
        let row = self.existing(login)?;
        self.set_enabled(row.id)?;
        self.audit(actor, "user-enable", &row.login, None)?;
        Ok(row.id)
    }

    /// Sets a new password for account `login` without the current one (`disan user
    /// password`, for a forgotten password), ends every session of the account and revokes all
    /// its API tokens (as [`Accounts::change_password`]). Returns how many of each ended.
    ///
    /// # Errors
    /// [`AccountError::UnknownLogin`], [`AccountError::WeakPassword`]; database errors.
    pub fn reset_password(
        &self,
        login: &str,
        new_password: &str,
        actor: &str,
    ) -> Result<Ended, AccountError> {
        let row = self.existing(login)?;
        password::check_new(new_password, &row.login)?;
        let ended = self.replace_password_hash(row.id, &password::hash(new_password), None)?;
        self.audit(
            actor,
            "password-reset",
            &row.login,
            Some(&format!("tokens-revoked={}", ended.tokens)),
        )?;
        Ok(ended)
    }

    /// Changes the role of account `login` (`disan user role`, the admin page): its sessions
    /// end and its API tokens are revoked (it signs in again under the new role). A role that
    /// needs a second factor, given to an account without an enrolled one, comes with a new
    /// TOTP secret, returned to hand over like [`Accounts::add_user`]'s. An enrolled second
    /// factor stays. Audited (`user-role`, `from=… to=…`). Nobody changes their own role.
    ///
    /// # Errors
    /// [`AccountError::UnknownLogin`]; [`AccountError::OwnAccount`] when `actor` is the
    /// account; [`AccountError::SameRole`] when it has the role already (nothing changes);
    /// database errors.
    pub fn change_role(
        &self,
        login: &str,
        role: Role,
        actor: &str,
    ) -> Result<RoleChanged, AccountError> {
        let row = self.existing(login)?;
        not_own(&row, actor)?;
        if row.role == role {
            return Err(AccountError::SameRole(role));
        }
        let secret = (totp::required_for(role) && !row.totp_enrolled).then(totp::new_secret);
        let ended = self.set_role(row.id, role, secret.as_ref().map(|s| &s[..]))?;
        self.audit(
            actor,
            "user-role",
            &row.login,
            Some(&format!(
                "from={} to={role} sessions-ended={} tokens-revoked={}",
                row.role, ended.sessions, ended.tokens
            )),
        )?;
        Ok(RoleChanged {
            ended,
            totp: secret.map(|secret| totp::enrolment(&row.login, &secret)),
        })
    }

    /// Ends every session of account `login` and revokes its API tokens (the admin page's
    /// "sign out everywhere", `disan user sign-out`). Audited (`sessions-end`, with counts).
    ///
    /// # Errors
    /// [`AccountError::UnknownLogin`]; database errors.
    pub fn sign_out_everywhere(&self, login: &str, actor: &str) -> Result<Ended, AccountError> {
        let row = self.existing(login)?;
        let ended = self.end_everything(row.id)?;
        self.audit(
            actor,
            "sessions-end",
            &row.login,
            Some(&format!(
                "sessions={} tokens-revoked={}",
                ended.sessions, ended.tokens
            )),
        )?;
        Ok(ended)
    }

    /// The account with this login, or [`AccountError::UnknownLogin`].
    fn existing(&self, login: &str) -> Result<UserRow, AccountError> {
        self.find_user(login)?
            .ok_or_else(|| AccountError::UnknownLogin(login.trim().to_string()))
    }

    /// Adds account `login` to `group`. The membership opens the group's community records to
    /// the account, so nobody grants it to themselves (`actor` is the account): another admin
    /// must, and the grant is in the audit that `/admin/users` lists.
    ///
    /// # Errors
    /// [`AccountError::UnknownLogin`], [`AccountError::UnknownGroup`],
    /// [`AccountError::OwnAccount`]; database errors.
    pub fn add_to_group(
        &self,
        login: &str,
        group: &GroupId,
        actor: &str,
    ) -> Result<(), AccountError> {
        let row = self.existing(login)?;
        not_own(&row, actor)?;
        if !self.group_exists(group)? {
            return Err(AccountError::UnknownGroup(group.to_string()));
        }
        self.add_membership(row.id, group)?;
        self.audit(actor, "group-member-add", &row.login, Some(group.as_str()))?;
        Ok(())
    }

    /// Removes account `login` from `group` (nobody from their own groups, as
    /// [`Accounts::add_to_group`]); audited.
    ///
    /// # Errors
    /// [`AccountError::UnknownLogin`], [`AccountError::OwnAccount`],
    /// [`AccountError::NotFound`] when it is not a member; database errors.
    pub fn remove_from_group(
        &self,
        login: &str,
        group: &GroupId,
        actor: &str,
    ) -> Result<(), AccountError> {
        let row = self.existing(login)?;
        not_own(&row, actor)?;
        if !self.remove_membership(row.id, group)? {
            return Err(AccountError::NotFound("membership"));
        }
        self.audit(
            actor,
            "group-member-remove",
            &row.login,
            Some(group.as_str()),
        )?;
        Ok(())
    }

    /// Every account with its groups and session count, by login.
    ///
    /// # Errors
    /// Database errors.
    pub fn user_summaries(&self) -> Result<Vec<UserSummary>, AccountError> {
        self.users()?
            .into_iter()
            .map(|row| {
                Ok(UserSummary {
                    groups: self.groups_of(row.id)?,
                    sessions: self.session_count(row.id)?,
                    id: row.id,
                    login: row.login,
                    role: row.role,
                    disabled: row.disabled,
                    totp_enrolled: row.totp_enrolled,
                })
            })
            .collect()
    }

    /// Creates a group (a community records may name as `community:<id>`).
    ///
    /// # Errors
    /// [`AccountError::InvalidGroup`] for an empty name, a name of more than
    /// [`GROUP_NAME_MAX_CHARS`] characters, or one holding a control, line-separator or format
    /// character (an escape sequence would rewrite the admin's terminal in `disan group list`; a
    /// direction override would reorder the page); [`AccountError::GroupTaken`]; database errors.
    pub fn add_group(&self, id: &GroupId, name: &str, actor: &str) -> Result<(), AccountError> {
        let name = text::nfc(name.trim()).into_owned();
        if name.is_empty() {
            return Err(AccountError::InvalidGroup(
                "the name is empty; give --name \"…\"".into(),
            ));
        }
        let chars = name.chars().count();
        if chars > GROUP_NAME_MAX_CHARS {
            return Err(AccountError::InvalidGroup(format!(
                "the name has {chars} characters; a group's name has at most {GROUP_NAME_MAX_CHARS}"
            )));
        }
        if let Some(c) = name.chars().find(|c| {
            c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') || text::is_format_char(*c)
        }) {
            return Err(AccountError::InvalidGroup(format!(
                "the name holds the control or format character U+{:04X}, which terminals and pages would act on; write the name on one line of plain text",
                c as u32
            )));
        }
        if !self.insert_group(id, &name)? {
            return Err(AccountError::GroupTaken(id.to_string()));
        }
        self.audit(actor, "group-add", id.as_str(), Some(&name))?;
        Ok(())
    }
}

/// [`AccountError::OwnAccount`] when `actor` (a login) is the account `row` itself.
fn not_own(row: &UserRow, actor: &str) -> Result<(), AccountError> {
    if login_key(actor) == login_key(&row.login) {
        return Err(AccountError::OwnAccount);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_compare_after_nfkc_and_lowercase() {
        assert_eq!(Login::parse(" Lan ").unwrap().key, "lan");
        assert_eq!(Login::parse("ＬＡＮ").unwrap().key, "lan");
        assert_eq!(Login::parse("Đức").unwrap().key, "đức");
        // Decomposed input is stored composed.
        assert_eq!(Login::parse("a\u{302}n").unwrap().display, "\u{e2}n");
        assert!(matches!(
            Login::parse("lan anh"),
            Err(AccountError::InvalidLogin(message)) if message.contains("' ' is not allowed")
        ));
        assert!(matches!(
            Login::parse(""),
            Err(AccountError::InvalidLogin(_))
        ));
        assert!(matches!(
            Login::parse(&"a".repeat(65)),
            Err(AccountError::InvalidLogin(_))
        ));
    }

    #[test]
    fn a_login_taken_in_another_case_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let accounts = Accounts::open(&dir.path().join("a.sqlite")).unwrap();
        accounts
            .add_user("Lan", Role::Researcher, "trống đồng Đọi Tam", &[], "cli")
            .unwrap();
        let error = accounts
            .add_user("LAN", Role::Researcher, "trống đồng Đọi Tam", &[], "cli")
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "login: an account named 'LAN' already exists"
        );
        assert!(accounts.find_user("lan").unwrap().is_some());
    }

    /// Finding R8: a login whose letters mix Latin, Greek or Cyrillic is refused, naming the
    /// field; one script (Vietnamese Latin, Greek, Cyrillic) with digits and marks is not.
    #[test]
    fn logins_mixing_look_alike_scripts_are_refused() {
        for (login, first, second) in [
            ("\u{430}rch", "Cyrillic", "Latin"),
            ("adm\u{3bf}", "Latin", "Greek"),
            ("ma.\u{440}", "Latin", "Cyrillic"),
        ] {
            assert_eq!(
                Login::parse(login).unwrap_err().to_string(),
                format!(
                    "login: it mixes {first} and {second} letters, which look alike; use the letters of one script"
                )
            );
        }
        for login in [
            "Nguyễn.Thị-Đức_2",
            "\u{3b1}\u{3b8}\u{3b7}\u{3bd}\u{3ac}",
            "\u{43c}\u{430}\u{448}\u{430}",
            "lan@example.org",
        ] {
            assert!(Login::parse(login).is_ok(), "{login}");
        }
    }
}
