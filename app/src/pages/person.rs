//! `/people/:id`: one official's training record — required courses per program and their
//! standing, certificates, and the agency history behind "as of" coverage.

use crate::api::coverage::{PersonRecord, get_person_record};
use crate::components::icon::{Ico, Icon};
use crate::components::loaded::{Loaded, page_resource};
use crate::components::session::RequireRole;
use crate::domain::identity::Role;
use crate::domain::program::ExemptionProblem;
use crate::domain::progress::RevocationProblem;
use crate::i18n::{Lang, T};
use crate::pages::coverage::fmt_date;
use crate::pages::programs::ExemptionTable;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn Person() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    // `?as_of=yyyy-mm-dd`: the standing at the dashboard's date (the coverage lists link so).
    let query = use_query_map();
    let as_of = move || query.read().get("as_of").filter(|s| !s.is_empty());
    let record = page_resource(move || (id(), as_of()), |(id, as_of)| get_person_record(id, as_of));
    view! {
        <Title text=T::People.get(lang)/>
        <RequireRole roles=&Role::ALL>
            <Loaded resource=record view=|r| view! { <Record r/> }/>
        </RequireRole>
    }
}

fn opt_date(d: Option<chrono::NaiveDate>) -> String {
    d.map(fmt_date).unwrap_or_else(|| "—".into())
}

