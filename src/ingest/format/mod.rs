//! Identifies what a file is from its content, not from its name.
//!
//! Batches handed over by archivists often carry extensions that were typed by hand, lost when a
//! file was copied off old media, or chosen by software that guessed. Disan therefore sniffs the
//! leading bytes of every file and only uses the extension to refine text (a Markdown file is
//! indistinguishable from plain text by content) and to report when name and content disagree.
//!
//! This module owns the table of formats Disan recognises ([`Format`], [`Family`] and the statics
//! such as [`JPEG`]), content sniffing ([`sniff`]) and extension lookups ([`by_extension`],
//! [`refine_text`], [`Format::matches_extension`]). It reads no files itself: callers pass the
//! first [`HEAD_LEN`] bytes. Text and markup are told apart in `text`; MPEG audio and ADTS
//! framing, which the media probe also reads, in `mpeg_audio`.

mod mpeg_audio;
mod text;

use serde::Serialize;

pub(crate) use self::mpeg_audio::{id3v2_len, mpeg_audio_header};
use self::mpeg_audio::{is_adts_stream, is_mpeg_audio_stream};
use self::text::sniff_text;

/// How many leading bytes [`sniff`] looks at; callers should pass this many when the file has them.
pub const HEAD_LEN: usize = 8192;

/// Broad kind of material, used to decide which pipeline (thumbnails, probing, text) a file takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// Raster images such as photographs and scans.
    Image,
    /// Vector drawings (SVG).
    Vector,
    /// Moving images, with or without sound.
    Video,
    /// Sound recordings.
    Audio,
    /// Human-readable text, including markup.
    Text,
    /// Paginated or office documents (PDF, word processing, spreadsheets).
    Document,
    /// Anything else, including unidentified binaries and plain archives.
    Other,
}

/// A file format Disan can recognise.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Format {
    /// IANA media type, e.g. `image/jpeg`.
    pub mime: &'static str,
    /// Human-readable name shown to archivists, e.g. "JPEG image".
    pub name: &'static str,
    /// Broad kind of material.
    pub family: Family,
    /// Usual file extensions, lowercase and without the dot; the first is preferred.
    pub extensions: &'static [&'static str],
}

impl Format {
    /// Whether `ext` (with or without a leading dot, any case) is one of this format's usual
    /// extensions.
    pub fn matches_extension(&self, ext: &str) -> bool {
        let ext = ext.strip_prefix('.').unwrap_or(ext);
        self.extensions.iter().any(|e| e.eq_ignore_ascii_case(ext))
    }

    /// The preferred extension, if the format has one.
    pub fn preferred_extension(&self) -> Option<&'static str> {
        self.extensions.first().copied()
    }
}

