//! `/programs`: the targets; `/programs/new` and `/programs/:id`: one target's form, its
//! history of changes and its exemptions.
//!
//! The form is a plain POST to `/programs/save` (works with JavaScript off). A draft with
//! problems comes back in the query string (`?check=1&code=…`) with every field as typed; this
//! page runs the same checker as the server (`domain::program::check`, with the `Known` facts
//! the server sent) and shows each problem beside its field and in a summary at the top.

use crate::api::programs::{ExemptionDto, ProgramEditor, ProgramRow, list_programs, load_program};
use crate::components::loaded::{Loaded, page_resource};
use crate::components::session::RequireRole;
use crate::domain::identity::Role;
use crate::domain::program::{Field, Problem, ProgramDraft, check};
use crate::i18n::{Lang, T};
use crate::pages::coverage::fmt_date;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn Programs() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let rows = page_resource(|| (), |_| list_programs());
    view! {
        <Title text=T::NavPrograms.get(lang)/>
        <RequireRole roles=&[Role::Manager, Role::Admin]>
            <div class="page-head">
                <h1>{T::NavPrograms.get(lang)}</h1>
                <a class="button primary" href="/programs/new">{T::NewProgram.get(lang)}</a>
            </div>
            <p class="lead">{T::ProgramsLead.get(lang)}</p>
            <Loaded resource=rows view=|rows| view! { <ProgramTable rows/> }/>
        </RequireRole>
    }
}

#[component]
fn ProgramTable(rows: Vec<ProgramRow>) -> impl IntoView {
    let lang = expect_context::<Lang>();
    view! {
        <section class="card">
            <div class="table-scroll" role="region" tabindex="0" aria-label=T::NavPrograms.get(lang)>
                <table class="grid" aria-label=T::NavPrograms.get(lang)>
                    <thead><tr>
                        <th>{T::FieldCode.get(lang)}</th>
                        <th>{T::FieldName.get(lang)}</th>
                        <th>{T::Agency.get(lang)}</th>
                        <th>{T::Deadline.get(lang)}</th>
                        <th class="num">{T::Target.get(lang)}</th>
                        <th class="num">{T::Courses.get(lang)}</th>
                        <th class="num">{T::Exemptions.get(lang)}</th>
                        <th class="num">{T::RevisionsCount.get(lang)}</th>
                        <th>{T::Status.get(lang)}</th>
                        <th></th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| {
                            let href = format!("/programs/{}", r.id);
                            view! {
                                <tr class:inactive=!r.active>
                                    <td><code>{r.code}</code></td>
                                    <td><a href=href.clone()>{r.name}</a></td>
                                    <td>{r.root_name}</td>
                                    <td>{fmt_date(r.deadline)}</td>
                                    <td class="num">{format!("{} %", r.threshold_percent)}</td>
                                    <td class="num">{r.courses}</td>
                                    <td class="num">{r.exempt}</td>
                                    <td class="num">{r.revisions}</td>
                                    <td>{if r.active { T::InForce.get(lang) } else { T::Inactive.get(lang) }}</td>
                                    <td><a href=href>{if r.can_edit { T::EditAction.get(lang) } else { T::ViewAction.get(lang) }}</a></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// The label of a form field (also used by the history).
/// What counts as trained under a program's metric, as its form and its reports say it.
pub fn metric_label(metric: &str, lang: Lang) -> &'static str {
    match metric {
        "ever_completed" => T::MetricEver.get(lang),
        "current_version" => T::MetricCurrent.get(lang),
        _ => T::MetricValid.get(lang),
    }
}

pub fn field_label(f: Field, lang: Lang) -> &'static str {
    match f {
        Field::Code => T::FieldCode.get(lang),
        Field::Name => T::FieldName.get(lang),
        Field::Description => T::FieldDescription.get(lang),
        Field::Root => T::FieldRoot.get(lang),
        Field::Positions => T::FieldPositions.get(lang),
        Field::EnforcementOnly => T::FieldEnforcementOnly.get(lang),
        Field::Courses => T::FieldCourses.get(lang),
        Field::Rule => T::FieldRule.get(lang),
        Field::Threshold => T::FieldThreshold.get(lang),
        Field::Deadline => T::Deadline.get(lang),
        Field::Metric => T::FieldMetric.get(lang),
        Field::Active => T::FieldActive.get(lang),
        Field::Reason => T::FieldReason.get(lang),
    }
}

/// The draft sent back in the query string, if any.
fn draft_from_query(q: &leptos_router::params::ParamsMap) -> Option<ProgramDraft> {
    q.get("check")?;
    let mut pairs: Vec<(String, String)> = vec![];
    for k in [
        "code",
        "name",
        "description",
        "root_agency_id",
        "rule",
        "threshold_percent",
        "deadline",
        "metric",
        "reason",
        "enforcement_only",
        "active",
    ] {
        if let Some(v) = q.get(k) {
            pairs.push((k.to_string(), v));
        }
    }
    for k in ["positions", "courses"] {
        for v in q.get_all(k).unwrap_or_default() {
            pairs.push((k.to_string(), v));
        }
    }
    Some(ProgramDraft::from_pairs(
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    ))
}

/// `/programs/new` and `/programs/:id`.
#[component]
pub fn ProgramPage() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok());
    let editor = page_resource(id, load_program);
    view! {
        <Title text=T::NavPrograms.get(lang)/>
        <RequireRole roles=&[Role::Manager, Role::Admin]>
            <p class="crumbs"><a href="/programs">{T::NavPrograms.get(lang)}</a></p>
            <Loaded resource=editor view=|ed| view! { <Editor ed/> }/>
        </RequireRole>
    }
}

