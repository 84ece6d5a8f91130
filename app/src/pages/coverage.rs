//! `/coverage`: coverage of a program (target) in the caller's scope, as of a date — overall
//! against the target with red/amber/green, per agency rolled up the tree, the weekly burn-up
//! and forecast as server-rendered SVG, downloads, outreach — and the drill-down to the named
//! officials not yet covered (`?agency=ID`). Every control is a GET form or link
//! (`?program=&as_of=&agency=`), so it all works with JavaScript off.

use crate::api::coverage::{
    CoverageReport, MissingPage, OutreachProblem, RecordOutreach, SetOutreachPopulation, coverage_dashboard,
    coverage_missing,
};
use crate::api::error::ApiError;
use crate::components::icon::{Ico, Icon};
use crate::components::loaded::{Loaded, page_resource};
use crate::components::ring::Ring;
use crate::components::session::RequireRole;
use crate::domain::chart::{ChartLabels, burnup_svg};
use crate::domain::coverage::{Forecast, Rag};
use crate::domain::identity::Role;
use crate::i18n::{Lang, T};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
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

/// `12,5 %` in Vietnamese, `12.5%` in English.
pub fn fmt_pct(lang: Lang, p: f64) -> String {
    match lang {
        Lang::Vi => format!("{} %", fmt_dec(lang, p)),
        Lang::En => format!("{}%", fmt_dec(lang, p)),
    }
}

/// One decimal: `12,5` in Vietnamese, `12.5` in English.
pub fn fmt_dec(lang: Lang, x: f64) -> String {
    match lang {
        Lang::Vi => format!("{x:.1}").replace('.', ","),
        Lang::En => format!("{x:.1}"),
    }
}

pub use crate::i18n::fmt_date;

/// The label of a RAG rating.
pub fn rag_label(r: Rag, lang: Lang) -> &'static str {
    match r {
        Rag::Green => T::RagGreen.get(lang),
        Rag::Amber => T::RagAmber.get(lang),
        Rag::Red => T::RagRed.get(lang),
    }
}

/// A coloured RAG badge (colour and words: never colour alone).
#[component]
pub fn RagBadge(rag: Rag) -> impl IntoView {
    let lang = expect_context::<Lang>();
    view! { <span class=format!("rag rag-{}", rag.as_str())>{rag_label(rag, lang)}</span> }
}

#[component]
fn CoverageBody() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let query = use_query_map();
    let program = move || query.read().get("program").and_then(|s| s.parse::<i64>().ok());
    let as_of = move || query.read().get("as_of").unwrap_or_default();
    let agency = move || query.read().get("agency").and_then(|s| s.parse::<i64>().ok());
    let report = page_resource(move || (program(), as_of()), |(p, d)| coverage_dashboard(p, d));
    let missing = page_resource(
        move || (program(), agency(), as_of()),
        |(p, a, d)| coverage_missing(p, a, d),
    );
    view! {
        <div class="page-head">
            <h1>{T::NavCoverage.get(lang)}</h1>
            <a class="button" href="/programs">{T::ManagePrograms.get(lang)}</a>
        </div>
        <p class="lead">{T::CoverageLeadPrograms.get(lang)}</p>
        <Loaded resource=report view=move |r| view! { <Dashboard r missing/> }/>
    }
}

