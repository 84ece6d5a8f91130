//! `/`: sends a signed-in person to their role's home, anyone else to sign in.

use crate::components::session::use_session;
use leptos::prelude::*;
use leptos_router::components::Redirect;

#[component]
pub fn Home() -> impl IntoView {
    let session = use_session();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let to = session.user().await.map(|u| u.role.home_path()).unwrap_or("/sign-in");
                view! { <Redirect path=to/> }
            })}
        </Suspense>
    }
}
