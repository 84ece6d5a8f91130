//! `/admin`: the administrator's overview of agencies, officials and accounts.

use crate::api::admin::admin_overview;
use crate::components::loaded::{Loaded, page_resource};
use crate::components::session::RequireRole;
use crate::domain::identity::Role;
use crate::i18n::{Lang, T};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Admin() -> impl IntoView {
    let lang = expect_context::<Lang>();
    view! {
        <Title text=T::NavAdmin.get(lang)/>
        <RequireRole roles=&[Role::Admin]>
            <AdminBody/>
        </RequireRole>
    }
}

#[component]
fn AdminBody() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let data = page_resource(|| (), |_| admin_overview());
    view! {
        <h1>{T::NavAdmin.get(lang)}</h1>
        <p class="lead">{T::AdminLead.get(lang)}</p>
        <Loaded resource=data view=move |o| view! {
                        <div class="stats">
                            <div class="stat"><span class="num">{o.agencies}</span><span>{T::Agencies.get(lang)}</span></div>
                            <div class="stat"><span class="num">{o.people}</span><span>{T::People.get(lang)}</span></div>
                            <div class="stat"><span class="num">{o.enforcement}</span><span>{T::EnforcementCount.get(lang)}</span></div>
                            <div class="stat"><span class="num">{o.official_accounts}</span><span>{T::OfficialAccounts.get(lang)}</span></div>
                            <div class="stat"><span class="num">{o.waiting_activation}</span><span>{T::WaitingActivation.get(lang)}</span></div>
                        </div>
                        <h2>{T::ReminderEmails.get(lang)}</h2>
                        <p>{o.emails.iter().map(|(k, n)| format!("{k}: {n}")).collect::<Vec<_>>().join(" · ")}</p>
                        {(!o.email_failures.is_empty()).then(|| view! {
                            <table class="grid" aria-label=T::ReminderEmails.get(lang)>
                                <tbody>
                                    {o.email_failures.clone().into_iter().map(|(to, title, err)| view! {
                                        <tr><td>{to}</td><td>{title}</td><td class="muted">{err}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        })}
                        <h2>{T::NavRights.get(lang)}</h2>
                        <p><a class="button" href="/rights">{T::RightsOpen.get(lang)}</a></p>
                        <h2>{T::NavLetterhead.get(lang)}</h2>
                        <p>{T::LetterheadLead.get(lang)}</p>
                        <p><a class="button" href="/letterhead">{T::LetterheadSet.get(lang)}</a></p>
                    }/>
    }
}
