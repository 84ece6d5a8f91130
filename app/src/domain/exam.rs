//! The rules of an exam attempt, as pure functions: when a learner may start one (attempt
//! limit, cooldown after a failure, lessons read, already certified), which questions it draws
//! and in which order (reproducible from the attempt's seed), how answers arrive from an HTML
//! form, how a score is computed, and whether a submission is on time.
//!
//! # Form fields
//!
//! Every question of a form has a prefix (`q3`); plain HTML controls, so a form works with
//! JavaScript off:
//!
//! | kind             | fields                                              |
//! |------------------|-----------------------------------------------------|
//! | single choice    | `q3` = the choice's id (radio buttons)              |
//! | multiple answer  | `q3_c<id>` = `on` for each ticked box               |
//! | true/false       | `q3` = `true` or `false`                            |
//! | short answer     | `q3` = text                                         |
//! | numerical        | `q3` = number (`,` accepted as the decimal mark)    |
//! | matching         | `q3_m<left id>` = right id (a `<select>`)           |
//!
//! Ids are opaque and drawn per attempt ([`choice_key`], `grading::public_view`): the form never
//! carries a choice's position in the source, which would give the key away.
//!
//! # Time limit
//!
//! A submission is accepted until the deadline plus [`GRACE_SECONDS`] (the time a form takes to
//! travel). After that the answers are refused and the attempt is closed as submitted at the
//! deadline with no answers: it scores 0 and counts as a failed attempt. An attempt left open
//! past its deadline is closed the same way the next time the learner opens the exam.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::grading::{PublicKind, Response, SplitMix64};

/// Seconds a submission may arrive after the deadline and still count (network latency).
pub const GRACE_SECONDS: i64 = 60;

/// What the start rules need to know about one earlier attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastAttempt {
    pub attempt_no: u32,
    pub started_at: DateTime<Utc>,
    pub deadline: Option<DateTime<Utc>>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub passed: Option<bool>,
}

impl PastAttempt {
    /// Open = not submitted and still inside its time window.
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        self.submitted_at.is_none()
            && self
                .deadline
                .is_none_or(|d| now <= d + Duration::seconds(GRACE_SECONDS))
    }

    /// When it ended: submitted, or its deadline ran out.
    fn ended_at(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.submitted_at
            .or_else(|| (!self.is_open(now)).then_some(self.deadline).flatten())
    }
}

/// The exam's limits, after any operator override.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// 0 = unlimited.
    pub max_attempts: u32,
    /// Wait after a failed attempt; 0 = none.
    pub cooldown_minutes: u32,
}

/// Why an attempt cannot start now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    /// The course has no exam.
    NoExam,
    /// Every lesson must be read first.
    LessonsUnread,
    /// Passed, and the certificate is not yet in its recertification window.
    AlreadyCompleted,
    /// The attempt limit of this cycle is used up.
    NoAttemptsLeft,
    /// A failed attempt was too recent.
    CoolingDown { until: DateTime<Utc> },
}

/// What starting would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    /// An attempt is already open: continue it (a double click never opens two).
    Resume {
        attempt_no: u32,
    },
    /// Open attempt number `attempt_no`.
    New {
        attempt_no: u32,
    },
    Refused(Refusal),
}

/// Decides whether a learner may start an attempt now.
///
/// `cycle` are the attempts since the learner's last completion of the course (a
/// recertification starts a new cycle with a fresh attempt limit); `last_no` is the highest
/// attempt number ever used (numbers keep counting across cycles).
pub fn decide_start(
    cycle: &[PastAttempt],
    last_no: u32,
    limits: Limits,
    lessons_done: bool,
    certified_and_current: bool,
    now: DateTime<Utc>,
) -> Start {
    if let Some(open) = cycle.iter().find(|a| a.is_open(now)) {
        return Start::Resume {
            attempt_no: open.attempt_no,
        };
    }
    if certified_and_current {
        return Start::Refused(Refusal::AlreadyCompleted);
    }
    if !lessons_done {
        return Start::Refused(Refusal::LessonsUnread);
    }
    if limits.max_attempts > 0 && cycle.len() >= limits.max_attempts as usize {
        return Start::Refused(Refusal::NoAttemptsLeft);
    }
    if limits.cooldown_minutes > 0 {
        let last_failure = cycle
            .iter()
            .filter(|a| a.passed != Some(true))
            .filter_map(|a| a.ended_at(now))
            .max();
        if let Some(ended) = last_failure {
            let until = ended + Duration::minutes(i64::from(limits.cooldown_minutes));
            if now < until {
                return Start::Refused(Refusal::CoolingDown { until });
            }
        }
    }
    Start::New {
        attempt_no: last_no + 1,
    }
}

