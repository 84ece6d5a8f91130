//! Grading a learner's response against a [`Question`], with Moodle's partial-credit rules, and
//! the key-free [`PublicQuestion`] a learner may see before answering.
//!
//! Pure functions over plain data: the server grades with them, the browser renders
//! `PublicQuestion`s, which by construction carry no fraction, feedback, right answer or number.
//!
//! # Rules (Moodle's)
//!
//! | kind            | fraction                                                               |
//! |-----------------|------------------------------------------------------------------------|
//! | single choice   | the chosen answer's fraction; choosing several gives 0                 |
//! | multiple answer | sum of the chosen answers' fractions (each counted once), clamped 0..1 |
//! | true/false      | 1 when the answer is the key, else 0                                   |
//! | short answer    | the first answer that matches: case-insensitive, NFC, trimmed, runs of whitespace as one space, `*` matches any text |
//! | numerical       | the first answer with `|x - value| <= tolerance`                       |
//! | matching        | right pairs / pairs (extra distractor answers are not pairs)           |
//! | essay, description | 0, never `correct`: not graded automatically                        |
//!
//! Indices in a [`Response`] are the [`Question`]'s own (source order). The browser never sees
//! them: each choice (and each matching item) goes out with an opaque id drawn from a per-attempt
//! key ([`public_view`]), and the server maps the id back to the index. Authors tend to write the
//! right answer first, so an index would give the key away even when the display is shuffled.

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use super::gift::{Question, QuestionKind, TextFormat};

/// What a learner answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// Indices into the question's `choices`.
    Choice(Vec<usize>),
    TrueFalse(bool),
    Text(String),
    Number(f64),
    /// `(left, right)`: `left` indexes the question's `pairs`; `right` indexes
    /// [`matching_answers`] (the same list, in the same order, as `PublicKind::Matching::right`).
    Matching(Vec<(usize, usize)>),
}

/// The outcome of grading one response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Graded {
    /// Credit earned, clamped to 0..=1.
    pub fraction: f64,
    /// The feedback of the chosen/matched answers, then the general feedback.
    pub feedback: Vec<String>,
    /// Full credit.
    pub correct: bool,
}

/// A question as a learner may see it before grading: no fractions, no feedback, no key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicQuestion {
    pub text: String,
    pub format: TextFormat,
    pub kind: PublicKind,
}

/// The key-free shape of each kind of question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PublicKind {
    /// `single` tells radio buttons from check boxes (Moodle shows this too).
    MultipleChoice {
        single: bool,
        choices: Vec<PublicChoice>,
    },
    TrueFalse,
    ShortAnswer,
    Numerical,
    /// `left` are the items to match (with their index into the question's pairs); `right` the
    /// distinct answers in a key-free order (sorted by text), indexed as in [`matching_answers`].
    Matching {
        left: Vec<PublicChoice>,
        right: Vec<PublicChoice>,
    },
    Essay,
    Description,
}

/// A text the learner may pick. `id` is what the form sends back; `index` (the position in the
/// question's own order) stays on the server: it is never serialized, so a browser holds 0 there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicChoice {
    #[serde(skip)]
    pub index: usize,
    /// Opaque, drawn from the view's key: differs between attempts, says nothing of the order.
    pub id: String,
    pub text: String,
}

/// Everything a learner may see of `q` before answering. `key` draws the opaque ids of the
/// choices: an attempt passes a secret derived from its seed ([`crate::domain::exam::choice_key`]),
/// so the same question carries other ids in another attempt; grading the form needs the same key.
pub fn public_view(q: &Question, key: u64) -> PublicQuestion {
    let kind = match &q.kind {
        QuestionKind::MultipleChoice { single, choices } => PublicKind::MultipleChoice {
            single: *single,
            choices: with_ids(key, 1, choices.iter().map(|c| c.text.clone()).enumerate()),
        },
        QuestionKind::TrueFalse { .. } => PublicKind::TrueFalse,
        QuestionKind::ShortAnswer { .. } => PublicKind::ShortAnswer,
        QuestionKind::Numerical { .. } => PublicKind::Numerical,
        QuestionKind::Matching { pairs } => PublicKind::Matching {
            left: with_ids(
                key,
                2,
                pairs
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| !p.question.is_empty())
                    .map(|(index, p)| (index, p.question.clone())),
            ),
            right: with_ids(key, 3, matching_answers(q).into_iter().enumerate()),
        },
        QuestionKind::Essay => PublicKind::Essay,
        QuestionKind::Description => PublicKind::Description,
    };
    PublicQuestion {
        text: q.text.clone(),
        format: q.format,
        kind,
    }
}

