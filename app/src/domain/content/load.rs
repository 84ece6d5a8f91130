//! The loader: from the files of a content root to a [`Library`] and every [`Diagnostic`],
//! in one pass. It owns the layout rules (what a course folder may hold, lesson numbering,
//! translations) and the order of work: decode → front matter → render (parsing quiz blocks)
//! → cross-file checks → hashes.
//!
//! Layout (the authoring contract, `content/README.md`):
//!
//! ```text
//! <root>/README.md, other root files      ignored
//! <root>/.*, any path part starting "."   ignored (editor and OS files)
//! <root>/<course-id>/course.md            required
//! <root>/<course-id>/NN-slug.md           lessons, NN = 01, 02, … contiguous and unique
//! <root>/<course-id>/exam.md              optional
//! <root>/<course-id>/REVIEW.md            ignored (the course's written review, for trainers)
//! <root>/<course-id>/{course,exam,NN-slug}.en.md   English twins of existing Vietnamese files
//! <root>/<course-id>/**/<not .md>         assets (images, PDFs), served under /content/<id>/
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::de::DeserializeOwned;

use crate::domain::gift::{Question, parse_gift_at};

use super::check::{self, Cited, LinkCtx, PageInfo, Placed};
use super::cite::find_citations;
use super::diag::{Diagnostic, LineIndex};
use super::front_matter::{self, Ctx, Field};
use super::model::{
    Course, CourseId, CourseMeta, Exam, ExamSettings, Item, Language, Lesson, LessonMeta, LessonPointer, Library,
    SourceFile, TranslatedMeta, Translation,
};
use super::render::{GiftBlock, Ref, Rendered, Target, classify, lesson_file_name, render, slugify};
use super::text::{normalise, sha256_hex, sha256_parts};

/// Loads every course under the content root. `files` are all files of the root (paths relative
/// to it, `/`-separated), images included. Returns what could be loaded and every problem found,
/// sorted by file, line and column. The library is publishable only if no diagnostic is an error.
pub fn load_library(files: &[SourceFile]) -> (Library, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut folders: BTreeMap<&str, Vec<(&str, &SourceFile)>> = BTreeMap::new();
    for f in files {
        if f.path.split('/').any(|part| part.starts_with('.')) {
            continue;
        }
        if let Some((dir, rest)) = f.path.split_once('/')
            && !dir.is_empty()
            && !rest.is_empty()
        {
            folders.entry(dir).or_default().push((rest, f));
        }
    }
    let folders: Vec<(&str, Vec<(&str, &SourceFile)>)> = folders
        .into_iter()
        .map(|(dir, mut files)| {
            files.sort_by(|a, b| a.0.cmp(b.0));
            (dir, files)
        })
        .collect();
    let mut courses = Vec::new();
    for (course, diagnostics) in map_in_parallel(&folders, |(dir, files)| {
        let mut out = Vec::new();
        (load_course(dir, files, &mut out), out)
    }) {
        courses.extend(course);
        out.extend(diagnostics);
    }
    out.sort_by(|a, b| (&a.file, a.line, a.col, &a.message).cmp(&(&b.file, b.line, b.col, &b.message)));
    (Library { courses }, out)
}

/// `f` over every item, in order. Courses compile independently, so a library is spread over
/// the machine's cores (a server loads it at start and on every reload); in the browser's wasm,
/// which has no threads, one after another.
fn map_in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let workers = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(items.len());
        if workers > 1 {
            let next = AtomicUsize::new(0);
            let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..workers)
                    .map(|_| {
                        scope.spawn(|| {
                            let mut mine = Vec::new();
                            loop {
                                let i = next.fetch_add(1, Ordering::Relaxed);
                                let Some(item) = items.get(i) else { break mine };
                                mine.push((i, f(item)));
                            }
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
                    .collect()
            });
            done.sort_by_key(|(i, _)| *i);
            return done.into_iter().map(|(_, r)| r).collect();
        }
    }
    items.iter().map(f).collect()
}

/// Just the reference numbers of a course.md that failed its full check.
#[derive(serde::Deserialize)]
struct LooseReferences {
    #[serde(default)]
    references: Vec<LooseReference>,
}

#[derive(serde::Deserialize)]
struct LooseReference {
    number: Option<String>,
}

