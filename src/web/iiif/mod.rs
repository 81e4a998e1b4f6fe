//! IIIF Image API 3.0, compliance level 2 (<https://iiif.io/api/image/3.0/>), so that image
//! scholars can open Disan's photos and patterns in Mirador or any IIIF viewer beside another
//! archive's.
//!
//! # Identifiers
//! An image is a file of a record, named as on the `/media/` routes: `{record-id}/{n}`, `n` the
//! file's position (from 0) among the record's files, the same `n` as
//! `/media/{record-id}/display/{n}`. The image service of that file is
//! `/iiif/3/{record-id}/{n}`: its base URI answers `303 See Other` to
//! `/iiif/3/{record-id}/{n}/info.json`, and images are
//! `/iiif/3/{record-id}/{n}/{region}/{size}/{rotation}/{quality}.{format}`.
//!
//! # Source
//! An image at least as large as the display image (long side
//! [`crate::index::derivatives::DISPLAY_SIZE`] px or more) is served at its full size from its
//! pyramid of tiles (`index/derivatives…/pyramid.tiles`,
//! [`crate::index::derivatives::pyramid`]), which the ingest derived from the preserved original
//! within the sandbox's budgets ([`crate::index::sandbox`]): see [`deep`] for info.json, the
//! stored-tile fast path and the bounded composing of other requests. A smaller image (or one
//! indexed before pyramids, until `disan reindex`) is cut from its display image, which is all
//! of it. Both were turned upright and written as pixels only: no EXIF, so no GPS, ever leaves
//! through this route, and no untrusted file is decoded while answering. info.json reads only
//! an image's header or the pyramid's index; at most [`RENDERS`] images are cut or composed at
//! once, so a flood of requests queues rather than taking the server's memory.
//!
//! # What is supported (level 2)
//! - regions `full`, `square`, `x,y,w,h`, `pct:x,y,w,h`;
//! - sizes `max`, `w,`, `,h`, `w,h`, `!w,h`, `pct:n`; never larger than the region: upscaling
//!   (`^`) is not supported and answers 501;
//! - rotation `0`, `90`, `180`, `270`, each mirrored with `!`; other angles answer 501;
//! - qualities `default`, `color`, `gray`, `bitonal` (gray at a threshold of 128); formats
//!   `jpg`, `png`
//!   (`gif`, `tif`, `webp`, `jp2`, `pdf` answer 501).
//!
//! Errors follow the specification (§7.1): a malformed request is 400, an unknown or forbidden
//! image 404, a well-formed request for a feature not offered 501.
//!
//! # Access
//! Exactly the rules of `/media/` ([`super::media::shown_to`]): the record and its files must be
//! visible to the request's viewer, else the answer is the site's 404 for an unknown address
//! (the same as for an id that never existed). Derivatives of non-public files are read from the
//! private store only after that check; a signed-in viewer's answers are `private, no-store`
//! and each non-public image is in the view log, as for media. Every answer carries
//! `Access-Control-Allow-Origin: *` (§6.1 of the spec): a viewer on another site may load the
//! public images, and a signed-in viewer's cookies are never sent cross-origin with `*`.
pub mod deep;
pub mod manifest;

use std::io::Cursor;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use image::{DynamicImage, GenericImageView, ImageFormat};

use super::Site;
use super::auth::SignedIn;
use super::error::WebError;
use super::i18n;
use super::media::shown_to;
use crate::index::derivatives::Rendition;
use crate::index::search::has_derivative;
use crate::model::access::Viewer;

/// The JSON-LD context of Image API 3.0.
pub const IMAGE_CONTEXT: &str = "http://iiif.io/api/image/3/context.json";
/// The profile URI of compliance level 2, sent as a `Link` header with each image (§5.3).
const LEVEL2_PROFILE: &str = "http://iiif.io/api/image/3/level2.json";
/// Width and height of the tiles info.json offers, in pixels.
pub const TILE_SIZE: u32 = 256;
/// Smallest side of the sizes info.json lists, in pixels.
const SMALLEST_SIZE: u32 = 64;

/// Why an image request is not answered with an image (§7.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IiifError {
    /// 400: the request is malformed (what is wrong, in English, for the log and the body).
    BadRequest(String),
    /// 501: well-formed, but asks for a feature this server does not offer.
    NotImplemented(String),
}

