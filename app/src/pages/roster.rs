//! `/roster`: roster import with a preview. The upload is a multipart form POST to
//! `/roster/upload`, the confirmation a form POST to `/roster/apply` (plain axum routes in
//! `ssr::roster::web`), so the whole flow works with JavaScript off.

use crate::api::roster::{HowMatched, RosterPreview, check_roster_upload};
use crate::components::icon::{Ico, Icon};
use crate::components::loaded::page_resource;
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
    let mode = move || query.read().get("mode");
    // Columns chosen in the preview: `c{N}=label`, carried on as they came.
    let cols = move || {
        let q = query.read();
        let mut out = form_urlencoded_pairs(&q);
        out.sort();
        out.into_iter()
            .map(|(k, v)| format!("{k}={}", encode(&v)))
            .collect::<Vec<_>>()
            .join("&")
    };
    let error = move || query.read().get("error");
    let discarded = move || query.read().get("discarded").is_some();
    let preview = page_resource(
        move || (upload(), mode(), cols()),
        |(id, mode, cols)| async move {
            match id {
                Some(id) => check_roster_upload(id, mode, Some(cols)).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <Title text=T::NavRoster.get(lang)/>
        <RequireRole roles=&[Role::Manager, Role::Admin]>
            <h1>{T::NavRoster.get(lang)}</h1>
            <p class="lead">{T::RosterLead.get(lang)}</p>
            {move || error().map(|e| {
                let text = match e.as_str() {
                    "excel" => {
                        let detail = query.read().get("detail").unwrap_or_default();
                        format!("{} {detail}", T::ExcelUnreadable.get(lang))
                    }
                    "confirm" => T::ConfirmLeaversWrong.get(lang).to_string(),
                    "too_big" => T::FileTooBig.get(lang).to_string(),
                    "internal" => T::ErrorGeneric.get(lang).to_string(),
                    _ => T::UploadMissing.get(lang).to_string(),
                };
                view! { <p class="alert error" role="alert">{text}</p> }
            })}
            {move || discarded().then(|| view! { <p class="alert info" role="status">{T::UploadDiscarded.get(lang)}</p> })}
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
            <CodesCard/>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    use_session().user().await.filter(|u| u.role == Role::Admin).map(|_| view! { <AgencyUpload/> })
                })}
            </Suspense>
        </RequireRole>
    }
}

/// Activation codes for the officials of a unit who have not chosen a password yet: A4 slips
/// or XLSX, issued by a form post (the codes are shown once, in its answer).
#[component]
fn CodesCard() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let units = page_resource(|| (), |_| crate::api::people::agency_overview());
    view! {
        <section class="card" id="codes">
            <h2>{T::CodesTitle.get(lang)}</h2>
            <p class="muted">{T::CodesLead.get(lang)}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    units.await.ok().map(|rows| view! {
                        <form method="post" action="/accounts/codes">
                            <label for="codes-unit">{T::CodesUnit.get(lang)}</label>
                            <select id="codes-unit" name="agency_id">
                                {rows.into_iter().map(|a| {
                                    let label = format!("{}{}", "\u{2003}".repeat(a.depth), a.name);
                                    view! { <option value=a.id.to_string()>{label}</option> }
                                }).collect_view()}
                            </select>
                            <div class="actions">
                                <button type="submit" name="format" value="print" class="button primary"><Ico icon=Icon::Print/>{T::PrintSlips.get(lang)}</button>
                                <button type="submit" name="format" value="xlsx" class="button"><Ico icon=Icon::Download/>{T::DownloadCodes.get(lang)}</button>
                            </div>
                        </form>
                    })
                })}
            </Suspense>
        </section>
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

