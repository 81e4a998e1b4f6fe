//! ISO base media files: MP4, QuickTime, 3GPP, M4A, HEIC/HEIF and AVIF. Phones write a film's
//! position into its metadata boxes and a photo's into its EXIF item; this module finds them and
//! says which bytes to overwrite. Every edit keeps each box's size, so no offset in the file moves
//! and the media data (`mdat`) is never touched.
//!
//! What is removed, by ISO/IEC 14496-12, 3GPP TS 26.244 and Apple's QuickTime File Format:
//! - `©xyz` (Android's and Apple's ISO 6709 position) and `loci` (3GPP location), anywhere under
//!   `moov` or a top-level `udta`/`meta`: renamed to `free`, which every reader skips, and their
//!   content zeroed;
//! - XMP (`uuid` BE7ACFCB-97A9-42E8-9C71-999491E3AFAC, QuickTime's `XMP_`): the same;
//! - QuickTime metadata (`meta` with `keys` and `ilst`): a key whose name mentions a location
//!   (`com.apple.quicktime.location.ISO6709`, `….location.name`, anything with `location` or
//!   `gps`) is renamed `org.disan.removed…` and its value item becomes a zeroed `free` box;
//! - HEIF items: the `Exif` item's GPS directory is blanked (see [`super::tiff`]); XMP items
//!   (`mime` items of type `application/rdf+xml`) are overwritten by an empty packet.
//!
//! Refused (the original is not offered): timed metadata tracks that can carry a moving position
//! (GoPro `gpmd`, Google `camm`), items stored across several extents, anything malformed, and
//! metadata that still holds a coordinate (a signed decimal with three or more decimals, as ISO
//! 6709 writes them) after the edits, in a box this module does not know or whose name is damaged.
//! Every top-level box but `mdat`, `free`, `skip` and `wide` is read into memory, each at most
//! [`MAX_BOX`] (a larger one refuses the file).

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

use super::{Edit, LocationError, Plan, tiff};

const FORMAT: &str = "ISO base media";
/// The largest metadata box read into memory.
const MAX_BOX: u64 = 256 << 20;
/// The most top-level boxes, and nested boxes per parent, that are read.
const MAX_BOXES: usize = 100_000;
const MAX_DEPTH: usize = 12;
const XMP_UUID: [u8; 16] = [
    0xBE, 0x7A, 0xCF, 0xCB, 0x97, 0xA9, 0x42, 0xE8, 0x9C, 0x71, 0x99, 0x94, 0x91, 0xE3, 0xAF, 0xAC,
];
/// What a removed key is renamed to (cut or padded with dots to the old name's length).
const REMOVED_KEY: &[u8] = b"org.disan.removed";

fn malformed(reason: impl Into<String>) -> LocationError {
    LocationError::Malformed {
        format: FORMAT,
        reason: reason.into(),
    }
}

/// A box inside a buffer: its type, where its header starts and where its content lies.
struct BoxAt {
    kind: [u8; 4],
    start: usize,
    content: usize,
    end: usize,
}

/// The boxes directly inside `data[from..to]`.
fn children(data: &[u8], from: usize, to: usize) -> Result<Vec<BoxAt>, String> {
    let mut boxes = Vec::new();
    let mut pos = from;
    while pos < to {
        if boxes.len() >= MAX_BOXES {
            return Err("too many boxes".to_string());
        }
        // QuickTime allows a 32-bit zero terminator at the end of some lists (udta).
        if to - pos == 4 && data[pos..to] == [0, 0, 0, 0] {
            break;
        }
        let header = data
            .get(pos..pos + 8)
            .filter(|_| pos + 8 <= to)
            .ok_or_else(|| format!("a box header is cut at byte {pos}"))?;
        let size32 = u32::from_be_bytes([header[0], header[1], header[2], header[3]]);
        let kind = [header[4], header[5], header[6], header[7]];
        let (size, content) = match size32 {
            0 => ((to - pos) as u64, pos + 8),
            1 => {
                let large = data
                    .get(pos + 8..pos + 16)
                    .ok_or_else(|| format!("a box header is cut at byte {pos}"))?;
                (
                    u64::from_be_bytes(large.try_into().unwrap_or_default()),
                    pos + 16,
                )
            }
            n => (u64::from(n), pos + 8),
        };
        let end = usize::try_from(size)
            .ok()
            .and_then(|s| pos.checked_add(s))
            .filter(|&e| e <= to && e >= content)
            .ok_or_else(|| format!("the box at byte {pos} runs past its parent"))?;
        boxes.push(BoxAt {
            kind,
            start: pos,
            content,
            end,
        });
        pos = end;
    }
    Ok(boxes)
}

