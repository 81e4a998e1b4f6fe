//! A full archive disk during ingest: what was stored is whole, the report and its summary still
//! go out, and an error names the archive folder and says what to do next.
//!
//! Needs a small tmpfs (root with permission to mount); skipped, visibly, otherwise.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::support::Workspace;

/// Unmounts when dropped, so a failed assertion leaves no mount behind.
struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_archive_disk_keeps_what_was_stored_and_says_what_to_do() {
    let workspace = Workspace::new();
    let archive = workspace.archive();
    std::fs::create_dir_all(&archive).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=300k", "tmpfs"])
        .arg(&archive)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !mounted {
        crate::tools::skip(
            &["root with permission to mount a tmpfs"],
            "DISAN_REQUIRE_MOUNT",
            "run the tests as root where mount(8) is allowed",
        );
        return;
    }
    let _mounted = Mounted(archive.clone());
    workspace.add_groups(crate::support::FIXTURE_GROUPS);
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample/ha-nam");
    let output = workspace
        .disan()
        .args(["ingest", "--json"])
        .arg(&sample)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let errors: Vec<String> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{}: {}",
                p["file"].as_str().unwrap_or(""),
                p["message"].as_str().unwrap_or("")
            )
        })
        .collect();
    let root = archive.display().to_string();
    assert!(
        errors.contains(&format!(
            "{root}: the disk holding the archive {root} is full: every record listed as added or updated was stored whole, the others were not stored. Next: free space on that disk, then ingest this batch again (what was stored is recognised as unchanged)"
        )),
        "{errors:#?}"
    );
    // Records after the first full write are not tried; none is half-written.
    assert!(
        errors
            .iter()
            .any(|e| e.ends_with("not stored: the disk holding the archive is full")),
        "{errors:#?}"
    );
    let verify = workspace.disan().arg("verify").output().unwrap();
    assert_eq!(
        verify.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );
}