macro_rules! formats {
    ($($(#[$doc:meta])* $id:ident = $mime:literal, $name:literal, $family:ident, [$($ext:literal),*];)*) => {
        $(
            $(#[$doc])*
            pub static $id: Format = Format {
                mime: $mime,
                name: $name,
                family: Family::$family,
                extensions: &[$($ext),*],
            };
        )*

        /// Every known format, in the order [`by_extension`] prefers them when extensions overlap.
        pub static ALL: &[&Format] = &[$(&$id),*];
    };
}

formats! {
    /// JPEG/JFIF or Exif image.
    JPEG = "image/jpeg", "JPEG image", Image, ["jpg", "jpeg", "jpe", "jfif"];
    /// PNG image.
    PNG = "image/png", "PNG image", Image, ["png"];
    /// GIF image (87a or 89a).
    GIF = "image/gif", "GIF image", Image, ["gif"];
    /// TIFF image in either byte order, including BigTIFF.
    TIFF = "image/tiff", "TIFF image", Image, ["tif", "tiff"];
    /// WebP image.
    WEBP = "image/webp", "WebP image", Image, ["webp"];
    /// Windows bitmap.
    BMP = "image/bmp", "BMP image", Image, ["bmp", "dib"];
    /// JPEG 2000 image (JP2 container), common for preservation masters.
    JP2 = "image/jp2", "JPEG 2000 image", Image, ["jp2", "jpf", "jpx"];
    /// HEIC image (HEVC-coded HEIF). Cameras name the same content differently: Apple
    /// `.heic`, Canon and Sony `.hif`, others `.heif` (ISO/IEC 23008-12 Annex D registers
    /// `.heic` and `.heif`), so all three are its own.
    HEIC = "image/heic", "HEIC image", Image, ["heic", "hif", "heif"];
    /// HEIF image whose coding the brand does not reveal (named as [`HEIC`] is).
    HEIF = "image/heif", "HEIF image", Image, ["heif", "hif", "heic"];
    /// AVIF image.
    AVIF = "image/avif", "AVIF image", Image, ["avif"];
    /// SVG drawing.
    SVG = "image/svg+xml", "SVG drawing", Vector, ["svg"];
    /// MPEG-4 video (ISO base media file).
    MP4 = "video/mp4", "MPEG-4 video", Video, ["mp4", "m4v"];
    /// QuickTime movie.
    MOV = "video/quicktime", "QuickTime movie", Video, ["mov", "qt"];
    /// MPEG-4 audio.
    M4A = "audio/mp4", "MPEG-4 audio", Audio, ["m4a", "m4b", "m4p"];
    /// 3GPP mobile video.
    THREE_GP = "video/3gpp", "3GPP video", Video, ["3gp", "3gpp"];
    /// 3GPP2 mobile video.
    THREE_G2 = "video/3gpp2", "3GPP2 video", Video, ["3g2", "3gpp2"];
    /// Matroska video (also used for audio-only `.mka`).
    MATROSKA = "video/x-matroska", "Matroska video", Video, ["mkv", "mka", "mks", "mk3d"];
    /// WebM video.
    WEBM = "video/webm", "WebM video", Video, ["webm"];
    /// AVI video.
    AVI = "video/x-msvideo", "AVI video", Video, ["avi"];
    /// WAV audio, including Broadcast WAV and RF64.
    WAV = "audio/wav", "WAV audio", Audio, ["wav", "wave", "bwf"];
    /// MPEG audio (MP3, or the rarer layers I and II).
    MP3 = "audio/mpeg", "MP3 audio", Audio, ["mp3", "mp2", "mpga"];
    /// Raw AAC audio in ADTS framing.
    AAC = "audio/aac", "AAC audio", Audio, ["aac"];
    /// FLAC audio.
    FLAC = "audio/flac", "FLAC audio", Audio, ["flac"];
    /// Ogg audio (Opus, Vorbis, FLAC or Speex).
    OGG_AUDIO = "audio/ogg", "Ogg audio", Audio, ["ogg", "oga", "opus", "spx"];
    /// Ogg video (Theora).
    OGG_VIDEO = "video/ogg", "Ogg video", Video, ["ogv", "ogg"];
    /// Ogg container whose streams were not recognised.
    OGG = "application/ogg", "Ogg file", Other, ["ogx", "ogg"];
    /// PDF document.
    PDF = "application/pdf", "PDF document", Document, ["pdf"];
    /// Word document (Office Open XML).
    DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word document", Document, ["docx"];
    /// Excel spreadsheet (Office Open XML).
    XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel spreadsheet", Document, ["xlsx"];
    /// PowerPoint presentation (Office Open XML).
    PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "PowerPoint presentation", Document, ["pptx"];
    /// OpenDocument text.
    ODT = "application/vnd.oasis.opendocument.text", "OpenDocument text", Document, ["odt"];
    /// OpenDocument spreadsheet.
    ODS = "application/vnd.oasis.opendocument.spreadsheet", "OpenDocument spreadsheet",
        Document, ["ods"];
    /// OpenDocument presentation.
    ODP = "application/vnd.oasis.opendocument.presentation", "OpenDocument presentation",
        Document, ["odp"];
    /// EPUB e-book.
    EPUB = "application/epub+zip", "EPUB book", Document, ["epub"];
    /// ZIP archive that is not a recognised document.
    ZIP = "application/zip", "ZIP archive", Other, ["zip"];
    /// Plain text (UTF-8, or UTF-16 with a byte-order mark).
    TEXT = "text/plain", "Plain text", Text, ["txt", "text"];
    /// Markdown text; only reachable through the extension, see [`refine_text`].
    MARKDOWN = "text/markdown", "Markdown text", Text, ["md", "markdown"];
    /// Comma-separated values; only reachable through the extension, see [`refine_text`].
    CSV = "text/csv", "CSV table", Text, ["csv"];
    /// Tab-separated values; only reachable through the extension, see [`refine_text`].
    TSV = "text/tab-separated-values", "TSV table", Text, ["tsv", "tab"];
    /// JSON data; only reachable through the extension, see [`refine_text`].
    JSON = "application/json", "JSON data", Text, ["json"];
    /// YAML data; only reachable through the extension, see [`refine_text`].
    YAML = "application/yaml", "YAML data", Text, ["yaml", "yml"];
    /// SubRip subtitles; only reachable through the extension, see [`refine_text`].
    SRT = "application/x-subrip", "SubRip subtitles", Text, ["srt"];
    /// WebVTT subtitles; only reachable through the extension, see [`refine_text`].
    VTT = "text/vtt", "WebVTT subtitles", Text, ["vtt"];
    /// HTML page.
    HTML = "text/html", "HTML page", Text, ["html", "htm", "xhtml"];
    /// XML document.
    XML = "application/xml", "XML document", Text, ["xml"];
    /// Fallback for content Disan cannot identify.
    OCTET_STREAM = "application/octet-stream", "Unidentified binary", Other, ["bin"];
}

/// Identifies a format from the first bytes of a file (up to [`HEAD_LEN`]); never panics.
///
/// Text is reported as [`TEXT`], [`HTML`], [`XML`] or [`SVG`]; use [`refine_text`] to let the
/// extension distinguish Markdown or CSV from plain text. Unrecognised content is
/// [`OCTET_STREAM`], as is an empty head.
pub fn sniff(head: &[u8]) -> &'static Format {
    sniff_binary(head)
        .or_else(|| sniff_text(head))
        .or_else(|| sniff_frame_sync(head))
        .or_else(|| sniff_late_pdf(head))
        .unwrap_or(&OCTET_STREAM)
}

/// The format usually stored under `ext` (with or without a leading dot, any case).
pub fn by_extension(ext: &str) -> Option<&'static Format> {
    ALL.iter().copied().find(|f| f.matches_extension(ext))
}

/// Lets the extension name the kind of text content cannot reveal.
///
/// When `sniffed` is [`TEXT`] and `ext` belongs to one of the text formats that content alone
/// cannot tell apart (Markdown, CSV, TSV, JSON, YAML, subtitles, and HTML or XML without a
/// recognisable root), returns that format; otherwise returns `sniffed` unchanged, so binary
/// content never becomes text because of its name.
pub fn refine_text(sniffed: &'static Format, ext: &str) -> &'static Format {
    if *sniffed != TEXT {
        return sniffed;
    }
    match by_extension(ext) {
        Some(f) if f.family == Family::Text && *f != TEXT => f,
        _ => sniffed,
    }
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn le16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn le32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn sniff_binary(h: &[u8]) -> Option<&'static Format> {
    let at = |offset: usize, sig: &[u8]| h.get(offset..offset + sig.len()) == Some(sig);
    if at(0, b"\xFF\xD8\xFF") {
        return Some(&JPEG);
    }
    if at(0, b"\x89PNG\r\n\x1a\n") {
        return Some(&PNG);
    }
    if at(0, b"GIF87a") || at(0, b"GIF89a") {
        return Some(&GIF);
    }
    if [b"II*\0", b"MM\0*", b"II+\0", b"MM\0+"]
        .iter()
        .any(|s| at(0, *s))
    {
        return Some(&TIFF);
    }
    // "BM" alone is too common at the start of text, so also require a known DIB header size.
    if at(0, b"BM") && le32(h, 14).is_some_and(|n| [12, 40, 52, 56, 64, 108, 124].contains(&n)) {
        return Some(&BMP);
    }
    if at(0, b"RIFF") || at(0, b"RF64") {
        match h.get(8..12) {
            Some(b"WEBP") => return Some(&WEBP),
            Some(b"WAVE") => return Some(&WAV),
            Some(b"AVI ") => return Some(&AVI),
            _ => {}
        }
    }
    if at(0, b"\0\0\0\x0cjP  \r\n\x87\n") {
        return Some(&JP2);
    }
    if at(4, b"ftyp")
        && let Some(f) = sniff_ftyp(h)
    {
        return Some(f);
    }
    if at(0, b"\x1A\x45\xDF\xA3") {
        return Some(sniff_ebml(h));
    }
    if at(0, b"fLaC") {
        return Some(&FLAC);
    }
    if at(0, b"OggS") {
        return Some(sniff_ogg(h));
    }
    if at(0, b"ID3") {
        return Some(sniff_after_id3(h));
    }
    if at(0, b"%PDF-") {
        return Some(&PDF);
    }
    if at(0, b"PK\x03\x04") {
        return Some(sniff_zip(h));
    }
    if at(0, b"PK\x05\x06") || at(0, b"PK\x07\x08") {
        return Some(&ZIP);
    }
    // Old QuickTime files have no ftyp box; recognise them by a plausible first top-level box.
    if be32(h, 0).is_some_and(|size| size >= 8 || size == 1)
        && [b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"]
            .iter()
            .any(|t| at(4, *t))
    {
        return Some(&MOV);
    }
    None
}

/// Frame syncs are weak signatures (a UTF-16LE byte-order mark is also a valid MPEG header), so
/// they are only tried once the content has proved not to be text.
fn sniff_frame_sync(h: &[u8]) -> Option<&'static Format> {
    if is_mpeg_audio_stream(h) {
        Some(&MP3)
    } else if is_adts_stream(h) {
        Some(&AAC)
    } else {
        None
    }
}

/// Acrobat accepts `%PDF-` anywhere in the first kilobyte; only trust that when the file is not
/// text that merely mentions it.
fn sniff_late_pdf(h: &[u8]) -> Option<&'static Format> {
    let window = &h[..h.len().min(1024)];
    window.windows(5).any(|w| w == b"%PDF-").then_some(&PDF)
}

fn sniff_ftyp(h: &[u8]) -> Option<&'static Format> {
    let declared = be32(h, 0)? as usize;
    let end = declared.clamp(12, h.len().max(12)).min(h.len());
    let major: [u8; 4] = h.get(8..12)?.try_into().ok()?;
    let compatible: Vec<[u8; 4]> = h
        .get(16..end)
        .unwrap_or_default()
        .chunks_exact(4)
        .filter_map(|c| c.try_into().ok())
        .collect();
    // Generic brands (isom, mif1) say little; a specific one anywhere in the list decides.
    if let Some((f, true)) = classify_brand(&major) {
        return Some(f);
    }
    if let Some(f) = compatible.iter().find_map(|b| match classify_brand(b) {
        Some((f, true)) => Some(f),
        _ => None,
    }) {
        return Some(f);
    }
    std::iter::once(&major)
        .chain(&compatible)
        .find_map(|b| classify_brand(b))
        .map(|(f, _)| f)
}

