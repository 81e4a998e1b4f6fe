//! A record as an earlier OCFL version held it (`/records/{id}/v{n}`, issue 16): what a citation
//! names, so that the URL it cites keeps showing what was cited.
//!
//! Deny by default, in this order, each refusal a `NotFound` exactly like an unknown id's:
//!
//! 1. the record must be visible to the viewer **now** ([`Site::record_for`], decided before the
//!    archive is touched): a record hidden now is unknown at every version;
//! 2. the version must exist (`v` and digits, named in the inventory);
//! 3. the viewer must have been allowed to see the record **in that version**
//!    ([`Viewer::may_see_record`] on that version's `record.json`): a version in which the record
//!    was restricted, for a community or withdrawn is unknown to whoever that rule kept out,
//!    even when the record is public now;
//! 4. the version must not be withheld by the record's **current** description
//!    ([`Record::withholds`], "revision deletion"), unless the viewer is an archivist: checked
//!    before the version is read, so a withheld version costs what an unknown one does.
//!
//! What is shown then goes through the same projection as the current page ([`Site::project`],
//! then [`Site::project_for_api`]): no written positions, no EXIF GPS, no files rule, no embeds or
//! products the viewer may not see. Files are shown only when the viewer may see them under
//! **both** that version's files rule and today's, and only those the head holds unchanged (same
//! logical path, same SHA-256): every link then goes to the current media routes, which send
//! those very bytes under today's rules. A file removed or replaced since (perhaps because it
//! should never have been public) is never served from an older version.

use serde::Serialize;

use super::Site;
use crate::archive::Inventory;
use crate::model::Record;
use crate::model::Role;
use crate::model::access::Viewer;
use crate::web::error::WebError;

/// An OCFL version of a record, as a citation names it and a versioned page announces it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CitedVersion {
    /// Its name in the inventory (`v3`).
    pub name: String,
    /// When it was made (the inventory's `created`, RFC 3339).
    pub created: String,
    /// The day it was made in Vietnam (`2026-12-02`, UTC+7); `created` as written when it
    /// cannot be read.
    pub day: String,
    /// The name of the record's head version, the current one (`v5`).
    pub head: String,
}

impl CitedVersion {
    /// Version `name` of `inventory`; `None` when the inventory has no such version.
    pub fn of(inventory: &Inventory, name: &str) -> Option<Self> {
        let version = inventory.versions.get(name)?;
        let local = crate::workspace::history::in_vietnam(&version.created);
        let day = local.get(..10).unwrap_or(&local).to_string();
        Some(CitedVersion {
            name: name.to_string(),
            created: version.created.clone(),
            day,
            head: inventory.head.clone(),
        })
    }

    /// The head version of `inventory` (what the current page shows).
    pub fn head(inventory: &Inventory) -> Option<Self> {
        Self::of(inventory, &inventory.head)
    }

    /// Whether this is the current version.
    pub fn is_current(&self) -> bool {
        self.name == self.head
    }
}

/// Whether `text` can name an OCFL version: `v` then 1 to 9 digits (`v3`, `v12`; OCFL also
/// allows zero-padded names such as `v003`, matched only when the inventory uses them).
pub fn looks_like_version(text: &str) -> bool {
    text.strip_prefix('v').is_some_and(|digits| {
        (1..=9).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
    })
}

/// A record as one of its versions held it, projected for a viewer ([`Site::record_at_for`]).
#[derive(Debug)]
pub struct AtVersion {
    /// The record as that version held it, through the viewer's projection.
    pub record: Record,
    /// The head inventory (the media routes send the head's bytes).
    pub inventory: Inventory,
    /// Whether the files are withheld from the viewer, in that version or now.
    pub files_reserved: bool,
    /// Whether files of that version are left out because the head no longer holds them
    /// unchanged.
    pub files_left_out: bool,
    /// The version.
    pub version: CitedVersion,
}

impl Site {
    /// Record `id` as its OCFL version `version` (`v3`) held it, for `viewer`: see the module
    /// documentation for every rule. Anything refused is [`WebError::NotFound`].
    ///
    /// # Errors
    /// [`WebError::NotFound`] as above; [`WebError::Internal`] when the version's `record.json`
    /// cannot be read.
    pub fn record_at_for(
        &self,
        viewer: &Viewer,
        id: &str,
        version: &str,
    ) -> Result<AtVersion, WebError> {
        // 1. Visible now, decided before the archive is read.
        let (head, inventory) = self.visible_head(viewer, id)?;
        let withheld_now = !viewer.may_see_files(&head);
        // 2. A version the object has.
        if !looks_like_version(version) {
            return Err(WebError::NotFound);
        }
        let cited = CitedVersion::of(&inventory, version).ok_or(WebError::NotFound)?;
        // 4. Not withheld from this viewer (the head's rule, before the version is read).
        if head.withholds(version).is_some() && viewer.role() != Some(Role::Archivist) {
            return Err(WebError::NotFound);
        }
        let old = self
            .archive
            .record_at(&inventory, version)
            .map_err(WebError::internal)?
            .ok_or(WebError::NotFound)?;
        // 3. Seen by this viewer in that version too.
        if old.id != head.id || !viewer.may_see_record(&old) {
            return Err(WebError::NotFound);
        }
        let files_reserved = withheld_now || !viewer.may_see_files(&old);
        let mut record = self.project(viewer, &old, files_reserved);
        let before = record.files.len();
        record.files.retain(|file| {
            head.files
                .iter()
                .any(|now| now.path == file.path && now.sha256 == file.sha256)
        });
        let files_left_out = record.files.len() != before;
        self.project_for_api(viewer, &mut record);
        Ok(AtVersion {
            record,
            inventory,
            files_reserved,
            files_left_out,
            version: cited,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_v_and_digits_can_name_a_version() {
        for good in ["v1", "v12", "v003", "v123456789"] {
            assert!(looks_like_version(good), "{good}");
        }
        for bad in [
            "",
            "v",
            "1",
            "V1",
            "v1a",
            "v-1",
            "v+1",
            "v1234567890",
            "cite.ris",
            "v١",
        ] {
            assert!(!looks_like_version(bad), "{bad}");
        }
    }
}
