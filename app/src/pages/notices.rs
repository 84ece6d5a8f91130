//! `/notices`: my reminders and digests (the bell in the header counts the unread ones), with
//! "mark all read" and the e-mail opt-out, both plain form posts.

use crate::api::notices::{NoticeList, my_notices};
use crate::components::loaded::{Loaded, page_resource};
use crate::i18n::{Lang, T};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn Notices() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let q = use_query_map().get_untracked();
    let changed = q.get("email");
    let notices = page_resource(|| (), |_| my_notices());
    view! {
        <Title text=T::NoticesTitle.get(lang)/>
        <h1>{T::NoticesTitle.get(lang)}</h1>
        {changed.map(|c| view! {
            <p class="alert ok" role="status">
                {if c == "off" { T::EmailTurnedOff.get(lang) } else { T::EmailTurnedOn.get(lang) }}
            </p>
        })}
        <Loaded resource=notices view=move |m: NoticeList| {
            let any_unread = m.notices.iter().any(|n| n.unread);
            view! {
                <div class="actions">
                    {any_unread.then(|| view! {
                        <form method="post" action="/notices/read" class="inline">
                            <button type="submit" class="button">{T::MarkAllRead.get(lang)}</button>
                        </form>
                    })}
                    <form method="post" action="/notices/email" class="inline">
                        <input type="hidden" name="email" value=if m.email_off { "on" } else { "off" }/>
                        <button type="submit" class="button">
                            {if m.email_off { T::EmailOn.get(lang) } else { T::EmailOff.get(lang) }}
                        </button>
                    </form>
                </div>
                {if m.notices.is_empty() {
                    view! { <p class="muted">{T::NoNotices.get(lang)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="notices">
                            {m.notices.into_iter().map(|n| view! {
                                <li class=if n.unread { "notice unread" } else { "notice" }>
                                    <a href=n.link.clone()><strong>{n.title.clone()}</strong></a>
                                    {n.unread.then(|| view! { " " <span class="tag">{T::Unread.get(lang)}</span> })}
                                    <p class="notice-body">{n.body.clone()}</p>
                                    <p class="muted">{crate::i18n::fmt_date(n.on)}</p>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            }
        }/>
    }
}
