//! Choosing events: by type, agent, time and outcome, as `disan audit` and the workspace's
//! audit pages ask (one rule for both, so the page, its CSV and JSON and the command list the
//! same events).

use std::time::{Duration, SystemTime};

use super::{Event, EventType, Outcome};

/// `text` as a time: a date (`2026-12-01`, midnight UTC) or an RFC 3339 time
/// (`2026-12-01T10:00:00Z`).
///
/// # Errors
/// Why it is neither, in words.
pub fn parse_time(text: &str) -> Result<SystemTime, String> {
    let text = text.trim();
    let full = if text.len() == 10 {
        format!("{text}T00:00:00Z")
    } else {
        text.to_string()
    };
    humantime::parse_rfc3339_weak(&full).map_err(|error| {
        format!("'{text}' is not a date (2026-12-01) or an RFC 3339 time: {error}")
    })
}

/// What events to keep; every part optional (`Filter::default()` keeps every event).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only events of this type.
    pub event_type: Option<EventType>,
    /// Only events one of whose agents has this name (a login, or `Disan 0.1.0`), compared
    /// without case.
    pub agent: Option<String>,
    /// Only events at or after this time.
    pub from: Option<SystemTime>,
    /// Only events before this time.
    pub until: Option<SystemTime>,
    /// Only events with this outcome.
    pub outcome: Option<Outcome>,
}

impl Filter {
    /// Sets [`Filter::until`] from a date or time `text` as a person means it: a date is the
    /// whole of that day (until the next midnight UTC), a time is that instant.
    ///
    /// # Errors
    /// As [`parse_time`].
    pub fn until_end_of(&mut self, text: &str) -> Result<(), String> {
        let time = parse_time(text)?;
        self.until = Some(if text.trim().len() == 10 {
            time + Duration::from_secs(86_400)
        } else {
            time
        });
        Ok(())
    }

    /// Whether `event` is one to keep. An event whose time does not read is kept only when no
    /// time is asked for.
    pub fn admits(&self, event: &Event) -> bool {
        if self.event_type.is_some_and(|t| t != event.event_type) {
            return false;
        }
        if self.outcome.is_some_and(|o| o != event.outcome) {
            return false;
        }
        if let Some(agent) = &self.agent {
            let agent = agent.trim().to_lowercase();
            if !event.agents.iter().any(|a| a.name.to_lowercase() == agent) {
                return false;
            }
        }
        if self.from.is_some() || self.until.is_some() {
            let Ok(at) = humantime::parse_rfc3339_weak(&event.date_time) else {
                return false;
            };
            if self.from.is_some_and(|from| at < from) || self.until.is_some_and(|to| at >= to) {
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_means_its_whole_day_and_words_are_refused() {
        let mut event = Event::metadata_modification("lan", "typo");
        event.date_time = "2026-12-01T23:59:59Z".into();
        let mut filter = Filter {
            from: Some(parse_time("2026-12-01").unwrap()),
            ..Filter::default()
        };
        filter.until_end_of("2026-12-01").unwrap();
        assert!(filter.admits(&event));
        event.date_time = "2026-12-02T00:00:00Z".into();
        assert!(!filter.admits(&event));
        assert!(parse_time("yesterday").unwrap_err().contains("not a date"));
    }

    #[test]
    fn type_agent_and_outcome_each_narrow() {
        let event = Event::withdrawal("Lan", "asked by the family");
        let keep = |filter: Filter| filter.admits(&event);
        assert!(keep(Filter::default()));
        assert!(keep(Filter {
            agent: Some("lan".into()),
            event_type: Some(EventType::Deaccession),
            outcome: Some(Outcome::Success),
            ..Filter::default()
        }));
        assert!(!keep(Filter {
            agent: Some("thu".into()),
            ..Filter::default()
        }));
        assert!(!keep(Filter {
            event_type: Some(EventType::Ingestion),
            ..Filter::default()
        }));
        assert!(!keep(Filter {
            outcome: Some(Outcome::Failure),
            ..Filter::default()
        }));
    }
}
