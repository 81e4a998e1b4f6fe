//! WAV, Broadcast WAV and RF64: RIFF chunks.
//!
//! This file owns the chunk walk up to `fmt ` and `data` (with the 64-bit sizes of RF64's
//! `ds64` and the all-ones size of recorders that could not seek back) and the names given to
//! WAV sample formats.

use std::io::{Read, Seek};

use super::source::{Source, le16, le32, le64};
use super::{MediaInfo, Result, corrupt, fourcc, seconds, truncated};

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
    let data_size = data_size
        .ok_or_else(|| truncated("the file ends before the 'data' chunk that holds the sound"))?;
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

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::ingest::format;
    use crate::ingest::media::tests::{message, probe_bytes};

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
}
