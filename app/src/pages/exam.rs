//! `/courses/:course/exam`: the rules, my attempts, and either the open attempt's questions
//! (a form POST to `/courses/:course/exam/submit`), a start button, or why I cannot start now.
//! `/courses/:course/exam/attempts/:id`: the result of a submitted attempt with its review.
//!
//! The forms are plain POSTs; with JavaScript on they are `data-swap` forms (`crate::web`): a
//! fetch, and the page they redirect to put in place without a full reload.
//!
//! The page only ever holds the open attempt's key-free questions: the pool and the keys stay
//! on the server. The timer counts down visibly with JavaScript on and is announced to screen
//! readers only at 10, 5 and 1 minutes left; without JavaScript the deadline is printed.

use crate::api::exams::{AttemptResult, ExamPage, NextAttempt, OpenAttempt, load_attempt_result, load_exam};
use crate::components::icon::{Ico, Icon};
use crate::components::loaded::{Loaded, page_resource};
use crate::components::question::QuestionFields;
use crate::components::session::RequireRole;
use crate::components::untranslated::{Untranslated, text_lang};
use crate::domain::exam::Refusal;
use crate::domain::identity::Role;
use crate::i18n::{Lang, T};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn Exam() -> impl IntoView {
    view! {
        <RequireRole roles=&Role::ALL>
            <ExamBody/>
        </RequireRole>
    }
}

#[component]
fn ExamBody() -> impl IntoView {
    let params = use_params_map();
    let course = move || params.read().get("course").unwrap_or_default();
    let exam = page_resource(course, load_exam);
    view! {
        <Loaded resource=exam view=|e| view! { <ExamView e/> }/>
    }
}

fn refusal_text(r: &Refusal, until: Option<String>, lang: Lang) -> String {
    match r {
        Refusal::NoExam => T::RefusedNoExam.get(lang).into(),
        Refusal::LessonsUnread => T::RefusedLessons.get(lang).into(),
        Refusal::AlreadyCompleted => T::RefusedCompleted.get(lang).into(),
        Refusal::NoAttemptsLeft => T::RefusedNoAttempts.get(lang).into(),
        Refusal::CoolingDown { .. } => format!("{} {}.", T::RefusedCooldown.get(lang), until.unwrap_or_default()),
    }
}

