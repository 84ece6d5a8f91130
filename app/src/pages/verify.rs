//! `/verify/:number` (public, no sign-in): says whether a certificate is valid, expired or
//! revoked, and — when opened from the QR code (`?t=token`) — whether the signed token is
//! genuine and names this certificate.

use crate::api::certificates::verify_certificate;
use crate::components::loaded::{Loaded, page_resource};
use crate::i18n::{Lang, T};
use crate::pages::certificate::{status_class, status_text};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn Verify() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let params = use_params_map();
    let query = use_query_map();
    // `/verify/:number`, or `/verify?number=…` from the lookup form.
    let number = move || {
        params
            .read()
            .get("number")
            .or_else(|| query.read().get("number"))
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty())
    };
    let key = move || (number(), query.read().get("t"));
    let result = page_resource(key, |(n, t)| async move {
        match n {
            Some(n) => verify_certificate(n, t).await.map(Some),
            None => Ok(None),
        }
    });
    view! {
        <Title text=T::VerifyTitle.get(lang)/>
        <h1>{T::VerifyTitle.get(lang)}</h1>
        <form method="get" action="/verify" class="card narrow verify-lookup">
            <label for="cert-number">{T::VerifyLookup.get(lang)}</label>
            <input id="cert-number" name="number" type="text" autocomplete="off" spellcheck="false"
                placeholder="GL-2026-XXXXX-XXXXX" value=move || number().unwrap_or_default()/>
            <button type="submit" class="button">{T::Check.get(lang)}</button>
        </form>
        <Loaded resource=result view=move |v| match v {
            None => ().into_any(),
            Some(v) => match v.status {
                        None => view! {
                            <section class="card narrow">
                                <p class="cert-number">{v.number.clone()}</p>
                                <p class="alert error" role="status">{T::StatusUnknown.get(lang)}</p>
                            </section>
                        }.into_any(),
                        Some(s) => view! {
                            <section class="card narrow verify">
                                <p>{T::CertNo.get(lang)}" "<span class="cert-number">{v.number.clone()}</span></p>
                                <p role="status" class="verdict"><span class=status_class(s)>{status_text(s, lang)}</span></p>
                                <dl class="cert-facts">
                                    {v.holder_shown.then(|| view! {
                                        <div><dt>{T::FullName.get(lang)}</dt><dd>{v.full_name.clone()}</dd></div>
                                        <div><dt>{T::Agency.get(lang)}</dt><dd>{v.agency.clone()}</dd></div>
                                    })}
                                    <div><dt>{T::Course.get(lang)}</dt><dd>{v.course_title.clone()}</dd></div>
                                    <div><dt>{T::IssuedOn.get(lang)}</dt><dd>{v.issued_on.clone()}</dd></div>
                                    <div><dt>{T::ValidUntil.get(lang)}</dt><dd>{v.valid_until.clone().unwrap_or_else(|| T::NoExpiry.get(lang).to_string())}</dd></div>
                                </dl>
                                {(!v.holder_shown).then(|| view! { <p class="muted">{T::HolderNeedsQr.get(lang)}</p> })}
                                {v.token_ok.map(|ok| if ok {
                                    view! { <p class="alert ok">{T::SignatureOk.get(lang)}</p> }.into_any()
                                } else {
                                    view! { <p class="alert error">{T::SignatureBad.get(lang)}</p> }.into_any()
                                })}
                            </section>
                        }.into_any(),
                    },
        }/>
    }
}
