//! Deep zoom from the preserved original (issue 16): a photo larger than its display image is
//! served by the IIIF image service at its full size from a pyramid of tiles derived at ingest,
//! over a real socket: info.json's size, tiles and sizes; stored tiles on the grid, their
//! pixels where the original has them (EXIF orientation applied); composed regions; `max` within
//! `maxArea` and larger sizes refused; no EXIF or GPS in any answer though the original has
//! both; a researchers-only image's tiles the byte-identical 404 of an image that never existed
//! to anonymous visitors, and its pyramid only in the private store, as a public one's once it
//! is restricted; and `disan reindex` makes the pyramids again after `index/` is deleted.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use disan::index::derivatives::pyramid;
use disan::model::Role;

use crate::audiences::{signed_in_site, split_response, viewer};
use crate::support::{Workspace, problems, raw_get};

/// The colours of the original's quadrants, as stored: top left, top right, bottom left,
/// bottom right.
const QUADRANTS: [[u8; 3]; 4] = [[220, 30, 30], [30, 200, 40], [40, 50, 210], [230, 220, 40]];

/// A `width` × `height` picture in four coloured quadrants.
fn quadrants(width: u32, height: u32) -> image::RgbImage {
    image::RgbImage::from_fn(width, height, |x, y| {
        let at = usize::from(x >= width / 2) + 2 * usize::from(y >= height / 2);
        image::Rgb(QUADRANTS[at])
    })
}

/// `picture` as a JPEG, with `app1` (a whole APP1 segment, marker included) after its start.
fn jpeg(picture: &image::RgbImage, app1: Option<&[u8]>) -> Vec<u8> {
    let mut encoded = Vec::new();
    jpeg_encoder::Encoder::new(&mut encoded, 90)
        .encode(
            picture.as_raw(),
            picture.width() as u16,
            picture.height() as u16,
            jpeg_encoder::ColorType::Rgb,
        )
        .unwrap();
    if let Some(app1) = app1 {
        encoded.splice(2..2, app1.iter().copied());
    }
    encoded
}

/// The EXIF segment (with the artisan's home as GPS) of the committed phone photo.
fn gps_segment() -> Vec<u8> {
    let bytes = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/batches/gps-original/objects/anh/nha-nghe-nhan.jpg"),
    )
    .unwrap();
    let mut at = 2;
    while bytes[at] == 0xFF {
        let length = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        if bytes[at + 1] == 0xE1 && bytes[at + 4..].starts_with(b"Exif") {
            let segment = bytes[at..at + 2 + length].to_vec();
            // The GPS IFD pointer (tag 0x8825), in either byte order.
            assert!(
                segment
                    .windows(2)
                    .any(|w| w == [0x25, 0x88] || w == [0x88, 0x25]),
                "a GPS tag"
            );
            return segment;
        }
        at += 2 + length;
    }
    panic!("the fixture has no EXIF");
}

/// An EXIF segment holding only the orientation `value` (1 to 8).
fn orientation_segment(value: u8) -> Vec<u8> {
    let mut payload = b"Exif\0\0II*\0\x08\0\0\0\x01\0".to_vec();
    payload.extend([0x12, 0x01, 3, 0, 1, 0, 0, 0, value, 0, 0, 0, 0, 0, 0, 0]);
    let mut segment = vec![0xFF, 0xE1];
    segment.extend(((payload.len() + 2) as u16).to_be_bytes());
    segment.extend(payload);
    segment
}

fn near(pixel: image::Rgb<u8>, colour: [u8; 3]) -> bool {
    pixel.0.iter().zip(colour).all(|(a, b)| a.abs_diff(b) <= 24)
}

async fn get(addr: SocketAddr, path: &str, headers: &str) -> Vec<u8> {
    let (path, headers) = (path.to_string(), headers.to_string());
    tokio::task::spawn_blocking(move || raw_get(addr, &path, &headers))
        .await
        .unwrap()
}

/// The head of a raw response without its `Date`.
fn head(raw: &[u8]) -> String {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    String::from_utf8_lossy(&raw[..end])
        .split("\r\n")
        .filter(|line| !line.to_ascii_lowercase().starts_with("date:"))
        .collect::<Vec<_>>()
        .join("\r\n")
}

