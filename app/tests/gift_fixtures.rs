//! Conformance: Moodle's own GIFT and Aiken test files (in `shared/fixtures/gift/`, beside the
//! repository) must read as Moodle reads them — kinds, answers, weights, feedback, names,
//! formats — following `question/format/gift/tests/giftformat_test.php` where it covers a file.
//! Plus a property test: the readers never panic, whatever they are given.

use app::domain::aiken::parse_aiken;
use app::domain::gift::{Question, QuestionKind, TextFormat, parse_gift, parse_gift_at};
use app::domain::grading::{Response, grade, public_view};
use proptest::prelude::*;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/fixtures/gift/");

fn fixture(name: &str) -> String {
    let path = format!("{FIXTURES}{name}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

fn num(v: f64) -> String {
    format!("{}", (v * 1e6).round() / 1e6)
}

fn fb(feedback: &Option<String>) -> String {
    feedback.as_ref().map(|f| format!(" #{f}")).unwrap_or_default()
}

/// One line per question, so a whole file's expectations read like the file itself:
/// `name | format | text | kind: answer=fraction #feedback, … | ####general`.
fn describe(q: &Question) -> String {
    let kind = match &q.kind {
        QuestionKind::MultipleChoice { single, choices } => format!(
            "{}: {}",
            if *single { "mc single" } else { "mc multi" },
            choices
                .iter()
                .map(|c| format!("{}={}{}", c.text, num(c.fraction), fb(&c.feedback)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        QuestionKind::ShortAnswer { answers } => format!(
            "short: {}",
            answers
                .iter()
                .map(|c| format!("{}={}{}", c.text, num(c.fraction), fb(&c.feedback)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        QuestionKind::TrueFalse {
            answer,
            feedback_wrong,
            feedback_right,
        } => format!(
            "tf {answer}{}{}",
            feedback_wrong
                .as_ref()
                .map(|f| format!(" wrong:{f}"))
                .unwrap_or_default(),
            feedback_right
                .as_ref()
                .map(|f| format!(" right:{f}"))
                .unwrap_or_default()
        ),
        QuestionKind::Numerical { answers } => format!(
            "num: {}",
            answers
                .iter()
                .map(|a| {
                    let value = if a.is_catch_all() {
                        "*".to_string()
                    } else {
                        format!("{}±{}", num(a.value), num(a.tolerance))
                    };
                    format!("{value}={}{}", num(a.fraction), fb(&a.feedback))
                })
                .collect::<Vec<_>>()
                .join(", ")
        ),
        QuestionKind::Matching { pairs } => format!(
            "match: {}",
            pairs
                .iter()
                .map(|p| format!("{} -> {}", p.question, p.answer))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        QuestionKind::Essay => "essay".to_string(),
        QuestionKind::Description => "description".to_string(),
    };
    let general = q
        .general_feedback
        .as_ref()
        .map(|g| format!(" | ####{g}"))
        .unwrap_or_default();
    format!(
        "{} | {} | {} | {kind}{general}",
        q.name.as_deref().unwrap_or("-"),
        q.format.tag(),
        q.text
    )
}

fn assert_reads_as(name: &str, want: &[&str]) -> Vec<Question> {
    let (questions, errors) = parse_gift(&fixture(name));
    assert!(errors.is_empty(), "{name} must read without errors: {errors:#?}");
    let got: Vec<String> = questions.iter().map(describe).collect();
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert_eq!(g, w, "{name}: question {}", i + 1);
    }
    assert_eq!(got.len(), want.len(), "{name}: number of questions; got {got:#?}");
    questions
}

#[test]
fn moodle_questions_gift_reads_as_giftformat_test_expects() {
    // Expectations from giftformat_test.php (test_import_essay, _match, _multichoice,
    // _multichoice_multi, _numerical, _shortanswer, _truefalse, _truefalse_true_answer1/2).
    // Two blocks end in a stray `}";`: Moodle reads the text after the brace as a missing-word
    // question, so those texts get the blank and keep the `";`.
    let qs = assert_reads_as(
        "moodle-questions.gift.txt",
        &[
            "Q8 | moodle | How are you? | essay",
            "Moodle activities | html | Match the <b>activity</b> to the description. | match: \
             An activity supporting asynchronous discussions. -> Forum, \
             A teacher asks a question and specifies a choice of multiple responses. -> Choice, \
             A bank of record entries which participants can add to. -> Database, \
             A collection of web pages that anyone can add to or edit. -> Wiki,  -> Chat",
            "Q2 | moodle | What's between orange and green in the spectrum? | mc single: \
             yellow=1 #right; good!, red=0 #wrong, it's yellow, blue=0 #wrong, it's yellow",
            "colours | moodle | What's between orange and green in the spectrum? | mc multi: \
             yellow=0.5 #right; good!, red=-1 #wrong, off-beige=0.5 #right; good!, blue=-1 #wrong",
            "Q5 | moodle | What is a number from 1 to 5? _____\"; | num: 3±2=1, *=0 #Completely wrong",
            "Shortanswer | moodle | Which is the best animal? | short: \
             Frog=1 #Good!, Cat=0.5 #What is it with Moodlers and cats?, *=0 #Completely wrong",
            "Q1 | moodle | 42 is the Absolute Answer to everything._____\"; | tf false \
             wrong:42 is the Ultimate Answer. right:You gave the right answer. \
             | ####This is, of course, a Hitchiker's Guide to the Galaxy reference.",
            "2-08 TSL | moodle | TSL is blablabla. | tf true",
            "2-08 TSL | moodle | TSL is blablabla. | tf true",
        ],
    );
    // Positions are those of the question's first character (after its comment line).
    let at: Vec<_> = qs.iter().map(|q| (q.line, q.col)).collect();
    assert_eq!(
        at,
        vec![
            (2, 1),
            (5, 1),
            (14, 1),
            (22, 1),
            (31, 1),
            (34, 1),
            (41, 1),
            (46, 1),
            (49, 1)
        ]
    );
    assert!(qs.iter().all(|q| q.category.is_none()));
}

#[test]
fn moodle_questions_in_category_gift_puts_every_question_in_the_category() {
    let qs = assert_reads_as(
        "moodle-questions-in-category.gift.txt",
        &[
            "Moodle activities | html | Match the activity to the description. | match: \
             An activity supporting asynchronous discussions. -> Forum, \
             A teacher asks a question and specifies a choice of multiple responses. -> Choice, \
             A bank of record entries which participants can add to. -> Database, \
             A collection of web pages that anyone can add to or edit. -> Wiki,  -> Chat",
            "Greeting | html | <a href=\"http://demo.moodle.net/file.php/5/media/bonjour.mp3\">Listen to this greeting:</a>\
             <br /><br />What language is being spoken? | mc single: \
             English=0 #Sorry, listen again., French=1 #Yes, well done!, German=0 #Sorry, listen again., \
             Spanish=0 #Sorry, listen again.",
            "Moodle user | html | Anyone who uses Moodle is a ... | short: Moodler=1",
            "Moodle acronym | html | Moodle is an acronym for <span style=\"font-style: italic;\">Modular \
             Object-Oriented Dynamic Learning Environment</span>. | tf true",
        ],
    );
    for q in &qs {
        assert_eq!(
            q.category.as_deref(),
            Some("$course$/Default for New Features"),
            "{}",
            describe(q)
        );
    }
}

#[test]
fn moodle_examples_gift_reads_every_construct() {
    let qs = assert_reads_as(
        "moodle-examples.gift.txt",
        &[
            // Examples from the class description.
            "- | moodle | Who's buried in Grant's tomb? | mc single: Grant=0, Jefferson=0, no one=1",
            "- | moodle | Grant is _____ in Grant's tomb. | mc single: buried=0, entombed=1, living=0",
            "- | moodle | Grant is buried in Grant's tomb. | tf false",
            "- | moodle | Who's buried in Grant's tomb? | short: no one=1, nobody=1",
            "- | moodle | When was Ulysses S. Grant born? | num: 1822±1=1",
            // Examples from the documentation.
            "- | moodle | Who's buried in Grant's tomb? | mc single: Grant=0, Jefferson=0, no one=1",
            "- | moodle | Grant is _____ in Grant's tomb. | mc single: buried=0, entombed=1, living=0",
            "- | moodle | The American holiday of Thanksgiving is celebrated on the _____ Thursday of November. | \
             mc single: second=0, third=0, fourth=1",
            "- | moodle | Japanese characters originally came from what country? | \
             mc single: India=0, China=1, Korea=0, Egypt=0",
            "- | moodle | Who's buried in Grant's tomb? | short: no one=1, nobody=1",
            "- | moodle | Two plus two equals _____. | short: four=1, 4=1",
            "- | moodle | Grant is buried in Grant's tomb. | tf false",
            "- | moodle | The sun rises in the east. | tf true",
            "- | moodle | Matching Question. | match: subquestion1 -> subanswer1, subquestion2 -> subanswer2, \
             subquestion3 -> subanswer3",
            "- | moodle | Match the following countries with their corresponding capitals. | match: \
             Canada -> Ottawa, Italy -> Rome, Japan -> Tokyo, India -> New Delhi",
            "- | moodle | When was Ulysses S. Grant born? | num: 1822±0=1",
            "- | moodle | What is the value of pi (to 3 decimal places)? _____. | num: 3.1415±0.0005=1",
            "- | moodle | What is the value of pi (to 3 decimal places)? _____. | num: 3.1415±0.0005=1",
            "- | moodle | When was Ulysses S. Grant born? | num: 1822±0=1, 1822±2=0.5",
            "- | moodle | What's 2 plus 2? | num: 4±0=1",
            "Kanji Origins | moodle | Japanese characters originally\ncame from what country? | short: China=1",
            "Thanksgiving Date | moodle | The American holiday of Thanksgiving is\ncelebrated on the _____ Thursday \
             of November. | mc single: second=0, third=0, fourth=1",
            "- | moodle | What's the answer to this multiple-choice question? | mc single: \
             wrong answer=0 #feedback comment on the wrong answer, \
             another wrong answer=0 #feedback comment on this wrong answer, right answer=1 #Very good!",
            "- | moodle | Who's buried in Grant's tomb? | short: no one=1 #excellent answer!, nobody=1 #excellent answer!",
            "- | markdown | Who's buried in **Grant's tomb**? | short: no one=1 #excellent answer!, \
             nobody=1 #excellent answer!",
            "- | moodle | Grant is buried in Grant's tomb. | tf false wrong:No one is buried in Grant's tomb.",
            "- | moodle | Difficult question. | mc single: wrong answer=0, half credit answer=0.5, full credit answer=1",
            "Jesus' hometown | moodle | Jesus Christ was from _____. | mc single: \
             Jerusalem=0 #This was an important city, but the wrong answer., \
             Bethlehem=0.25 #He was born here, but not raised here., \
             Galilee=0.5 #You need to be more specific., Nazareth=1 #Yes! That's right!",
            "Jesus' hometown | moodle | Jesus Christ was from | short: Nazareth=1 #Yes! That's right!, \
             Nazereth=0.75 #Right, but misspelled., Bethlehem=0.25 #He was born here, but not raised here.",
            "- | moodle | What two people are entombed in Grant's tomb? | mc multi: \
             No one=0, Grant=0.5, Grant's wife=0.5, Grant's father=0",
            "- | moodle | What two people are entombed in Grant's tomb? | mc multi: \
             No one=-0.5, Grant=0.5, Grant's wife=0.5, Grant's father=-0.5",
            "- | moodle | Which answer equals 5? | mc single: = 2 + 2=0, = 2 + 3=1, = 2 + 4=0",
            "GIFT Control Characters | moodle | Which of the following is NOT a control character for the GIFT \
             import format? | mc single: ~=0 #~ is a control character., \
             ==0 #= is a control character., #=0 ## is a control character., {=0 #{ is a control character., \
             }=0 #} is a control character., \\=1 #Correct! \\ (backslash) is not a control character. BUT,\n\
             it is used to escape the control characters. So, to specify\n\
             a literal backslash, you must escape it with a backslash\n(as shown in this example).",
            // Examples from gift/format.php.
            "- | moodle | Who's buried in Grant's tomb? | mc single: Grant=0, Jefferson=0, no one=1",
            "- | moodle | Grant is _____ in Grant's tomb. | mc single: buried=0, entombed=1, living=0",
            "- | moodle | Grant is buried in Grant's tomb. | tf false",
            "- | moodle | Who's buried in Grant's tomb? | short: no one=1, nobody=1",
            "- | moodle | When was Ulysses S. Grant born? | num: 1822±5=1",
            "- | moodle | Match the following countries with their corresponding\ncapitals. | match: \
             Canada -> Ottawa, Italy -> Rome, Japan -> Tokyo",
            // More complicated examples.
            "Grant's Tomb | moodle | Grant is _____ in Grant's tomb. | mc single: buried=0 #No one is buried there., \
             entombed=1 #Right answer!, living=0 #We hope not!",
            "- | moodle | Difficult multiple choice question. | mc single: wrong answer=0 #comment on wrong answer, \
             half credit answer=0.5 #comment on answer, full credit answer=1 #well done!",
            "Jesus' hometown (Short answer ex.) | moodle | Jesus Christ was from _____. | short: \
             Nazareth=1 #Yes! That's right!, Nazereth=0.75 #Right, but misspelled., \
             Bethlehem=0.25 #He was born here, but not raised here.",
            "Numerical example | moodle | When was Ulysses S. Grant born? | num: 1822±0=1 #Correct! 100% credit, \
             1822±2=0.5 #He was born in 1822.\nYou get 50% credit for being close.",
        ],
    );
    assert_eq!((qs[0].line, qs[0].col), (8, 1));
    assert_eq!((qs[42].line, qs[42].col), (202, 1));
    assert!(qs.iter().all(Question::is_gradable));
}

#[test]
fn moodle_questions_aiken_reads_two_single_answer_questions() {
    let (qs, errors) = parse_aiken(&fixture("moodle-questions.aiken.txt"));
    assert!(errors.is_empty(), "{errors:#?}");
    let got: Vec<String> = qs.iter().map(describe).collect();
    assert_eq!(
        got,
        vec![
            "- | plain | The Moodle project was started by: | mc single: \
             Petr Skoda=0, Martin Dougiamas=1, Eloy Lafuente=0, Tim Hunt=0",
            // Moodle stores `&lt;html…` with FORMAT_HTML; the same text is kept raw as plain text.
            "- | plain | Moodle's abilities include handling user input that includes <html class=\"cool\"> \
             & images: | mc single: True=1, False=0",
        ]
    );
    assert_eq!((qs[1].line, qs[1].col), (8, 1));
}

#[test]
fn a_gift_block_inside_markdown_reports_the_files_lines() {
    let markdown = "# Bài 1\n\nText.\n\n```gift\n::q1:: Đúng hay sai? {T}\n\n::q2:: Sàn phải gỡ trong bao lâu? {\n=24 giờ\n~48 giờ\n```\n";
    let start = markdown.find("```gift\n").unwrap() + "```gift\n".len();
    let end = markdown[start..].find("```").unwrap() + start;
    let first_line = markdown[..start].lines().count() + 1;
    let (qs, errors) = parse_gift_at(&markdown[start..end], first_line, 1);
    assert_eq!((qs[0].line, qs[0].col), (6, 1));
    assert_eq!(errors.len(), 1);
    assert_eq!((errors[0].line, errors[0].col), (8, 35), "{}", errors[0]);
    assert!(
        errors[0].to_string().starts_with("8:35: unclosed '{' — add '}'"),
        "{}",
        errors[0]
    );
    assert_eq!(qs[0].format, TextFormat::Moodle);
}

/// Strings built from GIFT's special characters, Aiken's markers and multibyte Vietnamese, so
/// that a byte-slicing bug inside a character surfaces.
fn gifty() -> impl Strategy<Value = String> {
    let pieces = vec![
        "{",
        "}",
        "~",
        "=",
        "#",
        "####",
        ":",
        "::",
        "%",
        "%50%",
        "%-100%",
        "\\",
        "\\n",
        "/",
        "//",
        "-",
        "->",
        "..",
        "$CATEGORY:",
        "[html]",
        "[markdown]",
        "[",
        "]",
        "T",
        "FALSE",
        "*",
        " ",
        "\t",
        "\n",
        "\r\n",
        "\r",
        "\n\n",
        "1",
        "-5",
        "3.14",
        "e9",
        "ạ",
        "Đ",
        "ữ",
        "ế",
        "\u{feff}",
        "\u{301}",
        "A) ",
        "B.",
        "ANSWER: ",
        "Z",
    ];
    prop::collection::vec(prop::sample::select(pieces), 0..60).prop_map(|v| v.concat())
}

/// Every way of answering, so grading is exercised on whatever the reader produced.
fn responses() -> Vec<Response> {
    vec![
        Response::Choice(vec![0, 1, 99]),
        Response::Choice(vec![]),
        Response::TrueFalse(true),
        Response::Text("ạ*".into()),
        Response::Number(f64::NAN),
        Response::Number(1.0),
        Response::Matching(vec![(0, 0), (1, 99), (99, 1)]),
    ]
}

fn exercise(src: &str, line: usize, col: usize) {
    let (qs, errors) = parse_gift_at(src, line, col);
    let (aiken, _) = parse_aiken(src);
    for q in qs.iter().chain(&aiken) {
        let _ = public_view(q).shuffled(3);
        for r in responses() {
            let g = grade(q, &r);
            assert!((0.0..=1.0).contains(&g.fraction), "{g:?}");
        }
    }
    for e in &errors {
        assert!(e.line >= line.min(1) && !e.hint.is_empty(), "{e:?}");
    }
}

proptest! {
    #[test]
    fn readers_never_panic_on_arbitrary_text(src in any::<String>()) {
        exercise(&src, 1, 1);
    }

    #[test]
    fn readers_never_panic_on_gift_like_text(src in gifty(), line in 0usize..3, col in prop::sample::select(vec![0usize, 1, 7, usize::MAX])) {
        exercise(&src, line, col);
        exercise(&src, usize::MAX, 1);
    }
}
