//! Ingest benchmarks, measured side by side with the standard tools in one run, printed as ratios.
//!
//! 1. Hashing: Disan's streamed SHA-256 against `openssl dgst -sha256` over the same 1 GB of files.
//! 2. Derivatives: Disan's 1600 px + 400 px JPEGs of 12-megapixel photos against `vipsthumbnail`
//!    (libvips) making the same two sizes, in process and as ingest makes them (each photo in a
//!    sandbox worker process, `disan __sandbox`), with the cost of starting one worker.
//! 3. Memory: peak resident memory of `disan ingest` on a batch holding a 2 GB film.
//!
//! Run with `cargo bench --bench ingest`. Tools it needs: openssl, vipsthumbnail (Debian
//! `libvips-tools`), GNU time (`/usr/bin/time`); a missing tool skips that comparison, saying so.
//! Scratch data goes to a temporary folder (about 5 GB) and is removed at the end.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use disan::index::derivatives::{self, DerivativeStore};
use disan::index::sandbox;
use disan::model::Sha256;
use rayon::prelude::*;

const HASH_FILES: usize = 8;
const HASH_FILE_SIZE: usize = 128 << 20;
const PHOTOS: usize = 8;
const PHOTO_SIZE: (u32, u32) = (4000, 3000);
const FILM_SIZE: u64 = 2 << 30;

fn main() {
    let scratch = tempfile::tempdir_in(
        std::env::var_os("DISAN_BENCH_DIR").unwrap_or(std::env::temp_dir().into()),
    )
    .expect("scratch folder");
    println!(
        "Disan ingest benchmarks ({} cores)\n",
        rayon::current_num_threads()
    );
    hashing(scratch.path());
    derivatives_against_vips(scratch.path());
    film_memory(scratch.path());
}

fn best_of<T>(runs: usize, mut work: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        last = Some(work());
        best = best.min(start.elapsed());
    }
    (best, last.expect("at least one run"))
}

fn has_tool(name: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn hashing(scratch: &Path) {
    println!(
        "== SHA-256 over {} files, {} MB in all",
        HASH_FILES,
        (HASH_FILES * HASH_FILE_SIZE) >> 20
    );
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let files: Vec<PathBuf> = (0..HASH_FILES)
        .map(|i| {
            let path = scratch.join(format!("hash-{i}.bin"));
            let mut data = vec![0u8; HASH_FILE_SIZE];
            for chunk in data.chunks_mut(8) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                chunk.copy_from_slice(&state.to_le_bytes()[..chunk.len()]);
            }
            fs::write(&path, data).expect("write hash input");
            path
        })
        .collect();
    let bytes = (HASH_FILES * HASH_FILE_SIZE) as f64;
    // Warm the page cache so both sides read from memory, not disk.
    for file in &files {
        let _ = disan::archive::hash_file(file);
    }
    let (disan_one, digests) = best_of(3, || {
        files
            .iter()
            .map(|f| disan::archive::hash_file(f).expect("hash").0)
            .collect::<Vec<Sha256>>()
    });
    let (disan_all, _) = best_of(3, || {
        files
            .par_iter()
            .map(|f| disan::archive::hash_file(f).expect("hash").0)
            .collect::<Vec<Sha256>>()
    });
    println!(
        "disan, one thread:        {:7.0} MB/s",
        bytes / disan_one.as_secs_f64() / 1e6
    );
    println!(
        "disan, as ingest (all cores): {:7.0} MB/s",
        bytes / disan_all.as_secs_f64() / 1e6
    );
    if !has_tool("openssl") {
        println!("openssl not found: comparison skipped\n");
        return;
    }
    let (openssl, output) = best_of(3, || {
        Command::new("openssl")
            .arg("dgst")
            .arg("-sha256")
            .args(&files)
            .output()
            .expect("openssl")
    });
    let text = String::from_utf8_lossy(&output.stdout);
    for (digest, file) in digests.iter().zip(&files) {
        assert!(
            text.contains(&digest.to_hex()),
            "openssl disagrees about {}",
            file.display()
        );
    }
    println!(
        "openssl dgst -sha256:     {:7.0} MB/s",
        bytes / openssl.as_secs_f64() / 1e6
    );
    println!(
        "ratio disan/openssl (same single stream): {:.2}   (goal: at least 0.9)\n",
        openssl.as_secs_f64() / disan_one.as_secs_f64()
    );
    for file in files {
        let _ = fs::remove_file(file);
    }
}

