//! Opening the search index (creating it, recreating one of an older schema, telling a damaged
//! folder from one that cannot be read), the pair of public and everyone indexes kept in step,
//! taking its writer and loading its latest commit.

use super::*;

/// An error opening an existing index, as [`SearchError::Damaged`] unless the folder simply
/// cannot be read or locked (permissions, the writer's lock), which rebuilding would not cure.
fn damaged(dir: &Path, error: tantivy::TantivyError) -> SearchError {
    use tantivy::directory::error::{OpenDirectoryError, OpenReadError};
    let io_kind = match &error {
        tantivy::TantivyError::LockFailure(..) => return SearchError::Tantivy(error),
        tantivy::TantivyError::OpenReadError(OpenReadError::IoError { io_error, .. }) => {
            Some(io_error.kind())
        }
        tantivy::TantivyError::OpenDirectoryError(OpenDirectoryError::IoError {
            io_error, ..
        }) => Some(io_error.kind()),
        tantivy::TantivyError::IoError(io_error) => Some(io_error.kind()),
        _ => None,
    };
    match io_kind {
        Some(kind @ (std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::StorageFull)) => {
            SearchError::Io {
                path: dir.to_path_buf(),
                reason: std::io::Error::new(kind, error.to_string()),
            }
        }
        _ => SearchError::Damaged {
            path: dir.to_path_buf(),
            reason: error.to_string(),
        },
    }
}

