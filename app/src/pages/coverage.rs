//! `/coverage`: a manager's agency subtree with headcounts rolled up the tree, and a drill-down
//! to the named officials of an agency (`?agency=ID&q=…&page=N`, plain GET links and forms so it
//! works without JavaScript).

use crate::api::people::{AgencyRow, agency_overview, list_people};
use crate::components::session::RequireRole;
use crate::domain::identity::Role;
use crate::i18n::{Lang, T};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn Coverage() -> impl IntoView {
    let lang = expect_context::<Lang>();
    view! {
        <Title text=T::NavCoverage.get(lang)/>
        <RequireRole roles=&[Role::Manager, Role::Admin]>
            <CoverageBody/>
        </RequireRole>
    }
}

#[component]
fn CoverageBody() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let tree = Resource::new(|| (), |_| agency_overview());
    let query = use_query_map();
    let selected = move || query.read().get("agency").and_then(|s| s.parse::<i64>().ok());
    let search = move || query.read().get("q").unwrap_or_default();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(0)
    };
    let people = Resource::new(
        move || (selected(), search(), page()),
        |(sel, q, p)| async move {
            match sel {
                Some(id) => list_people(id, q, p).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <h1>{T::NavCoverage.get(lang)}</h1>
        <p class="lead">{T::CoverageLead.get(lang)}</p>
        <div class="split">
            <section class="card">
                <h2>{T::Agencies.get(lang)}</h2>
                <Suspense fallback=move || view! { <p class="muted">{T::Loading.get(lang)}</p> }>
                    {move || Suspend::new(async move {
                        match tree.await {
                            Err(e) => view! { <p class="alert error">{e.message(lang)}</p> }.into_any(),
                            Ok(rows) => view! { <AgencyTable rows/> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
            <section class="card" aria-live="polite">
                <Suspense fallback=move || view! { <p class="muted">{T::Loading.get(lang)}</p> }>
                    {move || Suspend::new(async move {
                        match people.await {
                            Err(e) => view! { <p class="alert error" role="alert">{e.message(lang)}</p> }.into_any(),
                            Ok(None) => view! { <p class="muted">{T::ShowPeople.get(lang)}" →"</p> }.into_any(),
                            Ok(Some(pg)) => {
                                let agency_id = pg.agency.id;
                                let pages = pg.total.div_ceil(pg.per_page.max(1));
                                let q = search();
                                view! {
                                    <h2>{pg.agency.name.clone()}</h2>
                                    <form method="get" action="/coverage" class="inline-form" role="search">
                                        <input type="hidden" name="agency" value=agency_id.to_string()/>
                                        <label for="q" class="sr-only">{T::Search.get(lang)}</label>
                                        <input id="q" name="q" type="search" value=q.clone() placeholder=T::FullName.get(lang)/>
                                        <button type="submit" class="button">{T::Search.get(lang)}</button>
                                    </form>
                                    <p class="muted">{T::Total.get(lang)}": "{pg.total}</p>
                                    <table class="grid" aria-label=T::People.get(lang)>
                                        <thead><tr>
                                            <th>{T::OfficialCode.get(lang)}</th>
                                            <th>{T::FullName.get(lang)}</th>
                                            <th>{T::Position.get(lang)}</th>
                                            <th>{T::Agency.get(lang)}</th>
                                            <th>{T::Enforcement.get(lang)}</th>
                                        </tr></thead>
                                        <tbody>
                                            {pg.people.into_iter().map(|p| view! {
                                                <tr>
                                                    <td><code>{p.code}</code></td>
                                                    <td>{p.full_name}</td>
                                                    <td>{p.position}</td>
                                                    <td>{p.agency_name}</td>
                                                    <td>{if p.enforcement { T::Yes.get(lang) } else { T::No.get(lang) }}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                    <nav class="pager" aria-label="pages">
                                        {(0..pages).map(|i| {
                                            let href = format!("/coverage?agency={agency_id}&q={}&page={i}", q);
                                            let current = i == pg.page;
                                            view! { <a href=href aria-current=current.then_some("page")>{i + 1}</a> }
                                        }).collect_view()}
                                    </nav>
                                }.into_any()
                            }
                        }
                    })}
                </Suspense>
            </section>
        </div>
    }
}

#[component]
fn AgencyTable(rows: Vec<AgencyRow>) -> impl IntoView {
    let lang = expect_context::<Lang>();
    view! {
        <table class="grid tree">
            <thead><tr>
                <th>{T::Agency.get(lang)}</th>
                <th class="num">{T::PeopleCount.get(lang)}</th>
                <th class="num">{T::EnforcementCount.get(lang)}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|r| {
                    let pad = format!("padding-left: {}rem", 0.5 + r.depth as f32 * 1.25);
                    view! {
                        <tr>
                            <td style=pad><a href=format!("/coverage?agency={}", r.id)>{r.name}</a></td>
                            <td class="num">{r.people_total}</td>
                            <td class="num">{r.enforcement_total}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
