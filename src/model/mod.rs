//! The catalogue's vocabulary, shared by every stage and dependent on none of them.
//!
//! A [`Record`] is one catalogued item (a photo, a film, a technique write-up, a photo series…) with
//! its Dublin Core description, its place in the craft-village world ([`VillageId`], [`CraftId`]),
//! its [`Access`] rule and the technical facts of its files. [`Village`] and [`Craft`] are the
//! authority records that records point to. These types are what the archive stores as JSON inside
//! each OCFL object, so their serialised form is a preservation format: fields are only ever added.

pub mod access;
pub mod edtf;
pub mod lunar;
pub mod message;
pub mod text;
pub mod withdrawal;

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use access::{Access, Need};
pub use edtf::Edtf;
pub use message::Message;
pub use withdrawal::{Withdrawal, WithheldVersion};

/// Version of the JSON written into `record.json`, `village.json` and `craft.json`.
pub const SCHEMA_VERSION: u32 = 1;

/// Why a piece of text is not a valid value for a catalogue field: the English text, and the
/// same as words either language can say when it has a translation (see [`Message`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidValue(pub String, pub Option<Message>);

impl InvalidValue {
    /// English text with no translation.
    pub fn english(text: impl Into<String>) -> Self {
        InvalidValue(text.into(), None)
    }

    /// What is wrong, as words either language can say (English only when there is no
    /// translation).
    pub fn message(&self) -> Message {
        self.1
            .clone()
            .unwrap_or_else(|| Message::english(self.0.clone()))
    }
}

impl From<Message> for InvalidValue {
    fn from(message: Message) -> Self {
        InvalidValue(message.english.clone(), Some(message))
    }
}

/// The words for what a field holds (`a kind`, `record id`), for [`InvalidValue`]'s messages.
fn field_words(what: &str) -> Message {
    match what {
        "record id" => crate::msg!("model-record-id", "record id"),
        "village id" => crate::msg!("model-village-id", "village id"),
        "craft id" => crate::msg!("model-craft-id", "craft id"),
        "group id" => crate::msg!("model-group-id", "group id"),
        "artisan id" => crate::msg!("model-artisan-id", "artisan id"),
        "product id" => crate::msg!("model-product-id", "product id"),
        "a kind" => crate::msg!("model-a-kind", "a kind"),
        "a role" => crate::msg!("model-a-role", "a role"),
        "a village activity" => crate::msg!("model-a-village-activity", "a village activity"),
        "a Decree 52/2018 status" => {
            crate::msg!("model-a-decree-52-status", "a Decree 52/2018 status")
        }
        "an OCOP product group" => {
            crate::msg!("model-an-ocop-product-group", "an OCOP product group")
        }
        "an OCOP level" => crate::msg!("model-an-ocop-level", "an OCOP level"),
        "an honour scheme" => crate::msg!("model-an-honour-scheme", "an honour scheme"),
        other => Message::english(other),
    }
}

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident, $what:literal, $check:path) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Validates `text` (after NFC normalisation and trimming) as this kind of id.
            pub fn parse(text: &str) -> Result<Self, InvalidValue> {
                let text = text::nfc(text.trim()).into_owned();
                if $check(&text) {
                    Ok(Self(text))
                } else {
                    Err(InvalidValue::from(if $check("A.b_c") {
                        crate::msg!(
                            "model-invalid-id-dotted",
                            "'{text}' is not a valid {what}: use 1 to 100 letters a-z, digits and '-', '.' or '_' (no spaces)",
                            text = text,
                            what = crate::model::field_words($what)
                        )
                    } else {
                        crate::msg!(
                            "model-invalid-id",
                            "'{text}' is not a valid {what}: use 1 to 100 letters a-z, digits and '-' (no spaces)",
                            text = text,
                            what = crate::model::field_words($what)
                        )
                    }))
                }
            }

            /// Reads `text` only when it is already this id as written: no space around it, in
            /// NFC, so that [`Self::parse`] would keep it as it is. For ids in URLs: one record
            /// has one address, and `/records/{id}%20`, `%09{id}` or a compatibility letter
            /// (the Kelvin sign `K`, which NFC makes `K`) is no address of it (issue 15).
            ///
            /// # Errors
            /// [`InvalidValue`] when `text` is not a valid id, or not in its canonical form.
            pub fn parse_exact(text: &str) -> Result<Self, InvalidValue> {
                let id = Self::parse(text)?;
                if id.0 == text {
                    Ok(id)
                } else {
                    // Only URLs are read so, never a form: no translation needed.
                    Err(InvalidValue::english(format!(
                        "'{}' is not written as the {} '{}'",
                        text.escape_debug(),
                        $what,
                        id.0
                    )))
                }
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl TryFrom<String> for $name {
            type Error = InvalidValue;
            fn try_from(text: String) -> Result<Self, InvalidValue> {
                Self::parse(&text)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }
    };
}

