//! FLAC: the STREAMINFO block, and a walk over the metadata blocks to the first frame.
//!
//! This file owns the metadata block walk, STREAMINFO (also read by `ogg` for Ogg FLAC), and the
//! check of the last audio frame against the sample count STREAMINFO promises, since FLAC keeps
//! no index that would show a file cut between frames.

use std::io::{Read, Seek};

use super::source::{Source, be16, be32};
use super::{MediaInfo, Result, corrupt, truncated};

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
    let u24 =
        |at: usize| (u32::from(b[at]) << 16) | (u32::from(b[at + 1]) << 8) | u32::from(b[at + 2]);
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
        0, 88_200, 176_400, 192_000, 8000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000, 96_000,
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
    let si = info.ok_or_else(|| corrupt("there is no STREAMINFO block describing the audio"))?;
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

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::ingest::format;
    use crate::ingest::media::tests::{message, probe_bytes};

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
        f.push(crc8(&f));
        f.extend([0x5A; 40]);
        f.extend(crc16(&f).to_be_bytes());
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
}
