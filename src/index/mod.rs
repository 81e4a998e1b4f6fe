//! Everything derived from the archive, kept under `index/` and never preserved.
//!
//! Deleting `index/` loses nothing: every file here is rebuilt from `archive/` alone. Today that is
//! the image derivatives the site shows ([`derivatives`]).

pub mod derivatives;
