//! The last check before a file is offered to anonymous visitors: a scan of every byte for the
//! names under which positions and places are written, whatever the container.
//!
//! It runs on every public copy (after the format's own scrubber) and on every original that is
//! to be sent as it is, so a format this module does not parse (PDF, GIF, SVG, WAV, FLAC, Ogg,
//! Matroska, an XMP sidecar) is still refused when it carries a position in the usual
//! vocabularies: EXIF blocks (`Exif\0\0` followed by a TIFF structure whose GPS directory has
//! entries), XMP and IPTC property names (`exif:GPSLatitude`, `photoshop:City`,
//! `Iptc4xmpCore:Location`, …, matched as `:Name=` or `:Name>` whatever the prefix), Apple's
//! QuickTime keys, and, in sound and film containers, Vorbis comments' and Matroska's location
//! tags. One Aho–Corasick pass (one automaton for every name) over the stream: linear, bounded
//! memory, at the speed of the disk.

use std::io::{self, Read, Seek, SeekFrom};
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use super::tiff;

/// XMP and IPTC Core/Extension properties that name a place (IPTC Photo Metadata Standard 2023.1,
/// Adobe XMP Specification Part 2): matched with a namespace prefix before and `=` or `>` after.
const PLACE_PROPERTIES: &[&str] = &[
    "City",
    "State",
    "Country",
    "CountryCode",
    "CountryName",
    "Sublocation",
    "ProvinceState",
    "ProvinceName",
    "WorldRegion",
    "Location",
    "LocationShown",
    "LocationCreated",
    "LocationId",
    "LocationName",
    "GPSLatitude",
    "GPSLongitude",
];

/// Names distinctive enough to match anywhere (EXIF-in-XMP, exiftool and QuickTime names).
const POSITION_NAMES: &[&str] = &[
    "GPSLatitude",
    "GPSLongitude",
    "GPSCoordinates",
    "GPSPosition",
    "GPSAreaInformation",
    "GPSDestLatitude",
    "GPSDestLongitude",
    "com.apple.quicktime.location",
];

/// Tag names of sound and film containers (Vorbis comments in FLAC and Ogg, Matroska tags, iXML).
const MEDIA_TAGS: &[&str] = &[
    "LOCATION=",
    "Location=",
    "location=",
    "RECORDING_LOCATION",
    "<LOCATION",
];

const EXIF_MARK: &str = "Exif\0\0";

/// How many EXIF blocks one file may hold before it is refused rather than read block by block.
const MAX_EXIF_BLOCKS: usize = 256;
/// How much of an EXIF block is read to find its GPS directory.
const EXIF_WINDOW: u64 = 1 << 20;

struct Patterns {
    automaton: AhoCorasick,
    names: Vec<String>,
    /// Patterns from this index on apply to sound and film only.
    media_from: usize,
    exif: usize,
}

fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let mut names: Vec<String> = vec![EXIF_MARK.to_string()];
        for name in PLACE_PROPERTIES {
            names.push(format!(":{name}="));
            names.push(format!(":{name}>"));
        }
        names.extend(POSITION_NAMES.iter().map(|n| n.to_string()));
        let media_from = names.len();
        names.extend(MEDIA_TAGS.iter().map(|n| n.to_string()));
        let automaton = AhoCorasick::new(&names).unwrap_or_else(|error| {
            unreachable!("fixed patterns always build an automaton: {error}")
        });
        Patterns {
            automaton,
            names,
            media_from,
            exif: 0,
        }
    })
}

/// What the scan found: the first name met, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The name matched (`:City=`, `GPSLatitude`, `an EXIF block with GPS`, …).
    pub what: String,
    /// Its byte offset.
    pub at: u64,
}