#[component]
fn Editor(ed: ProgramEditor) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let query = use_query_map();
    let q = query.get_untracked();
    let saved = q.get("saved").is_some();
    let withdrawn = q.get("withdrawn").is_some();
    let returned = draft_from_query(&q);
    let problems: Vec<Problem> = match &returned {
        Some(d) => check(d, &ed.known).err().unwrap_or_default(),
        None => vec![],
    };
    let d = returned.unwrap_or_else(|| ed.draft.clone());
    let title = match ed.id {
        None => T::NewProgram.get(lang).to_string(),
        Some(_) => ed.draft.name.clone(),
    };
    let editing = ed.id.is_some();
    let problems_for = {
        let problems = problems.clone();
        move |f: Field| -> Vec<String> {
            problems
                .iter()
                .filter(|p| p.field() == f)
                .map(|p| p.message(lang))
                .collect()
        }
    };
    // `aria-invalid` + the message under the field, with an id for `aria-describedby`.
    let msg = {
        let problems_for = problems_for.clone();
        move |f: Field| {
            let ms = problems_for(f);
            (!ms.is_empty()).then(|| {
                view! {
                    <p class="field-error" id=format!("{}-error", f.input_id())>
                        {ms.join(" ")}
                    </p>
                }
            })
        }
    };
    let invalid = {
        let problems_for = problems_for.clone();
        move |f: Field| (!problems_for(f).is_empty()).then_some("true")
    };
    let described = move |f: Field| format!("{}-error", f.input_id());
    let threshold = d.threshold_percent.clone();
    let positions = {
        let mut all = ed.positions.clone();
        for p in &d.positions {
            if !all.contains(p) {
                all.push(p.clone());
            }
        }
        all
    };
    let coverage_link = ed.id.map(|id| format!("/coverage?program={id}"));
    view! {
        <div class="page-head">
            <h1>{title}</h1>
            {coverage_link.map(|h| view! { <a class="button" href=h>{T::ViewCoverage.get(lang)}</a> })}
        </div>
        {saved.then(|| view! { <p class="alert ok" role="status">{T::ProgramSaved.get(lang)}</p> })}
        {ed.today.map(|c| view! {
            <div class="stats" role="group" aria-label=T::ProgramToday.get(lang)>
                <div class="stat"><span class="num">{c.population}</span><span>{T::Population.get(lang)}</span></div>
                <div class="stat"><span class="num">{c.exempt}</span><span>{T::Exempt.get(lang)}</span></div>
                <div class="stat"><span class="num">{c.covered}" / "{c.base()}</span><span>{T::Covered.get(lang)}" / "{T::Base.get(lang)}</span></div>
            </div>
        })}
        {withdrawn.then(|| view! { <p class="alert ok" role="status">{T::ExemptionWithdrawn.get(lang)}</p> })}
        {(!ed.can_edit).then(|| view! { <p class="alert info">{T::ViewOnlyProgram.get(lang)}</p> })}
        {(!problems.is_empty()).then(|| view! {
            <div class="alert error" role="alert" id="problems">
                <p>{T::FixProblems.get(lang)}</p>
                <ul>
                    {problems.iter().map(|p| view! {
                        <li><a href=format!("#{}", p.field().input_id())>{field_label(p.field(), lang)}</a>": "{p.message(lang)}</li>
                    }).collect_view()}
                </ul>
            </div>
        })}
        <form method="post" action="/programs/save" class="card program-form">
            <input type="hidden" name="id" value=ed.id.map(|i| i.to_string()).unwrap_or_default()/>
            <fieldset disabled=!ed.can_edit>
                <div class="form-grid">
                    <div>
                        <label for="p-code">{T::FieldCode.get(lang)}</label>
                        <input id="p-code" name="code" type="text" maxlength="40" value=d.code.clone()
                            aria-invalid=invalid(Field::Code) aria-describedby=described(Field::Code) placeholder="DA319-2026"/>
                        {msg(Field::Code)}
                    </div>
                    <div class="wide">
                        <label for="p-name">{T::FieldName.get(lang)}</label>
                        <input id="p-name" name="name" type="text" maxlength="200" value=d.name.clone()
                            aria-invalid=invalid(Field::Name) aria-describedby=described(Field::Name)/>
                        {msg(Field::Name)}
                    </div>
                </div>
                <label for="p-description">{T::FieldDescription.get(lang)}</label>
                <textarea id="p-description" name="description" rows="2" maxlength="2000"
                    aria-invalid=invalid(Field::Description) aria-describedby=described(Field::Description)>{d.description.clone()}</textarea>
                {msg(Field::Description)}

                <h2>{T::Population.get(lang)}</h2>
                <label for="p-root">{T::FieldRoot.get(lang)}</label>
                <select id="p-root" name="root_agency_id"
                    aria-invalid=invalid(Field::Root) aria-describedby=described(Field::Root)>
                    {ed.agencies.iter().map(|a| {
                        let selected = d.root_agency_id == a.id.to_string();
                        let label = format!("{}{}", "\u{2003}".repeat(a.depth), a.name);
                        view! { <option value=a.id.to_string() selected=selected>{label}</option> }
                    }).collect_view()}
                </select>
                {msg(Field::Root)}
                <fieldset class="checks columns" id="p-positions" aria-describedby="p-positions-hint">
                    <legend>{T::FieldPositions.get(lang)}</legend>
                    <p class="muted" id="p-positions-hint">{T::PositionsHint.get(lang)}</p>
                    {positions.into_iter().enumerate().map(|(i, p)| {
                        let checked = d.positions.contains(&p);
                        let id = format!("p-pos-{i}");
                        view! {
                            <label class="check">
                                <input type="checkbox" id=id name="positions" value=p.clone() checked=checked/>
                                {p}
                            </label>
                        }
                    }).collect_view()}
                    {msg(Field::Positions)}
                </fieldset>
                <label class="check" for="p-enforcement">
                    <input type="checkbox" id="p-enforcement" name="enforcement_only" checked=d.enforcement_only/>
                    {T::FieldEnforcementOnly.get(lang)}
                </label>

                <h2>{T::FieldCourses.get(lang)}</h2>
                <fieldset class="checks" id="p-courses"
                    aria-invalid=invalid(Field::Courses) aria-describedby=described(Field::Courses)>
                    <legend class="visually-hidden">{T::FieldCourses.get(lang)}</legend>
                    {ed.courses.iter().enumerate().map(|(i, (cid, title))| {
                        let checked = d.courses.contains(cid);
                        let id = format!("p-course-{i}");
                        view! {
                            <label class="check">
                                <input type="checkbox" id=id name="courses" value=cid.clone() checked=checked/>
                                {title.clone()}" "<code class="muted">{cid.clone()}</code>
                            </label>
                        }
                    }).collect_view()}
                    {msg(Field::Courses)}
                </fieldset>
                <fieldset class="checks" id="p-rule">
                    <legend>{T::FieldRule.get(lang)}</legend>
                    <label class="check" for="p-rule-all">
                        <input type="radio" id="p-rule-all" name="rule" value="all" checked=d.rule == "all"/>
                        {T::RuleAll.get(lang)}
                    </label>
                    <label class="check" for="p-rule-any">
                        <input type="radio" id="p-rule-any" name="rule" value="any" checked=d.rule == "any"/>
                        {T::RuleAny.get(lang)}
                    </label>
                    {msg(Field::Rule)}
                </fieldset>

                <h2>{T::Target.get(lang)}</h2>
                <div class="form-grid">
                    <div>
                        <label for="p-threshold">{T::FieldThreshold.get(lang)}</label>
                        <input id="p-threshold" name="threshold_percent" type="text" inputmode="numeric" value=threshold
                            aria-invalid=invalid(Field::Threshold) aria-describedby=described(Field::Threshold)/>
                        {msg(Field::Threshold)}
                    </div>
                    <div>
                        <label for="p-deadline">{T::Deadline.get(lang)}</label>
                        <input id="p-deadline" name="deadline" type="date" value=d.deadline.clone()
                            aria-invalid=invalid(Field::Deadline) aria-describedby=described(Field::Deadline)/>
                        {msg(Field::Deadline)}
                    </div>
                </div>
                <fieldset class="checks" id="p-metric">
                    <legend>{T::FieldMetric.get(lang)}</legend>
                    <label class="check" for="p-metric-valid">
                        <input type="radio" id="p-metric-valid" name="metric" value="valid_at_deadline" checked=d.metric == "valid_at_deadline"/>
                        {T::MetricValid.get(lang)}
                    </label>
                    <label class="check" for="p-metric-ever">
                        <input type="radio" id="p-metric-ever" name="metric" value="ever_completed" checked=d.metric == "ever_completed"/>
                        {T::MetricEver.get(lang)}
                    </label>
                    <label class="check" for="p-metric-current">
                        <input type="radio" id="p-metric-current" name="metric" value="current_version" checked=d.metric == "current_version"/>
                        {T::MetricCurrent.get(lang)}
                    </label>
                    {msg(Field::Metric)}
                </fieldset>
                <label class="check" for="p-active">
                    <input type="checkbox" id="p-active" name="active" checked=d.active/>
                    {T::FieldActive.get(lang)}
                </label>

                <label for="p-reason">{T::FieldReason.get(lang)}{editing.then_some(" *")}</label>
                <textarea id="p-reason" name="reason" rows="2" maxlength="500"
                    aria-invalid=invalid(Field::Reason) aria-describedby=described(Field::Reason)>{d.reason.clone()}</textarea>
                <p class="muted">{T::ReasonHint.get(lang)}</p>
                {msg(Field::Reason)}
                <p><button type="submit" class="button primary">{T::Save.get(lang)}</button></p>
            </fieldset>
        </form>

        {editing.then(|| view! {
            <section class="card">
                <h2>{T::Exemptions.get(lang)}</h2>
                <p class="muted">{T::ExemptionRule.get(lang)}</p>
                <ExemptionTable rows=ed.exemptions.clone() back=format!("/programs/{}", ed.id.unwrap_or_default()) show_program=false can_withdraw=true/>
            </section>
            <section class="card">
                <h2>{T::RevisionHistory.get(lang)}</h2>
                <table class="grid history" aria-label=T::RevisionHistory.get(lang)>
                    <thead><tr>
                        <th class="num">{T::RevisionNo.get(lang)}</th>
                        <th>{T::ChangedAt.get(lang)}</th>
                        <th>{T::ChangedBy.get(lang)}</th>
                        <th>{T::Reason.get(lang)}</th>
                        <th>{T::WhatChanged.get(lang)}</th>
                    </tr></thead>
                    <tbody>
                        {ed.history.clone().into_iter().map(|r| view! {
                            <tr>
                                <td class="num">{r.revision}</td>
                                <td>{r.changed_at.format("%d/%m/%Y %H:%M").to_string()}</td>
                                <td>{r.by}</td>
                                <td>{r.reason}</td>
                                <td>
                                    {if r.changes.is_empty() {
                                        view! { <span class="muted">{T::CreatedRevision.get(lang)}</span> }.into_any()
                                    } else {
                                        view! {
                                            <ul class="changes">
                                                {r.changes.into_iter().map(|c| view! {
                                                    <li><strong>{field_label(c.field, lang)}</strong>": "
                                                        <del>{c.before}</del>" → "<ins>{c.after}</ins></li>
                                                }).collect_view()}
                                            </ul>
                                        }.into_any()
                                    }}
                                </td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        })}
    }
}

/// Exemptions, each with a withdrawal form while in force (`back`: where to return). On a
/// program's page they list officials; on an official's record (`show_program`), programs.
#[component]
pub fn ExemptionTable(rows: Vec<ExemptionDto>, back: String, show_program: bool, can_withdraw: bool) -> impl IntoView {
    let lang = expect_context::<Lang>();
    if rows.is_empty() {
        return view! { <p class="muted">{T::NoExemptions.get(lang)}</p> }.into_any();
    }
    view! {
        <div class="table-scroll" role="region" tabindex="0" aria-label=T::Exemptions.get(lang)>
            <table class="grid exemptions" aria-label=T::Exemptions.get(lang)>
                <thead><tr>
                    {show_program.then(|| view! { <th>{T::Program.get(lang)}</th> })}
                    {(!show_program).then(|| view! { <th>{T::FullName.get(lang)}</th><th>{T::Agency.get(lang)}</th> })}
                    <th>{T::Reason.get(lang)}</th>
                    <th>{T::ApprovedBy.get(lang)}</th>
                    <th>{T::ExemptSince.get(lang)}</th>
                    <th>{T::Status.get(lang)}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|e| {
                        let status = match e.withdrawn_on {
                            None if !can_withdraw => view! { <span class="rag rag-amber">{T::InForce.get(lang)}</span> }.into_any(),
                            None => {
                                let back = back.clone();
                                let rid = format!("w-reason-{}", e.id);
                                view! {
                                    <span class="rag rag-amber">{T::InForce.get(lang)}</span>
                                    <form method="post" action=format!("/exemptions/{}/withdraw", e.id) class="inline-form">
                                        <input type="hidden" name="back" value=back/>
                                        <label for=rid.clone() class="visually-hidden">{T::WithdrawReason.get(lang)}</label>
                                        <input id=rid name="reason" type="text" maxlength="500" required placeholder=T::WithdrawReason.get(lang)/>
                                        <button type="submit" class="button small">{T::Withdraw.get(lang)}</button>
                                    </form>
                                }.into_any()
                            }
                            Some(w) => view! {
                                <span class="muted">{T::WithdrawnOn.get(lang)}" "{fmt_date(w)}
                                    {e.withdrawal_reason.clone().map(|r| format!(" — {r}"))}</span>
                            }.into_any(),
                        };
                        view! {
                            <tr>
                                {show_program.then(|| view! { <td>{e.program_name.clone()}</td> })}
                                {(!show_program).then(|| view! {
                                    <td><a href=format!("/people/{}", e.person_id)>{e.person_name}</a>" "<code class="muted">{e.person_code}</code></td>
                                    <td>{e.agency_name}</td>
                                })}
                                <td>{e.reason}</td>
                                <td>{e.approved_by}</td>
                                <td>{fmt_date(e.since)}</td>
                                <td>{status}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
