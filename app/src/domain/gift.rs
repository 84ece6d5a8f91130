//! The GIFT reader: turns Moodle GIFT text into [`Question`]s, with every problem reported as
//! `line:col: what is wrong — what to write instead`.
//!
//! It owns the question model shared by the content checker, the exam pool, grading
//! ([`super::grading`]) and the Aiken reader ([`super::aiken`]). It is pure (no I/O) and compiles
//! to wasm, so the browser editor runs the very same reader as `taphuan content check`.
//!
//! # Grammar
//!
//! The reference is Moodle's `question/format/gift/format.php`; this reader makes the same
//! decisions in the same order, so a file means here what it means in Moodle.
//!
//! ```text
//! file      = block { blank-line+ block }          a blank line (only whitespace) ends a question
//! line      = "//" comment                          a line whose first non-blank chars are "//"
//!           | anything                              ("http://x" inside a line is not a comment)
//! block     = "$CATEGORY:" path                     sets the category of the questions below it
//!           | [ "::" name "::" ] [ "[" format "]" ] text [ "{" answers "}" text ]
//! format    = "html" | "markdown" | "plain" | "moodle"   (anything else stays part of the text)
//! answers   = body [ "####" general-feedback ]      the LAST "####" starts the general feedback
//! ```
//!
//! The kind of question is decided from the answer body, first match wins:
//!
//! | answer body                       | kind                                         |
//! |-----------------------------------|----------------------------------------------|
//! | no braces at all                  | description                                  |
//! | `{}` (empty body)                 | essay                                        |
//! | body starts with `#`              | numerical: `#5`, `#5:0.5`, `#1..10`, `#=5:0 =%50%5:2 ~#other` |
//! | body contains `~`                 | multiple choice: `=right ~wrong ~%50%half ~%-100%bad` |
//! | body contains `=` and `->`        | matching: `=left -> right` (`= -> extra` adds a distractor) |
//! | body is `T`, `TRUE`, `F`, `FALSE` | true/false, `{T#wrong-feedback#right-feedback}` |
//! | anything else                     | short answer: `=answer =%50%half =%0%*`      |
//!
//! Every answer may carry `#feedback`. A weight is `%N%` right after `~` or `=` (N from -100 to
//! 100, decimals allowed). When text follows the closing brace the question is a *missing word*
//! question and the braces become the blank `_____` in the text. In a multiple-choice question,
//! `=` marks a 100% answer and makes it single-answer (radio buttons), as in Moodle; with no `=`
//! the weights are summed and several boxes may be ticked.
//!
//! Beyond Moodle, which imports them silently, these are errors: a stray `}` or a second `{`, an
//! unclosed `::title`, an answer without `=`/`~` in a choice question, an empty answer, a weight
//! that is not a number in -100..100, `=%50%` in a choice question, a numerical value that is
//! not a number (Moodle turns it into "any number"), a question glued to a `$CATEGORY:` line,
//! and an answer key that cannot give full marks.
//!
//! Lines are trimmed (as Moodle's file import does), so indentation is never part of a text.
//!
//! Escapes: `\~ \= \# \{ \} \:` are the literal characters, `\\` is one backslash and `\n` a
//! line break; any other backslash is kept as written. A UTF-8 byte-order mark is ignored and
//! CRLF, LF and CR line ends are all accepted.

use serde::{Deserialize, Serialize};

/// One question read from GIFT (or Aiken) source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// The `::title::`, trimmed; `None` when absent or empty.
    pub name: Option<String>,
    /// The path from the last `$CATEGORY:` line above the question.
    pub category: Option<String>,
    /// Question text, escapes resolved, format tag removed, missing-word blank as `_____`.
    pub text: String,
    /// How `text` (and the feedback) is meant to be rendered.
    pub format: TextFormat,
    /// What is asked and its answer key.
    pub kind: QuestionKind,
    /// The `####general feedback`, shown to everyone after answering.
    pub general_feedback: Option<String>,
    /// 1-based line of the question's first character in the source.
    pub line: usize,
    /// 1-based column (in characters) of the question's first character.
    pub col: usize,
}

impl Question {
    /// Whether the question can be graded automatically (essays and descriptions cannot).
    pub fn is_gradable(&self) -> bool {
        !matches!(self.kind, QuestionKind::Essay | QuestionKind::Description)
    }

    /// Whether the text has the missing-word blank (answers written inside the sentence).
    pub fn is_missing_word(&self) -> bool {
        self.text.contains(MISSING_WORD_BLANK)
    }
}

/// The blank Moodle puts where the answer braces stood in a missing-word question.
pub const MISSING_WORD_BLANK: &str = "_____";

/// The `[format]` tag of a text; Moodle's default is `Moodle` (its auto-format).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextFormat {
    #[default]
    Moodle,
    Html,
    Markdown,
    Plain,
}

impl TextFormat {
    /// The tag name as written between brackets, e.g. `markdown`.
    pub fn tag(self) -> &'static str {
        match self {
            TextFormat::Moodle => "moodle",
            TextFormat::Html => "html",
            TextFormat::Markdown => "markdown",
            TextFormat::Plain => "plain",
        }
    }

    /// Parses a tag name; case-sensitive like Moodle, so `[HTML]` stays text.
    pub fn from_tag(tag: &str) -> Option<TextFormat> {
        match tag {
            "moodle" => Some(TextFormat::Moodle),
            "html" => Some(TextFormat::Html),
            "markdown" => Some(TextFormat::Markdown),
            "plain" => Some(TextFormat::Plain),
            _ => None,
        }
    }
}

