//! Item statistics: how each exam question behaves across the submitted attempts that drew it —
//! the numbers a trainer needs to find a question that is too easy, too hard, or that the
//! strongest learners get wrong more often than the weakest.
//!
//! For each question, over the attempts that drew it (exams draw from a pool, so each question
//! has its own set):
//! - **exposure**: how many submitted attempts drew it;
//! - **facility**: the mean credit earned, in percent (a question answered right by everyone: 100);
//! - **discrimination (27 %)**: Kelley's upper–lower index. The attempts are ranked by their total
//!   score; the top 27 % and the bottom 27 % (rounded, at least one attempt each) form the upper
//!   and lower groups; the index is the mean credit of the upper group minus that of the lower,
//!   from −1 to 1. Ties keep the order the attempts were submitted in;
//! - **point-biserial**: the Pearson correlation between the credit on this question and the rest
//!   of the attempt's score (the total without this question, so a question is not correlated
//!   with itself);
//! - **choices**: for a choice question, how many responses picked each choice; unanswered;
//! - **mean time**: the seconds learners spent on it, on average ([`time_per_question`]).
//!
//! A question is flagged, once at least [`MIN_ATTEMPTS`] attempts drew it, when its facility is
//! above 90 % (too easy), below 30 % (too hard), or when either discrimination is negative.

use serde::{Deserialize, Serialize};

/// Attempts needed before a question is flagged: below this, one learner moves the figures.
pub const MIN_ATTEMPTS: usize = 5;
/// Facility above which a question is too easy, in percent.
pub const TOO_EASY: f64 = 90.0;
/// Facility below which a question is too hard, in percent.
pub const TOO_HARD: f64 = 30.0;

/// One question as one attempt answered it.
#[derive(Debug, Clone, PartialEq)]
pub struct Answered {
    pub name: String,
    /// Credit earned, 0..=1.
    pub fraction: f64,
    /// For a choice question, the choices picked (indices into the question's choices); `None`
    /// when the question was left unanswered or is of another kind.
    pub chosen: Option<Vec<usize>>,
    /// Whether the question was answered at all.
    pub answered: bool,
    /// Seconds spent on it ([`time_per_question`]); `None` when not known.
    pub seconds: Option<f64>,
}

/// The most seconds one question counts for: an attempt left open (an exam may have no time
/// limit) must not carry a mean by itself.
pub const MAX_SECONDS: f64 = 1800.0;

/// The seconds spent on each question of an attempt (at most [`MAX_SECONDS`]), from `stamps`: position → seconds from the
/// start of the attempt to the first save (an autosave, "save for later", or the submission)
/// holding an answer to it. The time between one save and the one before it is shared equally by
/// the questions first answered in it: with JavaScript on, answers save as they are given, so
/// each question gets the time until it was answered; without, the whole attempt is shared by
/// the questions answered in it.
pub fn time_per_question(stamps: &std::collections::BTreeMap<usize, i64>) -> std::collections::BTreeMap<usize, f64> {
    let mut at: Vec<i64> = stamps.values().copied().collect();
    at.sort_unstable();
    at.dedup();
    let mut out = std::collections::BTreeMap::new();
    let mut before = 0;
    for t in at {
        let group: Vec<usize> = stamps.iter().filter(|(_, s)| **s == t).map(|(p, _)| *p).collect();
        let each = ((t - before).max(0) as f64 / group.len() as f64).min(MAX_SECONDS);
        for p in group {
            out.insert(p, each);
        }
        before = t;
    }
    out
}

/// Stamps the `answered` positions not stamped yet with `seconds` (see [`time_per_question`]).
pub fn stamp(
    stamps: &mut std::collections::BTreeMap<usize, i64>,
    answered: impl IntoIterator<Item = usize>,
    seconds: i64,
) {
    for p in answered {
        stamps.entry(p).or_insert(seconds);
    }
}

/// A question of the pool: its name and how many choices it has (0 for other kinds).
#[derive(Debug, Clone, PartialEq)]
pub struct PoolItem {
    pub name: String,
    pub choices: usize,
}

/// What is wrong with a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Flag {
    TooEasy,
    TooHard,
    Negative,
}

