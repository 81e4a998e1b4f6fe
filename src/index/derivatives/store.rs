//! Where derivatives live and how they are written: a [`DerivativeStore`] is one folder of
//! `index/` (the public `derivatives/` or the private `derivatives-private/`), one sub-folder per
//! source digest holding `display.jpg`, `thumb.jpg`, a large image's `pyramid.tiles` and the location decision (`public.json`,
//! `public`). Writes never follow a link planted inside the store.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use fast_image_resize::images::Image;
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};

use super::{DISPLAY_SIZE, DecodedImage, DeriveError, JPEG_QUALITY, Rendition, THUMBNAIL_SIZE};
use crate::model::Sha256;

/// The folder of `index/` holding the derivatives of files the public may see.
pub const PUBLIC_DIR: &str = "derivatives";

/// The folder of `index/` holding the derivatives (and location decisions) of files the public
/// may not see: served only after the per-request check of [`crate::model::access::Viewer`].
pub const PRIVATE_DIR: &str = "derivatives-private";

/// One derivative store: `index/derivatives/` (public files only) or
/// `index/derivatives-private/` (files the public may not see); see [`Stores`].
#[derive(Debug, Clone)]
pub struct DerivativeStore {
    root: PathBuf,
}

impl DerivativeStore {
    /// The public store inside the index folder `index_dir` (`index_dir/derivatives`).
    pub fn new(index_dir: &Path) -> Self {
        DerivativeStore::at(&index_dir.join(PUBLIC_DIR))
    }

    /// The private store inside the index folder `index_dir` (`index_dir/derivatives-private`).
    pub fn private(index_dir: &Path) -> Self {
        DerivativeStore::at(&index_dir.join(PRIVATE_DIR))
    }

    /// The store whose folder is `root` (as a worker process is told it).
    pub fn at(root: &Path) -> Self {
        DerivativeStore {
            root: root.to_path_buf(),
        }
    }

    /// The store's own folder (`index/derivatives`, `index/derivatives-private`).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The index folder the store is in.
    pub fn index_root(&self) -> &Path {
        self.root.parent().unwrap_or(&self.root)
    }

    /// Whether the store keeps anything for `sha256` (a derivative, a location decision).
    pub fn holds(&self, sha256: &Sha256) -> bool {
        fs::symlink_metadata(self.folder(sha256)).is_ok_and(|m| m.is_dir())
    }

    /// Moves everything kept for `sha256` into `other` (renames within `index/`). What `other`
    /// already keeps for it stays (the bytes are the same, and so is what is made of them); the
    /// rest joins it, and this store keeps nothing for it after. Nothing to do when this store
    /// keeps nothing.
    ///
    /// # Errors
    /// The I/O error of creating the target's folders, renaming or removing.
    pub fn move_to(&self, sha256: &Sha256, other: &DerivativeStore) -> io::Result<()> {
        if !self.holds(sha256) {
            return Ok(());
        }
        let (source, target) = (self.folder(sha256), other.folder(sha256));
        if !other.holds(sha256) {
            // Made empty (never through a link), then replaced by the rename: POSIX `rename`
            // replaces an empty folder.
            create_store_folder(&target)?;
            return fs::rename(&source, &target);
        }
        for entry in fs::read_dir(&source)? {
            let entry = entry?;
            let kept = target.join(entry.file_name());
            if entry.file_type()?.is_file() && fs::symlink_metadata(&kept).is_err() {
                fs::rename(entry.path(), kept)?;
            }
        }
        self.remove(sha256)
    }

    /// The digests the store keeps something for (folders named as a digest, in their shard).
    pub fn digests(&self) -> Vec<Sha256> {
        let mut found = Vec::new();
        for shard in fs::read_dir(&self.root).into_iter().flatten().flatten() {
            for folder in fs::read_dir(shard.path()).into_iter().flatten().flatten() {
                if let Some(sha) = folder
                    .file_name()
                    .to_str()
                    .and_then(|name| name.parse::<Sha256>().ok())
                {
                    found.push(sha);
                }
            }
        }
        found
    }

