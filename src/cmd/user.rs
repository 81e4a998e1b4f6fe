//! `disan user …` and `disan group …`: accounts and communities from the command line.
//!
//! The first admin is made here (there is no sign-up page), and scripts manage accounts with
//! it. Secrets are read from standard input, never from arguments (which other users of the
//! machine can see in the process list). Exit status: 0 done, 2 bad input (the message names
//! the field), 1 when the database failed.

use std::io::BufRead;
use std::process::ExitCode;

use anyhow::Context;
use disan::accounts::{AccountError, Accounts};
use disan::model::{GroupId, Role};

use super::{Dirs, USAGE};

/// Who the audit names for changes made from the command line.
const ACTOR: &str = "cli";

/// Arguments of `disan user`.
#[derive(Debug, clap::Args)]
pub struct UserArgs {
    #[command(subcommand)]
    command: UserCommand,
}

#[derive(Debug, clap::Subcommand)]
enum UserCommand {
    /// Create an account; the password is read from standard input (one line).
    Add {
        /// The login (letters, digits, '.', '_', '-', '@'; compared ignoring case).
        login: String,
        /// What the account may do: admin, archivist or researcher.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// A community the account belongs to (repeat for several); see `disan group add`.
        #[arg(long = "group", value_parser = parse_group)]
        groups: Vec<GroupId>,
        /// Read the password from standard input (required: never pass it as an argument).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Disable an account: it cannot sign in, its sessions end and its tokens are revoked.
    Disable {
        /// The login.
        login: String,
    },
    /// Enable a disabled account again (its old sessions and tokens stay ended).
    Enable {
        /// The login.
        login: String,
    },
    /// Set a new password for an account (a forgotten one), read from standard input (one
    /// line); every session of the account ends.
    Password {
        /// The login.
        login: String,
        /// Read the password from standard input (required: never pass it as an argument).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Issue a new second-factor key (a lost authenticator) and print its otpauth:// URI: the
    /// old key and recovery codes stop working and every session ends; the next sign-in needs a
    /// code from the new key and shows new recovery codes.
    ResetTotp {
        /// The login.
        login: String,
        /// The accounts key file (--accounts-key) is lost for good: make a new one and drop
        /// every stored second factor first (every other admin and archivist then needs
        /// `user reset-totp` too).
        #[arg(long)]
        new_key: bool,
    },
    /// Make a personal API token for an account and print it (shown this once only).
    Token {
        /// The login.
        login: String,
        /// What the token is for (shown in the account's token list).
        #[arg(long, default_value = "command line")]
        label: String,
    },
    /// Change an account's role (admin, archivist or researcher): its sessions end and its API
    /// tokens are revoked; a role that needs a second factor, given to an account without one,
    /// comes with a new key (printed as an otpauth:// URI).
    Role {
        /// The login.
        login: String,
        /// The new role.
        #[arg(value_parser = parse_role)]
        role: Role,
    },
    /// End every session of an account and revoke all its API tokens (a lost laptop, a
    /// leaked token).
    SignOut {
        /// The login.
        login: String,
    },
    /// List an account's API tokens: number, label, made, last used, revoked (never the
    /// tokens themselves).
    Tokens {
        /// The login.
        login: String,
    },
    /// Revoke one API token of an account, by the number `user tokens` shows.
    RevokeToken {
        /// The login.
        login: String,
        /// The token's number.
        number: i64,
    },
    /// List accounts: login, role, groups, disabled, second factor, live sessions.
    List,
}

/// Arguments of `disan group`.
#[derive(Debug, clap::Args)]
pub struct GroupArgs {
    #[command(subcommand)]
    command: GroupCommand,
}

#[derive(Debug, clap::Subcommand)]
enum GroupCommand {
    /// Create a community (records name it as `community:ID`).
    Add {
        /// The id: lowercase letters, digits and '-' (such as phuong-trong-doi-tam).
        #[arg(value_parser = parse_group)]
        id: GroupId,
        /// The name people read (such as "Phường trống Đọi Tam").
        #[arg(long)]
        name: String,
    },
    /// Add an account to a community (audited; shown on /admin/users).
    AddMember {
        /// The group id.
        #[arg(value_parser = parse_group)]
        group: GroupId,
        /// The login.
        login: String,
    },
    /// Remove an account from a community (audited; shown on /admin/users).
    RemoveMember {
        /// The group id.
        #[arg(value_parser = parse_group)]
        group: GroupId,
        /// The login.
        login: String,
    },
    /// List communities with their member counts.
    List,
}

fn parse_role(text: &str) -> Result<Role, String> {
    text.parse()
        .map_err(|error: disan::model::InvalidValue| error.0)
}

fn parse_group(text: &str) -> Result<GroupId, String> {
    GroupId::parse(text).map_err(|error| error.0)
}

fn open(dirs: &Dirs) -> anyhow::Result<Accounts> {
    dirs.open_accounts()
}

/// Prints a bad-input error and gives exit status 2; other errors go up (status 1).
fn outcome(command: &str, result: Result<(), AccountError>) -> anyhow::Result<ExitCode> {
    match result {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(AccountError::Store(error)) => Err(error.into()),
        Err(error) => {
            eprintln!("disan {command}: {error}");
            Ok(ExitCode::from(USAGE))
        }
    }
}

/// Refuses a command that acts on existing accounts when there is no accounts database (it
/// would create an empty one, e.g. in the wrong folder: finding R9). Only `user add` and
/// `group add` create the database. `Some(status 2)` after saying so on standard error.
fn no_database(dirs: &Dirs, command: &str) -> Option<ExitCode> {
    if dirs.accounts.exists() {
        return None;
    }
    eprintln!(
        "disan {command}: there is no accounts database at {} (--accounts, DISAN_ACCOUNTS); \
         `disan user add` or `disan group add` creates one",
        dirs.accounts.display()
    );
    Some(ExitCode::from(USAGE))
}

/// Runs `disan user …`.
pub fn run_user(dirs: &Dirs, args: UserArgs) -> anyhow::Result<ExitCode> {
    if !matches!(args.command, UserCommand::Add { .. })
        && let Some(status) = no_database(dirs, "user")
    {
        return Ok(status);
    }
    match args.command {
        UserCommand::Add {
            login,
            role,
            groups,
            password_stdin: _,
        } => {
            let password = read_password()?;
            let accounts = open(dirs)?;
            outcome("user add", add(&accounts, &login, role, &password, &groups))
        }
        UserCommand::Disable { login } => {
            let accounts = open(dirs)?;
            outcome(
                "user disable",
                accounts.disable_user(&login, ACTOR).map(|_| {
                    println!(
                        "Disabled '{}': its sessions ended and its tokens are revoked.",
                        login.trim()
                    );
                }),
            )
        }
        UserCommand::Enable { login } => {
            let accounts = open(dirs)?;
            outcome(
                "user enable",
                accounts.enable_user(&login, ACTOR).map(|_| {
                    println!("Enabled '{}': it can sign in again.", login.trim());
                }),
            )
        }
        UserCommand::Password {
            login,
            password_stdin: _,
        } => {
            let password = read_password()?;
            let accounts = open(dirs)?;
            outcome(
                "user password",
                accounts
                    .reset_password(&login, &password, ACTOR)
                    .map(|ended| {
                        println!(
                            "Set a new password for '{}'; {} session(s) ended, {} API token(s) \
                             revoked.",
                            login.trim(),
                            ended.sessions,
                            ended.tokens
                        );
                    }),
            )
        }
        UserCommand::ResetTotp { login, new_key } => {
            let accounts = open(dirs)?;
            if new_key {
                let dropped = accounts
                    .forget_lost_key(ACTOR)
                    .with_context(|| "user reset-totp --new-key".to_string())?;
                println!(
                    "Made a new accounts key file {}; {dropped} account(s) lost their second \
                     factor and need `disan user reset-totp LOGIN`.",
                    accounts.key_path().display()
                );
            }
            outcome(
                "user reset-totp",
                accounts.reset_totp(&login, ACTOR).map(|totp| {
                    println!(
                        "Issued a new second-factor key to '{}': the old key and recovery codes \
                         no longer work and its sessions ended. Add this key to an authenticator \
                         app (or open it as a QR code); the next sign-in needs a code from it:",
                        login.trim()
                    );
                    println!("{}", totp.uri);
                }),
            )
        }
        UserCommand::Token { login, label } => {
            let accounts = open(dirs)?;
            outcome("user token", token(&accounts, &login, &label))
        }
        UserCommand::Role { login, role } => {
            let accounts = open(dirs)?;
            outcome(
                "user role",
                accounts.change_role(&login, role, ACTOR).map(|changed| {
                    println!(
                        "'{}' now has the role {role}; {} session(s) ended, {} API token(s) revoked.",
                        login.trim(),
                        changed.ended.sessions,
                        changed.ended.tokens
                    );
                    if let Some(totp) = changed.totp {
                        println!(
                            "The {role} role signs in with a second factor. Add this key to an \
                             authenticator app (or open it as a QR code) before the next sign-in:"
                        );
                        println!("{}", totp.uri);
                    }
                }),
            )
        }
        UserCommand::SignOut { login } => {
            let accounts = open(dirs)?;
            outcome(
                "user sign-out",
                accounts.sign_out_everywhere(&login, ACTOR).map(|ended| {
                    println!(
                        "Signed '{}' out everywhere: {} session(s) ended, {} API token(s) revoked.",
                        login.trim(),
                        ended.sessions,
                        ended.tokens
                    );
                }),
            )
        }
        UserCommand::Tokens { login } => {
            let accounts = open(dirs)?;
            outcome("user tokens", tokens(&accounts, &login))
        }
        UserCommand::RevokeToken { login, number } => {
            let accounts = open(dirs)?;
            outcome(
                "user revoke-token",
                accounts.revoke_token_of(&login, number, ACTOR).map(|()| {
                    println!("Revoked token {number} of '{}'.", login.trim());
                }),
            )
        }
        UserCommand::List => {
            let accounts = open(dirs)?;
            outcome("user list", list(&accounts))
        }
    }
}

/// Runs `disan group …`.
pub fn run_group(dirs: &Dirs, args: GroupArgs) -> anyhow::Result<ExitCode> {
    if !matches!(args.command, GroupCommand::Add { .. })
        && let Some(status) = no_database(dirs, "group")
    {
        return Ok(status);
    }
    let accounts = open(dirs)?;
    match args.command {
        GroupCommand::Add { id, name } => outcome(
            "group add",
            accounts.add_group(&id, &name, ACTOR).map(|()| {
                println!("Created group '{id}'. Records name it as community:{id}.");
            }),
        ),
        GroupCommand::AddMember { group, login } => outcome(
            "group add-member",
            accounts.add_to_group(&login, &group, ACTOR).map(|()| {
                println!("Added '{}' to group '{group}'.", login.trim());
            }),
        ),
        GroupCommand::RemoveMember { group, login } => outcome(
            "group remove-member",
            accounts.remove_from_group(&login, &group, ACTOR).map(|()| {
                println!("Removed '{}' from group '{group}'.", login.trim());
            }),
        ),
        GroupCommand::List => outcome("group list", {
            accounts.groups().map_err(AccountError::from).map(|groups| {
                let rows: Vec<[String; 3]> = groups
                    .into_iter()
                    // Names stored before names were checked may hold escape sequences: they
                    // are shown as `\u{1b}`, never sent raw to the terminal.
                    .map(|(id, name, members)| {
                        [
                            id.to_string(),
                            disan::model::text::printable(&name).into_owned(),
                            members.to_string(),
                        ]
                    })
                    .collect();
                print_table(["ID", "NAME", "MEMBERS"], &rows);
            })
        }),
    }
}

/// One line from standard input without its line ending (spaces are part of the password).
fn read_password() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    let password = line
        .strip_suffix('\n')
        .map(|rest| rest.strip_suffix('\r').unwrap_or(rest))
        .unwrap_or(&line);
    Ok(password.to_string())
}

fn add(
    accounts: &Accounts,
    login: &str,
    role: Role,
    password: &str,
    groups: &[GroupId],
) -> Result<(), AccountError> {
    let new = accounts.add_user(login, role, password, groups, ACTOR)?;
    println!("Created the {role} account '{}'.", new.login);
    if let Some(totp) = new.totp {
        println!(
            "The {role} role signs in with a second factor. Add this key to an authenticator app \
             (or open it as a QR code) before the first sign-in:"
        );
        println!("{}", totp.uri);
    }
    Ok(())
}

fn token(accounts: &Accounts, login: &str, label: &str) -> Result<(), AccountError> {
    let user = accounts
        .find_user(login)?
        .filter(|row| !row.disabled)
        .ok_or_else(|| AccountError::UnknownLogin(login.trim().to_string()))?;
    let token = accounts.create_api_token(user.id, label)?;
    eprintln!(
        "A token for '{}' (shown this once; send it as `Authorization: Bearer …`):",
        user.login
    );
    println!("{token}");
    Ok(())
}

fn tokens(accounts: &Accounts, login: &str) -> Result<(), AccountError> {
    let user = accounts
        .find_user(login)?
        .ok_or_else(|| AccountError::UnknownLogin(login.trim().to_string()))?;
    let day = |time: Option<i64>| time.map_or("-".to_string(), disan::web::auth::account::date);
    let rows: Vec<[String; 5]> = accounts
        .api_tokens(user.id)?
        .into_iter()
        .map(|token| {
            [
                token.id.to_string(),
                disan::model::text::printable(&token.label).into_owned(),
                day(Some(token.created)),
                day(token.last_used),
                day(token.revoked),
            ]
        })
        .collect();
    print_table(["NUMBER", "LABEL", "MADE", "LAST USED", "REVOKED"], &rows);
    Ok(())
}

fn list(accounts: &Accounts) -> Result<(), AccountError> {
    let rows: Vec<[String; 6]> = accounts
        .user_summaries()?
        .into_iter()
        .map(|user| {
            let groups: Vec<&str> = user.groups.iter().map(GroupId::as_str).collect();
            [
                user.login,
                user.role.to_string(),
                if groups.is_empty() {
                    "-".to_string()
                } else {
                    groups.join(",")
                },
                if user.disabled { "yes" } else { "no" }.to_string(),
                if user.totp_enrolled { "yes" } else { "no" }.to_string(),
                user.sessions.to_string(),
            ]
        })
        .collect();
    print_table(
        ["LOGIN", "ROLE", "GROUPS", "DISABLED", "TOTP", "SESSIONS"],
        &rows,
    );
    Ok(())
}

/// Prints rows in columns padded to the widest cell (in characters).
fn print_table<const N: usize>(header: [&str; N], rows: &[[String; N]]) {
    let mut widths = header.map(|cell| cell.chars().count());
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell}{}", " ".repeat(width - cell.chars().count())))
            .collect();
        println!("{}", padded.join("  ").trim_end());
    };
    line(header.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}
