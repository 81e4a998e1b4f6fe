//! What each file's content tells, learnt before its record is stored: pixel size, EXIF and
//! previews of pictures, the container facts of films and sound, the text of PDFs, and the
//! location check of originals.
//!
//! It exists so that one file's damage or an unsupported variant is judged in one place: a file
//! is refused only for damage or a budget it breaks; a preview it cannot have is a warning and
//! the file is kept. It owns [`Analysis`] and the wording of those refusals and warnings.

use super::Context;
use crate::index::derivatives::{self, DerivativeStore, DeriveError};
use crate::index::sandbox;
use crate::ingest::format::Family;
use crate::ingest::plan::PlannedFile;
use crate::ingest::{FileFacts, exif, media, photo};
use crate::model::{Message, Sha256};
use crate::msg;

/// Facts learnt by analysing one file.
#[derive(Default)]
pub(in crate::ingest) struct Analysis {
    /// Pixel size of images; everything a film's or sound's container states.
    pub(in crate::ingest) media: media::MediaInfo,
    pub(in crate::ingest) exif: Option<crate::model::Exif>,
    /// What the archivist should know about the file, which is kept all the same.
    pub(in crate::ingest) warnings: Vec<Message>,
    /// The reading of a PDF's text layer, by digest, for indexing its record.
    pub(in crate::ingest) texts: Vec<(Sha256, std::sync::Arc<crate::index::file_text::PdfReading>)>,
}

impl Context<'_> {
    /// Whether this thread is the first of the run to derive images from `sha256`.
    fn first_to_derive(&self, sha256: &Sha256) -> bool {
        self.derived
            .lock()
            .map_or(true, |mut derived| derived.insert(*sha256))
    }

    /// Analyses one file of a record whose files the public may see (`files_public`) or not,
    /// making its derivatives and location decision in the store they belong in.
    pub(super) fn analyse(
        &self,
        file: &PlannedFile,
        fact: &FileFacts,
        files_public: bool,
    ) -> Result<Analysis, Message> {
        let store = self.stores.home(files_public);
        let mut analysis = Analysis::default();
        match fact.format.family {
            Family::Image if photo::is_heif(fact.format) => {
                let bytes = sandbox::held::read(&file.batch.path).map_err(cannot_read)?;
                let (found, drawable) = photo::analyse_heif(&bytes, fact.format)?;
                drop(bytes);
                analysis = found;
                if let Some(pixels) = drawable {
                    // libheif decodes in a worker, within its budgets, like every other decoder.
                    let drawing = sandbox::Drawing::Raster { pixels };
                    match sandbox::draw(drawing, &file.batch.path, self.derive_to(fact, store)) {
                        Ok(_) => {}
                        Err(DeriveError::Decode(reason)) => {
                            return Err(photo::corrupt(fact.format, &reason));
                        }
                        Err(other) => analysis
                            .warnings
                            .push(photo::no_preview(fact.format, &other.to_string())),
                    }
                }
            }
            Family::Image if !derivatives::can_decode(fact.format.mime) => {
                // Preserved as it is; the site shows it once a decoder for it is added.
            }
            Family::Image => {
                self.analyse_raster(file, fact, store, &mut analysis)?;
                photo::set_displayed(&mut analysis.media, analysis.exif.as_ref());
            }
            Family::Vector => {
                let derive = self.derive_to(fact, store);
                match sandbox::draw(sandbox::Drawing::Svg, &file.batch.path, derive) {
                    Ok(_) => {}
                    Err(error) if index_disk_full(&error) => {
                        analysis.warnings.push(derivatives_left(&error));
                    }
                    Err(error) => return Err(refusal(fact, error)),
                }
            }
            Family::Document if fact.format.mime == "application/pdf" => {
                // Read once: the record's indexing takes this reading (see `index::file_text`).
                let reading = self.texts.pdf(&fact.sha256, &file.batch.path);
                analysis
                    .warnings
                    .extend(reading.warnings().into_iter().map(Message::from));
                analysis.texts.push((fact.sha256, reading));
            }
            Family::Video | Family::Audio => {
                analysis.media = media::probe(&file.batch.path, fact.format)
                    .map_err(|error| format!("{} {error}", fact.format.name))?;
            }
            _ => {}
        }
        if self.writer.is_some() {
            match sandbox::check_location(
                store,
                &file.batch.path,
                &fact.sha256,
                fact.format.mime,
            ) {
                Ok(()) => {}
                // The decision lives in the index, which is disposable: with no decision kept,
                // the original is sent to nobody until one is made (at `reindex`, or when a page
                // first needs it and the disk has room), so the file is archived.
                Err(error) if crate::index::is_disk_full(&error) => analysis.warnings.push(msg!(
                    "ingest-location-not-checked",
                    "location not checked yet: {error}; the file is archived, its original is sent to no visitor until `disan reindex` checks it once the index disk has room",
                    error = error.to_string()
                )),
                Err(error) => {
                    return Err(msg!(
                        "ingest-location-check-failed",
                        "could not check for location metadata: {error}",
                        error = error.to_string()
                    ));
                }
            }
        }
        Ok(analysis)
    }

    /// Where this run writes the derivatives of `fact`'s content, into `home` (the store they
    /// belong in): nowhere in a dry run, when either store has them, or when another thread of
    /// the run is making them. Previews in the other store (a record made public, or made
    /// non-public) are moved once every record is stored ([`crate::index::sync::Updater::finish`]
    /// settles them); meanwhile the site finds them there ([`crate::index::derivatives::Stores::find_derivative`]).
    fn derive_to<'s>(
        &self,
        fact: &FileFacts,
        home: &'s DerivativeStore,
    ) -> Option<sandbox::Derive<'s>> {
        let held = self.stores.complete(&fact.sha256);
        (self.writer.is_some() && !held && self.first_to_derive(&fact.sha256)).then_some(
            sandbox::Derive {
                store_root: home.root(),
                sha256: fact.sha256,
                orientation: None,
            },
        )
    }

    /// A photo or scan: its structure is walked in process (size, damage, motion photo,
    /// unsupported variants), then it is decoded, proving it whole, and derived in a worker.
    fn analyse_raster(
        &self,
        file: &PlannedFile,
        fact: &FileFacts,
        store: &DerivativeStore,
        analysis: &mut Analysis,
    ) -> Result<(), Message> {
        if fact.size > sandbox::held::HELD_BYTES {
            // Too large to hold: measured from its header, kept without a preview.
            let (width, height) = derivatives::declared_size(&file.batch.path)
                .map_err(|error| refusal(fact, error))?;
            (analysis.media.width, analysis.media.height) = (Some(width), Some(height));
            analysis.warnings.push(msg!(
                "ingest-picture-over-memory-budget",
                "no preview: at {size} MiB the file is over the {budget} MiB budget for checking a picture in memory; the file is kept unchecked",
                size = fact.size >> 20,
                budget = sandbox::held::HELD_BYTES >> 20
            ));
            return Ok(());
        }
        let bytes = sandbox::held::read(&file.batch.path).map_err(cannot_read)?;
        let inspection = derivatives::inspect(&bytes).map_err(|error| refusal(fact, error))?;
        analysis.media.width = Some(inspection.width);
        analysis.media.height = Some(inspection.height);
        // Given, not lent: kamadak-exif would copy a TIFF whole.
        let exif::Reading { exif, warnings } = bytes.with_bytes(exif::read_owned);
        analysis.exif = exif;
        analysis.warnings = warnings;
        if inspection.motion_photo {
            analysis.warnings.push(msg!(
                "ingest-motion-photo",
                "motion photo: the {bytes} bytes after the picture (its video) are kept with the file; only the photo is shown",
                bytes = inspection.trailing
            ));
        }
        if let Some(what) = &inspection.unsupported {
            analysis.warnings.push(kept_without_preview(msg!(
                "ingest-variant-not-supported",
                "{what} not supported",
                what = what.to_string()
            )));
            return Ok(());
        }
        if let Some(why) = &inspection.over_budget {
            analysis
                .warnings
                .push(kept_without_preview(Message::english(why.to_string())));
            return Ok(());
        }
        let derive = self.derive_to(fact, store).map(|derive| sandbox::Derive {
            orientation: analysis.exif.as_ref().and_then(|e| e.orientation),
            ..derive
        });
        let drawing = sandbox::Drawing::Raster {
            pixels: inspection.pixels(),
        };
        match sandbox::draw(drawing, &file.batch.path, derive) {
            Ok((width, height)) => {
                analysis.media.width = Some(width);
                analysis.media.height = Some(height);
                Ok(())
            }
            Err(DeriveError::Unsupported(what)) => {
                analysis.warnings.push(kept_without_preview(msg!(
                    "ingest-variant-not-supported",
                    "{what} not supported",
                    what = what.to_string()
                )));
                Ok(())
            }
            Err(error) if index_disk_full(&error) => {
                analysis.warnings.push(derivatives_left(&error));
                Ok(())
            }
            // Its structure was walked whole above; a decode over a worker's budget (a 16-bit
            // picture near the pixel budget) or a decoder's failure costs the preview only.
            Err(DeriveError::Budget(reason)) => {
                analysis
                    .warnings
                    .push(kept_without_preview(Message::english(reason)));
                Ok(())
            }
            Err(error) => Err(refusal(fact, error)),
        }
    }
}

