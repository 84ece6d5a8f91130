//! The fuzz targets (`app::ssr::fuzz`, run by libFuzzer under `fuzz/`) on stable, in the test
//! command: every seed (the GIFT and Aiken fixtures, the shipped course files, the content
//! fixtures, and every input libFuzzer saved in `fuzz/corpus/`) and a few thousand random and
//! mutated inputs. A crash found by fuzzing is added to `fuzz/corpus/<target>/` and stays fixed.
#![cfg(feature = "ssr")]

use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// The seeds of a target: its saved corpus plus the folders named.
fn seeds(target: &str, also: &[&str]) -> Vec<(PathBuf, Vec<u8>)> {
    let mut paths = vec![];
    files_under(&root().join("fuzz/corpus").join(target), &mut paths);
    for d in also {
        files_under(&root().join(d), &mut paths);
    }
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| std::fs::read(&p).ok().map(|b| (p, b)))
        .collect()
}

fn replay(target: &str, also: &[&str], f: fn(&[u8])) -> usize {
    let all = seeds(target, also);
    for (path, bytes) in &all {
        let r = std::panic::catch_unwind(|| f(bytes));
        assert!(r.is_ok(), "{target}: the seed {} fails", path.display());
    }
    all.len()
}

#[test]
fn every_seed_passes_every_target() {
    let n = replay("gift", &["app/tests/gift-fixtures", "content"], app::ssr::fuzz::gift);
    assert!(n > 20, "the GIFT seeds are there ({n})");
    let n = replay(
        "lesson",
        &["content", "app/tests/content-fixtures"],
        app::ssr::fuzz::lesson,
    );
    assert!(n > 20, "the lesson seeds are there ({n})");
    replay("roster", &[], app::ssr::fuzz::roster);
    replay("token", &[], app::ssr::fuzz::token);
}

/// Seeds cut and spliced at random points: the kind of input a fuzzer tries first.
fn mutated(seeds: Vec<(PathBuf, Vec<u8>)>) -> impl Strategy<Value = Vec<u8>> {
    let seeds: Vec<Vec<u8>> = seeds.into_iter().map(|(_, b)| b).filter(|b| !b.is_empty()).collect();
    (
        0..seeds.len(),
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        prop::collection::vec(any::<u8>(), 0..16),
    )
        .prop_map(move |(i, a, b, noise)| {
            let s = &seeds[i];
            let (x, y) = (a.index(s.len()), b.index(s.len()));
            let (x, y) = (x.min(y), x.max(y));
            let mut out = s[..x].to_vec();
            out.extend_from_slice(&noise);
            out.extend_from_slice(&s[y..]);
            out
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn gift_survives_random_and_mutated_input(
        junk in prop::collection::vec(any::<u8>(), 0..400),
        cut in mutated(seeds("gift", &["app/tests/gift-fixtures", "content"])),
    ) {
        app::ssr::fuzz::gift(&junk);
        app::ssr::fuzz::gift(&cut);
    }

    #[test]
    fn lessons_survive_random_and_mutated_input(
        junk in prop::collection::vec(any::<u8>(), 0..400),
        cut in mutated(seeds("lesson", &["content"])),
    ) {
        app::ssr::fuzz::lesson(&junk);
        app::ssr::fuzz::lesson(&cut);
    }

    #[test]
    fn rosters_and_tokens_survive_random_input(
        junk in prop::collection::vec(any::<u8>(), 0..400),
        text in "[A-Za-z0-9_.=-]{0,300}",
    ) {
        app::ssr::fuzz::roster(&junk);
        app::ssr::fuzz::token(&junk);
        app::ssr::fuzz::token(text.as_bytes());
    }
}
