//! `disan __sandbox …`: the hidden worker that decodes one untrusted file within budgets.
//!
//! Not a clap subcommand: it is recognised before the command line is parsed, so a worker
//! starts without reading the environment or the global flags, and it never appears in `--help`.
//! Every other run registers the binary as the worker to re-execute
//! ([`disan::index::sandbox::isolate_with`]). See [`disan::index::sandbox`].

use std::process::ExitCode;

use disan::index::sandbox;

/// Runs the worker when the first argument is [`sandbox::SUBCOMMAND`] and returns its exit
/// status; otherwise registers this binary as the worker for decoders and returns `None`.
pub fn intercept() -> Option<ExitCode> {
    let mut args = std::env::args_os().skip(1);
    if args
        .next()
        .is_some_and(|first| first == sandbox::SUBCOMMAND)
    {
        let status = sandbox::worker_main(args.collect());
        return Some(ExitCode::from(u8::try_from(status).unwrap_or(1)));
    }
    // /proc/self/exe still starts this very binary after an upgrade replaced or removed its file.
    let this_binary = std::path::Path::new("/proc/self/exe");
    if this_binary.exists() {
        sandbox::isolate_with(this_binary.to_path_buf());
    } else if let Ok(exe) = std::env::current_exe() {
        sandbox::isolate_with(exe);
    }
    None
}
