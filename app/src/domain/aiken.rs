//! The Aiken reader: single-answer multiple-choice questions in Moodle's Aiken format, read
//! into the same [`Question`] model as GIFT (used by `taphuan content import-aiken`).
//!
//! # Grammar
//!
//! Following Moodle's `question/format/aiken/format.php`, line by line (each line trimmed;
//! lines shorter than two characters are skipped, so blank lines do not matter):
//!
//! ```text
//! question = text-line                 the whole question text on one line
//!            choice-line{2,}           a capital letter, then ')' or '.', then the choice text
//!            "ANSWER:" letter          ends the question; the letter names the right choice
//! ```
//!
//! `A) Yes`, `B. No` and `C)No` (no space, accepted by Moodle since 2018) are choices. Any other
//! line starts a new question. There is no feedback, no name and no escaping. CRLF, LF, CR and a
//! byte-order mark are accepted.

use super::gift::{Choice, GiftError, Pos, Question, QuestionKind, TextFormat};

/// Reads a whole Aiken source that starts at line 1, column 1.
pub fn parse_aiken(src: &str) -> (Vec<Question>, Vec<GiftError>) {
    parse_aiken_at(src, 1, 1)
}

struct Open {
    text: String,
    pos: Pos,
    choices: Vec<Choice>,
}

/// Reads Aiken source embedded in a larger file at `first_line`/`first_col` (1-based; the
/// column applies to the first line only). Never panics; reports every error and keeps going.
pub fn parse_aiken_at(src: &str, first_line: usize, first_col: usize) -> (Vec<Question>, Vec<GiftError>) {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let mut questions = Vec::new();
    let mut errors = Vec::new();
    let mut open: Option<Open> = None;

    for (index, raw) in src.split("\r\n").flat_map(|l| l.split(['\r', '\n'])).enumerate() {
        let line = first_line.saturating_add(index);
        let indent = raw.chars().take_while(|c| c.is_whitespace()).count();
        let col = if index == 0 { first_col } else { 1 }.saturating_add(indent);
        let now = raw.trim();
        if now.chars().count() < 2 {
            continue;
        }
        if let Some(choice) = choice_text(now) {
            match open.as_mut() {
                Some(q) => q.choices.push(Choice {
                    text: choice.to_string(),
                    fraction: 0.0,
                    feedback: None,
                }),
                None => errors.push(not_started(line, col)),
            }
        } else if let Some(answer) = now.strip_prefix("ANSWER:") {
            let Some(q) = open.take() else {
                errors.push(not_started(line, col));
                continue;
            };
            if q.choices.len() < 2 {
                errors.push(GiftError::at(
                    (line, col),
                    format!("the question `{}` has fewer than two choices", q.text),
                    "write at least two choices, one per line, as `A) text` before `ANSWER:`",
                ));
                continue;
            }
            let letter = answer.trim().chars().next();
            let index = letter
                .filter(char::is_ascii_uppercase)
                .map(|c| (c as u8 - b'A') as usize)
                .filter(|&i| i < q.choices.len());
            let Some(right) = index else {
                errors.push(GiftError::at(
                    (line, col),
                    format!("`{now}` does not name one of the {} choices", q.choices.len()),
                    format!(
                        "write `ANSWER: A` … `ANSWER: {}`",
                        (b'A' + (q.choices.len().min(26) - 1) as u8) as char
                    ),
                ));
                continue;
            };
            let mut choices = q.choices;
            choices[right].fraction = 1.0;
            questions.push(Question {
                name: None,
                category: None,
                text: q.text,
                format: TextFormat::Plain,
                kind: QuestionKind::MultipleChoice { single: true, choices },
                general_feedback: None,
                line: q.pos.0,
                col: q.pos.1,
            });
        } else {
            if let Some(q) = open.take() {
                errors.push(unfinished(&q));
            }
            open = Some(Open {
                text: now.to_string(),
                pos: (line, col),
                choices: Vec::new(),
            });
        }
    }
    // Moodle silently drops a question left open at the end of the file; say so instead.
    if let Some(q) = open {
        errors.push(unfinished(&q));
    }
    (questions, errors)
}

/// `A) text`, `B. text` or `C)text`: Moodle's `^[A-Z][).][ \t]?`.
fn choice_text(line: &str) -> Option<&str> {
    let mut chars = line.chars();
    let letter = chars.next()?;
    let mark = chars.next()?;
    (letter.is_ascii_uppercase() && (mark == ')' || mark == '.')).then(|| line[2..].trim())
}

