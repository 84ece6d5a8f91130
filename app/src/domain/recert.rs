//! Delta recertification after a substantive change of a course, as pure functions: what an
//! official certified on an earlier version must do (reread the changed and new lessons, pass a
//! short exam drawn from the changed and new exam questions), and whether they may start it.
//!
//! The short exam follows the course's exam rules (pass mark, time limit, attempts, cooldown,
//! answer shuffling); only its questions and their number differ. When no exam question changed
//! (only lessons did), it draws from the whole pool: a short check that the new text was read.

use super::content::Course;
use super::content::publish::Changes;

/// Questions a short exam draws when the trainer does not say.
pub const DEFAULT_DRAW: u32 = 5;
/// The most questions a short exam may draw.
pub const MAX_DRAW: u32 = 50;

/// What a recertification asks of each official it reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Lesson files to reread (names in the course folder, `02-x.md`), in order: by name, so a
    /// lesson added or removed later does not shift what is asked.
    pub lessons: Vec<String>,
    /// Exam question names the short exam draws from first, in pool order.
    pub questions: Vec<String>,
    /// How many it asks (at least 1, at most the pool): the changed questions first, topped up
    /// from the rest of the pool, so a single changed question cannot be learnt by elimination.
    pub draw: u32,
}

/// Why a recertification cannot be opened for a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoPlan {
    /// The course has no exam (nothing to pass).
    NoExam,
}

/// The plan for `course` (the version now served) after a publish that changed `changes`;
/// `draw` questions asked for (clamped to what there is, and to [`MAX_DRAW`]).
pub fn plan(course: &Course, changes: &Changes, draw: u32) -> Result<Plan, NoPlan> {
    let exam = course.exam.as_ref().ok_or(NoPlan::NoExam)?;
    let reread = changes.lessons_to_reread();
    let lessons: Vec<String> = course
        .lessons
        .iter()
        .map(|l| file_name(&l.file))
        .filter(|f| reread.iter().any(|r| r == f))
        .map(String::from)
        .collect();
    let named = exam.pool.iter().map(|i| i.name()).filter(|n| !n.is_empty());
    let changed: Vec<String> = named
        .clone()
        .filter(|n| changes.questions_added.iter().any(|q| q == n) || changes.questions_changed.iter().any(|q| q == n))
        .map(String::from)
        .collect();
    let questions: Vec<String> = if changed.is_empty() {
        named.map(String::from).collect()
    } else {
        changed
    };
    if questions.is_empty() {
        return Err(NoPlan::NoExam);
    }
    let pool = exam.pool.iter().filter(|i| !i.name().is_empty()).count() as u32;
    let draw = draw.clamp(1, MAX_DRAW).min(pool);
    Ok(Plan {
        lessons,
        questions,
        draw,
    })
}

