//! Location metadata: no anonymous visitor receives a position or a place name hidden in a file's
//! metadata. The README promises that GPS positions are kept in the archive and never published;
//! a phone photo of an artisan's workshop at home says where the artisan lives.
//!
//! For every archived file this module decides, once, what an anonymous visitor may be sent, and
//! keeps the answer in the derivative store (`index/derivatives/…/public.json`, rebuilt by
//! `reindex` like every derivative):
//! - [`Status::Clean`]: nothing that can state a location was found; the preserved original is
//!   sent as it is;
//! - [`Status::Scrubbed`]: a public copy (`…/public`) is sent instead, made by removing location
//!   metadata losslessly: the image or media data is byte for byte the original's, only metadata
//!   segments are left out or blanked in place (the private modules `jpeg`, `png`, `webp`,
//!   `tiff` and `isobmff` say exactly what, format by format);
//! - [`Status::Withheld`]: the file cannot be checked with certainty (malformed, BigTIFF,
//!   encrypted PDFs and ZIPs, ZIP64, a GPS track in a film, a position in a format without a
//!   scrubber, such as a photo inside a Word document), so it is not sent to anonymous visitors.
//!
//! Positions written in the sheet rather than in a file (a `latitude` column, coordinates in
//! `dcterms.spatial`) are the concern of [`columns`].
//!
//! Deny by default: every public copy and every original sent as it is also passes [`scan`],
//! which reads every byte for the names positions and places are written under, so a scrubber's
//! gap or an unparsed format is refused rather than published. The preserved original is only
//! ever read.

pub mod columns;
mod isobmff;
mod jpeg;
mod png;
pub mod scan;
mod tiff;
mod webp;
mod zip;

use std::collections::VecDeque;
use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};
use sha2::Digest;

use crate::archive::{Archive, Inventory};
use crate::index::derivatives::DerivativeStore;
use crate::model::{FileEntry, Sha256};

/// Bumped whenever the rules change, so that `reindex` (and the site, on demand) checks every
/// file again instead of trusting an answer given by older rules.
pub const RULES_VERSION: u32 = 2;

/// Files read whole into memory to be scrubbed (images) larger than this are withheld: the
/// budget of bytes one process holds ([`crate::index::sandbox::held::HELD_BYTES`], 384 MiB).
const MAX_IN_MEMORY: u64 = crate::index::sandbox::held::HELD_BYTES;

/// Replace the bytes `start..end` of the original with `with` (any length; empty removes them).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Edit {
    start: u64,
    end: u64,
    with: Vec<u8>,
}

impl Edit {
    /// The edit that drops whatever follows the end of a file's own structure at `end` (a JPEG's
    /// EOI, a PNG's IEND): bytes appended there can hold anything, a geotagged photo included.
    /// `None` when nothing follows.
    fn drop_trailing(data: &[u8], end: usize) -> Option<Edit> {
        (end < data.len()).then(|| Edit {
            start: end as u64,
            end: data.len() as u64,
            with: Vec::new(),
        })
    }
}

/// A format scrubber's answer: the edits that make the public copy (sorted, not overlapping;
/// none when the original may be sent as it is) and whether they remove anything that could
/// state a location.
type Plan = Result<(Vec<Edit>, bool), LocationError>;

