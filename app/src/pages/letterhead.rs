//! `/letterhead`: an agency's letterhead (issuing identity) — the managing and issuing body, the
//! symbol's abbreviation, the place, the signer and the recipients its documents print. Pick the
//! agency with a plain GET form (`?agency=ID`); the form is a plain POST to `/letterhead/save`
//! (works with JavaScript off). A draft with problems comes back in the query string
//! (`?check=1&issuer=…`) with every field as typed; this page runs the same check as the server
//! (`domain::letterhead::check`) and shows each problem beside its field and in a summary.

use crate::api::letterhead::{LetterheadEditor, letterhead_page};
use crate::components::loaded::{Loaded, page_resource};
use crate::components::session::RequireRole;
use crate::domain::identity::Role;
use crate::domain::letterhead::{Field, LetterheadDraft, Problem, check};
use crate::i18n::{Lang, T};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LetterheadPage() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let query = use_query_map();
    let agency = move || query.read().get("agency").and_then(|s| s.parse::<i64>().ok());
    let editor = page_resource(agency, letterhead_page);
    view! {
        <Title text=T::NavLetterhead.get(lang)/>
        <RequireRole roles=&[Role::Manager, Role::Admin]>
            <div class="page-head">
                <h1>{T::NavLetterhead.get(lang)}</h1>
                <a class="button" href="/coverage/report" rel="external">{T::LetterheadSeeReport.get(lang)}</a>
            </div>
            <p class="lead">{T::LetterheadLead.get(lang)}</p>
            <Loaded resource=editor view=|ed| view! { <Editor ed/> }/>
        </RequireRole>
    }
}

/// The label and the hint of a field.
fn label(f: Field, lang: Lang) -> (&'static str, Option<&'static str>) {
    let (l, h) = match f {
        Field::ParentBody => (T::LhParentBody, Some(T::LhParentBodyHint)),
        Field::Issuer => (T::LhIssuer, Some(T::LhIssuerHint)),
        Field::Symbol => (T::LhSymbol, Some(T::LhSymbolHint)),
        Field::Place => (T::LhPlace, Some(T::LhPlaceHint)),
        Field::SignerAuthority => (T::LhSignerAuthority, Some(T::LhSignerAuthorityHint)),
        Field::SignerTitle => (T::LhSignerTitle, Some(T::LhSignerTitleHint)),
        Field::SignerName => (T::LhSignerName, None),
        Field::Recipients => (T::LhRecipients, Some(T::LhRecipientsHint)),
    };
    (l.get(lang), h.map(|h| h.get(lang)))
}

/// The draft sent back in the query string, if any.
fn draft_from_query(q: &leptos_router::params::ParamsMap) -> Option<LetterheadDraft> {
    q.get("check")?;
    let pairs: Vec<(&'static str, String)> = Field::ALL
        .iter()
        .filter_map(|f| q.get(f.name()).map(|v| (f.name(), v)))
        .collect();
    Some(LetterheadDraft::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str()))))
}

#[component]
fn Editor(ed: LetterheadEditor) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let q = use_query_map().get_untracked();
    let saved = q.get("saved").is_some();
    let returned = draft_from_query(&q);
    let problems: Vec<Problem> = returned.as_ref().and_then(|d| check(d).err()).unwrap_or_default();
    let d = returned.unwrap_or_else(|| ed.draft.clone());
    let status = match &ed.effective {
        Some(e) if e.agency_id == ed.agency_id => T::LetterheadStatusOwn.get(lang).to_string(),
        Some(e) => T::LetterheadStatusInherited
            .get(lang)
            .replace("{agency}", &e.agency_name),
        None => T::LetterheadStatusNone.get(lang).to_string(),
    };
    let field = {
        let problems = problems.clone();
        move |f: Field| {
            let id = f.input_id();
            let hint_id = format!("{id}-hint");
            let error_id = format!("{id}-error");
            let messages: Vec<String> = problems
                .iter()
                .filter(|p| p.field() == f)
                .map(|p| p.message(lang))
                .collect();
            let invalid = !messages.is_empty();
            let (text, hint) = label(f, lang);
            let described = [hint.map(|_| hint_id.clone()), invalid.then(|| error_id.clone())]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            let described = (!described.is_empty()).then_some(described);
            let value = d.field(f).to_string();
            let input = if f == Field::Recipients {
                view! {
                    <textarea id=id.clone() name=f.name() rows="5" required=f.required()
                        aria-invalid=invalid.then_some("true") aria-describedby=described.clone()>{value}</textarea>
                }
                .into_any()
            } else {
                view! {
                    <input id=id.clone() name=f.name() type="text" value=value required=f.required()
                        maxlength=f.max_chars().to_string()
                        aria-invalid=invalid.then_some("true") aria-describedby=described/>
                }
                .into_any()
            };
            view! {
                <div class="lh-field">
                    <label for=id>{text}</label>
                    {input}
                    {hint.map(|h| view! { <p class="muted small" id=hint_id>{h}</p> })}
                    {invalid.then(|| view! { <p class="field-error" id=error_id>{messages.join(" ")}</p> })}
                </div>
            }
        }
    };
    view! {
        <form method="get" action="/letterhead" class="card filters">
            <div>
                <label for="lh-agency">{T::Agency.get(lang)}</label>
                <select id="lh-agency" name="agency">
                    {ed.agencies.iter().map(|a| {
                        let tag = match (&a.from, a.own) {
                            (_, true) => T::LetterheadOwnTag.get(lang).to_string(),
                            (Some(from), false) => T::LetterheadInheritsTag.get(lang).replace("{agency}", from),
                            (None, _) => T::LetterheadNoneTag.get(lang).to_string(),
                        };
                        let text = format!("{}{} ({tag})", "\u{2003}".repeat(a.depth), a.name);
                        view! { <option value=a.id.to_string() selected=a.id == ed.agency_id>{text}</option> }
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button">{T::LetterheadChoose.get(lang)}</button>
        </form>
        {saved.then(|| view! { <p class="alert ok" role="status">{T::LetterheadSaved.get(lang)}</p> })}
        <p class="alert info">{status}</p>
        {(!problems.is_empty()).then(|| view! {
            <div class="alert error" role="alert" id="problems">
                <p>{T::FixProblems.get(lang)}</p>
                <ul>
                    {problems.iter().map(|p| view! {
                        <li><a href=format!("#{}", p.field().input_id())>{label(p.field(), lang).0}</a>": "{p.message(lang)}</li>
                    }).collect_view()}
                </ul>
            </div>
        })}
        <form method="post" action="/letterhead/save" class="card letterhead-form">
            <h2>{ed.agency_name.clone()}</h2>
            <input type="hidden" name="agency_id" value=ed.agency_id.to_string()/>
            <div class="form-grid">
                {Field::ALL.into_iter().filter(|f| *f != Field::Recipients).map(field.clone()).collect_view()}
            </div>
            {field(Field::Recipients)}
            <p><button type="submit" class="button primary">{T::LetterheadSave.get(lang)}</button></p>
        </form>
    }
}
