//! Reads duration, picture size and codecs of films and sound recordings from their containers.
//!
//! Archive films run to many gigabytes, so nothing here reads media payloads: each parser seeks
//! from one structure header to the next and reads only the few bytes it describes, keeping
//! memory flat whatever the file size. The same walk tells whether the container is whole; a
//! file cut short in copying, or one whose structures make no sense, is reported in words an
//! archivist can act on rather than silently catalogued with missing facts.
//!
//! This module owns [`MediaInfo`], [`MediaError`] and the choice of parser by format; each
//! container has its own file: `bmff` (MP4, MOV, M4A, 3GP), `matroska` (Matroska/WebM), `wav`,
//! `flac`, `mp3` and `ogg`, all reading through `source`. Images are measured
//! elsewhere.

mod bmff;
mod flac;
mod matroska;
mod mp3;
mod ogg;
mod source;
mod wav;

use std::fs::File;
use std::io::{self, Read, Seek};
use std::path::Path;

use self::source::Source;
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

/// A four-character code as text, e.g. `avc1`; unprintable bytes are escaped.
fn fourcc(code: &[u8]) -> String {
    code.escape_ascii().to_string()
}

/// `units` counted at `per_second`, in seconds; `None` when the rate is zero.
fn seconds(units: f64, per_second: f64) -> Option<f64> {
    (per_second > 0.0).then(|| units / per_second)
}

#[cfg(test)]
mod tests;
