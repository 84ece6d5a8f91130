//! `/learn`: the learner's home — the courses their programs require, with progress and due
//! dates, then the catalogue of everything else.

use crate::api::learning::{AssignedCourse, ExamStatus, Progress, load_my_courses};
use crate::api::recert::{OwedRecert, my_recertifications};
use crate::components::course_card::CourseCard;
use crate::components::loaded::{Loaded, page_resource};
use crate::components::session::RequireRole;
use crate::domain::identity::Role;
use crate::i18n::{Lang, T};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Learn() -> impl IntoView {
    let lang = expect_context::<Lang>();
    view! {
        <Title text=T::NavLearn.get(lang)/>
        <RequireRole roles=&Role::ALL>
            <LearnBody/>
        </RequireRole>
    }
}

#[component]
fn LearnBody() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let courses = page_resource(|| (), |_| load_my_courses());
    let owed = page_resource(|| (), |_| my_recertifications());
    view! {
        <h1>{T::WelcomeLearner.get(lang)}</h1>
        <p class="lead">{T::LearnLead.get(lang)}</p>
        <Loaded resource=owed view=move |owed| {
            (!owed.is_empty()).then(|| view! {
                <section class="owed" aria-labelledby="owed">
                    <h2 id="owed">{T::OwedTitle.get(lang)}</h2>
                    <p class="muted">{T::OwedLead.get(lang)}</p>
                    <ul class="assigned">
                        {owed.into_iter().map(|o| view! { <OwedRow o/> }).collect_view()}
                    </ul>
                </section>
            })
        }/>
        <Loaded resource=courses view=move |my| view! {
                        {(!my.learner).then(|| view! { <p class="alert">{T::NotALearner.get(lang)}</p> })}
                        {my.learner.then(|| view! {
                            <section aria-labelledby="assigned">
                                <h2 id="assigned">{T::AssignedCourses.get(lang)}</h2>
                                <p class="muted">{T::AssignedLead.get(lang)}</p>
                                {if my.assigned.is_empty() {
                                    view! { <p>{T::NoAssigned.get(lang)}</p> }.into_any()
                                } else {
                                    view! {
                                        <ul class="assigned">
                                            {my.assigned.clone().into_iter().map(|a| view! { <AssignedRow a/> }).collect_view()}
                                        </ul>
                                    }.into_any()
                                }}
                            </section>
                        })}
                        <h2>{if my.learner { T::OtherCourses } else { T::Courses }.get(lang)}</h2>
                        <div class="courses">
                            {my.others.into_iter().map(|(c, _)| view! { <CourseCard course=c/> }).collect_view()}
                        </div>
                    }/>
    }
}

/// The exam part of progress, in words.
pub fn exam_status_text(p: &Progress, lang: Lang) -> String {
    match &p.exam {
        ExamStatus::NoExam => T::ExamNone.get(lang).to_string(),
        ExamStatus::NotTaken => T::ExamNotTaken.get(lang).to_string(),
        ExamStatus::InProgress => T::ExamInProgress.get(lang).to_string(),
        ExamStatus::Failed { best, attempts } => format!(
            "{} ({attempts} {}, {} {best}%)",
            T::ExamFailed.get(lang),
            T::Attempt.get(lang).to_lowercase(),
            T::BestScore.get(lang)
        ),
        ExamStatus::Passed { score } => format!("{} {score}%", T::ExamPassed.get(lang)),
    }
}

#[component]
fn AssignedRow(a: AssignedCourse) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let p = a.progress.clone();
    let href = format!("/courses/{}", a.course.id);
    let percent = (p.lessons_read * 100).checked_div(p.lessons_total).unwrap_or(0);
    let state = if p.recertify {
        view! { <span class="tag warn">{T::Recertify.get(lang)}</span> }.into_any()
    } else if p.complete {
        view! { <span class="tag ok">{T::Completed.get(lang)}</span> }.into_any()
    } else if a.overdue {
        view! { <span class="tag bad">{T::Overdue.get(lang)}</span> }.into_any()
    } else {
        ().into_any()
    };
    view! {
        <li class="card assigned-course" data-course=a.course.id.clone()>
            <div class="assigned-head">
                <h3><a href=href.clone()>{a.course.title.clone()}</a></h3>
                {state}
            </div>
            <p class="meta">{T::Due.get(lang)}": "<strong>{a.due.clone()}</strong>" · "{a.programs.join(", ")}</p>
            <div class="progress-line">
                <span>{T::LessonsRead.get(lang)}": "{p.lessons_read}"/"{p.lessons_total}</span>
                <progress max="100" value=percent.to_string() aria-label=T::LessonsRead.get(lang)></progress>
                <span>{T::Exam.get(lang)}": "{exam_status_text(&p, lang)}</span>
                {p.certificate.clone().map(|n| view! {
                    <a href=format!("/certificates/{n}")>{T::ViewCertificate.get(lang)}</a>
                })}
            </div>
        </li>
    }
}

/// A recertification I owe: why, by when, the lessons to reread, the short exam.
#[component]
fn OwedRow(o: OwedRecert) -> impl IntoView {
    let lang = expect_context::<Lang>();
    view! {
        <li class="card assigned-course recert" data-course=o.course_id.clone()>
            <div class="assigned-head">
                <h3><a href=format!("/courses/{}", o.course_id)>{o.course_title.clone()}</a></h3>
                {if o.overdue {
                    view! { <span class="tag bad">{T::Overdue.get(lang)}</span> }.into_any()
                } else {
                    view! { <span class="tag warn">{T::OwedTitle.get(lang)}</span> }.into_any()
                }}
            </div>
            <p class="meta">{T::OwedReason.get(lang)}": "<strong>{o.reason.clone()}</strong>" · "
                {T::Due.get(lang)}": "<strong>{o.deadline.clone()}</strong></p>
            {(!o.lessons.is_empty()).then(|| view! {
                <p>{T::ToReread.get(lang)}": "</p>
                <ul class="reread">
                    {o.lessons.iter().map(|l| view! {
                        <li>
                            <a href=l.href.clone()>{l.number}". "{l.title.clone()}</a>
                            {l.done.then(|| view! { " "<span class="tag ok">{T::ReadAgainDone.get(lang)}</span> })}
                        </li>
                    }).collect_view()}
                </ul>
            })}
            <p><a class="button" href=format!("/courses/{}/exam", o.course_id)>
                {T::ShortExamLink.get(lang).replace("{n}", &o.draw.to_string())}
            </a></p>
        </li>
    }
}
