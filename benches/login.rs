//! `cargo bench --bench login`: what one sign-in costs on this machine.
//!
//! Times argon2id verification of a password hashed with the cost every account gets
//! (t=2, m=19456 KiB, p=1: ASVS 5 V11.4.2), and a whole `Accounts::authenticate` (throttle
//! look-up, user look-up, verify, counters cleared) against a temporary database, for a known
//! login and for an unknown one (which verifies against a dummy hash: the two medians should be
//! close, or logins could be enumerated by timing). Prints the median and p90 in milliseconds.

use std::time::Instant;

use disan::accounts::{Accounts, password};
use disan::model::Role;

const ROUNDS: usize = 60;
const PASSWORD: &str = "trống đồng làng Đọi Tam";

fn percentiles(mut samples: Vec<f64>) -> (f64, f64) {
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.9))
}

fn time(mut run: impl FnMut()) -> (f64, f64) {
    run(); // warm-up
    let samples = (0..ROUNDS)
        .map(|_| {
            let started = Instant::now();
            run();
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    percentiles(samples)
}

fn main() {
    let phc = password::hash(PASSWORD);
    let (median, p90) = time(|| assert!(password::verify(PASSWORD, &phc)));
    println!("argon2id verify (t=2, m=19456 KiB, p=1): median {median:.1} ms, p90 {p90:.1} ms");

    let dir = tempfile::tempdir().unwrap();
    let accounts = Accounts::open(&dir.path().join("accounts.sqlite")).unwrap();
    accounts
        .add_user("lan", Role::Researcher, PASSWORD, &[], "bench")
        .unwrap();
    let (median, p90) = time(|| {
        accounts
            .authenticate("lan", PASSWORD, None, "127.0.0.1")
            .unwrap();
    });
    println!("authenticate, right password: median {median:.1} ms, p90 {p90:.1} ms");
    // Distinct addresses and logins so the throttle does not step in.
    let mut n = 0;
    let (median, p90) = time(|| {
        n += 1;
        let address = format!("10.0.{}.{}", n / 250, n % 250);
        accounts
            .authenticate(&format!("nobody{n}"), PASSWORD, None, &address)
            .unwrap_err();
    });
    println!("authenticate, unknown login: median {median:.1} ms, p90 {p90:.1} ms");
}
