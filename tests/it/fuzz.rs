//! A fuzz-style property test of `disan ingest`: damaged files of every supported format, and
//! damaged spreadsheets and front matter, never take the run down.
//!
//! Valid seed files (JPEG, PNG, TIFF, GIF, WebP, BMP, SVG, PDF, MP4, QuickTime, WebM/Matroska,
//! WAV, FLAC, MP3, Ogg Vorbis and Opus, Markdown with YAML and TOML front matter, and
//! `metadata.csv`) are mutated as files are damaged in the wild: bits flipped, the end cut off,
//! a length field set huge, a chunk duplicated. Each batch goes through the real binary under a
//! memory cap (`prlimit --as`, address space) and a deadline. The property, for every batch:
//!
//! * the process ends by itself, with exit code 0 or 1: no abort, signal or panic;
//! * the JSON report gives every file of the batch a fate;
//! * every error names a file of the batch.
//!
//! The generator is a seeded SplitMix64, so a run is reproducible: a failure prints the seed and
//! the batch is kept (`DISAN_FUZZ_KEEP=1` keeps every batch). `DISAN_FUZZ_SEED` and
//! `DISAN_FUZZ_BATCHES` choose another seed and more batches for a longer hunt.

use std::collections::BTreeSet;
use std::fs;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::tools;

/// The address-space cap of one ingest. Ingest's peak memory must stay under 1 GiB; address
/// space also counts thread stacks and mapped files, hence the margin.
const MEMORY_CAP: u64 = 2 << 30;
/// How long one batch may take in a debug build before it counts as hung.
const DEADLINE: Duration = Duration::from_secs(45);
/// Batches in a default run (about 20 damaged files each), sized to keep the test under a minute.
const BATCHES: u64 = 20;

/// SplitMix64 (Steele, Lea and Flood 2014): small, fast and good enough to choose mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One way a file gets damaged.
#[derive(Debug, Clone, Copy)]
enum Mutation {
    /// 1 to 16 bits flipped anywhere.
    BitFlips,
    /// The end cut off at a random point.
    Truncate,
    /// Four bytes near the start (where headers and their length fields are) set to a huge
    /// number, big- or little-endian.
    HugeLength,
    /// A slice of the file repeated in place (a duplicated chunk, box or element).
    Duplicate,
    /// A number written in text (an SVG size, a PDF object length, a front-matter date) made
    /// huge: the length fields of text formats.
    HugeNumber,
    /// Two of the above.
    Twice,
}

const MUTATIONS: [Mutation; 6] = [
    Mutation::BitFlips,
    Mutation::Truncate,
    Mutation::HugeLength,
    Mutation::Duplicate,
    Mutation::HugeNumber,
    Mutation::Twice,
];

fn mutate(bytes: &[u8], mutation: Mutation, rng: &mut Rng) -> Vec<u8> {
    let mut out = bytes.to_vec();
    if out.is_empty() {
        return out;
    }
    match mutation {
        Mutation::BitFlips => {
            // Mostly one or two, as a failing sector or a bad copy leaves them.
            let flips = [1, 1, 2, 4, 16][rng.below(5)];
            for _ in 0..flips {
                let at = rng.below(out.len());
                out[at] ^= 1 << rng.below(8);
            }
        }
        Mutation::Truncate => out.truncate(rng.below(out.len())),
        Mutation::HugeLength => {
            let huge: u32 = [0xFFFF_FFFF, 0x7FFF_FFFF, 0x8000_0000, 0x0100_0000][rng.below(4)];
            let bytes = if rng.below(2) == 0 {
                huge.to_be_bytes()
            } else {
                huge.to_le_bytes()
            };
            let window = out.len().min(512).saturating_sub(4).max(1);
            let at = rng.below(window);
            for (i, b) in bytes.iter().enumerate() {
                if let Some(slot) = out.get_mut(at + i) {
                    *slot = *b;
                }
            }
        }
        Mutation::Duplicate => {
            let start = rng.below(out.len());
            let len = 1 + rng.below((out.len() - start).min(4096));
            let chunk = out[start..start + len].to_vec();
            let at = rng.below(out.len() + 1);
            out.splice(at..at, chunk);
        }
        Mutation::HugeNumber => {
            let runs: Vec<(usize, usize)> = out
                .iter()
                .enumerate()
                .filter(|(i, b)| b.is_ascii_digit() && (*i == 0 || !out[i - 1].is_ascii_digit()))
                .map(|(i, _)| {
                    (
                        i,
                        out[i..].iter().take_while(|b| b.is_ascii_digit()).count(),
                    )
                })
                .collect();
            if !runs.is_empty() {
                let (at, len) = runs[rng.below(runs.len())];
                let huge: &[u8] = [
                    b"4294967295".as_slice(),
                    b"99999999999999999999",
                    b"1e308",
                    b"2147483648",
                ][rng.below(4)];
                out.splice(at..at + len, huge.iter().copied());
            }
        }
        Mutation::Twice => {
            let first = MUTATIONS[rng.below(5)];
            let second = MUTATIONS[rng.below(5)];
            out = mutate(&mutate(&out, first, rng), second, rng);
        }
    }
    out
}

