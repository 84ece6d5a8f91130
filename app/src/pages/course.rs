//! `/courses/:course`: a course's introduction, its lessons with what I have read, where to
//! resume, my exam status and certificate, and the way into the exam.

use crate::api::learning::load_course;
use crate::components::icon::{Ico, Icon};
use crate::components::loaded::{Loaded, page_resource};
use crate::components::session::RequireRole;
use crate::components::untranslated::{Untranslated, text_lang};
use crate::domain::identity::Role;
use crate::i18n::{Lang, T};
use crate::pages::learn::exam_status_text;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CoursePage() -> impl IntoView {
    view! {
        <RequireRole roles=&Role::ALL>
            <CourseBody/>
        </RequireRole>
    }
}

#[component]
fn CourseBody() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let params = use_params_map();
    let course = move || params.read().get("course").unwrap_or_default();
    let detail = page_resource(course, load_course);
    view! {
        <Loaded resource=detail view=move |d| {
                        let id = d.summary.id.clone();
                        let resume = d.progress.as_ref().and_then(|p| p.resume);
                        let started = d.progress.as_ref().is_some_and(|p| p.lessons_read > 0);
                        // The exam is the next step once every lesson is read (and the course is
                        // not done, or is open again for recertification); before that it is locked.
                        let locked = d.progress.as_ref().is_some_and(|p| p.lessons_read < p.lessons_total);
                        let done = d.progress.as_ref().is_some_and(|p| p.complete && !p.recertify);
                        let exam_next = d.has_exam && d.progress.is_some() && !locked && !done;
                        let just_finished = exam_next
                            && leptos_router::hooks::use_query_map().get_untracked().get("read").as_deref() == Some("all");
                        view! {
                            <Title text=d.summary.title.clone()/>
                            <p class="crumbs"><a href="/learn">{T::NavLearn.get(lang)}</a></p>
                            <h1>{d.summary.title.clone()}</h1>
                            <p class="lead">{d.summary.summary.clone()}</p>
                            {d.due.clone().map(|due| view! { <p class="meta">{T::Due.get(lang)}": "<strong>{due}</strong></p> })}
                            {d.progress.clone().map(|p| view! {
                                <div class="stats">
                                    <div class="stat"><span class="label">{T::LessonsRead.get(lang)}</span><strong>{p.lessons_read}"/"{p.lessons_total}</strong></div>
                                    <div class="stat"><span class="label">{T::Exam.get(lang)}</span><strong>{exam_status_text(&p, lang)}</strong></div>
                                    {p.certificate.clone().map(|n| view! {
                                        <div class="stat"><span class="label">{T::Certificate.get(lang)}</span>
                                            <a href=format!("/certificates/{n}")>{n.clone()}</a>
                                        </div>
                                    })}
                                </div>
                                {p.recertify.then(|| view! { <p class="alert">{T::Recertify.get(lang)}</p> })}
                            })}
                            {just_finished.then(|| view! {
                                <div class="alert ok" role="status">
                                    <p><strong>{T::AllLessonsRead.get(lang)}</strong>" "{T::ExamNowOpen.get(lang)}</p>
                                </div>
                            })}
                            {exam_next.then(|| view! {
                                <p><a class="button primary" href=format!("/courses/{id}/exam")>{T::TakeExam.get(lang)}<Ico icon=Icon::Arrow/></a></p>
                            })}
                            {resume.map(|n| view! {
                                <p><a class="button primary" href=format!("/courses/{id}/lessons/{n}")>
                                    {if started { T::Continue } else { T::StartCourse }.get(lang)}" — "{T::LessonOf.get(lang)}" "{n}
                                    <Ico icon=Icon::Arrow/>
                                </a></p>
                            })}
                            <div class="split">
                                <section class="card">
                                    <h2>{T::LessonList.get(lang)}</h2>
                                    <ol class="lessons">
                                        {d.lessons.clone().into_iter().map(|l| {
                                            let href = format!("/courses/{}/lessons/{}", id, l.number);
                                            view! {
                                                <li class:read=l.read>
                                                    <a href=href>{l.title}</a>
                                                    {l.minutes.map(|m| view! { <span class="muted">" · "{m}" "{T::Minutes.get(lang)}</span> })}
                                                    " "
                                                    <span class=if l.read { "tag ok" } else { "tag" }>
                                                        {if l.read { T::Read } else { T::NotRead }.get(lang)}
                                                    </span>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ol>
                                </section>
                                <section class="card">
                                    <h2>{T::Exam.get(lang)}</h2>
                                    {if d.has_exam {
                                        view! {
                                            <p>{d.exam_title.clone()}</p>
                                            <p class="meta">
                                                {T::PassMark.get(lang)}" "{d.summary.pass_mark}"% · "
                                                {d.summary.exam_draw}" "{T::Questions.get(lang)}
                                                {d.time_limit_minutes.map(|m| format!(" · {m} {}", T::Minutes.get(lang)))}
                                            </p>
                                            {if !locked {
                                                view! { <p><a class="button" href=format!("/courses/{id}/exam")>{T::Exam.get(lang)}</a></p> }.into_any()
                                            } else {
                                                // Locked until every lesson is read: said, not just greyed.
                                                view! {
                                                    <p class="locked">
                                                        <span class="button" aria-disabled="true">
                                                            <Ico icon=Icon::Lock size=14/>
                                                            {T::Exam.get(lang)}
                                                        </span>
                                                        <span class="muted">{T::ExamLockedHint.get(lang)}</span>
                                                    </p>
                                                }.into_any()
                                            }}
                                        }.into_any()
                                    } else {
                                        view! { <p class="muted">{T::ExamNone.get(lang)}</p> }.into_any()
                                    }}
                                </section>
                            </div>
                            <Untranslated fallback=d.fallback/>
                            <section class="card prose" lang=text_lang(d.fallback) inner_html=d.intro_html.clone()></section>
                        }.into_any()
                    }/>
    }
}
