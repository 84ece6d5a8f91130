//! `/activate`: the first sign-in with the code from a printed slip (or a reset code), where the
//! official chooses their own password. A plain form posted to `/auth/activate`, so it works
//! with JavaScript off; the password rules are checked on the server (NIST SP 800-63B: length,
//! not common, not the person's own name) and a refusal comes back here in words.

use crate::components::session::use_session;
use crate::domain::credentials::PasswordProblem;
use crate::i18n::{Lang, T};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn Activate() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let query = use_query_map().get_untracked();
    let username = query.get("u").unwrap_or_default();
    // A reset link from an e-mail carries its code.
    let code = query.get("code").unwrap_or_default();
    let sent = query.get("sent").is_some();
    let session = use_session();
    let wait = query.get("wait").and_then(|w| w.parse::<i64>().ok()).unwrap_or(0);
    let error = query.get("error").map(|e| match e.as_str() {
        "code" => T::BadCode.get(lang).to_string(),
        "nomail" => T::NoMail.get(lang).to_string(),
        "busy" => T::ServerBusy.get(lang).to_string(),
        "throttled" => format!(
            "{} {} {} {}",
            T::TooManyAttempts.get(lang),
            if wait >= 120 { (wait + 59) / 60 } else { wait },
            if wait >= 120 {
                T::Minutes.get(lang)
            } else {
                T::Seconds.get(lang)
            },
            T::ThenTryAgain.get(lang)
        ),
        other => PasswordProblem::from_code(other)
            .map(|p| p.message(lang))
            .unwrap_or_else(|| T::BadCode.get(lang).to_string()),
    });
    view! {
        <Title text=T::ActivateTitle.get(lang)/>
        <div class="signin-wrap">
            <section class="signin-intro">
                <h1>{T::ActivateTitle.get(lang)}</h1>
                <p>{T::ActivateLead.get(lang)}</p>
            </section>
            <form class="card signin" method="post" action="/auth/activate">
                <h2>{T::ActivateTitle.get(lang)}</h2>
                {error.map(|e| view! { <p class="alert error" role="alert" id="activate-error">{e}</p> })}
                {sent.then(|| view! { <p class="alert ok" role="status">{T::ResetLinkSent.get(lang)}</p> })}
                <label for="username">{T::Username.get(lang)}</label>
                <input id="username" name="username" type="text" autocomplete="username" required
                    value=username.clone() autofocus=username.is_empty()/>
                <label for="code">{T::OneTimeCode.get(lang)}</label>
                <input id="code" name="code" type="text" autocomplete="one-time-code" required
                    spellcheck="false" autocapitalize="characters" aria-describedby="code-hint"
                    value=code.clone() autofocus=!username.is_empty() && code.is_empty()/>
                <p class="muted" id="code-hint">{T::OneTimeCodeHint.get(lang)}</p>
                <NewPassword lang/>
                <p class="muted" id="password-hint">{T::NewPasswordHint.get(lang)}</p>
                <button type="submit" class="button primary">{T::SetPasswordAndSignIn.get(lang)}</button>
            </form>
        </div>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let mail = session.info().await.map(|s| s.mail).unwrap_or(false);
                mail.then(|| view! {
                    <form class="card signin forgot" method="post" action="/auth/forgot">
                        <h2>{T::ForgotTitle.get(lang)}</h2>
                        <p class="muted">{T::ForgotLead.get(lang)}</p>
                        <label for="forgot-username">{T::Username.get(lang)}</label>
                        <input id="forgot-username" name="username" type="text" autocomplete="username" required/>
                        <button type="submit" class="button">{T::SendResetLink.get(lang)}</button>
                    </form>
                })
            })}
        </Suspense>
    }
}

/// The new password and its "show" box (an island: the page's only part that runs in the
/// browser).
#[island]
fn NewPassword(lang: Lang) -> impl IntoView {
    let (shown, set_shown) = signal(false);
    view! {
        <label for="new-password">{T::NewPassword.get(lang)}</label>
        <input id="new-password" name="password" autocomplete="new-password" required minlength="8"
            maxlength="128" aria-describedby="password-hint"
            type=move || if shown.get() { "text" } else { "password" }/>
        <label class="check">
            <input type="checkbox" id="show-password"
                on:change=move |ev| set_shown.set(event_target_checked(&ev))/>
            {T::ShowPassword.get(lang)}
        </label>
    }
}