/// A small picture encoded by the `image` crate, for the formats no fixture holds.
fn encoded(format: image::ImageFormat) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(24, 16, |x, y| {
        image::Rgb([(x * 10) as u8, (y * 15) as u8, ((x + y) * 5) as u8])
    });
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgb8(picture)
        .write_to(&mut Cursor::new(&mut bytes), format)
        .expect("encode a seed image");
    bytes
}

/// The valid seed files: (name stem, extension, bytes).
fn seeds() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let mut progressive = Vec::new();
    let rgb: Vec<u8> = (0..64 * 48 * 3).map(|i| (i % 251) as u8).collect();
    let mut encoder = jpeg_encoder::Encoder::new(&mut progressive, 80);
    encoder.set_progressive(true);
    encoder
        .encode(&rgb, 64, 48, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><defs><mask id="m"><rect width="40" height="30" fill="white"/></mask><pattern id="p" width="4" height="4" patternUnits="userSpaceOnUse"><rect width="2" height="2"/></pattern><filter id="f"><feGaussianBlur stdDeviation="1"/></filter></defs><rect width="40" height="30" fill="url(#p)" mask="url(#m)" filter="url(#f)"/><use href="#m"/></svg>"##.to_vec();
    let text_pdf = crate::hostile::pdf(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
        crate::hostile::flate_stream(b"BT /F1 12 Tf 72 712 Td (lang nghe) Tj ET"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ]);
    let markdown = "---\ndc.title: Kỹ thuật\nx: &x lụa\ndc.subject: [dệt, *x, {a: b}]\naccess: public\n---\n# Dệt\n\nNội dung *nghiêng*.\n".as_bytes().to_vec();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let read = |path: &str| fs::read(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    vec![
        (
            "jpeg",
            "jpg",
            read("batches/valid/objects/anh/mat-trong.jpg"),
        ),
        (
            "jpeg-exif",
            "jpg",
            read("batches/gps-original/objects/anh/nha-nghe-nhan.jpg"),
        ),
        ("png", "png", read("batches/location/objects/nha-xuong.png")),
        ("tiff", "tif", read("batches/location/objects/ban-quet.tif")),
        ("gif", "gif", encoded(image::ImageFormat::Gif)),
        ("webp", "webp", encoded(image::ImageFormat::WebP)),
        ("bmp", "bmp", encoded(image::ImageFormat::Bmp)),
        (
            "svg",
            "svg",
            read("batches/valid/objects/hoa-van/hinh-thoi.svg"),
        ),
        (
            "pdf",
            "pdf",
            read("batches/valid/objects/khac/tai-lieu.pdf"),
        ),
        ("mp4", "mp4", read("media/testsrc.mp4")),
        ("mov", "mov", read("media/testsrc.mov")),
        ("webm", "webm", read("media/testsrc.webm")),
        ("wav", "wav", read("media/sine.wav")),
        ("flac", "flac", read("media/sine.flac")),
        ("mp3", "mp3", read("media/sine.mp3")),
        ("vorbis", "ogg", read("media/sine-vorbis.ogg")),
        ("opus", "ogg", read("media/sine-opus.ogg")),
        (
            "yaml",
            "md",
            read("batches/valid/objects/ky-thuat/boc-trong.md"),
        ),
        ("toml", "md", read("batches/valid/objects/le-hoi/le-hoi.md")),
        ("jpeg-progressive", "jpg", progressive),
        ("svg-references", "svg", svg),
        ("pdf-text", "pdf", text_pdf),
        ("yaml-aliases", "md", markdown),
    ]
}

/// More seeds from the folder `DISAN_FUZZ_SEEDS` names (every file in it, by its extension),
/// to hunt around a file that once failed.
fn extra_seeds() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let Some(dir) = std::env::var_os("DISAN_FUZZ_SEEDS") else {
        return Vec::new();
    };
    let mut seeds = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let ext = entry
            .path()
            .extension()
            .map_or("bin".to_string(), |e| e.to_string_lossy().into_owned());
        seeds.push((
            "extra",
            &*Box::leak(ext.into_boxed_str()),
            fs::read(entry.path()).unwrap(),
        ));
    }
    seeds
}

