//! MP4, QuickTime, M4A and 3GP: the ISO base media file format (ISO/IEC 14496-12).
//!
//! This file owns the box walk (sizes checked against the parent box and the file), the
//! movie, track and fragment headers that give duration, picture size, display turn and
//! codecs, and the AAC channel count read from an `esds` descriptor.

use std::io::{Read, Seek};

use super::source::{Source, be16, be32, be64};
use super::{MediaInfo, Result, corrupt, fourcc, seconds, truncated};

/// Longest box payload read for the fixed-layout boxes parsed here (mvhd, tkhd, mdhd...).
const FIELDS_MAX: usize = 128;
/// Longest part of the first sample entry read; enough to reach an audio entry's esds.
const SAMPLE_ENTRY_MAX: usize = 512;

struct BoxHeader {
    kind: [u8; 4],
    start: u64,
    data: u64,
    end: u64,
}

impl BoxHeader {
    fn name(&self) -> String {
        fourcc(&self.kind)
    }
}

#[derive(Default)]
struct Track {
    id: u32,
    handler: [u8; 4],
    tkhd_width: u32,
    tkhd_height: u32,
    /// Whether the track header's display matrix turns the picture a quarter (90° or 270°),
    /// as phones write for a film shot upright.
    quarter_turn: bool,
    timescale: u32,
    duration: u64,
    /// Head of the first sample entry in stsd, kept raw because hdlr may follow it.
    sample_entry: Vec<u8>,
}

#[derive(Default)]
struct Movie {
    found: bool,
    timescale: u32,
    duration: u64,
    fragment_duration: u64,
    /// Default sample durations per track ID, from trex, for fragments that omit them.
    trex_durations: Vec<(u32, u32)>,
    /// Latest end time, in track time scale units, per track ID, from the last fragment.
    fragment_ends: Vec<(u32, u64)>,
    tracks: Vec<Track>,
}

/// Reads the box header at `pos` inside a parent that ends at `parent_end`.
fn read_box<R: Read + Seek>(
    src: &mut Source<R>,
    pos: u64,
    parent_end: u64,
    parent: Option<&BoxHeader>,
) -> Result<BoxHeader> {
    let mut h = [0u8; 16];
    let n = src.read_at(pos, &mut h)?;
    if n < 8 {
        return Err(truncated(format!(
            "the file ends in the middle of a box header at byte {pos}"
        )));
    }
    let kind: [u8; 4] = h[4..8].try_into().expect("four bytes");
    let name = fourcc(&kind);
    let (size, header_len) = match be32(&h, 0).expect("eight bytes read") {
        0 => (parent_end - pos, 8),
        1 => {
            if n < 16 {
                return Err(truncated(format!(
                    "the file ends in the middle of the '{name}' box header at byte {pos}"
                )));
            }
            (be64(&h, 8).expect("sixteen bytes read"), 16)
        }
        small => (u64::from(small), 8),
    };
    if size < header_len {
        return Err(corrupt(format!(
            "the '{name}' box at byte {pos} declares a size of {size} bytes, \
             smaller than its own {header_len}-byte header"
        )));
    }
    let end = pos.checked_add(size).filter(|&end| end <= parent_end);
    let Some(end) = end else {
        return Err(match parent {
            None => truncated(format!(
                "the '{name}' box declares {size} bytes but the file ends after {}",
                src.len - pos
            )),
            Some(p) => corrupt(format!(
                "the '{name}' box at byte {pos} declares {size} bytes, more than the {} \
                 left in the '{}' box that holds it",
                parent_end - pos,
                p.name()
            )),
        });
    };
    Ok(BoxHeader {
        kind,
        start: pos,
        data: pos + header_len,
        end,
    })
}