/// A region of the image, in pixels of the full image (§4.1), before clipping to it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Region {
    /// `full`.
    Full,
    /// `square`: the largest centred square.
    Square,
    /// `x,y,w,h` in pixels.
    Pixels(u32, u32, u32, u32),
    /// `pct:x,y,w,h` in percent of the full width and height.
    Percent(f64, f64, f64, f64),
}

/// A requested size (§4.2), upscaling never allowed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Size {
    /// `max`: the region as it is.
    Max,
    /// `w,`: this width, height in proportion.
    Width(u32),
    /// `,h`: this height, width in proportion.
    Height(u32),
    /// `w,h`: exactly, aspect ratio possibly changed.
    Exact(u32, u32),
    /// `!w,h`: the largest size within `w` × `h` keeping the aspect ratio.
    Within(u32, u32),
    /// `pct:n`: `n` percent of the region.
    Percent(f64),
}

/// Quality (§4.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quality {
    /// `default` and `color`: the pixels as they are.
    Color,
    /// `gray`.
    Gray,
    /// `bitonal`: black or white, the gray value's threshold at 128.
    Bitonal,
}

/// Output format (§4.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `jpg`, `image/jpeg`.
    Jpg,
    /// `png`, `image/png`.
    Png,
}

impl Format {
    fn mime(self) -> &'static str {
        match self {
            Format::Jpg => "image/jpeg",
            Format::Png => "image/png",
        }
    }
}

/// One parsed image request: region, size, rotation (degrees, a multiple of 90, and whether
/// mirrored first), quality and format.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImageRequest {
    /// The region.
    pub region: Region,
    /// The size.
    pub size: Size,
    /// Mirrored (flipped horizontally) before rotation.
    pub mirror: bool,
    /// Clockwise rotation in degrees: 0, 90, 180 or 270.
    pub degrees: u16,
    /// The quality.
    pub quality: Quality,
    /// The format.
    pub format: Format,
}

fn bad(what: impl Into<String>) -> IiifError {
    IiifError::BadRequest(what.into())
}

fn unsupported(what: impl Into<String>) -> IiifError {
    IiifError::NotImplemented(what.into())
}

/// A non-negative decimal as the spec writes them (digits with at most one point, no sign,
/// no exponent).
fn decimal(text: &str) -> Option<f64> {
    let valid = !text.is_empty()
        && text.chars().all(|c| c.is_ascii_digit() || c == '.')
        && text.matches('.').count() <= 1
        && text != ".";
    if valid { text.parse().ok() } else { None }
}

fn integer(text: &str) -> Option<u32> {
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

/// Parses the four path segments of an image request.
///
/// # Errors
/// [`IiifError::BadRequest`] for malformed segments (zero-sized regions and sizes included),
/// [`IiifError::NotImplemented`] for upscaling, angles that are not multiples of 90, and formats other than `jpg` and `png`.
pub fn parse(
    region: &str,
    size: &str,
    rotation: &str,
    quality_format: &str,
) -> Result<ImageRequest, IiifError> {
    let region = parse_region(region)?;
    let size = parse_size(size)?;
    let (mirror, angle) = match rotation.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, rotation),
    };
    let angle = decimal(angle).ok_or_else(|| bad(format!("invalid rotation {rotation:?}")))?;
    if angle > 360.0 {
        return Err(bad(format!("rotation {rotation:?} is over 360")));
    }
    let degrees = match angle {
        0.0 | 360.0 => 0,
        90.0 => 90,
        180.0 => 180,
        270.0 => 270,
        _ => return Err(unsupported("only rotations by multiples of 90 degrees")),
    };
    let (quality, format) = quality_format
        .rsplit_once('.')
        .ok_or_else(|| bad(format!("no format in {quality_format:?}")))?;
    let quality = match quality {
        "default" | "color" => Quality::Color,
        "gray" => Quality::Gray,
        "bitonal" => Quality::Bitonal,
        other => return Err(bad(format!("unknown quality {other:?}"))),
    };
    let format = match format {
        "jpg" => Format::Jpg,
        "png" => Format::Png,
        "gif" | "tif" | "webp" | "jp2" | "pdf" => {
            return Err(unsupported(format!("the {format} format")));
        }
        other => return Err(bad(format!("unknown format {other:?}"))),
    };
    Ok(ImageRequest {
        region,
        size,
        mirror,
        degrees,
        quality,
        format,
    })
}

