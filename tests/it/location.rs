//! Location metadata never reaches an anonymous visitor (case `ingest-gps-original`): originals
//! are sent with their positions removed losslessly, or not at all, while the archive keeps the
//! preserved file untouched. Downloads are read with an independent reader, exiftool (Debian's
//! `libimage-exiftool-perl`); without it these tests say so and pass, unless
//! `DISAN_REQUIRE_EXIFTOOL=1` (as in CI), when they fail.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use disan::model::Sha256;
use disan::web::{Site, app};
use serde_json::Value;

use crate::support::Workspace;
use crate::web::{Answer, get_with};

const CASE_PHOTO: &str = "/media/anh-nha-nghe-nhan/files/nha-nghe-nhan.jpg";

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/batches")
            .join(path),
    )
    .unwrap()
}

fn site_with(batches: &[&str]) -> (Workspace, Arc<Site>) {
    let workspace = Workspace::new();
    for batch in batches {
        let (code, report) = workspace.ingest(&workspace.batch(batch), &[]);
        assert_eq!(code, 0, "{report}");
    }
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let site = Site::open(&workspace.archive(), &workspace.index(), Some(templates)).unwrap();
    (workspace, Arc::new(site))
}

/// GETs `uri` through the router with `headers`.
async fn get(site: &Arc<Site>, uri: &str, headers: &[(&str, &str)]) -> Answer {
    let mut request = Request::get(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    get_with(site, request.body(Body::empty()).unwrap()).await
}

/// exiftool's reading of `bytes` (`-json -a -G1`: every tag, named `Group:Tag`); `None` when
/// exiftool is not installed and not required.
fn exiftool(bytes: &[u8]) -> Option<serde_json::Map<String, Value>> {
    let installed = std::process::Command::new("exiftool")
        .arg("-ver")
        .output()
        .is_ok_and(|o| o.status.success());
    if crate::tools::skip(
        if installed { &[] } else { &["exiftool"] },
        "DISAN_REQUIRE_EXIFTOOL",
        "apt-get install libimage-exiftool-perl",
    ) {
        return None;
    }
    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(bytes).unwrap();
    let output = std::process::Command::new("exiftool")
        .args(["-json", "-a", "-G1", "-u"])
        .arg(file.path())
        .output()
        .unwrap();
    let parsed: Value = serde_json::from_slice(&output.stdout).unwrap();
    let tags = parsed[0].as_object().unwrap().clone();
    assert!(
        tags.contains_key("File:FileType"),
        "exiftool did not read it: {tags:?}"
    );
    Some(tags)
}

/// Tags that state a position or a place.
fn location_tags(tags: &serde_json::Map<String, Value>) -> Vec<String> {
    const WORDS: &[&str] = &[
        "gps",
        "city",
        "country",
        "location",
        "province-state",
        "sub-location",
        "coordinates",
    ];
    tags.keys()
        .filter(|key| {
            let name = key.rsplit(':').next().unwrap_or(key).to_lowercase();
            WORDS.iter().any(|word| name.contains(word))
        })
        .cloned()
        .collect()
}

/// The bytes from the first start-of-scan to the end-of-image marker: the JPEG's image data.
fn jpeg_image_data(jpeg: &[u8]) -> &[u8] {
    let sos = jpeg.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
    let eoi = jpeg.windows(2).rposition(|w| w == [0xFF, 0xD9]).unwrap();
    &jpeg[sos..eoi + 2]
}

/// The preserved copy of a file in the archive, found by name.
fn archived(workspace: &Workspace, name: &str) -> Vec<u8> {
    let found = walkdir::WalkDir::new(workspace.archive())
        .into_iter()
        .filter_map(Result::ok)
        .find(|entry| entry.file_name() == name)
        .unwrap_or_else(|| panic!("{name} is not in the archive"));
    std::fs::read(found.path()).unwrap()
}

#[tokio::test]
async fn the_case_photo_is_sent_without_its_position_and_the_archive_keeps_it() {
    let (workspace, site) = site_with(&["gps-original"]);
    let original = fixture("gps-original/objects/anh/nha-nghe-nhan.jpg");
    let original_sha = Sha256::of(&original).to_hex();
    // The fixture is the case: exiftool reads its position.
    if let Some(tags) = exiftool(&original) {
        assert!(location_tags(&tags).contains(&"GPS:GPSLatitude".to_string()));
    }

    let sent = get(&site, CASE_PHOTO, &[]).await;
    assert_eq!(sent.status, StatusCode::OK);
    assert_eq!(sent.header("content-type"), "image/jpeg");
    assert_ne!(sent.body, original);
    // Lossless: the image data is byte for byte the original's.
    assert_eq!(jpeg_image_data(&sent.body), jpeg_image_data(&original));
    if let Some(tags) = exiftool(&sent.body) {
        assert_eq!(location_tags(&tags), Vec::<String>::new(), "{tags:?}");
        // Only the location went: the camera and the date stay.
        assert_eq!(tags["IFD0:Make"], "Xiaomi");
        assert_eq!(tags["ExifIFD:DateTimeOriginal"], "2023:04:15 09:30:00");
    }
    let copy_sha = Sha256::of(&sent.body).to_hex();
    assert_eq!(sent.header("etag"), format!("\"{copy_sha}\""));
    assert!(
        sent.header("content-security-policy")
            .starts_with("sandbox")
    );

    // Range requests and the ETag work on the public copy.
    let ranged = get(&site, CASE_PHOTO, &[("range", "bytes=100-199")]).await;
    assert_eq!(ranged.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(ranged.body, sent.body[100..200]);
    assert_eq!(
        ranged.header("content-range"),
        format!("bytes 100-199/{}", sent.body.len())
    );
    let etag = format!("\"{copy_sha}\"");
    let unchanged = get(&site, CASE_PHOTO, &[("if-none-match", &etag)]).await;
    assert_eq!(unchanged.status, StatusCode::NOT_MODIFIED);

    // The archive keeps the preserved original, GPS and all, and it verifies.
    assert_eq!(archived(&workspace, "nha-nghe-nhan.jpg"), original);
    let verified = workspace.verify();
    assert!(verified.status.success(), "{verified:?}");

    // The API describes what the URL sends and never the preserved original's checksum: the
    // download differs from it only where the position was, so guessing positions and hashing
    // them would recover it (the hash oracle).
    let api = get(&site, "/api/records/anh-nha-nghe-nhan", &[]).await;
    let record: Value = serde_json::from_slice(&api.body).unwrap();
    let file = &record["files"][0];
    assert_eq!(file["sha256"], copy_sha);
    assert_eq!(file["size"], sent.body.len());
    assert_eq!(
        file["url"],
        "/media/anh-nha-nghe-nhan/files/nha-nghe-nhan.jpg"
    );
    assert_eq!(file["location_removed"], true);
    assert_eq!(file["withheld"], false);
    assert_eq!(
        file["preserved_original"],
        serde_json::json!({"differs": true})
    );

    // The page, in both languages, says the download differs and gives only its checksum.
    for (uri, says) in [
        (
            "/records/anh-nha-nghe-nhan",
            "Bản tải về đã được gỡ thông tin vị trí",
        ),
        (
            "/en/records/anh-nha-nghe-nhan",
            "The download has its location data (GPS, place names) removed, so it differs from the preserved original",
        ),
    ] {
        let page = get(&site, uri, &[]).await.text();
        assert!(page.contains(says), "{uri}");
        assert!(page.contains(&copy_sha), "{uri}");
    }
    // The preserved original's digest reaches no public answer, in any spelling, nor any ETag.
    let mut answers = Vec::new();
    for uri in [
        "/api/records/anh-nha-nghe-nhan",
        "/records/anh-nha-nghe-nhan",
        "/en/records/anh-nha-nghe-nhan",
        "/api/search?q=",
        "/search?q=",
        "/sitemap.xml",
        CASE_PHOTO,
        "/media/anh-nha-nghe-nhan/display/0",
        "/media/anh-nha-nghe-nhan/thumb/0",
    ] {
        let answer = get(&site, uri, &[]).await;
        answers.push(format!("{:?}", answer.headers));
        answers.push(answer.text());
    }
    let upper = original_sha.to_uppercase();
    let prefix = &original_sha[..16];
    for (n, answer) in answers.iter().enumerate() {
        for digest in [original_sha.as_str(), upper.as_str(), prefix] {
            assert!(!answer.contains(digest), "answer {n} names the original");
        }
    }
    for answer in [
        api.text(),
        get(&site, "/records/anh-nha-nghe-nhan", &[]).await.text(),
    ] {
        for position in ["20.512", "105.987", "20 deg", "105,9"] {
            assert!(!answer.contains(position), "{position} is published");
        }
    }

    // Display images and thumbnails carry no metadata at all (a JFIF header only).
    for rendition in ["display", "thumb"] {
        let derived = get(
            &site,
            &format!("/media/anh-nha-nghe-nhan/{rendition}/0"),
            &[],
        )
        .await;
        assert_eq!(derived.status, StatusCode::OK);
        if let Some(tags) = exiftool(&derived.body) {
            let metadata: Vec<&String> = tags
                .keys()
                .filter(|k| {
                    ![
                        "ExifTool:",
                        "System:",
                        "File:",
                        "Composite:",
                        "JFIF:",
                        "SourceFile",
                    ]
                    .iter()
                    .any(|group| k.starts_with(group))
                })
                .collect();
            assert_eq!(metadata, Vec::<&String>::new(), "{rendition}");
        }
    }

    // Over a real socket too.
    let server_site = site.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app(server_site)).await });
    let (whole, ranged, ranges) = tokio::task::spawn_blocking(move || {
        (
            http_body(addr, CASE_PHOTO, ""),
            http_body(addr, CASE_PHOTO, "Range: bytes=0-9\r\n"),
            http_body(addr, CASE_PHOTO, "Range: bytes=0-1,5-6\r\n"),
        )
    })
    .await
    .unwrap();
    // Several ranges at once: the whole file (a server may ignore Range, RFC 9110 §14.2),
    // never 416 for a request that could be satisfied.
    assert!(ranges.0.starts_with("HTTP/1.1 200"), "{}", ranges.0);
    assert_eq!(ranges.1, sent.body);
    assert!(whole.0.starts_with("HTTP/1.1 200"), "{}", whole.0);
    assert_eq!(whole.1, sent.body);
    if let Some(tags) = exiftool(&whole.1) {
        assert_eq!(location_tags(&tags), Vec::<String>::new());
    }
    assert!(ranged.0.starts_with("HTTP/1.1 206"), "{}", ranged.0);
    assert_eq!(ranged.1, sent.body[..10]);
}

