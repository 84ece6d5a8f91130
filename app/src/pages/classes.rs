//! In-person classes (lớp tập huấn):
//! - `/classes`: my classes (as an official) and the classes I run;
//! - `/classes/new`: the class form (a refused draft comes back in the query with every field);
//! - `/classes/:id`: sessions, the checklist, the QR link, officials, scores, invitations;
//! - `/classes/:id/sessions/:sid/qr`: the projector page, refreshing itself with each new code;
//! - `/checkin/:sid?c=CODE`: where the QR code leads an official.
//!
//! Every change is a plain form POST (`ssr::classes::web`): all of it works with JavaScript off.

use crate::api::classes::{
    CheckinView, ClassFormChoices, ClassListDoc, ClassRunView, ClassSummary, ClassesOverview, MyClass, QrView,
    checkin_page, class_form_options, class_page, class_print, class_qr, classes_page,
};
use crate::components::document::{DocFoot, DocHead, PrintBar};
use crate::components::icon::{Ico, Icon};
use crate::components::loaded::{Loaded, page_resource};
use crate::components::session::{RequireRole, use_session};
use crate::domain::class::{
    ClassDraft, ClassRule, FORM_SESSION_ROWS, FormProblem, SessionView, problem_text, rule_text, standing_text,
    status_text,
};
use crate::domain::identity::Role;
use crate::domain::letterhead::{DocKind, Letterhead};
use crate::i18n::{Lang, T, fmt_date};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};

const RUNNERS: &[Role] = &[Role::Trainer, Role::Manager, Role::Admin];

fn session_line(s: &SessionView) -> String {
    format!("{} {}–{} · {}", fmt_date(s.date), s.start, s.end, s.place)
}

fn problem_alert(key: Option<String>, lang: Lang) -> impl IntoView {
    key.and_then(|k| problem_text(&k)).map(|(vi, en)| {
        view! { <p class="alert error" role="alert">{if lang == Lang::En { en } else { vi }}</p> }
    })
}

// ---- /classes ---------------------------------------------------------------------------------

#[component]
pub fn Classes() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let page = page_resource(|| (), |_| classes_page());
    let query = use_query_map();
    view! {
        <Title text=T::ClassesTitle.get(lang)/>
        <RequireRole roles=&Role::ALL>
            <h1>{T::ClassesTitle.get(lang)}</h1>
            <p class="lead">{T::ClassesLead.get(lang)}</p>
            {move || match query.read().get("joined").as_deref() {
                Some("enrolled") => Some(view! { <p class="alert ok" role="status">{T::JoinedEnrolled.get(lang)}</p> }),
                Some("waiting") => Some(view! { <p class="alert ok" role="status">{T::JoinedWaiting.get(lang)}</p> }),
                _ => None,
            }}
            <Loaded resource=page view=move |p: ClassesOverview| view! {
                <section aria-labelledby="my-classes">
                    <h2 id="my-classes">{T::MyClasses.get(lang)}</h2>
                    {if p.mine.is_empty() {
                        view! { <p class="muted">{T::NoMyClasses.get(lang)}</p> }.into_any()
                    } else {
                        view! { <ul class="class-list">{p.mine.into_iter().map(|m| view! { <MyClassRow m/> }).collect_view()}</ul> }.into_any()
                    }}
                </section>
                {(!p.open.is_empty()).then(|| view! {
                    <section aria-labelledby="open-classes">
                        <h2 id="open-classes">{T::OpenClasses.get(lang)}</h2>
                        <p class="muted">{T::OpenClassesLead.get(lang)}</p>
                        <ul class="class-list">{p.open.into_iter().map(|c| view! { <OpenRow c/> }).collect_view()}</ul>
                    </section>
                })}
                {p.may_create.then(|| view! {
                    <section aria-labelledby="run-classes">
                        <div class="page-head">
                            <h2 id="run-classes">{T::ClassesIRun.get(lang)}</h2>
                            <a class="button primary" href="/classes/new">{T::NewClass.get(lang)}</a>
                        </div>
                        {if p.run.is_empty() {
                            view! { <p class="muted">{T::NoClassesRun.get(lang)}</p> }.into_any()
                        } else {
                            view! { <ul class="class-list">{p.run.into_iter().map(|c| view! { <RunRow c/> }).collect_view()}</ul> }.into_any()
                        }}
                    </section>
                })}
            }/>
        </RequireRole>
    }
}