/// Gives each `(index, text)` an id: 8 hex digits from a generator seeded by `key` and `salt`,
/// distinct within the list. Without the key the ids are random numbers: neither their values
/// nor their sorted order tell the source order.
fn with_ids(key: u64, salt: u64, items: impl Iterator<Item = (usize, String)>) -> Vec<PublicChoice> {
    let mut rng = SplitMix64(key ^ salt.wrapping_mul(0xD1B5_4A32_D192_ED03));
    let mut out: Vec<PublicChoice> = Vec::new();
    for (index, text) in items {
        let id = loop {
            let id = format!("{:08x}", rng.next() as u32);
            if !out.iter().any(|c| c.id == id) {
                break id;
            }
        };
        out.push(PublicChoice { index, id, text });
    }
    out
}

/// The distinct answers of a matching question, sorted by text: an order that says nothing
/// about which left item each belongs to (source order would, since authors write pairs in
/// order). Empty for other kinds.
pub fn matching_answers(q: &Question) -> Vec<String> {
    let QuestionKind::Matching { pairs } = &q.kind else {
        return Vec::new();
    };
    let mut answers: Vec<String> = pairs.iter().map(|p| p.answer.clone()).collect();
    answers.sort();
    answers.dedup();
    answers
}

impl PublicQuestion {
    /// The same question with choices (and matching items) in an order drawn from `seed`, for
    /// `shuffle_answers`; the `index` of each item still refers to the question's own order.
    pub fn shuffled(mut self, seed: u64) -> PublicQuestion {
        let mut rng = SplitMix64(seed);
        match &mut self.kind {
            PublicKind::MultipleChoice { choices, .. } => rng.shuffle(choices),
            PublicKind::Matching { left, right } => {
                rng.shuffle(left);
                rng.shuffle(right);
            }
            _ => {}
        }
        self
    }
}

/// A tiny deterministic generator (SplitMix64): enough to shuffle a handful of answers
/// reproducibly from an attempt's seed, with no dependency and no I/O.
pub(crate) struct SplitMix64(pub(crate) u64);

