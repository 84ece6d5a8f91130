//! English twins of questions. A translated question (in `exam.en.md` or a lesson's `.en.md`)
//! carries the `::name::` of the Vietnamese question it translates and must answer like it: the
//! same kind, the same answers in the same order with the same credit. An English reader then
//! sees the twin's words laid over the Vietnamese question's opaque ids, order and shuffle; the
//! Vietnamese key grades the answer, so one attempt, one score and one completion count in both
//! languages, and nothing about the key can be learnt by comparing the two views.

use super::gift::{Choice, Question, QuestionKind};
use super::grading::{PublicKind, PublicQuestion, Response, matching_answers};

/// Why `en` cannot stand in for `vi` (in the checker's words), or `None` when it answers alike.
/// Short answers may differ in their accepted texts (each language has its own words); every
/// other answer must match position by position.
pub fn answers_differ(vi: &Question, en: &Question) -> Option<String> {
    use QuestionKind as K;
    let credit = |c: &[Choice]| c.iter().map(|c| c.fraction).collect::<Vec<_>>();
    let same = |a: &[f64], b: &[f64]| a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-9);
    match (&vi.kind, &en.kind) {
        (
            K::MultipleChoice {
                single: s1,
                choices: c1,
            },
            K::MultipleChoice {
                single: s2,
                choices: c2,
            },
        ) => {
            if c1.len() != c2.len() {
                Some(format!(
                    "it has {} answers where the Vietnamese question has {}",
                    c2.len(),
                    c1.len()
                ))
            } else if s1 != s2 || !same(&credit(c1), &credit(c2)) {
                let at = c1
                    .iter()
                    .zip(c2)
                    .position(|(a, b)| (a.fraction - b.fraction).abs() >= 1e-9)
                    .map_or(1, |i| i + 1);
                Some(format!(
                    "its answer {at} carries other credit than the Vietnamese answer {at}"
                ))
            } else {
                None
            }
        }
        (K::TrueFalse { answer: a, .. }, K::TrueFalse { answer: b, .. }) => (a != b).then(|| {
            let tf = |x: &bool| if *x { "T" } else { "F" };
            format!(
                "its answer is {{{}}} where the Vietnamese question's is {{{}}}",
                tf(b),
                tf(a)
            )
        }),
        (K::ShortAnswer { .. }, K::ShortAnswer { .. }) => None,
        (K::Numerical { answers: a }, K::Numerical { answers: b }) => {
            let same_numbers = a.len() == b.len()
                && a.iter().zip(b).all(|(x, y)| {
                    x.value == y.value && x.tolerance == y.tolerance && (x.fraction - y.fraction).abs() < 1e-9
                });
            (!same_numbers).then(|| "it accepts other numbers than the Vietnamese question".to_string())
        }
        (K::Matching { pairs: a }, K::Matching { pairs: b }) => {
            if a.len() != b.len() {
                return Some(format!(
                    "it has {} pairs where the Vietnamese question has {}",
                    b.len(),
                    a.len()
                ));
            }
            // The same extra answers, and the same answers shared between items, at each position.
            let shape = |p: &[super::gift::MatchPair]| {
                p.iter()
                    .map(|x| {
                        (
                            x.question.is_empty(),
                            p.iter().position(|y| y.answer == x.answer).unwrap_or_default(),
                        )
                    })
                    .collect::<Vec<_>>()
            };
            (shape(a) != shape(b)).then(|| "its pairs do not match like the Vietnamese question's".to_string())
        }
        (K::Essay, K::Essay) | (K::Description, K::Description) => None,
        (v, e) => Some(format!(
            "it is {} where the Vietnamese question is {}",
            kind_name(e),
            kind_name(v)
        )),
    }
}

fn kind_name(k: &QuestionKind) -> &'static str {
    match k {
        QuestionKind::MultipleChoice { .. } => "a multiple-choice question",
        QuestionKind::TrueFalse { .. } => "a true/false question",
        QuestionKind::ShortAnswer { .. } => "a short-answer question",
        QuestionKind::Numerical { .. } => "a numerical question",
        QuestionKind::Matching { .. } => "a matching question",
        QuestionKind::Essay => "an essay",
        QuestionKind::Description => "a description",
    }
}

