//! Who saw what: the log of views of non-public records and files by signed-in users.
//!
//! Communities trust an archive that can tell them who opened their secrets (issue 13). The web
//! layer calls [`Accounts::log_view`] for every view of a record or file whose access is not
//! `public` by a signed-in account (session or token), and archivists read
//! [`Accounts::view_log`] per record. Public material is not logged: it tells nobody anything,
//! and a log of what researchers read is itself personal data to keep small.

use super::store::{StoreError, ViewRow};
use super::{Accounts, UnixTime, UserId};
use crate::model::RecordId;

/// What a line of the view log records the account saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ViewKind {
    /// The record's page (either language).
    Page,
    /// The record's API answer (`/api/records/{id}`).
    Api,
    /// One of its files (original, display image, thumbnail).
    File,
    /// A search hit or suggestion (title, snippet, thumbnail) in a search page, `/api/search` or
    /// `/api/suggest` answer.
    Search,
}

impl ViewKind {
    /// The word stored in the log (`page`, `api`, `file`, `search`).
    pub fn as_str(self) -> &'static str {
        match self {
            ViewKind::Page => "page",
            ViewKind::Api => "api",
            ViewKind::File => "file",
            ViewKind::Search => "search",
        }
    }
}

/// One search exposure to log: the account, when (the accounts database's clock), the record
/// and the client's address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchExposure {
    /// Who was shown the hit.
    pub user: UserId,
    /// When.
    pub at: UnixTime,
    /// The record shown.
    pub record: RecordId,
    /// From which address.
    pub address: Option<String>,
}

impl Accounts {
    /// Notes that `user` saw record `record` (its page when `file` is `None`, else that file,
    /// named as in the record) from `address`, now. [`Accounts::log_view_as`] says which kind.
    ///
    /// # Errors
    /// Database errors (the caller decides whether a failed log blocks the view; Disan's web
    /// layer refuses the view, so nothing secret is shown unlogged).
    pub fn log_view(
        &self,
        user: UserId,
        record: &RecordId,
        file: Option<&str>,
        address: Option<&str>,
    ) -> Result<(), StoreError> {
        let kind = if file.is_some() {
            ViewKind::File
        } else {
            ViewKind::Page
        };
        self.log_view_as(user, record, kind, file, address)
    }

    /// [`Accounts::log_view`] of a view of `kind`.
    ///
    /// # Errors
    /// Database errors.
    pub fn log_view_as(
        &self,
        user: UserId,
        record: &RecordId,
        kind: ViewKind,
        file: Option<&str>,
        address: Option<&str>,
    ) -> Result<(), StoreError> {
        self.insert_view(user, record.as_str(), kind.as_str(), file, address)
    }

    /// Logs every search exposure of `lines` (kind `search`) in one transaction: the web layer
    /// gathers them off the request path and writes them in batches.
    ///
    /// # Errors
    /// Database errors (nothing of the batch is written).
    pub fn log_search_exposures(&self, lines: &[SearchExposure]) -> Result<(), StoreError> {
        let rows: Vec<_> = lines
            .iter()
            .map(|line| {
                (
                    line.user,
                    line.at,
                    line.record.to_string(),
                    ViewKind::Search.as_str(),
                    line.address.clone(),
                )
            })
            .collect();
        self.insert_views(&rows)
    }

    /// Every logged view of `record`, newest first, with the viewer's login.
    ///
    /// # Errors
    /// Database errors.
    pub fn view_log(&self, record: &RecordId) -> Result<Vec<ViewRow>, StoreError> {
        self.views_of(record.as_str(), u32::MAX)
    }

    /// The newest `limit` logged views of `record`, newest first, and how many there are in all.
    ///
    /// # Errors
    /// Database errors.
    pub fn view_log_newest(
        &self,
        record: &RecordId,
        limit: u32,
    ) -> Result<(Vec<ViewRow>, u64), StoreError> {
        Ok((
            self.views_of(record.as_str(), limit)?,
            self.count_views_of(record.as_str())?,
        ))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::accounts::ManualClock;
    use crate::model::Role;

    #[test]
    fn views_are_listed_per_record_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new(1_700_000_000));
        let accounts =
            Accounts::open_with_clock(&dir.path().join("a.sqlite"), clock.clone()).unwrap();
        let lan = accounts
            .add_user("Lan", Role::Researcher, "trống đồng Đọi Tam", &[], "cli")
            .unwrap()
            .id;
        let secret = RecordId::parse("ky-thuat-bit-mat-trong").unwrap();
        let other = RecordId::parse("trong-doi-tam-1").unwrap();
        accounts
            .log_view(lan, &secret, None, Some("192.0.2.7"))
            .unwrap();
        clock.advance(60);
        accounts
            .log_view(lan, &secret, Some("phim.mp4"), Some("192.0.2.7"))
            .unwrap();
        accounts.log_view(lan, &other, None, None).unwrap();
        let log = accounts.view_log(&secret).unwrap();
        assert_eq!(
            log,
            vec![
                ViewRow {
                    user: lan,
                    login: "Lan".into(),
                    at: 1_700_000_060,
                    record: "ky-thuat-bit-mat-trong".into(),
                    file: Some("phim.mp4".into()),
                    address: Some("192.0.2.7".into()),
                    kind: Some("file".into()),
                },
                ViewRow {
                    user: lan,
                    login: "Lan".into(),
                    at: 1_700_000_000,
                    record: "ky-thuat-bit-mat-trong".into(),
                    file: None,
                    address: Some("192.0.2.7".into()),
                    kind: Some("page".into()),
                },
            ]
        );
    }

    #[test]
    fn search_exposures_are_written_as_one_batch_of_search_lines() {
        let dir = tempfile::tempdir().unwrap();
        let accounts = Accounts::open(&dir.path().join("a.sqlite")).unwrap();
        let lan = accounts
            .add_user("Lan", Role::Researcher, "trống đồng Đọi Tam", &[], "cli")
            .unwrap()
            .id;
        let secret = RecordId::parse("ky-thuat-bit-mat-trong").unwrap();
        let other = RecordId::parse("trong-doi-tam-1").unwrap();
        let line = |record: &RecordId, at| SearchExposure {
            user: lan,
            at,
            record: record.clone(),
            address: Some("192.0.2.7".into()),
        };
        accounts
            .log_search_exposures(&[line(&secret, 1_700_000_000), line(&other, 1_700_000_001)])
            .unwrap();
        let log = accounts.view_log(&secret).unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].kind.as_deref(), Some("search"));
        assert_eq!(log[0].at, 1_700_000_000);
        assert_eq!(log[0].file, None);
        assert_eq!(accounts.view_log(&other).unwrap().len(), 1);
    }

    #[test]
    fn the_newest_lines_come_with_the_count_of_all() {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new(1_700_000_000));
        let accounts =
            Accounts::open_with_clock(&dir.path().join("a.sqlite"), clock.clone()).unwrap();
        let lan = accounts
            .add_user("Lan", Role::Researcher, "trống đồng Đọi Tam", &[], "cli")
            .unwrap()
            .id;
        let secret = RecordId::parse("ky-thuat-bit-mat-trong").unwrap();
        for _ in 0..5 {
            clock.advance(1);
            accounts.log_view(lan, &secret, None, None).unwrap();
        }
        let (rows, total) = accounts.view_log_newest(&secret, 2).unwrap();
        assert_eq!(total, 5);
        let times: Vec<i64> = rows.iter().map(|row| row.at).collect();
        assert_eq!(times, vec![1_700_000_005, 1_700_000_004]);
    }
}
