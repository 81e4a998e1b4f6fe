//! An index damaged before or under a running server: `reindex` rebuilds it from the archive
//! whatever its state, setting aside what Disan did not write and following no link; `serve`
//! and `ingest` name the damaged index; a running server keeps its last good state, and a
//! damaged segment costs a search (logged once a request), never the process.

use std::path::{Path, PathBuf};

use disan::web::Site;

use super::{fetch, indexed, ingested, original_url, run, serve, serve_with_env, stopped};

/// The largest file of `dir` whose name ends with `.extension`.
fn largest(dir: &Path, extension: &str) -> PathBuf {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == extension))
        .max_by_key(|path| std::fs::metadata(path).unwrap().len())
        .unwrap_or_else(|| panic!("no .{extension} file in {}", dir.display()))
}

/// adv-reindex-cannot-rebuild-corrupt-index: whatever happened to `index/`, `reindex` rebuilds
/// it from the archive, deleting only a search folder made of tantivy's files and setting
/// anything else aside.
#[test]
fn adv_reindex_rebuilds_whatever_state_the_index_is_in() {
    type Damage = fn(&Path);
    let search = |index: &Path| index.join("search");
    let damages: [(&str, Damage, &str); 9] = [
        (
            "missing segment",
            |index| std::fs::remove_file(largest(&index.join("search"), "idx")).unwrap(),
            "deleted",
        ),
        (
            "truncated segment",
            |index| {
                let file = std::fs::File::options()
                    .write(true)
                    .open(largest(&index.join("search"), "term"))
                    .unwrap();
                file.set_len(100).unwrap();
            },
            "deleted",
        ),
        (
            "garbage meta.json",
            |index| std::fs::write(index.join("search/meta.json"), "{garbage\n").unwrap(),
            "deleted",
        ),
        (
            "empty meta.json",
            |index| std::fs::write(index.join("search/meta.json"), "").unwrap(),
            "deleted",
        ),
        (
            "a file where the search folder should be",
            |index| {
                std::fs::remove_dir_all(index.join("search")).unwrap();
                std::fs::write(index.join("search"), "not an index").unwrap();
            },
            "moved",
        ),
        (
            "a file where the derivatives folder should be",
            |index| {
                std::fs::remove_dir_all(index.join("derivatives")).unwrap();
                std::fs::write(index.join("derivatives"), "not a folder").unwrap();
            },
            "moved",
        ),
        (
            "a folder where the authorities file should be",
            |index| {
                std::fs::remove_file(index.join("authorities.json")).unwrap();
                std::fs::create_dir(index.join("authorities.json")).unwrap();
            },
            "moved",
        ),
        (
            "no index folder at all",
            |index| std::fs::remove_dir_all(index).unwrap(),
            "",
        ),
        (
            "bit-flipped segment",
            |index| {
                // In the middle: undetected until read (a flipped footer is caught at opening).
                let path = largest(&index.join("search"), "store");
                let mut bytes = std::fs::read(&path).unwrap();
                let middle = bytes.len() / 2;
                for byte in &mut bytes[middle..middle + 16] {
                    *byte ^= 0x5a;
                }
                std::fs::write(path, bytes).unwrap();
            },
            "",
        ),
    ];
    for (what, damage, fate) in damages {
        let workspace = ingested();
        let expected = indexed(&workspace);
        assert!(expected > 0);
        let index = workspace.index();
        damage(&index);
        let (code, stdout, stderr) = run(workspace.disan().arg("reindex"));
        assert_eq!(code, 0, "{what}: {stdout}{stderr}");
        assert!(stdout.contains("records indexed"), "{what}: {stdout}");
        match fate {
            "deleted" => assert_eq!(
                stderr.lines().next().unwrap_or_default().split(" (").next(),
                Some(
                    format!(
                        "discarded the unreadable {}: deleted",
                        search(&index).display()
                    )
                    .as_str()
                ),
                "{what}: {stderr}"
            ),
            "moved" => {
                assert!(
                    stderr.starts_with("discarded the unreadable ")
                        && stderr.contains(": moved to ")
                        && stderr.contains(".damaged-")
                        && stderr.contains("delete it once you have looked"),
                    "{what}: {stderr}"
                );
                // What Disan did not write is kept, beside the rebuilt index.
                let kept = std::fs::read_dir(&index)
                    .unwrap()
                    .filter(|e| {
                        e.as_ref()
                            .unwrap()
                            .file_name()
                            .to_string_lossy()
                            .contains(".damaged-")
                    })
                    .count();
                assert_eq!(kept, 1, "{what}");
            }
            _ => assert_eq!(stderr, "", "{what}"),
        }
        assert_eq!(indexed(&workspace), expected, "{what}");
        // The site serves the rebuilt index.
        Site::open(&workspace.archive(), &index, None).unwrap();
    }
}

