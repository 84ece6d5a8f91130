//! `/rights`: who holds which right, and granting or withdrawing one with a reason. Plain form
//! posts (`/rights/grant`, `/rights/{id}/withdraw`), so it works with JavaScript off; the
//! answer comes back in the query (`?done=granted`, `?error=CODE`).

use crate::api::rights::{GrantView, RightsOverview, rights_page};
use crate::components::loaded::{Loaded, page_resource};
use crate::components::session::{RequireRole, role_label};
use crate::domain::identity::Role;
use crate::i18n::{Lang, T, fmt_date};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn Rights() -> impl IntoView {
    let lang = expect_context::<Lang>();
    view! {
        <Title text=T::NavRights.get(lang)/>
        <RequireRole roles=&[Role::Manager, Role::Admin]>
            <RightsBody/>
        </RequireRole>
    }
}

/// The sentence for an `?error=` code of the rights forms.
fn problem(code: &str, lang: Lang) -> &'static str {
    match code {
        "no-account" => T::RightsNoAccount,
        "needs-agency" => T::RightsNeedsAgency,
        "misplaced" => T::RightsMisplaced,
        "no-agency" => T::RightsNoAgency,
        "no-course" => T::RightsNoCourse,
        "needs-reason" => T::RightsNeedsReason,
        "learner" => T::RightsLearner,
        "already-held" => T::RightsAlreadyHeld,
        "no-grant" => T::RightsNoGrant,
        "own" => T::RightsOwn,
        "last-admin" => T::RightsLastAdmin,
        "role" => T::RightsRole,
        _ => T::RightsNotAllowed,
    }
    .get(lang)
}