/// What is asked, with its answer key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum QuestionKind {
    /// `single` is false when no answer is written with `=` (Moodle's rule): weights are used
    /// and the learner may tick several boxes.
    MultipleChoice { single: bool, choices: Vec<Choice> },
    /// `feedback_wrong` is shown to a learner who answered wrongly, `feedback_right` to one who
    /// answered rightly — whatever the right answer is (Moodle's `{T#wrong#right}`).
    TrueFalse {
        answer: bool,
        feedback_wrong: Option<String>,
        feedback_right: Option<String>,
    },
    /// Tried in order; the first answer that matches gives its fraction. `*` is a wildcard.
    ShortAnswer { answers: Vec<Choice> },
    /// Tried in order; see [`NumericAnswer::is_catch_all`] for `~#feedback`.
    Numerical { answers: Vec<NumericAnswer> },
    /// A pair with an empty `question` is an extra (distractor) answer, as in Moodle.
    Matching { pairs: Vec<MatchPair> },
    /// Free text, kept but never auto-graded.
    Essay,
    /// Text only, no answer.
    Description,
}

/// One answer of a multiple-choice or short-answer question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub text: String,
    /// Credit for this answer, from -1.0 to 1.0.
    pub fraction: f64,
    pub feedback: Option<String>,
}

/// One accepted value of a numerical question: right when `|response - value| <= tolerance`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumericAnswer {
    pub value: f64,
    pub tolerance: f64,
    pub fraction: f64,
    pub feedback: Option<String>,
}

impl NumericAnswer {
    /// Moodle's `*` answer (written `~#feedback` or `=*`) matches every number. It is stored as
    /// value 0 with the largest finite tolerance so that it still serialises to JSON.
    pub fn catch_all(fraction: f64, feedback: Option<String>) -> NumericAnswer {
        NumericAnswer {
            value: 0.0,
            tolerance: f64::MAX,
            fraction,
            feedback,
        }
    }

    /// Whether this is the `*` answer that matches every number.
    pub fn is_catch_all(&self) -> bool {
        self.tolerance == f64::MAX
    }
}

/// One `=question -> answer` line of a matching question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchPair {
    pub question: String,
    pub answer: String,
}

/// A problem in GIFT or Aiken source, with where it is and what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{line}:{col}: {message} — {hint}")]
pub struct GiftError {
    pub line: usize,
    pub col: usize,
    pub message: String,
    /// What to write instead.
    pub hint: String,
}

impl GiftError {
    pub(crate) fn at(pos: Pos, message: impl Into<String>, hint: impl Into<String>) -> GiftError {
        GiftError {
            line: pos.0,
            col: pos.1,
            message: message.into(),
            hint: hint.into(),
        }
    }
}

/// `s` with GIFT's special characters escaped, for writing it back as GIFT text.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '~' | '=' | '#' | '{' | '}' | ':' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Reads a whole GIFT source that starts at line 1, column 1.
pub fn parse_gift(src: &str) -> (Vec<Question>, Vec<GiftError>) {
    parse_gift_at(src, 1, 1)
}

/// Reads GIFT source embedded in a larger file: `first_line`/`first_col` are the 1-based position
/// of `src`'s first character there (e.g. the line after a ```` ```gift ```` fence), so questions
/// and errors carry the file's real positions. `first_col` applies to the first line only.
///
/// Never panics; reports every error and keeps reading. A question with a structural error is
/// left out; one whose answer key cannot give full marks is kept *and* reported.
pub fn parse_gift_at(src: &str, first_line: usize, first_col: usize) -> (Vec<Question>, Vec<GiftError>) {
    let mut questions = Vec::new();
    let mut errors = Vec::new();
    let mut category: Option<String> = None;
    let lines = lex_lines(src, first_line, first_col);

    let mut start = 0;
    while start < lines.len() {
        if lines[start].blank {
            start += 1;
            continue;
        }
        let mut end = start;
        while end < lines.len() && !lines[end].blank {
            end += 1;
        }
        read_block(&lines[start..end], &mut category, &mut questions, &mut errors);
        start = end;
    }
    (questions, errors)
}

// ---------------------------------------------------------------------------------------------
// Lexing: characters with their position and whether they were escaped.
//
// Moodle swaps escaped characters for placeholders before it looks for `{`, `~`, `#` … and puts
// them back at the end. Carrying an `escaped` flag on each character is the same idea without
// the placeholders, and keeps each character's source position for error messages.

/// A 1-based (line, column) position.
pub(crate) type Pos = (usize, usize);

#[derive(Debug, Clone, Copy)]
struct Unit {
    ch: char,
    escaped: bool,
    pos: Pos,
}

struct Line {
    units: Vec<Unit>,
    blank: bool,
    comment: bool,
    /// Where a line break after this line would be: used for the joining `\n`.
    end: Pos,
}

/// Splits `src` into lines on CRLF, LF or CR, resolving escapes within each line.
fn lex_lines(src: &str, first_line: usize, first_col: usize) -> Vec<Line> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let mut lines = Vec::new();
    let mut rest = src;
    let mut index = 0usize;
    loop {
        let (raw, next) = match rest.find(['\r', '\n']) {
            Some(i) => {
                let after = &rest[i..];
                let skip = if after.starts_with("\r\n") { 2 } else { 1 };
                (&rest[..i], Some(&rest[i + skip..]))
            }
            None => (rest, None),
        };
        let line_no = first_line.saturating_add(index);
        let col0 = if index == 0 { first_col } else { 1 };
        lines.push(lex_line(raw, line_no, col0));
        match next {
            Some(n) => rest = n,
            None => break,
        }
        index += 1;
    }
    lines
}

fn lex_line(raw: &str, line: usize, col0: usize) -> Line {
    let trimmed = raw.trim();
    let mut units = Vec::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    let mut col = col0;
    while let Some(ch) = chars.next() {
        let pos = (line, col);
        if ch == '\\' {
            let escaped = match chars.peek() {
                Some(&c @ ('~' | '=' | '#' | '{' | '}' | ':' | '\\')) => Some(c),
                Some('n') => Some('\n'),
                _ => None,
            };
            if let Some(c) = escaped {
                chars.next();
                units.push(Unit {
                    ch: c,
                    escaped: true,
                    pos,
                });
                col = col.saturating_add(2);
                continue;
            }
        }
        units.push(Unit {
            ch,
            escaped: false,
            pos,
        });
        col = col.saturating_add(1);
    }
    // Moodle's file import trims every line, so indentation is never part of a text.
    let units = trim(&units).to_vec();
    Line {
        units,
        blank: trimmed.is_empty(),
        comment: trimmed.starts_with("//"),
        end: (line, col),
    }
}

