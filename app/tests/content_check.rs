//! The content checker against small, realistic broken courses (one folder per kind of error
//! under `tests/content-fixtures/`), each asserting the exact `file:line:col: … — …` line an
//! author would see; plus rendering safety, normalisation and a never-panics property; and the
//! shipped library's exams (issue 13): no exam question repeats a knowledge check of its course,
//! every pool holds at least three times `draw` gradable questions, and at least half of each
//! pool are case questions (`$CATEGORY: tinh-huong`).

use app::domain::content::{
    Diagnostic, Item, Language, Library, Severity, SourceFile, fs::read_content_dir, load_library,
};
use proptest::prelude::*;

fn fixture(name: &str) -> Vec<SourceFile> {
    let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/content-fixtures")).join(name);
    read_content_dir(&root).unwrap_or_else(|e| panic!("cannot read fixture {}: {e}", root.display()))
}

fn load(name: &str) -> (Library, Vec<Diagnostic>) {
    load_library(&fixture(name))
}

/// The diagnostics of a fixture, as the author sees them.
fn report(name: &str) -> Vec<String> {
    load(name).1.iter().map(ToString::to_string).collect()
}

#[track_caller]
fn assert_report(name: &str, expected: &[&str]) {
    assert_eq!(report(name), expected, "fixture `{name}`");
}

#[test]
fn a_valid_course_with_a_translation_loads_without_any_diagnostic() {
    let (lib, diags) = load("valid");
    assert_eq!(diags, []);
    let course = lib.course("k-hang-gia").expect("course loaded");
    assert_eq!(
        course
            .lessons
            .iter()
            .map(|l| (l.number, l.slug.as_str()))
            .collect::<Vec<_>>(),
        [(1, "tong-quan"), (2, "nghia-vu")]
    );
    assert_eq!(course.meta.pass_mark.percent(), 80);
    assert_eq!(course.hash.len(), 64);
    let exam = course.exam.as_ref().expect("exam loaded");
    assert_eq!(
        exam.pool.iter().map(|i| i.name()).collect::<Vec<_>>(),
        ["q-dang-ky", "q-thoi-han"]
    );
    assert_ne!(exam.pool[0].hash, exam.pool[1].hash);
    // `// lesson:` above a question says which lesson teaches it; other comments are ignored.
    let pointers: Vec<_> = exam
        .pool
        .iter()
        .map(|i| i.lesson.as_ref().map(|l| (l.number, l.anchor.as_deref())))
        .collect();
    assert_eq!(pointers, [Some((1, Some("san-la-gi"))), Some((2, Some("go-hang")))]);
    let l1 = &course.lessons[0];
    assert!(
        l1.html.contains("<img src=\"/content/k-hang-gia/images/so-do.png\""),
        "{}",
        l1.html
    );
    assert!(
        l1.html.contains("href=\"/courses/k-hang-gia/lessons/2#go-hang\""),
        "{}",
        l1.html
    );
    assert!(l1.html.contains("<h2 id=\"san-la-gi\">"), "{}", l1.html);
    let l2 = &course.lessons[1];
    assert_eq!(l2.checks.len(), 1);
    assert_eq!(l2.checks[0].name(), "kc-go-hang");
    assert!(
        l2.html.contains("<div class=\"kc\" data-check=\"0\"></div>"),
        "{}",
        l2.html
    );
    assert!(!l2.html.contains("::kc-go-hang::"), "{}", l2.html);
    let en = &course.translations[0];
    assert_eq!(en.title, "Counterfeits on e-commerce platforms");
    assert_eq!(en.lessons.len(), 1);
    assert!(
        en.lessons[0]
            .html
            .contains("href=\"/courses/k-hang-gia/lessons/1#san-la-gi\"")
    );
}

#[test]
fn a_file_without_front_matter_is_reported_at_its_first_line() {
    assert_report(
        "missing-front-matter",
        &[
            "k-hang-gia/01-tong-quan.md:1:1: missing front matter — start the file with a line `+++`, the TOML keys (e.g. `title = \"…\"`), and a closing line `+++`",
        ],
    );
}

#[test]
fn a_missing_required_key_is_reported_at_the_opening_fence() {
    assert_report(
        "missing-key",
        &["k-hang-gia/course.md:1:1: missing required key `pass_mark` — add `pass_mark = 80`"],
    );
}

