//! Matroska and WebM: EBML elements with variable-length IDs and sizes.
//!
//! This file owns the element walk (including the unknown sizes live recorders write and the
//! SeekHead that points past the media to Tracks written last), and reads duration, picture
//! size, codecs, sample rate and channels from the Info and Tracks elements.

use std::io::{Read, Seek};

use super::source::Source;
use super::{MediaInfo, Result, corrupt, truncated};

const EBML: u32 = 0x1A45_DFA3;
const SEGMENT: u32 = 0x1853_8067;
const SEEK_HEAD: u32 = 0x114D_9B74;
const SEEK: u32 = 0x4DBB;
const SEEK_ID: u32 = 0x53AB;
const SEEK_POSITION: u32 = 0x53AC;
const INFO: u32 = 0x1549_A966;
const TIMESTAMP_SCALE: u32 = 0x2AD7B1;
const DURATION: u32 = 0x4489;
const TRACKS: u32 = 0x1654_AE6B;
const TRACK_ENTRY: u32 = 0xAE;
const TRACK_TYPE: u32 = 0x83;
const CODEC_ID: u32 = 0x86;
const VIDEO: u32 = 0xE0;
const PIXEL_WIDTH: u32 = 0xB0;
const PIXEL_HEIGHT: u32 = 0xBA;
const AUDIO: u32 = 0xE1;
const SAMPLING_FREQUENCY: u32 = 0xB5;
const CHANNELS: u32 = 0x9F;
const CLUSTER: u32 = 0x1F43_B675;
const CUES: u32 = 0x1C53_BB6B;
const CHAPTERS: u32 = 0x1043_A770;
const TAGS: u32 = 0x1254_C367;
const ATTACHMENTS: u32 = 0x1941_A469;

/// Elements that can only appear directly in a Segment; meeting one ends an unknown-size
/// element that was open before it.
const SEGMENT_LEVEL: [u32; 8] = [
    SEEK_HEAD,
    INFO,
    TRACKS,
    CLUSTER,
    CUES,
    CHAPTERS,
    TAGS,
    ATTACHMENTS,
];

/// Longest string value read; codec IDs are short ASCII names.
const STRING_MAX: u64 = 256;

fn name(id: u32) -> String {
    let known = match id {
        EBML => "EBML header",
        SEGMENT => "Segment",
        SEEK_HEAD => "SeekHead",
        INFO => "Info",
        TRACKS => "Tracks",
        TRACK_ENTRY => "TrackEntry",
        VIDEO => "Video",
        AUDIO => "Audio",
        CODEC_ID => "CodecID",
        DURATION => "Duration",
        CLUSTER => "Cluster",
        CUES => "Cues",
        TAGS => "Tags",
        _ => return format!("element 0x{id:X}"),
    };
    format!("'{known}'")
}

struct Element {
    id: u32,
    start: u64,
    data: u64,
    /// `None` for elements written with an unknown size, as live recorders do.
    size: Option<u64>,
}

impl Element {
    fn end(&self, parent_end: u64) -> u64 {
        self.size.map_or(parent_end, |s| self.data + s)
    }
}

fn read_element<R: Read + Seek>(src: &mut Source<R>, pos: u64) -> Result<Element> {
    let mut b = [0u8; 12];
    let n = src.read_at(pos, &mut b)?;
    let cut = || {
        truncated(format!(
            "the file ends in the middle of an element header at byte {pos}"
        ))
    };
    let id_len = b[0].leading_zeros() as usize + 1;
    if n == 0 {
        return Err(cut());
    }
    if id_len > 4 {
        return Err(corrupt(format!(
            "the element at byte {pos} has an invalid ID"
        )));
    }
    let size_len = b.get(id_len).map_or(9, |s| s.leading_zeros() as usize + 1);
    if n < id_len + 1 {
        return Err(cut());
    }
    if size_len > 8 {
        return Err(corrupt(format!(
            "the element at byte {pos} has an invalid size field"
        )));
    }
    if n < id_len + size_len {
        return Err(cut());
    }
    let id = b[..id_len]
        .iter()
        .fold(0u32, |acc, &x| (acc << 8) | u32::from(x));
    let first = u64::from(b[id_len]) & (0xFF >> size_len);
    let size = b[id_len + 1..id_len + size_len]
        .iter()
        .fold(first, |acc, &x| (acc << 8) | u64::from(x));
    let unknown = size == (1u64 << (7 * size_len)) - 1;
    let data = pos + (id_len + size_len) as u64;
    Ok(Element {
        id,
        start: pos,
        data,
        size: (!unknown).then_some(size),
    })
}

