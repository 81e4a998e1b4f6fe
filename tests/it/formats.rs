//! Real-world phone and camera files: HEIC photos (`ingest-heic-phone`), portrait photos and
//! films shot upright (`ingest-portrait-orientation`), and impossible EXIF dates. Each test
//! asserts what the archivist reads in the report and what a visitor gets from the page and
//! the API.

use std::fs;
use std::path::Path;
use std::sync::Arc;

use disan::index::derivatives::{DerivativeStore, Rendition};
use disan::model::Record;
use disan::web::Site;

use crate::support::{Workspace, problems, record};
use crate::web::get;

fn site(workspace: &Workspace) -> Arc<Site> {
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    Arc::new(Site::open(&workspace.archive(), &workspace.index(), Some(templates)).unwrap())
}

/// Width and height of a derivative JPEG.
fn derivative_size(workspace: &Workspace, record: &Record, rendition: Rendition) -> (u32, u32) {
    let store = DerivativeStore::new(&workspace.index());
    let bytes = fs::read(store.path(&record.files[0].sha256, rendition))
        .unwrap_or_else(|e| panic!("no {rendition:?} of {}: {e}", record.id));
    let image = image::load_from_memory(&bytes).unwrap();
    (image.width(), image.height())
}

/// One TIFF image file directory starting at byte `start` of the TIFF data: entries
/// `(tag, type, count, value)` in ascending tag order, values longer than four bytes placed
/// after the directory.
fn ifd(start: usize, entries: &[(u16, u16, u32, Vec<u8>)]) -> Vec<u8> {
    let data_start = start + 2 + 12 * entries.len() + 4;
    let mut head = u16::try_from(entries.len()).unwrap().to_be_bytes().to_vec();
    let mut data = Vec::new();
    for (tag, kind, count, value) in entries {
        head.extend(tag.to_be_bytes());
        head.extend(kind.to_be_bytes());
        head.extend(count.to_be_bytes());
        if value.len() <= 4 {
            let mut inline = value.clone();
            inline.resize(4, 0);
            head.extend(inline);
        } else {
            head.extend(
                u32::try_from(data_start + data.len())
                    .unwrap()
                    .to_be_bytes(),
            );
            data.extend(value);
            if data.len() % 2 == 1 {
                data.push(0);
            }
        }
    }
    head.extend([0; 4]);
    head.extend(data);
    head
}

/// EXIF as a camera writes it (big-endian TIFF): `orientation` in IFD0, `DateTimeOriginal` in
/// the EXIF directory, and a GPS directory when `gps` (latitude N, longitude E) is given.
fn exif_tiff(orientation: u16, date_time_original: &str, gps: Option<(u32, u32)>) -> Vec<u8> {
    let mut date = date_time_original.as_bytes().to_vec();
    date.resize(20, 0);
    let ifd0_len = 2 + 12 * if gps.is_some() { 3 } else { 2 } + 4;
    let exif_start = 8 + ifd0_len;
    let exif = ifd(exif_start, &[(0x9003, 2, 20, date)]);
    let gps_start = exif_start + exif.len();
    let degrees = |whole: u32| [whole, 1, 0, 1, 0, 1].map(u32::to_be_bytes).concat();
    let gps_ifd = gps.map(|(latitude, longitude)| {
        ifd(
            gps_start,
            &[
                (0x0001, 2, 2, b"N\0".to_vec()),
                (0x0002, 5, 3, degrees(latitude)),
                (0x0003, 2, 2, b"E\0".to_vec()),
                (0x0004, 5, 3, degrees(longitude)),
            ],
        )
    });
    let mut entries = vec![
        (0x0112, 3, 1, orientation.to_be_bytes().to_vec()),
        (0x8769, 4, 1, (exif_start as u32).to_be_bytes().to_vec()),
    ];
    if gps.is_some() {
        entries.push((0x8825, 4, 1, (gps_start as u32).to_be_bytes().to_vec()));
    }
    let ifd0 = ifd(8, &entries);
    assert_eq!(ifd0.len(), ifd0_len);
    [
        b"MM\0\x2a\0\0\0\x08".to_vec(),
        ifd0,
        exif,
        gps_ifd.unwrap_or_default(),
    ]
    .concat()
}