/// A photo-like test image: smooth gradients with fine texture and edges, so JPEG entropy
/// decoding costs what it costs on real photographs.
fn synthetic_photo(seed: u32) -> Vec<u8> {
    let (width, height) = PHOTO_SIZE;
    let mut rgb = Vec::with_capacity((width * height * 3) as usize);
    let mut noise = seed.wrapping_mul(2_654_435_761) | 1;
    for y in 0..height {
        for x in 0..width {
            noise ^= noise << 13;
            noise ^= noise >> 17;
            noise ^= noise << 5;
            let grain = (noise & 0x1f) as i32 - 16;
            let stripe = if ((x / 37) + (y / 53) + seed) % 7 == 0 {
                40
            } else {
                0
            };
            let r = (x * 200 / width) as i32 + grain + stripe;
            let g = (y * 180 / height) as i32 + grain;
            let b = (((x + y) / 23 % 90) as i32) + 60 + grain - stripe;
            rgb.extend([r, g, b].map(|c| c.clamp(0, 255) as u8));
        }
    }
    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, 92)
        .encode(
            &rgb,
            width as u16,
            height as u16,
            jpeg_encoder::ColorType::Rgb,
        )
        .expect("encode test photo");
    jpeg
}

fn derivatives_against_vips(scratch: &Path) {
    println!(
        "== 1600 px and 400 px derivatives of {PHOTOS} photos of {}x{} (12 MP)",
        PHOTO_SIZE.0, PHOTO_SIZE.1
    );
    let photos_dir = scratch.join("photos");
    fs::create_dir_all(&photos_dir).expect("photos dir");
    let photos: Vec<PathBuf> = (0..PHOTOS as u32)
        .into_par_iter()
        .map(|i| {
            let path = photos_dir.join(format!("photo-{i}.jpg"));
            fs::write(&path, synthetic_photo(i)).expect("write photo");
            path
        })
        .collect();
    let index = scratch.join("index");
    let derive = |photo: &PathBuf| {
        let store = DerivativeStore::new(&index);
        let bytes = fs::read(photo).expect("read photo");
        let decoded = derivatives::decode_bytes(&bytes).expect("decode");
        store
            .write(
                &Sha256::of(photo.to_string_lossy().as_bytes()),
                &decoded,
                None,
            )
            .expect("derive");
    };
    let (one_thread, ()) = best_of(2, || photos.iter().for_each(derive));
    let (in_process, ()) = best_of(2, || photos.par_iter().for_each(derive));
    // As ingest makes them: each photo decoded and derived in a worker process.
    sandbox::isolate_with(PathBuf::from(env!("CARGO_BIN_EXE_disan")));
    let sandboxed_store = scratch.join("index-sandboxed").join("derivatives");
    let derive_in_worker = |photo: &PathBuf| {
        let derive = sandbox::Derive {
            store_root: &sandboxed_store,
            sha256: Sha256::of(photo.to_string_lossy().as_bytes()),
            orientation: None,
        };
        let pixels = u64::from(PHOTO_SIZE.0) * u64::from(PHOTO_SIZE.1);
        sandbox::draw(sandbox::Drawing::Raster { pixels }, photo, Some(derive)).expect("derive");
    };
    let (all_cores, ()) = best_of(2, || photos.par_iter().for_each(derive_in_worker));
    let tiny = scratch.join("tiny.png");
    image::RgbImage::new(1, 1).save(&tiny).expect("tiny png");
    let spawns = 50;
    let (spawning, ()) = best_of(2, || {
        for _ in 0..spawns {
            sandbox::draw(sandbox::Drawing::Raster { pixels: 1 }, &tiny, None).expect("worker");
        }
    });
    let per_photo = |d: Duration| d.as_secs_f64() * 1000.0 / PHOTOS as f64;
    println!(
        "disan, one thread:            {:6.1} ms per photo",
        per_photo(one_thread)
    );
    println!(
        "disan, in process, all cores: {:6.1} ms per photo",
        per_photo(in_process)
    );
    println!(
        "disan, as ingest (a worker process per photo, all cores): {:6.1} ms per photo",
        per_photo(all_cores)
    );
    println!(
        "starting one worker (decoding a 1-pixel PNG):  {:6.2} ms",
        spawning.as_secs_f64() * 1000.0 / spawns as f64
    );
    if !has_tool("vipsthumbnail") {
        println!("vipsthumbnail not found (apt-get install libvips-tools): comparison skipped\n");
        return;
    }
    let out = scratch.join("vips");
    fs::create_dir_all(&out).expect("vips dir");
    let vips = |files: &[PathBuf]| {
        for size in ["1600", "400"] {
            let status = Command::new("vipsthumbnail")
                .args(files)
                .args(["--size", size, "-o"])
                .arg(format!("{}/%s-{size}.jpg[Q=82,strip]", out.display()))
                .status()
                .expect("vipsthumbnail");
            assert!(status.success());
        }
    };
    let (vips_one, ()) = best_of(2, || vips(&photos));
    let halves: Vec<&[PathBuf]> = photos.chunks(photos.len().div_ceil(2)).collect();
    let (vips_two, ()) = best_of(2, || {
        std::thread::scope(|scope| {
            for half in &halves {
                scope.spawn(|| vips(half));
            }
        })
    });
    println!(
        "vipsthumbnail, one process:   {:6.1} ms per photo",
        per_photo(vips_one)
    );
    println!(
        "vipsthumbnail, two processes: {:6.1} ms per photo",
        per_photo(vips_two)
    );
    println!(
        "ratio vips/disan as each runs (one vipsthumbnail call per size vs ingest): {:.2}   (goal: above 1)",
        vips_one.as_secs_f64() / all_cores.as_secs_f64()
    );
    println!(
        "ratio vips/disan, both on all cores: {:.2}; both on one thread-of-work each: {:.2}\n",
        vips_two.as_secs_f64() / all_cores.as_secs_f64(),
        vips_one.as_secs_f64() / one_thread.as_secs_f64()
    );
}