fn is_record_id(text: &str) -> bool {
    (1..=100).contains(&text.len())
        && text
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn is_slug_id(text: &str) -> bool {
    (1..=100).contains(&text.len())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !text.starts_with('-')
}

string_id!(
    /// A record's stable, human-readable id (`trong-doi-tam-1`, `HN.2020.014`); it is the last
    /// part of the record's URL and its OCFL object id.
    RecordId,
    "record id",
    is_record_id
);
string_id!(
    /// A village authority id, a lowercase slug such as `doi-tam`.
    VillageId,
    "village id",
    is_slug_id
);
string_id!(
    /// A craft authority id, a lowercase slug such as `det-lua`.
    CraftId,
    "craft id",
    is_slug_id
);

string_id!(
    /// A community (group) id, a lowercase slug such as `phuong-trong-doi-tam` (a village's drum
    /// guild) or `du-an-2025` (a research project). Created by an admin (`disan group add`);
    /// records name it in the access value `community:<id>`.
    GroupId,
    "group id",
    is_slug_id
);

macro_rules! keyword_enum {
    ($(#[$doc:meta])* $name:ident, $what:literal { $($(#[$vdoc:meta])* $variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$doc])*
        // Serialised as its keyword, exactly as archivists write it (`decree-93-2023`), never
        // as a case conversion of the variant's name (`Decree93_2023`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $word)] $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The keyword archivists write in metadata.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word),+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = InvalidValue;
            fn from_str(text: &str) -> Result<Self, InvalidValue> {
                let wanted = text.trim().to_lowercase();
                $name::ALL
                    .iter()
                    .copied()
                    .find(|value| value.as_str() == wanted)
                    .ok_or_else(|| {
                        let words: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                        InvalidValue::from(crate::msg!(
                            "model-not-one-of",
                            "'{text}' is not {what}; use one of: {words}",
                            text = text.trim(),
                            what = crate::model::field_words($what),
                            words = words.join(", ")
                        ))
                    })
            }
        }
    };
}

pub mod artisan;
pub mod product;
pub mod visit;

pub use artisan::{Artisan, ArtisanId, Honour, HonourScheme};
pub use product::{Ocop, OcopGroup, OcopLevel, Product, ProductId};
pub use visit::Stop;

keyword_enum!(
    /// What a record is.
    Kind, "a kind" {
        /// A photograph or other raster image.
        Photo = "photo",
        /// A moving-image recording.
        Film = "film",
        /// A sound recording (interviews, festival music).
        Audio = "audio",
        /// A decorative pattern (raster or SVG).
        Pattern = "pattern",
        /// A written account of a technique or craft secret.
        Technique = "technique",
        /// A festival record.
        Festival = "festival",
        /// Any other document (publication, letter, certificate).
        Document = "document",
        /// A curated story (exhibit) that embeds other records.
        Story = "story",
        /// A visit: a route through villages, workshops and festivals, written like a story
        /// (issue 14).
        Visit = "visit",
    }
);

keyword_enum!(
    /// What a signed-in account may do. Anonymous visitors have no role (see
    /// [`access::Viewer`]).
    Role, "a role" {
        /// Sees `public` and `researchers` material, and that of the communities it belongs to.
        Researcher = "researcher",
        /// Sees everything (and edits it, with the workspace).
        Archivist = "archivist",
        /// Manages accounts, groups and settings. Sees what a researcher sees: an administrator
        /// does not bypass community protocols (a complaint Mukurtu users raise; see
        /// `../shared/REFERENCE.md`).
        Admin = "admin",
    }
);

keyword_enum!(
    /// Whether a craft village still works its craft: Hà Nam counted 65 recognised villages,
    /// 58 active and 7 lost, in 2022 (Plan 2986/KH-UBND; `../shared/REFERENCE.md` §4).
    Activity, "a village activity" {
        /// The craft is practised.
        Active = "active",
        /// Practised by few, fading ("có nguy cơ mai một").
        AtRisk = "at-risk",
        /// No longer practised ("thất truyền").
        Lost = "lost",
    }
);

keyword_enum!(
    /// A craft village's class under Decree 52/2018/NĐ-CP on the development of rural trades.
    RiskStatus, "a Decree 52/2018 status" {
        /// Endangered and beyond revival.
        AtRiskIrreversible = "at-risk-irreversible",
        /// Endangered but revivable.
        AtRiskRevivable = "at-risk-revivable",
        /// Developing.
        Developing = "developing",
    }
);

/// A language of the catalogue. Vietnamese is the collection's default.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Vietnamese, the first language of the content.
    #[default]
    Vi,
    /// English translations.
    En,
}