/// Visits the children of `parent`, which ends at `end` (its own end, or its parent's when
/// its size is unknown). Returns where the parent really ended.
fn each_child<R: Read + Seek>(
    src: &mut Source<R>,
    parent: &Element,
    end: u64,
    mut visit: impl FnMut(&mut Source<R>, &Element) -> Result<()>,
) -> Result<u64> {
    let mut pos = parent.data;
    while pos < end {
        let child = read_element(src, pos)?;
        if parent.size.is_none() && SEGMENT_LEVEL.contains(&child.id) {
            return Ok(pos);
        }
        let Some(size) = child.size else {
            return Err(corrupt(format!(
                "the {} element at byte {pos} has an unknown size, which only a Segment \
                 or Cluster may have",
                name(child.id)
            )));
        };
        let child_end = child.data.saturating_add(size);
        if child_end > end {
            // A parent of known size lies inside the file, so overrunning it is a
            // contradiction; an unknown-size parent only ends with the file.
            return Err(if parent.size.is_none() && child_end > src.len {
                truncated(format!(
                    "the {} element declares {size} bytes but the file ends after {}",
                    name(child.id),
                    src.len - child.data
                ))
            } else {
                corrupt(format!(
                    "the {} element at byte {pos} runs past the end of the {} element \
                     that holds it",
                    name(child.id),
                    name(parent.id)
                ))
            });
        }
        visit(src, &child)?;
        pos = child_end;
    }
    Ok(end)
}

fn uint<R: Read + Seek>(src: &mut Source<R>, e: &Element) -> Result<u64> {
    let bytes = value(src, e, 8)?;
    Ok(bytes.iter().fold(0, |acc, &x| (acc << 8) | u64::from(x)))
}

fn float<R: Read + Seek>(src: &mut Source<R>, e: &Element) -> Result<f64> {
    let bytes = value(src, e, 8)?;
    match bytes.len() {
        0 => Ok(0.0),
        4 => Ok(f64::from(f32::from_be_bytes(
            bytes[..].try_into().expect("4 bytes"),
        ))),
        8 => Ok(f64::from_be_bytes(bytes[..].try_into().expect("8 bytes"))),
        n => Err(corrupt(format!(
            "the {} element at byte {} is a {n}-byte number; floats take 4 or 8 bytes",
            name(e.id),
            e.start
        ))),
    }
}

fn string<R: Read + Seek>(src: &mut Source<R>, e: &Element) -> Result<String> {
    let bytes = value(src, e, STRING_MAX)?;
    Ok(String::from_utf8_lossy(&bytes)
        .trim_end_matches('\0')
        .to_owned())
}

fn value<R: Read + Seek>(src: &mut Source<R>, e: &Element, max: u64) -> Result<Vec<u8>> {
    let size = e.size.unwrap_or(u64::MAX);
    if size > max {
        return Err(corrupt(format!(
            "the {} element at byte {} is {size} bytes long, more than its value can need",
            name(e.id),
            e.start
        )));
    }
    Ok(src.bytes_at(e.data, size as usize)?)
}

#[derive(Default)]
struct Track {
    kind: u64,
    codec: Option<String>,
    width: Option<u64>,
    height: Option<u64>,
    sampling_frequency: Option<f64>,
    channels: Option<u64>,
}

#[derive(Default)]
struct Movie {
    timestamp_scale: Option<u64>,
    duration: Option<f64>,
    info_seen: bool,
    tracks_seen: bool,
    tracks: Vec<Track>,
    /// Offsets of Info and Tracks (relative to the Segment data) announced by a SeekHead.
    seeks: Vec<(u32, u64)>,
}

fn parse_info<R: Read + Seek>(
    src: &mut Source<R>,
    info: &Element,
    end: u64,
    m: &mut Movie,
) -> Result<u64> {
    m.info_seen = true;
    each_child(src, info, end, |src, e| {
        match e.id {
            TIMESTAMP_SCALE => m.timestamp_scale = Some(uint(src, e)?),
            DURATION => m.duration = Some(float(src, e)?),
            _ => {}
        }
        Ok(())
    })
}