    /// Where the derivative of the source with digest `sha256` lives.
    pub fn path(&self, sha256: &Sha256, rendition: Rendition) -> PathBuf {
        self.folder(sha256).join(rendition.file_name())
    }

    /// Where the decision about what anonymous visitors receive of `sha256` is kept (JSON, see
    /// [`crate::index::location::PublicCopy`]).
    pub fn public_check_path(&self, sha256: &Sha256) -> PathBuf {
        self.folder(sha256).join("public.json")
    }

    /// Where the public copy of `sha256` (its location metadata removed) is kept, when it has one.
    pub fn public_copy_path(&self, sha256: &Sha256) -> PathBuf {
        self.folder(sha256).join("public")
    }

    /// Removes everything kept for `sha256` (derivatives, public copy, its decision); nothing
    /// to do when there is none.
    ///
    /// # Errors
    /// The I/O error of removing its folder.
    pub fn remove(&self, sha256: &Sha256) -> io::Result<()> {
        match fs::remove_dir_all(self.folder(sha256)) {
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }

    fn folder(&self, sha256: &Sha256) -> PathBuf {
        let hex = sha256.to_hex();
        self.root.join(&hex[..2]).join(&hex)
    }

    /// Whether both derivatives of `sha256` exist and are well-formed: each a JPEG that begins
    /// with its start marker, ends with its end marker, and declares a size within its
    /// rendition's limit. The check reads the header and the last two bytes, not the pixels, so
    /// `reindex` can afford it for every image and remakes a derivative a disk or a person
    /// damaged (garbage, a truncated file) instead of serving it (break-11b finding 7).
    pub fn has(&self, sha256: &Sha256) -> bool {
        [Rendition::Display, Rendition::Thumbnail]
            .into_iter()
            .all(|rendition| well_formed_jpeg(&self.path(sha256, rendition), rendition.limit()))
    }

    /// Where the deep-zoom pyramid of `sha256` lives ([`super::pyramid`]), when it has one.
    pub fn pyramid_path(&self, sha256: &Sha256) -> PathBuf {
        self.folder(sha256).join(super::pyramid::FILE_NAME)
    }

    /// Whether everything derived of `sha256` is there and whole: both derivatives
    /// ([`DerivativeStore::has`]) and, when the display image is as large as
    /// [`DISPLAY_SIZE`] (its source was at least that large), the pyramid
    /// ([`super::pyramid::read_index`]). What `reindex` and ingest ask before drawing again, so
    /// an index made before pyramids existed gets them; pages ask only [`DerivativeStore::has`].
    pub fn complete(&self, sha256: &Sha256) -> bool {
        if !self.has(sha256) {
            return false;
        }
        let display = self.path(sha256, Rendition::Display);
        let large = image::image_dimensions(&display)
            .is_ok_and(|(width, height)| super::pyramid::wanted(width, height));
        !large || super::pyramid::read_index(&self.pyramid_path(sha256)).is_ok()
    }

    /// [`DerivativeStore::write`], then the pyramid when the image is large enough for one
    /// ([`super::pyramid::wanted`]). Takes the image, whose pixels the pyramid lets go early.
    ///
    /// # Errors
    /// As [`DerivativeStore::write`] and [`super::pyramid::write`].
    pub fn write_with_tiles(
        &self,
        sha256: &Sha256,
        image: DecodedImage,
        orientation: Option<u16>,
    ) -> Result<(), DeriveError> {
        if !super::pyramid::wanted(image.width, image.height) {
            return self.write(sha256, &image, orientation);
        }
        // The display image is scaled from the smallest level of the pyramid still as large
        // (a 100-megapixel master's third level, 6 megapixels), to the size it would have from
        // the full picture: scaling the full picture took most of a large image's time.
        let (width, height) = size_within(image.width, image.height, DISPLAY_SIZE);
        super::pyramid::write(
            &self.pyramid_path(sha256),
            image,
            orientation,
            |level: &DecodedImage| {
                let display = resize_exact(level, width, height)?;
                self.write(sha256, &display, orientation)
            },
        )
    }

    /// Writes the display image and the thumbnail of `image`, turned upright per the EXIF
    /// `orientation` (1 to 8).
    pub fn write(
        &self,
        sha256: &Sha256,
        image: &DecodedImage,
        orientation: Option<u16>,
    ) -> Result<(), DeriveError> {
        let display = resize_within(image, DISPLAY_SIZE)?;
        let thumbnail = resize_within(&display, THUMBNAIL_SIZE)?;
        for (rendition, pixels) in [
            (Rendition::Display, display),
            (Rendition::Thumbnail, thumbnail),
        ] {
            let orientation = if image.upright {
                1
            } else {
                orientation.unwrap_or(1)
            };
            let upright = orient(pixels, orientation);
            let path = self.path(sha256, rendition);
            write_jpeg(&path, &upright)?;
        }
        Ok(())
    }
}

/// Both derivative stores of an index folder, and the rule of which one a file belongs in.
///
/// The public store holds only what anonymous visitors may be sent: derivatives and location
/// decisions of files of records whose files the public may see
/// ([`crate::index::audience::Audience::admits_files`]). Every other file's are in the private
/// store, which the site reads only for a viewer that
/// [`crate::model::access::Viewer::may_see_files`] admitted for the record asked for. Bytes held
/// by two records (one public, one not) may be in both, or in the public store only; a file is
/// looked for in its home store, then in the other ([`Stores::find`]).
#[derive(Debug, Clone)]
pub struct Stores {
    /// `index/derivatives/`.
    pub public: DerivativeStore,
    /// `index/derivatives-private/`.
    pub private: DerivativeStore,
}

impl Stores {
    /// The two stores of the index folder `index_dir`.
    pub fn new(index_dir: &Path) -> Self {
        Stores {
            public: DerivativeStore::new(index_dir),
            private: DerivativeStore::private(index_dir),
        }
    }