fn not_started(line: usize, col: usize) -> GiftError {
    GiftError::at(
        (line, col),
        "a choice or ANSWER line outside a question",
        "write the question text on its own line before its choices",
    )
}

fn unfinished(q: &Open) -> GiftError {
    GiftError::at(
        q.pos,
        format!("the question `{}` has no `ANSWER:` line", q.text),
        "end each question with a line such as `ANSWER: B`",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_question_with_choices_and_answer_is_read() {
        let (qs, errs) = parse_aiken("\u{feff}Thủ đô?\r\nA) Huế\r\nB. Hà Nội\r\nC)Sài Gòn\r\nANSWER: B\r\n");
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(qs.len(), 1);
        assert_eq!(qs[0].text, "Thủ đô?");
        let QuestionKind::MultipleChoice { single: true, choices } = &qs[0].kind else {
            panic!()
        };
        let got: Vec<_> = choices.iter().map(|c| (c.text.as_str(), c.fraction)).collect();
        assert_eq!(got, vec![("Huế", 0.0), ("Hà Nội", 1.0), ("Sài Gòn", 0.0)]);
    }

    #[test]
    fn errors_follow_moodles_aiken_checks_with_positions() {
        let src = "Too few\nA) One\nANSWER: A\n\nA) Orphan\n\nANSWER: A\n\nGood\nA) Yes\nB) No\nANSWER: A\n\nUnfinished\nA) x\nB) y\n\nBad letter\nA) x\nB) y\nANSWER: Z\n\nLast open\nA) x";
        let (qs, errs) = parse_aiken(src);
        assert_eq!(qs.len(), 1);
        assert_eq!(qs[0].text, "Good");
        assert_eq!((qs[0].line, qs[0].col), (9, 1));
        let at: Vec<_> = errs.iter().map(|e| (e.line, e.col)).collect();
        assert_eq!(at, vec![(3, 1), (5, 1), (7, 1), (14, 1), (21, 1), (23, 1)], "{errs:?}");
        assert!(errs[0].message.contains("fewer than two choices"));
        assert!(errs[3].message.contains("no `ANSWER:`"));
        assert!(errs[4].message.contains("does not name"));
    }

    #[test]
    fn positions_follow_the_embedding_file() {
        let (_, errs) = parse_aiken_at("  A) stray", 10, 3);
        assert_eq!((errs[0].line, errs[0].col), (10, 5));
    }
}

/// Writes single-choice questions (what Aiken holds) as GIFT, naming them `{prefix}-01`,
/// `{prefix}-02`… so they satisfy the content checker's naming rule. Other kinds are skipped:
/// Aiken cannot produce them.
pub fn to_gift(questions: &[Question], prefix: &str) -> String {
    fn esc(s: &str) -> String {
        super::gift::escape(s).replace('\n', " ")
    }
    let mut out = String::new();
    let mut n = 0;
    for q in questions {
        let QuestionKind::MultipleChoice { choices, .. } = &q.kind else {
            continue;
        };
        n += 1;
        out.push_str(&format!("::{prefix}-{n:02}:: {} {{\n", esc(&q.text)));
        for c in choices {
            let mark = if c.fraction >= 1.0 { '=' } else { '~' };
            out.push_str(&format!("  {mark}{}\n", esc(&c.text)));
        }
        out.push_str("}\n\n");
    }
    out
}

#[cfg(test)]
mod to_gift_tests {
    use super::*;

    #[test]
    fn aiken_converts_to_named_gift_that_reads_back_the_same() {
        let src = "Sàn TMĐT phải gỡ hàng vi phạm trong bao lâu?\nA. 24 giờ\nB. 7 ngày: tối đa\nANSWER: A\n";
        let (qs, errs) = parse_aiken(src);
        assert!(errs.is_empty(), "{errs:?}");
        let gift = to_gift(&qs, "a-exam");
        assert!(gift.starts_with("::a-exam-01:: "));
        let (back, errs) = super::super::gift::parse_gift(&gift);
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].name.as_deref(), Some("a-exam-01"));
        let QuestionKind::MultipleChoice { choices, .. } = &back[0].kind else {
            panic!("kind")
        };
        assert_eq!(choices[0].text, "24 giờ");
        assert_eq!(choices[0].fraction, 1.0);
        assert_eq!(choices[1].text, "7 ngày: tối đa");
        assert_eq!(choices[1].fraction, 0.0);
    }
}