/// `GET path` over TCP: the head and the body.
fn http_body(addr: std::net::SocketAddr, path: &str, headers: &str) -> (String, Vec<u8>) {
    let response = crate::support::raw_get(addr, path, headers);
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    (
        String::from_utf8_lossy(&response[..split]).into_owned(),
        response[split + 4..].to_vec(),
    )
}

#[tokio::test]
async fn every_format_with_a_position_is_scrubbed_or_withheld() {
    let (_workspace, site) = site_with(&["location"]);
    // PNG (eXIf and XMP), TIFF (GPS IFD, IPTC, XMP), JPEG with XMP place names only.
    for (record, name) in [
        ("nha-xuong", "nha-xuong.png"),
        ("ban-quet", "ban-quet.tif"),
        ("chi-xmp", "chi-xmp.jpg"),
    ] {
        let original = fixture(&format!("location/objects/{name}"));
        let sent = get(&site, &format!("/media/{record}/files/{name}"), &[]).await;
        assert_eq!(sent.status, StatusCode::OK, "{name}");
        assert_ne!(sent.body, original, "{name}");
        let pixels = |bytes: &[u8]| image::load_from_memory(bytes).unwrap().to_rgb8();
        assert_eq!(pixels(&sent.body), pixels(&original), "{name}");
        if let Some(tags) = exiftool(&original) {
            assert!(
                !location_tags(&tags).is_empty(),
                "{name} should carry a location"
            );
            let after = exiftool(&sent.body).unwrap();
            assert_eq!(
                location_tags(&after),
                Vec::<String>::new(),
                "{name}: {after:?}"
            );
            assert!(!after.contains_key("ExifTool:Warning"), "{name}: {after:?}");
        }
        let api = get(&site, &format!("/api/records/{record}"), &[]).await;
        let json: Value = serde_json::from_slice(&api.body).unwrap();
        assert_eq!(json["files"][0]["location_removed"], true);
        assert_eq!(json["files"][0]["sha256"], Sha256::of(&sent.body).to_hex());
        assert!(
            !api.text().contains(&Sha256::of(&original).to_hex()),
            "{name}: the original's digest is published"
        );
    }

    // A phone film: ©xyz and the QuickTime location key go; the media data and the size stay.
    let film = fixture("location/objects/phim-dien-thoai.mp4");
    let sent = get(
        &site,
        "/media/phim-dien-thoai/files/phim-dien-thoai.mp4",
        &[],
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK);
    assert_eq!(sent.body.len(), film.len());
    let mdat = film.windows(4).position(|w| w == b"mdat").unwrap() - 4;
    let mdat_size = u32::from_be_bytes(film[mdat..mdat + 4].try_into().unwrap()) as usize;
    assert_eq!(
        sent.body[mdat..mdat + mdat_size],
        film[mdat..mdat + mdat_size]
    );
    if let Some(tags) = exiftool(&sent.body) {
        assert_eq!(location_tags(&tags), Vec::<String>::new(), "{tags:?}");
        assert_eq!(tags["Keys:Make"], "Fixture");
        assert!(!tags.contains_key("ExifTool:Warning"), "{tags:?}");
    }
    let ranged = get(
        &site,
        "/media/phim-dien-thoai/files/phim-dien-thoai.mp4",
        &[("range", "bytes=1000-1999")],
    )
    .await;
    assert_eq!(ranged.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(ranged.body, sent.body[1000..2000]);
    let api = get(&site, "/api/records/phim-dien-thoai", &[]).await.text();
    assert!(api.contains(&Sha256::of(&sent.body).to_hex()));
    assert!(
        !api.contains(&Sha256::of(&film).to_hex()),
        "the film's digest"
    );

    // An SVG whose XMP states a position: no scrubber for SVG, so not sent at all.
    let svg = get(&site, "/media/hoa-van/files/hoa-van.svg", &[]).await;
    assert_eq!(svg.status, StatusCode::NOT_FOUND);
    assert_eq!(
        svg.body,
        get(&site, "/media/hoa-van/files/khong-co.svg", &[])
            .await
            .body
    );
    let api = get(&site, "/api/records/hoa-van", &[]).await;
    let json: Value = serde_json::from_slice(&api.body).unwrap();
    assert!(json["files"][0].get("url").is_none(), "{json}");
    assert!(json["files"][0].get("sha256").is_none(), "{json}");
    assert_eq!(json["files"][0]["withheld"], true);
    let page = get(&site, "/en/records/hoa-van", &[]).await.text();
    assert!(page.contains("This file is not offered publicly: its metadata may hold a location."));
    assert!(!page.contains("/media/hoa-van/files/"));
    let svg_sha = Sha256::of(&fixture("location/objects/hoa-van.svg")).to_hex();
    assert!(
        !page.contains(&svg_sha),
        "a withheld file's digest is published"
    );
    assert!(!api.text().contains(&svg_sha));
    // Its drawing is still shown: the rasterised display image has no metadata, and its ETag is
    // the display image's own, never the original's digest.
    let display = get(&site, "/media/hoa-van/display/0", &[]).await;
    assert_eq!(display.status, StatusCode::OK);
    assert!(
        display.header("etag").starts_with("\"d-"),
        "{:?}",
        display.headers
    );
    assert!(!display.header("etag").contains(&svg_sha));
    let etag = display.header("etag").to_string();
    let unchanged = get(
        &site,
        "/media/hoa-van/display/0",
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!(unchanged.status, StatusCode::NOT_MODIFIED);

    // A sound without location metadata goes as preserved, byte for byte.
    let wav = fixture("location/objects/tieng-dan.wav");
    let sent = get(&site, "/media/tieng-dan/files/tieng-dan.wav", &[]).await;
    assert_eq!(sent.body, wav);
    assert_eq!(
        sent.header("etag"),
        format!("\"{}\"", Sha256::of(&wav).to_hex())
    );
    let api = get(&site, "/api/records/tieng-dan", &[]).await;
    let json: Value = serde_json::from_slice(&api.body).unwrap();
    assert_eq!(json["files"][0]["location_removed"], false);
    assert_eq!(json["files"][0]["sha256"], Sha256::of(&wav).to_hex());
    assert_eq!(
        json["files"][0]["preserved_original"],
        serde_json::json!({"differs": false})
    );
}

/// An index made before the check existed, or emptied of it, never sends an unchecked original:
/// the site checks on demand, and `reindex` remakes every check.
#[tokio::test]
async fn missing_checks_are_made_before_anything_is_sent() {
    let (workspace, site) = site_with(&["gps-original"]);
    let derivatives = workspace.index().join("derivatives");
    let checks = || {
        walkdir::WalkDir::new(&derivatives)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_name() == "public.json" || e.file_name() == "public")
            .map(|e| e.path().to_path_buf())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        checks().len(),
        2,
        "made at ingest: the decision and the copy"
    );
    for path in checks() {
        std::fs::remove_file(path).unwrap();
    }
    let sent = get(&site, CASE_PHOTO, &[]).await;
    assert_eq!(sent.status, StatusCode::OK);
    assert_ne!(
        sent.body,
        fixture("gps-original/objects/anh/nha-nghe-nhan.jpg")
    );
    assert_eq!(checks().len(), 2, "made on demand");
    for path in checks() {
        std::fs::remove_file(path).unwrap();
    }
    let output = workspace.disan().arg("reindex").output().unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(checks().len(), 2, "made by reindex");
    let again = get(&site, CASE_PHOTO, &[]).await;
    assert_eq!(again.body, sent.body);
}

/// A sound withheld for its position is linked nowhere: not from its record's JSON-LD
/// (`contentUrl`), not from a story that embeds it; its page still exists.
#[tokio::test]
async fn a_withheld_sound_is_linked_from_no_page() {
    let workspace = Workspace::new();
    let batch = workspace.dir.path().join("withheld-sound");
    std::fs::create_dir_all(batch.join("objects")).unwrap();
    // A WAV with an XMP chunk stating a position: no scrubber removes it, so it is withheld.
    let mut wav =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/media/sine.wav"))
            .unwrap();
    let xmp = br#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="20,30.738N" exif:GPSLongitude="105,59.256E"/></rdf:RDF></x:xmpmeta>"#;
    wav.extend_from_slice(b"_PMX");
    wav.extend_from_slice(&(xmp.len() as u32).to_le_bytes());
    wav.extend_from_slice(xmp);
    if xmp.len() % 2 == 1 {
        wav.push(0);
    }
    let riff_size = (wav.len() - 8) as u32;
    wav[4..8].copy_from_slice(&riff_size.to_le_bytes());
    std::fs::write(batch.join("objects/tieng.wav"), &wav).unwrap();
    std::fs::write(
        batch.join("objects/chuyen.md"),
        "---\nkind: story\ntitle: Câu chuyện tiếng trống (sample)\n---\nMở đầu.\n\n[[tieng | Tiếng trống]]\n\nKết.\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{report}");
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let site =
        Arc::new(Site::open(&workspace.archive(), &workspace.index(), Some(templates)).unwrap());

    let sent = get(&site, "/media/tieng/files/tieng.wav", &[]).await;
    assert_eq!(sent.status, StatusCode::NOT_FOUND, "withheld");
    for uri in [
        "/records/tieng",
        "/en/records/tieng",
        "/records/chuyen",
        "/en/records/chuyen",
    ] {
        let page = get(&site, uri, &[]).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}");
        assert!(
            !page.text().contains("/media/tieng/files/"),
            "{uri} links the withheld sound"
        );
    }
}

