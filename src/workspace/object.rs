//! What the workspace edits, whatever it is: a record, or an authority (a village, a craft, an
//! artisan with their honours, a product). Each is one OCFL object whose description is one JSON
//! file; the history ([`super::history`]), the diff ([`super::diff`]) and the single write path
//! ([`super::save::save_object`]) work on any [`Object`], so none of them is written twice.

use serde::de::DeserializeOwned;

use super::diff::{WITHDRAWN, WITHHELD};
use super::form::{Fields, fields_of};
use crate::archive::RECORD_JSON;
use crate::model::{Record, Withdrawal};

/// An object's description as the workspace reads, compares and writes it.
pub trait Object: Clone + PartialEq + DeserializeOwned {
    /// The logical path of its description inside its OCFL object (`record.json`,
    /// `village.json`).
    const JSON: &'static str;

    /// Its description as the history and the conflict view compare it: field name (the column
    /// name of the file that describes it: `dc.title@en`, `name@en`, `ocop_stars`) → values.
    fn compared(&self) -> Fields;

    /// Who may see it, as an access-change event words it (`restricted`, `public, files
    /// researchers`); `None` for what is public by nature (villages, crafts).
    fn rule(&self) -> Option<String> {
        None
    }

    /// Whether who may see it differs between `self` and `other` (an access-change event).
    fn rule_changed(&self, other: &Self) -> bool {
        self.rule() != other.rule()
    }

    /// Its withdrawal (records only).
    fn withdrawal(&self) -> Option<&Withdrawal> {
        None
    }
}

impl Object for Record {
    const JSON: &'static str = RECORD_JSON;

    /// Its form fields ([`fields_of`]), its withdrawal's reason under [`WITHDRAWN`], and each
    /// withheld version with its reason under [`WITHHELD`] (`v1: reason`).
    fn compared(&self) -> Fields {
        let mut fields = fields_of(self);
        if let Some(withdrawal) = &self.withdrawal {
            fields.push(WITHDRAWN, &withdrawal.reason);
        }
        for withheld in &self.withheld_versions {
            fields.push(
                WITHHELD,
                &format!("{}: {}", withheld.version, withheld.reason),
            );
        }
        fields
    }

    fn rule(&self) -> Option<String> {
        Some(match &self.files_access {
            Some(files) => format!("{}, files {files}", self.access),
            None => self.access.to_string(),
        })
    }

    fn rule_changed(&self, other: &Self) -> bool {
        self.access != other.access || self.files_rule() != other.files_rule()
    }

    fn withdrawal(&self) -> Option<&Withdrawal> {
        self.withdrawal.as_ref()
    }
}
