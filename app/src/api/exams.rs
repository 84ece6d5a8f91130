//! Exams: the exam page of a course (rules, my attempts, whether I may start, and the open
//! attempt's questions) and the result of a submitted attempt with review as the course allows.
//!
//! Before a submission only `grading::public_view`s leave the server: no fractions, feedback,
//! right answers or numeric values, and never the pool — only the attempt's drawn questions.
//! Starting and submitting are form posts handled in `ssr::forms`.

use super::error::ApiError;
use crate::domain::exam::Refusal;
use crate::domain::grading::PublicQuestion;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One attempt as listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptRow {
    pub id: i64,
    pub number: i32,
    /// `dd/mm/yyyy HH:MM` (UTC+7).
    pub started: String,
    pub submitted: bool,
    pub score: Option<i32>,
    pub passed: Option<bool>,
    pub late: bool,
}

/// A drawn question of the open attempt, key-free.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExamQuestion {
    /// Position in the attempt: form fields are `q<position>…`.
    pub position: usize,
    /// The question's name (its stable id, not a key).
    pub name: String,
    pub question: PublicQuestion,
}

/// The attempt in progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenAttempt {
    pub id: i64,
    pub number: i32,
    /// The submission sequence number to send (idempotency key with `id`).
    pub seq: i32,
    /// `HH:MM` (UTC+7) when time runs out.
    pub deadline: Option<String>,
    pub seconds_left: Option<i64>,
    pub questions: Vec<ExamQuestion>,
    /// The answers saved so far (form fields), filled back in.
    pub draft: Vec<(String, String)>,
    /// `dd/mm/yyyy HH:MM` (UTC+7) of the last save.
    pub draft_saved_at: Option<String>,
}

/// `/courses/:course/exam`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExamPage {
    pub course_id: String,
    pub course_title: String,
    pub title: String,
    pub intro_html: String,
    /// The reader asked for English and the exam has no English twin: shown in Vietnamese.
    pub fallback: bool,
    pub draw: u32,
    pub pass_mark: u8,
    pub max_attempts: u32,
    pub cooldown_minutes: u32,
    pub time_limit_minutes: Option<u32>,
    pub attempts: Vec<AttemptRow>,
    /// Attempts used in the current cycle (since the last completion).
    pub used: u32,
    pub open: Option<OpenAttempt>,
    /// Why I may not start now; `None` = I may (or an attempt is open).
    pub refusal: Option<Refusal>,
    /// `dd/mm/yyyy HH:MM` (UTC+7) when a cooldown ends.
    pub cooldown_until: Option<String>,
    pub certificate: Option<String>,
    /// For a trainer without an official's record: a draw as a learner would see it (nothing
    /// recorded, no start). Empty for a learner.
    pub preview: Vec<ExamQuestion>,
    /// A recertification I owe (after a substantive change): its short exam's number of
    /// questions. A new attempt is that short exam.
    pub recert_draw: Option<u32>,
}

/// One question of a submitted attempt, for review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub position: usize,
    pub text: String,
    pub your_answer: String,
    pub correct: bool,
    pub percent: u32,
    pub feedback: Vec<String>,
    /// For a missed question: the lesson (and section) that teaches it.
    pub lesson: Option<LessonLink>,
}

/// A lesson of the course to (re)read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LessonLink {
    pub number: u32,
    pub title: String,
    pub href: String,
    /// How many missed questions it teaches.
    pub missed: u32,
}

/// `/courses/:course/exam/attempts/:id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptResult {
    pub course_id: String,
    pub course_title: String,
    pub number: i32,
    pub score: i32,
    pub passed: bool,
    pub pass_mark: u8,
    pub late: bool,
    pub submitted: String,
    /// `None` when the course's `review` setting hides it now.
    pub review: Option<Vec<ReviewItem>>,
    pub certificate: Option<String>,
    /// After a failed attempt: what the learner can do next.
    pub next: Option<NextAttempt>,
    /// After a failed attempt: the lessons that teach the questions I missed (shown even when
    /// the review is hidden: it names lessons, never questions or answers).
    pub reread: Vec<LessonLink>,
}

