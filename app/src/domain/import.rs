//! Importing a question bank — a Moodle GIFT or Aiken file — into a course, without loss: the
//! file's own text goes into a ```` ```gift ```` block of the exam or of a lesson as it was
//! written (categories, comments, formats, feedback and all), with only a `::name::` added to
//! each question that has none, because a name is a question's id across versions. An Aiken
//! file (single-answer questions only) is first written as GIFT.
//!
//! Every problem is located in the imported file (`file:line:col: what — instead`), and a file
//! with any problem imports nothing.

use std::collections::BTreeSet;

use super::content::Diagnostic;
use super::gift::{GiftError, Question, QuestionKind, parse_gift};

/// The largest bank accepted (a few thousand questions): reading is linear, but a bound keeps
/// an upload's cost known.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;

/// Where the questions go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    /// The exam's pool (`exam.md`): auto-graded questions only.
    Exam,
    /// Knowledge checks at the end of lesson `n`.
    Lesson(u32),
}

/// What an import adds.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The questions as they will load, in file order, each with its name.
    pub questions: Vec<Question>,
    /// How many names the import gave.
    pub named: usize,
    /// Names written twice in the file (Moodle allows it; here a name is an id): the later
    /// questions are renamed `name (2)`, `name (3)`…, as (line, old name, new name).
    pub renamed: Vec<(usize, String, String)>,
    /// The GIFT text for the block: the file as written, with the added names.
    pub gift: String,
}

/// Whether `file` (its name) is read as Aiken: `*.aiken.txt` or `*.aiken`, as Moodle's own
/// test files are named; anything else is GIFT.
pub fn is_aiken(file: &str) -> bool {
    let f = file.to_ascii_lowercase();
    f.ends_with(".aiken.txt") || f.ends_with(".aiken")
}

/// The name stem for questions without one, from the file name: `moodle-examples.gift.txt`
/// gives `moodle-examples`, so `moodle-examples-01`, `-02`…
pub fn stem(file: &str) -> String {
    let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let base = base.split('.').next().unwrap_or(base);
    let slug = super::content::slugify(base);
    if slug.is_empty() { "cau-hoi".to_string() } else { slug }
}

