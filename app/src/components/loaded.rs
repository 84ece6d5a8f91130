//! The one way a page waits for its data: "Đang tải…" while the resource loads, then either the
//! error as an alert (in the reader's language) or the page's view of the value.

use crate::api::error::ApiError;
use crate::i18n::{Lang, T};
use leptos::prelude::*;
use serde::{Serialize, de::DeserializeOwned};

/// `<Loaded resource=r view=|value| view! { … }/>`
#[component]
pub fn Loaded<V, F, IV>(resource: Resource<Result<V, ApiError>>, view: F) -> impl IntoView
where
    V: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    F: Fn(V) -> IV + Clone + Send + Sync + 'static,
    IV: IntoView + 'static,
{
    let lang = expect_context::<Lang>();
    view! {
        <Suspense fallback=move || view! { <p class="muted">{T::Loading.get(lang)}</p> }>
            {move || {
                let view = view.clone();
                Suspend::new(async move {
                    match resource.await {
                        Err(e) => view! { <p class="alert error" role="alert">{e.message(lang)}</p> }.into_any(),
                        Ok(v) => view(v).into_view().into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
