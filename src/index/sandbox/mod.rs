//! Untrusted decoders run within budgets: one hostile file costs at most its own refusal.
//!
//! Archivists ingest whatever phones, scanners and office PCs produce, and every decoder Disan
//! uses has been made to abort (a 10 TB pixmap asked for by a 243-byte SVG), overflow its stack
//! (1,000 chained SVG masks), take gigabytes (a 27 KB PDF's text, a 382-byte JPEG's
//! coefficients) or run for ever (chained SVG blurs). An abort or a stack overflow cannot be caught
//! inside a process, so the mechanism is chosen per decoder:
//!
//! * **limits inside the library where it has them**, applied in every process: `image`'s
//!   [`image::Limits`] and a pixel count read from the header before decoding
//!   ([`MAX_PIXELS`]), `lopdf`'s bounded decompression per page, a reference-depth check of SVGs
//!   before `usvg` sees them, caps on YAML front matter ([`crate::ingest::frontmatter`]);
//! * **a worker process for renderers without reliable limits** (resvg, lopdf's text extraction,
//!   raster decoding): the `disan` binary re-executes itself as a hidden `__sandbox` subcommand
//!   ([`worker_main`]), which first caps its own address space and processor time
//!   (`limits`), then decodes one file and answers on its standard output. The parent kills it
//!   at a wall-clock deadline ([`seconds`]) and turns an abort, a stack overflow, an exhausted
//!   budget or a crash into a named error for that file ([`DeriveError::Budget`]). A worker
//!   dies with its parent (`PR_SET_PDEATHSIG`), so an ingest killed outright leaves no decoder
//!   running.
//!
//! Memory: untrusted files take at most [`UNTRUSTED_MEMORY`] (640 MiB) at once, shared by the
//! workers' address space (an ordinary file's worker reserves [`WORKER_MEMORY`], a large
//! image's [`LARGE_WORKER_MEMORY`], so it runs alone) and the whole files the ingest process
//! itself reads (structure walks, location checks: each at most [`held::HELD_BYTES`]; see
//! [`held`]). A worker's address space bounds its resident memory, so the peak resident memory of
//! an ingest's whole process tree is at most, whatever the batch holds:
//!
//! | share | bound |
//! | --- | --- |
//! | workers and files held, together | 640 MiB ([`UNTRUSTED_MEMORY`]) |
//! | the search index writer's buffer | 256 MiB (tantivy's budget, `index::search`) |
//! | text kept for records indexed again | 32 MiB ([`crate::index::file_text::KEPT_TEXT_BYTES`]) |
//! | text of the PDF each thread is indexing | 16 MiB per thread ([`MAX_PDF_TEXT`]) |
//! | the program, hashing and copy buffers | about 30 MiB |
//!
//! 640 + 256 + 32 + 2 × 16 + 30 = 990 MiB on two cores, under the 1 GiB goal of issue 11 (each
//! further core adds 16 MiB). Before the workers and held files shared one budget, the held
//! files had 384 MiB of their own (and the EXIF reader copied a held TIFF), and four 374 MB
//! scans took the tree to 0.99–1.07 GB; after, 401 MB (break-11b finding 5).
//!
//! A worker costs a `fork`+`exec` of the binary (about 3 ms, measured by
//! `cargo bench --bench ingest`), small beside decoding a photo (tens of ms), so each file gets a
//! fresh one: nothing a hostile file does can outlive it. (`benches/hostile.py` measures the
//! hostile files themselves.)
//!
//! Workers are used once the binary registers itself ([`isolate_with`], done by `main`); a
//! library user that does not (unit tests, benchmarks) decodes in process with the library
//! limits only.

pub mod held;
mod limits;
mod worker;

use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{OnceLock, mpsc};
use std::time::Duration;

pub use self::worker::worker_main;
use crate::index::derivatives::DeriveError;
use crate::model::Sha256;

/// The hidden subcommand a worker runs as (`disan __sandbox …`).
pub const SUBCOMMAND: &str = "__sandbox";

/// Wall-clock seconds one file may take to be decoded, drawn or have its text extracted
/// (the "no file costs more than 30 s"). `DISAN_DECODE_SECONDS` may lower or raise it.
pub const SECONDS: u64 = 30;

/// Pixels a raster image may declare (read from its header before decoding): 128 megapixels,
/// e.g. a 13,000 × 9,800 scan of a pattern (issue 16 asks deep zoom of 100-megapixel masters).
/// Decoded at 8 bits that is 384 MB, and its pyramid's second level 96 MB more
/// ([`crate::index::derivatives::pyramid`]), within a [`LARGE_WORKER_MEMORY`] worker; a
/// picture whose decoder needs more (16 bits a sample, an alpha channel) runs out of that
/// worker's memory and is kept without a preview, as over a budget. Larger images are kept
/// without a preview (their structure is still walked for damage: see
/// [`crate::index::derivatives::inspect`]).
pub const MAX_PIXELS: u64 = 128_000_000;

