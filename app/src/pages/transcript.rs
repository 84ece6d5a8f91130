//! `/transcript`: my completions, scores and certificates, printable.

use crate::api::certificates::load_transcript;
use crate::components::loaded::{Loaded, page_resource};
use crate::components::session::RequireRole;
use crate::domain::identity::Role;
use crate::i18n::{Lang, T};
use crate::pages::certificate::{status_class, status_text};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn TranscriptPage() -> impl IntoView {
    let lang = expect_context::<Lang>();
    view! {
        <Title text=T::TranscriptTitle.get(lang)/>
        <RequireRole roles=&Role::ALL>
            <TranscriptBody/>
        </RequireRole>
    }
}

#[component]
fn TranscriptBody() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let t = page_resource(|| (), |_| load_transcript());
    view! {
        <Loaded resource=t view=move |t| view! {
                        <article class="transcript">
                            <h1>{T::TranscriptTitle.get(lang)}</h1>
                            <p class="lead"><strong>{t.full_name.clone()}</strong>" ("<code>{t.code.clone()}</code>") — "{t.position.clone()}", "{t.agency.clone()}</p>
                            {if t.rows.is_empty() {
                                view! { <p>{T::TranscriptEmpty.get(lang)}</p> }.into_any()
                            } else {
                                view! {
                                    <table class="grid" aria-label=T::TranscriptTitle.get(lang)>
                                        <thead><tr>
                                            <th>{T::Course.get(lang)}</th>
                                            <th>{T::CertDate.get(lang)}</th>
                                            <th class="num">{T::Score.get(lang)}</th>
                                            <th>{T::Certificate.get(lang)}</th>
                                            <th>{T::ValidUntil.get(lang)}</th>
                                            <th>{T::Status.get(lang)}</th>
                                            <th>{T::Version.get(lang)}</th>
                                        </tr></thead>
                                        <tbody>
                                            {t.rows.into_iter().map(|r| view! {
                                                // `data-label`: on a phone each row is a block of labelled lines (main.css).
                                                <tr>
                                                    <td><a href=format!("/courses/{}", r.course_id)>{r.course_title}</a></td>
                                                    <td data-label=T::CertDate.get(lang)>{r.completed_on}</td>
                                                    <td class="num" data-label=T::Score.get(lang)>{r.score.map(|s| format!("{s}%")).unwrap_or_default()}</td>
                                                    <td data-label=T::Certificate.get(lang)>{r.certificate.map(|n| view! { <a href=format!("/certificates/{n}")>{n.clone()}</a> })}</td>
                                                    <td data-label=T::ValidUntil.get(lang)>{r.valid_until.unwrap_or_else(|| T::NoExpiry.get(lang).to_string())}</td>
                                                    <td data-label=T::Status.get(lang)>{r.status.map(|s| view! { <span class=status_class(s)>{status_text(s, lang)}</span> })}</td>
                                                    <td data-label=T::Version.get(lang)><code>{r.version}</code></td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any()
                            }}
                            <p class="muted">{T::PrintedOn.get(lang)}": "{t.today.clone()}" · "{T::PrintHint.get(lang)}</p>
                        </article>
                    }/>
    }
}