/// Is this an unescaped `c`?
fn is(u: &Unit, c: char) -> bool {
    !u.escaped && u.ch == c
}

fn matches_at(s: &[Unit], i: usize, pat: &[char]) -> bool {
    s.len() >= i + pat.len() && pat.iter().enumerate().all(|(k, &c)| is(&s[i + k], c))
}

/// First index of the unescaped pattern.
fn find(s: &[Unit], pat: &str) -> Option<usize> {
    let pat: Vec<char> = pat.chars().collect();
    (0..s.len()).find(|&i| matches_at(s, i, &pat))
}

/// Last index of the unescaped pattern.
fn rfind(s: &[Unit], pat: &str) -> Option<usize> {
    let pat: Vec<char> = pat.chars().collect();
    (0..s.len()).rev().find(|&i| matches_at(s, i, &pat))
}

/// Trims unescaped whitespace: an escaped `\n` survives until the final text is trimmed, as in
/// Moodle where it is still a placeholder at this stage.
fn trim(s: &[Unit]) -> &[Unit] {
    let ws = |u: &Unit| !u.escaped && u.ch.is_whitespace();
    let start = s.iter().position(|u| !ws(u)).unwrap_or(s.len());
    let end = s.iter().rposition(|u| !ws(u)).map_or(start, |i| i + 1);
    &s[start..end.max(start)]
}

fn text(s: &[Unit]) -> String {
    s.iter().map(|u| u.ch).collect()
}

/// The resolved, trimmed text; `None` when empty.
fn opt_text(s: &[Unit]) -> Option<String> {
    let t = text(s).trim().to_string();
    (!t.is_empty()).then_some(t)
}

fn pos_of(s: &[Unit], fallback: Pos) -> Pos {
    s.first().map_or(fallback, |u| u.pos)
}

/// Moodle's `parse_text_with_format`: a leading `[html]`, `[markdown]`, `[plain]` or `[moodle]`
/// sets the format and is removed; any other bracket stays part of the text.
fn with_format(s: &[Unit], default: TextFormat) -> (String, TextFormat) {
    let s = trim(s);
    if s.first().is_some_and(|u| is(u, '['))
        && let Some(close) = s.iter().position(|u| u.ch == ']')
        && let Some(f) = TextFormat::from_tag(&text(&s[1..close]))
    {
        return (text(&s[close + 1..]).trim().to_string(), f);
    }
    (text(s).trim().to_string(), default)
}

// ---------------------------------------------------------------------------------------------
// Blocks and questions.

fn read_block(
    lines: &[Line],
    category: &mut Option<String>,
    questions: &mut Vec<Question>,
    errors: &mut Vec<GiftError>,
) {
    // Comment lines are dropped (Moodle blanks them to a space; dropping them keeps a Markdown
    // paragraph from being split by a comment).
    let mut units: Vec<Unit> = Vec::new();
    let mut previous_end: Option<Pos> = None;
    for line in lines.iter().filter(|l| !l.comment) {
        if let Some(end) = previous_end {
            units.push(Unit {
                ch: '\n',
                escaped: false,
                pos: end,
            });
        }
        units.extend_from_slice(&line.units);
        previous_end = Some(line.end);
    }
    let block = trim(&units);
    if block.is_empty() {
        return;
    }

    if matches_at(block, 0, &['$', 'C', 'A', 'T', 'E', 'G', 'O', 'R', 'Y', ':']) {
        let rest = &block[10..];
        let (path, after) = match find(rest, "\n") {
            Some(nl) => (&rest[..nl], trim(&rest[nl..])),
            None => (rest, &rest[rest.len()..]),
        };
        *category = opt_text(trim(path));
        if after.is_empty() {
            return;
        }
        // Moodle would swallow the question into the category's name; say so instead.
        errors.push(GiftError::at(
            pos_of(after, block[0].pos),
            "a question follows the `$CATEGORY:` line without a blank line, so Moodle would read it as part of the category name",
            "leave a blank line after the `$CATEGORY:` line",
        ));
        if let Some(q) = read_question(after, category, errors) {
            questions.push(q);
        }
        return;
    }

    if let Some(q) = read_question(block, category, errors) {
        questions.push(q);
    }
}