/// A baseline JPEG of `width` × `height` carrying EXIF: `orientation` and `DateTimeOriginal`.
fn jpeg_with_exif(width: u32, height: u32, orientation: u16, date_time_original: &str) -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 96])
    });
    let mut jpeg = Vec::new();
    image::DynamicImage::ImageRgb8(pixels)
        .write_to(
            &mut std::io::Cursor::new(&mut jpeg),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(exif_tiff(orientation, date_time_original, None));
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(u16::try_from(app1.len() + 2).unwrap().to_be_bytes());
    out.extend(app1);
    out.extend(&jpeg[2..]);
    out
}

/// A 64×48 gradient encoded here by libheif's own encoders (x265 for HEIC, aom for AVIF), with
/// `tiff` as its EXIF item.
fn heif_photo(format: libheif_rs::CompressionFormat, tiff: &[u8]) -> Vec<u8> {
    use libheif_rs::{Channel, ColorSpace, EncoderQuality, HeifContext, LibHeif, RgbChroma};
    let library = LibHeif::new();
    let mut image = libheif_rs::Image::new(64, 48, ColorSpace::Rgb(RgbChroma::Rgb)).unwrap();
    image.create_plane(Channel::Interleaved, 64, 48, 8).unwrap();
    let planes = image.planes_mut();
    let plane = planes.interleaved.unwrap();
    for y in 0..48 {
        for x in 0..64 {
            let at = y * plane.stride + x * 3;
            plane.data[at..at + 3].copy_from_slice(&[(x * 4) as u8, (y * 5) as u8, 96]);
        }
    }
    let mut context = HeifContext::new().unwrap();
    let mut encoder = library.encoder_for_format(format).unwrap();
    encoder.set_quality(EncoderQuality::Lossy(80)).unwrap();
    let handle = context.encode_image(&image, &mut encoder, None).unwrap();
    context.add_exif_metadata(&handle, tiff).unwrap();
    context.write_to_bytes().unwrap()
}

/// The fixture QuickTime film (160×120), its video track header turned 90° as a phone held
/// upright writes it: matrix `{0 1 0; -1 0 0; 120 0 1}`.
fn film_shot_upright() -> Vec<u8> {
    let mut film =
        fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/media/testsrc.mov"))
            .unwrap();
    let at = film.windows(4).position(|w| w == b"tkhd").unwrap() + 4;
    assert_eq!(film[at], 0, "version 0 track header");
    let matrix = at + 40;
    let entries: [i32; 9] = [0, 1 << 16, 0, -(1 << 16), 0, 0, 120 << 16, 0, 1 << 30];
    for (i, value) in entries.into_iter().enumerate() {
        film[matrix + 4 * i..matrix + 4 * i + 4].copy_from_slice(&value.to_be_bytes());
    }
    film
}

/// The warning for the case's HEIC photo `name` (or a copy), whose EXIF orientation 6 turns it a
/// quarter while the file has no `irot`.
fn exif_turns_heif_does_not(name: &str) -> String {
    format!(
        "warning: objects/anh/{name}.HEIC: EXIF orientation 6 disagrees with the HEIC image's \
         own rotation; shown 800×600 as the file's rotation says (in HEIF the EXIF orientation \
         is informative only)"
    )
}

/// The case's HEIC, given the `irot` property an iPhone writes for a photo taken upright
/// (rotation 270° anticlockwise, i.e. 90° clockwise): its 16-byte `pixi` property becomes an
/// `irot` box of the same size, so no offset moves.
fn heic_turned() -> Vec<u8> {
    let mut heic = fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/batches/heic-phone/objects/anh/IMG_0412.HEIC"),
    )
    .unwrap();
    let at = heic.windows(4).position(|w| w == b"pixi").unwrap() - 4;
    assert_eq!(heic[at..at + 4], 16u32.to_be_bytes());
    let mut irot = b"\0\0\0\x10irot\x03".to_vec();
    irot.resize(16, 0);
    heic[at..at + 16].copy_from_slice(&irot);
    heic
}

/// break-11b finding 11: Canon and Sony cameras name their HEIF photos `.HIF`; that is the
/// right extension for HEIC content, so no wrong-extension warning is given.
#[test]
fn canon_and_sony_hif_names_are_heif_names() {
    let workspace = Workspace::new();
    let batch = workspace.batch("heic-phone");
    fs::rename(
        batch.join("objects/anh/IMG_0412.HEIC"),
        batch.join("objects/anh/IMG_0412.HIF"),
    )
    .unwrap();
    fs::write(batch.join("objects/anh/IMG_0415.hif"), heic_turned()).unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(
        problems(&report),
        [exif_turns_heif_does_not("IMG_0412").replace(".HEIC:", ".HIF:")]
    );
    for id in ["anh-img-0412", "anh-img-0415"] {
        assert_eq!(record(&workspace, id).files[0].format.mime, "image/heic");
    }
}

