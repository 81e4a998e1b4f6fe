//! Reading camera metadata (EXIF) from photos: capture date, camera, orientation, position.
//!
//! The capture date dates a photo that has no `dc.date`; the orientation turns derivatives upright;
//! the GPS position is preserved in the archive but never published, since it may locate an
//! artisan's home.

use exif::{In, Tag, Value};

use crate::model::Exif;

/// Reads EXIF from an image held in memory; `None` when it has none or it is unreadable.
pub fn read(bytes: &[u8]) -> Option<Exif> {
    let data = exif::Reader::new()
        .read_from_container(&mut std::io::Cursor::new(bytes))
        .ok()?;
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
    let captured = [Tag::DateTimeOriginal, Tag::DateTimeDigitized, Tag::DateTime]
        .into_iter()
        .find_map(|tag| text(tag).and_then(|raw| iso_datetime(&raw)));
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
    (!exif.is_empty()).then_some(exif)
}

/// `2020:08:27 10:11:12` → `2020-08-27T10:11:12`; `None` for blank or malformed dates (cameras
/// with unset clocks write `0000:00:00 00:00:00`).
fn iso_datetime(raw: &str) -> Option<String> {
    let parsed = exif::DateTime::from_ascii(raw.as_bytes()).ok()?;
    (parsed.year > 0 && parsed.month > 0 && parsed.day > 0).then(|| {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            parsed.year, parsed.month, parsed.day, parsed.hour, parsed.minute, parsed.second
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exif_dates_become_iso() {
        assert_eq!(
            iso_datetime("2020:08:27 10:11:12").as_deref(),
            Some("2020-08-27T10:11:12")
        );
        assert_eq!(iso_datetime("0000:00:00 00:00:00"), None);
    }

    #[test]
    fn images_without_exif_give_none() {
        assert_eq!(read(b"not an image"), None);
    }
}
