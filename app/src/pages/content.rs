//! `/content`: the trainer's view of the course library.

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
            <h1>{T::NavContent.get(lang)}</h1>
            <p class="lead">{T::ContentLead.get(lang)}</p>
        </RequireRole>
    }
}