/// What a learner who failed can do next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum NextAttempt {
    /// Start another attempt now; `left` attempts remain (None: no limit).
    Now { left: Option<u32> },
    /// Another attempt opens at this time (`dd/mm/yyyy HH:MM`); `left` remain.
    After { at: String, left: Option<u32> },
    /// An attempt is already open: go on with it.
    Open,
    /// Every attempt is used.
    NoneLeft,
}

/// A time shown to officials, in the configured zone (`ssr::clock`).
#[cfg(feature = "ssr")]
pub(crate) fn local(t: chrono::DateTime<chrono::Utc>) -> String {
    crate::ssr::clock::format_local(t)
}

/// The exam of a course as I see it now.
#[server(endpoint = "exam_page")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "exam_page"))
)]
pub async fn load_exam(course: String) -> Result<ExamPage, ApiError> {
    use crate::api::guard;
    use crate::domain::exam::Start;
    use crate::domain::identity::Role;
    use crate::ssr::attempts;
    let lang = crate::i18n::request_lang();
    let (state, user) = guard::require(&Role::ALL).await?;
    let loaded = state.content.get();
    let c = match (loaded.library.course(&course), user.person_id) {
        (Some(c), _) => c,
        // Only a learner, or a trainer of every course, learns that a course does not exist.
        (None, Some(_)) => return Err(guard::refuse(ApiError::NotFound)),
        (None, None) if crate::ssr::itemstats::may_see(&user, &course) => {
            return Err(guard::refuse(ApiError::NotFound));
        }
        (None, None) => return Err(guard::refuse(ApiError::Forbidden)),
    };
    let exam = c.exam.as_ref().ok_or_else(|| guard::refuse(ApiError::NotFound))?;
    let shown = c.exam_in(lang).ok_or_else(|| guard::refuse(ApiError::NotFound))?;
    // The exam's rules, the same for everyone; the rest is the reader's own.
    let rules = ExamPage {
        course_id: c.id.as_str().to_string(),
        course_title: c.title_in(lang).to_string(),
        title: shown.page.settings.title.clone(),
        intro_html: shown.page.intro_html.clone(),
        fallback: shown.fallback,
        draw: exam.settings.draw,
        pass_mark: c.exam_pass_mark().percent(),
        max_attempts: exam.settings.max_attempts,
        cooldown_minutes: attempts::limits(&state, c).map_or(0, |l| l.cooldown_minutes),
        time_limit_minutes: exam.settings.time_limit_minutes,
        attempts: vec![],
        used: 0,
        open: None,
        refusal: None,
        cooldown_until: None,
        certificate: None,
        preview: vec![],
        recert_draw: None,
    };
    let Some(pid) = user.person_id else {
        // A trainer of the course (or the admin) with no official's record previews the exam:
        // one draw as a learner would see it, in the reader's language. Nothing is recorded.
        if !crate::ssr::itemstats::may_see(&user, c.id.as_str()) {
            return Err(guard::refuse(ApiError::Forbidden));
        }
        let preview = attempts::preview_questions(c, lang)
            .into_iter()
            .map(|(position, name, question)| ExamQuestion {
                position,
                name,
                question,
            })
            .collect();
        return Ok(ExamPage { preview, ..rules });
    };
    let now = crate::ssr::clock::now();
    let facts = attempts::start_facts(&state.db, &state, pid, c, now)
        .await
        .map_err(guard::internal)?;
    let all = crate::ssr::learning::attempts_of(&state.db, pid).await?;
    let certificate = crate::ssr::learning::certificates_of(&state.db, pid).await?;
    let certificate = crate::ssr::learning::current_certificate(&certificate, c.id.as_str()).map(|x| x.number.clone());
    let (open, refusal) = match &facts.decision {
        Start::Resume { attempt_no } => {
            let a = facts.cycle.iter().find(|a| a.attempt_no == *attempt_no as i32);
            // A damaged attempt row is an error (logged with this request), never an empty exam.
            let open = match a {
                None => None,
                Some(a) => Some(OpenAttempt {
                    id: a.id,
                    number: a.attempt_no,
                    seq: a.submit_seq.unwrap_or(0) + 1,
                    deadline: a.deadline.map(local),
                    seconds_left: a.deadline.map(|d| (d - now).num_seconds().max(0)),
                    draft: a.draft_fields()?,
                    draft_saved_at: a.draft_saved_at.map(local),
                    questions: attempts::public_questions(c, a, lang)?
                        .into_iter()
                        .map(|(position, name, question)| ExamQuestion {
                            position,
                            name,
                            question,
                        })
                        .collect(),
                }),
            };
            (open, None)
        }
        Start::New { .. } => (None, None),
        Start::Refused(r) => (None, Some(r.clone())),
    };
    let cooldown_until = match &refusal {
        Some(Refusal::CoolingDown { until }) => Some(local(*until)),
        _ => None,
    };
    Ok(ExamPage {
        attempts: all
            .iter()
            .filter(|a| a.course_id == c.id.as_str())
            .map(|a| AttemptRow {
                id: a.id,
                number: a.attempt_no,
                started: local(a.started_at),
                submitted: a.submitted_at.is_some(),
                score: a.score_percent,
                passed: a.passed,
                late: a.late,
            })
            .collect(),
        used: facts.cycle.len() as u32,
        recert_draw: facts.recert.as_ref().map(|r| u32::try_from(r.draw).unwrap_or(1)),
        open,
        refusal,
        cooldown_until,
        certificate,
        ..rules
    })
}