/// Why a file cannot be scrubbed; each becomes the reason of a [`Status::Withheld`] check.
#[derive(Debug, thiserror::Error)]
pub enum LocationError {
    /// The file's structure cannot be read with certainty.
    #[error("malformed {format}: {reason}")]
    Malformed {
        /// The format being read.
        format: &'static str,
        /// What is wrong, with the byte offset where known.
        reason: String,
    },
    /// The file holds something that can carry a position and that cannot be removed losslessly.
    #[error("{reason}")]
    Unsupported {
        /// What it is.
        reason: String,
    },
    /// Reading the original or writing to the derivative store failed.
    #[error(transparent)]
    Io(#[from] io::Error),
    /// The archive does not hold the file.
    #[error("{0} is missing from the archive")]
    Missing(String),
    /// The archive could not say where the file is.
    #[error(transparent)]
    Archive(#[from] crate::archive::ArchiveError),
}

/// What an anonymous visitor is sent of one original file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The original itself: nothing in it can state a location.
    Clean,
    /// The public copy: the original with its location metadata removed.
    Scrubbed,
    /// Nothing: the file may hold a location that cannot be removed with certainty.
    Withheld,
}

/// The decision kept for one original (by its SHA-256), as stored in `public.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicCopy {
    /// [`RULES_VERSION`] when the decision was made.
    pub rules: u32,
    /// What is sent.
    pub status: Status,
    /// SHA-256 of the bytes sent (the original's when clean); `None` when withheld.
    pub sha256: Option<Sha256>,
    /// Size in bytes of what is sent; `None` when withheld.
    pub size: Option<u64>,
    /// For a withheld file, why (for archivists and logs; never shown to visitors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl PublicCopy {
    /// Whether visitors receive anything of the file (the original, or its public copy).
    pub fn is_sent(&self) -> bool {
        matches!(self.status, Status::Clean | Status::Scrubbed)
    }
}

/// How a format is checked.
enum Method {
    /// Read whole and scrubbed by one of the in-memory scrubbers.
    InMemory(fn(&[u8]) -> Plan),
    /// ISO base media: boxes read from the file, media data never loaded.
    Isobmff,
    /// ZIP-based: every member inflated and scanned (see [`zip`]).
    Zip,
    /// PDF: every stream decoded and scanned (see [`pdf_plan`]).
    Pdf,
    /// No scrubber: sent as it is when [`scan`] finds nothing.
    ScanOnly,
}

fn tiff_plan(data: &[u8]) -> Plan {
    let scrub = tiff::scrub(data).map_err(|reason| LocationError::Malformed {
        format: "TIFF",
        reason,
    })?;
    Ok((scrub.edits, scrub.found))
}

fn method(mime: &str) -> Method {
    match mime {
        "image/jpeg" => Method::InMemory(jpeg::plan),
        "image/png" => Method::InMemory(png::plan),
        "image/webp" => Method::InMemory(webp::plan),
        "image/tiff" => Method::InMemory(tiff_plan),
        "video/mp4" | "video/quicktime" | "video/3gpp" | "video/3gpp2" | "audio/mp4"
        | "image/heic" | "image/heif" | "image/avif" => Method::Isobmff,
        "application/pdf" => Method::Pdf,
        "application/zip" | "application/epub+zip" => Method::Zip,
        other if other.starts_with("application/vnd.openxmlformats") => Method::Zip,
        other if other.starts_with("application/vnd.oasis.opendocument") => Method::Zip,
        _ => Method::ScanOnly,
    }
}

/// At most this many bytes of one PDF stream are decoded; a larger one withholds the file.
const MAX_PDF_STREAM: usize = 256 << 20;

