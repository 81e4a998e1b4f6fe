//! Citations that name the OCFL version they were taken from, and the pages of earlier versions
//! those citations link to (issue 16), over a real server socket.
//!
//! One archive, three ingests, so its records have versions that differ in who could see them:
//! - `trong`: v1 public with its files for a community and a GPS column, v2 for researchers,
//!   v3 public with its files public and a new file;
//! - `an`: v1 public, v2 restricted (hidden now);
//! - `doi`: v1 and v2 public with the same file;
//! - `doi-moi`: v1 and v2 public, the file replaced in v2;
//! - `rut`: v1 public, v2 withdrawn by an archivist, v3 reinstated.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use disan::model::Role;

use crate::support::{Workspace, problems, raw_get, site_with, token_of};

/// One record of a generated batch: a text file and its row.
struct Row {
    id: &'static str,
    title: &'static str,
    description: &'static str,
    access: &'static str,
    files_access: &'static str,
    gps: &'static str,
    content: &'static str,
}

/// Writes batch `name` of `rows` in `workspace`.
fn write_batch(workspace: &Workspace, name: &str, rows: &[Row]) -> PathBuf {
    let dir = workspace.dir.path().join("batches").join(name);
    std::fs::create_dir_all(dir.join("objects")).unwrap();
    std::fs::create_dir_all(dir.join("metadata")).unwrap();
    let mut csv = String::from(
        "filename,dc.identifier,dc.title,dc.title@en,dc.creator,dc.date,dc.description,access,files_access,gps\n",
    );
    for row in rows {
        std::fs::write(dir.join(format!("objects/{}.txt", row.id)), row.content).unwrap();
        csv.push_str(&format!(
            "objects/{id}.txt,{id},\"{title}\",Bronze drum,Nguyễn Văn Á,2020-08-27,{description},{access},{files},\"{gps}\"\n",
            id = row.id,
            title = row.title,
            description = row.description,
            access = row.access,
            files = row.files_access,
            gps = row.gps,
        ));
    }
    std::fs::write(dir.join("metadata/metadata.csv"), csv).unwrap();
    dir
}

/// The title every version of `trong` has: BibTeX's and RIS's special characters, diacritics.
const TITLE: &str = "Trống {đồng} & 100% Đọi Tam";

fn ingest(workspace: &Workspace, batch: &Path) {
    let (code, report) = workspace.ingest(batch, &[]);
    assert!(code == 0 || code == 1, "{code}: {:#?}", problems(&report));
}

/// The archive described in the module documentation, and a researcher's and an archivist's
/// API tokens.
fn versioned_archive() -> (Workspace, String, String) {
    let workspace = Workspace::new();
    let first = write_batch(
        &workspace,
        "v1",
        &[
            Row {
                id: "trong",
                title: TITLE,
                description: "Mô tả một",
                access: "public",
                files_access: "community:phuong-trong-mau",
                gps: "21.0285, 105.8542",
                content: "tệp một\n",
            },
            Row {
                id: "an",
                title: "Ẩn sau này",
                description: "Công khai lúc đầu",
                access: "public",
                files_access: "public",
                gps: "",
                content: "ẩn\n",
            },
            Row {
                id: "doi",
                title: "Đổi mô tả",
                description: "Mô tả một",
                access: "public",
                files_access: "public",
                gps: "",
                content: "giữ nguyên\n",
            },
            Row {
                id: "doi-moi",
                title: "Đổi tệp",
                description: "Mô tả một",
                access: "public",
                files_access: "public",
                gps: "",
                content: "tệp cũ bí mật\n",
            },
            Row {
                id: "rut",
                title: "Rút rồi khôi phục",
                description: "Công khai",
                access: "public",
                files_access: "public",
                gps: "",
                content: "rút\n",
            },
        ],
    );
    ingest(&workspace, &first);
    let second = write_batch(
        &workspace,
        "v2",
        &[
            Row {
                id: "trong",
                title: TITLE,
                description: "Mô tả hai cho nhà nghiên cứu",
                access: "researchers",
                files_access: "researchers",
                gps: "",
                content: "tệp một\n",
            },
            Row {
                id: "an",
                title: "Ẩn sau này",
                description: "Nay đã hạn chế",
                access: "restricted",
                files_access: "restricted",
                gps: "",
                content: "ẩn\n",
            },
            Row {
                id: "doi",
                title: "Đổi mô tả",
                description: "Mô tả hai",
                access: "public",
                files_access: "public",
                gps: "",
                content: "giữ nguyên\n",
            },
            Row {
                id: "doi-moi",
                title: "Đổi tệp",
                description: "Mô tả hai",
                access: "public",
                files_access: "public",
                gps: "",
                content: "tệp mới\n",
            },
        ],
    );
    ingest(&workspace, &second);
    let third = write_batch(
        &workspace,
        "v3",
        &[Row {
            id: "trong",
            title: TITLE,
            description: "Mô tả ba",
            access: "public",
            files_access: "public",
            gps: "",
            content: "tệp ba\n",
        }],
    );
    ingest(&workspace, &third);
    // `rut`: withdrawn by an archivist (v2), then reinstated (v3).
    let archive = disan::archive::Archive::open(&workspace.archive()).unwrap();
    let index = disan::index::IndexDir::new(&workspace.index());
    let writer = disan::workspace::Writer {
        archive: &archive,
        index: &index,
        wait: std::time::Duration::from_secs(10),
    };
    let id = disan::model::RecordId::parse("rut").unwrap();
    for step in ["withdraw", "reinstate"] {
        let head = archive.record_inventory(&id).unwrap().unwrap().head;
        let author = disan::workspace::Author {
            login: "thu".into(),
            message: format!("{step} (test)"),
        };
        match step {
            "withdraw" => disan::workspace::withdraw(&writer, &id, &head, &author),
            _ => disan::workspace::reinstate(&writer, &id, &head, &author),
        }
        .unwrap();
    }
    assert_eq!(archive.record_inventory(&id).unwrap().unwrap().head, "v3");
    let accounts = disan::accounts::Accounts::open(&workspace.accounts()).unwrap();
    let researcher = token_of(&accounts, "nghien-cuu", Role::Researcher, &[]);
    let archivist = token_of(&accounts, "luu-tru", Role::Archivist, &[]);
    (workspace, researcher, archivist)
}

