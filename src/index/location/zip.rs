//! ZIP-based files (Word, Excel, PowerPoint, OpenDocument, EPUB, plain ZIP): no scrubber, but every
//! member is inflated and scanned, since a photo pasted into a document keeps its EXIF GPS
//! (`word/media/image1.jpeg`) and compressed XML can name a place. Sent as it is when no member
//! holds a position; withheld when one does, or when a member is encrypted, uses a method other
//! than stored or deflate, is larger than [`MAX_MEMBER`], or the archive is ZIP64 or malformed
//! (PKWARE APPNOTE 6.3.10 §4.3).

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};

use super::{LocationError, Plan, scan};

const FORMAT: &str = "ZIP";
/// The largest member inflated into memory to be scanned.
const MAX_MEMBER: u64 = 256 << 20;
/// The most members read.
const MAX_MEMBERS: usize = 100_000;

fn malformed(reason: impl Into<String>) -> LocationError {
    LocationError::Malformed {
        format: FORMAT,
        reason: reason.into(),
    }
}

fn u16_at(data: &[u8], at: usize) -> Result<u16, LocationError> {
    data.get(at..at + 2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
        .ok_or_else(|| malformed("a header is cut"))
}

fn u32_at(data: &[u8], at: usize) -> Result<u32, LocationError> {
    data.get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or_else(|| malformed("a header is cut"))
}

/// Checks every member of the ZIP file `file` (`len` bytes); no edits are ever proposed.
pub(super) fn plan(file: &mut File, len: u64) -> Plan {
    // The end-of-central-directory record: within the last 64 KiB + 22 bytes.
    let tail_len = len.min(65_557);
    let mut tail = vec![0; tail_len as usize];
    file.seek(SeekFrom::Start(len - tail_len))?;
    file.read_exact(&mut tail)?;
    let eocd = tail
        .windows(4)
        .rposition(|w| w == b"PK\x05\x06")
        .ok_or_else(|| malformed("no end of central directory"))?;
    let count = u16_at(&tail, eocd + 10)?;
    let size = u32_at(&tail, eocd + 12)?;
    let offset = u32_at(&tail, eocd + 16)?;
    if count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
        return Err(LocationError::Unsupported {
            reason: "ZIP64 archives are not read".to_string(),
        });
    }
    if u64::from(offset) + u64::from(size) > len || usize::from(count) > MAX_MEMBERS {
        return Err(malformed("the central directory lies outside the file"));
    }
    let mut directory = vec![0; size as usize];
    file.seek(SeekFrom::Start(u64::from(offset)))?;
    file.read_exact(&mut directory)?;
    let mut pos = 0;
    for _ in 0..count {
        if u32_at(&directory, pos)? != 0x0201_4B50 {
            return Err(malformed("a central directory entry is damaged"));
        }
        let flags = u16_at(&directory, pos + 8)?;
        let method = u16_at(&directory, pos + 10)?;
        let compressed = u64::from(u32_at(&directory, pos + 20)?);
        let uncompressed = u64::from(u32_at(&directory, pos + 24)?);
        let name_len = usize::from(u16_at(&directory, pos + 28)?);
        let extra_len = usize::from(u16_at(&directory, pos + 30)?);
        let comment_len = usize::from(u16_at(&directory, pos + 32)?);
        let local = u64::from(u32_at(&directory, pos + 42)?);
        let name = String::from_utf8_lossy(
            directory
                .get(pos + 46..pos + 46 + name_len)
                .ok_or_else(|| malformed("a member name is cut"))?,
        )
        .into_owned();
        pos += 46 + name_len + extra_len + comment_len;
        if flags & 1 != 0 {
            return Err(LocationError::Unsupported {
                reason: format!("{name} is encrypted"),
            });
        }
        if uncompressed > MAX_MEMBER || compressed > MAX_MEMBER {
            return Err(LocationError::Unsupported {
                reason: format!("{name} is too large to check"),
            });
        }
        let mut header = [0u8; 30];
        file.seek(SeekFrom::Start(local))?;
        file.read_exact(&mut header)
            .map_err(|_| malformed(format!("{name}: its header lies outside the file")))?;
        if header[..4] != *b"PK\x03\x04" {
            return Err(malformed(format!("{name}: no local header")));
        }
        let skip = 30 + u64::from(u16_at(&header, 26)?) + u64::from(u16_at(&header, 28)?);
        if local + skip + compressed > len {
            return Err(malformed(format!("{name} runs past the end")));
        }
        file.seek(SeekFrom::Start(local + skip))?;
        let raw = file.by_ref().take(compressed);
        let mut content = Vec::new();
        let read = match method {
            0 => raw.take(MAX_MEMBER).read_to_end(&mut content),
            8 => flate2::read::DeflateDecoder::new(raw)
                .take(MAX_MEMBER + 1)
                .read_to_end(&mut content),
            other => {
                return Err(LocationError::Unsupported {
                    reason: format!("{name} is compressed with method {other}"),
                });
            }
        };
        read.map_err(|error| malformed(format!("{name}: {error}")))?;
        if content.len() as u64 != uncompressed {
            return Err(malformed(format!(
                "{name} does not inflate to its stated size"
            )));
        }
        if let Some(finding) = scan::scan(&content[..], &mut io::Cursor::new(&content), false)? {
            return Err(LocationError::Unsupported {
                reason: format!("{name} holds {} at byte {}", finding.what, finding.at),
            });
        }
    }
    Ok((Vec::new(), false))
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::super::jpeg::tests::{exif_segment, jpeg_with};
    use super::*;

    /// A ZIP of deflated members, as Word writes a `.docx`.
    fn zip_of(members: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let (mut out, mut directory) = (Vec::new(), Vec::new());
        for (name, content) in members {
            let mut encoder =
                flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
            encoder.write_all(content).unwrap();
            let deflated = encoder.finish().unwrap();
            let mut crc = flate2::Crc::new();
            crc.update(content);
            let mut fields = Vec::new();
            fields.extend([20, 0, 0, 0, 8, 0, 0, 0, 0, 0]);
            fields.extend(crc.sum().to_le_bytes());
            fields.extend((deflated.len() as u32).to_le_bytes());
            fields.extend((content.len() as u32).to_le_bytes());
            fields.extend((name.len() as u16).to_le_bytes());
            fields.extend(0u16.to_le_bytes());
            let local = out.len() as u32;
            out.extend(b"PK\x03\x04");
            out.extend(&fields);
            out.extend(name.as_bytes());
            out.extend(&deflated);
            directory.extend(b"PK\x01\x02\x14\x00");
            directory.extend(&fields);
            directory.extend([0; 10]);
            directory.extend(local.to_le_bytes());
            directory.extend(name.as_bytes());
        }
        let offset = out.len() as u32;
        out.extend(&directory);
        out.extend(b"PK\x05\x06\0\0\0\0");
        out.extend((members.len() as u16).to_le_bytes());
        out.extend((members.len() as u16).to_le_bytes());
        out.extend((directory.len() as u32).to_le_bytes());
        out.extend(offset.to_le_bytes());
        out.extend(0u16.to_le_bytes());
        out
    }

    fn plan_bytes(bytes: &[u8]) -> Plan {
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(bytes).unwrap();
        plan(&mut file, bytes.len() as u64)
    }

    #[test]
    fn a_geotagged_photo_inside_a_document_withholds_it() {
        let text = (
            "word/document.xml",
            b"<w:document>Khung cui</w:document>".to_vec(),
        );
        let photo = ("word/media/image1.jpeg", jpeg_with(&[exif_segment()], b""));
        assert_eq!(
            plan_bytes(&zip_of(std::slice::from_ref(&text))).unwrap(),
            (Vec::new(), false)
        );
        let error = plan_bytes(&zip_of(&[text.clone(), photo])).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("word/media/image1.jpeg holds an EXIF block with GPS"),
            "{error}"
        );
        let placed = (
            "docProps/custom.xml",
            b"<x:xmpmeta photoshop:City=\"Hue\"/>".to_vec(),
        );
        assert!(plan_bytes(&zip_of(&[text.clone(), placed])).is_err());
        // Cut anywhere before the archive comment's length (which nothing needs): refused.
        let whole = zip_of(&[text]);
        for cut in 0..whole.len() - 2 {
            assert!(plan_bytes(&whole[..cut]).is_err(), "cut at {cut}");
        }
    }
}
