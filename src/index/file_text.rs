//! The text of a record's files, each file's read once per run.
//!
//! A PDF's text layer is read in a worker within the per-file deadline
//! ([`crate::index::sandbox::seconds`], 30 s). An ingest needs it twice (when the file is
//! analysed, for the warnings, and when its record is indexed) and a rebuild may need it twice
//! (stories are indexed again once the records they embed are known), so a reading that was
//! not kept would cost a slow PDF two deadlines (break-11b finding 2: 61 s for one file). Each
//! run therefore owns one [`FileTexts`]: what a file's reading gave is kept by the file's
//! digest, and passed on from the analysis to the indexing of its record.
//!
//! Memory: what is kept is bounded by [`KEPT_TEXT_BYTES`] of text (a reading without text, such
//! as a PDF over its deadline, costs a few bytes and is always kept). A reading past that bound
//! is still handed from the analysis to its record (see [`FileTexts::of_record`]'s `fresh`); only
//! a later need of the same file (a story indexed again at the end of the run) reads it again.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use super::derivatives::DeriveError;
use super::sandbox::{self, PdfText};
use crate::archive::Archive;
use crate::model::{Record, Sha256};

/// Bytes of extracted text one run keeps for files it may need again: 32 MiB (twice the text of
/// the largest PDF, [`sandbox::MAX_PDF_TEXT`]); part of an ingest's memory bound (see
/// [`crate::index::sandbox`]).
pub const KEPT_TEXT_BYTES: usize = 32 << 20;

/// Bytes of a plain-text file read as its text: 1 MB.
pub const MAX_PLAIN_TEXT: u64 = 1_000_000;

/// Bytes of a PDF whose text layer is read: 100 MB.
pub const MAX_PDF_SIZE: u64 = 100_000_000;

/// What reading one PDF's text layer gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdfReading {
    /// The text layer (possibly empty, possibly cut: its notes say), or an encrypted document.
    Read(PdfText),
    /// Over a budget of [`sandbox`] (time, memory, output): the reason.
    OverBudget(String),
    /// Not readable as a PDF (or a worker failure): no text, nothing to say.
    Unreadable,
}

impl PdfReading {
    /// The reading the outcome of [`sandbox::pdf_text`] is.
    pub fn from_result(result: Result<PdfText, DeriveError>) -> Self {
        match result {
            Ok(text) => PdfReading::Read(text),
            Err(DeriveError::Budget(reason)) => PdfReading::OverBudget(reason),
            // A PDF whose text cannot be read (scanned pages, unusual encodings) adds no text.
            Err(_) => PdfReading::Unreadable,
        }
    }

    /// The text to index, if any.
    pub fn text(&self) -> Option<&str> {
        match self {
            PdfReading::Read(pdf) if !pdf.encrypted => Some(&pdf.text),
            _ => None,
        }
    }

    /// What an archivist should know, one line each, without the file's name:
    /// "encrypted (password-protected): text not extracted", "not all text extracted: …",
    /// "text not extracted: took longer than 30 s …".
    pub fn warnings(&self) -> Vec<String> {
        match self {
            PdfReading::Read(pdf) if pdf.encrypted => {
                vec!["encrypted (password-protected): text not extracted".to_string()]
            }
            PdfReading::Read(pdf) => pdf
                .notes
                .iter()
                .map(|note| format!("not all text extracted: {note}"))
                .collect(),
            PdfReading::OverBudget(reason) => vec![format!("text not extracted: {reason}")],
            PdfReading::Unreadable => Vec::new(),
        }
    }

    fn text_bytes(&self) -> usize {
        self.text().map_or(0, str::len)
    }
}

/// The PDF readings of one run (an ingest, a rebuild, a reconciliation), by file digest.
#[derive(Default)]
pub struct FileTexts {
    memo: Mutex<Memo>,
}

#[derive(Default)]
struct Memo {
    readings: HashMap<Sha256, Arc<PdfReading>>,
    text_bytes: usize,
}

impl FileTexts {
    /// An empty set of readings.
    pub fn new() -> Self {
        Self::default()
    }

    /// The reading of the PDF with digest `sha256` at `path`: the one kept if this run read it
    /// already, else read now (in a worker, within the budgets of [`sandbox::pdf_text`]) and
    /// kept while [`KEPT_TEXT_BYTES`] has room.
    pub fn pdf(&self, sha256: &Sha256, path: &Path) -> Arc<PdfReading> {
        if let Some(kept) = self.kept(sha256) {
            return kept;
        }
        let reading = Arc::new(PdfReading::from_result(sandbox::pdf_text(path)));
        let mut memo = self.memo.lock().unwrap_or_else(|e| e.into_inner());
        let bytes = reading.text_bytes();
        if memo.text_bytes + bytes <= KEPT_TEXT_BYTES
            && memo.readings.insert(*sha256, reading.clone()).is_none()
        {
            memo.text_bytes += bytes;
        }
        reading
    }

    fn kept(&self, sha256: &Sha256) -> Option<Arc<PdfReading>> {
        let memo = self.memo.lock().unwrap_or_else(|e| e.into_inner());
        memo.readings.get(sha256).cloned()
    }

    /// Text worth indexing from `record`'s files, and a warning per file whose text was left out
    /// for a reason an archivist may act on ("files/bomb.pdf: text not extracted: …").
    ///
    /// Read: plain-text documents (not the Markdown bodies, which the record already carries)
    /// up to [`MAX_PLAIN_TEXT`], and the text layer of PDFs up to [`MAX_PDF_SIZE`]. A PDF's
    /// reading comes from `fresh` (readings the caller made for this record), else from those
    /// this run kept, else it is read now ([`FileTexts::pdf`]).
    pub fn of_record(
        &self,
        archive: &Archive,
        record: &Record,
        fresh: &[(Sha256, Arc<PdfReading>)],
    ) -> (String, Vec<String>) {
        let mut warnings = Vec::new();
        let Ok(Some(inventory)) = archive.record_inventory(&record.id) else {
            return (String::new(), warnings);
        };
        let mut text = String::new();
        for file in &record.files {
            let pdf = file.format.mime == "application/pdf";
            let readable = match file.format.mime.as_str() {
                "text/plain" => file.size <= MAX_PLAIN_TEXT,
                "application/pdf" => file.size <= MAX_PDF_SIZE,
                _ => false,
            };
            if !readable {
                continue;
            }
            let given = fresh
                .iter()
                .find(|(sha256, _)| *sha256 == file.sha256)
                .map(|(_, reading)| reading.clone());
            let path = || archive.file_path(&inventory, &file.path).ok().flatten();
            let content = if pdf {
                let Some(reading) = given.or_else(|| Some(self.pdf(&file.sha256, &path()?))) else {
                    continue;
                };
                warnings.extend(
                    reading
                        .warnings()
                        .into_iter()
                        .map(|warning| format!("{}: {warning}", file.path)),
                );
                reading.text().map(str::to_string)
            } else {
                path()
                    .and_then(|path| std::fs::read(path).ok())
                    .and_then(|bytes| String::from_utf8(bytes).ok())
            };
            if let Some(content) = content {
                text.push_str(&crate::model::text::nfc(&content));
                text.push('\n');
            }
        }
        (text, warnings)
    }
}
