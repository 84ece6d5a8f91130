//! The one way a page waits for its data: "Đang tải…" while the resource loads, then either the
//! error as an alert (in the reader's language) or the page's view of the value.

use crate::api::error::ApiError;
use crate::i18n::{Lang, T};
use leptos::prelude::*;
use serde::{Serialize, de::DeserializeOwned};

/// A page's data: a [`Resource`] whose load runs once per request on the server, however often
/// the page's view tree is walked before it is rendered (`ssr::memo`). Loads of the same call
/// site with the same source share one result.
pub fn page_resource<S, T, Fut, F>(source: impl Fn() -> S + Send + Sync + 'static, fetcher: F) -> Resource<T>
where
    S: PartialEq + Clone + std::fmt::Debug + Send + Sync + 'static,
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    Fut: std::future::Future<Output = T> + Send + 'static,
    F: Fn(S) -> Fut + Send + Sync + 'static,
{
    #[cfg(feature = "ssr")]
    {
        let memo = use_context::<crate::ssr::memo::RequestMemo>();
        Resource::new(source, move |s: S| {
            let key = (std::any::TypeId::of::<F>(), format!("{s:?}"));
            let load = fetcher(s);
            let memo = memo.clone();
            async move {
                match memo {
                    Some(memo) => memo.once(key, load).await,
                    None => load.await,
                }
            }
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        Resource::new(source, fetcher)
    }
}

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
