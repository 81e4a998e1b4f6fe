//! An index on disks that refuse writes: served from a read-only mount or folder (no lock file
//! needed, and a record another index restricts is never listed), and ingested onto a full disk
//! (what was archived is reported, with the folder and what to do). Mounting needs root where
//! mount(8) is allowed; without it these tests say they are skipped.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::{fetch, ingested, run, serve, stopped};
use crate::support::Workspace;

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.stdout == b"0\n")
}

/// Whether this process may mount file systems (root in a container that allows it).
fn can_mount(probe: &Path) -> bool {
    std::fs::create_dir_all(probe).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(probe)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if mounted {
        let _ = Command::new("umount").arg(probe).status();
    }
    mounted
}

/// Unmounts a mount point when dropped, so a failed assertion leaves no mount behind.
struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Whether this process may mount file systems: root, where mount(8) is allowed. When it may
/// not, the test says it is skipped for want of `needs` (in the output and in the run's list of
/// skips, tests/it/tools.rs).
fn mount_allowed(workspace: &Workspace, needs: &str) -> bool {
    let allowed = is_root() && can_mount(&workspace.dir.path().join("probe"));
    if !allowed {
        crate::tools::skip(
            &[needs],
            "DISAN_REQUIRE_MOUNT",
            "run the tests as root where mount(8) is allowed",
        );
    }
    allowed
}

/// Mounts `index` read-only at `workspace/read-only-index` (a bind mount, remounted read-only);
/// unmounted when the guard is dropped.
fn mount_read_only(workspace: &Workspace, index: &Path) -> Mounted {
    let served = workspace.dir.path().join("read-only-index");
    std::fs::create_dir_all(&served).unwrap();
    let mount = |args: &[&std::ffi::OsStr]| {
        assert!(Command::new("mount").args(args).status().unwrap().success());
    };
    mount(&["--bind".as_ref(), index.as_os_str(), served.as_os_str()]);
    let guard = Mounted(served.clone());
    mount(&[
        "-o".as_ref(),
        "remount,ro,bind".as_ref(),
        served.as_os_str(),
    ]);
    guard
}

/// The files under `dir`, recursively, with their sizes.
fn listing(dir: &Path) -> Vec<(PathBuf, u64)> {
    let mut files: Vec<(PathBuf, u64)> = walk(dir);
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<(PathBuf, u64)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push((path.clone(), std::fs::metadata(&path).unwrap().len()));
        }
    }
    files
}

/// A site served from read-only media: a read-only bind mount of the index when this process can
/// mount (root ignores file permissions), else `chmod -R a-w`. No lock file or other write is
/// needed to serve.
#[test]
fn serve_runs_from_a_read_only_index() {
    let workspace = ingested();
    let index = workspace.index();
    // The lock files a writer left are removed too: a reader must not need to create them.
    for lock in [".tantivy-meta.lock", ".tantivy-writer.lock"] {
        let _ = std::fs::remove_file(index.join("search").join(lock));
    }
    let before = listing(&index);
    let mounted = if is_root() {
        if !mount_allowed(&workspace, "permission to mount") {
            return;
        }
        Some(mount_read_only(&workspace, &index))
    } else {
        let status = Command::new("chmod")
            .args(["-R", "a-w"])
            .arg(&index)
            .status();
        assert!(status.unwrap().success());
        None
    };
    let served = mounted.as_ref().map_or(index.clone(), |m| m.0.clone());
    assert!(
        std::fs::write(served.join("search/probe"), "x").is_err(),
        "the index is still writable"
    );
    let (mut child, addr) = serve(&workspace, &served);
    let (status, body) = fetch(addr, "/api/search?q=trong");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("anh-mat-trong"), "{body}");
    assert_eq!(fetch(addr, "/records/anh-mat-trong").0, 200);
    child.kill().unwrap();
    child.wait().unwrap();
    drop(mounted);
    let _ = Command::new("chmod")
        .args(["-R", "u+w"])
        .arg(&index)
        .status();
    assert_eq!(listing(&index), before, "serving wrote in the index");
}

