//! Publishing from the browser editor, as pure functions: which folder a course is served from
//! (its folder on disk, or the editor's newest publish of it), a course with drafts laid over it,
//! and what a publish changed.
//!
//! The rule for where a course comes from: the editor's newest publish of a course stands over
//! the course's folder on disk for as long as that folder is the one the trainer published over
//! (its hash is the publish's `based_on`). Once the folder changes (someone edited the files and
//! reloaded), the folder is newer and wins. So files and editor round-trip: what the editor
//! publishes `taphuan content export` writes out as files, and files edited later show in the
//! editor.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::model::{Course, SourceFile};
use super::text::sha256_parts;

/// The editor's newest publish of one course: its whole folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlay {
    pub course_id: String,
    pub publish_id: i64,
    /// Hash ([`folder_hash`]) of the course's folder on disk when this was published.
    pub based_on: String,
    /// The folder's files, paths from the content root (`<course>/…`).
    pub files: Vec<SourceFile>,
}

/// Where each course of an assembled library comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origins {
    /// Courses served from an editor publish: course id → publish id.
    pub published: BTreeMap<String, i64>,
    /// Courses whose folder changed after their newest editor publish: served from the folder.
    pub superseded: BTreeMap<String, i64>,
    /// Courses whose newest editor publish does not load: served from the folder.
    pub refused: BTreeMap<String, i64>,
    /// Course id → hash of its folder on disk (absent: no folder).
    pub disk_hashes: BTreeMap<String, String>,
}

/// The course folder a path belongs to (`a-khung/01-x.md` → `a-khung`); root files have none.
pub fn course_of(path: &str) -> Option<&str> {
    path.split_once('/').map(|(dir, _)| dir).filter(|d| !d.is_empty())
}

/// A hash of one course folder's files (paths inside the folder and bytes): changes when any
/// file of the folder is added, removed, renamed or edited.
pub fn folder_hash(files: &[SourceFile], course: &str) -> String {
    let prefix = format!("{course}/");
    let mut mine: Vec<&SourceFile> = files.iter().filter(|f| f.path.starts_with(&prefix)).collect();
    mine.sort_by(|a, b| a.path.cmp(&b.path));
    sha256_parts(mine.iter().map(|f| (f.path.as_str(), f.bytes.as_slice())))
}

/// The library's files: the disk's, with each course whose newest editor publish still stands
/// (see the module's rule) replaced by that publish's folder.
pub fn assemble(disk: Vec<SourceFile>, overlays: &[Overlay]) -> (Vec<SourceFile>, Origins) {
    let mut origins = Origins::default();
    let courses: BTreeSet<String> = disk
        .iter()
        .filter_map(|f| course_of(&f.path))
        .map(String::from)
        .collect();
    for c in &courses {
        origins.disk_hashes.insert(c.clone(), folder_hash(&disk, c));
    }
    let mut standing: BTreeMap<&str, &Overlay> = BTreeMap::new();
    for o in overlays {
        let on_disk = origins.disk_hashes.get(&o.course_id);
        // A course published from the editor that has no folder on disk, or whose folder is the
        // one it was published over, is served from the publish.
        if on_disk.is_none_or(|h| *h == o.based_on) {
            standing.insert(&o.course_id, o);
            origins.published.insert(o.course_id.clone(), o.publish_id);
        } else {
            origins.superseded.insert(o.course_id.clone(), o.publish_id);
        }
    }
    let mut files: Vec<SourceFile> = disk
        .into_iter()
        .filter(|f| course_of(&f.path).is_none_or(|c| !standing.contains_key(c)))
        .collect();
    for o in standing.values() {
        files.extend(
            o.files
                .iter()
                .filter(|f| course_of(&f.path) == Some(o.course_id.as_str()))
                .cloned(),
        );
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    (files, origins)
}

/// One course's files with `drafts` (path from the content root → text) laid over them: a draft
/// replaces its file or adds a new one.
pub fn with_drafts(course_files: &[SourceFile], drafts: &BTreeMap<String, Vec<u8>>) -> Vec<SourceFile> {
    let mut out: BTreeMap<String, Vec<u8>> = course_files.iter().map(|f| (f.path.clone(), f.bytes.clone())).collect();
    for (path, bytes) in drafts {
        out.insert(path.clone(), bytes.clone());
    }
    out.into_iter()
        .map(|(path, bytes)| SourceFile { path, bytes })
        .collect()
}

/// What a publish changed, by lesson file and question name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Changes {
    pub lessons_added: Vec<String>,
    pub lessons_changed: Vec<String>,
    pub lessons_removed: Vec<String>,
    pub questions_added: Vec<String>,
    pub questions_changed: Vec<String>,
    pub questions_removed: Vec<String>,
    /// course.md (title, audience, references…) or the exam's settings changed.
    pub settings_changed: bool,
}

impl Changes {
    /// Nothing a learner would see changed.
    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }

    /// The lesson files whose text a learner must read again (added or changed).
    pub fn lessons_to_reread(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .lessons_added
            .iter()
            .chain(&self.lessons_changed)
            .cloned()
            .collect();
        v.sort();
        v
    }
}

