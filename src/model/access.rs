//! Who is looking: the viewer every visibility decision is made for.
//!
//! A [`Viewer`] is an anonymous visitor or a signed-in account with a [`Role`] and the
//! communities ([`GroupId`]) it belongs to. Whether a viewer may see a record or its files is
//! decided here and nowhere else, from the record's access values (issue 13: `public`,
//! `researchers`, `restricted`, `community:<group-id>`, with `any` or `all` of several
//! communities).

use std::collections::BTreeSet;

use super::{GroupId, Role};

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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anonymous_viewers_have_no_role_and_no_group() {
        let group = GroupId::parse("phuong-trong").unwrap();
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
