//! `/retraining`: after a substantive change of a course, the officials certified on an earlier
//! version, and a form that opens a delta recertification for them (reread the changed lessons,
//! a short exam from the new and changed questions, a deadline). A trainer of the course (or the
//! admin) opens it for everyone it reaches, a manager for their subtree. Each publish shows the
//! recertifications opened, how many passed, and how many holders of a valid certificate earned
//! it on the current version.

use crate::api::recert::{RetrainItem, RetrainingPage, load_retraining};
use crate::components::loaded::{Loaded, page_resource};
use crate::components::session::RequireRole;
use crate::domain::identity::Role;
use crate::i18n::{Lang, T};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn Retraining() -> impl IntoView {
    let lang = expect_context::<Lang>();
    view! {
        <Title text=T::NavRetraining.get(lang)/>
        <RequireRole roles=&[Role::Trainer, Role::Manager, Role::Admin]>
            <RetrainingBody/>
        </RequireRole>
    }
}

#[component]
fn RetrainingBody() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let query = use_query_map();
    let page = page_resource(|| (), |_| load_retraining());
    view! {
        <h1>{T::RetrainingTitle.get(lang)}</h1>
        <p class="lead">{T::RetrainingLead.get(lang)}</p>
        {move || {
            let q = query.read();
            let opened = q.get("people").map(|n| view! {
                <p class="alert ok" role="status">{T::RetrainingOpened.get(lang).replace("{n}", &n)}</p>
            });
            let refused = q.get("refused").map(|r| {
                let text = match r.as_str() {
                    "deadline" => T::RetrainingRefusedDeadline,
                    "exam" => T::RetrainingRefusedExam,
                    "newer" => T::RetrainingRefusedNewer,
                    _ => T::RetrainingRefusedNone,
                };
                view! { <p class="alert error" role="alert">{text.get(lang)}</p> }
            });
            view! { {opened}{refused} }
        }}
        <Loaded resource=page view=move |p: RetrainingPage| {
            if p.items.is_empty() {
                return view! { <p class="meta">{T::NoSubstantive.get(lang)}</p> }.into_any();
            }
            let (today, deadline, draw) = (p.today.clone(), p.suggested_deadline.clone(), p.default_draw);
            p.items
                .into_iter()
                .map(|item| view! { <Item item today=today.clone() deadline=deadline.clone() draw/> })
                .collect_view()
                .into_any()
        }/>
    }
}

#[component]
fn Item(item: RetrainItem, today: String, deadline: String, draw: u32) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let id = format!("publish-{}", item.publish_id);
    let form_id = format!("open-{}", item.publish_id);
    let waiting = item.waiting_total;
    view! {
        <section class="card retrain" data-publish=item.publish_id data-course=item.course_id.clone() aria-labelledby=id.clone()>
            <h2 id=id.clone()>{item.course_title.clone()}" · #"{item.publish_id}</h2>
            <p class="meta">{item.at.clone()}" · "{T::OwedReason.get(lang)}": "<strong>{item.reason.clone()}</strong></p>
            {item.current.map(|(all, cur)| view! {
                <p class="current-version">{T::CurrentVersionMetric.get(lang)
                    .replace("{cur}", &cur.to_string()).replace("{all}", &all.to_string())}</p>
            })}
            <ul class="plan">
                {(!item.lessons.is_empty()).then(|| view! {
                    <li><strong>{T::ToReread.get(lang)}": "</strong>{item.lessons.join(", ")}</li>
                })}
                <li>{T::ShortExamFrom.get(lang).replace("{n}", &item.questions.to_string())}</li>
            </ul>
            {(!item.recerts.is_empty()).then(|| view! {
                <h3>{T::RetrainingsOpened.get(lang)}</h3>
                <ul class="recerts">
                    {item.recerts.iter().map(|r| view! {
                        <li class=if r.overdue { "overdue" } else { "" }>
                            "#"{r.id}" · "{T::RetrainingProgress.get(lang)
                                .replace("{done}", &r.done.to_string())
                                .replace("{total}", &r.total.to_string())
                                .replace("{date}", &r.deadline)}
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {if !item.newest {
                view! { <p class="meta">{T::RetrainingSuperseded.get(lang)}</p> }.into_any()
            } else if waiting == 0 {
                view! {
                    <h3>{T::WaitingOfficials.get(lang).replace("{n}", "0")}</h3>
                    <p class="meta">{T::WaitingNone.get(lang)}</p>
                }.into_any()
            } else {
                view! {
                    <h3>{T::WaitingOfficials.get(lang).replace("{n}", &waiting.to_string())}</h3>
                    // A long list stays folded (a province reaches hundreds).
                    <details open=waiting <= 20>
                        <summary>{T::ShowWaiting.get(lang)}</summary>
                        <ul class="waiting">
                            {item.waiting.iter().map(|a| view! {
                                <li data-code=a.code.clone()><code>{a.code.clone()}</code>" "{a.name.clone()}</li>
                            }).collect_view()}
                            {(waiting > item.waiting.len()).then(|| view! { <li>"…"</li> })}
                        </ul>
                    </details>
                    <form class="open-retraining" method="post" action="/retraining/open" id=form_id.clone()>
                        <input type="hidden" name="publish" value=item.publish_id/>
                        <p class="meta">{if item.everyone { T::ScopeEveryone } else { T::ScopeMine }.get(lang)}</p>
                        <label>{T::DeadlineLabel.get(lang)}
                            <input type="date" name="deadline" value=deadline min=today required=true/>
                        </label>
                        <label>{T::DrawLabel.get(lang)}
                            <input type="number" name="draw" value=draw min="1" max="50" required=true/>
                        </label>
                        <button type="submit">{T::OpenRetraining.get(lang)}</button>
                    </form>
                }.into_any()
            }}
        </section>
    }
}