/// `view` (the public view of `vi`, ids and order as drawn) in the words of its twin `en`.
/// Unchanged when the twin does not answer alike (the checker refuses such content anyway).
pub fn translate_view(mut view: PublicQuestion, vi: &Question, en: &Question) -> PublicQuestion {
    if answers_differ(vi, en).is_some() {
        return view;
    }
    view.text = en.text.clone();
    view.format = en.format;
    match (&mut view.kind, &vi.kind, &en.kind) {
        (PublicKind::MultipleChoice { choices, .. }, _, QuestionKind::MultipleChoice { choices: words, .. }) => {
            for c in choices {
                if let Some(w) = words.get(c.index) {
                    c.text = w.text.clone();
                }
            }
        }
        (
            PublicKind::Matching { left, right },
            QuestionKind::Matching { pairs: vp },
            QuestionKind::Matching { pairs: ep },
        ) => {
            for l in left {
                if let Some(p) = ep.get(l.index) {
                    l.text = p.question.clone();
                }
            }
            // The right side keeps the Vietnamese answers' order (sorted by their text, which says
            // nothing of the pairing); each takes the words of the same pair's English answer.
            let vi_answers = matching_answers(vi);
            for r in right {
                let pos = vi_answers
                    .get(r.index)
                    .and_then(|a| vp.iter().position(|p| &p.answer == a));
                if let Some(p) = pos.and_then(|p| ep.get(p)) {
                    r.text = p.answer.clone();
                }
            }
        }
        _ => {}
    }
    view
}

/// A response to `vi` read as a response to its twin `en` (matching answers are indexed by
/// their sorted text, which differs between languages; everything else is positional).
pub fn response_for_twin(r: &Response, vi: &Question, en: &Question) -> Response {
    match (r, &vi.kind, &en.kind) {
        (Response::Matching(given), QuestionKind::Matching { pairs: vp }, QuestionKind::Matching { pairs: ep }) => {
            let (va, ea) = (matching_answers(vi), matching_answers(en));
            let map = |j: usize| {
                let pos = vp.iter().position(|p| Some(&p.answer) == va.get(j))?;
                let word = &ep.get(pos)?.answer;
                ea.iter().position(|a| a == word)
            };
            Response::Matching(given.iter().filter_map(|&(l, j)| Some((l, map(j)?))).collect())
        }
        _ => r.clone(),
    }
}

