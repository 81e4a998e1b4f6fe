//! Who may see what: a record's access rule ([`Access`]), the viewer every visibility decision
//! is made for ([`Viewer`]), and the one decision between them ([`Viewer::may_see`],
//! [`Viewer::may_see_files`]).
//!
//! Issue 13 grew the access values from three levels to community protocols, as Mukurtu has
//! them: `public`, `researchers`, `restricted` (archivists only) and `community:<group-id>`,
//! several communities of which a viewer needs `any` (the default) or `all`. A record's files may
//! have a narrower rule than its description (`files_access`: a public description of a secret
//! technique, its film for the guild only). Every stage asks this module and nothing else, so a
//! route cannot decide differently from the index or from ingest.
//!
//! An administrator does **not** bypass protocols: it sees what a researcher with its
//! memberships sees. Mukurtu's manual calls its Drupal administrator's bypass of every protocol
//! "effectively unavoidable" (`../shared/REFERENCE.md`, Mukurtu 4, site roles); communities
//! trusting us with craft secrets should not have to trust every administrator too.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{GroupId, InvalidValue, Record, Role};

/// The prefix of a community access value: `community:phuong-trong-doi-tam`.
pub const COMMUNITY_PREFIX: &str = "community:";

/// Whether a viewer needs to belong to any or to all of a rule's communities.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Need {
    /// A member of at least one of them (the default).
    #[default]
    Any,
    /// A member of every one of them.
    All,
}

impl Need {
    /// The keyword archivists write (`any`, `all`).
    pub fn as_str(self) -> &'static str {
        match self {
            Need::Any => "any",
            Need::All => "all",
        }
    }
}

impl fmt::Display for Need {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Need {
    type Err = InvalidValue;
    fn from_str(text: &str) -> Result<Self, InvalidValue> {
        match text.trim().to_lowercase().as_str() {
            "any" => Ok(Need::Any),
            "all" => Ok(Need::All),
            _ => Err(InvalidValue::from(crate::msg!(
                "model-not-a-need",
                "'{text}' is not a need; use one of: any, all",
                text = text.trim()
            ))),
        }
    }
}

/// Who may see a record (or its files).
///
/// Serialised in `record.json` as the keyword (`"public"`, `"researchers"`, `"restricted"`), as
/// records have always had it, and a community rule as an object
/// `{"communities": ["phuong-trong"], "need": "any"}`: older records read unchanged, and
/// [`super::SCHEMA_VERSION`] stays 1 (only values and an optional field were added). A Disan
/// from before issue 13 cannot read a community rule: it counts such a record as unreadable,
/// which indexes and serves nothing of it, never as public.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "AccessJson", into = "AccessJson")]
pub enum Access {
    /// Everyone, including anonymous visitors.
    Public,
    /// Signed-in accounts (researchers and above); invisible to anonymous visitors.
    Researchers,
    /// Archivists only; invisible on every public route.
    Restricted,
    /// Members of these communities (any or all of them, as `need` says) and archivists.
    Community {
        /// The communities, never empty.
        groups: BTreeSet<GroupId>,
        /// Whether a viewer needs any or all of them.
        need: Need,
    },
}

/// The words an access value may be, for messages.
const ACCESS_WORDS: &str = "public, researchers, restricted, community:<group-id>";

impl Access {
    /// Reads one access value: `public`, `researchers`, `restricted` (any case) or
    /// `community:<group-id>` (one community, need `any`).
    ///
    /// # Errors
    /// An unknown word (`'privat' is not an access level; use one of: …`) or a group id that is
    /// not a lowercase slug.
    fn parse_one(text: &str) -> Result<Access, InvalidValue> {
        let trimmed = text.trim();
        let lower = trimmed.to_lowercase();
        if let Some(group) = lower
            .starts_with(COMMUNITY_PREFIX)
            .then(|| &trimmed[COMMUNITY_PREFIX.len()..])
        {
            let group = GroupId::parse(group).map_err(|e| {
                InvalidValue::from(crate::msg!(
                    "model-no-valid-community",
                    "'{trimmed}' names no valid community: {why}",
                    trimmed = trimmed,
                    why = e.message()
                ))
            })?;
            return Ok(Access::Community {
                groups: [group].into(),
                need: Need::Any,
            });
        }
        match lower.as_str() {
            "public" => Ok(Access::Public),
            "researchers" => Ok(Access::Researchers),
            "restricted" => Ok(Access::Restricted),
            _ => Err(InvalidValue::from(crate::msg!(
                "model-not-an-access-level",
                "'{trimmed}' is not an access level; use one of: {words}",
                trimmed = trimmed,
                words = ACCESS_WORDS
            ))),
        }
    }