/// The result of one of my submitted attempts, with review when the course allows it.
#[server(endpoint = "attempt_result")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "attempt_result"))
)]
pub async fn load_attempt_result(course: String, attempt: i64) -> Result<AttemptResult, ApiError> {
    use crate::api::guard;
    use crate::domain::content::Review;
    use crate::domain::exam::GradedItem;
    use crate::domain::grading::{PublicKind, Response, public_view};
    use crate::domain::identity::Role;
    use crate::i18n::T;
    let lang = crate::i18n::request_lang();
    let (state, user) = guard::require(&Role::ALL).await?;
    let pid = user.person_id.ok_or_else(|| guard::refuse(ApiError::Forbidden))?;
    let a = crate::ssr::attempts::submitted(&state.db, pid, &course, attempt)
        .await?
        .ok_or_else(|| guard::refuse(ApiError::NotFound))?;
    let loaded = state.content.get();
    let c = loaded
        .library
        .course(&course)
        .ok_or_else(|| guard::refuse(ApiError::NotFound))?;
    let passed = a.passed == Some(true);
    let review_allowed = match c.exam.as_ref().map(|e| e.settings.review) {
        Some(Review::AfterSubmit) => true,
        Some(Review::AfterPass) => passed,
        _ => false,
    };
    let graded: Vec<GradedItem> = a.graded()?.unwrap_or_default();
    let pool = c.exam.as_ref().map(|e| e.pool.as_slice()).unwrap_or_default();
    // The twin's pointer for an English reader: its anchor is the English lesson's.
    let pointer_of = |name: &str| {
        c.exam_twin(name, lang)
            .and_then(|t| t.lesson.as_ref())
            .or_else(|| pool.iter().find(|i| i.name() == name).and_then(|i| i.lesson.as_ref()))
    };
    let link = |number: u32, anchor: Option<&str>, missed: u32| {
        let title = c.lesson_in(number, lang)?.page.title.clone();
        Some(LessonLink {
            number,
            title,
            href: format!(
                "/courses/{}/lessons/{number}{}",
                c.id.as_str(),
                anchor.map(|a| format!("#{a}")).unwrap_or_default()
            ),
            missed,
        })
    };
    let reread = if passed {
        Vec::new()
    } else {
        crate::domain::exam::lessons_to_reread(graded.iter().filter(|g| !g.correct).filter_map(|g| pointer_of(&g.name)))
            .into_iter()
            .filter_map(|r| link(r.number, r.anchor.as_deref(), r.missed))
            .collect()
    };
    let review = review_allowed.then(|| {
        graded
            .iter()
            .enumerate()
            .map(|(position, g)| {
                let item = pool.iter().find(|i| i.name() == g.name);
                let twin = c.exam_twin(&g.name, lang);
                // Any key: only the server-side indices are read here.
                let q = item.map(|i| match twin {
                    Some(t) => {
                        crate::domain::twin::translate_view(public_view(&i.question, 0), &i.question, &t.question)
                    }
                    None => public_view(&i.question, 0),
                });
                // The feedback in the reader's language: the twin's, for the same answer.
                let feedback = match (item, twin, &g.response) {
                    (Some(i), Some(t), Some(r))
                        if crate::domain::twin::answers_differ(&i.question, &t.question).is_none() =>
                    {
                        let r = crate::domain::twin::response_for_twin(r, &i.question, &t.question);
                        let said = crate::domain::grading::grade(&t.question, &r);
                        // A short answer given in Vietnamese keeps its Vietnamese feedback.
                        if (said.fraction - g.fraction).abs() < 1e-9 {
                            said.feedback
                        } else {
                            g.feedback.clone()
                        }
                    }
                    _ => g.feedback.clone(),
                };
                let your_answer = match (&q, &g.response) {
                    (_, None) => String::new(),
                    (Some(q), Some(r)) => match (&q.kind, r) {
                        (PublicKind::MultipleChoice { choices, .. }, Response::Choice(picked)) => choices
                            .iter()
                            .filter(|c| picked.contains(&c.index))
                            .map(|c| c.text.clone())
                            .collect::<Vec<_>>()
                            .join("; "),
                        (PublicKind::Matching { left, right }, Response::Matching(pairs)) => pairs
                            .iter()
                            .filter_map(|(l, r)| {
                                let l = left.iter().find(|x| x.index == *l)?;
                                let r = right.iter().find(|x| x.index == *r)?;
                                Some(format!("{} → {}", l.text, r.text))
                            })
                            .collect::<Vec<_>>()
                            .join("; "),
                        (_, Response::TrueFalse(b)) => if *b { T::True } else { T::False }.get(lang).to_string(),
                        (_, Response::Text(t)) => t.clone(),
                        (_, Response::Number(n)) => n.to_string(),
                        _ => String::new(),
                    },
                    (None, Some(_)) => String::new(),
                };
                ReviewItem {
                    position,
                    text: q.map(|q| q.text).unwrap_or_default(),
                    your_answer,
                    correct: g.correct,
                    percent: (g.fraction * 100.0).round() as u32,
                    feedback,
                    lesson: (!g.correct)
                        .then(|| pointer_of(&g.name))
                        .flatten()
                        .and_then(|p| link(p.number, p.anchor.as_deref(), 1)),
                }
            })
            .collect()
    });
    let certificate = crate::ssr::attempts::certificate_earned(&state.db, a.id).await?;
    let next = if passed {
        None
    } else {
        use crate::domain::exam::Start;
        let facts = crate::ssr::attempts::start_facts(&state.db, &state, pid, c, crate::ssr::clock::now())
            .await
            .map_err(guard::internal)?;
        let max = c.exam.as_ref().map_or(0, |e| e.settings.max_attempts);
        let left = (max > 0).then(|| max.saturating_sub(facts.cycle.len() as u32));
        match facts.decision {
            Start::New { .. } => Some(NextAttempt::Now { left }),
            Start::Resume { .. } => Some(NextAttempt::Open),
            Start::Refused(Refusal::CoolingDown { until }) => Some(NextAttempt::After { at: local(until), left }),
            Start::Refused(Refusal::NoAttemptsLeft) => Some(NextAttempt::NoneLeft),
            // Completed meanwhile (another attempt passed), or no exam any more: nothing to offer.
            Start::Refused(_) => None,
        }
    };
    Ok(AttemptResult {
        next,
        reread,
        course_id: c.id.as_str().to_string(),
        course_title: c.title_in(lang).to_string(),
        number: a.attempt_no,
        score: a.score_percent.unwrap_or(0),
        passed,
        pass_mark: c.exam_pass_mark().percent(),
        late: a.late,
        submitted: a.submitted_at.map(local).unwrap_or_default(),
        review,
        certificate,
    })
}
