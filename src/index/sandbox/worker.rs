//! The worker's side: `disan __sandbox MEMORY SECONDS TASK PATH [INDEX SHA256 ORIENTATION|MIME]`.
//!
//! The worker caps itself ([`super::limits`]), does one task and answers on standard output;
//! an error is one line on standard error and an exit status naming its class, so the parent
//! can tell a damaged file from an unsupported one and from one over budget. The same task
//! functions run in process when no worker binary is registered.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::limits::{self, Limits};
use super::{Derive, Drawing, MAX_PDF_PAGE_CONTENT, MAX_PDF_TEXT, PdfText};
use crate::index::derivatives::{self, DerivativeStore, DeriveError};
use crate::model::Sha256;

/// Exit status: the file is damaged ([`DeriveError::Decode`]).
pub(super) const CORRUPT: i32 = 3;
/// Exit status: the file is well-formed but not supported ([`DeriveError::Unsupported`]).
pub(super) const UNSUPPORTED: i32 = 4;
/// Exit status: the file is over a budget ([`DeriveError::Budget`]).
pub(super) const OVER_BUDGET: i32 = 5;
/// Exit status: anything else (bad arguments, a derivative that cannot be written).
pub(super) const FAILED: i32 = 6;

/// Runs the worker with the arguments after the subcommand name; returns the exit status.
pub fn worker_main(args: Vec<OsString>) -> i32 {
    match work(args) {
        Ok(answer) => {
            let mut stdout = std::io::stdout().lock();
            if stdout
                .write_all(&answer)
                .and_then(|()| stdout.flush())
                .is_err()
            {
                return FAILED;
            }
            0
        }
        Err(error) => {
            let (status, message) = match error {
                DeriveError::Decode(message) => (CORRUPT, message),
                DeriveError::Unsupported(message) => (UNSUPPORTED, message),
                DeriveError::Budget(message) => (OVER_BUDGET, message),
                other => (FAILED, other.to_string()),
            };
            eprintln!("{}", message.replace('\n', " "));
            status
        }
    }
}

fn work(args: Vec<OsString>) -> Result<Vec<u8>, DeriveError> {
    let usage = || DeriveError::Io {
        path: PathBuf::from(super::SUBCOMMAND),
        source: std::io::Error::other("usage: MEMORY SECONDS TASK PATH [INDEX SHA256 ORIENTATION]"),
    };
    let text = |index: usize| args.get(index).and_then(|a| a.to_str());
    let number = |index: usize| text(index).and_then(|t| t.parse::<u64>().ok());
    let (Some(memory), Some(cpu_seconds), Some(task), Some(path)) =
        (number(0), number(1), text(2), args.get(3))
    else {
        return Err(usage());
    };
    // Before any byte of the file is read: a worker never outlives its parent, and works
    // within its limits.
    let parent = std::env::var(limits::PARENT_VARIABLE)
        .ok()
        .and_then(|pid| pid.parse().ok());
    limits::die_with_parent(parent).map_err(|source| DeriveError::Io {
        path: PathBuf::from("prctl"),
        source,
    })?;
    limits::apply(Limits {
        memory,
        cpu_seconds,
    })
    .map_err(|source| DeriveError::Io {
        path: PathBuf::from("setrlimit"),
        source,
    })?;
    let path = Path::new(path);
    let sha256 = text(5).and_then(|hex| hex.parse::<Sha256>().ok());
    let derive = match (args.get(4), sha256) {
        (Some(root), Some(sha256)) => Some(Derive {
            store_root: Path::new(root),
            sha256,
            orientation: number(6).filter(|o| *o > 0).map(|o| o as u16),
        }),
        _ => None,
    };
    let drawing = match task {
        "location" => {
            let (Some(root), Some(sha256), Some(mime)) = (args.get(4), sha256, text(6)) else {
                return Err(usage());
            };
            let store = DerivativeStore::at(Path::new(root));
            return crate::index::location::ensure(&store, path, &sha256, mime)
                .map(|decision| format!("{:?}\n", decision.status).into_bytes())
                .map_err(|error| DeriveError::Io {
                    path: path.to_path_buf(),
                    source: std::io::Error::other(error.to_string()),
                });
        }
        "raster" => Drawing::Raster { pixels: 0 },
        "svg" => Drawing::Svg,
        "pdf-text" => return pdf_text_in_process(path).map(|text| pdf_answer(&text)),
        _ => return Err(usage()),
    };
    let (width, height) = draw_in_process(drawing, path, derive)?;
    Ok(format!("{width} {height}\n").into_bytes())
}

