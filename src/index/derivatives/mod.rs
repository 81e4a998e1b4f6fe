//! Display images and thumbnails made from archived photos and patterns.
//!
//! Pages never show an original: they show a display image (at most 1600 px on the long side)
//! and a thumbnail (at most 400 px), both JPEG, with the EXIF orientation applied and every EXIF
//! field (GPS above all) left behind, since the encoder writes pixels only. Derivatives are named by
//! the SHA-256 of their source, so identical content is derived once and a rebuild finds them.
//!
//! Speed matters (a batch may hold thousands of 12-megapixel scans): the source is decoded once,
//! resized with SIMD convolution (`fast_image_resize`) to the display size, and the thumbnail is
//! resized from the display image rather than from the original.
//!
//! The store also keeps, per original, what an anonymous visitor is sent of it (`public.json`)
//! and, when location metadata had to be removed, the public copy itself (`public`); see
//! [`crate::index::location`].

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use fast_image_resize::images::Image;
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};

use crate::model::Sha256;

/// Long-side limit of the display image.
pub const DISPLAY_SIZE: u32 = 1600;
/// Long-side limit of the thumbnail.
pub const THUMBNAIL_SIZE: u32 = 400;
const JPEG_QUALITY: u8 = 82;

/// Which derivative.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rendition {
    /// At most [`DISPLAY_SIZE`] px.
    Display,
    /// At most [`THUMBNAIL_SIZE`] px.
    Thumbnail,
}

impl Rendition {
    /// Its long-side limit in pixels.
    fn limit(self) -> u32 {
        match self {
            Rendition::Display => DISPLAY_SIZE,
            Rendition::Thumbnail => THUMBNAIL_SIZE,
        }
    }

    fn file_name(self) -> &'static str {
        match self {
            Rendition::Display => "display.jpg",
            Rendition::Thumbnail => "thumb.jpg",
        }
    }
}

/// Errors making derivatives.
#[derive(Debug, thiserror::Error)]
pub enum DeriveError {
    /// The image cannot be decoded: it is corrupt or truncated.
    #[error("cannot decode the image: {0}")]
    Decode(String),
    /// The image is well-formed but no preview can be made of it here (a codec or feature the
    /// decoder lacks, such as an arithmetic-coded JPEG or a CCITT fax TIFF, or a picture past the
    /// decoding budget of a HEIF preview); the file is still preserved. Holds what it is.
    #[error("{0}")]
    Unsupported(String),
    /// The file is over a budget of [`crate::index::sandbox`] (pixels, memory, nesting, time):
    /// the message says which, e.g. "too large to draw: …", "too deeply nested: …".
    #[error("{0}")]
    Budget(String),
    /// Writing a derivative failed.
    #[error("{path}: {source}")]
    Io {
        /// The derivative file.
        path: PathBuf,
        /// What went wrong.
        source: io::Error,
    },
    /// A worker process could not write (or read) a file; its message names the file
    /// (`…/display.jpg: No space left on device`).
    #[error("{0}")]
    Worker(String),
    /// Encoding the JPEG failed.
    #[error("cannot encode {path}: {reason}")]
    Encode {
        /// The derivative file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
}

/// A decoded image ready to be derived: 8-bit RGB, as stored (EXIF orientation not applied)
/// unless its decoder turned it upright itself (HEIF: [`super::heif`]).
pub struct DecodedImage {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
    /// The decoder applied the image's own orientation; an EXIF orientation is not applied again.
    upright: bool,
}

impl DecodedImage {
    /// Wraps `width` × `height` pixels of 8-bit RGB (`rgb.len() == width * height * 3`, rows top
    /// to bottom). `upright`: the decoder already turned the picture as it is to be shown.
    pub(crate) fn from_rgb8(width: u32, height: u32, rgb: Vec<u8>, upright: bool) -> Self {
        debug_assert_eq!(rgb.len(), width as usize * height as usize * 3);
        DecodedImage {
            width,
            height,
            rgb,
            upright,
        }
    }