/// Maps an ISO BMFF brand to a format and whether the brand is specific to it.
fn classify_brand(brand: &[u8; 4]) -> Option<(&'static Format, bool)> {
    let f = match brand {
        b"avif" | b"avis" => (&AVIF, true),
        b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" => (&HEIC, true),
        b"mif1" | b"msf1" => (&HEIF, false),
        b"qt  " => (&MOV, true),
        b"M4A " | b"M4B " | b"M4P " | b"F4A " => (&M4A, true),
        [b'3', b'g', b'2', _] => (&THREE_G2, true),
        [b'3', b'g', b'p' | b'e' | b'g' | b's' | b'r', _] => (&THREE_GP, true),
        b"mp41" | b"mp42" | b"mp71" | b"avc1" | b"dash" | b"M4V " | b"M4VH" | b"M4VP" | b"f4v "
        | b"mmp4" | b"MSNV" | b"XAVC" => (&MP4, true),
        b"isom" | [b'i', b's', b'o', b'2'..=b'9'] => (&MP4, false),
        _ => return None,
    };
    Some(f)
}

/// Reads an EBML variable-length integer, returning (value without marker, length).
fn ebml_vint(b: &[u8]) -> Option<(u64, usize)> {
    let first = *b.first()?;
    let len = first.leading_zeros() as usize + 1;
    if len > 8 {
        return None;
    }
    let bytes = b.get(..len)?;
    let mut value = u64::from(first) & (0xFF >> len);
    for &byte in &bytes[1..] {
        value = (value << 8) | u64::from(byte);
    }
    Some((value, len))
}

