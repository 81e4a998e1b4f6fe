//! IIIF deep-zoom benchmark (issue 16): "a 256-pixel tile from a 100-megapixel master, p99
//! under 50 ms warm".
//!
//! 1. A synthetic 12,000 × 8,400 photo (100.8 megapixels, a smooth pattern with detail at every
//!    scale, so each tile's JPEG is of realistic size) is written as a JPEG into a batch and
//!    ingested by the real `disan ingest` (the decode and the pyramid in a sandbox worker, with
//!    its budgets); the time and the pyramid's size are printed.
//! 2. The site is served on a loopback socket with the accept loop and limits of `disan serve`
//!    (`benches/search/http.rs`); one keep-alive client reads info.json, then asks for random
//!    tiles exactly as OpenSeadragon asks for them (`x,y,w,h/w,h/0/default.jpg` on the tile
//!    grid of a scale factor in info.json): a warm-up pass, then the timed requests.
//! 3. Printed: p50, p90, p99 and the worst of the timed tiles, and p99's ratio to the 50 ms goal;
//!    then the same for requests off the tile grid (composed from tiles, scaled), for scale.
//!
//! Run with `cargo bench --bench iiif` (`DISAN_BENCH_TILES`, default 2000 timed tiles;
//! `DISAN_BENCH_DIR` for the scratch folder, about 200 MB).

#[allow(dead_code)]
#[path = "search/http.rs"]
mod http;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const WIDTH: u32 = 12_000;
const HEIGHT: u32 = 8_400;
const GOAL: Duration = Duration::from_millis(50);

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(default)
}

/// A small deterministic generator (xorshift64*), so runs ask for the same tiles.
struct Random(u64);

impl Random {
    fn below(&mut self, n: u32) -> u32 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as u32 % n.max(1)
    }
}

/// Writes the synthetic master as a JPEG (quality 90) at `path`, row band by row band.
fn write_master(path: &Path) {
    let mut rgb = vec![0u8; WIDTH as usize * HEIGHT as usize * 3];
    for (y, row) in rgb.chunks_exact_mut(WIDTH as usize * 3).enumerate() {
        let y = y as u32;
        for (x, pixel) in row.chunks_exact_mut(3).enumerate() {
            let x = x as u32;
            // Broad gradients, a woven 64-px pattern, and fine 3-px threads.
            pixel[0] = ((x * 255 / WIDTH) as u8).wrapping_add(((x / 3 + y / 3) % 2 * 24) as u8);
            pixel[1] = ((y * 255 / HEIGHT) as u8) ^ (((x / 64 + y / 64) % 2) * 60) as u8;
            pixel[2] = ((x ^ y) % 256) as u8 / 2 + 64;
        }
    }
    let mut encoded = Vec::new();
    jpeg_encoder::Encoder::new(&mut encoded, 90)
        .encode(
            &rgb,
            WIDTH as u16,
            HEIGHT as u16,
            jpeg_encoder::ColorType::Rgb,
        )
        .expect("encode the master");
    std::fs::write(path, encoded).expect("write the master");
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

fn report(name: &str, mut times: Vec<Duration>) -> Duration {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let p99 = percentile(&times, 0.99);
    println!(
        "{name}: {} requests, p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, worst {:.2} ms",
        times.len(),
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.9)),
        ms(p99),
        ms(*times.last().expect("timed requests")),
    );
    p99
}

