//! Deep-zoom tiles of a large image: a pyramid of [`TILE`]-pixel JPEG tiles derived from the
//! preserved original, so the IIIF image service (`web::iiif`) can serve a 100-megapixel
//! scanned pattern at full resolution without decoding it again per request.
//!
//! # What is made, and for which images
//! Every image whose upright long side is at least [`super::DISPLAY_SIZE`] (so larger than, or
//! as large as, its display image) gets one file, `pyramid.tiles`, beside its display image in
//! the derivative store (public or private, the same folder: moved, pruned and withheld with the
//! other derivatives of the same bytes). Level 0 is the original's full size, turned upright per
//! its EXIF orientation; level `k` is `ceil(width / 2^k)` × `ceil(height / 2^k)` (the sizes an
//! IIIF client computes for scale factor `2^k`), each made from the level above; the last level
//! fits in one tile. Each level is cut into tiles of [`TILE`] × [`TILE`] pixels from its top left
//! (edge tiles smaller), each tile an independent baseline JPEG of pixels only: no EXIF, so no
//! GPS, ever.
//!
//! The pyramid is made in the same worker process, and from the same decoded pixels, as the
//! display image and thumbnail ([`crate::index::sandbox`]): no further decode of the untrusted
//! file, within that worker's memory and time budgets. The original's pixels are let go once the
//! second level is made, so the peak is the decoded image plus a quarter of it.
//!
//! # The file
//! `tiles… | index (JSON) | index length (u64, little-endian) | magic "DSNTILE1"`. The index
//! ([`Pyramid`]) names each level's size and each tile's offset and length, row by row. It is
//! written to a temporary name and renamed, so a reader never sees half a pyramid; it is
//! rebuildable like every derivative (deleting `index/` and running `disan reindex` makes it
//! again).

use std::fs;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};

use super::store::{create_store_folder, encode_jpeg, orient, write_new};
use super::{DISPLAY_SIZE, DecodedImage, DeriveError};

/// Width and height of a tile, in pixels (edge tiles are smaller).
pub const TILE: u32 = 256;

/// The pyramid's file name in a derivative folder.
pub const FILE_NAME: &str = "pyramid.tiles";

/// The last eight bytes of a pyramid file.
const MAGIC: &[u8; 8] = b"DSNTILE1";

/// Largest index a reader accepts: 16 MiB (a 128-megapixel image's index is some 200 KB).
const MAX_INDEX: u64 = 16 << 20;

/// The index of a pyramid file: sizes in pixels, tiles as `(offset, length)` in bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pyramid {
    /// Full (level 0) width, upright.
    pub width: u32,
    /// Full (level 0) height, upright.
    pub height: u32,
    /// Tile side in pixels ([`TILE`]).
    pub tile: u32,
    /// Level 0 (full size) first; level `k` is scaled by `1 / 2^k`.
    pub levels: Vec<Level>,
}

/// One level of a [`Pyramid`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Level {
    /// Width of the level in pixels.
    pub width: u32,
    /// Height of the level in pixels.
    pub height: u32,
    /// Its tiles, row by row, each `(offset, length)` in the file.
    pub tiles: Vec<(u64, u32)>,
}

impl Level {
    /// Tiles across.
    pub fn columns(&self, tile: u32) -> u32 {
        self.width.div_ceil(tile)
    }

    /// Tiles down.
    pub fn rows(&self, tile: u32) -> u32 {
        self.height.div_ceil(tile)
    }
}

impl Pyramid {
    /// The scale factor of level `level` (`2^level`).
    pub fn scale(level: usize) -> u32 {
        1 << level
    }

    /// Where tile `(column, row)` of `level` is in the file, and its width and height; `None`
    /// outside the pyramid.
    pub fn tile_at(&self, level: usize, column: u32, row: u32) -> Option<((u64, u32), (u32, u32))> {
        let at = self.levels.get(level)?;
        let columns = at.columns(self.tile);
        if column >= columns || row >= at.rows(self.tile) {
            return None;
        }
        let place = *at
            .tiles
            .get(usize::try_from(u64::from(row) * u64::from(columns) + u64::from(column)).ok()?)?;
        let width = self.tile.min(at.width - column * self.tile);
        let height = self.tile.min(at.height - row * self.tile);
        Some((place, (width, height)))
    }
}