#[component]
fn RightsBody() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let data = page_resource(|| (), |_| rights_page());
    let q = use_query_map().get_untracked();
    let done = q.get("done").map(|d| match d.as_str() {
        "withdrawn" => T::RightsWithdrawn.get(lang),
        _ => T::RightsGranted.get(lang),
    });
    let error = q.get("error").map(|c| problem(&c, lang));
    view! {
        <h1>{T::NavRights.get(lang)}</h1>
        <p class="lead">{T::RightsLead.get(lang)}</p>
        {done.map(|d| view! { <p class="alert ok" role="status">{d}</p> })}
        {error.map(|e| view! { <p class="alert error" role="alert">{e}</p> })}
        <Loaded resource=data view=move |p: RightsOverview| {
            let (active, withdrawn): (Vec<GrantView>, Vec<GrantView>) =
                p.grants.clone().into_iter().partition(|g| g.withdrawn.is_none());
            view! {
                <GrantForm page=p/>
                <section class="card">
                    <h2>{T::RightsHeld.get(lang)}</h2>
                    <div class="table-scroll" role="region" tabindex="0" aria-label=T::RightsHeld.get(lang)>
                        <table class="grid rights" aria-label=T::RightsHeld.get(lang)>
                            <thead><tr>
                                <th>{T::FullName.get(lang)}</th>
                                <th>{T::Role.get(lang)}</th>
                                <th>{T::RightsWhere.get(lang)}</th>
                                <th>{T::RightsWhy.get(lang)}</th>
                                <th>{T::RightsGrantedBy.get(lang)}</th>
                                <th><span class="visually-hidden">{T::RightsWithdraw.get(lang)}</span></th>
                            </tr></thead>
                            <tbody>
                                {active.into_iter().map(|g| view! { <HeldRow g=g/> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </section>
                {(!withdrawn.is_empty()).then(|| view! {
                    <section class="card">
                        <h2>{T::RightsHistory.get(lang)}</h2>
                        <div class="table-scroll" role="region" tabindex="0" aria-label=T::RightsHistory.get(lang)>
                            <table class="grid rights" aria-label=T::RightsHistory.get(lang)>
                                <thead><tr>
                                    <th>{T::FullName.get(lang)}</th>
                                    <th>{T::Role.get(lang)}</th>
                                    <th>{T::RightsWhere.get(lang)}</th>
                                    <th>{T::RightsGrantedBy.get(lang)}</th>
                                    <th>{T::RightsWithdrawnBy.get(lang)}</th>
                                </tr></thead>
                                <tbody>
                                    {withdrawn.into_iter().map(|g| {
                                        let (by, on, why) = g.withdrawn.clone().unwrap_or_default();
                                        view! {
                                            <tr>
                                                <td><Holder g=g.clone()/></td>
                                                <td>{role_label(g.role, lang)}</td>
                                                <td>{scope_words(&g, lang)}</td>
                                                <td>{who_when(&g.granted_by, g.granted_on, lang)}<br/><span class="muted">{g.reason.clone()}</span></td>
                                                <td>{who_when(&by, on, lang)}<br/><span class="muted">{why}</span></td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    </section>
                })}
            }
        }/>
    }
}

/// Where a right applies: a manager's subtree, a trainer's course, or everything.
fn scope_words(g: &GrantView, lang: Lang) -> String {
    match (&g.agency, &g.course) {
        (Some(a), _) => a.clone(),
        (None, Some(c)) => c.clone(),
        (None, None) if g.role == Role::Trainer => T::RightsAllCourses.get(lang).to_string(),
        (None, None) => T::RightsEverything.get(lang).to_string(),
    }
}

fn who_when(by: &Option<String>, on: chrono::NaiveDate, lang: Lang) -> String {
    let who = by.clone().unwrap_or_else(|| T::RightsCommandLine.get(lang).to_string());
    format!("{who}, {}", fmt_date(on))
}

/// The holder: their name, and the sign-in name when it says something more.
#[component]
fn Holder(g: GrantView) -> impl IntoView {
    let same = g.name == g.username;
    view! {
        {g.name.clone()}
        {(!same).then(|| view! { <br/><code>{g.username.clone()}</code> })}
    }
}

#[component]
fn HeldRow(g: GrantView) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let id = g.id;
    view! {
        <tr>
            <td><Holder g=g.clone()/></td>
            <td>{role_label(g.role, lang)}</td>
            <td>{scope_words(&g, lang)}</td>
            <td>{g.reason.clone()}</td>
            <td>{who_when(&g.granted_by, g.granted_on, lang)}</td>
            <td>
                {g.may_withdraw.then(|| view! {
                    <details class="withdraw">
                        <summary>{T::RightsWithdraw.get(lang)}</summary>
                        <form method="post" action=format!("/rights/{id}/withdraw")>
                            <label for=format!("w-reason-{id}")>{T::RightsWhy.get(lang)}</label>
                            <input id=format!("w-reason-{id}") name="reason" type="text" required maxlength="500"/>
                            <button type="submit" class="button">{T::RightsWithdraw.get(lang)}</button>
                        </form>
                    </details>
                })}
            </td>
        </tr>
    }
}

#[component]
fn GrantForm(page: RightsOverview) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let only_manager = page.grantable == [Role::Manager];
    view! {
        <section class="card">
            <h2>{T::RightsGrant.get(lang)}</h2>
            <p class="muted">{if only_manager { T::RightsManagerHint.get(lang) } else { T::RightsAdminHint.get(lang) }}</p>
            <form method="post" action="/rights/grant" class="grant-form">
                <div class="field">
                    <label for="g-username">{T::RightsUsername.get(lang)}</label>
                    <input id="g-username" name="username" type="text" required autocomplete="off" maxlength="64"/>
                </div>
                <div class="field">
                    <label for="g-role">{T::Role.get(lang)}</label>
                    <select id="g-role" name="role">
                        {page.grantable.iter().map(|r| view! {
                            <option value=r.as_str()>{role_label(*r, lang)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="g-agency">{T::RightsAgency.get(lang)}</label>
                    <select id="g-agency" name="agency_id">
                        {(!only_manager).then(|| view! { <option value="">"—"</option> })}
                        {page.agencies.iter().map(|(id, name, depth)| view! {
                            <option value=id.to_string()>{format!("{}{name}", "\u{2003}".repeat(*depth))}</option>
                        }).collect_view()}
                    </select>
                </div>
                {(!page.courses.is_empty()).then(|| view! {
                    <div class="field">
                        <label for="g-course">{T::RightsCourse.get(lang)}</label>
                        <select id="g-course" name="course_id">
                            <option value="">{T::RightsAllCourses.get(lang)}</option>
                            {page.courses.iter().map(|(id, title)| view! {
                                <option value=id.clone()>{title.clone()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                })}
                <div class="field wide">
                    <label for="g-reason">{T::RightsWhy.get(lang)}</label>
                    <input id="g-reason" name="reason" type="text" required maxlength="500"
                        placeholder=T::RightsWhyHint.get(lang)/>
                </div>
                <p><button type="submit" class="button primary">{T::RightsGrant.get(lang)}</button></p>
            </form>
        </section>
    }
}
