//! The signed-in user for the whole page, loaded once per request through `whoami`, and the
//! guard that pages put around role-only content.

use crate::api::auth::{SessionInfo, UserDto, whoami};
use crate::api::error::ApiError;
use crate::domain::identity::Role;
use crate::i18n::{Lang, T};
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

/// The session resource. Blocking, so a server-side redirect can still set the status line.
#[derive(Clone, Copy)]
pub struct Session(pub Resource<Result<SessionInfo, ApiError>>);

impl Session {
    /// The signed-in user once loaded (`None` when signed out or on error), awaited without
    /// subscribing to the session. A guard that subscribed and was first polled while the
    /// session was still loading ran again when it arrived, and built the page's content (and
    /// called its server functions) once more each time: `/learn` under load read 31 statements
    /// and sent 23 KB where 13 and 13 KB do (docs/PERFORMANCE.md). Nothing refetches the
    /// session while a page is open, so there is no later change to miss.
    pub async fn user(self) -> Option<UserDto> {
        self.info().await.ok().and_then(|s| s.user)
    }

    /// The session as loaded, awaited without subscribing to it (see [`Session::user`]).
    pub async fn info(self) -> Result<SessionInfo, ApiError> {
        use std::future::IntoFuture;
        let mut loading = std::pin::pin!(self.0.into_future());
        std::future::poll_fn(|cx| untrack(|| loading.as_mut().poll(cx))).await
    }
}

pub fn provide_session() {
    provide_context(Session(Resource::new_blocking(|| (), |_| whoami())));
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// The label of a role in the interface language.
pub fn role_label(role: Role, lang: Lang) -> &'static str {
    match role {
        Role::Learner => T::RoleLearner,
        Role::Trainer => T::RoleTrainer,
        Role::Manager => T::RoleManager,
        Role::Admin => T::RoleAdmin,
    }
    .get(lang)
}

/// Shows `children` to a signed-in user holding one of `roles`; sends anyone else to sign in
/// (keeping where they were going), or says plainly that they may not see the page.
#[component]
pub fn RequireRole(roles: &'static [Role], children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let lang = expect_context::<Lang>();
    let location = use_location();
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=move || view! { <p class="muted">{T::Loading.get(lang)}</p> }>
            {move || Suspend::new(async move {
                match session.user().await {
                    Some(u) if u.roles.iter().any(|r| roles.contains(r)) => children.read_value()().into_any(),
                    Some(_) => view! {
                        <section class="card narrow">
                            <h1>{T::Forbidden.get(lang)}</h1>
                            <a href="/">{T::BackHome.get(lang)}</a>
                        </section>
                    }.into_any(),
                    _ => {
                        let next = location.pathname.get_untracked();
                        view! { <Redirect path=format!("/sign-in?next={next}")/> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