    /// The store the derivatives of a file belong in: the public one when `files_public` (the
    /// public may see the files of the record holding it), else the private one.
    pub fn home(&self, files_public: bool) -> &DerivativeStore {
        if files_public {
            &self.public
        } else {
            &self.private
        }
    }

    /// Where to read what is kept for `sha256`, a file of a record whose files are public
    /// (`files_public`) or not: its home store, else the other one (the same bytes held by a
    /// record of the other kind, or previews not moved yet after an access change). Only for
    /// a viewer already admitted to the record's files: whichever store answers, the bytes are
    /// that file's. `None` when neither keeps anything.
    pub fn find(&self, sha256: &Sha256, files_public: bool) -> Option<&DerivativeStore> {
        let home = self.home(files_public);
        let other = self.home(!files_public);
        [home, other].into_iter().find(|store| store.holds(sha256))
    }

    /// The display image or thumbnail of `sha256` (a file of a record whose files are public,
    /// `files_public`, or not) that exists: in its home store, else in the other (as
    /// [`Stores::find`]). `None` when neither has it.
    pub fn find_derivative(
        &self,
        sha256: &Sha256,
        rendition: Rendition,
        files_public: bool,
    ) -> Option<PathBuf> {
        [self.home(files_public), self.home(!files_public)]
            .into_iter()
            .map(|store| store.path(sha256, rendition))
            .find(|path| path.is_file())
    }

    /// Whether both derivatives of `sha256` exist, well-formed, in either store
    /// ([`DerivativeStore::has`]).
    pub fn has(&self, sha256: &Sha256) -> bool {
        self.public.has(sha256) || self.private.has(sha256)
    }

    /// Whether everything derived of `sha256` is there in either store
    /// ([`DerivativeStore::complete`]).
    pub fn complete(&self, sha256: &Sha256) -> bool {
        self.public.complete(sha256) || self.private.complete(sha256)
    }

