//! Reads duration, picture size and codecs of films and sound recordings from their containers.
//!
//! Archive films run to many gigabytes, so nothing here reads media payloads: each parser seeks
//! from one structure header to the next and reads only the few bytes it describes, keeping
//! memory flat whatever the file size. The same walk tells whether the container is whole; a
//! file cut short in copying, or one whose structures make no sense, is reported in words an
//! archivist can act on rather than silently catalogued with missing facts.
//!
//! This module owns [`MediaInfo`], [`MediaError`] and the container parsers for ISO BMFF
//! (MP4, MOV, M4A, 3GP), Matroska/WebM, WAV, FLAC, MP3 and Ogg. Images are measured elsewhere.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use super::format::{self, Format};

pub use crate::model::MediaInfo;

/// Why a media file could not be described.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// The container ends before a structure it declares.
    #[error("truncated: {0}")]
    Truncated(String),
    /// The container's structures contradict each other or the format's rules.
    #[error("corrupt: {0}")]
    Corrupt(String),
    /// The file could not be read.
    #[error(transparent)]
    Io(#[from] io::Error),
}

type Result<T> = std::result::Result<T, MediaError>;

fn truncated(msg: impl Into<String>) -> MediaError {
    MediaError::Truncated(msg.into())
}

fn corrupt(msg: impl Into<String>) -> MediaError {
    MediaError::Corrupt(msg.into())
}

/// Describes the media file at `path`, whose content was identified as `format`.
///
/// Returns `Ok(MediaInfo::default())` for formats this module does not parse.
pub fn probe(path: &Path, format: &Format) -> Result<MediaInfo> {
    probe_reader(File::open(path)?, format)
}

/// Like [`probe`], for any seekable source.
pub fn probe_reader<R: Read + Seek>(reader: R, format: &Format) -> Result<MediaInfo> {
    type Parser<R> = fn(&mut Source<R>) -> Result<MediaInfo>;
    let parsers: [(&[&Format], Parser<R>); 6] = [
        (
            &[
                &format::MP4,
                &format::MOV,
                &format::M4A,
                &format::THREE_GP,
                &format::THREE_G2,
            ],
            bmff::probe,
        ),
        (&[&format::MATROSKA, &format::WEBM], matroska::probe),
        (&[&format::WAV], wav::probe),
        (&[&format::FLAC], flac::probe),
        (&[&format::MP3], mp3::probe),
        (
            &[&format::OGG_AUDIO, &format::OGG_VIDEO, &format::OGG],
            ogg::probe,
        ),
    ];
    match parsers
        .iter()
        .find(|(formats, _)| formats.contains(&format))
    {
        Some((_, parse)) => parse(&mut Source::new(reader)?),
        None => Ok(MediaInfo::default()),
    }
}

/// A seekable file read in small pieces at explicit offsets.
struct Source<R> {
    inner: R,
    len: u64,
}

impl<R: Read + Seek> Source<R> {
    fn new(mut inner: R) -> io::Result<Self> {
        let len = inner.seek(SeekFrom::End(0))?;
        Ok(Self { inner, len })
    }

    /// Fills as much of `buf` as the file holds from `pos`; returns how many bytes were read.
    fn read_at(&mut self, pos: u64, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.len.saturating_sub(pos);
        let n = buf
            .len()
            .min(usize::try_from(available).unwrap_or(usize::MAX));
        if n > 0 {
            self.inner.seek(SeekFrom::Start(pos))?;
            self.inner.read_exact(&mut buf[..n])?;
        }
        Ok(n)
    }