/// Images above this many pixels get a [`LARGE_WORKER_MEMORY`] worker (16 megapixels).
pub const SMALL_PIXELS: u64 = 16_000_000;

/// Address space (bytes) of the worker for an ordinary file: 320 MiB, of which the program and
/// its shared libraries (libheif and its codecs among them) take some 75 MiB at start.
pub const WORKER_MEMORY: u64 = 320 << 20;

/// Address space (bytes) of the worker for an image of more than [`SMALL_PIXELS`]: 640 MiB,
/// enough for 64 megapixels of 16-bit RGB and its 8-bit copy.
pub const LARGE_WORKER_MEMORY: u64 = 640 << 20;

/// Memory (bytes) untrusted files may take at once, for one process and its workers: 640 MiB,
/// shared by the workers' address space and the files the process holds ([`held`]): two
/// ordinary workers, or one large one, or one ordinary worker and a held file of up to 320 MiB.
pub const UNTRUSTED_MEMORY: u64 = 640 << 20;

/// Bytes of text kept from one PDF: 16 MiB (a 5,000-page book); the rest is not indexed.
pub const MAX_PDF_TEXT: usize = 16 << 20;

/// Bytes of decompressed content one PDF page may have for its text to be read: 1 MiB (about
/// 45,000 text operators, which lopdf parses into ~110 MB).
/// (Text pages hold tens of KB; the text-extraction bomb holds 54 MB on one page.)
pub const MAX_PDF_PAGE_CONTENT: usize = 1 << 20;

/// Bytes a worker may write to the parent beyond the text: status lines.
const OUTPUT_SLACK: usize = 64 << 10;

/// Bytes of a worker's standard error kept for its error message.
const STDERR_KEPT: u64 = 16 << 10;

static WORKER: OnceLock<PathBuf> = OnceLock::new();

/// Runs decoders in worker processes made by re-executing `exe` (the `disan` binary, whose
/// `main` hands `disan __sandbox …` to [`worker_main`]). Called once, at start-up.
pub fn isolate_with(exe: PathBuf) {
    let _ = WORKER.set(exe);
}

/// The wall-clock budget per file: [`SECONDS`], or `DISAN_DECODE_SECONDS` when set to a
/// positive number.
pub fn seconds() -> u64 {
    static SECONDS_SET: OnceLock<u64> = OnceLock::new();
    *SECONDS_SET.get_or_init(|| {
        std::env::var("DISAN_DECODE_SECONDS")
            .ok()
            .and_then(|value| value.parse().ok())
            .filter(|value| *value > 0)
            .unwrap_or(SECONDS)
    })
}

/// What to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drawing {
    /// A raster image (JPEG, PNG, TIFF, …) declaring this many pixels.
    Raster {
        /// Width × height from its header.
        pixels: u64,
    },
    /// An SVG pattern.
    Svg,
}

impl Drawing {
    fn verb(self) -> &'static str {
        match self {
            Drawing::Raster { .. } => "decode",
            Drawing::Svg => "draw",
        }
    }

    fn memory(self) -> u64 {
        match self {
            Drawing::Raster { pixels } if pixels > SMALL_PIXELS => LARGE_WORKER_MEMORY,
            _ => WORKER_MEMORY,
        }
    }
}

/// Where to write the derivatives of a drawing, if anywhere.
#[derive(Debug, Clone, Copy)]
pub struct Derive<'a> {
    /// The derivative store's folder (`index/derivatives` or `index/derivatives-private`:
    /// [`crate::index::derivatives::DerivativeStore::root`]).
    pub store_root: &'a Path,
    /// Digest of the source, which names its derivatives.
    pub sha256: Sha256,
    /// EXIF orientation (1 to 8) to turn the derivatives upright.
    pub orientation: Option<u16>,
}

/// The text layer of a PDF.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PdfText {
    /// The text (pages in order), at most [`MAX_PDF_TEXT`] bytes.
    pub text: String,
    /// The document is encrypted: no text was read.
    pub encrypted: bool,
    /// What was left out and why (pages over budget, text cut), for a warning.
    pub notes: Vec<String>,
}