/// [`super::draw`] in this process.
pub(super) fn draw_in_process(
    drawing: Drawing,
    path: &Path,
    derive: Option<Derive>,
) -> Result<(u32, u32), DeriveError> {
    let image = match drawing {
        Drawing::Raster { .. } => derivatives::decode(path)?,
        Drawing::Svg => {
            let bytes = derivatives::read_source(path)?;
            derivatives::rasterise_svg(&bytes)?
        }
    };
    if let Some(derive) = derive {
        let size = (image.width(), image.height());
        DerivativeStore::at(derive.store_root).write_with_tiles(
            &derive.sha256,
            image,
            derive.orientation,
        )?;
        return Ok(size);
    }
    Ok((image.width(), image.height()))
}

/// [`super::pdf_text`] in this process: lopdf, page by page, each page's decompressed content
/// bounded by [`MAX_PDF_PAGE_CONTENT`] and the text by [`MAX_PDF_TEXT`].
pub(super) fn pdf_text_in_process(path: &Path) -> Result<PdfText, DeriveError> {
    let bytes = derivatives::read_source(path)?;
    let declares_encryption = |bytes: &[u8]| bytes.windows(8).any(|w| w == b"/Encrypt");
    let mut document = match lopdf::Document::load_mem(&bytes) {
        Ok(document) => document,
        Err(_) if declares_encryption(&bytes) => {
            return Ok(PdfText {
                encrypted: true,
                ..PdfText::default()
            });
        }
        Err(error) => return Err(DeriveError::Decode(format!("not a readable PDF: {error}"))),
    };
    // A PDF with an empty user password opens in any viewer without asking: its text is read.
    if document.is_encrypted() && document.decrypt("").is_err() {
        return Ok(PdfText {
            encrypted: true,
            ..PdfText::default()
        });
    }
    let mut text = PdfText::default();
    let mut over_budget: Vec<u32> = Vec::new();
    for number in document.get_pages().into_keys() {
        if text.text.len() >= MAX_PDF_TEXT {
            text.notes.push(format!(
                "text cut at {} MiB (the budget per file)",
                MAX_PDF_TEXT >> 20
            ));
            break;
        }
        match document.extract_text_with_limit(&[number], MAX_PDF_PAGE_CONTENT) {
            Ok(page) => {
                let room = MAX_PDF_TEXT - text.text.len();
                let mut end = page.len().min(room);
                while !page.is_char_boundary(end) {
                    end -= 1;
                }
                text.text.push_str(&page[..end]);
            }
            Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                ..
            })) => {
                over_budget.push(number);
            }
            // A page whose text cannot be read (unusual encodings) adds nothing, as before.
            Err(_) => {}
        }
    }
    if let Some(first) = over_budget.first() {
        text.notes.insert(
            0,
            format!(
                "text of {} page{} not read: {} content is over the {} MiB budget per page (first: page {first})",
                over_budget.len(),
                if over_budget.len() == 1 { "" } else { "s" },
                if over_budget.len() == 1 { "its" } else { "their" },
                MAX_PDF_PAGE_CONTENT >> 20
            ),
        );
    }
    Ok(text)
}

/// The worker's answer for a PDF: `text` or `encrypted`, a line of tab-separated notes, the text.
fn pdf_answer(text: &PdfText) -> Vec<u8> {
    let status = if text.encrypted { "encrypted" } else { "text" };
    let notes: Vec<String> = text
        .notes
        .iter()
        .map(|n| n.replace(['\t', '\n'], " "))
        .collect();
    format!("{status}\n{}\n{}", notes.join("\t"), text.text).into_bytes()
}

/// Reads [`pdf_answer`] back.
pub(super) fn parse_pdf_answer(answer: &[u8]) -> Result<PdfText, DeriveError> {
    let answer = String::from_utf8_lossy(answer);
    let mut parts = answer.splitn(3, '\n');
    let (Some(status), Some(notes), Some(text)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(DeriveError::Decode(
            "the text worker gave no answer".to_string(),
        ));
    };
    Ok(PdfText {
        text: text.to_string(),
        encrypted: status == "encrypted",
        notes: notes
            .split('\t')
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_answers_read_back() {
        let text = PdfText {
            text: "trang một\nhai".to_string(),
            encrypted: false,
            notes: vec!["text of 1 page not read".to_string()],
        };
        assert_eq!(parse_pdf_answer(&pdf_answer(&text)).unwrap(), text);
    }
}