/// A search folder holding a file tantivy never writes is not deleted: it is set aside.
#[test]
fn reindex_sets_aside_a_damaged_search_folder_holding_foreign_files() {
    let workspace = ingested();
    let search = workspace.index().join("search");
    std::fs::write(search.join("meta.json"), "{garbage").unwrap();
    std::fs::write(search.join("notes.txt"), "mine").unwrap();
    let (code, _, stderr) = run(workspace.disan().arg("reindex"));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains(": moved to "), "{stderr}");
    let aside: Vec<PathBuf> = std::fs::read_dir(workspace.index())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("search.damaged-"))
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(
        std::fs::read_to_string(aside[0].join("notes.txt")).unwrap(),
        "mine"
    );
}

/// An `--index` that is a file is nobody's index to delete.
#[test]
fn reindex_refuses_an_index_path_that_is_a_file() {
    let workspace = ingested();
    let file = workspace.dir.path().join("important.pdf");
    std::fs::write(&file, "a person's file").unwrap();
    let (code, _, stderr) = run(workspace.disan_with_index(&file).arg("reindex"));
    assert_eq!(code, 1);
    assert_eq!(
        stderr.trim_end(),
        format!(
            "disan: cannot rebuild the index in {0}: {0}: this is not a folder, and Disan deletes only what it made: move it away or choose another --index\nThe archive {1} is not affected: nothing in it was changed or lost. Next: fix what prevents writing in {0}, then run `disan reindex` again.",
            file.display(),
            workspace.archive().display()
        )
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "a person's file");

    // A link to a folder that does not exist (a backup disk not mounted): named as such.
    let link = workspace.dir.path().join("index-link");
    let gone = workspace.dir.path().join("unmounted/index");
    std::os::unix::fs::symlink(&gone, &link).unwrap();
    let (code, _, stderr) = run(workspace.disan_with_index(&link).arg("reindex"));
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(&format!(
            "disan: cannot rebuild the index in {0}: {0}: this is a link to {1}, which does not exist: create that folder, or choose another --index\n",
            link.display(),
            gone.display()
        )),
        "{stderr}"
    );
    assert!(!gone.exists());
}

/// `ingest` over a damaged index names the index, not the archive, and says what to do; `serve`
/// says so too and rebuilds it from the archive before serving (break-11b finding 3: a site
/// that would not start on a damaged index stayed down until someone ran `reindex`), unless it
/// cannot write the index.
#[test]
fn adv_serve_and_ingest_name_the_damaged_index() {
    let workspace = ingested();
    let search = workspace.index().join("search");
    let expected_start = format!("disan: the search index {} is damaged (", search.display());
    let expected_end =
        "); the archive is not affected: run `disan reindex` to rebuild the index from it";
    let records = indexed(&workspace);
    assert!(records > 0);
    std::fs::write(search.join("meta.json"), "{garbage\n").unwrap();
    let (child, addr) = serve(&workspace, &workspace.index());
    let (status, body) = fetch(addr, "/api/search");
    assert_eq!(status, 200);
    let found: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(found["total"], records, "{body}");
    let log = stopped(child);
    assert!(
        log.starts_with(&format!(
            "disan serve: the search index {} is damaged (",
            search.display()
        )) && log.contains(&format!(
            "{expected_end}\nRebuilding the index from the archive now, as `disan reindex` does.\n\
             disan serve: rebuilt the index: "
        )) && log.contains(" records in ")
            && log.contains(" s (0 warnings, 0 problems; `disan reindex` lists them)."),
        "{log}"
    );

    std::fs::write(search.join("meta.json"), "{garbage\n").unwrap();
    let second = workspace.dir.path().join("second");
    std::fs::create_dir_all(second.join("objects")).unwrap();
    std::fs::write(second.join("objects/moi.txt"), "Văn bản mới").unwrap();
    let (code, _, stderr) = run(workspace.disan().arg("ingest").arg(&second));
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(&expected_start) && stderr.trim_end().ends_with(expected_end),
        "{stderr}"
    );
    // The index is opened before any archive write: nothing of the batch went in.
    assert_eq!(run(workspace.disan().arg("reindex")).0, 0);
    let (_, report) = workspace.ingest(&second, &["--dry-run"]);
    assert_eq!(
        report["records"]["added"],
        serde_json::json!(["moi"]),
        "{report}"
    );
}