impl Lang {
    /// The BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
}

/// One value of a Dublin Core field in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LangValue {
    /// The text, NFC.
    pub value: String,
    /// Its language.
    pub lang: Lang,
}

/// A SHA-256 digest.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Sha256([u8; 32]);

impl Sha256 {
    /// Wraps raw digest bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Sha256(bytes)
    }

    /// Digests a byte slice.
    pub fn of(bytes: &[u8]) -> Self {
        use sha2::Digest;
        Sha256(sha2::Sha256::digest(bytes).into())
    }

    /// Lowercase hex, as OCFL inventories write it.
    pub fn to_hex(&self) -> String {
        let mut hex = String::with_capacity(64);
        for byte in self.0 {
            hex.push(char::from_digit(u32::from(byte >> 4), 16).unwrap_or('0'));
            hex.push(char::from_digit(u32::from(byte & 0xf), 16).unwrap_or('0'));
        }
        hex
    }
}

impl fmt::Display for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Sha256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sha256({})", self.to_hex())
    }
}

impl FromStr for Sha256 {
    type Err = InvalidValue;
    fn from_str(text: &str) -> Result<Self, InvalidValue> {
        let invalid = || {
            InvalidValue::from(crate::msg!(
                "model-not-a-sha256",
                "'{text}' is not a SHA-256 digest (64 hex digits)",
                text = text
            ))
        };
        if text.len() != 64 {
            return Err(invalid());
        }
        let mut bytes = [0u8; 32];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2).ok_or_else(invalid)?, 16)
                .map_err(|_| invalid())?;
        }
        Ok(Sha256(bytes))
    }
}

impl TryFrom<String> for Sha256 {
    type Error = InvalidValue;
    fn try_from(text: String) -> Result<Self, InvalidValue> {
        text.parse()
    }
}

impl From<Sha256> for String {
    fn from(digest: Sha256) -> String {
        digest.to_hex()
    }
}

/// The identified format of a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileFormat {
    /// Media type, e.g. `image/jpeg`.
    pub mime: String,
    /// Human name, e.g. `JPEG image`.
    pub name: String,
}

/// What the camera wrote into a photo.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Exif {
    /// Capture date and time as written (`2020:08:27 10:11:12` becomes `2020-08-27T10:11:12`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captured: Option<String>,
    /// Camera maker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub camera_make: Option<String>,
    /// Camera model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub camera_model: Option<String>,
    /// EXIF orientation, 1 to 8.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub orientation: Option<u16>,
    /// Latitude and longitude in decimal degrees. Kept in the archive, never published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gps: Option<[f64; 2]>,
}

impl Exif {
    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        *self == Exif::default()
    }

    /// Whether an orientation (5 to 8) turns the picture a quarter, so that it is shown with
    /// width and height swapped (EXIF 2.32, tag 0x0112).
    pub fn turns_quarter(&self) -> bool {
        matches!(self.orientation, Some(5..=8))
    }

    /// Leaves out a capture date that names no real moment (`2019-13-45T…`, hour 25). Ingest
    /// refuses such dates since this check was added; records written before may hold them,
    /// and they are never published.
    pub fn without_impossible_date(mut self) -> Self {
        if self
            .captured
            .as_deref()
            .is_some_and(|captured| possible_datetime(captured).is_err())
        {
            self.captured = None;
        }
        self
    }
}