#[component]
fn ExamView(e: ExamPage) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let id = e.course_id.clone();
    let max = if e.max_attempts == 0 {
        T::Unlimited.get(lang).to_string()
    } else {
        e.max_attempts.to_string()
    };
    let preview = !e.preview.is_empty();
    let main = match (e.open.clone(), e.refusal.clone()) {
        _ if preview => view! {
            <section class="card exam-preview">
                <p class="alert" role="note">{T::ExamPreview.get(lang)}</p>
                <p><a href=format!("/courses/{id}/questions")>{T::QuestionStats.get(lang)}</a></p>
                <div class="exam-questions">
                    {e.preview.clone().into_iter().map(|q| view! {
                        <QuestionFields
                            prefix=format!("q{}", q.position)
                            name=q.name
                            question=q.question
                            label=format!("{} {}.", T::Question.get(lang), q.position + 1)
                        />
                    }).collect_view()}
                </div>
            </section>
        }
        .into_any(),
        (Some(open), _) => view! { <OpenAttemptForm course=id.clone() open/> }.into_any(),
        (None, Some(r)) => view! {
            <div class="alert" role="status">
                <p>{refusal_text(&r, e.cooldown_until.clone(), lang)}</p>
                {e.certificate.clone().map(|n| view! { <p><a href=format!("/certificates/{n}")>{T::ViewCertificate.get(lang)}</a></p> })}
                {(r == Refusal::LessonsUnread).then(|| view! { <p><a href=format!("/courses/{id}")>{T::BackToCourse.get(lang)}</a></p> })}
            </div>
        }
        .into_any(),
        (None, None) => view! {
            <form method="post" action=format!("/courses/{id}/exam/start") data-swap>
                <button type="submit" class="button primary">{T::StartExam.get(lang)}</button>
            </form>
        }
        .into_any(),
    };
    view! {
        <Title text=e.title.clone()/>
        <p class="crumbs"><a href=format!("/courses/{}", e.course_id)>{e.course_title.clone()}</a></p>
        <h1>{e.title.clone()}</h1>
        {e.recert_draw.map(|n| view! {
            <p class="alert warn recert-note">{T::RecertExamNote.get(lang).replace("{n}", &n.to_string())}</p>
        })}
        <section class="card">
            <h2>{T::ExamRules.get(lang)}</h2>
            <ul class="rules">
                <li>{T::QuestionsPerAttempt.get(lang)}": "{e.recert_draw.unwrap_or(e.draw)}</li>
                <li>{T::PassMark.get(lang)}": "{e.pass_mark}"%"</li>
                // After a pass the count starts again for the next cycle: "0 / 3" would only puzzle.
                {(!preview && e.refusal != Some(Refusal::AlreadyCompleted)).then(|| view! {
                    <li>{T::AttemptsUsed.get(lang)}": "{e.used}" / "{max.clone()}</li>
                })}
                <li>{match e.time_limit_minutes {
                    Some(m) => format!("{}: {m} {}", T::TimeLimit.get(lang), T::Minutes.get(lang)),
                    None => T::NoTimeLimit.get(lang).to_string(),
                }}</li>
                {(e.cooldown_minutes > 0).then(|| view! { <li>{T::Cooldown.get(lang)}": "{e.cooldown_minutes}" "{T::Minutes.get(lang)}</li> })}
            </ul>
            <Untranslated fallback=e.fallback/>
            <div class="prose" lang=text_lang(e.fallback) inner_html=e.intro_html.clone()></div>
        </section>
        {main}
        {(!e.attempts.is_empty()).then(|| view! {
            <section class="card">
                <h2>{T::YourAttempts.get(lang)}</h2>
                <table class="grid">
                    <thead><tr>
                        <th>{T::Attempt.get(lang)}</th>
                        <th>{T::Started.get(lang)}</th>
                        <th class="num">{T::Score.get(lang)}</th>
                        <th>{T::Result.get(lang)}</th>
                    </tr></thead>
                    <tbody>
                        {e.attempts.iter().rev().map(|a| {
                            let result = match (a.submitted, a.passed) {
                                (false, _) => T::NotSubmitted.get(lang).to_string(),
                                (true, Some(true)) => T::Passed.get(lang).to_string(),
                                (true, _) => T::Failed.get(lang).to_string(),
                            };
                            let late = if a.late { format!(" ({})", T::Late.get(lang)) } else { String::new() };
                            view! {
                                <tr>
                                    <td>{a.number}</td>
                                    <td>{a.started.clone()}</td>
                                    <td class="num">{a.score.map(|s| format!("{s}%")).unwrap_or_default()}</td>
                                    <td>{if a.submitted {
                                        view! { <a href=format!("/courses/{}/exam/attempts/{}", e.course_id, a.id)>{result}{late}</a> }.into_any()
                                    } else {
                                        view! { <span>{result}</span> }.into_any()
                                    }}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        })}
    }
}

#[component]
fn OpenAttemptForm(course: String, open: OpenAttempt) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let save_url = format!("/courses/{course}/exam/save");
    let query = leptos_router::hooks::use_query_map().get_untracked();
    let just_saved = query.get("saved").is_some();
    // The server counted blank questions at "Nộp bài" and kept the answers: ask, and let the
    // next "Nộp bài" submit as it is.
    let unanswered = query
        .get("unanswered")
        .and_then(|n| n.parse::<u32>().ok())
        .filter(|n| *n > 0);
    let draft = open.draft.clone();
    view! {
        <form method="post" action=format!("/courses/{course}/exam/submit") class="exam-form" data-swap>
            <input type="hidden" name="attempt" value=open.id.to_string()/>
            <input type="hidden" name="seq" value=open.seq.to_string()/>
            <h2>{T::Attempt.get(lang)}" "{open.number}</h2>
            {open.deadline.clone().map(|d| view! {
                <p class="timer-box">
                    {T::ExamDeadline.get(lang)}": "<strong>{d}</strong>
                    {open.seconds_left.map(|s| view! { <Timer lang seconds=s/> })}
                </p>
            })}
            {just_saved.then(|| view! { <p class="alert ok">{T::DraftSaved.get(lang)}</p> })}
            {unanswered.map(|n| view! {
                <div class="alert warn" role="alert">
                    <p><strong>{T::UnansweredCount.get(lang).replace("{n}", &n.to_string())}</strong></p>
                    <p>{T::UnansweredAsk.get(lang)}</p>
                    <input type="hidden" name="confirm" value="1"/>
                </div>
            })}
            <Autosaved lang save_url=save_url.clone() saved_at=open.draft_saved_at.clone()>
                {open.questions.into_iter().map(|q| {
                    let prefix = format!("q{}", q.position);
                    let given: Vec<(String, String)> = draft
                        .iter()
                        .filter(|(k, _)| *k == prefix || k.starts_with(&format!("{prefix}_")))
                        .cloned()
                        .collect();
                    view! {
                        <QuestionFields
                            prefix=prefix
                            name=q.name
                            question=q.question
                            label=format!("{} {}.", T::Question.get(lang), q.position + 1)
                            given=given
                        />
                    }
                }).collect_view()}
            </Autosaved>
            <p class="exam-actions">
                <button type="submit" class="button primary">{T::SubmitExam.get(lang)}</button>
                <button type="submit" class="button" formaction=save_url.clone()>{T::SaveDraft.get(lang)}</button>
            </p>
        </form>
    }
}

/// Sends the exam form's fields to `save_url` in the background after an answer changes
/// (JavaScript on). One save at a time: a change made while one is in flight is sent right
/// after it, with the form as it is then, so an older snapshot never lands after a newer one.
/// A failed save changes nothing: the answers are still in the form.
#[cfg(feature = "hydrate")]
fn autosave(ev: leptos::ev::Event, save_url: String, saved_at: RwSignal<Option<String>>) {
    use std::cell::Cell;
    use wasm_bindgen::JsCast;
    thread_local! {
        /// (a save is in flight, the form changed since it was sent)
        static SAVING: Cell<(bool, bool)> = const { Cell::new((false, false)) };
    }
    let Some(form) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("form").ok().flatten())
        .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok())
    else {
        return;
    };
    if SAVING.with(|s| {
        let busy = s.get().0;
        s.set((true, busy));
        busy
    }) {
        return;
    }
    leptos::task::spawn_local(async move {
        loop {
            if send_form(&form, &save_url).await {
                saved_at.set(Some(now_hhmm()));
            }
            let again = SAVING.with(|s| {
                let again = s.get().1;
                s.set((again, false));
                again
            });
            if !again {
                break;
            }
        }
    });
}

