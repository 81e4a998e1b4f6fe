//! IIIF Image API 3.0 (issue 16) over a real server socket: the protocol (info.json, the base
//! URI's redirect, regions, sizes, rotations, qualities, formats, errors, CORS), access exactly
//! as for `/media/` (a forbidden image is the byte-identical 404 of one that never existed), and
//! PyPI's `iiif-validator` at level 2 against the validator's own test pattern, ingested as a
//! record.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use disan::model::Role;

use crate::audiences::{signed_in_site, split_response, viewer};
use crate::support::{Workspace, problems, raw_get};

/// The head lines of a raw response, without its `Date`.
fn head_without_date(raw: &[u8]) -> String {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(raw.len());
    String::from_utf8_lossy(&raw[..end])
        .split("\r\n")
        .filter(|line| !line.to_ascii_lowercase().starts_with("date:"))
        .collect::<Vec<_>>()
        .join("\r\n")
}

fn header(raw: &[u8], name: &str) -> Option<String> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    String::from_utf8_lossy(&raw[..end])
        .split("\r\n")
        .find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name)
                .then(|| value.trim().to_string())
        })
}

async fn get(addr: SocketAddr, path: &str, headers: &str) -> Vec<u8> {
    let (path, headers) = (path.to_string(), headers.to_string());
    tokio::task::spawn_blocking(move || raw_get(addr, &path, &headers))
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn iiif_images_answer_the_protocol_and_exactly_the_media_access_rules() {
    let workspace = Workspace::new();
    let (code, report) = workspace.ingest(&workspace.batch("community-files"), &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let (site, tokens) = signed_in_site(&workspace);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(disan::web::serve(site, listener));

    // info.json of a public photo: level 2, the display image's size, tiles and sizes, CORS.
    let raw = get(addr, "/iiif/3/cong-khai/0/info.json", "").await;
    let (status, body) = split_response(&raw);
    assert!(status.contains("200"), "{status}");
    assert_eq!(
        header(&raw, "access-control-allow-origin").as_deref(),
        Some("*")
    );
    assert_eq!(
        header(&raw, "content-type").as_deref(),
        Some("application/json")
    );
    let info: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(info["@context"], "http://iiif.io/api/image/3/context.json");
    assert_eq!(info["type"], "ImageService3");
    assert_eq!(info["protocol"], "http://iiif.io/api/image");
    assert_eq!(info["profile"], "level2");
    assert!(
        info["id"]
            .as_str()
            .unwrap()
            .ends_with("/iiif/3/cong-khai/0")
    );
    let (width, height) = (
        info["width"].as_u64().unwrap() as u32,
        info["height"].as_u64().unwrap() as u32,
    );
    assert!(width > 0 && height > 0 && width.max(height) <= 1600);
    assert_eq!(info["tiles"][0]["width"], 256);
    assert!(!info["sizes"].as_array().unwrap().is_empty());
    // JSON-LD when asked for, with the context as its profile (§5.1).
    let raw = get(
        addr,
        "/iiif/3/cong-khai/0/info.json",
        "Accept: application/ld+json\r\n",
    )
    .await;
    assert_eq!(
        header(&raw, "content-type").as_deref(),
        Some("application/ld+json;profile=\"http://iiif.io/api/image/3/context.json\"")
    );

    // The base URI sees its info.json.
    let raw = get(addr, "/iiif/3/cong-khai/0", "").await;
    assert!(raw.starts_with(b"HTTP/1.1 303"));
    assert_eq!(
        header(&raw, "location").as_deref(),
        Some("/iiif/3/cong-khai/0/info.json")
    );

    // Images: the full image, a tile, a scaled and turned gray PNG; no EXIF (so no GPS) ever.
    let image = |raw: &[u8]| {
        let (status, body) = split_response(raw);
        assert!(status.contains("200"), "{status}");
        assert_eq!(
            header(raw, "access-control-allow-origin").as_deref(),
            Some("*")
        );
        assert!(!body.windows(4).any(|w| w == b"Exif"), "EXIF sent");
        image::load_from_memory(&body).unwrap()
    };
    let full = image(&get(addr, "/iiif/3/cong-khai/0/full/max/0/default.jpg", "").await);
    assert_eq!((full.width(), full.height()), (width, height));
    let tile = image(&get(addr, "/iiif/3/cong-khai/0/0,0,32,32/16,/0/default.jpg", "").await);
    assert_eq!((tile.width(), tile.height()), (16, 16));
    let turned = get(addr, "/iiif/3/cong-khai/0/full/pct:50/90/gray.png", "").await;
    assert_eq!(
        header(&turned, "content-type").as_deref(),
        Some("image/png")
    );
    let turned = image(&turned);
    assert_eq!(
        (turned.width(), turned.height()),
        (
            (f64::from(height) / 2.0).round() as u32,
            (f64::from(width) / 2.0).round() as u32
        )
    );
    assert!(matches!(turned, image::DynamicImage::ImageLuma8(_)));
    let square = image(&get(addr, "/iiif/3/cong-khai/0/square/!20,30/!180/color.jpg", "").await);
    assert_eq!((square.width(), square.height()), (20, 20));
    let bitonal = image(&get(addr, "/iiif/3/cong-khai/0/full/max/0/bitonal.png", "").await);
    assert!(
        bitonal
            .to_luma8()
            .pixels()
            .all(|p| p.0[0] == 0 || p.0[0] == 255)
    );

    // Many at once (more than are cut at a time) all answer: they wait their turn.
    let many: Vec<_> = (0..16)
        .map(|k| {
            let path = format!(
                "/iiif/3/cong-khai/0/full/{},/{}/default.png",
                32 + k,
                (k % 4) * 90
            );
            tokio::spawn(async move { get(addr, &path, "").await })
        })
        .collect();
    for answer in many {
        assert!(answer.await.unwrap().starts_with(b"HTTP/1.1 200"));
    }

    // Errors as the spec says: 400 malformed, 501 not offered.
    for (path, code) in [
        ("full/max/0/default.xyz", "400"),
        ("full/max/0/sepia.jpg", "400"),
        ("full/max/-5/default.jpg", "400"),
        ("0,0,0,10/max/0/default.jpg", "400"),
        ("99999,0,10,10/max/0/default.jpg", "400"),
        ("full/99999,/0/default.jpg", "400"),
        ("full/^max/0/default.jpg", "501"),
        ("full/max/45/default.jpg", "501"),
        ("full/!9999,9999/0/default.jpg", "400"),
        ("full/max/0/default.webp", "501"),
    ] {
        let raw = get(addr, &format!("/iiif/3/cong-khai/0/{path}"), "").await;
        let (status, body) = split_response(&raw);
        assert!(status.contains(code), "{path}: {status}");
        let body = String::from_utf8_lossy(&body);
        assert!(body.contains('(') && body.contains(')'), "{path}: {body}");
    }

    // Access: to everyone it is hidden from, every IIIF address of a hidden record's image is
    // the byte-identical 404 (but for its date) of an image that never existed.
    let never = |headers: String| async move {
        head_without_date(&get(addr, "/iiif/3/khong-bao-gio-co/0/info.json", &headers).await)
    };
    for (who, hidden) in [
        (disan::model::access::Viewer::Anonymous, "nghien-cuu"),
        (viewer(Role::Researcher, &[]), "phuong"),
        (viewer(Role::Researcher, &["du-an-mau"]), "bi-kip-bit-trong"),
    ] {
        let headers = match &who {
            disan::model::access::Viewer::Anonymous => String::new(),
            _ => format!("Authorization: Bearer {}\r\n", tokens[&format!("{who:?}")]),
        };
        let expected = never(headers.clone()).await;
        assert!(expected.starts_with("HTTP/1.1 404"), "{expected}");
        for n in 0..3 {
            for path in [
                format!("/iiif/3/{hidden}/{n}/info.json"),
                format!("/iiif/3/{hidden}/{n}"),
                format!("/iiif/3/{hidden}/{n}/full/max/0/default.jpg"),
                // A malformed request of a hidden image is 404 too, not 400: access comes first.
                format!("/iiif/3/{hidden}/{n}/full/max/0/nonsense.xyz"),
            ] {
                let answer = get(addr, &path, &headers).await;
                assert_eq!(head_without_date(&answer), expected, "{who:?} {path}");
            }
        }
    }
    // A researcher sees the researchers' photo, privately.
    let researcher = format!(
        "Authorization: Bearer {}\r\n",
        tokens[&format!("{:?}", viewer(Role::Researcher, &[]))]
    );
    let raw = get(addr, "/iiif/3/nghien-cuu/0/info.json", &researcher).await;
    assert!(raw.starts_with(b"HTTP/1.1 200"));
    assert_eq!(
        header(&raw, "cache-control").as_deref(),
        Some("private, no-store")
    );
    let raw = get(
        addr,
        "/iiif/3/nghien-cuu/0/full/max/0/default.jpg",
        &researcher,
    )
    .await;
    assert!(raw.starts_with(b"HTTP/1.1 200"));
    // Positions are not file names: `00` and `+0` are not image 0.
    for path in [
        "/iiif/3/cong-khai/00/info.json",
        "/iiif/3/cong-khai/+0/info.json",
    ] {
        assert!(
            get(addr, path, "").await.starts_with(b"HTTP/1.1 404"),
            "{path}"
        );
    }
}

/// The validator's test pattern: 1000 × 1000 pixels, squares of 100 px in the colours the
/// validator checks (read from the validator itself, `ValidationInfo.colorInfo[x][y]`),
/// written as a PNG at `target`.
fn write_validator_pattern(target: &Path) {
    let script = r#"
import sys
from PIL import Image
from iiif_validator.validator import ValidationInfo
colors = ValidationInfo().colorInfo
image = Image.new("RGB", (1000, 1000))
for x in range(10):
    for y in range(10):
        image.paste(colors[x][y], (x * 100, y * 100, x * 100 + 100, y * 100 + 100))
image.save(sys.argv[1])
"#;
    let status = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(target)
        .status()
        .unwrap();
    assert!(status.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn iiif_validator_passes_level_2() {
    if !crate::tools::iiif_validator() {
        return;
    }
    let workspace = Workspace::new();
    let batch = workspace.dir.path().join("batches/iiif");
    std::fs::create_dir_all(batch.join("objects")).unwrap();
    std::fs::create_dir_all(batch.join("metadata")).unwrap();
    write_validator_pattern(&batch.join("objects/mau-kiem-thu.png"));
    std::fs::write(
        batch.join("metadata/metadata.csv"),
        "filename,dc.identifier,dc.title,dc.title@en,kind,access\n\
         objects/mau-kiem-thu.png,mau-kiem-thu,Mẫu kiểm thử IIIF (tư liệu mẫu),IIIF test pattern (sample material),photo,public\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    // The public origin is the server's own address: info.json's `id` must be the URI asked.
    let site = disan::web::Site::open(&workspace.archive(), &workspace.index(), Some(templates))
        .unwrap()
        .with_origin(&format!("http://{addr}"));
    tokio::spawn(disan::web::serve(Arc::new(site), listener));
    let validate = || async move {
        let output = tokio::task::spawn_blocking(move || {
            std::process::Command::new("iiif-validate.py")
                .args(["-s", &addr.to_string()])
                .args(["-p", "iiif/3/mau-kiem-thu", "-i", "0"])
                .args(["--version=3.0", "--level=2"])
                .output()
                .unwrap()
        })
        .await
        .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(output.status.success(), "{text}");
        assert!(text.contains("fail: 0") || !text.contains("FAIL"), "{text}");
    };
    // Served from its display image (1000 px, smaller than a display image: all of it).
    validate().await;

    // The same pattern served from a deep-zoom pyramid (issue 16): the validator's pattern must
    // be 1000 px, smaller than the images that get one at ingest, so its pyramid is made here,
    // with the ingest's own code, where the ingest would put it; the service then answers
    // every request from the tiles (info.json gives tiles at scale factors 1, 2, 4).
    let record = disan::archive::Archive::open(&workspace.archive())
        .unwrap()
        .record(&disan::model::RecordId::parse("mau-kiem-thu").unwrap())
        .unwrap()
        .unwrap();
    let store = disan::index::derivatives::DerivativeStore::new(&workspace.index());
    let pyramid = store.pyramid_path(&record.files[0].sha256);
    let pattern =
        disan::index::derivatives::decode(&batch.join("objects/mau-kiem-thu.png")).unwrap();
    disan::index::derivatives::pyramid::write(&pyramid, pattern, None, |_| Ok(())).unwrap();
    let (_, body) =
        crate::audiences::split_response(&get(addr, "/iiif/3/mau-kiem-thu/0/info.json", "").await);
    let info: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        info["tiles"][0]["scaleFactors"],
        serde_json::json!([1, 2, 4])
    );
    assert!(
        info["maxArea"].is_u64(),
        "not served from the pyramid: {info}"
    );
    validate().await;
}

/// A site over `workspace` served on a real socket, its public origin its own address.
async fn public_server(workspace: &Workspace) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let site = disan::web::Site::open(&workspace.archive(), &workspace.index(), Some(templates))
        .unwrap()
        .with_origin(&format!("http://{addr}"));
    tokio::spawn(disan::web::serve(Arc::new(site), listener));
    addr
}

/// Whether PyPI's `iiif-prezi3` loads `manifest` as a Presentation 3 Manifest; its message when
/// not. `None` when the package is missing (a visible skip, or a failure under
/// `DISAN_REQUIRE_IIIF_PREZI3`).
fn prezi3_refusal(manifest: &[u8]) -> Option<Option<String>> {
    let installed = crate::tools::runs("python3", &["-c", "import iiif_prezi3"]);
    let missing: &[&str] = if installed { &[] } else { &["iiif-prezi3"] };
    if crate::tools::skip(
        missing,
        "DISAN_REQUIRE_IIIF_PREZI3",
        "python3 -m pip install iiif-prezi3",
    ) {
        return None;
    }
    use std::io::Write;
    let mut child = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys\nfrom iiif_prezi3 import Manifest\nm = Manifest.model_validate_json(sys.stdin.buffer.read())\nassert m.type == 'Manifest'",
        ])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(manifest).unwrap();
    let output = child.wait_with_output().unwrap();
    Some((!output.status.success()).then(|| String::from_utf8_lossy(&output.stderr).to_string()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn manifests_of_public_records_load_in_prezi3_and_hidden_ones_do_not_exist() {
    let workspace = Workspace::new();
    let batch = workspace.dir.path().join("batches/manifests");
    let valid = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/batches/valid/objects");
    crate::support::copy_dir(&valid.join("phim"), &batch.join("objects/phim"));
    std::fs::create_dir_all(batch.join("metadata")).unwrap();
    for authority in ["villages.csv", "crafts.csv"] {
        std::fs::copy(
            valid.join("../metadata").join(authority),
            batch.join("metadata").join(authority),
        )
        .unwrap();
    }
    for (from, to) in [
        ("hoa-van/luc-giac.png", "luc-giac.png"),
        ("am-thanh/tieng-trong.wav", "tieng-trong.wav"),
        ("anh/mat-trong.jpg", "mat-trong.jpg"),
        ("le-hoi/le-hoi.md", "cau-chuyen.md"),
    ] {
        std::fs::copy(valid.join(from), batch.join("objects").join(to)).unwrap();
    }
    std::fs::write(
        batch.join("metadata/metadata.csv"),
        "filename,dc.identifier,dc.title,dc.title@en,dc.description,dc.description@en,dc.rights,dc.rights@en,kind,village,craft,access\n\
         objects/luc-giac.png,luc-giac,Hoa văn lục giác,Hexagon pattern,Hoa văn do máy tạo,A drawn pattern,Bản quyền của làng,Copyright of the village,pattern,doi-tam,lam-trong,public\n\
         objects/phim,phim-thu,Phim thử,Test film,Tín hiệu thử,A test signal,,,film,doi-tam,,public\n\
         objects/tieng-trong.wav,tieng-trong,Âm thanh thử,Test tone,,,,,audio,,,public\n\
         objects/mat-trong.jpg,mat-trong-an,Ảnh cho nhà nghiên cứu,Photo for researchers,,,,,photo,doi-tam,lam-trong,researchers\n\
         objects/cau-chuyen.md,cau-chuyen,Câu chuyện,A story,,,,,story,doi-tam,,public\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let addr = public_server(&workspace).await;
    let origin = format!("http://{addr}");
    let manifest = |raw: &[u8]| -> serde_json::Value {
        let (status, body) = split_response(raw);
        assert!(status.contains("200"), "{status}");
        assert_eq!(
            header(raw, "access-control-allow-origin").as_deref(),
            Some("*")
        );
        if let Some(Some(refusal)) = prezi3_refusal(&body) {
            panic!("iiif-prezi3 refused the manifest: {refusal}");
        }
        serde_json::from_slice(&body).unwrap()
    };

    // A pattern: one image canvas on the IIIF image service, texts as language maps.
    let json = manifest(&get(addr, "/iiif/3/luc-giac/manifest", "").await);
    assert_eq!(
        json["@context"],
        "http://iiif.io/api/presentation/3/context.json"
    );
    assert_eq!(json["type"], "Manifest");
    assert_eq!(json["id"], format!("{origin}/iiif/3/luc-giac/manifest"));
    assert_eq!(json["label"]["vi"][0], "Hoa văn lục giác");
    assert_eq!(json["label"]["en"][0], "Hexagon pattern");
    assert_eq!(json["summary"]["en"][0], "A drawn pattern");
    assert_eq!(json["requiredStatement"]["label"]["vi"][0], "Quyền");
    assert_eq!(
        json["requiredStatement"]["value"]["vi"][0],
        "Bản quyền của làng"
    );
    assert_eq!(
        json["requiredStatement"]["value"]["en"][0],
        "Copyright of the village"
    );
    assert!(
        json["metadata"]
            .as_array()
            .unwrap()
            .iter()
            .all(|entry| { entry["label"]["vi"].is_array() && entry["label"]["en"].is_array() })
    );
    let canvases = json["items"].as_array().unwrap();
    assert_eq!(canvases.len(), 1);
    let canvas = &canvases[0];
    assert_eq!(canvas["type"], "Canvas");
    let painting = &canvas["items"][0]["items"][0];
    assert_eq!(painting["motivation"], "painting");
    assert_eq!(painting["target"], canvas["id"]);
    let service = painting["body"]["service"][0]["id"].as_str().unwrap();
    assert_eq!(service, format!("{origin}/iiif/3/luc-giac/0"));
    let info_path = format!("{}/info.json", service.strip_prefix(&origin).unwrap());
    let (_, info) = split_response(&get(addr, &info_path, "").await);
    let info: serde_json::Value = serde_json::from_slice(&info).unwrap();
    assert_eq!(
        (&canvas["width"], &canvas["height"]),
        (&info["width"], &info["height"])
    );
    // The painted image itself answers.
    let body_id = painting["body"]["id"].as_str().unwrap();
    let image = get(addr, body_id.strip_prefix(&origin).unwrap(), "").await;
    assert!(image.starts_with(b"HTTP/1.1 200"));

    // A film: a time-based canvas with its size, and its WebVTT captions.
    let json = manifest(&get(addr, "/iiif/3/phim-thu/manifest", "").await);
    let canvases = json["items"].as_array().unwrap();
    assert_eq!(canvases.len(), 1, "{json:#}");
    let canvas = &canvases[0];
    assert!(canvas["duration"].as_f64().unwrap() > 0.0);
    assert!(canvas["width"].as_u64().unwrap() > 0);
    assert_eq!(canvas["items"][0]["items"][0]["body"]["type"], "Video");
    let caption = &canvas["annotations"][0]["items"][0];
    assert_eq!(caption["motivation"], "supplementing");
    assert_eq!(caption["body"]["format"], "text/vtt");
    assert_eq!(caption["body"]["language"], "vi");
    let vtt = caption["body"]["id"]
        .as_str()
        .unwrap()
        .strip_prefix(&origin)
        .unwrap()
        .to_string();
    assert!(get(addr, &vtt, "").await.starts_with(b"HTTP/1.1 200"));

    // A sound recording: a canvas with a duration only.
    let json = manifest(&get(addr, "/iiif/3/tieng-trong/manifest", "").await);
    let canvas = &json["items"][0];
    assert!(canvas["duration"].as_f64().unwrap() > 0.0);
    assert!(canvas.get("width").is_none());
    assert_eq!(canvas["items"][0]["items"][0]["body"]["type"], "Sound");

    // The record API links the manifest and each image's service.
    let (_, api) = split_response(&get(addr, "/api/records/luc-giac", "").await);
    let api: serde_json::Value = serde_json::from_slice(&api).unwrap();
    assert_eq!(api["iiif_manifest"], "/iiif/3/luc-giac/manifest");
    assert_eq!(api["files"][0]["iiif"], "/iiif/3/luc-giac/0");

    // The record page links the manifest, and opens it in another IIIF viewer.
    let (_, page) = split_response(&get(addr, "/en/records/luc-giac", "").await);
    let page = String::from_utf8_lossy(&page);
    let manifest_url = format!("{origin}/iiif/3/luc-giac/manifest");
    assert!(page.contains(&format!("href=\"{manifest_url}\"")), "{page}");
    assert!(page.contains("IIIF manifest"));
    let encoded = manifest_url.replace(':', "%3A").replace('/', "%2F");
    assert!(page.contains(&format!(
        "href=\"https://projectmirador.org/embed/?iiif-content={encoded}\""
    )));
    let (_, page) = split_response(&get(addr, "/records/luc-giac", "").await);
    assert!(String::from_utf8_lossy(&page).contains("Tệp kê khai IIIF"));

    // Collections per village and craft list the public records' manifests only.
    let collection = |raw: &[u8]| -> Vec<String> {
        let (status, body) = split_response(raw);
        assert!(status.contains("200"), "{status}");
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(json["type"], "Collection");
        assert_eq!(
            json["@context"],
            "http://iiif.io/api/presentation/3/context.json"
        );
        json["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| {
                assert_eq!(item["type"], "Manifest");
                item["id"].as_str().unwrap().to_string()
            })
            .collect()
    };
    let village = get(addr, "/iiif/3/collection/village/doi-tam", "").await;
    assert_eq!(
        collection(&village),
        [
            format!("{origin}/iiif/3/luc-giac/manifest"),
            format!("{origin}/iiif/3/phim-thu/manifest")
        ]
    );
    let craft = get(addr, "/iiif/3/collection/craft/lam-trong", "").await;
    assert_eq!(
        collection(&craft),
        [format!("{origin}/iiif/3/luc-giac/manifest")]
    );
    for path in [
        "/iiif/3/collection/village/khong-co",
        "/iiif/3/collection/craft/khong-co",
        "/iiif/3/collection/artisan/doi-tam",
    ] {
        assert!(
            get(addr, path, "").await.starts_with(b"HTTP/1.1 404"),
            "{path}"
        );
    }

    // A public record with no image, film or sound (a story) has no manifest and no link.
    let (_, story) = split_response(&get(addr, "/api/records/cau-chuyen", "").await);
    let story: serde_json::Value = serde_json::from_slice(&story).unwrap();
    assert_eq!(story["id"], "cau-chuyen");
    assert!(story.get("iiif_manifest").is_none(), "{story:#}");
    assert!(
        get(addr, "/iiif/3/cau-chuyen/manifest", "")
            .await
            .starts_with(b"HTTP/1.1 404")
    );

    // A record that is not public has no manifest: the 404 of an id that never existed.
    let hidden = get(addr, "/iiif/3/mat-trong-an/manifest", "").await;
    let never = get(addr, "/iiif/3/khong-bao-gio-co/manifest", "").await;
    assert!(never.starts_with(b"HTTP/1.1 404"));
    assert_eq!(head_without_date(&hidden), head_without_date(&never));
    assert_eq!(split_response(&hidden).1, split_response(&never).1);
}

/// A phone photo whose EXIF holds the artisan's home (GPS): every IIIF answer is pixels only,
/// whatever region, size, quality or format is asked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn iiif_images_of_a_photo_with_gps_carry_no_position() {
    let workspace = Workspace::new();
    let batch = workspace.dir.path().join("batches/gps");
    let original = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/batches/gps-original/objects/anh/nha-nghe-nhan.jpg");
    assert!(
        std::fs::read(&original)
            .unwrap()
            .windows(4)
            .any(|w| w == b"Exif")
    );
    std::fs::create_dir_all(batch.join("objects")).unwrap();
    std::fs::create_dir_all(batch.join("metadata")).unwrap();
    std::fs::copy(&original, batch.join("objects/nha-nghe-nhan.jpg")).unwrap();
    std::fs::write(
        batch.join("metadata/metadata.csv"),
        "filename,dc.identifier,dc.title,dc.title@en,kind,access\n\
         objects/nha-nghe-nhan.jpg,nha-nghe-nhan,Xưởng trống,Drum workshop,photo,public\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    let addr = public_server(&workspace).await;
    let (_, info) = split_response(&get(addr, "/iiif/3/nha-nghe-nhan/0/info.json", "").await);
    let info: serde_json::Value = serde_json::from_slice(&info).unwrap();
    assert_eq!(
        (info["width"].as_u64(), info["height"].as_u64()),
        (Some(800), Some(600))
    );
    for path in [
        "full/max/0/default.jpg",
        "full/max/0/default.png",
        "square/200,/90/gray.jpg",
        "pct:10,10,50,50/!300,300/!0/color.png",
    ] {
        let raw = get(addr, &format!("/iiif/3/nha-nghe-nhan/0/{path}"), "").await;
        let (status, body) = split_response(&raw);
        assert!(status.contains("200"), "{path}: {status}");
        for marker in [&b"Exif"[..], b"GPS", b"eXIf", b"http://ns.adobe.com"] {
            assert!(!body.windows(marker.len()).any(|w| w == marker), "{path}");
        }
    }
}