fn sniff_ebml(h: &[u8]) -> &'static Format {
    match ebml_doc_type(h) {
        Some(b"webm") => &WEBM,
        _ => &MATROSKA,
    }
}

/// The DocType string from the EBML header at the start of `h`, if the head holds it.
fn ebml_doc_type(h: &[u8]) -> Option<&[u8]> {
    let (size, n) = ebml_vint(h.get(4..)?)?;
    let start = 4 + n;
    let end = usize::try_from(size)
        .ok()?
        .saturating_add(start)
        .min(h.len());
    let mut pos = start;
    while pos < end {
        let id_len = h[pos].leading_zeros() as usize + 1;
        let id = h.get(pos..pos + id_len)?;
        let (size, n) = ebml_vint(&h[pos + id_len..])?;
        let data = pos + id_len + n;
        let data_end = data.saturating_add(usize::try_from(size).ok()?);
        if id == [0x42, 0x82] {
            return h.get(data..data_end.min(h.len()));
        }
        pos = data_end;
    }
    None
}

fn sniff_ogg(h: &[u8]) -> &'static Format {
    let (mut audio, mut video) = (false, false);
    let mut pos = 0;
    // Every stream announces its codec in a beginning-of-stream page before any data page.
    while h.get(pos..pos + 4) == Some(b"OggS") {
        let Some(&flags) = h.get(pos + 5) else { break };
        let Some(&segments) = h.get(pos + 26) else {
            break;
        };
        if flags & 0x02 == 0 {
            break;
        }
        let table_end = pos + 27 + usize::from(segments);
        let Some(table) = h.get(pos + 27..table_end) else {
            break;
        };
        let packet = &h[table_end.min(h.len())..];
        let is = |sig: &[u8]| packet.starts_with(sig);
        if is(b"\x80theora") || is(b"BBCD\0") {
            video = true;
        } else if is(b"OpusHead") || is(b"\x01vorbis") || is(b"\x7FFLAC") || is(b"Speex   ") {
            audio = true;
        }
        pos = table_end + table.iter().map(|&s| usize::from(s)).sum::<usize>();
    }
    if video {
        &OGG_VIDEO
    } else if audio {
        &OGG_AUDIO
    } else {
        &OGG
    }
}

