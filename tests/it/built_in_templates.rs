//! `disan serve` run where there is no `templates/` folder (any deployment outside the
//! repository) serves every page type exactly as it does from the repository, from the
//! templates and static files compiled into the binary (break14b finding 2: the artisan and
//! product pages, and every village page with an OCOP product, answered 500); and a template
//! that fails answers the site's plain 500 page and logs the template, the error's kind and
//! place, never the page's data.

use std::io::BufRead;
use std::net::SocketAddr;
use std::path::Path;
use std::process::Stdio;

use serde_json::Value;

use crate::browser::Server;
use crate::support::{Workspace, problems, raw_get};

/// The public address both servers are given, so their pages name the same origin.
const PUBLIC_URL: &str = "http://disan.test";

/// The sample collection (a visit, stories, festivals, every kind of media) and the
/// `vocabulary` fixture (artisans with honours, OCOP products, a restricted one), ingested.
fn workspace() -> Workspace {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = Workspace::new();
    let (code, report) = workspace.ingest(&root.join("sample/ha-nam"), &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let (code, report) = workspace.ingest(&workspace.batch("vocabulary"), &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    workspace
}

/// `disan serve` over `workspace`, run in `cwd` with `extra` arguments, its log written to
/// `log`; the server (stopped when dropped) and its address.
fn serve(workspace: &Workspace, cwd: &Path, extra: &[&Path], log: &Path) -> (Server, SocketAddr) {
    let mut command = workspace.disan();
    command
        .current_dir(cwd)
        .args(["serve", "--addr", "127.0.0.1:0", "--public-url", PUBLIC_URL]);
    if let [flag, value] = extra {
        command.arg(flag).arg(value);
    }
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .expect("disan serve");
    let stdout = child.stdout.take().expect("stdout");
    let server = Server(child);
    let mut first_line = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut first_line)
        .expect("the server's first line");
    let addr = first_line
        .split_whitespace()
        .find_map(|word| word.strip_prefix("http://"))
        .unwrap_or_else(|| panic!("no address in {first_line:?}"))
        .trim_end_matches('/')
        .parse()
        .unwrap();
    (server, addr)
}

/// The status and the body (de-chunked) of `GET path`.
pub(crate) fn get(addr: SocketAddr, path: &str) -> (u16, Vec<u8>) {
    let response = raw_get(addr, path, "");
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&response[..split]).to_ascii_lowercase();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("{path}: no status in {head}"));
    let mut body = response[split + 4..].to_vec();
    if head.contains("transfer-encoding: chunked") {
        let mut rest = body.as_slice();
        let mut whole = Vec::new();
        loop {
            let end = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let size = usize::from_str_radix(std::str::from_utf8(&rest[..end]).unwrap().trim(), 16)
                .unwrap();
            if size == 0 {
                break;
            }
            whole.extend_from_slice(&rest[end + 2..end + 2 + size]);
            rest = &rest[end + 4 + size..];
        }
        body = whole;
    }
    (status, body)
}

/// `html` with the value of every CSRF field (a fresh token per answer) left out.
fn without_csrf(html: &str) -> String {
    const FIELD: &str = "name=\"csrf\" value=\"";
    let mut parts = html.split(FIELD);
    let mut text = parts.next().unwrap_or_default().to_string();
    for part in parts {
        text.push_str(FIELD);
        text.push_str(&part[part.find('"').unwrap_or(0)..]);
    }
    text
}

/// The files under `dir`, as `/`-separated paths relative to `root`.
fn files_under(root: &Path, dir: &Path, found: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(root, &path, found);
        } else {
            let parts: Vec<String> = path
                .strip_prefix(root)
                .unwrap()
                .components()
                .map(|part| part.as_os_str().to_string_lossy().into_owned())
                .collect();
            found.push(parts.join("/"));
        }
    }
}