fn main() {
    let tiles = setting("DISAN_BENCH_TILES", 2000);
    let scratch = tempfile::tempdir_in(
        std::env::var_os("DISAN_BENCH_DIR").unwrap_or(std::env::temp_dir().into()),
    )
    .expect("scratch folder");
    let root = scratch.path();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "Disan IIIF deep-zoom benchmark: a {WIDTH} x {HEIGHT} master ({:.1} megapixels){}; {} cores, load average {}\n",
        f64::from(WIDTH) * f64::from(HEIGHT) / 1e6,
        if cfg!(debug_assertions) {
            ", DEBUG build of Disan (dependencies optimised)"
        } else {
            ""
        },
        std::thread::available_parallelism().map_or(0, usize::from),
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );

    let batch = root.join("batch");
    std::fs::create_dir_all(batch.join("objects")).expect("batch folder");
    std::fs::create_dir_all(batch.join("metadata")).expect("metadata folder");
    let start = Instant::now();
    write_master(&batch.join("objects/hoa-van.jpg"));
    std::fs::write(
        batch.join("metadata/metadata.csv"),
        "filename,dc.identifier,dc.title,dc.title@en,kind,access\n\
         objects/hoa-van.jpg,hoa-van,Hoa văn (tư liệu mẫu),Pattern (sample material),pattern,public\n",
    )
    .expect("metadata");
    println!(
        "master:  {:.1} MB JPEG written in {:.1} s",
        std::fs::metadata(batch.join("objects/hoa-van.jpg"))
            .map(|m| m.len())
            .unwrap_or(0) as f64
            / 1e6,
        start.elapsed().as_secs_f64()
    );

    let (archive, index) = (root.join("archive"), root.join("index"));
    let start = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_disan"))
        .arg("--archive")
        .arg(&archive)
        .arg("--index")
        .arg(&index)
        .arg("--accounts")
        .arg(root.join("accounts.sqlite"))
        .env_remove("DISAN_ARCHIVE")
        .env_remove("DISAN_INDEX")
        .env_remove("DISAN_ACCOUNTS")
        // A debug build on a loaded machine can take longer than the 30 s per file to decode
        // and tile 100 megapixels; the benchmark is about serving, so the budget is raised
        // here (and said).
        .env("DISAN_DECODE_SECONDS", "600")
        .args(["ingest", "--json"])
        .arg(&batch)
        .output()
        .expect("run disan ingest");
    assert!(
        output.status.success(),
        "ingest failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let pyramid: u64 = walkdir::WalkDir::new(&index)
        .into_iter()
        .flatten()
        .filter(|entry| entry.file_name() == "pyramid.tiles")
        .map(|entry| entry.metadata().map(|m| m.len()).unwrap_or(0))
        .sum();
    assert!(
        pyramid > 0,
        "the ingest made no pyramid: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    println!(
        "ingest:  {:.1} s (decode, pyramid, display image and thumbnail in a sandbox worker, its time budget raised to 600 s for this run); pyramid {:.1} MB",
        start.elapsed().as_secs_f64(),
        pyramid as f64 / 1e6
    );

    let site = disan::web::Site::open(&archive, &index, None)
        .expect("open the site")
        .with_origin("http://127.0.0.1:8080");
    let addr = http::serve(site);
    let mut client = http::Client::connect(addr).expect("connect");
    let (status, body) = client
        .get("/iiif/3/hoa-van/0/info.json")
        .expect("info.json");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let info: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!(
        (info["width"].as_u64(), info["height"].as_u64()),
        (Some(u64::from(WIDTH)), Some(u64::from(HEIGHT)))
    );
    let tile = info["tiles"][0]["width"].as_u64().expect("a tile size") as u32;
    let factors: Vec<u32> = info["tiles"][0]["scaleFactors"]
        .as_array()
        .expect("scale factors")
        .iter()
        .map(|f| f.as_u64().expect("a factor") as u32)
        .collect();
    println!("info:    tiles of {tile} px at scale factors {factors:?}\n");

    // A tile as OpenSeadragon asks for it: on the grid of scale factor s, at its size.
    let mut random = Random(0x6469_7361_6e5f_7469);
    let tile_request = |random: &mut Random| {
        // Mostly the fine levels, where a reader zooms in (as many tiles as they have).
        let s = factors[random.below(factors.len().min(4) as u32) as usize];
        let span = tile * s;
        let (x, y) = (
            random.below(WIDTH.div_ceil(span)) * span,
            random.below(HEIGHT.div_ceil(span)) * span,
        );
        let (w, h) = (span.min(WIDTH - x), span.min(HEIGHT - y));
        format!(
            "/iiif/3/hoa-van/0/{x},{y},{w},{h}/{},{}/0/default.jpg",
            w.div_ceil(s),
            h.div_ceil(s)
        )
    };
    let time = |client: &mut http::Client, target: &str| {
        let start = Instant::now();
        let (status, body) = client.get(target).expect("a tile");
        let took = start.elapsed();
        assert_eq!(status, 200, "{target}: {}", String::from_utf8_lossy(&body));
        assert!(body.starts_with(&[0xFF, 0xD8]), "{target}: not a JPEG");
        took
    };
    for _ in 0..200 {
        let target = tile_request(&mut random);
        time(&mut client, &target);
    }
    let timed: Vec<Duration> = (0..tiles)
        .map(|_| {
            let target = tile_request(&mut random);
            time(&mut client, &target)
        })
        .collect();
    let p99 = report("tiles (stored, on the grid)", timed);
    println!(
        "         p99 / goal = {:.3} ({:.2} ms of {} ms: {})\n",
        p99.as_secs_f64() / GOAL.as_secs_f64(),
        p99.as_secs_f64() * 1e3,
        GOAL.as_millis(),
        if p99 < GOAL { "met" } else { "NOT met" }
    );

    // Off the grid: a 256-px view of a random region, composed from the tiles and scaled.
    let composed: Vec<Duration> = (0..(tiles / 10).max(20))
        .map(|_| {
            let side = 256 * (1 + random.below(24));
            let (x, y) = (
                random.below(WIDTH - side.min(WIDTH - 1)),
                random.below(HEIGHT - side.min(HEIGHT - 1)),
            );
            let target = format!("/iiif/3/hoa-van/0/{x},{y},{side},{side}/256,/0/default.jpg");
            time(&mut client, &target)
        })
        .collect();
    report("composed (off the grid, 256 px wide)", composed);
}