fn sniff_after_id3(h: &[u8]) -> &'static Format {
    let Some(end) = id3v2_len(h) else {
        return &MP3;
    };
    let rest = h.get(end..).unwrap_or_default();
    if rest.starts_with(b"fLaC") {
        &FLAC
    } else if is_adts_stream(rest) {
        &AAC
    } else {
        &MP3
    }
}

fn sniff_zip(h: &[u8]) -> &'static Format {
    // ODF and EPUB store their media type uncompressed as the first entry, named "mimetype".
    if let Some(mime) = first_entry_mimetype(h) {
        let f = [&ODT, &ODS, &ODP, &EPUB]
            .into_iter()
            .find(|f| f.mime.as_bytes() == mime);
        if let Some(f) = f {
            return f;
        }
    }
    // OOXML parts may be stored with data descriptors, so sizes cannot be trusted to hop from
    // header to header; look at every local header signature in the head instead.
    let mut rest = h;
    while let Some(i) = rest.windows(4).position(|w| w == b"PK\x03\x04") {
        let entry = &rest[i..];
        if let Some(name) = le16(entry, 26).and_then(|n| entry.get(30..30 + usize::from(n))) {
            if name.starts_with(b"word/") {
                return &DOCX;
            }
            if name.starts_with(b"xl/") {
                return &XLSX;
            }
            if name.starts_with(b"ppt/") {
                return &PPTX;
            }
        }
        rest = &entry[4..];
    }
    &ZIP
}