/// Collects the edits; `base` is the file offset of the buffer being walked.
struct Walk<'f> {
    file: &'f mut File,
    file_len: u64,
    edits: Vec<Edit>,
    found: bool,
}

impl Walk<'_> {
    /// Turns a box into a `free` box of the same size whose content is zeros: readers skip it,
    /// and its old bytes are gone from the copy.
    fn rename_free(&mut self, base: u64, boxed: &BoxAt) {
        self.found = true;
        let at = base + boxed.start as u64 + 4;
        self.edits.push(Edit {
            start: at,
            end: at + 4,
            with: b"free".to_vec(),
        });
        if boxed.end > boxed.content {
            self.edits.push(Edit {
                start: base + boxed.content as u64,
                end: base + boxed.end as u64,
                with: vec![0; boxed.end - boxed.content],
            });
        }
    }

    fn walk(
        &mut self,
        data: &[u8],
        base: u64,
        from: usize,
        to: usize,
        depth: usize,
    ) -> Result<(), LocationError> {
        if depth > MAX_DEPTH {
            return Err(malformed("boxes nested too deep"));
        }
        for boxed in children(data, from, to).map_err(malformed)? {
            match &boxed.kind {
                b"\xA9xyz" | b"loci" | b"XMP_" => self.rename_free(base, &boxed),
                b"uuid" if data.get(boxed.content..boxed.content + 16) == Some(&XMP_UUID[..]) => {
                    self.rename_free(base, &boxed)
                }
                b"moov" | b"trak" | b"mdia" | b"minf" | b"stbl" | b"udta" | b"edts" | b"mvex"
                | b"moof" | b"traf" => {
                    self.walk(data, base, boxed.content, boxed.end, depth + 1)?
                }
                b"stsd" => {
                    // Full box, entry count, then sample entries.
                    for entry in children(data, (boxed.content + 8).min(boxed.end), boxed.end)
                        .map_err(malformed)?
                    {
                        if matches!(&entry.kind, b"gpmd" | b"camm") {
                            return Err(LocationError::Unsupported {
                                reason: format!(
                                    "a {} track can carry a moving position",
                                    String::from_utf8_lossy(&entry.kind)
                                ),
                            });
                        }
                    }
                }
                b"meta" => self.meta(data, base, &boxed, depth)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// A `meta` box: ISO's is a full box, QuickTime's is not (its first child is `hdlr`).
    fn meta(
        &mut self,
        data: &[u8],
        base: u64,
        boxed: &BoxAt,
        depth: usize,
    ) -> Result<(), LocationError> {
        let quicktime = data.get(boxed.content + 4..boxed.content + 8) == Some(b"hdlr");
        let from = if quicktime {
            boxed.content
        } else {
            boxed.content + 4
        };
        if from > boxed.end {
            return Err(malformed("a meta box is cut"));
        }
        let inner = children(data, from, boxed.end).map_err(malformed)?;
        let mut location_keys = Vec::new();
        let mut idat = None;
        for child in &inner {
            match &child.kind {
                b"keys" => location_keys = self.keys(data, base, child)?,
                b"idat" => idat = Some(base + child.content as u64),
                _ => {}
            }
        }
        for child in &inner {
            match &child.kind {
                b"ilst" => {
                    for item in children(data, child.content, child.end).map_err(malformed)? {
                        if location_keys.contains(&u32::from_be_bytes(item.kind)) {
                            self.rename_free(base, &item);
                        }
                    }
                    // iTunes-style lists hold ©xyz as an item of its own.
                    self.walk(data, base, child.content, child.end, depth + 1)?;
                }
                b"iinf" => {
                    let items = item_infos(data, child).map_err(malformed)?;
                    let locations = inner
                        .iter()
                        .find(|b| &b.kind == b"iloc")
                        .map(|iloc| item_locations(data, iloc))
                        .transpose()
                        .map_err(malformed)?
                        .unwrap_or_default();
                    self.items(&items, &locations, idat)?;
                }
                b"udta" | b"\xA9xyz" | b"loci" | b"XMP_" | b"uuid" => {
                    self.walk(data, base, child.start, child.end, depth + 1)?
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Renames location keys in a `keys` box; returns their 1-based indexes.
    fn keys(&mut self, data: &[u8], base: u64, keys: &BoxAt) -> Result<Vec<u32>, LocationError> {
        let mut pos = keys.content + 8;
        let mut index = 0u32;
        let mut found = Vec::new();
        while pos + 8 <= keys.end {
            index += 1;
            let size =
                u32::from_be_bytes(data[pos..pos + 4].try_into().unwrap_or_default()) as usize;
            let end = pos
                .checked_add(size)
                .filter(|&e| size >= 8 && e <= keys.end)
                .ok_or_else(|| malformed("a metadata key runs past its box"))?;
            let name = &data[pos + 8..end];
            let lower = name.to_ascii_lowercase();
            let mentions = |word: &[u8]| lower.windows(word.len()).any(|w| w == word);
            if mentions(b"location") || mentions(b"gps") || mentions(b"6709") {
                self.found = true;
                let mut with: Vec<u8> = REMOVED_KEY.iter().copied().take(name.len()).collect();
                with.resize(name.len(), b'.');
                let at = base + pos as u64 + 8;
                self.edits.push(Edit {
                    start: at,
                    end: at + name.len() as u64,
                    with,
                });
                found.push(index);
            }
            pos = end;
        }
        Ok(found)
    }

    /// Blanks HEIF items: the EXIF item's GPS directory, and XMP items.
    fn items(
        &mut self,
        items: &BTreeMap<u32, ItemInfo>,
        locations: &BTreeMap<u32, ItemLocation>,
        idat: Option<u64>,
    ) -> Result<(), LocationError> {
        for (id, info) in items {
            let exif = &info.kind == b"Exif";
            let xmp = &info.kind == b"mime" && info.content_type.contains("rdf+xml");
            if !exif && !xmp {
                continue;
            }
            let location = locations
                .get(id)
                .ok_or_else(|| malformed(format!("item {id} has no location")))?;
            let start = match location.construction {
                0 => location.offset,
                1 => {
                    idat.ok_or_else(|| malformed("an item in idat without idat"))? + location.offset
                }
                _ => {
                    return Err(LocationError::Unsupported {
                        reason: format!("item {id} is built from other items"),
                    });
                }
            };
            if start
                .checked_add(location.length)
                .is_none_or(|e| e > self.file_len)
                || location.length > MAX_BOX
            {
                return Err(malformed(format!("item {id} lies outside the file")));
            }
            let mut bytes = vec![0; location.length as usize];
            self.file
                .seek(SeekFrom::Start(start))
                .and_then(|_| self.file.read_exact(&mut bytes))
                .map_err(LocationError::Io)?;
            if xmp {
                let with = tiff::blank_xmp(bytes.len());
                if with != bytes {
                    self.found = true;
                    self.edits.push(Edit {
                        start,
                        end: start + location.length,
                        with,
                    });
                }
                continue;
            }
            // ISO/IEC 23008-12 A.2.1: a 32-bit offset to the TIFF header, then the EXIF block.
            let skip = bytes
                .get(..4)
                .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize)
                .and_then(|s| s.checked_add(4))
                .filter(|&s| s <= bytes.len())
                .ok_or_else(|| malformed("the EXIF item is cut"))?;
            let scrub = tiff::scrub(&bytes[skip..])
                .map_err(|reason| malformed(format!("EXIF item: {reason}")))?;
            self.found |= scrub.found;
            let offset = start + skip as u64;
            self.edits.extend(scrub.edits.into_iter().map(|edit| Edit {
                start: edit.start + offset,
                end: edit.end + offset,
                with: edit.with,
            }));
        }
        Ok(())
    }
}

struct ItemInfo {
    kind: [u8; 4],
    content_type: String,
}

#[derive(Default)]
struct ItemLocation {
    construction: u8,
    offset: u64,
    length: u64,
}

/// A reader over a box's content that fails, never panics, at its end.
struct Bytes<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Bytes<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let slice = self
            .data
            .get(self.pos..self.pos + n)
            .ok_or_else(|| "a box ends early".to_string())?;
        self.pos += n;
        Ok(slice)
    }

    fn uint(&mut self, n: usize) -> Result<u64, String> {
        Ok(self
            .take(n)?
            .iter()
            .fold(0u64, |v, &b| (v << 8) | u64::from(b)))
    }

    fn cstring(&mut self) -> Result<String, String> {
        let rest = self.data.get(self.pos..).unwrap_or_default();
        let length = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
        let text = String::from_utf8_lossy(&rest[..length]).into_owned();
        self.pos += (length + 1).min(rest.len());
        Ok(text)
    }
}

/// `iinf`: item id → type (ISO/IEC 14496-12 §8.11.6).
fn item_infos(data: &[u8], iinf: &BoxAt) -> Result<BTreeMap<u32, ItemInfo>, String> {
    let mut head = Bytes {
        data: &data[iinf.content..iinf.end],
        pos: 0,
    };
    let version = head.uint(1)?;
    head.take(3)?;
    head.uint(if version == 0 { 2 } else { 4 })?;
    let mut items = BTreeMap::new();
    for infe in children(data, iinf.content + head.pos, iinf.end)? {
        if &infe.kind != b"infe" {
            continue;
        }
        let mut entry = Bytes {
            data: &data[infe.content..infe.end],
            pos: 0,
        };
        let version = entry.uint(1)?;
        entry.take(3)?;
        let (id, kind) = if version >= 2 {
            let id = entry.uint(if version == 2 { 2 } else { 4 })? as u32;
            entry.take(2)?;
            let kind: [u8; 4] = entry.take(4)?.try_into().map_err(|_| "short type")?;
            (id, kind)
        } else {
            let id = entry.uint(2)? as u32;
            entry.take(2)?;
            (id, *b"mime")
        };
        entry.cstring()?;
        let content_type = if &kind == b"mime" {
            entry.cstring()?
        } else {
            String::new()
        };
        items.insert(id, ItemInfo { kind, content_type });
    }
    Ok(items)
}

/// `iloc`: item id → where its single extent lies (ISO/IEC 14496-12 §8.11.3).
fn item_locations(data: &[u8], iloc: &BoxAt) -> Result<BTreeMap<u32, ItemLocation>, String> {
    let mut b = Bytes {
        data: &data[iloc.content..iloc.end],
        pos: 0,
    };
    let version = b.uint(1)?;
    b.take(3)?;
    let sizes = b.uint(1)?;
    let (offset_size, length_size) = ((sizes >> 4) as usize, (sizes & 15) as usize);
    let sizes = b.uint(1)?;
    let base_size = (sizes >> 4) as usize;
    let index_size = if version >= 1 {
        (sizes & 15) as usize
    } else {
        0
    };
    if [offset_size, length_size, base_size, index_size]
        .iter()
        .any(|s| ![0, 4, 8].contains(s))
    {
        return Err("an item location uses a field size other than 0, 4 or 8".to_string());
    }
    let count = b.uint(if version < 2 { 2 } else { 4 })?;
    let mut items = BTreeMap::new();
    for _ in 0..count {
        let id = b.uint(if version < 2 { 2 } else { 4 })? as u32;
        let construction = if version >= 1 {
            (b.uint(2)? & 15) as u8
        } else {
            0
        };
        let reference = b.uint(2)?;
        let base = b.uint(base_size)?;
        let extents = b.uint(2)?;
        let mut location = ItemLocation {
            construction,
            ..ItemLocation::default()
        };
        for n in 0..extents {
            b.uint(index_size)?;
            let offset = b.uint(offset_size)?;
            let length = b.uint(length_size)?;
            if n == 0 {
                location.offset = base.checked_add(offset).ok_or("an item offset overflows")?;
                location.length = length;
            }
        }
        if extents != 1 || reference != 0 || location.length == 0 {
            // Split, external or open-ended items cannot be blanked with certainty; an item that
            // is none of EXIF or XMP never needs to be, so only remember that it is unreadable.
            location.construction = u8::MAX;
        }
        items.insert(id, location);
    }
    Ok(items)
}

/// Where the first signed decimal with at least three decimals lies (`+20.5123`, `-105.9876`):
/// how ISO 6709 and every other position notation write a coordinate. Matching half a point is
/// deliberate: a damaged point still says where someone lives.
fn iso6709_at(data: &[u8]) -> Option<usize> {
    let digits = |from: usize| {
        data.get(from..).map_or(0, |rest| {
            rest.iter().take_while(|b| b.is_ascii_digit()).count()
        })
    };
    (0..data.len()).find(|&at| {
        if !matches!(data[at], b'+' | b'-') {
            return false;
        }
        let whole = digits(at + 1);
        (1..=3).contains(&whole)
            && data.get(at + 1 + whole) == Some(&b'.')
            && digits(at + 2 + whole) >= 3
    })
}

/// The edits that make the public copy of the ISO base media file `file` (`len` bytes), and
/// whether they remove anything that could state a location.
pub(super) fn plan(file: &mut File, len: u64) -> Plan {
    let mut walk = Walk {
        file,
        file_len: len,
        edits: Vec::new(),
        found: false,
    };
    let mut pos = 0u64;
    let mut boxes = 0;
    while pos < len {
        boxes += 1;
        if boxes > MAX_BOXES {
            return Err(malformed("too many boxes"));
        }
        let mut header = [0u8; 16];
        let available = (len - pos).min(16) as usize;
        if available < 8 {
            return Err(malformed(format!("a box header is cut at byte {pos}")));
        }
        walk.file
            .seek(SeekFrom::Start(pos))
            .and_then(|_| walk.file.read_exact(&mut header[..available]))
            .map_err(LocationError::Io)?;
        let size = match u32::from_be_bytes([header[0], header[1], header[2], header[3]]) {
            0 => len - pos,
            1 if available == 16 => {
                u64::from_be_bytes(header[8..16].try_into().unwrap_or_default())
            }
            1 => return Err(malformed(format!("a box header is cut at byte {pos}"))),
            n => u64::from(n),
        };
        if size < 8 || pos.checked_add(size).is_none_or(|e| e > len) {
            return Err(malformed(format!(
                "the box at byte {pos} runs past the end"
            )));
        }
        let kind = &header[4..8];
        // Every box but the media data and padding is read: metadata in an unknown or damaged
        // top-level box is still checked for positions.
        if !matches!(kind, b"mdat" | b"free" | b"skip" | b"wide") {
            if size > MAX_BOX {
                return Err(LocationError::Unsupported {
                    reason: format!("a {} box of {size} bytes", String::from_utf8_lossy(kind)),
                });
            }
            let mut data = vec![0; size as usize];
            walk.file
                .seek(SeekFrom::Start(pos))
                .and_then(|_| walk.file.read_exact(&mut data))
                .map_err(LocationError::Io)?;
            let end = data.len();
            let before = walk.edits.len();
            walk.walk(&data, pos, 0, end, 0)?;
            // Whatever box it sits in, a coordinate left in the metadata (in a box this walk does
            // not know, or one whose name is damaged) refuses the file.
            let mut after = data.clone();
            for edit in &walk.edits[before..] {
                // HEIF items' edits lie in `mdat`, outside this box.
                if edit.start >= pos && edit.end <= pos + size {
                    let at = (edit.start - pos) as usize;
                    after[at..at + edit.with.len()].copy_from_slice(&edit.with);
                }
            }
            if let Some(at) = iso6709_at(&after) {
                return Err(LocationError::Unsupported {
                    reason: format!("an ISO 6709 position at byte {}", pos + at as u64),
                });
            }
        }
        pos += size;
    }
    walk.edits.sort_by_key(|edit| edit.start);
    if walk
        .edits
        .windows(2)
        .any(|pair| pair[0].end > pair[1].start)
    {
        return Err(malformed("two location boxes overlap"));
    }
    Ok((walk.edits, walk.found))
}

#[cfg(test)]
pub(super) mod tests {
    use std::io::Write;

    use super::super::tiff::tests::{apply, exif_with_gps};
    use super::*;

    pub fn boxed(kind: &[u8; 4], content: &[u8]) -> Vec<u8> {
        let mut out = ((content.len() + 8) as u32).to_be_bytes().to_vec();
        out.extend(kind);
        out.extend(content);
        out
    }

    /// A phone film's layout: ftyp, mdat, moov with a track, udta ©xyz, and Apple's keys/ilst.
    pub fn film_with_location() -> Vec<u8> {
        let mut xyz = vec![0, 18, 0x15, 0xC7];
        xyz.extend(b"+20.5123+105.9876/");
        let mut keys = vec![0, 0, 0, 0, 0, 0, 0, 2];
        for name in [
            &b"com.apple.quicktime.make"[..],
            b"com.apple.quicktime.location.ISO6709",
        ] {
            keys.extend(((name.len() + 8) as u32).to_be_bytes());
            keys.extend(b"mdta");
            keys.extend(name);
        }
        let data = |value: &[u8]| {
            let mut content = vec![0, 0, 0, 1, 0, 0, 0, 0];
            content.extend(value);
            boxed(b"data", &content)
        };
        let mut ilst = boxed(&1u32.to_be_bytes(), &data(b"Apple"));
        ilst.extend(boxed(
            &2u32.to_be_bytes(),
            &data(b"+20.5123+105.9876+012.000/"),
        ));
        let mut hdlr = vec![0; 8];
        hdlr.extend(b"mdta");
        hdlr.extend([0; 13]);
        let mut meta = boxed(b"hdlr", &hdlr);
        meta.extend(boxed(b"keys", &keys));
        meta.extend(boxed(b"ilst", &ilst));
        let mut loci = vec![0, 0, 0, 0, 0x15, 0xC7];
        loci.extend(b"home\0");
        loci.extend([0; 13]);
        let trak = boxed(b"trak", &boxed(b"udta", &boxed(b"loci", &loci)));
        let mut moov = boxed(b"mvhd", &[0; 100]);
        moov.extend(trak);
        moov.extend(boxed(b"udta", &boxed(b"\xA9xyz", &xyz)));
        moov.extend(boxed(b"meta", &meta));
        let mut file = boxed(b"ftyp", b"isom\0\0\x02\0isomiso2mp41");
        file.extend(boxed(b"mdat", b"\x00\x00\x00\x10frames go here..\xA9xyz"));
        file.extend(boxed(b"moov", &moov));
        file
    }

    pub fn plan_bytes(bytes: &[u8]) -> Plan {
        let mut temp = tempfile::tempfile().unwrap();
        temp.write_all(bytes).unwrap();
        plan(&mut temp, bytes.len() as u64)
    }

    #[test]
    fn film_positions_are_renamed_away_and_sizes_kept() {
        let original = film_with_location();
        let (edits, found) = plan_bytes(&original).unwrap();
        assert!(found);
        let public = apply(&original, &edits);
        assert_eq!(public.len(), original.len());
        let text = String::from_utf8_lossy(&public);
        assert!(!text.contains("105.9876+012"));
        assert!(!text.contains("location"));
        assert!(!text.contains("loci"));
        assert!(text.contains("com.apple.quicktime.make"));
        assert!(text.contains("Apple"));
        // The media data is untouched, even where its bytes look like a box name.
        let mdat = original.windows(4).position(|w| w == b"mdat").unwrap();
        assert_eq!(public[mdat..mdat + 32], original[mdat..mdat + 32]);
        assert_eq!(plan_bytes(&public).unwrap(), (Vec::new(), false));
    }

    #[test]
    fn heif_exif_and_xmp_items_are_blanked() {
        let exif = exif_with_gps();
        let mut exif_item = 0u32.to_be_bytes().to_vec();
        exif_item.extend(b"Exif\0\0");
        exif_item[..4].copy_from_slice(&6u32.to_be_bytes());
        exif_item.extend(&exif);
        let xmp_item =
            b"<x:xmpmeta><rdf:Description exif:GPSLatitude=\"20\"/></x:xmpmeta>".to_vec();
        let infe = |id: u16, kind: &[u8; 4], content_type: &[u8]| {
            let mut c = vec![2, 0, 0, 0];
            c.extend(id.to_be_bytes());
            c.extend([0, 0]);
            c.extend(kind);
            c.push(0);
            c.extend(content_type);
            boxed(b"infe", &c)
        };
        let mut iinf = vec![0, 0, 0, 0, 0, 2];
        iinf.extend(infe(1, b"Exif", b""));
        iinf.extend(infe(2, b"mime", b"application/rdf+xml\0"));
        let ftyp = boxed(b"ftyp", b"heic\0\0\0\0mif1heic");
        // meta: hdlr, iinf, iloc (offsets filled in once the layout is known).
        let build = |exif_at: u32, xmp_at: u32| {
            let mut iloc = vec![0, 0, 0, 0, 0x44, 0x00, 0, 2];
            for (id, at, len) in [
                (1u16, exif_at, exif_item.len()),
                (2, xmp_at, xmp_item.len()),
            ] {
                iloc.extend(id.to_be_bytes());
                iloc.extend([0, 0, 0, 1]);
                iloc.extend(at.to_be_bytes());
                iloc.extend((len as u32).to_be_bytes());
            }
            let mut hdlr = vec![0; 8];
            hdlr.extend(b"pict");
            hdlr.extend([0; 13]);
            let mut meta = vec![0, 0, 0, 0];
            meta.extend(boxed(b"hdlr", &hdlr));
            meta.extend(boxed(b"iinf", &iinf));
            meta.extend(boxed(b"iloc", &iloc));
            boxed(b"meta", &meta)
        };
        let meta_len = build(0, 0).len();
        let exif_at = (ftyp.len() + meta_len + 8) as u32;
        let xmp_at = exif_at + exif_item.len() as u32;
        let mut file = ftyp.clone();
        file.extend(build(exif_at, xmp_at));
        let mut mdat = exif_item.clone();
        mdat.extend(&xmp_item);
        file.extend(boxed(b"mdat", &mdat));
        let (edits, found) = plan_bytes(&file).unwrap();
        assert!(found);
        let public = apply(&file, &edits);
        assert!(!String::from_utf8_lossy(&public).contains("GPSLatitude"));
        let tiff_at = exif_at as usize + 10;
        let scrubbed = tiff::scrub(&public[tiff_at..tiff_at + exif.len()]).unwrap();
        assert!(!scrubbed.found);
        assert_eq!(plan_bytes(&public).unwrap(), (Vec::new(), false));
    }

    #[test]
    fn gopro_gps_tracks_are_refused() {
        let stsd = {
            let mut c = vec![0, 0, 0, 0, 0, 0, 0, 1];
            c.extend(boxed(b"gpmd", &[0; 8]));
            boxed(b"stsd", &c)
        };
        let moov = boxed(
            b"moov",
            &boxed(
                b"trak",
                &boxed(b"mdia", &boxed(b"minf", &boxed(b"stbl", &stsd))),
            ),
        );
        let error = plan_bytes(&moov).unwrap_err();
        assert_eq!(
            error.to_string(),
            "a gpmd track can carry a moving position"
        );
    }

    #[test]
    fn truncated_and_corrupt_films_are_refused_without_panicking() {
        let original = film_with_location();
        let moov = original.windows(4).position(|w| w == b"moov").unwrap() - 4;
        for cut in 1..original.len() {
            let result = plan_bytes(&original[..cut]);
            // Cut between two boxes, the file is whole as far as it goes.
            if cut > moov {
                assert!(result.is_err(), "cut at {cut}");
            }
        }
        for at in 0..original.len() {
            for value in [0x00, 0x01, 0xFF] {
                let mut corrupt = original.clone();
                corrupt[at] = value;
                let _ = plan_bytes(&corrupt);
            }
        }
    }
}
