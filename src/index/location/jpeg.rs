//! JPEG (JFIF and Exif files): which segments the public copy keeps, blanks or leaves out.
//!
//! Kept byte for byte: everything the image is decoded from (SOF, DQT, DHT, DRI, SOS and the
//! entropy-coded data), JFIF (APP0), the ICC profile (APP2 `ICC_PROFILE`) and Adobe's colour
//! transform (APP14), so the decoded pixels are the original's. Kept, with its GPS directory
//! blanked: the EXIF block (APP1 `Exif`), so orientation, date and camera stay (see [`super::tiff`]).
//! Left out: XMP and extended XMP (APP1), Photoshop/IPTC (APP13, with City and Country), MPF and
//! FlashPix (APP2), every other application segment (vendors' own, unknown), comments (COM, free
//! text), and anything after the end-of-image marker (secondary MPF images, phones' embedded
//! motion videos: each can carry its own position). Unknown means left out: deny by default.

use super::{Edit, LocationError, Plan, tiff};

const FORMAT: &str = "JPEG";

fn malformed(reason: impl Into<String>) -> LocationError {
    LocationError::Malformed {
        format: FORMAT,
        reason: reason.into(),
    }
}

/// What happens to one marker segment.
enum Keep {
    Whole,
    Drop,
    /// An EXIF block: its TIFF structure starts this many bytes into the segment's payload.
    Exif,
}

fn decide(marker: u8, payload: &[u8]) -> Keep {
    match marker {
        0xE0 if payload.starts_with(b"JFIF\0") || payload.starts_with(b"JFXX\0") => Keep::Whole,
        0xE1 if payload.starts_with(b"Exif\0\0") => Keep::Exif,
        0xE2 if payload.starts_with(b"ICC_PROFILE\0") => Keep::Whole,
        0xEE if payload.starts_with(b"Adobe") => Keep::Whole,
        0xE0..=0xEF | 0xFE => Keep::Drop,
        _ => Keep::Whole,
    }
}

/// The edits that make `data`'s public copy (offsets into `data`), and whether they remove
/// anything that could state a location.
pub(super) fn plan(data: &[u8]) -> Plan {
    if !data.starts_with(&[0xFF, 0xD8]) {
        return Err(malformed("no start-of-image marker"));
    }
    let mut edits = Vec::new();
    let mut found = false;
    let mut pos = 2;
    loop {
        let segment_start = pos;
        if data.get(pos) != Some(&0xFF) {
            return Err(malformed(format!("no marker at byte {pos}")));
        }
        // Fill bytes (0xFF) may precede a marker.
        while data.get(pos + 1) == Some(&0xFF) {
            pos += 1;
        }
        let marker = *data
            .get(pos + 1)
            .ok_or_else(|| malformed("ends before the end-of-image marker"))?;
        pos += 2;
        match marker {
            0xD9 => break,
            0xD8 => return Err(malformed("a second start-of-image marker")),
            0x01 | 0xD0..=0xD7 => continue,
            0x00 => return Err(malformed(format!("a stray 0xFF at byte {segment_start}"))),
            _ => {}
        }
        let length = data
            .get(pos..pos + 2)
            .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
            .ok_or_else(|| malformed("ends inside a segment header"))?;
        if length < 2 || pos + length > data.len() {
            return Err(malformed(format!(
                "the segment at byte {segment_start} runs past the end"
            )));
        }
        let payload = &data[pos + 2..pos + length];
        let segment_end = pos + length;
        match decide(marker, payload) {
            Keep::Whole => {}
            Keep::Drop => {
                found = true;
                edits.push(Edit {
                    start: segment_start as u64,
                    end: segment_end as u64,
                    with: Vec::new(),
                });
            }
            Keep::Exif => {
                let base = pos + 2 + 6;
                let scrub = tiff::scrub(&payload[6..])
                    .map_err(|reason| malformed(format!("EXIF block: {reason}")))?;
                found |= scrub.found;
                edits.extend(scrub.edits.into_iter().map(|edit| Edit {
                    start: edit.start + base as u64,
                    end: edit.end + base as u64,
                    with: edit.with,
                }));
            }
        }
        pos = segment_end;
        if marker == 0xDA {
            pos = skip_entropy_coded(data, pos)?;
        }
    }
    if let Some(trailing) = Edit::drop_trailing(data, pos) {
        found = true;
        edits.push(trailing);
    }
    Ok((edits, found))
}