/// Checks an ISO date and time `YYYY-MM-DDTHH:MM:SS` (as [`Exif::captured`] holds it): the month
/// must be 1 to 12, the day one of that month (leap years counted), the time 00:00:00 to 23:59:59.
///
/// # Errors
/// Why it is impossible, in words (`month 13 does not exist`, `hour 25 does not exist`, …).
pub fn possible_datetime(text: &str) -> Result<(), InvalidValue> {
    let number = |range: std::ops::Range<usize>| -> Result<u32, InvalidValue> {
        text.get(range)
            .filter(|digits| digits.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|digits| digits.parse().ok())
            .ok_or_else(|| InvalidValue::english(format!("'{text}' is not a date and time")))
    };
    let shape_ok = text.len() == 19
        && text.as_bytes()[4] == b'-'
        && text.as_bytes()[7] == b'-'
        && text.as_bytes()[10] == b'T'
        && text.as_bytes()[13] == b':'
        && text.as_bytes()[16] == b':';
    if !shape_ok {
        return Err(InvalidValue::english(format!(
            "'{text}' is not a date and time"
        )));
    }
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    let impossible = |what: &str, value: u32| {
        Err(InvalidValue::english(format!(
            "{what} {value} does not exist"
        )))
    };
    if year == 0 {
        return Err(InvalidValue::english(
            "year 0000 is a camera's unset clock".to_string(),
        ));
    }
    if !(1..=12).contains(&month) {
        return impossible("month", month);
    }
    // Both fit: year < 10000, month <= 12.
    let (year, month) = (year as i32, month as u8);
    if u8::try_from(day)
        .ok()
        .and_then(|day| edtf::CalendarDate::new(year, month, day))
        .is_none()
    {
        return Err(InvalidValue::english(format!(
            "day {day} does not exist in {year:04}-{month:02}"
        )));
    }
    if hour > 23 {
        return impossible("hour", hour);
    }
    if minute > 59 {
        return impossible("minute", minute);
    }
    if second > 59 {
        return impossible("second", second);
    }
    Ok(())
}

/// Technical facts about a file: pixel size of images and films, and what a film's or sound
/// recording's container states.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MediaInfo {
    /// Playing time in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<f64>,
    /// Picture width in pixels (display width where the container gives one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// Picture height in pixels (display height where the container gives one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// Width of the picture as shown upright, when it differs from `width`: after the EXIF
    /// orientation of a photo, the rotation matrix of a film's track header, or a HEIF image's
    /// own rotation and crop. Absent when the picture is shown as stored, and in records
    /// written before it was recorded (see [`FileEntry::displayed_size`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub displayed_width: Option<u32>,
    /// Height of the picture as shown upright, when it differs from `height`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub displayed_height: Option<u32>,
    /// Video codec as the container names it, e.g. `avc1` (MP4) or `V_VP9` (Matroska).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_codec: Option<String>,
    /// Audio codec as the container names it, e.g. `mp4a`, `A_OPUS`, `pcm_s16le` or `mp3`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio_codec: Option<String>,
    /// Audio samples per second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_rate: Option<u32>,
    /// Number of audio channels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channels: Option<u16>,
}

/// One file of a record, as stored in the archive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Logical path inside the record's OCFL object (`files/loom.jpg`).
    pub path: String,
    /// Where the file was in the batch it came from.
    pub source: String,
    /// Format identified from the content.
    pub format: FileFormat,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the content.
    pub sha256: Sha256,
    /// Dimensions, duration and codecs, as flat fields of the file's JSON.
    #[serde(flatten)]
    pub technical: MediaInfo,
    /// Camera metadata of photos.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exif: Option<Exif>,
}

impl MediaInfo {
    /// Records the size a picture of `width` × `height` (as stored) is shown at; nothing is
    /// written when it is shown as stored.
    pub fn set_displayed(&mut self, width: u32, height: u32) {
        let differs = (Some(width), Some(height)) != (self.width, self.height);
        (self.displayed_width, self.displayed_height) = if differs {
            (Some(width), Some(height))
        } else {
            (None, None)
        };
    }
}