/// One Markdown file after decoding, front matter and rendering.
struct Page<M> {
    /// File name inside the course folder.
    name: String,
    /// Path from the content root.
    file: String,
    text: String,
    meta: Option<M>,
    toml_offset: usize,
    toml_len: usize,
    rendered: Rendered,
    items: Vec<Item>,
}

impl<M> Page<M> {
    fn index(&self) -> LineIndex<'_> {
        LineIndex::new(&self.text)
    }

    /// Offset of the value of top-level `key = …` in the front matter (for positions after the
    /// typed struct has been built).
    fn value_offset(&self, key: &str) -> Option<usize> {
        let toml = &self.text[self.toml_offset..self.toml_offset + self.toml_len];
        let mut at = self.toml_offset;
        for line in toml.split_inclusive('\n') {
            let trimmed = line.trim_start();
            if trimmed.starts_with('[') {
                return None;
            }
            if let Some(rest) = trimmed.strip_prefix(key)
                && let Some(value) = rest.trim_start().strip_prefix('=')
            {
                return Some(at + line.len() - value.trim_start().len());
            }
            at += line.len();
        }
        None
    }

    fn value_pos(&self, key: &str) -> (usize, usize) {
        self.value_offset(key).map_or((1, 1), |o| self.index().position(o))
    }
}

/// What kind of file a page is: decides its schema and what its quiz blocks are.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Course,
    Lesson,
    Exam,
}

fn load_page<M: DeserializeOwned>(
    dir: &str,
    name: &str,
    text: String,
    schema: &[Field],
    role: Role,
    out: &mut Vec<Diagnostic>,
) -> Page<M> {
    let file = format!("{dir}/{name}");
    let index = LineIndex::new(&text);
    let (meta, toml_offset, toml_len, body_offset) = match front_matter::split(&file, &text) {
        Ok(split) => {
            let ctx = Ctx {
                file: &file,
                index: &index,
                offset: split.toml_offset,
            };
            let meta = front_matter::parse::<M>(&ctx, split.toml, schema, out);
            (meta, split.toml_offset, split.toml.len(), split.body_offset)
        }
        Err(d) => {
            // Without a header the whole file is read as the body, so its other problems show too.
            let unclosed = text.starts_with("+++");
            out.push(d);
            (None, 0, 0, if unclosed { text.len() } else { 0 })
        }
    };
    let mut items = Vec::new();
    let mut pointers: Vec<Ref> = Vec::new();
    let mut rendered = {
        let mut place = |block: &GiftBlock| -> usize {
            let (line, col) = index.position(block.offset);
            if role == Role::Course {
                out.push(Diagnostic::error(
                    &file,
                    (line, col),
                    "questions cannot stand in course.md",
                    "put knowledge checks in a lesson and exam questions in exam.md",
                ));
                return 0;
            }
            let (questions, errors) = parse_gift_at(&block.src, line, col);
            for e in errors {
                out.push(Diagnostic::error(&file, (e.line, e.col), e.message, e.hint));
            }
            let hashes = question_hashes(&block.src, line, col, &questions);
            let n = questions.len();
            let starts = line_starts(&block.src);
            for (question, hash) in questions.into_iter().zip(hashes) {
                let mut lesson = None;
                if role == Role::Exam
                    && let Some((dest, at)) =
                        lesson_directive(&block.src, &starts, question.line.saturating_sub(line) + 1)
                {
                    let offset = block.offset + at;
                    match classify(dest, dir).0 {
                        target @ Target::Lesson { .. } => {
                            if let Target::Lesson { number, anchor, .. } = &target {
                                lesson = Some(LessonPointer {
                                    number: *number,
                                    anchor: anchor.clone(),
                                });
                            }
                            // Checked like any link to a lesson: the file and the anchor must exist.
                            pointers.push(Ref {
                                offset,
                                dest: dest.to_owned(),
                                image: false,
                                target,
                            });
                        }
                        _ => out.push(Diagnostic::error(
                            &file,
                            index.position(offset),
                            format!("`// lesson:` names `{dest}`, which is not a lesson file"),
                            "write the lesson's file name, e.g. `// lesson: 02-nghi-dinh-85.md` or `// lesson: 02-nghi-dinh-85.md#muc-phat`",
                        )),
                    }
                }
                items.push(Item { question, hash, lesson });
            }
            n
        };
        render(&text[body_offset..], body_offset, dir, &mut place)
    };
    rendered.refs.extend(pointers);
    Page {
        name: name.to_owned(),
        file,
        meta,
        toml_offset,
        toml_len,
        rendered,
        items,
        text,
    }
}

