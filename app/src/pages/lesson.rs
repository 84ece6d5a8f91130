//! `/courses/:course/lessons/:n`: the lesson, its table of contents, previous/next, "mark as
//! read" (a form POST that goes on to the next lesson), and the knowledge checks in place.
//!
//! "Mark as read" is a plain POST; with JavaScript on, a `data-swap` form (`crate::web`): a
//! fetch, and the page the server redirects to put in place without a full reload.
//!
//! A knowledge check is a GET form back to this page (`?kc=N&kN=…#kc-N`): answering changes
//! nothing on the server, the server grades it while rendering and the feedback appears under
//! the question, with or without JavaScript.

use crate::api::learning::{Check, LessonPage, load_lesson};
use crate::components::icon::{Ico, Icon};
use crate::components::loaded::{Loaded, page_resource};
use crate::components::question::QuestionFields;
use crate::components::session::RequireRole;
use crate::components::untranslated::{Untranslated, text_lang};
use crate::domain::identity::Role;
use crate::i18n::{Lang, T};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_params_map};

#[component]
pub fn LessonReader() -> impl IntoView {
    view! {
        <RequireRole roles=&Role::ALL>
            <LessonBody/>
        </RequireRole>
    }
}

#[component]
fn LessonBody() -> impl IntoView {
    let params = use_params_map();
    let location = use_location();
    let key = move || {
        let p = params.read();
        (
            p.get("course").unwrap_or_default(),
            p.get("n").and_then(|n| n.parse::<u32>().ok()).unwrap_or(0),
            location.search.get(),
        )
    };
    let lesson = page_resource(key, |(c, n, q)| load_lesson(c, n, q));
    view! {
        <Loaded resource=lesson view=|l| view! { <Lesson l/> }/>
    }
}

#[component]
fn Lesson(l: LessonPage) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let course = l.course_id.clone();
    let here = format!("/courses/{}/lessons/{}", l.course_id, l.number);
    let link = |n: u32| format!("/courses/{course}/lessons/{n}");
    let pager = view! {
        <nav class="lesson-pager" aria-label=T::LessonList.get(lang)>
            {l.prev.clone().map(|(n, t)| view! { <a rel="prev" href=link(n)>"← "{T::Previous.get(lang)}": "{t}</a> })}
            {l.next.clone().map(|(n, t)| view! { <a rel="next" class="next" href=link(n)>{T::Next.get(lang)}": "{t}" →"</a> })}
        </nav>
    };
    let read_label = if l.next.is_some() { T::MarkReadNext } else { T::MarkRead };
    view! {
        <Title text=l.title.clone()/>
        <p class="crumbs"><a href=format!("/courses/{}", l.course_id)>{l.course_title.clone()}</a></p>
        <Untranslated fallback=l.fallback/>
        <div class="lesson-layout">
            <aside class="toc card" aria-labelledby="toc-title">
                <h2 id="toc-title">{T::Contents.get(lang)}</h2>
                <ol>
                    {l.toc.iter().map(|h| view! {
                        <li class=format!("toc-{}", h.level)><a href=format!("#{}", h.id)>{h.text.clone()}</a></li>
                    }).collect_view()}
                </ol>
            </aside>
            <article class="lesson card">
                <p class="meta">
                    {T::LessonOf.get(lang)}" "{l.number}" "{T::Of.get(lang)}" "{l.total}
                    {l.minutes.map(|m| format!(" · {m} {}", T::Minutes.get(lang)))}
                    {l.read.then(|| view! { " · "<span class="tag ok">{T::Read.get(lang)}</span> })}
                </p>
                {l.segments.into_iter().map(|s| view! {
                    <div class="prose" lang=text_lang(l.fallback) inner_html=s.html></div>
                    {s.check.map(|c| view! { <KnowledgeCheck c action=here.clone()/> })}
                }).collect_view()}
                {l.learner.then(|| view! {
                    <form method="post" action=format!("{here}/read") class="mark-read" data-swap>
                        {l.read.then(|| view! { <p class="muted">{T::AlreadyRead.get(lang)}</p> })}
                        <button type="submit" class="button primary">{read_label.get(lang)}<Ico icon=Icon::Arrow/></button>
                    </form>
                })}
                {pager}
                <p><a href=format!("/courses/{}", l.course_id)>{T::BackToCourse.get(lang)}</a></p>
            </article>
        </div>
    }
}

#[component]
fn KnowledgeCheck(c: Check, action: String) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let anchor = format!("kc-{}", c.index);
    let outcome = c.outcome.clone().map(|o| {
        let (class, head) = if o.empty {
            ("alert", T::NoAnswer.get(lang).to_string())
        } else if o.correct {
            ("alert ok", T::Correct.get(lang).to_string())
        } else if o.percent > 0 {
            ("alert warn", format!("{} ({}%)", T::PartlyCorrect.get(lang), o.percent))
        } else {
            ("alert error", T::Incorrect.get(lang).to_string())
        };
        view! {
            <div class=class role="status">
                <strong>{head}</strong>
                {o.feedback.into_iter().map(|f| view! { <p>{f}</p> }).collect_view()}
            </div>
        }
    });
    view! {
        <section class="kc-box" id=anchor.clone() aria-label=T::KnowledgeCheck.get(lang)>
            <form method="get" action=format!("{action}#{anchor}") data-swap>
                <input type="hidden" name="kc" value=c.index.to_string()/>
                <QuestionFields
                    prefix=format!("k{}", c.index)
                    question=c.question
                    label=format!("{} {}:", T::KnowledgeCheck.get(lang), c.index + 1)
                    given=c.given
                />
                <p class="muted small">{T::KnowledgeCheckNote.get(lang)}</p>
                <button type="submit" class="button">{T::CheckAnswer.get(lang)}</button>
            </form>
            {outcome}
        </section>
    }
}