impl FileEntry {
    /// Width and height of the picture as a viewer sees it, upright; `None` when the file has
    /// no picture size.
    ///
    /// The size recorded at ingest when there is one ([`MediaInfo::displayed_width`]); else the
    /// stored size, swapped when the EXIF orientation turns the picture a quarter (records
    /// written before the displayed size was recorded). HEIF and AVIF images are the exception:
    /// their own `irot` property turns them and their EXIF orientation is informative only
    /// (ISO/IEC 23000-22, MIAF), so their stored size is not swapped.
    pub fn displayed_size(&self) -> Option<(u32, u32)> {
        let media = &self.technical;
        if let (Some(width), Some(height)) = (media.displayed_width, media.displayed_height) {
            return Some((width, height));
        }
        let (width, height) = (media.width?, media.height?);
        let heif = matches!(
            self.format.mime.as_str(),
            "image/heic" | "image/heif" | "image/avif"
        );
        let turned = !heif && self.exif.as_ref().is_some_and(Exif::turns_quarter);
        Some(if turned {
            (height, width)
        } else {
            (width, height)
        })
    }
}

/// Where a record came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// The batch folder's name.
    pub batch: String,
    /// The batch-relative path of the file or folder the record was made from.
    pub path: String,
}

/// One catalogued item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Always [`SCHEMA_VERSION`] when written by this version of Disan.
    pub schema: u32,
    /// Stable id.
    pub id: RecordId,
    /// What the record is.
    pub kind: Kind,
    /// Who may see it (its description and, unless `files_access` says otherwise, its files).
    pub access: Access,
    /// Who may see its files (originals, derivatives, text and metadata read from them, their
    /// names and sizes), when narrower than [`Record::access`]; absent when the same. Added with
    /// issue 13: records written before have none and read as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files_access: Option<Access>,
    /// The village it documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub village: Option<VillageId>,
    /// The craft it documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub craft: Option<CraftId>,
    /// The artisans it shows or is by (column `artisan`, repeatable; issue 14).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub artisans: Vec<ArtisanId>,
    /// The products it shows (column `product`, repeatable; issue 14).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<ProductId>,
    /// A visit's stops in order (column `stop`, repeatable; kind `visit` only; issue 14).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stops: Vec<Stop>,
    /// `dc.date`, parsed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Edtf>,
    /// Dublin Core description: term (`title`, `subject`, …) to values in order.
    pub dc: BTreeMap<String, Vec<LangValue>>,
    /// Main text of text records (techniques, festivals, stories), by language.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub body: BTreeMap<Lang, String>,
    /// Other columns the batch gave (e.g. `lunar_date`), kept verbatim.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, Vec<String>>,
    /// The record's files.
    pub files: Vec<FileEntry>,
    /// Where it came from.
    pub provenance: Provenance,
    /// Set when an archivist withdrew the record (issue 15): then nobody sees it on any public
    /// or signed-in surface ([`access::Viewer::may_see_record`]). Records written before have
    /// none and read (and serialise) as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawal: Option<Withdrawal>,
    /// Earlier versions withheld from everyone but archivists ("revision deletion", see
    /// [`withdrawal::WithheldVersion`]), in the order they were withheld. Carried into every
    /// later version (workspace and ingest alike); records written before have none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub withheld_versions: Vec<WithheldVersion>,
}

impl Record {
    /// Whether this description withholds version `version` (`v3`) from the public.
    pub fn withholds(&self, version: &str) -> Option<&WithheldVersion> {
        self.withheld_versions.iter().find(|w| w.version == version)
    }

    /// The first value of a Dublin Core term in `lang`.
    pub fn dc_value(&self, term: &str, lang: Lang) -> Option<&str> {
        self.dc
            .get(term)?
            .iter()
            .find(|value| value.lang == lang)
            .map(|value| value.value.as_str())
    }

    /// The rule of the record's files: [`Record::files_access`] when given, else the record's
    /// own. A viewer sees the files only when it may see the record too
    /// ([`access::Viewer::may_see_files`]).
    pub fn files_rule(&self) -> &Access {
        self.files_access.as_ref().unwrap_or(&self.access)
    }

    /// The title in `lang`, falling back to the other language, then to the id.
    pub fn title(&self, lang: Lang) -> &str {
        self.dc_value("title", lang)
            .or_else(|| self.dc_value("title", Lang::Vi))
            .or_else(|| self.dc_value("title", Lang::En))
            .unwrap_or(self.id.as_str())
    }
}

