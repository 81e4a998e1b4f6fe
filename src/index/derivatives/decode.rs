//! Raster images read and decoded: the structure walked before any pixel (size, damage, motion
//! photos, variants no decoder here draws), then a full decode within the memory budget, which
//! also proves the file whole.

use std::fs;
use std::io;
use std::path::Path;

use super::{DecodedImage, DeriveError};

/// Whether [`decode`] can read images of this media type.
pub fn can_decode(mime: &str) -> bool {
    matches!(
        mime,
        "image/jpeg" | "image/png" | "image/gif" | "image/tiff" | "image/webp" | "image/bmp"
    ) || crate::index::heif::handles(mime)
}

/// Decodes a raster image file fully, which also proves it is not corrupt or truncated.
///
/// The file is read whole for [`inspect`], then let go: a JPEG or TIFF ending where its picture
/// ends is decoded from the file, so the decoder's memory is not added to a copy of the file
/// (a 131 MB JPEG of 800×600 pixels, or a 216 MB 16-bit TIFF scan, fits a worker's budget).
///
/// Errors: as [`decode_bytes`], and [`DeriveError::Io`] when the file cannot be read.
pub fn decode(path: &Path) -> Result<DecodedImage, DeriveError> {
    let bytes = read_source(path)?;
    if crate::index::heif::is_heif(&bytes) {
        return crate::index::heif::decode_heif(&bytes);
    }
    let inspection = inspect(&bytes)?;
    let from_file = inspection.trailing == 0
        && matches!(
            inspection.format,
            Some(image::ImageFormat::Jpeg | image::ImageFormat::Tiff)
        );
    if !from_file {
        return decode_inspected(
            io::Cursor::new(&bytes[..inspection.end]),
            inspection,
            || Ok(bytes.clone()),
        );
    }
    drop(bytes);
    if inspection.format == Some(image::ImageFormat::Tiff)
        && inspection.unsupported.is_none()
        && inspection.over_budget.is_none()
        && let Some(decoded) = decode_tiff16_by_strips(path)
    {
        return decoded;
    }
    let file = fs::File::open(path).map_err(|source| DeriveError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let file = io::BufReader::new(file);
    decode_inspected(file, inspection, || fs::read(path))
}

/// What a raster image declares, read from its structure without decoding pixels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    /// Declared width in pixels.
    pub width: u32,
    /// Declared height in pixels.
    pub height: u32,
    /// Bytes of the picture proper; a JPEG may be followed by more (a motion photo's video).
    pub end: usize,
    /// Bytes after the picture proper.
    pub trailing: usize,
    /// The XMP of a JPEG names an embedded video (a phone's motion photo).
    pub motion_photo: bool,
    /// Set when the file is well-formed in a variant our decoders cannot draw: what it is.
    pub unsupported: Option<String>,
    /// Set when the picture declares more pixels than a preview is made of
    /// ([`crate::index::sandbox::MAX_PIXELS`]): why, in words. Such a file is kept without a
    /// preview rather than refused, since large scans of maps and posters are real masters.
    pub over_budget: Option<String>,
    format: Option<image::ImageFormat>,
}

impl Inspection {
    /// Declared pixels (width × height).
    pub fn pixels(&self) -> u64 {
        u64::from(self.width) * u64::from(self.height)
    }
}

/// Reads a raster image's structure (JPEG markers, TIFF directories, other formats' headers)
/// and checks its declared size against [`crate::index::sandbox::MAX_PIXELS`], all before any
/// pixel is decoded.
///
/// Errors: [`DeriveError::Decode`] for a damaged structure (a truncated JPEG, a TIFF strip past
/// the end of the file), [`DeriveError::Budget`] for too many pixels.
pub fn inspect(bytes: &[u8]) -> Result<Inspection, DeriveError> {
    use crate::index::image_structure::{walk_jpeg, walk_tiff};
    let mut inspection = if crate::index::heif::is_heif(bytes) {
        // libheif parses the boxes (no pixel is decoded); its own limits apply.
        let size = crate::index::heif::measure(bytes)?;
        Inspection {
            width: size.stored.0,
            height: size.stored.1,
            end: bytes.len(),
            trailing: 0,
            motion_photo: false,
            unsupported: None,
            over_budget: None,
            format: None,
        }
    } else if bytes.starts_with(&[0xFF, 0xD8]) {
        let layout = walk_jpeg(bytes).map_err(DeriveError::Decode)?;
        Inspection {
            width: layout.width,
            height: layout.height,
            end: layout.end,
            trailing: bytes.len() - layout.end,
            motion_photo: layout.motion_photo,
            unsupported: layout.unsupported_process().map(str::to_string),
            over_budget: None,
            format: Some(image::ImageFormat::Jpeg),
        }
    } else if [b"II*\0", b"MM\0*", b"II+\0", b"MM\0+"]
        .iter()
        .any(|magic| bytes.starts_with(*magic))
    {
        let layout = walk_tiff(bytes).map_err(DeriveError::Decode)?;
        Inspection {
            width: layout.width,
            height: layout.height,
            end: bytes.len(),
            trailing: 0,
            motion_photo: false,
            unsupported: None,
            over_budget: None,
            format: Some(image::ImageFormat::Tiff),
        }
    } else {
        let mut reader = image::ImageReader::new(io::Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|error| DeriveError::Decode(error.to_string()))?;
        reader.limits(header_limits());
        let format = reader.format();
        let (width, height) = reader
            .into_dimensions()
            .map_err(|error| DeriveError::Decode(error.to_string()))?;
        Inspection {
            width,
            height,
            end: bytes.len(),
            trailing: 0,
            motion_photo: false,
            unsupported: None,
            over_budget: None,
            format,
        }
    };
    if inspection.unsupported.is_none() && inspection.pixels() > crate::index::sandbox::MAX_PIXELS {
        inspection.over_budget = Some(format!(
            "{}x{} pixels is over the {}-megapixel budget for previews",
            inspection.width,
            inspection.height,
            crate::index::sandbox::MAX_PIXELS / 1_000_000
        ));
    }
    inspection.trailing = bytes.len() - inspection.end;
    // Samsung's motion photos carry no XMP flag: the MP4 simply follows the picture.
    let after = &bytes[inspection.end..];
    inspection.motion_photo |=
        after.get(4..8) == Some(b"ftyp") || after.windows(16).any(|w| w == b"MotionPhoto_Data");
    Ok(inspection)
}