/// Visits the child boxes of `parent`.
fn each_child<R: Read + Seek>(
    src: &mut Source<R>,
    parent: &BoxHeader,
    mut visit: impl FnMut(&mut Source<R>, &BoxHeader) -> Result<()>,
) -> Result<()> {
    let mut pos = parent.data;
    // QuickTime allows a 4-byte zero terminator at the end of some containers, so a tail
    // too short for a header is not an error.
    while parent.end - pos >= 8 {
        let child = read_box(src, pos, parent.end, Some(parent))?;
        visit(src, &child)?;
        pos = child.end;
    }
    Ok(())
}

/// The start of a box's payload, checked to hold at least `needed` bytes.
fn fields<R: Read + Seek>(src: &mut Source<R>, b: &BoxHeader, needed: usize) -> Result<Vec<u8>> {
    let bytes = payload(src, b, FIELDS_MAX)?;
    require(b, &bytes, needed)?;
    Ok(bytes)
}

/// Up to `max` bytes from the start of a box's payload.
fn payload<R: Read + Seek>(src: &mut Source<R>, b: &BoxHeader, max: usize) -> Result<Vec<u8>> {
    let len = usize::try_from(b.end - b.data).unwrap_or(usize::MAX);
    Ok(src.bytes_at(b.data, len.min(max))?)
}

/// Checks that a box payload holds the `needed` bytes its version calls for.
fn require(b: &BoxHeader, payload: &[u8], needed: usize) -> Result<()> {
    if payload.len() < needed {
        return Err(corrupt(format!(
            "the '{}' box at byte {} holds {} bytes, too few for its {needed}-byte fields",
            b.name(),
            b.start,
            payload.len()
        )));
    }
    Ok(())
}

/// Version-dependent (time scale, duration) of mvhd or mdhd.
fn times(f: &[u8], v0_at: usize, v1_at: usize) -> Option<(u32, u64)> {
    if f[0] == 1 {
        Some((be32(f, v1_at)?, be64(f, v1_at + 4)?))
    } else {
        let duration = be32(f, v0_at + 4)?;
        // All ones means "unknown" in version 0 boxes.
        let duration = if duration == u32::MAX {
            0
        } else {
            u64::from(duration)
        };
        Some((be32(f, v0_at)?, duration))
    }
}

fn parse_moov<R: Read + Seek>(
    src: &mut Source<R>,
    moov: &BoxHeader,
    movie: &mut Movie,
) -> Result<()> {
    movie.found = true;
    each_child(src, moov, |src, b| {
        match &b.kind {
            b"mvhd" => {
                let f = fields(src, b, 4)?;
                require(b, &f, if f[0] == 1 { 32 } else { 20 })?;
                (movie.timescale, movie.duration) = times(&f, 12, 20).expect("length checked");
            }
            b"trak" => {
                let mut track = Track::default();
                parse_trak(src, b, &mut track)?;
                movie.tracks.push(track);
            }
            b"mvex" => each_child(src, b, |src, b| {
                match &b.kind {
                    b"mehd" => {
                        let f = fields(src, b, 8)?;
                        movie.fragment_duration = if f[0] == 1 {
                            require(b, &f, 12)?;
                            be64(&f, 4).expect("length checked")
                        } else {
                            u64::from(be32(&f, 4).expect("length checked"))
                        };
                    }
                    b"trex" => {
                        let f = fields(src, b, 20)?;
                        let id = be32(&f, 4).expect("length checked");
                        let duration = be32(&f, 12).expect("length checked");
                        movie.trex_durations.push((id, duration));
                    }
                    _ => {}
                }
                Ok(())
            })?,
            _ => {}
        }
        Ok(())
    })
}

