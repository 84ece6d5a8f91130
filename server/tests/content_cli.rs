//! `taphuan content check` as a trainer runs it: the shipped library passes, a broken course
//! fails with `file:line:col` messages and a non-zero exit.

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

#[test]
fn aiken_converts_to_named_gift() {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/fixtures/gift/moodle-questions.aiken.txt"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_taphuan"))
        .args(["content", "import-aiken", file, "--prefix", "b-exam"])
        .output()
        .expect("run taphuan");
    assert!(out.status.success());
    let gift = String::from_utf8_lossy(&out.stdout);
    assert!(
        gift.contains("::b-exam-01:: The Moodle project was started by\\: {"),
        "{gift}"
    );
    assert!(gift.contains("=Martin Dougiamas"), "{gift}");
}
