//! Named crash points, so tests can kill a run exactly where an index could fall behind the
//! archive (`DISAN_CRASH_AT=after-archive-commit:3` aborts at the third archive commit).
//!
//! Aborting is what a `kill -9`, an out-of-memory kill or a native crash does: no destructor
//! runs, no buffer is flushed. The variable is read once; a run without it pays one relaxed load
//! per point.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// The point to crash at and how many passes through it to let go first.
static TARGET: OnceLock<Option<(String, u64)>> = OnceLock::new();
static PASSES: AtomicU64 = AtomicU64::new(0);

/// Passes through point `name`; aborts the process when `DISAN_CRASH_AT` names it (`name` or
/// `name:N`, the Nth pass, 1-based).
pub fn point(name: &str) {
    let target = TARGET.get_or_init(|| {
        let value = std::env::var("DISAN_CRASH_AT").ok()?;
        let (point, nth) = match value.rsplit_once(':') {
            Some((point, nth)) => (point.to_string(), nth.parse().ok()?),
            None => (value, 1),
        };
        Some((point, nth))
    });
    if let Some((point, nth)) = target
        && point == name
        && PASSES.fetch_add(1, Ordering::SeqCst) + 1 == *nth
    {
        eprintln!("DISAN_CRASH_AT: aborting at {name}:{nth}");
        std::process::abort();
    }
}
