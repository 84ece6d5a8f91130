//! `taphuan content check` as a trainer runs it: the shipped library passes, a broken course
//! fails with `file:line:col` messages and a non-zero exit. `taphuan content import-aiken` turns
//! the project's own Aiken fixture into named GIFT that reads back the same; Moodle's own Aiken
//! file is converted too when it is at hand (see `moodle_aiken_file`).

use app::domain::aiken::parse_aiken;
use app::domain::gift::parse_gift;
use std::path::{Path, PathBuf};
use std::process::Command;

fn check(dir: &str) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_taphuan"))
        .args(["content", "check", dir])
        .output()
        .expect("run taphuan");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn the_shipped_library_passes_the_check() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../content");
    let (ok, out) = check(dir);
    assert!(ok, "{out}");
    assert!(out.contains("6 course(s)") && out.contains("0 error(s)"), "{out}");
}

#[test]
fn a_broken_course_fails_with_every_problem_located() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../app/tests/content-fixtures/unknown-key");
    let (ok, out) = check(dir);
    assert!(!ok, "the check must fail:\n{out}");
    assert!(
        out.contains("k-hang-gia/course.md:6:1: unknown key `pass_mak` — did you mean `pass_mark`?"),
        "{out}"
    );
    assert!(
        out.contains("k-hang-gia/02-nghia-vu.md:3:1: unknown key `tac_gia`"),
        "{out}"
    );
    assert!(out.contains("3 error(s)"), "{out}");
}

fn import_aiken(file: &Path, prefix: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_taphuan"))
        .args(["content", "import-aiken"])
        .arg(file)
        .args(["--prefix", prefix])
        .output()
        .expect("run taphuan");
    assert!(
        out.status.success(),
        "import-aiken {} failed: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn aiken_converts_to_named_gift_that_reads_back_the_same() {
    let file = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../app/tests/gift-fixtures/taphuan-questions.aiken.txt"
    ));
    let gift = import_aiken(file, "b-exam");
    // Names are numbered from the prefix; GIFT's special characters are escaped.
    assert!(
        gift.contains(
            "::b-exam-01:: Sàn giao dịch TMĐT phải gỡ bỏ hàng giả trong thời hạn nào kể từ khi \
             nhận yêu cầu\\: {"
        ),
        "{gift}"
    );
    assert!(gift.contains("=24 giờ"), "{gift}");
    assert!(gift.contains("::b-exam-04:: "), "{gift}");
    // Read back, the GIFT holds the same questions with the same right answers.
    let (aiken, errors) = parse_aiken(&std::fs::read_to_string(file).expect("read the Aiken fixture"));
    assert!(errors.is_empty(), "{errors:?}");
    let (back, errors) = parse_gift(&gift);
    assert!(
        errors.is_empty(),
        "the printed GIFT must read without errors: {errors:?}\n{gift}"
    );
    let names: Vec<_> = back.iter().map(|q| q.name.as_deref().unwrap_or("-")).collect();
    assert_eq!(names, ["b-exam-01", "b-exam-02", "b-exam-03", "b-exam-04"]);
    for (a, b) in aiken.iter().zip(&back) {
        assert_eq!((&a.text, &a.kind), (&b.text, &b.kind), "{gift}");
    }
}

/// Moodle's own Aiken test file, kept unchanged in the repository (see its folder's README).
fn moodle_aiken_file() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../app/tests/gift-fixtures/moodle/moodle-questions.aiken.txt"
    ))
}

#[test]
fn moodle_aiken_file_converts_to_named_gift() {
    let file = moodle_aiken_file();
    let gift = import_aiken(&file, "b-exam");
    assert!(
        gift.contains("::b-exam-01:: The Moodle project was started by\\: {"),
        "{gift}"
    );
    assert!(gift.contains("=Martin Dougiamas"), "{gift}");
}

#[test]
fn an_answer_key_piped_into_a_reader_that_stops_early_does_not_panic() {
    use std::process::Stdio;
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../content");
    let mut child = Command::new(env!("CARGO_BIN_EXE_taphuan"))
        .args(["content", "answer-key", "a-khung-phap-ly", "--dir", dir])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run taphuan");
    // The reader goes away before the key is written (as `| head` does once it has its lines):
    // the write meets a closed pipe.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.status.success(), "{stderr}");
}
