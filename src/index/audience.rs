//! Who an index is built for. An index holds the records its audience may see and nothing else,
//! so every statistic it computes (BM25 document frequencies, close spellings, suggestions,
//! related records, counts) comes from those records alone: what the audience cannot see cannot
//! change what it is shown.
//!
//! Two indexes exist. The public one ([`Audience::Public`], `index/search/`) holds public records
//! only and answers every anonymous request: no statistic of it can count what the public cannot
//! see. The second ([`Audience::Everyone`], `index/search-all/`) holds every record, each with
//! its access rule and files rule as index tokens ([`rule_token`]); a signed-in viewer searches
//! it through a scope ([`crate::index::search::Scope`]) that admits only the documents the
//! viewer may see, and computes every statistic (BM25, close spellings, suggestions, related
//! records, counts) from those documents alone. Communities make the audiences of signed-in
//! viewers too many for an index each (every set of memberships is one), so signed-in viewers
//! share the second index and differ by scope. An audience answers through the [`Viewer`] it
//! stands for, so its index decides exactly as every route does ([`crate::model::access`]).
//!
//! A record whose description the audience may see but whose files it may not (`files_access`)
//! is indexed without them: no file names, sizes, technical metadata, EXIF or text read from the
//! files ([`Audience::admits_files`]). In the everyone index, a record whose files rule is
//! narrower than its own has two documents, each under a split token ([`split_tokens`]): its
//! description alone, admitted to the viewers who may see the record but not its files, and the
//! whole record with its files (names, subtitles, PDF text), admitted to those who may see both.
//! Every viewer's scope admits exactly one of them, so what it searches is what an index built of
//! exactly what it may see (descriptions and files) would hold, statistics included.

use crate::model::access::Viewer;
use crate::model::{Access, Record};

/// An audience with an index of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    /// Anonymous visitors: public records only.
    Public,
    /// Every record, for signed-in viewers searching through a scope; never answers an
    /// anonymous request.
    Everyone,
}

/// The canonical index token of an access rule: `public`, `researchers`, `restricted`, or a
/// community rule as `any:a,b` / `all:a,b` with its group ids sorted (one community is
/// `any:a`). Equal rules give equal tokens, so a scope asks [`Viewer::may_see`] once per
/// distinct token.
pub fn rule_token(access: &Access) -> String {
    match access {
        Access::Public | Access::Researchers | Access::Restricted => access.to_string(),
        Access::Community { groups, need } => {
            let ids: Vec<&str> = groups.iter().map(|group| group.as_str()).collect();
            format!("{}:{}", need.as_str(), ids.join(","))
        }
    }
}

/// Reads a token [`rule_token`] wrote back into its rule; `None` for anything else (a token
/// that cannot be read is admitted by no scope: deny by default).
pub fn parse_rule_token(token: &str) -> Option<Access> {
    use crate::model::access::{COMMUNITY_PREFIX, Need};
    let (need, ids) = match token.split_once(':') {
        None => {
            return token
                .parse()
                .ok()
                .filter(|a| !matches!(a, Access::Community { .. }));
        }
        Some(("any", ids)) => (Need::Any, ids),
        Some(("all", ids)) => (Need::All, ids),
        Some(_) => return None,
    };
    let values: Vec<String> = ids
        .split(',')
        .map(|id| format!("{COMMUNITY_PREFIX}{id}"))
        .collect();
    let values: Vec<&str> = values.iter().map(String::as_str).collect();
    Access::from_values(&values, (values.len() > 1).then_some(need))
        .ok()
        .filter(|access| rule_token(access) == token)
}

/// The two tokens of a record under `record` whose files are under a narrower `files`: the
/// token of its description-only document (`<record>/without:<files>`, admitted when a viewer
/// may see the record and not the files) and of its document with the files
/// (`<record>/with:<files>`, admitted when a viewer may see both). See [`token_admits`].
pub fn split_tokens(record: &Access, files: &Access) -> (String, String) {
    let (record, files) = (rule_token(record), rule_token(files));
    (
        format!("{record}/without:{files}"),
        format!("{record}/with:{files}"),
    )
}

