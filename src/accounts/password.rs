//! Passwords: the rules a new one must meet, and argon2id hashes.
//!
//! Rules (ASVS 5 V6.2; NIST SP 800-63B §3.1.1.2): 8 to 128 characters, counted as Unicode
//! characters after NFC (so a Vietnamese "ă" typed decomposed counts once); no composition
//! rules, no truncation; refused when it is one of the 10,000 most common passwords
//! (`common-passwords.txt`, compared case-insensitively). The length is counted after trimming
//! spaces at both ends, so eight spaces are not a password. Context-specific words are refused
//! (ASVS 5 V6.2.11, "the documented organization- or context-specific word list"): a password
//! that contains the account's own login (4 characters or more; a shorter login only when it is
//! the whole password) or the site's name, "disan" / "Di sản", in any case, with or without
//! accents, spaces or punctuation ([`CONTEXT_WORDS`], compared after [`fold`]).
//!
//! Hashes (ASVS 5 V11.4.2 and its appendix C): argon2id, t=2, m=19456 KiB, p=1, a 16-byte
//! random salt, stored as a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`). The string
//! carries its own parameters, so raising [`CURRENT`] later still verifies old hashes, and
//! [`needs_rehash`] tells the login to store a new one.
//!
//! `common-passwords.txt` is SecLists' `Passwords/Common-Credentials/10-million-password-list-top-10000.txt`
//! (Daniel Miessler and contributors, MIT licence; see `common-passwords.LICENSE`).

use std::collections::HashSet;
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};

use crate::model::text;

/// Fewest characters a password may have (ASVS 5 V6.2.1).
pub const MIN_CHARS: usize = 8;
/// Most characters a password may have (ASVS 5 V6.2.9 asks that at least 64 be allowed).
pub const MAX_CHARS: usize = 128;

/// The site's own words, refused inside any password (ASVS 5 V6.2.11), as [`fold`] leaves them.
pub const CONTEXT_WORDS: &[&str] = &["disan"];

/// The argon2id cost every new hash gets: t=2 passes, m=19456 KiB, p=1 lane.
pub const CURRENT: Cost = Cost {
    memory_kib: 19_456,
    passes: 2,
    lanes: 1,
};

/// The cost parameters of an argon2id hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cost {
    /// Memory, in KiB (`m`).
    pub memory_kib: u32,
    /// Passes over memory (`t`).
    pub passes: u32,
    /// Parallel lanes (`p`).
    pub lanes: u32,
}

/// Why a new password is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WeakPassword {
    /// Shorter than [`MIN_CHARS`].
    #[error(
        "too short: {chars} characters; use at least {MIN_CHARS} (a few words make a good one)"
    )]
    TooShort {
        /// Its length in characters.
        chars: usize,
    },
    /// Longer than [`MAX_CHARS`].
    #[error("too long: {chars} characters; use at most {MAX_CHARS}")]
    TooLong {
        /// Its length in characters.
        chars: usize,
    },
    /// On the list of the most common passwords.
    #[error("it is one of the 10,000 most common passwords; choose one nobody else uses")]
    Common,
    /// Contains the account's login or the site's name (ASVS 5 V6.2.11).
    #[error(
        "it contains the login or the site's name (Disan); choose one that does not (a few words make a good one)"
    )]
    Contextual,
}

/// Checks a new password for the account `login` against the rules (length after NFC and
/// trimming, the common-password list, the context words and the login).
///
/// # Errors
/// The first rule broken, as [`WeakPassword`].
pub fn check_new(password: &str, login: &str) -> Result<(), WeakPassword> {
    let password = text::nfc(password);
    let chars = password.trim().chars().count();
    if chars < MIN_CHARS {
        return Err(WeakPassword::TooShort { chars });
    }
    if chars > MAX_CHARS {
        return Err(WeakPassword::TooLong { chars });
    }
    if common().contains(&password.to_lowercase()) {
        return Err(WeakPassword::Common);
    }
    let folded = fold(&password);
    let login = fold(login);
    let has_login = if login.chars().count() >= 4 {
        folded.contains(&login)
    } else {
        !login.is_empty() && folded == login
    };
    if has_login || CONTEXT_WORDS.iter().any(|word| folded.contains(word)) {
        return Err(WeakPassword::Contextual);
    }
    Ok(())
}

/// `text` as the context check compares it: accents removed (NFD, combining marks dropped,
/// "đ" as "d"), lowercase, letters and digits only ("Di sản!" → "disan").
pub fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'đ' { 'd' } else { c })
        .filter(|c| c.is_alphanumeric())
        .collect()
}