/// A PDF has no scrubber: it is sent as it is when no stream, once decoded, names a position or a
/// place (XMP metadata streams may be Flate-compressed, which the scan of the raw bytes cannot
/// read), and withheld otherwise, or when it is encrypted, unreadable, or a stream cannot be
/// decoded. Streams coded only as images (DCT, JPX, JBIG2, CCITT) are checked raw by the scan of
/// the whole file, where a JPEG's EXIF block is in plain sight.
fn pdf_plan(source: &Path) -> Plan {
    let unsupported = |reason: String| LocationError::Unsupported { reason };
    let document = lopdf::Document::load(source).map_err(|error| LocationError::Malformed {
        format: "PDF",
        reason: error.to_string(),
    })?;
    if document.is_encrypted() {
        return Err(unsupported(
            "an encrypted PDF cannot be checked".to_string(),
        ));
    }
    for (id, object) in &document.objects {
        let lopdf::Object::Stream(stream) = object else {
            continue;
        };
        let Ok(filters) = stream.filters() else {
            // Uncompressed: the scan of the whole file reads it.
            continue;
        };
        const IMAGE_CODECS: &[&[u8]] = &[
            b"DCTDecode",
            b"JPXDecode",
            b"JBIG2Decode",
            b"CCITTFaxDecode",
        ];
        if filters.iter().all(|f| IMAGE_CODECS.contains(f)) {
            continue;
        }
        let content = stream
            .decompressed_content_with_limit(MAX_PDF_STREAM)
            .map_err(|error| {
                unsupported(format!("PDF stream {} cannot be decoded: {error}", id.0))
            })?;
        if let Some(finding) = scan::scan(&content[..], &mut io::Cursor::new(&content), false)? {
            return Err(unsupported(format!(
                "PDF stream {} holds {}",
                id.0, finding.what
            )));
        }
    }
    Ok((Vec::new(), false))
}

/// The decision for the archived `file` of a record: read from the store when made under the
/// current rules, made (and kept) otherwise. Only I/O failures are errors; a file that cannot be
/// checked is [`Status::Withheld`].
pub fn ensure_archived(
    archive: &Archive,
    store: &DerivativeStore,
    inventory: &Inventory,
    file: &FileEntry,
) -> Result<PublicCopy, LocationError> {
    if let Some(kept) = kept(store, &file.sha256) {
        return Ok(kept);
    }
    let path = archived_path(archive, inventory, file)?;
    ensure(store, &path, &file.sha256, &file.format.mime)
}

/// Where `archive` keeps the original of `file`, a file of the record whose head version is
/// `inventory`: the one lookup behind every check of an archived file (here, at `reindex` and on
/// the site).
///
/// # Errors
/// [`LocationError::Missing`] when the archive does not hold it; [`LocationError::Archive`] when
/// the archive cannot say.
pub fn archived_path(
    archive: &Archive,
    inventory: &Inventory,
    file: &FileEntry,
) -> Result<PathBuf, LocationError> {
    archive
        .file_path(inventory, &file.path)?
        .ok_or_else(|| LocationError::Missing(file.path.clone()))
}

/// The decision kept for `sha256` under the current rules, if any (and its copy, if scrubbed).
pub fn kept(store: &DerivativeStore, sha256: &Sha256) -> Option<PublicCopy> {
    let bytes = fs::read(store.public_check_path(sha256)).ok()?;
    let kept: PublicCopy = serde_json::from_slice(&bytes).ok()?;
    let whole = match kept.status {
        Status::Scrubbed => {
            fs::metadata(store.public_copy_path(sha256)).is_ok_and(|m| Some(m.len()) == kept.size)
        }
        _ => true,
    };
    (kept.rules == RULES_VERSION && whole).then_some(kept)
}

/// Like [`ensure_archived`], for the file at `source` (an original with digest `sha256` and
/// media type `mime`, in the archive or in the batch it is being ingested from).
pub fn ensure(
    store: &DerivativeStore,
    source: &Path,
    sha256: &Sha256,
    mime: &str,
) -> Result<PublicCopy, LocationError> {
    if let Some(kept) = kept(store, sha256) {
        return Ok(kept);
    }
    let decision = decide(store, source, sha256, mime)?;
    let json = serde_json::to_vec_pretty(&decision).map_err(io::Error::other)?;
    write_atomically(&store.public_check_path(sha256), |out| out.write_all(&json))?;
    Ok(decision)
}

/// Records for `sha256` that its original is withheld from anonymous visitors, for `reason`:
/// what a check that could not finish (over its budget in a worker) decides, deny by default.
///
/// # Errors
/// Writing the decision failed.
pub fn withhold(
    store: &DerivativeStore,
    sha256: &Sha256,
    reason: String,
) -> Result<PublicCopy, LocationError> {
    let decision = withheld(reason);
    let json = serde_json::to_vec_pretty(&decision).map_err(io::Error::other)?;
    write_atomically(&store.public_check_path(sha256), |out| out.write_all(&json))?;
    Ok(decision)
}

