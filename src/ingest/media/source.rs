//! Bounded reads at explicit offsets, and the fixed-width integer fields every container uses.
//!
//! It exists so that no parser can read a media payload by accident: [`Source`] hands out at
//! most the few bytes asked for at a given offset, and knows the file's length so that each
//! parser can tell a cut-off structure from a whole one.

use std::io::{self, Read, Seek, SeekFrom};

/// A seekable file read in small pieces at explicit offsets.
pub(super) struct Source<R> {
    inner: R,
    /// The file's length in bytes.
    pub(super) len: u64,
}

impl<R: Read + Seek> Source<R> {
    pub(super) fn new(mut inner: R) -> io::Result<Self> {
        let len = inner.seek(SeekFrom::End(0))?;
        Ok(Self { inner, len })
    }

    /// Fills as much of `buf` as the file holds from `pos`; returns how many bytes were read.
    pub(super) fn read_at(&mut self, pos: u64, buf: &mut [u8]) -> io::Result<usize> {
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
    pub(super) fn bytes_at(&mut self, pos: u64, max: usize) -> io::Result<Vec<u8>> {
        let mut buf = vec![0; max];
        let n = self.read_at(pos, &mut buf)?;
        buf.truncate(n);
        Ok(buf)
    }
}

/// The big-endian `u16` at byte `at` of `b`; `None` when `b` ends first.
pub(super) fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

/// The big-endian `u32` at byte `at` of `b`; `None` when `b` ends first.
pub(super) fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The big-endian `u64` at byte `at` of `b`; `None` when `b` ends first.
pub(super) fn be64(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_be_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

/// The little-endian `u16` at byte `at` of `b`; `None` when `b` ends first.
pub(super) fn le16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

/// The little-endian `u32` at byte `at` of `b`; `None` when `b` ends first.
pub(super) fn le32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The little-endian `u64` at byte `at` of `b`; `None` when `b` ends first.
pub(super) fn le64(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}