#[tokio::test]
async fn heic_phone_photo_gets_its_exif_size_and_preview() {
    let workspace = Workspace::new();
    let batch = workspace.batch("heic-phone");
    fs::write(batch.join("objects/anh/IMG_0415.HEIC"), heic_turned()).unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    // IMG_0415 (`irot` and EXIF agree) gets no warning.
    assert_eq!(problems(&report), [exif_turns_heif_does_not("IMG_0412")]);

    // As the case has it: EXIF Orientation 6 but no `irot`. The HEIF image is shown as coded
    // (MIAF: EXIF orientation is informative), so stored and displayed size are both 800×600.
    let photo = record(&workspace, "anh-img-0412");
    assert_eq!(photo.date.as_ref().unwrap().as_str(), "2023-02-05");
    let file = &photo.files[0];
    assert_eq!(file.format.mime, "image/heic");
    let exif = file.exif.as_ref().unwrap();
    assert_eq!(exif.captured.as_deref(), Some("2023-02-05T07:45:00"));
    assert_eq!(exif.camera_make.as_deref(), Some("Apple"));
    assert_eq!(exif.camera_model.as_deref(), Some("iPhone 12"));
    assert_eq!(exif.orientation, Some(6));
    assert_eq!(
        (file.technical.width, file.technical.height),
        (Some(800), Some(600))
    );
    assert_eq!(file.displayed_size(), Some((800, 600)));
    assert_eq!(
        derivative_size(&workspace, &photo, Rendition::Display),
        (800, 600)
    );
    assert_eq!(
        derivative_size(&workspace, &photo, Rendition::Thumbnail),
        (400, 300)
    );

    // As an iPhone writes it: `irot` and EXIF Orientation 6 both. libheif turns it once; the
    // EXIF orientation is not applied a second time.
    let turned = record(&workspace, "anh-img-0415");
    let file = &turned.files[0];
    assert_eq!(
        (file.technical.width, file.technical.height),
        (Some(800), Some(600))
    );
    assert_eq!(
        (
            file.technical.displayed_width,
            file.technical.displayed_height
        ),
        (Some(600), Some(800))
    );
    assert_eq!(
        derivative_size(&workspace, &turned, Rendition::Display),
        (600, 800)
    );

    let site = site(&workspace);
    let api = get(&site, "/api/records/anh-img-0415").await.json();
    let file = &api["files"][0];
    assert_eq!(
        (&file["width"], &file["height"]),
        (&800.into(), &600.into())
    );
    assert_eq!(
        (&file["displayed_width"], &file["displayed_height"]),
        (&600.into(), &800.into())
    );
    assert_eq!(file["display"], "/media/anh-img-0415/display/0");
    assert_eq!(file["exif"]["captured"], "2023-02-05T07:45:00");
    let page = get(&site, "/records/anh-img-0415").await.text();
    assert!(
        page.contains(
            r#"src="/media/anh-img-0415/display/0" alt="IMG 0415" width="600" height="800""#
        ),
        "{page}"
    );
    assert!(page.contains("600×800"), "files table: {page}");
    let display = get(&site, "/media/anh-img-0415/display/0").await;
    assert_eq!(display.status, axum::http::StatusCode::OK);
    assert_eq!(display.header("content-type"), "image/jpeg");
}

