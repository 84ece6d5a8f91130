//! `make bench` (content part): compiling the course library (parse, check, render, hash) at
//! 1,000 and 2,000 lessons — the shipped courses copied under new ids until there are that many
//! — so that a larger library costs in proportion (goal: 1,000 lessons ≤ 1 s; twice the input ≤
//! 2.5× the time). Each figure is the best of three. Not a test.

use app::domain::content::{SourceFile, fs::read_content_dir, load_library};
use std::time::Instant;

/// The server's allocator (`server/src/main.rs`), which loads the library at start and on reload.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn lessons_of(files: &[SourceFile]) -> usize {
    files
        .iter()
        .filter(|f| {
            let name = f.path.rsplit('/').next().unwrap_or_default();
            f.path.matches('/').count() == 1
                && name.ends_with(".md")
                && !name.ends_with(".en.md")
                && name.as_bytes().first().is_some_and(u8::is_ascii_digit)
        })
        .count()
}

/// The shipped library copied under new course ids until it has at least `lessons` lessons.
fn library_of(shipped: &[SourceFile], lessons: usize) -> Vec<SourceFile> {
    let per_copy = lessons_of(shipped).max(1);
    let copies = lessons.div_ceil(per_copy);
    let mut out = Vec::new();
    for k in 0..copies {
        for f in shipped {
            let path = match f.path.split_once('/') {
                Some((course, rest)) => format!("{course}-{k}/{rest}"),
                None if k == 0 => f.path.clone(),
                None => continue,
            };
            out.push(SourceFile {
                path,
                bytes: f.bytes.clone(),
            });
        }
    }
    out
}

fn best_of_three(files: &[SourceFile]) -> f64 {
    (0..3)
        .map(|_| {
            let t = Instant::now();
            let (library, diagnostics) = load_library(files);
            let s = t.elapsed().as_secs_f64();
            assert!(
                diagnostics.iter().all(|d| !d.is_error()),
                "the copied library has errors"
            );
            std::hint::black_box(library);
            s
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let shipped = read_content_dir(&root).expect("content/");
    let one = library_of(&shipped, 1000);
    let two = library_of(&shipped, 2000);
    let (n1, n2) = (lessons_of(&one), lessons_of(&two));
    let (t1, t2) = (best_of_three(&one), best_of_three(&two));
    println!("\ncompiling the course library (parse, check, render, hash), best of 3");
    println!(
        "{n1:>5} lessons  {:>8.0} ms   goal ≤ 1000 ms   {}",
        t1 * 1e3,
        if t1 <= 1.0 { "met" } else { "NOT MET" }
    );
    let ratio = t2 / t1;
    let input = n2 as f64 / n1 as f64;
    println!(
        "{n2:>5} lessons  {:>8.0} ms = {ratio:.2}× the time for {input:.2}× the input   goal ≤ {:.2}×   {}",
        t2 * 1e3,
        2.5 * input / 2.0,
        if ratio <= 2.5 * input / 2.0 { "met" } else { "NOT MET" }
    );
}