/// Case `jpg-orphan-gps-ifd`: the GPS pointer's tag renamed (0x8825 to 0x8925) leaves the GPS
/// directory in the file unreferenced. Every EXIF byte no kept directory references is zeroed, so
/// the directory is not sent, while the camera, the date and the image data stay.
#[tokio::test]
async fn an_unreferenced_gps_directory_is_not_sent() {
    let mut photo = fixture("gps-original/objects/anh/nha-nghe-nhan.jpg");
    let tiff = photo.windows(6).position(|w| w == b"Exif\0\0").unwrap() + 6;
    assert_eq!(&photo[tiff..tiff + 4], b"MM\0*");
    let be16 = |b: &[u8], at: usize| u16::from_be_bytes([b[at], b[at + 1]]) as usize;
    let be32 = |b: &[u8], at: usize| u32::from_be_bytes(b[at..at + 4].try_into().unwrap()) as usize;
    let ifd0 = tiff + be32(&photo, tiff + 4);
    let pointer = (0..be16(&photo, ifd0))
        .map(|n| ifd0 + 2 + 12 * n)
        .find(|&at| be16(&photo, at) == 0x8825)
        .unwrap();
    let gps = tiff + be32(&photo, pointer + 8);
    let gps_entries = be16(&photo, gps);
    assert!(gps_entries > 0);
    photo[pointer..pointer + 2].copy_from_slice(&0x8925u16.to_be_bytes());

    let workspace = Workspace::new();
    let batch = workspace.dir.path().join("orphan");
    std::fs::create_dir_all(batch.join("objects")).unwrap();
    std::fs::create_dir_all(batch.join("metadata")).unwrap();
    std::fs::write(batch.join("objects/mo-coi.jpg"), &photo).unwrap();
    std::fs::write(
        batch.join("metadata/metadata.csv"),
        "filename,dc.title,kind,access\nobjects/mo-coi.jpg,Ảnh mồ côi (sample),photo,public\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{report}");
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let site =
        Arc::new(Site::open(&workspace.archive(), &workspace.index(), Some(templates)).unwrap());

    let sent = get(&site, "/media/mo-coi/files/mo-coi.jpg", &[]).await;
    assert_eq!(sent.status, StatusCode::OK);
    assert_eq!(sent.body.len(), photo.len());
    let directory = gps..gps + 2 + 12 * gps_entries;
    assert_ne!(photo[directory.clone()], vec![0; directory.len()]);
    assert!(
        sent.body[directory].iter().all(|&b| b == 0),
        "the orphan GPS directory is sent"
    );
    // Its values (the latitude and longitude rationals) are gone too: no non-zero byte is left
    // between the GPS directory and the end of the EXIF block that was not in IFD0's reach.
    assert_eq!(jpeg_image_data(&sent.body), jpeg_image_data(&photo));
    if let Some(tags) = exiftool(&sent.body) {
        assert_eq!(location_tags(&tags), Vec::<String>::new(), "{tags:?}");
        assert_eq!(tags["IFD0:Make"], "Xiaomi");
        assert_eq!(tags["ExifIFD:DateTimeOriginal"], "2023:04:15 09:30:00");
        assert!(!tags.contains_key("ExifTool:Warning"), "{tags:?}");
    }
    let api = get(&site, "/api/records/mo-coi", &[]).await;
    let json: Value = serde_json::from_slice(&api.body).unwrap();
    assert_eq!(json["files"][0]["location_removed"], true);
}

