//! TIFF structures: TIFF files themselves, and the EXIF blocks that JPEG, PNG, WebP and HEIF
//! carry (an EXIF block is a little TIFF file). This module finds every tag that can say where a
//! photo was taken and the bytes to blank so that no reader finds it again.
//!
//! What is blanked, by the TIFF 6.0, EXIF 2.32 (CIPA DC-008) and DNG specifications:
//! - the GPS IFD (tag 0x8825's target): its entry count is set to 0 and its entries and the
//!   values they point to are zeroed, so every offset in the file stays valid;
//! - the XMP packet (tag 700) is overwritten, same length, by an empty packet;
//! - IPTC-IIM (tag 33723, which has City, Province-State, Country, Sub-location) and Photoshop
//!   image resources (tag 34377, which can embed IPTC) are zeroed;
//! - MakerNote (tag 37500) is zeroed: vendors' notes are proprietary and some (Panasonic, Leica,
//!   some phones) hold a city or a position, which cannot be excluded with certainty.
//!
//! - every byte that no directory kept references is zeroed in place (offsets stay valid): a GPS
//!   directory whose pointer tag was renamed, or any data hidden between or after directories,
//!   is never sent. Referenced are the header, each directory kept (IFD0's chain, which holds
//!   IFD1, the EXIF and Interoperability IFDs, SubIFDs, any entry of type IFD) with its next
//!   pointer, every value out of line, and the data of offset/length pairs: strips (273/279),
//!   tiles (324/325), the JPEG thumbnail (513/514) and free space (288/289). An offset without
//!   its length is an error: the structure cannot be walked with certainty.
//!
//! The walk follows IFD0's chain, the EXIF IFD and SubIFDs (DNG), each at most once, with at most
//! [`MAX_IFDS`] directories of at most [`MAX_ENTRIES`] entries: work is bounded whatever the input.
//! Anything out of bounds or of an unknown type where it matters is an error, never a guess.

use std::collections::BTreeSet;

use super::Edit;

const GPS_IFD: u16 = 0x8825;
const EXIF_IFD: u16 = 0x8769;
const SUB_IFDS: u16 = 0x014A;
const XMP: u16 = 700;
const IPTC: u16 = 33723;
const PHOTOSHOP: u16 = 34377;
const MAKER_NOTE: u16 = 37500;
const INTEROP_IFD: u16 = 0xA005;
/// Tag pairs whose first values are offsets of data and second its lengths (TIFF 6.0 §§3, 15,
/// 22 and TIFF Technical Note 2): strips, tiles, the JPEG interchange format (EXIF's thumbnail),
/// free space.
const OFFSET_LENGTH_PAIRS: [(u16, u16); 4] = [(273, 279), (324, 325), (513, 514), (288, 289)];

/// At most this many directories are read.
const MAX_IFDS: usize = 64;
/// At most this many entries per directory.
const MAX_ENTRIES: u16 = 4096;

/// An empty XMP packet: what an XMP value is overwritten with, padded with spaces (XMP's own
/// padding, ISO 16684-1 §7.3.2) to the original length.
pub(super) const EMPTY_XMP: &[u8] = b"<?xpacket begin=\"\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?><x:xmpmeta xmlns:x=\"adobe:ns:meta/\"/><?xpacket end=\"w\"?>";

/// What a TIFF structure holds, and the edits (offsets relative to the TIFF header) that remove
/// its location.
#[derive(Debug, Default)]
pub(super) struct TiffScrub {
    /// Same-length overwrites, sorted, not overlapping; empty when there is nothing to blank.
    pub edits: Vec<Edit>,
    /// Whether anything that can state a location holds data: GPS entries, or non-zero bytes in
    /// XMP, IPTC, Photoshop resources or a MakerNote.
    pub found: bool,
}

#[derive(Clone, Copy)]
enum Order {
    Little,
    Big,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Fill {
    Zero,
    Xmp,
}

struct Reader<'a> {
    data: &'a [u8],
    order: Order,
}

impl Reader<'_> {
    fn u16_at(&self, at: usize) -> Result<u16, String> {
        let bytes: [u8; 2] = self
            .data
            .get(at..at + 2)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| format!("ends inside a directory at byte {at}"))?;
        Ok(match self.order {
            Order::Little => u16::from_le_bytes(bytes),
            Order::Big => u16::from_be_bytes(bytes),
        })
    }

    fn u32_at(&self, at: usize) -> Result<u32, String> {
        let bytes: [u8; 4] = self
            .data
            .get(at..at + 4)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| format!("ends inside a directory at byte {at}"))?;
        Ok(match self.order {
            Order::Little => u32::from_le_bytes(bytes),
            Order::Big => u32::from_be_bytes(bytes),
        })
    }
}

