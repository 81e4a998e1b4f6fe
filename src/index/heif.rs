//! Decoding HEIC, HEIF and AVIF photos (the default of iPhones and of many Android phones) into
//! pixels for derivatives, and measuring them without decoding.
//!
//! The work is done by Debian's libheif (bookworm: 1.15, with libde265 for HEVC and dav1d for
//! AV1 built in) through the `libheif-rs` wrapper; no pure-Rust HEVC decoder exists that could
//! replace it. A HEIF image carries its own transformations (`irot` rotation, `imir` mirror,
//! `clap` crop), which libheif applies, so what comes out is upright: the EXIF orientation of a
//! HEIF file is informative only (ISO/IEC 23000-22, MIAF) and is never applied on top.
//!
//! Budgets, since the file is untrusted: the picture size is read from the file's header
//! (`ispe`) before anything is decoded and refused past [`MAX_PIXELS`]; libheif decodes tiles on
//! the calling thread only, so one file costs one core; and libheif's own structural limits
//! (box nesting, item counts, 32768 px sides) apply. The decode holds no global state but the
//! library's initialisation, so it can run in a resource-limited child process.

use std::sync::OnceLock;

use libheif_rs::{ColorSpace, HeifContext, HeifError, HeifErrorCode, LibHeif, RgbChroma};

use super::derivatives::{DecodedImage, DeriveError};

/// Most pixels (upright width × height) decoded from one HEIF image: 64 megapixels, above the
/// 48-megapixel photos of current phones. At 8-bit RGB plus libheif's YCbCr planes a decode
/// then costs at most about 300 MB.
pub const MAX_PIXELS: u64 = 64_000_000;

/// Media types of the HEIF family, as [`crate::ingest::format`] names them.
pub const MIME_TYPES: [&str; 3] = ["image/heic", "image/heif", "image/avif"];

/// Whether `mime` is one of the HEIF family this module decodes.
pub fn handles(mime: &str) -> bool {
    MIME_TYPES.contains(&mime)
}

/// Whether `bytes` begin like a HEIF-family file: an ISO BMFF `ftyp` box whose major or
/// compatible brands name a HEIF image brand (`heic`, `heix`, `mif1`, `avif`, …).
pub fn is_heif(bytes: &[u8]) -> bool {
    const BRANDS: [&[u8; 4]; 8] = [
        b"heic", b"heix", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis",
    ];
    if bytes.get(4..8) != Some(b"ftyp") {
        return false;
    }
    let size = bytes
        .get(..4)
        .map_or(0, |b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize);
    let Some(ftyp) = bytes.get(8..size.min(bytes.len()).max(8)) else {
        return false;
    };
    // Major brand, minor version, then compatible brands.
    let major = ftyp.get(..4).into_iter();
    let compatible = ftyp.get(8..).unwrap_or_default().chunks_exact(4);
    major
        .chain(compatible)
        .any(|brand| BRANDS.iter().any(|b| b.as_slice() == brand))
}

/// The size of a HEIF image, read from its header without decoding it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    /// Width × height of the coded picture (the primary item's `ispe`), in pixels.
    pub stored: (u32, u32),
    /// Width × height once the image's own rotation and crop are applied: what a viewer shows.
    pub displayed: (u32, u32),
}

/// Reads the size of the primary image of a HEIF-family file.
///
/// # Errors
/// [`DeriveError::Decode`] when the file's structure is damaged (truncated, contradictory
/// boxes); [`DeriveError::Unsupported`] when it is well-formed but uses something libheif 1.15
/// does not read.
pub fn measure(bytes: &[u8]) -> Result<Size, DeriveError> {
    let _library = library();
    let context = HeifContext::read_from_bytes(bytes).map_err(derive_error)?;
    let handle = context.primary_image_handle().map_err(derive_error)?;
    let displayed = (handle.width(), handle.height());
    let ispe = (handle.ispe_width(), handle.ispe_height());
    let stored = match ispe {
        (w, h) if w > 0 && h > 0 => (w.unsigned_abs(), h.unsigned_abs()),
        _ => displayed,
    };
    Ok(Size { stored, displayed })
}

