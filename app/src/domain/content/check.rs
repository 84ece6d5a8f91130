//! Checks that need more than one file or more than the GIFT reader knows: question names
//! (present, unique in a course), what may stand in an exam pool, links and images against the
//! course's files and anchors, cited law numbers against `[[references]]`, and raw HTML that
//! the sanitiser will remove. The GIFT reader itself checks answer keys (no right answer,
//! weights that cannot reach 100%); its errors are passed through unchanged.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::domain::gift::{Question, QuestionKind};

use super::diag::{Diagnostic, LineIndex, closest};
use super::render::{Ref, Rendered, Target};

/// A question and where it was written, for cross-file checks.
#[derive(Debug, Clone, Copy)]
pub struct Placed<'q> {
    /// File it is in.
    pub file: &'q str,
    /// The question (its line/col are the file's).
    pub question: &'q Question,
}

/// Every question needs a `::name::`, unique within its course (in one language).
pub fn check_names(questions: &[Placed<'_>], out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, Placed<'_>> = HashMap::new();
    for p in questions {
        let q = p.question;
        let at = (q.line, q.col);
        match q.name.as_deref() {
            None => out.push(Diagnostic::error(
                p.file,
                at,
                "question has no name",
                "start it with a stable id, e.g. `::q-san-go-hang::` (unique in the course)",
            )),
            Some(name) => {
                if let Some(first) = seen.get(name) {
                    out.push(Diagnostic::error(
                        p.file,
                        at,
                        format!(
                            "question name `{name}` is already used at {}:{}",
                            first.file, first.question.line
                        ),
                        "give each question its own `::name::` (it is the question's id across versions)",
                    ));
                } else {
                    seen.insert(name, *p);
                }
            }
        }
    }
}

/// An exam pool holds only auto-graded questions, at least `draw` of them.
/// `draw_in` names the file holding `draw` when it is not `file` (a translated pool).
pub fn check_pool(
    file: &str,
    pool: &[&Question],
    draw: u32,
    draw_at: (usize, usize),
    draw_in: &str,
    out: &mut Vec<Diagnostic>,
) {
    for q in pool {
        if matches!(q.kind, QuestionKind::Essay) {
            out.push(Diagnostic::error(
                file,
                (q.line, q.col),
                format!("essay question `{}` cannot be in an exam pool", q.name.as_deref().unwrap_or("?")),
                "exams are graded automatically: turn it into a choice question, or move it to a lesson as a knowledge check",
            ));
        }
    }
    let gradable = pool.iter().filter(|q| q.is_gradable()).count();
    if gradable < draw as usize {
        out.push(Diagnostic::error(
            file,
            draw_at,
            format!("the pool holds {gradable} gradable question(s) but {draw_in}`draw = {draw}`"),
            format!(
                "add {} question(s) to the pool or lower `draw` to {gradable}",
                draw as usize - gradable
            ),
        ));
    }
}

/// What one page of the course looks like to link checks.
#[derive(Debug, Clone)]
pub struct PageInfo {
    /// File name inside the course (`02-nghi-dinh-85.md`, the Vietnamese name for a translation).
    pub name: String,
    /// Anchors on the page (heading ids and footnote labels).
    pub anchors: BTreeSet<String>,
}

/// The course as links see it.
pub struct LinkCtx<'a> {
    /// Course folder (`a-khung-phap-ly`), for paths in hints.
    pub course: &'a str,
    /// Lessons by number (several when a number is used twice, which is reported elsewhere).
    pub lessons: &'a BTreeMap<u32, Vec<PageInfo>>,
    /// Every non-Markdown file, course-relative.
    pub assets: &'a BTreeSet<String>,
}

/// Links and images of one file: lessons, anchors, files must exist.
pub fn check_refs(
    file: &str,
    index: &LineIndex<'_>,
    rendered: &Rendered,
    own_anchors: &BTreeSet<String>,
    ctx: &LinkCtx<'_>,
    out: &mut Vec<Diagnostic>,
) {
    for r in &rendered.refs {
        let at = index.position(r.offset);
        if let Some(d) = check_ref(file, at, r, own_anchors, ctx) {
            out.push(d);
        }
    }
}

