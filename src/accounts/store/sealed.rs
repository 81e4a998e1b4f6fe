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
//!
//! The database records which key seals it (its [`Fingerprint`] and the path it was made or
//! first used at, in the `meta` table; store/mod.rs), so another key file, or a second one made
//! because a process was not told where the key is, is an error naming both files (finding
//! R13). A key file must be a regular file of exactly [`KEY_BYTES`] bytes that only its owner
//! can read (finding R6): anything else is refused before it is read.

use std::io::{Read, Write};
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
    /// The key file is missing, and the database is sealed with a key file elsewhere.
    #[error(
        "the accounts key file {key} is missing, but {database} is sealed with the key file {expected}: name that file with --accounts-key / DISAN_ACCOUNTS_KEY (no second key is made)"
    )]
    Elsewhere {
        /// Where the key was looked for.
        key: PathBuf,
        /// The key file the database records.
        expected: PathBuf,
        /// The database.
        database: PathBuf,
    },
    /// The key file is not the one the database records.
    #[error(
        "the accounts key file {key} is not the key {database} is sealed with (that key was made as {expected}): name the right file with --accounts-key / DISAN_ACCOUNTS_KEY, or restore it from the backup made with the database; if it is lost for good, see `disan user reset-totp --new-key`"
    )]
    NotRecorded {
        /// The key file given.
        key: PathBuf,
        /// The key file the database records.
        expected: PathBuf,
        /// The database.
        database: PathBuf,
    },
    /// The key file is a directory, device, pipe or socket.
    #[error(
        "the accounts key file {key} is not a regular file: give the {KEY_BYTES}-byte file Disan made"
    )]
    NotAFile {
        /// The key file.
        key: PathBuf,
    },
    /// Group or others may read (or write) the key file.
    #[error(
        "the accounts key file {key} is open to group or others (mode {mode:o}): only its owner may read it; run `chmod 600 {key}`"
    )]
    Exposed {
        /// The key file.
        key: PathBuf,
        /// Its permission bits.
        mode: u32,
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
    fingerprint: Fingerprint,
}

/// What identifies a key without revealing it: the hex SHA-256 of a fixed label and the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fingerprint(pub String);

/// What a key file looked like when read (device, inode, length, modification time): a
/// change means the file was replaced or rewritten, and the key is read again (finding R11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    device: u64,
    inode: u64,
    len: u64,
    modified: Option<std::time::SystemTime>,
}

/// The [`Stamp`] of the file at `path` now; `None` when there is none (or it cannot be read).
pub(crate) fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some(stamp_of(&meta))
}

fn stamp_of(meta: &std::fs::Metadata) -> Stamp {
    #[cfg(unix)]
    let (device, inode) = {
        use std::os::unix::fs::MetadataExt;
        (meta.dev(), meta.ino())
    };
    #[cfg(not(unix))]
    let (device, inode) = (0, 0);
    Stamp {
        device,
        inode,
        len: meta.len(),
        modified: meta.modified().ok(),
    }
}

impl std::fmt::Debug for SealKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealKey(<redacted>)")
    }
}

impl SealKey {
    /// Reads the key at `path` with the [`Stamp`] of its file; `Ok(None)` when there is no
    /// file there. The file is checked before it is read: a regular file (not a device such as
    /// `/dev/zero`, a pipe or a folder), exactly [`KEY_BYTES`] long, and on Unix readable by
    /// its owner only (finding R6).
    ///
    /// # Errors
    /// [`KeyError::NotAFile`], [`KeyError::Malformed`], [`KeyError::Exposed`],
    /// [`KeyError::Io`].
    pub(crate) fn read(path: &Path) -> Result<Option<(SealKey, Stamp)>, KeyError> {
        let io = |source| KeyError::Io {
            key: path.to_path_buf(),
            source,
        };
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(io(source)),
        };
        check_file(path, &meta)?;
        let mut file = std::fs::File::open(path).map_err(io)?;
        // The open file is checked again (the path may have been swapped since), and never
        // read past the key's length.
        let opened = file.metadata().map_err(io)?;
        check_file(path, &opened)?;
        let mut key = [0u8; KEY_BYTES];
        file.read_exact(&mut key).map_err(io)?;
        let mut more = [0u8; 1];
        if file.read(&mut more).map_err(io)? != 0 {
            return Err(KeyError::Malformed {
                key: path.to_path_buf(),
                bytes: opened.len().max(KEY_BYTES as u64 + 1),
            });
        }
        Ok(Some((SealKey::from_bytes(&key), stamp_of(&opened))))
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