fn first_entry_mimetype(h: &[u8]) -> Option<&[u8]> {
    let name_len = usize::from(le16(h, 26)?);
    let extra_len = usize::from(le16(h, 28)?);
    if h.get(30..30 + name_len)? != b"mimetype" || le16(h, 8)? != 0 {
        return None;
    }
    let start = 30 + name_len + extra_len;
    let size = le32(h, 18)? as usize;
    Some(h.get(start..start.checked_add(size)?)?.trim_ascii())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ftyp(major: &[u8; 4], compatible: &[&[u8; 4]]) -> Vec<u8> {
        let mut v = Vec::new();
        v.extend_from_slice(&(16 + 4 * compatible.len() as u32).to_be_bytes());
        v.extend_from_slice(b"ftyp");
        v.extend_from_slice(major);
        v.extend_from_slice(&[0, 0, 2, 0]);
        for b in compatible {
            v.extend_from_slice(*b);
        }
        v
    }

    fn zip_entry(name: &str, stored: &[u8]) -> Vec<u8> {
        let mut v = b"PK\x03\x04\x14\0\0\0\0\0\0\0\0\0\0\0\0\0".to_vec();
        v.extend_from_slice(&(stored.len() as u32).to_le_bytes());
        v.extend_from_slice(&(stored.len() as u32).to_le_bytes());
        v.extend_from_slice(&(name.len() as u16).to_le_bytes());
        v.extend_from_slice(&0u16.to_le_bytes());
        v.extend_from_slice(name.as_bytes());
        v.extend_from_slice(stored);
        v
    }

    fn ogg_bos(packet: &[u8]) -> Vec<u8> {
        let mut v = b"OggS\0\x02".to_vec();
        v.extend_from_slice(&[0; 20]);
        v.push(1);
        v.push(packet.len() as u8);
        v.extend_from_slice(packet);
        v
    }

    #[test]
    fn raster_images() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0\0\x10JFIF"), &JPEG);
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), &PNG);
        assert_eq!(sniff(b"GIF89a\x01\0"), &GIF);
        assert_eq!(sniff(b"GIF87a"), &GIF);
        assert_eq!(sniff(b"II*\0\x08\0\0\0"), &TIFF);
        assert_eq!(sniff(b"MM\0*\0\0\0\x08"), &TIFF);
        assert_eq!(sniff(b"RIFF\x24\0\0\0WEBPVP8 "), &WEBP);
        let mut bmp = b"BM\0\0\0\0\0\0\0\0\x36\0\0\0".to_vec();
        bmp.extend_from_slice(&40u32.to_le_bytes());
        assert_eq!(sniff(&bmp), &BMP);
        assert_eq!(sniff(b"BMW was here"), &TEXT);
        assert_eq!(sniff(b"\0\0\0\x0cjP  \r\n\x87\n\0\0\0\x14ftypjp2 "), &JP2);
    }

    #[test]
    fn iso_bmff_brands() {
        assert_eq!(sniff(&ftyp(b"heic", &[b"mif1", b"heic"])), &HEIC);
        assert_eq!(sniff(&ftyp(b"mif1", &[b"mif1", b"avif", b"miaf"])), &AVIF);
        assert_eq!(sniff(&ftyp(b"avif", &[b"avif", b"mif1"])), &AVIF);
        assert_eq!(sniff(&ftyp(b"mif1", &[b"mif1", b"miaf"])), &HEIF);
        assert_eq!(
            sniff(&ftyp(b"isom", &[b"isom", b"iso2", b"avc1", b"mp41"])),
            &MP4
        );
        assert_eq!(sniff(&ftyp(b"iso5", &[b"iso5", b"dash"])), &MP4);
        assert_eq!(sniff(&ftyp(b"mp42", &[b"mp42", b"isom"])), &MP4);
        assert_eq!(sniff(&ftyp(b"qt  ", &[b"qt  "])), &MOV);
        assert_eq!(sniff(&ftyp(b"M4A ", &[b"M4A ", b"mp42", b"isom"])), &M4A);
        assert_eq!(sniff(&ftyp(b"3gp5", &[b"3gp5", b"isom"])), &THREE_GP);
        assert_eq!(sniff(&ftyp(b"3g2a", &[b"3g2a"])), &THREE_G2);
        assert_eq!(sniff(&ftyp(b"crx ", &[])), &OCTET_STREAM);
        assert_eq!(sniff(b"\0\0\0\x08wide\0\0\x10\0mdat"), &MOV);
        assert_eq!(sniff(b"\0\0\x01\0moov\0\0\0\x6cmvhd"), &MOV);
    }

    #[test]
    fn matroska_doc_type() {
        let header = |doc: &[u8]| {
            let mut body = vec![0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x80 | doc.len() as u8];
            body.extend_from_slice(doc);
            let mut v = vec![0x1A, 0x45, 0xDF, 0xA3, 0x80 | body.len() as u8];
            v.extend_from_slice(&body);
            v
        };
        assert_eq!(sniff(&header(b"webm")), &WEBM);
        assert_eq!(sniff(&header(b"matroska")), &MATROSKA);
        assert_eq!(sniff(b"\x1A\x45\xDF\xA3"), &MATROSKA);
    }

    #[test]
    fn riff_audio_video() {
        assert_eq!(sniff(b"RIFF\0\0\0\0WAVEfmt "), &WAV);
        assert_eq!(sniff(b"RF64\xFF\xFF\xFF\xFFWAVEds64"), &WAV);
        assert_eq!(sniff(b"RIFF\0\0\0\0AVI LIST"), &AVI);
    }

    #[test]
    fn compressed_audio() {
        assert_eq!(sniff(b"fLaC\0\0\0\x22"), &FLAC);
        assert_eq!(sniff(b"ID3\x04\0\0\0\0\0\x0a\0\0\0\0\0\0\0\0\0\0"), &MP3);
        assert_eq!(sniff(b"ID3\x04\0\0\0\0\0\x00fLaC"), &FLAC);
        // MPEG-1 layer III, 128 kbit/s, 44.1 kHz: 417-byte frames.
        let mut mp3 = vec![0xFF, 0xFB, 0x90, 0x00];
        mp3.resize(417, 0);
        mp3.extend_from_slice(&[0xFF, 0xFB, 0x90, 0x00]);
        assert_eq!(sniff(&mp3), &MP3);
        mp3[417] = 0;
        assert_eq!(sniff(&mp3), &OCTET_STREAM, "a lone sync word is not enough");
        let mut adts = vec![0xFF, 0xF1, 0x50, 0x80, 0x02, 0x1F, 0xFC];
        adts.resize(16, 0);
        adts.extend_from_slice(&[0xFF, 0xF1, 0x50, 0x80, 0x02, 0x1F, 0xFC]);
        assert_eq!(sniff(&adts), &AAC);
    }

    #[test]
    fn ogg_streams() {
        assert_eq!(sniff(&ogg_bos(b"OpusHead\x01\x02")), &OGG_AUDIO);
        assert_eq!(sniff(&ogg_bos(b"\x01vorbis\0\0\0\0")), &OGG_AUDIO);
        let mut theora = ogg_bos(b"\x80theora\x03\x02");
        theora.extend(ogg_bos(b"\x01vorbis\0\0\0\0"));
        assert_eq!(sniff(&theora), &OGG_VIDEO);
        assert_eq!(sniff(&ogg_bos(b"mystery")), &OGG);
        assert_eq!(sniff(b"OggS"), &OGG);
    }

    #[test]
    fn documents_and_archives() {
        assert_eq!(sniff(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3"), &PDF);
        let mut late = vec![0u8; 100];
        late.extend_from_slice(b"%PDF-1.4");
        assert_eq!(sniff(&late), &PDF);
        assert_eq!(sniff(b"notes: see %PDF- header"), &TEXT);

        let odt = zip_entry("mimetype", b"application/vnd.oasis.opendocument.text");
        assert_eq!(sniff(&odt), &ODT);
        assert_eq!(
            sniff(&zip_entry("mimetype", b"application/epub+zip")),
            &EPUB
        );
        let mut docx = zip_entry("[Content_Types].xml", b"<Types/>");
        docx.extend(zip_entry("_rels/.rels", b"<x/>"));
        docx.extend(zip_entry("word/document.xml", b"<w/>"));
        assert_eq!(sniff(&docx), &DOCX);
        assert_eq!(sniff(&zip_entry("xl/workbook.xml", b"")), &XLSX);
        assert_eq!(sniff(&zip_entry("photos/a.jpg", b"\xFF\xD8")), &ZIP);
        assert_eq!(sniff(b"PK\x05\x06\0\0\0\0"), &ZIP);
    }

    #[test]
    fn extensions() {
        assert_eq!(by_extension("JPG"), Some(&JPEG));
        assert_eq!(by_extension(".tiff"), Some(&TIFF));
        assert_eq!(by_extension("ogg"), Some(&OGG_AUDIO));
        assert_eq!(by_extension("md"), Some(&MARKDOWN));
        assert_eq!(by_extension("exe"), None);
        assert!(MP4.matches_extension("M4V"));
        assert!(!MP4.matches_extension("mov"));
        assert_eq!(MATROSKA.preferred_extension(), Some("mkv"));
        // break-11b finding 11: Canon and Sony write HEVC-coded HEIF as `.hif`.
        for format in [&HEIC, &HEIF] {
            for ext in ["heic", "HIF", "heif"] {
                assert!(format.matches_extension(ext), "{} .{ext}", format.name);
            }
            assert!(!format.matches_extension("avif"));
        }
        assert_eq!(HEIC.preferred_extension(), Some("heic"));
        for f in ALL {
            assert!(!f.extensions.is_empty(), "{} has no extension", f.name);
            for e in f.extensions {
                assert_eq!(*e, e.to_ascii_lowercase(), "{} extension {e}", f.name);
            }
        }
    }

    #[test]
    fn refining_text_by_extension() {
        assert_eq!(refine_text(&TEXT, "md"), &MARKDOWN);
        assert_eq!(refine_text(&TEXT, "Markdown"), &MARKDOWN);
        assert_eq!(refine_text(&TEXT, "csv"), &CSV);
        assert_eq!(refine_text(&TEXT, "htm"), &HTML);
        assert_eq!(refine_text(&TEXT, "xml"), &XML);
        assert_eq!(refine_text(&TEXT, "json"), &JSON);
        assert_eq!(refine_text(&TEXT, "YML"), &YAML);
        assert_eq!(refine_text(&TEXT, "srt"), &SRT);
        assert_eq!(
            refine_text(&TEXT, "svg"),
            &TEXT,
            "SVG must be recognised by content"
        );
        assert_eq!(refine_text(&TEXT, "jpg"), &TEXT);
        assert_eq!(refine_text(&TEXT, ""), &TEXT);
        assert_eq!(refine_text(&PNG, "md"), &PNG);
        assert_eq!(refine_text(&XML, "md"), &XML);
    }

    /// Deterministic xorshift noise, so damaged inputs are reproducible without a crate.
    fn noise(seed: &mut u64) -> u8 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        (*seed >> 24) as u8
    }

    #[test]
    fn never_panics_on_damaged_heads() {
        let signatures: &[&[u8]] = &[
            b"",
            b"\x1A\x45\xDF\xA3",
            b"\x1A\x45\xDF\xA3\x88\x42\x82\x01\xFF",
            b"OggS\0\x02",
            b"PK\x03\x04",
            b"ID3\x04\0\0",
            b"\0\0\0\x18ftyp",
            b"RIFF\0\0\0\0",
            b"\xFF\xFE",
            b"\xFE\xFF<",
            b"\xEF\xBB\xBF<?xml",
            b"<!DOCTYPE",
            b"<!-- x --><",
            b"\xFF\xFB",
            b"\xFF\xF1",
            b"BM",
        ];
        let mut seed = 0x2545_F491_4F6C_DD1D;
        for signature in signatures {
            for _ in 0..200 {
                let mut head = signature.to_vec();
                let extra = usize::from(noise(&mut seed));
                head.extend((0..extra).map(|_| noise(&mut seed)));
                for cut in 0..=head.len() {
                    sniff(&head[..cut]);
                }
            }
        }
    }
}