    /// The deep-zoom pyramid of `sha256` (as [`Stores::find_derivative`] finds a derivative),
    /// when there is one. Only for a viewer already admitted to the record's files.
    pub fn find_pyramid(&self, sha256: &Sha256, files_public: bool) -> Option<PathBuf> {
        [self.home(files_public), self.home(!files_public)]
            .into_iter()
            .map(|store| store.pyramid_path(sha256))
            .find(|path| path.is_file())
    }
}

/// Whether the file at `path` (not a link) is a JPEG whose header declares a size of at most
/// `limit` on its long side and whose last bytes are the end-of-image marker.
fn well_formed_jpeg(path: &Path, limit: u32) -> bool {
    use std::io::{Read, Seek, SeekFrom};
    let whole = || -> io::Result<bool> {
        if fs::symlink_metadata(path)?.file_type().is_symlink() {
            return Ok(false);
        }
        let mut file = fs::File::open(path)?;
        let mut end = [0u8; 2];
        file.seek(SeekFrom::End(-2))?;
        file.read_exact(&mut end)?;
        if end != [0xFF, 0xD9] {
            return Ok(false);
        }
        file.seek(SeekFrom::Start(0))?;
        let reader =
            image::ImageReader::with_format(io::BufReader::new(file), image::ImageFormat::Jpeg);
        Ok(reader
            .into_dimensions()
            .is_ok_and(|(width, height)| width > 0 && height > 0 && width.max(height) <= limit))
    };
    whole().unwrap_or(false)
}

/// Scales `image` down so its long side is at most `limit`; never scales up.
fn resize_within(image: &DecodedImage, limit: u32) -> Result<DecodedImage, DeriveError> {
    let long_side = image.width.max(image.height);
    if long_side <= limit {
        return Ok(DecodedImage {
            width: image.width,
            height: image.height,
            rgb: image.rgb.clone(),
            upright: image.upright,
        });
    }
    let scale = f64::from(limit) / f64::from(long_side);
    let width = ((f64::from(image.width) * scale).round() as u32).max(1);
    let height = ((f64::from(image.height) * scale).round() as u32).max(1);
    resize_exact(image, width, height)
}

/// The size `width` × `height` is scaled to so its long side is at most `limit` (never up),
/// as [`resize_within`] rounds it.
pub(super) fn size_within(width: u32, height: u32, limit: u32) -> (u32, u32) {
    let long_side = width.max(height);
    if long_side <= limit {
        return (width, height);
    }
    let scale = f64::from(limit) / f64::from(long_side);
    (
        ((f64::from(width) * scale).round() as u32).max(1),
        ((f64::from(height) * scale).round() as u32).max(1),
    )
}

/// Scales `image` to exactly `width` × `height` (Catmull-Rom convolution, SIMD).
pub(super) fn resize_exact(
    image: &DecodedImage,
    width: u32,
    height: u32,
) -> Result<DecodedImage, DeriveError> {
    let source = fast_image_resize::images::ImageRef::new(
        image.width,
        image.height,
        &image.rgb,
        PixelType::U8x3,
    )
    .map_err(|error| DeriveError::Decode(error.to_string()))?;
    let mut target = Image::new(width, height, PixelType::U8x3);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::CatmullRom));
    Resizer::new()
        .resize(&source, &mut target, &options)
        .map_err(|error| DeriveError::Decode(error.to_string()))?;
    Ok(DecodedImage {
        width,
        height,
        rgb: target.into_vec(),
        upright: image.upright,
    })
}

