//! The parts every administrative document of Taphuan prints (Nghị định 30/2020/NĐ-CP): the bar
//! above it on screen (print button, whose letterhead), the head (issuing body, national name
//! and motto, number and symbol, place and date) and the foot (recipients, signer). The coverage
//! report and a class's list of participants use them.

use super::icon::{Ico, Icon};
use crate::domain::letterhead::{DocKind, Letterhead, date_line, number_line, upper};
use crate::i18n::{Lang, T};
use leptos::prelude::*;

/// The bar above the document (never printed): the print button once the page is interactive,
/// how to print without it, and whose letterhead this is.
#[island]
pub fn PrintBar(lang: Lang, from: Option<String>, edit_href: String) -> impl IntoView {
    // Effects run only in the browser: with JavaScript off the button never appears.
    let interactive = RwSignal::new(false);
    Effect::new(move |_| interactive.set(true));
    view! {
        <div class="no-print print-bar doc-bar">
            {move || interactive.get().then(|| view! {
                <button type="button" class="button primary" on:click=move |_| {
                    let _ = window().print();
                }><Ico icon=Icon::Print/>{T::Print.get(lang)}</button>
            })}
            <span class="muted">
                {move || (if interactive.get() { T::DocPrintHint } else { T::DocPrintNoScript }).get(lang)}
            </span>
            {from.map(|a| view! {
                <span class="muted">
                    {T::LetterheadFrom.get(lang).replace("{agency}", &a)}" "
                    <a href=edit_href>{T::LetterheadEdit.get(lang)}</a>
                </span>
            })}
        </div>
    }
}

/// The document's head: issuing body (top left), national name and motto (top right), the
/// number line and the place-and-date line.
#[component]
pub fn DocHead(l: Letterhead, kind: DocKind, today: chrono::NaiveDate) -> impl IntoView {
    let lang = expect_context::<Lang>();
    view! {
        <header class="doc-head">
            <div class="doc-issuer">
                {(!l.parent_body.is_empty()).then(|| view! { <p class="doc-parent">{upper(&l.parent_body)}</p> })}
                <p class="doc-body"><strong>{upper(&l.issuer)}</strong></p>
            </div>
            <div class="doc-nation">
                <p class="doc-national-name"><strong>{T::DocNationalName.get(lang)}</strong></p>
                <p class="doc-motto"><strong>{T::DocMotto.get(lang)}</strong></p>
            </div>
            <p class="doc-number">{number_line(lang, None, kind, &l.symbol)}</p>
            <p class="doc-date"><em>{date_line(lang, &l.place, today)}</em></p>
        </header>
    }
}

/// The document's foot: where it is sent (left) and who signs it (right).
#[component]
pub fn DocFoot(l: Letterhead) -> impl IntoView {
    let lang = expect_context::<Lang>();
    view! {
        <footer class="doc-foot">
            <div class="doc-recipients">
                <p class="doc-recipients-label"><strong><em>{T::DocRecipients.get(lang)}</em></strong></p>
                <ul>
                    {l.recipient_lines().into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                </ul>
            </div>
            <div class="doc-sign">
                {(!l.signer_authority.is_empty()).then(|| view! {
                    <p class="doc-authority"><strong>{upper(&l.signer_authority)}</strong></p>
                })}
                <p class="doc-signer-title"><strong>{upper(&l.signer_title)}</strong></p>
                <div class="doc-sign-space" aria-hidden="true"></div>
                <p class="doc-signer-name"><strong>{l.signer_name.clone()}</strong></p>
            </div>
        </footer>
    }
}