/// The latitudes of Vietnam, islands included, in decimal degrees north (inclusive): where a
/// village may lie. Ingest refuses a position outside them, and the maps leave out one an
/// older archive holds (a `0,0` once squeezed a whole province into a corner). Sources and
/// extreme points: `ingest::authority::villages`.
pub const VIETNAM_LATITUDES: (f64, f64) = (6.5, 23.5);

/// The longitudes of Vietnam, islands included, in decimal degrees east (inclusive); see
/// [`VIETNAM_LATITUDES`].
pub const VIETNAM_LONGITUDES: (f64, f64) = (102.0, 117.5);

/// A craft village, as `metadata/villages.csv` describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Village {
    /// Always [`SCHEMA_VERSION`] when written by this version of Disan.
    pub schema: u32,
    /// Stable id (`doi-tam`).
    pub id: VillageId,
    /// Vietnamese name.
    pub name: String,
    /// English name, if different.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// Commune (xã).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commune: Option<String>,
    /// District (huyện) or town.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
    /// Province.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    /// Latitude in decimal degrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    /// Longitude in decimal degrees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    /// Crafts practised there.
    #[serde(default)]
    pub crafts: Vec<CraftId>,
    /// Class under Decree 52/2018/NĐ-CP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<RiskStatus>,
    /// Artisans honoured or recorded in the village, by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub artisans: Vec<String>,
    /// The village's characteristic products, in Vietnamese.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<String>,
    /// The same products in English, when given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub products_en: Vec<String>,
    /// Whether the craft is still practised (issue 14).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<Activity>,
    /// Its recognition as a (traditional) craft village by the provincial People's Committee
    /// (Decree 52/2018/NĐ-CP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recognised: Option<Recognition>,
    /// When [`Village::status`] was set (EDTF). Earlier classes are the village object's
    /// earlier OCFL versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_date: Option<Edtf>,
    /// The commune or ward (xã, phường) after the reform of 1 July 2025, which abolished
    /// districts. [`Village::commune`], [`Village::district`] and [`Village::province`] stay the
    /// address as documented before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commune_2025: Option<String>,
    /// The province after 1 July 2025 (Hà Nam merged into Ninh Bình).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province_2025: Option<String>,
}

impl Village {
    /// A village with only its id and Vietnamese name, every other field empty.
    pub fn new(id: VillageId, name: impl Into<String>) -> Self {
        Village {
            schema: SCHEMA_VERSION,
            id,
            name: name.into(),
            name_en: None,
            commune: None,
            district: None,
            province: None,
            latitude: None,
            longitude: None,
            crafts: Vec::new(),
            status: None,
            artisans: Vec::new(),
            products: Vec::new(),
            products_en: Vec::new(),
            activity: None,
            recognised: None,
            status_date: None,
            commune_2025: None,
            province_2025: None,
        }
    }
}

/// A village's recognition: the decision and its date (`villages.csv` column `recognised`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recognition {
    /// The decision's number (`1234/QĐ-UBND`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    /// Its date (EDTF), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Edtf>,
}

