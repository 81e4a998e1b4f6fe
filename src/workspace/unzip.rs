//! A zip file uploaded as a batch, opened with limits (issue 15, upload): every entry is
//! checked from the zip's central directory before a byte is inflated, and the whole zip is
//! refused, naming each entry at fault, when it has more than [`ZipLimits::entries`] entries,
//! more than [`ZipLimits::total`] bytes once inflated, an entry inflating more than
//! [`ZipLimits::ratio`] times its compressed size (a zip bomb), a path that is absolute or
//! climbs out (`../`), a symbolic link, encryption, or a compression other than stored and
//! deflate. While inflating, an entry that yields more (or fewer) bytes than it declared, or
//! whose CRC-32 differs, stops the extraction and everything written is removed.
//!
//! Only these two compression methods and the classic (non-zip64) format are read: what
//! Windows' "Send to compressed folder", macOS' Archive Utility and `zip` write for batches
//! under 4 GiB. The `zip` crate is not in Disan's build; for reading stored and deflated
//! entries with limits checked up front, this reader (with `flate2`, already used for gzip) is
//! smaller than the crate's dependency tree. A larger batch is uploaded as a folder.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

/// What a zip may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZipLimits {
    /// Entries at most (files and folders).
    pub entries: usize,
    /// Bytes once inflated, all entries together, at most.
    pub total: u64,
    /// How many times its compressed size an entry larger than 1 MiB may inflate to.
    pub ratio: u64,
}

impl Default for ZipLimits {
    /// 10,000 entries, 20 GiB inflated, a ratio of 100.
    fn default() -> Self {
        ZipLimits {
            entries: 10_000,
            total: 20 * super::uploads::GIB,
            ratio: 100,
        }
    }
}

/// One file entry of a zip, as its central directory declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its path inside the zip (`/`-separated, NFC).
    pub name: String,
    method: u16,
    crc: u32,
    compressed: u64,
    size: u64,
    offset: u64,
}

const END: u32 = 0x0605_4b50;
const CENTRAL: u32 = 0x0201_4b50;
const LOCAL: u32 = 0x0403_4b50;
const S_IFMT: u32 = 0o170_000;
const S_IFLNK: u32 = 0o120_000;