/// POSTs a form's fields as `application/x-www-form-urlencoded`; true on 204.
#[cfg(feature = "hydrate")]
async fn send_form(form: &web_sys::HtmlFormElement, url: &str) -> bool {
    let Ok(data) = web_sys::FormData::new_with_form(form) else {
        return false;
    };
    let Ok(fields) = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data) else {
        return false;
    };
    crate::web::request(url, Some(&fields), &[("x-taphuan-autosave", "1")])
        .await
        .is_some_and(|r| r.status() == 204)
}

/// The time now as `dd/mm/yyyy HH:MM` in Vietnam (UTC+7), as the server prints times.
#[cfg(feature = "hydrate")]
fn now_hhmm() -> String {
    use web_sys::js_sys::Date;
    let d = Date::new(&wasm_bindgen::JsValue::from_f64(Date::now() + 7.0 * 3600.0 * 1000.0));
    format!(
        "{:02}/{:02}/{} {:02}:{:02}",
        d.get_utc_date(),
        d.get_utc_month() + 1,
        d.get_utc_full_year(),
        d.get_utc_hours(),
        d.get_utc_minutes()
    )
}

#[cfg(not(feature = "hydrate"))]
fn autosave(_ev: leptos::ev::Event, _save_url: String, _saved_at: RwSignal<Option<String>>) {}