#[test]
fn an_unknown_key_is_reported_with_the_closest_known_key() {
    assert_report(
        "unknown-key",
        &[
            "k-hang-gia/02-nghia-vu.md:3:1: unknown key `tac_gia` — known keys here: `title`, `minutes`",
            "k-hang-gia/course.md:1:1: missing required key `pass_mark` — add `pass_mark = 80`",
            "k-hang-gia/course.md:6:1: unknown key `pass_mak` — did you mean `pass_mark`?",
        ],
    );
}

#[test]
fn wrong_types_and_values_are_all_reported_at_the_value() {
    assert_report(
        "wrong-values",
        &[
            "k-hang-gia/course.md:4:12: `language` cannot be \"fr\" — write one of \"vi\" or \"en\"",
            "k-hang-gia/course.md:5:11: `version` must be text in double quotes, not a decimal number — write `version = \"2026.1\"`",
            "k-hang-gia/course.md:6:13: `pass_mark` is 120, but must be between 1 and 100 — write e.g. `pass_mark = 80`",
            "k-hang-gia/exam.md:7:19: `shuffle_answers` must be `true` or `false`, not text — write `shuffle_answers = true`",
            "k-hang-gia/exam.md:8:10: `review` cannot be \"sau_khi_nop\" — write one of \"after_submit\" or \"after_pass\" or \"never\"",
        ],
    );
}

#[test]
fn toml_syntax_errors_point_into_the_markdown_file() {
    assert_report(
        "toml-syntax",
        &[
            "k-hang-gia/02-nghia-vu.md:2:26: invalid TOML: invalid basic string, expected `\"` — write one `key = value` per line; text in double quotes, numbers and true/false without",
        ],
    );
}

#[test]
fn bad_lesson_file_names_and_stray_markdown_files_are_errors() {
    assert_report(
        "bad-lesson-names",
        &[
            "k-hang-gia/3-xu-ly.md:1:1: `3-xu-ly.md` is not a lesson file name — name lessons `NN-slug.md` (two digits, lower-case ASCII slug), e.g. `03-xu-ly.md`",
            "k-hang-gia/ghi-chu.md:1:1: unexpected file `ghi-chu.md` in a course folder — a course folder holds only course.md, exam.md, lessons `NN-slug.md` and their `.en.md` twins; keep notes outside content/",
            "k-hang-gia/images/ghi-chu.md:1:1: unexpected Markdown file inside a course's subfolder — only images and other assets go in subfolders; lessons are `NN-slug.md` next to course.md",
        ],
    );
}

#[test]
fn lesson_numbers_must_be_unique_and_contiguous() {
    assert_report(
        "lesson-numbering",
        &[
            "k-hang-gia/02-nghia-vu.md:1:1: lesson number 02 is used twice (also `02-nghia-vu-khac.md`) — give each lesson its own number and renumber the ones after it",
            "k-hang-gia/04-phoi-hop.md:1:1: lesson 04 follows 02: number 03 is missing — rename it `03-phoi-hop.md` (numbers run 01, 02, 03… without gaps)",
        ],
    );
}

#[test]
fn a_duplicate_question_name_points_at_the_second_and_names_the_first() {
    assert_report(
        "duplicate-question-names",
        &[
            "k-hang-gia/exam.md:18:1: question name `kc-go-hang` is already used at k-hang-gia/02-nghia-vu.md:9 — give each question its own `::name::` (it is the question's id across versions)",
        ],
    );
}

#[test]
fn a_question_without_a_name_is_an_error() {
    assert_report(
        "unnamed-question",
        &[
            "k-hang-gia/exam.md:18:1: question has no name — start it with a stable id, e.g. `::q-san-go-hang::` (unique in the course)",
        ],
    );
}

#[test]
fn a_choice_question_without_a_right_answer_is_an_error() {
    assert_report(
        "no-correct-answer",
        &[
            "k-hang-gia/exam.md:13:60: no answer is marked right — mark one right answer with '=', or make the positive weights (`~%50%`) add up to 100%",
        ],
    );
}