/// The pyramid files under `folder`.
fn pyramids(folder: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(folder)
        .into_iter()
        .flatten()
        .filter(|entry| entry.file_name() == pyramid::FILE_NAME)
        .map(|entry| entry.path().to_path_buf())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_original_is_served_at_full_size_from_its_tiles_and_only_to_whom_may_see_it() {
    let workspace = Workspace::new();
    let batch = workspace.dir.path().join("batches/deep");
    std::fs::create_dir_all(batch.join("objects")).unwrap();
    std::fs::create_dir_all(batch.join("metadata")).unwrap();
    std::fs::write(
        batch.join("objects/lon.jpg"),
        jpeg(&quadrants(3000, 2000), Some(&gps_segment())),
    )
    .unwrap();
    std::fs::write(
        batch.join("objects/xoay.jpg"),
        jpeg(&quadrants(2000, 1700), Some(&orientation_segment(6))),
    )
    .unwrap();
    std::fs::write(
        batch.join("objects/rieng.jpg"),
        jpeg(&quadrants(2400, 1800), None),
    )
    .unwrap();
    std::fs::write(
        batch.join("metadata/metadata.csv"),
        "filename,dc.identifier,dc.title,dc.title@en,kind,access\n\
         objects/lon.jpg,hoa-van-lon,Hoa văn lớn (tư liệu mẫu),Large pattern (sample material),pattern,public\n\
         objects/xoay.jpg,anh-xoay,Ảnh xoay (tư liệu mẫu),Turned photo (sample material),photo,public\n\
         objects/rieng.jpg,hoa-van-rieng,Hoa văn riêng (tư liệu mẫu),Researchers' pattern (sample material),pattern,researchers\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    // The public pattern's pyramid is in the public store, the researchers' only in the private.
    let public_store = workspace.index().join("derivatives");
    let private_store = workspace.index().join("derivatives-private");
    assert_eq!(pyramids(&public_store).len(), 2);
    assert_eq!(pyramids(&private_store).len(), 1);

    let (site, tokens) = signed_in_site(&workspace);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(disan::web::serve(site, listener));

    // info.json: the original's full size, 256-px tiles at every level, sizes within maxArea.
    let (status, body) = split_response(&get(addr, "/iiif/3/hoa-van-lon/0/info.json", "").await);
    assert!(status.contains("200"), "{status}");
    let info: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        (info["width"].as_u64(), info["height"].as_u64()),
        (Some(3000), Some(2000))
    );
    assert_eq!(info["tiles"][0]["width"], 256);
    assert_eq!(
        info["tiles"][0]["scaleFactors"],
        serde_json::json!([1, 2, 4, 8, 16])
    );
    let max_area = info["maxArea"].as_u64().unwrap();
    let sizes = info["sizes"].as_array().unwrap();
    assert_eq!(
        sizes.last().unwrap(),
        &serde_json::json!({"width": 1500, "height": 1000})
    );
    assert!(
        sizes
            .iter()
            .all(|s| s["width"].as_u64().unwrap() * s["height"].as_u64().unwrap() <= max_area)
    );

    // Every image answer: a picture, pixels only (the original's EXIF holds GPS).
    let picture = |raw: &[u8], what: &str| {
        let (status, body) = split_response(raw);
        assert!(status.contains("200"), "{what}: {status}");
        for marker in [&b"Exif"[..], b"GPS", b"eXIf", b"http://ns.adobe.com"] {
            assert!(!body.windows(marker.len()).any(|w| w == marker), "{what}");
        }
        image::load_from_memory(&body).unwrap().to_rgb8()
    };
    let image = |path: &str| {
        let path = format!("/iiif/3/hoa-van-lon/0/{path}");
        async move { picture(&get(addr, &path, "").await, &path) }
    };
    // Stored tiles, as OpenSeadragon asks for them: the first, the last (edge) one of level 0,
    // and the whole image at scale factor 16.
    let first = image("0,0,256,256/256,256/0/default.jpg").await;
    assert_eq!(first.dimensions(), (256, 256));
    assert!(near(*first.get_pixel(128, 128), QUADRANTS[0]));
    let last = image("2816,1792,184,208/184,208/0/default.jpg").await;
    assert_eq!(last.dimensions(), (184, 208));
    assert!(near(*last.get_pixel(90, 100), QUADRANTS[3]));
    let top = image("full/188,125/0/default.jpg").await;
    assert_eq!(top.dimensions(), (188, 125));
    // Composed: a region across the four quadrants, scaled; its corners are theirs.
    let across = image("1400,900,200,200/100,/0/default.jpg").await;
    assert_eq!(across.dimensions(), (100, 100));
    for (x, y, quadrant) in [(10, 10, 0), (90, 10, 1), (10, 90, 2), (90, 90, 3)] {
        assert!(
            near(*across.get_pixel(x, y), QUADRANTS[quadrant]),
            "{x},{y}"
        );
    }
    let gray = image("pct:0,0,50,50/!300,300/90/gray.jpg").await;
    assert_eq!(gray.dimensions(), (200, 300));
    // Level 2 on the pyramid as on small images: square, mirrored, bitonal, PNG; pct sizes.
    let square = image("square/256,/!0/bitonal.png").await;
    assert_eq!(square.dimensions(), (256, 256));
    assert!(
        square
            .pixels()
            .all(|p| p.0.iter().all(|&v| v == 0 || v == 255))
    );
    let half = image("0,0,1000,1000/pct:10/0/color.jpg").await;
    assert_eq!(half.dimensions(), (100, 100));
    // `max` is the largest size within maxArea; a larger size is refused.
    let max = image("full/max/0/default.jpg").await;
    let (w, h) = max.dimensions();
    assert!(
        u64::from(w) * u64::from(h) <= max_area && w >= 1900,
        "{w}x{h}"
    );
    let (status, _) =
        split_response(&get(addr, "/iiif/3/hoa-van-lon/0/full/3000,/0/default.jpg", "").await);
    assert!(status.contains("400"), "{status}");

    // Its manifest's canvas is the original's size, painted by `full/max` within maxArea.
    let (status, body) = split_response(&get(addr, "/iiif/3/hoa-van-lon/manifest", "").await);
    assert!(status.contains("200"), "{status}");
    let manifest: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let canvas = &manifest["items"][0];
    assert_eq!(
        (canvas["width"].as_u64(), canvas["height"].as_u64()),
        (Some(3000), Some(2000))
    );
    let painted = &canvas["items"][0]["items"][0]["body"];
    assert_eq!(
        (painted["width"].as_u64(), painted["height"].as_u64()),
        (Some(u64::from(w)), Some(u64::from(h)))
    );

    // The EXIF orientation (6: turned a quarter clockwise to be seen) is applied: upright, the
    // original's top left corner is at the top right.
    let (_, body) = split_response(&get(addr, "/iiif/3/anh-xoay/0/info.json", "").await);
    let info: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        (info["width"].as_u64(), info["height"].as_u64()),
        (Some(1700), Some(2000))
    );
    let path = "/iiif/3/anh-xoay/0/1536,0,164,256/164,256/0/default.jpg";
    let corner = picture(&get(addr, path, "").await, path);
    assert!(near(*corner.get_pixel(100, 100), QUADRANTS[0]));
    let path = "/iiif/3/anh-xoay/0/0,0,256,256/256,256/0/default.jpg";
    let corner = picture(&get(addr, path, "").await, path);
    assert!(near(*corner.get_pixel(100, 100), QUADRANTS[2]));

    // The researchers' pattern: to an anonymous visitor each of its addresses is the 404 of an
    // image that never existed; a researcher gets its tiles, privately.
    let never = head(&get(addr, "/iiif/3/khong-bao-gio-co/0/info.json", "").await);
    assert!(never.starts_with("HTTP/1.1 404"), "{never}");
    for path in [
        "info.json",
        "0,0,256,256/256,256/0/default.jpg",
        "full/150,113/0/default.jpg",
        "full/max/0/default.jpg",
    ] {
        let answer = get(addr, &format!("/iiif/3/hoa-van-rieng/0/{path}"), "").await;
        assert_eq!(head(&answer), never, "{path}");
    }
    let researcher = format!(
        "Authorization: Bearer {}\r\n",
        tokens[&format!("{:?}", viewer(Role::Researcher, &[]))]
    );
    let raw = get(addr, "/iiif/3/hoa-van-rieng/0/info.json", &researcher).await;
    let (status, body) = split_response(&raw);
    assert!(status.contains("200"), "{status}");
    let info: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(info["width"], 2400);
    let raw = get(
        addr,
        "/iiif/3/hoa-van-rieng/0/0,0,256,256/256,256/0/default.jpg",
        &researcher,
    )
    .await;
    assert!(head(&raw).contains("private, no-store"), "{}", head(&raw));
    assert_eq!(picture(&raw, "researcher's tile").dimensions(), (256, 256));

    // Restricted later (the sheet ingested again): its pyramid leaves the public store with
    // its other previews, and its tiles are the 404 of an image that never existed.
    let sheet = std::fs::read_to_string(batch.join("metadata/metadata.csv")).unwrap();
    std::fs::write(
        batch.join("metadata/metadata.csv"),
        sheet.replace("pattern,public", "pattern,restricted"),
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(pyramids(&public_store).len(), 1);
    assert_eq!(pyramids(&private_store).len(), 2);
    let never = head(&get(addr, "/iiif/3/khong-bao-gio-co/0/info.json", "").await);
    for path in ["info.json", "0,0,256,256/256,256/0/default.jpg"] {
        let answer = get(addr, &format!("/iiif/3/hoa-van-lon/0/{path}"), "").await;
        assert_eq!(head(&answer), never, "{path} once restricted");
    }

    // Rebuildable: without index/, `disan reindex` makes the pyramids again, where they were.
    std::fs::remove_dir_all(workspace.index()).unwrap();
    let output = workspace.disan().arg("reindex").output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let public = pyramids(&public_store);
    assert_eq!(public.len(), 1);
    let private = pyramids(&private_store);
    assert_eq!(private.len(), 2);
    let sizes: Vec<(u32, u32)> = public
        .iter()
        .chain(&private)
        .map(|path| {
            let index = pyramid::read_index(path).unwrap();
            (index.width, index.height)
        })
        .collect();
    for size in [(3000, 2000), (1700, 2000), (2400, 1800)] {
        assert!(sizes.contains(&size), "{sizes:?}");
    }
}