impl Flag {
    /// How the page and the downloads name it.
    pub fn label(self) -> crate::i18n::T {
        use crate::i18n::T;
        match self {
            Flag::TooEasy => T::FlagTooEasy,
            Flag::TooHard => T::FlagTooHard,
            Flag::Negative => T::FlagNegative,
        }
    }
}

/// The statistics of one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemStat {
    pub name: String,
    /// Submitted attempts that drew the question.
    pub exposure: usize,
    /// Mean credit in percent; `None` when no attempt drew it.
    pub facility: Option<f64>,
    /// Upper minus lower 27 % group, −1..=1; `None` below 4 attempts.
    pub discrimination: Option<f64>,
    /// Correlation of the question's credit with the rest of the score; `None` below 3 attempts
    /// or when either side does not vary.
    pub point_biserial: Option<f64>,
    /// Responses that picked each choice (index = choice), for choice questions.
    pub chosen: Vec<usize>,
    pub unanswered: usize,
    /// Mean seconds spent on it, over the attempts whose time is known.
    pub mean_seconds: Option<f64>,
    pub flags: Vec<Flag>,
}

fn mean(xs: impl Iterator<Item = f64>) -> Option<f64> {
    let (n, s) = xs.fold((0usize, 0.0), |(n, s), x| (n + 1, s + x));
    (n > 0).then(|| s / n as f64)
}