fn parse_trak<R: Read + Seek>(
    src: &mut Source<R>,
    trak: &BoxHeader,
    track: &mut Track,
) -> Result<()> {
    each_child(src, trak, |src, b| {
        match &b.kind {
            b"tkhd" => {
                let f = fields(src, b, 4)?;
                let (id_at, at) = if f[0] == 1 { (20, 88) } else { (12, 76) };
                require(b, &f, at + 8)?;
                track.id = be32(&f, id_at).expect("length checked");
                // 16.16 fixed point; round to the nearest pixel.
                let fixed = |v: u32| v.saturating_add(0x8000) >> 16;
                track.tkhd_width = fixed(be32(&f, at).expect("length checked"));
                track.tkhd_height = fixed(be32(&f, at + 4).expect("length checked"));
                track.quarter_turn = quarter_turn(&f[at - 36..at]);
            }
            b"mdia" => parse_mdia(src, b, track)?,
            _ => {}
        }
        Ok(())
    })
}

fn parse_mdia<R: Read + Seek>(
    src: &mut Source<R>,
    mdia: &BoxHeader,
    track: &mut Track,
) -> Result<()> {
    each_child(src, mdia, |src, b| {
        match &b.kind {
            b"mdhd" => {
                let f = fields(src, b, 4)?;
                require(b, &f, if f[0] == 1 { 32 } else { 20 })?;
                (track.timescale, track.duration) = times(&f, 12, 20).expect("length checked");
            }
            b"hdlr" => {
                let f = fields(src, b, 12)?;
                track.handler = f[8..12].try_into().expect("length checked");
            }
            b"minf" => each_child(src, b, |src, b| {
                if &b.kind != b"stbl" {
                    return Ok(());
                }
                each_child(src, b, |src, b| {
                    if &b.kind == b"stsd" {
                        let f = payload(src, b, 8 + SAMPLE_ENTRY_MAX)?;
                        require(b, &f, 16)?;
                        if be32(&f, 4) != Some(0) {
                            track.sample_entry = f[8..].to_vec();
                        }
                    }
                    Ok(())
                })
            })?,
            _ => {}
        }
        Ok(())
    })
}

/// Longest trun payload read when adding up a fragment's sample durations.
const TRUN_MAX: usize = 1 << 20;

/// Records when each track's run in the movie fragment `moof` ends. A fragmented file's
/// moov may state no duration at all, and the last fragment's decode time plus its own
/// length is where the film stops.
fn parse_moof<R: Read + Seek>(
    src: &mut Source<R>,
    moof: &BoxHeader,
    movie: &mut Movie,
) -> Result<()> {
    each_child(src, moof, |src, traf| {
        if &traf.kind != b"traf" {
            return Ok(());
        }
        let (mut id, mut default_duration, mut base) = (0, None, None);
        let mut length = Some(0u64);
        each_child(src, traf, |src, b| {
            match &b.kind {
                b"tfhd" => {
                    let f = fields(src, b, 8)?;
                    let flags = be32(&f, 0).expect("length checked") & 0x00FF_FFFF;
                    id = be32(&f, 4).expect("length checked");
                    // Optional fields precede the default duration according to the flags.
                    let at =
                        8 + if flags & 1 != 0 { 8 } else { 0 } + if flags & 2 != 0 { 4 } else { 0 };
                    if flags & 8 != 0 {
                        default_duration = be32(&f, at);
                    }
                }
                b"tfdt" => {
                    let f = fields(src, b, 8)?;
                    base = if f[0] == 1 {
                        be64(&f, 4)
                    } else {
                        be32(&f, 4).map(u64::from)
                    };
                }
                b"trun" => {
                    let f = payload(src, b, TRUN_MAX)?;
                    require(b, &f, 8)?;
                    let flags = be32(&f, 0).expect("length checked") & 0x00FF_FFFF;
                    let count = be32(&f, 4).expect("length checked");
                    let first =
                        8 + if flags & 1 != 0 { 4 } else { 0 } + if flags & 4 != 0 { 4 } else { 0 };
                    let run = if flags & 0x100 != 0 {
                        let stride = 4 * (flags & 0xF00).count_ones() as usize;
                        (0..count as usize)
                            .map(|i| be32(&f, first + i * stride).map(u64::from))
                            .sum::<Option<u64>>()
                    } else {
                        let trex = movie
                            .trex_durations
                            .iter()
                            .find(|(t, _)| *t == id)
                            .map(|&(_, d)| d);
                        default_duration
                            .or(trex)
                            .map(|d| u64::from(d) * u64::from(count))
                    };
                    length = length.zip(run).map(|(a, b)| a.saturating_add(b));
                }
                _ => {}
            }
            Ok(())
        })?;
        if let Some(end) = base
            .zip(length)
            .map(|(base, length)| base.saturating_add(length))
        {
            movie.fragment_ends.retain(|&(t, _)| t != id);
            movie.fragment_ends.push((id, end));
        }
        Ok(())
    })
}