/// The pool indices an attempt draws, in presentation order: `draw` of `pool_len`, chosen by
/// `seed`; in pool order unless `shuffle` (then in the drawn order). Same seed, same questions.
pub fn draw(pool_len: usize, draw: u32, seed: u64, shuffle: bool) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..pool_len).collect();
    SplitMix64(seed).shuffle(&mut idx);
    idx.truncate((draw as usize).min(pool_len));
    if !shuffle {
        idx.sort_unstable();
    }
    idx
}

/// The seed for shuffling the answers of the question at `position` of an attempt.
pub fn answer_seed(attempt_seed: u64, position: usize) -> u64 {
    let mut rng = SplitMix64(attempt_seed ^ (position as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    rng.next()
}

/// The key that draws the opaque choice ids of the question at `position` of an attempt (see
/// `grading::public_view`). Derived from the attempt's secret seed, never sent to the browser,
/// and distinct from [`answer_seed`] so the display order and the ids are independent.
pub fn choice_key(attempt_seed: u64, position: usize) -> u64 {
    let mut rng = SplitMix64(answer_seed(attempt_seed, position) ^ 0x5EED_C401_CE1D_5A17);
    rng.next()
}

/// One graded question of a submitted attempt, kept for review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GradedItem {
    pub name: String,
    pub fraction: f64,
    pub correct: bool,
    pub feedback: Vec<String>,
    pub response: Option<super::grading::Response>,
}

/// What grading a whole attempt gives.
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptOutcome {
    pub items: Vec<GradedItem>,
    pub score: u32,
    pub passed: bool,
}

/// How many of the drawn `questions` the form `fields` leaves unanswered, read as
/// [`grade_attempt`] reads them (a description needs no answer; a question no longer in the pool
/// is not counted: nothing can be answered there).
pub fn unanswered(
    questions: &[(String, Option<&super::gift::Question>)],
    seed: u64,
    fields: &HashMap<String, String>,
) -> usize {
    use super::grading::{PublicKind, public_view};
    questions
        .iter()
        .enumerate()
        .filter(|(pos, (_, q))| {
            q.is_some_and(|q| {
                let kind = public_view(q, choice_key(seed, *pos)).kind;
                !matches!(kind, PublicKind::Description)
                    && response_from_fields(&kind, &format!("q{pos}"), fields).is_none()
            })
        })
        .count()
}

/// Grades a submitted attempt: the drawn `questions` (name, and the question if it is still in
/// the pool), in presentation order, against the form `fields`, with the choice ids drawn from
/// `seed` ([`choice_key`]). A `late` submission's answers are not read: every question scores 0.
/// A question removed from the pool since the attempt started earns nothing.
pub fn grade_attempt(
    questions: &[(String, Option<&super::gift::Question>)],
    seed: u64,
    fields: &HashMap<String, String>,
    late: bool,
    pass_mark: u32,
) -> AttemptOutcome {
    use super::grading::{grade, public_view};
    let items: Vec<GradedItem> = questions
        .iter()
        .enumerate()
        .map(|(pos, (name, q))| {
            let Some(q) = q else {
                return GradedItem {
                    name: name.clone(),
                    fraction: 0.0,
                    correct: false,
                    feedback: vec![],
                    response: None,
                };
            };
            let response = if late {
                None
            } else {
                response_from_fields(&public_view(q, choice_key(seed, pos)).kind, &format!("q{pos}"), fields)
            };
            let g = response.as_ref().map(|r| grade(q, r));
            GradedItem {
                name: name.clone(),
                fraction: g.as_ref().map_or(0.0, |g| g.fraction),
                correct: g.as_ref().is_some_and(|g| g.correct),
                feedback: g.map(|g| g.feedback).unwrap_or_default(),
                response,
            }
        })
        .collect();
    let fractions: Vec<f64> = items.iter().map(|g| g.fraction).collect();
    let score = score_percent(&fractions);
    AttemptOutcome {
        items,
        score,
        passed: score >= pass_mark,
    }
}

/// The score in whole percent (rounded down, so 79.9% never passes an 80% mark) of graded
/// fractions; 0 for no questions.
pub fn score_percent(fractions: &[f64]) -> u32 {
    if fractions.is_empty() {
        return 0;
    }
    let mean = fractions.iter().map(|f| f.clamp(0.0, 1.0)).sum::<f64>() / fractions.len() as f64;
    ((mean * 100.0) + 1e-9).floor() as u32
}

/// Whether a submission at `now` is inside the time window.
pub fn on_time(deadline: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    deadline.is_none_or(|d| now <= d + Duration::seconds(GRACE_SECONDS))
}

/// The answer fields of an open attempt worth keeping as a draft: `q{n}` and `q{n}_…` for the
/// attempt's `questions` positions, non-empty, at most 2 000 characters each, in a stable order.
/// Anything else a client sends is dropped.
pub fn draft_fields(fields: &HashMap<String, String>, questions: usize) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = fields
        .iter()
        .filter(|(k, v)| {
            let Some(rest) = k.strip_prefix('q') else {
                return false;
            };
            let n = rest.split('_').next().unwrap_or("");
            !v.trim().is_empty()
                && v.chars().count() <= 2000
                && n.parse::<usize>().is_ok_and(|n| n < questions)
                && rest.len() <= 40
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    out.sort();
    out
}

/// The positions of the questions the kept form fields ([`draft_fields`]) answer.
pub fn answered_positions(kept: &[(String, String)]) -> Vec<usize> {
    let mut out: Vec<usize> = kept
        .iter()
        .filter_map(|(k, _)| k.strip_prefix('q')?.split('_').next()?.parse().ok())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Reads the response to one question from form fields (see the module docs). `None` when the
/// question was left unanswered.
pub fn response_from_fields(kind: &PublicKind, prefix: &str, fields: &HashMap<String, String>) -> Option<Response> {
    let value = fields.get(prefix).map(|s| s.trim()).filter(|s| !s.is_empty());
    match kind {
        PublicKind::MultipleChoice { single: true, choices } => {
            let value = value?;
            choices
                .iter()
                .find(|c| c.id == value)
                .map(|c| Response::Choice(vec![c.index]))
        }
        PublicKind::MultipleChoice { single: false, choices } => {
            let picked: Vec<usize> = choices
                .iter()
                .filter(|c| fields.contains_key(&format!("{prefix}_c{}", c.id)))
                .map(|c| c.index)
                .collect();
            (!picked.is_empty()).then_some(Response::Choice(picked))
        }
        PublicKind::TrueFalse => match value? {
            "true" => Some(Response::TrueFalse(true)),
            "false" => Some(Response::TrueFalse(false)),
            _ => None,
        },
        PublicKind::ShortAnswer => value.map(|v| Response::Text(v.to_string())),
        PublicKind::Numerical => value?.replace(',', ".").parse().ok().map(Response::Number),
        PublicKind::Matching { left, right } => {
            let pairs: Vec<(usize, usize)> = left
                .iter()
                .filter_map(|l| {
                    let v = fields.get(&format!("{prefix}_m{}", l.id))?.trim();
                    right.iter().find(|r| r.id == v).map(|r| (l.index, r.index))
                })
                .collect();
            (!pairs.is_empty()).then_some(Response::Matching(pairs))
        }
        PublicKind::Essay => value.map(|v| Response::Text(v.to_string())),
        PublicKind::Description => None,
    }
}

/// A lesson to read again after an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reread {
    /// The lesson's number.
    pub number: u32,
    /// Where to start reading: the section shared by every missed question of this lesson, if
    /// they share one.
    pub anchor: Option<String>,
    /// How many of the missed questions it teaches.
    pub missed: u32,
}

/// The lessons that teach the questions I got wrong, in lesson order, each once. Questions
/// whose lesson is unknown are left out.
pub fn lessons_to_reread<'a>(
    missed: impl IntoIterator<Item = &'a crate::domain::content::LessonPointer>,
) -> Vec<Reread> {
    let mut out: Vec<Reread> = Vec::new();
    for p in missed {
        match out.iter_mut().find(|r| r.number == p.number) {
            Some(r) => {
                r.missed += 1;
                if r.anchor != p.anchor {
                    r.anchor = None;
                }
            }
            None => out.push(Reread {
                number: p.number,
                anchor: p.anchor.clone(),
                missed: 1,
            }),
        }
    }
    out.sort_by_key(|r| r.number);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_keep_only_this_attempts_answer_fields() {
        let f: HashMap<String, String> = [
            ("q0", "2"),
            ("q1_c0", "on"),
            ("q1_c3", "on"),
            ("q2_m1", "b"),
            ("q9", "1"),
            ("q3", "  "),
            ("attempt", "7"),
            ("seq", "1"),
            ("qx", "1"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let d = draft_fields(&f, 4);
        let keys: Vec<&str> = d.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["q0", "q1_c0", "q1_c3", "q2_m1"]);
    }
    use crate::domain::gift::parse_gift;
    use crate::domain::grading::{grade, public_view};

    fn t(min: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + min * 60, 0).unwrap()
    }

    fn attempt(no: u32, start: i64, submitted: Option<i64>, passed: Option<bool>) -> PastAttempt {
        PastAttempt {
            attempt_no: no,
            started_at: t(start),
            deadline: Some(t(start + 20)),
            submitted_at: submitted.map(t),
            passed,
        }
    }

    const LIMITS: Limits = Limits {
        max_attempts: 3,
        cooldown_minutes: 30,
    };

    #[test]
    fn an_open_attempt_is_resumed_not_duplicated() {
        let cycle = [attempt(1, 0, None, None)];
        assert_eq!(
            decide_start(&cycle, 1, LIMITS, true, false, t(5)),
            Start::Resume { attempt_no: 1 }
        );
    }

    #[test]
    fn the_limit_cooldown_and_lessons_are_enforced() {
        let failed = [attempt(1, 0, Some(10), Some(false))];
        assert_eq!(
            decide_start(&failed, 1, LIMITS, true, false, t(20)),
            Start::Refused(Refusal::CoolingDown { until: t(40) })
        );
        assert_eq!(
            decide_start(&failed, 1, LIMITS, true, false, t(40)),
            Start::New { attempt_no: 2 }
        );
        let no_cooldown = Limits {
            cooldown_minutes: 0,
            ..LIMITS
        };
        assert_eq!(
            decide_start(&failed, 1, no_cooldown, true, false, t(11)),
            Start::New { attempt_no: 2 }
        );
        let three = [
            attempt(1, 0, Some(10), Some(false)),
            attempt(2, 100, Some(110), Some(false)),
            attempt(3, 200, Some(210), Some(false)),
        ];
        assert_eq!(
            decide_start(&three, 3, LIMITS, true, false, t(1000)),
            Start::Refused(Refusal::NoAttemptsLeft)
        );
        let unlimited = Limits {
            max_attempts: 0,
            ..LIMITS
        };
        assert_eq!(
            decide_start(&three, 3, unlimited, true, false, t(1000)),
            Start::New { attempt_no: 4 }
        );
        assert_eq!(
            decide_start(&[], 0, LIMITS, false, false, t(0)),
            Start::Refused(Refusal::LessonsUnread)
        );
        assert_eq!(
            decide_start(&[], 7, LIMITS, true, true, t(0)),
            Start::Refused(Refusal::AlreadyCompleted)
        );
        // A recertification cycle starts fresh but keeps numbering.
        assert_eq!(
            decide_start(&[], 7, LIMITS, true, false, t(0)),
            Start::New { attempt_no: 8 }
        );
    }

    #[test]
    fn an_attempt_left_past_its_deadline_counts_as_failed_from_the_deadline() {
        let expired = [attempt(1, 0, None, None)];
        // Deadline t(20) + grace: at t(25) it is closed, cooling down until t(50).
        assert_eq!(
            decide_start(&expired, 1, LIMITS, true, false, t(25)),
            Start::Refused(Refusal::CoolingDown { until: t(50) })
        );
        assert!(on_time(Some(t(20)), t(20) + Duration::seconds(59)));
        assert!(!on_time(Some(t(20)), t(21) + Duration::seconds(1)));
        assert!(on_time(None, t(10_000)));
    }

    #[test]
    fn drawing_is_reproducible_and_draws_distinct_questions() {
        let a = draw(17, 10, 42, true);
        assert_eq!(a, draw(17, 10, 42, true));
        assert_ne!(a, draw(17, 10, 43, true));
        let mut s = a.clone();
        s.sort();
        s.dedup();
        assert_eq!(s.len(), 10);
        assert!(a.iter().all(|&i| i < 17));
        let ordered = draw(17, 10, 42, false);
        assert!(ordered.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(draw(3, 10, 1, true).len(), 3);
        assert_ne!(answer_seed(42, 0), answer_seed(42, 1));
    }

    #[test]
    fn scores_round_down_and_count_partial_credit() {
        assert_eq!(score_percent(&[1.0, 1.0, 0.5, 0.0]), 62);
        assert_eq!(score_percent(&[1.0; 10]), 100);
        assert_eq!(score_percent(&[0.799, 1.0]), 89);
        assert_eq!(score_percent(&[]), 0);
        let eight: Vec<f64> = [1.0; 8].into_iter().chain([0.0; 2]).collect();
        assert_eq!(score_percent(&eight), 80);
    }

    #[test]
    fn form_fields_become_responses_that_grade() {
        let src = "::a:: A {=x ~y ~z}\n\n::b:: B {~%50%x ~%50%y ~%-100%z}\n\n::c:: C {T}\n\n::d:: D {#135}\n\n::e:: E {=Quy Nhơn}\n\n::f:: F {=a -> 1 =b -> 2}";
        let (qs, errs) = parse_gift(src);
        assert!(errs.is_empty(), "{errs:?}");
        let seed = 0xABCD_u64;
        let views: Vec<PublicKind> = (0..qs.len())
            .map(|i| public_view(&qs[i], choice_key(seed, i)).kind)
            .collect();
        // The form sends ids, found by the texts a learner reads.
        let id = |i: usize, text: &str| -> String {
            match &views[i] {
                PublicKind::MultipleChoice { choices, .. } => {
                    choices.iter().find(|c| c.text == text).unwrap().id.clone()
                }
                _ => panic!(),
            }
        };
        let (left, right) = match &views[5] {
            PublicKind::Matching { left, right } => (left.clone(), right.clone()),
            _ => panic!(),
        };
        let m = |l: &str, r: &str| {
            (
                format!("q5_m{}", left.iter().find(|c| c.text == l).unwrap().id),
                right.iter().find(|c| c.text == r).unwrap().id.clone(),
            )
        };
        let fields: HashMap<String, String> = [
            ("q0".to_string(), id(0, "x")),
            (format!("q1_c{}", id(1, "x")), "on".into()),
            (format!("q1_c{}", id(1, "y")), "on".into()),
            ("q2".into(), "true".into()),
            ("q3".into(), "135,0".into()),
            ("q4".into(), " quy nhơn ".into()),
            m("a", "1"),
            m("b", "2"),
        ]
        .into_iter()
        .collect();
        for (i, q) in qs.iter().enumerate() {
            let r = response_from_fields(&views[i], &format!("q{i}"), &fields).expect("answered");
            assert!(grade(q, &r).correct, "{i}: {r:?}");
        }
        let empty = HashMap::new();
        for (i, view) in views.iter().enumerate() {
            assert_eq!(response_from_fields(view, &format!("q{i}"), &empty), None);
        }
        // A source position instead of an id is not an answer; another attempt's ids neither.
        let by_index: HashMap<String, String> = [("q0".to_string(), "0".to_string())].into_iter().collect();
        assert_eq!(response_from_fields(&views[0], "q0", &by_index), None);
        let other = public_view(&qs[0], choice_key(seed + 1, 0)).kind;
        assert_eq!(response_from_fields(&other, "q0", &fields), None);
    }

    #[test]
    fn an_attempt_is_graded_whole_late_answers_are_not_read_and_removed_questions_earn_nothing() {
        let (qs, errs) = parse_gift("::a:: A {=x ~y}\n\n::b:: B {T}");
        assert!(errs.is_empty());
        let seed = 77;
        let id_x = match public_view(&qs[0], choice_key(seed, 0)).kind {
            PublicKind::MultipleChoice { choices, .. } => choices.into_iter().find(|c| c.text == "x").unwrap().id,
            _ => panic!(),
        };
        let fields: HashMap<String, String> = [("q0".to_string(), id_x), ("q1".to_string(), "true".to_string())]
            .into_iter()
            .collect();
        let drawn = vec![("a".to_string(), Some(&qs[0])), ("b".to_string(), Some(&qs[1]))];
        let on_time = grade_attempt(&drawn, seed, &fields, false, 80);
        assert_eq!((on_time.score, on_time.passed), (100, true));
        assert!(on_time.items.iter().all(|i| i.correct && i.response.is_some()));
        let late = grade_attempt(&drawn, seed, &fields, true, 80);
        assert_eq!((late.score, late.passed), (0, false));
        assert!(late.items.iter().all(|i| i.response.is_none()));
        let removed = vec![("a".to_string(), Some(&qs[0])), ("gone".to_string(), None)];
        let half = grade_attempt(&removed, seed, &fields, false, 80);
        assert_eq!((half.score, half.passed), (50, false));
        assert_eq!(half.items[1].name, "gone");
    }

    #[test]
    fn unanswered_questions_are_counted_as_grading_would_read_them() {
        let (qs, errs) = parse_gift("::a:: A {=x ~y}\n\n::b:: B {T}\n\n::c:: Read this first.");
        assert!(errs.is_empty());
        let seed = 5;
        let drawn: Vec<(String, Option<&crate::domain::gift::Question>)> = qs
            .iter()
            .map(|q| (q.name.clone().unwrap_or_default(), Some(q)))
            .collect();
        let none = HashMap::new();
        assert_eq!(unanswered(&drawn, seed, &none), 2, "the description needs no answer");
        let tf: HashMap<String, String> = [("q1".to_string(), "false".to_string())].into_iter().collect();
        assert_eq!(unanswered(&drawn, seed, &tf), 1);
        // A position instead of the attempt's opaque id is no answer.
        let mut guessed = tf.clone();
        guessed.insert("q0".into(), "0".into());
        assert_eq!(unanswered(&drawn, seed, &guessed), 1);
        let gone = vec![("gone".to_string(), None)];
        assert_eq!(unanswered(&gone, seed, &none), 0);
    }

    #[test]
    fn lessons_to_reread_come_once_each_in_order_with_the_shared_section() {
        use crate::domain::content::LessonPointer;
        let p = |number, anchor: Option<&str>| LessonPointer {
            number,
            anchor: anchor.map(str::to_owned),
        };
        let missed = [
            p(3, Some("muc-phat")),
            p(1, Some("khai-niem")),
            p(3, Some("muc-phat")),
            p(2, Some("a")),
            p(2, Some("b")),
        ];
        assert_eq!(
            lessons_to_reread(&missed),
            [
                Reread {
                    number: 1,
                    anchor: Some("khai-niem".into()),
                    missed: 1
                },
                Reread {
                    number: 2,
                    anchor: None,
                    missed: 2
                },
                Reread {
                    number: 3,
                    anchor: Some("muc-phat".into()),
                    missed: 2
                },
            ]
        );
        assert_eq!(lessons_to_reread(&[]), []);
    }
}
