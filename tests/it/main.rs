//! Integration tests: the real `disan` binary on real batch folders, a real OCFL archive on disk.
//!
//! One test binary, so the crate links once; a module per area.

mod accounts;
mod api_errors;
mod archive;
mod audiences;
mod auth;
mod browser;
mod built_in_templates;
mod formats;
mod full_disk;
mod fuzz;
mod group_names;
mod hostile;
mod ingest;
mod ingest_free_text;
mod interface;
mod kin;
mod location;
mod map_visits;
mod matrix;
mod media_access;
mod portable;
mod protocol_leaks;
mod protocols;
mod relevance;
mod remembered;
mod results;
mod serving_ingests;
mod sheets;
mod siege;
mod site;
mod support;
mod throttle;
mod tools;
mod trust;
mod view_log;
mod viewer_pages;
mod visibility;
mod vocabulary_ingest;
mod vocabulary_pages;
mod vocabulary_search;
mod vocabulary_updates;
mod web;
mod workers;
mod workspace_edits;
