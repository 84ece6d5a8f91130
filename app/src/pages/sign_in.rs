//! `/sign-in`: a plain HTML form posted to `/auth/sign-in`, so it works before (and without)
//! the wasm; the server answers with a redirect either way.

use crate::components::session::use_session;
use crate::i18n::{Lang, T};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignIn() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let session = use_session();
    let query = use_query_map();
    let error = move || query.read().get("error").is_some();
    let signed_out = move || query.read().get("signed_out").is_some();
    let next = move || query.read().get("next").unwrap_or_default();
    view! {
        <Title text=T::SignIn.get(lang)/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                session.user().await.map(|u| view! { <Redirect path=u.role.home_path()/> })
            })}
        </Suspense>
        <div class="signin-wrap">
            <section class="signin-intro">
                <h1>{T::SignInTitle.get(lang)}</h1>
                <p>{T::SignInLead.get(lang)}</p>
            </section>
            <form class="card signin" method="post" action="/auth/sign-in">
                <h2>{T::SignIn.get(lang)}</h2>
                {move || error().then(|| view! {
                    <p class="alert error" role="alert" id="signin-error">{T::WrongPassword.get(lang)}</p>
                })}
                {move || signed_out().then(|| view! {
                    <p class="alert info" role="status">{T::SignedOut.get(lang)}</p>
                })}
                <input type="hidden" name="next" prop:value=next/>
                <label for="username">{T::Username.get(lang)}</label>
                <input id="username" name="username" type="text" autocomplete="username" required autofocus/>
                <label for="password">{T::Password.get(lang)}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required/>
                <button type="submit" class="button primary">{T::SignIn.get(lang)}</button>
            </form>
        </div>
    }
}