#[test]
fn multiple_answer_weights_that_cannot_reach_full_marks_are_an_error() {
    let report = report("weights-below-100");
    assert_eq!(report.len(), 1, "{report:?}");
    assert!(
        report[0].starts_with("k-hang-gia/exam.md:13:60: the positive weights add up to 90"),
        "{report:?}"
    );
}

#[test]
fn an_essay_cannot_stand_in_an_exam_pool() {
    assert_report(
        "essay-in-exam",
        &[
            "k-hang-gia/exam.md:20:1: essay question `q-tu-luan` cannot be in an exam pool — exams are graded automatically: turn it into a choice question, or move it to a lesson as a knowledge check",
        ],
    );
}

#[test]
fn a_pool_smaller_than_draw_is_reported_at_draw() {
    assert_report(
        "pool-smaller-than-draw",
        &[
            "k-hang-gia/exam.md:3:8: the pool holds 2 gradable question(s) but `draw = 5` — add 3 question(s) to the pool or lower `draw` to 2",
        ],
    );
}

#[test]
fn gift_syntax_errors_carry_the_markdown_files_line() {
    let report = report("gift-syntax");
    assert_eq!(report.len(), 1, "{report:?}");
    assert!(
        report[0].starts_with("k-hang-gia/02-nghia-vu.md:9:83: unclosed '{' — "),
        "{report:?}"
    );
}

#[test]
fn a_broken_image_path_is_reported_with_the_closest_file() {
    assert_report(
        "broken-image",
        &["k-hang-gia/01-tong-quan.md:9:1: image `images/so-do.jpg` not found — did you mean `images/so-do.png`?"],
    );
}

#[test]
fn links_to_missing_lessons_and_anchors_are_errors() {
    assert_report(
        "broken-lesson-link",
        &[
            "k-hang-gia/01-tong-quan.md:11:10: link `02-nghia-vu.md#go-hang-vi-pham`: no anchor `#go-hang-vi-pham` on `02-nghia-vu.md` — use one of `#go-hang`",
            "k-hang-gia/01-tong-quan.md:11:64: link to `03-xu-ly.md`: there is no lesson 03 — link to one of the course's lessons (`01-tong-quan.md`, `02-nghia-vu.md`)",
            "k-hang-gia/exam.md:13:12: link to `03-xu-ly.md`: there is no lesson 03 — link to one of the course's lessons (`01-tong-quan.md`, `02-nghia-vu.md`)",
            "k-hang-gia/exam.md:19:12: link `02-nghia-vu.md#thoi-han`: no anchor `#thoi-han` on `02-nghia-vu.md` — use one of `#go-hang`",
            "k-hang-gia/exam.md:22:12: `// lesson:` names `tong-quan`, which is not a lesson file — write the lesson's file name, e.g. `// lesson: 02-nghi-dinh-85.md` or `// lesson: 02-nghi-dinh-85.md#muc-phat`",
        ],
    );
}

#[test]
fn cited_law_must_be_listed_in_references_with_a_source() {
    assert_report(
        "uncited-law",
        &[
            "k-hang-gia/02-nghia-vu.md:6:16: `85/2021/NĐ-CP` is cited but not listed in `[[references]]` of course.md — add `[[references]]` with `number = \"85/2021/NĐ-CP\"`, its `title` and `source`",
            "k-hang-gia/02-nghia-vu.md:6:44: `319/QĐ-TTg` is cited but not listed in `[[references]]` of course.md — add `[[references]]` with `number = \"319/QĐ-TTg\"`, its `title` and `source`",
            "k-hang-gia/course.md:15:10: `references.source` is empty — write where the fact was checked, a URL or a publication: `source = \"https://…\"`",
        ],
    );
}

#[test]
fn english_files_need_vietnamese_twins() {
    assert_report(
        "english-without-twin",
        &[
            "k-hang-gia/03-xu-ly.en.md:1:1: `03-xu-ly.en.md` has no Vietnamese twin `03-xu-ly.md` — an English lesson translates a Vietnamese one: use the same number and slug, or add the Vietnamese lesson first",
            "k-hang-gia/exam.en.md:1:1: the pool holds 1 gradable question(s) but exam.md has `draw = 2` — add 1 question(s) to the pool or lower `draw` to 1",
            "k-hang-gia/exam.en.md:5:1: English question `q-khac` has no Vietnamese twin — give a translated question the same `::name::` as the Vietnamese question it translates",
        ],
    );
}

