//! `taphuan content check` as a trainer runs it: the shipped library passes, a broken course
//! fails with `file:line:col` messages and a non-zero exit. `taphuan content import-aiken` turns
//! the project's own Aiken fixture into named GIFT that reads back the same; Moodle's own Aiken
//! file is converted too when it is at hand (see `moodle_aiken_file`).
//! `taphuan content import-gift` brings Moodle's own banks into a course without loss, and a
//! refused import writes nothing.

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

/// A fresh copy of the valid test course.
fn course_copy() -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                copy(&p, &to.join(e.file_name()));
            } else {
                std::fs::copy(&p, to.join(e.file_name())).unwrap();
            }
        }
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/tests/content-fixtures/valid");
    let dir = std::env::temp_dir().join(format!(
        "taphuan-import-{}-{}",
        std::process::id(),
        rand::random::<u32>()
    ));
    copy(&src, &dir);
    dir
}

fn import_gift(dir: &Path, file: &Path, lesson: Option<u32>) -> (bool, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_taphuan"));
    cmd.args(["content", "import-gift"])
        .arg(file)
        .args(["--course", "k-hang-gia", "--dir"])
        .arg(dir);
    if let Some(n) = lesson {
        cmd.args(["--lesson", &n.to_string()]);
    }
    let out = cmd.output().expect("run taphuan");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A question as it reads, whatever it is called and wherever it stands.
fn content_of(mut q: app::domain::gift::Question) -> app::domain::gift::Question {
    q.name = None;
    q.line = 0;
    q.col = 0;
    q
}

#[test]
fn moodles_own_banks_import_without_loss_and_a_refused_import_writes_nothing() {
    use app::domain::content::{fs::read_content_dir, load_library};
    let moodle = Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/tests/gift-fixtures/moodle");
    let mut dir = course_copy();
    let pool_size = |dir: &Path| {
        let (lib, _) = load_library(&read_content_dir(dir).unwrap());
        lib.course("k-hang-gia").unwrap().exam.as_ref().unwrap().pool.len()
    };
    let library = |dir: &Path| {
        let (lib, diags) = load_library(&read_content_dir(dir).unwrap());
        assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
        lib
    };

    // Moodle's examples into the exam: every question, as Moodle reads it, named where unnamed.
    let examples = moodle.join("moodle-examples.gift.txt");
    let (ok, out, err) = import_gift(&dir, &examples, None);
    assert!(ok, "{err}");
    let (original, errs) = parse_gift(&std::fs::read_to_string(&examples).unwrap());
    assert!(errs.is_empty());
    assert!(
        out.contains(&format!("imported {} question(s)", original.len())),
        "{out}"
    );
    let lib = library(&dir);
    let pool = &lib.course("k-hang-gia").unwrap().exam.as_ref().unwrap().pool;
    let imported: Vec<_> = pool[2..].iter().map(|i| content_of(i.question.clone())).collect();
    assert_eq!(imported, original.into_iter().map(content_of).collect::<Vec<_>>());
    assert!(pool.iter().any(|i| i.name() == "moodle-examples-01"));
    let (ok, out) = check(dir.to_str().unwrap());
    assert!(ok, "{out}");

    // A bank with an essay cannot go into the exam: located, and exam.md is left as it was.
    let exam_md = std::fs::read(dir.join("k-hang-gia/exam.md")).unwrap();
    let questions = moodle.join("moodle-questions.gift.txt");
    let (ok, _, err) = import_gift(&dir, &questions, None);
    assert!(!ok);
    assert!(
        err.contains("moodle-questions.gift.txt:2:1: essay question `Q8` cannot be in an exam pool — "),
        "{err}"
    );
    assert_eq!(std::fs::read(dir.join("k-hang-gia/exam.md")).unwrap(), exam_md);
    // Into a lesson it is welcome, essay included; twice is refused (the names are taken).
    let (ok, _, err) = import_gift(&dir, &questions, Some(2));
    assert!(ok, "{err}");
    let lesson = library(&dir).course("k-hang-gia").unwrap().lessons[1].checks.len();
    assert_eq!(
        lesson,
        1 + parse_gift(&std::fs::read_to_string(&questions).unwrap()).0.len()
    );
    let (ok, _, err) = import_gift(&dir, &questions, Some(2));
    assert!(!ok && err.contains("is already used in this course"), "{err}");
    assert_eq!(
        library(&dir).course("k-hang-gia").unwrap().lessons[1].checks.len(),
        lesson
    );

    let (ok, out) = check(dir.to_str().unwrap());
    assert!(ok, "{out}");
    std::fs::remove_dir_all(&dir).ok();

    // Moodle's Aiken file, and its category file (which shares names with the bank above), into
    // the exam of another copy.
    dir = course_copy();
    for (file, n) in [
        ("moodle-questions.aiken.txt", 2),
        ("moodle-questions-in-category.gift.txt", 4),
    ] {
        let before = pool_size(&dir);
        let (ok, out, err) = import_gift(&dir, &moodle.join(file), None);
        assert!(ok, "{file}: {err}");
        assert!(out.contains(&format!("imported {n} question(s)")), "{out}");
        let after = pool_size(&dir);
        assert_eq!(after, before + n);
    }
    let (ok, out) = check(dir.to_str().unwrap());
    assert!(ok, "{out}");
    std::fs::remove_dir_all(dir).ok();
}
