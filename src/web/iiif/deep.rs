//! Deep zoom: IIIF image requests for an image that has a pyramid of tiles
//! ([`crate::index::derivatives::pyramid`], derived from the preserved original at ingest), so
//! a 100-megapixel scan is read at full resolution.
//!
//! - **info.json** gives the original's full (upright) size, `tiles` of
//!   [`pyramid::TILE`] pixels at the pyramid's scale factors, its levels as `sizes`, and
//!   [`MAX_AREA`] as `maxArea`.
//! - **A request that is a stored tile** (its region starts on the tile grid of a level and
//!   spans one tile, its size that tile's, `0` rotation, `default`/`color` quality, `jpg`) is
//!   answered with the stored bytes: one read, no decoding (the fast path a viewer such as
//!   OpenSeadragon takes for every tile).
//! - **Any other request** is composed from the tiles of the coarsest level that still has at
//!   least the pixels asked for, then scaled, turned and encoded as for small images
//!   ([`super::finish`]). The work is bounded: the answer is at most [`MAX_AREA`] pixels
//!   (`max` is scaled down to it, a larger size is refused with 400), and the pixels decoded for
//!   it at most [`COMPOSE_AREA`] (a request whose aspect ratio would need more is composed from a
//!   coarser level). Composing takes one of [`super::RENDERS`] permits, as cutting does.
//!
//! Access is decided before any of this, by the caller ([`super::source_for`]): the pyramid's
//! path is only known to a request admitted to the record's files.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use image::{DynamicImage, RgbImage};

use super::{IiifError, ImageRequest, Quality, Size, bad, output_size, region_rect};
use crate::index::derivatives::pyramid::{self, Pyramid};

/// Most pixels of one answer (`maxArea` in info.json): 2,560,000, a display image's
/// 1600 × 1600. `max` is scaled down to it; a larger size is refused.
pub const MAX_AREA: u64 = 2_560_000;

/// Most pixels decoded from tiles to compose one answer: 4 × [`MAX_AREA`] (30 MB of RGB).
pub const COMPOSE_AREA: u64 = 4 * MAX_AREA;

/// Pyramid indexes kept in memory at once (each some 10–200 KB).
const CACHED: usize = 64;

type Cache = HashMap<PathBuf, (u64, Option<SystemTime>, Arc<Pyramid>)>;

/// Parsed indexes by pyramid path, checked against the file's length and time. Keyed by path
/// only: a path is only ever looked up after the request was admitted to that file.
static INDEXES: Mutex<Option<Cache>> = Mutex::new(None);

/// The index of the pyramid at `path`, from memory when the file has not changed.
///
/// # Errors
/// As [`pyramid::read_index`].
pub fn index(path: &Path) -> std::io::Result<Arc<Pyramid>> {
    let metadata = std::fs::symlink_metadata(path)?;
    let stamp = (metadata.len(), metadata.modified().ok());
    {
        let cache = INDEXES
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((len, time, pyramid)) = cache.as_ref().and_then(|c| c.get(path))
            && (*len, *time) == stamp
        {
            return Ok(Arc::clone(pyramid));
        }
    }
    let pyramid = Arc::new(pyramid::read_index(path)?);
    let mut cache = INDEXES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let cache = cache.get_or_insert_with(HashMap::new);
    if cache.len() >= CACHED {
        cache.clear();
    }
    cache.insert(path.to_path_buf(), (stamp.0, stamp.1, Arc::clone(&pyramid)));
    Ok(pyramid)
}

/// The info.json of an image whose service is `id` and whose pyramid is `pyramid` (§5).
pub fn info_json(id: &str, pyramid: &Pyramid) -> serde_json::Value {
    let mut sizes: Vec<serde_json::Value> = pyramid
        .levels
        .iter()
        .filter(|level| u64::from(level.width) * u64::from(level.height) <= MAX_AREA)
        .map(|level| serde_json::json!({"width": level.width, "height": level.height}))
        .collect();
    sizes.reverse();
    let factors: Vec<u32> = (0..pyramid.levels.len()).map(Pyramid::scale).collect();
    serde_json::json!({
        "@context": super::IMAGE_CONTEXT,
        "id": id,
        "type": "ImageService3",
        "protocol": "http://iiif.io/api/image",
        "profile": "level2",
        "width": pyramid.width,
        "height": pyramid.height,
        "maxArea": MAX_AREA,
        "sizes": sizes,
        "tiles": [{"width": pyramid.tile, "height": pyramid.tile, "scaleFactors": factors}],
        "extraQualities": ["color", "gray", "bitonal"],
        "extraFeatures": ["mirroring"],
    })
}