pub(super) fn probe<R: Read + Seek>(src: &mut Source<R>) -> Result<MediaInfo> {
    let mut movie = Movie::default();
    let mut last_moof = None;
    let mut pos = 0;
    // Walk every top-level box, not just up to moov: a cut-off mdat after it is still a
    // damaged file.
    while pos < src.len {
        let b = read_box(src, pos, src.len, None)?;
        pos = b.end;
        match &b.kind {
            b"moov" if !movie.found => parse_moov(src, &b, &mut movie)?,
            b"moof" => last_moof = Some(b),
            _ => {}
        }
    }
    if !movie.found {
        return Err(corrupt(
            "there is no 'moov' box describing the tracks; the recording may never have \
             been finalised",
        ));
    }
    if let Some(moof) = last_moof {
        parse_moof(src, &moof, &mut movie)?;
    }
    Ok(describe(&movie))
}

/// Whether a track header's display matrix `{a b u; c d v; x y w}` (ISO/IEC 14496-12 §6.2.2;
/// `a`–`d` in 16.16 fixed point) turns the picture a quarter: `a` and `d` zero, `b` and `c`
/// not, as for 90° (`0 1 -1 0`) and 270° (`0 -1 1 0`), mirrored or not. A quarter turn shows
/// a stored W×H picture as H×W.
fn quarter_turn(matrix: &[u8]) -> bool {
    let entry = |i: usize| be32(matrix, 4 * i).map_or(0, |v| v as i32);
    let (a, b, c, d) = (entry(0), entry(1), entry(3), entry(4));
    a == 0 && d == 0 && b != 0 && c != 0
}

fn describe(movie: &Movie) -> MediaInfo {
    let timescale = f64::from(movie.timescale);
    let in_track_time = |id: u32, units: u64| {
        let track = movie.tracks.iter().find(|t| t.id == id)?;
        seconds(units as f64, f64::from(track.timescale))
    };
    let fragments_end = || {
        let ends = movie.fragment_ends.iter();
        ends.filter_map(|&(id, end)| in_track_time(id, end))
            .reduce(f64::max)
    };
    let tracks_end = || {
        let ends = movie.tracks.iter();
        ends.filter_map(|t| seconds(t.duration as f64, f64::from(t.timescale)))
            .reduce(f64::max)
    };
    // A fragmented file leaves the movie header's duration at zero.
    let duration = Some(movie.duration)
        .filter(|&d| d > 0)
        .or(Some(movie.fragment_duration).filter(|&d| d > 0))
        .and_then(|d| seconds(d as f64, timescale))
        .or_else(fragments_end)
        .or_else(tracks_end)
        .filter(|&d| d > 0.0);
    let mut info = MediaInfo {
        duration_seconds: duration,
        ..MediaInfo::default()
    };
    let codec = |t: &Track| t.sample_entry.get(4..8).map(fourcc);
    if let Some(t) = movie.tracks.iter().find(|t| &t.handler == b"vide") {
        info.video_codec = codec(t);
        let entry = &t.sample_entry;
        // tkhd holds the display size; fall back to the coded size in the sample entry.
        let (w, h) = if t.tkhd_width > 0 && t.tkhd_height > 0 {
            (Some(t.tkhd_width), Some(t.tkhd_height))
        } else {
            (
                be16(entry, 32).map(u32::from),
                be16(entry, 34).map(u32::from),
            )
        };
        (info.width, info.height) = (w.filter(|&v| v > 0), h.filter(|&v| v > 0));
        if let (Some(w), Some(h), true) = (info.width, info.height, t.quarter_turn) {
            info.set_displayed(h, w);
        }
    }
    if let Some(t) = movie.tracks.iter().find(|t| &t.handler == b"soun") {
        info.audio_codec = codec(t);
        let entry = &t.sample_entry;
        let (rate, channels) = if be16(entry, 16) == Some(2) {
            // QuickTime sound description version 2 stores a float rate and 32-bit count.
            let rate = be64(entry, 40)
                .map(f64::from_bits)
                .map(|r| r.round() as u32);
            (rate, be32(entry, 48).and_then(|c| u16::try_from(c).ok()))
        } else {
            (be32(entry, 32).map(|r| r >> 16), be16(entry, 24))
        };
        // The 16.16 field cannot hold rates above 65535 Hz; the media time scale can.
        info.sample_rate = rate
            .filter(|&r| r > 0)
            .or(Some(t.timescale))
            .filter(|&r| r > 0);
        info.channels = aac_channels(entry).or(channels).filter(|&c| c > 0);
    }
    info
}