    /// Builds a rule from every value a row (or a front matter) gives, in order, and its need.
    /// Several values must all be communities; `need` (`None` when not written) is for
    /// communities only.
    ///
    /// # Errors
    /// The first bad value ([`Access::from_str`]'s message); `public`, `researchers` or
    /// `restricted` together with another value; a need written for a rule that is not a
    /// community's.
    pub fn from_values(values: &[&str], need: Option<Need>) -> Result<Access, InvalidValue> {
        let parsed = values
            .iter()
            .map(|value| Access::parse_one(value))
            .collect::<Result<Vec<_>, _>>()?;
        let mut groups = BTreeSet::new();
        let mut level = None;
        for (value, access) in values.iter().zip(parsed) {
            match access {
                Access::Community { groups: named, .. } => groups.extend(named),
                plain => {
                    if level.is_some() || values.len() > 1 {
                        return Err(InvalidValue::from(crate::msg!(
                            "model-access-level-with-others",
                            "'{value}' cannot be given with other access values ({values}): only community values may be repeated, and a record is either {level} or for communities",
                            value = value.trim(),
                            values = values
                                .iter()
                                .map(|v| v.trim())
                                .collect::<Vec<_>>()
                                .join(", "),
                            level = plain.to_string()
                        )));
                    }
                    level = Some(plain);
                }
            }
        }
        match (level, need) {
            (Some(level), None) => Ok(level),
            (Some(level), Some(need)) => Err(InvalidValue::from(crate::msg!(
                "model-need-without-communities",
                "a need ('{need}') is only for community access values, but the access is {level}",
                need = need.to_string(),
                level = level.to_string()
            ))),
            (None, need) if !groups.is_empty() => Ok(Access::Community {
                groups,
                need: need.unwrap_or_default(),
            }),
            (None, _) => Err(InvalidValue::from(crate::msg!(
                "model-no-access-value",
                "no access value is given; use one of: {words}",
                words = ACCESS_WORDS
            ))),
        }
    }

    /// Whether this rule admits every viewer `other` admits, so that a files rule `self` under a
    /// record rule `other` changes nothing. Archivists see everything under every rule and are
    /// left out. Decided from the rules' shapes (see the test that checks it against every
    /// viewer).
    pub fn admits_all_of(&self, other: &Access) -> bool {
        use Access::{Community, Public, Researchers, Restricted};
        match (self, other) {
            (Public, _) => true,
            (Researchers, other) => *other != Public,
            (Restricted, other) => *other == Restricted,
            (Community { .. }, Restricted) => true,
            (Community { .. }, Public | Researchers) => false,
            (
                Community {
                    groups: mine,
                    need: my_need,
                },
                Community {
                    groups: theirs,
                    need: their_need,
                },
            ) => match (my_need, their_need) {
                // Anyone belonging to one of theirs belongs to one of mine.
                (Need::Any, Need::Any) => theirs.is_subset(mine),
                // Anyone belonging to all of theirs belongs to one of mine.
                (Need::Any, Need::All) => !theirs.is_disjoint(mine),
                // Anyone belonging to all of theirs belongs to all of mine.
                (Need::All, Need::All) => mine.is_subset(theirs),
                // Anyone belonging to any one of theirs belongs to all of mine: one group each.
                (Need::All, Need::Any) => mine.len() == 1 && theirs == mine,
            },
        }
    }