/// Writes batch `n`: every seed damaged once, `villages.csv` and `crafts.csv` intact, and a
/// `metadata.csv` describing half the files, itself damaged in every other batch.
fn write_batch(dir: &Path, n: u64, rng: &mut Rng, seeds: &[(&str, &str, Vec<u8>)]) -> Vec<String> {
    let valid = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/batches/valid");
    fs::create_dir_all(dir.join("objects")).unwrap();
    fs::create_dir_all(dir.join("metadata")).unwrap();
    for sheet in ["villages.csv", "crafts.csv"] {
        fs::copy(
            valid.join("metadata").join(sheet),
            dir.join("metadata").join(sheet),
        )
        .unwrap();
    }
    let mut written = Vec::new();
    let mut sheet = String::from(
        "filename,dc.title,dc.title@en,dc.description,dc.date,kind,village,access,lunar_date\n",
    );
    for (i, (stem, ext, bytes)) in seeds.iter().enumerate() {
        let mutation = MUTATIONS[rng.below(MUTATIONS.len())];
        let name = format!("objects/b{n}-{i:02}-{stem}-{mutation:?}.{ext}");
        fs::write(dir.join(&name), mutate(bytes, mutation, rng)).unwrap();
        if rng.below(2) == 0 {
            let kind = match *ext {
                "md" => "technique",
                "pdf" => "document",
                "mp4" | "mov" | "webm" => "film",
                "wav" | "flac" | "mp3" | "ogg" => "audio",
                _ => "photo",
            };
            sheet.push_str(&format!(
                "{name},Tệp hỏng {i},\"Damaged, file {i}\",\"Mô tả\nhai dòng\",20{:02},{kind},Nha Xa,{},{}-{}\n",
                rng.below(30),
                ["public", "researchers", "restricted"][rng.below(3)],
                1 + rng.below(12),
                1 + rng.below(30),
            ));
        }
        written.push(name);
    }
    let sheet = if n % 2 == 1 {
        let sheet = if rng.below(2) == 0 {
            sheet.replace('\n', "\r\n")
        } else {
            sheet
        };
        mutate(sheet.as_bytes(), MUTATIONS[rng.below(MUTATIONS.len())], rng)
    } else {
        sheet.into_bytes()
    };
    fs::write(dir.join("metadata/metadata.csv"), sheet).unwrap();
    written.push("metadata/metadata.csv".to_string());
    written.push("metadata/villages.csv".to_string());
    written.push("metadata/crafts.csv".to_string());
    written
}

/// What one capped run of `disan ARGS` ended with.
struct Run {
    /// The exit code, or `None` when a signal ended it.
    code: Option<i32>,
    /// The signal that ended it, if one did.
    signal: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
    elapsed: Duration,
}

/// Runs `disan` with `args` under the memory cap and the deadline (killed when it passes).
fn capped(workspace: &Path, args: &[&str]) -> Run {
    let mut command = Command::new("prlimit");
    command
        .arg(format!("--as={MEMORY_CAP}"))
        .arg("--core=0")
        .arg(env!("CARGO_BIN_EXE_disan"))
        .arg("--archive")
        .arg(workspace.join("archive"))
        .arg("--index")
        .arg(workspace.join("index"))
        .args(args)
        // glibc reserves 64 MiB of address space per malloc arena; two keep the cap about memory.
        .env("MALLOC_ARENA_MAX", "2")
        .env_remove("DISAN_ARCHIVE")
        .env_remove("DISAN_INDEX")
        // The message of a panic or abort, not pages of backtrace.
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = command.spawn().expect("run prlimit");
    // Read the pipes on threads so a full pipe cannot stall the child.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let stdout = std::thread::spawn(move || {
        let mut buffer = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut buffer).ok();
        buffer
    });
    let stderr = std::thread::spawn(move || {
        let mut buffer = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut buffer).ok();
        buffer
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let elapsed = started.elapsed();
    let stdout = stdout.join().unwrap();
    let stderr = String::from_utf8_lossy(&stderr.join().unwrap()).into_owned();
    match status {
        Some(status) => Run {
            code: status.code(),
            signal: std::os::unix::process::ExitStatusExt::signal(&status),
            stdout,
            stderr,
            elapsed,
        },
        None => Run {
            code: None,
            signal: None,
            stdout,
            stderr: format!("killed after {DEADLINE:?} (hung)\n{stderr}"),
            elapsed,
        },
    }
}