/// A full index disk: ingest still prints its summary (what was archived), with an error naming
/// the index folder and what to do; reindex names the folder and says the archive is unaffected.
/// Needs a tiny tmpfs (root); skipped, saying so, otherwise.
#[test]
fn a_full_index_disk_names_the_folder_and_what_to_do() {
    let workspace = Workspace::new();
    let index = workspace.dir.path().join("small-index");
    if !mount_allowed(&workspace, "root with permission to mount a tmpfs") {
        return;
    }
    std::fs::create_dir_all(&index).unwrap();
    assert!(
        Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=300k", "tmpfs"])
            .arg(&index)
            .status()
            .unwrap()
            .success()
    );
    let _mount = Mounted(index.clone());
    workspace.add_groups(crate::support::FIXTURE_GROUPS);
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample/ha-nam");
    let (code, stdout, stderr) = run(workspace
        .disan_with_index(&index)
        .arg("ingest")
        .arg(&sample));
    assert_eq!(code, 1, "{stdout}{stderr}");
    let summary = stdout.lines().last().unwrap_or_default();
    assert!(
        summary.starts_with("ha-nam: ") && summary.contains(" records added, "),
        "{stdout}"
    );
    let added: usize = summary["ha-nam: ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(added > 0, "{summary}");
    // Finding 7: a full index disk refuses no file for its previews (the index is disposable:
    // they are left to `disan reindex`), and worker errors name the file, not the binary.
    let output = format!("{stdout}{stderr}");
    assert!(!output.contains("/proc/self/exe"), "{output}");
    assert!(!output.contains("could not make derivatives"), "{output}");
    // Nor any file refused for want of room in the disposable index.
    assert!(
        !output.contains("could not check for location metadata"),
        "{output}"
    );
    assert!(
        stderr.contains(&format!(
            "error: {0}: the disk holding the index folder {0} is full (",
            index.display()
        )) && stderr.contains("): free space on it, then run `disan reindex`. Everything this report lists as added or updated is safely in the archive; until then search does not show all of it."),
        "{stderr}"
    );
    let (code, _, stderr) = run(workspace.disan_with_index(&index).arg("reindex"));
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(&format!(
            "disan: cannot rebuild the index in {}: ",
            index.display()
        )) && stderr.trim_end().ends_with(&format!(
            "The archive {} is not affected: nothing in it was changed or lost. Next: the disk holding the index folder {} is full: free space on it, then run `disan reindex` again.",
            workspace.archive().display(),
            index.display()
        )),
        "{stderr}"
    );
}

/// break-site finding 1: a server reading a read-only index cannot remove a record that an
/// ingest through another index restricts; it leaves the record out of every query instead
/// (search, facets, village listing, suggestions), and says so once on standard error.
#[test]
fn a_read_only_index_never_lists_a_record_another_index_restricts() {
    let workspace = ingested();
    let index = workspace.index();
    if !mount_allowed(&workspace, "permission to mount") {
        return;
    }
    let other = workspace.dir.path().join("other-index");
    crate::support::copy_dir(&index, &other);
    let guard = mount_read_only(&workspace, &index);
    let served = guard.0.clone();
    let (child, addr) = serve(&workspace, &served);
    let facets = |addr| {
        let (_, body) = fetch(addr, "/api/search?q=");
        let body: serde_json::Value = serde_json::from_str(&body).unwrap();
        (body["total"].as_u64().unwrap(), body["facets"].to_string())
    };
    let (total_before, facets_before) = facets(addr);
    let (status, body) = fetch(addr, "/api/search?q=trong");
    assert_eq!(status, 200);
    assert!(body.contains("anh-mat-trong"), "{body}");
    // The same batch, with the drum photo now restricted, ingested through the other index.
    let batch = workspace.batch("valid");
    let csv = batch.join("metadata/metadata.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let row = lines
        .find(|l| l.starts_with("objects/anh/mat-trong.jpg,"))
        .unwrap();
    std::fs::write(&csv, format!("{header}\n{row}restricted\n")).unwrap();
    for entry in std::fs::read_dir(batch.join("objects")).unwrap() {
        let folder = entry.unwrap().path();
        if !folder.ends_with("anh") {
            std::fs::remove_dir_all(folder).unwrap();
        }
    }
    std::fs::remove_file(batch.join("objects/anh/han-che.jpg")).unwrap();
    let (code, _, stderr) = run(workspace.disan_with_index(&other).arg("ingest").arg(&batch));
    assert_eq!(code, 0, "{stderr}");
    for path in [
        "/api/search?q=trong",
        "/search?q=trong",
        "/api/search?q=",
        "/villages/doi-tam",
        "/api/suggest?q=m%E1%BA%B7t",
        "/sitemaps/records-1.xml",
    ] {
        let (status, body) = fetch(addr, path);
        assert_eq!(status, 200, "{path}");
        assert!(!body.contains("anh-mat-trong"), "{path} lists it: {body}");
        assert!(!body.contains("Mặt trống"), "{path} lists it: {body}");
    }
    let (total_after, facets_after) = facets(addr);
    assert_eq!(total_after, total_before - 1);
    assert_ne!(facets_after, facets_before, "the facets still count it");
    assert_eq!(fetch(addr, "/records/anh-mat-trong").0, 404);
    let stderr = stopped(child);
    // Finding 9: a server started now over the read-only index, behind the archive, refuses,
    // saying why and what to do.
    let (code, _, refused) =
        run(workspace
            .disan_with_index(&served)
            .args(["serve", "--addr", "127.0.0.1:0"]));
    assert_eq!(code, 1, "{refused}");
    let expected = format!(
        "disan: the search index {} is behind the archive (the archive changed since the index was written) and cannot be brought up to date because it is read-only (",
        served.display()
    );
    assert!(
        refused.starts_with(&expected)
            && refused.trim_end().ends_with("); serve a writable copy instead: copy the index folder somewhere writable, run `disan --index COPY reindex`, then `disan --index COPY serve`"),
        "{refused}"
    );
    drop(guard);
    let expected = format!(
        "warning: cannot remove 1 record(s) another index hid from the search index {} (",
        served.join("search").display()
    );
    let said: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with(&expected))
        .collect();
    assert_eq!(said.len(), 1, "{stderr}");
    assert!(
        said[0].ends_with("they are left out of every search and listing until this server stops. Run `disan reindex` over a writable copy of the index to bring it up to date."),
        "{stderr}"
    );
}