/// Reads one question from a trimmed, non-empty block.
fn read_question(block: &[Unit], category: &Option<String>, errors: &mut Vec<GiftError>) -> Option<Question> {
    let start = block.first()?.pos;
    let mut body = block;

    // `::name::`
    let mut name = None;
    if matches_at(body, 0, &[':', ':']) {
        let after = &body[2..];
        match find(after, "::") {
            Some(end) => {
                name = opt_text(&after[..end]);
                body = trim(&after[end + 2..]);
            }
            None => {
                errors.push(GiftError::at(
                    start,
                    "the question title is not closed",
                    "write the title as `::name::` before the question text, or `\\:` for a literal colon",
                ));
                return None;
            }
        }
    }

    let open = find(body, "{");
    let close = find(body, "}");
    let (question_units, answer_units): (Vec<Unit>, Option<&[Unit]>) = match (open, close) {
        (None, None) => (body.to_vec(), None),
        (Some(o), None) => {
            errors.push(GiftError::at(
                body[o].pos,
                "unclosed '{'",
                "add '}' at the end of the answers (a blank line ends a question, so there must be none between '{' and '}'), or write '\\{' for a literal brace",
            ));
            return None;
        }
        (None, Some(c)) => {
            errors.push(GiftError::at(
                body[c].pos,
                "'}' without an opening '{'",
                "open the answers with '{' (and remove any blank line inside them), or write '\\}' for a literal brace",
            ));
            return None;
        }
        (Some(o), Some(c)) if c < o => {
            errors.push(GiftError::at(
                body[c].pos,
                "'}' comes before the '{' that opens the answers",
                "write '\\}' for a literal brace in the question text",
            ));
            return None;
        }
        (Some(o), Some(c)) => {
            let after = &body[c + 1..];
            if let Some(extra) = after.iter().find(|u| is(u, '{') || is(u, '}')) {
                errors.push(GiftError::at(
                    extra.pos,
                    "a second '{' or '}' after the answers",
                    "put a blank line between two questions, or write '\\{' and '\\}' for literal braces",
                ));
                return None;
            }
            let mut q = body[..o].to_vec();
            if !trim(after).is_empty() {
                // Missing-word question: the answers stand inside the sentence.
                q.extend(MISSING_WORD_BLANK.chars().map(|ch| Unit {
                    ch,
                    escaped: false,
                    pos: body[o].pos,
                }));
                q.extend_from_slice(after);
            }
            (q, Some(&body[o + 1..c]))
        }
    };

    let (text, format) = with_format(&question_units, TextFormat::Moodle);
    let mut general_feedback = None;
    let kind = match answer_units {
        None => QuestionKind::Description,
        Some(raw) => {
            let brace = body[open.unwrap_or(0)].pos;
            let mut answers = trim(raw);
            if let Some(g) = rfind(answers, "####") {
                general_feedback = opt(with_format(&answers[g + 4..], format).0);
                answers = trim(&answers[..g]);
            }
            let mut ctx = Ctx {
                format,
                brace,
                errors,
                failed: false,
            };
            let kind = read_answers(answers, &mut ctx);
            if ctx.failed {
                return None;
            }
            check_key(&kind, brace, ctx.errors);
            kind
        }
    };

    Some(Question {
        name,
        category: category.clone(),
        text,
        format,
        kind,
        general_feedback,
        line: start.0,
        col: start.1,
    })
}

struct Ctx<'e> {
    format: TextFormat,
    brace: Pos,
    errors: &'e mut Vec<GiftError>,
    failed: bool,
}

impl Ctx<'_> {
    fn error(&mut self, pos: Pos, message: impl Into<String>, hint: impl Into<String>) {
        self.errors.push(GiftError::at(pos, message, hint));
        self.failed = true;
    }
}

/// Decides the kind from the answer body in Moodle's order, then reads the answers.
fn read_answers(a: &[Unit], ctx: &mut Ctx) -> QuestionKind {
    if a.is_empty() {
        return QuestionKind::Essay;
    }
    if is(&a[0], '#') {
        return read_numerical(&a[1..], ctx);
    }
    if find(a, "~").is_some() {
        return read_multichoice(a, ctx);
    }
    if find(a, "=").is_some() && find(a, "->").is_some() {
        return read_matching(a, ctx);
    }
    let head = match find(a, "#") {
        Some(h) if h > 0 => trim(&a[..h]),
        _ => a,
    };
    let head = text(head);
    if matches!(head.as_str(), "T" | "TRUE" | "F" | "FALSE") {
        let mut bits = split_n(a, '#', 3).into_iter();
        let answer = matches!(head.as_str(), "T" | "TRUE");
        bits.next();
        let feedback_wrong = bits.next().and_then(|b| opt(with_format(b, ctx.format).0));
        let feedback_right = bits.next().and_then(|b| opt(with_format(b, ctx.format).0));
        return QuestionKind::TrueFalse {
            answer,
            feedback_wrong,
            feedback_right,
        };
    }
    read_short_answer(a, ctx)
}

fn opt(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

/// Splits at unescaped `sep` into at most `n` parts (PHP's `explode` with a limit).
fn split_n(s: &[Unit], sep: char, n: usize) -> Vec<&[Unit]> {
    let mut parts = Vec::new();
    let mut from = 0;
    for (i, u) in s.iter().enumerate() {
        if parts.len() + 1 >= n {
            break;
        }
        if is(u, sep) {
            parts.push(&s[from..i]);
            from = i + 1;
        }
    }
    parts.push(&s[from..]);
    parts
}

/// One answer: the marker (`=` or `~`) that opened it, if any, and what follows.
struct Segment<'a> {
    marker: Option<Unit>,
    body: &'a [Unit],
}

/// Splits an answer body before every unescaped marker; a leading segment that is only
/// whitespace is dropped (Moodle's `array_shift` of an empty first piece).
fn segments<'a>(s: &'a [Unit], markers: &[char]) -> Vec<Segment<'a>> {
    let mut out = Vec::new();
    let mut marker = None;
    let mut from = 0;
    for (i, u) in s.iter().enumerate() {
        if !u.escaped && markers.contains(&u.ch) {
            out.push(Segment {
                marker,
                body: &s[from..i],
            });
            marker = Some(*u);
            from = i + 1;
        }
    }
    out.push(Segment {
        marker,
        body: &s[from..],
    });
    if out
        .first()
        .is_some_and(|seg| seg.marker.is_none() && trim(seg.body).is_empty())
    {
        out.remove(0);
    }
    out
}

/// A `%N%` weight at the start of an answer: `Ok(None)` when there is none. Moodle's pattern is
/// `%-N.N%`; a percent sign followed by something number-like that does not fit is an error
/// rather than silently becoming part of the answer text.
fn weight<'a>(s: &'a [Unit], ctx: &mut Ctx) -> Option<(f64, &'a [Unit])> {
    if !s.first().is_some_and(|u| is(u, '%')) {
        return None;
    }
    let close = s.iter().skip(1).position(|u| u.ch == '%')? + 1;
    let inner = text(&s[1..close]);
    let numeric_like = !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit() || "-+., ".contains(c));
    if !numeric_like {
        return None;
    }
    let digits = inner.strip_prefix('-').unwrap_or(&inner);
    let well_formed = digits.starts_with(|c: char| c.is_ascii_digit())
        && digits.chars().filter(|&c| c == '.').count() <= 1
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.');
    let value = if well_formed { inner.parse::<f64>().ok() } else { None };
    match value {
        Some(v) if v.abs() <= 100.0 => Some((v / 100.0, &s[close + 1..])),
        Some(_) => {
            ctx.error(
                s[0].pos,
                format!("the weight %{inner}% is outside -100%..100%"),
                "write a percentage from %-100% to %100%",
            );
            Some((0.0, &s[close + 1..]))
        }
        None => {
            ctx.error(
                s[0].pos,
                format!("the weight %{inner}% is not a number"),
                "write the weight as a plain percentage with a dot for decimals, e.g. %50% or %-33.3%",
            );
            Some((0.0, &s[close + 1..]))
        }
    }
}

