//! `/coverage/report`: the print-ready coverage report for the steering committee — one page,
//! no navigation chrome when printed, the same numbers as the dashboard.

use crate::api::coverage::{CoverageReport, coverage_dashboard};
use crate::components::loaded::Loaded;
use crate::components::session::RequireRole;
use crate::domain::chart::{ChartLabels, burnup_svg};
use crate::domain::identity::Role;
use crate::i18n::{Lang, T};
use crate::pages::coverage::{ForecastText, RagBadge, fmt_date, fmt_pct};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CoverageReportPage() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let query = use_query_map();
    let program = move || query.read().get("program").and_then(|s| s.parse::<i64>().ok());
    let as_of = move || query.read().get("as_of").unwrap_or_default();
    let report = Resource::new(move || (program(), as_of()), |(p, d)| coverage_dashboard(p, d));
    view! {
        <Title text=T::ReportTitle.get(lang)/>
        <RequireRole roles=&[Role::Manager, Role::Admin]>
            <Loaded resource=report view=|r| view! { <Report r/> }/>
        </RequireRole>
    }
}

#[component]
fn Report(r: CoverageReport) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let svg = burnup_svg(
        &r.series,
        r.forecast.as_ref(),
        r.program.deadline,
        &ChartLabels {
            title: T::BurnUp.get(lang),
            covered: T::Covered.get(lang),
            target: T::Target.get(lang),
            forecast: T::Forecast.get(lang),
        },
    );
    view! {
        <article class="report">
            <p class="muted">{T::ReportFor.get(lang)}</p>
            <h1>{T::ReportTitle.get(lang)}</h1>
            <p class="lead">
                <strong>{r.program.name.clone()}</strong><br/>
                {r.scope_name.clone()}" · "{T::AsOf.get(lang)}" "{fmt_date(r.as_of)}
                " · "{T::Deadline.get(lang)}" "{fmt_date(r.program.deadline)}" · "{T::Target.get(lang)}" "{r.program.threshold_percent}"%"
            </p>
            <div class="stats">
                <div class="stat"><span class="num">{fmt_pct(lang, r.percent)}</span><span>{T::CoverageRate.get(lang)}" · "<RagBadge rag=r.rag/></span></div>
                <div class="stat"><span class="num">{r.overall.covered}" / "{r.overall.base()}</span><span>{T::Covered.get(lang)}" / "{T::Base.get(lang)}</span></div>
                <div class="stat"><span class="num">{r.overall.exempt}</span><span>{T::Exempt.get(lang)}</span></div>
                <div class="stat"><span class="num">{r.overall.population}</span><span>{T::Population.get(lang)}</span></div>
            </div>
            <div class="chart" inner_html=svg></div>
            <h2>{T::Forecast.get(lang)}</h2>
            <ForecastText f=r.forecast.clone() deadline=r.program.deadline/>
            <h2>{T::ByAgency.get(lang)}</h2>
            <table class="grid">
                <thead><tr>
                    <th>{T::Agency.get(lang)}</th>
                    <th class="num">{T::Population.get(lang)}</th>
                    <th class="num">{T::Exempt.get(lang)}</th>
                    <th class="num">{T::Base.get(lang)}</th>
                    <th class="num">{T::Covered.get(lang)}</th>
                    <th class="num">{T::NotCovered.get(lang)}</th>
                    <th class="num">{T::CoverageRate.get(lang)}</th>
                    <th>{T::Rating.get(lang)}</th>
                </tr></thead>
                <tbody>
                    {r.agencies.into_iter().map(|a| {
                        let pad = format!("padding-left: {}rem", 0.5 + a.depth as f32 * 1.0);
                        view! {
                            <tr>
                                <td style=pad>{a.name}{(!a.valid).then(|| view! { " (" {T::ClosedAgency.get(lang)} ")" })}</td>
                                <td class="num">{a.counts.population}</td>
                                <td class="num">{a.counts.exempt}</td>
                                <td class="num">{a.counts.base()}</td>
                                <td class="num">{a.counts.covered}</td>
                                <td class="num">{a.counts.missing()}</td>
                                <td class="num">{fmt_pct(lang, a.percent)}</td>
                                <td><RagBadge rag=a.rag/></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <h2>{T::Definitions.get(lang)}</h2>
            <p class="muted">{T::DefinitionsText.get(lang)}</p>
            <p class="muted">{T::Generated.get(lang)}" "{fmt_date(r.today)}" · Taphuan"</p>
        </article>
    }
}