fn withheld(reason: String) -> PublicCopy {
    PublicCopy {
        rules: RULES_VERSION,
        status: Status::Withheld,
        sha256: None,
        size: None,
        reason: Some(reason),
    }
}

fn decide(
    store: &DerivativeStore,
    source: &Path,
    sha256: &Sha256,
    mime: &str,
) -> Result<PublicCopy, LocationError> {
    let mut file = File::open(source)?;
    let len = file.metadata()?.len();
    let planned = match method(mime) {
        Method::InMemory(_) if len > MAX_IN_MEMORY => Err(LocationError::Unsupported {
            reason: format!("{len} bytes is too large to check"),
        }),
        Method::InMemory(plan) => {
            let data = crate::index::sandbox::held::read(source)?;
            plan(&data)
        }
        Method::Isobmff => isobmff::plan(&mut file, len),
        Method::Pdf if len > MAX_IN_MEMORY => Err(LocationError::Unsupported {
            reason: format!("{len} bytes is too large to check"),
        }),
        Method::Pdf => pdf_plan(source),
        Method::Zip => zip::plan(&mut file, len),
        Method::ScanOnly => Ok((Vec::new(), false)),
    };
    let edits = match planned {
        // Edits must be in order, apart and inside the file; a scrubber that broke that rule is
        // not trusted with this file.
        Ok((edits, _)) if !in_order(&edits, len) => {
            return Ok(withheld("the scrubber's edits overlap".to_string()));
        }
        Ok((edits, _)) => edits,
        Err(error @ (LocationError::Io(_) | LocationError::Archive(_))) => return Err(error),
        Err(refusal) => return Ok(withheld(refusal.to_string())),
    };
    let media = mime.starts_with("audio/") || mime.starts_with("video/") || mime.contains("ogg");
    if edits.is_empty() {
        let mut random = File::open(source)?;
        return Ok(match scan::scan(File::open(source)?, &mut random, media)? {
            Some(finding) => withheld(format!("{} at byte {}", finding.what, finding.at)),
            None => PublicCopy {
                rules: RULES_VERSION,
                status: Status::Clean,
                sha256: Some(*sha256),
                size: Some(len),
                reason: None,
            },
        });
    }
    // The copy is written, then scanned whole; it is only ever served once `public.json` says
    // so, which is written after the scan.
    let target = store.public_copy_path(sha256);
    let mut hasher = sha2::Sha256::new();
    let mut size = 0u64;
    write_atomically(&target, |out| {
        let mut edited = Edited::new(File::open(source)?, edits);
        let mut buffer = vec![0; 1 << 16];
        loop {
            let n = edited.read(&mut buffer)?;
            if n == 0 {
                return Ok(());
            }
            hasher.update(&buffer[..n]);
            size += n as u64;
            out.write_all(&buffer[..n])?;
        }
    })?;
    let mut random = File::open(&target)?;
    if let Some(finding) = scan::scan(File::open(&target)?, &mut random, media)? {
        fs::remove_file(&target)?;
        return Ok(withheld(format!(
            "the copy still holds {} at byte {}",
            finding.what, finding.at
        )));
    }
    Ok(PublicCopy {
        rules: RULES_VERSION,
        status: Status::Scrubbed,
        sha256: Some(Sha256::from_bytes(hasher.finalize().into())),
        size: Some(size),
        reason: None,
    })
}

/// Whether `edits` are sorted, do not overlap and lie within a file of `len` bytes.
fn in_order(edits: &[Edit], len: u64) -> bool {
    edits.iter().all(|e| e.start <= e.end && e.end <= len)
        && edits.windows(2).all(|pair| pair[0].end <= pair[1].start)
}