/// A craft, as `metadata/crafts.csv` describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Craft {
    /// Always [`SCHEMA_VERSION`] when written by this version of Disan.
    pub schema: u32,
    /// Stable id (`det-lua`).
    pub id: CraftId,
    /// Vietnamese name.
    pub name: String,
    /// English name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_validated_and_normalised() {
        assert_eq!(
            RecordId::parse(" HN.2020_01 ").unwrap().as_str(),
            "HN.2020_01"
        );
        let err = RecordId::parse("a b").unwrap_err();
        assert_eq!(
            err.0,
            "'a b' is not a valid record id: use 1 to 100 letters a-z, digits and '-', '.' or '_' (no spaces)"
        );
        assert!(VillageId::parse("doi-tam").is_ok());
        assert!(VillageId::parse("Doi-Tam").is_err());
    }

    #[test]
    fn keywords_parse_case_insensitively_with_helpful_errors() {
        assert_eq!("Film".parse::<Kind>().unwrap(), Kind::Film);
        assert_eq!(
            "privat".parse::<Access>().unwrap_err().0,
            "'privat' is not an access level; use one of: public, researchers, restricted, community:<group-id>"
        );
        assert_eq!(
            "at-risk-revivable".parse::<RiskStatus>().unwrap(),
            RiskStatus::AtRiskRevivable
        );
    }

    fn file_entry(json: serde_json::Value) -> FileEntry {
        let mut entry = serde_json::json!({
            "path": "files/a", "source": "objects/a", "size": 1,
            "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        });
        entry
            .as_object_mut()
            .unwrap()
            .extend(json.as_object().unwrap().clone());
        serde_json::from_value(entry).unwrap()
    }

    #[test]
    fn displayed_size_is_upright_for_new_and_older_records() {
        let jpeg = serde_json::json!({"mime": "image/jpeg", "name": "JPEG image"});
        let heic = serde_json::json!({"mime": "image/heic", "name": "HEIC image"});
        // Written by this version: the recorded upright size.
        let new = file_entry(
            serde_json::json!({"format": jpeg, "width": 800, "height": 600,
            "displayed_width": 600, "displayed_height": 800, "exif": {"orientation": 6}}),
        );
        assert_eq!(new.displayed_size(), Some((600, 800)));
        // Written before: derived from the EXIF orientation, which turns 5 to 8 a quarter.
        for (orientation, expected) in [(6, (600, 800)), (8, (600, 800)), (3, (800, 600))] {
            let old = file_entry(serde_json::json!({"format": jpeg, "width": 800,
                "height": 600, "exif": {"orientation": orientation}}));
            assert_eq!(
                old.displayed_size(),
                Some(expected),
                "orientation {orientation}"
            );
        }
        // A HEIF image's EXIF orientation is informative: its own rotation was recorded.
        let heif = file_entry(
            serde_json::json!({"format": heic, "width": 800, "height": 600,
            "exif": {"orientation": 6}}),
        );
        assert_eq!(heif.displayed_size(), Some((800, 600)));
        let text = file_entry(serde_json::json!({"format": jpeg}));
        assert_eq!(text.displayed_size(), None);
    }

    #[test]
    fn impossible_capture_dates_of_older_records_are_not_shown() {
        let exif = |captured: &str| Exif {
            captured: Some(captured.to_string()),
            ..Exif::default()
        };
        assert_eq!(
            exif("2019-13-45T10:00:00").without_impossible_date(),
            Exif::default()
        );
        assert_eq!(
            exif("2019-02-28T23:59:59").without_impossible_date(),
            exif("2019-02-28T23:59:59")
        );
        assert_eq!(
            possible_datetime("2019-02-29T10:00:00").unwrap_err().0,
            "day 29 does not exist in 2019-02"
        );
        assert_eq!(
            possible_datetime("2020-01-01T24:00:00").unwrap_err().0,
            "hour 24 does not exist"
        );
    }

    #[test]
    fn a_record_json_written_before_community_protocols_still_reads() {
        // As written by Disan before issue 13: a keyword access, no files_access.
        let old = r#"{"schema":1,"id":"trong-1","kind":"film","access":"researchers",
            "dc":{"title":[{"value":"Trống","lang":"vi"}]},"files":[],
            "provenance":{"batch":"b","path":"objects/trong.mp4"}}"#;
        let record: Record = serde_json::from_str(old).unwrap();
        assert_eq!(record.access, Access::Researchers);
        assert_eq!(record.files_access, None);
        assert_eq!(record.files_rule(), &Access::Researchers);
        // Written back unchanged: no field appears that was not there.
        let again: serde_json::Value = serde_json::to_value(&record).unwrap();
        assert_eq!(
            again,
            serde_json::from_str::<serde_json::Value>(old).unwrap()
        );
        // A files rule is added as a field of its own.
        let mut narrowed = record;
        narrowed.access = Access::Public;
        narrowed.files_access = Some("community:phuong-trong".parse().unwrap());
        let json = serde_json::to_value(&narrowed).unwrap();
        assert_eq!(json["access"], "public");
        assert_eq!(
            json["files_access"],
            serde_json::json!({"communities": ["phuong-trong"], "need": "any"})
        );
        assert_eq!(serde_json::from_value::<Record>(json).unwrap(), narrowed);
    }

    #[test]
    fn sha256_round_trips_through_hex() {
        let digest = Sha256::of(b"abc");
        assert_eq!(
            digest.to_hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(digest.to_hex().parse::<Sha256>().unwrap(), digest);
        assert!("zz".parse::<Sha256>().is_err());
    }
}
