//! `/courses/:course/questions`: the exam's question bank with each question's statistics, for
//! the course's trainers and the admin — which questions are too easy, too hard, or favour the
//! weaker learners, how often each choice is picked, and where in `exam.md` to change them.

use crate::api::questions::{Flag, QuestionLine, question_stats};
use crate::components::icon::{Ico, Icon};
use crate::components::loaded::{Loaded, page_resource};
use crate::components::session::RequireRole;
use crate::domain::identity::Role;
use crate::i18n::{Lang, T, fmt_decimal};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn QuestionStatsPage() -> impl IntoView {
    let lang = expect_context::<Lang>();
    view! {
        <Title text=T::QuestionStats.get(lang)/>
        <RequireRole roles=&[Role::Trainer, Role::Admin]>
            <QuestionStatsBody/>
        </RequireRole>
    }
}

fn flag_tag(f: Flag, lang: Lang) -> impl IntoView {
    let class = if f == Flag::Negative { "tag bad" } else { "tag warn" };
    view! { <span class=class>{f.label().get(lang)}</span> }
}

fn question_row(q: QuestionLine, lang: Lang) -> impl IntoView {
    let dash = || "—".to_string();
    let exposure = q.exposure;
    let share = move |n: usize| {
        if exposure == 0 {
            0.0
        } else {
            100.0 * n as f64 / exposure as f64
        }
    };
    let choices = (!q.choices.is_empty()).then(|| {
        view! {
            <details class="choices-picked">
                <summary>{T::ChoicesPicked.get(lang)}</summary>
                <ul>
                    {q.choices.into_iter().enumerate().map(|(i, c)| {
                        let pct = share(c.picked);
                        view! {
                            <li class:key=c.key>
                                <span class="choice-letter">{((b'A' + i as u8) as char).to_string()}</span>
                                <span class="choice-text">{c.text}{c.key.then(|| view! { " " <span class="tag ok">{T::KeyAnswer.get(lang)}</span> })}</span>
                                <span class="choice-count">{c.picked}" ("{fmt_decimal(lang, pct, 0)}" %)"</span>
                                <span class="bar" aria-hidden="true"><span style=format!("width:{pct:.0}%")></span></span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </details>
        }
    });
    let flagged = !q.flags.is_empty();
    view! {
        <tr class:flagged=flagged>
            <td class="q-cell">
                <strong class="q-name">{q.name}</strong>
                <p class="q-text">{q.text}</p>
                {choices}
                <p class="meta">
                    {T::WhereToEdit.get(lang)}" "<a href=q.edit><code>{q.at}</code></a>
                    {q.lesson.map(|href| view! { " · "<a href=href>{T::TaughtIn.get(lang)}</a> })}
                </p>
            </td>
            <td class="num">{q.exposure}</td>
            <td class="num">{q.facility.map(|f| format!("{} %", fmt_decimal(lang, f, 0))).unwrap_or_else(dash)}</td>
            <td class="num">{q.discrimination.map(|d| fmt_decimal(lang, d, 2)).unwrap_or_else(dash)}</td>
            <td class="num">{q.point_biserial.map(|r| fmt_decimal(lang, r, 2)).unwrap_or_else(dash)}</td>
            <td class="num mean-time">{q.mean_seconds.map(|t| format!("{} s", fmt_decimal(lang, t, 0))).unwrap_or_else(dash)}</td>
            <td>{q.flags.into_iter().map(|f| flag_tag(f, lang)).collect_view()}</td>
        </tr>
    }
}

#[component]
fn QuestionStatsBody() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let params = use_params_map();
    let course = move || params.read().get("course").unwrap_or_default();
    let stats = page_resource(course, question_stats);
    view! {
        <Loaded resource=stats view=move |s| {
            let count = |f: Flag| s.questions.iter().filter(|q| q.flags.contains(&f)).count();
            let (easy, hard, negative) = (count(Flag::TooEasy), count(Flag::TooHard), count(Flag::Negative));
            let export = |file: &str| format!("/courses/{}/questions/export/{file}", s.course_id);
            view! {
                <p class="crumbs"><a href="/content">{T::NavContent.get(lang)}</a></p>
                <h1>{T::QuestionStats.get(lang)}" — "{s.course_title.clone()}</h1>
                <p class="lead">
                    {T::QuestionStatsLead.get(lang)
                        .replace("{n}", &s.questions.len().to_string())
                        .replace("{attempts}", &s.attempts.to_string())
                        .replace("{draw}", &s.draw.to_string())}
                </p>
                <div class="stats">
                    <div class="stat"><span class="num">{easy}</span><span>{T::FlagTooEasy.get(lang)}</span></div>
                    <div class="stat"><span class="num">{hard}</span><span>{T::FlagTooHard.get(lang)}</span></div>
                    <div class="stat"><span class="num">{negative}</span><span>{T::FlagNegative.get(lang)}</span></div>
                </div>
                <details class="card how">
                    <summary>{T::QuestionStatsHowTitle.get(lang)}</summary>
                    <p>{T::QuestionStatsHow.get(lang)}</p>
                </details>
                <ul class="downloads">
                    <li><Ico icon=Icon::Download size=16/>{T::Download.get(lang)}": "
                        <a href=export("items.xlsx") rel="external" download>"XLSX"</a>" · "
                        <a href=export("items.csv") rel="external" download>"CSV"</a>
                    </li>
                </ul>
                <div class="table-scroll" role="region" tabindex="0" aria-labelledby="qs-caption">
                    <table class="grid question-stats">
                        <caption id="qs-caption" class="sr-only">{T::QuestionStats.get(lang)}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{T::ColQuestion.get(lang)}</th>
                                <th scope="col" class="num">{T::ColDrawn.get(lang)}</th>
                                <th scope="col" class="num">{T::ColFacility.get(lang)}</th>
                                <th scope="col" class="num">{T::ColDiscrimination.get(lang)}</th>
                                <th scope="col" class="num rpb">"r"<sub>"pb"</sub></th>
                                <th scope="col" class="num">{T::ColMeanTime.get(lang)}</th>
                                <th scope="col">{T::ColFlags.get(lang)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {s.questions.clone().into_iter().map(|q| question_row(q, lang)).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
        }/>
    }
}
