//! The learner's courses and lessons: what I must take (from the active programs) with my
//! progress, the catalogue of everything else, one course's page, and one lesson with its
//! knowledge checks. Knowledge checks are graded here, on the server, and never counted in the
//! exam; before an answer arrives only the key-free view of a check leaves the server.

use super::catalog::CourseSummary;
use super::error::ApiError;
use crate::domain::content::Heading;
use crate::domain::grading::PublicQuestion;
pub use crate::domain::progress::{ExamStatus, Progress};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A course I must take.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssignedCourse {
    pub course: CourseSummary,
    /// `dd/mm/yyyy`.
    pub due: String,
    pub overdue: bool,
    pub programs: Vec<String>,
    pub progress: Progress,
}

/// `/learn`: assigned courses first, then the rest of the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyCourses {
    pub assigned: Vec<AssignedCourse>,
    /// Everything else, with my progress when I have started it.
    pub others: Vec<(CourseSummary, Option<Progress>)>,
    /// False for an account without an official on the roster (it can browse, not learn).
    pub learner: bool,
}

/// A lesson as listed on its course page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LessonLink {
    pub number: u32,
    pub title: String,
    pub minutes: Option<u32>,
    pub read: bool,
}

/// `/courses/:course`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseDetail {
    pub summary: CourseSummary,
    /// Sanitised at load time.
    pub intro_html: String,
    /// The reader asked for English and the introduction is shown in Vietnamese (no twin).
    pub fallback: bool,
    pub lessons: Vec<LessonLink>,
    pub has_exam: bool,
    pub exam_title: String,
    pub time_limit_minutes: Option<u32>,
    pub max_attempts: u32,
    pub progress: Option<Progress>,
    /// `dd/mm/yyyy` when the course is assigned to me.
    pub due: Option<String>,
}

/// A knowledge check inside a lesson.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    pub index: usize,
    pub question: PublicQuestion,
    /// Present once the learner has answered it (this request).
    pub outcome: Option<CheckOutcome>,
    /// The answer fields as sent, to keep the inputs filled in.
    pub given: Vec<(String, String)>,
}

/// Feedback on one knowledge check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckOutcome {
    pub correct: bool,
    pub percent: u32,
    pub feedback: Vec<String>,
    /// Nothing was chosen or typed.
    pub empty: bool,
}

/// A run of lesson HTML, followed by the knowledge check that stands after it, if any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    pub html: String,
    pub check: Option<Check>,
}

/// `/courses/:course/lessons/:n`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LessonPage {
    pub course_id: String,
    pub course_title: String,
    pub number: u32,
    /// The reader asked for English and this lesson has no English twin: shown in Vietnamese.
    pub fallback: bool,
    pub total: u32,
    pub title: String,
    pub minutes: Option<u32>,
    pub toc: Vec<Heading>,
    pub segments: Vec<Segment>,
    pub prev: Option<(u32, String)>,
    pub next: Option<(u32, String)>,
    pub read: bool,
    /// Whether the viewer can record progress (has an official on the roster).
    pub learner: bool,
}

/// My assigned courses with progress, and the catalogue.
#[server(endpoint = "my_courses")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "my_courses"))
)]
pub async fn load_my_courses() -> Result<MyCourses, ApiError> {
    use crate::api::guard;
    use crate::domain::identity::Role;
    let lang = crate::i18n::request_lang();
    let (state, user) = guard::require(&Role::ALL).await?;
    let loaded = state.content.get();
    let lib = &loaded.library;
    let Some(pid) = user.person_id else {
        return Ok(MyCourses {
            assigned: vec![],
            others: lib.courses.iter().map(|c| (CourseSummary::of(c, lang), None)).collect(),
            learner: false,
        });
    };
    let records = crate::ssr::learning::Records::load(&state.db, pid).await?;
    let today = crate::ssr::clock::today();
    let mut assigned = Vec::new();
    for a in &records.assignments {
        let Some(c) = lib.course(&a.course_id) else { continue };
        assigned.push(AssignedCourse {
            course: CourseSummary::of(c, lang),
            due: crate::i18n::fmt_date(a.due),
            overdue: a.due < today,
            programs: a.programs.clone(),
            progress: records.progress(c, today),
        });
    }
    let others = lib
        .courses
        .iter()
        .filter(|c| !records.assignments.iter().any(|a| a.course_id == c.id.as_str()))
        .map(|c| {
            let p = records.progress(c, today);
            let started = p.lessons_read > 0 || p.exam != ExamStatus::NotTaken;
            (CourseSummary::of(c, lang), started.then_some(p))
        })
        .collect();
    Ok(MyCourses {
        assigned,
        others,
        learner: true,
    })
}

