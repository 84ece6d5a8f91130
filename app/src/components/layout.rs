//! The frame around every page: header with the product name, who is signed in and their role,
//! navigation by role, the language switch and the demo-data banner.

use super::icon::{Ico, Icon};
use super::session::{role_label, use_session};
use crate::domain::identity::Role;
use crate::i18n::{Lang, T};
use leptos::prelude::*;
use leptos_router::components::A;

/// The navigation entries of someone holding `roles`: (path, label, icon), each once, in a fixed
/// order.
fn nav_for(roles: &[Role]) -> Vec<(&'static str, T, Icon)> {
    let has = |r: Role| roles.contains(&r);
    let staff = has(Role::Manager) || has(Role::Admin);
    [
        (has(Role::Admin), "/admin", T::NavAdmin, Icon::Settings),
        (staff, "/coverage", T::NavCoverage, Icon::Chart),
        (staff, "/programs", T::NavPrograms, Icon::Target),
        (staff, "/roster", T::NavRoster, Icon::People),
        (
            has(Role::Trainer) || has(Role::Admin),
            "/content",
            T::NavContent,
            Icon::Book,
        ),
        (
            has(Role::Trainer) || staff,
            "/retraining",
            T::NavRetraining,
            Icon::Retry,
        ),
        (staff, "/rights", T::NavRights, Icon::Key),
        // In-person classes: those who run them, and officials invited to them.
        (
            !has(Role::Admin) || roles.len() > 1,
            "/classes",
            T::NavClasses,
            Icon::Calendar,
        ),
        // The admin's account is no official's: learning is for the others.
        (!has(Role::Admin), "/learn", T::NavLearn, Icon::Cap),
        (roles == [Role::Learner], "/transcript", T::NavTranscript, Icon::Award),
    ]
    .into_iter()
    .filter(|(shown, ..)| *shown)
    .map(|(_, href, label, icon)| (href, label, icon))
    .collect()
}

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let session = use_session();
    let other = match lang {
        Lang::Vi => "en",
        Lang::En => "vi",
    };
    view! {
        // `rel="external"`: the browser, not the router, follows it, so focus moves to the content.
        <a class="skip" href="#main" rel="external">{T::SkipToContent.get(lang)}</a>
        <header class="topbar">
            <a class="brand" href="/">
                <span class="logo" aria-hidden="true">"★"</span>
                <span class="brand-text">
                    <strong>{T::AppName.get(lang)}</strong>
                    <small>{T::AppTagline.get(lang)}</small>
                </span>
            </a>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let user = session.user().await;
                    user.map(|u| {
                        let links = nav_for(&u.roles)
                            .into_iter()
                            .map(|(href, label, icon)| view! { <A href=href><Ico icon=icon size=16/>{label.get(lang)}</A> })
                            .collect_view();
                        view! {
                            <nav class="mainnav" aria-label=T::MainNav.get(lang)>{links}</nav>
                            <div class="who">
                                <a class="bell" href="/notices"
                                    aria-label=format!("{} {}", u.unread, T::UnreadNotices.get(lang))>
                                    <svg aria-hidden="true" viewBox="0 0 24 24" width="18" height="18" fill="none"
                                        stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
                                        <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9"/>
                                        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0"/>
                                    </svg>
                                    {(u.unread > 0).then(|| view! { <span class="bell-count">{u.unread}</span> })}
                                </a>
                                <span class="who-name">{u.display_name.clone()}</span>
                                <span class="badge">{role_label(u.role, lang)}</span>
                                {(u.scopes.len() < 2).then(|| u.scope_name.clone().map(|s| view! { <span class="who-scope">{s}</span> }))}
                                {(u.scopes.len() > 1).then(|| {
                                    let current = u.scope_id;
                                    view! {
                                        // A manager of several subtrees picks the one in view: plain
                                        // links, so it works with JavaScript off.
                                        <details class="scope-switch">
                                            <summary>{u.scope_name.clone().unwrap_or_default()}</summary>
                                            <ul aria-label=T::ScopeSwitch.get(lang)>
                                                {u.scopes.clone().into_iter().map(|(id, name)| view! {
                                                    <li><a href=format!("/scope/{id}") rel="external nofollow"
                                                        aria-current=(current == Some(id)).then_some("true")>{name}</a></li>
                                                }).collect_view()}
                                            </ul>
                                        </details>
                                    }
                                })}
                                <form method="post" action="/auth/sign-out">
                                    <button type="submit" class="linkish">{T::SignOut.get(lang)}</button>
                                </form>
                            </div>
                        }
                    })
                })}
            </Transition>
            <a class="lang" href=format!("/lang/{other}") rel="external nofollow">{T::SwitchToOther.get(lang)}</a>
        </header>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let demo = session.info().await.map(|s| s.demo).unwrap_or(false);
                demo.then(|| view! { <div class="demo-banner" role="note">{T::DemoBanner.get(lang)}</div> })
            })}
        </Transition>
        <main id="main" tabindex="-1">{children()}</main>
        <footer class="foot">
            <span>"Taphuan · Đề án 319/QĐ-TTg · Kế hoạch 1122/KH-UBND tỉnh Gia Lai"</span>
        </footer>
    }
}