#[tokio::test]
async fn heic_and_avif_from_any_phone_keep_their_position_unpublished() {
    let workspace = Workspace::new();
    let batch = workspace.dir.path().join("android");
    fs::create_dir_all(batch.join("objects")).unwrap();
    let tiff = exif_tiff(1, "2024:06:07 08:09:10", Some((20, 105)));
    for (name, format) in [
        ("PXL_0001.heic", libheif_rs::CompressionFormat::Hevc),
        ("PXL_0002.avif", libheif_rs::CompressionFormat::Av1),
    ] {
        fs::write(batch.join("objects").join(name), heif_photo(format, &tiff)).unwrap();
    }
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(problems(&report), Vec::<String>::new());
    let site = site(&workspace);
    for (id, mime) in [("pxl-0001", "image/heic"), ("pxl-0002", "image/avif")] {
        let photo = record(&workspace, id);
        let file = &photo.files[0];
        assert_eq!(file.format.mime, mime);
        assert_eq!(
            (file.technical.width, file.technical.height),
            (Some(64), Some(48))
        );
        let exif = file.exif.as_ref().unwrap();
        assert_eq!(exif.captured.as_deref(), Some("2024-06-07T08:09:10"));
        assert_eq!(exif.gps, Some([20.0, 105.0]), "kept in the archive");
        assert_eq!(photo.date.as_ref().unwrap().as_str(), "2024-06-07");
        assert_eq!(
            derivative_size(&workspace, &photo, Rendition::Display),
            (64, 48)
        );
        let api = get(&site, &format!("/api/records/{id}")).await.json();
        let file = &api["files"][0];
        assert!(file["exif"].get("gps").is_none(), "GPS published: {file}");
        assert_eq!(file["exif"]["captured"], "2024-06-07T08:09:10");
        assert_eq!(file["displayed_width"], 64);
    }
}

#[tokio::test]
async fn a_heif_libheif_cannot_decode_is_kept_with_a_warning_and_a_damaged_one_refused() {
    let workspace = Workspace::new();
    let batch = workspace.batch("heic-phone");
    let heic = fs::read(batch.join("objects/anh/IMG_0412.HEIC")).unwrap();
    // Coded with H.266 (VVC), which libheif 1.15 cannot decode: well-formed, no preview.
    let mut vvc = heic.clone();
    let at = vvc.windows(4).position(|w| w == b"hvc1").unwrap();
    vvc[at..at + 4].copy_from_slice(b"vvc1");
    fs::write(batch.join("objects/anh/IMG_0500.HEIC"), vvc).unwrap();
    fs::write(
        batch.join("objects/anh/IMG_0501.HEIC"),
        &heic[..heic.len() / 2],
    )
    .unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 1, "{:#?}", problems(&report));
    assert_eq!(
        problems(&report),
        [
            "error: objects/anh/IMG_0501.HEIC: corrupt or truncated HEIC image: Invalid input: \
             Unexpected end of file: Extent in iloc box references data outside of file bounds \
             (points to file position 662)",
            &exif_turns_heif_does_not("IMG_0412"),
            &exif_turns_heif_does_not("IMG_0500"),
            "warning: objects/anh/IMG_0500.HEIC: no preview: HEIC image not supported here \
             (Unsupported feature: Unsupported image type); the file is preserved",
        ]
    );
    let kept = record(&workspace, "anh-img-0500");
    let exif = kept.files[0].exif.as_ref().unwrap();
    assert_eq!(exif.captured.as_deref(), Some("2023-02-05T07:45:00"));
    assert_eq!(kept.date.as_ref().unwrap().as_str(), "2023-02-05");
    let store = DerivativeStore::new(&workspace.index());
    assert!(!store.has(&kept.files[0].sha256));

    // Its page and API point to no preview, rather than to a missing picture.
    let site = site(&workspace);
    let api = get(&site, "/api/records/anh-img-0500").await.json();
    assert!(api["files"][0].get("display").is_none(), "{api}");
    // Its size is still read from the header.
    assert_eq!(api["files"][0]["displayed_width"], 800);
    let page = get(&site, "/records/anh-img-0500").await.text();
    assert!(!page.contains("/media/anh-img-0500/display/0"), "{page}");
    assert!(page.contains("2023-02-05"), "{page}");

    // A rebuilt index has the same two records and no complaint about the kept HEIC.
    fs::remove_dir_all(workspace.index()).unwrap();
    let output = workspace.disan().arg("reindex").output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.starts_with("2 records indexed, 1 derivatives made"),
        "{stdout}"
    );
    assert!(!stdout.contains("IMG_0500"), "{stdout}");
}