fn u16_at(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

/// The file entries of the zip at `path` (folders left out), once every rule of the module is
/// checked on its central directory.
///
/// # Errors
/// Every reason the zip is refused, each naming its entry (or the zip).
pub fn entries(path: &Path, limits: &ZipLimits) -> Result<Vec<Entry>, Vec<String>> {
    let unreadable = |error: std::io::Error| vec![format!("the zip cannot be read: {error}")];
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    let length = file.metadata().map_err(unreadable)?.len();
    let tail_length = length.min(22 + 65_535);
    file.seek(SeekFrom::Start(length - tail_length))
        .map_err(unreadable)?;
    let mut tail = vec![0; tail_length as usize];
    file.read_exact(&mut tail).map_err(unreadable)?;
    let end = (0..tail.len().saturating_sub(21))
        .rev()
        .find(|&at| u32_at(&tail, at) == END)
        .ok_or_else(|| vec!["this is not a zip file (no central directory)".to_string()])?;
    let count = u16_at(&tail, end + 10);
    let directory_size = u32_at(&tail, end + 12);
    let directory_offset = u32_at(&tail, end + 16);
    if count == u16::MAX || directory_offset == u32::MAX || directory_size == u32::MAX {
        return Err(vec![
            "zip64 files (over 4 GiB or 65,535 entries) are not read: upload the folder instead"
                .to_string(),
        ]);
    }
    if usize::from(count) > limits.entries {
        return Err(vec![format!(
            "the zip holds {count} entries; a batch zip may hold at most {}",
            limits.entries
        )]);
    }
    let mut directory = vec![0; directory_size as usize];
    file.seek(SeekFrom::Start(u64::from(directory_offset)))
        .map_err(unreadable)?;
    file.read_exact(&mut directory).map_err(unreadable)?;
    let mut found = Vec::new();
    let mut refused = Vec::new();
    let mut total = 0u64;
    let mut at = 0;
    for _ in 0..count {
        if at + 46 > directory.len() || u32_at(&directory, at) != CENTRAL {
            return Err(vec!["the zip's central directory is damaged".to_string()]);
        }
        let made_by = u16_at(&directory, at + 4);
        let flags = u16_at(&directory, at + 8);
        let method = u16_at(&directory, at + 10);
        let crc = u32_at(&directory, at + 16);
        let compressed = u64::from(u32_at(&directory, at + 20));
        let size = u64::from(u32_at(&directory, at + 24));
        let name_length = usize::from(u16_at(&directory, at + 28));
        let extra_length = usize::from(u16_at(&directory, at + 30));
        let comment_length = usize::from(u16_at(&directory, at + 32));
        let external = u32_at(&directory, at + 38);
        let offset = u64::from(u32_at(&directory, at + 42));
        let name_end = at + 46 + name_length;
        if name_end > directory.len() {
            return Err(vec!["the zip's central directory is damaged".to_string()]);
        }
        let raw = &directory[at + 46..name_end];
        at = name_end + extra_length + comment_length;
        let Ok(name) = std::str::from_utf8(raw) else {
            refused.push(format!(
                "{}: the name is not UTF-8 text",
                String::from_utf8_lossy(raw)
            ));
            continue;
        };
        let name = crate::model::text::nfc(name).into_owned();
        let is_folder = name.ends_with('/');
        let bare = name.trim_end_matches('/');
        if name.starts_with('/') || super::batches::safe_components(bare).is_none() {
            refused.push(format!(
                "{name}: not a plain relative path (no .., no absolute path, no backslash)"
            ));
            continue;
        }
        if made_by >> 8 == 3 && (external >> 16) & S_IFMT == S_IFLNK {
            refused.push(format!("{name}: a symbolic link; links are not taken"));
            continue;
        }
        if is_folder {
            continue;
        }
        if flags & 1 != 0 {
            refused.push(format!("{name}: encrypted; upload it unencrypted"));
            continue;
        }
        if method != 0 && method != 8 {
            refused.push(format!(
                "{name}: compressed with method {method}; only stored and deflate are read"
            ));
            continue;
        }
        if size > 1024 * 1024 && size / compressed.max(1) > limits.ratio {
            refused.push(format!(
                "{name}: inflates {} times ({size} bytes from {compressed}); a batch zip entry may inflate at most {} times",
                size / compressed.max(1),
                limits.ratio
            ));
            continue;
        }
        total = total.saturating_add(size);
        found.push(Entry {
            name: bare.to_string(),
            method,
            crc,
            compressed,
            size,
            offset,
        });
    }
    if total > limits.total {
        refused.push(format!(
            "the zip inflates to {} in all; a batch zip may hold at most {}",
            super::uploads::size_in_words(total),
            super::uploads::size_in_words(limits.total)
        ));
    }
    if refused.is_empty() {
        Ok(found)
    } else {
        Err(refused)
    }
}

/// Writes `entry` of the zip at `zip` to `target`, inflating at most its declared size.
///
/// # Errors
/// The reason, naming the entry: unreadable, a size or CRC-32 other than declared, or the
/// target cannot be written.
pub fn extract(zip: &Path, entry: &Entry, target: &Path) -> Result<(), String> {
    let name = &entry.name;
    let failed = |error: std::io::Error| format!("{name}: cannot be extracted: {error}");
    let mut file = std::fs::File::open(zip).map_err(failed)?;
    file.seek(SeekFrom::Start(entry.offset)).map_err(failed)?;
    let mut local = [0u8; 30];
    file.read_exact(&mut local).map_err(failed)?;
    if u32_at(&local, 0) != LOCAL {
        return Err(format!("{name}: the zip is damaged (no local header)"));
    }
    let skip = u64::from(u16_at(&local, 26)) + u64::from(u16_at(&local, 28));
    file.seek(SeekFrom::Current(skip as i64)).map_err(failed)?;
    let data = file.take(entry.compressed);
    let mut reader: Box<dyn Read> = match entry.method {
        8 => Box::new(flate2::read::DeflateDecoder::new(data)),
        _ => Box::new(data),
    };
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(failed)?;
    }
    let mut out = std::fs::File::create(target).map_err(failed)?;
    let mut crc = flate2::Crc::new();
    let mut written = 0u64;
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let read = reader.read(&mut buffer).map_err(failed)?;
        if read == 0 {
            break;
        }
        written += read as u64;
        if written > entry.size {
            return Err(format!(
                "{name}: inflates past the {} bytes it declares",
                entry.size
            ));
        }
        crc.update(&buffer[..read]);
        out.write_all(&buffer[..read]).map_err(failed)?;
    }
    if written != entry.size || crc.sum() != entry.crc {
        return Err(format!(
            "{name}: the zip is damaged (its size or checksum is not what it declares)"
        ));
    }
    Ok(())
}