#[component]
fn Record(r: PersonRecord) -> impl IntoView {
    let lang = expect_context::<Lang>();
    // Feedback of the exemption forms (post/redirect/get): `?program=ID&exempted=1`,
    // `?program=ID&error=CODE`, `?withdrawn=1`.
    let q = use_query_map().get_untracked();
    let for_program = q.get("program").and_then(|s| s.parse::<i64>().ok());
    let exempted = q.get("exempted").is_some();
    let withdrawn = q.get("withdrawn").is_some();
    let revoked = q.get("revoked").is_some();
    let revoke_error = q.get("revoke_error").and_then(|c| RevocationProblem::from_code(&c));
    let problem = q.get("error").and_then(|c| ExemptionProblem::from_code(&c));
    let can_manage = r.can_manage;
    let active = r.active;
    let person_id = r.id;
    let back = format!("/people/{}", r.id);
    let exemptions = r.exemptions.clone();
    // A problem is shown beside the exemption form of its program; when that form is not shown
    // (already exempt, not in the population), at the top of the page instead.
    let form_shown = |pid: i64| {
        r.programs
            .iter()
            .any(|p| p.program_id == pid && can_manage && p.in_population && p.exemption_id.is_none())
    };
    let top_problem = problem.filter(|_| !for_program.is_some_and(form_shown));
    view! {
        {top_problem.map(|e| view! { <p class="alert error" role="alert">{e.message(lang)}</p> })}
        {withdrawn.then(|| view! { <p class="alert ok" role="status">{T::ExemptionWithdrawn.get(lang)}</p> })}
        {revoked.then(|| view! { <p class="alert ok" role="status">{T::CertificateRevoked.get(lang)}</p> })}
        {revoke_error.map(|e| view! { <p class="alert error" role="alert">{e.message(lang)}</p> })}
        <h1>{r.full_name.clone()}</h1>
        {r.as_of.map(|d| view! {
            <p class="alert info" role="status">
                {T::RecordAsOf.get(lang).replace("{d}", &fmt_date(d))}" "
                <a href=format!("/people/{}", r.id)>{T::RecordToday.get(lang)}</a>
            </p>
        })}
        <p class="lead">
            <code>{r.code.clone()}</code>" · "{r.position.clone()}" · "{r.agency_name.clone()}
            {r.enforcement.then(|| view! { " " <span class="tag">{T::Enforcement.get(lang)}</span> })}
            {(!r.active).then(|| view! { " " <span class="tag">{T::LeftService.get(lang)}</span> })}
        </p>
        {r.programs.into_iter().map(|p| {
            let (cls, label) = match p.status.as_str() {
                "covered" => ("rag rag-green", T::Covered.get(lang)),
                "exempt" => ("rag rag-amber", T::Exempt.get(lang)),
                _ => ("rag rag-red", T::NotCovered.get(lang)),
            };
            view! {
                <section class="card program-standing">
                    <h2>{p.program}</h2>
                    <p>
                        {if p.in_population { T::InScopeOf.get(lang) } else { T::NotInScopeOf.get(lang) }}
                        " · "{T::Deadline.get(lang)}": "{fmt_date(p.deadline)}" · "
                        {T::Status.get(lang)}": "<span class=cls>{label}</span>
                    </p>
                    {(for_program == Some(p.program_id) && exempted).then(|| view! {
                        <p class="alert ok" role="status">{T::ExemptionRecorded.get(lang)}</p>
                    })}
                    {p.exemption.map(|e| view! { <p class="alert info">{T::Exempt.get(lang)}": "{e}</p> })}
                    {(can_manage && p.in_population && p.exemption_id.is_none()).then(|| {
                        let here = for_program == Some(p.program_id);
                        let error = problem.filter(|_| here);
                        let pid = p.program_id;
                        view! {
                            <details class="record-exemption" open=error.is_some()>
                                <summary>{T::RecordExemption.get(lang)}</summary>
                                {error.map(|e| view! { <p class="alert error" role="alert">{e.message(lang)}</p> })}
                                <form method="post" action=format!("/people/{person_id}/exemptions")>
                                    <input type="hidden" name="program_id" value=pid.to_string()/>
                                    <label for=format!("x-reason-{pid}")>{T::ExemptionReason.get(lang)}</label>
                                    <input id=format!("x-reason-{pid}") name="reason" type="text" maxlength="500"/>
                                    <label for=format!("x-approver-{pid}")>{T::ApprovedBy.get(lang)}</label>
                                    <input id=format!("x-approver-{pid}") name="approved_by" type="text" maxlength="500"
                                        placeholder=T::ApproverHint.get(lang)/>
                                    <p class="muted">{T::ExemptionRule.get(lang)}</p>
                                    <p><button type="submit" class="button primary">{T::Save.get(lang)}</button></p>
                                </form>
                            </details>
                        }
                    })}
                    <table class="grid" aria-label=T::Courses.get(lang)>
                        <thead><tr>
                            <th>{T::Courses.get(lang)}</th>
                            <th>{T::CompletedOn.get(lang)}</th>
                            <th>{T::CertNumber.get(lang)}</th>
                            <th>{T::Status.get(lang)}</th>
                        </tr></thead>
                        <tbody>
                            {p.courses.into_iter().map(|c| view! {
                                <tr>
                                    <td>{c.title}</td>
                                    <td>{opt_date(c.completed_on)}</td>
                                    <td>{c.certificate.unwrap_or_else(|| "—".into())}</td>
                                    <td>{if c.held {
                                        view! { <span class="rag rag-green">{T::Covered.get(lang)}</span> }.into_any()
                                    } else if c.outdated {
                                        view! { <span class="rag rag-amber">{T::OutdatedVersion.get(lang)}</span> }.into_any()
                                    } else {
                                        view! { <span class="rag rag-red">{T::NotCovered.get(lang)}</span> }.into_any()
                                    }}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </section>
            }
        }).collect_view()}
        {(!exemptions.is_empty()).then(|| view! {
            <section class="card">
                <h2>{T::Exemptions.get(lang)}</h2>
                <ExemptionTable rows=exemptions back=back show_program=true can_withdraw=can_manage/>
            </section>
        })}
        <section class="card">
            <h2>{T::Certificates.get(lang)}</h2>
            {if r.certificates.is_empty() {
                view! { <p class="muted">{T::NoCertificates.get(lang)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" role="region" tabindex="0" aria-label=T::Certificates.get(lang)>
                        <table class="grid" aria-label=T::Certificates.get(lang)>
                            <thead><tr>
                                <th>{T::CertNumber.get(lang)}</th>
                                <th>{T::Courses.get(lang)}</th>
                                <th>{T::Issued.get(lang)}</th>
                                <th>{T::ValidUntil.get(lang)}</th>
                                <th>{T::Revoke.get(lang)}</th>
                            </tr></thead>
                            <tbody>
                                {r.certificates.into_iter().map(|c| {
                                    let revoke = (can_manage && !c.revoked).then(|| {
                                        let rid = format!("rv-{}", c.number);
                                        view! {
                                            <details class="revoke">
                                                <summary>{T::Revoke.get(lang)}"…"</summary>
                                                <form method="post" action=format!("/certificates/{}/revoke", c.number) class="inline-form">
                                                    <label for=rid.clone() class="visually-hidden">{T::RevokeReason.get(lang)}</label>
                                                    <input id=rid name="reason" type="text" maxlength="500" placeholder=T::RevokeReason.get(lang)/>
                                                    <button type="submit" class="button small">{T::Revoke.get(lang)}</button>
                                                </form>
                                            </details>
                                        }
                                    });
                                    view! {
                                        <tr>
                                            <td><a href=format!("/verify/{}", c.number)><code>{c.number.clone()}</code></a>
                                                {c.revoked.then(|| view! { " " <span class="tag">{T::Revoked.get(lang)}</span> })}</td>
                                            <td>{c.course}</td>
                                            <td>{fmt_date(c.issued_on)}</td>
                                            <td>{opt_date(c.valid_until)}</td>
                                            <td>
                                                {c.revoked_on.map(|d| view! {
                                                    <span class="muted">{fmt_date(d)}{c.revoked_reason.clone().map(|r| format!(" — {r}"))}</span>
                                                })}
                                                {revoke}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
        <section class="card">
            <h2>{T::History.get(lang)}</h2>
            <table class="grid" aria-label=T::History.get(lang)>
                <thead><tr>
                    <th>{T::Agency.get(lang)}</th>
                    <th>{T::Position.get(lang)}</th>
                    <th>{T::Enforcement.get(lang)}</th>
                    <th>{T::FromDate.get(lang)}</th>
                    <th>{T::ToDate.get(lang)}</th>
                </tr></thead>
                <tbody>
                    {r.history.into_iter().map(|h| view! {
                        <tr>
                            <td>{h.agency_name}</td>
                            <td>{h.position}</td>
                            <td>{if h.enforcement { T::Yes.get(lang) } else { T::No.get(lang) }}</td>
                            <td>{opt_date(h.from)}</td>
                            <td>{opt_date(h.to)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        {can_manage.then(|| view! {
            <section class="card" id="evidence">
                <h2>{T::EvidencePack.get(lang)}</h2>
                <p class="muted">{T::EvidencePackHint.get(lang)}</p>
                <p><a href=format!("/people/{person_id}/evidence.zip") class="button" download><Ico icon=Icon::Download/>{T::EvidencePackDownload.get(lang)}</a></p>
            </section>
        })}
        {(can_manage && active).then(|| view! {
            <section class="card" id="password-help">
                <h2>{T::ResetCode.get(lang)}</h2>
                <p class="muted">{T::ResetCodeHint.get(lang)}</p>
                <form method="post" action=format!("/people/{person_id}/reset-code")>
                    <button type="submit" class="button">{T::ResetCode.get(lang)}</button>
                </form>
            </section>
        })}
    }
}