#[tokio::test]
async fn portrait_photos_and_films_shot_upright_are_announced_upright() {
    let workspace = Workspace::new();
    let batch = workspace.dir.path().join("portrait");
    fs::create_dir_all(batch.join("objects/anh")).unwrap();
    fs::create_dir_all(batch.join("objects/phim")).unwrap();
    fs::write(
        batch.join("objects/anh/nghe-nhan-dung.jpg"),
        jpeg_with_exif(80, 60, 6, "2021:03:04 05:06:07"),
    )
    .unwrap();
    fs::write(batch.join("objects/phim/quay-doc.mov"), film_shot_upright()).unwrap();
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));

    let photo = record(&workspace, "anh-nghe-nhan-dung");
    let media = &photo.files[0].technical;
    assert_eq!((media.width, media.height), (Some(80), Some(60)));
    assert_eq!(
        (media.displayed_width, media.displayed_height),
        (Some(60), Some(80))
    );
    assert_eq!(
        derivative_size(&workspace, &photo, Rendition::Display),
        (60, 80)
    );
    let film = record(&workspace, "phim-quay-doc");
    let media = &film.files[0].technical;
    assert_eq!((media.width, media.height), (Some(160), Some(120)));
    assert_eq!(
        (media.displayed_width, media.displayed_height),
        (Some(120), Some(160))
    );

    let site = site(&workspace);
    let api = get(&site, "/api/records/anh-nghe-nhan-dung").await.json();
    let file = &api["files"][0];
    assert_eq!((&file["width"], &file["height"]), (&80.into(), &60.into()));
    assert_eq!(
        (&file["displayed_width"], &file["displayed_height"]),
        (&60.into(), &80.into())
    );
    let page = get(&site, "/records/anh-nghe-nhan-dung").await.text();
    assert!(
        page.contains(r#"alt="nghe nhan dung" width="60" height="80""#),
        "{page}"
    );
    assert!(page.contains("60×80") && !page.contains("80×60"), "{page}");

    let api = get(&site, "/api/records/phim-quay-doc").await.json();
    let file = &api["files"][0];
    assert_eq!(
        (&file["displayed_width"], &file["displayed_height"]),
        (&120.into(), &160.into())
    );
    let page = get(&site, "/records/phim-quay-doc").await.text();
    assert!(
        page.contains(r#"src="/media/phim-quay-doc/files/quay-doc.mov" width="120" height="160""#),
        "{page}"
    );
    assert!(
        page.contains("120×160") && !page.contains("160×120"),
        "{page}"
    );
}

#[tokio::test]
async fn impossible_exif_dates_are_dropped_with_a_warning_and_never_published() {
    let workspace = Workspace::new();
    let batch = workspace.dir.path().join("dates");
    fs::create_dir_all(batch.join("objects")).unwrap();
    for (name, date) in [
        ("thang-13", "2019:13:45 10:00:00"),
        ("ngay-32", "2019:01:32 10:00:00"),
        ("gio-25", "2019:05:01 25:00:00"),
        ("dong-ho-chua-dat", "0000:00:00 00:00:00"),
        ("ngay-that", "2019:05:01 10:00:00"),
    ] {
        fs::write(
            batch.join(format!("objects/{name}.jpg")),
            jpeg_with_exif(32, 24, 1, date),
        )
        .unwrap();
    }
    let (code, report) = workspace.ingest(&batch, &[]);
    assert_eq!(code, 0, "{:#?}", problems(&report));
    assert_eq!(
        problems(&report),
        [
            "warning: objects/dong-ho-chua-dat.jpg: the EXIF date '0000:00:00 00:00:00' \
             (DateTimeOriginal) was left out: year 0000 is a camera's unset clock",
            "warning: objects/gio-25.jpg: the EXIF date '2019:05:01 25:00:00' \
             (DateTimeOriginal) was left out: hour 25 does not exist",
            "warning: objects/ngay-32.jpg: the EXIF date '2019:01:32 10:00:00' \
             (DateTimeOriginal) was left out: day 32 does not exist in 2019-01",
            "warning: objects/thang-13.jpg: the EXIF date '2019:13:45 10:00:00' \
             (DateTimeOriginal) was left out: month 13 does not exist",
        ]
    );
    for id in ["thang-13", "ngay-32", "gio-25", "dong-ho-chua-dat"] {
        let kept = record(&workspace, id);
        assert_eq!(kept.date, None, "{id}");
        assert_eq!(kept.files[0].exif.as_ref().unwrap().captured, None, "{id}");
    }
    let real = record(&workspace, "ngay-that");
    assert_eq!(real.date.as_ref().unwrap().as_str(), "2019-05-01");

    let site = site(&workspace);
    let api = get(&site, "/api/records/thang-13").await.text();
    assert!(
        !api.contains("2019-13") && !api.contains("captured"),
        "{api}"
    );
    let page = get(&site, "/records/thang-13").await.text();
    assert!(
        !page.contains("2019-13") && !page.contains("2019:13"),
        "{page}"
    );
}