/// One course: intro, lessons (with what I have read), exam entry, my progress.
#[server(endpoint = "course_detail")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "course_detail"))
)]
pub async fn load_course(course: String) -> Result<CourseDetail, ApiError> {
    use crate::api::guard;
    use crate::domain::identity::Role;
    let lang = crate::i18n::request_lang();
    let (state, user) = guard::require(&Role::ALL).await?;
    let loaded = state.content.get();
    let c = loaded
        .library
        .course(&course)
        .ok_or_else(|| guard::refuse(ApiError::NotFound))?;
    let today = crate::ssr::clock::today();
    let intro = c.intro_in(lang);
    let records = match user.person_id {
        Some(pid) => Some(crate::ssr::learning::Records::load(&state.db, pid).await?),
        None => None,
    };
    let read = records.as_ref().map(|r| r.read_in(c.id.as_str())).unwrap_or_default();
    Ok(CourseDetail {
        summary: CourseSummary::of(c, lang),
        intro_html: intro.page.to_string(),
        fallback: intro.fallback,
        lessons: c
            .lessons
            .iter()
            .map(|l| LessonLink {
                number: l.number,
                title: c
                    .lesson_in(l.number, lang)
                    .map_or(l.title.clone(), |s| s.page.title.clone()),
                minutes: l.minutes,
                read: read.contains(&l.number),
            })
            .collect(),
        has_exam: c.exam.is_some(),
        exam_title: c
            .exam_in(lang)
            .map(|e| e.page.settings.title.clone())
            .unwrap_or_default(),
        time_limit_minutes: c.exam.as_ref().and_then(|e| e.settings.time_limit_minutes),
        max_attempts: c.exam.as_ref().map_or(0, |e| e.settings.max_attempts),
        progress: records.as_ref().map(|r| r.progress(c, today)),
        due: records.as_ref().and_then(|r| {
            r.assignments
                .iter()
                .find(|a| a.course_id == c.id.as_str())
                .map(|a| crate::i18n::fmt_date(a.due))
        }),
    })
}

/// One lesson. `query` is the page's query string: when it holds `kc=N` and answer fields
/// (`kN…`, see `domain::exam`), check N is graded and its feedback returned.
#[server(endpoint = "lesson_page")]
#[cfg_attr(
    feature = "ssr",
    tracing::instrument(name = "server_fn", skip_all, fields(endpoint = "lesson_page"))
)]
pub async fn load_lesson(course: String, number: u32, query: String) -> Result<LessonPage, ApiError> {
    use crate::api::guard;
    use crate::domain::exam::response_from_fields;
    use crate::domain::grading::{grade, public_view};
    use crate::domain::identity::Role;
    use std::collections::HashMap;
    let lang = crate::i18n::request_lang();
    let (state, user) = guard::require(&Role::ALL).await?;
    let loaded = state.content.get();
    let c = loaded
        .library
        .course(&course)
        .ok_or_else(|| guard::refuse(ApiError::NotFound))?;
    // The lesson in the reader's language: its English twin (with its own knowledge checks) for
    // an English reader where there is one. Reading either marks the same lesson read.
    let shown = c
        .lesson_in(number, lang)
        .ok_or_else(|| guard::refuse(ApiError::NotFound))?;
    let l = shown.page;
    // Read; and when a recertification the reader owes asks for this lesson again, read in its
    // current version.
    let read = match user.person_id {
        Some(pid) => {
            let rows = crate::ssr::recert::lessons_read(&state.db, pid, c.id.as_str()).await?;
            let again = crate::ssr::recert::owed_for(&state.db, pid, c.id.as_str())
                .await?
                .map(|r| r.lesson_files())
                .transpose()?
                .is_some_and(|v| crate::domain::recert::lesson_numbers(&v, c).contains(&number));
            let hash = c.lessons.iter().find(|x| x.number == number).map(|x| x.hash.as_str());
            rows.iter()
                .any(|(n, h)| *n == number && (!again || Some(h.as_str()) == hash))
        }
        None => false,
    };
    let fields: HashMap<String, String> = form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
        .into_owned()
        .collect();
    let answered: Option<usize> = fields.get("kc").and_then(|s| s.parse().ok());
    // Split the sanitised HTML at the check placeholders the renderer left.
    let mut segments = Vec::new();
    let mut rest = l.html.as_str();
    for (i, item) in l.checks.iter().enumerate() {
        let marker = format!("<div class=\"kc\" data-check=\"{i}\"></div>");
        let Some(at) = rest.find(&marker) else { continue };
        // Knowledge checks earn nothing, but their choice ids are opaque all the same: keyed by
        // the server's secret and the question's content hash, stable between render and check.
        let view = public_view(&item.question, state.config.check_key(&item.hash));
        let prefix = format!("k{i}");
        let (outcome, given) = if answered == Some(i) {
            let given: Vec<(String, String)> = fields
                .iter()
                .filter(|(k, _)| *k == &prefix || k.starts_with(&format!("{prefix}_")))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            let outcome = match response_from_fields(&view.kind, &prefix, &fields) {
                Some(r) => {
                    let g = grade(&item.question, &r);
                    CheckOutcome {
                        correct: g.correct,
                        percent: (g.fraction * 100.0).round() as u32,
                        feedback: g.feedback,
                        empty: false,
                    }
                }
                None => CheckOutcome {
                    correct: false,
                    percent: 0,
                    feedback: vec![],
                    empty: true,
                },
            };
            (Some(outcome), given)
        } else {
            (None, vec![])
        };
        segments.push(Segment {
            html: rest[..at].to_string(),
            check: Some(Check {
                index: i,
                question: view,
                outcome,
                given,
            }),
        });
        rest = &rest[at + marker.len()..];
    }
    segments.push(Segment {
        html: rest.to_string(),
        check: None,
    });
    let link = |n: u32| c.lesson_in(n, lang).map(|x| (n, x.page.title.clone()));
    Ok(LessonPage {
        course_id: c.id.as_str().to_string(),
        course_title: c.title_in(lang).to_string(),
        number,
        fallback: shown.fallback,
        total: c.lessons.len() as u32,
        title: l.title.clone(),
        minutes: l
            .minutes
            .or_else(|| c.lessons.iter().find(|x| x.number == number).and_then(|x| x.minutes)),
        toc: l.toc.iter().filter(|h| h.level >= 2 && h.level <= 3).cloned().collect(),
        segments,
        prev: number.checked_sub(1).and_then(link),
        next: link(number + 1),
        read,
        learner: user.person_id.is_some(),
    })
}