/// Whether a file name is one tantivy gives the files of an index folder: `meta.json`,
/// `.managed.json`, its lock files, a temporary file of an atomic write (`.tmp…`) and segment
/// files (`<32 hex digits>.<extension>`, deletes `<32 hex digits>.<opstamp>.del`).
pub fn is_tantivy_file(name: &str) -> bool {
    if matches!(
        name,
        "meta.json" | ".managed.json" | ".tantivy-meta.lock" | ".tantivy-writer.lock"
    ) || name.starts_with(".tmp")
    {
        return true;
    }
    let Some((segment, extension)) = name.split_once('.') else {
        return false;
    };
    segment.len() == 32
        && segment.bytes().all(|b| b.is_ascii_hexdigit())
        && !extension.is_empty()
        && extension
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.')
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it when missing. An index written by an incompatible
    /// version of Disan is deleted and recreated empty (it is rebuilt by `disan reindex`).
    /// Segments are read with positioned reads, never memory-mapped, and a folder that cannot be
    /// written is served as it is (see [`directory`]).
    ///
    /// # Errors
    /// [`SearchError::Damaged`] when `dir` is not a folder or the index in it cannot be read
    /// (a missing, truncated or corrupt file, a garbled `meta.json`); [`SearchError::Io`] when
    /// the folder cannot be created or read for another reason (permissions, a full disk).
    pub fn open_or_create(dir: &Path) -> Result<Self, SearchError> {
        Self::open_for(dir, Audience::Public)
    }

    /// Opens the public index in `dir` and the everyone index in `everyone` beside it, kept in
    /// step ([`SearchIndex::companion`]). When the two do not say they reflect the same archive
    /// state (a new Disan found no `search-all` yet, or a run stopped between their commits),
    /// the pair reports [`SearchIndex::was_recreated`], so [`crate::index::open_current`] rebuilds both
    /// from the archive.
    ///
    /// # Errors
    /// As [`SearchIndex::open_or_create`], for either folder.
    pub fn open_pair(dir: &Path, everyone: &Path) -> Result<Self, SearchError> {
        let mut public = Self::open_for(dir, Audience::Public)?;
        let all = Self::open_for(everyone, Audience::Everyone)?;
        let payload = |index: &SearchIndex| -> Result<Option<String>, SearchError> {
            Ok(index.index.load_metas()?.payload)
        };
        if all.recreated || payload(&public)? != payload(&all)? {
            public.recreated = true;
        }
        public.companion = Some(Box::new(all));
        Ok(public)
    }

    /// Opens the index of `audience` in `dir`, as [`SearchIndex::open_or_create`].
    fn open_for(dir: &Path, audience: Audience) -> Result<Self, SearchError> {
        let io = |reason| SearchError::Io {
            path: dir.to_path_buf(),
            reason,
        };
        match std::fs::metadata(dir) {
            Ok(metadata) if !metadata.is_dir() => {
                return Err(SearchError::Damaged {
                    path: dir.to_path_buf(),
                    reason: "it is not a folder".to_string(),
                });
            }
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(dir).map_err(io)?;
            }
            Err(error) => return Err(io(error)),
        }
        let (schema, fields) = schema();
        let open = |schema: Schema| -> Result<(Index, IndexReader), tantivy::TantivyError> {
            let directory = directory::ReadAtDirectory::open(dir)?;
            let index = Index::open_or_create(directory, schema)?;
            let reader = index.reader()?;
            Ok((index, reader))
        };
        let mut recreated = false;
        let (index, reader) = match open(schema.clone()) {
            Ok(opened) => opened,
            Err(tantivy::TantivyError::SchemaError(_)) => {
                recreated = true;
                std::fs::remove_dir_all(dir).map_err(io)?;
                std::fs::create_dir_all(dir).map_err(io)?;
                open(schema).map_err(|error| damaged(dir, error))?
            }
            Err(error) => return Err(damaged(dir, error)),
        };
        index
            .tokenizers()
            .register(TOKENIZER, crate::index::analysis::analyzer());
        index.tokenizers().register(
            ENGLISH_TOKENIZER,
            crate::index::analysis::english_analyzer(),
        );
        index
            .tokenizers()
            .register(PAIRS_TOKENIZER, crate::index::analysis::pairs_analyzer());
        index.tokenizers().register(
            ENGLISH_FOLDED_TOKENIZER,
            crate::index::analysis::english_folded_analyzer(),
        );
        let meta = dir.join("meta.json");
        let loaded = crate::index::hiding::FileMark::of(&meta);
        Ok(SearchIndex {
            index,
            reader,
            fields,
            recreated,
            audience,
            meta,
            loaded: Arc::new(Mutex::new(loaded)),
            suppressed: Arc::default(),
            collection: Arc::default(),
            companion: None,
            scope: None,
            scopes: Arc::default(),
            visible_memo: Arc::default(),
        })
    }

    /// The audience this index is built for.
    pub fn audience(&self) -> Audience {
        self.audience
    }

    /// What the last commit says the index reflects (see [`crate::index::sync`]).
    pub fn state(&self) -> Result<crate::index::sync::IndexState, SearchError> {
        let metas = self.index.load_metas()?;
        Ok(crate::index::sync::IndexState::from_payload(
            metas.payload.as_deref(),
        ))
    }

    /// The index folder.
    pub fn path(&self) -> &Path {
        self.meta.parent().unwrap_or(&self.meta)
    }

    /// Whether opening found an index written by an incompatible version of Disan and replaced it
    /// with an empty one, which [`crate::index::open_current`] then rebuilds from the archive.
    pub fn was_recreated(&self) -> bool {
        self.recreated
    }

    /// Takes the single writer.
    pub fn indexer(&self) -> Result<Indexer, SearchError> {
        let companion = match &self.companion {
            Some(all) => Some(Box::new(all.indexer()?)),
            None => None,
        };
        Ok(Indexer {
            writer: self.index.writer(WRITER_MEMORY)?,
            fields: self.fields,
            audience: self.audience,
            index: self.index.clone(),
            companion,
        })
    }

    /// Makes the latest commit visible now (readers otherwise see it within about a second).
    pub fn reload(&self) -> Result<(), SearchError> {
        if let Some(all) = &self.companion {
            all.reload()?;
        }
        Ok(self.reader.reload()?)
    }

    /// Makes the latest commit visible now if there is one the reader has not loaded: one `stat`
    /// of `meta.json` when nothing changed, a synchronous reload when it did. Called before
    /// answering anything that reads the index, so a request that starts after a commit (such as
    /// the one that hides a record, made before the archive hides it) always sees it, instead of
    /// within tantivy's reload delay (about half a second).
    ///
    /// # Errors
    /// [`SearchError::Tantivy`] when the new commit cannot be loaded (the previous one stays
    /// loaded, and the next call tries again).
    pub fn refresh(&self) -> Result<(), SearchError> {
        if let Some(all) = &self.companion {
            all.refresh()?;
        }
        let now = crate::index::hiding::FileMark::of(&self.meta);
        let mut loaded = self
            .loaded
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if *loaded != now {
            self.reader.reload()?;
            *loaded = now;
        }
        Ok(())
    }
}