/// The `// lesson: NN-slug.md#anchor` comment among the lines just above the question that
/// starts on `line` (1-based, in `src`): the destination as written and its byte offset in `src`.
/// Blank lines, other comments and `$CATEGORY:` may stand between; any other line ends the search.
/// Moodle reads the line as a comment, so exam blocks still import there unchanged.
/// `starts` are the byte offsets of `src`'s lines ([`line_starts`]), computed once per block.
fn lesson_directive<'s>(src: &'s str, starts: &[usize], line: usize) -> Option<(&'s str, usize)> {
    for l in (0..line.saturating_sub(1).min(starts.len())).rev() {
        let start = starts[l];
        let end = starts.get(l + 1).map_or(src.len(), |e| e - 1);
        let text = &src[start..end];
        let t = text.trim();
        if t.is_empty() || t.starts_with("$CATEGORY:") {
            continue;
        }
        let comment = t.strip_prefix("//")?;
        let Some(rest) = comment.trim_start().strip_prefix("lesson:") else {
            continue;
        };
        let dest = rest.trim();
        let at = start + text.find(dest).unwrap_or(0);
        return Some((dest, at));
    }
    None
}

/// The byte offset of each line of `src`.
fn line_starts(src: &str) -> Vec<usize> {
    let mut starts = vec![0usize];
    starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
    starts
}

/// Each question's hash covers its own source: from its first character to the next question's,
/// without trailing blank lines, `//` comments or the `$CATEGORY:` line of the next question.
fn question_hashes(src: &str, first_line: usize, first_col: usize, questions: &[Question]) -> Vec<String> {
    let index = LineIndex::new(src);
    let start_of = |q: &Question| {
        let line = q.line.saturating_sub(first_line) + 1;
        let col = if line == 1 {
            q.col.saturating_sub(first_col) + 1
        } else {
            q.col
        };
        index.offset(line, col)
    };
    let starts: Vec<usize> = questions.iter().map(start_of).collect();
    starts
        .iter()
        .enumerate()
        .map(|(i, &s)| {
            let end = starts.get(i + 1).copied().unwrap_or(src.len()).max(s);
            let mut lines: Vec<&str> = src[s..end].lines().collect();
            while lines.last().is_some_and(|l| {
                let t = l.trim();
                t.is_empty() || t.starts_with("//") || t.starts_with("$CATEGORY:")
            }) {
                lines.pop();
            }
            sha256_hex(lines.join("\n").as_bytes())
        })
        .collect()
}

/// Markdown files of a course folder, sorted into their roles.
#[derive(Default)]
struct Folder {
    course: Option<String>,
    exam: Option<String>,
    course_en: Option<String>,
    exam_en: Option<String>,
    /// (number, name, text), sorted by number then name.
    lessons: Vec<(u32, String, String)>,
    lessons_en: Vec<(u32, String, String)>,
    assets: BTreeSet<String>,
    /// (path, normalised bytes) of every file, for the course hash.
    hashed: Vec<(String, Vec<u8>)>,
}

/// A course folder's review notes (`content/<course>/REVIEW.md`): ignored by the loader.
pub const REVIEW_FILE: &str = "REVIEW.md";

