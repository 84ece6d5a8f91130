//! Which courses an official must take: the union of the required courses of every active
//! program whose population contains them, each due by the earliest deadline among those
//! programs.
//!
//! A program's population is an agency subtree (by materialised path, `/1/4/` contains
//! `/1/4/9/`) × positions (an empty list = every position) × the enforcement duty when the
//! program is `enforcement_only`. Pure: the server loads the rows, this decides.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What the rules need to know about an official.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Official {
    /// Materialised path of their agency, `/1/4/9/`.
    pub agency_path: String,
    pub position: String,
    pub enforcement: bool,
}

/// What the rules need to know about a program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramRule {
    pub code: String,
    pub name: String,
    /// Materialised path of the program's root agency.
    pub root_path: String,
    /// Empty = every position.
    pub positions: Vec<String>,
    pub enforcement_only: bool,
    pub course_ids: Vec<String>,
    pub deadline: NaiveDate,
    pub active: bool,
}

impl ProgramRule {
    /// Whether `who` is in this program's population (inactive programs contain nobody).
    pub fn contains(&self, who: &Official) -> bool {
        self.active
            && who.agency_path.starts_with(&self.root_path)
            && (self.positions.is_empty() || self.positions.iter().any(|p| p.trim() == who.position.trim()))
            && (!self.enforcement_only || who.enforcement)
    }
}

/// A course an official must take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub course_id: String,
    /// The earliest deadline of the programs that require it.
    pub due: NaiveDate,
    /// Codes of the programs that require it, in program order.
    pub programs: Vec<String>,
}

/// The courses `who` must take, ordered by due date then course id.
pub fn assignments(who: &Official, programs: &[ProgramRule]) -> Vec<Assignment> {
    let mut out: Vec<Assignment> = Vec::new();
    for p in programs.iter().filter(|p| p.contains(who)) {
        for c in &p.course_ids {
            match out.iter_mut().find(|a| &a.course_id == c) {
                Some(a) => {
                    a.due = a.due.min(p.deadline);
                    if !a.programs.contains(&p.code) {
                        a.programs.push(p.code.clone());
                    }
                }
                None => out.push(Assignment {
                    course_id: c.clone(),
                    due: p.deadline,
                    programs: vec![p.code.clone()],
                }),
            }
        }
    }
    out.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.course_id.cmp(&b.course_id)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn program(
        code: &str,
        root: &str,
        positions: &[&str],
        enforcement_only: bool,
        courses: &[&str],
        due: NaiveDate,
    ) -> ProgramRule {
        ProgramRule {
            code: code.into(),
            name: code.into(),
            root_path: root.into(),
            positions: positions.iter().map(|s| s.to_string()).collect(),
            enforcement_only,
            course_ids: courses.iter().map(|s| s.to_string()).collect(),
            deadline: due,
            active: true,
        }
    }

    fn officer(path: &str, position: &str, enforcement: bool) -> Official {
        Official {
            agency_path: path.into(),
            position: position.into(),
            enforcement,
        }
    }

    #[test]
    fn the_population_is_subtree_times_position_times_duty() {
        let p = program(
            "P",
            "/1/4/",
            &["Kiểm soát viên thị trường"],
            true,
            &["a"],
            d(2026, 12, 31),
        );
        let cases = [
            (officer("/1/4/9/", "Kiểm soát viên thị trường", true), true),
            (officer("/1/4/", "Kiểm soát viên thị trường", true), true),
            (officer("/1/5/", "Kiểm soát viên thị trường", true), false),
            (officer("/1/44/", "Kiểm soát viên thị trường", true), false),
            (officer("/1/4/9/", "Kế toán", true), false),
            (officer("/1/4/9/", "Kiểm soát viên thị trường", false), false),
        ];
        for (who, inside) in cases {
            assert_eq!(p.contains(&who), inside, "{who:?}");
        }
        let inactive = ProgramRule { active: false, ..p };
        assert!(!inactive.contains(&officer("/1/4/9/", "Kiểm soát viên thị trường", true)));
    }

    #[test]
    fn courses_are_the_union_due_by_the_earliest_deadline() {
        let programs = [
            program("THUCTHI", "/1/", &[], true, &["a", "b", "f"], d(2026, 12, 31)),
            program("TONGQUAN", "/1/", &[], false, &["f"], d(2027, 3, 31)),
            program("OTHER", "/2/", &[], false, &["e"], d(2026, 1, 1)),
        ];
        let got = assignments(&officer("/1/4/", "x", true), &programs);
        let ids: Vec<_> = got.iter().map(|a| (a.course_id.as_str(), a.due)).collect();
        assert_eq!(
            ids,
            vec![("a", d(2026, 12, 31)), ("b", d(2026, 12, 31)), ("f", d(2026, 12, 31))]
        );
        assert_eq!(got[2].programs, vec!["THUCTHI", "TONGQUAN"]);
        // Without an enforcement duty only the overview course is required.
        let got = assignments(&officer("/1/4/", "x", false), &programs);
        assert_eq!(got.len(), 1);
        assert_eq!((got[0].course_id.as_str(), got[0].due), ("f", d(2027, 3, 31)));
    }
}