    /// The communities the rule names (none for the three levels).
    pub fn groups(&self) -> impl Iterator<Item = &GroupId> {
        let groups = match self {
            Access::Community { groups, .. } => Some(groups.iter()),
            _ => None,
        };
        groups.into_iter().flatten()
    }
}

impl FromStr for Access {
    type Err = InvalidValue;
    /// One access value, as [`Access::from_values`] with one value and no need.
    fn from_str(text: &str) -> Result<Self, InvalidValue> {
        Access::parse_one(text)
    }
}

impl fmt::Display for Access {
    /// As archivists write it: `public`, `community:a`, `community:a, community:b (all)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Access::Public => f.write_str("public"),
            Access::Researchers => f.write_str("researchers"),
            Access::Restricted => f.write_str("restricted"),
            Access::Community { groups, need } => {
                let named: Vec<String> = groups
                    .iter()
                    .map(|group| format!("{COMMUNITY_PREFIX}{group}"))
                    .collect();
                f.write_str(&named.join(", "))?;
                if groups.len() > 1 {
                    write!(f, " ({need})")?;
                }
                Ok(())
            }
        }
    }
}

/// [`Access`] as `record.json` holds it.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum AccessJson {
    /// `"public"`, `"researchers"`, `"restricted"` (and, leniently, `"community:id"`).
    Word(String),
    /// A community rule.
    Community {
        communities: BTreeSet<GroupId>,
        #[serde(default)]
        need: Need,
    },
}

impl TryFrom<AccessJson> for Access {
    type Error = InvalidValue;
    fn try_from(json: AccessJson) -> Result<Self, InvalidValue> {
        match json {
            AccessJson::Word(word) => word.parse(),
            AccessJson::Community { communities, need } if !communities.is_empty() => {
                Ok(Access::Community {
                    groups: communities,
                    need,
                })
            }
            AccessJson::Community { .. } => Err(InvalidValue::english(
                "a community access rule names no community",
            )),
        }
    }
}

impl From<Access> for AccessJson {
    fn from(access: Access) -> Self {
        match access {
            Access::Community { groups, need } => AccessJson::Community {
                communities: groups,
                need,
            },
            plain => AccessJson::Word(plain.to_string()),
        }
    }
}

/// Who a page, a search or a file is served to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Viewer {
    /// Nobody signed in: public material only.
    #[default]
    Anonymous,
    /// A signed-in account (a session or a personal API token) that is enabled.
    Account {
        /// What the account may do.
        role: Role,
        /// The communities it is a member of.
        groups: BTreeSet<GroupId>,
    },
}

impl Viewer {
    /// The viewer's role, `None` when anonymous.
    pub fn role(&self) -> Option<Role> {
        match self {
            Viewer::Anonymous => None,
            Viewer::Account { role, .. } => Some(*role),
        }
    }

    /// Whether the viewer is a member of `group`.
    pub fn is_member(&self, group: &GroupId) -> bool {
        match self {
            Viewer::Anonymous => false,
            Viewer::Account { groups, .. } => groups.contains(group),
        }
    }

    /// The decision: whether this viewer may see what `access` guards.
    ///
    /// Anonymous visitors: `public` only. Researchers and administrators: `public`,
    /// `researchers`, and community rules their memberships satisfy (any or all of the
    /// communities, as the rule's need says); never `restricted`. Archivists: everything.
    /// Administrators do not bypass protocols (see the module's documentation).
    pub fn may_see(&self, access: &Access) -> bool {
        match (self.role(), access) {
            (_, Access::Public) => true,
            (None, _) => false,
            (Some(Role::Archivist), _) => true,
            (Some(Role::Researcher | Role::Admin), Access::Researchers) => true,
            (Some(Role::Researcher | Role::Admin), Access::Restricted) => false,
            (Some(Role::Researcher | Role::Admin), Access::Community { groups, need }) => {
                match need {
                    Need::Any => groups.iter().any(|group| self.is_member(group)),
                    Need::All => groups.iter().all(|group| self.is_member(group)),
                }
            }
        }
    }

    /// Whether this viewer may see `record` itself: it is not withdrawn (a withdrawn record is
    /// seen by nobody, archivists included: [`Record::withdrawal`]) and the viewer may see its
    /// access rule ([`Viewer::may_see`]).
    pub fn may_see_record(&self, record: &Record) -> bool {
        record.withdrawal.is_none() && self.may_see(&record.access)
    }