/// Case `extra-columns`: positions written in the sheet (location columns, coordinates in
/// `dcterms.spatial`/`dc.coverage`) are kept in the archive but reach no anonymous visitor: not
/// the API, the page, its JSON-LD, search or snippets. Place names stay; ingest warns once per
/// column.
#[tokio::test]
async fn positions_written_in_the_sheet_are_kept_but_not_published() {
    let workspace = Workspace::new();
    let batch = workspace.dir.path().join("columns");
    std::fs::create_dir_all(batch.join("objects")).unwrap();
    std::fs::create_dir_all(batch.join("metadata")).unwrap();
    for name in ["a.wav", "b.wav"] {
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/media/sine.wav"),
            batch.join("objects").join(name),
        )
        .unwrap();
    }
    std::fs::write(
        batch.join("metadata/metadata.csv"),
        "filename,dc.identifier,dc.title,kind,access,latitude,longitude,gps,exif.gps,Tọa độ,location,dcterms.spatial,dc.coverage,lunar_date\n\
         objects/a.wav,xcol,Tiếng trống (sample),audio,public,20.5123,105.9876,\"20.5123,105.9876\",20.5 N,\"20,5123; 105,9876\",12 Hang Bac,Nha Xa home,\"20°30'44\"\"N 105°59'15\"\"E\",8-15\n\
         objects/b.wav,ycol,Tiếng chiêng (sample),audio,public,21.1,106.2,,,,,geo:21.1000;106.2000,Đa Sỹ,\n",
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{report}");
    let warned: Vec<String> = crate::support::problems(&report)
        .into_iter()
        .filter(|p| p.contains("holds locations"))
        .collect();
    assert_eq!(
        warned,
        ["latitude", "longitude", "gps", "exif.gps", "Tọa độ", "location"]
            .iter()
            .map(|c| format!(
                "warning: metadata/metadata.csv, row 1, column {c}: '{c}' holds locations; its values are kept in the archive but not published"
            ))
            .collect::<Vec<_>>()
    );
    // Kept in the archive, as described.
    let stored: String = walkdir::WalkDir::new(workspace.archive())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "record.json")
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    for kept in [
        "\"latitude\"",
        "20.5123",
        "12 Hang Bac",
        "geo:21.1000;106.2000",
    ] {
        assert!(stored.contains(kept), "{kept} is not kept in the archive");
    }
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let site =
        Arc::new(Site::open(&workspace.archive(), &workspace.index(), Some(templates)).unwrap());

    let api = get(&site, "/api/records/xcol", &[]).await;
    let json: Value = serde_json::from_slice(&api.body).unwrap();
    assert_eq!(json["extra"], serde_json::json!({"lunar_date": ["8-15"]}));
    assert_eq!(json["dc"]["spatial"][0]["value"], "Nha Xa home");
    assert!(json["dc"].get("coverage").is_none(), "{json}");
    let other: Value =
        serde_json::from_slice(&get(&site, "/api/records/ycol", &[]).await.body).unwrap();
    assert!(other["dc"].get("spatial").is_none(), "{other}");
    assert_eq!(other["dc"]["coverage"][0]["value"], "Đa Sỹ");
    let mut answers = vec![api.text(), other.to_string()];
    for uri in ["/records/xcol", "/en/records/xcol", "/records/ycol"] {
        let page = get(&site, uri, &[]).await;
        assert_eq!(page.status, StatusCode::OK);
        answers.push(page.text());
    }
    assert!(answers[2].contains("Nha Xa home"), "place names stay");
    for q in ["20.5123", "105.9876", "106.2000", "Hang+Bac"] {
        let search = get(&site, &format!("/api/search?q={q}"), &[]).await;
        let json: Value = serde_json::from_slice(&search.body).unwrap();
        assert_eq!(json["total"], 0, "{q}: {json}");
    }
    let search = get(&site, "/api/search?q=sample", &[]).await;
    assert_eq!(
        serde_json::from_slice::<Value>(&search.body).unwrap()["total"],
        2
    );
    answers.push(search.text());
    answers.push(get(&site, "/search?q=sample", &[]).await.text());
    for (n, answer) in answers.iter().enumerate() {
        for position in [
            "20.5123",
            "105.9876",
            "20,5123",
            "20.5 N",
            "12 Hang Bac",
            "59'15",
            "106.2",
        ] {
            assert!(
                !answer.contains(position),
                "answer {n} publishes {position}"
            );
        }
    }
}