fn parse_region(text: &str) -> Result<Region, IiifError> {
    let invalid = || bad(format!("invalid region {text:?}"));
    match text {
        "full" => return Ok(Region::Full),
        "square" => return Ok(Region::Square),
        _ => {}
    }
    if let Some(rest) = text.strip_prefix("pct:") {
        let numbers: Vec<f64> = rest
            .split(',')
            .map(decimal)
            .collect::<Option<_>>()
            .ok_or_else(invalid)?;
        let [x, y, w, h] = numbers[..] else {
            return Err(invalid());
        };
        if w <= 0.0 || h <= 0.0 {
            return Err(invalid());
        }
        return Ok(Region::Percent(x, y, w, h));
    }
    let numbers: Vec<u32> = text
        .split(',')
        .map(integer)
        .collect::<Option<_>>()
        .ok_or_else(invalid)?;
    let [x, y, w, h] = numbers[..] else {
        return Err(invalid());
    };
    if w == 0 || h == 0 {
        return Err(invalid());
    }
    Ok(Region::Pixels(x, y, w, h))
}

fn parse_size(text: &str) -> Result<Size, IiifError> {
    let invalid = || bad(format!("invalid size {text:?}"));
    if let Some(rest) = text.strip_prefix('^') {
        // Well-formed or not, upscaling is not offered; a malformed one is still 400.
        parse_size(rest)?;
        return Err(unsupported("upscaling (^)"));
    }
    if text == "max" {
        return Ok(Size::Max);
    }
    if let Some(rest) = text.strip_prefix("pct:") {
        let n = decimal(rest).ok_or_else(invalid)?;
        if n <= 0.0 || n > 100.0 {
            return Err(invalid());
        }
        return Ok(Size::Percent(n));
    }
    let (within, rest) = match text.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (w, h) = rest.split_once(',').ok_or_else(invalid)?;
    let w = if w.is_empty() {
        None
    } else {
        Some(integer(w).filter(|&w| w > 0).ok_or_else(invalid)?)
    };
    let h = if h.is_empty() {
        None
    } else {
        Some(integer(h).filter(|&h| h > 0).ok_or_else(invalid)?)
    };
    match (within, w, h) {
        (true, Some(w), Some(h)) => Ok(Size::Within(w, h)),
        (false, Some(w), Some(h)) => Ok(Size::Exact(w, h)),
        (false, Some(w), None) => Ok(Size::Width(w)),
        (false, None, Some(h)) => Ok(Size::Height(h)),
        _ => Err(invalid()),
    }
}

/// The region's rectangle `(x, y, w, h)` within a `width` × `height` image, clipped to it.
///
/// # Errors
/// [`IiifError::BadRequest`] when the region lies wholly outside the image (§4.1).
pub fn region_rect(
    region: Region,
    width: u32,
    height: u32,
) -> Result<(u32, u32, u32, u32), IiifError> {
    let (x, y, w, h) = match region {
        Region::Full => (0, 0, width, height),
        Region::Square => {
            let side = width.min(height);
            ((width - side) / 2, (height - side) / 2, side, side)
        }
        Region::Pixels(x, y, w, h) => (x, y, w, h),
        Region::Percent(x, y, w, h) => {
            let (fw, fh) = (f64::from(width), f64::from(height));
            let px = |value: f64, full: f64| (value * full / 100.0).round().min(u32::MAX as f64);
            (
                px(x, fw) as u32,
                px(y, fh) as u32,
                px(w, fw).max(1.0) as u32,
                px(h, fh).max(1.0) as u32,
            )
        }
    };
    if x >= width || y >= height {
        return Err(bad("the region is outside the image"));
    }
    Ok((x, y, w.min(width - x), h.min(height - y)))
}

