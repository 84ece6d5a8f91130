//! `/certificates/:number`: the certificate as a printable A4 page (print CSS hides the site
//! around it) with the official's name, agency, course, dates and a QR code that opens the
//! public verify page and carries the signed token.

use crate::api::certificates::{CertificatePage, load_certificate};
use crate::components::icon::{Ico, Icon};
use crate::components::loaded::{Loaded, page_resource};
use crate::components::session::RequireRole;
use crate::domain::identity::Role;
use crate::domain::letterhead::{DOTS, Letterhead, date_line, upper};
use crate::domain::progress::CertStatus;
use crate::i18n::{Lang, T};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The words for a certificate status.
pub fn status_text(s: CertStatus, lang: Lang) -> &'static str {
    match s {
        CertStatus::Valid => T::StatusValid,
        CertStatus::Expired => T::StatusExpired,
        CertStatus::Revoked => T::StatusRevoked,
    }
    .get(lang)
}

/// The tag class for a certificate status.
pub fn status_class(s: CertStatus) -> &'static str {
    match s {
        CertStatus::Valid => "tag ok",
        CertStatus::Expired => "tag warn",
        CertStatus::Revoked => "tag bad",
    }
}

#[component]
pub fn Certificate() -> impl IntoView {
    view! {
        <RequireRole roles=&Role::ALL>
            <CertificateBody/>
        </RequireRole>
    }
}

#[component]
fn CertificateBody() -> impl IntoView {
    let params = use_params_map();
    let number = move || params.read().get("number").unwrap_or_default();
    let cert = page_resource(number, load_certificate);
    view! {
        <Loaded resource=cert view=|c| view! { <Sheet c/> }/>
    }
}

#[component]
fn Sheet(c: CertificatePage) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let missing = c.issuing.is_none();
    let l = c
        .issuing
        .clone()
        .map(|i| i.letterhead)
        .unwrap_or_else(Letterhead::blank);
    let or_dots = |s: &str| {
        if s.trim().is_empty() {
            DOTS.to_string()
        } else {
            s.to_string()
        }
    };
    view! {
        <Title text=format!("{} {}", T::Certificate.get(lang), c.number)/>
        <div class="no-print print-bar">
            <PrintButton label=T::PrintCertificate.get(lang).to_string()/>
            <span class="muted">{T::PrintHint.get(lang)}</span>
        </div>
        <article class="certificate" aria-labelledby="cert-title">
            // The issuing authority top left, the national name and motto top right.
            <header class="cert-head">
                <div class="doc-issuer">
                    {(!l.parent_body.is_empty()).then(|| view! { <p class="doc-parent">{upper(&l.parent_body)}</p> })}
                    <p class="doc-body"><strong>{upper(&or_dots(&l.issuer))}</strong></p>
                </div>
                <div class="doc-nation">
                    <p class="doc-national-name"><strong>{T::DocNationalName.get(lang)}</strong></p>
                    <p class="doc-motto"><strong>{T::DocMotto.get(lang)}</strong></p>
                </div>
            </header>
            <h1 id="cert-title">{T::CertTitle.get(lang)}</h1>
            <p class="cert-sub">{T::CertHeader.get(lang)}</p>
            <p>{T::CertIntro.get(lang)}</p>
            <p class="cert-name">{c.full_name.clone()}</p>
            <p>{c.position.clone()}" — "{c.agency.clone()}</p>
            <p>{T::CertCompleted.get(lang)}</p>
            <p class="cert-course">{c.course_title.clone()}</p>
            {c.class.clone().map(|t| view! { <p class="cert-class">{format!("{}: {t}", T::CertInClass.get(lang))}</p> })}
            <dl class="cert-facts">
                <div><dt>{T::CertNo.get(lang)}</dt><dd class="cert-number">{c.number.clone()}</dd></div>
                <div><dt>{T::CertDate.get(lang)}</dt><dd>{c.completed_on.clone()}</dd></div>
                {c.score.map(|s| view! { <div><dt>{T::Score.get(lang)}</dt><dd>{s}"%"</dd></div> })}
                <div><dt>{T::ValidUntil.get(lang)}</dt><dd>{c.valid_until.clone().unwrap_or_else(|| T::NoExpiry.get(lang).to_string())}</dd></div>
                <div><dt>{T::Status.get(lang)}</dt><dd><span class=status_class(c.status)>{status_text(c.status, lang)}</span></dd></div>
            </dl>
            {missing.then(|| view! { <p class="alert warn no-print">{T::CertNoLetterhead.get(lang)}</p> })}
            // The QR code bottom left, the place-and-date line and the signer bottom right.
            <div class="cert-foot">
            <figure class="cert-qr">
                <div class="qr" inner_html=c.qr_svg.clone() role="img" aria-label=T::CertScan.get(lang)></div>
                <figcaption>
                    {T::CertScan.get(lang)}<br/>
                    // The full address, readable on paper (the token stays in the QR code).
                    <a href=c.verify_url.clone() class="verify-link">{c.verify_url.split('?').next().unwrap_or_default().to_string()}</a>
                </figcaption>
            </figure>
            <div class="cert-sign">
                <p class="doc-date"><em>{date_line(lang, &l.place, c.issued_on)}</em></p>
                {(!l.signer_authority.is_empty()).then(|| view! {
                    <p class="doc-authority"><strong>{upper(&l.signer_authority)}</strong></p>
                })}
                <p class="doc-signer-title"><strong>{upper(&or_dots(&l.signer_title))}</strong></p>
                <div class="doc-sign-space" aria-hidden="true"></div>
                <p class="doc-signer-name"><strong>{or_dots(&l.signer_name)}</strong></p>
            </div>
            </div>
            <details class="no-print">
                <summary>{T::SignedToken.get(lang)}</summary>
                <code class="token">{c.token.clone()}</code>
            </details>
        </article>
    }
}

/// The print button (an island: the only part of the certificate that runs in the browser).
#[island]
fn PrintButton(label: String) -> impl IntoView {
    view! {
        <button type="button" class="button primary" on:click=move |_| {
            let _ = window().print();
        }><Ico icon=Icon::Print/>{label}</button>
    }
}
