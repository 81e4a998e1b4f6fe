//! Links to hidden records and products written as absolute URLs with the site's own address
//! (`disan serve --public-url`) are judged exactly like the same links written relative (fix14):
//! on the record page in both languages, in the API and in search they leave their words only
//! (a bare URL leaves nothing), and an original (Markdown, plain text, PDF) naming one is an
//! unknown path for a viewer who may not see it. Every form is tried: `/en/`, query, fragment,
//! percent-encoding (of the path and of the host), a scheme-relative URL, an autolink, and the
//! host written in NFD or in its IDNA ASCII form (`xn--…`). Links to other hosts, and to what
//! the viewer may see, stay as written.
//!
//! Fixture: `tests/fixtures/batches/community-files/` (test material; `nghien-cuu` is for
//! researchers, `phuong` for a community, `cong-khai` public) and texts written here, served by
//! a real `disan serve` over HTTP.

use std::io::BufRead;
use std::net::SocketAddr;
use std::process::Stdio;

use crate::browser::Server;
use crate::built_in_templates::get;
use crate::support::{Workspace, problems};
use crate::text_originals::text_pdf;

/// The site's public address: a Vietnamese host name, written in NFC.
const PUBLIC_URL: &str = "https://kho-di-s\u{1EA3}n.example";

/// The story linking to hidden and public records and products, in every form.
const STORY: &str = "Liên kết mẫu (tư liệu mẫu).\n\n\
    [ảnh kín](https://kho-di-sản.example/records/nghien-cuu), \
    [EN](HTTPS://KHO-DI-SẢN.EXAMPLE/en/records/nghien-cuu?x=1#y), \
    [mã hoá](https://kho-di-sản.example/%72ecords/nghien%2Dcuu), \
    [NFD](https://kho-di-sa\u{309}n.example/records/nghien-cuu), \
    [máy chủ mã hoá](https://kho-di-s%E1%BA%A3n.example/records/nghien-cuu), \
    [IDNA](https://xn--kho-di-sn-s86d.example/records/nghien-cuu), \
    [trống kín](https://kho-di-sản.example/en/products/trong-kin#gia), \
    [phường](//kho-di-sản.example/media/phuong/files/phuong.jpg), \
    [tham chiếu][r].\n\n\
    Dán: https://kho-di-sản.example/records/nghien-cuu và <https://kho-di-sản.example/en/records/phuong>.\n\n\
    [công khai](https://kho-di-sản.example/records/cong-khai) · [nơi khác](https://example.org/records/ngoai-le)\n\n\
    [r]: https://kho-di-sản.example/en/records/nghien-cuu\n";

/// `disan serve` over `workspace` at [`PUBLIC_URL`]: the server (stopped when dropped) and its
/// address.
fn serve(workspace: &Workspace) -> (Server, SocketAddr) {
    let mut child = workspace
        .disan()
        .args(["serve", "--addr", "127.0.0.1:0", "--public-url", PUBLIC_URL])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("disan serve");
    let stdout = child.stdout.take().expect("stdout");
    (Server(child), listening(stdout))
}

/// The address a starting `disan serve` or `demo` prints, read from its standard output up to
/// the first line that names one.
pub(crate) fn listening(stdout: std::process::ChildStdout) -> SocketAddr {
    let mut lines = std::io::BufReader::new(stdout).lines();
    loop {
        let line = lines
            .next()
            .expect("the server ended before serving")
            .expect("a line");
        if let Some(addr) = line
            .split_whitespace()
            .find_map(|word| word.strip_prefix("http://"))
        {
            break addr
                .trim_end_matches('/')
                .parse()
                .unwrap_or_else(|_| panic!("no address in {line:?}"));
        }
    }
}

/// The answer to `GET path` as text, with its status.
pub(crate) fn text(addr: SocketAddr, path: &str) -> (u16, String) {
    let (status, body) = get(addr, path);
    (status, String::from_utf8_lossy(&body).into_owned())
}