fn check_ref(file: &str, at: (usize, usize), r: &Ref, own: &BTreeSet<String>, ctx: &LinkCtx<'_>) -> Option<Diagnostic> {
    let what = if r.image { "image" } else { "link" };
    match &r.target {
        Target::Other => None,
        Target::Anchor(a) => {
            (!own.contains(a.as_str())).then(|| missing_anchor(file, at, &r.dest, a, "this page", own))
        }
        Target::Lesson {
            number,
            file: target,
            anchor,
        } => {
            let Some(pages) = ctx.lessons.get(number) else {
                let names: Vec<&str> = ctx.lessons.values().flatten().map(|p| p.name.as_str()).collect();
                let hint = match closest(target, names.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("link to one of the course's lessons ({})", list(names.iter().copied())),
                };
                return Some(Diagnostic::error(
                    file,
                    at,
                    format!("{what} to `{}`: there is no lesson {number:02}", r.dest),
                    hint,
                ));
            };
            let Some(page) = pages.iter().find(|p| &p.name == target) else {
                let page = &pages[0];
                return Some(Diagnostic::error(
                    file,
                    at,
                    format!("{what} to `{}`, but lesson {number:02} is `{}`", r.dest, page.name),
                    format!(
                        "write `{}{}`",
                        page.name,
                        anchor.as_ref().map(|a| format!("#{a}")).unwrap_or_default()
                    ),
                ));
            };
            match anchor {
                Some(a) if !page.anchors.contains(a.as_str()) => Some(missing_anchor(
                    file,
                    at,
                    &r.dest,
                    a,
                    &format!("`{}`", page.name),
                    &page.anchors,
                )),
                _ => None,
            }
        }
        Target::Asset(None) => Some(Diagnostic::error(
            file,
            at,
            format!("{what} `{}` points outside the course folder", r.dest),
            format!(
                "put the file inside `{}/` and link it relatively, e.g. `images/so-do.png`",
                ctx.course
            ),
        )),
        Target::Asset(Some(path)) => (!ctx.assets.contains(path)).then(|| {
            let hint = match closest(path, ctx.assets.iter().map(String::as_str)) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("add the file `{}/{path}` or fix the path", ctx.course),
            };
            Diagnostic::error(file, at, format!("{what} `{}` not found", r.dest), hint)
        }),
        Target::OtherMarkdown => Some(Diagnostic::error(
            file,
            at,
            format!("{what} to `{}`, which is not a lesson of this course", r.dest),
            "link lessons as `NN-slug.md`; link another course by its URL, `/courses/<id>`",
        )),
    }
}

fn missing_anchor(
    file: &str,
    at: (usize, usize),
    dest: &str,
    anchor: &str,
    page: &str,
    anchors: &BTreeSet<String>,
) -> Diagnostic {
    let hint = match closest(anchor, anchors.iter().map(String::as_str)) {
        Some(near) => format!("did you mean `#{near}`?"),
        None if anchors.is_empty() => "the page has no headings; link to the page without `#…`".to_owned(),
        None => format!("use one of {}", list(anchors.iter().map(|a| format!("#{a}")))),
    };
    Diagnostic::error(
        file,
        at,
        format!("link `{dest}`: no anchor `#{anchor}` on {page}"),
        hint,
    )
}

fn list<S: AsRef<str>>(items: impl Iterator<Item = S>) -> String {
    let items: Vec<S> = items.collect();
    let mut shown: Vec<String> = items.iter().take(5).map(|s| format!("`{}`", s.as_ref())).collect();
    if items.len() > 5 {
        shown.push("…".to_owned());
    }
    shown.join(", ")
}

/// A citation found in a file, at a byte offset.
pub struct Cited<'c> {
    /// Byte offset in the file.
    pub offset: usize,
    /// The citation.
    pub citation: &'c super::cite::Citation,
}

/// Every cited law number must be in `[[references]]` (reported once per number per file).
pub fn check_citations(
    file: &str,
    index: &LineIndex<'_>,
    cited: &[Cited<'_>],
    references: &[&str],
    out: &mut Vec<Diagnostic>,
) {
    let mut reported = BTreeSet::new();
    for c in cited {
        let cit = c.citation;
        if cit.is_listed(references.iter().copied()) || !reported.insert(cit.number.clone()) {
            continue;
        }
        let at = index.position(c.offset);
        let d = if cit.short {
            Diagnostic::error(
                file,
                at,
                format!(
                    "`{}` is cited but no `[[references]]` number in course.md starts with `{}/`",
                    cit.number, cit.number
                ),
                format!(
                    "add `[[references]]` with the full number (e.g. `number = \"{}/NĐ-CP\"`), its `title` and `source`",
                    cit.number
                ),
            )
        } else {
            Diagnostic::error(
                file,
                at,
                format!(
                    "`{}` is cited but not listed in `[[references]]` of course.md",
                    cit.number
                ),
                format!(
                    "add `[[references]]` with `number = \"{}\"`, its `title` and `source`",
                    cit.number
                ),
            )
        };
        out.push(d);
    }
}

/// Raw HTML that will not survive sanitising is a warning: the author should see it go.
pub fn check_unsafe_html(file: &str, index: &LineIndex<'_>, rendered: &Rendered, out: &mut Vec<Diagnostic>) {
    for (offset, what) in &rendered.unsafe_html {
        out.push(Diagnostic::warning(
            file,
            index.position(*offset),
            format!("{what} is removed when the page is rendered"),
            "delete it: lessons cannot run scripts; use Markdown for links and images",
        ));
    }
}