fn common() -> &'static HashSet<String> {
    static COMMON: OnceLock<HashSet<String>> = OnceLock::new();
    COMMON.get_or_init(|| {
        include_str!("common-passwords.txt")
            .lines()
            .map(|line| line.trim().to_lowercase())
            .filter(|line| line.chars().count() >= MIN_CHARS)
            .collect()
    })
}

fn hasher(cost: Cost) -> Argon2<'static> {
    let params = Params::new(cost.memory_kib, cost.passes, cost.lanes, None)
        .expect("the argon2 cost constants are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes `password` (NFC first, so the same password typed on another keyboard matches) with
/// [`CURRENT`] cost and a fresh random salt; returns the PHC string.
pub fn hash(password: &str) -> String {
    hash_with(password, CURRENT)
}

/// [`hash`] with another cost (benchmarks, and tests of [`needs_rehash`]).
pub fn hash_with(password: &str, cost: Cost) -> String {
    let _permit = gate().enter(None);
    let password = text::nfc(password);
    let salt: [u8; 16] = super::random_bytes();
    hasher(cost)
        .hash_password_with_salt(password.as_bytes(), &salt)
        .expect("argon2 hashes any password with a 16-byte salt")
        .to_string()
}

/// Whether `password` matches the PHC string `phc` (with the parameters the string names).
/// A string that is not a valid argon2 PHC string never matches. Waits for a free
/// [`max_concurrent`] slot as long as it takes.
pub fn verify(password: &str, phc: &str) -> bool {
    let _permit = gate().enter(None);
    verify_now(password, phc)
}

/// [`verify`], waiting at most `wait` for a free slot: `None` when none came free (the
/// sign-in answers "try again" instead of queueing without end; finding R16).
pub fn verify_within(password: &str, phc: &str, wait: Duration) -> Option<bool> {
    let _permit = gate().enter(Some(wait))?;
    Some(verify_now(password, phc))
}

/// The most argon2 computations (hashes or verifications) run at once in this process: twice
/// the cores. Each takes [`CURRENT`]'s 19 MiB, so a burst of sign-ins costs at most this many
/// times that (finding R16: 40 parallel guesses took an estimated 760 MB); the rest wait.
pub fn max_concurrent() -> usize {
    std::thread::available_parallelism().map_or(2, |cores| cores.get()) * 2
}

/// How many argon2 computations run now (tests).
pub fn running() -> usize {
    *gate().busy.lock().unwrap_or_else(|p| p.into_inner())
}

/// The process-wide counting semaphore bounding argon2's memory.
struct Gate {
    busy: Mutex<usize>,
    freed: Condvar,
    limit: usize,
}

/// A slot of the [`Gate`], given back when dropped.
struct Permit(&'static Gate);

impl Drop for Permit {
    fn drop(&mut self) {
        let mut busy = self.0.busy.lock().unwrap_or_else(|p| p.into_inner());
        *busy -= 1;
        self.0.freed.notify_one();
    }
}

impl Gate {
    /// Takes a slot, waiting at most `wait` (`None`: without end); `None` when it timed out.
    fn enter(&'static self, wait: Option<Duration>) -> Option<Permit> {
        let deadline = wait.map(|wait| Instant::now() + wait);
        let mut busy = self.busy.lock().unwrap_or_else(|p| p.into_inner());
        while *busy >= self.limit {
            busy = match deadline {
                None => self.freed.wait(busy).unwrap_or_else(|p| p.into_inner()),
                Some(deadline) => {
                    let left = deadline.checked_duration_since(Instant::now())?;
                    self.freed
                        .wait_timeout(busy, left)
                        .unwrap_or_else(|p| p.into_inner())
                        .0
                }
            };
        }
        *busy += 1;
        Some(Permit(self))
    }
}

fn gate() -> &'static Gate {
    static GATE: OnceLock<Gate> = OnceLock::new();
    GATE.get_or_init(|| Gate {
        busy: Mutex::new(0),
        freed: Condvar::new(),
        limit: max_concurrent(),
    })
}

fn verify_now(password: &str, phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    let password = text::nfc(password);
    // The verifier takes algorithm, version and cost from the hash itself.
    hasher(CURRENT)
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
}

/// Whether the hash was made with a weaker cost (or another algorithm) than [`CURRENT`]; the
/// login then stores a new hash of the password it just verified.
pub fn needs_rehash(phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return true;
    };
    if parsed.algorithm.as_str() != "argon2id" {
        return true;
    }
    let Ok(params) = Params::try_from(&parsed) else {
        return true;
    };
    params.m_cost() < CURRENT.memory_kib
        || params.t_cost() < CURRENT.passes
        || params.p_cost() != CURRENT.lanes
}

