//! MPEG audio: ID3v2 tags, then the first frame and its Xing/Info or VBRI header.
//!
//! This file owns skipping ID3v2 tags (also used by `flac`, whose files sometimes carry them),
//! finding the first confirmed frame, and the duration from a VBR header's frame count or,
//! without one, from the bit rate.

use std::io::{Read, Seek};

use super::source::{Source, be32};
use super::{MediaInfo, Result, corrupt, truncated};
use crate::ingest::format;

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

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::ingest::format;
    use crate::ingest::media::tests::{message, probe_bytes};

    /// MPEG-1 layer III, 128 kbit/s, 44.1 kHz, stereo: 417-byte frames of 1152 samples.
    const MP3_HEADER: [u8; 4] = [0xFF, 0xFB, 0x90, 0x00];

    pub(in crate::ingest::media) fn mp3_frames(count: usize) -> Vec<u8> {
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
}
