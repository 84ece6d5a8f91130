//! The question bank of a course with each question's statistics, for its trainers and the admin:
//! the only place outside grading where the answer key leaves the server, and only to them.

use super::error::ApiError;
pub use crate::domain::itemstats::Flag;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One choice of a choice question and how often it was picked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChoiceLine {
    pub text: String,
    /// Earns credit.
    pub key: bool,
    pub picked: usize,
}

/// One exam question and how it behaves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionLine {
    pub name: String,
    pub text: String,
    /// Where to change it: `exam.md:LINE`.
    pub at: String,
    /// The editor open at its file.
    pub edit: String,
    pub exposure: usize,
    pub facility: Option<f64>,
    pub discrimination: Option<f64>,
    pub point_biserial: Option<f64>,
    /// Mean seconds spent on it (`domain::itemstats::time_per_question`).
    pub mean_seconds: Option<f64>,
    pub unanswered: usize,
    pub choices: Vec<ChoiceLine>,
    pub flags: Vec<Flag>,
    /// The lesson that teaches it, as a link.
    pub lesson: Option<String>,
}

/// A course's exam questions with their statistics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionBank {
    pub course_id: String,
    pub course_title: String,
    /// Submitted attempts counted.
    pub attempts: usize,
    /// Questions drawn per attempt.
    pub draw: u32,
    pub questions: Vec<QuestionLine>,
}

/// The exam questions of `course` with their statistics (the admin, and trainers of the course).
#[server(endpoint = "question_stats")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "question_stats"))
)]
pub async fn question_stats(course: String) -> Result<QuestionBank, ApiError> {
    use crate::api::guard;
    use crate::domain::gift::QuestionKind;
    use crate::domain::identity::Role;
    use crate::i18n::T;
    use crate::ssr::itemstats;
    let lang = crate::i18n::request_lang();
    let (state, user) = guard::require(&[Role::Trainer, Role::Admin]).await?;
    if !itemstats::may_see(&user, &course) {
        return Err(guard::refuse(ApiError::Forbidden));
    }
    let loaded = state.content.get();
    let Some((c, exam)) = loaded
        .library
        .course(&course)
        .and_then(|c| c.exam.as_ref().map(|e| (c, e)))
    else {
        return Err(guard::refuse(ApiError::NotFound));
    };
    let (stats, attempts) = itemstats::course_stats(&state.db, exam, &course)
        .await
        .map_err(guard::internal)?;
    let questions = exam
        .pool
        .iter()
        .zip(stats)
        .map(|(item, s)| {
            let choices: Vec<(String, bool)> = match &item.question.kind {
                QuestionKind::MultipleChoice { choices, .. } => {
                    choices.iter().map(|c| (c.text.clone(), c.fraction > 0.0)).collect()
                }
                QuestionKind::TrueFalse { answer, .. } => {
                    vec![
                        (T::True.get(lang).into(), *answer),
                        (T::False.get(lang).into(), !*answer),
                    ]
                }
                _ => vec![],
            };
            QuestionLine {
                name: s.name,
                text: item.question.text.clone(),
                at: format!("{course}/exam.md:{}", item.question.line),
                edit: format!("/content/{course}?file=exam.md"),
                exposure: s.exposure,
                facility: s.facility,
                discrimination: s.discrimination,
                point_biserial: s.point_biserial,
                mean_seconds: s.mean_seconds,
                unanswered: s.unanswered,
                choices: choices
                    .into_iter()
                    .zip(s.chosen.into_iter().chain(std::iter::repeat(0)))
                    .map(|((text, key), picked)| ChoiceLine { text, key, picked })
                    .collect(),
                flags: s.flags,
                lesson: item.lesson.as_ref().map(|l| {
                    let anchor = l.anchor.as_deref().map(|a| format!("#{a}")).unwrap_or_default();
                    format!("/courses/{course}/lessons/{}{anchor}", l.number)
                }),
            }
        })
        .collect();
    Ok(QuestionBank {
        course_id: course.clone(),
        course_title: c.meta.title.clone(),
        attempts,
        draw: exam.settings.draw,
        questions,
    })
}