#[component]
fn Dashboard(r: CoverageReport, missing: Resource<Result<Option<MissingPage>, ApiError>>) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let pid = r.program.id;
    let as_of_param = r.as_of.format("%Y-%m-%d").to_string();
    let qs = format!("program={pid}&as_of={as_of_param}");
    let deadline = r.program.deadline;
    let svg = burnup_svg(
        &r.series,
        r.forecast.as_ref(),
        deadline,
        &ChartLabels {
            title: T::BurnUp.get(lang),
            covered: T::Covered.get(lang),
            target: T::Target.get(lang),
            forecast: T::Forecast.get(lang),
        },
    );
    let target_count = r.overall.target(r.program.threshold_percent);
    let agencies: Vec<(i64, String)> = r
        .agencies
        .iter()
        .filter(|a| a.valid)
        .map(|a| (a.id, a.name.clone()))
        .collect();
    view! {
        <form method="get" action="/coverage" class="filters card" role="search">
            <div>
                <label for="program">{T::Program.get(lang)}</label>
                <select id="program" name="program">
                    {r.programs.iter().map(|p| view! {
                        <option value=p.id.to_string() selected=p.id == pid>{p.name.clone()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div>
                <label for="as_of">{T::AsOf.get(lang)}</label>
                <input id="as_of" name="as_of" type="date" value=as_of_param.clone()/>
            </div>
            <button type="submit" class="button primary">{T::Show.get(lang)}</button>
        </form>

        <section aria-label=T::CoverageRate.get(lang)>
            <h2>{r.scope_name.clone()}" — "{r.program.code.clone()}</h2>
            <p class="muted">
                {T::Deadline.get(lang)}": "{fmt_date(deadline)}" · "{T::Target.get(lang)}": "
                {r.program.threshold_percent}"% · "{T::AsOf.get(lang)}": "{fmt_date(r.as_of)}
                <br/>{T::FieldMetric.get(lang)}": "{crate::pages::programs::metric_label(&r.program.metric, lang)}
            </p>
            {r.rule_changed_after.map(|d| view! {
                <p class="alert info">
                    {T::RuleChangedAfter.get(lang)}" "{fmt_date(d)}". "
                    <a href=format!("/programs/{pid}")>{T::RevisionHistory.get(lang)}</a>
                </p>
            })}
            <div class="stats">
                <div class=format!("stat stat-rag rag-{}", r.rag.as_str())>
                    <Ring percent=r.percent target={r.program.threshold_percent as f64} size=56/>
                    <span class="num" data-testid="coverage-percent">{fmt_pct(lang, r.percent)}</span>
                    <span>{T::CoverageRate.get(lang)}</span>
                    // On a line of its own: beside the label it wrapped and left a "·" hanging.
                    <span><RagBadge rag=r.rag/></span>
                </div>
                <div class="stat">
                    <span class="num">{r.overall.covered}" / "{r.overall.base()}</span>
                    <span>{T::Covered.get(lang)}" / "{T::Base.get(lang)}" ("{T::Target.get(lang)}": "{target_count}")"</span>
                    <span class="muted small" data-testid="covered-split">
                        {T::CoveredSplit.get(lang)
                            .replace("{class}", &r.covered_in_class.to_string())
                            .replace("{online}", &r.overall.covered.saturating_sub(r.covered_in_class).to_string())}
                    </span>
                </div>
                <div class="stat">
                    <span class="num">{r.overall.missing()}</span>
                    <span>{T::NotCovered.get(lang)}</span>
                </div>
                <div class="stat">
                    <span class="num">{r.overall.exempt}</span>
                    <span>{T::Exempt.get(lang)}" ("{T::Population.get(lang)}": "{r.overall.population}")"</span>
                </div>
            </div>
        </section>

        <div class="chart-row">
            <section class="card chart-card">
                <h2>{T::BurnUp.get(lang)}</h2>
                <div class="chart" inner_html=svg></div>
            </section>
            <section class="card">
                <h2>{T::Forecast.get(lang)}</h2>
                <ForecastText f=r.forecast.clone() deadline/>
                <h3>{T::Download.get(lang)}</h3>
                <ul class="downloads">
                    <li><Ico icon=Icon::Download size=16/>{T::ByAgency.get(lang)}": "
                        <a href=format!("/coverage/export/agencies.xlsx?{qs}") rel="external" download>"XLSX"</a>" · "
                        <a href=format!("/coverage/export/agencies.csv?{qs}") rel="external" download>"CSV"</a>
                    </li>
                    <li><Ico icon=Icon::Download size=16/>{T::Matrix.get(lang)}": "
                        <a href=format!("/coverage/export/matrix.xlsx?{qs}") rel="external" download>"XLSX"</a>" · "
                        <a href=format!("/coverage/export/matrix.csv?{qs}") rel="external" download>"CSV"</a>
                    </li>
                    <li><Ico icon=Icon::Print size=16/><a href=format!("/coverage/report?{qs}") rel="external">{T::PrintReport.get(lang)}</a></li>
                </ul>
            </section>
        </div>

        <div class="split">
            <section class="card">
                <h2>{T::Agencies.get(lang)}</h2>
                <table class="grid tree">
                    <thead><tr>
                        <th>{T::Agency.get(lang)}</th>
                        <th class="num">{T::Covered.get(lang)}" / "{T::Base.get(lang)}</th>
                        <th class="num">{T::CoverageRate.get(lang)}</th>
                        <th class="num">{T::Exempt.get(lang)}</th>
                    </tr></thead>
                    <tbody>
                        {r.agencies.into_iter().map(|a| {
                            let pad = format!("padding-left: {}rem", 0.5 + a.depth as f32 * 1.25);
                            let href = format!("/coverage?{qs}&agency={}", a.id);
                            view! {
                                <tr>
                                    <td style=pad>
                                        <a href=href>{a.name}</a>
                                        {(!a.valid).then(|| view! { " " <span class="tag">{T::ClosedAgency.get(lang)}</span> })}
                                    </td>
                                    <td class="num">{a.counts.covered}" / "{a.counts.base()}</td>
                                    <td class="num"><span class=format!("dot rag-{}", a.rag.as_str()) title=rag_label(a.rag, lang)></span>{fmt_pct(lang, a.percent)}</td>
                                    <td class="num">{a.counts.exempt}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
            <section class="card" aria-live="polite">
                <Suspense fallback=move || view! { <p class="muted">{T::Loading.get(lang)}</p> }>
                    {move || Suspend::new(async move {
                        match missing.await {
                            Err(e) => view! { <p class="alert error" role="alert">{e.message(lang)}</p> }.into_any(),
                            Ok(None) => view! { <p class="muted">{T::PickAgency.get(lang)}" →"</p> }.into_any(),
                            Ok(Some(pg)) => view! { <MissingList pg/> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </div>

        {
            let today = r.today.format("%Y-%m-%d").to_string();
            let outreach = r.outreach;
            let agencies2 = agencies.clone();
            // The forms' answer (`api::coverage::answer_form`): which form, what happened, and
            // what was typed into a refused one.
            let query = use_query_map();
            let answer = query.read_untracked().get("outreach").unwrap_or_default();
            let (answered, code) = answer.split_once('.').map_or((String::new(), String::new()), |(f, c)| (f.to_string(), c.to_string()));
            let refused = code != "saved";
            let (record_open, population_open) = (answered == "record", answered == "population");
            let typed = {
                let answered = answered.clone();
                move |form: &str, k: &str| -> Option<String> {
                    (answered == form && refused).then(|| query.read_untracked().get(&format!("o.{k}"))).flatten()
                }
            };
            let said = {
                let (answered, code) = (answered.clone(), code.clone());
                move |form: &str| -> Option<AnyView> {
                    if answered != form {
                        return None;
                    }
                    Some(if code == "saved" {
                        view! { <p class="alert ok" role="status">{T::Saved.get(lang)}</p> }.into_any()
                    } else {
                        let m = match OutreachProblem::from_code(&code) {
                            Some(p) => p.message(lang).to_string(),
                            None if code == "forbidden" => ApiError::Forbidden.message(lang),
                            None => ApiError::Internal.message(lang),
                        };
                        view! { <p class="alert error" role="alert">{m}</p> }.into_any()
                    })
                }
            };
            let option = |value: &str, label: &'static str, chosen: &Option<String>| {
                let selected = chosen.as_deref() == Some(value);
                view! { <option value=value.to_string() selected=selected>{label}</option> }
            };
            let (o_agency, o_kind, p_agency, p_kind) = (
                typed("record", "agency"),
                typed("record", "kind"),
                typed("population", "agency"),
                typed("population", "kind"),
            );
            view! {
            <section class="card outreach" id="outreach">
                <h2>{T::Outreach.get(lang)}</h2>
                <table class="grid">
                    <thead><tr>
                        <th>{T::Agency.get(lang)}</th>
                        <th>{T::Kind.get(lang)}</th>
                        <th class="num">{T::Events.get(lang)}</th>
                        <th class="num">{T::Reached.get(lang)}</th>
                        <th class="num">{T::KnownPopulation.get(lang)}</th>
                        <th class="num">"%"</th>
                    </tr></thead>
                    <tbody>
                        {outreach.into_iter().map(|o| {
                            let pct = o.population.filter(|p| *p > 0).map(|p| fmt_pct(lang, o.reached as f64 * 100.0 / p as f64));
                            view! {
                                <tr>
                                    <td>{o.agency_name}</td>
                                    <td>{if o.kind == "sellers" { T::Sellers.get(lang) } else { T::Consumers.get(lang) }}</td>
                                    <td class="num">{o.events}</td>
                                    <td class="num">{o.reached}</td>
                                    <td class="num">
                                        {o.population.map(|p| p.to_string()).unwrap_or_else(|| "—".into())}
                                        {o.source.map(|src| view! { <br/><span class="muted small">{src}</span> })}
                                    </td>
                                    <td class="num">{pct.unwrap_or_else(|| "—".into())}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                <details class="record-outreach" open=record_open>
                    <summary>{T::RecordOutreach.get(lang)}</summary>
                    {said("record")}
                    <form method="post" action=RecordOutreach::url()>
                        <div class="form-grid">
                            <div>
                                <label for="o-agency">{T::Agency.get(lang)}</label>
                                <select id="o-agency" name="agency_id">
                                    {agencies.into_iter().map(|(id, name)| {
                                        let selected = o_agency.as_deref() == Some(id.to_string().as_str());
                                        view! { <option value=id.to_string() selected=selected>{name}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                            <div>
                                <label for="o-date">{T::HeldOn.get(lang)}</label>
                                <input id="o-date" name="held_on" type="date" value=typed("record", "date").unwrap_or_else(|| today.clone()) max=today.clone() required/>
                            </div>
                            <div>
                                <label for="o-kind">{T::Kind.get(lang)}</label>
                                <select id="o-kind" name="kind">
                                    {option("sellers", T::Sellers.get(lang), &o_kind)}
                                    {option("consumers", T::Consumers.get(lang), &o_kind)}
                                </select>
                            </div>
                            <div>
                                <label for="o-reached">{T::Reached.get(lang)}</label>
                                <input id="o-reached" name="reached" type="number" min="0" value=typed("record", "reached").unwrap_or_else(|| "0".into()) required/>
                            </div>
                        </div>
                        <label for="o-title">{T::ActivityTitle.get(lang)}</label>
                        <input id="o-title" name="title" type="text" maxlength="200" value=typed("record", "title").unwrap_or_default() required/>
                        <p><button type="submit" class="button primary">{T::Save.get(lang)}</button></p>
                    </form>
                </details>
                <details class="record-outreach" open=population_open>
                    <summary>{T::SetKnownPopulation.get(lang)}</summary>
                    {said("population")}
                    <form method="post" action=SetOutreachPopulation::url()>
                        <div class="form-grid">
                            <div>
                                <label for="op-agency">{T::Agency.get(lang)}</label>
                                <select id="op-agency" name="agency_id">
                                    {agencies2.into_iter().map(|(id, name)| {
                                        let selected = p_agency.as_deref() == Some(id.to_string().as_str());
                                        view! { <option value=id.to_string() selected=selected>{name}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                            <div>
                                <label for="op-kind">{T::Kind.get(lang)}</label>
                                <select id="op-kind" name="kind">
                                    {option("sellers", T::Sellers.get(lang), &p_kind)}
                                    {option("consumers", T::Consumers.get(lang), &p_kind)}
                                </select>
                            </div>
                            <div>
                                <label for="op-population">{T::KnownPopulation.get(lang)}</label>
                                <input id="op-population" name="population" type="number" min="1" value=typed("population", "population").unwrap_or_default() required/>
                            </div>
                        </div>
                        <label for="op-source">{T::PopulationSource.get(lang)}</label>
                        <input id="op-source" name="source" type="text" maxlength="200" value=typed("population", "source").unwrap_or_default() required placeholder="Sở Công Thương, 10/2026"/>
                        <p><button type="submit" class="button primary">{T::Save.get(lang)}</button></p>
                    </form>
                </details>
            </section>
            }
        }

        <details class="card definitions">
            <summary>{T::Definitions.get(lang)}</summary>
            <p>{T::DefinitionsText.get(lang)}</p>
        </details>
    }
}

/// The forecast in words.
#[component]
pub fn ForecastText(f: Option<Forecast>, deadline: chrono::NaiveDate) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let Some(f) = f else {
        return view! { <p class="muted">"—"</p> }.into_any();
    };
    // A falling count (certificates expiring, a law change owing retraining) is said as a fall,
    // with its usual causes, never as a negative pace.
    let falling = f.trailing_per_week < 0.0;
    let rate = if falling {
        format!("{} {}", T::PaceFalling.get(lang), fmt_dec(lang, -f.trailing_per_week))
    } else {
        fmt_dec(lang, f.trailing_per_week)
    };
    // A projection after the deadline is news a manager must not miss: said in days, in amber.
    let late_by = f.late_by(deadline);
    let projected = if f.remaining == 0 {
        T::TargetMet.get(lang).to_string()
    } else {
        match (f.projected, late_by) {
            (Some(d), Some(days)) => format!(
                "{}: {} — {}",
                T::ProjectedDate.get(lang),
                fmt_date(d),
                T::LateBy
                    .get(lang)
                    .replace("{n}", &days.to_string())
                    .replace("{d}", &fmt_date(deadline))
            ),
            (Some(d), None) => format!("{}: {}", T::ProjectedDate.get(lang), fmt_date(d)),
            (None, _) => T::NoProjection.get(lang).to_string(),
        }
    };
    let needed = match f.needed_per_week {
        Some(n) if f.remaining > 0 => format!(
            "{}: {} {}",
            T::NeededPace.get(lang),
            fmt_dec(lang, n),
            T::PerWeek.get(lang)
        ),
        Some(_) => String::new(),
        None => format!("{} ({})", T::DeadlinePassed.get(lang), fmt_date(deadline)),
    };
    let pace_class = if f.remaining == 0 || f.on_pace {
        "alert ok"
    } else {
        // Late at this pace, or no pace at all.
        "alert warn"
    };
    view! {
        <ul class="forecast">
            <li>
                {T::TrailingRate.get(lang)}": "<strong>{rate}</strong>" "{T::PerWeek.get(lang)}
                {falling.then(|| view! { <span class="muted">" — "{T::PaceFallingWhy.get(lang)}</span> })}
            </li>
            <li>{T::Remaining.get(lang)}": "<strong>{f.remaining}</strong>" / "{f.target}</li>
            {(!needed.is_empty()).then(|| view! { <li>{needed}</li> })}
        </ul>
        <p class=pace_class>{projected}</p>
    }
    .into_any()
}

#[component]
fn MissingList(pg: MissingPage) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let exempt = pg.exempt;
    // At a past date, each record opens at that date too.
    let at = pg
        .as_of
        .map(|d| format!("?as_of={}", d.format("%Y-%m-%d")))
        .unwrap_or_default();
    let person_href = move |id: i64| format!("/people/{id}{at}");
    view! {
        <h2>{pg.agency_name.clone()}</h2>
        <p class="muted">
            {T::NotCovered.get(lang)}": "<strong>{pg.counts.missing()}</strong>
            " · "{T::Covered.get(lang)}": "{pg.counts.covered}" / "{pg.counts.base()}
            " · "{T::Exempt.get(lang)}": "{pg.counts.exempt}
        </p>
        {pg.missing.is_empty().then(|| view! { <p class="alert ok">{T::AllCovered.get(lang)}</p> })}
        <table class="grid" aria-label=T::MissingPeople.get(lang)>
            <caption class="sr-only">{T::MissingPeople.get(lang)}</caption>
            <thead><tr>
                <th>{T::OfficialCode.get(lang)}</th>
                <th>{T::FullName.get(lang)}</th>
                <th>{T::Agency.get(lang)}</th>
                <th>{T::MissingCourses.get(lang)}</th>
            </tr></thead>
            <tbody>
                {pg.missing.into_iter().map(|p| view! {
                    <tr>
                        <td><code>{p.code}</code></td>
                        <td><a href=person_href(p.id)>{p.full_name}</a><br/><small class="muted">{p.position}</small></td>
                        <td>{p.agency_name}</td>
                        <td>{p.missing.into_iter().map(|c| view! { <span class="tag">{c}</span> }).collect_view()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        {(!exempt.is_empty()).then(|| view! {
            <h3>{T::ExemptList.get(lang)}</h3>
            <ul class="exempt-list">
                {exempt.into_iter().map(|e| view! {
                    <li>
                        <a href=person_href(e.id)>{e.full_name}</a>" ("<code>{e.code}</code>", "{e.agency_name}") — "
                        {T::Reason.get(lang)}": "{e.reason}"; "{T::ApprovedBy.get(lang)}": "{e.approved_by}
                    </li>
                }).collect_view()}
            </ul>
        })}
    }
}
