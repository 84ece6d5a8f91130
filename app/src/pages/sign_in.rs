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
    let error = move || query.read().get("error");
    // The wait a throttled sign-in was told, in whole seconds (the server decides; this only shows it).
    let wait = move || {
        query
            .read()
            .get("wait")
            .and_then(|w| w.parse::<i64>().ok())
            .filter(|w| *w > 0)
    };
    let wait_text = move |lang: Lang| match wait() {
        Some(s) if s >= 120 => format!("{} {}", (s + 59) / 60, T::Minutes.get(lang)),
        Some(s) => format!("{s} {}", T::Seconds.get(lang)),
        None => String::new(),
    };
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
                {move || error().map(|e| {
                    let text = match e.as_str() {
                        "throttled" => format!(
                            "{} {} {}",
                            T::TooManyAttempts.get(lang),
                            wait_text(lang),
                            T::ThenTryAgain.get(lang)
                        ),
                        "busy" => T::ServerBusy.get(lang).to_string(),
                        _ => T::WrongPassword.get(lang).to_string(),
                    };
                    view! { <p class="alert error" role="alert" id="signin-error">{text}</p> }
                })}
                {move || signed_out().then(|| view! {
                    <p class="alert info" role="status">{T::SignedOut.get(lang)}</p>
                })}
                // `value`, not `prop:value`: the attribute is what a form posts with JavaScript off.
                <input type="hidden" name="next" value=next/>
                <label for="username">{T::Username.get(lang)}</label>
                <input id="username" name="username" type="text" autocomplete="username" required autofocus/>
                <label for="password">{T::Password.get(lang)}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required/>
                <button type="submit" class="button primary">{T::SignIn.get(lang)}</button>
                <p class="muted">{T::FirstSignIn.get(lang)}" "<a href="/activate">{T::ActivateLink.get(lang)}</a></p>
            </form>
        </div>
    }
}