/// The output size of a `w` × `h` region.
///
/// # Errors
/// [`IiifError::BadRequest`] when it would be larger than the region (upscaling without `^`,
/// §4.2) or round to zero pixels.
pub fn output_size(size: Size, w: u32, h: u32) -> Result<(u32, u32), IiifError> {
    let scale = |value: u32, num: u32, den: u32| {
        ((f64::from(value) * f64::from(num) / f64::from(den)).round() as u32).max(1)
    };
    let (ow, oh) = match size {
        Size::Max => (w, h),
        Size::Width(ow) => (ow, scale(h, ow, w)),
        Size::Height(oh) => (scale(w, oh, h), oh),
        Size::Exact(ow, oh) => (ow, oh),
        Size::Within(bw, bh) => {
            // The largest size within bw × bh keeping the ratio: the smaller of the two scales.
            if u64::from(bw) * u64::from(h) <= u64::from(bh) * u64::from(w) {
                (bw, scale(h, bw, w))
            } else {
                (scale(w, bh, h), bh)
            }
        }
        Size::Percent(n) => (
            ((f64::from(w) * n / 100.0).round() as u32),
            ((f64::from(h) * n / 100.0).round() as u32),
        ),
    };
    if ow == 0 || oh == 0 {
        return Err(bad("the size is zero pixels"));
    }
    if ow > w || oh > h {
        return Err(bad(
            "the size is larger than the region (upscaling needs ^)",
        ));
    }
    Ok((ow, oh))
}

/// Cuts, scales, mirrors, turns and colours `source` as `request` asks, and encodes it.
///
/// # Errors
/// As [`region_rect`] and [`output_size`]; an encoder failure (not expected for 8-bit pixels
/// written to memory) as [`IiifError::BadRequest`].
pub fn render(source: &DynamicImage, request: &ImageRequest) -> Result<Vec<u8>, IiifError> {
    let (width, height) = source.dimensions();
    let (x, y, w, h) = region_rect(request.region, width, height)?;
    let (ow, oh) = output_size(request.size, w, h)?;
    let mut image = source.crop_imm(x, y, w, h);
    if (ow, oh) != (w, h) {
        image = image.resize_exact(ow, oh, image::imageops::FilterType::CatmullRom);
    }
    finish(image, request)
}

/// Mirrors, turns and colours `image` (already cut and scaled) as `request` asks, and encodes
/// it: pixels only.
///
/// # Errors
/// An encoder failure (not expected for 8-bit pixels written to memory) as
/// [`IiifError::BadRequest`].
pub fn finish(mut image: DynamicImage, request: &ImageRequest) -> Result<Vec<u8>, IiifError> {
    if request.mirror {
        image = image.fliph();
    }
    image = match request.degrees {
        90 => image.rotate90(),
        180 => image.rotate180(),
        270 => image.rotate270(),
        _ => image,
    };
    image = match request.quality {
        Quality::Color => DynamicImage::ImageRgb8(image.to_rgb8()),
        Quality::Gray => DynamicImage::ImageLuma8(image.to_luma8()),
        Quality::Bitonal => {
            let mut gray = image.to_luma8();
            for pixel in gray.pixels_mut() {
                pixel.0[0] = if pixel.0[0] >= 128 { 255 } else { 0 };
            }
            DynamicImage::ImageLuma8(gray)
        }
    };
    let mut bytes = Vec::new();
    let format = match request.format {
        Format::Jpg => ImageFormat::Jpeg,
        Format::Png => ImageFormat::Png,
    };
    image
        .write_to(&mut Cursor::new(&mut bytes), format)
        .map_err(|error| bad(format!("cannot encode: {error}")))?;
    Ok(bytes)
}

/// The sizes info.json lists: the full size, then halved while both sides stay at least
/// [`SMALLEST_SIZE`], smallest first (as the spec's examples order them).
fn sizes(width: u32, height: u32) -> Vec<(u32, u32)> {
    let mut sizes = vec![(width, height)];
    let (mut w, mut h) = (width, height);
    while w / 2 >= SMALLEST_SIZE && h / 2 >= SMALLEST_SIZE {
        w = w.div_ceil(2);
        h = h.div_ceil(2);
        sizes.push((w, h));
    }
    sizes.reverse();
    sizes
}

/// The tile scale factors: 1, 2, 4, … while a tile at that factor covers less than the image.
fn scale_factors(width: u32, height: u32) -> Vec<u32> {
    let mut factors = vec![1];
    let mut factor = 1;
    while TILE_SIZE * factor < width.max(height) {
        factor *= 2;
        factors.push(factor);
    }
    factors
}

