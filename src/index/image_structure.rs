//! The structure of JPEG and TIFF files, walked without decoding a pixel.
//!
//! Decoders answer "cannot decode" both for a damaged file and for a well-formed one using a
//! feature they lack (arithmetic coding, CCITT fax compression, CIELab colour). An archive must
//! keep the second and refuse only the first, so before and after decoding Disan walks the
//! file's own structure: JPEG markers and segment lengths up to the end-of-image marker that
//! ends the picture's own scan data (not an FF D9 anywhere: phones append a whole video after
//! it), TIFF directories and the strips or tiles they point to. The walk also gives the declared
//! pixel size, checked against the budget before any decoder allocates for it.
//!
//! Every loop here advances through the file and stops at its end, so a walk costs at most one
//! pass over the bytes.

/// What a JPEG declares about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JpegLayout {
    /// Offset just past the end-of-image marker: the JPEG proper. Anything after it (a motion
    /// photo's video, a camera's trailer) is not part of the picture.
    pub end: usize,
    /// Declared width in pixels.
    pub width: u32,
    /// Declared height in pixels.
    pub height: u32,
    /// The start-of-frame marker (`0xC0` baseline … `0xCF`); says the coding process.
    pub frame: u8,
    /// The XMP packet names an embedded video (Google `MicroVideo` or `MotionPhoto`).
    pub motion_photo: bool,
}

impl JpegLayout {
    /// The coding process when it is one our decoder lacks: lossless, hierarchical or
    /// arithmetic-coded JPEG (all valid ITU T.81 processes, rare outside archives).
    pub fn unsupported_process(&self) -> Option<&'static str> {
        match self.frame {
            0xC3 => Some("lossless JPEG"),
            0xC5..=0xC7 => Some("hierarchical JPEG"),
            0xC9..=0xCB | 0xCD..=0xCF => Some("arithmetic-coded JPEG"),
            _ => None,
        }
    }
}

/// One image component of a frame: its sampling factors.
#[derive(Debug, Clone, Copy)]
struct Component {
    id: u8,
    h: u32,
    v: u32,
}

/// Walks a JPEG's markers from SOI to the EOI that ends its scan data.
///
/// Errors (the file is damaged or truncated): a segment running past the end of the file, no
/// frame header, no end-of-image marker after the scan data, or a Huffman-coded scan too short
/// to hold one bit per 8×8 block of the size the frame declares (a few hundred bytes cannot
/// hold 13,000 × 13,000 pixels, whatever they show).
pub fn walk_jpeg(bytes: &[u8]) -> Result<JpegLayout, String> {
    const TRUNCATED: &str = "the JPEG data is truncated (no end-of-image marker)";
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return Err("not a JPEG (no start-of-image marker)".to_string());
    }
    let mut frame: Option<(u8, u32, u32, Vec<Component>)> = None;
    let mut motion_photo = false;
    let mut pos = 2;
    loop {
        // A marker: 0xFF, optional fill bytes 0xFF, then the code.
        if bytes.get(pos) != Some(&0xFF) {
            return Err(if pos >= bytes.len() {
                TRUNCATED.to_string()
            } else {
                format!("the JPEG structure is broken at byte {pos} (a marker was expected)")
            });
        }
        while bytes.get(pos) == Some(&0xFF) {
            pos += 1;
        }
        let Some(&marker) = bytes.get(pos) else {
            return Err(TRUNCATED.to_string());
        };
        pos += 1;
        match marker {
            0xD9 => {
                let Some((frame, width, height, _)) = frame else {
                    return Err("the JPEG has no frame header".to_string());
                };
                return Ok(JpegLayout {
                    end: pos,
                    width,
                    height,
                    frame,
                    motion_photo,
                });
            }
            0x01 | 0xD0..=0xD7 => continue,
            _ => {}
        }
        let length = match bytes.get(pos..pos + 2) {
            Some(&[high, low]) => usize::from(u16::from_be_bytes([high, low])),
            _ => return Err(TRUNCATED.to_string()),
        };
        if length < 2 || pos + length > bytes.len() {
            return Err(TRUNCATED.to_string());
        }
        let segment = &bytes[pos + 2..pos + length];
        pos += length;
        match marker {
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                frame = Some(parse_frame(marker, segment)?);
            }
            0xE1 if segment.starts_with(b"http://ns.adobe.com/xap/1.0/\0") => {
                motion_photo |=
                    contains(segment, b"MicroVideo") || contains(segment, b"MotionPhoto");
            }
            0xDA => {
                let Some((frame_marker, width, height, components)) = &frame else {
                    return Err("the JPEG has a scan before its frame header".to_string());
                };
                let data_start = pos;
                pos = skip_entropy_data(bytes, pos).ok_or(TRUNCATED)?;
                check_scan_length(
                    *frame_marker,
                    *width,
                    *height,
                    components,
                    segment,
                    pos - data_start,
                )?;
            }
            _ => {}
        }
    }
}