/// The position of the first marker after entropy-coded data starting at `pos`: inside it a 0xFF
/// is followed by 0x00 (a stuffed byte), a restart marker, or more 0xFF fill.
fn skip_entropy_coded(data: &[u8], mut pos: usize) -> Result<usize, LocationError> {
    loop {
        let found = data[pos..]
            .iter()
            .position(|&b| b == 0xFF)
            .ok_or_else(|| malformed("the image data has no end-of-image marker"))?;
        let at = pos + found;
        match data.get(at + 1) {
            None => return Err(malformed("the image data has no end-of-image marker")),
            Some(0x00 | 0xD0..=0xD7 | 0xFF) => pos = at + 1,
            Some(_) => return Ok(at),
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::tiff::tests::{apply, exif_with_gps};
    use super::*;

    /// A real baseline JPEG (8×8 grey, from jpeg-encoder) with `segments` inserted after SOI and
    /// `trailer` after EOI.
    pub fn jpeg_with(segments: &[(u8, Vec<u8>)], trailer: &[u8]) -> Vec<u8> {
        let mut encoded = Vec::new();
        jpeg_encoder::Encoder::new(&mut encoded, 80)
            .encode(&[128u8; 8 * 8 * 3], 8, 8, jpeg_encoder::ColorType::Rgb)
            .unwrap();
        let mut out = vec![0xFF, 0xD8];
        for (marker, payload) in segments {
            out.extend([0xFF, *marker]);
            out.extend(((payload.len() + 2) as u16).to_be_bytes());
            out.extend(payload);
        }
        out.extend(&encoded[2..]);
        out.extend(trailer);
        out
    }

    pub fn exif_segment() -> (u8, Vec<u8>) {
        let mut payload = b"Exif\0\0".to_vec();
        payload.extend(exif_with_gps());
        (0xE1, payload)
    }

    /// The bytes from the first SOS to EOI: the image data that must not change.
    pub fn image_data(jpeg: &[u8]) -> &[u8] {
        let sos = jpeg.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
        let eoi = jpeg.windows(2).rposition(|w| w == [0xFF, 0xD9]).unwrap();
        &jpeg[sos..eoi + 2]
    }

    #[test]
    fn location_segments_go_and_the_image_data_stays() {
        let xmp =
            b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta exif:GPSLatitude=\"20,30N\"/>".to_vec();
        let mut extended = b"http://ns.adobe.com/xmp/extension/\0".to_vec();
        extended.extend([b'A'; 32]);
        extended.extend(20u32.to_be_bytes());
        extended.extend(0u32.to_be_bytes());
        extended.extend(b"<rdf:Description/>  ");
        let iptc = b"Photoshop 3.0\08BIM\x04\x04\0\0\0\0\0\x08\x1c\x02\x5a\0\x03Hue".to_vec();
        let icc = b"ICC_PROFILE\0\x01\x01profile".to_vec();
        let original = jpeg_with(
            &[
                exif_segment(),
                (0xE1, xmp),
                (0xE1, extended),
                (0xED, iptc),
                (0xE2, icc.clone()),
                (0xFE, b"taken at home".to_vec()),
            ],
            b"\xFF\xD8trailing motion photo",
        );
        let (edits, found) = plan(&original).unwrap();
        assert!(found);
        let public = apply(&original, &edits);
        assert_eq!(image_data(&public), image_data(&original));
        let text = String::from_utf8_lossy(&public);
        for gone in [
            "GPSLatitude",
            "xmp/extension",
            "Photoshop",
            "taken at home",
            "motion",
        ] {
            assert!(!text.contains(gone), "{gone} is still there");
        }
        assert!(public.windows(icc.len()).any(|w| w == icc));
        assert!(public.ends_with(&[0xFF, 0xD9]));
        // The EXIF block stays, without GPS; the copy decodes to the same pixels.
        let exif = exif::Reader::new()
            .read_from_container(&mut std::io::Cursor::new(&public))
            .unwrap();
        assert!(exif.get_field(exif::Tag::Make, exif::In::PRIMARY).is_some());
        assert!(
            exif.get_field(exif::Tag::GPSLatitude, exif::In::PRIMARY)
                .is_none()
        );
        let before = image::load_from_memory(&original).unwrap().to_rgb8();
        let after = image::load_from_memory(&public).unwrap().to_rgb8();
        assert_eq!(before, after);
        // The public copy needs nothing more.
        let (again, found_again) = plan(&public).unwrap();
        assert!(again.is_empty());
        assert!(!found_again);
    }

    #[test]
    fn a_plain_jpeg_needs_no_copy() {
        let plain = jpeg_with(&[(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0".to_vec())], b"");
        assert_eq!(plan(&plain).unwrap(), (Vec::new(), false));
    }

    #[test]
    fn truncated_and_corrupt_jpegs_are_refused_without_panicking() {
        let original = jpeg_with(&[exif_segment()], b"");
        for cut in 0..original.len() - 1 {
            assert!(plan(&original[..cut]).is_err(), "cut at {cut} was accepted");
        }
        for at in 2..original.len() {
            for value in [0x00, 0xFF, 0xD9] {
                let mut corrupt = original.clone();
                corrupt[at] = value;
                let _ = plan(&corrupt);
            }
        }
        // A segment length running past the end.
        let mut long = original.clone();
        long[4..6].copy_from_slice(&0xFFFFu16.to_be_bytes());
        assert!(plan(&long).is_err());
    }
}
