//! `/roster`: roster import with a preview. The upload is a multipart form POST to
//! `/roster/upload`, the confirmation a form POST to `/roster/apply` (plain axum routes in
//! `ssr::roster::web`), so the whole flow works with JavaScript off.

use crate::api::roster::{RosterPreview, check_roster_upload};
use crate::components::session::{RequireRole, use_session};
use crate::domain::identity::Role;
use crate::i18n::{Lang, T};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn Roster() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let query = use_query_map();
    let upload = move || query.read().get("upload").and_then(|s| s.parse::<i64>().ok());
    let error = move || query.read().get("error");
    let preview = Resource::new(upload, |id| async move {
        match id {
            Some(id) => check_roster_upload(id).await.map(Some),
            None => Ok(None),
        }
    });
    view! {
        <Title text=T::NavRoster.get(lang)/>
        <RequireRole roles=&[Role::Manager, Role::Admin]>
            <h1>{T::NavRoster.get(lang)}</h1>
            <p class="lead">{T::RosterLead.get(lang)}</p>
            {move || error().map(|e| {
                let text = if e == "excel" {
                    let detail = query.read().get("detail").unwrap_or_default();
                    format!("{} {detail}", T::ExcelUnreadable.get(lang))
                } else {
                    T::UploadMissing.get(lang).to_string()
                };
                view! { <p class="alert error" role="alert">{text}</p> }
            })}
            <Suspense fallback=move || view! { <p class="muted">{T::Loading.get(lang)}</p> }>
                {move || Suspend::new(async move {
                    match preview.await {
                        Err(e) => view! { <p class="alert error" role="alert">{e.message(lang)}</p> }.into_any(),
                        Ok(Some(p)) => view! { <Preview p/> }.into_any(),
                        Ok(None) => ().into_any(),
                    }
                })}
            </Suspense>
            <section class="card">
                <form method="post" action="/roster/upload" enctype="multipart/form-data">
                    <label for="roster-file">{T::RosterFile.get(lang)}</label>
                    <input id="roster-file" name="file" type="file" accept=ACCEPT required/>
                    <p class="muted">{T::RosterColumns.get(lang)}</p>
                    <button type="submit" class="button primary">{T::CheckFile.get(lang)}</button>
                </form>
            </section>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    use_session().user().await.filter(|u| u.role == Role::Admin).map(|_| view! { <AgencyUpload/> })
                })}
            </Suspense>
        </RequireRole>
    }
}

/// The agency tree from a file (admins only): the same check → preview → confirm flow.
#[component]
fn AgencyUpload() -> impl IntoView {
    let lang = expect_context::<Lang>();
    view! {
        <section class="card">
            <h2>{T::AgencyTree.get(lang)}</h2>
            <form method="post" action="/roster/upload" enctype="multipart/form-data">
                <input type="hidden" name="kind" value="agencies"/>
                <label for="agency-file">{T::AgencyFile.get(lang)}</label>
                <input id="agency-file" name="file" type="file" accept=ACCEPT required/>
                <p class="muted">{T::AgencyColumns.get(lang)}</p>
                <button type="submit" class="button">{T::CheckFile.get(lang)}</button>
            </form>
        </section>
    }
}

/// Files the upload forms accept: CSV and spreadsheets.
const ACCEPT: &str =
    ".csv,text/csv,.xlsx,.xlsm,.xls,.ods,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[component]
fn Preview(p: RosterPreview) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let nothing = if p.kind == "agencies" {
        p.effects.iter().all(|e| e.starts_with("không có thay đổi"))
    } else {
        p.joiners + p.leavers + p.transfers + p.changes == 0
    };
    let agencies = p.kind == "agencies";
    view! {
        <section class="card roster-preview">
            <h2>{p.filename.clone()}</h2>
            {if !p.errors.is_empty() {
                view! {
                    <div class="alert error" role="alert">
                        <p>{T::RosterErrors.get(lang)}</p>
                        <ul class="diag">{p.errors.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul>
                    </div>
                }.into_any()
            } else if p.status == "applied" {
                view! { <p class="alert ok" role="status">{T::RosterApplied.get(lang)}</p><pre class="diag">{p.summary}</pre> }.into_any()
            } else if nothing {
                view! { <p class="alert info" role="status">{T::NoChanges.get(lang)}</p> }.into_any()
            } else {
                view! {
                    {(!agencies).then(|| view! {
                    <div class="stats">
                        <div class="stat"><span class="num">{p.joiners}</span><span>{T::Joiners.get(lang)}</span></div>
                        <div class="stat"><span class="num">{p.leavers}</span><span>{T::Leavers.get(lang)}</span></div>
                        <div class="stat"><span class="num">{p.transfers}</span><span>{T::Transfers.get(lang)}</span></div>
                        <div class="stat"><span class="num">{p.changes}</span><span>{T::Changes.get(lang)}</span></div>
                    </div>
                    <h3>{T::EffectOnCoverage.get(lang)}</h3>
                    })}
                    <ul class="effects">{p.effects.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul>
                    <form method="post" action="/roster/apply">
                        <input type="hidden" name="upload" value=p.id.to_string()/>
                        <button type="submit" class="button primary">{T::ApplyChanges.get(lang)}</button>
                    </form>
                }.into_any()
            }}
        </section>
    }
}