/// Whether an image of `width` × `height` pixels gets a pyramid: its long side is at least
/// [`DISPLAY_SIZE`] (smaller images are served from their display image, which is all of them).
pub fn wanted(width: u32, height: u32) -> bool {
    width.max(height) >= DISPLAY_SIZE
}

/// The sizes of the levels of a pyramid of an upright `width` × `height` image, full size first,
/// halved (rounding up) until one tile holds the level.
pub fn level_sizes(width: u32, height: u32) -> Vec<(u32, u32)> {
    let mut sizes = vec![(width, height)];
    let (mut w, mut h) = (width, height);
    while w.max(h) > TILE {
        w = w.div_ceil(2);
        h = h.div_ceil(2);
        sizes.push((w, h));
    }
    sizes
}

/// Whether `orientation` (EXIF, 1 to 8) turns the picture a quarter (width and height swap).
fn swaps(orientation: u16) -> bool {
    (5..=8).contains(&orientation)
}

/// The rectangle `(x, y, w, h)` of a `width` × `height` stored image that becomes the upright
/// rectangle `(ux, uy, uw, uh)` once turned per `orientation` (as [`orient`] turns it). Cropping
/// that and turning the crop gives the upright crop, without turning the whole picture.
fn stored_rect(
    orientation: u16,
    width: u32,
    height: u32,
    (ux, uy, uw, uh): (u32, u32, u32, u32),
) -> (u32, u32, u32, u32) {
    match orientation {
        2 => (width - ux - uw, uy, uw, uh),
        3 => (width - ux - uw, height - uy - uh, uw, uh),
        4 => (ux, height - uy - uh, uw, uh),
        5 => (uy, ux, uh, uw),
        6 => (uy, height - ux - uw, uh, uw),
        7 => (width - uy - uh, height - ux - uw, uh, uw),
        8 => (width - uy - uh, ux, uh, uw),
        _ => (ux, uy, uw, uh),
    }
}

/// The pixels of `(x, y, w, h)` of `image`.
fn crop(image: &DecodedImage, (x, y, w, h): (u32, u32, u32, u32)) -> DecodedImage {
    let stride = image.width as usize * 3;
    let mut rgb = Vec::with_capacity(w as usize * h as usize * 3);
    for row in y..y + h {
        let start = row as usize * stride + x as usize * 3;
        rgb.extend_from_slice(&image.rgb[start..start + w as usize * 3]);
    }
    DecodedImage::from_rgb8(w, h, rgb, image.upright)
}

/// Output rows [`halve`] makes at a time.
const BAND_ROWS: u32 = 256;

/// `image` halved (rounding up) to `width` × `height` with a box filter: each pixel the mean
/// of the 2 × 2 pixels above it. Made in bands of [`BAND_ROWS`] rows, so the resizer's
/// intermediate buffer is a band's, not half the picture's (191 MB for a 127-megapixel scan,
/// which its worker's address space could not also hold). A band's source rows start on an
/// even row, so bands give the same pixels as the whole.
///
/// # Errors
/// [`DeriveError::Budget`] when the level's memory cannot be had, [`DeriveError::Decode`] when
/// the resizer refuses the sizes (not expected).
fn halve(image: &DecodedImage, width: u32, height: u32) -> Result<DecodedImage, DeriveError> {
    let failed = |error: &dyn std::fmt::Display| DeriveError::Decode(error.to_string());
    let stride = image.width as usize * 3;
    let mut rgb = Vec::new();
    rgb.try_reserve_exact(width as usize * height as usize * 3)
        .map_err(|_| DeriveError::Budget(super::OUT_OF_MEMORY.to_string()))?;
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Box));
    let mut resizer = Resizer::new();
    let mut row = 0;
    while row < height {
        let rows = BAND_ROWS.min(height - row);
        let (from, to) = (row * 2, (row * 2 + rows * 2).min(image.height));
        let band = ImageRef::new(
            image.width,
            to - from,
            &image.rgb[from as usize * stride..to as usize * stride],
            PixelType::U8x3,
        )
        .map_err(|e| failed(&e))?;
        let mut target = Image::new(width, rows, PixelType::U8x3);
        resizer
            .resize(&band, &mut target, &options)
            .map_err(|e| failed(&e))?;
        rgb.extend_from_slice(target.buffer());
        row += rows;
    }
    Ok(DecodedImage::from_rgb8(width, height, rgb, image.upright))
}