#[test]
fn every_page_type_is_served_the_same_from_a_folder_without_templates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = workspace();
    let elsewhere = tempfile::tempdir().unwrap();
    assert!(!elsewhere.path().join("templates").exists());
    let logs = tempfile::tempdir().unwrap();
    let (built_in_server, built_in) = serve(
        &workspace,
        elsewhere.path(),
        &[],
        &logs.path().join("built-in.log"),
    );
    let templates = root.join("templates");
    let (_folder_server, folder) = serve(
        &workspace,
        root,
        &[Path::new("--templates"), &templates],
        &logs.path().join("folder.log"),
    );
    // A record of every kind the archive holds (the sample's visit, story, festival, …).
    let mut records = Vec::new();
    for kind in disan::model::Kind::ALL {
        let (status, body) = get(built_in, &format!("/api/search?kind={}", kind.as_str()));
        assert_eq!(status, 200, "{kind:?}");
        let answer: Value = serde_json::from_slice(&body).unwrap();
        if let Some(id) = answer["hits"][0]["id"].as_str() {
            records.push(format!("/records/{id}"));
        }
    }
    assert!(
        records.contains(&"/records/tham-quan-duy-tien-mau".to_string()),
        "{records:?}"
    );
    assert!(records.len() >= 8, "{records:?}");
    let mut pages: Vec<String> = [
        "/",
        "/search?q=trong",
        "/villages",
        "/villages/lang-thu-1",
        "/villages/lang-thu-2",
        "/villages/doi-tam",
        "/crafts/nghe-thu-1",
        "/artisans",
        "/artisans/nghe-nhan-thu-1",
        "/artisans/nghe-nhan-thu-3",
        "/products",
        "/products/san-pham-thu-4-sao",
        "/products/san-pham-thu-het-han",
        "/festivals",
        "/stories",
        "/province",
        "/login",
    ]
    .iter()
    .map(|path| path.to_string())
    .chain(records)
    .collect();
    let english: Vec<String> = pages
        .iter()
        .map(|path| format!("/en{}", path.trim_end_matches('/')))
        .collect();
    pages.extend(english);
    pages.extend(
        [
            "/province.csv",
            "/en/province.csv",
            "/sitemap.xml",
            "/robots.txt",
        ]
        .map(String::from),
    );
    let mut statics = Vec::new();
    files_under(
        &templates.join("static"),
        &templates.join("static"),
        &mut statics,
    );
    assert!(statics.len() >= 9, "{statics:?}");
    for file in &statics {
        let (status, body) = get(built_in, &format!("/static/{file}"));
        assert_eq!(status, 200, "/static/{file}");
        assert_eq!(
            body,
            std::fs::read(templates.join("static").join(file)).unwrap(),
            "{file}"
        );
    }
    for page in &pages {
        let (status, body) = get(built_in, page);
        assert_eq!(status, 200, "{page}: {}", String::from_utf8_lossy(&body));
        assert_eq!(
            without_csrf(&String::from_utf8_lossy(&body)),
            without_csrf(&String::from_utf8_lossy(&get(folder, page).1)),
            "{page}"
        );
    }
    // The site's own 404, in both cases.
    for missing in [
        "/no-such-page",
        "/records/khong-co-ban-ghi",
        "/en/products/khong-co",
    ] {
        let (status, body) = get(built_in, missing);
        assert_eq!(status, 404, "{missing}");
        assert_eq!(body, get(folder, missing).1, "{missing}");
    }
    drop(built_in_server);
    let log = std::fs::read_to_string(logs.path().join("built-in.log")).unwrap();
    assert!(!log.contains("internal error"), "{log}");
}

#[test]
fn a_failing_template_answers_a_plain_500_and_logs_no_page_data() {
    let workspace = workspace();
    let folder = tempfile::tempdir().unwrap();
    // The products list, written by a curator who misspelt a field after printing the names.
    std::fs::write(
        folder.path().join("products.html"),
        "{% extends \"base.html\" %}{% block main %}\n\
         {% for product in products %}{{ product.name.text }} {{ product.nmae }}{% endfor %}\n\
         {% endblock %}\n",
    )
    .unwrap();
    let log_path = folder.path().join("serve.log");
    let (server, addr) = serve(
        &workspace,
        folder.path(),
        &[Path::new("--templates"), folder.path()],
        &log_path,
    );
    for page in ["/products", "/en/products"] {
        let (status, body) = get(addr, page);
        assert_eq!(status, 500, "{page}");
        let body = String::from_utf8_lossy(&body);
        for internal in [
            "products.html",
            "undefined",
            "nmae",
            "Sản phẩm thử",
            "Test product",
        ] {
            assert!(!body.contains(internal), "{page}: {internal} in {body}");
        }
        assert!(
            body.contains("Máy chủ gặp lỗi; xin thử lại sau. (Something went wrong on our side.)"),
            "{page}: {body}"
        );
    }
    // Other pages (built-in copies of the rest) still answer.
    assert_eq!(get(addr, "/products/san-pham-thu-4-sao").0, 200);
    drop(server);
    let log = std::fs::read_to_string(&log_path).unwrap();
    let failures: Vec<&str> = log
        .lines()
        .filter(|line| line.contains("internal error"))
        .collect();
    assert_eq!(
        failures,
        ["disan serve: internal error: template products.html: undefined value (in products.html:2)";
            2],
        "{log}"
    );
    for data in [
        "Sản phẩm thử",
        "Test product",
        "TEST-C",
        "Hợp tác xã",
        "Hộ sản xuất",
    ] {
        assert!(!log.contains(data), "{data} in the log: {log}");
    }
}
