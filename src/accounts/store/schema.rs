//! The accounts database's schema, as forward migrations counted in `PRAGMA user_version`.

/// The schema, one entry per version: entry `n` moves a database from version `n` to `n + 1`.
/// Never edit a released entry; append a new one.
pub const MIGRATIONS: &[&str] = &[
    // Version 1 (issue 13).
    r#"
    CREATE TABLE users (
        id             INTEGER PRIMARY KEY,
        login          TEXT NOT NULL,
        login_key      TEXT NOT NULL UNIQUE,
        role           TEXT NOT NULL CHECK (role IN ('admin', 'archivist', 'researcher')),
        disabled       INTEGER NOT NULL DEFAULT 0,
        password_hash  TEXT NOT NULL,
        totp_secret    BLOB,
        totp_enrolled  INTEGER NOT NULL DEFAULT 0,
        totp_last_step INTEGER,
        created        INTEGER NOT NULL
    );
    CREATE TABLE groups (
        id      TEXT PRIMARY KEY,
        name    TEXT NOT NULL,
        created INTEGER NOT NULL
    );
    CREATE TABLE memberships (
        user_id  INTEGER NOT NULL REFERENCES users(id),
        group_id TEXT NOT NULL REFERENCES groups(id),
        PRIMARY KEY (user_id, group_id)
    );
    CREATE TABLE sessions (
        key        TEXT PRIMARY KEY,
        user_id    INTEGER REFERENCES users(id),
        created    INTEGER NOT NULL,
        expires    INTEGER NOT NULL,
        last_seen  INTEGER NOT NULL,
        address    TEXT,
        user_agent TEXT,
        record     TEXT NOT NULL
    );
    CREATE INDEX sessions_by_user ON sessions(user_id);
    CREATE TABLE api_tokens (
        id        INTEGER PRIMARY KEY,
        user_id   INTEGER NOT NULL REFERENCES users(id),
        hash      BLOB NOT NULL UNIQUE,
        label     TEXT NOT NULL,
        created   INTEGER NOT NULL,
        last_used INTEGER,
        revoked   INTEGER
    );
    CREATE TABLE recovery_codes (
        id      INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        hash    BLOB NOT NULL,
        used    INTEGER
    );
    CREATE TABLE login_throttle (
        kind         TEXT NOT NULL CHECK (kind IN ('account', 'address')),
        key          TEXT NOT NULL,
        failures     INTEGER NOT NULL,
        last_failure INTEGER NOT NULL,
        PRIMARY KEY (kind, key)
    );
    CREATE TABLE view_log (
        id        INTEGER PRIMARY KEY,
        user_id   INTEGER NOT NULL REFERENCES users(id),
        at        INTEGER NOT NULL,
        record_id TEXT NOT NULL,
        file      TEXT,
        address   TEXT
    );
    CREATE INDEX view_log_by_record ON view_log(record_id, at);
    CREATE TABLE audit (
        id      INTEGER PRIMARY KEY,
        at      INTEGER NOT NULL,
        actor   TEXT NOT NULL,
        action  TEXT NOT NULL,
        subject TEXT NOT NULL,
        detail  TEXT
    );
    "#,
    // Version 2 (fix round of issue 13, finding F5): a second factor being set up is kept
    // apart from the enrolled one, bound to the session that began it, so beginning a
    // replacement never turns the enrolled factor off.
    r#"
    ALTER TABLE users ADD COLUMN totp_pending BLOB;
    ALTER TABLE users ADD COLUMN totp_pending_session TEXT;
    "#,
    // Version 3 (fix round 13, findings F2/F3): per-device throttle counters (device cookies,
    // src/accounts/throttle/device.rs) and the server's own signing keys.
    r#"
    CREATE TABLE login_throttle_v2 (
        kind         TEXT NOT NULL CHECK (kind IN ('account', 'address', 'device')),
        key          TEXT NOT NULL,
        failures     INTEGER NOT NULL,
        last_failure INTEGER NOT NULL,
        PRIMARY KEY (kind, key)
    );
    INSERT INTO login_throttle_v2 SELECT kind, key, failures, last_failure FROM login_throttle;
    DROP TABLE login_throttle;
    ALTER TABLE login_throttle_v2 RENAME TO login_throttle;
    CREATE TABLE server_keys (
        name   TEXT PRIMARY KEY,
        secret BLOB NOT NULL
    );
    "#,
    // Version 4 (fix round 13, finding F13): what kind of view a line is (`page`, `api`,
    // `file`, `search`); lines logged before it have none (a page or API view, or a file).
    r#"
    ALTER TABLE view_log ADD COLUMN kind TEXT;
    "#,
    // Version 5 (fix round of issue 13, L8): TOTP secrets sealed at rest with a key kept in a
    // file outside the database; the step runs `seal_clear_secrets` (store/mod.rs) on the
    // secrets stored in clear until now. No table changes.
    r#"
    SELECT 1;
    "#,
    // Version 6 (last fix round of issue 13, finding R15): the account's credential epoch,
    // bumped in the transaction of every password change or reset, disablement, second-factor
    // reset and "end all sessions". A sign-in reads it before checking the password and its
    // session is stored only while the epoch is unchanged (store/sessions.rs), so a sign-in
    // that raced such a change never leaves a live session behind.
    //
    // Also (findings R11, R13): `meta` records which key file seals the database
    // (`seal-key-fingerprint`, `seal-key-path`), so another key file, or a second key made by
    // a process not told where the key is, is an error naming both.
    r#"
    ALTER TABLE users ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE meta (
        name  TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    "#,
];

/// The schema version from which TOTP secrets are sealed (see [`super::sealed`]).
pub const SEALED_SECRETS: usize = 5;