/// Decodes (or draws) the image at `path`, proving it whole, and writes its derivatives when
/// `derive` says where; returns its stored width and height in pixels.
///
/// Errors: [`DeriveError::Decode`] for a damaged file, [`DeriveError::Unsupported`] for one our
/// decoders cannot draw, [`DeriveError::Budget`] for one over a budget (too many pixels, too
/// much memory, too deeply nested, too slow).
pub fn draw(
    drawing: Drawing,
    path: &Path,
    derive: Option<Derive>,
) -> Result<(u32, u32), DeriveError> {
    let Some(exe) = WORKER.get() else {
        return worker::draw_in_process(drawing, path, derive);
    };
    let task = match drawing {
        Drawing::Raster { .. } => "raster",
        Drawing::Svg => "svg",
    };
    let mut args = vec![task.into(), path.as_os_str().to_owned()];
    if let Some(derive) = derive {
        args.push(derive.store_root.as_os_str().to_owned());
        args.push(derive.sha256.to_hex().into());
        args.push(derive.orientation.unwrap_or(0).to_string().into());
    }
    let output = run(exe, &args, drawing.memory(), drawing.verb(), OUTPUT_SLACK)?;
    let text = String::from_utf8_lossy(&output);
    let mut numbers = text.split_whitespace().map(str::parse::<u32>);
    match (numbers.next(), numbers.next()) {
        (Some(Ok(width)), Some(Ok(height))) => Ok((width, height)),
        _ => Err(DeriveError::Decode(format!(
            "the {} worker answered {:?}",
            drawing.verb(),
            text.trim()
        ))),
    }
}

/// Reads the text layer of the PDF at `path` within the budgets ([`MAX_PDF_PAGE_CONTENT`],
/// [`MAX_PDF_TEXT`], [`WORKER_MEMORY`], [`seconds`]).
///
/// Errors: [`DeriveError::Decode`] when the file cannot be read as a PDF,
/// [`DeriveError::Budget`] when it is over a budget.
pub fn pdf_text(path: &Path) -> Result<PdfText, DeriveError> {
    let Some(exe) = WORKER.get() else {
        return worker::pdf_text_in_process(path);
    };
    let args = vec!["pdf-text".into(), path.as_os_str().to_owned()];
    let output = run(
        exe,
        &args,
        WORKER_MEMORY,
        "extract text",
        MAX_PDF_TEXT + OUTPUT_SLACK,
    )?;
    worker::parse_pdf_answer(&output)
}

/// Whether the location check of files of type `mime` runs in a worker: PDFs (every stream
/// decoded, up to 256 MB each) and ZIP-based documents (every member inflated). The other
/// formats' checks read a bounded structure in process.
pub fn checks_location_in_worker(mime: &str) -> bool {
    mime == "application/pdf"
        || mime == "application/zip"
        || mime == "application/epub+zip"
        || mime.starts_with("application/vnd.openxmlformats")
        || mime.starts_with("application/vnd.oasis.opendocument")
}

/// Makes (and keeps) the decision of what anonymous visitors are sent of the original at `path`
/// ([`crate::index::location::ensure`]), in a worker with [`LARGE_WORKER_MEMORY`] for the
/// formats [`checks_location_in_worker`] names, in process for the others.
///
/// Errors: the check failed (reading or writing) or went over a budget; the message says which.
pub fn check_location(
    store: &crate::index::derivatives::DerivativeStore,
    path: &Path,
    sha256: &Sha256,
    mime: &str,
) -> Result<(), String> {
    use crate::index::location;
    let in_process = || {
        location::ensure(store, path, sha256, mime)
            .map(drop)
            .map_err(|error| error.to_string())
    };
    let Some(exe) = WORKER.get() else {
        return in_process();
    };
    if !checks_location_in_worker(mime) || location::kept(store, sha256).is_some() {
        return in_process();
    }
    let args = vec![
        "location".into(),
        path.as_os_str().to_owned(),
        store.root().as_os_str().to_owned(),
        sha256.to_hex().into(),
        mime.into(),
    ];
    match run(exe, &args, LARGE_WORKER_MEMORY, "check", OUTPUT_SLACK) {
        // A check that cannot finish within its budgets withholds the original (deny by
        // default); the file itself is kept.
        Err(DeriveError::Budget(reason)) => {
            return location::withhold(store, sha256, format!("the check {reason}"))
                .map(drop)
                .map_err(|error| error.to_string());
        }
        other => other,
    }
    .map(drop)
    .map_err(|error| match error {
        DeriveError::Decode(message) => message,
        DeriveError::Io { source, .. } => source.to_string(),
        DeriveError::Worker(message) => message,
        other => other.to_string(),
    })
}