#[test]
fn an_english_question_must_answer_like_its_vietnamese_twin() {
    assert_report(
        "english-twin-answers-differ",
        &[
            "k-hang-gia/exam.en.md:7:1: English question `q-dang-ky` does not answer like its Vietnamese twin: it has 3 answers where the Vietnamese question has 2 — a translation changes only the words: keep the same answers in the same order, with the same marks (=, ~, %50%) and numbers",
            "k-hang-gia/exam.en.md:13:1: English question `q-thoi-han` does not answer like its Vietnamese twin: it accepts other numbers than the Vietnamese question — a translation changes only the words: keep the same answers in the same order, with the same marks (=, ~, %50%) and numbers",
        ],
    );
}

#[test]
fn scripts_handlers_and_javascript_links_are_warned_about_and_never_rendered() {
    let (lib, diags) = load("unsafe-html");
    assert!(diags.iter().all(|d| d.severity == Severity::Warning), "{diags:?}");
    let lines: Vec<String> = diags.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "k-hang-gia/02-nghia-vu.md:14:1: raw HTML `<script>` is removed when the page is rendered — delete it: lessons cannot run scripts; use Markdown for links and images",
            "k-hang-gia/02-nghia-vu.md:16:1: raw HTML with an event handler (`on…=`) is removed when the page is rendered — delete it: lessons cannot run scripts; use Markdown for links and images",
            "k-hang-gia/02-nghia-vu.md:18:1: a `javascript:` link is removed when the page is rendered — delete it: lessons cannot run scripts; use Markdown for links and images",
        ]
    );
    let html = &lib.course("k-hang-gia").expect("warnings do not stop loading").lessons[1].html;
    for bad in ["<script", "alert(1)", "onerror", "javascript:"] {
        assert!(!html.to_lowercase().contains(bad), "`{bad}` survived in {html}");
    }
    assert!(html.contains("bấm vào đây"), "the link text stays: {html}");
}

#[test]
fn nfd_text_loads_exactly_like_nfc_text() {
    let (nfc, _) = load("valid");
    let (nfd, diags) = load("nfd");
    assert_eq!(diags, []);
    let (a, b) = (&nfc.courses[0].lessons[1], &nfd.courses[0].lessons[1]);
    assert_eq!(a.title, b.title);
    assert_eq!(a.html, b.html);
    assert_eq!(a.hash, b.hash);
    assert_eq!(a.checks, b.checks);
}

#[test]
fn a_bom_and_crlf_line_ends_change_nothing() {
    let (plain, _) = load("valid");
    let (crlf, diags) = load("crlf-bom");
    assert_eq!(diags, []);
    assert_eq!(plain.courses[0].lessons[1], crlf.courses[0].lessons[1]);
}