/// Bytes per value of a TIFF field type (TIFF 6.0 §2, plus IFD = 13); `None` for unknown types.
fn type_size(field_type: u16) -> Option<usize> {
    match field_type {
        1 | 2 | 6 | 7 => Some(1),
        3 | 8 => Some(2),
        4 | 9 | 11 | 13 => Some(4),
        5 | 10 | 12 => Some(8),
        _ => None,
    }
}

/// One directory entry, with where its value lies.
struct Entry {
    tag: u16,
    /// The value's bytes, inline or out of line; `None` when the type is unknown.
    value: Option<(usize, usize)>,
    field_type: u16,
}

/// Whether `data` starts like a BigTIFF file (which this module does not read).
pub(super) fn is_big_tiff(data: &[u8]) -> bool {
    data.starts_with(b"II+\0") || data.starts_with(b"MM\0+")
}

/// Finds the location-bearing tags of the TIFF structure `data` (starting at its byte-order mark)
/// and the edits that blank them. Errors say why the structure cannot be read with certainty.
pub(super) fn scrub(data: &[u8]) -> Result<TiffScrub, String> {
    let order = match data.get(..4) {
        Some(b"II*\0") => Order::Little,
        Some(b"MM\0*") => Order::Big,
        _ if is_big_tiff(data) => return Err("BigTIFF is not read".to_string()),
        _ => return Err("no TIFF header".to_string()),
    };
    let reader = Reader { data, order };
    let mut queue: Vec<(usize, bool, bool)> = vec![(reader.u32_at(4)? as usize, true, false)];
    let mut visited = BTreeSet::new();
    let mut blanks: Vec<(usize, usize, Fill)> = Vec::new();
    // Ranges referenced by the directories kept (the GPS directory is not kept).
    let mut kept: Vec<(usize, usize)> = vec![(0, 8.min(data.len()))];
    let mut found = false;
    // (offset, follow the chain, is the GPS directory)
    while let Some((offset, chain, gps)) = queue.pop() {
        if offset == 0 {
            continue;
        }
        if !visited.insert(offset) {
            // A directory reached twice (a loop, or two pointers to one place) is read once.
            continue;
        }
        if visited.len() > MAX_IFDS {
            return Err(format!("more than {MAX_IFDS} directories"));
        }
        let count = reader.u16_at(offset)?;
        if count > MAX_ENTRIES {
            return Err(format!("a directory claims {count} entries"));
        }
        let mut entries = Vec::with_capacity(usize::from(count));
        for n in 0..usize::from(count) {
            let at = offset + 2 + 12 * n;
            let tag = reader.u16_at(at)?;
            let field_type = reader.u16_at(at + 2)?;
            let value_count = reader.u32_at(at + 4)?;
            let value = match type_size(field_type) {
                Some(size) => {
                    let length = size
                        .checked_mul(value_count as usize)
                        .filter(|&l| l <= data.len())
                        .ok_or_else(|| format!("tag {tag} claims {value_count} values"))?;
                    let start = if length <= 4 {
                        at + 8
                    } else {
                        reader.u32_at(at + 8)? as usize
                    };
                    if start + length > data.len() {
                        return Err(format!("the value of tag {tag} lies outside the data"));
                    }
                    Some((start, length))
                }
                None => None,
            };
            entries.push(Entry {
                tag,
                value,
                field_type,
            });
        }
        if gps {
            for entry in &entries {
                let (start, length) = entry.value.ok_or_else(|| {
                    format!(
                        "GPS tag {} has the unknown type {}",
                        entry.tag, entry.field_type
                    )
                })?;
                if length > 4 {
                    blanks.push((start, start + length, Fill::Zero));
                }
            }
            if count > 0 {
                found = true;
                // Count and entries zeroed: a reader now sees an empty directory whose next
                // pointer (the first four zero bytes) ends the chain.
                blanks.push((offset, offset + 2 + 12 * usize::from(count), Fill::Zero));
            }
            continue;
        }
        let next_at = offset + 2 + 12 * usize::from(count);
        kept.push((offset, (next_at + 4).min(data.len())));
        for entry in &entries {
            if let Some((start, length)) = entry.value
                && length > 4
            {
                kept.push((start, start + length));
            }
        }
        kept.extend(referenced_data(&reader, &entries)?);
        for entry in &entries {
            let pointers = || -> Result<Vec<usize>, String> {
                let (start, length) = entry
                    .value
                    .filter(|_| matches!(entry.field_type, 4 | 13))
                    .ok_or_else(|| format!("tag {} is not a directory pointer", entry.tag))?;
                (0..length / 4)
                    .map(|i| reader.u32_at(start + 4 * i).map(|v| v as usize))
                    .collect()
            };
            match entry.tag {
                GPS_IFD => queue.extend(pointers()?.into_iter().map(|p| (p, false, true))),
                EXIF_IFD | INTEROP_IFD => {
                    queue.extend(pointers()?.into_iter().map(|p| (p, false, false)))
                }
                SUB_IFDS => queue.extend(pointers()?.into_iter().map(|p| (p, true, false))),
                XMP | IPTC | PHOTOSHOP | MAKER_NOTE => {
                    let (start, length) = entry.value.ok_or_else(|| {
                        format!(
                            "tag {} has the unknown type {}",
                            entry.tag, entry.field_type
                        )
                    })?;
                    if data[start..start + length]
                        .iter()
                        .any(|&b| b != 0 && b != b' ')
                    {
                        found = true;
                    }
                    let fill = if entry.tag == XMP {
                        Fill::Xmp
                    } else {
                        Fill::Zero
                    };
                    if length > 0 {
                        blanks.push((start, start + length, fill));
                    }
                }
                // Any other entry of type IFD is a directory too (kept, so its bytes stay).
                _ if entry.field_type == 13 => {
                    queue.extend(pointers()?.into_iter().map(|p| (p, false, false)))
                }
                _ => {}
            }
        }
        if chain {
            // A missing next pointer at the very end of the data ends the chain.
            if next_at + 4 <= data.len() {
                queue.push((reader.u32_at(next_at)? as usize, true, false));
            }
        }
    }
    // Every byte no kept directory references is zeroed. That is not a finding: the scan reads
    // a window past the block's end (image data), which no directory references either.
    kept.sort_unstable();
    let mut covered = 0;
    for (start, end) in kept.into_iter().chain([(data.len(), data.len())]) {
        if start > covered {
            blanks.push((covered, start, Fill::Zero));
        }
        covered = covered.max(end);
    }
    Ok(TiffScrub {
        edits: materialise(data, blanks)?,
        found,
    })
}

