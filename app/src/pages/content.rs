//! `/content`: the trainer's view of the course library — every course with its version and
//! hash, and every problem the checker found, with its `file:line:col`.

use crate::api::catalog::library_status;
use crate::components::course_card::CourseCard;
use crate::components::loaded::{Loaded, page_resource};
use crate::components::session::RequireRole;
use crate::domain::identity::Role;
use crate::i18n::{Lang, T};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ContentLibrary() -> impl IntoView {
    let lang = expect_context::<Lang>();
    view! {
        <Title text=T::NavContent.get(lang)/>
        <RequireRole roles=&[Role::Trainer, Role::Admin]>
            <ContentBody/>
        </RequireRole>
    }
}

#[component]
fn ContentBody() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let status = page_resource(|| (), |_| library_status());
    view! {
        <h1>{T::NavContent.get(lang)}</h1>
        <p class="lead">{T::ContentLead.get(lang)}</p>
        <Loaded resource=status view=move |s| view! {
                        <h2>{T::ContentProblems.get(lang)}</h2>
                        {if s.diagnostics.is_empty() {
                            view! { <p class="alert ok">{T::NoProblems.get(lang)}</p> }.into_any()
                        } else {
                            view! {
                                <div class="alert error">
                                    {s.diagnostics.into_iter().map(|d| view! { <div class="diag">{d}</div> }).collect_view()}
                                </div>
                            }.into_any()
                        }}
                        <h2>{T::Courses.get(lang)}</h2>
                        <div class="courses">
                            {s.courses.into_iter().map(|c| {
                                let edit = format!("/content/{}", c.id);
                                view! {
                                    <div class="editable">
                                        <CourseCard course=c show_version=true/>
                                        <a class="button small edit-course" href=edit>{T::EditCourse.get(lang)}</a>
                                    </div>
                                }
                            }).collect_view()}
                        </div>
                    }/>
    }
}
