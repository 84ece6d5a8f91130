//! Importing a question bank into a course folder on disk (`taphuan content import-gift`): the
//! pure reading is `domain::import`; here the course's file gets the new block only if the whole
//! course still passes the checker, and the write replaces the file in one rename.

use std::collections::BTreeSet;
use std::path::Path;

use crate::domain::content::{Course, Diagnostic, SourceFile, fs::read_content_dir, load_library};
use crate::domain::import::{Destination, Plan, append_block, plan};

/// What an import wrote.
#[derive(Debug)]
pub struct Imported {
    /// The file that received the questions, relative to the content root.
    pub file: String,
    pub plan: Plan,
}

/// Every question name a course uses, in both languages (names are ids across versions).
pub fn names_in(c: &Course) -> BTreeSet<String> {
    let exams = std::iter::once(c.exam.as_ref())
        .chain(c.translations.iter().map(|t| t.exam.as_ref()))
        .flatten()
        .flat_map(|e| e.pool.iter());
    let checks = c
        .lessons
        .iter()
        .chain(c.translations.iter().flat_map(|t| t.lessons.iter()))
        .flat_map(|l| l.checks.iter());
    exams.chain(checks).map(|i| i.name().to_string()).collect()
}

/// Imports bank `src` (named `upload`) into `course` of the content root `dir`. On refusal, the
/// lines to show (`file:line:col: what — instead`); nothing is written then.
pub fn import(
    dir: &Path,
    upload: &str,
    src: &str,
    course: &str,
    destination: Destination,
) -> Result<Imported, Vec<String>> {
    let files = read_content_dir(dir).map_err(|e| vec![format!("cannot read {}: {e}", dir.display())])?;
    let (target, new, plan) = prepare(&files, upload, src, course, destination).map_err(|mut lines| {
        if let Some(first) = lines.first_mut() {
            *first = first.replace("{root}", &dir.display().to_string());
        }
        lines
    })?;
    let path = dir.join(&target);
    let tmp = path.with_extension("md.import-tmp");
    std::fs::write(&tmp, new.as_bytes())
        .and_then(|_| std::fs::rename(&tmp, &path))
        .map_err(|e| vec![format!("cannot write {}: {e}", path.display())])?;
    Ok(Imported { file: target, plan })
}

/// The import of bank `src` (named `upload`) into `course` among `files` (a content root's):
/// the file that receives the questions (path from the root), its new text, and the plan. The
/// whole course must still pass the checker: only problems the import brings count against it.
/// On refusal, the lines to show; `{root}` in the first stands for the content root.
pub fn prepare(
    files: &[SourceFile],
    upload: &str,
    src: &str,
    course: &str,
    destination: Destination,
) -> Result<(String, String, Plan), Vec<String>> {
    let say = |s: String| vec![s];
    let (library, before) = load_library(files);
    let c = library
        .course(course)
        .ok_or_else(|| say(format!("no course `{course}` in {{root}}")))?;
    let target = match destination {
        Destination::Exam => c.exam.as_ref().map(|_| format!("{course}/exam.md")).ok_or_else(|| {
            say(format!(
                "course `{course}` has no exam.md: create it first, or import into a lesson with --lesson N"
            ))
        })?,
        Destination::Lesson(n) => c
            .lessons
            .iter()
            .find(|l| l.number == n)
            .map(|l| l.file.clone())
            .ok_or_else(|| say(format!("course `{course}` has no lesson {n}")))?,
    };
    let plan = plan(upload, src, &names_in(c), destination)
        .map_err(|d| d.iter().map(ToString::to_string).collect::<Vec<_>>())?;
    let mut files = files.to_vec();
    let file = files
        .iter_mut()
        .find(|f| f.path == target)
        .ok_or_else(|| say(format!("cannot find {target}")))?;
    let old = String::from_utf8(file.bytes.clone()).map_err(|_| say(format!("{target} is not UTF-8")))?;
    let new = append_block(&old, &plan.gift);
    file.bytes = new.clone().into_bytes();
    let (_, after) = load_library(&files);
    let known: BTreeSet<String> = before
        .iter()
        .filter(|d| d.is_error())
        .map(Diagnostic::to_string)
        .collect();
    let brought: Vec<String> = after
        .iter()
        .filter(|d| d.is_error())
        .map(Diagnostic::to_string)
        .filter(|d| !known.contains(d))
        .collect();
    if !brought.is_empty() {
        let mut lines = vec![format!(
            "with these questions {target} would not pass the checker; nothing was written:"
        )];
        lines.extend(brought);
        return Err(lines);
    }
    Ok((target, new, plan))
}
