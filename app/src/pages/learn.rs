//! `/learn`: the learner's home — their courses.

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
            <h1>{T::WelcomeLearner.get(lang)}</h1>
            <p class="lead">{T::LearnLead.get(lang)}</p>
        </RequireRole>
    }
}