/// The line of a worker's standard error that says what happened: the message after a panic's
/// "panicked at" line, else the last line.
fn worker_message(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.trim().lines().collect();
    let panic = lines
        .iter()
        .position(|line| line.contains("panicked at"))
        .and_then(|at| lines.get(at + 1));
    panic
        .or(lines.last())
        .map_or_else(String::new, |line| line.trim().to_string())
}

/// Runs one worker with `memory` bytes of address space and the per-file deadline; returns its
/// standard output (at most `max_output` bytes) or the error its end means.
fn run(
    exe: &Path,
    args: &[std::ffi::OsString],
    memory: u64,
    verb: &str,
    max_output: usize,
) -> Result<Vec<u8>, DeriveError> {
    let seconds = seconds();
    let _reservation = held::MEMORY.reserve(memory.min(UNTRUSTED_MEMORY));
    let mut child = Command::new(exe)
        .arg(SUBCOMMAND)
        .arg(memory.to_string())
        .arg(seconds.to_string())
        .args(args)
        .env(limits::PARENT_VARIABLE, std::process::id().to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| DeriveError::Io {
            path: exe.to_path_buf(),
            source,
        })?;
    let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(DeriveError::Io {
            path: exe.to_path_buf(),
            source: std::io::Error::other(format!("the {verb} worker has no pipes")),
        });
    };
    let (done, finished) = mpsc::channel();
    let out_reader = std::thread::spawn(move || {
        let mut output = Vec::new();
        let result = stdout.take(max_output as u64 + 1).read_to_end(&mut output);
        let _ = done.send(());
        result.map(|_| output)
    });
    let err_reader = std::thread::spawn(move || {
        let mut kept = Vec::new();
        let mut stderr = stderr;
        let _ = (&mut stderr).take(STDERR_KEPT).read_to_end(&mut kept);
        let _ = std::io::copy(&mut stderr, &mut std::io::sink());
        String::from_utf8_lossy(&kept).into_owned()
    });
    let timed_out = matches!(
        finished.recv_timeout(Duration::from_secs(seconds)),
        Err(mpsc::RecvTimeoutError::Timeout)
    );
    if timed_out {
        let _ = child.kill();
    }
    let output = out_reader
        .join()
        .ok()
        .and_then(Result::ok)
        .unwrap_or_default();
    let too_much = output.len() > max_output;
    if too_much {
        let _ = child.kill();
    }
    let status = child.wait().map_err(|source| DeriveError::Io {
        path: exe.to_path_buf(),
        source,
    })?;
    let stderr = err_reader.join().unwrap_or_default();
    let message = worker_message(&stderr);
    if timed_out {
        return Err(DeriveError::Budget(format!(
            "took longer than {seconds} s to {verb} (the budget per file)"
        )));
    }
    if too_much {
        return Err(DeriveError::Budget(format!(
            "too large to {verb}: more than {max_output} bytes of output"
        )));
    }
    match (status.code(), status.signal()) {
        (Some(0), _) => Ok(output),
        (Some(worker::CORRUPT), _) => Err(DeriveError::Decode(message)),
        (Some(worker::UNSUPPORTED), _) => Err(DeriveError::Unsupported(message)),
        (Some(worker::OVER_BUDGET), _) => Err(DeriveError::Budget(message)),
        // The message names the file the worker failed on; the binary's own path is no part of it.
        (Some(worker::FAILED), _) => Err(DeriveError::Worker(message)),
        _ if stderr.contains("memory allocation of") || stderr.contains("out of memory") => {
            Err(DeriveError::Budget(format!(
                "too large to {verb}: it needs more than {} MiB of memory",
                memory >> 20
            )))
        }
        _ if stderr.contains("overflowed its stack") => Err(DeriveError::Budget(format!(
            "too deeply nested to {verb} (the decoder ran out of stack)"
        ))),
        (_, Some(libc::SIGXCPU | libc::SIGKILL)) => Err(DeriveError::Budget(format!(
            "took more than {seconds} s of processor time to {verb}"
        ))),
        // A decoder that crashes or panics has met bytes it could not make sense of, damaged
        // or not: the file is refused without calling it corrupt (it may be a decoder's bug).
        (_, Some(signal)) => Err(DeriveError::Budget(format!(
            "could not {verb} it: the decoder crashed (signal {signal}{})",
            if message.is_empty() {
                String::new()
            } else {
                format!(": {message}")
            }
        ))),
        (Some(code), _) => Err(DeriveError::Budget(format!(
            "could not {verb} it: the decoder failed (exit {code}: {message})"
        ))),
        (None, None) => Err(DeriveError::Decode(format!("the {verb} worker failed"))),
    }
}