fn parse_frame(marker: u8, segment: &[u8]) -> Result<(u8, u32, u32, Vec<Component>), String> {
    let broken = || "the JPEG frame header is broken".to_string();
    let &[_precision, h1, h0, w1, w0, count, ref rest @ ..] = segment else {
        return Err(broken());
    };
    let height = u32::from(u16::from_be_bytes([h1, h0]));
    let width = u32::from(u16::from_be_bytes([w1, w0]));
    let components: Vec<Component> = rest
        .chunks_exact(3)
        .take(usize::from(count))
        .map(|c| Component {
            id: c[0],
            h: u32::from(c[1] >> 4).max(1),
            v: u32::from(c[1] & 0x0F).max(1),
        })
        .collect();
    if components.len() != usize::from(count) || count == 0 {
        return Err(broken());
    }
    if width == 0 || height == 0 {
        return Err(format!(
            "the JPEG declares a size of {width}x{height} pixels"
        ));
    }
    Ok((marker, width, height, components))
}

/// The offset of the marker ending the entropy-coded data that starts at `pos` (inside it, 0xFF
/// is always followed by a stuffed 0x00 or a restart marker), or `None` at the end of the file.
fn skip_entropy_data(bytes: &[u8], mut pos: usize) -> Option<usize> {
    loop {
        let found = pos + bytes.get(pos..)?.iter().position(|&b| b == 0xFF)?;
        match bytes.get(found + 1)? {
            0x00 | 0xD0..=0xD7 => pos = found + 2,
            _ => return Some(found),
        }
    }
}

/// A Huffman-coded scan that carries first DC coefficients (baseline and sequential scans, and
/// the first DC scan of a progressive JPEG) spends at least one bit per 8×8 block, the shortest
/// Huffman code; its data cannot be shorter than that. (Arithmetic coding and the refining or AC
/// scans of progressive JPEGs can be shorter, so they are not checked.)
fn check_scan_length(
    frame: u8,
    width: u32,
    height: u32,
    components: &[Component],
    header: &[u8],
    data_length: usize,
) -> Result<(), String> {
    let huffman = matches!(frame, 0xC0..=0xC2);
    let Some((&count, rest)) = header.split_first() else {
        return Err("the JPEG scan header is broken".to_string());
    };
    let count = usize::from(count);
    let (Some(ids), Some(&[start, _end, approximation])) =
        (rest.get(..count * 2), rest.get(count * 2..count * 2 + 3))
    else {
        return Err("the JPEG scan header is broken".to_string());
    };
    let first_dc = frame != 0xC2 || (start == 0 && approximation >> 4 == 0);
    if !huffman || !first_dc {
        return Ok(());
    }
    let h_max = components.iter().map(|c| c.h).max().unwrap_or(1);
    let v_max = components.iter().map(|c| c.v).max().unwrap_or(1);
    let blocks: u64 = ids
        .chunks_exact(2)
        .filter_map(|pair| components.iter().find(|c| c.id == pair[0]))
        .map(|c| {
            let columns = u64::from((width * c.h).div_ceil(h_max).div_ceil(8));
            let rows = u64::from((height * c.v).div_ceil(v_max).div_ceil(8));
            columns * rows
        })
        .sum();
    if (data_length as u64) * 8 < blocks {
        return Err(format!(
            "the JPEG data is truncated: a scan holds {data_length} bytes, too few for the {width}x{height} pixels the file declares"
        ));
    }
    Ok(())
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// What the first directory of a TIFF declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TiffLayout {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// BigTIFF (`II+`/`MM+`, 64-bit offsets) rather than classic TIFF.
    pub big: bool,
    /// Compression tag (1 none, 3 CCITT Group 3 fax, 5 LZW …).
    pub compression: u16,
    /// PhotometricInterpretation tag (2 RGB, 3 palette, 8 CIELab …).
    pub photometric: u16,
    /// Bits of each sample.
    pub bits_per_sample: u16,
}

