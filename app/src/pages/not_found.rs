//! The 404 page, with the right status code on the server.

use crate::i18n::{Lang, T};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    let lang = expect_context::<Lang>();
    view! {
        <Title text=T::NotFoundTitle.get(lang)/>
        <section class="card narrow center">
            <p class="big-code" aria-hidden="true">"404"</p>
            <h1>{T::NotFoundTitle.get(lang)}</h1>
            <p>{T::NotFoundBody.get(lang)}</p>
            <a class="button" href="/">{T::BackHome.get(lang)}</a>
        </section>
    }
}