/// Bytes `image` may allocate while reading a header (a colour profile, a chunk before the
/// picture): 64 MiB. A 1 MB PNG can hold a 1 GiB compressed colour profile.
const HEADER_ALLOCATION: u64 = 64 << 20;

fn header_limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(HEADER_ALLOCATION);
    limits
}

/// The declared width and height of the raster image at `path`, read from its header without
/// reading the file whole (for files too large to be held in memory; see
/// [`crate::index::sandbox::held`]).
///
/// Errors: [`DeriveError::Io`] when the file cannot be opened, [`DeriveError::Decode`] when no
/// header can be read.
pub fn declared_size(path: &Path) -> Result<(u32, u32), DeriveError> {
    let mut reader = image::ImageReader::open(path)
        .map_err(|source| DeriveError::Io {
            path: path.to_path_buf(),
            source,
        })?
        .with_guessed_format()
        .map_err(|error| DeriveError::Decode(error.to_string()))?;
    reader.limits(header_limits());
    reader
        .into_dimensions()
        .map_err(|error| DeriveError::Decode(error.to_string()))
}

/// Memory `image` may allocate while decoding one image: 512 MiB (a worker's own limit is the
/// harder bound).
const DECODE_ALLOCATION: u64 = 512 << 20;

/// Decodes a raster image held in memory, after [`inspect`]ing it.
///
/// Errors: as [`inspect`], and [`DeriveError::Unsupported`] for a well-formed image our decoders
/// cannot draw (the decoder says the feature is unsupported, or the JPEG's coding process is one
/// it lacks).
pub fn decode_bytes(bytes: &[u8]) -> Result<DecodedImage, DeriveError> {
    if crate::index::heif::is_heif(bytes) {
        return crate::index::heif::decode_heif(bytes);
    }
    let inspection = inspect(bytes)?;
    decode_inspected(
        io::Cursor::new(&bytes[..inspection.end]),
        inspection,
        || Ok(bytes.to_vec()),
    )
}

/// Decodes the picture `inspection` describes from `picture` (its bytes up to the picture's
/// end); `whole` gives the file's bytes again, to say what an unsupported TIFF is.
///
/// A decoder that runs out of memory (an allocation it could not make, such as reading a
/// 131 MB JPEG of 2,000 padding segments into a budget of 320 MiB) is over a budget, not
/// damaged: [`DeriveError::Budget`] (break-11b finding 6).
fn decode_inspected<R: io::BufRead + io::Seek>(
    picture: R,
    inspection: Inspection,
    whole: impl FnOnce() -> io::Result<Vec<u8>>,
) -> Result<DecodedImage, DeriveError> {
    if let Some(what) = inspection.unsupported {
        return Err(DeriveError::Unsupported(what));
    }
    if let Some(why) = inspection.over_budget {
        return Err(DeriveError::Budget(format!("too large to decode: {why}")));
    }
    let mut reader = match inspection.format {
        Some(format) => image::ImageReader::with_format(picture, format),
        None => image::ImageReader::new(picture)
            .with_guessed_format()
            .map_err(|error| DeriveError::Decode(error.to_string()))?,
    };
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(DECODE_ALLOCATION);
    reader.limits(limits);
    let image = reader.decode().map_err(|error| match error {
        image::ImageError::Unsupported(unsupported) => {
            match whole().map(|bytes| crate::index::image_structure::walk_tiff(&bytes)) {
                Ok(Ok(layout)) => DeriveError::Unsupported(layout.describe()),
                _ => DeriveError::Unsupported(unsupported.to_string()),
            }
        }
        image::ImageError::Limits(limit) => {
            DeriveError::Budget(format!("too large to decode: {limit}"))
        }
        image::ImageError::IoError(io) if io.kind() == io::ErrorKind::OutOfMemory => {
            DeriveError::Budget(OUT_OF_MEMORY.to_string())
        }
        other => DeriveError::Decode(other.to_string()),
    })?;
    let (width, height) = (image.width(), image.height());
    let rgb = match image {
        image::DynamicImage::ImageRgb8(buffer) => buffer.into_raw(),
        other if other.color().has_alpha() => flatten_on_white(&other.to_rgba8()),
        other => other.to_rgb8().into_raw(),
    };
    Ok(DecodedImage::from_rgb8(width, height, rgb, false))
}