/// Pearson's correlation of paired values; `None` with fewer than 3 pairs or no variation.
fn correlation(pairs: &[(f64, f64)]) -> Option<f64> {
    if pairs.len() < 3 {
        return None;
    }
    let mx = mean(pairs.iter().map(|p| p.0))?;
    let my = mean(pairs.iter().map(|p| p.1))?;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in pairs {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    (sxx > 1e-12 && syy > 1e-12).then(|| sxy / (sxx * syy).sqrt())
}

/// The statistics of every question of `pool` (in pool order) over `attempts`, each attempt the
/// questions it drew. Questions an attempt drew that are no longer in the pool are counted in its
/// total score but get no line.
pub fn item_stats(pool: &[PoolItem], attempts: &[Vec<Answered>]) -> Vec<ItemStat> {
    let totals: Vec<f64> = attempts.iter().map(|a| a.iter().map(|i| i.fraction).sum()).collect();
    // The attempts in rank order, best first; a stable sort keeps submission order among ties.
    let mut ranked: Vec<usize> = (0..attempts.len()).collect();
    ranked.sort_by(|a, b| totals[*b].total_cmp(&totals[*a]));
    // For each question, (attempt index, its answer) of every attempt that drew it, in rank
    // order: one pass over all answers.
    let mut by_question: std::collections::HashMap<&str, Vec<(usize, &Answered)>> = Default::default();
    for &i in &ranked {
        for a in &attempts[i] {
            by_question.entry(a.name.as_str()).or_default().push((i, a));
        }
    }
    pool.iter()
        .map(|q| {
            let seen = by_question.remove(q.name.as_str()).unwrap_or_default();
            let n = seen.len();
            let facility = mean(seen.iter().map(|(_, a)| a.fraction)).map(|m| m * 100.0);
            let discrimination = (n >= 4).then(|| {
                let g = ((n as f64) * 0.27).round().max(1.0) as usize;
                let upper = mean(seen[..g].iter().map(|(_, a)| a.fraction)).unwrap_or(0.0);
                let lower = mean(seen[n - g..].iter().map(|(_, a)| a.fraction)).unwrap_or(0.0);
                upper - lower
            });
            let pairs: Vec<(f64, f64)> = seen
                .iter()
                .map(|(i, a)| (a.fraction, totals[*i] - a.fraction))
                .collect();
            let point_biserial = correlation(&pairs);
            let mut chosen = vec![0; q.choices];
            for (_, a) in &seen {
                for &c in a.chosen.iter().flatten() {
                    if let Some(n) = chosen.get_mut(c) {
                        *n += 1;
                    }
                }
            }
            let unanswered = seen.iter().filter(|(_, a)| !a.answered).count();
            let mean_seconds = mean(seen.iter().filter_map(|(_, a)| a.seconds));
            let mut flags = vec![];
            if n >= MIN_ATTEMPTS {
                match facility {
                    Some(f) if f > TOO_EASY => flags.push(Flag::TooEasy),
                    Some(f) if f < TOO_HARD => flags.push(Flag::TooHard),
                    _ => {}
                }
                if discrimination.is_some_and(|d| d < 0.0) || point_biserial.is_some_and(|r| r < 0.0) {
                    flags.push(Flag::Negative);
                }
            }
            ItemStat {
                name: q.name.clone(),
                exposure: n,
                facility,
                discrimination,
                point_biserial,
                chosen,
                unanswered,
                mean_seconds,
                flags,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(name: &str, fraction: f64) -> Answered {
        Answered {
            name: name.into(),
            fraction,
            chosen: None,
            answered: true,
            seconds: None,
        }
    }

    fn pool(names: &[&str]) -> Vec<PoolItem> {
        names
            .iter()
            .map(|n| PoolItem {
                name: n.to_string(),
                choices: 0,
            })
            .collect()
    }

    fn close(x: Option<f64>, want: f64) -> bool {
        x.is_some_and(|x| (x - want).abs() < 1e-4)
    }

    /// Worked by hand (see the comments): five attempts of three questions.
    #[test]
    fn facility_and_discrimination_equal_a_worked_example() {
        // attempt:  1  2  3  4  5
        // A:        1  1  1  0  1   total 3 2 2 1 1
        // B:        1  1  0  1  0
        // C:        1  0  1  0  0
        let rows = [
            [1.0, 1.0, 1.0],
            [1.0, 1.0, 0.0],
            [1.0, 0.0, 1.0],
            [0.0, 1.0, 0.0],
            [1.0, 0.0, 0.0],
        ];
        let attempts: Vec<Vec<Answered>> = rows
            .iter()
            .map(|r| vec![a("A", r[0]), a("B", r[1]), a("C", r[2])])
            .collect();
        let s = item_stats(&pool(&["A", "B", "C"]), &attempts);
        // Groups: 27 % of 5 = 1.35 → one attempt each; upper = attempt 1 (3), lower = attempt 5
        // (1; attempt 4 also scored 1 but was submitted first).
        // A: facility 4/5 = 80 %; D = 1 − 1 = 0. Rest scores 2,1,1,1,0 against 1,1,1,0,1:
        //    deviations (.2,.2,.2,−.8,.2)·(1,0,0,0,−1) sum to 0, so r = 0.
        assert_eq!(s[0].exposure, 5);
        assert!(close(s[0].facility, 80.0));
        assert!(close(s[0].discrimination, 0.0));
        assert!(close(s[0].point_biserial, 0.0));
        // B: facility 60 %; D = 1 − 0 = 1. Rest 2,1,2,0,1 (mean 1.2) against 1,1,0,1,0 (mean .6):
        //    Σdxdy = .32 − .08 − .48 − .48 + .12 = −.6; Σdx² = 1.2; Σdy² = 2.8;
        //    r = −.6 / √3.36 = −0.32733.
        assert!(close(s[1].facility, 60.0));
        assert!(close(s[1].discrimination, 1.0));
        assert!(close(s[1].point_biserial, -0.32733));
        // C: facility 40 %; D = 1 − 0 = 1. Rest 2,2,1,1,1 (mean 1.4) against 1,0,1,0,0 (mean .4):
        //    Σdxdy = .36 − .24 − .24 + .16 + .16 = .2; Σdx² = Σdy² = 1.2; r = .2 / 1.2 = 0.16667.
        assert!(close(s[2].facility, 40.0));
        assert!(close(s[2].discrimination, 1.0));
        assert!(close(s[2].point_biserial, 0.16667));
        // Five attempts are enough to flag: B correlates negatively with the rest of the exam.
        assert_eq!(s[0].flags, vec![]);
        assert_eq!(s[1].flags, vec![Flag::Negative]);
        assert_eq!(s[2].flags, vec![]);
    }

    /// A generated set of 300 attempts from a pool of 8, each drawing 6 at random: learners of
    /// ability 0..1, an easy question, a hard one, one that the weaker learners get right, five
    /// ordinary ones. The statistics find each.
    #[test]
    fn a_generated_attempt_set_is_read_right() {
        let names = ["easy", "hard", "reversed", "q1", "q2", "q3", "q4", "q5"];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut attempts = vec![];
        let mut drawn = [0usize; 8];
        for k in 0..300 {
            let ability = next();
            // Draw 6 of the 8 (leave out two at random), so each question has its own subset.
            let out1 = (next() * 8.0) as usize;
            let out2 = (out1 + 1 + (next() * 7.0) as usize) % 8;
            let picks: Vec<usize> = (0..8).filter(|p| *p != out1 && *p != out2).collect();
            let mut items = vec![];
            for &p in &picks {
                drawn[p] += 1;
                let p_right = match names[p] {
                    "easy" => 0.98,
                    "hard" => 0.1 + 0.1 * ability,
                    "reversed" => 0.95 - 0.9 * ability,
                    _ => 0.2 + 0.7 * ability,
                };
                let right = next() < p_right;
                items.push(Answered {
                    name: names[p].into(),
                    fraction: if right { 1.0 } else { 0.0 },
                    chosen: Some(vec![if right { 0 } else { 1 + (k % 2) }]),
                    answered: true,
                    seconds: None,
                });
            }
            attempts.push(items);
        }
        let pool: Vec<PoolItem> = names
            .iter()
            .map(|n| PoolItem {
                name: n.to_string(),
                choices: 3,
            })
            .collect();
        let s = item_stats(&pool, &attempts);
        for (i, st) in s.iter().enumerate() {
            assert_eq!(st.exposure, drawn[i], "{}", st.name);
            assert_eq!(st.chosen.iter().sum::<usize>(), st.exposure, "one choice per response");
            let right = attempts
                .iter()
                .flatten()
                .filter(|a| a.name == st.name && a.fraction == 1.0)
                .count();
            assert_eq!(st.chosen[0], right, "the key was picked by those who got it right");
            assert!(close(st.facility, 100.0 * right as f64 / st.exposure as f64));
        }
        let by = |n: &str| s.iter().find(|x| x.name == n).unwrap();
        assert!(by("easy").flags.contains(&Flag::TooEasy), "{:?}", by("easy"));
        assert!(by("hard").flags.contains(&Flag::TooHard), "{:?}", by("hard"));
        assert!(by("reversed").flags.contains(&Flag::Negative), "{:?}", by("reversed"));
        assert!(by("reversed").discrimination.unwrap() < 0.0);
        for q in ["q1", "q2", "q3", "q4", "q5"] {
            assert_eq!(by(q).flags, vec![], "{:?}", by(q));
            assert!(
                by(q).discrimination.unwrap() > 0.2 && by(q).point_biserial.unwrap() > 0.1,
                "{:?}",
                by(q)
            );
        }
    }

    #[test]
    fn few_attempts_give_figures_but_no_flags() {
        let attempts = vec![vec![a("A", 1.0)], vec![a("A", 1.0)], vec![a("A", 1.0)]];
        let s = item_stats(&pool(&["A", "B"]), &attempts);
        assert!(close(s[0].facility, 100.0));
        assert_eq!(s[0].discrimination, None, "four attempts are needed for two groups");
        assert_eq!(s[0].point_biserial, None, "no variation");
        assert_eq!(s[0].flags, vec![]);
        assert_eq!((s[1].exposure, s[1].facility), (0, None), "never drawn");
    }

    #[test]
    fn time_between_saves_is_shared_by_the_questions_answered_in_it() {
        use std::collections::BTreeMap;
        // Autosaves: q0 answered by 40 s, q2 by 100 s; then q1 and q3 first seen in the
        // submission at 160 s.
        let mut stamps = BTreeMap::new();
        stamp(&mut stamps, [0], 40);
        stamp(&mut stamps, [0, 2], 100);
        stamp(&mut stamps, [0, 1, 2, 3], 160);
        assert_eq!(stamps, BTreeMap::from([(0, 40), (1, 160), (2, 100), (3, 160)]));
        let t = time_per_question(&stamps);
        assert_eq!(t, BTreeMap::from([(0, 40.0), (1, 30.0), (2, 60.0), (3, 30.0)]));
        // An attempt left open for a day counts the longest a question may.
        assert_eq!(time_per_question(&BTreeMap::from([(0, 86_400)]))[&0], MAX_SECONDS);
        // The mean over the attempts that know it.
        let mut x = a("q", 1.0);
        x.seconds = Some(30.0);
        let mut y = a("q", 0.0);
        y.seconds = Some(90.0);
        let stats = item_stats(&pool(&["q"]), &[vec![x], vec![y], vec![a("q", 1.0)]]);
        assert_eq!(stats[0].mean_seconds, Some(60.0));
    }
}