/// Scans `reader` to its end (so a reader that copies as it is read copies everything); EXIF
/// blocks found are checked afterwards by reading `random` (the same bytes, seekable).
/// `media` adds the sound and film tag names.
pub(super) fn scan(
    reader: impl Read,
    random: &mut (impl Read + Seek),
    media: bool,
) -> io::Result<Option<Finding>> {
    let patterns = patterns();
    let mut first = None;
    let mut exif_blocks = Vec::new();
    for found in patterns.automaton.stream_find_iter(reader) {
        let found = found?;
        let index = found.pattern().as_usize();
        if index == patterns.exif {
            exif_blocks.push(found.start() as u64);
        } else if (media || index < patterns.media_from) && first.is_none() {
            first = Some(Finding {
                what: patterns.names[index].clone(),
                at: found.start() as u64,
            });
        }
    }
    if first.is_some() {
        return Ok(first);
    }
    if exif_blocks.len() > MAX_EXIF_BLOCKS {
        return Ok(Some(Finding {
            what: format!("more than {MAX_EXIF_BLOCKS} EXIF blocks"),
            at: exif_blocks[0],
        }));
    }
    for at in exif_blocks {
        let tiff_at = at + EXIF_MARK.len() as u64;
        let mut window = Vec::new();
        random.seek(SeekFrom::Start(tiff_at))?;
        random.by_ref().take(EXIF_WINDOW).read_to_end(&mut window)?;
        let looks_like_tiff = window.starts_with(b"II*\0") || window.starts_with(b"MM\0*");
        if tiff::is_big_tiff(&window) || !looks_like_tiff {
            // "Exif\0\0" met by chance in other data is not an EXIF block.
            continue;
        }
        match tiff::scrub(&window) {
            Ok(scrub) if !scrub.found => {}
            Ok(_) => {
                return Ok(Some(Finding {
                    what: "an EXIF block with GPS, IPTC, XMP or maker notes".to_string(),
                    at,
                }));
            }
            Err(reason) => {
                return Ok(Some(Finding {
                    what: format!("an EXIF block that cannot be read ({reason})"),
                    at,
                }));
            }
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::super::tiff::tests::exif_with_gps;
    use super::*;

    fn scan_bytes(bytes: &[u8], media: bool) -> Option<Finding> {
        scan(bytes, &mut std::io::Cursor::new(bytes), media).unwrap()
    }

    #[test]
    fn place_names_are_found_whatever_the_prefix() {
        let xmp = br#"<x:xmpmeta><rdf:Description ns1:City="Phu Ly"/></x:xmpmeta>"#;
        assert_eq!(
            scan_bytes(xmp, false),
            Some(Finding {
                what: ":City=".to_string(),
                at: 31
            })
        );
        assert!(scan_bytes(b"<Iptc4xmpExt:LocationShown>", false).is_some());
        assert!(scan_bytes(b"com.apple.quicktime.location.ISO6709", false).is_some());
        // Words in ordinary text are not names.
        assert_eq!(
            scan_bytes(b"The City of Hue; State: good; location", false),
            None
        );
        // Vorbis comments count only in sound and film.
        assert_eq!(scan_bytes(b"\x0f\0\0\0LOCATION=Nha Xa", false), None);
        assert!(scan_bytes(b"\x0f\0\0\0LOCATION=Nha Xa", true).is_some());
    }

    #[test]
    fn exif_blocks_with_gps_are_found_and_blank_ones_are_not() {
        let mut bytes = b"%PDF-1.7 stream ".to_vec();
        bytes.extend(b"Exif\0\0");
        let exif = exif_with_gps();
        bytes.extend(&exif);
        bytes.extend(b" endstream");
        let finding = scan_bytes(&bytes, false).unwrap();
        assert_eq!(finding.at, 16);
        let scrub = tiff::scrub(&exif).unwrap();
        let mut blank = exif.clone();
        for edit in scrub.edits {
            blank[edit.start as usize..edit.end as usize].copy_from_slice(&edit.with);
        }
        let mut clean = b"%PDF-1.7 stream Exif\0\0".to_vec();
        clean.extend(blank);
        assert_eq!(scan_bytes(&clean, false), None);
        // By chance, not followed by TIFF: not an EXIF block.
        assert_eq!(scan_bytes(b"xxExif\0\0garbage", false), None);
    }
}