    /// Stored width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Stored height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }
}

/// References (masks, clip paths, filters, patterns, markers, `use`) an SVG may chain: each
/// level costs the renderer a full-size layer (about 10 MB at 1600 px) and a stack frame.
pub const MAX_SVG_REFERENCE_DEPTH: u32 = 8;

/// Element nesting an SVG may have.
pub const MAX_SVG_ELEMENT_DEPTH: u32 = 128;

/// Elements an SVG may hold (real patterns hold hundreds to thousands).
pub const MAX_SVG_ELEMENTS: u32 = 200_000;

/// Rasterises an SVG pattern so that its long side is [`DISPLAY_SIZE`] px, on white.
///
/// Scripts, external references and embedded raster images are never loaded (resvg is built
/// without them), so a hostile SVG cannot reach anything; text elements are not drawn, since no
/// fonts are bundled. An SVG nesting elements or references deeper than
/// [`MAX_SVG_ELEMENT_DEPTH`] or [`MAX_SVG_REFERENCE_DEPTH`] is refused before it is drawn
/// ([`DeriveError::Budget`]); memory and time are bounded by the worker process that calls this
/// ([`crate::index::sandbox`]).
pub fn rasterise_svg(bytes: &[u8]) -> Result<DecodedImage, DeriveError> {
    use resvg::{tiny_skia, usvg};
    check_svg_nesting(bytes)?;
    let tree =
        usvg::Tree::from_data(bytes, &usvg::Options::default()).map_err(|error| match error {
            // Well-formed, but `<use>` fans out into more elements than usvg draws.
            usvg::Error::ElementsLimitReached
            | usvg::Error::ParsingFailed(roxmltree::Error::NodesLimitReached) => {
                DeriveError::Budget(format!("too complex to draw: {error}"))
            }
            other => DeriveError::Decode(other.to_string()),
        })?;
    let size = tree.size();
    let scale = DISPLAY_SIZE as f32 / size.width().max(size.height());
    let width = ((size.width() * scale).round() as u32).max(1);
    let height = ((size.height() * scale).round() as u32).max(1);
    let mut pixmap = tiny_skia::Pixmap::new(width, height).ok_or_else(|| {
        DeriveError::Budget(format!(
            "too large to draw: cannot draw at {width}x{height}"
        ))
    })?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    // Drawn on opaque white, so the premultiplied pixels are plain RGB.
    let rgb = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|pixel| [pixel[0], pixel[1], pixel[2]])
        .collect();
    Ok(DecodedImage::from_rgb8(width, height, rgb, false))
}

/// Refuses an SVG whose elements or references nest beyond the budgets, before the renderer
/// (which recurses through both) sees it.
fn check_svg_nesting(bytes: &[u8]) -> Result<(), DeriveError> {
    use std::collections::HashMap;
    let text = std::str::from_utf8(bytes)
        .map_err(|_| DeriveError::Decode("the SVG is not UTF-8 text".to_string()))?;
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        nodes_limit: MAX_SVG_ELEMENTS * 4,
        ..roxmltree::ParsingOptions::default()
    };
    let document =
        roxmltree::Document::parse_with_options(text, options).map_err(|error| match error {
            roxmltree::Error::NodesLimitReached => DeriveError::Budget(format!(
                "too large to draw: more than {MAX_SVG_ELEMENTS} elements"
            )),
            other => DeriveError::Decode(other.to_string()),
        })?;
    // A graph over elements with an id (and the root): an edge of weight 0 to each id'd element
    // inside it, of weight 1 to each id its subtree refers to. The longest path is the chain of
    // references the renderer would follow.
    let mut index: HashMap<&str, usize> = HashMap::new();
    // Each element's owner (nearest id'd element or the root) and depth, parents first.
    let mut owners: HashMap<roxmltree::NodeId, (usize, u32)> = HashMap::new();
    let mut edges: Vec<Vec<(EdgeTarget<'_>, u32)>> = vec![Vec::new()];
    for node in document.descendants().filter(roxmltree::Node::is_element) {
        let (parent_owner, parent_depth) = node
            .parent()
            .and_then(|p| owners.get(&p.id()).copied())
            .unwrap_or((0, 0));
        if parent_depth + 1 > MAX_SVG_ELEMENT_DEPTH {
            return Err(DeriveError::Budget(format!(
                "too deeply nested: elements nest more than {MAX_SVG_ELEMENT_DEPTH} deep"
            )));
        }
        let owner = match node.attribute("id") {
            Some(id) if !index.contains_key(id) => {
                let slot = edges.len();
                edges.push(Vec::new());
                index.insert(id, slot);
                edges[parent_owner].push((EdgeTarget::Slot(slot), 0));
                slot
            }
            _ => parent_owner,
        };
        owners.insert(node.id(), (owner, parent_depth + 1));
        for attribute in node.attributes() {
            let value = attribute.value();
            let target = if attribute.name() == "href" {
                value.strip_prefix('#')
            } else {
                value
                    .split_once("url(#")
                    .and_then(|(_, rest)| rest.split_once(')'))
                    .map(|(id, _)| id.trim_matches(['"', '\'', ' ']))
            };
            if let Some(target) = target {
                edges[owner].push((EdgeTarget::Id(target), 1));
            }
        }
    }
    let mut memo: Vec<Option<u32>> = vec![None; edges.len()];
    let mut visiting = vec![false; edges.len()];
    let chain = longest(0, &edges, &index, &mut memo, &mut visiting, 0);
    if chain > MAX_SVG_REFERENCE_DEPTH {
        return Err(DeriveError::Budget(format!(
            "too deeply nested: masks, clip paths, filters, patterns or uses refer to each other more than {MAX_SVG_REFERENCE_DEPTH} deep"
        )));
    }
    Ok(())
}