/// A hash of a random password, verified against when a login names no account, so that an
/// unknown login costs the same time as a wrong password (no user enumeration by timing).
pub fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let random: [u8; 16] = super::random_bytes();
        hash(&format!("{random:?}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_counted_in_characters_after_nfc() {
        // Seven "ặ" typed decomposed (a + dot below + breve) are 21 code points, 7 characters.
        let decomposed = "a\u{323}\u{306}".repeat(7);
        assert_eq!(
            check_new(&decomposed, "lan"),
            Err(WeakPassword::TooShort { chars: 7 })
        );
        assert_eq!(check_new(&"ặ".repeat(8), "lan"), Ok(()));
        assert_eq!(check_new(&"wz".repeat(64), "lan"), Ok(()));
        assert_eq!(
            check_new(&"xy".repeat(65), "lan"),
            Err(WeakPassword::TooLong { chars: 130 })
        );
    }

    #[test]
    fn common_passwords_are_refused_whatever_their_case() {
        assert_eq!(check_new("password", "lan"), Err(WeakPassword::Common));
        assert_eq!(check_new("PassWord", "lan"), Err(WeakPassword::Common));
        assert_eq!(check_new("12345678", "lan"), Err(WeakPassword::Common));
        assert_eq!(check_new("iloveyou", "lan"), Err(WeakPassword::Common));
        assert_eq!(check_new("trống đồng làng Đọi Tam", "lan"), Ok(()));
    }

    #[test]
    fn context_words_and_the_login_are_refused() {
        // The breaker's samples (finding F4): the login itself, the site's name, spaces.
        assert_eq!(
            check_new("longloginname", "longloginname"),
            Err(WeakPassword::Contextual)
        );
        assert_eq!(
            check_new("LongLoginName2026", "longloginname"),
            Err(WeakPassword::Contextual)
        );
        assert_eq!(
            check_new("disandisan", "lan"),
            Err(WeakPassword::Contextual)
        );
        assert_eq!(
            check_new("Kho Di Sản của tôi", "lan"),
            Err(WeakPassword::Contextual)
        );
        assert_eq!(
            check_new("        ", "lan"),
            Err(WeakPassword::TooShort { chars: 0 })
        );
        assert_eq!(
            check_new("  abc12  \t ", "lan"),
            Err(WeakPassword::TooShort { chars: 5 })
        );
        // A short login is refused only as the whole password, not inside words.
        assert_eq!(check_new("lan lan!", "lan"), Ok(()));
        assert_eq!(
            check_new("Lan", "lan"),
            Err(WeakPassword::TooShort { chars: 3 })
        );
        assert_eq!(check_new("trống đồng làng Đọi Tam", "lan"), Ok(()));
        assert_eq!(fold("Đình Di sản!"), "dinhdisan");
    }

    #[test]
    fn the_bundled_list_is_complete() {
        // The SecLists file has 10,000 lines; a truncated copy would let common passwords in.
        assert_eq!(include_str!("common-passwords.txt").lines().count(), 10_000);
    }

    #[test]
    fn hashes_are_argon2id_with_the_asvs_cost_and_verify() {
        let phc = hash("trống đồng làng Đọi Tam");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify("trống đồng làng Đọi Tam", &phc));
        // The same password typed decomposed (NFD) is the same password.
        let nfd = "tro\u{302}\u{301}ng đồng làng Đọi Tam";
        assert!(verify(nfd, &phc));
        assert!(!verify("trống đồng làng Đọi Tam!", &phc));
        assert!(!verify("anything", "not a hash"));
        // Salts differ: two hashes of one password are not equal.
        assert_ne!(phc, hash("trống đồng làng Đọi Tam"));
        assert!(!needs_rehash(&phc));
    }

    #[test]
    fn weaker_hashes_still_verify_and_ask_for_a_rehash() {
        let weak = hash_with(
            "correct horse battery",
            Cost {
                memory_kib: 8192,
                passes: 1,
                lanes: 1,
            },
        );
        assert!(verify("correct horse battery", &weak));
        assert!(needs_rehash(&weak));
    }

    /// Finding R16: argon2 runs at most `max_concurrent` times at once; a sign-in that finds
    /// every slot taken for its whole wait is refused instead of adding 19 MiB.
    #[test]
    fn verifications_wait_for_a_free_slot_and_give_up_after_their_wait() {
        let phc = hash_with(
            "trống đồng Đọi Tam",
            Cost {
                memory_kib: 1024,
                passes: 1,
                lanes: 1,
            },
        );
        let taken: Vec<Permit> = (0..max_concurrent())
            .map(|_| gate().enter(None).unwrap())
            .collect();
        assert_eq!(
            verify_within("trống đồng Đọi Tam", &phc, Duration::from_millis(20)),
            None
        );
        drop(taken);
        assert_eq!(
            verify_within("trống đồng Đọi Tam", &phc, Duration::from_secs(5)),
            Some(true)
        );
    }
}