fn parse_tracks<R: Read + Seek>(
    src: &mut Source<R>,
    tracks: &Element,
    end: u64,
    m: &mut Movie,
) -> Result<u64> {
    m.tracks_seen = true;
    each_child(src, tracks, end, |src, entry| {
        if entry.id != TRACK_ENTRY {
            return Ok(());
        }
        let mut t = Track::default();
        let entry_end = entry.end(end);
        each_child(src, entry, entry_end, |src, e| {
            match e.id {
                TRACK_TYPE => t.kind = uint(src, e)?,
                CODEC_ID => t.codec = Some(string(src, e)?),
                VIDEO => {
                    each_child(src, e, e.end(entry_end), |src, v| {
                        match v.id {
                            PIXEL_WIDTH => t.width = Some(uint(src, v)?),
                            PIXEL_HEIGHT => t.height = Some(uint(src, v)?),
                            _ => {}
                        }
                        Ok(())
                    })?;
                }
                AUDIO => {
                    each_child(src, e, e.end(entry_end), |src, a| {
                        match a.id {
                            SAMPLING_FREQUENCY => t.sampling_frequency = Some(float(src, a)?),
                            CHANNELS => t.channels = Some(uint(src, a)?),
                            _ => {}
                        }
                        Ok(())
                    })?;
                }
                _ => {}
            }
            Ok(())
        })?;
        m.tracks.push(t);
        Ok(())
    })
}

fn parse_seek_head<R: Read + Seek>(
    src: &mut Source<R>,
    head: &Element,
    end: u64,
    m: &mut Movie,
) -> Result<u64> {
    each_child(src, head, end, |src, seek| {
        if seek.id != SEEK {
            return Ok(());
        }
        let (mut id, mut position) = (None, None);
        each_child(src, seek, seek.end(end), |src, e| {
            match e.id {
                SEEK_ID => id = Some(uint(src, e)? as u32),
                SEEK_POSITION => position = Some(uint(src, e)?),
                _ => {}
            }
            Ok(())
        })?;
        if let (Some(id @ (INFO | TRACKS)), Some(position)) = (id, position) {
            m.seeks.push((id, position));
        }
        Ok(())
    })
}

/// Parses a segment-level element; returns where the walk continues.
fn parse_top<R: Read + Seek>(
    src: &mut Source<R>,
    e: &Element,
    seg_end: u64,
    m: &mut Movie,
) -> Result<u64> {
    let end = e.end(seg_end);
    if end > src.len {
        return Err(truncated(format!(
            "the {} element declares {} bytes but the file ends after {}",
            name(e.id),
            end - e.data,
            src.len - e.data
        )));
    }
    if end > seg_end {
        return Err(corrupt(format!(
            "the {} element at byte {} runs past the end of the 'Segment'",
            name(e.id),
            e.start
        )));
    }
    match e.id {
        INFO => parse_info(src, e, end, m),
        TRACKS => parse_tracks(src, e, end, m),
        SEEK_HEAD => parse_seek_head(src, e, end, m),
        // An unknown-size element we do not parse: its children are skipped one by one.
        _ if e.size.is_none() => Ok(e.data),
        _ => Ok(end),
    }
}

pub(super) fn probe<R: Read + Seek>(src: &mut Source<R>) -> Result<MediaInfo> {
    let header = read_element(src, 0)?;
    if header.id != EBML {
        return Err(corrupt("the file does not start with an EBML header"));
    }
    let header_size = header
        .size
        .ok_or_else(|| corrupt("the EBML header has an unknown size"))?;
    let mut pos = header.data + header_size;
    if pos > src.len {
        return Err(truncated(format!(
            "the 'EBML header' element declares {header_size} bytes but the file ends after {}",
            src.len - header.data
        )));
    }
    let segment = loop {
        if pos >= src.len {
            return Err(truncated("the file ends before its 'Segment' element"));
        }
        let e = read_element(src, pos)?;
        if e.id == SEGMENT {
            break e;
        }
        // Void and CRC elements may sit between the header and the Segment.
        let size = e.size.ok_or_else(|| {
            corrupt(format!(
                "the {} element at byte {pos} has an unknown size",
                name(e.id)
            ))
        })?;
        pos = e.data.saturating_add(size);
    };
    let seg_end = match segment.size {
        Some(size) if segment.data.saturating_add(size) > src.len => {
            return Err(truncated(format!(
                "the 'Segment' element declares {size} bytes but the file ends after {}",
                src.len - segment.data
            )));
        }
        Some(size) => segment.data + size,
        None => src.len,
    };

    let mut m = Movie::default();
    let mut pos = segment.data;
    while pos < seg_end {
        let e = read_element(src, pos)?;
        if e.id == CLUSTER {
            // Media data starts here; reading on would mean reading the film.
            if let Some(size) = e.size.filter(|&s| e.data.saturating_add(s) > src.len) {
                return Err(truncated(format!(
                    "the 'Cluster' element declares {size} bytes but the file ends after {}",
                    src.len - e.data
                )));
            }
            break;
        }
        pos = parse_top(src, &e, seg_end, &mut m)?;
    }
    // Some muxers write Tracks or Info after the clusters and point to them from the
    // SeekHead.
    for (id, offset) in std::mem::take(&mut m.seeks) {
        let pending = (id == INFO && !m.info_seen) || (id == TRACKS && !m.tracks_seen);
        let Some(at) = segment.data.checked_add(offset).filter(|&at| at < seg_end) else {
            continue;
        };
        if pending {
            let e = read_element(src, at)?;
            if e.id == id {
                parse_top(src, &e, seg_end, &mut m)?;
            }
        }
    }
    Ok(describe(&m))
}