#[test]
fn the_shipped_library_has_no_errors() {
    let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../content"));
    let Ok(files) = read_content_dir(root) else {
        return;
    };
    let (_, diags) = load_library(&files);
    let errors: Vec<String> = diags.iter().filter(|d| d.is_error()).map(ToString::to_string).collect();
    assert!(errors.is_empty(), "content/ has errors:\n{}", errors.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// The shipped library's exams (issue 13).

/// The shipped library, `content/`, as the server loads it.
fn shipped() -> Library {
    let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../content"));
    let files = read_content_dir(root).unwrap_or_else(|e| panic!("cannot read {}: {e}", root.display()));
    let (library, _) = load_library(&files);
    assert!(!library.courses.is_empty(), "content/ holds no course");
    library
}

/// A question's text as a learner would recognise it: whitespace trimmed and collapsed, case
/// ignored.
fn recognisable(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// A case question (câu hỏi tình huống): filed under `$CATEGORY: tinh-huong` (or a path ending
/// in `/tinh-huong`) in exam.md.
fn is_case_question(item: &Item) -> bool {
    item.question
        .category
        .as_deref()
        .map(str::trim)
        .is_some_and(|c| c == "tinh-huong" || c.ends_with("/tinh-huong"))
}

#[test]
fn no_exam_question_repeats_a_knowledge_check_of_its_course() {
    let library = shipped();
    let mut repeats = Vec::new();
    for course in &library.courses {
        let id = course.id.as_str();
        // The Vietnamese exam against the Vietnamese lessons, then each translation likewise.
        let translations = course.translations.iter().map(|t| (t.language, &t.lessons, &t.exam));
        let sets = std::iter::once((Language::Vi, &course.lessons, &course.exam)).chain(translations);
        for (language, lessons, exam) in sets {
            let Some(exam) = exam else { continue };
            let exam_file = match language {
                Language::Vi => "exam.md",
                Language::En => "exam.en.md",
            };
            for item in &exam.pool {
                let text = recognisable(&item.question.text);
                for lesson in lessons {
                    for check in lesson.checks.iter().filter(|c| recognisable(&c.question.text) == text) {
                        repeats.push(format!(
                            "{id}/{exam_file}:{}: exam question `{}` repeats knowledge check `{}` at {}:{}: \"{}\"",
                            item.question.line,
                            item.name(),
                            check.name(),
                            lesson.file,
                            check.question.line,
                            item.question.text.split_whitespace().collect::<Vec<_>>().join(" ")
                        ));
                    }
                }
            }
        }
    }
    assert!(
        repeats.is_empty(),
        "a learner has already answered these exam questions in a lesson — rewrite the exam \
         question (another case, another figure), not just its wording:\n{}",
        repeats.join("\n")
    );
}

#[test]
fn every_exam_question_names_the_lesson_that_teaches_it() {
    // A learner who misses a question is sent to that lesson; without the pointer a failed result
    // can only say "read the course again".
    let library = shipped();
    let mut missing = Vec::new();
    for course in &library.courses {
        let Some(exam) = &course.exam else { continue };
        for item in exam
            .pool
            .iter()
            .filter(|i| i.question.is_gradable() && i.lesson.is_none())
        {
            missing.push(format!(
                "{}/exam.md:{}:{}: `{}` — write `// lesson: NN-slug.md#anchor` on the line above it",
                course.id.as_str(),
                item.question.line,
                item.question.col,
                item.name()
            ));
        }
    }
    assert!(
        missing.is_empty(),
        "exam questions without their lesson:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_exam_pool_holds_at_least_three_times_draw_gradable_questions() {
    let library = shipped();
    let mut short = Vec::new();
    for course in &library.courses {
        let Some(exam) = &course.exam else { continue };
        let draw = exam.settings.draw as usize;
        let gradable = exam.pool.iter().filter(|i| i.question.is_gradable()).count();
        if gradable < 3 * draw {
            short.push(format!(
                "{}/exam.md: `draw = {draw}` needs at least {} gradable questions in the pool, it holds \
                 {gradable} — add {} question(s)",
                course.id.as_str(),
                3 * draw,
                3 * draw - gradable
            ));
        }
    }
    assert!(
        short.is_empty(),
        "exam pools too small to draw varied attempts:\n{}",
        short.join("\n")
    );
}

#[test]
fn at_least_half_of_every_exam_pool_are_case_questions() {
    let library = shipped();
    let mut few = Vec::new();
    for course in &library.courses {
        let Some(exam) = &course.exam else { continue };
        let gradable: Vec<&Item> = exam.pool.iter().filter(|i| i.question.is_gradable()).collect();
        let cases = gradable.iter().filter(|i| is_case_question(i)).count();
        if 2 * cases < gradable.len() {
            few.push(format!(
                "{}/exam.md: {cases} of {} gradable questions are case questions — at least {} must be: \
                 put case questions after a `$CATEGORY: tinh-huong` line",
                course.id.as_str(),
                gradable.len(),
                gradable.len().div_ceil(2)
            ));
        }
    }
    assert!(
        few.is_empty(),
        "exam pools with too few case questions:\n{}",
        few.join("\n")
    );
}

/// Text that exercises the parsers' special characters.
fn authored_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("+++\n".to_owned()),
        Just("```gift\n".to_owned()),
        Just("```\n".to_owned()),
        Just("::q::".to_owned()),
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just("=".to_owned()),
        Just("~%50%".to_owned()),
        Just("#".to_owned()),
        Just("->".to_owned()),
        Just("\\".to_owned()),
        Just("title = \"".to_owned()),
        Just("[[references]]\n".to_owned()),
        Just("[^s1]".to_owned()),
        Just("](02-x.md#".to_owned()),
        Just("![a](".to_owned()),
        Just("52/2013/NĐ-CP".to_owned()),
        Just("Nghị định 85/2021".to_owned()),
        Just("\r\n".to_owned()),
        Just("\u{FEFF}".to_owned()),
        Just("e\u{0301}\u{0323}".to_owned()),
        Just("<script>".to_owned()),
        "[a-zđĐạờ0-9 \n/.-]{0,12}",
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn loading_arbitrary_text_never_panics(course in authored_text(), lesson in authored_text(), exam in authored_text(), raw in prop::collection::vec(any::<u8>(), 0..64)) {
        let files = vec![
            SourceFile::new("k/course.md", course),
            SourceFile::new("k/01-a.md", lesson.clone()),
            SourceFile::new("k/01-a.en.md", lesson),
            SourceFile::new("k/exam.md", exam),
            SourceFile::new("k/02-b.md", raw),
        ];
        let (_, diags) = load_library(&files);
        for d in diags {
            prop_assert!(d.line >= 1 && d.col >= 1, "{d}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// What a publish changed (the editor's summary, and whom a substantive change reaches).

#[test]
fn a_publish_names_the_lessons_and_questions_it_changed_and_nothing_else() {
    use app::domain::content::publish::{Changes, changes, with_drafts};
    let files = fixture("valid");
    let (before, _) = load_library(&files);
    let old = before.course("k-hang-gia").unwrap();
    let text = |path: &str| String::from_utf8(files.iter().find(|f| f.path == path).unwrap().bytes.clone()).unwrap();

    // No draft: nothing changed.
    let (same, _) = load_library(&with_drafts(&files, &Default::default()));
    assert_eq!(changes(Some(old), same.course("k-hang-gia")), Changes::default());

    // One exam question reworded, one added; lesson 1 gets a sentence.
    let exam = text("k-hang-gia/exam.md")
        .replace("{#24}", "{#48}")
        .replace("```\n", "\n::q-moi:: Câu mới? {T}\n```\n");
    let lesson = format!("{}\nMột câu mới.\n", text("k-hang-gia/01-tong-quan.md"));
    let drafts = std::collections::BTreeMap::from([
        ("k-hang-gia/exam.md".to_string(), exam.into_bytes()),
        ("k-hang-gia/01-tong-quan.md".to_string(), lesson.into_bytes()),
    ]);
    let (after, diags) = load_library(&with_drafts(&files, &drafts));
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
    let c = changes(Some(old), after.course("k-hang-gia"));
    assert_eq!(
        c,
        Changes {
            lessons_changed: vec!["01-tong-quan.md".into()],
            questions_added: vec!["q-moi".into()],
            questions_changed: vec!["q-thoi-han".into()],
            ..Changes::default()
        }
    );
    assert_eq!(c.lessons_to_reread(), vec!["01-tong-quan.md".to_string()]);

    // Only the English twin of lesson 2 changed: that is a change too.
    let en = text("k-hang-gia/02-nghia-vu.en.md").replace("take down", "remove");
    let drafts = std::collections::BTreeMap::from([("k-hang-gia/02-nghia-vu.en.md".to_string(), en.into_bytes())]);
    let (after, _) = load_library(&with_drafts(&files, &drafts));
    assert!(!changes(Some(old), after.course("k-hang-gia")).is_empty());

    // The exam draws fewer questions: its settings changed.
    let exam = text("k-hang-gia/exam.md").replace("draw = 2", "draw = 1");
    let drafts = std::collections::BTreeMap::from([("k-hang-gia/exam.md".to_string(), exam.into_bytes())]);
    let (after, _) = load_library(&with_drafts(&files, &drafts));
    assert!(changes(Some(old), after.course("k-hang-gia")).settings_changed);

    // A course removed: every lesson and question goes.
    let gone = changes(Some(old), None);
    assert_eq!(gone.lessons_removed, vec!["01-tong-quan.md", "02-nghia-vu.md"]);
    assert_eq!(
        gone.questions_removed.len(),
        old.lessons.iter().map(|l| l.checks.len()).sum::<usize>() + 2
    );
}