    /// [`SealKey::create`], with the [`Stamp`] of the new file.
    ///
    /// # Errors
    /// [`KeyError::Io`].
    pub(crate) fn create_stamped(path: &Path) -> Result<(SealKey, Stamp), KeyError> {
        let key = SealKey::create(path)?;
        let meta = std::fs::metadata(path).map_err(|source| KeyError::Io {
            key: path.to_path_buf(),
            source,
        })?;
        Ok((key, stamp_of(&meta)))
    }

    fn from_bytes(key: &[u8; KEY_BYTES]) -> SealKey {
        let mut labelled = b"disan accounts key fingerprint, version 1: ".to_vec();
        labelled.extend_from_slice(key);
        let fingerprint = crate::accounts::sha256(&labelled)
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        SealKey {
            cipher: XChaCha20Poly1305::new(&(*key).into()),
            fingerprint: Fingerprint(fingerprint),
        }
    }

    /// This key's fingerprint.
    pub(crate) fn fingerprint(&self) -> &Fingerprint {
        &self.fingerprint
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

/// Refuses a key file that is not a regular file of [`KEY_BYTES`] bytes readable by its owner
/// only (finding R6).
fn check_file(path: &Path, meta: &std::fs::Metadata) -> Result<(), KeyError> {
    if !meta.is_file() {
        return Err(KeyError::NotAFile {
            key: path.to_path_buf(),
        });
    }
    if meta.len() != KEY_BYTES as u64 {
        return Err(KeyError::Malformed {
            key: path.to_path_buf(),
            bytes: meta.len(),
        });
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(KeyError::Exposed {
                key: path.to_path_buf(),
                mode,
            });
        }
    }
    Ok(())
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
        let again = SealKey::read(&path).unwrap().unwrap().0;
        assert_eq!(again.fingerprint(), key.fingerprint());
        assert_eq!(again.open(UserId(7), &sealed).unwrap(), secret);
        let other = SealKey::create(&dir.path().join("b.key")).unwrap();
        assert_eq!(other.open(UserId(7), &sealed), None);
        assert_eq!(key.open(UserId(7), secret), None);
        assert_ne!(other.fingerprint(), key.fingerprint());
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

    /// Finding R6: a key file open to group or others, a device (`/dev/zero` would be read
    /// without end), a folder or a file of another length is refused before it is read, with
    /// a message naming the file and what to do.
    #[cfg(unix)]
    #[test]
    fn only_a_private_regular_key_file_of_the_right_length_is_read() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.key");
        SealKey::create(&path).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let error = SealKey::read(&path).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "the accounts key file {0} is open to group or others (mode 644): only its owner may read it; run `chmod 600 {0}`",
                path.display()
            )
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
        assert!(SealKey::read(&path).unwrap().is_some());
        assert!(matches!(
            SealKey::read(Path::new("/dev/zero")),
            Err(KeyError::NotAFile { .. })
        ));
        assert_eq!(
            SealKey::read(dir.path()).unwrap_err().to_string(),
            format!(
                "the accounts key file {} is not a regular file: give the 32-byte file Disan made",
                dir.path().display()
            )
        );
        let long = dir.path().join("long.key");
        std::fs::write(&long, [1u8; 4096]).unwrap();
        std::fs::set_permissions(&long, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert!(matches!(
            SealKey::read(&long),
            Err(KeyError::Malformed { bytes: 4096, .. })
        ));
    }
}
