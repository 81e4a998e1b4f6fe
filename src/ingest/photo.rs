//! What ingest learns from a photo beyond its pixels: the size it is shown at (upright), and
//! for the HEIF family (HEIC, HEIF, AVIF) everything at once, since those are read through
//! libheif rather than the `image` crate ([`crate::index::heif`]).
//!
//! A HEIF photo that is well-formed but cannot be decoded here (a codec libheif lacks, a
//! picture past the decoding budget) is kept with its EXIF facts and a warning saying no
//! preview was made; only a damaged one is refused as corrupt or truncated.

use super::exif;
use super::format::Format;
use super::store::Analysis;
use crate::index::derivatives::DeriveError;
use crate::index::heif;
use crate::model::{Exif, MediaInfo, Message};
use crate::msg;

/// Whether files of `format` are read by [`analyse_heif`].
pub(super) fn is_heif(format: &Format) -> bool {
    heif::handles(format.mime)
}

/// Records the upright size of a photo decoded at its stored size: width and height swap when
/// the EXIF orientation turns the picture a quarter (orientations 5 to 8).
pub(super) fn set_displayed(media: &mut MediaInfo, exif: Option<&Exif>) {
    if let (Some(width), Some(height)) = (media.width, media.height)
        && exif.is_some_and(Exif::turns_quarter)
    {
        media.set_displayed(height, width);
    }
}

/// Reads a HEIC, HEIF or AVIF photo: its EXIF (date, camera, orientation, GPS), its stored and
/// upright size, and the pixels a decoder worker would draw for its derivatives (`None`, with a
/// warning, when no preview can be made). Only boxes are parsed here; pixels are decoded in a
/// worker ([`crate::index::sandbox::draw`]).
///
/// # Errors
/// The message for the ingest report when the file is damaged:
/// `corrupt or truncated HEIC image: …`.
pub(super) fn analyse_heif(
    bytes: &[u8],
    format: &Format,
) -> Result<(Analysis, Option<u64>), Message> {
    let exif::Reading { exif, mut warnings } = exif::read(bytes);
    let mut media = MediaInfo::default();
    let drawable = match heif::measure(bytes) {
        Ok(size) => {
            (media.width, media.height) = (Some(size.stored.0), Some(size.stored.1));
            media.set_displayed(size.displayed.0, size.displayed.1);
            if let Some(warning) = orientation_disagrees(exif.as_ref(), &size, format) {
                warnings.push(warning);
            }
            Some(u64::from(size.stored.0) * u64::from(size.stored.1))
        }
        Err(DeriveError::Decode(reason)) => return Err(corrupt(format, &reason)),
        Err(other) => {
            warnings.push(no_preview(format, &other.to_string()));
            None
        }
    };
    Ok((
        Analysis {
            media,
            exif,
            warnings,
            ..Analysis::default()
        },
        drawable,
    ))
}

/// A warning when the EXIF orientation of a HEIF photo and the file's own transforms (`irot`,
/// `imir`) disagree on whether the picture turns a quarter. The transforms decide how it is shown,
/// as libheif and libvips do: in HEIF the EXIF orientation is informative only, and MIAF (ISO/IEC
/// 23000-22, §7.3.6.7) says there should be no transformation expressed by EXIF. A square picture
/// cannot show the difference and gets no warning.
fn orientation_disagrees(
    exif: Option<&Exif>,
    size: &heif::Size,
    format: &Format,
) -> Option<Message> {
    let orientation = exif?.orientation.filter(|o| *o != 1)?;
    let (width, height) = size.displayed;
    let square = size.stored.0 == size.stored.1;
    let file_turns = size.displayed != size.stored;
    let exif_turns = exif.is_some_and(Exif::turns_quarter);
    (!square && file_turns != exif_turns).then(|| {
        msg!(
            "ingest-heif-orientation-disagrees",
            "EXIF orientation {orientation} disagrees with the {format}'s own rotation; shown {width}×{height} as the file's rotation says (in HEIF the EXIF orientation is informative only)",
            orientation = orientation,
            format = format.name,
            width = width,
            height = height
        )
    })
}

/// The refusal of a damaged HEIF file.
pub(super) fn corrupt(format: &Format, reason: &str) -> Message {
    msg!(
        "ingest-corrupt-file",
        "corrupt or truncated {format}: {reason}",
        format = format.name,
        reason = reason
    )
}

/// The warning for a well-formed HEIF file of which no preview can be made; it is kept.
pub(super) fn no_preview(format: &Format, reason: &str) -> Message {
    msg!(
        "ingest-heif-no-preview",
        "no preview: {format} not supported here ({reason}); the file is preserved",
        format = format.name,
        reason = reason
    )
}
