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
//! The stores also keep, per original, what anyone but an archivist is sent of it
//! (`public.json`) and, when location metadata had to be removed, the public copy itself
//! (`public`); see [`crate::index::location`]. There are two stores ([`Stores`]):
//! `index/derivatives/` for files the public may see, `index/derivatives-private/` for the rest.

//!
//! One folder per concern: [`decode`] reads raster images, [`svg`] draws patterns, [`store`]
//! writes and finds derivatives, [`placement`] decides which store (public or private) holds the
//! derivatives of each record's files and moves them when access changes, [`pyramid`] cuts a
//! large image into deep-zoom tiles for the IIIF image service.

mod decode;
pub mod placement;
pub mod pyramid;
mod store;
mod svg;

use std::io;
use std::path::PathBuf;

pub use self::decode::{
    Inspection, OUT_OF_MEMORY, can_decode, declared_size, decode, decode_bytes, inspect,
    read_source,
};
pub use self::store::{
    DerivativeStore, PRIVATE_DIR, PUBLIC_DIR, Stores, create_store_folder, write_new,
};
pub use self::svg::{
    MAX_SVG_ELEMENT_DEPTH, MAX_SVG_ELEMENTS, MAX_SVG_REFERENCE_DEPTH, rasterise_svg,
};

/// Long-side limit of the display image.
pub const DISPLAY_SIZE: u32 = 1600;
/// Long-side limit of the thumbnail.
pub const THUMBNAIL_SIZE: u32 = 400;
/// Quality of the JPEG encoder (1–100).
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Sha256;

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