/// Splits an MPEG-4 descriptor into its tag and body.
fn descriptor(d: &[u8]) -> Option<(u8, &[u8])> {
    let mut len = 0usize;
    for i in 1..=4 {
        let b = *d.get(i)?;
        len = (len << 7) | usize::from(b & 0x7F);
        if b & 0x80 == 0 {
            let body = d.get(i + 1..)?;
            return Some((d[0], &body[..len.min(body.len())]));
        }
    }
    None
}

/// Channel count from the AAC AudioSpecificConfig inside an esds box. Muxers such as
/// ffmpeg write the sample entry's channel count as the template value 2 even for mono.
fn aac_channels(entry: &[u8]) -> Option<u16> {
    let at = entry.windows(4).position(|w| w == b"esds")? + 8;
    let (3, es) = descriptor(entry.get(at..)?)? else {
        return None;
    };
    let flags = *es.get(2)?;
    let mut skip = 3;
    if flags & 0x80 != 0 {
        skip += 2;
    }
    if flags & 0x40 != 0 {
        skip += 1 + usize::from(*es.get(skip)?);
    }
    if flags & 0x20 != 0 {
        skip += 2;
    }
    let (4, config) = descriptor(es.get(skip..)?)? else {
        return None;
    };
    let (5, asc) = descriptor(config.get(13..)?)? else {
        return None;
    };
    let mut bits = [0u8; 8];
    let n = asc.len().min(8);
    bits[..n].copy_from_slice(&asc[..n]);
    let bits = u64::from_be_bytes(bits);
    let mut pos = 0;
    let mut take = |n: u32| {
        let v = (bits << pos) >> (64 - n);
        pos += n;
        v
    };
    if take(5) == 31 {
        take(6);
    }
    if take(4) == 15 {
        take(24);
    }
    match take(4) {
        c @ 1..=6 => Some(c as u16),
        11 => Some(7),
        7 | 12 | 14 => Some(8),
        13 => Some(24),
        _ => None,
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::ingest::format;
    use crate::ingest::media::tests::{message, probe_bytes};

    fn bx(kind: &[u8; 4], parts: &[&[u8]]) -> Vec<u8> {
        let payload = parts.concat();
        let mut v = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend(payload);
        v
    }

    fn mvhd_v0(timescale: u32, duration: u32) -> Vec<u8> {
        let mut p = vec![0u8; 100];
        p[12..16].copy_from_slice(&timescale.to_be_bytes());
        p[16..20].copy_from_slice(&duration.to_be_bytes());
        bx(b"mvhd", &[&p])
    }

    fn tkhd(width: u32, height: u32) -> Vec<u8> {
        let mut p = vec![0u8; 84];
        p[76..80].copy_from_slice(&(width << 16).to_be_bytes());
        p[80..84].copy_from_slice(&(height << 16).to_be_bytes());
        bx(b"tkhd", &[&p])
    }

    fn mdhd(timescale: u32, duration: u32) -> Vec<u8> {
        let mut p = vec![0u8; 24];
        p[12..16].copy_from_slice(&timescale.to_be_bytes());
        p[16..20].copy_from_slice(&duration.to_be_bytes());
        bx(b"mdhd", &[&p])
    }

    fn hdlr(handler: &[u8; 4]) -> Vec<u8> {
        bx(b"hdlr", &[&[0; 8], handler, &[0; 13]])
    }

    fn video_entry(codec: &[u8; 4], width: u16, height: u16) -> Vec<u8> {
        let mut p = vec![0u8; 78];
        p[6..8].copy_from_slice(&1u16.to_be_bytes());
        p[24..26].copy_from_slice(&width.to_be_bytes());
        p[26..28].copy_from_slice(&height.to_be_bytes());
        bx(codec, &[&p])
    }

    fn audio_entry(codec: &[u8; 4], channels: u16, rate: u32) -> Vec<u8> {
        let mut p = vec![0u8; 28];
        p[16..18].copy_from_slice(&channels.to_be_bytes());
        p[18..20].copy_from_slice(&16u16.to_be_bytes());
        p[24..28].copy_from_slice(&(rate << 16).to_be_bytes());
        bx(codec, &[&p])
    }

    fn trak(tkhd: &[u8], mdhd: &[u8], handler: &[u8; 4], entry: &[u8]) -> Vec<u8> {
        let stsd = bx(b"stsd", &[&[0, 0, 0, 0, 0, 0, 0, 1], entry]);
        let minf = bx(b"minf", &[&bx(b"stbl", &[&stsd])]);
        bx(
            b"trak",
            &[tkhd, &bx(b"mdia", &[mdhd, &hdlr(handler), &minf])],
        )
    }

    pub(in crate::ingest::media) fn movie() -> Vec<u8> {
        let video = trak(
            &tkhd(640, 480),
            &mdhd(25, 62),
            b"vide",
            &video_entry(b"avc1", 640, 480),
        );
        let audio = trak(
            &tkhd(0, 0),
            &mdhd(48_000, 120_000),
            b"soun",
            &audio_entry(b"mp4a", 2, 48_000),
        );
        let moov = bx(b"moov", &[&mvhd_v0(1000, 2500), &video, &audio]);
        [
            bx(b"ftyp", &[b"isom\0\0\x02\0isommp41"]),
            moov,
            bx(b"mdat", &[&[0xAB; 64]]),
        ]
        .concat()
    }

    /// A video track header of `width` × `height` whose display matrix is `{a b 0; c d 0; …}`
    /// (entries given as whole numbers, written in 16.16 fixed point).
    fn tkhd_turned(width: u32, height: u32, [a, b, c, d]: [i32; 4]) -> Vec<u8> {
        let mut p = tkhd(width, height)[8..].to_vec();
        for (i, value) in [(0, a), (1, b), (3, c), (4, d)] {
            let at = 40 + 4 * i;
            p[at..at + 4].copy_from_slice(&(value << 16).to_be_bytes());
        }
        p[72..76].copy_from_slice(&(1i32 << 30).to_be_bytes());
        bx(b"tkhd", &[&p])
    }

    #[test]
    fn a_quarter_turn_in_the_track_matrix_swaps_the_displayed_size() {
        let film = |matrix| {
            let video = trak(
                &tkhd_turned(1920, 1080, matrix),
                &mdhd(25, 50),
                b"vide",
                &video_entry(b"hvc1", 1920, 1080),
            );
            let moov = bx(b"moov", &[&mvhd_v0(1000, 2000), &video]);
            let bytes = [bx(b"ftyp", &[b"qt  \0\0\0\0qt  "]), moov].concat();
            let info = probe_bytes(bytes, &format::MOV).unwrap();
            assert_eq!((info.width, info.height), (Some(1920), Some(1080)));
            (info.displayed_width, info.displayed_height)
        };
        // 90° (phones held upright), 270°, and 90° mirrored: shown 1080×1920.
        for matrix in [[0, 1, -1, 0], [0, -1, 1, 0], [0, 1, 1, 0]] {
            assert_eq!(film(matrix), (Some(1080), Some(1920)), "{matrix:?}");
        }
        // Identity and 180°: shown as stored, and nothing extra is recorded.
        for matrix in [[1, 0, 0, 1], [-1, 0, 0, -1]] {
            assert_eq!(film(matrix), (None, None), "{matrix:?}");
        }
    }

    #[test]
    fn mp4_tracks_and_duration() {
        let info = probe_bytes(movie(), &format::MP4).unwrap();
        assert_eq!(
            info,
            MediaInfo {
                duration_seconds: Some(2.5),
                width: Some(640),
                height: Some(480),
                video_codec: Some("avc1".into()),
                audio_codec: Some("mp4a".into()),
                sample_rate: Some(48_000),
                channels: Some(2),
                ..MediaInfo::default()
            }
        );
    }

    #[test]
    fn mp4_version1_largesize_and_size_zero() {
        let mut mvhd = vec![1u8, 0, 0, 0];
        mvhd.extend([0; 16]);
        mvhd.extend(600u32.to_be_bytes());
        mvhd.extend(90_000u64.to_be_bytes());
        mvhd.extend([0; 80]);
        let moov = bx(b"moov", &[&bx(b"mvhd", &[&mvhd])]);
        let mut large = 1u32.to_be_bytes().to_vec();
        large.extend(b"mdat");
        large.extend(24u64.to_be_bytes());
        large.extend([0; 8]);
        let to_end = [0, 0, 0, 0]
            .iter()
            .chain(b"free")
            .chain(&[0; 10])
            .copied()
            .collect();
        let file = [moov, large, to_end].concat();
        let info = probe_bytes(file, &format::MOV).unwrap();
        assert_eq!(info.duration_seconds, Some(150.0));
        assert_eq!(info.video_codec, None);
    }

    #[test]
    fn fragmented_mp4_duration_from_last_fragment() {
        let mut tkhd = tkhd(320, 240);
        tkhd[20..24].copy_from_slice(&1u32.to_be_bytes());
        let video = trak(
            &tkhd,
            &mdhd(12_800, 0),
            b"vide",
            &video_entry(b"avc1", 320, 240),
        );
        let trex = bx(
            b"trex",
            &[
                &[0; 4],
                &1u32.to_be_bytes(),
                &[0, 0, 0, 1],
                &512u32.to_be_bytes(),
                &[0; 8],
            ],
        );
        let moov = bx(
            b"moov",
            &[&mvhd_v0(1000, 0), &video, &bx(b"mvex", &[&trex])],
        );
        let fragment = |base: u64, durations: Option<&[u32]>| {
            let tfhd = bx(b"tfhd", &[&[0, 0x02, 0, 0], &1u32.to_be_bytes()]);
            let tfdt = bx(b"tfdt", &[&[1, 0, 0, 0], &base.to_be_bytes()]);
            let trun = match durations {
                Some(d) => {
                    let mut p = vec![0, 0, 0x01, 0x00];
                    p.extend((d.len() as u32).to_be_bytes());
                    p.extend(d.iter().flat_map(|d| d.to_be_bytes()));
                    bx(b"trun", &[&p])
                }
                None => bx(b"trun", &[&[0, 0, 0, 0], &25u32.to_be_bytes()]),
            };
            let moof = bx(
                b"moof",
                &[
                    &bx(b"mfhd", &[&[0; 8]]),
                    &bx(b"traf", &[&tfhd, &tfdt, &trun]),
                ],
            );
            [moof, bx(b"mdat", &[&[0; 16]])].concat()
        };
        let file = [
            moov.clone(),
            fragment(0, None),
            fragment(12_800, Some(&[512; 25])),
        ]
        .concat();
        let info = probe_bytes(file, &format::MP4).unwrap();
        assert_eq!(info.duration_seconds, Some(2.0));
        assert_eq!((info.width, info.height), (Some(320), Some(240)));

        let trex_defaults = [moov, fragment(0, None), fragment(12_800, None)].concat();
        assert_eq!(
            probe_bytes(trex_defaults, &format::MP4)
                .unwrap()
                .duration_seconds,
            Some(2.0)
        );
    }

    #[test]
    fn mp4_truncated_mdat() {
        let mut file = movie();
        file.truncate(file.len() - 72);
        let mdat_at = file.len() as u64;
        file.extend(52_428_800u32.to_be_bytes());
        file.extend(b"mdat");
        file.resize(mdat_at as usize + 1_048_576, 0);
        assert_eq!(
            message(probe_bytes(file, &format::MP4)),
            "truncated: the 'mdat' box declares 52428800 bytes but the file ends after 1048576"
        );
    }

    #[test]
    fn mp4_structural_damage() {
        let tiny = [
            bx(b"ftyp", &[b"isom\0\0\0\0"]),
            vec![0, 0, 0, 4],
            b"free".to_vec(),
        ]
        .concat();
        assert_eq!(
            message(probe_bytes(tiny, &format::MP4)),
            "corrupt: the 'free' box at byte 16 declares a size of 4 bytes, smaller than its \
             own 8-byte header"
        );

        let mut overrun = bx(b"moov", &[&bx(b"trak", &[&[0; 8]])]);
        overrun[11] = 40;
        assert_eq!(
            message(probe_bytes(overrun, &format::MP4)),
            "corrupt: the 'trak' box at byte 8 declares 40 bytes, more than the 16 left in the \
             'moov' box that holds it"
        );

        let short = bx(b"moov", &[&bx(b"mvhd", &[&[0; 10]])]);
        assert_eq!(
            message(probe_bytes(short, &format::MP4)),
            "corrupt: the 'mvhd' box at byte 8 holds 10 bytes, too few for its 20-byte fields"
        );

        let no_moov = [bx(b"ftyp", &[b"isom\0\0\0\0"]), bx(b"mdat", &[&[1; 4]])].concat();
        assert_eq!(
            message(probe_bytes(no_moov, &format::MP4)),
            "corrupt: there is no 'moov' box describing the tracks; the recording may never \
             have been finalised"
        );

        let mut cut_header = movie();
        cut_header.extend([0, 0, 1]);
        let at = cut_header.len() - 3;
        assert_eq!(
            message(probe_bytes(cut_header, &format::MP4)),
            format!("truncated: the file ends in the middle of a box header at byte {at}")
        );
    }

    #[test]
    fn huge_sparse_film_is_probed_without_reading_it() {
        let path = std::env::temp_dir().join(format!("disan-media-{}.mp4", std::process::id()));
        let head = movie();
        let mut file = std::fs::File::create(&path).unwrap();
        std::io::Write::write_all(&mut file, &head[..head.len() - 72]).unwrap();
        let mut mdat = 1u32.to_be_bytes().to_vec();
        mdat.extend(b"mdat");
        let mdat_size = 3u64 << 30;
        mdat.extend(mdat_size.to_be_bytes());
        std::io::Write::write_all(&mut file, &mdat).unwrap();
        file.set_len(head.len() as u64 - 72 + mdat_size).unwrap();
        drop(file);
        let result = crate::ingest::media::probe(&path, &format::MP4);
        std::fs::remove_file(&path).unwrap();
        assert_eq!(result.unwrap().duration_seconds, Some(2.5));
    }
}