/// A reader of the original with edits applied.
struct Edited<R> {
    inner: R,
    edits: VecDeque<Edit>,
    /// Position in the original.
    pos: u64,
    pending: Vec<u8>,
    pending_at: usize,
}

impl<R: Read> Edited<R> {
    fn new(inner: R, edits: Vec<Edit>) -> Self {
        Edited {
            inner,
            edits: edits.into(),
            pos: 0,
            pending: Vec::new(),
            pending_at: 0,
        }
    }
}

impl<R: Read> Read for Edited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.pending_at < self.pending.len() {
                let n = buf.len().min(self.pending.len() - self.pending_at);
                buf[..n].copy_from_slice(&self.pending[self.pending_at..self.pending_at + n]);
                self.pending_at += n;
                return Ok(n);
            }
            match self.edits.front() {
                Some(edit) if edit.start == self.pos => {
                    let edit = self.edits.pop_front().unwrap_or_else(|| unreachable!());
                    let skip = edit.end - edit.start;
                    let skipped = io::copy(&mut (&mut self.inner).take(skip), &mut io::sink())?;
                    if skipped != skip {
                        return Err(io::Error::new(
                            io::ErrorKind::UnexpectedEof,
                            "the original is shorter than its edits",
                        ));
                    }
                    self.pos = edit.end;
                    self.pending = edit.with;
                    self.pending_at = 0;
                }
                next => {
                    let limit = next.map_or(buf.len() as u64, |e| e.start - self.pos);
                    let n = buf.len().min(limit as usize);
                    let read = self.inner.read(&mut buf[..n])?;
                    self.pos += read as u64;
                    if read == 0 && next.is_some() {
                        return Err(io::Error::new(
                            io::ErrorKind::UnexpectedEof,
                            "the original is shorter than its edits",
                        ));
                    }
                    return Ok(read);
                }
            }
        }
    }
}

