//! The fuzz targets' bodies: every parser of input Taphuan does not control, each with the
//! invariants it must keep on *any* bytes. `fuzz/` runs them under libFuzzer (cargo-fuzz,
//! nightly); `app/tests/fuzz_corpus.rs` runs the seed corpus and random inputs through the same
//! functions on stable in the test command, so a crash found once stays fixed.
//!
//! A panic is a failure; so is a parser that reports an error with no position, accepts what it
//! should refuse, or takes unbounded time or memory (libFuzzer's `-timeout` and `-rss_limit_mb`).

use crate::domain::content::{SourceFile, load_library};
use std::collections::HashSet;

/// GIFT and Aiken question banks (uploaded by trainers, imported from Moodle).
pub fn gift(data: &[u8]) {
    let Ok(src) = std::str::from_utf8(data) else { return };
    let (_, errors) = crate::domain::gift::parse_gift(src);
    for e in &errors {
        assert!(e.line >= 1 && e.col >= 1, "a GIFT error without a position: {e:?}");
        assert!(!e.message.is_empty(), "a GIFT error without words");
    }
    let (_, errors) = crate::domain::aiken::parse_aiken(src);
    for e in &errors {
        assert!(e.line >= 1 && e.col >= 1, "an Aiken error without a position: {e:?}");
    }
}

/// The lesson compiler: a lesson file of any bytes inside an otherwise valid course.
pub fn lesson(data: &[u8]) {
    let course = "+++\ntitle = \"Khóa thử\"\nsummary = \"Thử\"\nlanguage = \"vi\"\nversion = \"1\"\npass_mark = 80\nvalidity_months = 24\n+++\nThân bài.\n";
    let files = vec![
        SourceFile {
            path: "k-thu/course.md".into(),
            bytes: course.as_bytes().to_vec(),
        },
        SourceFile {
            path: "k-thu/01-bai.md".into(),
            bytes: data.to_vec(),
        },
    ];
    let (library, diagnostics) = load_library(&files);
    for d in &diagnostics {
        let shown = d.to_string();
        assert!(!shown.is_empty());
    }
    // Whatever was compiled is sanitised HTML: no script survives.
    for c in &library.courses {
        for l in &c.lessons {
            assert!(
                !l.html.to_ascii_lowercase().contains("<script"),
                "a script in compiled HTML"
            );
        }
    }
}

/// Roster and agency files: CSV in any encoding, or a spreadsheet (bounded unpacking).
pub fn roster(data: &[u8]) {
    let bytes = match crate::ssr::roster::spreadsheet::file_text(data.to_vec()) {
        Ok(b) => b,
        Err(message) => {
            assert!(!message.is_empty());
            return;
        }
    };
    let known: HashSet<String> = ["GL-QLTT".to_string(), "GL-QLTT-D01".to_string()].into();
    let (rows, errors) = crate::domain::roster::parse_roster(&bytes, &known, None);
    for e in &errors {
        assert!(!e.to_string().is_empty());
    }
    for r in &rows {
        assert!(
            known.contains(&r.agency_code),
            "a row for an unknown agency was accepted"
        );
    }
    let _ = crate::domain::roster::parse_agencies(&bytes, &known);
}

/// Session and certificate tokens: any text is refused unless genuinely signed.
pub fn token(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    assert!(
        crate::ssr::auth::decode_token(b"fuzz-secret-that-signed-nothing-0123456789", text).is_none(),
        "a token the fuzzer made up was accepted"
    );
    static KEY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let public = KEY.get_or_init(|| {
        crate::ssr::certs::public_pem_from_private(&crate::ssr::certs::generate_private_pem()).expect("a key")
    });
    assert!(
        crate::ssr::certs::verify_token(public, text).is_err(),
        "a certificate token the fuzzer made up was accepted"
    );
}