/// Why a file that cannot be decoded, drawn or derived is refused: "corrupt or truncated" only
/// for damage; a budget names itself ("too large to draw: …").
fn refusal(fact: &FileFacts, error: DeriveError) -> Message {
    match error {
        DeriveError::Decode(_) => crate::ingest::photo::corrupt(fact.format, &error.to_string()),
        DeriveError::Budget(reason) => Message::english(reason),
        DeriveError::Unsupported(_) => Message::english(error.to_string()),
        DeriveError::Io { .. } | DeriveError::Worker(_) | DeriveError::Encode { .. } => msg!(
            "ingest-derivatives-failed",
            "could not make derivatives: {error}",
            error = error.to_string()
        ),
    }
}

/// The refusal of a file the batch lists but that cannot be read (`error`, the system's words).
fn cannot_read(error: impl std::fmt::Display) -> Message {
    msg!(
        "ingest-file-cannot-read",
        "cannot read: {error}",
        error = error.to_string()
    )
}

/// Whether `error` is a failure to write derivatives into a full index disk: the index is
/// disposable, so the file is archived and its derivatives left to `disan reindex` (break-site
/// finding 7), instead of the file being refused.
fn index_disk_full(error: &DeriveError) -> bool {
    matches!(error, DeriveError::Io { .. } | DeriveError::Worker(_))
        && crate::index::is_disk_full(error)
}

/// The warning of a picture that is whole but of which no preview is made here, for `reason`
/// (a variant not supported, a decode past a worker's budget); the file is kept all the same.
fn kept_without_preview(reason: Message) -> Message {
    msg!(
        "ingest-kept-without-preview",
        "no preview: {reason}; the file is kept",
        reason = reason
    )
}

/// The warning of a file archived without derivatives because the index disk is full.
fn derivatives_left(error: &DeriveError) -> Message {
    msg!(
        "ingest-derivatives-left",
        "no preview yet: {error}; the file is archived, and `disan reindex` makes its previews once the index disk has room",
        error = error.to_string()
    )
}