/// Writes the pyramid of `image` (as stored, to be turned per the EXIF `orientation` unless the
/// decoder turned it already) to `path`, through a temporary file in the same folder. Takes the
/// image so its pixels are let go as soon as the next level is made. Each level is the one above
/// halved with a box filter (the mean of 2 × 2 pixels), as image pyramids are made.
///
/// `display` is called once with the smallest level whose long side is still at least
/// [`DISPLAY_SIZE`] (as stored, not turned), to make the display image from it.
///
/// # Errors
/// [`DeriveError::Io`] writing, [`DeriveError::Encode`] encoding, [`DeriveError::Decode`] when
/// a level cannot be resized; whatever `display` returns.
pub fn write(
    path: &Path,
    image: DecodedImage,
    orientation: Option<u16>,
    display: impl FnOnce(&DecodedImage) -> Result<(), DeriveError>,
) -> Result<(), DeriveError> {
    let io_error = |source| DeriveError::Io {
        path: path.to_path_buf(),
        source,
    };
    let orientation = if image.upright {
        1
    } else {
        orientation.filter(|o| (1..=8).contains(o)).unwrap_or(1)
    };
    let temp = path.with_extension(format!("tmp-{}", std::process::id()));
    // Its folder made as every derivative's is: never through a link planted in the store.
    create_store_folder(path.parent().unwrap_or(path)).map_err(io_error)?;
    write_new(&temp, b"").map_err(io_error)?;
    let written = write_levels(path, &temp, image, orientation, display);
    if let Err(error) = written {
        let _ = fs::remove_file(&temp);
        return Err(error);
    }
    fs::rename(&temp, path).map_err(io_error)
}

/// The body of [`write`]: every level's tiles, then the index and trailer, into `temp` (a new
/// empty file beside `path`, which names the pyramid in errors). `orientation` is 1 to 8.
fn write_levels(
    path: &Path,
    temp: &Path,
    image: DecodedImage,
    orientation: u16,
    display: impl FnOnce(&DecodedImage) -> Result<(), DeriveError>,
) -> Result<(), DeriveError> {
    let io_error = |source| DeriveError::Io {
        path: path.to_path_buf(),
        source,
    };
    let (full_w, full_h) = if swaps(orientation) {
        (image.height, image.width)
    } else {
        (image.width, image.height)
    };
    let mut file = io::BufWriter::new(
        fs::OpenOptions::new()
            .write(true)
            .open(temp)
            .map_err(io_error)?,
    );
    let mut offset = 0u64;
    let mut levels = Vec::new();
    let mut current = image;
    let sizes = level_sizes(full_w, full_h);
    let display_level = sizes
        .iter()
        .rposition(|&(w, h)| w.max(h) >= DISPLAY_SIZE)
        .unwrap_or(0);
    let mut display = Some(display);
    for (number, (level_w, level_h)) in sizes.into_iter().enumerate() {
        if number > 0 {
            let (stored_w, stored_h) = if swaps(orientation) {
                (level_h, level_w)
            } else {
                (level_w, level_h)
            };
            current = halve(&current, stored_w, stored_h)?;
        }
        if number == display_level
            && let Some(display) = display.take()
        {
            display(&current)?;
        }
        let mut tiles = Vec::new();
        for row in 0..level_h.div_ceil(TILE) {
            for column in 0..level_w.div_ceil(TILE) {
                let (ux, uy) = (column * TILE, row * TILE);
                let upright = (ux, uy, TILE.min(level_w - ux), TILE.min(level_h - uy));
                let rect = stored_rect(orientation, current.width, current.height, upright);
                let pixels = orient(crop(&current, rect), orientation);
                let encoded = encode_jpeg(path, &pixels)?;
                file.write_all(&encoded).map_err(io_error)?;
                tiles.push((offset, encoded.len() as u32));
                offset += encoded.len() as u64;
            }
        }
        levels.push(Level {
            width: level_w,
            height: level_h,
            tiles,
        });
    }
    drop(current);
    let index = serde_json::to_vec(&Pyramid {
        width: full_w,
        height: full_h,
        tile: TILE,
        levels,
    })
    .map_err(|error| io_error(io::Error::other(error)))?;
    file.write_all(&index).map_err(io_error)?;
    file.write_all(&(index.len() as u64).to_le_bytes())
        .map_err(io_error)?;
    file.write_all(MAGIC).map_err(io_error)?;
    file.flush().map_err(io_error)
}