impl TiffLayout {
    /// How a person would name this kind of TIFF: "TIFF with CCITT Group 3 fax compression",
    /// "CIELab TIFF", "4-bit palette TIFF".
    pub fn describe(&self) -> String {
        let colour = match self.photometric {
            0 | 1 if self.bits_per_sample == 1 => "bilevel ",
            0 | 1 => "greyscale ",
            2 => "RGB ",
            3 => "palette ",
            5 => "CMYK ",
            6 => "YCbCr ",
            8 => "CIELab ",
            9 => "ICCLab ",
            10 => "ITULab ",
            _ => "",
        };
        let compression = match self.compression {
            1 => String::new(),
            2 => " with CCITT modified Huffman compression".to_string(),
            3 => " with CCITT Group 3 fax compression".to_string(),
            4 => " with CCITT Group 4 fax compression".to_string(),
            5 => " with LZW compression".to_string(),
            6 | 7 => " with JPEG compression".to_string(),
            8 | 32946 => " with Deflate compression".to_string(),
            32773 => " with PackBits compression".to_string(),
            34712 => " with JPEG 2000 compression".to_string(),
            other => format!(" with compression {other}"),
        };
        let big = if self.big { "BigTIFF" } else { "TIFF" };
        format!("{}-bit {colour}{big}{compression}", self.bits_per_sample)
    }
}

/// Entries more than this in one TIFF directory are taken for damage (real files hold ~20).
const MAX_TIFF_ENTRIES: u64 = 4096;