/// `vi` accepting its twin's short answers too, so an English reader may answer in English (the
/// Vietnamese answers are tried first; a Vietnamese catch-all `*` stays last). Other kinds are
/// graded on the Vietnamese key alone.
pub fn accepting_twin(vi: &Question, en: &Question) -> Option<Question> {
    let (QuestionKind::ShortAnswer { answers: a }, QuestionKind::ShortAnswer { answers: b }) = (&vi.kind, &en.kind)
    else {
        return None;
    };
    let catch_all = |c: &Choice| c.text.trim() == "*";
    let mut answers: Vec<Choice> = a.iter().filter(|c| !catch_all(c)).cloned().collect();
    for c in b.iter().filter(|c| !catch_all(c)) {
        if !answers.iter().any(|x| x.text == c.text) {
            answers.push(c.clone());
        }
    }
    answers.extend(a.iter().filter(|c| catch_all(c)).cloned());
    Some(Question {
        kind: QuestionKind::ShortAnswer { answers },
        ..vi.clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::gift::parse_gift;
    use crate::domain::grading::{grade, public_view};

    fn one(src: &str) -> Question {
        let (mut qs, errs) = parse_gift(src);
        assert!(errs.is_empty(), "{errs:?}");
        qs.remove(0)
    }

    #[test]
    fn a_twin_must_answer_like_the_vietnamese_question() {
        let vi = one("::q:: Câu hỏi {=Một ~Hai ~Ba}");
        assert_eq!(answers_differ(&vi, &one("::q:: Question {=One ~Two ~Three}")), None);
        assert!(
            answers_differ(&vi, &one("::q:: Question {=One ~Two}"))
                .unwrap()
                .contains("2 answers")
        );
        assert!(
            answers_differ(&vi, &one("::q:: Question {~One =Two ~Three}"))
                .unwrap()
                .contains("answer 1")
        );
        assert!(
            answers_differ(&vi, &one("::q:: Question {T}"))
                .unwrap()
                .contains("true/false")
        );
        assert!(answers_differ(&one("::q:: Đúng? {T}"), &one("::q:: True? {F}")).is_some());
        assert_eq!(
            answers_differ(&one("::q:: Số? {#5:1}"), &one("::q:: Number? {#5:1}")),
            None
        );
        assert!(answers_differ(&one("::q:: Số? {#5:1}"), &one("::q:: Number? {#6:1}")).is_some());
        assert_eq!(
            answers_differ(&one("::q:: Tên? {=gà}"), &one("::q:: Name? {=chicken =hen}")),
            None
        );
        let m = one("::q:: Ghép {=Hà Nội -> Việt Nam =Paris -> Pháp =Huế -> Việt Nam}");
        assert_eq!(
            answers_differ(
                &m,
                &one("::q:: Match {=Hanoi -> Vietnam =Paris -> France =Hue -> Vietnam}")
            ),
            None
        );
        assert!(
            answers_differ(
                &m,
                &one("::q:: Match {=Hanoi -> Vietnam =Paris -> France =Hue -> Laos}")
            )
            .is_some(),
            "Huế no longer shares Hà Nội's answer"
        );
    }

    #[test]
    fn an_english_view_keeps_the_vietnamese_ids_and_order_and_grades_alike() {
        let vi = one("::q:: Câu hỏi {=Một ~Hai ~Ba}");
        let en = one("::q:: Question {=One ~Two ~Three}");
        let key = 99;
        let view_vi = public_view(&vi, key).shuffled(7);
        let view_en = translate_view(view_vi.clone(), &vi, &en);
        assert_eq!(view_en.text, "Question");
        let (PublicKind::MultipleChoice { choices: a, .. }, PublicKind::MultipleChoice { choices: b, .. }) =
            (&view_vi.kind, &view_en.kind)
        else {
            panic!()
        };
        let pairs: Vec<(&str, &str, &str)> = a
            .iter()
            .zip(b)
            .map(|(x, y)| (x.id.as_str(), x.text.as_str(), y.text.as_str()))
            .collect();
        for (ida, ta, tb) in &pairs {
            let id_b = &b.iter().find(|c| c.text == *tb).unwrap().id;
            assert_eq!(ida, id_b, "{ta} and {tb} share an id");
            let expected = match *ta {
                "Một" => "One",
                "Hai" => "Two",
                _ => "Three",
            };
            assert_eq!(*tb, expected);
        }

        // Matching: the English right-hand words stand where the Vietnamese ones stood, and a
        // response read back for the twin grades the same.
        let vi = one("::q:: Ghép {=Hà Nội -> Việt Nam =Paris -> Pháp =Roma -> Ý}");
        let en = one("::q:: Match {=Hanoi -> Vietnam =Paris -> France =Rome -> Italy}");
        let view = translate_view(public_view(&vi, key), &vi, &en);
        let PublicKind::Matching { left, right } = &view.kind else {
            panic!()
        };
        let answer_to = |l: &str| {
            let li = left.iter().find(|x| x.text == l).unwrap().index;
            (li, right.iter().find(|x| x.text == en_pair(&en, li)).unwrap().index)
        };
        let r = Response::Matching(vec![answer_to("Hanoi"), answer_to("Paris"), answer_to("Rome")]);
        assert!(
            grade(&vi, &r).correct,
            "the Vietnamese key grades the English view's picks"
        );
        assert!(grade(&en, &response_for_twin(&r, &vi, &en)).correct);
    }

    fn en_pair(en: &Question, i: usize) -> String {
        let QuestionKind::Matching { pairs } = &en.kind else {
            panic!()
        };
        pairs[i].answer.clone()
    }

    #[test]
    fn a_short_answer_accepts_either_language() {
        let vi = one("::q:: Con vật? {=gà #Đúng =%0%* #Sai}");
        let en = one("::q:: Animal? {=chicken #Right}");
        let both = accepting_twin(&vi, &en).unwrap();
        assert!(grade(&both, &Response::Text("gà".into())).correct);
        assert!(grade(&both, &Response::Text("Chicken".into())).correct);
        assert_eq!(
            grade(&both, &Response::Text("dog".into())).feedback,
            vec!["Sai".to_string()]
        );
        assert_eq!(accepting_twin(&one("::q:: A {T}"), &one("::q:: A {T}")), None);
    }
}