impl SplitMix64 {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// Grades `r` against `q`. A response of the wrong shape for the question earns 0.
pub fn grade(q: &Question, r: &Response) -> Graded {
    let mut feedback = Vec::new();
    let fraction = match (&q.kind, r) {
        (QuestionKind::MultipleChoice { single, choices }, Response::Choice(picked)) => {
            let mut picked: Vec<usize> = picked.iter().copied().filter(|&i| i < choices.len()).collect();
            picked.sort_unstable();
            picked.dedup();
            feedback.extend(picked.iter().filter_map(|&i| choices[i].feedback.clone()));
            if *single && picked.len() != 1 {
                0.0
            } else {
                picked.iter().map(|&i| choices[i].fraction).sum()
            }
        }
        (
            QuestionKind::TrueFalse {
                answer,
                feedback_wrong,
                feedback_right,
            },
            Response::TrueFalse(given),
        ) => {
            let right = given == answer;
            feedback.extend(if right {
                feedback_right.clone()
            } else {
                feedback_wrong.clone()
            });
            if right { 1.0 } else { 0.0 }
        }
        (QuestionKind::ShortAnswer { answers }, Response::Text(given)) => {
            let given = normalise(given);
            match answers
                .iter()
                .find(|a| !given.is_empty() && wildcard_match(&normalise(&a.text), &given))
            {
                Some(a) => {
                    feedback.extend(a.feedback.clone());
                    a.fraction
                }
                None => 0.0,
            }
        }
        (QuestionKind::Numerical { answers }, Response::Number(x)) => {
            match answers
                .iter()
                .find(|a| x.is_finite() && within(a.value, a.tolerance, *x))
            {
                Some(a) => {
                    feedback.extend(a.feedback.clone());
                    a.fraction
                }
                None => 0.0,
            }
        }
        (QuestionKind::Matching { pairs }, Response::Matching(given)) => {
            let answers = matching_answers(q);
            let real = pairs.iter().filter(|p| !p.question.is_empty()).count();
            let mut seen = Vec::new();
            let mut right = 0usize;
            for &(left, chosen) in given {
                // Each left item counts once, so repeating it with every answer earns nothing.
                if seen.contains(&left) {
                    continue;
                }
                seen.push(left);
                let ok = pairs
                    .get(left)
                    .is_some_and(|p| !p.question.is_empty() && answers.get(chosen).is_some_and(|a| *a == p.answer));
                right += usize::from(ok);
            }
            if real == 0 { 0.0 } else { right as f64 / real as f64 }
        }
        _ => 0.0,
    };
    feedback.extend(q.general_feedback.clone());
    let fraction = if fraction.is_nan() {
        0.0
    } else {
        fraction.clamp(0.0, 1.0)
    };
    let correct = q.is_gradable() && fraction >= 1.0 - 1e-9;
    Graded {
        fraction,
        feedback,
        correct,
    }
}

/// Inclusive tolerance test with a hair of slack, so `#0.3:0.1` accepts 0.4 despite binary
/// floating point (0.4 - 0.3 > 0.1 there).
fn within(value: f64, tolerance: f64, x: f64) -> bool {
    let slack = 1e-9 * value.abs().max(tolerance.abs()).max(1.0);
    (x - value).abs() <= tolerance + slack
}

/// NFC (a Mac types NFD), lower case, trimmed, whitespace runs as one space.
fn normalise(s: &str) -> String {
    let nfc: String = s.nfc().collect::<String>().to_lowercase();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Moodle's short-answer wildcard: `*` in the pattern matches any run of characters.
fn wildcard_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // Classic greedy matcher with backtracking to the last star: linear in practice.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::gift::parse_gift;

    fn q(src: &str) -> Question {
        let (qs, errs) = parse_gift(src);
        assert!(errs.is_empty(), "{errs:?}");
        qs.into_iter().next().expect("one question")
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn single_choice_gives_the_chosen_answers_credit() {
        let question = q("Q{=right#Yes ~wrong#No ~%50%half}");
        let cases = [
            (vec![0], 1.0, true),
            (vec![1], 0.0, false),
            (vec![2], 0.5, false),
            (vec![0, 1], 0.0, false),
            (vec![], 0.0, false),
            (vec![9], 0.0, false),
        ];
        for (picked, fraction, correct) in cases {
            let g = grade(&question, &Response::Choice(picked.clone()));
            assert!(close(g.fraction, fraction) && g.correct == correct, "{picked:?}: {g:?}");
        }
        assert_eq!(
            grade(&question, &Response::Choice(vec![0])).feedback,
            vec!["Yes".to_string()]
        );
    }

    #[test]
    fn multiple_answers_sum_and_clamp() {
        let question = q("Q{~%50%a ~%50%b ~%-100%c ~d}");
        let cases = [
            (vec![0, 1], 1.0, true),
            (vec![0], 0.5, false),
            (vec![0, 0, 0], 0.5, false),
            (vec![0, 1, 2], 0.0, false),
            (vec![2], 0.0, false),
            (vec![0, 1, 3], 1.0, true),
        ];
        for (picked, fraction, correct) in cases {
            let g = grade(&question, &Response::Choice(picked.clone()));
            assert!(close(g.fraction, fraction) && g.correct == correct, "{picked:?}: {g:?}");
        }
    }

    #[test]
    fn true_false_shows_the_feedback_for_right_or_wrong() {
        let question = q("Q{F#Sai rồi.#Đúng.####Chung}");
        let g = grade(&question, &Response::TrueFalse(false));
        assert_eq!(
            (g.fraction, g.correct, g.feedback.clone()),
            (1.0, true, vec!["Đúng.".to_string(), "Chung".to_string()])
        );
        let g = grade(&question, &Response::TrueFalse(true));
        assert_eq!(
            (g.fraction, g.correct, g.feedback),
            (0.0, false, vec!["Sai rồi.".to_string(), "Chung".to_string()])
        );
    }

    #[test]
    fn short_answer_ignores_case_space_and_normal_form_and_knows_wildcards() {
        let question = q("Q{=Nghị định 85#ok =%50%NĐ *#half =%0%*#no}");
        let nfd: String = "nghị ĐỊNH   85".nfd().collect();
        let cases = [
            ("Nghị định 85", 1.0, Some("ok")),
            (nfd.as_str(), 1.0, Some("ok")),
            ("  nghị định 85 ", 1.0, Some("ok")),
            ("NĐ 85/2021", 0.5, Some("half")),
            ("something", 0.0, Some("no")),
            ("", 0.0, None),
        ];
        for (given, fraction, fb) in cases {
            let g = grade(&question, &Response::Text(given.to_string()));
            assert!(close(g.fraction, fraction), "{given:?}: {g:?}");
            assert_eq!(g.feedback.first().map(String::as_str), fb, "{given:?}");
        }
        assert!(wildcard_match("a*b*c", "axxbyyc") && wildcard_match("*", "") && !wildcard_match("a*b", "ac"));
    }

    #[test]
    fn numerical_accepts_within_tolerance_or_range() {
        let question = q("Q{#=1822:0#exact =%50%1822:2#close ~#far}");
        for (x, fraction, fb) in [
            (1822.0, 1.0, "exact"),
            (1823.5, 0.5, "close"),
            (1830.0, 0.0, "far"),
            (f64::NAN, 0.0, ""),
        ] {
            let g = grade(&question, &Response::Number(x));
            assert!(close(g.fraction, fraction), "{x}: {g:?}");
            assert_eq!(g.feedback.first().map(String::as_str).unwrap_or(""), fb, "{x}");
        }
        let range = q("Q{#1.5..2.5}");
        assert!(grade(&range, &Response::Number(2.5)).correct);
        assert!(grade(&range, &Response::Number(1.5)).correct);
        assert!(!grade(&range, &Response::Number(2.5001)).correct);
        // 0.4 - 0.3 is a hair above 0.1 in binary floating point: still inside the tolerance.
        let tol = q("Q{#0.3:0.1}");
        assert!(grade(&tol, &Response::Number(0.4)).correct);
        assert!(!grade(&tol, &Response::Number(0.41)).correct);
    }

    #[test]
    fn matching_counts_right_pairs_over_pairs() {
        let question = q("Q{=a -> 1 =b -> 2 =c -> 2 = -> 3}");
        let answers = matching_answers(&question);
        assert_eq!(answers, vec!["1", "2", "3"]);
        let i = |s: &str| answers.iter().position(|a| a == s).unwrap();
        let cases = [
            (vec![(0, i("1")), (1, i("2")), (2, i("2"))], 1.0),
            (vec![(0, i("1")), (1, i("3")), (2, i("2"))], 2.0 / 3.0),
            (vec![(0, i("2")), (0, i("1"))], 0.0),
            (vec![(3, i("3")), (9, 0), (0, 9)], 0.0),
        ];
        for (given, fraction) in cases {
            let g = grade(&question, &Response::Matching(given.clone()));
            assert!(close(g.fraction, fraction), "{given:?}: {g:?}");
        }
    }

    #[test]
    fn essays_and_mismatched_responses_earn_nothing() {
        let essay = q("Q{}");
        assert!(!grade(&essay, &Response::Text("long".into())).correct);
        let tf = q("Q{T}");
        assert_eq!(grade(&tf, &Response::Number(1.0)).fraction, 0.0);
    }

    #[test]
    fn the_public_view_carries_no_key() {
        let cases = [
            "Q{=secret-right#fb-right ~other#fb-other ####general-fb}",
            "Q{#=%100%42:1#fb-right ~#fb-other ####general-fb}",
            "Q{=secret-right#fb-right ####general-fb}",
            "Q{T#fb-other#fb-right####general-fb}",
        ];
        for src in cases {
            let json = serde_json::to_string(&public_view(&q(src), 7)).unwrap();
            for leak in [
                "fb-",
                "general",
                "fraction",
                "feedback",
                "42",
                "\"answer\"",
                "value",
                "tolerance",
            ] {
                assert!(!json.contains(leak), "{src}: {json} leaks {leak}");
            }
        }
        // A short answer's text must not leak, a choice's text must be shown.
        let json = serde_json::to_string(&public_view(&q("Q{=secret-right =%50%alt}"), 7)).unwrap();
        assert!(!json.contains("secret") && !json.contains("alt"), "{json}");
        let json = serde_json::to_string(&public_view(&q("Q{=visible ~other}"), 7)).unwrap();
        assert!(json.contains("visible"), "{json}");
    }

    #[test]
    fn matching_public_view_does_not_pair_left_and_right_by_index() {
        let question = q("Q{=z -> 1 =y -> 2 =x -> 3}");
        let PublicKind::Matching { left, right } = public_view(&question, 7).kind else {
            panic!()
        };
        assert_eq!(left.iter().map(|c| c.index).collect::<Vec<_>>(), vec![0, 1, 2]);
        let texts: Vec<_> = right.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, vec!["1", "2", "3"]);
        // The view's right indices are what `grade` takes.
        let g = grade(
            &question,
            &Response::Matching(vec![(0, right[0].index), (1, right[1].index), (2, right[2].index)]),
        );
        assert!(g.correct);
    }

    #[test]
    fn choice_ids_differ_between_keys_and_carry_no_source_order() {
        let question = q("Q{=right ~b ~c ~d}");
        let ids = |key: u64| -> Vec<String> {
            let PublicKind::MultipleChoice { choices, .. } = public_view(&question, key).kind else {
                panic!()
            };
            choices.into_iter().map(|c| c.id).collect()
        };
        assert_eq!(ids(11), ids(11), "the same key gives the same ids (grading needs them)");
        assert_ne!(ids(11), ids(12));
        // Over many keys, the right answer's id is the smallest about as often as any other:
        // sorting the values sent says nothing about which one was written first.
        let firsts = (0..400u64)
            .filter(|&k| {
                let v = ids(k);
                v.iter().min() == Some(&v[0])
            })
            .count();
        assert!(
            (60..140).contains(&firsts),
            "right answer's id smallest {firsts}/400 times"
        );
        // The index never leaves the server.
        let json = serde_json::to_string(&public_view(&question, 11)).unwrap();
        assert!(!json.contains("index"), "{json}");
        let back: PublicQuestion = serde_json::from_str(&json).unwrap();
        let PublicKind::MultipleChoice { choices, .. } = back.kind else {
            panic!()
        };
        assert!(choices.iter().all(|c| c.index == 0));
    }

    #[test]
    fn shuffling_keeps_indices_and_is_reproducible() {
        let question = q("Q{=a ~b ~c ~d ~e ~f}");
        let view = public_view(&question, 7);
        let one = view.clone().shuffled(7);
        assert_eq!(one, view.clone().shuffled(7));
        let PublicKind::MultipleChoice { choices, .. } = one.kind else {
            panic!()
        };
        let mut indices: Vec<_> = choices.iter().map(|c| c.index).collect();
        assert!(
            choices
                .iter()
                .all(|c| c.text == ["a", "b", "c", "d", "e", "f"][c.index])
        );
        indices.sort();
        assert_eq!(indices, vec![0, 1, 2, 3, 4, 5]);
    }
}