/// Moodle's `commentparser`: text before the first `#` and feedback after it, each with its own
/// optional `[format]` tag (the tag is removed; answers are rendered in the question's format).
fn answer_and_feedback(s: &[Unit], format: TextFormat) -> (String, Option<String>, Pos) {
    let s = trim(s);
    let parts = split_n(s, '#', 2);
    let answer = with_format(parts[0], format).0;
    let feedback = parts.get(1).and_then(|f| opt(with_format(f, format).0));
    (answer, feedback, pos_of(s, (0, 0)))
}

fn marker_pos(seg: &Segment, ctx: &Ctx) -> Pos {
    seg.marker.map_or_else(|| pos_of(seg.body, ctx.brace), |m| m.pos)
}

fn read_multichoice(a: &[Unit], ctx: &mut Ctx) -> QuestionKind {
    let single = find(a, "=").is_some();
    let mut choices = Vec::new();
    for seg in segments(a, &['~', '=']) {
        let at = marker_pos(&seg, ctx);
        let body = trim(seg.body);
        let fraction;
        let mut rest = body;
        match seg.marker {
            None => {
                ctx.error(
                    at,
                    format!("the answer `{}` has no '=' or '~' in front", text(body)),
                    "start each answer with '=' (right) or '~' (wrong)",
                );
                continue;
            }
            Some(m) if m.ch == '=' => {
                fraction = 1.0;
                if body.first().is_some_and(|u| is(u, '%')) && weight(body, ctx).is_some() {
                    ctx.error(
                        at,
                        "a weight after '=' in a multiple-choice question (Moodle would keep it as answer text)",
                        "'=' already means 100%: write `~%50%answer` for partial credit",
                    );
                    continue;
                }
            }
            Some(_) => match weight(body, ctx) {
                Some((w, r)) => {
                    fraction = w;
                    rest = r;
                }
                None => fraction = 0.0,
            },
        }
        let (text, feedback, _) = answer_and_feedback(rest, ctx.format);
        if text.is_empty() {
            ctx.error(
                at,
                "an empty answer",
                "write the answer after '=' or '~', or remove the stray marker (write '\\=' or '\\~' for the literal character)",
            );
            continue;
        }
        choices.push(Choice {
            text,
            fraction,
            feedback,
        });
    }
    if !ctx.failed && choices.len() < 2 {
        ctx.error(
            ctx.brace,
            "a multiple-choice question needs at least two answers",
            "add another answer such as `~wrong answer`",
        );
    }
    QuestionKind::MultipleChoice { single, choices }
}

fn read_matching(a: &[Unit], ctx: &mut Ctx) -> QuestionKind {
    let mut pairs = Vec::new();
    for seg in segments(a, &['=']) {
        let at = marker_pos(&seg, ctx);
        let body = trim(seg.body);
        let Some(arrow) = find(body, "->") else {
            ctx.error(
                at,
                format!("the matching pair `{}` has no '->'", text(body)),
                "write each pair as `=question -> answer`",
            );
            continue;
        };
        let question = with_format(&body[..arrow], ctx.format).0;
        let answer = text(&body[arrow + 2..]).trim().to_string();
        if answer.is_empty() {
            ctx.error(
                at,
                "a matching pair with no answer after '->'",
                "write `=question -> answer`",
            );
            continue;
        }
        pairs.push(MatchPair { question, answer });
    }
    if !ctx.failed && pairs.len() < 2 {
        ctx.error(
            ctx.brace,
            "a matching question needs at least two pairs",
            "add another line `=question -> answer`",
        );
    }
    if !ctx.failed && pairs.iter().all(|p| p.question.is_empty()) {
        ctx.error(
            ctx.brace,
            "a matching question has only extra answers (`= -> answer`) and nothing to match",
            "write at least one pair as `=question -> answer`",
        );
    }
    QuestionKind::Matching { pairs }
}

fn read_short_answer(a: &[Unit], ctx: &mut Ctx) -> QuestionKind {
    let mut answers = Vec::new();
    for seg in segments(a, &['=']) {
        let at = marker_pos(&seg, ctx);
        let body = trim(seg.body);
        let (fraction, rest) = weight(body, ctx).unwrap_or((1.0, body));
        let (text, feedback, _) = answer_and_feedback(rest, ctx.format);
        if text.is_empty() {
            ctx.error(
                at,
                "an empty short answer",
                "write the accepted answer after '=', e.g. `=Nghị định 85`, or remove the stray '='",
            );
            continue;
        }
        answers.push(Choice {
            text,
            fraction,
            feedback,
        });
    }
    if !ctx.failed && answers.is_empty() {
        ctx.error(ctx.brace, "a short-answer question with no answer", "write `{=answer}`");
    }
    QuestionKind::ShortAnswer { answers }
}