/// Reads bank `src` (named `file`) for `destination` in a course whose questions already use
/// the names `taken`.
pub fn plan(
    file: &str,
    src: &str,
    taken: &BTreeSet<String>,
    destination: Destination,
) -> Result<Plan, Vec<Diagnostic>> {
    let err = |pos: (usize, usize), what: String, instead: &str| Diagnostic::error(file, pos, what, instead);
    if src.len() > MAX_BYTES {
        return Err(vec![err(
            (1, 1),
            format!(
                "the file holds {} bytes; an import takes at most {MAX_BYTES}",
                src.len()
            ),
            "split the bank into several files",
        )]);
    }
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let stem = stem(file);
    let (text, from_aiken) = if is_aiken(file) {
        let (qs, errors) = super::aiken::parse_aiken(src);
        if !errors.is_empty() {
            return Err(located(file, &errors));
        }
        (super::aiken::to_gift(&qs, &stem), true)
    } else {
        (src.to_string(), false)
    };
    let (mut questions, errors) = parse_gift(&text);
    if !errors.is_empty() {
        return Err(located(file, &errors));
    }
    let mut problems = Vec::new();
    if questions.is_empty() {
        problems.push(err(
            (1, 1),
            "the file holds no question".into(),
            "export the question bank from Moodle as GIFT (or Aiken) and import that file",
        ));
    }
    // The block is fenced with ``` in the Markdown file: a line starting so would end it early.
    if !from_aiken {
        for (i, line) in lines(&text).iter().enumerate() {
            if line.trim_start().starts_with("```") {
                problems.push(err(
                    (i + 1, 1),
                    "a line starting with ``` would end the Markdown block that holds the questions".into(),
                    "remove the backticks or indent the line inside the question's text",
                ));
            }
        }
    }
    // Names: kept where written, given where missing, numbered where the file repeats one. A
    // name the course already uses is refused: the same bank imported twice would double it.
    let mut used: BTreeSet<String> = taken.clone();
    let mut given: Vec<(usize, usize, Edit)> = Vec::new();
    let mut renamed = Vec::new();
    let mut counter = 0;
    for q in &questions {
        match q.name.as_deref() {
            Some(name) if taken.contains(name) => problems.push(err(
                (q.line, q.col),
                format!("question name `{name}` is already used in this course"),
                "if these questions are already imported, leave them; else give the question another `::name::` in the file and import it again",
            )),
            Some(name) if used.contains(name) => {
                let new = (2..)
                    .map(|k| format!("{name} ({k})"))
                    .find(|n| !used.contains(n))
                    .unwrap_or_default();
                used.insert(new.clone());
                renamed.push((q.line, name.to_string(), new.clone()));
                given.push((q.line, q.col, Edit::Rename(new)));
            }
            Some(name) => {
                used.insert(name.to_string());
            }
            None => {
                let name = loop {
                    counter += 1;
                    let n = format!("{stem}-{counter:02}");
                    if !used.contains(&n) {
                        break n;
                    }
                };
                used.insert(name.clone());
                given.push((q.line, q.col, Edit::Name(name)));
            }
        }
        if destination == Destination::Exam && matches!(q.kind, QuestionKind::Essay) {
            problems.push(err(
                (q.line, q.col),
                format!(
                    "essay question `{}` cannot be in an exam pool",
                    q.name.as_deref().unwrap_or("(no name)")
                ),
                "exams are graded automatically: import this file into a lesson as knowledge checks, or remove the essay",
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let gift = with_names(&text, &given);
    // The questions as the written block reads them back (names and positions included).
    let (read_back, errors) = parse_gift(&gift);
    if !errors.is_empty() || read_back.len() != questions.len() {
        return Err(vec![err(
            (1, 1),
            "the questions could not be named without changing them".into(),
            "give every question a `::name::` in the file and import it again",
        )]);
    }
    questions = read_back;
    Ok(Plan {
        named: given.iter().filter(|(_, _, e)| matches!(e, Edit::Name(_))).count(),
        renamed,
        questions,
        gift,
    })
}

/// GIFT errors as diagnostics of the imported file.
fn located(file: &str, errors: &[GiftError]) -> Vec<Diagnostic> {
    errors
        .iter()
        .map(|e| Diagnostic::error(file, (e.line, e.col), e.message.clone(), e.hint.clone()))
        .collect()
}

/// The lines of `text` as the GIFT reader splits them (CRLF, LF or CR).
fn lines(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        match rest.find(['\r', '\n']) {
            Some(i) => {
                out.push(&rest[..i]);
                let skip = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = &rest[i + skip..];
            }
            None => {
                out.push(rest);
                break;
            }
        }
    }
    out
}

/// A change to a question's first line.
#[derive(Debug, Clone, PartialEq)]
enum Edit {
    /// Write `::name:: ` before the question.
    Name(String),
    /// Replace the question's `::title::` with this name.
    Rename(String),
}

/// `text` with the edits made at their (line, column), line ends made `\n`, ending in one.
fn with_names(text: &str, given: &[(usize, usize, Edit)]) -> String {
    let mut out = String::with_capacity(text.len() + given.len() * 24);
    for (i, line) in lines(text).iter().enumerate() {
        let mut edits: Vec<&(usize, usize, Edit)> = given.iter().filter(|(l, _, _)| *l == i + 1).collect();
        edits.sort_by_key(|(_, c, _)| *c);
        let chars: Vec<char> = line.chars().collect();
        let mut at = 0usize;
        for (_, col, edit) in edits {
            let start = col.saturating_sub(1).min(chars.len());
            out.extend(&chars[at.min(start)..start]);
            at = start;
            match edit {
                Edit::Name(name) => out.push_str(&format!("::{}:: ", super::gift::escape(name))),
                Edit::Rename(name) => {
                    // Skip the old `::title::` (its closing `::` is the first one not escaped).
                    if chars[start..].starts_with(&[':', ':']) {
                        let mut j = start + 2;
                        while j + 1 < chars.len() && !(chars[j] == ':' && chars[j + 1] == ':' && chars[j - 1] != '\\') {
                            j += 1;
                        }
                        at = (j + 2).min(chars.len());
                    }
                    out.push_str(&format!("::{}::", super::gift::escape(name)));
                }
            }
        }
        out.extend(&chars[at.min(chars.len())..]);
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// `file` (a course file's text) with `gift` appended in its own block.
pub fn append_block(file: &str, gift: &str) -> String {
    let mut out = file.to_string();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str("\n```gift\n");
    out.push_str(gift);
    if !gift.ends_with('\n') {
        out.push('\n');
    }
    out.push_str("```\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip(mut q: Question) -> Question {
        q.name = None;
        q.line = 0;
        q.col = 0;
        q
    }

    #[test]
    fn unnamed_questions_are_named_and_nothing_else_changes() {
        let src = "// a comment\n$CATEGORY: tinh-huong\n\n[html]Câu <b>một</b>? {=A ~B}\n\n::co-ten:: Câu hai? {T}\r\n\r\nCâu ba {#3:1}";
        let p = plan("ngan-hang.gift.txt", src, &BTreeSet::new(), Destination::Exam).unwrap();
        assert_eq!(p.named, 2);
        let names: Vec<_> = p.questions.iter().map(|q| q.name.clone().unwrap()).collect();
        assert_eq!(names, ["ngan-hang-01", "co-ten", "ngan-hang-02"]);
        assert!(p.gift.contains("::ngan-hang-01:: [html]Câu <b>một</b>? {=A ~B}"));
        assert!(p.gift.starts_with("// a comment\n$CATEGORY: tinh-huong\n"));
        // What loads from the written block is what the file said, names aside.
        let (back, errs) = parse_gift(&p.gift);
        assert!(errs.is_empty(), "{errs:?}");
        let (orig, _) = parse_gift(src);
        assert_eq!(
            back.into_iter().map(strip).collect::<Vec<_>>(),
            orig.into_iter().map(strip).collect::<Vec<_>>()
        );
        assert_eq!(back_names(&p.gift), names);
    }

    fn back_names(gift: &str) -> Vec<String> {
        parse_gift(gift).0.into_iter().map(|q| q.name.unwrap()).collect()
    }

    #[test]
    fn every_problem_is_located_in_the_file_and_nothing_is_planned() {
        let taken: BTreeSet<String> = ["q-cu".to_string()].into();
        let src = "::q-cu:: Trùng tên {T}\n\n::tu-luan:: Viết một đoạn {}\n\n```\n";
        let e = plan("x.gift.txt", src, &taken, Destination::Exam).unwrap_err();
        let shown: Vec<String> = e.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 3, "{shown:#?}");
        assert!(
            shown[0].starts_with("x.gift.txt:5:1: a line starting with ```"),
            "{shown:#?}"
        );
        assert!(shown[1].starts_with("x.gift.txt:1:1: question name `q-cu` is already used in this course"));
        assert!(shown[2].starts_with("x.gift.txt:3:1: essay question `tu-luan` cannot be in an exam pool"));
        // A name the file repeats is numbered, not refused (Moodle allows repeats).
        let p = plan(
            "z.gift.txt",
            "::lap:: Một {T}\n\n::lap:: Hai {F}\n",
            &taken,
            Destination::Exam,
        )
        .unwrap();
        assert_eq!(p.renamed, [(3, "lap".to_string(), "lap (2)".to_string())]);
        assert!(p.gift.contains("::lap (2):: Hai {F}"), "{}", p.gift);
        assert_eq!(p.questions[1].name.as_deref(), Some("lap (2)"));
        // Into a lesson an essay is a fine knowledge check.
        let src = "::tu-luan:: Viết một đoạn {}\n";
        assert!(plan("x.gift.txt", src, &taken, Destination::Lesson(1)).is_ok());
        // GIFT syntax errors keep their place.
        let e = plan("y.gift.txt", "\n\nCâu hỏi {=A ~B", &taken, Destination::Exam).unwrap_err();
        assert_eq!((e[0].file.as_str(), e[0].line), ("y.gift.txt", 3));
    }

    #[test]
    fn an_aiken_file_becomes_named_gift() {
        let src = "Sàn phải gỡ hàng trong bao lâu?\nA. 24 giờ\nB. 7 ngày\nANSWER: A\n";
        let p = plan("bank.aiken.txt", src, &BTreeSet::new(), Destination::Exam).unwrap();
        assert_eq!(p.questions[0].name.as_deref(), Some("bank-01"));
        assert!(p.gift.starts_with("::bank-01:: Sàn phải gỡ hàng trong bao lâu? {"));
        assert_eq!(append_block("x", "a\n"), "x\n\n```gift\na\n```\n");
    }
}
