//! Group names (issue 13 review, L3): `disan group add` refuses a name holding control or format
//! characters (an escape sequence would rewrite the admin's terminal) or longer than 200
//! characters, and `disan group list` never prints control characters raw, even for a name
//! stored before names were checked. The real binary against a temporary accounts database.

use std::process::{Command, Output};

struct Db {
    dir: tempfile::TempDir,
}

impl Db {
    fn new() -> Self {
        Db {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn path(&self) -> std::path::PathBuf {
        self.dir.path().join("accounts.sqlite")
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_disan"))
            .current_dir(self.dir.path())
            .arg("--accounts")
            .arg(self.path())
            .args(args)
            .env_remove("DISAN_ACCOUNTS")
            .output()
            .expect("run disan")
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn group_add_refuses_control_characters_and_overlong_names() {
    let db = Db::new();
    let output = db.run(&["group", "add", "ctl-g", "--name", "a\nb\u{1b}[31mRED"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stdout));
    assert_eq!(
        text(&output.stderr),
        "disan group add: group: the name holds the control or format character U+000A, which terminals and pages would act on; write the name on one line of plain text\n"
    );
    let output = db.run(&["group", "add", "bidi", "--name", "ab\u{202e}cd"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("U+202E"),
        "{}",
        text(&output.stderr)
    );
    let long = "Phường trống ".repeat(16);
    let output = db.run(&["group", "add", "dai", "--name", &long]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        "disan group add: group: the name has 207 characters; a group's name has at most 200\n"
    );
    // 200 characters exactly is a name.
    let output = db.run(&["group", "add", "vua", "--name", &"ô".repeat(200)]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let output = db.run(&["group", "list"]);
    assert_eq!(output.status.code(), Some(0));
    let listed = text(&output.stdout);
    assert!(listed.contains(&"ô".repeat(200)), "{listed}");
    assert!(!listed.contains("ctl-g") && !listed.contains("bidi") && !listed.contains("dai"));
}

#[test]
fn group_list_shows_an_old_name_with_escapes_as_text() {
    let db = Db::new();
    let output = db.run(&["group", "add", "cu", "--name", "Cũ"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    // A name written before names were checked (an older Disan took any text).
    rusqlite::Connection::open(db.path())
        .unwrap()
        .execute(
            "UPDATE groups SET name = ?1 WHERE id = 'cu'",
            ["a\nb\u{1b}[2J\u{7}"],
        )
        .unwrap();
    let output = db.run(&["group", "list"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let listed = text(&output.stdout);
    assert!(
        !listed.chars().any(|c| c.is_control() && c != '\n'),
        "{listed:?}"
    );
    assert!(listed.contains("a\\u{a}b\\u{1b}[2J\\u{7}"), "{listed:?}");
}
