//! WebP: the RIFF chunks the public copy keeps, blanks or leaves out.
//!
//! By Google's WebP container specification (RFC 9649): `EXIF` holds an EXIF block (sometimes
//! after an `Exif\0\0` prefix), kept with its GPS directory blanked (see [`super::tiff`]); `XMP `
//! is left out, the RIFF size and the `VP8X` XMP flag (0x04) adjusted to match. Image chunks
//! (`VP8 `, `VP8L`, `ALPH`, `ANIM`, `ANMF`, `ICCP`) are kept byte for byte; bytes after the RIFF
//! payload are left out.

use super::{Edit, LocationError, Plan, tiff};

const FORMAT: &str = "WebP";

fn malformed(reason: impl Into<String>) -> LocationError {
    LocationError::Malformed {
        format: FORMAT,
        reason: reason.into(),
    }
}

/// The edits that make `data`'s public copy, and whether they remove anything that could state a
/// location.
pub(super) fn plan(data: &[u8]) -> Plan {
    if data.len() < 12 || &data[..4] != b"RIFF" || &data[8..12] != b"WEBP" {
        return Err(malformed("no RIFF WEBP header"));
    }
    let riff_size = u32::from_le_bytes([data[4], data[5], data[6], data[7]]) as usize;
    let riff_end = 8usize
        .checked_add(riff_size)
        .filter(|&e| e <= data.len())
        .ok_or_else(|| malformed("the RIFF size runs past the end"))?;
    let mut edits = Vec::new();
    let mut found = false;
    let mut removed = 0usize;
    let mut vp8x_flags = None;
    let mut pos = 12;
    while pos < riff_end {
        let header = data
            .get(pos..pos + 8)
            .filter(|_| pos + 8 <= riff_end)
            .ok_or_else(|| malformed(format!("a chunk header is cut at byte {pos}")))?;
        let kind = &header[..4];
        let size = u32::from_le_bytes([header[4], header[5], header[6], header[7]]) as usize;
        let body = pos + 8;
        let end = body
            .checked_add(size + (size & 1))
            .filter(|&e| e <= riff_end)
            .ok_or_else(|| malformed(format!("the chunk at byte {pos} runs past the end")))?;
        match kind {
            b"VP8X" if size >= 1 => vp8x_flags = Some(body),
            b"XMP " => {
                found = true;
                removed += end - pos;
                edits.push(Edit {
                    start: pos as u64,
                    end: end as u64,
                    with: Vec::new(),
                });
            }
            b"EXIF" => {
                let content = &data[body..body + size];
                let skip = if content.starts_with(b"Exif\0\0") {
                    6
                } else {
                    0
                };
                let scrub = tiff::scrub(&content[skip..])
                    .map_err(|reason| malformed(format!("EXIF chunk: {reason}")))?;
                found |= scrub.found;
                let base = (body + skip) as u64;
                edits.extend(scrub.edits.into_iter().map(|edit| Edit {
                    start: edit.start + base,
                    end: edit.end + base,
                    with: edit.with,
                }));
            }
            _ => {}
        }
        pos = end;
    }
    if riff_end < data.len() {
        found = true;
        edits.push(Edit {
            start: riff_end as u64,
            end: data.len() as u64,
            with: Vec::new(),
        });
    }
    if removed > 0 {
        let size = u32::try_from(riff_size - removed).map_err(|_| malformed("too large"))?;
        edits.push(Edit {
            start: 4,
            end: 8,
            with: size.to_le_bytes().to_vec(),
        });
        if let Some(at) = vp8x_flags {
            edits.push(Edit {
                start: at as u64,
                end: at as u64 + 1,
                with: vec![data[at] & !0x04],
            });
        }
    }
    edits.sort_by_key(|edit| edit.start);
    Ok((edits, found))
}

#[cfg(test)]
mod tests {
    use super::super::tiff::tests::{apply, exif_with_gps};
    use super::*;

    fn chunk(kind: &[u8; 4], content: &[u8]) -> Vec<u8> {
        let mut out = kind.to_vec();
        out.extend((content.len() as u32).to_le_bytes());
        out.extend(content);
        if content.len() % 2 == 1 {
            out.push(0);
        }
        out
    }

    /// A real lossless 4×4 WebP (from `image`), made extended with EXIF and XMP chunks.
    pub fn webp_with_gps() -> Vec<u8> {
        let mut encoded = Vec::new();
        image::RgbImage::from_fn(4, 4, |x, y| image::Rgb([x as u8 * 60, y as u8 * 60, 9]))
            .write_to(
                &mut std::io::Cursor::new(&mut encoded),
                image::ImageFormat::WebP,
            )
            .unwrap();
        let image_chunk = &encoded[12..];
        let mut vp8x = vec![0x08 | 0x04, 0, 0, 0];
        vp8x.extend(&3u32.to_le_bytes()[..3]);
        vp8x.extend(&3u32.to_le_bytes()[..3]);
        let mut body = b"WEBP".to_vec();
        body.extend(chunk(b"VP8X", &vp8x));
        body.extend(image_chunk);
        let mut exif = b"Exif\0\0".to_vec();
        exif.extend(exif_with_gps());
        body.extend(chunk(b"EXIF", &exif));
        body.extend(chunk(
            b"XMP ",
            b"<x:xmpmeta exif:GPSLongitude=\"105,59E\"/>",
        ));
        let mut out = b"RIFF".to_vec();
        out.extend((body.len() as u32).to_le_bytes());
        out.extend(body);
        out
    }

    #[test]
    fn exif_is_blanked_and_xmp_goes() {
        let original = webp_with_gps();
        assert!(image::load_from_memory(&original).is_ok());
        let (edits, found) = plan(&original).unwrap();
        assert!(found);
        let public = apply(&original, &edits);
        assert!(!String::from_utf8_lossy(&public).contains("GPS"));
        let size = u32::from_le_bytes(public[4..8].try_into().unwrap()) as usize;
        assert_eq!(size + 8, public.len());
        assert_eq!(public[20] & 0x04, 0, "the XMP flag is cleared");
        assert_eq!(
            image::load_from_memory(&original).unwrap().to_rgb8(),
            image::load_from_memory(&public).unwrap().to_rgb8()
        );
        assert_eq!(plan(&public).unwrap(), (Vec::new(), false));
    }

    #[test]
    fn truncated_webps_are_refused() {
        let original = webp_with_gps();
        for cut in 0..original.len() {
            assert!(plan(&original[..cut]).is_err(), "cut at {cut}");
        }
    }
}