/// Writes `path` through a temporary file in the same folder and a rename, so no reader ever sees
/// half a file (two processes making the same file write the same bytes).
fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>,
) -> io::Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let parent = path.parent().unwrap_or(path);
    crate::index::derivatives::create_store_folder(parent)?;
    let temp: PathBuf = path.with_extension(format!(
        "tmp-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    // A new file, never one a planted link points at.
    let _ = fs::remove_file(&temp);
    let created = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp);
    let result = created.and_then(|file| {
        let mut out = BufWriter::new(file);
        write(&mut out)?;
        out.flush()
    });
    match result.and_then(|()| fs::rename(&temp, path)) {
        Ok(()) => Ok(()),
        Err(error) => {
            let _ = fs::remove_file(&temp);
            Err(error)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PDF whose compressed XMP stream names a city (invisible to a scan of the raw bytes).
    fn pdf_with_metadata(xmp: &[u8]) -> Vec<u8> {
        use lopdf::{Document, Object, Stream, dictionary};
        let mut compressed = Vec::new();
        {
            use std::io::Write as _;
            let mut encoder =
                flate2::write::ZlibEncoder::new(&mut compressed, flate2::Compression::default());
            encoder.write_all(xmp).unwrap();
            // XMP's padding, which also makes deflate code the packet rather than store it.
            encoder.write_all(&[b' '; 2048]).unwrap();
            encoder.finish().unwrap();
        }
        let mut document = Document::with_version("1.7");
        let metadata = document.add_object(Stream::new(
            dictionary! {"Type" => "Metadata", "Subtype" => "XML", "Filter" => "FlateDecode"},
            compressed,
        ));
        let catalog = document.add_object(dictionary! {
            "Type" => "Catalog", "Metadata" => Object::Reference(metadata),
        });
        document.trailer.set("Root", Object::Reference(catalog));
        let mut bytes = Vec::new();
        document.save_to(&mut bytes).unwrap();
        bytes
    }

    #[test]
    fn a_pdf_whose_compressed_metadata_names_a_place_is_withheld() {
        let dir = tempfile::tempdir().unwrap();
        let store = DerivativeStore::new(dir.path());
        let check = |bytes: &[u8]| {
            let source = dir.path().join("document.pdf");
            fs::write(&source, bytes).unwrap();
            ensure(&store, &source, &Sha256::of(bytes), "application/pdf").unwrap()
        };
        let placed = pdf_with_metadata(
            br#"<x:xmpmeta><rdf:Description photoshop:City="Phu Ly"/></x:xmpmeta>"#,
        );
        assert!(!String::from_utf8_lossy(&placed).contains("City"));
        let decision = check(&placed);
        assert_eq!(decision.status, Status::Withheld);
        assert!(decision.reason.unwrap().ends_with("holds :City="));
        let plain = pdf_with_metadata(
            br#"<x:xmpmeta><rdf:Description dc:format="application/pdf"/></x:xmpmeta>"#,
        );
        assert_eq!(check(&plain).status, Status::Clean);
        assert_eq!(check(b"%PDF-1.7 not really").status, Status::Withheld);
    }

    /// Whatever a scrubber accepts, its edits are in order and its copy holds no position: tried
    /// on thousands of corrupted variants of each format's sample (a fixed pseudo-random walk, so
    /// every run tries the same files). None may panic.
    #[test]
    fn corrupted_files_are_refused_or_scrubbed_never_published_with_a_position() {
        let samples: Vec<(&str, Vec<u8>)> = vec![
            (
                "image/jpeg",
                jpeg::tests::jpeg_with(&[jpeg::tests::exif_segment()], b""),
            ),
            ("image/png", png::tests::png_with_gps()),
            ("image/tiff", tiff::tests::exif_with_gps()),
            ("video/mp4", isobmff::tests::film_with_location()),
        ];
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let dir = tempfile::tempdir().unwrap();
        let store = DerivativeStore::new(dir.path());
        let (mut scrubbed, mut withheld_count) = (0, 0);
        for (mime, sample) in &samples {
            for round in 0..300 {
                let mut bytes = sample.clone();
                for _ in 0..1 + round % 4 {
                    let at = (next() % bytes.len() as u64) as usize;
                    bytes[at] = next() as u8;
                }
                if round % 7 == 0 {
                    bytes.truncate((next() % bytes.len() as u64) as usize);
                }
                let source = dir.path().join("source");
                fs::write(&source, &bytes).unwrap();
                let sha = Sha256::of(&bytes);
                let decision = ensure(&store, &source, &sha, mime).unwrap();
                let sent = match decision.status {
                    Status::Withheld => {
                        withheld_count += 1;
                        continue;
                    }
                    Status::Clean => bytes.clone(),
                    Status::Scrubbed => {
                        scrubbed += 1;
                        fs::read(store.public_copy_path(&sha)).unwrap()
                    }
                };
                assert_eq!(decision.sha256, Some(Sha256::of(&sent)));
                let text = String::from_utf8_lossy(&sent);
                for position in ["GPSLatitude", "105.9876", "+20.5123", "location.ISO6709"] {
                    assert!(!text.contains(position), "{mime} round {round}: {position}");
                }
                if mime.starts_with("image/") && *mime != "image/tiff" {
                    let exif = exif::Reader::new()
                        .read_from_container(&mut std::io::Cursor::new(&sent))
                        .ok();
                    let gps = exif.is_some_and(|e| {
                        e.fields().any(|f| {
                            f.tag.context() == exif::Context::Gps
                                && f.tag != exif::Tag::GPSVersionID
                        })
                    });
                    assert!(!gps, "{mime} round {round} sends GPS");
                }
            }
        }
        // The walk reaches both outcomes.
        assert!(
            scrubbed > 0 && withheld_count > 0,
            "{scrubbed} {withheld_count}"
        );
    }
}
