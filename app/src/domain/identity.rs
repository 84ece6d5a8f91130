//! Who someone is in Taphuan: roles, and the newtypes that hold only valid sign-in input.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What an account may do. Every account may learn; the other roles are granted (several at
/// once), a manager's for one or more agency subtrees, a trainer's for all or named courses.
/// Ordered: the highest role held decides the home page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Learner,
    Trainer,
    Manager,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Learner, Role::Trainer, Role::Manager, Role::Admin];

    /// The stored, stable name of the role.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Learner => "learner",
            Role::Trainer => "trainer",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    /// Parses a stored role name; `None` for anything else.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim().to_ascii_lowercase())
    }

    /// The page a person of this role lands on after signing in.
    pub fn home_path(self) -> &'static str {
        match self {
            Role::Learner => "/learn",
            Role::Trainer => "/content",
            Role::Manager => "/coverage",
            Role::Admin => "/admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The courses a trainer may work on: every course, or the ones named in their grants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Courses {
    All,
    Only(Vec<String>),
}

impl Courses {
    pub fn allows(&self, course_id: &str) -> bool {
        match self {
            Courses::All => true,
            Courses::Only(ids) => ids.iter().any(|c| c == course_id),
        }
    }
}

/// Whether someone may grant or withdraw `role` at the agency whose path is `agency_path`: an
/// admin any right; a manager only the manager role, and only inside a subtree they manage
/// (`manager_paths`, materialised paths such as `/1/4/`); nobody else anything.
pub fn may_assign(is_admin: bool, manager_paths: &[&str], role: Role, agency_path: Option<&str>) -> bool {
    if is_admin {
        return true;
    }
    role == Role::Manager && agency_path.is_some_and(|p| manager_paths.iter().any(|m| p.starts_with(m)))
}

/// A right (granted or withdrawn) as the rights page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GrantView {
    pub id: i64,
    pub username: String,
    /// The holder's name (the official's, else the sign-in name).
    pub name: String,
    pub role: Role,
    /// A manager's subtree: the agency at its top.
    pub agency: Option<String>,
    /// A trainer limited to one course; None: every course.
    pub course: Option<String>,
    pub reason: String,
    /// Who granted it, by name; None: from the command line.
    pub granted_by: Option<String>,
    pub granted_on: chrono::NaiveDate,
    /// Withdrawn: by whom (None: command line), when and why.
    pub withdrawn: Option<(Option<String>, chrono::NaiveDate, String)>,
    /// The viewer may withdraw it.
    pub may_withdraw: bool,
}

/// A user name as typed at sign-in: trimmed, lower-cased, 3–64 characters of
/// `a-z 0-9 . _ -` (so it can double as a roster-generated login later).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Username, &'static str> {
        let s = raw.trim().to_lowercase();
        if s.len() < 3 || s.len() > 64 {
            return Err("username must be 3 to 64 characters");
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        {
            return Err("username may contain only a-z, 0-9, '.', '_' and '-'");
        }
        Ok(Username(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password a new account may be given: at least 8 characters (counted as characters, so
/// Vietnamese passphrases are fine), at most 256 so hashing cost stays bounded.
#[derive(Clone)]
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(raw: &str) -> Result<NewPassword, &'static str> {
        let n = raw.chars().count();
        if n < 8 {
            return Err("password must be at least 8 characters");
        }
        if n > 256 {
            return Err("password must be at most 256 characters");
        }
        Ok(NewPassword(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_stored_name() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("Manager"), Some(Role::Manager));
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn only_an_admin_assigns_any_right_and_a_manager_only_managers_inside_their_subtrees() {
        assert!(may_assign(true, &[], Role::Admin, None));
        assert!(may_assign(true, &[], Role::Trainer, None));
        let mine = ["/1/4/", "/1/9/"];
        assert!(may_assign(false, &mine, Role::Manager, Some("/1/4/")));
        assert!(may_assign(false, &mine, Role::Manager, Some("/1/9/12/")));
        assert!(!may_assign(false, &mine, Role::Manager, Some("/1/")));
        assert!(!may_assign(false, &mine, Role::Manager, Some("/1/40/")));
        assert!(!may_assign(false, &mine, Role::Manager, None));
        assert!(!may_assign(false, &mine, Role::Trainer, Some("/1/4/")));
        assert!(!may_assign(false, &mine, Role::Admin, Some("/1/4/")));
        assert!(!may_assign(false, &[], Role::Manager, Some("/1/4/")));
    }

    #[test]
    fn a_trainer_of_named_courses_works_on_those_only() {
        assert!(Courses::All.allows("a"));
        let some = Courses::Only(vec!["a".into()]);
        assert!(some.allows("a") && !some.allows("b"));
    }

    #[test]
    fn usernames_are_normalised_and_restricted() {
        assert_eq!(Username::parse("  HocVien ").unwrap().as_str(), "hocvien");
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse("nguyễn").is_err());
        assert!(Username::parse("a b c").is_err());
    }

    #[test]
    fn passwords_count_characters_not_bytes() {
        assert!(NewPassword::parse("mậtkhẩu").is_err()); // 7 characters, 10 bytes
        assert!(NewPassword::parse("mậtkhẩu1").is_ok());
        assert_eq!(
            format!("{:?}", NewPassword::parse("secret-pass").unwrap()),
            "NewPassword(***)"
        );
    }
}
