//! PNG: which chunks the public copy keeps, blanks or leaves out.
//!
//! By the PNG specification (third edition, W3C 2025): `eXIf` holds an EXIF block, kept with its
//! GPS directory blanked (see [`super::tiff`]) and its CRC recomputed, since browsers read its
//! orientation; XMP travels in an `iTXt` chunk keyed `XML:com.adobe.xmp` and ImageMagick writes
//! EXIF, IPTC and XMP as hex text in chunks keyed `Raw profile type …`: both are left out.
//! Compressed text (`zTXt`, compressed `iTXt`) is left out too, since its words cannot be checked
//! without inflating it; plain text stays (and is checked with the whole copy). Image data
//! (`IHDR`, `PLTE`, `IDAT`, …) is kept byte for byte; anything after `IEND` is left out.

use super::{Edit, LocationError, Plan, tiff};

const FORMAT: &str = "PNG";
const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

fn malformed(reason: impl Into<String>) -> LocationError {
    LocationError::Malformed {
        format: FORMAT,
        reason: reason.into(),
    }
}

/// The edits that make `data`'s public copy, and whether they remove anything that could state a
/// location.
pub(super) fn plan(data: &[u8]) -> Plan {
    if !data.starts_with(SIGNATURE) {
        return Err(malformed("no PNG signature"));
    }
    let mut edits = Vec::new();
    let mut found = false;
    let mut pos = SIGNATURE.len();
    loop {
        let header = data
            .get(pos..pos + 8)
            .ok_or_else(|| malformed("ends before the IEND chunk"))?;
        let length = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let kind: [u8; 4] = [header[4], header[5], header[6], header[7]];
        let body = pos + 8;
        let end = body
            .checked_add(length)
            .and_then(|e| e.checked_add(4))
            .filter(|&e| e <= data.len())
            .ok_or_else(|| malformed(format!("the chunk at byte {pos} runs past the end")))?;
        let content = &data[body..body + length];
        let keyword = content.split(|&b| b == 0).next().unwrap_or_default();
        let drop = match &kind {
            b"tEXt" => keyword.starts_with(b"Raw profile type"),
            b"zTXt" => true,
            // iTXt: keyword, NUL, compression flag, method, language, NUL, keyword, NUL, text.
            b"iTXt" => {
                let compressed = content.get(keyword.len() + 1).is_none_or(|&flag| flag != 0);
                compressed
                    || keyword == b"XML:com.adobe.xmp"
                    || keyword.starts_with(b"Raw profile type")
            }
            _ => false,
        };
        if drop {
            found = true;
            edits.push(Edit {
                start: pos as u64,
                end: end as u64,
                with: Vec::new(),
            });
        } else if &kind == b"eXIf" {
            let scrub = tiff::scrub(content)
                .map_err(|reason| malformed(format!("eXIf chunk: {reason}")))?;
            found |= scrub.found;
            if !scrub.edits.is_empty() {
                let mut chunk = data[pos + 4..body + length].to_vec();
                for edit in &scrub.edits {
                    let at = 4 + edit.start as usize;
                    chunk[at..at + edit.with.len()].copy_from_slice(&edit.with);
                }
                let mut crc = flate2::Crc::new();
                crc.update(&chunk);
                let mut with = chunk[4..].to_vec();
                with.extend(crc.sum().to_be_bytes());
                edits.push(Edit {
                    start: body as u64,
                    end: end as u64,
                    with,
                });
            }
        }
        pos = end;
        if &kind == b"IEND" {
            break;
        }
    }
    if let Some(trailing) = Edit::drop_trailing(data, pos) {
        found = true;
        edits.push(trailing);
    }
    Ok((edits, found))
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::tiff::tests::{apply, exif_with_gps};
    use super::*;

    fn chunk(kind: &[u8; 4], content: &[u8]) -> Vec<u8> {
        let mut out = (content.len() as u32).to_be_bytes().to_vec();
        out.extend(kind);
        out.extend(content);
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(content);
        out.extend(crc.sum().to_be_bytes());
        out
    }

    /// A real 4×4 PNG (from the `image` crate) with `chunks` inserted after IHDR.
    pub fn png_with(chunks: &[(&[u8; 4], Vec<u8>)]) -> Vec<u8> {
        let mut encoded = Vec::new();
        image::RgbImage::from_fn(4, 4, |x, y| image::Rgb([x as u8 * 60, y as u8 * 60, 9]))
            .write_to(
                &mut std::io::Cursor::new(&mut encoded),
                image::ImageFormat::Png,
            )
            .unwrap();
        let ihdr_end = 8 + 8 + 13 + 4;
        let mut out = encoded[..ihdr_end].to_vec();
        for (kind, content) in chunks {
            out.extend(chunk(kind, content));
        }
        out.extend(&encoded[ihdr_end..]);
        out
    }

    pub fn png_with_gps() -> Vec<u8> {
        png_with(&[
            (b"eXIf", exif_with_gps()),
            (
                b"iTXt",
                b"XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta photoshop:City=\"Hue\"/>".to_vec(),
            ),
            (b"tEXt", b"Title\0Drum workshop".to_vec()),
        ])
    }

    #[test]
    fn exif_is_blanked_xmp_goes_and_pixels_stay() {
        let original = png_with_gps();
        let (edits, found) = plan(&original).unwrap();
        assert!(found);
        let public = apply(&original, &edits);
        let text = String::from_utf8_lossy(&public);
        assert!(!text.contains("City"));
        assert!(text.contains("Drum workshop"));
        assert_eq!(
            image::load_from_memory(&original).unwrap().to_rgb8(),
            image::load_from_memory(&public).unwrap().to_rgb8()
        );
        // Every chunk's CRC is right, the rewritten eXIf's included.
        let mut pos = 8;
        while pos < public.len() {
            let length = u32::from_be_bytes(public[pos..pos + 4].try_into().unwrap()) as usize;
            let mut crc = flate2::Crc::new();
            crc.update(&public[pos + 4..pos + 8 + length]);
            let stored = u32::from_be_bytes(
                public[pos + 8 + length..pos + 12 + length]
                    .try_into()
                    .unwrap(),
            );
            assert_eq!(crc.sum(), stored);
            pos += 12 + length;
        }
        assert_eq!(plan(&public).unwrap(), (Vec::new(), false));
    }

    #[test]
    fn truncated_pngs_are_refused() {
        let original = png_with_gps();
        for cut in 0..original.len() {
            assert!(plan(&original[..cut]).is_err(), "cut at {cut}");
        }
        for at in 8..original.len() {
            let mut corrupt = original.clone();
            corrupt[at] ^= 0xFF;
            let _ = plan(&corrupt);
        }
    }
}
