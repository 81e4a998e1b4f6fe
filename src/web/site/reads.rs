//! What a viewer may see, decided before anything of a record is read, and every read of the
//! search index made safe: a damaged segment's error or panic becomes a logged 500 instead of
//! taking the server down.

use super::Site;
use crate::archive::Inventory;
use crate::index::search::SearchIndex;
use crate::model::access::Viewer;
use crate::model::{Record, RecordId};
use crate::web::error::WebError;

impl Site {
    /// Whether an anonymous visitor may see record `id`: it has a document in the public index.
    /// Nothing of the record is read, so a hidden id costs what an unknown id costs.
    ///
    /// When the index cannot be read (a damaged segment), the archive decides instead, so record
    /// pages and media keep being served while search answers 500: the record must be public in
    /// the archive and not among the ids an ingest announced it hides ([`crate::index::hiding`],
    /// published before the archive changes). This costs a read of the record, and is logged.
    pub fn is_visible(&self, id: &str) -> bool {
        self.is_visible_for(&Viewer::Anonymous, id)
    }

    /// The everyone index as `viewer` may see it; `None` for an anonymous viewer, who is
    /// answered by the public index and never touches the everyone index.
    ///
    /// # Errors
    /// [`WebError::Internal`] when the everyone index cannot be read.
    fn scoped(&self, viewer: &Viewer) -> Result<Option<SearchIndex>, WebError> {
        if *viewer == Viewer::Anonymous {
            return Ok(None);
        }
        self.search
            .for_viewer(viewer)
            .map_err(|error| WebError::Internal(self.index_damaged(&error)))
    }

    /// [`Site::is_visible`] for `viewer`: a signed-in viewer's scope of the everyone index
    /// decides (see [`crate::index::search::SearchIndex::for_viewer`]); when it cannot be read,
    /// the archive decides for that viewer as for the public.
    ///
    /// `id` must be the record's id exactly as written ([`RecordId::parse_exact`]): an address
    /// with a space or tab around it (`/records/{id}%20`) or a compatibility letter is no
    /// record's, whoever asks, so it answers what an unknown id answers, on every route that
    /// asks here (pages in both languages, the API, media, IIIF), before anything is read
    /// (issue 15: such an address answered the record's page).
    pub fn is_visible_for(&self, viewer: &Viewer, id: &str) -> bool {
        let Ok(id) = RecordId::parse_exact(id) else {
            return false;
        };
        let answer = match self.scoped(viewer) {
            Ok(None) => self.search.visible(id.as_str()),
            Ok(Some(scoped)) => scoped.visible(id.as_str()),
            Err(_) => Err(crate::index::search::SearchError::Damaged {
                path: self.search.path().to_path_buf(),
                reason: "the everyone index cannot be read".to_string(),
            }),
        };
        match answer {
            Ok(visible) => visible,
            Err(error) => {
                eprintln!("disan serve: {}", self.index_damaged(&error));
                let public = matches!(self.archive.record(&id), Ok(Some(record)) if viewer.may_see_record(&record));
                // Unless an ingest announced it hides the version the archive holds now (it is
                // about to write a narrower one).
                let head = match self.archive.record_inventory(&id) {
                    Ok(Some(inventory)) => inventory.head,
                    _ => String::new(),
                };
                public
                    && !self
                        .hiding
                        .current()
                        .iter()
                        .any(|hidden| hidden.id == id.as_str() && hidden.covers(&head))
            }
        }
    }

    /// The log line for an index that cannot be read.
    fn index_damaged(&self, error: &dyn std::fmt::Display) -> String {
        format!(
            "the search index {} cannot be read ({error}); search answers 500 until `disan reindex` rebuilds it (record pages and media are served from the archive meanwhile)",
            self.search.path().display()
        )
    }

    /// Runs `read` against the search index: an error or a panic (a corrupt segment can make
    /// tantivy's decoders panic) becomes a 500, logged naming the index and `disan reindex`,
    /// and never takes the server down.
    pub(in crate::web) fn read_index<T>(
        &self,
        read: impl FnOnce(&SearchIndex) -> Result<T, crate::index::search::SearchError>,
    ) -> Result<T, WebError> {
        self.read_index_for(&Viewer::Anonymous, read)
    }