/// Reads the index of the pyramid file at `path` (not through a symbolic link), checking that
/// it is whole: the magic at the end, an index of sensible length that parses, levels of the
/// sizes [`level_sizes`] gives, and every tile within the file.
///
/// # Errors
/// The I/O error of reading, or `InvalidData` saying what is wrong.
pub fn read_index(path: &Path) -> io::Result<Pyramid> {
    let invalid = |what: &str| io::Error::new(io::ErrorKind::InvalidData, what.to_string());
    if fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(invalid("a pyramid is never read through a link"));
    }
    let mut file = fs::File::open(path)?;
    let length = file.metadata()?.len();
    if length < 16 {
        return Err(invalid("too short for a pyramid"));
    }
    let mut trailer = [0u8; 16];
    file.seek(SeekFrom::Start(length - 16))?;
    file.read_exact(&mut trailer)?;
    if !trailer.ends_with(MAGIC) {
        return Err(invalid("no pyramid trailer"));
    }
    let index_length = u64::from_le_bytes(trailer[..8].try_into().unwrap_or_default());
    if index_length > MAX_INDEX || index_length > length - 16 {
        return Err(invalid("the pyramid's index is too long"));
    }
    let index_start = length - 16 - index_length;
    let mut index = vec![0u8; index_length as usize];
    file.seek(SeekFrom::Start(index_start))?;
    file.read_exact(&mut index)?;
    let pyramid: Pyramid =
        serde_json::from_slice(&index).map_err(|error| invalid(&error.to_string()))?;
    let sizes = level_sizes(pyramid.width, pyramid.height);
    let well_formed = pyramid.tile == TILE
        && pyramid.levels.len() == sizes.len()
        && pyramid.levels.iter().zip(&sizes).all(|(level, &(w, h))| {
            (level.width, level.height) == (w, h)
                && level.tiles.len() as u64
                    == u64::from(level.columns(TILE)) * u64::from(level.rows(TILE))
                && level
                    .tiles
                    .iter()
                    .all(|&(offset, len)| len > 0 && offset + u64::from(len) <= index_start)
        });
    if !well_formed {
        return Err(invalid("the pyramid's index does not match its tiles"));
    }
    Ok(pyramid)
}

