//! Resource limits a sandbox worker puts on itself before it reads any untrusted byte.
//!
//! It also makes the worker die with its parent ([`die_with_parent`]).
//!
//! This is the crate's only `unsafe` code: `setrlimit(2)` and `prctl(2)` through `libc`, which has no safe
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

/// The environment variable through which the parent names itself to its worker (its pid).
pub const PARENT_VARIABLE: &str = "DISAN_SANDBOX_PARENT";

/// Makes the calling worker die (`SIGKILL`) when the thread that started it ends, whatever ends
/// it (`kill -9` of the ingest included), so no worker runs on as an orphan
/// (`prctl(PR_SET_PDEATHSIG)`, Linux). The parent's thread waits for its worker, so the two end
/// together. A parent that died before this call cannot signal any more: when `parent` (the pid
/// the parent gave in [`PARENT_VARIABLE`]) is no longer this process's parent, the worker has
/// been handed to another process and this returns an error, on which the worker stops.
#[allow(unsafe_code)]
pub fn die_with_parent(parent: Option<u32>) -> std::io::Result<()> {
    // SAFETY: `prctl(PR_SET_PDEATHSIG, sig)` takes plain integers and touches no memory.
    let status = unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong) };
    if status != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: `getppid` takes nothing and cannot fail.
    let actual = unsafe { libc::getppid() };
    match parent {
        Some(parent) if i64::from(parent) != i64::from(actual) => Err(std::io::Error::other(
            format!("the process that started this worker ({parent}) has ended"),
        )),
        _ => Ok(()),
    }
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