/// The data ranges that a directory's offset/length pairs ([`OFFSET_LENGTH_PAIRS`]) reference,
/// cut at the end of `data` (a thumbnail cut short by its segment is kept as far as it goes).
/// Errors when an offset has no length, the counts differ, or a value is not SHORT or LONG.
fn referenced_data(reader: &Reader, entries: &[Entry]) -> Result<Vec<(usize, usize)>, String> {
    let values = |entry: &Entry| -> Result<Vec<usize>, String> {
        let (start, length) = entry.value.ok_or_else(|| {
            format!(
                "tag {} has the unknown type {}",
                entry.tag, entry.field_type
            )
        })?;
        match entry.field_type {
            3 => (0..length / 2)
                .map(|i| reader.u16_at(start + 2 * i).map(usize::from))
                .collect(),
            4 => (0..length / 4)
                .map(|i| reader.u32_at(start + 4 * i).map(|v| v as usize))
                .collect(),
            other => Err(format!("tag {} has the type {other}", entry.tag)),
        }
    };
    let find = |tag| entries.iter().find(|e| e.tag == tag);
    let mut ranges = Vec::new();
    for (offsets, lengths) in OFFSET_LENGTH_PAIRS {
        match (find(offsets), find(lengths)) {
            (None, None) => {}
            (Some(offsets), Some(lengths)) => {
                let (offsets, lengths) = (values(offsets)?, values(lengths)?);
                if offsets.len() != lengths.len() {
                    return Err(format!(
                        "{} offsets for {} lengths",
                        offsets.len(),
                        lengths.len()
                    ));
                }
                let end = reader.data.len();
                ranges.extend(
                    offsets
                        .into_iter()
                        .zip(lengths)
                        .map(|(at, length)| (at.min(end), at.saturating_add(length).min(end))),
                );
            }
            (Some(_), None) | (None, Some(_)) => {
                return Err(format!("tags {offsets} and {lengths} do not come together"));
            }
        }
    }
    Ok(ranges)
}

