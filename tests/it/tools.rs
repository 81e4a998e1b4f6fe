//! Optional outside tools some tests drive (ocfl-py, chromium, exiftool, mtools, xmllint, Sickle,
//! iiif-validator, iiif-prezi3), and how a test says it could not run for want of one.
//!
//! A skipped test must not look like a passed one. `cargo test` hides what a passing test prints
//! with `eprintln!`, so [`skip`] writes its `SKIPPED: …` line straight to the process's standard
//! error, where it shows between the `ok` lines, and appends it to `skipped-tests.txt` in Cargo's
//! test scratch folder so a run can list every skip at the end. Where the tool is required (CI
//! sets `DISAN_REQUIRE_OCFL_VALIDATOR`, `DISAN_REQUIRE_BROWSER`, `DISAN_REQUIRE_EXIFTOOL`,
//! `DISAN_REQUIRE_MTOOLS`, `DISAN_REQUIRE_XMLLINT`, `DISAN_REQUIRE_SICKLE`,
//! `DISAN_REQUIRE_IIIF_VALIDATOR`, `DISAN_REQUIRE_IIIF_PREZI3`), the missing tool fails the
//! test instead.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

/// Where every skip of a run is listed, one line each.
pub fn skip_list() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("skipped-tests.txt")
}

/// Whether `program args…` runs and succeeds (the probe for a tool).
pub fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|output| output.status.success())
}

/// Decides what a test does when `missing` tools are absent: nothing (returns `false`) when
/// none is; a failure when the environment variable `require` is set; otherwise a visible
/// `SKIPPED: <test>: <tools> not found (<how to install>)` line and `true` (the test returns).
pub fn skip(missing: &[&str], require: &str, install: &str) -> bool {
    if missing.is_empty() {
        return false;
    }
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    let tools = missing.join(", ");
    assert!(
        std::env::var_os(require).is_none(),
        "{test}: {tools} not found, and {require} is set ({install})"
    );
    let line =
        format!("SKIPPED: {test}: {tools} not found ({install}; {require}=1 makes this a failure)");
    // Not eprintln!: the test harness would swallow it for a test that returns normally.
    let _ = writeln!(std::io::stderr().lock(), "{line}");
    if let Ok(mut list) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(skip_list())
    {
        let _ = writeln!(list, "{line}");
    }
    true
}

/// ocfl-py, the independent OCFL validator: `false` (and a visible skip) when missing.
pub fn ocfl_py() -> bool {
    let missing: &[&str] = if runs("python3", &["-c", "import ocfl"]) {
        &[]
    } else {
        &["ocfl-py"]
    };
    !skip(
        missing,
        "DISAN_REQUIRE_OCFL_VALIDATOR",
        "python3 -m pip install ocfl-py",
    )
}

/// xmllint (libxml2), the independent XML Schema validator the PREMIS tests check `disan`'s
/// event logs with: `false` (and a visible skip) when missing.
pub fn xmllint() -> bool {
    let missing: &[&str] = if runs("xmllint", &["--version"]) {
        &[]
    } else {
        &["xmllint"]
    };
    !skip(
        missing,
        "DISAN_REQUIRE_XMLLINT",
        "apt-get install libxml2-utils",
    )
}

/// Sickle, the Python OAI-PMH harvester the OAI-PMH tests harvest `/oai` with: `false` (and a
/// visible skip) when missing.
pub fn sickle() -> bool {
    let missing: &[&str] = if runs("python3", &["-c", "import sickle"]) {
        &[]
    } else {
        &["sickle"]
    };
    !skip(
        missing,
        "DISAN_REQUIRE_SICKLE",
        "python3 -m pip install sickle",
    )
}

/// iiif-validator (PyPI), the IIIF Image API validator the IIIF tests run against a real
/// server: `false` (and a visible skip) when missing.
pub fn iiif_validator() -> bool {
    let missing: &[&str] = if runs("python3", &["-c", "import iiif_validator"]) {
        &[]
    } else {
        &["iiif-validator"]
    };
    !skip(
        missing,
        "DISAN_REQUIRE_IIIF_VALIDATOR",
        "python3 -m pip install iiif-validator",
    )
}