/// The `c{N}` entries of a query.
fn form_urlencoded_pairs(q: &leptos_router::params::ParamsMap) -> Vec<(String, String)> {
    q.into_iter()
        .filter(|(k, _)| {
            let k: &str = k.as_ref();
            k.len() > 1 && k.starts_with('c') && k[1..].chars().all(|c| c.is_ascii_digit())
        })
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Percent-encodes a query value.
fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
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
        p.joiners + p.leavers + p.transfers + p.changes + p.accounts_new == 0
    };
    let agencies = p.kind == "agencies";
    let pending = p.status == "pending";
    let id = p.id.to_string();
    let complete = p.mode == "complete";
    let cancel = {
        let id = id.clone();
        move || {
            view! {
                <form method="post" action="/roster/cancel" class="inline">
                    <input type="hidden" name="upload" value=id.clone()/>
                    <button type="submit" class="button">{T::CancelUpload.get(lang)}</button>
                </form>
            }
        }
    };
    // The mode switch: a GET form back to this page, so the preview is recomputed (JavaScript off too).
    let mode_switch = (!agencies && pending && p.errors.is_empty()).then(|| {
        let id = id.clone();
        view! {
            <form method="get" action="/roster" class="mode-switch">
                <input type="hidden" name="upload" value=id/>
                <fieldset>
                    <legend>{T::ImportModeLegend.get(lang)}</legend>
                    <label class="choice">
                        <input type="radio" name="mode" value="update" checked=!complete/>
                        <span><strong>{T::ModeUpdate.get(lang)}</strong>" — "{T::ModeUpdateHint.get(lang)}</span>
                    </label>
                    <label class="choice">
                        <input type="radio" name="mode" value="complete" checked=complete/>
                        <span>
                            <strong>{T::ModeComplete.get(lang)}</strong>" ("{p.unit.clone()}", "{p.active_in_unit}" "{T::ActiveNow.get(lang)}") — "
                            {T::ModeCompleteHint.get(lang)}
                        </span>
                    </label>
                </fieldset>
                <button type="submit" class="button">{T::ShowPreview.get(lang)}</button>
            </form>
        }
    });
    let groups = p.groups.clone();
    let warnings = p.warnings.clone();
    // Headers not read by their exact name: each with a select, to confirm or change (a GET
    // back to this page recomputes the preview; the apply form carries the choices on).
    let unusual: Vec<_> = p
        .columns
        .iter()
        .filter(|c| c.how != HowMatched::Exact)
        .cloned()
        .collect();
    let carried: Vec<(String, String)> = unusual
        .iter()
        .map(|c| (format!("c{}", c.column), c.label.clone().unwrap_or_else(|| "-".into())))
        .collect();
    let column_choice = (pending && !unusual.is_empty()).then(|| {
        let id = id.clone();
        let labels = p.labels.clone();
        let mode = p.mode.clone();
        view! {
            <form method="get" action="/roster" class="columns-choice">
                <input type="hidden" name="upload" value=id/>
                <input type="hidden" name="mode" value=mode/>
                <h3>{T::ColumnsTitle.get(lang)}</h3>
                <p class="muted">{T::ColumnsLead.get(lang)}</p>
                <table class="grid" aria-label=T::ColumnsTitle.get(lang)>
                    <thead><tr><th>{T::FileColumn.get(lang)}</th><th>{T::ReadAs.get(lang)}</th></tr></thead>
                    <tbody>
                        {unusual.into_iter().map(|c| {
                            let name = format!("c{}", c.column);
                            let sid = format!("col-{}", c.column);
                            let note = match c.how {
                                HowMatched::Inferred => T::Inferred.get(lang),
                                HowMatched::Chosen => T::ChosenEarlier.get(lang),
                                HowMatched::Unknown => T::ColumnUnclear.get(lang),
                                _ => "",
                            };
                            let current = c.label.clone().unwrap_or_else(|| "-".into());
                            let labels = labels.clone();
                            view! {
                                <tr data-how=format!("{:?}", c.how)>
                                    <td><label for=sid.clone()><strong>{c.header.clone()}</strong></label>
                                        " "<span class="muted">{note}</span></td>
                                    <td>
                                        <select id=sid name=name>
                                            <option value="-" selected={current == "-"}>{T::SkipColumn.get(lang)}</option>
                                            {labels.into_iter().map(|l| {
                                                let sel = l == current;
                                                view! { <option value=l.clone() selected=sel>{l.clone()}</option> }
                                            }).collect_view()}
                                        </select>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                <button type="submit" class="button">{T::ShowPreview.get(lang)}</button>
            </form>
        }
    });
    let accounts = (!agencies && pending && p.errors.is_empty() && !nothing).then(|| {
        let untouched = p.accounts_untouched.clone();
        view! {
            <p class="accounts-plan" role="status">
                <span class="num">{p.accounts_new}</span>" "{T::AccountsMade.get(lang)}
                {(!untouched.is_empty()).then(|| view! {
                    " · "{T::AccountsUntouched.get(lang)}": "{untouched.join(", ")}
                })}
            </p>
        }
    });
    view! {
        <section class="card roster-preview">
            <h2>{p.filename.clone()}</h2>
            {mode_switch}
            {column_choice}
            {(!warnings.is_empty()).then(|| view! {
                <div class="alert warn" role="status">
                    <p>{T::FormulaWarnings.get(lang)}</p>
                    <ul class="warnings">{warnings.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
                </div>
            })}
            {if !p.errors.is_empty() {
                view! {
                    <div class="alert error" role="alert">
                        <p>{T::RosterErrors.get(lang)}</p>
                        <ul class="diag">{p.errors.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul>
                    </div>
                    {pending.then(cancel.clone())}
                }.into_any()
            } else if p.status == "applied" {
                view! { <p class="alert ok" role="status">{T::RosterApplied.get(lang)}</p><pre class="diag">{p.summary}</pre> }.into_any()
            } else if !pending {
                view! { <pre class="diag">{p.summary}</pre> }.into_any()
            } else if nothing {
                view! { <p class="alert info" role="status">{T::NoChanges.get(lang)}</p>{cancel()} }.into_any()
            } else {
                let confirm = p.needs_confirmation.then(|| view! {
                    <p class="alert warn">{T::ConfirmLeaversLead.get(lang)}</p>
                    <label for="confirm-leavers">{T::NumberOfLeavers.get(lang)}</label>
                    <input id="confirm-leavers" name="confirm" type="text" inputmode="numeric" autocomplete="off" required/>
                });
                view! {
                    {if agencies {
                        view! { <ul class="effects">{p.effects.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul> }.into_any()
                    } else {
                        view! {
                            <h3>{T::EffectOnCoverage.get(lang)}</h3>
                            <div class="groups">
                                {groups.into_iter().filter(|(_, lines)| !lines.is_empty()).map(|(key, lines)| {
                                    let title = match key.as_str() {
                                        "joiners" => T::Joiners,
                                        "leavers" => T::Leavers,
                                        "transfers" => T::Transfers,
                                        _ => T::Changes,
                                    };
                                    let n = lines.len();
                                    view! {
                                        <details class=format!("group group-{key}") data-group=key.clone()>
                                            <summary><span class="num">{n}</span>" "{title.get(lang)}</summary>
                                            <ul class="effects">{lines.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul>
                                        </details>
                                    }
                                }).collect_view()}
                            </div>
                        }.into_any()
                    }}
                    {accounts}
                    <div class="actions">
                        <form method="post" action="/roster/apply" class="inline">
                            <input type="hidden" name="upload" value=id.clone()/>
                            <input type="hidden" name="mode" value=p.mode.clone()/>
                            {carried.into_iter().map(|(k, v)| view! { <input type="hidden" name=k value=v/> }).collect_view()}
                            {confirm}
                            <button type="submit" class="button primary">{T::ApplyChanges.get(lang)}</button>
                        </form>
                        {cancel()}
                    </div>
                }.into_any()
            }}
        </section>
    }
}