/// The output size of a `w` × `h` region, as [`output_size`], within [`MAX_AREA`]: `max` is
/// scaled down to fit it (§4.2: "the maximum size available"), any other size over it is
/// refused.
///
/// # Errors
/// As [`output_size`]; [`IiifError::BadRequest`] over [`MAX_AREA`].
pub fn bounded_size(size: Size, w: u32, h: u32) -> Result<(u32, u32), IiifError> {
    let (ow, oh) = output_size(size, w, h)?;
    let area = u64::from(ow) * u64::from(oh);
    if area <= MAX_AREA {
        return Ok((ow, oh));
    }
    if size == Size::Max {
        let scale = (MAX_AREA as f64 / area as f64).sqrt();
        let fit = |side: u32| ((f64::from(side) * scale).floor() as u32).max(1);
        return Ok((fit(ow), fit(oh)));
    }
    Err(bad(format!(
        "{ow}x{oh} is larger than this image's maxArea of {MAX_AREA} pixels"
    )))
}

/// The stored tile that is exactly `request` (region `rect`, output `size`), if one is: its
/// place in the pyramid file.
fn stored_tile(
    pyramid: &Pyramid,
    request: &ImageRequest,
    (x, y, w, h): (u32, u32, u32, u32),
    size: (u32, u32),
) -> Option<(u64, u32)> {
    if request.degrees != 0
        || request.mirror
        || request.quality != Quality::Color
        || request.format != super::Format::Jpg
    {
        return None;
    }
    (0..pyramid.levels.len()).find_map(|level| {
        let span = u64::from(pyramid.tile) * u64::from(Pyramid::scale(level));
        let (x, y) = (u64::from(x), u64::from(y));
        if x % span != 0 || y % span != 0 {
            return None;
        }
        let full = (u64::from(pyramid.width), u64::from(pyramid.height));
        if (u64::from(w), u64::from(h)) != (span.min(full.0 - x), span.min(full.1 - y)) {
            return None;
        }
        let (place, tile_size) = pyramid.tile_at(level, (x / span) as u32, (y / span) as u32)?;
        (tile_size == size).then_some(place)
    })
}

/// The pixels of region `(x, y, w, h)` (full-size coordinates) of the pyramid at `path`, read
/// from the coarsest level that holds at least `out` pixels across and down (and decodes at
/// most [`COMPOSE_AREA`] pixels); not yet scaled to `out`.
fn compose(
    path: &Path,
    pyramid: &Pyramid,
    (x, y, w, h): (u32, u32, u32, u32),
    (ow, oh): (u32, u32),
) -> std::io::Result<RgbImage> {
    let ratio = (f64::from(w) / f64::from(ow)).min(f64::from(h) / f64::from(oh));
    let top = pyramid.levels.len() - 1;
    let mut level = (0..=top)
        .rev()
        .find(|&level| f64::from(Pyramid::scale(level)) <= ratio)
        .unwrap_or(0);
    let span_at = |level: usize| {
        let s = Pyramid::scale(level);
        let at = &pyramid.levels[level];
        let (x0, y0) = (x / s, y / s);
        let x1 = (x + w).div_ceil(s).min(at.width).max(x0 + 1);
        let y1 = (y + h).div_ceil(s).min(at.height).max(y0 + 1);
        (x0, y0, x1, y1)
    };
    let area = |(x0, y0, x1, y1): (u32, u32, u32, u32)| u64::from(x1 - x0) * u64::from(y1 - y0);
    while level < top && area(span_at(level)) > COMPOSE_AREA {
        level += 1;
    }
    let (x0, y0, x1, y1) = span_at(level);
    let tile = pyramid.tile;
    let mut canvas = RgbImage::new(x1 - x0, y1 - y0);
    for row in y0 / tile..=(y1 - 1) / tile {
        for column in x0 / tile..=(x1 - 1) / tile {
            let Some((place, _)) = pyramid.tile_at(level, column, row) else {
                continue;
            };
            let bytes = pyramid::read_tile(path, place)?;
            let pixels = image::load_from_memory_with_format(&bytes, image::ImageFormat::Jpeg)
                .map_err(std::io::Error::other)?
                .to_rgb8();
            let (tx, ty) = (column * tile, row * tile);
            // The part of this tile inside the span, in canvas coordinates.
            let (from_x, from_y) = (x0.max(tx), y0.max(ty));
            let to_x = x1.min(tx + pixels.width());
            let to_y = y1.min(ty + pixels.height());
            for py in from_y..to_y {
                let source = ((py - ty) * pixels.width() + (from_x - tx)) as usize * 3;
                let target = ((py - y0) * canvas.width() + (from_x - x0)) as usize * 3;
                let len = (to_x - from_x) as usize * 3;
                canvas.as_mut()[target..target + len]
                    .copy_from_slice(&pixels.as_raw()[source..source + len]);
            }
        }
    }
    Ok(canvas)
}

