//! A course in a list: title, summary and the facts a learner or trainer scans for.

use crate::api::catalog::CourseSummary;
use crate::i18n::{Lang, T};
use leptos::prelude::*;

#[component]
pub fn CourseCard(course: CourseSummary, #[prop(optional)] show_version: bool) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let minutes = course
        .estimated_minutes
        .map(|m| format!(" · {m} {}", T::Minutes.get(lang)));
    view! {
        <article class="card course-card" data-course=course.id.clone()>
            <h3><a href=format!("/courses/{}", course.id)>{course.title.clone()}</a></h3>
            <p class="meta">
                {course.lessons}" "{T::Lessons.get(lang)}{minutes}" · "
                {T::PassMark.get(lang)}" "{course.pass_mark}"%"
            </p>
            <p>{course.summary.clone()}</p>
            {show_version.then(|| view! {
                <p class="meta">
                    {T::Version.get(lang)}" "{course.version.clone()}" · "<code>{course.short_hash.clone()}</code>
                    " · "{T::ExamPool.get(lang)}": "{course.exam_pool}" "{T::Questions.get(lang)}
                </p>
                {(course.exam_pool > 0).then(|| view! {
                    <p><a href=format!("/courses/{}/questions", course.id)>{T::QuestionBankLink.get(lang)}</a></p>
                })}
            })}
        </article>
    }
}