/// The info.json of a `width` × `height` image whose service is `id` (§5).
pub fn info_json(id: &str, width: u32, height: u32) -> serde_json::Value {
    serde_json::json!({
        "@context": IMAGE_CONTEXT,
        "id": id,
        "type": "ImageService3",
        "protocol": "http://iiif.io/api/image",
        "profile": "level2",
        "width": width,
        "height": height,
        "sizes": sizes(width, height)
            .into_iter()
            .map(|(w, h)| serde_json::json!({"width": w, "height": h}))
            .collect::<Vec<_>>(),
        "tiles": [{"width": TILE_SIZE, "height": TILE_SIZE, "scaleFactors": scale_factors(width, height)}],
        "extraQualities": ["color", "gray", "bitonal"],
        "extraFeatures": ["mirroring"],
    })
}

/// Adds the CORS header every IIIF answer carries (§6.1 of the Image API).
fn with_cors(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}

/// A 400 or 501 answer: the reason in both languages and the detail in English, plain text.
fn refusal(error: IiifError) -> Response {
    let (status, key, detail) = match error {
        IiifError::BadRequest(detail) => (StatusCode::BAD_REQUEST, "iiif_bad_request", detail),
        IiifError::NotImplemented(detail) => {
            (StatusCode::NOT_IMPLEMENTED, "iiif_not_implemented", detail)
        }
    };
    let body = format!("{}: {detail}\n", i18n::both_languages(key));
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    with_cors(response)
}

/// Who asks: the request's viewer, its signed-in account if any, and its address for the view
/// log (read before any `.await`: a request's body is not shared between threads).
struct Asker {
    viewer: Viewer,
    signed: Option<SignedIn>,
    address: Option<String>,
}

impl Asker {
    fn of(site: &Site, request: &Request) -> Self {
        Asker {
            viewer: request
                .extensions()
                .get::<Viewer>()
                .cloned()
                .unwrap_or_default(),
            signed: request.extensions().get::<SignedIn>().cloned(),
            address: super::auth::views::address_of(site, request.headers(), request.extensions()),
        }
    }
}

/// What an image is served from: its display image, and its pyramid when it has one.
struct Source {
    display: PathBuf,
    pyramid: Option<PathBuf>,
}

/// The display image (and pyramid) of file `n` of record `id` as the asker may see it, or
/// `Err(NotFound)` exactly as `/media/{id}/display/{n}` answers it. A non-public file's view is
/// logged first, as media's are.
async fn source_for(
    site: &Arc<Site>,
    asker: Asker,
    id: &str,
    n: &str,
) -> Result<(Viewer, Source), WebError> {
    let Asker {
        viewer,
        signed,
        address,
    } = asker;
    let shown = shown_to(site, &viewer, id)?;
    // Only plain decimal positions name a file: `+1` or `01` are other addresses, not found.
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) || (n.len() > 1 && n.starts_with('0'))
    {
        return Err(WebError::NotFound);
    }
    let n: usize = n.parse().map_err(|_| WebError::NotFound)?;
    let file = shown.record.files.get(n).ok_or(WebError::NotFound)?;
    if !has_derivative(&file.format.mime) {
        return Err(WebError::NotFound);
    }
    let derived = site
        .index
        .stores()
        .find_derivative(&file.sha256, Rendition::Display, shown.files_public)
        .ok_or(WebError::NotFound)?;
    let pyramid = site
        .index
        .stores()
        .find_pyramid(&file.sha256, shown.files_public);
    super::auth::views::log_view(
        site,
        signed.as_ref(),
        &shown.files_rule,
        &shown.record.id,
        Some(&file.path),
        address,
    )
    .await?;
    Ok((
        viewer,
        Source {
            display: derived,
            pyramid,
        },
    ))
}

/// Images cut at once ([`RENDERING`]'s permits): each holds a decoded display image (at most
/// 1600 × 1600 × 3 bytes, 7.7 MB) and its cut, scaled and encoded copies, some 30 MB in all, so
/// the cutting takes at most about 120 MB however many requests arrive; the others wait.
pub const RENDERS: usize = 4;

/// The permits of [`RENDERS`].
static RENDERING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(RENDERS);

/// Decodes the display image at `path` (a derivative Disan wrote itself, still read within the
/// decoder's default limits) and renders `request` from it, off the async threads.
async fn cut(path: PathBuf, request: ImageRequest) -> Result<Result<Vec<u8>, IiifError>, WebError> {
    let _permit = RENDERING.acquire().await.map_err(WebError::internal)?;
    tokio::task::spawn_blocking(move || {
        let mut reader = image::ImageReader::open(&path)?.with_guessed_format()?;
        reader.limits(image::Limits::default());
        let source = reader.decode().map_err(std::io::Error::other)?;
        Ok::<_, std::io::Error>(render(&source, &request))
    })
    .await
    .map_err(WebError::internal)?
    .map_err(WebError::internal)
}