/// Walks a TIFF's header and first directory and checks that every strip or tile it names lies
/// inside the file.
///
/// Errors (damaged or truncated): a header, directory or value outside the file, no size, no
/// image data, or image data past the end of the file.
pub fn walk_tiff(bytes: &[u8]) -> Result<TiffLayout, String> {
    let truncated =
        |what: &str| format!("the TIFF data is truncated ({what} past the end of the file)");
    let little = match bytes.get(..2) {
        Some(b"II") => true,
        Some(b"MM") => false,
        _ => return Err("not a TIFF (no byte-order mark)".to_string()),
    };
    let read = |at: u64, size: usize| -> Option<u64> {
        let at = usize::try_from(at).ok()?;
        let slice = bytes.get(at..at.checked_add(size)?)?;
        let mut value = 0u64;
        for index in 0..size {
            let byte = if little {
                slice[size - 1 - index]
            } else {
                slice[index]
            };
            value = value << 8 | u64::from(byte);
        }
        Some(value)
    };
    let big = match read(2, 2) {
        Some(42) => false,
        Some(43) => true,
        _ => return Err("not a TIFF (bad version number)".to_string()),
    };
    let (offset_size, entry_size, count_size) = if big { (8, 20, 8) } else { (4, 12, 2) };
    let first =
        read(if big { 8 } else { 4 }, offset_size).ok_or_else(|| truncated("the header"))?;
    let entries = read(first, count_size).ok_or_else(|| truncated("the first directory"))?;
    if entries == 0 || entries > MAX_TIFF_ENTRIES {
        return Err(format!("the TIFF directory is broken ({entries} entries)"));
    }
    let mut tags: std::collections::BTreeMap<u16, Vec<u64>> = Default::default();
    for index in 0..entries {
        let entry = first + count_size as u64 + index * entry_size;
        let (Some(tag), Some(kind), Some(count)) = (
            read(entry, 2),
            read(entry + 2, 2),
            read(entry + 4, offset_size),
        ) else {
            return Err(truncated("the first directory"));
        };
        let size = match kind {
            1 | 2 | 6 | 7 => 1,
            3 | 8 => 2,
            4 | 9 | 11 | 13 => 4,
            5 | 10 | 12 | 16 | 17 | 18 => 8,
            _ => continue,
        };
        let total = count
            .checked_mul(size as u64)
            .ok_or_else(|| truncated("a value"))?;
        let field = entry + 4 + offset_size as u64;
        let at = if total <= offset_size as u64 {
            field
        } else {
            read(field, offset_size).ok_or_else(|| truncated("a value"))?
        };
        if at
            .checked_add(total)
            .is_none_or(|end| end > bytes.len() as u64)
        {
            return Err(truncated("a value"));
        }
        // Only the few numeric tags the walk needs are read, and only integer types.
        if matches!(tag, 256 | 257 | 258 | 259 | 262 | 273 | 279 | 324 | 325)
            && matches!(size, 1..=4 | 8)
            && !matches!(kind, 5 | 10 | 11 | 12)
        {
            let values = (0..count)
                .map(|i| read(at + i * size as u64, size).unwrap_or(0))
                .collect();
            tags.insert(tag as u16, values);
        }
    }
    let first_value = |tag: u16| tags.get(&tag).and_then(|v| v.first()).copied();
    let (Some(width), Some(height)) = (first_value(256), first_value(257)) else {
        return Err("the TIFF declares no image size".to_string());
    };
    let (offsets, counts) = match (
        tags.get(&273),
        tags.get(&279),
        tags.get(&324),
        tags.get(&325),
    ) {
        (Some(offsets), Some(counts), _, _) | (_, _, Some(offsets), Some(counts)) => {
            (offsets, counts)
        }
        _ => return Err("the TIFF has no image data (no strips or tiles)".to_string()),
    };
    for (offset, count) in offsets.iter().zip(counts) {
        if offset
            .checked_add(*count)
            .is_none_or(|end| end > bytes.len() as u64)
        {
            return Err(truncated("image data"));
        }
    }
    Ok(TiffLayout {
        width: u32::try_from(width)
            .map_err(|_| "the TIFF declares an impossible width".to_string())?,
        height: u32::try_from(height)
            .map_err(|_| "the TIFF declares an impossible height".to_string())?,
        big,
        compression: first_value(259).unwrap_or(1) as u16,
        photometric: first_value(262).unwrap_or(1) as u16,
        bits_per_sample: first_value(258).unwrap_or(1) as u16,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(width: u16, height: u16) -> Vec<u8> {
        let rgb = vec![128u8; usize::from(width) * usize::from(height) * 3];
        let mut encoded = Vec::new();
        jpeg_encoder::Encoder::new(&mut encoded, 80)
            .encode(&rgb, width, height, jpeg_encoder::ColorType::Rgb)
            .unwrap();
        encoded
    }

    #[test]
    fn the_end_is_the_pictures_own_and_a_video_after_it_is_not_part_of_it() {
        let picture = jpeg(64, 48);
        let layout = walk_jpeg(&picture).unwrap();
        assert_eq!(
            (layout.end, layout.width, layout.height),
            (picture.len(), 64, 48)
        );
        // An appended "video" holding FF DA and no FF D9 after it does not make it truncated.
        let mut motion = picture.clone();
        motion.extend_from_slice(b"\0\0\0\x18ftypmp42\xFF\xDA\x00\x08junk");
        assert_eq!(walk_jpeg(&motion).unwrap().end, picture.len());
        let cut = &picture[..picture.len() - 10];
        assert_eq!(
            walk_jpeg(cut).unwrap_err(),
            "the JPEG data is truncated (no end-of-image marker)"
        );
    }

    #[test]
    fn a_scan_too_short_for_the_declared_size_is_truncated() {
        let mut picture = jpeg(16, 16);
        // Declare 13000 x 13000 in the frame header, keeping the tiny scan.
        let sof = picture.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        picture[sof + 5..sof + 9].copy_from_slice(&[0x32, 0xC8, 0x32, 0xC8]);
        let error = walk_jpeg(&picture).unwrap_err();
        assert!(
            error.starts_with("the JPEG data is truncated: a scan holds "),
            "{error}"
        );
        assert!(error.ends_with("too few for the 13000x13000 pixels the file declares"));
    }

    fn tiff(width: u32, height: u32) -> Vec<u8> {
        let rgb = vec![200u8; (width * height * 3) as usize];
        let mut out = std::io::Cursor::new(Vec::new());
        image::codecs::tiff::TiffEncoder::new(&mut out)
            .encode(&rgb, width, height, image::ExtendedColorType::Rgb8)
            .unwrap();
        out.into_inner()
    }

    #[test]
    fn a_tiff_is_walked_and_its_data_must_lie_inside_the_file() {
        let whole = tiff(30, 20);
        let layout = walk_tiff(&whole).unwrap();
        assert_eq!((layout.width, layout.height, layout.big), (30, 20, false));
        assert_eq!(layout.describe(), "8-bit RGB TIFF");
        // The case's bomb: a strip declared past the end of a tiny file.
        let mut bomb = b"II*\0\x08\0\0\0".to_vec();
        let entries: [(u16, u16, u32, u32); 9] = [
            (256, 4, 1, 60000),
            (257, 4, 1, 60000),
            (258, 3, 1, 8),
            (259, 3, 1, 1),
            (262, 3, 1, 1),
            (273, 4, 1, 8),
            (277, 3, 1, 1),
            (278, 4, 1, 60000),
            (279, 4, 1, 60000 * 60000 / 4),
        ];
        bomb.extend((entries.len() as u16).to_le_bytes());
        for (tag, kind, count, value) in entries {
            bomb.extend(tag.to_le_bytes());
            bomb.extend(kind.to_le_bytes());
            bomb.extend(count.to_le_bytes());
            bomb.extend(value.to_le_bytes());
        }
        bomb.extend([0u8; 68]);
        assert_eq!(
            walk_tiff(&bomb).unwrap_err(),
            "the TIFF data is truncated (image data past the end of the file)"
        );
        assert!(walk_tiff(&whole[..whole.len() / 2]).is_err());
    }
}
