//! Disan (*di sản*, "heritage"): a digital heritage archive and media catalogue for Vietnam's
//! craft villages.
//!
//! Material flows through four stages, each a module that only reads what the stage before it
//! produced:
//!
//! ```text
//!   batch folder ──► ingest ──► archive (OCFL, archive/) ──► index (index/) ──► web
//!   metadata.csv      validate,    one object per record,       derivatives,
//!   objects/…         hash, EXIF   versions, fixity             search
//! ```
//!
//! [`model`] is the vocabulary every stage shares. The archive is the only thing that must be kept;
//! everything under `index/` is rebuilt from it.
//! [`accounts`] (a SQLite file beside both) says who is signed in; it never reads records.
//! [`workspace`] is where archivists change records after ingest: each change a new archive
//! version, written in ingest's order (hide first, then write, then index).

pub mod accounts;
pub mod archive;
pub mod index;
pub mod ingest;
pub mod model;
pub mod web;
pub mod workspace;