/// Where an SVG reference edge leads.
#[derive(Debug, Clone, Copy)]
enum EdgeTarget<'a> {
    Slot(usize),
    Id(&'a str),
}

/// The heaviest path from `slot`, stopping once past the budget; loops count once.
fn longest(
    slot: usize,
    edges: &[Vec<(EdgeTarget<'_>, u32)>],
    index: &std::collections::HashMap<&str, usize>,
    memo: &mut [Option<u32>],
    visiting: &mut [bool],
    so_far: u32,
) -> u32 {
    if let Some(known) = memo[slot] {
        return known;
    }
    if visiting[slot] || so_far > MAX_SVG_REFERENCE_DEPTH {
        return 0;
    }
    visiting[slot] = true;
    let mut best = 0;
    for (target, weight) in &edges[slot] {
        let next = match target {
            EdgeTarget::Slot(next) => Some(*next),
            EdgeTarget::Id(id) => index.get(id).copied(),
        };
        let below = next.map_or(0, |next| {
            longest(next, edges, index, memo, visiting, so_far + weight)
        });
        best = best.max(weight + below);
        if so_far + best > MAX_SVG_REFERENCE_DEPTH {
            break;
        }
    }
    visiting[slot] = false;
    if so_far + best <= MAX_SVG_REFERENCE_DEPTH {
        memo[slot] = Some(best);
    }
    best
}

/// Whether [`decode`] can read images of this media type.
pub fn can_decode(mime: &str) -> bool {
    matches!(
        mime,
        "image/jpeg" | "image/png" | "image/gif" | "image/tiff" | "image/webp" | "image/bmp"
    ) || super::heif::handles(mime)
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
    if super::heif::is_heif(&bytes) {
        return super::heif::decode_heif(&bytes);
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
    use super::image_structure::{walk_jpeg, walk_tiff};
    let mut inspection = if super::heif::is_heif(bytes) {
        // libheif parses the boxes (no pixel is decoded); its own limits apply.
        let size = super::heif::measure(bytes)?;
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
    if inspection.unsupported.is_none() && inspection.pixels() > super::sandbox::MAX_PIXELS {
        inspection.over_budget = Some(format!(
            "{}x{} pixels is over the {}-megapixel budget for previews",
            inspection.width,
            inspection.height,
            super::sandbox::MAX_PIXELS / 1_000_000
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
    if super::heif::is_heif(bytes) {
        return super::heif::decode_heif(bytes);
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
            match whole().map(|bytes| super::image_structure::walk_tiff(&bytes)) {
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

/// The derivative store under `index/derivatives/`.
#[derive(Debug, Clone)]
pub struct DerivativeStore {
    root: PathBuf,
}

impl DerivativeStore {
    /// The store inside the index folder `index_dir`.
    pub fn new(index_dir: &Path) -> Self {
        DerivativeStore {
            root: index_dir.join("derivatives"),
        }
    }

    /// The index folder the store is in.
    pub fn index_root(&self) -> &Path {
        self.root.parent().unwrap_or(&self.root)
    }

    /// Where the derivative of the source with digest `sha256` lives.
    pub fn path(&self, sha256: &Sha256, rendition: Rendition) -> PathBuf {
        self.folder(sha256).join(rendition.file_name())
    }

    /// Where the decision about what anonymous visitors receive of `sha256` is kept (JSON, see
    /// [`crate::index::location::PublicCopy`]).
    pub fn public_check_path(&self, sha256: &Sha256) -> PathBuf {
        self.folder(sha256).join("public.json")
    }

    /// Where the public copy of `sha256` (its location metadata removed) is kept, when it has one.
    pub fn public_copy_path(&self, sha256: &Sha256) -> PathBuf {
        self.folder(sha256).join("public")
    }

    /// Removes everything kept for `sha256` (derivatives, public copy, its decision); nothing
    /// to do when there is none.
    ///
    /// # Errors
    /// The I/O error of removing its folder.
    pub fn remove(&self, sha256: &Sha256) -> io::Result<()> {
        match fs::remove_dir_all(self.folder(sha256)) {
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }

    fn folder(&self, sha256: &Sha256) -> PathBuf {
        let hex = sha256.to_hex();
        self.root.join(&hex[..2]).join(&hex)
    }

    /// Whether both derivatives of `sha256` exist and are well-formed: each a JPEG that begins
    /// with its start marker, ends with its end marker, and declares a size within its
    /// rendition's limit. The check reads the header and the last two bytes, not the pixels, so
    /// `reindex` can afford it for every image and remakes a derivative a disk or a person
    /// damaged (garbage, a truncated file) instead of serving it (break-11b finding 7).
    pub fn has(&self, sha256: &Sha256) -> bool {
        [Rendition::Display, Rendition::Thumbnail]
            .into_iter()
            .all(|rendition| well_formed_jpeg(&self.path(sha256, rendition), rendition.limit()))
    }

    /// Writes the display image and the thumbnail of `image`, turned upright per the EXIF
    /// `orientation` (1 to 8).
    pub fn write(
        &self,
        sha256: &Sha256,
        image: &DecodedImage,
        orientation: Option<u16>,
    ) -> Result<(), DeriveError> {
        let display = resize_within(image, DISPLAY_SIZE)?;
        let thumbnail = resize_within(&display, THUMBNAIL_SIZE)?;
        for (rendition, pixels) in [
            (Rendition::Display, display),
            (Rendition::Thumbnail, thumbnail),
        ] {
            let orientation = if image.upright {
                1
            } else {
                orientation.unwrap_or(1)
            };
            let upright = orient(pixels, orientation);
            let path = self.path(sha256, rendition);
            write_jpeg(&path, &upright)?;
        }
        Ok(())
    }
}

/// Whether the file at `path` (not a link) is a JPEG whose header declares a size of at most
/// `limit` on its long side and whose last bytes are the end-of-image marker.
fn well_formed_jpeg(path: &Path, limit: u32) -> bool {
    use std::io::{Read, Seek, SeekFrom};
    let whole = || -> io::Result<bool> {
        if fs::symlink_metadata(path)?.file_type().is_symlink() {
            return Ok(false);
        }
        let mut file = fs::File::open(path)?;
        let mut end = [0u8; 2];
        file.seek(SeekFrom::End(-2))?;
        file.read_exact(&mut end)?;
        if end != [0xFF, 0xD9] {
            return Ok(false);
        }
        file.seek(SeekFrom::Start(0))?;
        let reader =
            image::ImageReader::with_format(io::BufReader::new(file), image::ImageFormat::Jpeg);
        Ok(reader
            .into_dimensions()
            .is_ok_and(|(width, height)| width > 0 && height > 0 && width.max(height) <= limit))
    };
    whole().unwrap_or(false)
}

/// Scales `image` down so its long side is at most `limit`; never scales up.
fn resize_within(image: &DecodedImage, limit: u32) -> Result<DecodedImage, DeriveError> {
    let long_side = image.width.max(image.height);
    if long_side <= limit {
        return Ok(DecodedImage {
            width: image.width,
            height: image.height,
            rgb: image.rgb.clone(),
            upright: image.upright,
        });
    }
    let scale = f64::from(limit) / f64::from(long_side);
    let width = ((f64::from(image.width) * scale).round() as u32).max(1);
    let height = ((f64::from(image.height) * scale).round() as u32).max(1);
    let source = fast_image_resize::images::ImageRef::new(
        image.width,
        image.height,
        &image.rgb,
        PixelType::U8x3,
    )
    .map_err(|error| DeriveError::Decode(error.to_string()))?;
    let mut target = Image::new(width, height, PixelType::U8x3);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::CatmullRom));
    Resizer::new()
        .resize(&source, &mut target, &options)
        .map_err(|error| DeriveError::Decode(error.to_string()))?;
    Ok(DecodedImage {
        width,
        height,
        rgb: target.into_vec(),
        upright: image.upright,
    })
}

/// Applies an EXIF orientation (1 = as stored … 8 = rotated 90° clockwise to view).
fn orient(image: DecodedImage, orientation: u16) -> DecodedImage {
    if orientation <= 1 || orientation > 8 {
        return image;
    }
    let Some(buffer) = image::RgbImage::from_raw(image.width, image.height, image.rgb) else {
        unreachable!("a resized buffer always matches its dimensions");
    };
    use image::imageops;
    let turned = match orientation {
        2 => imageops::flip_horizontal(&buffer),
        3 => imageops::rotate180(&buffer),
        4 => imageops::flip_vertical(&buffer),
        5 => imageops::flip_horizontal(&imageops::rotate90(&buffer)),
        6 => imageops::rotate90(&buffer),
        7 => imageops::flip_horizontal(&imageops::rotate270(&buffer)),
        _ => imageops::rotate270(&buffer),
    };
    DecodedImage {
        width: turned.width(),
        height: turned.height(),
        rgb: turned.into_raw(),
        upright: true,
    }
}

/// Creates `folder`, a store folder `derivatives/xx/<sha256>`, never following a symbolic link
/// on the way: the index folder above it is created as usual, but `derivatives`, `xx` and
/// `<sha256>` must each be a real folder (made here when missing). A link there could send
/// writes anywhere on the machine (`derivatives/02/<sha>` → `/etc` had `reindex` write
/// `/etc/thumb.jpg`, break-site finding 8); `disan reindex` moves such links aside.
///
/// # Errors
/// The I/O error of creating a folder, or `InvalidData` naming a level that is a link or a
/// file.
pub fn create_store_folder(folder: &Path) -> io::Result<()> {
    let levels: Vec<&Path> = folder.ancestors().take(3).collect();
    if let Some(index) = levels.last().and_then(|top| top.parent()) {
        fs::create_dir_all(index)?;
    }
    for level in levels.into_iter().rev() {
        match fs::symlink_metadata(level) {
            Ok(metadata) if metadata.is_dir() => continue,
            Ok(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "{} is not a folder Disan made (a symbolic link or a file), and Disan follows no link inside the index: run `disan reindex` to set it aside",
                        level.display()
                    ),
                ));
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => match fs::create_dir(level) {
                Ok(()) => {}
                // Made meanwhile by another writer: checked again on the next call.
                Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
                    if !fs::symlink_metadata(level).is_ok_and(|m| m.is_dir()) {
                        return Err(error);
                    }
                }
                Err(error) => return Err(error),
            },
            Err(error) => return Err(error),
        }
    }
    Ok(())
}

/// Writes `bytes` to a new file `temp`, never through a link planted at that name.
pub fn write_new(temp: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write as _;
    let _ = fs::remove_file(temp);
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(temp)?
        .write_all(bytes)
}

fn write_jpeg(path: &Path, image: &DecodedImage) -> Result<(), DeriveError> {
    let io_error = |source| DeriveError::Io {
        path: path.to_path_buf(),
        source,
    };
    let parent = path.parent().unwrap_or(path);
    create_store_folder(parent).map_err(io_error)?;
    let (Ok(width), Ok(height)) = (u16::try_from(image.width), u16::try_from(image.height)) else {
        return Err(DeriveError::Encode {
            path: path.to_path_buf(),
            reason: "image too large for JPEG".to_string(),
        });
    };
    let mut encoded = Vec::with_capacity(image.rgb.len() / 8);
    jpeg_encoder::Encoder::new(&mut encoded, JPEG_QUALITY)
        .encode(&image.rgb, width, height, jpeg_encoder::ColorType::Rgb)
        .map_err(|error| DeriveError::Encode {
            path: path.to_path_buf(),
            reason: error.to_string(),
        })?;
    // Derivatives are rebuildable, so a temp-and-rename (without fsync) is enough to never
    // serve a half-written file.
    let temp = path.with_extension(format!("tmp-{}", std::process::id()));
    write_new(&temp, &encoded).map_err(io_error)?;
    fs::rename(&temp, path).map_err(io_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Break-11b finding 10: a well-formed SVG whose `<use>` elements fan out (12 to a level,
    /// 7 levels, inside the reference-depth budget) is too complex to draw, not corrupt.
    #[test]
    fn an_svg_that_fans_out_is_too_complex_not_corrupt() {
        let mut svg = String::from(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><defs><g id="l0"><rect width="1" height="1"/></g>"#,
        );
        for level in 1..=7 {
            svg.push_str(&format!(r#"<g id="l{level}">"#));
            for _ in 0..12 {
                svg.push_str(&format!(r##"<use xlink:href="#l{}"/>"##, level - 1));
            }
            svg.push_str("</g>");
        }
        svg.push_str(r##"</defs><use xlink:href="#l7"/></svg>"##);
        match rasterise_svg(svg.as_bytes()) {
            Err(DeriveError::Budget(message)) => {
                assert!(message.starts_with("too complex to draw: "), "{message}");
            }
            Err(other) => panic!("{other}"),
            Ok(_) => panic!("drawn"),
        }
    }

    fn gradient(width: u32, height: u32) -> DecodedImage {
        let mut rgb = Vec::with_capacity((width * height * 3) as usize);
        for y in 0..height {
            for x in 0..width {
                rgb.extend([(x % 256) as u8, (y % 256) as u8, 128]);
            }
        }
        DecodedImage::from_rgb8(width, height, rgb, false)
    }

    #[test]
    fn derivatives_fit_their_limits_and_turn_upright() {
        let dir = tempfile::tempdir().unwrap();
        let store = DerivativeStore::new(dir.path());
        let digest = Sha256::of(b"source");
        store
            .write(&digest, &gradient(4000, 3000), Some(6))
            .unwrap();
        let display = image::open(store.path(&digest, Rendition::Display)).unwrap();
        // Orientation 6 is viewed rotated: portrait.
        assert_eq!((display.width(), display.height()), (1200, 1600));
        let thumb = image::open(store.path(&digest, Rendition::Thumbnail)).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (300, 400));
        assert!(store.has(&digest));
    }

    #[test]
    fn small_images_are_not_enlarged() {
        let dir = tempfile::tempdir().unwrap();
        let store = DerivativeStore::new(dir.path());
        let digest = Sha256::of(b"small");
        store.write(&digest, &gradient(300, 200), None).unwrap();
        let display = image::open(store.path(&digest, Rendition::Display)).unwrap();
        assert_eq!((display.width(), display.height()), (300, 200));
    }

    #[test]
    fn svg_patterns_are_rasterised_without_running_anything() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10">
            <script>alert(1)</script>
            <image href="file:///etc/passwd" width="5" height="5"/>
            <rect width="10" height="10" fill="red"/></svg>"#;
        let image = rasterise_svg(svg).unwrap();
        assert_eq!((image.width(), image.height()), (1600, 800));
        assert_eq!(&image.rgb[..3], &[255, 0, 0]);
        let right_edge = ((image.width() - 1) * 3) as usize;
        assert_eq!(&image.rgb[right_edge..right_edge + 3], &[255, 255, 255]);
        assert!(rasterise_svg(b"<svg xmlns=\"http://www.w3.org/2000/svg\"><rect").is_err());
    }

    #[test]
    fn truncated_jpeg_is_refused() {
        let mut encoded = Vec::new();
        let image = gradient(64, 64);
        jpeg_encoder::Encoder::new(&mut encoded, 80)
            .encode(&image.rgb, 64, 64, jpeg_encoder::ColorType::Rgb)
            .unwrap();
        assert!(decode_bytes(&encoded).is_ok());
        let mut with_trailer = encoded.clone();
        with_trailer.extend_from_slice(b"camera trailer");
        assert!(decode_bytes(&with_trailer).is_ok());
        let error = decode_bytes(&encoded[..encoded.len() / 2]).err().unwrap();
        assert_eq!(
            error.to_string(),
            "cannot decode the image: the JPEG data is truncated (no end-of-image marker)"
        );
    }
}