    /// Whether this viewer may see `record`'s files: it may see the record
    /// ([`Viewer::may_see_record`]) and its files rule ([`Record::files_rule`]).
    pub fn may_see_files(&self, record: &Record) -> bool {
        self.may_see_record(record) && self.may_see(record.files_rule())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(id: &str) -> GroupId {
        GroupId::parse(id).unwrap()
    }

    fn community(ids: &[&str], need: Need) -> Access {
        Access::Community {
            groups: ids.iter().map(|id| group(id)).collect(),
            need,
        }
    }

    /// Every viewer over the groups `a` and `b`: anonymous, and each role with each membership.
    fn every_viewer() -> Vec<Viewer> {
        let memberships: [&[&str]; 4] = [&[], &["a"], &["b"], &["a", "b"]];
        let mut viewers = vec![Viewer::Anonymous];
        for role in Role::ALL {
            for groups in memberships {
                viewers.push(Viewer::Account {
                    role: *role,
                    groups: groups.iter().map(|id| group(id)).collect(),
                });
            }
        }
        viewers
    }

    /// Every rule over the groups `a` and `b`.
    fn every_rule() -> Vec<Access> {
        let mut rules = vec![Access::Public, Access::Researchers, Access::Restricted];
        for need in [Need::Any, Need::All] {
            for groups in [&["a"][..], &["b"], &["a", "b"]] {
                rules.push(community(groups, need));
            }
        }
        rules
    }

    /// What the issue says each viewer sees, written out independently of `may_see`.
    fn expected(viewer: &Viewer, rule: &Access) -> bool {
        let (role, groups) = match viewer {
            Viewer::Anonymous => return *rule == Access::Public,
            Viewer::Account { role, groups } => (*role, groups),
        };
        if role == Role::Archivist {
            return true;
        }
        match rule {
            Access::Public | Access::Researchers => true,
            Access::Restricted => false,
            Access::Community {
                groups: needed,
                need: Need::Any,
            } => needed.intersection(groups).next().is_some(),
            Access::Community {
                groups: needed,
                need: Need::All,
            } => needed.is_subset(groups),
        }
    }

    #[test]
    fn every_role_membership_rule_and_need_is_decided_as_the_issue_says() {
        let (viewers, rules) = (every_viewer(), every_rule());
        assert_eq!(viewers.len() * rules.len(), 13 * 9);
        for viewer in &viewers {
            for rule in &rules {
                assert_eq!(
                    viewer.may_see(rule),
                    expected(viewer, rule),
                    "{viewer:?} / {rule}"
                );
            }
        }
        // Spot checks stated plainly.
        let admin_of_nothing = Viewer::Account {
            role: Role::Admin,
            groups: BTreeSet::new(),
        };
        assert!(!admin_of_nothing.may_see(&Access::Restricted));
        assert!(!admin_of_nothing.may_see(&community(&["a"], Need::Any)));
        let member_a = Viewer::Account {
            role: Role::Researcher,
            groups: [group("a")].into(),
        };
        assert!(member_a.may_see(&community(&["a", "b"], Need::Any)));
        assert!(!member_a.may_see(&community(&["a", "b"], Need::All)));
        assert!(!Viewer::Anonymous.may_see(&Access::Researchers));
    }

    #[test]
    fn files_are_seen_only_under_both_rules() {
        let record = |access: Access, files_access: Option<Access>| -> Record {
            serde_json::from_value(serde_json::json!({
                "schema": 1, "id": "r", "kind": "film", "access": access,
                "files_access": files_access, "dc": {}, "files": [],
                "provenance": {"batch": "b", "path": "p"},
            }))
            .unwrap()
        };
        for viewer in every_viewer() {
            for rule in every_rule() {
                for files in every_rule() {
                    let record = record(rule.clone(), Some(files.clone()));
                    assert_eq!(
                        viewer.may_see_files(&record),
                        expected(&viewer, &rule) && expected(&viewer, &files),
                        "{viewer:?} / {rule} / files {files}"
                    );
                }
                let plain = record(rule.clone(), None);
                assert_eq!(viewer.may_see_files(&plain), expected(&viewer, &rule));
            }
        }
    }

    #[test]
    fn a_withdrawn_record_is_seen_by_nobody_archivists_included() {
        let mut record: Record = serde_json::from_value(serde_json::json!({
            "schema": 1, "id": "r", "kind": "film", "access": "public", "dc": {}, "files": [],
            "provenance": {"batch": "b", "path": "p"},
        }))
        .unwrap();
        assert!(
            record.withdrawal.is_none(),
            "old record.json reads without one"
        );
        for viewer in every_viewer() {
            assert!(viewer.may_see_record(&record), "{viewer:?}");
        }
        record.withdrawal = Some(crate::model::Withdrawal {
            reason: "consent withdrawn".into(),
            by: "thu".into(),
            at: "2026-12-01T10:00:00Z".into(),
        });
        for viewer in every_viewer() {
            assert!(!viewer.may_see_record(&record), "{viewer:?}");
            assert!(!viewer.may_see_files(&record), "{viewer:?}");
        }
    }

    #[test]
    fn admits_all_of_agrees_with_every_viewer() {
        let viewers: Vec<Viewer> = every_viewer()
            .into_iter()
            .filter(|viewer| viewer.role() != Some(Role::Archivist))
            .collect();
        for wide in every_rule() {
            for narrow in every_rule() {
                let by_viewers = viewers
                    .iter()
                    .all(|viewer| !viewer.may_see(&narrow) || viewer.may_see(&wide));
                assert_eq!(wide.admits_all_of(&narrow), by_viewers, "{wide} ⊇ {narrow}");
            }
        }
    }

    #[test]
    fn values_parse_with_the_errors_archivists_read() {
        assert_eq!("Public".parse::<Access>().unwrap(), Access::Public);
        assert_eq!(
            "community:phuong-trong".parse::<Access>().unwrap(),
            community(&["phuong-trong"], Need::Any)
        );
        assert_eq!(
            "privat".parse::<Access>().unwrap_err().0,
            "'privat' is not an access level; use one of: public, researchers, restricted, community:<group-id>"
        );
        assert_eq!(
            "community:Phuong Trong".parse::<Access>().unwrap_err().0,
            "'community:Phuong Trong' names no valid community: 'Phuong Trong' is not a valid group id: use 1 to 100 letters a-z, digits and '-' (no spaces)"
        );
        assert_eq!(
            Access::from_values(&["community:b", "community:a"], Some(Need::All)).unwrap(),
            community(&["a", "b"], Need::All)
        );
        assert_eq!(
            Access::from_values(&["public", "community:a"], None)
                .unwrap_err()
                .0,
            "'public' cannot be given with other access values (public, community:a): only community values may be repeated, and a record is either public or for communities"
        );
        assert_eq!(
            Access::from_values(&["researchers", "researchers"], None)
                .unwrap_err()
                .0,
            "'researchers' cannot be given with other access values (researchers, researchers): only community values may be repeated, and a record is either researchers or for communities"
        );
        assert_eq!(
            Access::from_values(&["restricted"], Some(Need::All))
                .unwrap_err()
                .0,
            "a need ('all') is only for community access values, but the access is restricted"
        );
        assert_eq!(
            "most".parse::<Need>().unwrap_err().0,
            "'most' is not a need; use one of: any, all"
        );
    }

    #[test]
    fn json_reads_old_records_and_round_trips_new_rules() {
        // Records written before issue 13 hold a keyword.
        for (json, access) in [
            ("\"public\"", Access::Public),
            ("\"researchers\"", Access::Researchers),
            ("\"restricted\"", Access::Restricted),
        ] {
            assert_eq!(serde_json::from_str::<Access>(json).unwrap(), access);
            assert_eq!(serde_json::to_string(&access).unwrap(), json);
        }
        let rule = community(&["a", "b"], Need::All);
        let json = serde_json::to_string(&rule).unwrap();
        assert_eq!(json, r#"{"communities":["a","b"],"need":"all"}"#);
        assert_eq!(serde_json::from_str::<Access>(&json).unwrap(), rule);
        assert_eq!(
            serde_json::from_str::<Access>(r#"{"communities":["a"]}"#).unwrap(),
            community(&["a"], Need::Any)
        );
        assert!(serde_json::from_str::<Access>(r#"{"communities":[]}"#).is_err());
        assert!(serde_json::from_str::<Access>("\"secret\"").is_err());
    }

    #[test]
    fn anonymous_viewers_have_no_role_and_no_group() {
        let group = group("phuong-trong");
        assert_eq!(Viewer::Anonymous.role(), None);
        assert!(!Viewer::Anonymous.is_member(&group));
        let member = Viewer::Account {
            role: Role::Researcher,
            groups: [group.clone()].into(),
        };
        assert_eq!(member.role(), Some(Role::Researcher));
        assert!(member.is_member(&group));
    }
}
