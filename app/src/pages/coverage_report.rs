//! `/coverage/report`: the coverage report for the steering committee as an administrative
//! document — the letterhead of the scope agency or its nearest ancestor (`domain::letterhead`)
//! around the dashboard's numbers, chart, forecast and per-agency table. Printed (CSS `@media
//! print`, `.doc`): A4, the document only. The print button calls `window.print()` and exists
//! only once the page is interactive; without JavaScript the page says to use the browser's
//! Print command. Without any letterhead the document prints dots, and the screen (not the
//! paper) says where to set one.

use crate::api::coverage::{CoverageReport, coverage_dashboard};
use crate::components::document::{DocFoot, DocHead, PrintBar};
use crate::components::loaded::{Loaded, page_resource};
use crate::components::session::RequireRole;
use crate::domain::chart::{ChartLabels, burnup_svg};
use crate::domain::identity::Role;
use crate::domain::letterhead::{DOTS, DocKind, Letterhead};
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
    let report = page_resource(move || (program(), as_of()), |(p, d)| coverage_dashboard(p, d));
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
    let edit_href = format!("/letterhead?agency={}", r.scope_id);
    let missing = r.letterhead.is_none();
    let from = r.letterhead.as_ref().map(|i| i.agency_name.clone());
    let l = r.letterhead.map(|i| i.letterhead).unwrap_or_else(Letterhead::blank);
    let as_of = fmt_date(r.as_of);
    let summary = T::DocReportScope
        .get(lang)
        .replace("{program}", &r.program.name)
        .replace("{date}", &as_of);
    let issuer = if missing { DOTS.to_string() } else { l.issuer.clone() };
    let intro = T::DocIntro
        .get(lang)
        .replace("{issuer}", &issuer)
        .replace("{scope}", &r.scope_name)
        .replace("{date}", &as_of);
    let target = T::DocTarget
        .get(lang)
        .replace("{pct}", &r.program.threshold_percent.to_string())
        .replace("{date}", &fmt_date(r.program.deadline));
    let c = r.overall;
    let figures = [
        (T::DocPopulation, c.population.to_string()),
        (T::DocExempt, c.exempt.to_string()),
        (T::DocBase, c.base().to_string()),
        (T::DocCovered, c.covered.to_string()),
        (T::DocNotCovered, c.missing().to_string()),
        (T::DocRate, fmt_pct(lang, r.percent)),
    ];
    let last = figures.len() - 1;
    view! {
        <PrintBar lang from=from edit_href=edit_href.clone()/>
        {missing.then(|| view! {
            <div class="alert warn no-print" role="note">
                <p>{T::LetterheadMissing.get(lang).replace("{scope}", &r.scope_name)}</p>
                <p><a class="button" href=edit_href.clone()>{T::LetterheadSet.get(lang)}</a></p>
            </div>
        })}
        <article class="doc" aria-labelledby="doc-title">
            <DocHead l=l.clone() kind=DocKind::Report today=r.today/>
            <h1 class="doc-title" id="doc-title">
                <span class="doc-kind">{T::DocReport.get(lang)}</span>
                <span class="doc-summary">{T::DocReportSummary.get(lang)}<br/>{summary}</span>
            </h1>
            <div class="doc-content">
                <p>{intro}</p>
                <h2>{T::DocSecOverall.get(lang)}</h2>
                <ul class="doc-dash">
                    {figures.into_iter().enumerate().map(|(i, (label, value))| view! {
                        <li>{label.get(lang)}": "<strong>{value}</strong>{if i == last { "." } else { ";" }}</li>
                    }).collect_view()}
                </ul>
                <p>{target}" "<RagBadge rag=r.rag/></p>
                <p>{T::FieldMetric.get(lang)}": "{crate::pages::programs::metric_label(&r.program.metric, lang).to_string()}"."</p>
                <h2>{T::DocSecProgress.get(lang)}</h2>
                <div class="chart" inner_html=svg></div>
                <ForecastText f=r.forecast.clone() deadline=r.program.deadline/>
                <h2>{T::DocSecAgencies.get(lang)}</h2>
                <table class="doc-table" aria-label=T::ByAgency.get(lang)>
                    <thead><tr>
                        <th scope="col">{T::Agency.get(lang)}</th>
                        <th scope="col" class="num">{T::Population.get(lang)}</th>
                        <th scope="col" class="num">{T::Exempt.get(lang)}</th>
                        <th scope="col" class="num">{T::Base.get(lang)}</th>
                        <th scope="col" class="num">{T::Covered.get(lang)}</th>
                        <th scope="col" class="num">{T::NotCovered.get(lang)}</th>
                        <th scope="col" class="num">{T::CoverageRate.get(lang)}</th>
                        <th scope="col">{T::Rating.get(lang)}</th>
                    </tr></thead>
                    <tbody>
                        {r.agencies.into_iter().map(|a| {
                            let pad = format!("padding-left: {}em", 0.3 + a.depth as f32 * 0.9);
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
                <h2>{T::DocSecClasses.get(lang)}</h2>
                {if r.classes.is_empty() {
                    view! { <p>{T::DocNoClasses.get(lang)}</p> }.into_any()
                } else {
                    view! {
                        <table class="doc-table" aria-label=T::DocSecClasses.get(lang)>
                            <thead><tr>
                                <th scope="col">{T::ClassTitleLabel.get(lang)}</th>
                                <th scope="col">{T::ClassUnit.get(lang)}</th>
                                <th scope="col">{T::DocClassDates.get(lang)}</th>
                                <th scope="col" class="num">{T::Enrolled.get(lang)}</th>
                                <th scope="col" class="num">{T::DocClassCame.get(lang)}</th>
                                <th scope="col" class="num">{T::StandingMet.get(lang)}</th>
                            </tr></thead>
                            <tbody>
                                {r.classes.into_iter().map(|c| view! {
                                    <tr>
                                        <td>{c.title}<br/><small>{c.courses.join("; ")}</small></td>
                                        <td>{c.unit}</td>
                                        <td>{if c.first == c.last { fmt_date(c.first) } else { format!("{} – {}", fmt_date(c.first), fmt_date(c.last)) }}</td>
                                        <td class="num">{c.enrolled}</td>
                                        <td class="num">{c.attended}</td>
                                        <td class="num">{c.completed}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
                <h2>{T::DocSecNotes.get(lang)}</h2>
                <p>{T::DefinitionsText.get(lang)}</p>
                <p>{T::DocSource.get(lang).replace("{date}", &fmt_date(r.today))}</p>
                <p>{T::DocClosing.get(lang).replace("{date}", &as_of)}</p>
            </div>
            <DocFoot l=l/>
        </article>
    }
}