#[component]
fn MyClassRow(m: MyClass) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let s = m.summary;
    view! {
        <li class="card class-item">
            <h3>{s.title.clone()}</h3>
            <p class="muted">{s.course_titles.join("; ")}" · "{rule_text(s.rule, lang)}</p>
            {(!s.trainers.is_empty()).then(|| view! { <p>{T::ClassTrainers.get(lang)}": "{s.trainers.clone()}</p> })}
            <p>
                <span class="tag">{status_text(&m.status, lang)}</span>" "
                <strong>{standing_text(m.standing, m.completed, lang)}</strong>
            </p>
            <ul class="sessions">
                {s.sessions.iter().map(|x| view! { <li>{session_line(x)}</li> }).collect_view()}
            </ul>
        </li>
    }
}

#[component]
fn OpenRow(c: ClassSummary) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let full = c.enrolled >= c.capacity.max(0) as u32;
    view! {
        <li class="card class-item">
            <h3>{c.title.clone()}</h3>
            <p class="muted">{c.course_titles.join("; ")}" · "{rule_text(c.rule, lang)}</p>
            <ul class="sessions">
                {c.sessions.iter().map(|x| view! { <li>{session_line(x)}</li> }).collect_view()}
            </ul>
            <form method="post" action=format!("/classes/{}/join", c.id)>
                <button type="submit" class="button primary">
                    {if full { T::JoinWaiting.get(lang) } else { T::Join.get(lang) }}
                </button>
            </form>
        </li>
    }
}

#[component]
fn RunRow(c: ClassSummary) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let first = c.sessions.first().map(|s| fmt_date(s.date)).unwrap_or_default();
    view! {
        <li class="card class-item">
            <h3><a href=format!("/classes/{}", c.id)>{c.title.clone()}</a></h3>
            <p class="muted">
                {c.course_titles.join("; ")}" · "{c.agency.clone()}" · "{first}
                {c.cancelled.then(|| view! { " " <span class="tag">{T::ClassCancelledTag.get(lang)}</span> })}
            </p>
            <p>{format!("{}/{} {}", c.enrolled, c.capacity, T::Places.get(lang))}
                {(c.waiting > 0).then(|| format!(" · {} {}", c.waiting, T::WaitingCount.get(lang)))}</p>
        </li>
    }
}

// ---- /classes/new -----------------------------------------------------------------------------

#[component]
pub fn NewClass() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let options = page_resource(|| (), |_| class_form_options());
    view! {
        <Title text=T::NewClass.get(lang)/>
        <RequireRole roles=RUNNERS>
            <h1>{T::NewClass.get(lang)}</h1>
            <Loaded resource=options view=|o| view! { <ClassForm o/> }/>
        </RequireRole>
    }
}