/// What several substantive publishes changed together (an official certified before all of
/// them rereads what any of them changed): each list the union, in order, without repeats.
pub fn merged(all: &[Changes]) -> Changes {
    let union = |pick: fn(&Changes) -> &Vec<String>| {
        let mut v: Vec<String> = all.iter().flat_map(|c| pick(c).iter().cloned()).collect();
        v.sort();
        v.dedup();
        v
    };
    Changes {
        lessons_added: union(|c| &c.lessons_added),
        lessons_changed: union(|c| &c.lessons_changed),
        lessons_removed: union(|c| &c.lessons_removed),
        questions_added: union(|c| &c.questions_added),
        questions_changed: union(|c| &c.questions_changed),
        questions_removed: union(|c| &c.questions_removed),
        settings_changed: all.iter().any(|c| c.settings_changed),
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The plan's lessons as the course now numbers them: (number, file name), in course order. A
/// lesson the course no longer has asks nothing.
pub fn lesson_numbers(lessons: &[String], course: &Course) -> Vec<u32> {
    course
        .lessons
        .iter()
        .filter(|l| lessons.iter().any(|f| f == file_name(&l.file)))
        .map(|l| l.number)
        .collect()
}

/// The numbers of the plan's lessons not yet read in their current version: `read` holds
/// (lesson number, the hash of the version read).
pub fn lessons_unread(lessons: &[String], course: &Course, read: &[(u32, String)]) -> Vec<u32> {
    course
        .lessons
        .iter()
        .filter(|l| lessons.iter().any(|f| f == file_name(&l.file)))
        .filter(|l| !read.iter().any(|(n, h)| *n == l.number && *h == l.hash))
        .map(|l| l.number)
        .collect()
}

/// The questions a short exam attempt asks, in presentation order: `draw` questions, first the
/// plan's `questions` still in the pool, then the rest of the pool, each part chosen by `seed`
/// (same seed, same questions); shuffled when the exam shuffles. Never empty while the pool has
/// a named question (a plan whose questions were all renamed away draws from the pool).
pub fn draw_questions(course: &Course, questions: &[String], draw: u32, seed: u64) -> Vec<String> {
    let Some(exam) = &course.exam else { return vec![] };
    let named: Vec<&str> = exam.pool.iter().map(|i| i.name()).filter(|n| !n.is_empty()).collect();
    let (first, rest): (Vec<&str>, Vec<&str>) = named.iter().partition(|n| questions.iter().any(|q| q == *n));
    let mut out: Vec<String> = super::exam::draw(first.len(), draw, seed, false)
        .into_iter()
        .map(|i| first[i].to_string())
        .collect();
    let more = (draw as usize).saturating_sub(out.len()) as u32;
    out.extend(
        super::exam::draw(rest.len(), more, seed.rotate_left(17), false)
            .into_iter()
            .map(|i| rest[i].to_string()),
    );
    if exam.settings.shuffle_questions {
        super::grading::SplitMix64(seed ^ 0x5EED).shuffle(&mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::content::publish::changes;
    use crate::domain::content::{SourceFile, fs::read_content_dir, load_library};

    /// The shipped course `d-kiem-tra-xu-ly-vi-pham`, and the same with its first lesson and one
    /// exam question edited.
    fn before_after() -> Option<(Course, Course)> {
        let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../content"));
        let files = read_content_dir(root).ok()?;
        let (lib, _) = load_library(&files);
        let old = lib.course("d-kiem-tra-xu-ly-vi-pham")?.clone();
        let exam = old.exam.as_ref()?;
        let name = exam.pool[2].name().to_string();
        let edited: Vec<SourceFile> = files
            .into_iter()
            .map(|f| {
                let text = String::from_utf8_lossy(&f.bytes).to_string();
                if f.path == old.lessons[0].file {
                    SourceFile::new(f.path, format!("{text}\nMột đoạn mới.\n").into_bytes())
                } else if f.path.ends_with("d-kiem-tra-xu-ly-vi-pham/exam.md") {
                    let at = text.find(&format!("::{name}::")).expect("the question is in exam.md");
                    let end = at + text[at..].find('{').expect("its answers");
                    let mut t = text.clone();
                    t.insert_str(end, " (sửa)");
                    SourceFile::new(f.path, t.into_bytes())
                } else {
                    f
                }
            })
            .collect();
        let (lib, diags) = load_library(&edited);
        assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
        Some((old, lib.course("d-kiem-tra-xu-ly-vi-pham")?.clone()))
    }

    #[test]
    fn a_plan_rereads_the_changed_lesson_and_draws_from_the_changed_question() {
        let Some((old, new)) = before_after() else { return };
        let what = changes(Some(&old), Some(&new));
        let p = plan(&new, &what, 5).expect("the course has an exam");
        let first = new.lessons[0].file.rsplit('/').next().unwrap().to_string();
        assert_eq!(p.lessons, vec![first]);
        assert_eq!(lesson_numbers(&p.lessons, &new), vec![1]);
        let edited = old.exam.as_ref().unwrap().pool[2].name().to_string();
        assert_eq!(p.questions, vec![edited.clone()]);
        assert_eq!(p.draw, 5);
        // One question: the changed one. Five: the changed one first, topped up from the pool.
        assert_eq!(draw_questions(&new, &p.questions, 1, 42), vec![edited.clone()]);
        let five = draw_questions(&new, &p.questions, 5, 42);
        assert_eq!(five.len(), 5);
        assert!(five.contains(&edited));
        let distinct: std::collections::BTreeSet<&String> = five.iter().collect();
        assert_eq!(distinct.len(), 5);

        // Read before the change: still to reread. Read after: done.
        let old_hash = old.lessons[0].hash.clone();
        assert_eq!(lessons_unread(&p.lessons, &new, &[(1, old_hash)]), vec![1]);
        let new_hash = new.lessons[0].hash.clone();
        assert!(lessons_unread(&p.lessons, &new, &[(1, new_hash)]).is_empty());
    }

    #[test]
    fn two_publishes_ask_for_what_either_changed() {
        let a = Changes {
            lessons_changed: vec!["02-b.md".into()],
            questions_changed: vec!["q1".into()],
            ..Changes::default()
        };
        let b = Changes {
            lessons_changed: vec!["01-a.md".into(), "02-b.md".into()],
            questions_added: vec!["q9".into()],
            ..Changes::default()
        };
        let m = merged(&[a, b]);
        assert_eq!(
            m.lessons_to_reread(),
            vec!["01-a.md".to_string(), "02-b.md".to_string()]
        );
        assert_eq!(m.questions_changed, vec!["q1".to_string()]);
        assert_eq!(m.questions_added, vec!["q9".to_string()]);
        assert!(merged(&[]).is_empty());
    }

    #[test]
    fn only_lessons_changed_draws_from_the_whole_pool() {
        let Some((old, new)) = before_after() else { return };
        let mut what = changes(Some(&old), Some(&new));
        what.questions_changed.clear();
        let p = plan(&new, &what, 500).expect("plan");
        let pool = new.exam.as_ref().unwrap().pool.len();
        assert_eq!(p.questions.len(), pool);
        assert_eq!(p.draw, MAX_DRAW.min(pool as u32));
        let drawn = draw_questions(&new, &p.questions, 3, 7);
        assert_eq!(drawn.len(), 3);
        assert_eq!(drawn, draw_questions(&new, &p.questions, 3, 7));
        // A plan whose questions left the pool still asks from the pool.
        let fallback = draw_questions(&new, &["không có".to_string()], 3, 7);
        assert_eq!(fallback.len(), 3);
        assert!(!fallback.contains(&"không có".to_string()));
    }
}