/// Answers `request` from the pyramid at `path` (whose index is `pyramid`): the stored tile it
/// is, what to compose, or why not (§7.1). Blocking: run off the async threads.
///
/// # Errors
/// The outer error is the server's: a stored tile that cannot be read (not expected of tiles
/// Disan wrote; a 500 that says nothing internal). The inner one is the request's, as
/// [`region_rect`] and [`bounded_size`].
pub fn answer(
    path: &Path,
    pyramid: &Pyramid,
    request: &ImageRequest,
) -> std::io::Result<Result<Answer, IiifError>> {
    let rect = match region_rect(request.region, pyramid.width, pyramid.height) {
        Ok(rect) => rect,
        Err(error) => return Ok(Err(error)),
    };
    let size = match bounded_size(request.size, rect.2, rect.3) {
        Ok(size) => size,
        Err(error) => return Ok(Err(error)),
    };
    if let Some(place) = stored_tile(pyramid, request, rect, size) {
        return pyramid::read_tile(path, place).map(|bytes| Ok(Answer::Stored(bytes)));
    }
    Ok(Ok(Answer::Compose(rect, size)))
}

/// What [`answer`] found to do.
#[derive(Debug)]
pub enum Answer {
    /// A stored tile's bytes, to send as they are.
    Stored(Vec<u8>),
    /// To compose: the region `(x, y, w, h)` and the output size.
    Compose((u32, u32, u32, u32), (u32, u32)),
}

/// Composes region `rect` at output `size` from the pyramid at `path` and finishes it as
/// `request` asks ([`super::finish`]).
///
/// # Errors
/// The outer error is the server's: a tile that cannot be read or decoded (not expected of
/// tiles Disan wrote). The inner one as [`super::finish`].
pub fn render(
    path: &Path,
    pyramid: &Pyramid,
    request: &ImageRequest,
    rect: (u32, u32, u32, u32),
    size: (u32, u32),
) -> std::io::Result<Result<Vec<u8>, IiifError>> {
    let canvas = compose(path, pyramid, rect, size)?;
    let mut image = DynamicImage::ImageRgb8(canvas);
    if (image.width(), image.height()) != size {
        image = image.resize_exact(size.0, size.1, image::imageops::FilterType::CatmullRom);
    }
    Ok(super::finish(image, request))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_is_scaled_into_the_area_and_larger_sizes_are_refused() {
        let (w, h) = bounded_size(Size::Max, 12_000, 8_400).unwrap();
        assert!(u64::from(w) * u64::from(h) <= MAX_AREA, "{w}x{h}");
        assert!(w >= 1_900 && h >= 1_300, "{w}x{h}");
        assert!(bounded_size(Size::Width(3_000), 12_000, 8_400).is_err());
        assert_eq!(
            bounded_size(Size::Width(1_000), 12_000, 8_400).unwrap(),
            (1_000, 700)
        );
    }
}
