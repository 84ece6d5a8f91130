//! `/learn`: the learner's home — the course library they train with.

use crate::api::catalog::list_courses;
use crate::components::course_card::CourseCard;
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
    let courses = Resource::new(|| (), |_| list_courses());
    view! {
        <h1>{T::WelcomeLearner.get(lang)}</h1>
        <p class="lead">{T::LearnLead.get(lang)}</p>
        <h2>{T::Courses.get(lang)}</h2>
        <Suspense fallback=move || view! { <p class="muted">{T::Loading.get(lang)}</p> }>
            {move || Suspend::new(async move {
                match courses.await {
                    Err(e) => view! { <p class="alert error">{e.message(lang)}</p> }.into_any(),
                    Ok(list) => view! {
                        <div class="courses">
                            {list.into_iter().map(|c| view! { <CourseCard course=c/> }).collect_view()}
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