/// Answers `request` from the pyramid at `path`: a stored tile is read as it is (no permit:
/// one read of at most a tile's bytes), anything else composed under a [`RENDERING`] permit.
async fn from_pyramid(
    path: PathBuf,
    request: ImageRequest,
) -> Result<Result<Vec<u8>, IiifError>, WebError> {
    let (path, index, found) = tokio::task::spawn_blocking(move || {
        let index = deep::index(&path)?;
        let found = deep::answer(&path, &index, &request)?;
        Ok::<_, std::io::Error>((path, index, found))
    })
    .await
    .map_err(WebError::internal)?
    .map_err(WebError::internal)?;
    let (rect, size) = match found {
        Ok(deep::Answer::Stored(bytes)) => return Ok(Ok(bytes)),
        Ok(deep::Answer::Compose(rect, size)) => (rect, size),
        Err(error) => return Ok(Err(error)),
    };
    let _permit = RENDERING.acquire().await.map_err(WebError::internal)?;
    tokio::task::spawn_blocking(move || deep::render(&path, &index, &request, rect, size))
        .await
        .map_err(WebError::internal)?
        .map_err(WebError::internal)
}

/// `GET /iiif/3/{id}/{n}`: 303 to its info.json (§2.1).
pub async fn base(
    State(site): State<Arc<Site>>,
    Path((id, n)): Path<(String, String)>,
    request: Request,
) -> Result<Response, WebError> {
    // The same check as info.json, so a forbidden image's base URI is the same 404.
    let (viewer, _) = source_for(&site, Asker::of(&site, &request), &id, &n).await?;
    let mut response = StatusCode::SEE_OTHER.into_response();
    let location = format!("/iiif/3/{id}/{n}/info.json");
    response.headers_mut().insert(
        header::LOCATION,
        HeaderValue::from_str(&location).map_err(WebError::internal)?,
    );
    Ok(super::for_viewer(&viewer, with_cors(response)))
}

/// `GET /iiif/3/{id}/{n}/info.json` (§5): `application/ld+json` with the context as profile when
/// the request's `Accept` asks for JSON-LD, else `application/json` (§5.1).
pub async fn info(
    State(site): State<Arc<Site>>,
    Path((id, n)): Path<(String, String)>,
    request: Request,
) -> Result<Response, WebError> {
    let wants_ld = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|accept| accept.to_str().ok())
        .is_some_and(|accept| accept.contains("application/ld+json"));
    let (viewer, source) = source_for(&site, Asker::of(&site, &request), &id, &n).await?;
    let service = format!("{}/iiif/3/{id}/{n}", site.origin());
    // The size from the pyramid's index or the header alone: no pixel is decoded for info.json.
    let json = tokio::task::spawn_blocking(move || match source.pyramid {
        Some(pyramid) => deep::index(&pyramid).map(|index| deep::info_json(&service, &index)),
        None => image::image_dimensions(source.display)
            .map(|(width, height)| info_json(&service, width, height))
            .map_err(std::io::Error::other),
    })
    .await
    .map_err(WebError::internal)?
    .map_err(WebError::internal)?;
    let content_type = if wants_ld {
        "application/ld+json;profile=\"http://iiif.io/api/image/3/context.json\""
    } else {
        "application/json"
    };
    let mut response = serde_json::to_string_pretty(&json)
        .map_err(WebError::internal)?
        .into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response.headers_mut().insert(
        header::LINK,
        HeaderValue::from_static("<http://iiif.io/api/image/3/level2.json>;rel=\"profile\""),
    );
    Ok(super::for_viewer(&viewer, with_cors(response)))
}