fn film_memory(scratch: &Path) {
    println!(
        "== peak memory of `disan ingest` on a batch holding a {} GB film",
        FILM_SIZE >> 30
    );
    if !Path::new("/usr/bin/time").exists() {
        println!("/usr/bin/time not found (apt-get install time): skipped\n");
        return;
    }
    let batch = scratch.join("film-batch");
    fs::create_dir_all(batch.join("objects")).expect("batch dir");
    // A real (tiny) MP4 followed by a 2 GB 'free' box: every byte is hashed and copied, and the
    // container parser must skip what it does not need.
    let fixture =
        fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/media/testsrc.mp4"))
            .expect("fixture film");
    let film = batch.join("objects/phim-dai.mp4");
    let mut file = fs::File::create(&film).expect("film");
    file.write_all(&fixture).expect("film");
    let payload = FILM_SIZE - fixture.len() as u64;
    file.write_all(&1u32.to_be_bytes()).expect("film");
    file.write_all(b"free").expect("film");
    file.write_all(&(payload).to_be_bytes()).expect("film");
    let mut written = 16u64;
    let block = vec![0x5au8; 8 << 20];
    while written < payload {
        let n = block.len().min((payload - written) as usize);
        file.write_all(&block[..n]).expect("film");
        written += n as u64;
    }
    drop(file);
    let output = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(env!("CARGO_BIN_EXE_disan"))
        .arg("--archive")
        .arg(scratch.join("film-archive"))
        .arg("--index")
        .arg(scratch.join("film-index"))
        .args(["ingest", "--json"])
        .arg(&batch)
        .output()
        .expect("disan ingest");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    let peak_kb: u64 = stderr
        .lines()
        .find_map(|line| {
            line.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|kb| kb.trim().parse().ok())
        .expect("GNU time reports the peak");
    let elapsed = stderr
        .lines()
        .find_map(|line| {
            line.trim()
                .strip_prefix("Elapsed (wall clock) time (h:mm:ss or m:ss): ")
        })
        .unwrap_or("?");
    println!(
        "peak resident memory: {:.1} MB   (goal: under 200 MB); wall time {elapsed}\n",
        peak_kb as f64 / 1024.0
    );
}