/// Applies an EXIF orientation (1 = as stored … 8 = rotated 90° clockwise to view).
pub(super) fn orient(image: DecodedImage, orientation: u16) -> DecodedImage {
    if orientation <= 1 || orientation > 8 {
        return image;
    }
    let Some(buffer) = image::RgbImage::from_raw(image.width, image.height, image.rgb) else {
        unreachable!("a resized buffer always matches its dimensions");
    };
    use image::imageops;
    let turned = match orientation {
        2 => imageops::flip_horizontal(&buffer),
        3 => imageops::rotate180(&buffer),
        4 => imageops::flip_vertical(&buffer),
        5 => imageops::flip_horizontal(&imageops::rotate90(&buffer)),
        6 => imageops::rotate90(&buffer),
        7 => imageops::flip_horizontal(&imageops::rotate270(&buffer)),
        _ => imageops::rotate270(&buffer),
    };
    DecodedImage {
        width: turned.width(),
        height: turned.height(),
        rgb: turned.into_raw(),
        upright: true,
    }
}

/// Creates `folder`, a store folder `derivatives/xx/<sha256>`, never following a symbolic link
/// on the way: the index folder above it is created as usual, but `derivatives`, `xx` and
/// `<sha256>` must each be a real folder (made here when missing). A link there could send
/// writes anywhere on the machine (`derivatives/02/<sha>` → `/etc` had `reindex` write
/// `/etc/thumb.jpg`, break-site finding 8); `disan reindex` moves such links aside.
///
/// # Errors
/// The I/O error of creating a folder, or `InvalidData` naming a level that is a link or a
/// file.
pub fn create_store_folder(folder: &Path) -> io::Result<()> {
    let levels: Vec<&Path> = folder.ancestors().take(3).collect();
    if let Some(index) = levels.last().and_then(|top| top.parent()) {
        fs::create_dir_all(index)?;
    }
    for level in levels.into_iter().rev() {
        match fs::symlink_metadata(level) {
            Ok(metadata) if metadata.is_dir() => continue,
            Ok(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "{} is not a folder Disan made (a symbolic link or a file), and Disan follows no link inside the index: run `disan reindex` to set it aside",
                        level.display()
                    ),
                ));
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => match fs::create_dir(level) {
                Ok(()) => {}
                // Made meanwhile by another writer: checked again on the next call.
                Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
                    if !fs::symlink_metadata(level).is_ok_and(|m| m.is_dir()) {
                        return Err(error);
                    }
                }
                Err(error) => return Err(error),
            },
            Err(error) => return Err(error),
        }
    }
    Ok(())
}

/// Writes `bytes` to a new file `temp`, never through a link planted at that name.
pub fn write_new(temp: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write as _;
    let _ = fs::remove_file(temp);
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(temp)?
        .write_all(bytes)
}

fn write_jpeg(path: &Path, image: &DecodedImage) -> Result<(), DeriveError> {
    let parent = path.parent().unwrap_or(path);
    create_store_folder(parent).map_err(|source| DeriveError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let encoded = encode_jpeg(path, image)?;
    let io_error = |source| DeriveError::Io {
        path: path.to_path_buf(),
        source,
    };
    // Derivatives are rebuildable, so a temp-and-rename (without fsync) is enough to never
    // serve a half-written file.
    let temp = path.with_extension(format!("tmp-{}", std::process::id()));
    write_new(&temp, &encoded).map_err(io_error)?;
    fs::rename(&temp, path).map_err(io_error)
}

/// `image` encoded as a baseline JPEG at the derivatives' quality: pixels only, no EXIF.
/// `path` names the file it is for, in the error.
pub(super) fn encode_jpeg(path: &Path, image: &DecodedImage) -> Result<Vec<u8>, DeriveError> {
    let (Ok(width), Ok(height)) = (u16::try_from(image.width), u16::try_from(image.height)) else {
        return Err(DeriveError::Encode {
            path: path.to_path_buf(),
            reason: "image too large for JPEG".to_string(),
        });
    };
    let mut encoded = Vec::with_capacity(image.rgb.len() / 8);
    jpeg_encoder::Encoder::new(&mut encoded, JPEG_QUALITY)
        .encode(&image.rgb, width, height, jpeg_encoder::ColorType::Rgb)
        .map_err(|error| DeriveError::Encode {
            path: path.to_path_buf(),
            reason: error.to_string(),
        })?;
    Ok(encoded)
}
