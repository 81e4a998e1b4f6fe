//! MPEG audio (MP1, MP2, MP3) and ADTS (raw AAC) framing: ID3v2 tag lengths and frame headers.
//!
//! Sniffing needs these to recognise a stream that has no signature but its frame syncs, and the
//! media probe (`media::mp3`) needs the same headers for duration and channels; keeping them here
//! gives both one reading of the frame headers (ISO/IEC 11172-3 and 13818-3; ADTS, 13818-7).

/// Total length of an ID3v2 tag at the start of `b`, header and footer included.
pub(crate) fn id3v2_len(b: &[u8]) -> Option<usize> {
    if !b.starts_with(b"ID3") {
        return None;
    }
    let flags = *b.get(5)?;
    let size = b
        .get(6..10)?
        .iter()
        .fold(0usize, |acc, &x| (acc << 7) | usize::from(x & 0x7F));
    let footer = if flags & 0x10 != 0 { 10 } else { 0 };
    Some(10 + size + footer)
}

/// Fields of an MPEG audio (MP1/MP2/MP3) frame header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MpegAudioHeader {
    /// 1 for MPEG-1, 2 for MPEG-2, 25 for MPEG-2.5.
    pub version: u8,
    /// Layer 1, 2 or 3.
    pub layer: u8,
    /// Bits per second.
    pub bitrate: u32,
    /// Samples per second.
    pub sample_rate: u32,
    /// 1 for mono, otherwise 2.
    pub channels: u16,
    /// Samples each frame decodes to.
    pub samples_per_frame: u32,
    /// Bytes in this frame, header included.
    pub frame_len: usize,
}

/// Parses an MPEG audio frame header; free-format bitrates are rejected as they cannot be sized.
pub(crate) fn mpeg_audio_header(b: &[u8]) -> Option<MpegAudioHeader> {
    let b: [u8; 4] = b.get(..4)?.try_into().ok()?;
    if b[0] != 0xFF || b[1] & 0xE0 != 0xE0 {
        return None;
    }
    let version = match (b[1] >> 3) & 3 {
        0 => 25,
        2 => 2,
        3 => 1,
        _ => return None,
    };
    let layer = match (b[1] >> 1) & 3 {
        1 => 3,
        2 => 2,
        3 => 1,
        _ => return None,
    };
    const V1: [[u16; 15]; 3] = [
        [
            0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448,
        ],
        [
            0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384,
        ],
        [
            0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320,
        ],
    ];
    const V2: [[u16; 15]; 2] = [
        [
            0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256,
        ],
        [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    ];
    let index = usize::from(b[2] >> 4);
    let kbps = match (version, layer) {
        (_, _) if index == 0 || index == 15 => return None,
        (1, l) => V1[usize::from(l) - 1][index],
        (_, 1) => V2[0][index],
        _ => V2[1][index],
    };
    let base_rate = match (b[2] >> 2) & 3 {
        0 => 44_100,
        1 => 48_000,
        2 => 32_000,
        _ => return None,
    };
    let sample_rate = match version {
        1 => base_rate,
        2 => base_rate / 2,
        _ => base_rate / 4,
    };
    let samples_per_frame = match (version, layer) {
        (_, 1) => 384,
        (1, _) | (_, 2) => 1152,
        _ => 576,
    };
    let bitrate = u32::from(kbps) * 1000;
    let padding = u32::from((b[2] >> 1) & 1);
    let frame_len = if layer == 1 {
        (12 * bitrate / sample_rate + padding) * 4
    } else {
        samples_per_frame / 8 * bitrate / sample_rate + padding
    };
    Some(MpegAudioHeader {
        version,
        layer,
        bitrate,
        sample_rate,
        channels: if b[3] >> 6 == 3 { 1 } else { 2 },
        samples_per_frame,
        frame_len: frame_len as usize,
    })
}

/// A frame sync alone matches too much binary data, so a second frame must follow the first.
/// Frames are at most a few kilobytes, so any real stream shows two within the head.
pub(super) fn is_mpeg_audio_stream(h: &[u8]) -> bool {
    mpeg_audio_header(h).is_some_and(|first| {
        h.get(first.frame_len..)
            .and_then(mpeg_audio_header)
            .is_some_and(|next| next.version == first.version && next.layer == first.layer)
    })
}

/// Length of the ADTS frame whose header starts `b`, header included, if the header is valid.
fn adts_frame_len(b: &[u8]) -> Option<usize> {
    let b = b.get(..7)?;
    let synced = b[0] == 0xFF && b[1] & 0xF6 == 0xF0 && (b[2] >> 2) & 0x0F < 13;
    let len = (usize::from(b[3] & 3) << 11) | (usize::from(b[4]) << 3) | usize::from(b[5] >> 5);
    (synced && len >= 7).then_some(len)
}

/// Whether `h` starts with two ADTS frames in a row; one sync alone matches too much binary data.
pub(super) fn is_adts_stream(h: &[u8]) -> bool {
    adts_frame_len(h).is_some_and(|len| h.get(len..).and_then(adts_frame_len).is_some())
}
