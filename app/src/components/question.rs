//! A key-free question as real form controls inside a `<fieldset>` whose `<legend>` is the
//! question: radio buttons, check boxes, text inputs and selects with labels, so it is usable
//! by keyboard and screen reader and posts as a plain HTML form (field names in
//! `domain::exam`).

use crate::domain::grading::{PublicKind, PublicQuestion};
use crate::i18n::{Lang, T};
use leptos::prelude::*;

/// One question's controls. `prefix` names the fields (`q3`, `k0`); `given` re-fills them.
#[component]
pub fn QuestionFields(
    prefix: String,
    question: PublicQuestion,
    /// Shown before the text, e.g. "Câu 3".
    label: String,
    #[prop(optional)] name: String,
    #[prop(optional)] given: Vec<(String, String)>,
) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let has = move |k: &str| given.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let controls = match question.kind {
        PublicKind::MultipleChoice { single, choices } => {
            let chosen = has(&prefix);
            view! {
                <div class="choices">
                    {choices.into_iter().map(|c| {
                        if single {
                            let checked = chosen.as_deref() == Some(c.id.as_str());
                            view! {
                                <label class="choice">
                                    <input type="radio" name=prefix.clone() value=c.id.clone() checked=checked/>
                                    <span>{c.text}</span>
                                </label>
                            }.into_any()
                        } else {
                            let field = format!("{prefix}_c{}", c.id);
                            let checked = has(&field).is_some();
                            view! {
                                <label class="choice">
                                    <input type="checkbox" name=field value="on" checked=checked/>
                                    <span>{c.text}</span>
                                </label>
                            }.into_any()
                        }
                    }).collect_view()}
                </div>
            }
            .into_any()
        }
        PublicKind::TrueFalse => {
            let chosen = has(&prefix);
            view! {
                <div class="choices">
                    <label class="choice">
                        <input type="radio" name=prefix.clone() value="true" checked=chosen.as_deref() == Some("true")/>
                        <span>{T::True.get(lang)}</span>
                    </label>
                    <label class="choice">
                        <input type="radio" name=prefix.clone() value="false" checked=chosen.as_deref() == Some("false")/>
                        <span>{T::False.get(lang)}</span>
                    </label>
                </div>
            }
            .into_any()
        }
        PublicKind::ShortAnswer | PublicKind::Essay => view! {
            <label class="answer">
                <span>{T::YourAnswer.get(lang)}</span>
                <input type="text" name=prefix.clone() value=has(&prefix).unwrap_or_default() autocomplete="off"/>
            </label>
        }
        .into_any(),
        PublicKind::Numerical => view! {
            <label class="answer">
                <span>{T::YourAnswer.get(lang)}</span>
                <input type="text" inputmode="decimal" name=prefix.clone() value=has(&prefix).unwrap_or_default() autocomplete="off"/>
            </label>
        }
        .into_any(),
        PublicKind::Matching { left, right } => view! {
            <div class="matching">
                {left.into_iter().map(|l| {
                    let field = format!("{prefix}_m{}", l.id);
                    let chosen = has(&field);
                    view! {
                        <label class="match-row">
                            <span>{l.text}</span>
                            <select name=field>
                                <option value="">{T::ChooseOne.get(lang)}</option>
                                {right.iter().map(|r| {
                                    let selected = chosen.as_deref() == Some(r.id.as_str());
                                    view! { <option value=r.id.clone() selected=selected>{r.text.clone()}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                    }
                }).collect_view()}
            </div>
        }
        .into_any(),
        PublicKind::Description => ().into_any(),
    };
    view! {
        <fieldset class="question" data-q=name>
            <legend><span class="qnum">{label}</span>" "{question.text}</legend>
            {controls}
        </fieldset>
    }
}