/// Whether `viewer` may see the documents under index token `token`: a rule token
/// ([`rule_token`]) when [`Viewer::may_see`] admits its rule; a split token ([`split_tokens`])
/// when the viewer may see the record's rule and, for `with:`, its files rule, for `without:`,
/// not its files rule. A token that cannot be read admits nobody (deny by default).
pub fn token_admits(viewer: &Viewer, token: &str) -> bool {
    let Some((record, files)) = token.split_once('/') else {
        return parse_rule_token(token).is_some_and(|access| viewer.may_see(&access));
    };
    let Some(record) = parse_rule_token(record) else {
        return false;
    };
    let (with, files) = match files.split_once(':') {
        Some(("with", files)) => (true, files),
        Some(("without", files)) => (false, files),
        _ => return false,
    };
    let Some(files) = parse_rule_token(files) else {
        return false;
    };
    viewer.may_see(&record) && viewer.may_see(&files) == with
}

impl Audience {
    /// The viewer this audience stands for: the least privileged viewer of the audience, so an
    /// index built for it holds nothing one of its members may not see.
    pub fn viewer(self) -> Viewer {
        match self {
            Audience::Public => Viewer::Anonymous,
            Audience::Everyone => Viewer::Account {
                role: crate::model::Role::Archivist,
                groups: Default::default(),
            },
        }
    }

    /// Whether this audience may see a record (or files) under `access`.
    pub fn admits(self, access: &Access) -> bool {
        self.viewer().may_see(access)
    }

    /// Whether this audience may see `record` (never a withdrawn one:
    /// [`Viewer::may_see_record`]).
    pub fn admits_record(self, record: &Record) -> bool {
        self.viewer().may_see_record(record)
    }

    /// Whether this audience may see `record`'s files (and what is read from them): it may see
    /// the record and the record's files rule.
    pub fn admits_files(self, record: &Record) -> bool {
        self.viewer().may_see_files(record)
    }

    /// The folder of this audience's search index under `index/`.
    pub fn dir_name(self) -> &'static str {
        match self {
            Audience::Public => "search",
            Audience::Everyone => "search-all",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_tokens_are_canonical_and_read_back() {
        for (written, token) in [
            ("public", "public"),
            ("researchers", "researchers"),
            ("restricted", "restricted"),
        ] {
            let access: Access = written.parse().unwrap();
            assert_eq!(rule_token(&access), token);
            assert_eq!(parse_rule_token(token), Some(access));
        }
        let all = Access::from_values(
            &["community:b", "community:a"],
            Some(crate::model::access::Need::All),
        )
        .unwrap();
        assert_eq!(rule_token(&all), "all:a,b");
        assert_eq!(parse_rule_token("all:a,b"), Some(all));
        let one: Access = "community:a".parse().unwrap();
        assert_eq!(rule_token(&one), "any:a");
        assert_eq!(parse_rule_token("any:a"), Some(one));
        for garbage in ["", "any:", "all:b,a", "some:a", "community:a", "any:A"] {
            assert_eq!(parse_rule_token(garbage), None, "{garbage}");
        }
    }

    /// Every viewer admits exactly one of a split record's two documents, and the one with the
    /// files exactly when `may_see_files` says so.
    #[test]
    fn split_tokens_admit_each_viewer_to_exactly_one_document() {
        use crate::model::Role;
        let rules = [
            "public",
            "researchers",
            "restricted",
            "community:a",
            "community:b",
        ];
        let mut viewers = vec![Viewer::Anonymous];
        for role in Role::ALL {
            for groups in [&[][..], &["a"], &["a", "b"]] {
                viewers.push(Viewer::Account {
                    role: *role,
                    groups: groups
                        .iter()
                        .map(|g| crate::model::GroupId::parse(g).unwrap())
                        .collect(),
                });
            }
        }
        for record in rules {
            for files in rules {
                let (record, files): (Access, Access) =
                    (record.parse().unwrap(), files.parse().unwrap());
                let (without, with) = split_tokens(&record, &files);
                for viewer in &viewers {
                    let sees = viewer.may_see(&record);
                    let (a, b) = (token_admits(viewer, &without), token_admits(viewer, &with));
                    assert_eq!(a || b, sees, "{viewer:?} {record} {files}");
                    assert!(!(a && b), "{viewer:?} {record} {files}");
                    assert_eq!(
                        b,
                        sees && viewer.may_see(&files),
                        "{viewer:?} {record} {files}"
                    );
                }
            }
        }
        for garbage in [
            "public/",
            "public/with:",
            "public/maybe:public",
            "x/with:public",
        ] {
            assert!(!token_admits(&Viewer::Anonymous, garbage), "{garbage}");
        }
    }

    #[test]
    fn everyone_admits_every_rule() {
        for written in ["public", "researchers", "restricted", "community:a"] {
            assert!(Audience::Everyone.admits(&written.parse().unwrap()));
        }
        assert!(!Audience::Public.admits(&"researchers".parse().unwrap()));
    }
}