    /// Up to `max` bytes from `pos`; callers keep `max` small so memory stays flat.
    fn bytes_at(&mut self, pos: u64, max: usize) -> io::Result<Vec<u8>> {
        let mut buf = vec![0; max];
        let n = self.read_at(pos, &mut buf)?;
        buf.truncate(n);
        Ok(buf)
    }
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn be64(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_be_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

fn le16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn le32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn le64(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// A four-character code as text, e.g. `avc1`; unprintable bytes are escaped.
fn fourcc(code: &[u8]) -> String {
    code.escape_ascii().to_string()
}

/// `units` counted at `per_second`, in seconds; `None` when the rate is zero.
fn seconds(units: f64, per_second: f64) -> Option<f64> {
    (per_second > 0.0).then(|| units / per_second)
}

/// MP4, QuickTime, M4A and 3GP: the ISO base media file format.
mod bmff {
    use super::*;

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
    fn fields<R: Read + Seek>(
        src: &mut Source<R>,
        b: &BoxHeader,
        needed: usize,
    ) -> Result<Vec<u8>> {
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
                        let at = 8
                            + if flags & 1 != 0 { 8 } else { 0 }
                            + if flags & 2 != 0 { 4 } else { 0 };
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
                        let first = 8
                            + if flags & 1 != 0 { 4 } else { 0 }
                            + if flags & 4 != 0 { 4 } else { 0 };
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
}

/// Matroska and WebM: EBML elements with variable-length IDs and sizes.
mod matroska {
    use super::*;

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
}

/// WAV, Broadcast WAV and RF64: RIFF chunks.
mod wav {
    use super::*;

    struct Fmt {
        tag: u16,
        channels: u16,
        sample_rate: u32,
        byte_rate: u32,
        block_align: u16,
        bits: u16,
    }

    fn codec(f: &Fmt) -> String {
        match (f.tag, f.bits) {
            (1, 8) => "pcm_u8".into(),
            (1, bits) => format!("pcm_s{bits}le"),
            (3, bits) => format!("pcm_f{bits}le"),
            (2, _) => "adpcm_ms".into(),
            (6, _) => "pcm_alaw".into(),
            (7, _) => "pcm_mulaw".into(),
            (0x11, _) => "adpcm_ima_wav".into(),
            (0x50, _) => "mp2".into(),
            (0x55, _) => "mp3".into(),
            (tag, _) => format!("WAV format 0x{tag:04X}"),
        }
    }

    pub(super) fn probe<R: Read + Seek>(src: &mut Source<R>) -> Result<MediaInfo> {
        let head = src.bytes_at(0, 12)?;
        let rf64 = head.starts_with(b"RF64");
        if head.len() < 12 || !(head.starts_with(b"RIFF") || rf64) || &head[8..12] != b"WAVE" {
            return Err(corrupt("the file does not start with a RIFF WAVE header"));
        }
        let mut fmt = None;
        let mut data_size = None;
        let mut ds64_data_size = None;
        let mut pos = 12;
        while fmt.is_none() || data_size.is_none() {
            if pos >= src.len {
                break;
            }
            let mut h = [0u8; 8];
            if src.read_at(pos, &mut h)? < 8 {
                return Err(truncated(format!(
                    "the file ends in the middle of a chunk header at byte {pos}"
                )));
            }
            let id = &h[..4];
            let declared = le32(&h, 4).expect("eight bytes read");
            let body = pos + 8;
            let available = src.len - body;
            let size = match (id, declared) {
                (b"data", u32::MAX) => match ds64_data_size {
                    Some(size) => size,
                    // Written by recorders that could not seek back: the data runs to the end.
                    None if !rf64 => available,
                    None => {
                        return Err(corrupt(
                            "the RF64 file has no 'ds64' chunk giving its data size",
                        ));
                    }
                },
                _ => u64::from(declared),
            };
            if size > available {
                return Err(truncated(format!(
                    "the '{}' chunk declares {size} bytes but the file ends after {available}",
                    fourcc(id)
                )));
            }
            match id {
                b"ds64" => {
                    let b = src.bytes_at(body, 16)?;
                    ds64_data_size = le64(&b, 8);
                }
                b"fmt " => {
                    let b = src.bytes_at(body, size.min(40) as usize)?;
                    if b.len() < 16 {
                        return Err(corrupt(format!(
                            "the 'fmt ' chunk is only {} bytes, too short to describe the audio",
                            b.len()
                        )));
                    }
                    let mut tag = le16(&b, 0).expect("length checked");
                    // WAVE_FORMAT_EXTENSIBLE keeps the real format in its sub-format GUID.
                    if tag == 0xFFFE {
                        tag = le16(&b, 24).unwrap_or(tag);
                    }
                    fmt = Some(Fmt {
                        tag,
                        channels: le16(&b, 2).expect("length checked"),
                        sample_rate: le32(&b, 4).expect("length checked"),
                        byte_rate: le32(&b, 8).expect("length checked"),
                        block_align: le16(&b, 12).expect("length checked"),
                        bits: le16(&b, 14).expect("length checked"),
                    });
                }
                b"data" => data_size = Some(size),
                _ => {}
            }
            // Chunks are padded to an even length.
            pos = body + size + (size & 1);
        }
        let data_size = data_size.ok_or_else(|| {
            truncated("the file ends before the 'data' chunk that holds the sound")
        })?;
        let fmt = fmt.ok_or_else(|| corrupt("there is no 'fmt ' chunk describing the audio"))?;
        let byte_rate = match fmt.byte_rate {
            0 => fmt.sample_rate.saturating_mul(u32::from(fmt.block_align)),
            rate => rate,
        };
        Ok(MediaInfo {
            duration_seconds: seconds(data_size as f64, f64::from(byte_rate)),
            audio_codec: Some(codec(&fmt)),
            sample_rate: Some(fmt.sample_rate).filter(|&r| r > 0),
            channels: Some(fmt.channels).filter(|&c| c > 0),
            ..MediaInfo::default()
        })
    }
}

/// FLAC: the STREAMINFO block, and a walk over the metadata blocks to the first frame.
mod flac {
    use super::*;

    pub(super) struct StreamInfo {
        max_block_size: u16,
        max_frame_size: u32,
        pub(super) sample_rate: u32,
        pub(super) channels: u16,
        pub(super) total_samples: u64,
    }

    /// Decodes the 34-byte STREAMINFO body (also carried inside Ogg FLAC).
    pub(super) fn stream_info(b: &[u8]) -> Option<StreamInfo> {
        let b = b.get(..34)?;
        let u24 = |at: usize| {
            (u32::from(b[at]) << 16) | (u32::from(b[at + 1]) << 8) | u32::from(b[at + 2])
        };
        Some(StreamInfo {
            max_block_size: be16(b, 2)?,
            max_frame_size: u24(7),
            sample_rate: u24(10) >> 4,
            channels: u16::from((b[12] >> 1) & 7) + 1,
            total_samples: (u64::from(b[13] & 0x0F) << 32) | u64::from(be32(b, 14)?),
        })
    }

    pub(super) fn crc8(bytes: &[u8]) -> u8 {
        bytes.iter().fold(0u8, |crc, &b| {
            (0..8).fold(crc ^ b, |c, _| {
                if c & 0x80 != 0 {
                    (c << 1) ^ 0x07
                } else {
                    c << 1
                }
            })
        })
    }

    pub(super) fn crc16(bytes: &[u8]) -> u16 {
        bytes.iter().fold(0u16, |crc, &b| {
            (0..8).fold(crc ^ (u16::from(b) << 8), |c, _| {
                if c & 0x8000 != 0 {
                    (c << 1) ^ 0x8005
                } else {
                    c << 1
                }
            })
        })
    }

    struct FrameHeader {
        first_sample: u64,
        block_size: u64,
    }

    /// Parses an audio frame header at the start of `b`, accepting it only if its CRC-8 holds
    /// and it agrees with STREAMINFO, since sync codes also occur inside compressed audio.
    fn frame_header(b: &[u8], si: &StreamInfo) -> Option<FrameHeader> {
        if b.len() < 6 || b[0] != 0xFF || b[1] & 0xFE != 0xF8 || b[3] & 1 != 0 {
            return None;
        }
        let (block_code, rate_code) = (b[2] >> 4, b[2] & 0x0F);
        let channel_code = b[3] >> 4;
        if block_code == 0 || rate_code == 15 || channel_code > 10 || (b[3] >> 1) & 7 == 3 {
            return None;
        }
        let channels = if channel_code < 8 {
            u16::from(channel_code) + 1
        } else {
            2
        };
        const RATES: [u32; 12] = [
            0, 88_200, 176_400, 192_000, 8000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000,
            96_000,
        ];
        let rate_mismatch = RATES
            .get(usize::from(rate_code))
            .is_some_and(|&r| r != 0 && r != si.sample_rate);
        if channels != si.channels || rate_mismatch {
            return None;
        }
        // The frame or sample number is coded like UTF-8, up to seven bytes.
        let extra = match b[4].leading_ones() {
            0 => 0,
            n @ 2..=7 => n as usize - 1,
            _ => return None,
        };
        let data_bits = if extra == 0 { 7 } else { 6 - extra };
        let mut number = u64::from(b[4]) & ((1 << data_bits) - 1);
        for &c in b.get(5..5 + extra)? {
            if c & 0xC0 != 0x80 {
                return None;
            }
            number = (number << 6) | u64::from(c & 0x3F);
        }
        let mut pos = 5 + extra;
        let block_size = match block_code {
            1 => 192,
            2..=5 => 576 << (block_code - 2),
            6 => {
                pos += 1;
                u64::from(*b.get(pos - 1)?) + 1
            }
            7 => {
                pos += 2;
                u64::from(be16(b, pos - 2)?) + 1
            }
            _ => 256 << (block_code - 8),
        };
        pos += match rate_code {
            12 => 1,
            13 | 14 => 2,
            _ => 0,
        };
        if crc8(b.get(..pos)?) != *b.get(pos)? {
            return None;
        }
        let variable = b[1] & 1 == 1;
        let first_sample = if variable {
            number
        } else {
            number * u64::from(si.max_block_size)
        };
        Some(FrameHeader {
            first_sample,
            block_size,
        })
    }

    /// FLAC keeps no index of its frames, so a file cut between frames still parses. Compare
    /// the last frame near the end of the file with the sample count STREAMINFO promises, and
    /// check that final frame's own checksum.
    fn check_tail<R: Read + Seek>(
        src: &mut Source<R>,
        audio_start: u64,
        si: &StreamInfo,
    ) -> Result<()> {
        if si.total_samples == 0 || si.max_block_size == 0 {
            return Ok(());
        }
        let window = (2 * u64::from(si.max_frame_size)).clamp(64 * 1024, 1024 * 1024);
        let start = src.len.saturating_sub(window).max(audio_start);
        let tail = src.bytes_at(start, (src.len - start) as usize)?;
        let end = match tail.len().checked_sub(128) {
            Some(at) if tail[at..].starts_with(b"TAG") => at,
            _ => tail.len(),
        };
        let last = (0..end)
            .filter_map(|i| Some((i, frame_header(&tail[i..end], si)?)))
            .filter(|(_, f)| f.first_sample + f.block_size <= si.total_samples)
            .max_by_key(|(_, f)| f.first_sample);
        let Some((at, frame)) = last else {
            return Ok(());
        };
        if frame.first_sample + frame.block_size < si.total_samples {
            return Err(truncated(format!(
                "the FLAC audio breaks off at sample {} of the {} its STREAMINFO declares",
                frame.first_sample, si.total_samples
            )));
        }
        if crc16(&tail[at..end]) != 0 {
            return Err(truncated(format!(
                "the last FLAC audio frame, at byte {}, is cut off before its checksum",
                start + at as u64
            )));
        }
        Ok(())
    }

    fn block_name(kind: u8) -> String {
        match kind {
            0 => "STREAMINFO".into(),
            1 => "PADDING".into(),
            2 => "APPLICATION".into(),
            3 => "SEEKTABLE".into(),
            4 => "VORBIS_COMMENT".into(),
            5 => "CUESHEET".into(),
            6 => "PICTURE".into(),
            other => format!("type {other}"),
        }
    }

    pub(super) fn probe<R: Read + Seek>(src: &mut Source<R>) -> Result<MediaInfo> {
        let start = super::mp3::skip_id3v2(src, 0)?;
        if src.bytes_at(start, 4)? != b"fLaC" {
            return Err(corrupt(format!(
                "the FLAC signature 'fLaC' is missing at byte {start}"
            )));
        }
        let mut pos = start + 4;
        let mut info = None;
        loop {
            let mut h = [0u8; 4];
            if src.read_at(pos, &mut h)? < 4 {
                return Err(truncated(format!(
                    "the file ends in the middle of a metadata block header at byte {pos}"
                )));
            }
            let kind = h[0] & 0x7F;
            let size = u64::from(be32(&h, 0).expect("four bytes") & 0x00FF_FFFF);
            if kind == 127 {
                return Err(corrupt(format!(
                    "the metadata block at byte {pos} has an invalid type"
                )));
            }
            let body = pos + 4;
            if body + size > src.len {
                return Err(truncated(format!(
                    "the FLAC {} metadata block declares {size} bytes but the file ends after {}",
                    block_name(kind),
                    src.len - body
                )));
            }
            if kind == 0 {
                let b = src.bytes_at(body, 34)?;
                let si = stream_info(&b).filter(|_| size >= 34).ok_or_else(|| {
                    corrupt(format!(
                        "the STREAMINFO block is only {size} bytes; it needs 34"
                    ))
                })?;
                if si.sample_rate == 0 {
                    return Err(corrupt("STREAMINFO gives a sample rate of 0"));
                }
                info = Some(si);
            }
            pos = body + size;
            if h[0] & 0x80 != 0 {
                break;
            }
        }
        let si =
            info.ok_or_else(|| corrupt("there is no STREAMINFO block describing the audio"))?;
        let sync = src.bytes_at(pos, 2)?;
        if sync.is_empty() && si.total_samples > 0 {
            return Err(truncated(
                "the file ends after the metadata, before any audio frame",
            ));
        }
        if !sync.is_empty() && (sync.len() < 2 || sync[0] != 0xFF || sync[1] & 0xFE != 0xF8) {
            return Err(corrupt(format!(
                "no FLAC audio frame starts after the metadata, at byte {pos}"
            )));
        }
        check_tail(src, pos, &si)?;
        Ok(MediaInfo {
            duration_seconds: (si.total_samples > 0)
                .then(|| si.total_samples as f64 / f64::from(si.sample_rate)),
            audio_codec: Some("flac".into()),
            sample_rate: Some(si.sample_rate),
            channels: Some(si.channels),
            ..MediaInfo::default()
        })
    }
}

/// MPEG audio: ID3v2 tags, then the first frame and its Xing/Info or VBRI header.
mod mp3 {
    use super::*;

    /// How far past the tags to look for the first frame, for files with padding or junk.
    const SYNC_WINDOW: usize = 64 * 1024;

    /// Skips any ID3v2 tags starting at `pos`, returning where the tagged content begins.
    pub(super) fn skip_id3v2<R: Read + Seek>(src: &mut Source<R>, mut pos: u64) -> Result<u64> {
        while let Some(len) = format::id3v2_len(&src.bytes_at(pos, 10)?) {
            let len = len as u64;
            if pos + len > src.len {
                return Err(truncated(format!(
                    "the ID3v2 tag declares {len} bytes but the file ends after {}",
                    src.len - pos
                )));
            }
            pos += len;
        }
        Ok(pos)
    }

    pub(super) fn probe<R: Read + Seek>(src: &mut Source<R>) -> Result<MediaInfo> {
        let audio_start = skip_id3v2(src, 0)?;
        let window = src.bytes_at(audio_start, SYNC_WINDOW + 4)?;
        if window.is_empty() {
            return Err(truncated("the file ends before its first audio frame"));
        }
        // Demand a second frame right after the first, as sync words also occur in tag junk;
        // a frame that runs to the end of the window is accepted on its own.
        let found = (0..window.len()).find_map(|i| {
            let frame = format::mpeg_audio_header(&window[i..])?;
            let next = i + frame.frame_len;
            let confirmed = next + 4 > window.len()
                || format::mpeg_audio_header(&window[next..])
                    .is_some_and(|n| n.version == frame.version && n.layer == frame.layer);
            confirmed.then_some((i, frame))
        });
        let Some((offset, frame)) = found else {
            return Err(corrupt(format!(
                "no MPEG audio frame was found in the first {} KiB after the tags",
                SYNC_WINDOW / 1024
            )));
        };
        let frame_start = audio_start + offset as u64;
        let first = &window[offset..];

        let side_info = match (frame.version == 1, frame.channels == 1) {
            (true, false) => 32,
            (true, true) | (false, false) => 17,
            (false, true) => 9,
        };
        let xing = [4 + side_info, 6 + side_info]
            .into_iter()
            .find(|&at| matches!(first.get(at..at + 4), Some(b"Xing" | b"Info")));
        // (frame count, byte count) from whichever VBR header the encoder wrote.
        let (frames, bytes) = if let Some(at) = xing {
            let flags = be32(first, at + 4).unwrap_or(0);
            let frames = be32(first, at + 8).filter(|_| flags & 1 != 0);
            let bytes_at = if flags & 1 != 0 { at + 12 } else { at + 8 };
            (frames, be32(first, bytes_at).filter(|_| flags & 2 != 0))
        } else if first.get(36..40) == Some(b"VBRI") {
            (be32(first, 36 + 14), be32(first, 36 + 10))
        } else {
            (None, None)
        };
        if let Some(bytes) = bytes.map(u64::from) {
            let available = src.len - frame_start;
            if bytes > available {
                let tag = xing.map_or("VBRI", |at| if first[at] == b'X' { "Xing" } else { "Info" });
                return Err(truncated(format!(
                    "the '{tag}' header declares {bytes} bytes of audio but the file ends after \
                     {available}"
                )));
            }
        }
        let rate = f64::from(frame.sample_rate);
        let duration = match frames {
            Some(frames) => f64::from(frames) * f64::from(frame.samples_per_frame) / rate,
            None => {
                let tail = src.bytes_at(src.len.saturating_sub(128), 3)?;
                let id3v1 = if tail == b"TAG" { 128 } else { 0 };
                let audio_bytes = src.len.saturating_sub(frame_start + id3v1);
                audio_bytes as f64 * 8.0 / f64::from(frame.bitrate)
            }
        };
        Ok(MediaInfo {
            duration_seconds: Some(duration),
            audio_codec: Some(format!("mp{}", frame.layer)),
            sample_rate: Some(frame.sample_rate),
            channels: Some(frame.channels),
            ..MediaInfo::default()
        })
    }
}

/// Ogg: codec headers from the beginning-of-stream pages, duration from the final pages.
mod ogg {
    use super::*;

    /// How much of the end of the file is searched for the last page, per the Ogg practice of
    /// seeking back rather than reading the whole stream.
    const TAIL: u64 = 64 * 1024;
    /// More logical streams than any real recording multiplexes.
    const MAX_STREAMS: usize = 64;
    /// An Ogg page can never be longer than this.
    const PAGE_MAX: usize = 27 + 255 + 255 * 255;

    const fn crc_table() -> [u32; 256] {
        let mut table = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut r = (i as u32) << 24;
            let mut bit = 0;
            while bit < 8 {
                r = if r & 0x8000_0000 != 0 {
                    (r << 1) ^ 0x04C1_1DB7
                } else {
                    r << 1
                };
                bit += 1;
            }
            table[i] = r;
            i += 1;
        }
        table
    }

    static CRC: [u32; 256] = crc_table();

    /// The page checksum, computed with the page's own CRC field taken as zero.
    pub(super) fn checksum(page: &[u8]) -> u32 {
        page.iter().enumerate().fold(0u32, |crc, (i, &b)| {
            let b = if (22..26).contains(&i) { 0 } else { b };
            (crc << 8) ^ CRC[usize::from((crc >> 24) as u8 ^ b)]
        })
    }

    fn crc_ok(page: &[u8]) -> bool {
        le32(page, 22) == Some(checksum(page))
    }

    /// Total page length from its header, if the header and segment table are in `b`.
    fn page_len(b: &[u8]) -> Option<usize> {
        let segments = usize::from(*b.get(26)?);
        let table = b.get(27..27 + segments)?;
        Some(27 + segments + table.iter().map(|&s| usize::from(s)).sum::<usize>())
    }

    enum Codec {
        Opus {
            pre_skip: u16,
        },
        Vorbis,
        Flac,
        Speex,
        Theora {
            fps_num: u32,
            fps_den: u32,
            shift: u8,
        },
    }

    struct Stream {
        serial: u32,
        codec: Codec,
        rate: u32,
        channels: u16,
        width: u32,
        height: u32,
    }

    fn identify(serial: u32, p: &[u8]) -> Option<Stream> {
        let stream = |codec, rate, channels| Stream {
            serial,
            codec,
            rate,
            channels,
            width: 0,
            height: 0,
        };
        if p.starts_with(b"OpusHead") {
            // Opus always decodes at 48 kHz; the header's input rate is only informative.
            return Some(stream(
                Codec::Opus {
                    pre_skip: le16(p, 10)?,
                },
                48_000,
                u16::from(*p.get(9)?),
            ));
        }
        if p.starts_with(b"\x01vorbis") {
            return Some(stream(Codec::Vorbis, le32(p, 12)?, u16::from(*p.get(11)?)));
        }
        if p.starts_with(b"\x7FFLAC") {
            let si = super::flac::stream_info(p.get(17..)?)?;
            return Some(stream(Codec::Flac, si.sample_rate, si.channels));
        }
        if p.starts_with(b"Speex   ") {
            return Some(stream(
                Codec::Speex,
                le32(p, 36)?,
                u16::try_from(le32(p, 48)?).ok()?,
            ));
        }
        if p.starts_with(b"\x80theora") {
            let b24 = |at: usize| Some((u32::from(be16(p, at)?) << 8) | u32::from(*p.get(at + 2)?));
            let shift = ((p.get(40)? & 0x03) << 3) | (p.get(41)? >> 5);
            return Some(Stream {
                width: b24(14)?,
                height: b24(17)?,
                ..stream(
                    Codec::Theora {
                        fps_num: be32(p, 22)?,
                        fps_den: be32(p, 26)?,
                        shift,
                    },
                    0,
                    0,
                )
            });
        }
        None
    }

    fn codec_name(c: &Codec) -> &'static str {
        match c {
            Codec::Opus { .. } => "opus",
            Codec::Vorbis => "vorbis",
            Codec::Flac => "flac",
            Codec::Speex => "speex",
            Codec::Theora { .. } => "theora",
        }
    }

    fn duration(s: &Stream, granule: u64) -> Option<f64> {
        match s.codec {
            Codec::Opus { pre_skip } => {
                Some(granule.saturating_sub(u64::from(pre_skip)) as f64 / 48_000.0)
            }
            Codec::Theora {
                fps_num,
                fps_den,
                shift,
            } => {
                let shift = u32::from(shift);
                let frames = (granule >> shift) + (granule & ((1u64 << shift) - 1));
                seconds(frames as f64 * f64::from(fps_den), f64::from(fps_num))
            }
            _ => seconds(granule as f64, f64::from(s.rate)),
        }
    }

    pub(super) fn probe<R: Read + Seek>(src: &mut Source<R>) -> Result<MediaInfo> {
        let mut streams = Vec::new();
        let mut pos = 0;
        // Every logical stream starts with a beginning-of-stream page, all before any data page;
        // the cap bounds the work on a file that is nothing but such pages.
        for _ in 0..MAX_STREAMS {
            let page = src.bytes_at(pos, PAGE_MAX)?;
            if page.is_empty() && pos > 0 {
                break;
            }
            if !page.starts_with(b"OggS") {
                return Err(corrupt(format!("no Ogg page starts at byte {pos}")));
            }
            let len = page_len(&page).ok_or_else(|| {
                truncated(format!(
                    "the file ends in the middle of the Ogg page header at byte {pos}"
                ))
            })?;
            if len > page.len() {
                return Err(truncated(format!(
                    "the Ogg page at byte {pos} declares {len} bytes but the file ends after {}",
                    page.len()
                )));
            }
            if !crc_ok(&page[..len]) {
                return Err(corrupt(format!(
                    "the Ogg page at byte {pos} fails its checksum"
                )));
            }
            if page[5] & 0x02 == 0 {
                break;
            }
            let serial = le32(&page, 14).expect("header length checked");
            let body = 27 + usize::from(page[26]);
            if let Some(s) = identify(serial, &page[body..len]) {
                streams.push(s);
            }
            pos += len as u64;
        }

        let tail_start = src.len.saturating_sub(TAIL);
        let tail = src.bytes_at(tail_start, TAIL as usize)?;
        let mut last_granules: Vec<(u32, u64)> = Vec::new();
        let mut valid_end = 0;
        let mut last_page = None;
        let mut cut_page = None;
        let mut i = 0;
        while let Some(found) = tail[i..].windows(4).position(|w| w == b"OggS") {
            let at = i + found;
            i = at + 1;
            let Some(len) = page_len(&tail[at..]) else {
                cut_page = Some((at, None));
                continue;
            };
            if tail[at + 4] != 0 {
                continue;
            }
            let Some(page) = tail.get(at..at + len) else {
                cut_page = Some((at, Some(len)));
                continue;
            };
            if !crc_ok(page) {
                continue;
            }
            let serial = le32(page, 14).expect("header in page");
            let granule = le64(page, 6).expect("header in page");
            // -1 marks a page on which no packet ends.
            if granule != u64::MAX {
                last_granules.retain(|&(s, _)| s != serial);
                last_granules.push((serial, granule));
            }
            valid_end = at + len;
            last_page = Some((at, page[5]));
            i = valid_end;
            cut_page = None;
        }
        if let Some((at, len)) = cut_page.filter(|&(at, _)| at >= valid_end) {
            let abs = tail_start + at as u64;
            let present = src.len - abs;
            return Err(truncated(match len {
                Some(len) => format!(
                    "the last Ogg page, at byte {abs}, declares {len} bytes but the file ends \
                     after {present}"
                ),
                None => format!("the file ends in the middle of the Ogg page header at byte {abs}"),
            }));
        }
        // The final page of a finished stream carries the end-of-stream flag; without it the
        // file stops at a page boundary partway through.
        if let Some((at, flags)) = last_page
            && valid_end == tail.len()
            && flags & 0x04 == 0
        {
            return Err(truncated(format!(
                "the last Ogg page, at byte {}, does not close its stream, so the file stops early",
                tail_start + at as u64
            )));
        }

        let mut info = MediaInfo {
            duration_seconds: last_granules
                .iter()
                .filter_map(|&(serial, granule)| {
                    duration(streams.iter().find(|s| s.serial == serial)?, granule)
                })
                .reduce(f64::max),
            ..MediaInfo::default()
        };
        let is_video = |s: &&Stream| matches!(s.codec, Codec::Theora { .. });
        if let Some(v) = streams.iter().find(is_video) {
            info.video_codec = Some(codec_name(&v.codec).into());
            info.width = Some(v.width).filter(|&w| w > 0);
            info.height = Some(v.height).filter(|&h| h > 0);
        }
        if let Some(a) = streams.iter().find(|s| !is_video(s)) {
            info.audio_codec = Some(codec_name(&a.codec).into());
            info.sample_rate = Some(a.rate).filter(|&r| r > 0);
            info.channels = Some(a.channels).filter(|&c| c > 0);
        }
        Ok(info)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;

    fn probe_bytes(bytes: Vec<u8>, format: &Format) -> Result<MediaInfo> {
        probe_reader(Cursor::new(bytes), format)
    }

    fn message(r: Result<MediaInfo>) -> String {
        r.expect_err("probe should fail").to_string()
    }

    // ---- ISO BMFF ----

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

    fn movie() -> Vec<u8> {
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
        let mut file = File::create(&path).unwrap();
        std::io::Write::write_all(&mut file, &head[..head.len() - 72]).unwrap();
        let mut mdat = 1u32.to_be_bytes().to_vec();
        mdat.extend(b"mdat");
        let mdat_size = 3u64 << 30;
        mdat.extend(mdat_size.to_be_bytes());
        std::io::Write::write_all(&mut file, &mdat).unwrap();
        file.set_len(head.len() as u64 - 72 + mdat_size).unwrap();
        drop(file);
        let result = probe(&path, &format::MP4);
        std::fs::remove_file(&path).unwrap();
        assert_eq!(result.unwrap().duration_seconds, Some(2.5));
    }

    // ---- Matroska ----

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

    // ---- WAV ----

    fn chunk(id: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut v = id.to_vec();
        v.extend((body.len() as u32).to_le_bytes());
        v.extend(body);
        if body.len() % 2 == 1 {
            v.push(0);
        }
        v
    }

    fn fmt_pcm(tag: u16, channels: u16, rate: u32, bits: u16) -> Vec<u8> {
        let align = channels * bits / 8;
        let mut b = tag.to_le_bytes().to_vec();
        b.extend(channels.to_le_bytes());
        b.extend(rate.to_le_bytes());
        b.extend((rate * u32::from(align)).to_le_bytes());
        b.extend(align.to_le_bytes());
        b.extend(bits.to_le_bytes());
        b
    }

    fn riff(chunks: &[Vec<u8>]) -> Vec<u8> {
        let body = chunks.concat();
        [
            b"RIFF".as_slice(),
            &((body.len() + 4) as u32).to_le_bytes(),
            b"WAVE",
            &body,
        ]
        .concat()
    }

    #[test]
    fn wav_fmt_and_data() {
        let file = riff(&[
            chunk(b"fmt ", &fmt_pcm(1, 1, 8000, 16)),
            chunk(b"bext", &[0; 3]),
            chunk(b"data", &[0; 16_000]),
        ]);
        let info = probe_bytes(file, &format::WAV).unwrap();
        assert_eq!(
            info,
            MediaInfo {
                duration_seconds: Some(1.0),
                audio_codec: Some("pcm_s16le".into()),
                sample_rate: Some(8000),
                channels: Some(1),
                ..MediaInfo::default()
            }
        );

        let mut extensible = fmt_pcm(0xFFFE, 2, 96_000, 32);
        extensible.extend(22u16.to_le_bytes());
        extensible.extend([0; 6]);
        extensible.extend(3u16.to_le_bytes());
        extensible.extend([0; 14]);
        let file = riff(&[chunk(b"fmt ", &extensible), chunk(b"data", &[0; 768])]);
        let info = probe_bytes(file, &format::WAV).unwrap();
        assert_eq!(info.audio_codec.as_deref(), Some("pcm_f32le"));
        assert_eq!(info.duration_seconds, Some(0.001));
    }

    #[test]
    fn wav_streamed_and_rf64_sizes() {
        let mut data = chunk(b"data", &[0; 4000]);
        data[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        let file = riff(&[chunk(b"fmt ", &fmt_pcm(1, 1, 8000, 8)), data.clone()]);
        let info = probe_bytes(file, &format::WAV).unwrap();
        assert_eq!(
            (info.duration_seconds, info.audio_codec.as_deref()),
            (Some(0.5), Some("pcm_u8"))
        );

        let mut ds64 = 0u64.to_le_bytes().to_vec();
        ds64.extend(4000u64.to_le_bytes());
        ds64.extend([0; 12]);
        let mut file = riff(&[
            chunk(b"ds64", &ds64),
            chunk(b"fmt ", &fmt_pcm(1, 1, 8000, 8)),
            data,
        ]);
        file[..4].copy_from_slice(b"RF64");
        assert_eq!(
            probe_bytes(file, &format::WAV).unwrap().duration_seconds,
            Some(0.5)
        );
    }

    #[test]
    fn wav_damage() {
        let mut file = riff(&[
            chunk(b"fmt ", &fmt_pcm(1, 1, 8000, 16)),
            chunk(b"data", &[0; 16_000]),
        ]);
        file.truncate(file.len() - 15_000);
        assert_eq!(
            message(probe_bytes(file, &format::WAV)),
            "truncated: the 'data' chunk declares 16000 bytes but the file ends after 1000"
        );
        let file = riff(&[chunk(b"fmt ", &[1, 0, 1, 0]), chunk(b"data", &[0; 4])]);
        assert_eq!(
            message(probe_bytes(file, &format::WAV)),
            "corrupt: the 'fmt ' chunk is only 4 bytes, too short to describe the audio"
        );
        let file = riff(&[chunk(b"fmt ", &fmt_pcm(1, 1, 8000, 16))]);
        assert_eq!(
            message(probe_bytes(file, &format::WAV)),
            "truncated: the file ends before the 'data' chunk that holds the sound"
        );
        let file = riff(&[chunk(b"data", &[0; 4])]);
        assert_eq!(
            message(probe_bytes(file, &format::WAV)),
            "corrupt: there is no 'fmt ' chunk describing the audio"
        );
        let mut file = riff(&[chunk(b"fmt ", &fmt_pcm(1, 1, 8000, 16))]);
        file.extend(b"dat");
        assert_eq!(
            message(probe_bytes(file, &format::WAV)),
            "truncated: the file ends in the middle of a chunk header at byte 36"
        );
    }

    // ---- FLAC ----

    fn streaminfo(rate: u32, channels: u8, total: u64) -> Vec<u8> {
        let mut b = vec![0x10, 0x00, 0x10, 0x00, 0, 0, 0, 0, 0, 0];
        b.push((rate >> 12) as u8);
        b.push((rate >> 4) as u8);
        b.push(((rate << 4) as u8) | ((channels - 1) << 1));
        b.push((15 << 4) | ((total >> 32) as u8 & 0x0F));
        b.extend((total as u32).to_be_bytes());
        b.extend([0; 16]);
        b
    }

    fn flac_block(kind: u8, last: bool, body: &[u8]) -> Vec<u8> {
        let mut v = vec![kind | if last { 0x80 } else { 0 }];
        v.extend(&(body.len() as u32).to_be_bytes()[1..]);
        v.extend(body);
        v
    }

    #[test]
    fn flac_streaminfo() {
        let file = [
            b"ID3\x04\0\0\0\0\0\x02\0\0".to_vec(),
            b"fLaC".to_vec(),
            flac_block(0, false, &streaminfo(44_100, 2, 441_000)),
            flac_block(1, true, &[0; 10]),
            vec![0xFF, 0xF8, 0x69, 0x08],
        ]
        .concat();
        assert_eq!(
            probe_bytes(file, &format::FLAC).unwrap(),
            MediaInfo {
                duration_seconds: Some(10.0),
                audio_codec: Some("flac".into()),
                sample_rate: Some(44_100),
                channels: Some(2),
                ..MediaInfo::default()
            }
        );
    }

    /// A fixed-blocksize frame of 4096 samples (or `last_block` for the final one), mono,
    /// 16 kHz; the subframe is filler, as only headers and checksums are examined.
    fn flac_frame(number: u8, last_block: Option<u16>) -> Vec<u8> {
        let mut f = vec![
            0xFF,
            0xF8,
            if last_block.is_some() { 0x75 } else { 0xC5 },
            0x08,
            number,
        ];
        if let Some(size) = last_block {
            f.extend((size - 1).to_be_bytes());
        }
        f.push(flac::crc8(&f));
        f.extend([0x5A; 40]);
        f.extend(flac::crc16(&f).to_be_bytes());
        f
    }

    fn flac_file(frames: &[Vec<u8>]) -> Vec<u8> {
        let mut info = streaminfo(16_000, 1, 3 * 4096 + 1000);
        info[0..4].copy_from_slice(&[0x10, 0x00, 0x10, 0x00]);
        [
            b"fLaC".to_vec(),
            flac_block(0, true, &info),
            frames.concat(),
        ]
        .concat()
    }

    #[test]
    fn flac_frames_checked_against_streaminfo() {
        let frames = [
            flac_frame(0, None),
            flac_frame(1, None),
            flac_frame(2, None),
            flac_frame(3, Some(1000)),
        ];
        let whole = flac_file(&frames);
        let info = probe_bytes(whole.clone(), &format::FLAC).unwrap();
        assert_eq!(info.duration_seconds, Some(13_288.0 / 16_000.0));

        let with_id3v1 = [whole.clone(), b"TAG".to_vec(), vec![0x20; 125]].concat();
        assert!(probe_bytes(with_id3v1, &format::FLAC).is_ok());

        let missing_last = flac_file(&frames[..3]);
        assert_eq!(
            message(probe_bytes(missing_last, &format::FLAC)),
            "truncated: the FLAC audio breaks off at sample 8192 of the 13288 its STREAMINFO \
             declares"
        );

        let mut cut = whole;
        cut.truncate(cut.len() - 5);
        let last_at = cut.len() + 5 - frames[3].len();
        assert_eq!(
            message(probe_bytes(cut, &format::FLAC)),
            format!(
                "truncated: the last FLAC audio frame, at byte {last_at}, is cut off before its \
                 checksum"
            )
        );
    }

    #[test]
    fn flac_damage() {
        let head = [
            b"fLaC".to_vec(),
            flac_block(0, false, &streaminfo(48_000, 1, 48_000)),
        ]
        .concat();
        let mut cut = [head.clone(), flac_block(6, true, &[0; 5000])].concat();
        cut.truncate(cut.len() - 4000);
        assert_eq!(
            message(probe_bytes(cut, &format::FLAC)),
            "truncated: the FLAC PICTURE metadata block declares 5000 bytes but the file ends \
             after 1000"
        );
        let no_frames = [head.clone(), flac_block(1, true, &[])].concat();
        assert_eq!(
            message(probe_bytes(no_frames, &format::FLAC)),
            "truncated: the file ends after the metadata, before any audio frame"
        );
        let garbage = [head, flac_block(1, true, &[]), b"junk".to_vec()].concat();
        assert_eq!(
            message(probe_bytes(garbage, &format::FLAC)),
            "corrupt: no FLAC audio frame starts after the metadata, at byte 46"
        );
        assert_eq!(
            message(probe_bytes(b"fLaX".to_vec(), &format::FLAC)),
            "corrupt: the FLAC signature 'fLaC' is missing at byte 0"
        );
    }

    // ---- MP3 ----

    /// MPEG-1 layer III, 128 kbit/s, 44.1 kHz, stereo: 417-byte frames of 1152 samples.
    const MP3_HEADER: [u8; 4] = [0xFF, 0xFB, 0x90, 0x00];

    fn mp3_frames(count: usize) -> Vec<u8> {
        (0..count)
            .flat_map(|_| MP3_HEADER.iter().copied().chain([0; 413]))
            .collect()
    }

    #[test]
    fn mp3_cbr_estimate_and_id3() {
        let file = [
            b"ID3\x03\0\0\0\0\0\x05hello".to_vec(),
            mp3_frames(10),
            b"TAG".to_vec(),
            vec![0; 125],
        ]
        .concat();
        let info = probe_bytes(file, &format::MP3).unwrap();
        assert_eq!(
            info,
            MediaInfo {
                duration_seconds: Some(4170.0 * 8.0 / 128_000.0),
                audio_codec: Some("mp3".into()),
                sample_rate: Some(44_100),
                channels: Some(2),
                ..MediaInfo::default()
            }
        );
    }

    #[test]
    fn mp3_xing_and_vbri_frame_counts() {
        let mut file = mp3_frames(3);
        file[36..40].copy_from_slice(b"Xing");
        file[40..44].copy_from_slice(&3u32.to_be_bytes());
        file[44..48].copy_from_slice(&100u32.to_be_bytes());
        file[48..52].copy_from_slice(&1251u32.to_be_bytes());
        let info = probe_bytes(file.clone(), &format::MP3).unwrap();
        assert_eq!(info.duration_seconds, Some(100.0 * 1152.0 / 44_100.0));

        file[48..52].copy_from_slice(&41_700u32.to_be_bytes());
        assert_eq!(
            message(probe_bytes(file, &format::MP3)),
            "truncated: the 'Xing' header declares 41700 bytes of audio but the file ends after 1251"
        );

        let mut vbri = mp3_frames(2);
        vbri[36..40].copy_from_slice(b"VBRI");
        vbri[46..50].copy_from_slice(&834u32.to_be_bytes());
        vbri[50..54].copy_from_slice(&50u32.to_be_bytes());
        let info = probe_bytes(vbri, &format::MP3).unwrap();
        assert_eq!(info.duration_seconds, Some(50.0 * 1152.0 / 44_100.0));
    }

    #[test]
    fn mp3_damage() {
        let file = b"ID3\x04\0\0\0\0\x01\0abc".to_vec();
        assert_eq!(
            message(probe_bytes(file, &format::MP3)),
            "truncated: the ID3v2 tag declares 138 bytes but the file ends after 13"
        );
        let file = b"ID3\x04\0\0\0\0\0\0".to_vec();
        assert_eq!(
            message(probe_bytes(file, &format::MP3)),
            "truncated: the file ends before its first audio frame"
        );
        assert_eq!(
            message(probe_bytes(vec![0x55; 2000], &format::MP3)),
            "corrupt: no MPEG audio frame was found in the first 64 KiB after the tags"
        );
    }

    // ---- Ogg ----

    fn ogg_page(flags: u8, granule: u64, serial: u32, seq: u32, packet: &[u8]) -> Vec<u8> {
        let mut lacing = vec![255u8; packet.len() / 255];
        lacing.push((packet.len() % 255) as u8);
        let mut p = b"OggS\0".to_vec();
        p.push(flags);
        p.extend(granule.to_le_bytes());
        p.extend(serial.to_le_bytes());
        p.extend(seq.to_le_bytes());
        p.extend([0; 4]);
        p.push(lacing.len() as u8);
        p.extend(lacing);
        p.extend(packet);
        let crc = ogg::checksum(&p);
        p[22..26].copy_from_slice(&crc.to_le_bytes());
        p
    }

    fn opus_file(granule: u64) -> Vec<u8> {
        let mut head = b"OpusHead\x01\x02".to_vec();
        head.extend(312u16.to_le_bytes());
        head.extend(44_100u32.to_le_bytes());
        head.extend([0, 0, 0]);
        [
            ogg_page(2, 0, 7, 0, &head),
            ogg_page(0, 0, 7, 1, b"OpusTags\0\0\0\0\0\0\0\0"),
            ogg_page(0, 48_000 + 312, 7, 2, &[0x11; 300]),
            ogg_page(0, u64::MAX, 7, 3, &[0x22; 300]),
            ogg_page(4, granule, 7, 4, &[0x33; 100]),
        ]
        .concat()
    }

    #[test]
    fn ogg_opus_and_vorbis() {
        let info = probe_bytes(opus_file(3 * 48_000 + 312), &format::OGG_AUDIO).unwrap();
        assert_eq!(
            info,
            MediaInfo {
                duration_seconds: Some(3.0),
                audio_codec: Some("opus".into()),
                sample_rate: Some(48_000),
                channels: Some(2),
                ..MediaInfo::default()
            }
        );

        let mut id = b"\x01vorbis\0\0\0\0\x01".to_vec();
        id.extend(22_050u32.to_le_bytes());
        id.extend([0; 14]);
        let file = [
            ogg_page(2, 0, 1, 0, &id),
            ogg_page(4, 44_100, 1, 1, &[0; 50]),
        ]
        .concat();
        let info = probe_bytes(file, &format::OGG_AUDIO).unwrap();
        assert_eq!(info.duration_seconds, Some(2.0));
        assert_eq!((info.sample_rate, info.channels), (Some(22_050), Some(1)));
    }

    #[test]
    fn ogg_damage() {
        let mut file = opus_file(3 * 48_000 + 312);
        let last_at = file.len() - 128;
        file.truncate(file.len() - 28);
        assert_eq!(
            message(probe_bytes(file, &format::OGG_AUDIO)),
            format!(
                "truncated: the last Ogg page, at byte {last_at}, declares 128 bytes but the \
                 file ends after 100"
            )
        );
        let mut file = opus_file(100);
        file[40] ^= 1;
        assert_eq!(
            message(probe_bytes(file, &format::OGG_AUDIO)),
            "corrupt: the Ogg page at byte 0 fails its checksum"
        );
        assert_eq!(
            message(probe_bytes(b"OggS\0\x02".to_vec(), &format::OGG)),
            "truncated: the file ends in the middle of the Ogg page header at byte 0"
        );
    }

    #[test]
    fn images_and_unknown_formats_are_not_probed() {
        for f in [
            &format::JPEG,
            &format::PNG,
            &format::GIF,
            &format::WEBP,
            &format::TEXT,
        ] {
            assert_eq!(
                probe_bytes(b"anything".to_vec(), f).unwrap(),
                MediaInfo::default()
            );
        }
    }

    #[test]
    fn errors_read_plainly() {
        let e = probe(Path::new("/nonexistent/film.mp4"), &format::MP4).unwrap_err();
        assert!(matches!(e, MediaError::Io(_)));
        assert!(e.to_string().contains("No such file"), "{e}");
    }

    // ---- Real files made by ffmpeg (see tests/fixtures/media/README.md) ----

    fn fixture(name: &str) -> (std::path::PathBuf, &'static Format) {
        let path =
            Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/media")).join(name);
        let mut head = Vec::new();
        File::open(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .take(format::HEAD_LEN as u64)
            .read_to_end(&mut head)
            .unwrap();
        let sniffed = format::sniff(&head);
        (path, sniffed)
    }

    fn assert_close(actual: Option<f64>, expected: f64) {
        let actual = actual.expect("a duration");
        assert!(
            (actual - expected).abs() < 5e-4,
            "duration {actual}, ffprobe says {expected}"
        );
    }

    #[test]
    fn fixture_mp4() {
        let (path, f) = fixture("testsrc.mp4");
        assert_eq!(f, &format::MP4);
        let info = probe(&path, f).unwrap();
        assert_close(info.duration_seconds, 2.0);
        assert_eq!((info.width, info.height), (Some(160), Some(120)));
        assert_eq!(info.video_codec.as_deref(), Some("avc1"));
        assert_eq!(info.audio_codec.as_deref(), Some("mp4a"));
        assert_eq!((info.sample_rate, info.channels), (Some(22_050), Some(1)));
    }

    #[test]
    fn fixture_mov() {
        let (path, f) = fixture("testsrc.mov");
        assert_eq!(f, &format::MOV);
        let info = probe(&path, f).unwrap();
        assert_close(info.duration_seconds, 2.0);
        assert_eq!((info.width, info.height), (Some(160), Some(120)));
        assert_eq!(info.video_codec.as_deref(), Some("avc1"));
        assert_eq!(info.audio_codec, None);
    }

    #[test]
    fn fixture_webm() {
        let (path, f) = fixture("testsrc.webm");
        assert_eq!(f, &format::WEBM);
        let info = probe(&path, f).unwrap();
        assert_close(info.duration_seconds, 2.008);
        assert_eq!((info.width, info.height), (Some(160), Some(120)));
        assert_eq!(info.video_codec.as_deref(), Some("V_VP9"));
        assert_eq!(info.audio_codec.as_deref(), Some("A_OPUS"));
        assert_eq!((info.sample_rate, info.channels), (Some(48_000), Some(1)));
    }

    #[test]
    fn fixture_audio() {
        let cases = [
            ("sine.wav", &format::WAV, 1.0, "pcm_s16le", 8000, 1),
            ("sine.flac", &format::FLAC, 1.5, "flac", 16_000, 1),
            ("sine.mp3", &format::MP3, 2.063673, "mp3", 22_050, 1),
            // ffprobe 5.1 says 1.5065: it counts the 312-sample pre-skip that RFC 7845 says
            // to discard. 1.5 s is what was encoded.
            ("sine-opus.ogg", &format::OGG_AUDIO, 1.5, "opus", 48_000, 1),
            (
                "sine-vorbis.ogg",
                &format::OGG_AUDIO,
                1.0,
                "vorbis",
                22_050,
                2,
            ),
        ];
        for (name, format, duration, codec, rate, channels) in cases {
            let (path, f) = fixture(name);
            assert_eq!(f, format, "{name}");
            let info = probe(&path, f).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_close(info.duration_seconds, duration);
            assert_eq!(info.audio_codec.as_deref(), Some(codec), "{name}");
            assert_eq!(
                (info.sample_rate, info.channels),
                (Some(rate), Some(channels)),
                "{name}"
            );
            assert_eq!(
                (info.width, info.video_codec.as_deref()),
                (None, None),
                "{name}"
            );
        }
    }

    #[test]
    fn fixtures_cut_in_half_are_truncated() {
        let names = [
            "testsrc.mp4",
            "testsrc.mov",
            "testsrc.webm",
            "sine.wav",
            "sine.flac",
            "sine.mp3",
            "sine-opus.ogg",
            "sine-vorbis.ogg",
        ];
        for name in names {
            let (path, f) = fixture(name);
            let mut bytes = std::fs::read(&path).unwrap();
            bytes.truncate(bytes.len() / 2);
            match probe_bytes(bytes, f) {
                Err(MediaError::Truncated(_)) => {}
                other => panic!("{name} cut in half gave {other:?}"),
            }
        }
    }

    /// Deterministic xorshift noise, so damaged inputs are reproducible without a crate.
    fn noise(seed: &mut u64) -> usize {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        (*seed >> 16) as usize
    }

    #[test]
    fn damaged_files_never_panic() {
        let mut seed = 0x9E37_79B9_7F4A_7C15;
        let mut files: Vec<(Vec<u8>, &Format)> = vec![
            (movie(), &format::MP4),
            (opus_file(1000), &format::OGG_AUDIO),
            (mp3_frames(4), &format::MP3),
        ];
        for name in [
            "testsrc.mp4",
            "testsrc.webm",
            "sine.wav",
            "sine.flac",
            "sine.mp3",
        ] {
            let (path, f) = fixture(name);
            files.push((std::fs::read(path).unwrap(), f));
        }
        for (bytes, f) in files {
            for cut in (0..bytes.len()).step_by(bytes.len() / 97 + 1) {
                let _ = probe_bytes(bytes[..cut].to_vec(), f);
            }
            for _ in 0..300 {
                let mut damaged = bytes.clone();
                for _ in 0..4 {
                    let at = noise(&mut seed) % damaged.len();
                    damaged[at] = noise(&mut seed) as u8;
                }
                let _ = probe_bytes(damaged, f);
            }
        }
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