fn read_numerical(a: &[Unit], ctx: &mut Ctx) -> QuestionKind {
    // Everything from the first `~` is the feedback for any other number (Moodle's `*` answer).
    let (a, other) = match find(a, "~") {
        Some(t) => (&a[..t], Some(&a[t..])),
        None => (a, None),
    };
    let mut answers = Vec::new();
    for seg in segments(a, &['=']) {
        let at = marker_pos(&seg, ctx);
        let body = trim(seg.body);
        let (fraction, rest) = weight(body, ctx).unwrap_or((1.0, body));
        let (value, feedback, vpos) = answer_and_feedback(rest, ctx.format);
        let vpos = if vpos == (0, 0) { at } else { vpos };
        if value == "*" {
            answers.push(NumericAnswer::catch_all(fraction, feedback));
            continue;
        }
        let parsed = if let Some(dots) = value.find("..").filter(|&d| d > 0) {
            let (min, max) = (value[..dots].trim(), value[dots + 2..].trim());
            match (number(min), number(max)) {
                (Some(min), Some(max)) if min <= max => Ok((min + (max - min) / 2.0, (max - min) / 2.0)),
                (Some(_), Some(_)) => Err((
                    format!("the range `{value}` starts above where it ends"),
                    "write the range as `min..max` with min ≤ max".to_string(),
                )),
                _ => Err(not_a_number(&value)),
            }
        } else if let Some(colon) = value.find(':').filter(|&c| c > 0) {
            match (number(value[..colon].trim()), number(value[colon + 1..].trim())) {
                (Some(v), Some(t)) if t >= 0.0 => Ok((v, t)),
                (Some(_), Some(_)) => Err((
                    format!("the tolerance in `{value}` is negative"),
                    "write the margin of error as a positive number, e.g. `#5:0.5`".to_string(),
                )),
                _ => Err(not_a_number(&value)),
            }
        } else {
            number(&value).map(|v| (v, 0.0)).ok_or_else(|| not_a_number(&value))
        };
        match parsed {
            Ok((value, tolerance)) => answers.push(NumericAnswer {
                value,
                tolerance,
                fraction,
                feedback,
            }),
            Err((message, hint)) => ctx.error(vpos, message, hint),
        }
    }
    if let Some(other) = other {
        let (_, feedback, _) = answer_and_feedback(&other[1..], ctx.format);
        answers.push(NumericAnswer::catch_all(0.0, feedback));
    }
    if !ctx.failed && answers.iter().all(NumericAnswer::is_catch_all) {
        ctx.error(
            ctx.brace,
            "a numerical question with no number",
            "write the answer as `{#5}`, `{#5:0.5}` (value:margin) or `{#1..10}` (range)",
        );
    }
    QuestionKind::Numerical { answers }
}

fn not_a_number(value: &str) -> (String, String) {
    let hint = if value.contains(',') {
        "use a dot for decimals (3.14, not 3,14): write `#value`, `#value:margin` or `#min..max`"
    } else {
        "write `#value`, `#value:margin` or `#min..max` with plain numbers, e.g. `#1822:1`"
    };
    (format!("`{value}` is not a number"), hint.to_string())
}