/// What is wrong with one batch's run, if anything.
fn judge(run: &Run, written: &[String]) -> Vec<String> {
    let mut faults = Vec::new();
    if !matches!(run.code, Some(0 | 1)) {
        let tail: Vec<&str> = run.stderr.lines().rev().take(4).collect();
        faults.push(format!(
            "exit {:?}, signal {:?} (abort, panic or deadline) after {:.1?}; stderr ends: {:?}",
            run.code, run.signal, run.elapsed, tail
        ));
        return faults;
    }
    let report: Value = match serde_json::from_slice(&run.stdout) {
        Ok(report) => report,
        Err(error) => {
            faults.push(format!("no JSON report ({error}); stderr: {}", run.stderr));
            return faults;
        }
    };
    let files = report["files"].as_object().cloned().unwrap_or_default();
    for name in written {
        match files.get(name) {
            Some(fate) if fate["outcome"].is_string() => {}
            _ => faults.push(format!("{name}: no fate in the report")),
        }
    }
    let known: BTreeSet<&str> = written.iter().map(String::as_str).collect();
    for problem in report["problems"].as_array().cloned().unwrap_or_default() {
        let file = problem["file"].as_str().unwrap_or_default();
        if problem["severity"] == "error" && !known.contains(file) {
            faults.push(format!("an error names no file of the batch: {problem}"));
        }
    }
    let errors = report["problems"]
        .as_array()
        .map_or(0, |p| p.iter().filter(|p| p["severity"] == "error").count());
    if (errors > 0) != (run.code == Some(1)) {
        faults.push(format!("exit {:?} with {errors} errors", run.code));
    }
    faults
}

#[test]
fn damaged_files_of_every_format_never_take_ingest_down() {
    if tools::skip(
        if tools::runs("prlimit", &["--version"]) {
            &[]
        } else {
            &["prlimit"]
        },
        "DISAN_REQUIRE_PRLIMIT",
        "apt-get install util-linux",
    ) {
        return;
    }
    let seed: u64 = std::env::var("DISAN_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x00D1_5A11);
    let batches: u64 = std::env::var("DISAN_FUZZ_BATCHES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(BATCHES);
    let keep = std::env::var_os("DISAN_FUZZ_KEEP").is_some();
    let workspace = tempfile::tempdir().unwrap();
    let mut seeds = seeds();
    seeds.extend(extra_seeds());
    let mut rng = Rng(seed);
    let mut failures = Vec::new();
    let mut slowest = Duration::ZERO;
    for n in 0..batches {
        let dir = workspace.path().join(format!("batch-{n}"));
        let written = write_batch(&dir, n, &mut rng, &seeds);
        let run = capped(
            workspace.path(),
            &["ingest", "--json", dir.to_str().unwrap()],
        );
        slowest = slowest.max(run.elapsed);
        let faults = judge(&run, &written);
        if !faults.is_empty() {
            failures.push(format!(
                "batch {n} ({}):\n  {}",
                dir.display(),
                faults.join("\n  ")
            ));
        }
    }
    // Whatever went in can be indexed again.
    let run = capped(workspace.path(), &["reindex"]);
    if !matches!(run.code, Some(0 | 1)) {
        failures.push(format!("reindex: exit {:?}: {}", run.code, run.stderr));
    }
    if !failures.is_empty() || keep {
        // Keep the batches to reproduce from.
        let kept: PathBuf = workspace.keep();
        assert!(
            failures.is_empty(),
            "seed {seed}: {} of {batches} batches failed (kept in {}):\n{}",
            failures.len(),
            kept.display(),
            failures.join("\n")
        );
    }
    eprintln!("fuzz: seed {seed}, {batches} batches, slowest ingest {slowest:.1?}");
}
