//! The stops of a visit (a record of kind `visit`, issue 14): the places a craft-village tour
//! goes to, in order. A stop is a village (by its authority id) or a record (by its record id):
//! a workshop's or a festival's record. Written `village:<id>` or `record:<id>` in a `stop`
//! column or front-matter key, one value per stop.
//!
//! A record stop names another record, so it is subject to that record's access: whoever may not
//! see it is never told it is there (`crate::index::public_text::public_record` drops it).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{InvalidValue, RecordId, VillageId};

/// The most stops a visit may have: a tour of a day or two goes to a handful of places, and a
/// page listing thousands (break14 finding 9: 2,000 stops made a 1.2 MB page) is a sheet gone
/// wrong, not a visit. Ingest refuses a visit with more, naming the limit.
pub const MAX_STOPS: usize = 100;

/// One stop of a visit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Stop {
    /// A craft village, by its authority id (`village:doi-tam`).
    Village(VillageId),
    /// A record: a workshop, a festival, anything the archive describes (`record:HN.2020.014`).
    Record(RecordId),
}

impl Stop {
    /// Reads `village:<id>` or `record:<id>` (spaces around either part allowed; the prefix in
    /// any case). The village id is checked as an id only: whether that village exists is the
    /// caller's to check (ingest resolves it against the authorities).
    ///
    /// # Errors
    /// [`InvalidValue`] naming the value when it has neither prefix or its id is not valid.
    pub fn parse(text: &str) -> Result<Stop, InvalidValue> {
        let (prefix, id) = text.split_once(':').ok_or_else(|| not_a_stop(text))?;
        match prefix.trim().to_ascii_lowercase().as_str() {
            "village" => VillageId::parse(id).map(Stop::Village),
            "record" => RecordId::parse(id).map(Stop::Record),
            _ => Err(not_a_stop(text)),
        }
    }

    /// The record a record stop names.
    pub fn record(&self) -> Option<&RecordId> {
        match self {
            Stop::Record(id) => Some(id),
            Stop::Village(_) => None,
        }
    }
}

fn not_a_stop(text: &str) -> InvalidValue {
    InvalidValue::from(crate::msg!(
        "model-not-a-stop",
        "'{text}' is not a stop: write village:<village id> (a village of metadata/villages.csv) or record:<record id> (a workshop's or festival's record)",
        text = text.trim()
    ))
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stop::Village(id) => write!(f, "village:{id}"),
            Stop::Record(id) => write!(f, "record:{id}"),
        }
    }
}

impl TryFrom<String> for Stop {
    type Error = InvalidValue;
    fn try_from(text: String) -> Result<Self, InvalidValue> {
        Stop::parse(&text)
    }
}

impl From<Stop> for String {
    fn from(stop: Stop) -> String {
        stop.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stops_read_and_write_their_prefix() {
        let village = Stop::parse(" Village : doi-tam ").unwrap();
        assert_eq!(village, Stop::Village(VillageId::parse("doi-tam").unwrap()));
        assert_eq!(village.to_string(), "village:doi-tam");
        let record = Stop::parse("record:HN.2020.014").unwrap();
        assert_eq!(record.record().unwrap().as_str(), "HN.2020.014");
        let json = serde_json::to_string(&record).unwrap();
        assert_eq!(json, "\"record:HN.2020.014\"");
        assert_eq!(serde_json::from_str::<Stop>(&json).unwrap(), record);
    }

    #[test]
    fn a_value_that_is_not_a_stop_says_how_to_write_one() {
        for bad in ["doi-tam", "workshop:x", "village:Đọi Tam", "record:"] {
            let error = Stop::parse(bad).unwrap_err().0;
            assert!(
                error.contains("not a stop") || error.contains("not a valid"),
                "{bad}: {error}"
            );
        }
        assert!(
            Stop::parse("doi-tam")
                .unwrap_err()
                .0
                .contains("village:<village id>")
        );
    }
}
