//! TOTP secrets sealed at rest with a key kept outside the database (issue 13 review, L8).
//!
//! A TOTP secret is the second factor itself: stored in clear, a copied `accounts.sqlite` is
//! every admin's and archivist's second factor. Each secret is sealed with XChaCha20-Poly1305
//! (RustCrypto `chacha20poly1305`) under a 256-bit key read from a separate file, by default
//! `<accounts>.key` beside the database (`accounts.sqlite.key`), created with mode 0600 on first
//! use; `--accounts-key` / `DISAN_ACCOUNTS_KEY` put it elsewhere (another disk, a secrets
//! mount). A copy of the database alone no longer holds a usable second factor.
//!
//! Sealed form: `[VERSION] ‖ 24-byte random nonce ‖ ciphertext ‖ 16-byte tag`, with the
//! account id as associated data, so a sealed secret copied onto another account's row does
//! not open. The pending secret of an enrolment (`totp_pending`) is sealed the same way, which
//! lets SQL move it into `totp_secret` as it is.

use std::io::Write;
use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::accounts::{UserId, random_bytes};

/// The first byte of every sealed secret: this format.
const VERSION: u8 = 1;
/// Bytes of a key file.
pub const KEY_BYTES: usize = 32;
const NONCE_BYTES: usize = 24;

/// The key file beside the accounts database `database` when none is given: its name with
/// `.key` appended (`accounts.sqlite` → `accounts.sqlite.key`).
pub fn default_key_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".key");
    PathBuf::from(name)
}

/// Why the sealing key cannot be used. Every message names the key file and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// Sealed secrets exist but their key file does not.
    #[error(
        "the accounts key file {key} is missing, but {database} holds second-factor secrets sealed with it: restore the key file from the backup made with the database (or name it with --accounts-key / DISAN_ACCOUNTS_KEY); if it is lost for good, `disan user reset-totp --new-key LOGIN` makes a new key, drops every stored second factor and issues LOGIN a new one (every other admin and archivist then needs `disan user reset-totp LOGIN`)"
    )]
    Missing {
        /// Where the key was looked for.
        key: PathBuf,
        /// The database whose secrets need it.
        database: PathBuf,
    },
    /// The key file does not open the stored secrets (another database's key, or edited).
    #[error(
        "the accounts key file {key} does not open the second-factor secrets of {database}: it is another database's key or was changed; restore the key file backed up with this database (or, if it is lost, see `disan user reset-totp --new-key`)"
    )]
    Wrong {
        /// The key file.
        key: PathBuf,
        /// The database.
        database: PathBuf,
    },
    /// The key file is not 32 bytes.
    #[error("the accounts key file {key} is not a Disan key ({bytes} bytes, expected {KEY_BYTES})")]
    Malformed {
        /// The key file.
        key: PathBuf,
        /// Its length.
        bytes: u64,
    },
    /// The key file cannot be read or created.
    #[error("cannot read or create the accounts key file {key}: {source}")]
    Io {
        /// The key file.
        key: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
}

/// A loaded key.
#[derive(Clone)]
pub(crate) struct SealKey {
    cipher: XChaCha20Poly1305,
}

impl std::fmt::Debug for SealKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealKey(<redacted>)")
    }
}

impl SealKey {
    /// Reads the key at `path`; `Ok(None)` when there is no file there.
    ///
    /// # Errors
    /// [`KeyError::Malformed`], [`KeyError::Io`].
    pub(crate) fn read(path: &Path) -> Result<Option<SealKey>, KeyError> {
        match std::fs::read(path) {
            Ok(bytes) => {
                let key: [u8; KEY_BYTES] =
                    bytes
                        .as_slice()
                        .try_into()
                        .map_err(|_| KeyError::Malformed {
                            key: path.to_path_buf(),
                            bytes: bytes.len() as u64,
                        })?;
                Ok(Some(SealKey::from_bytes(&key)))
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(KeyError::Io {
                key: path.to_path_buf(),
                source,
            }),
        }
    }

    /// Creates a new random key at `path`, mode 0600, refusing to overwrite a file.
    ///
    /// # Errors
    /// [`KeyError::Io`].
    pub(crate) fn create(path: &Path) -> Result<SealKey, KeyError> {
        let io = |source| KeyError::Io {
            key: path.to_path_buf(),
            source,
        };
        let key: [u8; KEY_BYTES] = random_bytes();
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(path).map_err(io)?;
        file.write_all(&key).map_err(io)?;
        file.sync_all().map_err(io)?;
        Ok(SealKey::from_bytes(&key))
    }

    fn from_bytes(key: &[u8; KEY_BYTES]) -> SealKey {
        SealKey {
            cipher: XChaCha20Poly1305::new(&(*key).into()),
        }
    }

    /// Seals the secret `plain` of account `user`.
    pub(crate) fn seal(&self, user: UserId, plain: &[u8]) -> Vec<u8> {
        let nonce: [u8; NONCE_BYTES] = random_bytes();
        let aad = associated(user);
        let sealed = self
            .cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: plain,
                    aad: &aad,
                },
            )
            .expect("XChaCha20-Poly1305 seals any short secret");
        let mut out = Vec::with_capacity(1 + NONCE_BYTES + sealed.len());
        out.push(VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// Opens what [`SealKey::seal`] made for account `user`; `None` when this key (or this
    /// account) did not seal it.
    pub(crate) fn open(&self, user: UserId, sealed: &[u8]) -> Option<Vec<u8>> {
        let (&version, rest) = sealed.split_first()?;
        if version != VERSION || rest.len() < NONCE_BYTES {
            return None;
        }
        let (nonce, body) = rest.split_at(NONCE_BYTES);
        let nonce: [u8; NONCE_BYTES] = nonce.try_into().ok()?;
        let aad = associated(user);
        self.cipher
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: body,
                    aad: &aad,
                },
            )
            .ok()
    }
}

/// The associated data binding a sealed secret to its account.
fn associated(user: UserId) -> Vec<u8> {
    format!("disan totp secret, account {}", user.0).into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_and_account() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.key");
        let key = SealKey::create(&path).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let secret = b"12345678901234567890";
        let sealed = key.seal(UserId(7), secret);
        assert_eq!(sealed.len(), 1 + 24 + 20 + 16);
        assert!(!sealed.windows(20).any(|window| window == secret));
        assert_eq!(key.open(UserId(7), &sealed).unwrap(), secret);
        assert_eq!(key.open(UserId(8), &sealed), None);
        let again = SealKey::read(&path).unwrap().unwrap();
        assert_eq!(again.open(UserId(7), &sealed).unwrap(), secret);
        let other = SealKey::create(&dir.path().join("b.key")).unwrap();
        assert_eq!(other.open(UserId(7), &sealed), None);
        assert_eq!(key.open(UserId(7), secret), None);
        assert!(SealKey::create(&path).is_err(), "never overwrites a key");
        std::fs::write(dir.path().join("short.key"), b"short").unwrap();
        assert!(matches!(
            SealKey::read(&dir.path().join("short.key")),
            Err(KeyError::Malformed { bytes: 5, .. })
        ));
        assert!(
            SealKey::read(&dir.path().join("none.key"))
                .unwrap()
                .is_none()
        );
        assert_eq!(
            default_key_path(Path::new("/srv/disan/accounts.sqlite")),
            Path::new("/srv/disan/accounts.sqlite.key")
        );
    }
}
