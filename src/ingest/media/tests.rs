//! Tests of the media probe as a whole: formats it leaves alone, read errors, real files made by
//! ffmpeg, and damaged files of every container; also the helpers each container's tests share.

use std::io::Cursor;

use super::bmff::tests::movie;
use super::mp3::tests::mp3_frames;
use super::ogg::tests::opus_file;
use super::*;

pub(super) fn probe_bytes(bytes: Vec<u8>, format: &Format) -> Result<MediaInfo> {
    probe_reader(Cursor::new(bytes), format)
}

pub(super) fn message(r: Result<MediaInfo>) -> String {
    r.expect_err("probe should fail").to_string()
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
    let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/media")).join(name);
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
