//! Resource limits a sandbox worker puts on itself before it reads any untrusted byte.
//!
//! This is the crate's only `unsafe` code: `setrlimit(2)` through `libc`, which has no safe
//! wrapper in the standard library. The worker calls it on itself at its start (rather than the
//! parent calling it between `fork` and `exec` through `pre_exec`, which must also be `unsafe`
//! and may only do async-signal-safe work): at that point the worker has run nothing but its
//! own argument parsing, so the limits cover every byte of untrusted input it ever touches.

/// Limits for one worker process. Exceeding `memory` makes an allocation fail (Rust then
/// aborts, naming the size); exceeding `cpu_seconds` sends `SIGXCPU`, which ends the process
/// (and a second later `SIGKILL`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Address space in bytes (`RLIMIT_AS`): bounds heap, stacks and mappings together.
    pub memory: u64,
    /// Processor time in seconds (`RLIMIT_CPU`), a backstop to the parent's wall-clock deadline.
    pub cpu_seconds: u64,
}

/// Applies `limits` to the calling process, and forbids core dumps (a worker killed for
/// exceeding its budget must not write gigabytes of core to the archivist's disk).
pub fn apply(limits: Limits) -> std::io::Result<()> {
    set(libc::RLIMIT_AS, limits.memory, limits.memory)?;
    set(libc::RLIMIT_CPU, limits.cpu_seconds, limits.cpu_seconds + 1)?;
    set(libc::RLIMIT_CORE, 0, 0)
}

#[allow(unsafe_code)]
fn set(resource: libc::__rlimit_resource_t, soft: u64, hard: u64) -> std::io::Result<()> {
    let limit = libc::rlimit {
        rlim_cur: soft as libc::rlim_t,
        rlim_max: hard as libc::rlim_t,
    };
    // SAFETY: `setrlimit` reads exactly one `rlimit` struct through the pointer, which points to
    // a live, initialised local; it touches no Rust-owned memory otherwise.
    let status = unsafe { libc::setrlimit(resource, &limit) };
    if status == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}