/// The questions, saved in the background after each change (an island: JavaScript on), and
/// "saved at HH:MM" from the server at load, then from each autosave.
#[island]
fn Autosaved(lang: Lang, save_url: String, saved_at: Option<String>, children: Children) -> impl IntoView {
    let saved_at = RwSignal::new(saved_at);
    // On `change` (choices, selects, leaving a field) and on `input` (typing, so the last
    // answer typed is kept even if the field is never left).
    let on_change = {
        let save_url = save_url.clone();
        move |ev: leptos::ev::Event| autosave(ev, save_url.clone(), saved_at)
    };
    let on_input = move |ev: leptos::ev::Event| autosave(ev, save_url.clone(), saved_at);
    view! {
        <p class="muted draft-status" role="status" aria-live="polite">
            {move || saved_at.get().map(|t| format!("{} {t}", T::DraftSavedAt.get(lang)))}
        </p>
        <div class="exam-questions" on:change=on_change on:input=on_input>
            {children()}
        </div>
    }
}

/// A countdown (an island: JavaScript on). Screen readers hear it only when 10, 5 and 1 minutes
/// are left: the live region changes at those moments and at no other.
#[island]
fn Timer(lang: Lang, seconds: i64) -> impl IntoView {
    let left = RwSignal::new(seconds);
    let announce = RwSignal::new(String::new());
    Effect::new(move |_| {
        let handle = set_interval_with_handle(
            move || {
                let now = (left.get_untracked() - 1).max(0);
                left.set(now);
                for m in [10i64, 5, 1] {
                    if now == m * 60 {
                        announce.set(format!("{m} {}", T::MinutesLeft.get(lang)));
                    }
                }
            },
            std::time::Duration::from_secs(1),
        );
        on_cleanup(move || {
            if let Ok(h) = handle {
                h.clear();
            }
        });
    });
    view! {
        " · "<span class="countdown" aria-hidden="true">
            {T::TimeLeft.get(lang)}": "{move || format!("{:02}:{:02}", left.get() / 60, left.get() % 60)}
        </span>
        <span class="sr-only" aria-live="assertive" aria-atomic="true">{move || announce.get()}</span>
    }
}

#[component]
pub fn AttemptResultPage() -> impl IntoView {
    view! {
        <RequireRole roles=&Role::ALL>
            <ResultBody/>
        </RequireRole>
    }
}

#[component]
fn ResultBody() -> impl IntoView {
    let params = use_params_map();
    let key = move || {
        let p = params.read();
        (
            p.get("course").unwrap_or_default(),
            p.get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0),
        )
    };
    let result = page_resource(key, |(c, id)| load_attempt_result(c, id));
    view! {
        <Loaded resource=result view=|r| view! { <ResultView r/> }/>
    }
}

