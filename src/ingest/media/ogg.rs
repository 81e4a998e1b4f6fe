//! Ogg: codec headers from the beginning-of-stream pages, duration from the final pages.
//!
//! This file owns the Ogg page checksum and layout, recognising Opus, Vorbis, FLAC, Speex and
//! Theora streams from their first packets, and turning each stream's last granule position
//! into seconds; only the head and a bounded tail of the file are read.

use std::io::{Read, Seek};

use super::source::{Source, be16, be32, le16, le32, le64};
use super::{MediaInfo, Result, corrupt, seconds, truncated};

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

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::ingest::format;
    use crate::ingest::media::tests::{message, probe_bytes};

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
        let crc = checksum(&p);
        p[22..26].copy_from_slice(&crc.to_le_bytes());
        p
    }

    pub(in crate::ingest::media) fn opus_file(granule: u64) -> Vec<u8> {
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
}