#[test]
fn absolute_links_at_the_sites_own_address_are_judged_like_relative_ones() {
    let workspace = Workspace::new();
    let batch = workspace.batch("community-files");
    let files: [(&str, &str, Vec<u8>, &str); 5] = [
        ("lien-ket", "lien-ket.md", STORY.as_bytes().to_vec(), "story"),
        (
            "ghi-chu-url",
            "ghi-chu-url.txt",
            "Ghi chú mẫu: https://kho-di-sa\u{309}n.example/en/records/nghien-cuu?x=1\n"
                .as_bytes()
                .to_vec(),
            "document",
        ),
        (
            "ghi-chu-ngoai",
            "ghi-chu-ngoai.txt",
            "Ghi chú mẫu: https://example.org/records/nghien-cuu và https://kho-di-sản.example/records/cong-khai\n"
                .as_bytes()
                .to_vec(),
            "document",
        ),
        (
            "tai-lieu-url",
            "tai-lieu-url.pdf",
            text_pdf("Tai lieu mau: https://kho-di-s%E1%BA%A3n.example/en/records/nghien-cuu"),
            "document",
        ),
        (
            "tai-lieu-ngoai",
            "tai-lieu-ngoai.pdf",
            text_pdf("Tai lieu mau: https://example.org/en/records/nghien-cuu"),
            "document",
        ),
    ];
    let mut metadata = std::fs::read_to_string(batch.join("metadata/metadata.csv")).unwrap();
    for (id, name, bytes, kind) in &files {
        std::fs::write(batch.join("objects").join(name), bytes).unwrap();
        metadata.push_str(&format!(
            "objects/{name},{id},Liên kết {id} (tư liệu mẫu),,,{kind},public,,,\n"
        ));
    }
    std::fs::write(batch.join("metadata/metadata.csv"), metadata).unwrap();
    std::fs::write(
        batch.join("metadata/products.csv"),
        "id,name,access\ntrong-kin,Trống kín (mẫu),researchers\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let (_server, addr) = serve(&workspace);

    // The story, as an anonymous visitor reads it everywhere: the words stay, no hidden id does.
    for route in [
        "/records/lien-ket",
        "/en/records/lien-ket",
        "/api/records/lien-ket",
        "/api/search?q=li%C3%AAn%20k%E1%BA%BFt%20m%E1%BA%ABu",
        "/search?q=li%C3%AAn%20k%E1%BA%BFt%20m%E1%BA%ABu",
    ] {
        let (status, body) = text(addr, route);
        assert_eq!(status, 200, "{route}: {body}");
        assert!(body.contains("lien-ket"), "{route}: {body}");
        for hidden in ["nghien", "trong-kin", "/phuong", "%72ecords"] {
            assert!(!body.contains(hidden), "{route}: {hidden} in {body}");
        }
        if !route.contains("search") {
            for words in ["ảnh kín", "máy chủ mã hoá", "trống kín", "tham chiếu"] {
                assert!(body.contains(words), "{route}: {words} not in {body}");
            }
            // Links to what may be seen, and other hosts' links, stay as written.
            for kept in ["/records/cong-khai", "https://example.org/records/ngoai-le"] {
                assert!(body.contains(kept), "{route}: {kept} not in {body}");
            }
        }
    }
    // Nothing of a hidden link is searchable, in a record's text or in its files' text.
    for query in [
        "nghien-cuu",
        "nghien",
        "%22records%20nghien%22",
        "phuong.jpg",
    ] {
        let (status, body) = text(addr, &format!("/api/search?q={query}"));
        assert_eq!(status, 200, "{query}: {body}");
        for id in ["lien-ket", "ghi-chu-url", "tai-lieu-url"] {
            assert!(!body.contains(id), "{query}: {id} in {body}");
        }
    }
    // The product link's words answer (they are the story's), its id does not.
    let (_, body) = text(addr, "/api/search?q=tr%E1%BB%91ng%20k%C3%ADn");
    assert!(
        body.contains("lien-ket") && !body.contains("trong-kin"),
        "{body}"
    );

    // The originals: those naming a hidden record by an absolute URL at the site's address are
    // unknown paths, like a file that is not there; those linking elsewhere are sent.
    let (_, unknown) = get(addr, "/media/ghi-chu-url/files/khong-co.txt");
    for (id, name, bytes, _) in &files {
        let uri = format!("/media/{id}/files/{name}");
        let (status, body) = get(addr, &uri);
        let (_, api) = text(addr, &format!("/api/records/{id}"));
        let api: serde_json::Value = serde_json::from_str(&api).unwrap();
        let listed = api["files"]
            .as_array()
            .unwrap()
            .iter()
            .any(|file| file["path"].as_str().unwrap().ends_with(name));
        if id.ends_with("-ngoai") {
            assert_eq!((status, &body), (200, bytes), "{uri}");
            assert!(listed, "{uri}: {api}");
        } else {
            assert_eq!((status, &body), (404, &unknown), "{uri}");
            assert!(!listed && !api.to_string().contains(&uri), "{uri}: {api}");
        }
    }
}