#[component]
fn ResultView(r: AttemptResult) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let (class, head) = if r.passed {
        ("alert ok", T::ResultPassed)
    } else {
        ("alert error", T::ResultFailed)
    };
    view! {
        <Title text=format!("{} {} · {}", T::Attempt.get(lang), r.number, r.course_title)/>
        <p class="crumbs"><a href=format!("/courses/{}", r.course_id)>{r.course_title.clone()}</a></p>
        <h1>{T::Result.get(lang)}" — "{T::Attempt.get(lang)}" "{r.number}</h1>
        <div class=class role="status">
            <p><strong>{head.get(lang)}</strong></p>
            <p>{T::Score.get(lang)}": "<strong class="score">{r.score}"%"</strong>" ("{T::PassMark.get(lang)}" "{r.pass_mark}"%) · "{r.submitted.clone()}</p>
            {r.late.then(|| view! { <p>{T::ResultLate.get(lang)}</p> })}
        </div>
        {r.certificate.clone().map(|n| view! {
            <p><a class="button primary" href=format!("/certificates/{n}")><Ico icon=Icon::Award/>{T::ViewCertificate.get(lang)}" "{n.clone()}</a></p>
        })}
        {r.next.clone().map(|next| {
            // After a failure the next step is the primary action: try again (now or when the
            // pause ends), or go back over the lessons once the attempts are used.
            let exam = format!("/courses/{}/exam", r.course_id);
            let course = format!("/courses/{}", r.course_id);
            let left = |left: Option<u32>| left.map(|n| T::AttemptsLeft.get(lang).replace("{n}", &n.to_string()));
            match next {
                NextAttempt::Now { left: l } => view! {
                    <div class="next-step">
                        <p><a class="button primary" href=exam><Ico icon=Icon::Retry/>{T::TryAgain.get(lang)}</a></p>
                        {left(l).map(|t| view! { <p class="muted">{t}</p> })}
                        <p class="muted">{T::RevisitLessons.get(lang)}" "<a href=course>{r.course_title.clone()}</a></p>
                    </div>
                }.into_any(),
                NextAttempt::After { at, left: l } => view! {
                    <div class="next-step">
                        <p><strong>{T::TryAgainAfter.get(lang).replace("{t}", &at)}</strong></p>
                        {left(l).map(|t| view! { <p class="muted">{t}</p> })}
                        <p><a class="button primary" href=course><Ico icon=Icon::Book/>{T::ReviewLessons.get(lang)}</a></p>
                    </div>
                }.into_any(),
                NextAttempt::Open => view! {
                    <p><a class="button primary" href=exam>{T::ContinueAttempt.get(lang)}<Ico icon=Icon::Arrow/></a></p>
                }.into_any(),
                NextAttempt::NoneLeft => view! {
                    <div class="next-step">
                        <p><strong>{T::RefusedNoAttempts.get(lang)}</strong>" "{T::AskManagerForMore.get(lang)}</p>
                        <p><a class="button primary" href=course><Ico icon=Icon::Book/>{T::ReviewLessons.get(lang)}</a></p>
                    </div>
                }.into_any(),
            }
        })}
        {(!r.reread.is_empty()).then(|| view! {
            <section class="card reread" aria-labelledby="reread-h">
                <h2 id="reread-h">{T::RereadHeading.get(lang)}</h2>
                <ul>
                    {r.reread.clone().into_iter().map(|l| view! {
                        <li>
                            <a href=l.href>{T::LessonOf.get(lang)}" "{l.number}": "{l.title}</a>
                            " "<span class="muted">"("{T::RereadMissed.get(lang).replace("{n}", &l.missed.to_string())}")"</span>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <p><a class="button" href=format!("/courses/{}/exam", r.course_id)>{T::BackToExam.get(lang)}</a></p>
        <section class="card">
            <h2>{T::Review.get(lang)}</h2>
            {match r.review {
                None => view! { <p class="muted">{T::ReviewHidden.get(lang)}</p> }.into_any(),
                Some(items) => view! {
                    <ol class="review">
                        {items.into_iter().map(|i| {
                            let mark = if i.correct { "tag ok" } else if i.percent > 0 { "tag warn" } else { "tag bad" };
                            let label = if i.correct { T::Correct } else if i.percent > 0 { T::PartlyCorrect } else { T::Incorrect };
                            // A percentage only says something for a partly right answer.
                            let percent = (!i.correct && i.percent > 0).then(|| format!(" {}%", i.percent));
                            view! {
                                <li>
                                    <p><strong>{i.text}</strong></p>
                                    <p>{T::YourAnswer.get(lang)}": "{i.your_answer}</p>
                                    <p><span class=mark>{label.get(lang)}{percent}</span></p>
                                    // Feedback that opens with the tag's own words ("Chưa đúng.") says them once.
                                    {i.feedback.into_iter().map(|f| {
                                        let f = f.strip_prefix(label.get(lang)).map(|r| r.trim_start().to_string()).unwrap_or(f);
                                        (!f.is_empty()).then(|| view! { <p class="muted">{f}</p> })
                                    }).collect_view()}
                                    {i.lesson.map(|l| view! {
                                        <p>{T::RereadLesson.get(lang).replace("{n}", &l.number.to_string())}" "<a href=l.href>{l.title}</a></p>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any(),
            }}
        </section>
    }
}