/// Decodes the primary image of a HEIC, HEIF or AVIF file to 8-bit RGB, upright (its own
/// rotation, mirror and crop applied), alpha flattened on white.
///
/// # Errors
/// [`DeriveError::Decode`] for a damaged file; [`DeriveError::Unsupported`] for a well-formed one
/// libheif cannot decode (a codec it lacks, a feature newer than it) or one larger than
/// [`MAX_PIXELS`].
pub fn decode_heif(bytes: &[u8]) -> Result<DecodedImage, DeriveError> {
    let library = library();
    let mut context = HeifContext::read_from_bytes(bytes).map_err(derive_error)?;
    // Tiles on the calling thread: one file costs one core, whatever its grid.
    context.set_max_decoding_threads(0);
    let handle = context.primary_image_handle().map_err(derive_error)?;
    let (width, height) = (handle.width(), handle.height());
    let pixels = u64::from(width) * u64::from(height);
    if pixels == 0 {
        return Err(DeriveError::Decode(format!(
            "the image declares {width}×{height} pixels"
        )));
    }
    if pixels > MAX_PIXELS {
        return Err(DeriveError::Unsupported(format!(
            "{width}×{height} pixels is more than the {} megapixels decoded for a preview",
            MAX_PIXELS / 1_000_000
        )));
    }
    let alpha = handle.has_alpha_channel();
    let deep = handle.luma_bits_per_pixel() > 8;
    let chroma = match (deep, alpha) {
        (false, false) => RgbChroma::Rgb,
        (false, true) => RgbChroma::Rgba,
        (true, false) => RgbChroma::HdrRgbLe,
        (true, true) => RgbChroma::HdrRgbaLe,
    };
    // Decoding options are left at libheif's defaults (transformations applied): libheif-rs 0.20
    // frees options it is given before libheif reads them, so none are passed.
    let image = library
        .decode(&handle, ColorSpace::Rgb(chroma), None)
        .map_err(derive_error)?;
    let planes = image.planes();
    let plane = planes
        .interleaved
        .ok_or_else(|| DeriveError::Decode("libheif returned no interleaved pixels".into()))?;
    let channels: usize = if alpha { 4 } else { 3 };
    let sample_bytes: usize = if deep { 2 } else { 1 };
    // High bit depths arrive as 16-bit little-endian words holding `bits` significant bits.
    let shift = u32::from(plane.bits_per_pixel.saturating_sub(8)).min(8);
    let (w, h) = (plane.width as usize, plane.height as usize);
    let row_bytes = w * channels * sample_bytes;
    if plane.stride < row_bytes || plane.data.len() < plane.stride * h.saturating_sub(1) + row_bytes
    {
        return Err(DeriveError::Decode(
            "libheif returned fewer pixels than the image declares".into(),
        ));
    }
    let mut rgb = Vec::with_capacity(w * h * 3);
    if !deep && !alpha {
        // The common case (phone photos): rows copied as they are.
        for row in plane.data.chunks(plane.stride).take(h) {
            rgb.extend_from_slice(&row[..row_bytes]);
        }
        return Ok(DecodedImage::from_rgb8(
            plane.width,
            plane.height,
            rgb,
            true,
        ));
    }
    for row in plane.data.chunks(plane.stride).take(h) {
        for pixel in row[..row_bytes].chunks_exact(channels * sample_bytes) {
            let sample = |i: usize| -> u16 {
                if deep {
                    (u16::from_le_bytes([pixel[2 * i], pixel[2 * i + 1]]) >> shift).min(255)
                } else {
                    u16::from(pixel[i])
                }
            };
            let a = if alpha { sample(3) } else { 255 };
            for i in 0..3 {
                // Shown on white, the page's background, since JPEG has no alpha.
                let blended = (sample(i) * a + 255 * (255 - a) + 127) / 255;
                rgb.push(blended as u8);
            }
        }
    }
    Ok(DecodedImage::from_rgb8(
        plane.width,
        plane.height,
        rgb,
        true,
    ))
}

/// libheif's global initialisation, done once per process and kept for its life.
fn library() -> &'static LibHeif {
    static LIBRARY: OnceLock<LibHeif> = OnceLock::new();
    LIBRARY.get_or_init(LibHeif::new)
}