/// `GET /iiif/3/{id}/{n}/{region}/{size}/{rotation}/{quality}.{format}` (§4).
pub async fn image(
    State(site): State<Arc<Site>>,
    Path((id, n, region, size, rotation, quality_format)): Path<(
        String,
        String,
        String,
        String,
        String,
        String,
    )>,
    request: Request,
) -> Result<Response, WebError> {
    // Access first: a forbidden or unknown image is 404 whatever the rest of the request says.
    let (viewer, source) = source_for(&site, Asker::of(&site, &request), &id, &n).await?;
    let parsed = match parse(&region, &size, &rotation, &quality_format) {
        Ok(parsed) => parsed,
        Err(error) => return Ok(super::for_viewer(&viewer, refusal(error))),
    };
    let rendered = match source.pyramid {
        Some(pyramid) => from_pyramid(pyramid, parsed).await?,
        None => cut(source.display, parsed).await?,
    };
    let bytes = match rendered {
        Ok(bytes) => bytes,
        Err(error) => return Ok(super::for_viewer(&viewer, refusal(error))),
    };
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(parsed.format.mime()),
    );
    headers.insert(
        header::LINK,
        HeaderValue::from_str(&format!("<{LEVEL2_PROFILE}>;rel=\"profile\""))
            .map_err(WebError::internal)?,
    );
    Ok(super::for_viewer(&viewer, with_cors(response)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_parsed_and_clipped() {
        let r = parse("10,20,2000,30", "max", "0", "default.jpg").unwrap();
        assert_eq!(region_rect(r.region, 100, 100).unwrap(), (10, 20, 90, 30));
        let r = parse("pct:50,50,50,50", "max", "0", "default.jpg").unwrap();
        assert_eq!(region_rect(r.region, 200, 100).unwrap(), (100, 50, 100, 50));
        let r = parse("square", "max", "0", "default.jpg").unwrap();
        assert_eq!(region_rect(r.region, 300, 100).unwrap(), (100, 0, 100, 100));
        assert!(region_rect(Region::Pixels(100, 0, 5, 5), 100, 100).is_err());
        assert!(matches!(
            parse("0,0,0,5", "max", "0", "default.jpg"),
            Err(IiifError::BadRequest(_))
        ));
        assert!(matches!(
            parse("a,b,c,d", "max", "0", "default.jpg"),
            Err(IiifError::BadRequest(_))
        ));
    }

    #[test]
    fn sizes_never_upscale() {
        assert_eq!(output_size(Size::Width(50), 100, 80).unwrap(), (50, 40));
        assert_eq!(output_size(Size::Height(40), 100, 80).unwrap(), (50, 40));
        assert_eq!(
            output_size(Size::Within(50, 50), 100, 80).unwrap(),
            (50, 40)
        );
        assert_eq!(output_size(Size::Percent(50.0), 100, 80).unwrap(), (50, 40));
        assert!(output_size(Size::Width(101), 100, 80).is_err());
        assert!(matches!(
            parse("full", "^max", "0", "default.jpg"),
            Err(IiifError::NotImplemented(_))
        ));
        assert!(matches!(
            parse("full", "pct:101", "0", "default.jpg"),
            Err(IiifError::BadRequest(_))
        ));
    }

    #[test]
    fn rotation_quality_and_format() {
        let r = parse("full", "max", "!90", "gray.png").unwrap();
        assert!(r.mirror && r.degrees == 90 && r.quality == Quality::Gray);
        assert!(matches!(
            parse("full", "max", "45", "default.jpg"),
            Err(IiifError::NotImplemented(_))
        ));
        assert!(matches!(
            parse("full", "max", "-90", "default.jpg"),
            Err(IiifError::BadRequest(_))
        ));
        assert!(matches!(
            parse("full", "max", "0", "default.gif"),
            Err(IiifError::NotImplemented(_))
        ));
        assert!(matches!(
            parse("full", "max", "0", "default.xyz"),
            Err(IiifError::BadRequest(_))
        ));
        assert!(matches!(
            parse("full", "max", "0", "fancy.jpg"),
            Err(IiifError::BadRequest(_))
        ));
    }

    #[test]
    fn info_lists_tiles_and_sizes() {
        let info = info_json("http://x/iiif/3/a/0", 1000, 600);
        assert_eq!(info["profile"], "level2");
        assert_eq!(
            info["tiles"][0]["scaleFactors"],
            serde_json::json!([1, 2, 4])
        );
        let sizes = info["sizes"].as_array().unwrap();
        assert_eq!(sizes.last().unwrap()["width"], 1000);
        assert!(sizes[0]["height"].as_u64().unwrap() >= 64);
    }
}