/// The bytes of one tile, `(offset, length)` as the index gives it, of the file at `path`.
///
/// # Errors
/// The I/O error of reading.
pub fn read_tile(path: &Path, (offset, length): (u64, u32)) -> io::Result<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    let file = fs::File::open(path)?;
    let mut bytes = vec![0u8; length as usize];
    file.read_exact_at(&mut bytes, offset)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gradient(width: u32, height: u32) -> DecodedImage {
        let mut rgb = Vec::with_capacity((width * height * 3) as usize);
        for y in 0..height {
            for x in 0..width {
                rgb.extend([(x % 251) as u8, (y % 241) as u8, ((x + y) % 239) as u8]);
            }
        }
        DecodedImage::from_rgb8(width, height, rgb, false)
    }

    /// Cropping the stored picture and turning the crop is the same as turning the picture and
    /// cropping it, for every EXIF orientation.
    #[test]
    fn stored_rectangles_turn_into_the_upright_ones() {
        let image = gradient(7, 5);
        for orientation in 1..=8u16 {
            let whole = orient(
                DecodedImage::from_rgb8(7, 5, image.rgb.clone(), false),
                orientation,
            );
            let upright = (1, 2, 3, 2);
            let expected = crop(&whole, upright);
            let rect = stored_rect(orientation, 7, 5, upright);
            let turned = orient(crop(&image, rect), orientation);
            assert_eq!(
                (turned.width, turned.height, &turned.rgb),
                (expected.width, expected.height, &expected.rgb),
                "orientation {orientation}"
            );
        }
    }

    #[test]
    fn a_pyramid_is_written_whole_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        // Orientation 6: stored 1700 × 600, upright 600 × 1700.
        let mut shown = None;
        write(&path, gradient(1700, 600), Some(6), |level| {
            shown = Some((level.width, level.height));
            Ok(())
        })
        .unwrap();
        // The display image is made from level 0, the only one as large as the display.
        assert_eq!(shown, Some((1700, 600)));
        let pyramid = read_index(&path).unwrap();
        assert_eq!((pyramid.width, pyramid.height), (600, 1700));
        let sizes: Vec<(u32, u32)> = pyramid.levels.iter().map(|l| (l.width, l.height)).collect();
        // Halved until one tile holds the level: 75 × 213 fits in 256 × 256.
        assert_eq!(sizes, vec![(600, 1700), (300, 850), (150, 425), (75, 213)]);
        // The last tile of level 0 is 600 - 512 = 88 wide and 1700 - 1536 = 164 high.
        let (place, size) = pyramid.tile_at(0, 2, 6).unwrap();
        assert_eq!(size, (88, 164));
        let tile = image::load_from_memory(&read_tile(&path, place).unwrap()).unwrap();
        assert_eq!((tile.width(), tile.height()), (88, 164));
        assert!(pyramid.tile_at(0, 3, 0).is_none());
        // A truncated file is not a pyramid.
        let bytes = fs::read(&path).unwrap();
        fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        assert!(read_index(&path).is_err());
    }

    /// Halving in bands gives each pixel the mean of the 2 × 2 above it, across band edges and
    /// at an odd last row and column.
    #[test]
    fn halving_averages_two_by_two_in_bands() {
        let (width, height) = (5, 2 * BAND_ROWS + 3);
        let image = gradient(width, height);
        let half = halve(&image, 3, BAND_ROWS + 2).unwrap();
        let at = |img: &DecodedImage, x: u32, y: u32| {
            let i = ((y * img.width + x) * 3) as usize;
            [img.rgb[i], img.rgb[i + 1], img.rgb[i + 2]]
        };
        for (x, y) in [
            (0, 0),
            (1, BAND_ROWS - 1),
            (1, BAND_ROWS),
            (2, BAND_ROWS + 1),
        ] {
            let xs: Vec<u32> = [2 * x, 2 * x + 1]
                .into_iter()
                .filter(|&v| v < width)
                .collect();
            let ys: Vec<u32> = [2 * y, 2 * y + 1]
                .into_iter()
                .filter(|&v| v < height)
                .collect();
            for channel in 0..3 {
                let values: Vec<f64> = ys
                    .iter()
                    .flat_map(|&sy| xs.iter().map(move |&sx| (sx, sy)))
                    .map(|(sx, sy)| f64::from(at(&image, sx, sy)[channel]))
                    .collect();
                let mean = values.iter().sum::<f64>() / values.len() as f64;
                let got = f64::from(at(&half, x, y)[channel]);
                assert!(
                    (got - mean).abs() <= 1.0,
                    "{x},{y}/{channel}: {got} vs {mean}"
                );
            }
        }
    }

    #[test]
    fn only_images_as_large_as_the_display_get_one() {
        assert!(!wanted(1599, 1000));
        assert!(wanted(1000, 1600));
        assert_eq!(level_sizes(256, 100), vec![(256, 100)]);
        assert_eq!(level_sizes(257, 100), vec![(257, 100), (129, 50)]);
    }
}