/// Damage libheif can name (data ending early, a box larger than its parent, a mandatory box
/// missing) is [`DeriveError::Decode`]; anything else is [`DeriveError::Unsupported`], since
/// libheif 1.15 also calls *valid* files "invalid input" when they use an image coding it does
/// not know (JPEG, JPEG 2000 or uncompressed items): their primary item is then "non-existing".
fn derive_error(error: HeifError) -> DeriveError {
    use libheif_rs::HeifErrorSubCode as Sub;
    let message = match error.message.trim() {
        "" => format!("{:?}", error.code),
        message => message.to_string(),
    };
    let damaged = matches!(
        error.sub_code,
        Sub::EndOfData
            | Sub::InvalidBoxSize
            | Sub::NoFtypBox
            | Sub::NoMetaBox
            | Sub::NoHdlrBox
            | Sub::NoHvccBox
            | Sub::NoPitmBox
            | Sub::NoIpcoBox
            | Sub::NoIpmaBox
            | Sub::NoIlocBox
            | Sub::NoIinfBox
            | Sub::NoIprpBox
            | Sub::NoItemData
            | Sub::InvalidGridData
            | Sub::MissingGridImages
    );
    match error.code {
        HeifErrorCode::InvalidInput | HeifErrorCode::InputDoesNotExist if damaged => {
            DeriveError::Decode(message)
        }
        _ => DeriveError::Unsupported(message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ftyp(major: &[u8; 4], compatible: &[&[u8; 4]]) -> Vec<u8> {
        let size = 16 + 4 * compatible.len();
        let mut bytes = (size as u32).to_be_bytes().to_vec();
        bytes.extend_from_slice(b"ftyp");
        bytes.extend_from_slice(major);
        bytes.extend_from_slice(&[0; 4]);
        for brand in compatible {
            bytes.extend_from_slice(*brand);
        }
        bytes
    }

    #[test]
    fn heif_brands_are_recognised_and_films_are_not() {
        assert!(is_heif(&ftyp(b"heic", &[b"mif1", b"heic"])));
        assert!(is_heif(&ftyp(b"mif1", &[b"mif1", b"miaf"])));
        assert!(is_heif(&ftyp(b"avif", &[b"avif", b"mif1"])));
        assert!(!is_heif(&ftyp(b"isom", &[b"isom", b"mp41"])));
        assert!(!is_heif(&ftyp(b"qt  ", &[])));
        assert!(!is_heif(b"\xFF\xD8\xFF\xE0"));
        assert!(!is_heif(b""));
    }

    /// The case's phone photo, mutated 150 ways (bytes overwritten, runs of bytes cut out, the
    /// tail cut off): every result decodes or is refused with a typed error, never a crash.
    #[test]
    fn mutated_heic_files_decode_or_are_refused() {
        let original = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/batches/heic-phone/objects/anh/IMG_0412.HEIC"
        ))
        .unwrap();
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |below: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % below as u64) as usize
        };
        let (mut decoded, mut refused) = (0, 0);
        for round in 0..150 {
            let mut bytes = original.clone();
            match round % 3 {
                0 => {
                    for _ in 0..1 + next(8) {
                        let at = next(bytes.len());
                        bytes[at] = next(256) as u8;
                    }
                }
                1 => {
                    let at = next(bytes.len());
                    let len = 1 + next(16);
                    bytes.drain(at..(at + len).min(bytes.len()));
                }
                _ => bytes.truncate(next(bytes.len())),
            }
            let _ = measure(&bytes);
            match decode_heif(&bytes) {
                Ok(image) => {
                    assert!(image.width() > 0 && image.height() > 0);
                    decoded += 1;
                }
                Err(DeriveError::Decode(_) | DeriveError::Unsupported(_)) => refused += 1,
                Err(other) => panic!("unexpected error {other}"),
            }
        }
        assert_eq!(decoded + refused, 150);
        assert!(refused > 30, "only {refused} of 150 mutations refused");
    }

    #[test]
    fn damaged_heif_is_a_decode_error_and_never_panics() {
        let mut bytes = ftyp(b"heic", &[b"mif1", b"heic"]);
        bytes.extend_from_slice(b"\0\0\0\x10meta\0\0\0\0");
        match decode_heif(&bytes) {
            Err(DeriveError::Decode(_) | DeriveError::Unsupported(_)) => {}
            Err(other) => panic!("unexpected error {other}"),
            Ok(_) => panic!("a HEIF without image decoded"),
        }
        assert!(measure(&bytes[..10]).is_err());
    }
}