fn describe(m: &Movie) -> MediaInfo {
    let scale = m.timestamp_scale.unwrap_or(1_000_000) as f64;
    let mut info = MediaInfo {
        duration_seconds: m
            .duration
            .map(|d| d * scale / 1e9)
            .filter(|d| d.is_finite() && *d > 0.0),
        ..MediaInfo::default()
    };
    let dimension = |v: Option<u64>| v.and_then(|v| u32::try_from(v).ok()).filter(|&v| v > 0);
    if let Some(t) = m.tracks.iter().find(|t| t.kind == 1) {
        info.video_codec = t.codec.clone();
        info.width = dimension(t.width);
        info.height = dimension(t.height);
    }
    if let Some(t) = m.tracks.iter().find(|t| t.kind == 2) {
        info.audio_codec = t.codec.clone();
        // Matroska's defaults apply when the elements are absent.
        let rate = t.sampling_frequency.unwrap_or(8000.0);
        info.sample_rate = (rate.is_finite() && rate >= 1.0).then(|| rate.round() as u32);
        info.channels = u16::try_from(t.channels.unwrap_or(1))
            .ok()
            .filter(|&c| c > 0);
    }
    info
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::ingest::format;
    use crate::ingest::media::tests::{message, probe_bytes};

    fn el(id: &[u8], parts: &[&[u8]]) -> Vec<u8> {
        let payload = parts.concat();
        let mut v = id.to_vec();
        // Eight-byte sizes, as some muxers write them, exercise the full vint path.
        v.push(0x01);
        v.extend(&(payload.len() as u64).to_be_bytes()[1..]);
        v.extend(payload);
        v
    }

    fn unknown_size(id: &[u8], parts: &[&[u8]]) -> Vec<u8> {
        [
            id,
            &[0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
            &parts.concat(),
        ]
        .concat()
    }

    fn ebml_header(doc_type: &str) -> Vec<u8> {
        el(
            &[0x1A, 0x45, 0xDF, 0xA3],
            &[&el(&[0x42, 0x82], &[doc_type.as_bytes()])],
        )
    }

    fn info_el(duration_ms: f64) -> Vec<u8> {
        el(
            &[0x15, 0x49, 0xA9, 0x66],
            &[
                &el(&[0x2A, 0xD7, 0xB1], &[&[0x0F, 0x42, 0x40]]),
                &el(&[0x44, 0x89], &[&duration_ms.to_be_bytes()]),
            ],
        )
    }

    fn tracks_el() -> Vec<u8> {
        let video = el(
            &[0xAE],
            &[
                &el(&[0x83], &[&[1]]),
                &el(&[0x86], &[b"V_VP9"]),
                &el(
                    &[0xE0],
                    &[&el(&[0xB0], &[&[0x01, 0x40]]), &el(&[0xBA], &[&[0xF0]])],
                ),
            ],
        );
        let audio = el(
            &[0xAE],
            &[
                &el(&[0x83], &[&[2]]),
                &el(&[0x86], &[b"A_OPUS\0"]),
                &el(
                    &[0xE1],
                    &[
                        &el(&[0xB5], &[&48_000f32.to_be_bytes()]),
                        &el(&[0x9F], &[&[2]]),
                    ],
                ),
            ],
        );
        el(&[0x16, 0x54, 0xAE, 0x6B], &[&video, &audio])
    }

    const CLUSTER: [u8; 4] = [0x1F, 0x43, 0xB6, 0x75];
    const SEGMENT: [u8; 4] = [0x18, 0x53, 0x80, 0x67];

    fn expected_webm() -> MediaInfo {
        MediaInfo {
            duration_seconds: Some(2.5),
            width: Some(320),
            height: Some(240),
            video_codec: Some("V_VP9".into()),
            audio_codec: Some("A_OPUS".into()),
            sample_rate: Some(48_000),
            channels: Some(2),
            ..MediaInfo::default()
        }
    }

    #[test]
    fn matroska_info_and_tracks() {
        let cluster = el(&CLUSTER, &[&[0xE7, 0x81, 0x00], &[0xA3; 32]]);
        let segment = el(
            &SEGMENT,
            &[
                &[0xEC, 0x82, 0, 0],
                &info_el(2500.0),
                &tracks_el(),
                &cluster,
            ],
        );
        let file = [ebml_header("webm"), segment].concat();
        assert_eq!(probe_bytes(file, &format::WEBM).unwrap(), expected_webm());
    }

    #[test]
    fn matroska_unknown_sizes_and_seek_head() {
        // A live recording: unknown-size Segment and Cluster, with Tracks written after the
        // media and found through the SeekHead.
        let seek_head = |tracks_at: u64| {
            let seek = el(
                &[0x4D, 0xBB],
                &[
                    &el(&[0x53, 0xAB], &[&[0x16, 0x54, 0xAE, 0x6B]]),
                    &el(&[0x53, 0xAC], &[&tracks_at.to_be_bytes()]),
                ],
            );
            el(&[0x11, 0x4D, 0x9B, 0x74], &[&seek])
        };
        let placeholder = seek_head(0);
        let info = info_el(2500.0);
        let cluster = el(&CLUSTER, &[&[0xA3; 16]]);
        let tracks_at = (placeholder.len() + info.len() + cluster.len()) as u64;
        let body = [seek_head(tracks_at), info, cluster, tracks_el()].concat();
        let file = [ebml_header("matroska"), unknown_size(&SEGMENT, &[&body])].concat();
        assert_eq!(
            probe_bytes(file, &format::MATROSKA).unwrap(),
            expected_webm()
        );

        let tracks_then_cluster = [
            ebml_header("webm"),
            unknown_size(
                &SEGMENT,
                &[
                    &info_el(2500.0),
                    &unknown_size(&[0x16, 0x54, 0xAE, 0x6B], &[&tracks_el()[12..]]),
                    &unknown_size(&CLUSTER, &[&[0xA3; 8]]),
                ],
            ),
        ]
        .concat();
        assert_eq!(
            probe_bytes(tracks_then_cluster, &format::WEBM).unwrap(),
            expected_webm()
        );
    }

    #[test]
    fn matroska_damage() {
        let segment = el(&SEGMENT, &[&info_el(2500.0), &tracks_el()]);
        let mut file = [ebml_header("webm"), segment].concat();
        let whole = file.len();
        file.truncate(whole - 10);
        let header_len = ebml_header("webm").len() + 12;
        assert_eq!(
            message(probe_bytes(file, &format::WEBM)),
            format!(
                "truncated: the 'Segment' element declares {} bytes but the file ends after {}",
                whole - header_len,
                whole - header_len - 10
            )
        );

        let mut tracks = tracks_el();
        tracks[12 + 8] = 0xFF; // first TrackEntry now claims more than Tracks holds
        let file = [ebml_header("webm"), el(&SEGMENT, &[&tracks])].concat();
        let entry_at = ebml_header("webm").len() + 12 + 12;
        assert_eq!(
            message(probe_bytes(file, &format::WEBM)),
            format!(
                "corrupt: the 'TrackEntry' element at byte {entry_at} runs past the end of the \
                 'Tracks' element that holds it"
            )
        );

        assert_eq!(
            message(probe_bytes(b"\x1A\x45\xDF\xA3\x00".to_vec(), &format::WEBM)),
            "corrupt: the element at byte 0 has an invalid size field"
        );
        assert_eq!(
            message(probe_bytes(b"RIFF".to_vec(), &format::MATROSKA)),
            "corrupt: the file does not start with an EBML header"
        );
        let long_codec = el(
            &[0x16, 0x54, 0xAE, 0x6B],
            &[&el(&[0xAE], &[&el(&[0x86], &[&[b'x'; 300]])])],
        );
        let file = [ebml_header("webm"), el(&SEGMENT, &[&long_codec])].concat();
        assert_eq!(
            message(probe_bytes(file, &format::WEBM)),
            format!(
                "corrupt: the 'CodecID' element at byte {} is 300 bytes long, more than its \
                 value can need",
                ebml_header("webm").len() + 12 + 12 + 9
            )
        );
    }

    #[test]
    fn matroska_unknown_size_parent_cut_short() {
        let entry = el(&[0xAE], &[&el(&[0x83], &[&[1]])]);
        let mut file = [
            ebml_header("webm"),
            unknown_size(
                &SEGMENT,
                &[&unknown_size(&[0x16, 0x54, 0xAE, 0x6B], &[&entry])],
            ),
        ]
        .concat();
        file.truncate(file.len() - 2);
        assert_eq!(
            message(probe_bytes(file, &format::WEBM)),
            "truncated: the 'TrackEntry' element declares 10 bytes but the file ends after 8"
        );
    }
}