/// Turns blank ranges into same-length edits: zero ranges may overlap (then merge); an XMP range
/// overlapping anything is a malformed file.
fn materialise(data: &[u8], mut blanks: Vec<(usize, usize, Fill)>) -> Result<Vec<Edit>, String> {
    blanks.sort_by_key(|&(start, end, _)| (start, end));
    let mut merged: Vec<(usize, usize, Fill)> = Vec::new();
    for (start, end, fill) in blanks {
        if let Some(last) = merged.last_mut()
            && start < last.1
        {
            if fill != Fill::Zero || last.2 != Fill::Zero {
                return Err("the XMP packet overlaps another value".to_string());
            }
            last.1 = last.1.max(end);
            continue;
        }
        merged.push((start, end, fill));
    }
    Ok(merged
        .into_iter()
        .filter_map(|(start, end, fill)| {
            let with = match fill {
                Fill::Zero => vec![0; end - start],
                Fill::Xmp => blank_xmp(end - start),
            };
            // Nothing to write where the bytes are already what they would become.
            (data[start..end] != with[..]).then_some(Edit {
                start: start as u64,
                end: end as u64,
                with,
            })
        })
        .collect())
}

/// An empty XMP packet of exactly `length` bytes (spaces when the packet does not fit).
pub(super) fn blank_xmp(length: usize) -> Vec<u8> {
    let mut with = vec![b' '; length];
    if length >= EMPTY_XMP.len() {
        with[..EMPTY_XMP.len()].copy_from_slice(EMPTY_XMP);
    }
    with
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A big-endian EXIF block: IFD0 with Make and a GPS pointer, a GPS IFD with a version,
    /// latitude ref and latitude (three rationals, out of line), and optionally a MakerNote.
    pub fn exif_with_gps() -> Vec<u8> {
        let mut t = Vec::new();
        t.extend(b"MM\0*");
        t.extend(8u32.to_be_bytes());
        // IFD0 at 8: two entries.
        t.extend(2u16.to_be_bytes());
        // Make: ASCII, 6 bytes, at 50.
        t.extend(0x010Fu16.to_be_bytes());
        t.extend(2u16.to_be_bytes());
        t.extend(6u32.to_be_bytes());
        t.extend(50u32.to_be_bytes());
        // GPS pointer to 56.
        t.extend(GPS_IFD.to_be_bytes());
        t.extend(4u16.to_be_bytes());
        t.extend(1u32.to_be_bytes());
        t.extend(56u32.to_be_bytes());
        t.extend(0u32.to_be_bytes()); // next IFD
        assert_eq!(t.len(), 38);
        t.resize(50, 0);
        t.extend(b"Canon\0");
        assert_eq!(t.len(), 56);
        // GPS IFD at 56: three entries, next pointer, then the latitude at 56+2+36+4 = 98.
        t.extend(3u16.to_be_bytes());
        t.extend(0u16.to_be_bytes()); // GPSVersionID, BYTE×4 inline
        t.extend(1u16.to_be_bytes());
        t.extend(4u32.to_be_bytes());
        t.extend([2, 3, 0, 0]);
        t.extend(1u16.to_be_bytes()); // GPSLatitudeRef "N\0"
        t.extend(2u16.to_be_bytes());
        t.extend(2u32.to_be_bytes());
        t.extend(*b"N\0\0\0");
        t.extend(2u16.to_be_bytes()); // GPSLatitude, RATIONAL×3 at 98
        t.extend(5u16.to_be_bytes());
        t.extend(3u32.to_be_bytes());
        t.extend(98u32.to_be_bytes());
        t.extend(0u32.to_be_bytes());
        assert_eq!(t.len(), 98);
        for (n, d) in [(20u32, 1u32), (30, 1), (4428, 100)] {
            t.extend(n.to_be_bytes());
            t.extend(d.to_be_bytes());
        }
        t
    }

    pub fn apply(data: &[u8], edits: &[Edit]) -> Vec<u8> {
        let mut out = data.to_vec();
        for edit in edits.iter().rev() {
            out.splice(edit.start as usize..edit.end as usize, edit.with.clone());
        }
        out
    }

    #[test]
    fn the_gps_directory_is_emptied_and_everything_else_kept() {
        let exif = exif_with_gps();
        let scrub = scrub(&exif).unwrap();
        assert!(scrub.found);
        let clean = apply(&exif, &scrub.edits);
        assert_eq!(clean.len(), exif.len());
        // Make is untouched, the GPS pointer still points to a directory, now empty.
        assert_eq!(&clean[50..56], b"Canon\0");
        assert_eq!(&clean[56..58], &[0, 0]);
        assert!(clean[56..].iter().all(|&b| b == 0));
        let kamadak = exif::Reader::new().read_raw(clean.clone()).unwrap();
        assert!(
            kamadak
                .fields()
                .all(|f| f.ifd_num != exif::In::PRIMARY || f.tag.context() != exif::Context::Gps)
        );
        assert!(
            kamadak
                .get_field(exif::Tag::Make, exif::In::PRIMARY)
                .is_some()
        );
        // Scrubbing the scrubbed block finds nothing and changes nothing.
        let again = super::scrub(&clean).unwrap();
        assert!(!again.found);
        assert!(again.edits.is_empty());
    }

    #[test]
    fn malformed_blocks_are_errors_never_panics() {
        let exif = exif_with_gps();
        for cut in 0..exif.len() {
            let _ = scrub(&exif[..cut]);
        }
        // The latitude pointing past the end.
        let mut bad = exif.clone();
        bad[56 + 2 + 24 + 8..56 + 2 + 24 + 12].copy_from_slice(&4000u32.to_be_bytes());
        assert!(scrub(&bad).unwrap_err().contains("outside"));
        // An unknown type in the GPS directory.
        let mut bad = exif.clone();
        bad[56 + 2 + 2..56 + 2 + 4].copy_from_slice(&99u16.to_be_bytes());
        assert!(scrub(&bad).unwrap_err().contains("unknown type"));
        // A loop: IFD0's next pointer back to itself is read once.
        let mut looped = exif.clone();
        looped[34..38].copy_from_slice(&8u32.to_be_bytes());
        assert!(scrub(&looped).unwrap().found);
        // Every single-byte corruption: an answer, never a panic.
        for at in 0..exif.len() {
            for value in [0x00, 0x7F, 0xFF] {
                let mut corrupt = exif.clone();
                corrupt[at] = value;
                let _ = scrub(&corrupt);
            }
        }
        assert_eq!(
            scrub(b"II+\0\x08\0\0\0").unwrap_err(),
            "BigTIFF is not read"
        );
    }

    #[test]
    fn xmp_and_iptc_tags_are_blanked_in_place() {
        // Little-endian IFD0 with XMP (BYTE×len) and IPTC (UNDEFINED×8).
        let xmp = b"<x:xmpmeta><rdf:RDF><rdf:Description photoshop:City=\"Ha Nam\"/></rdf:RDF></x:xmpmeta>                                                  ";
        let mut t = Vec::new();
        t.extend(b"II*\0");
        t.extend(8u32.to_le_bytes());
        t.extend(2u16.to_le_bytes());
        t.extend(XMP.to_le_bytes());
        t.extend(1u16.to_le_bytes());
        t.extend((xmp.len() as u32).to_le_bytes());
        t.extend(50u32.to_le_bytes());
        t.extend(IPTC.to_le_bytes());
        t.extend(7u16.to_le_bytes());
        t.extend(8u32.to_le_bytes());
        t.extend(((50 + xmp.len()) as u32).to_le_bytes());
        t.extend(0u32.to_le_bytes());
        t.resize(50, 0);
        t.extend(xmp);
        t.extend([0x1C, 2, 90, 0, 2, b'H', b'N', 0]);
        let scrub = scrub(&t).unwrap();
        assert!(scrub.found);
        let clean = apply(&t, &scrub.edits);
        assert_eq!(clean.len(), t.len());
        assert!(clean[50..].starts_with(EMPTY_XMP));
        assert!(!String::from_utf8_lossy(&clean).contains("City"));
        assert!(clean[50 + xmp.len()..].iter().all(|&b| b == 0));
    }

    /// Case `jpg-orphan-gps-ifd`: the GPS pointer's tag renamed (0x8825 to 0x8925) leaves the GPS
    /// directory unreferenced; it is zeroed all the same, as is anything after the structure.
    #[test]
    fn unreferenced_bytes_are_zeroed() {
        let mut exif = exif_with_gps();
        exif[22..24].copy_from_slice(&0x8925u16.to_be_bytes());
        exif.extend(b"GPS 20.512N 105.987E hidden after the structure");
        let scrub = scrub(&exif).unwrap();
        let clean = apply(&exif, &scrub.edits);
        assert_eq!(clean.len(), exif.len());
        assert_eq!(&clean[..56], &exif[..56], "the header, IFD0 and Make stay");
        assert!(clean[56..].iter().all(|&b| b == 0), "{clean:?}");
    }

    /// IFD1 and its JPEG thumbnail (513/514), the Interoperability IFD and values out of line are
    /// referenced, so they stay byte for byte; a thumbnail offset without its length is refused.
    #[test]
    fn referenced_structures_stay() {
        let mut t = Vec::new();
        t.extend(b"II*\0");
        t.extend(8u32.to_le_bytes());
        // IFD0 at 8: Make (out of line at 100) and the EXIF pointer (to 120); next IFD1 at 150.
        let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: u32| {
            t.extend(tag.to_le_bytes());
            t.extend(kind.to_le_bytes());
            t.extend(count.to_le_bytes());
            t.extend(value.to_le_bytes());
        };
        t.extend(2u16.to_le_bytes());
        entry(&mut t, 0x010F, 2, 6, 100);
        entry(&mut t, EXIF_IFD, 4, 1, 120);
        t.extend(150u32.to_le_bytes());
        t.resize(100, 0xAA); // unreferenced, not zero: to be zeroed
        t.extend(b"Canon\0");
        t.resize(120, 0);
        // EXIF IFD at 120: the Interop pointer (to 138).
        t.extend(1u16.to_le_bytes());
        entry(&mut t, INTEROP_IFD, 4, 1, 138);
        t.extend(0u32.to_le_bytes());
        assert_eq!(t.len(), 138);
        // Interop IFD at 138: InteroperabilityIndex "R98" inline.
        t.extend(1u16.to_le_bytes());
        t.extend(1u16.to_le_bytes());
        t.extend(2u16.to_le_bytes());
        t.extend(4u32.to_le_bytes());
        t.extend(*b"R98\0");
        t.extend(0u32.to_le_bytes());
        assert_eq!(t.len(), 156);
        t.truncate(150);
        // IFD1 at 150: the thumbnail at 200, 9 bytes.
        t.extend(2u16.to_le_bytes());
        entry(&mut t, 513, 4, 1, 200);
        entry(&mut t, 514, 4, 1, 9);
        t.extend(0u32.to_le_bytes());
        t.resize(200, 0);
        t.extend(b"\xFF\xD8thumb\xFF\xD9x");
        // The Interop IFD was cut by IFD1: move it to 220 instead.
        t.resize(220, 0);
        t[8 + 2 + 12 + 8..8 + 2 + 12 + 12].copy_from_slice(&120u32.to_le_bytes());
        t[120 + 2 + 8..120 + 2 + 12].copy_from_slice(&220u32.to_le_bytes());
        t.extend(1u16.to_le_bytes());
        t.extend(1u16.to_le_bytes());
        t.extend(2u16.to_le_bytes());
        t.extend(4u32.to_le_bytes());
        t.extend(*b"R98\0");
        t.extend(0u32.to_le_bytes());
        let scrub = scrub(&t).unwrap();
        assert!(!scrub.found);
        let clean = apply(&t, &scrub.edits);
        assert!(clean[38..100].iter().all(|&b| b == 0));
        assert_eq!(&clean[100..106], b"Canon\0");
        assert_eq!(&clean[120..138], &t[120..138]);
        assert_eq!(&clean[150..180], &t[150..180]);
        assert_eq!(&clean[200..209], b"\xFF\xD8thumb\xFF\xD9");
        assert_eq!(clean[209], 0, "past the thumbnail's length");
        assert_eq!(&clean[220..], &t[220..]);
        let kamadak = exif::Reader::new().read_raw(clean.clone()).unwrap();
        assert!(
            kamadak
                .get_field(exif::Tag::Make, exif::In::PRIMARY)
                .is_some()
        );
        assert!(
            kamadak
                .get_field(exif::Tag::InteroperabilityIndex, exif::In::PRIMARY)
                .is_some()
        );
        // A thumbnail offset without its length cannot be walked with certainty.
        let mut bad = t.clone();
        bad[150 + 2 + 12..150 + 2 + 14].copy_from_slice(&999u16.to_le_bytes());
        assert!(scrub_err(&bad).contains("do not come together"));
    }

    fn scrub_err(data: &[u8]) -> String {
        scrub(data).unwrap_err()
    }
}