/// adv-serve-sigbus-truncated-segment: segment files truncated under a running server cost the
/// search (500, logged naming the index and `disan reindex`); the process, record pages, the
/// API's records and media keep going.
#[test]
fn adv_a_truncated_segment_costs_a_search_never_the_server() {
    let workspace = ingested();
    let (child, addr) = serve(&workspace, &workspace.index());
    assert_eq!(fetch(addr, "/api/search?q=trong").0, 200);
    let original = original_url(addr, "anh-mat-trong");
    assert_eq!(fetch(addr, &original).0, 200);
    let search = workspace.index().join("search");
    for extension in ["term", "idx", "pos", "store", "fast", "fieldnorm"] {
        let file = std::fs::File::options()
            .write(true)
            .open(largest(&search, extension))
            .unwrap();
        file.set_len(100).unwrap();
    }
    let (status, body) = fetch(addr, "/api/search?q=trong");
    assert_eq!(status, 500);
    assert_eq!(
        body,
        r#"{"error":{"code":"internal","message":"Máy chủ gặp lỗi; xin thử lại sau."}}"#
    );
    let (status, body) = fetch(addr, "/search?q=da+trau");
    assert_eq!(status, 500);
    assert!(
        !body.contains("reindex") && !body.contains(".term"),
        "5xx says nothing internal: {body}"
    );
    for path in [
        "/records/anh-mat-trong",
        "/en/records/anh-mat-trong",
        "/api/records/anh-mat-trong",
        "/media/anh-mat-trong/thumb/0",
        original.as_str(),
        "/static/site.css",
    ] {
        assert_eq!(fetch(addr, path).0, 200, "{path}");
    }
    // Deny by default still: a restricted record is not shown from the archive either.
    assert_eq!(fetch(addr, "/records/fixture-restricted").0, 404);
    let stderr = stopped(child);
    let logged = format!("the search index {} cannot be read (", search.display());
    assert!(
        stderr.lines().any(|line| line.contains(&logged)
            && line.ends_with("search answers 500 until `disan reindex` rebuilds it (record pages and media are served from the archive meanwhile)")),
        "{stderr}"
    );
}

/// break-site findings 5, 11 and 14: a garbage or removed `meta.json`, a removed search folder,
/// a garbage `authorities.json` under a running server take nothing down: it serves the last
/// good state (search, record pages, media, village pages), a restricted record stays 404, and
/// each fault is logged once, naming the file or folder and `disan reindex`.
#[test]
fn a_damaged_index_under_a_running_server_keeps_the_last_good_state() {
    let workspace = ingested();
    let index = workspace.index();
    let (child, addr) = serve(&workspace, &index);
    let original = original_url(addr, "anh-mat-trong");
    let (_, village_before) = fetch(addr, "/villages/doi-tam");
    let check = |when: &str| {
        for path in [
            "/records/anh-mat-trong",
            "/api/records/anh-mat-trong",
            "/media/anh-mat-trong/thumb/0",
            original.as_str(),
            "/",
            "/en",
            "/villages",
            "/sitemap.xml",
        ] {
            assert_eq!(fetch(addr, path).0, 200, "{path} {when}");
        }
        let (status, body) = fetch(addr, "/api/search?q=trong");
        assert_eq!(status, 200, "{when}");
        assert!(body.contains("anh-mat-trong"), "{when}: {body}");
        assert_eq!(fetch(addr, "/records/fixture-restricted").0, 404, "{when}");
    };
    let search = index.join("search");
    std::fs::write(search.join("meta.json"), "{garbage").unwrap();
    check("meta.json garbage");
    check("meta.json garbage, again");
    std::fs::write(index.join("authorities.json"), "{garbage").unwrap();
    let (status, village) = fetch(addr, "/villages/doi-tam");
    assert_eq!(status, 200);
    assert_eq!(village, village_before);
    fetch(addr, "/villages/doi-tam");
    std::fs::remove_dir_all(&search).unwrap();
    check("search folder removed");
    let stderr = stopped(child);
    let meta_lines: Vec<&str> = stderr
        .lines()
        .filter(|l| {
            l.starts_with(&format!(
                "warning: the search index {} changed on disk and cannot be loaded (",
                search.display()
            )) && l.ends_with("); serving its last good state until `disan reindex` rebuilds it")
        })
        .collect();
    // Once for the garbage, once for the removal (a different fault), never per request.
    assert_eq!(meta_lines.len(), 2, "{stderr}");
    let authorities = format!(
        "warning: the village and craft names {} cannot be read (",
        index.join("authorities.json").display()
    );
    assert_eq!(
        stderr
            .lines()
            .filter(|l| l.starts_with(&authorities))
            .count(),
        1,
        "{stderr}"
    );
    assert!(!stderr.contains("internal error"), "{stderr}");
}