/// A response read off the socket.
struct Fetched {
    status: u16,
    head: String,
    body: String,
}

impl Fetched {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.split("\r\n").skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }
}

/// `GET path` with `headers` over a fresh connection to `addr`.
async fn fetch(addr: SocketAddr, path: &str, headers: &str) -> Fetched {
    let (path, headers) = (path.to_string(), headers.to_string());
    let raw = tokio::task::spawn_blocking(move || raw_get(addr, &path, &headers))
        .await
        .unwrap();
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..end]).to_string();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let mut body = raw[end + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = unchunk(&body);
    }
    Fetched {
        status,
        head,
        body: String::from_utf8(body).expect("UTF-8"),
    }
}

/// A chunked body's bytes.
fn unchunk(mut raw: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let line = raw.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&raw[..line]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return body;
        }
        body.extend_from_slice(&raw[line + 2..line + 2 + size]);
        raw = &raw[line + 2 + size + 2..];
    }
}

/// Serves `workspace` (signing in against its accounts) on a real socket.
async fn serve(workspace: &Workspace) -> SocketAddr {
    let accounts = disan::accounts::Accounts::open(&workspace.accounts()).unwrap();
    let site = site_with(workspace, accounts);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(disan::web::serve(site, listener));
    addr
}

/// Runs `script` under python3 with `input` on its standard input; its standard output, or a
/// failure naming what it printed. The tool missing fails the test: it is required.
pub fn python(script: &str, input: &str, install: &str) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "python3 failed ({install} installs what it needs): {stderr}"
    );
    String::from_utf8(output.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn citation_files_name_the_version_and_parse_in_real_readers() {
    let (workspace, _, _) = versioned_archive();
    let addr = serve(&workspace).await;
    let stable = "http://127.0.0.1:8080/records/trong";

    // RIS, read by rispy: the version (ET), its URL, the title as written, UTF-8.
    let ris = fetch(addr, "/records/trong/cite.ris", "").await;
    assert_eq!(ris.status, 200);
    assert_eq!(
        ris.header("content-type"),
        Some("application/x-research-info-systems; charset=utf-8")
    );
    assert_eq!(
        ris.header("content-disposition"),
        Some("attachment; filename=\"disan-trong-v3.ris\"")
    );
    let read = python(
        "import json, sys, rispy; print(json.dumps(rispy.loads(sys.stdin.read()), ensure_ascii=False))",
        &ris.body,
        "python3 -m pip install rispy",
    );
    let entries: serde_json::Value = serde_json::from_str(&read).unwrap();
    assert_eq!(entries.as_array().unwrap().len(), 1, "{read}");
    let entry = &entries[0];
    assert_eq!(entry["title"], TITLE, "{read}");
    assert_eq!(entry["translated_title"], "Bronze drum", "{read}");
    assert_eq!(entry["edition"], "v3", "{read}");
    assert_eq!(entry["urls"][0], format!("{stable}/v3"), "{read}");
    assert_eq!(entry["authors"][0], "Nguyễn Văn Á", "{read}");
    assert_eq!(entry["year"], "2020", "{read}");
    assert_eq!(entry["date"], "2020/08/27/", "{read}");
    assert!(
        entry["notes"][0]
            .as_str()
            .is_some_and(|n| n.starts_with("Tư liệu Disan trong, phiên bản OCFL v3 (")
                && n.contains(&format!("bản hiện hành: {stable}; tên tiếng Anh: Bronze drum — Disan record trong, OCFL version v3 ("))
                && n.ends_with(&format!("current version: {stable}; English title: Bronze drum"))),
        "{read}"
    );

    // BibTeX, read by pybtex: braces and specials escaped, so the title comes back whole.
    let bib = fetch(addr, "/records/trong/cite.bib", "").await;
    assert_eq!(bib.status, 200);
    assert_eq!(
        bib.header("content-type"),
        Some("application/x-bibtex; charset=utf-8")
    );
    let read = python(
        "import json, sys\nfrom pybtex.database import parse_string\nb = parse_string(sys.stdin.read(), 'bibtex')\nprint(json.dumps({k: dict(e.fields) | {'persons': [str(p) for p in e.persons.get('author', [])]} for k, e in b.entries.items()}, ensure_ascii=False))",
        &bib.body,
        "python3 -m pip install pybtex",
    );
    let entries: serde_json::Value = serde_json::from_str(&read).unwrap();
    let entry = &entries["disan-trong-v3"];
    assert_eq!(
        entry["title"], "{Trống \\{đồng\\} \\& 100\\% Đọi Tam}",
        "{read}"
    );
    assert_eq!(entry["version"], "v3", "{read}");
    assert_eq!(entry["url"], format!("{stable}/v3"), "{read}");
    assert_eq!(entry["year"], "2020", "{read}");
    assert_eq!(entry["persons"][0], "{Nguyễn Văn Á}", "{read}");

    // CSL-JSON: an array of one item with the version and its URL.
    let csl = fetch(addr, "/records/trong/cite.json", "").await;
    assert_eq!(csl.status, 200);
    assert_eq!(
        csl.header("content-type"),
        Some("application/vnd.citationstyles.csl+json")
    );
    let items: serde_json::Value = serde_json::from_str(&csl.body).unwrap();
    let item = &items[0];
    assert_eq!(item["id"], "disan-trong-v3");
    assert_eq!(item["title"], TITLE);
    assert_eq!(item["version"], "v3");
    assert_eq!(item["URL"], format!("{stable}/v3"));
    assert_eq!(
        item["issued"]["date-parts"][0],
        serde_json::json!([2020, 8, 27])
    );
    assert_eq!(item["author"][0]["literal"], "Nguyễn Văn Á");
    // citeproc-py, a CSL processor, reads it (an unknown variable is an error here) and formats
    // it with the style it ships.
    let formatted = python(
        "import json, sys, warnings\nfrom citeproc import CitationStylesStyle, CitationStylesBibliography, Citation, CitationItem, formatter\nfrom citeproc.source.json import CiteProcJSON\nitems = json.load(sys.stdin)\nwarnings.simplefilter('error')\nbib = CitationStylesBibliography(CitationStylesStyle('harvard-cite-them-right', validate=False), CiteProcJSON(items), formatter.plain)\nfor item in items:\n    bib.register(Citation([CitationItem(item['id'])]))\nprint('\\n'.join(str(entry) for entry in bib.bibliography()))",
        &csl.body,
        "python3 -m pip install citeproc-py",
    );
    assert_eq!(
        formatted.trim(),
        format!(
            "Nguyễn Văn Á (2020) “{TITLE}”. Di sản làng nghề (Disan). Available at: {stable}/v3."
        ),
        "{formatted}"
    );

    // An earlier version's files cite it, and only to whoever could see it.
    let old = fetch(addr, "/records/trong/v1/cite.ris", "").await;
    assert_eq!(old.status, 200);
    assert!(old.body.contains("ET  - v1\r\n"), "{}", old.body);
    assert!(
        old.body.contains(&format!("UR  - {stable}/v1\r\n")),
        "{}",
        old.body
    );
    for path in [
        "/records/trong/v2/cite.ris",
        "/records/trong/v9/cite.bib",
        "/records/trong/cite.txt",
        "/records/an/cite.ris",
        "/records/an/v1/cite.json",
    ] {
        assert_eq!(fetch(addr, path, "").await.status, 404, "{path}");
    }

    // The JSON API names the version it shows and the citation files.
    let api = fetch(addr, "/api/records/trong", "").await;
    let json: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(json["version"]["name"], "v3");
    assert_eq!(json["version"]["url"], "/records/trong/v3");
    assert_eq!(json["citations"]["ris"], "/records/trong/cite.ris");
    // The page's block links the files and cites in both languages, each tagged.
    let page = fetch(addr, "/records/trong", "").await;
    assert!(
        page.body.contains("<p class=\"citation\" lang=\"vi\">"),
        "{}",
        page.body
    );
    assert!(page.body.contains("<p class=\"citation\" lang=\"en\">"));
    assert!(page.body.contains("phiên bản v3"));
    assert!(page.body.contains("href=\"/records/trong/cite.ris\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_earlier_version_is_shown_only_to_whoever_could_see_it_then_and_can_now() {
    let (workspace, researcher, archivist) = versioned_archive();
    let addr = serve(&workspace).await;
    let researcher = format!("Authorization: Bearer {researcher}\r\n");
    let archivist = format!("Authorization: Bearer {archivist}\r\n");

    // v1 was public: shown, through the public projection, saying it is an earlier version.
    let v1 = fetch(addr, "/records/trong/v1", "").await;
    assert_eq!(v1.status, 200);
    assert!(v1.body.contains("Mô tả một"), "{}", v1.body);
    assert!(!v1.body.contains("Mô tả ba"));
    assert!(v1.body.contains("Đây là phiên bản v1"), "{}", v1.body);
    assert!(v1.body.contains("phiên bản hiện hành là v3"));
    // Search engines index the current version, not every earlier one.
    assert!(
        v1.body
            .contains("<meta name=\"robots\" content=\"noindex\">")
    );
    assert!(
        v1.body.contains(
            "<a href=\"http://127.0.0.1:8080/records/trong\">Xem phiên bản hiện hành</a>"
        )
    );
    // Its GPS column and its files' community rule never reach the page; its files were for
    // the community then, so they are reserved, although they are public now.
    assert!(!v1.body.contains("21.0285") && !v1.body.contains("105.8542"));
    assert!(!v1.body.contains("phuong-trong-mau"));
    assert!(!v1.body.contains("/media/trong"), "{}", v1.body);
    assert!(v1.body.contains("Các tệp của tư liệu này được dành riêng"));
    // Cached only with revalidation: a record hidden tomorrow must not be served from a cache.
    assert_eq!(v1.header("cache-control"), Some("no-cache"));
    let english = fetch(addr, "/en/records/trong/v1", "").await;
    assert_eq!(english.status, 200);
    assert!(english.body.contains("This is version v1"));
    assert!(english.body.contains("version v1"));

    // The current version, at its own URL and at its stable one, shows its files.
    let head = fetch(addr, "/records/trong/v3", "").await;
    assert_eq!(head.status, 200);
    assert!(head.body.contains("Mô tả ba"));
    assert!(!head.body.contains("Đây là phiên bản"));
    assert!(!head.body.contains("noindex"));
    assert!(head.body.contains("/media/trong/"), "{}", head.body);

    // v2 was for researchers: unknown to the public, shown to a researcher.
    let hidden = fetch(addr, "/records/trong/v2", "").await;
    let unknown = fetch(addr, "/records/khong-co/v2", "").await;
    assert_eq!(hidden.status, 404);
    assert_eq!(unknown.status, 404);
    assert_eq!(hidden.body, unknown.body);
    let v2 = fetch(addr, "/records/trong/v2", &researcher).await;
    assert_eq!(v2.status, 200);
    assert!(v2.body.contains("Mô tả hai cho nhà nghiên cứu"));
    assert_eq!(v2.header("cache-control"), Some("private, no-store"));

    // A version in which the record was withdrawn is seen by nobody, archivists included; the
    // versions before and after it are public.
    for who in ["", archivist.as_str()] {
        assert_eq!(fetch(addr, "/records/rut/v2", who).await.status, 404);
        assert_eq!(
            fetch(addr, "/records/rut/v2/cite.ris", who).await.status,
            404
        );
        assert_eq!(fetch(addr, "/records/rut/v1", who).await.status, 200);
        assert_eq!(fetch(addr, "/records/rut/v3", who).await.status, 200);
    }
    // An archivist sees every version that was not withdrawn, whoever it was for.
    assert_eq!(
        fetch(addr, "/records/trong/v2", &archivist).await.status,
        200
    );

    // Versions that do not exist, and parts that are not versions.
    for path in [
        "/records/trong/v4",
        "/records/trong/v0",
        "/records/trong/v01",
        "/records/trong/va",
        "/records/trong/1",
        "/records/trong/V1",
    ] {
        assert_eq!(fetch(addr, path, "").await.status, 404, "{path}");
    }

    // A record hidden now is unknown at every version, even one that was public, to anyone it
    // hides from; exactly as an id that never existed.
    for path in ["/records/an/v1", "/records/an/v2", "/en/records/an/v1"] {
        let answer = fetch(addr, path, "").await;
        assert_eq!(answer.status, 404, "{path}");
        assert!(!answer.body.contains("Ẩn sau này"), "{path}");
        assert_eq!(fetch(addr, path, &researcher).await.status, 404, "{path}");
    }

    // Files: only those the head holds unchanged are shown, through the current media routes.
    let kept = fetch(addr, "/records/doi/v1", "").await;
    assert_eq!(kept.status, 200);
    assert!(kept.body.contains("/media/doi/"), "{}", kept.body);
    assert!(!kept.body.contains("đã được thay đổi hoặc gỡ bỏ"));
    let replaced = fetch(addr, "/records/doi-moi/v1", "").await;
    assert_eq!(replaced.status, 200);
    assert!(replaced.body.contains("Mô tả một"));
    assert!(
        !replaced.body.contains("/media/doi-moi/"),
        "{}",
        replaced.body
    );
    assert!(
        replaced.body.contains("đã được thay đổi hoặc gỡ bỏ"),
        "{}",
        replaced.body
    );
    let old_digest = sha256_hex("tệp cũ bí mật\n".as_bytes());
    assert!(!replaced.body.contains(&old_digest));

    // An earlier version never changes: a cache revalidates it by its ETag for a bodiless 304.
    let served = fetch(addr, "/records/doi/v1", "").await;
    let etag = served.header("etag").expect("an ETag").to_string();
    assert!(etag.starts_with("W/\""), "{etag}");
    assert_eq!(served.header("cache-control"), Some("no-cache"));
    let again = fetch(
        addr,
        "/records/doi/v1",
        &format!("If-None-Match: {etag}\r\n"),
    )
    .await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    let other = fetch(addr, "/records/doi/v1", "If-None-Match: W/\"0\"\r\n").await;
    assert_eq!(other.status, 200);
    let file = fetch(addr, "/records/doi/v1/cite.bib", "").await;
    let file_etag = file.header("etag").expect("an ETag").to_string();
    let file_again = fetch(
        addr,
        "/records/doi/v1/cite.bib",
        &format!("If-None-Match: {file_etag}\r\n"),
    )
    .await;
    assert_eq!(file_again.status, 304);

    // Hidden after its versions were served (and kept rendered): unknown at every version from
    // the next request on, never answered from what was kept, whatever validator is sent.
    assert_eq!(fetch(addr, "/records/doi/v2", "").await.status, 200);
    let hide = write_batch(
        &workspace,
        "an-di",
        &[Row {
            id: "doi",
            title: "Đổi mô tả",
            description: "Mô tả hai",
            access: "restricted",
            files_access: "restricted",
            gps: "",
            content: "giữ nguyên\n",
        }],
    );
    tokio::task::block_in_place(|| ingest(&workspace, &hide));
    for path in [
        "/records/doi/v1",
        "/records/doi/v2",
        "/records/doi/v3",
        "/records/doi/v1/cite.ris",
        "/records/doi/cite.json",
    ] {
        assert_eq!(fetch(addr, path, "").await.status, 404, "{path}");
    }
    let revalidated = fetch(
        addr,
        "/records/doi/v1",
        &format!("If-None-Match: {etag}\r\n"),
    )
    .await;
    assert_eq!(revalidated.status, 404);
    let revalidated = fetch(
        addr,
        "/records/doi/v1/cite.bib",
        &format!("If-None-Match: {file_etag}\r\n"),
    )
    .await;
    assert_eq!(revalidated.status, 404);
}

/// The SHA-256 of `bytes`, lowercase hex.
fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