fn sort_folder(dir: &str, files: &[(&str, &SourceFile)], out: &mut Vec<Diagnostic>) -> Folder {
    let mut f = Folder::default();
    for &(inner, src) in files {
        let file = format!("{dir}/{inner}");
        // The course's written review (sources checked, what to re-check when the law changes)
        // is for trainers and reviewers, not learners: neither loaded, served nor hashed.
        if inner == REVIEW_FILE {
            continue;
        }
        if !inner.ends_with(".md") {
            f.assets.insert(inner.to_owned());
            f.hashed.push((inner.to_owned(), src.bytes.clone()));
            continue;
        }
        let text = match normalise(&src.bytes) {
            Ok(t) => t,
            Err(at) => {
                out.push(Diagnostic::error(
                    &file,
                    at,
                    "the file is not valid UTF-8",
                    "save it as UTF-8 (the text from here on is garbled)",
                ));
                continue;
            }
        };
        f.hashed.push((inner.to_owned(), text.clone().into_bytes()));
        match inner {
            "course.md" => f.course = Some(text),
            "exam.md" => f.exam = Some(text),
            "course.en.md" => f.course_en = Some(text),
            "exam.en.md" => f.exam_en = Some(text),
            _ if inner.contains('/') => out.push(Diagnostic::error(
                &file,
                (1, 1),
                "unexpected Markdown file inside a course's subfolder",
                "only images and other assets go in subfolders; lessons are `NN-slug.md` next to course.md",
            )),
            _ => match lesson_file_name(inner) {
                Some((n, _)) if inner.ends_with(".en.md") => f.lessons_en.push((n, inner.to_owned(), text)),
                Some((n, _)) => f.lessons.push((n, inner.to_owned(), text)),
                None if inner.starts_with(|c: char| c.is_ascii_digit()) => {
                    out.push(Diagnostic::error(
                        &file,
                        (1, 1),
                        format!("`{inner}` is not a lesson file name"),
                        format!("name lessons `NN-slug.md` (two digits, lower-case ASCII slug), e.g. `{}`", suggest_lesson_name(inner)),
                    ));
                }
                None => out.push(Diagnostic::error(
                    &file,
                    (1, 1),
                    format!("unexpected file `{inner}` in a course folder"),
                    "a course folder holds only course.md, exam.md, lessons `NN-slug.md` and their `.en.md` twins; keep notes outside content/",
                )),
            },
        }
    }
    f.lessons.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    f.lessons_en.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    f
}

fn suggest_lesson_name(name: &str) -> String {
    let stem = name.strip_suffix(".md").unwrap_or(name);
    let (en, stem) = stem.strip_suffix(".en").map_or(("", stem), |s| (".en", s));
    let digits: String = stem.chars().take_while(char::is_ascii_digit).collect();
    let n: u32 = digits.parse().unwrap_or(1);
    format!("{n:02}-{}{en}.md", slugify(&stem[digits.len()..]))
}

/// Lesson numbers run 01, 02, 03… : a gap or a repeat is reported at the offending file.
fn check_numbering(dir: &str, lessons: &[(u32, String, String)], out: &mut Vec<Diagnostic>) {
    let mut expected = 1;
    let mut prev: Option<(u32, &str)> = None;
    for (n, name, _) in lessons {
        let file = format!("{dir}/{name}");
        let slug = lesson_file_name(name).map_or("", |(_, s)| s);
        if let Some((pn, pname)) = prev
            && pn == *n
        {
            out.push(Diagnostic::error(
                &file,
                (1, 1),
                format!("lesson number {n:02} is used twice (also `{pname}`)"),
                "give each lesson its own number and renumber the ones after it",
            ));
            continue;
        }
        if *n != expected {
            let message = if expected == 1 {
                format!("lessons are numbered from 01, but the first is `{name}`")
            } else {
                format!(
                    "lesson {n:02} follows {:02}: number {expected:02} is missing",
                    expected - 1
                )
            };
            out.push(Diagnostic::error(
                &file,
                (1, 1),
                message,
                format!("rename it `{expected:02}-{slug}.md` (numbers run 01, 02, 03… without gaps)"),
            ));
        }
        expected = n + 1;
        prev = Some((*n, name));
    }
}

