//! The storage root's event log: events that make no new object version.
//!
//! A fixity check (`disan verify`) changes nothing in an object, so it cannot be written into
//! the object's versions (that would make a version per check). Such events are appended, one
//! JSON object a line ([`super::Event`] serialised), to
//! `extensions/disan-premis/events-<YYYY-MM>.jsonl` in the storage root: OCFL 1.1 lets
//! extensions keep folders directly under `extensions/`, validators do not walk it as storage
//! hierarchy, and a copy of the archive carries it. The files are only ever appended to (opened
//! with `O_APPEND`, fsynced): a line cut by a crash is skipped when reading, and reported.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::Event;
use crate::archive::OcflError;
use crate::archive::ocfl::io_error;

/// The log's folder, relative to the storage root.
pub const LOG_DIR: &str = "extensions/disan-premis";

/// The month file an event dated `date_time` (RFC 3339) goes in.
fn month_file(root: &Path, date_time: &str) -> PathBuf {
    let month = date_time.get(..7).unwrap_or("unknown");
    root.join(LOG_DIR).join(format!("events-{month}.jsonl"))
}

/// Appends `events` to the storage root `root`'s log, each in the file of its month.
///
/// # Errors
/// The folder or a file cannot be created, written or synced.
pub fn append(root: &Path, events: &[Event]) -> Result<(), OcflError> {
    let dir = root.join(LOG_DIR);
    fs::create_dir_all(&dir).map_err(io_error(&dir))?;
    let mut by_file: std::collections::BTreeMap<PathBuf, Vec<u8>> = Default::default();
    for event in events {
        let line = by_file
            .entry(month_file(root, &event.date_time))
            .or_default();
        serde_json::to_writer(&mut *line, event).expect("events always serialise");
        line.push(b'\n');
    }
    for (path, bytes) in by_file {
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(io_error(&path))?;
        file.write_all(&bytes).map_err(io_error(&path))?;
        file.sync_all().map_err(io_error(&path))?;
    }
    Ok(())
}

/// Every event in the storage root `root`'s log, oldest file first, with a note for each line
/// that does not read as an event (a line cut short by a crash, an edit by hand).
///
/// # Errors
/// The folder or a file exists but cannot be read.
pub fn read(root: &Path) -> Result<(Vec<Event>, Vec<String>), OcflError> {
    let dir = root.join(LOG_DIR);
    let mut events = Vec::new();
    let mut unreadable = Vec::new();
    let entries = match fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Ok((events, unreadable));
        }
        Err(error) => return Err(io_error(&dir)(error)),
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "jsonl"))
        .collect();
    files.sort();
    for path in files {
        let text = fs::read_to_string(&path).map_err(io_error(&path))?;
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Event>(line) {
                Ok(event) => events.push(event),
                Err(error) => unreadable.push(format!("{}:{}: {error}", path.display(), n + 1)),
            }
        }
    }
    Ok((events, unreadable))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::premis::ObjectVersion;

    #[test]
    fn appended_events_read_back_and_a_cut_line_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let object = ObjectVersion {
            id: "urn:disan:record:a".into(),
            version: "v2".into(),
        };
        let first = Event::fixity_check(object.clone(), 3, vec![]);
        let second = Event::fixity_check(object, 3, vec!["missing: v1/content/x".into()]);
        append(dir.path(), std::slice::from_ref(&first)).unwrap();
        append(dir.path(), std::slice::from_ref(&second)).unwrap();
        let file = month_file(dir.path(), &first.date_time);
        let mut cut = OpenOptions::new().append(true).open(&file).unwrap();
        cut.write_all(b"{\"id\":\"cut").unwrap();
        let (events, unreadable) = read(dir.path()).unwrap();
        assert_eq!(events, [first, second]);
        assert_eq!(unreadable.len(), 1, "{unreadable:?}");
    }
}