    /// [`Site::read_index`] as `viewer` may see the index: the public index for an anonymous
    /// viewer, the viewer's scope of the everyone index otherwise.
    pub(in crate::web) fn read_index_for<T>(
        &self,
        viewer: &Viewer,
        read: impl FnOnce(&SearchIndex) -> Result<T, crate::index::search::SearchError>,
    ) -> Result<T, WebError> {
        let scoped = self.scoped(viewer)?;
        let index = scoped.as_ref().unwrap_or(&self.search);
        let caught = READING_INDEX.with(|reading| {
            reading.set(true);
            let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read(index)));
            reading.set(false);
            caught
        });
        match caught {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) => Err(WebError::Internal(self.index_damaged(&error))),
            Err(panic) => {
                let message = panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("a panic");
                Err(WebError::Internal(self.index_damaged(&message)))
            }
        }
    }

    /// A record an anonymous visitor may see, with its inventory; anything else is `NotFound`.
    /// See [`Site::public_record_withheld`], which also says whether its files were withheld.
    pub fn public_record(&self, id: &str) -> Result<(Record, Inventory), WebError> {
        self.public_record_withheld(id)
            .map(|(record, inventory, _)| (record, inventory))
    }

    /// A record an anonymous visitor may see, with its inventory and whether its files are
    /// withheld; anything else is `NotFound`.
    /// Its texts are those a visitor may read ([`crate::index::public_text::public_record`]).
    /// Positions written in its description (location columns, coordinates in `spatial` or
    /// `coverage`) are removed: see [`crate::index::location::columns`].
    ///
    /// A record whose files a visitor may not see ([`Viewer::may_see_files`]: `files_access`
    /// narrower than its public description) comes without them: no file, so no file URL,
    /// derivative, file name, size, technical metadata or EXIF reaches any route, and every
    /// media URL of it answers exactly as one of a record without that file. Its provenance path
    /// (a file name) is left out too, and so is its files rule (which would name the community):
    /// the third value says only that its files are reserved.
    ///
    /// Visibility is decided first, by [`Site::is_visible`], before the archive is touched; the
    /// record read is then checked again (the index may lag a change by a moment, and only ever
    /// towards showing less).
    pub fn public_record_withheld(&self, id: &str) -> Result<(Record, Inventory, bool), WebError> {
        self.record_for(&Viewer::Anonymous, id)
    }

    /// [`Site::public_record_withheld`] for `viewer`: the record when `viewer` may see it, its
    /// files when `viewer` may see them ([`Viewer::may_see_files`]), embeds of records `viewer`
    /// may see; anything else is `NotFound`, as for an id that never existed.
    pub fn record_for(
        &self,
        viewer: &Viewer,
        id: &str,
    ) -> Result<(Record, Inventory, bool), WebError> {
        let (record, inventory) = self.visible_head(viewer, id)?;
        let withheld = !viewer.may_see_files(&record);
        let record = self.project(viewer, &record, withheld);
        Ok((record, inventory, withheld))
    }

    /// Record `id`'s head description as the archive holds it (not projected: the caller
    /// projects it, or only reads its rules), when `viewer` may see the record
    /// ([`Viewer::may_see_record`]); decided from the index before the archive is touched.
    ///
    /// # Errors
    /// [`WebError::NotFound`] when the viewer may not see it or there is no such record;
    /// [`WebError::Internal`] when the archive cannot be read.
    pub(super) fn visible_head(
        &self,
        viewer: &Viewer,
        id: &str,
    ) -> Result<(Record, Inventory), WebError> {
        if !self.is_visible_for(viewer, id) {
            return Err(WebError::NotFound);
        }
        let id = RecordId::parse_exact(id).map_err(|_| WebError::NotFound)?;
        let inventory = self
            .archive
            .record_inventory(&id)
            .map_err(WebError::internal)?
            .ok_or(WebError::NotFound)?;
        let record = self
            .archive
            .record_from(&inventory)
            .map_err(WebError::internal)?;
        if !viewer.may_see_record(&record) {
            return Err(WebError::NotFound);
        }
        Ok((record, inventory))
    }

    /// The one projection of a record `viewer` may see ([`Viewer::may_see_record`], checked by
    /// the caller) that every page, the API and every citation are made from, whichever version
    /// of the record it is (the head, or an earlier one at `/records/{id}/v{n}`): texts as the
    /// viewer may read them, no files and no provenance path when `withheld`, no files rule,
    /// no written positions.
    pub(super) fn project(&self, viewer: &Viewer, record: &Record, withheld: bool) -> Record {
        // Every text as a visitor may read it: embeds of records that are not public leave no
        // id and no caption in anything made from it (page, API, JSON-LD, Open Graph, citation),
        // and links to records or products it may not see leave their words only.
        // A link to a product (`product:<id>`) stays only when `viewer` may see the product.
        let authorities = self.authorities();
        let mut record =
            crate::index::public_text::public_record(record, self.own_site(), &|embedded| {
                match embedded.strip_prefix(crate::index::public_text::PRODUCT_KEY) {
                    Some(product) => authorities.product(product, viewer).is_some(),
                    None => self.is_visible_for(viewer, embedded),
                }
            });
        if withheld {
            record.files.clear();
            record.provenance.path.clear();
        }
        record.files_access = None;
        // Positions written in the sheet are kept in the archive, never sent.
        crate::index::location::columns::withhold_written_positions(&mut record);
        record
    }
}

impl Site {
    /// [`Site::record_for`] as the JSON API shows it (`/api/records/{id}`) and OAI-PMH writes it
    /// (`oai_dc`): also without the products `viewer` may not see (not even as ids, issue 14),
    /// and without the GPS position and impossible dates of any file's EXIF. One projection for
    /// both, so neither can show what the other hides.
    pub fn projected_for(
        &self,
        viewer: &Viewer,
        id: &str,
    ) -> Result<(Record, Inventory, bool), WebError> {
        let (mut record, inventory, withheld) = self.record_for(viewer, id)?;
        self.project_for_api(viewer, &mut record);
        Ok((record, inventory, withheld))
    }

    /// What [`Site::projected_for`] leaves out beyond [`Site::record_for`]'s projection: the
    /// products `viewer` may not see, and each file's EXIF GPS position and impossible date.
    pub(super) fn project_for_api(&self, viewer: &Viewer, record: &mut Record) {
        let authorities = self.authorities();
        record
            .products
            .retain(|product| authorities.product(product.as_str(), viewer).is_some());
        for file in &mut record.files {
            file.exif = file.exif.take().map(|mut exif| {
                exif.gps = None;
                exif.without_impossible_date()
            });
        }
    }
}

thread_local! {
    /// Set while [`Site::read_index`] runs a read it catches panics of.
    static READING_INDEX: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Installs a panic hook that stays silent for panics [`Site::read_index`] catches (a damaged
/// segment makes tantivy's decoders panic; the request logs one line naming the index and
/// `disan reindex`), instead of a message and, under `RUST_BACKTRACE`, a backtrace for every
/// request (3,148 lines for 16 requests, break-site finding 10). Other panics are reported by
/// the hook that was installed before.
pub(in crate::web) fn quiet_index_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !READING_INDEX.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
}
