//! Reading camera metadata (EXIF) from photos: capture date, camera, orientation, position.
//!
//! The capture date dates a photo that has no `dc.date`; the orientation turns derivatives upright;
//! the GPS position is preserved in the archive but never published, since it may locate an
//! artisan's home. EXIF is read from JPEG, TIFF, PNG, WebP and the HEIF family (HEIC, HEIF,
//! AVIF: the `Exif` item), whatever kamadak-exif's container reader understands.
//!
//! A date the camera wrote but that names no real moment (month 13, day 32, hour 25, the
//! `0000:00:00` of an unset clock) is left out with a warning naming it, never stored.

use exif::{In, Tag, Value};

use crate::model::{Exif, Message, possible_datetime};
use crate::msg;

/// What [`read`] found in one file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reading {
    /// The facts kept; `None` when the file has no readable EXIF or none of these facts.
    pub exif: Option<Exif>,
    /// Why some of what the camera wrote was left out, one sentence each, for the ingest report
    /// (which names the file).
    pub warnings: Vec<Message>,
}

/// Reads EXIF from an image held in memory. A file without EXIF, or whose EXIF cannot be read,
/// gives an empty [`Reading`].
///
/// kamadak-exif copies a TIFF whole to read it (the whole file is its EXIF container); give a
/// TIFF that may be large to [`read_owned`] instead.
pub fn read(bytes: &[u8]) -> Reading {
    reading(exif::Reader::new().read_from_container(&mut std::io::Cursor::new(bytes)))
}

/// [`read`], taking the bytes: a TIFF is parsed where it lies rather than copied, so reading a
/// 374 MB scan's EXIF costs no second 374 MB (break-11b finding 5). Other containers are read
/// as [`read`] reads them (their EXIF is one bounded segment or chunk).
pub fn read_owned(bytes: Vec<u8>) -> Reading {
    let tiff = [b"II*\0", b"MM\0*"]
        .iter()
        .any(|magic| bytes.starts_with(*magic));
    if tiff {
        reading(exif::Reader::new().read_raw(bytes))
    } else {
        read(&bytes)
    }
}

fn reading(data: Result<exif::Exif, exif::Error>) -> Reading {
    let Ok(data) = data else {
        return Reading::default();
    };
    let mut warnings = Vec::new();
    let text = |tag| {
        let field = data.get_field(tag, In::PRIMARY)?;
        match &field.value {
            Value::Ascii(parts) => parts.first().map(|part| {
                String::from_utf8_lossy(part)
                    .trim_matches(|c: char| c == '\0' || c.is_whitespace())
                    .to_string()
            }),
            _ => None,
        }
        .filter(|text| !text.is_empty())
    };
    let mut captured = None;
    for tag in [Tag::DateTimeOriginal, Tag::DateTimeDigitized, Tag::DateTime] {
        // EXIF writes an unknown date as blanks (`    :  :     :  :  `): nothing to report.
        let Some(raw) = text(tag).filter(|raw| raw.contains(|c: char| c != ':' && c != ' ')) else {
            continue;
        };
        match iso_datetime(&raw) {
            Ok(iso) => {
                captured = Some(iso);
                break;
            }
            Err(reason) => warnings.push(msg!(
                "ingest-exif-date-left-out",
                "the EXIF date '{date}' ({tag}) was left out: {reason}",
                date = raw.escape_debug().to_string(),
                tag = tag.to_string(),
                reason = reason.to_string()
            )),
        }
    }
    let orientation = data
        .get_field(Tag::Orientation, In::PRIMARY)
        .and_then(|field| field.value.get_uint(0))
        .and_then(|value| u16::try_from(value).ok())
        .filter(|value| (1..=8).contains(value));
    let coordinate = |tag, reference_tag, negative: &str| -> Option<f64> {
        let field = data.get_field(tag, In::PRIMARY)?;
        let Value::Rational(parts) = &field.value else {
            return None;
        };
        let [degrees, minutes, seconds] = parts.get(..3)? else {
            return None;
        };
        let value = degrees.to_f64() + minutes.to_f64() / 60.0 + seconds.to_f64() / 3600.0;
        let sign = if text(reference_tag).as_deref() == Some(negative) {
            -1.0
        } else {
            1.0
        };
        value.is_finite().then_some(sign * value)
    };
    let gps = match (
        coordinate(Tag::GPSLatitude, Tag::GPSLatitudeRef, "S"),
        coordinate(Tag::GPSLongitude, Tag::GPSLongitudeRef, "W"),
    ) {
        (Some(latitude), Some(longitude)) => Some([latitude, longitude]),
        _ => None,
    };
    let exif = Exif {
        captured,
        camera_make: text(Tag::Make),
        camera_model: text(Tag::Model),
        orientation,
        gps,
    };
    Reading {
        exif: (!exif.is_empty()).then_some(exif),
        warnings,
    }
}

/// `2020:08:27 10:11:12` → `2020-08-27T10:11:12`.
///
/// # Errors
/// Why the text is no date: not in EXIF's `YYYY:MM:DD HH:MM:SS` form, or a moment that does not
/// exist ([`possible_datetime`]). Blank dates never get here (they are no text).
fn iso_datetime(raw: &str) -> Result<String, String> {
    let parsed = exif::DateTime::from_ascii(raw.as_bytes())
        .map_err(|_| "it is not in the form YYYY:MM:DD HH:MM:SS".to_string())?;
    let iso = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        parsed.year, parsed.month, parsed.day, parsed.hour, parsed.minute, parsed.second
    );
    possible_datetime(&iso).map_err(|error| error.0)?;
    Ok(iso)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exif_dates_become_iso() {
        assert_eq!(
            iso_datetime("2020:08:27 10:11:12").as_deref(),
            Ok("2020-08-27T10:11:12")
        );
        assert_eq!(
            iso_datetime("2024:02:29 23:59:59").as_deref(),
            Ok("2024-02-29T23:59:59")
        );
    }

    #[test]
    fn impossible_exif_dates_are_refused_with_the_reason() {
        let reason = |raw: &str| iso_datetime(raw).unwrap_err();
        assert_eq!(reason("2019:13:45 10:00:00"), "month 13 does not exist");
        assert_eq!(
            reason("2019:01:32 10:00:00"),
            "day 32 does not exist in 2019-01"
        );
        assert_eq!(
            reason("2023:02:29 10:00:00"),
            "day 29 does not exist in 2023-02"
        );
        assert_eq!(reason("2019:05:01 25:00:00"), "hour 25 does not exist");
        assert_eq!(reason("2019:05:01 10:61:00"), "minute 61 does not exist");
        assert_eq!(
            reason("0000:00:00 00:00:00"),
            "year 0000 is a camera's unset clock"
        );
        assert_eq!(
            reason("2019:05:00 10:00:00"),
            "day 0 does not exist in 2019-05"
        );
        assert_eq!(
            reason("yesterday"),
            "it is not in the form YYYY:MM:DD HH:MM:SS"
        );
    }

    #[test]
    fn images_without_exif_give_nothing() {
        assert_eq!(read(b"not an image"), Reading::default());
    }
}