/// What changed from `old` to `new` (either absent: a course added or removed).
pub fn changes(old: Option<&Course>, new: Option<&Course>) -> Changes {
    fn lessons(c: Option<&Course>) -> BTreeMap<String, String> {
        // By the file's name in the course folder.
        c.map(|c| {
            c.lessons
                .iter()
                .map(|l| {
                    (
                        l.file.rsplit('/').next().unwrap_or_default().to_string(),
                        l.hash.clone(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
    }
    fn questions(c: Option<&Course>) -> BTreeMap<String, String> {
        let mut m = BTreeMap::new();
        if let Some(c) = c {
            let items = c
                .lessons
                .iter()
                .flat_map(|l| &l.checks)
                .chain(c.exam.iter().flat_map(|e| &e.pool));
            for it in items {
                let key = if it.name().is_empty() {
                    format!("#{}", &it.hash[..12.min(it.hash.len())])
                } else {
                    it.name().to_string()
                };
                m.insert(key, it.hash.clone());
            }
        }
        m
    }
    fn diff(old: BTreeMap<String, String>, new: BTreeMap<String, String>) -> [Vec<String>; 3] {
        let added = new.keys().filter(|k| !old.contains_key(*k)).cloned().collect();
        let changed = new
            .iter()
            .filter(|(k, h)| old.get(*k).is_some_and(|o| o != *h))
            .map(|(k, _)| k.clone())
            .collect();
        let removed = old.keys().filter(|k| !new.contains_key(*k)).cloned().collect();
        [added, changed, removed]
    }
    let [lessons_added, lessons_changed, lessons_removed] = diff(lessons(old), lessons(new));
    let [questions_added, questions_changed, questions_removed] = diff(questions(old), questions(new));
    // Everything that is neither a lesson nor a question: course.md, the exam's settings and
    // introduction, and the translations.
    // The questions' places in a page (`<div class="kc" data-check="N"></div>`) are counted
    // above, question by question.
    let prose = |html: &str| {
        let mut out = String::with_capacity(html.len());
        let mut rest = html;
        while let Some(at) = rest.find("<div class=\"kc\" data-check=\"") {
            out.push_str(&rest[..at]);
            let after = &rest[at..];
            rest = after.find("</div>").map_or("", |end| &after[end + "</div>".len()..]);
        }
        out.push_str(rest);
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let rest = |c: Option<&Course>| {
        c.map(|c| {
            (
                serde_json::to_string(&c.meta).unwrap_or_default(),
                prose(&c.intro_html),
                c.exam.as_ref().map(|e| {
                    (
                        serde_json::to_string(&e.settings).unwrap_or_default(),
                        prose(&e.intro_html),
                    )
                }),
                // The English twins, whole: a change to an `.en.md` file is a change.
                serde_json::to_string(&c.translations).unwrap_or_default(),
            )
        })
    };
    Changes {
        lessons_added,
        lessons_changed,
        lessons_removed,
        questions_added,
        questions_changed,
        questions_removed,
        settings_changed: rest(old) != rest(new),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(path: &str, text: &str) -> SourceFile {
        SourceFile::new(path, text.as_bytes().to_vec())
    }

    #[test]
    fn a_publish_stands_until_its_folder_changes() {
        let disk = vec![f("README.md", "root"), f("a/course.md", "A1"), f("b/course.md", "B1")];
        let based_on = folder_hash(&disk, "a");
        let overlay = Overlay {
            course_id: "a".into(),
            publish_id: 7,
            based_on,
            files: vec![f("a/course.md", "A2"), f("a/01-new.md", "L")],
        };
        let (files, origins) = assemble(disk.clone(), std::slice::from_ref(&overlay));
        let paths: Vec<_> = files.iter().map(|f| (f.path.as_str(), f.bytes.as_slice())).collect();
        assert_eq!(
            paths,
            vec![
                ("README.md", b"root".as_slice()),
                ("a/01-new.md", b"L"),
                ("a/course.md", b"A2"),
                ("b/course.md", b"B1")
            ]
        );
        assert_eq!(origins.published.get("a"), Some(&7));

        // The folder on disk is edited after the publish: the folder is newer and is served.
        let mut edited = disk.clone();
        edited[1] = f("a/course.md", "A3");
        let (files, origins) = assemble(edited, &[overlay]);
        assert!(files.iter().any(|x| x.path == "a/course.md" && x.bytes == b"A3"));
        assert!(!files.iter().any(|x| x.path == "a/01-new.md"));
        assert_eq!(origins.superseded.get("a"), Some(&7));
        assert!(origins.published.is_empty());
    }

    #[test]
    fn the_folder_hash_sees_a_rename_and_ignores_other_courses() {
        let one = vec![f("a/01-x.md", "t"), f("b/course.md", "1")];
        let renamed = vec![f("a/01-y.md", "t"), f("b/course.md", "1")];
        let other = vec![f("a/01-x.md", "t"), f("b/course.md", "2")];
        assert_ne!(folder_hash(&one, "a"), folder_hash(&renamed, "a"));
        assert_eq!(folder_hash(&one, "a"), folder_hash(&other, "a"));
        // `a` is not a prefix match for `ab`.
        let ab = vec![f("a/01-x.md", "t"), f("ab/course.md", "z")];
        assert_eq!(folder_hash(&one, "a"), folder_hash(&ab, "a"));
    }

    #[test]
    fn a_draft_replaces_its_file_or_adds_one() {
        let files = vec![f("a/course.md", "C"), f("a/01-x.md", "old")];
        let drafts = BTreeMap::from([
            ("a/01-x.md".to_string(), b"new".to_vec()),
            ("a/02-y.md".to_string(), b"added".to_vec()),
        ]);
        let out = with_drafts(&files, &drafts);
        let texts: Vec<_> = out
            .iter()
            .map(|f| (f.path.as_str(), String::from_utf8_lossy(&f.bytes).into_owned()))
            .collect();
        assert_eq!(
            texts,
            vec![
                ("a/01-x.md", "new".to_string()),
                ("a/02-y.md", "added".to_string()),
                ("a/course.md", "C".to_string())
            ]
        );
    }
}