#[component]
fn ClassForm(o: ClassFormChoices) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let q = use_query_map().get_untracked();
    let returned = q.get("check").is_some();
    let pairs: Vec<(String, String)> = ClassDraft::default()
        .to_pairs()
        .into_iter()
        .chain(
            (1..=FORM_SESSION_ROWS)
                .flat_map(|n| ["date", "start", "end", "place"].map(|f| (format!("s{n}_{f}"), String::new()))),
        )
        .filter_map(|(k, _)| q.get(&k).map(|v| (k, v)))
        .collect();
    let d = if returned {
        ClassDraft::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    } else {
        ClassDraft {
            capacity: "40".into(),
            rule: ClassRule::AttendanceClassExam.as_str().into(),
            min_attendance_percent: "100".into(),
            pass_percent: "70".into(),
            sessions: vec![Default::default(); FORM_SESSION_ROWS],
            ..Default::default()
        }
    };
    let problems: Vec<FormProblem> = if returned {
        d.check().err().unwrap_or_default()
    } else {
        Vec::new()
    };
    let msg = |p: &FormProblem| if lang == Lang::En { p.en.clone() } else { p.vi.clone() };
    let error_of = {
        let problems = problems.clone();
        move |field: &str| {
            let m: Vec<String> = problems.iter().filter(|p| p.field == field).map(msg).collect();
            (!m.is_empty()).then(|| view! { <p class="field-error" id=format!("{field}-error")>{m.join(" ")}</p> })
        }
    };
    view! {
        {(!problems.is_empty()).then(|| view! {
            <div class="alert error" role="alert">
                <p>{T::FixTheForm.get(lang)}</p>
                <ul>{problems.iter().map(|p| view! { <li>{msg(p)}</li> }).collect_view()}</ul>
            </div>
        })}
        <form method="post" action="/classes/save" class="card class-form">
            <div class="form-grid">
                <div>
                    <label for="class-title">{T::ClassTitleLabel.get(lang)}</label>
                    <input id="class-title" name="title" type="text" required maxlength="200" value=d.title.clone()/>
                    {error_of("title")}
                </div>
                <div>
                    <label for="class-trainers">{T::ClassTrainers.get(lang)}</label>
                    <input id="class-trainers" name="trainers" type="text" maxlength="300" value=d.trainers.clone()
                        aria-describedby="class-trainers-hint"/>
                    <p class="muted small" id="class-trainers-hint">{T::ClassTrainersHint.get(lang)}</p>
                    {error_of("trainers")}
                </div>
                <div>
                    <label for="class-unit">{T::ClassUnit.get(lang)}</label>
                    <select id="class-unit" name="agency_id" required aria-describedby="class-unit-hint">
                        {o.units.iter().map(|u| view! {
                            <option value=u.id.to_string() selected=u.id.to_string() == d.agency_id>
                                {format!("{}{}", "\u{2003}".repeat(u.depth), u.name)}
                            </option>
                        }).collect_view()}
                    </select>
                    <p class="muted small" id="class-unit-hint">{T::ClassUnitHint.get(lang)}</p>
                    {error_of("agency_id")}
                </div>
                <div>
                    <label for="class-capacity">{T::ClassCapacity.get(lang)}</label>
                    <input id="class-capacity" name="capacity" type="number" min="1" max="2000" required value=d.capacity.clone()/>
                    {error_of("capacity")}
                </div>
                <div>
                    <label for="class-rule">{T::ClassRuleLabel.get(lang)}</label>
                    <select id="class-rule" name="rule">
                        {ClassRule::ALL.into_iter().map(|r| view! {
                            <option value=r.as_str() selected=r.as_str() == d.rule>{rule_text(r, lang)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div>
                    <label for="class-min">{T::ClassMinAttendance.get(lang)}</label>
                    <input id="class-min" name="min_attendance_percent" type="number" min="1" max="100" required value=d.min_attendance_percent.clone()/>
                    {error_of("min_attendance_percent")}
                </div>
                <div>
                    <label for="class-pass">{T::ClassPassPercent.get(lang)}</label>
                    <input id="class-pass" name="pass_percent" type="number" min="1" max="100" value=d.pass_percent.clone()/>
                    {error_of("pass_percent")}
                </div>
            </div>
            <fieldset class="class-courses">
                <legend>{T::ClassCourses.get(lang)}</legend>
                <p class="muted small">{T::ClassCoursesHint.get(lang)}</p>
                {o.courses.iter().map(|(id, title)| view! {
                    <label class="choice">
                        <input type="checkbox" name="course_id" value=id.clone() checked=d.course_ids.contains(id)/>
                        " "{title.clone()}
                    </label>
                }).collect_view()}
                {error_of("course_id")}
            </fieldset>
            <fieldset>
                <legend>{T::ClassSessions.get(lang)}</legend>
                <p class="muted small">{T::ClassSessionsHint.get(lang)}</p>
                {d.sessions.iter().take(FORM_SESSION_ROWS).enumerate().map(|(i, s)| {
                    let n = i + 1;
                    view! {
                        <div class="session-row">
                            <span class="session-n">{format!("{} {n}", T::SessionN.get(lang))}</span>
                            <label>{T::SessionDate.get(lang)}
                                <input name=format!("s{n}_date") type="date" value=s.date.clone()/></label>
                            <label>{T::SessionStart.get(lang)}
                                <input name=format!("s{n}_start") type="time" value=s.start.clone()/></label>
                            <label>{T::SessionEnd.get(lang)}
                                <input name=format!("s{n}_end") type="time" value=s.end.clone()/></label>
                            <label class="grow">{T::SessionPlace.get(lang)}
                                <input name=format!("s{n}_place") type="text" maxlength="300" value=s.place.clone()/></label>
                            {error_of(&format!("session{n}"))}
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <p><button type="submit" class="button primary">{T::CreateClass.get(lang)}</button></p>
        </form>
    }
}

// ---- /classes/:id -----------------------------------------------------------------------------

#[component]
pub fn ClassPageView() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let page = page_resource(id, class_page);
    view! {
        <Title text=T::ClassesTitle.get(lang)/>
        <RequireRole roles=RUNNERS>
            <p><a href="/classes">{T::BackToClasses.get(lang)}</a></p>
            <Loaded resource=page view=|p| view! { <ClassBody p/> }/>
        </RequireRole>
    }
}

#[component]
fn ClassBody(p: ClassRunView) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let q = use_query_map().get_untracked();
    let d = p.detail;
    let s = d.summary.clone();
    let id = s.id;
    let exam_in_class = s.rule == ClassRule::AttendanceClassExam;
    let notice = {
        let mut out: Vec<String> = Vec::new();
        if q.get("created").is_some() {
            out.push(T::ClassCreated.get(lang).into());
        }
        if let Some(n) = q.get("enrolled") {
            out.push(format!(
                "{}: {n} · {} {} · {} {}",
                T::InvitedCounts.get(lang),
                q.get("waiting").unwrap_or_default(),
                T::WaitingCount.get(lang),
                q.get("trained").unwrap_or_default(),
                T::AlreadyTrainedCount.get(lang)
            ));
        }
        if let Some(n) = q.get("marked") {
            out.push(format!("{} {n}", T::MarkedN.get(lang)));
        }
        if let Some(n) = q.get("scored") {
            out.push(format!("{} {n}", T::ScoredN.get(lang)));
        }
        if q.get("cancelled").is_some() {
            out.push(T::PlaceCancelled.get(lang).into());
        }
        if q.get("class_cancelled").is_some() {
            out.push(T::ClassCancelledDone.get(lang).into());
        }
        if q.get("confirmed").is_some() {
            out.push(T::WalkInConfirmed.get(lang).into());
        }
        match q.get("added").as_deref() {
            Some("enrolled") => out.push(T::AddedEnrolled.get(lang).into()),
            Some("waiting") => out.push(T::AddedWaiting.get(lang).into()),
            _ => {}
        }
        out
    };
    let enrolled: Vec<_> = d.people.iter().filter(|x| x.status == "enrolled").cloned().collect();
    view! {
        <h1>{s.title.clone()}</h1>
        {s.cancelled.then(|| view! { <p class="alert warn">{T::ClassCancelledTag.get(lang)}</p> })}
        <p class="lead">{s.course_titles.join("; ")}" · "{s.agency.clone()}</p>
        {(!s.trainers.is_empty()).then(|| view! { <p>{T::ClassTrainers.get(lang)}": "{s.trainers.clone()}</p> })}
        <p class="muted">
            {rule_text(s.rule, lang)}" · "{T::ClassMinAttendance.get(lang)}": "{d.min_attendance_percent}
            {exam_in_class.then(|| format!(" · {}: {}", T::ClassPassPercent.get(lang), d.pass_percent))}
            " · "{format!("{}/{} {}", s.enrolled, s.capacity, T::Places.get(lang))}
        </p>
        {notice.into_iter().map(|n| view! { <p class="alert ok" role="status">{n}</p> }).collect_view()}
        {problem_alert(q.get("error"), lang)}
        {q.get("sheet")
            .and_then(|j| serde_json::from_str::<Vec<crate::domain::roster::FileError>>(&j).ok())
            .map(|errors| view! {
                <ul class="alert error sheet-errors">
                    {errors.iter().map(|e| view! { <li>{e.show(lang)}</li> }).collect_view()}
                </ul>
            })}
        <section class="card" aria-labelledby="sessions">
            <h2 id="sessions">{T::ClassSessions.get(lang)}</h2>
            <ol class="sessions">
                {s.sessions.iter().enumerate().map(|(i, x)| {
                    let enrolled = enrolled.clone();
                    view! {
                        <li>
                            <p><strong>{session_line(x)}</strong>" "
                                <a class="button" href=format!("/classes/{id}/sessions/{}/qr", x.id)>{T::ProjectQr.get(lang)}</a></p>
                            <details>
                                <summary>{format!("{} — {} {}", T::ChecklistFor.get(lang), T::SessionN.get(lang), i + 1)}</summary>
                                <form method="post" action=format!("/classes/{id}/sessions/{}/attendance", x.id)>
                                    <ul class="checklist">
                                        {enrolled.iter().map(|pp| {
                                            let here = pp.attended.get(i).cloned().flatten().is_some();
                                            view! {
                                                <li><label>
                                                    <input type="checkbox" name="present" value=pp.person_id.to_string() checked=here disabled=here/>
                                                    " "{pp.name.clone()}" "<span class="muted">{pp.agency.clone()}</span>
                                                </label></li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                    <button type="submit" class="button primary">{T::SaveAttendance.get(lang)}</button>
                                </form>
                            </details>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
        <section class="card" aria-labelledby="participants">
            <h2 id="participants">{T::Participants.get(lang)}</h2>
            <form method="post" action=format!("/classes/{id}/scores")>
                <div class="table-scroll">
                <table class="grid">
                    <thead><tr>
                        <th scope="col">{T::FullName.get(lang)}</th>
                        <th scope="col">{T::Unit.get(lang)}</th>
                        <th scope="col">{T::Status.get(lang)}</th>
                        {s.sessions.iter().enumerate().map(|(i, _)| view! { <th scope="col">{format!("{} {}", T::SessionN.get(lang), i + 1)}</th> }).collect_view()}
                        {exam_in_class.then(|| view! { <th scope="col">{T::ScorePercent.get(lang)}</th> })}
                        <th scope="col">{T::Result.get(lang)}</th>
                        <th scope="col"><span class="visually-hidden">{T::Actions.get(lang)}</span></th>
                    </tr></thead>
                    <tbody>
                        {d.people.iter().map(|pp| {
                            let score_id = format!("score-{}", pp.person_id);
                            view! {
                                <tr>
                                    <th scope="row">{pp.name.clone()}<br/><span class="muted small">{pp.code.clone()}</span></th>
                                    <td>{pp.agency.clone()}</td>
                                    <td>{status_text(&pp.status, lang)}</td>
                                    {pp.attended.iter().map(|m| view! { <td>{m.as_ref().map(|_| "✓")}</td> }).collect_view()}
                                    {exam_in_class.then(|| view! {
                                        <td>{(pp.status == "enrolled").then(|| view! {
                                            <label for=score_id.clone() class="visually-hidden">{format!("{} — {}", T::ScorePercent.get(lang), pp.name)}</label>
                                            <input id=score_id.clone() class="score" type="number" min="0" max="100" step="1"
                                                name=format!("score_{}", pp.person_id)
                                                value=pp.score.map(|x| x.to_string()).unwrap_or_default()/>
                                        })}</td>
                                    })}
                                    <td>{standing_text(pp.standing, pp.completed, lang)}</td>
                                    <td>
                                        {(pp.status == "walk_in").then(|| view! {
                                            <button type="submit" class="button" formaction=format!("/classes/{id}/people/{}/confirm", pp.person_id)>{T::ConfirmWalkIn.get(lang)}</button>
                                        })}
                                        {(pp.status != "cancelled" && !pp.completed).then(|| view! {
                                            <button type="submit" class="button" formaction=format!("/classes/{id}/people/{}/cancel", pp.person_id)>{T::CancelPlace.get(lang)}</button>
                                        })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
                {exam_in_class.then(|| view! { <p><button type="submit" class="button primary">{T::SaveScores.get(lang)}</button></p> })}
            </form>
        </section>
        <p class="actions">
            <a class="button" href=format!("/classes/{id}/print")><Ico icon=Icon::Print/>{T::PrintList.get(lang)}</a>
            <a class="button" href=format!("/classes/{id}/export/danh-sach.xlsx") rel="external" download=""><Ico icon=Icon::Download/>{T::ListXlsx.get(lang)}</a>
            <a class="button" href=format!("/classes/{id}/export/danh-sach.csv") rel="external" download=""><Ico icon=Icon::Download/>"CSV"</a>
        </p>
        <section class="card" aria-labelledby="sheet">
            <h2 id="sheet">{T::SheetTitle.get(lang)}</h2>
            <p class="muted small" id="sheet-hint">{T::SheetHint.get(lang)}</p>
            <form method="post" action=format!("/classes/{id}/sheet") enctype="multipart/form-data" class="two-forms">
                <label for="sheet-file">{T::SheetFile.get(lang)}</label>
                <input id="sheet-file" name="file" type="file" accept=".csv,.xlsx,text/csv" required aria-describedby="sheet-hint"/>
                <button type="submit" class="button">{T::UploadSheet.get(lang)}</button>
            </form>
        </section>
        {(!s.cancelled).then(|| view! {
            <details class="card cancel-class">
                <summary>{T::CancelClass.get(lang)}</summary>
                <form method="post" action=format!("/classes/{id}/cancel")>
                    <p class="muted">{T::CancelClassLead.get(lang)}</p>
                    <p><label class="choice"><input type="checkbox" name="confirm" value="1" required/>" "{T::CancelClassConfirm.get(lang)}</label></p>
                    <button type="submit" class="button">{T::CancelClass.get(lang)}</button>
                </form>
            </details>
        })}
        <section class="card two-forms">
            <form method="post" action=format!("/classes/{id}/invite")>
                <label for="invite-unit">{T::InviteUnit.get(lang)}</label>
                <select id="invite-unit" name="agency_id">
                    {p.units.iter().map(|u| view! {
                        <option value=u.id.to_string()>{format!("{}{}", "\u{2003}".repeat(u.depth), u.name)}</option>
                    }).collect_view()}
                </select>
                <button type="submit" class="button">{T::Invite.get(lang)}</button>
            </form>
            <form method="post" action=format!("/classes/{id}/enrol")>
                <label for="enrol-code">{T::AddByCode.get(lang)}</label>
                <input id="enrol-code" name="code" type="text" required maxlength="64"/>
                <button type="submit" class="button">{T::Add.get(lang)}</button>
            </form>
        </section>
    }
}

// ---- /classes/:id/print -----------------------------------------------------------------------

#[component]
pub fn ClassPrintPage() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let page = page_resource(id, class_print);
    view! {
        <Title text=T::ListTitle.get(lang)/>
        <RequireRole roles=RUNNERS>
            <Loaded resource=page view=|p| view! { <ClassList p/> }/>
        </RequireRole>
    }
}

/// The list of participants as an administrative document: letterhead, title, the table with a
/// column per session (✓ where attended, room to sign where not) and the results, signer.
#[component]
fn ClassList(p: ClassListDoc) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let d = p.detail;
    let s = d.summary;
    let exam_in_class = s.rule == ClassRule::AttendanceClassExam;
    let from = p.letterhead.as_ref().map(|i| i.agency_name.clone());
    let edit_href = format!(
        "/letterhead?agency={}",
        p.letterhead.as_ref().map_or(0, |i| i.agency_id)
    );
    let l = p.letterhead.map(|i| i.letterhead).unwrap_or_else(Letterhead::blank);
    let dates = match (s.sessions.first(), s.sessions.last()) {
        (Some(a), Some(b)) if a.date != b.date => format!("{} – {}", fmt_date(a.date), fmt_date(b.date)),
        (Some(a), _) => fmt_date(a.date),
        _ => String::new(),
    };
    let people: Vec<_> = d.people.into_iter().filter(|x| x.status != "cancelled").collect();
    view! {
        <PrintBar lang from=from edit_href=edit_href/>
        <p class="no-print"><a href=format!("/classes/{}", s.id)>{T::BackToClasses.get(lang)}</a></p>
        <article class="doc doc-list" aria-labelledby="doc-title">
            <DocHead l=l.clone() kind=DocKind::List today=p.today/>
            <h1 class="doc-title" id="doc-title">
                <span class="doc-kind">{T::ListTitle.get(lang)}</span>
                <span class="doc-summary">{s.title.clone()}<br/>{s.course_titles.join("; ")}</span>
            </h1>
            <div class="doc-content">
                <p>{T::ListIntro.get(lang)
                    .replace("{unit}", &s.agency)
                    .replace("{dates}", &dates)
                    .replace("{rule}", rule_text(s.rule, lang))}</p>
                {(!s.trainers.is_empty()).then(|| view! { <p>{T::ClassTrainers.get(lang)}": "{s.trainers.clone()}"."</p> })}
                <table class="doc-table">
                    <thead><tr>
                        <th scope="col" class="num">{T::RowNo.get(lang)}</th>
                        <th scope="col">{T::FullName.get(lang)}</th>
                        <th scope="col">{T::OfficialCode.get(lang)}</th>
                        <th scope="col">{T::Unit.get(lang)}</th>
                        {s.sessions.iter().enumerate().map(|(i, x)| view! {
                            <th scope="col">{format!("{} {}", T::SessionN.get(lang), i + 1)}<br/><small>{fmt_date(x.date)}</small></th>
                        }).collect_view()}
                        {exam_in_class.then(|| view! { <th scope="col" class="num">{T::ScorePercent.get(lang)}</th> })}
                        <th scope="col">{T::Result.get(lang)}</th>
                    </tr></thead>
                    <tbody>
                        {people.iter().enumerate().map(|(i, x)| view! {
                            <tr>
                                <td class="num">{i + 1}</td>
                                <td>{x.name.clone()}</td>
                                <td>{x.code.clone()}</td>
                                <td>{x.agency.clone()}</td>
                                {x.attended.iter().map(|m| view! { <td class="sign">{m.as_ref().map(|_| "✓")}</td> }).collect_view()}
                                {exam_in_class.then(|| view! { <td class="num">{x.score.map(|v| v.to_string())}</td> })}
                                <td>{standing_text(x.standing, x.completed, lang)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <p>{T::ListTotal.get(lang)
                    .replace("{n}", &people.len().to_string())
                    .replace("{done}", &people.iter().filter(|x| x.completed).count().to_string())}</p>
            </div>
            <DocFoot l=l/>
        </article>
    }
}

// ---- /classes/:id/sessions/:sid/qr ------------------------------------------------------------

#[component]
pub fn QrPage() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let params = use_params_map();
    let sid = move || {
        params
            .read()
            .get("sid")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let qr = page_resource(sid, class_qr);
    view! {
        <Title text=T::QrTitle.get(lang)/>
        <RequireRole roles=RUNNERS>
            <Loaded resource=qr view=move |v: QrView| view! {
                // The page reloads when the next code starts: no script needed.
                <Meta http_equiv="refresh" content=(v.refresh_secs + 1).to_string()/>
                <section class="qr-projector">
                    <h1>{v.title.clone()}</h1>
                    <p class="lead">{session_line(&v.session)}</p>
                    <figure class="qr-big" aria-label=T::QrTitle.get(lang) inner_html=v.svg.clone()></figure>
                    <p>{T::QrLead.get(lang)}</p>
                    <p class="muted">{T::QrCodeIs.get(lang)}": "<a id="checkin-link" href=v.url.clone()>{v.url.clone()}</a></p>
                    <p class="qr-code" aria-label="code">{v.code.clone()}</p>
                    <p><a href=format!("/classes/{}", v.class_id)>{T::BackToClasses.get(lang)}</a></p>
                </section>
            }/>
        </RequireRole>
    }
}

// ---- /checkin/:sid ----------------------------------------------------------------------------

#[component]
pub fn Checkin() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let session = use_session();
    let location = use_location();
    let params = use_params_map();
    let sid = move || {
        params
            .read()
            .get("sid")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    view! {
        <Title text=T::CheckinTitle.get(lang)/>
        <Suspense fallback=move || view! { <p class="muted">{T::Loading.get(lang)}</p> }>
            {move || Suspend::new(async move {
                if session.user().await.is_none() {
                    // Back here after signing in, with the code: the query is kept.
                    let next = format!("{}{}", location.pathname.get_untracked(), location.search.get_untracked());
                    let next: String = next
                        .chars()
                        .map(|c| match c {
                            '?' => "%3F".to_string(),
                            '&' => "%26".to_string(),
                            '=' => "%3D".to_string(),
                            c => c.to_string(),
                        })
                        .collect();
                    return view! { <Redirect path=format!("/sign-in?next={next}")/> }.into_any();
                }
                let page = page_resource(sid, checkin_page);
                view! { <Loaded resource=page view=move |v| view! { <CheckinBody v sid=sid()/> }/> }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn CheckinBody(v: CheckinView, sid: i64) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let q = use_query_map().get_untracked();
    let code = q.get("c").unwrap_or_default();
    let done = q.get("done");
    view! {
        <section class="card narrow checkin">
            <h1>{T::CheckinTitle.get(lang)}</h1>
            <p class="lead">{v.title.clone()}</p>
            <p class="muted">{v.course_titles.join("; ")}</p>
            <p>{session_line(&v.session)}</p>
            {match done.as_deref() {
                Some("recorded") => Some(view! { <p class="alert ok" role="status">{T::CheckinDone.get(lang)}</p> }.into_any()),
                Some("walk_in") => Some(view! { <p class="alert info" role="status">{T::CheckinWalkIn.get(lang)}</p> }.into_any()),
                _ => None,
            }}
            {problem_alert(q.get("error"), lang)}
            {if v.checked_in {
                (done.is_none()).then(|| view! { <p class="alert ok" role="status">{T::CheckinAlready.get(lang)}</p> }).into_any()
            } else if code.is_empty() {
                view! { <p class="alert info">{T::CheckinNoCode.get(lang)}</p> }.into_any()
            } else {
                view! {
                    <form method="post" action=format!("/checkin/{sid}")>
                        <input type="hidden" name="c" value=code/>
                        <button type="submit" class="button primary big">{T::CheckinButton.get(lang)}</button>
                    </form>
                }.into_any()
            }}
            {v.status.map(|s| view! { <p class="muted">{T::Status.get(lang)}": "{status_text(&s, lang)}</p> })}
            <p><a href="/classes">{T::BackToClasses.get(lang)}</a></p>
        </section>
    }
}