/// break-site finding 10: a segment that makes tantivy panic costs one log line per request,
/// never a panic message and backtrace.
#[test]
fn a_panicking_segment_logs_one_line_per_request() {
    let workspace = ingested();
    let (child, addr) = serve_with_env(&workspace, &workspace.index(), &[("RUST_BACKTRACE", "1")]);
    let search = workspace.index().join("search");
    for entry in std::fs::read_dir(&search).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "fast") {
            let len = std::fs::metadata(&path).unwrap().len() as usize;
            std::fs::write(&path, vec![0xA5u8; len]).unwrap();
        }
    }
    let mut failed = 0;
    for _ in 0..4 {
        if fetch(addr, "/api/search?q=trong&sort=title").0 == 500 {
            failed += 1;
        }
    }
    let stderr = stopped(child);
    assert!(failed > 0, "the damage did not reach the search: {stderr}");
    assert!(!stderr.contains("stack backtrace"), "{stderr}");
    assert!(!stderr.contains("panicked at"), "{stderr}");
    assert!(
        stderr.lines().count() <= failed,
        "{failed} failed: {stderr}"
    );
}

/// break-site finding 8: reindex follows no symbolic link inside `index/`: a derivative folder
/// linked outside, a dangling and a looping link are each moved aside, nothing is written
/// through them, and the index is rebuilt (exit 0). A derivative write into a linked folder is
/// refused.
#[test]
fn reindex_sets_aside_links_inside_the_index_and_writes_nothing_through_them() {
    use std::os::unix::fs::symlink;
    let workspace = ingested();
    let index = workspace.index();
    let derivatives = index.join("derivatives");
    let outside = workspace.dir.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    // A derivative folder of a real original, replaced by a link to a folder outside.
    let folder = std::fs::read_dir(&derivatives)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .flat_map(|shard| std::fs::read_dir(shard).unwrap().map(|e| e.unwrap().path()))
        .find(|p| p.join("thumb.jpg").exists())
        .expect("a derivative folder with a thumbnail");
    std::fs::remove_dir_all(&folder).unwrap();
    symlink(&outside, &folder).unwrap();
    let search = index.join("search");
    std::fs::remove_dir_all(&search).unwrap();
    symlink(workspace.dir.path().join("nowhere"), &search).unwrap();
    let looping = derivatives.join("ff");
    let _ = std::fs::remove_dir_all(&looping);
    symlink(&looping, &looping).unwrap();
    let (code, _, stderr) = run(workspace.disan().arg("reindex"));
    assert_eq!(code, 0, "{stderr}");
    for link in [&folder, &search, &looping] {
        let said = format!("{}: moved to {}.damaged-", link.display(), link.display());
        assert!(
            stderr.contains(&said)
                && stderr.contains("(a symbolic link: Disan follows no link inside the index;"),
            "{said}: {stderr}"
        );
    }
    assert_eq!(
        std::fs::read_dir(&outside).unwrap().count(),
        0,
        "written through the link"
    );
    let rebuilt = std::fs::symlink_metadata(&folder).unwrap();
    assert!(rebuilt.is_dir() && folder.join("thumb.jpg").is_file());
    assert!(std::fs::symlink_metadata(&search).unwrap().is_dir());
    assert!(indexed(&workspace) > 0);

    // A write into a linked folder is refused, naming it.
    std::fs::remove_dir_all(&folder).unwrap();
    symlink(&outside, &folder).unwrap();
    let error = disan::index::derivatives::create_store_folder(&folder).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "{} is not a folder Disan made (a symbolic link or a file), and Disan follows no link inside the index: run `disan reindex` to set it aside",
            folder.display()
        )
    );
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
}