/// Decodes a 16-bit RGB TIFF stored in strips (a scanner's 48-bit master) one strip at a time,
/// each sample scaled to 8 bits as it is read, so the picture is held once, at 8 bits: 3 bytes a
/// pixel instead of the 6 of a 16-bit decode plus 3 of its 8-bit copy. A 64-megapixel scan then
/// takes 192 MB in its worker, not 576 MB (break-11b finding 4). `None` for any other TIFF
/// (8-bit, tiled, planar, with alpha, grey), which `image` decodes.
fn decode_tiff16_by_strips(path: &Path) -> Option<Result<DecodedImage, DeriveError>> {
    use tiff::ColorType;
    use tiff::decoder::{ChunkType, Decoder, DecodingResult};
    let file = io::BufReader::new(fs::File::open(path).ok()?);
    let mut decoder = Decoder::new(file).ok()?;
    if decoder.colortype().ok()? != ColorType::RGB(16)
        || decoder.get_chunk_type() != ChunkType::Strip
    {
        return None;
    }
    let (width, height) = decoder.dimensions().ok()?;
    let (_, rows_per_strip) = decoder.chunk_dimensions();
    let strips = decoder.strip_count().ok()?;
    // A planar TIFF has a set of strips per sample.
    if rows_per_strip == 0 || strips != height.div_ceil(rows_per_strip) {
        return None;
    }
    let size = usize::try_from(u64::from(width) * u64::from(height) * 3).ok()?;
    let mut rgb = Vec::new();
    if rgb.try_reserve_exact(size).is_err() {
        return Some(Err(DeriveError::Budget(OUT_OF_MEMORY.to_string())));
    }
    let failed = |error: tiff::TiffError| match error {
        tiff::TiffError::LimitsExceeded => {
            DeriveError::Budget("too large to decode: a strip is over the decoder's limit".into())
        }
        other => DeriveError::Decode(other.to_string()),
    };
    for strip in 0..strips {
        match decoder.read_chunk(strip) {
            // The rounding of `image`'s own 16-to-8-bit conversion.
            Ok(DecodingResult::U16(samples)) if rgb.len() + samples.len() <= size => rgb.extend(
                samples
                    .iter()
                    .map(|&sample| ((u32::from(sample) * 255 + 32_767) / 65_535) as u8),
            ),
            Ok(DecodingResult::U16(_)) => {
                return Some(Err(DeriveError::Decode(format!(
                    "the strips hold more than the {size} bytes {width}x{height} pixels need"
                ))));
            }
            Ok(_) => return None,
            Err(error) => return Some(Err(failed(error))),
        }
    }
    if rgb.len() != size {
        return Some(Err(DeriveError::Decode(format!(
            "the strips hold {} of the {size} bytes {width}x{height} pixels need",
            rgb.len()
        ))));
    }
    Some(Ok(DecodedImage::from_rgb8(width, height, rgb, false)))
}

/// Reads a source file whole. A file that does not fit in the memory left (a worker's budget)
/// is over that budget ([`DeriveError::Budget`], [`OUT_OF_MEMORY`]), not unreadable.
///
/// Errors: [`DeriveError::Io`] for any other failure to read.
pub fn read_source(path: &Path) -> Result<Vec<u8>, DeriveError> {
    fs::read(path).map_err(|source| {
        if source.kind() == io::ErrorKind::OutOfMemory {
            DeriveError::Budget(OUT_OF_MEMORY.to_string())
        } else {
            DeriveError::Io {
                path: path.to_path_buf(),
                source,
            }
        }
    })
}

/// Why a decode that could not get the memory it asked for is refused.
pub const OUT_OF_MEMORY: &str = "too large to decode: the decoder ran out of memory";

/// Transparent patterns are shown on white, the page's background, since JPEG has no alpha.
fn flatten_on_white(rgba: &image::RgbaImage) -> Vec<u8> {
    let mut rgb = Vec::with_capacity(rgba.as_raw().len() / 4 * 3);
    for pixel in rgba.pixels() {
        let [r, g, b, a] = pixel.0;
        let alpha = u16::from(a);
        for channel in [r, g, b] {
            let blended = (u16::from(channel) * alpha + 255 * (255 - alpha) + 127) / 255;
            rgb.push(blended as u8);
        }
    }
    rgb
}