/// A plain decimal number as PHP's `is_numeric` accepts it (sign, digits, dot, exponent), but
/// never `inf` or `NaN`, which Rust's parser would take.
pub(crate) fn number(s: &str) -> Option<f64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(e) => (&body[..e], Some(&body[e + 1..])),
        None => (body, None),
    };
    let digits_ok = mantissa.chars().any(|c| c.is_ascii_digit())
        && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
        && mantissa.matches('.').count() <= 1;
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
    });
    if !(digits_ok && exponent_ok) {
        return None;
    }
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Rules on the answer key that Moodle's question forms enforce: a gradable question must be
/// able to give full marks. The question is kept (the editor can still preview it).
fn check_key(kind: &QuestionKind, at: Pos, errors: &mut Vec<GiftError>) {
    const EPS: f64 = 1e-3;
    let best = |fractions: &mut dyn Iterator<Item = f64>| fractions.fold(f64::MIN, f64::max);
    match kind {
        QuestionKind::MultipleChoice { single: true, choices }
            if best(&mut choices.iter().map(|c| c.fraction)) < 1.0 - EPS =>
        {
            errors.push(GiftError::at(
                at,
                "no answer is marked right",
                "mark the right answer with '=' (or give one answer %100%)",
            ));
        }
        QuestionKind::MultipleChoice { single: false, choices } => {
            let sum: f64 = choices.iter().map(|c| c.fraction.max(0.0)).sum();
            if sum < 1.0 - EPS {
                let message = if sum <= 0.0 {
                    "no answer is marked right".to_string()
                } else {
                    format!(
                        "the positive weights add up to {:.4}%, so nobody can reach 100%",
                        sum * 100.0
                    )
                };
                errors.push(GiftError::at(
                    at,
                    message,
                    "mark one right answer with '=', or make the positive weights (`~%50%`) add up to 100%",
                ));
            }
        }
        QuestionKind::ShortAnswer { answers } if best(&mut answers.iter().map(|c| c.fraction)) < 1.0 - EPS => {
            errors.push(GiftError::at(
                at,
                "no answer gives full credit",
                "write at least one answer as `=answer` (without a weight) or `=%100%answer`",
            ));
        }
        QuestionKind::Numerical { answers } if best(&mut answers.iter().map(|a| a.fraction)) < 1.0 - EPS => {
            errors.push(GiftError::at(
                at,
                "no number gives full credit",
                "write at least one value without a weight, e.g. `{#5:0.5}` or `{#=%100%5}`",
            ));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(src: &str) -> Question {
        let (qs, errs) = parse_gift(src);
        assert!(errs.is_empty(), "unexpected errors for {src:?}: {errs:?}");
        assert_eq!(qs.len(), 1, "expected one question from {src:?}: {qs:?}");
        qs.into_iter().next().unwrap()
    }

    fn choices(q: &Question) -> Vec<(String, f64, Option<String>)> {
        match &q.kind {
            QuestionKind::MultipleChoice { choices, .. } | QuestionKind::ShortAnswer { answers: choices } => choices
                .iter()
                .map(|c| (c.text.clone(), c.fraction, c.feedback.clone()))
                .collect(),
            other => panic!("not a choice question: {other:?}"),
        }
    }

    fn fb(s: &str) -> Option<String> {
        Some(s.to_string())
    }

    #[test]
    fn each_construct_reads_as_moodle_reads_it() {
        // (source, expected text, expected kind)
        let cases: Vec<(&str, &str, QuestionKind)> = vec![
            ("Just text.", "Just text.", QuestionKind::Description),
            ("Write an essay.{}", "Write an essay.", QuestionKind::Essay),
            (
                "Essay with general feedback.{####Good luck}",
                "Essay with general feedback.",
                QuestionKind::Essay,
            ),
            (
                "Sky is blue.{T}",
                "Sky is blue.",
                QuestionKind::TrueFalse {
                    answer: true,
                    feedback_wrong: None,
                    feedback_right: None,
                },
            ),
            (
                "Sky is green.{FALSE#No, blue.#Right.}",
                "Sky is green.",
                QuestionKind::TrueFalse {
                    answer: false,
                    feedback_wrong: fb("No, blue."),
                    feedback_right: fb("Right."),
                },
            ),
            (
                "2+2?{#4}",
                "2+2?",
                QuestionKind::Numerical {
                    answers: vec![NumericAnswer {
                        value: 4.0,
                        tolerance: 0.0,
                        fraction: 1.0,
                        feedback: None,
                    }],
                },
            ),
            (
                "Range?{#1.5..2.5}",
                "Range?",
                QuestionKind::Numerical {
                    answers: vec![NumericAnswer {
                        value: 2.0,
                        tolerance: 0.5,
                        fraction: 1.0,
                        feedback: None,
                    }],
                },
            ),
            (
                "Born?{#=1822:0#Exact =%50%1822:2#Close ~#Far off}",
                "Born?",
                QuestionKind::Numerical {
                    answers: vec![
                        NumericAnswer {
                            value: 1822.0,
                            tolerance: 0.0,
                            fraction: 1.0,
                            feedback: fb("Exact"),
                        },
                        NumericAnswer {
                            value: 1822.0,
                            tolerance: 2.0,
                            fraction: 0.5,
                            feedback: fb("Close"),
                        },
                        NumericAnswer::catch_all(0.0, fb("Far off")),
                    ],
                },
            ),
            (
                "Match.{=a -> 1 =b -> 2 = -> 3}",
                "Match.",
                QuestionKind::Matching {
                    pairs: vec![
                        MatchPair {
                            question: "a".into(),
                            answer: "1".into(),
                        },
                        MatchPair {
                            question: "b".into(),
                            answer: "2".into(),
                        },
                        MatchPair {
                            question: "".into(),
                            answer: "3".into(),
                        },
                    ],
                },
            ),
        ];
        for (src, text, kind) in cases {
            let q = one(src);
            assert_eq!(q.text, text, "text of {src:?}");
            match (&q.kind, &kind) {
                (QuestionKind::Numerical { answers: got }, QuestionKind::Numerical { answers: want }) => {
                    assert_eq!(got.len(), want.len(), "{src:?}");
                    for (g, w) in got.iter().zip(want) {
                        assert!(
                            (g.value - w.value).abs() < 1e-9 && (g.tolerance - w.tolerance).abs() < 1e-9,
                            "{src:?}: {g:?} vs {w:?}"
                        );
                        assert_eq!((g.fraction, &g.feedback), (w.fraction, &w.feedback), "{src:?}");
                    }
                }
                _ => assert_eq!(q.kind, kind, "kind of {src:?}"),
            }
        }
    }

    #[test]
    fn choice_answers_weights_and_feedback_follow_moodle() {
        type Expected<'a> = Vec<(&'a str, f64, Option<&'a str>)>;
        let cases: Vec<(&str, bool, Expected)> = vec![
            ("Q{=yes ~no}", true, vec![("yes", 1.0, None), ("no", 0.0, None)]),
            (
                "Q{~%50%a#half ~%50%b ~%-100%c#bad ~d}",
                false,
                vec![
                    ("a", 0.5, Some("half")),
                    ("b", 0.5, None),
                    ("c", -1.0, Some("bad")),
                    ("d", 0.0, None),
                ],
            ),
            (
                "Q{~%33.333%a ~%33.333%b ~%33.333%c}",
                false,
                vec![("a", 0.33333, None), ("b", 0.33333, None), ("c", 0.33333, None)],
            ),
            (
                "Q{=[plain]right # [html]well done ~wrong}",
                true,
                vec![("right", 1.0, Some("well done")), ("wrong", 0.0, None)],
            ),
            (
                "Q{=a\\=b ~c\\~d ~e\\#f}",
                true,
                vec![("a=b", 1.0, None), ("c~d", 0.0, None), ("e#f", 0.0, None)],
            ),
        ];
        for (src, single, want) in cases {
            let q = one(src);
            let QuestionKind::MultipleChoice { single: s, .. } = &q.kind else {
                panic!("{src:?}")
            };
            assert_eq!(*s, single, "single of {src:?}");
            let got = choices(&q);
            let want: Vec<_> = want
                .into_iter()
                .map(|(t, f, b)| (t.to_string(), f, b.map(str::to_string)))
                .collect();
            assert_eq!(got.len(), want.len());
            for (g, w) in got.iter().zip(&want) {
                assert_eq!((&g.0, &g.2), (&w.0, &w.2), "{src:?}");
                assert!((g.1 - w.1).abs() < 1e-9, "{src:?}: {g:?}");
            }
        }
    }

    #[test]
    fn short_answers_take_weights_and_wildcards() {
        let q = one("Best animal?{=Frog#Good! =%50%Cat#Hmm =%0%*#No}");
        assert_eq!(
            choices(&q),
            vec![
                ("Frog".into(), 1.0, fb("Good!")),
                ("Cat".into(), 0.5, fb("Hmm")),
                ("*".into(), 0.0, fb("No")),
            ]
        );
        // `{true}` is not true/false (Moodle compares case-sensitively): it is a short answer.
        assert!(matches!(one("Q{true}").kind, QuestionKind::ShortAnswer { .. }));
    }

    #[test]
    fn missing_word_puts_a_blank_where_the_braces_were() {
        let q = one("Grant is {~buried =entombed ~living} in Grant's tomb.");
        assert_eq!(q.text, "Grant is _____ in Grant's tomb.");
        assert!(q.is_missing_word());
        let q = one("Who is there?{=me ~you}");
        assert!(!q.is_missing_word());
    }

    #[test]
    fn names_categories_formats_and_general_feedback_are_read() {
        let src = "// heading\n$CATEGORY: $course$/Luật\n\n::q\\:1:: [markdown]**Đúng** hay sai?{T####[html]<b>Vì</b> vậy}\n\n::q2::Text";
        let (qs, errs) = parse_gift(src);
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(qs.len(), 2);
        assert_eq!(qs[0].name.as_deref(), Some("q:1"));
        assert_eq!(qs[0].category.as_deref(), Some("$course$/Luật"));
        assert_eq!(qs[0].format, TextFormat::Markdown);
        assert_eq!(qs[0].text, "**Đúng** hay sai?");
        assert_eq!(qs[0].general_feedback.as_deref(), Some("<b>Vì</b> vậy"));
        assert_eq!((qs[0].line, qs[0].col), (4, 1));
        assert_eq!(qs[1].kind, QuestionKind::Description);
        assert_eq!(qs[1].category.as_deref(), Some("$course$/Luật"));
    }

    #[test]
    fn escapes_comments_crlf_and_bom_are_handled() {
        let src = "\u{feff}// comment\r\n::e::a \\{b\\} c\\: d \\\\ e\\nf \\x{=ok ~no}\r\n\r\nnext{}";
        let (qs, errs) = parse_gift(src);
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(qs.len(), 2);
        assert_eq!(qs[0].text, "a {b} c: d \\ e\nf \\x");
        assert_eq!((qs[0].line, qs[0].col), (2, 1));
        assert_eq!((qs[1].line, qs[1].col), (4, 1));
        // `\\{` is a backslash followed by a real brace.
        assert_eq!(one("Q \\\\{}").text, "Q \\");
        // A `//` inside a line is text, not a comment.
        assert_eq!(one("See http://x.vn {}").text, "See http://x.vn");
    }

    #[test]
    fn positions_follow_the_embedding_file() {
        let (qs, errs) = parse_gift_at("\n::a:: Q{=x ~y}\n\n  ::b:: Q {=x", 40, 1);
        assert_eq!((qs[0].line, qs[0].col), (41, 1));
        assert_eq!(errs.len(), 1);
        assert_eq!((errs[0].line, errs[0].col), (43, 11));
        let (_, errs) = parse_gift_at("Q {=x", 7, 5);
        assert_eq!((errs[0].line, errs[0].col), (7, 7));
    }

    #[test]
    fn errors_say_where_and_what_to_write() {
        // (source, line, col, words in the message)
        let cases: Vec<(&str, usize, usize, &str)> = vec![
            ("Q {=a ~b", 1, 3, "unclosed '{'"),
            ("Q =a ~b}", 1, 8, "without an opening '{'"),
            ("Q } x {=a ~b}", 1, 3, "comes before"),
            ("Q {=a ~b} and {=c}", 1, 15, "second '{'"),
            ("::name Q{=a ~b}", 1, 1, "title is not closed"),
            ("Q {\n~a\n}", 1, 3, "at least two answers"),
            ("Q {~a ~b}", 1, 3, "no answer is marked right"),
            ("Q {~%40%a ~%40%b}", 1, 3, "add up to 80"),
            ("Q {~%150%a =b}", 1, 5, "outside -100%..100%"),
            ("Q {~%5,5%a =b}", 1, 5, "not a number"),
            ("Q {=%50%a ~b}", 1, 4, "weight after '='"),
            ("Q {x ~a =b}", 1, 4, "no '=' or '~'"),
            ("Q {~ =b}", 1, 4, "empty answer"),
            ("Q {=a -> 1 =b}", 1, 12, "no '->'"),
            ("Q {#abc}", 1, 5, "not a number"),
            ("Q {#3,14}", 1, 5, "not a number"),
            ("Q {#5..1}", 1, 5, "starts above"),
            ("Q {#5:-1}", 1, 5, "negative"),
            ("Q {#}", 1, 3, "no number"),
            ("Q {#=%50%5}", 1, 3, "no number gives full credit"),
            ("Q {=%50%a}", 1, 3, "no answer gives full credit"),
            ("Q {=}", 1, 4, "empty short answer"),
            ("$CATEGORY: x\nQ {=a ~b}", 2, 1, "without a blank line"),
            ("Q {=a\n\n~b}", 1, 3, "unclosed '{'"),
        ];
        for (src, line, col, words) in cases {
            let (_, errs) = parse_gift(src);
            assert!(
                errs.iter()
                    .any(|e| (e.line, e.col) == (line, col) && e.message.contains(words) && !e.hint.is_empty()),
                "{src:?}: wanted {line}:{col} `{words}`, got {errs:?}"
            );
        }
    }

    #[test]
    fn a_bad_question_does_not_hide_the_next_one() {
        let (qs, errs) = parse_gift("::a:: Q {=x\n\n::b:: Q {=x ~y}\n\n::c:: Q {#z}");
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert_eq!(qs.len(), 1);
        assert_eq!(qs[0].name.as_deref(), Some("b"));
        assert_eq!(
            errs[1].to_string(),
            format!("5:11: `z` is not a number — {}", errs[1].hint)
        );
    }

    #[test]
    fn number_accepts_what_php_is_numeric_accepts_but_not_inf() {
        for (s, want) in [
            ("5", Some(5.0)),
            ("-1.5", Some(-1.5)),
            (".5", Some(0.5)),
            ("1e3", Some(1000.0)),
            ("+2", Some(2.0)),
        ] {
            assert_eq!(number(s), want, "{s}");
        }
        for s in ["inf", "NaN", "", "-", "1.2.3", "3,14", "e5", "1e"] {
            assert_eq!(number(s), None, "{s}");
        }
    }
}