fn load_course(dir: &str, files: &[(&str, &SourceFile)], out: &mut Vec<Diagnostic>) -> Option<Course> {
    let id = CourseId::parse(dir);
    if id.is_err() {
        out.push(Diagnostic::error(
            &format!("{dir}/course.md"),
            (1, 1),
            format!("folder name `{dir}` is not a course id"),
            format!(
                "rename the folder with lower-case ASCII letters, digits and `-`, e.g. `{}`",
                slugify(dir)
            ),
        ));
    }
    let mut folder = sort_folder(dir, files, out);
    check_numbering(dir, &folder.lessons, out);

    let course: Option<Page<CourseMeta>> = folder
        .course
        .take()
        .map(|t| load_page(dir, "course.md", t, front_matter::COURSE, Role::Course, out));
    if course.is_none() {
        out.push(Diagnostic::error(
            &format!("{dir}/course.md"),
            (1, 1),
            "the course folder has no course.md",
            "add course.md with the course's front matter (title, summary, language, version, pass_mark, validity_months, [audience], [[references]])",
        ));
    }
    let lessons: Vec<Page<LessonMeta>> = std::mem::take(&mut folder.lessons)
        .into_iter()
        .map(|(_, name, text)| load_page(dir, &name, text, front_matter::LESSON, Role::Lesson, out))
        .collect();
    let exam: Option<Page<ExamSettings>> = folder
        .exam
        .take()
        .map(|t| load_page(dir, "exam.md", t, front_matter::EXAM, Role::Exam, out));

    // The English set: every file needs its Vietnamese twin.
    let vi_names: HashSet<&str> = lessons.iter().map(|p| p.name.as_str()).collect();
    let mut lessons_en: Vec<Page<LessonMeta>> = Vec::new();
    for (_, name, text) in std::mem::take(&mut folder.lessons_en) {
        let twin = name.replace(".en.md", ".md");
        if !vi_names.contains(twin.as_str()) {
            out.push(Diagnostic::error(
                &format!("{dir}/{name}"),
                (1, 1),
                format!("`{name}` has no Vietnamese twin `{twin}`"),
                "an English lesson translates a Vietnamese one: use the same number and slug, or add the Vietnamese lesson first",
            ));
        }
        lessons_en.push(load_page(
            dir,
            &name,
            text,
            front_matter::LESSON_TRANSLATED,
            Role::Lesson,
            out,
        ));
    }
    let course_en: Option<Page<TranslatedMeta>> = folder.course_en.take().map(|t| {
        load_page(
            dir,
            "course.en.md",
            t,
            front_matter::COURSE_TRANSLATED,
            Role::Course,
            out,
        )
    });
    let exam_en: Option<Page<TranslatedMeta>> = folder
        .exam_en
        .take()
        .map(|t| load_page(dir, "exam.en.md", t, front_matter::EXAM_TRANSLATED, Role::Exam, out));
    for (page, twin, present) in [
        (course_en.as_ref().map(|p| &p.file), "course.md", course.is_some()),
        (exam_en.as_ref().map(|p| &p.file), "exam.md", exam.is_some()),
    ] {
        if let Some(file) = page
            && !present
        {
            out.push(Diagnostic::error(
                file,
                (1, 1),
                format!("this translation has no Vietnamese twin `{twin}`"),
                format!("add `{dir}/{twin}` first"),
            ));
        }
    }

    // Cross-file checks, per language set.
    // Citations are checked even when course.md has other errors: its `[[references]]` numbers
    // are read leniently, so one typo in course.md does not hide the rest.
    let loose: Option<Vec<String>> = course.as_ref().and_then(|c| match &c.meta {
        Some(m) => Some(m.references.iter().map(|r| r.number.clone()).collect()),
        None => toml::from_str::<LooseReferences>(&c.text[c.toml_offset..c.toml_offset + c.toml_len])
            .ok()
            .map(|l| l.references.into_iter().filter_map(|r| r.number).collect()),
    });
    let have_references = loose.is_some();
    let loose = loose.unwrap_or_default();
    let references: Vec<&str> = loose.iter().map(String::as_str).collect();
    let vi_pages = lesson_infos(&lessons, &BTreeMap::new());
    let en_pages = lesson_infos(&lessons_en, &vi_pages);
    let check_page = |page_file: &str,
                      index: &LineIndex<'_>,
                      rendered: &Rendered,
                      text_cites: &[Cited<'_>],
                      pages: &BTreeMap<u32, Vec<PageInfo>>,
                      out: &mut Vec<Diagnostic>| {
        let own: BTreeSet<String> = rendered
            .toc
            .iter()
            .map(|h| h.id.clone())
            .chain(rendered.footnotes.iter().cloned())
            .collect();
        let ctx = LinkCtx {
            course: dir,
            lessons: pages,
            assets: &folder.assets,
        };
        check::check_refs(page_file, index, rendered, &own, &ctx, out);
        check::check_unsafe_html(page_file, index, rendered, out);
        if have_references {
            check::check_citations(page_file, index, text_cites, &references, out);
        }
    };
    let run_page_checks = |file: &str,
                           text: &str,
                           rendered: &Rendered,
                           title: Option<(usize, &str)>,
                           pages: &BTreeMap<u32, Vec<PageInfo>>,
                           out: &mut Vec<Diagnostic>| {
        let index = LineIndex::new(text);
        let mut found: Vec<(usize, super::cite::Citation)> = Vec::new();
        if let Some((offset, title)) = title {
            found.extend(find_citations(title).into_iter().map(|c| (offset, c)));
        }
        found.extend(rendered.citations.iter().cloned());
        for b in &rendered.blocks {
            found.extend(find_citations(&b.src).into_iter().map(|c| (b.offset + c.start, c)));
        }
        found.sort_by_key(|(o, _)| *o);
        let cited: Vec<Cited<'_>> = found
            .iter()
            .map(|(offset, citation)| Cited {
                offset: *offset,
                citation,
            })
            .collect();
        check_page(file, &index, rendered, &cited, pages, out);
    };
    if let Some(c) = &course {
        run_page_checks(&c.file, &c.text, &c.rendered, None, &vi_pages, out);
    }
    for p in &lessons {
        let title = p.value_offset("title").zip(p.meta.as_ref().map(|m| m.title.as_str()));
        run_page_checks(&p.file, &p.text, &p.rendered, title, &vi_pages, out);
    }
    if let Some(e) = &exam {
        run_page_checks(&e.file, &e.text, &e.rendered, None, &vi_pages, out);
    }
    if let Some(c) = &course_en {
        run_page_checks(&c.file, &c.text, &c.rendered, None, &en_pages, out);
    }
    for p in &lessons_en {
        let title = p.value_offset("title").zip(p.meta.as_ref().map(|m| m.title.as_str()));
        run_page_checks(&p.file, &p.text, &p.rendered, title, &en_pages, out);
    }
    if let Some(e) = &exam_en {
        run_page_checks(&e.file, &e.text, &e.rendered, None, &en_pages, out);
    }

    // Question names: present and unique in each language; English names translate Vietnamese ones.
    let placed = |pages: Vec<(&str, &[Item])>| -> Vec<(String, Question)> {
        pages
            .into_iter()
            .flat_map(|(f, items)| items.iter().map(move |i| (f.to_owned(), i.question.clone())))
            .collect()
    };
    let vi_q = placed(
        lessons
            .iter()
            .map(|p| (p.file.as_str(), p.items.as_slice()))
            .chain(exam.iter().map(|e| (e.file.as_str(), e.items.as_slice())))
            .collect(),
    );
    let en_q = placed(
        lessons_en
            .iter()
            .map(|p| (p.file.as_str(), p.items.as_slice()))
            .chain(exam_en.iter().map(|e| (e.file.as_str(), e.items.as_slice())))
            .collect(),
    );
    for set in [&vi_q, &en_q] {
        let p: Vec<Placed<'_>> = set.iter().map(|(file, question)| Placed { file, question }).collect();
        check::check_names(&p, out);
    }
    let vi_by_name: HashMap<&str, &Question> = vi_q.iter().filter_map(|(_, q)| Some((q.name.as_deref()?, q))).collect();
    for (file, q) in &en_q {
        let Some(name) = q.name.as_deref() else { continue };
        match vi_by_name.get(name) {
            None => out.push(Diagnostic::error(
                file,
                (q.line, q.col),
                format!("English question `{name}` has no Vietnamese twin"),
                "give a translated question the same `::name::` as the Vietnamese question it translates",
            )),
            // The Vietnamese key grades what an English reader answers: the answers must line up.
            Some(vi) => {
                if let Some(why) = crate::domain::twin::answers_differ(vi, q) {
                    out.push(Diagnostic::error(
                        file,
                        (q.line, q.col),
                        format!("English question `{name}` does not answer like its Vietnamese twin: {why}"),
                        "a translation changes only the words: keep the same answers in the same order, with the same marks (=, ~, %50%) and numbers",
                    ));
                }
            }
        }
    }

    // The exam pool.
    for e in exam.iter() {
        if let Some(settings) = &e.meta {
            let pool: Vec<&Question> = e.items.iter().map(|i| &i.question).collect();
            check::check_pool(&e.file, &pool, settings.draw, e.value_pos("draw"), "", out);
        }
    }
    if let (Some(e), Some(settings)) = (&exam_en, exam.as_ref().and_then(|e| e.meta.as_ref())) {
        let pool: Vec<&Question> = e.items.iter().map(|i| &i.question).collect();
        check::check_pool(&e.file, &pool, settings.draw, (1, 1), "exam.md has ", out);
    }

    // Build the model (only what parsed; the diagnostics say what did not).
    let id = id.ok()?;
    let course_page = course?;
    let meta = course_page.meta?;
    let hash = sha256_parts(folder.hashed.iter().map(|(p, b)| (p.as_str(), b.as_slice())));
    let assets: BTreeMap<String, String> = folder
        .hashed
        .iter()
        .filter(|(p, _)| folder.assets.contains(p))
        .map(|(p, b)| (p.clone(), sha256_hex(b)))
        .collect();
    let to_lessons = |pages: Vec<Page<LessonMeta>>| -> Vec<Lesson> {
        pages
            .into_iter()
            .filter_map(|p| {
                let (number, slug) = lesson_file_name(&p.name).map(|(n, s)| (n, s.to_owned()))?;
                let m = p.meta?;
                Some(Lesson {
                    number,
                    slug,
                    hash: sha256_hex(p.text.as_bytes()),
                    file: p.file,
                    title: m.title,
                    minutes: m.minutes,
                    html: p.rendered.html,
                    toc: p.rendered.toc,
                    checks: p.items,
                })
            })
            .collect()
    };
    let exam_model = exam.and_then(|e| {
        let settings = e.meta?;
        Some(Exam {
            settings,
            intro_html: e.rendered.html,
            pool: e.items,
            hash: sha256_hex(e.text.as_bytes()),
        })
    });
    let translations = match course_en.and_then(|c| c.meta.map(|m| (m, c.rendered.html))) {
        Some((m, intro_html)) => vec![Translation {
            language: Language::En,
            title: m.title,
            summary: m.summary.unwrap_or_else(|| meta.summary.clone()),
            intro_html,
            lessons: to_lessons(lessons_en),
            exam: exam_en.zip(exam_model.as_ref()).and_then(|(e, vi)| {
                let m = e.meta?;
                Some(Exam {
                    settings: ExamSettings {
                        title: m.title,
                        ..vi.settings.clone()
                    },
                    intro_html: e.rendered.html,
                    pool: e.items,
                    hash: sha256_hex(e.text.as_bytes()),
                })
            }),
        }],
        None => Vec::new(),
    };
    Some(Course {
        id,
        meta,
        intro_html: course_page.rendered.html,
        lessons: to_lessons(lessons),
        exam: exam_model,
        translations,
        hash,
        assets,
    })
}

/// Lessons by number with their anchors; `fallback` fills numbers a translation lacks.
fn lesson_infos(pages: &[Page<LessonMeta>], fallback: &BTreeMap<u32, Vec<PageInfo>>) -> BTreeMap<u32, Vec<PageInfo>> {
    let mut map = fallback.clone();
    let mut seen = HashSet::new();
    for p in pages {
        let Some((n, _)) = lesson_file_name(&p.name) else {
            continue;
        };
        if seen.insert(n) {
            map.remove(&n);
        }
        let anchors = p
            .rendered
            .toc
            .iter()
            .map(|h| h.id.clone())
            .chain(p.rendered.footnotes.iter().cloned())
            .collect();
        map.entry(n).or_default().push(PageInfo {
            name: p.name.replace(".en.md", ".md"),
            anchors,
        });
    }
    map
}

#[cfg(test)]
mod tests {
    use super::map_in_parallel;

    #[test]
    fn work_spread_over_threads_comes_back_in_the_order_given() {
        let items: Vec<u32> = (0..500).collect();
        // Uneven work, so threads finish out of order.
        let out = map_in_parallel(&items, |&i| {
            if i % 7 == 0 {
                std::thread::sleep(std::time::Duration::from_micros(200));
            }
            i * 3
        });
        assert_eq!(out, items.iter().map(|i| i * 3).collect::<Vec<_>>());
        assert!(map_in_parallel(&[] as &[u32], |&i| i).is_empty());
    }
}
